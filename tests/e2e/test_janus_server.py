"""The private-Janus launcher, and live conformance against the installed Janus."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import janus_anyio.testing
import janus_proto as jp
from janus_anyio.testing import JanusServer, JanusStartError

from ..proto.test_transcripts import replay
from .conftest import require_janus

pytestmark = pytest.mark.janus
ROOT = Path(__file__).resolve().parent.parent.parent


def _post(port: int, path: str, obj: dict[str, Any]) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", path, json.dumps(obj))
    body = json.loads(conn.getresponse().read())
    conn.close()
    return body


def test_start_info_stop(janus: JanusServer) -> None:
    info = _post(janus.http_port, "/janus", {"janus": "info", "transaction": "x"})
    assert info["version"] == 1102
    assert "janus.plugin.videoroom" in info["plugins"]
    assert "janus.plugin.lua" not in info["plugins"]
    sessions = _post(
        janus.admin_http_port,
        "/admin",
        {"janus": "list_sessions", "transaction": "y", "admin_secret": janus.admin_secret},
    )
    assert sessions["janus"] == "success"
    assert janus.unix_path.exists()
    assert janus.admin_unix_path.exists()
    assert "janusoverlord" not in repr(janus)


def test_api_secret_restart_and_stop() -> None:
    require_janus()
    server = JanusServer(api_secret="launcher-secret", websockets=False, admin_ws=False)
    server.start()
    try:
        denied = _post(server.http_port, "/janus", {"janus": "create", "transaction": "a"})
        assert denied["error"]["code"] == 403
        port, pid = server.http_port, server.pid
        server.restart()
        assert (server.http_port, server.running) == (port, True)
        assert server.pid != pid
        ok = _post(
            server.http_port,
            "/janus",
            {"janus": "create", "transaction": "b", "apisecret": "launcher-secret"},
        )
        assert ok["janus"] == "success"
    finally:
        pid = server.pid
        server.stop()
    assert not server.running
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_stop_removes_folder_and_is_idempotent() -> None:
    require_janus()
    server = JanusServer(websockets=False, admin_ws=False, admin_http=False)
    with server:
        folder, pid = server.workdir, server.pid
        assert (folder / "conf" / "janus.jcfg").is_file()
        assert server.recordings_dir.is_dir()
        assert "Starting Meetecho Janus" in server.log_text()
    assert not folder.exists()
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    server.stop()  # again: nothing to do


def test_pause_resume_kill() -> None:
    require_janus()
    with JanusServer(websockets=False, admin_ws=False, admin_http=False) as server:
        server.pause()
        # pause() returns once every thread is stopped (not when SIGSTOP is queued).
        threads = list(Path(f"/proc/{server.pid}/task").glob("*/stat"))
        assert len(threads) > 1
        states = {stat.read_text().rsplit(")", 1)[1].split()[0] for stat in threads}
        assert states == {"T"}
        conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=0.5)
        conn.request("POST", "/janus", json.dumps({"janus": "ping", "transaction": "p"}))
        with pytest.raises(TimeoutError):
            conn.getresponse()
        conn.close()
        server.resume()
        pong = _post(server.http_port, "/janus", {"janus": "ping", "transaction": "q"})
        assert pong["janus"] == "pong"
        server.kill()
        assert not server.running


def test_early_exit_raises_with_the_log() -> None:
    require_janus()
    server = JanusServer(
        extra_config={"certificates": {"cert_pem": "/nonexistent.pem", "cert_key": "/x.key"}}
    )
    with pytest.raises(JanusStartError, match="certificate"):
        server.start()
    assert not server.running


def test_no_janus_api_transport_is_refused() -> None:
    with pytest.raises(ValueError, match="transport"):
        JanusServer(http=False, websockets=False)


def test_taken_port_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    """A port someone else listens on is noticed (Janus logs a FATAL) and new ports are used."""
    require_janus()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        real = janus_anyio.testing._free_port
        calls = iter(range(1000))
        monkeypatch.setattr(
            janus_anyio.testing, "_free_port", lambda: taken if next(calls) == 0 else real()
        )
        with JanusServer() as server:
            ports = {server.http_port, server.ws_port, server.admin_http_port}
            assert taken not in ports | {server.admin_ws_port}
            info = _post(server.http_port, "/janus", {"janus": "info", "transaction": "i"})
            assert info["janus"] == "server_info"


def test_live_conformance(tmp_path: Path) -> None:
    """Record every scenario against this machine's Janus and replay it into the core."""
    require_janus()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "record_transcripts.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    recorded = sorted(tmp_path.glob("*.json"))
    assert len(recorded) >= 34
    for path in recorded:
        doc = json.loads(path.read_text())
        events, sent, foreign = replay(doc)
        answered = {e.transaction for e in events if isinstance(e, jp.TransactionEvent)}
        assert answered == set(sent), path.name
        assert not foreign & set(sent)
