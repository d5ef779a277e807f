#pragma once
// The toolbars that set what the analysis assumes: the Python version, the target architecture,
// the network and the build machine (SettingsToolBar), and what the user supplies when the
// estimate runs out of data, the build context and unknown base image sizes (InputsToolBar).
// Each edit goes to the document (ProjectDocument::setSettings), which re-analyses.
#include <QToolBar>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace slimbench::ui {

class ProjectDocument;

class SettingsToolBar : public QToolBar {
  Q_OBJECT
 public:
  explicit SettingsToolBar(ProjectDocument* doc, QWidget* parent = nullptr);
  // Marks the Python versions the catalogue sizes by proxy (no exact base on both architectures).
  void markPythonVersions();
  void setArch(const QString& arch);
  QComboBox* pythonCombo() const { return python_; }
  QComboBox* archCombo() const { return arch_; }
  QDoubleSpinBox* bandwidthSpin() const { return bandwidth_; }
  QSpinBox* coresSpin() const { return cores_; }

 private:
  void apply();
  ProjectDocument* doc_;
  QComboBox* python_ = nullptr;
  QComboBox* arch_ = nullptr;
  QDoubleSpinBox* bandwidth_ = nullptr;
  QSpinBox* cores_ = nullptr;
};

class InputsToolBar : public QToolBar {
  Q_OBJECT
 public:
  explicit InputsToolBar(ProjectDocument* doc, QWidget* parent = nullptr);
  QLineEdit* contextEdit() const { return context_; }
  QLineEdit* baseSizeEdit() const { return baseSize_; }

 private:
  void apply();
  ProjectDocument* doc_;
  QLineEdit* context_ = nullptr;   // build context (empty: found from the COPY sources)
  QLineEdit* baseSize_ = nullptr;  // sizes of base images the catalogue does not hold
  QString baseSizeHelp_;
};

}  // namespace slimbench::ui
