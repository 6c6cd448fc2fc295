"""JanusConnection through whole scenarios, with the messages Janus 1.1.2 really sends.

Inputs come from janus-api.md s6 (ids and texts as observed). Times are literal, as in
aioquic's tests: no clock, no I/O, no event loop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import janus_proto as jp
from janus_proto import HandleState as HS
from janus_proto import SessionState as SS

from .helpers import drain, feed, sent

S = 4968465197056105
H = 8229633980177
S2 = 6388046963006628
H2 = 2698254359352923
ECHO = "janus.plugin.echotest"
VROOM = "janus.plugin.videoroom"


def ids(*names: str) -> Iterator[str]:
    yield from names
    yield from (f"t{i}" for i in range(1000))


def make(*names: str, connect: bool = True, **config: Any) -> jp.JanusConnection:
    conn = jp.JanusConnection(jp.JanusConfig(**config), transaction_ids=ids(*names))
    if connect:
        conn.connection_made(now=0.0)
    return conn


def create(conn: jp.JanusConnection, sid: int = S, now: float = 0.0) -> None:
    txn = conn.send(jp.Create(), now=now)
    sent(conn)
    feed(conn, {"janus": "success", "transaction": txn, "data": {"id": sid}}, now=now)


def attach(
    conn: jp.JanusConnection, sid: int = S, hid: int = H, plugin: str = ECHO, now: float = 0.0
) -> None:
    txn = conn.send(jp.Attach(session_id=sid, plugin=plugin), now=now)
    sent(conn)
    feed(
        conn,
        {"janus": "success", "session_id": sid, "transaction": txn, "data": {"id": hid}},
        now=now,
    )


def snapshot(conn: jp.JanusConnection) -> object:
    """Everything observable about the connection's state (without draining anything)."""
    return (
        conn.state,
        [(sid, conn.session_state(sid)) for sid in conn.session_ids()],
        [
            (sid, hid, conn.handle_state(sid, hid))
            for sid in conn.session_ids()
            for hid in conn.handle_ids(sid)
        ],
        conn.pending(),
        conn.get_timer(),
    )


# -- the happy paths, as observed ---------------------------------------------------------------


def test_requests_are_held_until_the_transport_is_up() -> None:
    conn = make("tmnFDqQCcwx", "info1", connect=False, api_secret="janusrocks")
    t_create = conn.send(jp.Create(), now=1.0)
    t_info = conn.send(jp.Info(), now=1.5, timeout=3.0)
    assert conn.requests_to_send() == []
    assert [(p.transaction, p.sent, p.deadline) for p in conn.pending()] == [
        ("tmnFDqQCcwx", False, 16.0),
        ("info1", False, 4.5),
    ]
    assert conn.get_timer() == 4.5
    conn.connection_made(now=2.0)
    assert [(o.transaction, o.path, o.body()) for o in conn.requests_to_send()] == [
        (t_create, "", {"janus": "create", "transaction": t_create, "apisecret": "janusrocks"}),
        (t_info, "", {"janus": "info", "transaction": t_info}),
    ]
    assert [p.sent for p in conn.pending()] == [True, True]
    assert conn.requests_to_send() == []  # taken once


