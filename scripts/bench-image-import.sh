#!/usr/bin/env bash
# Benchmark (not a test). Prints side by side, in one run:
#   1. a >= 1 GB docker-archive with gzip layers (built on the fly, kept in BENCH_DIR):
#      slimbench inspect with the ISA-L decoder, with the zlib decoder, and ISA-L
#      without digest checks; the decode limit of each library alone on the same
#      blobs (tests/bench/bench_decode: inflate + count, same thread count);
#      and `gzip -dc | tar -t` layer after layer;
#   2. a generated image of 1,000,000 small files in 5 layers (with whiteouts
#      and an opaque directory): peak RSS, bytes per file and per tree node.
# For each: wall, CPU (user+sys), MB/s of uncompressed tar, peak RSS (GNU time),
# and the 1-minute load average when it started (the machine may be shared).
#
#   scripts/bench-image-import.sh [SLIMBENCH_BINARY]
#
# Environment: BENCH_DIR (default /tmp/slimbench-bench; archives are kept and
# reused), BENCH_LAYERS (default 8), BENCH_LAYER_MB (uncompressed MB per layer,
# default 256: 8 x 256 MB = 2 GB image), BENCH_GZIP_LEVEL (default 1),
# BENCH_THREADS (default: nproc), BENCH_FILES (default 1000000), BENCH_FILE_LAYERS
# (default 5), BENCH_PARTS ("big many" by default; "big" or "many" for one part).
set -euo pipefail
bin=$(realpath "${1:-build/app/slimbench}")
decode=$(realpath "$(dirname "$bin")/../tests/bench_decode")
dir=${BENCH_DIR:-/tmp/slimbench-bench}
layers=${BENCH_LAYERS:-8}
mb=${BENCH_LAYER_MB:-256}
threads=${BENCH_THREADS:-$(nproc)}
parts=${BENCH_PARTS:-big many}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
[ -x "$decode" ] || { echo "needs $decode (cmake --build build --target bench_decode)" >&2; exit 2; }
mkdir -p "$dir"

