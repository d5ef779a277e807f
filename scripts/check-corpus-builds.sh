#!/usr/bin/env bash
# Builds every project of a corpus and slimbench's Debian-side exports of it (fat, slim,
# multistage, buildkit) for real, on stand-in base images, and checks each image's entry point
# and user.
#
#   scripts/check-corpus-builds.sh CORPUS_DIR [SLIMBENCH_BIN] [--results FILE.tsv|FILE.json]
#                                  [--timeout SECONDS] [--only REGEX] [--limit N] [--max-minutes M] [--keep-logs DIR]
#   scripts/check-corpus-builds.sh --summary-of RESULTS.tsv     (the counts of an earlier run)
#
# CORPUS_DIR holds one folder per project; its root Dockerfile is built, else the first one found
# (as scripts/corpus-report.py picks it), with the project folder as the context.
# Environment: SLIMBENCH_REALBUILD_RESULTS (= --results), SLIMBENCH_REALBUILD_TIMEOUT (per build,
# default 600 s), SLIMBENCH_REALBUILD_LOGS (= --keep-logs), SLIMBENCH_REALBUILD_CACHE (root
# filesystems, default /var/tmp/slimbench-realbuild), SLIMBENCH_DEBIAN_MIRROR.
#
# Stand-ins (nothing is pulled: buildah bud --pull=never, vfs storage in a private store under a
# temporary folder, chroot isolation): Debian roots made with mmdebstrap (scripts/realbuild-roots.sh,
# cached by recipe) for bullseye, bookworm and trixie, tagged under every python:* / debian:* /
# ubuntu:* name the Dockerfile and its exports use, plus a stand-in pip/uv/poetry that installs
# nothing but fails where the real one fails (scripts/realbuild/standin.py). docs/development.md "Built for
# real" says how they differ from the official images.
#
# Prints one line per project (original and each variant: ok, FAILED, no-entry, no-user,
# base n/a, -) with the failing step and error line of each failure, then the counts and the
# total time. Exit 0 when every variant is as good as its original (builds, with entry point and
# user, wherever the original does or its base is out of reach), 1 otherwise, 2 when a tool is missing.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { sed -n 2,26p "$0" >&2; exit 2; }
if [ "$1" = --summary-of ]; then exec python3 "$here/scripts/realbuild/corpus_builds.py" - - "$@"; fi
corpus="$1"; shift
bin="$here/build/app/slimbench"
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then bin="$1"; shift; fi
for tool in podman buildah mmdebstrap python3; do
  command -v "$tool" >/dev/null || { echo "check-corpus-builds: $tool is not installed" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "check-corpus-builds: needs root (mmdebstrap, vfs storage, chroot isolation)" >&2; exit 2; }
[ -x "$bin" ] || { echo "check-corpus-builds: no slimbench binary at $bin" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
exec python3 "$here/scripts/realbuild/corpus_builds.py" "$corpus" "$bin" "$@"
