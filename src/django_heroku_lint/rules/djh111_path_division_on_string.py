from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from .rule import Case, Rule
from ._values import unique_spans

OS_BASE = "import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
PATHLIB_BASE = "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"


class PathDivisionOnString(Rule):
    """
    ## What it does
    Flags `X / "..."` in the deployed settings chain where `X` is a string path built by
    `os.path` (`os.path.dirname(...)`, `os.path.join(...)`, `os.path.abspath(...)`), the
    way `BASE_DIR` is written in projects generated before Django 3.1:
    `STATIC_ROOT = BASE_DIR / "staticfiles"` under `BASE_DIR = os.path.dirname(...)`.
    It follows `BASE_DIR` through star imports (`from .base import *`).

    It does not catch a string path it cannot see is one: a literal (`BASE_DIR = "/app"`),
    a value read from the environment or a function's result; nor code that only runs
    inside a function.

    ## Why it breaks on Heroku
    `/` joins paths only for `pathlib.Path`; for a `str` it raises `TypeError: unsupported
    operand type(s) for /: 'str' and 'str'` when the settings are imported. Every
    management command fails, so `collectstatic` fails during the build and the push is
    rejected. Tutorials written for Django 3.1 and later use the `Path` form, and their
    lines pasted into an older project break it.

    ## Fix safety
    No automatic fix: either `os.path.join(BASE_DIR, "staticfiles")` or turning `BASE_DIR`
    into a `pathlib.Path` works, and the second changes every other use of `BASE_DIR`.

    ## References
    - Django 3.1 release notes (`startproject` settings use `pathlib.Path`): https://docs.djangoproject.com/en/stable/releases/3.1/
    - Python, `pathlib` operators: https://docs.python.org/3/library/pathlib.html
    - Heroku Dev Center, "Django and Static Assets" (collectstatic at build time):
      https://devcenter.heroku.com/articles/django-assets
    """

    code = "DJH111"
    name = "path-division-on-string"
    message = "a string path built by os.path is divided like a pathlib.Path: str / str raises TypeError when the settings are imported, so collectstatic fails the build; use os.path.join(...) or make BASE_DIR a Path"

    INVALID = [
        Case(
            {"mysite/settings.py": OS_BASE + '\nSTATIC_URL = "/static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n'},
            expect=["mysite/settings.py:6"],
        ),
        Case(
            {
                "mysite/settings/__init__.py": "",
                "mysite/settings.py": None,
                "mysite/settings/base.py": OS_BASE.replace("os.path.dirname(os.path.abspath(__file__))", "os.path.dirname(os.path.dirname(os.path.abspath(__file__)))"),
                "mysite/settings/production.py": 'from .base import *  # noqa\n\nSTATICFILES_DIRS = [BASE_DIR / "static"]\n',
            },
            expect=["mysite/settings/production.py:3"],
            note="BASE_DIR comes from base.py through the star import",
        ),
        Case(
            {"mysite/settings.py": "import os\n\nPROJECT_ROOT = os.path.join(os.path.dirname(__file__), '..')\nMEDIA_ROOT = PROJECT_ROOT / 'media'\n"},
            expect=["mysite/settings.py:4"],
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": PATHLIB_BASE + '\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n'}),
        Case({"mysite/settings.py": OS_BASE + '\nSTATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")\n'}),
        Case(
            {"mysite/settings.py": "from pathlib import Path\nimport os\n\nBASE_DIR = Path(os.path.dirname(os.path.abspath(__file__))).parent\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"},
            note="an os.path string wrapped in Path() is a Path",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None:
            return
        spans = [span for kind, span in ctx.settings.events if kind == "string-division"]
        for span in unique_spans(spans):
            yield self.diagnostic(ctx, span)
