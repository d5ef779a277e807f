#!/usr/bin/env bash
# The .deb of this build installs on a clean Debian 12 root (mmdebstrap) with apt-get and runs
# there: --version, analyze on an installed example, --screenshot; its desktop entry and AppStream
# metadata validate (scripts/check-deb.sh). Skipped where mmdebstrap or root are missing. The root
# and the downloaded packages are cached under /var/tmp/slimbench-deb (first run: a few minutes more).
set -u
bin="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "$(dirname "$bin")/.." && pwd)"
exec timeout 1500 bash "$root/scripts/check-deb.sh" --build-dir "$build"
