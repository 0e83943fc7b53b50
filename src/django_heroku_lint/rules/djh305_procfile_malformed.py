from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from ..read.procfile import SERVERS
from .rule import Case, Rule
from ._procfile import suggested_web


class ProcfileMalformed(Rule):
    """
    ## What it does
    Flags Procfile lines Heroku skips or cannot run: a line that is not `name: command`
    (no colon, an indented line, a name with spaces or dots, a pasted shell prompt such
    as `$ gunicorn ...` or `heroku ps:scale web=1`), a process with no command, a
    command that runs the `heroku` CLI, a process name used twice, and a `release:`
    process that starts a web server. Blank lines and `#` comments are fine.

    ## Why it breaks on Heroku
    Heroku reads each line as `name: command` and silently skips what does not match, so
    a typo removes a process without a word: a missing `web` means H14. The `heroku` CLI
    does not exist on a dyno. With a name declared twice only one command survives. The
    release phase waits for its command to exit before the new release goes live; a web
    server never exits, so the deploy never completes.

    ## Fix safety
    No automatic fix: what a broken line was meant to say is the author's call.

    ## References
    - Heroku Dev Center, "The Procfile" (format): https://devcenter.heroku.com/articles/procfile
    - Heroku Dev Center, "Release Phase": https://devcenter.heroku.com/articles/release-phase
    """

    code = "DJH305"
    name = "procfile-malformed"
    message = "malformed Procfile line: {detail}"

    INVALID = [
        Case({"Procfile": "web gunicorn mysite.wsgi --log-file -\n"}, expect=["Procfile:1"]),
        Case({"Procfile": "web: gunicorn mysite.wsgi --log-file -\nheroku ps:scale web=1\n"}, expect=["Procfile:2"]),
        Case(
            {"Procfile": "web: gunicorn mysite.wsgi --log-file -\nweb: python manage.py runserver 0.0.0.0:$PORT\n"},
            expect=["Procfile:2"],
        ),
        Case(
            {"Procfile": "release: gunicorn mysite.wsgi --log-file -\nweb: gunicorn mysite.wsgi --log-file -\n"},
            expect=["Procfile:1"],
        ),
        Case({"Procfile": "release: heroku run python manage.py migrate\nweb: gunicorn mysite.wsgi --log-file -\n"}, expect=["Procfile:1"]),
    ]
    VALID = [
        Case({"Procfile": "# processes\nrelease: python manage.py migrate --noinput\n\nweb: gunicorn mysite.wsgi --log-file -\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        procfile = ctx.procfile
        if procfile is None:
            return
        found: list[tuple[int, Span, str]] = []
        for bad in procfile.bad_lines:
            if bad.reason.startswith("no command"):
                detail = f"{bad.reason}, so the process cannot start; write the command after the colon"
            elif bad.reason.startswith("it is indented"):
                detail = f"{bad.reason}, so Heroku ignores it; remove the leading spaces"
            elif bad.reason.startswith("it is a shell command"):
                detail = f"{bad.reason}, so Heroku ignores it; run it in a terminal and delete the line"
            else:
                detail = f"{bad.reason}, so Heroku ignores it; write `name: command`, e.g. `{suggested_web(ctx)}`"
            found.append((bad.line, bad.span, detail))
        seen: dict[str, int] = {}
        for process in procfile.processes:
            if not process.command:
                continue  # reported as a bad line
            words = process.command.split()
            if process.name in seen:
                found.append(
                    (process.line, process.span, f"`{process.name}` is already declared on line {seen[process.name]}, so only one of them runs; give each process its own name")
                )
            seen.setdefault(process.name, process.line)
            if words and words[0] == "heroku":
                found.append(
                    (process.line, process.span, "the `heroku` CLI does not exist on a dyno; write the command itself, e.g. `release: python manage.py migrate`")
                )
            elif process.name == "release" and (process.server in SERVERS or "runserver" in words):
                found.append(
                    (process.line, process.server_span or process.span, "`release` starts a web server, which never exits, so the deploy never goes live; run it as `web:` and keep `release:` for migrations")
                )
        for _, span, detail in sorted(found, key=lambda item: item[0]):
            yield self.diagnostic(ctx, span, detail=detail)
