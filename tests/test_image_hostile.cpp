// Hostile saved images: every one is refused with a message that says where
// and what was expected; never a crash, a hang, unbounded memory or a write.
#include <QTemporaryDir>
#include <QtTest>

#include "image/image.h"
#include "image/inflate.h"
#include "image/manifest.h"
#include "imagegen.h"
#include "testutil.h"

using namespace slimbench::image;
using imagegen::Entry;
namespace fs = std::filesystem;

class TestImageHostile : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir tmp_;
  int n_ = 0;
  // Writes files as an archive and opens it; the error message must contain `want`.
  void expectError(const imagegen::Files& files, const std::string& want, const Options& opt = {}) {
    auto p = fs::path(tmp_.path().toStdString()) / ("img" + std::to_string(++n_) + ".tar");
    imagegen::writeTar(p, files);
    expectErrorAt(p.string(), want, opt);
  }
  void expectErrorAt(const std::string& p, const std::string& want, const Options& opt = {}) {
    auto r = open(p, opt);
    QVERIFY2(!r.ok(), ("expected an error containing: " + want).c_str());
    std::string msg = r.error().format();
    QVERIFY2(msg.find(want) != std::string::npos, ("message: " + msg + "\nexpected: " + want).c_str());
    QVERIFY2(msg.find(p) != std::string::npos, ("message does not name the file: " + msg).c_str());
  }
  imagegen::Files docker(const std::vector<std::vector<Entry>>& layers) {
    std::vector<imagegen::Layer> ls;
    for (const auto& l : layers) ls.push_back(imagegen::layer(l));
    return imagegen::dockerArchive(ls, imagegen::config(ls));
  }

 private slots:
  void pathTraversal();
  void absolutePath();
  void manifestEscapes();
  void symlinkLoop();
  void hardlinks();
  void missingBlobs();
  void wrongDigests();
  void truncatedGzip();
  void gzipDecoders_data();
  void gzipDecoders();
  void diffIdChecked();
  void gzipReaderChunking();
  void decompressionBomb();
  void absurdHeaderSize();
  void tenThousandLayers();
  void notAnImage();
  void hugeAndDeepJson();
  void jsonTypeErrors();
  void cleanupTestCase();
};

void TestImageHostile::pathTraversal() {
  expectError(docker({{{"app/ok", "1"}, {"../../etc/passwd", "pwned"}}}), "entry '../../etc/passwd': path traversal");
  expectError(docker({{{"app/../../x", "1"}}}), "path traversal");
  expectError(docker({{{"a", "", 'h', "../outside"}}}), "hardlink target '../outside': path traversal");
}

void TestImageHostile::absolutePath() { expectError(docker({{{"/etc/passwd", "x"}}}), "absolute path"); }

void TestImageHostile::manifestEscapes() {
  auto f = docker({{{"a", "1"}}});
  nlohmann::json m = nlohmann::json::parse(f.back().second);
  m[0]["Layers"][0] = "../../../etc/shadow";
  imagegen::replace(f, "manifest.json", m.dump());
  expectError(f, "Layers[0]: \"../../../etc/shadow\" is not a relative path");
  m[0]["Layers"][0] = "/etc/shadow";
  imagegen::replace(f, "manifest.json", m.dump());
  expectError(f, "is not a relative path");
}

void TestImageHostile::symlinkLoop() {
  expectError(docker({{{"a", "", 'l', "b"}, {"b", "", 'l', "a"}}, {{"a/x", "1"}}}), "symlink loop at 'a'");
  expectError(docker({{{"self", "", 'l', "self/x"}}, {{"self/y", "1"}}}), "symlink loop");
  expectError(docker({{{"f", "file"}, {"f/x", "1"}}}), "parent 'f' is a file");
}

void TestImageHostile::hardlinks() {
  expectError(docker({{{"a", "", 'h', "a"}}}), "hardlink to itself");
  // Links to each other: no loop to follow (links are not resolved), a warning for the dangling one.
  auto p = fs::path(tmp_.path().toStdString()) / "links.tar";
  imagegen::writeTar(p, docker({{{"a", "", 'h', "b"}, {"b", "", 'h', "a"}}}));
  auto r = open(p.string());
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
  QCOMPARE(r->warnings.size(), std::size_t(1));
}

