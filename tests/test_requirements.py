"""Declared packages: requirements.txt (with -r), Pipfile, Pipfile.lock, poetry.lock, uv.lock, pyproject."""

from __future__ import annotations

import pytest

from django_heroku_lint.discover.projects import find_projects
from django_heroku_lint.ftypes import Span
from django_heroku_lint.read.djangos import supporting
from django_heroku_lint.read.records import Requirement
from django_heroku_lint.read.requirements import (
    certainly_at_least,
    declared,
    may_reach,
    misnamed_requirements,
    normalize,
    parse_requirement,
    read_requirements,
)

from .helpers import diagnostics, run_cli


def read(make_project, files):
    (project,) = find_projects([str(make_project(files))])
    return read_requirements(project)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Django==5.2.8", ("django", frozenset(), "==5.2.8")),
        ("django_environ>=0.11", ("django-environ", frozenset(), ">=0.11")),
        ("psycopg[binary,pool]>=3.2", ("psycopg", frozenset({"binary", "pool"}), ">=3.2")),
        ('gunicorn==23.0.0 ; sys_platform != "win32"', ("gunicorn", frozenset(), "==23.0.0")),
        ("whitenoise==6.11.0 --hash=sha256:abc --hash=sha256:def", ("whitenoise", frozenset(), "==6.11.0")),
        ("uvicorn[standard] (>=0.30)", ("uvicorn", frozenset({"standard"}), ">=0.30")),
        ("mypkg @ https://example.com/mypkg-1.0.zip", ("mypkg", frozenset(), "")),
        ("git+https://github.com/org/repo.git@main#egg=Shared_Utils", ("shared-utils", frozenset(), "")),
        ("https://files.example.com/gunicorn-23.0.0-py3-none-any.whl", ("gunicorn", frozenset(), "")),
        ("./vendor/dj_database_url-3.0.1.tar.gz", ("dj-database-url", frozenset(), "")),
        ("./vendor/some-folder", None),
        ("", None),
    ],
)
def test_parse_requirement(line, expected):
    assert parse_requirement(line) == expected


def test_normalize():
    assert normalize("Django_Environ") == normalize("django.environ") == "django-environ"


def req(spec="", version=None):
    return Requirement("django", Span("requirements.txt"), spec, version)


@pytest.mark.parametrize(
    ("spec", "version", "at_least_5_1", "reaches_4"),
    [
        ("==5.2.8", None, True, True),
        (">=5.1,<6", None, True, True),
        ("~=5.1.0", None, True, True),
        (">=4.2,<5.0", None, False, True),
        ("==3.2.25", None, False, False),
        ("~=3.2", None, False, False),
        ("==3.*", None, False, False),
        ("<4", None, False, False),
        ("", None, False, True),
        ("", "5.1.4", True, True),
        ("", "3.2.1", False, False),
    ],
)
def test_version_bounds(spec, version, at_least_5_1, reaches_4):
    assert certainly_at_least(req(spec, version), (5, 1)) is at_least_5_1
    assert may_reach(req(spec, version), (4, 0)) is reaches_4


def test_includes_comments_continuations_and_options(make_project):
    reqs, errors = read(
        make_project,
        {
            "requirements.txt": "# production\n-r requirements/base.txt\n--index-url https://pypi.org/simple\n-c constraints.txt\ngunicorn==23.0.0  # server\n",
            "requirements/base.txt": "--requirement=common.txt\nDjango==5.2.8 \\\n    --hash=sha256:0000\n",
            "requirements/common.txt": "whitenoise[brotli]>=6\n-r base.txt\n",
            "constraints.txt": "psycopg==3.2.12\n",
        },
    )
    assert errors == []
    assert reqs is not None and reqs.complete and reqs.installer == "requirements.txt"
    assert reqs.sources == ["requirements.txt", "requirements/base.txt", "requirements/common.txt"]
    assert set(reqs.packages) == {"gunicorn", "django", "whitenoise"}
    assert reqs.get("django").spec == "==5.2.8"
    assert reqs.get("whitenoise").extras == frozenset({"brotli"})
    assert (reqs.get("gunicorn").span.file, reqs.get("gunicorn").span.line) == ("requirements.txt", 5)


