// The analysis as JSON, streamed (the text is the same as the document dump it replaced).
#include "estimate/analysis_json.h"

#include "util/diagnostic.h"

namespace slimbench::estimate {
namespace {

// {low, mid, high}; an open layer range has mid and high null, an open total adds lowerBound.
enum class RangeForm { Exact, Layer, Total };
void writeRange(JsonWriter& w, const Range& r, RangeForm form = RangeForm::Exact) {
  w.beginObject();
  w.field("low", r.low);
  if (r.open && form == RangeForm::Layer) {
    w.field("mid", nullptr);
    w.field("high", nullptr);
  } else if (r.open && form == RangeForm::Total) {
    w.field("mid", r.mid);
    w.field("high", nullptr);
    w.field("lowerBound", true);
  } else {
    w.field("mid", r.mid);
    w.field("high", r.high);
  }
  w.endObject();
}

// One layer, field by field (50k layers per variant for a 100k-line Dockerfile).
void writeLayer(JsonWriter& w, const LayerEstimate& l) {
  w.beginObject();
  w.field("stage", l.stage);
  w.field("line", l.line);
  w.field("fromBase", l.fromBase);
  w.field("instruction", l.instruction);
  w.field("category", categoryId(l.category));
  w.field("basis", basisId(l.basis));
  w.key("diskBytes");
  writeRange(w, l.disk, RangeForm::Layer);
  w.key("compressedBytes");
  writeRange(w, l.compressed, RangeForm::Layer);
  w.field("seconds", l.seconds);
  w.field("secondsLowerBound", l.secondsOpen);
  w.field("reason", l.reason);
  w.field("source", l.source);
  w.arrayField("notes", l.notes);
  if (!l.unknownParts.empty()) {
    w.arrayField("unknown", l.unknownParts);
  }
  if (!l.proxyNote.empty()) w.field("proxy", l.proxyNote);
  w.key("parts");
  w.beginArray();
  for (const auto& [what, r] : l.parts) {
    w.beginObject();
    w.field("what", what);
    w.key("diskBytes");
    writeRange(w, r, RangeForm::Layer);
    w.endObject();
  }
  w.endArray();
  w.endObject();
}

}  // namespace

void writeAnalysisHead(JsonWriter& w, const Analysis& a) {
  using J = nlohmann::ordered_json;
  w.beginObject();
  w.field("schema", "slimbench.analysis/1");
  w.field("python", a.pythonVersion);
  J settings{{"arch", a.settings.arch}, {"bandwidthMbps", a.settings.bandwidthMbps}, {"cores", a.settings.cores}};
  settings["wheelsBeforeMusllinux"] = a.settings.wheelsBeforeMusllinux;  // the era the figures describe
  settings["target"] = a.target.empty() ? J() : J(a.target);  // null: the last stage
  settings["buildArgs"] = J::object();
  for (const auto& [k, v] : a.buildArgs) settings["buildArgs"][k] = v;
  w.field("settings", settings);
  w.field("requirements", a.requirementFiles);
  w.field("data", a.dataNote);
  w.field("context", J{{"dir", a.context.root}, {"how", a.contextNote}, {"bytes", a.context.totalBytes}, {"files", a.context.files.size()},
                       {"dockerignore", a.context.hasDockerignore}, {"ignoredBytes", a.context.ignoredBytes}});
  w.key("variants");
  w.beginArray();
}

void writeVariantJson(JsonWriter& w, const VariantResult& v) {
  using J = nlohmann::ordered_json;
  {
    w.beginObject();
    w.field("id", generate::variantId(v.kind));
    w.field("title", generate::variantTitle(v.kind));
    if (v.parseError) {
      w.field("error", v.parseError->format());
      w.endObject();
      return;
    }
    const auto& e = v.estimate;
    w.field("base", e.baseImage);
    w.key("diskBytes");
    writeRange(w, e.disk, RangeForm::Total);
    w.key("compressedBytes");
    writeRange(w, e.compressed, RangeForm::Total);
    w.field("coverage", J{{"complete", e.coverage.complete}, {"unknownLayers", e.coverage.unknownLayers},
                          {"proxyLayers", e.coverage.proxyLayers}, {"unknownLayerCount", e.coverage.unknownCount},
                          {"proxyLayerCount", e.coverage.proxyCount}});
    w.field("buildSeconds", J{{"cold", e.buildSecondsCold}, {"warm", e.buildSecondsWarm}, {"warmNote", e.warmNote},
                              {"coldLowerBound", e.coldLowerBound}, {"warmLowerBound", e.warmLowerBound},
                              {"unknown", e.timeUnknowns}});
    w.field("compilerInFinalImage", e.compilerInFinal);
    w.field("headersInFinalImage", e.headersInFinal);
    // The long lists are written an element at a time (a 100k-line Dockerfile has 50k layers).
    w.key("layers");
    w.beginArray();
    for (const auto& l : e.layers) writeLayer(w, l);
    w.endArray();
    w.key("builderLayers");
    w.beginArray();
    for (const auto& l : e.builderLayers) writeLayer(w, l);
    w.endArray();
    w.key("packages");
    w.beginArray();
    for (const auto& p : e.packages) {
      w.beginObject();
      w.field("name", p.name);
      w.field("version", p.version);
      w.field("distribution", p.distribution);
      w.field("downloadBytes", p.downloadBytes);
      w.key("installedBytes");
      writeRange(w, p.installed);
      w.field("compiles", p.compiles);
      w.key("compileMinutes");
      w.beginArray();
      w.value(p.compileMinutesLow);
      w.value(p.compileMinutesHigh);
      w.endArray();
      w.field("reason", p.reason);
      if (!p.asked.empty()) {
        w.field("asked", p.asked);
        w.field("basis", "proxy");
      }
      w.endObject();
    }
    w.endArray();
    w.key("findings");
    w.beginArray();
    for (const auto& f : v.findings) w.value(lint::toJson(f));
    w.endArray();
    w.field("unknowns", e.unknowns);
    w.key("diagnostics");
    w.beginArray();
    for (const auto& d : v.model.diagnostics)
      w.value(J{{"severity", severityName(d.severity)}, {"line", d.where.line}, {"message", d.message}});
    w.endArray();
    if (v.kind != generate::VariantKind::Original) {
      // What happened to each instruction of your Dockerfile in this variant (issue 11).
      w.key("fidelity");
      w.beginArray();
      for (const auto& f : v.fidelity) {  // one per instruction: written field by field
        w.beginObject();
        w.field("line", f.line);
        w.field("instruction", f.instruction);
        w.field("action", f.action);
        w.field("reason", f.reason);
        w.endObject();
      }
      w.endArray();
      w.key("addedLines");
      w.beginArray();
      for (const auto& n : v.lineNotes) {
        w.beginObject();
        w.field("line", n.line);
        w.field("reason", n.reason);
        w.endObject();
      }
      w.endArray();
      w.key("untranslated");
      w.beginArray();
      for (const auto& u : v.untranslated)
        w.value(J{{"line", u.line}, {u.command ? "command" : "package", u.package}, {"family", u.family}});
      w.endArray();
    }
    w.field("dockerfile", v.dockerfile);
    w.endObject();
  }
}

void writeAnalysisTail(JsonWriter& w) {
  w.endArray();
  w.endObject();
}

void writeAnalysisJson(JsonWriter& w, const Analysis& a) {
  writeAnalysisHead(w, a);
  for (const auto& v : a.variants) writeVariantJson(w, v);
  writeAnalysisTail(w);
}

nlohmann::ordered_json analysisJson(const Analysis& a) {
  JsonWriter w;
  writeAnalysisJson(w, a);
  return nlohmann::ordered_json::parse(w.text());
}

}  // namespace slimbench::estimate
