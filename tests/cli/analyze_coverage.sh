#!/usr/bin/env bash
# slimbench analyze on projects it cannot fully size: lower bounds in text and JSON,
# --base-size completes them, bad --base-size / --context input gets a clear message.
set -u
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # name, expected-exit, expected-text, args...
  local name="$1" want="$2" text="$3"; shift 3
  out=$(timeout 60 "$bin" analyze "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: $out"; fail=1; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': $out"; fail=1; return; fi
  echo "ok   $name"
}
mkdir -p "$tmp/p"
printf 'requests\n' > "$tmp/p/requirements.txt"
cat > "$tmp/p/Dockerfile" <<'DF'
FROM registry.example.com/team/base:1.4
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
DF
check text-lower-bound 0 "≥ " "$tmp/p"
check text-names-unknown 0 "(1 layer unknown)" "$tmp/p"
check text-how-to-supply 0 "--base-size registry.example.com/team/base:1.4=SIZE" --verbose "$tmp/p"
check json-basis 0 '"basis":"unknown"' --json "$tmp/p"
check json-null-mid 0 '"mid":null' --json "$tmp/p"
check json-coverage 0 '"complete": false' --json "$tmp/p"
check json-lower-bound 0 '"lowerBound": true' --json "$tmp/p"
check base-size-completes 0 '"complete": true' --json --base-size registry.example.com/team/base:1.4=350MB "$tmp/p"
check base-size-bad-unit 2 'unknown unit' --base-size registry.example.com/team/base:1.4=12XB "$tmp/p"
check base-size-no-equals 2 'expects IMAGE=SIZE' --base-size 350MB "$tmp/p"
check base-size-no-number 2 'expected a size' --base-size x=MB "$tmp/p"
# The seed's shape: a Dockerfile in a subfolder built from the project root.
mkdir -p "$tmp/q/docker" "$tmp/q/src"
printf 'requests\n' > "$tmp/q/requirements.txt"
printf 'print(1)\n' > "$tmp/q/src/app.py"
printf 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src /app\n' > "$tmp/q/docker/Dockerfile"
check context-found 0 "docker build -f docker/Dockerfile" "$tmp/q/docker/Dockerfile"
check context-complete 0 '"complete": true' --json "$tmp/q/docker/Dockerfile"
check context-given-wrong 0 'not found in the build context' --verbose --context "$tmp/q/docker" "$tmp/q/docker/Dockerfile"
# An unparsable base reference is named, not counted as 0.
printf 'FROM python:\nRUN true\n' > "$tmp/bad.Dockerfile"
check bad-tag 0 'empty tag' --verbose "$tmp/bad.Dockerfile"
# A saved image of the base: its real layers, complete.
images="$(cd "$(dirname "$0")/.." && pwd)/data/images"
printf 'FROM registry.example.com/tiny:1\nCMD ["true"]\n' > "$tmp/tiny.Dockerfile"
check base-image-complete 0 '"complete": true' --json --base-image "registry.example.com/tiny:1=$images/tiny.oci.tar" "$tmp/tiny.Dockerfile"
check base-image-layers 0 'RUN rm /app/old.txt' --base-image "registry.example.com/tiny:1=$images/tiny.oci.tar" "$tmp/tiny.Dockerfile"
check base-image-missing 1 'no such file' --base-image "registry.example.com/tiny:1=$tmp/none.tar" "$tmp/tiny.Dockerfile"
check base-image-usage 2 'expects IMAGE=ARCHIVE' --base-image "$images/tiny.oci.tar" "$tmp/tiny.Dockerfile"
# An instruction docker does not know fails the build: analyze says where, and exits 1.
printf 'FROM python:3.12-slim\napt-get install -y curl\n' > "$tmp/noinst.Dockerfile"
check unknown-instruction 1 'unknown instruction: APT-GET' "$tmp/noinst.Dockerfile"
# A Dockerfile docker build rejects: the rejection is the reason (like a parse error), not "≥ 0 MB".
printf 'FROM python:3.12-slim\nONBUILD ONBUILD RUN true\nRUN pip install --no-cache-dir flask\n' > "$tmp/rejected.Dockerfile"
check rejected 1 'rejected.Dockerfile:2: error: Chaining ONBUILD via `ONBUILD ONBUILD` isn'"'"'t allowed' "$tmp/rejected.Dockerfile"
out=$(timeout 60 "$bin" analyze "$tmp/rejected.Dockerfile" 2>/dev/null)
if grep -q '≥ 0.0' <<<"$out"; then echo "FAIL rejected-no-zero: $out"; fail=1; else echo "ok   rejected-no-zero"; fi
# A stand-in is said once per variant, however many RUNs (or requirements) install it.
mkdir -p "$tmp/twice"
printf 'FROM python:3.12-slim\nRUN pip install --no-cache-dir grpcio==1.58.0 grpcio-tools==1.58.0\nRUN pip install --no-cache-dir --target /opt/g grpcio==1.58.0\n' > "$tmp/twice/Dockerfile"
out=$(timeout 60 "$bin" analyze "$tmp/twice/Dockerfile" 2>&1)
said=$(awk '/^== Your Dockerfile/{on=1; next} /^== /{on=0} on && /proxy: grpcio asked ==1.58.0/' <<<"$out" | wc -l)
if [ "$said" -eq 1 ]; then echo "ok   proxy-said-once"; else echo "FAIL proxy-said-once: $said times: $out"; fail=1; fi
# A proxied base's note is said on its first layer, not again on each of its layers.
printf 'FROM python:3.11.13-slim-bullseye\nRUN true\n' > "$tmp/twice/Dockerfile"
out=$(timeout 60 "$bin" analyze "$tmp/twice/Dockerfile" 2>&1)
said=$(awk '/^== Your Dockerfile/{on=1; next} /^== /{on=0} on && /~ proxy: python:3.11.13-slim-bullseye sized as/' <<<"$out" | wc -l)
marked=$(awk '/^== Your Dockerfile/{on=1; next} /^== /{on=0} on && /\(base\).*\(proxy\)$/' <<<"$out" | wc -l)
if [ "$said" -eq 1 ] && [ "$marked" -gt 1 ]; then echo "ok   base-proxy-said-once"; else echo "FAIL base-proxy-said-once: $said notes, $marked marked layers: $out"; fail=1; fi
exit $fail
