"""The registry: every module ``rules/djhNNN_<name>.py`` defines one rule, and is found here.

Adding a rule is adding its file: the folder is listed (no hand-kept list to forget),
in code order, and each module gives the one ``Rule`` subclass it defines.  A listing
and the imports the run needs anyway cost next to nothing on a warm run.
"""

from __future__ import annotations

import os
import sys

from .rule import Rule


def rule_modules() -> list[str]:
    """The names of the rule modules (``djh101_allowed_hosts_wildcard`` ...), in code order."""
    try:
        listed = [name[:-3] for name in os.listdir(os.path.dirname(__file__)) if name.endswith(".py")]
    except OSError:  # not a folder (a zip import): ask the import system, which costs more
        import pkgutil

        listed = [module.name for module in pkgutil.iter_modules(sys.modules[__package__].__path__)]
    return sorted(name for name in listed if name.startswith("djh") and name[3:6].isdigit() and name[6:7] == "_")


def rules_of(module: str) -> list[type[Rule]]:
    """The Rule subclasses the rule module defines (not those it imports)."""
    name = f"{__package__}.{module}"
    __import__(name)  # importlib itself would cost a warm run more than the listing
    loaded = sys.modules[name]
    return [
        value
        for value in vars(loaded).values()
        if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == loaded.__name__
    ]


def _discover() -> list[type[Rule]]:
    found = []
    for module in rule_modules():
        defined = rules_of(module)
        if len(defined) != 1:
            raise ImportError(f"rules/{module}.py must define exactly one rule, not {len(defined)}")
        found.append(defined[0])
    return sorted(found, key=lambda rule: rule.code)


ALL_RULES: list[type[Rule]] = _discover()


def get_rule(selector: str) -> type[Rule] | None:
    for rule in ALL_RULES:
        if rule.code == selector.upper() or rule.name == selector.lower():
            return rule
    return None
