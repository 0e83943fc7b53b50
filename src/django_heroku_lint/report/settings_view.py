"""``djhlint settings``: what djhlint believes the deployed settings are, and why.

djhlint judges settings it never runs, so users need to see its conclusions to trust
or correct them: which module it judged and why, the modules that module runs (star
imports) in execution order, and for each setting its value as djhlint understands it
(a literal, an environment read with its variable, fallback and cast, or unknown),
the alternatives when it is set under a condition, and where it was set.

The deployment settings come first, whether set or not: those the rules read, and
the others that Heroku's hazards turn on (``SECURE_PROXY_SSL_HEADER``...); then
every other uppercase name the settings chain defines.

``--output-format json`` prints a JSON array, one object per project:

- ``build_root`` (absolute), ``project_dir`` (the folder of ``manage.py``, relative
  to the build root, ``""`` at the root), ``build_root_reason`` (why a subfolder is the
  build root: a ``.buildpacks`` entry, a ``git subtree push --prefix``, a top with
  nothing to install from; ``""`` otherwise);
- ``settings_module``, ``settings_path`` and ``reason``: the judged module, its file
  and why it was chosen (the first two are ``null`` when there is none, and the
  reason then says what djhlint tried);
- ``candidates``: when the choice is a guess, the modules that could be the deployed
  one, the judged one first (empty otherwise);
- ``complete``: false when a module of the chain could not be read (settings rules
  then stay silent);
- ``chain``: the modules in execution order, each ``{"module", "path",
  "imported_by", "statement", "location"}`` (the last three ``null`` for the judged
  module), and ``note`` for an import under ``try`` of a project module: why it runs
  on Heroku, or may not (``local_settings.py is committed, so this import runs on
  Heroku``);
- ``settings``: each ``{"name", "read_by_rules", "state", "description",
  "alternatives", "sites"}``; ``read_by_rules`` is true for the deployment
  settings; ``state`` is ``"set"``, ``"maybe-unset"`` (some path
  leaves it undefined) or ``"unset"``; ``alternatives`` are values (one when the code
  is straight-line); ``sites`` are the locations that set or changed it, in execution
  order;
- ``parse_errors``: ``{"location", "reason"}`` for files djhlint could not read.

A value is an object with ``kind``, ``description`` and ``location``, and by kind:
``literal``: ``value``; ``list``: ``type`` (list, tuple or set) and ``items``;
``dict``: ``entries`` (``{"key", "value"}``); ``env``: ``api``, ``variable``,
``default`` (a value or ``null``), ``fallback_via``, ``cast``, ``wrapper`` and
``yields_string``, and ``dotenv`` when the fallback is the value of a committed
``.env`` or ``settings.ini`` (``fallback_via`` ``"dotenv"``; a credential's value is
shown only by its first characters and length); ``unknown``: ``hint`` and ``text``.  A location is ``{"file",
"line", "column"}`` with the file relative to the build root.

A secret is never printed, in either format: a string a secret setting holds
(``SECRET_KEY``, ``EMAIL_HOST_PASSWORD``, ``SECRET_KEY_FALLBACKS``, a database's
``PASSWORD``, fallbacks included) and the password of a URL show as their first four characters and their
length (``"djan… (50 characters)"``), in ``value`` and in every ``description``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from ..ftypes import Span
from ..model.modules import HOW_TO_TELL
from ..model.secrets import redact_text, redact_value, secret_setting
from ..model.values import Binding, DictValue, EnvRead, ListValue, Literal, Unknown, Value
from ..rules.context import Context
from ..printable import printable, relative_path
from .formats import _json_escape

# The deployment settings: those djhlint's rules read, and the others Heroku's hazards turn on.
RULE_SETTINGS = (
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "DEBUG",
    "MIDDLEWARE",
    "INSTALLED_APPS",
    "DATABASES",
    "STATIC_ROOT",
    "STATIC_URL",
    "STORAGES",
    "STATICFILES_STORAGE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "LOGGING",
)
WIDTH = 76  # a value longer than this on one line is printed one item a line

UNKNOWN_HINTS = {
    "": "not evaluated",
    "bool": "a bool computed at run time",
    "generated": "generated at run time",
    "path": "a path built at run time",
    "definition": "a function or class",
    "unpacked": "unpacked from a value djhlint does not follow",
    "changed": "changed in a way djhlint does not follow",
    "alternatives": "one of several values (a conditional expression)",
    "too-many-alternatives": "one of too many alternatives to follow",
    "str": "a string built at run time",
    "int": "an integer djhlint cannot read",
    "bytes": "a bytes literal",
    "name": "a name djhlint does not know",
    "attribute": "an attribute",
    "subscript": "an item djhlint does not follow",
    "starred": "unpacked with *",
    "unset": "unset",
    "call": "the result of a call",
}
CASTS = {
    None: "stays a string",
    "str": "stays a string",
    "bool": "cast to bool",
    "int": "cast to int",
    "float": "cast to float",
    "list": "split into a list",
    "json": "parsed as JSON",
    "dict": "parsed into a dict",
    "db": "parsed as a database URL",
    "cache": "parsed as a cache URL",
    "email": "parsed as an email URL",
    "search": "parsed as a search URL",
    "unknown": "converted by code djhlint does not follow",
}


# --------------------------------------------------------------------------- descriptions

# What an environment read with no fallback gives when the variable is unset, by reader.
_WHEN_UNSET = {
    "os": "None when unset",
    "os.environ[]": "a KeyError when unset",
    "decouple": "an error when unset",
    "environ": "an error when unset",
    "dj_database_url": "{} when unset",
    "django_heroku": "the earlier value when unset",
}


def explain(value: Value | None, nested: bool = False) -> str:
    """A value in words, on one line; environment reads and unknowns nested in a
    container are wrapped in ``<...>`` so their commas do not run into the container's."""
    if value is None:
        return "unset"
    if isinstance(value, Literal):
        return repr(value.value)
    if isinstance(value, ListValue):
        inner = ", ".join(explain(v, True) for v in value.items)
        if value.kind == "tuple":
            return f"({inner}{',' if len(value.items) == 1 else ''})"
        return f"{{{inner}}}" if value.kind == "set" else f"[{inner}]"
    if isinstance(value, DictValue):
        return "{" + ", ".join(f"{explain(k, True)}: {explain(v, True)}" for k, v in value.entries) + "}"
    text = _explain_env(value) if isinstance(value, EnvRead) else _explain_unknown(value)
    return f"<{text}>" if nested else text


