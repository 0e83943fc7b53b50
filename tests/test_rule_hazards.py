"""Rules judge the hazard, not the letter: real-shaped projects where the letter of a
rule is broken but nothing breaks on Heroku, and their twins where something does.

The trees are the shapes real public projects have: Heroku's old dj-static recipe,
Heroku's own reference app committing a `.env` for `heroku local`, a React front end
calling a Django API through django-cors-headers, cookiecutter-django's
`DJANGO_DEBUG`, a PowerShell `pip freeze > requirements.txt`.
"""

from __future__ import annotations

from django_heroku_lint.engine import Options, lint

from .helpers import codes, git, write_tree

MANAGE = 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'
SETTINGS = (
    "import os\n"
    'SECRET_KEY = os.environ["SECRET_KEY"]\n'
    "DEBUG = False\n"
    'ALLOWED_HOSTS = [".herokuapp.com"]\n'
    'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
    'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
    'STATIC_URL = "/static/"\n'
    'STATIC_ROOT = "staticfiles"\n'
)
DJ_STATIC = {
    ".python-version": "3.12\n",
    "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
    "requirements.txt": "django==4.2.16\ngunicorn\ndj-static\n",
    "manage.py": MANAGE,
    "mysite/__init__.py": "",
    "mysite/settings.py": SETTINGS,
    "mysite/wsgi.py": (
        "import os\n"
        "from dj_static import Cling\n"
        "from django.core.wsgi import get_wsgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'
        "application = Cling(get_wsgi_application())\n"
    ),
}


def message_of(root, code: str) -> str:
    (found,) = [d for d in lint(Options(paths=[str(root)], select=[code])).diagnostics]
    return found.message


def committed(root):
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def test_static_files_served_by_dj_static_in_wsgi_py(tmp_path):
    write_tree(tmp_path, DJ_STATIC)
    assert "DJH201" not in codes(tmp_path)


def test_static_files_served_by_whitenoise_wrapping_the_app(tmp_path):
    wsgi = (
        "import os\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "from whitenoise import WhiteNoise\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'
        "application = get_wsgi_application()\n"
        'application = WhiteNoise(application, root="staticfiles", prefix="static/")\n'
    )
    write_tree(tmp_path, {**DJ_STATIC, "mysite/wsgi.py": wsgi, "requirements.txt": "django==4.2.16\ngunicorn\nwhitenoise\n"})
    assert "DJH201" not in codes(tmp_path)


def test_without_the_wrapper_the_same_project_serves_404(tmp_path):
    wsgi = DJ_STATIC["mysite/wsgi.py"].replace("from dj_static import Cling\n", "").replace("Cling(get_wsgi_application())", "get_wsgi_application()")
    write_tree(tmp_path, {**DJ_STATIC, "mysite/wsgi.py": wsgi})
    assert "DJH201" in codes(tmp_path)


REFERENCE_APP_ENV = 'ENVIRONMENT="development"\nPYTHONUNBUFFERED=1\nTIMES=2\nWEB_CONCURRENCY=2\n'


def test_heroku_reference_apps_committed_env_leaks_nothing(tmp_path):
    root = committed(write_tree(tmp_path, {**DJ_STATIC, ".gitignore": "__pycache__/\nstaticfiles/\n", ".env": REFERENCE_APP_ENV}))
    assert "DJH603" not in codes(root)


def test_a_committed_env_with_a_database_password_leaks_it(tmp_path):
    env = REFERENCE_APP_ENV + "DATABASE_URL=postgres://blog:hunter2@localhost:5432/blog\n"
    root = committed(write_tree(tmp_path, {**DJ_STATIC, ".gitignore": "__pycache__/\n", ".env": env}))
    assert "DJH603" in codes(root)
    assert "(DATABASE_URL)" in message_of(root, "DJH603")


def test_an_env_tracked_before_it_was_ignored_still_leaks(tmp_path):
    root = committed(write_tree(tmp_path, {**DJ_STATIC, ".env": "DJANGO_SECRET_KEY=k3y-from-the-tutorial\nWEB_CONCURRENCY=2\n"}))
    (root / ".gitignore").write_text(".env\n")
    message = message_of(root, "DJH603")
    assert "tracked by git although .gitignore ignores it" in message and "(DJANGO_SECRET_KEY)" in message


CORS_SETTINGS = SETTINGS.replace(
    'INSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
    'INSTALLED_APPS = ["django.contrib.staticfiles", "corsheaders", "rest_framework"]\n'
    "MIDDLEWARE = [\n"
    '    "django.middleware.security.SecurityMiddleware",\n'
    '    "corsheaders.middleware.CorsMiddleware",\n'
    '    "whitenoise.middleware.WhiteNoiseMiddleware",\n'
    '    "django.contrib.sessions.middleware.SessionMiddleware",\n'
    '    "django.middleware.common.CommonMiddleware",\n'
    "]\n"
    'CORS_ALLOWED_ORIGINS = ["https://myapp-frontend.herokuapp.com"]\n',
)


def test_cors_middleware_between_security_and_whitenoise_is_the_documented_order(tmp_path):
    files = {**DJ_STATIC, "mysite/settings.py": CORS_SETTINGS, "requirements.txt": "django==4.2.16\ngunicorn\nwhitenoise\ndjango-cors-headers\ndjangorestframework\n"}
    files["mysite/wsgi.py"] = 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n'
    write_tree(tmp_path, files)
    assert "DJH202" not in codes(tmp_path)
    files["mysite/settings.py"] = CORS_SETTINGS.replace(
        '    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n',
        '    "django.contrib.sessions.middleware.SessionMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n',
    )
    write_tree(tmp_path, files)
    assert "DJH202" in codes(tmp_path)


