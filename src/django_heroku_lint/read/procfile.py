"""Parsing a Procfile into processes, and the web server command inside each one."""

from __future__ import annotations

import posixpath
import re

from ..ftypes import Span
from .records import Procfile, ProcfileLine, Process, ShellVar

# The command runs to the end of the line; its trailing blanks are stripped in Python
# (a lazy ``.*?`` before ``[ \t]*$`` rescans them at every character: quadratic).
PROCESS_RE = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)[ \t]*:[ \t]*(?P<command>.*)")
ENV_ASSIGN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SHELL_PROGRAMS = ("heroku", "git", "pip", "pip3", "python", "python3", "gunicorn", "cd", "export", "source", "npm")
SERVERS = ("gunicorn", "uvicorn", "daphne", "waitress-serve", "hypercorn", "granian", "uwsgi")
SEPARATORS = ("&&", "||", ";", "|")
# Options of each server that take a value as the next argument (so it is not the app).
VALUE_OPTIONS = {
    "-b", "--bind", "-w", "--workers", "-k", "--worker-class", "-c", "--config", "--chdir", "-t", "--timeout",
    "--log-file", "--error-logfile", "--access-logfile", "--log-level", "--threads", "-e", "--env", "--host",
    "--port", "-p", "--max-requests", "--max-requests-jitter", "--keep-alive", "--graceful-timeout",
    "--worker-connections", "--access-logformat", "--forwarded-allow-ips", "--pythonpath", "--settings", "-u",
    "--user", "-g", "--group", "--name", "-n", "--preload-app", "--log-config", "--statsd-host", "--capture-output-x",
    "--workers-x", "--app-dir", "--root-path", "--proxy-headers-x", "--listen", "--call-x", "-i", "--interface",
    "--backlog", "--limit-concurrency", "--ws", "--loop", "--http", "--lifespan", "--env-file", "--log-config-x",
    "--uds", "--fd", "--reload-dir", "--timeout-keep-alive", "--ssl-keyfile", "--ssl-certfile", "--worker-tmp-dir",
}


# A variable's head: ``$NAME``, or ``${NAME`` and its operator; the word of ``${NAME:-word}``
# runs to the next ``}``, which is looked for apart (a regex would rescan the rest of the
# line from every ``${`` that has none).
SHELL_VAR_RE = re.compile(r"\$(?:(?P<plain>[A-Za-z_][A-Za-z0-9_]*)|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-=?+])?)")


def shell_vars(process: Process) -> list[ShellVar]:
    """The variables the shell expands in ``process``'s command, in order: ``$PORT``,
    ``${WEB_CONCURRENCY:-2}``; not inside single quotes, nor after a backslash.  Linear
    in the command's length."""
    command = process.command
    found: list[ShellVar] = []
    index, quoted, length = 0, False, len(command)  # quoted: inside "..."
    unclosed = length  # from here on no "}" is left
    while index < length:
        char = command[index]
        if char == "\\":
            index += 2
            continue
        if char == "'" and not quoted:
            close = command.find("'", index + 1)
            index = length if close == -1 else close + 1
            continue
        if char == '"':
            quoted = not quoted
        elif char == "$":
            match = SHELL_VAR_RE.match(command, index)
            name, end, word = (match.group("plain") or match.group("name"), -1, "") if match is not None else ("", -1, "")
            if match is not None and match.group("plain"):
                end = match.end()
            elif match is not None:
                close = command.find("}", match.end()) if match.end() < unclosed else -1
                if close == -1:
                    unclosed = min(unclosed, match.end())
                elif match.group("op") or close == match.end():  # ${NAME:-word}, ${NAME}; not ${NAME[0]} nor ${NAME/a/b}
                    end, word = close + 1, command[match.end() : close]
            if match is not None and end != -1:
                col = process.command_col + index
                span = Span(process.span.file, process.line, col, process.line, col + end - index)
                found.append(ShellVar(name, span, match.group("op") or "", word))
                index = end
                continue
        index += 1
    return found


def parse_procfile(path: str, text: str) -> Procfile:
    procfile = Procfile(path=path)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = PROCESS_RE.match(line.lstrip("\ufeff"))
        if not match:
            procfile.bad_lines.append(_bad_line(path, number, line))
            continue
        command = match.group("command").rstrip(" \t")
        if not command:
            start = len(line) - len(line.lstrip())
            procfile.bad_lines.append(
                ProcfileLine(number, line, Span(path, number, start + 1, number, len(line.rstrip()) + 1), f"no command after `{match.group('name')}:`")
            )
        command_col = match.start("command") + 1 + (len(line) - len(line.lstrip("\ufeff")))
        process = Process(
            name=match.group("name"),
            command=command,
            line=number,
            command_col=command_col,
            span=Span(path, number, 1, number, len(line) + 1),
        )
        _analyse_command(process, path)
        procfile.processes.append(process)
    return procfile


