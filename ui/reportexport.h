#pragma once
// File ▸ Export Report…: the analysis as a self-contained HTML page or as Markdown for a pull
// request (made by core/report, as `slimbench analyze --report` makes it), saved atomically.
#include <QString>

#include "projectdocument.h"

class QWidget;

namespace slimbench::ui {

// Writes the report of `a` to `path` — HTML for .html/.htm, Markdown for .md/.markdown — through a
// QSaveFile (a temporary file renamed into place). `variantId` picks the Dockerfile shown (empty:
// the recommended one). False, with the reason in *error, when the extension is neither or the
// file cannot be written.
bool writeReport(const estimate::Analysis& a, const QString& path, const QString& title, const QString& variantId, QString* error);

// The menu action: asks where to save (a save dialog offering HTML or Markdown; the document's
// path chooser stands in for it when `useChooser`, as in tests), asks before replacing a file, and
// writes the report of the document's analysis showing the selected variant's Dockerfile (the
// recommended one while your own is selected). Returns the status text ("Report saved to …" or the
// reason), empty when nothing was asked for (no analysis, cancelled).
QString exportReportDialog(QWidget* parent, ProjectDocument* doc, bool useChooser);

}  // namespace slimbench::ui
