from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import UNSAFE, Diagnostic, Fix
from ..edit.intents import AddRequirement, InsertElement
from ..model.values import ListValue, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import DJANGO_STORAGES, SECURITY, WHITENOISE, all_literal, setting, settings_span, static_backend


def has_whitenoise(value: Value) -> bool:
    return isinstance(value, ListValue) and any(isinstance(i, Literal) and i.value == WHITENOISE for i in value.items)


def insert_fix(value: Value | None) -> Fix | None:
    """Insert WhiteNoise after SecurityMiddleware (or first), and require the package."""
    if not isinstance(value, ListValue):
        return None
    security = next((i for i in value.items if isinstance(i, Literal) and i.value == SECURITY), None)
    if security is not None:
        insert = InsertElement(security.span, "after", WHITENOISE)
    elif value.items:
        insert = InsertElement(value.items[0].span, "before", WHITENOISE)
    else:
        insert = InsertElement(value.span, "into", WHITENOISE)
    message = "add WhiteNoise directly after SecurityMiddleware, and whitenoise to requirements.txt if it is missing"
    return Fix(UNSAFE, message, intents=(insert, AddRequirement("whitenoise")))


class WhitenoiseMissing(Rule):
    """
    ## What it does
    Flags a deployed `MIDDLEWARE` that has no `whitenoise.middleware.WhiteNoiseMiddleware`
    and nothing that adds it (`+=`, `.append`, `.insert`, `django_heroku.settings()`).
    It stays silent when static files are served some other way: a `STORAGES` or
    `STATICFILES_STORAGE` backend that is not Django's or WhiteNoise's (S3, Google
    Cloud, Cloudinary: `collectstatic` uploads the files there), or a `wsgi.py` that
    wraps the application to serve them (dj-static's `application =
    Cling(get_wsgi_application())`, Heroku's old recipe, or WhiteNoise's WSGI form
    `application = WhiteNoise(application, root=...)`); also when
    `django.contrib.staticfiles` is not installed (or `INSTALLED_APPS` is not set at
    all), or when the list is not fully known.

    What it does not catch: static files served by a buildpack in front of the app
    (an nginx buildpack serving `STATIC_ROOT`) are invisible to it and still reported;
    silence the line with `# noqa: DJH201` then.

    ## Why it breaks on Heroku
    Django serves static files only while `DEBUG` is on. On Heroku there is no nginx in
    front of the app: once `DEBUG` is off, every CSS, JavaScript and image URL answers
    404 and the site loses its styling. WhiteNoise lets gunicorn serve them.

    ## Fix safety
    The fix inserts `"whitenoise.middleware.WhiteNoiseMiddleware"` directly after
    SecurityMiddleware (first, when that is absent) and appends `whitenoise` to
    `requirements.txt` when no line requires it. It is unsafe: it adds a dependency
    (unpinned: pin the version you test with), and it changes how every static file is
    served. There is no fix when the project has no `requirements.txt` (Pipfile,
    Poetry, uv: add the package with your tool) or when the list is built in pieces.

    | the fix | safety |
    |---|---|
    | inserts WhiteNoise after SecurityMiddleware and appends `whitenoise` to `requirements.txt` if missing | unsafe: a new dependency |

    ## References
    - WhiteNoise, "Using WhiteNoise with Django": https://whitenoise.readthedocs.io/en/stable/django.html
    - Heroku Dev Center, "Django and Static Assets": https://devcenter.heroku.com/articles/django-assets
    - Heroku's reference app, `gettingstarted/settings.py`: https://github.com/heroku/python-getting-started
    """

    code = "DJH201"
    name = "whitenoise-missing"
    message = 'WhiteNoise is not in MIDDLEWARE: static files answer 404 once DEBUG is off; add "whitenoise.middleware.WhiteNoiseMiddleware" after SecurityMiddleware'

    INVALID = [
        Case(
            {
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n'
            },
            expect=["mysite/settings.py:3"],
            fixed={
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n'
            },
            unsafe=True,
        ),
        Case(
            {
                "mysite/settings.py": "INSTALLED_APPS = ['django.contrib.staticfiles']\nMIDDLEWARE = ['django.middleware.common.CommonMiddleware']\n",
                "requirements.txt": "Django==5.2.8\r\ngunicorn==23.0.0",
            },
            expect=["mysite/settings.py:2"],
            fixed={
                "mysite/settings.py": "INSTALLED_APPS = ['django.contrib.staticfiles']\nMIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware', 'django.middleware.common.CommonMiddleware']\n",
                "requirements.txt": "Django==5.2.8\r\ngunicorn==23.0.0\r\nwhitenoise",
            },
            unsafe=True,
            note="the requirement keeps the file's CRLF and its missing final newline",
        ),
        Case(
            {"mysite/settings.py": "INSTALLED_APPS = ['django.contrib.staticfiles']\nMIDDLEWARE = []\n", "requirements.txt": None, "Pipfile": "[packages]\ndjango = \"*\"\n"},
            expect=["mysite/settings.py:2"],
            note="no fix: no requirements.txt to add whitenoise to",
        ),
        Case({"mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n'}, expect=["mysite/settings.py:1"], note="no MIDDLEWARE at all"),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\n\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles", "storages"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSTORAGES = {"staticfiles": {"BACKEND": "storages.backends.s3.S3Storage"}}\n'
            },
            note="static files served from S3",
        ),
        Case(
            {
                "mysite/wsgi.py": 'import os\n\nfrom dj_static import Cling\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n\napplication = Cling(get_wsgi_application())\n',
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSTATIC_URL = "/static/"\nSTATIC_ROOT = "staticfiles"\n',
                "requirements.txt": "Django==4.2.16\ngunicorn==23.0.0\ndj-static==0.0.6\n",
            },
            note="dj-static's Cling serves them from wsgi.py",
        ),
        Case(
            {
                "mysite/settings.py": 'INSTALLED_APPS = ["django.contrib.staticfiles", "storages"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nSTATICFILES_STORAGE = "storages.backends.s3boto3.S3Boto3Storage"\n'
            },
            note="the storage setting of Django before 4.2",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None or not ctx.settings.complete:
            return
        apps = setting(ctx, "INSTALLED_APPS")
        if apps is None:
            return  # Django's default INSTALLED_APPS has no staticfiles: nothing to serve
        if apps.certain is not None and all_literal(apps.certain):
            if not any(isinstance(i, Literal) and i.value == "django.contrib.staticfiles" for i in getattr(apps.certain, "items", ())):
                return
        backend = static_backend(ctx)
        if backend is not None and not backend.startswith("whitenoise.") and backend not in DJANGO_STORAGES:
            return
        if any(entry.static_wrapper for entry in ctx.entry_points):
            return  # wsgi.py serves them (dj-static's Cling, WhiteNoise's WSGI form)
        binding = setting(ctx, "MIDDLEWARE")
        if binding is None:
            if "MIDDLEWARE_CLASSES" not in ctx.settings.settings:
                yield self.diagnostic(ctx, settings_span(ctx))
            return
        if any(not all_literal(v) or has_whitenoise(v) for v in binding.values):
            return
        yield self.diagnostic(ctx, binding.sites[-1], fix=insert_fix(binding.certain))
