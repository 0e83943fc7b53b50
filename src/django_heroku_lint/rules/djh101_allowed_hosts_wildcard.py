from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, EnvRead, ListValue, Literal, Span, Value
from ..rule import Case, Rule
from ._values import setting, unique_spans


def wildcards(value: Value) -> Iterator[Span]:
    """Where a ``"*"`` host comes from in a value: a literal entry or an env read's fallback."""
    if isinstance(value, ListValue):
        for item in value.items:
            if isinstance(item, Literal) and item.value == "*":
                yield item.span
            elif isinstance(item, EnvRead):
                yield from wildcards(item)
    elif isinstance(value, EnvRead) and value.default is not None:
        default = value.default
        if isinstance(default, Literal) and isinstance(default.value, str):
            if "*" in (part.strip() for part in default.value.split(",")):
                yield default.span
        else:
            yield from wildcards(default)


class AllowedHostsWildcard(Rule):
    """
    ## What it does
    Flags a deployed `ALLOWED_HOSTS` that contains `"*"`: in a literal list, added by
    `+=` or `.append`, set by `django_heroku.settings(locals())`, or as the fallback of an
    environment read such as `config("ALLOWED_HOSTS", default="*", cast=Csv())`. A
    wildcard under an `if` is flagged too: it may be what production runs.

    ## Why it breaks on Heroku
    `ALLOWED_HOSTS` is Django's defence against Host-header attacks (poisoned password
    reset links, cache poisoning). The tutorial sets `['*']` "temporarily" and it stays.
    `manage.py check --deploy` accepts it, so nothing else warns.

    Heroku's own reference app does set `["*"]` when it runs on Heroku, because the
    Heroku router only forwards requests for the app's domains. If you rely on that,
    turn this rule off with `ignore = ["DJH101"]` or a `# noqa: DJH101` on the line.

    ## Fix safety
    No automatic fix yet. Replacing `"*"` with `".herokuapp.com"` would break a custom
    domain, so such a fix can only ever be unsafe.

    ## References
    - Django, "ALLOWED_HOSTS" and "Host header validation".
    - HAZARDS.md, "Heroku's reference app" and the hazards table.
    """

    code = "DJH101"
    name = "allowed-hosts-wildcard"
    message = 'ALLOWED_HOSTS accepts any host ("*"): Host-header attacks reach the app; list your domains, e.g. ["myapp.herokuapp.com"]'

    INVALID = [
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]  # temporary\n'}, expect=["mysite/settings.py:1"]),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["localhost"]\nALLOWED_HOSTS += ["*"]\n'}, expect=["mysite/settings.py:2"]),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = []\nALLOWED_HOSTS.append("*")\n'}, expect=["mysite/settings.py:2"]),
        Case(
            {"mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", default="*", cast=Csv())\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case(
            {"mysite/settings.py": 'import django_heroku\n\nALLOWED_HOSTS = ["myapp.herokuapp.com"]\ndjango_heroku.settings(locals())\n'},
            expect=["mysite/settings.py:4"],
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["myapp.herokuapp.com", "www.example.com"]\n'}),
        Case({"mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\n'}),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = [".herokuapp.com"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "ALLOWED_HOSTS")
        if binding is None:
            return
        spans = [span for value in binding.values for span in wildcards(value)]
        for span in unique_spans(spans):
            yield self.diagnostic(ctx, span)
