#!/usr/bin/env bash
# Installs the Debian 12 packages slimbench needs to build and test, only those
# that are missing. Run as root (or with sudo available).
set -euo pipefail
PKGS=(cmake ninja-build g++ ccache pkg-config
      qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libgl-dev
      fonts-dejavu-core
      libarchive-dev nlohmann-json3-dev libtomlplusplus-dev libzstd-dev
      libssl-dev libisal-dev zlib1g-dev libjemalloc-dev
      xvfb xauth)
if [ "${SLIMBENCH_WITH_FUZZ:-0}" = 1 ]; then PKGS+=(clang-14 libfuzzer-14-dev); fi
if [ -n "${SLIMBENCH_EXTRA_PKGS:-}" ]; then read -r -a extra <<<"$SLIMBENCH_EXTRA_PKGS"; PKGS+=("${extra[@]}"); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "slimbench: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
