#!/usr/bin/env python3
"""Measure the figures behind slimbench's build-script models and write catalogue/build-scripts.json.

  python3 scripts/measure-build-scripts.py [--corpus DIR] [--mirror URL] [--out FILE]

What it measures, each with its source in the output:

- Django's own static files (what `manage.py collectstatic` copies for django.contrib.*):
  downloads python3-django from Debian's archive for each release (its Packages index
  names the file and its SHA256, checked), unpacks it with dpkg-deb and sums the regular
  files under django/contrib/*/static. Debian replaces Django's bundled jQuery with
  symlinks into libjs-jquery; those targets are sized from that package of the same
  release (a stated stand-in: Debian's jQuery build, not Django's copy).
- .mo over .po (msgfmt, pybabel compile, compilemessages): runs `msgfmt` on every .po
  file of the projects under --corpus (a folder of public repositories; nothing of it is
  written or committed) and keeps the 10th/50th/90th percentiles of size(.mo)/size(.po)
  with the number of files and projects.
- .pyc over .py (python -m compileall): copied from catalogue/installed-size-model.json
  (pure-Python wheels' bytecode over their installed files), with that file's source.

Needs python3, curl-free network access to the Debian mirror (urllib), dpkg-deb, xz and
msgfmt (gettext). Python 3 standard library only.
"""
import argparse
import hashlib
import json
import lzma
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RELEASES = ["bookworm", "trixie"]


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def stanzas(text):
    cur = {}
    for line in text.splitlines():
        if not line.strip():
            if cur:
                yield cur
            cur = {}
            continue
        if line[0] in " \t":
            continue
        k, _, v = line.partition(":")
        cur[k] = v.strip()
    if cur:
        yield cur


def package_record(mirror, release, name):
    idx = lzma.decompress(fetch(f"{mirror}/dists/{release}/main/binary-all/Packages.xz")).decode("utf-8", "replace")
    best = None
    for s in stanzas(idx):
        if s.get("Package") == name:
            best = s
    if not best:
        sys.exit(f"measure-build-scripts: {name} is not in {release}'s binary-all index")
    return best


def download_deb(mirror, rec, into):
    url = f"{mirror}/{rec['Filename']}"
    data = fetch(url)
    if hashlib.sha256(data).hexdigest() != rec["SHA256"]:
        sys.exit(f"measure-build-scripts: {url}: SHA256 differs from the Packages index")
    path = os.path.join(into, os.path.basename(rec["Filename"]))
    with open(path, "wb") as f:
        f.write(data)
    out = path + ".d"
    subprocess.run(["dpkg-deb", "-x", path, out], check=True)
    return url, out


def django_static(mirror):
    rows = []
    for release in RELEASES:
        with tempfile.TemporaryDirectory() as tmp:
            rec = package_record(mirror, release, "python3-django")
            url, root = download_deb(mirror, rec, tmp)
            files, total, links = 0, 0, []
            contrib = None
            for dirpath, dirnames, filenames in os.walk(root):
                if dirpath.endswith("django/contrib"):
                    contrib = dirpath
                rel = dirpath.split("/django/contrib/", 1)
                if len(rel) < 2 or "static" not in rel[1].split("/")[1:]:
                    continue  # only django/contrib/APP/static/... (not the staticfiles app's code)
                for fn in filenames:
                    p = os.path.join(dirpath, fn)
                    if os.path.islink(p):
                        links.append(os.path.normpath(os.path.join(dirpath, os.readlink(p)))[len(root):])
                    elif os.path.isfile(p):
                        files += 1
                        total += os.path.getsize(p)
            stand_in = []
            link_bytes = 0
            if links:
                js = {}
                for target in links:
                    parts = target.strip("/").split("/")  # usr/share/javascript/jquery/jquery.js
                    if len(parts) >= 4 and parts[:3] == ["usr", "share", "javascript"]:
                        js.setdefault("libjs-" + parts[3], []).append(target)
                    else:
                        sys.exit(f"measure-build-scripts: a symlink to {target}: no rule to size it")
                for pkg, targets in sorted(js.items()):
                    prec = package_record(mirror, release, pkg)
                    purl, proot = download_deb(mirror, prec, tmp)
                    for t in targets:
                        link_bytes += os.path.getsize(proot + t)
                    stand_in.append(f"{len(targets)} symlinked file(s) into {pkg} {prec['Version']} ({purl})")
            version = rec["Version"].split(":")[-1]
            rows.append({
                "django": ".".join(version.split(".")[:2]),
                "debian_version": rec["Version"],
                "release": release,
                "files": files + len(links),
                "bytes": total + link_bytes,
                "source": f"{url} (SHA256 {rec['SHA256'][:16]}…, checked): regular files under django/contrib/*/static"
                          + ("; " + "; ".join(stand_in) if stand_in else ""),
            })
            print(f"django {rows[-1]['django']} ({release}): {rows[-1]['files']} files, {rows[-1]['bytes']} bytes", file=sys.stderr)
    return rows


