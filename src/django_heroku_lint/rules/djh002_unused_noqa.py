from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix, Span
from ..read.python import NoqaComment, noqa_token
from ._baseline import SETTINGS
from .context import Context
from .rule import Case, Rule

CODE, NAME = "DJH002", "unused-noqa"
ALLOWED = 'ALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost", cast=Csv())'


def _with(line: str) -> str:
    """The baseline settings module with its ALLOWED_HOSTS line replaced by ``line``."""
    return SETTINGS.replace(ALLOWED, line)


def _fix(path: str, comment: NoqaComment, stale: set[int]) -> Fix:
    """Remove the stale codes from the comment, or the whole comment when none is left."""
    kept = [token for index, (token, _, _) in enumerate(comment.tokens) if index not in stale]
    if kept:  # the codes other rules (or other tools) still use stay, in their order
        first, last = comment.tokens[0][1], comment.tokens[-1][2]
        edit = Edit.replace(Span(path, comment.line, first, comment.line, last), ", ".join(kept))
    elif comment.trailing:  # an explanation after the codes stays, as a comment of its own
        edit = Edit.replace(Span(path, comment.line, comment.start, comment.line, comment.end), "#")
    else:  # the comment and the blanks before it
        start = comment.start - comment.leading_space
        edit = Edit.replace(Span(path, comment.line, start, comment.line, comment.end), "")
    return Fix(SAFE, "remove the codes that suppress nothing" if kept else "remove the noqa comment", edits=(edit,))


class UnusedNoqa(Rule):
    """
    ## What it does
    Flags a noqa comment that names a djhlint rule which reports nothing on its line, or
    a code or rule name that is no djhlint rule (`DJH999`), as ruff's RUF100 does. It
    judges the comments of the Python modules djhlint reads (the settings modules the
    deployment runs, `wsgi.py`, `asgi.py`). A comment may name codes (`# noqa: DJH101`)
    and rule names (`# noqa: allowed-hosts-wildcard`) alike; each silences only that
    rule on that line.

    djhlint computes this rule after all the others, from what their `# noqa` comments
    suppressed: a rule a comment names counts even when `--select` or `ignore` leaves it
    out, so a comment that still guards a line is never reported. Turning this rule off
    (`ignore = ["DJH002"]`, or `# noqa: DJH002` on the line) keeps every comment quiet.

    It does not judge a bare `# noqa` (which silences every rule, and often serves
    flake8 or ruff), nor a comment on a line of its own (which suppresses nothing, and
    is mostly prose about a noqa), nor the codes of other tools (`F401`, `E501`), nor a comment in a
    module djhlint does not read or whose lines it cannot number as Python does (one
    holding a form feed or a lone carriage return).

    ## Why it breaks on Heroku
    A `# noqa` outlives the problem it silenced: once the line is fixed, the comment
    stays and silences the same rule when the problem comes back, so the next hazard
    ships to Heroku unreported. A misspelt code (`# noqa: DJH011`) silences nothing
    while looking like it does.

    ## Fix safety
    The fix removes the codes that suppress nothing from the comment and keeps the
    others (also other tools' codes); when none is left it removes the comment, and an
    explanation after the codes stays a comment. It is safe: a comment does not change
    what the code does, and no diagnostic comes back, since the removed codes suppressed
    none.

    | the fix | safety |
    |---|---|
    | removes the unused or unknown codes from a `# noqa: CODES` comment, or the comment when none is left | safe |

    ## References
    - ruff, "unused-noqa (RUF100)": https://docs.astral.sh/ruff/rules/unused-noqa/
    - ruff, "Error suppression": https://docs.astral.sh/ruff/linter/#error-suppression
    - flake8, "In-line Ignoring Errors": https://flake8.pycqa.org/en/latest/user/violations.html#in-line-ignoring-errors
    """

    code = CODE
    name = NAME
    message = "`# noqa` that suppresses nothing ({what}): remove it, or the codes it names"

    INVALID = [
        Case(
            {"mysite/settings.py": _with(ALLOWED + "  # noqa: DJH101")},
            expect=["mysite/settings.py:10"],
            fixed={"mysite/settings.py": SETTINGS},
        ),
        Case(
            {"mysite/settings.py": _with('ALLOWED_HOSTS = ["*"]  # noqa: DJH011, DJH101')},
            expect=["mysite/settings.py:10"],
            fixed={"mysite/settings.py": _with('ALLOWED_HOSTS = ["*"]  # noqa: DJH101')},
            note="DJH011 is no rule: a typo that silences nothing",
        ),
        Case(
            {"mysite/settings.py": _with(ALLOWED + "  # noqa: E501, allowed-hosts-wildcard")},
            expect=["mysite/settings.py:10"],
            fixed={"mysite/settings.py": _with(ALLOWED + "  # noqa: E501")},
        ),
        Case(
            {"mysite/settings.py": _with(ALLOWED + "  # noqa: DJH101 (staging accepts any host)")},
            expect=["mysite/settings.py:10"],
            fixed={"mysite/settings.py": _with(ALLOWED + "  # (staging accepts any host)")},
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": _with('ALLOWED_HOSTS = ["*"]  # noqa: allowed-hosts-wildcard')}),
        Case({"mysite/settings.py": _with('ALLOWED_HOSTS = ["*"]  # noqa: DJH101')}),
        Case({"mysite/settings.py": _with(ALLOWED + "  # noqa")}),
        Case({"mysite/settings.py": _with(ALLOWED + "  # noqa: E501")}),
        Case({"mysite/settings.py": _with(ALLOWED + '\nX = "# noqa: DJH101"')}),
        Case({"mysite/settings.py": _with("# A noqa: DJH101 here would silence the wildcard.\n" + ALLOWED)}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for path, comments in sorted(ctx.noqa_comments.items()):
            for comment in comments:
                unused, unknown, stale = [], [], set()
                for index, (token, _, _) in enumerate(comment.tokens):
                    name = noqa_token(token)
                    if name in (CODE, NAME):
                        continue
                    if name in ctx.known_rules:
                        if (path, comment.line, name) not in ctx.noqa_used:
                            unused.append(name)
                            stale.add(index)
                    elif name.startswith("DJH") or "-" in name:  # ours by its shape, but no rule
                        unknown.append(name)
                        stale.add(index)
                if not stale:
                    continue
                what = "; ".join(
                    part
                    for part in (
                        f"unused: {', '.join(unused)}" if unused else "",
                        f"unknown: {', '.join(unknown)}" if unknown else "",
                    )
                    if part
                )
                span = Span(path, comment.line, comment.start, comment.line, comment.end)
                yield self.diagnostic(ctx, span, fix=_fix(path, comment, stale), what=what)
