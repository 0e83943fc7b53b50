"""`djhlint env`: the config vars a deploy needs, what sets them, and what to set by hand."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .helpers import LOGGING, run_cli

SPLIT_BASE = """\
import environ

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost"])
DATABASES = {"default": env.db("DATABASE_URL")}
INSTALLED_APPS = ["django.contrib.staticfiles"]
STATIC_ROOT = "staticfiles"
""" + LOGGING
SPLIT_PRODUCTION = """\
from .base import *  # noqa: F403
from .base import env

CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env("REDIS_URL")}}
SENTRY_DSN = env("SENTRY_DSN", default="")
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
"""
SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": SPLIT_BASE,
    "mysite/settings/production.py": SPLIT_PRODUCTION,
}


def env_json(root, *args):
    result = run_cli(["env", "--output-format", "json", "--no-cache", *args], cwd=root)
    assert result.exit_code == 0, result.output
    (project,) = json.loads(result.stdout)
    return project


def env_text(root, *args):
    result = run_cli(["env", "--no-cache", *args], cwd=root)
    assert result.exit_code == 0, result.output
    return result.stdout


def variable(project, name):
    (found,) = [v for v in project["variables"] if v["name"] == name]
    return found


def settings_with(*lines: str) -> str:
    """A settings module of the baseline kind, with ``lines`` in place of its reads."""
    head = "import os\n\nimport dj_database_url\nimport environ\nfrom decouple import config\n\nenv = environ.Env()\n"
    rest = 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = "staticfiles"\nALLOWED_HOSTS = ["myapp.herokuapp.com"]\n'
    return head + "\n".join(lines) + "\n" + rest + LOGGING


# ---------------------------------------------------------------------- split settings


def test_split_settings_with_a_shared_environ_env(make_project):
    """cookiecutter-django's layout: base.py makes `env = environ.Env()`, production.py
    star-imports it and reads more; the judged module is production, and every read of
    the chain is listed with the setting it feeds."""
    data = env_json(make_project(SPLIT))
    assert data["settings_module"] == "mysite.settings.production"
    statuses = {v["name"]: v["status"] for v in data["variables"]}
    assert statuses == {
        "DATABASE_URL": "platform",
        "DJANGO_ALLOWED_HOSTS": "optional",
        "DJANGO_DEBUG": "optional",
        "DJANGO_EMAIL_TIMEOUT": "optional",
        "DJANGO_SECRET_KEY": "required",
        "DJANGO_SETTINGS_MODULE": "optional",
        "REDIS_URL": "platform",
        "SENTRY_DSN": "optional",
    }
    (use,) = variable(data, "DATABASE_URL")["uses"]
    assert (use["feeds"], use["api"], use["required"], use["cast"]) == ("DATABASES['default']", "environ.db", True, "db")
    assert use["location"] == {"file": "mysite/settings/base.py", "line": 8, "column": 25}
    (use,) = variable(data, "REDIS_URL")["uses"]
    assert use["feeds"] == "CACHES['default']['LOCATION']" and use["required"] is True
    assert variable(data, "REDIS_URL")["provided_by"] == "Heroku Key-Value Store, when attached"
    (use,) = variable(data, "DJANGO_EMAIL_TIMEOUT")["uses"]
    assert (use["cast"], use["fallback"]["value"]) == ("int", 10)
    assert data["must_set"] == ["DJANGO_SECRET_KEY"]


def test_split_settings_text_names_the_module_and_the_lines_to_run(make_project):
    out = env_text(make_project(SPLIT))
    assert "Settings module: mysite.settings.production (mysite/settings/production.py)" in out
    assert out.endswith(
        "Set these before the first deploy:\n"
        "  heroku config:set DJANGO_SECRET_KEY=...\n"
        "  # DATABASE_URL is set by Heroku Postgres, when attached: attach the add-on, never set it by hand\n"
        "  # REDIS_URL is set by Heroku Key-Value Store, when attached: attach the add-on, never set it by hand\n"
    )
    assert "config:set DATABASE_URL" not in out and "config:set REDIS_URL" not in out


def test_a_read_a_later_module_replaces_still_runs_and_is_required(make_project):
    """base.py's read runs at import even though production.py sets the name again: an
    unset variable fails the import before the later value is reached."""
    root = make_project(
        {**SPLIT, "mysite/settings/production.py": SPLIT_PRODUCTION + 'SECRET_KEY = env("PRODUCTION_SECRET_KEY")\n'}
    )
    data = env_json(root)
    (use,) = variable(data, "DJANGO_SECRET_KEY")["uses"]
    assert use["feeds"] == "SECRET_KEY (a later statement changes it)" and use["required"] is True
    assert data["must_set"] == ["DJANGO_SECRET_KEY", "PRODUCTION_SECRET_KEY"]


def test_the_cached_model_lists_the_same_reads(make_project):
    """The reads are part of the cached settings model: a warm run lists what a cold one did."""
    root = make_project({**SPLIT, "mysite/settings/production.py": SPLIT_PRODUCTION + 'SECRET_KEY = "x" + env("OTHER")\n'})
    cold = run_cli(["env"], cwd=root)
    assert (root / ".djhlint_cache").is_dir()
    warm = run_cli(["env"], cwd=root)
    assert cold.exit_code == warm.exit_code == 0
    assert warm.stdout == cold.stdout and "DJANGO_SECRET_KEY" in warm.stdout
    assert "      SECRET_KEY: environ, no fallback (an error when unset), stays a string  [mysite/settings/production.py:7]\n" in warm.stdout


# ---------------------------------------------------------------------- each reader the model knows

READERS = [
    # (the line, the variable, its status, the reader, the cast, the description); the read
    # is required when the status is, and for the platform's DATABASE_URL with no fallback
    ('X = os.environ["A"]', "A", "required", "os.environ[]", None, "os.environ[], no fallback (a KeyError when unset), stays a string"),
    ('X = os.environ.get("A")', "A", "optional", "os.environ.get", None, "os.environ.get, no fallback (None when unset), stays a string"),
    ('X = os.getenv("A", "d")', "A", "optional", "os.getenv", None, "os.getenv, fallback 'd', stays a string"),
    ('X = config("A")', "A", "required", "decouple", None, "decouple, no fallback (an error when unset), stays a string"),
    ('X = config("A", default=5, cast=int)', "A", "optional", "decouple", "int", "decouple, fallback 5, cast to int"),
    ('X = env("A")', "A", "required", "environ", None, "environ, no fallback (an error when unset), stays a string"),
    ('X = env.bool("A", default=False)', "A", "optional", "environ.bool", "bool", "environ.bool, fallback False, cast to bool"),
    ('X = env.list("A")', "A", "required", "environ.list", "list", "environ.list, no fallback (an error when unset), split into a list"),
    ('X = os.environ.get("A") or "d"', "A", "optional", "os.environ.get", None, "os.environ.get, fallback 'd' (after `or`), stays a string"),
    ('X = config("A") or "d"', "A", "required", "decouple", None, "decouple, fallback 'd' (after `or`), stays a string"),
    ('X = int(os.environ["A"])', "A", "required", "os.environ[]", "int", "os.environ[], no fallback (a KeyError when unset), cast to int"),
    ('SECRET_KEY = os.environ.get("A")', "A", "required", "os.environ.get", None,
     "os.environ.get, no fallback (None when unset), stays a string (Django refuses an empty SECRET_KEY)"),
    ('DATABASES = {"default": dj_database_url.config()}', "DATABASE_URL", "platform", "dj_database_url", "db",
     "dj_database_url, no fallback ({} when unset), parsed as a database URL"),
    ('DATABASES = {"default": dj_database_url.parse(os.environ["DB"])}', "DB", "required", "os.environ[]", "db",
     "os.environ[], no fallback (a KeyError when unset), parsed as a database URL"),
]


@pytest.mark.parametrize(("line", "name", "status", "api", "cast", "description"), READERS, ids=[r[0] for r in READERS])
def test_each_reader_the_model_knows(make_project, line, name, status, api, cast, description):
    data = env_json(make_project({"mysite/settings.py": settings_with(line)}))
    found = variable(data, name)
    assert found["status"] == status
    (use,) = found["uses"]
    assert (use["source"], use["api"], use["cast"], use["description"]) == ("settings", api, cast, description)
    assert use["required"] is (status == "required" or (status == "platform" and "no fallback" in description))


def test_dj_database_url_with_a_default_is_not_required(make_project):
    data = env_json(make_project({"mysite/settings.py": settings_with('DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}')}))
    (use,) = variable(data, "DATABASE_URL")["uses"]
    assert use["required"] is False and use["fallback"]["value"] == "sqlite:///db.sqlite3"
    assert data["must_set"] == []


def test_a_value_read_into_a_lowercase_name_or_a_test_is_listed(make_project):
    root = make_project(
        {"mysite/settings.py": settings_with('region = os.environ["AWS_REGION"]', 'if os.environ.get("USE_S3"):', '    STORAGES = {}', 'DEBUG = region == "eu-west-1"')}
    )
    data = env_json(root)
    (use,) = variable(data, "AWS_REGION")["uses"]
    assert (use["feeds"], use["required"], use["conditional"]) == ("`region`", True, False)
    (use,) = variable(data, "USE_S3")["uses"]
    assert (use["feeds"], use["required"]) == ("a test or a call", False)
    assert data["must_set"] == ["AWS_REGION"]


# ---------------------------------------------------------------------- reads on some paths


@pytest.mark.parametrize(
    ("lines", "condition"),
    [
        (('if os.environ.get("USE_S3"):', '    AWS_STORAGE_BUCKET_NAME = os.environ["BUCKET"]'), 'when `os.environ.get("USE_S3")` is true'),
        (('if DEBUG:', "    pass", "else:", '    BUCKET = os.environ["BUCKET"]'), "when `DEBUG` is false"),
        (("try:", '    BUCKET = os.environ["BUCKET"]', "except KeyError:", "    BUCKET = None"), "inside a try statement"),
        (('BUCKET = os.environ.get("S3_BUCKET") or os.environ["BUCKET"]',), "when what comes before its `or` is empty"),
        (('BUCKET = os.environ["BUCKET"] if os.environ.get("USE_S3") else None',), "in one branch of a conditional expression"),
        (('for name in ("a", "b"):', '    BUCKET = os.environ["BUCKET"]'), "inside a loop"),
    ],
    ids=["if", "else", "try", "or", "conditional-expression", "loop"],
)
def test_a_read_on_some_paths_is_not_claimed_required(make_project, lines, condition):
    data = env_json(make_project({"mysite/settings.py": settings_with('DEBUG = os.environ.get("DEBUG") == "1"', *lines)}))
    found = variable(data, "BUCKET")
    assert found["status"] == "required-on-some-paths"
    assert [(use["conditional"], use["condition"]) for use in found["uses"]] == [(True, condition)]
    assert "BUCKET" not in data["must_set"]
    out = env_text(make_project({"mysite/settings.py": settings_with(*lines)}, subdir="again"))
    assert "heroku config:set BUCKET" not in out
    assert "  # and where their condition holds on Heroku: BUCKET\n" in out


# ---------------------------------------------------------------------- entry points


def test_a_settings_module_computed_from_a_variable_in_wsgi(make_project):
    wsgi = (
        "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
        'ENVIRONMENT = os.environ.get("DJANGO_ENV", "production")\n'
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"mysite.settings.{ENVIRONMENT}")\n'
        'os.environ["NEW_RELIC_CONFIG_FILE"]\n\napplication = get_wsgi_application()\n'
    )
    manage = (
        "import os\nimport sys\n\n\ndef main():\n"
        '    if os.environ.get("DEBUG"):\n        print(os.environ["DJANGO_TEST_RUNNER"])\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.local")\n\n\n'
        'if __name__ == "__main__":\n    main()\n'
    )
    data = env_json(make_project({**SPLIT, "mysite/wsgi.py": wsgi, "manage.py": manage}))
    assert data["settings_module"] == "mysite.settings.production"
    (use,) = variable(data, "DJANGO_ENV")["uses"]
    assert (use["source"], use["feeds"], use["api"], use["fallback"]["value"]) == ("entry-point", "DJANGO_SETTINGS_MODULE", "os.environ.get", "production")
    assert use["location"]["file"] == "mysite/wsgi.py"
    (use,) = variable(data, "DEBUG")["uses"]
    assert (use["source"], use["feeds"], use["required"], use["conditional"]) == ("entry-point", "the test at manage.py:6", False, False)
    assert [use["location"]["file"] for use in variable(data, "DJANGO_SETTINGS_MODULE")["uses"]] == ["mysite/wsgi.py", "manage.py"]
    assert variable(data, "NEW_RELIC_CONFIG_FILE")["status"] == "required"
    (use,) = variable(data, "DJANGO_TEST_RUNNER")["uses"]
    assert (use["conditional"], use["condition"]) == (True, 'when `os.environ.get("DEBUG")` is true')
    assert data["must_set"] == ["DJANGO_SECRET_KEY", "NEW_RELIC_CONFIG_FILE"]


# ---------------------------------------------------------------------- the Procfile


def test_procfile_port_and_web_concurrency_are_the_platforms(make_project):
    procfile = (
        "web: gunicorn mysite.wsgi --bind 0.0.0.0:$PORT --workers ${WEB_CONCURRENCY:-3} --timeout $GUNICORN_TIMEOUT\n"
        "release: python manage.py migrate --no-input\n"
        "worker: celery -A mysite worker --hostname='$NOT_EXPANDED' --concurrency=\"${CELERY_CONCURRENCY:?set it}\"\n"
    )
    data = env_json(make_project({"Procfile": procfile}))
    port, workers = variable(data, "PORT"), variable(data, "WEB_CONCURRENCY")
    assert (port["status"], port["provided_by"]) == ("platform", "Heroku, on web dynos")
    assert workers["status"] == "platform" and workers["provided_by"].startswith("the Python buildpack")
    (use,) = workers["uses"]
    assert (use["source"], use["feeds"], use["required"], use["fallback"]["value"]) == ("procfile", "the web process", False, "3")
    assert use["location"] == {"file": "Procfile", "line": 1, "column": 58}
    assert variable(data, "GUNICORN_TIMEOUT")["status"] == "required"
    assert variable(data, "CELERY_CONCURRENCY")["uses"][0]["description"] == "`${CELERY_CONCURRENCY:?set it}`: the command stops when it is unset"
    assert "NOT_EXPANDED" not in {v["name"] for v in data["variables"]}
    assert data["must_set"] == ["CELERY_CONCURRENCY", "GUNICORN_TIMEOUT", "SECRET_KEY"]


def test_a_procfiles_variables_are_found_in_linear_time():
    """Every ``${`` of a long command without a closing brace looked for one to the end of
    the line: minutes on this one.  The time limit fails a regression instead of hanging."""
    script = (
        "from django_heroku_lint.read.procfile import parse_procfile, shell_vars\n"
        "for tail in ['${A:-' * 80000, '${A' * 100000, '${A:-x}' * 50000 + '${B:-' * 50000]:\n"
        "    (process,) = parse_procfile('Procfile', 'web: gunicorn a.wsgi ' + tail + '\\n').processes\n"
        "    shell_vars(process)\n"
        "(process,) = parse_procfile('Procfile', 'web: run ${A:-${B}} ${C[0]} ${D:?x y} ${E:-}} \\\\$F\\n').processes\n"
        "assert [(v.name, v.operator, v.word) for v in shell_vars(process)] == [('A', ':-', '${B'), ('D', ':?', 'x y'), ('E', ':-', '')]\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=10)


def test_a_misnamed_procfile_is_not_read(make_project):
    """Heroku runs no command of a Procfile.txt: its variables are nobody's."""
    data = env_json(make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi --timeout $TIMEOUT\n"}))
    assert "TIMEOUT" not in {v["name"] for v in data["variables"]}


# ---------------------------------------------------------------------- app.json


def test_app_json_env_is_shown_as_declared(make_project):
    app = {
        "env": {
            "SECRET_KEY": {"description": "Django's secret key", "generator": "secret"},
            "DEBUG": "False",
            "MAILGUN_DOMAIN": {"value": "mg.example.com", "required": False},
        }
    }
    data = env_json(make_project({"app.json": json.dumps(app)}))
    assert variable(data, "SECRET_KEY")["app_json"] == {"value": None, "description": "Django's secret key", "generator": "secret", "required": True}
    assert variable(data, "DEBUG")["app_json"] == {"value": "False", "description": "", "generator": None, "required": True}
    assert variable(data, "MAILGUN_DOMAIN")["status"] == "declared"
    assert data["must_set"] == ["SECRET_KEY"]  # app.json applies to apps created from it, not to one pushed with git
    out = env_text(make_project({"app.json": json.dumps(app)}, subdir="again"))
    assert "  SECRET_KEY\n      SECRET_KEY: decouple, no fallback (an error when unset), stays a string  [mysite/settings.py:8]\n" in out
    assert "      app.json: required, generator secret\n" in out
    assert "Declared in app.json, read by nothing djhlint follows:\n  MAILGUN_DOMAIN\n      app.json: optional, value 'mg.example.com'\n" in out


# ---------------------------------------------------------------------- credentials and hostile names

SECRETS = ("hunter2-not-a-placeholder", "pw-in-the-url-9f8e", "another-real-one-77")


def test_a_credentials_fallback_is_redacted(make_project):
    settings = settings_with(
        'EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD", default="hunter2-not-a-placeholder")',
        'DATABASES = {"default": dj_database_url.config(default="postgres://app:pw-in-the-url-9f8e@db.example.com/app")}',
        'DATABASES["default"]["PASSWORD"] = config("DB_PASS", default="another-real-one-77")',
    )
    app = {"env": {"EMAIL_HOST_PASSWORD": "hunter2-not-a-placeholder"}}
    root = make_project({"mysite/settings.py": settings, "app.json": json.dumps(app)})
    text = env_text(root)
    raw = run_cli(["env", "--output-format", "json", "--no-cache"], cwd=root).stdout
    for secret in SECRETS:
        assert secret not in text and secret not in raw
    data = json.loads(raw)[0]
    (use,) = variable(data, "EMAIL_HOST_PASSWORD")["uses"]
    assert use["fallback"]["value"] == "hunt… (25 characters)"
    assert variable(data, "EMAIL_HOST_PASSWORD")["app_json"]["value"] == "hunt… (25 characters)"
    assert variable(data, "DATABASE_URL")["uses"][0]["fallback"]["value"] == "post… (52 characters)"
    assert variable(data, "DB_PASS")["uses"][0]["fallback"]["value"] == "anot… (19 characters)"
    assert "EMAIL_HOST_PASSWORD: decouple, fallback 'hunt… (25 characters)', stays a string" in text


def test_control_characters_in_a_name_or_a_fallback_stay_escaped_and_out_of_the_commands(make_project):
    settings = settings_with(
        'SECRET_KEY = config("SECRET_KEY")',
        'X = os.environ["EVIL\\x1b[2J\\nNAME"]',
        'Y = os.environ["A; rm -rf ~"]',
        'Z = os.environ.get("PLAIN", "line\\rover\\u202e")',
    )
    root = make_project({"mysite/settings.py": settings})
    out = env_text(root)
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "  EVIL\\x1b[2J\\nNAME\n" in out
    assert "fallback 'line\\\\rover\\\\u202e'" in out or "fallback 'line\\rover\\u202e'" in out
    commands = [line for line in out.splitlines() if "config:set" in line and not line.lstrip().startswith("#")]
    assert commands == ["  heroku config:set SECRET_KEY=..."]
    assert "  # not a name `heroku config:set` takes as written: 'A; rm -rf ~', 'EVIL\\x1b[2J\\nNAME'\n" in out
    data = env_json(root)
    assert data["must_set"] == ["SECRET_KEY"]
    assert variable(data, "EVIL\x1b[2J\nNAME")["status"] == "required"


def test_many_reads_of_one_variable_are_listed_in_good_time(make_project):
    """A generated settings module reading one variable thousands of times (nested in
    `or`s) is listed as fast as `djhlint settings` shows it."""
    lines = [f'X{i} = os.environ.get("V", "d") or os.environ["V"]' for i in range(3000)]
    root = make_project({"mysite/settings.py": settings_with(*lines)})
    run = subprocess.run([sys.executable, "-m", "django_heroku_lint", "env", "--no-cache", str(root)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("[") > 6000


# ---------------------------------------------------------------------- the output


def test_json_shape(make_project):
    data = env_json(make_project({}))
    assert list(data) == [
        "build_root", "project_dir", "settings_module", "settings_path", "reason", "candidates", "complete", "variables", "must_set", "parse_errors",
    ]
    for found in data["variables"]:
        assert list(found) == ["name", "status", "provided_by", "app_json", "uses"]
        assert found["status"] in ("required", "required-on-some-paths", "optional", "platform", "declared")
        for use in found["uses"]:
            assert list(use) == ["source", "feeds", "api", "required", "conditional", "condition", "fallback", "cast", "description", "location"]
            assert (use["condition"] is not None) <= use["conditional"]
            assert use["source"] in ("settings", "entry-point", "procfile")
    assert [v["name"] for v in data["variables"]] == sorted(v["name"] for v in data["variables"])


def test_nothing_to_set_prints_no_commands(make_project):
    root = make_project({"mysite/settings.py": settings_with('SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only")')})
    out = env_text(root)
    assert "Set these before the first deploy" not in out and "config:set" not in out


def test_a_project_without_settings_still_lists_the_procfile(make_project):
    root = make_project(
        {"mysite/settings.py": None, "mysite/wsgi.py": "application = None\n", "manage.py": "import sys\n", "Procfile": "web: gunicorn mysite.wsgi --bind 0.0.0.0:$PORT\n"}
    )
    out = env_text(root)
    assert "No settings module: " in out
    assert "  PORT  (set by Heroku, on web dynos)\n      the web process: `$PORT`: the command gets an empty word when it is unset  [Procfile:1]\n" in out


def test_a_bad_path_is_a_one_line_error(tmp_path):
    missing = tmp_path / "missing"
    result = run_cli(["env", str(missing)])
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr == f"djhlint: error: {missing}: no such file or folder\n"


def test_help_names_the_command(make_project):
    assert "`djhlint env [PATHS]` lists the config vars the deploy needs" in " ".join(run_cli(["check", "--help"]).stdout.split())
    assert "--output-format [text|json]" in run_cli(["env", "--help"]).stdout


def test_a_settings_module_that_does_not_exist_is_a_one_line_error(make_project):
    root = make_project({})
    result = run_cli(["env", "--settings-module", "mysite.nope"], cwd=root)
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr == f"djhlint: error: settings module 'mysite.nope' was not found in {root}\n"


def test_settings_module_chooses_what_is_listed(make_project):
    data = env_json(make_project(SPLIT), "--settings-module", "mysite.settings.base")
    assert data["settings_module"] == "mysite.settings.base"
    assert "REDIS_URL" not in {v["name"] for v in data["variables"]}


def test_a_module_imported_twice_reads_once_where_it_first_ran(make_project):
    """Python runs a module once: a second import (here under `try`) runs none of its reads again."""
    production = SPLIT_PRODUCTION + "try:\n    from .base import SECRET_KEY  # noqa: F401\nexcept ImportError:\n    pass\n"
    data = env_json(make_project({**SPLIT, "mysite/settings/production.py": production}))
    (use,) = variable(data, "DJANGO_SECRET_KEY")["uses"]
    assert (use["conditional"], use["required"]) == (False, True)
    assert data["must_set"] == ["DJANGO_SECRET_KEY"]