def mo_over_po(corpus):
    ratios, projects, failed = [], set(), 0
    with tempfile.TemporaryDirectory() as tmp:
        mo = os.path.join(tmp, "x.mo")
        for dirpath, _, filenames in os.walk(corpus):
            for fn in filenames:
                if not fn.endswith(".po"):
                    continue
                p = os.path.join(dirpath, fn)
                size = os.path.getsize(p)
                if size == 0:
                    continue
                r = subprocess.run(["msgfmt", "-o", mo, p], capture_output=True, timeout=60)
                if r.returncode != 0:
                    failed += 1
                    continue
                ratios.append(os.path.getsize(mo) / size)
                projects.add(os.path.relpath(p, corpus).split(os.sep)[0])
    if not ratios:
        sys.exit(f"measure-build-scripts: no .po file that msgfmt compiles under {corpus}")
    ratios.sort()
    q = lambda f: round(ratios[int(f * (len(ratios) - 1))], 3)
    version = subprocess.run(["msgfmt", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return {
        "p10": q(0.1), "median": q(0.5), "p90": q(0.9), "files": len(ratios), "projects": sorted(projects),
        "msgfmt_failed": failed,
        "source": f"{version} run on {len(ratios)} .po files of {len(projects)} public projects "
                  f"({failed} more that msgfmt rejected are left out); size(.mo)/size(.po), 10th/50th/90th percentile",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="folder of public projects with .po files (for the .mo/.po ratio)")
    ap.add_argument("--mirror", default="http://deb.debian.org/debian")
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "catalogue", "build-scripts.json"))
    args = ap.parse_args()
    old = {}
    if os.path.exists(args.out):
        with open(args.out) as f:
            old = json.load(f)
    out = {
        "about": {
            "what": "Figures behind the models of build-time commands that write files: Django's collectstatic, "
                    "message compilation (msgfmt, pybabel compile, compilemessages) and python -m compileall.",
            "made_by": "scripts/measure-build-scripts.py",
        },
        "django_static": {
            "versions": django_static(args.mirror),
            "note": "Static files of django.contrib (admin, gis, …) as collectstatic copies them. A Django release "
                    "without its own row is sized by the nearest measured one, as a stated proxy.",
        },
        "static_storage": {
            "manifest_copies": 2,
            "manifest_source": "Django documentation, ManifestStaticFilesStorage: collectstatic saves each file "
                               "again under a name with its content hash (the original is kept)",
            "compressed_copies_max": 2,
            "compressed_source": "WhiteNoise documentation, CompressedManifestStaticFilesStorage: a gzip (.gz) and, "
                                 "with the brotli package installed, a Brotli (.br) version of each compressible file, "
                                 "each no larger than the file",
        },
    }
    if args.corpus:
        out["mo_over_po"] = mo_over_po(args.corpus)
    elif "mo_over_po" in old:
        out["mo_over_po"] = old["mo_over_po"]
    else:
        sys.exit("measure-build-scripts: give --corpus DIR once to measure the .mo/.po ratio")
    with open(os.path.join(ROOT, "resources", "catalogue", "installed-size-model.json")) as f:
        model = json.load(f)
    b = model["bytecode_over_installed"]["pure_python"]
    out["pyc_over_py"] = {
        "p25": b["p25"], "median": b["median"], "p75": b["p75"], "n": b["n"],
        "source": "catalogue/installed-size-model.json bytecode_over_installed.pure_python (" + model["about"]["source"] + ")",
    }
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, args.out)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
