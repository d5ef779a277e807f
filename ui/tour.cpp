#include "tour.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "generate/variants.h"

static void initTourResources() { Q_INIT_RESOURCE(slimbench); }

namespace slimbench::ui {

namespace {

// The line where each value of a JSON text starts, by path ("steps[2].variant"), for messages
// about a file that parsed but says something else than expected. Only called on valid JSON.
class Locator {
 public:
  explicit Locator(const QByteArray& t) : t_(t) {}
  QHash<QString, int> run() {
    skip();
    value(QString());
    return lines_;
  }

 private:
  void skip() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\r' || t_[p_] == '\n')) {
      if (t_[p_] == '\n') ++line_;
      ++p_;
    }
  }
  QString string() {  // at the opening quote
    QByteArray s;
    ++p_;
    while (p_ < t_.size() && t_[p_] != '"') {
      if (t_[p_] == '\\' && p_ + 1 < t_.size()) s += t_[p_++];
      s += t_[p_++];
    }
    ++p_;
    return QString::fromUtf8(s);
  }
  void value(const QString& path) {
    skip();
    if (p_ >= t_.size()) return;
    lines_.insert(path, line_);
    const char c = t_[p_];
    if (c == '{') {
      ++p_;
      skip();
      while (p_ < t_.size() && t_[p_] != '}') {
        if (t_[p_] == ',') {
          ++p_;
          skip();
          continue;
        }
        const int keyLine = line_;
        const QString key = string();
        skip();
        ++p_;  // ':'
        const QString sub = path.isEmpty() ? key : path + "." + key;
        value(sub);
        if (lines_.value(sub, keyLine) != keyLine) lines_.insert(sub, keyLine);  // the key's line
        skip();
      }
      ++p_;
    } else if (c == '[') {
      ++p_;
      skip();
      int i = 0;
      while (p_ < t_.size() && t_[p_] != ']') {
        if (t_[p_] == ',') {
          ++p_;
          skip();
          continue;
        }
        value(QString("%1[%2]").arg(path).arg(i++));
        skip();
      }
      ++p_;
    } else if (c == '"') {
      string();
    } else {
      while (p_ < t_.size() && !QByteArray(",]} \t\r\n").contains(t_[p_])) ++p_;
    }
  }
  const QByteArray& t_;
  int p_ = 0, line_ = 1;
  QHash<QString, int> lines_;
};

QString variantList() {
  QStringList ids;
  for (auto k : generate::allVariants()) ids << generate::variantId(k);
  return ids.join(", ");
}

QString typeName(const QJsonValue& v) {
  switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "true/false";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    default: return "nothing";
  }
}

// A thrown reason: the JSON path of what is wrong, and what was expected there.
struct Bad {
  QString path, message;
};

struct Reader {
  QString baseDir;
  QStringList examples;

