from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, Span
from ..rule import TREE, Case, Rule

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
    No automatic fix yet. Renaming the file keeps its content and is safe.

    ## References
    - Heroku Dev Center, "The Procfile".
    - HAZARDS.md, "Procfile".
    """

    code = "DJH301"
    name = "procfile-misnamed"
    message = '{file} is not read by Heroku, which wants a file named exactly "Procfile": no web process starts (H14); rename it to Procfile'

    INVALID = [
        Case({"Procfile": None, "Procfile.txt": PROCFILE}, expect=["Procfile.txt:1"], show=TREE),
        Case({"Procfile": None, "procfile": PROCFILE}, expect=["procfile:1"], show="procfile"),
    ]
    VALID = [
        Case({"Procfile": PROCFILE}, show=TREE),
        Case({"Procfile.windows": "web: python manage.py runserver 0.0.0.0:5000\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for name in ctx.misnamed_procfiles:
            yield self.diagnostic(ctx, Span(name), file=name)
