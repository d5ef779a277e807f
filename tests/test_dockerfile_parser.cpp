// The Dockerfile syntax parser against BuildKit's own parser cases, plus the
// behaviours those cases do not pin down (heredocs, directives, lines, errors).
#include <QtTest>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "dockerfile/syntax.h"
#include "testutil.h"

using namespace slimbench::dockerfile;
namespace fs = std::filesystem;

class TestDockerfileParser : public QObject {
  Q_OBJECT
 private slots:
  void conformance_data();
  void conformance();
  void conformanceNegative_data();
  void conformanceNegative();
  void goQuoting_data();
  void goQuoting();
  void heredocs();
  void heredocChompAndQuoted();
  void heredocUnterminated();
  void lineNumbers();
  void directivesOnlyAtTop();
  void duplicateDirectiveRejected();
  void invalidEscapeRejected();
  void keywordsCaseInsensitive();
  void onbuildNested();
  void healthcheck();
  void emptyContinuationWarns();
  void jsonFallbackAndStrictness();
  void execFormReadAsJson_data();
  void execFormReadAsJson();
};

void TestDockerfileParser::conformance_data() {
  QTest::addColumn<QString>("dir");
  const std::string root = testutil::conformanceDir();
  if (root.empty()) {
    QTest::newRow("absent") << QString();
    return;
  }
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "testfiles")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  for (const auto& c : cases) QTest::newRow(c.filename().string().c_str()) << testutil::q(c.string());
}

void TestDockerfileParser::conformance() {
  QFETCH(QString, dir);
  if (dir.isEmpty())
    QSKIP("BuildKit conformance cases not found (expected ../shared/conformance/buildkit-parser beside the "
          "project root, or SLIMBENCH_CONFORMANCE_DIR); skipping.");
  const fs::path d = dir.toStdString();
  const std::string input = testutil::readFile(d / "Dockerfile");
  const std::string expected = testutil::readFile(d / "result");
  auto r = parse(input, (d / "Dockerfile").string());
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
  QCOMPARE(testutil::q(r->dump()), testutil::q(expected));
}

void TestDockerfileParser::conformanceNegative_data() {
  QTest::addColumn<QString>("dir");
  const std::string root = testutil::conformanceDir();
  if (root.empty()) {
    QTest::newRow("absent") << QString();
    return;
  }
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(fs::path(root) / "testfiles-negative")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  for (const auto& c : cases) QTest::newRow(c.filename().string().c_str()) << testutil::q(c.string());
}

void TestDockerfileParser::conformanceNegative() {
  QFETCH(QString, dir);
  if (dir.isEmpty()) QSKIP("BuildKit conformance cases not found; skipping.");
  const fs::path d = dir.toStdString();
  auto r = parse(testutil::readFile(d / "Dockerfile"), "Dockerfile");
  QVERIFY2(!r.ok(), "a negative case must be rejected");
  QVERIFY(!r.error().message.empty());
  QVERIFY(r.error().where.line >= 0);
}

void TestDockerfileParser::goQuoting_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("plain") << "abc" << "\"abc\"";
  QTest::newRow("quote+backslash") << "a\"b\\c" << "\"a\\\"b\\\\c\"";
  QTest::newRow("controls") << "a\tb\nc\x01" << "\"a\\tb\\nc\\x01\"";
  QTest::newRow("unicode kept") << QString::fromUtf8("h\xc3\xa9llo") << QString::fromUtf8("\"h\xc3\xa9llo\"");
  QTest::newRow("nbsp escaped") << QString::fromUtf8("a\xc2\xa0" "b") << "\"a\\u00a0b\"";
}

void TestDockerfileParser::goQuoting() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  QCOMPARE(testutil::q(goQuote(in.toStdString())), out);
}

