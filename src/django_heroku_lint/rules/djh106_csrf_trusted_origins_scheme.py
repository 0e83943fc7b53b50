from __future__ import annotations

import re
from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix
from ..edit.intents import ReplaceString
from ..model.values import ListValue, Literal
from .context import Context
from ..read.requirements import may_reach
from .rule import Case, Rule
from ._values import setting, unique_spans

# A host, a ".domain" or "*.domain", and an optional port: what gets a scheme.
HOST_RE = re.compile(r"^(?:\*?\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?$")


class CsrfTrustedOriginsScheme(Rule):
    """
    ## What it does
    Flags an entry of the deployed `CSRF_TRUSTED_ORIGINS` that does not start with
    `https://` or `http://`, such as `"myapp.herokuapp.com"` or `".example.com"`. It
    stays silent when the declared Django is certainly older than 4.0 (where entries had
    no scheme), and on entries it cannot read (environment reads).

    ## Why it breaks on Heroku
    Since Django 4.0 each entry is an origin with its scheme. An entry without one makes
    every `manage.py` command that runs the system checks stop with error 4_0.E001, so a
    `release: python manage.py migrate` fails the deploy; and the origin is never
    trusted, so form posts from it fail with 403 "Origin checking failed". Heroku serves
    apps over HTTPS, so `https://` is the scheme to add.

    ## Fix safety
    The fix prefixes the entry with `https://`, keeping its quotes: `"myapp.herokuapp.com"`
    becomes `"https://myapp.herokuapp.com"`, and a leading dot, Django 3.2's way of
    saying "and its subdomains", becomes `https://*.`. It is safe: on Django 4.0 and
    later an entry without a scheme matches nothing, so the author's origin is trusted
    as meant, over the HTTPS that Heroku serves. The rule is silent where the declared
    Django is older, and pip installs the newest Django a looser declaration allows.
    An entry that is not a plain host (a path, a stray character, an `"*"` alone) gets no
    fix: what it means is not clear.

    | the fix | safety |
    |---|---|
    | `"myapp.herokuapp.com"` → `"https://myapp.herokuapp.com"`, `".example.com"` → `"https://*.example.com"`; an entry that is not a plain host is left alone | safe |

    ## References
    - Django 4.0 release notes, "CSRF_TRUSTED_ORIGINS changes".
    - Django, "CSRF_TRUSTED_ORIGINS": https://docs.djangoproject.com/en/stable/ref/settings/
    """

    code = "DJH106"
    name = "csrf-trusted-origins-scheme"
    message = 'CSRF_TRUSTED_ORIGINS entry "{entry}" has no scheme: Django 4.0+ stops manage.py with 4_0.E001 and rejects posts from it (403); write "{fixed}"'

    INVALID = [
        Case(
            {"mysite/settings.py": 'CSRF_TRUSTED_ORIGINS = ["myapp.herokuapp.com"]\n'},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": 'CSRF_TRUSTED_ORIGINS = ["https://myapp.herokuapp.com"]\n'},
        ),
        Case(
            {"mysite/settings.py": "CSRF_TRUSTED_ORIGINS = [\n    'https://myapp.herokuapp.com',\n    '.example.com',  # and its subdomains\n]\n"},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": "CSRF_TRUSTED_ORIGINS = [\n    'https://myapp.herokuapp.com',\n    'https://*.example.com',  # and its subdomains\n]\n"},
        ),
        Case(
            {"mysite/settings.py": 'CSRF_TRUSTED_ORIGINS = ["myapp.herokuapp.com/admin"]\n'},
            expect=["mysite/settings.py:1"],
            note="no fix: a path is not a host, so what is meant is left to the author",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'CSRF_TRUSTED_ORIGINS = ["https://myapp.herokuapp.com", "https://*.example.com"]\n'}),
        Case(
            {"mysite/settings.py": 'CSRF_TRUSTED_ORIGINS = ["myapp.herokuapp.com"]\n', "requirements.txt": "Django==3.2.25\ngunicorn\n"},
            note="Django 3.2 wanted bare hosts",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "CSRF_TRUSTED_ORIGINS")
        if binding is None:
            return
        django = ctx.requirements.get("django") if ctx.requirements else None
        if django is not None and not may_reach(django, (4, 0)):
            return
        found: dict = {}
        for value in binding.values:
            if not isinstance(value, ListValue):
                continue
            for item in value.items:
                if isinstance(item, Literal) and isinstance(item.value, str) and item.value:
                    if not item.value.startswith(("https://", "http://")):
                        found.setdefault(item.span, item.value)
        for span in unique_spans(list(found)):
            entry = found[span]
            fixed = "https://*" + entry if entry.startswith(".") else "https://" + entry
            fix = Fix(SAFE, f'write "{fixed}"', intents=(ReplaceString(span, entry, fixed),)) if HOST_RE.match(entry) else None
            yield self.diagnostic(ctx, span, fix=fix, entry=entry, fixed=fixed)
