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

    It stays silent when the build root's `package.json` has a `heroku-postbuild`
    script: only the Node.js buildpack runs that script, so its author runs that
    buildpack on purpose, next to Python's. It is also silent when `.slugignore` lists
    `package.json` (the file is removed before detection) and when the `package.json`
    sits below the build root (`frontend/package.json`, or one at the repository's top
    when the app is built from `backend/`): detection looks at the build root only.

    ## Why it breaks on Heroku
    With no buildpack set, Heroku tries its buildpacks in a fixed order (Ruby, Node.js,
    Clojure, Python, ...) and builds with the first whose detection matches. The
    Node.js buildpack's `bin/detect` matches any build root holding a `package.json`,
    and comes before Python's. A `package.json` added for Tailwind or esbuild makes
    Heroku build a Node.js app: Python, Django and gunicorn are never installed,
    collectstatic never runs, and the web process fails to start. The Python buildpack
    does nothing with `package.json`. Once a build succeeds, Heroku keeps the detected
    buildpack for the app's later pushes, so the trap springs on a new app, a review app
    or an app created from `app.json`; an older app keeps building with Python until its
    buildpacks are cleared.

    Checked against the buildpacks' source: the Node.js buildpack's `bin/detect` (a
    `package.json` at the build root, or a `.slugignore`/`.gitignore` that removes it),
    its `bin/compile` and `lib/package_manager.sh` (which run `heroku-postbuild`), and
    the Python buildpack's `bin/detect` (its own files; nothing of `package.json`).

    ## Fix safety
    No automatic fix: the buildpacks are set on the app
    (`heroku buildpacks:set heroku/python`, plus `heroku buildpacks:add --index 1
    heroku/nodejs` when the assets need Node), or listed in `app.json` for review apps.

    ## References
    - Heroku Dev Center, "Buildpacks" (detection order): https://devcenter.heroku.com/articles/buildpacks
    - Heroku Dev Center, "Using Multiple Buildpacks for an App": https://devcenter.heroku.com/articles/using-multiple-buildpacks-for-an-app
    - Node.js buildpack, detection: https://github.com/heroku/heroku-buildpack-nodejs/blob/main/bin/detect
    - Node.js buildpack, build scripts: https://github.com/heroku/heroku-buildpack-nodejs/blob/main/lib/package_manager.sh
    - Python buildpack, detection: https://github.com/heroku/heroku-buildpack-python/blob/main/bin/detect
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
        Case(
            {"package.json": '{\n  "scripts": {"heroku-postbuild": "npm run build", "build": "tailwindcss -o static/app.css"}\n}\n'},
            note="heroku-postbuild runs only under the Node.js buildpack: it is set on purpose",
        ),
        Case({"package.json": PACKAGE_JSON, ".slugignore": "package.json\n"}, show=".slugignore"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if "package.json" not in ctx.files or "heroku.yml" in ctx.files or "project.toml" in ctx.files:
            return
        named = (ctx.app_json_buildpacks or []) + (ctx.buildpacks_file or [])
        if any("python" in pack.lower() for pack in named):
            return
        if "heroku-postbuild" in (ctx.package_json_scripts or []):
            return  # a script only the Node.js buildpack runs: its author sets the buildpacks
        if any(line in ("package.json", "/package.json") for line in ctx.slugignore or []):
            return  # removed before detection
        yield self.diagnostic(ctx, Span("package.json"))
