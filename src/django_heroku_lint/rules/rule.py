"""What a rule is: a code, a slug, a message, a docstring, and examples that prove it.

A rule's examples are whole little projects (a dict of file name to text) layered on
a clean baseline project, because a Procfile rule needs the wsgi module and a
WhiteNoise rule needs the settings.  The test suite runs every example, and the docs
the CLI prints show the first invalid and the first valid one: docs, tests and
behaviour cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..ftypes import Diagnostic, Fix, Span
from .context import Context

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import ClassVar

TREE = "project files"
SECTIONS = ("What it does", "Why it breaks on Heroku", "Example", "Use instead", "Fix safety", "References")


@dataclass(frozen=True, slots=True)
class Case:
    """An example project: ``files`` override the baseline project (a ``None`` text deletes a file).

    ``expect`` lists the diagnostics an invalid case must produce, as ``"path:line"``;
    ``show`` names the file the docs print (the first one by default), or ``TREE`` for a
    listing of the project's files, for rules about files that are missing or misnamed.

    ``fixed`` is what the rule's fix leaves, for an invalid case that has one: the files
    it changes, with their new text (``None`` for a file renamed away); every other file
    must stay byte for byte.  ``unsafe`` says the fix is applied only with
    ``--unsafe-fixes``.  An invalid case without ``fixed`` must offer no fix.
    """

    files: dict[str, str | bytes | None]
    expect: list[str] = field(default_factory=list)
    show: str | None = None
    note: str = ""
    fixed: dict[str, str | None] | None = None
    unsafe: bool = False

    @property
    def shown(self) -> tuple[str, str]:
        if self.show == TREE:
            from ._baseline import project_files

            return TREE, "\n".join(sorted(project_files(self.files)))
        name = self.show or next(iter(self.files))
        text = self.files[name] or ""
        return name, text.decode("utf-8", "replace") if isinstance(text, bytes) else text


class Rule:
    """Base class.  Subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]  # the one-line message; may hold {placeholders} filled by the rule
    VALID: ClassVar[list[Case]] = []
    INVALID: ClassVar[list[Case]] = []
    fixable: ClassVar[bool] = False  # derived: an invalid example shows a fix (``fixed``)
    # Values the documentation names from a table rather than writing them twice: each
    # ``{key}`` in the docstring and the message template shows as its value (a Python
    # version from read/pythons.py, say), so the docs follow the table.
    DOC_VALUES: ClassVar[dict[str, str]] = {}
    # True for a rule that reads only the build's facts (the files, Procfile, version files,
    # requirements, app.json), never the Django project's (settings, the folder of manage.py,
    # entry points): it runs once per build root, however many Django projects it holds.
    per_build_root: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.fixable = any(case.fixed for case in cls.INVALID)

    @classmethod
    def applicabilities(cls) -> set[str]:
        """What the fixes the examples show are: ``{"safe"}``, ``{"unsafe"}``, both, or none."""
        return {"unsafe" if case.unsafe else "safe" for case in cls.INVALID if case.fixed}

    def check(self, ctx: Context) -> Iterator[Diagnostic]:  # pragma: no cover - interface
        raise NotImplementedError

    def diagnostic(self, ctx: Context, span: Span, fix: Fix | None = None, **details: str) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.name,
            message=self.message.format(**details) if details else self.message,
            span=span,
            build_root=ctx.build_root,
            url=self.url(),
            fix=fix,
        )

    @classmethod
    def url(cls) -> str | None:
        """The address of the rule's documentation page: none until the project has a public
        home (``djhlint rule CODE`` and the shipped ``docs/rules/CODE.md`` are its documentation)."""
        return None

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The docstring's sections by heading, with Example and Use instead from the cases."""
        import inspect  # the docs are for `djhlint rule` and the generated pages, not a lint run

        doc = cls._filled(inspect.cleandoc(cls.__doc__ or ""))
        sections: dict[str, str] = {}
        current = None
        for line in doc.splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        sections = {k: v.strip() for k, v in sections.items()}
        if cls.INVALID:
            name, text = cls.INVALID[0].shown
            sections["Example"] = _example_block(name, text, sections.get("Example", ""))
        if cls.VALID:
            name, text = cls.VALID[0].shown
            sections["Use instead"] = _example_block(name, text, sections.get("Use instead", ""))
        return {heading: sections[heading] for heading in SECTIONS if sections.get(heading)} | {
            k: v for k, v in sections.items() if k not in SECTIONS and v
        }

    @classmethod
    def docs(cls) -> str:
        """The rule's documentation as Markdown: what `djhlint rule CODE` prints."""
        out = [f"# {cls.name} ({cls.code})", ""]
        out.append(f"Fix: {'available' if cls.fixable else 'none yet'}.")
        out.append("")
        out.append(f"Message: {cls._filled(cls.message)}")
        for heading, body in cls.sections().items():
            out += ["", f"## {heading}", "", body]
        return "\n".join(out).rstrip() + "\n"

    @classmethod
    def _filled(cls, text: str) -> str:
        for key, value in cls.DOC_VALUES.items():
            text = text.replace("{" + key + "}", value)
        return text

    @classmethod
    def fix_rows(cls) -> list[tuple[str, str]]:
        """(the fix, its safety) for each row of the table that ends the "Fix safety"
        section: what the README's fixes table says of the rule."""
        rows = []
        for line in cls.sections().get("Fix safety", "").splitlines():
            if line.startswith("| ") and line.endswith(" |") and line != "| the fix | safety |":
                cells = line[2:-2].split(" | ")
                if len(cells) == 2:
                    rows.append((cells[0], cells[1]))
        return rows

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it does", up to its first colon: for tables."""
        what = " ".join(cls.sections().get("What it does", "").split("\n\n")[0].split())
        sentence = re.split(r"(?<=[.])\s+(?=[A-Z`])", what, maxsplit=1)[0]
        return sentence.split(": ", 1)[0].rstrip(".") + "."


def _example_block(name: str, text: str, prose: str) -> str:
    import textwrap

    language = "python" if name.endswith(".py") else ""
    title = "The project's files" if name == TREE else f"`{name}`"
    block = f"{title}:\n\n```{language}\n{textwrap.dedent(text).strip()}\n```"
    return f"{block}\n\n{prose}".strip() if prose else block
