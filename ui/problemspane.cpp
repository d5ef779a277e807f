#include "problemspane.h"

#include <QHeaderView>
#include <QStyle>

#include "models.h"
#include "projectdocument.h"

namespace slimbench::ui {

ProblemsPane::ProblemsPane(ProjectDocument* doc, QWidget* parent) : QTreeWidget(parent), doc_(doc) {
  setHeaderLabels({"Problems", "Where"});
  setRootIsDecorated(false);
  header()->setSectionResizeMode(0, QHeaderView::Stretch);
  header()->setStretchLastSection(false);
  setWhatsThis("Parse errors and the findings of your Dockerfile. Double-click (or Enter) jumps to the line.");
  connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* it) {
    const int line = it->data(0, LineRole).toInt();
    if (line > 0) emit lineRequested(it->data(0, IndexRole).toInt(), line);
  });
  connect(doc, &ProjectDocument::problemsChanged, this, &ProblemsPane::refresh);
  connect(doc, &ProjectDocument::problemsStaleChanged, this, &ProblemsPane::showStale);
}

// While a long analysis runs, the entries are of the text before it: greyed, and the header says so.
void ProblemsPane::showStale() {
  const bool stale = doc_->problemsStale() && topLevelItemCount() > 0;
  const QBrush fg = palette().brush(stale ? QPalette::Disabled : QPalette::Active, QPalette::Text);
  for (int i = 0; i < topLevelItemCount(); ++i)
    for (int c = 0; c < columnCount(); ++c) topLevelItem(i)->setForeground(c, fg);
  const QString count = topLevelItemCount() > 0 || doc_->analysis() ? QString("Problems (%1)").arg(topLevelItemCount()) : QString("Problems");
  setHeaderLabels({stale ? count + " — updating…" : count, "Where"});  // the tooltip says the rest
  headerItem()->setToolTip(0, stale ? "An analysis of your latest change is running: these entries are from the one before "
                                      "(their lines may have moved). They are replaced when it finishes."
                                    : QString());
}

void ProblemsPane::refresh() {
  clear();
  if (!doc_->analysis()) {
    setHeaderLabels({"Problems", "Where"});
    return;
  }
  for (const auto& p : doc_->problems()) {
    auto* it = new QTreeWidgetItem(this);
    it->setText(0, p.text);
    it->setText(1, p.location);
    it->setToolTip(1, p.location);
    it->setData(0, LineRole, p.where.line);
    it->setData(0, IndexRole, static_cast<int>(p.file));
    it->setToolTip(0, p.tip.isEmpty() ? p.text : p.tip);
    it->setWhatsThis(0, p.tip);
    it->setIcon(0, style()->standardIcon(p.severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                         : p.severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                           : QStyle::SP_MessageBoxInformation));
  }
  resizeColumnToContents(1);
  showStale();
}

void ProblemsPane::activateNext() {
  if (topLevelItemCount() == 0) return;
  const int i = indexOfTopLevelItem(currentItem()) + 1;
  auto* it = topLevelItem(i % topLevelItemCount());
  setCurrentItem(it);
  emit itemActivated(it, 0);
}

}  // namespace slimbench::ui
