#include "dockerfile/model.h"
#include "dockerfile/instructions.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <set>
#include <sstream>
#include <string_view>

#include "dockerfile/shell.h"
#include "dockerfile/text.h"

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::dockerfile {

namespace {
struct KindName {
  Kind kind;
  const char* name;
};
const KindName kKinds[] = {
    {Kind::From, "FROM"},         {Kind::Run, "RUN"},           {Kind::Cmd, "CMD"},
    {Kind::Entrypoint, "ENTRYPOINT"}, {Kind::Copy, "COPY"},     {Kind::Add, "ADD"},
    {Kind::Env, "ENV"},           {Kind::Arg, "ARG"},           {Kind::Label, "LABEL"},
    {Kind::Expose, "EXPOSE"},     {Kind::Volume, "VOLUME"},     {Kind::User, "USER"},
    {Kind::Workdir, "WORKDIR"},   {Kind::Shell, "SHELL"},       {Kind::StopSignal, "STOPSIGNAL"},
    {Kind::Healthcheck, "HEALTHCHECK"}, {Kind::Onbuild, "ONBUILD"}, {Kind::Maintainer, "MAINTAINER"},
};

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}
}  // namespace

const char* kindName(Kind k) {
  for (const auto& kn : kKinds)
    if (kn.kind == k) return kn.name;
  return "UNKNOWN";
}

Kind kindOf(const std::string& keyword) {
  // By length first, then the one or two keywords of that length (asked several times for every
  // instruction: comparing against all eighteen was a few percent of modelling under the fuzzer).
  const std::size_t n = keyword.size();
  if (n < 3 || n > 11) return Kind::Unknown;  // RUN/ENV/ARG/ADD .. HEALTHCHECK
  auto is = [&](const char* name) {
    for (std::size_t i = 0; i < n; ++i) {
      const char ch = keyword[i];
      if ((ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch) != name[i]) return false;
    }
    return true;
  };
  switch (n) {
    case 3:
      if (is("RUN")) return Kind::Run;
      if (is("ENV")) return Kind::Env;
      if (is("ARG")) return Kind::Arg;
      if (is("ADD")) return Kind::Add;
      if (is("CMD")) return Kind::Cmd;
      return Kind::Unknown;
    case 4:
      if (is("FROM")) return Kind::From;
      if (is("COPY")) return Kind::Copy;
      if (is("USER")) return Kind::User;
      return Kind::Unknown;
    case 5:
      if (is("LABEL")) return Kind::Label;
      if (is("SHELL")) return Kind::Shell;
      return Kind::Unknown;
    case 6:
      if (is("EXPOSE")) return Kind::Expose;
      if (is("VOLUME")) return Kind::Volume;
      return Kind::Unknown;
    case 7:
      if (is("WORKDIR")) return Kind::Workdir;
      if (is("ONBUILD")) return Kind::Onbuild;
      return Kind::Unknown;
    case 10:
      if (is("ENTRYPOINT")) return Kind::Entrypoint;
      if (is("STOPSIGNAL")) return Kind::StopSignal;
      if (is("MAINTAINER")) return Kind::Maintainer;
      return Kind::Unknown;
    case 11:
      return is("HEALTHCHECK") ? Kind::Healthcheck : Kind::Unknown;
    default:
      return Kind::Unknown;
  }
}

int Model::findStage(const std::string& ref, int before) const {
  if (allDigits(ref)) {
    if (ref.size() > 6) return -1;
    int n = std::stoi(ref);
    return n < before && n < static_cast<int>(stages.size()) ? n : -1;
  }
  const std::string l = toLowerAscii(ref);
  for (int i = std::min(before, static_cast<int>(stages.size())) - 1; i >= 0; --i)
    if (!stages[i].name.empty() && stages[i].name == l) return i;
  return -1;
}

std::string Model::stageList() const {
  std::string out;
  for (const auto& st : stages) {
    if (!out.empty()) out += ", ";
    out += (st.name.empty() ? "stage " + std::to_string(st.index) + " (unnamed)" : st.name) + " (line " + std::to_string(st.line) + ")";
  }
  return out.empty() ? std::string("none") : out;
}

std::string unknownTargetMessage(const Model& m, const std::string& target) {
  return "target stage \"" + target + "\" not found: the stages are " + m.stageList() +
         " (--target names a stage by its FROM ... AS NAME)";
}

std::string exampleArgValue(const std::string& name) {
  const std::string u = upper(name);
  if (u.find("PY") != std::string::npos) return "3.12";
  if (u.find("DEBIAN") != std::string::npos || u.find("DISTRO") != std::string::npos || u.find("SUITE") != std::string::npos)
    return "bookworm";
  if (u.find("ALPINE") != std::string::npos) return "3.20";
  return "VALUE";
}

