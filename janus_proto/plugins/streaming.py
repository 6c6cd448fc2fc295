"""Streaming (``janus.plugin.streaming``): one-to-many mountpoints; Janus makes the offer.

``list``, ``info``, ``create``, ``edit``, ``destroy``, ``enable``, ``disable``,
``recording`` and ``kick_all`` are answered in the ``success`` reply (``{"streaming":
"list" | "info" | "created" | "edited" | "destroyed" | "ok" | "kicked_all", ...}``).
``watch``, ``start``, ``pause``, ``configure``, ``switch`` and ``stop`` get an ack, then
``{"streaming":"event","result":{...}}``: a ``status`` (``preparing`` with Janus's offer,
``updating``, ``starting``, ``started``, ``pausing``, ``stopping``, ``stopped``,
``kicked_all``), ``event: "configured"``, ``switched: "ok"`` or a simulcast/SVC layer.

Janus 1.1.2 quirks: a ``rtp`` mountpoint reports ``"type": "live"``; ``stop`` is not
answered at all before the PeerConnection is up (status ``started``); the ``edited`` event
viewers get has no ``streaming`` key (``{"event":"edited","id":..,"metadata":..}``);
``configure`` answers ``configured`` even when a field has the wrong type; ``disable``
(stop_recording left true) crashes Janus when a stream of the mountpoint is not recording.
Mountpoint ids are ints, or strs when the plugin runs with ``string_ids``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

from .._errors import PluginError
from ._base import (
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    RequestPart,
    ResultData,
    choice_field,
    data_field,
    has_any,
    in_result,
    key_is,
    list_field,
    non_negative_field,
    opt_field,
    register_plugin_errors,
    req_field,
    result_of,
    room_id_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    "MOUNTPOINT_TYPES",
    # requests
    "List",
    "Info",
    "Create",
    "RtpMedia",
    "Edit",
    "Destroy",
    "Enable",
    "Disable",
    "Recording",
    "RecordingMedia",
    "KickAll",
    "Watch",
    "Start",
    "Pause",
    "Configure",
    "Switch",
    "Stop",
    # replies
    "MediaSummary",
    "MountpointSummary",
    "MountpointList",
    "MediaInfo",
    "MountpointInfo",
    "StreamPort",
    "CreatedStream",
    "Created",
    "Edited",
    "Destroyed",
    "Ok",
    "KickedAll",
    # events
    "StatusEvent",
    "Preparing",
    "Updating",
    "Starting",
    "Started",
    "Pausing",
    "Stopping",
    "Stopped",
    "Switching",
    "Kicked",
    "OtherStatus",
    "Configured",
    "Switched",
    "SimulcastChanged",
    "SvcLayerChanged",
    "MountpointEdited",
    # errors
    "StreamingError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "MissingElement",
    "InvalidElement",
    "NoSuchMountpoint",
    "CantCreate",
    "Unauthorized",
    "CantSwitch",
    "CantRecord",
    "InvalidState",
    "UnknownError",
]

PLUGIN = "janus.plugin.streaming"

#: The mountpoint types ``create`` accepts.
MOUNTPOINT_TYPES = ("rtp", "live", "ondemand", "rtsp")


# -- validators --------------------------------------------------------------------------


def _port(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not 0 <= value <= 65535:
        raise ValueError(f"{type(inst).__name__}.{attr.name} must be a port (0-65535)")


def _port_field(*, required: bool = False) -> Any:
    if required:
        return req_field(int, validator=_port)
    return opt_field(int, validator=_port)


# -- replies and events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Result(ResultData):
    """Base of the ``{"streaming":"event","result":{...}}`` answers and events: the fields
    of ``result`` are attributes (a missing ``result`` is malformed); ``raw`` keeps the
    whole data."""

    INNER_REQUIRED: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class MediaSummary(PluginData):
    """A stream of a mountpoint in a ``list`` answer."""

    mid: str | None = data_field(str)
    type: str | None = data_field(str)
    label: str | None = data_field(str)
    msid: str | None = data_field(str)
    #: Milliseconds since media last arrived (RTP mountpoints).
    age_ms: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class MountpointSummary(PluginData):
    """A mountpoint in a ``list`` answer (``type`` is ``live`` or ``on demand``)."""

    id: int | str = data_field((int, str), required=True)
    type: str | None = data_field(str)
    description: str | None = data_field(str)
    metadata: str | None = data_field(str)
    enabled: bool | None = data_field(bool)
    media: tuple[MediaSummary, ...] = data_field(item=MediaSummary, default=())


@attrs.frozen(kw_only=True)
class MountpointList(PluginData):
    """Answer to ``list``: ``{"streaming":"list","list":[...]}``."""

    list: tuple[MountpointSummary, ...] = data_field(item=MountpointSummary, required=True)


@attrs.frozen(kw_only=True)
class MediaInfo(PluginData):
    """A stream in an ``info`` answer; ports and ``recording`` need the secret."""

    mindex: int | None = data_field(int)
    type: str | None = data_field(str)
    mid: str | None = data_field(str)
    label: str | None = data_field(str)
    msid: str | None = data_field(str)
    pt: int | None = data_field(int)
    codec: str | None = data_field(str)
    rtpmap: str | None = data_field(str)
    fmtp: str | None = data_field(str)
    port: int | None = data_field(int)
    rtcpport: int | None = data_field(int)
    port2: int | None = data_field(int)
    port3: int | None = data_field(int)
    videobufferkf: bool | None = data_field(bool)
    videosimulcast: bool | None = data_field(bool)
    videosvc: bool | None = data_field(bool)
    skew_compensation: bool | None = data_field(bool)
    datatype: str | None = data_field(str)
    age_ms: int | None = data_field(int)
    #: The file being recorded (``.mjr`` name), while recording.
    recording: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class MountpointInfo(ResultData):
    """Answer to ``info``: the fields of ``info`` as attributes.

    ``name``, ``secret``, ``pin``, ``is_private``, ``viewers``, ``host``, ``filename`` and
    the RTSP credentials come only with the right secret (or when there is none).
    """

    INNER: ClassVar[str] = "info"
    INNER_REQUIRED: ClassVar[bool] = True

    id: int | str = data_field((int, str), required=True)
    name: str | None = data_field(str)
    description: str | None = data_field(str)
    metadata: str | None = data_field(str)
    secret: str | None = data_field(str, repr=False)
    pin: str | None = data_field(str, repr=False)
    is_private: bool | None = data_field(bool)
    enabled: bool | None = data_field(bool)
    viewers: int | None = data_field(int)
    type: str | None = data_field(str)
    media: tuple[MediaInfo, ...] = data_field(item=MediaInfo, default=())
    host: str | None = data_field(str)
    filename: str | None = data_field(str)
    srtp: bool | None = data_field(bool)
    collision: int | None = data_field(int)
    threads: int | None = data_field(int)
    rtsp: bool | None = data_field(bool)
    url: str | None = data_field(str)
    rtsp_user: str | None = data_field(str)
    rtsp_pwd: str | None = data_field(str, repr=False)
    rtsp_quirk: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class StreamPort(PluginData):
    """Where a new ``rtp`` mountpoint listens for one stream."""

    type: str | None = data_field(str)
    mid: str | None = data_field(str)
    msid: str | None = data_field(str)
    port: int | None = data_field(int)
    rtcp_port: int | None = data_field(int)
    port_2: int | None = data_field(int)
    port_3: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class CreatedStream(PluginData):
    """The ``stream`` of a ``created`` answer (``ports`` for ``rtp`` mountpoints only)."""

    id: int | str = data_field((int, str), required=True)
    type: str | None = data_field(str)
    description: str | None = data_field(str)
    is_private: bool | None = data_field(bool)
    host: str | None = data_field(str)
    ports: tuple[StreamPort, ...] = data_field(item=StreamPort, default=())


@attrs.frozen(kw_only=True)
class Created(PluginData):
    """Answer to ``create``: ``{"streaming":"created","created":<name>,"permanent":b,
    "stream":{...}}``."""

    name: str = data_field(str, key="created", required=True)
    permanent: bool | None = data_field(bool)
    stream: CreatedStream | None = data_field(nested=CreatedStream)

    @property
    def id(self) -> int | str | None:
        """The new mountpoint's id."""
        return self.stream.id if self.stream is not None else None


