from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from .rule import Case, Rule

DOTENV = "SECRET_KEY=dj9oh154y8eh320QZX3\nDATABASE_URL=postgres://user:password@localhost/mysite\n"


class DotenvCommitted(Rule):
    """
    ## What it does
    Flags a `.env` file that git tracks or would add, when it holds a secret: a variable
    named for a key, password, token or credential (`SECRET_KEY`, `DB_PASSWORD`,
    `GITHUB_TOKEN`, `STRIPE_API_KEY`) with a value, or a URL with a password
    (`postgres://user:password@host/db`). A `.env` that sets only such things as
    `WEB_CONCURRENCY=2` or `ENVIRONMENT=development` leaks nothing and is fine: Heroku's
    reference app commits one for `heroku local`. `.env.local`, `.env.production` and
    the like count too; `.env.example`, `.env.sample`, `.env.template` and `.env.test`
    do not. It reports:
    - inside a git repository, any such file git lists, which means it is tracked or not
      ignored: tracked although `.gitignore` ignores it (it was committed first), or
      simply not ignored;
    - outside git, one that the project's `.gitignore` does not ignore (with no
      `.gitignore` at all, nothing is judged);
    - and it explains the usual cause: a `.gitignore` line such as `.env  # secrets`,
      which matches nothing because gitignore has no trailing comments.

    What it does not catch: a secret under a name that says nothing (`STRIPE=sk_live_...`),
    or one in a file not named `.env*`; a `.env` djhlint will not read (too large, a FIFO)
    is reported as if it held one.

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
    per_build_root = True
    message = "{path} {state}: its secrets ({names}) end up in the repository for good; {remedy}"

    INVALID = [
        Case({".gitignore": ".env  # local secrets\n", ".env": DOTENV}, expect=[".gitignore:1"]),
        Case({".gitignore": "__pycache__/\n", ".env": DOTENV}, expect=[".env:1"], show=".gitignore"),
        Case({".gitignore": ".env\n!mysite/.env\n", "mysite/.env": DOTENV}, expect=["mysite/.env:1"], show=".gitignore"),
        Case(
            {".gitignore": "__pycache__/\n", ".env": "WEB_CONCURRENCY=2\nDATABASE_URL=postgres://mysite:s3cr3t@localhost/mysite\n"},
            expect=[".env:1"],
            note="a URL with a password",
        ),
    ]
    VALID = [
        Case({".gitignore": "# local secrets\n.env\n", ".env": DOTENV}),
        Case({".gitignore": "*.pyc\n", ".env.example": "SECRET_KEY=\n"}),
        Case({".gitignore": "/mysite/.env*\n!/mysite/.env.example\n", "mysite/.env": DOTENV}),
        Case(
            {".gitignore": "__pycache__/\n", ".env": 'ENVIRONMENT="development"\nPYTHONUNBUFFERED=1\nWEB_CONCURRENCY=2\nDATABASE_URL=postgres://localhost/mysite\n'},
            show=".env",
            note="no secret in it: what Heroku's reference app commits for `heroku local`",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for dotenv in ctx.dotenv_files:
            if dotenv.secrets == []:
                continue  # nothing in it is a secret
            path = dotenv.path
            names = ", ".join(dotenv.secrets[:3]) + (", ..." if len(dotenv.secrets) > 3 else "") if dotenv.secrets else "unread"
            if dotenv.comment_trap is not None:
                line = dotenv.comment_trap.line
                state = f"is not ignored (.gitignore line {line} has a trailing comment, and gitignore has none: the line matches nothing)"
                yield self.diagnostic(ctx, dotenv.comment_trap, path=path, state=state, names=names, remedy="move the comment to a line of its own")
            elif dotenv.ignored_by is not None:
                state = "is tracked by git although .gitignore ignores it"
                fix = f"run `git rm --cached {path}`, commit, and rotate every secret in it"
                yield self.diagnostic(ctx, Span(path), path=path, state=state, names=names, remedy=fix)
            else:
                state = "is not ignored, so `git add` commits it" if ctx.in_git else "is not ignored by .gitignore, so git would commit it"
                yield self.diagnostic(ctx, Span(path), path=path, state=state, names=names, remedy=f"add {path.rsplit('/', 1)[-1]} to .gitignore")
