"""Committed files that override the settings on Heroku.

A ``local_settings.py`` imported under ``try``, a ``.env`` that django-environ's
``read_env()`` loads, a ``.env`` or ``settings.ini`` that python-decouple's ``config``
finds: when git tracks them, a push deploys them and their values are what runs
wherever no config var is set.  When git ignores them, or does not track them yet,
they stay on the developer's machine.  Each project here is a small git repository laid
out as real ones are.
"""

from __future__ import annotations

import json
from pathlib import Path

from django_heroku_lint.rules._baseline import SETTINGS

from .helpers import diagnostics, git, run_cli
from .test_robustness import ended_cleanly, run_djhlint

LOCAL_IMPORT = "\ntry:\n    from .local_settings import *  # noqa\nexcept ImportError:\n    pass\n"
LOCAL_SETTINGS = 'DEBUG = True\nALLOWED_HOSTS = ["*"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
SECRET = "k9#x2-never-print-this-secret-value-0123456789abcd"

# django-environ as its docs lay it out: read_env() of the .env next to manage.py.
ENVIRON_SETTINGS = SETTINGS.replace("from decouple import Csv, config\n", "import environ\n").replace(
    'BASE_DIR = Path(__file__).resolve().parent.parent\n',
    'BASE_DIR = Path(__file__).resolve().parent.parent\n\nenv = environ.Env()\nenviron.Env.read_env(BASE_DIR / ".env")\n',
).replace('SECRET_KEY = config("SECRET_KEY")', 'SECRET_KEY = env("SECRET_KEY")').replace(
    'DEBUG = config("DEBUG", default=False, cast=bool)', 'DEBUG = env.bool("DEBUG", default=False)'
).replace('ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost", cast=Csv())', 'ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])')


def committed(make_project, files, *, untracked=(), ignore=None, subdir="proj"):
    """The baseline project with ``files``, committed to git (``untracked`` left out of the index)."""
    root = make_project({**files, ".gitignore": ignore or "*.pyc\n"}, subdir=subdir)
    git(root, "init", "-q")
    git(root, "add", "-A")
    for rel in untracked:
        git(root, "rm", "-q", "--cached", rel)
    git(root, "commit", "-qm", "init")
    return root