@attrs.frozen(kw_only=True)
class Edited(PluginData):
    """Answer to ``edit``."""

    id: int | str = data_field((int, str), required=True)
    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Destroyed(PluginData):
    """Answer to ``destroy``: ``{"streaming":"destroyed","destroyed":<id>}``."""

    id: int | str = data_field((int, str), key="destroyed", required=True)


@attrs.frozen(kw_only=True)
class Ok(PluginData):
    """``{"streaming":"ok"}``: answer to ``enable``, ``disable`` and ``recording``."""

    streaming: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class KickedAll(PluginData):
    """Answer to ``kick_all``."""

    streaming: str = data_field(str, required=True)


# -- events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StatusEvent(_Result):
    """Base of the ``{"streaming":"event","result":{"status":...}}`` events.

    Parsing with this class picks the subclass for the status (:class:`OtherStatus` for
    one this library does not know); the offer of :class:`Preparing` is in ``jsep``.
    """

    status: str = data_field(str, required=True)

    @classmethod
    def parse(cls, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> Any:
        if cls is StatusEvent:
            status = result_of(data).get("status")
            sub = (
                _STATUS_CLASSES.get(status, OtherStatus) if isinstance(status, str) else OtherStatus
            )
            return sub.parse(data, jsep)
        return super().parse(data, jsep)


@attrs.frozen(kw_only=True)
class Preparing(StatusEvent):
    """Answer to ``watch``: Janus's JSEP offer is in ``jsep``."""


@attrs.frozen(kw_only=True)
class Updating(StatusEvent):
    """Answer to ``watch`` with ``restart``: a new offer is in ``jsep``."""


@attrs.frozen(kw_only=True)
class Starting(StatusEvent):
    """Answer to ``start``: media flows once the PeerConnection is up."""


@attrs.frozen(kw_only=True)
class Started(StatusEvent):
    """The PeerConnection is up and media is relayed (also the answer to ``start`` then)."""


@attrs.frozen(kw_only=True)
class Pausing(StatusEvent):
    """Answer to ``pause``."""


@attrs.frozen(kw_only=True)
class Stopping(StatusEvent):
    """Answer to ``stop``: the PeerConnection is being closed."""


@attrs.frozen(kw_only=True)
class Stopped(StatusEvent):
    """The mountpoint went away (destroyed, or its source ended): the PC closes."""


@attrs.frozen(kw_only=True)
class Switching(StatusEvent):
    """A switch is under way (1.1.2 tells only event handlers; kept for other versions)."""


@attrs.frozen(kw_only=True)
class Kicked(StatusEvent):
    """``status: "kicked_all"``: a ``kick_all`` removed this viewer; the PC closes."""


@attrs.frozen(kw_only=True)
class OtherStatus(StatusEvent):
    """A status this library has no class for (``status`` says which)."""


_STATUS_CLASSES: dict[str, type[StatusEvent]] = {
    "preparing": Preparing,
    "updating": Updating,
    "starting": Starting,
    "started": Started,
    "pausing": Pausing,
    "stopping": Stopping,
    "stopped": Stopped,
    "switching": Switching,
    "kicked_all": Kicked,
}


@attrs.frozen(kw_only=True)
class Configured(_Result):
    """Answer to ``configure``: ``{"streaming":"event","result":{"event":"configured"}}``."""

    event: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Switched(_Result):
    """Answer to ``switch``: ``{"switched":"ok","id":<new mountpoint>}`` in ``result``."""

    switched: str = data_field(str, required=True)
    id: int | str | None = data_field((int, str))


@attrs.frozen(kw_only=True)
class SimulcastChanged(_Result):
    """The simulcast substream or temporal layer relayed for stream ``mid`` changed."""

    mid: str | None = data_field(str)
    substream: int | None = data_field(int)
    temporal: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class SvcLayerChanged(_Result):
    """The VP9-SVC spatial or temporal layer relayed for stream ``mid`` changed."""

    mid: str | None = data_field(str)
    spatial_layer: int | None = data_field(int)
    temporal_layer: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class MountpointEdited(PluginData):
    """The mountpoint being watched got new metadata (``edit`` with ``edited_event``).

    1.1.2 sends ``{"event":"edited","id":..,"metadata":..}`` without a ``streaming`` key.
    """

    event: str = data_field(str, required=True)
    id: int | str | None = data_field((int, str))
    metadata: str | None = data_field(str)


CODEC = PluginCodec(
    PLUGIN,
    [
        (in_result(key_is("status")), StatusEvent),
        (in_result(key_is("event", "configured")), Configured),
        (in_result(key_is("switched")), Switched),
        (in_result(has_any("substream", "temporal")), SimulcastChanged),
        (in_result(has_any("spatial_layer", "temporal_layer")), SvcLayerChanged),
        (lambda d: d.get("event") == "edited" and "streaming" not in d, MountpointEdited),
        (key_is("streaming", "list"), MountpointList),
        (key_is("streaming", "info"), MountpointInfo),
        (key_is("streaming", "created"), Created),
        (key_is("streaming", "edited"), Edited),
        (key_is("streaming", "destroyed"), Destroyed),
        (key_is("streaming", "ok"), Ok),
        (key_is("streaming", "kicked_all"), KickedAll),
    ],
)


# -- requests: mountpoint management (sync) -----------------------------------------------


@attrs.frozen(kw_only=True)
class RtpMedia(RequestPart):
    """One stream of a ``rtp`` mountpoint (an entry of :attr:`Create.media`).

    ``port`` 0 lets Janus pick a free port of its ``rtp_port_range`` (so do ``rtcpport``,
    ``port2`` and ``port3`` when 0); ``iface`` restricts the bind to an address, e.g.
    ``"127.0.0.1"``. ``port2``/``port3`` are the simulcast ports of a video stream.
    """

    type: str = choice_field("audio", "video", "data", required=True)
    mid: str = req_field(str)
    port: int = _port_field(required=True)
    label: str | None = opt_field(str)
    msid: str | None = opt_field(str)
    mcast: str | None = opt_field(str)
    iface: str | None = opt_field(str)
    rtcpport: int | None = _port_field()
    pt: int | None = non_negative_field()
    codec: str | None = opt_field(str)
    rtpmap: str | None = opt_field(str)
    fmtp: str | None = opt_field(str)
    skew: bool | None = opt_field(bool)
    bufferkf: bool | None = opt_field(bool)
    simulcast: bool | None = opt_field(bool)
    port2: int | None = _port_field()
    port3: int | None = _port_field()
    svc: bool | None = opt_field(bool)
    h264sps: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class RecordingMedia(RequestPart):
    """One stream to record (``filename``: the path without ``.mjr``) or stop recording."""

    mid: str = req_field(str)
    filename: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class List(PluginRequest[MountpointList]):
    """The public mountpoints (private ones too with the plugin's ``admin_key``)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "list"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = MountpointList
    admin_key: str | None = opt_field(str, repr=False)


@attrs.frozen(kw_only=True)
class Info(PluginRequest[MountpointInfo]):
    """A mountpoint's details; its ``secret`` adds ports, pin, viewers and the like."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "info"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = MountpointInfo
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)


