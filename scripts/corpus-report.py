#!/usr/bin/env python3
"""Run `slimbench analyze --json` over a folder of real projects and print how honest the estimates are.

  python3 scripts/corpus-report.py [--slimbench BIN] CORPUS_DIR [--json OUT]
                                   [--glob PATTERN] [--timeout S] [--top N]

CORPUS_DIR holds one folder per project (e.g. owner__repo/) with the project's
Dockerfile(s) and requirement/lock files at their own relative paths. Nothing is
fetched and nothing in CORPUS_DIR is changed. Third-party corpora stay out of git.

Per project the primary Dockerfile is the root `Dockerfile` (any case), else another
Dockerfile-named file at the root (`base.Dockerfile`, `Dockerfile.api`), else the first
one found below (shallowest path first, then by name): `docker/Dockerfile`,
`backend/Dockerfile`, `docker/app.Dockerfile`, ... The analysis of the project's own
Dockerfile (variant "original") is what is counted:

- base: the layers with fromBase=true. New JSON (layers have `basis`): unknown -> not
  found, proxy -> proxy, catalogue/model -> exact. Old JSON (no `basis`): not found when a
  fromBase layer has source "none" or one of the variant's unknowns starts with "base image",
  else exact.
  `FROM scratch` (no base layer) counts as exact.
- unknown layers: new JSON: `coverage.unknownLayerCount` (layers with basis unknown);
  old JSON: layers whose source is "none", whose reason says not estimated / not known /
  counted as 0, or that an entry of the variant's unknowns names (by line or by its text).
- silent zero layers (both formats): a non-base layer whose diskBytes.high is 0 while its
  instruction installs or copies something (RUN with apt-get/apk/pip/uv/poetry/curl/wget/
  npm/conda/chown -R, or COPY/ADD), and whose reason does not say it adds nothing (or that what it copies is empty).
- complete: new JSON: `coverage.complete` and no silent zero layer; old JSON: no unknowns
  listed and no silent zero layer.
- failed: analyze exited non-zero with a message and no estimate, or the variant carries an
  `error`. An exit of 1 with an estimate (an error diagnostic the estimate goes on past, such as
  a base made of a build arg nobody set) is analysed; projects that analyze estimates although `slimbench parse --json` lists error diagnostics
  (a line Docker would reject) are counted apart.
  crashed: killed by a signal, timed out, or printed no readable JSON. Must be 0.

Python 3 standard library only.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slimbench_analysis  # noqa: E402  (schema 2: texts by id, layers named sameAs)

SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv"}
MAX_DEPTH = 4
INSTALLS = re.compile(
    r"\b(apt-get|apt|apk|pip3?|uv|poetry|curl|wget|npm|yarn|conda|mamba|micromamba)\b"
    r"|\bchown\s+(-[a-zA-Z]*R|--recursive)")


def is_dockerfile_name(name):
    low = name.lower()
    # Files about Dockerfiles, not Dockerfiles: an Ansible play (dockerfile.yml), a template
    # (Dockerfile.j2), a dockerignore or a Markdown note.
    if low.rsplit(".", 1)[-1] in ("yml", "yaml", "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "md", "txt", "json", "sh", "dockerignore"):
        return False
    return (low in ("dockerfile", "containerfile") or low.startswith("dockerfile.") or low.startswith("dockerfile_")
            or low.startswith("dockerfile-") or low.endswith(".dockerfile") or low.startswith("containerfile."))


def find_dockerfiles(project):
    """All Dockerfile-named files below project, shallowest first, then by path."""
    found = []
    for root, dirs, files in os.walk(project):
        rel_root = os.path.relpath(root, project)
        depth = 0 if rel_root == "." else rel_root.count(os.sep) + 1
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and depth < MAX_DEPTH)
        for f in files:
            if is_dockerfile_name(f):
                rel = f if rel_root == "." else os.path.join(rel_root, f)
                found.append((depth, rel.lower() != "dockerfile" and depth == 0, rel))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [rel for _, _, rel in found]


def mb(n):
    return "?" if n is None else "%.1f MB" % (n / 1e6)


def instruction_installs(instr):
    head = instr.lstrip().split(None, 1)
    if not head:
        return False
    kw = head[0].upper()
    if kw in ("COPY", "ADD"):
        return True
    return kw == "RUN" and bool(INSTALLS.search(instr))


def says_nothing(reason):
    r = (reason or "").lower()
    return "nothing" in r or "adds no " in r or "no files" in r or " is empty" in r or " are empty" in r


def pick_variant(doc):
    for v in doc.get("variants", []):
        if v.get("id") == "original":
            return v
    vs = doc.get("variants", [])
    return vs[0] if vs else None


UNKNOWN_LINE = re.compile(r"^line \d+:\s*")


def reason_key(text):
    """Groups an unknown by what is missing, not by which package or line: 'RUN adduser: ...',
    'Python requirement …: not in the catalogue'."""
    s = UNKNOWN_LINE.sub("", text.strip())
    subject, sep, rest = s.partition(": ")
    if not sep:
        return re.sub(r"\d+(\.\d+)*", "N", s)[:100]
    if re.match(r"RUN at line \d+$", subject):
        subject = "RUN at line N"
    elif subject.startswith("RUN "):
        words = [w for w in subject[4:].split() if "=" not in w and w not in ("set", "-eux", "-ex", "--mount")
                 and not w.startswith("--mount")]
        subject = "RUN " + (words[0] if words else "…")
    elif subject.startswith("Python requirement"):
        subject = "Python requirement …"
    elif subject.startswith(("COPY", "ADD")):
        subject = subject.split()[0] + " …"
    else:
        subject = " ".join(subject.split()[:2]) + (" …" if len(subject.split()) > 2 else "")
    rest = re.sub(r"`[^`]*`|\"[^\"]*\"|(?<=repository )'[^']*'", "…", rest)
    rest = re.sub(r"\s*\((required by|asked|sized as)[^)]*\)", "", rest)
    rest = re.sub(r"/[\w./$-]+", "PATH", rest)
    rest = re.sub(r"\d+(\.\d+)*", "N", rest)
    return (subject + ": " + rest)[:120]


def parse_errors(binary, path, timeout):
    """Error diagnostics of `slimbench parse --json` (lines Docker itself would reject), which
    analyze may step over."""
    try:
        p = subprocess.run([binary, "parse", "--json", path], capture_output=True, text=True,
                           timeout=timeout, errors="replace")
        doc = json.loads(p.stdout)
    except (subprocess.TimeoutExpired, ValueError):
        return []
    return ["line %s: %s" % (d.get("line"), d.get("message", "")[:120])
            for d in doc.get("diagnostics", []) if d.get("severity") == "error"]


def squash(text):
    return " ".join(text.split())


OLD_UNKNOWN_REASON = re.compile(r"not estimated|not known|counted as 0|unknown", re.I)


def old_layer_unknown(layer, unknowns):
    """Old JSON has no basis: a layer is unknown when its source is "none", its reason says it
    was not estimated, or one of the variant's unknowns names it (by line or by its text)."""
    if layer.get("unknown") or (layer.get("source") or "") == "none" or \
            OLD_UNKNOWN_REASON.search(layer.get("reason") or ""):
        return True
    instr = squash(layer.get("instruction") or "")
    line = layer.get("line")
    for u in unknowns:
        if line and re.search(r"\bline %d\b" % line, u):
            return True
        for piece in u.split(": "):
            piece = squash(piece)
            if len(piece) > 12 and piece in instr:
                return True
    return False


