#!/usr/bin/env bash
# slimbench analyze --report FILE.html|FILE.md and --max-size SIZE [--variant ID]: the files written
# (atomically, replaced only with --force), the options combined with the others, the size check's
# verdicts and exit codes (3 over the limit; a lower bound under it passes with a warning).
set -u
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$(dirname "$0")/../.." && pwd)"
flask="$src/resources/examples/flask-app"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() { out=$(timeout 120 "$bin" analyze "$@" 2>&1); rc=$?; }
check() {  # name, expected-exit, expected-text, args...
  local name="$1" want="$2" text="$3"; shift 3
  run "$@"
  if [ "$rc" -ne "$want" ]; then echo "FAIL $name: exit $rc, expected $want: $out"; fail=1; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL $name: output lacks '$text': $out"; fail=1; return; fi
  echo "ok   $name"
}
has() {  # name, file, text
  if grep -qF -- "$3" "$2"; then echo "ok   $1"; else echo "FAIL $1: $2 lacks '$3'"; fail=1; fi
}
lacks() {  # name, file, text
  if grep -qiF -- "$3" "$2"; then echo "FAIL $1: $2 has '$3'"; fail=1; else echo "ok   $1"; fi
}

# HTML: one self-contained page, the table printed as usual.
check html-written 0 "wrote $tmp/r.html (HTML report" --report "$tmp/r.html" "$flask"
grep -qF "variant" <<<"$out" || { echo "FAIL html-table-still-printed: $out"; fail=1; }
has html-doctype "$tmp/r.html" "<!DOCTYPE html>"
has html-svg "$tmp/r.html" '<svg xmlns="http://www.w3.org/2000/svg"'
has html-diff "$tmp/r.html" '<pre class="diff">'
has html-recommended "$tmp/r.html" "Recommended: "
lacks html-no-script "$tmp/r.html" "<script"
lacks html-no-link "$tmp/r.html" "<link"
# An existing report is replaced only with --force (as --export).
check html-exists 1 "exists" --report "$tmp/r.html" "$flask"
check html-force 0 "wrote" --report "$tmp/r.html" --force "$flask"

# Markdown, with the other options: the variant chosen, the architecture, a build arg.
check md-written 0 "showing Slim" --report "$tmp/r.md" --variant slim --arch arm64 --build-arg X=1 "$flask"
has md-chosen "$tmp/r.md" "### Chosen: Slim"
has md-arch "$tmp/r.md" "arm64"
has md-table "$tmp/r.md" "| Your Dockerfile |"
has md-chart "$tmp/r.md" "█"
has md-dockerfile "$tmp/r.md" '```dockerfile'
has md-diff "$tmp/r.md" '```diff'
# The comparison table: a row per variant (the first table, after its separator line).
rows=$(awk '/^\|---/{n++; next} n==1 && /^\| /{r++} n==1 && !/^\| /{exit} END{print r+0}' "$tmp/r.md")
[ "$rows" -eq 6 ] && echo "ok   md-rows" || { echo "FAIL md-rows: $rows rows, expected 6"; fail=1; }

# With --json: stdout stays the JSON document, and the report still has every layer's source.
timeout 120 "$bin" analyze --json --report "$tmp/j.html" "$flask" > "$tmp/j.json" 2>/dev/null
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/j.json" && echo "ok   json-intact" || { echo "FAIL json-intact"; fail=1; }
has json-report-sources "$tmp/j.html" "<i>Source:</i>"

check report-bad-extension 2 "must end in .html" --report "$tmp/r.txt" "$flask"
check variant-unknown 2 "unknown variant nope" --report "$tmp/x.md" --variant nope "$flask"
check variant-alone 2 "--variant chooses the variant of --report and --max-size" --variant slim "$flask"
check report-no-dir 1 "$tmp/none/r.html" --report "$tmp/none/r.html" "$flask"

# --max-size: the user's Dockerfile by default, or --variant.
check max-over 3 "over the size limit: Your Dockerfile (original)" --max-size 1MB "$flask"
check max-within 0 "within the size limit" --max-size 100GB "$flask"
check max-variant 3 "Slim (python:X-slim) (slim)" --max-size 1MB --variant slim "$flask"
check max-bad 2 "--max-size: expected a size" --max-size lots "$flask"
check max-help 0 "3 the estimate is over --max-size" --help

# A project with a requirement no catalogue knows: every total is a lower bound.
mkdir -p "$tmp/u"
cp "$flask/Dockerfile" "$flask/app.py" "$tmp/u/"
printf 'flask==3.0.3\nsb-internal-package-nobody-knows==1.0\n' > "$tmp/u/requirements.txt"
check lower-over 3 "whatever the unknown parts hold" --max-size 1MB "$tmp/u"
check lower-under 0 "warning: Your Dockerfile (original): at least" --max-size 100GB "$tmp/u"
grep -qF "unknown parts could exceed it" <<<"$out" || { echo "FAIL lower-under-says-why: $out"; fail=1; }
check lower-report 0 "wrote" --report "$tmp/u.html" "$tmp/u"
has lower-report-bound "$tmp/u.html" "≥ "
has lower-report-open "$tmp/u.html" '<g class="open">'

# --export VARIANT -o -: the Dockerfile alone on standard output (no file named "-"), the same text
# as -o FILE; with --json both would write there: refused.
( cd "$tmp" && timeout 120 "$bin" analyze "$flask" --export multistage -o - >"$tmp/stdout.Dockerfile" 2>"$tmp/stderr.txt" )
rc=$?
[ "$rc" -eq 0 ] && echo "ok   export-stdout-exit" || { echo "FAIL export-stdout-exit: $rc $(cat "$tmp/stderr.txt")"; fail=1; }
[ ! -e "$tmp/-" ] && echo "ok   export-stdout-no-dash-file" || { echo "FAIL export-stdout-no-dash-file"; fail=1; }
check export-file 0 "wrote $tmp/ms.Dockerfile" "$flask" --export multistage -o "$tmp/ms.Dockerfile"
cmp -s "$tmp/stdout.Dockerfile" "$tmp/ms.Dockerfile" && echo "ok   export-stdout-same-text" \
  || { echo "FAIL export-stdout-same-text"; diff "$tmp/stdout.Dockerfile" "$tmp/ms.Dockerfile" | head; fail=1; }
has export-stdout-from "$tmp/stdout.Dockerfile" "FROM python:"
check export-stdout-json 2 "both write to standard output" "$flask" --export slim -o - --json
exit $fail
