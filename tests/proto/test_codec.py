"""Requests, their wire form, event encoding, and the error classes."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import janus_proto as jp
from janus_proto import _wire

from .helpers import ECHO, HID, SID, connected, drain, feed, with_handle

CAND = jp.Candidate(
    candidate="candidate:1 1 udp 2122260223 127.0.0.2 5000 typ host", sdp_mid="0", sdp_mline_index=0
)

#: One instance of every request, and the exact JSON Janus expects (without transaction).
SAMPLES: list[tuple[jp.Request, dict[str, Any]]] = [
    (jp.Info(), {"janus": "info"}),
    (jp.Ping(), {"janus": "ping"}),
    (jp.Create(), {"janus": "create"}),
    (jp.Create(id=4242424242), {"janus": "create", "id": 4242424242}),
    (
        jp.Attach(session_id=1, plugin=ECHO, opaque_id="o", loop_index=2),
        {"janus": "attach", "session_id": 1, "plugin": ECHO, "opaque_id": "o", "loop_index": 2},
    ),
    (
        jp.Message(
            session_id=1, handle_id=2, body={"audio": True}, jsep={"type": "offer", "sdp": "v=0"}
        ),
        {
            "janus": "message",
            "session_id": 1,
            "handle_id": 2,
            "body": {"audio": True},
            "jsep": {"type": "offer", "sdp": "v=0"},
        },
    ),
    (
        jp.Trickle(session_id=1, handle_id=2, candidates=[CAND]),
        {"janus": "trickle", "session_id": 1, "handle_id": 2, "candidate": CAND.to_json()},
    ),
    (
        jp.Trickle(session_id=1, handle_id=2, candidates=[CAND, CAND]),
        {
            "janus": "trickle",
            "session_id": 1,
            "handle_id": 2,
            "candidates": [CAND.to_json(), CAND.to_json()],
        },
    ),
    (
        jp.Trickle(session_id=1, handle_id=2, completed=True),
        {"janus": "trickle", "session_id": 1, "handle_id": 2, "candidate": {"completed": True}},
    ),
    (
        jp.Trickle(session_id=1, handle_id=2, candidates=[CAND], completed=True),
        {
            "janus": "trickle",
            "session_id": 1,
            "handle_id": 2,
            "candidates": [CAND.to_json(), {"completed": True}],
        },
    ),
    (jp.KeepAlive(session_id=1), {"janus": "keepalive", "session_id": 1}),
    (jp.Claim(session_id=1), {"janus": "claim", "session_id": 1}),
    (jp.Hangup(session_id=1, handle_id=2), {"janus": "hangup", "session_id": 1, "handle_id": 2}),
    (jp.Detach(session_id=1, handle_id=2), {"janus": "detach", "session_id": 1, "handle_id": 2}),
    (jp.Destroy(session_id=1), {"janus": "destroy", "session_id": 1}),
    (jp.GetStatus(), {"janus": "get_status"}),
    (jp.SetSessionTimeout(timeout=30), {"janus": "set_session_timeout", "timeout": 30}),
    (
        jp.SetSessionTimeout(timeout=-1, session_id=7),
        {"janus": "set_session_timeout", "timeout": -1, "session_id": 7},
    ),
    (jp.SetLogLevel(level=5), {"janus": "set_log_level", "level": 5}),
    (jp.SetLogTimestamps(timestamps=True), {"janus": "set_log_timestamps", "timestamps": True}),
    (jp.SetLogColors(colors=False), {"janus": "set_log_colors", "colors": False}),
    (jp.SetLockingDebug(debug=True), {"janus": "set_locking_debug", "debug": True}),
    (jp.SetRefcountDebug(debug=True), {"janus": "set_refcount_debug", "debug": True}),
    (jp.SetLibniceDebug(debug=False), {"janus": "set_libnice_debug", "debug": False}),
    (
        jp.SetMinNackQueue(min_nack_queue=200),
        {"janus": "set_min_nack_queue", "min_nack_queue": 200},
    ),
    (
        jp.SetNackOptimizations(nack_optimizations=True),
        {"janus": "set_nack_optimizations", "nack_optimizations": True},
    ),
    (jp.SetNoMediaTimer(no_media_timer=2), {"janus": "set_no_media_timer", "no_media_timer": 2}),
    (
        jp.SetSlowlinkThreshold(slowlink_threshold=4),
        {"janus": "set_slowlink_threshold", "slowlink_threshold": 4},
    ),
    (jp.AcceptNewSessions(accept=False), {"janus": "accept_new_sessions", "accept": False}),
    (jp.ListSessions(), {"janus": "list_sessions"}),
    (jp.LoopsInfo(), {"janus": "loops_info"}),
    (
        jp.MessagePlugin(plugin="janus.plugin.videoroom", request={"request": "list"}),
        {
            "janus": "message_plugin",
            "plugin": "janus.plugin.videoroom",
            "request": {"request": "list"},
        },
    ),
    (
        jp.QueryTransport(transport="janus.transport.http", request={"request": "connections"}),
        {
            "janus": "query_transport",
            "transport": "janus.transport.http",
            "request": {"request": "connections"},
        },
    ),
    (
        jp.QueryEventHandler(handler="janus.eventhandler.sample", request={"x": 1}),
        {
            "janus": "query_eventhandler",
            "handler": "janus.eventhandler.sample",
            "request": {"x": 1},
        },
    ),
    (
        jp.QueryLogger(logger="janus.logger.jsonlog", request={}),
        {"janus": "query_logger", "logger": "janus.logger.jsonlog", "request": {}},
    ),
    (
        jp.CustomEvent(schema="s", data={"a": 1}),
        {"janus": "custom_event", "schema": "s", "data": {"a": 1}},
    ),
    (
        jp.CustomLogline(line="hello", level=4),
        {"janus": "custom_logline", "line": "hello", "level": 4},
    ),
    (jp.ResolveAddress(address="localhost"), {"janus": "resolve_address", "address": "localhost"}),
    (
        jp.TestStun(address="127.0.0.1", port=3478, localport=5000),
        {"janus": "test_stun", "address": "127.0.0.1", "port": 3478, "localport": 5000},
    ),
    (jp.AddToken(token="tok"), {"janus": "add_token", "token": "tok"}),
    (
        jp.AddToken(token="tok", plugins=["a", "b"]),
        {"janus": "add_token", "token": "tok", "plugins": ["a", "b"]},
    ),
    (
        jp.AllowToken(token="tok", plugins=["a"]),
        {"janus": "allow_token", "token": "tok", "plugins": ["a"]},
    ),
    (
        jp.DisallowToken(token="tok", plugins=["a"]),
        {"janus": "disallow_token", "token": "tok", "plugins": ["a"]},
    ),
    (jp.ListTokens(), {"janus": "list_tokens"}),
    (jp.RemoveToken(token="tok"), {"janus": "remove_token", "token": "tok"}),
    (jp.ListHandles(session_id=1), {"janus": "list_handles", "session_id": 1}),
    (jp.DestroySession(session_id=1), {"janus": "destroy_session", "session_id": 1}),
    (
        jp.HandleInfo(session_id=1, handle_id=2, plugin_only=True),
        {"janus": "handle_info", "session_id": 1, "handle_id": 2, "plugin_only": True},
    ),
    (
        jp.StartPcap(session_id=1, handle_id=2, folder="/tmp", filename="f.pcap", truncate=64),
        {
            "janus": "start_pcap",
            "session_id": 1,
            "handle_id": 2,
            "folder": "/tmp",
            "filename": "f.pcap",
            "truncate": 64,
        },
    ),
    (
        jp.StartText2Pcap(session_id=1, handle_id=2),
        {"janus": "start_text2pcap", "session_id": 1, "handle_id": 2},
    ),
    (
        jp.StopPcap(session_id=1, handle_id=2),
        {"janus": "stop_pcap", "session_id": 1, "handle_id": 2},
    ),
    (
        jp.StopText2Pcap(session_id=1, handle_id=2),
        {"janus": "stop_text2pcap", "session_id": 1, "handle_id": 2},
    ),
    (
        jp.HangupWebRTC(session_id=1, handle_id=2),
        {"janus": "hangup_webrtc", "session_id": 1, "handle_id": 2},
    ),
    (
        jp.DetachHandle(session_id=1, handle_id=2),
        {"janus": "detach_handle", "session_id": 1, "handle_id": 2},
    ),
]


def test_every_request_class_has_a_sample() -> None:
    classes = set(jp.CORE_REQUESTS.values()) | set(jp.ADMIN_REQUESTS.values())
    assert classes == {type(r) for r, _ in SAMPLES}
    assert len(jp.ADMIN_REQUESTS) == 39  # every verb of janus-api.md s2.4


@pytest.mark.parametrize(("request_", "expected"), SAMPLES, ids=lambda x: type(x).__name__)
def test_encode_and_decode(request_: jp.Request, expected: dict[str, Any]) -> None:
    encoded = jp.encode_request(request_, "T")
    assert encoded == {**expected, "transaction": "T"}
    decoded, txn = jp.decode_request(json.loads(json.dumps(encoded)), admin=request_.ADMIN)
    assert (decoded, txn) == (request_, "T")


def test_credentials() -> None:
    kw: dict[str, Any] = {"api_secret": "A", "token": "K", "admin_secret": "S"}
    assert jp.encode_request(jp.Info(), "t", **kw) == {"janus": "info", "transaction": "t"}
    assert jp.encode_request(jp.Create(), "t", **kw) == {
        "janus": "create",
        "transaction": "t",
        "apisecret": "A",
        "token": "K",
    }
    assert (
        jp.encode_request(jp.Attach(session_id=1, plugin="p", token="H"), "t", **kw)["token"] == "H"
    )
    assert jp.encode_request(jp.ListTokens(), "t", **kw) == {
        "janus": "list_tokens",
        "transaction": "t",
        "admin_secret": "S",
    }
    assert jp.encode_request(jp.AddToken(token="new"), "t", **kw)["token"] == "new"
    assert "admin_secret" not in jp.encode_request(jp.ListTokens(), "t")


def test_scope() -> None:
    assert jp.Info().scope is jp.Scope.ROOT
    assert jp.KeepAlive(session_id=1).scope is jp.Scope.SESSION
    assert jp.Hangup(session_id=1, handle_id=2).scope is jp.Scope.HANDLE
    assert jp.SetSessionTimeout(timeout=1).scope is jp.Scope.ROOT
    assert jp.SetSessionTimeout(timeout=1, session_id=3).scope is jp.Scope.SESSION


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: jp.Request(), TypeError, "abstract"),
        (lambda: jp.AdminRequest(), TypeError, "abstract"),
        (lambda: jp.Attach(session_id=True, plugin="p"), TypeError, "Attach.session_id"),
        (
            lambda: jp.Attach(session_id="1", plugin="p"),  # type: ignore[arg-type]
            TypeError,
            "Attach.session_id",
        ),
        (lambda: jp.Attach(session_id=0, plugin="p"), ValueError, "Attach.session_id"),
        (lambda: jp.Attach(session_id=2**64, plugin="p"), ValueError, "Attach.session_id"),
        (lambda: jp.Attach(session_id=1, plugin=""), ValueError, "Attach.plugin must not be"),
        (
            lambda: jp.Attach(session_id=1, plugin=5),  # type: ignore[arg-type]
            TypeError,
            "Attach.plugin must be str",
        ),
        (lambda: jp.Create(id=-5), ValueError, "Create.id"),
        (lambda: jp.Message(session_id=1, handle_id=2, body=[]), TypeError, "Message.body"),
        (
            lambda: jp.Message(session_id=1, handle_id=2, body={}, jsep="x"),
            TypeError,
            "Message.jsep",
        ),
        (lambda: jp.Trickle(session_id=1, handle_id=2), ValueError, "at least one candidate"),
        (
            lambda: jp.Trickle(session_id=1, handle_id=2, candidates=["c"]),
            TypeError,
            "Trickle.candidates",
        ),
        (
            lambda: jp.Trickle(session_id=1, handle_id=2, completed=1),  # type: ignore[arg-type]
            TypeError,
            "Trickle.completed",
        ),
        (lambda: jp.Candidate(candidate="c"), ValueError, "sdp_mid or sdp_mline_index"),
        (lambda: jp.Candidate(candidate="c", sdp_mline_index=True), TypeError, "sdp_mline_index"),
        (lambda: jp.SetLogLevel(level=True), TypeError, "SetLogLevel.level"),
        (lambda: jp.AddToken(token="t", plugins=[1]), TypeError, "AddToken.plugins"),
        (lambda: jp.AllowToken(token="t", plugins="abc"), TypeError, "AllowToken.plugins"),
    ],
)
def test_bad_arguments_name_the_field(build: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        build()


def test_requests_copy_their_dicts() -> None:
    body = {"audio": True}
    msg = jp.Message(session_id=1, handle_id=2, body=body)
    body["audio"] = False
    assert msg.body == {"audio": True}


@pytest.mark.parametrize(
    ("obj", "error", "match"),
    [
        ({"janus": "info"}, TypeError, "transaction"),
        ({"janus": "nope", "transaction": "t"}, ValueError, "unknown request"),
        ({"janus": 5, "transaction": "t"}, ValueError, "unknown request"),
        (
            {
                "janus": "trickle",
                "transaction": "t",
                "session_id": 1,
                "handle_id": 2,
                "candidates": {},
            },
            TypeError,
            "candidates must be a list",
        ),
        (
            {
                "janus": "trickle",
                "transaction": "t",
                "session_id": 1,
                "handle_id": 2,
                "candidate": "x",
            },
            TypeError,
            "candidate must be an object",
        ),
    ],
)
def test_decode_request_errors(obj: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        jp.decode_request(obj)


def test_decode_trickle_null_candidate_means_completed() -> None:
    request, _ = jp.decode_request(
        {"janus": "trickle", "transaction": "t", "session_id": 1, "handle_id": 2, "candidate": None}
    )
    assert request == jp.Trickle(session_id=1, handle_id=2, completed=True)


# -- events --------------------------------------------------------------------------------

PUSHED: list[jp.Event] = [
    jp.PluginEvent(session_id=SID, handle_id=HID, plugin=ECHO, data={"result": "done"}),
    jp.PluginEvent(
        session_id=SID,
        handle_id=HID,
        plugin=ECHO,
        data={},
        jsep={"type": "offer", "sdp": "v=0"},
        transaction="tx",
    ),
    jp.WebRTCUp(session_id=SID, handle_id=HID),
    jp.MediaChanged(
        session_id=SID,
        handle_id=HID,
        type="video",
        receiving=False,
        mid="1",
        substream=2,
        seconds=3,
    ),
    jp.MediaChanged(session_id=SID, handle_id=HID, type="audio", receiving=True),
    jp.SlowLink(session_id=SID, handle_id=HID, media="audio", uplink=False, lost=3, mid="0"),
    jp.SlowLink(session_id=SID, handle_id=HID, media="audio", uplink=True),
    jp.HungUp(session_id=SID, handle_id=HID, reason="Close PC"),
    jp.HandleDetached(session_id=SID, handle_id=HID),
    jp.TrickleReceived(session_id=SID, handle_id=HID, candidate=CAND),
    jp.TrickleReceived(session_id=SID, handle_id=HID, completed=True),
    jp.SessionTimedOut(session_id=SID),
]


@pytest.mark.parametrize("event", PUSHED, ids=lambda e: type(e).__name__)
def test_pushed_event_round_trip(event: jp.Event) -> None:
    conn = with_handle()
    assert feed(conn, jp.encode_event(event))[-1] == event


def test_transaction_event_round_trips() -> None:
    conn = with_handle()
    cases: list[tuple[jp.Request, Any]] = [
        (jp.Create(), lambda t: jp.SessionCreated(transaction=t, session_id=9)),
        (
            jp.Attach(session_id=SID, plugin=ECHO),
            lambda t: jp.HandleAttached(transaction=t, session_id=SID, handle_id=5, plugin=ECHO),
        ),
        (
            jp.Info(),
            lambda t: jp.ServerInfo(
                transaction=t,
                name="Janus",
                version=1102,
                version_string="1.1.2",
                session_timeout=60,
                plugins={ECHO: {}},
            ),
        ),
        (jp.Info(), lambda t: jp.ServerInfo(transaction=t)),
        (jp.Ping(), lambda t: jp.Pong(transaction=t)),
        (jp.KeepAlive(session_id=SID), lambda t: jp.RequestSucceeded(transaction=t)),
        (
            jp.Trickle(session_id=SID, handle_id=HID, completed=True),
            lambda t: jp.RequestSucceeded(transaction=t, hint="h"),
        ),
        (jp.Hangup(session_id=SID, handle_id=HID), lambda t: jp.RequestSucceeded(transaction=t)),
        (
            jp.Message(session_id=SID, handle_id=HID, body={}),
            lambda t: jp.PluginReply(
                transaction=t,
                session_id=SID,
                handle_id=HID,
                plugin=ECHO,
                data={"a": 1},
                jsep={"type": "answer", "sdp": "v"},
            ),
        ),
        (
            jp.Message(session_id=SID, handle_id=HID, body={}),
            lambda t: jp.PluginReply(
                transaction=t, session_id=SID, handle_id=HID, plugin=ECHO, data={}, sync=False
            ),
        ),
        (
            jp.Message(session_id=SID, handle_id=HID, body={}),
            lambda t: jp.PluginRequestFailed(
                transaction=t,
                session_id=SID,
                handle_id=HID,
                plugin=ECHO,
                error_code=413,
                error="bad",
                data={"echotest": "event", "error_code": 413, "error": "bad"},
            ),
        ),
        (
            jp.Attach(session_id=SID, plugin="x"),
            lambda t: jp.RequestFailed(transaction=t, code=460, reason="No such plugin"),
        ),
        (jp.Info(), lambda t: jp.RequestFailed(transaction=t, code=490, reason="?")),
    ]
    for request, make in cases:
        txn = conn.send(request, now=0.0)
        expected = make(txn)
        assert feed(conn, jp.encode_event(expected, request)) == [expected]
    admin = connected(jp.JanusConfig(admin=True))
    txn = admin.send(jp.ListSessions(), now=0.0)
    expected = jp.AdminResponse(transaction=txn, data={"sessions": [1]})
    assert feed(admin, jp.encode_event(expected)) == [expected]


def test_unknown_and_stray_encode_as_their_raw() -> None:
    raw = {"janus": "future", "x": 1}
    assert jp.encode_event(jp.UnknownMessage(raw=raw, janus="future")) == raw
    assert jp.encode_event(jp.StrayReply(raw={"janus": "ack"}, janus="ack")) == {"janus": "ack"}


@pytest.mark.parametrize(
    "event",
    [
        jp.TransactionTimedOut(transaction="t"),
        jp.RequestAborted(transaction="t", reason=jp.AbortReason.CLOSED),
        jp.ReplyMalformed(transaction="t", reason="?"),
        jp.SessionLost(session_id=1),
        jp.SessionReclaimed(session_id=1),
        jp.HandleEvent(session_id=1, handle_id=2),
    ],
)
def test_local_events_cannot_be_encoded(event: jp.Event) -> None:
    with pytest.raises(ValueError, match="made by the client"):
        jp.encode_event(event)


def test_event_raw_is_not_compared_and_not_in_repr() -> None:
    a = jp.WebRTCUp(session_id=1, handle_id=2, raw={"x": "SECRET"})
    b = jp.WebRTCUp(session_id=1, handle_id=2)
    assert a == b
    assert "SECRET" not in repr(a)


def test_wire_field_readers() -> None:
    with pytest.raises(_wire.Malformed):
        _wire.req_str({"a": 1}, "a")
    with pytest.raises(_wire.Malformed):
        _wire.opt_str({"a": 1}, "a")
    with pytest.raises(_wire.Malformed):
        _wire.plugin_error({"error_code": "x"})
    assert _wire.plugin_error({"error_code": 1, "error": 5}) == (1, "5")
    assert _wire.error_body({"error": {"code": 1, "reason": 2}}) == (1, "2")
    with pytest.raises(_wire.Malformed):
        _wire.error_body({})


# -- errors --------------------------------------------------------------------------------

CODES = {
    403: jp.Unauthorized,
    405: jp.UnauthorizedPlugin,
    450: jp.TransportSpecificError,
    452: jp.MissingRequest,
    453: jp.UnknownRequest,
    454: jp.InvalidJSON,
    455: jp.InvalidJSONObject,
    456: jp.MissingMandatoryElement,
    457: jp.InvalidRequestPath,
    458: jp.SessionNotFound,
    459: jp.HandleNotFound,
    460: jp.PluginNotFound,
    461: jp.PluginAttachError,
    462: jp.PluginMessageError,
    463: jp.PluginDetachError,
    464: jp.JsepUnknownType,
    465: jp.JsepInvalidSdp,
    466: jp.TrickleInvalidStream,
    467: jp.InvalidElementType,
    468: jp.SessionConflict,
    469: jp.UnexpectedAnswer,
    470: jp.TokenNotFound,
    471: jp.WebRTCStateError,
    472: jp.NotAcceptingSessions,
    490: jp.UnknownError,
}


def test_error_classes_by_code() -> None:
    assert dict(jp.ERROR_CLASSES) == CODES
    for code, cls in CODES.items():
        assert jp.error_for_code(code) is cls
        assert cls.code == code
        exc = cls(code, "why", "t1")
        assert isinstance(exc, jp.JanusError)
        assert str(exc) == f"Janus error {code}: why"
        again = pickle.loads(pickle.dumps(exc))
        assert (type(again), again.error_code, again.reason, again.transaction) == (
            cls,
            code,
            "why",
            "t1",
        )
    assert jp.error_for_code(999) is jp.JanusError


def test_plugin_error() -> None:
    exc = jp.PluginError("janus.plugin.videoroom", 426, "No such room")
    assert exc.data == {}
    assert str(exc) == "janus.plugin.videoroom error 426: No such room"
    again = pickle.loads(pickle.dumps(exc))
    assert (again.plugin, again.error_code, again.error) == (exc.plugin, 426, "No such room")


def test_protocol_errors() -> None:
    with pytest.raises(TypeError, match="abstract"):
        jp.JanusProtocolError("x")
    assert isinstance(jp.LocalProtocolError("x"), jp.JanusProtocolError)
    err = jp.RemoteProtocolError("bad", raw=b"x")
    assert err.raw == b"x"


def test_public_api_is_curated() -> None:
    assert isinstance(jp.__all__, tuple)
    assert len(set(jp.__all__)) == len(jp.__all__)
    for name in jp.__all__:
        obj = getattr(jp, name)
        if isinstance(obj, type):
            assert obj.__module__ == "janus_proto", name
    public = {
        n for n in dir(jp) if not n.startswith("_") and type(getattr(jp, n)).__name__ != "module"
    }
    assert public - set(jp.__all__) <= {"annotations"}


def test_outgoing_body_is_the_text() -> None:
    conn = connected()
    conn.send(jp.Ping(), now=0.0)
    [out] = conn.requests_to_send()
    assert out.body() == json.loads(out.text)
    drain(conn)


def test_candidate_json_forms() -> None:
    assert jp.Candidate(candidate="c", sdp_mid="0").to_json() == {"candidate": "c", "sdpMid": "0"}
    assert jp.Candidate(candidate="c", sdp_mline_index=1).to_json() == {
        "candidate": "c",
        "sdpMLineIndex": 1,
    }


def test_request_succeeded_without_request_encodes_as_success() -> None:
    assert jp.encode_event(jp.RequestSucceeded(transaction="t")) == {
        "janus": "success",
        "transaction": "t",
    }
