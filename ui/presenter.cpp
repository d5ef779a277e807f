#include "presenter.h"

#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QLayout>
#include <QLineEdit>
#include <QMainWindow>
#include <QScreen>
#include <QShortcut>
#include <QTimer>
#include <QToolBar>
#include <cmath>

#include "mainwindow.h"
#include "variantchart.h"
#include "variantspane.h"

namespace slimbench::ui {

// ---- toolbars ------------------------------------------------------------------

ToolBarFitter::ToolBarFitter(QMainWindow* window) : QObject(window), window_(window) {
  window->installEventFilter(this);
  schedule();
}

bool ToolBarFitter::eventFilter(QObject* watched, QEvent* e) {
  if (watched == window_ && (e->type() == QEvent::Resize || e->type() == QEvent::FontChange || e->type() == QEvent::Show)) schedule();
  return false;
}

void ToolBarFitter::schedule() {
  if (scheduled_) return;
  scheduled_ = true;
  QTimer::singleShot(0, this, [this] {
    scheduled_ = false;
    fit();
  });
}

namespace {
// A toolbar's width with every item at its size hint (what QToolBar needs to show them all): its
// margins, its handle, and each item bounded by its minimum and maximum width.
int wantedWidth(QToolBar* tb) {
  const QMargins m = tb->contentsMargins(), lm = tb->layout()->contentsMargins();
  int w = m.left() + m.right() + lm.left() + lm.right() + 16;  // the move handle and the frame
  for (QAction* a : tb->actions()) {
    QWidget* item = tb->widgetForAction(a);
    if (!item || !a->isVisible()) continue;
    w += qBound(item->minimumWidth(), item->sizeHint().width(), item->maximumWidth()) + tb->layout()->spacing();
  }
  return w;
}
}  // namespace

void ToolBarFitter::fit() {
  const int avail = window_->width();
  if (avail <= 0) return;
  QList<QToolBar*> bars;
  for (QToolBar* tb : window_->findChildren<QToolBar*>(Qt::FindDirectChildrenOnly))
    if (window_->toolBarArea(tb) == Qt::TopToolBarArea && !tb->isHidden()) bars << tb;
  if (bars.isEmpty()) return;
  // The first toolbar (the window's actions) shows its buttons' text beside their icons — unless
  // with icons alone it shares its row with the next and saves the window a row of toolbars.
  QToolBar* first = bars.first();
  if (!first->property("sbStyle").isValid()) first->setProperty("sbStyle", int(first->toolButtonStyle()));
  first->setToolButtonStyle(Qt::ToolButtonStyle(first->property("sbStyle").toInt()));
  // Text fields first: back to the widths their toolbar asked for, then narrowed (to no less than
  // ten characters) as far as their toolbar needs to fit on a row of its own.
  for (QToolBar* tb : bars) {
    QList<QLineEdit*> edits;
    for (QAction* a : tb->actions())
      if (auto* e = qobject_cast<QLineEdit*>(tb->widgetForAction(a))) edits << e;
    for (QLineEdit* e : edits) {
      if (!e->property("sbMinWidth").isValid()) e->setProperty("sbMinWidth", e->minimumWidth());
      e->setMinimumWidth(e->property("sbMinWidth").toInt());
      e->setMaximumWidth(QWIDGETSIZE_MAX);
    }
    int excess = qMax(wantedWidth(tb), tb->layout()->sizeHint().width()) + 8 - avail;
    if (excess <= 0 || edits.isEmpty()) continue;
    const int floor = tb->fontMetrics().averageCharWidth() * 10;
    int room = 0;
    for (QLineEdit* e : edits) room += qMax(0, qMax(e->sizeHint().width(), e->minimumWidth()) - floor);
    for (QLineEdit* e : edits) {
      const int w = qMax(e->sizeHint().width(), e->minimumWidth());
      const int share = room > 0 ? static_cast<int>(std::ceil(double(qMax(0, w - floor)) * excess / room)) : 0;
      const int target = qMax(floor, w - share);
      e->setMinimumWidth(qMin(e->minimumWidth(), target));
      e->setMaximumWidth(target);
    }
  }
  if (bars.size() > 1 && wantedWidth(first) + wantedWidth(bars[1]) > avail) {
    first->setToolButtonStyle(Qt::ToolButtonIconOnly);  // a button without an icon keeps its text
    for (QAction* a : first->actions())
      if (auto* w = first->widgetForAction(a)) w->adjustSize();
    if (wantedWidth(first) + wantedWidth(bars[1]) > avail)
      first->setToolButtonStyle(Qt::ToolButtonStyle(first->property("sbStyle").toInt()));
  }
  // Rows: a toolbar goes on the row before unless that row would overflow; one that was put on
  // a row of its own (a break before it when the window was made) keeps it.
  int row = 0;
  for (int i = 0; i < bars.size(); ++i) {
    QToolBar* tb = bars[i];
    if (!tb->property("sbOwnRow").isValid()) tb->setProperty("sbOwnRow", i > 0 && window_->toolBarBreak(tb) && !tb->property("sbBreakAdded").toBool());
    const int w = wantedWidth(tb);
    const bool ownRow = tb->property("sbOwnRow").toBool();
    const bool wrap = i > 0 && (ownRow || row + w > avail);
    if (i > 0 && !ownRow) {
      if (wrap && !window_->toolBarBreak(tb)) {
        window_->insertToolBarBreak(tb);
        tb->setProperty("sbBreakAdded", true);
      } else if (!wrap && window_->toolBarBreak(tb)) {
        window_->removeToolBarBreak(tb);
        tb->setProperty("sbBreakAdded", false);
      }
    }
    row = wrap ? w : row + w;
  }
}

// ---- presenter mode ------------------------------------------------------------

QPalette highContrastPalette() {
  QPalette p;
  const QColor black(Qt::black), white(Qt::white);
  for (auto group : {QPalette::Active, QPalette::Inactive}) {
    p.setColor(group, QPalette::Window, white);
    p.setColor(group, QPalette::WindowText, black);
    p.setColor(group, QPalette::Base, white);
    p.setColor(group, QPalette::AlternateBase, QColor("#ececec"));
    p.setColor(group, QPalette::Text, black);
    p.setColor(group, QPalette::Button, QColor("#f0f0f0"));
    p.setColor(group, QPalette::ButtonText, black);
    p.setColor(group, QPalette::BrightText, white);
    p.setColor(group, QPalette::Highlight, QColor("#0033a0"));  // deep blue: 11:1 against white text
    p.setColor(group, QPalette::HighlightedText, white);
    p.setColor(group, QPalette::ToolTipBase, QColor("#ffffe0"));
    p.setColor(group, QPalette::ToolTipText, black);
    p.setColor(group, QPalette::PlaceholderText, QColor("#505050"));
    p.setColor(group, QPalette::Link, QColor("#0033a0"));
    p.setColor(group, QPalette::Light, white);
    p.setColor(group, QPalette::Midlight, QColor("#d0d0d0"));
    p.setColor(group, QPalette::Mid, QColor("#808080"));
    p.setColor(group, QPalette::Dark, QColor("#404040"));
    p.setColor(group, QPalette::Shadow, black);
  }
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor("#5a5a5a"));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor("#5a5a5a"));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor("#5a5a5a"));
  p.setColor(QPalette::Disabled, QPalette::Window, white);
  p.setColor(QPalette::Disabled, QPalette::Base, white);
  return p;
}

