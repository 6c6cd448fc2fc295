"""Property tests of the core: round trips, robustness of the receive path, batches."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto._state import (
    HANDLE_TRANSITIONS,
    SESSION_TRANSITIONS,
    HandleInput,
    HandleState,
    SessionInput,
    SessionState,
    transition,
)

from .. import strategies as s
from .helpers import HID, SID, connected, drain, with_handle


@given(s.requests())
def test_every_request_round_trips(request: jp.Request) -> None:
    conn = connected(jp.JanusConfig(admin=request.ADMIN, api_secret="x", admin_secret="y"))
    try:
        conn.send(request, now=0.0)
    except jp.LocalProtocolError:
        # session/handle unknown to this connection: check the codec alone
        body = jp.encode_request(request, "t")
    else:
        [out] = conn.requests_to_send()
        body = out.body()
    decoded, _ = jp.decode_request(json.loads(json.dumps(body)), admin=request.ADMIN)
    assert decoded == request


@given(s.pushed_events(session_id=st.just(SID), handle_id=st.sampled_from([HID, 7])))
def test_every_pushed_event_round_trips(event: jp.Event) -> None:
    conn = with_handle()
    conn.receive_message(json.dumps(jp.encode_event(event)), now=0.0)
    assert drain(conn)[-1] == event


@given(s.garbage())
@example(b"\xff")
@example("[" * 50_000)
@example('{"janus": 1}')
@example("[[]]")
@example('{"janus": "event", "session_id": 1, "sender": 2, "plugindata": {"plugin": 5}}')
@example('{"janus": "media", "session_id": 1e400, "sender": 2}')
@example('{"janus": "success", "transaction": "t1", "data": {"id": NaN}}')
@example("\ud800")
def test_receive_raises_only_remote_protocol_error(data: str | bytes) -> None:
    conn = with_handle()
    conn.send(jp.Create(), now=0.0)
    conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
    with contextlib.suppress(jp.RemoteProtocolError):
        conn.receive_message(data, now=0.0)
    drain(conn)
    txn = conn.send(jp.Ping(), now=1.0)  # the connection is still usable
    conn.receive_message(json.dumps({"janus": "pong", "transaction": txn}), now=1.0)
    assert drain(conn)[-1] == jp.Pong(transaction=txn)


@given(
    st.lists(s.server_messages(transactions=st.sampled_from(["t1", "t2", "t3", "x"])), max_size=8)
)
def test_server_messages_never_crash(messages: list[dict[str, Any]]) -> None:
    conn = with_handle()
    for message in messages:
        with contextlib.suppress(jp.RemoteProtocolError):
            conn.receive_message(json.dumps(message), now=0.0)
    for event in drain(conn):
        assert isinstance(event, jp.Event)


@given(st.lists(s.server_messages(transactions=st.sampled_from(["t3", "t4", "t5"])), max_size=6))
def test_a_batch_is_the_same_as_its_items(messages: list[dict[str, Any]]) -> None:
    def run(batch: bool) -> list[tuple[str, Any]]:
        conn = with_handle()
        for _ in range(3):
            conn.send(jp.Message(session_id=SID, handle_id=HID, body={}), now=0.0)
        errors = 0
        feeds = [messages] if batch else [[m] for m in messages]
        for chunk in feeds:
            if not chunk:
                continue
            try:
                conn.receive_message(json.dumps(chunk if batch else chunk[0]), now=0.0)
            except jp.RemoteProtocolError:
                errors += 1
        return [(type(e).__name__, repr(e)) for e in drain(conn)] + [("errors", bool(errors))]

    assert run(batch=True) == run(batch=False)


@given(st.sampled_from(SessionState), st.sampled_from(SessionInput))
def test_session_state_by_input(state: SessionState, event: SessionInput) -> None:
    expected = SESSION_TRANSITIONS.get((state, event))
    if expected is None:
        with pytest.raises(jp.LocalProtocolError, match=state.value):
            transition(SESSION_TRANSITIONS, state, event, "session")
    else:
        assert transition(SESSION_TRANSITIONS, state, event, "session") is expected
    assert (SessionState.CLOSED, event) not in SESSION_TRANSITIONS  # terminal


@given(st.sampled_from(HandleState), st.sampled_from(HandleInput))
def test_handle_state_by_input(state: HandleState, event: HandleInput) -> None:
    expected = HANDLE_TRANSITIONS.get((state, event))
    if expected is None:
        with pytest.raises(jp.LocalProtocolError, match=state.value):
            transition(HANDLE_TRANSITIONS, state, event, "handle")
    else:
        assert transition(HANDLE_TRANSITIONS, state, event, "handle") is expected
    assert (HandleState.DETACHED, event) not in HANDLE_TRANSITIONS
