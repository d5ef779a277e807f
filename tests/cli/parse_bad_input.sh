#!/usr/bin/env bash
# slimbench parse on bad input: a clear message with file and what was expected,
# exit code 1, never a crash (exit >= 128) or a hang.
set -u
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # name, expected-exit, expected-text, file
  local name="$1" want="$2" text="$3" file="$4"
  out=$(timeout 20 "$bin" parse "$file" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: $out"; fail=1; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': $out"; fail=1; return; fi
  echo "ok   $name: $(head -c 160 <<<"$out" | head -1)"
}
: > "$tmp/empty"
check empty 1 "file with no instructions" "$tmp/empty"
printf '# only\n# comments\n' > "$tmp/comments"
check only-comments 1 "file with no instructions" "$tmp/comments"
head -c 4096 /dev/urandom > "$tmp/junk"; printf '\0' >> "$tmp/junk"
check binary-junk 1 "expected UTF-8 text" "$tmp/junk"
truncate -s 50M "$tmp/huge"
check huge-50MB 1 "limit for a text input" "$tmp/huge"
check missing 1 "no such file" "$tmp/does-not-exist"
check folder 1 "is a folder" "$tmp"
printf 'FROM a\nRUN <<EOF\necho\n' > "$tmp/heredoc"
check unterminated-heredoc 1 "heredoc:2:" "$tmp/heredoc"
printf 'FROM a\nCMD ["a", 1]\n' > "$tmp/json"
check nested-json 1 "json:2:" "$tmp/json"
printf 'FROM a\nRUN echo ok\n' > "$tmp/good"
check good 0 '(run "echo ok")' "$tmp/good"
# 200,000 lines of continuation: must finish quickly, not hang.
{ echo "FROM a"; printf 'RUN echo \\\n'; for i in $(seq 1 200000); do printf '  x%d \\\n' "$i"; done; echo "  end"; } > "$tmp/long"
check long-continuation 0 '(run "echo' "$tmp/long"
# --json on a Dockerfile with an unknown instruction: error with line, exit 1.
printf 'FROM a\nFOO bar\n' > "$tmp/unknown"
out=$(timeout 20 "$bin" parse --json "$tmp/unknown" 2>&1); rc=$?
if [ $rc -ne 1 ] || ! grep -q '"message": "unknown instruction: FOO' <<<"$out"; then echo "FAIL unknown-instruction: $rc $out"; fail=1; else echo "ok   unknown-instruction"; fi
exit $fail
