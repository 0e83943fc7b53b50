"""Every rule's VALID and INVALID examples, run as tests.

The examples are the documentation (`djhlint rule CODE` prints the first of each), so
a rule whose docs lie fails here.
"""

from __future__ import annotations

import pytest

from django_heroku_lint.rules import ALL_RULES

from .helpers import diagnostics

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


def test_codes_and_names_are_unique():
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_baseline_project_is_clean(make_project):
    assert diagnostics(make_project()) == []
