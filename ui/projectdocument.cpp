#include "projectdocument.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPlainTextDocumentLayout>
#include <QSaveFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

#include "embedded_resources.h"
#include "estimate/knowledge_embedded.h"
#include "estimate/build_args.h"
#include "estimate/project_file.h"
#include "generate/variants.h"
#include "models.h"
#include "python/requirements.h"
#include "util/files.h"

namespace slimbench::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Writes text atomically (a temporary file renamed over the target).
bool writeAtomic(const QString& path, const QString& text, QString* error) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    *error = QString("%1: %2").arg(path, f.errorString());
    return false;
  }
  const QByteArray data = text.toUtf8();
  if (f.write(data) != data.size() || !f.commit()) {
    *error = QString("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

QTextDocument* makeTextDocument(QObject* parent) {
  auto* d = new QTextDocument(parent);
  d->setDocumentLayout(new QPlainTextDocumentLayout(d));  // what a QPlainTextEdit needs
  return d;
}

// Where a project's own settings are kept: a group named after its canonical folder.
QString projectKey(const std::string& dir) {
  const QString d = QString::fromStdString(dir);
  QString path = QFileInfo(d).canonicalFilePath();
  if (path.isEmpty()) path = QDir(d).absolutePath();
  return "projects/" + QString::fromLatin1(QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha1).toHex());
}

}  // namespace

AnalysisSettings withProjectDefaults(AnalysisSettings s) {
  const AnalysisSettings d;
  s.python = d.python;
  s.arch = d.arch;
  s.context = d.context;
  s.baseSizes = d.baseSizes;
  s.baseSizesText = d.baseSizesText;
  s.target = d.target;
  s.buildArgs = d.buildArgs;
  s.wheelsBeforeMusllinux = d.wheelsBeforeMusllinux;
  return s;
}

bool parseBaseSizes(const QString& text, std::map<std::string, std::uint64_t>& out, QString& error) {
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    const QString t = part.trimmed();
    if (t.isEmpty()) continue;
    const int eq = static_cast<int>(t.lastIndexOf('='));
    const std::string image = eq < 0 ? std::string() : t.left(eq).trimmed().toStdString();
    const std::string size = (eq < 0 ? t : t.mid(eq + 1)).trimmed().toStdString();
    if (eq == 0) {
      error = "\"" + t + "\": the image name before '=' is missing";
      return false;
    }
    std::uint64_t bytes = 0;
    std::string e;
    if (!estimate::parseSize(size, bytes, e)) {
      error = q(e);
      return false;
    }
    out[image] = bytes;
  }
  return true;
}

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
  dockerfile_ = makeTextDocument(this);
  requirements_ = makeTextDocument(this);
  watcher_ = new QFutureWatcher<AnalysisPtr>(this);
  connect(watcher_, &QFutureWatcherBase::finished, this, &ProjectDocument::analysisFinished);
  debounce_.setSingleShot(true);
  connect(&debounce_, &QTimer::timeout, this, &ProjectDocument::startAnalysis);
  reqTimer_.setSingleShot(true);
  connect(&reqTimer_, &QTimer::timeout, this, &ProjectDocument::checkRequirements);
  // A long analysis: what the panes show is of the text before it.
  staleTimer_.setSingleShot(true);
  staleTimer_.setInterval(500);
  connect(&staleTimer_, &QTimer::timeout, this, [this] {
    if (busy_ && analysis_) setProblemsStale(true);
  });
  // Typing in the Dockerfile re-analyses 0.4 s after the last key; the requirements are checked
  // live but analysed once saved (pip reads them from the folder).
  connect(dockerfile_, &QTextDocument::contentsChanged, this, [this] {
    // A highlighter's new colours (the palette changed) signal a change too, with the text as it
    // was: nothing to analyse.
    QString text = dockerfile_->toPlainText();
    if (text == seenText_) return;
    seenText_ = std::move(text);
    if (!loading_) reanalyse(400);
  });
  connect(requirements_, &QTextDocument::contentsChanged, this, [this] {
    if (!loading_) reqTimer_.start(300);
  });
  for (auto* d : {dockerfile_, requirements_})
    connect(d, &QTextDocument::modificationChanged, this, &ProjectDocument::modificationChanged);
  // The catalogues are loaded once (tens of milliseconds).
  auto k = estimate::bundledKnowledge();
  if (k) knowledge_ = *k;
  else knowledgeError_ = q(k.error().format());
}

ProjectDocument::~ProjectDocument() {
  debounce_.stop();
  pending_ = false;
  if (watcher_->isRunning()) watcher_->waitForFinished();
}

