// The analysis as JSON (schema slimbench.analysis/2), streamed a variant at a time.
#include "estimate/analysis_json.h"

#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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

void writeLines(JsonWriter& w, const std::vector<int>& lines) {
  w.beginArrayLine();
  for (int l : lines) w.value(l);
  w.endArray();
}

// What a layer record says apart from where it is (stage, line), as bytes: two layers with the
// same key are written once, the second as `sameAs` the first.
struct Key {
  std::uint64_t a = 0, b = 0;
  bool operator==(const Key& o) const { return a == o.a && b == o.b; }
};
struct KeyHash {
  std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.a); }
};
// Two independent 64-bit hashes of the same bytes (a 128-bit key): two different records
// colliding is not a practical possibility.
std::uint64_t wordHash(std::string_view b) {  // 8 bytes at a time, splitmix-style mixing
  auto mix = [](std::uint64_t h, std::uint64_t x) {
    h = (h ^ (x * 0xbf58476d1ce4e5b9ull)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
  };
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ b.size();
  std::size_t i = 0;
  for (; i + 8 <= b.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, b.data() + i, 8);
    h = mix(h, x);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, b.data() + i, b.size() - i);
  return mix(h, tail);
}
Key keyOf(std::string_view bytes) { return {std::hash<std::string_view>{}(bytes), wordHash(bytes)}; }

}  // namespace

struct AnalysisJsonWriter::State {
  // The reasons table: each text once, by id in order of first use ("r1", "r2", ...). A shared
  // text is held by reference (most are: the layers' reasons, sources and unknown parts), keyed by
  // a view of itself.
  std::unordered_map<std::string_view, std::uint32_t> ids;
  std::vector<SharedText> texts;
  // `held`: the text to keep when it is new (the caller's shared one, or a copy of a plain string).
  std::uint32_t idOf(std::string_view text, const SharedText* held = nullptr) {
    auto it = ids.find(text);
    if (it != ids.end()) return it->second;
    texts.push_back(held ? *held : SharedText(std::string(text)));
    return ids.emplace(std::string_view(texts.back().str()), static_cast<std::uint32_t>(texts.size())).first->second;
  }
  std::uint32_t id(const std::string& text) { return idOf(text); }
  // The layers written so far (not from a base image), by what they say: variant id, line, stage.
  struct Written {
    const char* variant;
    int line, stage;
  };
  std::unordered_map<Key, Written, KeyHash> written;
  std::string key;  // scratch

  // A shared text (a layer's reason, source: one of a few, shared by thousands of layers; what is
  // unknown, one object for every variant that says it) by which text object it is, before hashing
  // what it says. Every object named here is held (by the table, or `kept`) so that its address
  // names it for as long as the writer lives.
  std::unordered_map<const std::string*, std::uint32_t> byObject;
  std::vector<SharedText> kept;
  std::uint32_t id(const SharedText& text) {
    const std::string* object = text.identity();
    if (!object) return id(text.str());
    auto it = byObject.find(object);
    if (it != byObject.end()) return it->second;
    const std::uint32_t n = idOf(text.str(), &text);
    if (texts[n - 1].identity() != object) kept.push_back(text);
    return byObject.emplace(object, n).first->second;
  }
  static std::string name(std::uint32_t id) { return "r" + std::to_string(id); }
};

namespace {

void putBytes(std::string& k, const void* p, std::size_t n) { k.append(static_cast<const char*>(p), n); }
void putNumber(std::string& k, std::uint64_t v) { putBytes(k, &v, sizeof v); }
void putText(std::string& k, std::string_view s) {
  putNumber(k, s.size());
  k.append(s);
}
void putRange(std::string& k, const Range& r) {
  putNumber(k, r.low);
  putNumber(k, r.mid);
  putNumber(k, r.high);
  putNumber(k, r.open);
}

}  // namespace

AnalysisJsonWriter::AnalysisJsonWriter(JsonWriter& w) : w_(w), s_(std::make_unique<State>()) {}
AnalysisJsonWriter::~AnalysisJsonWriter() = default;

