#include "settingstoolbar.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

#include "projectdocument.h"

namespace slimbench::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

// A label before a toolbar field.
void addLabel(QToolBar* bar, const QString& t) {
  auto* l = new QLabel(t);
  l->setContentsMargins(8, 0, 3, 0);
  bar->addWidget(l);
}
}  // namespace

SettingsToolBar::SettingsToolBar(ProjectDocument* doc, QWidget* parent) : QToolBar("Settings", parent), doc_(doc) {
  setObjectName("settingsToolbar");
  addLabel(this, "Python");
  python_ = new QComboBox;
  python_->setObjectName("pythonCombo");
  python_->addItem("as in Dockerfile", QString());
  for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13"}) python_->addItem(v, QString(v));
  python_->setToolTip("Python version of the generated variants (default: the one your FROM names)");
  addWidget(python_);
  addLabel(this, "Arch");
  arch_ = new QComboBox;
  arch_->setObjectName("archCombo");
  arch_->addItems({"amd64", "arm64"});
  arch_->setToolTip("Target architecture: wheels, base image sizes and compiles differ (arm64 has fewer wheels)");
  addWidget(arch_);
  addLabel(this, "Network");
  bandwidth_ = new QDoubleSpinBox;
  bandwidth_->setObjectName("bandwidthSpin");
  bandwidth_->setRange(1, 10000);
  bandwidth_->setDecimals(0);
  bandwidth_->setValue(doc->settings().bandwidthMbps);
  bandwidth_->setSuffix(" Mbit/s");
  bandwidth_->setToolTip("Download speed used for build-time estimates");
  addWidget(bandwidth_);
  addLabel(this, "Cores");
  cores_ = new QSpinBox;
  cores_->setObjectName("coresSpin");
  cores_->setRange(1, 128);
  cores_->setValue(doc->settings().cores);
  cores_->setToolTip("CPU cores of the build machine: compile times scale with them (approximately)");
  addWidget(cores_);
  connect(python_, &QComboBox::currentIndexChanged, this, &SettingsToolBar::apply);
  connect(arch_, &QComboBox::currentIndexChanged, this, &SettingsToolBar::apply);
  connect(bandwidth_, &QDoubleSpinBox::valueChanged, this, &SettingsToolBar::apply);
  connect(cores_, &QSpinBox::valueChanged, this, &SettingsToolBar::apply);
  markPythonVersions();
}

void SettingsToolBar::apply() {
  AnalysisSettings s = doc_->settings();
  s.python = python_->currentData().toString();
  s.arch = arch_->currentText();
  s.bandwidthMbps = bandwidth_->value();
  s.cores = cores_->value();
  doc_->setSettings(s);
}

void SettingsToolBar::setArch(const QString& arch) {
  const int i = arch_->findText(arch);
  if (i >= 0) arch_->setCurrentIndex(i);
}

// Python versions the settings offer: marked when the catalogue has no exact base for them on both
// architectures (the estimate then uses a stated proxy, never a 0 MB base).
void SettingsToolBar::markPythonVersions() {
  const auto knowledge = doc_->knowledge();
  if (!knowledge) return;
  for (int i = 1; i < python_->count(); ++i) {
    const std::string v = python_->itemData(i).toString().toStdString();
    QStringList missing;
    for (const char* variant : {"", "-slim", "-alpine"})
      for (const char* arch : {"amd64", "arm64"}) {
        auto r = knowledge->bases.resolve("python:" + v + variant, arch);
        if (r.basis != catalogue::BaseBasis::Exact) missing << QString("python:%1%2 (%3)").arg(q(v), variant, arch);
      }
    if (missing.isEmpty()) {
      python_->setItemData(i, QString("Base images catalogued for amd64 and arm64"), Qt::ToolTipRole);
      continue;
    }
    python_->setItemText(i, q(v) + " (proxy)");
    python_->setItemData(i, "Sized by proxy (the nearest catalogued tag stands in, range widened): " + missing.join(", "), Qt::ToolTipRole);
  }
}

InputsToolBar::InputsToolBar(ProjectDocument* doc, QWidget* parent) : QToolBar("Inputs", parent), doc_(doc) {
  setObjectName("inputsToolbar");
  addLabel(this, "Context");
  context_ = new QLineEdit;
  context_->setObjectName("contextEdit");
  context_->setPlaceholderText("found from the Dockerfile's COPY sources");
  context_->setMinimumWidth(280);
  context_->setClearButtonEnabled(true);
  context_->setToolTip("The build context (docker build CONTEXT). Empty: the Dockerfile's folder when what it copies is "
                       "there, else the nearest folder above it from which its COPY sources exist.");
  addWidget(context_);
  auto* pick = new QToolButton;
  pick->setText("…");
  pick->setToolTip("Choose the build context folder");
  addWidget(pick);
  connect(pick, &QToolButton::clicked, this, [this] {
    const QString start = context_->text().isEmpty() ? doc_->projectDir() : context_->text();
    const QString d = doc_->choosePath("folder", "Build context", start);
    if (!d.isEmpty()) {
      context_->setText(d);
      apply();
    }
  });
  addLabel(this, "Base size");
  baseSize_ = new QLineEdit;
  baseSize_->setObjectName("baseSizeEdit");
  baseSize_->setPlaceholderText("e.g. 350MB, or IMAGE=350MB");
  baseSize_->setMinimumWidth(200);
  baseSize_->setClearButtonEnabled(true);
  baseSizeHelp_ = "On-disk size of a base image the catalogue does not hold (docker images SIZE). A bare size "
                  "applies to every FROM image that is unknown; IMAGE=SIZE, IMAGE=SIZE names them. Units: B, kB, MB, GB, "
                  "KiB, MiB, GiB.";
  baseSize_->setToolTip(baseSizeHelp_);
  addWidget(baseSize_);
  connect(context_, &QLineEdit::editingFinished, this, &InputsToolBar::apply);
  connect(baseSize_, &QLineEdit::editingFinished, this, &InputsToolBar::apply);
}

// A size that does not parse is marked and not applied (the previous sizes stay).
void InputsToolBar::apply() {
  AnalysisSettings s = doc_->settings();
  s.context = context_->text().trimmed();
  std::map<std::string, std::uint64_t> sizes;
  QString err;
  const bool ok = parseBaseSizes(baseSize_->text(), sizes, err);
  baseSize_->setStyleSheet(ok ? QString() : "QLineEdit { border: 2px solid #d62728; }");
  baseSize_->setToolTip(ok ? baseSizeHelp_ : "<b>Not applied:</b> " + err.toHtmlEscaped());
  if (ok) s.baseSizes = std::move(sizes);
  doc_->setSettings(s);
}

}  // namespace slimbench::ui
