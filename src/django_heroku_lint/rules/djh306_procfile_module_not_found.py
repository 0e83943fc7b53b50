from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ..ftypes import Diagnostic
from ..read.procfile import manage_py_runs
from ..read.records import Process
from .context import Context
from .rule import Case, Rule
from ._procfile import app_module

FLAG_FOR = {"gunicorn": "--chdir", "uvicorn": "--app-dir"}


def _folder(path: str | None, base: str = "") -> str | None:
    """A folder of the build, relative to its root; None when it cannot be known."""
    if path is None:
        return base
    if "$" in path or "~" in path:
        return None
    if path.startswith("/"):
        if path == "/app" or path.startswith("/app/"):
            path = path[len("/app") :].lstrip("/")  # Heroku runs the app from /app
        else:
            return None
    else:
        path = posixpath.join(base, path) if base else path
    path = posixpath.normpath(path) if path else ""
    if path.startswith(".."):
        return None
    return "" if path == "." else path


def search_roots(process: Process) -> list[str] | None:
    """Where the server looks for the app module: its working folder and extra paths."""
    cwd = _folder(process.chdir)
    if cwd is None:
        return None
    roots = [cwd]
    extra = list(process.pythonpath) + [p for p in process.env.get("PYTHONPATH", "").split(":") if p]
    for given in extra:
        folder = _folder(given, cwd)
        if folder is None:
            return None
        roots.append(folder)
    return roots


def module_file(files: frozenset[str], root: str, module: str) -> str | None:
    rel = module.replace(".", "/")
    prefix = root + "/" if root else ""
    for candidate in (f"{prefix}{rel}.py", f"{prefix}{rel}/__init__.py"):
        if candidate in files:
            return candidate
    return None



# The baseline project moved into backend/, the Procfile left at the build root.
IN_BACKEND: dict[str, str | None] = {
    "manage.py": None,
    "mysite/__init__.py": None,
    "mysite/settings.py": None,
    "mysite/urls.py": None,
    "mysite/wsgi.py": None,
    "backend/manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    "backend/mysite/__init__.py": "",
    "backend/mysite/settings.py": "DEBUG = False\n",
    "backend/mysite/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
}

