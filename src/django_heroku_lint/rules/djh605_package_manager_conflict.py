from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from ..read.requirements import LOCK_FILES
from .rule import TREE, Case, Rule

LOCK = '[[package]]\nname = "django"\nversion = "5.2.8"\n'


class PackageManagerConflict(Rule):
    """
    ## What it does
    Flags a build root that gives Heroku's Python build more than one answer, or an
    incomplete one:
    - more than one of `requirements.txt`, `Pipfile.lock`, `poetry.lock`, `uv.lock`;
    - a `Pipfile` without its `Pipfile.lock` (and no other package manager file);
    - a committed virtualenv (a folder holding `pyvenv.cfg`): inside git, one git lists;
      outside git, one the `.gitignore` does not ignore (with no `.gitignore`, nothing
      is judged).

    ## Why it breaks on Heroku
    The buildpack installs with exactly one package manager. With several files it stops
    rather than guess which one is true (they drift apart: a package added with
    `poetry add` is missing from a forgotten `requirements.txt`). It installs Pipenv
    projects only from the lock file. A committed virtualenv holds binaries built for
    another machine and breaks the build.

    ## Fix safety
    No automatic fix: which package manager the project uses is the author's call.

    ## References
    - Heroku Dev Center, "Python Dependencies" (one package manager file).
    - Heroku Dev Center, "Python Dependencies via Pip": https://devcenter.heroku.com/articles/python-pip
    - heroku-buildpack-python, which refuses several package manager files: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH605"
    name = "package-manager-conflict"
    per_build_root = True
    message = "{problem}: Heroku's Python build fails; {remedy}"

    INVALID = [
        Case({"poetry.lock": LOCK, "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.13"\ndjango = "^5.2"\n'}, expect=["poetry.lock:1"], show=TREE),
        Case({"requirements.txt": None, "Pipfile": '[packages]\ndjango = "*"\ngunicorn = "*"\n'}, expect=["Pipfile:1"], show=TREE),
        Case({".gitignore": "__pycache__/\n", "venv/pyvenv.cfg": "home = /usr/bin\n"}, expect=["venv/pyvenv.cfg:1"], show=".gitignore"),
    ]
    VALID = [
        Case({}, show=TREE),
        Case({"requirements.txt": None, "uv.lock": LOCK, "pyproject.toml": '[project]\nname = "mysite"\nversion = "1"\ndependencies = ["django"]\n'}, show=TREE),
        Case({".gitignore": "venv/\n", "venv/pyvenv.cfg": "home = /usr/bin\n"}, show=".gitignore"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        root = {f for f in ctx.files if "/" not in f}
        present = [name for name in LOCK_FILES if name in root]
        for name in present[1:]:
            yield self.diagnostic(
                ctx, Span(name), problem=f"{name} and {present[0]} are both at the build root", remedy="keep the files of one package manager and delete the others"
            )
        if "Pipfile" in root and not present:
            yield self.diagnostic(ctx, Span("Pipfile"), problem="the Pipfile has no Pipfile.lock", remedy="run `pipenv lock` and commit Pipfile.lock")
        for folder in ctx.committed_venvs:
            how = "is tracked or not ignored by git" if ctx.in_git else "is not ignored by .gitignore, so git would commit it"
            yield self.diagnostic(
                ctx,
                Span(f"{folder}/pyvenv.cfg"),
                problem=f"the virtualenv {folder}/ {how}",
                remedy=f"run `git rm -r --cached {folder}` and add {folder}/ to .gitignore",
            )
