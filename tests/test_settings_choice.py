"""Which settings module Heroku runs, as real projects lay them out, and what djhlint
says when it cannot tell (DJH001).

Each tree is the small shape of a real public project: a top-level ``config/`` package
with ``development.py`` and ``production.py``; cookiecutter's ``config/django/``; a
``wsgi.py`` default naming a ``local.py`` that ``.gitignore`` keeps out of git; a
two-line ``prod.py`` beside a package that runs its own chain; a
``settings_production.py`` holding only ``DATABASES`` that ``settings.py`` star-imports.
"""

from __future__ import annotations

import pytest

from django_heroku_lint.engine import Options, lint

from .helpers import LOGGING, diagnostics, git, lint_project, run_cli, write_tree
from .test_robustness import ended_cleanly, run_djhlint

REQUIREMENTS = "django==5.2.8\ngunicorn\nwhitenoise\ndj-database-url\npsycopg[binary]\n"

# A top-level config/ package (no package named settings), chosen by a plain default.
CONFIG_PACKAGE = {
    ".python-version": "3.13\n",
    "Procfile": "web: daphne -b 0.0.0.0 -p $PORT project.asgi:application\n",
    "requirements.txt": REQUIREMENTS + "daphne\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.development")\n',
    "project/__init__.py": "",
    "project/asgi.py": (
        "import os\nfrom django.core.asgi import get_asgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.development")\n'
        "application = get_asgi_application()\n"
    ),
    "config/__init__.py": "",
    "config/base.py": (
        "import os\n"
        'SECRET_KEY = os.environ.get("SECRET_KEY")\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
        'STATIC_ROOT = "staticfiles"\n'
    ),
    "config/development.py": (
        "from .base import *\nDEBUG = True\n"
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
    ),
    "config/production.py": (
        "import dj_database_url\nfrom .base import *\nDEBUG = False\n"
        'ALLOWED_HOSTS = ["*"]\nDATABASES = {"default": dj_database_url.config()}\n'
    ),
}

# othello-server's shape: the default names config.settings.local, which git ignores.
IGNORED_DEFAULT = {
    ".gitignore": "config/settings/local.py\n",
    ".python-version": "3.12\n",  # Django 4.2 supports up to 3.12 (DJH608)
    "Procfile": "release: python manage.py migrate\nweb: daphne -b 0.0.0.0 -p $PORT config.asgi:application\n",
    "requirements.txt": "django==4.2.18\ndaphne\nwhitenoise\ndj-database-url\npsycopg2-binary\ndjango-heroku\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
    "config/__init__.py": "",
    "config/asgi.py": (
        "import os\nfrom django.core.asgi import get_asgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n'
        "application = get_asgi_application()\n"
    ),
    "config/settings/__init__.py": (
        "import os\n"
        'if os.getenv("DJANGO_SETTINGS_MODULE", "config.settings.local") == "config.settings.local":\n'
        "    from .local import *\nelse:\n    from .production import *\n"
    ),
    "config/settings/base.py": (
        "import os\n"
        'SECRET_KEY = os.environ.get("SECRET_KEY")\n'
        'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
        'STATIC_ROOT = "staticfiles"\n' + LOGGING
    ),
    "config/settings/production.py": (
        "import django_heroku\nfrom .base import *\nDEBUG = False\nSECURE_SSL_REDIRECT = True\n"
        "django_heroku.settings(locals())\n"
    ),
    "config/settings/local.py": "from .base import *\nDEBUG = True\n",  # on the author's disk, never in git
}

# pdf-parser's shape: wsgi.py names the package, whose __init__ runs base; prod.py is two lines.
PROD_FRAGMENT = {
    ".python-version": "3.12\n",
    "Procfile": "web: gunicorn config.wsgi --log-file -\n",
    "requirements.txt": "django==4.2.16\ngunicorn\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
    "config/__init__.py": "",
    "config/wsgi.py": (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n'
        "application = get_wsgi_application()\n"
    ),
    "config/settings/__init__.py": "from .base import *\n",
    "config/settings/base.py": (
        'SECRET_KEY = "nwpma-f7m%f!b&vj6-literal"\n'
        "DEBUG = True\n"
        "ALLOWED_HOSTS = []\n"
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n'
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
        'STATIC_ROOT = "staticfiles"\n'
    ),
    "config/settings/prod.py": 'DEBUG = False\nALLOWED_HOSTS = ["*"]\n',
}


