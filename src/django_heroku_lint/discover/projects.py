"""Finding what Heroku will build: the build root, the Django projects, and their files.

This is the only stage that reads the disk.  Inside a git repository the files are
what git lists (tracked, plus untracked files that are not ignored): what a commit
would deploy.  Outside git the tree is walked, skipping ``.git``, ``node_modules``,
``__pycache__``, ``site-packages`` and virtualenvs (any folder holding ``pyvenv.cfg``).

In a repository whose top holds no build file (a monorepo of services), the projects
are found in git's index and only the builds linted are listed: the cost follows the
projects, not the size of the repository.  See :class:`_Tree`.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import subprocess
import threading
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from ..ftypes import ParseError

SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", "site-packages", ".hg", ".svn", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".djhlint_cache"})
# Files Heroku's Python build reads at the root of the app: where one sits, the app starts.
BUILD_MARKERS = frozenset(
    {"Procfile", "requirements.txt", "runtime.txt", ".python-version", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "app.json"}
)
# Files from which Heroku's Python build installs the app: a build root without one fails
# ("no Python package manager files"), whatever else it holds.
INSTALL_MARKERS = frozenset({"requirements.txt", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock"})
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_BUILDPACKS_BYTES = 64 * 1024


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
    build_root_reason: str = ""  # why a subfolder is the build root when it is not the obvious one
    repo_top: Path | None = None  # the top of the git work tree holding the build; None outside git
    # The files git lists but does not track (a commit would add them, none holds them yet);
    # empty outside git, where nothing tells.
    untracked: frozenset[str] = frozenset()
    _cache: dict[str, bytes | ParseError] = field(default_factory=dict, repr=False)

    def read(self, rel: str) -> bytes | ParseError:
        """The bytes of a file of the build, or a ParseError saying why it cannot be read."""
        if rel in self._cache:
            return self._cache[rel]
        result = self.read_fresh(rel)
        self._cache[rel] = result
        return result

    def reads(self) -> dict[str, bytes | ParseError]:
        """Every file read so far, by path: what a run's result depends on."""
        return dict(self._cache)

    def read_fresh(self, rel: str) -> bytes | ParseError:
        """The bytes on disk now, bypassing what was read before: the fix stage checks
        with it that a file did not change between reading and writing."""
        try:
            return read_file(self.build_root / rel, self.build_root, listed=self.files)
        except UnreadableFile as exc:
            from ..ftypes import ParseError, Span  # only now: a replay that reads every file never needs them

            return ParseError(Span(rel), str(exc))

    def tracked(self, rel: str) -> bool:
        """Whether git holds ``rel`` in its index: a file pushed to Heroku as it is, not one
        that is merely not ignored.  Always false outside git."""
        return self.in_git and rel in self.files and rel not in self.untracked

    def root_files(self) -> list[str]:
        return sorted(f for f in self.files if "/" not in f)


class UnreadableFile(Exception):
    """Why a file is not read: not a regular file, too large, a link that leaves the
    project, or the system's error.  The message never holds the file's content."""


