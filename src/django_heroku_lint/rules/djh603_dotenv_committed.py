from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from .rule import Case, Rule

DOTENV = "SECRET_KEY=dj9oh154y8eh320QZX3\nDATABASE_URL=postgres://user:password@localhost/mysite\n"


class DotenvCommitted(Rule):
    """
    ## What it does
    Flags a `.env` file that git tracks or would add. `.env.local`, `.env.production` and
    the like count too; `.env.example`, `.env.sample`, `.env.template` and `.env.test`
    do not. It reports:
    - inside a git repository, any such file git lists, which means it is tracked or not
      ignored: tracked although `.gitignore` ignores it (it was committed first), or
      simply not ignored;
    - outside git, one that the project's `.gitignore` does not ignore (with no
      `.gitignore` at all, nothing is judged);
    - and it explains the usual cause: a `.gitignore` line such as `.env  # secrets`,
      which matches nothing because gitignore has no trailing comments.

    ## Why it breaks on Heroku
    `.env` holds the real `SECRET_KEY`, database password and API keys for local runs
    (python-decouple and django-environ read it). Pushed to GitHub or to Heroku's git,
    they stay in the history forever: anyone with the repository has them. On Heroku
    they belong in config vars. Secret scanners catch some formats, not a Django key.

    ## Fix safety
    No automatic fix: the file must leave the index (`git rm --cached .env`), and the
    secrets in it must be rotated, since history keeps them.

    ## References
    - gitignore(5): "A line starting with # serves as a comment" (only at the start).
    - Heroku Dev Center, "Configuration and Config Vars": https://devcenter.heroku.com/articles/config-vars
    """

    code = "DJH603"
    name = "dotenv-committed"
    message = "{path} {state}: its secrets end up in the repository for good; {remedy}"

    INVALID = [
        Case({".gitignore": ".env  # local secrets\n", ".env": DOTENV}, expect=[".gitignore:1"]),
        Case({".gitignore": "__pycache__/\n", ".env": DOTENV}, expect=[".env:1"], show=".gitignore"),
        Case({".gitignore": ".env\n!mysite/.env\n", "mysite/.env": DOTENV}, expect=["mysite/.env:1"], show=".gitignore"),
    ]
    VALID = [
        Case({".gitignore": "# local secrets\n.env\n", ".env": DOTENV}),
        Case({".gitignore": "*.pyc\n", ".env.example": "SECRET_KEY=\n"}),
        Case({".gitignore": "/mysite/.env*\n!/mysite/.env.example\n", "mysite/.env": DOTENV}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for dotenv in ctx.dotenv_files:
            path = dotenv.path
            if dotenv.comment_trap is not None:
                line = dotenv.comment_trap.line
                state = f"is not ignored (.gitignore line {line} has a trailing comment, and gitignore has none: the line matches nothing)"
                yield self.diagnostic(ctx, dotenv.comment_trap, path=path, state=state, remedy="move the comment to a line of its own")
            elif dotenv.ignored_by is not None:
                state = "is tracked by git although .gitignore ignores it"
                fix = f"run `git rm --cached {path}`, commit, and rotate every secret in it"
                yield self.diagnostic(ctx, Span(path), path=path, state=state, remedy=fix)
            else:
                state = "is not ignored, so `git add` commits it" if ctx.in_git else "is not ignored by .gitignore, so git would commit it"
                yield self.diagnostic(ctx, Span(path), path=path, state=state, remedy=f"add {path.rsplit('/', 1)[-1]} to .gitignore")
