"""`djhlint settings`: the judged module, the chain, and what each setting holds."""

from __future__ import annotations

import json

import pytest

from django_heroku_lint.engine import Options, inspect
from django_heroku_lint.ftypes import Span
from django_heroku_lint.model.values import EnvRead, Literal, Unknown
from django_heroku_lint.rules._baseline import SETTINGS
from django_heroku_lint.report.settings_view import RULE_SETTINGS, explain

from .helpers import run_cli

BASE = SETTINGS.replace(
    'SECRET_KEY = config("SECRET_KEY")', 'SECRET_KEY = config("SECRET_KEY", default="dev-only-key")'
).replace('DEBUG = config("DEBUG", default=False, cast=bool)', "DEBUG = True")
PRODUCTION = """\
from .base import *  # noqa: F403

import os

DEBUG = False
ALLOWED_HOSTS = ["myapp.herokuapp.com"]
SECRET_KEY = os.environ["SECRET_KEY"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
if os.environ.get("USE_S3"):
    STORAGES = {"default": {"BACKEND": "storages.backends.s3.S3Storage"}}
SECURE_SSL_REDIRECT = True
"""
SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": BASE,
    "mysite/settings/production.py": PRODUCTION,
}


@pytest.fixture
def split(make_project):
    return make_project(SPLIT)


def settings_json(root, *args):
    result = run_cli(["settings", "--output-format", "json", *args], cwd=root)
    assert result.exit_code == 0, result.output
    (project,) = json.loads(result.stdout)
    return project


def test_split_settings_chain_and_reason(split):
    data = settings_json(split)
    assert data["settings_module"] == "mysite.settings.production"
    assert data["settings_path"] == "mysite/settings/production.py"
    assert data["reason"] == "production module beside mysite.settings, which mysite/wsgi.py points at"
    assert data["complete"] is True
    assert data["chain"] == [
        {
            "module": "mysite.settings.base",
            "path": "mysite/settings/base.py",
            "imported_by": "mysite.settings.production",
            "statement": "from .base import *",
            "location": {"file": "mysite/settings/production.py", "line": 1, "column": 1},
        },
        {"module": "mysite.settings.production", "path": "mysite/settings/production.py", "imported_by": None, "statement": None, "location": None},
    ]


def test_split_settings_values_and_sites(split):
    settings = {s["name"]: s for s in settings_json(split)["settings"]}
    names = list(settings)
    assert names[: len(RULE_SETTINGS)] == list(RULE_SETTINGS)
    assert names[len(RULE_SETTINGS) :] == ["BASE_DIR", "ROOT_URLCONF", "WSGI_APPLICATION"]

    # production.py overrides what base.py set
    assert settings["DEBUG"]["description"] == "False"
    assert settings["DEBUG"]["sites"] == [{"file": "mysite/settings/production.py", "line": 5, "column": 1}]
    secret = settings["SECRET_KEY"]["alternatives"][0]
    assert secret["kind"] == "env" and secret["variable"] == "SECRET_KEY" and secret["api"] == "os.environ[]"
    assert secret["default"] is None and secret["yields_string"] is True

    # += in production.py changes the list base.py set
    middleware = settings["MIDDLEWARE"]
    assert middleware["alternatives"][0]["items"][-1]["value"] == "csp.middleware.CSPMiddleware"
    assert [s["file"] for s in middleware["sites"]] == ["mysite/settings/base.py", "mysite/settings/production.py"]

    # an env read with its fallback and cast, from base.py
    databases = settings["DATABASES"]["alternatives"][0]["entries"][0]["value"]
    assert databases["kind"] == "env" and databases["variable"] == "DATABASE_URL" and databases["cast"] == "db"
    assert databases["default"]["kind"] == "unknown"

    # set under an if: may be unset
    assert settings["STORAGES"]["state"] == "maybe-unset"
    assert settings["STATICFILES_STORAGE"]["state"] == "unset" and settings["STATICFILES_STORAGE"]["alternatives"] == []
    assert settings["SECURE_SSL_REDIRECT"]["description"] == "True"
    assert settings["STATIC_ROOT"]["alternatives"][0] == {
        "kind": "unknown",
        "description": "unknown: a pathlib.Path built at run time",
        "location": {"file": "mysite/settings/base.py", "line": 40, "column": 15},
        "hint": "path",
        "text": "pathlib.Path",
    }


def test_split_settings_text(split):
    result = run_cli(["settings"], cwd=split)
    assert result.exit_code == 0
    out = result.stdout
    assert "Settings module: mysite.settings.production (mysite/settings/production.py)\n" in out
    assert "  chosen because: production module beside mysite.settings, which mysite/wsgi.py points at\n" in out
    assert (
        "  1. mysite.settings.base        mysite/settings/base.py        `from .base import *` at mysite/settings/production.py:1\n"
        "  2. mysite.settings.production  mysite/settings/production.py  the judged module\n"
    ) in out
    lines = out.splitlines()
    debug = lines.index("  DEBUG                    False")
    assert lines[debug + 1].strip() == "set at mysite/settings/production.py:5"
    secret = next(line for line in lines if line.startswith("  SECRET_KEY "))
    assert secret.split(None, 1)[1] == "env SECRET_KEY via os.environ[], no fallback (a KeyError when unset), stays a string"
    assert "                           set at mysite/settings/base.py:21, then mysite/settings/production.py:8" in lines
    assert "'csp.middleware.CSPMiddleware'," in out  # a long list, one item a line
    assert "  STORAGES                 {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}" in lines
    assert "  CSRF_TRUSTED_ORIGINS     unset: Django's default applies" in lines
    assert out.index("Deployment settings:") < out.index("Other settings:") < out.index("  ROOT_URLCONF")


