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
measure 'truncate --size 0 /var/log/apt/*log'
measure 'echo LANG=C.UTF-8 > /etc/default/locale'
measure 'update-alternatives --install /usr/local/bin/python python /usr/bin/dash 1'
measure 'update-alternatives --set pager /bin/more'

# The rest needs Docker's apt settings (no package caches kept: the official Debian images'
# /etc/apt/apt.conf.d/docker-clean) and packages a minbase root does not have (gpg, locales),
# installed from Debian's mirror into a copy of ROOT.
BASE=$ROOT
ROOT="$WORK/extra-root"
rm -rf "$ROOT"; cp -a "$BASE" "$ROOT"
cat > "$ROOT/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
measure 'apt-mark hold adduser'
measure 'apt-mark hold adduser && apt-mark unhold adduser'
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
chroot "$ROOT" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gpg gpg-agent locales && rm -rf /var/lib/apt/lists/*' >/dev/null 2>&1
# An armored export of one key: Debian's bookworm archive key (8,700 bytes as a keyring).
chroot "$ROOT" sh -c 'export GNUPGHOME=$(mktemp -d); gpg -q --batch --import /usr/share/keyrings/debian-archive-bookworm-automatic.gpg; gpg -q --batch --armor --export > /k.asc; rm -rf "$GNUPGHOME"' 2>/dev/null
measure 'gpg --dearmor -o /usr/share/keyrings/vendor.gpg < /k.asc'
measure 'gpg --batch --import /k.asc'
measure 'gpg --batch --list-keys'
measure 'sed -i "s/^# *en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen'
measure 'sed -i -e "s/^# *en_US.UTF-8/en_US.UTF-8/" -e "s/^# *de_DE.UTF-8/de_DE.UTF-8/" -e "s/^# *fr_FR.UTF-8/fr_FR.UTF-8/" /etc/locale.gen && locale-gen'
# The keyrings Debian ships: the range for a key whose size is not known.
ls -l "$ROOT"/usr/share/keyrings/*.gpg | awk '{print "keyring", $5, $NF}'
