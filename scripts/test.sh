#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, run the whole test suite
# headless. The BuildKit conformance cases are read from ../shared when present.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j"$(nproc)"
