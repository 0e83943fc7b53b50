"""Small helpers rules share for reading the settings model."""

from __future__ import annotations


from ..ftypes import Span
from ..model.values import Binding, DictValue, EnvRead, ListValue, Literal, Value
from .context import Context

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"
STATICFILES_APP = "django.contrib.staticfiles"
DJANGO_STORAGES = ("django.contrib.staticfiles.storage.StaticFilesStorage", "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")
TRUTHY = ("1", "true", "yes", "on")  # what python-decouple's cast=bool reads as true
TRUE_STRINGS = (*TRUTHY, "y", "t")  # and what any bool cast may: django-environ's "y", strtobool's "t"
# Where to declare a package, by the file Heroku installs from.
DECLARE_IN = {
    "requirements.txt": "requirements.txt",
    "Pipfile.lock": "the Pipfile (then pipenv lock)",
    "Pipfile": "the Pipfile (then pipenv lock)",
    "poetry.lock": "pyproject.toml (poetry add)",
    "uv.lock": "pyproject.toml (uv add)",
    "pyproject.toml": "pyproject.toml",
}


def setting(ctx: Context, name: str) -> Binding | None:
    """The binding of a setting, or None when the model is missing or incomplete."""
    if ctx.settings is None or not ctx.settings.complete:
        return None
    return ctx.settings.get(name)


def unique_spans(spans: list[Span]) -> list[Span]:
    return list(dict.fromkeys(spans))


def all_literal(value: Value) -> bool:
    if isinstance(value, Literal):
        return True
    if isinstance(value, ListValue):
        return all(all_literal(v) for v in value.items)
    if isinstance(value, DictValue):
        return all(all_literal(k) and all_literal(v) for k, v in value.entries)
    return False


def string_default(read: EnvRead) -> Literal | None:
    """The fallback of an env read when it is a non-empty string literal."""
    if isinstance(read.default, Literal) and isinstance(read.default.value, str) and read.default.value:
        return read.default
    return None


def settings_span(ctx: Context) -> Span:
    assert ctx.settings is not None
    return Span(ctx.settings.path)


def static_backend(ctx: Context) -> str | None:
    """The static files storage backend, when it is a certain literal."""
    storages = setting(ctx, "STORAGES")
    if storages is not None and isinstance(storages.certain, DictValue):
        static = storages.certain.get("staticfiles")
        if isinstance(static, DictValue):
            backend = static.get("BACKEND")
            if isinstance(backend, Literal) and isinstance(backend.value, str):
                return backend.value
    legacy = setting(ctx, "STATICFILES_STORAGE")
    if legacy is not None and isinstance(legacy.certain, Literal) and isinstance(legacy.certain.value, str):
        return legacy.certain.value
    return None


def contains(value: Value, entry: str) -> Literal | None:
    """The literal ``entry`` of a list value, if it holds one."""
    if isinstance(value, ListValue):
        for item in value.items:
            if isinstance(item, Literal) and item.value == entry:
                return item
    return None


def always_contains(binding: Binding | None, entry: str) -> list[Literal]:
    """The ``entry`` literals when every alternative of a list setting holds it, else []."""
    if binding is None or binding.maybe_unset or not binding.values:
        return []
    found = [contains(value, entry) for value in binding.values]
    if any(item is None for item in found):
        return []
    return [item for item in found if item is not None]


def staticfiles_installed(ctx: Context) -> bool:
    """True when every alternative of INSTALLED_APPS certainly holds django.contrib.staticfiles."""
    return bool(always_contains(setting(ctx, "INSTALLED_APPS"), STATICFILES_APP))


def true_when_deployed(value: Value) -> Span | None:
    """Where a bool setting is made true: the literal ``True``, or the truthy fallback of an
    environment read cast to bool (true whenever the variable is unset)."""
    if isinstance(value, Literal) and value.value is True:
        return value.span
    if isinstance(value, EnvRead) and value.cast in ("bool", "int") and value.api != "django_heroku":
        default = value.default
        if isinstance(default, Literal):
            if default.value is True or (isinstance(default.value, int) and not isinstance(default.value, bool) and default.value != 0):
                return default.span
            if isinstance(default.value, str) and default.value.strip().lower() in TRUE_STRINGS:
                return default.span
    return None


def always_true(binding: Binding | None) -> bool:
    """True when a bool setting is always set and every alternative of it is true when
    deployed (``true_when_deployed``)."""
    if binding is None or binding.maybe_unset or not binding.values:
        return False
    return all(true_when_deployed(value) is not None for value in binding.values)


def declare_in(ctx: Context) -> str:
    installer = ctx.requirements.installer if ctx.requirements else "requirements.txt"
    return DECLARE_IN.get(installer, installer)


def bound_before(ctx: Context, binding: Binding, span: Span) -> bool:
    """True when the name ``binding`` holds is set by a single statement that runs before
    the code at ``span``: earlier in the same module, or in a module star-imported (at
    any depth) by an import that comes before ``span``."""
    if ctx.settings is None or len(binding.sites) != 1 or binding.maybe_unset:
        return False
    site = binding.sites[0]
    refs = {ref.path: ref for ref in ctx.settings.chain}
    file, position = site.file, (site.line, site.col)
    seen: set[str] = set()
    while file != span.file:
        ref = refs.get(file)
        if ref is None or ref.site is None or file in seen:
            return False
        seen.add(file)
        file, position = ref.site.file, (ref.site.line, ref.site.col)
    return position < (span.line, span.col)
