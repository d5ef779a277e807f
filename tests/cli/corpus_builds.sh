#!/usr/bin/env bash
# Builds the regression projects of tests/data/realbuild (one folder per failure pattern found in
# real Dockerfiles) and slimbench's Debian-side exports of each (fat, slim, multistage, buildkit)
# for real, on stand-in bases (scripts/check-corpus-builds.sh). Passes when every variant builds,
# with its entry point and user present (and the project's realbuild-check.sh passing), wherever
# the original builds or its base is out of reach here (Alpine). Skipped where podman, buildah,
# mmdebstrap or root are missing (CI has no podman). The stand-in roots are cached under
# /var/tmp/slimbench-realbuild (first run: ~20 min more for mmdebstrap).
set -u
bin="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in podman buildah mmdebstrap; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skipped: needs podman, buildah, mmdebstrap and root ($tool is missing)"; exit 0
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: needs podman, buildah, mmdebstrap and root (not root)"; exit 0
fi
# The whole test suite stays under 30 minutes on 2 cores: no project starts after 7 minutes (the
# first run also makes the roots), and the order turns by the day, so successive runs cover every
# project; the output says how many were not started.
exec timeout 1140 bash "$root/scripts/check-corpus-builds.sh" "$root/tests/data/realbuild" "$bin" --timeout 400 --max-minutes 7 --rotate-daily