def test_echotest_over_http_as_observed() -> None:
    # janus-api.md s6.1-6.3: create, attach, async message, detach; events on the long poll.
    conn = make("tmnFDqQCcwx", "t85jF7lgfOt", "mRmcBpvfY8E", "tdetach", keepalive_interval=None)
    assert conn.send(jp.Create(), now=0.0) == "tmnFDqQCcwx"
    assert sent(conn) == [{"janus": "create", "transaction": "tmnFDqQCcwx"}]
    [created] = feed(
        conn, {"janus": "success", "transaction": "tmnFDqQCcwx", "data": {"id": S}}, now=0.1
    )
    assert created == jp.SessionCreated(transaction="tmnFDqQCcwx", session_id=S)
    assert conn.poll_path(S, maxev=1) == f"/{S}?maxev=1"

    conn.send(jp.Attach(session_id=S, plugin=ECHO, opaque_id="probe-1"), now=0.2)
    [out] = conn.requests_to_send()
    assert out.path == f"/{S}"
    [attached] = feed(
        conn,
        {"janus": "success", "session_id": S, "transaction": "t85jF7lgfOt", "data": {"id": H}},
    )
    assert attached == jp.HandleAttached(
        transaction="t85jF7lgfOt", session_id=S, handle_id=H, plugin=ECHO
    )

    conn.send(jp.Message(session_id=S, handle_id=H, body={"audio": True, "bitrate": 128000}), now=1)
    [out] = conn.requests_to_send()
    assert out.path == f"/{S}/{H}"
    ack = {
        "janus": "ack",
        "session_id": S,
        "transaction": "mRmcBpvfY8E",
        "hint": "I'm taking my time!",
    }
    assert feed(conn, ack) == []
    assert [p.transaction for p in conn.pending()] == ["mRmcBpvfY8E"]  # the event is still due
    [reply] = feed(
        conn,
        [
            {
                "janus": "event",
                "session_id": S,
                "transaction": "mRmcBpvfY8E",
                "sender": H,
                "plugindata": {"plugin": ECHO, "data": {"echotest": "event", "result": "ok"}},
            }
        ],
    )
    assert reply == jp.PluginReply(
        transaction="mRmcBpvfY8E",
        session_id=S,
        handle_id=H,
        plugin=ECHO,
        data={"echotest": "event", "result": "ok"},
        sync=False,
    )
    assert conn.pending() == []

    conn.send(jp.Detach(session_id=S, handle_id=H), now=2.0)
    assert conn.handle_state(S, H) is HS.DETACHING
    assert feed(conn, {"janus": "success", "session_id": S, "transaction": "tdetach"}) == [
        jp.RequestSucceeded(transaction="tdetach")
    ]
    assert conn.handle_ids(S) == []
    events = feed(
        conn,
        [
            {
                "janus": "event",
                "session_id": S,
                "sender": H,
                "plugindata": {"plugin": ECHO, "data": {"echotest": "event", "result": "done"}},
            },
            {"janus": "detached", "session_id": S, "sender": H},
        ],
    )
    assert events == [
        jp.PluginEvent(
            session_id=S, handle_id=H, plugin=ECHO, data={"echotest": "event", "result": "done"}
        ),
        jp.HandleDetached(session_id=S, handle_id=H),
    ]


def test_videoroom_sync_answers_and_plugin_errors() -> None:
    # janus-api.md s6.4: sync answers come in "success", plugin errors too.
    conn = make()
    create(conn)
    attach(conn, plugin=VROOM)
    replies = [
        {"videoroom": "created", "room": 777001, "permanent": False},
        {"videoroom": "event", "error_code": 427, "error": "Room 777001 already exists"},
        {"videoroom": "success", "room": 4040404, "exists": False},
    ]
    events = []
    for data in replies:
        txn = conn.send(jp.Message(session_id=S, handle_id=H, body={"request": "x"}), now=0.0)
        events += feed(
            conn,
            {
                "janus": "success",
                "session_id": S,
                "transaction": txn,
                "sender": H,
                "plugindata": {"plugin": VROOM, "data": data},
            },
        )
    created, failed, exists = events
    assert created == jp.PluginReply(
        transaction=created.transaction,  # type: ignore[attr-defined]
        session_id=S,
        handle_id=H,
        plugin=VROOM,
        data=replies[0],
    )
    assert isinstance(failed, jp.PluginRequestFailed)
    assert (failed.error_code, failed.error, failed.data) == (
        427,
        "Room 777001 already exists",
        replies[1],
    )
    exc = failed.to_exception()
    assert (exc.plugin, exc.error_code, exc.transaction) == (VROOM, 427, failed.transaction)
    assert isinstance(exists, jp.PluginReply)
    assert exists.sync is True
    assert exists.data["exists"] is False
    assert conn.pending() == []


def test_event_before_ack_then_late_ack_is_swallowed() -> None:
    # janus-api.md s1.7: over HTTP the event can reach the long poll before the POST's ack.
    conn = make("c", "a", "publish")
    create(conn)
    attach(conn, plugin=VROOM)
    conn.send(jp.Message(session_id=S, handle_id=H, body={"request": "publish"}), now=0.0)
    answer = {"type": "answer", "sdp": "v=0\r\n"}
    event = {
        "janus": "event",
        "session_id": S,
        "transaction": "publish",
        "sender": H,
        "plugindata": {"plugin": VROOM, "data": {"videoroom": "event", "configured": "ok"}},
        "jsep": answer,
    }
    [reply] = feed(conn, [event])
    assert isinstance(reply, jp.PluginReply)
    assert (reply.sync, reply.jsep) == (False, answer)
    assert feed(conn, {"janus": "ack", "session_id": S, "transaction": "publish"}) == []
    # Another event with that transaction is delivered, not dropped, not matched again.
    [again] = feed(conn, event)
    assert isinstance(again, jp.PluginEvent)
    assert again.transaction == "publish"
    assert again.jsep == answer


def test_replies_complete_the_right_transactions_in_any_order() -> None:
    conn = make()
    create(conn, now=0.0)
    t1 = conn.send(jp.Ping(), now=0.0)
    t2 = conn.send(jp.KeepAlive(session_id=S), now=0.0)
    t3 = conn.send(jp.Info(), now=0.0)
    events = feed(
        conn,
        [
            {"janus": "server_info", "transaction": t3, "name": "Janus WebRTC Server"},
            {"janus": "ack", "session_id": S, "transaction": t2},
            {"janus": "pong", "transaction": t1},
        ],
    )
    assert [type(e) for e in events] == [jp.ServerInfo, jp.RequestSucceeded, jp.Pong]
    assert [e.transaction for e in events] == [t3, t2, t1]  # type: ignore[attr-defined]


