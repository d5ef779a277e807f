#include "reportexport.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>

#include "report/report.h"

namespace slimbench::ui {

bool writeReport(const estimate::Analysis& a, const QString& path, const QString& title, const QString& variantId, QString* error) {
  const auto format = report::formatFromPath(path.toStdString());
  if (!format) {
    *error = QString("%1: a report is saved as .html (a web page) or .md (Markdown)").arg(path);
    return false;
  }
  report::Options o;
  o.title = title.toStdString();
  o.variant = variantId.toStdString();
  o.madeBy = "the slimbench window (File ▸ Export Report)";
  const std::string text = report::render(a, *format, o);
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) || !f.commit()) {
    *error = QString("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

QString exportReportDialog(QWidget* parent, ProjectDocument* doc, bool useChooser) {
  const auto a = doc->analysis();  // kept while the dialog is open, whatever the analysis does meanwhile
  if (!a) return {};
  const QString name = doc->isExample() ? doc->exampleName() : QFileInfo(doc->projectDir()).fileName();
  const QString start = QDir(doc->startFolder()).filePath((name.isEmpty() ? QString("slimbench") : name) + "-report.html");
  QString path;
  if (useChooser) path = doc->choosePath("save", "Export report", start);
  else {
    const QString html = "HTML page, self-contained (*.html *.htm)", md = "Markdown, for a pull request (*.md *.markdown)";
    QString filter = html;
    path = QFileDialog::getSaveFileName(parent, "Export report", start, html + ";;" + md, &filter, QFileDialog::DontConfirmOverwrite);
    // A name typed without an extension takes the chosen type's.
    if (!path.isEmpty() && !report::formatFromPath(path.toStdString())) path += filter == md ? ".md" : ".html";
  }
  if (path.isEmpty()) return {};
  if (QFileInfo::exists(path) && doc->ask(QString("%1 exists. Replace it?").arg(path), QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes)
    return {};
  // The Dockerfile shown: the selected variant's, or the recommended one while your own is selected.
  const int sel = doc->selectedVariant();
  const QString variant = sel > 0 ? doc->variantId(sel) : QString();
  QString error;
  if (!writeReport(*a, path, name, variant, &error)) return error;
  doc->rememberFolder(QFileInfo(path).absolutePath());
  return "Report saved to " + path;
}

}  // namespace slimbench::ui