namespace {

// The variables a word names with $NAME / ${NAME} (also ${NAME:?err}), not those with a default
// or alternative (${NAME:-x}, ${NAME-x}, ${NAME:+x}, ${NAME+x}).
std::vector<std::string> varsWithoutDefault(const std::string& w, char escape) {
  std::vector<std::string> out;
  auto isName = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == escape && i + 1 < w.size()) {
      ++i;
      continue;
    }
    if (w[i] != '$' || i + 1 >= w.size()) continue;
    std::size_t j = i + 1;
    const bool braced = w[j] == '{';
    if (braced) ++j;
    std::size_t start = j;
    while (j < w.size() && isName(w[j])) ++j;
    if (j == start) continue;
    std::string name = w.substr(start, j - start);
    if (braced && j < w.size() && w[j] != '}') {
      const char m = w[j] == ':' && j + 1 < w.size() ? w[j + 1] : w[j];
      if (m == '-' || m == '+') continue;  // a default or an alternative: never the bare empty value
    }
    out.push_back(std::move(name));
    i = j - 1;
  }
  return out;
}

// Whether an image reference after expansion can be pulled at all: a name, and a tag that starts
// with a letter, digit or '_' (python:-slim, python: and an empty name cannot).
bool plausibleImageRef(const std::string& ref) {
  std::string r = ref.substr(0, ref.find('@'));
  if (r.empty() || r.front() == '/' || r.front() == ':' || r.back() == '/' || r.find("//") != std::string::npos) return false;
  const std::size_t colon = r.rfind(':');
  if (colon != std::string::npos && (r.find('/', colon) == std::string::npos)) {
    const std::string tag = r.substr(colon + 1);
    if (tag.empty() || !(std::isalnum(static_cast<unsigned char>(tag[0])) || tag[0] == '_')) return false;
    if (colon == 0) return false;
  }
  return true;
}

// A RUN's text as written: the shell form's text, or the exec form's words joined.
std::string runText(const Instruction& in) {
  if (!in.json) return in.args.empty() ? std::string() : in.args[0];
  std::string t;
  for (std::size_t i = 0; i < in.args.size(); ++i) {
    if (i) t += ' ';
    t += in.args[i];
  }
  return t;
}

struct Builder {
  Builder(Model& mm, const std::map<std::string, std::string>& ba, ModelCache* mc) : m(mm), buildArgs(ba), cache(mc) {}
  char escape = '\\';  // the Dockerfile's escape character
  Model& m;
  const std::map<std::string, std::string>& buildArgs;
  ModelCache* cache;
  std::map<std::string, std::string> globals;  // declared global ARGs with their effective values
  std::set<std::string> globalsDeclared;
  std::map<std::string, int> globalArgLine;  // where each global ARG is first declared

  Diagnostic diag(Severity s, const Instruction& in, std::string msg) {
    Diagnostic d;
    d.severity = s;
    d.where.file = m.file;
    d.where.line = in.startLine;
    d.where.endLine = in.endLine;
    d.message = std::move(msg);
    return d;
  }

  // Automatic platform ARGs BuildKit defines in the global scope.
  static std::optional<std::string> automatic(const std::string& n) {
    static const std::map<std::string, std::string> a = {
        {"TARGETPLATFORM", "linux/amd64"}, {"TARGETOS", "linux"}, {"TARGETARCH", "amd64"}, {"TARGETVARIANT", ""},
        {"BUILDPLATFORM", "linux/amd64"},  {"BUILDOS", "linux"},  {"BUILDARCH", "amd64"},  {"BUILDVARIANT", ""}};
    auto it = a.find(n);
    if (it == a.end()) return std::nullopt;
    return it->second;
  }

  std::set<std::string> declared;  // every ARG name the Dockerfile declares (so far, when streaming)
  bool inImageStage = false;       // current stage is FROM an external image (its config may set ENV)
  // Streaming (parseModel): instructions come one at a time, so `declared` holds only the ARGs
  // seen so far. The names an expansion kept as written because they were not declared yet: if a
  // later ARG declares one, the model is built again from the whole tree.
  bool streaming = false;
  std::set<std::string> keptUndeclared;

  std::string expandWord(const std::string& s, const Lookup& lk, const Instruction& in) {
    std::function<bool(const std::string&)> keep;
    if (inImageStage)
      keep = [this](const std::string& n) {
        if (declared.count(n)) return false;
        if (streaming) keptUndeclared.insert(n);
        return true;
      };
    auto r = expand(s, lk, escape, keep);
    if (!r.error.empty()) m.diagnostics.push_back(diag(Severity::Error, in, r.error + " in: " + s));
    return r.word;
  }