def analyse(project_dir, name, binary, timeout):
    rec = {"project": name, "dockerfile": None, "status": "ok", "base": None, "baseFound": None,
           "total": None, "lowerBound": False, "complete": False, "coverageComplete": None,
           "unknownLayers": 0, "proxyLayers": 0, "silentZeroLayers": 0, "format": None,
           "unknowns": [], "parseErrors": [], "message": ""}
    dfs = find_dockerfiles(project_dir)
    if not dfs:
        rec["status"] = "no-dockerfile"
        return rec
    rec["dockerfile"] = dfs[0]
    path = os.path.join(project_dir, dfs[0])
    try:
        p = subprocess.run([binary, "analyze", "--json", path], capture_output=True, text=True,
                           timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired:
        rec["status"] = "crashed"
        rec["message"] = "timed out after %ss" % timeout
        return rec
    if p.returncode < 0:
        rec["status"] = "crashed"
        rec["message"] = "killed by signal %d: %s" % (-p.returncode, p.stderr.strip()[-200:])
        return rec
    try:
        doc = json.loads(p.stdout) if p.stdout.strip() else None
    except ValueError as e:
        doc = None
        if p.returncode == 0:
            rec["status"] = "crashed"
            rec["message"] = "unreadable JSON: %s" % e
            return rec
    if doc is None or (p.returncode != 0 and not any(v.get("layers") for v in doc.get("variants", []) if isinstance(v, dict))):
        msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
        rec["status"] = "failed" if msg else "crashed"
        rec["message"] = (msg[0] if msg else "exit %d with no message" % p.returncode)[:200]
        return rec
    rec["parseErrors"] = parse_errors(binary, path, timeout)
    doc = slimbench_analysis.expand(doc)
    v = pick_variant(doc)
    if v is None or "error" in v:
        rec["status"] = "failed"
        rec["message"] = (v or {}).get("error", "no variant in the output")[:200]
        return rec

    layers = v.get("layers", [])
    new_format = "coverage" in v or any("basis" in l for l in layers)
    rec["format"] = "new" if new_format else "old"
    rec["base"] = v.get("base")
    disk = v.get("diskBytes") or {}
    rec["total"] = disk.get("mid")
    rec["lowerBound"] = bool(disk.get("lowerBound")) or disk.get("high") is None
    unknowns = list(v.get("allUnknowns", v.get("unknowns")) or [])  # schema 2: the layers' too
    rec["unknowns"] = unknowns
    # Python distributions: those sized (the packages list, with the resolved dependencies) and the
    # requirements not in any catalogue (named once per project, whatever line names them).
    rec["pythonSized"] = len(v.get("packages") or [])
    missing = set()
    for u in unknowns:
        m = re.search(r"Python requirement (\S+?):", u if isinstance(u, str) else json.dumps(u))
        if m:
            missing.add(m.group(1))
    rec["pythonUnknown"] = len(missing)

    base_layers = [l for l in layers if l.get("fromBase")]
    if new_format:
        bases = [l.get("basis") for l in base_layers]
        if any(b == "unknown" for b in bases):
            rec["baseFound"] = "not found"
        elif any(b == "proxy" for b in bases):
            rec["baseFound"] = "proxy"
        elif bases or (rec["base"] or "").strip().lower() == "scratch":
            rec["baseFound"] = "exact"
        else:
            rec["baseFound"] = "not found"
        cov = v.get("coverage") or {}
        rec["coverageComplete"] = bool(cov.get("complete"))
        rec["unknownLayers"] = int(cov.get("unknownLayerCount", len(cov.get("unknownLayers", []))))
        rec["proxyLayers"] = int(cov.get("proxyLayerCount", len(cov.get("proxyLayers", []))))
    else:
        missing = any((l.get("source") or "") == "none" for l in base_layers) or \
            any(UNKNOWN_LINE.sub("", u).lower().startswith("base image") for u in unknowns)
        if missing:
            rec["baseFound"] = "not found"
        elif base_layers or (rec["base"] or "").strip().lower() == "scratch":
            rec["baseFound"] = "exact"
        else:
            rec["baseFound"] = "not found"
        rec["unknownLayers"] = sum(1 for l in layers if old_layer_unknown(l, unknowns))
        rec["proxyLayers"] = 0

    silent = 0
    for l in layers:
        if l.get("fromBase"):
            continue
        high = (l.get("diskBytes") or {}).get("high")
        if high == 0 and instruction_installs(l.get("instruction", "")) and not says_nothing(l.get("reason")):
            silent += 1
    rec["silentZeroLayers"] = silent
    if new_format:
        rec["complete"] = rec["coverageComplete"] and silent == 0
    else:
        rec["complete"] = not unknowns and silent == 0
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", metavar="CORPUS_DIR")
    ap.add_argument("--slimbench", metavar="BIN", default=None,
                    help="slimbench binary (default: build/app/slimbench of this checkout, else slimbench on PATH)")
    ap.add_argument("--json", metavar="OUT", help="write every project's record and the figures as JSON")
    ap.add_argument("--glob", default="*", help="only project folders whose name matches (default *)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per analysis (default 30)")
    ap.add_argument("--top", type=int, default=10, help="how many unknown reasons to list (default 10)")
    a = ap.parse_args()

    binary = a.slimbench
    if binary is None:
        here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "app", "slimbench")
        binary = here if os.access(here, os.X_OK) else "slimbench"
    if not os.path.isdir(a.corpus):
        sys.exit("corpus-report: %s is not a folder (expected one sub-folder per project)" % a.corpus)
    projects = sorted(d for d in os.listdir(a.corpus)
                      if os.path.isdir(os.path.join(a.corpus, d)) and fnmatch.fnmatch(d, a.glob))
    if not projects:
        sys.exit("corpus-report: no project folders in %s matching %r" % (a.corpus, a.glob))

    recs = []
    print("%-42s %-40s %14s %-8s %7s %5s %6s" % ("project", "base", "total", "complete", "unknown", "proxy", "silent0"))
    for name in projects:
        try:
            r = analyse(os.path.join(a.corpus, name), name, binary, a.timeout)
        except OSError as e:
            sys.exit("corpus-report: cannot run %s: %s" % (binary, e))
        recs.append(r)
        if r["status"] != "ok":
            print("%-42s %s: %s" % (name[:42], r["status"].upper(), r["message"] or r["dockerfile"] or ""))
            continue
        total = ("≥ " if r["lowerBound"] else "") + mb(r["total"])
        base = "%s (%s)" % (r["base"], r["baseFound"])
        print("%-42s %-40s %14s %-8s %7d %5d %6d" % (name[:42], base[:40], total, "yes" if r["complete"] else "no",
                                                     r["unknownLayers"], r["proxyLayers"], r["silentZeroLayers"]))

    ok = [r for r in recs if r["status"] == "ok"]
    figures = {
        "projects": len(recs),
        "analysed": len(ok),
        "complete": sum(1 for r in ok if r["complete"]),
        "baseExact": sum(1 for r in ok if r["baseFound"] == "exact"),
        "baseProxy": sum(1 for r in ok if r["baseFound"] == "proxy"),
        "baseNotFound": sum(1 for r in ok if r["baseFound"] == "not found"),
        "unknownLayers": sum(r["unknownLayers"] for r in ok),
        "proxyLayers": sum(r["proxyLayers"] for r in ok),
        "silentZeroLayers": sum(r["silentZeroLayers"] for r in ok),
        "projectsWithSilentZero": sum(1 for r in ok if r["silentZeroLayers"]),
        "lowerBoundTotals": sum(1 for r in ok if r["lowerBound"]),
        "pythonSized": sum(r.get("pythonSized", 0) for r in ok),
        "pythonUnknown": sum(r.get("pythonUnknown", 0) for r in ok),
        "failedToParse": sum(1 for r in recs if r["status"] == "failed"),
        "crashedOrTimedOut": sum(1 for r in recs if r["status"] == "crashed"),
        "noDockerfile": sum(1 for r in recs if r["status"] == "no-dockerfile"),
        "estimatedDespiteParseErrors": sum(1 for r in ok if r["parseErrors"]),
        "format": dict(Counter(r["format"] for r in ok)),
    }
    reasons, reason_projects = Counter(), {}
    for r in ok:
        for u in r["unknowns"]:
            k = reason_key(u)
            reasons[k] += 1
            reason_projects.setdefault(k, set()).add(r["project"])
    figures["topUnknownReasons"] = [[k, n, len(reason_projects[k])] for k, n in reasons.most_common(a.top)]
    # The same without what a corpus of Dockerfiles and requirement files lacks by construction
    # (the project's source files): what the model itself does not cover.
    gaps = ("not found in the build context", "no such file")
    figures["topModelGaps"] = [[k, n, len(reason_projects[k])] for k, n in reasons.most_common()
                               if not any(g in k for g in gaps)][:a.top]
    missing_pkgs = Counter()
    for r in ok:
        for name in {m.group(1).lower() for u in r["unknowns"]
                     for m in [re.search(r"Python requirement (\S+): not in the catalogue", u)] if m}:
            missing_pkgs[name] += 1
    figures["topUncataloguedPackages"] = missing_pkgs.most_common(15)

    f = figures
    print()
    print("projects: %d (analysed %d, failed to parse %d, crashed or timed out %d, no Dockerfile %d)"
          % (f["projects"], f["analysed"], f["failedToParse"], f["crashedOrTimedOut"], f["noDockerfile"]))
    if f["estimatedDespiteParseErrors"]:
        print("estimated although `slimbench parse` reports errors: %d (%s)" % (
            f["estimatedDespiteParseErrors"],
            "; ".join("%s %s" % (r["project"], r["parseErrors"][0]) for r in ok if r["parseErrors"])[:300]))
    print("complete estimate: %d of %d" % (f["complete"], f["analysed"]))
    print("base of the final stage: exact %d, proxy %d, not found %d"
          % (f["baseExact"], f["baseProxy"], f["baseNotFound"]))
    print("unknown layers in all: %d (proxy layers %d); totals shown as lower bounds: %d"
          % (f["unknownLayers"], f["proxyLayers"], f["lowerBoundTotals"]))
    py_all = f["pythonSized"] + f["pythonUnknown"]
    print("Python distributions sized: %d of %d (%.1f %%; the rest are requirements no catalogue holds, once per project)"
          % (f["pythonSized"], py_all, 100.0 * f["pythonSized"] / py_all if py_all else 100.0))
    print("silent zero layers (install/copy sized 0-0 with no reason): %d in %d projects"
          % (f["silentZeroLayers"], f["projectsWithSilentZero"]))
    print("JSON format seen: %s" % ", ".join("%s %d" % kv for kv in sorted(f["format"].items(), key=str)))
    if reasons:
        print("most common unknown reasons (times, projects, reason):")
        for key, n, nproj in figures["topUnknownReasons"]:
            print("  %4d %3d  %s" % (n, nproj, key))
    if figures["topModelGaps"]:
        print("the same without the corpus's missing source files (times, projects, reason):")
        for key, n, nproj in figures["topModelGaps"]:
            print("  %4d %3d  %s" % (n, nproj, key))
    if missing_pkgs:
        print("Python packages most often not in the catalogue (projects): %s" % ", ".join(
            "%s %d" % kv for kv in figures["topUncataloguedPackages"]))
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w") as out:
            json.dump({"slimbench": binary, "corpus": os.path.abspath(a.corpus), "figures": figures,
                       "projects": recs}, out, indent=1, ensure_ascii=False)
        os.replace(tmp, a.json)
    return 1 if f["crashedOrTimedOut"] else 0


if __name__ == "__main__":
    sys.exit(main())
