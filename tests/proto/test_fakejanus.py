"""FakeJanus: the public sans-IO fake server of janus_proto.testing."""

from __future__ import annotations

import json
from typing import Any

import pytest

import janus_proto as jp
from janus_proto.testing import EchoTest, FakeJanus, PluginResult, VideoRoom

ECHO = "janus.plugin.echotest"
VROOM = "janus.plugin.videoroom"


class Pair:
    """A connection and a fake Janus, pumped by hand."""

    def __init__(
        self, janus: FakeJanus | None = None, config: jp.JanusConfig | None = None
    ) -> None:
        self.janus = janus if janus is not None else FakeJanus()
        self.conn = jp.JanusConnection(config)
        self.conn.connection_made(now=0.0)

    def call(self, request: jp.Request) -> list[jp.Event]:
        self.conn.send(request, now=0.0)
        return self.pump()

    def pump(self) -> list[jp.Event]:
        for out in self.conn.requests_to_send():
            self.janus.receive(out.text, out.path)
        for text in self.janus.messages_to_client():
            self.conn.receive_message(text, now=0.0)
        events = []
        while (event := self.conn.next_event()) is not None:
            events.append(event)
        return events

    def handle(self, plugin: str = ECHO) -> tuple[int, int]:
        [created] = self.call(jp.Create())
        assert isinstance(created, jp.SessionCreated)
        [attached] = self.call(jp.Attach(session_id=created.session_id, plugin=plugin))
        assert isinstance(attached, jp.HandleAttached)
        return created.session_id, attached.handle_id


def test_session_handle_lifecycle() -> None:
    pair = Pair()
    sid, hid = pair.handle()
    assert pair.janus.sessions == {sid: {hid: ECHO}}
    assert isinstance(pair.call(jp.KeepAlive(session_id=sid))[0], jp.RequestSucceeded)
    assert isinstance(
        pair.call(jp.Trickle(session_id=sid, handle_id=hid, completed=True))[0], jp.RequestSucceeded
    )
    assert isinstance(pair.call(jp.Hangup(session_id=sid, handle_id=hid))[0], jp.RequestSucceeded)
    events = pair.call(jp.Detach(session_id=sid, handle_id=hid))
    assert [type(e) for e in events] == [jp.RequestSucceeded, jp.HandleDetached]
    assert isinstance(pair.call(jp.Destroy(session_id=sid))[0], jp.RequestSucceeded)
    assert pair.janus.sessions == {}
    assert [verb for verb, _ in pair.janus.received] == [
        "create",
        "attach",
        "keepalive",
        "trickle",
        "hangup",
        "detach",
        "destroy",
    ]


def test_info_ping_and_create_with_id() -> None:
    pair = Pair()
    [info] = pair.call(jp.Info())
    assert isinstance(info, jp.ServerInfo)
    assert (info.version, info.session_timeout) == (1102, 60)
    assert ECHO in info.plugins
    assert isinstance(pair.call(jp.Ping())[0], jp.Pong)
    assert pair.call(jp.Create(id=42))[0] == jp.SessionCreated(transaction="t3", session_id=42)
    [failed] = pair.call(jp.Create(id=42))
    assert isinstance(failed, jp.RequestFailed)
    assert failed.code == 468


def test_echotest_plugin() -> None:
    pair = Pair()
    sid, hid = pair.handle()
    offer = {"type": "offer", "sdp": "v=0"}
    [reply] = pair.call(jp.Message(session_id=sid, handle_id=hid, body={"audio": True}, jsep=offer))
    assert isinstance(reply, jp.PluginReply)
    assert reply.sync is False
    assert reply.jsep is not None
    assert reply.jsep["type"] == "answer"
    [failed] = pair.call(jp.Message(session_id=sid, handle_id=hid, body={"video": "yes"}))
    assert isinstance(failed, jp.PluginRequestFailed)
    assert failed.error_code == 413
    assert EchoTest({}, None) == PluginResult(
        events=(({"echotest": "event", "result": "ok"}, None),)
    )


