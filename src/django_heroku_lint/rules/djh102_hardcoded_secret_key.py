from __future__ import annotations

from collections.abc import Iterator

from dataclasses import dataclass

from ..ftypes import UNSAFE, Diagnostic, Fix, Span
from ..edit.intents import PythonIntent
from ..model.values import EnvRead, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import setting, string_default, unique_spans

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    import libcst as cst

    from ..edit.source import PythonSource

FIX_MESSAGE = (
    "read SECRET_KEY from the environment with no fallback; set it before you deploy: "
    "heroku config:set SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\" "
    "(and in your local .env)"
)
DROPPABLE = ("decouple", "environ", "os.environ.get", "os.getenv")


# ---------------------------------------------------------------------- the fix's edits


@dataclass(frozen=True, slots=True)
class DropFallback(PythonIntent):
    """An environment read loses its fallback: ``config("X", default="k")`` -> ``config("X")``,
    ``os.environ.get("X", "k")`` and ``os.getenv("X") or "k"`` -> ``os.environ["X"]``.
    ``api`` and ``via`` are the ``EnvRead``'s."""

    read: Span
    api: str
    via: str | None

    def apply(self, source: PythonSource) -> cst.Module:
        import libcst as cst

        from ..edit.primitives import Layout, breaks_line, ensure_import, env_call, environ_subscript
        from ..edit.source import Unresolvable

        node: cst.BaseExpression
        if self.via == "or":
            node = source.node_at(self.read, cst.BooleanOperation)
            if not isinstance(node.operator, cst.Or) or not isinstance(node.left, cst.Call):
                raise Unresolvable("not `read or fallback`")
            call = node.left
        else:
            node = call = source.node_at(self.read, cst.Call)
        args = list(call.args)
        if any(arg.star for arg in args):
            raise Unresolvable("starred arguments")
        positional = [i for i, arg in enumerate(args) if arg.keyword is None]
        keywords = {arg.keyword.value: i for i, arg in enumerate(args) if arg.keyword is not None}
        needs_os = False
        if self.api == "decouple" or self.api == "environ" or self.api.startswith("environ."):
            drop = keywords.get("default")
            if drop is None and self.api != "environ" and len(positional) > 1:
                drop = positional[1]
            if drop is None and self.via != "or":
                raise Unresolvable("no fallback argument")
            new: cst.BaseExpression = call
            if drop is not None:
                new = Layout(call).rebuild([k for k in range(len(args)) if k != drop])
        elif self.api in ("os.environ.get", "os.getenv"):
            env_call(call)
            if set(keywords) - {"default"} or not positional:
                raise Unresolvable("unexpected arguments")
            var_node = args[positional[0]].value
            new, needs_os = environ_subscript(call, var_node)
        else:
            raise Unresolvable(f"no way to drop the fallback of {self.api}")
        if call.lpar and isinstance(new, cst.Subscript):
            new = new.with_changes(lpar=call.lpar, rpar=call.rpar)
        elif node is not call and node.lpar and not new.lpar and breaks_line(source, new):
            new = new.with_changes(lpar=node.lpar, rpar=node.rpar)  # the brackets of `(read or fallback)` hold a line break
        top = source.top_index(node)
        module = source.replaced(node, new)
        return ensure_import(module, "os", top) if needs_os else module


@dataclass(frozen=True, slots=True)
class ReadEnv(PythonIntent):
    """A literal becomes a read of environment variable ``var``, in the style the module
    already uses: decouple's ``config``, a django-environ ``env``, else ``os.environ``."""

    value: Span
    var: str
    reader: str = ""  # a reader the module got from another (``env`` from ``from .base import *``)

    def apply(self, source: PythonSource) -> cst.Module:
        import libcst as cst

        from ..edit.primitives import ensure_import, quote_of, string

        literal = source.node_at(self.value, (cst.SimpleString, cst.ConcatenatedString))
        top = source.top_index(literal)
        quote = quote_of(literal)
        name = string(self.var, quote).value
        style = env_style(source, top) or (("call", self.reader) if self.reader else None)
        needs_os = style is None
        kind, base = style or ("subscript", "os.environ")
        new = cst.parse_expression(f"{base}({name})" if kind == "call" else f"{base}[{name}]")
        if literal.lpar:
            new = new.with_changes(lpar=literal.lpar, rpar=literal.rpar)
        module = source.replaced(literal, new)
        return ensure_import(module, "os", top) if needs_os else module


