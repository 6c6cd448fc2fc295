"""Record&Play (``janus.plugin.recordplay``): record a WebRTC session to .mjr files, replay it.

``list``, ``update`` and ``configure`` are answered in the ``success`` reply (the 1.1.2 docs
call ``configure`` asynchronous; the server answers it at once with
``{"recordplay":"configure","status":"ok","settings":{...}}``). ``record`` (with a JSEP
offer), ``play`` (Janus sends the offer), ``start`` (with the JSEP answer), ``stop``,
``pause`` and ``resume`` are asynchronous: their answer is
``{"recordplay":"event","result":{"status":...,"id":...}}``, whose ``result`` fields are
lifted to attributes. ``{"recordplay":"event","result":"done"}`` is pushed when the
PeerConnection goes away.

Observed on 1.1.2, unlike the docs: list entries carry ``audio``/``video``/``data`` as
booleans (not file names), ``textdata`` is a boolean, and ``pause``/``resume`` on a handle
that neither records nor plays answer a bare ``{"recordplay":"event"}`` (``status`` None).
A recording made without media lists fine but ``play`` refuses it with 417.
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
    ResultData,
    data_field,
    in_result,
    key_is,
    non_negative_field,
    opt_field,
    register_plugin_errors,
    req_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    # requests
    "List",
    "Update",
    "Configure",
    "Record",
    "Play",
    "Start",
    "Stop",
    "Pause",
    "Resume",
    # replies and events
    "RecordingInfo",
    "RecordingList",
    "Updated",
    "Settings",
    "Configured",
    "RecordPlayEvent",
    "Recording",
    "Preparing",
    "Playing",
    "Paused",
    "Resumed",
    "Stopped",
    "SlowLink",
    "Done",
    # errors
    "RecordPlayError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "InvalidElement",
    "MissingElement",
    "NoSuchRecording",
    "InvalidRecording",
    "InvalidState",
    "InvalidSDP",
    "RecordingExists",
    "UnknownError",
]

PLUGIN = "janus.plugin.recordplay"


# -- replies and events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RecordingInfo(PluginData):
    """One entry of ``list``: a completed recording."""

    id: int = data_field(int, required=True)
    name: str | None = data_field(str)
    date: str | None = data_field(str)
    audio: bool | None = data_field(bool)
    video: bool | None = data_field(bool)
    data: bool | None = data_field(bool)
    audio_codec: str | None = data_field(str)
    video_codec: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class RecordingList(PluginData):
    """Answer to ``list``: ``{"recordplay":"list","list":[...]}``."""

    list: tuple[RecordingInfo, ...] = data_field(item=RecordingInfo, required=True)


@attrs.frozen(kw_only=True)
class Updated(PluginData):
    """Answer to ``update``: ``{"recordplay":"ok"}``, the folder was scanned again."""

    recordplay: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Settings(PluginData):
    """The handle's video settings, as ``configure`` reports them."""

    video_bitrate_max: int | None = data_field(int, key="video-bitrate-max")
    video_keyframe_interval: int | None = data_field(int, key="video-keyframe-interval")


@attrs.frozen(kw_only=True)
class Configured(PluginData):
    """Answer to ``configure``: ``status`` ``"ok"`` and the resulting ``settings``."""

    status: str | None = data_field(str)
    settings: Settings | None = data_field(nested=Settings)


@attrs.frozen(kw_only=True)
class RecordPlayEvent(ResultData):
    """Base of the ``{"recordplay":"event","result":{...}}`` answers and events: the fields
    of ``result`` are lifted to attributes; ``raw`` keeps the whole plugin data."""

    status: str | None = data_field(str)
    id: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Recording(RecordPlayEvent):
    """Answer to ``record``: the recording ``id`` (chosen by Janus if not given); the JSEP
    answer is on ``jsep``."""

    id: int = data_field(int, required=True)


@attrs.frozen(kw_only=True)
class Preparing(RecordPlayEvent):
    """Answer to ``play``: Janus's JSEP offer is on ``jsep``; answer it with ``start``.

    ``status`` is ``"restarting"`` for a ``play`` with ``restart`` (ICE restart);
    ``warning`` says when one of the files could not be read.
    """

    id: int = data_field(int, required=True)
    warning: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Playing(RecordPlayEvent):
    """Answer to ``start``: the playout begins once the PeerConnection is up."""


@attrs.frozen(kw_only=True)
class Paused(RecordPlayEvent):
    """Answer to ``pause`` (``status`` None when nothing was recorded or played)."""


@attrs.frozen(kw_only=True)
class Resumed(RecordPlayEvent):
    """Answer to ``resume`` (``status`` None when nothing was recorded or played)."""


@attrs.frozen(kw_only=True)
class Stopped(RecordPlayEvent):
    """Answer to ``stop``: ``id`` is the recording that was recorded or played, if any."""


@attrs.frozen(kw_only=True)
class SlowLink(RecordPlayEvent):
    """The PeerConnection is losing packets (``uplink``: from the user's point of view)."""

    media: str | None = data_field(str)
    current_bitrate: int | None = data_field(int, key="current-bitrate")
    uplink: bool | int | None = data_field((bool, int))


