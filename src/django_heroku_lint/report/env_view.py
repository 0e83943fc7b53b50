"""``djhlint env``: the config vars a deploy needs, and which of them to set by hand.

The tutorial's first push fails with "SECRET_KEY not found" because nothing listed the
variables the settings read.  This view lists every environment variable the deployed
settings model, the entry points (``wsgi.py``, ``asgi.py``, ``manage.py``) and the
Procfile's commands read, with what each read feeds, its reader, fallback and cast; the
``env`` entries ``app.json`` declares; and the variables Heroku, an add-on or the Python
buildpack sets (see ``model.entries.PLATFORM_VARS``), which are never to be set by hand.

A variable is *required* when a read of it runs on every path and fails without it:
``os.environ[...]``, python-decouple's ``config`` and django-environ's ``env(...)``
without a default, ``dj_database_url.config()`` without one (the database is then
empty), a ``SECRET_KEY`` read that yields ``None`` or ``""`` (Django refuses an empty
one), a Procfile's ``$VAR`` (the command gets an empty word) or ``${VAR:?}``.  A read
that runs only on some paths (one branch of an ``if``, the right of an ``or``) is
*required on some paths*; one with a fallback, or ``os.environ.get`` without one
(``None``), is *optional*.  A fallback that is a credential (its variable or setting
is a secret, or it is a URL with a password) prints redacted.

``--output-format json`` prints a JSON array, one object per project:

- ``build_root``, ``project_dir``, ``settings_module``, ``settings_path``, ``reason``,
  ``candidates``, ``complete`` and ``parse_errors``: as ``djhlint settings`` gives them;
- ``variables``: each ``{"name", "status", "provided_by", "app_json", "uses"}``, sorted
  by name (``name`` is ``null`` for reads whose variable djhlint cannot name);
  ``status`` is ``"required"``, ``"required-on-some-paths"``, ``"optional"``,
  ``"platform"`` (``provided_by`` then says who sets it) or ``"declared"`` (only
  ``app.json`` names it); ``app_json`` is ``null`` or ``{"value", "description",
  "generator", "required"}``;
- a use is ``{"source", "feeds", "api", "required", "conditional", "condition",
  "fallback", "cast", "description", "location"}``: ``source`` is ``"settings"``,
  ``"entry-point"`` or ``"procfile"``; ``feeds`` the setting (with its keys,
  ``DATABASES['default']``), ``DJANGO_SETTINGS_MODULE`` or the process it feeds;
  ``condition`` says when a conditional read runs, where djhlint can tell (else
  ``null``); ``fallback`` a value as ``djhlint settings`` prints one, or ``null``;
- ``must_set``: the names to set with ``heroku config:set`` before the first deploy.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..ftypes import Span
from ..model.entries import PLATFORM_VARS
from ..model.secrets import redact_text, redact_value, secret_key, secret_values, url_passwords
from ..model.values import DictValue, EnvRead, ListValue, Literal, SettingsModel, Value
from ..printable import printable, redacted, relative_path
from ..read.procfile import shell_vars
from ..read.records import AppJsonVar
from ..rules.context import Context
from .formats import _json_escape
from .settings_view import _candidates, _guess_text, _location, _why_none, explain, parse_errors_data, parse_errors_text, value_data

# Readers that raise (or leave the database empty) when the variable is unset and no default is given.
RAISING_APIS = ("os.environ[]", "decouple", "environ", "dj_database_url")
# A name `heroku config:set` takes as written, which a shell cannot read as anything else.
CONFIG_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
HOLDER_STEPS = 16  # how far back a read's holder is looked for: reads nested in one another, of one variable
ATTACHED = ", when attached"  # how PLATFORM_VARS names an add-on's variable
STATUSES = ("required", "required-on-some-paths", "optional", "platform", "declared")
HEADINGS = {
    "required": "Required (the app or the build fails without them)",
    "required-on-some-paths": "Required on some paths (read with no fallback under a condition)",
    "optional": "Optional (a fallback, or None, applies when unset)",
    "platform": "Set by Heroku, an add-on or the buildpack (never set these by hand)",
    "declared": "Declared in app.json, read by nothing djhlint follows",
}


@dataclass(frozen=True, slots=True)
class Use:
    """One read of a variable, and what it feeds."""

    source: str  # "settings", "entry-point" or "procfile"
    feeds: str
    api: str
    required: bool  # fails without the variable, on the path where it runs
    conditional: bool  # runs only on some paths
    condition: str  # which, when known: "when `os.environ.get('USE_S3')` is true"
    fallback: Value | None
    cast: str | None
    description: str
    span: Span | None


@dataclass
class Variable:
    name: str | None
    uses: list[Use] = field(default_factory=list)
    declared: AppJsonVar | None = None

    @property
    def provided_by(self) -> str | None:
        return PLATFORM_VARS.get(self.name or "")

    @property
    def status(self) -> str:
        if self.provided_by:
            return "platform"
        if any(use.required and not use.conditional for use in self.uses):
            return "required"
        if any(use.required for use in self.uses):
            return "required-on-some-paths"
        return "optional" if self.uses else "declared"

    @property
    def secret(self) -> bool:
        return bool(self.name) and secret_key(self.name or "")


# --------------------------------------------------------------------------- collecting the reads


def variables(context: Context) -> list[Variable]:
    """Every variable the project reads or ``app.json`` declares, sorted by name."""
    found: dict[str | None, Variable] = {}
    model = context.settings
    known = secret_values(model)

    def add(name: str | None, use: Use) -> None:
        if use.condition:  # the test's source: `SECRET_KEY == "..."` quotes a secret
            use = replace(use, condition=redact_text(use.condition, known, code=True))
        found.setdefault(name, Variable(name)).uses.append(use)

    if model is not None:
        for raw, shown, feeds, conditional, condition in _settings_reads(model):
            add(raw.var, _setting_use(raw, shown, feeds, conditional, condition))
    for entry in context.entry_env:
        read = entry.read
        required = read.api == "os.environ[]"
        add(read.var, _use("entry-point", entry.feeds, _redact_read(read, [entry.feeds]), required, entry.conditional, entry.condition))
    procfile = context.procfile
    if procfile is not None and procfile.path == "Procfile":  # Heroku reads no other name
        for process in procfile.processes:
            for var in shell_vars(process):
                add(var.name, _shell_use(process.name, var.operator, var.word, var.span, var.name))
    for declared in context.app_json_vars:
        found.setdefault(declared.name, Variable(declared.name)).declared = declared
    return sorted(found.values(), key=lambda v: (v.name is None, v.name or ""))


def _settings_reads(model: SettingsModel) -> list[tuple[EnvRead, EnvRead | None, str, bool, str]]:
    """Each environment read the settings chain ran, with what it feeds and whether it
    runs only on some paths.  A read whose value a setting holds feeds that setting (its
    keys too: ``DATABASES['default']``) and is described as the setting gets it (with the
    fallback of an ``or`` around it); a read whose value went elsewhere feeds the name its
    statement assigned, or a test.  A read the model made without running one (what
    ``django_heroku.settings()`` reads) is taken from the settings."""
    held: dict[tuple[str | None, str], list[tuple[Span, EnvRead, str, bool]]] = {}
    for name, binding in model.settings.items():
        alternatives = len(binding.values) > 1 or binding.maybe_unset
        for value in binding.values:
            for read, path, nested in _reads(value, name, False):
                held.setdefault((read.var, read.span.file), []).append((read.span, read, path, alternatives or nested))
    for spans in held.values():
        spans.sort(key=lambda each: (each[0].line, each[0].col))
    found: list[tuple[EnvRead, EnvRead | None, str, bool, str]] = []
    used: set[int] = set()
    for site in model.env_reads:
        holder = _holder(held.get((site.read.var, site.read.span.file), []), site.read.span)
        if holder is None:
            target = site.target
            if target in model.settings:
                last = model.settings[target].sites[-1:]
                replaced = bool(last) and (last[0].file != site.read.span.file or last[0].line > site.read.span.line)
                feeds = f"{target} (a later statement changes it)" if replaced else target  # else made into another value
            elif target.split("[", 1)[0] in model.settings:
                feeds = target  # an item of a setting: DATABASES['default']['PASSWORD']
            else:
                feeds = f"`{target}`" if target else "a test or a call"
            found.append((site.read, None, feeds, site.guarded, site.condition))
            continue
        used.add(id(holder))
        _, read, path, _ = holder
        found.append((site.read, read, path, site.guarded, site.condition))
    for spans in held.values():
        for each in spans:
            if id(each) not in used and not any(_inside(each[0], other[0]) for other in spans if id(other) in used):
                found.append((each[1], each[1], each[2], each[3], ""))
    return found


def _holder(spans: list[tuple[Span, EnvRead, str, bool]], span: Span) -> tuple[Span, EnvRead, str, bool] | None:
    """The innermost setting read whose span holds ``span``.  Spans nest or are apart, so
    between a holder's start and ``span``'s lie only reads the holder holds: a few steps
    back from where ``span`` starts."""
    index = bisect.bisect_right(spans, (span.line, span.col), key=lambda each: (each[0].line, each[0].col))
    for each in reversed(spans[max(0, index - HOLDER_STEPS) : index]):
        if _inside(span, each[0]):
            return each
    return None


def _inside(inner: Span, outer: Span) -> bool:
    return (outer.line, outer.col) <= (inner.line, inner.col) and (inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col)


def _reads(value: Value, path: str, nested: bool) -> list[tuple[EnvRead, str, bool]]:
    """The environment reads in ``value`` (the value of setting path ``path``), nested
    ones included, each with whether it runs only when an ``or`` before it is false."""
    if isinstance(value, EnvRead):
        found = [(value, path, nested)]
        if value.default is not None:  # `a or b` reads b only when a is empty; a default argument always runs
            found += _reads(value.default, path, nested or value.fallback_via == "or")
        return found
    if isinstance(value, ListValue):
        return [each for index, item in enumerate(value.items) for each in _reads(item, f"{path}[{index}]", nested)]
    if isinstance(value, DictValue):
        out = []
        for key, item in value.entries:
            label = repr(key.value) if isinstance(key, Literal) else "[?]"
            out += _reads(item, f"{path}[{label}]", nested)
        return out
    return []


def _setting_use(raw: EnvRead, held: EnvRead | None, feeds: str, conditional: bool, condition: str) -> Use:
    """A read of the settings: ``raw`` as the code ran it, ``held`` as the setting ``feeds``
    holds it (``None`` when the value went elsewhere).  Required when the reader raises
    without the variable; when it feeds ``DATABASES`` with no fallback (dj-database-url
    gives ``{}``: no database); when it leaves ``SECRET_KEY`` empty."""
    raising = raw.api in RAISING_APIS[:-1] or raw.api.startswith("environ.")
    if held is raw and held.fallback_via == "or":  # a read the model made: its own default is not known
        required = raw.api == "os.environ[]"
    else:
        required = raising and raw.default is None
    shown = held or raw
    if held is not None and raw.api == "dj_database_url" and held.default is None:
        required = True
    if held is not None and _leaf(feeds) == "SECRET_KEY" and raw.api in ("os.environ.get", "os.getenv") and _falsy(held.default):
        required = True  # Django refuses an empty SECRET_KEY
    if shown is not raw:
        shown = replace(shown, api=raw.api)
    return _use("settings", feeds, _redact_read(shown, _keys(feeds)), required, conditional, condition)


def _use(source: str, feeds: str, read: EnvRead, required: bool, conditional: bool, condition: str = "") -> Use:
    description = explain(read)
    prefix = f"env {read.var} via {read.api}, " if read.var else ""
    if description.startswith(prefix):  # the variable heads its own entry
        description = f"{read.api}, " + description[len(prefix) :]
    if required and read.api in ("os.environ.get", "os.getenv"):
        description += " (Django refuses an empty SECRET_KEY)"
    return Use(source, feeds, read.api, required, conditional, condition, read.default, read.cast, description, read.span)


def _shell_use(process: str, operator: str, word: str, span: Span, name: str) -> Use:
    if word and (secret_key(name) or _holds_password(word)):
        word = redacted(word)  # `${API_TOKEN:-...}`: a credential's fallback, or a URL holding one
    text = f"${{{name}{operator}{word}}}" if operator else f"${name}"
    fallback = Literal(word, span) if operator in (":-", "-", ":=", "=") else None
    if operator in (":?", "?"):
        description, required = f"`{text}`: the command stops when it is unset", True
    elif fallback is not None:
        description, required = f"`{text}`: fallback {word!r}", False
    elif operator in (":+", "+"):
        description, required = f"`{text}`: used only when it is set", False
    else:
        description, required = f"`{text}`: the command gets an empty word when it is unset", True
    return Use("procfile", f"the {process} process", "shell", required, False, "", fallback, None, description, span)


def _leaf(path: str) -> str:
    keys = _keys(path)
    return keys[-1] if keys else path


def _keys(path: str) -> list[str]:
    """``DATABASES['default']['PASSWORD']`` -> ``["DATABASES", "default", "PASSWORD"]``."""
    head, _, rest = path.partition("[")
    return [head] + re.findall(r"'([^']*)'", "[" + rest if rest else "")


def _falsy(value: Value | None) -> bool:
    return value is None or (isinstance(value, Literal) and not value.value)


# --------------------------------------------------------------------------- redaction


def _redact_read(read: EnvRead, keys: list[str]) -> EnvRead:
    """The read with a credential's fallback redacted as every output redacts it
    (:func:`model.secrets.redact_value`): when the variable or a key of the setting it
    feeds names a secret; a fallback that is a URL with a password, whole."""
    default = read.default
    url = isinstance(default, Literal) and isinstance(default.value, str) and _holds_password(default.value)
    shown = redact_value(read, any(secret_key(key) for key in keys) or url)
    return shown if isinstance(shown, EnvRead) else read


def _app_json_value(variable: Variable) -> str | None:
    declared = variable.declared
    if declared is None or declared.value is None:
        return None
    if declared.value and (variable.secret or _holds_password(declared.value)):
        return redacted(declared.value)
    return declared.value


def _holds_password(text: str) -> bool:
    return any(url_passwords(text))


# --------------------------------------------------------------------------- JSON


def _use_data(use: Use) -> dict[str, Any]:
    return {
        "source": use.source,
        "feeds": use.feeds,
        "api": use.api,
        "required": use.required,
        "conditional": use.conditional,
        "condition": use.condition or None,
        "fallback": value_data(use.fallback) if use.fallback is not None else None,
        "cast": use.cast,
        "description": use.description,
        "location": _location(use.span),
    }


def must_set(found: list[Variable]) -> list[str]:
    """The variables to set by hand before the first deploy: required, not set by the
    platform, and named as ``heroku config:set`` takes a name."""
    return [v.name for v in found if v.status == "required" and v.name and CONFIG_VAR_RE.match(v.name)]


def project_data(context: Context) -> dict[str, Any]:
    """The documented JSON object for one project (see the module's docstring)."""
    model = context.settings
    found = variables(context)
    out = []
    for variable in found:
        declared = variable.declared
        out.append(
            {
                "name": variable.name,
                "status": variable.status,
                "provided_by": variable.provided_by,
                "app_json": None
                if declared is None
                else {"value": _app_json_value(variable), "description": declared.description, "generator": declared.generator, "required": declared.required},
                "uses": [_use_data(use) for use in variable.uses],
            }
        )
    return {
        "build_root": context.build_root,
        "project_dir": context.project_dir,
        "settings_module": model.module if model else None,
        "settings_path": model.path if model else None,
        "reason": model.reason if model else _why_none(context),
        "candidates": _candidates(context),
        "complete": model.complete if model else False,
        "variables": out,
        "must_set": must_set(found),
        "parse_errors": parse_errors_data(context),
    }


def as_json(contexts: Sequence[Context]) -> str:
    return _json_escape(json.dumps([project_data(c) for c in contexts], indent=2, ensure_ascii=False)) + "\n"


# --------------------------------------------------------------------------- text


def as_text(contexts: Sequence[Context]) -> str:
    return "\n\n".join(_project_text(c) for c in contexts) + "\n"


def _project_text(context: Context) -> str:
    root = context.build_root

    def where(span: Span | None) -> str:
        return "?" if span is None else f"{relative_path(os.path.join(root, span.file))}:{span.line}"

    model = context.settings
    where_project = f" (Django project in {context.project_dir}/)" if context.project_dir else ""
    out = [f"Build root: {relative_path(root)}{where_project}"]
    if model is None:
        out.append(f"No settings module: {_why_none(context)}")
    else:
        out.append(f"Settings module: {model.module} ({relative_path(os.path.join(root, model.path))})")
        out.append(f"  chosen because: {model.reason}")
        out += _guess_text(context)
        if not model.complete:
            out.append("  The chain is incomplete: a module could not be read, and its reads are not listed.")
    found = variables(context)
    if not found:
        out += ["", "No environment variable is read."]
    for status in STATUSES:
        group = [v for v in found if v.status == status]
        if not group:
            continue
        out += ["", HEADINGS[status] + ":"]
        for variable in group:
            name = variable.name if variable.name is not None else "(a variable djhlint cannot name)"
            head = f"  {name}"
            if variable.provided_by:
                head += f"  (set by {variable.provided_by})"
            out.append(head)
            for use in variable.uses:
                condition = f" ({use.condition or 'on some paths'})" if use.conditional else ""
                out.append(f"      {use.feeds}: {use.description}{condition}  [{where(use.span)}]")
            declared = variable.declared
            if declared is not None:
                said = ["required" if declared.required else "optional"]
                value = _app_json_value(variable)
                if value is not None:
                    said.append(f"value {value!r}")
                if declared.generator:
                    said.append(f"generator {declared.generator}")
                out.append(f"      app.json: {', '.join(said)}")
    names = must_set(found)
    addons = [v for v in found if v.provided_by and v.provided_by.endswith(ATTACHED) and any(use.required and not use.conditional for use in v.uses)]
    odd = [v.name for v in found if v.status == "required" and v.name and not CONFIG_VAR_RE.match(v.name)]
    some = [v.name for v in found if v.status == "required-on-some-paths" and v.name and CONFIG_VAR_RE.match(v.name)]
    if names or addons or odd or some:
        out += ["", "Set these before the first deploy:"]
        out += [f"  heroku config:set {name}=..." for name in names]
        out += [f"  # {v.name} is set by {v.provided_by}: attach the add-on, never set it by hand" for v in addons]
        if some:
            out.append(f"  # and where their condition holds on Heroku: {', '.join(some)}")
        if odd:
            out.append(f"  # not a name `heroku config:set` takes as written: {', '.join(repr(name) for name in odd)}")
    out += parse_errors_text(context, where)
    return "\n".join(printable(line) for line in out)  # names and values from the repository, one line each


def render(contexts: Sequence[Context], fmt: str = "text") -> str:
    """``text`` for people, ``json`` for programs (the shape above)."""
    return as_json(contexts) if fmt == "json" else as_text(contexts)
