#pragma once
// Table models over one estimate::Analysis (shared, immutable once published):
// the variant comparison, and the layers / packages / findings of one variant.
#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>
#include <memory>

#include "estimate/analysis.h"

namespace slimbench::ui {

using AnalysisPtr = std::shared_ptr<const estimate::Analysis>;

// The category palette (colour-blind-friendly Tableau 10) used by the chart and the tables.
QColor categoryColour(estimate::Category c);
const std::vector<estimate::Category>& allCategories();
QString mb(std::uint64_t bytes, int decimals = 1);             // "123.4"; "< 0.1" for a few kB, "0.0" only for 0
QString rangeText(const estimate::Range& r);                    // "118–130 MB"
QString duration(double seconds);                               // "2 min 10 s"
// What kind of file pip picks: "musllinux wheel", "manylinux wheel", "pure wheel", "sdist (compiles)".
QString distributionKind(const estimate::PythonPackage& p);

enum Roles { SortRole = Qt::UserRole + 1, LineRole, IndexRole };

class VariantTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Variant, Disk, Pull, BuildCold, BuildWarm, Findings, Compiler, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;
  void setAnalysis(AnalysisPtr a, const QList<int>& shown);
  // Narrow views (a presenter zoom): 0 as is, 1 short headers ("Cold build", "Compiler"; the
  // tooltips say the rest), 2 also the variants by their short names ("Multi-stage"; the full
  // name in the tooltip).
  void setCompactness(int level);
  int compactness() const { return compact_; }
  int variantAt(int row) const { return row >= 0 && row < rows_.size() ? rows_[row] : -1; }
  int rowOf(int variant) const { return static_cast<int>(rows_.indexOf(variant)); }
  int rowCount(const QModelIndex& = {}) const override { return static_cast<int>(rows_.size()); }
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  AnalysisPtr a_;
  QList<int> rows_;
  int compact_ = 0;
};

class LayerModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Line, Instruction, Category, Size, Range, Basis, Why, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;
  void setVariant(AnalysisPtr a, int variant, bool compressed);
  int rowCount(const QModelIndex& = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;
  // The size cell of a layer of your Dockerfile that slimbench does not know (or that you sized)
  // is editable: type a size ("35MB") to give it, clear it to take yours back.
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;

 signals:
  // bytes < 0: the figure is cleared. `error` when the text is not a size (nothing is given then).
  void layerSizeGiven(int line, qint64 bytes);
  void layerSizeRejected(int line, const QString& error);

 private:
  const estimate::VariantResult* v() const;
  bool editable(const estimate::LayerEstimate& l) const;
  AnalysisPtr a_;
  int variant_ = -1;
  bool compressed_ = false;
};

class PackageModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Version, Kind, File, Installed, Compile, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;
  void setVariant(AnalysisPtr a, int variant);
  int rowCount(const QModelIndex& = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  const estimate::VariantResult* v() const;
  AnalysisPtr a_;
  int variant_ = -1;
};

class FindingModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Severity, Rule, Line, Title, Message, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;
  void setVariant(AnalysisPtr a, int variant);
  const lint::Finding* finding(int row) const;
  int rowCount(const QModelIndex& = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  const estimate::VariantResult* v() const;
  AnalysisPtr a_;
  int variant_ = -1;
};

// "<b>title</b><p>explanation</p><p><b>Fix:</b> ...</p>" for tooltips / what's this / the findings pane.
QString findingHtml(const lint::Finding& f);

}  // namespace slimbench::ui
