#!/usr/bin/env python3
"""Checks that every relative link of README.md and docs/*.md resolves: the file (or folder) exists,
and a #fragment names a heading of the target Markdown file (GitHub's anchors). Web links are not
fetched. Exit 1 listing each broken link, 0 when all resolve.

    python3 tests/docs/check_doc_links.py [SOURCE_DIR]
"""
import os
import re
import sys

FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def prose_lines(path):
    """(line number, text) of the lines outside fenced code blocks, inline code removed."""
    out, fenced = [], False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if FENCE.match(line.lstrip()):
                fenced = not fenced
                continue
            if not fenced:
                out.append((n, CODE_SPAN.sub("", line)))
    return out


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    found, seen, fenced = set(), {}, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if FENCE.match(line.lstrip()):
                fenced = not fenced
                continue
            m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if fenced or not m:
                continue
            base = slug(m.group(1))
            k = seen.get(base, 0)
            found.add(base if k == 0 else f"{base}-{k}")
            seen[base] = k + 1
    return found


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
    files = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        files += sorted(os.path.join(docs, n) for n in os.listdir(docs) if n.endswith(".md"))
    broken, count = [], 0
    for path in files:
        if not os.path.exists(path):
            broken.append(f"{os.path.relpath(path, root)}: missing")
            continue
        for n, text in prose_lines(path):
            for m in LINK.finditer(text):
                target = m.group(1)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                    continue
                count += 1
                where = f"{os.path.relpath(path, root)}:{n}: {target}"
                file_part, _, frag = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                if not os.path.exists(dest):
                    broken.append(f"{where}: no such file {os.path.relpath(dest, root)}")
                elif not dest.startswith(root + os.sep):
                    broken.append(f"{where}: points outside the repository")
                elif frag:
                    if not dest.endswith(".md"):
                        broken.append(f"{where}: a #fragment on a file that is not Markdown")
                    elif frag not in anchors(dest):
                        broken.append(f"{where}: no heading #{frag} in {os.path.relpath(dest, root)}")
    for b in broken:
        print(b)
    print(f"docs links: {count} relative links in {len(files)} files, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
