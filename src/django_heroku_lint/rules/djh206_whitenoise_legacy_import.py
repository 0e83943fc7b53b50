from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..model.values import DictValue, ListValue, Literal, Value
from .context import Context
from ..read.requirements import declared, may_reach
from .rule import Case, Rule
from ._values import setting, unique_spans

LEGACY_WSGI = '''import os

from django.core.wsgi import get_wsgi_application
from whitenoise.django import DjangoWhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
application = DjangoWhiteNoise(application)
'''


def _legacy_literals(value: Value) -> Iterator[Span]:
    if isinstance(value, Literal) and isinstance(value.value, str) and value.value.startswith("whitenoise.django"):
        yield value.span
    elif isinstance(value, ListValue):
        for item in value.items:
            yield from _legacy_literals(item)
    elif isinstance(value, DictValue):
        for _, item in value.entries:
            yield from _legacy_literals(item)


class WhitenoiseLegacyImport(Rule):
    """
    ## What it does
    Flags uses of the `whitenoise.django` module, which WhiteNoise 4.0 removed:
    `from whitenoise.django import DjangoWhiteNoise` in the `wsgi.py` Heroku starts, and
    `"whitenoise.django.GzipManifestStaticFilesStorage"` in the deployed settings, when
    the declared whitenoise may be 4.0 or newer (unpinned, `>=`, or a pin of 4 and up).
    A whitenoise pinned below 4 is left alone, as is a project that does not declare
    whitenoise at all (DJH601 reports that).

    ## Why it breaks on Heroku
    Old tutorials wrap the WSGI application in `DjangoWhiteNoise`. With any WhiteNoise
    from 4.0 (2018) on, the import fails: the dyno crashes at boot with
    `ModuleNotFoundError: No module named 'whitenoise.django'` (H10), or collectstatic
    fails the build when the storage names it.

    ## Fix safety
    No automatic fix: the replacement (the middleware, and
    `whitenoise.storage.CompressedManifestStaticFilesStorage` in `STORAGES`) touches
    `wsgi.py` and the settings together.

    ## References
    - WhiteNoise changelog, 4.0 ("Removed the `whitenoise.django` module").
    - WhiteNoise, "Using WhiteNoise with Django": https://whitenoise.readthedocs.io/en/stable/django.html
    """

    code = "DJH206"
    name = "whitenoise-legacy-import"
    message = 'whitenoise.django was removed in WhiteNoise 4.0, and {file} allows a newer whitenoise: the app crashes at boot; use the middleware "whitenoise.middleware.WhiteNoiseMiddleware" and "whitenoise.storage.CompressedManifestStaticFilesStorage"'

    INVALID = [
        Case({"mysite/wsgi.py": LEGACY_WSGI}, expect=["mysite/wsgi.py:4"]),
        Case(
            {"mysite/settings.py": 'STATICFILES_STORAGE = "whitenoise.django.GzipManifestStaticFilesStorage"\n'},
            expect=["mysite/settings.py:1"],
        ),
    ]
    VALID = [
        Case({"mysite/wsgi.py": LEGACY_WSGI, "requirements.txt": "Django==1.11.29\ngunicorn==19.9.0\nwhitenoise==3.3.1\n"}),
        Case({"mysite/settings.py": 'STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.requirements is None:
            return
        whitenoise = declared(ctx.requirements, "whitenoise")
        if whitenoise is None or (whitenoise.name == "whitenoise" and not may_reach(whitenoise, (4, 0))):
            return
        spans: list[Span] = [span for entry in ctx.entry_points for span in entry.legacy_whitenoise]
        for name in ("STATICFILES_STORAGE", "STORAGES", "MIDDLEWARE"):
            binding = setting(ctx, name)
            if binding is not None:
                spans += [span for value in binding.values for span in _legacy_literals(value)]
        for span in unique_spans(spans):
            yield self.diagnostic(ctx, span, file=whitenoise.span.file)