def choice_of(root, **options):
    (result,) = lint(Options(paths=[str(root)], **options)).projects
    return result.context.settings_choice


def codes_in(root) -> set[tuple[str, str]]:
    return {(code, path) for code, path, _ in diagnostics(root)}


def committed(root, files):
    write_tree(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "project")
    return root


def test_production_beside_development_in_a_package_not_named_settings(tmp_path):
    write_tree(tmp_path, CONFIG_PACKAGE)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("config.production", "config/production.py")
    assert choice.reason == "production module beside config.development, which project/asgi.py points at"
    found = diagnostics(tmp_path)
    assert ("DJH108", "project/asgi.py", 3) in found  # the default is the development module
    assert ("DJH101", "config/production.py", 4) in found
    assert not {"DJH104", "DJH501"} & {code for code, _, _ in found}  # development.py is not judged


@pytest.mark.parametrize("page_break", ["\x0c\n", "# a line separator\u2028in a comment\n"])
def test_a_line_break_python_does_not_count_leaves_the_default_where_it_is_written(tmp_path, page_break):
    """A form feed (an old page break) ends no line for Python, nor does U+2028: the
    default is still found inside its quotes, on the line Python gives it."""
    asgi = CONFIG_PACKAGE["project/asgi.py"].replace("from django", page_break + "from django")
    write_tree(tmp_path, {**CONFIG_PACKAGE, "project/asgi.py": asgi})
    (span,) = [each.span for each in lint_project(tmp_path, cache=False) if each.code == "DJH108"]
    line = asgi.encode().split(b"\n")[span.line - 1].decode()
    assert line[span.col - 1 : span.end_col - 1] == "config.development"


def test_cookiecutter_django_folder_with_local_and_production(tmp_path):
    files = {
        **{k: v for k, v in CONFIG_PACKAGE.items() if not k.startswith("config/")},
        "config/__init__.py": "",
        "config/django/__init__.py": "",
        "config/django/base.py": CONFIG_PACKAGE["config/base.py"],
        "config/django/local.py": CONFIG_PACKAGE["config/development.py"],
        "config/django/production.py": CONFIG_PACKAGE["config/production.py"],
    }
    files["manage.py"] = files["manage.py"].replace("config.development", "config.django.local")
    files["project/asgi.py"] = files["project/asgi.py"].replace("config.development", "config.django.local")
    write_tree(tmp_path, files)
    assert choice_of(tmp_path).module == "config.django.production"
    assert ("DJH101", "config/django/production.py") in codes_in(tmp_path)


def test_a_package_named_for_something_else_gets_no_guess(tmp_path):
    """Only a development default looks for a production sibling outside a settings package."""
    files = dict(CONFIG_PACKAGE)
    files["manage.py"] = files["manage.py"].replace("config.development", "config.main")
    files["project/asgi.py"] = files["project/asgi.py"].replace("config.development", "config.main")
    files["config/main.py"] = files.pop("config/development.py")
    write_tree(tmp_path, files)
    assert choice_of(tmp_path).module == "config.main"


def test_the_default_names_a_git_ignored_module_beside_production(tmp_path):
    root = committed(tmp_path, IGNORED_DEFAULT)
    choice = choice_of(root)
    assert (choice.module, choice.path) == ("config.settings.production", "config/settings/production.py")
    assert "which config/asgi.py points at but the repository does not hold" in choice.reason
    assert {code for code, _ in codes_in(root)} >= {"DJH101", "DJH202", "DJH604"}
    assert "DJH108" not in {code for code, _ in codes_in(root)}  # the default cannot run at all: no dev settings deploy


