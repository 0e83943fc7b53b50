"""Which settings hold a credential, and which literals are real ones.

Shared by the rule that flags a committed credential (DJH112), by the settings view
and by ``djhlint env``, which redact such values wherever they print them.
"""

from __future__ import annotations

import re

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
