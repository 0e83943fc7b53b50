"""Every rule's VALID and INVALID examples, run as tests.

The examples are the documentation (`djhlint rule CODE` prints the first of each), so
a rule whose docs lie fails here.  An invalid example with ``fixed`` is also a
before/after test of the rule's fix, run through `djhlint --fix`; one without must
offer no fix.
"""

from __future__ import annotations


import libcst as cst
import pytest

from django_heroku_lint.engine import Options, lint
from django_heroku_lint.fix.fixer import resolve_all
from django_heroku_lint.rules import registry
from django_heroku_lint.rules.registry import ALL_RULES

from .helpers import diagnostics, run_cli, snapshot

CASES = [
    pytest.param(rule, case, valid, id=f"{rule.code}-{'valid' if valid else 'invalid'}-{index}")
    for rule in ALL_RULES
    for valid, cases in ((False, rule.INVALID), (True, rule.VALID))
    for index, case in enumerate(cases)
]


@pytest.mark.parametrize(("rule", "case", "valid"), CASES)
def test_example(rule, case, valid, make_project):
    root = make_project(case.files)
    found = [f"{path}:{line}" for code, path, line in diagnostics(root, select=[rule.code])]
    if valid:
        assert found == [], f"{rule.code} fired on a valid example"
    else:
        assert found == case.expect


FIX_CASES = [
    pytest.param(rule, case, id=f"{rule.code}-invalid-{index}")
    for rule in ALL_RULES
    for index, case in enumerate(rule.INVALID)
]


@pytest.mark.parametrize(("rule", "case"), FIX_CASES)
def test_fix(rule, case, make_project):
    """The fix turns the example into ``case.fixed`` exactly, touches nothing else, removes
    the diagnostics, and a second run changes nothing."""
    root = make_project(case.files)
    before = snapshot(root)
    result = lint(Options(paths=[str(root)], select=[rule.code]))
    resolve_all(result)
    offered = [d.fix for d in result.diagnostics if d.fix is not None]
    if case.fixed is None:
        assert offered == [], f"{rule.code}: an example without `fixed` must offer no fix"
        return
    assert offered, f"{rule.code}: the example has `fixed` but no fix is offered"
    assert {f.applicability for f in offered} == {"unsafe" if case.unsafe else "safe"}
    if case.unsafe:
        run_cli(["--fix", "--select", rule.code, str(root)])
        assert snapshot(root) == before, "--fix without --unsafe-fixes applied an unsafe fix"
    outcome = run_cli(["--fix", "--unsafe-fixes", "--select", rule.code, str(root)])
    expected = dict(before)
    for name, text in case.fixed.items():
        if text is None:
            expected.pop(name)
        else:
            expected[name] = text.encode("utf-8")
    assert snapshot(root) == expected
    assert diagnostics(root, select=[rule.code]) == []
    assert outcome.exit_code == 0, outcome.output
    again = run_cli(["--fix", "--unsafe-fixes", "--select", rule.code, str(root)])
    assert snapshot(root) == expected and again.exit_code == 0


@pytest.mark.parametrize(("rule", "case"), [p for p in FIX_CASES if p.values[1].fixed])
def test_expected_fix_is_valid_python(rule, case):
    """A test cannot expect broken code: every expected Python file parses."""
    for name, text in case.fixed.items():
        if text is not None and name.endswith(".py"):
            cst.parse_module(text)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_fixable_matches_examples(rule):
    """A rule is marked fixable exactly when an example shows its fix, and its docs say
    what the fix does."""
    assert rule.fixable == any(case.fixed for case in rule.INVALID)
    if rule.fixable:
        assert "No automatic fix yet" not in rule.sections()["Fix safety"]


def test_fixable_is_derived_from_the_examples():
    """No flag to keep by hand: an invalid example with ``fixed`` makes a rule fixable, and
    the examples' ``unsafe`` says how its fixes apply."""
    from django_heroku_lint.rules.rule import Case, Rule

    class Fixed(Rule):
        INVALID = [Case({"Procfile": "web: x\n"}, ["Procfile:1"], fixed={"Procfile": "web: y\n"}, unsafe=True)]

    class Unfixed(Rule):
        INVALID = [Case({"Procfile": "web: x\n"}, ["Procfile:1"])]

    assert Fixed.fixable and Fixed.applicabilities() == {"unsafe"}
    assert not Unfixed.fixable and Unfixed.applicabilities() == set()
    assert {rule.code for rule in ALL_RULES if rule.fixable} >= {"DJH103", "DJH301", "DJH501"}
    assert {rule.code: rule.applicabilities() for rule in ALL_RULES}["DJH103"] == {"safe", "unsafe"}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_complete(rule):
    """Code, slug, message and docs in the fixed form, and examples both ways."""
    assert rule.code.startswith("DJH") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert "\n" not in rule.message
    sections = rule.sections()
    for heading in ("What it does", "Why it breaks on Heroku", "Example", "Use instead", "Fix safety", "References"):
        assert sections.get(heading), f"{rule.code} docs lack '{heading}'"
    assert rule.INVALID and rule.VALID
    assert all(case.expect for case in rule.INVALID)


def test_each_rule_module_defines_one_rule_named_as_its_file():
    """The registry is the folder: each ``rules/djhNNN_<name>.py`` defines one rule whose
    code and kebab name its file name spells, and every rule comes from such a file."""
    modules = registry.rule_modules()
    assert len(modules) == len(ALL_RULES) > 30
    for module in modules:
        (rule,) = registry.rules_of(module)
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
    assert [rule.__module__.rsplit(".", 1)[1] for rule in ALL_RULES] == modules


def test_rule_modules_are_found_without_a_folder_to_list(monkeypatch):
    """Installed as a zip, the package has no folder to list: the import system names the
    same rule modules."""
    listed = registry.rule_modules()
    monkeypatch.setattr(registry, "__file__", "/no/such/archive.zip/django_heroku_lint/rules/registry.py")
    assert registry.rule_modules() == listed


def test_codes_and_names_are_unique():
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_baseline_project_is_clean(make_project):
    assert diagnostics(make_project()) == []