void TestDockerfileParser::heredocs() {
  const std::string df =
      "FROM alpine\n"
      "RUN <<EOF\n"
      "echo hello\n"
      "echo world\n"
      "EOF\n"
      "COPY <<A.txt <<B.txt /dest/\n"
      "aaa\n"
      "A.txt\n"
      "bbb\n"
      "B.txt\n"
      "RUN 3<<FD cat /proc/self/fd/3\n"
      "x\n"
      "FD\n"
      "CMD echo done\n";
  auto r = parse(df);
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
  QCOMPARE(int(r->instructions.size()), 5);
  const auto& run = r->instructions[1];
  QCOMPARE(int(run.heredocs.size()), 1);
  QCOMPARE(testutil::q(run.heredocs[0].name), QString("EOF"));
  QCOMPARE(testutil::q(run.heredocs[0].content), QString("echo hello\necho world\n"));
  QCOMPARE(run.startLine, 2);
  QCOMPARE(run.endLine, 5);
  const auto& copy = r->instructions[2];
  QCOMPARE(int(copy.heredocs.size()), 2);
  QCOMPARE(testutil::q(copy.heredocs[1].content), QString("bbb\n"));
  QCOMPARE(testutil::q(copy.args.back()), QString("/dest/"));
  QCOMPARE(r->instructions[3].heredocs[0].fileDescriptor, 3u);
  QCOMPARE(r->instructions[4].startLine, 14);
}

void TestDockerfileParser::heredocChompAndQuoted() {
  auto r = parse("FROM a\nRUN <<-\"EOT\" sh\n\techo $HOME\n\t\tindented\n\tEOT\n");
  QVERIFY(r.ok());
  const auto& h = r->instructions[1].heredocs.at(0);
  QVERIFY(h.chomp);
  QVERIFY(!h.expand);
  QCOMPARE(testutil::q(h.name), QString("EOT"));
  QCOMPARE(testutil::q(h.body()), QString("echo $HOME\nindented\n"));
  // JSON form never carries heredocs.
  auto j = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD x\n");
  QVERIFY(j.ok());
  QCOMPARE(int(j->instructions.size()), 3);
  QVERIFY(j->instructions[1].heredocs.empty());
}

void TestDockerfileParser::heredocUnterminated() {
  auto r = parse("FROM a\nRUN <<EOF\necho\n", "Dockerfile");
  QVERIFY(!r.ok());
  QCOMPARE(r.error().where.line, 2);
  QVERIFY(testutil::q(r.error().message).contains("unterminated heredoc"));
  QVERIFY(testutil::q(r.error().format()).startsWith("Dockerfile:2:"));
}

void TestDockerfileParser::lineNumbers() {
  auto r = parse("# comment\n\nFROM a \\\n  # inside\n  AS b\n\nRUN x \\\n  y\n");
  QVERIFY(r.ok());
  QCOMPARE(r->instructions[0].startLine, 3);
  QCOMPARE(r->instructions[0].endLine, 5);
  QCOMPARE(testutil::q(r->instructions[0].dump()), QString("from \"a\" \"AS\" \"b\""));
  QCOMPARE(r->instructions[1].startLine, 7);
  QCOMPARE(r->instructions[1].endLine, 8);
  QCOMPARE(testutil::q(r->instructions[0].comments.at(0)), QString("comment"));
}

void TestDockerfileParser::directivesOnlyAtTop() {
  auto r = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN x `\n  y\n# escape=\\\nRUN z\n");
  QVERIFY(r.ok());
  QCOMPARE(r->escapeToken, '`');
  QCOMPARE(int(r->directives.size()), 2);
  QCOMPARE(testutil::q(r->directives[0].value), QString("docker/dockerfile:1"));
  QCOMPARE(testutil::q(r->instructions[1].args[0]), QString("x   y"));
  // After a blank line, "# escape=" is only a comment.
  auto late = parse("\n# escape=`\nFROM a\nRUN x \\\n y\n");
  QVERIFY(late.ok());
  QCOMPARE(late->escapeToken, '\\');
  QCOMPARE(testutil::q(late->instructions[1].args[0]), QString("x  y"));
}

