"""Typed events the core produces from what Janus sends (and from time passing).

Events are frozen and complete when built. Every event keeps ``raw``, the JSON object it
came from (empty for events the core makes itself, such as timeouts); ``raw`` takes no part
in equality. Three families:

* :class:`TransactionEvent`: the outcome of one request, matched by ``transaction``. Exactly
  one of these is produced for every transaction the caller sent (unless it was abandoned).
* :class:`HandleEvent`: something Janus pushed about a handle.
* :class:`SessionEvent`: something that happened to a whole session.

Anything else is :class:`UnknownMessage` or :class:`StrayReply`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from ._errors import (
    JanusError,
    PluginError,
    RemoteProtocolError,
    error_for_code,
    plugin_error_for,
)
from ._requests import Candidate

__all__ = [
    "Event",
    "TransactionEvent",
    "HandleEvent",
    "SessionEvent",
    "AbortReason",
    "SessionCreated",
    "HandleAttached",
    "ServerInfo",
    "Pong",
    "RequestSucceeded",
    "PluginReply",
    "AdminResponse",
    "RequestFailed",
    "PluginRequestFailed",
    "ReplyMalformed",
    "TransactionTimedOut",
    "RequestAborted",
    "PluginEvent",
    "WebRTCUp",
    "MediaChanged",
    "SlowLink",
    "HungUp",
    "HandleDetached",
    "TrickleReceived",
    "SessionTimedOut",
    "SessionLost",
    "SessionReclaimed",
    "UnknownMessage",
    "StrayReply",
]


def _raw() -> Any:
    return attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class Event:
    """Base of all events."""

    raw: Mapping[str, Any] = _raw()


# -- outcomes of requests ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TransactionEvent(Event):
    """The outcome of the request sent with ``transaction``."""

    transaction: str


@attrs.frozen(kw_only=True)
class SessionCreated(TransactionEvent):
    """``create`` succeeded."""

    session_id: int


@attrs.frozen(kw_only=True)
class HandleAttached(TransactionEvent):
    """``attach`` succeeded."""

    session_id: int
    handle_id: int
    plugin: str


@attrs.frozen(kw_only=True)
class ServerInfo(TransactionEvent):
    """The ``server_info`` answer to :class:`~janus_proto.Info`.

    The commonly needed fields are typed; everything else is in ``raw``.
    """

    name: str = ""
    version: int = 0
    version_string: str = ""
    session_timeout: int | None = None
    reclaim_session_timeout: int | None = None
    candidates_timeout: int | None = None
    api_secret: bool = False
    auth_token: bool = False
    full_trickle: bool = False
    plugins: Mapping[str, Any] = attrs.field(factory=dict)
    transports: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Pong(TransactionEvent):
    """``ping`` answered."""


@attrs.frozen(kw_only=True)
class RequestSucceeded(TransactionEvent):
    """A request without a payload in its answer succeeded.

    Used for ``keepalive``, ``trickle`` (``ack``), ``claim``, ``hangup``, ``detach`` and
    ``destroy`` (``success``). ``hint`` is the optional text some acks carry.
    """

    hint: str | None = None


@attrs.frozen(kw_only=True)
class PluginReply(TransactionEvent):
    """A plugin answered a :class:`~janus_proto.Message`.

    ``sync`` is True when the answer came in the ``success`` reply, False when it came as
    an ``event`` after an ``ack``. ``jsep`` is the offer or answer Janus attached, if any.
    """

    session_id: int
    handle_id: int
    plugin: str
    data: Mapping[str, Any]
    jsep: Mapping[str, Any] | None = None
    sync: bool = True


@attrs.frozen(kw_only=True)
class AdminResponse(TransactionEvent):
    """An Admin API request succeeded; ``data`` is the reply minus ``janus``/``transaction``."""

    data: Mapping[str, Any]


@attrs.frozen(kw_only=True)
class RequestFailed(TransactionEvent):
    """Janus answered with an ``error`` (a core error code, see :class:`JanusError`)."""

    code: int
    reason: str

    def to_exception(self) -> JanusError:
        """The :class:`JanusError` subclass for ``code``, ready to raise."""
        return error_for_code(self.code)(self.code, self.reason, self.transaction)


@attrs.frozen(kw_only=True)
class PluginRequestFailed(TransactionEvent):
    """The plugin answered a message with ``error_code`` in its data."""

    session_id: int
    handle_id: int
    plugin: str
    error_code: int
    error: str
    data: Mapping[str, Any] = attrs.field(factory=dict)

    def to_exception(self) -> PluginError:
        """A :class:`PluginError` carrying the plugin's code and text."""
        cls = plugin_error_for(self.plugin, self.error_code)
        return cls(self.plugin, self.error_code, self.error, self.data, self.transaction)


