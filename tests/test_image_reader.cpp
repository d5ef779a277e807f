// Reading saved images: real podman output (tests/data/images), the three
// formats, compression, whiteouts/opaque dirs, history matching, platforms,
// the merged tree, dive's efficiency and the findings.
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

#include "image/analyze.h"
#include "image/image.h"
#include "image/report.h"
#include "image/sha256.h"
#include "imagegen.h"
#include "testutil.h"

using namespace slimbench::image;
using imagegen::Entry;
namespace fs = std::filesystem;

namespace {
std::string fixture(const std::string& name) { return testutil::sourceDir() + "/tests/data/images/" + name; }

Image mustOpen(const std::string& path, Options opt = {}) {
  auto r = open(path, opt);
  if (!r) qFatal("open %s failed: %s", path.c_str(), r.error().format().c_str());
  return std::move(*r);
}

const FileNode* nodeAt(const FileTree& t, const std::string& p) {
  auto i = t.find(p);
  return i < 0 ? nullptr : &t.node(i);
}
}  // namespace

class TestImageReader : public QObject {
  Q_OBJECT
  void sha256Once();

 private slots:
  void sha256Vectors();
  void podmanFixtures_data();
  void podmanFixtures();
  void podmanFixtureAnalysis();
  void opaqueAndWhiteoutRules();
  void compressionAndLayout_data();
  void compressionAndLayout();
  void emptyLayersMatchHistory();
  void dockerWithOciLayout();
  void platforms();
  void treeAtLayer();
  void symlinkParentsResolved();
  void ciRules();
  void byteSizes();
  void namePoolInterns();
  void compactTreeMatchesReference();
};

