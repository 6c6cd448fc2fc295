"""VideoRoom (``janus.plugin.videoroom``): the SFU, with rooms of publishers and subscribers.

Room management (``create``, ``edit``, ``destroy``, ``exists``, ``list``, ``allowed``,
``kick``, ``moderate``, ``listparticipants``, ``listforwarders``, ``enable_recording``,
``rtp_forward``, ``stop_rtp_forward`` and the remote-publisher requests) is synchronous: the
answer is in the ``success`` reply. Participation is asynchronous (ack, then an event with the
transaction). A *publisher* handle joins (:class:`JoinPublisher`) and publishes a JSEP offer
(:class:`Publish`), or does both with :class:`JoinAndConfigure`. A *subscriber* handle joins
with the ``streams`` it wants (:class:`JoinSubscriber`), gets an offer in :class:`Attached`
and answers it with :class:`Start`.

Room and participant ids are ints, or strs when the plugin runs with ``string_ids = true``:
request fields take either (``room_id_field``), parsed fields keep what Janus sent.

Janus 1.1.2 as observed: a publisher is announced to the others (``publishers`` event, entry in
``joined.publishers``) once its PeerConnection is up, and again when a ``configure`` changes its
stream descriptions (even before the PeerConnection is up); a display change is announced as
``{"videoroom":"event","id":..,"display":..}`` (no ``room``). The dummy publisher is listed at
once; a remote publisher is announced a moment after ``add_remote_publisher`` answers.
``publish`` without a JSEP is answered ``configured: "ok"``. A ``configure`` with ``restart``
on a subscriber whose renegotiation is still pending gets no answer at all. Subscribers are
not told when their room is destroyed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import attrs

from .._errors import PluginError
from ._base import (
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    RequestPart,
    all_of,
    choice_field,
    data_field,
    has_any,
    key_is,
    list_field,
    opt_field,
    register_plugin_errors,
    req_field,
    room_id_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    # request parts
    "SubscribeStream",
    "UnsubscribeStream",
    "SwitchStream",
    "StreamDescription",
    "PublisherStreamConfig",
    "SubscriberStreamConfig",
    "ForwardStream",
    "RemoteStream",
    # sync requests
    "Create",
    "Edit",
    "Destroy",
    "Exists",
    "ListRooms",
    "Allowed",
    "Kick",
    "Moderate",
    "ListParticipants",
    "ListForwarders",
    "EnableRecording",
    "RtpForward",
    "StopRtpForward",
    "PublishRemotely",
    "UnpublishRemotely",
    "ListRemotes",
    "AddRemotePublisher",
    "UpdateRemotePublisher",
    "RemoveRemotePublisher",
    # async requests
    "JoinPublisher",
    "JoinSubscriber",
    "JoinAndConfigure",
    "Publish",
    "ConfigurePublisher",
    "ConfigureSubscriber",
    "Unpublish",
    "Start",
    "Pause",
    "Switch",
    "Subscribe",
    "Unsubscribe",
    "Update",
    "Leave",
    # objects inside replies and events
    "PublisherStream",
    "Publisher",
    "Attendee",
    "SubscriberStream",
    "Participant",
    "Forwarder",
    "PublisherForwarders",
    "RoomInfo",
    "Remotization",
    # replies and events
    "VideoRoomData",
    "Created",
    "Edited",
    "Destroyed",
    "RoomExists",
    "RoomList",
    "AllowedList",
    "Success",
    "ParticipantList",
    "ForwarderList",
    "RecordingState",
    "RtpForwarded",
    "RtpForwardStopped",
    "RemotePublisherAdded",
    "PublishedRemotely",
    "UnpublishedRemotely",
    "RemoteList",
    "Joined",
    "Attached",
    "Updated",
    "Updating",
    "Configured",
    "Started",
    "Paused",
    "Switched",
    "Left",
    "Unpublished",
    "Leaving",
    "NewPublishers",
    "ParticipantJoining",
    "PublisherUnpublished",
    "ParticipantLeft",
    "ParticipantKicked",
    "Moderated",
    "DisplayChanged",
    "Talking",
    "StoppedTalking",
    "SimulcastChanged",
    "SlowLink",
    "ErrorEvent",
    # errors
    "VideoRoomError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "JoinFirst",
    "AlreadyJoined",
    "NoSuchRoom",
    "RoomExistsError",
    "NoSuchFeed",
    "MissingElement",
    "InvalidElement",
    "InvalidSdpType",
    "PublishersFull",
    "Unauthorized",
    "AlreadyPublished",
    "NotPublished",
    "IdExists",
    "InvalidSDP",
    "UnknownError",
]

PLUGIN = "janus.plugin.videoroom"

_ID = (int, str)


# -- request parts -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SubscribeStream(RequestPart):
    """A stream to subscribe to: all of ``feed``'s streams, or only its ``mid``."""

    feed: int | str = room_id_field()
    mid: str | None = opt_field(str)
    crossrefid: str | None = opt_field(str)
    send: bool | None = opt_field(bool)
    substream: int | None = opt_field(int)
    temporal: int | None = opt_field(int)
    fallback: int | None = opt_field(int)
    spatial_layer: int | None = opt_field(int)
    temporal_layer: int | None = opt_field(int)
    min_delay: int | None = opt_field(int)
    max_delay: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class UnsubscribeStream(RequestPart):
    """What to drop: a ``feed`` (and its ``mid``), or one of our m-lines (``sub_mid``).

    Raises:
        ValueError: none of ``feed``, ``mid`` and ``sub_mid`` is given.
    """

    feed: int | str | None = room_id_field(optional=True)
    mid: str | None = opt_field(str)
    sub_mid: str | None = opt_field(str)

    def __attrs_post_init__(self) -> None:
        if self.feed is None and self.mid is None and self.sub_mid is None:
            raise ValueError("UnsubscribeStream needs feed, mid or sub_mid")


