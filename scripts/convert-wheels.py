#!/usr/bin/env python3
"""Convert the shared wheel facts into slimbench's embedded Python catalogues.

  python3 scripts/convert-wheels.py [DATA_DIR] [OUT_DIR]

DATA_DIR defaults to ../shared/data (beside the repository), OUT_DIR to
resources/catalogue. Writes:
  pypi-wheels.json            per package: one version, sdist size, wheels, deps
  installed-size-model.json   measured installed/compressed ratios, with source

Nothing is invented: every value is copied from the input; absent facts stay
absent. Long keys become short ones (the "keys" legend in the output says what
each means) and lock files are referenced by index into "locks" to keep the
embedded file small. derived_flags are dropped: they are computed from the
filenames that are kept.
"""
import json
import os
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


def main():
    with open(os.path.join(DATA, "wheels.json"), encoding="utf-8") as f:
        data = json.load(f)
    about = dict(data["about"])
    about["converted_by"] = ("scripts/convert-wheels.py from wheels.json; derived_flags dropped "
                             "(computed from the wheel filenames kept here); keys shortened, see keys")
    pkgs = {name: package(p) for name, p in sorted(data["packages"].items())}
    for s in about.get("sources", []):
        lock(s)
    lines = ["{", '"about": ' + json.dumps(about, ensure_ascii=False, separators=(",", ":")) + ",",
             '"keys": ' + json.dumps(KEYS, separators=(",", ":")) + ",",
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
    with open(os.path.join(OUT, "pypi-wheels.json"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

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
    with open(os.path.join(OUT, "installed-size-model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