void AnalysisJsonWriter::head(const Analysis& a) {
  using J = nlohmann::ordered_json;
  w_.beginObject();
  w_.field("schema", kAnalysisSchema);
  w_.field("python", a.pythonVersion);
  J settings{{"arch", a.settings.arch}, {"bandwidthMbps", a.settings.bandwidthMbps}, {"cores", a.settings.cores}};
  settings["wheelsBeforeMusllinux"] = a.settings.wheelsBeforeMusllinux;  // the era the figures describe
  settings["target"] = a.target.empty() ? J() : J(a.target);  // null: the last stage
  settings["buildArgs"] = J::object();
  for (const auto& [k, v] : a.buildArgs) settings["buildArgs"][k] = v;
  w_.field("settings", settings);
  w_.field("requirements", a.requirementFiles);
  w_.field("data", a.dataNote);
  w_.field("context", J{{"dir", a.context.root}, {"how", a.contextNote}, {"bytes", a.context.totalBytes}, {"files", a.context.files.size()},
                        {"dockerignore", a.context.hasDockerignore}, {"ignoredBytes", a.context.ignoredBytes}});
  w_.key("variants");
  w_.beginArray();
}

namespace {

struct LayerIds {
  std::uint32_t reason = 0, source = 0, proxy = 0;
  std::vector<std::uint32_t> notes, unknown, seconds;
};

void writeIds(JsonWriter& w, const char* key, const std::vector<std::uint32_t>& ids) {
  if (ids.empty()) return;
  w.key(key);
  w.beginArrayLine();
  for (auto id : ids) w.value(AnalysisJsonWriter::State::name(id));
  w.endArray();
}

}  // namespace

