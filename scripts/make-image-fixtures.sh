#!/usr/bin/env bash
# Makes real container images with podman/buildah (no Docker daemon, no registry)
# and saves them as docker-archive, oci-archive and OCI layout.
#
#   scripts/make-image-fixtures.sh tiny OUTDIR    # FROM scratch, a few KB: the committed
#                                                 # tests/data/images fixtures
#   scripts/make-image-fixtures.sh debian OUTDIR  # mmdebstrap Debian base + a Containerfile
#                                                 # with RUN/COPY layers, a whiteout, an opaque dir
#
# Needs root (or podman unshare), podman, buildah, skopeo; "debian" also mmdebstrap and
# network access to a Debian mirror. Uses the vfs storage driver and chroot isolation,
# so it works inside containers without overlayfs or user namespaces.
set -euo pipefail
what=${1:?usage: make-image-fixtures.sh tiny|debian OUTDIR}
out=$(realpath -m "${2:?usage: make-image-fixtures.sh tiny|debian OUTDIR}")
mkdir -p "$out"
work=$(mktemp -d)
root="$work/storage"
# A private store so nothing touches the user's images.
P=(podman --root "$root/root" --runroot "$root/run" --storage-driver "${STORAGE_DRIVER:-vfs}")
B=(buildah --root "$root/root" --runroot "$root/run" --storage-driver "${STORAGE_DRIVER:-vfs}")
cleanup() { "${P[@]}" rmi -af >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
export BUILDAH_ISOLATION=chroot

save_all() {  # image name -> OUT/name.docker.tar, name.oci.tar, name.oci/
  local img=$1 name=$2
  rm -rf "$out/$name.docker.tar" "$out/$name.oci.tar" "$out/$name.oci"
  "${P[@]}" save -q --format docker-archive -o "$out/$name.docker.tar" "$img"
  "${P[@]}" save -q --format oci-archive -o "$out/$name.oci.tar" "$img"
  "${P[@]}" save -q --format oci-dir -o "$out/$name.oci" "$img" 2>/dev/null || true
  "${P[@]}" history --no-trunc --format json "$img" > "$out/$name.history.json"
}

case "$what" in
tiny)
  # Three layers built with buildah on scratch (no shell needed):
  #  1 COPY: /app/{hello.txt,old.txt,data.bin}, /app/cache/{a,b}.txt, /root/.cache/pip/wheel
  #  2 change: rewrite /app/data.bin, delete /app/old.txt (whiteout), empty /app/cache
  #  3 COPY a wheel and its installed dist-info
  mkdir -p "$work/l1/app/cache" "$work/l1/root/.cache/pip" "$work/l3/site/demo-1.0.dist-info"
  echo "hello" > "$work/l1/app/hello.txt"
  echo "old file, removed in layer 2" > "$work/l1/app/old.txt"
  head -c 3000 /dev/zero | tr '\0' 'x' > "$work/l1/app/data.bin"
  echo a > "$work/l1/app/cache/a.txt"; echo b > "$work/l1/app/cache/b.txt"
  head -c 1500 /dev/zero | tr '\0' 'p' > "$work/l1/root/.cache/pip/wheel"
  echo "Name: demo" > "$work/l3/site/demo-1.0.dist-info/METADATA"
  head -c 800 /dev/zero | tr '\0' 'w' > "$work/l3/demo-1.0-py3-none-any.whl"
  c=$("${B[@]}" from scratch)
  "${B[@]}" config --created-by "COPY l1/ /" "$c"
  "${B[@]}" copy "$c" "$work/l1/" /
  "${B[@]}" commit -q "$c" tiny:1 >/dev/null
  c=$("${B[@]}" from tiny:1)
  mnt=$("${B[@]}" mount "$c")
  head -c 2000 /dev/zero | tr '\0' 'y' > "$mnt/app/data.bin"
  rm "$mnt/app/old.txt" "$mnt/app/cache/a.txt" "$mnt/app/cache/b.txt"
  echo c > "$mnt/app/cache/c.txt"
  "${B[@]}" umount "$c" >/dev/null
  "${B[@]}" config --created-by "RUN rm /app/old.txt /app/cache/* && rewrite /app/data.bin" "$c"
  "${B[@]}" commit -q "$c" tiny:2 >/dev/null
  c=$("${B[@]}" from tiny:2)
  "${B[@]}" config --env DEMO=1 "$c"
  "${B[@]}" config --created-by "COPY demo wheel + site-packages" "$c"
  "${B[@]}" copy "$c" "$work/l3/demo-1.0-py3-none-any.whl" /tmp/
  "${B[@]}" copy "$c" "$work/l3/site/" /usr/lib/python3/dist-packages/
  "${B[@]}" commit -q "$c" tiny:latest >/dev/null
  save_all tiny:latest tiny
  ;;
debian)
  base="$work/rootfs.tar"
  if [ -n "${ROOTFS_TAR:-}" ]; then cp "$ROOTFS_TAR" "$base"
  else mmdebstrap --variant=minbase bookworm "$base"; fi
  "${P[@]}" import "$base" localhost/debian-base:bookworm >/dev/null
  mkdir -p "$work/ctx/app"
  printf 'print("hi")\n' > "$work/ctx/app/main.py"
  head -c 200000 /dev/urandom > "$work/ctx/app/model.bin"
  cat > "$work/ctx/Containerfile" <<'CF'
FROM localhost/debian-base:bookworm
COPY app/ /app/
RUN mkdir -p /root/.cache/pip /opt/data && head -c 300000 /dev/urandom > /root/.cache/pip/http.bin \
 && head -c 100000 /dev/urandom > /opt/data/old1 && head -c 50000 /dev/urandom > /opt/data/old2 \
 && mkdir -p /app/tests && echo "def test(): pass" > /app/tests/test_x.py
RUN rm -rf /usr/share/doc /app/model.bin && head -c 200000 /dev/urandom > /app/model.bin
RUN rm -rf /opt/data && mkdir /opt/data && echo new > /opt/data/new.txt
ENV APP=1
RUN head -c 400000 /dev/urandom > /app/big.bin && rm /app/big.bin
CMD ["python3", "/app/main.py"]
CF
  "${P[@]}" build --isolation chroot -q -t localhost/demo:latest "$work/ctx" >/dev/null
  save_all localhost/demo:latest demo
  ;;
*) echo "unknown fixture set $what" >&2; exit 2 ;;
esac
ls -la "$out"
