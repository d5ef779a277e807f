#!/usr/bin/env bash
# The committed Alpine catalogue already holds what scripts/alpine-from-repo-info.py merges from the
# committed readings (scripts/data/alpine-repo-info.json: a re-run changes nothing), every record it made names a
# docker-library/repo-info blob URL, and the analysis sizes nginx/tini/openssl from them while
# nodejs/npm/postgresql-client (no reading) stay unknown.
set -euo pipefail
src="${SLIMBENCH_SOURCE_DIR:?}"
bin="${1:?slimbench executable}"
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src/resources/catalogue/alpine-packages.json" "$tmp/cat.json"
python3 "$src/scripts/alpine-from-repo-info.py" --readings "$src/scripts/data/alpine-repo-info.json" \
  --merge "$tmp/cat.json" >/dev/null
cmp "$tmp/cat.json" "$src/resources/catalogue/alpine-packages.json" ||
  { echo "resources/catalogue/alpine-packages.json is not what the script makes from scripts/data/alpine-repo-info.json: re-run it"; exit 1; }
python3 - "$tmp/cat.json" <<'PY'
import json, re, sys
cat = json.load(open(sys.argv[1]))
url = re.compile(r"^https://github\.com/docker-library/repo-info/blob/[0-9a-f]{40}/repos/[^/]+/local/[^/]+\.md$")
made = {n: r for n, r in cat["packages"].items() if r.get("generated_by")}
assert made, "no generated records"
for n, r in made.items():
    assert url.match(r["source"]), (n, r["source"])
    assert r["match"], n
    for o in r["observations"]:
        assert url.match(o["source"]), (n, o["source"])
        assert o["installed_size"] <= o["installed_size_max"], n
print(len(made), "records from repo-info")
PY
"$bin" analyze "$src/tests/data/alpine-apk" --json > "$tmp/a.json"
python3 - "$tmp/a.json" "$src/scripts" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import slimbench_analysis
doc = slimbench_analysis.expand(json.load(open(sys.argv[1])))
v = [v for v in doc["variants"] if v["id"] == "original"][0]
unknown = " ".join(v["allUnknowns"])
for p in ("nginx", "tini", "openssl"):
    assert f"Alpine package {p} " not in unknown, unknown
for p in ("nodejs", "npm", "postgresql-client"):
    assert f"Alpine package {p} " in unknown, unknown
apk = [l for l in v["layers"] if "apk add" in l["instruction"] and not l["fromBase"]][0]
assert apk["diskBytes"]["low"] >= (2744 + 23 + 801) * 1024 and apk["diskBytes"]["high"] is None, apk["diskBytes"]
assert "repo-info/blob/" in apk["source"], apk["source"]
print("apk layer:", apk["diskBytes"]["low"], "bytes known, the rest unknown")
PY
