#include "dockerfile/json.h"

#include <string_view>
#include <unordered_map>

namespace slimbench::dockerfile {

namespace {
// The objects below are written field by field, in the order (and as the text) the ordered_json
// documents built for them dumped: a document per diagnostic, operation or layer was most of the
// allocations of `parse --json`.
void writeDiagnostic(JsonWriter& w, const Diagnostic& d) {
  w.beginObject();
  w.field("severity", severityName(d.severity));
  w.field("file", d.where.file);
  w.field("line", d.where.line);
  w.field("column", d.where.column);
  w.field("message", d.message);
  if (d.where.endLine) w.field("endLine", d.where.endLine);
  w.endObject();
}

// name: value, or name: [value, ...] for a name given more than once, in the order the names
// first appear (what an ordered_json object made by adding the pairs one at a time held).
// `boolWhenEmpty`: an empty value is written as true (a switch).
void writeGrouped(JsonWriter& w, const std::vector<std::pair<std::string, std::string>>& pairs, bool boolWhenEmpty) {
  auto put = [&](const std::string& v) {
    if (boolWhenEmpty && v.empty()) w.value(true);
    else w.value(v);
  };
  if (pairs.size() <= 8) {  // the usual few: compared with each other, nothing allocated
    w.beginObject();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const std::string& k = pairs[i].first;
      bool seen = false;
      for (std::size_t j = 0; j < i && !seen; ++j) seen = pairs[j].first == k;
      if (seen) continue;
      std::size_t count = 0;
      for (std::size_t j = i; j < pairs.size(); ++j) count += pairs[j].first == k;
      w.key(k);
      if (count == 1) {
        put(pairs[i].second);
        continue;
      }
      w.beginArray();
      for (std::size_t j = i; j < pairs.size(); ++j)
        if (pairs[j].first == k) put(pairs[j].second);
      w.endArray();
    }
    w.endObject();
    return;
  }
  // Many (a RUN may carry thousands of options): the places of each name's pairs, indexed, names in
  // order of first appearance.
  std::vector<std::vector<std::size_t>> groups;
  std::unordered_map<std::string_view, std::size_t> group;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    auto [it, fresh] = group.try_emplace(pairs[i].first, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  w.beginObject();
  for (const auto& g : groups) {
    w.key(pairs[g.front()].first);
    if (g.size() == 1) {
      put(pairs[g.front()].second);
      continue;
    }
    w.beginArray();
    for (std::size_t i : g) put(pairs[i].second);
    w.endArray();
  }
  w.endObject();
}

void writeOp(JsonWriter& w, const PackageOp& op) {
  w.beginObject();
  w.field("tool", op.tool);
  w.field("action", op.action);
  w.arrayField("packages", op.packages);
  w.field("command", op.text);
  w.field("commandIndex", op.commandIndex);
  if (!op.requirementFiles.empty()) w.arrayField("requirements", op.requirementFiles);
  if (!op.constraintFiles.empty()) w.arrayField("constraints", op.constraintFiles);
  if (!op.editables.empty()) w.arrayField("editables", op.editables);
  if (!op.virtualName.empty()) w.field("virtual", op.virtualName);
  if (!op.dynamic.empty()) w.arrayField("dynamic", op.dynamic);
  if (op.conditional) w.field("conditional", true);
  if (op.conditional && !op.condition.empty()) w.field("condition", op.condition);
  if (!op.scope.empty()) w.field("scope", op.scope);
  if (!op.venv.empty()) w.field("venv", op.venv);
  if (!op.interpreter.empty()) w.field("interpreter", op.interpreter);
  if (op.distroPython) w.field("distroPython", true);
  w.key("options");
  writeGrouped(w, op.options, /*boolWhenEmpty=*/true);
  w.endObject();
}
}  // namespace

nlohmann::ordered_json toJson(const Diagnostic& d) {
  nlohmann::ordered_json j = {{"severity", severityName(d.severity)}, {"file", d.where.file}, {"line", d.where.line},
                      {"column", d.where.column}, {"message", d.message}};
  if (d.where.endLine) j["endLine"] = d.where.endLine;
  return j;
}

namespace {
// One instruction, field by field (a 100k-line Dockerfile has 100k of them).
void writeStep(JsonWriter& w, const Step& step) {
  w.beginObject();
  w.field("instruction", kindName(step.kind));
  w.field("line", step.startLine);
  w.field("endLine", step.endLine);
  w.field("createsLayer", step.createsLayer);
  w.field("text", step.original());
  w.field("json", step.json());
  w.arrayField("args", step.args());
  w.key("flags");
  if (!step.flagList().empty()) {
    writeGrouped(w, step.flagList(), /*boolWhenEmpty=*/false);
  } else {
    w.beginObject();
    for (const auto& [k, v] : step.flags()) w.field(k, v);
    w.endObject();
  }
  if (!step.keyValues().empty()) {
    w.key("keyValues");
    w.beginArray();
    for (const auto& kv : step.keyValues()) {
      w.beginObject();
      w.field("key", kv.key);
      if (kv.hasValue) w.field("value", kv.value);
      else w.field("value", nullptr);
      w.endObject();
    }
    w.endArray();
  }
  if (step.kind == Kind::Run) {
    w.field("script", step.script());
    w.key("commands");
    w.beginArray();
    for (const auto& c : step.commands()) {
      w.beginObject();
      w.arrayField("argv", c.argv);
      w.field("op", c.op);
      if (c.conditional) w.field("conditional", true);
      if (!c.redirects.empty()) w.arrayField("redirects", c.redirects);
      w.endObject();
    }
    w.endArray();
    w.key("operations");
    w.beginArray();
    for (const auto& op : step.operations()) writeOp(w, op);
    w.endArray();
    w.key("mounts");
    w.beginArray();
    for (const auto& mt : step.mounts()) {
      w.beginObject();
      for (const auto& [k, v] : mt.fields) w.field(k, v);  // never "type": parseMount keeps it apart
      w.field("type", mt.type);
      w.endObject();
    }
    w.endArray();
  }
  if (step.kind == Kind::Copy || step.kind == Kind::Add) {
    w.arrayField("sources", step.sources());
    w.field("destination", step.destination());
    if (step.copyFrom().empty()) w.field("from", nullptr);
    else w.field("from", step.copyFrom());
    if (step.copyFromStage >= 0) w.field("fromStage", step.copyFromStage);
    else w.field("fromStage", nullptr);
  }
  if (!step.heredocs().empty()) {
    w.key("heredocs");
    w.beginArray();
    for (const auto& h : step.heredocs()) {
      w.beginObject();
      w.field("name", h.name);
      w.field("fd", h.fileDescriptor);
      w.field("expand", h.expand);
      w.field("chomp", h.chomp);
      w.field("content", h.body());
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
}
}  // namespace

void writeJson(JsonWriter& w, const SyntaxTree& tree, const Model& m) {
  w.beginObject();
  w.field("file", m.file);
  w.field("escape", std::string_view(&tree.escapeToken, 1));
  w.key("directives");
  w.beginArray();
  for (const auto& d : tree.directives) {
    w.beginObject();
    w.field("name", d.name);
    w.field("value", d.value);
    w.field("line", d.line);
    w.endObject();
  }
  w.endArray();
  w.key("globalArgs");
  w.beginArray();
  for (const auto& a : m.globalArgs) {
    w.beginObject();
    w.field("name", a.key);
    if (a.hasValue) w.field("default", a.value);
    else w.field("default", nullptr);
    w.endObject();
  }
  w.endArray();
  w.field("finalStage", m.finalStage);
  // Stages, each with its instructions written one at a time, then the layers.
  w.key("stages");
  w.beginArray();
  for (const auto& st : m.stages) {
    w.beginObject();
    w.field("index", st.index);
    if (st.name.empty()) w.field("name", nullptr);
    else w.field("name", st.name);
    w.field("base", st.baseImage);
    if (st.baseStage >= 0) w.field("baseStage", st.baseStage);
    else w.field("baseStage", nullptr);
    if (st.platform.empty()) w.field("platform", nullptr);
    else w.field("platform", st.platform);
    w.field("line", st.line);
    w.field("final", st.index == m.finalStage);
    w.field("reachable", st.reachable);
    w.field("inFinalImage", st.inFinalImage);
    w.arrayField("dependsOn", st.dependsOn);
    w.key("env");
    w.beginObject();
    for (const auto& [k, v] : st.env) w.field(k, v);
    w.endObject();
    w.key("instructions");
    w.beginArray();
    for (const auto& step : st.steps) writeStep(w, step);
    w.endArray();
    w.endObject();
  }
  w.endArray();
  w.key("layers");
  w.beginArray();
  for (const auto& st : m.stages)
    for (const auto& step : st.steps)
      if (step.createsLayer) {
        w.beginObject();
        w.field("stage", st.index);
        w.field("instruction", kindName(step.kind));
        w.field("line", step.startLine);
        w.field("final", st.inFinalImage);
        w.endObject();
      }
  w.endArray();
  w.key("diagnostics");
  w.beginArray();
  for (const auto& d : tree.warnings) writeDiagnostic(w, d);
  for (const auto& d : m.diagnostics) writeDiagnostic(w, d);
  w.endArray();
  w.endObject();
}

nlohmann::ordered_json toJson(const SyntaxTree& tree, const Model& m) {
  JsonWriter w;
  writeJson(w, tree, m);
  return nlohmann::ordered_json::parse(w.text());
}

}  // namespace slimbench::dockerfile
