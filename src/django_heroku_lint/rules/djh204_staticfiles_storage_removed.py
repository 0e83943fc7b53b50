from __future__ import annotations

from collections.abc import Iterator

from dataclasses import dataclass

from ..ftypes import SAFE, Diagnostic, Fix, Span
from ..edit.intents import PythonIntent
from ..model.values import Binding, DictValue, Literal
from .context import Context
from ..read.requirements import certainly_at_least
from .rule import Case, Rule
from ._values import setting

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    import libcst as cst

    from ..edit.source import PythonSource

BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"
SETTINGS = f'STATICFILES_STORAGE = "{BACKEND}"\n'
DEFAULT = '"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}'


# ---------------------------------------------------------------------- the fix's edits

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


@dataclass(frozen=True, slots=True)
class MoveToStorages(PythonIntent):
    """``STATICFILES_STORAGE = "X"`` (``setting`` is its name, ``value`` the string)
    becomes the ``"staticfiles"`` entry of ``STORAGES``: of the dict display at
    ``storages``, in the same module, when there is one (the old statement goes), else
    of a new ``STORAGES`` in its place with Django's ``"default"`` beside it.  With
    ``add_default``, the existing dict gains that ``"default"`` too."""

    setting: Span
    value: Span
    storages: Span | None = None
    add_default: bool = False

    def apply(self, source: PythonSource) -> cst.Module:
        import libcst as cst

        from ..edit.primitives import assignment_line, dict_with, quote_of, string
        from ..edit.source import Unresolvable

        name = source.node_at(self.setting, cst.Name)
        assign, line = assignment_line(source, name)
        literal = source.node_at(self.value, (cst.SimpleString, cst.ConcatenatedString))
        if assign.value is not literal or not isinstance(literal, (cst.SimpleString, cst.ConcatenatedString)):
            raise Unresolvable("not a string literal")
        if not isinstance(literal.evaluated_value, str):
            raise Unresolvable("not a string literal")
        backend = source.module.code_for_node(literal)  # the string as written
        quote = quote_of(literal)
        default = f"{{{string('BACKEND', quote).value}: {string(FILE_SYSTEM_STORAGE, quote).value}}}"
        static = f"{{{string('BACKEND', quote).value}: {backend}}}"
        if self.storages is None:
            indent = source.module.default_indent
            code = (
                f"STORAGES = {{\n{indent}{string('default', quote).value}: {default},\n"
                f"{indent}{string('staticfiles', quote).value}: {static},\n}}"
            )
            statement = cst.parse_statement(code)
            assert isinstance(statement, cst.SimpleStatementLine)
            return source.replaced(assign, statement.body[0])
        storages = source.node_at(self.storages, cst.Dict)
        index = source.top_index(line)
        if source.top_index(storages) == index:
            raise Unresolvable("both in one statement")
        if any(empty.comment is not None for empty in line.leading_lines) or line.trailing_whitespace.comment is not None:
            raise Unresolvable("the statement's comment would be lost")
        keys = [e.key for e in storages.elements if isinstance(e, cst.DictElement)]
        key_quote = quote_of(keys[0]) if keys else quote
        static = f"{{{string('BACKEND', key_quote).value}: {backend}}}"
        new = dict_with(storages, "staticfiles", static, first=False, quote=key_quote)
        if self.add_default:
            new = dict_with(new, "default", default, first=True, quote=key_quote)
        module = source.replaced(storages, new)
        body = list(module.body)
        removed = body.pop(index)
        if index < len(body):  # the next statement takes the removed one's place and spacing
            lines = list(body[index].leading_lines)
            if index == 0:
                while lines and lines[0].comment is None:
                    lines.pop(0)  # no blank line at the top of the module
            elif not lines:
                lines = list(removed.leading_lines)
            body[index] = body[index].with_changes(leading_lines=lines)
        return module.with_changes(body=body)


# ---------------------------------------------------------------------- the rule


