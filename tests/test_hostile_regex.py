"""Files from a repository nobody reviewed: nothing djhlint runs over them is worse than linear.

Each input below once took seconds to minutes: a regex backtracking over a long run of
blanks, digits or ``#``, a gitignore glob translated to a regex that backtracks
exponentially, or a search of the whole file for each package.  Each test runs the parser djhlint calls under an alarm, so a regression
fails instead of hanging CI, and checks that the result is still right.  The gitignore
matcher is also compared with ``git check-ignore`` itself on a table of patterns.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from django_heroku_lint.discover.projects import find_projects
from django_heroku_lint.discover.gitignore import GitIgnore
from django_heroku_lint.read.procfile import parse_procfile
from django_heroku_lint.read.requirements import parse_requirement, read_requirements

from .helpers import diagnostics, lint_project

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the deadline needs SIGALRM")

LIMIT = 5  # seconds: every input here took far longer before, and well under a second now
BLANKS = " \t" * 20_000  # a 40,000-character blank line


@pytest.fixture(autouse=True)
def deadline():
    """Fail, rather than hang, when the code under test runs past LIMIT seconds."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {LIMIT} s: super-linear on this input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read(make_project, files):
    (project,) = find_projects([str(make_project(files))])
    return read_requirements(project)


# ---------------------------------------------------------------- requirements and Pipfile


def test_a_pipfile_whose_keys_sit_among_long_runs_of_blank_lines(make_project):
    # ^\s*"?name"?\s*= with MULTILINE let \s* run from every blank line over all the
    # blank lines after it: five minutes for this 32 KB file.
    pipfile = '[packages]\n' + "\n" * 16_000 + 'django = "*"\n' + "\n" * 16_000 + '"dj-database-url" = ">=2"\n'
    reqs, errors = read(make_project, {"requirements.txt": None, "Pipfile": pipfile})
    assert errors == []
    assert sorted(reqs.packages) == ["dj-database-url", "django"]
    assert reqs.packages["django"].span.line == 16_002  # the key's own line, not a blank one above it
    assert reqs.packages["dj-database-url"].span.line == 32_003
    assert reqs.packages["dj-database-url"].spec == ">=2"


def test_a_pipfile_lock_whose_keys_sit_among_long_runs_of_blank_lines(make_project):
    lock = '{"_meta": {}, "default": {' + "\n" * 15_000 + '  "django": {"version": "==5.2.8"},'
    lock += "\n" * 15_000 + '  "whitenoise": {"version": "==6.11.0"}}}\n'
    reqs, _ = read(make_project, {"requirements.txt": None, "Pipfile.lock": lock})
    assert reqs.packages["django"].version == "5.2.8"
    assert (reqs.packages["django"].span.line, reqs.packages["django"].span.col) == (15_001, 3)
    assert reqs.packages["whitenoise"].span.line == 30_001


def test_a_lock_file_of_thousands_of_packages(make_project):
    # Each package's line was found with a regex search of the whole file: with 3,000
    # packages in a 1 MB uv.lock, ten seconds.
    lock = "".join(
        f'[[package]]\nname = "pkg{i}"\nversion = "1.0"\nsource = {{ registry = "https://pypi.org/simple" }}\n'
        f'sdist = {{ url = "https://files.example.com/pkg{i}-1.0.tar.gz#{"x" * 160}", hash = "sha256:0" }}\n\n'
        for i in range(3_000)
    )
    reqs, _ = read(make_project, {"requirements.txt": None, "uv.lock": lock})
    assert len(reqs.packages) == 3_000
    assert reqs.packages["pkg2999"].span.line == 2999 * 6 + 2
    assert reqs.packages["pkg2999"].version == "1.0"


def test_thousands_of_pyproject_dependencies_written_with_escapes(make_project):
    # A dependency string that is not in the file as written (a TOML escape) was searched
    # for in the whole file, once per dependency.
    entries = ", ".join(f'"\\u0070kg{i}>=1"' for i in range(20_000))
    pyproject = f'[project]\nname = "mysite"\ndependencies = [\n    "Django>=5.2",\n    {entries},\n]\n'
    reqs, _ = read(make_project, {"requirements.txt": None, "pyproject.toml": pyproject})
    assert len(reqs.packages) == 20_001
    assert reqs.packages["django"].span.line == 4
    assert reqs.packages["pkg19999"].spec == ">=1"


def test_a_long_pyproject_dependency_after_a_long_comment(make_project):
    # The dependency was found again with a case-insensitive regex of its text, which
    # compared it at every position of the comment: quadratic.
    name = "a" * 40_000 + "b"
    pyproject = "# " + "a" * 80_000 + f'\n[project]\nname = "mysite"\ndependencies = ["{name}>=1", "Django>=5.2"]\n'
    reqs, _ = read(make_project, {"requirements.txt": None, "pyproject.toml": pyproject})
    assert reqs.packages[name].span.line == 4
    assert reqs.packages["django"].span.line == 4 and reqs.packages["django"].spec == ">=5.2"


def test_a_blank_line_of_40000_characters_in_requirements_txt(make_project):
    # (^|\s+)#.*$ scanned the blanks from each of them, looking for a comment.
    text = "Django==5.2.8\n" + BLANKS + "\n" + "gunicorn==23.0.0" + BLANKS + "# the web server\n"
    reqs, errors = read(make_project, {"requirements.txt": text})
    assert errors == []
    assert sorted(reqs.packages) == ["django", "gunicorn"]
    assert reqs.packages["gunicorn"].spec == "==23.0.0"


