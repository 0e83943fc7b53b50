"""Fixtures shared by the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from django_heroku_lint.rules._baseline import project_files

from .helpers import Files, write_tree


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write the baseline project with ``overrides`` applied; ``baseline=False`` writes only them."""

    def make(overrides: Files | None = None, *, baseline: bool = True, subdir: str = "proj") -> Path:
        root = tmp_path / subdir
        root.mkdir(parents=True, exist_ok=True)
        files = project_files(overrides or {}) if baseline else {k: v for k, v in (overrides or {}).items() if v is not None}
        return write_tree(root, files)

    return make




@pytest.fixture(autouse=True, scope="session")
def private_cache_home(tmp_path_factory: pytest.TempPathFactory):
    """The per-user secret of the settings-model cache lives in a temporary folder, never in the real home."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield
    if old is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder to run djhlint from, apart from the project (its output files go here)."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder
