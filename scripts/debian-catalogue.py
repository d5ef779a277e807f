#!/usr/bin/env python3
"""Generate slimbench's Debian package-size catalogue from Debian's Packages indexes.

Usage:
    python3 scripts/debian-catalogue.py --out resources/catalogue/debian [--cache DIR]
        [--base-images /work/shared/data/base-images.json] [--measure-docs 30]

For each suite (bookworm, trixie, bullseye) and architecture (amd64, arm64) it downloads
    http://deb.debian.org/debian/dists/<suite>/main/binary-<arch>/Packages.xz
and the suite's Release file (for its Date: line and the SHA256 of the index),
parses the stanzas, and writes
    <suite>-<arch>.pkgs.zst  every package of the index (the whole of main): version,
                             Installed-Size, Size, resolved Depends/Pre-Depends and Recommends
                             with their or-alternatives, and every Provides (TABLE_FORMAT)
    <suite>-<arch>.json      about (sources, checksums, the table's size and SHA256) and the
                             package sets of the official base images (debian:<suite>-slim,
                             buildpack-deps:<suite>, python:3.x[-slim]-<suite>)

With --measure-docs N (default 30, 0 disables) it also downloads N .deb files
from the closure of a seed list (what Python images commonly install), lists their data.tar and measures which fraction of the file
bytes falls under the path-exclude rules of the debian:*-slim images
(/etc/dpkg/dpkg.cfg.d/docker, written by debuerreotype-slimify); the rules and
the measurements go to dpkg-excludes.json.

Standard library only, plus the zstd command (Debian package zstd) for the tables. Downloads are cached (default: $XDG_CACHE_HOME or
~/.cache, subdirectory slimbench-debian); pass --refresh to fetch again.
"""

import argparse
import datetime as _dt
import fnmatch
import hashlib
import io
import json
import lzma
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import urllib.request

GENERATOR = "scripts/debian-catalogue.py"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
SUITES = ["bookworm", "trixie", "bullseye"]
ARCHES = ["amd64", "arm64"]

# ---------------------------------------------------------------------------
# Seed set: what Python Dockerfiles commonly apt-get install.  Each entry is a
# list of alternatives; the first one present in the suite is used (the others
# are not recorded as missing).  Single-name entries that are absent in a suite
# are recorded under about.missing for that suite.
SEEDS = [
    ["build-essential"], ["gcc"], ["g++"], ["make"], ["libc6-dev"], ["pkg-config"],
    ["cmake"], ["git"], ["curl"], ["wget"], ["ca-certificates"], ["gfortran"],
    ["libffi-dev"], ["libssl-dev"], ["zlib1g-dev"], ["libpq-dev"], ["libpq5"],
    ["default-libmysqlclient-dev"], ["libmariadb-dev"], ["libmariadb3"],
    ["libxml2-dev"], ["libxslt1-dev"], ["libxslt-dev"], ["libxml2"], ["libxslt1.1"],
    ["libjpeg-dev"], ["libjpeg62-turbo"], ["libpng-dev"], ["libfreetype6-dev"],
    ["libfreetype-dev"], ["libtiff-dev"], ["libwebp-dev"], ["liblcms2-dev"],
    ["libopenjp2-7-dev"], ["libopenblas-dev"], ["libopenblas0"], ["liblapack-dev"],
    ["libblas-dev"], ["libhdf5-dev"], ["libgeos-dev"], ["libproj-dev"], ["gdal-bin"],
    ["libgdal-dev"], ["libsqlite3-dev"], ["libbz2-dev"], ["liblzma-dev"],
    ["libreadline-dev"], ["libncurses-dev", "libncurses5-dev"], ["libncurses5-dev"],
    ["libncursesw5-dev"], ["libgdbm-dev"], ["uuid-dev"], ["tk-dev"], ["libyaml-dev"],
    ["libsnappy-dev"], ["libzstd-dev"], ["liblz4-dev"], ["librdkafka-dev"],
    ["libsasl2-dev"], ["libldap2-dev"], ["libldap-dev"], ["unixodbc-dev"],
    ["freetds-dev"], ["libkrb5-dev"], ["libcurl4-openssl-dev"], ["rustc"], ["cargo"],
    ["python3-dev"], ["libpcre3-dev"], ["libpcre2-dev"], ["libsystemd-dev"],
    ["libcairo2-dev"], ["libgirepository1.0-dev"], ["libgirepository-2.0-dev"],
    ["ffmpeg"], ["libgl1"], ["libglib2.0-0", "libglib2.0-0t64"], ["libsm6"],
    ["libxext6"], ["libxrender1"], ["tini"], ["gosu"], ["netcat-openbsd"], ["procps"],
    ["locales"], ["tzdata"], ["postgresql-client"], ["default-mysql-client"],
    ["nodejs"], ["npm"], ["vim-tiny"], ["nano"], ["unzip"], ["zip"], ["xz-utils"],
    ["gnupg"], ["dirmngr"], ["libgomp1"], ["libstdc++6"], ["libgcc-s1"],
    ["libbluetooth-dev"], ["libdb-dev"], ["libmagic1", "libmagic1t64"],
    # the distro's own Python (its version sizes wheels on debian:*/ubuntu:* bases)
    ["python3"], ["python3-pip"], ["python3-venv"], ["python-is-python3"],
]

# ---------------------------------------------------------------------------
# Layers of the official images, each with its source.  The package names are
# exactly those that the Dockerfiles apt-get install (--no-install-recommends).
BUILDPACK_DEPS_SRC = ("docker-library/buildpack-deps Dockerfile (curl, scm, and main layers): "
                      "debian/<suite>/curl/Dockerfile, debian/<suite>/scm/Dockerfile, "
                      "debian/<suite>/Dockerfile")
