// The streamed JSON writer (parse --json and analyze --json print through it) and the parallel
// analysis: the streamed text is exactly nlohmann's dump of the same document, and the variants
// analysed on several threads give the same result as on one.
#include <QtTest>

#include <future>
#include <stdexcept>

#include <limits>

#include <filesystem>
#include <string>

#include "dockerfile/json.h"
#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "estimate/analysis.h"
#include "estimate/analysis_json.h"
#include "estimate/knowledge_embedded.h"
#include "util/jsonwriter.h"

using namespace slimbench;
using J = nlohmann::ordered_json;

namespace {
// Writes any document through the writer: containers element by element, scalars typed.
void stream(JsonWriter& w, const J& j) {
  if (j.is_object()) {
    w.beginObject();
    for (auto it = j.begin(); it != j.end(); ++it) {
      w.key(it.key());
      stream(w, it.value());
    }
    w.endObject();
  } else if (j.is_array()) {
    w.beginArray();
    for (const auto& e : j) stream(w, e);
    w.endArray();
  } else if (j.is_string()) {
    w.value(j.get_ref<const std::string&>());
  } else if (j.is_boolean()) {
    w.value(j.get<bool>());
  } else if (j.is_number_unsigned()) {
    w.value(j.get<std::uint64_t>());
  } else if (j.is_number_integer()) {
    w.value(j.get<std::int64_t>());
  } else if (j.is_null()) {
    w.value(nullptr);
  } else {
    w.value(j);  // doubles: nlohmann's own formatting
  }
}

std::string streamed(const J& j) {
  JsonWriter w;
  stream(w, j);
  w.finish();
  return w.text();
}

J sample(const std::string& name) {
  J doc;
  if (name == "scalars") {
    doc = J::array({0, -1, 42, std::uint64_t(18446744073709551615ull), std::int64_t(-9223372036854775807ll), 1.5, 0.1, 1e300,
                    true, false, nullptr, ""});
  } else if (name == "empty") {
    doc = {{"a", J::array()}, {"o", J::object()}, {"n", J::array({J::array(), J::object(), J::array({J::object()})})}};
  } else if (name == "nesting") {
    J layer = {{"low", 1}, {"mid", nullptr}, {"notes", J::array({"x", "y"})}};
    J parts = {{"parts", J::array()}};
    J deep = J::array({1, J::array({2, J::array({3})})});
    doc = J::object();
    doc["layers"] = J::array({layer, parts});
    doc["deep"]["a"]["b"]["c"] = deep;
  } else {
    // Escapes, control characters, DEL, UTF-8 and (replaced) invalid UTF-8, in keys and values.
    const std::string quoteKey = std::string("quote") + char(34) + "and" + char(92) + "backslash";
    const std::string controls = std::string("tab") + char(9) + "new" + char(10) + "line" + char(13) + char(1) + char(31);
    const std::string del = std::string("a") + char(127) + "b";
    const std::string bad = std::string("x") + char(0xff) + char(0xfe) + "y" + char(0xc3);
    doc = {{quoteKey, controls}, {"unicode", "größe → 1 GB ✓"}, {"del", del}, {"bad utf-8", bad},
           {"plain", "FROM python:3.12-slim AS build"}, {controls, "key with controls"}};
  }
  return doc;
}

std::string examples() { return std::string(SLIMBENCH_SOURCE_DIR) + "/resources/examples"; }
}  // namespace

