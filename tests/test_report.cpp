// Reports of an analysis (core/report): the HTML page is well-formed where it is XML (the inline SVG
// charts), escapes a hostile Dockerfile, marks exactly the lower bounds with "≥" and an open end,
// and names every variant; the Markdown table has a row per variant and its text chart is to scale;
// the unified diff turns the user's Dockerfile into the variant's; the recommendation and the
// --max-size verdicts follow their stated rules.
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#ifdef SLIMBENCH_TEST_HAVE_QTSVG
#include <QSvgRenderer>
#endif

#include <filesystem>
#include <fstream>

#include "estimate/analysis.h"
#include "knowledge.h"
#include "report/diff.h"
#include "report/report.h"
#include "report/sizelimit.h"
#include "testutil.h"

using namespace slimbench;
using testutil::q;
namespace fs = std::filesystem;

namespace {

estimate::Analysis analyzeDir(const std::string& dir) {
  auto p = estimate::openProject(dir);
  if (!p) qFatal("%s", p.error().format().c_str());
  return estimate::analyze(*p, *testutil::knowledge(), {});
}

estimate::Analysis analyzeExample(const std::string& name) {
  return analyzeDir(testutil::sourceDir() + "/resources/examples/" + name);
}

void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

bool lowerBound(const estimate::VariantResult& v) { return v.estimate.disk.open || !v.estimate.coverage.complete; }

// Every <svg>…</svg> of a page.
QStringList svgParts(const QString& html) {
  QStringList out;
  qsizetype from = 0;
  while (true) {
    const auto start = html.indexOf("<svg", from);
    if (start < 0) break;
    const auto end = html.indexOf("</svg>", start);
    if (end < 0) {
      out << html.mid(start);  // unterminated: the XML check fails on it
      break;
    }
    out << html.mid(start, end + 6 - start);
    from = end + 6;
  }
  return out;
}

// What the chart says per variant (data-variant of each bar group): whether it draws an open end,
// and the text of its total.
struct Bar {
  bool open = false;
  QString total;
  int rects = 0;
};
QMap<QString, Bar> barsOf(const QString& svg, QString* error) {
  QMap<QString, Bar> bars;
  QXmlStreamReader x(svg);
  QString current;
  int depth = 0, barDepth = -1;
  QString lastText;
  while (!x.atEnd()) {
    x.readNext();
    if (x.isStartElement()) {
      ++depth;
      const auto cls = x.attributes().value("class").toString();
      if (x.name() == u"g" && cls == "bar") {
        current = x.attributes().value("data-variant").toString();
        bars[current];
        barDepth = depth;
      } else if (!current.isEmpty() && x.name() == u"g" && cls == "open") bars[current].open = true;
      else if (!current.isEmpty() && x.name() == u"rect") bars[current].rects++;
      else if (!current.isEmpty() && x.name() == u"text" && depth == barDepth + 1) {
        const QString t = x.readElementText(QXmlStreamReader::IncludeChildElements);
        --depth;
        if (t.contains(" MB")) bars[current].total = t;
      }
    } else if (x.isEndElement()) {
      if (depth == barDepth) current.clear(), barDepth = -1;
      --depth;
    }
  }
  if (x.hasError()) *error = QString("line %1: %2").arg(x.lineNumber()).arg(x.errorString());
  return bars;
}

// The cells of the HTML comparison table, by variant id and cell class.
QString tableCell(const QString& html, const QString& variant, const QString& cls) {
  const QRegularExpression row("<tr[^>]*data-variant=\"" + variant + "\"[^>]*>(.*?)</tr>", QRegularExpression::DotMatchesEverythingOption);
  const auto m = row.match(html);
  if (!m.hasMatch()) return {};
  const QRegularExpression cell("<td class=\"num " + cls + "\">(.*?)</td>");
  return cell.match(m.captured(1)).captured(1);
}

// The rows of the Markdown comparison table (after its header and separator).
QStringList markdownTableRows(const QString& md) {
  QStringList rows;
  bool in = false;
  for (const QString& l : md.split('\n')) {
    if (l.startsWith("|---")) {
      in = true;
      continue;
    }
    if (in && !l.startsWith("| ")) break;
    if (in) rows << l;
  }
  return rows;
}

// The body of the first fenced block opened with `info` (```diff), or a null string.
QString fenced(const QString& md, const QString& info) {
  const QRegularExpression re("(?m)^(`{3,})" + QRegularExpression::escape(info) + "\\n(.*?)^\\1$", QRegularExpression::DotMatchesEverythingOption);
  const auto m = re.match(md);
  return m.hasMatch() ? m.captured(2) : QString();
}

// Applies a unified diff to `before` (the test's own reading of the format).
bool applyUnified(const QStringList& before, const QString& diff, QStringList& after) {
  const QStringList d = diff.split('\n');
  after.clear();
  int pos = 0;  // next line of `before` not yet copied (0-based)
  const QRegularExpression hunk("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@$");
  for (qsizetype i = 0; i < d.size(); ++i) {
    const QString& l = d[i];
    if (l.startsWith("--- ") || l.startsWith("+++ ") || l.isEmpty()) continue;
    const auto m = hunk.match(l);
    if (m.hasMatch()) {
      const int start = m.captured(1).toInt(), count = m.captured(2).isEmpty() ? 1 : m.captured(2).toInt();
      const int first = count == 0 ? start : start - 1;  // "-5,0": after line 5
      if (first < pos) return false;
      while (pos < first) after << before[pos++];
      continue;
    }
    if (l[0] == ' ') {
      if (pos >= before.size() || before[pos] != l.mid(1)) return false;
      after << before[pos++];
    } else if (l[0] == '-') {
      if (pos >= before.size() || before[pos] != l.mid(1)) return false;
      ++pos;
    } else if (l[0] == '+') after << l.mid(1);
    else return false;
  }
  while (pos < before.size()) after << before[pos++];
  return true;
}

QStringList linesOf(const std::string& s) {
  QStringList l = q(s).split('\n');
  if (!l.isEmpty() && l.last().isEmpty()) l.removeLast();
  return l;
}

estimate::VariantResult synthetic(generate::VariantKind kind, std::uint64_t mb, bool open, double seconds = 60) {
  estimate::VariantResult v;
  v.kind = kind;
  v.dockerfile = "FROM python:3.12-slim\n";
  v.estimate.disk = open ? estimate::Range::unknown(mb * 1000000) : estimate::Range{mb * 900000, mb * 1000000, mb * 1100000, false};
  v.estimate.coverage.complete = !open;
  v.estimate.coverage.unknownCount = open ? 1 : 0;
  if (open) v.estimate.coverage.unknownLayers = {3};
  v.estimate.buildSecondsCold = seconds;
  return v;
}

}  // namespace

