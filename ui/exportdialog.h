#pragma once
// The dialogs of File ▸ Export: a variant's Dockerfile (with a preview, the diff against yours
// and where to write it) and the size of an exported chart.
#include <QDialog>
#include <QSize>
#include <functional>

#include "estimate/analysis.h"

class QCheckBox;
class QLineEdit;
class QTextBrowser;

namespace slimbench::ui {

class CodeEditor;

class ExportDockerfileDialog : public QDialog {
  Q_OBJECT
 public:
  // Writes the chosen file; false keeps the dialog open (the reason is in the status bar).
  using Exporter = std::function<bool(const QString& path, bool withDockerignore)>;
  // Asks for a file to write, starting at a path; empty when cancelled.
  using SaveChooser = std::function<QString(const QString& start)>;

  ExportDockerfileDialog(const estimate::VariantResult& variant, const std::string& original, bool dark, const QFont& mono,
                         const QString& path, bool withDockerignore, QWidget* parent = nullptr);
  void setExporter(Exporter e) { exporter_ = std::move(e); }
  void setSaveChooser(SaveChooser c) { chooser_ = std::move(c); }

  QString path() const;
  bool withDockerignore() const;
  CodeEditor* preview() const { return preview_; }
  QTextBrowser* diffView() const { return diff_; }

 private:
  QString dockerfile_;
  CodeEditor* preview_ = nullptr;
  QTextBrowser* diff_ = nullptr;
  QLineEdit* path_ = nullptr;
  QCheckBox* ignore_ = nullptr;
  Exporter exporter_;
  SaveChooser chooser_;
};

// Asks for the size of an exported chart (1920x1080, …); an invalid size when cancelled.
QSize askChartSize(QWidget* parent);

}  // namespace slimbench::ui
