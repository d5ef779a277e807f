# Run in the final image by scripts/check-corpus-builds.sh: pip installed into the --target folder
# the Dockerfile names with its build arg (where PYTHONPATH finds it), not into site-packages.
out=$(python app.py) || { echo "app.py failed: $out"; exit 1; }
case "$out" in /opt/deps/python3.12/gunicorn-*) ;; *) echo "gunicorn is not in /opt/deps/python3.12: $out"; exit 1 ;; esac
