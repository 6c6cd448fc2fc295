"""Record conformance transcripts from a real Janus, for tests/proto/test_transcripts.py.

The script starts its own private Janus instances (janus_anyio.testing.JanusServer), talks
raw JSON to them over WebSocket (wsproto on a plain socket) and HTTP (http.client), and
writes one JSON file per transport and scenario into ``tests/transcripts/janus-<version>/``:

    {"janus_version": "1.1.2", "transport": "ws", "scenario": "...", "description": "...",
     "config": {"api_secret": null, "token": null, "admin_secret": null, "admin": false},
     "frames": [{"dir": "send", "path": "/S", "json": {...}},
                {"dir": "recv", "json": {...}},             # a reply or pushed message
                {"dir": "recv", "poll": true, "json": [...]}, # an HTTP long-poll answer
                {"dir": "recv", "poll": true, "status": 404, "json": null}]}

Transactions are "t1", "t2", ... in send order. Run it again to record another Janus version:
``python scripts/record_transcripts.py [--janus /path/to/janus] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import wsproto
import wsproto.events as wse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from janus_anyio.testing import JanusServer  # noqa: E402

ECHO = "janus.plugin.echotest"
VROOM = "janus.plugin.videoroom"
ADMIN_SECRET = "transcript-admin-secret"
API_SECRET = "apisecret-test"
TOKEN = "tok-vr"

#: A real audio-only offer (aiortc-style), enough for Janus to answer.
OFFER_SDP = "\r\n".join(
    [
        "v=0",
        "o=- 3900000000 3900000000 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        "a=msid-semantic:WMS *",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        "a=sendrecv",
        "a=mid:0",
        "a=msid:stream track",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=rtcp-mux",
        "a=ssrc:1111 cname:transcript",
        "a=rtpmap:111 opus/48000/2",
        "a=ice-ufrag:abcd",
        "a=ice-pwd:abcdefghijklmnopqrstuvwx",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 " + ":".join(["AB"] * 32),
        "a=setup:actpass",
        "",
    ]
)


class Recorder:
    """Collects frames and numbers transactions."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self._n = 0

    def txn(self) -> str:
        self._n += 1
        return f"t{self._n}"

    def sent(self, obj: dict[str, Any], path: str | None = None) -> None:
        frame: dict[str, Any] = {"dir": "send", "json": obj}
        if path is not None:
            frame["path"] = path
        self.frames.append(frame)

    def received(self, obj: Any, *, poll: bool = False, status: int | None = None) -> None:
        frame: dict[str, Any] = {"dir": "recv", "json": obj}
        if poll:
            frame["poll"] = True
        if status is not None:
            frame["status"] = status
        self.frames.append(frame)


