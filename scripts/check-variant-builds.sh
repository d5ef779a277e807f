#!/usr/bin/env bash
# Builds the original, slim and multistage variants of a project for real and runs them.
#
#   scripts/check-variant-builds.sh [SLIMBENCH_BIN] [PROJECT_DIR]
#
# Docker Hub and PyPI are not needed: the base image the variants name (python:3.12-slim-bookworm,
# and any other python:* tag a variant uses) is a STAND-IN made here with mmdebstrap from Debian's
# mirror (bookworm minbase + Debian's python3/pip, `python`/`pip` on /usr/local/bin like the
# official image), imported into a private vfs store with podman and tagged with those names.
# Builds use buildah (chroot isolation, --pull=never); the check runs in each image with
# `buildah run` as the image's own USER. The stand-in's tarball is cached under
# /var/tmp/slimbench-realbuild, keyed by the hash of its recipe (delete it to rebuild).
#
# Per variant it prints: build ok/failed, run ok/failed, the image's size (podman image inspect
# .Size) and slimbench's estimate of that variant (analyze --json, diskBytes). The base is a
# stand-in (Debian's python3.11 instead of the official image's /usr/local python3.12), so absolute
# sizes differ from what Docker Hub's base gives; the comparison between variants is what counts.
# Needs root, podman, buildah, mmdebstrap and Debian's mirror. Exit 0 when every variant builds
# and runs, 1 otherwise.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/build/app/slimbench}"
project="${2:-$here/tests/data/realbuild/basic}"
variants="${VARIANTS:-original slim multistage}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
project="$(cd "$project" && pwd)"

for tool in podman buildah mmdebstrap python3; do
  command -v "$tool" >/dev/null || { echo "check-variant-builds: $tool is not installed" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "check-variant-builds: needs root (mmdebstrap, vfs storage, chroot isolation)" >&2; exit 2; }
[ -x "$bin" ] || { echo "check-variant-builds: no slimbench binary at $bin" >&2; exit 2; }

