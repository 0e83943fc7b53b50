from __future__ import annotations

from collections.abc import Iterator

from dataclasses import dataclass

from ..ftypes import SAFE, UNSAFE, Diagnostic, Fix, Span
from ..edit.intents import AddKeyword, PythonIntent
from ..model.values import EnvRead, Literal
from .context import Context
from .rule import Case, Rule
from ._values import TRUTHY, setting, unique_spans

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    import libcst as cst

    from ..edit.source import PythonSource

SUGGESTIONS = {
    "decouple": 'config("DEBUG", default=False, cast=bool)',
    "environ": 'env.bool("DEBUG", default=False)',
}
OS_SUGGESTION = 'os.environ.get("DEBUG", "") == "True"'
# What python-decouple's cast=bool accepts; anything else raises ValueError at import.
DECOUPLE_BOOLEANS = (*TRUTHY, "0", "no", "false", "off")


# ---------------------------------------------------------------------- the fix's edits


@dataclass(frozen=True, slots=True)
class UseMethod(PythonIntent):
    """``env("X", default=1)`` -> ``env.method("X", default=1)``, only when the call passes
    at most ``max_positional`` positional arguments and no keyword outside ``keywords``."""

    call: Span
    method: str
    max_positional: int = 1
    keywords: tuple[str, ...] = ("default",)

    def apply(self, source: PythonSource) -> cst.Module:
        import libcst as cst

        from ..edit.source import Unresolvable

        call = source.node_at(self.call, cst.Call)
        if not isinstance(call.func, (cst.Name, cst.Attribute)):
            raise Unresolvable("not a plain callee")
        positional = [arg for arg in call.args if arg.keyword is None]
        if any(arg.star for arg in call.args) or len(positional) > self.max_positional:
            raise Unresolvable("arguments the method does not take")
        if any(arg.keyword is not None and arg.keyword.value not in self.keywords for arg in call.args):
            raise Unresolvable("arguments the method does not take")
        func = cst.Attribute(value=call.func, attr=cst.Name(self.method))
        return source.replaced(call, call.with_changes(func=func))


@dataclass(frozen=True, slots=True)
class CompareEnvString(PythonIntent):
    """``os.environ.get("X", d)`` or ``bool(os.getenv("X"))`` -> ``os.environ.get("X", "d").lower()
    in ("1", "true", "yes", "on")``.  ``default`` is the string fallback to pass, or ``None``
    to keep the call's own string fallback."""

    read: Span
    default: str | None

    def apply(self, source: PythonSource) -> cst.Module:
        import libcst as cst

        from ..edit.primitives import Layout, breaks_line, env_call, quote_of, string
        from ..edit.source import Unresolvable

        outer = source.node_at(self.read, cst.Call)
        inner: cst.BaseExpression = outer
        if isinstance(outer.func, cst.Name) and outer.func.value == "bool":
            if len(outer.args) != 1 or outer.args[0].keyword is not None or outer.args[0].star:
                raise Unresolvable("bool() with other arguments")
            inner = outer.args[0].value
        call = env_call(inner)
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "setdefault":
            raise Unresolvable("setdefault changes the environment")
        args = list(call.args)
        positional = [i for i, arg in enumerate(args) if arg.keyword is None]
        keywords = {arg.keyword.value: i for i, arg in enumerate(args) if arg.keyword is not None}
        if not positional or set(keywords) - {"default"}:
            raise Unresolvable("unexpected arguments")
        var_node = args[positional[0]].value
        default_index = keywords.get("default", positional[1] if len(positional) > 1 else None)
        quote = quote_of(var_node)
        if self.default is None:
            if default_index is None or not isinstance(args[default_index].value, cst.SimpleString):
                raise Unresolvable("the fallback is not a string")
            new_call: cst.BaseExpression = call
        elif default_index is not None:
            args[default_index] = args[default_index].with_changes(value=string(self.default, quote))
            new_call = call.with_changes(args=args)
        else:
            new_call = Layout(call).rebuild([*range(len(args)), None], cst.Arg(value=string(self.default, quote)))
        lowered = cst.Call(func=cst.Attribute(value=new_call.with_changes(lpar=[], rpar=[]), attr=cst.Name("lower")))
        truthy = cst.Tuple(
            elements=[
                cst.Element(string(value, quote), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(TRUTHY) - 1 else cst.MaybeSentinel.DEFAULT)
                for i, value in enumerate(TRUTHY)
            ]
        )
        comparison = cst.Comparison(left=lowered, comparisons=[cst.ComparisonTarget(operator=cst.In(), comparator=truthy)])
        parent = source.parents.get(outer)
        # Brackets where the comparison needs them: inside a larger expression, and around a
        # read that breaks a line inside bool()'s parentheses, which go with bool().
        unwrapped_break = inner is not outer and breaks_line(source, inner)
        if outer.lpar:
            comparison = comparison.with_changes(lpar=outer.lpar, rpar=outer.rpar)
        elif unwrapped_break or not isinstance(parent, (cst.Assign, cst.AnnAssign, cst.IfExp)):
            comparison = comparison.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return source.replaced(outer, comparison)


# ---------------------------------------------------------------------- the rule


def debug_fix(read: EnvRead) -> Fix | None:
    """Make the read a real bool, in the reader's own idiom."""
    if read.fallback_via in ("or", "dotenv"):
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
    `os.getenv("DEBUG", "") or False` (the string whenever the variable is set), and
    django-environ's `env("DEBUG")` with no bool scheme, also when `env` was made in
    another module (`from .base import env`, `from .base import *`). A read that yields a real
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

    | the fix | safety |
    |---|---|
    | `config("DEBUG", default=False)` → `config("DEBUG", default=False, cast=bool)`; `env("DEBUG", default=False)` → `env.bool("DEBUG", default=False)` | safe (unsafe when the `config()` fallback is not a boolean word, such as `None`) |
    | `os.environ.get`/`os.getenv`: `os.environ.get("DEBUG", False)` → `os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")` | unsafe: which words mean true is the fix's choice |

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
        Case(
            {"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", False) or False\n'},
            expect=["mysite/settings.py:3"],
            note='the string when the config var is set: "False" or False is "False"',
        ),
        Case(
            {
                "mysite/settings/production.py": "from .base import *  # noqa\n\nDEBUG = env(\"DJANGO_DEBUG\", default=False)\n",
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": 'import environ\n\nenv = environ.Env()\n\nDEBUG = env.bool("DJANGO_DEBUG", False)\n',
            },
            expect=["mysite/settings/production.py:3"],
            fixed={"mysite/settings/production.py": "from .base import *  # noqa\n\nDEBUG = env.bool(\"DJANGO_DEBUG\", default=False)\n"},
            note="the env base.py makes reaches production.py through the star import",
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
