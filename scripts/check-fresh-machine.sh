#!/usr/bin/env bash
# Proves the README's two Quick start commands on a fresh Debian 12 machine:
#  1. makes a clean Debian 12 root with mmdebstrap (--variant=minbase; the tarball is
#     cached between runs),
#  2. copies the committed tree into it (git archive HEAD: uncommitted changes are not
#     part of the check, as on a user's machine),
#  3. bind-mounts /proc, /sys and /dev, and in a chroot with an empty environment runs
#     exactly the README's two commands, then both once more to show that a second run
#     installs nothing and rebuilds nothing,
#  4. renders a --screenshot inside the root (copied out, to look at the text),
#  5. prints one line per command with its result, and the test summary.
#
#   scripts/check-fresh-machine.sh [--keep] [--refresh]
#     --keep      keep the root afterwards (default: removed)
#     --refresh   make the cached Debian tarball again
# Environment: FRESH_DIR (default /var/tmp/slimbench-fresh), FRESH_MIRROR
# (default http://deb.debian.org/debian). Needs root and mmdebstrap; takes 15-30 minutes
# on two cores (the build and the test suite run inside the root).
# Not part of CI (it needs root, mounts and the Debian mirror); run it before you stop
# whenever the dependencies, the build scripts or the README's commands change.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${FRESH_DIR:-/var/tmp/slimbench-fresh}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
keep=0 refresh=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    --refresh) refresh=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "check-fresh-machine: unknown option $a (expected --keep or --refresh)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "check-fresh-machine: needs root (mounts and chroot)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "check-fresh-machine: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }

mkdir -p "$dir"
tarball="$dir/bookworm-minbase.tar"
if [ "$refresh" = 1 ] || [ ! -s "$tarball" ]; then
  echo "making a Debian 12 (bookworm) minbase root: $tarball"
  mmdebstrap --quiet --variant=minbase --format=tar bookworm "$tarball.part" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb ${mirror%/debian}/debian-security bookworm-security main"
  mv "$tarball.part" "$tarball"
fi

root="$dir/root"
log="$dir/logs"
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then rm -rf "$root"; fi
}
trap cleanup EXIT
rm -rf "$root" "$log"
mkdir -p "$root" "$log"
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/root/slimbench"
git -C "$here" archive HEAD | tar -C "$root/root/slimbench" -x
for m in proc sys dev; do
  mount --rbind "/$m" "$root/$m"
  mount --make-rslave "$root/$m"
  mounted+=("$root/$m")
done

# A command of the README's Quick start, as a new user runs it: root, an empty environment
# but for what a login shell sets, in the repository folder.
in_root() {  # name, command...
  local name=$1; shift
  local start=$SECONDS rc=0
  env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 \
    chroot "$root" /bin/bash -c 'cd /root/slimbench && '"$*" >"$log/$name.log" 2>&1 || rc=$?
  printf '%-44s %s in %d s (log %s)\n' "$*" "$([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc)")" $((SECONDS - start)) "$log/$name.log"
  return $rc
}

# The two commands, from the README's Quick start code blocks.
mapfile -t cmds < <(awk '/^## Quick start/{q=1; next} /^## /{q=0} q && /^```/{f=!f; next} q && f && NF' "$here/README.md")
[ "${#cmds[@]}" = 2 ] || { echo "check-fresh-machine: expected 2 commands in the README's Quick start, found ${#cmds[@]}" >&2; exit 1; }
echo "README commands: ${cmds[0]} | ${cmds[1]}"

fail=0
in_root run1 "${cmds[0]}" || fail=1
in_root test1 "${cmds[1]}" || fail=1
# Idempotent: a second run installs nothing and rebuilds nothing.
in_root run2 "${cmds[0]}" || fail=1
in_root test2 "${cmds[1]}" || fail=1
for n in run2 test2; do
  if grep -q '^slimbench: installing' "$log/$n.log"; then echo "second run $n installed packages again:"; grep '^slimbench: installing' "$log/$n.log"; fail=1; fi
  if grep -qE '^\[[0-9]+/[0-9]+\] (Building|Linking)' "$log/$n.log"; then echo "second run $n rebuilt something:"; grep -cE '^\[[0-9]+/[0-9]+\] (Building|Linking)' "$log/$n.log"; fail=1; fi
done

echo "--- what the run command printed (first 25 lines) ---"
sed -n '/^slimbench: installing/d; 1,200p' "$log/run1.log" | grep -vE '^(\[[0-9]+/[0-9]+\]|debconf|--)' | head -n 25
echo "--- test summary ---"
grep -E 'tests passed|tests failed|Failed|\*\*\*|SKIP' "$log/test1.log" | tail -n 15 || true

# A screenshot made inside the root: readable text needs fonts there.
if in_root screenshot "QT_QPA_PLATFORM=offscreen ./build/app/slimbench --screenshot /tmp/fresh-screenshot.png --size 1280x800 resources/examples/flask-app"; then
  cp "$root/tmp/fresh-screenshot.png" "$dir/fresh-screenshot.png"
  echo "screenshot: $dir/fresh-screenshot.png"
  fc=$(find "$root/usr/share/fonts" -name '*.ttf' -o -name '*.otf' 2>/dev/null | wc -l)
  echo "font files in the root: ${fc:-0}"
  [ "${fc:-0}" -gt 0 ] || { echo "no fonts in the root: the window would draw boxes"; fail=1; }
else
  fail=1
fi

[ "$fail" = 0 ] && echo "fresh machine: both README commands passed" || echo "fresh machine: FAILED"
exit $fail
