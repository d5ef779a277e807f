#!/usr/bin/env python3
"""Turns hand-transcribed docker-library/repo-info readings into base-image records.

Input:  scripts/base-images/readings.json (what was read, with repository, path, commit
        and date for every figure; see its "about").
Output: the records are merged into resources/catalogue/base-images.json (records this
        script wrote before are replaced, every other record is kept byte for byte), and
        the distro-python table is written as its "distro_python" member.

No network: everything comes from the readings file. Run from the repository root:
    python3 scripts/base-images/build_catalogue.py [--check]
--check exits 1 when the catalogue is not what the readings produce (for CI).

Checks (a transcription error fails the run, it is never written):
  - every platform's layer sizes add up to its printed "Total Size";
  - a virtual size parses as "~ N Mb" / "~ N Gb" (decimal, as repo-info prints it);
  - tags are unique per architecture and do not collide with records not made here.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READINGS = ROOT / "scripts/base-images/readings.json"
CATALOGUE = ROOT / "resources/catalogue/base-images.json"
MARK = "scripts/base-images/build_catalogue.py"


def fail(msg):
    sys.stderr.write("build_catalogue: " + msg + "\n")
    sys.exit(2)


def parse_virtual(raw, where):
    m = re.fullmatch(r"~ (\d+(?:\.(\d+))?) (Mb|Gb)", raw.strip())
    if not m:
        fail(f"{where}: virtual size {raw!r} is not '~ N Mb' or '~ N Gb'")
    value, decimals, unit = m.group(1), m.group(2) or "", m.group(3)
    mult = 1000 * 1000 if unit == "Mb" else 1000 * 1000 * 1000
    # value × multiplier, exactly (no float rounding)
    whole, _, frac = value.partition(".")
    num = int(whole + frac)
    nbytes = num * mult // (10 ** len(frac))
    precision = mult // (10 ** len(decimals)) // 2  # half a unit of the last printed digit
    return nbytes, mult, precision, len(decimals)


def records_for(r):
    out = []
    tag = r["tag"]
    remote = r["remote"]
    vs = r.get("virtual_size")
    for arch in ("amd64", "arm64"):
        p = r["platforms"].get(arch)
        if not p:
            continue
        layers = p["layers"]
        total_source = "header"
        if p.get("total") is None:  # the entry's "Total Size" line was not read: the layer sum stands in
            p = dict(p, total=sum(layers))
            total_source = "sum of the layers (the entry's Total Size line was not read)"
        if sum(layers) != p["total"]:
            fail(f"{tag} {arch}: layers add up to {sum(layers)}, the printed total is {p['total']}")
        if len(p["history"]) != len(layers):
            fail(f"{tag} {arch}: {len(layers)} layers but {len(p['history'])} history lines")
        rec = {
            "tag": tag,
            "arch": arch,
            "platform": "linux/amd64" if arch == "amd64" else "linux/arm64/v8",
            "resolved_tag": r["resolved_tag"],
            "python_version": r.get("python_version", ""),
            "variant": r["variant"],
            "os_release": r["os_release"],
            "libc": r["libc"],
            "source": {
                "repository": remote["repo"],
                "remote_file": remote["path"],
                "remote_commit": remote["commit"],
                "built": remote["built"],
            },
            "layers_compressed_bytes": layers,
            "compressed_total_bytes": p["total"],
            "compressed_total_source": total_source,
            "history_layer_lines": p["history"],
            "history_lines_source": "the Dockerfile step as printed in the remote file, whitespace collapsed and cut short",
            "gathered_by": MARK,
        }
        if r.get("file_tag"):
            rec["source"]["file_tag"] = r["file_tag"]
        flags = list(r.get("notes", []))
        if arch == "amd64" and vs:
            nbytes, mult, precision, decimals = parse_virtual(vs["raw"], tag)
            rec["virtual_size_bytes"] = nbytes
            rec["virtual_size"] = {
                "raw": vs["raw"],
                "bytes": nbytes,
                "multiplier": mult,
                "precision_bytes": precision,
                "local_repository": vs["repo"],
                "local_file": vs["path"],
                "local_commit": vs["commit"],
                "local_image": vs["image"],
                "local_created": vs["created"],
                "same_build_as_remote": vs["same_build_as_remote"],
                "note": vs.get("note", ""),
            }
            rec["ratio_virtual_to_compressed"] = round(nbytes / p["total"], 3)
            if not vs["same_build_as_remote"]:
                flags.append("virtual size comes from a different build of the same tag (see virtual_size.note)")
        elif arch == "amd64":
            flags.append("no on-disk (virtual) size was read for this build: the catalogue models it from the "
                         "compressed size and the median on-disk/compressed ratio of catalogued images of the same family")
        if flags:
            rec["flags"] = flags
        out.append(rec)
    return out


def main():
    check = "--check" in sys.argv[1:]
    readings = json.loads(READINGS.read_text())
    text = CATALOGUE.read_text()
    cat = json.loads(text)
    kept = [e for e in cat["images"] if e.get("gathered_by") != MARK]
    existing = {(e["tag"], e.get("arch", "amd64")) for e in kept}
    new = []
    seen = set()
    for r in readings["readings"]:
        for rec in records_for(r):
            key = (rec["tag"], rec["arch"])
            if key in existing:
                fail(f"{key}: already catalogued by another source; give the reading another tag")
            if key in seen:
                fail(f"{key}: read twice")
            seen.add(key)
            new.append(rec)
    cat["images"] = kept + new
    cat["distro_python"] = readings["distro_python"]
    about = cat.setdefault("about", {})
    about["additions"] = (
        f"{len(new)} records ({len(readings['readings'])} tags) added by {MARK} from "
        "scripts/base-images/readings.json, read on " + readings["about"]["read_on"] +
        ": older python tags (3.6-3.8, bullseye/stretch variants, 3.13-slim-bookworm), debian bullseye-slim and trixie, "
        "ubuntu 20.04/22.04/24.04, alpine 3.18-3.20; each record names its repository (upstream or a public fork), "
        "file, commit and build date")
    out = json.dumps(cat, indent=1, ensure_ascii=True)
    if check:
        if out != text:
            sys.stderr.write("build_catalogue: resources/catalogue/base-images.json is stale; run the script\n")
            sys.exit(1)
        print(f"up to date: {len(new)} generated records")
        return
    CATALOGUE.write_text(out)
    by = {}
    for e in cat["images"]:
        img = e["tag"].split(":")[0]
        by[img] = by.get(img, 0) + 1
    print(f"wrote {len(new)} generated records; records by image now: {by}")


if __name__ == "__main__":
    main()
