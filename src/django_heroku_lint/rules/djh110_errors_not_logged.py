from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix, Span
from ..edit.intents import AddStatement
from ..model.values import Binding, DictValue, ListValue, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import setting, settings_span

SETTINGS = 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n\nSTATIC_URL = "static/"\n'
LOGGING = (
    'LOGGING = {\n    "version": 1,\n    "disable_existing_loggers": False,\n'
    '    "handlers": {"console": {"class": "logging.StreamHandler"}},\n'
    '    "root": {"handlers": ["console"], "level": "WARNING"},\n}'
)
COMMENT = "Warnings and errors (the tracebacks of 500s) to the console, where heroku logs reads them"
FIXED_LOGGING = f"\n# {COMMENT}\n{LOGGING}\n"
# Handler classes that never write to a stream heroku logs reads; any other class may.
NOT_STREAMS = {
    "logging.FileHandler",
    "logging.NullHandler",
    "logging.handlers.RotatingFileHandler",
    "logging.handlers.TimedRotatingFileHandler",
    "logging.handlers.WatchedFileHandler",
    "logging.handlers.SMTPHandler",
    "django.utils.log.AdminEmailHandler",
}
DEBUG_ONLY = "django.utils.log.RequireDebugTrue"
# Settings and middleware of error trackers: errors reach their dashboards, not the logs.
TRACKER_SETTINGS = ("ROLLBAR", "BUGSNAG", "RAVEN_CONFIG", "SENTRY_DSN")
TRACKER_MIDDLEWARE = ("rollbar.", "bugsnag.", "raven.")

NO_LOGGING = "no LOGGING is set"
NO_STREAM = "LOGGING sends no django.request errors to a stream handler"
DISABLED = "LOGGING leaves disable_existing_loggers at True without configuring the django loggers, which silences django.request"
DJANGO_HEROKU = "django_heroku.settings() replaces LOGGING with its own, which only configures a logger named testlogger"


def _dict(value: Value | None) -> DictValue | None:
    """A dict display whose keys are all literal strings; an empty one for no value."""
    if value is None:
        return DictValue((), Span(""))
    if isinstance(value, DictValue) and all(isinstance(k, Literal) and isinstance(k.value, str) for k, _ in value.entries):
        return value
    return None


def _bool(value: Value | None, default: bool) -> bool | None:
    if value is None:
        return default
    if isinstance(value, Literal) and isinstance(value.value, bool):
        return value.value
    return None


class _Unknown(Exception):
    """The configuration holds something djhlint does not follow: the rule stays silent."""


def _streams(handler: Value | None, handlers: DictValue, filters: DictValue) -> bool:
    """Whether the named handler may write django.request errors to a stream with DEBUG off."""
    if not isinstance(handler, Literal) or not isinstance(handler.value, str):
        raise _Unknown
    config = _dict(handlers.get(handler.value))
    if config is None or not config.entries:
        raise _Unknown
    kind = config.get("class")
    if not isinstance(kind, Literal) or kind.value in (None, ""):
        raise _Unknown
    if kind.value in NOT_STREAMS:
        return False
    names = config.get("filters")
    for name in names.items if isinstance(names, ListValue) else ():
        spec = _dict(filters.get(name.value)) if isinstance(name, Literal) and isinstance(name.value, str) else None
        factory = spec.get("()") if spec is not None else None
        if isinstance(factory, Literal) and factory.value == DEBUG_ONLY:
            return False  # the console handler of Django's own defaults: DEBUG only
    return True


def _handlers(config: Value | None, handlers: DictValue, filters: DictValue) -> tuple[int, bool, bool]:
    """How many handlers a logger's config names, whether one streams, and whether it propagates."""
    logger = _dict(config)
    if logger is None:
        raise _Unknown
    names = logger.get("handlers")
    if names is not None and not isinstance(names, ListValue):
        raise _Unknown
    items = names.items if isinstance(names, ListValue) else ()
    streams = any([_streams(name, handlers, filters) for name in items])
    propagate = _bool(logger.get("propagate"), True)
    if propagate is None:
        raise _Unknown
    return len(items), streams, propagate


