# Run in the final image by scripts/check-corpus-builds.sh: both installs and the step between.
command -v curl >/dev/null || { echo "curl missing"; exit 1; }
ls /usr/lib/x86_64-linux-gnu/libxml2.so.2* >/dev/null 2>&1 || ls /usr/lib/*/libxml2.so.2* >/dev/null 2>&1 || { echo "libxml2 missing"; exit 1; }
test -f /etc/app/state || { echo "/etc/app/state missing"; exit 1; }
