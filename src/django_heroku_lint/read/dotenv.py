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
from .python import split_lines

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


def read_config_file(project: Project, rel: str) -> dict[str, str] | ParseError:
    """The variables ``rel`` (a ``.env`` or a ``settings.ini``) sets, the last setting of a
    name winning; a ParseError when it cannot be read (not a file, a link that leaves
    the project, too large)."""
    data = project.read(rel)
    if isinstance(data, ParseError):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}  # both libraries read UTF-8 and fail on anything else: what deploys is not a value
    return parse_ini(text) if rel.endswith(".ini") else parse_dotenv(text)


def _plain(value: str) -> bool:
    return CONTROL_RE.search(value) is None


def parse_dotenv(text: str) -> dict[str, str]:
    """``NAME=value`` lines as django-environ and python-decouple read them: ``export``
    before the name, quotes around the value and blanks around both are dropped; a
    ``#`` line is a comment, and so is `` #`` after an unquoted value."""
    found: dict[str, str] = {}
    for line in split_lines(text):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#") or "=" not in line:
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, _, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if NAME_RE.fullmatch(name) and _plain(value) and (name in found or len(found) < MAX_VALUES):
            found[name] = value
    return found


def parse_ini(text: str) -> dict[str, str]:
    """The ``[settings]`` section of a ``settings.ini``, as python-decouple reads it
    (``name = value`` or ``name: value``; other sections are not its)."""
    found: dict[str, str] = {}
    section = None
    for line in split_lines(text):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != "settings":
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if cut < 0:
            continue
        name, value = line[:cut].strip(), line[cut + 1 :].strip()
        if NAME_RE.fullmatch(name) and _plain(value) and (name in found or len(found) < MAX_VALUES):
            found[name] = value
    return found
