# Run in the final image by scripts/check-corpus-builds.sh: the machine's name was written (by
# uname -m in the Debian-side exports), as Alpine's apk would name it.
grep -qxE 'x86_64|aarch64|armv7l|armv7|armhf|x86|ppc64le|s390x|riscv64' /etc/machine-arch || { echo "/etc/machine-arch: $(cat /etc/machine-arch 2>&1)"; exit 1; }
