from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from ..read.pythons import DEPRECATED, END_OF_LIFE, recommended, status
from .rule import Case, Rule
from ._versions import used_version


class PythonVersionUnsupported(Rule):
    """
    ## What it does
    Flags the Python version Heroku will build with when it is end-of-life on Heroku
    (below 3.10) or deprecated (3.10, removed on 2027-01-06). The version comes from
    `runtime.txt`, else `.python-version`, else `Pipfile.lock`, the order Heroku reads
    them in. The supported versions live in one table, `pythons.py`, updated as Heroku's change. A
    version newer than the table knows is left alone, as is a file DJH403 rejects.

    ## Why it breaks on Heroku
    Heroku removes Python versions from its build images when they reach end of life:
    3.8 in January 2025, 3.9 in January 2026. A project pinned to one stops building the
    day it goes, with no change of its own, and a rollback cannot help. A deprecated
    version builds with a warning until its removal date.

    ## Fix safety
    No automatic fix: a new Python version may need new package versions, so only the
    author can make the move.

    ## References
    - Heroku Dev Center, "Python Support".
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    - heroku-buildpack-python, CHANGELOG.md: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH404"
    name = "python-version-unsupported"
    per_build_root = True
    message = "Python {version} {state}; move to {recommended}"
    DOC_VALUES = {"recommended": recommended()}

    INVALID = [
        Case({".python-version": "3.9\n"}, expect=[".python-version:1"]),
        Case({".python-version": "3.10\n"}, expect=[".python-version:1"]),
        Case({".python-version": None, "runtime.txt": "python-3.8.18\n"}, expect=["runtime.txt:1"]),
        Case({".python-version": None, "Pipfile.lock": '{\n  "_meta": {\n    "requires": {"python_version": "3.9"}\n  },\n  "default": {}\n}\n'}, expect=["Pipfile.lock:3"]),
    ]
    VALID = [
        Case({".python-version": f"{recommended()}\n"}),
        Case({".python-version": "3.13\n"}),
        Case({".python-version": "3.16\n"}, note="newer than the table: not judged"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        found = used_version(ctx)
        if found is None:
            return
        known = status(*found.major_minor)
        if known is None or known.status not in (END_OF_LIFE, DEPRECATED):
            return
        version = f"{found.major_minor[0]}.{found.major_minor[1]}"
        if known.status == END_OF_LIFE:
            when = f" since {known.date}" if known.date else ""
            state = f"(from {found.file}) is end-of-life on Heroku{when}: the build fails"
        else:
            state = f"(from {found.file}) is deprecated on Heroku: builds fail from {known.date}"
        yield self.diagnostic(ctx, found.span, version=version, state=state, recommended=recommended())
