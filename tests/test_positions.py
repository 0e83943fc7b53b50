"""Positions measured along the tree agree with LibCST's code generation and its PositionProvider, node for node."""

from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from django_heroku_lint.read import positions as _positions
from django_heroku_lint.ftypes import Span
from django_heroku_lint.read.python import PythonFile, node_positions, parse_python


class _Nodes(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


SOURCES = {
    "crlf": "import os\r\nX = {\r\n  'a': os.environ.get('A', 'b'),  # c\r\n  'b': [1, 2,\r\n        3],\r\n}\r\n"
    "if X:\r\n    Y = 1\r\nelif X:\r\n    Y = 2\r\nelse:\r\n    Y = 3\r\n",
    "lone CR inside": "X = 1\rY = [1,\r 2]\rZ = 'é'\n",
    "BOM": "\ufeffX = 'é'\nY = (  1  )\n",
    "tabs": "if True:\n\tX = 1\n\tif X:\n\t\tY = {'a':\t1}\n",
    "non-ASCII": "# é\nNAME = 'çà'; OTHER = \"日本\"  ;\nZ = ['ü', 'ß']\n",
    "multi-line strings": "X = '''a\nb\r\nc'''\nY = \"\"\"\n\"\"\" 'x'\nZ = f'{X}' 'y'\nW = (\n  'a'\n  'b'\n)\n",
    "backslashes": "X = 1 + \\\n    2\nY = \\\n  [1,\n2]\nif X and \\\n   Y:\n    pass\n",
    "no trailing newline": "X = 1\nY = 2",
    "no trailing newline after a block": "X = 1\nif X:\n    Y = 2",
    "comment last, no newline": "X = 1\n# end",
    "empty": "",
    "only a comment": "# hello\n",
    "blank lines": "\n\n",
    "form feed": "X = 1\n\x0c\nY = 2\n",
    "parentheses": "X = ((((1))))\nY = ((1,), (2,))\nZ = -(1)\nW = not (X)\nV = X if Y else (Z)\n",
    "calls": "X = f(a, *b, c=1, **d,)\nY = f( a = 1 , b=2 )\nZ = f(\n    a,\n    b,\n)\nW = g()()[0][1:2]\n",
    "semicolons": "X = 1; Y = 2;\nZ = 3 ;  \n",
    "subscripts": "D = {}\nD['a'] = 1\nD['a']['b'] += 2\nD[1, 2] = 3\nD[  'x'  ] = 5\n",
    "starred": "X = [*A, *B, 1]\nY = {**A, 'b': 1, **B}\nZ = (*A,)\nT = 1,\nU = 1, 2\n",
    "comparisons": "X = a < b <= c == d != e > f >= g in h not in i is j is not k\n",
    "operators": "X = a + b - c * d / e // f % g ** h @ i << j >> k | l & m ^ n\nX += 1\nX |= 1\n"
    "Y = ~a + -b + +c\nZ = a and b or not c\n",
    "blocks": "if a:\n    pass\n\n    # trailing comment in block\n# dedented comment\nelse:\n    x = 1\n  # odd comment\n\n"
    "try:\n    import x\nexcept ImportError:\n    x = None\nfor i in range(3):\n    X = i\nelse:\n    X = 0\n"
    "with open('x') as f, open('y') as g:\n    pass\n",
    "header and footer": "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n\"\"\"Doc.\"\"\"\n\nX = 1\n\n\n# footer\n",
    "one-line suites": "if a: x = 1\nelif b: x = 2\nelse: x = 3\n",
    "nested blocks": "if a:\n    if b:\n        x = 1\n    elif c:\n        x = [\n            1,\n        ]\n    else:\n      x = 3\n",
    "definitions": "@dec\n# c\n@dec2(1)\ndef f(a, b=1, *c, d, **e) -> int:\n    return 1\nclass C(B, metaclass=M):\n    x = 1\n",
    "imports": "import os, sys as s\nfrom . import x\nfrom .a.b import (c,\n   d as e,)\nfrom x import *\n",
    "comments in brackets": "X = (  # comment\n    1  # c2\n    + 2\n)\nY = [\n\n    1,\n\n]\n",
}


@pytest.mark.parametrize("source", list(SOURCES.values()), ids=list(SOURCES))
def test_every_node_where_code_generation_puts_it(source: str) -> None:
    parsed = parse_python(source.encode("utf-8"), "settings.py")
    assert isinstance(parsed, PythonFile)
    visitor = _Nodes()
    parsed.module.visit(visitor)
    generated = node_positions(parsed.module, {id(node) for node in visitor.nodes})  # without the text: LibCST's code generation
    measured = _positions.offsets(parsed.module, {id(node): [] for node in visitor.nodes}, len(parsed.text or ""), complete=False)
    assert measured is not None, "the walk did not add up to the module's length"
    walked = node_positions(parsed.module, measured[0], parsed.text)
    kinds = (cst.BaseExpression, cst.BaseSmallStatement, cst.BaseStatement, cst.BaseElement, cst.BaseDictElement, cst.Arg)
    assert not [type(node).__name__ for node in visitor.nodes if isinstance(node, kinds) and id(node) not in walked]
    for node in visitor.nodes:
        if id(node) in walked:
            assert walked[id(node)] == generated[id(node)], type(node).__name__


def test_falls_back_when_libcst_does_not_give_the_text_back() -> None:
    # LibCST drops a lone carriage return at the very end: its code is one character short.
    source = "X = 1\rY = [1,\r 2]\r"
    parsed = parse_python(source.encode("utf-8"), "settings.py")
    assert isinstance(parsed, PythonFile)
    assert parsed.module.code != parsed.text
    assert _positions.offsets(parsed.module, {}, len(parsed.text or "")) is None
    element = parsed.module.body[1].body[0].value.elements[1].value  # type: ignore[attr-defined]
    spans = [Span("settings.py", *node_positions(parsed.module, {id(element)}, parsed.text)[id(element)])]
    assert spans[0].key() == ("settings.py", 3, 2, 3, 3)


def test_a_node_the_walk_does_not_meet_falls_back() -> None:
    parsed = parse_python(b"X = [1, 2]\n", "settings.py")
    assert isinstance(parsed, PythonFile)
    comma = parsed.module.body[0].body[0].value.elements[0].comma  # type: ignore[attr-defined]
    assert _positions.offsets(parsed.module, {id(comma): []}, len(parsed.text or "")) is None
    spans = [Span("settings.py", *node_positions(parsed.module, {id(comma)}, parsed.text)[id(comma)])]
    assert spans[0].key() == ("settings.py", 1, 7, 1, 9)


# --- Against LibCST's public PositionProvider --------------------------------------------
#
# djhlint's span of a node is all the code the node generates: the whitespace, comments and
# parentheses it owns included (the fix stage finds nodes by span and replaces them whole).
# LibCST's PositionProvider gives the syntactic span instead: without a statement's leading
# comment lines, a comma's trailing space, an expression's parentheses.  That is the one
# deliberate difference, and LibCST draws it too: its WhitespaceInclusivePositionProvider
# records what each node generates.  So djhlint must agree with PositionProvider wherever
# LibCST's two providers agree (most expressions), and with the whitespace-inclusive one
# everywhere.  The Module node itself is left out: djhlint never places it.


def _span(code_range) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """LibCST's 1-based line and 0-based column, as a Span's 1-based columns."""
    start, end = code_range.start, code_range.end
    return (start.line, start.column + 1, end.line, end.column + 1)


def assert_positions_agree_with_libcst(source: str) -> int:
    """Every node of ``source`` placed as LibCST places it; the number of nodes compared."""
    from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

    parsed = parse_python(source.encode("utf-8"), "settings.py")
    if not isinstance(parsed, PythonFile) or parsed.module.code != parsed.text:
        return 0  # characters LibCST drops count in the file for djhlint, not for LibCST: tested below
    wrapper = MetadataWrapper(parsed.module, unsafe_skip_copy=True)
    syntactic = wrapper.resolve(PositionProvider)
    inclusive = wrapper.resolve(WhitespaceInclusivePositionProvider)
    visitor = _Nodes()
    parsed.module.visit(visitor)
    nodes = [node for node in visitor.nodes if node is not parsed.module]
    placed = node_positions(parsed.module, {id(node) for node in nodes}, parsed.text)
    measured = _positions.offsets(parsed.module, {id(node): [] for node in nodes}, len(parsed.text or ""), complete=False)
    if parsed.module.code == parsed.text:  # the walk adds up wherever LibCST gives the text back
        assert measured is not None, "the walk did not add up to the module's length"
    walked = node_positions(parsed.module, measured[0], parsed.text) if measured is not None else {}
    for node in nodes:
        expected = _span(inclusive[node])
        if _span(syntactic[node]) == expected:
            expected = _span(syntactic[node])  # the same: PositionProvider's own answer
        name = type(node).__name__
        assert placed.get(id(node)) == expected, (name, cst.Module([]).code_for_node(node))
        if id(node) in walked:
            assert walked[id(node)] == expected, ("walked", name, cst.Module([]).code_for_node(node))
    return len(nodes)


MORE_SOURCES = {
    "decorated and async": "@a.b(c)\nasync def f(a, /, *, b: int = 1) -> None:\n    async with x as (y):\n        await z\n",
    "lambdas and comprehensions": "X = lambda a, *b, c=1: [i for i in a if i]\nY = {k: v for k, v in z}\nZ = (i async for i in y)\n",
    "f-strings": "X = f'{a!r:>{w}} {b=}'\nY = f\"\"\"\n{c}\n\"\"\"\n",
    "walrus and ternary": "if (n := len(a)) > 10:\n    X = 1 if n else 2\n",
    "slices": "X = a[1:2, ::3, :]\nY = a[...]\n",
    "global and del": "def f():\n    global X\n    del X[0], Y\n    raise E from e\n",
    "match": "match x:\n    case [1, *rest] if rest:\n        pass\n    case {'a': 1, **kw}:\n        pass\n    case C(a=1) | None:\n        pass\n",
}


def _rule_sources() -> dict[str, str]:
    """Every Python source of the rules' VALID and INVALID examples."""
    from django_heroku_lint.rules.registry import ALL_RULES

    found: dict[str, str] = {}
    for rule in ALL_RULES:
        for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID)):
            for index, case in enumerate(cases):
                for name, text in case.files.items():
                    if name.endswith(".py") and text is not None:
                        source = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
                        found[f"{rule.code}-{kind}-{index}-{name}"] = source
    return found


