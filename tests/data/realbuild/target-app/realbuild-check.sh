# Run in the final image by scripts/check-corpus-builds.sh: the image is the app stage's, without
# the lint stage's tools.
if command -v ruff >/dev/null; then echo "ruff (the lint stage's) is in the image"; exit 1; fi
