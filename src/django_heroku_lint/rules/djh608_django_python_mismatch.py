from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from ..read.djangos import OLDEST_JUDGED, supporting
from ..read.pythons import DEFAULT, PYTHONS
from ..read.records import Requirement
from ..read.requirements import certainly_at_least, may_reach
from .context import Context
from .rule import Case, Rule
from ._versions import ORDER, used_version


def _allows(req: Requirement, python: tuple[int, int]) -> bool | None:
    """Whether the declaration allows a Django that supports ``python``; None when the table cannot tell."""
    found = supporting(python)
    if found is None:
        return None
    first, end = found
    return may_reach(req, first) and not (end is not None and certainly_at_least(req, end))


def _show(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in (version[:2] if len(version) > 2 and version[2] == 0 else version))


class DjangoPythonMismatch(Rule):
    """
    ## What it does
    Flags a Django requirement when no Django version it allows supports the Python Heroku
    will build with: the version `runtime.txt`, `.python-version` or `Pipfile.lock` pins, or
    Heroku's default (3.14) when none does. Support is judged at patch level, as Django's FAQ
    gives it (Python 3.12 from Django 4.2.8, 3.13 from 5.1.3, 3.10 from 3.2.9): `Django==4.2.7`
    with Python 3.12 is flagged, `Django>=4.2,<5` is not, since 4.2.8 and later are allowed.
    The message names the newest Python the allowed Django supports and the first Django that
    supports the pinned Python.

    The support table lives in one place, `read/djangos.py`, from Django's FAQ; the patch
    releases that added Python 3.10, 3.12 and 3.13 were checked against their release notes.
    Python 3.14 counts as supported by the whole 5.2 series (the patch that added it was not
    checked), so a 5.2 release is never flagged for it. A Python older than 3.8 or newer than
    the table is not judged, nor is a version file Heroku rejects (DJH403), nor a Django the
    declaration does not bound (`Django` without a version).

    ## Why it breaks on Heroku
    Heroku installs whatever Django the project pins on the Python it builds with. An old
    Django on a new Python may install and then fail at import or at run time: Django 3.2
    imports `distutils`, removed in Python 3.12. Since Heroku builds only Python 3.10 and
    later, a project pinned to an old Django cannot follow DJH404's advice to move to a newer
    Python without upgrading Django too.

    ## Example
    `requirements.txt`, with no version file (Heroku builds with 3.14):
    ```
    Django==3.2.25
    ```

    ## Use instead
    Upgrade Django to a release that supports the Python you build with, or pin a Python both
    support in `.python-version`.

    ## Fix safety
    No automatic fix: a Django upgrade can need code changes, so only the author can make it.

    ## References
    - Django FAQ, "What Python version can I use with Django?": https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django
    - Django release notes (4.2.8, 5.1.3, 3.2.9): https://docs.djangoproject.com/en/stable/releases/
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    """

    code = "DJH608"
    name = "django-python-mismatch"
    per_build_root = True
    message = "{django} does not support Python {python} ({source}): {detail}"

    INVALID = [
        Case(
            {".python-version": None, "requirements.txt": "Django==3.2.25\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
            expect=["requirements.txt:1"],
            note="no version file: Heroku builds with its default, 3.14",
        ),
        Case(
            {".python-version": "3.12\n", "requirements.txt": "Django==4.2.7\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
            expect=["requirements.txt:1"],
            note="Python 3.12 needs Django 4.2.8",
        ),
        Case(
            {".python-version": "3.11\n", "requirements.txt": "Django>=6.0\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
            expect=["requirements.txt:1"],
            note="too new for the Python: Django 6.0 needs 3.12",
        ),
    ]
    VALID = [
        Case({".python-version": "3.12\n", "requirements.txt": "Django>=4.2,<5\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"}),
        Case({".python-version": "3.13\n"}),
        Case({".python-version": "3.16\n", "requirements.txt": "Django==4.2.7\ngunicorn==23.0.0\n"}, note="newer than the table: not judged"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        reqs = ctx.requirements
        req = reqs.get("django") if reqs is not None else None
        if req is None:
            return
        found = used_version(ctx)
        if found is not None:
            python, source = found.major_minor, f"from {found.file}"
        elif any(name in ctx.version_files for name in ORDER) or ctx.pipfile_lock_python:
            return  # a version file Heroku rejects: DJH403 says so
        else:
            python, source = DEFAULT, "Heroku's default"
        support = supporting(python)
        if support is None or _allows(req, python):
            return
        judged = sorted(p for p in PYTHONS if p >= OLDEST_JUDGED) + [p for p in [python] if p not in PYTHONS]
        allowed = [p for p in sorted(set(judged)) if _allows(req, p)]
        first, end = support
        show = f"{python[0]}.{python[1]}"
        if end is not None and certainly_at_least(req, end):
            lowest = f"{allowed[0][0]}.{allowed[0][1]}" if allowed else None
            detail = f"it supports Python {lowest} at the least; pin Python {lowest} or later" if lowest else f"Django {_show(end)} dropped Python {show}"
        else:
            newest = f"it supports Python {allowed[-1][0]}.{allowed[-1][1]} at most" if allowed else f"it supports no Python from {OLDEST_JUDGED[0]}.{OLDEST_JUDGED[1]} on"
            detail = f"{newest}; Python {show} needs Django {_show(first)} or later"
        django = "Django" + (req.spec or f"=={req.version}")
        yield self.diagnostic(ctx, req.span, django=django, python=show, source=source, detail=detail)
