"""VideoCall (``janus.plugin.videocall``): one-to-one calls by username; all async.

Every answer is ``{"videocall":"event","result":{...}}``; ``result.event`` names it
(``registered``, ``calling``, ``incomingcall``, ``accepted``, ``set``, ``update``,
``hangup``, ...), except ``list`` whose result is ``{"list": [...]}``.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from .._errors import PluginError
from ._base import (
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    ResultData,
    data_field,
    has,
    in_result,
    key_is,
    opt_field,
    register_plugin_errors,
    req_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "List",
    "Register",
    "Call",
    "Accept",
    "Set",
    "Hangup",
    "CallEvent",
    "Registered",
    "UserList",
    "Calling",
    "IncomingCall",
    "Accepted",
    "SetDone",
    "Update",
    "HungUp",
    "SimulcastChanged",
    "VideoCallError",
]

PLUGIN = "janus.plugin.videocall"


# -- events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CallEvent(ResultData):
    """Base of VideoCall events: the fields of ``result`` are lifted to attributes;
    ``raw`` keeps the whole plugin data."""

    event: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class UserList(CallEvent):
    """Answer to ``list``: the registered usernames."""

    list: tuple[str, ...] = data_field(list, required=True)


@attrs.frozen(kw_only=True)
class Registered(CallEvent):
    """Answer to ``register``."""

    username: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Calling(CallEvent):
    """Answer to ``call``: the callee is being called."""


@attrs.frozen(kw_only=True)
class IncomingCall(CallEvent):
    """Someone calls: their offer is in ``jsep``; answer with :class:`Accept`."""

    username: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Accepted(CallEvent):
    """The call was accepted; the caller gets the callee's ``username`` and the answer."""

    username: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class SetDone(CallEvent):
    """Answer to ``set``."""


@attrs.frozen(kw_only=True)
class Update(CallEvent):
    """The peer renegotiated: a new JSEP is attached."""


@attrs.frozen(kw_only=True)
class HungUp(CallEvent):
    """The call ended (``reason`` says why)."""

    username: str | None = data_field(str)
    reason: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class SimulcastChanged(CallEvent):
    """The simulcast substream or temporal layer we receive changed."""

    substream: int | None = data_field(int)
    temporal: int | None = data_field(int)


CODEC = PluginCodec(
    PLUGIN,
    [
        (in_result(has("list")), UserList),
        (in_result(key_is("event", "registered")), Registered),
        (in_result(key_is("event", "calling")), Calling),
        (in_result(key_is("event", "incomingcall")), IncomingCall),
        (in_result(key_is("event", "accepted")), Accepted),
        (in_result(key_is("event", "set")), SetDone),
        (in_result(key_is("event", "update")), Update),
        (in_result(key_is("event", "hangup")), HungUp),
        (in_result(key_is("event", "simulcast")), SimulcastChanged),
    ],
)


# -- requests ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class List(PluginRequest[UserList]):
    """The usernames registered with the plugin."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "list"
    REPLY: ClassVar[type[PluginData]] = UserList


@attrs.frozen(kw_only=True)
class Register(PluginRequest[Registered]):
    """Register this handle under ``username``."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "register"
    REPLY: ClassVar[type[PluginData]] = Registered
    username: str = req_field(str)


@attrs.frozen(kw_only=True)
class Call(PluginRequest[Calling]):
    """Call ``username``; a JSEP offer is required."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "call"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Calling
    username: str = req_field(str)


@attrs.frozen(kw_only=True)
class Accept(PluginRequest[Accepted]):
    """Accept the incoming call; a JSEP answer is required."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "accept"
    JSEP: ClassVar[JsepRule] = JsepRule.ANSWER
    REPLY: ClassVar[type[PluginData]] = Accepted


@attrs.frozen(kw_only=True)
class Set(PluginRequest[SetDone]):
    """Change the call's media settings; a JSEP may go with it (renegotiation)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "set"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = SetDone
    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    bitrate: int | None = opt_field(int)
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    substream: int | None = opt_field(int)
    temporal: int | None = opt_field(int)
    fallback: int | None = opt_field(int)
    spatial_layer: int | None = opt_field(int)
    temporal_layer: int | None = opt_field(int)
    restart: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Hangup(PluginRequest[HungUp]):
    """End the call."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "hangup"
    REPLY: ClassVar[type[PluginData]] = HungUp


# -- errors ------------------------------------------------------------------------------


class VideoCallError(PluginError):
    """A VideoCall error (``janus.plugin.videocall``)."""


class NoMessage(VideoCallError):
    """470: no message."""

    code = 470


class InvalidJSON(VideoCallError):
    """471: invalid JSON."""

    code = 471


class InvalidRequest(VideoCallError):
    """472: invalid or unknown request."""

    code = 472


class RegisterFirst(VideoCallError):
    """473: register a username first."""

    code = 473


class InvalidElement(VideoCallError):
    """474: invalid element."""

    code = 474


class MissingElement(VideoCallError):
    """475: missing element."""

    code = 475


class UsernameTaken(VideoCallError):
    """476: the username is taken."""

    code = 476


class AlreadyRegistered(VideoCallError):
    """477: this handle already registered a username."""

    code = 477


class NoSuchUsername(VideoCallError):
    """478: no such username."""

    code = 478


class CannotCallYourself(VideoCallError):
    """479: you can't call yourself."""

    code = 479


class AlreadyInCall(VideoCallError):
    """480: already in a call."""

    code = 480


class NoCall(VideoCallError):
    """481: no call to act on."""

    code = 481


class MissingSDP(VideoCallError):
    """482: the request needs an SDP."""

    code = 482


class InvalidSDP(VideoCallError):
    """483: invalid SDP."""

    code = 483


class UnknownError(VideoCallError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        RegisterFirst,
        InvalidElement,
        MissingElement,
        UsernameTaken,
        AlreadyRegistered,
        NoSuchUsername,
        CannotCallYourself,
        AlreadyInCall,
        NoCall,
        MissingSDP,
        InvalidSDP,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, VideoCallError, ERRORS)
