"""AudioBridge (``janus.plugin.audiobridge``): audio conference rooms mixed by Janus.

Room management (``create``, ``edit``, ``destroy``, ``exists``, ``allowed``, ``list``,
``listparticipants``, ``mute``/``unmute``, ``mute_room``/``unmute_room``, ``kick``,
``kick_all``, ``resetdecoder``, ``enable_recording``, ``enable_mjrs``, ``rtp_forward``,
``stop_rtp_forward``, ``listforwarders``, ``play_file``, ``is_playing``, ``stop_file``) is
answered in the ``success`` reply. ``join``, ``configure``, ``changeroom``, ``leave`` and
``hangup`` get an ack, then an event with the transaction. A handle is one participant: it
``join``\\ s, then sends its audio-only JSEP offer with ``join`` or ``configure`` (or asks for
Janus's offer with ``generate_offer`` and answers it with ``configure``); a plain-RTP
participant joins with an ``rtp`` object instead and gets Janus's RTP address in
:class:`Joined`.

Room and participant ids are ints, or strs when the plugin runs with ``string_ids = true``:
request fields take either, parsed fields keep what Janus sent.

Janus 1.1.2 as observed (1.1.2 has no ``listannouncements``, ``suspend`` or ``resume``):

* ``list`` answers its rooms under ``list`` (docs: ``rooms``); ``configure`` answers
  ``{"audiobridge":"event","result":"ok"}`` without ``room``.
* The plugin's ``hangup`` answers ``{"audiobridge":"hangingup"}`` and takes the participant
  out of the room (the others get ``leaving``), PeerConnection or not.
* ``kick``: the kicked handle gets ``{"event", "kicked": <its id>}``, the others ``kicked``
  then ``leaving``. ``kick_all``: every handle gets ``{"event", "kicked_all": <its own
  id>}``, and ``leaving`` for those kicked before it.
* A missing ``secret`` is 483 (missing element), a wrong one 489. ``quality`` 0 is refused
  (1 to 10, docs: 0 to 10). ``mute`` of a muted participant answers ``success`` without
  ``room`` and notifies nobody. ``stop_rtp_forward`` of an unknown ``stream_id`` succeeds.
  ``allowed`` with ``enable`` ignores its ``allowed`` list. ``play_file`` of an unreadable
  file is 499.
* A plain-RTP participant turns ``setup: true`` (a ``participants`` event) with its first
  RTP packet; it never causes ``talking`` events (the audio-level extension is not read).
* **Deadlock**: a ``changeroom`` into a room with ``groups`` but without ``group`` answers
  483 and leaves the plugin locked: no AudioBridge request is answered afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    has,
    key_is,
    list_field,
    non_negative_field,
    opt_field,
    register_plugin_errors,
    req_field,
    room_id_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    "CODECS",
    "ALLOWED_ACTIONS",
    # request parts
    "PlainRtp",
    # sync requests
    "Create",
    "Edit",
    "Destroy",
    "Exists",
    "Allowed",
    "ListRooms",
    "ListParticipants",
    "Mute",
    "Unmute",
    "MuteRoom",
    "UnmuteRoom",
    "Kick",
    "KickAll",
    "ResetDecoder",
    "EnableRecording",
    "EnableMjrs",
    "RtpForward",
    "StopRtpForward",
    "ListForwarders",
    "PlayFile",
    "IsPlaying",
    "StopFile",
    # async requests
    "Join",
    "Configure",
    "ChangeRoom",
    "Leave",
    "Hangup",
    # objects inside replies and events
    "Participant",
    "RoomInfo",
    "Forwarder",
    "RtpEndpoint",
    # replies and events
    "AudioBridgeData",
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
    "MjrsState",
    "RtpForwarded",
    "RtpForwardStopped",
    "PlaybackResult",
    "PlaybackStatus",
    "Joined",
    "ParticipantJoined",
    "RoomChanged",
    "Configured",
    "Left",
    "HangingUp",
    "ParticipantsChanged",
    "ParticipantLeft",
    "ParticipantKicked",
    "KickedAll",
    "RoomMuted",
    "Talking",
    "StoppedTalking",
    "AnnouncementStarted",
    "AnnouncementStopped",
    # errors
    "AudioBridgeError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "MissingElement",
    "InvalidElement",
    "NoSuchRoom",
    "RoomExistsError",
    "NotJoined",
    "LibopusError",
    "Unauthorized",
    "IdExists",
    "AlreadyJoined",
    "NoSuchUser",
    "InvalidSDP",
    "NoSuchGroup",
    "UnknownError",
]

PLUGIN = "janus.plugin.audiobridge"

#: The codecs a participant or an RTP forwarder may use.
CODECS = ("opus", "pcma", "pcmu")
#: The ``action`` values of ``allowed``.
ALLOWED_ACTIONS = ("enable", "disable", "add", "remove")

_ID = (int, str)
_R = TypeVar("_R", bound=PluginData)


# -- request parts -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlainRtp(RequestPart):
    """The ``rtp`` object of a plain-RTP ``join``: where Janus sends the mix, and how.

    ``audiolevel_ext`` is the id of the ssrc-audio-level extension, if used.
    """

    ip: str | None = opt_field(str)
    port: int | None = non_negative_field()
    payload_type: int | None = non_negative_field()
    audiolevel_ext: int | None = non_negative_field()
    fec: bool | None = opt_field(bool)


# -- objects inside replies and events ---------------------------------------------------


@attrs.frozen(kw_only=True)
class Participant(PluginData):
    """A participant, as ``joined``, ``participants`` and ``listparticipants`` list them.

    ``setup`` is whether its media (PeerConnection or first RTP packet) is up; ``talking``
    only comes with audio levels, ``spatial_position`` only in spatial-audio rooms.
    """

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)
    setup: bool | None = data_field(bool)
    muted: bool | None = data_field(bool)
    talking: bool | None = data_field(bool)
    spatial_position: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class RoomInfo(PluginData):
    """One room of ``list``."""

    room: int | str = data_field(_ID, required=True)
    description: str | None = data_field(str)
    sampling_rate: int | None = data_field(int)
    spatial_audio: bool | None = data_field(bool)
    pin_required: bool | None = data_field(bool)
    record: bool | None = data_field(bool)
    muted: bool | None = data_field(bool)
    num_participants: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Forwarder(PluginData):
    """One RTP forwarder of ``listforwarders`` (``ip``: where it sends the mix)."""

    stream_id: int = data_field(int, required=True)
    group: str | None = data_field(str)
    ip: str | None = data_field(str)
    port: int | None = data_field(int)
    ssrc: int | None = data_field(int)
    codec: str | None = data_field(str)
    ptype: int | None = data_field(int)
    srtp: bool | None = data_field(bool)
    always_on: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RtpEndpoint(PluginData):
    """Where Janus expects a plain-RTP participant's media (``joined.rtp``)."""

    ip: str | None = data_field(str)
    port: int | None = data_field(int)
    payload_type: int | None = data_field(int)


