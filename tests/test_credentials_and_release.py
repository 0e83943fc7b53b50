"""DJH112 and DJH307 on real-shaped projects: credentials committed in the deployed
settings (never printed back), and a database no release process migrates."""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import diagnostics, run_cli, write_tree

# Heroku's reference app (python-getting-started): its Procfile ships the release line
# commented until a database is added; the settings read DATABASE_URL.
GETTING_STARTED_SETTINGS = (
    "import os\n"
    "import secrets\n"
    "from pathlib import Path\n\n"
    "import dj_database_url\n\n"
    "BASE_DIR = Path(__file__).resolve().parent.parent\n"
    'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", default=secrets.token_urlsafe(nbytes=64))\n'
    'IS_HEROKU_APP = "DYNO" in os.environ and "CI" not in os.environ\n'
    "DEBUG = not IS_HEROKU_APP\n"
    'ALLOWED_HOSTS = ["*"] if IS_HEROKU_APP else []\n\n'
    "if IS_HEROKU_APP:\n"
    "    DATABASES = {\n"
    '        "default": dj_database_url.config(env="DATABASE_URL", conn_max_age=600, conn_health_checks=True, ssl_require=True),\n'
    "    }\n"
    "else:\n"
    '    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}\n'
)


def getting_started(procfile: str) -> dict[str, str]:
    return {
        "manage.py": 'import os\nimport sys\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "gettingstarted.settings")\n',
        "gettingstarted/__init__.py": "",
        "gettingstarted/settings.py": GETTING_STARTED_SETTINGS,
        "gettingstarted/wsgi.py": 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "gettingstarted.settings")\napplication = get_wsgi_application()\n',
        "requirements.txt": "django>=5.1,<5.2\ngunicorn>=23,<24\ndj-database-url>=2,<3\nwhitenoise[brotli]>=6,<7\npsycopg[binary]\n",
        ".python-version": "3.13\n",
        "Procfile": procfile,
    }


def test_the_reference_app_with_its_release_line_still_commented(tmp_path):
    procfile = "# Uncomment this `release` process if you are using a database, so that Django's model\n# migrations are run as part of app deployment, using Heroku's Release Phase feature:\n# release: ./manage.py migrate --no-input\nweb: gunicorn --config gunicorn.conf.py gettingstarted.wsgi\n"
    root = write_tree(tmp_path, getting_started(procfile))
    assert [d for d in diagnostics(root) if d[0] == "DJH307"] == [("DJH307", "gettingstarted/settings.py", 15)]


def test_the_reference_app_with_its_release_line(tmp_path):
    procfile = "release: ./manage.py migrate --no-input\nweb: gunicorn --config gunicorn.conf.py gettingstarted.wsgi\n"
    root = write_tree(tmp_path, getting_started(procfile))
    assert [d for d in diagnostics(root) if d[0] == "DJH307"] == []


def test_a_release_script_that_migrates_among_other_steps(tmp_path, make_project):
    root = make_project(
        {
            "Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: bash ./bin/release.sh\n",
            "bin/release.sh": "#!/usr/bin/env bash\r\nset -euo pipefail\r\n\r\necho '-- release --'\r\npython manage.py migrate --noinput && python manage.py clearsessions\r\n",
        }
    )
    assert diagnostics(root, select=["DJH307"]) == []


def test_a_release_script_that_only_collects_static_files(make_project):
    root = make_project(
        {
            "Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: bash ./bin/release.sh\n",
            "bin/release.sh": "#!/usr/bin/env bash\nset -e\necho 'release'\npython manage.py collectstatic --noinput\n",
        }
    )
    assert diagnostics(root, select=["DJH307"]) == [("DJH307", "Procfile", 2)]


