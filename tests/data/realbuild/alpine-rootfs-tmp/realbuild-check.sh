# Run in the final image by scripts/check-corpus-builds.sh: the package installed after the copy onto / is there.
command -v curl >/dev/null || { echo "curl missing"; exit 1; }
grep -q greeting /etc/app/app.conf || { echo "/etc/app/app.conf missing"; exit 1; }