@attrs.frozen(kw_only=True)
class SwitchStream(RequestPart):
    """Feed our m-line ``sub_mid`` from ``feed``'s stream ``mid`` (no renegotiation)."""

    feed: int | str = room_id_field()
    mid: str = req_field(str)
    sub_mid: str = req_field(str)


@attrs.frozen(kw_only=True)
class StreamDescription(RequestPart):
    """A text description of one published stream (e.g. "front camera")."""

    mid: str = req_field(str)
    description: str = req_field(str)


@attrs.frozen(kw_only=True)
class PublisherStreamConfig(RequestPart):
    """Per-stream settings of a publisher's ``configure``."""

    mid: str = req_field(str)
    send: bool | None = opt_field(bool)
    keyframe: bool | None = opt_field(bool)
    min_delay: int | None = opt_field(int)
    max_delay: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class SubscriberStreamConfig(RequestPart):
    """Per-stream settings of a subscriber's ``configure`` (simulcast and SVC targets;
    ``fallback`` in microseconds)."""

    mid: str = req_field(str)
    send: bool | None = opt_field(bool)
    substream: int | None = opt_field(int)
    temporal: int | None = opt_field(int)
    fallback: int | None = opt_field(int)
    spatial_layer: int | None = opt_field(int)
    temporal_layer: int | None = opt_field(int)
    audio_level_average: int | None = opt_field(int)
    audio_active_packets: int | None = opt_field(int)
    min_delay: int | None = opt_field(int)
    max_delay: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class ForwardStream(RequestPart):
    """One stream of an ``rtp_forward``: where to send the publisher's ``mid``."""

    mid: str = req_field(str)
    port: int = req_field(int)
    host: str | None = opt_field(str)
    host_family: str | None = opt_field(str)
    rtcp_port: int | None = opt_field(int)
    ssrc: int | None = opt_field(int)
    pt: int | None = opt_field(int)
    simulcast: bool | None = opt_field(bool)
    port_2: int | None = opt_field(int)
    ssrc_2: int | None = opt_field(int)
    pt_2: int | None = opt_field(int)
    port_3: int | None = opt_field(int)
    ssrc_3: int | None = opt_field(int)
    pt_3: int | None = opt_field(int)
    srtp_suite: int | None = opt_field(int)
    srtp_crypto: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class RemoteStream(RequestPart):
    """A stream of a remote publisher (``add_remote_publisher``/``update_remote_publisher``)."""

    type: str = req_field(str)
    mindex: int = req_field(int)
    mid: str = req_field(str)
    codec: str | None = opt_field(str)
    description: str | None = opt_field(str)
    disabled: bool | None = opt_field(bool)
    simulcast: bool | None = opt_field(bool)
    svc: bool | None = opt_field(bool)


# -- objects inside replies and events ---------------------------------------------------


@attrs.frozen(kw_only=True)
class PublisherStream(PluginData):
    """One stream of a publisher (``publishers[].streams``, ``configured.streams``)."""

    type: str | None = data_field(str)
    mindex: int | None = data_field(int)
    mid: str | None = data_field(str)
    disabled: bool | None = data_field(bool)
    codec: str | None = data_field(str)
    description: str | None = data_field(str)
    moderated: bool | None = data_field(bool)
    simulcast: bool | None = data_field(bool)
    svc: bool | None = data_field(bool)
    talking: bool | None = data_field(bool)
    stereo: bool | None = data_field(bool)
    fec: bool | None = data_field(bool)
    dtx: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Publisher(PluginData):
    """An active publisher: ``id`` and its ``streams`` to subscribe to."""

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)
    dummy: bool | None = data_field(bool)
    talking: bool | None = data_field(bool)
    audio_codec: str | None = data_field(str)
    video_codec: str | None = data_field(str)
    streams: tuple[PublisherStream, ...] = data_field(item=PublisherStream, default=())


@attrs.frozen(kw_only=True)
class Attendee(PluginData):
    """A participant that is not publishing (only with ``notify_joining``)."""

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class SubscriberStream(PluginData):
    """One m-line of a subscription (``attached``/``updated``/``switched`` ``streams``)."""

    mindex: int | None = data_field(int)
    mid: str | None = data_field(str)
    type: str | None = data_field(str)
    active: bool | None = data_field(bool)
    ready: bool | None = data_field(bool)
    send: bool | None = data_field(bool)
    feed_id: int | str | None = data_field(_ID)
    feed_mid: str | None = data_field(str)
    feed_display: str | None = data_field(str)
    feed_description: str | None = data_field(str)
    codec: str | None = data_field(str)
    crossrefid: str | None = data_field(str)
    sources: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Participant(PluginData):
    """An entry of ``listparticipants``."""

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)
    publisher: bool | None = data_field(bool)
    talking: bool | None = data_field(bool)
    dummy: bool | None = data_field(bool)
    remote: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Forwarder(PluginData):
    """An RTP forwarder of one publisher stream."""

    stream_id: int = data_field(int, required=True)
    type: str | None = data_field(str)
    host: str | None = data_field(str)
    port: int | None = data_field(int)
    local_rtcp_port: int | None = data_field(int)
    remote_rtcp_port: int | None = data_field(int)
    ssrc: int | None = data_field(int)
    pt: int | None = data_field(int)
    substream: int | None = data_field(int)
    srtp: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class PublisherForwarders(PluginData):
    """The forwarders of one publisher (``listforwarders``)."""

    publisher_id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)
    forwarders: tuple[Forwarder, ...] = data_field(item=Forwarder, default=())


