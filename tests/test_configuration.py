"""Where the configuration comes from (``[tool.djhlint]``, ``djhlint.toml``, ``--config``,
``--isolated``), and what ``exclude`` leaves out."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django_heroku_lint.rules._baseline import project_files

from .helpers import codes, diagnostics, git, run_cli, snapshot, write_tree

# Two problems in two places: a wildcard ALLOWED_HOSTS in the settings (DJH101) and a web
# process that does not send gunicorn's log to stdout (DJH302, which has a fix).
HAZARDS = {
    "mysite/settings.py": project_files({})["mysite/settings.py"].replace(
        'ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost", cast=Csv())', 'ALLOWED_HOSTS = ["*"]'
    ),
    "Procfile": "web: gunicorn mysite.wsgi\nrelease: python manage.py migrate --no-input\n",
}


def json_codes(args: list[str], cwd: Path | None = None) -> list[str]:
    """The codes djhlint reports, sorted: DJH101 is in mysite/settings.py, DJH302 in the Procfile."""
    result = run_cli(["--output-format", "json", "--no-cache", *args], cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    return sorted(item["code"] for item in json.loads(result.stdout))


def monorepo(root: Path, top: dict[str, str], backend: dict[str, str | None] | None = None) -> Path:
    """A git repository whose Django project and build live in ``backend/``, with ``top``
    (configuration files, say) at the repository's top."""
    files = {f"backend/{name}": text for name, text in project_files({**HAZARDS, **(backend or {})}).items() if text is not None}
    write_tree(root, {"README.md": "The backend is deployed with git subtree push --prefix backend heroku main\n", **files, **top})
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root / "backend"


# ---------------------------------------------------------------- exclude only removes reports


