from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, DictValue, Diagnostic
from ..requirements import certainly_at_least
from ..rule import Case, Rule
from ._values import setting

SETTINGS = 'STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"\n'


class StaticfilesStorageRemoved(Rule):
    """
    ## What it does
    Flags `STATICFILES_STORAGE` in the deployed settings when the declared Django is
    certainly 5.1 or newer (`Django==5.2.8`, `Django>=5.1`, a lock file's version), and
    `STORAGES` does not already configure `"staticfiles"`. An unpinned Django is left
    alone, as is the setting made by `django_heroku.settings()` (DJH604 covers it).

    ## Why it breaks on Heroku
    `STATICFILES_STORAGE` was deprecated in Django 4.2 and removed in 5.1, where it is
    silently ignored. The WhiteNoise storage it named is then not used: static files
    are served without compression and without the hashed names that let browsers cache
    them forever, and a template that references a missing file no longer fails the
    build. Nothing warns.

    ## Fix safety
    No automatic fix yet. The intended fix moves the backend into
    `STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": ...}}`, keeping an existing `"default"` entry; it is safe,
    as it restores what the project asked for on every supported Django.

    ## References
    - Django 4.2 release notes, "Custom file storages"; Django 5.1 release notes, "Features removed in 5.1".
    - WhiteNoise, "Add compression and caching support".
    - HAZARDS.md, the hazards table.
    """

    code = "DJH204"
    name = "staticfiles-storage-removed"
    message = 'STATICFILES_STORAGE is ignored by Django 5.1+, which {file} declares: static files lose compression and cache-busting names; set the backend in STORAGES["staticfiles"]["BACKEND"] instead'

    INVALID = [
        Case({"mysite/settings.py": SETTINGS}, expect=["mysite/settings.py:1"]),
        Case({"mysite/settings.py": SETTINGS, "requirements.txt": "Django>=5.1,<6\ngunicorn\nwhitenoise\n"}, expect=["mysite/settings.py:1"]),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'STORAGES = {\n    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\n    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},\n}\n'
            }
        ),
        Case({"mysite/settings.py": SETTINGS, "requirements.txt": "Django==4.2.16\ngunicorn\nwhitenoise\n"}),
        Case({"mysite/settings.py": SETTINGS, "requirements.txt": "Django\ngunicorn\nwhitenoise\n"}, note="unpinned: not judged"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "STATICFILES_STORAGE")
        if binding is None or not binding.sites or ctx.requirements is None:
            return
        django = ctx.requirements.get("django")
        if django is None or not certainly_at_least(django, (5, 1)):
            return
        site = binding.sites[-1]
        if ctx.settings is not None and site in ctx.settings.django_heroku_calls:
            return
        storages = setting(ctx, "STORAGES")
        if storages is not None and not all(isinstance(v, DictValue) and v.get("staticfiles") is None for v in storages.values):
            return
        yield self.diagnostic(ctx, site, file=django.span.file)
