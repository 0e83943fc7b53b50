"""Generated documentation stays in step with the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def test_every_test_command_in_the_readme_says_how_long_it_takes_and_what_it_downloads():
    """The suite takes minutes, and the pre-commit hook tests build the hook's environment
    from the package index: said beside each command that runs it."""
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    runs = [i for i, line in enumerate(lines) if "-m pytest" in line]
    assert len(runs) >= 2
    for i in runs:
        near = " ".join(" ".join(lines[max(i - 6, 0) : i + 1]).split())
        assert "about five minutes on two cores" in near, lines[i]
        assert "package index" in near, lines[i]


def test_readme_example_output_is_current(monkeypatch):
    """The README's example output is what djhlint prints on the shipped example."""
    from .helpers import run_cli

    text = README.read_text(encoding="utf-8")
    block = text.split("$ djhlint examples/tutorial\n", 1)[1].split("```", 1)[0]
    result = run_cli(["examples/tutorial"], cwd=README.parent)
    assert result.exit_code == 1
    assert result.stdout + result.stderr == block


# ---------------------------------------------------------------------- every example output is real

EXAMPLES = README.parent / "examples"


def readme_block(command: str) -> str:
    """The output the README shows under ``$ command``, up to the end of its code block."""
    text = README.read_text(encoding="utf-8")
    assert text.count(f"$ {command}\n") == 1, command
    return text.split(f"$ {command}\n", 1)[1].split("```", 1)[0]


def shipped_output(example: str, args: list[str], tmp_path) -> tuple[int, str]:
    """What djhlint prints (stdout, then the summary on stderr) run from a copy of a shipped
    example, the copy's own path shown as ``/app``, as the README says."""
    import shutil

    from .helpers import run_cli

    work = tmp_path / example
    shutil.copytree(EXAMPLES / example, work, ignore=shutil.ignore_patterns(".djhlint_cache"))
    result = run_cli(["--no-cache", *args] if args[:1] != ["settings"] else [*args, "--no-cache"], cwd=work)
    return result.exit_code, (result.stdout + result.stderr).replace(str(work), "/app")


@pytest.mark.parametrize(
    ("example", "command"),
    [
        ("split-settings", "djhlint --output-format full"),
        ("tutorial", "djhlint --diff --unsafe-fixes"),
        ("tutorial", "djhlint --output-format json --select DJH103"),
        ("tutorial", "djhlint --output-format json --select DJH101"),
    ],
)
def test_each_readme_example_is_what_djhlint_prints_on_a_shipped_example(example, command, tmp_path):
    code, out = shipped_output(example, command.split()[1:], tmp_path)
    assert code == 1
    assert out == readme_block(command)


def test_the_settings_example_is_djhlint_settings_on_a_shipped_example_with_lines_left_out(tmp_path):
    """The README leaves lines out where it says `...`: every other line is real, in order."""
    code, out = shipped_output("split-settings", ["settings"], tmp_path)
    assert code == 0
    real = out.splitlines()
    at = 0
    for part in readme_block("djhlint settings").split("  ...\n"):
        lines = part.splitlines()
        if not lines:
            continue
        while real[at : at + len(lines)] != lines:
            at += 1
            assert at < len(real), f"not in the real output, in this order: {lines}"
        at += len(lines)


def test_the_fix_summary_the_readme_quotes_is_real(tmp_path):
    code, out = shipped_output("tutorial", ["--fix"], tmp_path)
    text = " ".join(README.read_text(encoding="utf-8").split())
    summary = [line for line in out.splitlines() if line.startswith("Found ")]
    assert code == 1 and summary and f'("{summary[0]}")' in text


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


# ---------------------------------------------------------------------- one Python version advised

# Where djhlint advises a Python version: a message's "e.g." or "move to", what a fix writes
# when the project pins none, the Python a CI snippet runs, the docs' "such as".
ADVICE_RES = (
    r"e\.g\. (3\.\d+)",
    r"move to (3\.\d+)",
    r"such as `(3\.\d+)`",
    r"not a version such as (3\.\d+)",
    r"write just (3\.\d+)",
    r"there is none \(then (3\.\d+)",
    r"fix writes (3\.\d+)",
    r"holding (3\.\d+), the newest",
    r"python-version: \"(3\.\d+)\"",
    r"image: python:(3\.\d+)",
    r"`echo (3\.\d+) > \.python-version`",
    r"\"content\": \"(3\.\d+)\\n\"",
)


