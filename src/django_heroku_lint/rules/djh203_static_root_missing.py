from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Literal, Diagnostic, Span
from ..rule import Case, Rule
from ._values import DJANGO_STORAGES, setting, settings_span, static_backend, staticfiles_installed

APPS = 'INSTALLED_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "django.contrib.staticfiles",\n]\n'


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
    No automatic fix yet. The intended fix adds `STATIC_ROOT = BASE_DIR / "staticfiles"`,
    only when `BASE_DIR` is a `pathlib.Path`; it is safe, as that folder is where
    Heroku's reference app collects to and nothing reads it but the static files server.

    ## References
    - Django, "STATIC_ROOT" and "Deploying static files".
    - HAZARDS.md, "collectstatic" and "Heroku's reference app".
    """

    code = "DJH203"
    name = "static-root-missing"
    message = 'STATIC_ROOT is not set but django.contrib.staticfiles is installed: collectstatic fails during the build and the push is rejected; add STATIC_ROOT = BASE_DIR / "staticfiles"'

    INVALID = [
        Case({"mysite/settings.py": APPS + '\nSTATIC_URL = "static/"\n'}, expect=["mysite/settings.py:7"]),
        Case({"mysite/settings.py": APPS + '\nSTATIC_URL = "static/"\nSTATIC_ROOT = None\n'}, expect=["mysite/settings.py:8"]),
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
        yield self.diagnostic(ctx, span)
