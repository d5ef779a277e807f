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
nlohmann::ordered_json stepJson(const Step& step) {
  nlohmann::ordered_json i = {{"instruction", kindName(step.kind)}, {"line", step.startLine}, {"endLine", step.endLine},
                              {"createsLayer", step.createsLayer}, {"text", step.original}, {"json", step.json},
                              {"args", step.args}};
  nlohmann::ordered_json flags = nlohmann::ordered_json::object();
  for (const auto& [k, v] : step.flagList) {
    if (!flags.contains(k)) flags[k] = v;
    else {
      if (!flags[k].is_array()) flags[k] = nlohmann::ordered_json::array({flags[k]});
      flags[k].push_back(v);
    }
  }
  if (step.flagList.empty())
    for (const auto& [k, v] : step.flags) flags[k] = v;
  i["flags"] = flags;
  if (!step.keyValues.empty()) {
    i["keyValues"] = nlohmann::ordered_json::array();
    for (const auto& kv : step.keyValues)
      i["keyValues"].push_back({{"key", kv.key}, {"value", kv.hasValue ? nlohmann::ordered_json(kv.value) : nlohmann::ordered_json()}});
  }
  if (step.kind == Kind::Run) {
    i["script"] = step.script;
    i["commands"] = nlohmann::ordered_json::array();
    for (const auto& c : step.commands) {
      nlohmann::ordered_json cj = {{"argv", c.argv}, {"op", c.op}};
      if (c.conditional) cj["conditional"] = true;
      if (!c.redirects.empty()) cj["redirects"] = c.redirects;
      i["commands"].push_back(std::move(cj));
    }
    i["operations"] = nlohmann::ordered_json::array();
    for (const auto& op : step.operations) i["operations"].push_back(opJson(op));
    i["mounts"] = nlohmann::ordered_json::array();
    for (const auto& mt : step.mounts) {
      nlohmann::ordered_json mj = mt.fields;
      mj["type"] = mt.type;
      i["mounts"].push_back(mj);
    }
  }
  if (step.kind == Kind::Copy || step.kind == Kind::Add) {
    i["sources"] = step.sources;
    i["destination"] = step.destination;
    i["from"] = step.copyFrom.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(step.copyFrom);
    i["fromStage"] = step.copyFromStage >= 0 ? nlohmann::ordered_json(step.copyFromStage) : nlohmann::ordered_json();
  }
  if (!step.heredocs.empty()) {
    i["heredocs"] = nlohmann::ordered_json::array();
    for (const auto& h : step.heredocs)
      i["heredocs"].push_back({{"name", h.name}, {"fd", h.fileDescriptor}, {"expand", h.expand}, {"chomp", h.chomp},
                               {"content", h.body()}});
  }
  return i;
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
    for (const auto& step : st.steps) w.value(stepJson(step));
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