class ProcfileModuleNotFound(Rule):
    """
    ## What it does
    Flags the app module a Procfile process hands to its server (`mysite.wsgi`,
    `config.asgi:application`) when no such module exists where the command runs: the build root, or the folder given by `--chdir`,
    `--app-dir` or a leading `cd dir &&`, plus `--pythonpath` and a `PYTHONPATH=`
    prefix. It judges names that end in `wsgi`/`asgi` and modules that exist in another
    folder of the project, so an app installed from a package is not flagged. A
    `PYTHONPATH` set as a config var is invisible to it. It also flags a
    `python manage.py ...` (a `release: python manage.py migrate`) run where there is no
    `manage.py`, when the project's `manage.py` is in a subfolder.

    ## Why it breaks on Heroku
    The dyno starts in `/app`, the build root. When `manage.py` sits in a subfolder, or
    the project was renamed, the server cannot import the module: the dyno crashes at
    boot with `ModuleNotFoundError` and Heroku reports H10 "App crashed". The build
    itself succeeds, so nothing warns before the first request. A release command that
    cannot find `manage.py` fails the release phase, and Heroku rejects the deploy.

    ## Fix safety
    No automatic fix. The message names the folder where the module was found, if any.

    ## References
    - Gunicorn, "Settings: chdir, pythonpath": https://docs.gunicorn.org/en/stable/settings.html
    - Uvicorn, "--app-dir".
    - Heroku Dev Center, "Heroku Error Codes" (H10): https://devcenter.heroku.com/articles/error-codes
    """

    code = "DJH306"
    name = "procfile-module-not-found"
    message = "{module} does not exist where the {process} process runs ({where}): {consequence}; {remedy}"

    INVALID = [
        Case({"Procfile": "web: gunicorn myproject.wsgi --log-file -\n"}, expect=["Procfile:1"]),
        Case(
            {
                "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
                **IN_BACKEND,
            },
            expect=["Procfile:1"],
        ),
        Case(
            {
                "Procfile": "release: python manage.py migrate --no-input\nweb: gunicorn --chdir backend mysite.wsgi --log-file -\n",
                **IN_BACKEND,
            },
            expect=["Procfile:1"],
            note="cookiecutter-django in backend/: the release phase runs in /app, where there is no manage.py",
        ),
    ]
    VALID = [
        Case({"Procfile": "web: gunicorn mysite.wsgi:application --log-file -\n"}),
        Case(
            {
                "Procfile": "web: gunicorn --chdir backend mysite.wsgi --log-file -\n",
                **IN_BACKEND,
            }
        ),
        Case({"Procfile": "web: cd src && uvicorn mysite.asgi:application --port $PORT\n", "src/mysite/__init__.py": "", "src/mysite/asgi.py": ""}),
        Case(
            {
                "Procfile": "release: cd backend && python manage.py migrate\nworker: python backend/manage.py qcluster\nweb: gunicorn --chdir backend mysite.wsgi --log-file -\n",
                **IN_BACKEND,
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.procfile is None:
            return
        for process in ctx.procfile.processes:
            module = process.app_module
            if process.server is None or module is None or process.app_span is None:
                continue
            roots = search_roots(process)
            if roots is None or any(module_file(ctx.files, root, module) for root in roots):
                continue
            elsewhere = sorted(
                f[: -len(module.replace(".", "/") + ".py")].rstrip("/")
                for f in ctx.files
                if f == module.replace(".", "/") + ".py" or f.endswith("/" + module.replace(".", "/") + ".py")
            )
            if not elsewhere and module.rsplit(".", 1)[-1] not in ("wsgi", "asgi"):
                continue  # maybe an installed package, or an argument mistaken for the app
            where = f"in {roots[0]}/" if roots[0] else "at the build root"
            if elsewhere and not elsewhere[0]:
                fix = "it is at the build root: drop the folder change"
            elif elsewhere:
                folder = elsewhere[0]
                option = FLAG_FOR.get(process.server)
                fix = f"it is in {folder}/: add {option} {folder}" if option else f"it is in {folder}/: start the command with `cd {folder} &&`"
            else:
                fix = f"name the project's own module, e.g. {app_module(ctx)}"
            yield self.diagnostic(
                ctx, process.app_span, module=module, process=process.name, where=where, consequence="the dyno crashes at boot (H10)", remedy=fix
            )
        yield from self.check_manage_py(ctx)

    def check_manage_py(self, ctx: Context) -> Iterator[Diagnostic]:
        """``python manage.py migrate`` run where there is no manage.py."""
        assert ctx.procfile is not None
        for process in ctx.procfile.processes:
            if process.span.file != ctx.procfile.path:
                continue  # a script the web process runs: its own folder changes are not followed
            for folder, script, span in manage_py_runs(process, ctx.procfile.path):
                cwd = _folder(folder or None)
                if cwd is None:
                    continue
                target = _folder(script, cwd)
                if target is None or target in ctx.files:
                    continue
                elsewhere = sorted(f for f in ctx.files if f == "manage.py" or f.endswith("/manage.py"))
                if not elsewhere:
                    continue  # no manage.py at all: not a Django project this rule can place
                where = f"in {cwd}/" if cwd else "at the build root"
                found = elsewhere[0]
                relative = posixpath.relpath(found, cwd or ".")
                remedy = f"it is {found}: run `python {relative} ...`, or start the command with `cd {posixpath.dirname(found) or '.'} &&`"
                consequence = (
                    "the release phase fails and Heroku rejects the deploy" if process.name == "release" else f"the {process.name} process crashes at start"
                )
                yield self.diagnostic(ctx, span, module=script, process=process.name, where=where, consequence=consequence, remedy=remedy)