def settings_text(root: Path) -> str:
    result = run_cli(["settings", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


def settings_json(root: Path) -> dict:
    result = run_cli(["settings", "--output-format", "json", str(root)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]


# ---------------------------------------------------------------------- local_settings.py


def test_a_committed_local_settings_runs_on_heroku_and_says_why(make_project):
    root = committed(make_project, {"mysite/settings.py": SETTINGS + LOCAL_IMPORT, "mysite/local_settings.py": LOCAL_SETTINGS})
    found = diagnostics(root, cache=False)
    assert ("DJH104", "mysite/local_settings.py", 1) in found
    assert ("DJH101", "mysite/local_settings.py", 2) in found
    assert "local_settings.py is committed, so this import runs on Heroku" in settings_text(root)
    (local,) = [ref for ref in settings_json(root)["chain"] if ref["module"] == "mysite.local_settings"]
    assert local["note"] == "local_settings.py is committed, so this import runs on Heroku"


def test_a_local_settings_git_does_not_track_may_be_missing_on_heroku(make_project):
    """Not ignored, but never added: on Heroku the import may fail, so DEBUG is True or not."""
    root = committed(
        make_project, {"mysite/settings.py": SETTINGS + LOCAL_IMPORT, "mysite/local_settings.py": LOCAL_SETTINGS},
        untracked=["mysite/local_settings.py"],
    )
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]
    assert "git does not track local_settings.py, so on Heroku this import may fail" in settings_text(root)


def test_an_ignored_local_settings_is_absent(make_project):
    root = committed(
        make_project, {"mysite/settings.py": SETTINGS + LOCAL_IMPORT, "mysite/local_settings.py": LOCAL_SETTINGS},
        ignore="mysite/local_settings.py\n",
    )
    assert not {"DJH104", "DJH101", "DJH501"} & {code for code, _, _ in diagnostics(root, cache=False)}


def test_a_committed_local_settings_of_a_settings_package_imported_absolutely(make_project):
    """``config/settings/production.py`` ends with ``from config.settings.local_settings import *``."""
    files = {
        "mysite/settings.py": None,
        "mysite/settings/__init__.py": "",
        "mysite/settings/production.py": SETTINGS.replace(".parent.parent", ".parent.parent.parent")
        + "\ntry:\n    from mysite.settings.local_settings import *  # noqa\nexcept ImportError:\n    pass\n",
        "mysite/settings/local_settings.py": "DEBUG = True\n",
        "mysite/wsgi.py": 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\napplication = get_wsgi_application()\n',
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
    }
    root = committed(make_project, files)
    assert ("DJH104", "mysite/settings/local_settings.py", 1) in diagnostics(root, cache=False)
    assert "local_settings.py is committed, so this import runs on Heroku" in settings_text(root)


def test_a_committed_top_level_local_settings(make_project):
    """``from local_settings import *``: the module beside manage.py, on the path gunicorn runs from."""
    settings = SETTINGS + "\ntry:\n    from local_settings import *  # noqa\nexcept ImportError:\n    pass\n"
    root = committed(make_project, {"mysite/settings.py": settings, "local_settings.py": LOCAL_SETTINGS})
    assert ("DJH104", "local_settings.py", 1) in diagnostics(root, cache=False)
    untracked = committed(make_project, {"mysite/settings.py": settings, "local_settings.py": LOCAL_SETTINGS}, untracked=["local_settings.py"], subdir="untracked")
    assert "DJH104" not in [code for code, _, _ in diagnostics(untracked, cache=False)]


def test_adding_local_settings_to_git_is_seen_by_a_cached_run(make_project):
    """What git tracks is an input of the settings-model cache and of the replayed output."""
    root = committed(
        make_project, {"mysite/settings.py": SETTINGS + LOCAL_IMPORT, "mysite/local_settings.py": LOCAL_SETTINGS},
        untracked=["mysite/local_settings.py"],
    )
    assert "DJH104" not in [code for code, _, _ in diagnostics(root)]
    git(root, "add", "mysite/local_settings.py")
    assert "DJH104" in [code for code, _, _ in diagnostics(root)]
    first = run_djhlint([str(root)], root, timeout=60)
    git(root, "rm", "-q", "--cached", "mysite/local_settings.py")
    second = run_djhlint([str(root)], root, timeout=60)
    assert b"DJH104" in first.stdout and b"DJH104" not in second.stdout


# ---------------------------------------------------------------------- django-environ's read_env()


def test_read_env_of_a_committed_dotenv_turns_debug_on(make_project):
    root = committed(make_project, {"mysite/settings.py": ENVIRON_SETTINGS, ".env": "DEBUG=True\n", "requirements.txt": "django\ndjango-environ\ngunicorn\nwhitenoise\ndj-database-url\n"})
    found = diagnostics(root, cache=False)
    assert ("DJH104", "mysite/settings.py", 12) in found
    result = run_cli(["check", str(root)])
    (line,) = [each for each in result.output.splitlines() if "DJH104" in each]
    assert "the committed .env sets it" in line
    assert "from the committed .env" in settings_text(root)


def test_read_env_of_a_dotenv_git_does_not_track_or_ignores_changes_nothing(make_project):
    files = {"mysite/settings.py": ENVIRON_SETTINGS, ".env": "DEBUG=True\n"}
    untracked = committed(make_project, files, untracked=[".env"])
    assert "DJH104" not in [code for code, _, _ in diagnostics(untracked, cache=False)]
    ignored = committed(make_project, files, ignore=".env\n", subdir="ignored")
    assert "DJH104" not in [code for code, _, _ in diagnostics(ignored, cache=False)]


def test_read_env_outside_git_takes_a_dotenv_the_gitignore_leaves_in(make_project):
    """Outside git, a push would commit what ``.gitignore`` does not ignore; with no
    ``.gitignore`` nothing tells what would be committed, so the file is left out."""
    files = {"mysite/settings.py": ENVIRON_SETTINGS, ".env": "DEBUG=True\n"}
    kept = make_project({**files, ".gitignore": "*.pyc\n"}, subdir="kept")
    assert "DJH104" in [code for code, _, _ in diagnostics(kept, cache=False)]
    ignored = make_project({**files, ".gitignore": ".env\n"}, subdir="ignored")
    assert "DJH104" not in [code for code, _, _ in diagnostics(ignored, cache=False)]
    unknown = make_project(files, subdir="unknown")
    assert "DJH104" not in [code for code, _, _ in diagnostics(unknown, cache=False)]


def test_read_env_that_may_not_run_on_heroku_changes_nothing(make_project):
    """cookiecutter-django reads its .env only when DJANGO_READ_DOT_ENV_FILE is on, which
    it is not on Heroku: a read_env() under an if djhlint cannot decide, or in a try, may
    never run, so the committed file's values are not taken for what deploys."""
    guarded = {
        "cookiecutter": 'READ_DOT_ENV_FILE = env.bool("DJANGO_READ_DOT_ENV_FILE", default=False)\nif READ_DOT_ENV_FILE:\n    env.read_env(str(BASE_DIR / ".env"))\n',
        "try": 'try:\n    environ.Env.read_env(BASE_DIR / ".env")\nexcept FileNotFoundError:\n    pass\n',
    }
    for name, block in guarded.items():
        settings = ENVIRON_SETTINGS.replace('environ.Env.read_env(BASE_DIR / ".env")\n', block)
        root = committed(make_project, {"mysite/settings.py": settings, ".env": "DEBUG=True\n"}, subdir=name)
        assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)], name


def test_read_env_with_no_path_reads_the_dotenv_beside_the_settings_module(make_project):
    """django-environ looks in the folder of the module that calls read_env()."""
    settings = ENVIRON_SETTINGS.replace('environ.Env.read_env(BASE_DIR / ".env")', "env.read_env()")
    beside = committed(make_project, {"mysite/settings.py": settings, "mysite/.env": "DEBUG=on\n"})
    assert "DJH104" in [code for code, _, _ in diagnostics(beside, cache=False)]
    elsewhere = committed(make_project, {"mysite/settings.py": settings, ".env": "DEBUG=on\n"}, subdir="elsewhere")
    assert "DJH104" not in [code for code, _, _ in diagnostics(elsewhere, cache=False)]


def test_read_env_of_an_os_path_join_inside_str(make_project):
    settings = ENVIRON_SETTINGS.replace(
        'environ.Env.read_env(BASE_DIR / ".env")', 'import os\nenviron.Env.read_env(str(os.path.join(BASE_DIR, ".env")))'
    )
    root = committed(make_project, {"mysite/settings.py": settings, ".env": 'DEBUG="True"\n'})
    assert "DJH104" in [code for code, _, _ in diagnostics(root, cache=False)]


def test_a_config_var_read_before_read_env_is_not_its(make_project):
    settings = ENVIRON_SETTINGS.replace('environ.Env.read_env(BASE_DIR / ".env")\n', "").replace(
        'DEBUG = env.bool("DEBUG", default=False)\n', 'DEBUG = env.bool("DEBUG", default=False)\nenviron.Env.read_env(BASE_DIR / ".env")\n'
    )
    root = committed(make_project, {"mysite/settings.py": settings, ".env": "DEBUG=True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_a_secret_from_a_committed_dotenv_is_reported_but_never_printed(make_project):
    root = committed(make_project, {"mysite/settings.py": ENVIRON_SETTINGS, ".env": f"SECRET_KEY={SECRET}\n"})
    assert ("DJH102", "mysite/settings.py", 11) in diagnostics(root, cache=False)
    for fmt in ("concise", "full", "json"):
        result = run_cli(["check", "--select", "DJH102", "--output-format", fmt, str(root)])
        assert SECRET not in result.output
    assert "the committed .env sets SECRET_KEY" in run_cli(["check", str(root)]).output
    assert SECRET not in settings_text(root) and SECRET not in json.dumps(settings_json(root))
    # The value is not in the code: no fix offers to edit it there.
    fixed = run_cli(["check", "--fix", "--unsafe-fixes", str(root)])
    assert (root / "mysite" / "settings.py").read_text() == ENVIRON_SETTINGS
    assert "DJH102" in fixed.output


# ---------------------------------------------------------------------- python-decouple's config


def test_decouple_finds_a_committed_dotenv_above_a_settings_package(make_project):
    """``config`` searches the calling module's folder, then each folder above it."""
    files = {
        "mysite/settings.py": None,
        "mysite/settings/__init__.py": "",
        "mysite/settings/base.py": SETTINGS.replace(".parent.parent", ".parent.parent.parent"),
        "mysite/settings/production.py": "from .base import *  # noqa\n",
        "mysite/wsgi.py": 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\napplication = get_wsgi_application()\n',
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
        ".env": "DEBUG=True\nWEB_CONCURRENCY=2\n",
    }
    root = committed(make_project, files)
    assert ("DJH104", "mysite/settings/base.py", 9) in diagnostics(root, cache=False)


def test_decouple_takes_settings_ini_before_dotenv_in_the_same_folder(make_project):
    root = committed(make_project, {"settings.ini": "[settings]\nDEBUG = False\n", ".env": "DEBUG=True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]
    root = committed(make_project, {"settings.ini": "[settings]\nDEBUG = True\n", ".env": "DEBUG=False\n"}, subdir="other")
    assert "DJH104" in [code for code, _, _ in diagnostics(root, cache=False)]


def test_decouple_takes_the_nearest_file(make_project):
    """A settings.ini beside the module is found before a .env at the root."""
    root = committed(make_project, {"mysite/settings.ini": "[settings]\nDEBUG=no\n", ".env": "DEBUG=True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_decouple_reads_only_the_settings_section_of_the_ini(make_project):
    root = committed(make_project, {"settings.ini": "[other]\nDEBUG = True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_an_autoconfig_told_where_to_look_is_left_alone(make_project):
    settings = SETTINGS.replace(
        "from decouple import Csv, config\n", 'from decouple import AutoConfig, Csv\n\nconfig = AutoConfig(search_path="/etc/mysite")\n'
    )
    root = committed(make_project, {"mysite/settings.py": settings, ".env": "DEBUG=True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_a_config_var_that_no_committed_file_sets_keeps_its_fallback(make_project):
    root = committed(make_project, {".env": "WEB_CONCURRENCY=2\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_a_changed_dotenv_or_settings_ini_is_seen_by_a_cached_run(make_project):
    """A committed file's bytes and whether git tracks it are inputs of the settings-model
    cache and of the replayed output: each change is linted again, never replayed."""
    root = committed(make_project, {".env": "DEBUG=False\n"})

    def debug_reported() -> bool:
        run = run_djhlint([str(root), "--select", "DJH104"], root, timeout=60)
        ended_cleanly(run)
        return b"DJH104" in run.stdout

    assert not debug_reported() and not debug_reported()  # stored, then replayed
    (root / ".env").write_text("DEBUG=True\n")
    assert debug_reported()
    git(root, "rm", "-q", "--cached", ".env")
    assert not debug_reported()
    (root / "mysite" / "settings.ini").write_text("[settings]\nDEBUG = True\n")
    git(root, "add", "mysite/settings.ini")
    assert debug_reported()
    (root / "mysite" / "settings.ini").write_text("[settings]\nDEBUG = False\n")
    assert not debug_reported()


# ---------------------------------------------------------------------- each library reads a .env its own way


def debug_on(root: Path) -> bool:
    return "DJH104" in [code for code, _, _ in diagnostics(root, cache=False)]


def test_django_environ_reads_only_its_own_dotenv_lines(make_project):
    """``read_env()`` takes ``NAME=value`` from the line's first character (``export `` may
    come first), keeps the value as written, a `` # comment`` included, and skips the rest:
    a blank around ``=``, an indented line, a first line behind a byte order mark."""
    files = {"mysite/settings.py": ENVIRON_SETTINGS}
    assert debug_on(committed(make_project, {**files, ".env": "export DEBUG=True\n"}, subdir="export"))
    assert debug_on(committed(make_project, {**files, ".env": "DEBUG='\"True\"'\n"}, subdir="quotes"))
    for name, line in {"blanks": "DEBUG = True\n", "indented": "  DEBUG=True\n", "bom": "\ufeffDEBUG=True\n", "comment": "DEBUG=True # dev\n"}.items():
        assert not debug_on(committed(make_project, {**files, ".env": line}, subdir=name)), name


def test_python_decouple_reads_only_its_own_dotenv_lines(make_project):
    """``config`` strips each line, splits it at ``=`` and drops one pair of quotes: nothing
    more, so ``export DEBUG`` is a name of its own, a `` # comment`` stays in the value
    and a byte order mark stays in the first name."""
    assert debug_on(committed(make_project, {".env": "  DEBUG = 'True'  \r\n"}, subdir="blanks"))
    for name, line in {"export": "export DEBUG=True\n", "comment": "DEBUG=True # dev\n", "bom": "\ufeffDEBUG=True\n"}.items():
        assert not debug_on(committed(make_project, {".env": line}, subdir=name)), name


def test_python_decouple_reads_settings_ini_with_configparser(make_project):
    """Names in any case, ``DEFAULT``'s options too; a file configparser refuses sets nothing
    (every ``config()`` raises), and a value with an interpolation is not guessed."""
    for name, ini in {"lower": "[settings]\ndebug = True\n", "default": "[DEFAULT]\nDEBUG = True\n[settings]\nX = 1\n"}.items():
        assert debug_on(committed(make_project, {"settings.ini": ini}, subdir=name)), name
    refused = {"twice": "[settings]\nDEBUG = True\nDEBUG = True\n", "bom": "\ufeff[settings]\nDEBUG = True\n", "interpolated": "[settings]\nDEBUG = %(on)s\non = True\n"}
    for name, ini in refused.items():
        assert not debug_on(committed(make_project, {"settings.ini": ini}, subdir=name)), name


def test_a_dotenv_of_generated_variables_keeps_only_its_first_ten_thousand(make_project):
    """A file with more variables than anybody writes by hand is read up to a bound: a
    variable past it is not taken, and a later line still changes one taken before it."""
    filler = "".join(f"FILLER_{i}=x\n" for i in range(10_000))
    files = {"mysite/settings.py": ENVIRON_SETTINGS}
    assert not debug_on(committed(make_project, {**files, ".env": filler + "DEBUG=True\n"}, subdir="past"))
    assert debug_on(committed(make_project, {**files, ".env": "DEBUG=False\n" + filler + "DEBUG=True\n"}, subdir="again"))


def test_a_crafted_interpolation_in_settings_ini_takes_no_time(make_project, outside):
    """Each value refers to the next many times over: expanding it would never end."""
    lines = ["[settings]", "DEBUG = True"] + [f"v{i} = " + f"%(v{i + 1})s" * 200 for i in range(12)] + ["v12 = x"]
    root = committed(make_project, {"settings.ini": "\n".join(lines) + "\n"})
    run = run_djhlint([str(root), "--no-cache"], outside, timeout=60)
    ended_cleanly(run)
    assert b"DJH104" in run.stdout


# ---------------------------------------------------------------------- hostile .env files


def test_hostile_dotenv_files_never_crash_or_leak(make_project, tmp_path, outside):
    cases = {
        "binary": b"\x00\xff\xfe" * 1000 + b"\nDEBUG=True\n",
        "crlf": b"DEBUG=False\r\nSECRET_KEY=" + SECRET.encode() + b"\r\n",
        "control": b"DE\x1bBUG=True\nDEBUG=\x1b[31mTrue\nDEBUG\x00=True\n",
        "huge": b"A=" + b"x" * (11 * 1024 * 1024) + b"\n",
    }
    for name, data in cases.items():
        root = committed(make_project, {".env": data}, ignore="*.log\n", subdir=name)
        run = run_djhlint([str(root), "--output-format", "full"], outside, timeout=60)
        ended_cleanly(run)
        assert SECRET.encode() not in run.stdout and b"\x1b[31m" not in run.stdout
        assert b"DJH104" not in run.stdout, name
        settings = run_djhlint(["settings", str(root)], outside, timeout=60)
        ended_cleanly(settings)
        assert SECRET.encode() not in settings.stdout and b"\x1b[31m" not in settings.stdout


def test_a_committed_dotenv_linking_out_of_the_project_is_a_djh000(make_project, tmp_path, outside):
    secret = tmp_path / "token.env"
    secret.write_text(f"SECRET_KEY={SECRET}\nDEBUG=True\n")
    root = make_project({".gitignore": "*.log\n"})
    (root / ".env").symlink_to(secret)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    run = run_djhlint([str(root), "--output-format", "json"], outside, timeout=60)
    ended_cleanly(run)
    found = {(d["code"], Path(d["filename"]).name) for d in json.loads(run.stdout)}
    assert ("DJH000", ".env") in found and ("DJH104", "settings.py") not in found
    assert SECRET.encode() not in run.stdout


def test_read_env_of_a_folder_built_below_base_dir_is_left_alone(make_project):
    """``BASE_DIR / "config" / ".env"`` names a folder the model does not follow: the
    committed .env at the root is not the one read."""
    settings = ENVIRON_SETTINGS.replace('environ.Env.read_env(BASE_DIR / ".env")', 'environ.Env.read_env(BASE_DIR / "config" / ".env")')
    root = committed(make_project, {"mysite/settings.py": settings, ".env": "DEBUG=True\n"})
    assert "DJH104" not in [code for code, _, _ in diagnostics(root, cache=False)]


def test_a_try_that_does_more_than_import_gets_no_note(make_project):
    """``try: from .local_settings import *; setup()``: the call may raise, so the settings
    view does not claim the block runs on Heroku."""
    settings = SETTINGS + "\ntry:\n    from .local_settings import *  # noqa\n    print('local settings')\nexcept ImportError:\n    pass\n"
    root = committed(make_project, {"mysite/settings.py": settings, "mysite/local_settings.py": "DEBUG = True\n"})
    assert "so this import runs on Heroku" not in settings_text(root)


def test_a_committed_local_settings_followed_by_assignments_in_the_same_try(make_project):
    """``try: from .local_settings import *; DEBUG = True`` then ``if not DEBUG:
    django_heroku.settings(locals())``: the import runs, a literal assignment cannot raise,
    so DEBUG is True and django_heroku's DATABASE_URL never replaces the sqlite database."""
    settings = SETTINGS + (
        "\ntry:\n    from .local_settings import *  # noqa\n    DEBUG = True\nexcept ImportError:\n    pass\n"
        "\nif not DEBUG:\n    import django_heroku\n    django_heroku.settings(locals())\n"
    )
    local = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
    root = committed(make_project, {"mysite/settings.py": settings, "mysite/local_settings.py": local})
    found = diagnostics(root, cache=False)
    assert ("DJH104", "mysite/settings.py", settings.count("\n", 0, settings.index("    DEBUG = True")) + 1) in found
    assert "DJH501" in [code for code, _, _ in found]
    assert "DJH604" not in [code for code, _, _ in found]
    untracked = committed(
        make_project, {"mysite/settings.py": settings, "mysite/local_settings.py": local}, untracked=["mysite/local_settings.py"], subdir="untracked"
    )
    assert "DJH104" not in [code for code, _, _ in diagnostics(untracked, cache=False)]
