#!/usr/bin/env python3
"""Builds each project of a corpus and slimbench's Debian-side exports of it for real on stand-in
base images (see scripts/check-corpus-builds.sh for the usage and docs/development.md "Built for real, over a corpus")."""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
VARIANTS = ["fat", "slim", "multistage", "buildkit"]
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "site-packages"}


def is_dockerfile_name(name):
    low = name.lower()
    return (low in ("dockerfile", "containerfile") or low.startswith("dockerfile.") or low.startswith("dockerfile_")
            or low.startswith("dockerfile-") or low.endswith(".dockerfile") or low.startswith("containerfile."))


def find_dockerfile(project):
    """The root Dockerfile, else the first Dockerfile-named file (shallowest, then by path), as
    scripts/corpus-report.py picks it."""
    found = []
    for root, dirs, files in os.walk(project):
        rel_root = os.path.relpath(root, project)
        depth = 0 if rel_root == "." else rel_root.count(os.sep) + 1
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and depth < 4)
        for f in files:
            if is_dockerfile_name(f):
                rel = f if rel_root == "." else os.path.join(rel_root, f)
                found.append((depth, rel.lower() != "dockerfile" and depth == 0, rel))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return found[0][2] if found else None


# ------------------------------------------------------------------ Dockerfile reading

def logical_lines(text):
    out, cur = [], ""
    for line in text.splitlines():
        s = line.rstrip()
        if not cur and s.lstrip().startswith("#"):
            continue
        if cur and s.lstrip().startswith("#"):
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        cur += s
        if cur.strip():
            out.append(cur.strip())
        cur = ""
    if cur.strip():
        out.append(cur.strip())
    return out


def expand(s, env):
    def rep(m):
        name = m.group(1) or m.group(3)
        mod = m.group(2) or ""
        val = env.get(name)
        if mod.startswith(":-") or mod.startswith("-"):
            default = mod.split("-", 1)[1]
            return val if val else default
        if mod.startswith(":+") or mod.startswith("+"):
            return mod.split("+", 1)[1] if val else ""
        return val if val is not None else ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([:]?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)", rep, s)


def image_refs(text):
    """(FROM bases, other images) a Dockerfile names: stage names excluded, global ARG defaults
    substituted. Other images: COPY --from=IMAGE and RUN --mount=...,from=IMAGE."""
    args, stages, bases, others = {}, set(), [], []
    seen_from = False
    for line in logical_lines(text):
        parts = line.split(None, 1)
        kw = parts[0].upper()
        rest = parts[1] if len(parts) > 1 else ""
        if kw == "ARG" and not seen_from:
            for tok in shlex.split(rest, posix=True) if rest else []:
                k, _, v = tok.partition("=")
                args[k] = v
        elif kw == "FROM":
            seen_from = True
            toks = [t for t in rest.split() if not t.startswith("--")]
            if not toks:
                continue
            img = expand(toks[0], args)
            if len(toks) >= 3 and toks[1].lower() == "as":
                stages.add(toks[2].lower())
            if img.lower() not in stages and img.lower() != "scratch":
                bases.append(img)
        elif kw in ("COPY", "ADD", "RUN"):
            for m in re.finditer(r"--from=([^\s,]+)|--mount=[^\s]*?\bfrom=([^\s,]+)", rest):
                ref = expand(m.group(1) or m.group(2), args)
                if ref.lower() not in stages and not ref.isdigit():
                    others.append(ref)
    return bases, others


def strip_digests(text):
    """Stand-ins cannot carry the official digests: `image:tag@sha256:…` is built as `image:tag`.
    Also gives relative RUN --mount targets their absolute path (see absolute_mount_targets)."""
    return absolute_mount_targets(re.sub(r"(\S+?)@sha256:[0-9a-f]{64}", r"\1", text))


def empty_wildcard_copies(text, context):
    """BuildKit copies nothing for a COPY/ADD wildcard that matches nothing (`COPY .[V]ERSION ...`, an
    optional file); buildah 1.28 fails the build. The harness drops such a source (and a COPY left
    with none), so such files build the same. Only the build context's sources are looked at."""
    out = []
    for line in text.split("\n"):
        m = re.match(r"(\s*(?:COPY|ADD)\s+)((?:--\S+\s+)*)(.*)$", line, re.I)
        if not m or "--from" in m.group(2) or line.rstrip().endswith("\\") or m.group(3).lstrip().startswith("["):
            out.append(line)
            continue
        words = m.group(3).split()
        if len(words) < 2:
            out.append(line)
            continue
        srcs, dest = words[:-1], words[-1]
        keep = [w for w in srcs if not (re.search(r"[*?\[]", w) and "$" not in w and
                                        not glob.glob(os.path.join(context, w.lstrip("/"))))]
        if len(keep) == len(srcs):
            out.append(line)
        elif keep:
            out.append(m.group(1) + m.group(2) + " ".join(keep + [dest]))
        else:
            out.append("# slimbench harness: %s (a wildcard that matches nothing: BuildKit copies nothing)" % line.strip())
    return "\n".join(out)