def _explain_env(read: EnvRead) -> str:
    parts = [f"env {read.var or '(a variable djhlint cannot name)'} via {read.api}"]
    if read.default is None:
        when_unset = _WHEN_UNSET.get(read.api) or _WHEN_UNSET.get(read.api.split(".")[0], "no value when unset")
        parts.append(f"no fallback ({when_unset})")
    elif read.fallback_via == "dotenv":
        parts.append(f"fallback {explain(read.default, True)} from the committed {read.dotenv} (where no config var is set)")
    else:
        via = " (after `or`)" if read.fallback_via == "or" else ""
        parts.append(f"fallback {explain(read.default, True)}{via}")
    if read.wrapper == "bool()":
        parts.append("wrapped in bool(): true for any non-empty string")
    else:
        parts.append(CASTS.get(read.cast, f"cast {read.cast}"))
    return ", ".join(parts)


def _explain_unknown(value: Unknown) -> str:
    kind = value.kind
    if kind.startswith("call:"):
        return f"unknown: the result of {kind[5:]}(...)"
    hint = UNKNOWN_HINTS.get(kind, kind or "not evaluated")
    if kind == "generated" and value.text:
        hint += f" by {value.text}(...)"
    elif kind == "path" and value.text:
        hint = f"a {value.text} built at run time"
    elif value.text:
        hint += f": {value.text}"
    return f"unknown: {hint}"


def _lines(value: Value, indent: str = "") -> list[str]:
    """The value on one line when it fits, else its items one a line."""
    flat = explain(value)
    if len(indent) + len(flat) <= WIDTH or not isinstance(value, (ListValue, DictValue)):
        return [indent + flat]
    inner = indent + "    "
    if isinstance(value, ListValue):
        opening, closing = {"list": ("[", "]"), "tuple": ("(", ")"), "set": ("{", "}")}[value.kind]
        body = [line for item in value.items for line in _comma(_lines(item, inner))]
    else:
        opening, closing = "{", "}"
        body = []
        for key, item in value.entries:
            head = f"{inner}{explain(key, True)}: "
            sub = _lines(item, inner)
            body += _comma([head + sub[0].lstrip()] + sub[1:])
    return [indent + opening, *body, indent + closing]


