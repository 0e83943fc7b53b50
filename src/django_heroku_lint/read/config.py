"""``[tool.djhlint]`` in the build root's ``pyproject.toml``, and rule selection."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

KNOWN_KEYS = ("select", "ignore", "settings-module", "exclude", "per-file-ignores")


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


def toml_parser():
    """``tomllib``, or ``tomli`` before Python 3.11: imported when a TOML file is read,
    since most projects have none."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10
        import tomli as tomllib
    return tomllib


def load_config(build_root: Path) -> Config:
    from ..discover.projects import UnreadableFile, read_file

    path = build_root / "pyproject.toml"
    if not path.is_file():
        return Config()
    tomllib = toml_parser()
    try:
        data = tomllib.loads(read_file(path, build_root).decode("utf-8"))
    except UnreadableFile as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    tool = data.get("tool")
    section = tool.get("djhlint") if isinstance(tool, dict) else None  # `tool = 5` holds no [tool.djhlint]
    if section is None:
        return Config()
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.djhlint] must be a table")
    for key in section:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} in [tool.djhlint] (known: {', '.join(KNOWN_KEYS)})")

    def strings(key: str) -> list[str] | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: [tool.djhlint] {key} must be a list of strings")
        return value

    module = section.get("settings-module")
    if module is not None and not isinstance(module, str):
        raise ConfigError(f"{path}: [tool.djhlint] settings-module must be a string")
    per_file = section.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
        isinstance(codes, list) and all(isinstance(code, str) for code in codes) for codes in per_file.values()
    ):
        raise ConfigError(f"{path}: [tool.djhlint] per-file-ignores must be a table of glob = [codes]")
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
