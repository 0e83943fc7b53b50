"""Reporters: diagnostics in, text out.  The JSON shape is a contract (see the README)."""

from __future__ import annotations

import json
import re
from typing import Sequence

from .engine import relative_path
from .ftypes import Diagnostic

FORMATS = ("concise", "json")
SURROGATE_RE = re.compile("[\ud800-\udfff]")


def concise(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        lines.append(f"{relative_path(d.path)}:{d.span.line}:{d.span.col}: {d.code} {d.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    items = [
        {
            "code": d.code,
            "name": d.name,
            "message": d.message,
            "filename": d.path,
            "location": {"row": d.span.line, "column": d.span.col},
            "end_location": {"row": d.span.end_line, "column": d.span.end_col},
            "fix": d.fix,
            "url": d.url,
        }
        for d in diagnostics
    ]
    text = json.dumps(items, indent=2, ensure_ascii=False)
    # A file name that is not valid UTF-8 holds lone surrogates: escape them as JSON
    # does (json.loads gives the same name back), so the output stays valid UTF-8.
    return SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return "All checks passed."
    files = len({d.path for d in diagnostics})
    problems = "problem" if len(diagnostics) == 1 else "problems"
    return f"Found {len(diagnostics)} {problems} in {files} file{'s' if files != 1 else ''}."


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        return as_json(diagnostics)
    return concise(diagnostics)