@attrs.frozen(kw_only=True)
class RoomInfo(PluginData):
    """A room of ``list``."""

    room: int | str = data_field(_ID, required=True)
    description: str | None = data_field(str)
    pin_required: bool | None = data_field(bool)
    is_private: bool | None = data_field(bool)
    max_publishers: int | None = data_field(int)
    bitrate: int | None = data_field(int)
    bitrate_cap: bool | None = data_field(bool)
    fir_freq: int | None = data_field(int)
    require_pvtid: bool | None = data_field(bool)
    require_e2ee: bool | None = data_field(bool)
    dummy_publisher: bool | None = data_field(bool)
    notify_joining: bool | None = data_field(bool)
    audiocodec: str | None = data_field(str)
    videocodec: str | None = data_field(str)
    opus_fec: bool | None = data_field(bool)
    opus_dtx: bool | None = data_field(bool)
    video_svc: bool | None = data_field(bool)
    record: bool | None = data_field(bool)
    rec_dir: str | None = data_field(str)
    lock_record: bool | None = data_field(bool)
    num_participants: int | None = data_field(int)
    audiolevel_ext: bool | None = data_field(bool)
    audiolevel_event: bool | None = data_field(bool)
    audio_active_packets: int | None = data_field(int)
    audio_level_average: int | None = data_field(int)
    videoorient_ext: bool | None = data_field(bool)
    playoutdelay_ext: bool | None = data_field(bool)
    transport_wide_cc_ext: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Remotization(PluginData):
    """Where a local publisher is relayed to (``listremotes``)."""

    remote_id: str = data_field(str, required=True)
    host: str | None = data_field(str)
    port: int | None = data_field(int)
    rtcp_port: int | None = data_field(int)


# -- replies and events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class VideoRoomData(PluginData):
    """Base of VideoRoom replies and events: the ``videoroom`` verb and the ``room``."""

    videoroom: str | None = data_field(str)
    room: int | str | None = data_field(_ID)


@attrs.frozen(kw_only=True)
class Created(VideoRoomData):
    """``create`` done (``room`` is the id Janus picked when none was given)."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Edited(VideoRoomData):
    """``edit`` done."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Destroyed(VideoRoomData):
    """The room is gone: the answer to ``destroy``, and the event its participants get."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RoomExists(VideoRoomData):
    """Answer to ``exists``."""

    exists: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class RoomList(VideoRoomData):
    """Answer to ``list``: the public rooms (private ones too with the ``admin_key``)."""

    rooms: tuple[RoomInfo, ...] = data_field(item=RoomInfo, key="list", required=True)


@attrs.frozen(kw_only=True)
class AllowedList(VideoRoomData):
    """Answer to ``allowed``: the tokens now allowed (None after ``disable``)."""

    allowed: tuple[str, ...] | None = data_field(list)


@attrs.frozen(kw_only=True)
class Success(VideoRoomData):
    """A bare ``{"videoroom":"success"}`` (``kick``, ``moderate``, remote publishers)."""


@attrs.frozen(kw_only=True)
class ParticipantList(VideoRoomData):
    """Answer to ``listparticipants``."""

    participants: tuple[Participant, ...] = data_field(item=Participant, required=True)


@attrs.frozen(kw_only=True)
class ForwarderList(VideoRoomData):
    """Answer to ``listforwarders``: the publishers with forwarders."""

    publishers: tuple[PublisherForwarders, ...] = data_field(
        item=PublisherForwarders, required=True
    )


@attrs.frozen(kw_only=True)
class RecordingState(VideoRoomData):
    """Answer to ``enable_recording``."""

    record: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RtpForwarded(VideoRoomData):
    """Answer to ``rtp_forward``: one forwarder per stream (keep ``stream_id``)."""

    publisher_id: int | str | None = data_field(_ID)
    forwarders: tuple[Forwarder, ...] = data_field(item=Forwarder, required=True)


@attrs.frozen(kw_only=True)
class RtpForwardStopped(VideoRoomData):
    """Answer to ``stop_rtp_forward``."""

    publisher_id: int | str | None = data_field(_ID)
    stream_id: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class RemotePublisherAdded(VideoRoomData):
    """Answer to ``add_remote_publisher``: where to send its RTP."""

    id: int | str = data_field(_ID, required=True)
    ip: str | None = data_field(str)
    port: int | None = data_field(int)
    rtcp_port: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class PublishedRemotely(VideoRoomData):
    """Answer to ``publish_remotely``."""

    id: int | str | None = data_field(_ID)
    remote_id: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class UnpublishedRemotely(VideoRoomData):
    """Answer to ``unpublish_remotely``."""

    id: int | str | None = data_field(_ID)


@attrs.frozen(kw_only=True)
class RemoteList(VideoRoomData):
    """Answer to ``listremotes``."""

    id: int | str | None = data_field(_ID)
    remotes: tuple[Remotization, ...] = data_field(item=Remotization, key="list", default=())


@attrs.frozen(kw_only=True)
class Joined(VideoRoomData):
    """A publisher joined: our ``id``/``private_id``, the active ``publishers`` and (with
    ``notify_joining``) the ``attendees``; ``joinandconfigure`` adds ``streams`` and the
    JSEP answer."""

    id: int | str = data_field(_ID, required=True)
    private_id: int | None = data_field(int)
    description: str | None = data_field(str)
    publishers: tuple[Publisher, ...] = data_field(item=Publisher, default=())
    attendees: tuple[Attendee, ...] | None = data_field(item=Attendee)
    audio_codec: str | None = data_field(str)
    video_codec: str | None = data_field(str)
    streams: tuple[PublisherStream, ...] | None = data_field(item=PublisherStream)


@attrs.frozen(kw_only=True)
class Attached(VideoRoomData):
    """A subscription was set up: its ``streams``, and Janus's JSEP offer in ``jsep``."""

    streams: tuple[SubscriberStream, ...] = data_field(item=SubscriberStream, default=())


