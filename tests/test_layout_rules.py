"""The parse stage behind the layout rules: Procfile lines, version files, entry points,
imports of the settings chain; and the rules' behaviour on trees the examples do not show."""

from __future__ import annotations

import dataclasses

import pytest

from django_heroku_lint.read.config import Config
from django_heroku_lint.discover.projects import find_projects
from django_heroku_lint.engine import Options, build_context, lint
from django_heroku_lint.read.layout import Layout, misnamed_version_files
from django_heroku_lint.read.procfile import parse_procfile
from django_heroku_lint.read.pythons import DEPRECATED, END_OF_LIFE, SUPPORTED, parse_version, recommended, status
from django_heroku_lint.rules._baseline import project_files
from django_heroku_lint.rules.registry import ALL_RULES

from .helpers import codes, diagnostics, write_tree


def context(make_project, files):
    (project,) = find_projects([str(make_project(files))])
    return build_context(project, Config())[0]


def found(make_project, files, *codes):
    return [(c, path, line) for c, path, line in diagnostics(make_project(files), select=list(codes))]


def messages(make_project, files, code):
    return [d.message for d in lint(Options(paths=[str(make_project(files))], select=[code])).diagnostics]


# ---------------------------------------------------------------- Procfile lines


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("web gunicorn mysite.wsgi", "no `name:`"),
        ("  web: gunicorn mysite.wsgi", "indented"),
        ("heroku ps:scale web=1", "shell command (`heroku`)"),
        ("$ gunicorn mysite.wsgi", "shell command (`gunicorn`)"),
        ("git push heroku main", "shell command (`git`)"),
        ("web.1: gunicorn mysite.wsgi", "`web.1` is not a process name"),
        ("PYTHONPATH=src gunicorn mysite.wsgi:application", "no `name:`"),
        ("web:", "no command after `web:`"),
        ("import os", "no `name:`"),
    ],
)
def test_bad_procfile_lines(line, reason):
    procfile = parse_procfile("Procfile", f"# comment\n\n{line}\n")
    (bad,) = procfile.bad_lines
    assert bad.line == 3 and reason in bad.reason


def test_good_procfile_lines_are_not_bad():
    procfile = parse_procfile("Procfile", "\ufeffweb: gunicorn mysite.wsgi\r\nrelease:python manage.py migrate\r\n\r\n# worker: celery\r\n")
    assert procfile.bad_lines == []
    assert [p.name for p in procfile.processes] == ["web", "release"]


def test_app_span_chdir_and_pythonpath():
    line = "web: cd src && gunicorn --chdir app --pythonpath lib,vendor mysite.wsgi:application --log-file -"
    (web,) = parse_procfile("Procfile", line + "\n").processes
    assert web.chdir == "src/app"
    assert web.pythonpath == ("lib", "vendor")
    assert web.app_module == "mysite.wsgi"
    assert line[web.app_span.col - 1 : web.app_span.end_col - 1] == "mysite.wsgi:application"


