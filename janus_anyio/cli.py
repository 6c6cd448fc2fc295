"""``janus-client``: a command line for people who run Janus 1.1.2.

``janus-client --help`` lists the commands; every command takes ``--json``. Secrets come from
flags or, better (flags show in process lists), from the environment; they are never printed.
Run in-process with :func:`main` (it returns the exit status instead of exiting).

Other packages add commands through the entry-point group ``janus_client.cli``
(:data:`ENTRY_POINT_GROUP`): the entry point, named like the command, is a function taking a
:class:`CommandRegistry` (``janus_media`` adds ``echo`` this way, as janus_anyio may not
import it). They are imported only when their command runs or help is asked for.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import io
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import anyio
import attrs

import janus_proto as jp

from ._cli import _admin, _extensions, _janus
from ._cli._context import DEFAULT_ADMIN_URL, DEFAULT_URL, Context, Settings
from ._cli._extensions import ENTRY_POINT_GROUP, CommandRegistry, ExtensionCommand
from ._cli._output import Output, scrub
from ._errors import RequestTimeout, SessionClosed, TransportError, unwrap_group

if sys.version_info < (3, 11):  # pragma: no cover - 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = [
    "main",
    "build_parser",
    "EXIT_OK",
    "EXIT_ERROR",
    "EXIT_USAGE",
    "EXIT_CONNECTION",
    "ENTRY_POINT_GROUP",
    "CommandRegistry",
    "ExtensionCommand",
    "Context",
    "Settings",
    "Output",
]

#: The command did what was asked.
EXIT_OK = 0
#: Janus or a plugin answered with an error (wrong secret, no such session or room...).
EXIT_ERROR = 1
#: The command line is wrong (unknown option, bad value, unknown URL scheme...).
EXIT_USAGE = 2
#: The connection failed, was lost, or a request timed out.
EXIT_CONNECTION = 3

#: Environment variables holding credentials (flags take precedence).
SECRET_ENV = ("JANUS_API_SECRET", "JANUS_TOKEN", "JANUS_ADMIN_SECRET", "JANUS_PLUGIN_ADMIN_KEY")
_SECRET_FLAGS = ("--api-secret", "--token", "--admin-secret", "--secret", "--pin", "--admin-key")

_EPILOG = f"""\
exit status:
  {EXIT_OK}    success
  {EXIT_ERROR}    Janus or a plugin answered with an error (wrong secret, unknown session,
       no such room...)
  {EXIT_USAGE}    usage error (unknown command or option, bad value, unsupported URL)
  {EXIT_CONNECTION}    connection refused or lost, or no answer within --timeout
  130  interrupted (Ctrl-C)

