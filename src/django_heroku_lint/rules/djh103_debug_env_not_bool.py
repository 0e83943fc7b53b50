from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, UNSAFE, AddKeyword, CompareEnvString, Diagnostic, Fix, UseMethod
from ..model.values import EnvRead, Literal
from .context import Context
from .rule import Case, Rule
from ._values import setting, unique_spans

SUGGESTIONS = {
    "decouple": 'config("DEBUG", default=False, cast=bool)',
    "environ": 'env.bool("DEBUG", default=False)',
}
OS_SUGGESTION = 'os.environ.get("DEBUG", "") == "True"'
# What python-decouple's cast=bool accepts; anything else raises ValueError at import.
DECOUPLE_BOOLEANS = ("1", "yes", "true", "on", "0", "no", "false", "off")


def debug_fix(read: EnvRead) -> Fix | None:
    """Make the read a real bool, in the reader's own idiom."""
    if read.fallback_via == "or":
        return None
    if read.api == "decouple" and read.wrapper is None:
        default = read.default
        safe = default is None or (
            isinstance(default, Literal)
            and (isinstance(default.value, bool) or str(default.value).lower() in DECOUPLE_BOOLEANS)
        )
        message = "add cast=bool to the config() call"
        if not safe:
            message += ": its fallback is not one of the strings cast=bool accepts, so an unset DEBUG would raise at startup"
        return Fix(SAFE if safe else UNSAFE, message, intents=(AddKeyword(read.span, "cast", "bool"),))
    if read.api == "environ" and read.wrapper is None and read.cast is None:
        return Fix(SAFE, "read DEBUG with env.bool(), keeping the fallback", intents=(UseMethod(read.span, "bool"),))
    if read.api in ("os.environ.get", "os.getenv"):
        default = read.default
        if default is None or (isinstance(default, Literal) and default.value is None):
            text: str | None = ""
        elif isinstance(default, Literal) and isinstance(default.value, str):
            text = None  # keep the string fallback as written
        elif isinstance(default, Literal) and isinstance(default.value, (bool, int)):
            text = str(default.value)
        else:
            return None
        return Fix(
            UNSAFE,
            'compare the string: DEBUG is true only for "1", "true", "yes" or "on", in any case',
            intents=(CompareEnvString(read.span, text),),
        )
    return None


class DebugEnvNotBool(Rule):
    """
    ## What it does
    Flags a `DEBUG` read from the environment that reaches Django as a string:
    `config("DEBUG")` or `config("DEBUG", default=False)` without `cast=bool`,
    `os.environ.get("DEBUG", False)`, `os.getenv("DEBUG")`, `bool(os.environ.get(...))`,
    and django-environ's `env("DEBUG")` with no bool scheme. A read that yields a real
    bool is fine: `cast=bool`, `env.bool(...)`, `environ.Env(DEBUG=(bool, False))`, a
    comparison (`== "True"`, `.lower() in (...)`), `strtobool(...)`.

    ## Why it breaks on Heroku
    Every config var is a string, and every non-empty string is true: with
    `heroku config:set DEBUG=False`, `DEBUG` is the string `"False"`, and debug pages
    with settings and stack traces are served to the world. The tutorial warns about
    exactly this ("without cast=bool, False is read as a string"). `bool("False")` is
    `True` too. `manage.py check --deploy` sees it only at run time, with the variable set.

    ## Fix safety
    For python-decouple the fix adds `cast=bool` to the `config()` call; for
    django-environ it turns `env("DEBUG", ...)` into `env.bool("DEBUG", ...)`, keeping
    the fallback. Both are safe: the author meant a bool and the library's own parser
    gives one. django-environ's parser never raises; decouple's raises only on a value
    that is not a boolean word (`1/0`, `true/false`, `yes/no`, `on/off`), which was a
    mistake already. When the `config()` fallback itself is not such a word (say
    `default=None`), an unset `DEBUG` would raise at startup, so that fix is unsafe.

    For `os.environ.get`/`os.getenv` (also inside `bool(...)`) the fix compares the
    string: `os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")`.
    It is unsafe: which words mean true is the fix's choice, not the author's, so a
    `DEBUG=y` that turned debug on before now turns it off.

    ## References
    - python-decouple, "cast": https://github.com/HBNetwork/python-decouple
    - django-environ, "Env.bool": https://django-environ.readthedocs.io/
    - Django, "DEBUG": https://docs.djangoproject.com/en/stable/ref/settings/
    """

    code = "DJH103"
    name = "debug-env-not-bool"
    message = 'DEBUG is read from the environment as a string: "False" is truthy, so debug stays on; use {suggestion}'

    INVALID = [
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False)\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n'},
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", False)\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nDEBUG = os.getenv("DEBUG")\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nDEBUG = os.getenv("DEBUG", "").lower() in ("1", "true", "yes", "on")\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": "import os\n\nDEBUG = bool(os.environ.get('DEBUG'))  # on in review apps\n"},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": "import os\n\nDEBUG = os.environ.get('DEBUG', '').lower() in ('1', 'true', 'yes', 'on')  # on in review apps\n"},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env("DEBUG", default=False)\n'},
            expect=["mysite/settings.py:4"],
            fixed={"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n'},
        ),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config(\n    "DEBUG",\n    default=None,  # unset means off\n)\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'from decouple import config\n\nDEBUG = config(\n    "DEBUG",\n    default=None,  # unset means off\n    cast=bool,\n)\n'},
            unsafe=True,
            note="None is not a boolean word: cast=bool raises when DEBUG is unset",
        ),
        Case(
            {"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env("DEBUG", default=False, parse_default=True)\n'},
            expect=["mysite/settings.py:4"],
            note="no fix: env.bool() takes no parse_default",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "") == "True"\n'}),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env("DEBUG")\n'}),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "false").lower() in ("1", "true")\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "DEBUG")
        if binding is None:
            return
        reads = [v for v in binding.values if isinstance(v, EnvRead) and v.yields_string and v.api != "django_heroku"]
        by_span = {read.span: read for read in reads}
        for span in unique_spans(list(by_span)):
            read = by_span[span]
            suggestion = SUGGESTIONS.get(read.api.split(".")[0], OS_SUGGESTION)
            yield self.diagnostic(ctx, span, fix=debug_fix(read), suggestion=suggestion)
