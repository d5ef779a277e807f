// The streamed JSON writer (parse --json and analyze --json print through it) and the parallel
// analysis: the streamed text is exactly nlohmann's dump of the same document, and the variants
// analysed on several threads give the same result as on one.
#include <QtTest>

#include <future>
#include <stdexcept>

#include <limits>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
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

  // The parse output is canonical (parsing and dumping it again gives the same text); the
  // analysis output is valid JSON whose long lists have one record per line.
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
      QVERIFY(w.text().find("\"layers\": [") != std::string::npos);
      // Every layer is one line: a whole JSON object.
      std::istringstream lines(w.text());
      int records = 0;
      for (std::string line; std::getline(lines, line);) {
        // a layer: {"stage":...} or, named sameAs another, {"line":...,"sameAs":...}
        auto at = line.find("{\"stage\":");
        if (at == std::string::npos && line.find("\"sameAs\":") != std::string::npos) at = line.find('{');
        if (at == std::string::npos) continue;
        std::string record = line.substr(at);
        if (!record.empty() && record.back() == ',') record.pop_back();
        QVERIFY2(J::accept(record), record.c_str());
        ++records;
      }
      std::size_t layers = 0;
      for (const auto& v : a.variants) layers += v.estimate.layers.size() + v.estimate.builderLayers.size();
      QCOMPARE(std::size_t(records), layers);

      auto tree = dockerfile::parse(project->dockerfileText, project->dockerfilePath);
      QVERIFY(tree.ok());
      const auto model = dockerfile::buildModel(*tree, project->dockerfilePath, {});
      JsonWriter pw;
      dockerfile::writeJson(pw, *tree, model);
      pw.finish();
      QCOMPARE(QString::fromStdString(pw.text()), QString::fromStdString(jsonText(J::parse(pw.text())) + "\n"));
    }
  }

  // A container written on one line: compact, the same document as nlohmann's.
  void oneLineRecords() {
    const J doc = sample("nesting");
    JsonWriter w;
    w.beginArray();
    w.beginObjectLine();
    w.field("a", 1);
    w.key("b");
    w.beginArray();
    w.value(2);
    w.value("x");
    w.endArray();
    w.field("doc", doc);
    w.endObject();
    w.value(3);
    w.endArray();
    w.finish();
    QCOMPARE(QString::fromStdString(w.text()),
             QString::fromStdString("[\n  {\"a\":1,\"b\":[2,\"x\"],\"doc\":" + jsonText(doc, -1) + "},\n  3\n]\n"));
  }

  // Schema 2 leaves nothing out: every reason id resolves; a layer named `sameAs` says what the
  // layer it names says; every unknown and every unknown build time of the analysis is on a
  // layer or in the variant's list; every finding is in its rule's group; every line of the
  // fidelity records and added lines is there.
  void analysisJsonSaysEverything() {
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    {  // the bench's unknown-heavy shape, small: nothing in it is catalogued
      std::ofstream df(tmp.path().toStdString() + "/Dockerfile");
      df << "FROM python:3.12-slim\n";
      for (int i = 1; i < 60; ++i) {
        switch (i % 6) {
          case 0: df << "RUN apt-get update && apt-get install -y internal-tool-" << i << " vendor-lib-" << i << "-dev && rm -rf /var/lib/apt/lists/*\n"; break;
          case 1: df << "RUN pip install --no-cache-dir acme-private-client-" << i << "==1." << i << ".0 company-sdk-" << i << "\n"; break;
          case 2: df << "RUN ./scripts/provision-step-" << i << ".sh --with-a-rather-long-option-name=value-" << i << "\n"; break;
          case 3: df << "RUN curl -fsSL https://downloads.example.com/releases/tool-" << i << "/install.sh | sh\n"; break;
          case 4: df << "ENV STEP_" << i << "=done\n"; break;
          default: df << "RUN npm install -g private-cli-" << i << "\n";
        }
      }
    }
    int sameAs = 0, offLayers = 0, secondsUnknown = 0;
    for (const std::string& path : {tmp.path().toStdString(), examples() + "/django-postgres", examples() + "/uwsgi-app"}) {
      auto project = estimate::openProject(path);
      QVERIFY(project.ok());
      const auto a = estimate::analyze(*project, **k, {});
      const J doc = estimate::analysisJson(a);
      QCOMPARE(QString::fromStdString(doc.at("schema").get<std::string>()), QString("slimbench.analysis/2"));
      const J& reasons = doc.at("reasons");
      auto text = [&](const J& id) {
        if (!id.is_string() || !reasons.contains(id.get<std::string>())) return std::string("<no reason ") + id.dump() + ">";
        return reasons.at(id.get<std::string>()).get<std::string>();
      };
      auto texts = [&](const J& record, const char* key) {
        std::vector<std::string> out;
        if (record.contains(key))
          for (const auto& id : record.at(key)) out.push_back(text(id));
        return out;
      };
      auto strings = [](const std::vector<SharedText>& list) { return std::vector<std::string>(list.begin(), list.end()); };
      std::map<std::pair<std::string, int>, J> written;  // (variant, line) -> full layer record
      QCOMPARE(doc.at("variants").size(), a.variants.size());
      for (std::size_t vi = 0; vi < a.variants.size(); ++vi) {
        const auto& v = a.variants[vi];
        const J& jv = doc.at("variants")[vi];
        if (v.parseError) continue;
        const std::string vid = generate::variantId(v.kind);
        const auto& e = v.estimate;
        std::set<std::string> onLayers;
        for (const auto& [key, list] : {std::pair<const char*, const std::vector<estimate::LayerEstimate>*>{"layers", &e.layers},
                                        {"builderLayers", &e.builderLayers}}) {
          const J& jl = jv.at(key);
          QCOMPARE(jl.size(), list->size());
          for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& l = (*list)[i];
            const J& r = jl[i];
            QCOMPARE(r.at("line").get<int>(), l.line);
            J full = r;
            if (r.contains("sameAs")) {  // the named layer, with this one's fields over it
              ++sameAs;
              QVERIFY(!l.fromBase);
              auto it = written.find({r.at("sameAs").value("variant", std::string("original")), r.at("sameAs").at("line").get<int>()});
              QVERIFY2(it != written.end(), r.dump().c_str());
              full = it->second;
              for (auto f = r.begin(); f != r.end(); ++f)
                if (f.key() != "sameAs") full[f.key()] = f.value();
            }
            QCOMPARE(full.at("stage").get<int>(), l.stage);
            const std::string where = vid + " line " + std::to_string(l.line);
            QVERIFY2(full.at("instruction").get<std::string>() == l.instruction.str(), where.c_str());
            QVERIFY2(full.at("basis").get<std::string>() == estimate::basisId(l.basis), where.c_str());
            QVERIFY2(full.at("category").get<std::string>() == estimate::categoryId(l.category), where.c_str());
            QVERIFY2(full.at("diskBytes").at("low").get<std::uint64_t>() == l.disk.low, where.c_str());
            QVERIFY2(full.at("diskBytes").at("high").is_null() == l.disk.open, where.c_str());
            QVERIFY2(full.value("fromBase", false) == l.fromBase, where.c_str());
            QVERIFY2(full.value("secondsLowerBound", false) == l.secondsOpen, where.c_str());
            QVERIFY2((full.contains("reason") ? text(full.at("reason")) : std::string()) == l.reason.str(), where.c_str());
            QVERIFY2(text(full.at("source")) == l.source.str(), where.c_str());
            QVERIFY2(texts(full, "unknown") == strings(l.unknownParts), where.c_str());
            QVERIFY2(texts(full, "secondsUnknown") == strings(l.timeUnknownParts), where.c_str());
            QVERIFY2(texts(full, "notes") == l.notes, where.c_str());
            QVERIFY2((full.contains("proxy") ? text(full.at("proxy")) : std::string()) == l.proxyNote, where.c_str());
            QVERIFY2(full.value("parts", J::array()).size() == l.parts.size(), where.c_str());
            if (!r.contains("sameAs") && !l.fromBase) written[{vid, l.line}] = r;
            secondsUnknown += static_cast<int>(l.timeUnknownParts.size());
            for (const auto& u : l.unknownParts) onLayers.insert(l.line > 0 ? "line " + std::to_string(l.line) + ": " + u.str() : u.str());
          }
        }
        // What is unknown: on a layer, or in the variant's list.
        std::set<std::string> listed;
        for (const auto& u : jv.at("unknowns")) listed.insert(u.get<std::string>());
        offLayers += static_cast<int>(listed.size());
        for (const auto& u : e.unknowns) QVERIFY2(onLayers.count(u) || listed.count(u), (vid + ": " + u).c_str());
        for (const auto& t : e.timeUnknowns) {
          bool found = false;
          for (const auto* list : {&e.layers, &e.builderLayers})
            for (const auto& l : *list)
              for (const auto& p : l.timeUnknownParts) found = found || t == p || t == p.str() + " at line " + std::to_string(l.line);
          QVERIFY2(found, (vid + ": " + t).c_str());
        }
        // Findings, by rule: each once, where it was found.
        std::multiset<std::string> findings, grouped;
        for (const auto& f : v.findings) findings.insert(f.ruleId + "|" + std::to_string(f.where.line) + "|" + f.message);
        for (const auto& g : jv.at("findings")) {
          QVERIFY(!g.at("explanation").get<std::string>().empty());
          for (const auto& at : g.at("at"))
            grouped.insert(g.at("rule").get<std::string>() + "|" + std::to_string(at.at("line").get<int>()) + "|" + at.at("message").get<std::string>());
        }
        QVERIFY2(findings == grouped, vid.c_str());
        if (v.kind == generate::VariantKind::Original) {
          QVERIFY(!jv.contains("dockerfile"));
          continue;
        }
        QCOMPARE(QString::fromStdString(jv.at("dockerfile").get<std::string>()), QString::fromStdString(v.dockerfile));
        std::multiset<std::string> fidelity, fidelityJson;
        for (const auto& f : v.fidelity) fidelity.insert(std::to_string(f.line) + " " + f.action + " " + f.reason.str());
        std::multiset<std::string> notes, notesJson;
        for (const auto& n : v.lineNotes) notes.insert(std::to_string(n.line) + " " + n.reason);
        for (const auto& g : jv.at("fidelity")) {
          for (const auto& line : g.at("lines"))
            fidelityJson.insert(std::to_string(line.get<int>()) + " " + g.at("action").get<std::string>() + " " + g.at("reason").get<std::string>());
          for (const auto& line : g.value("variantLines", J::array()))
            notesJson.insert(std::to_string(line.get<int>()) + " " + g.at("reason").get<std::string>());
        }
        for (const auto& g : jv.at("addedLines"))
          for (const auto& line : g.at("lines")) notesJson.insert(std::to_string(line.get<int>()) + " " + g.at("reason").get<std::string>());
        QVERIFY2(fidelity == fidelityJson, vid.c_str());
        QVERIFY2(notes == notesJson, vid.c_str());
      }
    }
    QVERIFY(sameAs > 0);          // variants keep instructions estimated the same: named, not repeated
    QVERIFY(offLayers > 0);       // the alpine variant's untranslated packages
    QVERIFY(secondsUnknown > 0);  // scripts and piped installers
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
      estimate::AnalysisJsonWriter out(streamed);
      std::vector<generate::VariantKind> order;
      bool started = false, allHadLayers = true;
      estimate::AnalysisOptions o;
      o.threads = 3;
      o.releaseDelivered = true;
      o.onVariant = [&](const estimate::Analysis& head, const estimate::VariantResult& v) {
        if (!started) out.head(head);
        started = true;
        order.push_back(v.kind);
        allHadLayers = allHadLayers && (v.parseError || !v.estimate.layers.empty());
        out.variant(v);
      };
      const auto released = estimate::analyze(*project, **k, o);
      out.tail();
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