class TestJsonStream : public QObject {
  Q_OBJECT
 private slots:
  void sameTextAsDump_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("scalars") << "scalars";
    QTest::newRow("empty containers") << "empty";
    QTest::newRow("nesting") << "nesting";
    QTest::newRow("strings") << "strings";
  }
  void sameTextAsDump() {
    QFETCH(QString, name);
    const J doc = sample(name.toStdString());
    const std::string expected = jsonText(doc) + "\n";
    QCOMPARE(QString::fromStdString(streamed(doc)), QString::fromStdString(expected));
    // A document given whole at depth > 0 is indented like the rest.
    JsonWriter w;
    w.beginObject();
    w.field("doc", doc);
    w.endObject();
    w.finish();
    QCOMPARE(QString::fromStdString(w.text()), QString::fromStdString(jsonText(J{{"doc", doc}}) + "\n"));
  }

  // Every string is written as nlohmann's dump writes it: the writer's own escaper (valid UTF-8)
  // and its fallback (invalid UTF-8) on 20,000 random strings of ASCII, controls, quotes, DEL,
  // valid 2/3/4-byte sequences and broken ones (truncated, overlong, surrogates, > U+10FFFF).
  void stringsMatchDump() {
    const std::vector<std::string> pieces = {
        "a", "Z", " ", "RUN", "\"", "\\", "/", "\x7f", "\t", "\n", "\r", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f",
        "\xc3\xa4", "\xe2\x86\x92", "\xe2\x89\xa5", "\xf0\x9f\x90\xb3", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf",
        "\xc3", "\xe2\x86", "\xf0\x9f\x90", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xff", "\x80", "\xbf"};
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    int invalid = 0;
    for (int n = 0; n < 20000; ++n) {
      std::string str;
      const int len = static_cast<int>(next() >> 28);
      for (int i = 0; i < len; ++i) str += pieces[(next() >> 8) % pieces.size()];
      JsonWriter w;
      w.value(str);
      const std::string expected = jsonText(J(str));
      invalid += expected.find("\xef\xbf\xbd") != std::string::npos;
      if (w.text() != expected)
        QFAIL(qPrintable("string " + QString::number(n) + ": " + QString::fromStdString(expected) + " vs " + QString::fromStdString(w.text())));
    }
    QVERIFY(invalid > 1000);  // the broken sequences were exercised
  }

  // Doubles as dump writes them: whole numbers directly, the rest through nlohmann.
  void doublesMatchDump() {
    std::vector<double> xs = {0.0, -0.0, 1.0, -1.0, 12.0, 0.5, 0.1, 1e-5, 123456.789, 1e14, 1e15 - 1, 1e15, -1e15, 1e16, 1e300,
                              -2.5, 3.0000000001, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()};
    std::uint32_t seed = 7;
    for (int i = 0; i < 5000; ++i) {
      seed = seed * 1664525u + 1013904223u;
      xs.push_back(static_cast<double>(static_cast<int>(seed >> 8) - (1 << 23)) / ((seed & 3) ? 1.0 : 8.0));
    }
    for (double x : xs) {
      JsonWriter w;
      w.value(x);
      QCOMPARE(QString::fromStdString(w.text()), QString::fromStdString(jsonText(J(x))));
    }
  }

  // The analysis and parse outputs are canonical: parsing and dumping them again gives the same text.
  void analysisStreamIsCanonical() {
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    for (const char* ex : {"flask-app", "datascience-app"}) {
      auto project = estimate::openProject(examples() + "/" + ex);
      QVERIFY(project.ok());
      const auto a = estimate::analyze(*project, **k, {});
      JsonWriter w;
      estimate::writeAnalysisJson(w, a);
      w.finish();
      QVERIFY2(J::accept(w.text()), ex);
      QCOMPARE(QString::fromStdString(w.text()), QString::fromStdString(jsonText(J::parse(w.text())) + "\n"));
      QVERIFY(w.text().find("\"layers\": [") != std::string::npos);

      auto tree = dockerfile::parse(project->dockerfileText, project->dockerfilePath);
      QVERIFY(tree.ok());
      const auto model = dockerfile::buildModel(*tree, project->dockerfilePath, {});
      JsonWriter pw;
      dockerfile::writeJson(pw, *tree, model);
      pw.finish();
      QCOMPARE(QString::fromStdString(pw.text()), QString::fromStdString(jsonText(J::parse(pw.text())) + "\n"));
    }
  }

  // Knowledge handed over late (still loading on another thread) gives the same analysis; it is
  // asked for once, after the original's model; what its loading throws comes out of analyze.
  void lateKnowledgeSameText() {
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    auto project = estimate::openProject(examples() + "/flask-app");
    QVERIFY(project.ok());
    const auto direct = estimate::analyze(*project, **k, {});
    auto pending = std::async(std::launch::async, [] { return estimate::bundledKnowledge(); }).share();
    int asked = 0;
    const auto late = estimate::analyze(*project, [&]() -> const estimate::Knowledge& {
      ++asked;
      return **pending.get();
    }, {});
    QCOMPARE(asked, 1);
    JsonWriter w1, w2;
    estimate::writeAnalysisJson(w1, direct);
    estimate::writeAnalysisJson(w2, late);
    QCOMPARE(QString::fromStdString(w2.text()), QString::fromStdString(w1.text()));
    QVERIFY(!late.dataNote.empty());
    bool thrown = false;
    try {
      estimate::analyze(*project, []() -> const estimate::Knowledge& { throw std::runtime_error("catalogue broken"); }, {});
    } catch (const std::runtime_error& e) {
      thrown = std::string(e.what()) == "catalogue broken";
    }
    QVERIFY(thrown);
  }

  // Variants analysed on four threads give exactly what one thread gives (order, figures, text).
  void parallelEqualsSequential() {
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    for (const char* ex : {"django-postgres", "uwsgi-app"}) {
      auto project = estimate::openProject(examples() + "/" + ex);
      QVERIFY(project.ok());
      estimate::AnalysisOptions one, four;
      one.threads = 1;
      four.threads = 4;
      const auto a1 = estimate::analyze(*project, **k, one);
      const auto a4 = estimate::analyze(*project, **k, four);
      QCOMPARE(a4.variants.size(), a1.variants.size());
      QVERIFY(a1.variants.size() >= 5);
      JsonWriter w1, w4;
      estimate::writeAnalysisJson(w1, a1);
      estimate::writeAnalysisJson(w4, a4);
      QCOMPARE(QString::fromStdString(w4.text()), QString::fromStdString(w1.text()));
      // The original keeps its model once the variants have been made from it.
      QVERIFY(!a4.variants.front().model.stages.empty());
    }
  }

  // Variants delivered as they finish (analyze --json): in order, each once, whole when
  // delivered, the same text as writing the finished analysis; releaseDelivered then frees their
  // records but keeps texts and totals.
  void deliveredInOrderSameText() {
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    for (const char* ex : {"flask-app", "django-postgres"}) {
      auto project = estimate::openProject(examples() + "/" + ex);
      QVERIFY(project.ok());
      const auto whole = estimate::analyze(*project, **k, {});
      JsonWriter expected;
      estimate::writeAnalysisJson(expected, whole);

      JsonWriter streamed;
      std::vector<generate::VariantKind> order;
      bool started = false, allHadLayers = true;
      estimate::AnalysisOptions o;
      o.threads = 3;
      o.releaseDelivered = true;
      o.onVariant = [&](const estimate::Analysis& head, const estimate::VariantResult& v) {
        if (!started) estimate::writeAnalysisHead(streamed, head);
        started = true;
        order.push_back(v.kind);
        allHadLayers = allHadLayers && (v.parseError || !v.estimate.layers.empty());
        estimate::writeVariantJson(streamed, v);
      };
      const auto released = estimate::analyze(*project, **k, o);
      estimate::writeAnalysisTail(streamed);
      QCOMPARE(QString::fromStdString(streamed.text()), QString::fromStdString(expected.text()));
      QCOMPARE(order.size(), whole.variants.size());
      for (std::size_t i = 0; i < order.size(); ++i) QCOMPARE(int(order[i]), int(whole.variants[i].kind));
      QVERIFY(allHadLayers);
      QCOMPARE(released.variants.size(), whole.variants.size());
      for (std::size_t i = 0; i < released.variants.size(); ++i) {
        const auto& r = released.variants[i];
        QVERIFY(r.estimate.layers.empty() && r.fidelity.empty() && r.findings.empty());
        QCOMPARE(QString::fromStdString(r.dockerfile), QString::fromStdString(whole.variants[i].dockerfile));
        QCOMPARE(r.estimate.disk.mid, whole.variants[i].estimate.disk.mid);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestJsonStream)
#include "test_json_stream.moc"
