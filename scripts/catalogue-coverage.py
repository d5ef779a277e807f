#!/usr/bin/env python3
"""How many of the most-downloaded PyPI packages the Python catalogues know.

  python3 scripts/catalogue-coverage.py RANKS.tsv [DATA_DIR]

RANKS.tsv: a tab-separated list with a header line naming the columns `name` and
`rank_among_15000_most_downloaded` (empty when the package is not among them). DATA_DIR
(default ../shared/data beside the repository) holds wheels.json and wheels-extra.json.
Counts, among the ranked names (PEP 503-normalised): those wheels.json knows (the catalogue
before the extra data), those wheels.json or wheels-extra.json knows (wheel data, exact for
the versions held), and those known by wheel data or, failing that, by Debian's package
(resources/catalogue/debian-python-proxy.json.zst, a stated proxy; needs the zstd command). Also the same counts over
the top 1,000 and 5,000, and a cross-check with the data's own pypi_download_rank field.
"""
import csv
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def norm(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared", "data")
    ranks = {}
    with open(sys.argv[1], encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            r = (row.get("rank_among_15000_most_downloaded") or "").strip()
            if r.isdigit():
                ranks[norm(row["name"])] = int(r)
    with open(os.path.join(data, "wheels.json"), encoding="utf-8") as f:
        before = {norm(n) for n in json.load(f)["packages"]}
    with open(os.path.join(data, "wheels-extra.json"), encoding="utf-8") as f:
        extra_doc = json.load(f)["packages"]
    extra = {norm(n) for n in extra_doc}
    debian = set()
    text = subprocess.run(["zstd", "-dc", os.path.join(HERE, "..", "resources", "catalogue", "debian-python-proxy.json.zst")],
                          stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    for line in text.splitlines():
        if line.startswith('"') and '":{"deb"' in line:
            debian.add(norm(json.loads(line.split(":", 1)[0])))
    wheels = before | extra
    print(f"ranked names in {os.path.basename(sys.argv[1])}: {len(ranks)} (max rank {max(ranks.values())})")
    for top in (1000, 5000, 15000):
        names = {n for n, r in ranks.items() if r <= top}
        b = len(names & before)
        w = len(names & wheels)
        d = len(names & (wheels | debian))
        print(f"top {top:>6}: before (wheels.json) {b:>5} ({100 * b / len(names):.1f} %); "
              f"wheel data {w:>5} ({100 * w / len(names):.1f} %); "
              f"wheel data or Debian proxy {d:>5} ({100 * d / len(names):.1f} %; Debian only: {d - w})")
    own = sum(1 for p in extra_doc.values() if p.get("pypi_download_rank"))
    print(f"cross-check: wheels-extra.json packages with a pypi_download_rank: {own}")


if __name__ == "__main__":
    main()
