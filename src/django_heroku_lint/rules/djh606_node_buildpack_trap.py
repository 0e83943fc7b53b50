from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from .rule import TREE, Case, Rule

PACKAGE_JSON = '{\n  "name": "mysite-assets",\n  "scripts": {"build": "tailwindcss -o static/app.css"}\n}\n'


class NodeBuildpackTrap(Rule):
    """
    ## What it does
    Flags a `package.json` at the build root when nothing in the repository makes Heroku
    use the Python buildpack: no `buildpacks` in `app.json` naming Python, no
    `.buildpacks` file naming it, no `heroku.yml` (a container build) and no
    `project.toml`. Buildpacks set with `heroku buildpacks:set` live in the app's
    settings and cannot be seen: if you set them there, turn the rule off with
    `ignore = ["DJH606"]`.

    ## Why it breaks on Heroku
    With no buildpack set, Heroku picks the first one whose detection matches, and the
    Node.js buildpack comes before Python's. A `package.json` added for Tailwind or
    esbuild makes Heroku build a Node.js app: Python, Django and gunicorn are never
    installed, collectstatic never runs, and the web process fails to start.

    ## Fix safety
    No automatic fix: the buildpacks are set on the app
    (`heroku buildpacks:set heroku/python`, plus `heroku buildpacks:add --index 1
    heroku/nodejs` when the assets need Node), or listed in `app.json` for review apps.

    ## References
    - Heroku Dev Center, "Buildpacks" (detection order): https://devcenter.heroku.com/articles/buildpacks
    - Heroku Dev Center, "Using Multiple Buildpacks for an App".
    """

    code = "DJH606"
    name = "node-buildpack-trap"
    per_build_root = True
    message = "package.json makes Heroku build this app as Node.js, so Python and Django are never installed; set the buildpacks: heroku buildpacks:set heroku/python (then add heroku/nodejs at index 1 if needed)"

    INVALID = [
        Case({"package.json": PACKAGE_JSON}, expect=["package.json:1"], show=TREE),
        Case(
            {"package.json": PACKAGE_JSON, "app.json": '{"buildpacks": [{"url": "heroku/nodejs"}]}\n'},
            expect=["package.json:1"],
            show="app.json",
        ),
    ]
    VALID = [
        Case(
            {"package.json": PACKAGE_JSON, "app.json": '{"buildpacks": [{"url": "heroku/nodejs"}, {"url": "heroku/python"}]}\n'},
            show="app.json",
        ),
        Case({"package.json": PACKAGE_JSON, ".buildpacks": "https://github.com/heroku/heroku-buildpack-nodejs\nhttps://github.com/heroku/heroku-buildpack-python\n"}),
        Case({"mysite/static/package.json": PACKAGE_JSON}, show=TREE),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if "package.json" not in ctx.files or "heroku.yml" in ctx.files or "project.toml" in ctx.files:
            return
        named = (ctx.app_json_buildpacks or []) + (ctx.buildpacks_file or [])
        if any("python" in pack.lower() for pack in named):
            return
        yield self.diagnostic(ctx, Span("package.json"))
