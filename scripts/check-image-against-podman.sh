#!/usr/bin/env bash
# Checks slimbench inspect against podman on real images (needs podman, buildah,
# mmdebstrap or ROOTFS_TAR; not part of CI):
#  - per-layer sizes == `podman history` sizes, for docker-archive, oci-archive, oci-dir
#  - per-layer entry counts == `tar tf` of each layer tar
#  - the merged tree (paths, types, file sizes) == `podman export` of a container
#
#   scripts/check-image-against-podman.sh [SLIMBENCH_BINARY]
#   STORAGE_DRIVER=overlay ... to get opaque directories (.wh..wh..opq) in the layers
set -euo pipefail
bin=$(realpath "${1:-build/app/slimbench}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$here/make-image-fixtures.sh" debian "$work/img" >"$work/make.log" 2>&1 || { cat "$work/make.log"; exit 1; }
S=(--root "$work/st/root" --runroot "$work/st/run" --storage-driver vfs)
podman "${S[@]}" load -q -i "$work/img/demo.docker.tar" >/dev/null
c=$(podman "${S[@]}" create localhost/demo:latest)
podman "${S[@]}" export -o "$work/export.tar" "$c"
podman "${S[@]}" rm "$c" >/dev/null
mkdir "$work/x" && tar -C "$work/x" -xf "$work/img/demo.docker.tar"
python3 - "$bin" "$work" <<'PY'
import json, subprocess, sys, tarfile
bin, work = sys.argv[1], sys.argv[2]
hist = [h["size"] for h in reversed(json.load(open(f"{work}/img/demo.history.json")))]
ok = True
def inspect(path):
    return json.loads(subprocess.check_output([bin, "inspect", "--json", "--tree=1000", path]))
truth = {}
for m in tarfile.open(f"{work}/export.tar").getmembers():
    p = "/" + m.name.lstrip("./").rstrip("/")
    if p != "/":
        kind = "dir" if m.isdir() else "symlink" if m.issym() else "hardlink" if m.islnk() else "file" if m.isfile() else "other"
        truth[p] = (kind, m.size if m.isfile() else 0)
manifest = json.load(open(f"{work}/x/manifest.json"))[0]
for name in ["demo.docker.tar", "demo.oci.tar", "demo.oci"]:
    j = inspect(f"{work}/img/{name}")
    sizes = [l["size"] for l in j["layers"]]
    nonempty = [s for s, h in zip(hist, j["history"]) if not h["emptyLayer"]]
    print(f"{name}: layer sizes {sizes}; podman history {nonempty}: {'OK' if sizes == nonempty else 'MISMATCH'}")
    ok &= sizes == nonempty
    ours = {}
    def walk(n, prefix):
        for c in n.get("children", []):
            p = prefix + "/" + c["name"]
            ours[p] = (c["type"], c["size"] if c["type"] == "file" else 0)
            walk(c, p)
    walk(j["tree"], "")
    same = ours == truth
    print(f"{name}: merged tree {len(ours)} nodes vs podman export {len(truth)}: {'OK' if same else 'MISMATCH'}")
    ok &= same
    if name == "demo.docker.tar":
        for l, p in zip(j["layers"], manifest["Layers"]):
            n = len(subprocess.check_output(["tar", "tf", f"{work}/x/{p}"]).splitlines())
            if n != l["entries"]:
                print(f"layer {l['index'] + 1}: {l['entries']} entries, tar tf lists {n}: MISMATCH"); ok = False
        print("docker-archive: per-layer entry counts match tar tf" if ok else "")
sys.exit(0 if ok else 1)
PY
