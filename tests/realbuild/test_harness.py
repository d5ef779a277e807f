#!/usr/bin/env python3
"""Rules of the corpus-build harness (scripts/realbuild/corpus_builds.py) that decide what is built
and how a failure is counted: heredoc RUNs written for buildah 1.28, and failures at a stand-in limit
counted only for the user's own steps. Exit status 1 on the first wrong answer."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "realbuild"))
import corpus_builds as cb  # noqa: E402

failures = []


def check(what, ok):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        failures.append(what)


def run_line(run):
    """Runs a RUN line's shell form with sh, as the build would; its stdout."""
    assert run.startswith("RUN ")
    return subprocess.run(["sh", "-c", run[4:]], capture_output=True, text=True).stdout


# --- heredocs: the rewritten RUN prints what the heredoc's script prints.
body = ["echo \"it's $((1+2))\"", "# a comment", "", "x=5; echo $x \\", "  continued", "false", "echo after"]
df = "FROM x\nRUN <<EOF\n" + "\n".join(body) + "\nEOF\nRUN echo next\n"
out = cb.heredoc_runs(df).split("\n")
check("heredoc: one RUN line in place of the heredoc", out[0] == "FROM x" and out[1].startswith("RUN printf") and out[2] == "RUN echo next")
want = subprocess.run(["sh", "-c", "\n".join(body)], capture_output=True, text=True).stdout
check("heredoc: the same output as the script itself", run_line(out[1]) == want and "it's 3" in want)
tabbed = "RUN <<-END\n\techo one\n\t\techo two\nEND"
check("heredoc <<-: leading tabs stripped", run_line(cb.heredoc_runs(tabbed)) == "one\ntwo\n")
kept = "RUN cat <<EOF > /f\nhi\nEOF"
check("heredoc as a command's input: left as written", cb.heredoc_runs(kept) == kept)
check("heredoc without its terminator: left for buildah to report", cb.heredoc_runs("RUN <<EOF\necho x") == "RUN <<EOF\necho x")
flags = cb.heredoc_runs("RUN --mount=type=cache,target=/c <<'EOT'\necho $HOME\nEOT")
check("heredoc: RUN flags kept", flags.startswith("RUN --mount=type=cache,target=/c printf"))

# --- stand-in limits: only a step of the user's own.
orig = """FROM python:3.12-alpine
RUN apk add --no-cache gcc \\
 && python setup.py gen_version \\
 && pip install -e . \\
 && python -m myapp -h
COPY vendor/blob.bin /opt/
RUN wget -q https://example.org/src.tar.gz && tar xzf src.tar.gz
"""
step = "RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/* && python setup.py gen_version && pip install --no-cache-dir -e . && python -m myapp -h"
check("limit: Python code of the user's own", cb.stand_in_limit("runs Python code that needs the real packages", step, "ModuleNotFoundError: x", orig)
      == "runs Python code that needs the real packages")
made = "RUN pip install --no-cache-dir -r requirements.txt && python -c 'import flask'"
check("limit: not for a step the export wrote", cb.stand_in_limit("runs Python code that needs the real packages", made, "ModuleNotFoundError", orig) is None)
check("limit: the user's COPY of a file the snapshot lacks", cb.stand_in_limit("COPY source missing from the context", "COPY vendor/blob.bin /opt/", "no such file", orig) is not None)
check("limit: not a COPY the export wrote", cb.stand_in_limit("COPY source missing from the context", "COPY requirements/base.txt /tmp/", "no such file", orig) is None)
wget = "RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/* && wget -q https://example.org/src.tar.gz && tar xzf src.tar.gz"
cause = cb.classify("Error: building at STEP", wget)
check("classify: a download beyond Debian's mirror is the network", cause == "needs the network beyond Debian's mirror")
check("limit: the user's download", cb.stand_in_limit(cause, wget, "", orig) is not None)
check("limit: pip refusing is not a limit", cb.stand_in_limit("stand-in pip refused (as pip would)", step, "Could not open requirements file", orig) is None)
dl = orig + "RUN pip download -d /d . && pip wheel -w /d /d/*.tar.gz\n"
check("limit: pip wheel of the sdists pip download saved", cb.stand_in_limit("stand-in pip refused (as pip would)", "RUN apt-get update && apt-get install",
                                                                           "ERROR: Invalid requirement: '/d/*.tar.gz'", dl) is not None)
check("limit: an unclassified failure is never one", cb.stand_in_limit("other", step, "exit status 1", orig) is None)

print("%d failed" % len(failures) if failures else "all passed")
sys.exit(1 if failures else 0)