def test_empty_command_and_duplicates_are_malformed(make_project):
    files = {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nworker:\nworker: celery -A mysite worker\n"}
    assert found(make_project, files, "DJH305") == [("DJH305", "Procfile", 2)]
    files["Procfile"] += "worker: celery -A mysite beat\n"
    assert found(make_project, files, "DJH305") == [("DJH305", "Procfile", 2), ("DJH305", "Procfile", 4)]


def test_release_running_runserver(make_project):
    files = {"Procfile": "release: python manage.py runserver 0.0.0.0:$PORT\nweb: gunicorn mysite.wsgi --log-file -\n"}
    assert found(make_project, files, "DJH305") == [("DJH305", "Procfile", 1)]


def test_an_empty_procfile_has_no_web(make_project):
    assert found(make_project, {"Procfile": ""}, "DJH304", "DJH303") == [("DJH304", "Procfile", 1)]


def test_a_misnamed_procfile_is_left_to_djh301(make_project):
    files = {"Procfile": None, "Procfile.txt": "worker: celery -A mysite worker\n"}
    assert found(make_project, files, "DJH301", "DJH303", "DJH304") == [("DJH301", "Procfile.txt", 1)]


def test_missing_procfile_suggests_the_project_folder(tmp_path):
    files = {f"backend/{k}": v for k, v in project_files({}).items() if k not in ("Procfile", ".python-version", "requirements.txt")}
    files.update({".python-version": "3.13\n", "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\n"})
    write_tree(tmp_path, files)
    (diagnostic,) = lint(Options(paths=[str(tmp_path)], select=["DJH303"])).diagnostics
    assert '"web: gunicorn mysite.wsgi --chdir backend --log-file -"' in diagnostic.message


# ---------------------------------------------------------------- DJH306 where the command runs


@pytest.mark.parametrize(
    "procfile",
    [
        "web: cd backend && gunicorn mysite.wsgi --log-file -",
        "web: gunicorn --chdir /app/backend mysite.wsgi --log-file -",
        "web: gunicorn --pythonpath backend mysite.wsgi --log-file -",
        "web: PYTHONPATH=backend gunicorn mysite.wsgi --log-file -",
        "web: uvicorn --app-dir backend mysite.asgi:application",
        "web: gunicorn --chdir $APP_DIR mysite.wsgi --log-file -",
        "web: gunicorn some_installed_package.app --log-file -",
    ],
)
def test_module_found_or_not_judged(tmp_path, procfile):
    files = {f"backend/{k}": v for k, v in project_files({}).items() if k not in ("Procfile", ".python-version", "requirements.txt")}
    files.update({"backend/mysite/asgi.py": "", "Procfile": procfile + "\n", "requirements.txt": "django\n"})
    write_tree(tmp_path, files)
    assert diagnostics(tmp_path, select=["DJH306"]) == []


def test_module_beside_a_wrong_chdir(make_project):
    msgs = messages(make_project, {"Procfile": "web: gunicorn --chdir src mysite.wsgi --log-file -\n"}, "DJH306")
    assert msgs == ["mysite.wsgi does not exist where the web process runs (in src/): the dyno crashes at boot (H10); it is at the build root: drop the folder change"]


# ---------------------------------------------------------------- version files


def test_version_file_facts(make_project):
    ctx = context(make_project, {".python-version": b"\xef\xbb\xbf3.13\n", "runtime.txt": "python-3.13.1\n".encode("utf-16")})
    python_version = ctx.version_files[".python-version"]
    assert python_version.bom and python_version.versions[0][0] == "3.13"
    assert "UTF-16" in ctx.version_files["runtime.txt"].encoding_error
    assert any(e.span.file == "runtime.txt" for e in ctx.parse_errors)  # DJH000 still reports it


def test_misnamed_version_files():
    assert misnamed_version_files([".python-version.txt", "python-version", ".python-version ", "runtime.text", "Runtime.txt", "manage.py"]) == [
        ".python-version.txt",
        "python-version",
        ".python-version ",
        "runtime.text",
        "Runtime.txt",
    ]
    assert misnamed_version_files([".python-version", ".python-version.txt"]) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "holds no version"),
        ("# nothing\n", "holds no version"),
        ('"3.13"\n', "quoted"),
        ("3.13.*\n", "wildcard"),
        ("3\n", 'holds "3"'),
        ("Python 3.13\n", "python prefix"),
    ],
)
def test_python_version_formats(make_project, text, problem):
    (message,) = messages(make_project, {".python-version": text}, "DJH403")
    assert problem in message


def test_inline_comment_after_the_version_is_accepted(make_project):
    assert found(make_project, {".python-version": "3.13  # latest\n"}, "DJH403", "DJH404") == []


def test_runtime_txt_wins_over_python_version(make_project):
    files = {"runtime.txt": "python-3.9.20\n", ".python-version": "3.13\n"}
    assert found(make_project, files, "DJH404") == [("DJH404", "runtime.txt", 1)]
    assert found(make_project, {"runtime.txt": "python-3.13.1\n", ".python-version": "3.9\n"}, "DJH404") == []


def test_an_invalid_file_is_not_judged_for_support(make_project):
    assert found(make_project, {".python-version": "python-3.9\n"}, "DJH404") == []


def test_runtime_txt_with_uv(make_project):
    (message,) = messages(make_project, {".python-version": None, "runtime.txt": "python-3.13\n", "uv.lock": "version = 1\n"}, "DJH402")
    assert "with uv.lock it already is one" in message and "holding 3.13" in message


def test_runtime_txt_beside_a_python_version(make_project):
    (message,) = messages(make_project, {"runtime.txt": "python-3.12.7\n", ".python-version": "3.13\n"}, "DJH402")
    assert message.endswith("delete runtime.txt (Heroku then builds the 3.13 of .python-version)")


