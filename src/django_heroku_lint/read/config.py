"""The configuration (``[tool.djhlint]`` in a ``pyproject.toml``, or a ``djhlint.toml``),
where it is found, what ``exclude`` leaves out, and rule selection."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

KNOWN_KEYS = ("select", "ignore", "settings-module", "exclude", "per-file-ignores")
# The files that configure djhlint; in one folder the first one present wins, as ruff's
# ``.ruff.toml`` wins over ``ruff.toml`` and ``ruff.toml`` over ``pyproject.toml``.
CONFIG_NAMES = (".djhlint.toml", "djhlint.toml", "pyproject.toml")


class ConfigError(Exception):
    """Bad configuration or arguments: reported in one line, exit code 2."""


@dataclass
class Config:
    """A project's ``[tool.djhlint]`` settings."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    settings_module: str | None = None
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> codes, prefixes or names
    source: str | None = None  # the file the configuration came from
    # What is left out of the reports: (the folder a pattern is relative to, the pattern).
    excludes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def folder(self) -> str | None:
        """The folder of the configuration file: its paths are relative to it."""
        return os.path.dirname(self.source) if self.source else None


def toml_parser():
    """``tomllib``, or ``tomli`` before Python 3.11: imported when a TOML file is read,
    since most projects have none."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10
        import tomli as tomllib
    return tomllib


def config_candidates(build_root: Path, repo_top: Path | None) -> list[Path]:
    """The configuration files that may apply to a build, nearest first: those of the
    build root, then of each folder above it up to the top of its git work tree (never
    above: a file outside the repository is not the project's); outside git, the build
    root's only.  A name that is not a regular file (a folder, a FIFO) is not one."""
    folders = [build_root]
    if repo_top is not None and build_root != repo_top and repo_top in build_root.parents:
        folders += [folder for folder in build_root.parents if folder == repo_top or repo_top in folder.parents]
    return [folder / name for folder in folders for name in CONFIG_NAMES if os.path.isfile(folder / name)]


def find_config(build_root: Path, repo_top: Path | None) -> Config:
    """The configuration of a build: the nearest ``.djhlint.toml`` or ``djhlint.toml``, or
    ``pyproject.toml`` holding a ``[tool.djhlint]`` table (one without is passed over, as
    ruff passes over one without ``[tool.ruff]``); the defaults when there is none."""
    top = repo_top if repo_top is not None else build_root
    for path in config_candidates(build_root, repo_top):
        config = _read_config(path, top, required=False)
        if config is not None:
            return config
    return Config()


def load_config_file(path: str) -> Config:
    """``--config PATH``: that file, a ``pyproject.toml`` (its ``[tool.djhlint]``) or a
    ``djhlint.toml`` (any other name: the keys at its top level)."""
    if not os.path.lexists(path):
        raise ConfigError(f"{path}: no such configuration file")
    given = Path(os.path.abspath(path))
    config = _read_config(given, Path(os.path.realpath(path)).parent, required=True)
    return config if config is not None else Config(source=str(given))


def _read_config(path: Path, top: Path, required: bool) -> Config | None:
    """The configuration a file holds: None for a ``pyproject.toml`` without
    ``[tool.djhlint]`` unless ``required`` (then the defaults).  Read through discovery's
    bounded reader, below ``top``; any fault is a :class:`ConfigError` naming the file."""
    from ..discover.projects import UnreadableFile, read_file

    tomllib = toml_parser()
    try:
        data = tomllib.loads(read_file(path, top).decode("utf-8"))
    except UnreadableFile as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("djhlint") if isinstance(tool, dict) else None  # `tool = 5` holds no [tool.djhlint]
        if section is None:
            return Config(source=str(path)) if required else None
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.djhlint] must be a table")
        where = "[tool.djhlint] "
    else:
        section, where = data, ""
    for key in section:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{path}: unknown key {key!r}{' in [tool.djhlint]' if where else ''} (known: {', '.join(KNOWN_KEYS)})")

    def strings(key: str) -> list[str] | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {where}{key} must be a list of strings")
        return value

    module = section.get("settings-module")
    if module is not None and not isinstance(module, str):
        raise ConfigError(f"{path}: {where}settings-module must be a string")
    per_file = section.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
        isinstance(codes, list) and all(isinstance(code, str) for code in codes) for codes in per_file.values()
    ):
        raise ConfigError(f"{path}: {where}per-file-ignores must be a table of glob = [codes]")
    return Config(
        select=strings("select"),
        ignore=strings("ignore") or [],
        settings_module=module,
        exclude=strings("exclude") or [],
        per_file_ignores=per_file,
        source=str(path),
    )


