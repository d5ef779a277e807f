#!/usr/bin/env bash
# The committed base-image catalogue is exactly what scripts/base-images/build_catalogue.py
# makes from the committed readings (no network), and every reading's layers add up.
set -euo pipefail
src="${SLIMBENCH_SOURCE_DIR:?}"
command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 0; }
python3 "$src/scripts/base-images/build_catalogue.py" --check
