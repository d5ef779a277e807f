#include "detailspane.h"

#include <QAction>
#include <QBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTabBar>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>

#include <cmath>

#include "codeeditor.h"
#include "fidelityhtml.h"
#include "generate/variants.h"
#include "panes.h"
#include "projectdocument.h"

namespace slimbench::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

const char* kFindingHelp =
    "Findings are the gotchas slimbench sees in the Dockerfile: each explains why it costs size, build time or "
    "safety, and how to fix it. Hover a row for the explanation and the fix.";

// The summary line of a variant: sizes and build times, what could not be estimated and how to
// supply it, what compiles, and the biggest own layer.
QString summaryHtml(const estimate::VariantResult& v) {
  const auto& e = v.estimate;
  const QString ge = e.disk.open ? "≥ " : "";
  QString s = QString("<b>%1</b> — FROM %2: <b>%3%4 MB</b> on disk, %5%6 MB pull; build %7%8 cold, %9%10 cached.")
                  .arg(generate::variantTitle(v.kind), q(e.baseImage).toHtmlEscaped(), ge, mb(e.disk.mid, 0).toHtmlEscaped(), ge, mb(e.compressed.mid, 0).toHtmlEscaped())  // "< 1" is not a tag
                  .arg(e.coldLowerBound ? "≥ " : "", duration(e.buildSecondsCold).toHtmlEscaped(), e.warmLowerBound ? "≥ " : "",
                       duration(e.buildSecondsWarm).toHtmlEscaped());  // "< 1 s" is not a tag
  if (!e.coverage.complete) {
    // What is unknown, and how to supply it.
    QStringList what;
    bool base = false, context = false, buildArg = false;
    for (const auto& l : e.layers)
      for (const auto& u : l.unknownParts) {
        what << q(u);
        // A base named by an ARG without a value is completed with the build arg, not sized.
        const bool byArg = l.fromBase && u.find("--build-arg") != std::string::npos;
        buildArg = buildArg || byArg;
        base = base || (l.fromBase && !byArg);
        context = context || u.find("build context") != std::string::npos;
      }
    what.removeDuplicates();
    QString how = buildArg  ? "Give the ARG its value in the Build args field above"
                  : base    ? "Give the base image's size in the Base size field above"
                  : context ? "Check the build context in the Context field above"
                            : "The Layers tab lists each unknown with its reason";
    s += QString("<br><span style='color:#c77800'>A lower bound: %1 layer(s) could not be estimated — %2%3. %4.</span>")
             .arg(e.coverage.unknownCount)
             .arg(what.mid(0, 2).join("; ").toHtmlEscaped())
             .arg(what.size() > 2 ? QString(" and %1 more").arg(what.size() - 2) : QString())
             .arg(how);
  }
  if (e.coldLowerBound && !e.timeUnknowns.empty())
    s += QString("<br>Build time is a lower bound: %1.")
             .arg(q(e.timeUnknowns.front()).toHtmlEscaped() +
                  (e.timeUnknowns.size() > 1 ? QString(" and %1 more").arg(e.timeUnknowns.size() - 1) : QString()));
  if (v.parseError) s = QString("<b>%1</b> does not parse: %2").arg(generate::variantTitle(v.kind), q(v.parseError->format()).toHtmlEscaped());
  // Why: compiles and the biggest layer.
  QStringList compiled;
  double compileMin = 0;
  for (const auto& p : e.packages)
    if (p.compiles) {
      compiled << q(p.name);
      compileMin += p.compileMinutesHigh;
    }
  if (!compiled.isEmpty())
    s += QString("<br><span style='color:#d62728'>%1 package(s) compile from source in this build (no wheel for the target): %2%3.</span>")
             .arg(compiled.size())
             .arg(compiled.mid(0, 6).join(", ").toHtmlEscaped())
             .arg(compileMin > 0 ? QString(", up to ~%1 min of compiling").arg(compileMin, 0, 'f', 0) : QString());
  if (e.compilerInFinal) s += "<br><span style='color:#d62728'>A compiler ships in the final image.</span>";
  else if (e.headersInFinal) s += "<br><span style='color:#b8860b'>-dev headers ship in the final image (no compiler: they only add size).</span>";
  const estimate::LayerEstimate* biggest = nullptr;
  for (const auto& l : e.layers)
    if (!l.fromBase && (!biggest || l.disk.mid > biggest->disk.mid)) biggest = &l;
  if (biggest && biggest->disk.mid > 0)
    s += QString("<br>Biggest own layer: line %1, %2 MB (%3).").arg(biggest->line).arg(mb(biggest->disk.mid, 0).toHtmlEscaped()).arg(estimate::categoryTitle(biggest->category));
  return s;
}

}  // namespace

