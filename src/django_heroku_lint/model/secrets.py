"""Which settings hold a credential, which literals are real ones, and how a secret is
kept out of what djhlint prints.

Shared by the rule that flags a committed credential (DJH112), by the settings view
and by ``djhlint env``, and by every output: a secret is printed as
:func:`printable.redacted` gives it (its first four characters and its length), in
the settings view (:func:`redact_value`) and in any text that may quote the
repository: messages, the source lines of the ``full`` format, a ``--diff``
(:func:`redact_text`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from ..printable import redacted
from .values import DictValue, EnvRead, ListValue, Literal, SettingsModel, Value

# Setting names that hold a credential, besides SECRET_KEY.
SUFFIXES = ("_PASSWORD", "_SECRET", "_SECRET_KEY", "_SECRET_ACCESS_KEY", "_TOKEN", "_API_KEY")
# Words a value holds when it stands in for the real one.
PLACEHOLDER_WORDS = ("change", "your", "placeholder", "example", "dummy", "fake", "replace", "todo", "xxx", "***", "...", "<", "${", "{{")
PLACEHOLDERS = ("password", "passwd", "secret", "token", "key", "test", "none", "null", "pass", "admin", "apikey", "api_key", "guest")
# Tokens that are public by design: publishable Stripe keys (pk_live_...), Mapbox public tokens (pk.eyJ...).
PUBLIC_PREFIXES = ("pk_", "pk.")
# A URL with a password in it: scheme://user:password@host, or scheme://:password@host.
URL_PASSWORD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*:([^/@\s]+)@([^/:?#\s]*)")
# Hosts of the author's own machine or a local container: a password for them is no secret.
LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "db", "postgres", "mysql", "redis", "rabbitmq")


def credential_name(name: str) -> bool:
    """A setting (or environment variable) other than ``SECRET_KEY`` whose name says it holds a credential."""
    return name != "SECRET_KEY" and name.endswith(SUFFIXES) and "PUBLIC" not in name and "PUBLISHABLE" not in name


def secret_name(name: str) -> bool:
    """A name whose value must never be printed: ``SECRET_KEY`` (and ``DJANGO_SECRET_KEY``) or a credential."""
    return name == "SECRET_KEY" or name.endswith("_SECRET_KEY") or credential_name(name)


def placeholder(text: str) -> bool:
    """An empty string, or one that only stands in for a real credential."""
    lowered = text.strip().lower()
    if not lowered or len(set(lowered)) == 1 or lowered in PLACEHOLDERS:
        return True
    return any(word in lowered for word in PLACEHOLDER_WORDS)


# --------------------------------------------------------------------------- redaction

# A known secret shorter than this is redacted where it is a setting's value, but not
# searched for in free text, where it would mangle every word that holds it.
SHORTEST_SEARCHED = 6
# The words of a name (``DB_PASSWORD``, ``STRIPE_API_KEY``) that say its value is a secret,
# in a .env file or a source line: broader than :func:`secret_name`, since a line is not a setting.
SECRET_WORDS = frozenset({"SECRET", "PASSWORD", "PASSWD", "PWD", "TOKEN", "APIKEY", "CREDENTIALS", "PRIVATE"})
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def secret_key(name: str) -> bool:
    """A setting, dict key or variable whose value is a secret: ``SECRET_KEY``, a credential,
    a database's ``PASSWORD``, or a name with a secret word (``DB_PASSWORD``, ``GITHUB_TOKEN``)."""
    upper = name.upper()
    if secret_name(upper) or upper == "PASSWORD":
        return True
    words = set(upper.replace("-", "_").split("_"))
    return bool(words & SECRET_WORDS) and "PUBLIC" not in words and "PUBLISHABLE" not in words


def _entry_secret(key: Value, item: Value, secret: bool) -> bool:
    """Whether a dict entry's strings are secrets: those of a secret (``secret``), and those
    under a key that names one (``"PASSWORD"``), unless the entry is itself a dict, whose own
    keys say which of its strings are secrets (drf-yasg's ``"token": {"in": "header"}``)."""
    named = isinstance(key, Literal) and isinstance(key.value, str) and secret_key(key.value)
    return secret or (named and not isinstance(item, DictValue))


