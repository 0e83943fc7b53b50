"""Safe to run on a repository you do not trust: what djhlint prints, and how it exits.

A file name, a setting's value or a Procfile command may hold newlines, carriage
returns, ESC sequences, Unicode line separators or bidi overrides.  Printed raw, they
forge diagnostic lines or rewrite what the terminal shows: every text format escapes
them, and the structured formats stay valid.  Whatever the input or the output stream,
a run never ends in a traceback: a full or closed stdout and an internal error exit 2
with one line on stderr, never 1 (which CI reads as "problems found").
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from django_heroku_lint.printable import printable
from django_heroku_lint.rules._baseline import SETTINGS, project_files

from .helpers import codes, diagnostics, run_cli, write_tree

FORGED = "mysite/settings.py:1:1: DJH999 forged"
# What a hostile repository puts in names and values: a forged diagnostic after a
# newline, then an erase-line sequence, a carriage return, NEL, the line and paragraph
# separators, and a right-to-left override.
HOSTILE = f"\n{FORGED}\x1b[2K\r\x85\u2028\u2029\u202e"
RAW = ("\r", "\x1b", "\x85", "\u2028", "\u2029", "\u202e")  # and no newline but those ending lines
FOLDER = "evil\nFORGED:1:1: DJH999 forged\x1b[2K\r"  # a build root named to forge a line of its own
HOSTILE_SETTINGS = SETTINGS + (
    f"CSRF_TRUSTED_ORIGINS = [{'evil.example.com' + HOSTILE!r}]\n"
    f"SECRET_KEY = config({'SECRET_KEY' + HOSTILE!r})\n"
    "DEBUG = True\n"
)
HOSTILE_PROJECT = {
    "mysite/settings.py": HOSTILE_SETTINGS,
    "Procfile": "web: gunicorn my\x1b[2Ksite.wsgi\nrelease: python manage.py migrate --no-input\n",  # DJH302 shows the line in its code frame
}
FRAME_RE = re.compile(r"^\d* *[|=]( |$)")  # a line of a code frame, or its help
POSIX_ONLY = pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")


def djhlint(*args: str, cwd: Path, env: dict[str, str] | None = None, shell_redirect: str = "") -> subprocess.CompletedProcess[bytes]:
    """The installed program in a child process (killed after a generous timeout, so a
    hang fails the test); ``shell_redirect`` runs it under ``sh`` with e.g. ``>&-``."""
    command = [sys.executable, "-m", "django_heroku_lint", *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$0" "$@" {shell_redirect}', *command]
    return subprocess.run(command, cwd=cwd, capture_output=not shell_redirect.startswith(">"), timeout=60, env={**os.environ, **(env or {})})


def no_raw_controls(text: str) -> None:
    for char in RAW:
        assert char not in text, (char, text)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project in a folder whose name forges a line, with hostile values inside."""
    write_tree(tmp_path / FOLDER, project_files(HOSTILE_PROJECT))
    return tmp_path


# --------------------------------------------------------------------------- the escaping itself


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\rb\tc", "a\\rb\\tc"),
        ("\x1b[2K", "\\x1b[2K"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("\u202e\u2066\u200f", "\\u202e\\u2066\\u200f"),
        ("caf\udce9", "caf\udce9"),  # a file name's byte 0xe9 goes out as itself
        ("caf\udc9b", "caf\\x9b"),  # ... but 0x9b is CSI on a Latin-1 terminal
        ("Café déjà vu ☃ 日本", "Café déjà vu ☃ 日本"),
    ],
)
def test_printable_escapes_controls_separators_and_bidi(text, shown):
    assert printable(text) == shown


# --------------------------------------------------------------------------- text formats


def test_concise_keeps_one_diagnostic_a_line(hostile):
    run = djhlint(FOLDER, cwd=hostile)
    assert run.returncode == 1, run.stderr
    out, err = run.stdout.decode(), run.stderr.decode()
    no_raw_controls(out + err)
    prefix = printable(FOLDER) + "/"
    lines = out.splitlines()
    assert lines and all(line.startswith(prefix) for line in lines), out
    found = {line[len(prefix) :].split(" ")[1] for line in lines}
    assert {"DJH106", "DJH104", "DJH302"} <= found
    (csrf,) = [line for line in lines if " DJH106 " in line]
    assert '"evil.example.com\\nmysite/settings.py:1:1: DJH999 forged\\x1b[2K\\r\\x85\\u2028\\u2029\\u202e" has no scheme' in csrf
    assert err.startswith("Found ")


def test_full_escapes_the_header_the_source_line_and_the_help(hostile):
    run = djhlint("--output-format", "full", FOLDER, cwd=hostile)
    assert run.returncode == 1, run.stderr
    out = run.stdout.decode()
    no_raw_controls(out)
    prefix = printable(FOLDER) + "/"
    lines = [line for line in out.splitlines() if line]
    assert all(line.startswith(prefix) or FRAME_RE.match(line) for line in lines), out
    assert len([line for line in lines if line.startswith(prefix)]) == 3
    frame = out.split(f"{prefix}Procfile:1:6: DJH302")[1].split("\n\n")[0].splitlines()
    assert frame[2:4] == ["1 | web: gunicorn my\\x1b[2Ksite.wsgi", "  |      " + "^" * len("gunicorn my\\x1b[2Ksite.wsgi") + " DJH302"]