def _comma(lines: list[str]) -> list[str]:
    return lines[:-1] + [lines[-1] + ","]


# --------------------------------------------------------------------------- the JSON shape


def _location(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "column": span.col}


def value_data(value: Value) -> dict[str, Any]:
    data: dict[str, Any] = {"description": explain(value), "location": _location(value.span)}
    if isinstance(value, Literal):
        data.update(kind="literal", value=value.value)
    elif isinstance(value, ListValue):
        data.update(kind="list", type=value.kind, items=[value_data(v) for v in value.items])
    elif isinstance(value, DictValue):
        data.update(kind="dict", entries=[{"key": value_data(k), "value": value_data(v)} for k, v in value.entries])
    elif isinstance(value, EnvRead):
        data.update(
            kind="env",
            api=value.api,
            variable=value.var,
            default=value_data(value.default) if value.default is not None else None,
            fallback_via=value.fallback_via,
            **({"dotenv": value.dotenv} if value.dotenv else {}),
            cast=value.cast,
            wrapper=value.wrapper,
            yields_string=value.yields_string and value.wrapper is None,
        )
    else:
        data.update(kind="unknown", hint=value.kind, text=value.text)
    return {"kind": data.pop("kind"), **data}


def _setting_data(name: str, binding: Binding | None) -> dict[str, Any]:
    if binding is None:
        state, description = "unset", "unset: Django's default applies"
    else:
        state = "maybe-unset" if binding.maybe_unset else "set"
        if len(binding.values) == 1:
            description = explain(binding.values[0])
        else:
            description = "one of: " + "; ".join(explain(v) for v in binding.values)
        if binding.maybe_unset:
            description += " (or unset on some path)"
    return {
        "name": name,
        "read_by_rules": name in RULE_SETTINGS,
        "state": state,
        "description": description,
        "alternatives": [value_data(v) for v in binding.values] if binding else [],
        "sites": [_location(site) for site in binding.sites] if binding else [],
    }


def _redacted(settings: dict[str, Binding]) -> dict[str, Binding]:
    """The settings with every secret they hold redacted (see the module's docstring)."""
    return {
        name: dataclasses.replace(binding, values=tuple(redact_value(value, secret_setting(name)) for value in binding.values))
        for name, binding in settings.items()
    }


def project_data(context: Context) -> dict[str, Any]:
    """The documented JSON object for one project (see the module's docstring)."""
    model = context.settings
    data: dict[str, Any] = {
        "build_root": context.build_root,
        "project_dir": context.project_dir,
        "build_root_reason": context.build_root_reason,
        "settings_module": model.module if model else None,
        "settings_path": model.path if model else None,
        "reason": model.reason if model else _why_none(context),
        "candidates": _candidates(context),
        "complete": model.complete if model else False,
        "chain": [],
        "settings": [],
        "parse_errors": parse_errors_data(context),
    }
    if model is None:
        return data
    data["chain"] = [
        {
            "module": ref.name, "path": ref.path, "imported_by": ref.imported_by, "statement": ref.statement or None,
            "location": _location(ref.site), **({"note": ref.note} if ref.note else {}),
        }
        for ref in model.chain
    ]
    settings = _redacted(model.settings)
    names = list(RULE_SETTINGS) + sorted(name for name in settings if name not in RULE_SETTINGS)
    data["settings"] = [_setting_data(name, settings.get(name)) for name in names]
    return data


def _candidates(context: Context) -> list[str]:
    choice = context.settings_choice
    return list(choice.candidates) if choice is not None and choice.path and choice.guessed else []


def _guess_text(context: Context) -> list[str]:
    """The text's line under the judged module when it is a guess (of ``djhlint env`` too)."""
    candidates = _candidates(context)
    return [f"  a guess among {len(candidates)} candidates: {', '.join(candidates)}; {HOW_TO_TELL} to choose"] if candidates else []


def _why_none(context: Context) -> str:
    choice = context.settings_choice
    if choice is not None and not choice.path:
        return f"{choice.reason}; {HOW_TO_TELL}: settings rules are skipped"
    broken = [e for e in context.parse_errors if e.span.file.endswith(".py")]
    if broken:
        return f"the settings module could not be read ({broken[0].span.file}: {broken[0].reason}): settings rules are skipped"
    return "no settings module found (no wsgi.py, asgi.py or manage.py names one, and there is no <package>/settings.py): settings rules are skipped"


