from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix, Span
from ..edit.intents import AddStatement, ReplaceValue
from ..model.values import Binding, Literal, is_path, is_pathlib
from .context import Context
from .rule import Case, Rule
from ._values import DJANGO_STORAGES, bound_before, setting, settings_span, static_backend, staticfiles_installed

APPS = 'INSTALLED_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "django.contrib.staticfiles",\n]\n'
PATHLIB_BASE = "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\n"
OS_BASE = "import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n\n"
PATHLIB_ROOT = 'BASE_DIR / "staticfiles"'
OS_ROOT = 'os.path.join(BASE_DIR, "staticfiles")'


def static_root_fix(ctx: Context, root: Binding | None, url: Binding | None) -> tuple[str, Fix | None]:
    """The value to suggest for STATIC_ROOT, and the fix that writes it when ``BASE_DIR``
    is a path set before the place it goes: the unset ``None``/``""`` itself, or the line
    after ``STATIC_URL``."""
    base = setting(ctx, "BASE_DIR")
    value = base.certain if base is not None else None
    if base is None or not is_path(value):
        return PATHLIB_ROOT, None
    code, imports = (PATHLIB_ROOT, ()) if is_pathlib(value) else (OS_ROOT, ("os",))
    message = f"set STATIC_ROOT = {code}"
    if root is not None:
        if len(root.sites) != 1 or root.certain is None or not bound_before(ctx, base, root.certain.span):
            return code, None
        return code, Fix(SAFE, message, intents=(ReplaceValue(root.certain.span, code),))
    if url is None or not url.sites or not bound_before(ctx, base, url.sites[-1]):
        return code, None
    statement = AddStatement(url.sites[-1], f"STATIC_ROOT = {code}", imports=imports, match_quotes=True)
    return code, Fix(SAFE, message, intents=(statement,))


class StaticRootMissing(Rule):
    """
    ## What it does
    Flags deployed settings that install `django.contrib.staticfiles` (in every branch)
    but leave `STATIC_ROOT` unset, `None` or empty. It stays silent when static files
    go to a storage that does not use `STATIC_ROOT` (S3 and the like, through `STORAGES`
    or `STATICFILES_STORAGE`), when `app.json` sets `DISABLE_COLLECTSTATIC`, and when
    `STATIC_ROOT` is set on some branch only. `DISABLE_COLLECTSTATIC` set as a config var
    is invisible to it.

    ## Why it breaks on Heroku
    When Django is installed and a `manage.py` is found, Heroku's build runs
    `python manage.py collectstatic --noinput`. Without `STATIC_ROOT` it stops with
    ImproperlyConfigured ("You're using the staticfiles app without having set the
    STATIC_ROOT setting to a filesystem path") and the push is rejected.

    ## Fix safety
    When `BASE_DIR` is a `pathlib.Path` (`Path(__file__).resolve().parent.parent`, as
    Django's project template writes it), the fix sets
    `STATIC_ROOT = BASE_DIR / "staticfiles"`; when it is an `os.path` string (the
    template before Django 3.1), `STATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")`,
    importing `os` if needed. The new line goes right after `STATIC_URL`, in the quotes
    the module mostly uses; a `STATIC_ROOT = None` or `""` gets the value in place.

    It is safe: the folder is where Heroku's reference app collects to, nothing reads
    it but the static files server, and collectstatic then succeeds. There is no fix
    when `BASE_DIR` is anything else or is set after the place the line would go, or
    when `STATIC_URL` is unset (the app needs it as well: set both by hand).

    | the fix | safety |
    |---|---|
    | adds `STATIC_ROOT = BASE_DIR / "staticfiles"` after `STATIC_URL` when `BASE_DIR` is a `pathlib.Path`, `STATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")` when it is an `os.path` string; a `STATIC_ROOT = None` gets the value in place | safe |

    ## References
    - Django, "STATIC_ROOT": https://docs.djangoproject.com/en/stable/ref/settings/
    - Heroku Dev Center, "Django and Static Assets" (collectstatic at build time):
      https://devcenter.heroku.com/articles/django-assets
    - Heroku's reference app, `gettingstarted/settings.py`: https://github.com/heroku/python-getting-started
    """

    code = "DJH203"
    name = "static-root-missing"
    message = "STATIC_ROOT is not set but django.contrib.staticfiles is installed: collectstatic fails during the build and the push is rejected; add STATIC_ROOT = {code}"

    INVALID = [
        Case(
            {"mysite/settings.py": PATHLIB_BASE + APPS + '\nSTATIC_URL = "static/"\n'},
            expect=["mysite/settings.py:11"],
            fixed={"mysite/settings.py": PATHLIB_BASE + APPS + '\nSTATIC_URL = "static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n'},
        ),
        Case(
            {"mysite/settings.py": PATHLIB_BASE.replace('"', "'") + APPS.replace('"', "'") + "\nSTATIC_URL = '/static/'\nSTATIC_ROOT = None  # TODO\n"},
            expect=["mysite/settings.py:12"],
            fixed={
                "mysite/settings.py": PATHLIB_BASE.replace('"', "'") + APPS.replace('"', "'") + "\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'  # TODO\n"
            },
            note="in place, in the module's quotes",
        ),
        Case(
            {"mysite/settings.py": OS_BASE + APPS + '\nSTATIC_URL = "/static/"\n\nUSE_TZ = True\n'},
            expect=["mysite/settings.py:11"],
            fixed={"mysite/settings.py": OS_BASE + APPS + '\nSTATIC_URL = "/static/"\nSTATIC_ROOT = os.path.join(BASE_DIR, "staticfiles")\n\nUSE_TZ = True\n'},
            note="an os.path BASE_DIR",
        ),
        Case(
            {"mysite/settings.py": "BASE_DIR = '/app'\n\n" + APPS + '\nSTATIC_URL = "static/"\n'},
            expect=["mysite/settings.py:9"],
            note="no fix: BASE_DIR is not a path built from the project's location",
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                + APPS
                + '\nSTATIC_URL = "static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": APPS + '\nSTORAGES = {\n    "default": {"BACKEND": "storages.backends.s3.S3Storage"},\n    "staticfiles": {"BACKEND": "storages.backends.s3.S3Storage"},\n}\n'
            },
            note="collected straight to S3",
        ),
        Case({"mysite/settings.py": APPS, "app.json": '{"env": {"DISABLE_COLLECTSTATIC": "1"}}\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None or not ctx.settings.complete or not staticfiles_installed(ctx):
            return
        if ctx.app_json_env.get("DISABLE_COLLECTSTATIC", "") not in ("", "0"):
            return
        backend = static_backend(ctx)
        if backend is not None and not backend.startswith("whitenoise.") and backend not in DJANGO_STORAGES:
            return
        root = setting(ctx, "STATIC_ROOT")
        span: Span
        if root is None:
            url = setting(ctx, "STATIC_URL")
            span = url.sites[-1] if url is not None and url.sites else settings_span(ctx)
        elif not root.maybe_unset and root.values and all(isinstance(v, Literal) and not v.value for v in root.values):
            span = root.sites[-1]
        else:
            return
        code, fix = static_root_fix(ctx, root, setting(ctx, "STATIC_URL"))
        yield self.diagnostic(ctx, span, fix=fix, code=code)
