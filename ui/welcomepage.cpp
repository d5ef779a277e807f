#include "welcomepage.h"

#include <QBoxLayout>
#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QMap>

namespace slimbench::ui {

WelcomePage::WelcomePage(QWidget* parent) : QScrollArea(parent) {
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  auto* page = new QWidget;
  auto* l = new QVBoxLayout(page);
  l->setContentsMargins(80, 40, 80, 40);
  auto* title = new QLabel("<h1>slimbench</h1><p>Estimate the Docker image of a Python application <b>before building "
                           "it</b>: your Dockerfile next to the fat, alpine, slim, multi-stage and BuildKit variants, "
                           "layer by layer, with the gotchas explained. Open a project folder (Ctrl+O), drop one on "
                           "this window, or start with an example:</p>");
  title->setWordWrap(true);
  l->addWidget(title);
  list_ = new QWidget;
  new QVBoxLayout(list_);
  l->addWidget(list_);
  l->addStretch(1);
  setWidget(page);
}

void WelcomePage::rebuild(const QStringList& examples, const QStringList& recent) {
  auto* l = static_cast<QVBoxLayout*>(list_->layout());
  while (auto* item = l->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  static const QMap<QString, QString> kDescriptions = {
      {"flask-app", "A Flask web app on python:3.12 — the classic single-stage Dockerfile."},
      {"django-postgres", "Django with psycopg: system libraries and a compiler, the multi-stage case."},
      {"datascience-app", "numpy/pandas/scipy: huge wheels, and why alpine compiles for minutes."},
      {"uwsgi-app", "uWSGI has no wheel: it compiles everywhere, so the compiler question matters."}};
  for (const QString& name : examples) {
    auto* b = new QCommandLinkButton(name, kDescriptions.value(name, "Bundled example project"));
    connect(b, &QPushButton::clicked, this, [this, name] { emit exampleRequested(name); });
    l->addWidget(b);
  }
  auto* open = new QCommandLinkButton("Open a project folder…", "A folder with a Dockerfile and requirements.txt / pyproject.toml");
  connect(open, &QPushButton::clicked, this, &WelcomePage::openFolderRequested);
  l->addWidget(open);
  if (!recent.isEmpty()) {
    l->addWidget(new QLabel("<h3>Recent projects</h3>"));
    for (const QString& r : recent) {
      auto* b = new QCommandLinkButton(QFileInfo(r).fileName(), r);
      connect(b, &QPushButton::clicked, this, [this, r] { emit recentRequested(r); });
      l->addWidget(b);
    }
  }
}

}  // namespace slimbench::ui
