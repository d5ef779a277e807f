#include "image/report.h"

#include <cmath>
#include <cstdio>

namespace slimbench::image {

using json = nlohmann::json;

bool CiResult::pass() const {
  for (const auto& r : rules)
    if (!r.pass) return false;
  return true;
}

CiResult evaluate(const Analysis& a, const CiRules& rules) {
  CiResult out;
  char buf[256];
  if (rules.lowestEfficiency) {
    bool ok = a.efficiency >= *rules.lowestEfficiency;
    std::snprintf(buf, sizeof buf, "efficiency %.4f %s %.4f", a.efficiency, ok ? ">=" : "is below",
                  *rules.lowestEfficiency);
    out.rules.push_back({"lowest-efficiency", ok, buf});
  }
  if (rules.highestWastedBytes) {
    bool ok = a.wastedBytes <= *rules.highestWastedBytes;
    out.rules.push_back({"highest-wasted-bytes", ok,
                         "wasted " + std::to_string(a.wastedBytes) + " bytes " + (ok ? "<= " : "is above ") +
                             std::to_string(*rules.highestWastedBytes)});
  }
  if (rules.highestUserWastedPercent) {
    bool ok = a.wastedUserPercent <= *rules.highestUserWastedPercent;
    std::snprintf(buf, sizeof buf, "user wasted fraction %.4f %s %.4f", a.wastedUserPercent, ok ? "<=" : "is above",
                  *rules.highestUserWastedPercent);
    out.rules.push_back({"highest-user-wasted-percent", ok, buf});
  }
  return out;
}

json treeToJson(const FileTree& t, std::int32_t node, int depth) {
  const FileNode& n = t.node(node);
  json j = {{"name", t.name(node)}, {"type", nodeTypeName(n.type)}, {"size", n.totalSize}, {"files", n.fileCount},
            {"layer", n.layer}};
  if (n.link) j["link"] = t.link(node);
  if (n.type == NodeType::Dir && depth > 0) {
    json kids = json::array();
    for (auto c : t.children(node)) kids.push_back(treeToJson(t, c, depth - 1));
    j["children"] = std::move(kids);
  }
  return j;
}

namespace {
json memoryJson(const Image& img) {
  auto m = img.memory();
  return {{"treeNodes", m.treeNodes},
          {"treeBytes", m.treeBytes},
          {"entries", m.entries},
          {"entriesBytes", m.entriesBytes},
          {"namesBytes", m.namesBytes},
          {"totalBytes", m.total()}};
}
}  // namespace

json toJson(const Image& img, const Analysis& a, int treeDepth, const FileTree* tree) {
  json layers = json::array();
  for (const auto& l : img.layers) {
    layers.push_back({{"index", l.index},
                      {"digest", l.digest},
                      {"diffId", l.diffId},
                      {"member", l.member},
                      {"mediaType", l.mediaType},
                      {"compression", l.compression},
                      {"decoder", l.decoder},
                      {"diffIdVerified", l.diffIdVerified},
                      {"compressedSize", l.compressedSize},
                      {"size", l.size},
                      {"contentBytes", l.contentBytes},
                      {"historyIndex", l.historyIndex},
                      {"createdBy", l.createdBy},
                      {"created", l.created},
                      {"entries", l.entryCount},
                      {"added", {{"files", l.added.count}, {"bytes", l.added.bytes}}},
                      {"changed", {{"files", l.changed.count}, {"bytes", l.changed.bytes}}},
                      {"removed", {{"files", l.removed.count}, {"bytes", l.removed.bytes}}}});
  }
  json history = json::array();
  for (const auto& h : img.config.history)
    history.push_back({{"createdBy", h.createdBy},
                       {"created", h.created},
                       {"comment", h.comment},
                       {"emptyLayer", h.emptyLayer},
                       {"layer", h.layerIndex >= 0 ? json(h.layerIndex) : json(nullptr)}});
  json wasted = json::array();
  for (const auto& w : a.wasted)
    wasted.push_back({{"path", w.path}, {"count", w.count}, {"bytes", w.bytes}, {"layers", w.layers}});
  json findings = json::array();
  for (const auto& f : a.findings)
    findings.push_back({{"id", f.id},
                        {"severity", severityName(f.severity)},
                        {"title", f.title},
                        {"detail", f.detail},
                        {"bytes", f.bytes},
                        {"paths", f.paths}});
  json warnings = json::array();
  for (const auto& w : img.warnings) warnings.push_back(w.format());
  json j = {{"path", img.path},
            {"format", formatName(img.format)},
            {"platform", img.platform.str()},
            {"platforms", img.platforms},
            {"references", img.references},
            {"manifestDigest", img.manifestDigest},
            {"configDigest", img.configDigest},
            {"size", img.totalSize()},
            {"compressedSize", img.totalCompressedSize()},
            {"contentBytes", img.totalContentBytes()},
            {"files", img.tree.root().fileCount},
            {"decoder", img.decoders()},
            {"memory", memoryJson(img)},
            {"layers", std::move(layers)},
            {"history", std::move(history)},
            {"analysis",
             {{"efficiency", a.efficiency},
              {"wastedBytes", a.wastedBytes},
              {"wastedUserPercent", a.wastedUserPercent},
              {"imageBytes", a.imageBytes},
              {"userBytes", a.userBytes},
              {"wastedFiles", std::move(wasted)},
              {"findings", std::move(findings)}}},
            {"warnings", std::move(warnings)}};
  if (treeDepth >= 0) j["tree"] = treeToJson(tree ? *tree : img.tree, FileTree::kRoot, treeDepth);
  return j;
}

std::optional<std::uint64_t> parseByteSize(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double v = 0;
  try {
    v = std::stod(std::string(s.substr(0, i)));
  } catch (...) {
    return std::nullopt;
  }
  std::string unit;
  for (char c : s.substr(i))
    if (c != ' ') unit += char(std::tolower(static_cast<unsigned char>(c)));
  double mul = 1;
  if (unit.empty() || unit == "b") mul = 1;
  else if (unit == "k" || unit == "kb") mul = 1e3;
  else if (unit == "m" || unit == "mb") mul = 1e6;
  else if (unit == "g" || unit == "gb") mul = 1e9;
  else if (unit == "t" || unit == "tb") mul = 1e12;
  else if (unit == "kib") mul = 1024.0;
  else if (unit == "mib") mul = 1024.0 * 1024;
  else if (unit == "gib") mul = 1024.0 * 1024 * 1024;
  else if (unit == "tib") mul = 1024.0 * 1024 * 1024 * 1024;
  else return std::nullopt;
  double r = v * mul;
  if (!std::isfinite(r) || r < 0 || r > 9.0e18) return std::nullopt;
  return std::uint64_t(std::llround(r));
}

}  // namespace slimbench::image
