"""Property tests of application code with janus_proto's testing kit (no Janus needed).

Run: ``python -m pytest examples/testing_kit_test.py`` (needs ``janus-client[testing]``,
that is hypothesis).

Two styles:

- the application's async code runs against :class:`janus_proto.testing.FakeJanus` through
  a custom transport (``custom_transport.py``), with hypothesis choosing its inputs;
- the application's event handling meets every kind of message Janus may send, from the
  strategies of :mod:`janus_proto.testing.strategies`, fed through the sans-IO core.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import anyio
import pytest
from custom_transport import InProcessTransport, create_rooms
from hypothesis import given, settings
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.testing import FakeJanus, strategies

_fakes = itertools.count()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=5))
def test_create_rooms_lists_every_room(descriptions: list[str]) -> None:
    """Whatever the descriptions, every room created is listed with its description."""
    name = f"prop-{next(_fakes)}"  # a fresh fake Janus per example
    InProcessTransport.FAKES[name] = FakeJanus()
    rooms = anyio.run(create_rooms, f"fake://{name}", descriptions)
    assert sorted(rooms.values()) == sorted(descriptions)
    assert len(rooms) == len(descriptions)


def test_create_rooms_reports_server_errors() -> None:
    """A scripted failure reaches the application as the JanusError subclass for its code."""
    fake = InProcessTransport.FAKES["failing"] = FakeJanus()
    fake.fail_next("attach", 460, "no such plugin")
    with pytest.raises(jp.PluginNotFound):
        anyio.run(create_rooms, "fake://failing", ["x"])


# [start-describe]
def describe(event: jp.Event) -> str:
    """Application code under test: one log line per event of the core."""
    match event:
        case jp.PluginEvent(plugin=plugin, data=data):
            return f"{plugin}: {sorted(data)}"
        case jp.WebRTCUp(handle_id=handle_id):
            return f"handle {handle_id}: PeerConnection up"
        case jp.HungUp(handle_id=handle_id, reason=reason):
            return f"handle {handle_id}: hung up ({reason})"
        case jp.TransactionEvent(transaction=txn):
            return f"answer to {txn}: {type(event).__name__}"
        case _:
            return type(event).__name__


@settings(max_examples=200)
@given(strategies.server_messages())
def test_describe_handles_whatever_janus_sends(message: Mapping[str, Any]) -> None:
    """Every event the core makes of any well-formed Janus message gets a log line."""
    conn = jp.JanusConnection()
    conn.connection_made(now=0.0)
    try:
        conn.receive_message(json.dumps(message), now=0.0)
    except jp.RemoteProtocolError:
        return  # the core's only failure on input; nothing reaches the application
    while (event := conn.next_event()) is not None:
        assert describe(event)


# [end-describe]