@attrs.frozen(kw_only=True)
class Updated(VideoRoomData):
    """The subscription changed: all its ``streams`` and a new offer (neither when the SDP
    did not change)."""

    streams: tuple[SubscriberStream, ...] | None = data_field(item=SubscriberStream)


@attrs.frozen(kw_only=True)
class Updating(VideoRoomData):
    """A renegotiation is pending: the change comes later in an :class:`Updated` event."""


@attrs.frozen(kw_only=True)
class Configured(VideoRoomData):
    """``configure``/``publish`` applied (``publish`` adds the codecs, ``streams`` and the
    JSEP answer)."""

    configured: str | None = data_field(str)
    audio_codec: str | None = data_field(str)
    video_codec: str | None = data_field(str)
    streams: tuple[PublisherStream, ...] | None = data_field(item=PublisherStream)


@attrs.frozen(kw_only=True)
class Started(VideoRoomData):
    """``start`` done: media flows once the PeerConnection is up."""

    started: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Paused(VideoRoomData):
    """``pause`` done."""

    paused: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Switched(VideoRoomData):
    """``switch`` done: ``changes`` m-lines switched; ``streams`` is the whole layout."""

    switched: str | None = data_field(str)
    changes: int | None = data_field(int)
    streams: tuple[SubscriberStream, ...] = data_field(item=SubscriberStream, default=())


@attrs.frozen(kw_only=True)
class Left(VideoRoomData):
    """A subscriber's ``leave`` done (the PeerConnection closes next)."""

    left: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Unpublished(VideoRoomData):
    """Our ``unpublish`` done."""

    unpublished: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Leaving(VideoRoomData):
    """We left the room: our ``leave``, or ``reason`` ``"kicked"`` when a moderator
    kicked us."""

    leaving: str | None = data_field(str)
    reason: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class NewPublishers(VideoRoomData):
    """Publishers became active (or changed their streams)."""

    publishers: tuple[Publisher, ...] = data_field(item=Publisher, required=True)


@attrs.frozen(kw_only=True)
class ParticipantJoining(VideoRoomData):
    """Someone joined the room (``notify_joining`` rooms)."""

    joining: Attendee = data_field(nested=Attendee, required=True)


@attrs.frozen(kw_only=True)
class PublisherUnpublished(VideoRoomData):
    """Publisher ``id`` stopped publishing."""

    id: int | str = data_field(_ID, key="unpublished", required=True)


@attrs.frozen(kw_only=True)
class ParticipantLeft(VideoRoomData):
    """Participant ``id`` left the room."""

    id: int | str = data_field(_ID, key="leaving", required=True)


@attrs.frozen(kw_only=True)
class ParticipantKicked(VideoRoomData):
    """Participant ``id`` was kicked."""

    id: int | str = data_field(_ID, key="kicked", required=True)


@attrs.frozen(kw_only=True)
class Moderated(VideoRoomData):
    """A moderator (un)muted stream ``mid`` of participant ``id``."""

    id: int | str | None = data_field(_ID)
    mid: str | None = data_field(str)
    moderation: str = data_field(str, required=True)

    @property
    def muted(self) -> bool:
        return self.moderation == "muted"


@attrs.frozen(kw_only=True)
class DisplayChanged(VideoRoomData):
    """Participant ``id`` changed its display name."""

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Talking(VideoRoomData):
    """Participant ``id`` started talking (``audiolevel_event`` rooms)."""

    id: int | str | None = data_field(_ID)
    mid: str | None = data_field(str)
    audio_level: int | float | None = data_field((int, float), key="audio-level-dBov-avg")


@attrs.frozen(kw_only=True)
class StoppedTalking(VideoRoomData):
    """Participant ``id`` stopped talking."""

    id: int | str | None = data_field(_ID)
    mid: str | None = data_field(str)
    audio_level: int | float | None = data_field((int, float), key="audio-level-dBov-avg")


@attrs.frozen(kw_only=True)
class SimulcastChanged(VideoRoomData):
    """The simulcast substream/temporal layer (or SVC spatial/temporal layer) that our
    m-line ``mid`` receives changed."""

    mid: str | None = data_field(str)
    substream: int | None = data_field(int)
    temporal: int | None = data_field(int)
    spatial_layer: int | None = data_field(int)
    temporal_layer: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class SlowLink(VideoRoomData):
    """The publisher's uplink loses packets; ``current_bitrate`` is the cap (bit/s)."""

    current_bitrate: int | None = data_field(int, key="current-bitrate")
    mid: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class ErrorEvent(VideoRoomData):
    """An error pushed outside any request (requests raise :class:`VideoRoomError`)."""

    error_code: int = data_field(int, required=True)
    error: str | None = data_field(str)


