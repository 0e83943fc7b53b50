"""Positions measured along the tree agree with LibCST's code generation, node for node."""

from __future__ import annotations

import libcst as cst
import pytest

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