def test_videoroom_plugin() -> None:
    pair = Pair()
    sid, hid = pair.handle(VROOM)

    def ask(body: dict[str, Any]) -> jp.Event:
        return pair.call(jp.Message(session_id=sid, handle_id=hid, body=body))[0]

    created = ask({"request": "create", "room": 5})
    assert isinstance(created, jp.PluginReply)
    assert created.data == {"videoroom": "created", "room": 5, "permanent": False}
    assert isinstance(ask({"request": "create", "room": 5}), jp.PluginRequestFailed)
    random_room = ask({"request": "create"})
    assert isinstance(random_room, jp.PluginReply)
    assert random_room.data["room"] >= 1000
    exists = ask({"request": "exists", "room": 5})
    assert exists.data["exists"] is True  # type: ignore[attr-defined]
    listed = ask({"request": "list"})
    assert {r["room"] for r in listed.data["list"]} >= {1234, 5}  # type: ignore[attr-defined]
    joined = ask({"request": "join", "room": 5, "ptype": "publisher"})
    assert isinstance(joined, jp.PluginReply)
    assert (joined.sync, joined.data["videoroom"]) == (False, "joined")
    unknown = ask({"request": "frobnicate", "room": 5})
    assert isinstance(unknown, jp.PluginRequestFailed)
    assert unknown.error_code == 423
    assert isinstance(ask({"request": "destroy", "room": 5}), jp.PluginReply)
    missing = ask({"request": "destroy", "room": 5})
    assert isinstance(missing, jp.PluginRequestFailed)
    assert missing.error_code == 426
    assert isinstance(VideoRoom()({"request": "list"}, None), PluginResult)


def test_core_errors() -> None:
    pair = Pair()
    sid, hid = pair.handle()
    [extra] = pair.call(jp.Attach(session_id=sid, plugin=ECHO))
    hid2 = extra.handle_id  # type: ignore[attr-defined]
    [nope] = pair.call(jp.Attach(session_id=sid, plugin="janus.plugin.nope"))
    assert isinstance(nope, jp.RequestFailed)
    assert nope.code == 460
    pair.janus.sessions[sid].clear()  # both handles vanish on the server's side only
    gone = pair.call(jp.Hangup(session_id=sid, handle_id=hid))
    assert isinstance(gone[0], jp.RequestFailed)
    assert gone[0].code == 459
    gone_trickle = pair.call(jp.Trickle(session_id=sid, handle_id=hid2, completed=True))
    assert isinstance(gone_trickle[0], jp.RequestFailed)
    assert gone_trickle[0].code == 459
    pair.janus.restart()
    [lost, _] = pair.call(jp.KeepAlive(session_id=sid))
    assert isinstance(lost, jp.RequestFailed)
    assert lost.code == 458


def test_scripted_failure_and_silence() -> None:
    pair = Pair()
    pair.janus.fail_next("create", 472, "not accepting")
    [failed] = pair.call(jp.Create())
    assert isinstance(failed.to_exception(), jp.NotAcceptingSessions)  # type: ignore[attr-defined]
    pair.janus.silence("ping")
    assert pair.call(jp.Ping()) == []
    pair.janus.unsilence("ping")
    assert isinstance(pair.call(jp.Ping())[0], jp.Pong)


def test_hold_and_release() -> None:
    pair = Pair()
    pair.janus.hold()
    assert pair.call(jp.Ping()) == []
    pair.janus.release()
    assert isinstance(pair.pump()[0], jp.Pong)


def test_event_before_ack() -> None:
    pair = Pair(FakeJanus(event_before_ack=True))
    sid, hid = pair.handle()
    pair.conn.send(jp.Message(session_id=sid, handle_id=hid, body={}), now=0.0)
    for out in pair.conn.requests_to_send():
        pair.janus.receive(out.text)
    kinds = [json.loads(t)["janus"] for t in pair.janus.messages_to_client()]
    assert kinds == ["event", "ack"]