  std::vector<KeyValue> argWords(const Instruction& in, const Lookup& lk) {
    std::vector<KeyValue> out;
    for (const auto& w : in.args) {
      KeyValue kv;
      auto eq = w.find('=');
      if (eq == std::string::npos) {
        kv.key = w;
        kv.hasValue = false;
      } else {
        kv.key = w.substr(0, eq);
        kv.value = expandWord(w.substr(eq + 1), lk, in);
      }
      out.push_back(std::move(kv));
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> flagList;
  std::map<std::string, std::string> parseFlags(const Instruction& in, const Lookup* lk, std::vector<std::string>* mounts) {
    std::map<std::string, std::string> f;
    flagList.clear();
    for (const auto& raw : in.flags) {
      const std::string_view s = std::string_view(raw).substr(std::min<std::size_t>(2, raw.size()));
      const auto eq = s.find('=');
      std::string name(eq == std::string_view::npos ? s : s.substr(0, eq));
      std::string val = eq == std::string_view::npos ? std::string("true") : std::string(s.substr(eq + 1));
      if (lk) val = expandWord(val, *lk, in);
      if (name == "mount"sv && mounts) mounts->push_back(val);
      flagList.emplace_back(name, val);
      f[std::move(name)] = std::move(val);
    }
    return f;
  }

  void declare(const Instruction& in) {
    if (kindOf(in.keyword) == Kind::Arg)
      for (const auto& w : in.args) declared.insert(w.substr(0, w.find('=')));
  }

  // A name an expansion kept as undeclared that a later ARG declared: the streamed model differs
  // from the one built from the whole tree.
  bool declaredTooLate() const {
    for (const auto& n : keptUndeclared)
      if (declared.count(n)) return true;
    return false;
  }

  // Per-stage state while instructions are added in order.
  Stage* cur = nullptr;
  std::map<std::string, std::string> stageArgs;  // ARGs declared in the current stage
  std::map<std::string, std::string> env;
  Lookup lk = [this](const std::string& n) -> std::optional<std::string> {
    if (auto it = env.find(n); it != env.end()) return it->second;
    if (auto it = stageArgs.find(n); it != stageArgs.end()) return it->second;
    return std::nullopt;
  };
  Lookup globalLookup = [this](const std::string& n) -> std::optional<std::string> {
    if (auto it = globals.find(n); it != globals.end()) return it->second;
    return automatic(n);
  };
  // The stage's env is stored once when the stage ends (not copied per step: that was
  // quadratic); only stages with a non-FROM/ARG step get it, as before.
  bool envDirty = false;
  void flushEnv() {
    if (cur && envDirty) cur->env = env;
    envDirty = false;
  }
  int added = 0;           // instructions added so far (a step's index)
  std::size_t cursor = 0;  // where the last shared content was found in the cache (ModelCache::findStep)

  void run(const SyntaxTree& tree) {
    escape = tree.escapeToken;
    for (const auto& in : tree.instructions) declare(in);
    for (const auto& in : tree.instructions) add(in);
    finish();
  }

  void finish() {
    flushEnv();
    if (m.stages.empty()) {
      Diagnostic d;
      d.where.file = m.file;
      d.where.line = 1;
      d.message = "no FROM instruction: a Dockerfile must start a stage with FROM IMAGE";
      m.diagnostics.push_back(d);
    }
  }

  void add(const Instruction& in) {
    const std::size_t idx = static_cast<std::size_t>(added++);
    {
      const Kind k = kindOf(in.keyword);
      if (k == Kind::Unknown) {
        m.diagnostics.push_back(diag(Severity::Error, in,
                                     "unknown instruction: " + upper(in.keyword) +
                                         " (expected FROM, RUN, COPY, ADD, ENV, ARG, CMD, ENTRYPOINT, WORKDIR, USER, "
                                         "LABEL, EXPOSE, VOLUME, SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD)"));
        return;
      }
      // What docker build rejects in the instruction's flags and arguments (BuildKit's instructions package).
      if (auto why = buildkitRejects(in)) m.diagnostics.push_back(diag(Severity::Error, in, *why));
      if (k == Kind::From) {
        flushEnv();
        Stage st;
        st.index = static_cast<int>(m.stages.size());
        st.line = in.startLine;
        auto flags = parseFlags(in, &globalLookup, nullptr);
        if (auto it = flags.find("platform"); it != flags.end()) st.platform = it->second;
        if (in.args.empty()) {
          m.diagnostics.push_back(diag(Severity::Error, in, "FROM requires an image name (expected FROM IMAGE [AS NAME])"));
        } else {
          st.baseImage = expandWordGlobal(in.args[0], in);
          // An ARG declared without a default and not given decides the base: say which, and how.
          for (const auto& name : varsWithoutDefault(in.args[0], escape))
            if (globalsDeclared.count(name) && !globals.count(name) &&
                std::find(st.unsetBaseArgs.begin(), st.unsetBaseArgs.end(), name) == st.unsetBaseArgs.end())
              st.unsetBaseArgs.push_back(name);
          if (!st.unsetBaseArgs.empty()) {
            std::string names, fixes;
            for (const auto& n : st.unsetBaseArgs) {
              const auto at = globalArgLine.find(n);
              names += (names.empty() ? "" : ", ") + ("ARG " + n) +
                       (at != globalArgLine.end() ? " (line " + std::to_string(at->second) + ")" : std::string());
              fixes += (fixes.empty() ? "" : " ") + ("--build-arg " + n + "=" + exampleArgValue(n));
            }
            const bool one = st.unsetBaseArgs.size() == 1;
            const bool pullable = plausibleImageRef(st.baseImage);
            m.diagnostics.push_back(diag(pullable ? Severity::Warning : Severity::Error, in,
                                         "the base image " + in.args[0] + " depends on " + names + ", which " +
                                             (one ? "has" : "have") + " no default and no value was given, so the base is \"" +
                                             st.baseImage + "\"" + (pullable ? "" : " (not an image docker can pull)") +
                                             ": give " + (one ? "it" : "them") + " with " + fixes +
                                             " (in the window: the Build args field)"));
          }
          if (in.args.size() == 3 && toLowerAscii(in.args[1]) == "as"sv) {
            st.name = toLowerAscii(in.args[2]);
            bool valid = !st.name.empty() && std::isalpha(static_cast<unsigned char>(st.name[0]));
            for (char c : st.name)
              valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
            if (!valid)
              m.diagnostics.push_back(diag(Severity::Error, in, "invalid name for build stage: \"" + in.args[2] +
                                                                    "\", name can't start with a number or contain symbols"));
            if (m.findStage(st.name, st.index) >= 0)
              m.diagnostics.push_back(diag(Severity::Error, in, "duplicate stage name \"" + in.args[2] + "\""));
          } else if (in.args.size() != 1) {
            m.diagnostics.push_back(diag(Severity::Error, in, "FROM takes IMAGE [AS NAME]; got " + std::to_string(in.args.size()) + " arguments"));
          }
        }
        st.baseStage = st.baseImage.empty() ? -1 : m.findStage(st.baseImage, st.index);
        if (st.baseStage >= 0 && !allDigits(st.baseImage)) {
          st.dependsOn.push_back(st.baseStage);
          env = m.stages[st.baseStage].env;
        } else {
          st.baseStage = -1;
          env.clear();
        }
        stageArgs.clear();
        inImageStage = st.baseStage < 0 && st.baseImage != "scratch"sv;
        Step s = makeStep(in, k, static_cast<int>(idx));
        s.content = baseContent(in);
        s.content->args = {st.baseImage};
        if (!flags.empty()) s.content->flags = std::make_unique<const std::map<std::string, std::string>>(std::move(flags));
        s.content->flagList = flagList;
        st.steps.push_back(std::move(s));
        m.stages.push_back(std::move(st));
        cur = &m.stages.back();
        return;
      }
      if (k == Kind::Arg) {
        if (!cur) {
          for (auto& kv : argWords(in, globalLookup)) {
            auto ba = buildArgs.find(kv.key);
            std::string v = ba != buildArgs.end() ? ba->second : kv.value;
            if (ba != buildArgs.end() || kv.hasValue) globals[kv.key] = v;
            globalsDeclared.insert(kv.key);
            globalArgLine.emplace(kv.key, in.startLine);
            m.globalArgs.push_back(kv);
          }
          return;
        }
        Step s = makeStep(in, k, static_cast<int>(idx));
        s.content = content(in, k, lk);
        for (const auto& kv : s.keyValues()) {
          if (auto ba = buildArgs.find(kv.key); ba != buildArgs.end()) stageArgs[kv.key] = ba->second;
          else if (!kv.hasValue && globals.count(kv.key)) stageArgs[kv.key] = globals[kv.key];
          else if (!kv.hasValue && automatic(kv.key)) stageArgs[kv.key] = *automatic(kv.key);
          else if (kv.hasValue) stageArgs[kv.key] = kv.value;
        }
        cur->steps.push_back(std::move(s));
        return;
      }
      if (!cur) {
        m.diagnostics.push_back(diag(Severity::Error, in,
                                     upper(in.keyword) + " before the first FROM: only ARG may come before FROM"));
        return;
      }
      Step s = makeStep(in, k, static_cast<int>(idx));
      s.content = content(in, k, lk);
      // What depends on where the step stands: the stage's ENV, the stages it reads.
      switch (k) {
        case Kind::Env:
          for (const auto& kv : s.keyValues()) env[kv.key] = kv.value;
          break;
        case Kind::Run:
          for (const auto& mt : s.mounts()) {
            auto it = mt.fields.find("from");
            if (it != mt.fields.end()) {
              int st = m.findStage(it->second, cur->index);
              if (st >= 0) cur->dependsOn.push_back(st);
            }
          }
          break;
        case Kind::Copy:
        case Kind::Add:
          if (auto it = s.flags().find("from"); it != s.flags().end()) {
            s.copyFromStage = m.findStage(it->second, cur->index);
            if (!cur->name.empty() && toLowerAscii(it->second) == cur->name)
              m.diagnostics.push_back(diag(Severity::Error, in, "COPY --from=" + it->second +
                                                                    " refers to the current stage: a stage can only copy from stages defined before it"));
            if (s.copyFromStage >= 0) cur->dependsOn.push_back(s.copyFromStage);
            else if (allDigits(it->second))
              m.diagnostics.push_back(diag(Severity::Error, in, "COPY --from=" + it->second + " refers to a stage that does not exist before this one"));
          }
          break;
        default:
          break;
      }
      cur->steps.push_back(std::move(s));
      envDirty = true;
    }
  }

  std::string expandWordGlobal(const std::string& w, const Instruction& in) {
    Lookup lk = [&](const std::string& n) -> std::optional<std::string> {
      if (auto it = globals.find(n); it != globals.end()) return it->second;
      return automatic(n);
    };
    return expandWord(w, lk, in);
  }

  Step makeStep(const Instruction& in, Kind k, int idx) {
    Step s;
    s.kind = k;
    s.index = idx;
    s.startLine = in.startLine;
    s.endLine = in.endLine;
    s.createsLayer = k == Kind::Run || k == Kind::Copy || k == Kind::Add;
    return s;
  }

  // The instruction being added when its caller gives it up (parseModel: each is dropped once
  // modelled): its text and arguments are moved into the content instead of copied. Nothing reads
  // them from the instruction afterwards.
  Instruction* owned = nullptr;
  std::string takeOriginal(const Instruction& in) {
    if (owned == &in) return std::move(owned->original);
    return in.original;
  }
  std::vector<std::string> takeArgs(const Instruction& in) {
    if (owned == &in) return std::move(owned->args);
    return in.args;
  }

  std::shared_ptr<StepContent> baseContent(const Instruction& in) {
    auto c = std::make_shared<StepContent>();
    c->original = takeOriginal(in);
    c->json = in.json;
    c->heredocs = in.heredocs;
    return c;
  }

  // Whether the instruction's content is the same wherever it stands: nothing in it is expanded
  // (BuildKit expands the arguments of ENV, LABEL, ARG, COPY, ADD, EXPOSE, VOLUME, USER, WORKDIR,
  // STOPSIGNAL and the flags of RUN, COPY and ADD). Heredoc bodies are not part of the text kept as
  // the key, so instructions with heredocs are not shared.
  bool shareable(const Instruction& in, Kind k) const {
    if (!cache || !in.heredocs.empty() || escape != '\\') return false;
    switch (k) {
      case Kind::Run:
        return std::none_of(in.flags.begin(), in.flags.end(), [](const std::string& f) { return f.find('$') != std::string::npos; });
      case Kind::Cmd:
      case Kind::Entrypoint:
      case Kind::Shell:
      case Kind::Healthcheck:
      case Kind::Onbuild:
      case Kind::Maintainer:
        return true;
      default:
        return in.original.find('$') == std::string::npos;
    }
  }

  // What a (non-FROM) instruction says: made here, or the content another model made for the same
  // text when it expands to the same wherever it stands.
  std::shared_ptr<StepContent> content(const Instruction& in, Kind k, const Lookup& lk) {
    const bool share = shareable(in, k);
    if (share)
      if (auto made = cache->findStep(in.original, cursor)) return made;
    const std::size_t diagnosticsBefore = m.diagnostics.size();
    auto c = baseContent(in);
    StepContent& s = *c;
    if (k == Kind::Arg) {
      s.keyValues = argWords(in, lk);
    } else {
      std::vector<std::string> mounts;
      const bool expandsFlags = k == Kind::Copy || k == Kind::Add || k == Kind::Run;
      auto flags = parseFlags(in, expandsFlags ? &lk : nullptr, &mounts);
      if (!flags.empty()) s.flags = std::make_unique<const std::map<std::string, std::string>>(std::move(flags));
      s.flagList = flagList;
      switch (k) {
        case Kind::Env:
        case Kind::Label:
          // Every word is expanded with the ENV before the instruction (BuildKit: `ENV abc=bye
          // def=$abc` gives def the earlier abc).
          for (std::size_t i = 0; i + 3 <= in.args.size(); i += 3) {
            KeyValue kv;
            kv.key = expandWord(in.args[i], lk, in);
            kv.value = expandWord(in.args[i + 1], lk, in);
            s.args.push_back(kv.key + "=" + kv.value);
            s.keyValues.push_back(std::move(kv));
          }
          break;
        case Kind::Run: {
          for (const auto& mv : mounts) s.mounts.push_back(parseMount(mv));
          if (!in.json && in.heredocs.empty() && in.args.size() == 1) {
            s.args = takeArgs(in);  // the script is the one argument: not copied
            s.scriptIsArg = true;
          } else {
            s.script = runText(in);
            s.args = takeArgs(in);
          }
          // The text whose commands are read: the script, or (RUN <<EOF, RUN bash <<EOF / sh <<EOF)
          // the heredoc body.
          const std::string* analysed = s.scriptIsArg ? &s.args[0] : &s.script;
          std::string withHeredocs;
          std::string execForm;
          if (in.json && !s.args.empty()) {
            // The exec form runs its words with no shell (RUN ["python3", "-c", "import a; b()"]):
            // read as one command with exactly those words, each quoted for the splitter. A shell
            // named there (["/bin/sh", "-c", "SCRIPT"]) runs SCRIPT: that is read.
            const std::string exe = s.args[0].substr(s.args[0].find_last_of('/') == std::string::npos ? 0 : s.args[0].find_last_of('/') + 1);
            const bool shell = exe == "sh"sv || exe == "bash"sv || exe == "ash"sv || exe == "dash"sv || exe == "zsh"sv;
            std::size_t c = 1;
            while (shell && c < s.args.size() && s.args[c].size() > 1 && s.args[c][0] == '-' && s.args[c] != "-c"sv) ++c;
            if (shell && c + 1 < s.args.size() && s.args[c] == "-c"sv) {
              execForm = s.args[c + 1];
            } else {
              for (const auto& w : s.args) {
                if (!execForm.empty()) execForm += ' ';
                execForm += '\'';
                for (char ch : w) execForm += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
                execForm += '\'';
              }
            }
            analysed = &execForm;
          }
          if (!in.heredocs.empty()) {
            auto words = splitShell(s.script);
            bool shellHeredoc = words.empty() || words[0].argv.empty() ||
                                words[0].argv[0] == "sh"sv || words[0].argv[0] == "bash"sv || words[0].argv[0] == "/bin/sh"sv ||
                                words[0].argv[0] == "/bin/bash"sv || words[0].argv[0].rfind("<<", 0) == 0;
            withHeredocs = shellHeredoc ? in.heredocs[0].body() : s.script;
            analysed = &withHeredocs;
            for (const auto& h : in.heredocs) s.script += "\n" + h.body() + h.name;
          }
          if (cache) {
            // The cache keys the entry by the content's own script (not a copy of it), when the
            // analysed text is that script as kept.
            std::shared_ptr<const std::string> held;
            if (s.scriptIsArg) held = std::shared_ptr<const std::string>(c, &s.args[0]);  // analysed is args[0]
            const auto& e = cache->run(*analysed, std::move(held));
            s.commands = e.commands;
            s.operations = e.operations;
          } else {
            s.commands = splitShell(*analysed);
            s.operations = recogniseOperations(s.commands);
          }
          break;
        }
        case Kind::Copy:
        case Kind::Add: {
          for (const auto& a : in.args) s.args.push_back(in.json ? a : expandWord(a, lk, in));
          if (s.args.size() < 2 && in.heredocs.empty())
            m.diagnostics.push_back(diag(Severity::Error, in, upper(in.keyword) + " requires at least two arguments (expected SOURCE... DEST)"));
          break;
        }
        case Kind::Expose:
        case Kind::Volume:
        case Kind::User:
        case Kind::Workdir:
        case Kind::StopSignal:
          for (const auto& a : in.args) s.args.push_back(in.json ? a : expandWord(a, lk, in));
          break;
        default:
          s.args = takeArgs(in);
          break;
      }
    }
    // A content whose making said something (a diagnostic with this model's line) is not shared:
    // another model with the same text makes it again and says it at its own line.
    if (share && m.diagnostics.size() == diagnosticsBefore) return cache->keepStep(std::move(c));
    return c;
  }
};

}  // namespace

struct ModelCache::Impl {
  std::mutex mutex;
  // Each RUN text's entry, keyed by a view of the text `held` keeps alive: a step content's own
  // script (the model's, shared), or a copy when none was given (prefill). Node-based: references
  // to entries stay valid as it grows and when an entry's key is moved to a content's text.
  struct Run {
    std::shared_ptr<const std::string> held;
    RunEntry entry;
  };
  std::unordered_map<std::string_view, Run> runs;
  // Contents in the order they were kept, and their place there by text (a view of the
  // content's own text, kept alive by `order`).
  std::vector<std::shared_ptr<StepContent>> order;
  std::unordered_map<std::string_view, std::size_t> steps;
  ModelCache* shared = nullptr;  // read before this one; never written through it
};
ModelCache::ModelCache() : impl_(std::make_unique<Impl>()) {}
ModelCache::ModelCache(ModelCache& shared) : ModelCache() { impl_->shared = &shared; }
ModelCache::~ModelCache() = default;

const ModelCache::RunEntry& ModelCache::run(const std::string& analysedScript, std::shared_ptr<const std::string> text) {
  for (ModelCache* c : {impl_->shared, this}) {
    if (!c) continue;
    std::lock_guard<std::mutex> lock(c->impl_->mutex);
    auto& runs = c->impl_->runs;
    auto it = runs.find(std::string_view(analysedScript));
    if (it == runs.end()) continue;
    if (text && it->second.held.use_count() == 1 && c == this) {
      // Made by prefill, with a copy of the text only it holds: keyed by the content's text from
      // now on, the copy freed (the entry itself stays where it is).
      auto node = runs.extract(it);
      node.mapped().held = std::move(text);
      node.key() = std::string_view(*node.mapped().held);
      return runs.insert(std::move(node)).position->second.entry;
    }
    return it->second.entry;
  }
  RunEntry e;  // made outside the lock: another model may make the same meanwhile (the first is kept)
  auto commands = splitShell(analysedScript);
  // Kept for as long as any model holds the RUN: without the room their vectors grew into (a
  // PackageOp is 400+ bytes, and three operations sat in room for four).
  auto exact = [](auto list) {
    using List = decltype(list);
    if (list.capacity() == list.size()) return std::make_shared<const List>(std::move(list));
    return std::make_shared<const List>(std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
  };
  e.operations = PackageOps(exact(recogniseOperations(commands)));
  e.commands = ShellCommands(exact(std::move(commands)));
  if (!text) text = std::make_shared<const std::string>(analysedScript);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string_view key(*text);
  auto [it, added] = impl_->runs.try_emplace(key, Impl::Run{std::move(text), std::move(e)});
  return it->second.entry;
}

std::shared_ptr<StepContent> ModelCache::findStep(const std::string& original, std::size_t& cursor) {
  if (impl_->shared) {  // the cursor follows the shared cache's order; this one's own are looked up
    if (auto made = impl_->shared->findStep(original, cursor)) return made;
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto it = impl_->steps.find(std::string_view(original));
    return it == impl_->steps.end() ? nullptr : impl_->order[it->second];
  }
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto& order = impl_->order;
  if (cursor < order.size() && order[cursor]->original == original) return order[cursor++];
  auto it = impl_->steps.find(std::string_view(original));
  if (it == impl_->steps.end()) return nullptr;
  cursor = it->second + 1;
  return order[it->second];
}

std::shared_ptr<StepContent> ModelCache::keepStep(std::shared_ptr<StepContent> made) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string_view key(made->original);
  auto [it, fresh] = impl_->steps.try_emplace(key, impl_->order.size());
  if (fresh) impl_->order.push_back(std::move(made));
  return impl_->order[it->second];
}

void ModelCache::prefill(std::string_view text) {
  // Only RUNs without heredocs: their analysed text is their text as written (content()).
  (void)parseEach(text, "prefill", [this](Instruction&& in, char) {
    if (in.heredocs.empty() && kindOf(in.keyword) == Kind::Run) run(runText(in));
  });
}

void ModelCache::release() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  decltype(impl_->steps)().swap(impl_->steps);
  decltype(impl_->order)().swap(impl_->order);
  decltype(impl_->runs)().swap(impl_->runs);
}