namespace {
void writeLayer(JsonWriter& w, AnalysisJsonWriter::State& s, const LayerEstimate& l, const char* variantId) {
  LayerIds ids;
  if (!l.reason.empty()) ids.reason = s.id(l.reason);
  ids.source = s.id(l.source);
  for (const auto& n : l.notes) ids.notes.push_back(s.id(n));
  for (const auto& u : l.unknownParts) ids.unknown.push_back(s.id(u));
  for (const auto& t : l.timeUnknownParts) ids.seconds.push_back(s.id(t));
  if (!l.proxyNote.empty()) ids.proxy = s.id(l.proxyNote);
  w.beginObjectLine();
  if (!l.fromBase) {
    // Written before, identical apart from where it is: named, not repeated.
    std::string& k = s.key;
    k.clear();
    putText(k, l.instruction.str());
    putText(k, categoryId(l.category));
    putText(k, basisId(l.basis));
    putRange(k, l.disk);
    putRange(k, l.compressed);
    putBytes(k, &l.seconds, sizeof l.seconds);
    putNumber(k, l.secondsOpen);
    putNumber(k, ids.reason);
    putNumber(k, ids.source);
    putNumber(k, ids.proxy);
    for (const auto* list : {&ids.notes, &ids.unknown, &ids.seconds}) {
      putNumber(k, list->size());
      for (auto id : *list) putNumber(k, id);
    }
    putNumber(k, l.parts.size());
    for (const auto& [what, r] : l.parts) {
      putText(k, what);
      putRange(k, r);
    }
    auto [it, added] = s.written.try_emplace(keyOf(k), AnalysisJsonWriter::State::Written{variantId, l.line, l.stage});
    if (!added) {
      // What the named layer says, with this one's line (and stage, when another).
      const auto& named = it->second;
      if (l.stage != named.stage) w.field("stage", l.stage);
      w.field("line", l.line);
      w.key("sameAs");
      w.beginObject();
      if (std::strcmp(named.variant, "original") != 0) w.field("variant", named.variant);  // else your Dockerfile's
      w.field("line", named.line);
      w.endObject();
      w.endObject();
      return;
    }
  }
  w.field("stage", l.stage);
  w.field("line", l.line);
  if (l.fromBase) w.field("fromBase", true);
  w.field("instruction", l.instruction);
  w.field("category", categoryId(l.category));
  w.field("basis", basisId(l.basis));
  w.key("diskBytes");
  writeRange(w, l.disk, RangeForm::Layer);
  w.key("compressedBytes");
  writeRange(w, l.compressed, RangeForm::Layer);
  w.field("seconds", l.seconds);
  if (l.secondsOpen) w.field("secondsLowerBound", true);
  if (ids.reason) w.field("reason", AnalysisJsonWriter::State::name(ids.reason));
  w.field("source", AnalysisJsonWriter::State::name(ids.source));
  writeIds(w, "notes", ids.notes);
  writeIds(w, "unknown", ids.unknown);
  writeIds(w, "secondsUnknown", ids.seconds);
  if (ids.proxy) w.field("proxy", AnalysisJsonWriter::State::name(ids.proxy));
  if (!l.parts.empty()) {
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
  }
  w.endObject();
}

// Findings grouped by rule (and what the rule says: severity, title, explanation, fix), each
// group with the places it was found, in the order the findings come (by line).
void writeFindings(JsonWriter& w, const std::vector<lint::Finding>& findings) {
  std::vector<std::vector<const lint::Finding*>> groups;
  std::unordered_map<std::string_view, std::vector<std::size_t>> byRule;
  auto same = [](const lint::Finding& a, const lint::Finding& b) {
    return a.severity == b.severity && a.title == b.title && a.category == b.category && a.where.file == b.where.file &&
           a.explanation.str() == b.explanation.str() && a.fix.str() == b.fix.str();
  };
  for (const auto& f : findings) {
    auto& candidates = byRule[f.ruleId];
    std::size_t g = groups.size();
    for (std::size_t c : candidates)
      if (same(*groups[c].front(), f)) g = c;
    if (g == groups.size()) {
      groups.emplace_back();
      candidates.push_back(g);
    }
    groups[g].push_back(&f);
  }
  w.key("findings");
  w.beginArray();
  for (const auto& group : groups) {
    const lint::Finding& f = *group.front();
    w.beginObject();
    w.field("rule", f.ruleId);
    w.field("severity", severityName(f.severity));
    w.field("category", f.category);
    w.field("title", f.title);
    w.field("file", f.where.file);
    w.field("explanation", f.explanation);
    w.field("fix", f.fix);
    w.key("at");
    w.beginArray();
    for (const auto* p : group) {
      w.beginObjectLine();
      w.field("line", p->where.line);
      if (p->where.endLine > p->where.line) w.field("endLine", p->where.endLine);
      w.field("stage", p->stage);
      w.field("message", p->message);
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }
  w.endArray();
}

// Records that differ only in their line, as one record with the lines, in order of first line.
template <class T, class KeyOf>
std::vector<std::pair<const T*, std::vector<int>>> groupByLine(const std::vector<T>& items, KeyOf keyOf) {
  std::vector<std::pair<const T*, std::vector<int>>> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& item : items) {
    auto [it, added] = index.try_emplace(keyOf(item), groups.size());
    if (added) groups.push_back({&item, {}});
    groups[it->second].second.push_back(item.line);
  }
  return groups;
}

// What happened to your instructions (fidelity: the lines of yours each action and reason
// applies to) and why the variant's own lines are there (addedLines). The variant's lines
// written for the same reason as an action on yours go with that action (`variantLines`): a
// rewritten RUN says once why, with its lines in both texts.
void writeFidelity(JsonWriter& w, const std::vector<generate::FidelityEntry>& fidelity, const std::vector<generate::LineNote>& notes) {
  auto actions = groupByLine(fidelity, [](const generate::FidelityEntry& f) { return f.action + '\0' + f.reason.str(); });
  auto added = groupByLine(notes, [](const generate::LineNote& n) { return n.reason; });
  std::unordered_map<std::string_view, std::size_t> addedBy;
  for (std::size_t i = 0; i < added.size(); ++i) addedBy.emplace(added[i].first->reason, i);
  std::vector<bool> told(added.size(), false);
  w.key("fidelity");
  w.beginArray();
  for (const auto& [f, lines] : actions) {
    w.beginObjectLine();
    w.field("action", f->action);
    w.field("reason", f->reason);
    w.key("lines");
    writeLines(w, lines);
    auto it = addedBy.find(f->reason.str());
    if (it != addedBy.end() && !told[it->second]) {
      told[it->second] = true;
      w.key("variantLines");
      writeLines(w, added[it->second].second);
    }
    w.endObject();
  }
  w.endArray();
  w.key("addedLines");
  w.beginArray();
  for (std::size_t i = 0; i < added.size(); ++i) {
    if (told[i]) continue;
    w.beginObjectLine();
    w.field("reason", added[i].first->reason);
    w.key("lines");
    writeLines(w, added[i].second);
    w.endObject();
  }
  w.endArray();
}

}  // namespace