work=$(mktemp -d /tmp/slimbench-realbuild.XXXXXX)
store=(--storage-driver vfs --root "$work/storage" --runroot "$work/run")
cleanup() {
  buildah "${store[@]}" rm --all >/dev/null 2>&1
  # vfs layers may hold read-only files; make them removable first.
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
log="$work/log"; mkdir -p "$log"

# ---- the stand-in base image, cached by recipe
suite=bookworm
mirror="${SLIMBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
include=python3,python3-pip,python3-venv,ca-certificates
# Like the official slim image (debian:bookworm-slim underneath, debuerreotype's settings): no docs,
# man pages or locales from dpkg, and apt keeps no .deb files or package caches after a RUN
# (/etc/apt/apt.conf.d/docker-clean). Like python:*: `python` and `pip` on /usr/local/bin, and pip
# may install into the system (no PEP 668 marker). pip is told not to check its version and not to
# retry, so it never waits on the network it does not have (an empty requirements file needs none;
# PIP_NO_INDEX is not set: a variant's `pip install -r` of an empty file works either way).
dpkgopts=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
          --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/groff/*'
          --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*'
          --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*')
hook='ln -sf /usr/bin/python3 "$1/usr/local/bin/python"; ln -sf /usr/bin/python3 "$1/usr/local/bin/python3"; ln -sf /usr/bin/pip3 "$1/usr/local/bin/pip"; ln -sf /usr/bin/pip3 "$1/usr/local/bin/pip3"; rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED; printf "[global]\ndisable-pip-version-check = true\nretries = 0\ntimeout = 10\n" > "$1/etc/pip.conf"; printf "%s\n" "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "Dir::Cache::pkgcache \"\";" "Dir::Cache::srcpkgcache \"\";" > "$1/etc/apt/apt.conf.d/docker-clean"; echo "Acquire::Languages \"none\";" > "$1/etc/apt/apt.conf.d/docker-no-languages"; rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin'
recipe="mmdebstrap --variant=minbase --include=$include ${dpkgopts[*]} --customize-hook=$hook $suite $mirror"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-16)
cache=/var/tmp/slimbench-realbuild
base_tar="$cache/base-$suite-$key.tar"
mkdir -p "$cache"
if [ ! -s "$base_tar" ]; then
  echo "making the stand-in base with mmdebstrap ($suite, $include) → $base_tar"
  if ! mmdebstrap --variant=minbase --include="$include" "${dpkgopts[@]}" --customize-hook="$hook" \
        "$suite" "$cache/partial-$key.tar" "$mirror" >"$log/mmdebstrap.log" 2>&1; then
    echo "check-variant-builds: mmdebstrap failed:" >&2; tail -20 "$log/mmdebstrap.log" >&2
    rm -f "$cache/partial-$key.tar"; exit 2
  fi
  mv "$cache/partial-$key.tar" "$base_tar"
  for f in "$cache"/base-*.tar; do [ "$f" = "$base_tar" ] || rm -f "$f"; done  # older recipes
fi

# ---- the variants' Dockerfiles, and slimbench's estimate of each
declare -A file
for v in $variants; do
  if [ "$v" = original ]; then
    file[$v]="$project/Dockerfile"
  else
    file[$v]="$work/Dockerfile.$v"
    if ! "$bin" analyze "$project" --export "$v" -o "${file[$v]}" >"$log/export-$v.log" 2>&1; then
      echo "check-variant-builds: slimbench could not export $v:" >&2; cat "$log/export-$v.log" >&2; exit 1
    fi
  fi
done
"$bin" analyze "$project" --json >"$work/analysis.json" 2>"$log/analyze.log" || {
  echo "check-variant-builds: slimbench analyze --json failed:" >&2; cat "$log/analyze.log" >&2; exit 1; }

# Every python:* base the variants name gets the stand-in (the builder stage uses one too).
bases=$(for v in $variants; do
  grep -hoiE '^[[:space:]]*FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?[^[:space:]]+' "${file[$v]}" \
    | awk '{print $NF}'; done | grep -E '^(docker\.io/)?(library/)?python:' | sort -u)
[ -n "$bases" ] || bases="python:3.12-slim-bookworm"
first=""
for b in $bases; do
  name="$b"
  case "$name" in docker.io/*) ;; library/*) name="docker.io/$name" ;; *) name="docker.io/library/$name" ;; esac
  if [ -z "$first" ]; then
    podman "${store[@]}" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
      "$base_tar" "$name" >"$log/import.log" 2>&1 || { echo "podman import failed:" >&2; cat "$log/import.log" >&2; exit 2; }
    first="$name"
  else
    podman "${store[@]}" tag "$first" "$name" || exit 2
  fi
done
base_size=$(podman "${store[@]}" image inspect --format '{{.Size}}' "$first")
echo "stand-in base: $(echo $bases | tr ' ' ',') = mmdebstrap $suite minbase + $include, $base_size bytes (NOT the official image: absolute sizes differ)"

# ---- build and run each variant
# What the image must do as its own USER: load the runtime libraries, be `app`, own /app/data.
check='set -e
python3 -c "import ctypes; ctypes.CDLL(\"libpq.so.5\"); ctypes.CDLL(\"libxml2.so.2\")"
test "$(id -un)" = app || { echo "user is $(id -un), expected app"; exit 1; }
test "$(stat -c %U /app/data)" = app || { echo "/app/data is owned by $(stat -c %U /app/data)"; exit 1; }
touch /app/data/probe
echo libs+user+data ok'
estimate() {  # variant id → "total mid (low–high) | added over its base" from analyze --json
  python3 - "$work/analysis.json" "$1" "$here/scripts" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[3])
import slimbench_analysis  # schema 2: layers named sameAs are read back whole
a = slimbench_analysis.expand(json.load(open(sys.argv[1])))
mb = lambda x: "?" if x is None else f"{x / 1e6:.1f}"
for v in a.get("variants", []):
    if v.get("id") != sys.argv[2]:
        continue
    d = v.get("diskBytes") or {}
    if "error" in v or d.get("mid") is None:
        print("unknown\t?"); break
    lb = "≥ " if d.get("lowerBound") else ""
    base = sum((l.get("diskBytes") or {}).get("mid") or 0 for l in v.get("layers", []) if l.get("fromBase"))
    print(f"{lb}{mb(d['mid'])} MB ({mb(d.get('low'))}–{mb(d.get('high'))})\t{lb}{mb(d['mid'] - base)} MB")
    break
else:
    print("no such variant\t?")
PY
}
status=0
printf '%-11s %-13s %-10s %-11s %-24s %-14s %s\n' variant build run "image size" "estimate (low–high)" "added: image" "estimate"
for v in $variants; do
  tag="localhost/slimbench-realbuild-$v"
  build=failed run=failed size="-" added="-" bstart=$(date +%s)
  if buildah "${store[@]}" bud --isolation chroot --pull=never -f "${file[$v]}" -t "$tag" "$project" >"$log/build-$v.log" 2>&1; then
    build="ok($(( $(date +%s) - bstart ))s)"
    size_b=$(podman "${store[@]}" image inspect --format '{{.Size}}' "$tag")
    size="$(python3 -c "print(f'{$size_b / 1e6:.1f} MB')")"
    added="$(python3 -c "print(f'{($size_b - $base_size) / 1e6:.1f} MB')")"
    ctr=$(buildah "${store[@]}" from --pull-never "$tag" 2>"$log/from-$v.log")
    if [ -n "$ctr" ] && buildah "${store[@]}" run --isolation chroot "$ctr" -- sh -c "$check" >"$log/run-$v.log" 2>&1 \
       && buildah "${store[@]}" run --isolation chroot "$ctr" -- python app.py >>"$log/run-$v.log" 2>&1; then
      run=ok
    fi
    [ -n "$ctr" ] && buildah "${store[@]}" rm "$ctr" >/dev/null 2>&1
  fi
  IFS=$'\t' read -r est est_added <<<"$(estimate "$v")"
  printf '%-11s %-13s %-10s %-11s %-24s %-14s %s\n' "$v" "build $build" "run $run" "$size" "$est" "$added" "$est_added"
  if [ "$build" = failed ]; then status=1; echo "  --- build log (last 15 lines) of $v:"; tail -15 "$log/build-$v.log" | sed 's/^/  /'; fi
  if [ "$build" != failed ] && [ "$run" = failed ]; then status=1; echo "  --- run log of $v:"; sed 's/^/  /' "$log/run-$v.log"; fi
done
echo "note: the base is a stand-in (Debian bookworm's python3.11 via mmdebstrap, not Docker Hub's python:3.12-slim-bookworm),"
echo "      so total sizes differ from the estimate by the bases' difference; 'added' (image minus the stand-in base,"
echo "      estimate minus its base layers) compares what the Dockerfile's own steps weigh."
exit $status
