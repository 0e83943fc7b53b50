from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix, Span
from .context import Context
from ..read.pythons import recommended
from .rule import TREE, Case, Rule
from ._versions import Requested, requested


def same_python(runtime: Requested, following: Requested) -> bool:
    """True when Heroku builds the same Python from ``.python-version`` as from runtime.txt:
    the same version, or the same major version with no patch level in ``.python-version``."""
    pinned = runtime.text.removeprefix("python-")
    major_minor = f"{following.major_minor[0]}.{following.major_minor[1]}"
    return following.text == pinned or (following.text == major_minor and following.major_minor == runtime.major_minor)


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
    The fix writes `.python-version` holding the major version of `runtime.txt`
    (`python-3.12.7` gives `3.12`) and deletes `runtime.txt`, once `.python-version` is
    written. It is safe: Heroku builds the same Python version, at its newest patch
    release, which is what Heroku recommends and what brings security fixes.

    When `.python-version` already exists, the fix only deletes `runtime.txt`, and only
    if both ask for the same Python (`3.12` beside `python-3.12.7`, or the very same
    version); if they disagree, which one is meant is yours to say, so there is no fix.
    Nor is there one for a `runtime.txt` Heroku cannot read.

    | the fix | safety |
    |---|---|
    | writes `.python-version` with the major version of `runtime.txt` (`python-3.12.7` → `3.12`), then deletes `runtime.txt`; beside a `.python-version` asking for the same Python, only deletes it | safe |

    ## References
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    - heroku-buildpack-python, CHANGELOG.md: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH402"
    name = "runtime-txt-deprecated"
    per_build_root = True
    message = "runtime.txt is deprecated and Heroku will make it a build error{uv}; {remedy}"

    INVALID = [
        Case(
            {".python-version": None, "runtime.txt": "python-3.12.7\n"},
            expect=["runtime.txt:1"],
            show="runtime.txt",
            fixed={".python-version": "3.12\n", "runtime.txt": None},
        ),
        Case({"runtime.txt": "python-3.13\n"}, expect=["runtime.txt:1"], show=TREE, fixed={"runtime.txt": None}),
        Case(
            {".python-version": "3.13\n", "runtime.txt": "python-3.12.7\n"},
            expect=["runtime.txt:1"],
            show=TREE,
            note="no fix: the two files disagree",
        ),
        Case({".python-version": None, "runtime.txt": "python-3.12 \n3.13\n"}, expect=["runtime.txt:1"], note="no fix: two versions"),
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
        fix = None
        if following is not None:
            remedy = f"delete runtime.txt (Heroku then builds the {following.text} of .python-version)"
            if found is not None and same_python(found, following):
                fix = Fix(SAFE, f"delete runtime.txt: .python-version asks for the same Python ({following.text})", edits=(Edit.delete("runtime.txt"),))
        else:
            remedy = f"write .python-version holding {version} and delete runtime.txt"
            if found is not None and ".python-version" not in ctx.files:
                edits = (Edit.create(".python-version", f"{version}\n"), Edit.delete("runtime.txt"))
                fix = Fix(SAFE, f"write .python-version holding {version} and delete runtime.txt", edits=edits)
        yield self.diagnostic(ctx, span, fix=fix, uv=uv, remedy=remedy)
