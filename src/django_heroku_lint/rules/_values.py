"""Small helpers rules share for reading the settings model."""

from __future__ import annotations

from typing import Iterator

from ..ftypes import Binding, Context, DictValue, EnvRead, ListValue, Literal, Span, Value

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"


def setting(ctx: Context, name: str) -> Binding | None:
    """The binding of a setting, or None when the model is missing or incomplete."""
    if ctx.settings is None or not ctx.settings.complete:
        return None
    return ctx.settings.get(name)


def unique_spans(spans: list[Span]) -> list[Span]:
    return list(dict.fromkeys(spans))


def literal_strings(value: Value) -> Iterator[Literal]:
    """String literals of a list (or a lone string)."""
    if isinstance(value, Literal) and isinstance(value.value, str):
        yield value
    elif isinstance(value, ListValue):
        for item in value.items:
            if isinstance(item, Literal) and isinstance(item.value, str):
                yield item


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