void TestDockerfileParser::duplicateDirectiveRejected() {
  auto r = parse("# escape=`\n# escape=\\\nFROM a\n");
  QVERIFY(!r.ok());
  QCOMPARE(r.error().where.line, 2);
  QVERIFY(testutil::q(r.error().message).contains("only one escape"));
}

void TestDockerfileParser::invalidEscapeRejected() {
  auto r = parse("# escape=x\nFROM a\n");
  QVERIFY(!r.ok());
  QVERIFY(testutil::q(r.error().message).contains("invalid escape token"));
}

void TestDockerfileParser::keywordsCaseInsensitive() {
  auto r = parse("from a\nRuN echo\ncOpY --from=0 a b\n");
  QVERIFY(r.ok());
  QCOMPARE(testutil::q(r->dump()), QString("(from \"a\")\n(run \"echo\")\n(copy [\"--from=0\"] \"a\" \"b\")\n"));
  QCOMPARE(testutil::q(r->instructions[1].keyword), QString("RuN"));
}

void TestDockerfileParser::onbuildNested() {
  auto r = parse("FROM a\nONBUILD RUN echo hi\nONBUILD COPY --chown=1 . /app\n");
  QVERIFY(r.ok());
  QVERIFY(r->instructions[1].sub);
  QCOMPARE(testutil::q(r->instructions[1].dump()), QString("onbuild (run \"echo hi\")"));
  QCOMPARE(testutil::q(r->instructions[2].sub->flags.at(0)), QString("--chown=1"));
}

void TestDockerfileParser::healthcheck() {
  auto r = parse("FROM a\nHEALTHCHECK --interval=5s CMD [\"curl\",\"-f\",\"http://x\"]\nHEALTHCHECK NONE\n");
  QVERIFY(r.ok());
  QCOMPARE(testutil::q(r->instructions[1].dump()),
           QString("healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\" \"http://x\""));
  QVERIFY(r->instructions[1].json);
  QCOMPARE(testutil::q(r->instructions[2].dump()), QString("healthcheck \"NONE\""));
}

void TestDockerfileParser::emptyContinuationWarns() {
  auto r = parse("FROM a\nRUN a \\\n\n  b\n");
  QVERIFY(r.ok());
  QCOMPARE(int(r->warnings.size()), 1);
  QCOMPARE(r->warnings[0].where.line, 2);
}

void TestDockerfileParser::jsonFallbackAndStrictness() {
  auto r = parse("FROM a\nCMD [\"a\", 'b']\n");
  QVERIFY(r.ok());
  QVERIFY(!r->instructions[1].json);
  auto bad = parse("FROM a\nCMD [\"a\", 1]\n");
  QVERIFY(!bad.ok());
  QVERIFY(testutil::q(bad.error().message).contains("strings only"));
  QCOMPARE(bad.error().where.line, 2);
}