def test_the_python_version_advice_is_the_tables_one_recommended_value(make_project):
    """README, rule pages, messages and fixes advise one Python version, read from the
    table of read/pythons.py: a version written by hand somewhere fails here."""
    import json
    import re

    from django_heroku_lint.read.pythons import recommended

    from .helpers import run_cli

    texts = {"README.md": README.read_text(encoding="utf-8")}
    texts |= {f"docs/rules/{page.name}": page.read_text(encoding="utf-8") for page in sorted(PAGES.glob("*.md"))}
    # The messages and fixes on projects that pin no version, a misspelled one and an old one.
    for name, files in {
        "no pin": {".python-version": None},
        "misspelled": {".python-version": "python\n"},
        "end of life": {".python-version": "3.9\n"},
    }.items():
        root = make_project(files, subdir=name.replace(" ", "-"))
        out = run_cli(["--no-cache", "--output-format", "json", "--select", "DJH4", "--unsafe-fixes", str(root)]).stdout
        texts[name] = "\n".join(f"{d['message']}\n{json.dumps(d['fix'])}" for d in json.loads(out))
    found = [(where, match.group(0), match.group(1)) for where, text in texts.items() for pattern in ADVICE_RES for match in re.finditer(pattern, text)]
    assert {where for where, _, _ in found} >= {"README.md", "docs/rules/DJH401.md", "docs/rules/DJH403.md", "docs/rules/DJH404.md", "no pin", "misspelled", "end of life"}
    assert [(where, phrase) for where, phrase, version in found if version != recommended()] == []


# ---------------------------------------------------------------------- the pre-commit snippets


def test_the_pre_commit_snippets_pin_a_real_commit_with_these_hooks():
    """No release is tagged: each snippet pins a full commit hash (never a tag that does not
    exist) and names the address by a placeholder the README explains.  Where the history
    is at hand, the commit exists and holds the hooks this checkout ships."""
    import re
    import subprocess

    text = README.read_text(encoding="utf-8")
    snippets = re.findall(r"```yaml\nrepos:\n(.*?)```", text, re.S)
    assert len(snippets) == 2
    revs = set()
    for snippet in snippets:
        assert re.search(r"^  - repo: DJHLINT_GIT_URL  # ", snippet, re.M), snippet
        (rev,) = re.findall(r"^    rev: (\S+)  # no release is tagged yet: the full hash of the commit you tested$", snippet, re.M)
        assert re.fullmatch(r"[0-9a-f]{40}", rev)
        revs.add(rev)
    assert len(revs) == 1 and "replace `DJHLINT_GIT_URL` with the address" in " ".join(text.split())
    assert "<the git address" not in text and "rev: v" not in text
    (rev,) = revs
    git = ["git", "-C", str(README.parent)]
    inside = subprocess.run([*git, "rev-parse", "--is-shallow-repository"], capture_output=True, text=True)
    if inside.returncode != 0 or inside.stdout.strip() != "false":
        pytest.skip("no full git history here (an sdist, a shallow clone)")
    pinned = subprocess.run([*git, "show", f"{rev}:.pre-commit-hooks.yaml"], capture_output=True, text=True)
    assert pinned.returncode == 0, f"{rev} is not a commit of this repository with a .pre-commit-hooks.yaml"
    assert pinned.stdout == (README.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def test_the_hooks_run_when_a_file_djhlint_reads_changes():
    """pre-commit runs a hook only when a commit touches a file its `files` pattern matches:
    every kind of file djhlint reads must match, or a commit that breaks the deploy passes."""
    hooks = (README.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    patterns = re.findall(r"^  files: '(.*)'$", hooks, flags=re.M)
    assert len(patterns) == 2 and len(set(patterns)) == 1
    files = re.compile(patterns[0])
    read = [
        "mysite/settings/production.py", "Procfile", "Procfile.txt", "backend/Procfile", "runtime.txt", ".python-version",
        "requirements.txt", "requirements/prod.txt", "Pipfile.lock", "poetry.lock", "uv.lock", "pyproject.toml",
        "djhlint.toml", ".djhlint.toml", "app.json", "package.json", ".gitignore", ".slugignore", ".env", "config/settings.ini",
        ".buildpacks", "heroku.yml", "bin/start.sh", "Makefile", "README.md", "docs/deployment.md", "doc/heroku.rst",
    ]
    assert [name for name in read if not files.search(name)] == []
    assert [name for name in ("static/app.js", "templates/base.html", "docs/logo.png") if files.search(name)] == []
