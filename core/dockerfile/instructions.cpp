// BuildKit's instruction-level checks (frontend/dockerfile/instructions/parse.go and bflag.go):
// what `docker build` rejects after the parser accepted the line. Each message is BuildKit's own
// text, then what was expected.
#include "dockerfile/instructions.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

using namespace std::string_view_literals;

namespace slimbench::dockerfile {
namespace {

enum class FlagType { Bool, String, Strings };
using FlagSpec = std::vector<std::pair<std::string_view, FlagType>>;

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string quote(const std::string& s) { return "\"" + s + "\""; }

std::string flagList(const FlagSpec& spec) {
  std::string s;
  for (std::size_t i = 0; i < spec.size(); ++i) s += (i ? ", --" : "--") + std::string(spec[i].first);
  return s;
}

// The flags BuildKit's parse<Instruction> declares before req.flags.Parse(); null for the
// instructions whose flags it never parses (ARG, STOPSIGNAL).
const FlagSpec* flagsOf(const std::string& kw) {
  static const FlagSpec none;
  static const FlagSpec from = {{"platform", FlagType::String}};
  static const FlagSpec run = {{"mount", FlagType::Strings}, {"network", FlagType::String}, {"security", FlagType::String},
                               {"device", FlagType::Strings}};
  static const FlagSpec copy = {{"chown", FlagType::String}, {"from", FlagType::String},  {"chmod", FlagType::String},
                                {"link", FlagType::Bool},    {"parents", FlagType::Bool}, {"exclude", FlagType::Strings}};
  static const FlagSpec add = {{"chown", FlagType::String},       {"chmod", FlagType::String},    {"link", FlagType::Bool},
                               {"keep-git-dir", FlagType::Bool},  {"checksum", FlagType::String}, {"unpack", FlagType::Bool},
                               {"exclude", FlagType::Strings},    {"parents", FlagType::Bool}};
  static const FlagSpec health = {{"interval", FlagType::String},       {"timeout", FlagType::String},
                                  {"start-period", FlagType::String},   {"start-interval", FlagType::String},
                                  {"retries", FlagType::String}};
  if (kw == "from"sv) return &from;
  if (kw == "run"sv) return &run;
  if (kw == "copy"sv) return &copy;
  if (kw == "add"sv) return &add;
  if (kw == "healthcheck"sv) return &health;
  if (kw == "arg"sv || kw == "stopsignal"sv) return nullptr;
  return &none;
}

// bflag.go Parse: the values of the flags, or BuildKit's error.
std::optional<std::string> parseFlags(const Instruction& in, const std::string& kw, std::map<std::string, std::string>& values) {
  if (in.flags.empty()) return std::nullopt;  // most instructions: nothing to check
  const FlagSpec* spec = flagsOf(kw);
  if (!spec) return std::nullopt;
  std::set<std::string> used;
  const std::string KW = upper(kw);
  for (const auto& raw : in.flags) {
    if (raw.size() < 2 || raw.compare(0, 2, "--") != 0) return "Arg should start with -- : " + raw;
    std::string name = raw.substr(2), value;
    const auto eq = name.find('=');
    const bool hasValue = eq != std::string::npos;
    if (hasValue) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto it = std::find_if(spec->begin(), spec->end(), [&](const auto& f) { return f.first == name; });
    if (it == spec->end())
      return "unknown flag: " + name + (spec->empty() ? " (" + KW + " takes no flags)" : " (" + KW + " takes " + flagList(*spec) + ")");
    if (it->second != FlagType::Strings && !used.insert(name).second)
      return "duplicate flag specified: " + name + " (expected --" + name + " once)";
    switch (it->second) {
      case FlagType::Bool: {
        if (hasValue && value.empty()) return "missing a value on flag: " + name + " (expected --" + name + ", --" + name + "=true or --" + name + "=false)";
        const std::string l = lower(value);
        if (!l.empty() && l != "true"sv && l != "false"sv)
          return "expecting boolean value for flag " + name + ", not: " + value + " (expected --" + name + "=true or --" + name + "=false)";
        values[name] = l.empty() ? "true" : l;
        break;
      }
      case FlagType::String:
      case FlagType::Strings:
        if (!hasValue) return "missing a value on flag: " + name + " (expected --" + name + "=VALUE)";
        values[name] = value;
        break;
    }
  }
  return std::nullopt;
}

std::string errAtLeastOne(const std::string& kw, const std::string& expected) {
  return kw + " requires at least one argument (expected " + expected + ")";
}
std::string errExactlyOne(const std::string& kw, const std::string& expected, std::size_t got) {
  return kw + " requires exactly one argument (expected " + expected + ", got " + std::to_string(got) + ")";
}

// parseOptInterval: empty is "not given", 0 is allowed, anything else must be a duration >= 1ms.
std::optional<std::string> checkInterval(const std::map<std::string, std::string>& flags, const char* name) {
  auto it = flags.find(name);
  if (it == flags.end() || it->second.empty()) return std::nullopt;
  std::string err;
  auto ns = parseGoDuration(it->second, &err);
  if (!ns) return err + " in HEALTHCHECK --" + name + " (expected a duration such as 30s, 1m30s or 500ms)";
  if (*ns != 0 && *ns < 1e6) return std::string("Interval \"") + name + "\" cannot be less than 1ms (got " + it->second + ")";
  return std::nullopt;
}

std::optional<std::string> checkHealthcheck(const Instruction& in) {
  if (in.args.empty()) return errAtLeastOne("HEALTHCHECK", "HEALTHCHECK [OPTIONS] CMD command, or HEALTHCHECK NONE");
  const std::string type = upper(in.args[0]);
  if (type == "NONE"sv) {
    if (in.args.size() != 1) return std::string("HEALTHCHECK NONE takes no arguments");
    return std::nullopt;  // flags are not parsed for NONE
  }
  std::map<std::string, std::string> flags;
  if (auto e = parseFlags(in, "healthcheck", flags)) return e;
  if (type != "CMD"sv) return "Unknown type " + quote(in.args[0]) + " in HEALTHCHECK (try CMD)";
  if (in.args.size() < 2) return std::string("Missing command after HEALTHCHECK CMD (expected HEALTHCHECK CMD command)");
  for (const char* f : {"interval", "timeout", "start-period", "start-interval"})
    if (auto e = checkInterval(flags, f)) return e;
  if (auto it = flags.find("retries"); it != flags.end() && !it->second.empty()) {
    const std::string& v = it->second;
    std::size_t i = (v[0] == '-' || v[0] == '+') ? 1 : 0;
    bool digits = i < v.size() && std::all_of(v.begin() + static_cast<long>(i), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    std::string mag = digits ? v.substr(std::min(v.find_first_not_of('0', i), v.size())) : std::string();  // leading zeros dropped
    if (!digits || mag.size() > 10 || (mag.size() == 10 && mag > (v[0] == '-' ? "2147483648" : "2147483647")))
      return "strconv.ParseInt: parsing " + quote(v) + ": " + (digits ? "value out of range" : "invalid syntax") +
             " (HEALTHCHECK --retries expects a whole number)";
    if (v[0] == '-' && v.find_first_not_of('0', 1) != std::string::npos) return "--retries cannot be negative (" + v + ")";
  }
  return std::nullopt;
}

// ENV and LABEL hold (key, value, "=") triples.
std::optional<std::string> checkKeyValues(const Instruction& in, const std::string& KW) {
  if (in.args.empty()) return errAtLeastOne(KW, KW + " NAME=VALUE");
  for (std::size_t i = 0; i < in.args.size(); i += 3)
    if (in.args[i].empty()) return KW + " names can not be blank (expected NAME=VALUE, got " + quote(i + 1 < in.args.size() ? "=" + in.args[i + 1] : "=") + ")";
  return std::nullopt;
}

}  // namespace

std::optional<double> parseGoDuration(const std::string& s, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<double> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  const std::string orig = s;
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (s.substr(i) == "0"sv) return 0.0;
  if (i == s.size()) return fail("time: invalid duration " + quote(orig));
  double total = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    double v = 0;
    bool any = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i++] - '0');
      any = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        v += (s[i++] - '0') * scale;
        scale /= 10;
        any = true;
      }
    }
    if (!any || start == i) return fail("time: invalid duration " + quote(orig));
    std::size_t u = i;
    while (i < s.size() && s[i] != '.' && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    const std::string unit = s.substr(u, i - u);
    if (unit.empty()) return fail("time: missing unit in duration " + quote(orig));
    static const std::map<std::string, double> units = {{"ns", 1},         {"us", 1e3},        {"\xC2\xB5s", 1e3},
                                                        {"\xCE\xBCs", 1e3}, {"ms", 1e6},        {"s", 1e9},
                                                        {"m", 60e9},        {"h", 3600e9}};
    auto it = units.find(unit);
    if (it == units.end()) return fail("time: unknown unit " + quote(unit) + " in duration " + quote(orig));
    total += v * it->second;
  }
  if (total > 9.223372036854775807e18) return fail("time: invalid duration " + quote(orig));
  return neg ? -total : total;
}