const StepContent& Step::c() const {
  static const StepContent none;
  return content ? *content : none;
}

namespace {
const std::string& noText() {
  static const std::string empty;
  return empty;
}
bool copies(Kind k) { return k == Kind::Copy || k == Kind::Add; }
}  // namespace

const std::map<std::string, std::string>& Step::flags() const {
  static const std::map<std::string, std::string> none;
  return c().flags ? *c().flags : none;
}

const std::string& Step::copyFrom() const {
  if (!copies(kind)) return noText();
  const auto& f = flags();
  auto it = f.find("from");
  return it == f.end() ? noText() : it->second;
}

std::span<const std::string> Step::sources() const {
  const auto& a = args();
  if (!copies(kind) || a.empty()) return {};
  return {a.data(), a.size() - 1};
}

const std::string& Step::destination() const {
  const auto& a = args();
  return copies(kind) && !a.empty() ? a.back() : noText();
}

namespace {
// The stage graph once every instruction is in: the final stage, what ships, what is reachable.
void finishGraph(Model& m, const std::string& target) {
  if (!m.stages.empty()) {
    m.finalStage = static_cast<int>(m.stages.size()) - 1;
    if (!target.empty()) {
      int t = m.findStage(target, static_cast<int>(m.stages.size()));
      if (t >= 0) m.finalStage = t;
      else {
        Diagnostic d;
        d.where.file = m.file;
        d.message = unknownTargetMessage(m, target);
        m.diagnostics.push_back(d);
      }
    }
    for (int s = m.finalStage; s >= 0; s = m.stages[s].baseStage) m.stages[s].inFinalImage = true;
    // Reachability from the final stage through the stage graph.
    std::vector<int> todo{m.finalStage};
    while (!todo.empty()) {
      int s = todo.back();
      todo.pop_back();
      if (m.stages[s].reachable) continue;
      m.stages[s].reachable = true;
      for (int d : m.stages[s].dependsOn) todo.push_back(d);
    }
  }
  for (auto& st : m.stages) {
    std::sort(st.dependsOn.begin(), st.dependsOn.end());
    st.dependsOn.erase(std::unique(st.dependsOn.begin(), st.dependsOn.end()), st.dependsOn.end());
  }
}
}  // namespace