def _event_has(key: str, *values: Any) -> Any:
    return all_of(key_is("videoroom", "event"), key_is(key, *values))


CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("error_code"), ErrorEvent),
        (key_is("videoroom", "joined"), Joined),
        (key_is("videoroom", "attached"), Attached),
        (key_is("videoroom", "updated"), Updated),
        (key_is("videoroom", "updating"), Updating),
        (key_is("videoroom", "destroyed"), Destroyed),
        (key_is("videoroom", "talking"), Talking),
        (key_is("videoroom", "stopped-talking"), StoppedTalking),
        (key_is("videoroom", "slow_link"), SlowLink),
        (key_is("videoroom", "created"), Created),
        (key_is("videoroom", "edited"), Edited),
        (key_is("videoroom", "participants"), ParticipantList),
        (key_is("videoroom", "forwarders"), ForwarderList),
        (key_is("videoroom", "rtp_forward"), RtpForwarded),
        (key_is("videoroom", "stop_rtp_forward"), RtpForwardStopped),
        (_event_has("configured"), Configured),
        (_event_has("started"), Started),
        (_event_has("paused"), Paused),
        (_event_has("switched"), Switched),
        (_event_has("left"), Left),
        (_event_has("unpublished", "ok"), Unpublished),
        (_event_has("unpublished"), PublisherUnpublished),
        (_event_has("leaving", "ok"), Leaving),
        (_event_has("leaving"), ParticipantLeft),
        (_event_has("kicked"), ParticipantKicked),
        (_event_has("joining"), ParticipantJoining),
        (_event_has("publishers"), NewPublishers),
        (_event_has("moderation"), Moderated),
        (
            all_of(
                key_is("videoroom", "event"),
                has_any("substream", "temporal", "spatial_layer", "temporal_layer"),
            ),
            SimulcastChanged,
        ),
        (all_of(_event_has("display"), key_is("id")), DisplayChanged),
    ],
)


# -- sync requests -----------------------------------------------------------------------


_R = TypeVar("_R", bound=PluginData)


@attrs.frozen(kw_only=True)
class _Sync(PluginRequest[_R]):
    """A request answered in the ``success`` reply."""

    PLUGIN: ClassVar[str] = PLUGIN
    SYNC: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class _Async(PluginRequest[_R]):
    """A request acked, then answered by an event."""

    PLUGIN: ClassVar[str] = PLUGIN


@attrs.frozen(kw_only=True)
class Create(_Sync[Created]):
    """Create a room (``room`` omitted: Janus picks one). Field names are the room
    settings of janus.plugin.videoroom.jcfg; ``dummy_streams`` entries are objects."""

    REQUEST: ClassVar[str | None] = "create"
    REPLY: ClassVar[type[PluginData]] = Created
    room: int | str | None = room_id_field(optional=True)
    admin_key: str | None = opt_field(str)
    permanent: bool | None = opt_field(bool)
    description: str | None = opt_field(str)
    secret: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    is_private: bool | None = opt_field(bool)
    allowed: Sequence[str] | None = list_field(str)
    require_pvtid: bool | None = opt_field(bool)
    signed_tokens: bool | None = opt_field(bool)
    publishers: int | None = opt_field(int)
    bitrate: int | None = opt_field(int)
    bitrate_cap: bool | None = opt_field(bool)
    fir_freq: int | None = opt_field(int)
    audiocodec: str | None = opt_field(str)
    videocodec: str | None = opt_field(str)
    vp9_profile: str | None = opt_field(str)
    h264_profile: str | None = opt_field(str)
    opus_fec: bool | None = opt_field(bool)
    opus_dtx: bool | None = opt_field(bool)
    video_svc: bool | None = opt_field(bool)
    audiolevel_ext: bool | None = opt_field(bool)
    audiolevel_event: bool | None = opt_field(bool)
    audio_active_packets: int | None = opt_field(int)
    audio_level_average: int | None = opt_field(int)
    videoorient_ext: bool | None = opt_field(bool)
    playoutdelay_ext: bool | None = opt_field(bool)
    transport_wide_cc_ext: bool | None = opt_field(bool)
    record: bool | None = opt_field(bool)
    rec_dir: str | None = opt_field(str)
    lock_record: bool | None = opt_field(bool)
    notify_joining: bool | None = opt_field(bool)
    require_e2ee: bool | None = opt_field(bool)
    dummy_publisher: bool | None = opt_field(bool)
    dummy_streams: Sequence[Mapping[str, Any]] | None = list_field(Mapping)


