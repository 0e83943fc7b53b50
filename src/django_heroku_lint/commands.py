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
# The formats --statistics prints in: a table for a terminal, JSON for programs.
STATISTICS_FORMATS = ("concise", "full", "json", "json-lines")


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
    show_fixes: bool = False
    output_file: str | None = None
    quiet: bool = False
    verbose: bool = False
    config: str | None = None
    isolated: bool = False
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()

    @property
    def replayable(self) -> bool:
        """Whether a stored output may stand for this run: never when it writes files or
        prints a diff, never with --verbose (whose notes tell how the run went) or --no-cache."""
        return not (self.fix or self.diff or self.verbose or self.no_cache)


def check(options: CheckOptions) -> int:
    """``djhlint check``: lint, maybe fix, print; returns the exit code."""
    if options.explain:
        return print_rule(options.explain)
    if options.statistics and options.output_format not in STATISTICS_FORMATS:
        error(f"--statistics cannot be combined with --output-format {options.output_format}; use {', '.join(STATISTICS_FORMATS[:-1])} or {STATISTICS_FORMATS[-1]}")
        return EXIT_ERROR
    if options.show_settings:
        return print_configuration(options)
    fixed, internal_error, replay, wrote = 0, False, None, False
    applied: list[Any] = []  # the diagnostics --fix fixed
    secrets: set[str] = set()
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
                    _print(out, lines, options.output_file)
                    return code
            from .engine import lint, lint_projects

            engine_options = engine_options_for(options, log=say if options.verbose else None)
            result = lint_projects(projects, engine_options)
            if options.fix or options.diff:
                from .engine import run_fixes
                from .fix.fixer import render_diff, sweep_leftovers

                if options.fix and not options.diff and sweep_leftovers(result):
                    result = lint(engine_options)  # a file a killed run left aside is back
                secrets = known_secrets(result)  # before the fixes: the lines a diff removes hold them
                outcome = run_fixes(result, engine_options, unsafe=options.unsafe_fixes, write_files=not options.diff)
                for message in outcome.errors:
                    error(message)
                internal_error = outcome.internal_error
                if options.diff:
                    lines = []
                    if not options.quiet:
                        count = outcome.fixed
                        if options.show_fixes and count:  # the same count, then rule by rule
                            lines += fixes_by_file(outcome.applied, would=True)
                        else:
                            lines.append(f"Would fix {count} problem{'s' if count != 1 else ''}." if count else "No fixes to apply.")
                    _print(render_diff(outcome.changes, secrets), lines, options.output_file)
                    return EXIT_ERROR if internal_error else EXIT_PROBLEMS if outcome.changes else EXIT_CLEAN
                fixed, wrote, applied = outcome.fixed, bool(outcome.changes), outcome.applied
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
    from .report.formats import COLOR_FORMATS, guess_note, redact, render, summary, unjudged_note, use_color
    from .report.formats import statistics as statistics_report
    from .rules.registry import ALL_RULES

    secrets = secrets | known_secrets(result)  # a secret is printed redacted in every format
    diagnostics = redact(result.diagnostics, secrets)
    color = options.output_format in COLOR_FORMATS and use_color(sys.stdout)
    if options.statistics:
        out = statistics_report(diagnostics, options.output_format, color=color, unsafe_fixes=options.unsafe_fixes)
    else:
        out = render(diagnostics, options.output_format, ALL_RULES, color=color, unsafe_fixes=options.unsafe_fixes, secrets=secrets)
    lines = []
    if not options.quiet:
        for project in result.projects:  # a choice of settings module that rests on a guess is named
            choice = project.context.settings_choice
            if choice is not None and choice.path and choice.guessed:
                lines.append(guess_note(project.context.build_root, choice.module, choice.candidates))
        if options.show_fixes:  # what --fix fixed, or, without it, what it would fix; then the summary, as in ruff
            from .report.formats import fixable

            shown = applied if options.fix else [d for d in diagnostics if fixable(d, options.unsafe_fixes)]
            lines += fixes_by_file(shown, would=not options.fix)
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
    _print(out, lines, options.output_file)
    if internal_error:
        return EXIT_ERROR
    if replay is not None:
        replay.store(diagnostics, out, lines, code)
    return code


