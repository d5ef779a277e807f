#!/usr/bin/env bash
# Proves that slimbench's .deb installs on a clean Debian 12 root and runs there:
#  1. builds the .deb with CPack from a build folder (or takes the one given) and prints its
#     control fields (the Depends come from dpkg-shlibdeps);
#  2. makes a clean Debian 12 (bookworm) minbase root with mmdebstrap, cached as a tarball under
#     the cache folder, keyed by the recipe;
#  3. in a chroot of it, with an empty environment: `apt-get install ./slimbench_*.deb` with
#     --no-install-recommends (so the Depends alone must be enough; they resolve from Debian's
#     mirror), then `slimbench --version`, `slimbench analyze` on an installed example and
#     `slimbench --screenshot` (offscreen; the PNG is copied out to the cache folder);
#  4. checks what was installed (man page, icons, examples) and that the versions agree (package,
#     --version, the newest AppStream release);
#  5. installs desktop-file-utils and appstream in the root and validates the installed desktop
#     entry (desktop-file-validate) and metainfo (appstreamcli validate --no-net).
# Downloaded packages and apt's lists are kept in the cache folder, so a second run fetches only
# what changed.
#
#   scripts/check-deb.sh [--build-dir DIR | --deb FILE] [--keep] [--refresh]
#     --build-dir DIR   run `cpack -G DEB` there (default: build)
#     --deb FILE        check this .deb instead
#     --keep            keep the root afterwards (default: removed)
#     --refresh         make the cached Debian tarball again
# Environment: SLIMBENCH_DEB_CACHE (default /var/tmp/slimbench-deb), SLIMBENCH_DEBIAN_MIRROR
# (default http://deb.debian.org/debian).
# Needs root and mmdebstrap; without them it prints "skipped: ..." and exits 0 (CTest runs it as
# packaging_deb). First run about 4 minutes more for mmdebstrap and the downloads.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build" deb="" keep=0 refresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build=$(cd "$2" && pwd); shift ;;
    --deb) deb=$(realpath "$2"); shift ;;
    --keep) keep=1 ;;
    --refresh) refresh=1 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "check-deb: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root and mmdebstrap (not root: chroot and mounts)"; exit 0; }
command -v mmdebstrap >/dev/null || { echo "skipped: needs root and mmdebstrap (mmdebstrap is missing: apt-get install mmdebstrap)"; exit 0; }

cache=${SLIMBENCH_DEB_CACHE:-/var/tmp/slimbench-deb}
mirror=${SLIMBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache/archives/partial" "$cache/lists/partial" "$cache/logs"
# One run at a time per cache (the package cache and the logs are shared between runs).
exec 9>"$cache/.lock"
flock -n 9 || { echo "check-deb: waiting for another run to finish ($cache/.lock)"; flock 9; }
t0=$SECONDS
step() { printf '%-58s %4d s\n' "$1" $((SECONDS - ${2:-$t0})); }

# 1. The .deb.
if [ -z "$deb" ]; then
  s=$SECONDS
  rm -f "$build"/slimbench_*.deb
  (cd "$build" && cpack -G DEB) >"$cache/cpack.log" 2>&1 || { echo "check-deb: cpack failed:"; tail -20 "$cache/cpack.log"; exit 1; }
  deb=$(ls -t "$build"/slimbench_*.deb | head -1)
  step "cpack -G DEB" "$s"
fi
[ -s "$deb" ] || { echo "check-deb: no .deb at $deb"; exit 1; }
echo "package: $deb ($(du -k "$deb" | cut -f1) kB)"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Section | sed 's/^/  /'
version=$(dpkg-deb -f "$deb" Version)

# 2. The clean root, cached by recipe.
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
         "deb ${mirror%/debian}/debian-security bookworm-security main")
recipe="mmdebstrap --variant=minbase --format=tar bookworm ${sources[*]}"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-16)
tarball="$cache/root-bookworm-minbase-$key.tar"
if [ "$refresh" = 1 ] || [ ! -s "$tarball" ]; then
  s=$SECONDS
  mmdebstrap --quiet --variant=minbase --format=tar bookworm "$tarball.$$.part" "${sources[@]}" \
    >"$cache/mmdebstrap.log" 2>&1 || { echo "check-deb: mmdebstrap failed:"; tail -20 "$cache/mmdebstrap.log"; rm -f "$tarball.$$.part"; exit 1; }
  mv "$tarball.$$.part" "$tarball"
  for f in "$cache"/root-bookworm-minbase-*.tar; do [ "$f" = "$tarball" ] || rm -f "$f"; done  # older recipes
  step "mmdebstrap bookworm minbase (cached from now on)" "$s"
fi

root=$(mktemp -d "$cache/root.XXXXXX")
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if grep -qF " $root/" /proc/self/mounts; then
    echo "check-deb: something is still mounted under $root; not removing it" >&2
  elif [ "$keep" = 0 ]; then
    rm -rf "$root"
  else
    echo "root kept: $root"
  fi
}
trap cleanup EXIT
s=$SECONDS
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounted+=("$root/dev")
mount --bind "$cache/archives" "$root/var/cache/apt/archives"; mounted+=("$root/var/cache/apt/archives")
mount --bind "$cache/lists" "$root/var/lib/apt/lists"; mounted+=("$root/var/lib/apt/lists")
step "root unpacked" "$s"

