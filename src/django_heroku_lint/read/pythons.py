"""The Python versions Heroku builds, in one table: update it when Heroku's changes.

Source: heroku/heroku-buildpack-python, ``lib/python_version.sh`` and its CHANGELOG
(https://github.com/heroku/heroku-buildpack-python).  A version newer than every row is not judged:
Heroku may support it by the time the project is pushed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPPORTED, DEPRECATED, END_OF_LIFE = "supported", "deprecated", "end-of-life"


@dataclass(frozen=True, slots=True)
class PythonStatus:
    """How Heroku treats a Python version."""

    status: str  # SUPPORTED, DEPRECATED or END_OF_LIFE
    date: str = ""  # for DEPRECATED the removal date, for END_OF_LIFE when it was removed


# major.minor -> status; versions below the oldest row are end-of-life too.
PYTHONS: dict[tuple[int, int], PythonStatus] = {
    (3, 8): PythonStatus(END_OF_LIFE, "2025-01"),
    (3, 9): PythonStatus(END_OF_LIFE, "2026-01"),
    (3, 10): PythonStatus(DEPRECATED, "2027-01-06"),
    (3, 11): PythonStatus(SUPPORTED),
    (3, 12): PythonStatus(SUPPORTED),
    (3, 13): PythonStatus(SUPPORTED),
    (3, 14): PythonStatus(SUPPORTED),
}
DEFAULT = (3, 14)  # what Heroku builds with when no version is given

VERSION_RE = re.compile(r"^(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?$")


def supported() -> list[str]:
    return [f"{major}.{minor}" for (major, minor), s in sorted(PYTHONS.items()) if s.status == SUPPORTED]


def recommended() -> str:
    """The newest supported version, as written in ``.python-version``: the one version
    djhlint advises, wherever it advises one (messages, fixes, docs, the README)."""
    return supported()[-1]


def status(major: int, minor: int) -> PythonStatus | None:
    """The status of ``major.minor``; None when it is newer than the table knows."""
    if (major, minor) in PYTHONS:
        return PYTHONS[(major, minor)]
    oldest = min(PYTHONS)
    if (major, minor) < oldest:
        return PythonStatus(END_OF_LIFE)
    return None


def parse_version(text: str) -> tuple[int, int] | None:
    """``3.12`` or ``3.12.4`` -> (3, 12); anything else -> None."""
    match = VERSION_RE.match(text.strip())
    if not match:
        return None
    return int(match.group("major")), int(match.group("minor"))
