"""The fix stage, second half: apply fixes in memory, prove them, then write them.

For each project, in bounded rounds: resolve the fixes of the current diagnostics
(``fixes.resolve``), pick those whose edits do not overlap, apply them to an in-memory
copy of the files, and lint that copy again.  A round is kept only if every changed
Python file still parses and every fixed diagnostic is gone; otherwise the fix that
broke it is found, reported as an internal error naming its rule, and its files are
left alone.  Overlapping fixes wait for the next round, which sees the files as the
previous one left them.  Only then is anything written (``writer.py``): atomically,
never over a file that changed since it was read, never a read-only file, never
through a link or outside the project.  ``--diff`` stops before writing and prints what
would change.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..discover.projects import Project
from ..ftypes import SAFE, Diagnostic, Edit, Fix, ParseError, Span
from ..edit.source import TextSource, load_source
from .fixes import resolve
from ..read.lines import is_python, line_starts, span_offsets
from ..read.python import decode_text, parse_python
from ..read.config import is_excluded
from ..printable import git_quoted, relative_path
from ..rules.context import LintResult, ProjectResult
from .writer import FileChange, WriteError, preflight, sweep, write

MAX_ROUNDS = 8  # rounds of non-overlapping fixes, retries after a broken fix included
MAX_ATTEMPTS = 3  # plans made again without files that cannot be written

Relint = Callable[[Project], list[Diagnostic]]


class Skip(Exception):
    """A fix that cannot be applied to the files as they are now."""


# ---------------------------------------------------------------------- the files in memory


@dataclass
class State:
    """The build's files as the fixes so far leave them, without touching the disk."""

    base: Project
    contents: dict[str, bytes] = field(default_factory=dict)  # changed and created files
    origins: dict[str, str | None] = field(default_factory=dict)  # path -> original path (None: created)
    removed: frozenset[str] = frozenset()  # files renamed away or deleted
    deleted: frozenset[str] = frozenset()  # files of the disk the fixes delete, by their original path

    def read(self, rel: str) -> bytes | ParseError:
        if rel in self.contents:
            return self.contents[rel]
        if rel in self.removed:
            return ParseError(Span(rel), "no such file")
        return self.base.read(rel)

    @property
    def files(self) -> frozenset[str]:
        return (self.base.files - self.removed) | frozenset(self.contents)

    def project(self) -> Project:
        return _StateProject(self)

    def changes(self) -> list[FileChange]:
        """Each file the fixes change, end to end: original path and bytes, new path and bytes."""
        changes = []
        for path in sorted(self.contents):
            origin = self.origins.get(path, path)
            before = None if origin is None else self.base.read(origin)
            if isinstance(before, ParseError):  # pragma: no cover - a file the fixes read was readable
                continue
            if origin == path and before == self.contents[path]:
                continue
            changes.append(FileChange(path, origin, before, self.contents[path]))
        for origin in sorted(self.deleted):  # last: a deletion waits for the other writes
            before = self.base.read(origin)
            if isinstance(before, ParseError):  # pragma: no cover - a file the fixes delete was readable
                continue
            changes.append(FileChange(origin, origin, before, None))
        return changes

    def apply(self, fixes: list[Fix]) -> State:
        """A new state with the fixes' edits applied (they must not overlap)."""
        contents, origins, removed, deleted = dict(self.contents), dict(self.origins), set(self.removed), set(self.deleted)
        by_file: dict[str, list[Edit]] = {}
        for fix in fixes:
            for edit in fix.edits:
                if edit.kind == "replace":
                    by_file.setdefault(edit.file, []).append(edit)
        for path, edits in by_file.items():
            source = self._source(path)
            python = is_python(path)
            starts = line_starts(source.text, python)
            ranges = sorted(
                ((*span_offsets(source.text, e.span, python, starts), e.content) for e in edits if e.span is not None),
                reverse=True,
            )
            text = source.text
            previous_start = len(text) + 1
            for start, end, content in ranges:
                if end > previous_start:
                    raise Skip("overlapping edits")
                text = text[:start] + content + text[end:]
                previous_start = start
            try:
                contents[path] = source.encode(text)
            except UnicodeEncodeError:
                raise Skip(f"{path}: the new text cannot be written in the file's encoding") from None
            origins.setdefault(path, path)
        for fix in fixes:
            for edit in fix.edits:
                if edit.kind == "create":
                    if edit.file in self.files or edit.file in contents or edit.file in deleted:
                        raise Skip(f"{edit.file} already exists")
                    contents[edit.file] = edit.content.encode("utf-8")
                    origins[edit.file] = None
                elif edit.kind == "rewrite":
                    if edit.file not in self.files or edit.file in removed:
                        raise Skip(f"no {edit.file} to rewrite")
                    contents[edit.file] = edit.content.encode("utf-8")
                    origins.setdefault(edit.file, edit.file)
                elif edit.kind == "delete":
                    if edit.file not in self.files or edit.file in removed:
                        raise Skip(f"no {edit.file} to delete")
                    contents.pop(edit.file, None)
                    origin = origins.pop(edit.file, edit.file)
                    if origin is not None:
                        deleted.add(origin)
                    removed.add(edit.file)
                elif edit.kind == "rename":
                    new = edit.new_file or ""
                    if edit.file not in self.files or new in self.files or new in contents:
                        raise Skip(f"cannot rename {edit.file} to {new}")
                    data = contents.pop(edit.file, None)
                    if data is None:
                        read = self.base.read(edit.file)
                        if isinstance(read, ParseError):
                            raise Skip(read.reason)
                        data = read
                    contents[new] = data
                    origins[new] = origins.pop(edit.file, edit.file)
                    removed.add(edit.file)
        return State(self.base, contents, origins, frozenset(removed), frozenset(deleted))

    def _source(self, path: str) -> TextSource:
        source = load_source(path, self.read(path))
        if source is None:
            raise Skip(f"{path} cannot be parsed; it is never touched")
        return source