void TestImageHostile::missingBlobs() {
  auto f = docker({{{"a", "1"}}});
  f.erase(f.begin());  // the layer tar
  expectError(f, "Layers[0]: ");
  auto l = imagegen::layer({{"a", "1"}});
  auto oci = imagegen::ociLayout({{{l}, imagegen::config({l}), "linux/amd64"}});
  auto noLayer = oci;
  std::erase_if(noLayer, [&](const auto& e) { return e.first == imagegen::blob(l.blob); });
  expectError(noLayer, "blob " + imagegen::sha(l.blob) + " is missing");
  auto noManifest = oci;
  std::erase_if(noManifest, [&](const auto& e) { return e.first.starts_with("blobs/") && e.second.find("\"layers\"") != std::string::npos; });
  expectError(noManifest, "index.json: error: missing: none of the 1 manifests it lists is in the image");
  auto noConfig = oci;
  std::string cfg = imagegen::config({l}).dump();
  std::erase_if(noConfig, [&](const auto& e) { return e.first == imagegen::blob(cfg); });
  expectError(noConfig, "missing: the manifest names blob " + imagegen::sha(cfg));
}

void TestImageHostile::wrongDigests() {
  // OCI: the layer blob's bytes do not hash to the name the manifest gives.
  auto l = imagegen::layer({{"a", "1"}}, imagegen::Compression::Gzip);
  auto other = imagegen::layer({{"a", "2"}}, imagegen::Compression::Gzip);
  auto oci = imagegen::ociLayout({{{l}, imagegen::config({l}), ""}});
  imagegen::replace(oci, imagegen::blob(l.blob), other.blob);
  expectError(oci, "digest mismatch");
  // OCI: a config that does not match its digest.
  auto oci2 = imagegen::ociLayout({{{l}, imagegen::config({l}), ""}});
  auto cfg = imagegen::config({l}).dump();
  std::string tampered = cfg;
  tampered.replace(tampered.find("amd64"), 5, "arm64");
  imagegen::replace(oci2, imagegen::blob(cfg), tampered);
  expectError(oci2, "digest mismatch");
  // docker-archive: the layer tar does not hash to its diff id.
  auto good = imagegen::layer({{"a", "1"}});
  auto bad = imagegen::layer({{"a", "X"}});
  auto f = imagegen::dockerArchive({good}, imagegen::config({good}));
  f[0].second = bad.blob;
  expectError(f, "digest mismatch: layer 1");
  // With verification off the same archive opens.
  auto p = fs::path(tmp_.path().toStdString()) / "noverify.tar";
  imagegen::writeTar(p, f);
  Options o;
  o.verifyDigests = false;
  QVERIFY(open(p.string(), o).ok());
}

void TestImageHostile::truncatedGzip() {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += std::to_string(i * 7919) + "\n";
  auto l = imagegen::layer({{"big", big}, {"after", "x"}}, imagegen::Compression::Gzip);
  auto f = imagegen::dockerArchive({l}, imagegen::config({l}));
  f[0].second.resize(f[0].second.size() / 2);
  Options o;
  o.verifyDigests = false;  // the truncation itself must be reported
  expectError(f, "(layer 1)", o);
}

// Both gzip decoders read the same layers to the same result, several gzip
// members in one blob included, and both refuse truncated and corrupt data.
void TestImageHostile::gzipDecoders_data() {
  QTest::addColumn<int>("decoder");
  QTest::newRow("zlib") << int(GzipDecoder::Zlib);
  if (isalAvailable()) QTest::newRow("isal") << int(GzipDecoder::Isal);
}

