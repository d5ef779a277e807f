#!/usr/bin/env python3
"""Writes the files the real-build stand-in images carry into OUTDIR:

  pip/                  the stand-in pip package (standin.py as pip._standin; pip, pip._internal,
                        pip._internal.cli.main expose main() like pip does for its entry points)
  pip-standin.whl       the same as a wheel, for ensurepip / python3 -m venv (/usr/share/python-wheels)
  uv, uvx, poetry       standin.py as executables (#!/usr/bin/env python3)
  swap-pip              run after every dpkg call: replaces Debian's python3-pip module and the pip
                        wheel of python3-pip-whl with the stand-in
  setup.sh              run once in each stand-in image (KIND: minbase | minbase-nomarker | python)
"""
import os
import shutil
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1]
src = open(os.path.join(here, "standin.py")).read()
MAIN = "def main(args=None):\n    from pip._standin import main as _m\n    return _m(args)\n"
files = {
    "pip/__init__.py": '"""slimbench stand-in pip (offline; see _standin.py)."""\n__version__ = "99.0.0"\n' + MAIN,
    "pip/__main__.py": "import sys\nfrom pip._standin import main\nsys.exit(main(prog='pip'))\n",
    "pip/_standin.py": src,
    "pip/_internal/__init__.py": MAIN,
    "pip/_internal/cli/__init__.py": "",
    "pip/_internal/cli/main.py": MAIN,
}
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
for rel, text in files.items():
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write(text)
di = "pip-99.0.0.dist-info"
with zipfile.ZipFile(os.path.join(out, "pip-standin.whl"), "w") as z:
    for rel, text in files.items():
        z.writestr(rel, text)
    z.writestr(di + "/METADATA", "Metadata-Version: 2.1\nName: pip\nVersion: 99.0.0\nSummary: slimbench stand-in pip\n")
    z.writestr(di + "/WHEEL", "Wheel-Version: 1.0\nGenerator: slimbench stand-in\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    z.writestr(di + "/entry_points.txt", "[console_scripts]\npip = pip._internal.cli.main:main\n"
               "pip3 = pip._internal.cli.main:main\n")
    z.writestr(di + "/RECORD", "")
for tool in ("uv", "uvx", "poetry"):
    p = os.path.join(out, tool)
    open(p, "w").write(src.replace("#!/usr/bin/env python3", "#!/usr/bin/env python3", 1))
    os.chmod(p, 0o755)
open(os.path.join(out, "swap-pip"), "w").write(r'''#!/bin/sh
# slimbench stand-in: after each dpkg run, Debian's pip (python3-pip, python3-pip-whl) is replaced
# by the offline stand-in pip.
S=/usr/local/lib/slimbench-standin
if [ -d /usr/lib/python3/dist-packages/pip ] && [ ! -e /usr/lib/python3/dist-packages/pip/_standin.py ]; then
  rm -rf /usr/lib/python3/dist-packages/pip && cp -r "$S/pip" /usr/lib/python3/dist-packages/pip
fi
# Ubuntu before 23.04 stand-in: no PEP 668 marker, whatever python3 package installs it
[ -e "$S/no-externally-managed" ] && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
for w in /usr/share/python-wheels/pip-*.whl; do
  [ -f "$w" ] && ! cmp -s "$w" "$S/pip-standin.whl" && cp "$S/pip-standin.whl" "$w"
done
exit 0
''')
open(os.path.join(out, "setup.sh"), "w").write(r'''#!/bin/sh
# Run once in a stand-in image: KIND minbase (debian:*), minbase-nomarker (ubuntu:22.04 and older) or python (python:*).
set -e
S=/usr/local/lib/slimbench-standin
echo 'DPkg::Post-Invoke { "sh /usr/local/lib/slimbench-standin/swap-pip || true"; };' > /etc/apt/apt.conf.d/99slimbench-standin-pip
[ "$1" = minbase-nomarker ] && touch "$S/no-externally-managed"
sh "$S/swap-pip"
# like debuerreotype's slim images: the man folders stay (openjdk's postinst links into man1)
for i in 1 2 3 4 5 6 7 8; do mkdir -p "/usr/share/man/man$i"; done
if [ "$1" = python ]; then
  v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  site=/usr/local/lib/python$v/dist-packages
  mkdir -p "$site" /usr/local/bin
  cp -r "$S/pip" "$site/pip"
  mkdir -p "$site/pip-99.0.0.dist-info"
  printf 'Metadata-Version: 2.1\nName: pip\nVersion: 99.0.0\nSummary: slimbench stand-in pip\n' > "$site/pip-99.0.0.dist-info/METADATA"
  for s in pip pip3 "pip$v"; do
    printf '#!/usr/local/bin/python3\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n' > "/usr/local/bin/$s"
    chmod 755 "/usr/local/bin/$s"
  done
  ln -sf /usr/bin/python3 /usr/local/bin/python3
  ln -sf /usr/bin/python3 /usr/local/bin/python
  ln -sf "/usr/bin/python$v" "/usr/local/bin/python$v"
  # One stand-in stands for every python:3.N tag: python:3.N has python3.N, so each name runs this Python.
  for n in 6 7 8 9 10 11 12 13 14 15; do [ -e "/usr/local/bin/python3.$n" ] || ln -s /usr/bin/python3 "/usr/local/bin/python3.$n"; done
  rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
fi
''')
