#include "estimate/build_scripts.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace slimbench::estimate {

namespace {

std::uint64_t times(std::uint64_t bytes, double f) { return static_cast<std::uint64_t>(std::llround(static_cast<double>(bytes) * f)); }

std::string mb(std::uint64_t b) { return formatMB(b); }

bool num(const nlohmann::json& j, const char* key, double& out, std::string& error, const std::string& where) {
  if (!j.contains(key) || !j[key].is_number()) {
    error = where + ": expected a number \"" + key + "\"";
    return false;
  }
  out = j[key].get<double>();
  return true;
}

}  // namespace

bool parseBuildScriptModel(std::string_view json, BuildScriptModel& out, std::string& error) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "expected a JSON object";
    return false;
  }
  BuildScriptModel m;
  const auto ds = j.value("django_static", nlohmann::json::object());
  if (!ds.contains("versions") || !ds["versions"].is_array() || ds["versions"].empty()) {
    error = "expected django_static.versions: a non-empty array";
    return false;
  }
  for (const auto& v : ds["versions"]) {
    BuildScriptModel::DjangoStatic d;
    const std::string ver = v.value("django", "");
    char* end = nullptr;
    d.major = static_cast<int>(std::strtol(ver.c_str(), &end, 10));
    if (end && *end == '.') d.minor = static_cast<int>(std::strtol(end + 1, nullptr, 10));
    if (!v.contains("bytes") || !v["bytes"].is_number_unsigned() || d.major <= 0) {
      error = "django_static.versions: expected {\"django\": \"X.Y\", \"bytes\": N, \"source\": …} per row";
      return false;
    }
    d.bytes = v["bytes"].get<std::uint64_t>();
    d.source = v.value("source", "");
    m.djangoStatic.push_back(std::move(d));
  }
  const auto st = j.value("static_storage", nlohmann::json::object());
  m.manifestCopies = st.value("manifest_copies", 0);
  m.compressedCopiesMax = st.value("compressed_copies_max", 0);
  m.manifestSource = st.value("manifest_source", "");
  m.compressedSource = st.value("compressed_source", "");
  if (m.manifestCopies < 1) {
    error = "static_storage: expected manifest_copies ≥ 1";
    return false;
  }
  const auto mo = j.value("mo_over_po", nlohmann::json::object());
  if (!num(mo, "p10", m.moLow, error, "mo_over_po") || !num(mo, "median", m.moMid, error, "mo_over_po") ||
      !num(mo, "p90", m.moHigh, error, "mo_over_po"))
    return false;
  m.moSource = mo.value("source", "");
  const auto pyc = j.value("pyc_over_py", nlohmann::json::object());
  if (!num(pyc, "p25", m.pycLow, error, "pyc_over_py") || !num(pyc, "median", m.pycMid, error, "pyc_over_py") ||
      !num(pyc, "p75", m.pycHigh, error, "pyc_over_py"))
    return false;
  m.pycSource = pyc.value("source", "");
  if (!(m.moLow <= m.moMid && m.moMid <= m.moHigh) || !(m.pycLow <= m.pycMid && m.pycMid <= m.pycHigh)) {
    error = "mo_over_po / pyc_over_py: expected low ≤ median ≤ high";
    return false;
  }
  out = std::move(m);
  return true;
}