void TestImageHostile::gzipDecoders() {
  QFETCH(int, decoder);
  Options o;
  o.decoder = GzipDecoder(decoder);
  std::string big;
  for (int i = 0; i < 40000; ++i) big += std::to_string(i * 7919) + "\n";
  std::vector<Entry> es{{"app/big.txt", big}, {"app/small", "x"}, {"app/link", "", 'l', "big.txt"}};
  std::string plain = imagegen::tar(es);
  // The tar cut in three, each piece its own gzip member (as pigz or concatenated streams write).
  std::size_t a = plain.size() / 3, b = 2 * plain.size() / 3;
  imagegen::Layer multi{imagegen::gzipMember(plain.substr(0, a)) + imagegen::gzipMember(plain.substr(a, b - a)) +
                            imagegen::gzipMember(plain.substr(b)),
                        imagegen::sha(plain), "application/vnd.oci.image.layer.v1.tar+gzip"};
  auto single = imagegen::layer({{"etc/x", "y"}}, imagegen::Compression::Gzip);
  auto p = fs::path(tmp_.path().toStdString()) / ("gz" + std::to_string(decoder) + ".tar");
  imagegen::writeTar(p, imagegen::ociLayout({{{multi, single}, imagegen::config({multi, single}), ""}}));
  auto img = open(p.string(), o);
  QVERIFY2(img.ok(), img ? "" : img.error().format().c_str());
  const std::string name = gzipDecoderName(GzipDecoder(decoder));
  for (const auto& l : img->layers) {
    QCOMPARE(l.compression, std::string("gzip"));
    QCOMPARE(l.decoder, name);
    QVERIFY(l.diffIdVerified);
  }
  QCOMPARE(img->layers[0].size, std::uint64_t(plain.size()));
  QCOMPARE(img->layers[0].compressedSize, std::uint64_t(multi.blob.size()));
  QCOMPARE(img->decoders(), name);
  auto big1 = img->tree.find("/app/big.txt");
  QVERIFY(big1 >= 0);
  QCOMPARE(img->tree.node(big1).size, std::uint64_t(big.size()));
  QVERIFY(img->tree.find("/etc/x") >= 0);

  // Truncated inside the second member.
  auto cut = multi;
  cut.blob.resize(imagegen::gzipMember(plain.substr(0, a)).size() + 200);
  Options nv = o;
  nv.verifyDigests = false;  // the truncation itself must be reported
  expectError(imagegen::dockerArchive({cut}, imagegen::config({cut})), "truncated gzip stream", nv);
  // A flipped byte in the CRC of the last member.
  auto crc = single;
  crc.blob[crc.blob.size() - 6] = char(crc.blob[crc.blob.size() - 6] ^ 0x55);
  expectError(imagegen::dockerArchive({crc}, imagegen::config({crc})),
              GzipDecoder(decoder) == GzipDecoder::Isal ? "CRC or length check failed" : "incorrect data check", nv);
  // A corrupt deflate stream.
  auto bad = multi;
  for (std::size_t i = 100; i < 140; ++i) bad.blob[i] = char(0xff);
  expectError(imagegen::dockerArchive({bad}, imagegen::config({bad})), "gzip data error", nv);
}

// The gzip reader on its own: three members and trailing bytes, handed over in
// chunks of every awkward size (a member end or a magic split across chunks).
void TestImageHostile::gzipReaderChunking() {
  std::string plain;
  for (int i = 0; i < 30000; ++i) plain += std::to_string(i * 31337 % 1000003) + (i % 7 ? " " : "\n");
  std::size_t a = plain.size() / 3, b = plain.size() / 2;
  const std::string blob = imagegen::gzipMember(plain.substr(0, a)) + imagegen::gzipMember(plain.substr(a, b - a)) +
                           imagegen::gzipMember(plain.substr(b)) + "XYZ";
  struct Chunks final : RawPull {
    const std::string* data;
    std::size_t pos = 0, step;
    Chunks(const std::string* d, std::size_t s) : data(d), step(s) {}
    long pull(const std::uint8_t** buf) override {
      std::size_t n = std::min(step, data->size() - pos);
      *buf = reinterpret_cast<const std::uint8_t*>(data->data() + pos);
      pos += n;
      return long(n);
    }
  };
  for (GzipDecoder d : {GzipDecoder::Zlib, GzipDecoder::Isal}) {
    if (d == GzipDecoder::Isal && !isalAvailable()) continue;
    for (std::size_t step : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), std::size_t(4096), blob.size()}) {
      Chunks raw(&blob, step);
      auto r = GzipReader::make(d, raw);
      std::string out;
      for (;;) {
        const void* buf = nullptr;
        long n = r->read(&buf);
        QVERIFY2(n >= 0, r->error.c_str());
        if (n == 0) break;
        out.append(static_cast<const char*>(buf), std::size_t(n));
      }
      QCOMPARE(out.size(), plain.size());
      QVERIFY(out == plain);
      std::string rest(reinterpret_cast<const char*>(r->rest()), r->restSize());
      for (const std::uint8_t* p = nullptr; long n = raw.pull(&p);) rest.append(reinterpret_cast<const char*>(p), std::size_t(n));
      QCOMPARE(rest, std::string("XYZ"));
    }
    // Garbage behind a gzip magic, and a valid member with bytes flipped: an error or an end, never a hang.
    std::uint32_t seed = 12345;
    auto rnd = [&] { return seed = seed * 1664525u + 1013904223u; };
    for (int k = 0; k < 300; ++k) {
      std::string junk = k % 2 ? blob : std::string("\x1f\x8b\x08\x00", 4) + std::string(std::size_t(rnd() % 5000), '\0');
      for (std::size_t i = k % 2 ? 0 : 4; i < junk.size(); i += 1 + rnd() % (k % 2 ? 3000 : 7)) junk[i] = char(rnd());
      Chunks raw(&junk, 1 + rnd() % 900);
      auto r = GzipReader::make(d, raw);
      long guard = 0, n = 0;
      const void* buf = nullptr;
      while ((n = r->read(&buf)) > 0 && ++guard < 100000) {
      }
      QVERIFY(guard < 100000);
      if (n < 0) QVERIFY(!r->error.empty());
    }
  }
}

