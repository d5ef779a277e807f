#!/usr/bin/env bash
# Makes (or finds in the cache) the Debian root filesystems the real-build stand-in images start
# from, with mmdebstrap from Debian's mirror. Prints the tarball's path on stdout.
#
#   scripts/realbuild-roots.sh RELEASE KIND       RELEASE: bullseye | bookworm | trixie
#                                                 KIND:    minbase | python | pythonfat
#
#   minbase    debian:RELEASE: plain minbase (no python; Debian's EXTERNALLY-MANAGED applies once
#              a Dockerfile apt-installs python3)
#   python     python:X-slim-RELEASE: minbase + Debian's python3, python3-venv, ca-certificates,
#              netbase, tzdata
#   pythonfat  python:X-RELEASE: the above + a modest part of buildpack-deps (compilers, git, curl,
#              common -dev headers)
#
# All three: no docs, man pages or locales from dpkg and apt's docker-clean settings, like the
# official images. The stand-in pip and the python:* layout are added on top by
# scripts/check-corpus-builds.sh, not here, so this cache outlives changes to them.
# Cached under ${SLIMBENCH_REALBUILD_CACHE:-/var/tmp/slimbench-realbuild}, keyed by the recipe's hash.
set -euo pipefail
release="$1" kind="$2"
mirror="${SLIMBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${SLIMBENCH_REALBUILD_CACHE:-/var/tmp/slimbench-realbuild}"
case "$kind" in
  minbase)   include="" ;;
  python)    include="python3,python3-venv,ca-certificates,netbase,tzdata,adduser" ;;
  pythonfat) include="python3,python3-venv,ca-certificates,netbase,tzdata,adduser,build-essential,pkg-config,git,curl,wget,libffi-dev,libssl-dev,libpq-dev,zlib1g-dev,libjpeg-dev,libxml2-dev,libxslt1-dev,default-libmysqlclient-dev" ;;
  *) echo "realbuild-roots: unknown kind $kind" >&2; exit 2 ;;
esac
case "$release" in bullseye|bookworm|trixie|sid) ;; *) echo "realbuild-roots: unknown release $release" >&2; exit 2 ;; esac
dpkgopts=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
          --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/groff/*'
          --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*'
          --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*')
hook='printf "%s\n" "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };" "Dir::Cache::pkgcache \"\";" "Dir::Cache::srcpkgcache \"\";" > "$1/etc/apt/apt.conf.d/docker-clean"; echo "Acquire::Languages \"none\";" > "$1/etc/apt/apt.conf.d/docker-no-languages"; rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin'
incl=(); [ -n "$include" ] && incl=(--include="$include")
# sid's Release file on a snapshot mirror may be past its Valid-Until date: a stand-in accepts it
[ "$release" = sid ] && dpkgopts+=(--aptopt='Acquire::Check-Valid-Until "false"')
recipe="mmdebstrap --variant=minbase ${incl[*]} ${dpkgopts[*]} --customize-hook=$hook $release $mirror"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-16)
tar="$cache/root-$release-$kind-$key.tar"
mkdir -p "$cache"
if [ ! -s "$tar" ]; then
  echo "realbuild-roots: mmdebstrap $release $kind → $tar" >&2
  partial="$cache/partial-$release-$kind-$key.$$.tar"
  if ! mmdebstrap --variant=minbase "${incl[@]}" "${dpkgopts[@]}" --customize-hook="$hook" \
        "$release" "$partial" "$mirror" >"$cache/mmdebstrap-$release-$kind.log" 2>&1; then
    echo "realbuild-roots: mmdebstrap $release $kind failed:" >&2
    tail -20 "$cache/mmdebstrap-$release-$kind.log" >&2; rm -f "$partial"; exit 2
  fi
  mv "$partial" "$tar"
  for f in "$cache"/root-"$release"-"$kind"-*.tar; do [ "$f" = "$tar" ] || rm -f "$f"; done  # older recipes
fi
echo "$tar"
