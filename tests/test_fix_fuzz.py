"""Fuzzing the fixers: generated code around every fixable problem, through `--fix --unsafe-fixes`.

Plain generated modules almost never hold a problem with a fix, so each example starts
from a seed that does, for one fixable rule: one of the rule's invalid examples with a
fix (``Case.fixed``), or a generated one (the setting in the shapes settings modules
write it in, a gunicorn command in a Procfile), on the baseline project, sometimes with
another rule's example merged in (two settings modules' statements interleaved, so
fixes meet in one file and take rounds), and the settings sometimes split into a
package whose production.py star-imports base.py.  The statements are rewritten into
equivalent shapes (other quotes, ``u""``, parentheses, split strings, tuples, trailing
commas, annotations, ``if True:``), get odd whitespace (line breaks and comments inside
brackets, backslash continuations, tabs) and comments, and generated modules
(hypothesmith), settings-shaped statements and comment lines go around them.  Every
file is saved with LF, CRLF or lone CR line ends, a byte order mark or a latin-1 coding
cookie, with or without a final newline; text files get comment, blank and (in
requirements files) requirement lines.

`djhlint --fix --unsafe-fixes` runs in-process on each example; then:

- It exits 0 or 1, with no traceback and no internal error.  Exit 2 means a bad
  configuration, no project, or a fix caught breaking a file; the trees always hold a
  project and a valid pyproject.toml (it gets no byte order mark, lone CR or control
  character, which TOML refuses), so exit 2 is always a bug.  An input that does not
  parse is a DJH000 diagnostic (exit 1).
- A Python file that LibCST cannot parse, or does not reproduce byte for byte, is
  never touched.
- Every Python file it changed parses with LibCST, and compiles when it compiled before.
- Every file it changed keeps its line ends, its byte order mark and its final newline
  (or lack of one), and the generated statements and comments around the fixes, byte
  for byte (a UTF-16 file saved as UTF-8 loses its UTF-16 byte order mark: that is the
  fix).
- No intent raised while being carried out: `fixes.resolve` turns a surprise into "no
  fix on offer", which must not hide a bug.
- A second run changes nothing.

Each rule's test also counts the examples where that rule's fix was applied and fails
when there are too few: a strategy that stops reaching a fixer is caught.  The tests are
derandomized, so CI sees the same examples on every run; they take about 40 s.
"""

from __future__ import annotations

import io
import re
import tempfile
import tokenize
import warnings
from collections import Counter
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import Phase, event, given, settings
from hypothesis import strategies as st

from django_heroku_lint.edit.source import Unresolvable
from django_heroku_lint.ftypes import Intent
from django_heroku_lint.engine import Options, lint
from django_heroku_lint.read.python import utf16_text
from django_heroku_lint.rules.registry import ALL_RULES
from django_heroku_lint.rules._baseline import BASELINE

from .helpers import run_cli, snapshot, write_tree
from .test_robustness import FUZZ, settings_shaped, survived

FIXABLE = [rule for rule in ALL_RULES if rule.fixable]
# Each fixable rule's invalid examples that its fix repairs: the seeds of the trees.
SEEDS = {rule.code: [case.files for case in rule.INVALID if case.fixed is not None] for rule in FIXABLE}
ALL_SEEDS = [files for seeds in SEEDS.values() for files in seeds]
EXAMPLES = 20  # per rule
LEAST_FIXED = 3  # examples per rule where its fix must be applied (most rules reach 10 or more)
UNTOUCHED = ("manage.py", "mysite/__init__.py", "mysite/urls.py", "mysite/wsgi.py")  # no fix edits them
DIAGNOSTIC_RE = re.compile(r":\d+:\d+: (DJH\d{3}) ")
# No targeting: hypothesmith scores its modules, and hill-climbing on those scores would
# spend the few examples on variations of one tree.
PHASES = [phase for phase in settings.default.phases if phase is not Phase.target]


def test_every_fixable_rule_has_a_seed():
    assert FIXABLE and all(SEEDS[rule.code] for rule in FIXABLE), "a fixable rule has no invalid example with `fixed`"


