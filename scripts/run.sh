#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the main job on
# a bundled example: the window when a display is available, else the analysis
# printed in the terminal. Extra arguments go to slimbench (e.g. a project folder).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
project="${1:-resources/examples/flask-app}"
exec ./build/app/slimbench "$project" "${@:2}"
