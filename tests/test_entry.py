"""The ``djhlint`` program: click parses its command lines, and a warm run replays without the rules."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest


def test_the_console_script_is_entry_main():
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
loaded = [name in sys.modules for name in ("libcst", "django_heroku_lint.rules", "django_heroku_lint.model.interpreter", "django_heroku_lint.report",
                                          "django_heroku_lint.model.values", "django_heroku_lint.ftypes")]
print(code, *loaded, file=sys.stderr)
"""


def test_a_warm_run_replays_without_libcst_the_rules_or_the_settings_model(make_project):
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})
    runs = [subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, timeout=60) for _ in range(2)]
    cold, warm = (run.stderr.splitlines()[-1] for run in runs)
    assert cold == "1 True True True True True True"
    # Nor the settings model's values (the signed entry is read by store), nor the shared
    # data types (discovery makes a ParseError only for a file it cannot read).
    assert warm == "1 False False False False False False"
    assert runs[0].stdout == runs[1].stdout and "DJH101" in runs[1].stdout
    assert runs[0].stderr.splitlines()[:-1] == runs[1].stderr.splitlines()[:-1]  # the same summary


def test_help_version_and_errors_come_from_click(make_project):
    root = make_project({})
    run = lambda *args: subprocess.run([sys.executable, "-m", "django_heroku_lint", *args], capture_output=True, text=True, cwd=root, timeout=60)  # noqa: E731
    assert run("--version").stdout.startswith("djhlint, version ")
    assert "--output-format" in run("check", "--help").stdout
    bad = run("--output-format", "xml")
    assert bad.returncode == 2 and "Invalid value for '--output-format'" in bad.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_commands_and_says_what_a_bare_command_line_runs(make_project, flag):
    root = make_project({})
    run = subprocess.run([sys.executable, "-m", "django_heroku_lint", flag], capture_output=True, text=True, cwd=root, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Usage: djhlint [OPTIONS] [COMMAND] [ARGS]...")
    commands = run.stdout.split("Commands:\n", 1)[1]
    assert [line.split()[0] for line in commands.splitlines() if line.strip()] == ["check", "env", "rule", "settings"]
    assert "`djhlint [OPTIONS] [PATHS]...` means `djhlint check [OPTIONS] [PATHS]...`" in run.stdout
    assert "`djhlint check --help` lists its options" in " ".join(run.stdout.split())


def test_check_help_shows_the_options_of_check(make_project):
    root = make_project({})
    run = subprocess.run([sys.executable, "-m", "django_heroku_lint", "check", "--help"], capture_output=True, text=True, cwd=root, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("Usage: djhlint check [OPTIONS] [PATHS]...")
    for option in ("--select", "--ignore", "--exit-zero", "--exit-non-zero-on-fix", "--output-format", "--statistics", "--show-settings", "--settings-module",
                   "--explain", "--cache-dir", "--no-cache", "--fix", "--unsafe-fixes", "--diff", "--show-fixes", "--output-file", "--quiet", "--verbose"):
        assert option in run.stdout
    # Help after the paths of a bare command line is check's help too.
    after = subprocess.run([sys.executable, "-m", "django_heroku_lint", ".", "--help"], capture_output=True, text=True, cwd=root, timeout=60)
    assert after.stdout == run.stdout


@pytest.mark.parametrize("args", [[], ["--diff"]], ids=["diagnostics", "diff"])
def test_a_reader_that_goes_away_ends_the_run_quietly(make_project, args):
    """`djhlint | head`: the broken pipe exits 1 with no traceback."""
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})
    command = [sys.executable, "-m", "django_heroku_lint", *args, str(root)]
    for _ in range(2):  # a run that lints, then one that replays
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