std::optional<std::string> buildkitRejects(const Instruction& in) {
  const std::string kw = in.lowerKeyword();
  const std::string KW = upper(kw);
  std::map<std::string, std::string> flags;
  if (kw == "env"sv || kw == "label"sv) {
    if (auto e = parseFlags(in, kw, flags)) return e;
    return checkKeyValues(in, KW);
  }
  if (kw == "maintainer"sv) {
    if (in.args.size() != 1) return errExactlyOne(KW, "MAINTAINER NAME", in.args.size());
    return parseFlags(in, kw, flags);
  }
  if (kw == "add"sv || kw == "copy"sv) {
    if (in.args.size() < 2) return std::nullopt;  // the model says it (SOURCE... DEST)
    if (auto e = parseFlags(in, kw, flags)) return e;
    if (auto it = flags.find("from"); kw == "copy"sv && it != flags.end() && it->second.empty())
      return std::string("COPY --from= has no value (expected --from=STAGE, a stage index or an image name)");
    const std::string& dest = in.args.back();
    if (dest.size() > 2 && dest.compare(0, 2, "<<") == 0 &&
        std::any_of(in.heredocs.begin(), in.heredocs.end(), [&](const Heredoc& h) { return dest.find(h.name) != std::string::npos; }))
      return KW + " cannot accept a heredoc as a destination (expected " + KW + " <<EOF PATH)";
    return std::nullopt;
  }
  if (kw == "from"sv) return parseFlags(in, kw, flags);  // the arguments: the model says it
  if (kw == "onbuild"sv) {
    if (in.args.empty() && !in.sub) return errAtLeastOne(KW, "ONBUILD INSTRUCTION, e.g. ONBUILD RUN make");
    if (auto e = parseFlags(in, kw, flags)) return e;
    const std::string trigger = upper(in.sub ? in.sub->keyword : in.args[0]);
    if (trigger == "ONBUILD"sv) return std::string("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed (expected ONBUILD INSTRUCTION, e.g. ONBUILD RUN make)");
    if (trigger == "MAINTAINER"sv || trigger == "FROM"sv)
      return trigger + " isn't allowed as an ONBUILD trigger (expected RUN, COPY, ADD, ENV, ... after ONBUILD)";
    return std::nullopt;
  }
  if (kw == "workdir"sv) {
    if (in.args.size() != 1) return errExactlyOne(KW, "WORKDIR PATH", in.args.size());
    return parseFlags(in, kw, flags);
  }
  if (kw == "run"sv || kw == "cmd"sv || kw == "entrypoint"sv) return parseFlags(in, kw, flags);
  if (kw == "healthcheck"sv) return checkHealthcheck(in);
  if (kw == "expose"sv) {
    if (in.args.empty()) return errAtLeastOne(KW, "EXPOSE PORT[/PROTOCOL]...");
    return parseFlags(in, kw, flags);
  }
  if (kw == "user"sv) {
    if (in.args.size() != 1) return errExactlyOne(KW, "USER NAME[:GROUP]", in.args.size());
    return parseFlags(in, kw, flags);
  }
  if (kw == "volume"sv) {
    if (in.args.empty()) return errAtLeastOne(KW, "VOLUME PATH...");
    if (auto e = parseFlags(in, kw, flags)) return e;
    for (const auto& v : in.args) {
      std::string_view t = v;
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
      if (t.empty() || std::all_of(t.begin(), t.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        return std::string("VOLUME specified can not be an empty string (expected VOLUME PATH...)");
    }
    return std::nullopt;
  }
  if (kw == "stopsignal"sv) {
    if (in.args.size() != 1) return errExactlyOne(KW, "STOPSIGNAL SIGNAL", in.args.size());
    return std::nullopt;
  }
  if (kw == "arg"sv) {
    if (in.args.empty()) return errAtLeastOne(KW, "ARG NAME[=DEFAULT]");
    for (const auto& a : in.args)
      if (a.find('=') == 0) return "ARG names can not be blank (expected ARG NAME[=DEFAULT], got " + quote(a) + ")";
    return std::nullopt;
  }
  if (kw == "shell"sv) {
    if (auto e = parseFlags(in, kw, flags)) return e;
    if (in.args.empty()) return errAtLeastOne(KW, "SHELL [\"executable\", \"parameters\"]");
    if (!in.json) return "SHELL requires the arguments to be in JSON form (expected SHELL [\"executable\", \"parameters\"], got " + in.original + ")";
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace slimbench::dockerfile
