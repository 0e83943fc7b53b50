"""Secrets are redacted in every output: a literal secret of the linted project shows as
its first four characters and its length, never in clear, in any format, in
`djhlint settings`, in a diff, with --verbose."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from django_heroku_lint.commands import FORMATS
from django_heroku_lint.model.secrets import redact_positions, redact_text, url_passwords
from django_heroku_lint.printable import redacted

from .helpers import run_cli

SECRET_KEY = "django-insecure-7q!zv#c2w@k9$m+e1xg8)p0d3h5n&b4r6t"
PASSWORD = "hunter2hunter2"
REDIS_PASSWORD = "Xk9mQ2vL8pRt"  # in a URL: redis://:PASSWORD@host
DB_PASSWORD = "n0t-s0-s3cret-pw"  # a database's PASSWORD under DATABASES
ENV_TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"  # a .env file git would commit
SECRETS = (SECRET_KEY, PASSWORD, REDIS_PASSWORD, DB_PASSWORD, ENV_TOKEN)

# A project as a tutorial leaves it: the secret key and the mail password committed, a
# cache URL with its password, a database password, and a .env that .gitignore misses.
SETTINGS = f"""\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = '{SECRET_KEY}'
DEBUG = False
ALLOWED_HOSTS = ["myapp.herokuapp.com"]

INSTALLED_APPS = ["django.contrib.staticfiles"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
]
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "mysite",
        "USER": "mysite",
        "PASSWORD": "{DB_PASSWORD}",
        "HOST": "db.example.com",
    }}
}}
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://:{REDIS_PASSWORD}@redis.example.com:6379/0"}}}}

