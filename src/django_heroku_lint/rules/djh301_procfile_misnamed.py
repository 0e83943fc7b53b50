from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix, Span
from .context import Context
from .rule import TREE, Case, Rule

PROCFILE = "web: gunicorn mysite.wsgi --log-file -\n"


class ProcfileMisnamed(Rule):
    """
    ## What it does
    Flags a file at the build root that is meant to be the Procfile but is not named
    exactly `Procfile`: another case (`procfile`, `PROCFILE`) or an extension
    (`Procfile.txt`, the usual gift of Windows Notepad). `Procfile.windows` and the
    local-development variants (`Procfile.dev`, `Procfile.local`) are legitimate and
    left alone, and nothing is reported when a real `Procfile` exists.

    ## Why it breaks on Heroku
    Heroku reads only `Procfile`, case-sensitively, with no extension; its docs say
    "Procfile.txt is not valid". With any other name the build says
    "Procfile declares types -> (none)", no web dyno starts, and every request fails
    with H14 "No web processes running". The buildpack does not warn about the name.

    ## Fix safety
    The fix renames the file to `Procfile`, its content unchanged. It is safe: the file
    already says what the author wants Heroku to run. A change of case alone
    (`procfile`) goes through a temporary name, so it works on case-insensitive file
    systems (macOS, Windows). There, git goes on tracking the old name, and djhlint
    reads what git lists: record the new one with `git mv -f procfile Procfile`. When
    several files look like a Procfile there is no fix: pick one yourself. Nor is there
    one for a file djhlint cannot read (a DJH000 says why: a dangling link, a FIFO).

    | the fix | safety |
    |---|---|
    | renames `Procfile.txt`, `procfile` ... to `Procfile` (a case-only rename works on case-insensitive file systems); nothing when several candidates exist | safe |

    ## References
    - Heroku Dev Center, "The Procfile": https://devcenter.heroku.com/articles/procfile
    - Heroku Dev Center, "Heroku Error Codes" (H14): https://devcenter.heroku.com/articles/error-codes
    """

    code = "DJH301"
    name = "procfile-misnamed"
    message = '{file} is not read by Heroku, which wants a file named exactly "Procfile": no web process starts (H14); rename it to Procfile'

    INVALID = [
        Case(
            {"Procfile": None, "Procfile.txt": PROCFILE},
            expect=["Procfile.txt:1"],
            show=TREE,
            fixed={"Procfile.txt": None, "Procfile": PROCFILE},
        ),
        Case(
            {"Procfile": None, "procfile": PROCFILE},
            expect=["procfile:1"],
            show="procfile",
            fixed={"procfile": None, "Procfile": PROCFILE},
        ),
        Case(
            {"Procfile": None, "procfile": PROCFILE, "Procfile.txt": PROCFILE},
            expect=["Procfile.txt:1", "procfile:1"],
            show=TREE,
            note="no fix: which one is meant?",
        ),
    ]
    VALID = [
        Case({"Procfile": PROCFILE}, show=TREE),
        Case({"Procfile.windows": "web: python manage.py runserver 0.0.0.0:5000\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        names = ctx.misnamed_procfiles
        unreadable = {error.span.file for error in ctx.parse_errors}  # a FIFO, a dangling link: a DJH000 says why
        for name in names:
            fixable = len(names) == 1 and name not in unreadable
            fix = Fix(SAFE, f"rename {name} to Procfile", edits=(Edit.rename(name, "Procfile"),)) if fixable else None
            yield self.diagnostic(ctx, Span(name), fix=fix, file=name)
