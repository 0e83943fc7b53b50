from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, ParseError, Span
from ..requirements import LOCK_FILES
from ..rule import TREE, Case, Rule

REQUIREMENTS = "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"


def explain(error: ParseError) -> str:
    reason = error.reason
    file = error.span.file
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
    No automatic fix yet. The intended fix re-encodes a UTF-16 file as UTF-8; it is safe,
    as the text is unchanged. Renaming a misnamed file is left to the author.

    ## References
    - pip, "Requirements File Format: Encoding".
    - django-simple-deploy issue #79 (a UTF-16 requirements.txt rejected by Heroku).
    - Heroku Dev Center, "Python Dependencies via Pip".
    """

    code = "DJH602"
    name = "requirements-unreadable"
    message = "the requirements cannot be installed: {detail}"

    INVALID = [
        Case({"requirements.txt": REQUIREMENTS.encode("utf-16")}, expect=["requirements.txt:1"], show=TREE),
        Case({"requirements.txt": None, "requirement.txt": REQUIREMENTS}, expect=["requirement.txt:1"], show=TREE),
        Case({"requirements.txt": "-r requirements/base.txt\n"}, expect=["requirements.txt:1"]),
    ]
    VALID = [
        Case({"requirements.txt": REQUIREMENTS}, show=TREE),
        Case({"requirements.txt": b"\xef\xbb\xbf" + REQUIREMENTS.encode("utf-8")}, show=TREE),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for error in ctx.requirements_errors:
            yield self.diagnostic(ctx, error.span, detail=explain(error))
        if any(name in ctx.files for name in LOCK_FILES):
            return
        for name in ctx.misnamed_requirements:
            shown = repr(name) if name != name.strip() else name
            detail = f"{shown} is not read by Heroku, which looks for requirements.txt, so nothing is installed; rename it to requirements.txt"
            yield self.diagnostic(ctx, Span(name), detail=detail)
