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

nlohmann::ordered_json toJson(const SyntaxTree& tree, const Model& m) {
  nlohmann::ordered_json j;
  j["file"] = m.file;
  j["escape"] = std::string(1, tree.escapeToken);
  j["directives"] = nlohmann::ordered_json::array();
  for (const auto& d : tree.directives) j["directives"].push_back({{"name", d.name}, {"value", d.value}, {"line", d.line}});
  j["globalArgs"] = nlohmann::ordered_json::array();
  for (const auto& a : m.globalArgs)
    j["globalArgs"].push_back({{"name", a.key}, {"default", a.hasValue ? nlohmann::ordered_json(a.value) : nlohmann::ordered_json()}});
  j["finalStage"] = m.finalStage;
  j["stages"] = nlohmann::ordered_json::array();
  j["layers"] = nlohmann::ordered_json::array();
  for (const auto& st : m.stages) {
    nlohmann::ordered_json s = {{"index", st.index},
                        {"name", st.name.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(st.name)},
                        {"base", st.baseImage},
                        {"baseStage", st.baseStage >= 0 ? nlohmann::ordered_json(st.baseStage) : nlohmann::ordered_json()},
                        {"platform", st.platform.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(st.platform)},
                        {"line", st.line},
                        {"final", st.index == m.finalStage},
                        {"reachable", st.reachable},
                        {"inFinalImage", st.inFinalImage},
                        {"dependsOn", st.dependsOn},
                        {"env", st.env}};
    s["instructions"] = nlohmann::ordered_json::array();
    for (const auto& step : st.steps) {
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
      if (step.createsLayer)
        j["layers"].push_back({{"stage", st.index}, {"instruction", kindName(step.kind)}, {"line", step.startLine},
                               {"final", st.inFinalImage}});
      s["instructions"].push_back(i);
    }
    j["stages"].push_back(s);
  }
  j["diagnostics"] = nlohmann::ordered_json::array();
  for (const auto& d : tree.warnings) j["diagnostics"].push_back(toJson(d));
  for (const auto& d : m.diagnostics) j["diagnostics"].push_back(toJson(d));
  return j;
}

}  // namespace slimbench::dockerfile
