#!/usr/bin/env python3
"""Convert the shared wheel facts into slimbench's embedded Python catalogues.

  python3 scripts/convert-wheels.py [DATA_DIR] [OUT_DIR]

DATA_DIR defaults to ../shared/data (beside the repository), OUT_DIR to
resources/catalogue. Reads wheels.json (one version per package) and
wheels-extra.json (every version some public lock file pins). Writes:
  pypi-wheels.json.zst        per package: every version known, each with its sdist
                              size, wheels, dependencies, extras' dependencies and
                              the lock files it comes from (zstd-compressed JSON,
                              one package per line; `zstd -dc` shows it)
  installed-size-model.json   measured installed/compressed ratios, with source, and the
                              wheels whose installed size was measured (per package)

Nothing is invented: every value is copied from the input; absent facts stay
absent. Long keys become short ones (the "keys" legend in the output says what
each means), lock files are referenced by index into "locks" and wheel tags by
index into "tags" to keep the embedded file small. derived_flags, upload times
and download ranks are dropped: the estimate never reads them (the flags are
computed from the filenames that are kept). Needs the zstd command.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "resources", "catalogue")

KEYS = {
    "v": "version",
    "sd": "sdist_size (compressed bytes; null: no sdist in the lock)",
    "w": "wheels: [filename, compressed size in bytes]",
    "d": "dependencies: [name, marker or null, [extras]] from the lock entry (absent: not known)",
    "od": "optional_dependencies: {extra: [same form as d]} (only extras some project requested)",
    "dx": "dependencies_only_in_other_locks: [name, marker, extras, lock index]",
    "s": "source: lock index (into locks) of the entry with the most wheels",
    "reg": "registry of the source entry",
    "via": "how the source was read, when not a plain fetch",
    "os": "other_sources: lock indexes (up to 10) locking the same version",
    "ors": "registries of other_sources, when not the same as reg",
    "ns": "n_sources",
    "rp": "lock_requires_python of the contributing locks",
    "py": "python_minors_covered_by_sources",
    "up": "upload_time",
    "rank": "pypi_download_rank",
    "partial": "wheel_list_may_be_partial",
    "older": "older_version_with_fuller_wheel_list (version, sdist, wheels in the same short form)",
    "ds": "dependencies_source: lock index",
    "dsn": "dependencies_source note",
    "note": "note",
}

KEYS_OUT = {
    "packages": "name -> [release, ...] newest first, one package per line",
    "v": "version",
    "sd": "sdist_size (compressed bytes; null: no sdist in the locks)",
    "ws": "stem of the wheel file names (name-version[-build])",
    "w": "wheels: [index into tags, compressed size] (file name = ws-tag.whl) or [file name, size]",
    "d": "dependencies: [name, marker, extras] (trailing empty ones left out) from a lock entry (absent: not known)",
    "od": "optional_dependencies: {extra: [same form as d]} (only extras some locked project requested)",
    "s": "sources: indexes into locks of the lock files that lock this version (first: the one the wheels.json "
         "record was read from, when there is one)",
    "fm": "the marker the contributing lock put on every dependency of this version (its resolution's fork, "
          "e.g. python_full_version < '3.8'), not the package's own: left off the dependencies (scripts/convert-wheels.py "
          "fork_marker says how it is told apart)",
    "partial": "1: wheel_list_may_be_partial (compiled, and the contributing locks do not all reach back to "
               "Python 3.10 or restrict environments)",
    "locks": "[repository, path, commit] of each lock file",
    "tags": "wheel tag triples (python-abi-platform)",
}

locks = []
lock_index = {}


def lock(src):
    key = (src.get("repository"), src.get("path"), src.get("commit"))
    if key not in lock_index:
        lock_index[key] = len(locks)
        locks.append(list(key))
    return lock_index[key]


def dep(d, with_lock=False):
    out = [d["name"], d.get("marker"), d.get("extra", [])]
    if with_lock:
        out.append(lock(d["lock"]))
    extra_keys = set(d) - {"name", "marker", "extra", "lock"}
    if extra_keys:
        raise SystemExit(f"unexpected dependency fields {extra_keys}")
    return out


def short_dep(d):
    """[name, marker, extras] without trailing empties: [name], [name, marker], [name, null, extras]."""
    name, marker, extras = d
    if extras:
        return [name, marker, extras]
    return [name, marker] if marker else [name]


def wheels(ws):
    return [[w["filename"], w["size"]] for w in ws]


KNOWN = {"version", "sdist_size", "wheels", "source", "other_sources", "n_sources",
         "lock_requires_python", "python_minors_covered_by_sources", "upload_time",
         "derived_flags", "dependencies", "dependencies_source", "pypi_download_rank",
         "wheel_list_may_be_partial", "optional_dependencies",
         "older_version_with_fuller_wheel_list", "dependencies_only_in_other_locks", "note"}


def package(p):
    unknown = set(p) - KNOWN
    if unknown:
        raise SystemExit(f"unexpected package fields {unknown}: update the converter")
    r = {"v": p["version"], "sd": p["sdist_size"], "w": wheels(p["wheels"])}
    if "dependencies" in p:
        r["d"] = [dep(d) for d in p["dependencies"]]
    if "optional_dependencies" in p:
        r["od"] = {k: [dep(d) for d in v] for k, v in p["optional_dependencies"].items()}
    if "dependencies_only_in_other_locks" in p:
        r["dx"] = [dep(d, True) for d in p["dependencies_only_in_other_locks"]]
    src = p["source"]
    r["s"] = lock(src)
    r["reg"] = src.get("registry")
    if "via" in src:
        r["via"] = src["via"]
    if p["other_sources"]:
        r["os"] = [lock(o) for o in p["other_sources"]]
        regs = [o.get("registry") for o in p["other_sources"]]
        if any(x != src.get("registry") for x in regs):
            r["ors"] = regs
    r["ns"] = p["n_sources"]
    r["rp"] = p["lock_requires_python"]
    r["py"] = p["python_minors_covered_by_sources"]
    r["up"] = p["upload_time"]
    if "pypi_download_rank" in p:
        r["rank"] = p["pypi_download_rank"]
    if p.get("wheel_list_may_be_partial"):
        r["partial"] = True
    if "older_version_with_fuller_wheel_list" in p:
        o = dict(p["older_version_with_fuller_wheel_list"])
        short = {"v": o.pop("version"), "sd": o.pop("sdist_size", None), "w": wheels(o.pop("wheels", []))}
        short.update(o)  # anything else (source, note) kept verbatim
        r["older"] = short
    if "dependencies_source" in p:
        ds = p["dependencies_source"]
        r["ds"] = lock(ds)
        if "note" in ds:
            r["dsn"] = ds["note"]
    if "note" in p:
        r["note"] = p["note"]
    return r


def tags_of(filename):
    """(stem, tags) of a wheel filename: 'a_b-1.0-py3-none-any.whl' -> ('a_b-1.0', 'py3-none-any')."""
    if not filename.endswith(".whl"):
        return None
    parts = filename[:-4].split("-")
    if len(parts) < 5:
        return None
    return "-".join(parts[:-3]), "-".join(parts[-3:])


def lowest_minor(requires_python):
    """Lowest CPython 3 minor a lock's requires-python allows (None: not read)."""
    if not requires_python:
        return None
    lows = []
    for op, minor in re.findall(r"(>=|==|~=|>)\s*3\.(\d+)", requires_python):
        lows.append(int(minor) + (1 if op == ">" else 0))
    return max(lows) if lows else None


