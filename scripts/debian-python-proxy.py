#!/usr/bin/env python3
"""Debian's own builds of PyPI projects, as a stated proxy for packages without wheel data.

Usage:
    python3 scripts/debian-python-proxy.py [--out resources/catalogue/debian-python-proxy.json.zst]
        [--cache DIR] [--refresh] [--mirror URL]

Many PyPI projects are packaged in Debian as python3-*. dh-python ships the map from
PyPI distribution names to Debian package names (/usr/share/dh-python/dist/cpython3_fallback,
made by Debian from the dist-info/egg-info directories its packages install). This script:

  1. downloads the Release file and main/binary-{amd64,arm64}/Packages.xz of bookworm and
     trixie and checks each index's SHA256 against its Release file;
  2. takes the dh-python .deb of each suite (its Filename and SHA256 from that suite's
     amd64 index; the download is checked against that SHA256) and reads cpython3_fallback;
  3. writes, per PyPI name (PEP 503-normalised) whose Debian package is in an index:
     the Debian package, and per suite/arch its version, Installed-Size (KiB, as dpkg
     counts it), .deb Size (bytes) and whether it is Architecture: all; plus the PyPI
     names of its python3-* Depends (mapped back through the same fallback files).
     Besides python3-* packages, the map names applications Debian packages under their own
     name (pipenv, glances, mopidy-mpd): those are kept too when theirs is the only PyPI name
     the map gives that package (ofxstatement-plugins bundles 36 projects: left out), never
     "python3" itself (standard-library backports such as argparse).

Nothing is estimated here: the values are Debian's. The estimate uses them only for a
requirement no wheel data knows, and says so (a proxy, never exact): Debian's packages
ship no .pyc files and may split a project or patch it, and Installed-Size is rounded
up to whole KiB per file group by dpkg-gencontrol.

Standard library only, plus the zstd command for the output (zstd-compressed JSON, one
package per line; `zstd -dc` shows it). Downloads are cached (default: $XDG_CACHE_HOME or ~/.cache,
subdirectory slimbench-debian-python); pass --refresh to fetch again.
"""

import argparse
import datetime as _dt
import hashlib
import io
import json
import lzma
import os
import re
import subprocess
import sys
import tarfile
import urllib.request

GENERATOR = "scripts/debian-python-proxy.py"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
SUITES = ["bookworm", "trixie"]
ARCHES = ["amd64", "arm64"]
FALLBACK = "usr/share/dh-python/dist/cpython3_fallback"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def utcnow():
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def fetch(url, cache_dir, refresh=False):
    """(bytes, meta) of url, cached with a .meta.json sidecar."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1])
    path = os.path.join(cache_dir, name)
    meta_path = path + ".meta.json"
    if not refresh and os.path.exists(path) and os.path.exists(meta_path):
        with open(path, "rb") as f:
            data = f.read()
        with open(meta_path) as f:
            meta = json.load(f)
        meta["from_cache"] = True
        return data, meta
    log(f"  fetching {url}")
    req = urllib.request.Request(url, headers={"User-Agent": "slimbench-debian-python-proxy/1"})
    with urllib.request.urlopen(req, timeout=180) as r:
        data = r.read()
        meta = {"url": url, "downloaded": utcnow().isoformat().replace("+00:00", "Z"),
                "last_modified": r.headers.get("Last-Modified"), "bytes": len(data)}
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.replace(path + ".part", path)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    meta["from_cache"] = False
    return data, meta


def fetch_verified(url, sha256, cache_dir, refresh, what):
    data, meta = fetch(url, cache_dir, refresh)
    if hashlib.sha256(data).hexdigest() != sha256 and meta.get("from_cache"):
        log(f"  {url}: cached copy does not match {what}, refetching")
        data, meta = fetch(url, cache_dir, True)
    if hashlib.sha256(data).hexdigest() != sha256:
        sys.exit(f"error: SHA256 of {url} does not match {what}")
    return data, meta


def parse_stanzas(text, fields=None):
    cur, key = {}, None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                yield cur
            cur, key = {}, None
            continue
        if line[0] in " \t":
            if key is not None:
                cur[key] += "\n" + line.strip()
            continue
        k, _, v = line.partition(":")
        if fields is not None and k not in fields:
            key = None
            continue
        key = k
        cur[k] = v.strip()
    if cur:
        yield cur


def parse_release(text):
    st = next(parse_stanzas(text))
    sha = {}
    for line in st.get("SHA256", "").splitlines():
        parts = line.split()
        if len(parts) == 3:
            sha[parts[2]] = parts[0]
    return st, sha


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def deb_members(data):
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    off = 8
    while off + 60 <= len(data):
        hdr = data[off:off + 60]
        name = hdr[:16].decode().strip().rstrip("/")
        size = int(hdr[48:58].decode().strip())
        off += 60
        yield name, data[off:off + size]
        off += size + (size & 1)


def read_from_deb(deb, wanted):
    for name, body in deb_members(deb):
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as t:
                for m in t.getmembers():
                    if m.name.lstrip("./") == wanted:
                        return t.extractfile(m).read().decode("utf-8")
    raise SystemExit(f"error: {wanted} not in the dh-python package")


def parse_fallback(text):
    """{normalised PyPI name: Debian package} from cpython3_fallback lines 'Name package'."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#"):
            out.setdefault(normalize(parts[0]), parts[1])
    return out


