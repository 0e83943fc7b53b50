"""What the Procfile rules (DJH303-306) propose: the web line for the project's own
wsgi module.  Shared here, as rules do not import one another."""

from __future__ import annotations

from .context import Context


def app_module(ctx: Context) -> str:
    """The project's own wsgi (or asgi) module, dotted from the project folder."""
    path = ctx.entry_points[0].path if ctx.entry_points else ""
    prefix = ctx.project_dir + "/" if ctx.project_dir else ""
    if path.startswith(prefix) and path.endswith(".py"):
        return path[len(prefix) : -3].replace("/", ".")
    return "mysite.wsgi"


def suggested_web(ctx: Context) -> str:
    """``web: gunicorn mysite.wsgi --log-file -`` for the project's own wsgi module."""
    module = app_module(ctx)
    if module.endswith(".asgi"):
        server = f"gunicorn {module}:application -k uvicorn.workers.UvicornWorker"
    else:
        server = f"gunicorn {module}"
    chdir = f" --chdir {ctx.project_dir}" if ctx.project_dir else ""
    return f"web: {server}{chdir} --log-file -"
