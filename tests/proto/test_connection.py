"""JanusConnection, driven by hand with literal times (no I/O, no event loop)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import janus_proto as jp
from janus_proto import SessionState as S

from .helpers import (
    ECHO,
    HID,
    SID,
    VROOM,
    connected,
    drain,
    feed,
    plugin_event,
    sent,
    with_handle,
    with_session,
)

# -- sending and holding ---------------------------------------------------------------


def test_requests_are_held_until_connection_made() -> None:
    conn = jp.JanusConnection()
    txn = conn.send(jp.Info(), now=0.0)
    assert txn == "t1"
    assert conn.requests_to_send() == []
    assert conn.state is jp.ConnectionState.IDLE
    conn.connection_made(now=1.0)
    [out] = conn.requests_to_send()
    assert out.transaction == "t1"
    assert out.body() == {"janus": "info", "transaction": "t1"}
    assert out.path == ""


def test_injected_transaction_ids_are_used() -> None:
    conn = jp.JanusConnection(transaction_ids=iter(["a", "b"]))
    conn.connection_made(now=0.0)
    assert conn.send(jp.Ping(), now=0.0) == "a"
    assert conn.send(jp.Ping(), now=0.0) == "b"
    with pytest.raises(jp.LocalProtocolError, match="exhausted"):
        conn.send(jp.Ping(), now=0.0)


def test_repeated_transaction_id_is_refused_without_change() -> None:
    conn = jp.JanusConnection(transaction_ids=iter(["a", "a"]))
    conn.connection_made(now=0.0)
    conn.send(jp.Ping(), now=0.0)
    with pytest.raises(jp.LocalProtocolError, match="not a new string"):
        conn.send(jp.Ping(), now=0.0)
    assert [p.transaction for p in conn.pending()] == ["a"]


@pytest.mark.parametrize("timeout", [0, -1, True, "5"])
def test_bad_timeout_is_refused(timeout: object) -> None:
    conn = connected()
    with pytest.raises(jp.LocalProtocolError, match="timeout"):
        conn.send(jp.Ping(), now=0.0, timeout=timeout)  # type: ignore[arg-type]
    assert conn.pending() == []


def test_send_requires_a_request() -> None:
    with pytest.raises(jp.LocalProtocolError, match="takes a Request"):
        connected().send({"janus": "info"}, now=0.0)  # type: ignore[arg-type]


def test_paths_for_http() -> None:
    conn = with_handle()
    conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    assert [o.path for o in conn.requests_to_send()] == [f"/{SID}", f"/{SID}/{HID}"]


def test_admin_paths_and_secret() -> None:
    conn = connected(jp.JanusConfig(admin=True, admin_secret="adm"))
    conn.send(jp.HandleInfo(session_id=5, handle_id=6), now=0.0)
    conn.send(jp.ListSessions(), now=0.0)
    conn.send(jp.Info(), now=0.0)
    outs = conn.requests_to_send()
    assert [o.path for o in outs] == ["/5/6", "", ""]
    assert outs[1].body() == {"janus": "list_sessions", "transaction": "t2", "admin_secret": "adm"}
    assert "admin_secret" not in outs[2].body()


def test_wrong_api_is_refused() -> None:
    with pytest.raises(jp.LocalProtocolError, match="not a Janus API request"):
        connected().send(jp.ListSessions(), now=0.0)
    with pytest.raises(jp.LocalProtocolError, match="not a Admin API request"):
        connected(jp.JanusConfig(admin=True)).send(jp.Create(), now=0.0)


def test_unknown_session_and_handle_are_refused() -> None:
    conn = with_session()
    with pytest.raises(jp.LocalProtocolError, match="unknown session 1"):
        conn.send(jp.Attach(session_id=1, plugin=ECHO), now=0.0)
    with pytest.raises(jp.LocalProtocolError, match="unknown handle 9"):
        conn.send(jp.Hangup(session_id=SID, handle_id=9), now=0.0)
    assert conn.pending() == []


# -- replies -----------------------------------------------------------------------------


def test_create_attach_message_sync() -> None:
    conn = connected()
    txn = conn.send(jp.Create(id=77), now=0.0)
    assert sent(conn) == [{"janus": "create", "transaction": txn, "id": 77}]
    [ev] = feed(conn, {"janus": "success", "transaction": txn, "data": {"id": 77}})
    assert ev == jp.SessionCreated(transaction=txn, session_id=77)
    assert conn.session_state(77) is S.ACTIVE
    assert conn.session_ids() == [77]
    txn = conn.send(jp.Attach(session_id=77, plugin=VROOM, opaque_id="o"), now=0.0)
    [ev] = feed(conn, {"janus": "success", "session_id": 77, "transaction": txn, "data": {"id": 5}})
    assert ev == jp.HandleAttached(transaction=txn, session_id=77, handle_id=5, plugin=VROOM)
    assert conn.handle_ids(77) == [5]
    assert conn.handle_state(77, 5) is jp.HandleState.ATTACHED
    txn = conn.send(
        jp.Message(session_id=77, handle_id=5, body={"request": "exists", "room": 1}), now=0.0
    )
    [ev] = feed(
        conn,
        {
            "janus": "success",
            "session_id": 77,
            "transaction": txn,
            "sender": 5,
            "plugindata": {
                "plugin": VROOM,
                "data": {"videoroom": "success", "room": 1, "exists": True},
            },
        },
    )
    assert isinstance(ev, jp.PluginReply)
    assert ev.sync is True
    assert ev.data["exists"] is True
    assert ev.raw["sender"] == 5


def test_sync_plugin_error_in_success() -> None:
    conn = with_handle(plugin=VROOM)
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"request": "create"}), now=0.0)
    reply = {
        "janus": "success",
        "session_id": SID,
        "transaction": txn,
        "sender": HID,
        "plugindata": {
            "plugin": VROOM,
            "data": {"videoroom": "event", "error_code": 427, "error": "Room 1 already exists"},
        },
    }
    [ev] = feed(conn, reply)
    assert isinstance(ev, jp.PluginRequestFailed)
    exc = ev.to_exception()
    assert isinstance(exc, jp.PluginError)
    assert (exc.plugin, exc.error_code, exc.error) == (VROOM, 427, "Room 1 already exists")
    assert exc.transaction == txn


def test_async_message_ack_then_event_with_jsep() -> None:
    conn = with_handle()
    offer = {"type": "offer", "sdp": "v=0..."}
    txn = conn.send(
        jp.Message(session_id=SID, handle_id=HID, body={"audio": True}, jsep=offer), now=0.0
    )
    assert sent(conn)[0]["jsep"] == offer
    assert (
        feed(
            conn,
            {"janus": "ack", "session_id": SID, "transaction": txn, "hint": "I'm taking my time!"},
        )
        == []
    )
    answer = {"type": "answer", "sdp": "v=0 answer"}
    [ev] = feed(conn, plugin_event({"echotest": "event", "result": "ok"}, txn, jsep=answer))
    assert isinstance(ev, jp.PluginReply)
    assert (ev.sync, ev.jsep, ev.data["result"]) == (False, answer, "ok")
    assert conn.pending() == []


def test_event_before_ack_and_late_ack_swallowed() -> None:
    conn = with_handle()
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    [ev] = feed(conn, plugin_event({"echotest": "event", "result": "ok"}, txn))
    assert isinstance(ev, jp.PluginReply)
    assert feed(conn, {"janus": "ack", "session_id": SID, "transaction": txn}) == []


def test_async_plugin_error_event() -> None:
    conn = with_handle()
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"audio": "yes"}), now=0.0)
    feed(conn, {"janus": "ack", "session_id": SID, "transaction": txn})
    [ev] = feed(
        conn,
        plugin_event(
            {"echotest": "event", "error_code": 413, "error": "Invalid element type"}, txn
        ),
    )
    assert isinstance(ev, jp.PluginRequestFailed)
    assert ev.error_code == 413


def test_second_event_for_a_transaction_is_a_plugin_event() -> None:
    conn = with_handle()
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    feed(conn, {"janus": "ack", "session_id": SID, "transaction": txn})
    feed(conn, plugin_event({"n": 1}, txn))
    [ev] = feed(conn, plugin_event({"n": 2}, txn))
    assert isinstance(ev, jp.PluginEvent)
    assert ev.transaction == txn
    assert ev.data == {"n": 2}


def test_error_reply_maps_to_exception_class() -> None:
    conn = with_session()
    txn = conn.send(jp.Attach(session_id=SID, plugin="janus.plugin.nope"), now=0.0)
    [ev] = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 460, "reason": "No such plugin 'janus.plugin.nope'"},
        },
    )
    assert isinstance(ev, jp.RequestFailed)
    exc = ev.to_exception()
    assert type(exc) is jp.PluginNotFound
    assert (exc.error_code, exc.transaction) == (460, txn)
    assert conn.session_state(SID) is S.ACTIVE


def test_info_ping_trickle_keepalive_hangup_replies() -> None:
    conn = with_handle()
    t_info = conn.send(jp.Info(), now=0.0)
    t_ping = conn.send(jp.Ping(), now=0.0)
    cand = jp.Candidate(candidate="candidate:1 1 udp 1 127.0.0.2 5000 typ host", sdp_mid="0")
    t_trickle = conn.send(jp.Trickle(session_id=SID, handle_id=HID, candidates=[cand]), now=0.0)
    t_keep = conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    t_hang = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    events = feed(
        conn,
        [
            {
                "janus": "server_info",
                "transaction": t_info,
                "name": "Janus WebRTC Server",
                "version": 1102,
                "version_string": "1.1.2",
                "session-timeout": 60,
                "reclaim-session-timeout": 0,
                "candidates-timeout": 45,
                "api_secret": False,
                "auth_token": False,
                "full-trickle": False,
                "plugins": {ECHO: {}},
                "transports": {},
                "extra": "kept",
            },
            {"janus": "pong", "transaction": t_ping},
            {"janus": "ack", "session_id": SID, "transaction": t_trickle},
            {"janus": "ack", "session_id": SID, "transaction": t_keep},
            {"janus": "success", "session_id": SID, "transaction": t_hang},
        ],
    )
    info, pong, trickled, kept, hung = events
    assert isinstance(info, jp.ServerInfo)
    assert (info.version, info.session_timeout, info.candidates_timeout) == (1102, 60, 45)
    assert info.raw["extra"] == "kept"
    assert pong == jp.Pong(transaction=t_ping)
    assert trickled == jp.RequestSucceeded(transaction=t_trickle)
    assert kept == jp.RequestSucceeded(transaction=t_keep)
    assert hung == jp.RequestSucceeded(transaction=t_hang)


def test_server_info_tolerates_missing_fields() -> None:
    conn = connected()
    txn = conn.send(jp.Info(), now=0.0)
    [ev] = feed(conn, {"janus": "server_info", "transaction": txn})
    assert ev == jp.ServerInfo(transaction=txn)


@pytest.mark.parametrize(
    ("request_", "janus"),
    [
        (jp.Create(), "ack"),
        (jp.Info(), "success"),
        (jp.Ping(), "success"),
        (jp.ListSessions(), "ack"),
    ],
)
def test_reply_of_the_wrong_kind_is_malformed(request_: jp.Request, janus: str) -> None:
    conn = connected(jp.JanusConfig(admin=request_.ADMIN))
    txn = conn.send(request_, now=0.0)
    with pytest.raises(jp.RemoteProtocolError, match="expected"):
        conn.receive_message(json.dumps({"janus": janus, "transaction": txn}), now=0.0)
    [ev] = drain(conn)
    assert isinstance(ev, jp.ReplyMalformed)
    assert isinstance(ev.to_exception(), jp.RemoteProtocolError)
    assert conn.pending() == []


def test_wrong_kind_for_attach_message_and_plain_requests() -> None:
    conn = with_handle()
    for request, bad in (
        (jp.Attach(session_id=SID, plugin=ECHO), "ack"),
        (jp.Message(session_id=SID, handle_id=HID, body={}), "pong"),
        (jp.KeepAlive(session_id=SID), "pong"),
    ):
        txn = conn.send(request, now=0.0)
        with pytest.raises(jp.RemoteProtocolError, match="expected"):
            feed(conn, {"janus": bad, "session_id": SID, "transaction": txn})


@pytest.mark.parametrize(
    ("request_", "janus"),
    [
        (jp.KeepAlive(session_id=SID), "event"),  # an event only answers a message
        (jp.Message(session_id=SID, handle_id=HID, body={}), "bogus"),  # an unknown type
        (jp.Info(), "brand-new"),
    ],
)
def test_other_types_naming_a_pending_request_fail_it_at_once(
    request_: jp.Request, janus: str
) -> None:
    conn = with_handle()
    txn = conn.send(request_, now=0.0)
    msg = {"janus": janus, "session_id": SID, "sender": HID, "transaction": txn}
    with pytest.raises(jp.RemoteProtocolError, match="expected"):
        conn.receive_message(json.dumps(msg), now=0.0)
    [ev] = drain(conn)
    assert isinstance(ev, jp.ReplyMalformed)
    assert ev.transaction == txn
    assert conn.pending() == []


def test_pushed_types_naming_a_pending_request_stay_pushed() -> None:
    conn = with_handle()
    txn = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    [ev] = feed(
        conn,
        {"janus": "hangup", "session_id": SID, "sender": HID, "transaction": txn, "reason": "x"},
    )
    assert isinstance(ev, jp.HungUp)
    assert [p.transaction for p in conn.pending()] == [txn]  # still waits for its success
    assert feed(conn, {"janus": "keepalive", "transaction": txn}) == []
    assert [p.transaction for p in conn.pending()] == [txn]


@pytest.mark.parametrize(
    "msg",
    [
        {"janus": "success", "transaction": "t1"},
        {"janus": "success", "transaction": "t1", "data": {"id": "x"}},
    ],
)
def test_create_reply_without_id_is_malformed(msg: dict[str, object]) -> None:
    conn = connected()
    conn.send(jp.Create(), now=0.0)
    with pytest.raises(jp.RemoteProtocolError):
        conn.receive_message(json.dumps(msg), now=0.0)
    assert isinstance(conn.next_event(), jp.ReplyMalformed)


def test_attach_reply_without_data_is_malformed() -> None:
    conn = with_session()
    txn = conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=0.0)
    with pytest.raises(jp.RemoteProtocolError, match="'data' missing"):
        feed(conn, {"janus": "success", "session_id": SID, "transaction": txn})


def test_admin_response() -> None:
    conn = connected(jp.JanusConfig(admin=True, admin_secret="x"))
    txn = conn.send(jp.ListSessions(), now=0.0)
    [ev] = feed(conn, {"janus": "success", "transaction": txn, "sessions": [1, 2]})
    assert ev == jp.AdminResponse(transaction=txn, data={"sessions": [1, 2]})
    txn = conn.send(jp.GetStatus(), now=0.0)
    [ev] = feed(
        conn,
        {"janus": "error", "transaction": txn, "error": {"code": 403, "reason": "Unauthorized"}},
    )
    assert isinstance(ev.to_exception(), jp.Unauthorized)  # type: ignore[attr-defined]


def test_stray_replies() -> None:
    conn = connected()
    events = feed(
        conn,
        [
            {"janus": "success", "transaction": "nobody"},
            {"janus": "error", "error": {"code": 454, "reason": "JSON error"}},
            {"janus": "ack"},
        ],
    )
    assert [type(e) for e in events] == [jp.StrayReply] * 3
    assert events[1].raw["error"]["code"] == 454
    with pytest.raises(jp.RemoteProtocolError):
        conn.receive_message('{"janus": "error", "error": "bad"}', now=0.0)


# -- pushed events -------------------------------------------------------------------------


def test_pushed_events() -> None:
    conn = with_handle()
    base = {"session_id": SID, "sender": HID}
    events = feed(
        conn,
        [
            {"janus": "webrtcup", **base},
            {"janus": "media", **base, "mid": "0", "type": "audio", "receiving": True},
            {
                "janus": "media",
                **base,
                "type": "video",
                "receiving": False,
                "seconds": 2,
                "substream": 1,
            },
            {"janus": "slowlink", **base, "mid": "1", "media": "video", "uplink": True, "lost": 12},
            {"janus": "hangup", **base, "reason": "DTLS alert"},
            {
                "janus": "trickle",
                **base,
                "candidate": {
                    "sdpMid": "0",
                    "sdpMLineIndex": 0,
                    "candidate": "candidate:1 1 udp 1 x",
                },
            },
            {
                "janus": "trickle",
                **base,
                "candidate": {"sdpMLineIndex": 1, "candidate": "candidate:2"},
            },
            {"janus": "trickle", **base, "candidate": {"completed": True}},
            {"janus": "trickle", **base, "candidate": None},
            plugin_event(
                {"echotest": "event", "result": "done"}, jsep={"type": "offer", "sdp": "v=0"}
            ),
            {"janus": "frobnicated", "session_id": SID},
            {"janus": "keepalive"},
        ],
    )
    assert events[0] == jp.WebRTCUp(session_id=SID, handle_id=HID)
    assert events[1] == jp.MediaChanged(
        session_id=SID, handle_id=HID, type="audio", receiving=True, mid="0"
    )
    assert events[2] == jp.MediaChanged(
        session_id=SID, handle_id=HID, type="video", receiving=False, seconds=2, substream=1
    )
    assert events[3] == jp.SlowLink(
        session_id=SID, handle_id=HID, media="video", uplink=True, lost=12, mid="1"
    )
    assert events[4] == jp.HungUp(session_id=SID, handle_id=HID, reason="DTLS alert")
    assert isinstance(events[5], jp.TrickleReceived)
    assert events[5].candidate == jp.Candidate(
        candidate="candidate:1 1 udp 1 x", sdp_mid="0", sdp_mline_index=0
    )
    assert events[6].candidate.sdp_mline_index == 1  # type: ignore[attr-defined]
    assert events[7] == jp.TrickleReceived(session_id=SID, handle_id=HID, completed=True)
    assert events[8] == jp.TrickleReceived(session_id=SID, handle_id=HID, completed=True)
    assert isinstance(events[9], jp.PluginEvent)
    assert events[9].jsep == {"type": "offer", "sdp": "v=0"}
    assert events[9].transaction is None
    assert events[10] == jp.UnknownMessage(janus="frobnicated")
    assert len(events) == 11  # the long poll's keepalive is not an event


@pytest.mark.parametrize(
    "msg",
    [
        {"janus": "webrtcup", "session_id": SID},
        {"janus": "webrtcup", "session_id": "1", "sender": 2},
        {"janus": "media", "session_id": 1, "sender": 2, "receiving": True},
        {"janus": "media", "session_id": 1, "sender": 2, "type": "audio", "receiving": "yes"},
        {"janus": "media", "session_id": 1, "sender": 2, "type": "audio", "mid": 0},
        {"janus": "slowlink", "session_id": 1, "sender": 2, "media": "video", "lost": "x"},
        {"janus": "event", "session_id": 1, "sender": 2},
        {"janus": "event", "session_id": 1, "sender": 2, "plugindata": {"data": {}}},
        {"janus": "event", "session_id": 1, "sender": 2, "plugindata": []},
        {"janus": "event", "session_id": 1, "sender": 2, "plugindata": {"plugin": "p", "data": []}},
        {
            "janus": "event",
            "session_id": 1,
            "sender": 2,
            "plugindata": {"plugin": "p"},
            "jsep": "x",
        },
        {"janus": "trickle", "session_id": 1, "sender": 2, "candidate": "x"},
        {"janus": "trickle", "session_id": 1, "sender": 2, "candidate": {"candidate": "c"}},
        {"janus": "timeout"},
        {"janus": 5},
        {"transaction": "t1"},
        {"janus": "event", "transaction": 5},
    ],
)
def test_malformed_pushed_messages(msg: dict[str, object]) -> None:
    conn = connected()
    with pytest.raises(jp.RemoteProtocolError) as err:
        conn.receive_message(json.dumps(msg), now=0.0)
    assert err.value.raw == msg
    assert drain(conn) == []


def test_plugin_event_without_data_gets_empty_data() -> None:
    conn = connected()
    [ev] = feed(
        conn, {"janus": "event", "session_id": 1, "sender": 2, "plugindata": {"plugin": "p"}}
    )
    assert ev == jp.PluginEvent(session_id=1, handle_id=2, plugin="p", data={})


# -- input forms -----------------------------------------------------------------------------


def test_bytes_arrays_and_back_to_back_objects() -> None:
    conn = connected()
    t1, t2, t3 = (conn.send(jp.Ping(), now=0.0) for _ in range(3))
    conn.receive_message(json.dumps({"janus": "pong", "transaction": t1}).encode(), now=0.0)
    conn.receive_message(bytearray(b'[{"janus":"pong","transaction":"%s"}]' % t2.encode()), now=0.0)
    text = ' {"janus":"keepalive"}\n' + json.dumps({"janus": "pong", "transaction": t3})
    conn.receive_message(text, now=0.0)
    assert [e.transaction for e in drain(conn)] == [t1, t2, t3]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "data",
    [
        "",
        "   ",
        "{not json",
        "[1, 2]",
        "null",
        '"text"',
        "42",
        b"\xff\xfe",
        "[[]]",
        '{"janus": "keepalive"} trailing',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_garbage_raises_remote_protocol_error(data: str | bytes) -> None:
    conn = connected()
    with pytest.raises(jp.RemoteProtocolError):
        conn.receive_message(data, now=0.0)
    txn = conn.send(jp.Ping(), now=0.0)  # still usable
    assert feed(conn, {"janus": "pong", "transaction": txn}) == [jp.Pong(transaction=txn)]


def test_batch_processes_good_items_despite_bad_ones() -> None:
    conn = connected()
    txn = conn.send(jp.Ping(), now=0.0)
    with pytest.raises(jp.RemoteProtocolError, match="expected a JSON object"):
        conn.receive_message(json.dumps([1, {"janus": "pong", "transaction": txn}]), now=0.0)
    assert drain(conn) == [jp.Pong(transaction=txn)]


def test_max_message_size() -> None:
    conn = connected(jp.JanusConfig(max_message_size=100))
    with pytest.raises(jp.RemoteProtocolError, match="exceeds max_message_size"):
        conn.receive_message(" " * 101, now=0.0)
    conn.receive_message('{"janus":"keepalive"}' + " " * 79, now=0.0)


# -- time --------------------------------------------------------------------------------------


def test_timeouts_and_timer() -> None:
    conn = connected(jp.JanusConfig(request_timeout=10.0, keepalive_interval=None))
    assert conn.get_timer() is None
    t1 = conn.send(jp.Ping(), now=1.0)
    t2 = conn.send(jp.Ping(), now=2.0, timeout=3.0)
    assert conn.get_timer() == 5.0
    conn.handle_timer(4.9)
    assert drain(conn) == []
    conn.handle_timer(5.0)
    assert drain(conn) == [jp.TransactionTimedOut(transaction=t2)]
    assert conn.get_timer() == 11.0
    # a late reply for a timed-out transaction is recognised, not stray
    assert feed(conn, {"janus": "pong", "transaction": t2}) == []
    feed(conn, {"janus": "pong", "transaction": t1})
    assert conn.get_timer() is None


def test_keepalive_scheduling_and_refresh() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=25.0, request_timeout=10.0))
    assert conn.get_timer() == 25.0
    conn.handle_timer(24.0)
    assert sent(conn) == []
    conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=20.0)  # traffic refreshes it
    sent(conn)
    assert conn.get_timer() == 30.0  # the attach's deadline comes first
    conn.handle_timer(30.0)
    assert isinstance(drain(conn)[0], jp.TransactionTimedOut)
    assert conn.get_timer() == 45.0
    conn.handle_timer(45.0)
    [keepalive] = sent(conn)
    assert keepalive["janus"] == "keepalive"
    assert keepalive["session_id"] == SID
    feed(
        conn, {"janus": "ack", "session_id": SID, "transaction": keepalive["transaction"]}, now=45.1
    )
    assert drain(conn) == []  # internal: no event
    assert conn.get_timer() == 70.0


def test_one_timer_for_many_sessions() -> None:
    conn = connected(jp.JanusConfig(keepalive_interval=10.0))
    for i, sid in enumerate((11, 12, 13)):
        txn = conn.send(jp.Create(), now=float(i))
        feed(conn, {"janus": "success", "transaction": txn, "data": {"id": sid}}, now=float(i))
    sent(conn)
    assert conn.get_timer() == 10.0
    conn.handle_timer(11.5)
    assert [m["session_id"] for m in sent(conn)] == [11, 12]
    assert conn.get_timer() == 12.0


def test_keepalive_458_loses_the_session() -> None:
    conn = with_handle(jp.JanusConfig(keepalive_interval=5.0))
    conn.handle_timer(5.0)
    [keepalive] = sent(conn)
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": keepalive["transaction"],
            "error": {"code": 458, "reason": "No such session"},
        },
    )
    assert events == [jp.SessionLost(session_id=SID, reason="No such session")]
    assert conn.session_state(SID) is None
    with pytest.raises(jp.LocalProtocolError):
        conn.send(jp.KeepAlive(session_id=SID), now=6.0)


def test_internal_keepalive_other_errors_are_ignored() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=5.0))
    conn.handle_timer(5.0)
    [keepalive] = sent(conn)
    assert (
        feed(
            conn,
            {
                "janus": "error",
                "session_id": SID,
                "transaction": keepalive["transaction"],
                "error": {"code": 490, "reason": "?"},
            },
        )
        == []
    )
    assert conn.session_state(SID) is S.ACTIVE


def test_set_keepalive_interval() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=25.0))
    conn.set_keepalive_interval(4.0, now=10.0)
    assert conn.get_timer() == 14.0
    conn.set_keepalive_interval(None, now=10.0)
    assert conn.get_timer() is None
    with pytest.raises(ValueError, match="positive"):
        conn.set_keepalive_interval(-1.0, now=0.0)


def test_internal_keepalive_timeout_is_silent() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=5.0, request_timeout=2.0))
    conn.handle_timer(5.0)
    sent(conn)
    conn.handle_timer(7.0)
    assert drain(conn) == []
    assert conn.session_state(SID) is S.ACTIVE


# -- abandon -------------------------------------------------------------------------------


def test_abandon_sent_request_and_late_reply() -> None:
    conn = connected()
    txn = conn.send(jp.Ping(), now=0.0)
    conn.abandon(txn)
    conn.abandon(txn)  # idempotent
    conn.abandon("unknown")
    assert conn.pending() == []
    assert conn.get_timer() is None
    assert feed(conn, {"janus": "pong", "transaction": txn}) == []


def test_abandon_held_request_undoes_its_state_change() -> None:
    conn = with_handle()
    conn.connection_lost(now=1.0)
    t_destroy = conn.send(jp.Destroy(session_id=SID), now=1.0)
    assert conn.session_state(SID) is S.DESTROYING
    conn.abandon(t_destroy)
    assert conn.session_state(SID) is S.DISCONNECTED
    conn.connection_made(now=2.0)
    [claim] = sent(conn)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": claim["transaction"]})
    t_detach = conn.send(jp.Detach(session_id=SID, handle_id=HID), now=3.0)
    conn.connection_lost(now=3.0)  # the detach never left: it is held again
    assert conn.handle_state(SID, HID) is jp.HandleState.DETACHING
    conn.abandon(t_detach)
    assert conn.handle_state(SID, HID) is jp.HandleState.ATTACHED


def test_abandon_connected_destroy_reverts_to_active() -> None:
    conn = with_session()
    conn.connection_lost(now=0.0)
    txn = conn.send(jp.Destroy(session_id=SID), now=0.0)
    conn.connection_made(now=0.0)
    # The DESTROYING session gets no claim; the destroy goes out.
    assert [m["janus"] for m in sent(conn)] == ["destroy"]
    conn.connection_lost(now=1.0)
    conn.connection_made(now=1.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=txn, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    assert conn.session_state(SID) is None


def test_abandon_held_claim_of_unknown_session_forgets_it() -> None:
    conn = jp.JanusConnection()
    txn = conn.send(jp.Claim(session_id=99), now=0.0)
    assert conn.session_state(99) is S.CLAIMING
    conn.abandon(txn)
    assert conn.session_state(99) is None


def test_late_create_success_is_destroyed() -> None:
    conn = connected()
    txn = conn.send(jp.Create(), now=0.0)
    conn.abandon(txn)
    sent(conn)
    assert feed(conn, {"janus": "success", "transaction": txn, "data": {"id": 55}}) == []
    [destroy] = sent(conn)
    assert destroy["janus"] == "destroy"
    assert destroy["session_id"] == 55
    feed(conn, {"janus": "success", "session_id": 55, "transaction": destroy["transaction"]})
    assert conn.session_state(55) is None
    assert conn.pending() == []


def test_late_attach_success_is_detached() -> None:
    conn = with_session()
    txn = conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=0.0)
    conn.handle_timer(100.0)
    assert drain(conn) == [jp.TransactionTimedOut(transaction=txn)]
    sent(conn)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": 3}})
    [detach] = sent(conn)
    assert (detach["janus"], detach["handle_id"]) == ("detach", 3)
    events = feed(
        conn, {"janus": "success", "session_id": SID, "transaction": detach["transaction"]}
    )
    assert events == []
    assert conn.handle_ids(SID) == []


def test_late_replies_that_change_nothing() -> None:
    conn = with_handle()
    # late error reply: its effect (458 loses the session) still applies
    t1 = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    conn.abandon(t1)
    t2 = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    conn.abandon(t2)
    assert feed(conn, {"janus": "ack", "session_id": SID, "transaction": t2}) == []
    assert feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": "zz",
            "error": {"code": 1, "reason": ""},
        },
    ) == [jp.StrayReply(janus="error", transaction="zz")]
    t3 = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    conn.abandon(t3)
    conn.receive_message(
        json.dumps({"janus": "error", "session_id": SID, "transaction": t3, "error": "garbled"}),
        now=0.0,
    )  # ignored quietly
    assert drain(conn) == []
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": t1,
            "error": {"code": 458, "reason": "No such session"},
        },
    )
    assert events == [jp.SessionLost(session_id=SID, reason="No such session")]


def test_late_success_while_disconnected_creates_nothing() -> None:
    conn = connected()
    txn = conn.send(jp.Create(), now=0.0)
    conn.abandon(txn)
    conn.connection_lost(now=0.0)
    assert feed(conn, {"janus": "success", "transaction": txn, "data": {"id": 8}}) == []
    assert conn.session_ids() == []


def test_late_success_with_bad_data_is_ignored() -> None:
    conn = connected()
    txn = conn.send(jp.Create(), now=0.0)
    conn.abandon(txn)
    assert feed(conn, {"janus": "success", "transaction": txn, "data": {"id": "x"}}) == []
    assert conn.session_ids() == []


def test_late_attach_to_a_closed_session_is_ignored() -> None:
    conn = with_session()
    txn = conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=0.0)
    sent(conn)
    conn.abandon(txn)
    feed(conn, {"janus": "timeout", "session_id": SID})
    assert (
        feed(conn, {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": 3}})
        == []
    )
    assert sent(conn) == []


# -- sessions and handles ending ------------------------------------------------------------


def test_destroy_success_aborts_the_rest() -> None:
    conn = with_handle()
    t_msg = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    t_destroy = conn.send(jp.Destroy(session_id=SID), now=0.0)
    assert conn.session_state(SID) is S.DESTROYING
    with pytest.raises(jp.LocalProtocolError, match="destroying"):
        conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    with pytest.raises(jp.LocalProtocolError, match="destroy sent is not possible"):
        conn.send(jp.Destroy(session_id=SID), now=0.0)
    events = feed(conn, {"janus": "success", "session_id": SID, "transaction": t_destroy})
    assert events == [
        jp.RequestAborted(transaction=t_msg, reason=jp.AbortReason.SESSION_DESTROYED),
        jp.RequestSucceeded(transaction=t_destroy),
    ]
    assert conn.session_state(SID) is None
    assert conn.pending() == []


def test_destroy_failure_returns_to_active() -> None:
    conn = with_session()
    txn = conn.send(jp.Destroy(session_id=SID), now=0.0)
    [ev] = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 403, "reason": "Unauthorized"},
        },
    )
    assert isinstance(ev, jp.RequestFailed)
    assert conn.session_state(SID) is S.ACTIVE


def test_destroy_458_closes_the_session() -> None:
    conn = with_session()
    txn = conn.send(jp.Destroy(session_id=SID), now=0.0)
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 458, "reason": "No such session"},
        },
    )
    assert isinstance(events[0], jp.RequestFailed)
    assert events[1] == jp.SessionLost(session_id=SID, reason="No such session")
    assert conn.session_state(SID) is None


def test_detach_success_and_failure() -> None:
    conn = with_handle()
    txn = conn.send(jp.Detach(session_id=SID, handle_id=HID), now=0.0)
    assert conn.handle_state(SID, HID) is jp.HandleState.DETACHING
    with pytest.raises(jp.LocalProtocolError, match="detaching"):
        conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    [failed] = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 463, "reason": "?"},
        },
    )
    assert isinstance(failed, jp.RequestFailed)
    assert conn.handle_state(SID, HID) is jp.HandleState.ATTACHED
    txn = conn.send(jp.Detach(session_id=SID, handle_id=HID), now=0.0)
    assert feed(conn, {"janus": "success", "session_id": SID, "transaction": txn}) == [
        jp.RequestSucceeded(transaction=txn)
    ]
    assert conn.handle_state(SID, HID) is None


def test_pushed_detached_completes_a_pending_detach() -> None:
    conn = with_handle()
    t_msg = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    t_detach = conn.send(jp.Detach(session_id=SID, handle_id=HID), now=0.0)
    events = feed(
        conn,
        [
            plugin_event({"echotest": "event", "result": "done"}),
            {"janus": "detached", "session_id": SID, "sender": HID},
        ],
    )
    assert set(map(type, events)) == {
        jp.PluginEvent,
        jp.RequestAborted,
        jp.RequestSucceeded,
        jp.HandleDetached,
    }
    assert jp.RequestAborted(transaction=t_msg, reason=jp.AbortReason.HANDLE_DETACHED) in events
    assert jp.RequestSucceeded(transaction=t_detach) in events
    # the real success arrives afterwards: recognised, silent
    assert feed(conn, {"janus": "success", "session_id": SID, "transaction": t_detach}) == []


def test_459_marks_the_handle_detached() -> None:
    conn = with_handle()
    txn = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 459, "reason": "No such handle"},
        },
    )
    assert isinstance(events[0], jp.RequestFailed)
    assert events[1] == jp.HandleDetached(session_id=SID, handle_id=HID)
    assert conn.handle_state(SID, HID) is None


def test_error_for_handle_request_other_codes_change_nothing() -> None:
    conn = with_handle()
    txn = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 463, "reason": "?"},
        },
    )
    assert conn.handle_state(SID, HID) is jp.HandleState.ATTACHED


def test_session_timeout_event() -> None:
    conn = with_handle()
    t_msg = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    t_keep = conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    events = feed(conn, {"janus": "timeout", "session_id": SID})
    assert events == [
        jp.RequestAborted(transaction=t_msg, reason=jp.AbortReason.SESSION_TIMEOUT),
        jp.RequestAborted(transaction=t_keep, reason=jp.AbortReason.SESSION_TIMEOUT),
        jp.SessionTimedOut(session_id=SID),
    ]
    assert conn.session_state(SID) is None
    assert conn.get_timer() is None
    with pytest.raises(jp.LocalProtocolError, match="unknown session"):
        conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=0.0)
    # for a session we do not know, the event is still reported
    assert feed(conn, {"janus": "timeout", "session_id": 1}) == [jp.SessionTimedOut(session_id=1)]


def test_session_not_found_for_http_poll() -> None:
    conn = with_session()
    conn.session_not_found(SID, now=1.0)
    assert drain(conn) == [jp.SessionLost(session_id=SID, reason="session not found")]
    conn.session_not_found(SID, now=1.0)
    assert drain(conn) == []


def test_poll_path_quotes_credentials() -> None:
    conn = jp.JanusConnection(jp.JanusConfig(api_secret="a b&c", token="1,janus:x/y+=="))
    assert conn.poll_path(5, maxev=10) == (
        "/5?maxev=10&apisecret=a%20b%26c&token=1%2Cjanus%3Ax%2Fy%2B%3D%3D"
    )
    assert jp.JanusConnection().poll_path(5) == "/5"


def test_unknown_events_for_unknown_handles_still_delivered() -> None:
    conn = with_session()
    assert feed(conn, {"janus": "detached", "session_id": SID, "sender": 1}) == [
        jp.HandleDetached(session_id=SID, handle_id=1)
    ]


# -- connection loss and reclaim ------------------------------------------------------------


def test_connection_lost_aborts_in_flight_and_holds_new_requests() -> None:
    conn = with_handle()
    t_flight = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    sent(conn)
    t_unsent = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)  # not drained
    conn.connection_lost(now=1.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=t_flight, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    assert conn.state is jp.ConnectionState.DISCONNECTED
    assert conn.session_state(SID) is S.DISCONNECTED
    t_during = conn.send(jp.Trickle(session_id=SID, handle_id=HID, completed=True), now=1.5)
    t_root = conn.send(jp.Info(), now=1.5)
    assert sent(conn) == []
    assert conn.get_timer() == 15.0  # the unsent hangup still has its deadline
    conn.connection_made(now=2.0)
    outs = sent(conn)
    assert [m["janus"] for m in outs] == ["claim", "info"]
    assert conn.session_state(SID) is S.CLAIMING
    [ev] = feed(
        conn, {"janus": "success", "session_id": SID, "transaction": outs[0]["transaction"]}
    )
    assert ev == jp.SessionReclaimed(session_id=SID)
    assert [m["transaction"] for m in sent(conn)] == [t_unsent, t_during]
    assert conn.session_state(SID) is S.ACTIVE
    assert t_root == outs[1]["transaction"]


def test_connection_lost_holds_requests_the_driver_could_not_send() -> None:
    conn = with_handle()
    t_lost = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"a": 1}), now=0.0)
    t_unsent = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"b": 2}), now=0.0)
    t_ka = conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    outs = conn.requests_to_send()
    assert [o.transaction for o in outs] == [t_lost, t_unsent, t_ka]
    t_queued = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)  # not taken
    conn.abandon(t_ka)
    # The first left; the transport refused the others unwritten (the keepalive's waiter
    # had gone: ignored).
    conn.connection_lost(now=1.0, unsent=outs[1:])
    assert drain(conn) == [
        jp.RequestAborted(transaction=t_lost, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    conn.connection_made(now=2.0)
    [claim] = sent(conn)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": claim["transaction"]})
    again = sent(conn)
    assert [m["transaction"] for m in again] == [t_unsent, t_queued]
    assert again[0]["body"] == {"b": 2}


def test_claim_458_loses_session_and_fails_held_requests() -> None:
    conn = with_handle()
    conn.connection_lost(now=0.0)
    txn = conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=0.0)
    conn.connection_made(now=1.0)
    [claim] = sent(conn)
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": claim["transaction"],
            "error": {"code": 458, "reason": "No such session"},
        },
    )
    assert events == [
        jp.RequestAborted(transaction=txn, reason=jp.AbortReason.SESSION_LOST),
        jp.SessionLost(session_id=SID, reason="No such session"),
    ]
    assert sent(conn) == []
    assert conn.session_ids() == []


def test_claim_timeout_loses_session() -> None:
    conn = with_session(jp.JanusConfig(request_timeout=5.0))
    conn.connection_lost(now=0.0)
    conn.connection_made(now=1.0)
    sent(conn)
    conn.handle_timer(6.0)
    assert drain(conn) == [jp.SessionLost(session_id=SID, reason="claim timed out")]


def test_lost_again_while_claiming() -> None:
    conn = with_session()
    conn.connection_lost(now=0.0)
    conn.connection_made(now=1.0)
    assert conn.session_state(SID) is S.CLAIMING
    conn.connection_lost(now=2.0)  # the claim was in flight: dropped silently
    assert drain(conn) == []
    assert conn.session_state(SID) is S.DISCONNECTED
    conn.connection_made(now=3.0)
    assert [m["janus"] for m in sent(conn)] == ["claim"]


def test_undrained_internal_requests_are_remade_after_reconnect() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=5.0))
    conn.handle_timer(5.0)  # a keepalive is queued but not drained
    conn.connection_lost(now=5.0)
    assert conn.pending() == []
    conn.connection_made(now=6.0)
    assert [m["janus"] for m in sent(conn)] == ["claim"]


def test_user_claim_of_a_foreign_session() -> None:
    conn = connected()
    txn = conn.send(jp.Claim(session_id=321), now=0.0)
    assert [m["janus"] for m in sent(conn)] == ["claim"]
    assert feed(conn, {"janus": "success", "session_id": 321, "transaction": txn}) == [
        jp.RequestSucceeded(transaction=txn)
    ]
    assert conn.session_state(321) is S.ACTIVE
    txn = conn.send(jp.Claim(session_id=321), now=0.0)  # claiming an active one: plain
    feed(conn, {"janus": "success", "session_id": 321, "transaction": txn})
    assert conn.session_state(321) is S.ACTIVE
    txn = conn.send(jp.Claim(session_id=322), now=0.0)
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": 322,
            "transaction": txn,
            "error": {"code": 403, "reason": "Unauthorized"},
        },
    )
    assert isinstance(events[0], jp.RequestFailed)
    assert events[1] == jp.SessionLost(session_id=322, reason="Unauthorized")


def test_destroy_in_flight_when_connection_drops() -> None:
    conn = with_handle()
    t_msg = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    sent(conn)
    conn.connection_lost(now=0.0)
    t_destroy = conn.send(jp.Destroy(session_id=SID), now=0.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=t_msg, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    conn.connection_made(now=1.0)
    assert [m["janus"] for m in sent(conn)] == ["destroy"]
    conn.connection_lost(now=2.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=t_destroy, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    assert conn.session_state(SID) is None
    assert t_msg not in [p.transaction for p in conn.pending()]


def test_connection_state_errors() -> None:
    conn = connected()
    with pytest.raises(jp.LocalProtocolError, match="connected"):
        conn.connection_made(now=0.0)
    conn.close(now=0.0)
    with pytest.raises(jp.LocalProtocolError, match="closed"):
        conn.send(jp.Ping(), now=0.0)
    conn.close(now=0.0)  # idempotent
    conn.connection_lost(now=0.0)  # harmless after close
    idle = jp.JanusConnection()
    idle.connection_lost(now=0.0)
    assert idle.state is jp.ConnectionState.IDLE


def test_close_aborts_everything() -> None:
    conn = with_handle(jp.JanusConfig(keepalive_interval=1.0))
    t1 = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    t2 = conn.send(jp.Info(), now=0.0)
    conn.handle_timer(1.0)  # an internal keepalive is pending too
    conn.close(now=2.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=t1, reason=jp.AbortReason.CLOSED),
        jp.RequestAborted(transaction=t2, reason=jp.AbortReason.CLOSED),
    ]
    assert conn.session_ids() == []
    assert conn.get_timer() is None
    assert conn.requests_to_send() == []
    assert conn.state is jp.ConnectionState.CLOSED


def test_pending_snapshot() -> None:
    conn = with_handle()
    conn.send(jp.Hangup(session_id=SID, handle_id=HID), now=1.0, timeout=2.0)
    conn.send(jp.KeepAlive(session_id=SID), now=1.0)
    conn.send(jp.Info(), now=1.0)
    infos = conn.pending()
    assert [(p.owner, p.deadline, p.sent, p.internal) for p in infos] == [
        ((SID, HID), 3.0, True, False),
        (SID, 16.0, True, False),
        (None, 16.0, True, False),
    ]


def test_local_errors_leave_state_unchanged() -> None:
    conn = with_handle()
    conn.send(jp.Detach(session_id=SID, handle_id=HID), now=0.0)
    before = (conn.pending(), conn.session_state(SID), conn.handle_state(SID, HID))
    for bad in (
        jp.Detach(session_id=SID, handle_id=HID),
        jp.Message(session_id=SID, handle_id=HID, body={}),
        jp.ListSessions(),
    ):
        with pytest.raises(jp.LocalProtocolError):
            conn.send(bad, now=0.0)
    assert (conn.pending(), conn.session_state(SID), conn.handle_state(SID, HID)) == before


def test_handle_token_is_used_for_its_requests() -> None:
    conn = with_session(jp.JanusConfig(token="conn-token"))
    txn = conn.send(jp.Attach(session_id=SID, plugin=ECHO, token="handle-token"), now=0.0)
    assert sent(conn)[0]["token"] == "handle-token"
    feed(conn, {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": 4}})
    conn.send(jp.Hangup(session_id=SID, handle_id=4), now=0.0)
    conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    hangup, keepalive = sent(conn)
    assert hangup["token"] == "handle-token"
    assert keepalive["token"] == "conn-token"


def test_repr_hides_secrets() -> None:
    config = jp.JanusConfig(api_secret="SECRET1", token="SECRET2", admin_secret="SECRET3")
    conn = jp.JanusConnection(config)
    conn.connection_made(now=0.0)
    conn.send(jp.Info(), now=0.0)
    conn.send(jp.Create(), now=0.0)
    texts = [
        repr(config),
        repr(conn),
        repr(conn.requests_to_send()),
        repr(jp.Attach(session_id=1, plugin="p", token="SECRET4")),
        repr(jp.AddToken(token="SECRET5")),
    ]
    for text in texts:
        assert "SECRET" not in text


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("request_timeout", 0, ValueError),
        ("request_timeout", float("inf"), ValueError),
        ("request_timeout", "1", TypeError),
        ("keepalive_interval", True, TypeError),
        ("api_secret", 5, TypeError),
        ("admin", "yes", TypeError),
    ],
)
def test_config_validation(field: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=field):
        jp.JanusConfig(**{field: value})  # type: ignore[arg-type]


def test_default_transaction_ids_are_fresh_per_connection() -> None:
    def ids(conn: jp.JanusConnection) -> Iterator[str]:
        conn.connection_made(now=0.0)
        while True:
            yield conn.send(jp.Ping(), now=0.0)

    a, b = ids(jp.JanusConnection()), ids(jp.JanusConnection())
    assert [next(a), next(a)] == ["t1", "t2"]
    assert next(b) == "t1"


# -- corners ------------------------------------------------------------------------------


def test_set_keepalive_skips_sessions_that_are_not_active() -> None:
    conn = with_session()
    conn.connection_lost(now=0.0)
    conn.set_keepalive_interval(5.0, now=1.0)
    conn.connection_made(now=2.0)
    assert conn.get_timer() == 17.0  # only the claim's deadline: no keepalive yet


def test_held_request_times_out_and_is_undone() -> None:
    conn = with_handle(jp.JanusConfig(keepalive_interval=None))
    conn.connection_lost(now=0.0)
    t_detach = conn.send(jp.Detach(session_id=SID, handle_id=HID), now=0.0, timeout=1.0)
    conn.handle_timer(0.5)  # not connected: no keepalive work, nothing expired
    conn.handle_timer(1.0)
    assert drain(conn) == [jp.TransactionTimedOut(transaction=t_detach)]
    assert conn.handle_state(SID, HID) is jp.HandleState.ATTACHED
    conn.connection_made(now=2.0)
    assert [m["janus"] for m in sent(conn)] == ["claim"]


def test_malformed_reply_to_an_internal_request_is_silent() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=1.0))
    conn.handle_timer(1.0)
    [keepalive] = sent(conn)
    with pytest.raises(jp.RemoteProtocolError):
        conn.receive_message(
            json.dumps({"janus": "pong", "transaction": keepalive["transaction"]}), now=1.0
        )
    assert drain(conn) == []


def test_create_reply_with_an_id_we_already_track() -> None:
    conn = with_session()
    txn = conn.send(jp.Create(), now=0.0)
    [ev] = feed(conn, {"janus": "success", "transaction": txn, "data": {"id": SID}})
    assert ev == jp.SessionCreated(transaction=txn, session_id=SID)
    assert conn.session_ids() == [SID]


def test_no_keepalives_at_all() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=None))
    assert conn.get_timer() is None
    conn.connection_lost(now=0.0)
    conn.connection_made(now=1.0)
    [claim] = sent(conn)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": claim["transaction"]})
    txn = conn.send(jp.Destroy(session_id=SID), now=2.0)
    feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 403, "reason": "?"},
        },
    )
    assert conn.session_state(SID) is S.ACTIVE
    assert conn.get_timer() is None


def test_destroy_failure_rearms_the_keepalive() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=10.0))
    txn = conn.send(jp.Destroy(session_id=SID), now=3.0)
    feed(
        conn,
        {
            "janus": "error",
            "session_id": SID,
            "transaction": txn,
            "error": {"code": 403, "reason": "?"},
        },
        now=4.0,
    )
    assert conn.get_timer() == 14.0


def test_connection_lost_with_a_keepalive_in_flight() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=1.0))
    conn.handle_timer(1.0)
    sent(conn)
    conn.connection_lost(now=1.5)
    assert drain(conn) == []
    assert conn.pending() == []


def test_session_timeout_ends_internal_requests_silently() -> None:
    conn = with_session(jp.JanusConfig(keepalive_interval=1.0))
    conn.handle_timer(1.0)
    sent(conn)
    assert feed(conn, {"janus": "timeout", "session_id": SID}) == [
        jp.SessionTimedOut(session_id=SID)
    ]
    assert conn.pending() == []


def test_session_lost_while_disconnected() -> None:
    conn = with_session()
    conn.connection_lost(now=0.0)
    conn.session_not_found(SID, now=0.0)
    assert drain(conn) == [jp.SessionLost(session_id=SID, reason="session not found")]
    conn.connection_made(now=1.0)
    assert sent(conn) == []


def test_abandoned_user_claim_of_a_known_session_keeps_it() -> None:
    conn = with_session()
    conn.connection_lost(now=0.0)
    txn = conn.send(jp.Claim(session_id=SID), now=0.0)
    conn.abandon(txn)
    assert conn.session_state(SID) is S.DISCONNECTED


def test_forget_limit_bounds_memory_of_released_transactions() -> None:
    conn = connected(jp.JanusConfig(forget_limit=1))
    t1 = conn.send(jp.Ping(), now=0.0)
    t2 = conn.send(jp.Ping(), now=0.0)
    conn.abandon(t1)
    conn.abandon(t2)
    # t1 was evicted: its late reply is now a stray; t2 is still recognised.
    assert feed(conn, {"janus": "pong", "transaction": t2}) == []
    assert feed(conn, {"janus": "pong", "transaction": t1}) == [
        jp.StrayReply(janus="pong", transaction=t1)
    ]


def test_destroy_achieved_by_a_timeout_then_answered() -> None:
    conn = with_session()
    txn = conn.send(jp.Destroy(session_id=SID), now=0.0)
    assert feed(conn, {"janus": "timeout", "session_id": SID}) == [
        jp.RequestSucceeded(transaction=txn),
        jp.SessionTimedOut(session_id=SID),
    ]
    assert feed(conn, {"janus": "success", "session_id": SID, "transaction": txn}) == []


def test_claim_and_held_request_expiring_together() -> None:
    # Found by the state machine: the expired claim loses the session, which ends the held
    # attach that is expiring in the same handle_timer call.
    conn = with_session(jp.JanusConfig(keepalive_interval=None))
    conn.connection_lost(now=0.0)
    conn.connection_made(now=0.0)
    txn = conn.send(jp.Attach(session_id=SID, plugin=ECHO), now=0.0)
    conn.handle_timer(1000.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=txn, reason=jp.AbortReason.SESSION_LOST),
        jp.SessionLost(session_id=SID, reason="claim timed out"),
    ]
    assert conn.pending() == []


def test_a_claimed_session_adopts_handles_attached_elsewhere() -> None:
    conn = connected()
    txn = conn.send(jp.Claim(session_id=321), now=0.0)
    feed(conn, {"janus": "success", "session_id": 321, "transaction": txn})
    txn = conn.send(jp.Message(session_id=321, handle_id=77, body={"audio": True}), now=0.0)
    assert conn.handle_ids(321) == [77]
    assert conn.handle_state(321, 77) is jp.HandleState.ATTACHED
    [ev] = feed(conn, plugin_event({"result": "ok"}, txn, hid=77) | {"session_id": 321})
    assert isinstance(ev, jp.PluginReply)
    # our own sessions stay strict: a handle id we never attached is a user error
    own = with_session()
    with pytest.raises(jp.LocalProtocolError, match="unknown handle 77"):
        own.send(jp.Hangup(session_id=SID, handle_id=77), now=0.0)


def test_abandoned_claim_keeps_a_confirmed_adopted_session() -> None:
    conn = connected()
    txn = conn.send(jp.Claim(session_id=321), now=0.0)
    feed(conn, {"janus": "success", "session_id": 321, "transaction": txn})
    conn.connection_lost(now=0.0)
    txn = conn.send(jp.Claim(session_id=321), now=0.0)
    conn.abandon(txn)
    assert conn.session_state(321) is S.DISCONNECTED
