"""Which library a name of a settings module stands for: the import and alias tracker.

A module's names reach libraries in three ways, and one ``ImportTracker`` follows all
of them, in execution order:

- ``import os``, ``import os.path as osp``: ``imported("osp", "os.path")``;
- ``from decouple import config as cfg``: ``imported("cfg", "decouple.config")``;
- an assignment of an object a library makes, ``env = environ.Env(...)``:
  ``made("env", "environ.Env()", state)``, where ``state`` is what the object knows
  (django-environ's scheme); ``config = AutoConfig()`` is an alias like an import.

What a module's tracker holds at its end travels with its names: a module of the
project that runs ``from .base import env`` or ``from .base import *`` gets ``made``
(or ``imported``) the same (``interpreter.py``, ``take_name``), so cookiecutter-django's
``env`` made in ``base.py`` reads the environment in ``production.py`` too.

``qualname(node)`` then names what an expression refers to: ``os.environ.get`` for
``osp``-free ``os.environ.get``, ``environ.Env().bool`` for ``env.bool``, a builtin's
own name (``bool``) for a name nothing rebound, and ``None`` for anything else.  The
tracker knows nothing of any library: what a qualified name means is the recognisers'
business (``recognizers.py``).  It only reads syntax, so the fix stage can share it.
"""

from __future__ import annotations

from collections.abc import Container

import libcst as cst


class ImportTracker:
    """The qualified names a module's local names stand for, as its statements run."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}  # local name -> qualified name, by import (or alias)
        self.objects: dict[str, tuple[str, object]] = {}  # local name -> (qualified name, state), see ``made``

    def imported(self, local: str, qualified: str) -> None:
        """``local`` now names ``qualified``, as ``import``/``from ... import`` bind it."""
        self.aliases[local] = qualified
        self.objects.pop(local, None)

    def made(self, local: str, qualified: str, state: object = None) -> None:
        """``local`` holds an object a library made: its calls resolve to ``qualified``, its
        methods to ``qualified.method``, and ``state_of(local)`` hands back ``state``.
        Such a name is no longer an import (so statements may change it), and stays bound
        to that object for the rest of the module."""
        self.objects[local] = (qualified, state)
        self.aliases.pop(local, None)

    def is_imported(self, local: str) -> bool:
        """True when ``local`` names a module or an attribute bound by an import (or alias)."""
        return local in self.aliases

    def state_of(self, local: str | None) -> object:
        """The state ``made`` recorded for ``local``, or None."""
        found = self.objects.get(local or "")
        return found[1] if found is not None else None

    def qualname(self, node: cst.BaseExpression, local: Container[str] = ()) -> str | None:
        """The qualified name of a Name or an Attribute chain.

        ``local`` holds the module's own variables: a name bound there (and by no
        import) is not a library's, so it has no qualified name.  A name bound nowhere
        stands for itself (a builtin such as ``bool``, or a name of a star import).
        """
        if isinstance(node, cst.Name):
            name = node.value
            found = self.objects.get(name)
            if found is not None:
                return found[0]
            return self.aliases.get(name, name if name not in local else None)
        if isinstance(node, cst.Attribute):
            base = self.qualname(node.value, local)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def run_import(self, node: cst.Import) -> list[str]:
        """Bind the names of ``import a.b`` / ``import a.b as c``; returns the modules it names."""
        modules = []
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            modules.append(dotted)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.imported(alias.asname.name.value, dotted)
            else:
                top = dotted.split(".")[0]
                self.imported(top, top)
        return modules

    def run_import_from(self, node: cst.ImportFrom, source: str) -> None:
        """Bind the names of ``from <source> import x as y`` (``source`` made absolute)."""
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            self.imported(local_name(alias) or dotted, f"{source}.{dotted}" if source else dotted)


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name or an Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def local_name(alias: cst.ImportAlias) -> str | None:
    """The ``y`` of ``x as y``, or None when the import keeps the name."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def absolute_module(node: cst.ImportFrom, package: str) -> str | None:
    """The module ``from X import ...`` names, relative imports resolved against ``package``."""
    dots = len(node.relative)
    dotted = dotted_name(node.module) if node.module is not None else ""
    if dotted is None:
        return None
    if dots == 0:
        return dotted
    parts = package.split(".") if package else []
    if dots - 1 > len(parts):
        return None
    base = parts[: len(parts) - (dots - 1)]
    return ".".join(base + ([dotted] if dotted else []))


def import_text(node: cst.ImportFrom) -> str:
    """``from .base import *`` as written, on one line."""
    module = (dotted_name(node.module) or "?") if node.module is not None else ""
    source = "." * len(node.relative) + module
    if isinstance(node.names, cst.ImportStar):
        names = "*"
    else:
        names = ", ".join((dotted_name(alias.name) or "?") + (f" as {local_name(alias)}" if local_name(alias) else "") for alias in node.names)
    return f"from {source} import {names}"