# -- time ---------------------------------------------------------------------------------------


def test_timer_is_the_earliest_of_deadlines_and_keepalives() -> None:
    conn = make(request_timeout=10.0, keepalive_interval=25.0)
    assert conn.get_timer() is None
    create(conn, now=0.0)
    assert conn.get_timer() == 25.0  # keepalive only
    conn.send(jp.Info(), now=1.0)  # no session: the keepalive stays at 25
    assert conn.get_timer() == 11.0  # the deadline is earlier
    conn.send(jp.Ping(), now=2.0, timeout=60.0)
    sent(conn)
    assert conn.get_timer() == 11.0
    conn.handle_timer(11.0)
    assert [type(e) for e in drain(conn)] == [jp.TransactionTimedOut]
    assert conn.get_timer() == 25.0  # keepalive before the ping's 62
    conn.connection_lost(now=12.0)  # no keepalives while down: only deadlines count
    assert conn.get_timer() is None  # the ping was in flight: aborted


def test_keepalive_every_interval_refreshed_by_traffic() -> None:
    conn = make(api_secret="janusrocks", keepalive_interval=25.0, request_timeout=10.0)
    create(conn, now=0.0)
    conn.handle_timer(24.9)
    assert sent(conn) == []
    conn.handle_timer(25.0)
    [k1] = sent(conn)
    assert k1 == {
        "janus": "keepalive",
        "transaction": k1["transaction"],
        "session_id": S,
        "apisecret": "janusrocks",
    }
    assert [p.internal for p in conn.pending()] == [True]
    feed(conn, {"janus": "ack", "session_id": S, "transaction": k1["transaction"]}, now=25.1)
    assert drain(conn) == []
    assert conn.get_timer() == 50.0
    # Traffic on the session at 40 pushes the next keepalive to 65.
    txn = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=40.0)
    sent(conn)
    feed(conn, {"janus": "success", "session_id": S, "transaction": txn, "data": {"id": H}})
    conn.handle_timer(50.0)
    assert sent(conn) == []
    assert conn.get_timer() == 65.0
    # Handle traffic counts too.
    conn.send(jp.Hangup(session_id=S, handle_id=H), now=60.0)
    sent(conn)
    assert conn.get_timer() == 70.0  # the hangup's deadline
    conn.handle_timer(70.0)
    drain(conn)
    assert sent(conn) == []
    conn.handle_timer(85.0)
    assert [m["janus"] for m in sent(conn)] == ["keepalive"]


def test_no_keepalives_when_the_interval_is_none() -> None:
    conn = make(keepalive_interval=None, request_timeout=5.0)
    create(conn, now=0.0)
    assert conn.get_timer() is None
    for now in (25.0, 60.0, 1e6):
        conn.handle_timer(now)
        assert sent(conn) == []
    conn.set_keepalive_interval(30.0, now=1e6)
    assert conn.get_timer() == 1e6 + 30.0


def test_timed_out_requests_release_their_transaction() -> None:
    conn = make()
    create(conn)
    attach(conn)
    t1 = conn.send(jp.Message(session_id=S, handle_id=H, body={"audio": True}), now=0.0, timeout=3)
    feed(conn, {"janus": "ack", "session_id": S, "transaction": t1})
    conn.handle_timer(2.999)
    assert drain(conn) == []
    conn.handle_timer(3.0)
    assert drain(conn) == [jp.TransactionTimedOut(transaction=t1)]
    assert conn.pending() == []
    conn.handle_timer(3.0)  # nothing twice
    assert drain(conn) == []
    # The event that finally comes is a plugin event, tagged with the transaction.
    [late] = feed(
        conn,
        {
            "janus": "event",
            "session_id": S,
            "transaction": t1,
            "sender": H,
            "plugindata": {"plugin": ECHO, "data": {"echotest": "event", "result": "ok"}},
        },
    )
    assert isinstance(late, jp.PluginEvent)
    assert late.transaction == t1


# -- abandon and late replies ---------------------------------------------------------------------


def test_abandon_held_and_sent_requests() -> None:
    conn = make(connect=False)
    held = conn.send(jp.Info(), now=0.0)
    conn.abandon(held)
    assert conn.pending() == []
    conn.connection_made(now=1.0)
    assert conn.requests_to_send() == []  # a held request that is abandoned never leaves
    flying = conn.send(jp.Ping(), now=1.0)
    sent(conn)
    conn.abandon(flying)
    assert conn.pending() == []
    assert feed(conn, {"janus": "pong", "transaction": flying}) == []  # recognised, silent
    assert feed(conn, {"janus": "pong", "transaction": held}) == [
        jp.StrayReply(janus="pong", transaction=held)  # never sent: not remembered
    ]


