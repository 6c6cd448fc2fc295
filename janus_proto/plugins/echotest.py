"""EchoTest (``janus.plugin.echotest``): echoes media back; every request is async.

Janus 1.1.2 answers each message with ``{"echotest":"event","result":"ok"}`` (plus the JSEP
answer when an offer went with it) and pushes ``result: "done"`` when the PeerConnection
or handle goes away. Errors come as events: 411 no message, 412 invalid JSON, 413 invalid
element, 414 invalid SDP.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from .._errors import PluginError
from ._base import (
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    data_field,
    has_any,
    key_is,
    opt_field,
    register_plugin_errors,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "Configure",
    "Result",
    "Done",
    "SimulcastChanged",
    "SlowLink",
    "EchoTestError",
    "NoMessage",
    "InvalidJSON",
    "InvalidElement",
    "InvalidSDP",
]

PLUGIN = "janus.plugin.echotest"


@attrs.frozen(kw_only=True)
class Result(PluginData):
    """``{"echotest":"event","result":"ok"}``: a request was applied."""

    result: Any = data_field(required=True)


@attrs.frozen(kw_only=True)
class Done(PluginData):
    """``result: "done"``: the PeerConnection (or the handle) went away."""

    result: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class SimulcastChanged(PluginData):
    """The simulcast substream or temporal layer being echoed changed."""

    videocodec: str | None = data_field(str)
    substream: int | None = data_field(int)
    temporal: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class SlowLink(PluginData):
    """The plugin lowered the bitrate because of losses."""

    media: str | None = data_field(str)
    current_bitrate: int | None = data_field(int, key="current-bitrate")


@attrs.frozen(kw_only=True)
class Configure(PluginRequest[Result]):
    """Configure the echo (no ``request`` verb in the body); a JSEP offer may go with it."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = None
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = Result

    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    bitrate: int | None = opt_field(int)
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    substream: int | None = opt_field(int)
    temporal: int | None = opt_field(int)
    fallback: int | None = opt_field(int)
    svc: bool | None = opt_field(bool)
    spatial_layer: int | None = opt_field(int)
    temporal_layer: int | None = opt_field(int)
    audiocodec: str | None = opt_field(str)
    videocodec: str | None = opt_field(str)
    videoprofile: str | None = opt_field(str)
    opusred: bool | None = opt_field(bool)
    min_delay: int | None = opt_field(int)
    max_delay: int | None = opt_field(int)


class EchoTestError(PluginError):
    """An EchoTest error (``janus.plugin.echotest``)."""


class NoMessage(EchoTestError):
    """411: no message."""

    code = 411


class InvalidJSON(EchoTestError):
    """412: the message was not valid JSON."""

    code = 412


class InvalidElement(EchoTestError):
    """413: an element has the wrong type or value."""

    code = 413


class InvalidSDP(EchoTestError):
    """414: the SDP could not be used."""

    code = 414


ERRORS: dict[int, type[PluginError]] = {
    c.code: c for c in (NoMessage, InvalidJSON, InvalidElement, InvalidSDP)
}
register_plugin_errors(PLUGIN, EchoTestError, ERRORS)

CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("result", "done"), Done),
        (key_is("result"), Result),
        (key_is("event", "slow_link"), SlowLink),
        (has_any("substream", "temporal"), SimulcastChanged),
    ],
)