def engine_options_for(options: CheckOptions, log: Any = None) -> Any:
    """The engine's :class:`engine.Options` for a check run (and for ``--show-settings``,
    which shows what that run would resolve)."""
    from .engine import Options

    return Options(
        paths=list(options.paths) or ["."],
        select=split_codes(options.select),
        ignore=split_codes(options.ignore),
        settings_module=options.settings_module,
        log=log,
        cache=not options.no_cache,
        cache_dir=options.cache_dir,
        config=options.config,
        isolated=options.isolated,
        exclude=split_codes(options.exclude),
        extend_exclude=split_codes(options.extend_exclude),
    )


def known_secrets(result: Any) -> set[str]:
    """The literal secrets the settings of a run's projects hold (see :mod:`model.secrets`)."""
    from .model.secrets import secret_values

    return {secret for project in result.projects for secret in secret_values(project.context.settings)}


def fixes_by_file(fixed: list[Any], would: bool = False) -> list[str]:
    """``--show-fixes``, shaped as ruff's: ``Fixed 3 problems:``, then each file and how many
    problems of each rule were fixed in it (the most first); nothing when nothing was."""
    from collections import Counter

    from .printable import relative_path

    if not fixed:
        return []
    total = len(fixed)
    by_file: dict[str, Counter[tuple[str, str]]] = {}
    for d in fixed:
        by_file.setdefault(relative_path(d.path), Counter())[(d.code, d.name)] += 1
    width = max(len(str(n)) for counts in by_file.values() for n in counts.values())
    lines = [f"{'Would fix' if would else 'Fixed'} {total} problem{'s' if total != 1 else ''}:"]
    for path in sorted(by_file):
        lines.append(f"- {path}:")
        for (code, name), n in sorted(by_file[path].items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"    {n:>{width}} × {code} ({name})")
    return lines


def _print(out: str, lines: list[str], output_file: str | None = None) -> None:
    """The output of a check run: the diagnostics on stdout, the summary lines on stderr;
    both into ``output_file`` instead (``--output-file``), as ruff does."""
    if output_file is None:
        write(out)
        for line in lines:
            say(line)
        return
    write_output_file(output_file, out + "".join(printable(line) + "\n" for line in lines))


def write_output_file(path: str, text: str) -> None:
    """Write ``--output-file``: created (with its folders) or truncated, a plain write to the
    user's own path.  Opened without blocking, so that a FIFO nobody reads is an error, not
    a hang; :class:`OutputError` (exit code 2) when it cannot be written.  A symbolic link
    there is not followed: a repository that commits ``report.txt`` as a link to a file of
    the user's (a CI script, ``~/.bashrc``) must not get it overwritten by the report."""
    import errno
    import fcntl

    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            raise OutputError(f"{path}: a symbolic link, not followed: remove it or name another file") from exc
        raise OutputError(f"{path}: {exc.strerror or exc}") from exc
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)  # a reader is there: wait for it
        data = text.encode("utf-8", "surrogateescape")
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


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
    edits were built from, and each file a diagnostic names, whose source lines a format
    may print) and is replayed only if each still has those bytes; the configuration
    files are in the key.
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
            [options.settings_module, options.cache_dir, options.unsafe_fixes, options.quiet, options.show_fixes],
            [options.config, options.isolated, options.exclude, options.extend_exclude],
            [_config_files(options, p) for p in projects],  # the configuration files that may apply, and their bytes
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
            for rel in {d.span.file for d in diagnostics if d.build_root == root}:
                project.read(rel)  # a format may print its lines: read now if the run did not
            reads.append({rel: _digest(data) for rel, data in project.reads().items()})  # every file the run read
        write_signed(self.folder, self.key, {"reads": reads, "stdout": out, "stderr": lines, "code": code})


def _digest(data: Any) -> str:
    """A file's bytes by their digest; a file that could not be read by why not."""
    from .store import digest

    return digest(data) if isinstance(data, bytes) else f"!{data.reason}"


def _digest_now(project: Any, rel: str) -> str:
    """What :func:`_digest` gives for a file as it is on disk now: what a replay checks.

    The file is read with discovery's bounded reader, and one that cannot be read is told
    by the reason a ParseError would give, without making one: a replay that finds every
    file unchanged never imports the shared data types.
    """
    return _file_digest(project.build_root / rel, project.build_root, project.files)


def _file_digest(path: Any, top: Any, listed: Any = None) -> str:
    """The digest of a file read with discovery's bounded reader, or ``!`` and why it
    cannot be read."""
    from .discover.projects import UnreadableFile, read_file
    from .store import digest

    try:
        return digest(read_file(path, top, listed=listed))
    except UnreadableFile as exc:
        return f"!{exc}"