@attrs.frozen(kw_only=True)
class Edit(_Sync[Edited]):
    """Change some settings of a room (the ``new_*`` fields)."""

    REQUEST: ClassVar[str | None] = "edit"
    REPLY: ClassVar[type[PluginData]] = Edited
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)
    new_description: str | None = opt_field(str)
    new_secret: str | None = opt_field(str)
    new_pin: str | None = opt_field(str)
    new_is_private: bool | None = opt_field(bool)
    new_require_pvtid: bool | None = opt_field(bool)
    new_bitrate: int | None = opt_field(int)
    new_fir_freq: int | None = opt_field(int)
    new_publishers: int | None = opt_field(int)
    new_lock_record: bool | None = opt_field(bool)
    new_rec_dir: str | None = opt_field(str)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Destroy(_Sync[Destroyed]):
    """Destroy a room; its participants get :class:`Destroyed`."""

    REQUEST: ClassVar[str | None] = "destroy"
    REPLY: ClassVar[type[PluginData]] = Destroyed
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Exists(_Sync[RoomExists]):
    """Whether a room exists."""

    REQUEST: ClassVar[str | None] = "exists"
    REPLY: ClassVar[type[PluginData]] = RoomExists
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class ListRooms(_Sync[RoomList]):
    """The rooms (private ones too with the plugin's ``admin_key``)."""

    REQUEST: ClassVar[str | None] = "list"
    REPLY: ClassVar[type[PluginData]] = RoomList
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Allowed(_Sync[AllowedList]):
    """Manage the room's token list: ``enable``/``disable`` the check, ``add``/``remove``
    tokens.

    Raises:
        ValueError: an unknown ``action``, or ``add``/``remove`` without ``allowed``.
    """

    REQUEST: ClassVar[str | None] = "allowed"
    REPLY: ClassVar[type[PluginData]] = AllowedList
    room: int | str = room_id_field()
    action: str = choice_field("enable", "disable", "add", "remove", required=True)
    allowed: Sequence[str] | None = list_field(str)
    secret: str | None = opt_field(str)

    def __attrs_post_init__(self) -> None:
        if self.action in ("add", "remove") and self.allowed is None:
            raise ValueError(f"Allowed.allowed is mandatory for action {self.action!r}")


@attrs.frozen(kw_only=True)
class Kick(_Sync[Success]):
    """Kick participant ``id`` out of the room."""

    REQUEST: ClassVar[str | None] = "kick"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Moderate(_Sync[Success]):
    """Mute or unmute stream ``mid`` of participant ``id``."""

    REQUEST: ClassVar[str | None] = "moderate"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    mid: str = req_field(str)
    mute: bool = req_field(bool)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class ListParticipants(_Sync[ParticipantList]):
    """The participants of a room."""

    REQUEST: ClassVar[str | None] = "listparticipants"
    REPLY: ClassVar[type[PluginData]] = ParticipantList
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class ListForwarders(_Sync[ForwarderList]):
    """The RTP forwarders of a room."""

    REQUEST: ClassVar[str | None] = "listforwarders"
    REPLY: ClassVar[type[PluginData]] = ForwarderList
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class EnableRecording(_Sync[RecordingState]):
    """Start or stop recording every publisher of the room."""

    REQUEST: ClassVar[str | None] = "enable_recording"
    REPLY: ClassVar[type[PluginData]] = RecordingState
    room: int | str = room_id_field()
    record: bool = req_field(bool)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class RtpForward(_Sync[RtpForwarded]):
    """Forward streams of publisher ``publisher_id`` over plain (or SRTP) RTP to ``host``.

    The legacy ``audio_port``/``video_port``/``data_port`` keys go in ``extra``.
    """

    REQUEST: ClassVar[str | None] = "rtp_forward"
    REPLY: ClassVar[type[PluginData]] = RtpForwarded
    room: int | str = room_id_field()
    publisher_id: int | str = room_id_field()
    host: str = req_field(str)
    streams: Sequence[ForwardStream] = list_field(ForwardStream, required=True)
    host_family: str | None = opt_field(str)
    secret: str | None = opt_field(str)
    admin_key: str | None = opt_field(str)
    srtp_suite: int | None = opt_field(int)
    srtp_crypto: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class StopRtpForward(_Sync[RtpForwardStopped]):
    """Stop the forwarder ``stream_id`` of publisher ``publisher_id``."""

    REQUEST: ClassVar[str | None] = "stop_rtp_forward"
    REPLY: ClassVar[type[PluginData]] = RtpForwardStopped
    room: int | str = room_id_field()
    publisher_id: int | str = room_id_field()
    stream_id: int = req_field(int)
    secret: str | None = opt_field(str)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class PublishRemotely(_Sync[PublishedRemotely]):
    """Relay a local publisher to a remote publisher of another Janus (cascading)."""

    REQUEST: ClassVar[str | None] = "publish_remotely"
    REPLY: ClassVar[type[PluginData]] = PublishedRemotely
    room: int | str = room_id_field()
    publisher_id: int | str = room_id_field()
    remote_id: str = req_field(str)
    host: str = req_field(str)
    port: int = req_field(int)
    host_family: str | None = opt_field(str)
    rtcp_port: int | None = opt_field(int)
    srtp_suite: int | None = opt_field(int)
    srtp_crypto: str | None = opt_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class UnpublishRemotely(_Sync[UnpublishedRemotely]):
    """Stop relaying a local publisher to ``remote_id``."""

    REQUEST: ClassVar[str | None] = "unpublish_remotely"
    REPLY: ClassVar[type[PluginData]] = UnpublishedRemotely
    room: int | str = room_id_field()
    publisher_id: int | str = room_id_field()
    remote_id: str = req_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class ListRemotes(_Sync[RemoteList]):
    """Where a local publisher is relayed to."""

    REQUEST: ClassVar[str | None] = "listremotes"
    REPLY: ClassVar[type[PluginData]] = RemoteList
    room: int | str = room_id_field()
    publisher_id: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class AddRemotePublisher(_Sync[RemotePublisherAdded]):
    """Add a publisher whose RTP comes from another Janus (``iface`` to bind to)."""

    REQUEST: ClassVar[str | None] = "add_remote_publisher"
    REPLY: ClassVar[type[PluginData]] = RemotePublisherAdded
    room: int | str = room_id_field()
    streams: Sequence[RemoteStream] = list_field(RemoteStream, required=True)
    id: int | str | None = room_id_field(optional=True)
    display: str | None = opt_field(str)
    mcast: str | None = opt_field(str)
    iface: str | None = opt_field(str)
    port: int | None = opt_field(int)
    srtp_suite: int | None = opt_field(int)
    srtp_crypto: str | None = opt_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class UpdateRemotePublisher(_Sync[Success]):
    """Change a remote publisher's display or streams (new or changed ones only)."""

    REQUEST: ClassVar[str | None] = "update_remote_publisher"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    streams: Sequence[RemoteStream] = list_field(RemoteStream, required=True)
    display: str | None = opt_field(str)
    srtp_suite: int | None = opt_field(int)
    srtp_crypto: str | None = opt_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class RemoveRemotePublisher(_Sync[Success]):
    """Remove a remote publisher (the others see it leave)."""

    REQUEST: ClassVar[str | None] = "remove_remote_publisher"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    secret: str | None = opt_field(str)