# -- replies and events ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AudioBridgeData(PluginData):
    """Base of AudioBridge replies and events: the ``audiobridge`` verb and the ``room``."""

    audiobridge: str | None = data_field(str)
    room: int | str | None = data_field(_ID)


@attrs.frozen(kw_only=True)
class Created(AudioBridgeData):
    """``create`` done (``room`` is the id Janus picked when none was given)."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Edited(AudioBridgeData):
    """``edit`` done."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Destroyed(AudioBridgeData):
    """The room is gone: the answer to ``destroy``, and the event its participants get."""

    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RoomExists(AudioBridgeData):
    """Answer to ``exists``."""

    exists: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class RoomList(AudioBridgeData):
    """Answer to ``list``: the public rooms."""

    rooms: tuple[RoomInfo, ...] = data_field(item=RoomInfo, key="list", required=True)


@attrs.frozen(kw_only=True)
class AllowedList(AudioBridgeData):
    """Answer to ``allowed``: the tokens now allowed (None after ``disable``)."""

    allowed: tuple[str, ...] | None = data_field(list)


@attrs.frozen(kw_only=True)
class Success(AudioBridgeData):
    """``{"audiobridge":"success"}``: mute, unmute, kick, kick_all, resetdecoder... done."""


@attrs.frozen(kw_only=True)
class ParticipantList(AudioBridgeData):
    """Answer to ``listparticipants``."""

    participants: tuple[Participant, ...] = data_field(item=Participant, required=True)