@attrs.frozen(kw_only=True)
class Done(PluginData):
    """``{"recordplay":"event","result":"done"}``: the recording or playout is over."""

    result: str = data_field(str, required=True)


CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("result", "done"), Done),
        (key_is("recordplay", "list"), RecordingList),
        (key_is("recordplay", "configure"), Configured),
        (key_is("recordplay", "ok"), Updated),
        (in_result(key_is("status", "recording")), Recording),
        (in_result(key_is("status", "preparing", "restarting")), Preparing),
        (in_result(key_is("status", "playing")), Playing),
        (in_result(key_is("status", "paused")), Paused),
        (in_result(key_is("status", "resumed")), Resumed),
        (in_result(key_is("status", "stopped")), Stopped),
        (in_result(key_is("status", "slow_link")), SlowLink),
    ],
)


# -- requests ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class List(PluginRequest[RecordingList]):
    """The completed recordings."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "list"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = RecordingList


@attrs.frozen(kw_only=True)
class Update(PluginRequest[Updated]):
    """Scan the recordings folder again (for .nfo files added by hand)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "update"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Updated


@attrs.frozen(kw_only=True)
class Configure(PluginRequest[Configured]):
    """Set the REMB cap (bits per second) and the keyframe request interval (ms) used
    while recording video."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "configure"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Configured
    video_bitrate_max: int | None = non_negative_field(key="video-bitrate-max")
    video_keyframe_interval: int | None = non_negative_field(key="video-keyframe-interval")


@attrs.frozen(kw_only=True)
class Record(PluginRequest[Recording]):
    """Record what the JSEP offer sends, as ``name`` (``id``: Janus picks one if None).

    ``filename`` is the base of the .mjr files (``-audio``/``-video``/``-data`` are
    added); ``textdata``: data channel messages are text (else binary); ``update``: this
    offer renegotiates an ongoing recording.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "record"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Recording
    name: str = req_field(str)
    id: int | None = non_negative_field()
    filename: str | None = opt_field(str)
    audiocodec: str | None = opt_field(str)
    videocodec: str | None = opt_field(str)
    videoprofile: str | None = opt_field(str)
    opusred: bool | None = opt_field(bool)
    textdata: bool | None = opt_field(bool)
    update: bool | None = opt_field(bool)

    @name.validator
    def _name(self, attr: attrs.Attribute[Any], value: str) -> None:
        if not value:
            raise ValueError("Record.name must not be empty")


@attrs.frozen(kw_only=True)
class Play(PluginRequest[Preparing]):
    """Prepare the playout of recording ``id``: Janus answers with a JSEP offer
    (``restart``: a new offer for an ICE restart of the current playout)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "play"
    REPLY: ClassVar[type[PluginData]] = Preparing
    id: int = non_negative_field(required=True)
    restart: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Start(PluginRequest[Playing]):
    """Start the playout; the JSEP answer to Janus's offer is required."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "start"
    JSEP: ClassVar[JsepRule] = JsepRule.ANSWER
    REPLY: ClassVar[type[PluginData]] = Playing


@attrs.frozen(kw_only=True)
class Stop(PluginRequest[Stopped]):
    """Stop the recording or the playout (the PeerConnection is closed)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "stop"
    REPLY: ClassVar[type[PluginData]] = Stopped


@attrs.frozen(kw_only=True)
class Pause(PluginRequest[Paused]):
    """Pause the recording or the playout."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "pause"
    REPLY: ClassVar[type[PluginData]] = Paused


@attrs.frozen(kw_only=True)
class Resume(PluginRequest[Resumed]):
    """Resume a paused recording or playout."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "resume"
    REPLY: ClassVar[type[PluginData]] = Resumed


# -- errors ------------------------------------------------------------------------------


class RecordPlayError(PluginError):
    """A Record&Play error (``janus.plugin.recordplay``)."""


class NoMessage(RecordPlayError):
    """411: no message."""

    code = 411


class InvalidJSON(RecordPlayError):
    """412: invalid JSON."""

    code = 412


class InvalidRequest(RecordPlayError):
    """413: invalid or unknown request."""

    code = 413


class InvalidElement(RecordPlayError):
    """414: an element has the wrong type or value (or ``play`` came with an SDP)."""

    code = 414


class MissingElement(RecordPlayError):
    """415: a mandatory element is missing, the SDP offer of ``record`` or the SDP answer
    of ``start`` included."""

    code = 415


class NoSuchRecording(RecordPlayError):
    """416: no such recording."""

    code = 416


class InvalidRecording(RecordPlayError):
    """417: the recording's files could not be opened (e.g. no media was recorded)."""

    code = 417


class InvalidState(RecordPlayError):
    """418: invalid state (e.g. ``start`` without a prepared playout)."""

    code = 418


class InvalidSDP(RecordPlayError):
    """419: the SDP could not be parsed."""

    code = 419


class RecordingExists(RecordPlayError):
    """420: a recording with this id already exists."""

    code = 420


class UnknownError(RecordPlayError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        InvalidElement,
        MissingElement,
        NoSuchRecording,
        InvalidRecording,
        InvalidState,
        InvalidSDP,
        RecordingExists,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, RecordPlayError, ERRORS)