class _StateProject(Project):
    """A project whose reads come from a ``State``: what the rules see after the fixes."""

    def __init__(self, state: State) -> None:
        base = state.base
        super().__init__(base.build_root, base.project_dir, state.files, base.in_git, base.venv_dirs, repo_top=base.repo_top, untracked=base.untracked)
        self._state = state

    def read(self, rel: str) -> bytes | ParseError:
        return self._state.read(rel)


# ---------------------------------------------------------------------- planning


@dataclass
class Plan:
    """A project's round of fixes: what was applied and what went wrong."""

    state: State
    applied: list[tuple[Diagnostic, Fix]]  # each fixed diagnostic with its resolved fix
    errors: list[str]
    internal_error: bool = False


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (unsafe or fix.applicability == SAFE)


def _safe_path(rel: str | None) -> bool:
    return rel is not None and rel != "" and not rel.startswith("/") and "\\" not in rel and all(p not in ("", ".", "..") for p in rel.split("/"))


def _files_of(fix: Fix) -> set[str]:
    return {e.file for e in fix.edits} | {e.new_file for e in fix.edits if e.new_file}


def _claims(fix: Fix, state: State) -> list[tuple[str, int, int]]:
    """The regions a fix changes, as (file, start, end); (file, -1, -1) is the whole file.
    Raises Skip when the fix cannot be applied to the files as they are."""
    claims = []
    for edit in fix.edits:
        if not _safe_path(edit.file) or (edit.kind == "rename" and not _safe_path(edit.new_file)):
            raise Skip("a path outside the project")
        if edit.kind == "replace":
            if edit.span is None:
                raise Skip("a replace edit without a span")
            source = state._source(edit.file)
            try:
                edit.content.encode(source.encoding)
            except UnicodeEncodeError:
                raise Skip("the new text cannot be written in the file's encoding") from None
            start, end = span_offsets(source.text, edit.span, is_python(edit.file))
            claims.append((edit.file, start, end))
        else:
            claims.append((edit.file, -1, -1))
            if edit.new_file:
                claims.append((edit.new_file, -1, -1))
    return claims


