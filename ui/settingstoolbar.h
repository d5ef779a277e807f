#pragma once
// The toolbars that set what the analysis assumes: the Python version, the target architecture,
// the network, the build machine and the wheels' era (SettingsToolBar), and what the user supplies when the
// estimate runs out of data, the build context and unknown base image sizes (InputsToolBar).
// Each edit goes to the document (ProjectDocument::setSettings), which re-analyses.
#include <QToolBar>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QToolButton;

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
  // "Wheels as before musllinux (PEP 656, 2021)": the Alpine figures of the years pip compiled there.
  QCheckBox* eraCheck() const { return era_; }

 private:
  void apply();
  void sync();  // the fields from the document's settings (another project opened)
  void markEra();
  ProjectDocument* doc_;
  QCheckBox* era_ = nullptr;
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
  QComboBox* targetCombo() const { return target_; }
  QLineEdit* buildArgsEdit() const { return buildArgs_; }
  QToolButton* rulesButton() const { return rules_; }

 private:
  void apply();
  void sync();          // the fields from the document's settings (another project opened)
  void fillTargets();   // the stages of the analysed Dockerfile
  void fillRulesMenu();
  ProjectDocument* doc_;
  QLineEdit* context_ = nullptr;   // build context (empty: found from the COPY sources)
  QLineEdit* baseSize_ = nullptr;  // sizes of base images the catalogue does not hold
  QComboBox* target_ = nullptr;    // docker build --target ("(last stage)": none)
  QLineEdit* buildArgs_ = nullptr; // docker build --build-arg NAME=VALUE ...
  QToolButton* rules_ = nullptr;   // rules off for this project / session, to turn back on
  QString baseSizeHelp_, buildArgsHelp_;
};

}  // namespace slimbench::ui