fail=0
# Runs a command in the root as a user's login shell would: root, an empty environment.
# Its output is in $cache/logs/NAME.log ($log after the call).
log=""
in_root() {  # name, command
  local name=$1 cmd=$2 s=$SECONDS rc=0
  log="$cache/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9.' '-').log"
  env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive chroot "$root" /bin/sh -c "$cmd" >"$log" 2>&1 || rc=$?
  printf '%-58s %4d s  %s\n' "$name" $((SECONDS - s)) "$([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc, log $log)")"
  [ $rc = 0 ] || { tail -15 "$log" | sed 's/^/    /'; fail=1; }
  return $rc
}
ex=/usr/share/slimbench/examples/flask-app
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $3*256+$4 "x" $7*256+$8}'; }  # from the IHDR chunk
# unsafe-io: dpkg skips its fsyncs, the root is thrown away afterwards anyway (saves about a fifth of the install).
apt_opts="-y -q -o APT::Sandbox::User=root -o Dpkg::Options::=--force-unsafe-io"

# 3. Install and run.
in_root "apt-get update" "apt-get $apt_opts update" || exit 1
if ! in_root "apt-get install ./$(basename "$deb")" \
     "cd /tmp && apt-get $apt_opts install --no-install-recommends ./$(basename "$deb")"; then exit 1; fi
echo "  $(grep -E 'newly installed' "$log" || echo '?')"
if in_root "slimbench --version" "slimbench --version"; then
  got=$(cat "$log")
  [ "$got" = "slimbench $version" ] || { echo "  --version says \"$got\", the package is $version"; fail=1; }
fi
if in_root "slimbench analyze $ex" "slimbench analyze $ex"; then
  grep -qiE 'multistage|slim' "$log" || { echo "  analyze printed no variants:"; head "$log"; fail=1; }
  sed -n '1,8p' "$log" | sed 's/^/    /'
fi
rm -f "$root/tmp/shot.png"
if in_root "slimbench --screenshot (offscreen)" "QT_QPA_PLATFORM=offscreen slimbench --screenshot /tmp/shot.png --size 1280x800 $ex"; then
  if [ -s "$root/tmp/shot.png" ] && [ "$(head -c 8 "$root/tmp/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
     [ "$(png_size "$root/tmp/shot.png")" = 1280x800 ]; then
    cp "$root/tmp/shot.png" "$cache/deb-screenshot.png"
    echo "  screenshot: $cache/deb-screenshot.png ($(du -k "$cache/deb-screenshot.png" | cut -f1) kB)"
  else
    echo "  the screenshot is missing, empty or not a 1280x800 PNG"; fail=1
  fi
fi
# The plugins Qt loads on a desktop, beyond offscreen: the X11 platform (xcb) and the SVG icon
# engine and image format (the window's icon is an SVG). Present, with every library they need.
plugins=/usr/lib/x86_64-linux-gnu/qt6/plugins
in_root "Qt plugins: xcb, SVG icon engine, SVG images" \
  "for p in $plugins/platforms/libqxcb.so $plugins/iconengines/libqsvgicon.so $plugins/imageformats/libqsvg.so; do
     test -f \$p || { echo missing: \$p; exit 1; }
     ! ldd \$p | grep 'not found' || { echo in \$p; exit 1; }
   done" || true

# 4. What was installed.
files="/usr/bin/slimbench /usr/share/man/man1/slimbench.1.gz $ex/Dockerfile"
files+=" /usr/share/applications/io.github.slimbench.slimbench.desktop /usr/share/metainfo/io.github.slimbench.slimbench.metainfo.xml"
files+=" /usr/share/icons/hicolor/scalable/apps/io.github.slimbench.slimbench.svg"
for px in 48 128 256; do files+=" /usr/share/icons/hicolor/${px}x${px}/apps/io.github.slimbench.slimbench.png"; done
files+=" /usr/share/doc/slimbench/LICENSE /usr/share/doc/slimbench/README.md /usr/share/doc/slimbench/docs/workshop.md"
in_root "installed files" "for f in $files; do test -s \$f || { echo missing: \$f; exit 1; }; done" || true
for px in 48 128 256; do  # PNG width and height from the IHDR chunk
  f="$root/usr/share/icons/hicolor/${px}x${px}/apps/io.github.slimbench.slimbench.png"
  [ -s "$f" ] || continue
  wh=$(png_size "$f")
  [ "$wh" = "${px}x${px}" ] || { echo "  icon ${px}x${px} is $wh"; fail=1; }
done
release=$(grep -oE '<release [^>]*version="[^"]+"' "$root/usr/share/metainfo/io.github.slimbench.slimbench.metainfo.xml" | head -1 | sed 's/.*version="//; s/"$//')
[ "$release" = "$version" ] || { echo "  the newest AppStream release is \"$release\", the package is $version"; fail=1; }

# 5. The desktop entry and the metainfo, validated where they are installed.
if in_root "apt-get install desktop-file-utils appstream" "apt-get $apt_opts install --no-install-recommends desktop-file-utils appstream"; then
  # desktop-file-validate prints nothing when the file is valid (and hints, if any, without failing).
  in_root "desktop-file-validate" "desktop-file-validate /usr/share/applications/io.github.slimbench.slimbench.desktop" || true
  sed 's/^/    /' "$log" | head -5
  in_root "appstreamcli validate --no-net" "appstreamcli validate --no-net /usr/share/metainfo/io.github.slimbench.slimbench.metainfo.xml" || true
  sed 's/^/    /' "$log" | head -5
fi
in_root "apt-get autoclean" "apt-get $apt_opts autoclean" >/dev/null || true

step "total"
if [ "$fail" = 0 ]; then echo "check-deb: the .deb installs on a clean Debian 12 root and runs there"; else echo "check-deb: FAILED"; fi
exit $fail
