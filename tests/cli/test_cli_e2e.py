"""Every ``janus-client`` command against a real Janus 1.1.2, run in-process.

One private Janus for the module, with an api_secret, stored-token auth and an admin_secret,
so that every command also proves the credentials travel (from the environment, mostly) and
never come back in the output. Sessions the Admin API commands act on are made over HTTP
(they outlive the connection that made them until the session timeout).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.cli import EXIT_CONNECTION, EXIT_ERROR, EXIT_OK, EXIT_USAGE
from janus_anyio.plugins import StreamingHandle, VideoRoomPublisher
from janus_anyio.testing import JanusServer
from janus_proto.plugins import streaming

from .conftest import Result, Runner, require_janus

pytestmark = pytest.mark.janus

API_SECRET = "cli-api-secret-Kd93jf"
ADMIN_SECRET = "cli-admin-secret-Qp27xm"
TOKEN = "cli-token-Wz61bn"
ROOM_SECRET = "cli-room-secret-Hy45cv"
SECRETS = (API_SECRET, ADMIN_SECRET, TOKEN, ROOM_SECRET)
MOUNTPOINT = 4242
PLUGINS = ("janus.plugin.echotest", "janus.plugin.videoroom", "janus.plugin.streaming")

# An offer Janus accepts (no candidates: ICE never connects, nothing is sent anywhere).
_FINGERPRINT = ":".join(f"{i:02X}" for i in range(32))
_MEDIA = (("audio", "111 opus/48000/2"), ("video", "96 VP8/90000"))
OFFER_SDP = (
    "\r\n".join(
        ["v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1"]
        + [
            line
            for mid, (kind, rtpmap) in enumerate(_MEDIA)
            for line in (
                f"m={kind} 9 UDP/TLS/RTP/SAVPF {rtpmap.split()[0]}",
                "c=IN IP4 0.0.0.0",
                f"a=mid:{mid}",
                "a=sendrecv",
                "a=rtcp-mux",
                "a=ice-ufrag:cliu",
                "a=ice-pwd:clipasswordclipassword00",
                f"a=fingerprint:sha-256 {_FINGERPRINT}",
                "a=setup:actpass",
                f"a=rtpmap:{rtpmap}",
            )
        ]
    )
    + "\r\n"
)


@pytest.fixture(scope="module")
def janus() -> Iterator[JanusServer]:
    """A Janus with secrets, token auth, every transport, a token for the CLI and a
    mountpoint."""
    require_janus()
    with JanusServer(
        plugins=PLUGINS,
        api_secret=API_SECRET,
        token_auth=True,
        admin_secret=ADMIN_SECRET,
        pfunix=True,
    ) as server:

        async def prepare() -> None:
            async with ja.connect_admin(server.admin_http_url, admin_secret=ADMIN_SECRET) as a:
                await a.add_token(TOKEN)
            async with _client(server) as client, client.session() as session:
                mountpoints = await StreamingHandle.attach(session)
                audio = streaming.RtpMedia(
                    type="audio", mid="a", port=0, pt=111, codec="opus", iface="127.0.0.1"
                )
                await mountpoints.create(
                    "rtp", id=MOUNTPOINT, description="cli-cam", secret=ROOM_SECRET, media=[audio]
                )

        anyio.run(prepare)
        yield server


def _client(server: JanusServer) -> AbstractAsyncContextManager[ja.JanusClient]:
    """A Janus API client over HTTP (its sessions outlive it)."""
    return ja.connect(server.http_url, api_secret=API_SECRET, token=TOKEN, keepalive_interval=None)


@pytest.fixture
def env(janus: JanusServer) -> dict[str, str]:
    """The CLI's environment: URLs and every secret."""
    return {
        "JANUS_URL": janus.ws_url,
        "JANUS_ADMIN_URL": janus.admin_ws_url,
        "JANUS_API_SECRET": API_SECRET,
        "JANUS_TOKEN": TOKEN,
        "JANUS_ADMIN_SECRET": ADMIN_SECRET,
    }


@pytest.fixture
def cli(run_cli: Runner, env: dict[str, str]) -> Iterator[Runner]:
    """``run_cli`` with :func:`env`; checks that no output of the test shows a secret."""
    outputs: list[str] = []

    def run(*argv: str, env: dict[str, str] = env) -> Result:
        result = run_cli(*argv, env=env)
        outputs.append(result.text)
        return result

    yield run
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text