// Without an asker nothing is dropped or replaced: the answer is Cancel (or No).
QMessageBox::StandardButton ProjectDocument::ask(const QString& text, QMessageBox::StandardButtons buttons) {
  if (asker_) return asker_(text, buttons);
  return buttons.testFlag(QMessageBox::Cancel) ? QMessageBox::Cancel : QMessageBox::No;
}

QString ProjectDocument::choosePath(const QString& kind, const QString& title, const QString& start) {
  return chooser_ ? chooser_(kind, title, start) : QString();
}

// ---- opening ------------------------------------------------------------------

QStringList ProjectDocument::bundledExamples() {
  QStringList out;
  for (auto p : resources::list("examples/")) {
    const QString s = QString::fromUtf8(p.data(), static_cast<int>(p.size())).section('/', 1, 1);
    if (!s.isEmpty() && !out.contains(s)) out << s;
  }
  return out;
}

void ProjectDocument::loadText(QTextDocument* doc, const QString& text) {
  loading_ = true;
  doc->setPlainText(text);
  doc->setModified(false);
  loading_ = false;
}

bool ProjectDocument::close() {
  if (!maybeSave()) return false;
  closeProject();
  return true;
}

// Forgets the project: no paths, no text, no analysis.
void ProjectDocument::closeProject() {
  debounce_.stop();
  reqTimer_.stop();
  pending_ = false;
  ++generation_;  // a running analysis of it is dropped when it finishes
  project_ = {};
  settings_ = withProjectDefaults(settings_);
  ruleOverrides_.clear();
  projectRules_.clear();
  projectSettingsError_.clear();
  emit settingsChanged();
  dockerfilePath_.clear();
  requirementsPath_.clear();
  projectFiles_.clear();
  isExample_ = false;
  exampleName_.clear();
  analysis_.reset();
  reqErrors_.clear();
  setProblemsStale(false);
  loadText(dockerfile_, {});
  loadText(requirements_, {});
  selectedVariant_ = 0;
  selectedLayer_ = -1;
  setBusy(false);
  emit textsReplaced();
  emit projectChanged();
  emit analysisChanged();
  emit problemsChanged();
  emit selectionChanged(selectedVariant_, selectedLayer_);
  emit modificationChanged();
}

bool ProjectDocument::openBundledExample(const QString& name) {
  const std::string prefix = "examples/" + name.toStdString() + "/";
  auto files = resources::list(prefix);
  if (files.empty()) {
    emit statusMessage("No bundled example named " + name);
    return false;
  }
  // Ask before the current copy (maybe an unsaved example) goes away.
  if (!maybeSave()) return false;
  auto dir = std::make_unique<QTemporaryDir>();
  const QString root = dir->filePath(name);
  for (auto f : files) {
    const QString rel = QString::fromUtf8(f.data(), static_cast<int>(f.size())).mid(static_cast<int>(prefix.size()));
    const QString out = root + "/" + rel;
    QDir().mkpath(QFileInfo(out).path());
    QFile w(out);
    auto data = resources::find(f);
    if (!w.open(QIODevice::WriteOnly) || !data) continue;
    w.write(data->data(), static_cast<qint64>(data->size()));
  }
  auto previous = std::move(exampleDir_);
  exampleDir_ = std::move(dir);
  if (!openPath(root)) {
    exampleDir_ = std::move(previous);
    return false;
  }
  isExample_ = true;
  exampleName_ = name;
  emit projectChanged();
  return true;
}