class WSPeer:
    """A blocking WebSocket client speaking one subprotocol."""

    def __init__(self, port: int, rec: Recorder, protocol: str = "janus-protocol") -> None:
        self.rec = rec
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.ws = wsproto.WSConnection(wsproto.ConnectionType.CLIENT)
        self.sock.sendall(
            self.ws.send(wse.Request(host="127.0.0.1", target="/", subprotocols=[protocol]))
        )
        self.pending: list[Any] = []
        self.backlog: list[Any] = []
        self._text = ""
        while True:
            for event in self._events(10):
                if isinstance(event, wse.AcceptConnection):
                    return
                raise RuntimeError(f"handshake failed: {event!r}")

    def _events(self, timeout: float) -> Iterator[wse.Event]:
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed")
        self.ws.receive_data(data)
        yield from self.ws.events()

    def send(self, obj: dict[str, Any]) -> None:
        self.rec.sent(obj)
        self.sock.sendall(self.ws.send(wse.TextMessage(data=json.dumps(obj))))

    def recv(self, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while not self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message")
            for event in self._events(remaining):
                if isinstance(event, wse.TextMessage):
                    self._text += event.data
                    if event.message_finished:
                        self.pending.append(json.loads(self._text))
                        self._text = ""
                elif isinstance(event, wse.Ping):
                    self.sock.sendall(self.ws.send(event.response()))
        obj = self.pending.pop(0)
        self.rec.received(obj)
        return obj

    def recv_until(self, pred: Callable[[Any], bool], timeout: float = 10.0) -> Any:
        """The first message matching ``pred``; others are kept for later waits."""
        for i, obj in enumerate(self.backlog):
            if pred(obj):
                return self.backlog.pop(i)
        while True:
            obj = self.recv(timeout)
            if pred(obj):
                return obj
            self.backlog.append(obj)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(self.ws.send(wse.CloseConnection(code=1000)))
        self.sock.close()


class HTTPPeer:
    """A blocking HTTP client for the REST API and its long poll."""

    def __init__(self, port: int, base: str, rec: Recorder) -> None:
        self.port, self.base, self.rec = port, base, rec

    def post(self, obj: dict[str, Any], path: str = "") -> Any:
        self.rec.sent(obj, path)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        conn.request(
            "POST", self.base + path, json.dumps(obj), {"Content-Type": "application/json"}
        )
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        reply = json.loads(body) if resp.status == 200 and body else None
        self.rec.received(reply, status=None if resp.status == 200 else resp.status)
        return reply

    def poll(self, sid: int, maxev: int = 5, query: str = "") -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
        conn.request("GET", f"{self.base}/{sid}?maxev={maxev}{query}")
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        if resp.status != 200:
            self.rec.received(None, poll=True, status=resp.status)
            return None
        obj = json.loads(body)
        self.rec.received(obj, poll=True)
        return obj


class Session:
    """One scenario's exchange on one transport: ``call`` sends and returns the reply."""

    def __init__(
        self,
        kind: str,
        server: JanusServer,
        rec: Recorder,
        admin: bool = False,
        secrets: dict[str, str] | None = None,
    ) -> None:
        self.kind, self.server, self.rec, self.admin = kind, server, rec, admin
        self.secrets = secrets or {}
        if kind == "ws":
            self.ws: WSPeer | None = WSPeer(
                server.admin_ws_port if admin else server.ws_port,
                rec,
                "janus-admin-protocol" if admin else "janus-protocol",
            )
            self.http: HTTPPeer | None = None
        else:
            self.ws = None
            self.http = HTTPPeer(
                server.admin_http_port if admin else server.http_port,
                "/admin" if admin else "/janus",
                rec,
            )

    def request(self, verb: str, *, auth: bool = True, **fields: Any) -> dict[str, Any]:
        obj: dict[str, Any] = {"janus": verb, "transaction": self.rec.txn()}
        obj.update({k: v for k, v in fields.items() if v is not None})
        if auth and verb not in ("info", "ping"):
            obj.update(self.secrets)
        return obj

    def call(self, verb: str, *, auth: bool = True, **fields: Any) -> Any:
        obj = self.request(verb, auth=auth, **fields)
        txn = obj["transaction"]
        if self.ws is not None:
            self.ws.send(obj)
            return self.ws.recv_until(
                lambda m: m.get("transaction") == txn and m.get("janus") != "event"
            )
        sid, hid = fields.get("session_id"), fields.get("handle_id")
        path = "" if sid is None else f"/{sid}" + ("" if hid is None else f"/{hid}")
        assert self.http is not None
        return self.http.post(obj, path)

    def event(
        self, sid: int, pred: Callable[[Any], bool] = lambda m: True, timeout: float = 10.0
    ) -> Any:
        """Wait for a pushed message of session ``sid`` matching ``pred``."""
        if self.ws is not None:
            return self.ws.recv_until(
                lambda m: m.get("janus") not in ("ack", "success", "error") and pred(m), timeout
            )
        assert self.http is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.http.poll(sid)
            items = got if isinstance(got, list) else [got]
            for item in items:
                if isinstance(item, dict) and item.get("janus") != "keepalive" and pred(item):
                    return item
        raise TimeoutError("no event")

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()


# -- scenarios ---------------------------------------------------------------------------------


def sc_info_ping(s: Session) -> None:
    s.call("info")
    s.call("ping")


def _session(s: Session) -> int:
    sid: int = s.call("create")["data"]["id"]
    return sid


def _handle(s: Session, sid: int, plugin: str = ECHO) -> int:
    hid: int = s.call("attach", session_id=sid, plugin=plugin, opaque_id="transcript")["data"]["id"]
    return hid


def sc_create_attach_detach_destroy(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    s.call("keepalive", session_id=sid)
    s.call("detach", session_id=sid, handle_id=hid)
    s.event(sid, lambda m: m.get("janus") == "detached")
    s.call("destroy", session_id=sid)


def sc_create_with_id(s: Session) -> None:
    wanted = 4242424242 + (1 if s.kind == "http" else 0)
    s.call("create", id=wanted)
    s.call("create", id=wanted)
    s.call("destroy", session_id=wanted)


def sc_echotest_async(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    s.call("message", session_id=sid, handle_id=hid, body={"audio": True})
    s.event(sid, lambda m: m.get("janus") == "event")
    s.call("message", session_id=sid, handle_id=hid, body={"audio": "yes"})
    s.event(sid, lambda m: m.get("janus") == "event")
    s.call("destroy", session_id=sid)


def sc_echotest_jsep(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    s.call(
        "message",
        session_id=sid,
        handle_id=hid,
        body={"audio": True},
        jsep={"type": "offer", "sdp": OFFER_SDP},
    )
    s.event(sid, lambda m: m.get("janus") == "event" and "jsep" in m)
    s.call("hangup", session_id=sid, handle_id=hid)
    s.event(sid, lambda m: m.get("janus") == "hangup")
    s.call("destroy", session_id=sid)


def sc_videoroom_sync(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid, VROOM)
    room = 777001 if s.kind == "ws" else 777002

    def msg(body: dict[str, Any]) -> None:
        s.call("message", session_id=sid, handle_id=hid, body=body)

    msg(
        {
            "request": "create",
            "room": room,
            "description": "transcript",
            "secret": "s3cr3t",
            "publishers": 4,
            "notify_joining": True,
        }
    )
    msg({"request": "create", "room": room})
    msg({"request": "exists", "room": room})
    msg({"request": "list"})
    msg({"request": "listparticipants", "room": room})
    msg({"request": "destroy", "room": room, "secret": "wrong"})
    msg({"request": "destroy", "room": room, "secret": "s3cr3t"})
    msg({"request": "listparticipants", "room": room})
    s.call("destroy", session_id=sid)


def sc_videoroom_async(s: Session) -> None:
    sid = _session(s)
    admin = _handle(s, sid, VROOM)
    room = 778001 if s.kind == "ws" else 778002
    s.call(
        "message",
        session_id=sid,
        handle_id=admin,
        body={"request": "create", "room": room, "notify_joining": True},
    )
    one = _handle(s, sid, VROOM)
    s.call(
        "message",
        session_id=sid,
        handle_id=one,
        body={"request": "join", "ptype": "publisher", "room": room, "display": "one"},
    )
    s.event(sid, lambda m: m.get("janus") == "event" and m.get("sender") == one)
    two = _handle(s, sid, VROOM)
    s.call(
        "message",
        session_id=sid,
        handle_id=two,
        body={"request": "join", "ptype": "publisher", "room": room, "display": "two"},
    )
    s.event(sid, lambda m: m.get("janus") == "event" and m.get("sender") == two)
    s.call("message", session_id=sid, handle_id=two, body={"request": "leave"})
    s.event(
        sid,
        lambda m: (
            m.get("janus") == "event"
            and m.get("sender") == two
            and "leaving" in m["plugindata"]["data"]
        ),
    )
    s.call("message", session_id=sid, handle_id=admin, body={"request": "destroy", "room": room})
    s.call("destroy", session_id=sid)


def sc_trickle(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    cand = {
        "sdpMid": "0",
        "sdpMLineIndex": 0,
        "candidate": "candidate:1 1 udp 2122260223 127.0.0.2 50000 typ host",
    }
    s.call("trickle", session_id=sid, handle_id=hid, candidate=cand)
    s.call("trickle", session_id=sid, handle_id=hid, candidates=[cand, cand])
    s.call("trickle", session_id=sid, handle_id=hid, candidate={"completed": True})
    s.call("destroy", session_id=sid)


def sc_hangup(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    s.call("hangup", session_id=sid, handle_id=hid)
    s.call("destroy", session_id=sid)


def sc_errors(s: Session) -> None:
    sid = _session(s)
    hid = _handle(s, sid)
    s.call("attach", session_id=sid, plugin="janus.plugin.nope")
    s.call("attach", session_id=123456, plugin=ECHO)
    s.call("hangup", session_id=sid, handle_id=99999)
    s.call(
        "message",
        session_id=sid,
        handle_id=hid,
        body={"audio": True},
        jsep={"type": "pranswer", "sdp": "v=0"},
    )
    s.call(
        "message",
        session_id=sid,
        handle_id=hid,
        body={"audio": True},
        jsep={"type": "offer", "sdp": "garbage"},
    )
    s.call("destroy", session_id=sid)


def sc_session_timeout(s: Session, admin: Session) -> None:
    sid = _session(s)
    _handle(s, sid)
    admin.call("set_session_timeout", session_id=sid, timeout=1)
    s.event(sid, lambda m: m.get("janus") == "timeout", timeout=15)
    s.call("keepalive", session_id=sid)
    if s.http is not None:
        s.http.poll(sid)


def sc_claim(s: Session, server: JanusServer) -> None:
    """A session made on another WebSocket, which then closes, is claimed here."""
    other = Session("ws", server, Recorder())
    sid = _session(other)
    hid = _handle(other, sid)
    other.close()
    time.sleep(0.3)
    s.call("claim", session_id=sid)
    s.call("message", session_id=sid, handle_id=hid, body={"audio": True})
    s.event(sid, lambda m: m.get("janus") == "event")
    s.call("destroy", session_id=sid)


def sc_claim_lost(s: Session) -> None:
    s.call("claim", session_id=987654321)


def sc_admin(s: Session, while_refusing: Callable[[], None]) -> None:
    s.call("info")
    s.call("ping")
    s.call("get_status")
    s.call("list_sessions")
    s.call("set_log_level", level=4)
    s.call("set_session_timeout", timeout=60)
    s.call("accept_new_sessions", accept=False)
    while_refusing()
    s.call("accept_new_sessions", accept=True)
    s.call("message_plugin", plugin=VROOM, request={"request": "list"})
    transport = "janus.transport.websockets" if s.ws is not None else "janus.transport.http"
    s.call("query_transport", transport=transport, request={"request": "connections"})
    s.call("custom_logline", line="transcript")
    s.call("resolve_address", address="127.0.0.1")
    s.call("loops_info")
    s.call("list_tokens")
    s.call("get_status", auth=False, admin_secret="wrong-secret")


def sc_admin_handles(s: Session, api: Session) -> None:
    sid = _session(api)
    hid = _handle(api, sid)
    s.call("list_sessions")
    s.call("list_handles", session_id=sid)
    s.call("handle_info", session_id=sid, handle_id=hid)
    s.call(
        "start_pcap",
        session_id=sid,
        handle_id=hid,
        folder=str(s.server.workdir),
        filename="transcript.pcap",
    )
    s.call("stop_pcap", session_id=sid, handle_id=hid)
    s.call("hangup_webrtc", session_id=sid, handle_id=hid)
    s.call("detach_handle", session_id=sid, handle_id=hid)
    s.call("destroy_session", session_id=sid)


def sc_admin_tokens(s: Session) -> None:
    s.call("add_token", token="tok-vr", plugins=[VROOM, "janus.plugin.nope"])
    s.call("add_token", token="tok-all")
    s.call("list_tokens")
    s.call("allow_token", token="tok-vr", plugins=[ECHO])
    s.call("disallow_token", token="tok-vr", plugins=[ECHO])
    s.call("allow_token", token="tok-none", plugins=[ECHO])
    s.call("remove_token", token="tok-vr")
    s.call("remove_token", token="tok-vr")
    s.call("remove_token", token="tok-all")


def sc_not_accepting(s: Session) -> None:
    s.call("create")


def sc_auth(s: Session) -> None:
    s.call("create", auth=False)
    s.call("info")
    s.call("ping")
    sid = _session(s)
    s.call("attach", session_id=sid, plugin=ECHO)
    if s.http is not None:
        s.http.poll(sid)  # no ?apisecret=: HTTP 403, empty body
    s.call("destroy", session_id=sid)


def sc_auth_token(s: Session) -> None:
    """A stored token limited to the VideoRoom (added beforehand through the admin API)."""
    sid = _session(s)
    _handle(s, sid, VROOM)
    s.call("attach", session_id=sid, plugin=ECHO)
    s.call("destroy", session_id=sid)


# -- the run -----------------------------------------------------------------------------------


class Run:
    """Where and what to record: one JSON file per transport and scenario."""

    def __init__(self, out: Path, version: str) -> None:
        self.out, self.version = out, version
        self.counts: dict[str, int] = {}

    @contextmanager
    def recording(
        self, transport: str, scenario: str, description: str, config: dict[str, Any]
    ) -> Iterator[Recorder]:
        rec = Recorder()
        yield rec
        doc = {
            "janus_version": self.version,
            "transport": transport,
            "scenario": scenario,
            "description": description,
            "config": config,
            "frames": rec.frames,
        }
        name = f"{transport}-{scenario}"
        (self.out / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n")
        self.counts[name] = len(rec.frames)
        print(f"  {name}: {len(rec.frames)} frames", flush=True)


#: The client configuration each transcript was made with (the replay builds its core from it).
PLAIN: dict[str, Any] = {"api_secret": None, "token": None, "admin_secret": None, "admin": False}
ADMIN: dict[str, Any] = {**PLAIN, "admin_secret": ADMIN_SECRET, "admin": True}

SIMPLE: dict[str, tuple[Callable[[Session], None], str]] = {
    "info-ping": (sc_info_ping, "info and ping"),
    "create-attach-detach-destroy": (
        sc_create_attach_detach_destroy,
        "session and handle life cycle (echotest): keepalive, detach with its events, destroy",
    ),
    "create-with-id": (sc_create_with_id, "create with a chosen id, again: 468"),
    "echotest-async": (
        sc_echotest_async,
        "async plugin request: ack and event (result ok); a bad value: event with error 413",
    ),
    "echotest-jsep": (sc_echotest_jsep, "offer in, answer in the event; hangup"),
    "videoroom-sync": (
        sc_videoroom_sync,
        "sync requests and plugin errors in success replies (427, 433, 426)",
    ),
    "videoroom-async": (
        sc_videoroom_async,
        "two publishers join (ack, joined, joining/publishers events); one leaves",
    ),
    "trickle": (sc_trickle, "one candidate, a list, completed (no PeerConnection yet)"),
    "hangup": (sc_hangup, "hangup without a PeerConnection"),
    "errors": (sc_errors, "460 unknown plugin, 458, 459, 464 pranswer, 465 bad SDP"),
    "claim-lost": (sc_claim_lost, "claim of an unknown session: 458"),
}


def admin_session(kind: str, server: JanusServer, rec: Recorder | None = None) -> Session:
    return Session(
        kind, server, rec or Recorder(), admin=True, secrets={"admin_secret": ADMIN_SECRET}
    )


def record_plain(run: Run, server: JanusServer, kind: str) -> None:
    """Scenarios on a Janus without api_secret or tokens."""
    for name, (scenario, description) in SIMPLE.items():
        with run.recording(kind, name, description, PLAIN) as rec:
            session = Session(kind, server, rec)
            scenario(session)
            session.close()
    with run.recording(
        kind, "claim", "claim after the owning WebSocket closed (reclaim window)", PLAIN
    ) as rec:
        session = Session(kind, server, rec)
        sc_claim(session, server)
        session.close()
    with run.recording(
        kind,
        "session-timeout",
        "admin sets this session's timeout to 1 s: timeout event (HTTP: on a pending poll), "
        "then keepalive 458 (HTTP: then a 404 poll)",
        PLAIN,
    ) as rec:
        admin = admin_session(kind, server)
        session = Session(kind, server, rec)
        sc_session_timeout(session, admin)
        session.close()
        admin.close()

    def refused() -> None:
        with run.recording(
            kind,
            "create-not-accepting",
            "create while the admin API set accept_new_sessions false: 472",
            PLAIN,
        ) as rec:
            session = Session(kind, server, rec)
            sc_not_accepting(session)
            session.close()

    with run.recording(
        f"admin-{kind}",
        "admin",
        "global admin requests; list_tokens 490 (no token store); wrong admin_secret 403",
        ADMIN,
    ) as rec:
        admin = admin_session(kind, server, rec)
        sc_admin(admin, refused)
        admin.close()
    with run.recording(
        f"admin-{kind}",
        "admin-handles",
        "session and handle scope admin requests",
        ADMIN,
    ) as rec:
        admin = admin_session(kind, server, rec)
        api = Session(kind, server, Recorder())
        sc_admin_handles(admin, api)
        api.close()
        admin.close()


def record_auth(run: Run, server: JanusServer, kind: str) -> None:
    """Scenarios on a Janus with api_secret and stored tokens."""
    with run.recording(f"admin-{kind}", "admin-tokens", "stored tokens", ADMIN) as rec:
        admin = admin_session(kind, server, rec)
        sc_admin_tokens(admin)
        admin.close()
    with run.recording(
        kind,
        "auth",
        "api_secret: create without it 403, info/ping need none; HTTP poll without it 403",
        {**PLAIN, "api_secret": API_SECRET},
    ) as rec:
        session = Session(kind, server, rec, secrets={"apisecret": API_SECRET})
        sc_auth(session)
        session.close()
    admin = admin_session(kind, server)
    admin.call("add_token", token=TOKEN, plugins=[VROOM])
    with run.recording(
        kind,
        "auth-token",
        "stored token for the VideoRoom only: attach videoroom ok, echotest 405",
        {**PLAIN, "token": TOKEN},
    ) as rec:
        session = Session(kind, server, rec, secrets={"token": TOKEN})
        sc_auth_token(session)
        session.close()
    admin.call("remove_token", token=TOKEN)
    admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--janus", default="janus", help="the Janus binary (default: janus)")
    parser.add_argument("--out", type=Path, default=None, help="default: tests/transcripts/...")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with JanusServer(
        janus_binary=args.janus, admin_secret=ADMIN_SECRET, reclaim_session_timeout=10
    ) as server:
        probe = HTTPPeer(server.http_port, "/janus", Recorder())
        version = probe.post({"janus": "info", "transaction": "v"})["version_string"]
        out = args.out or ROOT / "tests" / "transcripts" / f"janus-{version}"
        out.mkdir(parents=True, exist_ok=True)
        print(f"recording Janus {version} into {out}", flush=True)
        run = Run(out, version)
        for kind in ("ws", "http"):
            record_plain(run, server, kind)
    with JanusServer(
        janus_binary=args.janus,
        admin_secret=ADMIN_SECRET,
        api_secret=API_SECRET,
        token_auth=True,
    ) as server:
        for kind in ("ws", "http"):
            record_auth(run, server, kind)
    elapsed = time.monotonic() - started
    print(f"{len(run.counts)} transcripts, {sum(run.counts.values())} frames, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
