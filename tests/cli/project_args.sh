#!/usr/bin/env bash
# What docker build is told (--target, --build-arg) in analyze, parse --json and lint, and the
# project settings file (.slimbench.json) that analyze and lint read: flags over the file,
# --no-project-settings without it, a malformed file an error with its line.
set -u
bin="$1"
src="${SLIMBENCH_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/data/settings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# name, expected-exit, expected-text ("!TEXT": must not appear), command args...
expect() {
  local name="$1" want="$2" text="$3"; shift 3
  out=$(timeout 120 "$bin" "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: ${out:0:2000}"; fail=1; return; fi
  if [ "${text:0:1}" = "!" ]; then
    if grep -qF -- "${text:1}" <<<"$out"; then echo "FAIL $name: output has '${text:1}': ${out:0:2000}"; fail=1; return; fi
  elif ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': ${out:0:2000}"; fail=1; return; fi
  echo "ok   $name"
}
cp -r "$src/lintlast" "$src/argbase" "$tmp/"
A="$tmp/lintlast"; B="$tmp/argbase"

# --target: the image is that stage's; an unknown one names the stages there are.
expect parse-target 0 '"finalStage": 0' parse --json --target app "$A/Dockerfile"
expect parse-last 0 '"finalStage": 1' parse --json "$A/Dockerfile"
expect parse-bad-target 2 'the stages are app (line 2), lint (line 9)' parse --json --target nope "$A/Dockerfile"
expect analyze-bad-target 2 'target stage "nope" not found: the stages are app (line 2), lint (line 9)' analyze --target nope "$A"
expect analyze-bad-target-json-silent 2 '!{' analyze --json --target nope "$A"
expect lint-bad-target 2 'the stages are app (line 2), lint (line 9)' lint --target nope "$A/Dockerfile"
# The lint stage's layers are in the last stage's image, not in app's.
expect analyze-last 0 'ruff' analyze "$A"
expect analyze-target 0 '!ruff' analyze --target app "$A"
# A variant ends with the target stage: it builds the same image without --target.
expect export-target 0 'wrote' analyze --target app --export multistage -o "$tmp/ms.Dockerfile" "$A"
if grep -q 'AS lint' "$tmp/ms.Dockerfile" || ! tail -n 3 "$tmp/ms.Dockerfile" | grep -q 'CMD'; then
  echo "FAIL export-ends-with-target: $(cat "$tmp/ms.Dockerfile")"; fail=1
else echo "ok   export-ends-with-target"; fi

# An ARG without a default that decides the base: named at the FROM, with the fix.
expect arg-unset 1 'Dockerfile:3: error: the base image python:${PYTHON_VER}-slim depends on ARG PYTHON_VER (line 2)' analyze "$B"
expect arg-unset-fix 1 '--build-arg PYTHON_VER=3.12' analyze "$B"
expect arg-unset-no-base-size 1 '!--base-size' analyze "$B"
expect arg-given 0 'FROM python:3.12-slim' analyze --build-arg PYTHON_VER=3.12 "$B"
expect arg-given-known 0 '!unknown' analyze --build-arg PYTHON_VER=3.12 "$B"
expect parse-build-arg 0 '"base": "python:3.11-slim"' parse --json --build-arg PYTHON_VER=3.11 "$B/Dockerfile"
expect parse-arg-unset 1 'depends on ARG PYTHON_VER' parse --json "$B/Dockerfile"
expect lint-build-arg 1 'FROM python:3.12-slim' lint --build-arg PYTHON_VER=3.12 "$B/Dockerfile"
expect bad-build-arg 2 'the name before' analyze --build-arg =3.12 "$B"
PYTHON_VER=3.10 expect build-arg-from-env 0 '"base": "python:3.10-slim"' parse --json --build-arg PYTHON_VER "$B/Dockerfile"
expect build-arg-env-unset 2 'has no value' parse --json --build-arg SLIMBENCH_SURELY_UNSET_VAR "$B/Dockerfile"

# .slimbench.json: read by analyze and lint; the flag wins; --no-project-settings ignores it.
expect no-file 1 'SB111' lint "$A/Dockerfile"
printf '{\n  "rules": {"SB111": "off"}\n}\n' > "$A/.slimbench.json"
expect file-lint 0 '!SB111' lint "$A/Dockerfile"
expect file-analyze 0 '!"rule": "SB111"' analyze --json "$A"
expect flag-over-file 1 'warning SB111' lint --rule-severity SB111=warning "$A/Dockerfile"
expect no-project-settings 1 'SB111' lint --no-project-settings "$A/Dockerfile"
expect analyze-no-project-settings 0 '"rule": "SB111"' analyze --json --no-project-settings "$A"
printf '{\n  "rules": {"SB111": "of"}\n}\n' > "$A/.slimbench.json"
expect bad-level 1 '.slimbench.json:2:13: error: rule SB111: expected "off", "info", "warning" or "error", got "of"' lint "$A/Dockerfile"
printf '{\n  "rules": {"SB999": "off"}\n}\n' > "$A/.slimbench.json"
expect unknown-rule 1 'unknown rule "SB999"' analyze "$A"
printf '{\n  "rules": {"SB111": "off",}\n}\n' > "$A/.slimbench.json"
expect bad-json 1 '.slimbench.json:2:' analyze "$A"
expect bad-json-expected 1 'not valid JSON' lint "$A/Dockerfile"
expect bad-json-ignored 1 'SB111' lint --no-project-settings "$A/Dockerfile"
printf '{"rule": {}}\n' > "$A/.slimbench.json"
expect unknown-key 1 'unknown key "rule"' lint "$A/Dockerfile"
exit $fail
