"""Reporters: diagnostics in, text out.  The JSON shape is a contract (see the README)."""

from __future__ import annotations

import json
from os.path import join
from typing import Any, Sequence

from .engine import relative_path
from .ftypes import SAFE, Diagnostic, Fix

FORMATS = ("concise", "json")


def fixable(d: Diagnostic, unsafe_fixes: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when asked) would repair the diagnostic."""
    return d.fix is not None and (unsafe_fixes or d.fix.applicability == SAFE)


def concise(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool = False) -> str:
    lines = []
    for d in diagnostics:
        marker = " [*]" if fixable(d, unsafe_fixes) else ""
        lines.append(f"{relative_path(d.path)}:{d.span.line}:{d.span.col}: {d.code}{marker} {d.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def fix_json(fix: Fix | None, build_root: str) -> dict[str, Any] | None:
    """The JSON ``fix`` field: applicability, message, and edits with absolute filenames."""
    if fix is None:
        return None
    edits: list[dict[str, Any]] = []
    for e in fix.edits:
        item: dict[str, Any] = {"kind": e.kind, "filename": join(build_root, e.file)}
        if e.kind == "replace" and e.span is not None:
            item["location"] = {"row": e.span.line, "column": e.span.col}
            item["end_location"] = {"row": e.span.end_line, "column": e.span.end_col}
            item["content"] = e.content
        elif e.kind == "create":
            item["content"] = e.content
        elif e.kind == "rename":
            item["new_filename"] = join(build_root, e.new_file or "")
        edits.append(item)
    return {"applicability": fix.applicability, "message": fix.message, "edits": edits}


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    items = [
        {
            "code": d.code,
            "name": d.name,
            "message": d.message,
            "filename": d.path,
            "location": {"row": d.span.line, "column": d.span.col},
            "end_location": {"row": d.span.end_line, "column": d.span.end_col},
            "fix": fix_json(d.fix, d.build_root),
            "url": d.url,
        }
        for d in diagnostics
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def summary(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool = False, fixed: int = 0) -> str:
    if fixed:
        total = fixed + len(diagnostics)
        line = f"Found {total} problem{'s' if total != 1 else ''} ({fixed} fixed, {len(diagnostics)} remaining)."
    elif not diagnostics:
        return "All checks passed."
    else:
        files = len({d.path for d in diagnostics})
        problems = "problem" if len(diagnostics) == 1 else "problems"
        line = f"Found {len(diagnostics)} {problems} in {files} file{'s' if files != 1 else ''}."
    can_fix = sum(1 for d in diagnostics if fixable(d, unsafe_fixes))
    hidden = sum(1 for d in diagnostics if d.fix is not None and not fixable(d, unsafe_fixes))
    option = "`--fix --unsafe-fixes`" if unsafe_fixes else "the `--fix` option"
    hint = f" ({hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if can_fix:
        line += f"\n[*] {can_fix} fixable with {option}{hint}."
    elif hidden:
        line += f"\nNo fixes available{hint}."
    return line


def render(diagnostics: Sequence[Diagnostic], fmt: str, unsafe_fixes: bool = False) -> str:
    if fmt == "json":
        return as_json(diagnostics)
    return concise(diagnostics, unsafe_fixes)
