"""Bad input: a clear one-line DJH000 naming the file, never a traceback, and the run goes on."""

from __future__ import annotations

import os

import pytest

from .helpers import LOGGING, diagnostics, run_cli

UTF16 = "\ufeffweb: gunicorn mysite.wsgi --log-file -\n".encode("utf-16")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"mysite/settings.py": "ALLOWED_HOSTS = [\n"}, ("mysite/settings.py", "syntax error")),
        ({"mysite/settings.py": b'SECRET_KEY = "caf\xe9"\n'}, ("mysite/settings.py", "cannot decode the file")),
        ({"mysite/settings.py": 'X = "a"\n'.encode("utf-16")}, ("mysite/settings.py", "UTF-16")),
        ({"mysite/settings.py": b"\x00\x01\x02binary"}, ("mysite/settings.py", "binary")),
        ({"Procfile": b"\x00\x89PNG\r\n"}, ("Procfile", "binary")),
        ({"Procfile": UTF16}, ("Procfile", "UTF-16")),
        ({".python-version": b"3.13\xff\n"}, (".python-version", "not valid UTF-8")),
        ({"runtime.txt": "python-3.13\n".encode("utf-16")}, ("runtime.txt", "UTF-16")),
    ],
)
def test_unreadable_files_are_djh000(make_project, files, expected):
    root = make_project(files)
    result = run_cli([str(root)], cwd=root)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if " DJH000 " in line]
    assert len(lines) == 1
    path, reason = expected
    assert lines[0].startswith(f"{path}:") and reason in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "source",
    [
        'ALLOWED_HOSTS = ["\\N{NO SUCH CHARACTER}"]\n',
        'import os\nDEBUG = os.environ.get("DEBUG", "\\N{NO SUCH CHARACTER}")\n',
        'CACHES = {}\nCACHES["\\N{NO SUCH CHARACTER}"] = {}\n',
        'import environ\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY", default="x" "\\N{NO SUCH CHARACTER}")\n',
    ],
)
def test_a_string_python_refuses_is_djh000_at_the_string(make_project, source):
    # LibCST parses "\N{...}" of an unknown character name; Python refuses to compile it.
    root = make_project({"mysite/settings.py": source})
    result = run_cli([str(root)], cwd=root)
    assert result.exit_code == 1, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if " DJH000 " in line]
    assert line.startswith(f"mysite/settings.py:{source.count(chr(10))}:") and "syntax error" in line
    assert "Traceback" not in result.stdout + result.stderr


def test_syntax_error_position(make_project):
    root = make_project({"mysite/settings.py": "DEBUG = False\nALLOWED_HOSTS = [\n"})
    ((code, path, line),) = diagnostics(root, select=["DJH000"])
    assert (code, path) == ("DJH000", "mysite/settings.py") and line >= 2


def test_the_run_goes_on_after_a_broken_settings_module(make_project):
    root = make_project({"mysite/settings.py": "ALLOWED_HOSTS = [\n", "Procfile": "web: gunicorn mysite.wsgi\n"})
    found = {code for code, _, _ in diagnostics(root)}
    assert found == {"DJH000", "DJH302"}


def test_empty_files(make_project):
    """An empty file is read without error; what it lacks is for the rules to say."""
    root = make_project({"mysite/settings.py": "", "Procfile": "", ".python-version": ""})
    assert sorted(code for code, _, _ in diagnostics(root)) == ["DJH304", "DJH403"]


def test_utf8_bom_settings_are_fine(make_project):
    root = make_project({"mysite/settings.py": b'\xef\xbb\xbfALLOWED_HOSTS = ["*"]\n'})
    assert diagnostics(root, select=["DJH000", "DJH101"]) == [("DJH101", "mysite/settings.py", 1)]


def test_latin1_with_a_coding_cookie_is_fine(make_project):
    root = make_project({"mysite/settings.py": b'# -*- coding: latin-1 -*-\nNAME = "caf\xe9"\nALLOWED_HOSTS = ["*"]\n'})
    assert diagnostics(root, select=["DJH000", "DJH101"]) == [("DJH101", "mysite/settings.py", 3)]


def test_crlf_files(make_project):
    root = make_project(
        {
            "mysite/settings.py": 'import os\r\n\r\nDEBUG = os.getenv("DEBUG")\r\nALLOWED_HOSTS = ["*"]\r\n' + LOGGING.replace("\n", "\r\n"),
            "Procfile": "release: python manage.py migrate\r\nweb: gunicorn mysite.wsgi\r\n",
        }
    )
    assert diagnostics(root) == [
        ("DJH302", "Procfile", 2),
        ("DJH103", "mysite/settings.py", 3),
        ("DJH101", "mysite/settings.py", 4),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_settings_file(make_project):
    root = make_project()
    settings = root / "mysite" / "settings.py"
    settings.chmod(0)
    try:
        ((code, path, _),) = diagnostics(root)
        assert (code, path) == ("DJH000", "mysite/settings.py")
    finally:
        settings.chmod(0o644)


def test_a_dangling_symlink_as_settings(make_project):
    root = make_project({"mysite/settings.py": None})
    (root / "mysite" / "settings.py").symlink_to(root / "nowhere.py")
    ((code, path, _),) = diagnostics(root)
    assert (code, path) == ("DJH000", "mysite/settings.py")


def test_a_directory_named_procfile(make_project):
    root = make_project({"Procfile": None})
    (root / "Procfile").mkdir()
    (root / "Procfile" / "x").write_text("")
    # A folder is not a Procfile: discovery lists files only, so nothing is misnamed or read.
    assert "DJH000" not in {c for c, _, _ in diagnostics(root)}