def _bad_line(path: str, number: int, line: str) -> ProcfileLine:
    """Why Heroku skips a line that is not ``name: command``."""
    text = line.lstrip("\ufeff")
    stripped = text.strip()
    start = len(line) - len(line.lstrip("\ufeff \t"))
    span = Span(path, number, start + 1, number, start + len(stripped) + 1)
    first = stripped.lstrip("$> ").split(" ", 1)[0]
    if text != text.lstrip() and PROCESS_RE.match(stripped):
        reason = "it is indented: the process name must start the line"
    elif stripped.startswith(("$ ", "> ")) or first in SHELL_PROGRAMS:
        reason = f"it is a shell command (`{first}`), not `name: command`"
    elif ":" not in stripped or re.search(r"[\s=]", stripped.split(":", 1)[0].strip()):
        reason = "it has no `name:` before the command"
    else:
        name = stripped.split(":", 1)[0].strip()
        reason = f"`{name}` is not a process name (letters, digits, `_` and `-` only)"
    return ProcfileLine(number, line, span, reason)


def _tokens(command: str) -> list[tuple[str, int, int]]:
    """Shell-like words of a command, unquoted, with their start and end offsets in it.

    ``&&``, ``||``, ``;`` and ``|`` are words of their own.  Unbalanced quotes run to
    the end of the command, as a forgiving reader should.
    """
    tokens: list[tuple[str, int, int]] = []
    index, length = 0, len(command)
    while index < length:
        char = command[index]
        if char in " \t":
            index += 1
            continue
        if command.startswith(("&&", "||"), index):
            tokens.append((command[index : index + 2], index, index + 2))
            index += 2
            continue
        if char in ";|":
            tokens.append((char, index, index + 1))
            index += 1
            continue
        start, word = index, []
        while index < length and command[index] not in " \t;|" and not command.startswith("&&", index):
            char = command[index]
            if char in "'\"":
                close = command.find(char, index + 1)
                close = length if close == -1 else close
                word.append(command[index + 1 : close])
                index = close + 1
            elif char == "\\" and index + 1 < length:
                word.append(command[index + 1])
                index += 2
            else:
                word.append(char)
                index += 1
        tokens.append(("".join(word), start, min(index, length)))
    return tokens


def _analyse_command(process: Process, path: str) -> None:
    tokens = _tokens(process.command)
    segments: list[list[tuple[str, int, int]]] = [[]]
    for token in tokens:
        if token[0] in SEPARATORS:
            segments.append([])
        else:
            segments[-1].append(token)
    for segment in segments:
        words = [t[0] for t in segment]
        if len(words) >= 2 and words[0] == "cd":
            process.chdir = _join(process.chdir, words[1])
            continue
        index = 0
        while index < len(words) and ENV_ASSIGN_RE.match(words[index]):
            name, _, value = words[index].partition("=")
            process.env[name] = value
            index += 1
        if index < len(words) and words[index] in ("exec", "env"):
            index += 1
            while index < len(words) and ENV_ASSIGN_RE.match(words[index]):
                name, _, value = words[index].partition("=")
                process.env[name] = value
                index += 1
        if index + 2 < len(words) and words[index].startswith("python") and words[index + 1] == "-m":
            index += 2
        if index >= len(words):
            continue
        program = words[index].rsplit("/", 1)[-1]
        if program not in SERVERS:
            continue
        process.server = program
        args = words[index + 1 :]
        process.server_args = tuple(args)
        start = segment[index][1]
        end = segment[-1][2] if segment[-1][2] > start else len(process.command)
        end = min(max(end, start + len(words[index])), len(process.command))
        process.server_span = Span(
            path, process.line, process.command_col + start, process.line, process.command_col + end
        )
        _server_details(process, args, segment[index + 1 :], path)
        break


SHELLS = ("bash", "sh", "dash", "zsh")
SHELL_BLOCKS = ("if", "case", "for", "while", "until", "function", "select")
MAX_SCRIPT_LINES = 200


def script_of(process: Process) -> str | None:
    """The shell script a process runs instead of a server (``bash ./run.sh``,
    ``./start.sh``, ``sh scripts/web.sh``), relative to the build root; ``None`` for
    anything else (a server, ``bash -c "..."``, a script outside the build)."""
    if process.server is not None:
        return None
    words = [word for word, _, _ in _tokens(process.command)]
    if words[:1] == ["cd"] and len(words) > 3 and words[2] == "&&":
        words = words[3:]  # `cd backend && ./run.sh`: the chdir is the process's
    if any(word in SEPARATORS for word in words):
        return None
    index = 0
    while index < len(words) and (ENV_ASSIGN_RE.match(words[index]) or words[index] == "exec"):
        index += 1
    if index < len(words) and words[index] in SHELLS:
        index += 1
        if index < len(words) and words[index].startswith("-"):
            return None  # `bash -c "..."`, `sh -e run.sh`: not a plain script
    if index != len(words) - 1:
        return None
    script = words[index]
    if "$" in script or script.startswith("/") or not (script.endswith(".sh") or script.startswith("./")):
        return None
    path = posixpath.normpath(posixpath.join(process.chdir or "", script))
    return None if path.startswith("../") or path == ".." else path