def test_late_create_success_is_destroyed_at_once() -> None:
    conn = make("tmnFDqQCcwx", "tdestroy", api_secret="s")
    conn.send(jp.Create(), now=0.0)
    sent(conn)
    conn.abandon("tmnFDqQCcwx")
    assert feed(conn, {"janus": "success", "transaction": "tmnFDqQCcwx", "data": {"id": S}}) == []
    assert sent(conn) == [
        {"janus": "destroy", "transaction": "tdestroy", "session_id": S, "apisecret": "s"}
    ]
    assert conn.session_state(S) is SS.DESTROYING
    assert [p.internal for p in conn.pending()] == [True]
    assert feed(conn, {"janus": "success", "session_id": S, "transaction": "tdestroy"}) == []
    assert conn.session_ids() == []


def test_late_attach_success_is_detached_at_once() -> None:
    conn = make()
    create(conn)
    txn = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    sent(conn)
    conn.abandon(txn)
    assert conn.handle_ids(S) == []
    feed(conn, {"janus": "success", "session_id": S, "transaction": txn, "data": {"id": H}})
    [detach] = sent(conn)
    assert (detach["janus"], detach["session_id"], detach["handle_id"]) == ("detach", S, H)
    assert conn.handle_state(S, H) is HS.DETACHING
    assert (
        feed(conn, {"janus": "success", "session_id": S, "transaction": detach["transaction"]})
        == []
    )
    assert conn.handle_ids(S) == []


def test_late_error_still_has_its_effect() -> None:
    conn = make()
    create(conn)
    attach(conn)
    txn = conn.send(jp.Hangup(session_id=S, handle_id=H), now=0.0)
    sent(conn)
    conn.handle_timer(100.0)
    assert drain(conn) == [jp.TransactionTimedOut(transaction=txn)]
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": S,
            "transaction": txn,
            "error": {"code": 459, "reason": f"No such handle {H} in session {S}"},
        },
    )
    assert events == [jp.HandleDetached(session_id=S, handle_id=H)]  # no outcome event twice
    assert conn.handle_ids(S) == []


# -- connection loss and reclaim -----------------------------------------------------------------