# O_NONBLOCK: opening a FIFO returns at once (fstat then refuses it) instead of waiting
# for a writer; O_NOFOLLOW: the last component is opened as is, never through a link.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _inside(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def read_file(path: Path | str, top: Path | str, limit: int = MAX_FILE_BYTES, listed: Container[str] | None = None) -> bytes:
    """The bytes of ``path``, a file of the project below ``top`` (its build root), or
    :class:`UnreadableFile`: every file djhlint reads comes through here.

    Only a regular file is read, and at most ``limit`` bytes of it (the size the system
    states is not trusted: a file may grow while it is read).  A link is followed only
    to a file inside ``top``: one that leaves the project (to a token file, ``/dev/zero``)
    or leads into ``.git`` (whose config holds a CI checkout's token) is refused without
    being opened, so its content can never reach a message.  Given ``listed`` (paths
    relative to ``top``), a link is followed only to one of them: not to a file git
    ignores, such as a developer's ``.env``.
    """
    path, top = os.fspath(path), os.path.realpath(top)
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    if not _inside(real, top):
        raise UnreadableFile("a link that leaves the project: not followed")
    below = real[len(top.rstrip(os.sep)) :]  # "" or os.sep + the path below top
    if f"{os.sep}.git{os.sep}" in below + os.sep:
        raise UnreadableFile("a link into .git: not followed")  # its config may hold a CI token
    if listed is not None and real != os.path.abspath(path) and below[1:].replace(os.sep, "/") not in listed:
        raise UnreadableFile("a link to a file that is not part of the project (ignored, or not listed): not followed")
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        if info.st_size > limit:
            raise UnreadableFile(f"file is too large to read ({info.st_size // (1024 * 1024)} MiB)")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, max(info.st_size + 1, 1 << 16)))  # the whole file, usually
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFile(f"file is too large to read (over {limit // (1024 * 1024)} MiB)")
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# Settings git would honour that run a program, neutralised on every git call: a
# repository's own .git/config is as untrusted as its files.  ``ls-files`` asks the
# file system monitor (core.fsmonitor, a command or git's daemon) what changed; hooks
# (core.hooksPath) run on index writes, which these read-only commands should not do.
# The others of git-config(1) do not apply to ``rev-parse`` and ``ls-files`` as called
# here: the pager (core.pager, pager.*) needs a terminal, filters (filter.*.clean) run
# only when a file's content is hashed (``ls-files -m``, never used), ``ls-files`` takes
# no submodule.recurse, aliases never replace a built-in command, and trace2.* is read
# from the system and global files only.  core.worktree runs nothing but may name any
# folder: see _git_toplevel.
GIT_SAFETY = ("-c", "core.fsmonitor=false", "-c", f"core.hooksPath={os.devnull}")
# Nothing turns off what git reads: a .git/config that includes a FIFO (include.path)
# blocks it for ever.  Listing even a huge repository takes seconds, not this.
GIT_TIMEOUT = 60.0