def heredoc_runs(text):
    """`RUN <<EOF` … `EOF` (the heredoc is the whole command): BuildKit runs its lines as a script
    with the default shell; buildah 1.28 cannot parse it. The harness writes the same script as
    `printf '%s\\n' 'line' … | sh`, so such files build the same. Other heredoc forms are left."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^(\s*RUN\s+(?:--\S+\s+)*)<<(-?)[\"']?(\w+)[\"']?\s*$", lines[i], re.I)
        if not m:
            out.append(lines[i])
            i += 1
            continue
        body, j = [], i + 1
        while j < len(lines) and (lines[j].lstrip("\t") if m.group(2) else lines[j]) != m.group(3):
            body.append(lines[j].lstrip("\t") if m.group(2) else lines[j])
            j += 1
        if j == len(lines):  # no terminator: left for buildah to report
            out.append(lines[i])
            i += 1
            continue
        q = " ".join("'" + b.replace("'", "'\\''") + "'" for b in body) or "''"
        out.append("%sprintf '%%s\\n' %s | sh" % (m.group(1), q))
        i = j + 1
    return "\n".join(out)


def absolute_mount_targets(text):
    """BuildKit resolves a relative `RUN --mount=...,target=DIR` against the WORKDIR; buildah 1.28
    rejects it. The harness writes the path BuildKit would use, so such files build the same."""
    workdir, name, stage_wd, out = "/", "", {}, []
    for line in text.split("\n"):
        m = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            workdir = stage_wd.get(m.group(1).lower(), "/")  # FROM an earlier stage keeps its WORKDIR
            name = (m.group(2) or "").lower()
        w = re.match(r"\s*WORKDIR\s+(\S+)", line, re.I)
        if w and "$" not in w.group(1):
            workdir = os.path.normpath(os.path.join(workdir, w.group(1)))
        if (m or w) and name:
            stage_wd[name] = workdir
        if "--mount=" in line:
            line = re.sub(r"(--mount=\S*?\b(?:target|dst|destination)=)([^/\s,$][^\s,]*)",
                          lambda t: t.group(1) + os.path.normpath(os.path.join(workdir, t.group(2))), line)
        out.append(line)
    return "\n".join(out)


# ------------------------------------------------------------------ stand-in mapping

RELEASES = {"bullseye": "bullseye", "11": "bullseye", "bookworm": "bookworm", "12": "bookworm",
            "trixie": "trixie", "13": "trixie", "stable": "trixie", "latest": "trixie", "oldstable": "bookworm",
            "sid": "sid", "unstable": "sid"}
NEWEST = "trixie"  # python:X without a release is trixie in the official images today


def split_ref(ref):
    r = ref
    for p in ("docker.io/library/", "docker.io/", "index.docker.io/library/", "library/"):
        if r.startswith(p):
            r = r[len(p):]
            break
    name, _, tag = r.partition(":")
    if "/" in tag:  # registry with port
        name, tag = r, ""
    return name, tag or "latest"


def standin_for(ref):
    """(release, kind, note) the stand-in for an image reference, or (None, None, reason)."""
    name, tag = split_ref(ref)
    if name == "python":
        t = tag.lower()
        if "alpine" in t:
            return None, None, "Alpine base (no Alpine mirror here)"
        if "windows" in t or "nanoserver" in t:
            return None, None, "Windows base"
        rel = next((r for r in ("bullseye", "bookworm", "trixie") if r in t), None)
        if rel is None:
            if re.search(r"(buster|stretch|jessie)", t):
                return None, None, "Debian release %s is not on Debian's mirror" % re.search(r"(buster|stretch|jessie)", t).group(1)
            rel = NEWEST
        kind = "python" if "slim" in t else "pythonfat"
        return rel, kind, ""
    if name == "debian":
        t = tag.lower().replace("-slim", "")
        rel = RELEASES.get(t.split(".")[0].split("-")[0])
        if rel is None:
            return None, None, "debian:%s is not stood in (bullseye, bookworm, trixie, sid are)" % tag
        return rel, "minbase", ""
    if name == "ubuntu":
        m = re.match(r"(\d+)\.", tag)
        old = bool(m and int(m.group(1)) <= 22)
        rel = "bookworm" if old else "trixie"
        # Ubuntu marks its Python externally managed (PEP 668) from 23.04 on; the older releases' pip
        # installs into the system Python: their stand-in drops Debian's marker.
        return rel, "minbase-nomarker" if old else "minbase", "ubuntu:%s stood in by Debian %s minbase (package names mostly shared%s)" % (
            tag, rel, "; no PEP 668 marker, as in Ubuntu before 23.04" if old else "")
    if name in ("ghcr.io/astral-sh/uv",):
        if "python" in tag:
            rel = next((r for r in ("bookworm", "trixie") if r in tag), NEWEST)
            if "alpine" in tag:
                return None, None, "Alpine base (no Alpine mirror here)"
            return rel, "uvpython" if "slim" in tag else "uvpythonfat", ""
        return "none", "uv", ""
    if name == "alpine" or name.endswith("/alpine"):
        return None, None, "Alpine base (no Alpine mirror here)"
    return None, None, "base %s is not stood in" % ref


def family_of(ref):
    name, tag = split_ref(ref)
    if "alpine" in tag.lower() or name == "alpine":
        return "alpine"
    if name in ("python", "debian") or name.startswith("ghcr.io/astral-sh/uv"):
        return "debian"
    if name == "ubuntu":
        return "ubuntu"
    return "other"


# ------------------------------------------------------------------ tools

class Tools:
    def __init__(self, work, log):
        self.work, self.log = work, log
        self.store = ["--storage-driver", "vfs", "--root", os.path.join(work, "storage"),
                      "--runroot", os.path.join(work, "run")]
        self.images = {}  # (release, kind) → local image name
        self.tagged = set()

    def run(self, tool, *args, timeout=None, log=None, check=False):
        cmd = [tool] + self.store + list(args)
        out = open(log, "a") if log else subprocess.DEVNULL
        try:
            r = subprocess.run(cmd, stdout=out if log else subprocess.PIPE, stderr=subprocess.STDOUT if log else subprocess.PIPE,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            if log:
                out.write("\n[timed out after %ss]\n" % timeout)
                out.close()
            return None
        if log:
            out.close()
        if check and r.returncode != 0:
            raise RuntimeError("%s %s failed: %s" % (tool, " ".join(args[:3]), (r.stderr or "")[-500:]))
        return r

    def base_image(self, release, kind, standin_dir):
        key = (release, kind)
        if key in self.images:
            return self.images[key]
        name = "localhost/slimbench-standin/%s-%s" % (release, kind)
        if kind == "uv":
            ctr = self.run("buildah", "from", "scratch", check=True).stdout.strip()
            for f in ("uv", "uvx"):
                self.run("buildah", "copy", "--chmod", "755", ctr, os.path.join(standin_dir, f), "/" + f, check=True)
            self.run("buildah", "commit", "--rm", ctr, name, check=True)
            self.images[key] = name
            return name
        root_kind = {"uvpython": "python", "uvpythonfat": "pythonfat", "minbase-nomarker": "minbase"}.get(kind, kind)
        t0 = time.time()
        r = subprocess.run(["bash", os.path.join(SCRIPTS, "realbuild-roots.sh"), release, root_kind],
                           stdout=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("could not make the %s %s root" % (release, root_kind))
        tar = r.stdout.strip().splitlines()[-1]
        raw = "localhost/slimbench-standin/raw-%s-%s" % (release, root_kind)
        if raw not in self.images.values():
            self.run("podman", "import", tar, raw, check=True)
            self.images[(release, "raw-" + root_kind)] = raw
        ctr = self.run("buildah", "from", "--pull-never", raw, check=True).stdout.strip()
        self.run("buildah", "copy", ctr, standin_dir, "/usr/local/lib/slimbench-standin", check=True)
        setup_kind = kind if kind.startswith("minbase") else "python"
        self.run("buildah", "run", "--isolation", "chroot", ctr, "--", "sh",
                 "/usr/local/lib/slimbench-standin/setup.sh", setup_kind, check=True)
        if kind.startswith("uv"):
            for f in ("uv", "uvx"):
                self.run("buildah", "copy", "--chmod", "755", ctr, os.path.join(standin_dir, f), "/usr/local/bin/" + f, check=True)
        cfg = ["--env", "PATH=" + DEFAULT_PATH]
        if not kind.startswith("minbase"):
            cfg += ["--env", "LANG=C.UTF-8", "--cmd", "python3"]
        else:
            cfg += ["--cmd", "bash"]
        self.run("buildah", "config", *cfg, ctr, check=True)
        self.run("buildah", "commit", "--rm", ctr, name, check=True)
        self.images[key] = name
        print("  stand-in %s-%s ready (%.0fs)" % (release, kind, time.time() - t0), flush=True)
        return name

    def tag(self, image, ref):
        name, tag = split_ref(ref)
        full = ("docker.io/library/%s:%s" % (name, tag)) if "/" not in name else (
            "%s:%s" % (name, tag) if "." in name.split("/")[0] or ":" in name.split("/")[0] else "docker.io/%s:%s" % (name, tag))
        if (full, image) in self.tagged:
            return
        self.run("podman", "tag", image, full, check=True)
        self.tagged.add((full, image))


# ------------------------------------------------------------------ checks in the image

def resolve_in_root(root, path, max_hops=40):
    """path inside the image rootfs → host path, following symlinks within root; None if absent."""
    parts = [p for p in path.split("/") if p]
    cur = "/"
    hops = 0
    while parts:
        p = parts.pop(0)
        if p == ".":
            continue
        if p == "..":
            cur = os.path.dirname(cur.rstrip("/")) or "/"
            continue
        cand = os.path.join(cur, p)
        host = root + cand
        if os.path.islink(host):
            hops += 1
            if hops > max_hops:
                return None
            target = os.readlink(host)
            parts = [x for x in target.split("/") if x] + parts
            cur = "/" if target.startswith("/") else cur
            continue
        if not os.path.lexists(host):
            return None
        cur = cand
    return root + cur


SHELLS = {"sh", "bash", "dash", "ash", "zsh"}
BUILTINS = {"cd", "exec", "set", "export", ".", "source", "echo", "test", "[", "true", ":", "eval", "trap", "ulimit", "umask", "if", "for", "while", "{", "(", "printf", "exit"}
WRAPPERS = {"tini", "tini-static", "dumb-init", "gosu", "su-exec", "env"}


def command_words(ep, cmd):
    argv = list(ep or []) + list(cmd or []) if ep else list(cmd or [])
    return argv


def first_exec(argv, env):
    """The executables to check: [(word, why)]."""
    out = []
    seen = 0
    while argv and seen < 4:
        seen += 1
        w = argv[0]
        if os.path.basename(w) in SHELLS and len(argv) >= 3 and re.match(r"^-[a-z]*c[a-z]*$", argv[1]):
            out.append((w, "shell"))
            try:
                words = shlex.split(argv[2], posix=True)
            except ValueError:
                words = argv[2].split()
            while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] in ("exec", "nohup")):
                words.pop(0)
            if not words or words[0] in BUILTINS:
                return out
            argv = words
            continue
        out.append((w, "command"))
        base = os.path.basename(w)
        if base in WRAPPERS:
            rest = argv[1:]
            if "--" in rest:
                rest = rest[rest.index("--") + 1:]
            else:
                while rest and (rest[0].startswith("-") or (base == "env" and "=" in rest[0]) or (base in ("gosu", "su-exec") and rest is argv[1:])):
                    if base in ("gosu", "su-exec") and not rest[0].startswith("-"):
                        rest = rest[1:]
                        break
                    rest = rest[1:]
            if not rest:
                return out
            argv = rest
            continue
        if re.match(r"^python[0-9.]*$", base) and len(argv) > 1 and argv[1].endswith(".py") and not argv[1].startswith("-"):
            out.append((argv[1], "script"))
        return out
    return out


def check_image(tools, image, logf, pdir=None):
    """→ (status, detail): ok | entrypoint missing | user missing."""
    r = tools.run("podman", "image", "inspect", image)
    if r is None or r.returncode != 0:
        return "build failed", "image not found after the build"
    cfg = (json.loads(r.stdout)[0].get("Config") or {})
    env = dict(e.split("=", 1) for e in (cfg.get("Env") or []) if "=" in e)
    path = env.get("PATH", DEFAULT_PATH)
    workdir = cfg.get("WorkingDir") or "/"
    m = tools.run("podman", "image", "mount", image)  # read-only, no copy of the image (vfs)
    if m is None or m.returncode != 0:
        return "build failed", "podman image mount failed: " + ((m.stderr or "").strip()[-200:] if m else "")
    root = m.stdout.strip()
    try:
        argv = command_words(cfg.get("Entrypoint"), cfg.get("Cmd"))
        for word, why in first_exec(argv, env):
            w = expand(word, env) if "$" in word else word
            if not w or "$" in w:
                continue
            if why == "script":
                p = w if w.startswith("/") else os.path.join(workdir, w)
                if resolve_in_root(root, p) is None:
                    return "entrypoint missing", "%s not in the image (CMD/ENTRYPOINT %s, WORKDIR %s)" % (w, json.dumps(argv)[:120], workdir)
                continue
            if "/" in w:
                cands = [w if w.startswith("/") else os.path.join(workdir, w)]
            else:
                cands = [os.path.join(d, w) for d in path.split(":") if d]
            hit = None
            for c in cands:
                h = resolve_in_root(root, c)
                if h and os.path.isfile(h):
                    hit = (c, h)
                    break
            if not hit:
                where = "on PATH %s" % path if "/" not in w else ("in the image" if w.startswith("/") else "under WORKDIR %s" % workdir)
                return "entrypoint missing", "%s not found %s; ENTRYPOINT+CMD %s" % (w, where, json.dumps(argv)[:160])
            if not os.stat(hit[1]).st_mode & 0o111:
                return "entrypoint missing", "%s is not executable; ENTRYPOINT+CMD %s" % (hit[0], json.dumps(argv)[:160])
        user = expand(cfg.get("User") or "", env)
        if user:
            name, _, group = user.partition(":")
            if name and not name.isdigit():
                pw = resolve_in_root(root, "/etc/passwd")
                names = {l.split(":")[0] for l in open(pw, errors="replace")} if pw else set()
                if name not in names:
                    return "user missing", "USER %s not in /etc/passwd" % user
            if group and not group.isdigit():
                gr = resolve_in_root(root, "/etc/group")
                names = {l.split(":")[0] for l in open(gr, errors="replace")} if gr else set()
                if group not in names:
                    return "user missing", "group %s of USER %s not in /etc/group" % (group, user)
        extra = os.path.join(pdir or "", "realbuild-check.sh")
        if pdir and os.path.isfile(extra):
            ctr = tools.run("buildah", "from", "--pull-never", image)
            if ctr is None or ctr.returncode != 0:
                return "check failed", "buildah from failed"
            ctr = ctr.stdout.strip()
            r = tools.run("buildah", "run", "--isolation", "chroot", ctr, "--", "sh", "-c", open(extra).read())
            tools.run("buildah", "rm", ctr)
            if r is None or r.returncode != 0:
                out = ((r.stdout or "") + (r.stderr or "")).strip().splitlines() if r else ["timed out"]
                return "check failed", "realbuild-check.sh: " + (out[-1] if out else "exit %d" % r.returncode)
        return "ok", ""
    finally:
        tools.run("podman", "image", "unmount", image)


# ------------------------------------------------------------------ build log reading

ERR_PAT = re.compile(r"^(ERROR|E: |error:|Error:|ERR!|npm ERR|fatal:|Traceback|\S*Error:|.*: not found$|.*No such file or directory"
                     r"|.*Unable to locate package|.*has no installation candidate|.*Could not|.*command not found|.*Temporary failure"
                     r"|.*Failed to fetch|.*externally-managed-environment|.*Permission denied|.*returned a non-zero|.*unknown flag"
                     r"|.*is not installable|.*No matching distribution|.*unable to resolve host|.*Name or service not known|.*Could not resolve)")


def failure_of(logfile):
    """(step, error line) of a failed buildah build log."""
    try:
        lines = open(logfile, errors="replace").read().splitlines()
    except OSError:
        return "", ""
    step = ""
    step_idx = 0
    for i, l in enumerate(lines):
        m = re.match(r"^STEP \d+(/\d+)?: (.*)$", l)
        if m:
            step, step_idx = m.group(2), i
    tail = lines[step_idx + 1:] if step_idx else lines
    final = next((l for l in reversed(lines) if l.startswith(("Error:", "error building", "[timed out"))), "")
    if final.startswith("[timed out"):
        return step[:200], final.strip("[]")
    best = ""
    for l in tail:
        s = l.strip()
        if not s or s.startswith(("error building at STEP", "Error: error building", "Error: building at STEP")):
            continue
        if ERR_PAT.match(s):
            best = s
    if not best:
        best = final or (tail[-1] if tail else "")
    m = re.search(r'building at STEP "([^"]*)"', final)
    if m and not step:
        step = m.group(1)
    return step[:200], best[:240]


def log_tail(logfile, n=40):
    try:
        return "\n".join(open(logfile, errors="replace").read().splitlines()[-n:])
    except OSError:
        return ""


def classify(error, step, tail=""):
    e = (error or "") + " " + (step or "") + " " + (tail or "")
    if "timed out" in e:
        return "build timed out"
    if re.search(r"unknown flag|heredoc|not supported|unknown instruction|no stage found with name", e, re.I):
        return "buildah 1.28 does not support the syntax"
    if re.search(r"Temporary failure|Could not resolve|Failed to (fetch|connect)|Network is unreachable|getaddrinfo|Connection refused|curl: \(\d+\)|wget: unable|Name or service not known|could not read Username|unable to access 'https", e):
        return "needs the network beyond Debian's mirror"
    # A download from outside Debian's mirror (wget -q prints nothing when it cannot connect).
    if re.search(r"\b(wget|curl)\b[^&|;]*\bhttps?://(?!deb\.debian\.org)", step or "") and not re.search(
            r"ModuleNotFoundError|ImportError|Unable to locate package|externally-managed", e):
        return "needs the network beyond Debian's mirror"
    if re.search(r"Unable to locate package|has no installation candidate|held broken packages|unmet dependencies", e):
        return "apt package not in this Debian release"
    if re.search(r"ModuleNotFoundError|ImportError|No module named", e):
        return "runs Python code that needs the real packages"
    if re.search(r"no such file or directory|checking on sources|no items matching glob|COPY failed|copier: stat", e, re.I) and re.match(r"^(COPY|ADD)", step or "", re.I):
        return "COPY source missing from the context"
    if re.search(r"externally-managed", e):
        return "PEP 668 (externally managed)"
    if re.search(r"Could not open requirements file|Invalid requirement|No matching distribution|is not installable|must give at least one", e):
        return "stand-in pip refused (as pip would)"
    if re.search(r"unknown flag|heredoc|not supported|unknown instruction|no stage found with name", e, re.I):
        return "buildah 1.28 does not support the syntax"
    if re.search(r"not found|command not found", e):
        return "command not found"
    return "other"


# Failures at a step of the user's own that the stand-ins cannot run: the original would fail there
# too if its base were in reach (Python code importing the real packages, downloads from the
# internet, syntax newer than buildah 1.28, a file the snapshot lacks, pip download's sdists). An
# export counts as "at a stand-in limit" only when that step is the user's: a piece of it (a command
# other than apt/pip bookkeeping, the COPY's sources) is in the original Dockerfile as written.
LIMIT_CAUSES = ("runs Python code that needs the real packages", "needs the network beyond Debian's mirror",
                "buildah 1.28 does not support the syntax", "COPY source missing from the context")


def _squash(t):
    return re.sub(r"\s+", " ", t.replace("\\\n", " ")).strip()


def stand_in_limit(cause, step, error, original):
    """The limit's description when this failure is at a stand-in limit, else None."""
    if not step or not original:
        return None
    orig = _squash(original)
    # `pip download -d DIR …` then `pip wheel DIR/*.tar.gz`: real pip saves an sdist where no wheel
    # fits the platform; the stand-in's download makes wheels, so the glob matches nothing.
    pip_download_sdists = (cause == "stand-in pip refused (as pip would)" and "pip download" in orig
                           and re.search(r"\*\.(tar\.gz|zip)\b", error) and re.search(r"\*\.(tar\.gz|zip)\b", orig))
    if cause not in LIMIT_CAUSES and not pip_download_sdists:
        return None
    words = step.split(None, 1)
    if len(words) < 2:
        return None
    if words[0].upper() in ("COPY", "ADD"):
        srcs = [w for w in words[1].split() if not w.startswith("--")][:-1]
        return cause if srcs and all(w in orig for w in srcs) else None
    if pip_download_sdists:
        return "stand-in pip download saves wheels only (real pip saves sdists where no wheel fits)"
    skip = ("apt-get", "apt ", "rm -rf /var/lib/apt", "pip install", "python -m pip install", "python3 -m pip install")
    body = re.sub(r"^(--\S+\s+)*", "", words[1])  # RUN's flags: the harness makes relative mount targets absolute
    pieces = [_squash(x) for x in re.split(r"&&|\|\||;", body)]
    mine = [x for x in pieces if len(x) > 6 and not x.startswith(skip) and x in orig]
    if not mine:
        return None
    return "stand-in pip download saves wheels only (real pip saves sdists where no wheel fits)" if pip_download_sdists else cause


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus")
    ap.add_argument("slimbench")
    ap.add_argument("--results", default=os.environ.get("SLIMBENCH_REALBUILD_RESULTS"))
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("SLIMBENCH_REALBUILD_TIMEOUT", "600")))
    ap.add_argument("--only", default=None, help="regex on project folder names")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--max-minutes", type=float, default=0, help="start no project after this long")
    ap.add_argument("--rotate-daily", action="store_true",
                    help="start from another project each day (with --max-minutes, successive runs cover them all)")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--keep-logs", default=os.environ.get("SLIMBENCH_REALBUILD_LOGS"))
    ap.add_argument("--summary-of", default=None, help="print the counts of an earlier run's TSV results, build nothing")
    a = ap.parse_args()
    if a.summary_of:
        return summary_of(a.summary_of, a)
    variants = [v for v in a.variants.split(",") if v]
    t_start = time.time()
    corpus = os.path.abspath(a.corpus)
    projects = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)) and not d.startswith("."))
    if a.only:
        projects = [p for p in projects if re.search(a.only, p)]
    # Projects whose bases are all stood in first, then those out of reach only for Alpine (their
    # exports are still built), then the rest: a time-boxed run covers the most buildable ones.
    def rank(p):
        d = os.path.join(corpus, p)
        df = find_dockerfile(d)
        if not df:
            return 3
        b, o = image_refs(open(os.path.join(d, df), errors="replace").read())
        why = [standin_for(r)[2] for r in b + o if standin_for(r)[0] is None]
        return 0 if not why else 1 if all(w.startswith("Alpine") for w in why) else 2
    projects.sort(key=lambda p: (rank(p), p))
    if a.rotate_daily and projects:
        k = int(time.time() // 86400) % len(projects)
        projects = projects[k:] + projects[:k]
        print("order rotated by the day: starting with %s (%d of %d)" % (projects[0], k + 1, len(projects)), flush=True)
    if a.limit:
        projects = projects[:a.limit]
    work = tempfile.mkdtemp(prefix="slimbench-corpusbuild.", dir="/var/tmp")
    logs = a.keep_logs or os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    tools = Tools(work, logs)
    standin = os.path.join(work, "standin")
    subprocess.run([sys.executable, os.path.join(HERE, "make-standin-files.py"), standin], check=True)
    rows = []
    table = []
    try:
        for pi, proj in enumerate(projects):
            if a.max_minutes and time.time() - t_start > a.max_minutes * 60:
                print("time box of %g min reached: %d of %d projects not started" % (a.max_minutes, len(projects) - pi, len(projects)), flush=True)
                break
            pdir = os.path.join(corpus, proj)
            rec = run_project(tools, a, pdir, proj, variants, standin, logs, work)
            rows += rec["rows"]
            table.append(rec)
            print_row(rec, variants)
            for r in rec["rows"]:
                if r["status"] not in ("ok", "skipped", "base n/a") and r["error"]:
                    print("    %-10s %s | %s" % (r["variant"], r["step"][:90], r["error"][:150]), flush=True)
            cleanup_project(tools)
            if a.results:
                write_results(a.results, rows)
    finally:
        tools.run("buildah", "rm", "--all")
        subprocess.run(["chmod", "-R", "u+w", work], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)  # the logs stay when --keep-logs put them elsewhere
    total = time.time() - t_start
    return summarize(table, variants, total, a)


def run_project(tools, a, pdir, proj, variants, standin, logs, work):
    rec = {"project": proj, "dockerfile": "", "family": "", "base": "", "rows": [], "note": ""}
    def row(variant, status, secs=0.0, step="", error="", cause=""):
        rec["rows"].append({"project": proj, "dockerfile": rec["dockerfile"], "family": rec["family"], "base": rec["base"],
                            "variant": variant, "status": status, "seconds": round(secs, 1), "step": step,
                            "error": error, "cause": cause})
    df = find_dockerfile(pdir)
    if not df:
        rec["family"] = "-"
        row("original", "skipped", error="no Dockerfile")
        return rec
    rec["dockerfile"] = df
    text = open(os.path.join(pdir, df), errors="replace").read()
    bases, others = image_refs(text)
    final = bases[-1] if bases else "?"
    rec["base"] = final
    rec["family"] = family_of(final)
    pwork = os.path.join(work, "p")
    shutil.rmtree(pwork, ignore_errors=True)
    os.makedirs(pwork)
    files = {"original": os.path.join(pwork, "Dockerfile.original")}
    open(files["original"], "w").write(heredoc_runs(empty_wildcard_copies(strip_digests(text), pdir)))

    def prepare(name, text):
        """Tags the stand-ins the file needs → None, or the reason a base is out of reach."""
        b, o = image_refs(text)
        notes = []
        for ref in b + o:
            rel, kind, note = standin_for(ref)
            if rel is None:
                return note
            try:
                img = tools.base_image(rel, kind, standin)
            except Exception as e:
                return "stand-in %s-%s could not be made: %s" % (rel, kind, e)
            try:
                tools.tag(img, ref)
            except Exception as e:
                return "stand-in could not be tagged %s: %s" % (ref, str(e)[-160:])
            if note:
                notes.append(note)
        if notes:
            rec["note"] = "; ".join(sorted(set(notes)))
        return None

    built = {}  # the same Dockerfile text (comments aside) builds the same: reuse the result

    # A project may name the stage docker build is told to build (--target) in realbuild-target.
    tf = os.path.join(pdir, "realbuild-target")
    target = open(tf).read().strip() if os.path.exists(tf) else ""

    def build(name):
        key = "\n".join(l for l in logical_lines(open(files[name]).read()))
        if key in built:
            st, secs, step, err, cause, other = built[key]
            return st, 0.0, step, (err + " " if err else "") + "(same Dockerfile as %s)" % other, cause
        r = build_once(name)
        built[key] = r + (name,)
        return r

    def build_once(name):
        tag = "localhost/slimbench-corpusbuild/%s:%s" % (re.sub(r"[^a-z0-9._-]", "-", proj.lower())[:100], name)
        logf = os.path.join(logs, "%s.%s.log" % (proj, name))
        if os.path.exists(logf):
            os.remove(logf)
        t0 = time.time()
        # The original is built as the project says (--target from realbuild-target); the exports
        # without it: they end with the target stage.
        tgt = ["--target", target] if target and name == "original" else []
        r = tools.run("buildah", "bud", "--isolation", "chroot", "--pull=never", "--layers=false", "--format", "docker",
                      *tgt, "-f", files[name], "-t", tag, pdir, timeout=a.timeout, log=logf)
        secs = time.time() - t0
        if r is None or r.returncode != 0:
            step, error = failure_of(logf)
            if r is None:
                error = "timed out after %ds" % a.timeout
            return "build failed", secs, step, error, classify(error, step, log_tail(logf))
        st, detail = check_image(tools, tag, logf, pdir)
        return st, secs, "", detail, st

    orig_reason = prepare("original", strip_digests(text))
    go_on = False
    if orig_reason:
        row("original", "base n/a", error=orig_reason, cause=orig_reason)
        go_on = True
    else:
        st, secs, step, err, cause = build("original")
        row("original", st, secs, step, err, cause)
        go_on = st != "build failed"
    for v in variants:
        if not go_on:
            row(v, "skipped", error="original does not build")
            continue
        files[v] = os.path.join(pwork, "Dockerfile." + v)
        ex = subprocess.run([a.slimbench, "analyze", os.path.join(pdir, df), "--context", pdir, "--export", v,
                             "-o", files[v], "--force"] + (["--target", target] if target else []),
                            capture_output=True, text=True, timeout=120)
        if ex.returncode != 0 or not os.path.exists(files[v]):
            row(v, "export failed", error=(ex.stderr or ex.stdout).strip().splitlines()[-1][:200] if (ex.stderr or ex.stdout).strip() else "exit %d" % ex.returncode)
            continue
        vt = heredoc_runs(empty_wildcard_copies(strip_digests(open(files[v]).read()), pdir))
        open(files[v], "w").write(vt)
        reason = prepare(v, vt)
        if reason:
            row(v, "base n/a", error=reason, cause=reason)
            continue
        st, secs, step, err, cause = build(v)
        limit = stand_in_limit(cause, step, err, text) if st == "build failed" else None
        row(v, st, secs, step, err, "stand-in limit: " + limit if limit else cause)
    return rec


def cleanup_project(tools):
    tools.run("buildah", "rm", "--all")
    r = tools.run("podman", "images", "--format", "{{.Repository}}:{{.Tag}}")
    for line in (r.stdout.splitlines() if r and r.returncode == 0 else []):
        if line.startswith("localhost/slimbench-corpusbuild/"):
            tools.run("podman", "rmi", "-f", line)
    tools.run("podman", "image", "prune", "-f")


SHORT = {"ok": "ok", "build failed": "FAILED", "entrypoint missing": "no-entry", "user missing": "no-user", "check failed": "no-check",
         "base n/a": "base n/a", "skipped": "-", "export failed": "no-export"}


def print_row(rec, variants):
    st = {r["variant"]: r for r in rec["rows"]}
    cells = [SHORT.get(st.get(v, {}).get("status", ""), "?") for v in ["original"] + variants]
    tsec = sum(r["seconds"] for r in rec["rows"])
    print("%-44s %-7s %-9s %s  (%.0fs)%s" % (rec["project"][:44], rec["family"][:7], cells[0], " ".join("%-9s" % c for c in cells[1:]),
                                          tsec, "  note: " + rec["note"] if rec["note"] else ""), flush=True)
    o = st.get("original", {})
    if o.get("status") in ("build failed", "base n/a", "skipped") and o.get("error"):
        print("    original: %s%s" % (o.get("cause") + ": " if o.get("cause") and o.get("cause") != o.get("error") else "", o["error"][:160]), flush=True)


def write_results(path, rows):
    cols = ["project", "dockerfile", "family", "base", "variant", "status", "seconds", "cause", "step", "error"]
    if path.endswith(".json"):
        json.dump(rows, open(path, "w"), indent=1)
        return
    with open(path, "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(c, "")).replace("\t", " ").replace("\n", " ") for c in cols) + "\n")


def summary_of(path, a):
    import csv
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    table, by = [], {}
    for r in rows:
        r["seconds"] = float(r.get("seconds") or 0)
        same = re.search(r"\(same Dockerfile as (\w+)\)", r["error"])
        logf = os.path.join(a.keep_logs or "", "%s.%s.log" % (r["project"], same.group(1) if same else r["variant"]))
        if a.keep_logs and r["status"] == "build failed" and os.path.exists(logf):
            step, error = failure_of(logf)  # read again with this version's patterns
            if "timed out" not in r["error"]:
                r["step"], r["error"] = step, error + (" " + same.group(0) if same else "")
            r["cause"] = classify(r["error"], r["step"], log_tail(logf))
        elif r["status"] == "build failed" and r["cause"] == "other":
            r["cause"] = classify(r["error"], r["step"])  # this version's patterns, without the log
        if r["status"] == "build failed" and r["variant"] != "original" and not r["cause"].startswith("stand-in limit: "):
            dfp = os.path.join(a.corpus, r["project"], r["dockerfile"])
            if os.path.isfile(dfp):
                limit = stand_in_limit(r["cause"], r["step"], r["error"], open(dfp, errors="replace").read())
                if limit:
                    r["cause"] = "stand-in limit: " + limit
        if r["project"] not in by:
            by[r["project"]] = {"project": r["project"], "rows": []}
            table.append(by[r["project"]])
        by[r["project"]]["rows"].append(r)
    variants = [v for v in VARIANTS if any(r["variant"] == v for r in rows)]
    a.results = None
    return summarize(table, variants, sum(r["seconds"] for r in rows), a, "build time (sum of builds)")


def summarize(table, variants, total, a, what="total time"):
    from collections import Counter
    print()
    n = len(table)
    orig = Counter(next((r["status"] for r in t["rows"] if r["variant"] == "original"), "?") for t in table)
    print("projects: %d; originals built: %d ok, %d entrypoint missing, %d user missing, %d build failed, %d base out of reach, %d no Dockerfile"
          % (n, orig["ok"], orig["entrypoint missing"], orig["user missing"], orig["build failed"], orig["base n/a"], orig["skipped"]))
    causes = Counter()
    examples = {}
    for t in table:
        for r in t["rows"]:
            if r["variant"] == "original" and r["status"] in ("build failed", "base n/a"):
                causes[r["cause"]] += 1
                examples.setdefault(r["cause"], t["project"])
    for c, k in causes.most_common():
        print("  original not built, %-48s %3d  e.g. %s" % (c, k, examples[c]))
    bad = at_limit = 0
    limit_projects = set()
    for v in variants:
        vs = [r for t in table for r in t["rows"] if r["variant"] == v and r["status"] not in ("skipped",)]
        c = Counter(r["status"] for r in vs)
        print("%-10s tried %3d: ok %3d, build failed %3d, entrypoint missing %3d, user missing %3d, base n/a %3d, export failed %3d"
              % (v, len(vs), c["ok"], c["build failed"], c["entrypoint missing"], c["user missing"], c["base n/a"], c["export failed"]))
        vc = Counter()
        vex = {}
        for r in vs:
            if r["status"] not in ("ok",):
                key = r["status"] if r["status"] != "build failed" else "build failed: " + r["cause"]
                vc[key] += 1
                vex.setdefault(key, "%s (%s | %s)" % (r["project"], r["step"][:60], r["error"][:90]))
        for k, cnt in vc.most_common(6):
            print("    %-56s %3d  e.g. %s" % (k[:56], cnt, vex[k]))
        for t in table:
            o = next((r["status"] for r in t["rows"] if r["variant"] == "original"), "?")
            for r in t["rows"]:
                if r["variant"] != v or r["status"] in ("skipped", "ok"):
                    continue
                plain_alpine = re.sub(r"@.*$", "", r.get("base", "")).rsplit(":", 1)[0] in ("alpine", "docker.io/alpine", "docker.io/library/alpine", "library/alpine")
                if r["status"] == "base n/a" and o == "base n/a" and not plain_alpine:
                    continue  # the export keeps a base out of reach here (a node stage, nginx:alpine): not tried
                # a Debian-side variant of a plain alpine:X.Y Python image still on Alpine is not Debian-side: it counts
                # a variant must be as good as its original: ok where the original is ok or out of reach,
                # built where the original is built with its entry point or user missing
                if o in ("ok", "base n/a") or r["status"] in ("build failed", "export failed", "base n/a"):
                    bad += 1
                    if r.get("cause", "").startswith("stand-in limit: "):
                        at_limit += 1
                        limit_projects.add(t["project"])
    print("variants worse than their original: %d" % bad)
    if at_limit:
        print("  of which at a stand-in limit (a step of the user's own the stand-ins cannot run; the original fails there too): %d, in %d projects: %s"
              % (at_limit, len(limit_projects), ", ".join(sorted(limit_projects))))
        print("  failed otherwise: %d" % (bad - at_limit))
    print("%s: %.0f s (%.1f min) for %d projects" % (what, total, total / 60, n))
    if a.results:
        print("results: %s" % a.results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