EMAIL_HOST = "smtp.example.com"
EMAIL_HOST_PASSWORD = "{PASSWORD}"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
"""


@pytest.fixture
def leaky(make_project):
    return make_project(
        {
            "mysite/settings.py": SETTINGS,
            "Procfile": "web: gunicorn mysite.wsgi\nrelease: python manage.py migrate --no-input\n",
            ".gitignore": "__pycache__/\n",
            ".env": f"GITHUB_TOKEN={ENV_TOKEN}\nDEBUG=1\n",
        }
    )


def no_secret(*outputs: str) -> None:
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_prints_a_secret(leaky, fmt):
    result = run_cli(["--no-cache", "--output-format", fmt, str(leaky)])
    assert result.exit_code == 1, result.output
    assert "DJH102" in result.stdout and "DJH112" in result.stdout and "DJH603" in result.stdout
    no_secret(result.stdout, result.stderr)


def test_the_full_format_shows_the_line_with_the_secret_redacted_and_the_carets_under_it(leaky):
    result = run_cli(["--no-cache", "--output-format", "full", "--select", "DJH102,DJH112,DJH603", str(leaky)])
    lines = result.stdout.splitlines()
    shown = f"SECRET_KEY = '{redacted(SECRET_KEY)}'"
    (at,) = [i for i, line in enumerate(lines) if line.endswith(shown)]
    assert lines[at + 1].endswith("|              " + "^" * (len(redacted(SECRET_KEY)) + 2) + " DJH102")
    assert any(line.endswith(f'EMAIL_HOST_PASSWORD = "{redacted(PASSWORD)}"') for line in lines)
    assert any(line.endswith(f"GITHUB_TOKEN={redacted(ENV_TOKEN)}") for line in lines)  # the .env line DJH603 points at
    no_secret(result.stdout)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_settings_command_redacts_secrets(leaky, fmt):
    result = run_cli(["settings", "--no-cache", "--output-format", fmt, str(leaky)])
    assert result.exit_code == 0, result.output
    no_secret(result.stdout, result.stderr)
    assert redacted(SECRET_KEY) in result.stdout and redacted(PASSWORD) in result.stdout
    if fmt == "json":
        (project,) = json.loads(result.stdout)
        settings = {item["name"]: item for item in project["settings"]}
        assert settings["SECRET_KEY"]["alternatives"][0]["value"] == redacted(SECRET_KEY)
        assert settings["SECRET_KEY"]["description"] == repr(redacted(SECRET_KEY))
        assert "redis.example.com:6379/0" in settings["CACHES"]["description"]  # only the password goes


def test_a_diff_and_its_summary_redact_the_secret_the_fix_moves(leaky):
    result = run_cli(["--no-cache", "--diff", "--unsafe-fixes", str(leaky)])
    assert result.exit_code == 1, result.output
    assert f"-SECRET_KEY = '{redacted(SECRET_KEY)}'" in result.stdout
    assert "+SECRET_KEY = os.environ['SECRET_KEY']" in result.stdout
    no_secret(result.stdout, result.stderr)


def test_fix_and_verbose_print_no_secret(leaky):
    result = run_cli(["--no-cache", "--fix", "--unsafe-fixes", "--verbose", "--output-format", "full", str(leaky)])
    assert "DJH112" in result.stdout
    no_secret(result.stdout, result.stderr)


def test_an_output_file_holds_no_secret(leaky, tmp_path):
    target = tmp_path / "report.txt"
    for args in (["--output-format", "full"], ["--diff", "--unsafe-fixes"], ["--show-fixes", "--output-format", "json"]):
        result = run_cli(["--no-cache", "--output-file", str(target), *args, str(leaky)])
        assert result.exit_code == 1 and target.read_text()
        no_secret(target.read_text(), result.stdout, result.stderr)


def test_a_replayed_run_prints_no_secret(leaky):
    first = run_cli(["--output-format", "full", str(leaky)])
    second = run_cli(["--output-format", "full", str(leaky)])
    assert first.stdout == second.stdout
    no_secret(second.stdout, second.stderr)


def test_the_console_script_prints_no_secret(leaky):
    for args in (["--output-format", "full"], ["settings"], ["--diff", "--unsafe-fixes"]):
        run = subprocess.run([sys.executable, "-m", "django_heroku_lint", "--no-cache", *args, str(leaky)] if args[0] != "settings" else [sys.executable, "-m", "django_heroku_lint", "settings", "--no-cache", str(leaky)], capture_output=True, text=True, timeout=60)
        assert run.returncode in (0, 1), run.stderr
        no_secret(run.stdout, run.stderr)


# --------------------------------------------------------------------------- the redaction itself


def test_what_a_line_assigns_to_a_secret_name_is_redacted():
    assert redact_text("SECRET_KEY = config('SECRET_KEY', default='abcdefgh1234')") == f"SECRET_KEY = config('SECRET_KEY', default='{redacted('abcdefgh1234')}')"
    assert redact_text("    'PASSWORD': 'mypassword',") == f"    'PASSWORD': '{redacted('mypassword')}',"
    assert redact_text("SECRET_KEY = os.environ['SECRET_KEY']") == "SECRET_KEY = os.environ['SECRET_KEY']"
    assert redact_text("DEBUG = 'False'") == "DEBUG = 'False'"
    assert redact_text("export STRIPE_API_KEY=sk_live_51Hx", dotenv=True) == f"export STRIPE_API_KEY={redacted('sk_live_51Hx')}"
    assert redact_text("STRIPE_PUBLISHABLE_KEY=pk_live_51Hx", dotenv=True) == "STRIPE_PUBLISHABLE_KEY=pk_live_51Hx"


def test_a_urls_password_is_redacted_and_its_host_kept():
    assert redact_text("see postgres://app:pa55word@db.example.com/app") == f"see postgres://app:{redacted('pa55word')}@db.example.com/app"
    assert list(url_passwords("https://example.com/a:b@c")) == []


def test_a_known_secret_is_redacted_anywhere_and_positions_follow():
    text = "x = 'abc' + 'hunter2hunter2'  # end"
    shown, (start, end) = redact_positions(text, {PASSWORD}, [13], ends=[27])
    assert shown == f"x = 'abc' + '{redacted(PASSWORD)}'  # end"
    assert shown[start:end] == redacted(PASSWORD)


def test_redaction_is_linear_on_hostile_lines():
    """Each of these took seconds with a backtracking search: a time limit fails a regression."""
    script = (
        "from django_heroku_lint.model.secrets import redact_text\n"
        "for line in ['a' * 200000, 'a://' * 50000, 'a://b' * 40000 + ':', 'x:' * 100000,"
        " 'SECRET_KEY = ' + \"'\" * 200000, 'SECRET_KEY=' + ' ' * 200000]:\n"
        "    redact_text(line, {'abcdefgh'}); redact_text(line, dotenv=True)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=10)


def test_a_known_secret_inside_a_longer_word_is_left_alone():
    """A short secret (``header``) redacted inside ``Host-header`` garbles the message and hides nothing."""
    assert redact_text("Host-header attacks reach the app", {"header"}) == "Host-header attacks reach the app"
    assert redact_text("postgresql://u:p@h/x uses django.db.backends.postgresql", {"postgres"}).count("postgresql") == 2
    assert redact_text("token is 'header', or header", {"header"}) == f"token is '{redacted('header')}', or {redacted('header')}"


def test_a_dict_under_a_secret_named_key_is_judged_by_its_own_keys(make_project):
    """drf-yasg's SWAGGER_SETTINGS: the ``token`` scheme is a dict of public words, not a secret;
    its ``type``, ``in`` and ``name`` show, and no message is garbled by them."""
    swagger = (
        'SWAGGER_SETTINGS = {\n    "SECURITY_DEFINITIONS": {\n        "token": {"type": "apiKey", "in": "header", "name": "Authorization"},\n'
        '    },\n}\nALLOWED_HOSTS = ["*"]\n'
    )
    root = make_project({"mysite/settings.py": SETTINGS + swagger, "Procfile": "web: gunicorn mysite.wsgi --log-file -\n"})
    result = run_cli(["--no-cache", str(root)])
    assert "Host-header attacks" in result.output
    shown = run_cli(["settings", str(root)]).output
    assert "'in': 'header'" in shown and "'name': 'Authorization'" in shown
    no_secret(result.output, shown)