def _example_sources() -> dict[str, str]:
    """The tutorial project's modules and the benchmark's 5,000-line settings module."""
    import importlib.util
    import sys
    from pathlib import Path

    top = Path(__file__).resolve().parents[1]
    found = {path.relative_to(top).as_posix(): path.read_text("utf-8") for path in sorted((top / "examples").rglob("*.py"))}
    spec = importlib.util.spec_from_file_location("bench_run", top / "bench/run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    found["bench: 5,000-line settings"] = bench.big_settings()
    return found


RULE_SOURCES = _rule_sources()


@pytest.mark.parametrize("source", [*SOURCES.values(), *MORE_SOURCES.values()], ids=[*SOURCES, *MORE_SOURCES])
def test_every_node_where_libcst_puts_it(source: str) -> None:
    assert assert_positions_agree_with_libcst(source) or not source


def test_every_node_of_the_rule_examples_where_libcst_puts_it() -> None:
    assert sum(assert_positions_agree_with_libcst(source) for source in RULE_SOURCES.values()) > 1000


def test_every_node_of_the_example_project_and_the_benchmark_where_libcst_puts_it() -> None:
    assert sum(assert_positions_agree_with_libcst(source) for source in _example_sources().values()) > 10_000


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it generates
@settings(deadline=None, derandomize=True, database=None, max_examples=80, suppress_health_check=list(HealthCheck))
@given(source=hypothesmith.from_grammar())
def test_every_node_of_generated_modules_where_libcst_puts_it(source: str) -> None:
    assert_positions_agree_with_libcst(source)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(deadline=None, derandomize=True, database=None, max_examples=20, suppress_health_check=list(HealthCheck))
@given(source=hypothesmith.from_node())
def test_every_node_of_generated_syntax_trees_where_libcst_puts_it(source: str) -> None:
    assert_positions_agree_with_libcst(source)


def test_a_form_feed_libcst_drops_still_counts_in_the_file() -> None:
    # LibCST drops a form feed before a top-level statement, so PositionProvider places the
    # statement one column to the left of where the file has it: the one place djhlint
    # deliberately disagrees with it, as a diagnostic names a column of the file.
    from libcst.metadata import MetadataWrapper, PositionProvider

    source = "X = 1\n\x0cY = [1,\n  2]\nZ = 3\n"
    parsed = parse_python(source.encode("utf-8"), "settings.py")
    assert isinstance(parsed, PythonFile)
    assert parsed.module.code == source.replace("\x0c", "")
    statement = parsed.module.body[1].body[0]  # type: ignore[attr-defined]
    name, value = statement.targets[0].target, statement.value
    assert _span(MetadataWrapper(parsed.module, unsafe_skip_copy=True).resolve(PositionProvider)[name]) == (2, 1, 2, 2)
    wanted = {id(name), id(value), id(parsed.module.body[2])}
    positions = node_positions(parsed.module, wanted, parsed.text)
    assert positions[id(name)] == (2, 2, 2, 3)
    assert positions[id(value)] == (2, 6, 3, 5)
    assert positions[id(parsed.module.body[2])] == (4, 1, 5, 1)


def test_a_diagnostic_after_a_form_feed_names_the_column_of_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django_heroku_lint.rules._baseline import project_files

    from .helpers import lint_project, write_tree

    settings = 'import os\n\x0cSECRET_KEY = "django-insecure-7h1s-1s-n0t-s3cr3t"\n'
    root = write_tree(tmp_path, project_files({"mysite/settings.py": settings}))
    found = [d.span for d in lint_project(root) if d.code == "DJH102"]
    assert [(span.line, span.col) for span in found] == [(2, 15)]