def test_the_default_names_a_missing_module_and_nothing_beside_it(tmp_path):
    files = {k: v for k, v in IGNORED_DEFAULT.items() if k != "config/settings/production.py"}
    files["config/settings/__init__.py"] = ""
    root = committed(tmp_path, files)
    assert diagnostics(root) == [("DJH001", "config/asgi.py", 3)]
    result = run_cli([str(root)])
    assert result.exit_code == 1
    assert "All checks passed" not in result.output
    assert "config.settings.local, which the repository does not hold" in result.stdout
    assert "--settings-module" in result.stdout
    # not manage.py's default either: it names the same missing module
    assert run_cli([str(root), "--settings-module", "config.settings.base"]).exit_code == 0


def test_a_computed_name_nobody_can_evaluate_is_dj001_not_a_pass(tmp_path):
    files = {k: v for k, v in IGNORED_DEFAULT.items() if k not in ("config/settings/local.py", ".gitignore")}
    computed = '"config.settings.{0}".format(os.environ.get("DJANGO_ENV"))'
    files["config/asgi.py"] = files["config/asgi.py"].replace('"config.settings.local"', computed)
    files["manage.py"] = files["manage.py"].replace('"config.settings.local"', computed)
    files["config/settings/heroku.py"] = files.pop("config/settings/production.py")
    files["config/settings/__init__.py"] = ""
    write_tree(tmp_path, files)
    assert diagnostics(tmp_path, select=["DJH001"]) == [("DJH001", "config/asgi.py", 3)]
    result = run_cli([str(tmp_path), "--select", "DJH001"])
    assert result.exit_code == 1 and "computes DJANGO_SETTINGS_MODULE" in result.stdout


def test_choosing_among_computed_names_reads_each_entry_point_once(tmp_path, monkeypatch):
    from django_heroku_lint.discover.projects import find_projects
    from django_heroku_lint.model import modules
    from django_heroku_lint.read.layout import read_layout

    files = {k: v for k, v in IGNORED_DEFAULT.items() if k not in ("config/settings/local.py", ".gitignore")}
    computed = '"config.settings.{0}".format(os.environ.get("DJANGO_ENV"))'
    files["config/asgi.py"] = files["config/asgi.py"].replace('"config.settings.local"', computed)
    files["manage.py"] = files["manage.py"].replace('"config.settings.local"', computed)
    write_tree(tmp_path, files)
    (project,) = find_projects([str(tmp_path)])
    layout = read_layout(project)
    parsed: list[str] = []
    read_defaults = modules.read_defaults

    def counted(text, rel, environment):
        parsed.append(rel)
        return read_defaults(text, rel, environment)

    monkeypatch.setattr(modules, "read_defaults", counted)
    choice = modules.choose_settings_module(project, layout, modules.ModuleIndex(project), None)
    assert choice is not None and choice.span is not None and choice.span.file == "config/asgi.py"
    assert sorted(parsed) == ["config/asgi.py", "manage.py"]  # the fallback reuses what the first pass read


def test_a_two_line_prod_fragment_is_not_the_settings_module(tmp_path):
    write_tree(tmp_path, PROD_FRAGMENT)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("config.settings", "config/settings/__init__.py")
    found = codes_in(tmp_path)
    assert {("DJH102", "config/settings/base.py"), ("DJH104", "config/settings/base.py"), ("DJH501", "config/settings/base.py")} <= found
    assert ("DJH201", "config/settings/base.py") in found
    assert not any(path == "config/settings/prod.py" for _, path in found)


def test_a_prod_fragment_beside_an_empty_package_is_not_judged_either(tmp_path):
    files = {**PROD_FRAGMENT, "config/settings/__init__.py": "", "config/settings/local.py": "from .base import *\n"}
    files["config/wsgi.py"] = files["config/wsgi.py"].replace('"config.settings"', '"config.settings.local"')
    write_tree(tmp_path, files)
    assert choice_of(tmp_path).module == "config.settings.local"


