"""Robustness: whatever the input, a run ends cleanly, in bounded time and memory.

A run ends in a clean pass, in diagnostics (a DJH000 for a file that cannot be read or
parsed) or in a one-line error with exit code 2: never a traceback, a hang or a crash.
The fuzz tests are derandomized, so CI sees the same examples on every run.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django_heroku_lint.engine import Options, lint
from django_heroku_lint.model.values import EnvRead
from django_heroku_lint.rules.registry import ALL_RULES
from django_heroku_lint.rules._baseline import project_files

from .helpers import LOGGING, git, run_cli, write_tree

CODES = {rule.code for rule in ALL_RULES}
TUTORIAL_SETTINGS = (Path(__file__).resolve().parents[1] / "examples/tutorial/mysite/settings.py").read_bytes()
# The tutorial's settings with a non-ASCII comment, so cuts and insertions split UTF-8 sequences too.
REAL_SETTINGS = TUTORIAL_SETTINGS.replace(b"# Database\n", "# Database (café ☃)\n".encode())
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def survived(result) -> None:  # type: ignore[no-untyped-def]
    """An in-process CLI run ended as documented: exit 0 or 1, no traceback."""
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1), output
    assert "Traceback" not in output and "internal error" not in output, output


@dataclass
class Run:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    rss_mib: float


# Runs djhlint as ``python -m django_heroku_lint`` does, then writes the process's peak
# resident set (VmHWM, which counts only what came after exec: ru_maxrss would charge
# the child with the test process's own memory at the fork) where the test reads it.
PEAK_RSS_WRAPPER = """
import atexit, os, runpy, sys

def report():
    with open("/proc/self/status") as status, open(os.environ["DJHLINT_TEST_PEAK_RSS"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))

