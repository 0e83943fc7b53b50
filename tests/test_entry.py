"""The ``djhlint`` program parses common command lines by hand, exactly as click would."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from importlib.metadata import entry_points

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django_heroku_lint import commands, entry
from django_heroku_lint.cli import check

DEFAULTS = {name: p.default for name, p in inspect.signature(commands.check).parameters.items()}


def by_click(args: list[str]) -> dict | None:
    """What click makes of a ``djhlint check`` command line: check's arguments, or None for an error."""
    try:
        with check.make_context("check", list(args)) as ctx:
            params = dict(ctx.params)
    except (click.exceptions.Exit, click.UsageError, click.BadParameter):
        return None
    return {key: list(value) if isinstance(value, tuple) else value for key, value in params.items()}


def by_hand(args: list[str], environ: dict[str, str] | None = None) -> dict | None:
    parsed = entry.parse(args, os.environ if environ is None else environ)
    return None if parsed is None else {**DEFAULTS, **{k: list(v) if isinstance(v, tuple) else v for k, v in parsed.items()}}


COMMON = [
    [],
    ["."],
    ["mysite/settings.py", "Procfile", "requirements.txt"],
    ["--fix", "."],
    ["--fix", "--unsafe-fixes", "-q"],
    ["--diff", "--unsafe-fixes"],
    ["--output-format", "github"],
    ["--output-format=sarif", "."],
    ["--select", "DJH1,DJH2", "--select=DJH301", "--ignore", "DJH104"],
    ["--ignore=allowed-hosts-wildcard", "--exit-zero", "--statistics"],
    ["--settings-module", "mysite.settings.production", "-v"],
    ["--no-cache", "--quiet", "--verbose"],
    ["--cache-dir", "build/cache", "."],
    ["--explain", "DJH101"],
    ["--show-settings", "--output-format", "json"],
    [".", "--fix", "other"],
    ["--select="],
]


@pytest.mark.parametrize("args", COMMON, ids=" ".join)
def test_common_command_lines_are_parsed_by_hand_as_click_would(args, monkeypatch):
    monkeypatch.delenv("DJHLINT_CACHE_DIR", raising=False)
    assert by_hand(args) is not None, "the hand parser should take this command line"
    assert by_hand(args) == by_click(args)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["rule", "DJH101"],
        ["settings", "."],
        ["check", "."],
        ["--", "-weird-name"],
        ["-"],
        ["-qv"],
        ["--fixx"],
        ["--fix=yes"],
        ["--output-format", "xml"],
        ["--output-format", "JSON"],
        ["--select"],
        ["--select", "--fix"],
        ["--cache-dir", "README.md"],
    ],
    ids=" ".join,
)
def test_anything_else_goes_to_click(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("not a folder\n")
    assert entry.parse(args, {}) is None


def test_the_cache_folder_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DJHLINT_CACHE_DIR", str(tmp_path / "cache"))
    assert by_hand(["."])["cache_dir"] == str(tmp_path / "cache") == by_click(["."])["cache_dir"]
    assert by_hand(["--cache-dir", "mine"])["cache_dir"] == "mine"
    monkeypatch.setenv("DJHLINT_CACHE_DIR", "")  # empty: unset, for click
    assert by_hand(["."])["cache_dir"] is None is by_click(["."])["cache_dir"]


def test_shell_completion_goes_to_click():
    assert entry.parse(["."], {"_DJHLINT_COMPLETE": "bash_source"}) is None


WORDS = st.sampled_from(
    [".", "mysite", "README.md", "-", "--", "-q", "-v", "-qv", "-h", "--help", "--version", "--fix", "--fix=1",
     "--diff", "--unsafe-fixes", "--exit-zero", "--statistics", "--no-cache", "--quiet", "--select", "--select=DJH1",
     "--ignore", "DJH101,DJH2", "--output-format", "json", "concise", "xml", "--output-format=full",
     "--settings-module", "mysite.settings", "--cache-dir", "--cache-dir=mysite", "--explain", "rule", "check", "--nope"]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(args=st.lists(WORDS, max_size=6))
def test_any_command_line_is_read_alike_or_left_to_click(args):
    hand = by_hand(args, {})
    if hand is not None:
        assert hand == by_click(args)


def test_the_console_script_is_the_hand_parser():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "djhlint"]
    assert script.value == "django_heroku_lint.entry:main"


PROBE = """
import sys
sys.argv = ["djhlint", *sys.argv[1:]]
from django_heroku_lint.entry import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print(code, "click" in sys.modules, "libcst" in sys.modules, "typing" in sys.modules, file=sys.stderr)
"""


def test_a_warm_run_imports_neither_click_nor_libcst(make_project):
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})
    runs = [subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True) for _ in range(2)]
    cold, warm = (run.stderr.splitlines()[-1] for run in runs)
    assert cold == "1 False True True"  # LibCST brings typing along
    assert warm == "1 False False False"
    assert runs[0].stdout == runs[1].stdout and "DJH101" in runs[1].stdout


def test_help_version_and_errors_still_come_from_click(make_project):
    root = make_project({})
    run = lambda *args: subprocess.run([sys.executable, "-m", "django_heroku_lint", *args], capture_output=True, text=True, cwd=root)  # noqa: E731
    assert run("--version").stdout.startswith("djhlint, version ")
    assert "--output-format" in run("--help").stdout
    bad = run("--output-format", "xml")
    assert bad.returncode == 2 and "Invalid value for '--output-format'" in bad.stderr


@pytest.mark.parametrize("args", [[], ["--diff"]], ids=["diagnostics", "diff"])
def test_a_reader_that_goes_away_ends_the_run_quietly(make_project, args):
    """`djhlint | head`: the broken pipe exits 1 with no traceback, on the hand-parsed path."""
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})
    command = [sys.executable, "-m", "django_heroku_lint", *args, str(root)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # nobody reads: the first write fails
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert b"Traceback" not in stderr and b"internal error" not in stderr


def test_the_rule_modules_and_their_intents_import_no_libcst():
    """A rule's fix lives in its module but loads LibCST only when it is carried out: the
    rule modules and the intents import neither LibCST nor typing."""
    probe = (
        "import sys\n"
        "from django_heroku_lint.rules.registry import ALL_RULES\n"
        "import django_heroku_lint.edit.intents\n"
        "print(len(ALL_RULES), 'libcst' in sys.modules, 'typing' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    count, libcst, typing = run.stdout.split()
    assert int(count) > 30 and (libcst, typing) == ("False", "False"), run.stderr