void TestImageReader::sha256Vectors() {
  sha256Once();
  // 1 MiB of patterned bytes, fed whole and in uneven pieces; the digest is
  // Python's hashlib over the same bytes (an independent implementation).
  std::string blob(1 << 20, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = char((i * 2654435761u) >> 13);
  const std::string expected = "f5600770a8695a85fc7bb6d18a40a5b80a2b8a39c86f346a1b58f8ccc1e8fde6";
  QCOMPARE(Sha256::hex(blob), expected);
  Sha256 h;
  for (std::size_t off = 0, step = 1; off < blob.size(); off += step, step = step * 3 % 65537 + 1)
    h.update(blob.data() + off, std::min(step, blob.size() - off));
  QCOMPARE(h.hexDigest(), expected);
  QCOMPARE(h.hexDigest(), Sha256::hex(""));  // a finished hash starts over
}

void TestImageReader::sha256Once() {
  QCOMPARE(Sha256::hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  QCOMPARE(Sha256::hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  Sha256 h;
  std::string chunk(1001, 'a');
  for (int i = 0; i < 1000; ++i) h.update(chunk.data(), i % 2 ? 999 : 1001);  // odd splits
  QCOMPARE(h.hexDigest(), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

void TestImageReader::podmanFixtures_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("format");
  QTest::newRow("docker-archive") << "tiny.docker.tar.gz" << "docker-archive";
  QTest::newRow("oci-archive") << "tiny.oci.tar" << "oci-archive";
  QTest::newRow("oci-dir") << "tiny.oci" << "oci-layout";
}

// The same podman-built image in three formats: sizes as podman history says, the merged tree.
void TestImageReader::podmanFixtures() {
  QFETCH(QString, file);
  QFETCH(QString, format);
  Image img = mustOpen(fixture(file.toStdString()));
  QCOMPARE(QString(formatName(img.format)), format);
  QCOMPARE(img.platform.str(), std::string("linux/amd64"));
  QCOMPARE(img.layers.size(), std::size_t(3));
  auto hist = nlohmann::json::parse(testutil::readFile(fixture("tiny.history.json")));
  // podman history lists newest first; sizes are the uncompressed layer tars.
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& h = hist[2 - i];
    QCOMPARE(img.layers[i].size, h["size"].get<std::uint64_t>());
    QCOMPARE(img.layers[i].createdBy, h["CreatedBy"].get<std::string>());
  }
  QCOMPARE(img.references.front(), std::string("localhost/tiny:latest"));
  if (format == "docker-archive") QCOMPARE(img.layers[0].compression, std::string("none"));
  else QCOMPARE(img.layers[0].compression, std::string("gzip"));
  QVERIFY(img.layers[0].compressedSize > 0);
  // Layer 2 deletes old.txt and cache/{a,b}.txt (whiteouts), rewrites data.bin, adds cache/c.txt.
  const auto& l2 = img.layers[1];
  QCOMPARE(l2.removed.count, std::uint64_t(3));
  QCOMPARE(l2.changed.count, std::uint64_t(1));
  QCOMPARE(l2.added.count, std::uint64_t(1));
  const FileTree& t = img.tree;
  QVERIFY(!nodeAt(t, "/app/old.txt"));
  QVERIFY(!nodeAt(t, "/app/cache/a.txt"));
  QVERIFY(nodeAt(t, "/app/cache/c.txt"));
  QCOMPARE(nodeAt(t, "/app/data.bin")->size, std::uint64_t(2000));
  QCOMPARE(nodeAt(t, "/app/data.bin")->layer, 1);
  QCOMPARE(nodeAt(t, "/app/hello.txt")->layer, 0);
  QCOMPARE(nodeAt(t, "/root/.cache/pip")->totalSize, std::uint64_t(1500));
  QCOMPARE(t.root().fileCount, std::uint64_t(6));
  QCOMPARE(t.root().totalSize, std::uint64_t(6 + 2000 + 2 + 1500 + 800 + 11));
  QCOMPARE(t.path(t.find("usr/lib/python3")), std::string("/usr/lib/python3"));
}

void TestImageReader::podmanFixtureAnalysis() {
  Image img = mustOpen(fixture("tiny.oci.tar"));
  Analysis a = analyze(img);
  // dive: data.bin 3000 + 2000 written twice; old.txt and cache/{a,b} written then deleted.
  QCOMPARE(a.wasted.size(), std::size_t(4));
  QCOMPARE(a.wasted[0].path, std::string("/app/data.bin"));
  QCOMPARE(a.wasted[0].bytes, std::uint64_t(5000));
  QCOMPARE(a.wasted[0].count, 2);
  std::uint64_t old = 29 + 2 + 2;
  QCOMPARE(a.wastedBytes, std::uint64_t(5000) + old);
  // minimum sizes: hello 6 + data 2000 + wheel 1500 + deleted ones 0 + c 2 + whl 800 + METADATA 11
  const double minimum = 6 + 2000 + 1500 + 2 + 800 + 11;
  const double discovered = minimum + 3000 + old;
  QVERIFY(std::abs(a.efficiency - minimum / discovered) < 1e-9);
  QCOMPARE(a.userBytes, std::uint64_t(2000 + 2 + 800 + 11));
  std::set<std::string> ids;
  for (const auto& f : a.findings) ids.insert(f.id);
  QVERIFY(ids.count("pip-cache"));
  QVERIFY(ids.count("wheel-installed"));
  QVERIFY(ids.count("removed-later"));
  QVERIFY(!ids.count("compiler"));
  auto j = toJson(img, a, 2);
  QCOMPARE(j["layers"].size(), std::size_t(3));
  QCOMPARE(j["layers"][1]["removed"]["files"].get<int>(), 3);
  QVERIFY(j["tree"]["children"].is_array());
}

// OCI rules: whiteouts and opaque markers hide lower layers only, wherever they sit in the tar.
void TestImageReader::opaqueAndWhiteoutRules() {
  QTemporaryDir tmp;
  auto l1 = imagegen::layer({{"etc", "", 'd'}, {"etc/keep", "k"}, {"etc/gone", "gggg"}, {"opt/dir/a", "aa"},
                             {"opt/dir/sub/b", "bbb"}, {"var/x", "x"}});
  // Opaque marker after a sibling it must not hide; whiteout of a directory; a
  // whiteout of a file this same layer writes (must not hide it).
  auto l2 = imagegen::layer({{"opt/dir/new", "n"}, {"opt/dir/.wh..wh..opq", ""}, {"etc/.wh.gone", ""},
                             {"var/.wh.x", ""}, {"var/x", "again"}, {"opt/.wh.nothing", ""}});
  auto cfg = imagegen::config({l1, l2});
  auto files = imagegen::dockerArchive({l1, l2}, cfg);
  auto path = fs::path(tmp.path().toStdString()) / "img.tar";
  imagegen::writeTar(path, files);
  Image img = mustOpen(path.string());
  const FileTree& t = img.tree;
  QVERIFY(nodeAt(t, "/etc/keep"));
  QVERIFY(!nodeAt(t, "/etc/gone"));
  QVERIFY(nodeAt(t, "/opt/dir/new"));
  QVERIFY(!nodeAt(t, "/opt/dir/a"));
  QVERIFY(!nodeAt(t, "/opt/dir/sub"));
  QCOMPARE(nodeAt(t, "/var/x")->size, std::uint64_t(5));
  QCOMPARE(img.layers[1].removed.count, std::uint64_t(4));  // gone, a, sub/b, x
  QCOMPARE(img.layers[1].removed.bytes, std::uint64_t(4 + 2 + 3 + 1));
  QCOMPARE(img.layers[1].added.count, std::uint64_t(2));     // new, x (x was removed first)
}

void TestImageReader::compressionAndLayout_data() {
  QTest::addColumn<int>("compression");
  QTest::addColumn<bool>("asDir");
  QTest::newRow("none tar") << int(imagegen::Compression::None) << false;
  QTest::newRow("gzip dir") << int(imagegen::Compression::Gzip) << true;
  QTest::newRow("zstd tar") << int(imagegen::Compression::Zstd) << false;
  QTest::newRow("zstd dir") << int(imagegen::Compression::Zstd) << true;
}

void TestImageReader::compressionAndLayout() {
  QFETCH(int, compression);
  QFETCH(bool, asDir);
  auto c = imagegen::Compression(compression);
  QTemporaryDir tmp;
  std::string big(100000, 'z');
  auto l1 = imagegen::layer({{"usr/bin/gcc", "cc"}, {"usr/include/stdio.h", "hdr"}, {"app/big", big}}, c);
  auto l2 = imagegen::layer({{"app/big", "small"}, {"var/lib/apt/lists/deb_Packages", "pkgs"}}, c);
  auto files = imagegen::ociLayout({{{l1, l2}, imagegen::config({l1, l2}), "linux/amd64"}});
  fs::path p = fs::path(tmp.path().toStdString()) / (asDir ? "layout" : "img.tar");
  if (asDir) imagegen::writeDir(p, files);
  else imagegen::writeTar(p, files);
  Image img = mustOpen(p.string());
  QCOMPARE(img.format, asDir ? Format::OciLayout : Format::OciArchive);
  const char* names[] = {"none", "gzip", "zstd"};
  QCOMPARE(img.layers[0].compression, std::string(names[compression]));
  QCOMPARE(img.layers[0].size, std::uint64_t(imagegen::tar({{"usr/bin/gcc", "cc"}, {"usr/include/stdio.h", "hdr"}, {"app/big", big}}).size()));
  QCOMPARE(img.layers[0].compressedSize, std::uint64_t(l1.blob.size()));
  QCOMPARE(img.layers[0].digest, imagegen::sha(l1.blob));
  QCOMPARE(img.layers[0].contentBytes, std::uint64_t(2 + 3 + 100000));
  Analysis a = analyze(img);
  QCOMPARE(a.wasted.size(), std::size_t(1));
  QCOMPARE(a.wasted[0].bytes, std::uint64_t(100005));
  std::set<std::string> ids;
  for (const auto& f : a.findings) ids.insert(f.id);
  QVERIFY(ids.count("compiler"));
  QVERIFY(ids.count("dev-headers"));
  QVERIFY(ids.count("apt-lists"));
}

void TestImageReader::emptyLayersMatchHistory() {
  QTemporaryDir tmp;
  auto l1 = imagegen::layer({{"a", "1"}});
  auto l2 = imagegen::layer({{"b", "22"}});
  nlohmann::json hist = nlohmann::json::array({{{"created_by", "ADD rootfs"}},
                                               {{"created_by", "ENV A=1"}, {"empty_layer", true}},
                                               {{"created_by", "WORKDIR /x"}, {"empty_layer", true}},
                                               {{"created_by", "RUN make b"}},
                                               {{"created_by", "CMD x"}, {"empty_layer", true}}});
  auto files = imagegen::dockerArchive({l1, l2}, imagegen::config({l1, l2}, hist));
  auto p = fs::path(tmp.path().toStdString()) / "img.tar";
  imagegen::writeTar(p, files);
  Image img = mustOpen(p.string());
  QCOMPARE(img.layers[0].createdBy, std::string("ADD rootfs"));
  QCOMPARE(img.layers[1].createdBy, std::string("RUN make b"));
  QCOMPARE(img.layers[1].historyIndex, 3);
  QCOMPARE(img.config.history[1].layerIndex, -1);
  QCOMPARE(img.config.history[3].layerIndex, 1);
  QVERIFY(img.warnings.empty());
  // Too few non-empty entries: a warning, not a failure.
  auto files2 = imagegen::dockerArchive({l1, l2}, imagegen::config({l1, l2}, nlohmann::json::array({{{"created_by", "only"}}})));
  imagegen::writeTar(p, files2);
  Image img2 = mustOpen(p.string());
  QCOMPARE(img2.layers[1].createdBy, std::string());
  QCOMPARE(img2.warnings.size(), std::size_t(1));
}

// Docker 25+ `docker save`: manifest.json beside index.json/oci-layout, blobs by digest.
void TestImageReader::dockerWithOciLayout() {
  QTemporaryDir tmp;
  auto l1 = imagegen::layer({{"a", "1"}});
  auto l2 = imagegen::layer({{"b", "22"}}, imagegen::Compression::Gzip);
  auto cfg = imagegen::config({l1, l2});
  auto files = imagegen::ociLayout({{{l1, l2}, cfg, ""}});
  files.push_back({"manifest.json", nlohmann::json::array({{{"Config", imagegen::blob(cfg.dump())},
                                                            {"RepoTags", {"app:1"}},
                                                            {"Layers", {imagegen::blob(l1.blob), imagegen::blob(l2.blob)}}}})
                                        .dump()});
  auto p = fs::path(tmp.path().toStdString()) / "docker25.tar";
  imagegen::writeTar(p, files);
  Image img = mustOpen(p.string());
  QCOMPARE(img.format, Format::DockerArchiveOci);
  QCOMPARE(img.layers[1].compression, std::string("gzip"));
  QCOMPARE(img.layers[1].digest, imagegen::sha(l2.blob));
  QCOMPARE(img.tree.root().fileCount, std::uint64_t(2));
}

void TestImageReader::platforms() {
  QTemporaryDir tmp;
  auto la = imagegen::layer({{"arch", "amd64"}});
  auto lb = imagegen::layer({{"arch", "arm64"}});
  auto files = imagegen::ociLayout({{{lb}, imagegen::config({lb}, nullptr, "arm64"), "linux/arm64"},
                                    {{la}, imagegen::config({la}, nullptr, "amd64"), "linux/amd64"}});
  fs::path p = fs::path(tmp.path().toStdString()) / "multi";
  imagegen::writeDir(p, files);
  Image img = mustOpen(p.string());
  QCOMPARE(img.platform.str(), std::string("linux/amd64"));
  QCOMPARE(img.platforms, (std::vector<std::string>{"linux/arm64", "linux/amd64"}));
  QCOMPARE(nodeAt(img.tree, "/arch")->size, std::uint64_t(5));
  Options o;
  o.platform = "linux/arm64";
  QCOMPARE(mustOpen(p.string(), o).platform.architecture, std::string("arm64"));
  o.platform = "linux/s390x";
  auto r = open(p.string(), o);
  QVERIFY(!r);
  QVERIFY2(r.error().message.find("linux/arm64, linux/amd64") != std::string::npos, r.error().message.c_str());
  // Saved for one platform only (docker save --platform): the other's manifest is absent, listed as such.
  auto partial = files;
  std::string indexText;
  for (const auto& [n, d] : partial)
    if (n == "index.json") indexText = d;
  std::string armManifest = nlohmann::json::parse(indexText)["manifests"][0]["digest"];
  std::erase_if(partial, [&](const auto& e) { return e.first == "blobs/sha256/" + armManifest.substr(7); });
  fs::path p2 = fs::path(tmp.path().toStdString()) / "partial";
  imagegen::writeDir(p2, partial);
  Image one = mustOpen(p2.string());
  QCOMPARE(one.platforms, (std::vector<std::string>{"linux/arm64 (not saved)", "linux/amd64"}));
  o.platform = "linux/arm64";
  QVERIFY(!open(p2.string(), o).ok());
}

void TestImageReader::treeAtLayer() {
  Image img = mustOpen(fixture("tiny.oci"));
  auto t0 = treeAt(img, 0);
  QVERIFY(t0.ok());
  QVERIFY(nodeAt(*t0, "/app/old.txt"));
  QCOMPARE(nodeAt(*t0, "/app/data.bin")->size, std::uint64_t(3000));
  QVERIFY(!nodeAt(*t0, "/tmp"));
  auto t2 = treeAt(img, 2);
  QCOMPARE(t2->root().totalSize, img.tree.root().totalSize);
  QVERIFY(!treeAt(img, 3).ok());
}

// Entries below a symlinked directory land where the link leads (confined to the root).
void TestImageReader::symlinkParentsResolved() {
  QTemporaryDir tmp;
  auto l1 = imagegen::layer({{"usr/bin", "", 'd'}, {"bin", "", 'l', "usr/bin"}, {"up", "", 'l', "../../.."}});
  auto l2 = imagegen::layer({{"bin/tool", "t"}, {"up/usr/bin/other", "o"}});
  auto p = fs::path(tmp.path().toStdString()) / "img.tar";
  imagegen::writeTar(p, imagegen::dockerArchive({l1, l2}, imagegen::config({l1, l2})));
  Image img = mustOpen(p.string());
  QVERIFY(nodeAt(img.tree, "/usr/bin/tool"));
  QVERIFY(nodeAt(img.tree, "/usr/bin/other"));
  QCOMPARE(nodeAt(img.tree, "/bin")->type, NodeType::Symlink);
}

void TestImageReader::ciRules() {
  Analysis a;
  a.efficiency = 0.85;
  a.wastedBytes = 30'000'000;
  a.wastedUserPercent = 0.05;
  CiRules r;  // dive defaults: efficiency 0.9, user wasted 0.1
  auto res = evaluate(a, r);
  QVERIFY(!res.pass());
  QCOMPARE(res.rules.size(), std::size_t(2));
  QVERIFY(!res.rules[0].pass);
  r.lowestEfficiency = 0.8;
  QVERIFY(evaluate(a, r).pass());
  r.highestWastedBytes = 20'000'000;
  QVERIFY(!evaluate(a, r).pass());
}

void TestImageReader::byteSizes() {
  QCOMPARE(parseByteSize("20MB").value(), std::uint64_t(20'000'000));
  QCOMPARE(parseByteSize("1.5GiB").value(), std::uint64_t(1610612736));
  QCOMPARE(parseByteSize("300k").value(), std::uint64_t(300'000));
  QCOMPARE(parseByteSize("42").value(), std::uint64_t(42));
  QVERIFY(!parseByteSize("MB"));
  QVERIFY(!parseByteSize("12 parsecs"));
  QCOMPARE(humanSize(999), std::string("999 B"));
  QCOMPARE(humanSize(13312), std::string("13.3 kB"));
}

void TestImageReader::namePoolInterns() {
  NamePool pool;
  QCOMPARE(pool.intern(""), 0u);
  std::vector<std::uint32_t> ids;
  for (int i = 0; i < 100000; ++i) ids.push_back(pool.intern("name-" + std::to_string(i)));  // many rehashes
  QCOMPARE(pool.size(), std::size_t(100001));
  for (int i = 0; i < 100000; i += 997) {
    QCOMPARE(pool.intern("name-" + std::to_string(i)), ids[std::size_t(i)]);
    QCOMPARE(pool.find("name-" + std::to_string(i)), ids[std::size_t(i)]);
    QCOMPARE(std::string(pool.view(ids[std::size_t(i)])), "name-" + std::to_string(i));
  }
  QCOMPARE(pool.find("name-100000"), NamePool::kNone);
  PathStore store;
  auto a = store.internPath("usr/lib/x.so");
  QCOMPARE(store.internPath("usr/lib/x.so"), a);
  QVERIFY(store.internPath("usr/lib") != a);
  QCOMPARE(store.paths.parent(a), store.internPath("usr/lib"));
  QCOMPARE(store.pathString(a), std::string("usr/lib/x.so"));
  QCOMPARE(store.pathString(PathTable::kRoot), std::string());
}

// A generated image (3 layers, 30k files, whiteouts of files and folders, an
// opaque folder, a file replacing a folder): the compact tree holds exactly the
// files a plain std::map model of the OCI rules holds, and stays under 150
// bytes per file for everything the image keeps.
void TestImageReader::compactTreeMatchesReference() {
  std::vector<std::vector<Entry>> layers(3);
  std::map<std::string, std::uint64_t> ref;  // file path -> size
  auto removeBelow = [&](const std::string& dir, bool self) {
    for (auto it = ref.lower_bound(dir); it != ref.end() && it->first.starts_with(dir);) {
      bool under = it->first.size() > dir.size() && it->first[dir.size()] == '/';
      if (under || (self && it->first == dir)) it = ref.erase(it);
      else ++it;
    }
  };
  for (int L = 0; L < 3; ++L) {
    auto& es = layers[std::size_t(L)];
    if (L > 0) {
      // Whiteouts first in the tar (any order works: they never hide the layer's own files).
      es.emplace_back("srv/p" + std::to_string(L - 1) + "/d3/.wh.f" + std::to_string((L - 1) * 10000 + 3 * 25 + 1));
      removeBelow("srv/p" + std::to_string(L - 1) + "/d3/f" + std::to_string((L - 1) * 10000 + 3 * 25 + 1), true);
      es.emplace_back("srv/p" + std::to_string(L - 1) + "/.wh.d7");
      removeBelow("srv/p" + std::to_string(L - 1) + "/d7", true);
      es.emplace_back("srv/p" + std::to_string(L - 1) + "/d9/.wh..wh..opq");
      removeBelow("srv/p" + std::to_string(L - 1) + "/d9", false);
      es.emplace_back("srv/p" + std::to_string(L - 1) + "/d11", "now a file");  // replaces a folder
      removeBelow("srv/p" + std::to_string(L - 1) + "/d11", false);
      ref["srv/p" + std::to_string(L - 1) + "/d11"] = 10;
    }
    for (int k = 0; k < 10000; ++k) {
      int n = L * 10000 + k;
      std::string p = "srv/p" + std::to_string(L) + "/d" + std::to_string(k / 25) + "/f" + std::to_string(n);
      std::string data(std::size_t(n % 7), 'x');
      es.emplace_back(p, data);
      ref[p] = data.size();
    }
    if (L == 2) {  // rewrite one lower file
      es.emplace_back("srv/p0/d1/f30", "rewritten");
      ref["srv/p0/d1/f30"] = 9;
    }
  }
  std::vector<imagegen::Layer> ls;
  for (const auto& es : layers) ls.push_back(imagegen::layer(es, imagegen::Compression::Gzip));
  QTemporaryDir tmp;
  auto p = fs::path(tmp.path().toStdString()) / "many.tar";
  imagegen::writeTar(p, imagegen::dockerArchive(ls, imagegen::config(ls)));
  auto img = open(p.string());
  QVERIFY2(img.ok(), img ? "" : img.error().format().c_str());
  // Walk the tree: every non-directory with its size.
  std::map<std::string, std::uint64_t> got;
  std::vector<std::int32_t> stack{FileTree::kRoot};
  while (!stack.empty()) {
    auto i = stack.back();
    stack.pop_back();
    auto ch = img->tree.children(i);
    QVERIFY(std::is_sorted(ch.begin(), ch.end(), [&](auto a, auto b) { return img->tree.name(a) < img->tree.name(b); }));
    for (std::size_t r = 0; r < ch.size(); ++r) QCOMPARE(img->tree.row(ch[r]), int(r));
    for (auto c : ch) stack.push_back(c);
    if (img->tree.node(i).type != NodeType::Dir) got[img->tree.path(i).substr(1)] = img->tree.node(i).size;
  }
  QCOMPARE(got.size(), ref.size());
  QVERIFY(got == ref);
  QCOMPARE(img->tree.root().fileCount, std::uint64_t(ref.size()));
  QCOMPARE(img->layers[2].changed.count, std::uint64_t(1));
  // Memory: the tree, entry lists and names per file.
  auto m = img->memory();
  QCOMPARE(m.treeNodes, std::uint64_t(img->tree.nodeCount()));
  double perFile = double(m.total()) / double(ref.size());
  QVERIFY2(perFile <= 150.0, ("bytes per file: " + std::to_string(perFile)).c_str());
  // The tree after layer 1 still has what layer 2 removed.
  auto t1 = treeAt(*img, 0);
  QVERIFY(t1.ok());
  QVERIFY(t1->find("/srv/p0/d7/f175") >= 0);
  QVERIFY(img->tree.find("/srv/p0/d7/f175") < 0);
  QVERIFY(img->tree.find("/srv/p0/d9") >= 0 && img->tree.node(img->tree.find("/srv/p0/d9")).childCount == 0);
}

QTEST_GUILESS_MAIN(TestImageReader)
#include "test_image_reader.moc"