bool ProjectDocument::openPath(const QString& path) {
  QFileInfo fi(path);
  QString target = fi.absoluteFilePath();
  if (fi.isFile()) {
    const QString n = fi.fileName().toLower();
    if (n.endsWith(".txt") || n.endsWith(".toml") || n.endsWith(".lock") || n == ".dockerignore" || n.endsWith(".in"))
      target = fi.absolutePath();
  }
  auto project = estimate::openProject(target.toStdString());
  if (!project) {
    // The open project (or none) stays: only the message says what failed.
    QString msg = QString("Could not open %1: %2").arg(QDir::toNativeSeparators(target), q(project.error().message));
    if (QFileInfo(target).isDir()) {
      // A Dockerfile one level down: name it, the user probably meant that folder.
      QStringList below;
      for (const QString& sub : QDir(target).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        for (const char* n : {"Dockerfile", "Containerfile"})
          if (QFileInfo(QDir(target).filePath(sub + "/" + n)).isFile()) below << sub + "/" + n;
      if (!below.isEmpty())
        msg += QString(". Found %1 in a subfolder: open that folder (File ▸ Open Project) or the file (File ▸ Open File).")
                   .arg(below.mid(0, 3).join(", "));
    }
    msg += hasProject() ? QString(" Still showing %1.").arg(QDir::toNativeSeparators(q(project_.dir))) : QString();
    emit openFailed(msg);
    emit statusMessage(msg);
    return false;
  }
  if (!maybeSave()) return false;
  emit openFailed({});
  const bool wasExample = isExample_;
  isExample_ = false;
  exampleName_.clear();
  if (wasExample && exampleDir_ && !target.startsWith(exampleDir_->path())) exampleDir_.reset();
  project_ = *project;
  dockerfilePath_ = q(project_.dockerfilePath);
  const QDir dir(q(project_.dir));
  // The requirements: requirements.txt first, then other requirements*.txt, then pyproject.toml.
  requirementsPath_.clear();
  QStringList reqs = dir.entryList({"requirements*.txt"}, QDir::Files, QDir::Name);
  reqs.sort();
  if (reqs.contains("requirements.txt")) reqs.move(reqs.indexOf("requirements.txt"), 0);
  if (!reqs.isEmpty()) requirementsPath_ = dir.filePath(reqs.first());
  else if (dir.exists("pyproject.toml")) requirementsPath_ = dir.filePath("pyproject.toml");
  selectedVariant_ = 0;
  selectedLayer_ = -1;
  analysis_.reset();
  setProblemsStale(false);
  scanProjectFiles();

  loadText(dockerfile_, q(project_.dockerfileText));
  QString req;
  if (!requirementsPath_.isEmpty()) {
    auto r = readTextFile(requirementsPath_.toStdString());
    req = r ? q(*r) : QString("# ") + q(r.error().format());
  }
  loadText(requirements_, req);
  ++generation_;
  restoreProjectSettings();  // this project's own, never the previous one's
  if (exampleDir_ == nullptr || !target.startsWith(exampleDir_->path())) {
    addRecent(target);
    rememberFolder(q(project_.dir));
  }
  checkRequirements();
  emit textsReplaced();
  emit projectChanged();
  emit modificationChanged();
  emit analysisChanged();
  emit selectionChanged(selectedVariant_, selectedLayer_);
  emit statusMessage(projectSettingsError_.isEmpty() ? "Analysing " + q(project_.dir) + " …"
                                                      : "Project settings not applied: " + projectSettingsError_);
  reanalyse(0);
  return true;
}

// ---- per-project settings -------------------------------------------------------

void ProjectDocument::restoreProjectSettings() {
  AnalysisSettings s = withProjectDefaults(settings_);
  const bool example = exampleDir_ && q(project_.dir).startsWith(exampleDir_->path());
  QSettings qs;
  qs.beginGroup(projectKey(project_.dir));
  if (!example && qs.contains("path")) {
    s.python = qs.value("python").toString();
    const QString arch = qs.value("arch").toString();
    if (arch == "amd64" || arch == "arm64") s.arch = arch;
    s.wheelsBeforeMusllinux = qs.value("wheelsBeforeMusllinux", false).toBool();
    s.context = qs.value("context").toString();
    std::map<std::string, std::uint64_t> sizes;
    QString err;
    const QString sizesText = qs.value("baseSizes").toString();
    if (parseBaseSizes(sizesText, sizes, err)) {
      s.baseSizes = std::move(sizes);
      s.baseSizesText = sizesText;
    }
    s.target = qs.value("target").toString();
    if (auto args = estimate::parseBuildArgList(qs.value("buildArgs").toString().toStdString())) s.buildArgs = std::move(*args);
  }
  qs.endGroup();
  settings_ = s;
  ruleOverrides_.clear();
  readProjectRules();
  emit settingsChanged();
}

void ProjectDocument::saveProjectSettings() {
  if (!keepsProjectSettings_ || !hasProject() || (exampleDir_ && q(project_.dir).startsWith(exampleDir_->path()))) return;
  QSettings qs;
  qs.beginGroup(projectKey(project_.dir));
  qs.setValue("path", QFileInfo(q(project_.dir)).absoluteFilePath());
  qs.setValue("python", settings_.python);
  qs.setValue("arch", settings_.arch);
  qs.setValue("wheelsBeforeMusllinux", settings_.wheelsBeforeMusllinux);
  qs.setValue("context", settings_.context);
  qs.setValue("baseSizes", settings_.baseSizesText);
  qs.setValue("target", settings_.target);
  qs.setValue("buildArgs", q(estimate::buildArgListText(settings_.buildArgs)));
  qs.endGroup();
}

void ProjectDocument::readProjectRules() {
  projectRules_.clear();
  projectSettingsError_.clear();
  if (!hasProject()) return;
  auto r = estimate::readProjectFile(estimate::projectFilePath(project_), knowledge_ ? &knowledge_->rules : nullptr);
  if (r) projectRules_ = r->rules;
  else projectSettingsError_ = q(r.error().format());
}

bool ProjectDocument::setProjectRule(const std::string& ruleId, const std::string& level) {
  if (!hasProject()) return false;
  const std::string path = estimate::projectFilePath(project_);
  // The file as it is now (it may have been edited meanwhile): one that does not parse is kept.
  std::string text;
  if (QFileInfo::exists(q(path))) {
    auto t = readTextFile(path);
    if (!t) {
      emit statusMessage("Not saved: " + q(t.error().format()));
      return false;
    }
    text = std::move(*t);
  }
  auto current = estimate::parseProjectFile(text, path, knowledge_ ? &knowledge_->rules : nullptr);
  auto next = current ? estimate::withProjectRule(text, path, ruleId, level) : Result<std::string>(current.error());
  if (!next) {
    projectSettingsError_ = q(next.error().format());
    emit settingsChanged();
    emit statusMessage("Not saved: " + projectSettingsError_ + " (fix the file first)");
    return false;
  }
  QString err;
  if (!writeAtomic(q(path), q(*next), &err)) {
    emit statusMessage("Not saved: " + err);
    return false;
  }
  readProjectRules();
  ruleOverrides_.erase(ruleId);  // the project's setting decides now
  emit settingsChanged();
  emit transientMessage(level.empty() ? QString("%1 is on again for this project (%2)").arg(q(ruleId), q(path))
                                      : QString("%1 is %2 for this project (saved in %3)").arg(q(ruleId), q(level), q(path)),
                        5000);
  reanalyse(0);
  return true;
}

bool ProjectDocument::setLayerSize(int line, qint64 bytes) {
  if (!hasProject() || line <= 0) return false;
  const std::string path = estimate::projectFilePath(project_);
  std::string text;
  if (QFileInfo::exists(q(path))) {
    auto t = readTextFile(path);
    if (!t) {
      emit statusMessage("Not saved: " + q(t.error().format()));
      return false;
    }
    text = std::move(*t);
  }
  auto current = estimate::parseProjectFile(text, path, knowledge_ ? &knowledge_->rules : nullptr);
  auto next = current ? estimate::withProjectLayerSize(text, path, line, bytes < 0 ? std::nullopt : std::optional<std::uint64_t>(static_cast<std::uint64_t>(bytes)))
                      : Result<std::string>(current.error());
  if (!next) {
    projectSettingsError_ = q(next.error().format());
    emit settingsChanged();
    emit statusMessage("Not saved: " + projectSettingsError_ + " (fix the file first)");
    return false;
  }
  QString err;
  if (!writeAtomic(q(path), q(*next), &err)) {
    emit statusMessage("Not saved: " + err);
    return false;
  }
  readProjectRules();
  emit transientMessage(bytes < 0 ? QString("Line %1: your size removed (%2)").arg(line).arg(q(path))
                                  : QString("Line %1: %2 MB, given by you (saved in %3)").arg(line).arg(double(bytes) / 1e6, 0, 'f', 1).arg(q(path)),
                        5000);
  reanalyse(0);
  return true;
}

void ProjectDocument::switchRuleOn(const std::string& ruleId) {
  if (ruleOverrides_.erase(ruleId) == 0) return;
  emit settingsChanged();
  reanalyse(0);
}

estimate::AnalysisOptions ProjectDocument::analysisOptions() const {
  estimate::AnalysisOptions o;
  o.settings.arch = settings_.arch.toStdString();
  o.settings.bandwidthMbps = settings_.bandwidthMbps;
  o.settings.cores = settings_.cores;
  o.settings.wheelsBeforeMusllinux = settings_.wheelsBeforeMusllinux;
  o.pythonOverride = settings_.python.toStdString();
  o.ruleOverrides = projectRules_;
  for (const auto& [id, level] : ruleOverrides_) o.ruleOverrides[id] = level;  // the session's over the file's
  o.contextDir = settings_.context.trimmed().toStdString();
  o.buildArgs = settings_.buildArgs;
  o.target = settings_.target.trimmed().toStdString();
  auto sizes = settings_.baseSizes;
  auto bare = sizes.find("");
  if (bare != sizes.end() && knowledge_) {
    // A bare size: every FROM image of this Dockerfile that the catalogue does not resolve.
    const std::uint64_t b = bare->second;
    sizes.erase(bare);
    const std::string text = dockerfile_->toPlainText().toStdString();
    if (auto tree = dockerfile::parse(text, project_.dockerfilePath)) {
      auto model = dockerfile::buildModel(*tree, project_.dockerfilePath, o.buildArgs, o.target);
      for (const auto& st : model.stages)
        if (st.baseStage < 0 && st.baseImage != "scratch" &&
            knowledge_->bases.resolve(st.baseImage, o.settings.arch).basis == catalogue::BaseBasis::Unknown)
          sizes.emplace(st.baseImage, b);
    }
  }
  o.settings.baseSizes = std::move(sizes);
  // The figures of the project file join them as in `slimbench analyze` (the fields win). Its saved
  // base-image archives are read by the command line only.
  if (auto f = estimate::readProjectFile(estimate::projectFilePath(project_), knowledge_ ? &knowledge_->rules : nullptr)) {
    f->rules.clear();  // in o.ruleOverrides already (projectRules_), under the session's
    estimate::mergeProjectFile(*f, o);
  }
  return o;
}

QString ProjectDocument::relativeLocation(const SourceLocation& where) const {
  QString file = where.file.empty() ? dockerfilePath_ : q(where.file);
  if (!project_.dir.empty() && QFileInfo(file).isAbsolute()) {
    const QString rel = QDir(q(project_.dir)).relativeFilePath(file);
    file = rel.startsWith("../../") ? QFileInfo(file).fileName() : rel;
  }
  if (where.line <= 0) return file;
  return QString("%1:%2%3").arg(file).arg(where.line).arg(where.column > 0 ? QString(":%1").arg(where.column) : QString());
}

QString ProjectDocument::startFolder() const {
  const QString last = QSettings().value("lastFolder").toString();
  const bool inExample = exampleDir_ && !last.isEmpty() && QDir(last).absolutePath().startsWith(exampleDir_->path());
  if (!last.isEmpty() && !inExample && QFileInfo(last).isDir()) return last;
  return QDir::homePath();
}

void ProjectDocument::rememberFolder(const QString& dir) {
  if (dir.isEmpty() || (exampleDir_ && QDir(dir).absolutePath().startsWith(exampleDir_->path()))) return;
  QSettings().setValue("lastFolder", QDir(dir).absolutePath());
}

void ProjectDocument::addRecent(const QString& path) {
  QSettings s;
  QStringList r = s.value("recent").toStringList();
  r.removeAll(path);
  r.prepend(path);
  while (r.size() > 8) r.removeLast();
  s.setValue("recent", r);
}

QStringList ProjectDocument::recentProjects() { return QSettings().value("recent").toStringList(); }
void ProjectDocument::clearRecentProjects() { QSettings().remove("recent"); }

// ---- saving -------------------------------------------------------------------

bool ProjectDocument::isModified() const { return dockerfile_->isModified() || requirements_->isModified(); }

bool ProjectDocument::saveDockerfile(const QString& path) {
  QString err;
  if (!writeAtomic(path, dockerfile_->toPlainText(), &err)) {
    emit statusMessage("Not saved: " + err);
    return false;
  }
  dockerfile_->setModified(false);
  return true;
}

bool ProjectDocument::saveRequirements() {
  if (requirementsPath_.isEmpty()) return true;
  QString err;
  if (!writeAtomic(requirementsPath_, requirements_->toPlainText(), &err)) {
    emit statusMessage("Not saved: " + err);
    return false;
  }
  requirements_->setModified(false);
  reanalyse(0);  // pip reads the requirements from disk
  return true;
}

bool ProjectDocument::saveAll() {
  if (!hasProject()) return false;
  if (isExample_) return saveExampleAs();  // never into the temporary copy
  bool ok = true;
  if (dockerfile_->isModified()) ok = saveDockerfile(dockerfilePath_) && ok;
  if (requirements_->isModified()) ok = saveRequirements() && ok;
  emit modificationChanged();
  if (ok) emit transientMessage("Saved", 3000);
  return ok;
}

bool ProjectDocument::saveDockerfileAs() {
  if (isExample_) return saveExampleAs();  // the example's files go with it
  const QString p = choosePath("save", "Save Dockerfile as", QDir(startFolder()).filePath(QFileInfo(dockerfilePath_).fileName()));
  if (p.isEmpty() || !saveDockerfile(p)) return false;
  dockerfilePath_ = p;
  rememberFolder(QFileInfo(p).absolutePath());
  emit projectChanged();
  emit modificationChanged();
  return true;
}

bool ProjectDocument::maybeSave() {
  if (!isModified()) return true;
  const auto b = ask(QString("%1 has unsaved changes. Save them?").arg(QFileInfo(q(project_.dir)).fileName()),
                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (b == QMessageBox::Save) return saveAll();
  if (b == QMessageBox::Discard) {
    dockerfile_->setModified(false);
    requirements_->setModified(false);
    return true;
  }
  return false;
}

bool ProjectDocument::saveExampleAs() {
  if (!isExample_) return saveAll();
  const QString parent =
      choosePath("folder", QString("Save the example \"%1\" to a folder (a copy of the project is made there)").arg(exampleName_), startFolder());
  if (parent.isEmpty()) {
    emit statusMessage("Not saved: no folder chosen. The example is a temporary copy until saved.");
    return false;
  }
  // The project goes into PARENT/NAME (NAME-2, … when that exists), unless PARENT is an empty folder.
  QString target = parent;
  if (!QDir(parent).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
    target = QDir(parent).filePath(exampleName_);
    for (int n = 2; QFileInfo::exists(target); ++n) target = QDir(parent).filePath(QString("%1-%2").arg(exampleName_).arg(n));
  }
  const QString src = q(project_.dir);
  QStringList failed;
  QDirIterator it(src, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString f = it.next();
    const QString out = QDir(target).filePath(QDir(src).relativeFilePath(f));
    if (!QDir().mkpath(QFileInfo(out).path()) || !QFile::copy(f, out)) failed << out;
  }
  if (!failed.isEmpty()) {
    emit statusMessage("Not saved: could not write " + failed.first());
    return false;
  }
  // The edits go to the copy; the document then works on it.
  const QString df = QDir(target).filePath(QDir(src).relativeFilePath(dockerfilePath_));
  const QString req = requirementsPath_.isEmpty() ? QString() : QDir(target).filePath(QDir(src).relativeFilePath(requirementsPath_));
  QString err;
  if (!writeAtomic(df, dockerfile_->toPlainText(), &err) || (!req.isEmpty() && !writeAtomic(req, requirements_->toPlainText(), &err))) {
    emit statusMessage("Not saved: " + err);
    return false;
  }
  project_.dir = target.toStdString();
  project_.dockerfilePath = df.toStdString();
  project_.dockerfileText = dockerfile_->toPlainText().toStdString();
  dockerfilePath_ = df;
  requirementsPath_ = req;
  isExample_ = false;
  dockerfile_->setModified(false);
  requirements_->setModified(false);
  rememberFolder(parent);
  addRecent(target);
  saveProjectSettings();  // the settings go with the saved copy
  emit projectChanged();
  emit modificationChanged();
  emit transientMessage("Saved the example to " + target, 5000);
  emit statusMessage("Saved the example to " + target);
  reanalyse(0);
  return true;
}

// ---- analysis -----------------------------------------------------------------

void ProjectDocument::setSettings(const AnalysisSettings& s) {
  if (s == settings_) return;
  settings_ = s;
  saveProjectSettings();
  emit settingsChanged();
  reanalyse(150);
}

void ProjectDocument::switchRuleOff(const std::string& ruleId) {
  ruleOverrides_[ruleId] = "off";
  emit settingsChanged();
  reanalyse(0);
}

void ProjectDocument::setBusy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  if (busy && analysis_) staleTimer_.start();
  else staleTimer_.stop();
  emit busyChanged(busy);
}

void ProjectDocument::setProblemsStale(bool stale) {
  if (stale == problemsStale_) return;
  problemsStale_ = stale;
  emit problemsStaleChanged(stale);
}

QString ProjectDocument::contextDir() const {
  if (analysis_ && !analysis_->context.root.empty()) return q(analysis_->context.root);
  return projectDir();
}

bool ProjectDocument::hasDockerignore() const {
  if (!hasProject()) return false;
  // docker reads CONTEXT/.dockerignore, or DOCKERFILE.dockerignore beside the Dockerfile.
  return QFileInfo(QDir(contextDir()).filePath(".dockerignore")).isFile() || QFileInfo(dockerfilePath_ + ".dockerignore").isFile();
}

// What the project line lists: the Dockerfile, the requirements (the file the analysis read, by its
// path from the project folder: ../requirements.txt), the lock files and the .dockerignore.
void ProjectDocument::scanProjectFiles() {
  projectFiles_.clear();
  if (!hasProject()) return;
  const QDir dir(q(project_.dir));
  projectFiles_ << QFileInfo(dockerfilePath_).fileName();
  QStringList reqs = dir.entryList({"requirements*.txt"}, QDir::Files, QDir::Name);
  reqs.sort();
  if (reqs.contains("requirements.txt")) reqs.move(reqs.indexOf("requirements.txt"), 0);
  if (!requirementsPath_.isEmpty()) {
    const QString rel = dir.relativeFilePath(requirementsPath_);
    reqs.removeAll(rel);
    reqs.prepend(rel);
  }
  projectFiles_ << reqs;
  for (const char* f : {"pyproject.toml", "uv.lock", "poetry.lock"})
    if (dir.exists(f) && !projectFiles_.contains(f)) projectFiles_ << f;
  const QString ignore = QDir(contextDir()).filePath(".dockerignore");
  if (QFileInfo(ignore).isFile()) projectFiles_ << dir.relativeFilePath(ignore);
}

// The requirements the analysis read, in the requirements tab: a Dockerfile in docker/ that copies
// ../requirements.txt (the folder's own search found none there), or requirements/base.txt named
// by pip install -r. Only while the tab holds no unsaved edits.
void ProjectDocument::followReadRequirements() {
  if (!analysis_ || requirements_->isModified()) return;
  const QDir ctx(contextDir());
  QString read;
  for (const auto& r : analysis_->requirementFiles) {
    // As the analysis looks for it: at its path in the context, else by its name at the root.
    const QString name = q(r);
    for (const QString& candidate : {ctx.filePath(name.startsWith('/') ? name.mid(1) : name), ctx.filePath(QFileInfo(name).fileName())})
      if (read.isEmpty() && QFileInfo(candidate).isFile()) read = QFileInfo(candidate).absoluteFilePath();
    if (!read.isEmpty()) break;
  }
  if (read.isEmpty() && analysis_->requirementFiles.empty() && requirementsPath_.isEmpty() && ctx.exists("pyproject.toml"))
    read = ctx.absoluteFilePath("pyproject.toml");
  const auto same = [](const QString& a, const QString& b) {
    return !a.isEmpty() && !b.isEmpty() && QFileInfo(a).canonicalFilePath() == QFileInfo(b).canonicalFilePath();
  };
  if (read.isEmpty() || same(read, requirementsPath_)) return;
  auto r = readTextFile(read.toStdString());
  if (!r) return;
  requirementsPath_ = read;
  loadText(requirements_, q(*r));
  checkRequirements();
  scanProjectFiles();
  emit filesChanged();
}

void ProjectDocument::reanalyse(int delayMs) {
  if (project_.dir.empty()) return;
  setBusy(true);
  debounce_.start(delayMs);
}

bool ProjectDocument::isAnalysing() const { return debounce_.isActive() || watcher_->isRunning() || pending_; }

void ProjectDocument::startAnalysis() {
  if (!knowledge_) {
    emit statusMessage(knowledgeError_);
    setBusy(false);
    return;
  }
  if (watcher_->isRunning()) {
    pending_ = true;  // one analysis at a time; the newest text wins
    return;
  }
  pending_ = false;
  runningGeneration_ = generation_;
  estimate::Project p = project_;
  p.dockerfileText = dockerfile_->toPlainText().toStdString();
  estimate::AnalysisOptions o = analysisOptions();
  auto k = knowledge_;
  watcher_->setFuture(QtConcurrent::run([k, p = std::move(p), o = std::move(o)]() -> AnalysisPtr {
    return std::make_shared<const estimate::Analysis>(estimate::analyze(p, *k, o));
  }));
}

void ProjectDocument::analysisFinished() {
  const bool current = runningGeneration_ == generation_;  // not an earlier project's
  if (current) analysis_ = watcher_->result();
  if (pending_ || debounce_.isActive()) {
    if (!debounce_.isActive()) startAnalysis();
  } else {
    setBusy(false);
  }
  if (!current) return;
  if (!busy_) setProblemsStale(false);
  followReadRequirements();
  {
    // The build context is now known: its .dockerignore.
    const QStringList before = projectFiles_;
    scanProjectFiles();
    if (projectFiles_ != before) emit filesChanged();
  }
  const int n = static_cast<int>(analysis_->variants.size());
  if (selectedVariant_ >= n) {
    selectedVariant_ = 0;
    selectedLayer_ = -1;
  }
  emit analysisChanged();
  emit problemsChanged();
}

bool ProjectDocument::waitForAnalysis(int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (isAnalysing() && t.elapsed() < timeoutMs) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  QCoreApplication::processEvents();
  return !isAnalysing();
}

void ProjectDocument::checkRequirements() {
  reqErrors_.clear();
  if (requirementsPath_.endsWith(".txt")) {
    python::ParseOptions o;
    o.followIncludes = false;  // live: only this file
    const std::string name = requirementsPath_.toStdString();
    auto r = python::parseRequirementsText(requirements_->toPlainText().toStdString(), name, o);
    for (const auto& d : r.errors)
      if (d.where.file == name || d.where.file.empty() || QFileInfo(q(d.where.file)).fileName() == QFileInfo(requirementsPath_).fileName())
        reqErrors_.push_back(d);
  }
  emit problemsChanged();
}

std::vector<Problem> ProjectDocument::problems() const {
  std::vector<Problem> out;
  if (!analysis_ || analysis_->variants.empty()) return out;
  const auto& v = analysis_->variants.front();
  // The message first; the location relative to the project folder (never the temporary path).
  auto add = [&](Problem::File file, Severity sev, const SourceLocation& where, const QString& text, const QString& tip) {
    out.push_back({file, sev, where, text, tip, relativeLocation(where)});
  };
  if (!projectSettingsError_.isEmpty())
    out.push_back({Problem::Dockerfile, Severity::Error, SourceLocation{},
                   "Project file (slimbench.toml) not applied: " + projectSettingsError_, {}, "slimbench.toml"});
  if (v.parseError) add(Problem::Dockerfile, Severity::Error, v.parseError->where, q(v.parseError->message), {});
  for (const auto& d : v.model.diagnostics) add(Problem::Dockerfile, d.severity, d.where, q(d.message), {});
  for (const auto& f : v.findings) {
    SourceLocation w = f.where;
    w.column = 0;
    add(Problem::Dockerfile, f.severity, w, QString("%1: %2 (%3)").arg(q(f.title), q(f.message), q(f.ruleId)), findingHtml(f));
  }
  for (const auto& d : reqErrors_) add(Problem::Requirements, Severity::Error, d.where, q(d.message), q(d.format()));
  return out;
}

// ---- selection ----------------------------------------------------------------

void ProjectDocument::select(int variant, int layer) {
  if (!analysis_ || variant < 0 || variant >= static_cast<int>(analysis_->variants.size())) return;
  if (variant == selectedVariant_ && layer == selectedLayer_) return;
  selectedVariant_ = variant;
  selectedLayer_ = layer;
  emit selectionChanged(variant, layer);
}

int ProjectDocument::variantIndex(const QString& id) const {
  if (!analysis_) return -1;
  for (int i = 0; i < static_cast<int>(analysis_->variants.size()); ++i)
    if (id == generate::variantId(analysis_->variants[static_cast<size_t>(i)].kind)) return i;
  return -1;
}

QString ProjectDocument::variantId(int variant) const {
  if (!analysis_ || variant < 0 || variant >= static_cast<int>(analysis_->variants.size())) return {};
  return generate::variantId(analysis_->variants[static_cast<size_t>(variant)].kind);
}

// ---- export -------------------------------------------------------------------

bool ProjectDocument::exportDockerfile(const QString& variantId, const QString& path, bool withDockerignore) {
  const int v = variantIndex(variantId);
  if (v < 0) {
    emit statusMessage("Nothing to export: no analysis yet.");
    return false;
  }
  const auto& var = analysis_->variants[static_cast<size_t>(v)];
  if (var.parseError) {
    emit statusMessage("Not exported: the variant does not parse: " + q(var.parseError->format()));
    return false;
  }
  auto writeChecked = [this](const QString& p, const QString& text) {
    if (QFileInfo::exists(p) && ask(QString("%1 exists. Replace it?").arg(p), QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes) {
      emit statusMessage("Not exported: " + p + " exists and was kept.");
      return false;
    }
    QString err;
    if (!writeAtomic(p, text, &err)) {
      emit statusMessage("Not exported: " + err);
      return false;
    }
    return true;
  };
  if (!writeChecked(path, q(var.dockerfile))) return false;
  rememberFolder(QFileInfo(path).absolutePath());
  QString msg = QString("Exported %1 to %2").arg(generate::variantTitle(var.kind), path);
  if (withDockerignore) {
    const QString ig = QFileInfo(path).absoluteDir().filePath(".dockerignore");
    if (writeChecked(ig, q(generate::defaultDockerignore()))) {
      msg += " with .dockerignore";
      scanProjectFiles();
      emit filesChanged();
      // Written into the build context: the context the estimate measured has changed.
      if (QFileInfo(ig).absolutePath() == QFileInfo(contextDir()).absoluteFilePath()) {
        msg += " (the build context changed: re-analysing)";
        reanalyse(0);
      }
    }
  }
  emit statusMessage(msg);
  return true;
}

}  // namespace slimbench::ui