def test_the_settings_command_escapes_names_and_values(hostile):
    result = run_cli(["settings", FOLDER], cwd=hostile)
    assert result.exit_code == 0, result.output
    no_raw_controls(result.stdout)
    assert f"Build root: {printable(FOLDER)}" in result.stdout
    (secret,) = [line for line in result.stdout.splitlines() if line.startswith("  SECRET_KEY ")]
    assert "env SECRET_KEY\\nmysite/settings.py:1:1: DJH999 forged\\x1b[2K\\r" in secret


def test_verbose_notes_and_errors_on_stderr_stay_one_line(tmp_path):
    write_tree(tmp_path / FOLDER, project_files({}))
    run = djhlint("--verbose", "--no-cache", FOLDER, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    err = run.stderr.decode()
    no_raw_controls(err)
    assert all(line.startswith(("project ", str(tmp_path), "  ", "All checks")) for line in err.splitlines()), err
    (tmp_path / FOLDER / "pyproject.toml").write_text("[tool.djhlint\n")
    run = djhlint(FOLDER, cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == b""
    (line,) = run.stderr.decode().splitlines()
    assert line.startswith("djhlint: error: ") and printable(FOLDER) in line and "invalid TOML" in line


# --------------------------------------------------------------------------- structured formats


@POSIX_ONLY
@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "gitlab", "junit", "github"])
def test_structured_formats_stay_valid_in_a_folder_that_is_not_utf8(tmp_path, fmt):
    """os.fsdecode gives the name b"caf\\xe9" a lone surrogate: SARIF and GitLab used to crash on it."""
    write_tree(tmp_path / os.fsdecode(b"caf\xe9"), project_files(HOSTILE_PROJECT))
    run = djhlint("--output-format", fmt, os.fsdecode(b"caf\xe9"), cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8:strict"})
    assert run.returncode == 1, run.stderr
    assert b"Traceback" not in run.stderr
    if fmt == "github":  # a text format: the name's own bytes, as concise prints it
        assert all(line.startswith(b"::error ") for line in run.stdout.splitlines())
        return
    out = run.stdout.decode("utf-8")  # valid UTF-8
    if fmt == "junit":
        cases = ET.fromstring(out.encode()).iter("testcase")
        assert {case.get("file") for case in cases} >= {"caf\ufffd/mysite/settings.py"}
        return
    data = [json.loads(line) for line in out.splitlines()] if fmt == "json-lines" else json.loads(out)
    if fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]}
        assert "caf%E9/mysite/settings.py" in uris  # the name's bytes, quoted
    elif fmt == "gitlab":
        assert {issue["location"]["path"] for issue in data} >= {os.fsdecode(b"caf\xe9") + "/mysite/settings.py"}
    else:
        assert {item["filename"] for item in data} >= {str(tmp_path / os.fsdecode(b"caf\xe9") / "mysite" / "settings.py")}


def test_junit_is_well_formed_xml_with_control_characters(hostile):
    run = djhlint("--output-format", "junit", FOLDER, cwd=hostile)
    assert run.returncode == 1, run.stderr
    failures = [f.get("message") for f in ET.fromstring(run.stdout).iter("failure")]
    assert any("evil.example.com" in message for message in failures)


# --------------------------------------------------------------------------- output streams and exit codes


@pytest.mark.parametrize(
    "args",
    [[], ["--output-format", "sarif"], ["check", "--statistics"], ["settings"], ["rule", "--all"], ["rule", "DJH101"]],
    ids=["default", "sarif", "check", "settings", "rule-all", "rule"],
)
@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"], ids=["full", "closed"])
def test_an_output_that_cannot_be_written_exits_2_in_one_line(make_project, args, redirect):
    if redirect == ">/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})
    run = djhlint(*args, cwd=root, shell_redirect=f"{redirect} 2>{root / 'stderr.txt'}")
    err = (root / "stderr.txt").read_text()
    assert run.returncode == 2, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.splitlines()[-1].startswith("djhlint: error: cannot write the output: ")
    assert len([line for line in err.splitlines() if line.startswith("djhlint: error")]) == 1


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("redirect", ["2>/dev/full", "2>&-"], ids=["full", "closed"])
def test_a_stderr_that_cannot_be_written_loses_only_the_summary(make_project, redirect):
    run = djhlint(cwd=make_project({"Procfile": "web: gunicorn mysite.wsgi\n"}), shell_redirect=redirect)
    assert run.returncode == 1
    assert run.stdout.decode().startswith("Procfile:1:6: DJH302 ")


