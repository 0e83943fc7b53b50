"""The data types are standard dataclasses: they print and compare field by field, and a
value (a span, a value of the settings model, a diagnostic, a fix) never changes once made."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from django_heroku_lint import ftypes
from django_heroku_lint.edit.intents import ReplaceString
from django_heroku_lint.ftypes import SAFE, Diagnostic, Edit, Fix, ParseError, Span
from django_heroku_lint.model import values
from django_heroku_lint.model.values import Binding, DictValue, EnvRead, ImportRef, ListValue, Literal, ModuleRef, Unknown
from django_heroku_lint.read.records import Procfile, Process, Requirement

SETTINGS = "mysite/settings.py"


def span(line: int = 1, col: int = 1, end_col: int = 4) -> Span:
    return Span(SETTINGS, line, col, line, end_col)


def made() -> list[object]:
    """One of each value, made afresh: two calls give equal values, never the same objects."""
    hosts = ListValue((Literal("example.com", span(3, 18, 31)), Unknown(span(3, 33, 40), "name", "HOST")), span(3, 17, 41))
    debug = EnvRead("os.environ.get", "DEBUG", span(2, 9, 40), default=Literal("1", span(2, 36, 39)))
    return [
        span(),
        Literal("x", span()),
        hosts,
        DictValue(((Literal("default", span(4, 13, 22)), hosts),), span(4, 12, 40)),
        debug,
        Unknown(span(5), "generated", "get_random_secret_key"),
        Binding((debug,), (span(2, 1, 40),)),
        ImportRef("whitenoise", span(1, 1, 18)),
        ModuleRef("mysite.settings", SETTINGS),
        ParseError(Span("runtime.txt"), "file is not valid UTF-8"),
        Requirement("django", Span("requirements.txt", 1, 1, 1, 7), ">=5.1"),
        Edit.replace(span(), '"*"'),
        Fix(SAFE, "quote it", edits=(Edit.replace(span(), '"*"'),), intents=(ReplaceString(span(), "*", ".herokuapp.com"),)),
        Diagnostic("DJH101", "allowed-hosts-wildcard", "ALLOWED_HOSTS allows every host", span(), "/srv/app", Fix(SAFE, "quote it")),
    ]


VALUES = made()


def test_a_record_prints_and_compares_field_by_field():
    web = Process("web", "gunicorn mysite.wsgi", 1, 6, Span("Procfile", 1, 1, 1, 26))
    assert repr(Procfile("Procfile")) == "Procfile(path='Procfile', processes=[], bad_lines=[])"
    assert Procfile("Procfile", [web]) == Procfile("Procfile", [dataclasses.replace(web)])
    assert Procfile("Procfile") != Procfile("procfile") and Procfile("Procfile") != "Procfile"
    with pytest.raises(TypeError):
        hash(Procfile("Procfile"))  # it holds lists: unhashable, as a dataclass holding one is


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_values_compare_and_hash_field_by_field(value):
    again = made()[VALUES.index(value)]
    assert again is not value
    assert again == value and hash(again) == hash(value)
    assert len({value, again}) == 1
    first = dataclasses.fields(value)[0]
    assert dataclasses.replace(value, **{first.name: None}) != value


def test_a_value_of_the_model_compares_by_what_it_holds_and_where():
    assert Literal("x", span()) == Literal("x", span())
    assert Literal("x", span()) != Literal("x", span(2))  # the same text elsewhere
    assert Literal("x", span()) != Literal("y", span())
    assert Literal(1, span()) != Unknown(span(), "int")
    assert repr(Literal("x", span())) == "Literal(value='x', span=Span(mysite/settings.py:1:1-1:4))"


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_a_value_never_changes(value):
    for field in dataclasses.fields(value):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field.name, None)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(value, field.name)
    assert value == made()[VALUES.index(value)]


def test_a_span_never_changes():
    where = Span(SETTINGS, 3, 5, 3, 9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        where.line = 4  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        where.end_col += 1  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        where.note = "x"  # type: ignore[attr-defined]  # no other attribute either: slots
    moved = dataclasses.replace(where, line=4, end_line=4)
    assert (where.line, moved.line) == (3, 4) and where.key() == (SETTINGS, 3, 5, 3, 9)
    assert {where: "x"}[Span(SETTINGS, 3, 5, 3, 9)] == "x"
    assert repr(where) == "Span(mysite/settings.py:3:5-3:9)"


def test_a_frozen_record_hashes_and_refuses_changes():
    edit = Edit.create(".python-version", "3.13\n")
    assert edit == Edit.create(".python-version", "3.13\n") and hash(edit) == hash(Edit.create(".python-version", "3.13\n"))
    assert len({edit, Edit.create(".python-version", "3.13\n"), Edit.delete("runtime.txt")}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        edit.content = "3.12\n"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del edit.file
    assert dataclasses.replace(edit, content="3.12\n").content == "3.12\n"


@pytest.mark.parametrize("module", [ftypes, values], ids=lambda module: module.__name__)
def test_every_type_of_the_core_and_the_model_is_a_frozen_dataclass(module):
    kinds = [cls for cls in vars(module).values() if isinstance(cls, type) and cls.__module__ == module.__name__ and cls is not ftypes.Intent]
    assert kinds
    for cls in kinds:
        assert dataclasses.is_dataclass(cls), cls.__name__
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and params.eq, cls.__name__
        assert "__slots__" in vars(cls) and "__dict__" not in vars(cls), cls.__name__


def test_every_intent_is_a_frozen_dataclass():
    """The intents (the generic ones and those a rule defines) are values too; only their
    bases, which hold no field, are plain classes with empty slots."""
    from django_heroku_lint.edit import intents
    from django_heroku_lint.rules.registry import ALL_RULES

    bases = {ftypes.Intent, intents.PythonIntent, intents.TextIntent}
    modules = [intents, *(importlib.import_module(rule.__module__) for rule in ALL_RULES)]
    found = {cls for module in modules for cls in vars(module).values() if isinstance(cls, type) and issubclass(cls, ftypes.Intent)} - bases
    assert len(found) >= 10
    for cls in found:
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and params.eq, cls.__name__
        assert "__dict__" not in vars(cls), cls.__name__
    for base in bases:
        assert vars(base)["__slots__"] == (), base.__name__