  static QString str(const QJsonObject& o, const QString& key, const QString& path, bool required) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
      if (required) throw Bad{path, QString("expected a \"%1\" (a string)").arg(key)};
      return {};
    }
    if (!v.isString()) throw Bad{join(path, key), "expected a string, got " + typeName(v)};
    if (required && v.toString().trimmed().isEmpty()) throw Bad{join(path, key), "expected a non-empty string"};
    return v.toString();
  }
  static QString join(const QString& path, const QString& key) { return path.isEmpty() ? key : path + "." + key; }
  // A string, or an array of strings (lines or paragraphs).
  static QStringList lines(const QJsonValue& v, const QString& path) {
    if (v.isString()) return {v.toString()};
    if (!v.isArray()) throw Bad{path, "expected a string or an array of strings, got " + typeName(v)};
    QStringList out;
    const QJsonArray a = v.toArray();
    for (int i = 0; i < a.size(); ++i) {
      if (!a[i].isString()) throw Bad{QString("%1[%2]").arg(path).arg(i), "expected a string, got " + typeName(a[i])};
      out << a[i].toString();
    }
    return out;
  }
  static void onlyKeys(const QJsonObject& o, const QString& path, const QStringList& known) {
    for (const QString& k : o.keys())
      if (!known.contains(k)) throw Bad{join(path, k), QString("unknown key \"%1\" (expected one of: %2)").arg(k, known.join(", "))};
  }
  void where(const QJsonObject& o, const QString& path, QString& example, QString& project) const {
    example = str(o, "example", path, false);
    project = str(o, "project", path, false);
    if (!example.isEmpty() && !project.isEmpty())
      throw Bad{join(path, "project"), "expected either \"example\" or \"project\", not both"};
    if (!example.isEmpty() && !examples.isEmpty() && !examples.contains(example))
      throw Bad{join(path, "example"), QString("expected a bundled example (%1), got \"%2\"").arg(examples.join(", "), example)};
    if (!project.isEmpty()) {
      const QString dir = QDir(baseDir).absoluteFilePath(project);
      if (!QFileInfo(dir).isDir()) throw Bad{join(path, "project"), QString("expected a project folder, \"%1\" is not one").arg(dir)};
      project = QDir::cleanPath(dir);
    }
  }

  TourStep step(const QJsonValue& v, const QString& path) const {
    if (!v.isObject()) throw Bad{path, "expected a step object, got " + typeName(v)};
    const QJsonObject o = v.toObject();
    onlyKeys(o, path, {"id", "title", "text", "sources", "variant", "example", "project", "dockerfile", "wheelsBeforeMusllinux", "diff",
                       "focus", "finding"});
    TourStep s;
    s.id = str(o, "id", path, true);
    s.title = str(o, "title", path, true);
    if (!o.contains("text")) throw Bad{path, "expected a \"text\" (a string, or an array of paragraphs)"};
    s.paragraphs = lines(o.value("text"), join(path, "text"));
    s.variant = str(o, "variant", path, true);
    generate::VariantKind kind{};
    if (!generate::variantFromId(s.variant.toStdString(), kind))
      throw Bad{join(path, "variant"), QString("expected one of %1, got \"%2\"").arg(variantList(), s.variant)};
    where(o, path, s.example, s.project);
    if (o.contains("dockerfile")) {
      s.hasDockerfile = true;
      s.dockerfile = lines(o.value("dockerfile"), join(path, "dockerfile")).join('\n');
      if (!s.dockerfile.endsWith('\n')) s.dockerfile += '\n';
      if (s.dockerfile.trimmed().isEmpty()) throw Bad{join(path, "dockerfile"), "expected the text of a Dockerfile, got an empty one"};
    }
    if (o.contains("wheelsBeforeMusllinux")) {
      if (!o.value("wheelsBeforeMusllinux").isBool())
        throw Bad{join(path, "wheelsBeforeMusllinux"), "expected true or false, got " + typeName(o.value("wheelsBeforeMusllinux"))};
      s.wheelsBeforeMusllinux = o.value("wheelsBeforeMusllinux").toBool();
    }
    s.diff = str(o, "diff", path, false);
    if (!s.diff.isEmpty() && s.diff != "previous" && !generate::variantFromId(s.diff.toStdString(), kind))
      throw Bad{join(path, "diff"), QString("expected \"previous\" or one of %1, got \"%2\"").arg(variantList(), s.diff)};
    if (o.contains("focus")) s.focus = lines(o.value("focus"), join(path, "focus"));
    s.finding = str(o, "finding", path, false);
    if (!s.finding.isEmpty() && !(s.finding.size() >= 3 && s.finding.startsWith("SB")))
      throw Bad{join(path, "finding"), QString("expected a finding id such as SB106, got \"%1\"").arg(s.finding)};
    const QJsonValue src = o.value("sources");
    if (!src.isArray() || src.toArray().isEmpty())
      throw Bad{src.isUndefined() ? path : join(path, "sources"),
                "expected \"sources\": an array of {\"title\", \"url\"} (every explanation names where it comes from)"};
    const QJsonArray sa = src.toArray();
    for (int i = 0; i < sa.size(); ++i) {
      const QString sp = QString("%1.sources[%2]").arg(path).arg(i);
      if (!sa[i].isObject()) throw Bad{sp, "expected an object {\"title\", \"url\"}, got " + typeName(sa[i])};
      const QJsonObject so = sa[i].toObject();
      onlyKeys(so, sp, {"title", "url"});
      s.sources.push_back({str(so, "title", sp, true), str(so, "url", sp, false)});
    }
    return s;
  }
};

}  // namespace

