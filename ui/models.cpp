#include "models.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace slimbench::ui {

using estimate::Category;

const std::vector<Category>& allCategories() {
  static const std::vector<Category> k = {Category::OsBase,         Category::PythonRuntime, Category::SystemPackages,
                                          Category::BuildTools,     Category::PythonPackages, Category::Caches,
                                          Category::AppCode,        Category::WheelsCopied,  Category::Other};
  return k;
}

QColor categoryColour(Category c) {
  switch (c) {
    case Category::OsBase: return QColor("#4e79a7");
    case Category::PythonRuntime: return QColor("#59a14f");
    case Category::SystemPackages: return QColor("#f28e2b");
    case Category::BuildTools: return QColor("#e15759");
    case Category::PythonPackages: return QColor("#76b7b2");
    case Category::Caches: return QColor("#edc948");
    case Category::AppCode: return QColor("#b07aa1");
    case Category::WheelsCopied: return QColor("#ff9da7");
    case Category::Other: break;
  }
  return QColor("#9c755f");
}

QString mb(std::uint64_t bytes, int decimals) {
  // A few kB measured is not zero: "< 0.1" rather than "0.0" (as the CLI prints).
  const double unit = decimals <= 0 ? 1.0 : decimals == 1 ? 0.1 : decimals == 2 ? 0.01 : 0.001;
  if (bytes > 0 && static_cast<double>(bytes) / 1e6 < unit / 2) return "< " + QString::number(unit, 'f', qMax(0, decimals));
  return QString::number(static_cast<double>(bytes) / 1e6, 'f', decimals);
}

QString rangeText(const estimate::Range& r) {
  if (r.open) return r.low > 0 ? QString("≥ %1 MB, no upper bound (part unknown)").arg(mb(r.low)) : QString("unknown");
  if (r.low == r.high) return mb(r.mid) + " MB";
  return QString("%1–%2 MB").arg(mb(r.low), mb(r.high));
}

QString duration(double s) {
  if (s < 1) return "< 1 s";
  if (s < 90) return QString("%1 s").arg(qRound(s));
  const int total = qRound(s);
  return QString("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString distributionKind(const estimate::PythonPackage& p) {
  const QString d = QString::fromStdString(p.distribution);
  if (p.compiles || d == "sdist") return "sdist → compiles";
  if (d.isEmpty()) return "unknown";
  if (d.contains("musllinux")) return "musllinux wheel";
  if (d.contains("manylinux")) return "manylinux wheel";
  if (d.endsWith("-none-any.whl")) return "pure-Python wheel";
  if (d.endsWith(".whl")) return "wheel";
  return d;
}

QString findingHtml(const lint::Finding& f) {
  QString fix = QString::fromStdString(f.fix).toHtmlEscaped();
  return QString("<p><b>%1 %2</b> (%3)</p><p>%4</p><p>%5</p><p><b>Fix:</b></p><pre>%6</pre>")
      .arg(QString::fromStdString(f.ruleId), QString::fromStdString(f.title).toHtmlEscaped(), severityName(f.severity),
           QString::fromStdString(f.message).toHtmlEscaped(), QString::fromStdString(f.explanation).toHtmlEscaped(), fix);
}

// ---- variants -----------------------------------------------------------------

void VariantTableModel::setAnalysis(AnalysisPtr a, const QList<int>& shown) {
  beginResetModel();
  a_ = std::move(a);
  rows_ = shown;
  endResetModel();
}

void VariantTableModel::setCompactness(int level) {
  if (level == compact_) return;
  compact_ = level;
  emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
  if (!rows_.isEmpty()) emit dataChanged(index(0, Variant), index(rowCount() - 1, Variant));
}

QVariant VariantTableModel::data(const QModelIndex& index, int role) const {
  if (!a_ || !index.isValid()) return {};
  const auto& v = a_->variants[static_cast<size_t>(rows_[index.row()])];
  const auto& e = v.estimate;
  const bool broken = v.parseError.has_value();
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Variant: {
        const QString t = generate::variantTitle(v.kind);
        return compact_ >= 2 && t.contains(" (") ? t.left(t.indexOf(" (")) : t;
      }
      case Disk: return broken ? QString("does not parse") : (e.disk.open ? "≥ " : "") + mb(e.disk.mid, 0) + " MB";
      case Pull: return broken ? QString() : (e.compressed.open ? "≥ " : "") + mb(e.compressed.mid, 0) + " MB";
      case BuildCold: return broken ? QString() : (e.coldLowerBound ? "≥ " : "") + duration(e.buildSecondsCold);
      case BuildWarm: return broken ? QString() : (e.warmLowerBound ? "≥ " : "") + duration(e.buildSecondsWarm);
      case Findings: return static_cast<int>(v.findings.size());
      case Compiler: return broken ? QString() : e.compilerInFinal ? QString("yes") : QString("no");
    }
  } else if (role == SortRole) {
    switch (index.column()) {
      case Disk: return static_cast<double>(e.disk.mid);
      case Pull: return static_cast<double>(e.compressed.mid);
      case BuildCold: return e.buildSecondsCold;
      case BuildWarm: return e.buildSecondsWarm;
      default: return data(index, Qt::DisplayRole);
    }
  } else if (role == Qt::ToolTipRole) {
    switch (index.column()) {
      case Disk:
      case Pull: {
        QString t = index.column() == Disk ? "On disk (docker images SIZE): " + rangeText(e.disk).toHtmlEscaped()
                                           : "Compressed, what docker pull downloads: " + rangeText(e.compressed).toHtmlEscaped();
        if (!e.coverage.complete)
          t += QString("<br><b>A lower bound:</b> %1 layer(s) could not be estimated, so they count only what is known. "
                       "Hover the “?” after the bar, or see the Layers tab.")
                   .arg(e.coverage.unknownCount);
        if (e.coverage.proxyCount > 0)
          t += QString("<br>%1 layer(s) are sized by a proxy (something similar stands in).").arg(e.coverage.proxyCount);
        return t;
      }
      case BuildCold: {
        if (!e.coldLowerBound) return {};
        QString t = "<b>A lower bound:</b> the time of these steps is not known:";
        for (const auto& u : e.timeUnknowns) t += "<br>• " + QString::fromStdString(u).toHtmlEscaped();
        return t;
      }
      case BuildWarm: return QString::fromStdString(e.warmNote);
      case Compiler:
        return e.compilerInFinal ? "A compiler (gcc/build-essential/build-base) ships in the final image: "
                                   "bigger and a larger attack surface. A multi-stage build leaves it in the builder."
                                 : "No compiler in the final image.";
      case Variant: return QString("%1: %2").arg(generate::variantTitle(v.kind), QString::fromStdString(e.baseImage));
      default: return {};
    }
  } else if (role == Qt::TextAlignmentRole && index.column() != Variant) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == Qt::ForegroundRole && index.column() == Compiler && e.compilerInFinal) {
    return QBrush(QColor("#d62728"));
  } else if (role == IndexRole) {
    return rows_[index.row()];
  }
  return {};
}

