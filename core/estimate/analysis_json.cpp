// The analysis as JSON (moved from app/cmd_analyze.cpp; the output is unchanged).
#include "estimate/analysis_json.h"

#include "util/diagnostic.h"

namespace slimbench::estimate {
namespace {

nlohmann::ordered_json rangeJson(const Range& r) { return {{"low", r.low}, {"mid", r.mid}, {"high", r.high}}; }
// A layer whose size is not known: {low, mid: null, high: null} (low counts only what is known).
nlohmann::ordered_json layerRangeJson(const Range& r) {
  if (!r.open) return rangeJson(r);
  return {{"low", r.low}, {"mid", nullptr}, {"high", nullptr}};
}
// A variant total with unknown layers: a lower bound; mid is the estimate of what is known.
nlohmann::ordered_json totalRangeJson(const Range& r) {
  if (!r.open) return rangeJson(r);
  return {{"low", r.low}, {"mid", r.mid}, {"high", nullptr}, {"lowerBound", true}};
}

nlohmann::ordered_json layerJson(const LayerEstimate& l) {
  nlohmann::ordered_json j = {{"stage", l.stage}, {"line", l.line}, {"fromBase", l.fromBase}, {"instruction", l.instruction},
                              {"category", categoryId(l.category)}, {"basis", basisId(l.basis)},
                              {"diskBytes", layerRangeJson(l.disk)}, {"compressedBytes", layerRangeJson(l.compressed)},
                              {"seconds", l.seconds}, {"secondsLowerBound", l.secondsOpen}, {"reason", l.reason},
                              {"source", l.source}, {"notes", l.notes}};
  if (!l.unknownParts.empty()) j["unknown"] = l.unknownParts;
  if (!l.proxyNote.empty()) j["proxy"] = l.proxyNote;
  j["parts"] = nlohmann::ordered_json::array();
  for (const auto& [what, r] : l.parts) j["parts"].push_back({{"what", what}, {"diskBytes", layerRangeJson(r)}});
  return j;
}

}  // namespace

nlohmann::ordered_json analysisJson(const Analysis& a) {
  nlohmann::ordered_json j;
  j["schema"] = "slimbench.analysis/1";
  j["python"] = a.pythonVersion;
  j["settings"] = {{"arch", a.settings.arch}, {"bandwidthMbps", a.settings.bandwidthMbps}, {"cores", a.settings.cores}};
  j["requirements"] = a.requirementFiles;
  j["data"] = a.dataNote;
  j["context"] = {{"dir", a.context.root}, {"how", a.contextNote}, {"bytes", a.context.totalBytes}, {"files", a.context.files.size()}, {"dockerignore", a.context.hasDockerignore},
                  {"ignoredBytes", a.context.ignoredBytes}};
  j["variants"] = nlohmann::ordered_json::array();
  for (const auto& v : a.variants) {
    nlohmann::ordered_json vj;
    vj["id"] = generate::variantId(v.kind);
    vj["title"] = generate::variantTitle(v.kind);
    if (v.parseError) {
      vj["error"] = v.parseError->format();
      j["variants"].push_back(vj);
      continue;
    }
    const auto& e = v.estimate;
    vj["base"] = e.baseImage;
    vj["diskBytes"] = totalRangeJson(e.disk);
    vj["compressedBytes"] = totalRangeJson(e.compressed);
    vj["coverage"] = {{"complete", e.coverage.complete}, {"unknownLayers", e.coverage.unknownLayers},
                      {"proxyLayers", e.coverage.proxyLayers}, {"unknownLayerCount", e.coverage.unknownCount},
                      {"proxyLayerCount", e.coverage.proxyCount}};
    vj["buildSeconds"] = {{"cold", e.buildSecondsCold}, {"warm", e.buildSecondsWarm}, {"warmNote", e.warmNote},
                          {"coldLowerBound", e.coldLowerBound}, {"warmLowerBound", e.warmLowerBound},
                          {"unknown", e.timeUnknowns}};
    vj["compilerInFinalImage"] = e.compilerInFinal;
    vj["layers"] = nlohmann::ordered_json::array();
    for (const auto& l : e.layers) vj["layers"].push_back(layerJson(l));
    vj["builderLayers"] = nlohmann::ordered_json::array();
    for (const auto& l : e.builderLayers) vj["builderLayers"].push_back(layerJson(l));
    vj["packages"] = nlohmann::ordered_json::array();
    for (const auto& p : e.packages)
      vj["packages"].push_back({{"name", p.name}, {"version", p.version}, {"distribution", p.distribution},
                                {"downloadBytes", p.downloadBytes}, {"installedBytes", rangeJson(p.installed)},
                                {"compiles", p.compiles}, {"compileMinutes", {p.compileMinutesLow, p.compileMinutesHigh}},
                                {"reason", p.reason}});
    for (std::size_t i = 0; i < e.packages.size(); ++i)
      if (!e.packages[i].asked.empty()) {
        vj["packages"][i]["asked"] = e.packages[i].asked;
        vj["packages"][i]["basis"] = "proxy";
      }
    vj["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : v.findings) vj["findings"].push_back(lint::toJson(f));
    vj["unknowns"] = e.unknowns;
    vj["diagnostics"] = nlohmann::ordered_json::array();
    for (const auto& d : v.model.diagnostics)
      vj["diagnostics"].push_back({{"severity", severityName(d.severity)}, {"line", d.where.line}, {"message", d.message}});
    if (v.kind != generate::VariantKind::Original) {
      // What happened to each instruction of your Dockerfile in this variant (issue 11).
      vj["fidelity"] = nlohmann::ordered_json::array();
      for (const auto& f : v.fidelity)
        vj["fidelity"].push_back({{"line", f.line}, {"instruction", f.instruction}, {"action", f.action}, {"reason", f.reason}});
      vj["addedLines"] = nlohmann::ordered_json::array();
      for (const auto& n : v.lineNotes) vj["addedLines"].push_back({{"line", n.line}, {"reason", n.reason}});
      vj["untranslated"] = nlohmann::ordered_json::array();
      for (const auto& u : v.untranslated)
        vj["untranslated"].push_back({{"line", u.line}, {u.command ? "command" : "package", u.package}, {"family", u.family}});
    }
    vj["dockerfile"] = v.dockerfile;
    j["variants"].push_back(vj);
  }
  return j;
}

}  // namespace slimbench::estimate
