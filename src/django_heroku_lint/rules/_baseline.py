"""The clean project every rule example is layered on: the tutorial done right."""

from __future__ import annotations

SETTINGS = '''\
from pathlib import Path

import dj_database_url
from decouple import Csv, config

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = config("SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost", cast=Csv())

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600),
}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
'''

MANAGE = '''\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

WSGI = '''\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
'''

BASELINE: dict[str, str] = {
    "manage.py": MANAGE,
    "mysite/__init__.py": "",
    "mysite/settings.py": SETTINGS,
    "mysite/urls.py": "urlpatterns = []\n",
    "mysite/wsgi.py": WSGI,
    "Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n",
    ".python-version": "3.13\n",
    "requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n",
}


def project_files(overrides: dict[str, str | bytes | None]) -> dict[str, str | bytes]:
    """The baseline with ``overrides`` applied (``None`` deletes a file)."""
    files: dict[str, str | bytes] = dict(BASELINE)
    for name, text in overrides.items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    return files
