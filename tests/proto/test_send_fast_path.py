"""The per-request fast paths: a Message to an attached handle of an active session while
connected, the Message encoder, and the validators' shortcuts for the usual values. Each
must come to what the general path gives."""

from __future__ import annotations

import enum
import json
from types import MappingProxyType
from typing import Any

import attrs
import pytest

import janus_proto as jp
from janus_proto import _wire as wire
from janus_proto.plugins import videoroom

from .helpers import HID, SID, drain, feed, sent, with_handle


@attrs.frozen(kw_only=True)
class _SubMessage(jp.Message):
    """Not exactly a Message: takes the general path (and the field plan) all the way."""


def _texts(conn: jp.JanusConnection, request: jp.Request) -> tuple[str, str]:
    txn = conn.send(request, now=1.0)
    (out,) = conn.requests_to_send()
    assert out.transaction == txn
    assert out.path == f"/{SID}/{HID}"
    return txn, out.text


@pytest.mark.parametrize("api_secret", [None, "s3cret"])
@pytest.mark.parametrize("token", [None, "conn-token"])
@pytest.mark.parametrize("handle_token", [None, "handle-token"])
@pytest.mark.parametrize("jsep", [None, {"type": "offer", "sdp": "v=0"}])
def test_message_fast_path_sends_what_the_general_path_sends(
    api_secret: str | None,
    token: str | None,
    handle_token: str | None,
    jsep: dict[str, Any] | None,
) -> None:
    config = jp.JanusConfig(api_secret=api_secret, token=token)
    conn = jp.JanusConnection(config)
    conn.connection_made(now=0.0)
    txn = conn.send(jp.Create(), now=0.0)
    feed(conn, {"janus": "success", "transaction": txn, "data": {"id": SID}})
    txn = conn.send(jp.Attach(session_id=SID, plugin=videoroom.PLUGIN, token=handle_token), now=0)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": HID}})
    conn.requests_to_send()
    body = {"request": "exists", "room": 1234}
    fast_txn, fast = _texts(conn, jp.Message(session_id=SID, handle_id=HID, body=body, jsep=jsep))
    slow_txn, slow = _texts(conn, _SubMessage(session_id=SID, handle_id=HID, body=body, jsep=jsep))
    assert fast.replace(fast_txn, slow_txn) == slow
    expected: dict[str, Any] = {
        "janus": "message",
        "transaction": fast_txn,
        "session_id": SID,
        "handle_id": HID,
        "body": body,
    }
    if jsep is not None:
        expected["jsep"] = jsep
    if api_secret is not None:
        expected["apisecret"] = api_secret
    used_token = handle_token if handle_token is not None else token
    if used_token is not None:
        expected["token"] = used_token
    assert list(json.loads(fast).items()) == list(expected.items())  # key order too


def test_encode_request_of_a_message_is_encode_message() -> None:
    msg = jp.Message(session_id=SID, handle_id=HID, body={"a": 1}, jsep={"type": "answer"})
    assert wire.encode_request(msg, "t9", api_secret="x", token="y", admin_secret="z") == (
        wire.encode_message(msg, "t9", "x", "y")
    )
    decoded, txn = wire.decode_request(wire.encode_message(msg, "t9", None, None))
    assert (decoded, txn) == (msg, "t9")


def test_fast_path_request_is_tracked_like_any_other() -> None:
    conn = with_handle(jp.JanusConfig(keepalive_interval=25.0, request_timeout=7.0))
    assert conn.get_timer() == 25.0  # the keepalive of the session, from the attach at 0
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"x": 1}), now=3.0)
    (info,) = conn.pending()
    assert (info.transaction, info.deadline, info.owner, info.sent, info.internal) == (
        txn,
        10.0,
        (SID, HID),
        True,
        False,
    )
    assert conn.get_timer() == 10.0
    assert sent(conn)[0]["transaction"] == txn
    # The send pushed the keepalive back: the session stays silent until 3 + 25.
    feed(conn, {"janus": "ack", "session_id": SID, "transaction": txn}, now=4.0)
    feed(
        conn,
        {
            "janus": "event",
            "session_id": SID,
            "sender": HID,
            "transaction": txn,
            "plugindata": {"plugin": "janus.plugin.echotest", "data": {"result": "ok"}},
        },
        now=5.0,
    )
    assert conn.pending() == []
    assert conn.get_timer() == 28.0
    # A handle token is used, and the detach ends the handle's pending message.
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=6.0, timeout=1.5)
    assert conn.pending()[0].deadline == 7.5
    conn.send(jp.Detach(session_id=SID, handle_id=HID), now=6.0)
    conn.requests_to_send()
    feed(conn, {"janus": "detached", "session_id": SID, "sender": HID})
    assert conn.pending() == []


