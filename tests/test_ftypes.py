"""The data types behave as the dataclasses they are: repr, equality, hashing, frozen fields."""

from __future__ import annotations

import dataclasses

import pytest

from django_heroku_lint.ftypes import Edit, Span
from django_heroku_lint.model.values import Literal
from django_heroku_lint.read.records import Procfile, Process


def test_a_record_prints_and_compares_field_by_field():
    web = Process("web", "gunicorn mysite.wsgi", 1, 6, Span("Procfile", 1, 1, 1, 26))
    assert repr(Procfile("Procfile")) == "Procfile(path='Procfile', processes=[], bad_lines=[])"
    assert Procfile("Procfile", [web]) == Procfile("Procfile", [dataclasses.replace(web)])
    assert Procfile("Procfile") != Procfile("procfile") and Procfile("Procfile") != "Procfile"
    with pytest.raises(TypeError):
        hash(Procfile("Procfile"))  # mutable: unhashable, as a dataclass with eq is


def test_a_value_compares_by_identity():
    span = Span("mysite/settings.py", 1, 1, 1, 4)
    assert Literal("x", span) != Literal("x", span)
    assert repr(Literal("x", span)) == "Literal(value='x', span=Span(mysite/settings.py:1:1-1:4))"


def test_a_frozen_record_hashes_and_refuses_changes():
    edit = Edit.create(".python-version", "3.13\n")
    assert edit == Edit.create(".python-version", "3.13\n") and hash(edit) == hash(Edit.create(".python-version", "3.13\n"))
    assert len({edit, Edit.create(".python-version", "3.13\n"), Edit.delete("runtime.txt")}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        edit.content = "3.12\n"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del edit.file
    assert dataclasses.replace(edit, content="3.12\n").content == "3.12\n"
