"""NoSIP (``janus.plugin.nosip``): WebRTC <-> plain RTP bridging, signalling left to you;
every request is async.

``generate`` turns the browser's JSEP (offer or answer) into a barebone RTP SDP for a legacy
peer; ``process`` takes the legacy peer's barebone SDP and answers with a JSEP for the
browser. Answers are ``{"nosip":"event","result":{"event":...}}``: ``generated``,
``processed``, ``hangingup``, ``recordingupdated``; errors are events with ``error_code``.

Observed on 1.1.2: the generated SDP keeps the core's ``o=`` placeholder address
(``IN IP4 1.1.1.1``) and only rewrites ``c=`` to the plugin's ``local_ip``/``sdp_ip``;
``recording`` accepts only ``start``/``stop`` (``pause`` is 444).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

import attrs

from .._errors import PluginError
from ._base import (
    CodecRequest,
    JsepRule,
    PluginCodec,
    PluginData,
    ResultData,
    choice_field,
    data_field,
    in_result,
    key_is,
    opt_field,
    register_plugin_errors,
    req_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    "Generate",
    "Process",
    "Hangup",
    "Recording",
    "NoSipEvent",
    "Generated",
    "Processed",
    "HangingUp",
    "RecordingUpdated",
    "NoSipError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "MissingElement",
    "InvalidElement",
    "WrongState",
    "MissingSDP",
    "InvalidSDP",
    "IOFailure",
    "RecordingError",
    "TooStrict",
    "UnknownError",
]

PLUGIN = "janus.plugin.nosip"

_R = TypeVar("_R", bound=PluginData)


# -- events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class NoSipEvent(ResultData):
    """Base of NoSIP events: the fields of ``result`` are attributes; ``raw`` keeps the
    whole plugin data."""

    event: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Generated(NoSipEvent):
    """Answer to ``generate``: the barebone ``sdp`` (``type`` offer or answer) to hand to
    the legacy peer; ``update`` is True for a renegotiation."""

    type: str = data_field(str, required=True)
    sdp: str = data_field(str, required=True)
    update: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Processed(NoSipEvent):
    """Answer to ``process``: the JSEP for the browser is in ``jsep``; ``srtp`` says whether
    the peer offered (sdes_optional) or mandated (sdes_mandatory) SDES-SRTP."""

    srtp: str | None = data_field(str)
    update: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class HangingUp(NoSipEvent):
    """Answer to ``hangup``: the PeerConnection is being closed (a core ``hangup`` follows
    if there was one)."""


@attrs.frozen(kw_only=True)
class RecordingUpdated(NoSipEvent):
    """Answer to ``recording``."""


_EVENTS: dict[str, type[NoSipEvent]] = {
    "generated": Generated,
    "processed": Processed,
    "hangingup": HangingUp,
    "recordingupdated": RecordingUpdated,
}


CODEC = PluginCodec(
    PLUGIN, [(in_result(key_is("event", name)), cls) for name, cls in _EVENTS.items()]
)


# -- requests ----------------------------------------------------------------------------


_SRTP = ("sdes_optional", "sdes_mandatory")


@attrs.frozen(kw_only=True)
class _NoSipRequest(CodecRequest[_R]):
    """A NoSIP request: its answer is typed by :data:`CODEC` and must be a ``REPLY``."""

    PLUGIN: ClassVar[str] = PLUGIN
    CODEC: ClassVar[PluginCodec] = CODEC


@attrs.frozen(kw_only=True)
class Generate(_NoSipRequest[Generated]):
    """Turn the browser's JSEP (offer or answer, mandatory) into a barebone SDP.

    ``info`` is an opaque context string; ``srtp`` offers or mandates SDES-SRTP.
    """

    REQUEST: ClassVar[str | None] = "generate"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    NEEDS_JSEP: ClassVar[bool] = True  # the plugin needs the browser's SDP
    REPLY: ClassVar[type[PluginData]] = Generated

    info: str | None = opt_field(str)
    srtp: str | None = choice_field(*_SRTP)
    srtp_profile: str | None = opt_field(str)
    update: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Process(_NoSipRequest[Processed]):
    """Process the legacy peer's barebone ``sdp`` (``type`` offer or answer); the answer
    carries the JSEP for the browser."""

    REQUEST: ClassVar[str | None] = "process"
    REPLY: ClassVar[type[PluginData]] = Processed

    type: str = choice_field("offer", "answer", required=True)
    sdp: str = req_field(str)
    info: str | None = opt_field(str)
    srtp: str | None = choice_field(*_SRTP)
    srtp_profile: str | None = opt_field(str)
    update: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Hangup(_NoSipRequest[HangingUp]):
    """Close the PeerConnection and stop relaying."""

    REQUEST: ClassVar[str | None] = "hangup"
    REPLY: ClassVar[type[PluginData]] = HangingUp


@attrs.frozen(kw_only=True)
class Recording(_NoSipRequest[RecordingUpdated]):
    """Start or stop recording our and/or the peer's media (.mjr files named from
    ``filename``); at least one of the four media flags must be True."""

    REQUEST: ClassVar[str | None] = "recording"
    REPLY: ClassVar[type[PluginData]] = RecordingUpdated

    action: str = choice_field("start", "stop", required=True)
    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    peer_audio: bool | None = opt_field(bool)
    peer_video: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)


# -- errors ------------------------------------------------------------------------------


class NoSipError(PluginError):
    """A NoSIP plugin error (``janus.plugin.nosip``)."""


class NoMessage(NoSipError):
    """440: no message."""

    code = 440


class InvalidJSON(NoSipError):
    """441: invalid JSON."""

    code = 441


class InvalidRequest(NoSipError):
    """442: invalid or unknown request."""

    code = 442


class MissingElement(NoSipError):
    """443: a mandatory element is missing."""

    code = 443


class InvalidElement(NoSipError):
    """444: an element has the wrong type or value."""

    code = 444


class WrongState(NoSipError):
    """445: wrong state."""

    code = 445


class MissingSDP(NoSipError):
    """446: no SDP, an invalid SDP type, an unparsable SDP, or DataChannels."""

    code = 446


class InvalidSDP(NoSipError):
    """447: the SDP has no usable audio/video or no remote address."""

    code = 447


class IOFailure(NoSipError):
    """448: I/O error (e.g. no RTP ports)."""

    code = 448


class RecordingError(NoSipError):
    """449: recording error (e.g. nothing to record)."""

    code = 449


class TooStrict(NoSipError):
    """450: SDES-SRTP required but not offered."""

    code = 450


class UnknownError(NoSipError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        MissingElement,
        InvalidElement,
        WrongState,
        MissingSDP,
        InvalidSDP,
        IOFailure,
        RecordingError,
        TooStrict,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, NoSipError, ERRORS)