class TestReport : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string unknownDir_, hostileDir_;

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    // A project with a requirement no catalogue knows: every variant installs it, so every total is
    // a lower bound.
    unknownDir_ = tmp_.filePath("unknown").toStdString();
    fs::create_directories(unknownDir_);
    writeFile(fs::path(unknownDir_) / "requirements.txt", "flask==3.0.3\nsb-internal-package-nobody-knows==1.0\n");
    writeFile(fs::path(unknownDir_) / "app.py", "print('hi')\n");
    writeFile(fs::path(unknownDir_) / "Dockerfile",
              "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n");
    // A Dockerfile written to break a report: markup, entities, quotes, backtick fences.
    hostileDir_ = tmp_.filePath("hostile").toStdString();
    fs::create_directories(hostileDir_);
    writeFile(fs::path(hostileDir_) / "requirements.txt", "flask==3.0.3\n");
    writeFile(fs::path(hostileDir_) / "Dockerfile",
              "FROM python:3.12\n"
              "LABEL description=\"<script>alert('x')</script> & <img src=x onerror=alert(1)>\"\n"
              "WORKDIR /app\nCOPY requirements.txt .\n"
              "RUN pip install -r requirements.txt && echo '</pre></svg><b>bold</b> ``` | *x* [a](b)'\n"
              "COPY . .\nCMD [\"python\", \"-c\", \"print('&amp;')\"]\n");
  }

  void formatFromExtension() {
    QVERIFY(report::formatFromPath("out/report.html") == report::Format::Html);
    QVERIFY(report::formatFromPath("R.HTM") == report::Format::Html);
    QVERIFY(report::formatFromPath("pr.md") == report::Format::Markdown);
    QVERIFY(report::formatFromPath("a.markdown") == report::Format::Markdown);
    QVERIFY(!report::formatFromPath("report.txt"));
    QVERIFY(!report::formatFromPath("report"));
    QVERIFY(!report::formatFromPath("dir.html/report"));
  }

  void escaping() {
    QCOMPARE(report::escapeHtml("<a href=\"x\">'&'</a>"), std::string("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"));
    // Control characters XML 1.0 does not allow are replaced, not passed on.
    const std::string ctl = report::escapeHtml(std::string("a\x01" "b\x1b" "c"));
    QVERIFY(ctl.find('\x01') == std::string::npos && ctl.find('\x1b') == std::string::npos);
    QCOMPARE(report::escapeMarkdown("a|b <i>*c*</i>\nd"), std::string("a\\|b &lt;i&gt;\\*c\\*&lt;/i&gt; d"));
    QCOMPARE(report::fenceFor("no ticks"), std::string("```"));
    QCOMPARE(report::fenceFor("x ```` y"), std::string("`````"));
  }

  void unifiedDiffByHand() {
    const auto d = report::unifiedDiff("a\nb\nc\n", "a\nB\nc\nd\n", "old", "new", 3);
    QCOMPARE(q(d.text), QString("--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n"));
    QCOMPARE(d.added, 2);
    QCOMPARE(d.removed, 1);
    QVERIFY(report::unifiedDiff("same\n", "same\n", "a", "b").text.empty());
    // Far-apart changes make separate hunks; an insertion at the top is "-0,0".
    std::string before, after = "top\n";
    for (int i = 1; i <= 20; ++i) before += "l" + std::to_string(i) + "\n", after += (i == 15 ? "X" : "l" + std::to_string(i)) + "\n";
    const auto h = report::unifiedDiff(before, after, "a", "b", 2);
    QCOMPARE(q(h.text).count("\n@@ "), 2);
    QVERIFY2(q(h.text).contains("@@ -1,2 +1,3 @@\n+top\n l1\n l2\n@@ -13,5 +14,5 @@\n"), h.text.c_str());
    QCOMPARE(q(report::unifiedDiff("", "x\n", "a", "b").text), QString("--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n"));
    QCOMPARE(q(report::unifiedDiff("x\ny\n", "y\n", "a", "b", 0).text), QString("--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n"));
  }

  // Random edits: the diff always turns the one text into the other.
  void unifiedDiffApplies() {
    QRandomGenerator rng(23);
    for (int round = 0; round < 300; ++round) {
      std::vector<std::string> a;
      const int n = int(rng.bounded(0, 40));
      for (int i = 0; i < n; ++i) a.push_back("line " + std::to_string(rng.bounded(0, 12)));
      std::vector<std::string> b = a;
      const int edits = int(rng.bounded(0, 8));
      for (int e = 0; e < edits; ++e) {
        const int op = int(rng.bounded(0, 3));
        const auto at = b.empty() ? 0 : std::size_t(rng.bounded(0, int(b.size())));
        if (op == 0 || b.empty()) b.insert(b.begin() + std::ptrdiff_t(std::min(at, b.size())), "new " + std::to_string(rng.bounded(0, 5)));
        else if (op == 1) b.erase(b.begin() + std::ptrdiff_t(at));
        else b[at] = "changed";
      }
      std::string sa, sb;
      for (const auto& l : a) sa += l + "\n";
      for (const auto& l : b) sb += l + "\n";
      const auto d = report::unifiedDiff(sa, sb, "a", "b", int(rng.bounded(0, 4)));
      QStringList got;
      QVERIFY2(applyUnified(linesOf(sa), q(d.text), got), d.text.c_str());
      QCOMPARE(got, linesOf(sb));
      QCOMPARE(d.text.empty(), sa == sb);
    }
  }

  void recommendation() {
    estimate::Analysis a;
    a.variants.push_back(synthetic(generate::VariantKind::Original, 900, false));
    a.variants.push_back(synthetic(generate::VariantKind::Alpine, 100, true));  // smaller, but a lower bound
    a.variants.push_back(synthetic(generate::VariantKind::Slim, 200, false, 90));
    a.variants.push_back(synthetic(generate::VariantKind::MultiStage, 200, false, 80));  // as small, faster
    auto c = report::recommend(a);
    QCOMPARE(c.variant, 3);
    QVERIFY(c.recommended);
    QVERIFY(QString::fromStdString(c.why).contains("200.0 MB"));
    a.variants[3].parseError = errorAt("Dockerfile.multistage", "broken");
    QCOMPARE(report::recommend(a).variant, 2);
    // Lower bounds everywhere: the smallest known part, said to be a comparison of lower bounds.
    for (auto& v : a.variants) v = synthetic(v.kind, v.estimate.disk.mid / 1000000, true);
    c = report::recommend(a);
    QCOMPARE(c.variant, 1);
    QVERIFY(QString::fromStdString(c.why).contains("lower bounds"));
    // --variant picks one, and says which would be recommended.
    auto chosen = report::choose(a, "slim");
    QVERIFY(chosen);
    QCOMPARE(chosen->variant, 2);
    QVERIFY(!chosen->recommended);
    QVERIFY(!report::choose(a, "buildkit"));  // not in this analysis
  }

  void maxSizeVerdicts() {
    using V = report::SizeCheck::Verdict;
    const std::uint64_t limit = 300'000'000;
    auto complete = synthetic(generate::VariantKind::Original, 250, false);  // 225–275 MB
    auto c = report::checkMaxSize(complete, limit);
    QCOMPARE(c.verdict, V::Within);
    QVERIFY(!c.fails());
    complete = synthetic(generate::VariantKind::Original, 280, false);  // range up to 308 MB
    c = report::checkMaxSize(complete, limit);
    QCOMPARE(c.verdict, V::Within);
    QVERIFY2(QString::fromStdString(c.message).contains("top of the range"), c.message.c_str());
    c = report::checkMaxSize(synthetic(generate::VariantKind::Slim, 320, false), limit);
    QCOMPARE(c.verdict, V::Over);
    QVERIFY(c.fails());
    QVERIFY2(QString::fromStdString(c.message).contains("by 20.0 MB"), c.message.c_str());
    QVERIFY(QString::fromStdString(c.message).contains("bottom of the range is within"));  // 288 MB at the low end
    c = report::checkMaxSize(synthetic(generate::VariantKind::Slim, 400, false), limit);
    QCOMPARE(c.verdict, V::Over);
    QVERIFY(!QString::fromStdString(c.message).contains("bottom of the range"));
    // Lower bounds: over fails whatever the unknown holds; under passes, with the warning.
    c = report::checkMaxSize(synthetic(generate::VariantKind::Original, 400, true), limit);
    QCOMPARE(c.verdict, V::Over);
    QVERIFY2(QString::fromStdString(c.message).contains("at least 400.0 MB"), c.message.c_str());
    c = report::checkMaxSize(synthetic(generate::VariantKind::Original, 100, true), limit);
    QCOMPARE(c.verdict, V::WithinKnownOnly);
    QVERIFY(!c.fails());
    QVERIFY2(QString::fromStdString(c.message).contains("could exceed"), c.message.c_str());
    QVERIFY2(QString::fromStdString(c.message).contains("line 3"), c.message.c_str());
    auto broken = synthetic(generate::VariantKind::Original, 100, false);
    broken.parseError = errorAt("Dockerfile", "unknown instruction", 2);
    QCOMPARE(report::checkMaxSize(broken, limit).verdict, V::NotEstimated);
  }

  void htmlOfAnExample_data() {
    QTest::addColumn<QString>("project");
    QTest::newRow("flask-app") << q(testutil::sourceDir() + "/resources/examples/flask-app");
    QTest::newRow("unknown") << q(unknownDir_);
    QTest::newRow("hostile") << q(hostileDir_);
  }
  void htmlOfAnExample() {
    QFETCH(QString, project);
    const auto a = analyzeDir(project.toStdString());
    QVERIFY(a.variants.size() >= 2);
    report::Options o;
    o.title = "t<i>&";
    const QString html = q(report::html(a, o));
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    // Self-contained: nothing fetched, nothing run.
    QVERIFY(!html.contains("<script", Qt::CaseInsensitive));
    QVERIFY(!html.contains("<link", Qt::CaseInsensitive));
    QVERIFY(!html.contains(QRegularExpression("<[a-z][^>]*\\s(src|href)\\s*=", QRegularExpression::CaseInsensitiveOption)));
    QVERIFY(html.contains("t&lt;i&gt;&amp;"));
    const QStringList svgs = svgParts(html);
    QCOMPARE(svgs.size(), 1);
    QString error;
    const auto bars = barsOf(svgs[0], &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
#ifdef SLIMBENCH_TEST_HAVE_QTSVG
    QSvgRenderer r(svgs[0].toUtf8());
    QVERIFY(r.isValid());
    QVERIFY(r.defaultSize().width() > 0);
#endif
    // Every variant: its bar, its table row, its layers section; "≥" and the open end exactly on the lower bounds.
    bool someLower = false, someComplete = false;
    for (const auto& v : a.variants) {
      const QString id = generate::variantId(v.kind);
      QVERIFY2(bars.contains(id), qPrintable(id));
      QVERIFY2(html.contains("<tr class=\"chosen\" data-variant=\"" + id + "\"") || html.contains("<tr data-variant=\"" + id + "\""), qPrintable(id));
      if (v.parseError) continue;
      const bool lb = lowerBound(v);
      (lb ? someLower : someComplete) = true;
      QCOMPARE(bars[id].open, lb);
      QVERIFY2(bars[id].total.contains("≥") == lb, qPrintable(id + ": " + bars[id].total));
      QVERIFY(bars[id].rects > 0);
      const QString disk = tableCell(html, id, "disk");
      QVERIFY2(!disk.isEmpty(), qPrintable(id));
      QCOMPARE(disk.contains("≥"), lb);
      QCOMPARE(tableCell(html, id, "range").contains("no upper bound"), lb);
      QCOMPARE(tableCell(html, id, "cold").contains("≥"), v.estimate.coldLowerBound);
      QVERIFY(html.contains("<summary>" + q(report::escapeHtml(generate::variantTitle(v.kind)))));
    }
    if (project.endsWith("unknown")) QVERIFY(someLower && !someComplete);  // the case this project is for
    if (project.endsWith("flask-app")) QVERIFY(!someLower);
    // The chosen Dockerfile and its diff against the user's.
    const auto choice = report::recommend(a);
    QVERIFY(choice.variant >= 0);
    const auto& chosen = a.variants[std::size_t(choice.variant)];
    QVERIFY(html.contains("Recommended: " + q(report::escapeHtml(generate::variantTitle(chosen.kind)))));
    if (chosen.kind != generate::VariantKind::Original) QVERIFY(html.contains("<pre class=\"diff\">"));
    if (project.endsWith("hostile")) {
      // The user's text shows escaped, and nothing of it opens an element.
      QVERIFY(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"));
      QVERIFY(!html.contains("<img", Qt::CaseInsensitive));
      QVERIFY(!html.contains("<b>bold</b>"));
      QVERIFY(html.contains("&amp;amp;"));
    }
  }

  void markdownOfAnExample_data() { htmlOfAnExample_data(); }
  void markdownOfAnExample() {
    QFETCH(QString, project);
    const auto a = analyzeDir(project.toStdString());
    const QString md = q(report::markdown(a, {}));
    const QStringList rows = markdownTableRows(md);
    QCOMPARE(rows.size(), qsizetype(a.variants.size()));
    // The text chart: a line per variant, bars to scale (eighths of a block), "≥ …┄?" on lower bounds.
    const QString chart = fenced(md, "text");
    QVERIFY(!chart.isNull());
    const QStringList lines = chart.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), qsizetype(a.variants.size()));
    std::uint64_t maxBytes = 0;
    for (const auto& v : a.variants)
      if (!v.parseError) maxBytes = std::max(maxBytes, v.estimate.disk.mid);
    for (std::size_t i = 0; i < a.variants.size(); ++i) {
      const auto& v = a.variants[i];
      QVERIFY(lines[qsizetype(i)].startsWith(generate::variantTitle(v.kind)));
      QVERIFY(rows[qsizetype(i)].contains(q(report::escapeMarkdown(generate::variantTitle(v.kind)))));
      if (v.parseError) continue;
      int eighths = 0;
      for (QChar c : lines[qsizetype(i)]) {
        if (c == QChar(0x2588)) eighths += 8;
        else if (c.unicode() >= 0x2589 && c.unicode() <= 0x258F) eighths += 0x2590 - c.unicode();
      }
      const double want = double(v.estimate.disk.mid) / double(maxBytes) * 320;
      QVERIFY2(std::abs(eighths - want) <= 1.0, qPrintable(lines[qsizetype(i)]));
      const bool lb = lowerBound(v);
      QCOMPARE(lines[qsizetype(i)].contains("≥"), lb);
      QCOMPARE(lines[qsizetype(i)].contains("┄?"), lb);
      QCOMPARE(rows[qsizetype(i)].split(" | ").value(1).startsWith("≥"), lb);
    }
    // The chosen Dockerfile in a fence, and a diff that makes it from the user's.
    const auto choice = report::recommend(a);
    const auto& chosen = a.variants[std::size_t(choice.variant)];
    QCOMPARE(fenced(md, "dockerfile"), q(chosen.dockerfile.back() == '\n' ? chosen.dockerfile : chosen.dockerfile + "\n"));
    if (chosen.kind != generate::VariantKind::Original && chosen.dockerfile != a.variants[0].dockerfile) {
      const QString diff = fenced(md, "diff");
      QVERIFY(!diff.isNull());
      QStringList got;
      QVERIFY(applyUnified(linesOf(a.variants[0].dockerfile), diff, got));
      QCOMPARE(got, linesOf(chosen.dockerfile));
    }
    if (project.endsWith("hostile")) {
      // Outside the code fences no markup of the user's survives.
      QString outside = md;
      outside.remove(QRegularExpression("(?ms)^(`{3,})\\w*\\n.*?^\\1$"));
      outside.remove(QRegularExpression("(?<!`)`[^`\\n]+`(?!`)"));  // code spans show their text as it is
      QVERIFY(!outside.contains("<script", Qt::CaseInsensitive));
      QVERIFY(!outside.contains("<img", Qt::CaseInsensitive));
      // The user's ``` inside the Dockerfile does not close its fence.
      QVERIFY(fenced(md, "dockerfile").contains("```"));
    }
  }

  // A chosen variant (--variant / the window's selection) is the one shown.
  void chosenVariantShown() {
    const auto a = analyzeExample("flask-app");
    report::Options o;
    o.variant = "alpine";
    const QString html = q(report::html(a, o));
    QVERIFY(html.contains("Chosen: Alpine"));
    QVERIFY(html.contains("<tr class=\"chosen\" data-variant=\"alpine\""));
    QVERIFY(html.contains("Dockerfile.alpine"));
    const QString md = q(report::markdown(a, o));
    QVERIFY(md.contains("(chosen)"));
    o.variant = "original";
    QVERIFY(!q(report::markdown(a, o)).contains("```diff"));  // no diff of your file against itself
  }

  // Lower bounds beside complete estimates in one analysis: "≥" and the open end on those only.
  void mixedLowerBounds() {
    estimate::Analysis a;
    auto layer = [](int line, std::uint64_t bytes, bool unknown) {
      estimate::LayerEstimate l;
      l.line = line;
      l.disk = unknown ? estimate::Range::unknown(bytes) : estimate::Range::exact(bytes);
      l.basis = unknown ? estimate::Basis::Unknown : estimate::Basis::Catalogue;
      if (unknown) l.unknownParts = {"internal-lib: not in the catalogue (give it with --package-size)"};
      return l;
    };
    auto open = synthetic(generate::VariantKind::Original, 120, true);
    open.estimate.layers = {layer(0, 80'000'000, false), layer(3, 40'000'000, true)};
    auto known = synthetic(generate::VariantKind::Slim, 150, false);
    known.estimate.layers = {layer(0, 80'000'000, false), layer(3, 70'000'000, false)};
    a.variants = {open, known};
    const QString html = q(report::html(a, {}));
    QString error;
    const auto bars = barsOf(svgParts(html).value(0), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(bars["original"].open);
    QVERIFY(!bars["slim"].open);
    QVERIFY(bars["original"].total.startsWith("≥ 120.0 MB"));
    QVERIFY(!bars["slim"].total.contains("≥"));
    QVERIFY(tableCell(html, "original", "disk").startsWith("≥"));
    QVERIFY(!tableCell(html, "slim", "disk").contains("≥"));
    QVERIFY(html.contains("internal-lib: not in the catalogue"));
    // The complete one is recommended over the smaller lower bound.
    QVERIFY(html.contains("Recommended: Slim"));
    const QStringList rows = markdownTableRows(q(report::markdown(a, {})));
    QCOMPARE(rows.size(), 2);
    QVERIFY(rows[0].split(" | ").value(1).startsWith("≥ 120.0 MB"));
    QVERIFY(rows[1].split(" | ").value(1).startsWith("150.0 MB"));
  }

  // A 50,000-layer bar stays a few hundred rectangles, and the layer lists are capped.
  void manyLayersStayDrawable() {
    estimate::Analysis a;
    auto v = synthetic(generate::VariantKind::Original, 0, false);
    for (int i = 0; i < 50000; ++i) {
      estimate::LayerEstimate l;
      l.line = i + 2;
      l.disk = estimate::Range::exact(i == 0 ? 100'000'000 : 2'000);
      v.estimate.layers.push_back(l);
    }
    v.estimate.disk = estimate::Range::exact(100'000'000 + 49999ull * 2000);
    a.variants.push_back(v);
    const QString html = q(report::html(a, {}));
    QString error;
    const auto bars = barsOf(svgParts(html).value(0), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(bars["original"].rects < 600, qPrintable(QString::number(bars["original"].rects)));
    QVERIFY(html.contains("more layers: slimbench analyze --json lists every one"));
  }
};

QTEST_GUILESS_MAIN(TestReport)
#include "test_report.moc"
