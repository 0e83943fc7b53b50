"""The ``djhlint`` command line."""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "rule")


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
    epilog="Other commands: `djhlint rule [CODE]` prints a rule's documentation, or the list of rules.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (DJH1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or names, comma-separated.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option(
    "--output-format",
    type=click.Choice(["concise", "json"]),
    default="concise",
    show_default=True,
    help="How to print the diagnostics.",
)
@click.option("--settings-module", metavar="MODULE", help="The deployed settings module (dotted), instead of guessing it.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Say on stderr which settings module was judged and why; show tracebacks.")
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    output_format: str,
    settings_module: str | None,
    explain: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Lint the Django projects under PATHS (default: the current folder)."""
    if explain:
        sys.exit(_print_rule(explain))
    from .config import ConfigError
    from .discovery import DiscoveryError
    from .engine import Options, lint
    from .report import render, summary

    options = Options(
        paths=list(paths) or ["."],
        select=_split(select),
        ignore=_split(ignore),
        settings_module=settings_module,
        log=(lambda message: click.echo(message, err=True)) if verbose else None,
    )
    try:
        result = lint(options)
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
    _write(render(diagnostics, output_format))
    if not quiet:
        click.echo(summary(diagnostics), err=True)
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


def _print_rule(code: str) -> int:
    from .rules import get_rule

    found = get_rule(code)
    if found is None:
        _error(f"unknown rule {code!r}; `djhlint rule` lists them")
        return EXIT_ERROR
    click.echo(found.docs(), nl=False)
    return EXIT_CLEAN
