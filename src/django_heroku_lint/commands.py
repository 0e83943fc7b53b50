"""What the ``djhlint`` commands do, apart from parsing their command lines.

The click interface in :mod:`cli` parses a command line and calls these functions;
nothing here imports click.  A ``check`` run whose inputs have not changed since the
last one replays the output it stored (see :class:`Replay`): it imports neither the
rules, the settings model, LibCST nor the reporters.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import __version__
from .printable import printable

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
EDIT_FORMATS = ("json", "json-lines")  # formats that print each fix's edits
# The output formats, spelled out so that `djhlint --help` does not import the reporters.
FORMATS = ("concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "junit")


def split_codes(values: tuple[str, ...] | list[str]) -> list[str] | None:
    """``("DJH1,DJH2", "DJH3")`` -> ``["DJH1", "DJH2", "DJH3"]``; nothing given -> None."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class OutputError(Exception):
    """Standard output cannot take the output (a full disk, a closed stream): exit code 2."""


def _emit(stream, text: str) -> None:
    """Write text; a file name that is not valid UTF-8 goes out as its own bytes, and a
    character the stream's encoding lacks (``PYTHONIOENCODING=latin-1``) as an escape."""
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a surrogate-escaped file name, or a character the encoding lacks
        encoding = stream.encoding or "utf-8"
        try:
            data = text.encode(encoding, "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode(encoding, "backslashreplace")
        stream.flush()
        stream.buffer.write(data)
    stream.flush()


def discard(stream) -> None:
    """Point a stream that failed at the null device, so that what is left in its buffer
    goes nowhere when Python flushes it at exit (which would print an error and exit 120)."""
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # no stream, or no file behind it
        pass


def write(text: str) -> None:
    """Print to stdout; :class:`OutputError` when it cannot take the text."""
    if sys.stdout is None:  # started with stdout closed (`djhlint >&-`)
        if text:
            raise OutputError("standard output is closed")
        return
    try:
        _emit(sys.stdout, text)
    except BrokenPipeError:  # the reader went away (`djhlint | head`): not an error
        raise
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        raise OutputError(getattr(exc, "strerror", None) or str(exc)) from exc


def say(message: str) -> None:
    """A line on stderr (the summary, --verbose notes, errors), with the control characters
    of file names and values escaped: it stays one line.  Nothing when stderr fails."""
    if sys.stderr is None:
        return
    try:
        _emit(sys.stderr, printable(message) + "\n")
    except (OSError, ValueError):  # stderr full, closed or gone: nowhere left to tell
        discard(sys.stderr)


def error(message: str) -> None:
    say(f"djhlint: error: {message}")


def report_internal_error(exc: BaseException, verbose: bool) -> None:
    """An unexpected exception in one line on stderr; its traceback too, with --verbose."""
    if verbose and sys.stderr is not None:
        import traceback

        try:
            traceback.print_exception(exc)
        except (OSError, ValueError):
            pass
    error(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)")


class _Reported(Exception):
    """An error already told to the user in one line: the command exits 2."""


@contextmanager
def _one_line_errors(verbose: bool) -> Iterator[None]:
    """A missing path, a bad configuration or an internal error becomes one line on stderr
    (an internal error's traceback too, with --verbose) and :class:`_Reported`."""
    try:
        yield
    except BrokenPipeError:  # the reader went away: not djhlint's error
        raise
    except OutputError:  # stdout failed: the front end says so
        raise
    except Exception as exc:
        from .read.config import ConfigError  # only now: a replay never needs the configuration
        from .discover.projects import DiscoveryError

        if isinstance(exc, (DiscoveryError, ConfigError)):
            error(str(exc))
        else:
            report_internal_error(exc, verbose)
        raise _Reported from exc


@dataclass(frozen=True)
class CheckOptions:
    """What ``djhlint check`` was asked for: one field per option, named as on the command line."""

    paths: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    output_format: str = "concise"
    statistics: bool = False
    show_settings: bool = False
    settings_module: str | None = None
    explain: str | None = None
    no_cache: bool = False
    cache_dir: str | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    quiet: bool = False
    verbose: bool = False

    @property
    def replayable(self) -> bool:
        """Whether a stored output may stand for this run: never when it writes files or
        prints a diff, never with --verbose (whose notes tell how the run went) or --no-cache."""
        return not (self.fix or self.diff or self.verbose or self.no_cache)


def check(options: CheckOptions) -> int:
    """``djhlint check``: lint, maybe fix, print; returns the exit code."""
    if options.explain:
        return print_rule(options.explain)
    if options.show_settings:
        fmt = "json" if options.output_format in EDIT_FORMATS else "text"
        return print_settings(options.paths, options.settings_module, fmt, options.verbose, cache=not options.no_cache, cache_dir=options.cache_dir)
    fixed, internal_error, replay, wrote = 0, False, None, False
    try:
        with _one_line_errors(options.verbose):
            from .discover.projects import find_projects

            projects = find_projects(list(options.paths) or ["."])
            if options.replayable and projects:
                try:
                    replay = Replay(options, projects)
                except OSError:  # djhlint's own folder cannot be listed: run without replaying
                    replay = None
                stored = replay.lookup() if replay is not None else None
                if stored is not None:
                    out, lines, code = stored
                    _print(out, lines)
                    return code
            from .engine import LintResult, Options, lint, lint_project

            engine_options = Options(
                paths=list(options.paths) or ["."],
                select=split_codes(options.select),
                ignore=split_codes(options.ignore),
                settings_module=options.settings_module,
                log=say if options.verbose else None,
                cache=not options.no_cache,
                cache_dir=options.cache_dir,
            )
            result = LintResult([lint_project(project, engine_options) for project in projects])
            if options.fix or options.diff:
                from .engine import run_fixes
                from .fix.fixer import render_diff, sweep_leftovers

                if options.fix and not options.diff and sweep_leftovers(result):
                    result = lint(engine_options)  # a file a killed run left aside is back
                outcome = run_fixes(result, engine_options, unsafe=options.unsafe_fixes, write_files=not options.diff)
                for message in outcome.errors:
                    error(message)
                internal_error = outcome.internal_error
                if options.diff:
                    write(render_diff(outcome.changes))
                    if not options.quiet:
                        count = outcome.fixed
                        say(f"Would fix {count} problem{'s' if count != 1 else ''}." if count else "No fixes to apply.")
                    return EXIT_ERROR if internal_error else EXIT_PROBLEMS if outcome.changes else EXIT_CLEAN
                fixed, wrote = outcome.fixed, bool(outcome.changes)
                if outcome.changes or outcome.errors:
                    # What is on disk now: what was written, read back, and for a file that
                    # could not be written (another run fixed it first, say), what it holds.
                    result = lint(engine_options)
            if options.output_format in EDIT_FORMATS and any(d.fix is not None and not d.fix.resolved for d in result.diagnostics):
                # The JSON formats show each fix's edits; working them out needs LibCST, which the
                # other formats (and a warm run) never load: their [*] marks the fix on offer.
                from .fix.fixer import resolve_all

                resolve_all(result)
    except _Reported:
        return EXIT_ERROR
    from .report.formats import COLOR_FORMATS, guess_note, render, summary, unjudged_note, use_color
    from .report.formats import statistics as statistics_report
    from .rules.registry import ALL_RULES

    diagnostics = result.diagnostics
    color = options.output_format in COLOR_FORMATS and use_color(sys.stdout)
    if options.statistics:
        out = statistics_report(diagnostics, options.output_format, color=color, unsafe_fixes=options.unsafe_fixes)
    else:
        out = render(diagnostics, options.output_format, ALL_RULES, color=color, unsafe_fixes=options.unsafe_fixes)
    lines = []
    if not options.quiet:
        for project in result.projects:  # a choice of settings module that rests on a guess is named
            choice = project.context.settings_choice
            if choice is not None and choice.path and choice.guessed:
                lines.append(guess_note(project.context.build_root, choice.module, choice.candidates))
        # Settings nobody judged, with DJH001 (which says so) deselected: never "All checks passed".
        unjudged = [
            unjudged_note(each.context.build_root, _why_unjudged(each.context))
            for each in result.projects
            if each.context.settings is None and not any(d.code == "DJH001" for d in each.diagnostics)
        ]
        lines += unjudged
        if not (unjudged and not diagnostics and not fixed):
            lines += summary(diagnostics, options.unsafe_fixes, fixed).split("\n")
    code = EXIT_PROBLEMS if diagnostics and not options.exit_zero else EXIT_CLEAN
    if wrote and options.exit_non_zero_on_fix:  # a file the fix created is not yet in the commit
        code = EXIT_PROBLEMS
    _print(out, lines)
    if internal_error:
        return EXIT_ERROR
    if replay is not None:
        replay.store(diagnostics, out, lines, code)
    return code


def _why_unjudged(context: Any) -> str:
    """Why a project's settings were not judged, in a few words."""
    choice = context.settings_choice
    if choice is not None and choice.path:
        return f"{choice.path} could not be read"
    if choice is not None and choice.module:
        return f"{choice.module} was not found"
    if choice is not None and "computes" in choice.reason:
        return "the entry points compute its name"
    return "none was found"


def _print(out: str, lines: list[str]) -> None:
    """The output of a check run: the diagnostics on stdout, the summary lines on stderr."""
    write(out)
    for line in lines:
        say(line)


# ---------------------------------------------------------------------- replaying a check run

# The environment the reporters read: colour (see report.use_color) and GitLab's checkout.
REPLAY_ENV = ("NO_COLOR", "FORCE_COLOR", "TERM", "CI_PROJECT_DIR")


class Replay:
    """The output of a ``check`` run, stored in the settings-model cache for the next run
    whose inputs are the same.

    The key holds what the output depends on besides the files' bytes: djhlint's version
    (and its code's files, which an editable install changes without a new version), the
    options, the current folder and the environment the reporters read, and each
    project's build root and list of files, as discovery gives them, with those git does
    not track yet (a new ``local_settings.py`` a module lookup would find is a new key,
    and so is one git starts tracking).  The entry holds the
    digest of every file the run read (the files the model, the layout and the fixes'
    edits were built from, ``pyproject.toml``, and each file a diagnostic names, whose
    source lines a format may print) and is replayed only if each still has those bytes.
    It is signed and read as every cache entry is (see :mod:`store`).
    """

    def __init__(self, options: CheckOptions, projects: list[Any]) -> None:
        import json
        from pathlib import Path

        from .store import CACHE_DIR_NAME, digest

        self.projects = projects
        self.folder = Path(options.cache_dir) if options.cache_dir else projects[0].build_root / CACHE_DIR_NAME
        try:
            tty = bool(sys.stdout is not None and sys.stdout.isatty())
        except (AttributeError, ValueError):  # no stream, or a closed one
            tty = False
        material = [
            "check",
            __version__,
            _code_stamp(),
            [options.paths, options.select, options.ignore, options.exit_zero, options.output_format, options.statistics],
            [options.settings_module, options.cache_dir, options.unsafe_fixes, options.quiet],
            os.getcwd(),
            [os.environ.get(name) for name in REPLAY_ENV],
            tty,
            [[str(p.build_root), p.project_dir, p.in_git, list(p.venv_dirs), sorted(p.files), sorted(p.untracked)] for p in projects],
        ]
        self.key = "replay:" + digest(json.dumps(material).encode("utf-8"))

    def lookup(self) -> tuple[str, list[str], int] | None:
        """The stored (stdout, summary lines, exit code), if every file read has the same bytes."""
        from .store import read_signed

        stored = read_signed(self.folder, self.key)
        try:
            reads, out, lines, code = stored["reads"], stored["stdout"], stored["stderr"], stored["code"]
            if len(reads) != len(self.projects) or not isinstance(out, str) or code not in (EXIT_CLEAN, EXIT_PROBLEMS):
                return None
            if not all(isinstance(line, str) for line in lines):
                return None
            for project, files in zip(self.projects, reads, strict=True):
                for rel, expected in files.items():
                    if _digest_now(project, rel) != expected:
                        return None
        except (KeyError, TypeError, AttributeError):  # nothing stored, or not what we store
            return None
        return out, lines, code

    def store(self, diagnostics: list[Any], out: str, lines: list[str], code: int) -> None:
        from .store import write_signed

        reads = []
        for project in self.projects:
            root = str(project.build_root)
            needed = {"pyproject.toml"} | {d.span.file for d in diagnostics if d.build_root == root}
            files = {rel: _read_digest(project, rel) for rel in needed}
            files.update((rel, _digest(data)) for rel, data in project.reads().items())  # every file the run read
            reads.append(files)
        write_signed(self.folder, self.key, {"reads": reads, "stdout": out, "stderr": lines, "code": code})


def _digest(data: Any) -> str:
    """A file's bytes by their digest; a file that could not be read by why not."""
    from .store import digest

    return digest(data) if isinstance(data, bytes) else f"!{data.reason}"


def _read_digest(project: Any, rel: str) -> str:
    return _digest(project.read(rel))


def _digest_now(project: Any, rel: str) -> str:
    """What :func:`_read_digest` gives for a file as it is on disk now: what a replay checks.

    The file is read with discovery's bounded reader, and one that cannot be read is told
    by the reason a ParseError would give, without making one: a replay that finds every
    file unchanged never imports the shared data types.
    """
    from .discover.projects import UnreadableFile, read_file
    from .store import digest

    try:
        return digest(read_file(project.build_root / rel, project.build_root, listed=project.files))
    except UnreadableFile as exc:
        return f"!{exc}"


def _code_stamp() -> list[Any]:
    """The size and time of each module of djhlint: a change to the code is a change of key."""
    stamp: list[Any] = []
    folders = [os.path.dirname(os.path.abspath(__file__))]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for item in entries:
                if item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    folders.append(item.path)
                elif item.name.endswith(".py"):
                    info = item.stat()
                    stamp.append([item.path, info.st_size, info.st_mtime_ns])
    return sorted(stamp)


def print_settings(
    paths: tuple[str, ...] | list[str],
    settings_module: str | None,
    fmt: str,
    verbose: bool,
    cache: bool = True,
    cache_dir: str | None = None,
) -> int:
    """``djhlint settings``: what djhlint believes the deployed settings hold."""
    from .engine import Options, inspect
    from .report.settings_view import render

    try:
        with _one_line_errors(verbose):
            results = inspect(Options(paths=list(paths) or ["."], settings_module=settings_module, cache=cache, cache_dir=cache_dir))
    except _Reported:
        return EXIT_ERROR
    write(render([result.context for result in results], fmt))
    return EXIT_CLEAN


def print_rule(code: str) -> int:
    """A rule's documentation (``--explain``, ``djhlint rule CODE``)."""
    from .rules.registry import get_rule

    found = get_rule(code)
    if found is None:
        error(f"unknown rule {code!r}; `djhlint rule` lists them")
        return EXIT_ERROR
    write(found.docs())
    return EXIT_CLEAN
