"""The settings-model cache: warm runs skip LibCST, and a stale or corrupt entry is never trusted."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from django_heroku_lint.store import CACHE_DIR_NAME

from .helpers import LOGGING, diagnostics, read_entry, run_cli, write_entry

HAZARDS = {"mysite/settings.py": 'import os\nALLOWED_HOSTS = ["*"]  # noqa: DJH102\nDEBUG = os.getenv("DEBUG")\n' + LOGGING}

PROBE = """
import sys
from django_heroku_lint.engine import Options, lint
ignore = sys.argv[2:] or ["DJH002"]  # the noqa above is kept for the cache's sake: unused-noqa would report it
result = lint(Options(paths=[sys.argv[1]], ignore=ignore if ignore != ["-"] else None))
print(sorted((d.code, d.span.line) for d in result.diagnostics))
print("libcst" in sys.modules)
"""


def probe(root, *ignore):
    out = subprocess.run([sys.executable, "-c", PROBE, str(root), *ignore], capture_output=True, text=True, check=True)
    found, imported = out.stdout.splitlines()
    return found, imported == "True"


def entries(root):
    return sorted((root / CACHE_DIR_NAME).glob("v*/*.json"))


def test_a_warm_run_does_not_import_libcst(make_project):
    root = make_project(HAZARDS)
    cold, cold_imported = probe(root)
    warm, warm_imported = probe(root)
    assert cold == warm == "[('DJH101', 2), ('DJH103', 3)]"
    assert cold_imported and not warm_imported
    assert (root / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_warm_run_judges_noqa_comments_without_libcst(make_project):
    # unused-noqa reads the comments of the modules the cached model names, not LibCST's tree.
    root = make_project(HAZARDS)
    cold, cold_imported = probe(root, "-")
    warm, warm_imported = probe(root, "-")
    assert cold == warm == "[('DJH002', 2), ('DJH101', 2), ('DJH103', 3)]"
    assert cold_imported and not warm_imported


def test_a_changed_file_is_read_again(make_project):
    root = make_project(HAZARDS)
    assert probe(root)[0] == "[('DJH101', 2), ('DJH103', 3)]"
    (root / "mysite" / "settings.py").write_text('ALLOWED_HOSTS = ["example.com"]\n' + LOGGING)
    found, imported = probe(root)
    assert found == "[]" and imported


def test_a_module_that_appears_is_followed(make_project):
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["example.com"]\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n' + LOGGING})
    assert probe(root)[0] == "[]"
    (root / "mysite" / "local.py").write_text('ALLOWED_HOSTS = ["*"]\n')
    assert probe(root)[0] == "[('DJH101', 1)]"


def test_a_corrupt_entry_is_ignored(make_project):
    root = make_project(HAZARDS)
    expected = diagnostics(root)
    (entry,) = entries(root)
    for garbage in ("{not json", "[]", '{"key": 1}', ""):
        entry.write_text(garbage)
        assert diagnostics(root) == expected
        write_entry(entry, garbage)  # garbage with a valid MAC is a miss too
        assert diagnostics(root) == expected


def test_an_entry_naming_foreign_types_is_ignored(make_project):
    root = make_project(HAZARDS)
    expected = diagnostics(root)
    (entry,) = entries(root)
    data = read_entry(entry)
    data["settings"] = {"__t": "Popen", "args": ["false"]}
    write_entry(entry, data)
    assert diagnostics(root) == expected


def test_an_entry_with_the_wrong_shape_is_ignored(make_project):
    root = make_project(HAZARDS)
    expected = diagnostics(root)
    (entry,) = entries(root)
    data = read_entry(entry)
    data["settings"] = {"__dict": {}}  # JSON of the right kinds, but not a settings model
    write_entry(entry, data)
    assert diagnostics(root) == expected


def test_no_cache_writes_nothing(make_project):
    root = make_project(HAZARDS)
    run_cli(["--no-cache", str(root)])
    assert not (root / CACHE_DIR_NAME).exists()


def test_cache_dir_option(make_project, tmp_path):
    root = make_project(HAZARDS)
    folder = tmp_path / "elsewhere"
    run_cli(["--cache-dir", str(folder), str(root)])
    assert not (root / CACHE_DIR_NAME).exists()
    assert list(folder.glob("v*/*.json"))


def test_runs_sharing_a_cache_agree(make_project):
    root = make_project(HAZARDS)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: probe(root)[0], range(6)))
    assert set(results) == {"[('DJH101', 2), ('DJH103', 3)]"}
    assert len(entries(root)) == 1
    assert not list((root / CACHE_DIR_NAME).glob("v*/.tmp-*"))


def test_the_cache_folder_is_not_linted_or_listed(make_project):
    from django_heroku_lint.discover.projects import find_projects

    root = make_project(HAZARDS)
    diagnostics(root)
    (project,) = find_projects([str(root)])
    assert not any(f.startswith(CACHE_DIR_NAME) for f in project.files)


def _example_cases():
    from django_heroku_lint.rules.registry import ALL_RULES

    return [(rule.code, case) for rule in ALL_RULES for case in rule.INVALID + rule.VALID]


def test_every_rule_example_reads_the_same_from_the_cache(tmp_path):
    """A warm run must see exactly what a cold run saw, for every model the examples build."""
    from django_heroku_lint.rules._baseline import project_files

    from .helpers import write_tree

    for index, (code, case) in enumerate(_example_cases()):
        root = write_tree(tmp_path / f"p{index}", project_files(case.files))
        cold = diagnostics(root)
        judged = not any(found[0] == "DJH001" for found in cold)  # DJH001: no module could be judged, so none is cached
        if judged and ((root / "mysite" / "settings.py").exists() or list(root.glob("*/settings/*.py"))):
            assert entries(root), f"{code}: the model of this example was not cached"
        assert diagnostics(root) == cold, code