QVariant VariantTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    static const char* h[] = {"Variant", "On disk", "Pull size", "Build (cold)", "Build (cached)", "Findings", "Compiler in image"};
    // Short, on one line (the tooltips say the rest): a second header line would cost the chart a row.
    static const char* brief[] = {"Variant", "Disk", "Pull", "Cold build", "Rebuild", "Findings", "Compiler"};
    return QString(compact_ >= 1 ? brief[section] : h[section]);
  }
  if (role == Qt::ToolTipRole) {
    static const char* t[] = {"The Dockerfile variant",
                              "Image size on disk (what docker images shows), middle of the estimate",
                              "Compressed size a docker pull downloads",
                              "Estimated build time with an empty cache: downloads at the bandwidth setting plus compiles",
                              "Estimated rebuild time after a source-only change (layers from the first source COPY on)",
                              "Number of lint findings",
                              "Whether a C compiler ends up in the final image"};
    return QString(t[section]);
  }
  return {};
}

// ---- layers -------------------------------------------------------------------

void LayerModel::setVariant(AnalysisPtr a, int variant, bool compressed) {
  beginResetModel();
  a_ = std::move(a);
  variant_ = variant;
  compressed_ = compressed;
  endResetModel();
}

const estimate::VariantResult* LayerModel::v() const {
  if (!a_ || variant_ < 0 || variant_ >= static_cast<int>(a_->variants.size())) return nullptr;
  return &a_->variants[static_cast<size_t>(variant_)];
}

int LayerModel::rowCount(const QModelIndex& parent) const {
  auto* x = v();
  return parent.isValid() || !x ? 0 : static_cast<int>(x->estimate.layers.size());
}

