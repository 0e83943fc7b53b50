"""Helpers for tests: small project trees in, diagnostics out."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from click.testing import CliRunner

from django_heroku_lint.cli import main
from django_heroku_lint.engine import Options, lint
from django_heroku_lint.ftypes import Diagnostic

Files = dict[str, "str | bytes | None"]

# A LOGGING that sends django's errors to the console (DJH110), on one line: appended to the
# settings of test projects that are about something else.
LOGGING = (
    'LOGGING = {"version": 1, "disable_existing_loggers": False, '
    '"handlers": {"console": {"class": "logging.StreamHandler"}}, "root": {"handlers": ["console"], "level": "WARNING"}}\n'
)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8"))
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project under ``root`` (not .git or djhlint's cache), by POSIX path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not {".git", ".djhlint_cache"} & set(path.relative_to(root).parts)
    }


def diagnostics(root: Path, **options) -> list[tuple[str, str, int]]:
    """(code, path relative to the build root, line) for every diagnostic."""
    result = lint(Options(paths=[str(root)], **options))
    return [(d.code, d.span.file, d.span.line) for d in result.diagnostics]


def codes(root: Path, **options) -> list[str]:
    return [code for code, _, _ in diagnostics(root, **options)]


def run_cli(args: list[str], cwd: Path | None = None):
    """Run djhlint in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"},
    )


def lint_project(root: Path, **options) -> list[Diagnostic]:
    """The diagnostics of the project at ``root``, sorted as the CLI prints them."""
    return lint(Options(paths=[str(root)], **options)).diagnostics


def read_entry(path: Path) -> dict:
    """The JSON payload of a settings-model cache entry (the line after its MAC)."""
    _, _, payload = path.read_bytes().partition(b"\n")
    return json.loads(payload)


def write_entry(path: Path, payload: dict | str, secret: bytes | None = None) -> None:
    """Write a cache entry signed with ``secret`` (default: this user's, as djhlint would sign it)."""
    from django_heroku_lint import store

    body = (payload if isinstance(payload, str) else json.dumps(payload)).encode("utf-8")
    key = secret if secret is not None else store.user_secret()
    assert key is not None
    path.write_bytes(store._mac(key, body) + b"\n" + body)
