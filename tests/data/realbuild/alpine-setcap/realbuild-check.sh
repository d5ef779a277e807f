# Run in the final image by scripts/check-corpus-builds.sh: both programs are installed where the
# exported setcap lines named them (the build would have stopped otherwise), and run.
for p in arp-scan traceroute; do
  command -v "$p" >/dev/null || { echo "$p not installed"; exit 1; }
done
setcap -v cap_net_raw+eip "$(readlink -f "$(command -v traceroute)")" || { echo "traceroute has no cap_net_raw: $(getcap "$(readlink -f "$(command -v traceroute)")")"; exit 1; }
[ -x "$(readlink -f /usr/local/bin/scan-lan)" ] || { echo "/usr/local/bin/scan-lan points at nothing: $(ls -l /usr/local/bin/scan-lan)"; exit 1; }
