"""Typed requests: the Janus core API and the Admin/Monitor API.

Each class is one Janus verb (``VERB``). Fields are validated when the request is built, so
a bad argument fails before anything is queued. The wire name of a field is its Python name
unless the field's metadata says ``wire``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

__all__ = [
    "Candidate",
    "Scope",
    "Request",
    "AdminRequest",
    # core
    "Info",
    "Ping",
    "Create",
    "Attach",
    "Message",
    "Trickle",
    "KeepAlive",
    "Claim",
    "Hangup",
    "Detach",
    "Destroy",
    # admin
    "GetStatus",
    "SetSessionTimeout",
    "SetLogLevel",
    "SetLogTimestamps",
    "SetLogColors",
    "SetLockingDebug",
    "SetRefcountDebug",
    "SetLibniceDebug",
    "SetMinNackQueue",
    "SetNackOptimizations",
    "SetNoMediaTimer",
    "SetSlowlinkThreshold",
    "AcceptNewSessions",
    "ListSessions",
    "LoopsInfo",
    "MessagePlugin",
    "QueryTransport",
    "QueryEventHandler",
    "QueryLogger",
    "CustomEvent",
    "CustomLogline",
    "ResolveAddress",
    "TestStun",
    "AddToken",
    "AllowToken",
    "DisallowToken",
    "ListTokens",
    "RemoveToken",
    "ListHandles",
    "DestroySession",
    "HandleInfo",
    "StartPcap",
    "StartText2Pcap",
    "StopPcap",
    "StopText2Pcap",
    "HangupWebRTC",
    "DetachHandle",
    "CORE_REQUESTS",
    "ADMIN_REQUESTS",
]

_MAX_ID = 2**64 - 1


class Scope(enum.Enum):
    """Where a request is addressed: the server, a session, or a handle."""

    ROOT = "root"
    SESSION = "session"
    HANDLE = "handle"


# -- validators --------------------------------------------------------------------------


def _where(inst: object, attr: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attr.name}"


def _id(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int:
        raise TypeError(f"{_where(inst, attr)} must be an int id, got {type(value).__name__}")
    if not 1 <= value <= _MAX_ID:
        raise ValueError(f"{_where(inst, attr)} must be in 1..2**64-1, got {value}")


def _opt_id(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _id(inst, attr, value)


_EXACT = frozenset({str, int, float, bool})


def _typed(*types: type, optional: bool = False, nonempty: bool = False) -> Any:
    names = " or ".join(t.__name__ for t in types)
    # Exact types that pass the isinstance test below (skips it, and the ABC check for a
    # dict given as a Mapping).
    exact = frozenset(t for t in types if t in _EXACT) | (
        frozenset({dict}) if Mapping in types else frozenset()
    )

    def check(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
        # bool is an int subclass; an int field never takes a bool.
        if type(value) not in exact:
            if value is None and optional:
                return  # (before the isinstance test: None is no Mapping, by an ABC check)
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise TypeError(f"{_where(inst, attr)} must be {names}, got {type(value).__name__}")
        if nonempty and not value:
            raise ValueError(f"{_where(inst, attr)} must not be empty")

    return check


def _plugin_list(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or not all(isinstance(p, str) and p for p in value):
        raise TypeError(f"{_where(inst, attr)} must be a sequence of plugin names")


def _required_plugin_list(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    # allow_token/disallow_token: a non-empty array is mandatory (janus-api.md s2.4).
    if value is None:
        raise TypeError(f"{_where(inst, attr)} must be a sequence of plugin names")
    _plugin_list(inst, attr, value)
    if not value:
        raise ValueError(f"{_where(inst, attr)} must not be empty")


def _to_tuple(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


def _opt_tuple(value: object) -> object:
    return None if value is None else _to_tuple(value)


def _dict_copy(value: object) -> object:
    # A defensive copy: the request is immutable even if the caller's dict is not.
    return dict(value) if type(value) is dict or isinstance(value, Mapping) else value


def _opt_dict_copy(value: object) -> object:
    return None if value is None else _dict_copy(value)


_MAPPING = _typed(Mapping)
_OPT_MAPPING = _typed(Mapping, optional=True)
_STR = _typed(str, nonempty=True)
_OPT_STR = _typed(str, optional=True)
_BOOL = _typed(bool)
_OPT_BOOL = _typed(bool, optional=True)
_INT = _typed(int)
_OPT_INT = _typed(int, optional=True)


def _secret_field(**kwargs: Any) -> Any:
    return attrs.field(repr=False, **kwargs)


# -- values ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Candidate:
    """One ICE candidate as trickled: the ``a=candidate`` text and where it belongs."""

    candidate: str = attrs.field(validator=_typed(str))
    sdp_mid: str | None = attrs.field(default=None, validator=_OPT_STR)
    sdp_mline_index: int | None = attrs.field(default=None, validator=_OPT_INT)

    def __attrs_post_init__(self) -> None:
        if self.sdp_mid is None and self.sdp_mline_index is None:
            raise ValueError("Candidate needs sdp_mid or sdp_mline_index")

    def to_json(self) -> dict[str, Any]:
        """The candidate as Janus and browsers spell it."""
        out: dict[str, Any] = {"candidate": self.candidate}
        if self.sdp_mid is not None:
            out["sdpMid"] = self.sdp_mid
        if self.sdp_mline_index is not None:
            out["sdpMLineIndex"] = self.sdp_mline_index
        return out


# -- bases -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Request:
    """A request to Janus. Abstract: build one of the subclasses."""

    #: The ``janus`` verb on the wire.
    VERB: ClassVar[str] = ""
    #: Whether ``apisecret``/``token`` (or ``admin_secret``) go with it.
    NEEDS_AUTH: ClassVar[bool] = True
    #: Whether it belongs to the Admin/Monitor API.
    ADMIN: ClassVar[bool] = False

    def __attrs_pre_init__(self) -> None:
        if not type(self).VERB:
            raise TypeError(f"{type(self).__name__} is abstract; build a concrete request")

    @property
    def scope(self) -> Scope:
        """The path level this request is addressed to."""
        if getattr(self, "handle_id", None) is not None:
            return Scope.HANDLE
        if getattr(self, "session_id", None) is not None:
            return Scope.SESSION
        return Scope.ROOT


@attrs.frozen(kw_only=True)
class AdminRequest(Request):
    """A request of the Admin/Monitor API (sent with ``admin_secret``)."""

    ADMIN: ClassVar[bool] = True


# -- core API ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Info(Request):
    """Ask for ``server_info``. Needs no secret; valid on the Janus and the Admin API."""

    VERB: ClassVar[str] = "info"
    NEEDS_AUTH: ClassVar[bool] = False


@attrs.frozen(kw_only=True)
class Ping(Request):
    """Ping the server (answered with ``pong``). Valid on both APIs."""

    VERB: ClassVar[str] = "ping"
    NEEDS_AUTH: ClassVar[bool] = False


@attrs.frozen(kw_only=True)
class Create(Request):
    """Create a session; ``id`` asks for a specific session id (468 if taken)."""

    VERB: ClassVar[str] = "create"
    id: int | None = attrs.field(default=None, validator=_opt_id)


@attrs.frozen(kw_only=True)
class Attach(Request):
    """Attach a handle to ``plugin`` (a package name such as ``janus.plugin.echotest``).

    ``token`` overrides the connection's token for this handle and all its requests.
    """

    VERB: ClassVar[str] = "attach"
    session_id: int = attrs.field(validator=_id)
    plugin: str = attrs.field(validator=_STR)
    opaque_id: str | None = attrs.field(default=None, validator=_OPT_STR)
    loop_index: int | None = attrs.field(default=None, validator=_OPT_INT)
    token: str | None = _secret_field(default=None, validator=_OPT_STR)


@attrs.frozen(kw_only=True)
class Message(Request):
    """Send ``body`` (and optionally a ``jsep`` offer/answer) to the handle's plugin."""

    VERB: ClassVar[str] = "message"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)
    body: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)
    jsep: Mapping[str, Any] | None = attrs.field(
        default=None, converter=_opt_dict_copy, validator=_OPT_MAPPING
    )