def test_connection_lost_aborts_in_flight_and_keeps_unsent() -> None:
    conn = make()
    create(conn)
    attach(conn)
    flying = conn.send(jp.Message(session_id=S, handle_id=H, body={"audio": True}), now=0.0)
    sent(conn)
    unsent = conn.send(jp.Hangup(session_id=S, handle_id=H), now=0.5)  # queued, not taken
    conn.connection_lost(now=1.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=flying, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    assert [(p.transaction, p.sent) for p in conn.pending()] == [(unsent, False)]
    assert conn.requests_to_send() == []
    assert conn.session_state(S) is SS.DISCONNECTED
    assert conn.handle_state(S, H) is HS.ATTACHED


def test_reconnect_claims_every_live_session_and_holds_their_requests() -> None:
    conn = make()
    create(conn, S)
    create(conn, S2)
    attach(conn, S, H)
    attach(conn, S2, H2)
    conn.connection_lost(now=1.0)
    t_msg = conn.send(jp.Message(session_id=S, handle_id=H, body={"audio": False}), now=2.0)
    t_keep = conn.send(jp.KeepAlive(session_id=S2), now=2.0)
    t_info = conn.send(jp.Info(), now=2.0)
    assert conn.requests_to_send() == []
    conn.connection_made(now=3.0)
    out = sent(conn)
    claims = [m for m in out if m["janus"] == "claim"]
    assert [m["session_id"] for m in claims] == [S, S2]
    assert [m["janus"] for m in out] == ["claim", "claim", "info"]  # root requests go at once
    assert out[2]["transaction"] == t_info
    assert {conn.session_state(S), conn.session_state(S2)} == {SS.CLAIMING}
    with pytest.raises(jp.LocalProtocolError):  # no second claim of our own, no destroy of a
        conn.connection_made(now=3.0)  # connected connection
    [reclaimed] = feed(
        conn, {"janus": "success", "session_id": S, "transaction": claims[0]["transaction"]}
    )
    assert reclaimed == jp.SessionReclaimed(session_id=S)
    assert [m["transaction"] for m in sent(conn)] == [t_msg]  # only S's request is released
    assert conn.session_state(S) is SS.ACTIVE
    assert conn.session_state(S2) is SS.CLAIMING
    events = feed(
        conn,
        {
            "janus": "error",
            "session_id": S2,
            "transaction": claims[1]["transaction"],
            "error": {"code": 458, "reason": f"No such session {S2}"},
        },
    )
    assert events == [
        jp.RequestAborted(transaction=t_keep, reason=jp.AbortReason.SESSION_LOST),
        jp.SessionLost(session_id=S2, reason=f"No such session {S2}"),
    ]
    assert conn.session_ids() == [S]
    assert sent(conn) == []
    assert conn.handle_ids(S) == [H]  # the reclaimed session keeps its handles


def test_session_timeout_aborts_and_forgets() -> None:
    conn = make()
    create(conn)
    attach(conn)
    t_msg = conn.send(jp.Message(session_id=S, handle_id=H, body={}), now=0.0)
    t_detach = conn.send(jp.Detach(session_id=S, handle_id=H), now=0.0)
    events = feed(conn, {"janus": "timeout", "session_id": S})
    assert events == [
        jp.RequestAborted(transaction=t_msg, reason=jp.AbortReason.SESSION_TIMEOUT),
        jp.RequestSucceeded(transaction=t_detach),  # achieved: the handle is gone anyway
        jp.SessionTimedOut(session_id=S),
    ]
    for request in (
        jp.KeepAlive(session_id=S),
        jp.Attach(session_id=S, plugin=ECHO),
        jp.Hangup(session_id=S, handle_id=H),
        jp.Destroy(session_id=S),
    ):
        with pytest.raises(jp.LocalProtocolError, match=f"unknown session {S}"):
            conn.send(request, now=1.0)


def test_ended_requests_are_reported_in_the_order_they_were_sent() -> None:
    # Regression: each owner's transactions were a set, so the order of the RequestAborted
    # events depended on string hashing (PYTHONHASHSEED).
    conn = make()
    create(conn)
    attach(conn)
    txns = [
        conn.send(jp.Message(session_id=S, handle_id=H, body={"n": i}), now=0.0) for i in range(20)
    ]
    keepalives = [conn.send(jp.KeepAlive(session_id=S), now=0.0) for _ in range(5)]
    events = feed(conn, {"janus": "timeout", "session_id": S})
    assert [e.transaction for e in events[:-1]] == txns + keepalives  # type: ignore[attr-defined]


def test_session_timeout_read_while_disconnected() -> None:
    # Regression: a buffered "timeout" read after connection_lost raised LocalProtocolError
    # out of receive_message (no DISCONNECTED + TIMED_OUT transition).
    conn = make()
    create(conn)
    conn.connection_lost(now=1.0)
    held = conn.send(jp.KeepAlive(session_id=S), now=1.0)
    events = feed(conn, {"janus": "timeout", "session_id": S})
    assert events == [
        jp.RequestAborted(transaction=held, reason=jp.AbortReason.SESSION_TIMEOUT),
        jp.SessionTimedOut(session_id=S),
    ]
    assert conn.session_ids() == []
    conn.connection_made(now=2.0)
    assert sent(conn) == []  # nothing to claim


def test_detach_in_flight_when_the_connection_drops() -> None:
    # Regression: the handle stayed DETACHING for ever; nothing could be sent to it again.
    conn = make()
    create(conn)
    attach(conn)
    txn = conn.send(jp.Detach(session_id=S, handle_id=H), now=0.0)
    sent(conn)
    conn.connection_lost(now=1.0)
    assert drain(conn) == [
        jp.RequestAborted(transaction=txn, reason=jp.AbortReason.CONNECTION_LOST)
    ]
    assert conn.handle_state(S, H) is None
    assert conn.handle_ids(S) == []
    assert conn.session_state(S) is SS.DISCONNECTED
    conn.connection_made(now=2.0)
    assert [m["janus"] for m in sent(conn)] == ["claim"]


def test_internal_requests_not_taken_when_the_connection_drops() -> None:
    # Regression: a cleanup destroy queued but not taken left its session DESTROYING for ever.
    conn = make()
    t_create = conn.send(jp.Create(), now=0.0)
    sent(conn)
    conn.abandon(t_create)
    feed(conn, {"janus": "success", "transaction": t_create, "data": {"id": S2}})
    assert conn.session_state(S2) is SS.DESTROYING  # its destroy is queued, not taken
    conn.connection_lost(now=1.0)
    assert drain(conn) == []  # internal: no events
    assert conn.session_ids() == []
    assert conn.pending() == []
    conn.connection_made(now=2.0)
    assert sent(conn) == []


def test_internal_detach_not_taken_when_the_connection_drops() -> None:
    conn = make()
    create(conn)
    t_attach = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    sent(conn)
    conn.abandon(t_attach)
    feed(conn, {"janus": "success", "session_id": S, "transaction": t_attach, "data": {"id": H}})
    assert conn.handle_state(S, H) is HS.DETACHING  # cleanup queued, not taken
    conn.connection_lost(now=1.0)
    assert conn.handle_ids(S) == []
    conn.connection_made(now=2.0)
    [claim] = sent(conn)
    assert feed(
        conn, {"janus": "success", "session_id": S, "transaction": claim["transaction"]}
    ) == [jp.SessionReclaimed(session_id=S)]
    assert sent(conn) == []


def test_late_attach_while_destroying_adds_nothing() -> None:
    # Regression: the handle was added, its detach refused, and it stayed after a failed destroy.
    conn = make()
    create(conn)
    t_attach = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    conn.abandon(t_attach)
    t_destroy = conn.send(jp.Destroy(session_id=S), now=0.0)
    sent(conn)
    feed(conn, {"janus": "success", "session_id": S, "transaction": t_attach, "data": {"id": H}})
    assert conn.handle_ids(S) == []
    assert sent(conn) == []
    feed(
        conn,
        {
            "janus": "error",
            "session_id": S,
            "transaction": t_destroy,
            "error": {
                "code": 403,
                "reason": "Unauthorized request (wrong or missing secret/token)",
            },
        },
    )
    assert conn.session_state(S) is SS.ACTIVE
    assert conn.handle_ids(S) == []


def test_late_attach_while_claiming_is_detached_after_the_claim() -> None:
    conn = make()
    create(conn)
    t_attach = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    sent(conn)
    conn.abandon(t_attach)
    conn.connection_lost(now=1.0)
    conn.connection_made(now=2.0)
    [claim] = sent(conn)
    feed(conn, {"janus": "success", "session_id": S, "transaction": t_attach, "data": {"id": H}})
    assert conn.handle_state(S, H) is HS.DETACHING
    assert sent(conn) == []  # held until the claim succeeds
    feed(conn, {"janus": "success", "session_id": S, "transaction": claim["transaction"]})
    [detach] = sent(conn)
    assert (detach["janus"], detach["handle_id"]) == ("detach", H)


# -- replies Janus should not send -------------------------------------------------------------


@pytest.mark.parametrize("bad_id", [0, -1, 2**64, True, 1.5, "1964638528092214", None])
def test_create_reply_with_an_impossible_id_is_malformed(bad_id: object) -> None:
    # Regression: id 0 was tracked, and the next keepalive or claim raised ValueError.
    conn = make(keepalive_interval=5.0)
    txn = conn.send(jp.Create(), now=0.0)
    sent(conn)
    with pytest.raises(jp.RemoteProtocolError, match="'id'"):
        conn.receive_message(
            json.dumps({"janus": "success", "transaction": txn, "data": {"id": bad_id}}), now=0.0
        )
    [ev] = drain(conn)
    assert isinstance(ev, jp.ReplyMalformed)
    assert ev.transaction == txn
    assert conn.session_ids() == []
    conn.handle_timer(100.0)
    conn.connection_lost(now=100.0)
    conn.connection_made(now=100.0)
    assert sent(conn) == []


@pytest.mark.parametrize("bad_id", [0, -5, 2**64])
def test_attach_reply_with_an_impossible_id_is_malformed(bad_id: int) -> None:
    conn = make()
    create(conn)
    txn = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    with pytest.raises(jp.RemoteProtocolError):
        feed(
            conn, {"janus": "success", "session_id": S, "transaction": txn, "data": {"id": bad_id}}
        )
    assert [type(e) for e in drain(conn)] == [jp.ReplyMalformed]
    assert conn.handle_ids(S) == []


def test_late_create_reply_with_an_impossible_id_is_ignored() -> None:
    conn = make()
    txn = conn.send(jp.Create(), now=0.0)
    sent(conn)
    conn.abandon(txn)
    assert feed(conn, {"janus": "success", "transaction": txn, "data": {"id": 0}}) == []
    assert conn.session_ids() == []
    assert sent(conn) == []


def test_batch_with_a_malformed_reply_processes_the_rest() -> None:
    conn = make()
    t_ping = conn.send(jp.Ping(), now=0.0)
    t_create = conn.send(jp.Create(), now=0.0)
    t_info = conn.send(jp.Info(), now=0.0)
    batch = [
        {"janus": "pong", "transaction": t_ping},
        {"janus": "success", "transaction": t_create},  # no data
        "keepalive",
        {"janus": "server_info", "transaction": t_info, "version": 1102},
    ]
    with pytest.raises(jp.RemoteProtocolError) as err:
        conn.receive_message(json.dumps(batch), now=0.0)
    assert "'data' missing" in str(err.value)
    assert "expected a JSON object, got str" in str(err.value)
    assert err.value.raw == batch
    events = drain(conn)
    assert [type(e) for e in events] == [jp.Pong, jp.ReplyMalformed, jp.ServerInfo]
    assert events[1] == jp.ReplyMalformed(transaction=t_create, reason="'data' missing")
    assert conn.pending() == []


def test_documents_before_trailing_garbage_are_processed() -> None:
    # Regression: back-to-back objects followed by garbage were all dropped.
    conn = make()
    t1 = conn.send(jp.Ping(), now=0.0)
    t2 = conn.send(jp.Ping(), now=0.0)
    text = f'{{"janus":"pong","transaction":"{t1}"}} {{"janus":"pong","transaction":"{t2}"}} {{x'
    with pytest.raises(jp.RemoteProtocolError, match="after 2 document"):
        conn.receive_message(text, now=0.0)
    assert drain(conn) == [jp.Pong(transaction=t1), jp.Pong(transaction=t2)]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b'{"janus":"pong","transaction":"t0"}\xff', "not UTF-8"),
        ("{not json", "invalid JSON"),
        ("[1,2]", "expected a JSON object, got int"),
        ('{"transaction":"t0"}', "'janus' missing"),
        ('{"janus":"pong","transaction":5}', "'transaction' must be a string"),
        ('{"janus":"webrtcup","session_id":1}', "'sender'"),
        ("[" * 50_000 + "]" * 50_000, "nest"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "nest"),
        ('{"janus":"keepalive"} ' + "[" * 50_000, "invalid JSON"),
    ],
)
def test_malformed_input_raises_remote_protocol_error(data: str | bytes, match: str) -> None:
    conn = make()
    before = snapshot(conn)
    with pytest.raises(jp.RemoteProtocolError, match=match):
        conn.receive_message(data, now=0.0)
    assert drain(conn) == []
    assert snapshot(conn) == before