# measure LABEL BYTES CMD... : one row. BYTES = uncompressed bytes for MB/s ("-" for none).
measure() {
  local label=$1 bytes=$2; shift 2
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "$@" > "$dir/out.txt"
  read -r wall user sys rss < "$dir/time.txt"
  local cpu mbs
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  mbs=$([ "$bytes" = - ] && echo - || awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.0f", b / 1e6 / w }')
  printf '%-44s %8s s %8s s %7s MB/s %8.1f MB   load %s\n' "$label" "$wall" "$cpu" "$mbs" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$load"
  echo "$wall" > "$dir/last-wall"
}
header() { printf '%-44s %10s %10s %12s %11s\n' "$1" "wall" "cpu" "speed" "peak RSS"; }

big() {
  local archive="$dir/bench-${layers}x${mb}.docker.tar"
  if [ ! -s "$archive" ]; then
    echo "building $archive ($layers layers x $mb MB uncompressed) ..." >&2
    local work="$dir/work"; rm -rf "$work"; mkdir -p "$work/img/blobs/sha256" "$work/pool"
    # A text pool (hex dump of random bytes: compresses ~2.5x) cut into 64 kB files.
    head -c $(( mb * 1024 * 1024 / 2 / 3 )) /dev/urandom | od -An -tx1 -v | split -b 64k -a 5 -d - "$work/pool/t"
    make_layer() {  # index -> blob name, diff id
      local i=$1
      local d="$work/l$i"
      mkdir -p "$d/srv/layer$i/text" "$d/srv/layer$i/data"
      cp "$work/pool/"* "$d/srv/layer$i/text/"
      head -c $(( mb * 1024 * 1024 / 2 )) /dev/urandom > "$d/srv/layer$i/data/blob.bin"
      echo "layer $i" > "$d/srv/layer$i/marker"
      tar -C "$d" --numeric-owner -cf - srv | tee >(sha256sum | cut -d' ' -f1 > "$work/diff$i") | gzip -"${BENCH_GZIP_LEVEL:-1}" > "$work/layer$i.gz"
      local hex; hex=$(sha256sum "$work/layer$i.gz" | cut -d' ' -f1)
      mv "$work/layer$i.gz" "$work/img/blobs/sha256/$hex"
      echo "$hex" > "$work/blob$i"
      rm -rf "$d"
    }
    for ((i = 0; i < layers; i += 2)); do
      make_layer "$i" & if (( i + 1 < layers )); then make_layer $((i + 1)) & fi; wait
    done
    sleep 1  # the tee'd sha256sum subshells
    local diffs="" blobs="" hist="" sep
    for ((i = 0; i < layers; i++)); do
      sep=$([ "$i" -gt 0 ] && echo , || true)
      diffs+="$sep\"sha256:$(cat "$work/diff$i")\""
      blobs+="$sep\"blobs/sha256/$(cat "$work/blob$i")\""
      hist+="$sep{\"created_by\":\"RUN make layer $i\"}"
    done
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
      "$diffs" "$hist" > "$work/config.json"
    local chex; chex=$(sha256sum "$work/config.json" | cut -d' ' -f1)
    mv "$work/config.json" "$work/img/blobs/sha256/$chex"
    printf '[{"Config":"blobs/sha256/%s","RepoTags":["bench:latest"],"Layers":[%s]}]' "$chex" "$blobs" > "$work/img/manifest.json"
    tar -C "$work/img" -cf "$archive.part" manifest.json blobs
    mv "$archive.part" "$archive"
    rm -rf "$work"
  fi
  # Layers as plain files for the library limits and the baseline (not timed), read once so all runs start warm.
  local extract="$dir/extracted"; rm -rf "$extract"; mkdir -p "$extract"
  tar -C "$extract" -xf "$archive"
  local -a blobs
  mapfile -t blobs < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$extract/manifest.json")
  cat "$archive" > /dev/null
  "$bin" inspect --json --no-verify "$archive" > "$dir/big.json"
  local size; size=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["size"])' "$dir/big.json")
  echo
  echo "== $archive: $(du -h "$archive" | cut -f1) stored, $(awk -v b="$size" 'BEGIN { printf "%.2f GB", b / 1e9 }') uncompressed, ${#blobs[@]} gzip layers; $(nproc) cores, $threads threads"
  header "run"
  measure "slimbench inspect (isal, sha256 verified)" "$size" "$bin" inspect --json --threads "$threads" --decoder isal "$archive"
  local tIsal; tIsal=$(cat "$dir/last-wall")
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["decoder"]=="isal" and all(l["diffIdVerified"] for l in j["layers"]), "not verified with isal"' "$dir/out.txt"
  measure "slimbench inspect (zlib, sha256 verified)" "$size" "$bin" inspect --json --threads "$threads" --decoder zlib "$archive"
  local tZlib; tZlib=$(cat "$dir/last-wall")
  measure "slimbench inspect (isal, --no-verify)" "$size" "$bin" inspect --json --threads "$threads" --decoder isal --no-verify "$archive"
  measure "decode limit: ISA-L isal_inflate alone" "$size" "$decode" isal "$threads" "${blobs[@]/#/$extract/}"
  local tLimIsal; tLimIsal=$(cat "$dir/last-wall")
  measure "decode+sha256 limit: ISA-L + OpenSSL" "$size" "$decode" isal+sha256 "$threads" "${blobs[@]/#/$extract/}"
  local tLimIsalSha; tLimIsalSha=$(cat "$dir/last-wall")
  measure "decode limit: zlib inflate alone" "$size" "$decode" zlib "$threads" "${blobs[@]/#/$extract/}"
  measure "decode+sha256 limit: zlib + OpenSSL" "$size" "$decode" zlib+sha256 "$threads" "${blobs[@]/#/$extract/}"
  measure "gzip -dc | tar -t, layer after layer" "$size" bash -c \
    'cd "$1"; shift; for b in "$@"; do gzip -dc "$b" | tar -t > /dev/null; done' _ "$extract" "${blobs[@]}"
  awk -v i="$tIsal" -v z="$tZlib" -v l="$tLimIsal" -v ls="$tLimIsalSha" 'BEGIN {
    printf "verified import, isal vs zlib: %.2fx faster (wall)\n", z / i
    printf "verified import (isal) vs ISA-L decode limit: +%.0f %%; vs ISA-L + sha256 limit: +%.0f %% (wall)\n", (i / l - 1) * 100, (i / ls - 1) * 100 }'
  rm -rf "$extract"
}

