"""Errors raised by the drivers (the core's errors are re-exported from janus_proto)."""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # pragma: no cover - 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = [
    "TransportError",
    "ConnectionClosed",
    "NotSent",
    "ConnectionLost",
    "RequestTimeout",
    "SessionClosed",
    "HandleClosed",
    "EventOverflow",
]


class TransportError(Exception):
    """The transport failed (connect refused, TLS failure, broken socket...)."""


class ConnectionClosed(TransportError):
    """The connection is closed, or closed while the request was in flight.

    Attributes:
        reason: a short human-readable explanation.
    """

    def __init__(self, reason: str = "connection closed") -> None:
        super().__init__(reason)
        self.reason = reason


class NotSent(ConnectionClosed):
    """Raised by :meth:`Transport.send` when nothing of the request was written: the
    transport was closed or known broken before the first byte.

    Transports raise it so that such a request waits for the reconnect (it was never seen
    by Janus) instead of failing with :class:`ConnectionLost`. When a transport cannot tell,
    it raises :class:`ConnectionClosed` and the request counts as lost in flight.
    """


class ConnectionLost(ConnectionClosed):
    """The transport went away after the request was sent: its outcome is unknown.

    Such a request is never retried silently; the application decides.
    """


class RequestTimeout(TimeoutError):
    """No answer came before the request's deadline; the transaction was released."""


class SessionClosed(Exception):
    """The session is gone (destroyed, timed out on the server, or lost after a reconnect).

    Attributes:
        reason: why.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HandleClosed(SessionClosed):
    """The handle was detached (by us, by the plugin, or with its session)."""


class EventOverflow(Exception):
    """A handle's event buffer overflowed because its consumer did not keep up.

    Raised from that handle's event stream only; other handles and the connection go on.
    """


def unwrap_group(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The single exception inside (nested) task-group exception groups, else the group.

    The client's context managers raise what went wrong, not a group of one.
    """
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc
