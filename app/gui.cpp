#include "gui.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "mainwindow.h"

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
  p.addOptions({shot, size, variant, zoom, dark, compressed});
  p.addPositionalArgument("project", "A project folder, Dockerfile or requirements file to open.");
  p.process(app);

  ui::MainWindow w;
  if (p.isSet(dark)) w.setDarkPalette(true);
  if (p.isSet(zoom)) w.setZoom(p.value(zoom).toDouble());
  const QStringList pos = p.positionalArguments();
  if (!pos.isEmpty()) w.openPath(pos.first());
  if (p.isSet(compressed)) w.setCompressed(true);
  if (p.isSet(shot)) {
    const QStringList wh = p.value(size).split('x');
    if (wh.size() == 2) w.resize(wh[0].toInt(), wh[1].toInt());
    w.show();
    w.waitForAnalysis();
    if (p.isSet(variant)) select(w, p.value(variant));
    QApplication::processEvents();
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