bool isDjangoApp(const std::string& n) {
  auto starts = [&](const char* p) { return n.rfind(p, 0) == 0; };
  auto ends = [&](const char* p) {
    const std::string s(p);
    return n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  return n != "django" && (starts("django-") || starts("djangorestframework") || ends("-django") || starts("wagtail") ||
                           starts("drf-"));
}

ScriptEstimate collectstaticModel(const BuildScriptModel& m, const CollectstaticInputs& in) {
  ScriptEstimate e;
  std::string project = in.projectStaticFiles
                            ? "the project's " + std::to_string(in.projectStaticFiles) + " files under static/ folders (" + mb(in.projectStaticBytes) + ")"
                            : "no project files under a static/ folder";
  if (in.djangoVersion.empty() || m.djangoStatic.empty()) {
    e.bytes = Range::unknown(in.projectStaticBytes);
    e.unknown = "collectstatic: Django is not among the packages this estimate knows are installed, so the static files of its apps are not known (" + project + " counted)";
    return e;
  }
  char* end = nullptr;
  const int major = static_cast<int>(std::strtol(in.djangoVersion.c_str(), &end, 10));
  const int minor = end && *end == '.' ? static_cast<int>(std::strtol(end + 1, nullptr, 10)) : 0;
  const BuildScriptModel::DjangoStatic* best = nullptr;
  int bestDistance = 0;
  for (const auto& d : m.djangoStatic) {
    const int distance = std::abs((d.major * 100 + d.minor) - (major * 100 + minor));
    if (!best || distance < bestDistance) {
      best = &d;
      bestDistance = distance;
    }
  }
  const std::string measured = std::to_string(best->major) + "." + std::to_string(best->minor);
  if (bestDistance != 0)
    e.proxy = "Django " + in.djangoVersion + "'s own static files sized by Django " + measured + "'s (" + mb(best->bytes) + ", measured)";
  const std::uint64_t base = best->bytes + in.projectStaticBytes;
  // One copy each; ManifestStaticFilesStorage keeps a hashed copy too; WhiteNoise adds .gz (and
  // .br with brotli) versions, each no larger than the file.
  const int copiesHigh = m.manifestCopies + (in.whitenoise ? (in.brotli ? m.compressedCopiesMax : std::min(1, m.compressedCopiesMax)) : 0);
  const int copiesMid = in.whitenoise ? m.manifestCopies : 1;
  e.bytes = Range{base, base * static_cast<std::uint64_t>(copiesMid),
                  (base + in.appsInstalledHigh) * static_cast<std::uint64_t>(copiesHigh), false};
  e.reason = "collectstatic copies Django " + measured + "'s own static files (" + mb(best->bytes) + ") and " + project +
             " into STATIC_ROOT; " +
             (in.whitenoise ? "WhiteNoise is installed: its manifest storage keeps a hashed copy of each (mid ×" + std::to_string(copiesMid) +
                                  "), its compression adds .gz" + std::string(in.brotli ? " and .br" : "") + " versions (high ×" + std::to_string(copiesHigh) + ")"
                            : "one copy each (high ×" + std::to_string(copiesHigh) + " if settings choose ManifestStaticFilesStorage)") +
             (in.apps.empty() ? std::string("; no other Django app is installed")
                              : "; the static files of " + std::to_string(in.apps.size()) + " other Django app(s) count up to their installed size (" +
                                    mb(in.appsInstalledHigh) + ", high only)");
  e.source = best->source + "; " + m.manifestSource + (in.whitenoise ? "; " + m.compressedSource : std::string());
  return e;
}

ScriptEstimate messagesModel(const BuildScriptModel& m, std::uint64_t poBytes, std::size_t poFiles) {
  ScriptEstimate e;
  e.bytes = Range{times(poBytes, m.moLow), times(poBytes, m.moMid), times(poBytes, m.moHigh), false};
  e.reason = poFiles ? "writes a .mo beside each of " + std::to_string(poFiles) + " .po catalogue(s) (" + mb(poBytes) +
                           "): a .mo holds the translated strings only, " + std::to_string(m.moLow).substr(0, 4) + "–" +
                           std::to_string(m.moHigh).substr(0, 4) + "× the .po"
                     : "no .po catalogue among the files COPY put there: nothing to compile";
  e.source = m.moSource;
  return e;
}

ScriptEstimate compileallModel(const BuildScriptModel& m, std::uint64_t pyBytes, std::size_t pyFiles) {
  ScriptEstimate e;
  e.bytes = Range{times(pyBytes, m.pycLow), times(pyBytes, m.pycMid), times(pyBytes, m.pycHigh), false};
  e.reason = pyFiles ? "writes a .pyc for each of " + std::to_string(pyFiles) + " .py file(s) COPY put there (" + mb(pyBytes) + "): " +
                           std::to_string(m.pycLow).substr(0, 4) + "–" + std::to_string(m.pycHigh).substr(0, 4) + "× the sources"
                     : "no .py file among the files COPY put there";
  e.source = m.pycSource;
  return e;
}

}  // namespace slimbench::estimate
