"""``JanusVideoRoomPlugin``: rooms, publishing and subscribing (one peer connection per
instance: use an instance to administer, to publish, or to subscribe)."""

from __future__ import annotations

import asyncio
import builtins
import enum
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar

from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer, MediaRecorder

import janus_proto as jp
from janus_anyio.plugins import PluginHandle, VideoRoomPublisher, VideoRoomSubscriber
from janus_media import PeerConnection
from janus_proto.plugins import videoroom

from ._errors import VideoRoomError
from ._plugin import JanusPlugin, plugin_errors

__all__ = ["AllowedAction", "JanusVideoRoomPlugin", "ParticipantType", "VideoRoomEventType"]

RoomId = int | str
TrackCallback = Callable[[MediaStreamTrack], Awaitable[None] | None]


class AllowedAction(enum.Enum):
    """What :meth:`JanusVideoRoomPlugin.allowed` does with the room's token list."""

    ENABLE = "enable"
    DISABLE = "disable"
    ADD = "add"
    REMOVE = "remove"


class ParticipantType(enum.Enum):
    """What an instance is in its room."""

    NONE = "none"
    PUBLISHER = "publisher"
    SUBSCRIBER = "subscriber"


class VideoRoomEventType(enum.Enum):
    """The VideoRoom events :meth:`JanusVideoRoomPlugin.on_event` can watch."""

    JOINED = "joined"
    PUBLISHERS = "publishers"
    UNPUBLISHED = "unpublished"
    LEAVING = "leaving"
    DESTROYED = "destroyed"
    CONFIGURED = "configured"
    ATTACHED = "attached"
    UPDATED = "updated"
    STARTED = "started"
    SWITCHED = "switched"
    TALKING = "talking"
    STOPPED_TALKING = "stopped-talking"
    ERROR = "error"


def _event_kinds(data: Mapping[str, Any]) -> builtins.list[VideoRoomEventType]:
    kind = data.get("videoroom")
    if kind in ("joined", "destroyed", "attached", "updated", "talking", "stopped-talking"):
        return [VideoRoomEventType(kind)]
    if kind != "event":
        return []
    keys = ("publishers", "unpublished", "leaving", "configured", "started", "switched")
    found = [VideoRoomEventType(key) for key in keys if key in data]
    if "error_code" in data:
        found.append(VideoRoomEventType.ERROR)
    return found


def _ok(result: object) -> bool:
    return result is not None