# ---------------------------------------------------------------------- pieces of Python


def statements(code: str) -> list[str] | None:
    """The top-level statements of ``code`` as written (comments and blank lines before
    each one included), or ``None`` when LibCST cannot parse it."""
    try:
        module = cst.parse_module(code)
    except Exception:
        return None
    pieces = [module.code_for_node(statement) for statement in module.body]
    head = "".join(module.code_for_node(line) for line in module.header)
    tail = "".join(module.code_for_node(line) for line in module.footer)
    if pieces:
        pieces[0] = head + pieces[0]
        pieces[-1] += tail
    elif head or tail:
        pieces = [head + tail]
    return pieces if "".join(pieces) == code else None


def must_keep(piece: str) -> list[str]:
    """What a fix may not change of generated code: its comments, and its statements
    without the lines above them and their line end (a fix may add lines around them)."""
    try:
        module = cst.parse_module(piece)
    except Exception:
        return []
    keep = [line.comment.value for line in module.header if line.comment]
    for statement in module.body:
        keep += [line.comment.value for line in statement.leading_lines if line.comment]
        keep.append(module.code_for_node(statement.with_changes(leading_lines=[])).rstrip("\r\n"))
    keep += [line.comment.value for line in module.footer if line.comment]
    return [k for k in keep if k.strip()]


def compiles(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError):
        return False
    return True


def reproduced(data: bytes) -> bool:
    try:
        return cst.parse_module(data).bytes == data
    except Exception:
        return False


def libcst_parses(data: bytes) -> bool:
    try:
        cst.parse_module(data)
    except Exception:
        return False
    return True


def is_string_start(kind: int) -> bool:
    return tokenize.tok_name.get(kind, "").endswith("STRING_START")  # f-strings (3.12), t-strings (3.14)


def is_string_end(kind: int) -> bool:
    return tokenize.tok_name.get(kind, "").endswith("STRING_END")


# Whitespace that may follow an operator inside brackets, and outside them.
INSIDE = [" ", "\t", "  ", "\n", "\n        ", "\n\t", "  # inside\n    ", "\n    # own line\n    ", "\n\n", " \\\n"]
OUTSIDE = [" ", "\t", "   ", " \\\n", " \\\n    ", "\\\n"]
AFTER = {"(", "[", "{", ",", "=", ":", "+", "/", "|", "."}


