from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from ..model.values import EnvRead, Literal
from .context import Context
from .rule import Case, Rule
from ._values import setting, true_when_deployed, unique_spans


class DebugTrue(Rule):
    """
    ## What it does
    Flags a deployed `DEBUG` that is true: the literal `True`, or an environment read
    cast to a bool whose fallback is true, so that `DEBUG` is on whenever the config var
    is missing: `config("DEBUG", default=True, cast=bool)`, `env.bool("DEBUG",
    default=True)`, `environ.Env(DEBUG=(bool, True))`. When `DEBUG` differs between
    branches (`if "DYNO" in os.environ: ...`), it speaks only if every branch turns it on.

    The message names the config var the code reads (`DJANGO_DEBUG` for
    `env.bool("DJANGO_DEBUG", default=True)`).

    A committed file that sets the variable counts as the fallback: a `.env` that
    django-environ's `read_env()` loads, or the `.env` or `settings.ini` python-decouple's
    `config` finds. Its value deploys wherever no config var is set (neither library
    replaces a variable the environment already has).

    A comparison of a read with a literal fallback is judged by that fallback:
    `os.environ.get("DEBUG", "True") == "True"` and `os.getenv("DEBUG", "True").lower()
    in ("1", "true")` are true whenever the variable is unset; a comparison with
    anything but literal strings is left alone. A read that stays a string is DJH103's
    business.

    ## Why it breaks on Heroku
    With `DEBUG` on, every error page shows the settings, the source around the failing
    line and the request's headers to anyone who triggers it, and Django keeps every SQL
    query in memory. `manage.py check --deploy` warns (W018), but only when somebody runs
    it with the production environment; the build never does. A true fallback is the
    quiet version of the same mistake: forgetting `heroku config:set DEBUG=False` turns
    debug on.

    ## Fix safety
    No automatic fix: turning `DEBUG` off changes how the app behaves locally, and only
    the author knows where development settings should live.

    ## References
    - Django, "DEBUG": https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    """

    code = "DJH104"
    name = "debug-true"
    message = "DEBUG is {how}: error pages show settings and source code to anyone; use DEBUG = False, or read it with a False fallback"

    INVALID = [
        Case({"mysite/settings.py": "DEBUG = True\n"}, expect=["mysite/settings.py:1"]),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=True, cast=bool)\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=True)\n'}, expect=["mysite/settings.py:4"]),
        Case(
            {"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env.bool("DJANGO_DEBUG", default=True)\n'},
            expect=["mysite/settings.py:4"],
            note="the message names DJANGO_DEBUG, the config var the code reads",
        ),
        Case(
            {
                "mysite/settings/__init__.py": "",
                "mysite/settings.py": None,
                "mysite/settings/base.py": "DEBUG = True\n",
                "mysite/settings/production.py": "from .base import *\n",
            },
            expect=["mysite/settings/base.py:1"],
            note="production forgets to turn off what base turns on",
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "True").lower() in ("true", "1", "yes")\n'},
            expect=["mysite/settings.py:3"],
            note='unset, the read is "True", and the comparison turns it into True',
        ),
        Case(
            {
                "mysite/settings/base.py": 'import os\n\nDEBUG = os.getenv("DEBUG", "True") == "True"\n',
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/production.py": "from .base import *  # noqa\n",
            },
            expect=["mysite/settings/base.py:3"],
        ),
        Case(
            {
                "mysite/settings.py": (
                    "from pathlib import Path\n\nimport environ\n\n"
                    "BASE_DIR = Path(__file__).resolve().parent.parent\n"
                    'env = environ.Env()\nenviron.Env.read_env(BASE_DIR / ".env")\n\n'
                    'DEBUG = env.bool("DEBUG", default=False)\n'
                ),
                ".env": "DEBUG=True\n",
                ".gitignore": "*.pyc\n",
            },
            expect=["mysite/settings.py:9"],
            note="the committed .env turns DEBUG on wherever the config var is unset",
        ),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n', "settings.ini": "[settings]\nDEBUG = on\n", ".gitignore": "*.pyc\n"},
            expect=["mysite/settings.py:3"],
            note="python-decouple finds the committed settings.ini above the settings module",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n'}),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n', ".env": "DEBUG=True\n", ".gitignore": ".env\n"},
            note="a .env that git ignores stays on the developer's machine",
        ),
        Case({"mysite/settings.py": "DEBUG = False\n"}),
        Case({"mysite/settings.py": 'import os\n\nif "DYNO" in os.environ:\n    DEBUG = False\nelse:\n    DEBUG = True\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("ENVIRONMENT") == "development"\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "False").lower() in ("true", "1", "yes")\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.getenv("DEBUG", "True") == os.getenv("DEBUG_VALUE")\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "DEBUG")
        if binding is None or binding.maybe_unset:
            return
        spans = [true_when_deployed(value) for value in binding.values]
        if not spans or any(span is None for span in spans):
            return
        literal = {v.span for v in binding.values if isinstance(v, Literal)}
        reads = {true_when_deployed(v): v for v in binding.values if isinstance(v, EnvRead)}
        for span in unique_spans([s for s in spans if s is not None]):
            read = reads.get(span)
            var = read.var if read is not None else None
            config_var = f"the {var} config var" if var else "its config var"
            how = "True in the deployed settings" if span in literal else f"True whenever {config_var} is unset"
            if read is not None and read.dotenv:
                how += f": the committed {read.dotenv} sets it, and a push deploys that file"
            yield self.diagnostic(ctx, span, how=how)
