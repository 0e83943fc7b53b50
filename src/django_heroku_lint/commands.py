"""What the ``djhlint`` commands do, apart from parsing their command lines.

Both front ends call these functions: the click interface in :mod:`cli` and the hand
parser in :mod:`entry`, which handles the common ``djhlint [OPTIONS] [PATHS]`` line of a
pre-commit hook or a CI step without importing click.  Nothing here imports click.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .printable import printable

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
    from .read.config import ConfigError
    from .discover.projects import DiscoveryError

    try:
        yield
    except (DiscoveryError, ConfigError) as exc:
        error(str(exc))
        raise _Reported from exc
    except BrokenPipeError:  # the reader went away: not djhlint's error
        raise
    except OutputError:  # stdout failed: the front end says so
        raise
    except Exception as exc:
        report_internal_error(exc, verbose)
        raise _Reported from exc


def check(
    paths: tuple[str, ...] | list[str] = (),
    select: tuple[str, ...] | list[str] = (),
    ignore: tuple[str, ...] | list[str] = (),
    exit_zero: bool = False,
    output_format: str = "concise",
    statistics: bool = False,
    show_settings: bool = False,
    settings_module: str | None = None,
    explain: str | None = None,
    no_cache: bool = False,
    cache_dir: str | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    quiet: bool = False,
    verbose: bool = False,
) -> int:
    """``djhlint check``: lint, maybe fix, print; returns the exit code."""
    if explain:
        return print_rule(explain)
    if show_settings:
        fmt = "json" if output_format in EDIT_FORMATS else "text"
        return print_settings(paths, settings_module, fmt, verbose, cache=not no_cache, cache_dir=cache_dir)
    from .engine import Options, lint
    from .report.formats import COLOR_FORMATS, guess_note, render, summary, use_color
    from .report.formats import statistics as statistics_report
    from .rules.registry import ALL_RULES

    options = Options(
        paths=list(paths) or ["."],
        select=split_codes(select),
        ignore=split_codes(ignore),
        settings_module=settings_module,
        log=say if verbose else None,
        cache=not no_cache,
        cache_dir=cache_dir,
    )
    fixed, internal_error = 0, False
    try:
        with _one_line_errors(verbose):
            result = lint(options)
            if fix or diff:
                from .engine import run_fixes
                from .fix.fixer import render_diff, sweep_leftovers

                if fix and not diff and sweep_leftovers(result):
                    result = lint(options)  # a file a killed run left aside is back
                outcome = run_fixes(result, options, unsafe=unsafe_fixes, write_files=not diff)
                for message in outcome.errors:
                    error(message)
                internal_error = outcome.internal_error
                if diff:
                    write(render_diff(outcome.changes))
                    if not quiet:
                        count = outcome.fixed
                        say(f"Would fix {count} problem{'s' if count != 1 else ''}." if count else "No fixes to apply.")
                    return EXIT_ERROR if internal_error else EXIT_PROBLEMS if outcome.changes else EXIT_CLEAN
                fixed = outcome.fixed
                if outcome.changes or outcome.errors:
                    # What is on disk now: what was written, read back, and for a file that
                    # could not be written (another run fixed it first, say), what it holds.
                    result = lint(options)
            if output_format in EDIT_FORMATS and any(d.fix is not None and not d.fix.resolved for d in result.diagnostics):
                # The JSON formats show each fix's edits; working them out needs LibCST, which the
                # other formats (and a warm run) never load: their [*] marks the fix on offer.
                from .fix.fixer import resolve_all

                resolve_all(result)
    except _Reported:
        return EXIT_ERROR
    diagnostics = result.diagnostics
    color = output_format in COLOR_FORMATS and use_color(sys.stdout)
    if statistics:
        write(statistics_report(diagnostics, output_format, color=color, unsafe_fixes=unsafe_fixes))
    else:
        write(render(diagnostics, output_format, ALL_RULES, color=color, unsafe_fixes=unsafe_fixes))
    if not quiet:
        for project in result.projects:
            choice = project.context.settings_choice
            if choice is not None and choice.path and choice.guessed:
                say(guess_note(project.context.build_root, choice.module, choice.candidates))
        for line in summary(diagnostics, unsafe_fixes, fixed).split("\n"):
            say(line)
    if internal_error:
        return EXIT_ERROR
    return EXIT_PROBLEMS if diagnostics and not exit_zero else EXIT_CLEAN


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