def test_show_settings_on_check_is_djhlints_configuration_not_this_view(split):
    """As in ruff, `--show-settings` shows the linter's resolved settings (see test_cli.py); this view is `djhlint settings`."""
    assert run_cli(["--show-settings"], cwd=split).stdout != run_cli(["settings"], cwd=split).stdout
    shown = run_cli(["check", "--show-settings", "--output-format", "json"], cwd=split)
    assert shown.exit_code == 0 and json.loads(shown.stdout)[0]["settings_module"] == "mysite.settings.production"
    assert "chain" not in json.loads(shown.stdout)[0]


def test_settings_module_named_by_wsgi(make_project):
    wsgi = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n'
    data = settings_json(make_project({**SPLIT, "mysite/wsgi.py": wsgi}))
    assert data["reason"] == "the DJANGO_SETTINGS_MODULE default in mysite/wsgi.py"
    assert [ref["module"] for ref in data["chain"]] == ["mysite.settings.base", "mysite.settings.production"]


def test_settings_module_option(split):
    data = settings_json(split, "--settings-module", "mysite.settings.base")
    assert data["settings_module"] == "mysite.settings.base"
    assert data["reason"] == "set by settings-module in the configuration"
    settings = {s["name"]: s for s in data["settings"]}
    assert settings["DEBUG"]["description"] == "True"
    assert settings["SECRET_KEY"]["description"] == "env SECRET_KEY via decouple, fallback 'dev-… (12 characters)', stays a string"  # redacted


def test_conditional_alternatives(make_project):
    settings_py = 'import os\n\nif os.environ.get("DYNO"):\n    DEBUG = False\nelse:\n    DEBUG = True\n'
    root = make_project({"mysite/settings.py": settings_py})
    debug = next(s for s in settings_json(root)["settings"] if s["name"] == "DEBUG")
    assert debug["description"] == "one of: False; True"
    assert [a["value"] for a in debug["alternatives"]] == [False, True]
    text = run_cli(["settings"], cwd=root).stdout.splitlines()
    start = text.index("  DEBUG                    one of 2, depending on a condition:")
    assert [line.strip() for line in text[start + 1 : start + 4]] == ["- False", "- True", "set at mysite/settings.py:4, then mysite/settings.py:6"]


def test_incomplete_chain_is_said(make_project):
    root = make_project({**SPLIT, "mysite/settings/base.py": "DEBUG = (\n"})
    data = settings_json(root)
    assert data["complete"] is False
    assert data["parse_errors"][0]["location"]["file"] == "mysite/settings/base.py"
    text = run_cli(["settings"], cwd=root).stdout
    assert "The chain is incomplete" in text and "Files djhlint could not read:" in text


def test_no_settings_module(make_project):
    root = make_project({"manage.py": "print('hi')\n", "mysite/wsgi.py": "", "mysite/settings.py": None}, subdir="bare")
    data = settings_json(root)
    assert data["settings_module"] is None and data["chain"] == [] and data["settings"] == []
    assert data["reason"].startswith("no settings module found")
    assert "No settings module: no settings module found" in run_cli(["settings"], cwd=root).stdout


def test_bad_path_is_exit_code_2(tmp_path):
    result = run_cli(["settings", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_inspect_runs_no_rules(split):
    (result,) = inspect(Options(paths=[str(split)]))
    assert result.diagnostics == [] and result.context.settings is not None


def test_explain():
    span = Span("s.py")
    assert explain(EnvRead("os.getenv", "DEBUG", span)) == "env DEBUG via os.getenv, no fallback (None when unset), stays a string"
    read = EnvRead("decouple", "DEBUG", span, default=Literal(False, span), cast="bool", fallback_via="default")
    assert explain(read) == "env DEBUG via decouple, fallback False, cast to bool"
    wrapped = EnvRead("os.environ.get", "DEBUG", span, wrapper="bool()")
    assert explain(wrapped).endswith("wrapped in bool(): true for any non-empty string")
    assert explain(Unknown(span, "generated", "secrets.token_urlsafe")) == "unknown: generated at run time by secrets.token_urlsafe(...)"
    assert explain(Unknown(span, "call:get_hosts")) == "unknown: the result of get_hosts(...)"
    assert explain(None) == "unset"


def test_the_readme_example_is_real_output(tmp_path):
    """The README's example is `djhlint settings` run in the shipped examples/split-settings."""
    import shutil
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    split = tmp_path / "split-settings"
    shutil.copytree(repo / "examples" / "split-settings", split, ignore=shutil.ignore_patterns(".djhlint_cache"))
    readme = (repo / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ djhlint settings\n", 1)[1].split("```", 1)[0]
    out = run_cli(["settings"], cwd=split).stdout.splitlines()
    shown = [line for line in example.splitlines() if line.strip() != "..."]
    assert shown and all(line in out for line in shown), [line for line in shown if line not in out]


def test_a_warm_run_from_the_cache_shows_the_same(split):
    cold = run_cli(["settings", "--output-format", "json"], cwd=split).stdout
    assert any((split / ".djhlint_cache").rglob("*.json")), "the first run stores the model"
    warm = run_cli(["settings", "--output-format", "json"], cwd=split).stdout
    assert warm == cold and json.loads(warm)[0]["chain"][0]["statement"] == "from .base import *"
    assert run_cli(["settings", "--no-cache", "--output-format", "json"], cwd=split).stdout == cold
