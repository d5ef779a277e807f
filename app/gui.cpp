#include "gui.h"

#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>

#include "mainwindow.h"
#include "projectdocument.h"
#include "tourpanel.h"
#if __has_include("imagewindow.h")
#include "imagewindow.h"
#endif

namespace slimbench::app {

bool guiForced(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--screenshot") return true;
  return false;
}

namespace {
// "multistage" or "multistage:5" (a layer index of that variant).
void select(ui::MainWindow& w, const QString& spec) {
  const QString id = spec.section(':', 0, 0);
  if (!w.selectVariant(id)) return;
  bool ok = false;
  const int layer = spec.section(':', 1, 1).toInt(&ok);
  if (ok && w.analysis()) {
    const auto& vs = w.analysis()->variants;
    for (int i = 0; i < static_cast<int>(vs.size()); ++i)
      if (id == generate::variantId(vs[static_cast<size_t>(i)].kind) && layer >= 0 &&
          layer < static_cast<int>(vs[static_cast<size_t>(i)].estimate.layers.size()))
        w.selectLayer(i, layer);
  }
}
}  // namespace

int runGui(int argc, char** argv) {
  // --screenshot renders offscreen when no platform was chosen.
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--screenshot" && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName("slimbench");
  QApplication::setOrganizationName("slimbench");
  QApplication::setApplicationVersion("0.1.0");
  QApplication::setDesktopFileName("io.github.slimbench.slimbench");

  QCommandLineParser p;
  p.setApplicationDescription("Estimate, compare and export Docker image variants for Python applications.");
  p.addHelpOption();
  QCommandLineOption shot("screenshot", "Render the window offscreen and save it as PNG to FILE, then exit.", "FILE");
  QCommandLineOption size("size", "Window size for --screenshot, e.g. 1280x800.", "WxH", "1280x800");
  QCommandLineOption variant("select", "Select this variant (original, fat, alpine, slim, multistage, buildkit), and optionally a layer of it: multistage:5.", "VARIANT[:LAYER]");
  QCommandLineOption zoom("zoom", "Presenter zoom factor for fonts, e.g. 1.5.", "FACTOR");
  QCommandLineOption dark("dark", "Use the dark palette.");
  QCommandLineOption compressed("compressed", "Show compressed pull sizes in the chart.");
  QCommandLineOption arch("arch", "Target architecture of the analysis: amd64 or arm64.", "ARCH");
  QCommandLineOption image("image", "With --screenshot: render the image window on this saved image instead (PROJECT, when "
                                    "given, is compared with it).", "IMAGE");
  QCommandLineOption imageTab("image-tab", "With --image: the tab shown (files, wasted, findings, compare).", "TAB", "files");
  QCommandLineOption tour("tour", "Open the window on the workshop tour. PROJECT, when given, is the bundled example it "
                                  "starts from (flask-app, uwsgi-app, datascience-app, django-postgres) or a tour file "
                                  "(FILE.json) of your own.");
  QCommandLineOption tourStep("tour-step", "With --tour: the step shown first (1 = the first), reached by stepping forward.", "N");
  p.addOptions({shot, size, variant, zoom, dark, compressed, arch, image, imageTab, tour, tourStep});
  p.addPositionalArgument("project", "A project folder, Dockerfile or requirements file to open (with --tour: EXAMPLE or FILE.json).");
  p.process(app);

  const QStringList pos = p.positionalArguments();
#if __has_include("imagewindow.h")
  if (p.isSet(shot) && p.isSet(image)) {
    ui::ImageWindow iw;
    const QStringList wh = p.value(size).split('x');
    if (wh.size() == 2) iw.resize(wh[0].toInt(), wh[1].toInt());
    iw.show();
    QEventLoop loop;
    QObject::connect(&iw, &ui::ImageWindow::loaded, &loop, &QEventLoop::quit);
    if (!iw.openImage(p.value(image))) return 1;
    if (!pos.isEmpty()) iw.setProject(pos.first());
    loop.exec();
    QElapsedTimer t;
    t.start();
    while (iw.isBusy() && t.elapsed() < 120000) QApplication::processEvents(QEventLoop::AllEvents, 50);
    const QStringList tabs = {"files", "wasted", "findings", "compare"};
    const int tab = tabs.indexOf(p.value(imageTab));
    if (tab >= 0) iw.tabs()->setCurrentIndex(tab);
    QApplication::processEvents();
    return iw.grab().save(p.value(shot), "PNG") ? 0 : 1;
  }
#endif
  ui::MainWindow w;
  // A screenshot is a one-off: what it sets is not kept as the project's settings.
  if (p.isSet(shot)) w.document()->setKeepsProjectSettings(false);
  if (p.isSet(dark)) w.setDarkPalette(true);
  if (p.isSet(zoom)) w.setZoom(p.value(zoom).toDouble());
  if (p.isSet(tour)) {
    // --tour [EXAMPLE|FILE.json]: the window opens on the tour (its own project, not PROJECT).
    const QString arg = pos.isEmpty() ? QString() : pos.first();
    const bool file = arg.endsWith(".json", Qt::CaseInsensitive);
    if (!arg.isEmpty() && !file && !ui::ProjectDocument::bundledExamples().contains(arg)) {
      std::fprintf(stderr, "slimbench --tour: expected a bundled example (%s) or a tour file FILE.json, got \"%s\"\n",
                   ui::ProjectDocument::bundledExamples().join(", ").toUtf8().constData(), arg.toUtf8().constData());
      return 2;
    }
    bool ok = false;
    const int last = p.isSet(tourStep) ? p.value(tourStep).toInt(&ok) : 1;
    if (p.isSet(tourStep) && (!ok || last < 1)) {
      std::fprintf(stderr, "slimbench --tour-step: expected a step number from 1, got \"%s\"\n", p.value(tourStep).toUtf8().constData());
      return 2;
    }
    if (p.isSet(shot)) {
      const QStringList wh = p.value(size).split('x');
      if (wh.size() == 2) w.resize(wh[0].toInt(), wh[1].toInt());
    }
    w.show();
    if (!w.startTour(file ? arg : QString(), file ? QString() : arg)) {
      std::fprintf(stderr, "slimbench --tour: %s\n", w.tourPanel()->error().toUtf8().constData());
      return 1;
    }
    // Stepped forward to the step asked for, as a presenter would (a diff against the previous step needs it shown).
    auto* t = w.tourPanel();
    t->waitForStep(600000);
    for (int k = 1; k < last && k < t->stepCount(); ++k) {
      t->next();
      t->waitForStep(600000);
    }
    if (p.isSet(shot)) {
      QApplication::processEvents();
      return w.saveScreenshot(p.value(shot)) ? 0 : 1;
    }
    return QApplication::exec();
  }
  if (!pos.isEmpty()) w.openPath(pos.first());
  // After the open, which restores the project's own settings: the option wins.
  if (p.isSet(arch)) w.setArch(p.value(arch));
  if (p.isSet(compressed)) w.setCompressed(true);
  if (p.isSet(shot)) {
    const QStringList wh = p.value(size).split('x');
    if (wh.size() == 2) w.resize(wh[0].toInt(), wh[1].toInt());
    w.show();
    // A screenshot shows the analysis: wait for it (a 100k-line Dockerfile takes tens of seconds).
    if (!w.waitForAnalysis(600000))
      std::fprintf(stderr, "slimbench: the analysis was still running after 600 s; the screenshot shows the window before it finished\n");
    if (p.isSet(variant)) select(w, p.value(variant));
    // Layouts that follow others (the toolbars' rows, the chart's labels and legend) settle.
    for (int i = 0; i < 5; ++i) {
      QApplication::processEvents();
      QApplication::sendPostedEvents();
    }
    return w.saveScreenshot(p.value(shot)) ? 0 : 1;
  }
  w.show();
  if (p.isSet(variant)) {
    w.waitForAnalysis();
    select(w, p.value(variant));
  }
  return QApplication::exec();
}

}  // namespace slimbench::app
