# Run in the final image by scripts/check-corpus-builds.sh: Alpine's py3-yaml became PyYAML for the
# image's own Python (pip, in /usr/local), and the venv the build stage made came along.
pip freeze 2>/dev/null | grep -qi '^pyyaml==' || { echo "PyYAML not installed for /usr/local's Python: $(pip freeze 2>&1 | tr '\n' ' ')"; exit 1; }
/opt/venv/bin/pip freeze 2>/dev/null | grep -qi '^requests==' || { echo "requests not in /opt/venv: $(/opt/venv/bin/pip freeze 2>&1 | tr '\n' ' ')"; exit 1; }