def dep_names(value):
    """Package names of a Depends field (every alternative), without versions or arch qualifiers."""
    names = []
    for group in (value or "").split(","):
        for alt in group.split("|"):
            n = alt.strip().split(" ", 1)[0].split("(", 1)[0].split(":", 1)[0].strip()
            if n:
                names.append(n)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                                   "resources", "catalogue", "debian-python-proxy.json.zst")))
    ap.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                                    "slimbench-debian-python"))
    ap.add_argument("--mirror", default=DEFAULT_MIRROR)
    ap.add_argument("--refresh", action="store_true")
    ap.add_argument("--wheel-data", default=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                          "..", "..", "shared", "data")),
                    help="folder of wheels.json / wheels-extra.json: PyPI names they hold are left out (the "
                         "estimate sizes those from wheel data); absent: every name is kept")
    args = ap.parse_args()
    with_wheels = set()
    wheel_files = []
    for fn in ("wheels.json", "wheels-extra.json"):
        path = os.path.join(args.wheel_data, fn)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                with_wheels.update(normalize(n) for n in json.load(f)["packages"])
            wheel_files.append(fn)

    indexes, sources = {}, []
    fallback, fallback_sources = {}, []
    for suite in SUITES:
        rel_url = f"{args.mirror}/dists/{suite}/Release"
        rel_data, rel_meta = fetch(rel_url, args.cache, args.refresh)
        rel, sha = parse_release(rel_data.decode())
        for arch in ARCHES:
            rpath = f"main/binary-{arch}/Packages.xz"
            if rpath not in sha:
                sys.exit(f"error: {rpath} not listed in {rel_url}")
            url = f"{args.mirror}/dists/{suite}/{rpath}"
            data, meta = fetch_verified(url, sha[rpath], args.cache, args.refresh, rel_url)
            text = lzma.decompress(data).decode("utf-8", "replace")
            pkgs = {}
            for st in parse_stanzas(text, {"Package", "Version", "Installed-Size", "Size", "Architecture",
                                           "Depends", "Pre-Depends", "Filename", "SHA256"}):
                p = st.get("Package")
                if p and p not in pkgs:  # first stanza wins (an index lists a package once per version)
                    pkgs[p] = st
            indexes[(suite, arch)] = pkgs
            sources.append({"suite": suite, "arch": arch, "index": url, "sha256": sha[rpath],
                            "sha256_verified_against": rel_url, "release_date": rel.get("Date"),
                            "release_version": rel.get("Version"), "downloaded": meta.get("downloaded")})
            log(f"{suite}/{arch}: {len(pkgs)} packages")
        dh = indexes[(suite, "amd64")].get("dh-python")
        if not dh:
            sys.exit(f"error: no dh-python in {suite}")
        deb_url = f"{args.mirror}/{dh['Filename']}"
        deb, _ = fetch_verified(deb_url, dh["SHA256"], args.cache, args.refresh, f"{suite}/amd64 Packages")
        fb = parse_fallback(read_from_deb(deb, FALLBACK))
        fallback_sources.append({"suite": suite, "package": "dh-python", "version": dh["Version"], "deb": deb_url,
                                 "sha256": dh["SHA256"], "file": "/" + FALLBACK, "entries": len(fb)})
        log(f"{suite}: dh-python {dh['Version']}, cpython3_fallback {len(fb)} names")
        for k, v in fb.items():
            fallback.setdefault(k, v)  # bookworm first, trixie fills the rest; the index decides presence

    # Debian package -> PyPI names (for Depends), from the same maps.
    back = {}
    for pypi, deb in fallback.items():
        back.setdefault(deb, []).append(pypi)

    packages = {}
    skipped_with_wheels = 0
    for pypi in sorted(fallback):
        deb = fallback[pypi]
        if not deb.startswith("python3-") and (not re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", deb) or deb == "python3" or
                                               deb.startswith(("python3.", "libpython")) or len(back.get(deb, [])) != 1):
            continue  # "python3" itself (standard-library backports), or one package bundling several projects
        if pypi in with_wheels:
            skipped_with_wheels += 1
            continue
        per = {}
        deps = set()
        for suite in SUITES:
            got = {}
            for arch in ARCHES:
                st = indexes[(suite, arch)].get(deb)
                if not st or "Installed-Size" not in st:
                    continue
                got[arch] = [st["Version"], int(st["Installed-Size"]), int(st.get("Size", 0)) or None,
                             1 if st.get("Architecture") == "all" else 0]
                for d in dep_names(st.get("Depends", "")) + dep_names(st.get("Pre-Depends", "")):
                    if d.startswith("python3-"):
                        deps.update(n for n in back.get(d, []) if n != pypi)
            if len(got) == len(ARCHES) and all(v == got[ARCHES[0]] for v in got.values()):
                per[suite] = got[ARCHES[0]]  # the same on every architecture
            else:
                per.update({f"{suite}/{a}": v for a, v in got.items()})
        if per:
            rec = {"deb": deb, "in": per}
            if deps:
                rec["deps"] = sorted(deps)
            packages[pypi] = rec

    doc = {
        "about": {
            "what": "Per PyPI distribution name: Debian's python3 package of it (bookworm and trixie, amd64 and "
                    "arm64), its version, Installed-Size and .deb size. A stated proxy for a requirement no wheel "
                    "data knows: Debian's build, not the PyPI wheel pip would install.",
            "generated_by": GENERATOR,
            "generated": utcnow().date().isoformat(),
            "name_map": "dh-python's cpython3_fallback (PyPI name -> Debian package) of each suite; bookworm's "
                        "entry first, trixie's for names bookworm's lacks. python3-* packages, and applications "
                        "packaged under their own name (pipenv, glances) when the map gives that package no "
                        "other PyPI name; never python3 itself (standard-library backports)",
            "fields": {
                "deb": "Debian binary package",
                "in": "suite/arch (or suite, when every architecture has the same) -> [Debian version, "
                      "Installed-Size (KiB), .deb Size (bytes), 1 if Architecture: all]",
                "deps": "PyPI names of its Depends/Pre-Depends that are python3-* packages in the same name map "
                        "(any suite/arch; non-Python dependencies such as shared libraries are not listed)",
            },
            "caveats": [
                "Installed-Size counts the package's files as dpkg installs them (documentation included, no .pyc: "
                "Debian compiles bytecode at install time with py3compile, not in the package).",
                "Debian's version can differ from the one pip would pick, and Debian may split or patch a project.",
                "A PyPI project vendoring a library (a manylinux wheel) is often built against Debian's shared "
                "libraries instead: those are separate Debian packages, not counted here.",
            ],
            "indexes": sources,
            "name_maps": fallback_sources,
            "left_out": "PyPI names that the wheel data (" + (", ".join(wheel_files) or "none found") + ") holds: "
                        "the estimate sizes them from their wheels",
            "counts": {"pypi_names_in_maps": len(fallback), "left_out_with_wheel_data": skipped_with_wheels,
                       "pypi_names_here": len(packages)},
        },
        "packages": packages,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    lines = ["{", "\"about\": " + json.dumps(doc["about"], ensure_ascii=False, indent=1) + ",", "\"packages\": {"]
    items = list(packages.items())
    for i, (k, v) in enumerate(items):
        lines.append(json.dumps(k) + ":" + json.dumps(v, separators=(",", ":")) + ("," if i + 1 < len(items) else ""))
    lines.append("}}")
    text = ("\n".join(lines) + "\n").encode("utf-8")
    # One package per line (the program indexes the lines), compressed for the binary: `zstd -dc` shows it.
    z = subprocess.run(["zstd", "-19", "-q", "-c", f"--stream-size={len(text)}"], input=text,
                       stdout=subprocess.PIPE, check=True).stdout
    with open(args.out, "wb") as f:
        f.write(z)
    log(f"{len(text)} bytes of JSON, {len(z)} compressed")
    log(f"wrote {args.out}: {len(packages)} PyPI names")


if __name__ == "__main__":
    main()