def merged_catalogue():
    """wheels.json (one version per package) merged with wheels-extra.json (every version seen)."""
    with open(os.path.join(DATA, "wheels.json"), encoding="utf-8") as f:
        base = json.load(f)
    extra_path = os.path.join(DATA, "wheels-extra.json")
    extra = {"packages": {}, "sources": [], "about": {}}
    if os.path.exists(extra_path):
        with open(extra_path, encoding="utf-8") as f:
            extra = json.load(f)
    # name -> version -> record in the embedded short form (before interning)
    out = {}
    for name, p in base["packages"].items():
        r = package(p)
        out.setdefault(name, {})[p["version"]] = {
            "sd": r["sd"], "w": {w[0]: w[1] for w in r["w"]},
            "d": r.get("d"), "od": r.get("od", {}),
            "s": [r["s"]] + r.get("os", []), "partial": bool(r.get("partial")), "from": {"wheels.json"}}
    xsrc = extra.get("sources", [])
    for s in xsrc:
        lock(s)
    for name, p in extra["packages"].items():
        unknown = set(p) - {"versions", "pypi_download_rank"}
        if unknown:
            raise SystemExit(f"unexpected wheels-extra package fields {unknown}: update the converter")
        for ver, v in p["versions"].items():
            unknown = set(v) - {"sdist_size", "wheels", "upload_time", "dependencies", "optional_dependencies",
                                "sources", "derived_flags", "registries"}
            if unknown:
                raise SystemExit(f"unexpected wheels-extra version fields {unknown}: update the converter")
            srcs = [lock(xsrc[i]) for i in v["sources"]]
            deps = [dep(d) for d in v["dependencies"]]
            od = {k: [dep(d) for d in ds] for k, ds in v.get("optional_dependencies", {}).items()}
            # Same rule as wheels.json's wheel_list_may_be_partial: a compiled release whose
            # contributing locks do not all reach back to Python 3.10, or restrict environments.
            flags = v["derived_flags"]
            compiled = not flags["pure_python"] and bool(v["wheels"])
            lows = [lowest_minor(xsrc[i].get("requires_python")) for i in v["sources"]]
            narrow = all(lo is None or lo > 10 for lo in lows) or any(xsrc[i].get("environments") for i in v["sources"])
            rec = out.setdefault(name, {}).get(ver)
            if rec is None:
                out[name][ver] = {"sd": v["sdist_size"], "w": {w["filename"]: w["size"] for w in v["wheels"]},
                                  "d": deps, "od": od, "s": srcs, "partial": compiled and narrow,
                                  "from": {"wheels-extra.json"}}
                continue
            # The same version in both: union of files (wheels-extra checked every shared file has
            # the same size), the dependency list of wheels-extra (the lock entry with the most
            # wheels over more locks) when wheels.json had none, extras from both.
            for w in v["wheels"]:
                rec["w"].setdefault(w["filename"], w["size"])
            if rec["sd"] is None:
                rec["sd"] = v["sdist_size"]
            if rec["d"] is None:
                rec["d"] = deps
            for k, ds in od.items():
                rec["od"].setdefault(k, ds)
            rec["s"] += [x for x in srcs if x not in rec["s"]]
            rec["from"].add("wheels-extra.json")
    return base, extra, out


