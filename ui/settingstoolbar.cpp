#include "settingstoolbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>

#include "estimate/build_args.h"
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
  // Next to the target: which era the figures describe matters as much (and stays visible in a narrow window).
  era_ = new QCheckBox("Wheels as before musllinux (2021)");
  era_->setObjectName("eraCheck");
  era_->setToolTip(QString("Estimate as before musllinux wheels: %1.\nOff: today's wheels, as the bundled catalogue lists them.")
                       .arg(estimate::kWheelsBeforeMusllinuxNote));
  era_->setContentsMargins(8, 0, 0, 0);
  addWidget(era_);
  connect(era_, &QCheckBox::toggled, this, &SettingsToolBar::apply);
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
  connect(doc_, &ProjectDocument::settingsChanged, this, &SettingsToolBar::sync);
  markPythonVersions();
  sync();
}

void SettingsToolBar::sync() {
  const AnalysisSettings s = doc_->settings();
  QSignalBlocker b1(python_), b2(arch_), b3(bandwidth_), b4(cores_), b5(era_);
  const int p = python_->findData(s.python);
  python_->setCurrentIndex(p >= 0 ? p : 0);
  const int a = arch_->findText(s.arch);
  if (a >= 0) arch_->setCurrentIndex(a);
  bandwidth_->setValue(s.bandwidthMbps);
  cores_->setValue(s.cores);
  era_->setChecked(s.wheelsBeforeMusllinux);
  markEra();
}

// On, the box says so loudly: the figures describe another era than today's.
void SettingsToolBar::markEra() {
  era_->setStyleSheet(era_->isChecked() ? "QCheckBox { background: #ffd966; color: #3b2f00; font-weight: bold; padding: 2px 6px; "
                                          "border-radius: 3px; }"
                                        : QString());
}

void SettingsToolBar::apply() {
  AnalysisSettings s = doc_->settings();
  s.python = python_->currentData().toString();
  s.arch = arch_->currentText();
  s.bandwidthMbps = bandwidth_->value();
  s.cores = cores_->value();
  s.wheelsBeforeMusllinux = era_->isChecked();
  markEra();
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
  addLabel(this, "Target");
  target_ = new QComboBox;
  target_->setObjectName("targetCombo");
  target_->addItem("(last stage)", QString());
  target_->setMinimumContentsLength(12);
  target_->setToolTip("The stage docker build --target builds: the image is that stage's. The variants transform it and "
                      "end with it (later stages are left out), so they build without --target.");
  addWidget(target_);
  addLabel(this, "Build args");
  buildArgs_ = new QLineEdit;
  buildArgs_->setObjectName("buildArgsEdit");
  buildArgs_->setPlaceholderText("NAME=VALUE NAME2=VALUE");
  buildArgs_->setMinimumWidth(200);
  buildArgs_->setClearButtonEnabled(true);
  buildArgsHelp_ = "docker build --build-arg values: NAME=VALUE pairs separated by spaces (a value with spaces in double "
                   "quotes). They override the Dockerfile's ARG defaults, in your Dockerfile and in the variants — e.g. "
                   "PYTHON_VER=3.12 for ARG PYTHON_VER / FROM python:${PYTHON_VER}-slim.";
  buildArgs_->setToolTip(buildArgsHelp_);
  addWidget(buildArgs_);
  rules_ = new QToolButton;
  rules_->setObjectName("rulesButton");
  rules_->setText("Rules");
  rules_->setPopupMode(QToolButton::InstantPopup);
  rules_->setToolTip("Rules turned off for this project (saved in [rules] of its slimbench.toml, which slimbench analyze and lint "
                     "read too) or for this session; turn them back on here. Right-click a finding to turn its rule off.");
  auto* menu = new QMenu(rules_);
  rules_->setMenu(menu);
  connect(menu, &QMenu::aboutToShow, this, &InputsToolBar::fillRulesMenu);
  addWidget(rules_);
  // Every change re-analyses: Enter or leaving the field, a choice, and clearing it (its × button).
  for (QLineEdit* e : {context_, baseSize_, buildArgs_}) {
    connect(e, &QLineEdit::editingFinished, this, &InputsToolBar::apply);
    connect(e, &QLineEdit::textChanged, this, [this](const QString& t) {
      if (t.isEmpty()) apply();
    });
  }
  connect(target_, &QComboBox::currentIndexChanged, this, &InputsToolBar::apply);
  connect(doc_, &ProjectDocument::settingsChanged, this, &InputsToolBar::sync);
  connect(doc_, &ProjectDocument::analysisChanged, this, &InputsToolBar::fillTargets);
  sync();
}

