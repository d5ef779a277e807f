#!/usr/bin/env python3
"""How much of each original's final image every variant keeps or accounts for (issue 11).

Reads a folder of projects (one sub-folder per project with its Dockerfile, placed there by
hand: nothing is fetched), runs `slimbench analyze --json` with one or two slimbench binaries
(e.g. before/after a change) and counts, per original, what its final image has:

  users     useradd/adduser/groupadd/addgroup commands and USER instructions
  folders   mkdir/chown/chmod commands
  runtime   system packages apt-get/apk installs in the final image that are not build tools
  env       ENV keys of the final stage
  postcopy  commands of RUNs after the first source COPY of the final stage
  entry     ENTRYPOINT/CMD/EXPOSE/VOLUME/HEALTHCHECK/STOPSIGNAL/SHELL/LABEL/WORKDIR instructions
  stages    other stages the final stage needs (a node front-end build, ...)
  extfrom   COPY --from=<external image> references

and how many of them each variant keeps (same command / instruction / key / reference, the
package or its Alpine translation) or accounts for (marked untranslated in the variant's
fidelity output). Usage:

  scripts/variant-fidelity.py CORPUS_DIR AFTER_BINARY [BEFORE_BINARY]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAP = json.load(open(os.path.join(HERE, "..", "resources", "catalogue", "debian-to-alpine.json")))["packages"]
BUILD = re.compile(r"(-dev|-devel)$|^(gcc|g\+\+|build-essential|build-base|make|cmake|musl-dev|libc-dev|libc6-dev|"
                   r"pkg-config|pkgconf|linux-headers|python3-dev|python2-dev|rust|cargo|gfortran|binutils|automake|autoconf|libtool|swig)$|^gcc-|^g\+\+-")
USERCMD = {"useradd", "adduser", "groupadd", "addgroup"}
FOLDERCMD = {"mkdir", "chown", "chmod"}
ENTRY = {"ENTRYPOINT", "CMD", "EXPOSE", "VOLUME", "HEALTHCHECK", "STOPSIGNAL", "SHELL", "LABEL", "WORKDIR"}
CATS = ["users", "folders", "runtime", "env", "postcopy", "entry", "stages", "extfrom"]


def run_json(args):
    out = subprocess.run(args, capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return None


def parse(binary, text):
    with tempfile.NamedTemporaryFile("w", suffix=".Dockerfile", delete=False) as f:
        f.write(text)
        name = f.name
    try:
        return run_json([binary, "parse", "--json", name])
    finally:
        os.unlink(name)


def chain(model):
    idx, out = model["finalStage"], []
    while idx is not None and idx >= 0:
        out.insert(0, model["stages"][idx])
        idx = model["stages"][idx].get("baseStage")
    return out


def cmdline(c):
    # pip's cache switch is what the variants change on purpose: compare commands without it.
    return " ".join(w for w in c["argv"] if w not in ("--no-cache-dir", "--no-cache"))


def facts(model):
    f = {k: set() for k in CATS}
    stages = chain(model)
    final = stages[-1]
    names = {s["index"] for s in stages}
    for s in model["stages"]:
        if s["reachable"] and s["index"] not in names:
            f["stages"].add(s.get("name") or s["base"])
    for s in stages:
        for ins in s["instructions"]:
            if ins["instruction"] == "RUN":
                for c in ins.get("commands", []):
                    if not c["argv"]:
                        continue
                    prog = os.path.basename(c["argv"][0])
                    if prog in USERCMD:
                        f["users"].add(cmdline(c))
                    if prog in FOLDERCMD:
                        f["folders"].add(cmdline(c))
                for op in ins.get("operations", []):
                    if op["tool"] in ("apt-get", "apt", "apk") and op["action"] in ("install", "add") and not op.get("virtual"):
                        for p in op["packages"]:
                            name = re.split(r"[=:]", p)[0]
                            if not BUILD.search(name) and "$" not in name:
                                f["runtime"].add(name)
            if ins["instruction"] in ("COPY", "ADD") and ins.get("from") and ins.get("fromStage") is None:
                f["extfrom"].add(ins["from"])
    for k in final.get("env", {}):
        f["env"].add(k)
    copied = False
    for ins in final["instructions"]:
        if ins["instruction"] == "USER":
            f["users"].add("USER " + " ".join(ins["args"]))
        if ins["instruction"] in ENTRY:
            f["entry"].add(ins["text"])
        if ins["instruction"] in ("COPY", "ADD") and not ins.get("from"):
            srcs = ins.get("sources", [])
            if any(not re.search(r"(requirements[^/]*|pyproject\.toml|\.lock|Pipfile[^/]*|setup\.py)$", x) for x in srcs):
                copied = True
        elif copied and ins["instruction"] == "RUN":
            for c in ins.get("commands", []):
                bookkeeping = c["argv"] and c["argv"][0] == "rm" and any("/var/lib/apt/lists" in w or "/var/cache/apk" in w for w in c["argv"])
                if c["argv"] and not bookkeeping and not (set(c["argv"][:3]) & {"apt-get", "apt", "apk", "pip", "pip3"}):
                    f["postcopy"].add(cmdline(c))
    return f


def kept(orig, var, untranslated):
    """Per category: (kept, accounted) counts of the original's facts in the variant."""
    res = {}
    alpine_names = set(var["runtime"])
    for cat in CATS:
        k = a = 0
        for item in orig[cat]:
            if item in var[cat]:
                k += 1
            elif cat == "runtime" and item in MAP and MAP[item]["run"] and set(MAP[item]["run"]) <= alpine_names:
                k += 1  # translated to Alpine
            elif cat == "runtime" and any(item in e["run"] and not e["build"] and d in alpine_names for d, e in MAP.items()):
                k += 1  # translated to Debian
            elif cat == "runtime" and item in untranslated:
                a += 1
            elif cat == "users" and any(item.startswith(u) for u in untranslated):
                a += 1
        res[cat] = (k, a)
    return res


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, binaries = sys.argv[1], sys.argv[2:]
    labels = ["after", "before"][: len(binaries)]
    totals = {lab: {} for lab in labels}
    base = {c: 0 for c in CATS}
    projects = sorted(d for d in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, d, "Dockerfile")))
    for proj in projects:
        path = os.path.join(corpus, proj)
        orig_model = run_json([binaries[0], "parse", "--json", os.path.join(path, "Dockerfile")])
        if not orig_model or orig_model.get("finalStage", -1) < 0:
            print(f"{proj}: does not parse, skipped")
            continue
        of = facts(orig_model)
        for c in CATS:
            base[c] += len(of[c])
        for lab, binary in zip(labels, binaries):
            analysis = run_json([binary, "analyze", path, "--json"])
            if not analysis:
                print(f"{proj}: {lab} binary gave no analysis")
                continue
            for v in analysis["variants"][1:]:
                t = totals[lab].setdefault(v["id"], {c: [0, 0] for c in CATS})
                if "error" in v:
                    continue
                vm = parse(binary, v["dockerfile"])
                if not vm or vm.get("finalStage", -1) < 0:
                    continue
                untranslated = {u.get("package") or u.get("command") for u in v.get("untranslated", [])}
                for cat, (k, a) in kept(of, facts(vm), untranslated).items():
                    t[cat][0] += k
                    t[cat][1] += a
    print(f"{len(projects)} projects in {corpus}; the originals' final images have:")
    print("  " + ", ".join(f"{c} {base[c]}" for c in CATS))
    for lab in labels:
        print(f"\n{lab} ({binaries[labels.index(lab)]}): kept (+ accounted for, marked) / total, per variant")
        print(f"  {'variant':<11}" + "".join(f"{c:>13}" for c in CATS) + f"{'all':>14}")
        for vid, t in totals[lab].items():
            row = ""
            allk = alla = 0
            for c in CATS:
                k, a = t[c]
                allk += k
                alla += a
                row += f"{(f'{k}+{a}' if a else str(k)) + '/' + str(base[c]):>13}"
            tot = sum(base.values())
            row += f"{100.0 * (allk + alla) / tot if tot else 0:>12.1f} %"
            print(f"  {vid:<11}{row}")


if __name__ == "__main__":
    main()