BUILDPACK_LAYERS = {
    # curl and scm layers: identical to the history lines of the 2026 python:3.12[-bookworm]
    # images in base-images.json (not truncated there); main layer: Dockerfile text read at
    # docker-library/buildpack-deps commit 103e790407420c9c517a6ac774f31e92c8d84f58 (trixie)
    # and 84e7e46026131a108a6480e5ed2969e8acf2d4e2 (bookworm; its $(...) picks
    # default-libmysqlclient-dev when the suite has it, and the 2026 history line confirms it).
    "curl": ["ca-certificates", "curl", "gnupg", "netbase", "sq", "wget"],
    "scm": ["git", "mercurial", "openssh-client", "subversion", "procps"],
    "main": ["autoconf", "automake", "bzip2", "default-libmysqlclient-dev", "dpkg-dev", "file",
             "g++", "gcc", "imagemagick", "libbz2-dev", "libc6-dev", "libcurl4-openssl-dev",
             "libdb-dev", "libevent-dev", "libffi-dev", "libgdbm-dev", "libglib2.0-dev",
             "libgmp-dev", "libjpeg-dev", "libkrb5-dev", "liblzma-dev", "libmagickcore-dev",
             "libmagickwand-dev", "libmaxminddb-dev", "libncurses5-dev", "libncursesw5-dev",
             "libpng-dev", "libpq-dev", "libreadline-dev", "libsqlite3-dev", "libssl-dev",
             "libtool", "libwebp-dev", "libxml2-dev", "libxslt-dev", "libyaml-dev", "make",
             "patch", "unzip", "xz-utils", "zlib1g-dev"],
}
BUILDPACK_COMMITS = {
    "trixie": "103e790407420c9c517a6ac774f31e92c8d84f58",
    "bookworm": "84e7e46026131a108a6480e5ed2969e8acf2d4e2",
    # debian/bullseye/Dockerfile and scm/Dockerfile at 65d69325ad741cea6dee20781c1faaab2e003d87,
    # curl/Dockerfile at e7c2fa9532011ba19b22b9d350c4525f60860e23
    "bullseye": "65d69325ad741cea6dee20781c1faaab2e003d87",
}
# bullseye's curl layer has no sq: it installs ca-certificates curl netbase wget, then
# gnupg dirmngr in a second RUN when gpg is missing (it is, on minbase)
# (debian/bullseye/curl/Dockerfile at e7c2fa9532011ba19b22b9d350c4525f60860e23).
BUILDPACK_LAYERS_BY_SUITE = {
    "bullseye": {"curl": ["ca-certificates", "curl", "netbase", "wget", "gnupg", "dirmngr"]},
}
# python:3.x (full) adds one apt layer on top of buildpack-deps (docker-library/python
# <ver>/<suite>/Dockerfile, "runtime dependencies"; the same line is in the history of
# every 2026 default image in base-images.json).
PYTHON_FULL_LAYER = ["libbluetooth-dev", "tk-dev", "uuid-dev"]
# python:3.x-slim: first apt layer of docker-library/python <ver>/slim-<suite>/Dockerfile
# (also in every 2026 slim image history in base-images.json).
PYTHON_SLIM_LAYER = ["ca-certificates", "netbase", "tzdata"]

# debootstrap installs merged-/usr itself, and the docker debian images carry
# usr-is-merged, not usrmerge (which would pull in perl): grounded by the package
# list of debian:bookworm-slim below.  Used only when an or-group offers both.
MINBASE_PREFER = {"usr-is-merged"}

# Binary packages of debian:bookworm-slim (amd64, build 2026-08-03) as listed by
# docker-library/repo-info repos/debian/local/bookworm-20260803-slim.md at commit
# 894c4de58610fa0b23137b6370fae2a478b530fa (the "Binary Packages" lines, arch suffix and
# version dropped).  Used only to check the derived debian:bookworm-slim set.
RECORDED_DEBIAN_SLIM = {
    ("bookworm", "amd64"): {
        "source": "docker-library/repo-info repos/debian/local/bookworm-20260803-slim.md at commit "
                  "894c4de58610fa0b23137b6370fae2a478b530fa",
        "names": """libacl1 adduser apt libapt-pkg6.0 libattr1 libaudit-common libaudit1 base-files
            base-passwd bash libbz2-1.0 libdebconfclient0 coreutils dash libdb5.3 debconf
            debian-archive-keyring debianutils diffutils dpkg e2fsprogs libcom-err2 libext2fs2
            libss2 logsave findutils gcc-12-base libgcc-s1 libstdc++6 libc-bin libc6 libgmp10 gpgv
            libgnutls30 grep gzip hostname init-system-helpers libcap-ng0 libcap2 libffi8
            libgcrypt20 libgpg-error0 libidn2-0 libmd0 libseccomp2 libselinux1 libsemanage-common
            libsemanage2 libsepol2 libtasn1-6 libunistring2 libcrypt1 libzstd1 liblz4-1 mawk
            libtinfo6 ncurses-base ncurses-bin libhogweed6 libnettle8 libp11-kit0 libpam-modules
            libpam-modules-bin libpam-runtime libpam0g libpcre2-8-0 perl-base sed login passwd
            libsystemd0 libudev1 sysvinit-utils tar tzdata usr-is-merged bsdutils libblkid1
            libmount1 libsmartcols1 libuuid1 mount util-linux util-linux-extra libxxhash0
            liblzma5 zlib1g""".split(),
    },
}

PRIO_RANK = {"required": 0, "important": 1, "standard": 2, "optional": 3, "extra": 4}

# ---------------------------------------------------------------------------
# Exclude rules of the debian:*-slim images.  debuerreotype-slimify writes
# /etc/dpkg/dpkg.cfg.d/docker with one "path-exclude" per line of
# scripts/.slimify-excludes and then one "path-include" per line of
# scripts/.slimify-includes (dpkg: the last matching rule wins, so includes
# re-include).  Read from debuerreotype/debuerreotype at commit
# fe6f344f2b679b2f631ffd30bd241d169a3acf1d (the version listed by the code index).
SLIM_EXCLUDES = [
    "/usr/share/doc/*",
    "/usr/share/info/*",
    "/usr/share/linda/*",
    "/usr/share/lintian/overrides/*",
    "/usr/share/locale/*",
    "/usr/share/man/*",
    "/usr/share/doc/kde/HTML/*/*",
    "/usr/share/gnome/help/*/*",
    "/usr/share/omf/*/*-*.emf",
]
SLIM_INCLUDES = [
    "/usr/share/doc/*/copyright",
    "/usr/share/doc/kde/HTML/C/*",
    "/usr/share/gnome/help/*/C/*",
    "/usr/share/locale/all_languages",
    "/usr/share/locale/currency/*",
    "/usr/share/locale/l10n/*",
    "/usr/share/locale/languages",
    "/usr/share/locale/locale.alias",
    "/usr/share/omf/*/*-C.emf",
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def utcnow():
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


# ---------------------------------------------------------------------------
# Downloads with a cache

def fetch(url, cache_dir, refresh=False):
    """Return (bytes, meta) for url, caching the body and a .meta.json sidecar."""
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
    req = urllib.request.Request(url, headers={"User-Agent": "slimbench-debian-catalogue/1"})
    with urllib.request.urlopen(req, timeout=120) as r:
        data = r.read()
        meta = {"url": url, "downloaded": utcnow().isoformat().replace("+00:00", "Z"),
                "last_modified": r.headers.get("Last-Modified"), "bytes": len(data)}
    os.makedirs(cache_dir, exist_ok=True)
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    meta["from_cache"] = False
    return data, meta


# ---------------------------------------------------------------------------
# deb822 parsing

def parse_stanzas(text, fields=None):
    """Yield dicts of the fields of each stanza (continuation lines joined)."""
    cur = {}
    key = None
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
            sha[parts[2]] = (parts[0], int(parts[1]))
    return st, sha


# --- Debian version comparison (Debian Policy 5.6.12), used only to pick one
# stanza when an index lists the same package twice.

def _order(c):
    if c == "~":
        return -1
    if c.isdigit():
        return 0
    if c.isalpha():
        return ord(c)
    return ord(c) + 256


def _cmp_part(a, b):
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def version_cmp(a, b):
    def split(v):
        e, _, rest = v.rpartition(":") if ":" in v else ("0", "", v)
        up, _, rev = rest.rpartition("-") if "-" in rest else (rest, "", "")
        return int(e or 0), up, rev
    ea, ua, ra = split(a)
    eb, ub, rb = split(b)
    if ea != eb:
        return ea - eb
    return _cmp_part(ua, ub) or _cmp_part(ra, rb)


# --- relationship fields

_REL_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9+.\-]*)(?::([A-Za-z0-9\-]+))?")


