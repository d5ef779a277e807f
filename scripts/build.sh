#!/usr/bin/env bash
# Configures and builds slimbench in ./build (ccache keeps rebuilds quick).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$(nproc)"
