from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, ListValue, Literal, Span
from ..rule import Case, Rule
from ._values import SECURITY, WHITENOISE, setting, unique_spans


def misplaced(value: ListValue) -> tuple[Span, str] | None:
    """The WhiteNoise entry and where it should be, when its place is certainly wrong."""
    wn_index = sec_index = None
    for index, item in enumerate(value.items):
        if not isinstance(item, Literal):
            if wn_index is None:
                return None  # an unknown entry before WhiteNoise: its position is not known
            continue
        if item.value == WHITENOISE and wn_index is None:
            wn_index = index
        elif item.value == SECURITY and sec_index is None:
            sec_index = index
    if wn_index is None:
        return None
    if sec_index is not None:
        if wn_index == sec_index + 1:
            return None
        where = "before SecurityMiddleware" if wn_index < sec_index else f"{wn_index - sec_index - 1} entries after SecurityMiddleware"
        return value.items[wn_index].span, where
    if wn_index == 0:
        return None
    return value.items[wn_index].span, f"at position {wn_index + 1} with no SecurityMiddleware"


class WhitenoiseMisplaced(Rule):
    """
    ## What it does
    Flags WhiteNoise in `MIDDLEWARE` when it is not directly after
    `django.middleware.security.SecurityMiddleware` (or not first when that is absent),
    counting `+=`, `.append`, `.insert` and what `django_heroku.settings(locals())` does:
    it puts WhiteNoise first, before SecurityMiddleware.

    ## Why it breaks on Heroku
    WhiteNoise's documentation: place it "directly after the Django SecurityMiddleware
    and before all other middleware". Before SecurityMiddleware, static responses skip
    the HTTPS redirect and security headers; after other middleware (sessions,
    authentication, CSRF, or anything that reads the request), every static file pays
    for them, or is shadowed by a middleware that answers first.

    ## Fix safety
    No automatic fix yet. Moving the entry within one literal list keeps what the author
    meant and is safe.

    ## References
    - WhiteNoise, "Enable WhiteNoise".
    - HAZARDS.md, "What django_heroku.settings(locals()) does".
    """

    code = "DJH202"
    name = "whitenoise-misplaced"
    message = "WhiteNoise must sit directly after SecurityMiddleware, but it is {where}; move it there"

    INVALID = [
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\n'
            },
            expect=["mysite/settings.py:4"],
        ),
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nMIDDLEWARE.insert(0, "whitenoise.middleware.WhiteNoiseMiddleware")\n'
            },
            expect=["mysite/settings.py:2"],
        ),
        Case(
            {
                "mysite/settings.py": 'import django_heroku\n\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\ndjango_heroku.settings(locals())\n'
            },
            expect=["mysite/settings.py:7"],
        ),
    ]
    VALID = [
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\nMIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")\n'
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "MIDDLEWARE")
        if binding is None:
            return
        found = [m for v in binding.values if isinstance(v, ListValue) for m in [misplaced(v)] if m is not None]
        details = dict(found)
        for span in unique_spans(list(details)):
            yield self.diagnostic(ctx, span, where=details[span])