def parse_relations(value):
    """'a (>= 1) | b:any, c' -> [['a','b'], ['c']] (versions, arch qualifiers dropped)."""
    groups = []
    if not value:
        return groups
    for group in value.replace("\n", " ").split(","):
        alts = []
        for alt in group.split("|"):
            alt = re.sub(r"\[[^\]]*\]|<[^>]*>", "", alt)  # arch restrictions / build profiles
            m = _REL_NAME.match(alt)
            if m:
                alts.append(m.group(1))
        if alts:
            groups.append(alts)
    return groups


def load_index(data):
    text = lzma.decompress(data).decode("utf-8", "replace")
    want = {"Package", "Version", "Architecture", "Installed-Size", "Size", "Depends",
            "Pre-Depends", "Provides", "Priority", "Essential", "Section", "Multi-Arch",
            "Filename", "Source", "Recommends"}
    pkgs = {}
    dups = 0
    for st in parse_stanzas(text, want):
        name = st.get("Package")
        if not name:
            continue
        if name in pkgs:
            dups += 1
            if version_cmp(st.get("Version", "0"), pkgs[name]["Version"]) <= 0:
                continue
        pkgs[name] = st
    provides = {}
    for name, st in pkgs.items():
        st["_deps"] = parse_relations(st.get("Pre-Depends", "")) + parse_relations(st.get("Depends", ""))
        st["_recs"] = parse_relations(st.get("Recommends", ""))
        for grp in parse_relations(st.get("Provides", "")):
            for v in grp:
                provides.setdefault(v, []).append(name)
    return pkgs, provides, dups


# ---------------------------------------------------------------------------
# Resolution

class Resolver:
    def __init__(self, pkgs, provides):
        self.pkgs = pkgs
        self.provides = provides
        self.used_virtuals = {}

    def prio(self, name):
        return PRIO_RANK.get(self.pkgs[name].get("Priority", "optional"), 5)

    def candidates(self, alts):
        """Existing real packages that satisfy an or-group, in apt's order of preference:
        alternatives left to right; for each, the real package of that name first, then
        the packages that Provide it (higher Priority first, then by name)."""
        out = []
        for a in alts:
            if a in self.pkgs and a not in out:
                out.append(a)
            provs = sorted(set(self.provides.get(a, [])), key=lambda p: (self.prio(p), p))
            for p in provs:
                if p not in out:
                    out.append(p)
        return out

    def choose(self, alts, have=(), prefer=()):
        """Pick one package for an or-group: an installed candidate if any (apt keeps a
        dependency that is already satisfied), else a candidate from `prefer`, else the
        first candidate."""
        cands = self.candidates(alts)
        if not cands:
            return None, cands
        chosen = next((c for c in cands if c in have), None) or \
            next((c for c in cands if c in prefer), cands[0])
        for a in alts:
            if a not in self.pkgs and chosen in self.provides.get(a, []):
                self.used_virtuals.setdefault(a, set()).add(chosen)
                break
            if a == chosen:
                break
        return chosen, cands

    def closure(self, names, have=frozenset(), prefer=()):
        """Names to install with `apt-get install --no-install-recommends names` on a
        system that already has `have`; returns (new set incl. have, unresolved)."""
        result = set(have)
        todo = []
        unresolved = []
        for n in names:
            c, _ = self.choose([n], result)
            if c is None:
                unresolved.append(n)
            elif c not in result:
                result.add(c)
                todo.append(c)
        while todo:
            p = todo.pop()
            for grp in self.pkgs[p]["_deps"]:
                c, _ = self.choose(grp, result, prefer)
                if c is None:
                    unresolved.append(f"{p}: {' | '.join(grp)}")
                elif c not in result:
                    result.add(c)
                    todo.append(c)
        return result, unresolved


def estimate_closure(root, have, deps, alts):
    """What an estimator does with a catalogue: breadth-first over dep, skipping a dep whose
    alternative is already present (installed or picked earlier)."""
    add, queue = set(), [root]
    while queue:
        q = queue.pop(0)
        if q in have or q in add:
            continue
        add.add(q)
        for d in deps[q]:
            others = alts.get(q, {}).get(d, [])
            if any(o in have or o in add for o in others):
                continue
            queue.append(d)
    return add


def kib(pkgs, names):
    return sum(int(pkgs[n].get("Installed-Size") or 0) for n in names)


# ---------------------------------------------------------------------------
# Base images

def load_base_images(path):
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def suite_of(img):
    osr = (img.get("os_release") or "").lower()
    for s in SUITES:
        if s in osr:
            return s
    return None


def recorded_lists(bi):
    """Package lists recorded in base-images.json: {(tag, arch): entry}."""
    out = {}
    if not bi:
        return out
    for img in bi.get("images", []):
        p = img.get("packages")
        if isinstance(p, dict) and p.get("manager") == "dpkg" and p.get("names"):
            out[(img["tag"], img["arch"])] = img
    return out


def tags_for(bi, suite, variant, arch):
    if not bi:
        return []
    out = []
    for img in bi.get("images", []):
        if img.get("arch") == arch and suite_of(img) == suite and img.get("variant") == variant \
                and img["tag"].startswith("python:") and "STALE" not in json.dumps(img.get("flags") or []):
            out.append(img["tag"])
    return sorted(set(out))


def map_name(name, pkgs):
    """Map a trixie binary package name to the suite at hand (t64 transition)."""
    if name in pkgs:
        return name, False
    if name.endswith("t64") and name[:-3] in pkgs:
        return name[:-3], True
    if name + "t64" in pkgs:
        return name + "t64", True
    return None, True


def minbase(pkgs, res):
    required = sorted(n for n, st in pkgs.items() if st.get("Priority") == "required")
    essential = sorted(n for n, st in pkgs.items() if st.get("Essential") == "yes")
    slim, unres = res.closure(sorted(set(required) | set(essential) | {"apt"}), prefer=MINBASE_PREFER)
    return slim, unres, required, essential