many() {
  local files=${BENCH_FILES:-1000000} flayers=${BENCH_FILE_LAYERS:-5}
  local archive="$dir/many-${files}x${flayers}.docker.tar"
  if [ ! -s "$archive" ]; then
    echo "building $archive ($files files in $flayers layers) ..." >&2
    python3 - "$archive.part" "$files" "$flayers" <<'PY'
import gzip, hashlib, io, json, sys, tarfile
out, files, nl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = files // nl
blobs, diffs = [], []
def entry(tf, name, data=b"", kind=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.mtime = 1700000000
    ti.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    ti.size = len(data) if kind == tarfile.REGTYPE else 0
    tf.addfile(ti, io.BytesIO(data) if ti.size else None)
for L in range(nl):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        # Python-package-like paths: usr/lib/python3/site-packages/pkgN/modM/file_K.py, 25 files a folder.
        lastdir = None
        for k in range(per):
            n = L * per + k
            d = "usr/lib/python3/site-packages/pkg%d/mod%d" % (n // 5000, n // 25)
            if d != lastdir:
                entry(tf, d, kind=tarfile.DIRTYPE); lastdir = d
            entry(tf, "%s/file_%d.py" % (d, n), b"x" * (n % 200))
        if L > 0:  # a whiteout of a folder and an opaque folder from the layer below
            prev = (L - 1) * per
            entry(tf, "usr/lib/python3/site-packages/pkg%d/.wh.mod%d" % (prev // 5000, prev // 25))
            entry(tf, "usr/lib/python3/site-packages/pkg%d/mod%d/.wh..wh..opq" % ((prev + 100) // 5000, (prev + 100) // 25))
    t = raw.getvalue()
    diffs.append("sha256:" + hashlib.sha256(t).hexdigest())
    gz = gzip.compress(t, compresslevel=1)
    blobs.append(gz)
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diffs},
                  "history": [{"created_by": "RUN layer %d" % i} for i in range(nl)]}).encode()
with tarfile.open(out, "w") as tf:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000
        tf.addfile(ti, io.BytesIO(data))
    names = []
    for b in blobs:
        names.append("blobs/sha256/" + hashlib.sha256(b).hexdigest()); add(names[-1], b)
    cname = "blobs/sha256/" + hashlib.sha256(cfg).hexdigest(); add(cname, cfg)
    add("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["many:latest"], "Layers": names}]).encode())
PY
    mv "$archive.part" "$archive"
  fi
  cat "$archive" > /dev/null
  echo
  echo "== $archive: $(du -h "$archive" | cut -f1) stored, $files files in $flayers gzip layers"
  header "run"
  measure "slimbench inspect (isal), 1M-file image" - "$bin" inspect --json --threads "$threads" "$archive"
  local rss; rss=$(awk '{ print $4 }' "$dir/time.txt")
  python3 - "$dir/out.txt" "$rss" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); rss_kb = int(sys.argv[2]); m = j["memory"]
print("files %d (tree nodes %d, entries %d in %d layers)" % (j["files"], m["treeNodes"], m["entries"], len(j["layers"])))
print("tree: %.1f bytes per node (nodes %.1f MB, names %.1f MB); per-layer deltas: %.1f bytes per entry (%.1f MB)"
      % (m["treeBytes"] / m["treeNodes"], m["treeBytes"] / 1e6, m["namesBytes"] / 1e6,
         m["entriesBytes"] / max(1, m["entries"]), m["entriesBytes"] / 1e6))
print("all image structures: %.1f bytes per file; peak RSS %.1f MB = %.0f bytes per file"
      % (m["totalBytes"] / j["files"], rss_kb / 1024, rss_kb * 1024 / j["files"]))
PY
}

for p in $parts; do "$p"; done
