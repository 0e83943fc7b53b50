"""The .gitignore matcher, and what git itself says about .env files and virtualenvs."""

from __future__ import annotations

import pytest

from django_heroku_lint.discover.gitignore import GitIgnore

from .helpers import diagnostics, git


def matcher(*files: tuple[str, str]) -> GitIgnore:
    ignore = GitIgnore()
    for rel, text in files:
        ignore.add_file(rel, text)
    return ignore


@pytest.mark.parametrize(
    ("pattern", "path", "ignored"),
    [
        (".env", ".env", True),
        (".env", "mysite/.env", True),
        ("/.env", "mysite/.env", False),
        ("/.env", ".env", True),
        (".env*", ".env.local", True),
        ("*.env", "prod.env", True),
        ("**/.env", "a/b/.env", True),
        ("mysite/.env", "mysite/.env", True),
        ("mysite/.env", "other/mysite/.env", False),
        ("config/**", "config/.env", True),
        ("a/**/b", "a/x/y/b", True),
        ("venv/", "venv/bin/python", True),
        ("venv/", "venv", False),
        ("[Vv]env", "Venv", True),
        (".env   ", ".env", True),
        ("\\#.env", "#.env", True),
        ("# .env", ".env", False),
        (".env  # local secrets", ".env", False),
        ("", ".env", False),
    ],
)
def test_patterns(pattern, path, ignored):
    assert (matcher((".gitignore", pattern + "\n")).ignored_by(path) is not None) is ignored


def test_negation_and_order():
    ignore = matcher((".gitignore", ".env*\n!.env.example\n"))
    assert ignore.ignored_by(".env.local") is not None
    assert ignore.ignored_by(".env.example") is None
    assert matcher((".gitignore", "!.env\n.env\n")).ignored_by(".env") is not None


def test_a_file_in_an_ignored_folder_cannot_be_re_included():
    ignore = matcher((".gitignore", "config/\n!config/.env\n"))
    span = ignore.ignored_by("config/.env")
    assert span is not None and span.line == 1


def test_a_folder_is_matched_as_a_folder():
    ignore = matcher((".gitignore", "venv/\n"))
    assert ignore.ignored_by("venv", is_dir=True) is not None


def test_nested_gitignore_applies_below_its_folder():
    ignore = matcher((".gitignore", "*.pyc\n"), ("backend/.gitignore", ".env\n"))
    assert ignore.ignored_by("backend/.env").file == "backend/.gitignore"
    assert ignore.ignored_by(".env") is None


def test_the_trailing_comment_trap():
    ignore = matcher((".gitignore", "__pycache__/\n.env  # local secrets\n"))
    assert ignore.ignored_by(".env") is None
    trap = ignore.comment_trap(".env")
    assert trap is not None and (trap.file, trap.line) == (".gitignore", 2)
    assert matcher((".gitignore", "# .env is ignored below\n.env\n")).comment_trap(".env") is None


# ---------------------------------------------------------------- in a git repository


def committed(root):
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")


def test_an_untracked_unignored_env_in_git(make_project):
    root = make_project({".gitignore": "__pycache__/\n"})
    git(root, "init", "-q")
    (root / ".env").write_text("SECRET_KEY=x\n")
    assert diagnostics(root, select=["DJH603"]) == [("DJH603", ".env", 1)]


def test_a_tracked_env_that_is_ignored_later(make_project):
    root = make_project({".env": "SECRET_KEY=x\n"})
    committed(root)
    (root / ".gitignore").write_text(".env\n")
    from django_heroku_lint.engine import Options, lint

    (found,) = lint(Options(paths=[str(root)], select=["DJH603"])).diagnostics
    assert found.span.file == ".env"
    assert "tracked by git although .gitignore ignores it" in found.message
    assert "git rm --cached .env" in found.message


def test_an_ignored_env_in_git_is_fine(make_project):
    root = make_project({".gitignore": ".env\n"})
    git(root, "init", "-q")
    (root / ".env").write_text("SECRET_KEY=x\n")
    assert diagnostics(root, select=["DJH603"]) == []


def test_the_comment_trap_in_git(make_project):
    root = make_project({".gitignore": ".env # secrets\n", ".env": "SECRET_KEY=x\n"})
    git(root, "init", "-q")
    assert diagnostics(root, select=["DJH603"]) == [("DJH603", ".gitignore", 1)]


def test_a_committed_virtualenv(make_project):
    root = make_project({".venv/pyvenv.cfg": "home = /usr/bin\n", ".venv/bin/activate": ""})
    committed(root)
    assert diagnostics(root, select=["DJH605"]) == [("DJH605", ".venv/pyvenv.cfg", 1)]


def test_an_ignored_virtualenv_in_git(make_project):
    root = make_project({".gitignore": ".venv/\n", ".venv/pyvenv.cfg": "home = /usr/bin\n"})
    committed(root)
    assert diagnostics(root, select=["DJH605"]) == []


def test_outside_git_without_a_gitignore_nothing_is_judged(make_project):
    root = make_project({".env": "SECRET_KEY=x\n", "venv/pyvenv.cfg": "home = /usr/bin\n"})
    assert diagnostics(root, select=["DJH603", "DJH605"]) == []