def build_bases(suite, arch, pkgs, res, bi, grounded_runtime):
    """Return (bases dict, debian_slim set)."""
    bases = {}
    slim, unres, required, essential = minbase(pkgs, res)
    rule = ("closure (Depends + Pre-Depends, first satisfiable alternative) of every package "
            "with 'Priority: required' plus every package with 'Essential: yes' in this index, "
            "plus apt; where an or-group offers both, usr-is-merged is taken instead of usrmerge "
            "(the recorded debian:bookworm-slim list has usr-is-merged and no perl). This is debootstrap --variant=minbase (scripts/debian-common: "
            "required=$(get_debs Priority: required); minbase: base=\"apt\"), which "
            "debuerreotype-init uses for the docker debian images; examples/debian.sh of "
            "debuerreotype states that from Debian 11 on the non-slim image is 'a faithful "
            "minbase' too, so debian:<suite> has the same package set and -slim only adds the "
            "dpkg path-excludes (see dpkg-excludes.json). Versions are the point-release ones "
            "from this index; the real images are also dist-upgraded with security updates.")
    bases[f"debian:{suite}-slim"] = {
        "kind": "derived", "source": "Debian Packages index (this file's about.source)",
        "rule": rule, "same_packages_as": [f"debian:{suite}"],
        "packages": sorted(slim), "unresolved": unres,
        "seed_counts": {"priority_required": len(required), "essential_yes": len(essential)},
    }
    rec = RECORDED_DEBIAN_SLIM.get((suite, arch))
    if rec:
        r = set(rec["names"])
        bases[f"debian:{suite}-slim"]["check"] = {
            "against": rec["source"], "recorded_count": len(r),
            "only_derived": sorted(slim - r), "only_recorded": sorted(r - slim)}

    # buildpack-deps:<suite> = debian:<suite> + curl + scm + main layers (apt-get install
    # --no-install-recommends each, in order).
    have = set(slim)
    layer_info = []
    missing = []
    for layer in ("curl", "scm", "main"):
        names = list(BUILDPACK_LAYERS_BY_SUITE.get(suite, {}).get(layer, BUILDPACK_LAYERS[layer]))
        absent = [n for n in names if not res.candidates([n])]
        missing += absent
        have, u = res.closure([n for n in names if n not in absent], have)
        layer_info.append({"layer": layer, "apt_install": names})
    bpd = set(have)
    bases[f"buildpack-deps:{suite}"] = {
        "kind": "derived",
        "source": BUILDPACK_DEPS_SRC + (
            f" (main layer read at commit {BUILDPACK_COMMITS[suite]}; "
            "curl and scm layers as in the 2026 image histories in base-images.json)" if suite != "bullseye" else
            f" (main and scm layers read at commit {BUILDPACK_COMMITS[suite]}, curl layer at "
            "e7c2fa9532011ba19b22b9d350c4525f60860e23)"),
        "rule": f"debian:{suite}-slim package set, then apt-get install --no-install-recommends "
                "of each layer's list in order (closure over Depends + Pre-Depends; an or-group "
                "already satisfied by an installed package adds nothing)",
        "layers": layer_info, "not_in_index": missing, "packages": sorted(bpd),
    }

    # python:3.x-<suite> (full) = buildpack-deps + libbluetooth-dev tk-dev uuid-dev
    full, u = res.closure(PYTHON_FULL_LAYER, bpd)
    bases[f"python:3.x-{suite}"] = {
        "kind": "derived",
        "applies_to": tags_for(bi, suite, "default", arch),
        "source": "docker-library/python <version>/<suite>/Dockerfile: FROM buildpack-deps:<suite>, "
                  "then apt-get install --no-install-recommends libbluetooth-dev tk-dev uuid-dev "
                  "(same line in the 2026 image histories in base-images.json)",
        "rule": f"buildpack-deps:{suite} package set + closure of {' '.join(PYTHON_FULL_LAYER)}",
        "packages": sorted(full),
        "note": "python:3.14 images additionally apt-get install libzstd-dev in the Python build "
                "layer (history line in base-images.json, truncated there); whether it stays "
                "installed is not grounded, so it is not included.",
    }

    # python:3.x-slim-<suite> = debian slim + ca-certificates netbase tzdata + runtime libs
    base_slim, u = res.closure(PYTHON_SLIM_LAYER, slim)
    runtime, inferred, unmapped = [], [], []
    for n in grounded_runtime.get("names", []):
        m, was_mapped = map_name(n, pkgs)
        if m is None:
            unmapped.append(n)
            continue
        runtime.append(m)
        if was_mapped or suite != grounded_runtime.get("suite") or arch != grounded_runtime.get("arch"):
            inferred.append(m)
    pslim, u = res.closure(runtime, base_slim)
    entry = {
        "kind": "derived",
        "applies_to": tags_for(bi, suite, "slim", arch),
        "source": "docker-library/python <version>/slim-<suite>/Dockerfile: FROM debian:<suite>-slim, "
                  "apt-get install --no-install-recommends ca-certificates netbase tzdata; the build "
                  "layer purges its build deps and keeps (apt-mark manual) the packages owning the "
                  "shared libraries that `ldd` finds in /usr/local",
        "rule": f"debian:{suite}-slim + closure of ca-certificates netbase tzdata + runtime libraries. "
                "The kept_from_build list is grounded only for trixie/amd64: it is the part of the "
                "recorded python:3.12-slim package list (base-images.json, "
                f"{grounded_runtime.get('source_file')}) that the slim base plus "
                "ca-certificates/netbase/tzdata does not explain (shared libraries of the built "
                "Python: libffi, gdbm, ncursesw, readline; adduser presumably stays because apt's "
                "autoremove keeps installed alternatives of or-dependencies, here apt's "
                "'base-passwd | adduser' - an explanation, not verified). For other suites/arches "
                "the same names are used, mapped to this suite by dropping/adding the 't64' "
                "suffix; those are listed under 'inferred'.",
        "kept_from_build": sorted(runtime),
        "inferred": sorted(set(inferred)),
        "runtime_not_in_index": unmapped,
        "packages": sorted(pslim),
    }
    bases[f"python:3.x-slim-{suite}"] = entry
    return bases, slim, bpd, base_slim


def add_recorded(bases, suite, arch, pkgs, res, bi):
    """Add package lists recorded in base-images.json for this suite/arch."""
    checks = {}
    for (tag, a), img in recorded_lists(bi).items():
        if a != arch or suite_of(img) != suite:
            continue
        p = img["packages"]
        names = p["names"]
        present = sorted(n for n in names if n in pkgs)
        absent = sorted(n for n in names if n not in pkgs)
        key = img.get("resolved_tag", tag).split(":", 1)[1]
        key = "python:" + re.sub(r"^(\d+\.\d+)\.\d+", r"\1", key)
        bases[key] = {
            "kind": "recorded",
            "applies_to": [tag],
            "source": f"{bi['about'].get('source_repository', 'docker-library/repo-info')}: "
                      f"{p.get('source_file')} at commit {p.get('source_commit')} "
                      f"(via /work/shared/data/base-images.json, gathered {bi['about'].get('gathered')}; "
                      f"image built {img.get('source', {}).get('built')})",
            "rule": "dpkg package list of the image as recorded (names); only names present in this "
                    "index are listed under packages",
            "count_recorded": len(names),
            "not_in_index": absent,
            "packages": present,
        }
        if p.get("versions"):
            diff = {n: [p["versions"][n], pkgs[n]["Version"]] for n in present
                    if n in p["versions"] and p["versions"][n] != pkgs[n]["Version"]}
            bases[key]["version_differs_from_index"] = len(diff)
        checks[key] = set(present)
    return checks


def grounded_runtime_libs(bi, pkgs_by_sa, res_by_sa):
    """Runtime libs that python:3.12-slim (trixie, amd64) keeps beyond its apt layer."""
    for (tag, arch), img in recorded_lists(bi).items():
        if img.get("variant") == "slim" and suite_of(img) == "trixie" and arch == "amd64":
            key = ("trixie", "amd64")
            if key not in pkgs_by_sa:
                return {}
            pkgs, res = pkgs_by_sa[key], res_by_sa[key]
            slim, _, _, _ = minbase(pkgs, res)
            with_layer, _ = res.closure(PYTHON_SLIM_LAYER, slim)
            names = [n for n in img["packages"]["names"] if n not in with_layer]
            return {"names": sorted(names), "suite": "trixie", "arch": "amd64", "tag": tag,
                    "source_file": img["packages"].get("source_file")}
    return {}


