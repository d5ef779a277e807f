#!/usr/bin/env bash
# Scale benchmark (not a test; ctest does not run it): generates 1k, 10k and
# 100k-line Dockerfiles into /tmp (half ENV, half RUN with realistic commands,
# plus a many-stage one, plus the unknown-heavy shape) and prints wall time and
# peak RSS of `slimbench parse --json` and `slimbench analyze --json` for each,
# and for the unknown-heavy shape the size of the JSON and of the text output.
#   bash tests/bench/bench-scale.sh [SLIMBENCH_BINARY...]   (default build/app/slimbench)
#   BENCH_ONLY=unknown bash tests/bench/bench-scale.sh ...   (only the unknown-heavy shape)
# Goals: issue 12, 100k lines parse < 1 s and analyse < 3 s, each < 300 MB; issue 22,
# unknown-heavy 100k lines analyze --json < 5 s and < 300 MB with a JSON < 150 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/time ]; then
  echo "GNU time is needed for peak RSS: apt-get install -y time" >&2; exit 2
fi
bins=("$@"); [ ${#bins[@]} -gt 0 ] || bins=(build/app/slimbench)
limit="${BENCH_TIMEOUT:-300}"
out=/tmp/slimbench-bench; mkdir -p "$out"

# gen N STAGES: N lines, half ENV, half RUN, split over STAGES stages.
gen() {
  local n=$1 stages=$2 f="$out/$1-lines-$2-stages/Dockerfile"
  [ -s "$f" ] && { echo "$f"; return; }
  mkdir -p "$(dirname "$f")"   # its own build context (analyze scans the folder)
  awk -v n="$n" -v stages="$stages" 'BEGIN {
    per = int(n / stages); line = 0
    for (s = 0; s < stages; s++) {
      if (s == 0) print "FROM python:3.11-slim AS s0"
      else printf "FROM debian:bookworm-slim AS s%d\n", s
      line++
      for (i = 1; i < per && line < n; i++) {
        line++
        if (i % 2 == 1) { printf "ENV VAR_%d=value_%d APP_HOME=/opt/v%d\n", i, i, i % 97 }
        else {
          k = (i / 2) % 6
          if (k == 0) printf "RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*\n"
          else if (k == 1) printf "RUN pip install --no-cache-dir requests==2.31.0 flask\n"
          else if (k == 2) printf "RUN mkdir -p /app/d%d && chown -R 1000:1000 /app/d%d\n", i, i
          else if (k == 3) printf "RUN echo \"$VAR_%d ${VAR_%d:-x}\" > /app/f%d.txt\n", i - 1, i - 1, i
          else if (k == 4) printf "RUN cd /app && ls -la && test -d /app/d%d || true\n", i - 2
          else printf "RUN groupadd -r u%d && useradd -r -g u%d u%d\n", i, i, i
        }
      }
      if (s > 0) printf "COPY --from=s%d /app /app%d\n", s - 1, s
    }
  }' > "$f"
  echo "$f"
}

# gen_unknown N: N lines in one stage whose RUNs install what no catalogue knows (apt and pip
# packages with made-up names, project scripts, piped installers): every layer unknown, each with
# its own long reason, and findings on many lines. The shape users bring that the catalogues miss.
gen_unknown() {
  local n=$1 f="$out/$1-lines-unknown/Dockerfile"
  [ -s "$f" ] && { echo "$f"; return; }
  mkdir -p "$(dirname "$f")"
  awk -v n="$n" 'BEGIN {
    print "FROM python:3.12-slim"
    for (i = 1; i < n; i++) {
      k = i % 6
      if (k == 0) printf "RUN apt-get update && apt-get install -y internal-tool-%d vendor-lib-%d-dev && rm -rf /var/lib/apt/lists/*\n", i, i
      else if (k == 1) printf "RUN pip install --no-cache-dir acme-private-client-%d==1.%d.0 company-sdk-%d\n", i, i % 50, i
      else if (k == 2) printf "RUN ./scripts/provision-step-%d.sh --with-a-rather-long-option-name=value-%d\n", i, i
      else if (k == 3) printf "RUN curl -fsSL https://downloads.example.com/releases/tool-%d/install.sh | sh\n", i
      else if (k == 4) printf "ENV STEP_%d=done\n", i
      else printf "RUN npm install -g private-cli-%d\n", i
    }
  }' > "$f"
  echo "$f"
}

# json_mb BIN ARGS...: size of the command's stdout in MB (10^6 bytes).
json_mb() { "$@" 2>/dev/null | wc -c | awk '{printf "%.1f MB", $1 / 1e6}'; }

# measure BIN ARGS...: prints "wall s (CPU s) MB" or "timeout" / "exit N". analyze uses every
# core for the variants, so CPU can exceed wall.
measure() {
  local bin=$1; shift
  local tf; tf=$(mktemp)
  local rc=0
  timeout "$limit" /usr/bin/time -f '%e %U %S %M' -o "$tf" "$bin" "$@" >/dev/null 2>&1 || rc=$?
  if [ "$rc" = 124 ]; then echo "> ${limit} s (killed)"; 
  else read -r s u sy kb < <(tail -1 "$tf"); printf '%6.2f s (%5.2f CPU) %7.1f MB%s' "$s" "$(echo "$u+$sy" | bc -l)" "$(echo "$kb/1024" | bc -l)" "$([ "$rc" = 0 ] || echo " (exit $rc)")"; echo; fi
  rm -f "$tf"
}

command -v bc >/dev/null || { echo "bc is needed: apt-get install -y bc" >&2; exit 2; }
for bin in "${bins[@]}"; do
  echo "== $bin"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  printf '%-34s %-34s %-34s\n' input "parse --json" "analyze --json"
  [ "${BENCH_ONLY:-}" = unknown ] || for spec in "1000 1" "10000 1" "100000 1" "10000 100" "100000 1000"; do
    set -- $spec
    f=$(gen "$1" "$2")
    p=$(measure "$bin" parse --json "$f")
    a=$(measure "$bin" analyze --json "$f")
    printf '%-34s %-34s %-34s\n' "$1 lines, $2 stage(s) ($(du -h "$f" | cut -f1))" "$p" "$a"
  done
  # Goal (issue 22): unknown-heavy 100k lines: analyze --json < 5 s, < 300 MB, JSON < 150 MB; the
  # text output (analyze without --json) stays short: its time, RSS and size too.
  for n in 10000 100000; do
    f=$(gen_unknown "$n")
    p=$(measure "$bin" parse --json "$f")
    a=$(measure "$bin" analyze --json "$f")
    printf '%-34s %-34s %-34s JSON %s\n' "$n lines, unknown packages ($(du -h "$f" | cut -f1))" "$p" "$a" "$(json_mb "$bin" analyze --json "$f")"
    t=$(measure "$bin" analyze "$f")
    printf '%-34s %-34s %-34s text %s\n' "" "" "analyze (text): $t" "$(json_mb "$bin" analyze "$f")"
  done
done