@attrs.frozen(kw_only=True)
class ForwarderList(AudioBridgeData):
    """Answer to ``listforwarders``."""

    forwarders: tuple[Forwarder, ...] = data_field(
        item=Forwarder, key="rtp_forwarders", required=True
    )


@attrs.frozen(kw_only=True)
class RecordingState(AudioBridgeData):
    """Answer to ``enable_recording``: whether the mix is now recorded."""

    record: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class MjrsState(AudioBridgeData):
    """Answer to ``enable_mjrs``: whether each participant is now recorded to .mjr."""

    mjrs: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class RtpForwarded(AudioBridgeData):
    """Answer to ``rtp_forward``: the new forwarder's ``stream_id``."""

    stream_id: int = data_field(int, required=True)
    host: str | None = data_field(str)
    port: int | None = data_field(int)
    group: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class RtpForwardStopped(AudioBridgeData):
    """Answer to ``stop_rtp_forward``."""

    stream_id: int = data_field(int, required=True)


@attrs.frozen(kw_only=True)
class PlaybackResult(AudioBridgeData):
    """Answer to ``play_file`` (``file_id``: the one given, or Janus's) and ``stop_file``."""

    file_id: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class PlaybackStatus(AudioBridgeData):
    """Answer to ``is_playing``."""

    file_id: str | None = data_field(str)
    playing: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class _Presence(AudioBridgeData):
    """Base of what a joining handle is told: its ``id`` and who else is in the room."""

    id: int | str = data_field(_ID, required=True)
    display: str | None = data_field(str)
    participants: tuple[Participant, ...] = data_field(item=Participant, default=())


@attrs.frozen(kw_only=True)
class Joined(_Presence):
    """Answer to ``join`` (``jsep``: Janus's answer to an offer sent with the join, or its
    offer with ``generate_offer``; ``rtp``: Janus's address for a plain-RTP participant)."""

    rtp: RtpEndpoint | None = data_field(nested=RtpEndpoint)


@attrs.frozen(kw_only=True)
class RoomChanged(_Presence):
    """Answer to ``changeroom``: our ``id`` in the new room and who is there."""


@attrs.frozen(kw_only=True)
class ParticipantJoined(AudioBridgeData):
    """Someone joined the room: ``{"audiobridge":"joined"}`` without ``id``, the newcomer
    as the one entry of ``participants``."""

    participants: tuple[Participant, ...] = data_field(item=Participant, default=())

    @property
    def participant(self) -> Participant | None:
        """The newcomer."""
        return self.participants[0] if self.participants else None


@attrs.frozen(kw_only=True)
class Configured(AudioBridgeData):
    """Answer to ``configure``: ``result`` ``"ok"`` (``jsep``: Janus's answer to an offer)."""

    result: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Left(AudioBridgeData):
    """Answer to ``leave``: we (``id``) left ``room``."""

    id: int | str | None = data_field(_ID)


@attrs.frozen(kw_only=True)
class HangingUp(AudioBridgeData):
    """Answer to the plugin's ``hangup``: the PeerConnection is closing, we left the room."""


@attrs.frozen(kw_only=True)
class ParticipantsChanged(AudioBridgeData):
    """Participants changed (mute, display, setup...): their new state."""

    participants: tuple[Participant, ...] = data_field(item=Participant, required=True)


@attrs.frozen(kw_only=True)
class ParticipantLeft(AudioBridgeData):
    """Participant ``id`` left the room (``leaving``)."""

    id: int | str = data_field(_ID, key="leaving", required=True)


@attrs.frozen(kw_only=True)
class ParticipantKicked(AudioBridgeData):
    """Participant ``id`` was kicked (the kicked handle gets it too, with its own id)."""

    id: int | str = data_field(_ID, key="kicked", required=True)