def test_a_production_fragment_settings_py_star_imports(tmp_path):
    files = {
        ".python-version": "3.12\n",
        "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
        "requirements.txt": "django==4.2.16\ngunicorn\ndj-database-url\n",
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        "mysite/__init__.py": "",
        "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        "mysite/settings.py": (
            'SECRET_KEY = "django-insecure-9f8y0literal"\nDEBUG = False\nALLOWED_HOSTS = [".herokuapp.com"]\n'
            'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
            'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
            'STATIC_ROOT = "staticfiles"\n'
            "from .settings_production import *\n"
        ),
        "mysite/settings_production.py": 'import dj_database_url\nDATABASES = {"default": dj_database_url.config()}\n',
    }
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("mysite.settings", "mysite/settings.py")
    assert ("DJH102", "mysite/settings.py") in codes_in(tmp_path)


def test_a_guess_among_candidates_is_named_in_the_summary_and_explained(tmp_path):
    files = {**CONFIG_PACKAGE, "config/heroku.py": "from .production import *\n"}
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.candidates == ["config.production", "config.heroku", "config.development"]
    result = run_cli([str(tmp_path), "--no-cache"])
    assert "judged config.production (guessed among 3 candidates; set settings-module to choose)" in result.stderr
    verbose = run_cli([str(tmp_path), "--no-cache", "--verbose"])
    assert "a guess among 3 candidates: config.production, config.heroku, config.development" in verbose.stderr
    shown = run_cli(["settings", str(tmp_path)])
    assert "a guess among 3 candidates: config.production, config.heroku, config.development" in shown.stdout
    told = run_cli([str(tmp_path), "--no-cache", "--settings-module", "config.production"])
    assert "guessed" not in told.stderr


def test_a_single_module_is_no_guess(make_project):
    root = make_project()
    assert choice_of(root).candidates == []
    assert run_cli([str(root)]).stderr.strip() == "All checks passed."


def test_a_default_chosen_in_code_is_not_a_development_default(tmp_path):
    """RealTime-Chat's asgi.py picks development when DEBUG is set and production
    otherwise: the production module is judged, and DJH108 does not claim that production
    runs the development module."""
    choose = (
        'if os.environ.get("DEBUG", False):\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.development")\n'
        "else:\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")\n'
    )
    files = dict(CONFIG_PACKAGE)
    files["manage.py"] = "import os\n" + choose
    files["project/asgi.py"] = "import os\nfrom django.core.asgi import get_asgi_application\n" + choose + "application = get_asgi_application()\n"
    write_tree(tmp_path, files)
    assert choice_of(tmp_path).module == "config.production"
    found = diagnostics(tmp_path)
    assert ("DJH101", "config/production.py", 4) in found
    assert "DJH108" not in {code for code, _, _ in found}


# Entry points that choose in code, evaluated with a dyno's environment: what Heroku sets
# on every dyno (DYNO, PORT), app.json's env, the Procfile's web command; nothing else.
DYNO_SWITCH = {
    ".python-version": "3.12\n",
    "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
    "requirements.txt": REQUIREMENTS,
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.local_settings")\n',
    "mysite/__init__.py": "",
    "mysite/wsgi.py": (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n\n"
        'if "DYNO" not in os.environ:\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.local_settings")\n'
        "else:\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'
        "application = get_wsgi_application()\n"
    ),
    "mysite/settings.py": (
        "import os\n"
        'SECRET_KEY = os.environ["SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n'
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
        'STATIC_ROOT = "staticfiles"\n'
    ),
    "mysite/local_settings.py": "from .settings import *\nDEBUG = True\n",
}


def test_an_entry_point_testing_dyno_takes_the_heroku_branch(tmp_path):
    write_tree(tmp_path, DYNO_SWITCH)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("mysite.settings", "mysite/settings.py")
    assert "`if \"DYNO\" not in os.environ` takes the else branch (DYNO='web.1' from Heroku (on every dyno))" in choice.reason
    found = codes_in(tmp_path)
    assert ("DJH101", "mysite/settings.py") in found
    assert ("DJH104", "mysite/local_settings.py") not in found
    shown = run_cli(["settings", str(tmp_path)])
    assert "DYNO='web.1' from Heroku (on every dyno)" in shown.stdout