def silenced(logging: Value) -> str | None:
    """Why ``django.request`` errors reach no stream under this LOGGING, or None when they
    may reach one (or the configuration is beyond what djhlint follows)."""
    config = _dict(logging)
    if config is None or _bool(config.get("incremental"), False) is not False:
        return None
    disable = _bool(config.get("disable_existing_loggers"), True)
    handlers, filters, loggers = _dict(config.get("handlers")), _dict(config.get("filters")), _dict(config.get("loggers"))
    if disable is None or handlers is None or filters is None or loggers is None:
        return None
    configured = {k.value for k, _ in loggers.entries if isinstance(k, Literal)}
    if disable and not configured & {"django", "django.request"}:
        return DISABLED
    found = 0
    try:
        for name in ("django.request", "django"):
            if name not in configured:
                found += name == "django"  # Django's defaults: a DEBUG-only console and mail_admins
                continue
            count, streams, propagate = _handlers(loggers.get(name), handlers, filters)
            found += count
            if streams:
                return None
            if not propagate:
                return NO_STREAM if found else None
        root = config.get("root") if config.get("root") is not None else loggers.get("")
        if root is not None:
            count, streams, _ = _handlers(root, handlers, filters)
            found += count
            if streams:
                return None
    except _Unknown:
        return None
    return NO_STREAM if found else None  # no handler at all: Python's last resort prints to stderr


def _certainly_true(binding: Binding | None) -> bool:
    return binding is not None and not binding.maybe_unset and all(isinstance(v, Literal) and v.value is True for v in binding.values)


