"""The command line: output, exit codes, selection, configuration, suppression."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .helpers import LOGGING, diagnostics, run_cli, write_tree
from django_heroku_lint.rules._baseline import project_files

HAZARDS = {"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "k"\n' + LOGGING}


def test_concise_output_and_summary(make_project):
    root = make_project(HAZARDS)
    result = run_cli([], cwd=root)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "mysite/settings.py:1:18: DJH101 " + 'ALLOWED_HOSTS accepts any host ("*"): Host-header attacks reach the app; list your domains, e.g. ["myapp.herokuapp.com"]',
        "mysite/settings.py:2:14: DJH102 SECRET_KEY is hardcoded (a string literal in the source): anyone with the repository can forge sessions; read it from the environment with no literal fallback",
    ]
    assert result.stderr.strip().splitlines() == [
        "Found 2 problems in 1 file.",
        "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option).",
    ]


def test_paths_are_relative_to_the_current_folder(make_project, tmp_path):
    root = make_project(HAZARDS)
    result = run_cli([str(root.relative_to(tmp_path))], cwd=tmp_path)
    assert result.stdout.startswith("proj/mysite/settings.py:1:18: DJH101")


def test_clean_project(make_project):
    result = run_cli([str(make_project())])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "All checks passed."


def test_json_output_shape(make_project):
    root = make_project(HAZARDS)
    result = run_cli(["--output-format", "json", str(root)])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [i["code"] for i in items] == ["DJH101", "DJH102"]
    first = items[0]
    assert set(first) == {"code", "name", "message", "filename", "location", "end_location", "fix", "url"}
    assert first["name"] == "allowed-hosts-wildcard"
    assert first["filename"] == str(root / "mysite" / "settings.py")
    assert first["location"] == {"row": 1, "column": 18}
    assert first["end_location"] == {"row": 1, "column": 21}
    assert first["url"] is None  # no invented address: `djhlint rule DJH101` is the documentation
    fix = first["fix"]
    assert (fix["applicability"], fix["message"].split(",")[0]) == ("unsafe", 'replace "*" with ".herokuapp.com"')
    assert fix["edits"] == [
        {
            "kind": "replace",
            "filename": str(root / "mysite" / "settings.py"),
            "location": {"row": 1, "column": 19},
            "end_location": {"row": 1, "column": 20},
            "content": ".herokuapp.com",
        }
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "DJH101"], ["DJH101"]),
        (["--select", "DJH1"], ["DJH101", "DJH102"]),
        (["--select", "hardcoded-secret-key"], ["DJH102"]),
        (["--ignore", "DJH101"], ["DJH102"]),
        (["--select", "DJH101,DJH102", "--ignore", "DJH102"], ["DJH101"]),
    ],
)
def test_select_and_ignore(make_project, args, expected):
    result = run_cli(["--output-format", "json", *args, str(make_project(HAZARDS))])
    assert [i["code"] for i in json.loads(result.stdout)] == expected


def test_exit_zero(make_project):
    result = run_cli(["--exit-zero", str(make_project(HAZARDS))])
    assert result.exit_code == 0 and "DJH101" in result.stdout


def test_configuration_in_pyproject(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'})
    assert [i["code"] for i in json.loads(run_cli(["--output-format", "json", str(root)]).stdout)] == ["DJH102"]


def test_command_line_select_wins_over_configuration(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'})
    result = run_cli(["--output-format", "json", "--select", "DJH101", str(root)])
    assert [i["code"] for i in json.loads(result.stdout)] == ["DJH101"]


def test_exclude_in_configuration(make_project):
    root = make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi --log-file -\n", "pyproject.toml": '[tool.djhlint]\nexclude = ["Procfile.txt"]\n'})
    assert "DJH301" not in run_cli([str(root)]).stdout


def test_per_file_ignores_silence_rules_in_the_files_they_match(make_project):
    # A project whose Procfile, version file, requirements and settings modules each
    # carry a problem; per-file-ignores silences some, each in the files it names.
    root = make_project(
        {
            "Procfile": "web: gunicorn mysite.wsgi\n",
            ".python-version": None,
            "runtime.txt": "python-3.13.9\n",
            "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\n-r requirements/base.txt\n",
            "mysite/settings.py": 'from .base import *  # noqa: F403\nimport dj_database_url\n\nALLOWED_HOSTS = ["*"]\n'
            'DATABASES = {"default": dj_database_url.config()}\n',
            "mysite/base.py": 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n',
        }
    )
    everything = set(diagnostics(root, cache=False))
    assert {("DJH302", "Procfile", 1), ("DJH402", "runtime.txt", 1), ("DJH101", "mysite/settings.py", 4), ("DJH104", "mysite/base.py", 1)} <= everything
    assert any(code.startswith("DJH6") and name == "requirements.txt" for code, name, _ in everything), everything
    (root / "pyproject.toml").write_text(
        "[tool.djhlint.per-file-ignores]\n"
        'Procfile = ["procfile-log-file-missing"]\n'
        '"runtime.txt" = ["DJH402"]\n'
        '"requirements*.txt" = ["DJH6"]\n'
        '"mysite/base.py" = ["DJH1"]\n'
    )
    silenced = {("DJH302", "Procfile"), ("DJH402", "runtime.txt")}
    left = set(diagnostics(root, cache=False))
    assert left == {
        (code, name, line)
        for code, name, line in everything
        if (code, name) not in silenced and name != "requirements.txt" and not (name == "mysite/base.py" and code.startswith("DJH1"))
    }
    assert ("DJH101", "mysite/settings.py", 4) in left  # another file: not silenced


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('[tool.djhlint]\nselct = ["DJH1"]\n', "unknown key 'selct'"),
        ('[tool.djhlint]\nignore = ["DJH999"]\n', "unknown rule code or name 'DJH999'"),
        ('[tool.djhlint]\nignore = "DJH101"\n', "ignore must be a list of strings"),
        ("[tool.djhlint\n", "invalid TOML"),
        ('[tool.djhlint]\nper-file-ignores = ["DJH302"]\n', "per-file-ignores must be a table of glob = [codes]"),
        ('[tool.djhlint.per-file-ignores]\nProcfile = "DJH302"\n', "per-file-ignores must be a table of glob = [codes]"),
        ('[tool.djhlint.per-file-ignores]\nProcfile = ["DJH399"]\n', "per-file-ignores 'Procfile': unknown rule code or name 'DJH399'"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(make_project, pyproject, message):
    result = run_cli([str(make_project({"pyproject.toml": pyproject}))])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unknown_selector_on_the_command_line(make_project):
    result = run_cli(["--select", "DJH9", str(make_project())])
    assert result.exit_code == 2 and "unknown rule code or name 'DJH9'" in result.stderr


def test_no_django_project_is_exit_2(tmp_path):
    result = run_cli([str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"djhlint: error: {tmp_path}: no Django project found (no manage.py)"


def test_bad_option_is_exit_2(make_project):
    assert run_cli(["--no-such-option"]).exit_code == 2


@pytest.mark.parametrize(
    ("line", "suppressed"),
    [
        ('ALLOWED_HOSTS = ["*"]  # noqa: DJH101', True),
        ('ALLOWED_HOSTS = ["*"]  # noqa', True),
        ('ALLOWED_HOSTS = ["*"]  # noqa: DJH102', False),
        ('ALLOWED_HOSTS = ["*"]  # NOQA:DJH101,DJH102', True),
        ('ALLOWED_HOSTS = ["*"]  # noqa: allowed-hosts-wildcard', True),
        ('ALLOWED_HOSTS = ["*"]  # noqa: DJH102, Allowed-Hosts-Wildcard', True),
        ('ALLOWED_HOSTS = ["*"]  # noqa: debug-true', False),
        ('ALLOWED_HOSTS = ["*"]  # noqa: hardcoded-secret-key explained', False),
    ],
)
def test_noqa(make_project, line, suppressed):
    result = run_cli(["--select", "DJH101", str(make_project({"mysite/settings.py": line + "\n"}))])
    assert ("DJH101" not in result.stdout) is suppressed


def test_a_rule_name_in_noqa_silences_that_rule_only(make_project):
    # One line, two problems: the name silences its own rule, never the other.
    root = make_project({"mysite/settings.py": 'DEBUG = True; ALLOWED_HOSTS = ["*"]  # noqa: allowed-hosts-wildcard\n'})
    result = run_cli(["--select", "DJH101,DJH104", "--no-cache", str(root)])
    assert "DJH104" in result.stdout and "DJH101" not in result.stdout, result.stdout


def test_unknown_and_unused_noqa_codes_are_reported_and_fixed(make_project):
    root = make_project(
        {
            "mysite/settings.py": 'ALLOWED_HOSTS = ["*"]  # noqa: DJH999\nSECRET_KEY = __import__("os").environ["K"]  # noqa: F401, DJH102\n' + LOGGING,
            "mysite/wsgi.py": 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")  # noqa: DJH108\n'
            "\nfrom django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n",
        }
    )
    result = run_cli(["--no-cache", "--output-format", "concise"], cwd=root)
    lines = [line for line in result.stdout.splitlines() if "DJH002" in line]
    assert lines == [
        "mysite/settings.py:1:24: DJH002 [*] `# noqa` that suppresses nothing (unknown: DJH999): remove it, or the codes it names",
        "mysite/settings.py:2:45: DJH002 [*] `# noqa` that suppresses nothing (unused: DJH102): remove it, or the codes it names",
        "mysite/wsgi.py:3:69: DJH002 [*] `# noqa` that suppresses nothing (unused: DJH108): remove it, or the codes it names",
    ], result.stdout
    run_cli(["--fix", "--no-cache", str(root)])
    assert (root / "mysite/settings.py").read_text() == 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = __import__("os").environ["K"]  # noqa: F401\n' + LOGGING
    assert (root / "mysite/wsgi.py").read_text().splitlines()[2] == 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")'
    assert "DJH002" not in run_cli(["--no-cache", str(root)]).stdout


def test_unused_noqa_in_a_crlf_module_and_silence_where_lines_are_in_doubt(make_project):
    crlf = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["x.example.com"]  # noqa: DJH101\r\nDEBUG = False\r\n' + LOGGING.replace("\n", "\r\n")}, subdir="crlf")
    run_cli(["--fix", "--no-cache", str(crlf)])
    assert (crlf / "mysite/settings.py").read_bytes() == b'ALLOWED_HOSTS = ["x.example.com"]\r\nDEBUG = False\r\n' + LOGGING.replace("\n", "\r\n").encode()
    # A form feed is a line break to str.splitlines, not to Python: no line number to trust.
    odd = make_project({"mysite/settings.py": 'X = 1\x0c\nALLOWED_HOSTS = ["x.example.com"]  # noqa: DJH101\n'}, subdir="odd")
    assert "DJH002" not in run_cli(["--no-cache", str(odd)]).stdout


def test_unused_noqa_judges_a_rule_left_out_by_select(make_project):
    # The noqa still silences DJH101, which --select leaves out: it is not unused.
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]  # noqa: DJH101\n'})
    assert run_cli(["--select", "DJH002", "--no-cache", str(root)]).exit_code == 0


def test_verbose_says_which_module_and_why(make_project):
    result = run_cli(["--verbose", str(make_project())])
    assert "judging settings module mysite.settings (mysite/settings.py): the DJANGO_SETTINGS_MODULE default in mysite/wsgi.py" in result.stderr


def test_rule_docs(make_project):
    result = run_cli(["rule", "DJH103"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# debug-env-not-bool (DJH103)")
    assert "## Why it breaks on Heroku" in result.stdout
    assert run_cli(["--explain", "debug-env-not-bool"]).stdout == result.stdout
    assert run_cli(["rule", "DJH999"]).exit_code == 2


def test_rule_list():
    lines = run_cli(["rule"]).stdout.splitlines()
    assert lines[0].split() == ["code", "name", "fix"]
    assert any(line.startswith("DJH501  sqlite-database") for line in lines)


def test_module_entry_point_and_version(make_project):
    out = subprocess.run([sys.executable, "-m", "django_heroku_lint", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("djhlint, version ")
    out = subprocess.run([sys.executable, "-m", "django_heroku_lint", str(make_project(HAZARDS))], capture_output=True, text=True)
    assert out.returncode == 1 and "DJH101" in out.stdout


def test_an_internal_error_is_one_line_without_verbose(make_project, monkeypatch):
    from django_heroku_lint.rules import djh101_allowed_hosts_wildcard as module

    def boom(self, ctx):
        raise RuntimeError("kaput")

    monkeypatch.setattr(module.AllowedHostsWildcard, "check", boom)
    result = run_cli([str(make_project())])
    assert result.exit_code == 2
    assert result.stderr.strip() == "djhlint: error: internal error: RuntimeError: kaput (run with --verbose for the traceback)"
    assert "Traceback" in run_cli(["--verbose", str(make_project())]).stderr


def test_a_check_run_is_asked_for_with_one_frozen_options_object(make_project, monkeypatch):
    """click builds one CheckOptions, a field per option of `djhlint check`, and hands it to commands.check."""
    import dataclasses

    from django_heroku_lint import cli, commands

    assert {p.name for p in cli.check.params} == {f.name for f in dataclasses.fields(commands.CheckOptions)}
    seen = []
    monkeypatch.setattr(commands, "check", lambda options: seen.append(options) or 0)
    assert run_cli(["--select", "DJH1,DJH3", "--output-format=json", "-q", "mysite"]).exit_code == 0
    assert seen == [commands.CheckOptions(paths=("mysite",), select=("DJH1,DJH3",), output_format="json", quiet=True)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        seen[0].fix = True


def test_exit_non_zero_on_fix_fails_when_the_fix_only_created_a_file(tmp_path):
    # The one fix writes .python-version from the runtime.txt in the package folder and
    # nothing remains: --fix alone exits 0, --exit-non-zero-on-fix exits 1 (as ruff's).
    tree = project_files({".python-version": None, "mysite/runtime.txt": "python-3.13.9\n"})
    plain, flagged = tmp_path / "plain", tmp_path / "flagged"
    write_tree(plain, tree)
    write_tree(flagged, tree)
    assert run_cli(["--fix", "--no-cache", str(plain)]).exit_code == 0
    result = run_cli(["--fix", "--exit-non-zero-on-fix", "--no-cache", str(flagged)])
    assert result.exit_code == 1, result.output
    assert (flagged / ".python-version").read_text() == "3.13\n"
    again = run_cli(["--fix", "--exit-non-zero-on-fix", "--no-cache", str(flagged)])
    assert again.exit_code == 0, again.output


def test_a_noqa_for_a_rule_per_file_ignores_silences_is_unused(make_project):
    root = make_project(
        {
            "mysite/settings.py": 'ALLOWED_HOSTS = ["*"]  # noqa: DJH101\n' + LOGGING,
            "pyproject.toml": '[tool.djhlint.per-file-ignores]\n"mysite/settings.py" = ["allowed-hosts-wildcard"]\n',
        }
    )
    assert diagnostics(root, cache=False) == [("DJH002", "mysite/settings.py", 1)]


# --------------------------------------------------------------------------- --show-settings


SHOW_SETTINGS_CONFIG = """\
[tool.djhlint]
settings-module = "mysite.settings"
ignore = ["DJH110", "whitenoise-missing"]
exclude = ["scripts/*"]