def _ok(result: Result) -> Any:
    assert result.status == EXIT_OK, result.text
    return result.json()


def _urls(janus: JanusServer, kind: str) -> tuple[str, str]:
    if kind == "ws":
        return janus.ws_url, janus.admin_ws_url
    if kind == "http":
        return janus.http_url, janus.admin_http_url
    return f"unix://{janus.unix_path}", f"unix://{janus.admin_unix_path}"


@pytest.fixture
def echo_handle(janus: JanusServer) -> tuple[int, int]:
    """A session and EchoTest handle with a negotiated (never connected) PeerConnection."""

    async def make() -> tuple[int, int]:
        async with _client(janus) as client:
            session = await client.create_session()
            handle = await session.attach("janus.plugin.echotest", opaque_id="cli-test")
            reply = await handle.send({"audio": True}, jsep={"type": "offer", "sdp": OFFER_SDP})
            assert reply.jsep is not None
            return session.id, handle.id

    return anyio.run(make)


# -- info and ping -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ws", "http", "unix"])
def test_info_and_ping_on_every_transport(cli: Runner, janus: JanusServer, kind: str) -> None:
    url, admin_url = _urls(janus, kind)
    info = _ok(cli("--url", url, "info", "--json"))
    assert info["version_string"] == "1.1.2"
    assert sorted(info["plugins"]) == sorted(PLUGINS)
    assert "transaction" not in info
    text = cli("--url", url, "info")
    assert text.status == EXIT_OK
    assert "Janus WebRTC Server 1.1.2" in text.out
    assert "janus.plugin.videoroom" in text.out
    assert "required" in text.out  # api secret and token
    assert _ok(cli("--admin-url", admin_url, "info", "--admin", "--json"))["version"] == 1102
    pings = _ok(cli("--url", url, "ping", "-c", "2", "-i", "0.01", "--json"))
    assert pings["count"] == 2
    assert 0 < pings["min_ms"] <= pings["max_ms"]
    human = cli("--admin-url", admin_url, "ping", "--admin")
    assert human.status == EXIT_OK
    assert "seq=1" in human.out
    assert "min/avg/max" in human.out


def test_trio_backend(cli: Runner) -> None:
    assert _ok(cli("--backend", "trio", "ping", "--json"))["count"] == 1
    assert _ok(cli("admin", "sessions", "--backend", "trio", "--json"))["sessions"] is not None


# -- admin: sessions, handles, handle-info, hangup, detach, destroy --------------------------


def test_sessions_handles_and_handle_info(cli: Runner, echo_handle: tuple[int, int]) -> None:
    sid, hid = echo_handle
    assert sid in _ok(cli("admin", "sessions", "--json"))["sessions"]
    assert str(sid) in cli("admin", "sessions").out
    assert _ok(cli("admin", "handles", str(sid), "--json")) == {"session_id": sid, "handles": [hid]}
    assert str(hid) in cli("admin", "handles", str(sid)).out

    doc = _ok(cli("--json", "admin", "handle-info", str(sid), str(hid)))
    summary = doc["summary"]
    assert (summary["plugin"], summary["opaque_id"]) == ("janus.plugin.echotest", "cli-test")
    assert summary["token_set"] is True
    assert doc["info"]["token"] == "***"  # Janus shows the handle's token; we do not
    assert summary["peerconnection"] is True
    assert summary["ice"]["role"] == "controlled"
    assert summary["ice"]["local_candidates"] >= 1
    assert summary["dtls"]["srtp_valid"] is False
    media = {m["mid"]: m for m in summary["media"]}
    assert (media["0"]["type"], media["0"]["codec"], media["0"]["packets_in"]) == (
        "audio",
        "opus",
        0,
    )
    text = cli("admin", "handle-info", str(sid), str(hid))
    assert text.status == EXIT_OK
    for expected in ("janus.plugin.echotest", "ICE", "DTLS", "MEDIA", "opus", "token  "):
        assert expected in text.out

    assert _ok(cli("admin", "hangup", str(sid), str(hid), "--json"))["ok"] is True
    detached = cli("admin", "detach", str(sid), str(hid))
    assert detached.status == EXIT_OK
    assert f"detached handle {hid}" in detached.out
    assert _ok(cli("admin", "handles", str(sid), "--json"))["handles"] == []
    assert _ok(cli("admin", "destroy", str(sid), "--json")) == {"ok": True, "session_id": sid}
    assert sid not in _ok(cli("admin", "sessions", "--json"))["sessions"]
    # Gone: Janus says so, exit 1.
    gone = cli("--json", "admin", "handles", str(sid))
    assert gone.status == EXIT_ERROR
    assert gone.json()["error"]["code"] == 458