environment:
  JANUS_URL               Janus API URL (default {DEFAULT_URL}); ws(s)://, http(s)://...
                          (e.g. http://host:8088/janus) or unix:///path/to/janus.sock
  JANUS_ADMIN_URL         Admin API URL (default {DEFAULT_ADMIN_URL}; or
                          http://host:7088/admin, unix:///path/to/admin.sock)
  JANUS_API_SECRET        the server's api_secret (--api-secret)
  JANUS_TOKEN             a stored or signed token for the Janus API (--token)
  JANUS_ADMIN_SECRET      the server's admin_secret (--admin-secret)
  JANUS_PLUGIN_ADMIN_KEY  a plugin's admin_key (--admin-key of videoroom/streaming)

Flags win over the environment. Prefer the environment for secrets: flags are visible to
other local users. Secrets are never printed, not even in errors or --json output.

Other packages add commands through the entry-point group "janus_client.cli" (the
media extra adds "echo"); a command whose packages are missing says what to install and
exits 2.
"""

_SEE_MAIN = "Exit status and environment variables: janus-client --help."


# -- argument types ----------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _on_off(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("on", "true", "yes", "1"):
        return True
    if lowered in ("off", "false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {text!r}")


# -- the parser --------------------------------------------------------------------------

#: The destinations of the global options (left out of usage lines: they fit everywhere).
_GLOBAL_DESTS = frozenset(
    {"url", "admin_url", "api_secret", "token", "admin_secret", "timeout", "json", "backend"}
    | {"cafile"}
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help as written (the epilog's layout is kept); usage lines without the global
    options, which every command accepts and its help lists."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        kept = [a for a in actions if a.dest not in _GLOBAL_DESTS]
        super().add_usage(usage, kept, groups, prefix)


def _global_options(parser: argparse.ArgumentParser) -> None:
    """Options accepted before and after the command (``default=SUPPRESS``: an option given
    after the command is not overwritten by the defaults of the other level)."""
    S = argparse.SUPPRESS
    group = parser.add_argument_group("connection and output")
    group.add_argument("--url", default=S, help="Janus API URL [JANUS_URL]")
    group.add_argument("--admin-url", default=S, help="Admin API URL [JANUS_ADMIN_URL]")
    group.add_argument("--api-secret", default=S, help="api_secret [JANUS_API_SECRET]")
    group.add_argument("--token", default=S, help="auth token [JANUS_TOKEN]")
    group.add_argument("--admin-secret", default=S, help="admin_secret [JANUS_ADMIN_SECRET]")
    group.add_argument(
        "--timeout",
        type=_positive_float,
        default=S,
        metavar="SECONDS",
        help="to connect, and per request (default 10)",
    )
    group.add_argument("--json", action="store_true", default=S, help="print JSON for scripts")
    group.add_argument(
        "--backend",
        choices=("asyncio", "trio"),
        default=S,
        help="event loop to run on (default asyncio; trio needs trio installed)",
    )
    group.add_argument(
        "--cafile", default=S, metavar="PEM", help="CA certificates for wss:// and https://"
    )


class _Tree:
    """Builds nested sub-commands; every leaf takes the global options too."""

    def __init__(
        self, parser: argparse.ArgumentParser, commands: Mapping[str, _admin.Command]
    ) -> None:
        self.commands = commands
        self.root = parser

    def group(
        self, parent: argparse.ArgumentParser, dest: str, title: str
    ) -> argparse._SubParsersAction[argparse.ArgumentParser]:
        return parent.add_subparsers(dest=dest, required=True, metavar="COMMAND", title=title)

    def leaf(
        self,
        subs: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        key: str,
        help: str,
    ) -> argparse.ArgumentParser:
        parser = self.command(subs, name, help, None)
        parser.set_defaults(func=self.commands[key])
        return parser

    def command(
        self,
        subs: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        help: str,
        epilog: str | None,
    ) -> argparse.ArgumentParser:
        """A command's parser with the global options (``func`` is set by the caller: a leaf,
        or an extension; a branch adds subcommands)."""
        parser = subs.add_parser(
            name,
            help=help,
            description=help[:1].upper() + help[1:] + ".",
            allow_abbrev=False,
            epilog=f"{epilog}\n\n{_SEE_MAIN}" if epilog else _SEE_MAIN,
            formatter_class=_Formatter,
        )
        _global_options(parser)
        return parser

    def branch(
        self,
        subs: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        help: str,
    ) -> argparse.ArgumentParser:
        return self.command(subs, name, help, None)


def _add_admin(tree: _Tree, subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = tree.branch(subs, "admin", "the Admin/Monitor API (needs --admin-secret)")
    cmds = tree.group(admin, "admin_command", "admin commands")
    tree.leaf(cmds, "sessions", "sessions", "list the sessions")
    p = tree.leaf(cmds, "handles", "handles", "list the handles of a session")
    p.add_argument("session", type=_positive_int, metavar="SESSION")
    p = tree.leaf(
        cmds, "handle-info", "handle-info", "summarize a handle: ICE, DTLS, packet counters"
    )
    p.add_argument("session", type=_positive_int, metavar="SESSION")
    p.add_argument("handle", type=_positive_int, metavar="HANDLE")
    tree.leaf(cmds, "status", "status", "show the server's runtime settings")
    p = tree.leaf(cmds, "log-level", "log-level", "show the log level, or set it to LEVEL")
    p.add_argument("level", nargs="?", type=int, choices=range(8), metavar="LEVEL")
    for name, _cls, _field, kind, what in _admin.SETTERS:
        p = tree.leaf(cmds, name, name, f"set the {what}")
        if kind is bool:
            p.add_argument("value", type=_on_off, metavar="on|off")
        else:
            p.add_argument("value", type=_int, metavar="VALUE")
        if name == "set-session-timeout":
            p.add_argument(
                "--session", type=_positive_int, help="only this session's timeout (-1: global)"
            )
    p = tree.leaf(cmds, "accept-new-sessions", "accept-new-sessions", "allow new sessions or not")
    p.add_argument("value", type=_on_off, metavar="on|off")
    for name, what in (("hangup", "hang up"), ("detach", "detach")):
        p = tree.leaf(cmds, name, name, f"{what} a handle")
        p.add_argument("session", type=_positive_int, metavar="SESSION")
        p.add_argument("handle", type=_positive_int, metavar="HANDLE")
    p = tree.leaf(cmds, "destroy", "destroy", "destroy a session")
    p.add_argument("session", type=_positive_int, metavar="SESSION")

    tokens = tree.group(
        tree.branch(cmds, "tokens", "manage stored tokens (token_auth without a secret)"),
        "tokens_command",
        "token commands",
    )
    tree.leaf(tokens, "list", "tokens list", "list the stored tokens")
    token_help = "the token ('-' reads it from stdin)"
    p = tree.leaf(tokens, "add", "tokens add", "add a stored token")
    p.add_argument("token", metavar="TOKEN", help=token_help)
    p.add_argument(
        "--plugin",
        dest="plugins",
        action="append",
        metavar="PLUGIN",
        help="allow this plugin only (repeat for more; default: all)",
    )
    p = tree.leaf(tokens, "remove", "tokens remove", "remove a stored token")
    p.add_argument("token", metavar="TOKEN", help=token_help)
    for name, what in (("allow", "allow a token more plugins"), ("disallow", "forbid plugins")):
        p = tree.leaf(tokens, name, f"tokens {name}", what)
        p.add_argument("token", metavar="TOKEN", help=token_help)
        p.add_argument("plugins", nargs="+", metavar="PLUGIN")

    pcap = tree.group(
        tree.branch(cmds, "pcap", "capture a handle's traffic to a file"),
        "pcap_command",
        "capture commands",
    )
    p = tree.leaf(pcap, "start", "pcap start", "start capturing a handle's traffic")
    p.add_argument("session", type=_positive_int, metavar="SESSION")
    p.add_argument("handle", type=_positive_int, metavar="HANDLE")
    p.add_argument("--folder", help="folder on the Janus host (default: Janus's working folder)")
    p.add_argument("--filename", help="file name (default: Janus picks one)")
    p.add_argument("--truncate", type=_positive_int, metavar="BYTES", help="bytes kept per packet")
    p.add_argument("--text", action="store_true", help="text2pcap format instead of pcap")
    p = tree.leaf(pcap, "stop", "pcap stop", "stop capturing")
    p.add_argument("session", type=_positive_int, metavar="SESSION")
    p.add_argument("handle", type=_positive_int, metavar="HANDLE")
    p.add_argument("--text", action="store_true", help="stop a text2pcap capture")


def _add_plugins(tree: _Tree, subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    key_help = "the plugin's admin_key, to see private ones too [JANUS_PLUGIN_ADMIN_KEY]"
    rooms = tree.group(
        tree.branch(subs, "videoroom", "manage VideoRoom rooms"), "room_command", "room commands"
    )
    p = tree.leaf(rooms, "list", "videoroom list", "list the rooms")
    p.add_argument("--admin-key", help=key_help)
    p = tree.leaf(rooms, "create", "videoroom create", "create a room")
    p.add_argument("room", nargs="?", metavar="ROOM", help="its id (default: Janus picks one)")
    p.add_argument("--description")
    p.add_argument("--secret", help="needed later to edit or destroy the room")
    p.add_argument("--pin", help="needed to join")
    p.add_argument("--publishers", type=_positive_int, metavar="N", help="max publishers")
    p.add_argument("--bitrate", type=_positive_int, metavar="BPS", help="publisher bitrate cap")
    p.add_argument("--audiocodec", metavar="LIST", help="e.g. opus,g722")
    p.add_argument("--videocodec", metavar="LIST", help="e.g. vp8,h264")
    p.add_argument("--private", action="store_true", help="not listed without the admin key")
    p.add_argument("--record", action="store_true", help="record the publishers")
    p.add_argument("--rec-dir", metavar="DIR", help="where recordings go (on the Janus host)")
    p.add_argument("--permanent", action="store_true", help="also save it to the config file")
    p.add_argument("--admin-key", help="the plugin's admin_key, if it needs one to create")
    p = tree.leaf(rooms, "destroy", "videoroom destroy", "destroy a room")
    p.add_argument("room", metavar="ROOM")
    p.add_argument("--secret", help="the room's secret")
    p.add_argument("--permanent", action="store_true", help="also remove it from the config")
    p = tree.leaf(rooms, "participants", "videoroom participants", "list a room's participants")
    p.add_argument("room", metavar="ROOM")

    streams = tree.group(
        tree.branch(subs, "streaming", "inspect Streaming mountpoints"),
        "streaming_command",
        "mountpoint commands",
    )
    p = tree.leaf(streams, "list", "streaming list", "list the mountpoints")
    p.add_argument("--admin-key", help=key_help)
    p = tree.leaf(streams, "info", "streaming info", "show a mountpoint")
    p.add_argument("id", metavar="ID")
    p.add_argument("--secret", help="the mountpoint's secret, for ports and viewers")


def build_parser(*, load: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The ``janus-client`` argument parser.

    Commands of other packages (entry-point group ``janus_client.cli``) are imported when
    named in ``load`` (default: all of them); the others are only listed. One that cannot
    be imported is listed with what to install.
    """
    return _build(_extensions.entry_points(), load).parser


@attrs.frozen(kw_only=True)
class _Built:
    parser: argparse.ArgumentParser
    extensions: frozenset[str]  # the extension commands in it (not those named as built-ins)
    failed: Mapping[str, _extensions.ExtensionError]  # those that could not be loaded


def _build(eps: Mapping[str, importlib.metadata.EntryPoint], load: Iterable[str] | None) -> _Built:
    """The parser with the extensions of ``eps`` (``load``: those imported; None: all)."""
    parser = argparse.ArgumentParser(
        prog="janus-client",
        usage="%(prog)s [options] COMMAND ...",
        description="Operate a Janus WebRTC server (1.1.2): server info and ping, the\n"
        "Admin/Monitor API, VideoRoom rooms and Streaming mountpoints.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
        allow_abbrev=False,
    )
    _global_options(parser)
    tree = _Tree(parser, {**_janus.COMMANDS, **_admin.COMMANDS})
    subs = tree.group(parser, "command", "commands")
    p = tree.leaf(subs, "info", "info", "show the server's version, settings and plugins")
    p.add_argument("--admin", action="store_true", help="ask the Admin API (--admin-url)")
    p = tree.leaf(subs, "ping", "ping", "measure round trips to Janus")
    p.add_argument("--admin", action="store_true", help="ping the Admin API (--admin-url)")
    p.add_argument("-c", "--count", type=_positive_int, default=1, help="pings to send (1)")
    p.add_argument(
        "-i", "--interval", type=_positive_float, default=0.2, metavar="SECONDS", help="(0.2)"
    )
    _add_admin(tree, subs)
    _add_plugins(tree, subs)
    extra = {name: ep for name, ep in eps.items() if name not in subs.choices}

    def placeholder(name: str, help: str) -> argparse.ArgumentParser:
        return subs.add_parser(name, help=help, add_help=False)

    failed = _extensions.add_all(
        extra,
        extra if load is None else load,
        lambda name, help, epilog: tree.command(subs, name, help, epilog),
        placeholder,
    )
    return _Built(parser=parser, extensions=frozenset(extra), failed=failed)


# -- running -----------------------------------------------------------------------------


def _argv_secrets(argv: Sequence[str]) -> Iterator[str]:
    """The values given to secret flags, as ``--flag value`` or ``--flag=value``."""
    for i, arg in enumerate(argv):
        for flag in _SECRET_FLAGS:
            if arg == flag and i + 1 < len(argv):
                yield argv[i + 1]
            elif arg.startswith(flag + "="):
                yield arg[len(flag) + 1 :]


def _settings(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Flags, else environment, else defaults.

    Raises:
        ValueError: a setting cannot work (a missing CA file, trio not installed).
    """
    cafile = getattr(args, "cafile", None)
    if cafile is not None and not Path(cafile).is_file():
        raise ValueError(f"--cafile: no such file: {cafile}")
    backend = getattr(args, "backend", "asyncio")
    if backend == "trio" and importlib.util.find_spec("trio") is None:
        raise ValueError("--backend trio needs trio (pip install trio)")
    return Settings(
        url=getattr(args, "url", None) or env.get("JANUS_URL") or DEFAULT_URL,
        admin_url=getattr(args, "admin_url", None)
        or env.get("JANUS_ADMIN_URL")
        or DEFAULT_ADMIN_URL,
        api_secret=getattr(args, "api_secret", None) or env.get("JANUS_API_SECRET") or None,
        token=getattr(args, "token", None) or env.get("JANUS_TOKEN") or None,
        admin_secret=getattr(args, "admin_secret", None) or env.get("JANUS_ADMIN_SECRET") or None,
        timeout=getattr(args, "timeout", 10.0),
        json=getattr(args, "json", False),
        backend=backend,
        cafile=cafile,
    )


def _failure(exc: BaseException) -> tuple[int, str, str, int | None] | None:
    """(exit status, kind, message, Janus code) for an expected failure, else None."""
    match exc:
        case jp.JanusError():
            return EXIT_ERROR, "janus", str(exc), exc.error_code
        case jp.PluginError():
            return EXIT_ERROR, "plugin", str(exc), exc.error_code
        case jp.RemoteProtocolError():
            return EXIT_ERROR, "protocol", f"unexpected answer from Janus: {exc}", None
        case SessionClosed():
            return EXIT_ERROR, "session", str(exc), None
        case RequestTimeout() | TimeoutError():
            return EXIT_CONNECTION, "timeout", str(exc) or "timed out", None
        case TransportError() | OSError():
            return EXIT_CONNECTION, "connection", str(exc) or type(exc).__name__, None
        case jp.LocalProtocolError() | ValueError():
            return EXIT_USAGE, "usage", str(exc), None
    return None


def _emit(out: Output, stdout: str, stderr: str) -> None:
    if stdout:
        sys.stdout.write(scrub(stdout, out.secrets))
    if stderr:
        sys.stderr.write(scrub(stderr, out.secrets))


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError):  # no file descriptor (captured output): nothing to do
        pass


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run ``janus-client`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    ``environ`` replaces ``os.environ`` (for tests).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    out = Output(json_mode="--json" in args_list)
    for value in [env.get(name) for name in SECRET_ENV] + list(_argv_secrets(args_list)):
        out.add_secret(value)
    eps = _extensions.entry_points()
    captured_out, captured_err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(captured_out), redirect_stderr(captured_err):
            built, command = _parser_for(args_list, eps)
            if command not in built.failed:
                args = built.parser.parse_args(args_list)
    except SystemExit as exc:  # --help, or a usage error (argparse exits 2)
        _emit(out, captured_out.getvalue(), captured_err.getvalue())
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    _emit(out, captured_out.getvalue(), captured_err.getvalue())
    for name in sorted(set(eps) - built.extensions):
        out.note(f"janus-client: ignored the {name!r} command of {eps[name].value}: built in")
    if command is not None and command in built.failed:
        out.error("usage", str(built.failed[command]))
        return EXIT_USAGE
    if getattr(args, "admin_key", None) is None and "admin_key" in vars(args):
        args.admin_key = env.get("JANUS_PLUGIN_ADMIN_KEY") or None
    try:
        settings = _settings(args, env)
    except ValueError as exc:
        out.error("usage", str(exc))
        return EXIT_USAGE
    out.json = settings.json
    for secret in (settings.api_secret, settings.token, settings.admin_secret):
        out.add_secret(secret)
    backends = getattr(args, "backends", None)
    if backends is not None and settings.backend not in backends:
        out.error("usage", f"{args.command} runs on {' or '.join(backends)} only (--backend)")
        return EXIT_USAGE
    ctx = Context(settings, out)
    status = EXIT_OK

    async def run() -> None:
        nonlocal status
        result = await args.func(ctx, args)
        status = result if isinstance(result, int) else EXIT_OK

    try:
        anyio.run(run, backend=settings.backend)
    except KeyboardInterrupt:
        out.note("janus-client: interrupted")
        return 130
    except BrokenPipeError:  # stdout closed early (``| head``): what was read is fine
        _silence_stdout()
        return EXIT_OK
    except BaseException as exc:
        error = unwrap_group(exc) if isinstance(exc, BaseExceptionGroup) else exc
        failure = _failure(error)
        if failure is None:
            raise
        status, kind, message, code = failure
        out.error(kind, message, code=code)
        return status
    return status


def _parser_for(
    argv: Sequence[str], eps: Mapping[str, importlib.metadata.EntryPoint]
) -> tuple[_Built, str | None]:
    """The parser for ``argv``, and the command.

    Extension commands are imported only when they run or help is asked for: a first parse
    with them listed only finds the command.

    Raises:
        SystemExit: argparse's, for a usage error in the first parse.
    """
    if "-h" in argv or "--help" in argv:
        return _build(eps, None), None
    listed = _build(eps, ())
    first, _unknown = listed.parser.parse_known_args(argv)
    command: str | None = getattr(first, "command", None)
    if command is None or command not in listed.extensions:
        return listed, command
    return _build(eps, (command,)), command


if __name__ == "__main__":
    sys.exit(main())