[tool.djhlint.per-file-ignores]
"Procfile" = ["DJH302"]
"""


def test_show_settings_prints_djhlints_resolved_configuration(make_project):
    """As ruff's `--show-settings`: the linter's configuration for the project, not the Django settings."""
    root = make_project({"pyproject.toml": SHOW_SETTINGS_CONFIG})
    result = run_cli(["--show-settings", "--select", "DJH1,DJH201"], cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Resolved settings for: .",
        "Settings path: pyproject.toml",
        "",
        'build-root = "."',
        'settings-module = "mysite.settings"  # settings-module in pyproject.toml',
        'select = ["DJH101", "DJH102", "DJH103", "DJH104", "DJH105", "DJH106", "DJH107", "DJH108", "DJH109", "DJH110", "DJH111", "DJH112", "DJH201"]',
        'ignore = ["DJH110", "whitenoise-missing"]',
        'exclude = ["scripts/*"]',
        'per-file-ignores = {"Procfile": ["DJH302"]}',
        'output-format = "concise"',
        'cache-dir = ".djhlint_cache"',
    ]
    assert "SECRET_KEY" not in result.stdout  # the Django settings are `djhlint settings`


def test_show_settings_names_the_guess_the_cache_and_json(make_project, tmp_path):
    root = make_project()
    result = run_cli(["--show-settings", "--no-cache", "--output-format", "json", str(root)], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    (shown,) = json.loads(result.stdout)
    assert shown["build_root"] == str(root) and shown["config_file"] is None
    assert shown["settings_module"] == "mysite.settings" and shown["settings_module_source"].startswith("found: ")
    assert shown["cache_dir"] is None and shown["output_format"] == "json" and "DJH002" in shown["select"]
    assert run_cli(["--show-settings", "--ignore", "DJH999", str(root)]).exit_code == 2  # a bad code, as a check run says
    lines = run_cli(["--show-settings", "--no-cache", "--output-format", "json-lines", str(root)], cwd=tmp_path).stdout.splitlines()
    assert [json.loads(line) for line in lines] == [{**shown, "output_format": "json-lines"}]


def test_show_settings_follows_the_configuration_options(make_project, tmp_path):
    """--show-settings resolves what a check run would: --isolated drops the file, --config
    names another, --extend-exclude adds to the configured patterns."""
    root = make_project({"pyproject.toml": SHOW_SETTINGS_CONFIG})
    isolated = json.loads(run_cli(["--show-settings", "--isolated", "--output-format", "json"], cwd=root).stdout)[0]
    assert isolated["config_file"] is None and isolated["exclude"] == [] and isolated["settings_module_source"].startswith("found: ")
    other = tmp_path / "other.toml"
    other.write_text('exclude = ["legacy"]\n')
    named = json.loads(run_cli(["--show-settings", "--config", str(other), "--extend-exclude", "old", "--output-format", "json"], cwd=root).stdout)[0]
    assert named["config_file"] == str(other) and named["exclude"] == ["legacy", "old"]


def test_help_says_what_show_settings_shows():
    result = run_cli(["check", "--help"])
    assert "resolved configuration" in " ".join(result.stdout.split())


# --------------------------------------------------------------------------- --show-fixes and --output-file

# Two safe fixes in two files: the web process gets --log-file -, runtime.txt becomes .python-version.
FIXABLE = {"Procfile": "web: gunicorn mysite.wsgi\nrelease: python manage.py migrate --no-input\n", ".python-version": None, "runtime.txt": "python-3.12.7\n"}
FIXES_BY_FILE = ["- Procfile:", "    1 × DJH302 (procfile-log-file-missing)", "- runtime.txt:", "    1 × DJH402 (runtime-txt-deprecated)"]


def test_show_fixes_lists_what_fix_fixed_per_file_as_ruff_does(make_project):
    root = make_project(FIXABLE)
    result = run_cli(["--no-cache", "--fix", "--show-fixes"], cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["Fixed 2 problems:", *FIXES_BY_FILE, "Found 2 problems (2 fixed, 0 remaining)."]
    assert (root / ".python-version").read_text() == "3.12\n"


def test_show_fixes_without_fix_lists_what_fix_would_fix(make_project):
    root = make_project(FIXABLE)
    result = run_cli(["--no-cache", "--show-fixes"], cwd=root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Would fix 2 problems:", *FIXES_BY_FILE, "Found 2 problems in 2 files.", "[*] 2 fixable with the `--fix` option."]
    diff = run_cli(["--no-cache", "--diff", "--show-fixes"], cwd=root)
    assert diff.exit_code == 1 and diff.stderr.splitlines() == ["Would fix 2 problems:", *FIXES_BY_FILE]
    assert (root / "runtime.txt").exists()  # nothing written
    replayed = run_cli(["--show-fixes"], cwd=root), run_cli(["--show-fixes"], cwd=root)
    assert replayed[0].stderr == replayed[1].stderr == result.stderr
    assert run_cli([], cwd=root).stderr.splitlines()[0] == "Found 2 problems in 2 files."  # a replay keyed without --show-fixes


def test_output_file_takes_the_report_and_the_summary(make_project, tmp_path):
    root = make_project(FIXABLE)
    target = tmp_path / "reports" / "djhlint.json"  # its folder is created, as ruff does
    result = run_cli(["--no-cache", "--output-format", "json", "--output-file", str(target)], cwd=root)
    assert result.exit_code == 1  # the exit code is unchanged
    assert result.stdout == "" and result.stderr == ""
    text = target.read_text()
    report, summary = text.split("\n]\n")
    assert [item["code"] for item in json.loads(report + "]")] == ["DJH302", "DJH402"]
    assert summary == "Found 2 problems in 2 files.\n[*] 2 fixable with the `--fix` option.\n"
    assert run_cli(["--quiet", "--output-file", str(target)], cwd=root).exit_code == 1
    assert target.read_text().splitlines()[0].startswith("Procfile:1:6: DJH302")  # overwritten, not appended to
    fixed = run_cli(["--fix", "--output-file", str(target)], cwd=root)
    assert fixed.exit_code == 0 and target.read_text() == "Found 2 problems (2 fixed, 0 remaining).\n"


def test_an_output_file_that_is_a_link_is_not_followed(make_project, tmp_path):
    """A repository may commit report.txt as a link to a file of the user's: a CI run
    writing its report there must not overwrite that file."""
    import os

    root = make_project(FIXABLE)
    victim = tmp_path / "victim.sh"
    victim.write_text("echo keep me\n")
    os.symlink(victim, root / "report.txt")
    script = "import sys; from django_heroku_lint.entry import main; sys.argv[0] = 'djhlint'; main()"
    run = subprocess.run([sys.executable, "-c", script, "--no-cache", "--output-file", "report.txt"], cwd=root, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and victim.read_text() == "echo keep me\n"
    (line,) = run.stderr.splitlines()
    assert line == "djhlint: error: cannot write the output: report.txt: a symbolic link, not followed: remove it or name another file"


def test_an_output_file_nobody_reads_or_that_cannot_be_made_is_a_one_line_error(make_project, tmp_path):
    import os

    root = make_project(FIXABLE)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "file").write_text("")
    script = "import sys; from django_heroku_lint.entry import main; sys.argv[0] = 'djhlint'; main()"
    for path in (fifo, tmp_path / "file" / "report.txt"):
        # A FIFO with no reader used to block forever: a time limit fails a regression.
        run = subprocess.run([sys.executable, "-c", script, "--no-cache", "--output-file", str(path), str(root)], capture_output=True, text=True, timeout=20)
        assert run.returncode == 2 and run.stdout == ""
        (line,) = run.stderr.splitlines()
        assert line.startswith("djhlint: error: cannot write the output: ") and str(path) in line


def test_a_stored_output_is_not_replayed_once_a_file_it_quotes_changed(make_project):
    """A misnamed Runtime.txt is flagged by its name and never read by the rules; the full
    format quotes its line, so its bytes are an input of the stored output all the same."""
    root = make_project({"Runtime.txt": "python-3.12.1\n"})
    first = run_cli(["--output-format", "full", str(root)])
    assert "DJH403" in first.stdout and "python-3.12.1" in first.stdout
    assert run_cli(["--output-format", "full", str(root)]).stdout == first.stdout  # replayed
    (root / "Runtime.txt").write_text("python-3.13.7\n")
    again = run_cli(["--output-format", "full", str(root)]).stdout
    assert "python-3.13.7" in again and "python-3.12.1" not in again