def env_style(source: PythonSource, before: int) -> tuple[str, str] | None:
    """How the module reads the environment before statement ``before``:
    ("call", callee) for decouple or django-environ, ("subscript", base) for os."""
    import libcst as cst

    from ..edit.primitives import statement_imports
    from ..model.interpreter import dotted_name

    decouple = environ_obj = os_base = None
    decouple_names: set[str] = set()
    environ_names: set[str] = set()
    for statement in source.module.body[:before]:
        for small in statement_imports(statement):
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                module = dotted_name(small.module) if small.module is not None and not small.relative else None
                for alias in small.names:
                    local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else dotted_name(alias.name)
                    imported = dotted_name(alias.name)
                    if module == "decouple" and imported == "config":
                        decouple = decouple or local
                    elif module == "decouple" and imported in ("AutoConfig", "Config"):
                        decouple_names.add(local or "")
                    elif module == "environ" and imported == "Env":
                        environ_names.add(local or "")
                    elif module == "os" and imported == "environ":
                        os_base = os_base or local
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = dotted_name(alias.name)
                    local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                    if name == "decouple":
                        decouple = decouple or f"{local}.config"
                        decouple_names.update({f"{local}.AutoConfig", f"{local}.Config"})
                    elif name == "environ":
                        environ_names.add(f"{local}.Env")
                    elif name == "os" and alias.asname is None:
                        os_base = os_base or "os.environ"
            elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                value = small.value
                if isinstance(value, cst.Call):
                    callee = dotted_name(value.func)
                    if callee in decouple_names:
                        decouple = small.targets[0].target.value
                    elif callee in environ_names:
                        environ_obj = environ_obj or small.targets[0].target.value
    if decouple:
        return ("call", decouple)
    if environ_obj:
        return ("call", environ_obj)
    if os_base:
        return ("subscript", os_base)
    return None


# ---------------------------------------------------------------------- the rule


def secret_fix(value: Value, readers: dict[str, dict[str, str]] | None = None) -> Fix | None:
    """Turn a hardcoded key into an environment read with no fallback; ``readers``
    (SettingsModel.readers) names a reader the literal's module holds from another one."""
    if isinstance(value, Literal):
        return Fix(UNSAFE, FIX_MESSAGE, intents=(ReadEnv(value.span, "SECRET_KEY", _reader((readers or {}).get(value.span.file, {}))),))
    if not isinstance(value, EnvRead) or value.fallback_via == "dotenv":
        return None  # a committed .env's value is not in the code: no fix edits it there
    if value.api == "django_heroku":
        default = value.default
        if isinstance(default, Literal) and default.span != value.span:
            return Fix(UNSAFE, FIX_MESSAGE, intents=(ReadEnv(default.span, "SECRET_KEY", _reader((readers or {}).get(default.span.file, {}))),))
        if isinstance(default, EnvRead) and default.api != "django_heroku":
            return secret_fix(default, readers)  # the module's own read, which django_heroku.settings() wraps
        return None
    if value.api in DROPPABLE or value.api.startswith("environ."):
        return Fix(UNSAFE, FIX_MESSAGE, intents=(DropFallback(value.span, value.api, value.fallback_via),))
    return None


def _reader(names: dict[str, str]) -> str:
    """The name to read with among a module's readers: decouple's ``config`` first, then
    a django-environ ``env``; ``""`` when it holds none."""
    for kind in ("decouple.config", "environ.Env()"):
        found = sorted(name for name, qual in names.items() if qual == kind)
        if found:
            return "env" if "env" in found else found[0]
    return ""


def hardcoded(value: Value) -> tuple[Span, str] | None:
    """Where a value makes the key a known string, and how."""
    if isinstance(value, Literal) and isinstance(value.value, str) and value.value:
        return value.span, "a string literal in the source"
    if isinstance(value, EnvRead):
        default = string_default(value)
        if default is not None and value.dotenv:
            return default.span, f"the committed {value.dotenv} sets {value.var}, and a push deploys that file"
        if default is not None:
            return default.span, f"the fallback used when {value.var or 'the variable'} is unset is a string literal"
        if value.api == "django_heroku" and isinstance(value.default, EnvRead):
            # django_heroku.settings() replaces SECRET_KEY only when the variable is set:
            # otherwise the module's own read, and its fallback, stay.
            return hardcoded(value.default)
    return None