DetailsPane::DetailsPane(ProjectDocument* doc, QWidget* parent) : QWidget(parent), doc_(doc) {
  auto* dl = new QVBoxLayout(this);
  dl->setContentsMargins(0, 0, 0, 0);
  dl->setSpacing(2);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::RichText);
  summary_->setContentsMargins(4, 2, 4, 2);
  summary_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  // At a presenter zoom the summary may need more lines than the pane can spare: it scrolls
  // (never cut off) and leaves the tabs at least a few rows.
  summaryScroll_ = new QScrollArea;
  summaryScroll_->setWidget(summary_);
  summaryScroll_->setWidgetResizable(true);
  summaryScroll_->setFrameShape(QFrame::NoFrame);
  summaryScroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  summaryScroll_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
  dl->addWidget(summaryScroll_);
  tabs_ = new QTabWidget;
  tabs_->setDocumentMode(true);
  layerModel_ = new LayerModel(this);
  // Your own size for an unknown layer, typed into its size cell: kept in slimbench.toml.
  connect(layerModel_, &LayerModel::layerSizeGiven, doc, [doc](int line, qint64 bytes) { doc->setLayerSize(line, bytes); });
  connect(layerModel_, &LayerModel::layerSizeRejected, doc, [doc](int line, const QString& why) {
    emit doc->statusMessage(QString("Line %1: not a size (%2)").arg(line).arg(why));
  });
  layers_ = makeTable(nullptr);
  layers_->setModel(layerModel_);
  layers_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  layers_->horizontalHeader()->setStretchLastSection(true);
  packageModel_ = new PackageModel(this);
  auto* pkgProxy = new QSortFilterProxyModel(this);
  pkgProxy->setSourceModel(packageModel_);
  pkgProxy->setSortRole(SortRole);
  packages_ = makeTable(nullptr);
  packages_->setModel(pkgProxy);
  packages_->setSortingEnabled(true);
  packages_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  packages_->horizontalHeader()->setStretchLastSection(true);
  packages_->setWhatsThis("The Python distributions pip installs in this variant and the file it picks for the target: "
                          "a manylinux wheel (glibc), a musllinux wheel (Alpine), or the sdist, which compiles — the "
                          "usual reason Alpine builds are slow and need a compiler.");
  findingModel_ = new FindingModel(this);
  findings_ = makeTable(nullptr);
  findings_->setModel(findingModel_);
  findings_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  findings_->horizontalHeader()->setStretchLastSection(true);
  findings_->setWhatsThis(kFindingHelp);
  findings_->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* ruleOff = new QAction("Switch this rule off for the session", findings_);
  connect(ruleOff, &QAction::triggered, this, [this] {
    if (auto* f = findingModel_->finding(findings_->currentIndex().row())) doc_->switchRuleOff(f->ruleId);
  });
  findings_->addAction(ruleOff);
  auto* ruleOffProject = new QAction("Turn this rule off for this project (saved in slimbench.toml)", findings_);
  ruleOffProject->setObjectName("ruleOffForProject");
  connect(ruleOffProject, &QAction::triggered, this, [this] {
    if (auto* f = findingModel_->finding(findings_->currentIndex().row())) doc_->setProjectRule(f->ruleId, "off");
  });
  findings_->addAction(ruleOffProject);
  findingText_ = new QTextBrowser;
  findingText_->setOpenExternalLinks(true);
  auto* fsplit = new QSplitter(Qt::Horizontal);
  fsplit->addWidget(findings_);
  fsplit->addWidget(findingText_);
  fsplit->setStretchFactor(0, 3);
  fsplit->setStretchFactor(1, 2);
  generated_ = new CodeEditor;
  generated_->setReadOnly(true);
  genHighlighter_ = new DockerfileHighlighter(generated_->document());
  diff_ = new QTextBrowser;
  diff_->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);  // between words; a word longer than the line anywhere
  diff_->setWhatsThis("The selected variant's Dockerfile against yours: + lines are added, - lines removed.");
  tabs_->addTab(layers_, "Layers");
  tabs_->addTab(packages_, "Packages");
  tabs_->addTab(fsplit, "Findings");
  tabs_->addTab(generated_, "Dockerfile");
  tabs_->addTab(diff_, "Diff vs yours");
  // The tabs take what the summary leaves (their own size hint would squeeze it mid-line).
  tabs_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
  dl->addWidget(tabs_, 1);

  connect(layers_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    if (!cur.isValid()) return;
    const int v = doc_->selectedVariant();
    doc_->select(v, cur.row());
    const int line = cur.siblingAtColumn(0).data(LineRole).toInt();
    if (line <= 0) return;
    if (v == 0) {
      emit dockerfileLineShown(line);
    } else {
      QTextCursor c(generated_->document()->findBlockByNumber(line - 1));
      generated_->setTextCursor(c);
      generated_->centerCursor();
    }
  });
  connect(findings_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    auto* f = findingModel_->finding(cur.row());
    findingText_->setHtml(f ? findingHtml(*f) : QString());
  });
  connect(findings_, &QTableView::activated, this, [this](const QModelIndex& idx) {
    const int line = idx.siblingAtColumn(0).data(LineRole).toInt();
    if (line <= 0) return;
    if (doc_->selectedVariant() == 0) {
      emit dockerfileLineRequested(line);
    } else {
      tabs_->setCurrentWidget(generated_);
      generated_->goToLine(line);
    }
  });
  connect(doc, &ProjectDocument::analysisChanged, this, [this] { showSelection(doc_->selectedVariant(), doc_->selectedLayer()); });
  connect(doc, &ProjectDocument::selectionChanged, this, &DetailsPane::showSelection);
}