def test_pcap_start_and_stop(cli: Runner, echo_handle: tuple[int, int], tmp_path: Path) -> None:
    sid, hid = echo_handle
    for text in (False, True):
        extra = ["--text"] if text else []
        name = "cli.txt" if text else "cli.pcap"
        start = ["admin", "pcap", "start", str(sid), str(hid), "--folder", str(tmp_path)]
        started = _ok(cli(*start, "--filename", name, "--truncate", "64", *extra, "--json"))
        assert started["format"] == ("text2pcap" if text else "pcap")
        summary = _ok(cli("--json", "admin", "handle-info", str(sid), str(hid)))["summary"]
        assert summary["pcap"] == str(tmp_path / name)
        assert (tmp_path / name).exists()
        stopped = cli("admin", "pcap", "stop", str(sid), str(hid), *extra)
        assert stopped.status == EXIT_OK
        assert "stopped" in stopped.out
    assert cli("admin", "destroy", str(sid)).status == EXIT_OK


# -- admin: settings ---------------------------------------------------------------------------


def test_status_and_log_level(cli: Runner) -> None:
    status = _ok(cli("admin", "status", "--json"))["status"]
    assert status["token_auth"] is True
    assert "session_timeout" in cli("admin", "status").out
    assert _ok(cli("admin", "log-level", "--json")) == {"log_level": status["log_level"]}
    assert _ok(cli("admin", "log-level", "5", "--json")) == {"log_level": 5}
    assert cli("admin", "log-level").out.strip() == "log level: 5"
    assert _ok(cli("admin", "log-level", str(status["log_level"]), "--json"))["log_level"] == 4


# Each set-* command, set to the value the test Janus already has (no side effects).
SETTERS = [
    ("set-session-timeout", "60", "timeout", 60),
    ("set-log-level", "4", "level", 4),
    ("set-log-timestamps", "off", "log_timestamps", False),
    ("set-log-colors", "off", "log_colors", False),
    ("set-locking-debug", "off", "locking_debug", False),
    ("set-refcount-debug", "off", "refcount_debug", False),
    ("set-libnice-debug", "off", "libnice_debug", False),
    ("set-min-nack-queue", "200", "min_nack_queue", 200),
    ("set-nack-optimizations", "off", "nack-optimizations", False),  # sic
    ("set-no-media-timer", "1", "no_media_timer", 1),
    ("set-slowlink-threshold", "0", "slowlink_threshold", 0),
]


@pytest.mark.parametrize(("command", "value", "key", "expected"), SETTERS)
def test_every_setter(cli: Runner, command: str, value: str, key: str, expected: Any) -> None:
    assert _ok(cli("admin", command, value, "--json"))[key] == expected
    human = cli("admin", command, value)
    assert human.status == EXIT_OK
    assert human.out.startswith(f"{key}: ")


def test_session_timeout_of_one_session(cli: Runner, echo_handle: tuple[int, int]) -> None:
    sid, _ = echo_handle
    doc = _ok(cli("admin", "set-session-timeout", "30", "--session", str(sid), "--json"))
    assert doc == {"timeout": 30, "session_id": sid}
    assert cli("admin", "destroy", str(sid)).status == EXIT_OK


def test_accept_new_sessions(cli: Runner) -> None:
    assert _ok(cli("admin", "accept-new-sessions", "off", "--json")) == {"accept": False}
    try:
        refused = cli("--json", "videoroom", "list")
        assert refused.status == EXIT_ERROR
        assert refused.json()["error"]["code"] == 472
    finally:
        on = cli("admin", "accept-new-sessions", "on")
    assert on.status == EXIT_OK
    assert on.out.strip() == "accepting new sessions: on"
    assert cli("videoroom", "list").status == EXIT_OK


# -- admin: tokens -------------------------------------------------------------------------


