"""The ``djhlint`` command line."""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
EDIT_FORMATS = ("json", "json-lines")  # formats that print each fix's edits
# The output formats, spelled out so that `djhlint --help` does not import the reporters.
FORMATS = ("concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "junit")
COMMANDS = ("check", "rule", "settings")


def _split(values: tuple[str, ...]) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _write(text: str) -> None:
    """Print to stdout; a file name that is not valid UTF-8 goes out as its own bytes."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # a surrogate-escaped file name on a strict UTF-8 stream
        encoding = sys.stdout.encoding or "utf-8"
        try:
            data = text.encode(encoding, "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode(encoding, "backslashreplace")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _error(message: str) -> None:
    click.echo(f"djhlint: error: {message}", err=True)


def cache_options(command):  # type: ignore[no-untyped-def]
    """``--no-cache`` and ``--cache-dir``, shared by the commands that build the settings model."""
    command = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        envvar="DJHLINT_CACHE_DIR",
        help="Where to keep the cache (default: .djhlint_cache in the build root; env DJHLINT_CACHE_DIR).",
    )(command)
    return click.option("--no-cache", is_flag=True, help="Do not read or write the settings-model cache.")(command)


class DefaultGroup(click.Group):
    """``djhlint [PATH ...]`` runs ``check``; ``djhlint rule ...`` runs the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            if args[:1] != ["--version"]:
                args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="djhlint")
def main() -> None:
    """Find the traps of deploying Django to Heroku, statically, before you push."""


