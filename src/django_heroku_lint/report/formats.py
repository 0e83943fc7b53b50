"""Reporters: diagnostics (and the rules registry) in, text out.

One function per ``--output-format``.  The ``json`` shape is a contract (see the
README): an array of objects with ``code``, ``name``, ``message``, ``filename``,
``location`` and ``end_location`` (``row``, ``column``), ``fix`` and ``url``.

This module knows nothing of rules' logic and never imports LibCST: the ``full``
format and GitLab's fingerprints read a source line through :class:`SourceLines`,
which only reads the file's text.  What a single format needs (hashlib, XML, URL
quoting) is imported by that format, to keep start-up short.  Paths are shown
relative to the current folder (the repository's root in CI) when the file is below it.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from .. import __version__
from ..ftypes import SAFE, Diagnostic, Fix
from ..printable import printable, relative_path

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any, TextIO

    Rules = Sequence[Any]  # the rules registry: Rule classes (code, name, url(), docs() ...)

FORMATS = ("concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "junit")
COLOR_FORMATS = ("concise", "full")
TOOL = "djhlint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Every rule reports an error today (any diagnostic fails the run); a rule may declare
# ``level = "warning"`` or ``"note"`` and the formats that know levels follow it.
DEFAULT_LEVEL = "error"
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}

# Left raw by json.dumps(ensure_ascii=False), escaped by djhlint: lone surrogates, which
# are not UTF-8, and the characters that end or reorder a line elsewhere than in JSON
# (NEL and the other C1 controls, U+2028, U+2029, the bidi controls).
JSON_ESCAPED_RE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# --------------------------------------------------------------------------- paths


def _below(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` in POSIX form, or None when it is not below it."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return Path(rel).as_posix()


def _repo_path(d: Diagnostic, root: str) -> str:
    """The path CI systems want: relative to the checkout, else relative to the build root."""
    return _below(d.path, root) or d.span.file


# --------------------------------------------------------------------------- source


class SourceLines:
    """Reads files' lines for the reporters, once per file; a file that cannot be read
    (missing, not a regular file, too large, a link that leaves the project) has no lines.

    Files are read as discovery reads them (:func:`discover.projects.read_file`), below the
    build root, and never through a link (which the project may have refused to
    follow): a reporter never shows what the linter itself did not read.
    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as Python's tokenizer (and so the
    spans of LibCST) count them.
    """

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int, root: str | None = None) -> str | None:
        """Line ``number`` of the file at ``path``, inside the build root ``root`` (by
        default the file's own folder)."""
        if path not in self._cache:
            from ..discover.projects import UnreadableFile, read_file

            try:
                text = read_file(path, root or os.path.dirname(path), listed=()).decode("utf-8", "replace")
            except UnreadableFile:
                self._cache[path] = None
            else:
                self._cache[path] = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
        lines = self._cache[path]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def _width(text: str) -> int:
    """Terminal cells: east Asian wide characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fix_title(fix: Any) -> str | None:
    """What a fix does, in one line, when the diagnostic has one."""
    if fix is None:
        return None
    if isinstance(fix, str):
        return fix
    if isinstance(fix, Mapping):
        title = fix.get("title") or fix.get("message")
    else:
        title = getattr(fix, "title", None) or getattr(fix, "message", None)
    return str(title) if title else "a fix is available"


def _level(rules: Rules, code: str) -> str:
    for rule in rules:
        if rule.code == code:
            return getattr(rule, "level", DEFAULT_LEVEL)
    return DEFAULT_LEVEL


# --------------------------------------------------------------------------- colour


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour for a terminal only: ``NO_COLOR`` turns it off, ``FORCE_COLOR`` on.

    Both count when set to a non-empty value (no-color.org, force-color.org); when
    both are set, ``NO_COLOR`` wins.  ``TERM=dumb`` turns colour off.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Style:
    """ANSI styles, or nothing at all."""

    CODES = {"bold": "1", "red": "1;31", "cyan": "36", "blue": "1;34", "green": "32", "yellow": "33", "dim": "2"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{self.CODES[style]}m{text}\x1b[0m"


# --------------------------------------------------------------------------- text formats


def _header(d: Diagnostic, paint: Style, cwd: Path | None, unsafe_fixes: bool = False) -> str:
    colon = paint(":", "cyan")
    where = f"{paint(printable(relative_path(d.path, cwd)), 'bold')}{colon}{d.span.line}{colon}{d.span.col}{colon}"
    marker = " " + paint("[*]", "cyan") if fixable(d, unsafe_fixes) else ""
    return f"{where} {paint(d.code, 'red')}{marker} {printable(d.message)}"


def concise(
    diagnostics: Sequence[Diagnostic], *, color: bool = False, cwd: Path | None = None, unsafe_fixes: bool = False
) -> str:
    """``path:line:col: CODE [*] message``, one a line; ``[*]`` marks what ``--fix`` repairs."""
    paint = Style(color)
    lines = [_header(d, paint, cwd, unsafe_fixes) for d in diagnostics]
    return "\n".join(lines) + ("\n" if lines else "")


def full(
    diagnostics: Sequence[Diagnostic],
    *,
    color: bool = False,
    cwd: Path | None = None,
    source: SourceLines | None = None,
    unsafe_fixes: bool = False,
    secrets: Collection[str] = (),
) -> str:
    """The concise header, then the source line with carets under the span and the fix.

    A span over several lines is underlined to the end of its first line.  A file that
    does not exist (a missing ``.python-version``) has no frame.  The source line is
    printed with its control characters escaped, and the carets measured on that; a
    secret in it (one of ``secrets``, a URL's password, what a line assigns to a
    secret's name) shows redacted (see :func:`model.secrets.redact_text`).
    """
    from ..model.secrets import dotenv_file, procfile_file, redact_positions

    paint = Style(color)
    source = source or SourceLines()
    blocks = []
    for d in diagnostics:
        out = [_header(d, paint, cwd, unsafe_fixes)]
        text = source.line(d.path, d.span.line, d.build_root)
        title = fix_title(d.fix)
        gutter = " " * len(str(d.span.line))
        bar = paint("|", "blue")
        if text is not None:
            start = min(max(d.span.col - 1, 0), len(text))
            end = d.span.end_col - 1 if d.span.end_line == d.span.line else len(text)
            end = min(max(end, start), len(text))
            # The line is shown with its secrets redacted, and the carets still under the span.
            text, (start, end) = redact_positions(text, secrets, [start], dotenv_file(d.span.file), ends=[end], shell=procfile_file(d.span.file))
            shown = printable(text.expandtabs(4))
            lead = _width(printable(text[:start].expandtabs(4)))
            carets = max(_width(printable(text[:end].expandtabs(4))) - lead, 1)
            out += [
                f"{gutter} {bar}",
                f"{paint(str(d.span.line), 'blue')} {bar} {shown}".rstrip(),
                f"{gutter} {bar} {' ' * lead}{paint('^' * carets + ' ' + d.code, 'red')}",
                f"{gutter} {bar}",
            ]
        if title:
            out.append(f"{gutter} {paint('=', 'blue')} {paint('help', 'bold')}: {printable(title)}")
        blocks.append("\n".join(out))
    return "\n\n".join(blocks) + ("\n\n" if blocks else "")  # a blank line before the summary


# --------------------------------------------------------------------------- JSON formats


def _json_item(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": d.path,
        "location": {"row": d.span.line, "column": d.span.col},
        "end_location": {"row": d.span.end_line, "column": d.span.end_col},
        "fix": fix_json(d.fix, d.build_root),
        "url": d.url,
    }


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    items = [_json_item(d) for d in diagnostics]
    return _json_escape(json.dumps(items, indent=2, ensure_ascii=False)) + "\n"


def _json_escape(text: str) -> str:
    """A file name that is not valid UTF-8 holds lone surrogates: escape them as JSON
    does (json.loads gives the same name back), so the output stays valid UTF-8.  The
    line separators too, so that a JSON Lines record stays one line for any reader."""
    return JSON_ESCAPED_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_lines(diagnostics: Sequence[Diagnostic]) -> str:
    """The ``json`` objects, one a line (JSON Lines), for streaming consumers."""
    return "".join(_json_escape(json.dumps(_json_item(d), ensure_ascii=False)) + "\n" for d in diagnostics)


# --------------------------------------------------------------------------- GitHub Actions


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic], rules: Rules = (), *, cwd: Path | None = None) -> str:
    """Workflow commands: each diagnostic becomes an annotation on the pull request."""
    lines = []
    for d in diagnostics:
        command = GITHUB_COMMAND.get(_level(rules, d.code), "error")
        props = {
            "title": f"{TOOL} ({d.code})",
            "file": Path(relative_path(d.path, cwd)).as_posix(),
            "line": str(d.span.line),
            "col": str(d.span.col),
            "endLine": str(d.span.end_line),
            "endColumn": str(d.span.end_col),
        }
        joined = ",".join(f"{key}={_github_property(value)}" for key, value in props.items())
        lines.append(f"::{command} {joined}::{_github_data(f'{d.code} {d.message}')}")
    return "\n".join(lines) + ("\n" if lines else "")


# --------------------------------------------------------------------------- SARIF


def _sarif_rule(rule: Any) -> dict[str, Any]:
    what = rule.sections().get("What it does", rule.summary())
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": rule.docs(), "markdown": rule.docs()},
        "defaultConfiguration": {"level": getattr(rule, "level", DEFAULT_LEVEL)},
        "properties": {"fixable": bool(rule.fixable)},
    }
    if rule.url():  # SARIF wants an address or no helpUri at all
        descriptor["helpUri"] = rule.url()
    return descriptor


def sarif(diagnostics: Sequence[Diagnostic], rules: Rules = (), *, cwd: Path | None = None) -> str:
    """SARIF 2.1.0: one run, a ``tool.driver.rules`` entry per rule, a result per diagnostic.

    File locations are relative URIs against ``%SRCROOT%``, the current folder (the
    checkout in CI), which ``originalUriBaseIds`` spells out; a file outside it gets
    an absolute ``file:`` URI.  Columns count Unicode code points, end exclusive.
    """
    from urllib.parse import quote

    root = Path(cwd or Path.cwd()).resolve()
    descriptors = [_sarif_rule(rule) for rule in rules]
    index = {rule.code: i for i, rule in enumerate(rules)}
    for d in diagnostics:  # a code the registry does not know still gets an entry
        if d.code not in index:
            index[d.code] = len(descriptors)
            descriptors.append({"id": d.code, "name": d.name, "shortDescription": {"text": d.name}})
            if d.url:
                descriptors[-1]["helpUri"] = d.url
    results = []
    for d in diagnostics:
        rel = _below(d.path, str(root))
        # A file name that is not valid UTF-8 is quoted as its own bytes, as as_uri() does.
        artifact = {"uri": quote(rel, errors="surrogateescape"), "uriBaseId": "%SRCROOT%"} if rel is not None else {"uri": Path(d.path).as_uri()}
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _level(rules, d.code),
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": {
                                "startLine": d.span.line,
                                "startColumn": d.span.col,
                                "endLine": d.span.end_line,
                                "endColumn": max(d.span.end_col, 1),
                            },
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return _json_escape(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


# --------------------------------------------------------------------------- GitLab


def gitlab(
    diagnostics: Sequence[Diagnostic],
    rules: Rules = (),
    *,
    cwd: Path | None = None,
    source: SourceLines | None = None,
    environ: Mapping[str, str] | None = None,
    secrets: Collection[str] = (),
) -> str:
    """GitLab Code Quality: a JSON array of issues with stable fingerprints.

    Paths are relative to ``CI_PROJECT_DIR`` when GitLab sets it, else to the current
    folder.  The fingerprint hashes the code, the path and the text of the flagged
    line, its secrets redacted (the message when there is no line), not the line
    number: an issue keeps its
    fingerprint when unrelated lines are added above it, so GitLab does not show it as
    fixed and new again.  Identical issues are told apart by their order.
    """
    import hashlib

    from ..model.secrets import dotenv_file, procfile_file, redact_text

    env = os.environ if environ is None else environ
    root = env.get("CI_PROJECT_DIR") or str(cwd or Path.cwd())
    source = source or SourceLines()
    seen: Counter[str] = Counter()
    issues = []
    for d in diagnostics:
        path = _repo_path(d, root)
        text = source.line(d.path, d.span.line, d.build_root)
        anchor = text.strip() if text and text.strip() else d.message
        # A line's secret is not hashed into what the report publishes (a guess could be checked against it).
        anchor = redact_text(anchor, secrets, dotenv_file(d.span.file), shell=procfile_file(d.span.file))
        base = hashlib.sha256("\0".join((d.code, path, anchor)).encode("utf-8", "surrogatepass")).hexdigest()
        seen[base] += 1
        fingerprint = base if seen[base] == 1 else hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint,
                "severity": GITLAB_SEVERITY.get(_level(rules, d.code), "major"),
                "location": {"path": path, "lines": {"begin": d.span.line, "end": d.span.end_line}},
            }
        )
    return _json_escape(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"


# --------------------------------------------------------------------------- JUnit


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def junit(diagnostics: Sequence[Diagnostic], *, cwd: Path | None = None) -> str:
    """JUnit XML: one test suite, one failing test case per diagnostic, named by file."""
    import xml.etree.ElementTree as ET

    count = str(len(diagnostics))
    suites = ET.Element("testsuites", name=TOOL, tests=count, failures=count, errors="0")
    suite = ET.SubElement(suites, "testsuite", name=TOOL, tests=count, failures=count, errors="0", skipped="0")
    for d in diagnostics:
        path = _xml(Path(relative_path(d.path, cwd)).as_posix())
        where = f"{path}:{d.span.line}:{d.span.col}"
        case = ET.SubElement(
            suite, "testcase", name=f"{d.code} {d.name} ({where})", classname=path, file=path, line=str(d.span.line)
        )
        failure = ET.SubElement(case, "failure", message=_xml(d.message), type=d.code)
        failure.text = _xml(f"{where}: {d.code} {d.message}" + f"\nsee {d.url or f'djhlint rule {d.code}'}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- summary and statistics


def fixable(d: Diagnostic, unsafe_fixes: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when asked) would repair the diagnostic."""
    return d.fix is not None and (unsafe_fixes or d.fix.applicability == SAFE)


def fix_json(fix: Fix | None, build_root: str) -> dict[str, Any] | None:
    """The JSON ``fix`` field: applicability, message, and edits with absolute filenames."""
    if fix is None:
        return None
    edits: list[dict[str, Any]] = []
    for e in fix.edits:
        item: dict[str, Any] = {"kind": e.kind, "filename": os.path.join(build_root, e.file)}
        if e.kind == "replace" and e.span is not None:
            item["location"] = {"row": e.span.line, "column": e.span.col}
            item["end_location"] = {"row": e.span.end_line, "column": e.span.end_col}
            item["content"] = e.content
        elif e.kind in ("create", "rewrite"):
            item["content"] = e.content
        elif e.kind == "rename":
            item["new_filename"] = os.path.join(build_root, e.new_file or "")
        edits.append(item)
    return {"applicability": fix.applicability, "message": fix.message, "edits": edits}


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


def guess_note(build_root: str, module: str, candidates: Sequence[str]) -> str:
    """The summary's line for a settings module chosen among several candidates."""
    where = relative_path(build_root)
    prefix = "" if where in (".", "") else f"{where}: "
    return f"{prefix}judged {module} (guessed among {len(candidates)} candidates; set settings-module to choose)"


def unjudged_note(build_root: str, reason: str) -> str:
    """The summary's line for a project whose settings no rule judged, DJH001 not reporting it."""
    where = relative_path(build_root)
    prefix = "" if where in (".", "") else f"{where}: "
    return f"{prefix}no settings module was judged, so the settings rules were skipped ({reason}); set settings-module to choose"


def statistics_rows(diagnostics: Sequence[Diagnostic], unsafe_fixes: bool = False) -> list[dict[str, Any]]:
    """A count per rule, the most frequent first: code, name, count, and whether ``--fix``
    (with ``--unsafe-fixes`` when asked) repairs any of them."""
    counts: Counter[str] = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    repairable = Counter(d.code for d in diagnostics if fixable(d, unsafe_fixes))
    return [
        {"code": code, "name": names[code], "count": n, "fixable": repairable[code] > 0}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics(
    diagnostics: Sequence[Diagnostic], fmt: str = "concise", *, color: bool = False, unsafe_fixes: bool = False
) -> str:
    """``--statistics``: ``count<TAB>code<TAB>[*] name`` for ``concise`` and ``full``; for
    ``json`` an array of ``{"code", "name", "count", "fixable"}``, for ``json-lines`` those
    objects one a line.  The other formats have no place for it (the CLI refuses them)."""
    rows = statistics_rows(diagnostics, unsafe_fixes)
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "json-lines":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if fmt not in COLOR_FORMATS:
        raise ValueError(f"--statistics has no {fmt!r} format")
    if not rows:
        return ""
    paint = Style(color)
    width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    lines = [
        f"{row['count']:>{width}}\t{paint(row['code'], 'red')}{' ' * (code_width - len(row['code']))}\t"
        f"{'[*]' if row['fixable'] else '[ ]'} {row['name']}"
        for row in rows
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- dispatch


def redact(diagnostics: Sequence[Diagnostic], secrets: Collection[str] = ()) -> list[Diagnostic]:
    """The diagnostics with every secret their messages (and their fixes' messages) quote
    redacted: ``secrets``, the passwords of URLs (see :func:`model.secrets.redact_text`)."""
    from dataclasses import replace

    from ..model.secrets import procfile_file, redact_text

    out = []
    for d in diagnostics:
        shell = procfile_file(d.span.file)  # a message may quote one of its commands
        message = redact_text(d.message, secrets, shell=shell)
        fix = d.fix
        fix_message = redact_text(fix.message, secrets, shell=shell) if fix is not None and fix.message else None
        if fix is not None and fix_message is not None and fix_message != fix.message:
            fix = replace(fix, message=fix_message)
        out.append(d if message == d.message and fix is d.fix else replace(d, message=message, fix=fix))
    return out


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    rules: Rules = (),
    *,
    color: bool = False,
    unsafe_fixes: bool = False,
    secrets: Collection[str] = (),
) -> str:
    """The diagnostics in format ``fmt``; ``rules`` is the registry (SARIF lists every rule);
    ``secrets`` are redacted wherever a format quotes the source (``full``) or hashes it
    (``gitlab``'s fingerprints)."""
    renderers: dict[str, Callable[[], str]] = {
        "concise": lambda: concise(diagnostics, color=color, unsafe_fixes=unsafe_fixes),
        "full": lambda: full(diagnostics, color=color, unsafe_fixes=unsafe_fixes, secrets=secrets),
        "json": lambda: as_json(diagnostics),
        "json-lines": lambda: json_lines(diagnostics),
        "github": lambda: github(diagnostics, rules),
        "sarif": lambda: sarif(diagnostics, rules),
        "gitlab": lambda: gitlab(diagnostics, rules, secrets=secrets),
        "junit": lambda: junit(diagnostics),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(FORMATS)})")
    return renderers[fmt]()
