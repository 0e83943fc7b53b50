"""Generated documentation stays in step with the rules."""

from __future__ import annotations

from pathlib import Path

from django_heroku_lint.docs import update_readme

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rules_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert update_readme(text) == text, "run `python -m django_heroku_lint.docs` to regenerate the README's rules table"


def test_readme_shows_the_two_commands_near_the_top():
    head = README.read_text(encoding="utf-8")[:1500]
    assert "python -m pip install . && djhlint examples/tutorial" in head
    assert "python -m pip install '.[test]' && python -m pytest" in head


def test_readme_example_output_is_current(monkeypatch):
    """The README's example output is what djhlint prints on the shipped example."""
    from .helpers import run_cli

    text = README.read_text(encoding="utf-8")
    block = text.split("$ djhlint examples/tutorial\n", 1)[1].split("```", 1)[0]
    result = run_cli(["examples/tutorial"], cwd=README.parent)
    assert result.exit_code == 1
    assert result.stdout + result.stderr == block