// The uncompressed tar of a compressed layer must hash to the config's diff ID.
void TestImageHostile::diffIdChecked() {
  auto l = imagegen::layer({{"a", "1"}}, imagegen::Compression::Gzip);
  auto z = imagegen::layer({{"b", "2"}}, imagegen::Compression::Zstd);
  auto cfg = imagegen::config({l, z});
  cfg["rootfs"]["diff_ids"][1] = imagegen::layer({{"b", "3"}}).diffId;
  expectError(imagegen::ociLayout({{{l, z}, cfg, ""}}), "diff ID mismatch: layer 2");
  cfg["rootfs"]["diff_ids"][0] = imagegen::layer({{"a", "0"}}).diffId;
  expectError(imagegen::ociLayout({{{l, z}, cfg, ""}}), "diff ID mismatch: layer 1");
  auto p = fs::path(tmp_.path().toStdString()) / "diffid-noverify.tar";
  imagegen::writeTar(p, imagegen::ociLayout({{{l, z}, cfg, ""}}));
  Options o;
  o.verifyDigests = false;
  auto img = open(p.string(), o);
  QVERIFY(img.ok());
  QCOMPARE(img->layers[1].decoder, std::string("libzstd"));
  QVERIFY(!img->layers[0].diffIdVerified);
}

void TestImageHostile::decompressionBomb() {
  // 2 GiB of zeros in one entry squeezes to a few KB with zstd: refused at the header.
  imagegen::Layer l{imagegen::tar({{"zeros", "", 'f', "", 2ull << 30}}, imagegen::Compression::Zstd),
                    "sha256:" + std::string(64, '0')};
  QVERIFY(l.blob.size() < 1000000);
  auto f = imagegen::dockerArchive({l}, imagegen::config({l}));
  expectError(f, "decompression bomb");
  // Many small entries under a lowered limit: refused by the running byte count.
  std::vector<Entry> many;
  for (int i = 0; i < 200; ++i) many.emplace_back("z" + std::to_string(i), "", 'f', "", 100000);
  auto l2 = imagegen::layer(many, imagegen::Compression::Gzip);
  auto f2 = imagegen::dockerArchive({l2}, imagegen::config({l2}));
  Options o;
  o.limits.bombFloorBytes = 1 << 20;
  o.limits.maxExpansionRatio = 50;
  expectError(f2, "decompression bomb", o);
}

void TestImageHostile::absurdHeaderSize() {
  // A tar entry claiming 2^60 bytes (GNU base-256 size) followed by nothing.
  std::string layerTar = imagegen::rawHeader("huge", 1ull << 60) + std::string(1024, '\0');
  imagegen::Layer l{layerTar, imagegen::sha(layerTar)};
  expectError(imagegen::dockerArchive({l}, imagegen::config({l})), "absurd size");
  // A plausible size but no data: truncated.
  std::string t2 = imagegen::rawHeader("short", 1 << 20, false) + std::string(512, 'x');
  imagegen::Layer l2{t2, imagegen::sha(t2)};
  Options o;
  o.verifyDigests = false;
  expectError(imagegen::dockerArchive({l2}, imagegen::config({l2})), "entry 'short'", o);
}