Model buildModel(const SyntaxTree& tree, const std::string& file, const std::map<std::string, std::string>& buildArgs,
                 const std::string& target, ModelCache* cache) {
  Model m;
  m.file = file;
  Builder b(m, buildArgs, cache);
  b.run(tree);
  finishGraph(m, target);
  return m;
}

Result<Model> parseModel(std::string_view text, const std::string& file, const std::string& modelFile,
                         const std::map<std::string, std::string>& buildArgs, const std::string& target,
                         ModelCache* cache, std::vector<std::vector<std::string>>* comments, SyntaxTree* header) {
  Model m;
  m.file = modelFile;
  Builder b(m, buildArgs, cache);
  b.streaming = true;
  std::vector<std::vector<std::string>> said;
  auto parsed = parseEach(text, file, [&](Instruction&& in, char escape) {
    b.escape = escape;
    b.declare(in);
    b.owned = &in;
    b.add(in);
    b.owned = nullptr;
    if (comments) said.push_back(std::move(in.comments));
  });
  if (!parsed) return parsed.error();
  if (b.declaredTooLate()) {
    // Rare: `$NAME` in a stage FROM an image, before the ARG NAME that declares it. The whole
    // tree knows every ARG from the start.
    auto tree = parse(text, file);
    if (!tree) return tree.error();
    if (comments) {
      comments->clear();
      for (const auto& in : tree->instructions) comments->push_back(in.comments);
    }
    Model whole = buildModel(*tree, modelFile, buildArgs, target, cache);
    if (header) {
      tree->instructions.clear();
      *header = std::move(*tree);
    }
    return whole;
  }
  b.finish();
  finishGraph(m, target);
  if (comments) *comments = std::move(said);
  if (header) *header = std::move(*parsed);
  return m;
}