@attrs.frozen(kw_only=True)
class KickedAll(AudioBridgeData):
    """Everyone was kicked out of the room; ``id`` is the receiving participant's own."""

    id: int | str | None = data_field(_ID, key="kicked_all")


@attrs.frozen(kw_only=True)
class RoomMuted(AudioBridgeData):
    """The whole room was muted or unmuted (``mute_room``/``unmute_room``)."""

    muted: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class Talking(AudioBridgeData):
    """Participant ``id`` started talking (rooms with ``audiolevel_event``)."""

    id: int | str = data_field(_ID, required=True)


@attrs.frozen(kw_only=True)
class StoppedTalking(AudioBridgeData):
    """Participant ``id`` stopped talking."""

    id: int | str = data_field(_ID, required=True)


@attrs.frozen(kw_only=True)
class AnnouncementStarted(AudioBridgeData):
    """A file (``play_file``) started playing in the room."""

    file_id: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class AnnouncementStopped(AudioBridgeData):
    """A file stopped playing (it ended, or ``stop_file``)."""

    file_id: str = data_field(str, required=True)


def _verb(*names: str) -> Any:
    return key_is("audiobridge", *names)


def _event_with(key: str) -> Any:
    return all_of(_verb("event"), has(key))


def _success_with(*keys: str) -> Any:
    return all_of(_verb("success"), has(*keys))


CODEC = PluginCodec(
    PLUGIN,
    [
        (all_of(_verb("joined"), has("id")), Joined),
        (_verb("joined"), ParticipantJoined),
        (_verb("roomchanged"), RoomChanged),
        (_verb("left"), Left),
        (_verb("destroyed"), Destroyed),
        (_verb("talking"), Talking),
        (_verb("stopped-talking"), StoppedTalking),
        (_verb("announcement-started"), AnnouncementStarted),
        (_verb("announcement-stopped"), AnnouncementStopped),
        (_verb("hangingup"), HangingUp),
        (_event_with("participants"), ParticipantsChanged),
        (_event_with("leaving"), ParticipantLeft),
        (_event_with("kicked"), ParticipantKicked),
        (_event_with("kicked_all"), KickedAll),
        (_event_with("muted"), RoomMuted),
        (_event_with("result"), Configured),
        (_verb("created"), Created),
        (_verb("edited"), Edited),
        (_verb("participants"), ParticipantList),
        (_verb("forwarders"), ForwarderList),
        (_success_with("exists"), RoomExists),
        (_success_with("list"), RoomList),
        (_success_with("allowed"), AllowedList),
        (_success_with("playing"), PlaybackStatus),
        (_success_with("stream_id", "host"), RtpForwarded),
        (_success_with("stream_id"), RtpForwardStopped),
        (_success_with("file_id"), PlaybackResult),
        (_success_with("record"), RecordingState),
        (_success_with("mjrs"), MjrsState),
        (_verb("success"), Success),
    ],
)


