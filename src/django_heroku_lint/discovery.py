"""Finding what Heroku will build: the build root, the Django projects, and their files.

This is the only stage that reads the disk.  Inside a git repository the files are
what git lists (tracked, plus untracked files that are not ignored): what a commit
would deploy.  Outside git the tree is walked, skipping ``.git``, ``node_modules``,
``__pycache__``, ``site-packages`` and virtualenvs (any folder holding ``pyvenv.cfg``).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .ftypes import ParseError, Span

SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", "site-packages", ".hg", ".svn", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".djhlint_cache"})
# Files Heroku's Python build reads at the root of the app: where one sits, the app starts.
BUILD_MARKERS = frozenset(
    {"Procfile", "requirements.txt", "runtime.txt", ".python-version", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "app.json"}
)
MAX_FILE_BYTES = 10 * 1024 * 1024


class DiscoveryError(Exception):
    """A PATH that cannot be linted: missing, or holding no Django project."""


@dataclass
class Project:
    """One Django project (a folder holding ``manage.py``) and the build around it."""

    build_root: Path  # absolute
    project_dir: str  # relative to the build root, POSIX; "" when manage.py sits at the root
    files: frozenset[str]  # every file of the build, relative to the build root
    in_git: bool = False
    venv_dirs: tuple[str, ...] = ()  # committed virtualenvs, relative to the build root
    _cache: dict[str, bytes | ParseError] = field(default_factory=dict, repr=False)

    def read(self, rel: str) -> bytes | ParseError:
        """The bytes of a file of the build, or a ParseError saying why it cannot be read."""
        if rel in self._cache:
            return self._cache[rel]
        result = self.read_fresh(rel)
        self._cache[rel] = result
        return result

    def read_fresh(self, rel: str) -> bytes | ParseError:
        """The bytes on disk now, bypassing what was read before: the fix stage checks
        with it that a file did not change between reading and writing."""
        path = self.build_root / rel
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                result: bytes | ParseError = ParseError(Span(rel), "not a regular file")
            elif info.st_size > MAX_FILE_BYTES:
                result = ParseError(Span(rel), f"file is too large to read ({info.st_size // (1024 * 1024)} MiB)")
            else:
                with open(path, "rb") as handle:
                    result = handle.read()
        except OSError as exc:
            result = ParseError(Span(rel), f"cannot read the file: {exc.strerror or exc}")
        return result

    def root_files(self) -> list[str]:
        return sorted(f for f in self.files if "/" not in f)

    def exists(self, rel: str) -> bool:
        return rel in self.files


def _git_toplevel(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(start), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        )
    except OSError:
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.strip()).resolve()


def _git_files(top: Path) -> list[str] | None:
    def run(*args: str) -> list[str] | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(top), "-c", "core.quotepath=off", "ls-files", "-z", *args],
                capture_output=True, check=False, stdin=subprocess.DEVNULL,
            )
        except OSError:
            return None
        if out.returncode != 0:
            return None
        return [p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p]

    listed = run("--cached", "--others", "--exclude-standard")
    if listed is None:
        return None
    return sorted(set(listed))  # a tracked file deleted from the work tree is still listed: see _present


def _present(top: Path, files: list[str]) -> list[str]:
    """The files of a git listing that are in the work tree.

    Git lists a tracked file after it was deleted; asking it (``ls-files --deleted``)
    costs an lstat of every tracked file, node_modules included.  Here each folder of
    the files kept is listed once, and only a name missing from its folder's listing (a
    deleted file, or the name in another case or normalization on a macOS disk) gets
    an lstat of its own.
    """
    folders: dict[str, frozenset[str]] = {}
    kept = []
    for rel in files:
        folder, _, name = rel.rpartition("/")
        names = folders.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(top / folder if folder else top))
            except OSError:
                names = frozenset()
            folders[folder] = names
        if name in names or os.path.lexists(top / rel):
            kept.append(rel)
    return kept


def _walk_files(root: Path) -> list[str]:
    files: list[str] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        try:
            info = os.stat(dirpath)
            if (info.st_dev, info.st_ino) in seen:
                dirnames[:] = []
                continue
            seen.add((info.st_dev, info.st_ino))
        except OSError:
            continue
        rel_dir = os.path.relpath(dirpath, root)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        if "pyvenv.cfg" in filenames and prefix:
            files.append(prefix + "pyvenv.cfg")  # remembered, so a committed virtualenv can be reported
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        files.extend(prefix + name for name in filenames)
    return sorted(files)


def _skipped_folder(folder: str, venvs: frozenset[str]) -> str:
    """The outermost folder on ``folder``'s path (itself included) that is never read, or ""."""
    path = ""
    for part in folder.split("/") if folder else ():
        path = f"{path}/{part}" if path else part
        if part in SKIP_DIRS or path in venvs:
            return path
    return ""


