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
  setHeaderLabels({QString("Problems (%1)").arg(topLevelItemCount()), "Where"});
}

void ProblemsPane::activateNext() {
  if (topLevelItemCount() == 0) return;
  const int i = indexOfTopLevelItem(currentItem()) + 1;
  auto* it = topLevelItem(i % topLevelItemCount());
  setCurrentItem(it);
  emit itemActivated(it, 0);
}

}  // namespace slimbench::ui