class HardcodedSecretKey(Rule):
    """
    ## What it does
    Flags a deployed `SECRET_KEY` that is a string literal, or an environment read whose
    fallback is a string literal: `os.environ.get("SECRET_KEY", "dev-key")`,
    `config("SECRET_KEY", default="...")`, `env("SECRET_KEY", default="...")`,
    `os.environ.get("SECRET_KEY") or "..."`. A read with no fallback, or with a generated
    one (`secrets.token_urlsafe(...)`, `get_random_secret_key()`), is fine. The fallback
    still counts after `django_heroku.settings(locals())`, which replaces the key only
    when the config var is set, and when the reader was made in another module
    (`env = environ.Env()` in `base.py`, used after `from .base import env`). When the key
    is set differently on different branches, the rule speaks only if every branch
    hardcodes it.

    ## Why it breaks on Heroku
    A key in the repository is in its history forever: anyone with a clone can forge
    sessions, password-reset tokens and signed cookies. A literal fallback is worse than
    it looks: when the config var is missing, production silently runs with the known
    key instead of failing. Ruff's S105 and bandit catch a literal by its variable name;
    nothing catches the fallback.

    ## Fix safety
    The fix reads the key from the environment with no fallback. A literal becomes a
    read in the style the module already uses: `config("SECRET_KEY")` with
    python-decouple, `env("SECRET_KEY")` with django-environ (also with the `env`
    that `base.py` makes and the module imports by name or through `from .base
    import *`, as cookiecutter-django does), else `os.environ["SECRET_KEY"]` (adding
    `import os`). A read with a literal fallback
    loses the fallback: `config("SECRET_KEY", default="...")` becomes
    `config("SECRET_KEY")`, `os.environ.get("SECRET_KEY", "...")` and
    `os.getenv("SECRET_KEY") or "..."` become `os.environ["SECRET_KEY"]`.

    It is unsafe: the app will not start, on Heroku or on your machine, until the
    variable is set (`heroku config:set SECRET_KEY=...`, and your local `.env`). The
    fix message says how. Rotate the old key too: it stays in the git history.

    | the fix | safety |
    |---|---|
    | `SECRET_KEY = "..."` → `config("SECRET_KEY")`, `env("SECRET_KEY")` or `os.environ["SECRET_KEY"]` (with `import os`), in the style the module already uses; a literal fallback is dropped | unsafe: set the variable first, `heroku config:set SECRET_KEY=...` |

    ## References
    - Django, "SECRET_KEY": https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    - Heroku's reference app, which generates its fallback at random: https://github.com/heroku/python-getting-started
    """

    code = "DJH102"
    name = "hardcoded-secret-key"
    message = "SECRET_KEY is hardcoded ({detail}): anyone with the repository can forge sessions; read it from the environment with no literal fallback"

    INVALID = [
        Case(
            {"mysite/settings.py": 'SECRET_KEY = "django-insecure-7h1s-1s-n0t-s3cr3t"\n'},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY", default="dj9oh154y8eh320QZX3")\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.getenv("SECRET_KEY") or "fallback"\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": "from decouple import config\n\n# SECURITY WARNING: keep it secret!\nSECRET_KEY = 'k3y'\n"},
            expect=["mysite/settings.py:4"],
            fixed={"mysite/settings.py": "from decouple import config\n\n# SECURITY WARNING: keep it secret!\nSECRET_KEY = config('SECRET_KEY')\n"},
            unsafe=True,
            note="the module reads the environment with python-decouple",
        ),
        Case(
            {"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY", default="k3y")\n'},
            expect=["mysite/settings.py:4"],
            fixed={"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY")\n'},
            unsafe=True,
        ),
        Case(
            {
                "mysite/settings/production.py": (
                    "from .base import *  # noqa\n"
                    "from .base import env\n\n"
                    'SECRET_KEY = env("DJANGO_SECRET_KEY", default="i1t=60pmfy@f2yloh-literal")\n'
                ),
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": 'import environ\n\nenv = environ.Env()\n\nDEBUG = env.bool("DJANGO_DEBUG", False)\n',
            },
            expect=["mysite/settings/production.py:4"],
            fixed={"mysite/settings/production.py": 'from .base import *  # noqa\nfrom .base import env\n\nSECRET_KEY = env("DJANGO_SECRET_KEY")\n'},
            unsafe=True,
            note="the env base.py makes is the one production.py reads with (cookiecutter-django's layout)",
        ),
        Case(
            {
                "mysite/settings.py": (
                    "import os\n\nimport django_heroku\n\n"
                    'SECRET_KEY = os.environ.get("SECRET_KEY", "12534")\n'
                    "DEBUG = False\n\n"
                    "django_heroku.settings(locals())\n"
                ),
                "requirements.txt": "Django==4.2.16\ndjango-heroku==0.3.1\ngunicorn==23.0.0\n",
            },
            expect=["mysite/settings.py:5"],
            fixed={
                "mysite/settings.py": (
                    "import os\n\nimport django_heroku\n\n"
                    'SECRET_KEY = os.environ["SECRET_KEY"]\n'
                    "DEBUG = False\n\n"
                    "django_heroku.settings(locals())\n"
                ),
            },
            unsafe=True,
            note="django_heroku.settings() replaces SECRET_KEY only when the config var is set",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\n'}),
        Case({"mysite/settings.py": 'import os\nimport secrets\n\nSECRET_KEY = os.environ.get("SECRET_KEY", default=secrets.token_urlsafe(nbytes=64))\n'}),
        Case({"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "SECRET_KEY")
        if binding is None or binding.maybe_unset:
            return
        found = [hardcoded(value) for value in binding.values]
        if not found or any(f is None for f in found):
            return
        details = dict(f for f in found if f is not None)
        readers = ctx.settings.readers if ctx.settings is not None else {}
        fixes = {f[0]: secret_fix(value, readers) for value, f in zip(binding.values, found, strict=True) if f is not None}
        for span in unique_spans(list(details)):
            yield self.diagnostic(ctx, span, fix=fixes.get(span), detail=details[span])
