from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from .rule import Case, Rule

CALL = "import django_heroku\n\nDEBUG = False\n\ndjango_heroku.settings(locals())\n"


class DjangoHerokuDeprecated(Rule):
    """
    ## What it does
    Flags every `django_heroku.settings(...)` call the deployed settings run, in the
    settings module or in a module it star-imports, whatever keyword arguments it gets.

    ## Why it breaks on Heroku
    `django-heroku` is archived (last release 0.3.1, 2018; the repository archived in
    2024) and pins nothing it needs. Called with its defaults it sets
    `ALLOWED_HOSTS = ["*"]`, puts WhiteNoise first in `MIDDLEWARE` (before
    SecurityMiddleware), sets the `STATICFILES_STORAGE` that Django 5.1 removed and
    ignores, and replaces `DATABASES["default"]` from `DATABASE_URL`: the settings that
    run in production are not the ones written above the call, wherever it sits.
    Heroku's own guides no longer use it.

    ## Fix safety
    No automatic fix: the replacement spreads over several settings. Write them
    yourself, as Heroku's reference app does: `DATABASES = {"default":
    dj_database_url.config(conn_max_age=600, conn_health_checks=True, ssl_require=True)}`,
    `STATIC_ROOT = BASE_DIR / "staticfiles"`, `STORAGES` with WhiteNoise's
    `CompressedManifestStaticFilesStorage`, WhiteNoise right after SecurityMiddleware,
    and your own `ALLOWED_HOSTS`; then drop `django-heroku` from the requirements.

    ## References
    - heroku/django-heroku (archived) and its `settings()` source: https://github.com/heroku/django-heroku
    - heroku/python-getting-started, `gettingstarted/settings.py`: https://github.com/heroku/python-getting-started
    """

    code = "DJH604"
    name = "django-heroku-deprecated"
    message = 'django_heroku.settings() is archived and rewrites settings behind your back (ALLOWED_HOSTS = ["*"], WhiteNoise first, the removed STATICFILES_STORAGE); set DATABASES with dj_database_url.config(), STATIC_ROOT, STORAGES and WhiteNoise yourself'

    INVALID = [
        Case({"mysite/settings.py": CALL}, expect=["mysite/settings.py:5"]),
        Case(
            {
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": "import django_heroku\n\ndjango_heroku.settings(locals(), allowed_hosts=False)\n",
                "mysite/settings/production.py": "from .base import *\n",
            },
            expect=["mysite/settings/base.py:3"],
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'import dj_database_url\n\nDATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True, ssl_require=True)}\n'
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None:
            return
        for span in dict.fromkeys(ctx.settings.django_heroku_calls):
            yield self.diagnostic(ctx, span)
