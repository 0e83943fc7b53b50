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
        "    redact_text(line, {'abcdefgh'}); redact_text(line, dotenv=True); redact_text(line, shell=True)\n"
        "for line in ['A_PASSWORD=\\'' * 40000, 'A_TOKEN=' * 40000, '${A_TOKEN:-' * 40000, 'x' * 200000 + '=']:\n"
        "    redact_text(line, shell=True)\n"
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


# --------------------------------------------------------------------------- every output of a project with secrets everywhere

# A project whose secrets sit in each place that sets one on Heroku: the settings module
# (a literal fallback), a committed .env that django-environ's read_env() copies in, a
# settings.ini python-decouple reads, and a committed local_settings.py imported under try.
# JWT_PRIVATE_KEY and DB_PWD name secrets by their words, not by a credential's suffix.
EVERYWHERE = {
    "STRIPE_FALLBACK": "sk_live_FALLBACKSECRET9876",
    "DOTENV_KEY": "dotenv-secret-key-ABCDEF0123456789xyz",
    "DOTENV_URL_PASSWORD": "DbUrlPassw0rd99",
    "DOTENV_AWS": "awsSECRETaccessKEY0987654321",
    "DOTENV_JWT": "jwtPRIVATEkey-0123456789abcdef",
    "DOTENV_PWD": "pwdFromDotenv-55aa77",
    "INI_PASSWORD": "iniPassw0rd-Secret77",
    "LOCAL_API_KEY": "SG.localsettingssecretABCDEF123",
    "LOCAL_PASSWORD": "localpw-Zq8vX2nM",
    "APP_JSON_PASSWORD": "appjsonPW-secret-4455",
}
EVERYWHERE_SETTINGS = """\
from pathlib import Path

import environ
from decouple import config

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = ["myapp.herokuapp.com"]
INSTALLED_APPS = ["django.contrib.staticfiles"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
DATABASES = {{"default": env.db("DATABASE_URL")}}
EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD")
STRIPE_API_KEY = config("STRIPE_API_KEY", default="{STRIPE_FALLBACK}")
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY")
SIGNING = env("JWT_PRIVATE_KEY")
DB_OPTIONS = {{"password": env("DB_PWD")}}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

try:
    from .local_settings import *  # noqa
except ImportError:
    pass
""".format(**EVERYWHERE)