void TestImageHostile::tenThousandLayers() {
  auto l = imagegen::layer({{"a", "1"}});
  nlohmann::json layers = nlohmann::json::array();
  for (int i = 0; i < 10000; ++i) layers.push_back(l.diffId.substr(7) + ".tar");
  imagegen::Files f = {{l.diffId.substr(7) + ".tar", l.blob}, {"c.json", imagegen::config({l}).dump()},
                       {"manifest.json", nlohmann::json::array({{{"Config", "c.json"}, {"Layers", layers}}}).dump()}};
  expectError(f, "too many layers (10000, the limit is 1000)");
  // The same in an OCI manifest.
  nlohmann::json ls = nlohmann::json::array();
  for (int i = 0; i < 10000; ++i) ls.push_back({{"digest", imagegen::sha(l.blob)}, {"size", l.blob.size()}});
  std::string cfg = imagegen::config({l}).dump();
  std::string man = nlohmann::json{{"config", {{"digest", imagegen::sha(cfg)}}}, {"layers", ls}}.dump();
  imagegen::Files o = {{"oci-layout", "{}"},
                       {"index.json", nlohmann::json{{"manifests", {{{"digest", imagegen::sha(man)}}}}}.dump()},
                       {imagegen::blob(man), man}, {imagegen::blob(cfg), cfg}, {imagegen::blob(l.blob), l.blob}};
  expectError(o, "too many layers");
}

void TestImageHostile::notAnImage() {
  auto p = fs::path(tmp_.path().toStdString());
  std::ofstream(p / "junk.bin", std::ios::binary) << std::string(5000, '\x7f') << "garbage";
  expectErrorAt((p / "junk.bin").string(), "expected a tar archive");
  expectErrorAt((p / "nope.tar").string(), "no such file");
  expectError({{"hello.txt", "hi"}}, "not a saved image");
  fs::create_directories(p / "emptydir");
  expectErrorAt((p / "emptydir").string(), "not an image folder");
}

void TestImageHostile::hugeAndDeepJson() {
  auto f = docker({{{"a", "1"}}});
  imagegen::replace(f, "manifest.json", std::string(17 << 20, ' ') + "[]");
  expectError(f, "over the limit");
  imagegen::replace(f, "manifest.json", std::string(100000, '[') + std::string(100000, ']'));
  expectError(f, "nested deeper than 64");
}

void TestImageHostile::jsonTypeErrors() {
  JsonLimits lim;
  auto r1 = parseDockerManifest(R"([{"Config": 5, "Layers": []}])", "m.json", lim);
  QVERIFY(!r1);
  QCOMPARE(r1.error().message, std::string("[0].Config: expected a string, got a number"));
  auto r2 = parseOciIndex(R"({"manifests": [{"digest": "sha256:zz"}]})", "index.json", lim);
  QVERIFY(!r2);
  QVERIFY(r2.error().message.starts_with("manifests[0].digest: expected"));
  auto r3 = parseImageConfig(R"({"rootfs": {"diff_ids": []}, "history": [{"empty_layer": "yes"}]})", "c.json", lim);
  QVERIFY(!r3);
  QCOMPARE(r3.error().message, std::string("history[0].empty_layer: expected a boolean, got a string"));
  QVERIFY(!parseOciManifest("{\"config\": {}}", "m", lim));
  QVERIFY(!parseOciManifest("not json", "m", lim));
}

// Everything above (a 2 GiB bomb, 10,000 layers, 17 MB JSON) stayed within bounded memory.
void TestImageHostile::cleanupTestCase() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmHWM:")) {
      long kb = std::stol(line.substr(6));
      QVERIFY2(kb < 300 * 1024, ("peak RSS " + std::to_string(kb) + " kB").c_str());
    }
}

QTEST_GUILESS_MAIN(TestImageHostile)
#include "test_image_hostile.moc"