def _git(where: Path, *args: str) -> bytes | None:
    """``git -C where ARGS`` with the settings that run programs turned off: its output,
    or None when git is missing or fails.  Raises DiscoveryError when git hangs.

    Its end is waited for, not polled: a wait with a timeout checks for the exit in
    sleeps that double (1 ms, 2 ms, 4 ms...), most of them after git has ended, on
    every run.  A timer kills git when it has not ended in ``GIT_TIMEOUT`` instead.
    """
    try:
        proc = subprocess.Popen(
            ["git", "-C", str(where), *GIT_SAFETY, *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None
    killed: list[bool] = []

    def kill() -> None:
        killed.append(True)
        proc.kill()

    timer = threading.Timer(GIT_TIMEOUT, kill)
    timer.start()
    try:
        with proc:
            out, _ = proc.communicate()
    finally:
        timer.cancel()
    if killed:
        raise DiscoveryError(f"{where}: git did not answer in {GIT_TIMEOUT:g} s (does .git/config include a FIFO or a device?)")
    return out if proc.returncode == 0 else None


def _git_toplevel(start: Path) -> Path | None:
    """The top of the work tree holding ``start`` (resolved), or None outside git.  A work
    tree that does not hold ``start`` (a crafted ``core.worktree`` pointing elsewhere) is
    not the project's: the folder is then read as one outside git."""
    out = _git(start, "rev-parse", "--show-toplevel")
    top = out.decode("utf-8", "surrogateescape").strip() if out is not None else ""
    if not top:
        return None
    resolved = Path(top).resolve()
    return resolved if start == resolved or _is_relative_to(start, resolved) else None


def _git_list(top: Path, *args: str) -> list[str] | None:
    """``git ls-files -z ARGS`` in ``top``: the paths, or None when git fails."""
    out = _git(top, "-c", "core.quotepath=off", "ls-files", "-z", *args)
    if out is None:
        return None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _git_files(top: Path) -> tuple[list[str], set[str]] | None:
    """What a commit of the whole work tree would hold (tracked, plus untracked files not
    ignored), sorted, and which of them git does not track yet."""
    listed = _git_list(top, "--cached", "--others", "-t", "--exclude-standard")
    if listed is None:
        return None
    # a tracked file deleted from the work tree is still listed: see _present
    return sorted({entry[2:] for entry in listed}), {entry[2:] for entry in listed if entry.startswith("? ")}


def _git_present(top: Path, folders: list[str]) -> tuple[list[str], set[str]] | None:
    """What a commit would hold below ``folders``, sorted, without the tracked files deleted
    from the work tree: git itself checks each tracked file (``--deleted``), which is cheap
    when the folders are the builds linted, not the whole work tree; and which of them git
    does not track yet."""
    listed = _git_list(top, "--cached", "--others", "--deleted", "-t", "--exclude-standard", "--", *(f":(literal){folder}" for folder in folders))
    if listed is None:
        return None
    deleted = {entry[2:] for entry in listed if entry.startswith("R ")}
    untracked = {entry[2:] for entry in listed if entry.startswith("? ")}
    return sorted({entry[2:] for entry in listed if not entry.startswith("R ")} - deleted), untracked


def _tracked_projects(top: Path) -> list[str] | None:
    """The folders holding a tracked ``manage.py``, from git's index alone (no walk of the
    work tree), left out when deleted or inside a skipped folder; None when git fails."""
    listed = _git_list(top, "--cached", "--", "*manage.py", "*pyvenv.cfg")
    if listed is None:
        return None
    venvs = frozenset(f.rpartition("/")[0] for f in listed if f.endswith("/pyvenv.cfg"))
    folders = set()
    for rel in listed:
        folder, _, name = rel.rpartition("/")
        if name == "manage.py" and not _skipped_folder(folder, venvs) and os.path.isfile(top / rel):
            folders.add(folder)
    return sorted(folders)


def _entries(top: Path, folder: str) -> frozenset[str]:
    """The names in a folder of the work tree ("" for the top); none if it cannot be listed."""
    try:
        return frozenset(os.listdir(top / folder if folder else top))
    except OSError:
        return frozenset()


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
            names = folders[folder] = _entries(top, folder)
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


class _Tree:
    """One work tree (a git repository, else the folder walked) and what is known of its files.

    In git, the projects are first found in the index alone (the tracked ``manage.py``
    files), and only the build roots of the projects linted are then listed, in one git
    call: a monorepo's other folders (its node_modules, its other services) are never
    walked.  A build root is then the nearest folder holding a build file on disk.  When
    git tracks no ``manage.py`` where a path points (a project not added yet, or git
    failing), or outside git, the whole tree is listed, and everything is judged from
    that listing.
    """

    def __init__(self, top: Path, in_git: bool) -> None:
        self.top, self.in_git = top, in_git
        self.listed_all = False
        self.files: list[str] = []  # sorted: the whole tree's, or the build roots' listed so far
        self.file_set: set[str] = set()
        self.untracked: set[str] = set()  # in git: the files listed that git does not track
        self.venvs: tuple[str, ...] = ()
        self.names: dict[str, frozenset[str]] = {}  # a folder's entries on disk, when judged from disk
        self.procfile_folders: set[str] = set()  # folders holding a Procfile-like file, once listed
        self.manages: list[str] = []
        # What the top's .buildpacks and deploy scripts name, read once however many paths
        # (a pre-commit hook passes every file of a commit) lead to the tree's projects.
        self.buildpacks: list[str] | None = None
        self.subtrees: list[tuple[str, str]] | None = None
        # A build file at the top makes the top every project's build root, so the whole
        # tree is listed anyway: one git call then, not two.
        if in_git and not self._is_root(""):
            self.manages = _tracked_projects(top) or []
        if not self.manages:
            self.list_all()

    def _keep(self, listed: list[str], check_present: bool) -> None:
        venv_cfgs = [f for f in listed if f.endswith("/pyvenv.cfg")]
        self.venvs = tuple(sorted(f.rpartition("/")[0] for f in (_present(self.top, venv_cfgs) if check_present else venv_cfgs)))
        kept = _deployable(listed, frozenset(self.venvs))
        self.files = _present(self.top, kept) if check_present else kept
        self.file_set = set(self.files)

    def list_all(self) -> None:
        if self.listed_all:
            return
        found = _git_files(self.top) if self.in_git else None
        if found is None:
            listed, self.in_git = _walk_files(self.top), False
        else:
            listed, self.untracked = found
        self._keep(listed, self.in_git)
        self.listed_all = True
        self.manages = sorted(f.rpartition("/")[0] for f in self.files if f == "manage.py" or f.endswith("/manage.py"))
        self.procfile_folders = {f.rpartition("/")[0] for f in self.files if _procfile_like(f)}

    def choose(self, rel_start: str) -> list[str]:
        """The projects a path means: the innermost one holding it, else every one below it."""
        chosen = _choose(self.manages, rel_start)
        if not chosen and not self.listed_all:
            self.list_all()  # perhaps a project git does not track yet
            chosen = _choose(self.manages, rel_start)
        return chosen

    def _is_root(self, folder: str) -> bool:
        if self.listed_all:
            return _has_markers(self.file_set, folder) or folder in self.procfile_folders
        names = self._names(folder)
        return bool(names & BUILD_MARKERS) or any(_procfile_like(name) for name in names)

    def _installs(self, folder: str) -> bool:
        """Whether ``folder`` holds a file Heroku's Python build installs from."""
        if self.listed_all:
            prefix = folder + "/" if folder else ""
            return any(prefix + name in self.file_set for name in INSTALL_MARKERS)
        return bool(self._names(folder) & INSTALL_MARKERS)

    def _names(self, folder: str) -> frozenset[str]:
        """The entries of ``folder`` on disk, listed once."""
        names = self.names.get(folder)
        if names is None:
            names = self.names[folder] = _entries(self.top, folder)
        return names

    def build_root_why(self, project_dir: str) -> tuple[str, str]:
        """Where Heroku builds the project, and why.

        A folder of the project's path that heroku-buildpack-subdir's ``.buildpacks``
        names; else the top when it holds a build file and something to install from;
        else the nearest folder above the project that holds one (a subfolder pushed
        with ``git subtree push --prefix``: the top's Procfile or runtime.txt alone
        builds nothing); else the nearest that holds any build file; else the top.
        """
        ancestors = _ancestors(project_dir)
        if self.buildpacks is None:
            self.buildpacks = _buildpacks_folders(self.top)
        for folder in self.buildpacks:
            if folder in ancestors:
                return folder, f"{folder}/ is the app's folder in .buildpacks (heroku-buildpack-subdir)"
        if self.subtrees is None:
            self.subtrees = _subtree_prefixes(self.top)
        for folder, where in self.subtrees:
            if folder in ancestors and folder:
                return folder, f"{where} deploys it with git subtree push --prefix {folder}"
        if self._is_root(""):
            if self._installs(""):
                return "", ""
            for folder in ancestors[:-1]:
                if self._installs(folder):
                    return folder, (
                        f"the repository's top has no requirements.txt, Pipfile, poetry.lock or uv.lock: "
                        f"{folder}/ holds the build, deployed with git subtree push --prefix {folder} or a subfolder buildpack"
                    )
            return "", ""
        for folder in ancestors:
            if self._is_root(folder):
                return folder, ""
        return "", ""

    def list_roots(self, roots: set[str]) -> None:
        """Make sure the files below these build roots are known."""
        if self.listed_all:
            return
        if "" in roots:
            self.list_all()
            return
        found = _git_present(self.top, sorted(roots))
        if found is None:
            self.list_all()
            return
        listed, self.untracked = found
        self._keep(listed, False)


def _buildpacks_folders(top: Path) -> list[str]:
    """The folders heroku-buildpack-subdir builds, from the top's ``.buildpacks`` lines
    ``backend=https://github.com/heroku/heroku-buildpack-python``: only those of a
    Python buildpack (or of no buildpack named), as POSIX paths below the top."""
    path = top / ".buildpacks"
    if not path.is_file():
        return []
    try:
        data = read_file(path, top, limit=MAX_BUILDPACKS_BYTES)
    except UnreadableFile:
        return []
    folders = []
    for line in data.decode("utf-8", "replace").splitlines():
        folder, equals, buildpack = line.strip().partition("=")
        folder = folder.strip().strip("/")
        if folder.startswith("./"):
            folder = folder[2:]
        if not equals or not folder or ".." in folder.split("/") or folder.startswith("#"):
            continue
        if "python" in buildpack.lower() or not buildpack.strip():
            folders.append(folder)
    return folders


SUBTREE_RE = re.compile(rb"subtree[ \t]+push[ \t]+(?:-P|--prefix)(?:=|[ \t]+)['\"]?(?P<folder>[\w.][\w./-]{0,200})")
# Top-level files where a project writes how it deploys: its scripts and its README.
SUBTREE_FILES = ("Makefile", "makefile", "package.json", "README.md", "README.rst", "README.txt", "README", "deploy.sh", "Justfile", "justfile")


def _subtree_prefixes(top: Path) -> list[tuple[str, str]]:
    """The folders the top's scripts or README push to Heroku with ``git subtree push
    --prefix backend heroku main``, as (folder, the file that says so)."""
    found = []
    names = _entries(top, "")
    for name in [*SUBTREE_FILES, *sorted(n for n in names if n.endswith(".sh"))]:
        if name not in names or (top / name).is_symlink():
            continue
        try:
            data = read_file(top / name, top, limit=MAX_BUILDPACKS_BYTES * 4)
        except UnreadableFile:
            continue
        if b"subtree" not in data:
            continue
        for match in SUBTREE_RE.finditer(data):
            folder = match.group("folder").decode("ascii", "replace").strip("/")
            folder = folder[2:] if folder.startswith("./") else folder
            if folder and ".." not in folder.split("/") and (folder, name) not in found:
                found.append((folder, name))
    return found


def _choose(manages: list[str], rel_start: str) -> list[str]:
    chosen = [d for d in manages if d in _ancestors(rel_start)]
    if chosen:
        return chosen[-1:]  # the innermost project holding the path
    prefix = rel_start + "/" if rel_start else ""
    return [d for d in manages if d.startswith(prefix) or rel_start == ""]


@dataclass(frozen=True, slots=True)
class Located:
    """A project found, before the files of its build are listed."""

    tree: _Tree
    build_root: str  # relative to the work tree's top, POSIX; "" for the top
    project_dir: str  # the folder holding manage.py, relative to the top
    why: str = ""  # why the build root is not the top's nor the nearest holding a build file; "" when it is


def locate_projects(paths: list[str]) -> list[Located]:
    """The Django projects the given paths name, and the build root of each.

    In git this reads the index and a few folders, whatever the size of the work tree;
    the files of the builds are listed afterwards, by :func:`list_projects`.
    """
    try:
        os.getcwd()
    except OSError:  # paths are shown relative to it, and "." means it
        raise DiscoveryError("the current folder no longer exists (it was deleted or moved): run djhlint from a folder that does") from None
    trees: dict[Path, _Tree] = {}
    found: list[Located] = []
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
        tree = trees.get(top)
        if tree is None:
            tree = trees[top] = _Tree(top, in_git)
        rel_given = "" if given == top else given.relative_to(top).as_posix() if _is_relative_to(given, top) else ""
        rel_start = rel_given if given.is_dir() else rel_given.rpartition("/")[0]
        chosen = tree.choose(rel_start)
        if not chosen:
            raise DiscoveryError(f"{raw}: no Django project found (no manage.py)")
        for project_dir in chosen:
            root, why = tree.build_root_why(project_dir)
            found.append(Located(tree, root, project_dir, why))
    return found


def list_projects(found: list[Located]) -> list[Project]:
    """The projects located, each with the files of its build: one git call per work tree."""
    trees = {id(item.tree): item.tree for item in found}
    for tree in trees.values():
        tree.list_roots({item.build_root for item in found if item.tree is tree})
    projects: dict[tuple[Path, str], Project] = {}
    for item in found:
        tree, root_rel, project_dir = item.tree, item.build_root, item.project_dir
        key = (tree.top, root_rel + "::" + project_dir)
        if key in projects:
            continue
        prefix = root_rel + "/" if root_rel else ""
        files = [f[len(prefix):] for f in _under(tree.files, root_rel)]
        rel_project = "" if project_dir == root_rel else project_dir[len(prefix):] if project_dir.startswith(prefix) else project_dir
        projects[key] = Project(
            build_root=tree.top / root_rel if root_rel else tree.top,
            project_dir=rel_project,
            files=frozenset(files),
            in_git=tree.in_git,
            venv_dirs=tuple(v[len(prefix):] for v in tree.venvs if v.startswith(prefix)),
            build_root_reason=item.why,
            repo_top=tree.top if tree.in_git else None,
            untracked=frozenset(f[len(prefix):] for f in tree.untracked if f.startswith(prefix)),
        )
    return list(projects.values())


def find_projects(paths: list[str]) -> list[Project]:
    """The Django projects the given paths name, each with its build root and files."""
    return list_projects(locate_projects(paths))


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False