def server_in_script(process: Process, path: str, text: str) -> Process | None:
    """The web process as the script ``path`` runs it: its one server line (``exec
    gunicorn ...``), after the script's top-level ``cd`` and ``export`` lines; ``None``
    when the script has no server line, several, or one djhlint cannot read plainly
    (inside a function, a branch or a loop, or continued with a backslash)."""
    lines = text.splitlines()
    if len(lines) > MAX_SCRIPT_LINES:
        return None
    chdir, env = process.chdir, dict(process.env)
    found: Process | None = None
    nested = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        candidate = Process(name=process.name, command=stripped, line=number, command_col=len(line) - len(line.lstrip()) + 1,
                            span=Span(path, number, 1, number, len(line) + 1))
        _analyse_command(candidate, path)
        if candidate.server is None:
            words = [word for word, _, _ in _tokens(stripped)]
            if words[0] in SHELL_BLOCKS or stripped.endswith(("{", "()")):
                nested = True  # what follows may run conditionally, or never
            if line[:1] in " \t":
                continue
            if len(words) == 2 and words[0] == "cd" and found is None:
                chdir = _join(chdir, words[1])
            elif words[:1] == ["export"] and found is None:
                for word in words[1:]:
                    if ENV_ASSIGN_RE.match(word):
                        name, _, value = word.partition("=")
                        env[name] = value
            continue
        if found is not None or nested or line[:1] in " \t" or stripped.endswith("\\"):
            return None
        found = candidate
    if found is None:
        return None
    found.env = {**env, **found.env}
    found.chdir = _join(chdir, found.chdir) if found.chdir else chdir
    return found


def manage_py_runs(process: Process, path: str) -> list[tuple[str, str, Span]]:
    """Each ``python manage.py ...`` of a process (``python3``, ``python -u``, a path
    such as ``backend/manage.py`` too), as (the folder the command runs in, the script
    as written, where it is), after any ``cd dir &&``; none after a ``cd`` to a folder
    that cannot be known (``cd $APP_HOME``)."""
    found: list[tuple[str, str, Span]] = []
    folder = ""
    segment: list[tuple[str, int, int]] = []
    for token in [*_tokens(process.command), ("&&", -1, -1)]:
        if token[0] not in SEPARATORS:
            segment.append(token)
            continue
        words = [word for word, _, _ in segment]
        if len(words) >= 2 and words[0] == "cd":
            if "$" in words[1] or "~" in words[1]:
                return found
            folder = _join(folder, words[1])
        else:
            index = 0
            while index < len(words) and (ENV_ASSIGN_RE.match(words[index]) or words[index] in ("exec", "env")):
                index += 1
            if index < len(words) and re.fullmatch(r"python(?:3(?:\.\d+)?)?", words[index]):
                index += 1
                while index < len(words) and words[index] in ("-u", "-B", "-O"):
                    index += 1
                if index < len(words) and (words[index] == "manage.py" or words[index].endswith("/manage.py")):
                    _, start, end = segment[index]
                    span = Span(path, process.line, process.command_col + start, process.line, process.command_col + end)
                    found.append((folder, words[index], span))
        segment = []
    return found


def _join(base: str | None, folder: str) -> str:
    """``cd src`` then ``--chdir app`` runs in ``src/app``."""
    if not base or folder.startswith("/") or base in (".", "./"):
        return folder
    return posixpath.join(base, folder)


def _server_details(process: Process, args: list[str], tokens: list[tuple[str, int, int]] | None = None, path: str = "") -> None:
    skip = False
    for position, arg in enumerate(args):
        if skip:
            skip = False
            continue
        option, eq, value = arg.partition("=")
        if arg.startswith("-"):
            if option == "--pythonpath":
                given = value if eq else (args[position + 1] if position + 1 < len(args) else "")
                process.pythonpath += tuple(p for p in given.split(",") if p)
            if option in ("--chdir", "--app-dir"):
                if eq:
                    process.chdir = _join(process.chdir, value)
                elif position + 1 < len(args):
                    process.chdir = _join(process.chdir, args[position + 1])
            if option in ("-e", "--env"):
                assignment = value if eq else (args[position + 1] if position + 1 < len(args) else "")
                name, _, env_value = assignment.partition("=")
                if name:
                    process.env[name] = env_value
            if not eq and option in VALUE_OPTIONS:
                skip = True
            continue
        if process.app_module is None and re.match(r"^[A-Za-z_][\w.]*(:[\w.()]+)?$", arg):
            process.app_module = arg.split(":", 1)[0]
            if tokens is not None and position < len(tokens):
                _, start, end = tokens[position]
                process.app_span = Span(path, process.line, process.command_col + start, process.line, process.command_col + end)


def has_log_file(process: Process) -> bool:
    """True when gunicorn is told to log errors to stdout/stderr (``--log-file -``)."""
    args = process.server_args
    for index, arg in enumerate(args):
        option, eq, value = arg.partition("=")
        if option in ("--log-file", "--error-logfile", "--error-log"):
            target = value if eq else (args[index + 1] if index + 1 < len(args) else "")
            if target == "-":
                return True
    return False
