#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang-14 and runs
# each for SECONDS (default 60) on a copy of its seed corpus.
#   bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SLIMBENCH_WITH_FUZZ=1 bash scripts/deps.sh
secs="${1:-60}"
only="${2:-}"   # a target name (fuzz_analyze) to run only that one
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g -O1"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DSLIMBENCH_FUZZ=ON \
  -DSLIMBENCH_BUILD_TESTS=OFF -DSLIMBENCH_BUILD_GUI=OFF -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build build-fuzz -j"$(nproc)"
status=0
for bin in build-fuzz/tests/fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  name=$(basename "$bin"); area=${name#fuzz_}
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  seeds="tests/fuzz/corpus/$area"; [ -d "$seeds" ] || seeds="tests/fuzz/corpus/${area%%_*}"
  work="build-fuzz/corpus-$area"; mkdir -p "$work"
  [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  if [ "$area" = analyze ] || [ "$area" = dockerfile ]; then
    # Dockerfile text in: the bundled examples and the test data are seeds too (named by path).
    while IFS= read -r f; do cp -n "$f" "$work/seed-$(echo "$f" | tr '/' '_')"; done \
      < <(find resources/examples tests/data -type f -iname '*dockerfile*' 2>/dev/null)
  fi
  echo "== $name for ${secs}s (corpus $work)"
  # The whole log stays in build-fuzz/NAME.log; printed: the last status line (runs, coverage,
  # exec/s, RSS), the summary and any crash report.
  # Entropic scheduling with a short list of rare features: with the default threshold (255) every
  # feature seen fewer than 255 times stays "rare", the list grows to tens of thousands for the
  # Dockerfile targets, and libFuzzer 14 scans it for each feature of every run (std::find in
  # InputCorpus::UpdateFeatureFrequency): 80 % of fuzz_dockerfile's time, 12.5 ms of CPU per input.
  # ASan records a stack for every allocation and free, for its reports: a fifth of the Dockerfile
  # targets' time went to unwinding and storing them (an eighth still with four frames). The fuzzer
  # runs without them; a crash it finds is run again below with whole stacks.
  # A fuzzer process slows as it ages (fuzz_dockerfile: about 1,100 runs/s in its first 5 minutes
  # from a grown corpus, about 940/s after 20 minutes): the time is run as 5-minute processes, each
  # going on from the corpus the previous one grew. A crash ends the run.
  : > "build-fuzz/$name.log"
  start=$SECONDS
  while [ $((SECONDS - start)) -lt "$secs" ]; do
    left=$((secs - (SECONDS - start))); chunk=$((left < 300 ? left : 300))
    ASAN_OPTIONS="${ASAN_OPTIONS-malloc_context_size=0}" \
    "$bin" -max_total_time="$chunk" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/$name-" \
      -entropic_feature_frequency_threshold=8 "$work" >> "build-fuzz/$name.log" 2>&1 || { status=1; break; }
  done
  runs=$(grep -E '^Done [0-9]+ runs' "build-fuzz/$name.log" | awk '{s += $2} END {print s + 0}')
  echo "  $runs runs in $((SECONDS - start)) s"
  grep -E '^#[0-9]+[[:space:]]+(DONE|REDUCE|NEW|pulse|INITED)' "build-fuzz/$name.log" | tail -1 || true
  grep -E '^Done [0-9]+ runs|ERROR|SUMMARY|artifact_prefix|Test unit written' "build-fuzz/$name.log" | tail -4 || true
  # Each input it saved (crash, leak, timeout, out of memory) run once more with the allocation and
  # free stacks of every report: build-fuzz/NAME-ARTIFACT.log.
  for art in build-fuzz/"$name"-crash-* build-fuzz/"$name"-leak-* build-fuzz/"$name"-timeout-* build-fuzz/"$name"-oom-*; do
    [ -f "$art" ] && [ "${art%.log}" = "$art" ] || continue
    ASAN_OPTIONS= "$bin" -timeout=10 -rss_limit_mb=2048 "$art" > "$art.log" 2>&1 || true
    echo "  $art: whole stacks in $art.log"
  done
done
exit $status
