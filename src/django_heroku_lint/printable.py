"""Text from the linted repository made safe to print on a terminal, in one place.

File names, setting values and Procfile commands come from repositories djhlint did
not write.  Printed raw, a newline in one forges a diagnostic line of its own, a
carriage return or an ESC sequence rewrites what the terminal shows, and a bidi
override reorders it.  Every text format passes such text through :func:`printable`,
which shows those characters as escapes (``\\n``, ``\\x1b``, ``\\u2028``), so each
diagnostic stays on one line and the terminal shows what the file holds.  A diff names
files as git does, quoted by :func:`git_quoted`.  The structured formats (JSON, SARIF,
GitLab, JUnit) escape by their own rules instead.

The reporters and the fix stage's diff both print, so this module sits below them,
beside the shared types: it imports nothing of the package.  :func:`relative_path`,
how a printed path is shown, lives here for the same reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# C0 controls, DEL and C1 controls (NEL among them), the Unicode line and paragraph
# separators, the bidi marks, embeddings, overrides and isolates, and lone surrogates,
# except those of a file name's bytes 0xa0-0xff (os.fsdecode's surrogate escapes),
# which go out as the name's own bytes; bytes 0x80-0x9f would be C1 controls there.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udc9f\udd00-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDC9F:  # a file name's byte 0x80-0x9f
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` on one line, with every control, separator and bidi character escaped."""
    return _UNSAFE.sub(_escape, text)


_GIT_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}


def git_quoted(path: str) -> str:
    """A path in a diff header as git writes it: as is, or, when it holds one of the
    characters above, a quote or a backslash, in double quotes with C escapes and every
    byte past ASCII in octal (``"a/x\\ny"``), which ``git apply`` and ``patch`` read."""
    if not _UNSAFE.search(path) and '"' not in path and "\\" not in path:
        return path
    out = []
    for byte in path.encode("utf-8", "surrogateescape"):
        if byte in _GIT_ESCAPES:
            out.append(_GIT_ESCAPES[byte])
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


def relative_path(path: str, cwd: Path | None = None) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    cwd_str = str(cwd or Path.cwd())
    try:
        rel = os.path.relpath(path, cwd_str)
    except ValueError:
        return path
    return path if rel.startswith("..") and len(rel.split(os.sep)) > 4 else rel


def redacted(secret: str) -> str:
    """A secret as djhlint prints it: its first four characters and its length
    (``djan… (50 characters)``), enough to tell which value it is without giving it away."""
    return f"{secret[:4]}… ({len(secret)} characters)"
