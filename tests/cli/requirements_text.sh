#!/usr/bin/env bash
# slimbench requirements text output: a false-marker requirement that something else pulls
# in says so; unknown sizes say "size unknown" (not 0.0 MB); conflicting pins name both
# files and lines; Windows-only packages of a poetry.lock are not reported on Linux.
set -u
bin="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # name, text, output
  if grep -qF -- "$2" <<<"$3"; then echo "ok   $1"; else echo "FAIL $1: output lacks '$2':"; echo "$3"; fail=1; fi
}
reject() {  # name, text, output
  if grep -qF -- "$2" <<<"$3"; then echo "FAIL $1: output has '$2':"; echo "$3"; fail=1; else echo "ok   $1"; fi
}

printf 'flask\nwerkzeug ; sys_platform == "win32"\ncolorama ; sys_platform == "win32"\n' > "$tmp/req.txt"
out=$(timeout 60 "$bin" requirements "$tmp/req.txt" 2>&1)
expect pulled-in "(marker false; pulled in by flask)" "$out"
expect plain-marker-false "(marker false) " "$out"
reject colorama-pulled "colorama ; sys_platform == \"win32\"      (marker false; pulled" "$out"

mkdir "$tmp/old"
cat > "$tmp/old/poetry.lock" <<'LOCK'
[[package]]
category = "main"
name = "docker"
optional = false
python-versions = "*"
version = "4.3.1"

[package.dependencies]
pywin32 = "227"

[[package]]
category = "main"
marker = "sys_platform == \"win32\""
name = "pywin32"
optional = false
python-versions = "*"
version = "227"

[metadata]
content-hash = "x"
lock-version = "1.0"
python-versions = "^3.8"

[metadata.files]
docker = [
    {file = "docker-4.3.1-py2.py3-none-any.whl", hash = "sha256:1"},
    {file = "docker-4.3.1.tar.gz", hash = "sha256:2"},
]
pywin32 = [
    {file = "pywin32-227-cp39-cp39-win_amd64.whl", hash = "sha256:3"},
]
LOCK
out=$(timeout 60 "$bin" requirements "$tmp/old/poetry.lock" 2>&1)
expect size-unknown "docker-4.3.1-py2.py3-none-any.whl  size unknown" "$out"
expect total-unknown "download size unknown" "$out"
reject no-zero-mb "0.0 MB" "$out"
reject pywin32-uninstallable "cannot install" "$out"
json=$(timeout 60 "$bin" requirements "$tmp/old/poetry.lock" --json 2>&1)
expect json-pywin32-false '"applies": false' "$json"
expect json-skipped '"skippedByMarker": [' "$json"

printf 'appdirs\n' > "$tmp/small.txt"
out=$(timeout 60 "$bin" requirements "$tmp/small.txt" 2>&1)
expect small-in-kB " kB compressed download" "$out"
reject small-not-0MB "0.0 MB" "$out"

printf 'aiohttp==3.13.5\n-c constraints.txt\n' > "$tmp/requirements.txt"
printf '# pins\naiohttp==3.9.5\n' > "$tmp/constraints.txt"
out=$(timeout 60 "$bin" requirements "$tmp/requirements.txt" 2>&1)
expect conflict "requirements.txt:1 asks ==3.13.5 but $tmp/constraints.txt:2 pins ==3.9.5" "$out"
# No wheel data but Debian packages it: a stated proxy with its source, never a silent figure.
printf 'hvac\ndjango[argon2]\n' > "$tmp/proxy.txt"
out=$(timeout 60 "$bin" requirements "$tmp/proxy.txt" 2>&1)
expect debian-proxy "hvac: proxy: Debian python3-hvac " "$out"
expect debian-source "source: Debian trixie main " "$out"
expect debian-line "proxy: Debian python3-hvac " "$out"
expect extra-from-other-version "django[argon2]: dependencies of extra 'argon2' read from django 6.0.7" "$out"
reject extra-not-unknown "unknown: django[argon2]" "$out"
exit $fail