# ---------------------------------------------------------------------------
# Output

TABLE_MAGIC, TABLE_END = b"SBDEBPK3", b"SBDEBEND"
TABLE_FORMAT = (
    "one zstd frame (content size set) holding: 'SBDEBPK3'; varint N (names: every package and every "
    "provided name, sorted bytewise; a name's id is its rank), varint P (packages), then the sizes to "
    "reserve: varint bytes of all names, of all versions, number of relation and of provider entries; "
    "N names front-coded "
    "(one byte: length of the prefix shared with the previous name, then the rest, then a newline); N "
    "flag bytes (1 = a package, 2 = its stanza has no Installed-Size); then per package in id order: "
    "P versions (newline-ended), P varint Installed-Size (KiB), P varint Size (bytes); P relation "
    "records (varint nDepends, nRecommends, then per or-group: the chosen name id, the number of other "
    "candidates, their ids); N provider lists (varint count, provider ids, apt's pick first); "
    "'SBDEBEND'. Varints are unsigned LEB128.")


def _varint(x, out):
    while x >= 0x80:
        out.append((x & 0x7F) | 0x80)
        x >>= 7
    out.append(x)


def write_table(path, pkgs, deps, alts_of, recs, ralts_of, provides, level):
    """The whole index as one compact table (TABLE_FORMAT), zstd-compressed with the zstd tool."""
    names = sorted(set(pkgs) | set(provides), key=lambda n: n.encode())
    ids = {n: i for i, n in enumerate(names)}
    real = [n for n in names if n in pkgs]
    body = bytearray()
    prev = b""
    for n in names:
        b = n.encode()
        if b"\n" in b:
            sys.exit(f"error: name with a newline: {n!r}")
        k = 0
        while k < min(len(prev), len(b), 255) and prev[k] == b[k]:
            k += 1
        body.append(k)
        body += b[k:] + b"\n"
        prev = b
    missing_is = 0
    for n in names:
        st = pkgs.get(n)
        if st is None:
            body.append(0)
        else:
            has_is = bool(st.get("Installed-Size"))
            missing_is += not has_is
            body.append(1 | (0 if has_is else 2))
    for n in real:
        body += (pkgs[n].get("Version") or "").encode() + b"\n"
    for field in ("Installed-Size", "Size"):
        for n in real:
            v = int(pkgs[n].get(field) or 0)
            if v >= 2 ** 32:
                sys.exit(f"error: {n}: {field} does not fit 32 bits")
            _varint(v, body)
    rel_entries = prov_entries = 0
    for n in real:
        d, r = deps.get(n, []), recs.get(n, [])
        rel_entries += 2 + sum(2 + len(alts_of.get(n, {}).get(c, [])) for c in d) + \
            sum(2 + len(ralts_of.get(n, {}).get(c, [])) for c in r)
        _varint(len(d), body)
        _varint(len(r), body)
        for lst, alts in ((d, alts_of.get(n, {})), (r, ralts_of.get(n, {}))):
            for c in lst:
                others = alts.get(c, [])
                _varint(ids[c], body)
                _varint(len(others), body)
                for o in others:
                    _varint(ids[o], body)
    for n in names:
        ps = provides.get(n, [])
        prov_entries += len(ps)
        _varint(len(ps), body)
        for q in ps:
            _varint(ids[q], body)
    out = bytearray(TABLE_MAGIC)
    for v in (len(names), len(real), sum(len(n.encode()) for n in names),
              sum(len((pkgs[n].get("Version") or "").encode()) for n in real), rel_entries, prov_entries):
        _varint(v, out)
    out += body
    out += TABLE_END
    raw = bytes(out)
    with tempfile.NamedTemporaryFile(suffix=".bin") as tf:
        tf.write(raw)
        tf.flush()
        # a regular file as input, so the frame records the content size
        subprocess.run(["zstd", "-q", "-f", f"-{level}"] + (["--ultra"] if level > 19 else []) +
                       [tf.name, "-o", path], check=True)
    os.chmod(path, 0o644)
    with open(path, "rb") as f:
        comp = f.read()
    return {"file": os.path.basename(path), "format": TABLE_FORMAT,
            "compressor": f"zstd -{level} ({subprocess.run(['zstd', '-V'], capture_output=True, text=True).stdout.strip()})",
            "bytes": len(comp), "sha256": hashlib.sha256(comp).hexdigest(), "raw_bytes": len(raw),
            "raw_sha256": hashlib.sha256(raw).hexdigest(),
            "packages": len(real), "names": len(names),
            "provided_names": len(provides), "installed_size_missing": missing_is}


def dump_catalogue(path, doc):
    """JSON with one base per line, for readable diffs."""
    def j(o):
        return json.dumps(o, ensure_ascii=False, separators=(",", ":"))
    lines = ["{"]
    lines.append(' "about": ' + json.dumps(doc["about"], ensure_ascii=False, indent=1).replace("\n", "\n ") + ",")
    lines.append(' "bases": {')
    items = list(doc["bases"].items())
    for i, (k, v) in enumerate(items):
        meta = {kk: vv for kk, vv in v.items() if kk != "packages"}
        body = j(meta)[:-1] + ',"packages":' + j(v["packages"]) + "}"
        lines.append("  " + j(k) + ": " + body + ("," if i < len(items) - 1 else ""))
    lines.append(" }")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # self-check
    with open(path, "w") as f:
        f.write(text)
    return len(text.encode())


# ---------------------------------------------------------------------------
# Doc-fraction measurement

def excluded(path):
    """dpkg filter semantics: rules in file order (excludes, then includes), last match wins;
    '*' matches '/' too (fnmatch without FNM_PATHNAME)."""
    p = "/" + path.lstrip("./").lstrip("/") if not path.startswith("/") else path
    state = False
    for pat in SLIM_EXCLUDES:
        if fnmatch.fnmatchcase(p, pat):
            state = True
    if state:
        for pat in SLIM_INCLUDES:
            if fnmatch.fnmatchcase(p, pat):
                state = False
    return state


def deb_members(data):
    """Yield (name, bytes) of the members of an ar archive."""
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


def list_data_tar(deb):
    for name, body in deb_members(deb):
        if name.startswith("data.tar"):
            try:
                with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as t:
                    return [(m.name, m.size) for m in t.getmembers() if m.isreg()]
            except tarfile.ReadError:
                break
    # e.g. data.tar.zst: fall back to dpkg-deb if present
    with tempfile.NamedTemporaryFile(suffix=".deb") as tf:
        tf.write(deb)
        tf.flush()
        out = subprocess.run(["dpkg-deb", "--fsys-tarfile", tf.name], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(out), mode="r:") as t:
        return [(m.name, m.size) for m in t.getmembers() if m.isreg()]