bool parseTour(const QByteArray& json, const QString& name, const QString& baseDir, const QStringList& examples, Tour& out,
               QString& error) {
  QJsonParseError pe;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
  if (pe.error != QJsonParseError::NoError) {
    // The offset is in bytes; the line and column are counted in them.
    const int at = qBound(0, pe.offset, static_cast<int>(json.size()));
    const QByteArray head = json.left(at);
    const int line = static_cast<int>(head.count('\n')) + 1;
    const int column = at - static_cast<int>(head.lastIndexOf('\n'));
    error = QString("%1:%2:%3: not valid JSON: %4").arg(name).arg(line).arg(column).arg(pe.errorString());
    return false;
  }
  Reader r{baseDir, examples};
  Tour t;
  t.file = name;
  try {
    if (!doc.isObject()) throw Bad{QString(), "expected an object with \"slimbenchTour\": 1, \"title\" and \"steps\""};
    const QJsonObject o = doc.object();
    Reader::onlyKeys(o, QString(), {"slimbenchTour", "title", "about", "example", "project", "steps"});
    const QJsonValue ver = o.value("slimbenchTour");
    if (!ver.isDouble() || ver.toDouble() != 1)
      throw Bad{ver.isUndefined() ? QString() : QString("slimbenchTour"),
                ver.isUndefined() ? QString("expected \"slimbenchTour\": 1 (the format version)")
                                  : "expected the format version 1, got " + (ver.isDouble() ? QString::number(ver.toDouble()) : typeName(ver))};
    t.title = Reader::str(o, "title", QString(), true);
    t.about = Reader::str(o, "about", QString(), false);
    r.where(o, QString(), t.example, t.project);
    const QJsonValue steps = o.value("steps");
    if (!steps.isArray() || steps.toArray().isEmpty())
      throw Bad{steps.isUndefined() ? QString() : QString("steps"), "expected \"steps\": a non-empty array of step objects"};
    QSet<QString> ids;
    const QJsonArray sa = steps.toArray();
    for (int i = 0; i < sa.size(); ++i) {
      const QString path = QString("steps[%1]").arg(i);
      TourStep s = r.step(sa[i], path);
      if (ids.contains(s.id)) throw Bad{path + ".id", QString("expected a unique id, \"%1\" is used by an earlier step").arg(s.id)};
      ids.insert(s.id);
      if (i == 0 && s.example.isEmpty() && s.project.isEmpty() && t.example.isEmpty() && t.project.isEmpty())
        throw Bad{path, "expected an \"example\" or \"project\" here or at the top: the first step needs a project to open"};
      if (i == 0 && s.diff == "previous") throw Bad{path + ".diff", "expected a variant id: the first step has no previous step"};
      t.steps.push_back(std::move(s));
    }
  } catch (const Bad& b) {
    // The line of the innermost part of the path that the file has.
    const auto lines = Locator(json).run();
    QString p = b.path;
    int line = 0;
    while (true) {
      if (lines.contains(p)) {
        line = lines.value(p);
        break;
      }
      const int cut = static_cast<int>(std::max(p.lastIndexOf('.'), p.lastIndexOf('[')));
      if (cut <= 0) break;
      p = p.left(cut);
    }
    // Name the step by its id too: "steps[2] (\"alpine\")".
    QString where = b.path;
    const int close = static_cast<int>(where.indexOf(']'));
    if (where.startsWith("steps[") && close > 0) {
      const int index = where.mid(6, close - 6).toInt();
      const QJsonArray sa = doc.object().value("steps").toArray();
      const QString id = index < sa.size() ? sa[index].toObject().value("id").toString() : QString();
      if (!id.isEmpty()) where.insert(close + 1, QString(" (\"%1\")").arg(id));
    }
    error = QString("%1%2: %3%4").arg(name, line > 0 ? QString(":%1").arg(line) : QString(), where.isEmpty() ? QString() : where + ": ",
                                      b.message);
    return false;
  }
  out = std::move(t);
  return true;
}

bool loadTour(const QString& path, const QStringList& examples, Tour& out, QString& error) {
  initTourResources();
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    error = QString("%1: cannot be read (%2); expected a tour file (JSON, see docs/workshop.md, \"Writing a tour\")").arg(path, f.errorString());
    return false;
  }
  const QByteArray data = f.readAll();
  const QString base = path.startsWith(":/") ? QString() : QFileInfo(path).absolutePath();
  return parseTour(data, path.startsWith(":/") ? path.mid(2) : path, base, examples, out, error);
}

QStringList bundledTours() {
  initTourResources();
  QStringList out;
  for (const QString& f : QDir(":/tours").entryList({"*.json"}, QDir::Files, QDir::Name)) out << ":/tours/" + f;
  return out;
}

QString defaultTourPath() { return ":/tours/python-image-diet.json"; }

}  // namespace slimbench::ui