@pytest.fixture
def everywhere(make_project):
    from .helpers import git

    root = make_project(
        {
            "mysite/settings.py": EVERYWHERE_SETTINGS,
            "mysite/local_settings.py": 'SENDGRID_API_KEY = "{LOCAL_API_KEY}"\nDATABASE_PASSWORD = "{LOCAL_PASSWORD}"\n'.format(**EVERYWHERE),
            "mysite/settings.ini": "[settings]\nEMAIL_HOST_PASSWORD = {INI_PASSWORD}\n".format(**EVERYWHERE),
            ".env": (
                "SECRET_KEY={DOTENV_KEY}\nDATABASE_URL=postgres://app:{DOTENV_URL_PASSWORD}@db.example.com:5432/app\n"
                "AWS_SECRET_ACCESS_KEY={DOTENV_AWS}\nJWT_PRIVATE_KEY={DOTENV_JWT}\nDB_PWD={DOTENV_PWD}\n"
            ).format(**EVERYWHERE),
            "app.json": json.dumps({"env": {"ADMIN_PASSWORD": {"value": EVERYWHERE["APP_JSON_PASSWORD"]}}}),
            "requirements.txt": "django\ngunicorn\nwhitenoise\ndjango-environ\npython-decouple\npsycopg[binary]\n",
            ".gitignore": "__pycache__/\n",
        }
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def test_no_command_or_format_prints_a_secret_set_anywhere(everywhere, tmp_path):
    runs = []
    for fmt in FORMATS:
        runs += [["--no-cache", "--output-format", fmt], ["--no-cache", "--show-fixes", "-v", "--output-format", fmt]]
        runs += [["--no-cache", "--show-settings", "--output-format", fmt], ["--output-format", fmt], ["--output-format", fmt]]  # stored, replayed
    runs += [["--no-cache", "--statistics", "--output-format", fmt] for fmt in ("concise", "full", "json", "json-lines")]
    runs += [["--no-cache", "--diff", "--unsafe-fixes"], ["--no-cache", "--explain", "DJH102"]]
    runs += [["--no-cache", "--output-file", str(tmp_path / "report.txt"), "--output-format", "full"]]
    printed = []
    for args in runs:
        result = run_cli(["check", *args, str(everywhere)])
        assert result.exit_code in (0, 1), (args, result.output)
        printed.append(result.stdout + result.stderr)
    assert "DJH102" in printed[0] and "DJH112" in printed[0]
    printed.append((tmp_path / "report.txt").read_text())
    for command in ("settings", "env"):
        for fmt in ("text", "json"):
            for cache in (["--no-cache"], [], ["-v"]):
                result = run_cli([command, *cache, "--output-format", fmt, str(everywhere)])
                assert result.exit_code == 0, result.output
                printed.append(result.stdout + result.stderr)
    for text in printed:
        for name, secret in EVERYWHERE.items():
            assert secret not in text, name


def test_a_secret_of_a_committed_dotenv_shows_its_own_length_once_redacted(everywhere):
    """The fallback a committed file gives is redacted once, not its redacted form again."""
    settings = run_cli(["settings", "--no-cache", str(everywhere)]).stdout
    env = run_cli(["env", "--no-cache", str(everywhere)]).stdout
    for secret in (EVERYWHERE["DOTENV_KEY"], EVERYWHERE["DOTENV_AWS"], EVERYWHERE["DOTENV_JWT"], EVERYWHERE["INI_PASSWORD"]):
        assert repr(redacted(secret)) in settings and repr(redacted(secret)) in env
    assert redacted(EVERYWHERE["DOTENV_PWD"]) in env


def test_a_secret_a_procfile_sets_or_falls_back_on_is_redacted(make_project):
    """A Procfile command may set a secret before the server starts, or fall back on one:
    its line in the full format and a diff, and djhlint env, show it redacted."""
    secret, token = "procfileSecret-778899", "procfileTok-12345"
    procfile = f"web: DJANGO_SECRET_KEY={secret} gunicorn mysite.wsgi --token ${{API_TOKEN:-{token}}}\n"
    root = make_project({"Procfile": procfile})
    full = run_cli(["check", "--no-cache", "--output-format", "full", "--select", "DJH302", str(root)]).stdout
    assert f"DJANGO_SECRET_KEY={redacted(secret)} gunicorn" in full and f"${{API_TOKEN:-{redacted(token)}}}" in full
    diff = run_cli(["check", "--no-cache", "--diff", "--select", "DJH302", str(root)]).stdout
    env = run_cli(["env", "--no-cache", str(root)]).stdout
    assert f"fallback {redacted(token)!r}" in env
    for text in (full, diff, env):
        assert secret not in text and token not in text
    assert redact_text('web: X=1 gunicorn a.wsgi -e PASSWORD="a b c" ${DB_URL:-postgres://u:pw@h/d}', shell=True) == (
        f'web: X=1 gunicorn a.wsgi -e PASSWORD="{redacted("a b c")}" ${{DB_URL:-postgres://u:{redacted("pw")}@h/d}}'
    )


def test_a_setting_a_secret_word_names_is_redacted_in_the_settings_view(make_project):
    """SECRET_KEY_FALLBACKS holds the old keys, JWT_PRIVATE_KEY a key: no credential's
    suffix names them, yet `djhlint settings` prints neither; Django's own settings that
    only name a password (its validators, its hashers) are shown as they are."""
    old_key, jwt = "old-secret-key-QQ11223344", "jwtLiteral-PP5566778899"
    validator = "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    settings = SETTINGS + (
        f'SECRET_KEY_FALLBACKS = ["{old_key}"]\nJWT_PRIVATE_KEY = "{jwt}"\n'
        f'AUTH_PASSWORD_VALIDATORS = [{{"NAME": "{validator}"}}]\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]\n'
    )
    root = make_project({"mysite/settings.py": settings})
    for fmt in ("text", "json"):
        shown = run_cli(["settings", "--no-cache", "--output-format", fmt, str(root)]).stdout
        assert old_key not in shown and jwt not in shown
        assert redacted(old_key) in shown and redacted(jwt) in shown
        assert validator in shown and "django.contrib.auth.hashers.PBKDF2PasswordHasher" in shown