@attrs.frozen(kw_only=True)
class Create(PluginRequest[Created]):
    """Create a mountpoint of ``type`` ``rtp``, ``live``, ``ondemand`` or ``rtsp``.

    ``rtp``: ``media`` (:class:`RtpMedia` entries) plus ``collision``, ``threads``,
    ``srtpsuite``/``srtpcrypto``, ``e2ee``, ``playoutdelay_ext``. ``live``/``ondemand``:
    ``filename`` (an Opus, a-law or mu-law file on the Janus host) with ``audio=True`` and
    ``audiopt``/``audiocodec``/``audiofmtp``. ``rtsp``: ``url`` and the ``rtsp_*`` fields,
    ``audio``/``video`` with their ``*pt``/``*codec``/``*fmtp``. ``id`` and ``name`` are
    picked by Janus when left out; ``admin_key`` is needed when the plugin has one.
    ``datatype``/``buffermsg`` apply to data streams (1.1.2 reads them from the top level).
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "create"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Created
    type: str = choice_field(*MOUNTPOINT_TYPES, required=True)
    id: int | str | None = room_id_field(optional=True)
    name: str | None = opt_field(str)
    description: str | None = opt_field(str)
    metadata: str | None = opt_field(str)
    secret: str | None = opt_field(str, repr=False)
    pin: str | None = opt_field(str, repr=False)
    is_private: bool | None = opt_field(bool)
    permanent: bool | None = opt_field(bool)
    admin_key: str | None = opt_field(str, repr=False)
    # rtp
    media: Sequence[RtpMedia] | None = list_field(RtpMedia)
    collision: int | None = non_negative_field()
    threads: int | None = non_negative_field()
    srtpsuite: int | None = opt_field(int)
    srtpcrypto: str | None = opt_field(str, repr=False)
    e2ee: bool | None = opt_field(bool)
    playoutdelay_ext: bool | None = opt_field(bool)
    datatype: str | None = choice_field("text", "binary")
    buffermsg: bool | None = opt_field(bool)
    # live, ondemand, rtsp (and the deprecated single-stream rtp form)
    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    data: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    audiopt: int | None = non_negative_field()
    audiocodec: str | None = opt_field(str)
    audiortpmap: str | None = opt_field(str)
    audiofmtp: str | None = opt_field(str)
    videopt: int | None = non_negative_field()
    videocodec: str | None = opt_field(str)
    videortpmap: str | None = opt_field(str)
    videofmtp: str | None = opt_field(str)
    videobufferkf: bool | None = opt_field(bool)
    # rtsp
    url: str | None = opt_field(str)
    rtsp_user: str | None = opt_field(str)
    rtsp_pwd: str | None = opt_field(str, repr=False)
    rtsp_quirk: bool | None = opt_field(bool)
    rtsp_failcheck: bool | None = opt_field(bool)
    rtspiface: str | None = opt_field(str)
    rtsp_reconnect_delay: int | None = non_negative_field()
    rtsp_session_timeout: int | None = non_negative_field()
    rtsp_timeout: int | None = non_negative_field()
    rtsp_conn_timeout: int | None = non_negative_field()

    def __attrs_post_init__(self) -> None:
        if self.type in ("live", "ondemand") and self.filename is None:
            raise ValueError(f"Create.filename is mandatory for a {self.type!r} mountpoint")
        if self.media is not None and self.type != "rtp":
            raise ValueError("Create.media is for 'rtp' mountpoints")


@attrs.frozen(kw_only=True)
class Edit(PluginRequest[Edited]):
    """Change a mountpoint's description, metadata, secret, pin or privacy.

    An empty ``new_pin`` removes the pin; ``edited_event`` tells the viewers when the
    metadata changed (:class:`MountpointEdited`).
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "edit"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Edited
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)
    new_description: str | None = opt_field(str)
    new_metadata: str | None = opt_field(str)
    new_secret: str | None = opt_field(str, repr=False)
    new_pin: str | None = opt_field(str, repr=False)
    new_is_private: bool | None = opt_field(bool)
    permanent: bool | None = opt_field(bool)
    edited_event: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Destroy(PluginRequest[Destroyed]):
    """Destroy a mountpoint; its viewers get :class:`Stopped` and their PC closes."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "destroy"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Destroyed
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Enable(PluginRequest[Ok]):
    """Make a disabled mountpoint available to viewers again."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "enable"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Ok
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)


