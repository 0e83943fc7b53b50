"""Files from a repository nobody reviewed: no regex djhlint runs over them is worse than linear.

Each input below once took seconds to minutes: a regex backtracking over a long run of
blanks, digits or ``#``, or a gitignore glob translated to a regex that backtracks
exponentially.  Each test runs the parser djhlint calls under an alarm, so a regression
fails instead of hanging CI, and checks that the result is still right.  The gitignore
matcher is also compared with ``git check-ignore`` itself on a table of patterns.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from django_heroku_lint.gitignore import GitIgnore

from .helpers import diagnostics

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the deadline needs SIGALRM")

LIMIT = 5  # seconds: every input here took far longer before, and takes milliseconds now
BLANKS = " \t" * 20_000  # a 40,000-character blank line


@pytest.fixture(autouse=True)
def deadline():
    """Fail, rather than hang, when the code under test runs past LIMIT seconds."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {LIMIT} s: a pattern backtracks on this input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- .gitignore


def test_a_gitignore_glob_of_many_stars(make_project):
    # Translated to a regex, each "*" became [^/]* and the match tried every way of
    # sharing the name between them: 20 seconds for a 32-character folder name.
    folder = "a" * 32
    root = make_project({".gitignore": "*a*a*a*a*a*a*a*a*a*a*a*a*c\n", f"{folder}/.env": "SECRET_KEY=x\n"})
    assert diagnostics(root, select=["DJH603"]) == [("DJH603", f"{folder}/.env", 1)]
    root = make_project({".gitignore": "*a*a*a*a*a*a*a*a*a*a*a*a*\n", f"{folder}/.env": "SECRET_KEY=x\n"}, subdir="ignored")
    assert diagnostics(root, select=["DJH603"]) == []


def test_a_gitignore_line_of_40000_spaces(make_project):
    # Dropping trailing spaces with (?<!\\) +$ rescanned the spaces from each of them.
    root = make_project({".gitignore": "x" + " " * 40_000 + "x\n.env" + " " * 40_000 + "\n", ".env": "SECRET_KEY=x\n"})
    assert diagnostics(root, select=["DJH603"]) == []


def test_gitignore_lines_of_40000_blanks_and_the_comment_trap(make_project):
    # The comment trap (\S.*?)[ \t]+# rescanned the blanks after each character.
    text = ("x" + BLANKS + "x\n") * 4 + ".env" + BLANKS + "# secrets\n"
    root = make_project({".gitignore": text, ".env": "SECRET_KEY=x\n"})
    assert diagnostics(root, select=["DJH603"]) == [("DJH603", ".gitignore", 5)]


# Patterns and paths git itself is asked about: the matcher must agree on every pair.
PATTERNS = [
    ".env", "/.env", ".env*", "*.env", "**/.env", "mysite/.env", "config/**", "a/**/b", "venv/", "[Vv]env",
    ".env   ", "\\#.env", "# .env", "\\!.env", "foo\\ ", "foo\\\\ ", "*a*a*a*a*c", "a?c", "a[!b]c", "a[^b]c",
    "a[]]c", "a[]-]c", "a[b-d]c", "a[d-b]c", "a[[:digit:]]c", "a[[:alpha:][:digit:]]c", "a[[:bogus:]]c",
    "a[[:x]c", "a[abc", "abc\\", "a\\*c", "**", "**/", "/**", "a/**", "**/b", "a**/b", "a/**b", "a/b**",
    "**/a/**/c", "*/b", "/*/b", "a/*/c", "a/*", "//a", "a//", "a/", "/a/", "***/b", "a/***/c", "a/**/**/c",
    "[a/b]c", "a[/]b", "\u00e9", "?", "??", "[\u00e9]", "*.py[cod]", "a\\/b", "[a-]", "[!a-c]x", "[\\]]x",
    "[\\", "a/b/", "a b", "  a", "\\ a", "[]", "[!]", "[!]]x", "**/*.env", "mysite/**/.env.*", "*/", "x/**/",
]
PATHS = [
    ".env", "mysite/.env", ".env.local", "prod.env", "a/b/.env", "config/.env", "a/x/y/b", "a/b", "a/x/b",
    "venv/bin/python", "Venv", "venv", "#.env", "!.env", "foo ", "foo\\", "foo", "aaaaaaaaac", "abc", "aXc",
    "a/c", "a]c", "a-c", "acc", "a1c", "a[abc", "abc\\", "a*c", "a/b/c", "a/x/b/c", "ab", "b", "x/b",
    "a/b/x/c", "a/x/c", "x/a/b", "ab/b", "axb", "a/bb", "a/b/b", "a/x/y/c", "\u00e9", "x", "xy", "e", "f.pyc",
    "f.pyd", "a/b/c/d", "a b", "a", "x/a", " a", "]x", "a-", "dx", "bx", "mysite/x/.env.prod", "x/y/z",
    "x/z", "[a/b]c", "ab/c", "a[b]c", "sub/a", "sub/x/b", "sub/.env", "sub/a/b",
]


def git_ignored(tmp_path, files: dict[str, str]) -> set[str]:
    """The PATHS ``git check-ignore`` reports ignored under ``files`` (.gitignore files)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text.encode("utf-8"))
    out = subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "core.ignorecase=false", "check-ignore", "--no-index", "--stdin", "-z"],
        input="\0".join(PATHS).encode("utf-8") + b"\0",
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)},
    )
    assert out.returncode in (0, 1), out.stderr
    return {path.decode("utf-8") for path in out.stdout.split(b"\0") if path}


def ours(files: dict[str, str]) -> set[str]:
    ignore = GitIgnore()
    for rel in sorted(files, key=lambda f: (f.count("/"), f)):
        ignore.add_file(rel, files[rel])
    return {path for path in PATHS if ignore.ignored_by(path) is not None}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_matcher_agrees_with_git_check_ignore(tmp_path, pattern):
    files = {".gitignore": pattern + "\n"}
    assert ours(files) == git_ignored(tmp_path, files)


@pytest.mark.parametrize("pattern", ["a", "/a", "a/**", "**/b", "x/b", "*", "!a/b", "a/"])
def test_the_matcher_agrees_with_git_in_a_nested_gitignore(tmp_path, pattern):
    files = {".gitignore": "sub/a/\n" if pattern.startswith("!") else "", "sub/.gitignore": pattern + "\n"}
    assert ours(files) == git_ignored(tmp_path, files)
