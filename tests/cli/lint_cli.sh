#!/usr/bin/env bash
# slimbench lint: findings in file:line: severity RULE title: message form,
# exit 1 with a warning, 0 when only info (or rules switched off), 2 on usage errors.
set -u
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # name, expected-exit, expected-text, args...
  local name="$1" want="$2" text="$3"; shift 3
  out=$(timeout 20 "$bin" lint "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: $out"; fail=1; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': $out"; fail=1; return; fi
  echo "ok   $name"
}
printf 'FROM python:3.12-slim\nRUN pip install flask\nUSER app\n' > "$tmp/Dockerfile"
touch "$tmp/.dockerignore"
expect warning 1 "Dockerfile:2: warning SB102 pip cache left in the image" "$tmp/Dockerfile"
expect off 0 "" --rule-severity SB102=off "$tmp/Dockerfile"
expect as-info 0 "info SB102" --rule-severity=SB102=info "$tmp/Dockerfile"
expect json 1 '"rule": "SB102"' --json "$tmp/Dockerfile"
expect unknown-rule 2 "unknown rule SB999" --rule-severity SB999=off "$tmp/Dockerfile"
expect bad-override 2 "expected RULE=SEVERITY" --rule-severity SB102 "$tmp/Dockerfile"
expect list 0 "SB101" --list
expect missing 1 "no such file" "$tmp/nope"
printf '# slimbench ignore=SB102\nFROM python:3.12-slim\nUSER app\n# pip into the system as app: SB119 too\n# slimbench ignore=SB102,SB119\nRUN pip install flask\n' > "$tmp/ignored"
expect inline-ignore 0 "" "$tmp/ignored"
# What docker build rejects after parsing: an error at the line with what was expected, exit 1.
printf 'FROM python:3.12-slim\nENV =broken\nUSER app\n' > "$tmp/rejected"
expect rejected-env 1 "rejected:2: error: ENV names can not be blank (expected NAME=VALUE" "$tmp/rejected"
printf 'FROM python:3.12-slim\nHEALTHCHECK --interval=abc CMD true\nUSER app\n' > "$tmp/rejected2"
expect rejected-healthcheck 1 'rejected2:2: error: time: invalid duration "abc" in HEALTHCHECK --interval' "$tmp/rejected2"
exit $fail