@attrs.frozen(kw_only=True)
class Disable(PluginRequest[Ok]):
    """Hide a mountpoint from viewers (``stop_recording``: close its recordings; default
    true).

    Janus 1.1.2 at its default log level (4) crashes when it closes the recordings of an
    ``rtp`` mountpoint and a stream is not recording: pass ``stop_recording=False`` then.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "disable"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Ok
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)
    stop_recording: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Recording(PluginRequest[Ok]):
    """Start (``action="start"``, a ``filename`` per stream) or stop recording streams of
    a live ``rtp`` mountpoint into ``.mjr`` files."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "recording"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Ok
    action: str = choice_field("start", "stop", required=True)
    id: int | str = room_id_field()
    media: Sequence[RecordingMedia] = list_field(RecordingMedia, required=True)
    secret: str | None = opt_field(str, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.action == "start" and any(m.filename is None for m in self.media):
            raise ValueError("Recording.media entries need a filename to start recording")


@attrs.frozen(kw_only=True)
class KickAll(PluginRequest[KickedAll]):
    """Kick every viewer of a mountpoint (they get :class:`Kicked`; not for ondemand)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "kick_all"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = KickedAll
    id: int | str = room_id_field()
    secret: str | None = opt_field(str, repr=False)


# -- requests: watching (async) ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Watch(PluginRequest[StatusEvent]):
    """Watch a mountpoint: the answer is :class:`Preparing` with Janus's JSEP offer.

    ``media`` lists the mids wanted (none: all); ``offer_audio``/``offer_video``/
    ``offer_data`` are the deprecated way. ``restart=True`` on a handle already watching
    asks for a new offer (:class:`Updating`). ``substream``/``temporal``/``fallback`` and
    ``spatial_layer``/``temporal_layer`` set the first targets of simulcast/SVC streams.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "watch"
    REPLY: ClassVar[type[PluginData]] = StatusEvent
    id: int | str = room_id_field()
    pin: str | None = opt_field(str, repr=False)
    media: Sequence[str] | None = list_field(str)
    restart: bool | None = opt_field(bool)
    offer_audio: bool | None = opt_field(bool)
    offer_video: bool | None = opt_field(bool)
    offer_data: bool | None = opt_field(bool)
    substream: int | None = non_negative_field()
    temporal: int | None = non_negative_field()
    fallback: int | None = non_negative_field()
    spatial_layer: int | None = non_negative_field()
    temporal_layer: int | None = non_negative_field()


@attrs.frozen(kw_only=True)
class Start(PluginRequest[StatusEvent]):
    """Start the playout: with the JSEP answer after :class:`Watch`, without one to resume
    after :class:`Pause`. Answered :class:`Starting` (or :class:`Started`)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "start"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = StatusEvent

    def check_jsep(self, jsep: Mapping[str, Any] | None) -> None:
        """Refuse a JSEP that is not an answer (Janus always makes the offer)."""
        super().check_jsep(jsep)
        if jsep is not None and jsep.get("type") != "answer":
            raise ValueError(f"Start takes a JSEP answer, got {jsep.get('type')!r}")


@attrs.frozen(kw_only=True)
class Pause(PluginRequest[StatusEvent]):
    """Pause the playout, keeping the PeerConnection (answered :class:`Pausing`)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "pause"
    REPLY: ClassVar[type[PluginData]] = StatusEvent


@attrs.frozen(kw_only=True)
class Configure(PluginRequest[Configured]):
    """Change what is sent: ``send`` for the stream ``mid`` (all if no mid), simulcast
    ``substream``/``temporal``/``fallback`` (µs), VP9-SVC ``spatial_layer``/
    ``temporal_layer``, playout delay ``min_delay``/``max_delay`` (10 ms units; negative:
    back to the default)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "configure"
    REPLY: ClassVar[type[PluginData]] = Configured
    mid: str | None = opt_field(str)
    send: bool | None = opt_field(bool)
    substream: int | None = non_negative_field()
    temporal: int | None = non_negative_field()
    fallback: int | None = non_negative_field()
    spatial_layer: int | None = non_negative_field()
    temporal_layer: int | None = non_negative_field()
    min_delay: int | None = opt_field(int)
    max_delay: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class Switch(PluginRequest[Switched]):
    """Move to another live ``rtp`` mountpoint with the same media, on the same PC."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "switch"
    REPLY: ClassVar[type[PluginData]] = Switched
    id: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class Stop(PluginRequest[StatusEvent]):
    """Stop watching and close the PeerConnection (answered :class:`Stopping`).

    Janus 1.1.2 ignores it (no answer at all) until the PeerConnection is up; use the
    core ``hangup`` then.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "stop"
    REPLY: ClassVar[type[PluginData]] = StatusEvent


# -- errors ------------------------------------------------------------------------------


class StreamingError(PluginError):
    """A Streaming error (``janus.plugin.streaming``)."""


class NoMessage(StreamingError):
    """450: no message."""

    code = 450


class InvalidJSON(StreamingError):
    """451: the message was not valid JSON."""

    code = 451


class InvalidRequest(StreamingError):
    """452: invalid or unknown request (also: recording a non-RTP mountpoint, or a stream
    already recording)."""

    code = 452


class MissingElement(StreamingError):
    """453: a mandatory element is missing."""

    code = 453


class InvalidElement(StreamingError):
    """454: an element has the wrong type or value."""

    code = 454


class NoSuchMountpoint(StreamingError):
    """455: no such mountpoint (or, for start/pause/configure/switch, not watching one)."""

    code = 455


class CantCreate(StreamingError):
    """456: the mountpoint could not be created (e.g. the id exists)."""

    code = 456


class Unauthorized(StreamingError):
    """457: wrong secret, pin or admin_key."""

    code = 457


class CantSwitch(StreamingError):
    """458: can't switch (not from or to a live RTP mountpoint)."""

    code = 458


class CantRecord(StreamingError):
    """459: the recorder could not be started."""

    code = 459


class InvalidState(StreamingError):
    """460: invalid state (e.g. already watching a mountpoint)."""

    code = 460


class UnknownError(StreamingError):
    """470: unknown error."""

    code = 470


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        MissingElement,
        InvalidElement,
        NoSuchMountpoint,
        CantCreate,
        Unauthorized,
        CantSwitch,
        CantRecord,
        InvalidState,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, StreamingError, ERRORS)
