from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, Span
from ..pythons import recommended
from ..rule import TREE, Case, Rule
from ._versions import requested


class RuntimeTxtDeprecated(Rule):
    """
    ## What it does
    Flags a `runtime.txt` at the build root, with or without a `.python-version` beside
    it (Heroku reads `runtime.txt` first, so it still decides the version).

    ## Why it breaks on Heroku
    `runtime.txt` is deprecated since 2025-02-06. Every build prints "The runtime.txt
    file is deprecated … replaced by the more widely supported .python-version file",
    and Heroku has announced that the warning will become an error; together with uv it
    already is one. `.python-version` is also read by pyenv, uv and other tools, and
    holding just `3.14` it gets security patches without edits.

    ## Fix safety
    No automatic fix yet. The intended fix writes `.python-version` with the same
    major.minor version and deletes `runtime.txt`; it is safe, as Heroku builds the
    same Python (the newest patch release of that version, which is what it recommends).

    ## References
    - Heroku Dev Center, "Specifying a Python Version".
    - HAZARDS.md, "Python version" (heroku-buildpack-python CHANGELOG).
    """

    code = "DJH402"
    name = "runtime-txt-deprecated"
    message = "runtime.txt is deprecated and Heroku will make it a build error{uv}; {remedy}"

    INVALID = [
        Case({".python-version": None, "runtime.txt": "python-3.12.7\n"}, expect=["runtime.txt:1"], show="runtime.txt"),
        Case({"runtime.txt": "python-3.13\n"}, expect=["runtime.txt:1"], show=TREE),
    ]
    VALID = [
        Case({".python-version": "3.13\n"}, show=TREE),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        entry = ctx.version_files.get("runtime.txt")
        if entry is None:
            return
        found = requested(entry)
        version = f"{found.major_minor[0]}.{found.major_minor[1]}" if found else recommended()
        span = found.span if found else (entry.versions[0][1] if entry.versions else Span("runtime.txt"))
        uv = " (with uv.lock it already is one)" if "uv.lock" in ctx.files else ""
        following = requested(ctx.version_files[".python-version"]) if ".python-version" in ctx.version_files else None
        if following is not None:
            fix = f"delete runtime.txt (Heroku then builds the {following.text} of .python-version)"
        else:
            fix = f"write .python-version holding {version} and delete runtime.txt"
        yield self.diagnostic(ctx, span, uv=uv, remedy=fix)
