#!/usr/bin/env bash
# Measures, on this machine, how fast packages install once downloaded, for the
# build-time model: dpkg unpacking .debs, and pip installing local wheels (with
# the bytecode compilation pip does by default). Writes resources/catalogue/install-rates.json.
#   bash scripts/measure-install-rates.sh [DEB_DIR]
# DEB_DIR defaults to the .debs scripts/debian-catalogue.py downloaded (~/.cache/slimbench-debian/debs).
set -euo pipefail
cd "$(dirname "$0")/.."
debdir="${1:-$HOME/.cache/slimbench-debian/debs}"
out=resources/catalogue/install-rates.json
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

# dpkg: unpack every .deb (what dpkg does on install, minus maintainer scripts).
debs=("$debdir"/*.deb)
[ -e "${debs[0]}" ] || { echo "no .deb files in $debdir (run scripts/debian-catalogue.py first)" >&2; exit 1; }
sync
t0=$(now)
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$tmp/dpkg"; done
sync
t1=$(now)
dpkg_bytes=$(du -sb "$tmp/dpkg" | cut -f1)
dpkg_secs=$(echo "$t1 - $t0" | bc -l)

# pip: install the wheels bundled with Python's ensurepip (no network), compiling .pyc.
py=$(command -v python3)
wheels=$("$py" -c 'import ensurepip, os; d=os.path.join(os.path.dirname(ensurepip.__file__), "_bundled"); print(" ".join(os.path.join(d,f) for f in os.listdir(d) if f.endswith(".whl")))')
[ -n "$wheels" ] || { echo "no ensurepip wheels found" >&2; exit 1; }
runs=3; pip_secs=0
for i in $(seq $runs); do
  rm -rf "$tmp/pip"
  t0=$(now)
  "$py" -m pip install --quiet --no-index --no-deps --disable-pip-version-check --target "$tmp/pip" $wheels
  t1=$(now)
  pip_secs=$(echo "$pip_secs + $t1 - $t0" | bc -l)
done
pip_secs=$(echo "$pip_secs / $runs" | bc -l)
pip_bytes=$(du -sb "$tmp/pip" | cut -f1)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cat > "$out" <<JSON
{
  "about": {
    "what": "Install throughput once packages are downloaded, for the build-time model: bytes installed per second by dpkg (unpacking .debs) and by pip (installing local wheels, .pyc compiled).",
    "measured": "$(date -u +%Y-%m-%d)",
    "machine": "$cpu, $(nproc) cores",
    "method": "scripts/measure-install-rates.sh: dpkg-deb -x of ${#debs[@]} .debs from Debian's archive; pip install --no-index --no-deps --target of the wheels bundled with ensurepip ($(for w in $wheels; do basename "$w"; done | tr '\n' ' ')), mean of $runs runs. Maintainer scripts, dependency resolution and disk sync are not included, so real installs are slower.",
    "uncertainty": "one machine, small samples; pip's rate depends heavily on the share of pure-Python files (bytecode compilation dominates)"
  },
  "dpkg": {"bytes": $dpkg_bytes, "seconds": $(printf '%.3f' "$dpkg_secs"), "bytes_per_second": $(printf '%.0f' "$(echo "$dpkg_bytes / $dpkg_secs" | bc -l)")},
  "pip": {"bytes": $pip_bytes, "seconds": $(printf '%.3f' "$pip_secs"), "bytes_per_second": $(printf '%.0f' "$(echo "$pip_bytes / $pip_secs" | bc -l)")}
}
JSON
cat "$out"
