#pragma once
// Showing the window to a room.
//
// The presenter zoom scales every font; what would then no longer fit is laid out again rather
// than clipped: ToolBarFitter puts the window's toolbars on as many rows as its width needs and
// narrows their text fields before any tool button would go into the toolbar's » menu (the
// chart wraps its own legend and shortens its labels; the tables size their rows and headers
// from the font).
//
// PresenterMode (View ▸ Presenter Mode, F5; Esc leaves) is full screen, large fonts — the
// chart's letters at least 1/40 of the screen's height, 27 px at 1080 — and a high-contrast
// palette (black on white, whatever the desktop's theme), with a pointer on the selected
// segment of the chart. Leaving restores the window state, the zoom and the palette it found.
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QRect>

class QMainWindow;
class QShortcut;

namespace slimbench::ui {

class MainWindow;

// Keeps a main window's toolbars whole: fits them when the window is resized or its font changes.
class ToolBarFitter : public QObject {
  Q_OBJECT
 public:
  explicit ToolBarFitter(QMainWindow* window);
  // Rows (toolbar breaks) and text-field widths for the window's current width and font.
  void fit();

 protected:
  bool eventFilter(QObject* watched, QEvent* e) override;

 private:
  void schedule();
  QMainWindow* window_;
  bool scheduled_ = false;
};

// The high-contrast palette of presenter mode: black on white, a strong highlight.
QPalette highContrastPalette();

class PresenterMode : public QObject {
  Q_OBJECT
 public:
  explicit PresenterMode(MainWindow* window);

  bool isActive() const { return active_; }
  // The factor that makes letters of baseFontPixels (at zoom 1) 1/40 of a screen this high.
  static double zoomFor(int screenHeight, double baseFontPixels);

 public slots:
  void setActive(bool on);
  void toggle() { setActive(!active_); }

 signals:
  void activeChanged(bool on);

 private:
  MainWindow* window_;
  QShortcut* escape_ = nullptr;
  bool active_ = false;
  // What presenter mode changed, restored when it ends.
  Qt::WindowStates state_;
  QRect geometry_;
  double zoom_ = 1.0;
  bool dark_ = false;
  QPalette palette_;
};

}  // namespace slimbench::ui