def _candidates(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(c, Candidate) for c in value):
        raise TypeError(f"{_where(inst, attr)} must be a sequence of Candidate")


@attrs.frozen(kw_only=True)
class Trickle(Request):
    """Trickle candidates to Janus; ``completed=True`` ends the trickle.

    One candidate goes out as ``candidate``, several as ``candidates``.
    """

    VERB: ClassVar[str] = "trickle"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)
    candidates: Sequence[Candidate] = attrs.field(
        default=(), converter=_to_tuple, validator=_candidates
    )
    completed: bool = attrs.field(default=False, validator=_BOOL)

    def __attrs_post_init__(self) -> None:
        if not self.candidates and not self.completed:
            raise ValueError("Trickle needs at least one candidate or completed=True")


@attrs.frozen(kw_only=True)
class KeepAlive(Request):
    """Refresh a session's timeout."""

    VERB: ClassVar[str] = "keepalive"
    session_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class Claim(Request):
    """Make this connection the receiver of the session's events (after a reconnect)."""

    VERB: ClassVar[str] = "claim"
    session_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class Hangup(Request):
    """Close the handle's PeerConnection; the handle stays attached."""

    VERB: ClassVar[str] = "hangup"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class Detach(Request):
    """Detach (destroy) the handle."""

    VERB: ClassVar[str] = "detach"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class Destroy(Request):
    """Destroy the session and all its handles."""

    VERB: ClassVar[str] = "destroy"
    session_id: int = attrs.field(validator=_id)


# -- Admin/Monitor API -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GetStatus(AdminRequest):
    """Read the server's runtime settings (``status``)."""

    VERB: ClassVar[str] = "get_status"


@attrs.frozen(kw_only=True)
class SetSessionTimeout(AdminRequest):
    """Set the global session timeout, or one session's (-1 = global, 0 = never)."""

    VERB: ClassVar[str] = "set_session_timeout"
    timeout: int = attrs.field(validator=_INT)
    session_id: int | None = attrs.field(default=None, validator=_opt_id)


@attrs.frozen(kw_only=True)
class SetLogLevel(AdminRequest):
    """Set the log level (0-7)."""

    VERB: ClassVar[str] = "set_log_level"
    level: int = attrs.field(validator=_INT)


@attrs.frozen(kw_only=True)
class SetLogTimestamps(AdminRequest):
    """Turn log timestamps on or off."""

    VERB: ClassVar[str] = "set_log_timestamps"
    timestamps: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetLogColors(AdminRequest):
    """Turn log colours on or off."""

    VERB: ClassVar[str] = "set_log_colors"
    colors: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetLockingDebug(AdminRequest):
    """Turn locking debug on or off."""

    VERB: ClassVar[str] = "set_locking_debug"
    debug: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetRefcountDebug(AdminRequest):
    """Turn reference-count debug on or off."""

    VERB: ClassVar[str] = "set_refcount_debug"
    debug: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetLibniceDebug(AdminRequest):
    """Turn libnice debug on or off."""

    VERB: ClassVar[str] = "set_libnice_debug"
    debug: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetMinNackQueue(AdminRequest):
    """Set the minimum NACK queue (ms)."""

    VERB: ClassVar[str] = "set_min_nack_queue"
    min_nack_queue: int = attrs.field(validator=_INT)


@attrs.frozen(kw_only=True)
class SetNackOptimizations(AdminRequest):
    """Turn NACK optimizations on or off."""

    VERB: ClassVar[str] = "set_nack_optimizations"
    nack_optimizations: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class SetNoMediaTimer(AdminRequest):
    """Set the no-media timer (seconds)."""

    VERB: ClassVar[str] = "set_no_media_timer"
    no_media_timer: int = attrs.field(validator=_INT)


@attrs.frozen(kw_only=True)
class SetSlowlinkThreshold(AdminRequest):
    """Set the slowlink threshold (lost packets per second; 0 = off)."""

    VERB: ClassVar[str] = "set_slowlink_threshold"
    slowlink_threshold: int = attrs.field(validator=_INT)