def test_without_security_middleware_only_cors_middleware_may_come_before_whitenoise(tmp_path):
    files = {**DJ_STATIC, "requirements.txt": "django==4.2.16\ngunicorn\nwhitenoise\ndjango-cors-headers\n"}
    files["mysite/settings.py"] = CORS_SETTINGS.replace('    "django.middleware.security.SecurityMiddleware",\n', "")
    write_tree(tmp_path, files)
    assert "DJH202" not in codes(tmp_path)
    files["mysite/settings.py"] = files["mysite/settings.py"].replace("corsheaders.middleware.CorsMiddleware", "django.middleware.gzip.GZipMiddleware")
    write_tree(tmp_path, files)
    assert "DJH202" in codes(tmp_path)


def test_debug_true_names_the_config_var_the_code_reads(tmp_path):
    base = (
        "import environ\n"
        "env = environ.Env()\n"
        'SECRET_KEY = env("DJANGO_SECRET_KEY")\n'
        'DEBUG = env.bool("DJANGO_DEBUG", default=True)\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
    )
    files = {**DJ_STATIC, "mysite/settings.py": base, "requirements.txt": "django==4.2.16\ngunicorn\ndj-static\ndjango-environ\n"}
    write_tree(tmp_path, files)
    message = message_of(tmp_path, "DJH104")
    assert "the DJANGO_DEBUG config var is unset" in message and "the DEBUG config var" not in message


TOOLBAR_REQUIREMENTS = "django==4.2.16\ngunicorn\ndj-static\ndjango-debug-toolbar==4.4.6\n"


def test_an_installed_toolbar_with_debug_off_cannot_show(tmp_path):
    settings = SETTINGS.replace('"django.contrib.staticfiles"]', '"django.contrib.staticfiles", "debug_toolbar"]')
    settings = settings.replace('MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]', 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "debug_toolbar.middleware.DebugToolbarMiddleware"]')
    write_tree(tmp_path, {**DJ_STATIC, "mysite/settings.py": settings, "requirements.txt": TOOLBAR_REQUIREMENTS})
    assert "DJH109" not in codes(tmp_path)
    write_tree(tmp_path, {"mysite/settings.py": settings.replace("DEBUG = False", "DEBUG = True")})
    assert codes(tmp_path, select=["DJH109"]) == ["DJH109", "DJH109"]


def test_a_powershell_requirements_file_is_installed_by_pip(tmp_path):
    text = "asgiref==3.8.1\r\nDjango==4.2.16\r\ndj-static==0.0.6\r\ngunicorn==23.0.0\r\nsqlparse==0.5.1\r\n"
    write_tree(tmp_path, {**DJ_STATIC, "requirements.txt": "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")})
    found = codes(tmp_path)
    assert "DJH602" not in found and "DJH601" not in found


def test_a_setting_that_may_be_unset_is_not_taken_for_true(make_project):
    """`DEBUG = True` under an `if` leaves Django's False on the other path: DEBUG is not
    certainly on, so the toolbar's DJH109 and ALLOWED_HOSTS' DJH105 do not rely on it; the
    same for SECURE_SSL_REDIRECT and DJH107.  Set outside the `if`, each speaks."""
    toolbar = (
        "import os\n\n"
        'SECRET_KEY = os.environ["SECRET_KEY"]\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles", "debug_toolbar"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "debug_toolbar.middleware.DebugToolbarMiddleware"]\n'
        "ALLOWED_HOSTS = []\n"
        'STATIC_URL = "/static/"\nSTATIC_ROOT = "staticfiles"\n'
        'SECURE_SSL_REDIRECT = os.environ.get("SSL", "1") == "1"\n'
    )
    files = {
        "mysite/settings.py": toolbar + 'if os.environ.get("LOCAL"):\n    DEBUG = True\n',
        "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\nwhitenoise==6.11.0\ndjango-debug-toolbar==6.0.0\n",
    }
    root = make_project(files)
    found = set(codes(root))
    assert "DJH109" not in found and "DJH105" in found  # an empty ALLOWED_HOSTS, DEBUG not certainly on
    root = make_project({**files, "mysite/settings.py": toolbar + "DEBUG = True\n"})
    found = set(codes(root))
    assert "DJH109" in found and "DJH105" not in found  # DEBUG on: Django's own localhost hosts apply

    ssl = {"mysite/settings.py": 'import os\n\nif os.environ.get("FORCE_SSL"):\n    SECURE_SSL_REDIRECT = True\n', "Procfile": "web: uvicorn mysite.asgi:application --host 0.0.0.0 --port $PORT\n"}
    assert "DJH107" not in codes(make_project(ssl))
    assert "DJH107" in codes(make_project({**ssl, "mysite/settings.py": "SECURE_SSL_REDIRECT = True\n"}))


def test_a_console_handler_filtered_by_require_debug_true_logs_nothing_on_heroku(make_project):
    """Django's own default shape: the console handler only speaks while DEBUG is on, so
    with DEBUG off a 500's traceback reaches no stream (DJH110); without the filter it does."""
    logging = (
        "LOGGING = {\n"
        '    "version": 1,\n'
        '    "disable_existing_loggers": False,\n'
        '    "filters": {"require_debug_true": {"()": "django.utils.log.RequireDebugTrue"}},\n'
        '    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["require_debug_true"]}},\n'
        '    "loggers": {"django": {"handlers": ["console"], "level": "INFO"}},\n'
        "}\n"
    )
    settings = 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = [".herokuapp.com"]\n'
    root = make_project({"mysite/settings.py": settings + logging})
    assert "DJH110" in codes(root)
    root = make_project({"mysite/settings.py": settings + logging.replace(', "filters": ["require_debug_true"]', "")})
    assert "DJH110" not in codes(root)