def test_a_missing_include_is_an_error_and_incomplete(make_project):
    reqs, errors = read(make_project, {"requirements.txt": "gunicorn\n-r requirements/prod.txt\n"})
    assert not reqs.complete
    ((error),) = errors
    assert (error.span.file, error.span.line) == ("requirements.txt", 2)
    assert "requirements/prod.txt does not exist" in error.reason


def test_a_remote_include_is_incomplete_without_an_error(make_project):
    reqs, errors = read(make_project, {"requirements.txt": "-r https://example.com/base.txt\n"})
    assert not reqs.complete and errors == []


def test_editable_project_reads_pyproject(make_project):
    reqs, _ = read(
        make_project,
        {
            "requirements.txt": "-e .\n",
            "pyproject.toml": '[project]\nname = "mysite"\nversion = "1"\ndependencies = ["Django>=5.2", "gunicorn"]\n',
        },
    )
    assert {"django", "gunicorn"} <= set(reqs.packages)


@pytest.mark.parametrize(
    ("data", "reason"),
    [("gunicorn\n".encode("utf-16") + b"whitenoise\n", "UTF-16"), (b"gunicorn # caf\xe9\n", "not valid UTF-8")],
)
def test_undecodable_requirements(make_project, data, reason):
    reqs, errors = read(make_project, {"requirements.txt": data})
    assert not reqs.complete
    assert reason in errors[0].reason


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_as_pip_reads_it(make_project, codec):
    """pip's auto_decode (pip/_internal/utils/encoding.py) honours a UTF-16 byte order mark."""
    text = "Django==5.2.8\r\ngunicorn\r\n"
    data = text.encode(codec) if codec == "utf-16" else "\ufeff".encode(codec) + text.encode(codec)
    reqs, errors = read(make_project, {"requirements.txt": data})
    assert errors == [] and reqs.complete and {"django", "gunicorn"} <= set(reqs.packages)


def test_a_utf8_bom_is_fine(make_project):
    reqs, errors = read(make_project, {"requirements.txt": b"\xef\xbb\xbfgunicorn\n"})
    assert errors == [] and "gunicorn" in reqs.packages


def test_pipfile_lock_default_section_only(make_project):
    lock = '{"_meta": {}, "default": {"django": {"version": "==5.2.8"}, "psycopg": {"version": "==3.2", "extras": ["binary"]}}, "develop": {"django-debug-toolbar": {"version": "==4.4"}}}'
    reqs, _ = read(make_project, {"requirements.txt": None, "Pipfile.lock": lock})
    assert reqs.installer == "Pipfile.lock"
    assert set(reqs.packages) == {"django", "psycopg"}
    assert reqs.get("django").version == "5.2.8"
    assert reqs.get("psycopg").extras == frozenset({"binary"})


def test_poetry_lock_skips_development_groups(make_project):
    lock = (
        '[[package]]\nname = "Django"\nversion = "5.2.8"\ngroups = ["main"]\n\n'
        '[[package]]\nname = "django-debug-toolbar"\nversion = "4.4"\ngroups = ["dev"]\n\n'
        '[[package]]\nname = "pytest"\nversion = "8.0"\ncategory = "dev"\n'
    )
    reqs, _ = read(make_project, {"requirements.txt": None, "poetry.lock": lock})
    assert set(reqs.packages) == {"django"}
    assert reqs.get("django").span.line == 2


def test_uv_lock_and_poetry_dependencies(make_project):
    reqs, _ = read(
        make_project,
        {
            "requirements.txt": None,
            "uv.lock": 'version = 1\n\n[[package]]\nname = "gunicorn"\nversion = "23.0.0"\n',
            "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.13"\ndjango = "^5.1"\n',
        },
    )
    assert reqs.installer == "uv.lock"
    assert reqs.get("gunicorn").version == "23.0.0"
    assert certainly_at_least(reqs.get("django"), (5, 1))
    assert "python" not in reqs.packages