@main.command(
    epilog="Other commands: `djhlint rule [CODE]` prints a rule's documentation, or the list of rules; "
    "`djhlint settings [PATHS]` shows the settings djhlint judges and what it believes they hold.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (DJH1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or names, comma-separated.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="concise",
    show_default=True,
    help="How to print the diagnostics: for a terminal (concise, full), programs (json, json-lines) or CI "
    "(github annotations, sarif for code scanning, gitlab Code Quality, junit).",
)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of the diagnostics.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings djhlint judges and what it believes they hold, then exit (as `djhlint settings`).",
)
@click.option("--settings-module", metavar="MODULE", help="The deployed settings module (dotted), instead of guessing it.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@cache_options
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (with --fix or --diff) and mark the unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print a diff of what the fixes would change and write nothing; exit 1 if there is any.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Say on stderr which settings module was judged and why; show tracebacks.")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    output_format: str,
    statistics: bool,
    show_settings: bool,
    settings_module: str | None,
    explain: str | None,
    no_cache: bool,
    cache_dir: str | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Lint the Django projects under PATHS (default: the current folder)."""
    if explain:
        sys.exit(_print_rule(explain))
    if show_settings:
        fmt = "json" if output_format in ("json", "json-lines") else "text"
        sys.exit(_print_settings(paths, settings_module, fmt, verbose, cache=not no_cache, cache_dir=cache_dir))
    from .config import ConfigError
    from .discovery import DiscoveryError
    from .engine import Options, lint
    from .report import COLOR_FORMATS, render, summary, use_color
    from .report import statistics as statistics_report
    from .rules import ALL_RULES

    options = Options(
        paths=list(paths) or ["."],
        select=_split(select),
        ignore=_split(ignore),
        settings_module=settings_module,
        log=(lambda message: click.echo(message, err=True)) if verbose else None,
        cache=not no_cache,
        cache_dir=cache_dir,
    )
    fixed, internal_error = 0, False
    try:
        result = lint(options)
        if fix or diff:
            from .fixer import render_diff, run_fixes

            outcome = run_fixes(result, options, unsafe=unsafe_fixes, write_files=not diff)
            for message in outcome.errors:
                _error(message)
            internal_error = outcome.internal_error
            if diff:
                sys.stdout.write(render_diff(outcome.changes))
                if not quiet:
                    count = outcome.fixed
                    click.echo(f"Would fix {count} problem{'s' if count != 1 else ''}." if count else "No fixes to apply.", err=True)
                sys.exit(EXIT_ERROR if internal_error else EXIT_PROBLEMS if outcome.changes else EXIT_CLEAN)
            fixed = outcome.fixed
            if outcome.changes:
                result = lint(options)  # what is left, read back from disk
        if output_format in EDIT_FORMATS and any(d.fix is not None and not d.fix.resolved for d in result.diagnostics):
            # The JSON formats show each fix's edits; working them out needs LibCST, which the
            # other formats (and a warm run) never load: their [*] marks the fix on offer.
            from .fixer import resolve_all

            resolve_all(result)
    except (DiscoveryError, ConfigError) as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # an internal error: one line, unless --verbose
        if verbose:
            import traceback

            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)")
        sys.exit(EXIT_ERROR)
    diagnostics = result.diagnostics
    color = output_format in COLOR_FORMATS and use_color(sys.stdout)
    if statistics:
        _write(statistics_report(diagnostics, output_format, color=color, unsafe_fixes=unsafe_fixes))
    else:
        _write(render(diagnostics, output_format, ALL_RULES, color=color, unsafe_fixes=unsafe_fixes))
    if not quiet:
        click.echo(summary(diagnostics, unsafe_fixes, fixed), err=True)
    if internal_error:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_PROBLEMS if diagnostics and not exit_zero else EXIT_CLEAN)


@main.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print the documentation of every rule.")
def rule(code: str | None, show_all: bool) -> None:
    """Print the documentation of rule CODE (a code or a name), or list the rules."""
    from .rules import ALL_RULES

    if show_all:
        click.echo("\n".join(r.docs() for r in ALL_RULES))
        return
    if code is None:
        width = max(len(r.name) for r in ALL_RULES)
        click.echo(f"{'code':<7} {'name':<{width}} fix")
        for r in ALL_RULES:
            click.echo(f"{r.code:<7} {r.name:<{width}} {'yes' if r.fixable else '-'}")
        return
    sys.exit(_print_rule(code))


@main.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for programs (the shape is documented in the README).",
)
@click.option("--settings-module", metavar="MODULE", help="The deployed settings module (dotted), instead of guessing it.")
@cache_options
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
def settings(
    paths: tuple[str, ...], output_format: str, settings_module: str | None, no_cache: bool, cache_dir: str | None, verbose: bool
) -> None:
    """Show what djhlint believes the deployed settings of the projects under PATHS are.

    The settings module it judges and why, the modules it runs in execution order, and
    for each deployment setting (then every other one) its value as djhlint
    understands it: a literal, an environment read (variable, fallback, cast) or
    unknown, the alternatives when it is set under a condition, and where it was set.
    """
    sys.exit(_print_settings(paths, settings_module, output_format, verbose, cache=not no_cache, cache_dir=cache_dir))


def _print_settings(
    paths: tuple[str, ...], settings_module: str | None, fmt: str, verbose: bool, cache: bool = True, cache_dir: str | None = None
) -> int:
    from .config import ConfigError
    from .discovery import DiscoveryError
    from .engine import Options, inspect
    from .settings_view import render

    try:
        options = Options(paths=list(paths) or ["."], settings_module=settings_module, cache=cache, cache_dir=cache_dir)
        results = inspect(options)
    except (DiscoveryError, ConfigError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except Exception as exc:  # an internal error: one line, unless --verbose
        if verbose:
            traceback.print_exc()
        _error(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)")
        return EXIT_ERROR
    sys.stdout.write(render([result.context for result in results], fmt))
    return EXIT_CLEAN


def _print_rule(code: str) -> int:
    from .rules import get_rule

    found = get_rule(code)
    if found is None:
        _error(f"unknown rule {code!r}; `djhlint rule` lists them")
        return EXIT_ERROR
    click.echo(found.docs(), nl=False)
    return EXIT_CLEAN