# -- async requests ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class JoinPublisher(_Async[Joined]):
    """Join as a participant (``ptype: "publisher"``); publish later with :class:`Publish`."""

    REQUEST: ClassVar[str | None] = "join"
    REPLY: ClassVar[type[PluginData]] = Joined
    ptype: str = attrs.field(default="publisher", init=False)
    room: int | str = room_id_field()
    id: int | str | None = room_id_field(optional=True)
    display: str | None = opt_field(str)
    token: str | None = opt_field(str)
    pin: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class JoinSubscriber(_Async[Attached]):
    """Subscribe (``ptype: "subscriber"``) to ``streams``; the reply carries an offer to
    answer with :class:`Start`. ``private_id`` is mandatory in ``require_pvtid`` rooms."""

    REQUEST: ClassVar[str | None] = "join"
    REPLY: ClassVar[type[PluginData]] = Attached
    ptype: str = attrs.field(default="subscriber", init=False)
    room: int | str = room_id_field()
    streams: Sequence[SubscribeStream] = list_field(SubscribeStream, required=True)
    private_id: int | None = opt_field(int)
    pin: str | None = opt_field(str)
    token: str | None = opt_field(str)
    use_msid: bool | None = opt_field(bool)
    autoupdate: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class JoinAndConfigure(_Async[Joined]):
    """Join as a publisher and publish at once (JSEP offer required; the reply is
    :class:`Joined` with the answer)."""

    REQUEST: ClassVar[str | None] = "joinandconfigure"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Joined
    ptype: str = attrs.field(default="publisher", init=False)
    room: int | str = room_id_field()
    id: int | str | None = room_id_field(optional=True)
    display: str | None = opt_field(str)
    token: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    audiocodec: str | None = opt_field(str)
    videocodec: str | None = opt_field(str)
    bitrate: int | None = opt_field(int)
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    audio_level_average: int | None = opt_field(int)
    audio_active_packets: int | None = opt_field(int)
    descriptions: Sequence[StreamDescription] | None = list_field(StreamDescription)


@attrs.frozen(kw_only=True)
class Publish(_Async[Configured]):
    """Publish (JSEP offer required; the answer comes in :class:`Configured`)."""

    REQUEST: ClassVar[str | None] = "publish"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Configured
    audiocodec: str | None = opt_field(str)
    videocodec: str | None = opt_field(str)
    bitrate: int | None = opt_field(int)
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    display: str | None = opt_field(str)
    audio_level_average: int | None = opt_field(int)
    audio_active_packets: int | None = opt_field(int)
    descriptions: Sequence[StreamDescription] | None = list_field(StreamDescription)


@attrs.frozen(kw_only=True)
class ConfigurePublisher(_Async[Configured]):
    """Change a publisher's settings; a JSEP offer renegotiates (``update``/``restart``
    force a renegotiation or an ICE restart)."""

    REQUEST: ClassVar[str | None] = "configure"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = Configured
    bitrate: int | None = opt_field(int)
    keyframe: bool | None = opt_field(bool)
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    display: str | None = opt_field(str)
    audio_level_average: int | None = opt_field(int)
    audio_active_packets: int | None = opt_field(int)
    streams: Sequence[PublisherStreamConfig] | None = list_field(PublisherStreamConfig)
    descriptions: Sequence[StreamDescription] | None = list_field(StreamDescription)
    update: bool | None = opt_field(bool)
    restart: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class ConfigureSubscriber(_Async[Configured]):
    """Change what a subscription receives per m-line; ``restart`` asks for an ICE-restart
    offer (answer it with :class:`Start`)."""

    REQUEST: ClassVar[str | None] = "configure"
    REPLY: ClassVar[type[PluginData]] = Configured
    streams: Sequence[SubscriberStreamConfig] | None = list_field(SubscriberStreamConfig)
    restart: bool | None = opt_field(bool)
    update: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Unpublish(_Async[Unpublished]):
    """Stop publishing (the PeerConnection closes; the others get
    :class:`PublisherUnpublished`)."""

    REQUEST: ClassVar[str | None] = "unpublish"
    REPLY: ClassVar[type[PluginData]] = Unpublished


