"""The state tables: every (state, input) pair, against a literal copy of the intended design.

The expected tables are written out here on purpose (not read from ``_state``): a change to a
transition must be made in both places, deliberately.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Mapping
from typing import Any

import pytest

import janus_proto as jp
from janus_proto import ConnectionInput as CI
from janus_proto import ConnectionState as C
from janus_proto import HandleInput as HI
from janus_proto import HandleState as H
from janus_proto import SessionInput as SI
from janus_proto import SessionState as S
from janus_proto._state import (
    CONNECTION_TRANSITIONS,
    HANDLE_END_STATES,
    HANDLE_TRANSITIONS,
    SESSION_END_STATES,
    SESSION_TRANSITIONS,
    transition,
)

EXPECTED_CONNECTION: dict[tuple[C, CI], C] = {
    (C.IDLE, CI.CONNECTION_MADE): C.CONNECTED,
    (C.IDLE, CI.CONNECTION_LOST): C.IDLE,
    (C.IDLE, CI.CLOSE): C.CLOSED,
    (C.CONNECTED, CI.CONNECTION_LOST): C.DISCONNECTED,
    (C.CONNECTED, CI.CLOSE): C.CLOSED,
    (C.DISCONNECTED, CI.CONNECTION_MADE): C.CONNECTED,
    (C.DISCONNECTED, CI.CONNECTION_LOST): C.DISCONNECTED,
    (C.DISCONNECTED, CI.CLOSE): C.CLOSED,
    (C.CLOSED, CI.CONNECTION_LOST): C.CLOSED,
    (C.CLOSED, CI.CLOSE): C.CLOSED,
}

EXPECTED_SESSION: dict[tuple[S, SI], S] = {
    (S.ACTIVE, SI.CONNECTION_LOST): S.DISCONNECTED,
    (S.ACTIVE, SI.CLAIM_SUCCEEDED): S.ACTIVE,
    (S.ACTIVE, SI.CLAIM_FAILED): S.CLOSED,
    (S.ACTIVE, SI.DESTROY_SENT): S.DESTROYING,
    (S.ACTIVE, SI.TIMED_OUT): S.CLOSED,
    (S.ACTIVE, SI.GONE): S.CLOSED,
    (S.ACTIVE, SI.CLOSE): S.CLOSED,
    (S.DISCONNECTED, SI.CONNECTION_LOST): S.DISCONNECTED,
    (S.DISCONNECTED, SI.CONNECTION_MADE): S.CLAIMING,
    (S.DISCONNECTED, SI.DESTROY_SENT): S.DESTROYING,
    (S.DISCONNECTED, SI.TIMED_OUT): S.CLOSED,
    (S.DISCONNECTED, SI.CLOSE): S.CLOSED,
    (S.CLAIMING, SI.CONNECTION_LOST): S.DISCONNECTED,
    (S.CLAIMING, SI.CLAIM_SUCCEEDED): S.ACTIVE,
    (S.CLAIMING, SI.CLAIM_FAILED): S.CLOSED,
    (S.CLAIMING, SI.DESTROY_SENT): S.DESTROYING,
    (S.CLAIMING, SI.TIMED_OUT): S.CLOSED,
    (S.CLAIMING, SI.GONE): S.CLOSED,
    (S.CLAIMING, SI.CLOSE): S.CLOSED,
    (S.DESTROYING, SI.CONNECTION_LOST): S.DESTROYING,
    (S.DESTROYING, SI.CONNECTION_MADE): S.DESTROYING,
    (S.DESTROYING, SI.DESTROY_SUCCEEDED): S.CLOSED,
    (S.DESTROYING, SI.DESTROY_FAILED): S.ACTIVE,
    (S.DESTROYING, SI.DESTROY_ABORTED): S.CLOSED,
    (S.DESTROYING, SI.TIMED_OUT): S.CLOSED,
    (S.DESTROYING, SI.GONE): S.CLOSED,
    (S.DESTROYING, SI.CLOSE): S.CLOSED,
}

EXPECTED_HANDLE: dict[tuple[H, HI], H] = {
    (H.ATTACHED, HI.DETACH_SENT): H.DETACHING,
    (H.ATTACHED, HI.GONE): H.DETACHED,
    (H.DETACHING, HI.DETACH_SUCCEEDED): H.DETACHED,
    (H.DETACHING, HI.DETACH_FAILED): H.ATTACHED,
    (H.DETACHING, HI.GONE): H.DETACHED,
}

#: (name, actual table, expected table)
TABLES: list[tuple[str, Mapping[Any, Any], Mapping[Any, Any]]] = [
    ("connection", CONNECTION_TRANSITIONS, EXPECTED_CONNECTION),
    ("session", SESSION_TRANSITIONS, EXPECTED_SESSION),
    ("handle", HANDLE_TRANSITIONS, EXPECTED_HANDLE),
]


def _pairs(
    states: type[enum.Enum], inputs: type[enum.Enum], expected: Mapping[Any, Any]
) -> list[tuple[enum.Enum, enum.Enum, Any]]:
    return [(s, i, expected.get((s, i))) for s, i in itertools.product(states, inputs)]


ALL_PAIRS: list[tuple[str, Mapping[Any, Any], enum.Enum, enum.Enum, Any]] = (
    [("connection", CONNECTION_TRANSITIONS, *p) for p in _pairs(C, CI, EXPECTED_CONNECTION)]
    + [("session", SESSION_TRANSITIONS, *p) for p in _pairs(S, SI, EXPECTED_SESSION)]
    + [("handle", HANDLE_TRANSITIONS, *p) for p in _pairs(H, HI, EXPECTED_HANDLE)]
)


@pytest.mark.parametrize(
    ("what", "table", "state", "event", "expected"),
    ALL_PAIRS,
    ids=[f"{w}-{s.name}-{i.name}" for w, _, s, i, _ in ALL_PAIRS],
)
def test_every_state_input_pair(
    what: str,
    table: Mapping[Any, Any],
    state: enum.Enum,
    event: enum.Enum,
    expected: enum.Enum | None,
) -> None:
    if expected is None:
        with pytest.raises(jp.LocalProtocolError) as err:
            transition(table, state, event, what)
        message = str(err.value)
        assert message.startswith(f"{what} is {state.value}:")
        assert event.value.replace("_", " ") in message
        assert message.endswith("is not possible")
        assert err.value.__cause__ is None  # the KeyError is not chained
    else:
        assert transition(table, state, event, what) is expected


@pytest.mark.parametrize(("what", "table", "expected"), TABLES, ids=[t[0] for t in TABLES])
def test_tables_hold_exactly_the_intended_transitions(
    what: str, table: Mapping[Any, Any], expected: Mapping[Any, Any]
) -> None:
    assert dict(table) == expected


def test_terminal_states_have_no_way_out() -> None:
    assert frozenset({S.CLOSED}) == SESSION_END_STATES
    assert frozenset({H.DETACHED}) == HANDLE_END_STATES
    for state in SESSION_END_STATES:
        assert not any(s is state for s, _ in SESSION_TRANSITIONS)
    for hstate in HANDLE_END_STATES:
        assert not any(s is hstate for s, _ in HANDLE_TRANSITIONS)
    # A closed connection only absorbs loss and close.
    assert {t for (s, _), t in CONNECTION_TRANSITIONS.items() if s is C.CLOSED} == {C.CLOSED}
    assert (C.CLOSED, CI.CONNECTION_MADE) not in CONNECTION_TRANSITIONS


def test_every_state_is_reachable_and_every_input_used() -> None:
    for states, inputs, table in (
        (C, CI, CONNECTION_TRANSITIONS),
        (S, SI, SESSION_TRANSITIONS),
        (H, HI, HANDLE_TRANSITIONS),
    ):
        assert {i for _, i in table} == set(inputs)
        assert set(table.values()) | {s for s, _ in table} == set(states)


def test_transition_names_the_entity_it_was_given() -> None:
    with pytest.raises(jp.LocalProtocolError, match=r"^session 42 is closed: close is not"):
        transition(SESSION_TRANSITIONS, S.CLOSED, SI.CLOSE, "session 42")
    with pytest.raises(
        jp.LocalProtocolError,
        match=r"^handle 7 is detached: detach succeeded is not possible$",
    ):
        transition(HANDLE_TRANSITIONS, H.DETACHED, HI.DETACH_SUCCEEDED, "handle 7")


def test_enum_values_are_stable_strings() -> None:
    # Values appear in error messages and reprs; they are part of the observable behaviour.
    assert [s.value for s in C] == ["idle", "connected", "disconnected", "closed"]
    assert [s.value for s in S] == ["active", "disconnected", "claiming", "destroying", "closed"]
    assert [s.value for s in H] == ["attached", "detaching", "detached"]


# -- the tables as seen through the connection ---------------------------------------------


def test_connection_refuses_what_its_table_refuses_and_changes_nothing() -> None:
    conn = jp.JanusConnection()
    conn.connection_made(now=0.0)
    with pytest.raises(jp.LocalProtocolError, match=r"^connection is connected: connection made"):
        conn.connection_made(now=1.0)
    assert conn.state is C.CONNECTED
    conn.close(now=2.0)
    assert conn.state.value == "closed"
    with pytest.raises(jp.LocalProtocolError, match=r"^connection is closed: connection made"):
        conn.connection_made(now=3.0)
    assert conn.state.value == "closed"