@attrs.frozen(kw_only=True)
class AcceptNewSessions(AdminRequest):
    """Allow or refuse new sessions (refused ones get 472)."""

    VERB: ClassVar[str] = "accept_new_sessions"
    accept: bool = attrs.field(validator=_BOOL)


@attrs.frozen(kw_only=True)
class ListSessions(AdminRequest):
    """List all session ids."""

    VERB: ClassVar[str] = "list_sessions"


@attrs.frozen(kw_only=True)
class LoopsInfo(AdminRequest):
    """Describe the static event loops."""

    VERB: ClassVar[str] = "loops_info"


@attrs.frozen(kw_only=True)
class MessagePlugin(AdminRequest):
    """Send ``request`` to a plugin's admin hook (global scope)."""

    VERB: ClassVar[str] = "message_plugin"
    plugin: str = attrs.field(validator=_STR)
    request: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)


@attrs.frozen(kw_only=True)
class QueryTransport(AdminRequest):
    """Send ``request`` to a transport plugin."""

    VERB: ClassVar[str] = "query_transport"
    transport: str = attrs.field(validator=_STR)
    request: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)


@attrs.frozen(kw_only=True)
class QueryEventHandler(AdminRequest):
    """Send ``request`` to an event handler plugin."""

    VERB: ClassVar[str] = "query_eventhandler"
    handler: str = attrs.field(validator=_STR)
    request: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)


@attrs.frozen(kw_only=True)
class QueryLogger(AdminRequest):
    """Send ``request`` to a logger plugin."""

    VERB: ClassVar[str] = "query_logger"
    logger: str = attrs.field(validator=_STR)
    request: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)


@attrs.frozen(kw_only=True)
class CustomEvent(AdminRequest):
    """Push a custom event to the event handlers."""

    VERB: ClassVar[str] = "custom_event"
    schema: str = attrs.field(validator=_STR)
    data: Mapping[str, Any] = attrs.field(converter=_dict_copy, validator=_MAPPING)


@attrs.frozen(kw_only=True)
class CustomLogline(AdminRequest):
    """Write a line into the Janus log (level 4 = info by default)."""

    VERB: ClassVar[str] = "custom_logline"
    line: str = attrs.field(validator=_STR)
    level: int | None = attrs.field(default=None, validator=_OPT_INT)


@attrs.frozen(kw_only=True)
class ResolveAddress(AdminRequest):
    """Ask Janus to resolve a host name."""

    VERB: ClassVar[str] = "resolve_address"
    address: str = attrs.field(validator=_STR)


@attrs.frozen(kw_only=True)
class TestStun(AdminRequest):
    """Ask Janus to test a STUN server."""

    __test__ = False  # not a pytest test class
    VERB: ClassVar[str] = "test_stun"
    address: str = attrs.field(validator=_STR)
    port: int = attrs.field(validator=_INT)
    localport: int | None = attrs.field(default=None, validator=_OPT_INT)


@attrs.frozen(kw_only=True)
class AddToken(AdminRequest):
    """Add a stored token, allowed for ``plugins`` (all plugins when None)."""

    VERB: ClassVar[str] = "add_token"
    token: str = _secret_field(validator=_STR)
    plugins: Sequence[str] | None = attrs.field(
        default=None, converter=_opt_tuple, validator=_plugin_list
    )


@attrs.frozen(kw_only=True)
class AllowToken(AdminRequest):
    """Allow a stored token to use more plugins."""

    VERB: ClassVar[str] = "allow_token"
    token: str = _secret_field(validator=_STR)
    plugins: Sequence[str] = attrs.field(converter=_to_tuple, validator=_required_plugin_list)


@attrs.frozen(kw_only=True)
class DisallowToken(AdminRequest):
    """Forbid a stored token some plugins."""

    VERB: ClassVar[str] = "disallow_token"
    token: str = _secret_field(validator=_STR)
    plugins: Sequence[str] = attrs.field(converter=_to_tuple, validator=_required_plugin_list)


