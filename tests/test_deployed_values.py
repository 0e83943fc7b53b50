"""Values as they deploy, in whole projects laid out as real ones are.

cookiecutter-django makes its reader in ``base.py`` and reads the production values
with it in ``production.py``; a tutorial wraps an environment read in
``django_heroku.settings(locals())``; another turns ``DEBUG`` on with a comparison whose
fallback is ``"True"``. Each tree gives exactly the diagnostics its hazards call for.
"""

from __future__ import annotations

from .helpers import LOGGING, diagnostics, write_tree

WSGI = (
    "import os\n"
    "from django.core.wsgi import get_wsgi_application\n"
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")\n'
    "application = get_wsgi_application()\n"
)
COOKIECUTTER = {
    ".python-version": "3.13\n",
    "Procfile": "release: python manage.py migrate\nweb: gunicorn config.wsgi:application --log-file -\n",
    "requirements.txt": "django==5.2.8\ngunicorn\ndjango-environ\nwhitenoise\npsycopg[binary]\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
    "config/__init__.py": "",
    "config/wsgi.py": WSGI.format(module="config.settings.production"),
    "config/settings/__init__.py": "",
    "config/settings/base.py": (
        "import environ\n"
        "env = environ.Env()\n"
        'DEBUG = env.bool("DJANGO_DEBUG", False)\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
        'STATIC_ROOT = "staticfiles"\n'
        'DATABASES = {"default": env.db("DATABASE_URL")}\n' + LOGGING
    ),
    "config/settings/production.py": (
        "from .base import *  # noqa\n"
        "from .base import env\n"
        "\n"
        'SECRET_KEY = env("DJANGO_SECRET_KEY", default="i1t=60pmfy@f2yloh-literal")\n'
        'DEBUG = env("DJANGO_DEBUG", default=False)\n'
        'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])\n'
    ),
}
FIXED_PRODUCTION = (
    "from .base import *  # noqa\n"
    "from .base import env\n"
    "\n"
    'SECRET_KEY = env("DJANGO_SECRET_KEY")\n'
    'DEBUG = env.bool("DJANGO_DEBUG", default=False)\n'
    'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])\n'
)


def test_cookiecutter_reader_made_in_base_reads_production_values(tmp_path):
    found = diagnostics(write_tree(tmp_path, COOKIECUTTER))
    assert found == [
        ("DJH102", "config/settings/production.py", 4),
        ("DJH103", "config/settings/production.py", 5),
        ("DJH101", "config/settings/production.py", 6),
    ]


def test_cookiecutter_production_done_right_is_clean(tmp_path):
    files = {**COOKIECUTTER, "config/settings/production.py": FIXED_PRODUCTION}
    assert diagnostics(write_tree(tmp_path, files)) == []


def test_cookiecutter_scheme_made_in_base_casts_production_reads(tmp_path):
    files = {
        **COOKIECUTTER,
        "config/settings/base.py": COOKIECUTTER["config/settings/base.py"].replace("environ.Env()", "environ.Env(DJANGO_DEBUG=(bool, False))"),
        "config/settings/production.py": FIXED_PRODUCTION.replace('env.bool("DJANGO_DEBUG", default=False)', 'env("DJANGO_DEBUG")'),
    }
    assert diagnostics(write_tree(tmp_path, files)) == []


TUTORIAL = {
    ".python-version": "3.13\n",
    "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
    "requirements.txt": "django==5.2.8\ngunicorn\nwhitenoise\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    "mysite/__init__.py": "",
    "mysite/wsgi.py": WSGI.format(module="mysite.settings"),
}
TUTORIAL_SETTINGS = (
    "import os\n"
    'SECRET_KEY = os.environ["SECRET_KEY"]\n'
    "DEBUG = {debug}\n"
    'ALLOWED_HOSTS = [".herokuapp.com"]\n'
    'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
    'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
    'STATIC_ROOT = "staticfiles"\n' + LOGGING.replace("{", "{{").replace("}", "}}")  # a template for str.format
)