def test_an_uncast_debug_test_takes_the_unset_branch_and_says_so(tmp_path):
    """Pattern 1 and 8 (RealTime-Chat): DEBUG is unset on a dyno, so the else branch runs;
    the choice says that a DEBUG of "False" would take the other one."""
    files = dict(DYNO_SWITCH)
    files["mysite/wsgi.py"] = files["mysite/wsgi.py"].replace('"DYNO" not in os.environ', 'os.environ.get("DEBUG", False)')
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.module == "mysite.settings"
    assert "takes the else branch (DEBUG is unset on a dyno)" in choice.reason
    assert 'DEBUG is read uncast: any non-empty value, even "False", takes the other branch' in choice.reason


def test_an_undecidable_test_makes_both_modules_candidates(tmp_path):
    files = dict(DYNO_SWITCH)
    files["mysite/wsgi.py"] = files["mysite/wsgi.py"].replace('"DYNO" not in os.environ', 'not os.environ.get("DATABASE_URL")')
    files["mysite/production.py"] = files.pop("mysite/settings.py")
    files["mysite/local_settings.py"] = "from .production import *\nDEBUG = True\n"
    files["mysite/wsgi.py"] = files["mysite/wsgi.py"].replace('"mysite.settings"', '"mysite.production"')
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.module == "mysite.production"
    assert choice.candidates == ["mysite.production", "mysite.local_settings"]
    assert "cannot decide" in choice.reason