def test_pipfile_without_lock(make_project):
    reqs, _ = read(make_project, {"requirements.txt": None, "Pipfile": '[packages]\ndjango = "*"\n"dj-database-url" = {version = ">=2"}\n'})
    assert reqs.installer == "Pipfile"
    assert reqs.get("django").spec == "" and reqs.get("dj-database-url").spec == ">=2"


def test_no_package_manager_file(make_project):
    assert read(make_project, {"requirements.txt": None}) == (None, [])


def test_providers_count_as_declared():
    from django_heroku_lint.read.records import Requirements

    reqs = Requirements("requirements.txt")
    reqs.packages["django-heroku"] = Requirement("django-heroku", Span("requirements.txt"))
    reqs.packages["channels"] = Requirement("channels", Span("requirements.txt"), extras=frozenset({"daphne"}))
    assert declared(reqs, "whitenoise").name == "django-heroku"
    assert declared(reqs, "daphne").name == "channels"
    assert declared(reqs, "gunicorn") is None


def test_misnamed_requirements():
    assert misnamed_requirements(["requirement.txt", "requirements.text", "Requirements.txt", "requirements.txt ", "requirements-dev.txt", "requirements.in"]) == [
        "requirement.txt",
        "requirements.text",
        "Requirements.txt",
        "requirements.txt ",
    ]
    assert misnamed_requirements(["requirements.txt", "requirement.txt"]) == []


# ---------------------------------------------------------------- DJH601 beyond the examples


def codes_for(make_project, files, code="DJH601"):
    return [(path, line) for c, path, line in diagnostics(make_project(files), select=[code])]


def test_django_heroku_brings_its_dependencies(make_project):
    files = {
        "requirements.txt": "Django==5.2.8\ndjango-heroku==0.3.1\ngunicorn==23.0.0\npython-decouple==3.8\n",
        "mysite/settings.py": 'import django_heroku\nINSTALLED_APPS = ["django.contrib.staticfiles"]\nMIDDLEWARE = []\ndjango_heroku.settings(locals())\n',
    }
    assert codes_for(make_project, files) == []


def test_a_guarded_import_is_not_required(make_project):
    files = {
        "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\n",
        "mysite/settings.py": "try:\n    import dj_database_url\nexcept ImportError:\n    dj_database_url = None\n",
    }
    assert codes_for(make_project, files) == []


def test_another_database_driver_silences_the_postgres_check(make_project):
    files = {
        "requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\nmysqlclient==2.2\npython-decouple==3.8\nwhitenoise==6.11.0\n",
    }
    assert codes_for(make_project, files) == []


def test_postgres_engine_literal_needs_a_driver(make_project):
    files = {
        "requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\n",
        "mysite/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}\n',
    }
    assert codes_for(make_project, files) == [("mysite/settings.py", 1)]


def test_servers_of_every_process(make_project):
    files = {
        "requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n",
        "Procfile": "web: gunicorn mysite.wsgi --log-file -\nws: daphne mysite.asgi:application --port 5000\n",
    }
    assert codes_for(make_project, files) == [("Procfile", 2)]
    files["requirements.txt"] += "channels[daphne]==4.1\n"
    assert codes_for(make_project, files) == []


def test_lock_files_declare_too(make_project):
    lock = '{"_meta": {}, "default": {"django": {"version": "==5.2.8"}, "gunicorn": {"version": "==23.0.0"}, "dj-database-url": {}, "psycopg2-binary": {}, "python-decouple": {}, "whitenoise": {}}}'
    assert codes_for(make_project, {"requirements.txt": None, "Pipfile.lock": lock}) == []