std::string summary(const Model& m) {
  std::ostringstream o;
  o << m.file << ": " << m.stages.size() << (m.stages.size() == 1 ? " stage" : " stages");
  if (m.finalStage >= 0) o << ", final stage " << m.finalStage;
  o << "\n";
  for (const auto& a : m.globalArgs) o << "  ARG " << a.key << (a.hasValue ? "=" + a.value : "") << " (global)\n";
  for (const auto& st : m.stages) {
    o << "\nstage " << st.index;
    if (!st.name.empty()) o << " \"" << st.name << "\"";
    o << " FROM " << st.baseImage;
    if (st.baseStage >= 0) o << " (stage " << st.baseStage << ")";
    if (!st.platform.empty()) o << " --platform=" << st.platform;
    o << "  (line " << st.line << ")" << (st.index == m.finalStage ? "  [final]" : st.reachable ? "" : "  [not needed for the final image]") << "\n";
    int layer = 0;
    for (const auto& s : st.steps) {
      if (s.kind == Kind::From) continue;
      const std::string_view text = s.original();
      o << "  " << (s.createsLayer ? "layer " + std::to_string(++layer) : std::string("config ")) << "  L" << s.startLine
        << "  " << (text.size() > 90 ? text.substr(0, 87) : text) << (text.size() > 90 ? "..." : "") << "\n";
      for (const auto& op : s.operations()) {
        o << "           -> " << op.tool << " " << op.action;
        if (!op.packages.empty()) {
          o << ":";
          for (const auto& p : op.packages) o << " " << p;
        }
        for (const auto& r : op.requirementFiles) o << " -r " << r;
        for (const auto& kv : op.options)
          if (kv.first == "no-cache-dir"sv || kv.first == "no-cache"sv || kv.first == "no-install-recommends"sv || kv.first == "virtual"sv)
            o << " --" << kv.first << (kv.second.empty() ? "" : "=" + kv.second);
        o << "\n";
      }
    }
  }
  for (const auto& d : m.diagnostics) o << d.format() << "\n";
  return o.str();
}

}  // namespace slimbench::dockerfile
