"""The receive path's shortcuts (one JSON object scanned directly; a pushed plugin event
read at once) decide exactly as the general path does."""

from __future__ import annotations

import json
from typing import Any

import pytest

import janus_proto as jp

from .helpers import ECHO, HID, SID, drain, plugin_event, with_handle

EVENT = json.dumps(plugin_event({"echotest": "event", "result": "ok"}))
PUSHED = jp.PluginEvent(
    session_id=SID, handle_id=HID, plugin=ECHO, data={"echotest": "event", "result": "ok"}
)


@pytest.mark.parametrize("text", [EVENT, EVENT + "\n", EVENT + " \r\n\t", "\n" + EVENT])
def test_one_object_with_json_whitespace_around_it(text: str) -> None:
    conn = with_handle()
    conn.receive_message(text, now=0.0)
    assert drain(conn) == [PUSHED]


@pytest.mark.parametrize("tail", ["\x0c", "\u00a0", "x"])
def test_what_json_does_not_call_whitespace_after_an_object_is_an_error(tail: str) -> None:
    conn = with_handle()
    with pytest.raises(jp.RemoteProtocolError, match="after 1 document"):
        conn.receive_message(EVENT + tail, now=0.0)
    assert drain(conn) == [PUSHED]  # the object before it still counts


def test_back_to_back_plugin_events() -> None:
    conn = with_handle()
    conn.receive_message(EVENT + EVENT, now=0.0)
    assert drain(conn) == [PUSHED, PUSHED]


@pytest.mark.parametrize(
    ("changes", "data"),
    [
        ({"plugindata": {"plugin": ECHO}}, {}),
        ({"plugindata": {"plugin": ECHO, "data": None}}, {}),
    ],
)
def test_plugin_event_of_an_unusual_but_usable_shape(
    changes: dict[str, Any], data: dict[str, Any]
) -> None:
    conn = with_handle()
    conn.receive_message(json.dumps({**plugin_event({}), **changes}), now=0.0)
    assert drain(conn) == [jp.PluginEvent(session_id=SID, handle_id=HID, plugin=ECHO, data=data)]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"session_id": "1"}, "'session_id' must be an integer"),
        ({"sender": True}, "'sender' must be an integer"),
        ({"plugindata": []}, "'plugindata' must be an object"),
        ({"plugindata": {"data": {}}}, "'plugin' must be a string"),
        ({"plugindata": {"plugin": ECHO, "data": [1]}}, "'data' must be an object"),
        ({"jsep": "v=0"}, "'jsep' must be an object"),
    ],
)
def test_malformed_plugin_event_names_its_fault(changes: dict[str, Any], reason: str) -> None:
    conn = with_handle()
    with pytest.raises(jp.RemoteProtocolError, match=reason):
        conn.receive_message(json.dumps({**plugin_event({}), **changes}), now=0.0)
    assert drain(conn) == []


def test_malformed_sync_reply_names_its_fault() -> None:
    conn = with_handle()
    txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body={"x": 1}), now=0.0)
    reply = {**plugin_event({}, txn), "janus": "success", "sender": None}
    with pytest.raises(jp.RemoteProtocolError, match="'sender' must be an integer"):
        conn.receive_message(json.dumps(reply), now=0.0)
    [event] = drain(conn)
    assert isinstance(event, jp.ReplyMalformed)
    assert event.transaction == txn
