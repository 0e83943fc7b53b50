"""The committed files that set environment variables at import time: ``.env`` and ``settings.ini``.

django-environ's ``Env.read_env()`` copies a ``.env`` into ``os.environ`` (without
replacing a variable already set), and python-decouple's ``config`` reads ``settings.ini``
or ``.env`` when the variable is not in the environment.  When git holds such a file,
it is pushed to Heroku and its values are what deploys wherever no config var is set.

This module says which of these files a push deploys and what they set.  The files are
read through discovery's bounded reader; a value that is not plain text (control
characters) is left out rather than guessed at, and a file that is not UTF-8 sets
nothing.
"""

from __future__ import annotations

import re

from ..discover.projects import Project
from ..ftypes import ParseError
from .layout import _gitignore

CONFIG_FILES = (".env", "settings.ini")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ufffd]")
MAX_VALUES = 10_000  # a file with more is not one anybody wrote by hand: the first ones are kept


def committed_config_files(project: Project) -> frozenset[str]:
    """The ``.env`` and ``settings.ini`` files of the build that a push deploys: in git, the
    ones git tracks (a file merely not ignored is on one machine only); outside git, the
    ones a ``.gitignore`` does not ignore, when there is one (with none, nothing tells)."""
    named = [f for f in project.files if f.rpartition("/")[2] in CONFIG_FILES]
    if not named:
        return frozenset()
    if project.in_git:
        return frozenset(f for f in named if project.tracked(f))
    ignore = _gitignore(project)
    if not ignore.present:
        return frozenset()
    return frozenset(f for f in named if ignore.ignored_by(f) is None)


def read_config_file(project: Project, rel: str, reader: str) -> dict[str, str] | ParseError:
    """The variables ``rel`` (a ``.env`` or a ``settings.ini``) sets when ``reader`` reads
    it: ``"environ"`` (django-environ's ``read_env``) or ``"decouple"`` (python-decouple's
    ``config``), which read a ``.env`` differently; the last setting of a name wins.  A
    ParseError when it cannot be read (not a file, a link that leaves the project, too
    large).  The names of a ``settings.ini`` are in lower case, as ``configparser`` keeps
    them and python-decouple looks them up."""
    data = project.read(rel)
    if isinstance(data, ParseError):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}  # both libraries read UTF-8 and fail on anything else: what deploys is not a value
    if rel.endswith(".ini"):
        return parse_ini(text)
    return parse_decouple_env(text) if reader == "decouple" else parse_environ_env(text)


def _plain(value: str) -> bool:
    return CONTROL_RE.search(value) is None


def _keep(found: dict[str, str], name: str, value: str) -> None:
    if _plain(value) and (name in found or len(found) < MAX_VALUES):
        found[name] = value


# django-environ's line: ``export `` (one blank) before the name, no blank around ``=``.
ENVIRON_LINE_RE = re.compile(r"(?:export )?([A-Za-z_0-9]+)=(.*)")
ENVIRON_ESCAPE_RE = re.compile(r"\\(.)")


def parse_environ_env(text: str) -> dict[str, str]:
    """A ``.env`` as django-environ's ``Env.read_env()`` reads it: each line (``str.splitlines``)
    that is ``NAME=value`` from its first character, ``export `` allowed before the name and
    no blank around ``=``; the value as written (blanks kept, a `` # comment`` too), less one
    pair of single quotes, then one pair of double quotes, inside which a backslash escapes
    the next character (``\\n``, ``\\r`` and ``\\t`` stay as written).  Other lines, a
    first line behind a byte order mark among them, set nothing."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = ENVIRON_LINE_RE.fullmatch(line)
        if match is None:
            continue
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = ENVIRON_ESCAPE_RE.sub(lambda m: "\\" + m.group(1) if m.group(1) in "rnt" else m.group(1), value[1:-1])
        _keep(found, name, value)
    return found


def parse_decouple_env(text: str) -> dict[str, str]:
    """A ``.env`` as python-decouple's ``RepositoryEnv`` reads it: each line (CRLF, LF and CR
    end one) stripped of blanks, ``#`` lines and lines without ``=`` left out, then split at
    the first ``=``; name and value stripped, and one pair of matching quotes dropped from
    the value.  Nothing else: ``export NAME`` is a name of its own, a `` # comment`` is part
    of the value, and a byte order mark is part of the first name."""
    found: dict[str, str] = {}
    for line in re.split(r"\r\n|\r|\n", text):
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if NAME_RE.fullmatch(name):  # a read names a variable so: another name is never read
            _keep(found, name, value)
    return found


def parse_ini(text: str) -> dict[str, str]:
    """The ``[settings]`` section of a ``settings.ini`` as python-decouple reads it, with
    ``configparser``: names in lower case, ``DEFAULT``'s options too, comments and
    continuation lines as ``configparser`` takes them.  A file ``configparser`` refuses (no
    section header first, an option set twice) makes every ``config()`` raise: it sets
    nothing.  A value with a ``%`` interpolation is left out (what it expands to is not
    worth the time a crafted file could make it take), and ``%%`` is one ``%``."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(re.sub(r"\r\n?", "\n", text))
    except configparser.Error:
        return {}
    if not parser.has_section("settings"):
        return {}
    found: dict[str, str] = {}
    for name in parser.options("settings"):
        value = parser.get("settings", name)
        if "%" in value.replace("%%", ""):
            continue
        value = value.replace("%%", "%")
        if NAME_RE.fullmatch(name):
            _keep(found, name, value)
    return found