def _overlap(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    if a[0] != b[0]:
        return False
    if a[1] < 0 or b[1] < 0:
        return True
    return a[1] <= b[2] and b[1] <= a[2]


def choose(
    state: State, diagnostics: list[Diagnostic], unsafe: bool, frozen: set[str], excludes: tuple[tuple[str, str], ...] = ()
) -> list[tuple[Diagnostic, Fix]]:
    """The fixes to apply in this round: resolved, allowed, not overlapping, and touching
    no file the exclude patterns match (a file a fix would create included)."""
    root = str(state.base.build_root)
    chosen: list[tuple[Diagnostic, Fix]] = []
    taken: list[tuple[str, int, int]] = []
    files = state.files
    for diagnostic in sorted(diagnostics, key=Diagnostic.sort_key):
        if not applicable(diagnostic.fix, unsafe):
            continue
        fix = resolve(diagnostic.fix, state.read, files)  # type: ignore[arg-type]
        if fix is None or _files_of(fix) & frozen:
            continue
        if excludes and any(is_excluded(os.path.join(root, rel), excludes, root) for rel in _files_of(fix)):
            continue
        try:
            claims = _claims(fix, state)
        except Skip:
            continue
        if any(_overlap(c, t) for c in claims for t in taken):
            continue
        chosen.append((diagnostic, fix))
        taken.extend(claims)
    return chosen


def _verify(
    before_state: State, after_state: State, chosen: list[tuple[Diagnostic, Fix]], before: list[Diagnostic], after: list[Diagnostic]
) -> str | None:
    """Why the round's fixes are wrong, or ``None``: every file the round changed parses
    (Python) or decodes (text), and every fixed diagnostic is gone (its rule reports fewer
    problems by as many fixes).  A renamed file is judged by its name only: its bytes are
    not the rename's doing, and neither are the problems it shows under its new name, of
    the same code maybe (DJH602 is both a misnamed requirements file and one pip cannot
    read, UTF-16 or including a missing file)."""
    renamed = {e.new_file: e.file for _, fix in chosen for e in fix.edits if e.kind == "rename" and e.new_file}
    for path, data in after_state.contents.items():
        old = before_state.read(renamed.get(path, path))
        if old == data:
            continue  # not changed by this round (a renamed file keeps its bytes)
        if is_python(path):
            parsed = parse_python(data, path)
            if isinstance(parsed, ParseError):
                return f"left {path} unparsable ({parsed.reason})"
            if not _compiles(data, path) and isinstance(old, bytes) and _compiles(old, path):
                return f"left {path} refused by Python's compiler"
        elif isinstance(decode_text(data, path), ParseError):
            return f"left {path} unreadable"
    counts_before = Counter(d.code for d in before)
    counts_after = Counter(d.code for d in after if d.span.file not in renamed)
    for code, fixed in Counter(d.code for d, _ in chosen).items():
        if counts_after[code] > counts_before[code] - fixed:
            return f"did not remove the {code} diagnostic it fixes"
    return None


def _compiles(data: bytes, path: str) -> bool:
    """Whether this Python compiles the module.  LibCST parses some code CPython refuses
    (an import above ``from __future__ import ...``): a fix must not leave such code."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the user's code are not ours to show
            compile(data, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def plan_project(result: ProjectResult, relint: Relint, unsafe: bool, frozen: set[str]) -> Plan:
    """Apply the project's fixes in memory, round by round, keeping only proven ones."""
    state = State(result.project)
    diagnostics = list(result.diagnostics)
    applied: list[tuple[Diagnostic, Fix]] = []
    errors: list[str] = []
    internal = False
    for _round in range(MAX_ROUNDS):
        chosen = choose(state, diagnostics, unsafe, frozen, result.excludes)
        if not chosen:
            break
        try:
            new_state = state.apply([fix for _, fix in chosen])
            new_diagnostics = relint(new_state.project())
            problem = _verify(state, new_state, chosen, diagnostics, new_diagnostics)
        except Skip as exc:
            problem = str(exc)
        if problem is None:
            state, diagnostics = new_state, new_diagnostics
            applied.extend(chosen)
            continue
        # Find the fix at fault: each one alone on the files as they were.
        culprits = []
        for diagnostic, fix in chosen:
            try:
                alone = state.apply([fix])
                reason = _verify(state, alone, [(diagnostic, fix)], diagnostics, relint(alone.project()))
            except Skip as exc:
                reason = str(exc)
            if reason is not None:
                culprits.append((diagnostic, fix, reason))
        if not culprits:
            culprits = [(d, f, f"together with the other fixes of its round {problem}") for d, f in chosen]
        for diagnostic, fix, reason in culprits:
            files = sorted(_files_of(fix))
            frozen.update(files)
            internal = True
            errors.append(
                f"internal error: the {diagnostic.code} fix for {diagnostic.span.file}:{diagnostic.span.line}:{diagnostic.span.col} "
                f"{reason}; it was not applied and {', '.join(files)} was left unchanged"
            )
    return Plan(state, applied, errors, internal)


# ---------------------------------------------------------------------- running


@dataclass
class FixOutcome:
    """What ``--fix`` or ``--diff`` did: the changes (written, or to show), how many
    diagnostics they fix, and one-line errors."""

    changes: list[tuple[Path, FileChange]] = field(default_factory=list)
    fixed: int = 0
    applied: list[Diagnostic] = field(default_factory=list)  # the diagnostics fixed (``fixed`` of them)
    errors: list[str] = field(default_factory=list)
    internal_error: bool = False


def _real(path: Path) -> Path:
    """Where a path leads, links followed; a link loop leads to itself (``Path.resolve``
    raises on one)."""
    return Path(os.path.realpath(path))


def run_fixes(result: LintResult, relint: Relint, unsafe: bool = False, write_files: bool = True) -> FixOutcome:
    """Fix what can be fixed in every project of ``result``; write unless ``write_files`` is false.

    ``relint`` lints a project as the fixes leave it (the orchestrator passes it: the fix
    stage runs after the rules and does not call back into the pipeline by itself)."""
    outcome = FixOutcome()
    claimed: set[Path] = set()  # files an earlier project's fixes changed
    for project_result in result.projects:
        project = project_result.project
        root = project.build_root
        frozen = {f for f in project.files if _real(root / f) in claimed}
        write_errors: list[str] = []
        for _attempt in range(MAX_ATTEMPTS):
            plan = plan_project(project_result, relint, unsafe, set(frozen))
            changes = plan.state.changes()
            if not write_files:
                break
            blocked = [(change, reason) for change in changes for reason in [preflight(project, change)] if reason]
            if not blocked:
                break
            for change, reason in blocked:
                write_errors.append(reason)
                frozen.update(p for p in (change.path, change.origin) if p)
        else:  # pragma: no cover - every attempt freezes at least one more file
            changes = []
        outcome.errors.extend(plan.errors)
        outcome.internal_error = outcome.internal_error or plan.internal_error
        written: set[str] = set()
        for change in changes:
            if write_files and change.deleted:
                # A deletion comes last, and only once every other file of its fixes is written.
                partners = {f for _, fix in plan.applied if change.path in _files_of(fix) for f in _files_of(fix)}
                missing = sorted(partners - written - {change.path})
                if missing:
                    write_errors.append(f"{change.path}: not deleted, as {', '.join(missing)} could not be written")
                    continue
            if write_files:
                try:
                    write(project, change)
                except WriteError as exc:
                    write_errors.append(str(exc))
                    continue
            written.update(p for p in (change.path, change.origin) if p)
            outcome.changes.append((root, change))
            claimed.add(_real(root / change.path))
            if change.origin:
                claimed.add(_real(root / change.origin))
        outcome.errors.extend(dict.fromkeys(write_errors))
        # A fix counts once its files are written (a file renamed away counts by its new name too).
        done = [diagnostic for diagnostic, fix in plan.applied if _files_of(fix) <= written]
        outcome.fixed += len(done)
        outcome.applied += done
    return outcome


def sweep_leftovers(result: LintResult) -> bool:
    """Clear what a killed ``--fix`` left where fixes write (the build root and the folders
    of the files with problems): its temporary files, and a file a case-only rename left
    in its temporary folder, put back.  True if a file was put back: lint again."""
    put_back = False
    for project_result in result.projects:
        files = {d.span.file for d in project_result.diagnostics}
        put_back = sweep(project_result.project, files) or put_back
    return put_back


def resolve_all(result: LintResult) -> None:
    """Replace each diagnostic's fix with its concrete edits, or ``None`` when it cannot
    be carried out: what the reporters show (``[*]`` and the JSON ``fix``)."""
    for project_result in result.projects:
        project = project_result.project
        diagnostics = project_result.diagnostics
        for index, diagnostic in enumerate(diagnostics):
            if diagnostic.fix is not None:
                diagnostics[index] = replace(diagnostic, fix=resolve(diagnostic.fix, project.read, project.files))


# ---------------------------------------------------------------------- diffs


def render_diff(changes: list[tuple[Path, FileChange]], secrets: Collection[str] = ()) -> str:
    """A unified diff of the changes, in git's format (renames, new and deleted files
    included; a file with NUL bytes on either side, such as UTF-16, shows as binary, as
    in git; a file name with a control character is quoted, as in git).

    A line holding a secret (one of ``secrets``, a URL's password, what a line assigns to
    a secret's name) shows it redacted, removed and context lines alike: a diff goes to
    CI logs, and one that redacts a line is for reading, not for ``git apply``."""
    from ..model.secrets import dotenv_file, procfile_file, redact_text

    out: list[str] = []
    for root, change in changes:
        new_name = relative_path(str(root / change.path))
        old_name = relative_path(str(root / change.origin)) if change.origin else new_name
        out.append(f"diff --git {git_quoted(f'a/{old_name}')} {git_quoted(f'b/{new_name}')}\n")
        if change.origin is None:
            out.append("new file mode 100644\n")
        elif change.deleted:
            out.append("deleted file mode 100644\n")
        elif change.origin != change.path:
            out.append(f"rename from {git_quoted(old_name)}\nrename to {git_quoted(new_name)}\n")
        if change.before == change.after:
            continue
        from_name = git_quoted(f"a/{old_name}") if change.origin is not None else "/dev/null"
        to_name = "/dev/null" if change.deleted else git_quoted(f"b/{new_name}")
        old_text, new_text = _diff_text(change.before or b""), _diff_text(change.after or b"")
        if old_text is None or new_text is None:
            out.append(f"Binary files {from_name} and {to_name} differ\n")
            continue
        old_lines = old_text.splitlines(keepends=True)
        new_lines = new_text.splitlines(keepends=True)
        dotenv, shell = dotenv_file(change.path), procfile_file(change.path)
        for line in difflib.unified_diff(old_lines, new_lines, from_name, to_name, n=3):
            if line.startswith(("---", "+++", "@@")):
                out.append(line if line.endswith("\n") else line + "\n")
                continue
            line = line[0] + redact_text(line[1:], secrets, dotenv, shell=shell)
            if line.endswith("\n") or line.endswith("\r"):
                out.append(line)
            else:
                out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _diff_text(data: bytes) -> str | None:
    """The text a diff shows, or ``None`` for bytes git calls binary: with NUL bytes, as
    in UTF-16 (other bytes that are not UTF-8 show as replacement characters)."""
    if b"\x00" in data:
        return None
    return data.decode("utf-8", "replace")