def test_too_big_is_refused_before_parsing() -> None:
    conn = make(max_message_size=64)
    conn.receive_message(b'{"janus":"keepalive"}' + b" " * 43, now=0.0)  # exactly 64: fine
    with pytest.raises(jp.RemoteProtocolError, match="exceeds max_message_size 64") as err:
        conn.receive_message(b" " * 65, now=0.0)
    assert err.value.raw == b" " * 65


# -- local errors change nothing ------------------------------------------------------------------


def test_local_protocol_errors_leave_state_unchanged() -> None:
    conn = make()
    create(conn)
    attach(conn)
    attach(conn, hid=H + 1)
    conn.send(jp.Detach(session_id=S, handle_id=H), now=1.0)
    sent(conn)
    before = snapshot(conn)
    bad: list[tuple[jp.Request, dict[str, Any], str]] = [
        (jp.Ping(), {"timeout": 0}, "timeout must be a positive number"),
        (jp.Ping(), {"timeout": float("nan")}, "timeout must be a positive number"),
        (jp.ListSessions(), {}, "not a Janus API request"),
        (jp.KeepAlive(session_id=S2), {}, f"unknown session {S2}"),
        (jp.Hangup(session_id=S, handle_id=H2), {}, f"unknown handle {H2}"),
        (jp.Hangup(session_id=S, handle_id=H), {}, f"handle {H} is detaching"),
        (jp.Detach(session_id=S, handle_id=H), {}, "detaching: detach sent is not possible"),
        (
            jp.Message(session_id=S, handle_id=H + 1, body={"bitrate": float("inf")}),
            {},
            "not valid JSON",
        ),
    ]
    for request, kwargs, match in bad:
        with pytest.raises(jp.LocalProtocolError, match=match):
            conn.send(request, now=2.0, **kwargs)
        assert snapshot(conn) == before
        assert conn.requests_to_send() == []
        assert drain(conn) == []
    conn.send(jp.Destroy(session_id=S), now=3.0)
    before = snapshot(conn)
    for request in (jp.Destroy(session_id=S), jp.Attach(session_id=S, plugin=ECHO)):
        with pytest.raises(jp.LocalProtocolError, match=f"session {S} is destroying"):
            conn.send(request, now=4.0)
        assert snapshot(conn) == before


