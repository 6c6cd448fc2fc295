"""VoiceMail (``janus.plugin.voicemail``): record up to 10 s of Opus audio to an .opus file.

Every request is asynchronous and answered ``{"voicemail":"event","status":...}``:
``record`` (with a JSEP offer; the answer accepts audio only and rejects video) gives
``starting``, ``update`` (renegotiation of an ongoing recording) gives ``updating``, and
``stop`` gives ``done`` with the URL of the file (``base`` of the plugin's configuration
plus ``janus-voicemail-<id>.opus``). ``started`` is pushed once the PeerConnection is up,
and ``done`` is pushed by itself after 10 s of media.

Observed on 1.1.2, unlike the docs (which say Janus sends the offer): the client offers,
Janus answers. A ``record`` without a JSEP is accepted (``starting``, no answer) but can
never get media, so :class:`Record` requires the offer. After ``done`` (``stop`` or the
10 s) the plugin ends the handle: ``detached`` follows.
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
    data_field,
    key_is,
    register_plugin_errors,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    # requests
    "Record",
    "Update",
    "Stop",
    # replies and events
    "VoiceMailEvent",
    "Starting",
    "Started",
    "Updating",
    "Done",
    # errors
    "VoiceMailError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "MissingElement",
    "InvalidElement",
    "AlreadyRecording",
    "RecordingIOError",
    "LibOggError",
    "InvalidState",
    "UnknownError",
]

PLUGIN = "janus.plugin.voicemail"


# -- replies and events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class VoiceMailEvent(PluginData):
    """Base of VoiceMail answers and events: ``{"voicemail":"event","status":...}``."""

    status: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Starting(VoiceMailEvent):
    """Answer to ``record``: the file is open; the JSEP answer is on ``jsep``."""


@attrs.frozen(kw_only=True)
class Started(VoiceMailEvent):
    """The PeerConnection is up: recording (for at most 10 s)."""


@attrs.frozen(kw_only=True)
class Updating(VoiceMailEvent):
    """Answer to ``update``: the JSEP answer to the new offer is on ``jsep``."""


@attrs.frozen(kw_only=True)
class Done(VoiceMailEvent):
    """The recording is over; ``recording`` is the URL of the .opus file. The plugin
    ends the handle right after."""

    recording: str | None = data_field(str)


CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("status", "starting"), Starting),
        (key_is("status", "started"), Started),
        (key_is("status", "updating"), Updating),
        (key_is("status", "done"), Done),
    ],
)


# -- requests ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Record(PluginRequest[Starting]):
    """Start recording the audio of the JSEP offer (required)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "record"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Starting


@attrs.frozen(kw_only=True)
class Update(PluginRequest[Updating]):
    """Renegotiate the ongoing recording (e.g. an ICE restart) with a new JSEP offer.

    Refused with :class:`InvalidState` until the PeerConnection is up.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "update"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Updating


@attrs.frozen(kw_only=True)
class Stop(PluginRequest[Done]):
    """Stop recording before the 10 s are over; the plugin then ends the handle."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "stop"
    REPLY: ClassVar[type[PluginData]] = Done


# -- errors ------------------------------------------------------------------------------


class VoiceMailError(PluginError):
    """A VoiceMail error (``janus.plugin.voicemail``)."""


class NoMessage(VoiceMailError):
    """460: no message."""

    code = 460


class InvalidJSON(VoiceMailError):
    """461: invalid JSON."""

    code = 461


class InvalidRequest(VoiceMailError):
    """462: unknown request."""

    code = 462


class MissingElement(VoiceMailError):
    """463: a mandatory element is missing."""

    code = 463


class InvalidElement(VoiceMailError):
    """464: an element has the wrong type (or the JSEP asks for media encryption)."""

    code = 464


class AlreadyRecording(VoiceMailError):
    """465: this handle is already recording."""

    code = 465


class RecordingIOError(VoiceMailError):
    """466: I/O error: the output file could not be opened."""

    code = 466


class LibOggError(VoiceMailError):
    """467: the Ogg stream could not be set up."""

    code = 467


class InvalidState(VoiceMailError):
    """468: invalid state (``update`` while not recording)."""

    code = 468


class UnknownError(VoiceMailError):
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
        AlreadyRecording,
        RecordingIOError,
        LibOggError,
        InvalidState,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, VoiceMailError, ERRORS)