atexit.register(report)
sys.argv[0] = "djhlint"
runpy.run_module("django_heroku_lint", run_name="__main__")
"""


def run_djhlint(args: list[str], cwd: Path, timeout: float = 60, env: dict[str, str] | None = None) -> Run:
    """djhlint in a child process, killed after ``timeout``, with its peak RSS where /proc has it.

    A child process, so that a crash in native code (a segfault) or a hang fails the
    test instead of taking the test run down with it.
    """
    out_path, err_path, rss_path = (cwd / f".djhlint-test-{name}" for name in ("stdout", "stderr", "rss"))
    measure = os.path.exists("/proc/self/status")
    argv = ["-c", PEAK_RSS_WRAPPER] if measure else ["-m", "django_heroku_lint"]
    start = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, *argv, *args],
            cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            env={**os.environ, **(env or {}), "DJHLINT_TEST_PEAK_RSS": str(rss_path)},
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
    seconds = time.perf_counter() - start
    stdout, stderr = out_path.read_bytes(), err_path.read_bytes().decode("utf-8", "replace")
    rss_mib = int(rss_path.read_text()) / 1024 if measure and rss_path.exists() else 0.0
    for path in (out_path, err_path, rss_path):
        path.unlink(missing_ok=True)
    assert seconds < timeout, f"djhlint {args} did not finish in {timeout} s"
    return Run(proc.returncode, stdout, stderr, seconds, rss_mib)


def ended_cleanly(run: Run, codes: tuple[int, ...] = (0, 1)) -> None:
    assert run.code in codes, f"exit {run.code}: {run.stderr}"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr


# ---------------------------------------------------------------- fuzzing the settings model


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return write_tree(tmp_path_factory.mktemp("fuzz"), project_files({}))


def lint_with_settings(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(source.encode("utf-8", "surrogatepass"))  # a lone surrogate makes invalid UTF-8: fine
    result = lint(Options(paths=[str(root)]))
    assert {d.code for d in result.diagnostics} <= CODES


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
@settings(FUZZ, max_examples=60)
@given(source=hypothesmith.from_grammar())
def test_generated_modules_through_the_settings_model(fuzz_project, source):
    lint_with_settings(fuzz_project, {"mysite/settings.py": source})


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
@settings(FUZZ, max_examples=20)
@given(source=hypothesmith.from_node())
def test_generated_syntax_trees_through_the_settings_model(fuzz_project, source):
    lint_with_settings(fuzz_project, {"mysite/settings.py": source})


# What settings are set to, and generated expressions (built once, on first use:
# hypothesmith builds a parser for the grammar on each call).
KNOWN_VALUES = (
    '["*"]', '("*",)', '"*"', "True", "False", "None", '"literal-secret"', 'os.environ["X"]', 'os.environ.get("X", "d")',
    'os.getenv("X") or "d"', 'config("X", default=False, cast=bool)', 'config("X", cast=Csv())', 'env.bool("X")',
    'env("X", default="d")', 'bool(os.getenv("X"))', 'dj_database_url.config(default="sqlite:///db")',
    '{"default": {"ENGINE": "django.db.backends.sqlite3"}}', '["whitenoise.middleware.WhiteNoiseMiddleware"]',
    'get_random_secret_key()', 'BASE_DIR / "x"', "[*MIDDLEWARE, 'a']", "{**DATABASES}", "MIDDLEWARE + ['b']",
)
EXPRESSIONS = st.one_of(
    st.sampled_from(KNOWN_VALUES),
    st.deferred(lambda: hypothesmith.from_grammar("eval_input").map(lambda e: e.strip().replace("\n", " "))),
)
SETTING_NAMES = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MIDDLEWARE", "DATABASES", "env", "config", "os", "django_heroku")
IMPORTS = "import os\nimport dj_database_url\nimport django_heroku\nfrom decouple import Csv, config\nimport environ\nenv = environ.Env()\n"


@st.composite
def settings_shaped(draw) -> str:  # type: ignore[no-untyped-def]
    """Modules that look like settings: the names rules read, set to generated expressions."""
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(SETTING_NAMES))
        value = draw(EXPRESSIONS)
        shape = draw(st.sampled_from(["{n} = {v}", "{n} += {v}", "{n}.append({v})", "{n}['default'] = {v}",
                                      "if {v}:\n    {n} = {v}\nelse:\n    del {n}", "try:\n    {n} = {v}\nexcept Exception:\n    pass",
                                      "django_heroku.settings(locals(), {n}={v})", "{n}.insert(0, {v})"]))
        lines.append(shape.format(n=name, v=value))
    return IMPORTS + "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=40)
@given(base=settings_shaped(), production=settings_shaped())
def test_settings_shaped_modules_through_a_chain(fuzz_project, base, production):
    lint_with_settings(
        fuzz_project,
        {
            "mysite/settings.py": "from .base import *\nfrom .production import *\n",
            "mysite/base.py": base,
            "mysite/production.py": "from .base import *\n" + production,
        },
    )


# ---------------------------------------------------------------- mutated settings, via the CLI


def test_truncated_settings(make_project):
    root = make_project({"mysite/settings.py": REAL_SETTINGS})
    settings_file = root / "mysite" / "settings.py"
    for cut in range(0, len(REAL_SETTINGS) + 1, 13):
        settings_file.write_bytes(REAL_SETTINGS[:cut])
        survived(run_cli([str(root)]))


def test_random_bytes_inserted(make_project):
    root = make_project()
    settings_file = root / "mysite" / "settings.py"
    rng = random.Random(6)
    palette = [b"\x00", b"\xff", b"\xe9", b"\xc3", b"(", b"]", b"{", b'"', b"'", b'"""', b"\\", b"\n", b"\r", b"\t",
               b":", b"=", b"#", b"*", b"\xef\xbb\xbf", "☃".encode(), b"\x0c", b"if ", b"from . import *"]
    for _ in range(120):
        data = bytearray(REAL_SETTINGS)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.5:
                data[at:at] = rng.choice(palette)
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
        settings_file.write_bytes(bytes(data))
        survived(run_cli([str(root)]))