def measure_docs(n, suite, arch, pkgs, closure_beyond, mirror, cache_dir, refresh, budget_bytes):
    # evenly spaced over the packages ordered by Installed-Size (then name), so that small
    # and large packages are both represented and name clusters (node-*) do not dominate
    names = sorted(closure_beyond, key=lambda q: (int(pkgs[q].get("Installed-Size") or 0), q))
    if not names or n <= 0:
        return []
    step = len(names) / n
    sample = [names[int(i * step + step / 2)] for i in range(n)]
    out = []
    total = 0
    for name in sample:
        st = pkgs[name]
        size = int(st.get("Size") or 0)
        if total + size > budget_bytes:
            log(f"  skip {name}: download budget reached")
            continue
        url = f"{mirror}/{st['Filename']}"
        deb, meta = fetch(url, os.path.join(cache_dir, "debs"), refresh)
        total += len(deb)
        files = list_data_tar(deb)
        tot = sum(s for _, s in files)
        exc = sum(s for p, s in files if excluded(p))
        by_dir = {}
        for p, s in files:
            if excluded(p):
                d = "/" + "/".join(p.lstrip("./").split("/")[:3])
                by_dir[d] = by_dir.get(d, 0) + s
        out.append({
            "package": name, "version": st["Version"], "suite": suite, "arch": arch,
            "url": url, "downloaded": meta.get("downloaded"),
            "installed_size_kib": int(st.get("Installed-Size") or 0),
            "file_bytes": tot, "excluded_bytes": exc,
            "fraction": round(exc / tot, 4) if tot else None,
            "excluded_by_dir": dict(sorted(by_dir.items(), key=lambda kv: -kv[1])),
        })
    return out


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (resources/catalogue/debian)")
    ap.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME") or
                                                    os.path.expanduser("~/.cache"), "slimbench-debian"))
    ap.add_argument("--mirror", default=DEFAULT_MIRROR)
    ap.add_argument("--base-images", default="/work/shared/data/base-images.json")
    ap.add_argument("--suites", default=",".join(SUITES))
    ap.add_argument("--arches", default=",".join(ARCHES))
    ap.add_argument("--measure-docs", type=int, default=30,
                    help="number of .deb files to sample for the doc fraction (0: skip, keep existing)")
    ap.add_argument("--measure-suites", default="trixie/amd64,bookworm/amd64",
                    help="suite/arch pairs to sample (comma-separated); --measure-docs packages each")
    ap.add_argument("--download-budget-mb", type=float, default=400)
    ap.add_argument("--refresh", action="store_true", help="ignore the download cache")
    ap.add_argument("--zstd-level", type=int, default=19, help="zstd level of the package tables")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    generated = utcnow().date().isoformat()
    bi = load_base_images(args.base_images)
    if bi is None:
        log(f"warning: {args.base_images} not found; recorded base lists are skipped")
    suites = [s for s in args.suites.split(",") if s]
    arches = [a for a in args.arches.split(",") if a]

    indexes = {}
    pkgs_by_sa, res_by_sa = {}, {}
    for suite in suites:
        rel_url = f"{args.mirror}/dists/{suite}/Release"
        rel_data, rel_meta = fetch(rel_url, args.cache, args.refresh)
        rel, sha = parse_release(rel_data.decode())
        for arch in arches:
            rpath = f"main/binary-{arch}/Packages.xz"
            url = f"{args.mirror}/dists/{suite}/{rpath}"
            data, meta = fetch(url, args.cache, args.refresh)
            digest = hashlib.sha256(data).hexdigest()
            if rpath in sha and sha[rpath][0] != digest:
                if meta.get("from_cache"):
                    log(f"  {url}: cached copy does not match Release, refetching")
                    data, meta = fetch(url, args.cache, True)
                    digest = hashlib.sha256(data).hexdigest()
                if sha[rpath][0] != digest:
                    sys.exit(f"error: SHA256 of {url} does not match {rel_url}")
            pkgs, provides, dups = load_index(data)
            log(f"{suite}/{arch}: {len(pkgs)} packages, {len(provides)} virtual names, {dups} duplicate stanzas")
            indexes[(suite, arch)] = {
                "source": url, "release_url": rel_url, "release_date": rel.get("Date"),
                "release_version": rel.get("Version"), "release_suite": rel.get("Suite"),
                "downloaded": meta.get("downloaded"), "release_downloaded": rel_meta.get("downloaded"),
                "sha256": digest, "sha256_verified_against_release": rpath in sha,
            }
            pkgs_by_sa[(suite, arch)] = pkgs
            res_by_sa[(suite, arch)] = Resolver(pkgs, provides)

    grounded = grounded_runtime_libs(bi, pkgs_by_sa, res_by_sa) if bi else {}
    if grounded:
        log(f"python slim runtime libraries (grounded, trixie/amd64): {' '.join(grounded['names'])}")

    summary = {}
    alts_of_all = {}
    for (suite, arch), pkgs in pkgs_by_sa.items():
        res = res_by_sa[(suite, arch)]
        bases, slim, bpd, pyslim_layer = build_bases(suite, arch, pkgs, res, bi, grounded)
        add_recorded(bases, suite, arch, pkgs, res, bi)

        # seeds
        seeds, missing, seed_resolution = [], [], {}
        for alts in SEEDS:
            cands = res.candidates(alts)
            if not cands:
                if len(alts) == 1:
                    missing.append(alts[0])
                else:
                    missing.append(" | ".join(alts))
                continue
            chosen = next((a for a in alts if a in pkgs), None) or cands[0]
            if chosen not in alts:
                seed_resolution[alts[0]] = chosen
                res.used_virtuals.setdefault(alts[0], set()).add(chosen)
            elif chosen != alts[0]:
                seed_resolution[" | ".join(alts)] = chosen
            if chosen not in seeds:
                seeds.append(chosen)

        # per-package dependency lists as apt resolves them on top of debian:<suite>-slim
        deps = {}
        alts_of = {}
        recs = {}
        ralts_of = {}

        def resolve_groups(p, groups):
            lst, alt = [], {}
            for grp in groups:
                c, cands = res.choose(grp, slim)
                if c is None or c == p:
                    continue  # a Recommends that main cannot satisfy is skipped by apt too
                if c not in lst:
                    lst.append(c)
                others = [x for x in cands if x != c and x != p]
                if len(cands) > 1 and others:
                    alt.setdefault(c, [])
                    alt[c] += [x for x in others if x not in alt[c]]
            return lst, alt

        def resolve_pkg(p):
            if p in deps:
                return
            deps[p], alt = resolve_groups(p, pkgs[p]["_deps"])
            if alt:
                alts_of[p] = alt
            recs[p], ralt = resolve_groups(p, pkgs[p]["_recs"])
            if ralt:
                ralts_of[p] = ralt

        roots = set(seeds)
        for b in bases.values():
            roots |= set(b["packages"])
        closure = set()
        todo = sorted(roots)
        while todo:
            p = todo.pop()
            if p in closure:
                continue
            closure.add(p)
            resolve_pkg(p)
            todo.extend(d for d in deps[p] if d not in closure)
        # Recommends: apt-get install without --no-install-recommends installs the Recommends
        # of every package it newly installs (APT::Install-Recommends applies to the whole
        # dependency walk), so the records of the packages reachable from the seeds over
        # Depends and Recommends are kept too. Packages of the base sets are already
        # installed on their images: their Recommends are not followed from them.
        dep_closure = set(closure)
        todo = sorted(set(seeds))
        seen = set()
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            resolve_pkg(p)
            closure.add(p)
            todo.extend(d for d in deps[p] + recs[p] if d not in seen)
        rec_only = closure - dep_closure

        # The whole archive: every package of the index, its dependency lists resolved the same
        # way. The closure above only picks the doc-fraction sample and the sanity probes, and
        # fixes the order of the providers of the virtual names it met (as before the whole
        # archive was shipped, so estimates through those names stay as they were).
        old_virtuals = {v: set(c) for v, c in res.used_virtuals.items()}
        old_closure = set(closure)
        for p in sorted(pkgs):
            resolve_pkg(p)
        provides = {}
        for v in sorted(res.provides):
            provs = set(res.provides[v])
            if v in old_virtuals:
                chosen = old_virtuals[v]
                provides[v] = sorted(provs, key=lambda q: (q not in chosen, q not in old_closure, q))
            else:
                first, _ = res.choose([v], slim) if v not in pkgs else (None, None)
                provides[v] = sorted(provs, key=lambda q: (q != first, res.prio(q), q))
        table_path = os.path.join(args.out, f"{suite}-{arch}.pkgs.zst")
        table = write_table(table_path, pkgs, deps, alts_of, recs, ralts_of, provides, args.zstd_level)

        # checks of derived bases against recorded lists
        checks = {}
        dchk = bases[f"debian:{suite}-slim"].get("check")
        if dchk:
            checks[f"debian:{suite}-slim vs recorded list"] = dchk
        rec_slim = bases.get("python:3.12-slim-trixie")
        if rec_slim:
            d = set(bases[f"python:3.x-slim-{suite}"]["packages"])
            r = set(rec_slim["packages"])
            checks["python:3.x-slim-trixie vs recorded python:3.12-slim-trixie"] = {
                "only_derived": sorted(d - r), "only_recorded": sorted(r - d)}
        rec_full = bases.get("python:3.12-trixie")
        if rec_full:
            d = set(bases[f"python:3.x-{suite}"]["packages"])
            r = set(rec_full["packages"])
            checks["python:3.x-trixie vs recorded python:3.12-trixie"] = {
                "only_derived": sorted(d - r), "only_recorded": sorted(r - d)}

        info = indexes[(suite, arch)]
        about = {
            "source": info["source"],
            "release_url": info["release_url"],
            "release_date": info["release_date"],
            "release_version": info["release_version"],
            "downloaded": info["downloaded"],
            "sha256": info["sha256"],
            "sha256_verified_against_release": info["sha256_verified_against_release"],
            "generated": generated,
            "generator": GENERATOR,
            "suite": suite, "arch": arch, "component": "main",
            "units": {"installed_size": "KiB as in the Installed-Size field (dpkg: 1024 bytes)",
                      "size": "bytes of the .deb"},
            "table": table,
            "fields": {
                "version": "Version", "installed_size": "Installed-Size (KiB); flagged when the stanza has none",
                "size": "Size (bytes of the .deb)",
                "depends": "Depends + Pre-Depends (not Recommends), one package per or-group, resolved as "
                           "apt would on top of this suite's debian slim base: an alternative already in "
                           "that base wins, else the first alternative that exists, else a package that "
                           "Provides it (higher Priority, then name); version constraints and :any/:native "
                           "qualifiers are ignored; an or-group that main cannot satisfy is dropped",
                "recommends": "Recommends, resolved like depends; apt-get install without "
                              "--no-install-recommends installs them for every package it newly installs "
                              "(APT::Install-Recommends is followed through the whole walk, not only for the "
                              "requested names)",
                "alternatives": "per resolved or-group, the other existing candidates of that group in "
                                "preference order (only where there are any). When expanding a closure, skip "
                                "the chosen package if one of its alternatives is already in the set "
                                "(installed base or picked earlier) - that is what apt does",
                "provides": "every name that some package Provides -> the real packages that Provide it, "
                            "apt's pick on this suite's slim base first (for the names the seed closure "
                            "met: the provider chosen there first, then those in that closure, then by "
                            "name; otherwise: the provider already in the slim base, else by Priority, "
                            "then name)",
                "dropped": "Priority, Essential, Section, Multi-Arch, Filename, Source: the estimate never "
                           "reads them (Priority and Essential are used here, to derive the base sets)",
                "bases": "package sets of official images; an apt-get install on such an image costs "
                         "the closure (following depends) of the requested packages minus the base set",
            },
            "scope": "every binary package of main in this index (all of the archive for this suite/arch); "
                     "the seed list below is only checked (missing) and used to pick the doc-fraction sample",
            "seeds": seeds,
            "seed_resolution": seed_resolution,
            "missing": missing,
            "checks": checks,
            "not_included": "Suggests; contrib and non-free; -updates and -security suites (the images are built "
                            "from snapshot mirrors incl. security, so some versions in them are newer)",
        }
        doc = {"about": about, "bases": bases}
        path = os.path.join(args.out, f"{suite}-{arch}.json")
        nbytes = dump_catalogue(path, doc)
        log(f"wrote {path} ({nbytes} bytes) and {table_path}: {table['packages']} packages, "
            f"{table['names']} names, {table['raw_bytes']} bytes -> {table['bytes']} compressed")
        # Recommends probe: what the same installs pull in without --no-install-recommends
        have = set(bases[f"debian:{suite}-slim"]["packages"])
        row = []
        for pr in ("curl", "git", "python3", "python3-pip", "build-essential"):
            if pr not in closure:
                continue
            plain = estimate_closure(pr, have, deps, alts_of)
            withr = estimate_closure(pr, have, {k: deps[k] + recs.get(k, []) for k in deps},
                                     {k: {**alts_of.get(k, {}), **ralts_of.get(k, {})} for k in deps})
            row.append(f"{pr}={kib(pkgs, plain) / 1024:.1f}->{kib(pkgs, withr) / 1024:.1f}MiB "
                       f"({len(plain)}->{len(withr)}p)")
        log(f"  with Recommends on debian:{suite}-slim: " + ", ".join(row))
        summary[(suite, arch)] = (pkgs, res, slim, bases, closure, deps)
        alts_of_all[(suite, arch)] = alts_of

    # sanity figures
    print("\nSanity: Installed-Size of `apt-get install --no-install-recommends X` beyond a base "
          "(sum of Installed-Size, KiB -> MiB)")
    probes = ["build-essential", "gcc", "libpq-dev", "gfortran", "default-libmysqlclient-dev",
              "libgdal-dev", "python3-dev", "libopenblas-dev", "git", "curl"]
    print("(closure follows the catalogue's dep lists, as the estimator will; '*' marks a probe where "
          "resolving afresh against the base picks a different set)")
    for (suite, arch), (pkgs, res, slim, bases, closure, deps) in summary.items():
        for bname in (f"debian:{suite}-slim", f"python:3.x-slim-{suite}", f"python:3.x-{suite}"):
            have = set(bases[bname]["packages"])
            row = []
            for pr in probes:
                cands = res.candidates([pr])
                if not cands or cands[0] not in closure:
                    row.append(f"{pr}=n/a")
                    continue
                add = estimate_closure(cands[0], have, deps, alts_of_all[(suite, arch)])
                new, _ = res.closure([pr], have)
                mark = "" if (new - have) == add else "*"
                row.append(f"{pr}={kib(pkgs, add) / 1024:.1f}MiB/{len(add)}p{mark}")
            print(f"{suite}-{arch} on {bname} ({len(have)} pkgs, {kib(pkgs, have) / 1024:.1f} MiB): " + ", ".join(row))

    # doc fraction
    ex_path = os.path.join(args.out, "dpkg-excludes.json")
    measured = []
    old_rule = None
    pairs = [tuple(x.split("/")) for x in args.measure_suites.split(",") if x]
    if args.measure_docs > 0:
        for ms, ma in pairs:
            if (ms, ma) not in summary:
                continue
            pkgs, res, slim, bases, closure, deps = summary[(ms, ma)]
            beyond = closure - slim
            log(f"measuring doc fraction on {args.measure_docs} packages of {ms}/{ma}")
            measured += measure_docs(args.measure_docs, ms, ma, pkgs, beyond, args.mirror, args.cache,
                                     args.refresh, args.download_budget_mb * 1e6 / max(1, len(pairs)))
    elif os.path.exists(ex_path):
        with open(ex_path) as f:
            old_measurement = json.load(f).get("measurement", {})
        measured = old_measurement.get("sample", [])
        old_rule = old_measurement.get("sample_rule")
    fr = [m["fraction"] for m in measured if m.get("fraction") is not None]
    tot = sum(m["file_bytes"] for m in measured)
    exc = sum(m["excluded_bytes"] for m in measured)
    q = statistics.quantiles(fr, n=4) if len(fr) >= 4 else None
    per_suite = {}
    for m in measured:
        k = f"{m['suite']}/{m['arch']}"
        per_suite.setdefault(k, []).append(m)
    by_suite = {}
    for k, ms_ in per_suite.items():
        f_ = [m["fraction"] for m in ms_ if m.get("fraction") is not None]
        t_ = sum(m["file_bytes"] for m in ms_)
        e_ = sum(m["excluded_bytes"] for m in ms_)
        by_suite[k] = {"n": len(f_), "median": round(statistics.median(f_), 4) if f_ else None,
                       "quartiles": [round(x, 4) for x in statistics.quantiles(f_, n=4)] if len(f_) >= 4 else None,
                       "bytes_weighted": round(e_ / t_, 4) if t_ else None}
    ex = {
        "about": {
            "source": "debian docker slim images: /etc/dpkg/dpkg.cfg.d/docker, from debuerreotype's "
                      "slimification (debuerreotype-slimify)",
            "read_from": "github.com/debuerreotype/debuerreotype scripts/.slimify-excludes (commit "
                         "fe6f344f2b679b2f631ffd30bd241d169a3acf1d) and scripts/.slimify-includes (commit "
                         "06d6c488dc08e620a141b82c0daba260cc216e7a); scripts/debuerreotype-slimify writes "
                         "one 'path-exclude' line per exclude, then one 'path-include' line per include",
            "semantics": "dpkg --path-exclude/--path-include: rules apply in order and the last matching "
                         "one wins, so the includes re-include paths; '*' also matches '/'. The rules "
                         "apply to every apt-get install on top of a debian:*-slim image (python:*-slim). "
                         "They are NOT present in debian:<suite> (non-slim), buildpack-deps or python:3.x "
                         "(full), where packages install completely.",
            "caveat": "An older stored version of .slimify-excludes (commit "
                      "20439a169d640f6ea91365b82ba207da02f11b5b) also excluded /usr/share/groff/* and "
                      "lacked the kde/gnome/omf lines; in the version used here /usr/share/groff/* is "
                      "commented out with a reference to debuerreotype issue #87. The commit dates were "
                      "not read, so which one the 2026 images use is not verified.",
            "generated": generated, "generator": GENERATOR,
        },
        "path_exclude": SLIM_EXCLUDES,
        "path_include": SLIM_INCLUDES,
        "model": {
            "formula": "installed_bytes_on_slim ~= Installed-Size * 1024 * (1 - doc_fraction)",
            "doc_fraction_median": round(statistics.median(fr), 4) if fr else None,
            "doc_fraction_quartiles": [round(x, 4) for x in q] if q else None,
            "doc_fraction_min_max": [min(fr), max(fr)] if fr else None,
            "doc_fraction_bytes_weighted": round(exc / tot, 4) if tot else None,
            "n": len(fr),
            "by_suite": by_suite,
            "note": "fraction = bytes of regular files in the .deb's data.tar that the rules exclude / "
                    "bytes of all regular files in it; per package it varies widely (see sample), so "
                    "use the quartiles as the uncertainty. Installed-Size itself is dpkg's estimate "
                    "(file sizes rounded up to KiB, plus entries), so it is a little larger than "
                    "file_bytes.",
        } if fr else {"note": "not measured"},
        "measurement": {
            "sample_rule": old_rule or (
                f"per suite/arch ({args.measure_suites}): {args.measure_docs} packages evenly "
                "spaced by Installed-Size rank over that catalogue's closure minus "
                "debian:<suite>-slim (what users add on a slim image); each .deb downloaded "
                "from the mirror and its data.tar listed"),
            "sample": measured,
        },
    }
    # independent whole-image data point: debian:<suite> vs debian:<suite>-slim on disk
    if bi:
        vs = {(i["tag"], i["arch"]): i.get("virtual_size_bytes") for i in bi.get("images", [])}
        pts = {}
        for suite in suites:
            full, slim_ = vs.get((f"debian:{suite}", "amd64")), vs.get((f"debian:{suite}-slim", "amd64"))
            if full and slim_:
                pts[suite] = {"debian_full_virtual_bytes": full, "debian_slim_virtual_bytes": slim_,
                              "removed_fraction": round(1 - slim_ / full, 4)}
                if (suite, "amd64") in summary:
                    pk, _, sl, _, _, _ = summary[(suite, "amd64")]
                    pts[suite]["minbase_installed_size_bytes"] = kib(pk, sl) * 1024
        if pts:
            ex["whole_image_check"] = {
                "source": "virtual_size_bytes (amd64) of debian:<suite> and debian:<suite>-slim in "
                          "/work/shared/data/base-images.json (docker-library/repo-info); same package "
                          "set, slim has the rules applied, so removed_fraction is the share of the "
                          "minbase that the slim rules drop (base packages carry many locale files, "
                          "so this is higher than for typical added packages)",
                "by_suite": pts,
                "not_available": [s_ for s_ in suites if s_ not in pts],
            }
    with open(ex_path, "w") as f:
        json.dump(ex, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if fr:
        print(f"\ndoc fraction over {len(fr)} packages: median {statistics.median(fr):.4f}, "
              f"quartiles {q}, bytes-weighted {exc / tot:.4f}")
    log(f"wrote {ex_path}")


if __name__ == "__main__":
    main()
