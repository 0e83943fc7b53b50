"""The ``djhlint`` command line."""

from __future__ import annotations

import sys

import click

from . import __version__
from .commands import EXIT_CLEAN, EXIT_ERROR, EXIT_PROBLEMS, FORMATS  # noqa: F401  (re-exported)

TYPE_CHECKING = False  # typing is imported by type checkers only
if TYPE_CHECKING:
    from typing import Any


def config_options(command):
    """``--config`` and ``--isolated``, shared by the commands that read the configuration."""
    command = click.option("--isolated", is_flag=True, help="Ignore all configuration files.")(command)
    return click.option(
        "--config",
        metavar="PATH",
        help="Use this configuration file (a pyproject.toml with [tool.djhlint], or a djhlint.toml) instead of the one found.",
    )(command)


def cache_options(command):
    """``--no-cache`` and ``--cache-dir``, shared by the commands that build the settings model."""
    command = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        envvar="DJHLINT_CACHE_DIR",
        help="Where to keep the cache (default: .djhlint_cache in the build root; env DJHLINT_CACHE_DIR).",
    )(command)
    return click.option("--no-cache", is_flag=True, help="Do not read or write the cache: the settings model, and the stored output of a check run.")(command)


class DefaultGroup(click.Group):
    """``djhlint [PATH ...]`` runs ``check``; ``djhlint rule ...`` runs the subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            if args[:1] not in (["--version"], ["--help"], ["-h"]):
                args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, subcommand_metavar="[COMMAND] [ARGS]...", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="djhlint")
def main() -> None:
    """Find the traps of deploying Django to Heroku, statically, before you push.

    `djhlint [OPTIONS] [PATHS]...` means `djhlint check [OPTIONS] [PATHS]...`: it
    lints the Django projects under PATHS (default: the current folder).
    `djhlint check --help` lists its options.
    """


@main.command(
    epilog="Other commands: `djhlint rule [CODE]` prints a rule's documentation, or the list of rules; "
    "`djhlint settings [PATHS]` shows the settings djhlint judges and what it believes they hold; "
    "`djhlint env [PATHS]` lists the config vars the deploy needs.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (DJH1) or names, comma-separated.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes, prefixes or names, comma-separated.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when --fix changed, created, renamed or deleted a file, even if no problem remains.",
)
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
    help="Print djhlint's resolved configuration for each project (the config file, build root, settings module, "
    "rules, output format, cache), then exit; the Django settings djhlint judges are `djhlint settings`.",
)
@click.option("--settings-module", metavar="MODULE", help="The deployed settings module (dotted), instead of guessing it.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@config_options
@click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERNS",
    help="Report nothing on the files these glob patterns match, instead of the configured exclude (comma-separated; relative to the current folder).",
)
@click.option("--extend-exclude", multiple=True, metavar="PATTERNS", help="Like --exclude, but added to the configured exclude.")
@cache_options
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (with --fix or --diff) and mark the unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print a diff of what the fixes would change and write nothing; exit 1 if there is any.")
@click.option(
    "--show-fixes",
    is_flag=True,
    help="After the summary, list per file the problems --fix fixed (without --fix: would fix), rule by rule.",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Write the report (and the summary) to PATH instead of stdout and stderr; the exit code is the same.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only, no summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Say on stderr which settings module was judged and why; show tracebacks.")
def check(**params: Any) -> None:
    """Lint the Django projects under PATHS (default: the current folder)."""
    from . import commands

    sys.exit(commands.check(commands.CheckOptions(**params)))


@main.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print the documentation of every rule.")
def rule(code: str | None, show_all: bool) -> None:
    """Print the documentation of rule CODE (a code or a name), or list the rules."""
    from .commands import print_rule, write  # write: a stream that lacks a character gets an escape, not an error
    from .rules.registry import ALL_RULES

    if show_all:
        write("\n".join(r.docs() for r in ALL_RULES) + "\n")
        return
    if code is None:
        width = max(len(r.name) for r in ALL_RULES)
        lines = [f"{'code':<7} {'name':<{width}} fix"]
        lines += [f"{r.code:<7} {r.name:<{width}} {'yes' if r.fixable else '-'}" for r in ALL_RULES]
        write("\n".join(lines) + "\n")
        return

    sys.exit(print_rule(code))


def view_options(command):
    """What `djhlint settings` and `djhlint env` share: the paths, the output format, the
    settings module, the configuration and the cache options."""
    command = click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")(command)
    command = cache_options(config_options(command))
    command = click.option("--settings-module", metavar="MODULE", help="The deployed settings module (dotted), instead of guessing it.")(command)
    command = click.option(
        "--output-format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people; json for programs (the shape is documented in the README).",
    )(command)
    return click.argument("paths", nargs=-1, type=click.Path())(command)


@main.command(context_settings={"help_option_names": ["-h", "--help"]})
@view_options
def settings(**params: Any) -> None:
    """Show what djhlint believes the deployed settings of the projects under PATHS are.

    The settings module it judges and why, the modules it runs in execution order, and
    for each deployment setting (then every other one) its value as djhlint
    understands it: a literal, an environment read (variable, fallback, cast) or
    unknown, the alternatives when it is set under a condition, and where it was set.
    """
    from .commands import print_view

    sys.exit(print_view("settings", **params))


@main.command(context_settings={"help_option_names": ["-h", "--help"]})
@view_options
def env(**params: Any) -> None:
    """List the config vars the projects under PATHS need on Heroku.

    Every environment variable the deployed settings, the entry points (wsgi.py,
    asgi.py, manage.py) and the Procfile read: the setting it feeds, whether it is
    required, its fallback (a credential's redacted) and cast; what app.json declares;
    what Heroku, an add-on or the buildpack sets, never to be set by hand; and the
    `heroku config:set NAME=...` lines to run for the required ones.
    """
    from .commands import print_view

    sys.exit(print_view("env", **params))