def test_unserialisable_request_is_refused_without_adopting_anything() -> None:
    # Regression: the JSON encoding failed (TypeError) after state was changed.
    conn = make()
    txn = conn.send(jp.Claim(session_id=S2), now=0.0)  # a session created elsewhere
    sent(conn)
    feed(conn, {"janus": "success", "session_id": S2, "transaction": txn})
    before = snapshot(conn)
    with pytest.raises(jp.LocalProtocolError, match="Message is not valid JSON"):
        conn.send(jp.Message(session_id=S2, handle_id=H2, body={"ids": {1, 2}}), now=1.0)
    assert snapshot(conn) == before
    assert conn.handle_ids(S2) == []  # the unknown handle was not adopted
    admin = make(admin=True)
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(jp.LocalProtocolError, match="MessagePlugin is not valid JSON"):
        admin.send(jp.MessagePlugin(plugin=ECHO, request=cyclic), now=0.0)
    assert admin.pending() == []


def test_exhausted_transaction_ids() -> None:
    conn = jp.JanusConnection(transaction_ids=iter(["only"]))
    conn.connection_made(now=0.0)
    conn.send(jp.Ping(), now=0.0)
    before = snapshot(conn)
    with pytest.raises(jp.LocalProtocolError, match="exhausted"):
        conn.send(jp.Ping(), now=0.0)
    assert snapshot(conn) == before


