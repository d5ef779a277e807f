#include "exportdialog.h"

#include <QApplication>
#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QTabWidget>
#include <QTextBrowser>

#include "codeeditor.h"
#include "fidelityhtml.h"
#include "generate/variants.h"

namespace slimbench::ui {

ExportDockerfileDialog::ExportDockerfileDialog(const estimate::VariantResult& variant, const std::string& original, bool dark,
                                               const QFont& mono, const QString& path, bool withDockerignore, QWidget* parent)
    : QDialog(parent), dockerfile_(QString::fromStdString(variant.dockerfile)) {
  setWindowTitle(QString("Export Dockerfile — %1").arg(generate::variantTitle(variant.kind)));
  // Sized by its text (about 110 columns of code by 40 lines), within the screen: at a presenter
  // zoom a fixed 900 × 640 held barely 50 columns.
  const QFontMetrics fm(mono);
  QSize want(fm.horizontalAdvance(QString(110, 'x')) + 60, fm.lineSpacing() * 40 + 160);
  want = want.expandedTo(QSize(900, 640));
  if (const QScreen* sc = parent ? parent->screen() : QGuiApplication::primaryScreen())
    want = want.boundedTo(sc->availableGeometry().size() * 0.92);
  resize(want);
  auto* l = new QVBoxLayout(this);
  auto* tabs = new QTabWidget;
  preview_ = new CodeEditor;
  preview_->setReadOnly(true);
  preview_->setFont(mono);
  new DockerfileHighlighter(preview_->document());
  preview_->setPlainText(dockerfile_);
  diff_ = new QTextBrowser;
  diff_->setFont(mono);
  diff_->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);  // between words; a word longer than the line anywhere
  diff_->setHtml(fidelityDiffHtml(original, variant, dark));
  tabs->addTab(preview_, "Dockerfile");
  tabs->addTab(diff_, "Diff against yours");
  l->addWidget(tabs, 1);
  auto* form = new QFormLayout;
  auto* pathRow = new QHBoxLayout;
  path_ = new QLineEdit(path);
  auto* browse = new QPushButton("Browse…");
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(browse);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString p = chooser_ ? chooser_(path_->text()) : QString();
    if (!p.isEmpty()) path_->setText(p);
  });
  form->addRow("Write to", pathRow);
  ignore_ = new QCheckBox("Also write a .dockerignore for Python projects next to it");
  ignore_->setChecked(withDockerignore);
  form->addRow(QString(), ignore_);
  l->addLayout(form);
  auto* bb = new QDialogButtonBox;
  auto* exportBtn = bb->addButton("Export", QDialogButtonBox::AcceptRole);
  auto* copyBtn = bb->addButton("Copy to Clipboard", QDialogButtonBox::ActionRole);
  bb->addButton(QDialogButtonBox::Cancel);
  exportBtn->setDefault(true);
  connect(copyBtn, &QPushButton::clicked, this, [this, copyBtn] {
    QApplication::clipboard()->setText(dockerfile_);
    copyBtn->setText("Copied");
  });
  connect(bb, &QDialogButtonBox::accepted, this, [this] {
    if (exporter_ && exporter_(this->path(), this->withDockerignore())) accept();
  });
  connect(bb, &QDialogButtonBox::rejected, this, &QDialog::reject);
  l->addWidget(bb);
}

QString ExportDockerfileDialog::path() const { return path_->text(); }
bool ExportDockerfileDialog::withDockerignore() const { return ignore_->isChecked(); }

QSize askChartSize(QWidget* parent) {
  bool ok = false;
  const QString sz = QInputDialog::getItem(parent, "Export chart", "Size in pixels:",
                                           {"1920x1080", "1280x720", "2560x1440", "1600x900", "1200x800"}, 0, true, &ok);
  if (!ok) return {};
  const QStringList wh = sz.split('x');
  const QSize size(wh.value(0).toInt(), wh.value(1).toInt());
  if (size.width() < 100 || size.height() < 100) return {};
  return size;
}

}  // namespace slimbench::ui
