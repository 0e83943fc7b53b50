from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix
from .context import Context
from .rule import Case, Rule

PKG_RESOURCES = "pkg-resources"  # normalised: pkg_resources, pkg.resources, PKG-Resources
WINDOWS_ONLY = ("pywin32", "pypiwin32", "pywinpty")  # exact names: pywin32-ctypes installs on Linux


def _local_problem(target: str, editable: bool) -> str | None:
    """Why pip on Heroku cannot install from ``target``; None when it may."""
    lowered = target.lower()
    if lowered.startswith("file:"):
        return f"{target} is a file:// path on the machine that wrote it"
    if "://" in target or lowered.startswith(("git+", "hg+", "svn+", "bzr+")):
        return None  # a remote URL or a VCS checkout: installable if reachable
    if target.startswith(("/", "~", "\\")) or (len(target) > 2 and target[1] == ":" and target[0].isalpha()):
        return f"{target} is an absolute path on the machine that wrote it"
    if editable and posixpath.normpath(target.replace("\\", "/")).startswith(".."):
        return f"-e {target} points outside the build"
    return None


class RequirementUninstallable(Rule):
    """
    ## What it does
    Flags a declared requirement that cannot install on Heroku:
    - `pkg-resources==0.0.0`, in any spelling of the name (`pkg_resources`), which
      `pip freeze` writes on Debian and Ubuntu;
    - a Windows-only package, `pywin32`, `pypiwin32` or `pywinpty` (exact names after
      normalisation: `pywin32-ctypes` installs on Linux and is left alone), unless an
      environment marker limits it (`; sys_platform == "win32"`); any marker is taken as the
      author's choice and not judged;
    - in a pip requirements file, a `file://` URL (`name @ file:///...`, as a conda
      environment's `pip freeze` writes) or an absolute local path;
    - an editable path outside the build root (`-e ../lib`).

    Names are read from `requirements.txt` (with its `-r` includes), `Pipfile.lock` and the
    dependencies of `pyproject.toml`. `poetry.lock` and `uv.lock` list Windows-only packages
    that other packages require only on Windows, with the marker on the dependent: they are
    not judged for Windows-only packages. Paths and URLs are read from pip requirements
    files only. A relative path inside the build (`-e .`, `./wheels/x.whl`) and remote or
    VCS URLs are left alone.

    ## Why it breaks on Heroku
    Heroku installs the requirements with pip on Linux, from the build root. No
    distribution is named `pkg-resources` on PyPI (the `0.0.0` line is an artefact of
    Debian's patched pip), the Windows-only packages publish no Linux build, and a path on
    the developer's machine or outside the repository does not exist in the build: pip
    stops and the push is rejected.

    ## Example
    A `requirements.txt` written by `pip freeze` on Ubuntu:
    ```
    Django==5.2.8
    pkg-resources==0.0.0
    ```

    ## Use instead
    Delete the line; declare Windows-only packages with a marker
    (`pywin32==311 ; sys_platform == "win32"`); publish a local package or vendor it inside
    the repository.

    ## Fix safety
    The fix removes the `pkg-resources==0.0.0` line (with its continuation lines) from a
    pip requirements file. It is safe: the line can only fail the build, and nothing can
    import a distribution that does not exist. The other findings have no automatic fix:
    what should replace a path is the author's call.

    | the fix | safety |
    |---|---|
    | removes the `pkg-resources==0.0.0` line from a pip requirements file | safe |

    ## References
    - Heroku Dev Center, "Python Dependencies via Pip": https://devcenter.heroku.com/articles/python-pip
    - pip documentation, "Requirements File Format": https://pip.pypa.io/en/stable/reference/requirements-file-format/
    - pywin32 on PyPI (Windows wheels only): https://pypi.org/project/pywin32/
    """

    code = "DJH607"
    name = "requirement-uninstallable"
    per_build_root = True
    message = "{what}: pip cannot install it on Heroku and the build fails; {advice}"

    INVALID = [
        Case(
            {"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npkg-resources==0.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
            expect=["requirements.txt:4"],
            fixed={"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
        ),
        Case(
            {
                "requirements.txt": "-r requirements/base.txt\ngunicorn==23.0.0\n",
                "requirements/base.txt": "Django==5.2.8\ndj-database-url==3.0.1\npsycopg[binary]==3.2.12\npython-decouple==3.8\npywin32==306\nwhitenoise==6.11.0\n",
            },
            expect=["requirements/base.txt:5"],
            show="requirements/base.txt",
            note="Windows only, in an included file",
        ),
        Case(
            {"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\ncertifi @ file:///home/conda/feedstock_root/build_artifacts/certifi_1700000000000/work/certifi\nwhitenoise==6.11.0\n-e ../shared-lib\n"},
            expect=["requirements.txt:6", "requirements.txt:8"],
            note="a conda path and an editable path outside the build",
        ),
    ]
    VALID = [
        Case({"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\npywin32==306 ; sys_platform == \"win32\"\npywin32-ctypes==0.2.3\nwhitenoise==6.11.0\n"}),
        Case(
            {"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n-e ./libs/payments\n", "libs/payments/pyproject.toml": "[project]\nname = \"payments\"\nversion = \"1.0\"\n"},
            note="an editable path inside the build",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        reqs = ctx.requirements
        if reqs is None:
            return
        for name, req in reqs.packages.items():
            if name == PKG_RESOURCES and req.version in (None, "0.0.0") and req.spec.replace(" ", "") in ("==0.0.0", ""):
                fix = None
                if req.lines is not None and req.spec.replace(" ", "") == "==0.0.0":
                    fix = Fix(SAFE, "remove the pkg-resources==0.0.0 line", edits=(Edit.replace(req.lines, ""),))
                yield self.diagnostic(
                    ctx,
                    req.span,
                    fix=fix,
                    what="pkg-resources==0.0.0 is an artefact of Ubuntu's pip freeze, not a real distribution",
                    advice="remove the line",
                )
            elif name in WINDOWS_ONLY and req.marker == "":
                yield self.diagnostic(
                    ctx,
                    req.span,
                    what=f"{name} is a Windows-only package",
                    advice='remove it, or limit it with `; sys_platform == "win32"`',
                )
        for ref in reqs.references:
            problem = _local_problem(ref.target, ref.editable)
            if problem is not None:
                yield self.diagnostic(ctx, ref.span, what=problem, advice="install it from an index or a repository URL, or vendor it inside the build")
