"""Documentation generated from the rules themselves: the README's rules table.

Run ``python -m django_heroku_lint.docs`` after changing a rule; a test fails while the
README is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .rules import ALL_RULES

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def rules_table() -> str:
    lines = ["| code | name | fix | what it flags |", "|---|---|---|---|"]
    for rule in ALL_RULES:
        summary = rule.summary().replace("|", "\\|")
        lines.append(f"| {rule.code} | `{rule.name}` | {'yes' if rule.fixable else ''} | {summary} |")
    return "\n".join(lines)


def update_readme(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError("the README has no rules-table markers")
    return pattern.sub(lambda _: f"{START}\n{rules_table()}\n{END}", text)


def main(argv: list[str] | None = None) -> int:
    readme = Path(argv[0] if argv else "README.md")
    text = readme.read_text(encoding="utf-8")
    new = update_readme(text)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