QVariant LayerModel::data(const QModelIndex& index, int role) const {
  auto* x = v();
  if (!x || !index.isValid()) return {};
  const auto& l = x->estimate.layers[static_cast<size_t>(index.row())];
  const auto& r = compressed_ ? l.compressed : l.disk;
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Line: return l.line > 0 ? QVariant(l.line) : QVariant(QString("base"));
      case Instruction: return QString::fromStdString(l.instruction).simplified().left(160);
      case Category: return QString(estimate::categoryTitle(l.category));
      case Size:
        if (l.basis == estimate::Basis::Unknown) return r.mid > 0 ? "≥ " + mb(r.mid) + " MB" : QString("? (unknown)");
        return mb(r.mid) + " MB" + (l.basis == estimate::Basis::Proxy ? " ≈" : l.basis == estimate::Basis::Given ? " (yours)" : "");
      case Range: return rangeText(r);
      case Basis: return l.basis == estimate::Basis::Given ? QString("given by you") : QString(estimate::basisId(l.basis));
      case Why: {
        QString s = QString::fromStdString(l.reason);
        if (s.isEmpty()) {
          // No reason text (e.g. a COPY --from whose parts were all sized elsewhere): say what it is made of.
          QStringList parts;
          for (const auto& [name, pr] : l.parts) parts << QString::fromStdString(name) + ": " + rangeText(pr);
          if (!parts.isEmpty()) s = parts.join("; ");
          if (!l.source.empty()) s += (s.isEmpty() ? QString() : QString(" — ")) + QString::fromStdString(l.source);
          if (s.isEmpty() && l.unknownParts.empty() && l.notes.empty()) s = "(no reason recorded by the estimator)";
        }
        for (const auto& u : l.unknownParts) s += "  ? " + QString::fromStdString(u);
        if (!l.proxyNote.empty()) s += "  ≈ proxy: " + QString::fromStdString(l.proxyNote);
        for (const auto& n : l.notes) s += "  ⚠ " + QString::fromStdString(n);
        return s;
      }
    }
  } else if (role == Qt::DecorationRole && index.column() == Category) {
    return categoryColour(l.category);
  } else if (role == Qt::ToolTipRole) {
    QString t = "<b>" + QString::fromStdString(l.instruction).toHtmlEscaped() + "</b><br>" +
                QString::fromStdString(l.reason).toHtmlEscaped() + "<br><i>Source: " +
                QString::fromStdString(l.source).toHtmlEscaped() + "</i>";
    for (const auto& n : l.notes) t += "<br>⚠ " + QString::fromStdString(n).toHtmlEscaped();
    t += QString("<br>Basis: <b>%1</b>").arg(estimate::basisId(l.basis));
    if (editable(l))
      t += "<br><i>Double-click the size to give your own figure (e.g. 35MB); it is kept in slimbench.toml beside the Dockerfile.</i>";
    for (const auto& u : l.unknownParts) t += "<br>? Unknown: " + QString::fromStdString(u).toHtmlEscaped();
    if (!l.proxyNote.empty()) t += "<br>≈ Proxy: " + QString::fromStdString(l.proxyNote).toHtmlEscaped();
    if (!l.parts.empty()) {
      t += "<br><br>Breakdown:";
      for (const auto& [name, pr] : l.parts) t += "<br>• " + QString::fromStdString(name).toHtmlEscaped() + ": " + rangeText(pr).toHtmlEscaped();
    }
    return t;
  } else if (role == Qt::TextAlignmentRole && (index.column() == Size || index.column() == Range || index.column() == Line)) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == Qt::EditRole && index.column() == Size) {
    return l.basis == estimate::Basis::Given ? mb(r.mid) + " MB" : QString();
  } else if (role == LineRole) {
    return l.line;
  } else if (role == SortRole) {
    return index.column() == Size ? QVariant(static_cast<double>(r.mid)) : data(index, Qt::DisplayRole);
  }
  return {};
}

bool LayerModel::editable(const estimate::LayerEstimate& l) const {
  auto* x = v();
  return x && x->kind == generate::VariantKind::Original && !l.fromBase && l.line > 0 && !compressed_ &&
         (l.basis == estimate::Basis::Unknown || l.basis == estimate::Basis::Given);
}

Qt::ItemFlags LayerModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  auto* x = v();
  if (x && index.isValid() && index.column() == Size && editable(x->estimate.layers[static_cast<size_t>(index.row())]))
    f |= Qt::ItemIsEditable;
  return f;
}

bool LayerModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  auto* x = v();
  if (role != Qt::EditRole || !x || !index.isValid() || index.column() != Size) return false;
  const auto& l = x->estimate.layers[static_cast<size_t>(index.row())];
  if (!editable(l)) return false;
  const QString text = value.toString().trimmed();
  if (text.isEmpty()) {
    emit layerSizeGiven(l.line, -1);
    return true;
  }
  std::uint64_t bytes = 0;
  std::string error;
  if (!estimate::parseSize(text.toStdString(), bytes, error)) {
    emit layerSizeRejected(l.line, QString::fromStdString(error));
    return false;
  }
  emit layerSizeGiven(l.line, static_cast<qint64>(bytes));
  return true;
}

QVariant LayerModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* h[] = {"Line", "Instruction", "Holds", "Size", "Range", "Basis", "Why"};
  return QString(h[section]);
}

// ---- packages -----------------------------------------------------------------

void PackageModel::setVariant(AnalysisPtr a, int variant) {
  beginResetModel();
  a_ = std::move(a);
  variant_ = variant;
  endResetModel();
}