PresenterMode::PresenterMode(MainWindow* window) : QObject(window), window_(window) {
  escape_ = new QShortcut(QKeySequence(Qt::Key_Escape), window);
  escape_->setContext(Qt::WindowShortcut);
  escape_->setEnabled(false);  // Esc is the window's only while presenting
  connect(escape_, &QShortcut::activated, this, [this] { setActive(false); });
}

double PresenterMode::zoomFor(int screenHeight, double baseFontPixels) {
  if (screenHeight <= 0 || baseFontPixels <= 0) return 1.0;
  // 1/40 of the height: 27 px at 1080, a 0.7° letter at the back of a 12 m room on a 3 m screen.
  const double z = screenHeight / 40.0 / baseFontPixels;
  return qMax(1.0, std::ceil(z * 20) / 20);
}

void PresenterMode::setActive(bool on) {
  if (on == active_) return;
  active_ = on;
  auto* chart = window_->variantsPane()->chart();
  if (on) {
    state_ = window_->windowState();
    geometry_ = window_->isFullScreen() || window_->isMaximized() ? window_->normalGeometry() : window_->geometry();
    zoom_ = window_->zoom();
    dark_ = window_->isDarkPalette();
    palette_ = QApplication::palette();
    window_->setDarkPalette(false);  // the editors' and the chart's light colours
    QApplication::setPalette(highContrastPalette());
    chart->setPresenter(true);
    window_->showFullScreen();
    const QScreen* sc = window_->screen() ? window_->screen() : QGuiApplication::primaryScreen();
    // The letters' size at zoom 1, from the current one; what the chart's need on this screen.
    const double base = QFontInfo(QApplication::font()).pixelSize() / qMax(0.1, zoom_);
    const double need = zoomFor(sc ? sc->geometry().height() : 1080, base);
    // The chart is what the room reads: it gets a quarter more than the rest of the window, which
    // then still fits its panes on the screen.
    constexpr double kChartBoost = 1.25;
    const double zoom = qMax(zoom_, std::ceil(need / kChartBoost * 20) / 20);
    window_->setZoom(zoom);
    chart->setFontScale(qMax(1.0, need / zoom));
    escape_->setEnabled(true);
  } else {
    escape_->setEnabled(false);
    chart->setPresenter(false);
    chart->setFontScale(1.0);
    window_->setZoom(zoom_);
    window_->setDarkPalette(dark_);  // the panes' colours it found (light or dark)
    QApplication::setPalette(palette_);  // and the palette itself
    // The smaller fonts' layout first (the window's minimum size shrinks with it), then the state
    // and the size it had: set before, the larger minimum would keep the window tall.
    if (auto* fitter = window_->findChild<ToolBarFitter*>()) fitter->fit();
    QCoreApplication::sendPostedEvents();
    if (window_->layout()) window_->layout()->activate();
    window_->setWindowState(state_);
    const bool normal = !(state_ & (Qt::WindowFullScreen | Qt::WindowMaximized)) && geometry_.isValid();
    if (normal) {
      window_->setGeometry(geometry_);
      QTimer::singleShot(0, this, [this] {
        if (!active_) window_->setGeometry(geometry_);
      });
    }
  }
  emit activeChanged(on);
}

}  // namespace slimbench::ui