class JanusVideoRoomPlugin(JanusPlugin):
    """The VideoRoom plugin (seed API, with the janus-client 0.9 names beside it).

    Every request raises :class:`VideoRoomError` (``error_code``, ``error_message``) when
    the plugin refuses it.
    """

    name = "janus.plugin.videoroom"
    _handle_class: ClassVar[type[PluginHandle]] = VideoRoomPublisher

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room_id: RoomId | None = None
        self._publisher_id: RoomId | None = None
        self._private_id: int | None = None
        self._display_name: str | None = None
        self._participant_type = ParticipantType.NONE
        self._publishing = False
        self._recorder: MediaRecorder | None = None
        #: Set when Janus reports ``webrtcup`` for this instance's peer connection.
        self.webrtcup_event = asyncio.Event()

    # -- properties ----------------------------------------------------------------------

    @property
    def room_id(self) -> RoomId | None:
        """The room joined (as publisher or subscriber)."""
        return self._room_id

    @property
    def publisher_id(self) -> RoomId | None:
        """Our participant id, once joined as publisher."""
        return self._publisher_id

    @property
    def private_id(self) -> int | None:
        """Our private id, once joined as publisher."""
        return self._private_id

    @property
    def display_name(self) -> str | None:
        return self._display_name

    @property
    def participant_type(self) -> ParticipantType:
        return self._participant_type

    @property
    def is_publishing(self) -> bool:
        return self._publishing

    def _pub(self) -> VideoRoomPublisher:
        return self._typed_handle(VideoRoomPublisher)

    def _sub(self) -> VideoRoomSubscriber:
        return self._typed_handle(VideoRoomSubscriber)

    def _timeout(self) -> float:
        return self._session.request_timeout if self._session is not None else 15.0

    # -- room management -----------------------------------------------------------------

    async def create_room(
        self,
        room_id: RoomId | None = None,
        configuration: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> bool:
        """Create room ``room_id`` with ``configuration`` (the room settings of
        ``janus.plugin.videoroom.jcfg``; the 0.9 keywords ``description``, ``secret``,
        ``pin``, ``is_private``, ``publishers``, ... are accepted too). True when created.

        Raises:
            TypeError: an unknown setting (the message names it).
            VideoRoomError: the room exists, or another refusal.
        """
        settings = {**dict(configuration or {}), **kwargs}
        settings.pop("timeout", None)
        with plugin_errors(VideoRoomError):
            created = await self._pub().create(room_id, timeout=self._timeout(), **settings)
        return _ok(created)

    async def destroy_room(
        self, room_id: RoomId, secret: str = "", permanent: bool = False
    ) -> bool:
        """Destroy a room; True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().destroy(
                room_id,
                secret=secret or None,
                permanent=permanent or None,
                timeout=self._timeout(),
            )
        return True

    async def edit(
        self,
        room_id: RoomId,
        secret: str = "",
        new_description: str = "",
        new_secret: str = "",
        new_pin: str = "",
        new_is_private: bool = False,
        new_require_pvtid: bool = False,
        new_bitrate: int | None = None,
        new_fir_freq: int | None = None,
        new_publishers: int = 3,
        new_lock_record: bool = False,
        new_rec_dir: str | None = None,
        permanent: bool = False,
    ) -> bool:
        """Change a room's settings (the seed's defaults are sent as given); True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().edit(
                room_id,
                secret=secret or None,
                new_description=new_description or None,
                new_secret=new_secret or None,
                new_pin=new_pin or None,
                new_is_private=new_is_private,
                new_require_pvtid=new_require_pvtid,
                new_bitrate=new_bitrate,
                new_fir_freq=new_fir_freq,
                new_publishers=new_publishers,
                new_lock_record=new_lock_record,
                new_rec_dir=new_rec_dir,
                permanent=permanent,
                timeout=self._timeout(),
            )
        return True

    async def exists(self, room_id: RoomId) -> bool:
        """Whether the room exists."""
        with plugin_errors(VideoRoomError):
            return await self._pub().exists(room_id, timeout=self._timeout())

    async def list_room(self, admin_key: str | None = None) -> builtins.list[dict[str, Any]]:
        """The rooms, as dicts (private ones too with the plugin's ``admin_key``)."""
        with plugin_errors(VideoRoomError):
            rooms = await self._pub().list_rooms(admin_key=admin_key, timeout=self._timeout())
        return [dict(room.raw) for room in rooms]

    list_rooms = list_room  # the 0.9 name

    async def allowed(
        self,
        room_id: RoomId,
        secret: str = "",
        action: AllowedAction | str = AllowedAction.ENABLE,
        allowed: Sequence[str] = (),
    ) -> bool:
        """Manage the room's token list (``action``: enable, disable, add, remove)."""
        verb = AllowedAction(action).value
        with plugin_errors(VideoRoomError):
            await self._pub().allowed(
                room_id,
                verb,
                list(allowed) if verb in ("add", "remove") else None,
                secret=secret or None,
                timeout=self._timeout(),
            )
        return True

    async def kick(self, room_id: RoomId, id: RoomId, secret: str = "") -> bool:
        """Kick participant ``id``; True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().kick(room_id, id, secret=secret or None, timeout=self._timeout())
        return True

    kick_participant = kick  # the 0.9 name

    async def moderate(
        self, room_id: RoomId, id: RoomId, mid: str, mute: bool, secret: str = ""
    ) -> bool:
        """Mute (or unmute) stream ``mid`` of participant ``id``; True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().moderate(
                room_id, id, mid, mute, secret=secret or None, timeout=self._timeout()
            )
        return True

    moderate_participant = moderate  # the 0.9 name

    async def list_participants(self, room_id: RoomId) -> builtins.list[dict[str, Any]]:
        """The room's participants, as dicts (``id``, ``display``, ``publisher``...)."""
        with plugin_errors(VideoRoomError):
            people = await self._pub().list_participants(room_id, timeout=self._timeout())
        return [dict(person.raw) for person in people]

    # -- publishing ----------------------------------------------------------------------

    async def join(
        self,
        room_id: RoomId,
        publisher_id: RoomId | None = None,
        display_name: str = "",
        token: str | None = None,
        pin: str | None = None,
    ) -> bool:
        """Join ``room_id`` as a publisher (not publishing yet); True when joined."""
        with plugin_errors(VideoRoomError):
            joined = await self._pub().join(
                room_id,
                id=publisher_id,
                display=display_name or None,
                token=token,
                pin=pin,
                timeout=self._timeout(),
            )
        self._room_id = room_id
        self._publisher_id = joined.id
        self._private_id = joined.private_id
        self._display_name = display_name or None
        self._participant_type = ParticipantType.PUBLISHER
        return True

    async def join_as_publisher(
        self,
        room_id: RoomId,
        publisher_id: RoomId | None = None,
        display: str | None = None,
        token: str | None = None,
    ) -> bool:
        """The 0.9 name of :meth:`join`."""
        return await self.join(room_id, publisher_id, display or "", token)

    async def publish(
        self,
        stream_track: Sequence[MediaStreamTrack] | MediaPlayer | None = None,
        configuration: Mapping[str, Any] | None = None,
        *,
        player: MediaPlayer | None = None,
        trickle: bool = False,
        **kwargs: Any,
    ) -> bool:
        """Publish ``stream_track`` (aiortc tracks; or a ``MediaPlayer``, the 0.9 form)
        with ``configuration`` (``audiocodec``, ``videocodec``, ``bitrate``, ``record``,
        ``filename``, ``display``..., also as keywords). :meth:`join` first.

        Raises:
            RuntimeError: not joined as publisher.
            VideoRoomError: the plugin refused.
        """
        if self._participant_type is not ParticipantType.PUBLISHER:
            raise RuntimeError(f"{self!r}: join() the room before publishing")
        source = player if player is not None else stream_track
        if source is None:
            raise ValueError("publish needs tracks or a MediaPlayer")
        settings = {**dict(configuration or {}), **kwargs}
        await self._close_media()
        peer = self._new_peer(trickle=trickle)
        if isinstance(source, MediaPlayer):
            peer.add_player(source)
        else:
            for track in source:
                peer.add_track(track)
        publisher = self._pub()
        with plugin_errors(VideoRoomError):
            await peer.negotiate(
                lambda jsep: publisher.publish(jsep, timeout=self._timeout(), **settings)
            )
        self._publishing = True
        return True

    async def configure(self, **settings: Any) -> bool:
        """Change the publisher's settings (``bitrate``, ``keyframe``, ``record``,
        ``filename``, ``display``...); True when applied."""
        with plugin_errors(VideoRoomError):
            await self._pub().configure(timeout=self._timeout(), **settings)
        return True

    async def unpublish(self) -> bool:
        """Stop publishing (the media is closed); True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().unpublish(timeout=self._timeout())
        self._publishing = False
        await self._close_media()
        return True

    async def leave(self) -> bool:
        """Leave the room (unpublishing first if publishing); True when done."""
        with plugin_errors(VideoRoomError):
            if self._participant_type is ParticipantType.SUBSCRIBER:
                await self._sub().leave(timeout=self._timeout())
            else:
                await self._pub().leave(timeout=self._timeout())
        self._publishing = False
        self._participant_type = ParticipantType.NONE
        self._room_id = None
        await self._close_media()
        return True

    # -- subscribing ---------------------------------------------------------------------

    async def subscribe_and_start(
        self,
        room_id: RoomId,
        on_track_created: TrackCallback,
        stream: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        use_msid: bool = False,
        autoupdate: bool = True,
        private_id: int | None = None,
        *,
        trickle: bool = False,
    ) -> bool:
        """Subscribe to ``stream`` (``{"feed": id}`` or ``{"feed": id, "mid": "0"}``, or
        a list of them) in ``room_id``, call ``on_track_created(track)`` for each track
        Janus sends (plain or async), and start; True when started.

        Raises:
            VideoRoomError: no such feed or room, or another refusal.
        """
        streams = [stream] if isinstance(stream, Mapping) else list(stream)
        if not streams:
            raise ValueError("subscribe_and_start needs at least one stream")
        parts = [videoroom.SubscribeStream(**dict(item)) for item in streams]
        await self._close_media()
        subscriber = self._sub()
        with plugin_errors(VideoRoomError):
            attached = await subscriber.join(
                room_id,
                parts,
                private_id=private_id,
                use_msid=use_msid,
                autoupdate=autoupdate,
                timeout=self._timeout(),
            )
        if attached.jsep is None:
            raise VideoRoomError(0, "Janus attached the subscriber without an offer")
        self._room_id = room_id
        self._participant_type = ParticipantType.SUBSCRIBER
        peer = self._new_peer(trickle=trickle)
        await peer.apply_offer(attached.jsep)
        for remote in peer.remote_tracks:
            result = on_track_created(remote.track)
            if inspect.isawaitable(result):
                await result
        with plugin_errors(VideoRoomError):
            answer = await peer.create_answer()
            await subscriber.start(answer, timeout=self._timeout())
            if trickle:
                await peer.send_candidates()
        return True

    async def subscribe_to_publisher(
        self,
        room_id: RoomId,
        streams: Sequence[Mapping[str, Any]],
        recorder: MediaRecorder | None = None,
        private_id: int | None = None,
        use_msid: bool = False,
        autoupdate: bool = True,
        trickle: bool = False,
    ) -> bool:
        """The 0.9 form: subscribe and record what comes with ``recorder``."""
        tracks: builtins.list[MediaStreamTrack] = []
        await self.subscribe_and_start(
            room_id, tracks.append, streams, use_msid, autoupdate, private_id, trickle=trickle
        )
        if recorder is not None:
            for track in tracks:
                recorder.addTrack(track)
            await recorder.start()
            self._recorder = recorder
        return True

    async def subscribe(
        self,
        streams: Sequence[Mapping[str, Any]],
        on_track_created: TrackCallback | None = None,
    ) -> bool:
        """Add ``streams`` to the subscription of :meth:`subscribe_and_start` (Janus
        renegotiates: its new offer is answered here); ``on_track_created`` gets the new
        tracks. True when done.

        Raises:
            RuntimeError: not subscribed.
        """
        peer = self._peer
        if self._participant_type is not ParticipantType.SUBSCRIBER or peer is None:
            raise RuntimeError(f"{self!r}: subscribe_and_start() first")
        parts = [videoroom.SubscribeStream(**dict(item)) for item in streams]
        subscriber = self._sub()
        known = {id(remote.track) for remote in peer.remote_tracks}

        def offer_event(event: jp.HandleEvent) -> bool:
            return (
                isinstance(event, jp.PluginEvent)
                and event.data.get("videoroom") == "updated"
                and event.jsep is not None
            )

        with plugin_errors(VideoRoomError), self._watch(offer_event) as later:
            updated = await subscriber.subscribe(parts, timeout=self._timeout())
            jsep = updated.jsep
            if jsep is None:  # "updating": the offer comes in a later "updated" event
                event = await asyncio.wait_for(later, self._timeout())
                assert isinstance(event, jp.PluginEvent)
                jsep = event.jsep
            if jsep is None:
                raise VideoRoomError(0, "Janus updated the subscription without an offer")
            await peer.apply_offer(jsep)
            for remote in peer.remote_tracks:
                if id(remote.track) not in known and on_track_created is not None:
                    result = on_track_created(remote.track)
                    if inspect.isawaitable(result):
                        await result
            await subscriber.start(await peer.create_answer(), timeout=self._timeout())
        return True

    async def start(self, jsep: Mapping[str, Any] | None = None) -> bool:
        """Start (or, without ``jsep``, resume) the subscription; True when done."""
        with plugin_errors(VideoRoomError):
            await self._sub().start(jsep, timeout=self._timeout())
        return True

    async def pause(self) -> bool:
        """Pause the subscription; True when done."""
        with plugin_errors(VideoRoomError):
            await self._sub().pause(timeout=self._timeout())
        return True

    async def switch_publisher(self, streams: Sequence[Mapping[str, Any]]) -> bool:
        """Feed our m-lines from other publishers' streams (``feed``, ``mid``,
        ``sub_mid`` each)."""
        parts = [videoroom.SwitchStream(**dict(item)) for item in streams]
        with plugin_errors(VideoRoomError):
            await self._sub().switch(parts, timeout=self._timeout())
        return True

    async def unsubscribe(self) -> bool:
        """End the subscription (leave it and close the media); True when done."""
        with plugin_errors(VideoRoomError):
            await self._sub().leave(timeout=self._timeout())
        self._participant_type = ParticipantType.NONE
        await self._close_media()
        return True

    async def on_receive(self, response: dict[str, Any]) -> None:
        """Every event of the handle (raw JSON); override to observe them."""

    # -- internals -----------------------------------------------------------------------

    def _new_peer(self, *, trickle: bool = False) -> PeerConnection:
        self.webrtcup_event = asyncio.Event()
        return super()._new_peer(trickle=trickle)

    async def _close_media(self) -> None:
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            await recorder.stop()
        await super()._close_media()

    def _observe(self, event: jp.HandleEvent) -> None:
        if isinstance(event, jp.WebRTCUp):
            self.webrtcup_event.set()

    def _event_types(self, event: jp.HandleEvent) -> builtins.list[Any]:
        if isinstance(event, jp.PluginEvent):
            return list(_event_kinds(event.data))
        return []
