#include "dockerfile/json.h"

namespace slimbench::dockerfile {

nlohmann::ordered_json toJson(const Diagnostic& d) {
  nlohmann::ordered_json j = {{"severity", severityName(d.severity)}, {"file", d.where.file}, {"line", d.where.line},
                      {"column", d.where.column}, {"message", d.message}};
  if (d.where.endLine) j["endLine"] = d.where.endLine;
  return j;
}

namespace {
nlohmann::ordered_json opJson(const PackageOp& op) {
  nlohmann::ordered_json o = {{"tool", op.tool}, {"action", op.action}, {"packages", op.packages}, {"command", op.text},
                      {"commandIndex", op.commandIndex}};
  if (!op.requirementFiles.empty()) o["requirements"] = op.requirementFiles;
  if (!op.constraintFiles.empty()) o["constraints"] = op.constraintFiles;
  if (!op.editables.empty()) o["editables"] = op.editables;
  if (!op.virtualName.empty()) o["virtual"] = op.virtualName;
  if (!op.dynamic.empty()) o["dynamic"] = op.dynamic;
  if (op.conditional) o["conditional"] = true;
  if (op.conditional && !op.condition.empty()) o["condition"] = op.condition;
  if (!op.scope.empty()) o["scope"] = op.scope;
  if (!op.venv.empty()) o["venv"] = op.venv;
  if (!op.interpreter.empty()) o["interpreter"] = op.interpreter;
  if (op.distroPython) o["distroPython"] = true;
  nlohmann::ordered_json opts = nlohmann::ordered_json::object();
  for (const auto& [k, v] : op.options) {
    if (opts.contains(k)) {
      if (!opts[k].is_array()) opts[k] = nlohmann::ordered_json::array({opts[k]});
      opts[k].push_back(v.empty() ? nlohmann::ordered_json(true) : nlohmann::ordered_json(v));
    } else {
      opts[k] = v.empty() ? nlohmann::ordered_json(true) : nlohmann::ordered_json(v);
    }
  }
  o["options"] = opts;
  return o;
}
}  // namespace

namespace {
// One instruction, field by field (a 100k-line Dockerfile has 100k of them).
void writeStep(JsonWriter& w, const Step& step) {
  using J = nlohmann::ordered_json;
  w.beginObject();
  w.field("instruction", kindName(step.kind));
  w.field("line", step.startLine);
  w.field("endLine", step.endLine);
  w.field("createsLayer", step.createsLayer);
  w.field("text", step.original());
  w.field("json", step.json());
  w.arrayField("args", step.args());
  if (step.flagList().empty() && step.flags().empty()) {
    w.key("flags");
    w.beginObject();
    w.endObject();
  } else {
    J flags = J::object();
    for (const auto& [k, v] : step.flagList()) {
      if (!flags.contains(k)) flags[k] = v;
      else {
        if (!flags[k].is_array()) flags[k] = J::array({flags[k]});
        flags[k].push_back(v);
      }
    }
    if (step.flagList().empty())
      for (const auto& [k, v] : step.flags()) flags[k] = v;
    w.field("flags", flags);
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
      if (!c.redirects.empty()) w.field("redirects", c.redirects);
      w.endObject();
    }
    w.endArray();
    w.key("operations");
    w.beginArray();
    for (const auto& op : step.operations()) w.value(opJson(op));
    w.endArray();
    w.key("mounts");
    w.beginArray();
    for (const auto& mt : step.mounts()) {
      J mj = mt.fields;
      mj["type"] = mt.type;
      w.value(mj);
    }
    w.endArray();
  }
  if (step.kind == Kind::Copy || step.kind == Kind::Add) {
    w.field("sources", std::vector<std::string>(step.sources().begin(), step.sources().end()));
    w.field("destination", step.destination());
    if (step.copyFrom().empty()) w.field("from", nullptr);
    else w.field("from", step.copyFrom());
    if (step.copyFromStage >= 0) w.field("fromStage", step.copyFromStage);
    else w.field("fromStage", nullptr);
  }
  if (!step.heredocs().empty()) {
    w.key("heredocs");
    w.beginArray();
    for (const auto& h : step.heredocs())
      w.value(J{{"name", h.name}, {"fd", h.fileDescriptor}, {"expand", h.expand}, {"chomp", h.chomp}, {"content", h.body()}});
    w.endArray();
  }
  w.endObject();
}
}  // namespace

void writeJson(JsonWriter& w, const SyntaxTree& tree, const Model& m) {
  using J = nlohmann::ordered_json;
  w.beginObject();
  w.field("file", m.file);
  w.field("escape", std::string(1, tree.escapeToken));
  w.key("directives");
  w.beginArray();
  for (const auto& d : tree.directives) w.value(J{{"name", d.name}, {"value", d.value}, {"line", d.line}});
  w.endArray();
  w.key("globalArgs");
  w.beginArray();
  for (const auto& a : m.globalArgs) w.value(J{{"name", a.key}, {"default", a.hasValue ? J(a.value) : J()}});
  w.endArray();
  w.field("finalStage", m.finalStage);
  // Stages, each with its instructions written one at a time, then the layers.
  w.key("stages");
  w.beginArray();
  for (const auto& st : m.stages) {
    w.beginObject();
    w.field("index", st.index);
    w.field("name", st.name.empty() ? J() : J(st.name));
    w.field("base", st.baseImage);
    w.field("baseStage", st.baseStage >= 0 ? J(st.baseStage) : J());
    w.field("platform", st.platform.empty() ? J() : J(st.platform));
    w.field("line", st.line);
    w.field("final", st.index == m.finalStage);
    w.field("reachable", st.reachable);
    w.field("inFinalImage", st.inFinalImage);
    w.field("dependsOn", st.dependsOn);
    w.field("env", J(st.env));
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
      if (step.createsLayer)
        w.value(J{{"stage", st.index}, {"instruction", kindName(step.kind)}, {"line", step.startLine}, {"final", st.inFinalImage}});
  w.endArray();
  w.key("diagnostics");
  w.beginArray();
  for (const auto& d : tree.warnings) w.value(toJson(d));
  for (const auto& d : m.diagnostics) w.value(toJson(d));
  w.endArray();
  w.endObject();
}

nlohmann::ordered_json toJson(const SyntaxTree& tree, const Model& m) {
  JsonWriter w;
  writeJson(w, tree, m);
  return nlohmann::ordered_json::parse(w.text());
}

}  // namespace slimbench::dockerfile
