"""A check run whose inputs have not changed replays the output the last one stored.

Each run is a child process, as a pre-commit hook starts it; the probe says whether the
run loaded the rules (it linted) or not (it replayed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from django_heroku_lint.store import CACHE_DIR_NAME

from .helpers import git, read_entry, write_entry

PROBE = """
import sys
sys.argv = ["djhlint", *sys.argv[1:]]
from django_heroku_lint.entry import main
try:
    main()
finally:
    sys.stderr.write("linted\\n" if "django_heroku_lint.rules" in sys.modules else "replayed\\n")
"""

FORMATS = ["concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "junit"]
# Something for every kind of output: a fix on offer (DJH103), one that is unsafe (DJH101), a Procfile finding.
HAZARDS = {
    "mysite/settings.py": 'import os\nALLOWED_HOSTS = ["*"]\nDEBUG = os.getenv("DEBUG")\n',
    "Procfile": "web: gunicorn mysite.wsgi\n",
}
LOCAL = {"mysite/settings.py": 'ALLOWED_HOSTS = ["example.com"]\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n'}


def djhlint(root, *args, cwd=None, env=None):
    """(exit code, stdout, stderr, whether it replayed) of a run in a child process."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd or root, capture_output=True, timeout=60, env={**os.environ, **(env or {})}
    )
    *stderr, how = run.stderr.decode().splitlines(keepends=True)
    return run.returncode, run.stdout.decode(), "".join(stderr), how == "replayed\n"


def twice(root, *args, **kwargs):
    first, second = djhlint(root, *args, **kwargs), djhlint(root, *args, **kwargs)
    assert not first[3], "the first run lints"
    return first, second


@pytest.mark.parametrize("args", [[f"--output-format={f}"] for f in FORMATS] + [["--statistics"], ["--statistics", "--output-format=json"]], ids=" ".join)
def test_a_replay_prints_what_the_run_printed(make_project, args):
    root = make_project(HAZARDS)
    first, second = twice(root, *args, ".")
    assert second[3], "the second run replays"
    assert second[:3] == first[:3]
    assert first[0] == 1 and first[1]


@pytest.mark.parametrize("args", [[], ["--exit-zero"], ["-q"], ["--unsafe-fixes"], ["--select", "DJH3"]], ids=" ".join)
def test_a_replay_keeps_the_exit_code_and_the_summary(make_project, args):
    root = make_project(HAZARDS)
    first, second = twice(root, *args)
    assert second[3] and second[:3] == first[:3]


def test_a_clean_project_replays_its_exit_code(make_project):
    root = make_project({})
    first, second = twice(root)
    assert second[3] and second[:3] == first[:3] and first[0] == 0


def test_colour_is_part_of_the_key(make_project):
    root = make_project(HAZARDS)
    plain, _ = twice(root)
    coloured = djhlint(root, env={"FORCE_COLOR": "1"})
    assert not coloured[3] and "\x1b[" in coloured[1] and "\x1b[" not in plain[1]
    assert djhlint(root, env={"FORCE_COLOR": "1"})[:3] == coloured[:3]


def test_each_option_has_its_own_replay(make_project):
    root = make_project(HAZARDS)
    concise, _ = twice(root)
    as_json = djhlint(root, "--output-format", "json")
    assert not as_json[3] and as_json[1].startswith("[")
    assert djhlint(root) == (*concise[:3], True)


def test_paths_are_shown_from_the_current_folder(make_project, tmp_path):
    root = make_project(HAZARDS)
    inside, _ = twice(root, ".")
    outside = djhlint(root, str(root.relative_to(tmp_path)), cwd=tmp_path)
    assert not outside[3]
    assert "proj/Procfile:1:6: DJH302" in outside[1] and inside[1].startswith("Procfile:1:6: DJH302")


def test_one_byte_changed_in_a_read_file_is_linted_again(make_project):
    root = make_project(HAZARDS)
    twice(root)
    settings = root / "mysite" / "settings.py"
    settings.write_bytes(settings.read_bytes().replace(b'"*"', b'"x"'))  # same size, one byte
    changed = djhlint(root)
    assert not changed[3] and "DJH101" not in changed[1]
    assert djhlint(root, "--no-cache")[:3] == changed[:3]
    assert djhlint(root) == (*changed[:3], True)