def storages_fix(legacy: Binding, storages: Binding | None) -> Fix | None:
    """Move a literal STATICFILES_STORAGE into STORAGES, when both sit where one edit
    can carry it out: a lone module-level assignment, and no STORAGES or one literal dict
    of the same module."""
    value = legacy.certain
    if len(legacy.sites) != 1 or not isinstance(value, Literal) or not isinstance(value.value, str):
        return None
    site = legacy.sites[0]
    if storages is None:
        return Fix(SAFE, "replace it with STORAGES, keeping Django's default storage", intents=(MoveToStorages(site, value.span),))
    current = storages.certain
    if not isinstance(current, DictValue) or current.span.file != site.file:
        return None
    if not all(isinstance(k, Literal) for k, _ in current.entries):
        return None
    add_default = current.get("default") is None
    message = 'move it into STORAGES["staticfiles"]' + (", adding Django's default storage" if add_default else "")
    return Fix(SAFE, message, intents=(MoveToStorages(site, value.span, current.span, add_default),))


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
    With no `STORAGES`, the fix replaces the assignment with
    `STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": ...}}`, one entry a line, keeping the comments around it;
    `"default"` is Django's own, which setting `STORAGES` would otherwise drop. With a
    literal `STORAGES` dict in the same module, the backend becomes its `"staticfiles"`
    entry (and Django's `"default"` is added when missing) and the old line goes.

    It is safe: it restores what the project asked for, on every Django since 4.2. With
    a manifest storage such as WhiteNoise's, collectstatic again checks that every file
    a stylesheet references exists, as it did before the upgrade to 5.1. There is no
    fix when the value is not a string literal, when the setting is assigned more than
    once, when `STORAGES` is built in another way or in another module, or when the
    line to remove carries a comment.

    | the fix | safety |
    |---|---|
    | `STATICFILES_STORAGE = "X"` → `STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": {"BACKEND": "X"}}`, or into the module's literal `STORAGES`, keeping its `"default"` | safe |

    ## References
    - Django 4.2 release notes, "Custom file storages"; Django 5.1 release notes, "Features removed in 5.1".
    - WhiteNoise, "Add compression and caching support": https://whitenoise.readthedocs.io/en/stable/django.html
    - Django, "STORAGES": https://docs.djangoproject.com/en/stable/ref/settings/
    """

    code = "DJH204"
    name = "staticfiles-storage-removed"
    message = 'STATICFILES_STORAGE is ignored by Django 5.1+, which {file} declares: static files lose compression and cache-busting names; set the backend in STORAGES["staticfiles"]["BACKEND"] instead'

    INVALID = [
        Case(
            {"mysite/settings.py": SETTINGS},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": f'STORAGES = {{\n    {DEFAULT},\n    "staticfiles": {{"BACKEND": "{BACKEND}"}},\n}}\n'},
        ),
        Case(
            {
                "mysite/settings.py": "STATIC_URL = '/static/'\n\n# Simplified static file serving.\nSTATICFILES_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage'\n",
                "requirements.txt": "Django>=5.1,<6\ngunicorn\nwhitenoise\n",
            },
            expect=["mysite/settings.py:4"],
            fixed={
                "mysite/settings.py": "STATIC_URL = '/static/'\n\n# Simplified static file serving.\nSTORAGES = {\n    'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'},\n"
                "    'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedManifestStaticFilesStorage'},\n}\n"
            },
            note="the comment stays, and so do the quotes",
        ),
        Case(
            {"mysite/settings.py": 'STORAGES = {\n    "default": {"BACKEND": "storages.backends.s3.S3Storage"},\n}\n\n' + SETTINGS + 'STATIC_URL = "static/"\n'},
            expect=["mysite/settings.py:5"],
            fixed={
                "mysite/settings.py": f'STORAGES = {{\n    "default": {{"BACKEND": "storages.backends.s3.S3Storage"}},\n    "staticfiles": {{"BACKEND": "{BACKEND}"}},\n}}\n\nSTATIC_URL = "static/"\n'
            },
            note="merged into the existing STORAGES, whose default stays",
        ),
        Case(
            {"mysite/settings.py": 'STORAGES = {}\nSTATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # WhiteNoise\n'},
            expect=["mysite/settings.py:2"],
            note="no fix: the comment on the line to remove would be lost",
        ),
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
        yield self.diagnostic(ctx, site, fix=storages_fix(binding, storages), file=django.span.file)