def test_tokens(cli: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    token = f"cli-extra-token-{random.randrange(10**9)}"
    added = _ok(cli("admin", "tokens", "add", token, "--plugin", PLUGINS[0], "--json"))
    assert added == {"ok": True, "plugins": [PLUGINS[0]]}
    listed = _ok(cli("admin", "tokens", "list", "--json"))["tokens"]
    by_token = {t["token"]: t["allowed_plugins"] for t in listed}
    assert by_token[token] == [PLUGINS[0]]
    assert by_token["***"]  # the CLI's own token (JANUS_TOKEN) is masked
    text = cli("admin", "tokens", "list").out
    assert token in text  # showing stored tokens is this command's job
    allowed = _ok(cli("admin", "tokens", "allow", token, *PLUGINS[1:], "--json"))["plugins"]
    assert sorted(allowed) == sorted(PLUGINS)
    disallowed = cli("admin", "tokens", "disallow", token, PLUGINS[2])
    assert disallowed.status == EXIT_OK
    assert PLUGINS[2] not in disallowed.out
    assert token not in disallowed.out
    # '-' reads the token from stdin.
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(token + "\n"))
    assert _ok(cli("admin", "tokens", "remove", "-", "--json")) == {"ok": True}
    tokens = _ok(cli("admin", "tokens", "list", "--json"))["tokens"]
    assert token not in {t["token"] for t in tokens}
    missing = cli("--json", "admin", "tokens", "remove", token)
    assert missing.status == EXIT_ERROR


# -- VideoRoom and Streaming -----------------------------------------------------------------


def test_videoroom(cli: Runner, janus: JanusServer) -> None:
    room = random.randrange(10**6, 10**9)
    created = _ok(
        cli(
            "videoroom", "create", str(room), "--description", "cli room",
            "--secret", ROOM_SECRET, "--pin", ROOM_SECRET + "-pin", "--publishers", "3",
            "--json",
        )
    )  # fmt: skip
    assert created["room"] == room
    rooms = {r["room"]: r for r in _ok(cli("videoroom", "list", "--json"))["rooms"]}
    assert rooms[room]["description"] == "cli room"
    assert rooms[room]["pin_required"] is True
    assert rooms[room]["max_publishers"] == 3
    listing = cli("videoroom", "list")
    assert "cli room" in listing.out
    assert "DESCRIPTION" in listing.out

    empty = cli("videoroom", "participants", str(room))
    assert empty.out.strip() == "(no participants)"

    async def join() -> int:
        async with _client(janus) as client:
            session = await client.create_session()
            publisher = await VideoRoomPublisher.attach(session)
            await publisher.join(room, display="alice", pin=ROOM_SECRET + "-pin")
            return session.id

    sid = anyio.run(join)
    people = _ok(cli("videoroom", "participants", str(room), "--json"))
    assert people["room"] == room
    assert [p["display"] for p in people["participants"]] == ["alice"]
    assert "alice" in cli("videoroom", "participants", str(room)).out
    assert cli("admin", "destroy", str(sid)).status == EXIT_OK

    denied = cli("--json", "videoroom", "destroy", str(room), "--secret", "wrong-secret")
    assert denied.status == EXIT_ERROR
    assert denied.json()["error"]["code"] == 433  # unauthorized (wrong room secret)
    destroyed = cli("videoroom", "destroy", str(room), "--secret", ROOM_SECRET)
    assert destroyed.status == EXIT_OK
    assert destroyed.out.strip() == f"destroyed room {room}"
    gone = cli("--json", "videoroom", "participants", str(room))
    assert gone.status == EXIT_ERROR
    assert gone.json()["error"] == {
        "kind": "plugin",
        "message": f"janus.plugin.videoroom error 426: No such room ({room})",
        "code": 426,
    }
    # Janus picks the id when none is given.
    picked = _ok(cli("videoroom", "create", "--json"))["room"]
    assert _ok(cli("videoroom", "destroy", str(picked), "--json"))["room"] == picked


