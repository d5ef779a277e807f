# Run in the final image by scripts/check-corpus-builds.sh: the lint stage's tools stay out of it.
for t in clang-format nano; do
  if command -v "$t" >/dev/null; then echo "$t leaked into the final image"; exit 1; fi
done
