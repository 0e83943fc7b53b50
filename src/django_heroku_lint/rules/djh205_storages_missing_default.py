from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix
from ..edit.intents import AddDictEntry
from ..model.values import DictValue, Literal
from .context import Context
from .rule import Case, Rule
from ._values import setting

STATIC = '"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}'
DEFAULT_BACKEND = '{"BACKEND": "django.core.files.storage.FileSystemStorage"}'
DEFAULT = f'"default": {DEFAULT_BACKEND}'


class StoragesMissingDefault(Rule):
    """
    ## What it does
    Flags a deployed `STORAGES` that has no `"default"` entry, typically one written to
    configure WhiteNoise with only `"staticfiles"`. It speaks only when every key of the
    dict is known (no `**` unpacking, no keys computed at run time).

    ## Why it breaks on Heroku
    Setting `STORAGES` replaces Django's whole default, not just the entries you write.
    Without `"default"`, the first upload, `FileField` or `default_storage` access raises
    `InvalidStorageError: Could not find config for 'default' in settings.STORAGES`: a
    500 in production, often on a page nobody tested.

    ## Fix safety
    The fix adds `"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}`,
    Django's own default, as the first entry of the `STORAGES` dict, in the layout and
    quotes of its other entries. It is safe, as it restores what Django used before
    `STORAGES` was set. (On Heroku that storage is the dyno's ephemeral disk: user
    uploads need S3 or the like, which is a separate decision.) There is no fix when
    `STORAGES` may hold several values (it is set under an `if`).

    | the fix | safety |
    |---|---|
    | adds Django's `"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}` to a literal `STORAGES` | safe |

    ## References
    - Django, "STORAGES": https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, "Managing files": https://docs.djangoproject.com/en/stable/topics/files/
    """

    code = "DJH205"
    name = "storages-missing-default"
    message = 'STORAGES has no "default" entry: file uploads and default_storage raise InvalidStorageError; add "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}'

    INVALID = [
        Case(
            {"mysite/settings.py": "STORAGES = {\n    " + STATIC + ",\n}\n"},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": "STORAGES = {\n    " + DEFAULT + ",\n    " + STATIC + ",\n}\n"},
        ),
        Case(
            {"mysite/settings.py": "STORAGES = {" + STATIC.replace('"', "'") + "}  # WhiteNoise\n"},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": "STORAGES = {" + DEFAULT.replace('"', "'") + ", " + STATIC.replace('"', "'") + "}  # WhiteNoise\n"},
            note="on one line, in the dict's quotes",
        ),
        Case(
            {"mysite/settings.py": "import os\n\nif os.environ.get('AWS_BUCKET'):\n    STORAGES = {'staticfiles': {'BACKEND': 'storages.backends.s3.S3Storage'}}\nelse:\n    STORAGES = {" + STATIC + "}\n"},
            expect=["mysite/settings.py:6"],
            note="no fix: STORAGES has two values",
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'STORAGES = {\n    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\n    '
                + STATIC
                + ",\n}\n"
            }
        ),
        Case({"mysite/settings.py": "from django.conf import global_settings\n\nSTORAGES = {**global_settings.STORAGES, " + STATIC + "}\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "STORAGES")
        if binding is None or not binding.values or not binding.sites:
            return
        for value in binding.values:
            if not isinstance(value, DictValue):
                return
            if not all(isinstance(k, Literal) for k, _ in value.entries) or value.get("default") is not None:
                return
        fix = None
        certain = binding.certain
        if isinstance(certain, DictValue):
            entry = AddDictEntry(certain.span, "default", DEFAULT_BACKEND)
            fix = Fix(SAFE, "add Django's default storage as STORAGES[\"default\"]", intents=(entry,))
        yield self.diagnostic(ctx, binding.sites[-1], fix=fix)