@attrs.frozen(kw_only=True)
class ListTokens(AdminRequest):
    """List the stored tokens."""

    VERB: ClassVar[str] = "list_tokens"


@attrs.frozen(kw_only=True)
class RemoveToken(AdminRequest):
    """Remove a stored token."""

    VERB: ClassVar[str] = "remove_token"
    token: str = _secret_field(validator=_STR)


@attrs.frozen(kw_only=True)
class ListHandles(AdminRequest):
    """List a session's handles."""

    VERB: ClassVar[str] = "list_handles"
    session_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class DestroySession(AdminRequest):
    """Destroy a session through the Admin API."""

    VERB: ClassVar[str] = "destroy_session"
    session_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class HandleInfo(AdminRequest):
    """Read a handle's ICE/DTLS/plugin state (``plugin_only`` for the plugin part)."""

    VERB: ClassVar[str] = "handle_info"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)
    plugin_only: bool | None = attrs.field(default=None, validator=_OPT_BOOL)


@attrs.frozen(kw_only=True)
class StartPcap(AdminRequest):
    """Start a pcap capture of the handle's traffic."""

    VERB: ClassVar[str] = "start_pcap"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)
    folder: str | None = attrs.field(default=None, validator=_OPT_STR)
    filename: str | None = attrs.field(default=None, validator=_OPT_STR)
    truncate: int | None = attrs.field(default=None, validator=_OPT_INT)


@attrs.frozen(kw_only=True)
class StartText2Pcap(AdminRequest):
    """Start a text2pcap capture of the handle's traffic."""

    VERB: ClassVar[str] = "start_text2pcap"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)
    folder: str | None = attrs.field(default=None, validator=_OPT_STR)
    filename: str | None = attrs.field(default=None, validator=_OPT_STR)
    truncate: int | None = attrs.field(default=None, validator=_OPT_INT)


@attrs.frozen(kw_only=True)
class StopPcap(AdminRequest):
    """Stop the handle's pcap capture."""

    VERB: ClassVar[str] = "stop_pcap"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class StopText2Pcap(AdminRequest):
    """Stop the handle's text2pcap capture."""

    VERB: ClassVar[str] = "stop_text2pcap"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class HangupWebRTC(AdminRequest):
    """Hang up the handle's PeerConnection through the Admin API."""

    VERB: ClassVar[str] = "hangup_webrtc"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


@attrs.frozen(kw_only=True)
class DetachHandle(AdminRequest):
    """Detach a handle through the Admin API."""

    VERB: ClassVar[str] = "detach_handle"
    session_id: int = attrs.field(validator=_id)
    handle_id: int = attrs.field(validator=_id)


CORE_REQUESTS: Mapping[str, type[Request]] = {
    cls.VERB: cls
    for cls in (
        Info,
        Ping,
        Create,
        Attach,
        Message,
        Trickle,
        KeepAlive,
        Claim,
        Hangup,
        Detach,
        Destroy,
    )
}

ADMIN_REQUESTS: Mapping[str, type[Request]] = {
    cls.VERB: cls
    for cls in (
        Info,
        Ping,
        GetStatus,
        SetSessionTimeout,
        SetLogLevel,
        SetLogTimestamps,
        SetLogColors,
        SetLockingDebug,
        SetRefcountDebug,
        SetLibniceDebug,
        SetMinNackQueue,
        SetNackOptimizations,
        SetNoMediaTimer,
        SetSlowlinkThreshold,
        AcceptNewSessions,
        ListSessions,
        LoopsInfo,
        MessagePlugin,
        QueryTransport,
        QueryEventHandler,
        QueryLogger,
        CustomEvent,
        CustomLogline,
        ResolveAddress,
        TestStun,
        AddToken,
        AllowToken,
        DisallowToken,
        ListTokens,
        RemoveToken,
        ListHandles,
        DestroySession,
        HandleInfo,
        StartPcap,
        StartText2Pcap,
        StopPcap,
        StopText2Pcap,
        HangupWebRTC,
        DetachHandle,
    )
}