@pytest.mark.parametrize(
    "files",
    [
        {"Pipfile.lock": '{"default": {"django": {"version": 5, "extras": "binary"}, "x": "y"}}'},
        {"Pipfile.lock": "[1, 2]"},
        {"Pipfile": '[packages]\ndjango = {extras = "x"}\nflask = 3\n', "requirements.txt": None},
        {"poetry.lock": 'package = "nope"\n'},
        {"uv.lock": "[[package]]\nname = 3\n"},
        {"pyproject.toml": '[tool]\npoetry = "x"\n[project]\ndependencies = [3, "django>="]\n'},
        {"requirements.txt": "-r\n-e\n--requirement=\n\\\n[extras]\n==1.0\n"},
    ],
)
def test_odd_declarations_never_crash(make_project, files):
    diagnostics(make_project(files))


# ---------------------------------------------------------------- markers, whole lines and direct references


def test_markers_lines_and_direct_references_are_kept(make_project):
    reqs, errors = read(
        make_project,
        {
            "requirements.txt": (
                "Django==5.2.8\n"
                'pywin32==306 ; sys_platform == "win32"\n'
                "pkg-resources==0.0.0 \\\n    --hash=sha256:0000\n"
                "certifi @ file:///home/conda/work/certifi\n"
                "-e ../shared-lib\n"
            ),
        },
    )
    assert errors == []
    assert reqs.get("django").marker == ""
    assert reqs.get("pywin32").marker == 'sys_platform == "win32"'
    assert reqs.get("pkg-resources").lines == Span("requirements.txt", 3, 1, 5, 1)
    assert [(r.target, r.span.line, r.editable) for r in reqs.references] == [
        ("file:///home/conda/work/certifi", 5, False),
        ("../shared-lib", 6, True),
    ]


def test_lock_files_give_no_marker_but_pipfile_lock_does(make_project):
    lock = '{"_meta": {}, "default": {"pywinpty": {"version": "==2.0.13", "markers": "os_name == \'nt\'"}, "django": {"version": "==5.2.8"}}}\n'
    reqs, _ = read(make_project, {"requirements.txt": None, "Pipfile.lock": lock})
    assert reqs.get("pywinpty").marker == "os_name == 'nt'"
    assert reqs.get("django").marker == ""
    poetry = '[[package]]\nname = "pywin32"\nversion = "306"\n'
    reqs, _ = read(make_project, {"requirements.txt": None, "poetry.lock": poetry})
    assert reqs.get("pywin32").marker is None


# ---------------------------------------------------------------- DJH607 beyond the examples


def test_pkg_resources_in_any_spelling(make_project):
    files = {"requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\nPKG_Resources == 0.0.0\n"}
    assert codes_for(make_project, files, "DJH607") == [("requirements.txt", 3)]


def test_windows_only_packages_by_exact_name(make_project):
    files = {"requirements.txt": "Django==5.2.8\ngunicorn==23.0.0\npywin32-ctypes==0.2.3\npyWinPTY==2.0.13\npypiwin32==223\n"}
    assert codes_for(make_project, files, "DJH607") == [("requirements.txt", 4), ("requirements.txt", 5)]


def test_windows_only_packages_in_lock_files(make_project):
    flagged = '{"_meta": {}, "default": {"pywin32": {"version": "==306"}}}\n'
    marked = '{"_meta": {}, "default": {"pywin32": {"version": "==306", "markers": "sys_platform == \'win32\'"}}}\n'
    poetry = '[[package]]\nname = "pywin32"\nversion = "306"\n'
    assert codes_for(make_project, {"requirements.txt": None, "Pipfile.lock": flagged}, "DJH607") == [("Pipfile.lock", 1)]
    assert codes_for(make_project, {"requirements.txt": None, "Pipfile.lock": marked}, "DJH607") == []
    assert codes_for(make_project, {"requirements.txt": None, "poetry.lock": poetry}, "DJH607") == []


