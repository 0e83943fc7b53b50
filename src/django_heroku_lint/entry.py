"""The ``djhlint`` console script: the click interface of :mod:`cli`, with its errors in one line.

click parses every command line.  What keeps a warm run short is not the parser but
the replay of a check run whose inputs have not changed (see :class:`commands.Replay`).
"""

from __future__ import annotations

import os
import sys

from .commands import EXIT_ERROR, EXIT_PROBLEMS, OutputError, discard, error, report_internal_error, say


def main() -> None:
    """The console script: whatever happens, one line on stderr at most, never a traceback.

    Exit codes: 0 clean, 1 problems found (or a reader that went away, or ^C), 2 bad
    usage, a bad configuration, an internal error or an output that cannot be written.
    """
    args = sys.argv[1:]
    if sys.stdout is None or sys.stderr is None:
        _hold_closed_descriptors()
    try:
        from .cli import main as click_main

        click_main(prog_name="djhlint")  # exits with the command's code
        code = EXIT_ERROR  # not reached: click always exits
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
        discard(sys.stdout)  # the output is cut short: nothing more goes out at exit
        report_internal_error(exc, any(a in ("-v", "--verbose") for a in args))
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
