from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from ..read.requirements import declared
from .rule import Case, Rule
from ._values import always_contains, setting

ENTRIES = (("INSTALLED_APPS", "debug_toolbar"), ("MIDDLEWARE", "debug_toolbar.middleware.DebugToolbarMiddleware"))


class DebugToolbarInProduction(Rule):
    """
    ## What it does
    Flags `debug_toolbar` in the deployed `INSTALLED_APPS`, and its middleware in the
    deployed `MIDDLEWARE`, when every branch of the settings adds it. Adding it under
    `if DEBUG:` (or in a development settings module) is the documented way and is left
    alone, as is a list djhlint cannot fully read.

    ## Why it breaks on Heroku
    django-debug-toolbar is a development tool. It usually sits in a development
    requirements file, so Heroku does not install it and the app crashes at boot with
    `ModuleNotFoundError: No module named 'debug_toolbar'`. When it is installed, its
    middleware runs on every request, and the moment `DEBUG` is switched on to chase a
    bug, it shows SQL queries, settings and headers to anyone whose address is in
    `INTERNAL_IPS`.

    ## Fix safety
    No automatic fix: where development-only apps belong depends on how the settings are
    split.

    ## References
    - django-debug-toolbar, "Installation" (add it only in development).
    - Django, "Deployment checklist" (DEBUG and development-only apps):
      https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    """

    code = "DJH109"
    name = "debug-toolbar-in-production"
    message = "debug_toolbar is in the deployed {setting}: {consequence}; add it only when DEBUG is on"

    INVALID = [
        Case(
            {"mysite/settings.py": 'INSTALLED_APPS = [\n    "django.contrib.staticfiles",\n    "debug_toolbar",\n]\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nMIDDLEWARE += ["debug_toolbar.middleware.DebugToolbarMiddleware"]\n'
            },
            expect=["mysite/settings.py:2"],
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nif DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]\n'
            }
        ),
        Case({"mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        reqs = ctx.requirements
        if reqs is not None and reqs.complete and declared(reqs, "django-debug-toolbar") is None:
            consequence = f"django-debug-toolbar is not in {reqs.installer}, so the app crashes at boot (ModuleNotFoundError)"
        else:
            consequence = "it runs on every request and, once DEBUG is on, shows SQL and settings to INTERNAL_IPS"
        for name, entry in ENTRIES:
            found = always_contains(setting(ctx, name), entry)
            if found:
                yield self.diagnostic(ctx, found[-1].span, setting=name, consequence=consequence)
