#!/usr/bin/env python3
"""Alpine package sizes from docker-library/repo-info, merged into slimbench's Alpine catalogue.

  python3 scripts/alpine-from-repo-info.py --git-dir REPO_INFO.git [--history N]
          [--excerpts DIR] [--out FILE] [--merge CATALOGUE] [--only NAMES_FILE]

docker-library/repo-info keeps, for every official image tag, a `repos/<image>/local/<tag>.md`
file made by `docker image inspect` plus the package manager's own listing. For an Alpine-based
image the `## apk` section has one block per installed package:

    ### `apk` package: `nginx`

    ```console
    nginx-1.30.5-r1 description:
    ...
    nginx-1.30.5-r1 installed size:
    2744 KiB
    ...
    ```

(`apk info -s` output; some blocks also carry a `depends:` list, which is kept when present).
This script reads every such file and writes, per package, every reading: name, version,
Alpine release, arch, installed size in bytes (a [low, high] range: apk-tools prints an integer
after integer division by 1024, so "2744 KiB" is [2744 KiB, 2745 KiB)), the depends when listed,
and the source as a GitHub blob URL at the commit the text was read from.

Inputs (either or both):
  --git-dir DIR   a clone of https://github.com/docker-library/repo-info (a bare git dir or a
                  work tree's .git). HEAD's tree is read; with --history N the N newest commits
                  that touched repos/*/local/*.md are read too, so a package that an older file
                  listed (an image since rebased or removed) still has a reading. Blobs are read
                  with `git cat-file --batch`, nothing is checked out.
  --excerpts DIR  files in the same markdown format (whole files or the blocks that matter),
                  each starting with an HTML comment that names `commit:` and `path:` of the
                  repo-info file it was copied from (and, when the excerpt leaves out the
                  alpine-release block, `alpine-release:` as read elsewhere; when it leaves out
                  the Arch line, `assumed-arch:`, which the readings then say). This is how the
                  committed readings were made on a machine without GitHub access (the
                  excerpts themselves are not kept in the repository; the readings name the
                  blob URL of each listing).
  --readings FILE merge the readings an earlier run wrote (its --out file) instead.

Alpine release of a reading, first that applies (`release_from` says which):
  1. the file's own `alpine-release` package block (`alpine-release-3.23.5-r0` -> 3.23);
  2. an `alpine3.NN` in the tag (title or file name, e.g. `3.20-alpine3.20`, `1.30-alpine3.24`);
  3. the excerpt header's `alpine-release:` line.
A file without any of these is skipped (its release is unknown). Arch comes from the file's
`- Arch: \\`linux\\`/\\`amd64\\`` line (amd64 -> x86_64, arm64/v8 -> aarch64, ...); repo-info's local
files are made on amd64, so almost every reading is x86_64.

Outputs:
  --out FILE        (default scripts/data/alpine-repo-info.json) every reading per package.
  --merge CATALOGUE (e.g. resources/catalogue/alpine-packages.json) merged in place:
      * records already there (hand-gathered, with their own sources) are kept as they are;
        readings from repo-info whose source URL they do not hold yet are appended to their
        `observations` (marked "added_by");
      * a package the catalogue lacks gets a new record, `generated_by` this script, whose
        primary reading is chosen: Alpine 3.20-3.23 x86_64 (newest first) > 3.20-3.23 aarch64 >
        x86_64 of another release (newest first) > anything else; `match` says which
        release/arch the primary is and whether it is outside 3.20-3.23 / not x86_64;
      * a re-run first drops the records it generated before, so it is idempotent.
  --only FILE       restrict new records to the names listed in FILE (one a line); without it
                    every package seen gets a record.

Python 3 standard library only. Nothing is fetched.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

SCRIPT = "scripts/alpine-from-repo-info.py"
REPO_URL = "https://github.com/docker-library/repo-info/blob/{commit}/{path}"
LOCAL_RE = re.compile(r"^repos/([^/]+)/local/([^/]+)\.md$")
BLOCK_RE = re.compile(r"^### `apk` package: `([^`]+)`\s*$", re.M)
TITLE_RE = re.compile(r"^# `([^`]+)`", re.M)
ARCH_RE = re.compile(r"^- Arch: `([^`]+)`/`([^`]+)`(?:/`?([^`\s]+)`?)?", re.M)
ALPINE_TAG_RE = re.compile(r"alpine(3\.\d+)")
SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?\s*$")
ARCH_MAP = {"amd64": "x86_64", "arm64": "aarch64", "386": "x86", "arm": "armv7", "ppc64le": "ppc64le",
            "s390x": "s390x", "riscv64": "riscv64"}
PREFERRED = {"3.20", "3.21", "3.22", "3.23"}
# read for the release, never installed on its own
NOT_PACKAGES = {"alpine-release"}
# Where an image's package of that name is not Alpine's own build: (image, package) -> note
CAVEATS = {
    ("nginx", "nginx"): "the nginx of the official nginx:*-alpine images is nginx.org's own apk build (its modules are "
                        "named nginx-module-*, Alpine's nginx-mod-*), not Alpine's nginx package: a stated proxy "
                        "for `apk add nginx`",
}
UNIT = {"B": 1, None: 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}


def parse_size(text):
    """'2744 KiB' -> (low, high, reported). apk-tools divides by 1024 while the value is >= 10000
    and prints the integer, so N KiB covers [N, N+1) KiB; a plain byte count is exact."""
    m = SIZE_RE.match(text)
    if not m:
        return None
    num, unit = m.group(1), m.group(2)
    mult = UNIT[unit]
    if "." in num:  # not apk-tools' integer form: +-0.05 unit
        v = float(num)
        return int((v - 0.05) * mult), int((v + 0.05) * mult), text.strip()
    n = int(num)
    low = n * mult
    high = low if mult == 1 else (n + 1) * mult - 1
    return low, high, text.strip()


def release_of(version):
    m = re.match(r"(\d+)\.(\d+)", version or "")
    return f"{m.group(1)}.{m.group(2)}" if m else None


def parse_listing(text, path, commit, header=None):
    """One repo-info local file (or an excerpt of it) -> (meta, {name: reading})."""
    if "## `apk`" not in text:
        return None, {}
    blocks = {}
    starts = [(m.start(), m.group(1)) for m in BLOCK_RE.finditer(text)]
    for i, (pos, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[pos:end]
        lines = body.splitlines()
        version = size = None
        depends = None
        for j, line in enumerate(lines):
            m = re.match(r"^(\S+) installed size:\s*$", line)
            if m and j + 1 < len(lines) and m.group(1).startswith(name + "-"):
                version = m.group(1)[len(name) + 1:]
                size = parse_size(lines[j + 1])
            m = re.match(r"^(\S+) depends on:\s*$|^(\S+) depends:\s*$", line)
            if m:
                deps = []
                for dl in lines[j + 1:]:
                    if not dl.strip() or dl.startswith("```"):
                        break
                    deps.append(dl.strip())
                depends = deps
        if version is None or size is None:
            continue
        blocks[name] = {"version": version, "size": size, "depends": depends}
    title = TITLE_RE.search(text)
    title = title.group(1) if title else None
    arch_m = ARCH_RE.search(text)
    arch = None
    if arch_m:
        arch = ARCH_MAP.get(arch_m.group(2), arch_m.group(2))
        if arch_m.group(2) == "arm" and arch_m.group(3):
            arch = {"v6": "armhf", "v7": "armv7"}.get(arch_m.group(3).lstrip("/"), "armv7")
    arch_from = "Arch line" if arch else None
    if not arch and header and header.get("assumed-arch"):
        a = header["assumed-arch"]
        arch, arch_from = ARCH_MAP.get(a, a), f"assumed {a}: the excerpt did not read the Arch line"
    release, release_from = None, None
    if "alpine-release" in blocks:
        release = release_of(blocks["alpine-release"]["version"])
        release_from = f"alpine-release {blocks['alpine-release']['version']} in the listing"
    if not release:
        for cand in (title or "", os.path.basename(path)):
            m = ALPINE_TAG_RE.search(cand)
            if m:
                release, release_from = m.group(1), f"tag name '{cand}'"
                break
    if not release and header and header.get("alpine-release"):
        release = release_of(header["alpine-release"])
        release_from = f"alpine-release {header['alpine-release']} ({header.get('alpine-release-note', 'excerpt header')})"
    meta = {"path": path, "commit": commit, "title": title, "arch": arch, "arch_from": arch_from,
            "alpine_release": release,
            "release_from": release_from, "alpine_release_full": blocks.get("alpine-release", {}).get("version")}
    return meta, blocks


# ---------------------------------------------------------------- inputs

def git(gitdir, *args, **kw):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, **kw).stdout


def read_git(gitdir, history):
    """Yields (path, commit, text) for HEAD's local files, then for the files changed in the
    `history` newest commits that touched them (older versions)."""
    head = git(gitdir, "rev-parse", "HEAD", text=True).strip()
    wanted = []
    for line in git(gitdir, "ls-tree", "-r", "--name-only", head, "repos", text=True).splitlines():
        if LOCAL_RE.match(line):
            wanted.append((head, line))
    if history:
        log = git(gitdir, "log", f"-n{history}", "--format=@%H", "--name-only", head, "--", "repos",
                  text=True)
        commit = None
        for line in log.splitlines():
            if line.startswith("@"):
                commit = line[1:]
            elif line and commit and commit != head and LOCAL_RE.match(line):
                wanted.append((commit, line))
    proc = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    for commit, path in wanted:
        proc.stdin.write(f"{commit}:{path}\n".encode())
        proc.stdin.flush()
        hdr = proc.stdout.readline().decode()
        if hdr.endswith("missing\n"):
            continue  # deleted in that commit
        size = int(hdr.split()[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)
        # the blob URL names the commit that last changed this version of the file would be
        # nicer, but any commit whose tree holds the blob shows the same text
        yield path, commit, data.decode("utf-8", "replace"), None
    proc.stdin.close()
    proc.wait()


def read_excerpts(root):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            m = re.match(r"\s*<!--(.*?)-->", text, re.S)
            if not m:
                print(f"{f}: no header comment naming commit and path; skipped", file=sys.stderr)
                continue
            header = {}
            for line in m.group(1).splitlines():
                k, _, v = line.strip().partition(":")
                if k in ("commit", "path", "alpine-release", "alpine-release-note", "assumed-arch"):
                    header[k] = v.strip()
            if "commit" not in header or "path" not in header:
                print(f"{f}: header lacks commit:/path:; skipped", file=sys.stderr)
                continue
            yield header["path"], header["commit"], text, header


# ---------------------------------------------------------------- readings

def collect(sources):
    readings = collections.defaultdict(list)
    files = skipped = 0
    seen = set()
    for path, commit, text, header in sources:
        m = LOCAL_RE.match(path)
        if not m:
            continue
        meta, blocks = parse_listing(text, path, commit, header)
        if meta is None:
            continue  # not Alpine-based (no apk section)
        if not meta["arch"]:
            skipped += 1
            print(f"{path}@{commit[:10]}: no Arch line; skipped", file=sys.stderr)
            continue
        if not meta["alpine_release"]:
            skipped += 1
            print(f"{path}@{commit[:10]}: Alpine release unknown; skipped", file=sys.stderr)
            continue
        files += 1
        image = m.group(1)
        for name, b in blocks.items():
            inferred = None
            if b["size"][0] == 0 and b["depends"] is None:
                # a 0 B meta package: its files are in what it depends on, which repo-info does not
                # list; the same listing's <name>-* packages were installed with it
                inferred = sorted(n for n in blocks if n.startswith(name + "-"))
            key = (name, b["version"], meta["alpine_release"], meta["arch"], b["size"][0])
            if key in seen:
                continue  # the same reading in another tag or commit
            seen.add(key)
            low, high, reported = b["size"]
            r = {"alpine_release": meta["alpine_release"], "arch": meta["arch"], "version": b["version"],
                 "installed_size": low, "installed_size_max": high, "installed_size_reported": reported,
                 "source": REPO_URL.format(commit=commit, path=path),
                 "source_desc": f"docker-library/repo-info apk listing of {meta['title'] or image} "
                                f"(Alpine {meta['alpine_release']}: {meta['release_from']}"
                                + ("" if meta["arch_from"] == "Arch line" else f"; arch {meta['arch_from']}") + ")",
                 "source_kind": "repo-info apk info -s"}
            if b["depends"] is not None:
                r["depends"] = b["depends"]
            if inferred:
                r["depends_inferred"] = inferred
            if (image, name) in CAVEATS:
                r["note"] = CAVEATS[(image, name)]
            readings[name].append(r)
    return readings, files, skipped


def rank(r):
    """Smaller is better: preferred releases x86_64, then aarch64, then x86_64 elsewhere."""
    rel = tuple(int(x) for x in r["alpine_release"].split("."))
    newest = (-rel[0], -rel[1])
    if r["alpine_release"] in PREFERRED and r["arch"] == "x86_64":
        return (0,) + newest
    if r["alpine_release"] in PREFERRED and r["arch"] == "aarch64":
        return (1,) + newest
    if r["arch"] == "x86_64":
        return (2,) + newest
    return (3,) + newest


def match_note(r):
    inside = r["alpine_release"] in PREFERRED
    if inside and r["arch"] == "x86_64":
        return f"x86_64, Alpine {r['alpine_release']} (repo-info)"
    parts = []
    if not inside:
        parts.append(f"Alpine {r['alpine_release']}, outside 3.20-3.23 (no 3.20-3.23 reading found)")
    else:
        parts.append(f"Alpine {r['alpine_release']}")
    if r["arch"] != "x86_64":
        parts.append(f"{r['arch']} reading, not x86_64")
    else:
        parts.append("x86_64")
    return "; ".join(parts) + " (repo-info)"


def record_for(name, obs):
    obs = sorted(obs, key=rank)
    p = obs[0]
    rec = {k: p[k] for k in ("alpine_release", "arch", "version", "installed_size", "installed_size_max",
                             "installed_size_reported")}
    rec["download_size"] = None
    rec["download_size_reported"] = None
    rec["match"] = match_note(p)
    rec["source"] = p["source"]
    if "depends" in p:
        rec["depends"] = p["depends"]
        rec["depends_read"] = True
    else:
        rec["depends"] = list(p.get("depends_inferred", []))
        rec["depends_read"] = False
    if p.get("note"):
        rec["note"] = p["note"]
    elif p["installed_size"] == 0 and rec["depends"]:
        rec["note"] = ("0 B: a meta package (its files are in the packages it depends on). repo-info lists no "
                       "dependencies; `depends` holds the " + name + "-* packages installed with it in the same "
                       "listing (co-installation, not a read dependency list), so `apk add " + name +
                       "` may still be counted low")
    elif p["installed_size"] == 0:
        rec["note"] = ("0 B: a meta package (its files are in the packages it depends on); repo-info does not "
                       "list dependencies, so `apk add " + name + "` is counted low")
    rec["generated_by"] = SCRIPT
    rec["observations"] = [{k: v for k, v in o.items()} for o in obs[:8]]
    return rec


def merge(catalogue_path, readings, only):
    cat = json.load(open(catalogue_path, encoding="utf-8"))
    pk = cat["packages"]
    for name in [n for n, r in pk.items() if r.get("generated_by") == SCRIPT]:
        del pk[name]
    for r in pk.values():
        r["observations"] = [o for o in r.get("observations", []) if o.get("added_by") != SCRIPT]
    added, extended = [], []
    for name in sorted(readings):
        obs = readings[name]
        if name in pk:
            have = {o.get("source") for o in pk[name].get("observations", [])} | {pk[name].get("source")}
            new = [dict(o, added_by=SCRIPT) for o in sorted(obs, key=rank) if o["source"] not in have][:4]
            if new:
                pk[name].setdefault("observations", []).extend(new)
                extended.append(name)
            continue
        if only is not None and name not in only:
            continue
        if name in NOT_PACKAGES:
            continue
        pk[name] = record_for(name, obs)
        added.append(name)
    # existing records keep their place; new ones follow in name order (a small diff on re-runs)
    cat["packages"] = dict(pk)
    about = cat.setdefault("about", {})
    src = ("docker-library/repo-info apk listings read by " + SCRIPT +
           ": records with generated_by (and observations with added_by) come from it, each with its blob URL")
    about["sources"] = [s for s in about.get("sources", []) if SCRIPT not in s] + [src]
    cov = cat.setdefault("coverage", {})
    cov["repo_info_added"] = added
    with open(catalogue_path, "w", encoding="utf-8") as f:
        json.dump(cat, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return added, extended


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir")
    ap.add_argument("--history", type=int, default=0, help="also read the N newest commits that touched repos/")
    ap.add_argument("--excerpts")
    ap.add_argument("--out", default="scripts/data/alpine-repo-info.json")
    ap.add_argument("--merge")
    ap.add_argument("--only")
    ap.add_argument("--readings", help="merge the readings of an earlier run (its --out file) instead of reading listings")
    a = ap.parse_args()
    if a.readings:
        with open(a.readings, encoding="utf-8") as f:
            readings = json.load(f)["packages"]
        if a.merge:
            added, extended = merge(a.merge, readings, None)
            print(f"{a.merge}: {len(added)} packages added, {len(extended)} existing records got more observations")
        return
    if not a.git_dir and not a.excerpts:
        ap.error("give --git-dir and/or --excerpts (or --readings FILE)")

    def sources():
        if a.git_dir:
            yield from read_git(a.git_dir, a.history)
        if a.excerpts:
            yield from read_excerpts(a.excerpts)

    readings, files, skipped = collect(sources())
    out = {"about": {"what": "Alpine apk installed sizes read from docker-library/repo-info repos/*/local/*.md listings",
                     "made_by": SCRIPT, "files_read": files, "files_skipped_release_or_arch_unknown": skipped,
                     "units": "installed_size..installed_size_max in bytes: apk-tools prints N KiB/MiB for "
                              "[N, N+1) units; plain bytes are exact"},
           "packages": {n: sorted(v, key=rank) for n, v in sorted(readings.items())}}
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{files} Alpine listings, {len(readings)} packages -> {a.out}")
    if a.merge:
        only = None
        if a.only:
            only = {l.strip() for l in open(a.only) if l.strip() and not l.startswith("#")}
        added, extended = merge(a.merge, readings, only)
        print(f"{a.merge}: {len(added)} packages added, {len(extended)} existing records got more observations")
        print("added: " + " ".join(added))


if __name__ == "__main__":
    main()