def _tokenized(code: str) -> tuple[list[tokenize.TokenInfo], list[int]] | None:
    """The tokens of ``code`` and the offset where each of its lines starts; None if it
    does not tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return tokens, starts


def reflow(code: str, choices: list[tuple[int, int]]) -> str:
    """``code`` with odd whitespace after some operators: line breaks and comments inside
    brackets, backslash continuations outside.  Unchanged if the result does not compile."""
    tokenized = _tokenized(code)
    if tokenized is None:
        return code
    tokens, starts = tokenized
    spots: list[tuple[int, bool]] = []  # (offset after the operator, inside brackets)
    depth = strings = 0
    for token in tokens:
        if is_string_start(token.type):
            strings += 1
        elif is_string_end(token.type):
            strings -= 1
        elif token.type == tokenize.OP and not strings:
            if token.string in "([{":
                depth += 1
            elif token.string in ")]}":
                depth -= 1
            if token.string in AFTER:
                spots.append((starts[token.end[0] - 1] + token.end[1], depth > 0))
    if not spots:
        return code
    inserts: dict[int, str] = {}
    for spot, option in choices:
        offset, inside = spots[spot % len(spots)]
        pool = INSIDE if inside else OUTSIDE
        inserts[offset] = pool[option % len(pool)]
    new = code
    for offset in sorted(inserts, reverse=True):
        new = new[:offset] + inserts[offset] + new[offset:]
    return new if compiles(new.encode()) and libcst_parses(new.encode()) else code


def trailing_comments(code: str, choices: list[tuple[int, str]]) -> str:
    """``code`` with comments at the end of some lines (before a NEWLINE or NL token)."""
    tokenized = _tokenized(code)
    if tokenized is None:
        return code
    tokens, starts = tokenized
    ends = [starts[t.start[0] - 1] + t.start[1] for t in tokens if t.type in (tokenize.NEWLINE, tokenize.NL) and t.string]
    if not ends:
        return code
    inserts = {ends[spot % len(ends)]: "  # " + text for spot, text in choices}
    new = code
    for offset in sorted(inserts, reverse=True):
        new = new[:offset] + inserts[offset] + new[offset:]
    return new if libcst_parses(new.encode()) else code


class Reshape(cst.CSTTransformer):
    """Rewrites a statement into shapes that mean the same to the settings model, one
    choice per node from a tape (0, or the end of the tape, keeps the node): other
    quotes, a ``u`` prefix, parentheses, a string split in two, a list as a tuple, a
    trailing comma, an annotation, the assignment under ``if True:``."""

    def __init__(self, tape: list[int]) -> None:
        self.tape = list(tape)

    def choice(self, n: int) -> int:
        return self.tape.pop(0) % n if self.tape else 0

    def leave_SimpleString(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        if updated_node.prefix or len(updated_node.quote) != 1:
            return updated_node
        body = updated_node.value[1:-1]
        other = "'" if updated_node.quote == '"' else '"'
        pick = self.choice(5)
        if pick == 1 and other not in body:
            return updated_node.with_changes(value=f"{other}{body}{other}")
        if pick == 2:
            return updated_node.with_changes(value="u" + updated_node.value)
        if pick == 3:
            return updated_node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if pick == 4 and len(body) > 1 and "\\" not in body:
            q = updated_node.quote
            return cst.ConcatenatedString(
                left=cst.SimpleString(f"{q}{body[:1]}{q}"), right=cst.SimpleString(f"{q}{body[1:]}{q}"), lpar=updated_node.lpar, rpar=updated_node.rpar
            )
        return updated_node

    def leave_List(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        pick = self.choice(3)
        elements = list(updated_node.elements)
        if pick == 1 and elements:
            last = elements[-1]
            return cst.Tuple(elements=[*elements[:-1], last.with_changes(comma=cst.Comma())] if len(elements) == 1 else elements)
        if pick == 2 and elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
            elements[-1] = elements[-1].with_changes(comma=cst.Comma())
            return updated_node.with_changes(elements=elements)
        return updated_node

    def leave_Call(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        args = list(updated_node.args)
        if args and args[-1].comma is cst.MaybeSentinel.DEFAULT and self.choice(2):
            args[-1] = args[-1].with_changes(comma=cst.Comma())
            return updated_node.with_changes(args=args)
        return updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.Assign):
            return updated_node
        assign = updated_node.body[0]
        pick = self.choice(3)
        if pick == 1 and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
            annotated = cst.AnnAssign(target=assign.targets[0].target, annotation=cst.Annotation(cst.Name("object")), value=assign.value)
            return updated_node.with_changes(body=[annotated])
        if pick == 2:
            return cst.If(
                test=cst.Name("True"), body=cst.IndentedBlock(body=[updated_node.with_changes(leading_lines=[])]), leading_lines=updated_node.leading_lines
            )
        return updated_node


def reshape(code: str, tape: list[int]) -> str:
    """``code`` in other shapes (see ``Reshape``); unchanged if the result does not compile."""
    if not tape:
        return code
    try:
        new = cst.parse_module(code).visit(Reshape(tape)).code
    except Exception:
        return code
    return new if compiles(new.encode()) else code


def one_line(text: str) -> str:
    """Text for a comment: no character Python ends a line at."""
    return text.replace("\r", " ").replace("\n", " ")


def normalized(code: str) -> str:
    """Generated code with LF line ends (the file's own are chosen later) and a final newline."""
    code = code.replace("\r\n", "\n").replace("\r", "\n")
    return code if code.endswith("\n") or not code else code + "\n"


# Characters that str.splitlines() ends a line at but Python does not, and other oddities.
ODD = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff\t\u00a0\u200b\U0001f600é☃"
COMMENT_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n"), max_size=16),
    st.text(st.sampled_from(ODD + "ab #'\"\\"), max_size=8),
    st.sampled_from(["noqa", "noqa: DJH999", "type: ignore", "-*- coding: ascii -*-", "fmt: off", "TODO"]),
).map(one_line)
GENERATED = st.deferred(lambda: hypothesmith.from_grammar())  # built once: it builds a parser per call
# Statements to splice in, and whether a fix must keep them (a settings-shaped one may
# be what a fix repairs).
CHUNKS = st.one_of(
    GENERATED.map(lambda code: (normalized(code), True)),
    settings_shaped().map(lambda code: (code, False)),
    COMMENT_TEXT.map(lambda text: (f"# {text}\n", True)),
    st.sampled_from(
        [
            "\n", "   \n", "\t\n", "\x0c\n", "\n\n\n", "pass\n", "if True:\n\tpass\n", '"""A docstring."""\n', "import os\n",
            "from __future__ import annotations\n", "from __future__ import annotations; X = 1\n", '"""Doc."""; from __future__ import annotations\n',
        ]
    ).map(lambda code: (code, True)),
)


