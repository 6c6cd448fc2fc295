"""``janus-client`` without a Janus: usage, exit codes, unreachable servers, output helpers.

Every socket is on loopback: unreachable means a free port nobody listens on, or a listener
that never answers.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from janus_anyio._cli._output import MASK, Output, fmt, mask, scrub, table
from janus_anyio._cli._summary import render_summary, summarize_handle
from janus_anyio.cli import (
    EXIT_CONNECTION,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    build_parser,
    main,
)

from .conftest import Runner

SECRET = "offline-s3cr3t-Zq81"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


# -- usage -------------------------------------------------------------------------------


def test_help_documents_exit_codes_and_environment(run_cli: Runner) -> None:
    result = run_cli("--help")
    assert result.status == EXIT_OK
    for text in ("exit status:", "0    success", "3    connection", "JANUS_ADMIN_SECRET"):
        assert text in result.out
    for command in ("info", "ping", "admin", "videoroom", "streaming"):
        assert f"    {command}" in result.out


def test_every_leaf_has_help(run_cli: Runner) -> None:
    leaves = [
        ["info"],
        ["ping"],
        ["admin", "sessions"],
        ["admin", "handle-info"],
        ["admin", "tokens", "allow"],
        ["admin", "pcap", "start"],
        ["admin", "set-no-media-timer"],
        ["videoroom", "create"],
        ["streaming", "info"],
    ]
    for leaf in leaves:
        result = run_cli(*leaf, "--help")
        assert result.status == EXIT_OK, leaf
        assert "janus-client --help" in result.out  # points to exit codes


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nope"],
        ["admin"],
        ["admin", "handles"],
        ["admin", "handles", "0"],
        ["admin", "handle-info", "1", "x"],
        ["admin", "log-level", "9"],
        ["admin", "accept-new-sessions", "maybe"],
        ["admin", "tokens", "allow", "tok"],
        ["ping", "--count", "0"],
        ["--timeout", "-1", "info"],
        ["--backend", "curio", "info"],
        ["info", "--bogus"],
        ["--api-sec", "x", "info"],  # no abbreviations: a secret flag is never guessed
    ],
)
def test_usage_errors_exit_2(run_cli: Runner, argv: list[str]) -> None:
    result = run_cli(*argv)
    assert result.status == EXIT_USAGE
    assert "usage:" in result.err
    assert result.out == ""


def test_unsupported_url_is_a_usage_error(run_cli: Runner) -> None:
    result = run_cli("--url", "ftp://127.0.0.1/janus", "--json", "info")
    assert result.status == EXIT_USAGE
    assert result.json()["error"]["kind"] == "usage"
    assert "no transport for URL" in result.err


def test_missing_cafile_is_a_usage_error(run_cli: Runner, tmp_path: Path) -> None:
    result = run_cli("--cafile", str(tmp_path / "none.pem"), "info")
    assert result.status == EXIT_USAGE
    assert "--cafile" in result.err


def test_global_options_go_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--json", "--timeout", "2", "admin", "handles", "7"])
    after = parser.parse_args(["admin", "handles", "7", "--json", "--timeout", "2"])
    middle = parser.parse_args(["admin", "--json", "handles", "7", "--timeout", "2"])
    for args in (before, after, middle):
        assert (args.json, args.timeout, args.session) == (True, 2.0, 7)
    # One given after the command is not reset by the other levels.
    args = parser.parse_args(["--timeout", "5", "admin", "sessions", "--timeout", "2"])
    assert args.timeout == 2.0


# -- connection failures -------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["ws", "http"])
@pytest.mark.parametrize("admin", [False, True])
def test_unreachable_url_exits_3(run_cli: Runner, scheme: str, admin: bool) -> None:
    port = _free_port()
    url = f"ws://127.0.0.1:{port}" if scheme == "ws" else f"http://127.0.0.1:{port}/janus"
    argv = ["--admin-url", url, "admin", "sessions"] if admin else ["--url", url, "info"]
    result = run_cli("--json", *argv)
    assert result.status == EXIT_CONNECTION
    assert result.json()["error"]["kind"] == "connection"
    assert "cannot connect" in result.err


def test_missing_unix_socket_exits_3(run_cli: Runner, tmp_path: Path) -> None:
    result = run_cli("--url", f"unix://{tmp_path / 'janus.sock'}", "ping")
    assert result.status == EXIT_CONNECTION
    assert "janus.sock" in result.err


def test_silent_server_times_out(run_cli: Runner, silent_port: int) -> None:
    # HTTP: the TCP connection is made, the request is never answered.
    url = f"http://127.0.0.1:{silent_port}/janus"
    result = run_cli("--json", "--timeout", "0.2", "--url", url, "info")
    assert result.status == EXIT_CONNECTION
    assert result.json()["error"]["kind"] == "timeout"
    # WebSocket: the handshake is never answered.
    url = f"ws://127.0.0.1:{silent_port}"
    result = run_cli("--timeout", "0.2", "--url", url, "ping")
    assert result.status == EXIT_CONNECTION
    assert "timed out" in result.err


def test_environment_is_read_when_no_flag(
    run_cli: Runner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    monkeypatch.setenv("JANUS_URL", f"ws://127.0.0.1:{port}")
    monkeypatch.setenv("JANUS_API_SECRET", SECRET)
    assert main(["info"]) == EXIT_CONNECTION  # environ=None: os.environ
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err
    assert SECRET not in err
    # A flag wins over the environment.
    other = _free_port()
    result = run_cli("--url", f"ws://127.0.0.1:{other}", "info", env={"JANUS_URL": "ws://x:1"})
    assert f"127.0.0.1:{other}" in result.err


def test_secrets_are_not_echoed_in_usage_errors(run_cli: Runner) -> None:
    env = {"JANUS_ADMIN_SECRET": SECRET + "-env"}
    result = run_cli(
        "--api-secret", SECRET, "info", f"--bogus={SECRET}", f"--x={SECRET}-env", env=env
    )
    assert result.status == EXIT_USAGE
    assert "unrecognized arguments" in result.err
    assert SECRET not in result.text
    assert MASK in result.err


# -- output helpers ------------------------------------------------------------------------


def test_table_and_cells() -> None:
    text = table(["id", "name"], [[1, "a"], [22, None], [3, True]])
    assert text.splitlines() == ["ID  NAME", "1   a", "22  -", "3   yes"]
    assert table(["id"], [], empty="nothing") == "(nothing)"
    assert table(["id"], []) == "ID"
    assert [fmt(v) for v in (None, "", False, [], ["a", 1], 1.5, 2.0)] == [
        "-",
        "-",
        "no",
        "-",
        "a, 1",
        "1.5",
        "2",
    ]


def test_mask_and_scrub() -> None:
    data = {"token": "t0ken", "a": [{"secret": "s", "pin": ""}], "n": {"admin_key": None}}
    assert mask(data) == {
        "token": MASK,
        "a": [{"secret": MASK, "pin": ""}],
        "n": {"admin_key": None},
    }
    assert mask(data, keep=frozenset({"token"}))["token"] == "t0ken"
    assert scrub(f"x {SECRET} y abc", [SECRET, "abc"]) == f"x {MASK} y abc"  # short: kept
    assert scrub('{"apisecret": "zz"} ?token=zz', []) == '{"apisecret": "***"} ?token=***'


def test_output_json_error(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output(json_mode=True, secrets=[SECRET])
    out.line("hidden in JSON mode")
    out.error("janus", f"denied {SECRET}", code=403)
    captured = capsys.readouterr()
    assert '"code": 403' in captured.out
    assert "hidden" not in captured.out
    assert SECRET not in captured.out + captured.err


# -- handle-info summary -------------------------------------------------------------------


def _handle_info() -> dict[str, Any]:
    """A handle_info answer of Janus 1.1.2 with a connected PeerConnection (shape from
    janus.c ``janus_admin_peerconnection_summary``)."""
    medium: dict[str, Any] = {
        "type": "video",
        "mindex": 1,
        "mid": "1",
        "direction": {"send": True, "recv": False},
        "codecs": {"pt": 96, "codec": "vp8"},
        "rtcp": {"main": {"rtt": 12, "lost": 3, "lost-by-remote": 1, "jitter-local": 5}},
        "stats": {
            "in": {"packets": 900, "bytes": 800000, "nacks": 4, "retransmissions": 2},
            "out": {"packets": 10, "bytes": 1000, "nacks": 0},
        },
    }
    return {
        "session_id": 1,
        "handle_id": 2,
        "plugin": "janus.plugin.echotest",
        "opaque_id": "op",
        "session_transport": "janus.transport.websockets",
        "token": "handle-token-secret",
        "created": 1_000_000,
        "current_time": 3_500_000,
        "flags": {"negotiated": True, "ready": True, "alert": False},
        "plugin_specific": {"audio_codec": "opus", "room": 7, "nested": {"x": 1}},
        "agent-started": 1_200_000,
        "ice-mode": "full",
        "ice-role": "controlled",
        "pcap-file": "/tmp/x.pcap",
        "webrtc": {
            "ice": {
                "state": "connected",
                "local-candidates": ["a", "b"],
                "remote-candidates": ["c"],
                "selected-pair": "127.0.0.1:1 [host,udp] <-> 127.0.0.1:2 [host,udp]",
                "connected": 1_700_000,
                "ready": 1,
            },
            "dtls": {
                "dtls-state": "connected",
                "dtls-role": "active",
                "srtp-profile": "SRTP_AES128_CM_SHA1_80",
                "valid": True,
                "ready": True,
                "retransmissions": 0,
                "handshake-started": 1_700_000,
                "connected": 1_750_000,
                "stats": {"in": {"packets": 5}, "out": {"packets": 6}},
            },
            "media": {
                "0": {
                    "type": "audio",
                    "mid": "0",
                    "direction": {"send": True, "recv": True},
                    "stats": {"in": {"packets": 50}, "out": {"packets": 49}},
                },
                "1": medium,
            },
        },
    }


def test_summary_of_a_connected_handle() -> None:
    summary = summarize_handle(_handle_info())
    assert summary["token_set"] is True
    assert summary["age_seconds"] == 2.5
    assert summary["flags"] == ["negotiated", "ready"]
    assert summary["plugin_state"] == {"audio_codec": "opus", "room": 7}
    assert summary["ice"] == {
        "state": "connected",
        "role": "controlled",
        "mode": "full",
        "local_candidates": 2,
        "remote_candidates": 1,
        "selected_pair": "127.0.0.1:1 [host,udp] <-> 127.0.0.1:2 [host,udp]",
        "ready": True,
        "connect_seconds": 0.5,
    }
    dtls = summary["dtls"]
    assert (dtls["state"], dtls["srtp_valid"], dtls["handshake_seconds"]) == (
        "connected",
        True,
        0.05,
    )
    audio, video = summary["media"]
    assert audio["codec"] == "opus"  # from plugin_specific, before the core knows it
    assert (video["codec"], video["packets_in"], video["lost"], video["rtt"]) == ("vp8", 900, 3, 12)
    text = render_summary(summary)
    for expected in (
        "ICE",
        "connected (ready)",
        "2 local, 1 remote",
        "SRTP_AES128_CM_SHA1_80 (valid)",
        "5 in, 6 out",
        "/tmp/x.pcap",
        "sendonly",
        "sendrecv",
        "4/0",
    ):
        assert expected in text
    assert "handle-token-secret" not in text


def test_summary_without_peerconnection() -> None:
    info = {"session_id": 1, "handle_id": 2, "plugin": "p", "flags": {}, "created": 5}
    summary = summarize_handle(info)
    assert (summary["ice"], summary["dtls"], summary["media"]) == (None, None, [])
    assert summary["age_seconds"] is None
    assert "PeerConnection: none" in render_summary(summary)
    # A PeerConnection whose DTLS transport does not exist yet.
    info["webrtc"] = {"ice": {"state": "gathering", "ready": -1}, "dtls": {}, "media": {}}
    summary = summarize_handle(info)
    assert summary["ice"]["ready"] is False
    text = render_summary(summary)
    assert "no DTLS transport yet" in text
    assert "no media negotiated" in text


def test_janus_errors_map_to_exit_1() -> None:
    from janus_anyio.cli import _failure
    from janus_proto import PluginError, Unauthorized

    assert _failure(Unauthorized(403, "no")) == (EXIT_ERROR, "janus", "Janus error 403: no", 403)
    failure = _failure(PluginError("janus.plugin.videoroom", 426, "No such room"))
    assert failure is not None
    assert failure[:2] == (EXIT_ERROR, "plugin")
    assert _failure(RuntimeError("bug")) is None