@attrs.frozen(kw_only=True)
class Start(_Async[Started]):
    """Complete a subscription's negotiation (with the JSEP answer), or resume after
    :class:`Pause` (without)."""

    REQUEST: ClassVar[str | None] = "start"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = Started


@attrs.frozen(kw_only=True)
class Pause(_Async[Paused]):
    """Pause the whole subscription."""

    REQUEST: ClassVar[str | None] = "pause"
    REPLY: ClassVar[type[PluginData]] = Paused


@attrs.frozen(kw_only=True)
class Switch(_Async[Switched]):
    """Feed m-lines of the subscription from other publishers' streams."""

    REQUEST: ClassVar[str | None] = "switch"
    REPLY: ClassVar[type[PluginData]] = Switched
    streams: Sequence[SwitchStream] = list_field(SwitchStream, required=True)


@attrs.frozen(kw_only=True)
class _Renegotiation(_Async[Updated | Updating]):
    """A change of the subscription: answered :class:`Updated` (with a new offer), or
    :class:`Updating` while a renegotiation is pending."""

    REPLY: ClassVar[type[PluginData]] = Updated

    def parse_reply(
        self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None
    ) -> Updated | Updating:
        if isinstance(data, Mapping) and data.get("videoroom") == "updating":
            return Updating.parse(data, jsep)
        return Updated.parse(data, jsep)


@attrs.frozen(kw_only=True)
class Subscribe(_Renegotiation):
    """Add streams to the subscription (:class:`Updated` with a new offer, or
    :class:`Updating` while a renegotiation is pending)."""

    REQUEST: ClassVar[str | None] = "subscribe"
    streams: Sequence[SubscribeStream] = list_field(SubscribeStream, required=True)


@attrs.frozen(kw_only=True)
class Unsubscribe(_Renegotiation):
    """Remove streams from the subscription (answered like :class:`Subscribe`)."""

    REQUEST: ClassVar[str | None] = "unsubscribe"
    streams: Sequence[UnsubscribeStream] = list_field(UnsubscribeStream, required=True)


@attrs.frozen(kw_only=True)
class Update(_Renegotiation):
    """Subscribe and unsubscribe in one renegotiation (answered like :class:`Subscribe`).

    Raises:
        ValueError: neither ``subscribe`` nor ``unsubscribe`` is given.
    """

    REQUEST: ClassVar[str | None] = "update"
    subscribe: Sequence[SubscribeStream] | None = list_field(SubscribeStream)
    unsubscribe: Sequence[UnsubscribeStream] | None = list_field(UnsubscribeStream)

    def __attrs_post_init__(self) -> None:
        if self.subscribe is None and self.unsubscribe is None:
            raise ValueError("Update needs subscribe or unsubscribe")


@attrs.frozen(kw_only=True)
class Leave(_Async[Leaving | Left]):
    """Leave the room (publisher: :class:`Leaving`) or close the subscription
    (subscriber: :class:`Left`)."""

    REQUEST: ClassVar[str | None] = "leave"
    REPLY: ClassVar[type[PluginData]] = Leaving

    def parse_reply(
        self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None
    ) -> Leaving | Left:
        if isinstance(data, Mapping) and "left" in data:
            return Left.parse(data, jsep)
        return Leaving.parse(data, jsep)


# -- errors ------------------------------------------------------------------------------


class VideoRoomError(PluginError):
    """A VideoRoom error (``janus.plugin.videoroom``)."""


class NoMessage(VideoRoomError):
    """421: no message."""

    code = 421


class InvalidJSON(VideoRoomError):
    """422: invalid JSON."""

    code = 422


class InvalidRequest(VideoRoomError):
    """423: invalid or unknown request."""

    code = 423


class JoinFirst(VideoRoomError):
    """424: the handle has not joined (or does not play the role the request needs)."""

    code = 424


class AlreadyJoined(VideoRoomError):
    """425: this handle already joined."""

    code = 425


class NoSuchRoom(VideoRoomError):
    """426: no such room."""

    code = 426


class RoomExistsError(VideoRoomError):
    """427: the room already exists."""

    code = 427


class NoSuchFeed(VideoRoomError):
    """428: no such feed, participant or stream."""

    code = 428


class MissingElement(VideoRoomError):
    """429: a mandatory element is missing."""

    code = 429


class InvalidElement(VideoRoomError):
    """430: an element has the wrong type or value (e.g. a str room without string_ids)."""

    code = 430


class InvalidSdpType(VideoRoomError):
    """431: wrong SDP type for the request."""

    code = 431


class PublishersFull(VideoRoomError):
    """432: the room's maximum number of publishers is reached."""

    code = 432


class Unauthorized(VideoRoomError):
    """433: unauthorized (wrong secret, pin, token, admin_key or private_id)."""

    code = 433


class AlreadyPublished(VideoRoomError):
    """434: already publishing."""

    code = 434


class NotPublished(VideoRoomError):
    """435: not publishing."""

    code = 435


class IdExists(VideoRoomError):
    """436: the participant id is taken."""

    code = 436


class InvalidSDP(VideoRoomError):
    """437: invalid SDP."""

    code = 437


class UnknownError(VideoRoomError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        JoinFirst,
        AlreadyJoined,
        NoSuchRoom,
        RoomExistsError,
        NoSuchFeed,
        MissingElement,
        InvalidElement,
        InvalidSdpType,
        PublishersFull,
        Unauthorized,
        AlreadyPublished,
        NotPublished,
        IdExists,
        InvalidSDP,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, VideoRoomError, ERRORS)
