#!/usr/bin/env python3
"""Offline stand-in for pip, uv and poetry in slimbench's real-build images.

Nothing is downloaded: an install checks what real pip checks before it would download (requirement
and constraint files, nested includes, local wheels/paths, PEP 668, --no-index without a matching
wheel) and fails with pip's words where pip fails; otherwise it logs what it would install and
records it: NAME-VERSION.dist-info in the target site-packages and a stub console script named
after each requirement in the matching bin folder. A real wheel file (ensurepip's pip/setuptools,
a wheel made by `pip wheel` here) is unpacked for real. Which tool runs is read from argv[0]
(pip*, uv, uvx, poetry) or from the module that imports this file (pip).
"""
import configparser
import email.parser
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import zipfile

VERSION = "99.0.0+slimbench.standin"
MARK = "slimbench stand-in"


class Fail(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def err(msg):
    print(msg, file=sys.stderr, flush=True)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_name(name):
    return re.sub(r"[-_.]+", "_", name)


# ---------------------------------------------------------------- environments

class Env:
    """Where an install goes: site-packages, bin, the interpreter, whether PEP 668 applies."""

    def __init__(self, site, bindir, python, managed=False, desc=""):
        self.site, self.bindir, self.python, self.managed, self.desc = site, bindir, python, managed, desc


def in_venv():
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def pyver_of_venv(venv):
    for d in sorted(glob.glob(os.path.join(venv, "lib", "python3*"))):
        return os.path.basename(d)
    cfg = os.path.join(venv, "pyvenv.cfg")
    if os.path.exists(cfg):
        for line in open(cfg):
            m = re.match(r"\s*version(_info)?\s*=\s*(\d+)\.(\d+)", line)
            if m:
                return "python%s.%s" % (m.group(2), m.group(3))
    return "python%d.%d" % sys.version_info[:2]


def venv_env(venv):
    venv = os.path.abspath(venv)
    return Env(os.path.join(venv, "lib", pyver_of_venv(venv), "site-packages"), os.path.join(venv, "bin"),
               os.path.join(venv, "bin", "python"), False, "virtual environment " + venv)


def managed_marker():
    try:
        p = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
    except Exception:
        return None
    return p if os.path.exists(p) else None


def current_env():
    paths = sysconfig.get_paths()
    managed = (not in_venv()) and managed_marker() is not None
    return Env(paths["purelib"], paths["scripts"], sys.executable, managed,
               "virtual environment " + sys.prefix if in_venv() else "system Python " + sys.prefix)


def truthy(v):
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def pip_config_files():
    files = ["/etc/xdg/pip/pip.conf", "/etc/pip.conf"]
    home = os.path.expanduser("~")
    files += [os.path.join(home, ".pip", "pip.conf"), os.path.join(home, ".config", "pip", "pip.conf")]
    if in_venv():
        files.append(os.path.join(sys.prefix, "pip.conf"))
    if os.environ.get("PIP_CONFIG_FILE"):
        files.append(os.environ["PIP_CONFIG_FILE"])
    return files


def pip_config(key):
    val = None
    for f in pip_config_files():
        if not os.path.exists(f):
            continue
        cp = configparser.ConfigParser()
        try:
            cp.read(f)
        except Exception:
            continue
        for sec in ("global", "install"):
            if cp.has_option(sec, key):
                val = cp.get(sec, key)
    env = os.environ.get("PIP_" + key.upper().replace("-", "_"))
    return env if env is not None else val


PEP668 = """error: externally-managed-environment

× This environment is externally managed
╰─> To install Python packages system-wide, try apt install
    python3-xyz, where xyz is the package you are trying to
    install.
    (slimbench stand-in pip: %s exists, no virtual environment, no --break-system-packages)"""


# ---------------------------------------------------------------- requirements

SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


class Req:
    def __init__(self, text, name=None, version=None, path=None, scripts=(), origin=""):
        self.text, self.name, self.version, self.path, self.scripts, self.origin = text, name, version, path, list(scripts), origin


def looks_like_path(s):
    return (s.startswith((".", "/", "~")) or s.endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"))
            or ("/" in s and "://" not in s and not s.startswith("git+")))


def project_info(d):
    """(name, version, scripts) of a local project folder, or None when it is not a Python project."""
    pp, sp, sc = (os.path.join(d, f) for f in ("pyproject.toml", "setup.py", "setup.cfg"))
    if not any(os.path.exists(p) for p in (pp, sp, sc)):
        return None
    name, version, scripts = None, None, []
    if os.path.exists(pp):
        try:
            import tomllib
            data = tomllib.load(open(pp, "rb"))
        except Exception:
            data = {}
        proj = data.get("project", {}) or {}
        poetry = (data.get("tool", {}) or {}).get("poetry", {}) or {}
        name = proj.get("name") or poetry.get("name")
        version = proj.get("version") or poetry.get("version")
        scripts = list((proj.get("scripts") or {}).keys()) + list((poetry.get("scripts") or {}).keys())
        if not (os.path.exists(sp) or os.path.exists(sc)) and not (data.get("build-system") or proj or poetry):
            return None
    for f in (sp, sc):
        if os.path.exists(f) and not name:
            m = re.search(r"""name\s*[=:]\s*['"]?([A-Za-z0-9._-]+)""", open(f, errors="replace").read())
            if m:
                name = m.group(1)
    if os.path.exists(sp):
        m = re.search(r"console_scripts['\"]?\s*[:=]\s*\[(.*?)\]", open(sp, errors="replace").read(), re.S)
        if m:
            scripts += re.findall(r"['\"]\s*([A-Za-z0-9._-]+)\s*=", m.group(1))
    return (name or os.path.basename(os.path.abspath(d)), str(version or "0.0.0"), scripts)


def parse_wheel_filename(p):
    parts = os.path.basename(p)[:-4].split("-")
    return (parts[0], parts[1]) if len(parts) >= 5 else (parts[0], parts[1] if len(parts) > 1 else "0")


def parse_spec(s, origin, base_dir=None):
    """One requirement (a line of a file or an argument) → Req, or raise Fail like pip."""
    s = s.strip()
    if not s:
        return None
    egg = re.search(r"#egg=([A-Za-z0-9._-]+)", s)
    if " @ " in s:
        name, url = (x.strip() for x in s.split(" @ ", 1))
        m = SPEC.match(name)
        if url.startswith("file://"):
            p = url[len("file://"):].split(";")[0].strip()
            if not os.path.exists(p):
                raise Fail("ERROR: Could not install packages due to an OSError: [Errno 2] No such file or directory: '%s'" % p)
        return Req(s, m.group(1) if m else name, None, None, (), origin)
    if "://" in s or s.startswith("git+"):
        if egg:
            return Req(s, egg.group(1), None, None, (), origin)
        tail = re.sub(r"(\.git)?([@#].*)?$", "", s.rstrip("/")).rsplit("/", 1)[-1]
        if tail.endswith((".whl",)):
            n, v = parse_wheel_filename(tail)
            return Req(s, n, v, None, (), origin)
        return Req(s, re.sub(r"(-[0-9][^/]*)?(\.tar\.gz|\.zip)$", "", tail) or "project", None, None, (), origin)
    if looks_like_path(s):
        p = os.path.expanduser(s.split(";")[0].strip())
        p = re.sub(r"\[[^\]]*\]$", "", p)
        if base_dir and not os.path.isabs(p) and origin != "argument" and not os.path.exists(p):
            alt = os.path.join(base_dir, p)
            if os.path.exists(alt):
                p = alt
        if any(c in p for c in "*?[") and not os.path.exists(p):
            raise Fail("ERROR: Invalid requirement: '%s'\nHint: It looks like a path. File '%s' does not exist." % (s, s))
        if not os.path.exists(p):
            raise Fail("ERROR: Invalid requirement: '%s'\nHint: It looks like a path. File '%s' does not exist." % (s, s))
        if os.path.isdir(p):
            info = project_info(p)
            if info is None:
                raise Fail("ERROR: Directory '%s' is not installable. Neither 'setup.py' nor 'pyproject.toml' found." % s)
            return Req(s, info[0], info[1], p, info[2], origin)
        if p.endswith(".whl"):
            n, v = parse_wheel_filename(p)
            return Req(s, n, v, p, (), origin)
        n = re.sub(r"(-[0-9][^/]*)?(\.tar\.gz|\.zip|\.tar\.bz2|\.tgz)$", "", os.path.basename(p))
        return Req(s, n, None, p, (), origin)
    m = SPEC.match(s)
    if not m:
        raise Fail("ERROR: Invalid requirement: '%s'" % s)
    rest = m.group(3).split(";")[0]
    v = re.search(r"===?\s*([A-Za-z0-9._+!*-]+)", rest)
    return Req(s, m.group(1), v.group(1) if v and "*" not in v.group(1) else None, None, (), origin)


def read_req_file(path, reqs, cons, opts, base_dir=None, constraint=False, seen=None):
    seen = seen if seen is not None else set()
    if "://" in path:
        log("stand-in pip: would fetch %s (no network here; nothing read from it)" % path)
        return
    full = path if os.path.isabs(path) or base_dir is None else os.path.join(base_dir, path)
    if not os.path.exists(full) or os.path.isdir(full):  # a pipe is fine: -r <(pipenv lock -r)
        raise Fail("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '%s'" % full)
    key = os.path.realpath(full)
    if key in seen:
        return
    seen.add(key)
    here = os.path.dirname(full)
    text = open(full, errors="replace").read()
    text = re.sub(r"\\\r?\n", " ", text)
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        toks = line.split()
        t0 = toks[0]
        def val():
            if "=" in t0 and t0.startswith("--"):
                return t0.split("=", 1)[1]
            if len(t0) > 2 and t0[:2] in ("-r", "-c", "-e", "-f", "-i") and not t0.startswith("--"):
                return t0[2:]
            return toks[1] if len(toks) > 1 else ""
        if t0 in ("-r", "--requirement") or t0.startswith(("-r", "--requirement=")) and not t0.startswith("--"):
            read_req_file(val(), reqs, cons, opts, here, constraint, seen)
        elif t0.startswith("--requirement"):
            read_req_file(val(), reqs, cons, opts, here, constraint, seen)
        elif t0 in ("-c", "--constraint") or t0.startswith("--constraint=") or (t0.startswith("-c") and not t0.startswith("--")):
            read_req_file(val(), reqs, cons, opts, here, True, seen)
        elif t0 in ("-e", "--editable") or t0.startswith("--editable=") or (t0.startswith("-e") and not t0.startswith("--")):
            r = parse_spec(val(), full, here)
            if r:
                (cons if constraint else reqs).append(r)
        elif t0 in ("-f", "--find-links") or t0.startswith("--find-links="):
            fl = val()
            opts.setdefault("find_links", []).append(fl if os.path.isabs(fl) or "://" in fl else os.path.join(here, fl))
        elif t0 == "--no-index":
            opts["no_index"] = True
        elif t0.startswith("-"):
            continue  # --index-url, --extra-index-url, --hash-only lines, --pre, --trusted-host ...
        else:
            spec = re.split(r"\s+--hash", line)[0]
            r = parse_spec(spec, full, here)
            if r:
                (cons if constraint else reqs).append(r)


# ---------------------------------------------------------------- recording installs

def write_file(path, text, mode=None):
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode:
        os.chmod(path, mode)


def stub_script(env, name, real=None):
    """A console script in env.bindir; real: (module, func) to call instead of a stub."""
    if not name or "/" in name:
        return
    path = os.path.join(env.bindir, name)
    if real:
        body = "import sys\nfrom %s import %s\nsys.exit(%s())\n" % (real[0], real[1], real[1])
    elif norm(name) in ("uv", "uvx", "poetry", "pipenv"):
        src = open(os.path.abspath(__file__)).read().split("\n", 1)[1]
        write_file(path, "#!%s\n%s" % (env.python, src), 0o755)
        return
    else:
        body = ("import sys\nprint('%s: console script %s ' + ' '.join(sys.argv[1:]))\nsys.exit(0)\n"
                % (MARK, name))
    write_file(path, "#!%s\n# %s\n%s" % (env.python, MARK, body), 0o755)


# Console scripts of common distributions whose names differ from the distribution's.
KNOWN_SCRIPTS = {"babel": ["pybabel"], "django": ["django-admin"], "sphinx": ["sphinx-build"], "pytest": ["py.test"],
                 "python-dotenv": ["dotenv"], "supervisor": ["supervisord", "supervisorctl"], "awscli": ["aws"],
                 "ansible-core": ["ansible", "ansible-playbook"], "ansible": ["ansible", "ansible-playbook"],
                 "jupyterlab": ["jupyter", "jupyter-lab"], "notebook": ["jupyter", "jupyter-notebook"],
                 "uwsgi": ["uwsgi"], "pyinstaller": ["pyinstaller"], "nodeenv": ["nodeenv"]}


def record(env, req, scripts_extra=()):
    name, version = req.name or "unknown", req.version or "0.0.0"
    if norm(name) == "pip" and os.path.isdir(os.path.join(env.site, "pip")):
        log("Requirement already satisfied: pip in %s" % env.site)
        return
    if norm(name) == "setuptools":
        # The real setuptools where the root has Debian's wheel of it (python3-venv's ensurepip
        # wheels): `python setup.py ...` after `pip install setuptools` imports it for real.
        whl = sorted(glob.glob("/usr/share/python-wheels/setuptools-*.whl"))
        if whl:
            install_wheel(env, whl[-1])
            return
    for old in glob.glob(os.path.join(env.site, wheel_name(name) + "-*.dist-info")):
        shutil.rmtree(old, ignore_errors=True)
    di = os.path.join(env.site, "%s-%s.dist-info" % (wheel_name(name), version))
    write_file(os.path.join(di, "METADATA"), "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s (%s)\n"
               % (name, version, MARK, req.text))
    write_file(os.path.join(di, "INSTALLER"), "slimbench-standin\n")
    write_file(os.path.join(di, "RECORD"), "")
    if norm(name) in ("uv", "poetry", "pipenv"):  # `python -m uv` too
        src = open(os.path.abspath(__file__)).read().split("\n", 1)[1]
        src = src.replace('if __name__ == "__main__":\n    sys.exit(main())', 'sys.exit(main(prog="%s"))' % norm(name))
        write_file(os.path.join(env.site, norm(name), "__init__.py"), "")
        write_file(os.path.join(env.site, norm(name), "__main__.py"), src)
    names = {name} | set(req.scripts) | set(scripts_extra) | set(KNOWN_SCRIPTS.get(norm(name), ()))
    if norm(name) not in ("setuptools", "wheel", "pip"):
        for s in names:
            stub_script(env, s)
    if norm(name) == "wheel":
        stub_script(env, "wheel")


def install_wheel(env, path):
    """Unpacks a wheel for real (ensurepip's pip and setuptools, wheels made by `pip wheel`)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        dist = next((n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")), None)
        for n in names:
            if ".data/" in n.split("/", 1)[0] + "/":
                continue
            if n.endswith("/"):
                continue
            dest = os.path.join(env.site, n)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(n) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
        scripts = []
        if dist and dist + "/entry_points.txt" in names:
            cp = configparser.ConfigParser()
            cp.read_string(z.read(dist + "/entry_points.txt").decode())
            if cp.has_section("console_scripts"):
                for k, v in cp.items("console_scripts"):
                    mod, _, fn = v.partition(":")
                    scripts.append(k)
                    real = (mod.strip(), fn.strip()) if mod.strip().startswith("pip") and fn.strip() else None
                    stub_script(env, k, real)
        stand = dist and MARK in z.read(dist + "/METADATA").decode(errors="replace")
    n, v = parse_wheel_filename(path)
    if norm(n) == "pip" and scripts:
        stub_script(env, "pip%d.%d" % sys.version_info[:2], ("pip._internal.cli.main", "main"))
    if stand and norm(n) not in ("pip", "setuptools", "wheel"):
        stub_script(env, n)
    log("Installed %s %s from %s into %s" % (n, v, path, env.site))


def make_wheel(outdir, req):
    name, version = wheel_name(req.name or "project"), req.version or "0.0.0"
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, "%s-%s-py3-none-any.whl" % (name, version))
    if req.path and req.path.endswith(".whl"):
        shutil.copy(req.path, os.path.join(outdir, os.path.basename(req.path)))
        return os.path.join(outdir, os.path.basename(req.path))
    di = "%s-%s.dist-info" % (name, version)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(di + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s (%s)\n"
                   % (req.name, version, MARK, req.text))
        z.writestr(di + "/WHEEL", "Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: true\nTag: py3-none-any\n" % MARK)
        if req.scripts:
            z.writestr(di + "/entry_points.txt", "[console_scripts]\n" + "".join(
                "%s = %s_standin:main\n" % (s, name) for s in req.scripts))
        z.writestr(di + "/RECORD", "")
    return path


# ---------------------------------------------------------------- pip

VALUE_OPTS = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix",
              "--root", "-w", "--wheel-dir", "-d", "--dest", "-i", "--index-url", "--extra-index-url",
              "-f", "--find-links", "--trusted-host", "--platform", "--python-version", "--implementation",
              "--abi", "--only-binary", "--no-binary", "--progress-bar", "--root-user-action", "--cache-dir",
              "--timeout", "--retries", "--log", "--log-file", "--proxy", "--src", "--upgrade-strategy",
              "--global-option", "--install-option", "--build-option", "--config-settings", "-C", "--report",
              "--exists-action", "--python", "--use-feature", "--use-deprecated", "--cert", "--client-cert",
              "--keyring-provider", "--format", "--path", "--exclude", "--hash", "--progress-bar", "-p"}


def pip_main(argv, prog="pip"):
    args = list(argv)
    opts = {"find_links": []}
    cmd = None
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if cmd is None and not a.startswith("-"):
            cmd = a
        elif a in ("-V", "--version") and cmd is None:
            log("pip %s from %s (%s)" % (VERSION, os.path.dirname(os.path.abspath(__file__)), MARK))
            return 0
        else:
            rest.append(a)
            if a in VALUE_OPTS and i + 1 < len(args):
                rest.append(args[i + 1])
                i += 1
        i += 1
    if cmd is None:
        log("Usage: pip <command> [options]  (%s)" % MARK)
        return 0
    try:
        if cmd in ("install", "wheel", "download"):
            return pip_install(cmd, rest, opts)
        if cmd == "uninstall":
            env = current_env()
            check_pep668(env, rest)
            for a in rest:
                if not a.startswith("-"):
                    for d in glob.glob(os.path.join(env.site, wheel_name(a) + "-*.dist-info")):
                        shutil.rmtree(d, ignore_errors=True)
                        log("Successfully uninstalled %s" % a)
            return 0
        if cmd in ("freeze", "list"):
            for d in sorted(glob.glob(os.path.join(current_env().site, "*.dist-info"))):
                n, v = os.path.basename(d)[:-10].rsplit("-", 1)
                log("%s==%s" % (n, v) if cmd == "freeze" else "%s %s" % (n, v))
            return 0
        if cmd == "config":
            return pip_config_cmd(rest)
        log("%s: pip %s %s (nothing to do)" % (MARK, cmd, " ".join(rest)))
        return 0
    except Fail as e:
        err(str(e))
        return 1


def pip_config_cmd(rest):
    words = [a for a in rest if not a.startswith("-")]
    if len(words) >= 3 and words[0] == "set":
        sec, _, key = words[1].partition(".")
        if "--global" in rest:
            f = "/etc/pip.conf"
        elif "--site" in rest:
            f = os.path.join(sys.prefix, "pip.conf")
        else:
            f = os.path.expanduser("~/.config/pip/pip.conf")
        cp = configparser.ConfigParser()
        if os.path.exists(f):
            cp.read(f)
        if not cp.has_section(sec):
            cp.add_section(sec)
        cp.set(sec, key, words[2])
        os.makedirs(os.path.dirname(f), exist_ok=True)
        with open(f, "w") as out:
            cp.write(out)
        log("Writing to %s" % f)
    return 0


def check_pep668(env, rest, break_flag=False):
    if not env.managed:
        return
    if break_flag or "--break-system-packages" in rest or truthy(pip_config("break-system-packages") or ""):
        return
    raise Fail(PEP668 % managed_marker())


def pip_install(cmd, rest, opts):
    reqs, cons = [], []
    target = prefix = root = wheel_dir = None
    user = upgrade = False
    i = 0
    while i < len(rest):
        a = rest[i]
        nxt = rest[i + 1] if i + 1 < len(rest) else ""
        def take():
            nonlocal i
            if "=" in a and a.startswith("--"):
                return a.split("=", 1)[1]
            if len(a) > 2 and not a.startswith("--"):
                return a[2:]
            i += 1
            return nxt
        key = a.split("=", 1)[0] if a.startswith("--") else (a[:2] if a.startswith("-") else a)
        if key in ("-r", "--requirement"):
            opts["given"] = True
            read_req_file(take(), reqs, cons, opts)
        elif key in ("-c", "--constraint"):
            read_req_file(take(), reqs, cons, opts, constraint=True)
        elif key in ("-e", "--editable"):
            r = parse_spec(take(), "argument")
            if r:
                reqs.append(r)
        elif key in ("-t", "--target"):
            target = take()
        elif key == "--prefix":
            prefix = take()
        elif key == "--root":
            root = take()
        elif key in ("-w", "--wheel-dir", "-d", "--dest"):
            wheel_dir = take()
        elif key in ("-f", "--find-links"):
            opts["find_links"].append(take())
        elif key == "--no-index":
            opts["no_index"] = True
        elif key == "--user":
            user = True
        elif key in ("-U", "--upgrade"):
            upgrade = True
        elif a.startswith("-"):
            if key in VALUE_OPTS and "=" not in a:
                i += 1
        else:
            r = parse_spec(a, "argument")
            if r:
                reqs.append(r)
        i += 1
    if truthy(os.environ.get("PIP_NO_INDEX", "")):
        opts["no_index"] = True
    if os.environ.get("PIP_FIND_LINKS"):
        opts["find_links"] += os.environ["PIP_FIND_LINKS"].split()
    if truthy(os.environ.get("PIP_USER", "")):
        user = True
    if not reqs and cmd == "install":
        if cons or opts.get("given"):
            log("%s: no requirement in the files given, nothing to install" % MARK)
            return 0
        raise Fail("ERROR: You must give at least one requirement to install (see \"pip help install\")")
    # --no-index: every named requirement needs a wheel in a local --find-links folder.
    if opts.get("no_index"):
        for r in reqs:
            if r.path or not r.name:
                continue
            found = False
            for fl in opts["find_links"]:
                fl = fl[len("file://"):] if fl.startswith("file://") else fl
                if os.path.isdir(fl):
                    for f in os.listdir(fl):
                        if norm(f.split("-")[0]) == norm(r.name) and f.endswith((".whl", ".tar.gz", ".zip")):
                            r.path = os.path.join(fl, f) if f.endswith(".whl") else None
                            if f.endswith(".whl"):
                                r.version = parse_wheel_filename(f)[1]
                            found = True
                            break
                if found:
                    break
            if not found:
                raise Fail("ERROR: Could not find a version that satisfies the requirement %s (from versions: none)\n"
                           "ERROR: No matching distribution found for %s" % (r.text, r.name))
    if cmd in ("wheel", "download"):
        out = wheel_dir or os.getcwd()
        os.makedirs(out, exist_ok=True)  # pip makes the folder before it resolves anything
        for r in reqs:
            p = make_wheel(out, r)
            log("Saved %s" % p)
        return 0
    if target:
        env = Env(os.path.abspath(target), os.path.join(os.path.abspath(target), "bin"), sys.executable, False, "target " + target)
    elif prefix:
        pv = "python%d.%d" % sys.version_info[:2]
        p = os.path.abspath(prefix)
        env = Env(os.path.join(p, "lib", pv, "site-packages"), os.path.join(p, "bin"), sys.executable, False, "prefix " + p)
    elif user:
        if in_venv():
            raise Fail("ERROR: Can not perform a '--user' install. User site-packages are not visible in this virtualenv.")
        import site
        env = Env(site.getusersitepackages(), os.path.join(site.getuserbase(), "bin"), sys.executable,
                  current_env().managed, "user site " + site.getusersitepackages())
    else:
        env = current_env()
    if root:
        env.site = os.path.join(root, env.site.lstrip("/"))
        env.bindir = os.path.join(root, env.bindir.lstrip("/"))
        env.managed = False
    check_pep668(env, rest)
    pins = {norm(c.name): c.version for c in cons if c.name and c.version}
    for r in reqs:
        if r.name and not r.version and norm(r.name) in pins:
            r.version = pins[norm(r.name)]
        if r.path and r.path.endswith(".whl") and os.path.isfile(r.path):
            install_wheel(env, r.path)
            continue
        log("%s: would install %s%s into %s" % (MARK, r.text, " (from %s)" % r.origin if r.origin != "argument" else "", env.desc))
        record(env, r)
    log("Successfully installed " + " ".join("%s-%s" % (r.name, r.version or "0.0.0") for r in reqs))
    return 0


# ---------------------------------------------------------------- uv

def find_up(name, start=None):
    d = os.path.abspath(start or os.getcwd())
    while True:
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
        if d == "/":
            return None
        d = os.path.dirname(d)


def find_python(spec=None):
    if spec and os.path.sep in spec and os.path.exists(spec):
        return spec
    for c in ("python3", "python"):
        p = shutil.which(c)
        if p:
            return p
    raise Fail("error: No interpreter found")


def make_venv(path, seed=False, python=None):
    py = find_python(python)
    if os.path.exists(os.path.join(path, "pyvenv.cfg")):
        return
    cmd = [py, "-m", "venv"] + ([] if seed else ["--without-pip"]) + [path]
    r = subprocess.run(cmd)
    if r.returncode != 0:
        raise Fail("error: could not create a virtual environment at %s" % path)
    log("Creating virtual environment at: %s" % path)


def load_toml(path):
    import tomllib
    with open(path, "rb") as f:
        return tomllib.load(f)


def locked_packages(lock):
    """[(name, version)] of a uv.lock or poetry.lock ([[package]] tables)."""
    try:
        data = load_toml(lock)
    except Exception as e:
        raise Fail("error: Failed to parse `%s`: %s" % (lock, e))
    out = []
    for p in data.get("package", []) or []:
        src = p.get("source", {}) or {}
        if isinstance(src, dict) and (src.get("editable") or src.get("virtual")):
            continue
        out.append((p.get("name"), str(p.get("version", "0.0.0"))))
    return out


def pyproject_deps(pp):
    data = load_toml(pp)
    deps = list((data.get("project", {}) or {}).get("dependencies", []) or [])
    poetry = (data.get("tool", {}) or {}).get("poetry", {}) or {}
    for k, v in (poetry.get("dependencies", {}) or {}).items():
        if k.lower() != "python":
            deps.append(k)
    return deps


def uv_env(args):
    t = opt_value(args, "--target")
    if t:
        return Env(os.path.abspath(t), os.path.join(os.path.abspath(t), "bin"), find_python(), False, "target " + t)
    if "--system" in args or truthy(os.environ.get("UV_SYSTEM_PYTHON", "")):
        py = find_python()
        out = subprocess.run([py, "-c", "import sysconfig,sys,os;p=sysconfig.get_paths();"
                              "print(p['purelib']);print(p['scripts']);"
                              "print(os.path.exists(os.path.join(sysconfig.get_path('stdlib'),'EXTERNALLY-MANAGED')) and sys.prefix==sys.base_prefix)"],
                             capture_output=True, text=True).stdout.split("\n")
        return Env(out[0], out[1], py, out[2] == "True", "system Python " + py)
    for a in ("--python", "-p"):
        if a in args:
            p = args[args.index(a) + 1]
            if os.path.isdir(p) or os.path.exists(os.path.join(os.path.dirname(os.path.dirname(p)), "pyvenv.cfg")):
                return venv_env(p if os.path.isdir(p) else os.path.dirname(os.path.dirname(p)))
    if os.environ.get("VIRTUAL_ENV"):
        return venv_env(os.environ["VIRTUAL_ENV"])
    v = find_up(".venv")
    if v and os.path.exists(os.path.join(v, "pyvenv.cfg")):
        return venv_env(v)
    raise Fail("error: No virtual environment found; run `uv venv` to create an environment, or pass `--system` to install into a non-virtual environment")


def opt_value(args, *names):
    for i, a in enumerate(args):
        for n in names:
            if a == n and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(n + "="):
                return a.split("=", 1)[1]
    return None


def uv_main(argv):
    args = list(argv)
    d = opt_value(args, "--directory", "--project")
    if d:
        os.chdir(d)
    words = [a for a in args if not a.startswith("-")]
    if not words or args[0] in ("--version", "-V") or words[0] == "version":
        log("uv 99.0.0 (%s)" % MARK)
        return 0
    cmd = words[0]
    try:
        if cmd == "pip":
            sub = words[1] if len(words) > 1 else ""
            rest = args[args.index(sub) + 1:] if sub else []
            if sub in ("install", "sync"):
                if sub == "sync":
                    rest = [x if x.startswith("-") or not os.path.isfile(x) else "-r" + x for x in rest]
                env = uv_env(rest)
                if env.managed and "--break-system-packages" not in rest and not truthy(os.environ.get("UV_BREAK_SYSTEM_PACKAGES", "")):
                    raise Fail("error: The interpreter at %s is externally managed, and indicates the following:\n\n"
                               "  To install Python packages system-wide, try apt install python3-xyz\n\n"
                               "Consider creating a virtual environment with `uv venv`." % env.python)
                return uv_pip_install(env, rest)
            if sub == "compile":
                out = opt_value(rest, "-o", "--output-file")
                reqs, cons, o = [], [], {}
                for f in [x for x in rest if not x.startswith("-") and os.path.isfile(x)]:
                    if f.endswith(".toml"):
                        reqs += [parse_spec(s, f) for s in pyproject_deps(f)]
                    else:
                        read_req_file(f, reqs, cons, o)
                text = "".join("%s\n" % r.text for r in reqs if r)
                if out:
                    write_file(out, text)
                else:
                    sys.stdout.write(text)
                return 0
            log("%s: uv pip %s (nothing to do)" % (MARK, sub))
            return 0
        if cmd == "venv":
            path = next((w for w in words[1:]), None) or os.environ.get("UV_PROJECT_ENVIRONMENT") or ".venv"
            make_venv(path, seed="--seed" in args, python=opt_value(args, "--python", "-p"))
            return 0
        if cmd == "sync" or (cmd == "run" and False):
            return uv_sync(args)
        if cmd == "export":
            lock = find_up("uv.lock")
            if not lock:
                pp = find_up("pyproject.toml")
                if not pp:
                    raise Fail("error: No `pyproject.toml` found in current directory or any parent directory")
                if "--frozen" in args or "--locked" in args:
                    raise Fail("error: Unable to find lockfile at `uv.lock`, but `--frozen` was provided" if "--frozen" in args
                               else "error: Unable to find lockfile at `uv.lock`, but `--locked` was provided. To create a lockfile, run `uv lock` or `uv sync`.")
                pk = [(parse_spec(s, pp).name, None) for s in pyproject_deps(pp)]
            else:
                pk = locked_packages(lock)
            text = "".join("%s==%s\n" % (n, v) if v else "%s\n" % n for n, v in pk if n)
            out = opt_value(args, "-o", "--output-file")
            if out:
                write_file(out, text)
            else:
                sys.stdout.write(text)
            return 0
        if cmd == "run":
            i = args.index("run") + 1
            while i < len(args) and args[i].startswith("-"):
                i += 1 + (args[i] in ("--with", "--python", "-p", "--extra", "--group", "--env-file"))
            rest = args[i:]
            if not rest:
                return 0
            v = os.environ.get("UV_PROJECT_ENVIRONMENT") or find_up(".venv")
            if v:
                os.environ["PATH"] = os.path.join(os.path.abspath(v), "bin") + ":" + os.environ.get("PATH", "")
                os.environ["VIRTUAL_ENV"] = os.path.abspath(v)
            if rest[0].endswith(".py"):  # uv run SCRIPT.py runs it with the project's Python
                rest = ["python3"] + rest
            os.execvp(rest[0], rest)
        if cmd == "tool":
            if len(words) > 2 and words[1] == "install":
                bindir = os.environ.get("UV_TOOL_BIN_DIR") or os.path.expanduser("~/.local/bin")
                r = parse_spec(words[2], "argument")
                stub_script(Env("", bindir, find_python()), r.name)
                log("Installed 1 executable: %s" % r.name)
            return 0
        if cmd == "build":
            pp = find_up("pyproject.toml")
            info = project_info(os.path.dirname(pp)) if pp else None
            if not info:
                raise Fail("error: No `pyproject.toml` found")
            out = opt_value(args, "-o", "--out-dir") or "dist"
            log("Successfully built %s" % make_wheel(out, Req(info[0], info[0], info[1], None, info[2])))
            return 0
        log("%s: uv %s (nothing to do offline)" % (MARK, " ".join(args)))
        return 0
    except Fail as e:
        err(str(e))
        return 2


def uv_pip_install(env, rest):
    # the pip parser knows the options; point it at env instead of the running interpreter
    opts = {"find_links": []}
    reqs, cons = [], []
    i = 0
    while i < len(rest):
        a = rest[i]
        if a in ("-r", "--requirement", "-c", "--constraint", "--override", "-e", "--editable", "-f", "--find-links", "--target", "--prefix"):
            v = rest[i + 1] if i + 1 < len(rest) else ""
            if a in ("-r", "--requirement"):
                if v.endswith(".toml"):
                    reqs += [parse_spec(s, v) for s in pyproject_deps(v)]
                else:
                    read_req_file(v, reqs, cons, opts)
            elif a in ("-c", "--constraint", "--override"):
                read_req_file(v, reqs, cons, opts, constraint=True)
            elif a in ("-e", "--editable"):
                reqs.append(parse_spec(v, "argument"))
            elif a in ("-f", "--find-links"):
                opts["find_links"].append(v)
            elif a == "--target":
                env = Env(os.path.abspath(v), os.path.join(os.path.abspath(v), "bin"), env.python, False, "target " + v)
            elif a == "--prefix":
                pv = pyver_of_venv(v)
                env = Env(os.path.join(v, "lib", pv, "site-packages"), os.path.join(v, "bin"), env.python, False, "prefix " + v)
            i += 2
            continue
        if a.startswith("-r") and len(a) > 2:
            read_req_file(a[2:], reqs, cons, opts)
        elif a.startswith("-"):
            if a in ("--python", "-p", "--index-url", "-i", "--extra-index-url", "--index-strategy", "--link-mode",
                     "--python-platform", "--python-version", "--cache-dir", "--resolution", "--prerelease",
                     "--config-settings", "--no-binary", "--only-binary", "--keyring-provider", "--exclude-newer"):
                i += 1
        else:
            r = parse_spec(a, "argument")
            if r:
                reqs.append(r)
        i += 1
    reqs = [r for r in reqs if r]
    if not reqs:
        log("Audited 0 packages")
        return 0
    for r in reqs:
        if r.path and r.path.endswith(".whl"):
            install_wheel(env, r.path)
        else:
            log("%s: would install %s into %s" % (MARK, r.text, env.desc))
            record(env, r)
    log("Installed %d packages" % len(reqs))
    return 0


def uv_sync(args):
    pp = find_up("pyproject.toml")
    if not pp:
        raise Fail("error: No `pyproject.toml` found in current directory or any parent directory")
    root = os.path.dirname(pp)
    lock = os.path.join(root, "uv.lock")
    if not os.path.exists(lock) and ("--frozen" in args or "--locked" in args):
        raise Fail("error: Unable to find lockfile at `uv.lock`, but `--%s` was provided. To create a lockfile, run `uv lock` or `uv sync`."
                   % ("frozen" if "--frozen" in args else "locked"))
    venv = os.environ.get("UV_PROJECT_ENVIRONMENT") or os.path.join(root, ".venv")
    if not os.path.isabs(venv):
        venv = os.path.join(root, venv)
    if os.path.exists(os.path.join(venv, "pyvenv.cfg")) or not os.path.exists(venv) or not os.listdir(venv):
        make_venv(venv, python=opt_value(args, "--python", "-p"))
        env = venv_env(venv)
    else:  # UV_PROJECT_ENVIRONMENT=/usr/local: the system interpreter
        out = subprocess.run([find_python(), "-c", "import sysconfig;p=sysconfig.get_paths();print(p['purelib']);print(p['scripts'])"],
                             capture_output=True, text=True).stdout.split("\n")
        env = Env(out[0], out[1], find_python(), False, "environment " + venv)
    pk = locked_packages(lock) if os.path.exists(lock) else [(parse_spec(s, pp).name, None) for s in pyproject_deps(pp)]
    info = project_info(root)
    for n, v in pk:
        if not n or (info and norm(n) == norm(info[0])):
            continue
        record(env, Req(n, n, v, None, (), "uv.lock"))
    if info and "--no-install-project" not in args and "--no-install-workspace" not in args:
        record(env, Req(".", info[0], info[1], root, info[2], "project"))
    log("Installed %d packages into %s (%s)" % (len(pk), venv, MARK))
    return 0


# ---------------------------------------------------------------- poetry

def poetry_conf_path():
    return os.path.expanduser("~/.config/pypoetry/slimbench-standin.conf")


def poetry_setting(key):
    envkey = "POETRY_" + key.upper().replace(".", "_").replace("-", "_")
    if envkey in os.environ:
        return os.environ[envkey]
    for f in (os.path.join(os.getcwd(), "poetry.toml"), poetry_conf_path()):
        if os.path.exists(f):
            for line in open(f):
                k, _, v = line.partition("=")
                if k.strip() in (key, key.split(".", 1)[-1]):
                    return v.strip().strip('"')
    return None


def poetry_main(argv):
    args = list(argv)
    d = opt_value(args, "--directory", "-C")
    if d:
        os.chdir(d)
    words = [a for a in args if not a.startswith("-")]
    if not words or "--version" in args:
        log("Poetry (version 99.0.0, %s)" % MARK)
        return 0
    cmd = words[0]
    try:
        if cmd == "config":
            if len(words) >= 3:
                os.makedirs(os.path.dirname(poetry_conf_path()), exist_ok=True)
                with open(poetry_conf_path(), "a") as f:
                    f.write("%s = %s\n" % (words[1], words[2]))
            return 0
        pp = find_up("pyproject.toml")
        if cmd in ("install", "export", "lock", "check", "build", "show", "sync") and not pp:
            raise Fail("Poetry could not find a pyproject.toml file in %s or its parents" % os.getcwd())
        if cmd in ("install", "sync"):
            root = os.path.dirname(pp)
            lock = os.path.join(root, "poetry.lock")
            pk = locked_packages(lock) if os.path.exists(lock) else [(parse_spec(s, pp).name, None) for s in pyproject_deps(pp)]
            if os.environ.get("VIRTUAL_ENV"):
                env = venv_env(os.environ["VIRTUAL_ENV"])
            elif truthy(poetry_setting("virtualenvs.create") or "true"):
                if truthy(poetry_setting("virtualenvs.in-project") or "false") or os.path.isdir(os.path.join(root, ".venv")):
                    venv = os.path.join(root, ".venv")
                else:
                    base = poetry_setting("virtualenvs.path") or os.path.expanduser("~/.cache/pypoetry/virtualenvs")
                    venv = os.path.join(base, "%s-standin-py3" % norm(os.path.basename(root)))
                make_venv(venv)
                env = venv_env(venv)
            else:
                env = current_env()
            for n, v in pk:
                if n:
                    record(env, Req(n, n, v, None, (), "poetry.lock"))
            info = project_info(root)
            if info and "--no-root" not in args and "--only-root" not in args or "--only-root" in args:
                record(env, Req(".", info[0], info[1], root, info[2], "project"))
            log("Installing dependencies from lock file (%s): %d packages into %s" % (MARK, len(pk), env.desc))
            return 0
        if cmd == "export":
            root = os.path.dirname(pp)
            lock = os.path.join(root, "poetry.lock")
            pk = locked_packages(lock) if os.path.exists(lock) else [(parse_spec(s, pp).name, None) for s in pyproject_deps(pp)]
            text = "".join("%s==%s\n" % (n, v) if v else "%s\n" % n for n, v in pk if n)
            out = opt_value(args, "-o", "--output")
            if out:
                write_file(out, text)
            else:
                sys.stdout.write(text)
            return 0
        if cmd == "run":
            i = args.index("run") + 1
            rest = args[i:]
            if rest:
                os.execvp(rest[0], rest)
            return 0
        if cmd == "build":
            info = project_info(os.path.dirname(pp))
            log("Built %s" % make_wheel("dist", Req(info[0], info[0], info[1], None, info[2])))
            return 0
        log("%s: poetry %s (nothing to do offline)" % (MARK, " ".join(args)))
        return 0
    except Fail as e:
        err(str(e))
        return 1


# ---------------------------------------------------------------- pipenv

def pipfile_packages(root, dev=False):
    lock = os.path.join(root, "Pipfile.lock")
    out = []
    if os.path.exists(lock):
        import json
        data = json.load(open(lock))
        for sec in ("default",) + (("develop",) if dev else ()):
            for n, d in (data.get(sec) or {}).items():
                v = (d or {}).get("version", "") if isinstance(d, dict) else ""
                out.append((n, v.lstrip("=") or None))
        return out
    pf = os.path.join(root, "Pipfile")
    data = load_toml(pf)
    for sec in ("packages",) + (("dev-packages",) if dev else ()):
        for n, v in (data.get(sec) or {}).items():
            out.append((n, v.lstrip("=") if isinstance(v, str) and v.startswith("==") else None))
    return out


def pipenv_main(argv):
    args = list(argv)
    words = [a for a in args if not a.startswith("-")]
    if not words or "--version" in args:
        log("pipenv, version 99.0.0 (%s)" % MARK)
        return 0
    cmd = words[0]
    try:
        pf = find_up("Pipfile")
        if cmd in ("install", "sync", "requirements", "lock") and not pf and not words[1:]:
            raise Fail("Pipfile not found: no Pipfile in %s or its parents" % os.getcwd())
        root = os.path.dirname(pf) if pf else os.getcwd()
        if cmd in ("install", "sync"):
            if "--system" in args or truthy(os.environ.get("PIPENV_SYSTEM", "")):
                env = uv_env(["--system"])
                env.managed = False
            elif os.environ.get("VIRTUAL_ENV"):
                env = venv_env(os.environ["VIRTUAL_ENV"])
            else:
                venv = os.path.join(root, ".venv") if truthy(os.environ.get("PIPENV_VENV_IN_PROJECT", "")) or os.path.isdir(os.path.join(root, ".venv")) \
                    else os.path.expanduser("~/.local/share/virtualenvs/%s-standin" % os.path.basename(root))
                make_venv(venv)
                env = venv_env(venv)
            if "--deploy" in args and not os.path.exists(os.path.join(root, "Pipfile.lock")):
                raise Fail("Pipfile.lock not found, --deploy needs it")
            pk = [(n, v) for n, v in pipfile_packages(root, dev="--dev" in args or "-d" in args)]
            pk += [(parse_spec(w, "argument").name, None) for w in words[1:]]
            for n, v in pk:
                record(env, Req(n, n, v, None, (), "Pipfile"))
            log("Installed %d packages into %s (%s)" % (len(pk), env.desc, MARK))
            return 0
        if cmd == "requirements" or (cmd == "lock" and "-r" in args):
            sys.stdout.write("".join("%s==%s\n" % (n, v) if v else "%s\n" % n for n, v in pipfile_packages(root, "--dev" in args)))
            return 0
        if cmd == "run":
            rest = args[args.index("run") + 1:]
            v = os.environ.get("VIRTUAL_ENV") or (os.path.join(root, ".venv") if os.path.isdir(os.path.join(root, ".venv")) else None)
            if v:
                os.environ["PATH"] = os.path.join(v, "bin") + ":" + os.environ.get("PATH", "")
            if rest:
                os.execvp(rest[0], rest)
            return 0
        log("%s: pipenv %s (nothing to do offline)" % (MARK, " ".join(args)))
        return 0
    except Fail as e:
        err(str(e))
        return 1


def main(argv=None, prog=None):
    argv = sys.argv[1:] if argv is None else argv
    prog = prog or os.path.basename(sys.argv[0] or "pip")
    if prog.startswith("uvx"):
        log("%s: uvx %s (nothing to do offline)" % (MARK, " ".join(argv)))
        return 0
    if prog.startswith("uv"):
        return uv_main(argv)
    if prog.startswith("pipenv"):
        return pipenv_main(argv)
    if prog.startswith("poetry"):
        return poetry_main(argv)
    return pip_main(argv)


if __name__ == "__main__":
    sys.exit(main())