def test_the_test_djhlint_env_quotes_for_a_conditional_read_shows_no_secret(make_project):
    """A read under an `if` djhlint cannot decide says which test: one comparing a secret
    with a literal shows the literal redacted, the variable's name as it is."""
    token, key = "tok-condSecret-123456", "insecure-known-secret-778899"
    settings = SETTINGS.replace(f"SECRET_KEY = '{SECRET_KEY}'", f'SECRET_KEY = "{key}"') + (
        f'import os\nif os.environ.get("API_TOKEN") != "{token}":\n    SENTRY_DSN = os.environ["SENTRY_DSN"]\n'
        f'if SECRET_KEY == "{key}":\n    X = os.environ["X_VAR"]\n'
    )
    root = make_project({"mysite/settings.py": settings})
    text = run_cli(["env", "--no-cache", str(root)]).stdout
    data = run_cli(["env", "--no-cache", "--output-format", "json", str(root)]).stdout
    for shown in (text, data):
        assert token not in shown and key not in shown
    assert f'(when `os.environ.get("API_TOKEN") != "{redacted(token)}"` is true)' in text
    assert f'(when `SECRET_KEY == "{redacted(key)}"` is true)' in text


def test_gitlab_fingerprints_hash_no_secret(make_project):
    """A fingerprint hashes the flagged line: with the secret in it, the published hash
    would confirm a guess of it. Two secrets alike in their first characters and length
    give the same fingerprint: neither is hashed."""
    prints = []
    for subdir, password in (("one", DB_PASSWORD), ("two", DB_PASSWORD[:4] + "Zq8vX2nMw7LpR5tY"[: len(DB_PASSWORD) - 4])):
        root = make_project({"mysite/settings.py": SETTINGS.replace(DB_PASSWORD, password)}, subdir=subdir)
        result = run_cli(["check", "--no-cache", "--output-format", "gitlab", "--select", "DJH112", str(root)], cwd=root)
        prints.append({issue["description"].split(" ")[1]: issue["fingerprint"] for issue in json.loads(result.stdout)})
    assert prints[0]["DATABASES"] == prints[1]["DATABASES"]  # "PASSWORD": "..." under DATABASES


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_both_views_redact_the_reason_a_file_could_not_be_read(leaky, fmt):
    """`djhlint env` lists the files djhlint could not read as `djhlint settings` does: a
    URL's password in a reason is redacted in both."""
    import dataclasses

    from django_heroku_lint.engine import Options, inspect
    from django_heroku_lint.ftypes import ParseError, Span
    from django_heroku_lint.report import env_view, settings_view

    (result,) = inspect(Options(paths=[str(leaky)], cache=False))
    url = "postgres://app:hunter2-not-shown@db.example.com/app"
    context = dataclasses.replace(result.context, parse_errors=[ParseError(Span("mysite/extra.py", 3), f"cannot use {url}")])
    shown = {view.__name__: view.render([context], fmt) for view in (settings_view, env_view)}
    for text in shown.values():
        assert "hunter2-not-shown" not in text and "db.example.com/app" in text
    if fmt == "json":
        settings_errors, env_errors = (json.loads(text)[0]["parse_errors"] for text in shown.values())
        assert env_errors == settings_errors


def test_a_fix_message_that_quotes_a_secret_is_redacted_and_an_unchanged_diagnostic_kept():
    """redact() reaches the fix's message too (a Procfile command a fix quotes may set a
    secret), and hands back the very diagnostic when there is nothing to redact."""
    from django_heroku_lint.ftypes import SAFE, Diagnostic, Fix, Span
    from django_heroku_lint.report.formats import redact

    url = "postgres://app:hunter2-not-shown@db.example.com/app"
    leaking = Diagnostic("DJH302", "procfile-log-file-missing", "no --log-file", Span("Procfile", 1), "/app", Fix(SAFE, f"add --log-file - to `DATABASE_URL={url} gunicorn`"))
    clean = Diagnostic("DJH302", "procfile-log-file-missing", "no --log-file", Span("Procfile", 1), "/app", Fix(SAFE, "add --log-file -"))
    (shown, kept) = redact([leaking, clean])
    assert shown.fix is not None and "hunter2-not-shown" not in shown.fix.message and "db.example.com/app" in shown.fix.message
    assert kept is clean
