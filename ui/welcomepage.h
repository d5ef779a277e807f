#pragma once
// The page shown without a project: what slimbench does, the bundled examples, opening a folder,
// and the recent projects. Each choice is a signal; the main window opens it.
#include <QScrollArea>

namespace slimbench::ui {

class WelcomePage : public QScrollArea {
  Q_OBJECT
 public:
  explicit WelcomePage(QWidget* parent = nullptr);
  void rebuild(const QStringList& examples, const QStringList& recent);

 signals:
  void exampleRequested(const QString& name);
  void openFolderRequested();
  void recentRequested(const QString& path);

 private:
  QWidget* list_ = nullptr;
};

}  // namespace slimbench::ui