# -- admin -------------------------------------------------------------------------------------


def test_admin_connection_as_observed() -> None:
    # janus-api.md s6.7.
    conn = make(
        "a2Z1KVe4YhW",
        "aFlEYjMIq7N",
        "a7l8NzOUxYx",
        "arm",
        "ainfo",
        admin=True,
        admin_secret="janusoverlord",
    )
    conn.send(jp.ListSessions(), now=0.0)
    conn.send(jp.GetStatus(), now=0.0)
    conn.send(jp.AddToken(token="tok-vr", plugins=[VROOM, "janus.plugin.nope"]), now=0.0)
    conn.send(jp.RemoveToken(token="tok-vr"), now=0.0)
    conn.send(jp.Info(), now=0.0)
    assert [m["janus"] for m in sent(conn)] == [
        "list_sessions",
        "get_status",
        "add_token",
        "remove_token",
        "info",
    ]
    events = feed(
        conn,
        [
            {"janus": "success", "transaction": "a2Z1KVe4YhW", "sessions": [2875808486777400]},
            {
                "janus": "error",
                "transaction": "aFlEYjMIq7N",
                "error": {
                    "code": 403,
                    "reason": "Unauthorized request (wrong or missing secret/token)",
                },
            },
            {"janus": "success", "transaction": "a7l8NzOUxYx", "data": {"plugins": [VROOM]}},
            {
                "janus": "error",
                "transaction": "arm",
                "error": {"code": 490, "reason": "Error removing token"},
            },
            {"janus": "server_info", "transaction": "ainfo", "name": "Janus WebRTC Server"},
        ],
    )
    listed, unauthorized, added, removed, info = events
    assert listed == jp.AdminResponse(
        transaction="a2Z1KVe4YhW", data={"sessions": [2875808486777400]}
    )
    assert isinstance(unauthorized, jp.RequestFailed)
    assert type(unauthorized.to_exception()) is jp.Unauthorized
    assert added == jp.AdminResponse(transaction="a7l8NzOUxYx", data={"data": {"plugins": [VROOM]}})
    assert isinstance(removed, jp.RequestFailed)
    assert type(removed.to_exception()) is jp.UnknownError
    assert isinstance(info, jp.ServerInfo)
    assert conn.session_ids() == []
    assert conn.get_timer() is None  # no sessions, no keepalives on the admin API
    for request in (
        jp.Create(),
        jp.KeepAlive(session_id=S),
        jp.Message(session_id=S, handle_id=H, body={}),
    ):
        with pytest.raises(jp.LocalProtocolError, match="not a Admin API request"):
            conn.send(request, now=0.0)


def test_admin_session_requests_need_no_tracked_session() -> None:
    conn = make(admin=True, admin_secret="janusoverlord")
    txn = conn.send(jp.DestroySession(session_id=S), now=0.0)
    [out] = conn.requests_to_send()
    assert out.path == f"/{S}"
    [ev] = feed(
        conn,
        {
            "janus": "error",
            "session_id": S,
            "transaction": txn,
            "error": {"code": 458, "reason": f"No such session {S}"},
        },
    )
    assert isinstance(ev, jp.RequestFailed)  # and no SessionLost: admin tracks no sessions
    assert drain(conn) == []


# -- close -------------------------------------------------------------------------------------


def test_close_while_disconnected_aborts_held_requests() -> None:
    conn = make()
    create(conn)
    conn.connection_lost(now=1.0)
    held = conn.send(jp.KeepAlive(session_id=S), now=1.0)
    conn.close(now=2.0)
    assert drain(conn) == [jp.RequestAborted(transaction=held, reason=jp.AbortReason.CLOSED)]
    assert conn.state is jp.ConnectionState.CLOSED
    assert conn.session_ids() == []
    assert conn.get_timer() is None
    with pytest.raises(jp.LocalProtocolError, match="closed"):
        conn.send(jp.Info(), now=3.0)
    with pytest.raises(jp.LocalProtocolError, match="connection is closed"):
        conn.connection_made(now=3.0)
    # What still arrives is reported, never matched to the released transactions.
    assert feed(conn, {"janus": "ack", "session_id": S, "transaction": held}) == [
        jp.StrayReply(janus="ack", transaction=held)
    ]
    assert repr(conn) == "<JanusConnection closed sessions=0 pending=0>"