def test_a_release_that_runs_what_djhlint_cannot_read_is_left_alone(make_project):
    cases = [
        {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: make release\n"},
        {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python scripts/deploy.py\n", "scripts/deploy.py": "print()\n"},
        {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: ./release.sh\n", "release.sh": b"\xff\xfe\x00\x01binary"},
        {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: ./release.sh\n", "release.sh": "echo x\n" * 20000},
        {"Procfile": "web: gunicorn mysite.wsgi --log-file -\n", "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrelease:\n  command:\n    - ./manage.py migrate\n"},
    ]
    for index, files in enumerate(cases):
        root = make_project(files, subdir=f"p{index}")
        assert diagnostics(root, select=["DJH307"]) == [], files


def test_a_project_still_on_sqlite_needs_no_release(make_project):
    root = make_project(
        {
            "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
            "mysite/settings.py": 'SECRET_KEY = "x"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n',
        }
    )
    assert diagnostics(root, select=["DJH307"]) == []


def test_a_release_script_of_a_million_lines_stays_bounded(tmp_path, make_project):
    """Read under a timeout: a huge script must not make the run hang."""
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: ./release.sh\n", "release.sh": "; " * 1_000_000})
    code = "import sys; from django_heroku_lint.cli import main; sys.argv = ['djhlint', '--select', 'DJH307', sys.argv[1]]; main()"
    done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------------- DJH112

CREDENTIALS = (
    "from .base import *  # noqa\n"
    "import os\n\n"
    'EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "qwhs-lzpd-odke-mfpb")\n'
    'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz"\n'
    'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://:p4ssw0rdZ@ec2-3-4-5-6.compute-1.amazonaws.com:6379"}}\n'
    'PASSWORD_RESET_TIMEOUT = 3600\n'
    'STRIPE_PUBLISHABLE_KEY = "pk_live_51H8q2vKxyz"\n'
    'TWILIO_AUTH_TOKEN = ""\n'
)
SECRETS = ("qwhs-lzpd-odke-mfpb", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz", "p4ssw0rdZ")


def split_settings_project(make_project):
    return make_project(
        {
            "mysite/settings.py": None,
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\n',
            "mysite/settings/production.py": CREDENTIALS,
            "manage.py": 'import os\nimport sys\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
            "mysite/wsgi.py": 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\napplication = get_wsgi_application()\n',
        }
    )


def test_credentials_in_split_settings_are_found(make_project):
    root = split_settings_project(make_project)
    assert diagnostics(root, select=["DJH112"]) == [
        ("DJH112", "mysite/settings/production.py", 4),
        ("DJH112", "mysite/settings/production.py", 5),
        ("DJH112", "mysite/settings/production.py", 6),
    ]


def test_the_secret_is_never_printed(make_project):
    root = split_settings_project(make_project)
    for args in (["--select", "DJH112", str(root)], ["--select", "DJH112", "--output-format", "json", str(root)]):
        result = run_cli(args)
        assert result.exit_code == 1
        assert "EMAIL_HOST_PASSWORD" in result.stdout and "AWS_SECRET_ACCESS_KEY" in result.stdout
        for secret in SECRETS:
            assert secret not in result.stdout
    messages = [item["message"] for item in json.loads(run_cli(["--select", "DJH112", "--output-format", "json", str(root)]).stdout)]
    assert any("CACHES" in message and "URL with its password" in message for message in messages)


def test_the_release_line_goes_after_the_last_process_so_a_byte_order_mark_stays_first(make_project):
    root = make_project({"Procfile": b"\xef\xbb\xbfweb: gunicorn mysite.wsgi --log-file -\n"})
    result = run_cli(["--fix", "--unsafe-fixes", "--no-cache", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "Procfile").read_bytes() == b"\xef\xbb\xbfweb: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"


def test_the_release_line_runs_manage_py_where_the_project_keeps_it(make_project):
    files = {name: None for name in ("manage.py", "mysite/__init__.py", "mysite/settings.py", "mysite/urls.py", "mysite/wsgi.py")}
    from django_heroku_lint.rules._baseline import BASELINE

    files.update({f"backend/{name}": BASELINE[name] for name in ("manage.py", "mysite/__init__.py", "mysite/settings.py", "mysite/urls.py", "mysite/wsgi.py")})
    files["Procfile"] = "web: gunicorn --chdir backend mysite.wsgi --log-file -\n"
    root = make_project(files)
    result = run_cli(["--fix", "--unsafe-fixes", "--select", "DJH307", "--no-cache", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "Procfile").read_text() == "web: gunicorn --chdir backend mysite.wsgi --log-file -\nrelease: python backend/manage.py migrate --no-input\n"


def test_a_database_password_read_with_a_literal_fallback_says_so(make_project):
    settings = (
        "from decouple import config\n\n"
        'SECRET_KEY = config("SECRET_KEY")\n'
        "DATABASES = {\n"
        '    "default": {\n'
        '        "ENGINE": "django.db.backends.postgresql",\n'
        '        "HOST": config("DB_HOST", default="ec2-52-1-2-3.compute-1.amazonaws.com"),\n'
        '        "PASSWORD": config("DB_PASSWORD", default="9fK2mQ7xLw"),\n'
        "    }\n"
        "}\n"
    )
    root = make_project({"mysite/settings.py": settings})
    (item,) = json.loads(run_cli(["--select", "DJH112", "--output-format", "json", str(root)]).stdout)
    assert item["location"]["row"] == 8
    assert "DATABASES" in item["message"] and "fallback used when DB_PASSWORD is unset" in item["message"]
    assert "9fK2mQ7xLw" not in item["message"]


def test_the_release_line_ends_as_the_procfile_lines_end(make_project):
    root = make_project({"Procfile": b"web: gunicorn mysite.wsgi --log-file -\r\nworker: celery -A mysite worker\r\n"})
    assert run_cli(["--fix", "--unsafe-fixes", "--no-cache", str(root)]).exit_code == 0
    assert (root / "Procfile").read_bytes() == b"web: gunicorn mysite.wsgi --log-file -\r\nworker: celery -A mysite worker\r\nrelease: python manage.py migrate --no-input\r\n"
