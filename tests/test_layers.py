"""The folder layout is the pipeline: a stage imports only itself and the stages before it.

    core types (ftypes, printable, store) < discover < read < model < edit < rules < fix < report < top level

Every import counts: absolute and relative, at the top of a module, inside a function,
and under ``TYPE_CHECKING``.  Rule modules (``rules/djhNNN_*.py``) import no other rule
module (what they share is in ``rules/_*.py``) and nothing of the discover stage (rules
never read files).  Every package's ``__init__.py`` is empty, so that importing one
module of a stage does not import the whole stage.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import django_heroku_lint

PACKAGE = "django_heroku_lint"
SRC = Path(django_heroku_lint.__file__).parent
STAGES = ["core", "discover", "read", "model", "edit", "rules", "fix", "report", "top level"]
CORE = {"ftypes", "printable", "store", "__init__"}
RULE_MODULE = re.compile(r"^djh\d{3}_\w+$")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts)


def stage_of(module: str) -> str:
    """The stage a module of the package belongs to, by the package it sits in."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in CORE:
        return "core"
    if parts[0] in STAGES:
        return parts[0]
    return "top level"


def imports_of(path: Path, root: Path) -> list[tuple[int, str, str, str | None]]:
    """(line, module imported, the import as written, the name taken from it) for each import
    of the package's own modules in ``path``; ``from . import x`` counts as an import of
    ``x`` when it is a module (no name is taken then)."""
    package = module_name(path, root).split(".")[:-1]  # "__init__" is a module name's last part too
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == root.name:
                    found.append((node.lineno, alias.name, f"import {alias.name}", None))
        elif isinstance(node, ast.ImportFrom):
            written = f"from {'.' * node.level}{node.module or ''} import {', '.join(a.name for a in node.names)}"
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root.name:
                continue
            for alias in node.names:
                sub = target + "." + alias.name
                as_path = root.parent / sub.replace(".", "/")
                if as_path.with_suffix(".py").exists() or (as_path / "__init__.py").exists():
                    found.append((node.lineno, sub, written, None))
                else:
                    found.append((node.lineno, target, written, alias.name))
    return found


def violations(root: Path) -> list[str]:
    """Every import against the flow under ``root`` (the package folder), one line each."""
    problems = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        stage = stage_of(module)
        where = path.relative_to(root.parent)
        if path.name == "__init__.py" and path.read_text(encoding="utf-8").strip() and module.count(".") > 1:
            problems.append(f"{where}: a package's __init__.py must stay empty (importing one module would import the stage)")
        leaf = module.rsplit(".", 1)[-1]
        for line, imported, written, name in imports_of(path, root):
            target = stage_of(imported)
            if name is not None and name.startswith("_") and not name.endswith("__") and target != stage:
                problems.append(f"{where}:{line}: `{written}`: the {stage} stage imports {name}, private to {imported}")
            if STAGES.index(target) > STAGES.index(stage):
                problems.append(f"{where}:{line}: `{written}`: the {stage} stage imports {imported}, of the later {target} stage")
            if stage == "rules" and RULE_MODULE.match(leaf):
                imported_leaf = imported.rsplit(".", 1)[-1]
                if RULE_MODULE.match(imported_leaf) and imported_leaf != leaf:
                    problems.append(f"{where}:{line}: `{written}`: a rule module imports another rule module, {imported}")
                if target == "discover":
                    problems.append(f"{where}:{line}: `{written}`: a rule module imports {imported}, but rules never read files")
    return list(dict.fromkeys(problems))  # one line for `from x import a, b`


def test_no_stage_imports_a_later_one_and_no_rule_imports_another():
    assert violations(SRC) == []


def test_the_entry_store_imports_nothing_of_the_package_but_its_version():
    """A replay reads its signed entry through ``store``: importing it must not load the
    settings model (or anything else of djhlint), or every warm run would pay for it."""
    imported = {(module, name) for _, module, _, name in imports_of(SRC / "store.py", SRC)}
    assert imported <= {(PACKAGE, "__version__")}


def test_each_stage_is_a_package():
    stages = {stage_of(module_name(path, SRC)) for path in SRC.rglob("*.py")}
    assert stages == set(STAGES)
    top = sorted(path.name for path in SRC.glob("*.py") if stage_of(module_name(path, SRC)) == "top level")
    assert top == ["__main__.py", "cli.py", "commands.py", "docs.py", "engine.py", "entry.py"]


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / PACKAGE


def test_an_import_against_the_flow_is_named(tmp_path):
    """The check is not vacuous: each kind of bad import is reported, with its module,
    its line and the import as written, however it is written."""
    root = write(
        tmp_path,
        {
            "__init__.py": "",
            "ftypes.py": "",
            "discover/__init__.py": "",
            "read/__init__.py": "",
            "read/procfile.py": "",
            "model/__init__.py": "",
            "rules/__init__.py": "from .registry import ALL_RULES\n",
            "rules/registry.py": "from .djh303_procfile_missing import ProcfileMissing\n",
            "rules/_procfile.py": "",
            "rules/djh303_procfile_missing.py": "from ._procfile import suggested_web\nfrom ..read.procfile import parse_procfile\n",
            "rules/djh304_procfile_no_web.py": "from .djh303_procfile_missing import suggested_web\n",
            "rules/djh305_procfile_malformed.py": "from . import djh303_procfile_missing\nfrom ..discover import projects\n",
            "fix/__init__.py": "",
            "fix/fixer.py": "def run():\n    from ..engine import lint_project\n",
            "report/__init__.py": "",
            "report/formats.py": "",
            "discover/projects.py": "",
            "read/python.py": "TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from django_heroku_lint.model.values import Value\n",
            "model/cache.py": "from ..report import formats\nfrom .. import ftypes\n",
            "report/settings_view.py": "from .formats import _json_escape\n",  # private, but of its own stage
            "engine.py": "from .discover.projects import Project, _excluded\n",
        },
    )
    assert violations(root) == [
        "django_heroku_lint/engine.py:1: `from .discover.projects import Project, _excluded`: the top level stage imports _excluded, private to django_heroku_lint.discover.projects",
        "django_heroku_lint/fix/fixer.py:2: `from ..engine import lint_project`: the fix stage imports django_heroku_lint.engine, of the later top level stage",
        "django_heroku_lint/model/cache.py:1: `from ..report import formats`: the model stage imports django_heroku_lint.report.formats, of the later report stage",
        "django_heroku_lint/read/python.py:3: `from django_heroku_lint.model.values import Value`: the read stage imports django_heroku_lint.model.values, of the later model stage",
        "django_heroku_lint/rules/__init__.py: a package's __init__.py must stay empty (importing one module would import the stage)",
        "django_heroku_lint/rules/djh304_procfile_no_web.py:1: `from .djh303_procfile_missing import suggested_web`: a rule module imports another rule module, django_heroku_lint.rules.djh303_procfile_missing",
        "django_heroku_lint/rules/djh305_procfile_malformed.py:1: `from . import djh303_procfile_missing`: a rule module imports another rule module, django_heroku_lint.rules.djh303_procfile_missing",
        "django_heroku_lint/rules/djh305_procfile_malformed.py:2: `from ..discover import projects`: a rule module imports django_heroku_lint.discover.projects, but rules never read files",
    ]
