#!/usr/bin/env bash
# The man page slimbench(1) and the --help texts say the same: the page the build made (next to
# the binary, installed gzip'd) is what `slimbench --man` prints now, and, once formatted by man,
# it holds every paragraph of `slimbench --help`, of each `slimbench COMMAND --help` and of the
# window's --help, word for word, and every option each of them names.
set -u
bin="$1"
page="$(dirname "$bin")/slimbench.1"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

[ -s "$page" ] || { echo "FAIL: no man page at $page (the build makes it: app/CMakeLists.txt)"; exit 1; }
[ -s "$page.gz" ] && zcmp -s "$page.gz" "$page" || bad "$page.gz is not $page gzip'd"
"$bin" --man | cmp -s - "$page" || bad "$page is not what \`slimbench --man\` prints now (stale build?)"

# The page as a reader sees it, on one line: man's formatting, whitespace collapsed.
command -v groff >/dev/null || { echo "skipped: needs groff (groff-base) to format the page"; exit 0; }
if ! rendered=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -rLL=200n -P-cbou "$page" 2>&1); then
  echo "FAIL: groff could not format $page:"; echo "$rendered" | head; exit 1
fi
warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
[ -z "$warnings" ] || bad "groff warns about $page: $(echo "$warnings" | head -3)"
flat=" $(printf '%s' "$rendered" | tr -s ' \t\n' '   ') "

# Checks one help text against the page: each paragraph (headings such as "options:" apart,
# which the page shows as section titles) and each option.
check_help() {  # title, help text
  local title=$1 help=$2 para="" line opt n=0
  [ -n "$help" ] || { bad "$title printed nothing"; return; }
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ ^[A-Za-z][A-Za-z\ ]*:$ ]]; then
      grep -qiF -- "${line%:}" <<<"$flat" || bad "$title: heading \"$line\" is not in the man page"
      line=""
    fi
    if [ -z "$line" ]; then
      if [ -n "$para" ]; then
        n=$((n + 1))
        para=$(printf '%s' "$para" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//')
        grep -qF -- " $para " <<<"$flat" || bad "$title: this paragraph is not in the man page: $para"
      fi
      para=""
    else
      para+="$line"$'\n'
    fi
  done <<<"$help"$'\n'
  [ "$n" -gt 0 ] || bad "$title: no paragraph found"
  for opt in $(grep -oE -- '(^|[ [(,|])--?[A-Za-z][A-Za-z0-9-]*' <<<"$help" | sed 's/^[ [(,|]//' | sort -u); do
    grep -qF -- "$opt" <<<"$flat" || bad "$title: option $opt is not in the man page"
  done
}

top=$("$bin" --help)
# Its first line, "slimbench: what it does.", is the page's NAME line: "slimbench - what it does".
check_help "slimbench --help" "$(sed '1{s/^slimbench: /slimbench - /; s/\.$//}' <<<"$top")"
mapfile -t cmds < <(awk '/^commands:$/{c=1; next} /^[^ ]/{c=0} c && /^  [a-z]/{print $1}' <<<"$top")
[ "${#cmds[@]}" -ge 4 ] || bad "expected the commands under \"commands:\" in slimbench --help, found: ${cmds[*]}"
for c in "${cmds[@]}"; do
  check_help "slimbench $c --help" "$("$bin" "$c" --help)"
  grep -qF -- "slimbench $c" <<<"$flat" || bad "no section for slimbench $c"
done
# The window's options: its own --help (reached with any window option first).
if "$bin" --man | grep -q '^\.SH "WINDOW OPTIONS"'; then
  # Qt's usage line names the program as it was started: start it by name.
  check_help "window --help" "$(PATH="$(dirname "$bin"):$PATH" QT_QPA_PLATFORM=offscreen slimbench --dark --help 2>/dev/null)"
fi
# Spot checks that would fail if the comparison above compared nothing.
musts=("--rule-severity" "--export" "--highest-wasted-bytes")
"$bin" --man | grep -q '^\.SH "WINDOW OPTIONS"' && musts+=("--screenshot")
for must in "${musts[@]}"; do
  grep -qF -- "$must" <<<"$flat" || bad "$must is not in the man page"
done

[ "$fail" = 0 ] && echo "man page: matches --help of slimbench, ${#cmds[@]} commands and the window" || echo "man page: FAILED"
exit $fail