@pytest.mark.parametrize(
    ("pinned", "written", "applicability"),
    [
        ("3.10", "3.10", "safe"),  # deprecated, still built: the author's choice
        ("3.9", "3.11", "unsafe"),  # no longer built: the oldest supported
        ("3.7", "3.11", "unsafe"),  # older than the table's rows
        ("3.99", "3.14", "unsafe"),  # newer than the table: not built yet
    ],
)
def test_python_version_missing_fix_follows_the_pin(make_project, pinned, written, applicability):
    root = make_project({".python-version": None, "mysite/.python-version": f"{pinned}\n"})
    (diagnostic,) = lint(Options(paths=[str(root)], select=["DJH401"])).diagnostics
    assert diagnostic.fix is not None and diagnostic.fix.applicability == applicability
    assert [edit.content for edit in diagnostic.fix.edits] == [f"{written}\n"]


def test_python_table():
    assert status(3, 9).status == END_OF_LIFE
    assert status(2, 7).status == END_OF_LIFE
    assert status(3, 10).status == DEPRECATED and status(3, 10).date == "2027-01-06"
    assert status(3, 14).status == SUPPORTED
    assert status(3, 99) is None
    assert recommended() == "3.14"
    assert parse_version("3.12.4") == (3, 12) and parse_version("python-3.12") is None


# ---------------------------------------------------------------- wsgi defaults and who sets the module

SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": "DEBUG = False\n",
    "mysite/settings/dev.py": "from .base import *\n",
    "mysite/settings/production.py": "from .base import *\n",
    "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")\n',
}


def test_entry_point_facts(make_project):
    ctx = context(make_project, SPLIT)
    (entry,) = ctx.entry_points
    assert (entry.path, entry.settings_default, entry.production_module) == ("mysite/wsgi.py", "mysite.settings.dev", "mysite.settings.production")
    assert (entry.settings_span.line, entry.settings_span.col) == (2, 50)
    assert ctx.settings.module == "mysite.settings.production"  # still judged, as before


@pytest.mark.parametrize(
    ("extra", "silent"),
    [
        ({}, False),
        ({".profile": "export DJANGO_SETTINGS_MODULE=mysite.settings.production\n"}, True),
        ({"gunicorn.conf.py": 'raw_env = ["DJANGO_SETTINGS_MODULE=mysite.settings.production"]\n'}, True),
        (
            {"conf/web.py": 'raw_env = ["DJANGO_SETTINGS_MODULE=mysite.settings.production"]\n', "Procfile": "web: gunicorn -c conf/web.py mysite.wsgi --log-file -\n"},
            True,
        ),
        ({"Procfile": "web: DJANGO_SETTINGS_MODULE=mysite.settings.production gunicorn mysite.wsgi --log-file -\n"}, True),
    ],
)
def test_settings_module_set_elsewhere(make_project, extra, silent):
    result = found(make_project, {**SPLIT, **extra}, "DJH108")
    assert result == ([] if silent else [("DJH108", "mysite/wsgi.py", 2)])


def test_noqa_in_wsgi_py(make_project):
    wsgi = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")  # noqa: DJH108\n'
    assert found(make_project, {**SPLIT, "mysite/wsgi.py": wsgi}, "DJH108") == []


# ---------------------------------------------------------------- the settings chain's imports


def test_imports_and_django_heroku_calls_of_the_chain(make_project):
    ctx = context(
        make_project,
        {
            **SPLIT,
            "mysite/settings/base.py": "import os\nimport django_heroku\ntry:\n    import sentry_sdk\nexcept ImportError:\n    pass\nif os.environ.get('X'):\n    import redis\ndjango_heroku.settings(locals())\n",
            "mysite/settings/production.py": "from .base import *\nfrom decouple import config\nfrom . import dev\n",
        },
    )
    imports = [(i.module, i.span.file, i.span.line, i.guarded) for i in ctx.settings.imports]
    assert imports == [
        ("os", "mysite/settings/base.py", 1, False),
        ("django_heroku", "mysite/settings/base.py", 2, False),
        ("sentry_sdk", "mysite/settings/base.py", 4, True),
        ("redis", "mysite/settings/base.py", 8, True),
        ("decouple", "mysite/settings/production.py", 2, False),
    ]
    assert [(s.file, s.line) for s in ctx.settings.django_heroku_calls] == [("mysite/settings/base.py", 9)]


