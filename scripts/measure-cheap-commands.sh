#!/usr/bin/env bash
# Measures what "cheap" RUN commands add to a layer: runs each in a fresh copy of a
# Debian minbase root (chroot) and tars exactly the paths it created or changed, as a
# layer diff would hold them (GNU tar with 512-byte records, no sparse support, like the
# layer tars Docker and Podman write).
# Usage: bash scripts/measure-cheap-commands.sh [ROOT]
#   ROOT: a minbase root, made with: mmdebstrap --variant=minbase --mode=root bookworm ROOT
# Prints one line per command: entries, content bytes, tar bytes. Needs root (chroot).
set -euo pipefail
ROOT=${1:-/tmp/bookworm-root}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
snapshot() {  # path size mtime ctime mode uid gid (ctime catches chmod/chown)
  (cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \) -prune -o -printf '%p %s %T@ %C@ %m %U %G\n' | sort)
}
measure() {
  local cmd=$1 r="$WORK/root"
  rm -rf "$r"; cp -a "$ROOT" "$r"
  snapshot "$r" > "$WORK/before"
  chroot "$r" /bin/sh -c "$cmd" >/dev/null 2>&1 || { echo "FAILED: $cmd"; return; }
  snapshot "$r" > "$WORK/after"
  comm -13 "$WORK/before" "$WORK/after" | awk '{print $1}' | grep -v '^\.$' > "$WORK/changed" || true
  local n bytes tarb
  n=$(wc -l < "$WORK/changed")
  bytes=$(cd "$r" && xargs -r -a "$WORK/changed" -d '\n' stat -c '%s %F' 2>/dev/null | awk '$2=="regular"{s+=$1} END{print s+0}')
  tarb=$(cd "$r" && tar -c -b1 --no-recursion -f - -T "$WORK/changed" 2>/dev/null | wc -c)
  printf '%-70s entries=%-3s content=%-8s tar=%s\n' "$cmd" "$n" "$bytes" "$tarb"
  if [ -n "${VERBOSE:-}" ]; then sed 's/^/    /' "$WORK/changed"; fi
}
measure 'useradd -m app'
measure 'useradd -r -s /bin/false app'
measure 'groupadd -r app'
measure 'groupadd -r app && useradd -r -g app app'
measure 'groupadd -r app && useradd -r -g app app && usermod -aG users app'
measure 'echo "root:x" | chpasswd'
measure 'cp /etc/skel/.bashrc /root/.bashrc.copy'
measure 'useradd -u 10001 -m app'
measure 'useradd --no-log-init -u 10001 -m app'
measure 'adduser --disabled-password --gecos "" app'
measure 'addgroup --system app && adduser --system --ingroup app app'
measure 'mkdir -p /app/data /app/logs'
measure 'ln -s /usr/bin/python3 /usr/local/bin/python'
measure 'echo "export X=1" > /etc/profile.d/app.sh'
measure 'touch /app.txt'
measure 'sed -i "s/^#force_color_prompt/force_color_prompt/" /etc/skel/.bashrc'
measure 'chmod 600 /etc/skel/.bashrc'
measure 'ldconfig'
measure 'apt-get check'
measure 'apt-mark manual libkeyutils1 python3.11'
measure 'apt-mark auto adduser'
measure 'apt-mark hold adduser'
measure 'truncate --size 0 /var/log/apt/*log'
measure 'apt-mark hold adduser && apt-mark unhold adduser'
measure 'echo LANG=C.UTF-8 > /etc/default/locale'
