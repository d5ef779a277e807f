#!/usr/bin/env bash
# Benchmark (not a test): builds a >= 1 GB docker-archive with gzip layers on the
# fly, then prints in one run slimbench's import time (slimbench inspect), the
# baseline of decoding the same layers one after another with `gzip -dc | tar -t`,
# and slimbench's peak memory (GNU time's maximum resident set size).
#
#   scripts/bench-image-import.sh [SLIMBENCH_BINARY]
#
# Environment: BENCH_DIR (default /tmp/slimbench-bench; the archive is kept and
# reused), BENCH_LAYERS (default 8), BENCH_LAYER_MB (uncompressed MB per layer,
# default 256: 8 x 256 MB = 2 GB image, ~1.4 GB archive), BENCH_GZIP_LEVEL (default 1).
set -euo pipefail
bin=$(realpath "${1:-build/app/slimbench}")
dir=${BENCH_DIR:-/tmp/slimbench-bench}
layers=${BENCH_LAYERS:-8}
mb=${BENCH_LAYER_MB:-256}
archive="$dir/bench-${layers}x${mb}.docker.tar"
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$dir"

if [ ! -s "$archive" ]; then
  echo "building $archive ($layers layers x $mb MB uncompressed) ..." >&2
  work="$dir/work"; rm -rf "$work"; mkdir -p "$work/img/blobs/sha256" "$work/pool"
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
  # Two layers at a time (the machine has two cores).
  for ((i = 0; i < layers; i += 2)); do
    make_layer "$i" & if (( i + 1 < layers )); then make_layer $((i + 1)) & fi; wait
  done
  diffs=""; blobs=""; hist=""
  for ((i = 0; i < layers; i++)); do
    sep=$([ "$i" -gt 0 ] && echo , || true)
    diffs+="$sep\"sha256:$(cat "$work/diff$i")\""
    blobs+="$sep\"blobs/sha256/$(cat "$work/blob$i")\""
    hist+="$sep{\"created_by\":\"RUN make layer $i\"}"
  done
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
    "$diffs" "$hist" > "$work/config.json"
  chex=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/img/blobs/sha256/$chex"
  printf '[{"Config":"blobs/sha256/%s","RepoTags":["bench:latest"],"Layers":[%s]}]' "$chex" "$blobs" > "$work/img/manifest.json"
  tar -C "$work/img" -cf "$archive.part" manifest.json blobs
  mv "$archive.part" "$archive"
  rm -rf "$work"
fi

# Layers for the baseline, as plain files (not timed).
extract="$dir/extracted"; rm -rf "$extract"; mkdir -p "$extract"
tar -C "$extract" -xf "$archive"
mapfile -t blobs < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$extract/manifest.json")
sync

echo "archive: $archive ($(du -h "$archive" | cut -f1), ${#blobs[@]} gzip layers)"
echo "cores: $(nproc)"

/usr/bin/time -f '%e %U %S' -o "$dir/base.txt" bash -c \
  'cd "$1"; shift; for b in "$@"; do gzip -dc "$b" | tar -t > /dev/null; done' _ "$extract" "${blobs[@]}"
baseline=$(awk '{ printf "%.2f", $1 }' "$dir/base.txt")
basecpu=$(awk '{ printf "%.2f", $2 + $3 }' "$dir/base.txt")

run() {  # label, extra args
  local label=$1; shift
  /usr/bin/time -v -o "$dir/time.txt" "$bin" inspect "$@" --json "$archive" > "$dir/out.json"
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$dir/time.txt" | awk '{print $NF}')
  local cpu
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$dir/time.txt")
  printf '%-38s %10s s   cpu %6s s   peak RSS %6.1f MB\n' "$label" "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}
printf '%-38s %10s s   cpu %6s s\n' "baseline: gzip -dc | tar -t, sequential" "$baseline" "$basecpu"
echo "load average before the slimbench runs: $(cut -d' ' -f1-3 /proc/loadavg)"
run "slimbench inspect (all cores)"
run "slimbench inspect --threads 1" --threads 1
run "slimbench inspect --no-verify" --no-verify
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("image: %.2f GB uncompressed, %.2f GB stored, %d files, efficiency %.4f" % (j["size"]/1e9, j["compressedSize"]/1e9, j["files"], j["analysis"]["efficiency"]))' "$dir/out.json"
rm -rf "$extract"