def test_staticfiles_storage_set_by_django_heroku_is_left_to_djh604(make_project):
    files = {"mysite/settings.py": "import django_heroku\nDEBUG = False\ndjango_heroku.settings(locals())\n"}
    assert found(make_project, files, "DJH204", "DJH604") == [("DJH604", "mysite/settings.py", 3)]


# ---------------------------------------------------------------- other repository facts


def test_buildpacks_and_app_json(make_project):
    ctx = context(
        make_project,
        {"app.json": '{"env": {"A": "1", "B": {"value": "2"}}, "buildpacks": [{"url": "heroku/python"}]}', ".buildpacks": "# multi\nhttps://github.com/heroku/heroku-buildpack-python\n"},
    )
    assert ctx.app_json_env == {"A": "1", "B": "2"}
    assert ctx.app_json_buildpacks == ["heroku/python"]
    assert ctx.buildpacks_file == ["https://github.com/heroku/heroku-buildpack-python"]


def test_dotenv_templates_are_not_secrets(make_project):
    files = {".gitignore": "*.pyc\n", ".env.example": "X=\n", ".env.sample": "X=\n", ".env.test": "X=\n", ".env.production": "X=1\nSECRET_KEY=1\n"}
    assert found(make_project, files, "DJH603") == [("DJH603", ".env.production", 1)]


def test_staticfiles_storage_with_storages_already_set(make_project):
    files = {
        "mysite/settings.py": 'STATICFILES_STORAGE = "x.Y"\nSTORAGES = {"default": {"BACKEND": "a.B"}, "staticfiles": {"BACKEND": "x.Y"}}\n',
    }
    assert found(make_project, files, "DJH204") == []


def test_several_lock_files(make_project):
    files = {"poetry.lock": "", "uv.lock": "", "Pipfile": "[packages]\n"}
    assert found(make_project, files, "DJH605") == [("DJH605", "poetry.lock", 1), ("DJH605", "uv.lock", 1)]


# A web process that runs a script (`web: bash ./run.sh`, as many tutorials and Docker
# leftovers do): the server line is in the script, and the rules judge it there.
RUN_SH = (
    "#!/usr/bin/env bash\n"
    "set -euo pipefail\n"
    "export DJANGO_SETTINGS_MODULE=mysite.settings\n"
    "python manage.py collectstatic --noinput\n"
    "exec gunicorn mysite.wsgi:application --bind 0.0.0.0:$PORT --workers 2\n"
)


@pytest.mark.parametrize("web", ["web: bash ./run.sh\n", "web: ./run.sh\n", "web: sh run.sh\n"])
def test_a_web_script_is_judged_by_its_server_line(make_project, web):
    files = {"Procfile": web, "run.sh": RUN_SH}
    assert found(make_project, files, "DJH302", "DJH306") == [("DJH302", "run.sh", 5)]
    (diagnostic,) = lint(Options(paths=[str(make_project(files))], select=["DJH302"])).diagnostics
    assert diagnostic.fix is None  # the script is the author's: no edit of a shell script
    web_process = context(make_project, files).procfile.process("web")
    assert web_process.env["DJANGO_SETTINGS_MODULE"] == "mysite.settings"


def test_a_web_script_naming_a_missing_module_is_djh306_in_the_script(make_project):
    files = {"Procfile": "web: bash scripts/web.sh\n", "scripts/web.sh": RUN_SH.replace("mysite.wsgi", "mysit.wsgi")}
    assert found(make_project, files, "DJH306") == [("DJH306", "scripts/web.sh", 5)]


@pytest.mark.parametrize(
    "files",
    [
        {"Procfile": "web: bash ./run.sh\n"},  # not committed
        {"Procfile": "web: bash ./run.sh\n", "run.sh": RUN_SH.replace("exec gunicorn", "if true; then\n  exec gunicorn") + "fi\n"},
        {"Procfile": "web: bash ./run.sh\n", "run.sh": RUN_SH.replace("exec gunicorn", 'if [ "$DEBUG" ]; then\nexec python manage.py runserver\nfi\nexec gunicorn')},
        {"Procfile": "web: bash ./run.sh\n", "run.sh": RUN_SH + "gunicorn other.wsgi\n"},  # two servers: which one?
        {"Procfile": "web: bash ./run.sh\n", "run.sh": RUN_SH.replace("--workers 2", "\\\n  --workers 2")},
        {"Procfile": "web: bash ./run.sh\n", "run.sh": b"\xff\xfe" + RUN_SH.encode("utf-16-le")},
        {"Procfile": "web: bash -c 'gunicorn mysite.wsgi'\n"},
    ],
    ids=["missing", "in-a-branch", "after-a-branch", "two-servers", "continued", "utf-16", "bash-c"],
)
def test_a_web_script_djhlint_cannot_read_plainly_leaves_the_rules_silent(make_project, files):
    assert found(make_project, files, "DJH302", "DJH306", "DJH107") == []


