#pragma once
// A guided tour for a workshop, read from data (one JSON file per tour; the bundled one is
// :/tours/python-image-diet.json, the format is described in docs/workshop.md "Writing a tour").
// Each step names the project it is about (a bundled example or a folder), optionally a Dockerfile
// text put into the editor, the era of the wheels, the variant the chart selects, what the
// highlighted diff is against, and the explanation with its sources. Every figure the tour shows
// comes from the window's analysis, never from the file.
#include <QString>
#include <QStringList>
#include <QVector>

namespace slimbench::ui {

struct TourSource {
  QString title, url;
};

struct TourStep {
  QString id, title;
  QStringList paragraphs;   // "text": plain text, `code` in backquotes
  QVector<TourSource> sources;
  QString variant;          // original | fat | alpine | slim | multistage | buildkit
  // The project: a bundled example's name, or a folder (absolute, resolved against the tour file).
  // Both empty: the previous step's project (the first step: the tour's).
  QString example, project;
  bool hasDockerfile = false;  // "dockerfile": this text is put into the editor as the project's Dockerfile
  QString dockerfile;
  bool wheelsBeforeMusllinux = false;  // the era of the figures ("wheels as before musllinux")
  // "diff": what the highlighted lines differ from: a variant id of this step's analysis, "previous"
  // (the Dockerfile the previous step showed), or empty (no diff: the focus lines are highlighted).
  QString diff;
  QStringList focus;        // text on the lines that matter; each must be on a highlighted line
  QString finding;          // a finding id (SB106) the selected variant is expected to raise, shown with its source
};

struct Tour {
  QString title, about;
  QString example, project;  // where the tour starts (one of them)
  QString file;              // where it was read from (":/tours/..." or a path)
  QVector<TourStep> steps;
};

// Parses a tour. On failure returns false with `error` as "NAME:LINE:COLUMN: what was expected"
// (JSON syntax) or "NAME:LINE: steps[2] (\"alpine\").variant: expected ..., got ..." (content).
// `baseDir` resolves relative "project" folders; `examples` are the bundled example names.
bool parseTour(const QByteArray& json, const QString& name, const QString& baseDir, const QStringList& examples, Tour& out,
               QString& error);
// Reads a tour file (a path, or ":/tours/NAME.json").
bool loadTour(const QString& path, const QStringList& examples, Tour& out, QString& error);
// The bundled tours, as resource paths (":/tours/python-image-diet.json").
QStringList bundledTours();
QString defaultTourPath();

}  // namespace slimbench::ui
