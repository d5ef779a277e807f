// Renders the scalable icon to a square PNG of the given size, for the hicolor icon theme.
// Run by the build (packaging/CMakeLists.txt): slimbench_render_icon ICON.svg SIZE OUT.png
// Qt's PNG writer stores no time or host, so the same SVG and Qt give the same bytes.
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: slimbench_render_icon ICON.svg SIZE OUT.png\n");
    return 2;
  }
  // Painting shapes on a QImage needs no window system; text would need fonts, and with them a
  // QGuiApplication: the icon has none.
  const int size = std::atoi(argv[2]);
  if (size < 16 || size > 1024) {
    std::fprintf(stderr, "slimbench_render_icon: SIZE must be 16..1024, got %s\n", argv[2]);
    return 2;
  }
  QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
  if (!svg.isValid()) {
    std::fprintf(stderr, "slimbench_render_icon: %s is not a readable SVG\n", argv[1]);
    return 1;
  }
  QImage img(size, size, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  img.setDotsPerMeterX(3780);  // 96 dpi, stated: the default depends on the screen, where there is one
  img.setDotsPerMeterY(3780);
  {
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    svg.render(&p, QRectF(0, 0, size, size));
  }
  if (!img.convertToFormat(QImage::Format_ARGB32).save(QString::fromLocal8Bit(argv[3]), "PNG")) {
    std::fprintf(stderr, "slimbench_render_icon: cannot write %s\n", argv[3]);
    return 1;
  }
  return 0;
}