def resolve_selectors(selectors: Iterable[str], rules: Iterable[Any], where: str) -> set[str]:
    """Codes matched by selectors: full codes, prefixes (``DJH1``), names, or ``ALL``."""
    rules = list(rules)
    chosen: set[str] = set()
    for raw in selectors:
        selector = raw.strip()
        if not selector:
            continue
        upper = selector.upper()
        if upper == "ALL":
            matched = {r.code for r in rules}
        else:
            matched = {r.code for r in rules if r.code.startswith(upper) or r.name == selector.lower()}
        if not matched:
            raise ConfigError(f"{where}: unknown rule code or name {selector!r}")
        chosen |= matched
    return chosen


def select_rules(rules: list[Any], config: Config, select: list[str] | None, ignore: list[str] | None) -> list[Any]:
    """The rules to run: the command line's select/ignore win over the configuration's."""
    where_cfg = config.source or "configuration"
    selected = select if select is not None else config.select
    codes = resolve_selectors(selected, rules, "--select" if select is not None else where_cfg) if selected else {r.code for r in rules}
    ignored = resolve_selectors(config.ignore, rules, where_cfg) if config.ignore else set()
    if ignore:
        ignored |= resolve_selectors(ignore, rules, "--ignore")
    if select is not None:
        # An explicit --select on the command line re-enables what the file ignores.
        ignored -= resolve_selectors(select, rules, "--select")
        if ignore:
            ignored |= resolve_selectors(ignore, rules, "--ignore")
    return [r for r in rules if r.code in codes and r.code not in ignored]


def per_file_ignores(rules: list[Any], config: Config) -> list[tuple[str, set[str]]]:
    """``per-file-ignores`` as (glob pattern, the codes it silences in the files it matches)."""
    where = f"{config.source or 'configuration'}: per-file-ignores"
    return [(pattern, resolve_selectors(codes, rules, f"{where} {pattern!r}")) for pattern, codes in config.per_file_ignores.items()]


def exclude_patterns(config: Config, exclude: list[str] | None, extend: list[str] | None, cwd: str) -> list[tuple[str, str]]:
    """The run's exclude patterns, each with the folder it is relative to: the
    configuration's, relative to its file's folder, unless ``--exclude`` replaces them,
    and ``--extend-exclude``'s added; the command line's are relative to ``cwd``."""
    if exclude is None:
        base = os.path.realpath(config.folder) if config.folder else cwd
        found = [(base, pattern) for pattern in config.exclude]
    else:
        found = [(cwd, pattern) for pattern in exclude]
    return found + [(cwd, pattern) for pattern in extend or []]


def is_excluded(path: str, excludes: list[tuple[str, str]] | tuple[tuple[str, str], ...], build_root: str) -> bool:
    """Whether an exclude pattern leaves out ``path`` (absolute, in the build at
    ``build_root``), as ruff's ``exclude`` does.

    A pattern without a ``/`` (``migrations``, ``*_old.py``) is a name: it matches a file
    or folder of that name anywhere.  Any other (``mysite/*``, ``legacy/settings.py``) is
    a glob relative to its folder (the configuration file's, or the current one for the
    command line's), or an absolute one; it leaves out what it matches, and whatever is
    below a folder it matches.
    """
    import fnmatch

    for base, raw in excludes:
        pattern = raw.strip().rstrip("/")
        while pattern.startswith("./"):
            pattern = pattern[2:]
        if not pattern:
            continue
        inside = path.startswith(base.rstrip(os.sep) + os.sep)
        rel = os.path.relpath(path, base) if inside else None
        if "/" not in pattern:
            parts = (rel if rel is not None else os.path.relpath(path, build_root)).split(os.sep)
            if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                return True
            continue
        if os.path.isabs(pattern):
            candidate, pattern = path.replace(os.sep, "/"), pattern
        elif rel is None:
            continue
        else:
            candidate = rel.replace(os.sep, "/")
        tries = _zero_folders(pattern)
        tries += [each[3:] for each in tries if each.startswith("**/")]
        folder = candidate
        while folder:
            if any(fnmatch.fnmatchcase(folder, each) for each in tries):
                return True
            folder = folder.rpartition("/")[0]
    return False


def _zero_folders(pattern: str, limit: int = 4) -> list[str]:
    """``pattern`` and, as each ``/**/`` in it may match no folder at all (``mysite/**/base.py``
    matches ``mysite/base.py``, as in ruff), the patterns with it as one ``/``: for its first
    ``limit`` ``/**/`` (fnmatch's ``*`` already crosses folders)."""
    head, found, tail = pattern.partition("/**/")
    if not found or limit == 0:
        return [pattern]
    return [head + joint + rest for joint in ("/**/", "/") for rest in _zero_folders(tail, limit - 1)]