// The fields show what the document applies: another project's values when it opens.
void InputsToolBar::sync() {
  const AnalysisSettings s = doc_->settings();
  QSignalBlocker b1(context_), b2(baseSize_), b3(target_), b4(buildArgs_);
  if (context_->text().trimmed() != s.context) context_->setText(s.context);
  if (baseSize_->text().trimmed() != s.baseSizesText.trimmed()) {
    baseSize_->setText(s.baseSizesText);
    baseSize_->setStyleSheet({});
    baseSize_->setToolTip(baseSizeHelp_);
  }
  auto typed = estimate::parseBuildArgList(buildArgs_->text().toStdString());
  if (!typed || *typed != s.buildArgs) {
    buildArgs_->setText(q(estimate::buildArgListText(s.buildArgs)));
    buildArgs_->setStyleSheet({});
    buildArgs_->setToolTip(buildArgsHelp_);
  }
  fillTargets();
  const int off = static_cast<int>(doc_->projectRules().size() + doc_->sessionRules().size());
  rules_->setText(off ? QString("Rules (%1 off)").arg(off) : QString("Rules"));
  if (!doc_->projectSettingsError().isEmpty()) rules_->setText("Rules (settings file error)");
}

void InputsToolBar::fillTargets() {
  const QString want = doc_->settings().target;
  QStringList names;
  if (auto a = doc_->analysis(); a && !a->variants.empty())
    for (const auto& st : a->variants.front().model.stages)
      if (!st.name.empty()) names << q(st.name);
  QSignalBlocker b(target_);
  target_->clear();
  target_->addItem("(last stage)", QString());
  for (const auto& n : names) target_->addItem(n, n);
  if (!want.isEmpty() && !names.contains(want, Qt::CaseInsensitive)) {
    // Kept visible while it names no stage (yet): the analysis says so in the Problems.
    target_->addItem(want + (doc_->analysis() ? " (no such stage)" : QString()), want);
  }
  int i = 0;
  for (int k = 0; k < target_->count(); ++k)
    if (target_->itemData(k).toString().compare(want, Qt::CaseInsensitive) == 0) i = k;
  target_->setCurrentIndex(i);
}

void InputsToolBar::fillRulesMenu() {
  QMenu* m = rules_->menu();
  m->clear();
  const auto knowledge = doc_->knowledge();
  auto title = [&](const std::string& id) {
    const lint::Rule* r = knowledge ? knowledge->rules.find(id) : nullptr;
    return r ? q(id) + " " + q(r->title) : q(id);
  };
  if (!doc_->projectSettingsError().isEmpty()) m->addAction("slimbench.toml not applied: " + doc_->projectSettingsError())->setEnabled(false);
  for (const auto& [id, level] : doc_->projectRules()) {
    const std::string rid = id;
    m->addAction(QString("Turn %1 back on for this project (%2 in slimbench.toml)").arg(title(id), q(level)), this,
                 [this, rid] { doc_->setProjectRule(rid, ""); });
  }
  for (const auto& [id, level] : doc_->sessionRules()) {
    const std::string rid = id;
    m->addAction(QString("Turn %1 back on (off for this session)").arg(title(id)), this, [this, rid] { doc_->switchRuleOn(rid); });
  }
  if (m->isEmpty()) m->addAction("No rule is off: right-click a finding to turn its rule off")->setEnabled(false);
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
  if (ok) {
    s.baseSizes = std::move(sizes);
    s.baseSizesText = baseSize_->text().trimmed();
  }
  auto args = estimate::parseBuildArgList(buildArgs_->text().toStdString());
  buildArgs_->setStyleSheet(args ? QString() : "QLineEdit { border: 2px solid #d62728; }");
  buildArgs_->setToolTip(args ? buildArgsHelp_ : "<b>Not applied:</b> " + q(args.error().message).toHtmlEscaped());
  if (args) s.buildArgs = std::move(*args);
  s.target = target_->currentData().toString();
  // Marked fields keep their text: the sync that follows the change must not undo the typing.
  QSignalBlocker b1(baseSize_), b2(buildArgs_);
  const QString typedSizes = baseSize_->text(), typedArgs = buildArgs_->text();
  const QString sizesStyle = baseSize_->styleSheet(), argsStyle = buildArgs_->styleSheet();
  const QString sizesTip = baseSize_->toolTip(), argsTip = buildArgs_->toolTip();
  doc_->setSettings(s);
  if (!ok) {
    baseSize_->setText(typedSizes);
    baseSize_->setStyleSheet(sizesStyle);
    baseSize_->setToolTip(sizesTip);
  }
  if (!args) {
    buildArgs_->setText(typedArgs);
    buildArgs_->setStyleSheet(argsStyle);
    buildArgs_->setToolTip(argsTip);
  }
}

}  // namespace slimbench::ui