void DetailsPane::showTab(int tab) { tabs_->setCurrentIndex(tab); }
QString DetailsPane::summary() const { return summary_->text(); }

void DetailsPane::setCompressed(bool on) {
  compressed_ = on;
  refresh(true);
}

void DetailsPane::setDark(bool dark) {
  dark_ = dark;
  genHighlighter_->setDark(dark);
  refresh(true);
}

void DetailsPane::applyFonts(const QFont& f, const QFont& mono) {
  generated_->setFont(mono);
  diff_->setFont(mono);
  for (auto* t : {layers_, packages_, findings_}) {
    t->setFont(f);
    t->horizontalHeader()->setFont(f);  // a header made before the zoom keeps its own font otherwise
    fitRowHeight(t);
    // At least the header and a row, so the chart and the comparison above keep their room.
    t->setMinimumHeight(t->horizontalHeader()->sizeHint().height() + t->verticalHeader()->defaultSectionSize() + 2 * t->frameWidth());
  }
  tabs_->setMinimumHeight(tabs_->tabBar()->sizeHint().height() + layers_->minimumHeight() + 4);
  refresh(true);
  fitSummary();
}

// The summary as tall as its text when the pane has room (the tabs keep their minimum: a header
// and a row), else as many whole lines as fit, at least one: the rest scrolls, no line is cut.
void DetailsPane::fitSummary() {
  const int pad = summary_->contentsMargins().top() + summary_->contentsMargins().bottom();
  const int width = qMax(100, summaryScroll_->viewport()->width());
  const int want = summary_->heightForWidth(width) > 0 ? summary_->heightForWidth(width) : summary_->sizeHint().height();
  const int fmLine = summary_->fontMetrics().lineSpacing();
  const int lines = qMax(1, qRound(double(want - pad) / fmLine));
  const double line = double(want - pad) / lines;  // rich text's lines (bold runs) are a little taller
  const int spacing = layout() ? layout()->spacing() : 2;
  const int room = static_cast<int>((height() - tabs_->minimumHeight() - spacing - pad) / line);
  const int shown = qBound(1, room, qMin(lines, 6));
  const int h = shown >= lines ? want : static_cast<int>(std::floor(shown * line)) + pad;
  summaryScroll_->setMinimumHeight(qMin(want, static_cast<int>(std::floor(line)) + pad));
  summaryScroll_->setMaximumHeight(h);
}