def as_json(contexts: Sequence[Context]) -> str:
    return _json_escape(json.dumps([project_data(c) for c in contexts], indent=2, ensure_ascii=False)) + "\n"


# --------------------------------------------------------------------------- text


def as_text(contexts: Sequence[Context]) -> str:
    return "\n\n".join(_project_text(c) for c in contexts) + "\n"


def _project_text(context: Context) -> str:
    root = context.build_root

    def path(rel: str) -> str:
        return relative_path(os.path.join(root, rel))

    def where(span: Span | None) -> str:
        return "?" if span is None else f"{path(span.file)}:{span.line}"

    model = context.settings
    where_project = f" (Django project in {context.project_dir}/)" if context.project_dir else ""
    out = [f"Build root: {relative_path(root)}{where_project}"]
    if context.build_root_reason:
        out.append(f"  chosen because: {context.build_root_reason}")
    if model is None:
        out.append(f"No settings module: {_why_none(context)}")
    else:
        out.append(f"Settings module: {model.module} ({path(model.path)})")
        out.append(f"  chosen because: {model.reason}")
        out += _guess_text(context)
        out += ["", "Modules run, in execution order:"]
        width = max(len(ref.name) for ref in model.chain)
        pwidth = max(len(path(ref.path)) for ref in model.chain)
        for number, ref in enumerate(model.chain, start=1):
            how = "the judged module" if ref.imported_by is None else f"`{ref.statement}` at {where(ref.site)}"
            out.append(f"  {number}. {ref.name:<{width}}  {path(ref.path):<{pwidth}}  {how}")
            if ref.note:
                out.append(f"     {' ' * len(str(number))}{ref.note}")
        if not model.complete:
            out.append("  The chain is incomplete: a module could not be read, so the settings rules stay silent.")
        settings = _redacted(model.settings)
        others = sorted(name for name in settings if name not in RULE_SETTINGS)
        out += ["", "Deployment settings:"]
        out += _settings_text([(name, settings.get(name)) for name in RULE_SETTINGS], where)
        if others:
            out += ["", "Other settings:"]
            out += _settings_text([(name, settings[name]) for name in others], where)
    out += parse_errors_text(context, where)
    return "\n".join(printable(line) for line in out)  # names and values from the repository, one line each


def parse_errors_data(context: Context) -> list[dict[str, Any]]:
    """``parse_errors`` of the JSON (of ``djhlint env`` too): each file djhlint could not
    read, with why, a URL's password in it redacted."""
    return [{"location": _location(e.span), "reason": redact_text(e.reason)} for e in context.parse_errors]


def parse_errors_text(context: Context, where: Callable[[Span | None], str]) -> list[str]:
    """The text's closing block (of ``djhlint env`` too): the files djhlint could not read."""
    if not context.parse_errors:
        return []
    return ["", "Files djhlint could not read:", *(f"  {where(e.span)}:{e.span.col}: {redact_text(e.reason)}" for e in context.parse_errors)]


def _settings_text(settings: list[tuple[str, Binding | None]], where: Any) -> list[str]:
    width = min(max(len(name) for name, _ in settings), 24)
    pad = " " * (width + 4)
    out: list[str] = []
    for name, binding in settings:
        head = f"  {name:<{width}}  "
        if len(name) > width:
            out.append(f"  {name}")
            head = pad
        if binding is None:
            body = ["unset: Django's default applies"]
        elif len(binding.values) == 1:
            body = _lines(binding.values[0])
        else:
            body = [f"one of {len(binding.values)}, depending on a condition:"]
            for value in binding.values:
                lines = _lines(value, "  ")
                body += ["- " + lines[0][2:]] + lines[1:]
        if binding is not None and binding.maybe_unset:
            body.append("or unset, on a path that does not set it")
        if binding is not None and binding.sites:
            body.append("set at " + ", then ".join(where(site) for site in binding.sites))
        out.append(head + body[0])
        out += [pad + line for line in body[1:]]
    return out


def render(contexts: Sequence[Context], fmt: str = "text") -> str:
    """``text`` for people, ``json`` for programs (the shape above)."""
    return as_json(contexts) if fmt == "json" else as_text(contexts)