class ErrorsNotLogged(Rule):
    """
    ## What it does
    Flags deployed settings whose `DEBUG` is not certainly on and whose logging sends the
    errors of `django.request` (the tracebacks of 500 responses) to no stream. It fires on:

    - no `LOGGING` at all;
    - a `LOGGING` with no stream handler reachable from `django.request`, counting
      propagation to `django` and the root logger (a file, `NullHandler` or
      `AdminEmailHandler` does not count, nor a handler filtered by `RequireDebugTrue`);
    - a `LOGGING` that leaves `disable_existing_loggers` at its default `True` and
      configures neither `django` nor `django.request` (handlers only on the root logger,
      say), which disables `django.request`.

    `django_heroku.settings(locals())` does not help: it replaces `LOGGING` with a
    configuration whose only logger is named `testlogger` (`django_heroku/core.py`), so
    it is judged like any other `LOGGING` (`logging=False` keeps yours).

    It stays silent when an error tracker is set up in the settings chain:
    `sentry_sdk.init(...)`, `rollbar.init(...)`, `bugsnag.configure(...)`, Rollbar,
    Bugsnag or Raven middleware, a `ROLLBAR`, `BUGSNAG`, `RAVEN_CONFIG` or `SENTRY_DSN`
    setting, and also for `logging.basicConfig(...)` (a stream handler on the root logger)
    and any `LOGGING_CONFIG`; and when `DEBUG_PROPAGATE_EXCEPTIONS = True`, which hands
    the exception to the WSGI server (gunicorn logs its traceback to stderr). It stays
    silent too on a module that sets nothing, on a `LOGGING` it cannot follow (built
    at run time, a handler made by a factory or of a class it does not know), and it does
    not look at levels. A tracker set up outside the settings (in `wsgi.py`, an app's
    `ready()`) is invisible to it.

    ## Why it breaks on Heroku
    `heroku logs` shows what the dynos write to stdout and stderr. With `DEBUG` off,
    Django's default logging sends `django.request` errors to `mail_admins` only: its
    console handler is filtered by `require_debug_true`. A 500 then leaves no traceback
    anywhere you can read, and the usual way out is to turn `DEBUG` on in production,
    which is its own hazard (DJH104).

    ## Fix safety
    When no `LOGGING` is set, the fix adds, after the last statement of the deployed
    settings module and in the quotes the module mostly uses, the basic configuration of
    Django's logging documentation: a console handler on the root logger at `WARNING`,
    with `disable_existing_loggers` off. It is safe: Django's own handlers stay
    (`mail_admins` still mails `ADMINS`), and warnings of loggers without handlers already
    went to stderr through Python's last-resort handler; what changes is that `django`'s
    warnings and errors, by propagation, now reach the console too. There is no fix when
    a `LOGGING` exists: only its author knows where it should send errors.

    | the fix | safety |
    |---|---|
    | adds `LOGGING` with a `logging.StreamHandler` on the root logger at `WARNING` and `disable_existing_loggers` off, after the settings module's last statement | safe |

    ## References
    - Django, "Default logging configuration": https://docs.djangoproject.com/en/stable/ref/logging/#default-logging-configuration
    - Django, "Logging" (examples): https://docs.djangoproject.com/en/stable/topics/logging/#examples
    - Heroku Dev Center, "Logging": https://devcenter.heroku.com/articles/logging
    - django-heroku's `settings()` and its `testlogger`: https://github.com/heroku/django-heroku/blob/master/django_heroku/core.py
    """

    code = "DJH110"
    name = "errors-not-logged"
    message = "{why}: with DEBUG off, Django sends request errors only to mail_admins, so a 500 leaves no traceback in heroku logs; log django to a console handler"

    INVALID = [
        Case(
            {"mysite/settings.py": SETTINGS},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": SETTINGS + FIXED_LOGGING},
        ),
        Case(
            {"mysite/settings.py": SETTINGS.replace('"', "'") + "\nUSE_TZ = True  # keep\n"},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": SETTINGS.replace('"', "'") + "\nUSE_TZ = True  # keep\n" + FIXED_LOGGING.replace('"', "'")},
            note="in the module's quotes, after its last statement",
        ),
        Case(
            {
                "mysite/settings.py": SETTINGS
                + '\nLOGGING = {\n    "version": 1,\n    "handlers": {"console": {"class": "logging.StreamHandler"}},\n'
                '    "root": {"handlers": ["console"], "level": "INFO"},\n}\n'
            },
            expect=["mysite/settings.py:7"],
            note="disable_existing_loggers defaults to True: django.request is disabled",
        ),
        Case(
            {
                "mysite/settings.py": SETTINGS
                + '\nLOGGING = {\n    "version": 1,\n    "disable_existing_loggers": False,\n'
                '    "handlers": {"file": {"class": "logging.FileHandler", "filename": "debug.log"}},\n'
                '    "loggers": {"django": {"handlers": ["file"], "level": "DEBUG", "propagate": True}},\n}\n'
            },
            expect=["mysite/settings.py:7"],
            note="a file on the dyno's disk: nobody reads it, and it is gone at the next restart",
        ),
        Case(
            {
                "mysite/settings.py": "import django_heroku\n\n" + SETTINGS + "\ndjango_heroku.settings(locals())\n",
                "requirements.txt": "Django==5.2.8\ndjango-heroku==0.3.1\ngunicorn==23.0.0\npython-decouple==3.8\n",
            },
            expect=["mysite/settings.py:9"],
            note="django_heroku's LOGGING configures only testlogger",
        ),
        Case(
            {
                "mysite/settings/__init__.py": "",
                "mysite/settings.py": None,
                "mysite/settings/base.py": SETTINGS,
                "mysite/settings/production.py": 'from .base import *  # noqa\n\nALLOWED_HOSTS = [".herokuapp.com"]\n',
            },
            expect=["mysite/settings/base.py:3"],
            fixed={
                "mysite/settings/production.py": 'from .base import *  # noqa\n\nALLOWED_HOSTS = [".herokuapp.com"]\n' + FIXED_LOGGING
            },
            note="the fix goes into the deployed module",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": SETTINGS + "\n" + LOGGING + "\n"}),
        Case(
            {"mysite/settings.py": SETTINGS + "\nDEBUG_PROPAGATE_EXCEPTIONS = True\n"},
            note="the exception reaches gunicorn, which logs its traceback",
        ),
        Case(
            {
                "mysite/settings.py": SETTINGS
                + '\nLOGGING = {\n    "version": 1,\n    "disable_existing_loggers": False,\n'
                '    "handlers": {"console": {"class": "logging.StreamHandler"}},\n'
                '    "loggers": {"django": {"handlers": ["console"], "level": "INFO"}},\n}\n'
            }
        ),
        Case(
            {
                "mysite/settings.py": "import sentry_sdk\n\n" + SETTINGS + '\nsentry_sdk.init(dsn=config("SENTRY_DSN", default=""))\n',
            },
            note="errors go to Sentry",
        ),
        Case({"mysite/settings.py": "import logging\n\n" + SETTINGS + "\nlogging.basicConfig(level=logging.INFO)\n"}),
        Case(
            {
                "mysite/settings.py": SETTINGS
                + '\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n'
                '    "rollbar.contrib.django.middleware.RollbarNotifierMiddleware",\n]\n'
            }
        ),
        Case({"mysite/settings.py": "DEBUG = True\n"}, note="errors show on the page (DJH104's business)"),
        Case({"mysite/settings.py": ""}, note="an empty module: nothing to judge"),
        Case({"mysite/settings.py": SETTINGS + "\nLOGGING = get_logging_config()\n"}, note="built at run time: not followed"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None or not ctx.settings.complete or not ctx.settings.settings:
            return  # a module that sets nothing is no deployment to judge
        debug = setting(ctx, "DEBUG")
        if _certainly_true(debug) or _certainly_true(setting(ctx, "DEBUG_PROPAGATE_EXCEPTIONS")):
            return  # debug pages, or the exception reaches the WSGI server, which logs its traceback
        if any(kind == "error-tracker" for kind, _ in ctx.settings.events):
            return
        if any(setting(ctx, name) is not None for name in (*TRACKER_SETTINGS, "LOGGING_CONFIG")):
            return
        middleware = setting(ctx, "MIDDLEWARE")
        for value in middleware.values if middleware is not None else ():
            items = value.items if isinstance(value, ListValue) else ()
            if any(isinstance(item, Literal) and str(item.value).startswith(TRACKER_MIDDLEWARE) for item in items):
                return
        logging = setting(ctx, "LOGGING")
        if logging is None:
            span = debug.sites[-1] if debug is not None and debug.sites else settings_span(ctx)
            yield self.diagnostic(ctx, span, fix=self.logging_fix(ctx), why=NO_LOGGING)
            return
        if logging.maybe_unset or not logging.values:
            return
        reasons = [silenced(value) for value in logging.values]
        if any(reason is None for reason in reasons):
            return
        site = logging.sites[-1] if logging.sites else settings_span(ctx)
        why = DJANGO_HEROKU if site in ctx.settings.django_heroku_calls else str(reasons[0])
        yield self.diagnostic(ctx, site, why=why)

    def logging_fix(self, ctx: Context) -> Fix | None:
        """Add the basic LOGGING after the last top-level statement of the deployed module that
        sets a setting."""
        assert ctx.settings is not None
        sites = [site for binding in ctx.settings.settings.values() for site in binding.sites if site.file == ctx.settings.path]
        sites += [ref.site for ref in ctx.settings.chain if ref.site is not None and ref.site.file == ctx.settings.path]
        if not sites:
            return None
        last = max(sites, key=lambda s: (s.line, s.col))
        statement = AddStatement(last, LOGGING, comment=COMMENT, match_quotes=True)
        return Fix(SAFE, "add a LOGGING that sends warnings and errors to the console", intents=(statement,))