def test_streaming(cli: Runner) -> None:
    mountpoints = _ok(cli("streaming", "list", "--json"))["mountpoints"]
    mine = next(m for m in mountpoints if m["id"] == MOUNTPOINT)
    assert mine["description"] == "cli-cam"
    assert "cli-cam" in cli("streaming", "list").out
    public = _ok(cli("streaming", "info", str(MOUNTPOINT), "--json"))["info"]
    assert public["description"] == "cli-cam"
    assert "viewers" not in public  # needs the secret
    full = _ok(cli("streaming", "info", str(MOUNTPOINT), "--secret", ROOM_SECRET, "--json"))
    assert full["info"]["viewers"] == 0
    assert full["info"]["secret"] == "***"
    assert full["info"]["media"][0]["port"] > 0
    text = cli("streaming", "info", str(MOUNTPOINT), "--secret", ROOM_SECRET)
    assert text.status == EXIT_OK
    assert "opus" in text.out
    assert "Mountpoint 4242" in text.out
    missing = cli("--json", "streaming", "info", "999999")
    assert missing.status == EXIT_ERROR
    assert missing.json()["error"]["kind"] == "plugin"


# -- exit codes and secrets ------------------------------------------------------------------


def test_wrong_secrets_exit_1(cli: Runner, env: dict[str, str]) -> None:
    wrong_admin = cli("--json", "admin", "sessions", env={**env, "JANUS_ADMIN_SECRET": "nope-1"})
    assert wrong_admin.status == EXIT_ERROR
    assert wrong_admin.json()["error"] == {
        "kind": "janus",
        "message": "Janus error 403: Unauthorized request (wrong or missing secret/token)",
        "code": 403,
    }
    # Janus accepts a request with the api_secret or a valid token (either will do).
    no_token = {k: v for k, v in env.items() if k != "JANUS_TOKEN"}
    wrong_api = cli("--api-secret", "nope-2", "videoroom", "list", env=no_token)
    assert wrong_api.status == EXIT_ERROR
    assert "403" in wrong_api.err
    assert cli("videoroom", "list", env=no_token).status == EXIT_OK
    assert cli("--api-secret", "nope-2", "videoroom", "list").status == EXIT_OK  # the token
    neither = cli("videoroom", "list", env={k: v for k, v in no_token.items() if "SECRET" not in k})
    assert neither.status == EXIT_ERROR
    # info and ping need no credentials.
    bare = {"JANUS_URL": env["JANUS_URL"]}
    assert cli("info", env=bare).status == EXIT_OK
    assert cli("ping", env=bare).status == EXIT_OK


def test_exit_codes_against_this_janus(cli: Runner, janus: JanusServer) -> None:
    assert cli("admin", "handles", "-5").status == EXIT_USAGE
    gone = cli("--json", "--admin-url", f"unix://{janus.workdir / 'no.sock'}", "admin", "status")
    assert gone.status == EXIT_CONNECTION
    assert gone.json()["error"]["kind"] == "connection"
    # A frozen Janus: connected over HTTP, the request is never answered.
    janus.pause()
    try:
        frozen = cli("--json", "--timeout", "0.3", "--url", janus.http_url, "ping")
    finally:
        janus.resume()
    assert frozen.status == EXIT_CONNECTION
    assert frozen.json()["error"]["kind"] == "timeout"
    assert cli("ping").status == EXIT_OK


def test_secrets_given_as_flags_are_never_printed(
    run_cli: Runner, janus: JanusServer, echo_handle: tuple[int, int]
) -> None:
    sid, hid = echo_handle
    flags = [
        "--url", janus.http_url, "--admin-url", janus.admin_http_url,
        "--api-secret", API_SECRET, "--token", TOKEN, f"--admin-secret={ADMIN_SECRET}",
    ]  # fmt: skip
    texts = []
    for argv in (
        ["admin", "handle-info", str(sid), str(hid)],
        ["--json", "admin", "handle-info", str(sid), str(hid)],
        ["admin", "tokens", "list"],
        ["--json", "admin", "tokens", "list"],
        ["--json", "streaming", "info", str(MOUNTPOINT), "--secret", ROOM_SECRET],
        ["admin", "tokens", "remove", "no-such-token-zz"],
        ["--json", "admin", "sessions", "--admin-secret", ADMIN_SECRET + "x"],
        ["info", "--json", "--bogus", API_SECRET],
    ):
        result = run_cli(*flags, *argv, env={})
        texts.append(result.text)
    assert run_cli(*flags, "admin", "destroy", str(sid), env={}).status == EXIT_OK
    everything = "\n".join(texts)
    assert "***" in everything
    for secret in SECRETS:
        assert secret not in everything
    json.loads(texts[1])  # still valid JSON after masking
