from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from ..read.requirements import declared
from .rule import Case, Rule
from ..model.values import DictValue
from ._values import always_contains, always_true, setting

ENTRIES = (("INSTALLED_APPS", "debug_toolbar"), ("MIDDLEWARE", "debug_toolbar.middleware.DebugToolbarMiddleware"))


class DebugToolbarInProduction(Rule):
    """
    ## What it does
    Flags `debug_toolbar` in the deployed `INSTALLED_APPS`, and its middleware in the
    deployed `MIDDLEWARE`, when every branch of the settings adds it and the site breaks
    for it: django-debug-toolbar is not in the requirements Heroku installs (the app
    cannot start), or the toolbar can show: `DEBUG` is on in the deployed settings (the
    literal `True`, or a fallback that turns it on whenever the config var is unset),
    or `DEBUG_TOOLBAR_CONFIG` sets its own `SHOW_TOOLBAR_CALLBACK`. Adding it under
    `if DEBUG:` (or in a development settings module) is the documented way and is left
    alone, as is a list djhlint cannot fully read.

    Checked against django-debug-toolbar's `show_toolbar`: the default callback shows
    the toolbar only when `DEBUG` is on and the client's address is in `INTERNAL_IPS`,
    so an installed toolbar with `DEBUG` off (or unknown) and the default callback shows
    nothing and is not reported. What it does not catch: a `DEBUG` that the config var
    turns on, since the repository cannot show config vars.

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
        Case(
            {
                "mysite/settings.py": 'DEBUG = True\nINSTALLED_APPS = ["django.contrib.staticfiles", "debug_toolbar"]\n',
                "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\ndjango-debug-toolbar==6.0.0\n",
            },
            expect=["mysite/settings.py:2"],
            note="installed, and DEBUG is on",
        ),
        Case(
            {
                "mysite/settings.py": 'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles", "debug_toolbar"]\nDEBUG_TOOLBAR_CONFIG = {"SHOW_TOOLBAR_CALLBACK": lambda request: True}\n',
                "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\ndjango-debug-toolbar==6.0.0\n",
            },
            expect=["mysite/settings.py:2"],
            note="a callback of its own shows it whatever DEBUG is",
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nif DEBUG:\n    INSTALLED_APPS += ["debug_toolbar"]\n'
            }
        ),
        Case({"mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'}),
        Case(
            {
                "mysite/settings.py": 'DEBUG = False\nINSTALLED_APPS = ["django.contrib.staticfiles", "debug_toolbar"]\n',
                "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\ndjango-debug-toolbar==6.0.0\n",
            },
            note="installed, and DEBUG is off: the toolbar cannot show",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        reqs = ctx.requirements
        if reqs is not None and reqs.complete and declared(reqs, "django-debug-toolbar") is None:
            consequence = f"django-debug-toolbar is not in {reqs.installer}, so the app crashes at boot (ModuleNotFoundError)"
        elif custom_callback(ctx):
            consequence = "DEBUG_TOOLBAR_CONFIG's SHOW_TOOLBAR_CALLBACK decides who sees SQL and settings, whatever DEBUG is"
        elif always_true(setting(ctx, "DEBUG")):
            consequence = "DEBUG is on, so it shows SQL and settings to INTERNAL_IPS"
        else:
            return  # installed, DEBUG off or unknown, the default callback: the toolbar cannot show
        for name, entry in ENTRIES:
            found = always_contains(setting(ctx, name), entry)
            if found:
                yield self.diagnostic(ctx, found[-1].span, setting=name, consequence=consequence)


def custom_callback(ctx: Context) -> bool:
    """True when DEBUG_TOOLBAR_CONFIG certainly sets SHOW_TOOLBAR_CALLBACK."""
    binding = setting(ctx, "DEBUG_TOOLBAR_CONFIG")
    if binding is None or binding.maybe_unset or not binding.values:
        return False
    return all(isinstance(v, DictValue) and v.get("SHOW_TOOLBAR_CALLBACK") is not None for v in binding.values)