# Django's settings whose names hold a secret word and whose values are no secret.
PUBLIC_SETTINGS = frozenset({"AUTH_PASSWORD_VALIDATORS", "PASSWORD_HASHERS", "PASSWORD_RESET_TIMEOUT"})


def secret_setting(name: str) -> bool:
    """A setting whose value is never printed: ``SECRET_KEY``, a credential, or one a
    secret word names (``SECRET_KEY_FALLBACKS``, ``JWT_PRIVATE_KEY``), except Django's
    own settings that only name one (``AUTH_PASSWORD_VALIDATORS``)."""
    return secret_name(name) or (secret_key(name) and name not in PUBLIC_SETTINGS)


def _secret_strings(value: Value | None, secret: bool, depth: int = 0) -> Iterator[str]:
    """The non-empty strings in ``value`` that are secrets: all of them when the value is a
    secret's (``secret``); in a dict, those under a key that names a secret."""
    if value is None or depth > 20:
        return
    if isinstance(value, Literal):
        if secret and isinstance(value.value, str) and value.value:
            yield value.value
    elif isinstance(value, EnvRead):
        yield from _secret_strings(value.default, secret or secret_key(value.var or ""), depth + 1)
    elif isinstance(value, ListValue):
        for item in value.items:
            yield from _secret_strings(item, secret, depth + 1)
    elif isinstance(value, DictValue):
        for key, item in value.entries:
            yield from _secret_strings(item, _entry_secret(key, item, secret), depth + 1)


def secret_values(model: SettingsModel | None) -> set[str]:
    """Every literal secret the settings hold: each string a secret setting (``SECRET_KEY``,
    ``EMAIL_HOST_PASSWORD``, :func:`secret_setting`) or a secret key of a dict
    (``DATABASES[...]["PASSWORD"]``) may take, fallbacks of environment reads included."""
    found: set[str] = set()
    if model is None:
        return found
    for name, binding in model.settings.items():
        for value in binding.values:
            found.update(_secret_strings(value, secret_setting(name)))
    return found


def redact_value(value: Value, secret: bool = False, depth: int = 0) -> Value:
    """``value`` with its secrets redacted: every string (and number) when it is a secret's
    (``secret``), the fallback of a read of a variable that names a secret (``DB_PWD``),
    those under a dict key that names a secret, and the password of any URL in a string.
    The one redaction of values, for ``djhlint settings`` and ``djhlint env`` alike."""
    from dataclasses import replace

    if depth > 20:
        return value
    if isinstance(value, Literal):
        if secret and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
            return replace(value, value=redacted(str(value.value)))
        if not isinstance(value.value, str) or not value.value:
            return value
        return replace(value, value=redacted(value.value) if secret else redact_text(value.value))
    if isinstance(value, EnvRead):
        if value.default is None:
            return value
        return replace(value, default=redact_value(value.default, secret or secret_key(value.var or ""), depth + 1))
    if isinstance(value, ListValue):
        return replace(value, items=tuple(redact_value(item, secret, depth + 1) for item in value.items))
    if isinstance(value, DictValue):
        entries = []
        for key, item in value.entries:
            entries.append((key, redact_value(item, _entry_secret(key, item, secret), depth + 1)))
        return replace(value, entries=tuple(entries))
    if secret and value.text:
        return replace(value, text="")  # an unknown's source text may hold the secret
    return value


