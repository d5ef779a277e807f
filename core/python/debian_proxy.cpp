#include "python/debian_proxy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "python/version.h"

namespace slimbench::python {

struct DebianProxy::Data {
  std::string text;
  struct Line {
    std::string_view name, value;
  };
  std::vector<Line> index;  // sorted by name
};

std::string DebianBuild::upstreamVersion() const {
  std::string v = version;
  if (auto c = v.find(':'); c != std::string::npos) v = v.substr(c + 1);
  if (auto d = v.rfind('-'); d != std::string::npos) v = v.substr(0, d);
  // Debian marks repacked sources (+dfsg, +ds, ~) after the upstream version.
  for (const char* mark : {"+dfsg", "+ds", "+really", "~"})
    if (auto m = v.find(mark); m != std::string::npos && m > 0) v = v.substr(0, m);
  return v;
}

Result<DebianProxy> DebianProxy::fromJson(std::string_view json) {
  auto fail = [](std::string m) {
    Diagnostic d;
    d.where.file = "catalogue/debian-python-proxy.json";
    d.message = std::move(m);
    return d;
  };
  auto data = std::make_shared<Data>();
  data->text.assign(json.begin(), json.end());
  const std::string_view all = data->text;
  constexpr std::string_view kPackages = "\n\"packages\": {\n";
  const auto at = all.find(kPackages);
  if (at == std::string_view::npos) return fail("no \"packages\" object (one package per line)");
  for (std::size_t pos = at + kPackages.size(); pos < all.size();) {
    auto eol = all.find('\n', pos);
    if (eol == std::string_view::npos) eol = all.size();
    std::string_view line = all.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.size() < 4 || line[0] != '"') continue;
    auto q = line.find('"', 1);
    if (q == std::string_view::npos || q + 1 >= line.size() || line[q + 1] != ':') return fail("bad package line");
    std::string_view value = line.substr(q + 2);
    while (!value.empty() && (value.back() == ',' || value.back() == '\r')) value.remove_suffix(1);
    data->index.push_back({line.substr(1, q - 1), value});
  }
  std::sort(data->index.begin(), data->index.end(), [](const Data::Line& a, const Data::Line& b) { return a.name < b.name; });
  DebianProxy p;
  p.data_ = std::move(data);
  return p;
}

std::optional<DebianProxyEntry> DebianProxy::find(std::string_view name) const {
  if (!data_) return std::nullopt;
  const std::string n = normalizeName(name);
  auto it = std::lower_bound(data_->index.begin(), data_->index.end(), std::string_view(n),
                             [](const Data::Line& l, std::string_view x) { return l.name < x; });
  if (it == data_->index.end() || it->name != n) return std::nullopt;
  auto j = nlohmann::json::parse(it->value.begin(), it->value.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("deb") || !j["deb"].is_string()) return std::nullopt;
  DebianProxyEntry e;
  e.name = n;
  e.package = j["deb"].get<std::string>();
  if (j.contains("in") && j["in"].is_object())
    for (const auto& [key, v] : j["in"].items()) {
      // "suite/arch", or "suite" when every architecture has the same figures.
      if (!v.is_array() || v.size() < 4 || !v[0].is_string()) continue;
      auto slash = key.find('/');
      std::vector<std::string> arches;
      if (slash == std::string::npos) arches = {"amd64", "arm64"};
      else arches = {key.substr(slash + 1)};
      for (const auto& arch : arches) {
        DebianBuild b;
        b.suite = key.substr(0, slash);
        b.arch = arch;
        b.version = v[0].get<std::string>();
        if (v[1].is_number_integer()) b.installedKiB = v[1].get<std::int64_t>();
        if (v[2].is_number_integer()) b.debBytes = v[2].get<std::int64_t>();
        b.archAll = v[3].is_number() && v[3].get<int>() != 0;
        if (b.installedKiB >= 0) e.builds.push_back(std::move(b));
      }
    }
  if (j.contains("deps") && j["deps"].is_array())
    for (const auto& d : j["deps"])
      if (d.is_string()) e.dependencies.push_back(normalizeName(d.get<std::string>()));
  if (e.builds.empty()) return std::nullopt;
  return e;
}

const DebianBuild* DebianProxy::pick(const DebianProxyEntry& e, std::string_view arch, std::string_view suite) {
  for (bool sameArch : {true, false})
    for (std::string_view s : {suite, std::string_view("trixie"), std::string_view("bookworm")}) {
      if (s.empty()) continue;
      for (const auto& b : e.builds)
        if (b.suite == s && (!sameArch || b.arch == arch)) return &b;
    }
  return e.builds.empty() ? nullptr : &e.builds.front();
}

std::size_t DebianProxy::size() const { return data_ ? data_->index.size() : 0; }

std::vector<std::string> DebianProxy::names() const {
  std::vector<std::string> out;
  if (data_)
    for (const auto& l : data_->index) out.emplace_back(l.name);
  return out;
}

}  // namespace slimbench::python