def test_excluding_the_django_project_folder_does_not_make_its_wsgi_module_missing(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nexclude = ["mysite/*"]\n'})
    # The Procfile's mysite.wsgi is still there for the layout rules (no DJH306), and
    # only the diagnostics in mysite/ are dropped.
    assert diagnostics(root, cache=False) == [("DJH302", "Procfile", 1)]


def test_excluding_a_misnamed_procfile_does_not_make_the_procfile_missing(make_project):
    root = make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n", "pyproject.toml": '[tool.djhlint]\nexclude = ["Procfile.txt"]\n'})
    assert codes(root, cache=False) == []  # no DJH303 "no Procfile", and DJH301 on Procfile.txt is excluded


def test_a_fix_never_touches_an_excluded_file(make_project):
    # DJH402's fix renames runtime.txt to .python-version: the new name is excluded.
    root = make_project({".python-version": None, "runtime.txt": "python-3.13.9\n", "pyproject.toml": '[tool.djhlint]\nexclude = [".python-version"]\n'})
    before = snapshot(root)
    result = run_cli(["--fix", "--no-cache", str(root)])
    assert snapshot(root) == before
    assert "DJH402" in result.stdout


def test_the_fixes_of_other_files_are_applied(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nexclude = ["mysite"]\n'})
    run_cli(["--fix", "--no-cache", str(root)])
    assert (root / "Procfile").read_text().startswith("web: gunicorn mysite.wsgi --log-file -\n")
    assert 'ALLOWED_HOSTS = ["*"]' in (root / "mysite" / "settings.py").read_text()


def test_exclude_on_the_command_line_replaces_the_configured_one_and_extend_exclude_adds(make_project):
    root = make_project({**HAZARDS, "pyproject.toml": '[tool.djhlint]\nexclude = ["mysite/*"]\n'})
    assert json_codes([str(root)]) == ["DJH302"]
    assert json_codes(["--exclude", "Procfile", "."], cwd=root) == ["DJH101"]
    assert json_codes(["--extend-exclude", "Procfile", "."], cwd=root) == []
    assert json_codes(["--exclude", "Procfile,mysite", "."], cwd=root) == []


def test_exclude_on_the_command_line_is_relative_to_the_current_folder(make_project):
    root = make_project(HAZARDS)
    parent = root.parent
    assert json_codes(["--exclude", f"{root.name}/mysite/*", root.name], cwd=parent) == ["DJH302"]
    assert json_codes(["--exclude", "mysite/*", root.name], cwd=parent) == ["DJH101", "DJH302"]  # no mysite/ in the current folder


def test_a_build_root_that_exclude_matches_is_not_linted(tmp_path):
    for service in ("one", "legacy"):
        write_tree(tmp_path / "services" / service, project_files(HAZARDS))
    write_tree(tmp_path, {"djhlint.toml": 'exclude = ["services/legacy"]\n'})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    result = run_cli(["--output-format", "json", "--no-cache", "-v", str(tmp_path)])
    one = str(tmp_path.resolve() / "services" / "one") + os.sep
    assert sorted(item["code"] for item in json.loads(result.stdout) if item["filename"].startswith(one)) == ["DJH101", "DJH302"]
    assert len(json.loads(result.stdout)) == 2
    assert f"project {tmp_path.resolve() / 'services' / 'legacy'}: excluded, not linted" in result.stderr
    assert result.stderr.count("judging settings module") == 1  # the other project's model is never built


def test_a_project_whose_every_file_is_excluded_is_not_linted(make_project):
    root = make_project(HAZARDS)
    result = run_cli(["--exclude", "*", "--no-cache", str(root)])
    assert result.exit_code == 0 and result.stdout == ""


# ---------------------------------------------------------------- where the configuration comes from


def test_the_repository_top_configures_a_build_root_in_a_subfolder(tmp_path):
    backend = monorepo(tmp_path, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'})
    assert diagnostics(backend, cache=False) == [("DJH302", "Procfile", 1)]


def test_a_pyproject_without_a_djhlint_table_is_passed_over(tmp_path):
    backend = monorepo(tmp_path, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'}, {"pyproject.toml": "[tool.black]\nline-length = 100\n"})
    assert diagnostics(backend, cache=False) == [("DJH302", "Procfile", 1)]


def test_the_nearest_configuration_wins(tmp_path):
    backend = monorepo(tmp_path, {"djhlint.toml": 'ignore = ["DJH101"]\n'}, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH302"]\n'})
    assert diagnostics(backend, cache=False) == [("DJH101", "mysite/settings.py", 10)]


def test_in_one_folder_djhlint_toml_wins_over_pyproject_and_dot_djhlint_toml_over_both(tmp_path):
    backend = monorepo(tmp_path, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH302"]\n', "djhlint.toml": 'ignore = ["DJH101"]\n'})
    assert diagnostics(backend, cache=False) == [("DJH302", "Procfile", 1)]
    (tmp_path / ".djhlint.toml").write_text('select = ["DJH4"]\n')
    assert diagnostics(backend, cache=False) == []


def test_exclude_in_a_configuration_above_the_build_root_is_relative_to_its_folder(tmp_path):
    backend = monorepo(tmp_path, {"djhlint.toml": 'exclude = ["backend/mysite/*"]\n'})
    assert diagnostics(backend, cache=False) == [("DJH302", "Procfile", 1)]
    (tmp_path / "djhlint.toml").write_text('exclude = ["mysite/*"]\n')  # the repository has no mysite/ at its top
    assert sorted(code for code, _, _ in diagnostics(backend, cache=False)) == ["DJH101", "DJH302"]


def test_per_file_ignores_above_the_build_root_are_relative_to_its_folder(tmp_path):
    backend = monorepo(tmp_path, {"pyproject.toml": '[tool.djhlint.per-file-ignores]\n"backend/Procfile" = ["DJH302"]\n'})
    assert diagnostics(backend, cache=False) == [("DJH101", "mysite/settings.py", 10)]


def test_a_configuration_above_the_repository_is_not_read(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'})
    backend = monorepo(tmp_path / "repo", {})
    assert sorted(code for code, _, _ in diagnostics(backend, cache=False)) == ["DJH101", "DJH302"]


def test_outside_git_only_the_build_root_configuration_is_read(tmp_path):
    write_tree(tmp_path, {"djhlint.toml": 'ignore = ["DJH101"]\n'})
    root = write_tree(tmp_path / "proj", project_files(HAZARDS))
    assert sorted(code for code, _, _ in diagnostics(root, cache=False)) == ["DJH101", "DJH302"]


def test_verbose_names_the_configuration_file(tmp_path):
    backend = monorepo(tmp_path, {"djhlint.toml": 'ignore = ["DJH101"]\n'})
    result = run_cli(["-v", "--no-cache", str(backend)])
    assert f"configuration file: {tmp_path.resolve() / 'djhlint.toml'}" in result.stderr
    assert "configuration file: none (--isolated)" in run_cli(["-v", "--no-cache", "--isolated", str(backend)]).stderr


def test_config_names_the_file_to_use(tmp_path):
    backend = monorepo(tmp_path / "repo", {"djhlint.toml": 'ignore = ["DJH101"]\n'})
    write_tree(tmp_path / "ci", {"strict.toml": 'ignore = ["DJH302"]\n', "pyproject.toml": '[tool.djhlint]\nselect = ["DJH3"]\n'})
    assert json_codes(["--config", str(tmp_path / "ci" / "strict.toml"), str(backend)]) == ["DJH101"]
    assert json_codes(["--config", str(tmp_path / "ci" / "pyproject.toml"), str(backend)]) == ["DJH302"]
    # Its exclude patterns are relative to its folder.
    (tmp_path / "ci" / "strict.toml").write_text('exclude = ["../repo"]\n')  # outside its folder: matches nothing
    assert json_codes(["--config", str(tmp_path / "ci" / "strict.toml"), str(backend)]) == ["DJH101", "DJH302"]
    (tmp_path / "ci.toml").write_text('exclude = ["repo/backend/mysite"]\n')
    assert json_codes(["--config", "ci.toml", "repo/backend"], cwd=tmp_path) == ["DJH302"]


def test_isolated_ignores_every_configuration_file(tmp_path):
    backend = monorepo(tmp_path, {"djhlint.toml": 'ignore = ["DJH101"]\n'}, {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH302"]\nexclude = ["mysite"]\n'})
    assert json_codes([str(backend)]) == []
    assert json_codes(["--isolated", str(backend)]) == ["DJH101", "DJH302"]


def test_settings_reads_the_configuration_file_named(make_project, tmp_path):
    root = make_project({})
    (tmp_path / "other.toml").write_text('settings-module = "mysite.nothere"\n')
    result = run_cli(["settings", "--config", str(tmp_path / "other.toml"), str(root)])
    assert result.exit_code == 2 and "settings module 'mysite.nothere' was not found" in result.stderr
    assert run_cli(["settings", "--isolated", str(root)]).exit_code == 0


def one_line_error(result, *parts: str) -> None:
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("djhlint: error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for part in parts:
        assert part in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_options_are_one_line_errors(make_project, tmp_path):
    root = make_project({})
    one_line_error(run_cli(["--config", str(tmp_path / "missing.toml"), str(root)]), "missing.toml: no such configuration file")
    os.mkfifo(tmp_path / "fifo.toml")
    one_line_error(run_cli(["--config", str(tmp_path / "fifo.toml"), str(root)]), "fifo.toml: not a regular file")
    (tmp_path / "bad.toml").write_text('select = "DJH1"\n')
    one_line_error(run_cli(["--config", str(tmp_path / "bad.toml"), str(root)]), "bad.toml: select must be a list of strings")
    (tmp_path / "bad.toml").write_text('selct = ["DJH1"]\n')
    one_line_error(run_cli(["--config", str(tmp_path / "bad.toml"), str(root)]), "bad.toml: unknown key 'selct'")
    one_line_error(run_cli(["--config", str(tmp_path / "bad.toml"), "--isolated", str(root)]), "--config and --isolated cannot be used together")


def test_a_hostile_configuration_above_the_build_root_is_a_one_line_error(tmp_path):
    outside = tmp_path / "token.toml"
    outside.write_text('ignore = ["DJH101"]\n')
    backend = monorepo(tmp_path / "repo", {})
    (tmp_path / "repo" / "djhlint.toml").symlink_to(outside)
    one_line_error(run_cli(["--no-cache", str(backend)]), "djhlint.toml: a link that leaves the project")
    (tmp_path / "repo" / "djhlint.toml").unlink()
    (tmp_path / "repo" / "djhlint.toml").write_text("select = [\n")
    one_line_error(run_cli(["--no-cache", str(backend)]), f"{tmp_path / 'repo' / 'djhlint.toml'}: invalid TOML")


def test_a_fifo_or_a_huge_configuration_above_the_build_root_never_hangs(tmp_path):
    """A FIFO named like a configuration file is passed over (the next one found applies);
    a huge one is a one-line error.  A child process with a time limit: a hang fails."""
    from .test_robustness import run_djhlint

    backend = monorepo(tmp_path / "repo", {"pyproject.toml": '[tool.djhlint]\nignore = ["DJH101"]\n'})
    os.mkfifo(tmp_path / "repo" / "djhlint.toml")
    run = run_djhlint(["--no-cache", str(backend)], tmp_path, timeout=30)
    assert run.code == 1 and b"DJH101" not in run.stdout and b"DJH302" in run.stdout, run.stderr
    (tmp_path / "repo" / "djhlint.toml").unlink()
    (tmp_path / "repo" / "djhlint.toml").write_text("# " + "x" * (11 * 1024 * 1024) + "\n")
    run = run_djhlint(["--no-cache", str(backend)], tmp_path, timeout=30)
    assert run.code == 2 and "djhlint.toml: file is too large to read" in run.stderr and len(run.stderr.splitlines()) == 1, run.stderr


def test_a_changed_configuration_above_the_build_root_is_not_replayed(tmp_path):
    backend = monorepo(tmp_path, {"djhlint.toml": 'ignore = ["DJH101"]\n'})
    first = run_cli([str(backend)])
    assert "DJH302" in first.stdout and "DJH101" not in first.stdout
    (tmp_path / "djhlint.toml").write_text('ignore = ["DJH302"]\n')
    second = run_cli([str(backend)])
    assert "DJH101" in second.stdout and "DJH302" not in second.stdout
    (tmp_path / ".djhlint.toml").write_text('select = ["DJH4"]\n')  # a new file, nearer in its folder
    assert run_cli([str(backend)]).stdout == ""


def test_the_help_of_check_and_settings_shows_the_configuration_options():
    check = run_cli(["check", "--help"]).stdout
    for option in ("--config PATH", "--isolated", "--exclude PATTERNS", "--extend-exclude PATTERNS"):
        assert option in check
    for command in ("settings", "env"):
        shown = run_cli([command, "--help"]).stdout
        assert "--config PATH" in shown and "--isolated" in shown, command


def test_env_reads_the_configuration_file_named(tmp_path):
    """`djhlint env` judges the settings module the configuration names, as check does."""
    root = write_tree(
        tmp_path / "app",
        {
            "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
            "mysite/__init__.py": "",
            "mysite/settings.py": 'import os\nDEBUG = os.environ.get("DEBUG_DEV")\n',
            "mysite/prod.py": 'import os\nSECRET_KEY = os.environ["PROD_SECRET"]\n',
        },
    )
    config = tmp_path / "djhlint.toml"
    config.write_text('settings-module = "mysite.prod"\n')
    named = run_cli(["env", "--no-cache", "--config", str(config), str(root)]).stdout
    assert "PROD_SECRET" in named and "DEBUG_DEV" not in named
    isolated = run_cli(["env", "--no-cache", "--isolated", str(root)]).stdout
    assert "DEBUG_DEV" in isolated and "PROD_SECRET" not in isolated


def test_exclude_and_per_file_ignores_read_a_pattern_alike_as_ruff_does(make_project):
    """One matcher for both: `/**/` may match no folder (`mysite/**/base.py` is
    `mysite/base.py` too), and a pattern with a `/` starts at the configuration's folder
    (`settings/base.py` is not `mysite/settings/base.py`)."""
    files = {
        "mysite/settings.py": 'from .base import *  # noqa: F403\n',
        "mysite/base.py": 'DEBUG = True\nALLOWED_HOSTS = ["*"]\n',
    }
    root = make_project(files)
    assert {"DJH104", "DJH101"} <= {code for code, file, _ in diagnostics(root, cache=False) if file == "mysite/base.py"}
    for table in ('exclude = ["mysite/**/base.py"]\n', '[per-file-ignores]\n"mysite/**/base.py" = ["DJH104", "DJH101"]\n'):
        (root / "djhlint.toml").write_text(table)
        assert [each for each in diagnostics(root, cache=False) if each[1] == "mysite/base.py"] == [], table
    (root / "djhlint.toml").write_text('[per-file-ignores]\n"base.py" = ["DJH104"]\n"settings/base.py" = ["DJH101"]\n')
    assert {code for code, file, _ in diagnostics(root, cache=False) if file == "mysite/base.py"} >= {"DJH101"}
    assert "DJH104" not in {code for code, file, _ in diagnostics(root, cache=False) if file == "mysite/base.py"}


def test_a_replay_reads_no_file_that_is_not_an_input(tmp_path, monkeypatch):
    """The configuration files are in the replay's key, and the files the run read are in
    its entry: a warm run of a project configured by djhlint.toml, with no pyproject.toml,
    does not look for one, and reads djhlint.toml once, for the key."""
    from django_heroku_lint.discover import projects

    root = write_tree(tmp_path, project_files({**HAZARDS, "djhlint.toml": 'ignore = ["DJH101"]\n'}))
    first = run_cli([str(root)])
    reads: list[str] = []
    read_file = projects.read_file
    monkeypatch.setattr(projects, "read_file", lambda path, *args, **kwargs: reads.append(Path(path).name) or read_file(path, *args, **kwargs))
    second = run_cli([str(root)])
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr) and "DJH302" in second.stdout
    assert "pyproject.toml" not in reads and reads.count("djhlint.toml") == 1
    (root / "djhlint.toml").write_text('ignore = ["DJH302"]\n')
    assert "DJH101" in run_cli([str(root)]).stdout
