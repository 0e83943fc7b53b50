from __future__ import annotations

import re
from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..read.records import VersionFile
from .context import Context
from ..read.pythons import parse_version, recommended
from .rule import TREE, Case, Rule
from ._versions import RUNTIME_RE, version_lines


def problems(entry: VersionFile) -> Iterator[tuple[Span, str, str]]:
    """(where, what is wrong, what to write) for each reason Heroku rejects the file."""
    runtime = entry.path == "runtime.txt"
    example = f"python-{recommended()}" if runtime else recommended()
    if entry.unreadable:
        return  # what it holds is unknown: the DJH000 on it says why
    if entry.encoding_error:
        kind = "is UTF-16 encoded" if "UTF-16" in entry.encoding_error else "is not UTF-8 text"
        yield Span(entry.path), kind, "save it as UTF-8 without a byte order mark"
        return
    if entry.bom:
        yield Span(entry.path), "starts with a byte order mark (BOM)", "save it as UTF-8 without a BOM"
    lines = version_lines(entry)
    if not lines:
        yield Span(entry.path), "holds no version", f"write one line such as {example}"
        return
    if len(lines) > 1:
        yield lines[1][1], "holds more than one version", "keep a single version line"
    text, span = lines[0]
    digits = re.search(r"(?<!\d)\d+\.\d+(?:\.\d+)?", text)  # from the start of a run of digits only: linear
    suggestion = digits.group(0) if digits and parse_version(digits.group(0)) else recommended()
    if runtime:
        if not RUNTIME_RE.match(text):
            yield span, f'holds "{text}", not python-3.X or python-3.X.Y', f"write python-{suggestion}"
        return
    if parse_version(text):
        return
    if text.lower().startswith("python"):
        yield span, f'holds "{text}" with a python prefix', f"write just {suggestion}"
    elif text[:1] in "'\"":
        yield span, f"holds the quoted {text}", f"write {suggestion} without quotes"
    elif "*" in text or text.lower().endswith(".x"):
        yield span, f'holds the wildcard "{text}"', f"write {suggestion}"
    else:
        yield span, f'holds "{text}", not a version such as {recommended()}', f"write {suggestion}"


class PythonVersionInvalid(Rule):
    """
    ## What it does
    Flags a Python version file Heroku rejects:
    - `.python-version` that is not exactly one `3.X` or `3.X.Y` line (a `python-`
      prefix, quotes, a wildcard, `Python 3.8.3`, several versions, no version);
    - `runtime.txt` that is not one `python-3.X` or `python-3.X.Y` line;
    - either file saved with a byte order mark, as UTF-16, or not as UTF-8;
    - a misspelled file name, such as `.python-version.txt`, `python-version`,
      `runtime.text` or a trailing space, when the right name is absent.

    Blank lines and `#` comment lines are fine. Whether Heroku supports the version is
    DJH404's business.

    ## Why it breaks on Heroku
    The Python buildpack reads the version before anything else and stops the build on
    a file it cannot parse; a misspelled name is reported as a build error too. Editors
    on Windows add the BOM, and `echo {recommended} > .python-version` in PowerShell writes
    UTF-16.

    ## Fix safety
    No automatic fix: which version was meant is the author's call.

    ## References
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    - heroku-buildpack-python, `lib/python_version.sh`: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH403"
    name = "python-version-invalid"
    per_build_root = True
    message = "{file} {problem}: Heroku's Python build fails on it; {remedy}"
    DOC_VALUES = {"recommended": recommended()}

    INVALID = [
        Case({".python-version": f"python-{recommended()}\n"}, expect=[".python-version:1"]),
        Case({".python-version": "3.12\n3.13\n"}, expect=[".python-version:2"]),
        Case({".python-version": b"\xef\xbb\xbf3.13\n"}, expect=[".python-version:1"]),
        Case({".python-version": "3.13\n".encode("utf-16")}, expect=[".python-version:1"]),
        Case({".python-version": None, "runtime.txt": "Python 3.8.3\n"}, expect=["runtime.txt:1"]),
        Case({".python-version": None, ".python-version.txt": "3.13\n"}, expect=[".python-version.txt:1"], show=TREE),
    ]
    VALID = [
        Case({".python-version": f"# the major version gets security updates\n{recommended()}\n"}),
        Case({".python-version": "3.13.9\n"}),
        Case({".python-version": None, "runtime.txt": "python-3.13.9\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for name in ("runtime.txt", ".python-version"):
            entry = ctx.version_files.get(name)
            if entry is None:
                continue
            for span, problem, fix in problems(entry):
                yield self.diagnostic(ctx, span, file=name, problem=problem, remedy=fix)
        for name in ctx.misnamed_version_files:
            meant = "runtime.txt" if "runtime" in name.lower() else ".python-version"
            yield self.diagnostic(ctx, Span(name), file=repr(name) if name != name.strip() else name, problem=f"is a misspelled {meant}", remedy=f"rename it to {meant}")
