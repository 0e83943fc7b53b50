from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from ..model.modules import is_dev_module
from .rule import Case, Rule

SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": "DEBUG = False\n",
    "mysite/settings/local.py": "from .base import *\n\nDEBUG = True\n",
    "mysite/settings/production.py": "from .base import *\n",
}
WSGI = '''import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")

application = get_wsgi_application()
'''


class SettingsModuleDefaultsToDev(Rule):
    """
    ## What it does
    Flags a `wsgi.py` or `asgi.py` whose `DJANGO_SETTINGS_MODULE` default is a
    development module while a production module sits beside it, and nothing the
    repository controls sets the variable. The entry point is the one the Procfile's web
    process names, or every one found; development modules are `local`, `dev`,
    `development`, `base`, `test` or names such as `local_settings`; production ones
    `production`, `prod`, `heroku`, `live`, `deploy`; the places that may set the
    variable are the Procfile's web command, `app.json`'s `env`, `.profile`,
    `.profile.d/` and a gunicorn config file.

    The settings rules still judge the production module, as everywhere else. A config
    var set with `heroku config:set` cannot be seen from the repository: if you set one,
    silence this rule for the line with `# noqa: DJH108`.

    ## Why it breaks on Heroku
    The default wins whenever the config var is missing: on a new app, a review app, a
    pipeline promotion, or after someone unsets it. The app then runs the development
    settings in production (`DEBUG = True`, sqlite, a development secret key) without an
    error to say so.

    ## Fix safety
    No automatic fix: which module is the production one is the author's call.

    ## References
    - Django, "Deploying with WSGI: Configuring the settings module".
    - Heroku Dev Center, "Configuring Django Apps for Heroku":
      https://devcenter.heroku.com/articles/django-app-configuration
    - Heroku's reference app (one settings module, configured by the environment): https://github.com/heroku/python-getting-started
    """

    code = "DJH108"
    name = "settings-module-defaults-to-dev"
    message = "{path} defaults DJANGO_SETTINGS_MODULE to {module}, a development module: production runs it whenever the config var is missing; default to {production} or set it in the Procfile"

    INVALID = [
        Case({"mysite/wsgi.py": WSGI.format(module="mysite.settings.local"), **SPLIT}, expect=["mysite/wsgi.py:5"]),
        Case(
            {
                "mysite/asgi.py": WSGI.format(module="mysite.settings.base").replace("wsgi", "asgi"),
                **SPLIT,
                "Procfile": "web: uvicorn mysite.asgi:application --host 0.0.0.0 --port $PORT\n",
            },
            expect=["mysite/asgi.py:5"],
        ),
    ]
    VALID = [
        Case({"mysite/wsgi.py": WSGI.format(module="mysite.settings.production"), **SPLIT}),
        Case(
            {
                "mysite/wsgi.py": WSGI.format(module="mysite.settings.local"),
                **SPLIT,
                "Procfile": "web: gunicorn mysite.wsgi --log-file - --env DJANGO_SETTINGS_MODULE=mysite.settings.production\n",
            }
        ),
        Case(
            {
                "mysite/wsgi.py": WSGI.format(module="mysite.settings.local"),
                **SPLIT,
                "app.json": '{"env": {"DJANGO_SETTINGS_MODULE": "mysite.settings.production"}}\n',
            }
        ),
        Case({"mysite/wsgi.py": WSGI.format(module="mysite.settings.local"), **SPLIT, "mysite/settings/production.py": None}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings_module_set_by:
            return
        for entry in ctx.entry_points:
            if entry.settings_default is None or entry.settings_span is None or entry.production_module is None:
                continue
            if not is_dev_module(entry.settings_default):
                continue
            yield self.diagnostic(
                ctx, entry.settings_span, path=entry.path, module=entry.settings_default, production=entry.production_module
            )