def _config_files(options: CheckOptions, project: Any) -> list[list[str]]:
    """Each file that configures the project or could (``--config``'s, or the candidates
    of the search from its build root up), with the digest of its bytes: a configuration
    changed, added or removed in a folder above the build root is a change of key."""
    from pathlib import Path

    from .read.config import config_candidates

    if options.isolated:
        return []
    if options.config:
        paths, top = [Path(os.path.abspath(options.config))], Path(os.path.realpath(options.config)).parent
    else:
        paths, top = config_candidates(project.build_root, project.repo_top), project.repo_top or project.build_root
    return [[str(path), _file_digest(path, top)] for path in paths]


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


def print_view(
    view: str,
    paths: tuple[str, ...] | list[str],
    settings_module: str | None,
    output_format: str,
    verbose: bool = False,
    no_cache: bool = False,
    cache_dir: str | None = None,
    config: str | None = None,
    isolated: bool = False,
) -> int:
    """``djhlint settings`` (``view="settings"``: what djhlint believes the deployed settings
    hold) and ``djhlint env`` (``"env"``: the config vars the deployed settings, entry points
    and Procfile read), in ``output_format`` text or json."""
    from .engine import Options, inspect

    if view == "env":
        from .report.env_view import render
    else:
        from .report.settings_view import render
    try:
        with _one_line_errors(verbose):
            results = inspect(
                Options(paths=list(paths) or ["."], settings_module=settings_module, cache=not no_cache, cache_dir=cache_dir, config=config, isolated=isolated)
            )
    except _Reported:
        return EXIT_ERROR
    write(render([result.context for result in results], output_format))
    return EXIT_CLEAN


def print_configuration(options: CheckOptions) -> int:
    """``--show-settings``: the configuration a check run resolves for each project (the file
    it came from, the build root, the settings module, the rules, the output and the cache),
    as ruff's ``--show-settings`` shows its own; JSON with ``--output-format json``."""
    import json

    from .engine import configurations
    from .printable import relative_path
    from .store import CACHE_DIR_NAME

    try:
        with _one_line_errors(options.verbose):
            found = configurations(engine_options_for(options))
    except _Reported:
        return EXIT_ERROR
    shown: list[dict[str, Any]] = []
    for result, config, codes in found:
        project, choice = result.project, result.context.settings_choice
        if options.settings_module:
            module, how = options.settings_module, "--settings-module"
        elif config.settings_module:
            module, how = config.settings_module, f"settings-module in {relative_path(config.source or '')}"
        elif choice is not None and choice.path:
            module, how = choice.module, (f"guessed among {len(choice.candidates)} candidates: " if choice.guessed else "found: ") + choice.reason
        else:
            module, how = None, choice.reason if choice is not None else "no settings module found"
        cache = None if options.no_cache else options.cache_dir or str(project.build_root / CACHE_DIR_NAME)
        shown.append(
            {
                "build_root": str(project.build_root),
                "config_file": config.source,
                "settings_module": module,
                "settings_module_source": how,
                "select": codes,
                "ignore": sorted(set(split_codes(options.ignore) or []) | set(config.ignore)),
                "exclude": [pattern for _, pattern in config.excludes],  # the configuration's or the command line's
                "per_file_ignores": {pattern: list(codes) for pattern, codes in config.per_file_ignores.items()},
                "output_format": options.output_format,
                "cache_dir": cache,
            }
        )
    if options.output_format == "json":
        write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
        return EXIT_CLEAN
    if options.output_format == "json-lines":
        write("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in shown))
        return EXIT_CLEAN
    blocks = []
    for item in shown:
        lines = [
            f"Resolved settings for: {relative_path(item['build_root'])}",
            f"Settings path: {relative_path(item['config_file']) if item['config_file'] else '(none: the defaults)'}",
            "",
            f"build-root = {json.dumps(relative_path(item['build_root']))}",
            f"settings-module = {json.dumps(item['settings_module'])}  # {item['settings_module_source']}",
            f"select = {json.dumps(item['select'])}",
            f"ignore = {json.dumps(item['ignore'])}",
            f"exclude = {json.dumps(item['exclude'])}",
            f"per-file-ignores = {json.dumps(item['per_file_ignores'])}",
            f"output-format = {json.dumps(item['output_format'])}",
            f"cache-dir = {json.dumps(relative_path(item['cache_dir']) if item['cache_dir'] else None)}" + ("  # --no-cache" if item["cache_dir"] is None else ""),
        ]
        blocks.append("\n".join(printable(line) for line in lines))
    write("\n\n".join(blocks) + "\n")
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
