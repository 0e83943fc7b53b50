"""What a rule is given (everything the earlier stages learnt of one Django project),
and what the rules found in it, which the fix stage and the reporters take."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..discover.projects import Project
from ..ftypes import Diagnostic, ParseError, Span
from ..model.entries import EntryEnvRead
from ..model.modules import SettingsChoice
from ..model.values import SettingsModel
from ..read.python import NoqaComment
from ..read.records import AppJsonVar, DotenvFile, EntryPoint, Procfile, PythonPin, Requirements, VersionFile


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule may look at, for one Django project."""

    build_root: str  # absolute path
    project_dir: str  # folder holding manage.py, relative to the build root ("" for the root)
    files: frozenset[str]  # every file of the build, relative to the build root
    settings: SettingsModel | None
    procfile: Procfile | None  # the real Procfile, or the misnamed file when there is none
    misnamed_procfiles: list[str]  # root files meant to be a Procfile, when none is named right
    version_files: dict[str, VersionFile]  # by name: "runtime.txt", ".python-version"
    pipfile_lock_python: str | None  # _meta.requires.python_version of Pipfile.lock
    parse_errors: list[ParseError]
    # The build around the settings: filled by the parse stage, empty when unknown.
    in_git: bool = False  # the files are what git lists (tracked, or untracked and not ignored)
    pipfile_lock_python_span: Span | None = None
    misnamed_version_files: list[str] = field(default_factory=list)  # ".python-version.txt", "runtime.text"
    requirements: Requirements | None = None  # None: no package manager file at the build root
    requirements_errors: list[ParseError] = field(default_factory=list)  # unreadable requirements files
    misnamed_requirements: list[str] = field(default_factory=list)  # "requirement.txt", "requirements.text"
    app_json_env: dict[str, str] = field(default_factory=dict)
    app_json_vars: list[AppJsonVar] = field(default_factory=list)  # app.json's env entries, in its order
    app_json_buildpacks: list[str] | None = None  # app.json "buildpacks" URLs; None without the key
    buildpacks_file: list[str] | None = None  # lines of a .buildpacks file; None without one
    package_json_scripts: list[str] | None = None  # the scripts a root package.json names; None without one or unreadable
    slugignore: list[str] | None = None  # the patterns of a root .slugignore; None without one
    entry_points: list[EntryPoint] = field(default_factory=list)
    entry_env: list[EntryEnvRead] = field(default_factory=list)  # the environment the entry points and manage.py read
    settings_module_set_by: list[str] = field(default_factory=list)  # places that set DJANGO_SETTINGS_MODULE
    committed_venvs: list[str] = field(default_factory=list)  # virtualenv folders git would commit
    dotenv_files: list[DotenvFile] = field(default_factory=list)  # .env files git would commit
    python_pins: list[PythonPin] = field(default_factory=list)  # in order of trust
    settings_choice: SettingsChoice | None = None  # which settings module was judged and why; empty path: none
    # The release process's command, or the lines of the script it runs; None without one or when unreadable.
    release_commands: list[str] | None = None
    build_root_reason: str = ""  # why a subfolder is the build root, when it is not the obvious one
    # What the suppression comments did, filled by the engine once the other rules have run
    # (for unused-noqa, DJH002, which runs last): the noqa comments naming codes in the
    # Python files read, the (file, line, code or name) that suppressed a diagnostic (of any
    # rule, selected or not), and the codes and names of every rule.
    noqa_comments: dict[str, list[NoqaComment]] = field(default_factory=dict)
    noqa_used: frozenset[tuple[str, int, str]] = frozenset()
    known_rules: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ProjectResult:
    """One project, what djhlint understood of it and what the rules found."""

    project: Project
    context: Context
    diagnostics: list[Diagnostic]
    # The exclude patterns of its configuration and command line, each with the folder it
    # is relative to: the fix stage leaves alone every file they match.
    excludes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LintResult:
    """Every project of a run."""

    projects: list[ProjectResult]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every project's diagnostics, sorted, each problem once.

        The Django projects of one build root (``site_a/manage.py`` and ``site_b/manage.py``)
        share its Procfile, version files and requirements: the rules on those report the
        same problem for each project, which is one problem (same code, file, span and
        message), printed and counted once."""
        found: dict[tuple[str, str, Span, str], Diagnostic] = {}
        for project in self.projects:
            for each in project.diagnostics:
                found.setdefault((each.build_root, each.code, each.span, each.message), each)
        return sorted(found.values(), key=Diagnostic.sort_key)