DEEP = {
    "parentheses": "(" * 5000 + "1" + ")" * 5000,
    "lists": "[" * 5000 + "]" * 5000,
    "dicts": "{'a': " * 2000 + "1" + "}" * 2000,
    "sum": "1" + " + 1" * 10000,
    "attributes": "x" + ".a" * 5000,
    "calls": "f" + "(1)" * 5000,
    "subscripts": "x" + "[0]" * 5000,
    "negations": "-" * 5000 + "1",
    "nots": "not " * 5000 + "x",
    "or": "x or " * 5000 + "y",
    "conditionals": "1 if x else " * 3000 + "2",
    "lambdas": "lambda: " * 2000 + "1",
    "strings": '"a" ' * 10000,
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_djh000_or_a_clean_pass(tmp_path, outside, shape):
    root = write_tree(tmp_path / "proj", project_files({"mysite/settings.py": f"ALLOWED_HOSTS = {DEEP[shape]}\n"}))
    run = run_djhlint(["--select", "DJH000,DJH101", str(root)], outside, timeout=30)
    ended_cleanly(run)
    for line in run.stdout.decode().splitlines():
        assert " DJH000 " in line, line


def test_deep_nesting_in_statements(tmp_path, outside):
    settings_module = "DATABASES = {}\nDATABASES" + '["default"]' * 5000 + " = 1\n"
    settings_module += "".join("    " * level + "if DEBUG:\n" for level in range(98)) + "    " * 98 + "X = 1\n"
    root = write_tree(tmp_path / "proj", project_files({"mysite/settings.py": settings_module}))
    ended_cleanly(run_djhlint([str(root)], outside, timeout=30))


@pytest.mark.parametrize("shape", ["list(", "tuple(", '"a,b".split('])
def test_nested_calls_evaluate_each_argument_once(make_project, outside, shape):
    # Each level evaluated its argument twice (once as a possible conversion of an
    # environment read, once for what the call is): 40 levels took 2**40 steps.
    hosts = shape * 40 + '["*"]' + ")" * 40
    root = make_project({"mysite/settings.py": f"ALLOWED_HOSTS = list({hosts})\n"})
    run = run_djhlint(["--select", "DJH000,DJH101", str(root)], outside, timeout=30)
    ended_cleanly(run)
    assert (b"DJH101" in run.stdout) == (shape != '"a,b".split(')


@pytest.mark.parametrize("shape", ["int(", "env.bool(", "dj_database_url.parse(", "os.environ["])
def test_reads_nested_as_deep_as_python_accepts_are_interpreted(make_project, shape):
    # Python accepts 200 nested brackets; the model must interpret what Python runs.
    close = "]" if shape.endswith("[") else ")"
    source = (
        "import os\nimport dj_database_url\nimport environ\nenv = environ.Env()\n"
        f'SECRET_KEY = {shape * 190}os.environ["SECRET_KEY"]{close * 190}\n'
    )
    root = make_project({"mysite/settings.py": source})
    result = lint(Options(paths=[str(root)], cache=False))
    assert not [d for d in result.diagnostics if d.code == "DJH000"]
    assert isinstance(result.projects[0].context.settings.get("SECRET_KEY").certain, EnvRead)


def test_a_10000_item_allowed_hosts(make_project, outside):
    hosts = ", ".join(f'"host{i}.example.com"' for i in range(10_000))
    root = make_project({"mysite/settings.py": f'ALLOWED_HOSTS = [{hosts}, "*"]\n'})
    run = run_djhlint([str(root)], outside, timeout=30)
    ended_cleanly(run)
    assert b"DJH101" in run.stdout
    assert run.seconds < 20


# ---------------------------------------------------------------- hostile trees


def test_a_directory_where_a_file_is_expected(make_project, outside):
    root = make_project({"mysite/settings.py": None, ".python-version": None})
    for name in ("mysite/settings.py", ".python-version", "pyproject.toml", "runtime.txt"):
        (root / name).mkdir()
        (root / name / "x.py").write_text("")
    ended_cleanly(run_djhlint([str(root)], outside))


@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_symlink_loops(make_project, outside, in_git):
    root = make_project({"Procfile": None})
    (root / "mysite" / "loop").symlink_to("..")  # a folder linked to its parent
    (root / "again").symlink_to(root)  # the root linked to itself
    (root / "Procfile").symlink_to("Procfile")  # a file linked to itself
    if in_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "loops")
    run = run_djhlint([str(root)], outside, timeout=30)
    ended_cleanly(run)
    assert b"Procfile:1:1: DJH000" in run.stdout and b"symbolic links" in run.stdout


def test_a_settings_module_that_star_imports_itself(make_project, outside):
    root = make_project(
        {
            "mysite/settings.py": "from mysite.settings import *\nfrom .settings import *\nfrom .other import *\nALLOWED_HOSTS = ['*']\n",
            "mysite/other.py": "from .settings import *\nfrom .other import *\n",
        }
    )
    run = run_djhlint([str(root)], outside)
    ended_cleanly(run)
    assert b"DJH101" in run.stdout


