"""Small helpers for driving a JanusConnection by hand in unit tests (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import janus_proto as jp

SID = 4968465197056105
HID = 8229633980177
ECHO = "janus.plugin.echotest"
VROOM = "janus.plugin.videoroom"


def feed(conn: jp.JanusConnection, obj: Any, now: float = 0.0) -> list[jp.Event]:
    """Feed one JSON value; return the events it produced."""
    conn.receive_message(json.dumps(obj), now=now)
    return drain(conn)


def drain(conn: jp.JanusConnection) -> list[jp.Event]:
    events = []
    while (event := conn.next_event()) is not None:
        events.append(event)
    return events


def sent(conn: jp.JanusConnection) -> list[dict[str, Any]]:
    """The bodies of the requests queued for the transport (and take them)."""
    return [out.body() for out in conn.requests_to_send()]


def connected(config: jp.JanusConfig | None = None) -> jp.JanusConnection:
    conn = jp.JanusConnection(config)
    conn.connection_made(now=0.0)
    return conn


def with_session(config: jp.JanusConfig | None = None, sid: int = SID) -> jp.JanusConnection:
    conn = connected(config)
    txn = conn.send(jp.Create(), now=0.0)
    feed(conn, {"janus": "success", "transaction": txn, "data": {"id": sid}})
    conn.requests_to_send()
    return conn


def with_handle(
    config: jp.JanusConfig | None = None, plugin: str = ECHO, hid: int = HID
) -> jp.JanusConnection:
    conn = with_session(config)
    txn = conn.send(jp.Attach(session_id=SID, plugin=plugin), now=0.0)
    feed(conn, {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": hid}})
    conn.requests_to_send()
    return conn


def plugin_event(
    data: dict[str, Any],
    txn: str | None = None,
    plugin: str = ECHO,
    jsep: dict[str, Any] | None = None,
    hid: int = HID,
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "janus": "event",
        "session_id": SID,
        "sender": hid,
        "plugindata": {"plugin": plugin, "data": data},
    }
    if txn is not None:
        msg["transaction"] = txn
    if jsep is not None:
        msg["jsep"] = jsep
    return msg