PY_ONLY = re.compile(r"^\(?python_(full_)?version\s*(<=?|==|!=|>=?|~=)\s*'[0-9.a-z*]+'"
                     r"(\s+(and|or)\s+python_(full_)?version\s*(<=?|==|!=|>=?|~=)\s*'[0-9.a-z*]+')*\)?$")


def fork_marker(name, ver, versions):
    """The marker a lock's resolution fork put on every dependency of this version, or None.

    uv locks a version used only in one fork of its resolution (requests 2.31.0 kept for
    Python < 3.8 beside a newer one) with that fork's marker on each of its edges: requests
    2.31.0 reads `certifi; python_full_version < '3.8'`, ..., which on any newer Python would
    drop every dependency. Told apart from a real marker (tomli; python_version < '3.11') by
    shape: two or more dependencies, all with the same marker that tests only the Python
    version, and another version of the package lists at least half of them unconditionally.
    """
    deps = versions[ver]["d"]
    if not deps or len(deps) < 2:
        return None
    markers = {d[1] for d in deps}
    if len(markers) != 1:
        return None
    m = next(iter(markers))
    if not m or not PY_ONLY.match(m):
        return None
    names = {d[0] for d in deps}
    for other, rec in versions.items():
        if other == ver or not rec["d"]:
            continue
        plain = {d[0] for d in rec["d"] if not d[1]}
        if len(names & plain) * 2 >= len(names):
            return m
    return None