def test_absolute_and_remote_paths(make_project):
    files = {
        "requirements.txt": (
            "Django==5.2.8\ngunicorn==23.0.0\n"
            "/home/me/wheels/payments-1.0-py3-none-any.whl\n"
            "C:\\Users\\me\\wheels\\payments-1.0.tar.gz\n"
            "git+https://github.com/org/repo.git@main#egg=shared\n"
            "https://files.example.com/gunicorn-23.0.0-py3-none-any.whl\n"
            "./vendor/dj_database_url-3.0.1.tar.gz\n"
            "-e .\n"
        ),
    }
    assert codes_for(make_project, files, "DJH607") == [("requirements.txt", 3), ("requirements.txt", 4)]


def test_the_fix_removes_pkg_resources_with_its_continuation_lines(make_project):
    root = make_project({"requirements.txt": "Django==5.2.8\npkg_resources==0.0.0 \\\n    --hash=sha256:0000\ngunicorn==23.0.0\n"})
    result = run_cli(["--fix", "--select", "DJH607", "--no-cache", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "requirements.txt").read_text() == "Django==5.2.8\ngunicorn==23.0.0\n"


# ---------------------------------------------------------------- DJH608: Django's support table


def test_the_django_support_table_at_patch_level():
    assert supporting((3, 12)) == ((4, 2, 8), None)
    assert supporting((3, 13)) == ((5, 1, 3), None)
    assert supporting((3, 10)) == ((3, 2, 9), (6, 0))
    assert supporting((3, 9)) == ((2, 2, 17), (5, 0))
    assert supporting((3, 7)) is None  # older series than the table knows support it
    assert supporting((3, 16)) is None


def django_python(make_project, files, subdir="proj"):
    return [(path, line) for c, path, line in diagnostics(make_project(files, subdir=subdir), select=["DJH608"])]


@pytest.mark.parametrize(
    ("python", "django", "flagged"),
    [
        ("3.12\n", "Django==4.2.8\n", False),
        ("3.12\n", "Django~=4.2.0\n", False),
        ("3.12\n", "Django>=3.2,<4.2\n", True),
        ("3.13\n", "Django==5.1.2\n", True),
        ("3.13\n", "Django>=5.1,<5.2\n", False),
        ("3.10\n", "Django==6.0\n", True),
        ("3.10\n", "Django>=5.2\n", False),
        ("3.14\n", "Django==5.2.1\n", False),  # 3.14 counts for the whole 5.2 series
        ("3.14\n", "Django\n", False),  # unbounded: any release may be installed
        ("3.9\n", "Django==5.0.14\n", True),
        ("python 3.12\n", "Django==3.2.25\n", False),  # a file Heroku rejects: DJH403's finding
    ],
)
def test_django_against_the_pinned_python(make_project, python, django, flagged):
    files = {".python-version": python, "requirements.txt": django + "gunicorn==23.0.0\n"}
    assert django_python(make_project, files) == ([("requirements.txt", 1)] if flagged else [])


def test_django_from_lock_files_and_pipfile_lock_python(make_project):
    lock = '{\n  "_meta": {"requires": {"python_version": "3.12"}},\n  "default": {\n    "django": {"version": "==4.1.13"}\n  }\n}\n'
    assert django_python(make_project, {".python-version": None, "requirements.txt": None, "Pipfile.lock": lock}) == [("Pipfile.lock", 4)]
    poetry = '[[package]]\nname = "django"\nversion = "3.2.25"\n\n[[package]]\nname = "gunicorn"\nversion = "23.0.0"\n'
    assert django_python(make_project, {".python-version": "3.11\n", "requirements.txt": None, "poetry.lock": poetry}, "poetry") == [("poetry.lock", 2)]


def test_the_message_names_the_newest_python_and_the_first_django(make_project):
    root = make_project({".python-version": None, "requirements.txt": "Django==3.2.25\ngunicorn==23.0.0\n"})
    result = run_cli(["--select", "DJH608", "--no-cache", str(root)])
    assert result.exit_code == 1
    assert "Django==3.2.25 does not support Python 3.14 (Heroku's default): it supports Python 3.10 at most; Python 3.14 needs Django 5.2 or later" in result.output
