#!/usr/bin/env bash
# slimbench inspect on the committed podman fixtures: the table, --json, --ci
# rules and exit codes; bad input gives a message and exit 1, never a crash.
set -u
bin="$1"
data="$(cd "$(dirname "$0")/.." && pwd)/data/images"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # name, expected-exit, expected-text, args...
  local name="$1" want="$2" text="$3"; shift 3
  out=$(timeout 60 "$bin" inspect "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: $out"; fail=1; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': $out"; fail=1; return; fi
  echo "ok   $name"
}
check table 0 "RUN rm /app/old.txt /app/cache/* && rewrite /app/data.bin" "$data/tiny.oci.tar"
check sizes 0 "13.3 kB" "$data/tiny.docker.tar.gz"
check wasted 0 "/app/data.bin" "$data/tiny.oci"
check findings 0 "[pip-cache]" "$data/tiny.oci.tar"
check json 0 '"wastedBytes": 5033' --json "$data/tiny.oci.tar"
check tree 0 "c.txt" --tree=5 "$data/tiny.oci.tar"
check tree-at-layer 0 "old.txt" --layer 1 "$data/tiny.oci.tar"
check ci-default-fails 1 "FAIL lowest-efficiency" --ci "$data/tiny.oci.tar"
check ci-relaxed-passes 0 "Result: PASS" --ci --lowest-efficiency 0.5 --highest-user-wasted-percent 2 --highest-wasted-bytes 1MB "$data/tiny.oci.tar"
check ci-bytes-fails 1 "FAIL highest-wasted-bytes" --lowest-efficiency disabled --highest-user-wasted-percent disabled --highest-wasted-bytes 1kB "$data/tiny.oci.tar"
check ci-json 1 '"pass": false' --json --ci "$data/tiny.oci.tar"
check platform-missing 1 "platform linux/arm64 is not in the image" --platform linux/arm64 "$data/tiny.oci.tar"
check missing-file 1 "no such file" "$tmp/nope.tar"
head -c 3000 /dev/urandom > "$tmp/junk"
check junk 1 "expected a tar archive" "$tmp/junk"
check decoder-zlib 0 "Decoder:    zlib; sha256 of every blob and diff ID verified" --decoder zlib "$data/tiny.oci.tar"
check decoder-json 0 '"decoder": "zlib"' --json --decoder=zlib "$data/tiny.oci.tar"
check decoder-none 0 "Decoder:    none" "$data/tiny.docker.tar.gz"
check no-verify 0 "sha256 not checked (--no-verify)" --no-verify "$data/tiny.oci.tar"
check decoder-bad 2 "--decoder expects isal or zlib, got lz4" --decoder lz4 "$data/tiny.oci.tar"
check no-image 2 "missing IMAGE"
check bad-option 2 "unknown option --frobnicate" --frobnicate "$data/tiny.oci.tar"
check bad-size 2 "expects a size" --highest-wasted-bytes lots "$data/tiny.oci.tar"
check help 0 "usage: slimbench inspect" --help
# --compare with a Dockerfile whose second RUN runs a program the estimate does not model: that
# layer has no figure, so its row shows "?" (never "0 B"), and the total is a lower bound.
mkdir -p "$tmp/proj/l1"
printf 'FROM scratch\nCOPY l1/ /\nRUN rm /app/old.txt /app/cache/* && rewrite /app/data.bin\nCOPY l3/ /\n' > "$tmp/proj/Dockerfile"
check compare-table 0 "Compared with the estimate of" --compare "$tmp/proj" "$data/tiny.oci.tar"
out=$(timeout 60 "$bin" inspect --compare "$tmp/proj" "$data/tiny.oci.tar" 2>&1)
row=$(grep -E '^[0-9-]+ +3 ' <<<"$out")
if [ -z "$row" ]; then echo "FAIL compare-unknown: no row for line 3: $out"; fail=1
elif grep -qE ' 0 B ' <<<"$row" || ! grep -qE ' (\?|≥ [0-9.]+ [kMG]?B) ' <<<"$row"; then
  echo "FAIL compare-unknown: line 3 is not estimated and must print ? or ≥, not a size: $row"; fail=1
else echo "ok   compare-unknown"; fi
if ! grep -E '^TOTAL' <<<"$out" | grep -qF "≥"; then echo "FAIL compare-total: the total must be a lower bound (≥): $out"; fail=1
else echo "ok   compare-total"; fi
exit $fail