@attrs.frozen(kw_only=True)
class ReplyMalformed(TransactionEvent):
    """The answer to this transaction could not be understood."""

    reason: str

    def to_exception(self) -> RemoteProtocolError:
        """A :class:`RemoteProtocolError` describing the bad answer."""
        return RemoteProtocolError(self.reason, raw=self.raw)


@attrs.frozen(kw_only=True)
class TransactionTimedOut(TransactionEvent):
    """No answer came before the request's deadline; the transaction is released."""


class AbortReason(enum.Enum):
    """Why a request ended without an answer."""

    #: The transport went away after the request was sent: its outcome is unknown.
    CONNECTION_LOST = "connection lost"
    #: The connection object was closed.
    CLOSED = "connection closed"
    #: The session expired on the server.
    SESSION_TIMEOUT = "session timed out"
    #: The session no longer exists (458 on claim, 404 on the long poll, ...).
    SESSION_LOST = "session lost"
    #: The session was destroyed.
    SESSION_DESTROYED = "session destroyed"
    #: The handle was detached.
    HANDLE_DETACHED = "handle detached"


@attrs.frozen(kw_only=True)
class RequestAborted(TransactionEvent):
    """The request will never be answered, for ``reason``."""

    reason: AbortReason


# -- pushed by Janus ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SessionEvent(Event):
    """Something about a whole session."""

    session_id: int


@attrs.frozen(kw_only=True)
class HandleEvent(Event):
    """Something Janus pushed about one handle."""

    session_id: int
    handle_id: int


@attrs.frozen(kw_only=True)
class PluginEvent(HandleEvent):
    """A plugin event not answering a pending request.

    ``transaction`` is set when the event names a request nobody waits for any more (a second
    event for one request, or one that was abandoned or timed out): such events are delivered
    here rather than dropped.
    """

    plugin: str
    data: Mapping[str, Any]
    jsep: Mapping[str, Any] | None = None
    transaction: str | None = None


@attrs.frozen(kw_only=True)
class WebRTCUp(HandleEvent):
    """ICE and DTLS are up on the handle's PeerConnection."""


@attrs.frozen(kw_only=True)
class MediaChanged(HandleEvent):
    """Janus started or stopped receiving media on one m-line (``media`` event)."""

    type: str
    receiving: bool
    mid: str | None = None
    substream: int | None = None
    seconds: int | None = None


@attrs.frozen(kw_only=True)
class SlowLink(HandleEvent):
    """Janus saw packet loss on one m-line (``slowlink`` event)."""

    media: str
    uplink: bool
    lost: int = 0
    mid: str | None = None


@attrs.frozen(kw_only=True)
class HungUp(HandleEvent):
    """The handle's PeerConnection was closed (``hangup`` event)."""

    reason: str = ""


@attrs.frozen(kw_only=True)
class HandleDetached(HandleEvent):
    """The handle no longer exists (``detached`` event, or 459 on a request)."""


@attrs.frozen(kw_only=True)
class TrickleReceived(HandleEvent):
    """Janus trickled a candidate, or (``completed``) said it has no more."""

    candidate: Candidate | None = None
    completed: bool = False


@attrs.frozen(kw_only=True)
class SessionTimedOut(SessionEvent):
    """The server expired the session (``timeout`` event); its handles are gone."""


@attrs.frozen(kw_only=True)
class SessionLost(SessionEvent):
    """The session is gone on the server (458 on claim or keepalive, 404 on long poll)."""

    reason: str = ""


@attrs.frozen(kw_only=True)
class SessionReclaimed(SessionEvent):
    """After a reconnect, ``claim`` succeeded: the session and its handles live on."""


# -- anything else -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UnknownMessage(Event):
    """A well-formed message of a ``janus`` type this library does not know."""

    janus: str


@attrs.frozen(kw_only=True)
class StrayReply(Event):
    """A reply whose transaction is missing or unknown (e.g. Janus's 454 for bad JSON)."""

    janus: str
    transaction: str | None = None
