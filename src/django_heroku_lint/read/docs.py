"""Config vars the project's own docs and deploy scripts set: ``heroku config:set NAME=VALUE``.

A README, a ``doc/deployment.md`` or a ``deploy.sh`` often holds the one line that says
which settings module Heroku runs (``heroku config:set
DJANGO_SETTINGS_MODULE=config.settings.staging_heroku``) or the variable a computed
name is built from (``heroku config:set DJANGO_ENV=heroku``).  What such a line sets is
a hint weaker than ``app.json``: it is taken only when every line that sets the variable
agrees, and a value that stands in for another (``<your-key>``, ``$VAR``) is no value.
"""

from __future__ import annotations

import posixpath

from ..discover.projects import Project
from ..ftypes import ParseError
from .python import decode_text, split_lines

DOC_FOLDERS = ("doc", "docs")
DOC_SUFFIXES = (".md", ".rst", ".txt", ".sh")
MAX_DOC_BYTES = 256 * 1024  # a document longer than this is not read
MAX_DOC_FILES = 40
COMMANDS = ("config:set", "config:add")  # config:add is the older name of config:set
PLACEHOLDER_CHARS = frozenset("<>{}$`*|;&()[]\\")


def doc_files(project: Project) -> list[str]:
    """The files read for ``config:set`` lines: READMEs, shell scripts and Makefiles at the
    build root, and the documents directly in its ``doc/`` or ``docs/`` folder."""
    found = []
    for rel in sorted(project.files):
        folder, name = posixpath.split(rel)
        lower = name.lower()
        at_root = folder == ""
        if at_root and (lower.startswith("readme") or lower == "makefile" or lower.endswith(".sh")):
            found.append(rel)
        elif folder.lower() in DOC_FOLDERS and lower.endswith(DOC_SUFFIXES):
            found.append(rel)
    return found[:MAX_DOC_FILES]


def _assignments(line: str) -> list[tuple[str, str]]:
    """The ``NAME=VALUE`` words after ``heroku config:set`` on one line, quotes removed."""
    command = next((each for each in COMMANDS if each in line), "")
    at = line.find(command) if command else -1
    if at == -1 or "heroku" not in line[:at]:
        return []
    found = []
    for word in line[at + len(command) :].split():
        word = word.strip("`")
        if word.startswith("-"):
            continue  # --app myapp, -a myapp
        name, sep, value = word.partition("=")
        if not sep or not name.isidentifier():
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value and not PLACEHOLDER_CHARS & set(value):
            found.append((name, value))
    return found


def docs_config_vars(project: Project) -> dict[str, tuple[str, str]]:
    """name -> (value, ``file:line`` of its first line) for each variable the docs set with
    ``heroku config:set`` to one value everywhere; a variable set to two values is left out."""
    values: dict[str, set[str]] = {}
    first: dict[str, tuple[str, str]] = {}
    for rel in doc_files(project):
        data = project.read(rel)
        if isinstance(data, ParseError) or len(data) > MAX_DOC_BYTES or not any(each.encode() in data for each in COMMANDS):
            continue
        text = decode_text(data, rel)
        if isinstance(text, ParseError):
            continue
        for number, line in enumerate(split_lines(text), start=1):
            for name, value in _assignments(line):
                values.setdefault(name, set()).add(value)
                first.setdefault(name, (value, f"{rel}:{number}"))
    return {name: first[name] for name, seen in values.items() if len(seen) == 1}
