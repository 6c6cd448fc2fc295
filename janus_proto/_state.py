"""State machines of the connection, its sessions and handles, as data.

Every transition lives in the tables below (h11's "one file" rule). ``transition()`` applies
one; an input with no entry for the current state is illegal: local input raises
:class:`LocalProtocolError` and changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

from ._errors import LocalProtocolError

__all__ = [
    "ConnectionState",
    "ConnectionInput",
    "SessionState",
    "SessionInput",
    "HandleState",
    "HandleInput",
    "CONNECTION_TRANSITIONS",
    "SESSION_TRANSITIONS",
    "HANDLE_TRANSITIONS",
    "transition",
]


class ConnectionState(enum.Enum):
    """The transport connection, as the core sees it."""

    #: Built, never connected: requests are held until ``connection_made``.
    IDLE = "idle"
    CONNECTED = "connected"
    #: The transport went away; requests are held until ``connection_made``.
    DISCONNECTED = "disconnected"
    #: ``close()`` was called. Terminal.
    CLOSED = "closed"


class ConnectionInput(enum.Enum):
    CONNECTION_MADE = "connection_made"
    CONNECTION_LOST = "connection_lost"
    CLOSE = "close"


class SessionState(enum.Enum):
    """A Janus session known to this connection."""

    ACTIVE = "active"
    #: The transport is down; the session may live on in Janus's reclaim window.
    DISCONNECTED = "disconnected"
    #: ``claim`` is on its way after a reconnect; requests wait for it.
    CLAIMING = "claiming"
    DESTROYING = "destroying"
    #: Destroyed, timed out or lost. Terminal.
    CLOSED = "closed"


class SessionInput(enum.Enum):
    CONNECTION_LOST = "connection_lost"
    CONNECTION_MADE = "connection_made"
    CLAIM_SUCCEEDED = "claim_succeeded"
    CLAIM_FAILED = "claim_failed"
    DESTROY_SENT = "destroy_sent"
    DESTROY_SUCCEEDED = "destroy_succeeded"
    DESTROY_FAILED = "destroy_failed"
    #: The destroy request was in flight when the transport went away.
    DESTROY_ABORTED = "destroy_aborted"
    TIMED_OUT = "timed_out"
    #: The server says the session does not exist (458, or 404 on the long poll).
    GONE = "gone"
    CLOSE = "close"


class HandleState(enum.Enum):
    """A plugin handle known to this connection."""

    ATTACHED = "attached"
    DETACHING = "detaching"
    #: Terminal.
    DETACHED = "detached"


class HandleInput(enum.Enum):
    DETACH_SENT = "detach_sent"
    DETACH_SUCCEEDED = "detach_succeeded"
    DETACH_FAILED = "detach_failed"
    #: Janus pushed ``detached`` or answered 459 for the handle.
    GONE = "gone"


C, CI = ConnectionState, ConnectionInput
S, SI = SessionState, SessionInput
H, HI = HandleState, HandleInput

CONNECTION_TRANSITIONS: Mapping[tuple[ConnectionState, ConnectionInput], ConnectionState] = {
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

SESSION_TRANSITIONS: Mapping[tuple[SessionState, SessionInput], SessionState] = {
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
    # A ``timeout`` read after the transport went away (an HTTP poll, a buffered frame).
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

#: States in which nothing more can happen.
SESSION_END_STATES = frozenset({S.CLOSED})

HANDLE_TRANSITIONS: Mapping[tuple[HandleState, HandleInput], HandleState] = {
    (H.ATTACHED, HI.DETACH_SENT): H.DETACHING,
    (H.ATTACHED, HI.GONE): H.DETACHED,
    (H.DETACHING, HI.DETACH_SUCCEEDED): H.DETACHED,
    (H.DETACHING, HI.DETACH_FAILED): H.ATTACHED,
    (H.DETACHING, HI.GONE): H.DETACHED,
}

HANDLE_END_STATES = frozenset({H.DETACHED})

_E = TypeVar("_E", bound=enum.Enum)
_I = TypeVar("_I", bound=enum.Enum)


def transition(table: Mapping[tuple[_E, _I], _E], state: _E, event: _I, what: str) -> _E:
    """The state after ``event`` in ``state``.

    Raises:
        LocalProtocolError: ``event`` is not allowed in ``state``; nothing changes.
    """
    try:
        return table[state, event]
    except KeyError:
        raise LocalProtocolError(
            f"{what} is {state.value}: {event.value.replace('_', ' ')} is not possible"
        ) from None