# -- sync requests -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Sync(PluginRequest[_R]):
    PLUGIN: ClassVar[str] = PLUGIN
    SYNC: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class Create(_Sync[Created]):
    """Create a room (``room`` omitted: Janus picks one); ``admin_key`` if the plugin has one.

    ``sampling_rate`` is 8000, 12000, 16000, 24000 or 48000; ``groups`` tag participants
    for RTP forwarding.
    """

    REQUEST: ClassVar[str | None] = "create"
    REPLY: ClassVar[type[PluginData]] = Created
    room: int | str | None = room_id_field(optional=True)
    permanent: bool | None = opt_field(bool)
    description: str | None = opt_field(str)
    secret: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    is_private: bool | None = opt_field(bool)
    allowed: Sequence[str] | None = list_field(str)
    sampling_rate: int | None = non_negative_field()
    spatial_audio: bool | None = opt_field(bool)
    audiolevel_ext: bool | None = opt_field(bool)
    audiolevel_event: bool | None = opt_field(bool)
    audio_active_packets: int | None = non_negative_field()
    audio_level_average: int | None = non_negative_field()
    default_prebuffering: int | None = non_negative_field()
    default_expectedloss: int | None = non_negative_field()
    default_bitrate: int | None = non_negative_field()
    record: bool | None = opt_field(bool)
    record_file: str | None = opt_field(str)
    record_dir: str | None = opt_field(str)
    mjrs: bool | None = opt_field(bool)
    mjrs_dir: str | None = opt_field(str)
    allow_rtp_participants: bool | None = opt_field(bool)
    groups: Sequence[str] | None = list_field(str)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Edit(_Sync[Edited]):
    """Change some settings of a room (the ``new_*`` fields; an empty ``new_pin`` drops it)."""

    REQUEST: ClassVar[str | None] = "edit"
    REPLY: ClassVar[type[PluginData]] = Edited
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)
    new_description: str | None = opt_field(str)
    new_secret: str | None = opt_field(str)
    new_pin: str | None = opt_field(str)
    new_is_private: bool | None = opt_field(bool)
    new_record_dir: str | None = opt_field(str)
    new_mjrs_dir: str | None = opt_field(str)
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
class Allowed(_Sync[AllowedList]):
    """Edit a room's token list: ``enable``/``disable`` checking, ``add``/``remove`` tokens."""

    REQUEST: ClassVar[str | None] = "allowed"
    REPLY: ClassVar[type[PluginData]] = AllowedList
    room: int | str = room_id_field()
    action: str = choice_field(*ALLOWED_ACTIONS, required=True)
    secret: str | None = opt_field(str)
    allowed: Sequence[str] | None = list_field(str)


@attrs.frozen(kw_only=True)
class ListRooms(_Sync[RoomList]):
    """The public rooms."""

    REQUEST: ClassVar[str | None] = "list"
    REPLY: ClassVar[type[PluginData]] = RoomList


@attrs.frozen(kw_only=True)
class ListParticipants(_Sync[ParticipantList]):
    """The participants of a room."""

    REQUEST: ClassVar[str | None] = "listparticipants"
    REPLY: ClassVar[type[PluginData]] = ParticipantList
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class Mute(_Sync[Success]):
    """Mute participant ``id`` (everyone gets :class:`ParticipantsChanged`)."""

    REQUEST: ClassVar[str | None] = "mute"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Unmute(_Sync[Success]):
    """Unmute participant ``id``."""

    REQUEST: ClassVar[str | None] = "unmute"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class MuteRoom(_Sync[Success]):
    """Mute the whole room but its admins (everyone gets :class:`RoomMuted`)."""

    REQUEST: ClassVar[str | None] = "mute_room"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class UnmuteRoom(_Sync[Success]):
    """Unmute the whole room."""

    REQUEST: ClassVar[str | None] = "unmute_room"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Kick(_Sync[Success]):
    """Kick participant ``id`` out of the room (it may join again)."""

    REQUEST: ClassVar[str | None] = "kick"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    id: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class KickAll(_Sync[Success]):
    """Kick every participant out of the room."""

    REQUEST: ClassVar[str | None] = "kick_all"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class ResetDecoder(_Sync[Success]):
    """Recreate this participant's Opus decoder (garbled audio)."""

    REQUEST: ClassVar[str | None] = "resetdecoder"
    REPLY: ClassVar[type[PluginData]] = Success


@attrs.frozen(kw_only=True)
class EnableRecording(_Sync[RecordingState]):
    """Start or stop recording the room's mix to a .wav file."""

    REQUEST: ClassVar[str | None] = "enable_recording"
    REPLY: ClassVar[type[PluginData]] = RecordingState
    room: int | str = room_id_field()
    record: bool = req_field(bool)
    secret: str | None = opt_field(str)
    record_file: str | None = opt_field(str)
    record_dir: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class EnableMjrs(_Sync[MjrsState]):
    """Start or stop recording each participant to its own .mjr file."""

    REQUEST: ClassVar[str | None] = "enable_mjrs"
    REPLY: ClassVar[type[PluginData]] = MjrsState
    room: int | str = room_id_field()
    mjrs: bool = req_field(bool)
    secret: str | None = opt_field(str)
    mjrs_dir: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class RtpForward(_Sync[RtpForwarded]):
    """Forward the room's mix (or a ``group``'s) as RTP to ``host``:``port``.

    ``ptype`` defaults to 100 for Opus; SRTP with ``srtp_suite`` (32 or 80) and
    ``srtp_crypto`` (base64 key); ``always_on`` sends silence while the room is empty.
    """

    REQUEST: ClassVar[str | None] = "rtp_forward"
    REPLY: ClassVar[type[PluginData]] = RtpForwarded
    room: int | str = room_id_field()
    host: str = req_field(str)
    port: int = non_negative_field(required=True)
    secret: str | None = opt_field(str)
    host_family: str | None = choice_field("ipv4", "ipv6")
    group: str | None = opt_field(str)
    ssrc: int | None = non_negative_field()
    codec: str | None = choice_field(*CODECS)
    ptype: int | None = non_negative_field()
    srtp_suite: int | None = non_negative_field()
    srtp_crypto: str | None = opt_field(str)
    always_on: bool | None = opt_field(bool)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class StopRtpForward(_Sync[RtpForwardStopped]):
    """Remove RTP forwarder ``stream_id``."""

    REQUEST: ClassVar[str | None] = "stop_rtp_forward"
    REPLY: ClassVar[type[PluginData]] = RtpForwardStopped
    room: int | str = room_id_field()
    stream_id: int = non_negative_field(required=True)
    secret: str | None = opt_field(str)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class ListForwarders(_Sync[ForwarderList]):
    """The room's RTP forwarders."""

    REQUEST: ClassVar[str | None] = "listforwarders"
    REPLY: ClassVar[type[PluginData]] = ForwarderList
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class PlayFile(_Sync[PlaybackResult]):
    """Play an .opus file (a path on the Janus host) into the mix; everyone gets
    :class:`AnnouncementStarted`, then :class:`AnnouncementStopped`."""

    REQUEST: ClassVar[str | None] = "play_file"
    REPLY: ClassVar[type[PluginData]] = PlaybackResult
    room: int | str = room_id_field()
    filename: str = req_field(str)
    secret: str | None = opt_field(str)
    file_id: str | None = opt_field(str)
    group: str | None = opt_field(str)
    loop: bool | None = opt_field(bool)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class IsPlaying(_Sync[PlaybackStatus]):
    """Whether file ``file_id`` is still playing."""

    REQUEST: ClassVar[str | None] = "is_playing"
    REPLY: ClassVar[type[PluginData]] = PlaybackStatus
    room: int | str = room_id_field()
    file_id: str = req_field(str)
    secret: str | None = opt_field(str)
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class StopFile(_Sync[PlaybackResult]):
    """Stop playing file ``file_id``."""

    REQUEST: ClassVar[str | None] = "stop_file"
    REPLY: ClassVar[type[PluginData]] = PlaybackResult
    room: int | str = room_id_field()
    file_id: str = req_field(str)
    secret: str | None = opt_field(str)
    admin_key: str | None = opt_field(str)