def version_key(v):
    """Newest first without third-party packaging: numeric release segments, then the rest."""
    m = re.match(r"^(\d+(?:\.\d+)*)(.*)$", v)
    if not m:
        return ((), 1, v)
    nums = tuple(int(x) for x in m.group(1).split("."))
    while nums and nums[-1] == 0:
        nums = nums[:-1]
    rest = m.group(2)
    # final releases sort after pre-releases of the same number; post releases after finals
    kind = 1 if rest == "" else (2 if rest.startswith((".post", "post", "-")) else 0)
    return (nums, kind, rest)


def main():
    base, extra, merged = merged_catalogue()
    about = dict(base["about"])
    xa = extra.get("about", {})
    about["method"] = (base["about"]["method"] + " Merged with wheels-extra.json (" + xa.get("gathered", "?") +
                       "): " + xa.get("method", ""))
    about["extra_about"] = {k: xa[k] for k in ("what", "gathered", "sizes_note", "caveats", "stats", "size_conflicts") if k in xa}
    about["converted_by"] = ("scripts/convert-wheels.py from wheels.json and wheels-extra.json: every version either "
                             "file holds (the same version in both: union of wheel files, extras of both); "
                             "derived_flags, upload times, ranks and per-lock details dropped (the estimate never "
                             "reads them); wheel file names stored as stem + index into tags; keys shortened, see keys; "
                             "compressed with zstd")
    tags, tag_index = [], {}

    def tag(t):
        if t not in tag_index:
            tag_index[t] = len(tags)
            tags.append(t)
        return tag_index[t]

    pkgs = {}
    fork_fixed = []
    for name in sorted(merged):
        rels = []
        for ver in sorted(merged[name], key=version_key, reverse=True):
            rec = merged[name][ver]
            r = {"v": ver, "sd": rec["sd"]}
            stems = {}
            for fn in rec["w"]:
                st = tags_of(fn)
                if st:
                    stems[st[0]] = stems.get(st[0], 0) + 1
            stem = max(stems, key=stems.get) if stems else None
            if stem:
                r["ws"] = stem
            ws = []
            for fn, size in sorted(rec["w"].items()):
                st = tags_of(fn)
                ws.append([tag(st[1]), size] if st and st[0] == stem else [fn, size])
            r["w"] = ws
            if rec["d"] is not None:
                fm = fork_marker(name, ver, merged[name])
                if fm:
                    # The lock's fork marker is not the package's: the dependencies hold on every
                    # Python (the marker is kept in "fm" for the record).
                    r["d"] = [short_dep([d[0], None, d[2]]) for d in rec["d"]]
                    r["fm"] = fm
                    fork_fixed.append(f"{name} {ver}")
                else:
                    r["d"] = [short_dep(d) for d in rec["d"]]
            if rec["od"]:
                r["od"] = {k: [short_dep(d) for d in v] for k, v in sorted(rec["od"].items())}
            r["s"] = rec["s"]
            if rec["partial"]:
                r["partial"] = 1
            rels.append(r)
        pkgs[name] = rels
    keys = dict(KEYS_OUT)
    lines = ["{", '"about": ' + json.dumps(about, ensure_ascii=False, separators=(",", ":")) + ",",
             '"keys": ' + json.dumps(keys, separators=(",", ":")) + ",",
             '"tags": ' + json.dumps(tags, separators=(",", ":")) + ",",
             '"locks": [']
    lines += [json.dumps(l, separators=(",", ":")) + ("," if i + 1 < len(locks) else "") for i, l in enumerate(locks)]
    lines.append("],")
    lines.append('"packages": {')
    items = list(pkgs.items())
    for i, (name, r) in enumerate(items):
        lines.append(json.dumps(name) + ":" + json.dumps(r, ensure_ascii=False, separators=(",", ":"))
                     + ("," if i + 1 < len(items) else ""))
    lines.append("}}")
    os.makedirs(OUT, exist_ok=True)
    text = ("\n".join(lines) + "\n").encode("utf-8")
    # One package per line: the loader indexes the lines and parses a package only when asked.
    z = subprocess.run(["zstd", "-19", "-q", "-c", f"--stream-size={len(text)}"], input=text, stdout=subprocess.PIPE, check=True).stdout
    with open(os.path.join(OUT, "pypi-wheels.json.zst"), "wb") as f:
        f.write(z)
    old = os.path.join(OUT, "pypi-wheels.json")
    if os.path.exists(old):
        os.remove(old)
    nver = sum(len(r) for r in pkgs.values())
    nwhl = sum(len(x["w"]) for r in pkgs.values() for x in r)
    print(f"fork markers left off the dependencies of {len(fork_fixed)} versions (e.g. {', '.join(fork_fixed[:5])})",
          file=sys.stderr)
    print(f"pypi-wheels.json.zst: {len(pkgs)} packages, {nver} versions, {nwhl} wheel files, "
          f"{len(locks)} lock files, {len(tags)} distinct tags; {len(text)} bytes of JSON, {len(z)} compressed",
          file=sys.stderr)

    with open(os.path.join(DATA, "installed-sizes.json"), encoding="utf-8") as f:
        inst = json.load(f)
    a = inst["about"]
    rs, pyc = a["ratio_summary"], a["pyc_overhead_summary"]
    model = {
        "about": {
            "what": "Installed (unpacked) size of a wheel as a multiple of its compressed download size, "
                    "and the extra bytes of .pyc files pip compiles at install, as measured medians.",
            "source": "installed-sizes.json (shared data), gathered " + a.get("gathered", "?"),
            "method": a["method"],
            "caveats": a["caveats"],
            "record_sources": a.get("record_sources", []),
            "converted_by": "scripts/convert-wheels.py (copied, not recomputed)",
        },
        # installed_bytes / compressed_bytes (RECORD sums, .pyc excluded)
        "installed_over_compressed": {
            "linux_compiled": rs["linux_compiled"],
            "pure_python": rs["pure_python_any"],
            "macosx_compiled": rs.get("macosx_compiled"),
            "windows_compiled": rs.get("windows_compiled"),
        },
        # pyc_bytes / installed_bytes when pip compiles bytecode
        "bytecode_over_installed": {
            "compiled": pyc["pyc_bytes/installed_bytes, compiled"],
            "pure_python": pyc["pyc_bytes/installed_bytes, pure_python_any"],
        },
    }
    # Per package: the Linux (manylinux/musllinux) and pure-Python wheels whose installed size was
    # measured (RECORD sum) and whose compressed size is known: an exact wheel's installed size, and
    # for its other versions a measured ratio instead of the catalogue-wide median. native_lib_bytes
    # (the .so files) size the bytecode: pip compiles only the rest.
    measured = {}
    for r in inst["all_measurements"]:
        plat = r.get("platform") or ""
        if not (plat == "any" or plat.startswith(("manylinux", "musllinux"))):
            continue
        if not r.get("compressed_wheel_bytes") or not r.get("installed_bytes_from_RECORD") or not r.get("wheel_filename"):
            continue
        src = r.get("record_source") or {}
        row = [r["version"], r["wheel_filename"], r["installed_bytes_from_RECORD"], r["compressed_wheel_bytes"],
               r.get("native_lib_bytes") or 0,
               "%s@%s %s" % (src.get("repository", "?"), (src.get("commit") or "?")[:12], src.get("path", "?"))]
        rows = measured.setdefault(re.sub(r"[-_.]+", "-", r["package"]).lower(), [])
        if not any(x[1] == row[1] for x in rows):
            rows.append(row)
    model["measured_wheels"] = {
        "about": "per package (normalised name): [version, wheel filename, installed bytes (RECORD sum, .pyc "
                 "excluded), compressed wheel bytes, native library bytes, RECORD source repository@commit path]; "
                 "Linux and pure-Python wheels of installed-sizes.json whose compressed size is known",
        "wheels": {k: measured[k] for k in sorted(measured)},
    }
    wheels = model["measured_wheels"].pop("wheels")
    text = json.dumps(model, indent=1, ensure_ascii=False)
    # One package per line: the table is long, its rows are short.
    rows = ",\n".join("   %s: %s" % (json.dumps(k), json.dumps(v, ensure_ascii=False)) for k, v in wheels.items())
    assert text.endswith("\n }\n}")
    text = text[: -len("\n }\n}")] + ',\n  "wheels": {\n' + rows + "\n  }\n }\n}"
    json.loads(text)
    with open(os.path.join(OUT, "installed-size-model.json"), "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")


if __name__ == "__main__":
    main()
