"""The Python versions each Django release supports, in one table: update it with Django's.

Source: Django's FAQ, "What Python version can I use with Django?"
(https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django),
and the release notes of the patch releases that added a Python: 3.2.9 (Python 3.10),
4.2.8 (3.12) and 5.1.3 (3.13) were checked against their release notes
(https://docs.djangoproject.com/en/stable/releases/). Where the patch that added a Python
was not checked (3.14 in 5.2), the whole series counts as supporting it: a judgement
that cannot be confirmed stays silent.
"""

from __future__ import annotations

# series -> (oldest Python, newest Python, {Python: the first patch of the series that supports it}).
# A Python without an entry in the last map is supported from the series' first release.
DJANGOS: dict[tuple[int, int], tuple[tuple[int, int], tuple[int, int], dict[tuple[int, int], int]]] = {
    (2, 2): ((3, 5), (3, 9), {(3, 8): 8, (3, 9): 17}),
    (3, 0): ((3, 6), (3, 9), {(3, 9): 11}),
    (3, 1): ((3, 6), (3, 9), {(3, 9): 3}),
    (3, 2): ((3, 6), (3, 10), {(3, 10): 9}),
    (4, 0): ((3, 8), (3, 10), {}),
    (4, 1): ((3, 8), (3, 11), {(3, 11): 3}),
    (4, 2): ((3, 8), (3, 12), {(3, 12): 8}),
    (5, 0): ((3, 10), (3, 12), {}),
    (5, 1): ((3, 10), (3, 13), {(3, 13): 3}),
    (5, 2): ((3, 10), (3, 14), {}),
    (6, 0): ((3, 12), (3, 14), {}),
}
# Older series support no Python from this one on, so the table judges it and newer ones.
OLDEST_JUDGED = (3, 8)


def supporting(python: tuple[int, int]) -> tuple[tuple[int, ...], tuple[int, ...] | None] | None:
    """The Django releases that support ``python``, as ``[first, end)`` (``end`` None: every
    later release too, as far as the table knows); None when the table cannot tell."""
    if python < OLDEST_JUDGED or python > max(newest for _, newest, _ in DJANGOS.values()):
        return None
    series = [s for s, (oldest, newest, _) in sorted(DJANGOS.items()) if oldest <= python <= newest]
    if not series:
        return None
    first = series[0] + (DJANGOS[series[0]][2].get(python, 0),)
    later = [s for s in sorted(DJANGOS) if s > series[-1]]
    return first, (later[0] if later else None)