def test_debug_compared_with_a_true_fallback_is_on_when_unset(tmp_path):
    settings = TUTORIAL_SETTINGS.format(debug='os.environ.get("DEBUG", "True").lower() in ("true", "1", "yes")')
    assert diagnostics(write_tree(tmp_path, {**TUTORIAL, "mysite/settings.py": settings})) == [("DJH104", "mysite/settings.py", 3)]


def test_debug_compared_with_a_false_fallback_is_clean(tmp_path):
    settings = TUTORIAL_SETTINGS.format(debug='os.environ.get("DEBUG", "False").lower() in ("true", "1", "yes")')
    assert diagnostics(write_tree(tmp_path, {**TUTORIAL, "mysite/settings.py": settings})) == []


def test_debug_or_false_is_still_the_string_when_set(tmp_path):
    settings = TUTORIAL_SETTINGS.format(debug='os.getenv("DEBUG", "") or False')
    assert diagnostics(write_tree(tmp_path, {**TUTORIAL, "mysite/settings.py": settings})) == [("DJH103", "mysite/settings.py", 3)]


def test_allowed_hosts_from_csv_with_a_wildcard_appended(tmp_path):
    settings = TUTORIAL_SETTINGS.replace(
        'ALLOWED_HOSTS = [".herokuapp.com"]\n', 'from decouple import Csv, config\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\nALLOWED_HOSTS.append("*")\n'
    ).format(debug="False")
    files = {**TUTORIAL, "mysite/settings.py": settings, "requirements.txt": TUTORIAL["requirements.txt"] + "python-decouple\n"}
    assert diagnostics(write_tree(tmp_path, files)) == [("DJH101", "mysite/settings.py", 6)]


def test_django_heroku_keeps_the_literal_fallback_it_wraps(tmp_path):
    settings = (
        "import os\n"
        "import django_heroku\n"
        'SECRET_KEY = os.environ.get("SECRET_KEY", "12534")\n'
        "DEBUG = False\n"
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
        "django_heroku.settings(locals(), allowed_hosts=False)\n"
        'ALLOWED_HOSTS = [".herokuapp.com"]\n'
    )
    files = {**TUTORIAL, "mysite/settings.py": settings, "requirements.txt": "django==4.2.16\ngunicorn\nwhitenoise\ndjango-heroku\n"}
    found = diagnostics(write_tree(tmp_path, files))
    assert ("DJH102", "mysite/settings.py", 3) in found


def test_django_on_heroku_sets_what_django_heroku_sets_with_whitenoise_after_security(tmp_path):
    """The django-on-heroku fork, called at the end of a settings package's ``__init__``:
    WhiteNoise, STATIC_ROOT and DATABASE_URL come from the call (no DJH201, DJH203, DJH501,
    and no DJH202, since the fork puts WhiteNoise right after SecurityMiddleware); the
    wildcard host it sets is still DJH101, and the archived django-heroku's DJH604 is not."""
    files = {
        ".python-version": "3.13\n",
        "Procfile": "release: python manage.py migrate\nweb: gunicorn backend.wsgi --log-file -\n",
        "requirements.txt": "django==5.2.8\ngunicorn\ndjango-on-heroku\n",
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")\n',
        "backend/__init__.py": "",
        "backend/wsgi.py": WSGI.format(module="backend.settings"),
        "backend/settings/__init__.py": "import django_on_heroku\n\nfrom .base import *\nfrom .production import *\n\ndjango_on_heroku.settings(locals())\n",
        "backend/settings/base.py": (
            "from pathlib import Path\n"
            "import os\n"
            "BASE_DIR = Path(__file__).resolve().parent.parent.parent\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]\n'
            'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
            'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n'
            'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}\n'
            'STATIC_URL = "/static/"\n'
        ),
        "backend/settings/production.py": 'import os\n\nDEBUG = bool(int(os.environ.get("DEBUG", 0)))\n' + LOGGING,
    }
    found = {code for code, _, _ in diagnostics(write_tree(tmp_path, files))}
    assert "DJH101" in found
    assert not {"DJH201", "DJH202", "DJH203", "DJH501", "DJH601", "DJH604"} & found, found