def test_blanks_before_a_per_line_option():
    # \s+--?[A-Za-z].*$ did the same, looking for an option such as --hash.
    assert parse_requirement("whitenoise==6.11.0" + BLANKS * 2 + "x") == ("whitenoise", frozenset(), "==6.11.0" + BLANKS * 2 + "x")
    assert parse_requirement("whitenoise==6.11.0" + BLANKS + "--hash=sha256:abc") == ("whitenoise", frozenset(), "==6.11.0")


def test_blanks_after_a_name_that_is_not_name_at_url():
    # name\s*(\[extras\])?\s*@ tried every split of the blanks between its two \s*.
    assert parse_requirement("django" + BLANKS * 2 + ">=5.2") == ("django", frozenset(), ">=5.2")
    assert parse_requirement("mypkg[extra]" + BLANKS + "@ https://example.com/mypkg-1.0.zip") == ("mypkg", frozenset({"extra"}), "")


def test_a_pyproject_dependency_broken_over_lines():
    # A TOML string may hold line breaks: the name regex then failed at its end, after
    # trying every split of the blanks (and every shorter name) first.
    assert parse_requirement("django" + BLANKS + "\n>=5.2") == ("django", frozenset(), ">=5.2")
    assert parse_requirement("django" + BLANKS + ">=5.2\n" + "x" * 10) is None


def test_a_url_with_thousands_of_hash_signs():
    # #(?:.*&)?egg= ran to the end of the line and back from every "#".
    url = "git+https://github.com/org/repo.git@main" + "#&" * 60_000
    assert parse_requirement(url) is None
    assert parse_requirement(url + "egg=Shared_Utils") == ("shared-utils", frozenset(), "")
    assert parse_requirement("git+https://github.com/org/repo.git@main#egg=first&x=1&egg=Last_One") == ("last-one", frozenset(), "")


# ---------------------------------------------------------------- Procfile and version files


def test_a_procfile_command_followed_by_40000_blanks():
    # (?P<command>.*?)[ \t]*$ rescanned the blanks after each character of the command.
    text = "web: gunicorn mysite.wsgi --log-file -" + BLANKS + "x\nworker:" + BLANKS + "\n"
    procfile = parse_procfile("Procfile", text)
    web = procfile.process("web")
    assert web is not None and web.server == "gunicorn" and web.app_module == "mysite.wsgi"
    assert web.command.endswith("-" + BLANKS + "x")
    (bad,) = procfile.bad_lines
    assert bad.line == 2 and bad.reason == "no command after `worker:`"


def test_a_version_file_with_40000_blanks_before_its_end(make_project):
    # \s+# (the inline comment) rescanned the blanks from each of them.
    root = make_project({".python-version": "3.13" + " \t" * 30_000 + "x\n"})
    assert diagnostics(root, select=["DJH403"]) == [("DJH403", ".python-version", 1)]
    root = make_project({".python-version": "3.13" + " \t" * 30_000 + "# pinned\n"}, subdir="comment")
    assert diagnostics(root, select=["DJH403"]) == []


def test_a_version_file_of_60000_digits(make_project):
    # \d+\.\d+ (the version DJH403 suggests) ran over the digits from each of them.
    root = make_project({".python-version": "1" * 60_000 + "\n"})
    assert diagnostics(root, select=["DJH403"]) == [("DJH403", ".python-version", 1)]
    root = make_project({".python-version": "1" * 60_000 + " 3.12\n"}, subdir="suggested")
    (found,) = lint_project(root, select=["DJH403"])
    assert "write 3.12" in found.message


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


def test_a_gitignore_of_many_bracket_expressions():
    # Each [...] was expanded to the 256 bytes it may match: a 750 KB .gitignore of
    # them took seconds to read.
    ignore = GitIgnore()
    ignore.add_file(".gitignore", ("[\x01-\x7f]" * 1_000 + "\n") * 150 + "[!a-z][[:digit:]].env\n")
    assert ignore.ignored_by("a/X1.env") is not None
    assert ignore.ignored_by("a/x1.env") is None


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


GLOB_PIECES = ["a", "b", "a", "b", "/", "*", "**", "?", "[", "]", "!", "^", "-", "\\", ":", ".", " ", "[:alpha:]", "[:digit:]", "\u00e9"]
ENDINGS = ["", "", "/", " ", "  ", "\\ "]


def random_gitignore(rng) -> str:
    """One to three lines of pattern pieces, some negated, anchored, escaped or with a trailing space."""
    lines = []
    for _ in range(rng.randint(1, 3)):
        body = "".join(rng.choice(GLOB_PIECES) for _ in range(rng.randint(1, 6)))
        lines.append(rng.choice(["", "", "!", "/", "\\"]) + body + rng.choice(ENDINGS))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(8))
def test_the_matcher_agrees_with_git_on_generated_gitignores(tmp_path, seed):
    import random

    rng = random.Random(seed)
    for number in range(12):
        files = {".gitignore": random_gitignore(rng)}
        root = tmp_path / str(number)
        assert ours(files) == git_ignored(root, files), files


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: " + "DJH101, " * 20_000 + "x",
        "# noqa: " + "a-" * 40_000,
        "# noqa:" + BLANKS + "DJH101" + BLANKS + "!",
        "#" + BLANKS + "noqa" * 10_000,
    ],
    ids=["many codes", "one endless name", "blanks around a code", "noqa repeated"],
)
def test_noqa_comments_are_read_in_linear_time(comment):
    from django_heroku_lint.read.python import noqa_comments, noqa_map

    text = f"X = 1  {comment}\n"
    codes = noqa_map(text)[1]
    found = noqa_comments(text)
    assert [each.line for each in found] == ([] if codes is None else [1])  # a bare noqa names no code
