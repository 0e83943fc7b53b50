"""The ``djhlint`` program: the common command lines parsed by hand, the rest by click.

A pre-commit hook runs ``djhlint [OPTIONS] FILE ...`` on every commit, and importing
click costs about as much as a warm run's whole lint.  So a plain ``check`` command
line, whose every word is one this parser knows for sure how click would read, is
parsed here; anything else (a subcommand, ``--help``, ``--version``, ``--``, an unknown
option, a value click would reject, shell completion) goes to the click interface in
:mod:`cli`, which also words the errors.  ``tests/test_entry.py`` checks that both read
every command line alike.
"""

from __future__ import annotations

import os
import sys

from .commands import EXIT_ERROR, EXIT_PROBLEMS, FORMATS, OutputError, check, discard, error, report_internal_error, say

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

SUBCOMMANDS = ("check", "rule", "settings")
# check's options, by every spelling: (parameter, takes a value, can be repeated)
FLAGS = {
    "--exit-zero": "exit_zero",
    "--statistics": "statistics",
    "--show-settings": "show_settings",
    "--no-cache": "no_cache",
    "--fix": "fix",
    "--unsafe-fixes": "unsafe_fixes",
    "--diff": "diff",
    "-q": "quiet",
    "--quiet": "quiet",
    "-v": "verbose",
    "--verbose": "verbose",
}
VALUED = {"--select": "select", "--ignore": "ignore", "--output-format": "output_format", "--settings-module": "settings_module", "--explain": "explain", "--cache-dir": "cache_dir"}
REPEATED = frozenset({"select", "ignore"})
CACHE_DIR_ENV = "DJHLINT_CACHE_DIR"


def _readable_path(value: str, dir_only: bool = False) -> bool:
    """Whether click's ``Path`` type (``readable=True``, no ``exists``) takes ``value`` as is."""
    try:
        is_dir = os.path.isdir(value)
        exists = is_dir or os.path.lexists(value)
    except (OSError, ValueError):
        return False
    if not exists:
        return True
    if dir_only and not is_dir:
        return False
    return os.access(value, os.R_OK)


def parse(args: list[str], environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, Any] | None:
    """``check``'s keyword arguments for a command line click would read the same way, or None."""
    if any(key.endswith("_COMPLETE") and key.startswith("_DJHLINT") for key in environ):
        return None  # shell completion: click's business
    if args and args[0] in SUBCOMMANDS:
        return None
    params: dict[str, Any] = {"paths": [], "select": [], "ignore": []}
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if not word.startswith("-"):
            if not _readable_path(word):
                return None
            params["paths"].append(word)
            continue
        name, equals, value = word.partition("=")
        if name in FLAGS and not equals:
            params[FLAGS[name]] = True
            continue
        if name not in VALUED or not name.startswith("--"):
            return None  # -h, --help, --version, --, -, -qv, a typo: click answers
        if not equals:
            if index >= len(args) or args[index].startswith("-"):
                return None
            value = args[index]
            index += 1
        key = VALUED[name]
        if key in REPEATED:
            params[key].append(value)
        else:
            params[key] = value
    if params.get("output_format", "concise") not in FORMATS:
        return None
    if "cache_dir" not in params and environ.get(CACHE_DIR_ENV):
        params["cache_dir"] = environ[CACHE_DIR_ENV]
    if "cache_dir" in params and not _readable_path(params["cache_dir"], dir_only=True):
        return None
    return params


def main() -> None:
    """The console script: whatever happens, one line on stderr at most, never a traceback.

    Exit codes: 0 clean, 1 problems found (or a reader that went away, or ^C), 2 bad
    usage, a bad configuration, an internal error or an output that cannot be written.
    """
    args = sys.argv[1:]
    if sys.stdout is None or sys.stderr is None:
        _hold_closed_descriptors()
    params = None
    try:
        params = parse(args)
        if params is None:
            from .cli import main as click_main

            click_main(prog_name="djhlint")  # exits with click's code
            return
        code = check(**params)
    except KeyboardInterrupt:
        say("Aborted!")
        code = EXIT_PROBLEMS
    except BrokenPipeError:  # `djhlint | head`: quietly, as click does
        discard(sys.stdout)  # what is left in the buffer goes nowhere at exit
        code = EXIT_PROBLEMS
    except OutputError as exc:  # `djhlint > /dev/full`, `djhlint >&-`: the output is lost
        discard(sys.stdout)
        error(f"cannot write the output: {exc}")
        code = EXIT_ERROR
    except Exception as exc:
        verbose = bool(params.get("verbose")) if params else any(a in ("-v", "--verbose") for a in args)
        discard(sys.stdout)  # the output is cut short: nothing more goes out at exit
        report_internal_error(exc, verbose)
        code = EXIT_ERROR
    sys.exit(code)


def _hold_closed_descriptors() -> None:
    """Started with stdin, stdout or stderr closed: give their numbers to the null device,
    so that no file djhlint opens (a settings module the fixes write) takes one of them."""
    while True:
        fd = os.open(os.devnull, os.O_RDWR)
        if fd > 2:
            os.close(fd)
            return