FORMATTED = {
    ".python-version": "3.12\n",
    "Procfile": "web: gunicorn config.wsgi --log-file -\n",
    "requirements.txt": REQUIREMENTS + "django-heroku\n",
    "app.json": '{"name": "sozluk", "env": {"SECRET_KEY": {"generator": "secret"}, "DJANGO_ENV": {"value": "heroku"}}}\n',
    "manage.py": (
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.{0}".format(os.environ.get("DJANGO_ENV")))\n'
    ),
    "config/__init__.py": "",
    "config/wsgi.py": (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault(\n"
        '    "DJANGO_SETTINGS_MODULE",\n'
        '    "config.settings.{0}".format(os.environ.get("DJANGO_ENV")),\n'
        ")\n"
        "application = get_wsgi_application()\n"
    ),
    "config/settings/__init__.py": "",
    "config/settings/base.py": (
        'SECRET_KEY = "12534"\nINSTALLED_APPS = ["django.contrib.staticfiles"]\n'
        'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]\n'
        'STATIC_ROOT = "staticfiles"\n'
    ),
    "config/settings/local.py": "from .base import *\nDEBUG = True\n",
    "config/settings/heroku.py": 'from .base import *\n\nDEBUG = True\nALLOWED_HOSTS = ["*"]\n',
}


def test_a_name_formatted_from_app_json_env_is_evaluated(tmp_path):
    """Pattern 2 (sozluk): the name is built with .format() from DJANGO_ENV, which app.json sets."""
    write_tree(tmp_path, FORMATTED)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("config.settings.heroku", "config/settings/heroku.py")
    assert "the name evaluates to config.settings.heroku (DJANGO_ENV='heroku' from app.json's env)" in choice.reason
    assert {("DJH104", "config/settings/heroku.py"), ("DJH101", "config/settings/heroku.py")} <= codes_in(tmp_path)


def test_a_name_from_an_f_string_the_procfile_or_a_default_is_evaluated(tmp_path):
    files = {k: v for k, v in FORMATTED.items() if k != "app.json"}
    files["Procfile"] = "web: DJANGO_ENV=heroku gunicorn config.wsgi --log-file -\n"
    files["config/wsgi.py"] = files["config/wsgi.py"].replace(
        '"config.settings.{0}".format(os.environ.get("DJANGO_ENV"))', 'f"config.settings.{os.environ.get(\'DJANGO_ENV\')}"'
    )
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.module == "config.settings.heroku"
    assert "DJANGO_ENV='heroku' from the Procfile web command" in choice.reason
    for computed in ('"config.settings." + os.getenv("DJANGO_ENV", "heroku")', '"config.settings.%s" % os.environ.get("DJANGO_ENV", "heroku")'):
        files["Procfile"] = "web: gunicorn config.wsgi --log-file -\n"
        files["config/wsgi.py"] = FORMATTED["config/wsgi.py"].replace('"config.settings.{0}".format(os.environ.get("DJANGO_ENV"))', computed)
        write_tree(tmp_path, files)
        assert choice_of(tmp_path, cache=False).module == "config.settings.heroku", computed


def test_a_settings_module_exported_by_the_web_script_is_named_as_such(tmp_path):
    files = {k: v for k, v in DYNO_SWITCH.items() if k != "mysite/wsgi.py"}
    files["mysite/wsgi.py"] = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.local_settings")\n'
    files["Procfile"] = "web: bash ./start.sh\n"
    files["start.sh"] = "#!/bin/sh\nexport DJANGO_SETTINGS_MODULE=mysite.settings\nexec gunicorn mysite.wsgi --log-file -\n"
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.module == "mysite.settings"
    assert choice.reason == "DJANGO_SETTINGS_MODULE set in start.sh, which the web process runs"


HOSTILE_NAMES = {
    "deep": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", ' + '"a" + ' * 20_000 + '"b")\n',
    "wide": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{}".format(' + '"x" * 9 + ' * 5_000 + '"y"))\n',
    "spec": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{:>999999999}".format("a"))\n',
    "attr": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{0.__class__}".format("a"))\n',
    "bad": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "\\d" if (\n',
}


@pytest.mark.parametrize("text", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))
def test_a_hostile_entry_point_is_not_evaluated(tmp_path, text):
    """No name is built past what a module name can be, no format spec or attribute is
    evaluated, and a file Python refuses is no entry point: each ends in a clean run."""
    files = {k: v for k, v in FORMATTED.items() if k != "app.json"}
    files["manage.py"] = "import os\n"
    files["config/wsgi.py"] = "import os\n" + text
    write_tree(tmp_path, files)
    run = run_djhlint([str(tmp_path), "--no-cache", "--select", "DJH001"], tmp_path, timeout=30)
    ended_cleanly(run)
    assert run.stderr.count("\n") <= 2, run.stderr  # no warning from Python's parser


def test_an_entry_point_python_refuses_still_names_its_literal_default(tmp_path):
    files = dict(DYNO_SWITCH)
    files["mysite/wsgi.py"] = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = (\n'
    write_tree(tmp_path, files)
    assert choice_of(tmp_path).module == "mysite.settings"


def test_a_dyno_that_takes_the_development_branch_is_djh108_unless_app_json_says_otherwise(tmp_path):
    """`if os.environ.get("PRODUCTION")`: unset on a dyno, so the development default
    runs there (DJH108); app.json's env setting PRODUCTION takes the production branch."""
    choose = (
        'if os.environ.get("PRODUCTION"):\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.production")\n'
        "else:\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.development")\n'
    )
    files = dict(CONFIG_PACKAGE)
    files["project/asgi.py"] = "import os\nfrom django.core.asgi import get_asgi_application\n" + choose + "application = get_asgi_application()\n"
    write_tree(tmp_path, files)
    assert ("DJH108", "project/asgi.py", 6) in diagnostics(tmp_path)
    write_tree(tmp_path, {"app.json": '{"env": {"PRODUCTION": "1"}}\n'})
    assert "DJH108" not in {code for code, _, _ in diagnostics(tmp_path, cache=False)}
    assert "takes the if branch (PRODUCTION='1' from app.json's env)" in choice_of(tmp_path, cache=False).reason


def test_with_djh001_deselected_a_run_that_judged_no_settings_never_passes_silently(tmp_path):
    """The repository cannot say which settings deploy and DJH001 is ignored: the rules
    decide the exit code, but the summary says no settings module was judged instead of
    "All checks passed."."""
    files = {k: v for k, v in IGNORED_DEFAULT.items() if k != "config/settings/local.py"}
    files["config/settings/production.py"] = None
    write_tree(tmp_path, {k: v for k, v in files.items() if v is not None})
    for args in (["--ignore", "DJH001"], ["--select", "DJH3"]):
        result = run_cli([str(tmp_path), *args])
        assert result.exit_code == 0, result.output
        assert "All checks passed" not in result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert "no settings module was judged" in line and "config.settings.local was not found" in line
    judged = run_cli([str(tmp_path), "--ignore", "DJH001", "--settings-module", "config.settings.base"])
    assert "no settings module was judged" not in judged.stderr


def test_a_settings_package_beside_a_stale_settings_py_is_what_python_imports(make_project):
    """A project split ``settings.py`` into ``settings/`` and kept the old file: Python's
    import system takes the package (``settings/__init__.py``) over the module beside it,
    so the stale file's literal key and ``DEBUG = True`` never run."""
    from django_heroku_lint.rules._baseline import SETTINGS

    package_base = SETTINGS.replace(".parent.parent", ".parent.parent.parent")
    root = make_project(
        {
            "mysite/settings.py": SETTINGS.replace('SECRET_KEY = config("SECRET_KEY")', 'SECRET_KEY = "stale-literal-key-0123456789"')
            + "\nDEBUG = True\n",
            "mysite/settings/__init__.py": "from .base import *  # noqa\n",
            "mysite/settings/base.py": package_base,
        }
    )
    found = diagnostics(root, cache=False)
    assert not {"DJH102", "DJH104"} & {code for code, _, _ in found}, found
    result = run_cli(["settings", str(root)])
    assert "Settings module: mysite.settings (" in result.output
    assert "mysite/settings/__init__.py)" in result.output


def test_a_name_formatted_from_a_setdefault_of_its_own_variable_is_evaluated(tmp_path):
    """vigo/django2-project-template: ``"config.settings.{0}".format(os.environ.setdefault(
    "DJANGO_ENV", "production"))``, whose value is the variable's, or the default it sets."""
    files = {k: v for k, v in FORMATTED.items() if k not in ("app.json", "config/settings/heroku.py")}
    files["config/settings/production.py"] = 'from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n'
    files["config/wsgi.py"] = FORMATTED["config/wsgi.py"].replace(
        '"config.settings.{0}".format(os.environ.get("DJANGO_ENV"))', '"config.settings.{0}".format(os.environ.setdefault("DJANGO_ENV", "production"))'
    )
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("config.settings.production", "config/settings/production.py")
    assert "the name evaluates to config.settings.production (DJANGO_ENV='production' from the setdefault at config/wsgi.py:5)" in choice.reason
    assert ("DJH101", "config/settings/production.py") in codes_in(tmp_path)
    files["app.json"] = FORMATTED["app.json"]
    files["config/settings/heroku.py"] = FORMATTED["config/settings/heroku.py"]
    write_tree(tmp_path, files)
    assert choice_of(tmp_path, cache=False).module == "config.settings.heroku"


DOCS_NAMED = {
    ".python-version": "3.12\n",
    "Procfile": "web: gunicorn config.wsgi --log-file -\n",
    "requirements.txt": REQUIREMENTS + "django-heroku\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
    "config/__init__.py": "",
    "config/wsgi.py": (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n'
        "application = get_wsgi_application()\n"
    ),
    "config/settings/__init__.py": "",
    "config/settings/base.py": FORMATTED["config/settings/base.py"],
    "config/settings/local.py": "from .base import *\nDEBUG = True\n",
    "config/settings/production.py": 'from .base import *\n\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n',
    "config/settings/staging_heroku.py": "from .base import *\nimport django_heroku\n\nDEBUG = False\ndjango_heroku.settings(locals())\n",
    "doc/deployment.md": (
        "# Deploying to Heroku\n\n```\nheroku create\n"
        "heroku config:set DJANGO_SETTINGS_MODULE='config.settings.staging_heroku' --app tms-staging\n"
        "git push heroku master\n```\n"
    ),
}


def test_a_settings_module_named_by_heroku_config_set_in_the_docs_is_judged(tmp_path):
    """tms-backend: wsgi.py defaults to production.py (their other host); doc/deployment.md
    sets the Heroku app's module with `heroku config:set`, which ranks after app.json."""
    write_tree(tmp_path, DOCS_NAMED)
    choice = choice_of(tmp_path)
    assert (choice.module, choice.path) == ("config.settings.staging_heroku", "config/settings/staging_heroku.py")
    assert choice.reason == "DJANGO_SETTINGS_MODULE set with heroku config:set at doc/deployment.md:5"
    assert {("DJH101", "config/settings/staging_heroku.py"), ("DJH604", "config/settings/staging_heroku.py")} <= codes_in(tmp_path)


@pytest.mark.parametrize(
    "line",
    [
        "heroku config:set DJANGO_SETTINGS_MODULE=config.settings.<your-module>",  # a placeholder
        "heroku config:set DJANGO_SETTINGS_MODULE=$MODULE",  # a shell variable
        "heroku config:set DJANGO_SETTINGS_MODULE=config.settings.staging_heroku\nheroku config:set DJANGO_SETTINGS_MODULE=config.settings.production -a prod",
        "export DJANGO_SETTINGS_MODULE=config.settings.staging_heroku",  # not a config var
    ],
)
def test_docs_that_do_not_name_one_module_for_heroku_leave_the_entry_point_s_choice(tmp_path, line):
    write_tree(tmp_path, {**DOCS_NAMED, "doc/deployment.md": f"```\n{line}\n```\n"})
    assert choice_of(tmp_path, cache=False).module == "config.settings.production"


CONFIG_SET = b"```\nheroku config:set DJANGO_SETTINGS_MODULE=config.settings.staging_heroku\n```\n"


@pytest.mark.parametrize(
    "data",
    [CONFIG_SET + b"x" * (256 * 1024), b"Caf\xe9 app\n" + CONFIG_SET],  # too long to be read; not UTF-8
    ids=["too-long", "latin-1"],
)
def test_a_doc_djhlint_does_not_read_names_no_module(tmp_path, data):
    """A document past the size bound, or not UTF-8, is passed over without a word: it is
    a hint, not a file Heroku reads, so it never stops the run."""
    write_tree(tmp_path, {**DOCS_NAMED, "doc/deployment.md": data})
    choice = choice_of(tmp_path, cache=False)
    assert choice.module == "config.settings.production"
    assert not any(code == "DJH000" for code, _ in codes_in(tmp_path))


def test_a_variable_set_in_the_readme_builds_the_computed_name(tmp_path):
    """django2-project-template: the name comes from DJANGO_ENV, and the README says
    `heroku config:set DJANGO_ENV="heroku"`; app.json, when it sets the variable, wins."""
    files = {k: v for k, v in FORMATTED.items() if k != "app.json"}
    files["README.md"] = '## Heroku\n\n    $ heroku config:set DJANGO_ENV="heroku"\n    $ heroku config:add DJANGO_ENV=heroku\n'
    write_tree(tmp_path, files)
    choice = choice_of(tmp_path)
    assert choice.module == "config.settings.heroku"
    assert "DJANGO_ENV='heroku' from heroku config:set at README.md:3" in choice.reason
    write_tree(tmp_path, {**files, "app.json": '{"env": {"DJANGO_ENV": {"value": "local"}}}\n'})
    assert "DJANGO_ENV='local' from app.json's env" in choice_of(tmp_path, cache=False).reason


def test_djhlint_env_names_the_guess_as_djhlint_settings_does(tmp_path):
    write_tree(tmp_path, {**CONFIG_PACKAGE, "config/heroku.py": "from .production import *\n"})
    line = "  a guess among 3 candidates: config.production, config.heroku, config.development; "
    for view in ("settings", "env"):
        assert line in run_cli([view, "--no-cache", str(tmp_path)]).stdout, view