def test_claims_restart_and_expiry() -> None:
    pair = Pair()
    sid, _ = pair.handle()
    pair.conn.connection_lost(now=0.0)
    pair.janus.disconnect()
    pair.conn.connection_made(now=0.0)
    assert pair.pump() == [jp.SessionReclaimed(session_id=sid)]
    pair.conn.connection_lost(now=0.0)
    pair.janus.claim_fails = True
    pair.conn.connection_made(now=0.0)
    assert pair.pump() == [jp.SessionLost(session_id=sid, reason=f"No such session {sid}")]
    sid2, _ = pair.handle()
    pair.janus.expire_session(sid2)
    pair.janus.expire_session(sid2)  # already gone: nothing more
    assert pair.pump() == [jp.SessionTimedOut(session_id=sid2)]


def test_pushes() -> None:
    pair = Pair()
    sid, hid = pair.handle()
    pair.janus.push(
        sid, hid, {"echotest": "event", "result": "done"}, jsep={"type": "offer", "sdp": "v=0"}
    )
    pair.janus.push(1, 2, {"x": 1})
    pair.janus.push_raw({"janus": "webrtcup", "session_id": sid, "sender": hid})
    pair.janus.detach_remotely(sid, hid)
    pair.janus.detach_remotely(sid, hid)
    events = pair.pump()
    assert [type(e) for e in events] == [
        jp.PluginEvent,
        jp.PluginEvent,
        jp.WebRTCUp,
        jp.HandleDetached,
    ]
    assert events[0].jsep == {"type": "offer", "sdp": "v=0"}  # type: ignore[attr-defined]
    assert events[1].plugin == ECHO  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{bad", 454),
        ("[1]", 455),
        ('{"janus": "info"}', 456),
        ('{"janus": "bogus", "transaction": "t"}', 457),
        ('{"janus": "bogus", "transaction": "t", "session_id": 1}', 453),
    ],
)
def test_bad_requests(text: str, code: int) -> None:
    janus = FakeJanus()
    janus.receive(text)
    [reply] = [json.loads(t) for t in janus.messages_to_client()]
    assert reply["error"]["code"] == code


def test_api_secret() -> None:
    pair = Pair(FakeJanus(api_secret="s"))
    [denied] = pair.call(jp.Create())
    assert isinstance(denied, jp.RequestFailed)
    assert denied.code == 403
    assert isinstance(pair.call(jp.Info())[0], jp.ServerInfo)
    ok = Pair(FakeJanus(api_secret="s"), jp.JanusConfig(api_secret="s"))
    assert isinstance(ok.call(jp.Create())[0], jp.SessionCreated)


def test_admin_api() -> None:
    janus = FakeJanus(admin=True, admin_secret="adm")
    janus.sessions[7] = {8: ECHO}
    pair = Pair(janus, jp.JanusConfig(admin=True, admin_secret="adm"))
    assert isinstance(pair.call(jp.Info())[0], jp.ServerInfo)
    assert isinstance(pair.call(jp.Ping())[0], jp.Pong)
    assert pair.call(jp.ListSessions())[0].data == {"sessions": [7]}  # type: ignore[attr-defined]
    assert pair.call(jp.ListHandles(session_id=7))[0].data == {  # type: ignore[attr-defined]
        "handles": [8]
    }
    assert isinstance(pair.call(jp.ListHandles(session_id=9))[0], jp.RequestFailed)
    status = pair.call(jp.GetStatus())[0]
    assert status.data["status"]["session_timeout"] == 60  # type: ignore[attr-defined]
    timeout = pair.call(jp.SetSessionTimeout(timeout=5))[0]
    assert timeout.data == {"timeout": 5}  # type: ignore[attr-defined]
    assert pair.call(jp.ListTokens())[0].data == {}  # type: ignore[attr-defined]
    denied = Pair(FakeJanus(admin=True, admin_secret="adm"), jp.JanusConfig(admin=True))
    assert isinstance(denied.call(jp.ListSessions())[0], jp.RequestFailed)


def test_strategies_module_is_lazy() -> None:
    import janus_proto.testing as testing

    assert testing.strategies.__name__ == "janus_proto._strategies"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        testing.nothing  # noqa: B018
