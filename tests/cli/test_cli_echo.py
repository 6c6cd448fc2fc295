"""Extension commands of ``janus-client`` (entry-point group ``janus_client.cli``), and the
``echo`` command's registration: loaded only when it runs, an install hint without aiortc.

Real media with ``echo`` is in tests/media/test_cli_echo_media.py.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from janus_anyio._cli import _extensions
from janus_anyio.cli import (
    ENTRY_POINT_GROUP,
    EXIT_CONNECTION,
    EXIT_USAGE,
    CommandRegistry,
    Context,
    Output,
    build_parser,
)

from .conftest import Runner

HERE = __name__  # this module: the fake extensions below are its functions
CALLS: list[argparse.Namespace] = []


async def _hello(ctx: Context, args: argparse.Namespace) -> int:
    CALLS.append(args)
    ctx.out.result({"hello": args.who, "url": ctx.settings.url}, f"hello {args.who}")
    return 7


def register_hello(commands: CommandRegistry) -> None:
    p = commands.add_command("hello", help="say hello", run=_hello, epilog="exit status: 7")
    p.add_argument("who", metavar="WHO")


def register_asyncio_only(commands: CommandRegistry) -> None:
    commands.add_command("aio", help="asyncio only", run=_hello, backends=("asyncio",))


def register_wrong_name(commands: CommandRegistry) -> None:
    commands.add_command("other", help="x", run=_hello)


def register_nothing(commands: CommandRegistry) -> None:
    pass


def register_bad_backend(commands: CommandRegistry) -> None:
    commands.add_command("badloop", help="x", run=_hello, backends=("curio",))


def register_raises(commands: CommandRegistry) -> None:
    raise RuntimeError("boom in register")


def _ep(name: str, value: str) -> importlib.metadata.EntryPoint:
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


@pytest.fixture
def fake_extensions(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    eps = {
        "hello": _ep("hello", f"{HERE}:register_hello"),
        "aio": _ep("aio", f"{HERE}:register_asyncio_only"),
        "wrongname": _ep("wrongname", f"{HERE}:register_wrong_name"),
        "nothing": _ep("nothing", f"{HERE}:register_nothing"),
        "badloop": _ep("badloop", f"{HERE}:register_bad_backend"),
        "raises": _ep("raises", f"{HERE}:register_raises"),
        "missing": _ep("missing", "janus_no_such_module_xyz._cli:register [media]"),
        "info": _ep("info", f"{HERE}:register_hello"),  # a built-in name: ignored
    }
    monkeypatch.setattr(_extensions, "entry_points", lambda: dict(eps))
    CALLS.clear()
    yield
    CALLS.clear()


# -- the real registration -----------------------------------------------------------------


def test_echo_is_registered_with_the_media_extra() -> None:
    eps = {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    assert "echo" in eps, "pip install -e . registers the janus_client.cli entry points"
    echo = eps["echo"]
    assert echo.module == "janus_media._cli"
    assert echo.attr == "register"
    assert echo.extras == ["media"]
    assert _extensions.install_hint(echo) == "pip install 'janus-client[media]'"


def test_help_lists_echo_and_echo_help_loads_it(run_cli: Runner) -> None:
    result = run_cli("--help")
    assert result.status == 0
    assert "    echo " in result.out
    assert "EchoTest" in result.out
    result = run_cli("echo", "--help")
    assert result.status == 0
    assert "--duration SECONDS" in result.out
    assert "--ice-server URL" in result.out
    assert "4    Janus answered but no media came back" in result.out


def test_build_parser_loads_every_extension() -> None:
    parser = build_parser()
    args = parser.parse_args(["echo", "ws://127.0.0.1:1", "--duration", "2.5", "--json"])
    assert (args.target, args.duration, args.json) == ("ws://127.0.0.1:1", 2.5, True)
    assert args.backends == ("asyncio",)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_other_commands_do_not_import_the_media_layer() -> None:
    done = _python(
        "import sys\n"
        "from janus_anyio.cli import main\n"
        "status = main(['--url', 'ws://127.0.0.1:1', '--timeout', '1', 'info'], environ={})\n"
        "print(status, 'janus_media' in sys.modules, 'aiortc' in sys.modules)\n"
    )
    assert done.stdout.split() == [str(EXIT_CONNECTION), "False", "False"], done.stderr


def test_echo_without_aiortc_says_what_to_install() -> None:
    done = _python(
        "import sys\n"
        "sys.modules['aiortc'] = None  # as if not installed: importing it fails\n"
        "from janus_anyio.cli import main\n"
        "print(main(['echo', 'ws://127.0.0.1:1'], environ={}))\n"
        "print(main(['--help'], environ={}))\n"
    )
    lines = done.stdout.splitlines()
    assert lines[0] == str(EXIT_USAGE), done.stderr
    assert "pip install 'janus-client[media]'" in done.stderr
    assert "aiortc" in done.stderr
    assert "Traceback" not in done.stderr
    # --help still works, and lists echo with the hint.
    assert lines[-1] == "0"
    assert "echo" in done.stdout
    assert "(needs: pip install 'janus-client[media]')" in done.stdout


# -- the extension point -------------------------------------------------------------------


@pytest.mark.usefixtures("fake_extensions")
def test_extension_runs_and_returns_its_status(run_cli: Runner) -> None:
    result = run_cli("--url", "ws://127.0.0.1:9", "hello", "world", "--json")
    assert result.status == 7
    assert result.json() == {"hello": "world", "url": "ws://127.0.0.1:9"}
    assert len(CALLS) == 1
    result = run_cli("hello", "you")
    assert result.status == 7
    assert result.out == "hello you\n"


@pytest.mark.usefixtures("fake_extensions")
def test_extension_help(run_cli: Runner) -> None:
    result = run_cli("hello", "--help")
    assert result.status == 0
    assert "Say hello." in result.out
    assert "exit status: 7" in result.out
    assert "janus-client --help" in result.out
    result = run_cli("--help")
    assert "    hello" in result.out
    assert "(needs: pip install 'janus-client[media]')" in result.out  # missing
    assert "(broken: see janus-client raises)" in result.out


@pytest.mark.usefixtures("fake_extensions")
def test_extension_usage_error(run_cli: Runner) -> None:
    result = run_cli("hello")
    assert result.status == EXIT_USAGE
    assert "WHO" in result.err
    assert not CALLS


@pytest.mark.usefixtures("fake_extensions")
def test_backend_restriction(run_cli: Runner) -> None:
    result = run_cli("--backend", "trio", "aio")
    assert result.status == EXIT_USAGE
    assert "aio runs on asyncio only" in result.err
    assert not CALLS


@pytest.mark.usefixtures("fake_extensions")
@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("missing", "needs more packages: pip install 'janus-client[media]'"),
        ("wrongname", "the entry point 'wrongname' must add the command 'wrongname'"),
        ("nothing", "added no command"),
        ("badloop", "backends must be asyncio and/or trio"),
        ("raises", "boom in register"),
    ],
)
def test_broken_extensions_exit_2_naming_the_problem(
    run_cli: Runner, command: str, message: str
) -> None:
    result = run_cli(command, "--json")
    assert result.status == EXIT_USAGE
    assert message in result.err
    assert result.json()["error"]["kind"] == "usage"
    assert "Traceback" not in result.err


@pytest.mark.usefixtures("fake_extensions")
def test_builtin_wins_over_an_extension_of_the_same_name(run_cli: Runner) -> None:
    result = run_cli("--url", "ws://127.0.0.1:1", "--timeout", "1", "info")
    assert result.status == EXIT_CONNECTION  # the built-in info ran (and found no server)
    assert "ignored the 'info' command" in result.err
    assert not CALLS


@pytest.mark.usefixtures("fake_extensions")
def test_builtin_commands_do_not_load_extensions(
    run_cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[str] = []
    real = _extensions.load

    def spy(ep: importlib.metadata.EntryPoint, factory: _extensions.ParserFactory) -> object:
        loaded.append(ep.name)
        return real(ep, factory)

    monkeypatch.setattr(_extensions, "load", spy)
    run_cli("--url", "ws://127.0.0.1:1", "--timeout", "1", "ping")
    assert loaded == []
    run_cli("hello", "x")
    assert loaded == ["hello"]


def test_registry_rejects_a_second_command() -> None:
    parser = argparse.ArgumentParser()
    subs = parser.add_subparsers()
    registry = CommandRegistry("one", lambda name, help, epilog: subs.add_parser(name))
    registry.add_command("one", help="x", run=_hello)
    assert registry.added
    with pytest.raises(ValueError, match="added already"):
        registry.add_command("one", help="x", run=_hello)


def test_json_mode_of_a_missing_extension_is_a_document(
    run_cli: Runner, fake_extensions: None
) -> None:
    result = run_cli("--json", "missing")
    doc = json.loads(result.out)
    assert doc["error"]["kind"] == "usage"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_line_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    out = Output(secrets=["s3cr3t-value"])
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stderr", plain)
    assert out.status("working") is False
    assert plain.getvalue() == ""
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert out.status("working with s3cr3t-value") is True
    assert out.status("still working") is True
    out.note("an event")  # clears the status line first
    assert tty.getvalue() == (
        "\r\x1b[Kworking with ***" + "\r\x1b[Kstill working" + "\r\x1b[K" + "an event\n"
    )
