from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, Span
from ..rule import TREE, Case, Rule


class PythonVersionMissing(Rule):
    """
    ## What it does
    Flags a build root with neither `.python-version` nor `runtime.txt` (nor a
    `python_version` in `Pipfile.lock`, which Heroku also reads). A version file in a
    subfolder, next to a `manage.py` that is not at the root, does not count: Heroku
    reads only the root. The diagnostic points at the file to create.

    ## Why it breaks on Heroku
    With no version file, Heroku builds with its current default Python, which moves
    (3.14 today): a push that worked yesterday can break on a new major version with no
    change of yours. Heroku warns about the missing file now and has announced that it
    will become an error.

    Heroku prefers `.python-version` with a major version such as `3.13` (you get
    security patches automatically); `runtime.txt` is deprecated.

    ## Fix safety
    No automatic fix yet. Writing `.python-version` from a version the project already
    pins elsewhere is safe; picking a default version is unsafe.

    ## References
    - Heroku Dev Center, "Specifying a Python Version".
    - HAZARDS.md, "Python version".
    """

    code = "DJH401"
    name = "python-version-missing"
    message = "no .python-version at the build root: Heroku builds with its moving default Python; add .python-version holding e.g. 3.13"

    INVALID = [
        Case({".python-version": None}, expect=[".python-version:1"], show=TREE),
        Case({".python-version": None, "mysite/.python-version": "3.13\n"}, expect=[".python-version:1"], show=TREE),
    ]
    VALID = [
        Case({".python-version": "3.13\n"}, show=TREE),
        Case({".python-version": None, "runtime.txt": "python-3.13.9\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.version_files or ctx.pipfile_lock_python:
            return
        yield self.diagnostic(ctx, Span(".python-version"))
