from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..model.modules import HOW_TO_TELL
from .context import Context
from .rule import TREE, Case, Rule
from ._baseline import SETTINGS

WSGI = '''import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")

application = get_wsgi_application()
'''
MANAGE = 'import os\nimport sys\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")\n'
SPLIT = {
    "mysite/settings.py": None,
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": SETTINGS,
}


class SettingsModuleUnresolved(Rule):
    """
    ## What it does
    Reports a project where djhlint cannot tell which settings module Heroku runs, so
    that no settings rule could judge it: no `wsgi.py`, `asgi.py` or `manage.py` names
    one and there is no `<package>/settings.py`; the module they name is not in the
    repository (renamed since, or git-ignored, such as a `local.py` kept out of git) and
    no production module (`production.py`, `prod.py`, `heroku.py`, `live.py`,
    `deploy.py`) sits beside it; or they compute the name (from an environment variable,
    say) in a way djhlint cannot evaluate. A name built from a variable that `app.json`'s
    `env` or the Procfile's web command sets, or from a read with a default
    (`f"config.settings.{os.environ.get('DJANGO_ENV', 'production')}"`), is evaluated and
    judged; one built from a variable nothing in the repository sets (a config var) is
    not. The message says what djhlint tried.

    Tell djhlint which module deploys with `settings-module = "config.settings.production"`
    in `[tool.djhlint]` of `pyproject.toml`, or with `--settings-module`: the settings
    rules then judge it. djhlint never reports "All checks passed" on settings it has not
    seen.

    ## Why it breaks on Heroku
    The module Heroku runs is the one `DJANGO_SETTINGS_MODULE` names, a config var or
    the default in `wsgi.py`. When that default names a module the repository does not
    hold, the app crashes at start-up unless the config var is set; and whatever the
    config var names is where `DEBUG`, `ALLOWED_HOSTS`, the secret key and WhiteNoise
    are decided. A linter that cannot see it cannot say that any of them is right.

    ## Fix safety
    No automatic fix: which module deploys is the author's call.

    ## References
    - Heroku Dev Center, "Configuring Django Apps for Heroku":
      https://devcenter.heroku.com/articles/django-app-configuration
    - Heroku Dev Center, "Configuration and Config Vars": https://devcenter.heroku.com/articles/config-vars
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    """

    code = "DJH001"
    name = "settings-module-unresolved"
    message = "cannot tell which settings module runs: {reason}; {how}, so the settings rules can judge it"

    INVALID = [
        Case(
            {
                "mysite/wsgi.py": WSGI.format(module="mysite.settings.local"),
                "manage.py": MANAGE.format(module="mysite.settings.local"),
                ".gitignore": "mysite/settings/local.py\n",
                **SPLIT,
            },
            expect=["mysite/wsgi.py:5"],
            note="the default names a git-ignored module, and no production module sits beside it",
        ),
        Case(
            {
                "mysite/wsgi.py": WSGI.replace('"{module}"', '"mysite.settings.{}".format(os.environ.get("DJANGO_ENV"))'),
                "manage.py": MANAGE.replace('"{module}"', 'f"mysite.settings.{os.environ.get(\'DJANGO_ENV\')}"'),
                **SPLIT,
                "mysite/settings/heroku.py": "from .base import *\n",
                "mysite/settings/travis.py": "from .base import *\n",
            },
            expect=["mysite/wsgi.py:5"],
            note="a computed name",
        ),
        Case({"mysite/settings.py": None, "mysite/wsgi.py": None, "manage.py": "import sys\n"}, expect=["manage.py:1"], show=TREE),
    ]
    VALID = [
        Case(
            {
                "mysite/wsgi.py": WSGI.format(module="mysite.settings.local"),
                "manage.py": MANAGE.format(module="mysite.settings.local"),
                ".gitignore": "mysite/settings/local.py\n",
                **SPLIT,
                "pyproject.toml": '[tool.djhlint]\nsettings-module = "mysite.settings.base"\n',
            },
            show="pyproject.toml",
        ),
        Case(
            {
                "mysite/wsgi.py": WSGI.format(module="mysite.settings.local"),
                "manage.py": MANAGE.format(module="mysite.settings.local"),
                ".gitignore": "mysite/settings/local.py\n",
                **SPLIT,
                "mysite/settings/production.py": "from .base import *\n\nDEBUG = False\n",
            },
            note="the production module beside the missing one is judged",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        choice = ctx.settings_choice
        if choice is None or choice.path:
            return
        manage = f"{ctx.project_dir}/manage.py" if ctx.project_dir else "manage.py"
        yield self.diagnostic(ctx, choice.span or Span(manage), reason=choice.reason, how=HOW_TO_TELL)