void AnalysisJsonWriter::variant(const VariantResult& v) {
  State& s = *s_;
  const char* vid = generate::variantId(v.kind);
  w_.beginObject();
  w_.field("id", vid);
  w_.field("title", generate::variantTitle(v.kind));
  if (v.parseError) {
    w_.field("error", v.parseError->format());
    w_.endObject();
    return;
  }
  const auto& e = v.estimate;
  w_.field("base", e.baseImage);
  w_.key("diskBytes");
  writeRange(w_, e.disk, RangeForm::Total);
  w_.key("compressedBytes");
  writeRange(w_, e.compressed, RangeForm::Total);
  w_.key("coverage");
  w_.beginObject();
  w_.field("complete", e.coverage.complete);
  w_.key("unknownLayers");
  writeLines(w_, e.coverage.unknownLayers);
  w_.key("proxyLayers");
  writeLines(w_, e.coverage.proxyLayers);
  w_.field("unknownLayerCount", e.coverage.unknownCount);
  w_.field("proxyLayerCount", e.coverage.proxyCount);
  w_.endObject();
  w_.key("buildSeconds");
  w_.beginObject();
  w_.field("cold", e.buildSecondsCold);
  w_.field("warm", e.buildSecondsWarm);
  w_.field("warmNote", e.warmNote);
  w_.field("coldLowerBound", e.coldLowerBound);
  w_.field("warmLowerBound", e.warmLowerBound);  // the layers' secondsUnknown say why
  w_.endObject();
  w_.field("compilerInFinalImage", e.compilerInFinal);
  w_.field("headersInFinalImage", e.headersInFinal);
  w_.key("layers");
  w_.beginArray();
  for (const auto& l : e.layers) writeLayer(w_, s, l, vid);
  w_.endArray();
  w_.key("builderLayers");
  w_.beginArray();
  for (const auto& l : e.builderLayers) writeLayer(w_, s, l, vid);
  w_.endArray();
  w_.key("packages");
  w_.beginArray();
  for (const auto& p : e.packages) {
    w_.beginObjectLine();
    w_.field("name", p.name);
    w_.field("version", p.version);
    w_.field("distribution", p.distribution);
    w_.field("downloadBytes", p.downloadBytes);
    w_.key("installedBytes");
    writeRange(w_, p.installed);
    w_.field("compiles", p.compiles);
    w_.key("compileMinutes");
    w_.beginArray();
    w_.value(p.compileMinutesLow);
    w_.value(p.compileMinutesHigh);
    w_.endArray();
    w_.field("reason", p.reason);
    if (!p.asked.empty()) {
      w_.field("asked", p.asked);
      w_.field("basis", "proxy");
    }
    w_.endObject();
  }
  w_.endArray();
  writeFindings(w_, v.findings);
  // What is unknown and on a layer is said there (`unknown`), not again here.
  w_.field("unknowns", e.unknownsOffLayers);
  w_.key("diagnostics");
  w_.beginArray();
  for (const auto& d : v.model.diagnostics) {
    w_.beginObjectLine();
    w_.field("severity", severityName(d.severity));
    w_.field("line", d.where.line);
    w_.field("message", d.message);
    w_.endObject();
  }
  w_.endArray();
  if (v.kind != generate::VariantKind::Original) {
    writeFidelity(w_, v.fidelity, v.lineNotes);  // what happened to your instructions (issue 11)
    w_.key("untranslated");
    w_.beginArray();
    for (const auto& u : v.untranslated) {
      w_.beginObjectLine();
      w_.field("line", u.line);
      w_.field(u.command ? "command" : "package", u.package);
      w_.field("family", u.family);
      w_.endObject();
    }
    w_.endArray();
  }
  if (v.kind != generate::VariantKind::Original) w_.field("dockerfile", v.dockerfile);  // yours is the file you gave
  w_.endObject();
}

void AnalysisJsonWriter::tail() {
  w_.endArray();
  // Every text a layer names by id, once.
  w_.key("reasons");
  w_.beginObject();
  for (std::size_t i = 0; i < s_->texts.size(); ++i) w_.field(State::name(static_cast<std::uint32_t>(i + 1)), s_->texts[i].str());
  w_.endObject();
  w_.endObject();
}

void writeAnalysisJson(JsonWriter& w, const Analysis& a) {
  AnalysisJsonWriter out(w);
  out.head(a);
  for (const auto& v : a.variants) out.variant(v);
  out.tail();
}

nlohmann::ordered_json analysisJson(const Analysis& a) {
  JsonWriter w;
  writeAnalysisJson(w, a);
  return nlohmann::ordered_json::parse(w.text());
}

}  // namespace slimbench::estimate