# -- async requests ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Join(PluginRequest[Joined]):
    """Join a room as this handle's participant; a JSEP offer may go with it.

    ``secret`` makes us an admin (not muted by ``mute_room``); ``rtp`` joins with plain RTP
    instead of WebRTC; ``generate_offer`` asks Janus for the offer (answer it with
    :class:`Configure`). ``volume`` is a percentage, ``spatial_position`` 0 (left) to 100.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "join"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = Joined
    room: int | str = room_id_field()
    id: int | str | None = room_id_field(optional=True)
    group: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    display: str | None = opt_field(str)
    token: str | None = opt_field(str)
    muted: bool | None = opt_field(bool)
    codec: str | None = choice_field(*CODECS)
    prebuffer: int | None = non_negative_field()
    bitrate: int | None = non_negative_field()
    quality: int | None = non_negative_field()
    expected_loss: int | None = non_negative_field()
    volume: int | None = non_negative_field()
    spatial_position: int | None = non_negative_field()
    secret: str | None = opt_field(str)
    audio_level_average: int | None = non_negative_field()
    audio_active_packets: int | None = non_negative_field()
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    rtp: PlainRtp | None = opt_field(PlainRtp)
    generate_offer: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Configure(PluginRequest[Configured]):
    """Change our participation; a JSEP offer (or the answer to Janus's offer) may go with
    it. ``update`` with an offer restarts ICE."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "configure"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    REPLY: ClassVar[type[PluginData]] = Configured
    muted: bool | None = opt_field(bool)
    display: str | None = opt_field(str)
    prebuffer: int | None = non_negative_field()
    bitrate: int | None = non_negative_field()
    quality: int | None = non_negative_field()
    expected_loss: int | None = non_negative_field()
    volume: int | None = non_negative_field()
    spatial_position: int | None = non_negative_field()
    record: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)
    group: str | None = opt_field(str)
    generate_offer: bool | None = opt_field(bool)
    update: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class ChangeRoom(PluginRequest[RoomChanged]):
    """Leave our room for ``room``, keeping the PeerConnection (no JSEP).

    Give ``group`` when the new room has groups: Janus 1.1.2 locks up otherwise.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "changeroom"
    REPLY: ClassVar[type[PluginData]] = RoomChanged
    room: int | str = room_id_field()
    id: int | str | None = room_id_field(optional=True)
    group: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    display: str | None = opt_field(str)
    token: str | None = opt_field(str)
    muted: bool | None = opt_field(bool)
    bitrate: int | None = non_negative_field()
    quality: int | None = non_negative_field()
    expected_loss: int | None = non_negative_field()


@attrs.frozen(kw_only=True)
class Leave(PluginRequest[Left]):
    """Leave the room (the PeerConnection stays up)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "leave"
    REPLY: ClassVar[type[PluginData]] = Left


@attrs.frozen(kw_only=True)
class Hangup(PluginRequest[HangingUp]):
    """The plugin's ``hangup``: close the PeerConnection (1.1.2 also leaves the room)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "hangup"
    REPLY: ClassVar[type[PluginData]] = HangingUp


# -- errors ------------------------------------------------------------------------------


class AudioBridgeError(PluginError):
    """An AudioBridge error (``janus.plugin.audiobridge``)."""


class NoMessage(AudioBridgeError):
    """480: no message."""

    code = 480


class InvalidJSON(AudioBridgeError):
    """481: invalid JSON."""

    code = 481


class InvalidRequest(AudioBridgeError):
    """482: invalid or unknown request."""

    code = 482


class MissingElement(AudioBridgeError):
    """483: a mandatory element is missing (a room's ``secret`` or ``pin`` too)."""

    code = 483


class InvalidElement(AudioBridgeError):
    """484: an element has the wrong type or value."""

    code = 484


class NoSuchRoom(AudioBridgeError):
    """485: no such room."""

    code = 485


class RoomExistsError(AudioBridgeError):
    """486: the room already exists."""

    code = 486


class NotJoined(AudioBridgeError):
    """487: not in a room."""

    code = 487


class LibopusError(AudioBridgeError):
    """488: libopus failed."""

    code = 488


class Unauthorized(AudioBridgeError):
    """489: unauthorized (wrong secret, pin, token or admin_key)."""

    code = 489


class IdExists(AudioBridgeError):
    """490: the participant id is taken."""

    code = 490


class AlreadyJoined(AudioBridgeError):
    """491: already in a room (use ``changeroom``)."""

    code = 491


class NoSuchUser(AudioBridgeError):
    """492: no such participant."""

    code = 492


class InvalidSDP(AudioBridgeError):
    """493: the SDP could not be used (e.g. an offer on a Janus-offered session)."""

    code = 493


class NoSuchGroup(AudioBridgeError):
    """494: no such group."""

    code = 494


class UnknownError(AudioBridgeError):
    """499: unknown error (e.g. the file to play cannot be opened)."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        MissingElement,
        InvalidElement,
        NoSuchRoom,
        RoomExistsError,
        NotJoined,
        LibopusError,
        Unauthorized,
        IdExists,
        AlreadyJoined,
        NoSuchUser,
        InvalidSDP,
        NoSuchGroup,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, AudioBridgeError, ERRORS)
