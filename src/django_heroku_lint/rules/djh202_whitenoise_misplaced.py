from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix, Span
from ..edit.intents import MoveElement
from ..model.values import ListValue, Literal
from .context import Context
from .rule import Case, Rule
from ._values import SECURITY, WHITENOISE, setting, unique_spans

CORS = "corsheaders.middleware.CorsMiddleware"


def misplaced(value: ListValue) -> tuple[Span, str, Fix] | None:
    """The WhiteNoise entry, where it is, and the fix that moves it, when its place is
    certainly wrong."""
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
        anchor = sec_index  # django-cors-headers' CorsMiddleware may sit between them
        while anchor + 1 < len(value.items) and isinstance(value.items[anchor + 1], Literal) and value.items[anchor + 1].value == CORS:  # type: ignore[union-attr]
            anchor += 1
        if wn_index == anchor + 1:  # anchor is sec_index without CorsMiddleware after it
            return None
        where = "before SecurityMiddleware" if wn_index < sec_index else f"{wn_index - sec_index - 1} entries after SecurityMiddleware"
        move = MoveElement(value.items[wn_index].span, value.items[anchor].span, after=True)
        after = "SecurityMiddleware" if anchor == sec_index else "CorsMiddleware, after SecurityMiddleware"
        return value.items[wn_index].span, where, Fix(SAFE, f"move WhiteNoise directly after {after}", intents=(move,))
    if all(isinstance(i, Literal) and i.value == CORS for i in value.items[:wn_index]):  # first, or after CorsMiddleware only
        return None
    move = MoveElement(value.items[wn_index].span, value.items[0].span, after=False)
    return value.items[wn_index].span, f"at position {wn_index + 1} with no SecurityMiddleware", Fix(SAFE, "move WhiteNoise to the top of MIDDLEWARE", intents=(move,))


class WhitenoiseMisplaced(Rule):
    """
    ## What it does
    Flags WhiteNoise in `MIDDLEWARE` when it is not directly after
    `django.middleware.security.SecurityMiddleware` (or not first when that is absent),
    counting `+=`, `.append`, `.insert` and what `django_heroku.settings(locals())` does:
    it puts WhiteNoise first, before SecurityMiddleware.

    django-cors-headers' `corsheaders.middleware.CorsMiddleware` may sit between them
    (`SecurityMiddleware, CorsMiddleware, WhiteNoiseMiddleware`): its documentation asks
    for it "as high as possible, especially before any middleware that can generate
    responses such as ... WhiteNoiseMiddleware", so that static responses carry CORS
    headers too. Only that middleware is allowed there; the fix, where it moves
    WhiteNoise, puts it after CorsMiddleware too.

    ## Why it breaks on Heroku
    WhiteNoise's documentation: place it "directly after the Django SecurityMiddleware
    and before all other middleware". Before SecurityMiddleware, static responses skip
    the HTTPS redirect and security headers; after other middleware (sessions,
    authentication, CSRF, or anything that reads the request), every static file pays
    for them, or is shadowed by a middleware that answers first.

    ## Fix safety
    When WhiteNoise and SecurityMiddleware sit in one list display, the fix moves the
    WhiteNoise entry directly after SecurityMiddleware (or to the top, when there is
    none), with the comment at the end of its line and the comment lines above it. It
    is safe: the middleware are the author's own, in the order WhiteNoise documents.
    There is no fix when WhiteNoise is added by `.insert()` or by
    `django_heroku.settings()`.

    | the fix | safety |
    |---|---|
    | moves the WhiteNoise entry directly after SecurityMiddleware (first, when that is absent), with its comments, when both sit in one list | safe |

    ## References
    - WhiteNoise, "Enable WhiteNoise": https://whitenoise.readthedocs.io/en/stable/django.html
    - django-heroku (archived), whose `settings()` puts WhiteNoise first: https://github.com/heroku/django-heroku
    - django-cors-headers, "Setup" (the middleware's place): https://github.com/adamchainz/django-cors-headers#setup
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
            fixed={
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n'
            },
        ),
        Case(
            {
                "mysite/settings.py": "MIDDLEWARE = [\n    # Static files first, said the blog post.\n    'whitenoise.middleware.WhiteNoiseMiddleware',  # serves /static/\n    'django.middleware.security.SecurityMiddleware',\n    'django.middleware.common.CommonMiddleware',\n]\n"
            },
            expect=["mysite/settings.py:3"],
            fixed={
                "mysite/settings.py": "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n    # Static files first, said the blog post.\n    'whitenoise.middleware.WhiteNoiseMiddleware',  # serves /static/\n    'django.middleware.common.CommonMiddleware',\n]\n"
            },
            note="the entry's comments move with it",
        ),
        Case(
            {"mysite/settings.py": 'MIDDLEWARE = ("a.Middleware", "whitenoise.middleware.WhiteNoiseMiddleware")\n'},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": 'MIDDLEWARE = ("whitenoise.middleware.WhiteNoiseMiddleware", "a.Middleware")\n'},
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
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n]\n'
            },
            expect=["mysite/settings.py:5"],
            fixed={
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.middleware.common.CommonMiddleware",\n]\n'
            },
            note="the fix keeps CorsMiddleware first after SecurityMiddleware",
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
        Case(
            {
                "mysite/settings.py": 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n'
            },
            note="django-cors-headers' documented order",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "MIDDLEWARE")
        if binding is None:
            return
        found = [m for v in binding.values if isinstance(v, ListValue) for m in [misplaced(v)] if m is not None]
        details = {span: (where, fix) for span, where, fix in found}
        fixable = len(found) == 1  # alternatives may want the entry in different places
        for span in unique_spans(list(details)):
            where, fix = details[span]
            yield self.diagnostic(ctx, span, fix=fix if fixable else None, where=where)