def test_a_web_script_running_uvicorn_is_djh107s_server(make_project):
    """The SSL redirect loop is judged on the server the script starts, not on `bash`."""
    settings = project_files({})["mysite/settings.py"] + "SECURE_SSL_REDIRECT = True\n"
    script = "#!/bin/sh\nexec uvicorn mysite.asgi:application --host 0.0.0.0 --port $PORT\n"
    files = {"Procfile": "web: sh ./start.sh\n", "start.sh": script, "mysite/settings.py": settings, "mysite/asgi.py": ""}
    assert [code for code, _, _ in found(make_project, files, "DJH107")] == ["DJH107"]


# ---------------------------------------------------------------- rules run once per build root

# The Context fields that are facts of the build, the same for every Django project of one
# build root: what the layout read, the file list, and where the build is.
BUILD_FACTS = {f.name for f in dataclasses.fields(Layout)} | {"build_root", "build_root_reason", "files", "in_git", "committed_venvs", "dotenv_files"}


class Watched:
    """A rule's context that notes each field the rule reads."""

    def __init__(self, context) -> None:
        self._context, self.read = context, set()

    def __getattr__(self, name):
        self.read.add(name)
        return getattr(self._context, name)


@pytest.mark.parametrize("rule", [rule for rule in ALL_RULES if rule.per_build_root], ids=lambda rule: rule.code)
def test_a_rule_run_once_per_build_root_reads_only_the_builds_facts(tmp_path, rule):
    """per_build_root is true only of a rule whose every example reads build facts alone:
    its diagnostics would be the same for each Django project of the build root."""
    for number, case in enumerate([*rule.VALID, *rule.INVALID]):
        root = write_tree(tmp_path / str(number), {name: text for name, text in project_files(case.files).items() if text is not None})
        (project,) = find_projects([str(root)])
        watched = Watched(build_context(project, Config())[0])
        list(rule().check(watched))
        assert watched.read <= BUILD_FACTS, f"{rule.code} example {number} reads {sorted(watched.read - BUILD_FACTS)}"


# ---------------------------------------------------------------------- DJH606: the Node.js buildpack's detection

ASSETS_PACKAGE = '{\n  "name": "assets",\n  "scripts": {"build": "esbuild src/app.js --outdir=static"}\n}\n'


def test_djh606_looks_at_the_package_json_of_a_subfolder_build_root(make_project):
    """A monorepo's backend/ is built alone (git subtree push --prefix backend): the
    Node.js buildpack's detection sees backend/package.json, not the top's."""
    backend = {f"backend/{k}": v for k, v in project_files({}).items()}
    push = {"Makefile": "deploy:\n\tgit subtree push --prefix backend heroku main\n"}
    top_only = make_project({**backend, **push, "package.json": ASSETS_PACKAGE, "frontend/package.json": ASSETS_PACKAGE}, baseline=False)
    assert "DJH606" not in codes(top_only)
    in_root = make_project({**backend, **push, "backend/package.json": ASSETS_PACKAGE}, baseline=False, subdir="in-root")
    assert ("DJH606", "package.json", 1) in diagnostics(in_root)


def test_djh606_is_silent_when_the_node_buildpack_runs_on_purpose(make_project):
    """heroku-postbuild runs only under the Node.js buildpack; an unreadable package.json
    still makes it detect, so the rule still speaks then."""
    postbuild = make_project({"package.json": '{"scripts": {"heroku-postbuild": "npm run build"}}\n'})
    assert "DJH606" not in codes(postbuild)
    broken = make_project({"package.json": '{"scripts": {"heroku-postbuild": '}, subdir="broken")
    assert "DJH606" in codes(broken)
    slugignored = make_project({"package.json": ASSETS_PACKAGE, ".slugignore": "*.psd\n/package.json\n"}, subdir="slug")
    assert "DJH606" not in codes(slugignored)