def test_a_terminal_in_latin1_gets_escapes_not_a_crash(make_project):
    run = djhlint("rule", "--all", cwd=make_project({}), env={"PYTHONIOENCODING": "latin-1"})
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    out = run.stdout.decode("latin-1")
    assert "DJH606" in out and "\\u2014" in out  # an em dash the encoding lacks, escaped


INTERNAL_ERROR = """
import sys
from django_heroku_lint.report import formats as report
from django_heroku_lint import entry

def broken(*args, **kwargs):
    raise RuntimeError("boom\\n\\x1b[2Kforged")

report.sarif = report.concise = broken
sys.argv = ["djhlint", *sys.argv[1:]]
entry.main()
"""


@pytest.mark.parametrize("args", [["--output-format", "sarif"], ["check", "--select", "DJH3"]], ids=["default", "check"])
def test_an_internal_error_while_printing_exits_2_in_one_line(make_project, args):
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})
    run = subprocess.run([sys.executable, "-c", INTERNAL_ERROR, *args], cwd=root, capture_output=True, timeout=60)
    assert run.returncode == 2
    (line,) = run.stderr.decode().splitlines()
    assert line == "djhlint: error: internal error: RuntimeError: boom\\n\\x1b[2Kforged (run with --verbose for the traceback)"


# --------------------------------------------------------------------------- odd values in the files djhlint reads


@pytest.mark.parametrize(
    "files",
    [
        {"poetry.lock": "package = 5\n", "requirements.txt": None},
        {"uv.lock": "package = 5\n", "requirements.txt": None},
        {"pyproject.toml": "tool = 5\n"},
        {"pyproject.toml": "project = 5\n", "requirements.txt": None},
        {"pyproject.toml": "[project]\nname = 'mysite'\nrequires-python = 5\n", ".python-version": None},
        {"pyproject.toml": "[project]\nname = 'mysite'\ndependencies = 'x'\n", "requirements.txt": None},
        {"pyproject.toml": "[tool.poetry]\ndependencies = 5\n", "requirements.txt": None},
        {"Pipfile": "packages = 5\n", "requirements.txt": None},
    ],
    ids=["poetry-lock", "uv-lock", "tool", "project", "requires-python", "dependencies", "poetry-dependencies", "pipfile"],
)
def test_toml_values_of_the_wrong_type_are_read_without_a_crash(make_project, files):
    result = run_cli([str(make_project(files))])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("[tool]\ndjhlint = 5\n", "[tool.djhlint] must be a table"),
        ("[tool.djhlint]\nselect = 5\n", "[tool.djhlint] select must be a list of strings"),
        ("[tool.djhlint]\nexclude = 'mysite'\n", "[tool.djhlint] exclude must be a list of strings"),
        ("[tool.djhlint]\nsettings-module = 5\n", "[tool.djhlint] settings-module must be a string"),
    ],
)
def test_a_djhlint_table_of_the_wrong_type_is_one_line(make_project, section, message):
    result = run_cli([str(make_project({"pyproject.toml": section}))])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("djhlint: error: ") and line.endswith(message)


@pytest.mark.parametrize("cookie", ["undefined", "punycode"])
def test_a_coding_cookie_whose_codec_fails_is_djh000(make_project, cookie):
    root = make_project({"mysite/settings.py": f"# -*- coding: {cookie} -*-\n" + SETTINGS})
    assert ("DJH000", "mysite/settings.py", 1) in diagnostics(root)


def test_an_ascii_module_with_an_idna_cookie_is_read_as_python_reads_it(make_project):
    root = make_project({"mysite/settings.py": "# -*- coding: idna -*-\n" + SETTINGS.replace('config("SECRET_KEY")', '"hardcoded"')})
    assert codes(root) == ["DJH102"]
    before = (root / "mysite/settings.py").read_bytes()
    result = run_cli(["--fix", "--unsafe-fixes", str(root)])
    assert result.exit_code == 1 and "error" not in result.stderr, result.output
    assert (root / "mysite/settings.py").read_bytes() == before  # idna cannot encode it back: left alone


# --------------------------------------------------------------------------- diffs


def test_a_diff_quotes_file_names_as_git_does_and_applies(tmp_path):
    """A newline in a name would forge a diff header: git quotes such names, and so does --diff."""
    root = write_tree(tmp_path / FOLDER, project_files({"Procfile": "web: gunicorn mysite.wsgi\n"}))
    run = djhlint("--diff", FOLDER, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    patch = run.stdout.decode()
    no_raw_controls(patch)
    quoted = '"a/evil\\nFORGED:1:1: DJH999 forged\\033[2K\\r/Procfile"'
    assert patch.splitlines()[:3] == [f"diff --git {quoted} {quoted.replace('a/', 'b/', 1)}", f"--- {quoted}", f"+++ {quoted.replace('a/', 'b/', 1)}"]
    (tmp_path / "fix.diff").write_text(patch)
    subprocess.run(["git", "apply", "fix.diff"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\n"
