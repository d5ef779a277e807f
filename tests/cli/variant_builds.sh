#!/usr/bin/env bash
# Builds the original, slim and multistage variants of tests/data/realbuild/basic for real on a
# stand-in python:3.12-slim-bookworm made with mmdebstrap (podman/buildah, vfs, chroot isolation)
# and runs a command in each that needs its runtime libraries and its user
# (scripts/check-variant-builds.sh). Skipped where podman, buildah, mmdebstrap or root are missing
# (CI has no podman). The stand-in base is cached under /var/tmp/slimbench-realbuild (first run:
# ~4 min more for mmdebstrap); a run with the cache takes ~4 min here (CTest timeout 1200 s).
set -u
bin="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in podman buildah mmdebstrap; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skipped: needs podman, buildah, mmdebstrap and root"; exit 0
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: needs podman, buildah, mmdebstrap and root"; exit 0
fi
exec timeout 1100 bash "$root/scripts/check-variant-builds.sh" "$bin" "$root/tests/data/realbuild/basic"