void DetailsPane::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  fitSummary();
  QTimer::singleShot(0, this, &DetailsPane::fitSummary);  // again once the splitter has settled
}

void DetailsPane::clear() {
  shown_.reset();
  shownVariant_ = -1;
  layerModel_->setVariant(nullptr, -1, compressed_);
  packageModel_->setVariant(nullptr, -1);
  findingModel_->setVariant(nullptr, -1);
  summary_->clear();
  findingText_->clear();
  generated_->clear();
  diff_->clear();
}

void DetailsPane::showSelection(int variant, int layer) {
  refresh();
  if (!shown_ || layer < 0 || variant != shownVariant_) return;
  tabs_->setCurrentWidget(layers_);
  layers_->selectRow(layer);
  layers_->scrollTo(layerModel_->index(layer, 0));
}

void DetailsPane::refresh(bool force) {
  const auto a = doc_->analysis();
  const int sel = doc_->selectedVariant();
  if (!a) {
    clear();
    return;
  }
  if (sel < 0 || sel >= static_cast<int>(a->variants.size())) return;
  if (!force && a == shown_ && sel == shownVariant_) return;
  shown_ = a;
  shownVariant_ = sel;
  const auto& v = a->variants[static_cast<size_t>(sel)];
  layerModel_->setVariant(a, sel, compressed_);
  packageModel_->setVariant(a, sel);
  findingModel_->setVariant(a, sel);
  layers_->resizeColumnsToContents();
  layers_->setColumnWidth(LayerModel::Instruction, qMin(layers_->columnWidth(LayerModel::Instruction), 340));
  packages_->resizeColumnsToContents();
  packages_->setColumnWidth(PackageModel::File, qMin(packages_->columnWidth(PackageModel::File), 300));
  findings_->resizeColumnsToContents();
  findings_->setColumnWidth(FindingModel::Title, qMin(findings_->columnWidth(FindingModel::Title), 280));
  if (findingModel_->rowCount() > 0) findings_->selectRow(0);
  else findingText_->setHtml("<p>No findings for this variant.</p>");
  generated_->setPlainText(q(v.dockerfile));
  const auto& original = a->variants.front().dockerfile;
  diff_->setHtml(sel == 0 ? QString("<p>This is your Dockerfile. Select another variant to compare.</p>") : fidelityDiffHtml(original, v, dark_));
  QVector<EditorMarker> gm;
  for (const auto& f : v.findings)
    if (f.where.line > 0) gm.append({f.where.line, static_cast<int>(f.severity), q(f.ruleId + " " + f.title)});
  generated_->setMarkers(gm);
  summary_->setText(summaryHtml(v));
  fitSummary();
}

}  // namespace slimbench::ui
