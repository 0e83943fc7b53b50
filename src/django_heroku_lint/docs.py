"""Documentation generated from the rules themselves: the README's rules and fixes tables,
and a page per rule in ``docs/rules/`` (``CODE.md``, each :meth:`Rule.docs`, plus an index).

Run from the repository's root after changing a rule::

    python -m django_heroku_lint.docs           # update README.md and docs/rules/
    python -m django_heroku_lint.docs --check   # change nothing; exit 1 when stale

Tests fail while the README's table or a page is stale, so the docs, ``djhlint rule
CODE`` and the rules cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from .rules.registry import ALL_RULES

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
FIXES_START, FIXES_END = "<!-- fixes-table:start -->", "<!-- fixes-table:end -->"
PAGES_DIR = Path("docs") / "rules"  # relative to the folder of the README
RULE_PAGE = re.compile(r"^[A-Z]+[0-9]+\.md$")
BANNER = "<!-- Generated from the rule's docstring by `python -m django_heroku_lint.docs`: edit the rule, not this file. -->"


# ---------------------------------------------------------------------- README table


def rules_table() -> str:
    lines = ["| code | name | fix | what it flags |", "|---|---|---|---|"]
    for rule in ALL_RULES:
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| {rule.code} | `{rule.name}` | {'yes' if rule.fixable else ''} | {summary} |")
    return "\n".join(lines)


def fixes_table() -> str:
    """The fixable rules, each with the table that ends its "Fix safety" section: the safe
    ones first, then those whose fix is unsafe, each group in code order."""
    lines = ["| rule | the fix | safety |", "|---|---|---|"]
    fixable = [rule for rule in ALL_RULES if rule.fixable]
    rows = {rule.code: rule.fix_rows() for rule in fixable}
    for rule in sorted(fixable, key=lambda rule: (rows[rule.code][:1] != [] and rows[rule.code][0][1].startswith("unsafe"), rule.code)):
        for fix, safety in rows[rule.code]:
            lines.append(f"| {rule.code} {rule.name} | {fix} | {safety} |")
    return "\n".join(lines)


def update_readme(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError("the README has no rules-table markers")
    text = pattern.sub(lambda _: f"{START}\n{rules_table()}\n{END}", text)
    fixes = re.compile(re.escape(FIXES_START) + ".*?" + re.escape(FIXES_END), re.DOTALL)
    return fixes.sub(lambda _: f"{FIXES_START}\n{fixes_table()}\n{FIXES_END}", text)


# ---------------------------------------------------------------------- rule pages


def page(rule) -> str:
    return f"{BANNER}\n\n{rule.docs()}"


def index(rules: Sequence) -> str:
    lines = [
        BANNER,
        "",
        "# Rules",
        "",
        "Every rule djhlint runs. A code, a prefix (`DJH1`) or a name selects rules in `--select`,",
        "`--ignore` and `[tool.djhlint]`; `djhlint rule CODE` prints a page in the terminal.",
        "",
        "| code | name | fix | what it flags |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {'yes' if rule.fixable else ''} | {summary} |")
    return "\n".join(lines) + "\n"


def pages(rules: Sequence | None = None) -> dict[str, str]:
    """File name -> text for every page of ``docs/rules``."""
    rules = ALL_RULES if rules is None else rules
    result = {f"{rule.code}.md": page(rule) for rule in rules}
    result["README.md"] = index(rules)
    return result


def stale_pages(folder: Path, expected: dict[str, str]) -> list[str]:
    """The pages in ``folder`` that differ from ``expected``, are missing, or are left over."""
    found = {p.name for p in folder.glob("*.md")} if folder.is_dir() else set()
    problems = []
    for name, text in expected.items():
        path = folder / name
        if name not in found:
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: out of date")
    leftover = sorted(name for name in found - set(expected) if RULE_PAGE.match(name))
    problems += [f"{folder / name}: no rule has this code" for name in leftover]
    return problems


def write_pages(folder: Path, expected: dict[str, str]) -> list[str]:
    """Bring ``folder`` in line with ``expected``; returns what changed."""
    changed = []
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted({p.name for p in folder.glob("*.md")} - set(expected)):
        if RULE_PAGE.match(name):  # the page of a rule that no longer exists
            (folder / name).unlink()
            changed.append(f"removed {folder / name}")
    for name, text in expected.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(f"wrote {path}")
    return changed


# ---------------------------------------------------------------------- command


PROG = "python -m django_heroku_lint.docs"


class _Unusable(click.ClickException):
    exit_code = 2  # 1 means stale docs


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("readme", required=False, default="README.md", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when the README's table or a page is stale.")
@click.pass_context
def command(ctx: click.Context, readme: Path, check: bool) -> None:
    """Regenerate the docs made from the rules: README's rules table (default README: README.md)
    and the pages in docs/rules/ beside it."""
    try:
        code = regenerate(readme, check)
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # unreadable, or no rules-table markers
        raise _Unusable(f"{readme}: {exc}") from None
    ctx.exit(code)


def regenerate(readme: Path, check: bool = False) -> int:
    """Bring the README's table and the rule pages up to date, or with ``check`` only say which are stale."""
    folder = readme.parent / PAGES_DIR
    expected = pages()
    text = readme.read_text(encoding="utf-8")
    new = update_readme(text)
    if check:
        problems = ([f"{readme}: the rules or fixes table is out of date"] if new != text else []) + stale_pages(folder, expected)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `python -m django_heroku_lint.docs` to regenerate them", file=sys.stderr)
        return 1 if problems else 0
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print(f"updated {readme}")
    for line in write_pages(folder, expected):
        print(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command on ``argv`` (default: the command line); returns its exit code."""
    try:
        command.main(args=None if argv is None else list(argv), prog_name=PROG)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
