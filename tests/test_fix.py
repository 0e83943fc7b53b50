"""The guarantees of `djhlint --fix`: it repairs what it can and never damages a file.

The before/after pair of every fix lives with its rule (test_rule_examples.py); here are
the promises that hold for all of them: bytes outside the edit, encodings and line ends
kept; atomic writes keeping the mode; no overwrite of a file that changed or is
read-only; overlapping fixes in rounds; broken fixes caught; unparsable files and
anything outside the project left alone; --diff writing nothing; the report.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from django_heroku_lint import engine
from django_heroku_lint.fix import writer
from django_heroku_lint.engine import Options, lint, run_fixes
from django_heroku_lint.fix.fixer import resolve_all
from django_heroku_lint.ftypes import Edit, Fix, Span
from django_heroku_lint.rules.rule import Rule
from django_heroku_lint.rules.registry import ALL_RULES
from django_heroku_lint.rules._baseline import SETTINGS

from .helpers import LOGGING, codes, git, run_cli, snapshot

REPO = Path(__file__).resolve().parent.parent
TUTORIAL = REPO / "examples" / "tutorial"

DEBUG_UNCAST = "from decouple import config\n\nDEBUG = config('DEBUG', default=False)\n"
DEBUG_CAST = "from decouple import config\n\nDEBUG = config('DEBUG', default=False, cast=bool)\n"
# The baseline settings, clean but for DEBUG.
SETTINGS_UNCAST = SETTINGS.replace('config("DEBUG", default=False, cast=bool)', 'config("DEBUG", default=False)')
assert SETTINGS_UNCAST != SETTINGS


def fix(root: Path, *args: str):
    return run_cli(["--fix", *args, str(root)])


# ---------------------------------------------------------------------- bytes and encodings


def test_bom_crlf_and_missing_final_newline_are_kept(make_project):
    settings = b"\xef\xbb\xbf" + DEBUG_UNCAST.replace("\n", "\r\n").rstrip("\r\n").encode()
    procfile = "\ufeffweb: gunicorn mysite.wsgi\r\nrelease: python manage.py migrate".encode()
    root = make_project({"mysite/settings.py": settings, "Procfile": procfile})
    before = snapshot(root)
    result = fix(root, "--select", "DJH103,DJH302")
    assert result.exit_code == 0, result.output
    after = snapshot(root)
    assert after["mysite/settings.py"] == b"\xef\xbb\xbf" + DEBUG_CAST.replace("\n", "\r\n").rstrip("\r\n").encode()
    assert after["Procfile"] == "\ufeffweb: gunicorn mysite.wsgi --log-file -\r\nrelease: python manage.py migrate".encode()
    assert {k: v for k, v in after.items() if k not in ("mysite/settings.py", "Procfile")} == {
        k: v for k, v in before.items() if k not in ("mysite/settings.py", "Procfile")
    }


def test_a_line_appended_to_a_file_without_a_final_newline_keeps_it_missing(make_project):
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi --log-file -", "requirements.txt": "Django==5.2.8\r\ngunicorn==23.0.0"})
    root.joinpath("mysite/settings.py").write_text(SETTINGS.replace('    "whitenoise.middleware.WhiteNoiseMiddleware",\n', ""))
    assert fix(root, "--unsafe-fixes", "--select", "DJH201,DJH307").exit_code == 0
    assert root.joinpath("Procfile").read_bytes() == b"web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input"
    assert root.joinpath("requirements.txt").read_bytes() == b"Django==5.2.8\r\ngunicorn==23.0.0\r\nwhitenoise"


def test_a_requirement_added_to_a_file_holding_only_a_byte_order_mark_is_its_first_line(make_project):
    root = make_project({"requirements.txt": "\ufeff"})
    root.joinpath("mysite/settings.py").write_text(SETTINGS.replace('    "whitenoise.middleware.WhiteNoiseMiddleware",\n', ""))
    assert fix(root, "--unsafe-fixes", "--select", "DJH201").exit_code == 0
    assert root.joinpath("requirements.txt").read_text(encoding="utf-8") == "\ufeffwhitenoise\n"


def test_the_fix_stage_parses_a_settings_module_once(make_project, monkeypatch):
    """Resolving a fix and writing it read the same bytes: LibCST parses them once."""
    from django_heroku_lint.edit import source

    parsed: list[str] = []

    def counting(data, path):
        parsed.append(path)
        return parse_python(data, path)

    parse_python = source.parse_python
    monkeypatch.setattr(source, "parse_python", counting)
    unique = f"# {id(parsed)}\n"  # bytes no earlier test had parsed and cached
    root = make_project({"mysite/settings.py": unique + SETTINGS_UNCAST})
    assert fix(root).exit_code == 0
    assert (root / "mysite/settings.py").read_text().endswith(SETTINGS)
    assert parsed == ["mysite/settings.py"]


def test_a_crlf_list_keeps_its_line_ends_and_comments_when_an_entry_moves(make_project):
    middleware = (
        "MIDDLEWARE = [\r\n"
        "    'django.middleware.security.SecurityMiddleware',  # first\r\n"
        "    'django.middleware.common.CommonMiddleware',\r\n"
        "    # static files\r\n"
        "    'whitenoise.middleware.WhiteNoiseMiddleware',  # keep\r\n"
        "]"
    )
    root = make_project({"mysite/settings.py": middleware})
    assert fix(root, "--select", "DJH202").exit_code == 0
    assert (root / "mysite/settings.py").read_bytes() == (
        b"MIDDLEWARE = [\r\n"
        b"    'django.middleware.security.SecurityMiddleware',  # first\r\n"
        b"    # static files\r\n"
        b"    'whitenoise.middleware.WhiteNoiseMiddleware',  # keep\r\n"
        b"    'django.middleware.common.CommonMiddleware',\r\n"
        b"]"
    )


def test_a_coding_cookie_is_kept(make_project):
    text = "# -*- coding: latin-1 -*-\n# Réglages\n" + DEBUG_UNCAST
    root = make_project({"mysite/settings.py": text.encode("latin-1")})
    assert fix(root, "--select", "DJH103").exit_code == 0
    expected = "# -*- coding: latin-1 -*-\n# Réglages\n" + DEBUG_CAST
    assert (root / "mysite/settings.py").read_bytes() == expected.encode("latin-1")


@pytest.mark.parametrize(
    "settings",
    [
        b"\x0c" + DEBUG_UNCAST.encode(),  # a form feed (a page break) before a statement
        DEBUG_UNCAST.replace("\n", "\r").encode(),  # lone CR line ends, the last one included
    ],
    ids=["form-feed", "cr"],
)
def test_a_file_libcst_does_not_reproduce_is_never_touched(make_project, settings):
    """LibCST drops a form feed before a top-level statement and a final lone CR: writing
    its rendering of such a file would change bytes no fix asked for."""
    root = make_project({"mysite/settings.py": settings})
    result = fix(root, "--select", "DJH103")
    assert result.exit_code == 1, result.output
    assert (root / "mysite/settings.py").read_bytes() == settings
    (item,) = json.loads(run_cli(["--output-format", "json", "--select", "DJH103", str(root)]).stdout)
    assert item["fix"] is None


def test_the_file_mode_is_kept(make_project):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    settings = root / "mysite/settings.py"
    settings.chmod(0o640)
    assert fix(root, "--select", "DJH103").exit_code == 0
    assert stat.S_IMODE(settings.stat().st_mode) == 0o640
    assert settings.read_text() == DEBUG_CAST
    assert [p.name for p in settings.parent.iterdir() if p.name.endswith(writer.TEMP_SUFFIX)] == []


# ---------------------------------------------------------------------- renames


def test_case_only_rename(make_project):
    root = make_project({"Procfile": None, "procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"})
    assert fix(root).exit_code == 0
    assert sorted(p.name for p in root.iterdir() if p.name.lower() == "procfile") == ["Procfile"]
    assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"


class CaseInsensitiveOs:
    """``os`` as a case-insensitive file system shows it to the writer: names that differ
    only in case are one file, and renaming one to the other directly does nothing."""

    def __init__(self) -> None:
        self.renames: list[tuple[str, str]] = []
        outer = self

        class Path_:
            def __getattr__(self, name):
                return getattr(os.path, name)

            def lexists(self, path):
                return outer.find(path) is not None

            def samefile(self, a, b):
                return outer.find(a) == outer.find(b) and outer.find(a) is not None

        self.path = Path_()

    def __getattr__(self, name):
        return getattr(os, name)

    def find(self, path) -> str | None:
        path = str(path)
        folder, _, name = path.rpartition("/")
        try:
            for entry in os.listdir(folder):
                if entry.lower() == name.lower():
                    return f"{folder}/{entry}"
        except OSError:
            return None
        return None

    def link(self, source, target):
        if self.find(target) is not None:
            raise FileExistsError(17, "File exists", str(target))
        os.link(source, target)

    def rename(self, source, target):
        self.renames.append((str(source), str(target)))
        if str(source).lower() == str(target).lower() and str(source) != str(target):
            return  # some case-insensitive file systems ignore a case-only rename
        os.rename(source, target)


def test_case_only_rename_goes_through_a_temporary_name(make_project, monkeypatch):
    root = make_project({"Procfile": None, "procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"})
    fake = CaseInsensitiveOs()
    monkeypatch.setattr(writer, "os", fake)
    assert fix(root).exit_code == 0
    assert sorted(p.name for p in root.iterdir() if p.name.lower() == "procfile") == ["Procfile"]
    assert len(fake.renames) == 2
    (first_from, first_to), (second_from, second_to) = fake.renames
    assert first_from.endswith("/procfile") and second_to.endswith("/Procfile") and first_to == second_from
    assert [p for p in root.iterdir() if p.name.startswith(".procfile")] == []


def test_a_rename_never_replaces_a_file(make_project):
    root = make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi --log-file -\n"})
    options = Options(paths=[str(root)])
    result = lint(options)
    (root / "Procfile").write_text("web: waitress-serve mysite.wsgi:application\n")  # meanwhile
    outcome = run_fixes(result, options)
    assert outcome.fixed == 0
    assert [e for e in outcome.errors if "Procfile: already exists" in e]
    assert (root / "Procfile").read_text() == "web: waitress-serve mysite.wsgi:application\n"
    assert (root / "Procfile.txt").exists()


# ---------------------------------------------------------------------- new code in the module's style


DJANGO_5 = "Django==5.2.8\ngunicorn==23.0.0\nwhitenoise==6.11.0\n"


def test_a_new_storages_dict_keeps_crlf_and_the_module_indent(make_project):
    settings = 'if True:\r\n\tX = 1\r\nSTATICFILES_STORAGE = "x.Storage"  # keep\r\n'
    root = make_project({"mysite/settings.py": settings, "requirements.txt": DJANGO_5})
    assert fix(root, "--select", "DJH204").exit_code == 0
    assert (root / "mysite/settings.py").read_bytes() == (
        b'if True:\r\n\tX = 1\r\nSTORAGES = {\r\n'
        b'\t"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},\r\n'
        b'\t"staticfiles": {"BACKEND": "x.Storage"},\r\n}  # keep\r\n'
    )


def test_a_removed_first_statement_leaves_no_blank_line_at_the_top(make_project):
    root = make_project({"mysite/settings.py": 'STATICFILES_STORAGE = "x.Storage"\n\nSTORAGES = {}\n', "requirements.txt": DJANGO_5})
    assert fix(root, "--select", "DJH204").exit_code == 0
    assert (root / "mysite/settings.py").read_text() == (
        'STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": {"BACKEND": "x.Storage"}}\n'
    )


@pytest.mark.parametrize(
    "future",
    ['from __future__ import annotations; X = 1\n', '"""Settings."""; from __future__ import annotations\n'],
    ids=["statement-after", "docstring-before"],
)
def test_a_new_import_goes_after_the_future_imports(make_project, future):
    """A ``from __future__`` import must stay the first statement, even on a line it
    shares with another one."""
    root = make_project({"mysite/settings.py": future + "SECRET_KEY = 'k3y'\n"})
    assert fix(root, "--unsafe-fixes", "--select", "DJH102").exit_code == 0
    fixed = (root / "mysite/settings.py").read_text()
    assert fixed == future + "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"
    compile(fixed, "settings.py", "exec")


@pytest.mark.parametrize(
    ("code", "settings", "fixed"),
    [
        (
            "DJH103",
            "DEBUG = bool(os.\n    environ.get('DEBUG'))\n",
            "DEBUG = (os.\n    environ.get('DEBUG', '').lower() in ('1', 'true', 'yes', 'on'))\n",
        ),
        ("DJH102", "SECRET_KEY = (os.\n    environ.get('SECRET_KEY') or 'k3y')\n", "SECRET_KEY = (os.\n    environ['SECRET_KEY'])\n"),
    ],
    ids=["bool", "or"],
)
def test_a_fix_keeps_the_brackets_a_line_break_needs(make_project, code, settings, fixed):
    """The brackets of bool() or of `(read or fallback)` let the read inside break a
    line: the fix that removes them keeps brackets around it."""
    root = make_project({"mysite/settings.py": "import os\n\n" + settings})
    result = fix(root, "--unsafe-fixes", "--select", code)
    assert result.exit_code == 0, result.output
    assert (root / "mysite/settings.py").read_text() == "import os\n\n" + fixed


SPLIT_WSGI = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\n"
SPLIT_BASE = "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nINSTALLED_APPS = ['django.contrib.staticfiles']\n"


def split_settings(base: str, production: str) -> dict:
    return {
        "mysite/settings.py": None,
        "mysite/settings/__init__.py": "",
        "mysite/settings/base.py": base,
        "mysite/settings/production.py": production,
        "mysite/wsgi.py": SPLIT_WSGI,
    }


def test_static_root_goes_after_static_url_in_split_settings(make_project):
    root = make_project(split_settings(SPLIT_BASE + "STATIC_URL = '/static/'\n", "from .base import *\n\nDEBUG = False\n"))
    assert fix(root, "--select", "DJH203").exit_code == 0
    assert (root / "mysite/settings/base.py").read_text() == SPLIT_BASE + "STATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"

    root = make_project(split_settings(SPLIT_BASE, "from .base import *\n\nSTATIC_URL = '/static/'\nDEBUG = False\n"), subdir="two")
    assert fix(root, "--select", "DJH203").exit_code == 0
    assert (root / "mysite/settings/base.py").read_text() == SPLIT_BASE
    assert (root / "mysite/settings/production.py").read_text() == (
        "from .base import *\n\nSTATIC_URL = '/static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\nDEBUG = False\n"
    )


def test_no_static_root_fix_before_base_dir_is_set(make_project):
    settings = "from pathlib import Path\nINSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_URL = '/static/'\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
    root = make_project({"mysite/settings.py": settings})
    result = lint(Options(paths=[str(root)], select=["DJH203"]))
    assert [d.fix for d in result.diagnostics] == [None]


# ---------------------------------------------------------------------- --diff


def test_diff_writes_nothing_and_exits_1(make_project):
    root = make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi\n", ".python-version": None, "mysite/settings.py": DEBUG_UNCAST})
    before = snapshot(root)
    result = run_cli(["--diff", "--unsafe-fixes", str(root)])
    assert result.exit_code == 1
    assert snapshot(root) == before
    out = result.stdout
    assert "rename from " in out and "rename to " in out
    assert "new file mode 100644" in out and "+3.14\n" in out
    assert "-DEBUG = config('DEBUG', default=False)\n+DEBUG = config('DEBUG', default=False, cast=bool)\n" in out
    assert "+web: gunicorn mysite.wsgi --log-file -\n" in out


def test_diff_is_empty_and_exits_0_when_there_is_nothing_to_fix(make_project):
    root = make_project()
    result = run_cli(["--diff", str(root)])
    assert result.exit_code == 0 and result.stdout == ""


def test_diff_leaves_out_unsafe_fixes_unless_asked(make_project):
    root = make_project({".python-version": None})
    assert run_cli(["--diff", str(root)]).stdout == ""
    assert "+3.14" in run_cli(["--diff", "--unsafe-fixes", str(root)]).stdout


def test_diff_shows_a_deletion_as_all_lines_removed(make_project):
    root = make_project({".python-version": None, "runtime.txt": "python-3.12.7\n"})
    before = snapshot(root)
    result = run_cli(["--diff", "."], cwd=root)
    assert result.exit_code == 1
    assert snapshot(root) == before
    assert result.stdout == (
        "diff --git a/.python-version b/.python-version\n"
        "new file mode 100644\n"
        "--- /dev/null\n"
        "+++ b/.python-version\n"
        "@@ -0,0 +1 @@\n"
        "+3.12\n"
        "diff --git a/runtime.txt b/runtime.txt\n"
        "deleted file mode 100644\n"
        "--- a/runtime.txt\n"
        "+++ /dev/null\n"
        "@@ -1 +0,0 @@\n"
        "-python-3.12.7\n"
    )
    assert "Would fix 1 problem." in result.stderr


def test_a_utf16_requirements_file_with_a_byte_order_mark_is_left_alone(make_project):
    """pip decodes UTF-16 by its byte order mark: nothing to report, nothing to rewrite."""
    data = "Django==5.2.8\ngunicorn\n".encode("utf-16")
    root = make_project({"requirements.txt": data})
    result = run_cli(["--diff", "--select", "DJH602", "."], cwd=root)
    assert result.exit_code == 0 and result.stdout == ""
    assert (root / "requirements.txt").read_bytes() == data


# ---------------------------------------------------------------------- deletions


def test_a_deletion_waits_for_the_other_writes_of_its_fix(make_project, monkeypatch):
    """DJH402 writes .python-version, then deletes runtime.txt: if the write fails, the
    deletion does not happen."""
    root = make_project({".python-version": None, "runtime.txt": "python-3.12.7\n"})
    real = writer._create

    def failing(path, data):
        if path.name == ".python-version":
            raise writer.WriteError("disk full")
        return real(path, data)

    monkeypatch.setattr(writer, "_create", failing)
    result = fix(root)
    assert (root / "runtime.txt").read_text() == "python-3.12.7\n"
    assert not (root / ".python-version").exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("djhlint: error:")]
    assert errors == [
        "djhlint: error: .python-version: disk full",
        "djhlint: error: runtime.txt: not deleted, as .python-version could not be written",
    ]
    assert result.exit_code == 1 and codes(root) == ["DJH402"]


def test_a_file_changed_after_reading_is_not_deleted(make_project):
    root = make_project({"runtime.txt": "python-3.13\n"})
    options = Options(paths=[str(root)])
    result = lint(options)
    (root / "runtime.txt").write_text("python-3.12\n")  # the user saves meanwhile
    outcome = run_fixes(result, options)
    assert (root / "runtime.txt").read_text() == "python-3.12\n"
    assert outcome.errors == ["runtime.txt: changed since djhlint read it; not deleted"]
    assert outcome.fixed == 0


def test_a_read_only_file_is_not_deleted_and_its_fix_waits(make_project):
    root = make_project({".python-version": None, "runtime.txt": "python-3.12.7\n"})
    runtime = root / "runtime.txt"
    runtime.chmod(0o444)
    try:
        result = fix(root)
        assert runtime.read_text() == "python-3.12.7\n"
        assert not (root / ".python-version").exists()  # the fix is one: it waits whole
        assert "djhlint: error: runtime.txt: the file is read-only; its fixes were not applied" in result.stderr
        assert result.exit_code == 1
    finally:
        runtime.chmod(0o644)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write in any folder")
def test_a_file_in_a_read_only_folder_is_not_deleted(make_project):
    root = make_project({"runtime.txt": "python-3.13\n"})
    root.chmod(0o555)
    try:
        result = fix(root)
        assert (root / "runtime.txt").read_text() == "python-3.13\n"
        assert "djhlint: error: runtime.txt: its folder is read-only" in result.stderr
        assert result.exit_code == 1
    finally:
        root.chmod(0o755)


def test_a_deletion_removes_the_file(make_project):
    root = make_project({"runtime.txt": "python-3.13\n"})
    before = snapshot(root)
    result = fix(root)
    assert result.exit_code == 0, result.output
    assert "Found 1 problem (1 fixed, 0 remaining)." in result.stderr
    assert snapshot(root) == {k: v for k, v in before.items() if k != "runtime.txt"}


@pytest.mark.parametrize(
    ("requirements", "left"),
    [
        (b"-r base.txt\ngunicorn\n", "requirements.txt:1:1: DJH602 "),  # the include is missing
        ("gunicorn\n".encode("utf-16") + b"whitenoise\n", "requirements.txt:1:1: DJH602 "),  # UTF-16 and then not
    ],
    ids=["missing-include", "utf-16-appended-as-utf-8"],
)
def test_a_renamed_file_may_show_problems_of_its_own(make_project, requirements, left):
    """DJH602 renames requirement.txt; what pip would then find wrong inside it is a new
    problem (of the same code), not a fix that failed."""
    root = make_project({"requirements.txt": None, "requirement.txt": requirements})
    result = fix(root, "--select", "DJH602")
    assert "internal error" not in result.stderr, result.stderr
    assert not (root / "requirement.txt").exists() and (root / "requirements.txt").exists()
    if left is None:
        assert result.exit_code == 0, result.output
        assert (root / "requirements.txt").read_bytes() == b"gunicorn\n"
    else:
        assert result.exit_code == 1, result.output
        assert [line.split(str(root) + "/")[1][: len(left)] for line in result.stdout.splitlines()] == [left]


# ---------------------------------------------------------------------- never overwrite


def test_a_file_changed_after_reading_is_not_overwritten(make_project):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    options = Options(paths=[str(root)])
    result = lint(options)
    edited = DEBUG_UNCAST + "TIME_ZONE = 'UTC'\n"
    (root / "mysite/settings.py").write_text(edited)  # the user saves meanwhile
    outcome = run_fixes(result, options)
    assert (root / "mysite/settings.py").read_text() == edited
    assert outcome.errors == ["mysite/settings.py: changed since djhlint read it; not overwritten"]
    assert outcome.fixed == 0


def test_a_file_changed_while_writing_is_not_overwritten(make_project, monkeypatch):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    settings = root / "mysite/settings.py"
    edited = DEBUG_UNCAST + "TIME_ZONE = 'UTC'\n"
    real = writer._temp_file

    def racing(folder, name, data):
        temp = real(folder, name, data)
        settings.write_text(edited)  # the user saves after the checks, before the rename
        return temp

    monkeypatch.setattr(writer, "_temp_file", racing)
    result = fix(root, "--select", "DJH103")
    assert settings.read_text() == edited
    assert "mysite/settings.py: changed since djhlint read it; not overwritten" in result.stderr
    assert [p.name for p in settings.parent.iterdir() if p.name.endswith(writer.TEMP_SUFFIX)] == []


def test_a_read_only_file_is_left_and_the_other_fixes_apply(make_project):
    root = make_project({"mysite/settings.py": SETTINGS_UNCAST, "Procfile": "web: gunicorn mysite.wsgi\nrelease: python manage.py migrate --no-input\n"})
    settings = root / "mysite/settings.py"
    settings.chmod(0o444)
    try:
        result = fix(root)
        assert settings.read_text() == SETTINGS_UNCAST
        assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"
        errors = [line for line in result.stderr.splitlines() if line.startswith("djhlint: error:")]
        assert errors == ["djhlint: error: mysite/settings.py: the file is read-only; its fixes were not applied"]
        assert result.exit_code == 1
        assert codes(root) == ["DJH103"]
    finally:
        settings.chmod(0o644)


def test_a_fix_across_files_waits_for_all_of_them(make_project):
    """DJH201 edits the settings and requirements.txt: a read-only requirements.txt stops both."""
    settings = "INSTALLED_APPS = ['django.contrib.staticfiles']\nMIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
    root = make_project({"mysite/settings.py": settings, "requirements.txt": "Django==5.2.8\n"})
    (root / "requirements.txt").chmod(0o444)
    try:
        result = fix(root, "--unsafe-fixes", "--select", "DJH201")
        assert (root / "mysite/settings.py").read_text() == settings
        assert "requirements.txt: the file is read-only" in result.stderr
    finally:
        (root / "requirements.txt").chmod(0o644)


def test_a_requirement_an_include_holds_is_not_added_again(make_project):
    """``-rbase.txt`` (no space) is an include to pip, and so to the fix: WhiteNoise, which
    base.txt already requires, is not appended to requirements.txt a second time."""
    settings = "INSTALLED_APPS = ['django.contrib.staticfiles']\nMIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
    root = make_project({"mysite/settings.py": settings, "requirements.txt": "-rbase.txt\n", "base.txt": "Django==5.2.8\nwhitenoise==6.11.0\n"})
    result = fix(root, "--unsafe-fixes", "--select", "DJH201")
    assert result.exit_code == 0, result.output
    assert "'whitenoise.middleware.WhiteNoiseMiddleware'" in (root / "mysite/settings.py").read_text()
    assert (root / "requirements.txt").read_text() == "-rbase.txt\n"
    assert (root / "base.txt").read_text() == "Django==5.2.8\nwhitenoise==6.11.0\n"


# ---------------------------------------------------------------------- rounds and idempotence


def test_overlapping_fixes_are_applied_in_rounds(make_project):
    """Both fixes add an import at the top of the file: the second waits a round."""
    settings = "SECRET_KEY = 'k3y'\n\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
    root = make_project({"mysite/settings.py": settings})
    result = fix(root, "--unsafe-fixes", "--select", "DJH102,DJH501")
    assert result.exit_code == 0, result.output
    assert "(2 fixed, 0 remaining)" in result.stderr
    assert (root / "mysite/settings.py").read_text() == (
        "import os\n"
        "import dj_database_url\n"
        "\n"
        "SECRET_KEY = os.environ['SECRET_KEY']\n"
        "\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
        "\n"
        "# Heroku Postgres sets DATABASE_URL; where it is set, it replaces sqlite.\n"
        'DATABASES["default"].update(dj_database_url.config(conn_max_age=600))\n'
    )


def test_a_second_fix_run_changes_nothing(make_project):
    root = make_project({"Procfile": None, "procfile": "web: cd . && gunicorn mysite.wsgi\n", ".python-version": None, "mysite/settings.py": SETTINGS_UNCAST})
    fix(root, "--unsafe-fixes")
    once = snapshot(root)
    again = fix(root, "--unsafe-fixes")
    assert snapshot(root) == once
    assert again.exit_code == 0 and "All checks passed." in again.stderr


# ---------------------------------------------------------------------- broken fixes


class BreaksTheFile(Rule):
    """A rule whose fix leaves invalid Python: the fix stage must catch it."""

    code, name, message = "DJH990", "breaks-the-file", "test rule"

    def check(self, ctx):
        if ctx.settings is not None:
            span = Span("mysite/settings.py", 1, 1, 1, 1)
            yield self.diagnostic(ctx, span, fix=Fix("safe", "break it", edits=(Edit.replace(span, "def ("),)))


class FixesNothing(Rule):
    """A rule whose fix leaves its own diagnostic in place."""

    code, name, message = "DJH991", "fixes-nothing", "test rule"

    def check(self, ctx):
        if "mysite/settings.py" in ctx.files:
            span = Span("mysite/settings.py", 1, 1, 1, 1)
            yield self.diagnostic(ctx, span, fix=Fix("safe", "add a comment", edits=(Edit.replace(span, "# hello\n"),)))


class EditsOutside(Rule):
    """A rule whose fix names files outside the project, or a link leading out of it."""

    code, name, message = "DJH992", "edits-outside", "test rule"

    def check(self, ctx):
        for target in ("../outside.txt", "mysite/link.py"):
            edit = Edit.create(target, "x\n") if target.startswith("..") else Edit.replace(Span(target, 1, 1, 1, 1), "# x\n")
            yield self.diagnostic(ctx, Span("mysite/settings.py"), fix=Fix("safe", "escape", edits=(edit,)))


class DeletesOutside(Rule):
    """A rule whose fix deletes files outside the project, or a link leading out of it."""

    code, name, message = "DJH994", "deletes-outside", "test rule"

    def check(self, ctx):
        for target in ("../outside.txt", "mysite/link.py", "/etc/hostname"):
            yield self.diagnostic(ctx, Span("mysite/settings.py"), fix=Fix("safe", "escape", edits=(Edit.delete(target),)))


class EditsBrokenFile(Rule):
    code, name, message = "DJH993", "edits-broken-file", "test rule"

    def check(self, ctx):
        span = Span("mysite/broken.py", 1, 1, 1, 1)
        yield self.diagnostic(ctx, span, fix=Fix("safe", "touch it", edits=(Edit.replace(span, "# x\n"),)))


class ImportsAboveTheFuture(Rule):
    """A rule whose fix leaves code LibCST parses and CPython refuses: an import above ``from __future__``."""

    code, name, message = "DJH995", "imports-above-the-future", "test rule"

    def check(self, ctx):
        if ctx.settings is not None:
            span = Span("mysite/settings.py", 1, 1, 1, 1)
            yield self.diagnostic(ctx, span, fix=Fix("safe", "import first", edits=(Edit.replace(span, "import os\n"),)))


@pytest.fixture
def extra_rules(monkeypatch):
    rules = [*ALL_RULES, BreaksTheFile, FixesNothing, EditsOutside, DeletesOutside, EditsBrokenFile, ImportsAboveTheFuture]
    monkeypatch.setattr(engine, "ALL_RULES", rules)


def test_a_fix_that_breaks_the_code_is_an_internal_error_and_not_written(make_project, extra_rules):
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})
    settings = (root / "mysite/settings.py").read_bytes()
    result = fix(root, "--select", "DJH990,DJH302")
    assert result.exit_code == 2
    assert "djhlint: error: internal error: the DJH990 fix for mysite/settings.py:1:1 left mysite/settings.py unparsable" in result.stderr
    assert (root / "mysite/settings.py").read_bytes() == settings
    assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\n"


def test_a_fix_python_refuses_to_compile_is_not_written(make_project, extra_rules):
    root = make_project({"mysite/settings.py": "from __future__ import annotations\n\nALLOWED_HOSTS = ['example.com']\n"})
    before = snapshot(root)
    result = fix(root, "--select", "DJH995")
    assert result.exit_code == 2
    assert "the DJH995 fix for mysite/settings.py:1:1 left mysite/settings.py refused by Python's compiler" in result.stderr
    assert snapshot(root) == before


def test_a_fix_that_leaves_its_diagnostic_is_an_internal_error(make_project, extra_rules):
    root = make_project()
    before = snapshot(root)
    result = fix(root, "--select", "DJH991")
    assert result.exit_code == 2
    assert "internal error: the DJH991 fix for mysite/settings.py:1:1 did not remove the DJH991 diagnostic it fixes" in result.stderr
    assert snapshot(root) == before


def test_nothing_outside_the_project_is_written(make_project, tmp_path, extra_rules):
    root = make_project()
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n")
    (root / "mysite/link.py").symlink_to(outside)
    fix(root, "--select", "DJH992")
    assert not (tmp_path / "outside.txt").exists()
    assert outside.read_text() == "x = 1\n"
    assert (root / "mysite/link.py").is_symlink()


def test_nothing_outside_the_project_is_deleted(make_project, tmp_path, extra_rules):
    root = make_project()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    (root / "mysite/link.py").symlink_to(outside)
    fix(root, "--select", "DJH994")
    assert outside.read_text() == "keep\n"
    assert (root / "mysite/link.py").is_symlink()


def test_a_file_that_does_not_parse_is_never_touched(make_project, extra_rules):
    root = make_project({"mysite/broken.py": "def (\n"})
    result = fix(root, "--select", "DJH993")
    assert (root / "mysite/broken.py").read_text() == "def (\n"
    assert result.exit_code == 1


def test_a_settings_module_that_does_not_parse_is_never_touched(make_project):
    broken = "DEBUG = config('DEBUG', default=False\nSECRET_KEY = 'x'\n"
    root = make_project({"mysite/settings.py": broken})
    result = fix(root, "--unsafe-fixes")
    assert (root / "mysite/settings.py").read_text() == broken
    assert result.exit_code == 1 and codes(root) == ["DJH000"]


# ---------------------------------------------------------------------- the report


def test_markers_and_summary(make_project):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST + LOGGING, ".python-version": None})
    result = run_cli([str(root)])
    lines = result.stdout.splitlines()
    assert any(": DJH103 [*] DEBUG" in line for line in lines)
    assert any(": DJH401 no .python-version" in line for line in lines)  # unsafe: no marker
    assert "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option)." in result.stderr
    unsafe = run_cli(["--unsafe-fixes", str(root)])
    assert any(": DJH401 [*] no .python-version" in line for line in unsafe.stdout.splitlines())
    assert "[*] 2 fixable with `--fix --unsafe-fixes`." in unsafe.stderr


def test_fix_reports_what_remains(make_project):
    root = make_project({"mysite/settings.py": SETTINGS_UNCAST, ".python-version": None})
    result = fix(root)
    assert result.exit_code == 1
    assert "Found 2 problems (1 fixed, 1 remaining)." in result.stderr
    assert "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)." in result.stderr
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["DJH401"]
    assert fix(root, "--unsafe-fixes").exit_code == 0


def test_json_fix_field(make_project):
    root = make_project({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi --log-file -\n", ".python-version": None, "mysite/settings.py": DEBUG_UNCAST})
    result = run_cli(["--output-format", "json", str(root)])
    items = {item["code"]: item for item in json.loads(result.stdout)}
    assert items["DJH103"]["fix"] == {
        "applicability": "safe",
        "message": "add cast=bool to the config() call",
        "edits": [
            {
                "kind": "replace",
                "filename": str(root / "mysite/settings.py"),
                "location": {"row": 3, "column": 38},
                "end_location": {"row": 3, "column": 38},
                "content": ", cast=bool",
            }
        ],
    }
    assert items["DJH301"]["fix"]["edits"] == [
        {"kind": "rename", "filename": str(root / "Procfile.txt"), "new_filename": str(root / "Procfile")}
    ]
    assert items["DJH401"]["fix"]["applicability"] == "unsafe"
    assert items["DJH401"]["fix"]["edits"] == [{"kind": "create", "filename": str(root / ".python-version"), "content": "3.14\n"}]


def test_json_fix_field_deletes_and_rewrites(make_project):
    root = make_project({".python-version": None, "runtime.txt": "python-3.12.7\n", "requirements.txt": "gunicorn\n".encode("utf-16")})
    result = run_cli(["--output-format", "json", str(root)])
    items = {item["code"]: item for item in json.loads(result.stdout)}
    assert items["DJH402"]["fix"]["edits"] == [
        {"kind": "create", "filename": str(root / ".python-version"), "content": "3.12\n"},
        {"kind": "delete", "filename": str(root / "runtime.txt")},
    ]
    assert "DJH602" not in items  # pip decodes UTF-16 by its byte order mark: no rewrite is offered


def test_a_fix_nobody_can_carry_out_is_not_offered(make_project):
    """django_heroku.settings() adds the wildcard: there is no literal to rewrite."""
    root = make_project({"mysite/settings.py": "import django_heroku\n\nALLOWED_HOSTS = []\ndjango_heroku.settings(locals())\n"})
    result = lint(Options(paths=[str(root)], select=["DJH101"]))
    resolve_all(result)
    assert [d.fix for d in result.diagnostics] == [None]


# ---------------------------------------------------------------------- the tutorial, end to end


def test_the_tutorial_project(tmp_path):
    """The project as the tutorial leaves it: --fix --unsafe-fixes leaves only what has no
    fix, a second run changes nothing, and git shows only the intended edits."""
    root = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "as the tutorial leaves it")
    first = lint(Options(paths=[str(root)]))
    resolve_all(first)
    without_fix = sorted((d.code, d.span.file) for d in first.diagnostics if d.fix is None)

    result = fix(root, "--unsafe-fixes")
    remaining = lint(Options(paths=[str(root)]))
    assert sorted((d.code, d.span.file) for d in remaining.diagnostics) == without_fix
    assert result.exit_code == (1 if without_fix else 0), result.output

    once = snapshot(root)
    fix(root, "--unsafe-fixes")
    assert snapshot(root) == once

    git(root, "add", "-A")
    diff = subprocess.run(
        ["git", "diff", "--cached", "-M", "--no-color", "--no-ext-diff", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    diff = "".join(line for line in diff.splitlines(keepends=True) if not line.startswith("index "))
    assert diff == (REPO / "tests/data/tutorial-fix.diff").read_text()


# ---------------------------------------------------------------------- the pre-commit hooks


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_pre_commit_hooks(tmp_path):
    """Both hooks through real `pre-commit try-repo`: djhlint-fix repairs the safe
    fixes (the hook fails, as files changed), djhlint then reports what remains."""
    root = tmp_path / "app"
    shutil.copytree(TUTORIAL, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "as the tutorial leaves it")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}

    def try_repo(hook: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--all-files", "--verbose"],
            cwd=root, env=env, capture_output=True, text=True, timeout=900,
        )

    fixing = try_repo("djhlint-fix")
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr
    assert "files were modified by this hook" in fixing.stdout
    assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\n"
    assert not (root / "Procfile.txt").exists()
    settings = (root / "mysite/settings.py").read_text()
    assert "DEBUG = config('DEBUG', default=False, cast=bool)" in settings
    assert "default='dj9oh154y8eh320QZX3%0h2_23adg39asj293i'" in settings  # unsafe: left alone
    assert not (root / ".python-version").exists()

    git(root, "add", "-A")
    checking = try_repo("djhlint")
    assert checking.returncode == 1
    assert "DJH102" in checking.stdout and "DJH202" not in checking.stdout
    again = try_repo("djhlint-fix")
    assert again.returncode == 1 and "files were modified by this hook" not in again.stdout


def test_the_readme_documents_every_fix():
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Fixes", 1)[1]
    for rule in ALL_RULES:
        if rule.fixable:
            assert f"{rule.code} {rule.name}" in section, f"README's Fixes section lacks {rule.code}"
    assert "djhlint-fix" in section and "--unsafe-fixes" in section and "--diff" in section
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "id: djhlint-fix\n" in hooks and "entry: djhlint --fix --exit-non-zero-on-fix\n" in hooks


# ---------------------------------------------------------------------- two runs at once


def test_two_fix_runs_at_once_never_leave_a_half_written_or_mixed_file(tmp_path):
    """Two `djhlint --fix --unsafe-fixes` on one project at the same time: every file ends
    either as it was or as one run wrote it whole, Python files parse, and a third run
    finds nothing left to fix."""
    import libcst

    example = Path(__file__).resolve().parent.parent / "examples" / "tutorial"
    for attempt in range(3):
        root = tmp_path / f"run{attempt}"
        shutil.copytree(example, root, ignore=shutil.ignore_patterns(".djhlint_cache"))
        command = [sys.executable, "-m", "django_heroku_lint", "--fix", "--unsafe-fixes", "--no-cache", str(root)]
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        results = [(run.wait(timeout=120), run.stderr.read().decode()) for run in runs]
        for code, stderr in results:
            assert code in (0, 1, 2), stderr
            assert "Traceback" not in stderr
        files = snapshot(root)
        assert not [name for name in files if ".tmp" in name or name.endswith("~")], "a temporary file was left behind"
        for name, data in files.items():
            if name.endswith(".py"):
                libcst.parse_module(data)  # never half-written
        settings = files["mysite/settings.py"].decode()
        assert settings.count("WhiteNoiseMiddleware") == 1  # moved once, not duplicated or lost
        assert ("Procfile" in files) != ("Procfile.txt" in files)
        # DJH608: the example pins a Django older than any Python Heroku builds, which no fix changes.
        final = run_cli(["--fix", "--unsafe-fixes", "--no-cache", "--ignore", "DJH608", str(root)])
        assert final.exit_code == 0, final.output  # whatever the two runs left, nothing is broken


COOKIECUTTER_BASE = 'import environ\n\nenv = environ.Env()\n\nDEBUG = env.bool("DJANGO_DEBUG", False)\n'


@pytest.mark.parametrize(
    "production",
    [
        'from .base import *  # noqa\nfrom .base import env\n\nSECRET_KEY = "i1t=60pmfy@f2yloh-literal"\n',
        'from .base import *  # noqa\n\nSECRET_KEY = "i1t=60pmfy@f2yloh-literal"\nALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])\n',
    ],
    ids=["imported-by-name", "from-the-star-import"],
)
def test_a_literal_key_becomes_a_read_with_the_env_base_py_made(make_project, production):
    """cookiecutter-django's layout: ``env`` is made in base.py and reaches production.py
    by name or through the star import; the key is read with it, not with os.environ."""
    root = make_project(
        {
            "mysite/settings.py": None,
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": COOKIECUTTER_BASE,
            "mysite/settings/production.py": production,
        }
    )
    assert fix(root, "--unsafe-fixes", "--select", "DJH102").exit_code == 0
    fixed = (root / "mysite/settings/production.py").read_text()
    assert fixed == production.replace('"i1t=60pmfy@f2yloh-literal"', 'env("SECRET_KEY")')


def test_a_name_env_that_is_not_a_reader_is_not_taken_for_one(make_project):
    production = 'from .base import *  # noqa\nfrom .base import env\n\nSECRET_KEY = "i1t=60pmfy@f2yloh-literal"\n'
    root = make_project(
        {
            "mysite/settings.py": None,
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": 'env = "production"\n',
            "mysite/settings/production.py": production,
        }
    )
    assert fix(root, "--unsafe-fixes", "--select", "DJH102").exit_code == 0
    assert 'SECRET_KEY = os.environ["SECRET_KEY"]' in (root / "mysite/settings/production.py").read_text()
