from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import UNSAFE, Diagnostic, Fix, Span
from ..edit.intents import AddRequirement, AddStatement
from ..model.values import DictValue, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import setting, unique_spans

UPDATE = 'DATABASES["default"].update(dj_database_url.config(conn_max_age=600))'
POSTGRES_DRIVERS = ("psycopg", "psycopg-binary", "psycopg2", "psycopg2-binary", "psycopg-c")


def database_url_fix(site: Span) -> Fix:
    """Keep sqlite for local work, and let DATABASE_URL replace it where it is set."""
    return Fix(
        UNSAFE,
        "add DATABASES[\"default\"].update(dj_database_url.config(conn_max_age=600)) with its import, and "
        "dj-database-url and psycopg[binary] to requirements.txt if missing; then `heroku addons:create heroku-postgresql`",
        intents=(
            AddStatement(site, UPDATE, ("dj_database_url",), "Heroku Postgres sets DATABASE_URL; where it is set, it replaces sqlite."),
            AddRequirement("dj-database-url"),
            AddRequirement("psycopg[binary]", POSTGRES_DRIVERS),
        ),
    )


def sqlite_engine(value: Value) -> Span | None:
    """The ENGINE literal when ``DATABASES`` certainly holds a sqlite default database."""
    if not isinstance(value, DictValue):
        return None
    default = value.get("default")
    if not isinstance(default, DictValue):
        return None  # an env read (dj-database-url, env.db()) or unknown: DATABASE_URL can win
    engine = default.get("ENGINE")
    if isinstance(engine, Literal) and isinstance(engine.value, str) and "sqlite" in engine.value:
        return engine.span
    return None


class SqliteDatabase(Rule):
    """
    ## What it does
    Flags a deployed `DATABASES["default"]` that is sqlite when no path lets
    `DATABASE_URL` replace it: no `dj_database_url.config()`/`.parse()`, no
    `env.db()`, no `.update(...)` from the environment, no branch gated on
    `DATABASE_URL` or on anything else that picks another database.

    ## Why it breaks on Heroku
    A dyno's filesystem is ephemeral: the sqlite file is thrown away on every restart
    and every deploy, at least once a day. Users, orders and uploads vanish without an
    error. Heroku Postgres sets `DATABASE_URL`; the settings must read it.

    ## Fix safety
    The fix keeps sqlite for local work and adds, after the last statement that sets
    `DATABASES`, the tutorial's `DATABASES["default"].update(dj_database_url.config(
    conn_max_age=600))` with `import dj_database_url`, and appends `dj-database-url`
    and `psycopg[binary]` (unless a psycopg package is there) to `requirements.txt`.
    Where `DATABASE_URL` is unset, `dj_database_url.config()` returns `{}` and nothing
    changes. It is unsafe: new dependencies (unpinned: pin what you test with), and a
    database to create (`heroku addons:create heroku-postgresql`) and migrate. There
    is no fix without a `requirements.txt`.

    | the fix | safety |
    |---|---|
    | keeps sqlite for local work and adds `DATABASES["default"].update(dj_database_url.config(conn_max_age=600))` with its import, and `dj-database-url` and `psycopg[binary]` to `requirements.txt` if missing | unsafe: new dependencies and a database to create |

    ## References
    - Heroku Dev Center, "Heroku Postgres".
    - Heroku Dev Center, "Dynos: the ephemeral filesystem":
      https://devcenter.heroku.com/articles/dynos#ephemeral-filesystem
    - dj-database-url: https://github.com/jazzband/dj-database-url
    """

    code = "DJH501"
    name = "sqlite-database"
    message = "DATABASES uses sqlite and nothing lets DATABASE_URL replace it: the data is lost on every dyno restart; use dj_database_url.config(default=...)"

    INVALID = [
        Case(
            {
                "mysite/settings.py": 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n        "NAME": "db.sqlite3",\n    }\n}\n'
            },
            expect=["mysite/settings.py:3"],
            fixed={
                "mysite/settings.py": 'import dj_database_url\n\nDATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n        "NAME": "db.sqlite3",\n    }\n}\n\n# Heroku Postgres sets DATABASE_URL; where it is set, it replaces sqlite.\nDATABASES["default"].update(dj_database_url.config(conn_max_age=600))\n'
            },
            unsafe=True,
        ),
        Case(
            {
                "mysite/settings.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n\nTIME_ZONE = 'UTC'\n",
                "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\n",
            },
            expect=["mysite/settings.py:5"],
            fixed={
                "mysite/settings.py": "from pathlib import Path\nimport dj_database_url\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n\n# Heroku Postgres sets DATABASE_URL; where it is set, it replaces sqlite.\nDATABASES[\"default\"].update(dj_database_url.config(conn_max_age=600))\n\nTIME_ZONE = 'UTC'\n",
                "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\ndj-database-url\npsycopg[binary]\n",
            },
            unsafe=True,
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'import dj_database_url\n\nDATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n        "NAME": "db.sqlite3",\n    }\n}\n\nDATABASES["default"].update(dj_database_url.config(conn_max_age=600))\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": 'import dj_database_url\n\nDATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": 'import os\n\nimport dj_database_url\n\nif "DATABASE_URL" in os.environ:\n    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}\nelse:\n    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "DATABASES")
        if binding is None or binding.maybe_unset:
            return
        spans = [sqlite_engine(v) for v in binding.values]
        if not spans or any(s is None for s in spans):
            return
        fix = database_url_fix(binding.sites[-1]) if binding.sites else None
        for span in unique_spans([s for s in spans if s is not None]):
            yield self.diagnostic(ctx, span, fix=fix)
