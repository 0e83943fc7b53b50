"""Generated documentation stays in step with the rules."""

from __future__ import annotations

from pathlib import Path

from django_heroku_lint.docs import update_readme

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rules_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert update_readme(text) == text, "run `python -m django_heroku_lint.docs` to regenerate the README's rules table"


def test_readme_fixes_table_is_generated_from_the_rules():
    """The fixes table sits between its markers and holds a row for each row of a fixable
    rule's "Fix safety" table, and nothing else: a new fixable rule shows up in it."""
    from django_heroku_lint import docs
    from django_heroku_lint.rules.registry import ALL_RULES

    text = README.read_text(encoding="utf-8")
    table = text.split(docs.FIXES_START + "\n", 1)[1].split("\n" + docs.FIXES_END, 1)[0]
    assert table == docs.fixes_table()
    codes = [line.split()[1] for line in table.splitlines()[2:]]
    assert set(codes) == {rule.code for rule in ALL_RULES if rule.fixable}
    assert len(codes) == sum(len(rule.fix_rows()) for rule in ALL_RULES)


def test_each_fixable_rule_says_how_safe_its_fix_is():
    """A fixable rule ends its "Fix safety" section with a row per fix; the safety it states
    covers what its examples show (a safe fix, an unsafe one, or both)."""
    from django_heroku_lint.rules.registry import ALL_RULES

    for rule in ALL_RULES:
        rows = rule.fix_rows()
        assert bool(rows) == rule.fixable, rule.code
        if "safe" in rule.applicabilities():
            assert any(safety.startswith("safe") for _, safety in rows), rule.code
        if "unsafe" in rule.applicabilities():
            assert any("unsafe" in safety for _, safety in rows), rule.code


def test_readme_shows_the_two_commands_near_the_top():
    head = README.read_text(encoding="utf-8")[:1500]
    # In a virtualenv: a system Python that is externally managed (PEP 668) refuses `pip install`.
    assert "python3 -m venv .venv && .venv/bin/python -m pip install . && .venv/bin/djhlint examples/tutorial" in head
    assert "python3 -m venv .venv && .venv/bin/python -m pip install '.[test]' && .venv/bin/python -m pytest" in head


def test_readme_example_output_is_current(monkeypatch):
    """The README's example output is what djhlint prints on the shipped example."""
    from .helpers import run_cli

    text = README.read_text(encoding="utf-8")
    block = text.split("$ djhlint examples/tutorial\n", 1)[1].split("```", 1)[0]
    result = run_cli(["examples/tutorial"], cwd=README.parent)
    assert result.exit_code == 1
    assert result.stdout + result.stderr == block


def test_readme_env_example_is_current():
    """The README's `djhlint env` example is what it prints on the shipped example."""
    from .helpers import run_cli

    text = README.read_text(encoding="utf-8")
    block = text.split("$ djhlint env examples/tutorial\n", 1)[1].split("```", 1)[0]
    result = run_cli(["env", "examples/tutorial"], cwd=README.parent)
    assert result.exit_code == 0
    assert result.stdout == block


# ---------------------------------------------------------------------- the rule pages

PAGES = README.parent / "docs" / "rules"


def test_rule_pages_are_up_to_date():
    from django_heroku_lint import docs

    problems = docs.stale_pages(PAGES, docs.pages())
    assert not problems, "\n".join(problems) + "\nrun `python -m django_heroku_lint.docs` from the repository root"


def test_check_mode_reports_a_stale_page(tmp_path, capsys):
    from django_heroku_lint import docs

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{docs.START}\n{docs.END}\n", encoding="utf-8")
    assert docs.main([str(readme), "--check"]) == 1
    assert docs.main([str(readme)]) == 0
    assert docs.main([str(readme), "--check"]) == 0
    pages = tmp_path / "docs" / "rules"
    page = pages / "DJH101.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    (pages / "DJH999.md").write_text("# a rule that is gone\n", encoding="utf-8")
    (pages / "notes.md").write_text("kept\n", encoding="utf-8")
    capsys.readouterr()
    assert docs.main([str(readme), "--check"]) == 1
    err = capsys.readouterr().err
    assert "DJH101.md: out of date" in err and "DJH999.md: no rule has this code" in err and "notes.md" not in err
    assert docs.main([str(readme)]) == 0
    assert not (pages / "DJH999.md").exists() and (pages / "notes.md").exists()
    assert docs.stale_pages(pages, docs.pages()) == []


def test_the_regenerate_command_line(tmp_path):
    """`python -m django_heroku_lint.docs [README] [--check]`, parsed by click: a bad README is one line, exit 2."""
    import subprocess
    import sys

    run = lambda *args: subprocess.run([sys.executable, "-m", "django_heroku_lint.docs", *args], capture_output=True, text=True, cwd=README.parent, timeout=60)  # noqa: E731
    assert run("--check").returncode == 0
    assert "--check" in run("--help").stdout
    missing = run(str(tmp_path / "missing.md"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "README.md").write_text("# no table here\n", encoding="utf-8")
    unmarked = run(str(tmp_path / "README.md"))
    assert unmarked.returncode == 2 and unmarked.stderr.strip().endswith("the README has no rules-table markers")
    assert len(unmarked.stderr.splitlines()) == 1


def test_each_page_is_the_rules_docs():
    from django_heroku_lint.rules.registry import ALL_RULES

    index = (PAGES / "README.md").read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert rule.docs() in (PAGES / f"{rule.code}.md").read_text(encoding="utf-8")
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_diagnostics_have_a_rule_page_and_no_invented_url(make_project):
    from .helpers import lint_project

    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "not-secret"\n', ".python-version": None})
    found = lint_project(root)
    assert {d.code for d in found} >= {"DJH101", "DJH102", "DJH401"}
    for diagnostic in found:
        assert diagnostic.url is None  # until the project has a public home
        assert (PAGES / f"{diagnostic.code}.md").is_file()


def test_references_cite_sources_users_can_open():
    """A rule's References name primary sources, not a file that ships with no one's copy."""
    from django_heroku_lint.rules.registry import ALL_RULES

    for rule in ALL_RULES:
        references = rule.sections()["References"]
        assert "HAZARDS" not in references, rule.code
        assert "https://" in references, rule.code