// Exec-form arguments are what a JSON parser makes of them (plain string arrays are read without
// one): a JSON array of strings gives those strings and json=true, anything that is not JSON the
// text as one argument, a JSON array holding a non-string an error.
void TestDockerfileParser::execFormReadAsJson_data() {
  QTest::addColumn<QByteArray>("args");  // bytes: some rows are not valid UTF-8
  QTest::newRow("plain") << QByteArray(R"(["python", "app.py"])");
  QTest::newRow("spaces around") << QByteArray("[ \"sh\" ,\t\"-c\" ]");
  QTest::newRow("empty") << QByteArray("[]");
  QTest::newRow("empty spaced") << QByteArray("[ ]");
  QTest::newRow("empty string") << QByteArray(R"([""])");
  QTest::newRow("escaped quote") << QByteArray(R"(["a\"b", "c"])");
  QTest::newRow("unicode escape") << QByteArray(R"(["\u00e9", "x"])");
  QTest::newRow("slash escape") << QByteArray(R"(["a\/b"])");
  QTest::newRow("utf-8") << QByteArray("[\"caf\xC3\xA9\"]");
  QTest::newRow("bad utf-8") << QByteArray("[\"caf\xC3\"]");
  QTest::newRow("raw tab") << QByteArray("[\"a\tb\"]");
  QTest::newRow("DEL") << QByteArray("[\"a\x7F\"]");
  QTest::newRow("trailing comma") << QByteArray(R"(["a",])");
  QTest::newRow("missing comma") << QByteArray(R"(["a" "b"])");
  QTest::newRow("single quotes") << QByteArray(R"(['a'])");
  QTest::newRow("text after") << QByteArray(R"(["a"] b)");
  QTest::newRow("two arrays") << QByteArray(R"(["a"]["b"])");
  QTest::newRow("unterminated") << QByteArray(R"(["a)");
  QTest::newRow("unclosed") << QByteArray(R"(["a", "b")");
  QTest::newRow("number") << QByteArray(R"(["a", 1])");
  QTest::newRow("nested") << QByteArray(R"([["a"]])");
  QTest::newRow("null") << QByteArray(R"([null])");
  QTest::newRow("object") << QByteArray(R"({"a": "b"})");
  QTest::newRow("every escape") << QByteArray(R"(["\"\\\/\b\f\n\r\t", "\u001f\u0000x"])");
  QTest::newRow("surrogate pair") << QByteArray(R"(["\ud83d\ude00"])");
  QTest::newRow("lone high surrogate") << QByteArray(R"(["\ud83d x"])");
  QTest::newRow("high then non-low") << QByteArray(R"(["\ud83d\u0041"])");
  QTest::newRow("lone low surrogate") << QByteArray(R"(["\ude00"])");
  QTest::newRow("bad hex") << QByteArray(R"(["\u12G4"])");
  QTest::newRow("short \\u") << QByteArray(R"(["\u12"])");
  QTest::newRow("bad escape") << QByteArray(R"(["\x41"])");
  QTest::newRow("4-byte utf-8") << QByteArray("[\"\xF0\x9F\x98\x80\"]");
  QTest::newRow("overlong utf-8") << QByteArray("[\"\xC0\x80\"]");
  QTest::newRow("utf-8 surrogate") << QByteArray("[\"\xED\xA0\x80\"]");
  QTest::newRow("above U+10FFFF") << QByteArray("[\"\xF4\x90\x80\x80\"]");
  QTest::newRow("cut utf-8") << QByteArray("[\"\xE2\x82\"]");
  QTest::newRow("carriage return between") << QByteArray("[\"a\",\r\"b\"]");
  QTest::newRow("comma first") << QByteArray(R"([, "a"])");
  QTest::newRow("comma last spaced") << QByteArray(R"(["a" , ])");
  QTest::newRow("true") << QByteArray(R"(["a", true])");
  QTest::newRow("negative") << QByteArray(R"([-1])");
  QTest::newRow("empty object") << QByteArray(R"(["a", {}])");
  QTest::newRow("bad literal") << QByteArray(R"(["a", tru])");
  QTest::newRow("bad nested") << QByteArray(R"(["a", [x]])");
  QTest::newRow("bare word") << QByteArray(R"([a])");
}

void TestDockerfileParser::execFormReadAsJson() {
  QFETCH(QByteArray, args);
  const std::string text = args.toStdString();
  std::vector<std::string> expected;
  bool json = false, strings = true;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_discarded() && j.is_array()) {
    json = true;
    for (const auto& e : j) {
      if (!e.is_string()) strings = false;
      else expected.push_back(e.get<std::string>());
    }
  }
  if (!json) expected = {text};
  for (const char* keyword : {"CMD", "COPY"}) {
    auto r = parse(std::string("FROM a\n") + keyword + " " + text + "\n");
    if (json && !strings) {
      QVERIFY2(!r.ok(), keyword);
      QVERIFY(testutil::q(r.error().message).contains("strings only"));
      continue;
    }
    QVERIFY2(r.ok(), keyword);
    const auto& in = r->instructions[1];
    QCOMPARE(in.json, json);
    if (json || std::string_view(keyword) == "CMD") QCOMPARE(in.args, expected);
  }
}

QTEST_APPLESS_MAIN(TestDockerfileParser)
#include "test_dockerfile_parser.moc"
