#!/usr/bin/env bash
# What docker build is told (--target, --build-arg) in analyze, parse --json and lint, and the
# rule severities of the project file (slimbench.toml [rules]) that analyze and lint read: flags
# over the file, --no-project-file without it, a malformed file an error with its line.
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

# [rules] of slimbench.toml: read by analyze and lint; the flag wins; --no-project-file ignores it.
expect no-file 1 'SB111' lint "$A/Dockerfile"
printf '# the lint stage runs as root on purpose\n[rules]\nSB111 = "off"\n' > "$A/slimbench.toml"
expect file-lint 0 '!SB111' lint "$A/Dockerfile"
expect file-analyze 0 '!"rule": "SB111"' analyze --json "$A"
expect file-analyze-dockerfile 0 '!"rule": "SB111"' analyze --json "$A/Dockerfile"
expect flag-over-file 1 'warning SB111' lint --rule-severity SB111=warning "$A/Dockerfile"
expect analyze-flag-over-file 0 '"rule": "SB111"' analyze --json --rule-severity SB111=warning "$A"
expect no-project-file 1 'SB111' lint --no-project-file "$A/Dockerfile"
expect analyze-no-project-file 0 '"rule": "SB111"' analyze --json --no-project-file "$A"
printf '[rules]\nSB111 = "of"\n' > "$A/slimbench.toml"
expect bad-level 1 'slimbench.toml:2:9: error: [rules] SB111: expected "off", "info", "warning" or "error", got "of"' lint "$A/Dockerfile"
printf '[rules]\nSB999 = "off"\n' > "$A/slimbench.toml"
expect unknown-rule 1 'SB999: no rule has this id' analyze "$A"
printf '[rules]\nSB111 = off\n' > "$A/slimbench.toml"
expect bad-toml 1 'slimbench.toml:2:' analyze "$A"
expect bad-toml-says 1 'invalid TOML' lint "$A/Dockerfile"
expect bad-toml-ignored 1 'SB111' lint --no-project-file "$A/Dockerfile"
printf '[rule]\nSB111 = "off"\n' > "$A/slimbench.toml"
expect unknown-table 1 'unknown table [rule]' lint "$A/Dockerfile"
exit $fail
