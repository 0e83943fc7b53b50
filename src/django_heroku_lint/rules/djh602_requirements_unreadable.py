from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..ftypes import SAFE, Diagnostic, Edit, Fix, ParseError, Span
from ..edit.intents import RewriteIntent
from .context import Context
from ..read.python import UTF16_MIXED, UTF16_TEXT, utf16_text
from ..read.requirements import LOCK_FILES
from .rule import TREE, Case, Rule

REQUIREMENTS = "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"


@dataclass(repr=False, eq=False)
class Reencode(RewriteIntent):
    """A UTF-16 text file (with its byte order mark) is written again as UTF-8 without
    one, its text unchanged: a ``rewrite`` edit."""

    file: str

    def target_file(self) -> str:
        return self.file

    def apply(self, data: bytes) -> str:
        from ..edit.source import Unresolvable

        text = utf16_text(data)
        if text is None:
            raise Unresolvable("not a UTF-16 text file")
        return text


def explain(error: ParseError) -> str:
    reason = error.reason
    file = error.span.file
    if reason == UTF16_MIXED:
        return (
            f"{file} starts as UTF-16 but has bytes that are not (a line appended as UTF-8 to a PowerShell redirect?): "
            "pip cannot decode it and the push is rejected; save it as UTF-8"
        )
    if "UTF-16" in reason:
        return (
            f"{file} is UTF-16 (a PowerShell `>` redirect), which pip reads only while every line stays UTF-16 "
            "and which breaks the build as soon as a line is appended as UTF-8; save it as UTF-8"
        )
    if "not valid UTF-8" in reason or "binary" in reason:
        return f"{file} is not UTF-8 text, and pip on Heroku reads it as UTF-8, so the build fails; save it as UTF-8"
    if "does not exist" in reason:
        return f"{reason}, but an -r line includes it, so pip fails and the push is rejected; fix the path or add the file"
    return f"{file}: {reason}; pip fails and the push is rejected"


class RequirementsUnreadable(Rule):
    """
    ## What it does
    Flags a requirements file pip cannot read on Heroku: `requirements.txt`, or a file it
    includes with `-r`, that is UTF-16 (a PowerShell `pip freeze > requirements.txt`),
    not UTF-8, or missing; and a misnamed `requirements.txt` (`requirement.txt`,
    `requirements.text`, `Requirements.txt`, a trailing space) when no file Heroku
    installs from is present. A UTF-8 byte order mark is fine: pip strips it.

    ## Why it breaks on Heroku
    Heroku installs from a file named exactly `requirements.txt`, decoded as UTF-8. A
    misnamed file means nothing is installed (or the build stops for lack of a package
    manager file). pip guesses UTF-16 from the byte order mark, but one line appended
    by a UTF-8 tool (`echo gunicorn >> requirements.txt`) makes the file undecodable and
    the push is rejected with a `UnicodeDecodeError`; pip-tools, Dependabot and other
    tools refuse UTF-16 from the start. A missing `-r` include stops pip too.

    ## Fix safety
    For a UTF-16 file, the fix writes the same text again as UTF-8, without a byte order
    mark, keeping its line ends. It is safe: pip reads exactly the same requirements. A
    file that is only partly UTF-16 (a line appended as UTF-8) gets no fix, as part of
    its text would have to be guessed.

    For a misnamed file, the fix renames it to `requirements.txt`. It is safe too: the
    file already lists what the author wants installed, and without it Heroku finds no
    package manager file and rejects the push, so the rename cannot stop an app that
    runs. There is no fix when several files look like `requirements.txt`, or a
    `Pipfile` is there too: which one is meant is the author's call.

    | the fix | safety |
    |---|---|
    | saves a UTF-16 requirements file as UTF-8 (no byte order mark, same text); renames a lone misnamed `requirement.txt`, `requirements.text` ... to `requirements.txt` | safe |

    ## References
    - pip, "Requirements File Format: Encoding".
    - django-simple-deploy issue #79 (a UTF-16 requirements.txt rejected by Heroku).
    - Heroku Dev Center, "Python Dependencies via Pip": https://devcenter.heroku.com/articles/python-pip
    """

    code = "DJH602"
    name = "requirements-unreadable"
    message = "the requirements cannot be installed: {detail}"


    INVALID = [
        Case(
            {"requirements.txt": REQUIREMENTS.encode("utf-16")},
            expect=["requirements.txt:1"],
            show=TREE,
            fixed={"requirements.txt": REQUIREMENTS},
        ),
        Case(
            {"requirements.txt": None, "requirement.txt": REQUIREMENTS},
            expect=["requirement.txt:1"],
            show=TREE,
            fixed={"requirement.txt": None, "requirements.txt": REQUIREMENTS},
        ),
        Case({"requirements.txt": "-r requirements/base.txt\n"}, expect=["requirements.txt:1"]),
        Case(
            {"requirements.txt": b"\xfe\xff" + REQUIREMENTS.replace("\n", "\r\n").encode("utf-16-be")},
            expect=["requirements.txt:1"],
            fixed={"requirements.txt": REQUIREMENTS.replace("\n", "\r\n")},
            note="big-endian with CRLF line ends, as PowerShell writes them: the line ends stay",
        ),
        Case(
            {"requirements.txt": REQUIREMENTS.encode("utf-16") + b"gunicorn\n"},
            expect=["requirements.txt:1"],
            note="no fix: the last line was appended as UTF-8",
        ),
        Case(
            {"requirements.txt": None, "requirement.txt": REQUIREMENTS, "Requirements.txt": REQUIREMENTS},
            expect=["Requirements.txt:1", "requirement.txt:1"],
            show=TREE,
            note="no fix: which one is meant?",
        ),
    ]
    VALID = [
        Case({"requirements.txt": REQUIREMENTS}, show=TREE),
        Case({"requirements.txt": b"\xef\xbb\xbf" + REQUIREMENTS.encode("utf-8")}, show=TREE),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for error in ctx.requirements_errors:
            fix = None
            if error.reason == UTF16_TEXT:
                fix = Fix(SAFE, f"save {error.span.file} as UTF-8", intents=(Reencode(error.span.file),))
            yield self.diagnostic(ctx, error.span, fix=fix, detail=explain(error))
        if any(name in ctx.files for name in LOCK_FILES):
            return
        names = ctx.misnamed_requirements
        for name in names:
            shown = repr(name) if name != name.strip() else name
            detail = f"{shown} is not read by Heroku, which looks for requirements.txt, so nothing is installed; rename it to requirements.txt"
            fix = None
            if len(names) == 1 and "Pipfile" not in ctx.files:
                fix = Fix(SAFE, f"rename {shown} to requirements.txt", edits=(Edit.rename(name, "requirements.txt"),))
            yield self.diagnostic(ctx, Span(name), fix=fix, detail=detail)