def test_messages_off_the_fast_path_take_the_general_one() -> None:
    conn = with_handle()
    # Unknown session, unknown handle: refused as before.
    with pytest.raises(jp.LocalProtocolError, match="unknown session"):
        conn.send(jp.Message(session_id=SID + 1, handle_id=HID, body={}), now=1.0)
    with pytest.raises(jp.LocalProtocolError, match="unknown handle"):
        conn.send(jp.Message(session_id=SID, handle_id=HID + 1, body={}), now=1.0)
    # A handle that is detaching: refused.
    conn.send(jp.Detach(session_id=SID, handle_id=HID), now=1.0)
    with pytest.raises(jp.LocalProtocolError, match=f"handle {HID} is detaching"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=1.0)
    conn.requests_to_send()

    # Disconnected: held; CLAIMING after the reconnect: still held until the claim succeeds.
    conn = with_handle()
    conn.connection_lost(now=1.0)
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=1.0)
    assert conn.requests_to_send() == []
    conn.connection_made(now=2.0)
    assert conn.session_state(SID) is jp.SessionState.CLAIMING
    txn2 = conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=2.0)
    (claim,) = sent(conn)
    assert claim["janus"] == "claim"
    feed(conn, {"janus": "success", "session_id": SID, "transaction": claim["transaction"]})
    assert [o["transaction"] for o in sent(conn)] == [txn, txn2]

    # The destroy sent: the session is destroying, its handles take no message.
    conn.send(jp.Destroy(session_id=SID), now=3.0)
    with pytest.raises(jp.LocalProtocolError, match=f"session {SID} is destroying"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=3.0)

    # Closed: refused.
    conn.close(now=4.0)
    with pytest.raises(jp.LocalProtocolError, match="closed"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=4.0)
    drain(conn)


def test_fast_path_refuses_a_body_that_is_not_json_and_changes_nothing() -> None:
    conn = with_handle()
    with pytest.raises(jp.LocalProtocolError, match="Message is not valid JSON"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={"x": {1}}), now=1.0)
    assert conn.pending() == []
    assert conn.requests_to_send() == []
    assert conn.get_timer() == 25.0  # the keepalive was not pushed back


def test_fast_path_refuses_a_repeated_transaction_id() -> None:
    conn = jp.JanusConnection(transaction_ids=iter(["a", "b", "c", "c"]))
    conn.connection_made(now=0.0)
    feed_ids = iter(["a", "b"])
    conn.send(jp.Create(), now=0.0)
    feed(conn, {"janus": "success", "transaction": next(feed_ids), "data": {"id": SID}})
    conn.send(jp.Attach(session_id=SID, plugin=videoroom.PLUGIN), now=0.0)
    feed(
        conn,
        {"janus": "success", "session_id": SID, "transaction": next(feed_ids), "data": {"id": HID}},
    )
    assert conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=1.0) == "c"
    with pytest.raises(jp.LocalProtocolError, match="'c' is not a new string"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=1.0)
    with pytest.raises(jp.LocalProtocolError, match="exhausted"):
        conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=1.0)


# -- validators' shortcuts ---------------------------------------------------------------


class _Level(enum.IntEnum):
    DEBUG = 7


class _Name(str):
    pass


def test_typed_fields_take_subclasses_and_still_check_them() -> None:
    assert jp.SetLogLevel(level=_Level.DEBUG).level == 7
    assert jp.Attach(session_id=SID, plugin=_Name("janus.plugin.echotest")).plugin == ECHO_NAME
    with pytest.raises(ValueError, match=r"Attach\.plugin must not be empty"):
        jp.Attach(session_id=SID, plugin=_Name(""))
    with pytest.raises(TypeError, match=r"SetLogLevel\.level must be int, got bool"):
        jp.SetLogLevel(level=True)
    with pytest.raises(TypeError, match=r"Attach\.opaque_id must be str, got int"):
        jp.Attach(session_id=SID, plugin=ECHO_NAME, opaque_id=3)  # type: ignore[arg-type]
    assert jp.Attach(session_id=SID, plugin=ECHO_NAME, opaque_id=None).opaque_id is None
    assert jp.Message(session_id=SID, handle_id=HID, body={}, jsep=None).jsep is None
    with pytest.raises(TypeError, match=r"Message\.jsep must be Mapping, got list"):
        jp.Message(session_id=SID, handle_id=HID, body={}, jsep=[])


ECHO_NAME = "janus.plugin.echotest"


def test_extra_and_room_id_shortcuts_keep_their_checks() -> None:
    assert videoroom.Exists(room=0).room == 0
    assert videoroom.Exists(room="lobby").room == "lobby"
    assert videoroom.Exists(room=1, extra=MappingProxyType({})).body() == {
        "request": "exists",
        "room": 1,
    }
    assert videoroom.Exists(room=1, extra={"new": 2}).body()["new"] == 2
    with pytest.raises(ValueError, match=r"Exists\.room must not be negative"):
        videoroom.Exists(room=-1)
    with pytest.raises(TypeError, match=r"Exists\.room must be an int or str id, got bool"):
        videoroom.Exists(room=True)
    with pytest.raises(ValueError, match=r"Exists\.room must not be empty"):
        videoroom.Exists(room="")
    with pytest.raises(TypeError, match=r"Exists\.extra must be a mapping with str keys"):
        videoroom.Exists(room=1, extra={1: 2})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"Exists\.extra must be a mapping with str keys"):
        videoroom.Exists(room=1, extra=[])  # type: ignore[arg-type]
