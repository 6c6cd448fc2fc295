"""The runnable examples (examples/*.py), run as their users would: as subprocesses.

The ones that need a server run against a private Janus (every transport, SIP and NoSIP
bound to 127.0.0.1); each must print what it promises and exit 0, and exit 1 with a
one-line reason (no traceback) when nothing listens at its URL. The media examples run in
``tests/media/test_examples_media.py``, inside the network namespace.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins import EchoTestHandle
from janus_anyio.testing import JanusServer
from tests.e2e.conftest import require_janus

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEAD_URL = "ws://127.0.0.1:9"  # the discard port: nothing listens there
ADMIN_SECRET = "examples-admin-secret"

# SIP and NoSIP bind their SIP and RTP sockets to loopback only (facts: janus-api.md).
SIP_JCFG = """general: {
\tlocal_ip = "127.0.0.1"
\tlocal_media_ip = "127.0.0.1"
\tsdp_ip = "127.0.0.1"
\tkeepalive_interval = 0
\tbehind_nat = false
\tevents = false
}
"""
NOSIP_JCFG = """general: {
\tlocal_ip = "127.0.0.1"
\tsdp_ip = "127.0.0.1"
\tevents = false
}
"""


@pytest.fixture(scope="module")
def server() -> Iterator[JanusServer]:
    """A Janus with every stock plugin, WebSocket, HTTP and both admin transports."""
    require_janus()
    with JanusServer(
        admin_secret=ADMIN_SECRET,
        plugin_config={"janus.plugin.sip": SIP_JCFG, "janus.plugin.nosip": NOSIP_JCFG},
    ) as janus:
        yield janus


def run(script: str, *args: str) -> str:
    """Run ``examples/<script>``; return its stdout, failing with its output unless it
    exits 0 within a minute."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, f"{script} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def run_failing(script: str, *args: str) -> str:
    """Run ``examples/<script>`` where it must fail: exit 1, a one-line reason on stderr."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, f"{script} exited {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(script.removesuffix(".py") + ": "), proc.stderr
    return proc.stderr


@pytest.mark.janus
def test_blocking_core(server: JanusServer) -> None:
    out = run("blocking_core.py", server.ws_url)
    assert "server: Janus WebRTC Server 1.1.2" in out
    assert "echotest answered: 'ok'" in out
    assert "detached and destroyed" in out


@pytest.mark.janus
@pytest.mark.parametrize("kind", ["ws", "http"])
def test_trio_client(server: JanusServer, kind: str) -> None:
    out = run("trio_client.py", server.ws_url if kind == "ws" else server.http_url)
    assert "Janus WebRTC Server 1.1.2" in out
    assert "as expected: 476 Username 'alice' already taken" in out
    assert "registered: ('alice',)" in out
    assert "exists=True" in out


@pytest.mark.janus
def test_plugin_tour(server: JanusServer) -> None:
    out = run("plugin_tour.py", server.ws_url)
    expected = [
        "echotest: ok",
        "videocall users: ['alice', 'bob']",
        "videocall: 476 Username 'alice' already taken",
        "videoroom: tour (edited)",
        "videoroom: 433 Unauthorized (wrong secret)",
        "exists after destroy: False",
        "audiobridge rooms:",
        "streaming: tour",
        "textroom rooms:",
        "recordings: []",
        "sip: alice register sent: False",
        "nosip: offer True",
        "voicemail: ",
    ]
    missing = [line for line in expected if line not in out]
    assert not missing, f"missing {missing} in:\n{out}"


@pytest.mark.janus
def test_plugin_tour_refuses_unknown_names(server: JanusServer) -> None:
    assert "unknown plugin tour(s) ['nope']" in run_failing("plugin_tour.py", server.ws_url, "nope")


@pytest.mark.janus
def test_custom_plugin(server: JanusServer) -> None:
    out = run("custom_plugin.py", server.ws_url)
    assert "typed reply: Echoed(result='ok')" in out
    assert "refused locally: Echo.audio must be bool or None, got str" in out
    assert "refused by Janus: InvalidElement 413" in out


@pytest.mark.janus
@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("kind", ["http", "ws"])
async def test_admin_overview(server: JanusServer, kind: str) -> None:
    """With one session and an EchoTest handle open, the overview lists both."""
    admin_url = server.admin_http_url if kind == "http" else server.admin_ws_url
    async with ja.connect(server.ws_url) as janus, janus.session() as session:
        echo = await EchoTestHandle.attach(session)
        proc = await anyio.run_process(
            [sys.executable, str(EXAMPLES / "admin_overview.py"), admin_url],
            env={**os.environ, "JANUS_ADMIN_SECRET": ADMIN_SECRET},
            check=False,
        )
        out = proc.stdout.decode()
        assert proc.returncode == 0, proc.stderr.decode()
        assert f"session {session.id}: 1 handle(s)" in out
        assert f"handle {echo.id}: janus.plugin.echotest: PeerConnection not up" in out


@pytest.mark.janus
def test_admin_overview_wrong_secret(server: JanusServer) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "admin_overview.py"), server.admin_http_url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "JANUS_ADMIN_SECRET": "wrong"},
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("admin_overview: Unauthorized: Janus error 403")


@pytest.mark.parametrize(
    "script",
    ["blocking_core.py", "trio_client.py", "plugin_tour.py", "custom_plugin.py"],
)
def test_examples_fail_cleanly_without_janus(script: str) -> None:
    run_failing(script, DEAD_URL)


def test_admin_overview_fails_cleanly_without_janus() -> None:
    run_failing("admin_overview.py", "http://127.0.0.1:9/admin")


def test_custom_transport() -> None:
    out = run("custom_transport.py")
    assert "rooms: {1000: 'lobby', 1001: 'stage'}" in out
    assert "['info', 'create', 'attach', 'message', 'message', 'message', 'destroy']" in out


@pytest.mark.parametrize(
    ("script", "passed"),
    [
        ("testing_kit_test.py", 3),
        pytest.param("pytest_plugin_test.py", 3, marks=pytest.mark.janus),
    ],
)
def test_example_test_files(script: str, passed: int) -> None:
    """The example test files pass when pytest runs them, as a user would run them."""
    if script == "pytest_plugin_test.py":
        require_janus()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=EXAMPLES.parent,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{passed} passed" in proc.stdout, proc.stdout
    assert "skipped" not in proc.stdout, proc.stdout
