from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, DictValue, Diagnostic, Literal, Span, Value
from ..rule import Case, Rule
from ._values import setting, unique_spans


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
    No automatic fix yet. Adding `DATABASES["default"].update(dj_database_url.config(
    conn_max_age=600))` needs a new requirement and a database, so such a fix is unsafe.

    ## References
    - Heroku Dev Center, "Heroku Postgres" and "The Dyno Filesystem".
    - HAZARDS.md, "Filesystem".
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
        for span in unique_spans([s for s in spans if s is not None]):
            yield self.diagnostic(ctx, span)
