from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..model.values import EnvRead, ListValue, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import always_true, setting, unique_spans

EMPTY = ("is empty while DEBUG is off", "every request fails with 400 Bad Request", 'list your domains, e.g. ["myapp.herokuapp.com"]')


def _string_read(value: Value) -> tuple[str, str, str] | None:
    if isinstance(value, EnvRead) and value.yields_string and value.wrapper is None and value.api != "django_heroku":
        var = value.var or "the variable"
        return (
            f"is the raw string of the {var} config var, which Django reads character by character",
            "every request fails with 400 Bad Request",
            'split it into a list, e.g. config("ALLOWED_HOSTS", cast=Csv()) or os.environ["ALLOWED_HOSTS"].split(",")',
        )
    return None


def _bad_entry(item: Value) -> tuple[str, str, str] | None:
    if not isinstance(item, Literal) or not isinstance(item.value, str):
        return None
    entry = item.value
    host = entry.split("://", 1)[-1].split("/", 1)[0]
    if "://" in entry:
        return (f'holds "{entry}", a URL rather than a host', f"requests for {host} fail with 400 Bad Request", f'write the bare host "{host}"')
    if "/" in entry:
        return (f'holds "{entry}", a host with a path', f"requests for {host} fail with 400 Bad Request", f'write the bare host "{host}"')
    return None


class AllowedHostsUnusable(Rule):
    """
    ## What it does
    Flags a deployed `ALLOWED_HOSTS` that cannot match the app's own host:
    - an empty list, when `DEBUG` is off (anything but a certain `True`);
    - an environment read that stays a string, such as `os.environ.get("ALLOWED_HOSTS")`
      or `config("ALLOWED_HOSTS")` without `cast=Csv()`;
    - an entry with a scheme or a path, such as `"https://myapp.herokuapp.com"` or
      `"myapp.herokuapp.com/"`.

    An `ALLOWED_HOSTS` that is not set at all, or differs between branches, is left
    alone, and so is a fallback of an environment read.

    ## Why it breaks on Heroku
    Django compares the request's Host header with each entry of `ALLOWED_HOSTS`. An
    empty list with `DEBUG` off rejects every request with 400 Bad Request
    (DisallowedHost). A string is iterated character by character, so
    `"myapp.herokuapp.com"` becomes the patterns `"m"`, `"y"`, `"a"` … and matches no
    host. Entries are host names: `"https://..."` or a trailing `/` never match. The
    site answers 400 to everyone right after a successful deploy; `check --deploy` only
    catches the empty list (W020), and only at run time.

    ## Fix safety
    No automatic fix: the right host names are known only to the author.

    ## References
    - Django, "ALLOWED_HOSTS": https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    """

    code = "DJH105"
    name = "allowed-hosts-unusable"
    message = "ALLOWED_HOSTS {problem}: {consequence}; {remedy}"

    INVALID = [
        Case({"mysite/settings.py": "DEBUG = False\nALLOWED_HOSTS = []\n"}, expect=["mysite/settings.py:2"]),
        Case({"mysite/settings.py": 'import os\n\nALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS")\n'}, expect=["mysite/settings.py:3"]),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost")\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["https://myapp.herokuapp.com"]\n'}, expect=["mysite/settings.py:1"]),
    ]
    VALID = [
        Case({"mysite/settings.py": 'import os\n\nALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")\n'}),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["myapp.herokuapp.com", ".example.com"]\n'}),
        Case({"mysite/settings.py": "DEBUG = True\nALLOWED_HOSTS = []\n"}, note="Django allows localhost while DEBUG is on"),
        Case({"mysite/settings.py": 'import os\n\nALLOWED_HOSTS = [os.environ.get("HOST", "localhost")]\n'}),
        Case({"mysite/settings.py": 'import os\n\nALLOWED_HOSTS = []\nif "DYNO" in os.environ:\n    ALLOWED_HOSTS = ["*"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "ALLOWED_HOSTS")
        if binding is None or not binding.values:
            return
        found: dict[Span, tuple[str, str, str]] = {}
        if not binding.maybe_unset and all(isinstance(v, ListValue) and not v.items for v in binding.values):
            if not always_true(setting(ctx, "DEBUG")):
                found[binding.sites[-1]] = EMPTY
        for value in binding.values:
            read = _string_read(value)
            if read is not None:
                found.setdefault(value.span, read)
            if isinstance(value, ListValue):
                for item in value.items:
                    bad = _bad_entry(item)
                    if bad is not None:
                        found.setdefault(item.span, bad)
        for span in unique_spans(list(found)):
            problem, consequence, fix = found[span]
            yield self.diagnostic(ctx, span, problem=problem, consequence=consequence, remedy=fix)