def test_a_file_that_cannot_be_read_replays_and_is_an_input_too(make_project, tmp_path):
    """A Procfile linked out of the project is reported, not read: the replay checks it is
    still unreadable for the same reason, and lints again once it is a file."""
    root = make_project({**HAZARDS, "Procfile": None})
    (tmp_path / "elsewhere").write_text("web: gunicorn mysite.wsgi --log-file -\n")
    (root / "Procfile").symlink_to(tmp_path / "elsewhere")
    first, second = twice(root)
    assert second[3] and second[:3] == first[:3]
    assert "Procfile:1:1: DJH000" in first[1] and "a link that leaves the project" in first[1]
    (root / "Procfile").unlink()
    (root / "Procfile").write_text("web: gunicorn mysite.wsgi\n")
    fixed = djhlint(root)
    assert not fixed[3] and "DJH000" not in fixed[1] and "DJH302" in fixed[1]


def test_a_new_module_a_lookup_finds_is_linted_again(make_project):
    root = make_project(LOCAL)
    first, _ = twice(root)
    assert "DJH101" not in first[1]
    (root / "mysite" / "local_settings.py").write_text('ALLOWED_HOSTS = ["*"]\n')
    found = djhlint(root)
    assert not found[3] and "DJH101" in found[1]


def test_the_configuration_is_an_input(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nselect = ["DJH1"]\n'})
    twice(root)
    (root / "pyproject.toml").write_text('[tool.djhlint]\nselect = ["DJH3"]\n')
    configured = djhlint(root)
    assert not configured[3] and "DJH302" in configured[1] and "DJH101" not in configured[1]


def test_an_ignored_configuration_file_is_an_input_too(make_project):
    """A pyproject.toml that .gitignore leaves out of the build still configures djhlint."""
    root = make_project({**HAZARDS, ".gitignore": "pyproject.toml\n", "pyproject.toml": '[tool.djhlint]\nselect = ["DJH1"]\n'})
    git(root, "init", "-q")
    git(root, "add", "-A")
    twice(root)
    (root / "pyproject.toml").write_text('[tool.djhlint]\nselect = ["DJH3"]\n')
    configured = djhlint(root)
    assert not configured[3] and "DJH302" in configured[1] and "DJH101" not in configured[1]


def test_a_source_line_a_format_prints_is_an_input(make_project):
    """The full format prints the line a diagnostic points at, in a file no rule reads (a committed .env)."""
    # The line shown is the first (a secret's value would show redacted).
    root = make_project({".gitignore": "__pycache__/\n", ".env": "DJANGO_DEBUG=first\nSECRET_KEY=abc\n"})
    first, second = twice(root, "--output-format", "full", "--select", "DJH603")
    assert second[3] and "DJANGO_DEBUG=first" in first[1]
    (root / ".env").write_text("DJANGO_DEBUG=other\nSECRET_KEY=abc\n")
    changed = djhlint(root, "--output-format", "full", "--select", "DJH603")
    assert not changed[3] and "DJANGO_DEBUG=other" in changed[1]


@pytest.mark.parametrize("args", [["--diff"], ["--fix"], ["--verbose"], ["--no-cache"]], ids=" ".join)
def test_fixes_diffs_verbose_and_no_cache_runs_never_replay(make_project, args):
    root = make_project(HAZARDS)
    twice(root)
    assert not djhlint(root, *args)[3]
    assert not djhlint(root, *args)[3]


def test_a_replay_entry_signed_by_another_secret_is_a_miss(make_project):
    """A committed or planted output (say, "All checks passed!") is never printed."""
    root = make_project(HAZARDS)
    first, _ = twice(root)
    (entry,) = [p for p in (root / CACHE_DIR_NAME).glob("v*/*.json") if read_entry(p)["key"].startswith("replay:")]
    payload = read_entry(entry)
    payload["value"].update(stdout="", stderr=["All checks passed!"], code=0)
    write_entry(entry, json.dumps(payload), secret=os.urandom(32))
    assert djhlint(root) == (*first[:3], False)
    write_entry(entry, json.dumps(payload))  # signed by this user: the entry is used (it is what the lock protects)
    assert djhlint(root) == (0, "", "All checks passed!\n", True)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_replay_to_an_output_that_cannot_be_written_exits_2_in_one_line(make_project):
    root = make_project(HAZARDS)
    twice(root)
    run = subprocess.run(f"{sys.executable} -c '{PROBE}' >/dev/full", shell=True, cwd=root, capture_output=True, timeout=60)
    *lines, how = run.stderr.decode().splitlines()
    assert (run.returncode, how) == (2, "replayed")
    assert len(lines) == 1 and lines[0].startswith("djhlint: error: cannot write the output: ")