def url_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Where the password of each URL in ``text`` is (``postgres://user:PASSWORD@host``),
    found in one pass: each ``://`` is looked at once, and no scan goes past the next."""
    start = text.find("://")
    while start != -1:
        scheme = start
        while scheme > 0 and text[scheme - 1] in _SCHEME_CHARS:
            scheme -= 1
        end = start + 3
        if scheme < start:
            at = end
            while at < len(text) and text[at] not in "/@:" and not text[at].isspace():
                at += 1
            if at < len(text) and text[at] == ":":
                first = at + 1
                at = first
                while at < len(text) and text[at] not in "/@" and not text[at].isspace():
                    at += 1
                if at < len(text) and text[at] == "@" and at > first:
                    yield first, at
                    end = at
        start = text.find("://", end)


def _quoted(text: str, start: int) -> Iterator[tuple[int, int]]:
    """The contents of the quoted strings in ``text`` from ``start`` on (to the end of the
    text when a quote is not closed), escapes included."""
    at = start
    while at < len(text):
        quote = text[at]
        if quote not in "'\"":
            at += 1
            continue
        first = at = at + 1
        while at < len(text) and text[at] != quote:
            at += 2 if text[at] == "\\" else 1
        yield first, min(at, len(text))
        at += 1


def _assigned(line: str, dotenv: bool) -> Iterator[tuple[int, int]]:
    """The secret a line assigns: ``SECRET_KEY = "..."``, ``"PASSWORD": "..."`` and the string
    literals of ``DB_PASSWORD = config("DB_PASSWORD", default="...")`` in source; in a .env
    file, the value of ``SECRET_KEY=...`` (quoted or not)."""
    at = len(line) - len(line.lstrip())
    if line.startswith("export ", at):
        at = len(line) - len(line[at + 7 :].lstrip())
    quote = line[at : at + 1] if line[at : at + 1] in ("'", '"') else ""
    first = at = at + len(quote)
    while at < len(line) and (line[at].isalnum() or line[at] in "_-"):
        at += 1
    name = line[first:at]
    if quote:
        if line[at : at + 1] != quote:
            return
        at += 1
    rest = line[at:].lstrip()
    if not name or not rest or rest[0] not in "=:" or rest.startswith("==") or not secret_key(name):
        return
    value = len(line) - len(rest) + 1
    if dotenv:
        text = line[value:].strip()
        if text:
            begin = line.index(text, value)
            inner = text.strip("'\"")
            yield (begin + text.index(inner), begin + text.index(inner) + len(inner)) if inner else (begin, begin)
        return
    for begin, end in _quoted(line, value):
        literal = line[begin:end]
        if literal and not (literal.isupper() and literal.replace("_", "").isalnum()):  # not an environment variable's name
            yield begin, end


def _in_word(text: str, at: int, edge: str) -> bool:
    """Whether the character at ``at`` continues the word that a secret's ``edge`` character
    ends: a secret found inside a longer word (``header`` in ``Host-header``) is not that secret."""
    if not 0 <= at < len(text) or not (edge.isalnum() or edge in "_-"):
        return False
    return text[at].isalnum() or text[at] in "_-"


# In a shell command: a ``NAME=`` word (not inside another word or after ``$``), and ``${NAME:-word}``
# (any of ``-``, ``=``, ``?``, ``+``, with or without ``:``), whose word ends at the next ``$``.
SHELL_ASSIGN_RE = re.compile(r"(?<![\w$])([A-Za-z_]\w*)=")
SHELL_WORD_RE = re.compile(r"\$\{([A-Za-z_]\w*):?[-=?+]([^}$]*)\}")


def _shell_assigned(line: str) -> Iterator[tuple[int, int]]:
    """The secrets a shell command (a Procfile's) sets or falls back on: the value of a
    ``DJANGO_SECRET_KEY=... gunicorn`` word, quoted or not, and the word of
    ``${API_TOKEN:-...}``, when the name names a secret.  Linear: a value is scanned once,
    and no ``NAME=`` inside one is looked at again."""
    last = 0
    for match in SHELL_ASSIGN_RE.finditer(line):
        if match.start() < last or not secret_key(match.group(1)):
            continue
        begin = end = match.end()
        if line[begin : begin + 1] in ("'", '"'):
            close = line.find(line[begin], begin + 1)
            begin, end = begin + 1, len(line) if close == -1 else close
        else:
            while end < len(line) and not line[end].isspace():
                end += 1
        last = end
        yield begin, end
    for match in SHELL_WORD_RE.finditer(line):
        if secret_key(match.group(1)):
            yield match.start(2), match.end(2)


IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _code_literals(text: str) -> Iterator[tuple[int, int]]:
    """In a piece of source quoted alone (a test: ``SECRET_KEY == "..."``,
    ``os.environ.get("API_TOKEN") != "..."``): when a name in it names a secret, each
    string literal in it but the names of environment variables."""
    if any(secret_key(name) for name in IDENTIFIER_RE.findall(text)):
        for begin, end in _quoted(text, 0):
            literal = text[begin:end]
            if literal and not (literal.isupper() and literal.replace("_", "").isalnum()):
                yield begin, end


def _ranges(text: str, known: Collection[str], dotenv: bool, shell: bool = False, code: bool = False) -> list[tuple[int, int]]:
    found = list(url_passwords(text))
    if code:
        found += _code_literals(text)
    for secret in known:
        if len(secret) >= SHORTEST_SEARCHED:
            at = text.find(secret)
            while at != -1:
                end = at + len(secret)
                if not (_in_word(text, at - 1, secret[0]) or _in_word(text, end, secret[-1])):
                    found.append((at, end))
                at = text.find(secret, end)
    offset = 0
    for line in text.split("\n"):
        found += [(offset + begin, offset + end) for begin, end in _assigned(line, dotenv)]
        if shell:
            found += [(offset + begin, offset + end) for begin, end in _shell_assigned(line)]
        offset += len(line) + 1
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(r for r in found if r[1] > r[0]):
        if merged and begin < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def redact_positions(
    text: str,
    known: Collection[str] = (),
    positions: Collection[int] = (),
    dotenv: bool = False,
    ends: Collection[int] = (),
    shell: bool = False,
    code: bool = False,
) -> tuple[str, list[int]]:
    """:func:`redact_text`, and where each of ``positions`` then ``ends`` (offsets in
    ``text``) is in the result: inside a secret, a position moves to the start of its
    redacted form, an end to its end."""
    ranges = _ranges(text, known, dotenv, shell, code)
    if not ranges:
        return text, [*positions, *ends]
    out: list[str] = []
    shift = []  # (start in text, start in result, end in text, end in result)
    last = size = 0
    for begin, end in ranges:
        out.append(text[last:begin])
        size += begin - last
        shown = redacted(text[begin:end])
        shift.append((begin, size, end, size + len(shown)))
        out.append(shown)
        size += len(shown)
        last = end
    out.append(text[last:])

    def moved(position: int, is_end: bool) -> int:
        delta = 0
        for begin, new_begin, end, new_end in shift:
            if position < end or (is_end and position == end):
                if begin < position:
                    return new_end if is_end else new_begin
                break
            delta = new_end - end
        return position + delta

    return "".join(out), [moved(p, False) for p in positions] + [moved(p, True) for p in ends]


def redact_text(text: str, known: Collection[str] = (), dotenv: bool = False, shell: bool = False, code: bool = False) -> str:
    """``text`` with each secret in it redacted: the passwords of URLs, the ``known`` secrets
    (:func:`secret_values`), what a line assigns to a secret's name (:func:`_assigned`),
    in a shell command (``shell``) what it sets or falls back on (:func:`_shell_assigned`),
    and in a piece of source quoted alone (``code``) the literals beside a secret's name
    (:func:`_code_literals`)."""
    return redact_positions(text, known, (), dotenv, shell=shell, code=code)[0]


def procfile_file(path: str) -> bool:
    """Whether a file holds shell commands as a Procfile does (``Procfile``, a misnamed
    ``Procfile.txt`` or ``procfile``), where a secret may be set before a command."""
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower().startswith("procfile")


def dotenv_file(path: str) -> bool:
    """Whether a file is read as a .env file (``.env``, ``.env.production``), where a secret
    is what follows the ``=`` of a secret's name."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    return base == ".env" or base.startswith(".env.")