@pytest.mark.parametrize("name", ["mysite/settings.py", "Procfile"])
def test_a_50_mb_file(make_project, outside, name):
    root = make_project()
    with open(root / name, "wb") as handle:
        line = b"X = 1  # " + b"x" * 90 + b"\n"
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    run = run_djhlint([str(root)], outside)
    ended_cleanly(run)
    assert f"{name}:1:1: DJH000".encode() in run.stdout and b"too large" in run.stdout
    assert run.seconds < 20 and run.rss_mib < 250


@pytest.mark.parametrize(
    ("name", "size"), [("mysite/settings.py", 300 * 1024), ("Procfile", 9 * 1024 * 1024), (".python-version", 9 * 1024 * 1024)]
)
def test_large_files_under_the_read_limit(make_project, outside, name, size):
    # Under the 10 MiB read limit but far past what such a file holds: refused before
    # parsing, which would take seconds to minutes and hundreds of MiB to GiB.
    root = make_project()
    line = b'SETTING = {"a": [1, 2, 3]}\n' if name.endswith(".py") else b"web: gunicorn mysite.wsgi --log-file -\n"
    (root / name).write_bytes(line * (size // len(line) + 1))
    run = run_djhlint([str(root)], outside)
    ended_cleanly(run)
    assert f"{name}:1:1: DJH000".encode() in run.stdout and b"too large" in run.stdout
    assert run.seconds < 20 and run.rss_mib < 250


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_a_fifo_named_procfile_does_not_hang(make_project, outside, in_git):
    root = make_project()
    if in_git:  # a tracked Procfile replaced by a FIFO (git lists no untracked FIFO)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "init")
    (root / "Procfile").unlink()
    os.mkfifo(root / "Procfile")
    os.mkfifo(root / "pyproject.toml")
    run = run_djhlint([str(root)], outside, timeout=30)
    ended_cleanly(run)
    assert b"Procfile:1:1: DJH000" in run.stdout and b"not a regular file" in run.stdout


@pytest.mark.parametrize("in_git", [False, True], ids=["walk", "git"])
def test_spaces_and_non_ascii_in_paths(tmp_path, in_git):
    base = tmp_path / "my projects" / "Café déjà vu ☃"
    root = write_tree(base, project_files({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n' + LOGGING}))
    if in_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "init")
    run = run_djhlint([str(root)], tmp_path, env={"PYTHONIOENCODING": "utf-8:strict"})
    ended_cleanly(run)
    assert run.stdout.decode().startswith("my projects/Café déjà vu ☃/mysite/settings.py:1:18: DJH101 ")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    root = write_tree(folder, project_files({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n' + LOGGING}))
    strict = {"PYTHONIOENCODING": "utf-8:strict"}  # what a UTF-8 locale gives
    run = run_djhlint([str(root)], tmp_path, env=strict)
    ended_cleanly(run)
    assert run.stdout.startswith(b"caf\xe9/mysite/settings.py:1:18: DJH101 ")  # the name's own bytes
    run = run_djhlint(["--output-format", "json", str(root)], tmp_path, env=strict)
    ended_cleanly(run)
    (item,) = json.loads(run.stdout.decode("utf-8"))
    assert Path(item["filename"]) == root / "mysite" / "settings.py"


def test_deeply_nested_json_files_are_ignored_like_other_invalid_json(make_project, outside):
    root = make_project({"app.json": "[" * 100_000 + "]" * 100_000, "Pipfile.lock": '{"_meta": ' * 50_000 + "1" + "}" * 50_000})
    ended_cleanly(run_djhlint([str(root)], outside))


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"pyproject.toml": "[tool.djhlint]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n"}, "invalid TOML"),
        ({"manage.py": None}, "no Django project found"),
    ],
)
def test_bad_configuration_and_no_project_exit_2_with_one_line(make_project, outside, files, message):
    run = run_djhlint([str(make_project(files))], outside)
    ended_cleanly(run, codes=(2,))
    assert run.stdout == b""
    (line,) = run.stderr.splitlines()
    assert line.startswith("djhlint: error: ") and message in line
