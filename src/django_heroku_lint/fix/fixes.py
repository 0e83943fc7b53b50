"""The fix stage, first half: a rule's fix becomes concrete edits.

A rule's text-file edits (a Procfile, a new ``.python-version``, a rename) are already
concrete.  Its *intents* are carried out here, each by its own ``apply`` (the generic
ones in ``edit/intents.py``, a rule's own in its module), on the file as it is now: a
Python file is parsed with LibCST (``edit/source.py``), the intent gives the new module,
and the new code is compared with the old to give the smallest edits.  A Python file
LibCST does not reproduce byte for byte is never edited, and neither is one where an
edit would lose a comment.

An intent that cannot be carried out exactly (the node is not where the span says, a
comment would be lost, the call has arguments the new form does not take) resolves to
``None``: the diagnostic stays, with no fix.  Nothing here writes; ``fixer.py`` applies,
checks and writes the edits.
"""

from __future__ import annotations

from collections import Counter

from ..edit.intents import PythonIntent, TextIntent
from ..edit.source import PythonSource, Reader, TextSource, Unresolvable, comments, diff_edits, load_source
from ..ftypes import Fix


def resolve(fix: Fix, read: Reader, files: frozenset[str]) -> Fix | None:
    """The fix with its intents carried out as edits on the files as ``read`` gives them,
    or ``None`` when an intent cannot be carried out exactly."""
    if fix.resolved:
        return fix
    try:
        edits = list(fix.edits)
        touched = {e.file for e in fix.edits} | {e.new_file for e in fix.edits if e.new_file}
        python_done: set[str] = set()
        texts: dict[str, tuple[TextSource, str]] = {}  # path -> (original, current text)
        for intent in fix.intents:
            path = intent.target_file()
            if isinstance(intent, TextIntent):
                if path in touched or path in python_done or path not in files:
                    raise Unresolvable(f"no {path} to edit")
                if path not in texts:
                    text_source = load_source(path, read(path))
                    if text_source is None:
                        raise Unresolvable(f"{path} cannot be read")
                    texts[path] = (text_source, text_source.text)
                original, current = texts[path]
                texts[path] = (original, intent.apply(current, read, files))
            elif isinstance(intent, PythonIntent):
                if path in touched or path in python_done or path in texts:
                    raise Unresolvable("two edits of one file in one fix")
                python_done.add(path)
                source = PythonSource.parse(path, read(path))
                new_module = intent.apply(source)
                if not (comments(source.module) - comments(new_module)) == Counter():
                    raise Unresolvable("a comment would be lost")
                edits.extend(diff_edits(path, source.module.code, new_module.code))
            else:  # pragma: no cover - every intent is one of the two kinds
                raise Unresolvable(f"an intent of no known kind: {type(intent).__name__}")
        for path, (original, current) in texts.items():
            edits.extend(diff_edits(path, original.text, current))
    except Unresolvable:
        return None
    except Exception:  # a fix is an offer: a surprise in carrying it out means no offer, never a crash
        return None
    if not edits:
        return None
    return Fix(fix.applicability, fix.message, tuple(edits))