def _deployable(listed: list[str], venvs: frozenset[str]) -> list[str]:
    """The files of a sorted listing outside skipped folders, still sorted.

    Each folder is judged once, and a skipped folder is stepped over with one
    bisection, so a committed node_modules costs next to nothing.
    """
    kept: list[str] = []
    verdicts: dict[str, str] = {}
    index, count = 0, len(listed)
    while index < count:
        rel = listed[index]
        folder = rel.rpartition("/")[0]
        skipped = verdicts.get(folder)
        if skipped is None:
            skipped = verdicts[folder] = _skipped_folder(folder, venvs)
        if skipped:
            index = bisect.bisect_left(listed, skipped + "0", index)  # "0" sorts right after "/"
            continue
        kept.append(rel)
        index += 1
    return kept


def _under(files: list[str], folder: str) -> list[str]:
    """The files of a sorted list below ``folder`` (all of them for the root), found by bisection."""
    if not folder:
        return files
    return files[bisect.bisect_left(files, folder + "/") : bisect.bisect_left(files, folder + "0")]


def _has_markers(files: set[str], folder: str) -> bool:
    prefix = folder + "/" if folder else ""
    for marker in BUILD_MARKERS:
        if prefix + marker in files:
            return True
    return False


def _ancestors(folder: str) -> list[str]:
    """``a/b/c`` -> ["a/b/c", "a/b", "a", ""]."""
    result = [folder]
    while folder:
        folder = folder.rpartition("/")[0]
        result.append(folder)
    return result


def _procfile_like(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].strip().lower()
    return base == "procfile" or base.startswith("procfile.")


def find_projects(paths: list[str], exclude: list[str] | None = None) -> list[Project]:
    """The Django projects the given paths name, each with its build root and files."""
    projects: dict[tuple[Path, str], Project] = {}
    listings: dict[Path, tuple[list[str], tuple[str, ...], bool]] = {}
    for raw in paths or ["."]:
        given = Path(raw)
        if not given.exists():
            raise DiscoveryError(f"{raw}: no such file or folder")
        given = given.resolve()
        start = given if given.is_dir() else given.parent
        top = _git_toplevel(start)
        in_git = top is not None
        if top is None:
            top = start
            # Outside git, a file or folder inside a Django project means that project.
            for folder in [start, *start.parents]:
                if (folder / "manage.py").is_file():
                    top = folder
                    break
        if top not in listings:
            listed = _git_files(top) if in_git else None
            if listed is None:
                listed, in_git = _walk_files(top), False
            venv_cfgs = [f for f in listed if f.endswith("/pyvenv.cfg")]
            venvs = tuple(sorted(f.rpartition("/")[0] for f in (_present(top, venv_cfgs) if in_git else venv_cfgs)))
            kept = _deployable(listed, frozenset(venvs))
            listings[top] = (_present(top, kept) if in_git else kept, venvs, in_git)
        all_files, venvs, in_git = listings[top]
        file_set = set(all_files)
        manages = sorted(f.rpartition("/")[0] for f in all_files if f == "manage.py" or f.endswith("/manage.py"))
        procfile_folders: set[str] | None = None  # folders holding a Procfile-like file, when needed
        rel_given = "" if given == top else given.relative_to(top).as_posix() if _is_relative_to(given, top) else ""
        rel_start = rel_given if given.is_dir() else rel_given.rpartition("/")[0]
        chosen = [d for d in manages if d in _ancestors(rel_start)]
        if chosen:
            chosen = chosen[-1:]  # the innermost project holding the path
        else:
            prefix = rel_start + "/" if rel_start else ""
            chosen = [d for d in manages if d.startswith(prefix) or rel_start == ""]
        if not chosen:
            raise DiscoveryError(f"{raw}: no Django project found (no manage.py)")
        top_has_markers = _has_markers(file_set, "") or any(_procfile_like(f) for f in all_files if "/" not in f)
        for project_dir in chosen:
            root_rel = ""
            if not top_has_markers:
                if procfile_folders is None:
                    procfile_folders = {f.rpartition("/")[0] for f in all_files if _procfile_like(f)}
                for folder in _ancestors(project_dir):
                    if _has_markers(file_set, folder) or folder in procfile_folders:
                        root_rel = folder
                        break
            key = (top, root_rel + "::" + project_dir)
            if key in projects:
                continue
            prefix = root_rel + "/" if root_rel else ""
            files = [f[len(prefix):] for f in _under(all_files, root_rel)]
            if exclude:
                files = [f for f in files if not _excluded(f, exclude)]
            rel_project = project_dir[len(prefix):] if project_dir.startswith(prefix) else project_dir
            projects[key] = Project(
                build_root=top / root_rel if root_rel else top,
                project_dir=rel_project,
                files=frozenset(files),
                in_git=in_git,
                venv_dirs=tuple(v[len(prefix):] for v in venvs if v.startswith(prefix)),
            )
    return list(projects.values())


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False


def _excluded(rel: str, patterns: list[str]) -> bool:
    pure = PurePosixPath(rel)
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*") or pure.match(pattern):
            return True
        if any(fnmatch.fnmatch(part, pattern) for part in pure.parts[:-1]):
            return True
    return False
