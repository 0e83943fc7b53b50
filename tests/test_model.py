"""The settings model: what djhlint believes each setting holds, read from source alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from django_heroku_lint.engine import Options, lint
from django_heroku_lint.model.values import EnvRead, Unknown, plain


def model(make_project, files):
    files = {k: textwrap.dedent(v) if isinstance(v, str) else v for k, v in files.items()}
    root = make_project(files)
    (result,) = lint(Options(paths=[str(root)])).projects
    return result.context.settings


def value(make_project, source, name):
    settings = model(make_project, {"mysite/settings.py": source})
    binding = settings.get(name)
    assert binding is not None, f"{name} not in the model"
    assert binding.certain is not None, f"{name} is not certain: {binding.values}"
    return binding.certain


# ---------------------------------------------------------------- environment reads


@pytest.mark.parametrize(
    ("source", "api", "var", "default", "cast"),
    [
        ('import os\nX = os.environ["V"]\n', "os.environ[]", "V", None, None),
        ('import os\nX = os.environ.get("V")\n', "os.environ.get", "V", None, None),
        ('import os\nX = os.environ.get("V", "d")\n', "os.environ.get", "V", "d", None),
        ('import os\nX = os.environ.get("V", default="d")\n', "os.environ.get", "V", "d", None),
        ('import os\nX = os.getenv("V", "d")\n', "os.getenv", "V", "d", None),
        ('from os import getenv\nX = getenv("V")\n', "os.getenv", "V", None, None),
        ('from os import environ\nX = environ.get("V", "d")\n', "os.environ.get", "V", "d", None),
        ('import os as o\nX = o.environ["V"]\n', "os.environ[]", "V", None, None),
        ('import os\nX = os.environ.get("V") or "d"\n', "os.environ.get", "V", "d", None),
        ('from decouple import config\nX = config("V")\n', "decouple", "V", None, None),
        ('from decouple import config\nX = config("V", default="d", cast=bool)\n', "decouple", "V", "d", "bool"),
        ('from decouple import config\nX = config("V", "d")\n', "decouple", "V", "d", None),
        ('from decouple import Csv, config\nX = config("V", cast=Csv())\n', "decouple", "V", None, "list"),
        ('import decouple\nX = decouple.config("V", cast=int)\n', "decouple", "V", None, "int"),
        ('from decouple import AutoConfig\nconfig = AutoConfig(search_path="/x")\nX = config("V")\n', "decouple", "V", None, None),
        ('import environ\nenv = environ.Env()\nX = env("V")\n', "environ", "V", None, None),
        ('import environ\nenv = environ.Env()\nX = env("V", default="d")\n', "environ", "V", "d", None),
        ('import environ\nenv = environ.Env(V=(bool, False))\nX = env("V")\n', "environ", "V", False, "bool"),
        ('import environ\nenv = environ.Env()\nX = env.bool("V", default=True)\n', "environ.bool", "V", True, "bool"),
        ('import environ\nenv = environ.Env()\nX = env.str("V", "d")\n', "environ.str", "V", "d", None),
        ('import environ\nenv = environ.Env()\nX = env.list("V", default=["a"])\n', "environ.list", "V", ["a"], "list"),
        ('from environ import Env\nenv = Env()\nX = env.db()\n', "environ.db", "DATABASE_URL", None, "db"),
        ('import dj_database_url\nX = dj_database_url.config(default="sqlite:///x")\n', "dj_database_url", "DATABASE_URL", "sqlite:///x", "db"),
        ('import os, dj_database_url\nX = dj_database_url.parse(os.environ["DATABASE_URL"])\n', "dj_database_url", "DATABASE_URL", None, "db"),
        ('import os\nX = int(os.environ.get("V", "3"))\n', "os.environ.get", "V", "3", "int"),
        ('import os\nX = os.environ.get("V", "").split(",")\n', "os.environ.get", "V", "", "list"),
        ('import os\nfrom distutils.util import strtobool\nX = strtobool(os.getenv("V", "0"))\n', "os.getenv", "V", "0", "bool"),
    ],
)
def test_environment_reads(make_project, source, api, var, default, cast):
    read = value(make_project, source, "X")
    assert isinstance(read, EnvRead)
    assert (read.api, read.var, read.cast) == (api, var, cast)
    assert (plain(read.default) if read.default is not None else None) == default


def test_bool_of_an_env_read_is_still_a_string_test(make_project):
    read = value(make_project, 'import os\nX = bool(os.environ.get("V"))\n', "X")
    assert isinstance(read, EnvRead) and read.wrapper == "bool()" and read.yields_string


@pytest.mark.parametrize(
    "source",
    [
        'import os\nX = os.environ.get("V") == "True"\n',
        'import os\nX = "V" in os.environ\n',
        'import os\nX = not os.environ.get("V")\n',
        'import os\nX = os.environ.get("V", "").lower() in ("1", "true")\n',
    ],
)
def test_comparisons_are_bools(make_project, source):
    result = value(make_project, source, "X")
    assert isinstance(result, Unknown) and result.kind == "bool"


@pytest.mark.parametrize(
    "source",
    [
        "import secrets\nX = secrets.token_urlsafe(50)\n",
        "from django.core.management.utils import get_random_secret_key\nX = get_random_secret_key()\n",
    ],
)
def test_generated_secrets(make_project, source):
    assert value(make_project, source, "X").kind == "generated"



@pytest.mark.parametrize(
    ("source", "pathlib"),
    [
        ("from pathlib import Path\nX = Path(__file__).resolve().parent.parent\n", True),
        ("from pathlib import Path\nX = Path(__file__).resolve().parents[1]\n", True),
        ("import pathlib\nX = pathlib.Path(__file__).absolute().parent\n", True),
        ("from pathlib import Path\nBASE = Path.cwd()\nX = BASE / 'app'\n", True),
        ("from pathlib import Path\nBASE = Path(__file__).parent\nX = BASE.parent\n", True),
        ("import os\nX = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n", False),
        ("import os\nBASE = os.getcwd()\nX = BASE / 'app'\n", False),
    ],
)
def test_a_pathlib_path_is_told_apart_from_a_string_path(make_project, source, pathlib):
    result = value(make_project, source, "X")
    assert isinstance(result, Unknown)
    assert (result.text == "pathlib.Path") == pathlib
    if pathlib:
        assert result.kind == "path"

# ---------------------------------------------------------------- list and dict operations


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('X = ["a"]\nX += ["b"]\n', ["a", "b"]),
        ('X = ["a"]\nX.append("b")\n', ["a", "b"]),
        ('X = ["a", "c"]\nX.insert(1, "b")\n', ["a", "b", "c"]),
        ('X = ["a"]\nX.extend(["b", "c"])\n', ["a", "b", "c"]),
        ('X = ["a", "b"]\nX.remove("a")\n', ["b"]),
        ('X = ["a"]\nX = X + ["b"]\n', ["a", "b"]),
        ('X = ("a",)\nX += ("b",)\n', ["a", "b"]),
        ('BASE = ["a"]\nX = [*BASE, "b"]\n', ["a", "b"]),
        ('X = "a,b".split(",")\n', ["a", "b"]),
    ],
)
def test_list_operations(make_project, source, expected):
    assert plain(value(make_project, source, "X")) == expected


def test_databases_update_from_the_environment(make_project):
    source = """
    import dj_database_url
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}}
    DATABASES["default"].update(dj_database_url.config(conn_max_age=600))
    """
    databases = value(make_project, textwrap.dedent(source), "DATABASES")
    default = databases.get("default")
    assert isinstance(default, EnvRead) and default.var == "DATABASE_URL"
    assert plain(default.default) == {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}


def test_databases_item_assignment(make_project):
    source = """
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["replica"] = {"ENGINE": "x"}
    """
    assert plain(value(make_project, textwrap.dedent(source), "DATABASES")) == {
        "default": {"ENGINE": "django.db.backends.postgresql"},
        "replica": {"ENGINE": "x"},
    }


def test_django_heroku_settings_mutates_the_module(make_project):
    source = """
    import django_heroku
    SECRET_KEY = "literal"
    ALLOWED_HOSTS = []
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    django_heroku.settings(locals())
    """
    settings = model(make_project, {"mysite/settings.py": source})
    assert plain(settings.get("ALLOWED_HOSTS").certain) == ["*"]
    assert plain(settings.get("MIDDLEWARE").certain) == [
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ]
    key = settings.get("SECRET_KEY").certain
    assert isinstance(key, EnvRead) and plain(key.default) == "literal"


def test_django_heroku_settings_keywords_turn_parts_off(make_project):
    source = """
    import django_heroku
    ALLOWED_HOSTS = ["example.com"]
    django_heroku.settings(locals(), allowed_hosts=False)
    """
    settings = model(make_project, {"mysite/settings.py": source})
    assert plain(settings.get("ALLOWED_HOSTS").certain) == ["example.com"]


# ---------------------------------------------------------------- control flow


def test_if_else_gives_alternatives(make_project):
    source = """
    import os
    if os.environ.get("DYNO"):
        ALLOWED_HOSTS = ["*"]
    else:
        ALLOWED_HOSTS = ["localhost"]
    """
    binding = model(make_project, {"mysite/settings.py": source}).get("ALLOWED_HOSTS")
    assert binding.certain is None
    assert sorted(plain(v) for v in binding.values) == [["*"], ["localhost"]]


def test_if_without_else_may_leave_unset(make_project):
    source = 'import os\nif os.environ.get("X"):\n    SECRET_KEY = "a"\n'
    binding = model(make_project, {"mysite/settings.py": source}).get("SECRET_KEY")
    assert binding.maybe_unset


def test_a_literal_test_takes_one_branch(make_project):
    source = 'DEBUG = False\nif DEBUG:\n    ALLOWED_HOSTS = ["*"]\nelse:\n    ALLOWED_HOSTS = ["example.com"]\n'
    assert plain(value(make_project, source, "ALLOWED_HOSTS")) == ["example.com"]


def test_try_except_gives_alternatives(make_project):
    source = 'try:\n    import foo\n    X = "a"\nexcept ImportError:\n    X = "b"\n'
    binding = model(make_project, {"mysite/settings.py": source}).get("X")
    assert sorted(plain(v) for v in binding.values) == ["a", "b"]


def test_names_inside_functions_are_not_settings(make_project):
    source = 'X = "a"\ndef f():\n    X = "b"\n'
    assert plain(value(make_project, source, "X")) == "a"


def test_spans_point_at_the_source(make_project):
    source = 'import os\n\nSECRET_KEY = os.environ.get(\n    "SECRET_KEY",\n    "fallback",\n)\n'
    key = value(make_project, source, "SECRET_KEY")
    span = key.default.span
    assert (span.file, span.line, span.col, span.end_line, span.end_col) == ("mysite/settings.py", 5, 5, 5, 15)


def test_spans_are_placed_in_values_nested_deeper_than_python_recurses(make_project):
    # Spans are placed once the module has run, in values that nest here one level a
    # line: 3,000 levels, past Python's recursion limit.
    source = "A = []\n" + "A = [A]\n" * 3000 + "ALLOWED_HOSTS = A\n"
    hosts = value(make_project, source, "ALLOWED_HOSTS")
    lines = []
    while hosts.items:
        assert (hosts.span.col, hosts.span.end_col) == (5, 8)
        lines.append(hosts.span.line)
        hosts = hosts.items[0]
    assert lines == list(range(3001, 1, -1))
    assert (hosts.span.line, hosts.span.col, hosts.span.end_col) == (1, 5, 7)


def test_a_value_two_names_hold_stays_one_value(make_project):
    source = 'CSRF_TRUSTED_ORIGINS = []\nHOSTS = ["a.example.com"]\nALLOWED_HOSTS = HOSTS\nCSRF_TRUSTED_ORIGINS = [HOSTS, [HOSTS], HOSTS]\n'
    settings = model(make_project, {"mysite/settings.py": source})
    hosts = settings.get("HOSTS").certain
    assert settings.get("ALLOWED_HOSTS").certain is hosts
    first, inner, last = settings.get("CSRF_TRUSTED_ORIGINS").certain.items
    assert first is hosts and inner.items[0] is hosts and last is hosts
    assert (hosts.span.line, hosts.span.col, hosts.span.end_col) == (2, 9, 26)


# ---------------------------------------------------------------- split settings


SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": 'DEBUG = True\nSECRET_KEY = "base-key"\nALLOWED_HOSTS = []\nMIDDLEWARE = ["a"]\n',
    "mysite/settings/production.py": (
        "from .base import *\n"
        'import os\n'
        'DEBUG = False\nSECRET_KEY = os.environ["SECRET_KEY"]\nMIDDLEWARE += ["b"]\n'
        "try:\n    from .local import *\nexcept ImportError:\n    pass\n"
    ),
    "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")\n',
    "mysite/settings/dev.py": "from .base import *\n",
}


def test_star_imports_in_execution_order(make_project):
    settings = model(make_project, SPLIT)
    assert settings.module == "mysite.settings.production"
    assert [ref.name for ref in settings.chain] == ["mysite.settings.base", "mysite.settings.production"]
    assert plain(settings.get("DEBUG").certain) is False
    assert isinstance(settings.get("SECRET_KEY").certain, EnvRead)
    assert plain(settings.get("MIDDLEWARE").certain) == ["a", "b"]
    assert settings.complete


def test_a_present_local_module_is_certain(make_project):
    settings = model(make_project, {**SPLIT, "mysite/settings/local.py": 'ALLOWED_HOSTS = ["x"]\n'})
    assert plain(settings.get("ALLOWED_HOSTS").certain) == ["x"]


def test_absolute_star_import_and_package_init(make_project):
    files = {
        **SPLIT,
        "mysite/settings/__init__.py": "from mysite.settings.base import *\nfrom .production_overrides import *\n",
        "mysite/settings/production_overrides.py": 'ALLOWED_HOSTS = ["example.com"]\n',
        "mysite/settings/production.py": None,
        "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    }
    settings = model(make_project, files)
    assert settings.module == "mysite.settings"
    assert plain(settings.get("ALLOWED_HOSTS").certain) == ["example.com"]
    assert plain(settings.get("SECRET_KEY").certain) == "base-key"


def test_import_cycles_end(make_project):
    files = {
        "mysite/settings.py": "from mysite.other import *\nX = 1\n",
        "mysite/other.py": "from mysite.settings import *\nY = 2\n",
    }
    settings = model(make_project, files)
    assert plain(settings.get("X").certain) == 1 and plain(settings.get("Y").certain) == 2


def test_a_module_that_imports_itself(make_project):
    settings = model(make_project, {"mysite/settings.py": "from mysite.settings import *\nX = 1\n"})
    assert plain(settings.get("X").certain) == 1


def test_a_broken_base_makes_the_model_incomplete(make_project):
    files = {**SPLIT, "mysite/settings/base.py": "DEBUG = (\n"}
    settings = model(make_project, files)
    assert not settings.complete


def test_the_model_keeps_no_syntax_tree_alive():
    # The collector is paused while a module runs: a reference cycle through the
    # interpreter would keep the module's whole syntax tree alive after the build.
    import gc
    import weakref

    from django_heroku_lint.model.interpreter import ModuleLoader, SettingsInterpreter
    from django_heroku_lint.read.python import parse_python

    source = textwrap.dedent(
        """\
        import os
        LOGGING = {"loggers": {}}
        DATABASES = {"default": {}}
        for name in ("a", "b"):
            LOGGING["loggers"][name] = {"level": "INFO"}
        if os.environ.get("X"):
            DATABASES["default"]["NAME"] = "x"
        else:
            DATABASES["default"].update({"NAME": "y"})
        MIDDLEWARE = ["a"]
        MIDDLEWARE.append("b")
        """
    )
    files = [parse_python(source.encode(), "mysite/settings.py")]
    tree = weakref.ref(files[0])

    class Loader(ModuleLoader):
        def resolve(self, name):
            return None

        def load(self, path):
            return files.pop()

    enabled = gc.isenabled()
    gc.disable()
    try:
        settings = SettingsInterpreter(Loader()).build("mysite.settings", "mysite/settings.py", "test")
        assert plain(settings.get("DATABASES").values[0]) == {"default": {"NAME": "x"}}
        assert tree() is None
    finally:
        if enabled:
            gc.enable()


def test_a_name_deleted_in_one_branch_may_be_unset(make_project):
    source = 'import os\nX = "a"\nY = "b"\nif os.environ.get("CI"):\n    del X\n    Y = "c"\n'
    settings = model(make_project, {"mysite/settings.py": source})
    x, y = settings.get("X"), settings.get("Y")
    assert x.maybe_unset and [plain(v) for v in x.values] == ["a"]
    assert not y.maybe_unset and sorted(plain(v) for v in y.values) == ["b", "c"]


# ---------------------------------------------------------------- readers made in another module


READER_SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.production")\n',
}


@pytest.mark.parametrize(
    ("base", "production", "api", "cast", "default"),
    [
        # cookiecutter-django: env made in base.py, used after importing it by name or by star.
        ("import environ\n\nenv = environ.Env()\n", 'from .base import *  # noqa\nfrom .base import env\n\nX = env.list("V", default=["*"])\n', "environ.list", "list", ["*"]),
        ("import environ\n\nenv = environ.Env()\n", 'from .base import *  # noqa\n\nX = env("V", default="d")\n', "environ", None, "d"),
        ("import environ\n\nenv = environ.Env()\n", 'from .base import env as e\n\nX = e.bool("V", default=True)\n', "environ.bool", "bool", True),
        # the scheme base.py gave its Env travels with it
        ("import environ\n\nenv = environ.Env(V=(bool, True))\n", 'from .base import env\n\nX = env("V")\n', "environ", "bool", True),
        # python-decouple: an AutoConfig or Config(RepositoryEnv(...)) made in base.py, or its config imported there
        ('from decouple import AutoConfig\n\nconfig = AutoConfig(search_path=".")\n', 'from .base import *\n\nX = config("V", default="d")\n', "decouple", None, "d"),
        (
            'from decouple import Config, RepositoryEnv\n\nconfig = Config(RepositoryEnv(".env"))\n',
            'from .base import config\n\nX = config("V", cast=bool, default=True)\n',
            "decouple", "bool", True,
        ),
        ("from decouple import Csv, config\n", 'from .base import *\n\nX = config("V", cast=Csv())\n', "decouple", "list", None),
    ],
)
def test_a_reader_made_in_another_module_reads_the_environment(make_project, base, production, api, cast, default):
    files = {**READER_SPLIT, "mysite/settings/base.py": base, "mysite/settings/production.py": production}
    settings = model(make_project, files)
    result = settings.get("X").certain
    assert isinstance(result, EnvRead), result
    assert (result.api, result.var, result.cast) == (api, "V", cast)
    assert (plain(result.default) if result.default is not None else None) == default


def test_a_star_import_takes_only_the_readers_all_names(make_project):
    base = 'import environ\n\n__all__ = ["DEBUG"]\nenv = environ.Env()\nDEBUG = False\n'
    files = {**READER_SPLIT, "mysite/settings/base.py": base, "mysite/settings/production.py": 'from .base import *\n\nX = env("V")\n'}
    result = model(make_project, files).get("X").certain
    assert isinstance(result, Unknown)


# ---------------------------------------------------------------- or, comparisons, grown lists


@pytest.mark.parametrize(
    ("source", "default"),
    [
        ('import os\nX = os.environ.get("V", False) or False\n', False),
        ('import os\nX = os.getenv("V", "") or "d"\n', "d"),
        ('from decouple import config\nX = config("V", default=None) or "d"\n', "d"),
    ],
)
def test_or_after_a_read_with_a_false_fallback_is_the_fallback(make_project, source, default):
    result = value(make_project, source, "X")
    assert isinstance(result, EnvRead) and result.var == "V" and result.fallback_via == "or"
    assert plain(result.default) == default


def test_or_after_a_read_with_a_true_fallback_is_either(make_project):
    settings = model(make_project, {"mysite/settings.py": 'import os\nX = os.getenv("V", "on") or False\n'})
    first, second = settings.get("X").values
    assert isinstance(first, EnvRead) and plain(first.default) == "on"
    assert plain(second) is False


@pytest.mark.parametrize(
    "source",
    [
        'import os\nX = os.environ.get("V", "True").lower() in ("1", "true")\n',
        'import os\nX = os.getenv("V", "True") == "True"\n',
        'import os\nX = "1" == os.getenv("V", "1")\n',
        'import os\nX = os.getenv("V", "True") != "False"\n',
        'import os\nX = os.getenv("V", " Yes ").strip().lower() in {"yes"}\n',
    ],
)
def test_a_comparison_true_when_unset_is_a_bool_read_with_a_true_fallback(make_project, source):
    result = value(make_project, source, "X")
    assert isinstance(result, EnvRead) and result.var == "V" and result.cast == "bool"
    assert plain(result.default) is True


@pytest.mark.parametrize(
    "source",
    [
        'import os\nX = os.getenv("V", "False") == "True"\n',
        'import os\nX = os.getenv("V", "False") != "False"\n',
        'import os\nX = os.getenv("V") == "True"\n',
        'import os\nX = os.getenv("V", "True") == os.getenv("W")\n',
        'import os\nX = os.getenv("V", "True") == "True" == os.getenv("W")\n',
        'import os\nX = os.getenv("V", "True").replace(os.getenv("W"), "") == "True"\n',
    ],
)
def test_a_comparison_not_certainly_true_when_unset_stays_an_unknown_bool(make_project, source):
    result = value(make_project, source, "X")
    assert isinstance(result, Unknown) and result.kind == "bool"


@pytest.mark.parametrize(
    ("source", "tail"),
    [
        ('from decouple import Csv, config\nX = config("V", cast=Csv())\nX.append("*")\n', ["*"]),
        ('from decouple import Csv, config\nX = config("V", cast=Csv())\nX += ["*", "b"]\n', ["*", "b"]),
        ('import environ\nenv = environ.Env()\nX = env.list("V")\nX.extend(["*"])\n', ["*"]),
        ('import os\nX = os.environ.get("V", "").split(",")\nX.append("*")\nX.append("c")\n', ["*", "c"]),
        ('import environ\nenv = environ.Env()\nX = env.list("V")\nX = X + ["*"]\n', ["*"]),
    ],
)
def test_a_list_read_from_the_environment_keeps_what_is_added(make_project, source, tail):
    result = value(make_project, source, "X")
    head, *rest = result.items
    assert isinstance(head, Unknown) and [plain(item) for item in rest] == tail


def test_a_string_read_grown_by_append_stays_unknown(make_project):
    result = value(make_project, 'import os\nX = os.environ.get("V")\nX.append("*")\n', "X")
    assert isinstance(result, Unknown)


def test_a_fallback_replaced_into_gigabytes_is_not_worked_out(make_project):
    # .replace("", big) puts big between every character: 50,000 squared characters.
    big = "a" * 50_000
    source = f'import os\nX = os.getenv("V", "{big}").replace("", "{big}") == "a"\n'
    root = make_project({"mysite/settings.py": source})
    code = "import sys\nfrom django_heroku_lint.engine import Options, lint\nlint(Options(paths=[sys.argv[1]]))\n"
    run = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, timeout=60, preexec_fn=_memory_limit)
    assert run.returncode == 0, run.stderr
    result = value(make_project, source, "X")
    assert isinstance(result, Unknown) and result.kind == "bool"


def _memory_limit() -> None:
    """In the child: 1.5 GB of address space, so a runaway string fails fast instead of filling the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))
