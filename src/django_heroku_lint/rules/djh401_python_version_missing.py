from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, UNSAFE, Diagnostic, Edit, Fix, Span
from ..read import pythons
from .context import Context
from .rule import TREE, Case, Rule

DEFAULT = "{}.{}".format(*pythons.DEFAULT)  # Heroku's default today


def version_fix(ctx: Context) -> Fix:
    """Create .python-version from the project's own pin, or from Heroku's default."""
    pin = ctx.python_pins[0] if ctx.python_pins else None
    parsed = pythons.parse_version(pin.version) if pin is not None else None  # a pin is "3.N"
    known = pythons.status(*parsed) if parsed is not None else None  # None: no pin, or one newer than the table
    if pin is not None and known is not None and known.status != pythons.END_OF_LIFE:
        version, safety = pin.version, SAFE
        message = f"create .python-version holding {version}, the version {pin.source} pins"
    elif pin is not None and known is not None:
        version = pythons.supported()[0]
        safety = UNSAFE
        message = (
            f"create .python-version holding {version}: {pin.source} pins {pin.version}, which Heroku no longer builds, "
            f"and {version} is the oldest version it supports without a deprecation; check your dependencies run on it"
        )
    else:
        version, safety = pythons.recommended(), UNSAFE
        what = f"{pin.source} pins {pin.version}, which Heroku does not build yet" if pin else "the project pins no version"
        message = f"create .python-version holding {version}, the newest Python Heroku supports: {what}"
    return Fix(safety, message, edits=(Edit.create(".python-version", f"{version}\n"),))


class PythonVersionMissing(Rule):
    """
    ## What it does
    Flags a build root with neither `.python-version` nor `runtime.txt` (nor a
    `python_version` in `Pipfile.lock`, which Heroku also reads). A version file in a
    subfolder, next to a `manage.py` that is not at the root, does not count: Heroku
    reads only the root. The diagnostic points at the file to create.

    ## Why it breaks on Heroku
    With no version file, Heroku builds with its current default Python, which moves
    ({default} today): a push that worked yesterday can break on a new major version with no
    change of yours. Heroku warns about the missing file now and has announced that it
    will become an error.

    Heroku prefers `.python-version` with a major version such as `{recommended}` (you get
    security patches automatically); `runtime.txt` is deprecated.

    ## Fix safety
    The fix creates `.python-version` holding a major version. When the project pins
    one where Heroku does not look (a `runtime.txt` or `.python-version` in a subfolder,
    the Pipfile's `[requires] python_version`, `requires-python` in `pyproject.toml`)
    and Heroku builds it, the fix writes that version, and is safe: it is the
    author's own choice.

    Otherwise it is unsafe. A pinned version Heroku no longer builds ({newest_removed} and older)
    becomes {oldest}, the oldest it supports without a deprecation; with no pin at all the
    fix writes {recommended}, the newest Python Heroku supports, which may not be what
    the code was written for.

    | the fix | safety |
    |---|---|
    | creates `.python-version` with the major version the project pins elsewhere (a `runtime.txt` or `.python-version` in a subfolder, the Pipfile, `requires-python`) | safe; unsafe when the pin is one Heroku no longer builds (then {oldest}) or there is none (then {recommended}, the newest Python Heroku supports) |

    ## References
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    - heroku-buildpack-python, `lib/python_version.sh` and CHANGELOG.md: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH401"
    name = "python-version-missing"
    per_build_root = True
    message = "no .python-version at the build root: Heroku builds with its moving default Python; add .python-version holding e.g. {recommended}"
    DOC_VALUES = {
        "recommended": pythons.recommended(),
        "oldest": pythons.supported()[0],
        "default": DEFAULT,
        "newest_removed": "{}.{}".format(*max(v for v, s in pythons.PYTHONS.items() if s.status == pythons.END_OF_LIFE)),
    }

    INVALID = [
        Case(
            {".python-version": None},
            expect=[".python-version:1"],
            show=TREE,
            fixed={".python-version": f"{pythons.recommended()}\n"},
            unsafe=True,
        ),
        Case(
            {".python-version": None, "mysite/.python-version": "3.13\n"},
            expect=[".python-version:1"],
            show=TREE,
            fixed={".python-version": "3.13\n"},
        ),
        Case(
            {".python-version": None, "pyproject.toml": '[project]\nname = "mysite"\nrequires-python = ">=3.12"\n'},
            expect=[".python-version:1"],
            show=TREE,
            fixed={".python-version": "3.12\n"},
        ),
        Case(
            {".python-version": None, "mysite/runtime.txt": "python-3.8.7\n"},
            expect=[".python-version:1"],
            show=TREE,
            fixed={".python-version": "3.11\n"},
            unsafe=True,
            note="Heroku no longer builds 3.8",
        ),
    ]
    VALID = [
        Case({".python-version": "3.13\n"}, show=TREE),
        Case({".python-version": None, "runtime.txt": "python-3.13.9\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.version_files or ctx.pipfile_lock_python:
            return
        yield self.diagnostic(ctx, Span(".python-version"), fix=version_fix(ctx), recommended=pythons.recommended())