const estimate::VariantResult* PackageModel::v() const {
  if (!a_ || variant_ < 0 || variant_ >= static_cast<int>(a_->variants.size())) return nullptr;
  return &a_->variants[static_cast<size_t>(variant_)];
}

int PackageModel::rowCount(const QModelIndex& parent) const {
  auto* x = v();
  return parent.isValid() || !x ? 0 : static_cast<int>(x->estimate.packages.size());
}

QVariant PackageModel::data(const QModelIndex& index, int role) const {
  auto* x = v();
  if (!x || !index.isValid()) return {};
  const auto& p = x->estimate.packages[static_cast<size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Name: return QString::fromStdString(p.name);
      case Version:
        return p.asked.empty() ? QString::fromStdString(p.version)
                               : QString("asked %1, sized as %2").arg(QString::fromStdString(p.asked), QString::fromStdString(p.version));
      case Kind: return distributionKind(p);
      case File: return QString::fromStdString(p.distribution);
      case Installed: return mb(p.installed.mid) + " MB";
      case Compile:
        if (!p.compiles) return QString("—");
        if (p.compileMinutesHigh <= 0) return QString("unknown");
        return QString("%1–%2 min").arg(p.compileMinutesLow, 0, 'f', 1).arg(p.compileMinutesHigh, 0, 'f', 1);
    }
  } else if (role == Qt::ForegroundRole && index.column() == Kind && p.compiles) {
    return QBrush(QColor("#d62728"));
  } else if (role == Qt::ForegroundRole && index.column() == Version && !p.asked.empty()) {
    return QBrush(QColor("#c77800"));
  } else if (role == Qt::ToolTipRole) {
    QString t = QString::fromStdString(p.reason).toHtmlEscaped();
    if (!p.asked.empty())
      t = "<b>Proxy:</b> the requirement asks " + QString::fromStdString(p.asked).toHtmlEscaped() +
          ", a version the catalogue does not hold; the catalogued " + QString::fromStdString(p.version).toHtmlEscaped() +
          " is sized instead.<br>" + t;
    if (p.compiles && p.compileMinutesHigh <= 0)
      t += "<br><i>No published compile time: the cold build time is a lower bound.</i>";
    if (!p.compileSource.empty()) t += "<br><i>Compile time: " + QString::fromStdString(p.compileSource).toHtmlEscaped() + "</i>";
    return t;
  } else if (role == Qt::TextAlignmentRole && (index.column() == Installed || index.column() == Compile)) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == SortRole) {
    return index.column() == Installed ? QVariant(static_cast<double>(p.installed.mid)) : data(index, Qt::DisplayRole);
  }
  return {};
}

QVariant PackageModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* h[] = {"Package", "Version", "Pip installs", "File", "Installed", "Compile"};
  return QString(h[section]);
}

// ---- findings -----------------------------------------------------------------

void FindingModel::setVariant(AnalysisPtr a, int variant) {
  beginResetModel();
  a_ = std::move(a);
  variant_ = variant;
  endResetModel();
}

const estimate::VariantResult* FindingModel::v() const {
  if (!a_ || variant_ < 0 || variant_ >= static_cast<int>(a_->variants.size())) return nullptr;
  return &a_->variants[static_cast<size_t>(variant_)];
}

const lint::Finding* FindingModel::finding(int row) const {
  auto* x = v();
  if (!x || row < 0 || row >= static_cast<int>(x->findings.size())) return nullptr;
  return &x->findings[static_cast<size_t>(row)];
}

int FindingModel::rowCount(const QModelIndex& parent) const {
  auto* x = v();
  return parent.isValid() || !x ? 0 : static_cast<int>(x->findings.size());
}

QVariant FindingModel::data(const QModelIndex& index, int role) const {
  auto* f = finding(index.row());
  if (!f) return {};
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Severity: return QString(severityName(f->severity));
      case Rule: return QString::fromStdString(f->ruleId);
      case Line: return f->where.line > 0 ? QVariant(f->where.line) : QVariant(QString());
      case Title: return QString::fromStdString(f->title);
      case Message: return QString::fromStdString(f->message);
    }
  } else if (role == Qt::ForegroundRole && index.column() == Severity) {
    return QBrush(f->severity == slimbench::Severity::Error     ? QColor("#d62728")
                  : f->severity == slimbench::Severity::Warning ? QColor("#c77800")
                                                                : QColor("#3b82f6"));
  } else if (role == Qt::ToolTipRole || role == Qt::WhatsThisRole) {
    return findingHtml(*f);
  } else if (role == LineRole) {
    return f->where.line;
  }
  return {};
}

QVariant FindingModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* h[] = {"Severity", "Rule", "Line", "Title", "Details"};
  return QString(h[section]);
}

}  // namespace slimbench::ui