@st.composite
def interleaved(draw, sequences: list[list[str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """The sequences merged, each one's order kept."""
    queues = [list(seq) for seq in sequences if seq]
    merged: list[str] = []
    while queues:
        queue = queues[draw(st.integers(0, len(queues) - 1))] if len(queues) > 1 else queues[0]
        merged.append(queue.pop(0))
        queues = [q for q in queues if q]
    return merged


# ---------------------------------------------------------------------- whole trees


EOLS = ["\n", "\r\n", "\r"]
# A lone CR is rare, and a Python file with one at its end is never fixed (LibCST does
# not reproduce it): most Python files get the other line ends.
PYTHON_EOLS = ["\n", "\r\n", "\n", "\r\n", "\r"]


@st.composite
def python_file(draw, pieces: list[str]) -> tuple[bytes, list[str]]:  # type: ignore[no-untyped-def]
    """A Python module from its statements, with generated ones spliced in, odd
    whitespace and comments, then saved in a drawn style.  Also returns the generated
    statements a fix must keep, as they end up in the file's text."""
    pieces = [reshape(piece, draw(st.lists(st.integers(0, 9), max_size=12))) for piece in pieces]
    pieces = [
        reflow(piece, draw(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=2)))
        for piece in pieces
    ]
    pieces = [trailing_comments(piece, draw(st.lists(st.tuples(st.integers(0, 99), COMMENT_TEXT), max_size=1))) for piece in pieces]
    slots: list[tuple[str, bool]] = [(piece, False) for piece in pieces]  # (code, a fix must keep it)
    for slot, (chunk, keep) in draw(st.lists(st.tuples(st.integers(0, len(pieces)), CHUNKS), max_size=3)):
        parsed = statements(chunk)
        slot = min(slot, len(slots))
        if parsed is None:  # LibCST cannot parse it: the module is a DJH000 then
            slots.insert(slot, (chunk, False))
        else:
            slots[slot:slot] = [(piece, keep) for piece in parsed]
    text = "".join(piece for piece, _ in slots)
    keep = [k for piece, must in slots if must for k in must_keep(piece)]
    eol = draw(st.sampled_from(PYTHON_EOLS))
    text = text.replace("\n", eol)
    keep = [k.replace("\n", eol) for k in keep]
    if draw(st.booleans()):
        text = text.rstrip("\r\n") if text.strip() else text
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
    if encoding == "latin-1":
        try:
            data = f"# -*- coding: latin-1 -*-{eol}{text}".encode("latin-1")
        except UnicodeEncodeError:
            data = text.encode("utf-8")
    else:
        data = text.encode(encoding, "surrogatepass")
    return data, keep


LINES = ["# a comment\n", "\n", "  \n", "#\n", "\t# indented\n"]
ODD_LINES = ["# page\x0cbreak\n", "# \u2028 \x85 \x1c\n"]  # line breaks to str.splitlines(), not to TOML, which refuses them
REQUIREMENT_LINES = [
    "whitenoise\n", "WhiteNoise[brotli]>=6  # static files\n", "dj_database_url\n", "psycopg2-binary==2.9.9\n",
    "-r base.txt\n", "--index-url https://pypi.org/simple\n", "requests==2.31 ; python_version >= '3.8'\n",
    "gunicorn==23.0.0 \\\n    --hash=sha256:" + "0" * 64 + "\n", "-e git+https://github.com/evansd/whitenoise.git#egg=whitenoise\n",
    "whitenoise @ https://example.com/whitenoise-6.11.0-py3-none-any.whl\n", "# whitenoise\n", "Django>=4.2\n",
]


@st.composite
def text_file(draw, name: str, text: str) -> bytes:  # type: ignore[no-untyped-def]
    """A text file with comment and blank lines added (requirements too, in a requirements
    file), saved in a drawn style."""
    lines = text.splitlines(keepends=True)
    toml = name.endswith(".toml")
    pool = LINES + (REQUIREMENT_LINES if name.startswith("requirement") else []) + ([] if toml else ODD_LINES)
    for at, line in draw(st.lists(st.tuples(st.integers(0, len(lines)), st.sampled_from(pool)), max_size=2)):
        if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += "\n"
        lines.insert(at, line)
    text = "".join(lines)
    eol = draw(st.sampled_from(EOLS[:2] if toml else EOLS))
    text = text.replace("\r\n", "\n").replace("\n", eol)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    if not toml and draw(st.sampled_from([False, False, True])):  # some rules give no fix past a byte order mark
        text = "\ufeff" + text
    return text.encode("utf-8")


# Gunicorn commands for DJH302, in the shapes Procfiles take.
WORDS = {
    "env": ["", "WEB_CONCURRENCY=3 ", "env A=b ", "exec ", "A='x y' "],
    "before": ["", "cd src && ", "cd . && ", "python -m ", "newrelic-admin run-program ", "bin/setup ; "],
    "options": ["", "--workers 3 ", "-w\t2 ", "--bind 0.0.0.0:$PORT ", "--timeout=30 ", "--preload ", "-k gevent ",
                "--access-logfile - ", "--name 'my app' ", "--chdir . ", '--log-level "debug" '],
    "app": ["mysite.wsgi", "mysite.wsgi:application", "'mysite.wsgi'", '"mysite.wsgi:application"', "mysite.wsgi\\:application"],
    "after": ["", " --workers 3", " --max-requests=1000", " -t 60", " && echo done", " | tee out.log", " ; true",
              " || exit 1", "  ", "\t", " # the web process", " &", " 'unclosed"],
}
PROCFILES = st.builds(
    lambda name, env, before, options, app, after, others: "".join(others) + f"{name}{env}{before}gunicorn {options}{app}{after}\n",
    st.sampled_from(["web: ", "web:", "web :\t", "\ufeffweb: "]),
    *(st.sampled_from(WORDS[key]) for key in ("env", "before", "options", "app", "after")),
    st.lists(st.sampled_from(["release: python manage.py migrate\n", "worker: celery -A mysite worker\n", "# processes\n"]), max_size=2),
).map(lambda text: {"Procfile": text})


def settings_seed(imports: list[str], lines: dict[str, list[str]]) -> st.SearchStrategy[dict]:
    """Settings modules: some of the imports, then each setting in one of its shapes."""
    return st.builds(
        lambda chosen, shapes: {"mysite/settings.py": "".join(chosen) + "\n" + "".join(shapes)},
        st.lists(st.sampled_from(imports), max_size=3, unique=True) if imports else st.just([]),
        st.tuples(*(st.sampled_from([f"{name} = {shape}\n" if not shape.startswith(name) else shape + "\n" for shape in shapes]) for name, shapes in lines.items())),
    )


ENV_IMPORTS = [
    "import os\n", "from os import environ, getenv\n", "from decouple import config\n", "import decouple\n",
    "from decouple import AutoConfig\nconfig = AutoConfig()\n", "import environ\nenv = environ.Env()\n", "from environ import Env\nenv = Env()\n",
]
MIDDLEWARE = ["'django.middleware.security.SecurityMiddleware'", '"whitenoise.middleware.WhiteNoiseMiddleware"', '"a.B"', "'c.D'"]
# Each fixable setting in the shapes settings modules write it in: more problems to fix,
# and more ways to reach them, than the rules' examples hold.
GENERATED_SEEDS = {
    "DJH101": settings_seed(ENV_IMPORTS + ["from decouple import Csv, config\n"], {"ALLOWED_HOSTS": [
        '["*"]', "('*',)", '["localhost", "*", ]', '["*", "*"]', 'config("ALLOWED_HOSTS", default="*", cast=Csv())',
        "config('ALLOWED_HOSTS', default='localhost,*,127.0.0.1', cast=Csv())", 'os.environ.get("ALLOWED_HOSTS", "*").split(",")',
        'env.list("ALLOWED_HOSTS", default=["*"])', "ALLOWED_HOSTS = []\nALLOWED_HOSTS += ['*']", "ALLOWED_HOSTS = ['a']\nALLOWED_HOSTS.append(u'*')",
    ]}),
    "DJH102": settings_seed(ENV_IMPORTS, {"SECRET_KEY": [
        '"k3y"', "'k3y'  # change me", '("k3y")', '"k3" "y"', 'os.environ.get("SECRET_KEY", "k3y")', "os.getenv('SECRET_KEY', default='k3y')",
        'os.getenv("SECRET_KEY") or "k3y"', '(os.environ.get("SECRET_KEY") or "k3y")', 'environ.get("SECRET_KEY", "k3y")', 'getenv("SECRET_KEY", "k3y")',
        'config("SECRET_KEY", default="k3y")', 'config("SECRET_KEY", "k3y")', 'decouple.config("SECRET_KEY", default="k3y")',
        'env("SECRET_KEY", default="k3y")', 'env.str("SECRET_KEY", default="k3y")', 'os.environ.setdefault("SECRET_KEY", "k3y")',
    ]}),
    "DJH103": settings_seed(ENV_IMPORTS, {"DEBUG": [
        'os.environ.get("DEBUG")', 'os.environ.get("DEBUG", False)', 'os.environ.get("DEBUG", default="0")', "os.getenv('DEBUG', 'False')",
        'getenv("DEBUG", 1)', 'environ.get("DEBUG", None)', 'bool(os.getenv("DEBUG"))', '(os.getenv("DEBUG"))', 'os.getenv("DEBUG") or False',
        'config("DEBUG")', 'config("DEBUG", default=True)', "config('DEBUG', default='off')", 'config("DEBUG", False)',
        'decouple.config("DEBUG", default=False,)', 'env("DEBUG")', 'env("DEBUG", default=False)', 'os.environ.setdefault("DEBUG", "0")',
    ]}),
    "DJH106": settings_seed([], {"CSRF_TRUSTED_ORIGINS": [
        '["myapp.herokuapp.com"]', "('.example.com', 'https://a.example.com')", '["example.com:8000", "*.example.com"]',
        "[u'myapp.herokuapp.com',]", "CSRF_TRUSTED_ORIGINS = []\nCSRF_TRUSTED_ORIGINS += ['myapp.herokuapp.com']",
    ]}),
    "DJH201": settings_seed([], {"INSTALLED_APPS": ["['django.contrib.staticfiles']"], "MIDDLEWARE": [
        "[]", "()", f"[{MIDDLEWARE[0]}]", f"({MIDDLEWARE[3]},)", f"[{MIDDLEWARE[2]}, {MIDDLEWARE[0]}]", f"[\n    {MIDDLEWARE[2]},  # first\n]",
    ]}),
    "DJH202": st.permutations(MIDDLEWARE).flatmap(lambda order: settings_seed([], {"MIDDLEWARE": [
        "[" + ", ".join(order) + "]", "(" + ", ".join(order) + ")", "[\n" + "".join(f"    {m},  # {i}\n" for i, m in enumerate(order)) + "]",
    ]})),
    "DJH204": settings_seed(["STATIC_URL = '/static/'\n", 'STORAGES = {"default": {"BACKEND": "x.Storage"}}\n', "STORAGES = {}\n"], {"STATICFILES_STORAGE": [
        '"whitenoise.storage.CompressedManifestStaticFilesStorage"', "'x.Storage'", '("x.Storage")', '"x." "Storage"',
    ]}).map(lambda files: {**files, "requirements.txt": "Django==5.2.8\ngunicorn\nwhitenoise\n"}),
    "DJH205": settings_seed([], {"STORAGES": [
        '{"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}',
        "{\n    'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedStaticFilesStorage'},  # static\n}",
        '{"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},}',
    ]}),
    "DJH302": PROCFILES,
    "DJH501": settings_seed(["from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n", "import dj_database_url\n", "import os\n"], {"DATABASES": [
        '{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}',
        "{\n    'default': {\n        'ENGINE': 'django.db.backends.sqlite3',\n        'NAME': BASE_DIR / 'db.sqlite3',  # local\n    },\n}",
        'dict(default={"ENGINE": "django.db.backends.sqlite3"})', "{'default': {'ENGINE': 'django.db.backends.sqlite3'}}; X = 1",
    ]}),
}


def own_seed(code: str) -> st.SearchStrategy[dict]:
    examples = st.sampled_from(SEEDS[code])
    return st.one_of(examples, GENERATED_SEEDS[code]) if code in GENERATED_SEEDS else examples


SPLIT = ("mysite/settings/__init__.py", "mysite/settings/base.py", "mysite/settings/production.py")


@st.composite
def fixable_tree(draw, code: str) -> tuple[dict[str, bytes], dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """A project where rule ``code`` has something to fix, with generated code around
    it: the files, and for each Python file the generated statements a fix must keep."""
    seeds = [*draw(st.lists(st.sampled_from(ALL_SEEDS), max_size=1)), draw(own_seed(code))]
    files: dict[str, str | bytes | None] = dict(BASELINE)
    python: dict[str, list[list[str]]] = {}
    for seed in seeds:  # the rule's own seed last: its files win
        for name, content in seed.items():
            if name.endswith(".py") and isinstance(content, str) and (parsed := statements(content)) is not None:
                python.setdefault(name, []).append(parsed)
            files[name] = content
    python.setdefault("mysite/settings.py", [statements(str(files["mysite/settings.py"])) or []])
    tree: dict[str, bytes] = {}
    kept: dict[str, list[str]] = {}
    for name, content in files.items():
        if content is None:
            continue
        if isinstance(content, bytes) or name in UNTOUCHED:
            tree[name] = content if isinstance(content, bytes) else content.encode("utf-8")
        elif name == "mysite/settings.py" and draw(st.booleans()):
            # A settings package: production.py star-imports base.py, split anywhere.
            pieces = draw(interleaved(python[name]))
            at = draw(st.integers(0, len(pieces)))
            init, base, production = SPLIT
            tree[init] = b"from .production import *\n"
            tree[base], kept[base] = draw(python_file(pieces[:at]))
            tree[production], kept[production] = draw(python_file(["from .base import *\n", *pieces[at:]]))
        elif name in python:
            tree[name], kept[name] = draw(python_file(draw(interleaved(python[name]))))
        elif name.endswith(".py"):
            tree[name] = content.encode("utf-8")
        else:
            tree[name] = draw(text_file(name, content))
    return tree, kept


# ---------------------------------------------------------------------- what a file's bytes say


def text_of(data: bytes) -> tuple[str, bool]:
    """A file's text as its encoding says (UTF-16 and UTF-8 by their byte order marks, or
    a latin-1 coding cookie), and whether it starts with a UTF-8 byte order mark."""
    utf16 = utf16_text(data)
    if utf16 is not None:
        return utf16, False
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), True
    if b"coding: latin-1" in data.split(b"\n", 1)[0].split(b"\r", 1)[0]:
        return data.decode("latin-1"), False
    return data.decode("utf-8", "replace"), False


def check_kept(name: str, before: bytes, after: bytes, kept: list[str]) -> None:
    """What a fix keeps of a file it changes: line ends, byte order mark, final newline,
    and the generated statements and comments, in order."""
    (old, old_bom), (new, new_bom) = text_of(before), text_of(after)
    ends_before, ends_after = set(re.findall(r"\r\n|\r|\n", old)), set(re.findall(r"\r\n|\r|\n", new))
    if len(ends_before) == 1:
        assert ends_after <= ends_before, f"{name}: line ends {ends_before} became {ends_after}"
    assert old_bom == new_bom, f"{name}: byte order mark"
    if old.strip():
        assert old.endswith(("\n", "\r")) == new.endswith(("\n", "\r")), f"{name}: final newline"
    at = 0
    for statement in kept:
        found = new.find(statement, at)
        assert found >= 0, f"{name}: generated code was changed or moved: {statement!r}"
        at = found + len(statement)


# ---------------------------------------------------------------------- the tests


@pytest.fixture
def surprises(monkeypatch):
    """Exceptions other than ``Unresolvable`` raised while carrying out an intent: the
    fixer hides them as "no fix", so the test looks for them."""
    found: list[str] = []

    def watch(function):  # type: ignore[no-untyped-def]
        def watched(*args):  # type: ignore[no-untyped-def]
            try:
                return function(*args)
            except Unresolvable:
                raise
            except Exception as exc:
                found.append(f"{function.__qualname__}: {type(exc).__name__}: {exc}")
                raise

        return watched

    for kind in intent_kinds():
        if "apply" in vars(kind):
            monkeypatch.setattr(kind, "apply", watch(kind.apply))
    return found


def intent_kinds(base: type = Intent) -> list[type]:
    """Every intent class (the generic ones and the rules' own), each carried out by its ``apply``."""
    found = []
    for kind in base.__subclasses__():
        found += [kind, *intent_kinds(kind)]
    return found


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # generated code compiles with warnings
@pytest.mark.parametrize("code", [rule.code for rule in FIXABLE])
def test_generated_code_around_each_fixable_problem(code, surprises):
    fixed: Counter[str] = Counter()

    @settings(FUZZ, max_examples=EXAMPLES, phases=PHASES)
    @given(example=fixable_tree(code))
    def run(example):  # type: ignore[no-untyped-def]
        files, kept = example
        surprises.clear()
        with tempfile.TemporaryDirectory() as folder:
            root = write_tree(Path(folder), files)
            found = Counter(d.code for d in lint(Options(paths=[str(root)], cache=False)).diagnostics)
            before = snapshot(root)
            first = run_cli(["--fix", "--unsafe-fixes", "--no-cache", str(root)])
            survived(first)
            assert not surprises, surprises
            after = snapshot(root)
            for name, data in before.items():
                if name.endswith(".py") and not reproduced(data):
                    assert after.get(name) == data, f"{name}: LibCST cannot parse or reproduce it, yet it was changed"
            for name, data in after.items():
                if name.endswith(".py") and before.get(name) != data:
                    assert libcst_parses(data), f"{name} no longer parses:\n{data!r}"
                    if name not in before or compiles(before[name]):
                        assert compiles(data), f"{name} no longer compiles:\n{data!r}"
                if name in before and before[name] != data:
                    check_kept(name, before[name], data, kept.get(name, []))
            second = run_cli(["--fix", "--unsafe-fixes", "--no-cache", str(root)])
            survived(second)
            assert snapshot(root) == after, "a second --fix changed the files again"
            if found["DJH000"]:
                event("a file does not parse or cannot be read (DJH000)")
            left = Counter(DIAGNOSTIC_RE.findall(first.stdout))
            for rule_code, count in found.items():
                if left[rule_code] < count:
                    fixed[rule_code] += 1
                    event(f"fixed {rule_code}")

    run()
    assert fixed[code] >= LEAST_FIXED, f"{code} was fixed in {fixed[code]} of {EXAMPLES} examples: the strategy no longer reaches its fixer"
