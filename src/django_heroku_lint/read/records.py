"""What the read stage makes of the build's files besides Python: the Procfile, the
version files, the requirements, the entry points, the .env files and the Python pins."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ftypes import Span


@dataclass
class Process:
    """One ``name: command`` line of a Procfile."""

    name: str
    command: str
    line: int
    command_col: int  # 1-based column where the command starts
    span: Span  # the whole line
    env: dict[str, str] = field(default_factory=dict)  # VAR=value prefixes and --env options
    server: str | None = None  # "gunicorn", "uvicorn", "daphne", "waitress-serve", ...
    server_span: Span | None = None  # the server's own command, up to the next && or ;
    server_args: tuple[str, ...] = ()
    app_module: str | None = None  # "mysite.wsgi" from "mysite.wsgi:application"
    app_span: Span | None = None  # where the app argument sits in the line
    chdir: str | None = None  # --chdir DIR or a leading "cd DIR &&"
    pythonpath: tuple[str, ...] = ()  # --pythonpath / --app-dir folders and a PYTHONPATH= prefix


@dataclass(frozen=True, slots=True)
class ShellVar:
    """A ``$NAME`` or ``${NAME...}`` the shell expands in a Procfile command.

    ``operator`` is the parameter expansion's, ``""`` for a plain ``$NAME``: ``:-`` and
    ``-`` give ``word`` as a fallback, ``:=`` and ``=`` too (and assign it), ``:?`` and
    ``?`` stop the command when the variable is unset, ``:+`` and ``+`` use ``word`` only
    when it is set.
    """

    name: str
    span: Span
    operator: str = ""
    word: str = ""


@dataclass(frozen=True, slots=True)
class ProcfileLine:
    """A non-blank, non-comment Procfile line that is not a ``name: command`` process."""

    line: int
    text: str
    span: Span
    reason: str  # why Heroku ignores it, in a few words


@dataclass(frozen=True, slots=True)
class Procfile:
    """The Procfile's processes, and the lines that are not ``name: command``."""

    path: str  # relative to the build root; may be a misnamed file
    processes: list[Process] = field(default_factory=list)
    bad_lines: list[ProcfileLine] = field(default_factory=list)

    def process(self, name: str) -> Process | None:
        for proc in self.processes:
            if proc.name == name:
                return proc
        return None


@dataclass(frozen=True, slots=True)
class VersionFile:
    """``runtime.txt`` or ``.python-version`` at the build root, decoded."""

    path: str
    text: str
    versions: list[tuple[str, Span]] = field(default_factory=list)  # non-comment lines
    bom: bool = False  # starts with a UTF-8 byte order mark
    encoding_error: str | None = None  # why the bytes are not UTF-8 text (UTF-16, bad bytes)
    unreadable: bool = False  # not read at all (a FIFO, a link that leaves the project): a DJH000 says why


@dataclass(frozen=True, slots=True)
class Requirement:
    """A package declared where Heroku installs from.

    ``name`` is normalised (PEP 503: lower case, runs of ``-_.`` as ``-``).  ``spec`` is
    the version specifier as written (``">=5.1,<6"``), ``""`` when unpinned; lock files
    give the exact ``version``.
    """

    name: str
    span: Span
    spec: str = ""
    version: str | None = None
    extras: frozenset[str] = frozenset()
    marker: str | None = None  # the environment marker after ``;``; None where the file gives none
    lines: Span | None = None  # the whole logical line of a pip requirements file, continuations included


@dataclass(frozen=True, slots=True)
class DirectReference:
    """A requirement that installs from a path or URL instead of an index: ``-e ../lib``,
    ``name @ file:///...``, ``./wheels/x.whl`` (requirements files only); ``target`` as written."""

    target: str
    span: Span
    editable: bool = False


@dataclass
class Requirements:
    """What the project declares, from every package manager file at the build root.

    ``installer`` names the file Heroku installs from (``requirements.txt``,
    ``Pipfile.lock``, ``poetry.lock``, ``uv.lock``; ``pyproject.toml`` when that is all
    there is).  ``complete`` is false when part of the declaration could not be read
    (an ``-r`` include that is missing or remote, a file that does not parse), so a
    rule cannot tell what is missing.
    """

    installer: str
    sources: list[str] = field(default_factory=list)
    packages: dict[str, Requirement] = field(default_factory=dict)
    complete: bool = True
    references: list[DirectReference] = field(default_factory=list)

    def get(self, name: str) -> Requirement | None:
        return self.packages.get(name)


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """A ``wsgi.py``/``asgi.py`` Heroku may start, and what it does at import."""

    path: str
    settings_default: str | None = None  # the DJANGO_SETTINGS_MODULE it defaults to
    settings_span: Span | None = None  # where that default is written
    production_module: str | None = None  # a production module beside the default, if any
    legacy_whitenoise: list[Span] = field(default_factory=list)  # uses of whitenoise.django
    static_wrapper: str | None = None  # "Cling" or "WhiteNoise" when the app is wrapped to serve static files


@dataclass(frozen=True, slots=True)
class DotenvFile:
    """A ``.env`` file of the build that git would commit, and why.

    ``ignored_by`` is the ``.gitignore`` line that ignores it (so a file still listed by
    git is tracked); ``comment_trap`` a line such as ``.env  # secrets`` that was meant to
    ignore it but matches nothing, because gitignore has no trailing comments.
    ``secrets`` names the variables it sets that look like secrets (a key, password or
    token with a value, a URL with a password); ``None`` when the file was not read.
    """

    path: str
    ignored_by: Span | None = None
    comment_trap: Span | None = None
    secrets: list[str] | None = None


@dataclass(frozen=True, slots=True)
class AppJsonVar:
    """One entry of ``app.json``'s ``env``, as its schema defines it: a string is the
    value; an object may give a ``value``, a ``description``, a ``generator`` (``"secret"``
    makes a random string) and ``required`` (true unless set to false).  Heroku applies
    them to apps created from ``app.json`` (review apps, the Heroku Button), not to an app
    pushed with git."""

    name: str
    value: str | None = None
    description: str = ""
    generator: str | None = None
    required: bool = True


@dataclass(frozen=True, slots=True)
class PythonPin:
    """A Python version the project states somewhere Heroku does not read it.

    ``source`` is the file (a misplaced ``runtime.txt`` or ``.python-version``, the
    ``Pipfile``, ``pyproject.toml``); ``version`` is its major.minor, such as ``"3.12"``.
    """

    version: str
    source: str
