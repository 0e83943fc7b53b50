from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix, ParseError, Span
from .context import Context
from ..read.python import UTF16_MIXED
from ..read.requirements import LOCK_FILES
from .rule import TREE, Case, Rule

REQUIREMENTS = "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"


def explain(error: ParseError) -> str:
    reason = error.reason
    file = error.span.file
    if reason == UTF16_MIXED:
        return (
            f"{file} starts as UTF-16 but has bytes that are not (a line appended as UTF-8 to a PowerShell redirect?): "
            "pip cannot decode it and the push is rejected; save it as UTF-8"
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
    includes with `-r`, that starts as UTF-16 but does not decode as UTF-16 (a line
    appended as UTF-8 to a PowerShell `pip freeze > requirements.txt`), that is neither
    UTF-8 nor UTF-16 with a byte order mark, or that is missing; and a misnamed
    `requirements.txt` (`requirement.txt`, `requirements.text`, `Requirements.txt`, a
    trailing space) when no file Heroku installs from is present.

    A byte order mark is fine, UTF-8 or UTF-16: pip decodes the file by it (checked in
    pip's source, `pip/_internal/req/req_file.py`, which reads every requirements file
    through `auto_decode` in `pip/_internal/utils/encoding.py`, and with pip itself on a
    UTF-16 file written by PowerShell). What it does not catch: a file in a legacy
    encoding that happens to decode as UTF-8, and what pip finds wrong inside the lines.

    ## Why it breaks on Heroku
    Heroku installs from a file named exactly `requirements.txt`, decoded as UTF-8. A
    misnamed file means nothing is installed (or the build stops for lack of a package
    manager file). pip decodes UTF-16 by its byte order mark, but one line appended by a
    UTF-8 tool (`echo gunicorn >> requirements.txt`) makes the file undecodable and the
    push is rejected with a `UnicodeDecodeError`. A missing `-r` include stops pip too.

    ## Fix safety
    A file that is only partly UTF-16 (a line appended as UTF-8) gets no fix, as part of
    its text would have to be guessed.

    For a misnamed file, the fix renames it to `requirements.txt`. It is safe too: the
    file already lists what the author wants installed, and without it Heroku finds no
    package manager file and rejects the push, so the rename cannot stop an app that
    runs. There is no fix when several files look like `requirements.txt`, or a
    `Pipfile` is there too: which one is meant is the author's call.

    | the fix | safety |
    |---|---|
    | renames a lone misnamed `requirement.txt`, `requirements.text` ... to `requirements.txt` (a UTF-16 file with a byte order mark needs nothing: pip decodes it) | safe |

    ## References
    - pip, "Requirements File Format: Encoding".
    - django-simple-deploy issue #79 (a UTF-16 requirements.txt rejected by Heroku: pip's
      `auto_decode` stops on "truncated data", bytes after the UTF-16 text).
    - Heroku Dev Center, "Python Dependencies via Pip": https://devcenter.heroku.com/articles/python-pip
    """

    code = "DJH602"
    name = "requirements-unreadable"
    per_build_root = True
    message = "the requirements cannot be installed: {detail}"

    INVALID = [
        Case(
            {"requirements.txt": None, "requirement.txt": REQUIREMENTS},
            expect=["requirement.txt:1"],
            show=TREE,
            fixed={"requirement.txt": None, "requirements.txt": REQUIREMENTS},
        ),
        Case({"requirements.txt": "-r requirements/base.txt\n"}, expect=["requirements.txt:1"]),
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
        Case({"requirements.txt": REQUIREMENTS.encode("utf-16")}, show=TREE, note="UTF-16 with a byte order mark: pip decodes it"),
        Case(
            {"requirements.txt": b"\xfe\xff" + REQUIREMENTS.replace("\n", "\r\n").encode("utf-16-be")},
            show=TREE,
            note="big-endian with CRLF line ends, as PowerShell writes them",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for error in ctx.requirements_errors:
            yield self.diagnostic(ctx, error.span, detail=explain(error))
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
