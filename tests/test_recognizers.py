"""The model's knowledge of libraries: a registry of recognisers, keyed by qualified name.

A recogniser is one function in ``model/recognizers.py``; the interpreter finds it by
the qualified name a call resolves to through the import tracker (``model/imports.py``).
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from django_heroku_lint.engine import Options, lint
from django_heroku_lint.model import recognizers
from django_heroku_lint.model.imports import ImportTracker, absolute_module
from django_heroku_lint.model.recognizers import Args, Call, Made, maker, recognizer
from django_heroku_lint.model.values import EnvRead, Unknown, Value

from .helpers import codes


def settings_of(make_project, source):
    root = make_project({"mysite/settings.py": textwrap.dedent(source)})
    (result,) = lint(Options(paths=[str(root)], cache=False)).projects
    return result.context.settings


@pytest.fixture
def envlite():
    """A made-up library taught to the model for one test: ``envlite.text(var, fallback)``
    reads the environment; ``envlite.Reader(prefix)`` makes a reader whose ``flag(var)``
    reads ``prefix + var`` as a bool."""

    @recognizer("envlite.text")
    def _text(call: Call, args: Args) -> Value | None:
        """envlite's ``text(var, fallback)``: a string read from the environment."""
        default, via = args.default(1, "fallback")
        return EnvRead("envlite", args.text(0, "var"), call.span, default=default, fallback_via=via)

    @maker("envlite.Reader")
    def _reader(call: Call, args: Args) -> Made | None:
        """``reader = envlite.Reader(prefix)``: its methods read prefixed variables."""
        return Made("envlite.Reader()", state=args.text(0) or "")

    @recognizer("envlite.Reader().flag")
    def _flag(call: Call, args: Args) -> Value | None:
        """``reader.flag(var)``: ``prefix + var`` read as a bool."""
        return EnvRead("envlite", f"{call.state}{args.text(0)}", call.span, cast="bool")

    yield
    recognizers.VALUES.remove("envlite.text")
    recognizers.MAKERS.remove("envlite.Reader")
    recognizers.VALUES.remove("envlite.Reader().flag")


def test_a_recognizer_registered_for_a_new_library_is_used_through_every_import(make_project, envlite):
    settings = settings_of(
        make_project,
        """\
        import envlite
        import envlite as el
        from envlite import text as read_text, Reader

        SECRET_KEY = envlite.text("SECRET_KEY")
        EMAIL_HOST = el.text("EMAIL_HOST", "localhost")
        STATIC_URL = read_text(var="STATIC_URL", fallback="/static/")
        reader = Reader("APP_")
        DEBUG = reader.flag("DEBUG")
        TIME_ZONE = envlite.other("TZ")
        """,
    )
    secret, host, static, debug, tz = (settings.get(n).certain for n in ("SECRET_KEY", "EMAIL_HOST", "STATIC_URL", "DEBUG", "TIME_ZONE"))
    assert isinstance(secret, EnvRead) and (secret.api, secret.var, secret.default) == ("envlite", "SECRET_KEY", None)
    assert isinstance(host, EnvRead) and host.var == "EMAIL_HOST" and host.default.value == "localhost" and host.fallback_via == "positional"
    assert isinstance(static, EnvRead) and static.var == "STATIC_URL" and static.default.value == "/static/"
    assert isinstance(debug, EnvRead) and (debug.var, debug.cast) == ("APP_DEBUG", "bool")
    assert isinstance(tz, Unknown) and tz.kind == "call:envlite.other"


def test_rules_see_what_a_new_recognizer_reads(make_project, envlite):
    # DJH103: DEBUG read from the environment as a string, which is always truthy.
    root = make_project({"mysite/settings.py": 'import envlite\nDEBUG = envlite.text("DEBUG", "False")\n'})
    assert "DJH103" in codes(root, cache=False)


def test_without_the_recognizer_the_call_is_unknown(make_project):
    settings = settings_of(make_project, 'import envlite\nSECRET_KEY = envlite.text("SECRET_KEY")\n')
    assert isinstance(settings.get("SECRET_KEY").certain, Unknown)


def test_every_name_the_registry_holds_is_documented():
    registries = {"recognizer": recognizers.VALUES, "maker": recognizers.MAKERS, "effect": recognizers.EFFECTS}
    names = {(kind, name): fn for kind, registry in registries.items() for name, fn in registry.names().items()}
    assert ("recognizer", "decouple.config") in names and ("effect", "django_heroku.settings") in names
    for (kind, name), fn in names.items():
        doc = " ".join((fn.__doc__ or "").split())
        # The docstring names what it recognises: the name's last part, as written in code.
        last = name.rstrip("*").rstrip(".").removesuffix("[]").removesuffix("()").rsplit(".", 1)[-1]
        assert last in doc, f"the {kind} for {name} does not say it handles {last!r}: {doc!r}"


def test_two_recognizers_for_one_name_are_refused():
    with pytest.raises(ValueError, match=r"two recognisers for os\.getenv"):
        recognizer("os.getenv")(lambda call, args: None)


def qualnames(source: str, *expressions: str, package: str = "mysite") -> list[str | None]:
    """What each expression names after the imports of ``source`` ran, by the tracker alone."""
    tracker = ImportTracker()
    for statement in cst.parse_module(textwrap.dedent(source)).body:
        for small in getattr(statement, "body", ()):
            if isinstance(small, cst.Import):
                tracker.run_import(small)
            elif isinstance(small, cst.ImportFrom):
                tracker.run_import_from(small, absolute_module(small, package) or "")
    return [tracker.qualname(cst.parse_expression(e), local={"BASE_DIR"}) for e in expressions]


def test_the_import_tracker_names_what_each_alias_stands_for():
    source = """\
        import os.path
        import dj_database_url as dburl
        from decouple import config as cfg, Csv
        from .utils import helper
        """
    assert qualnames(source, "os.path.join", "dburl.config", "cfg", "Csv", "helper", "bool", "BASE_DIR.parent") == [
        "os.path.join",
        "dj_database_url.config",
        "decouple.config",
        "decouple.Csv",
        "mysite.utils.helper",
        "bool",
        None,
    ]


def test_the_import_tracker_follows_objects_a_library_made():
    tracker = ImportTracker()
    tracker.imported("environ", "environ")
    tracker.made("env", "environ.Env()", {"DEBUG": ("bool", None)})
    assert tracker.qualname(cst.parse_expression("env.bool")) == "environ.Env().bool"
    assert tracker.state_of("env") == {"DEBUG": ("bool", None)}
    assert not tracker.is_imported("env") and tracker.is_imported("environ")
