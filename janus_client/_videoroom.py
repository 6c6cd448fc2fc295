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
from janus_media import PeerConnection, video_first
from janus_proto.plugins import videoroom

from ._errors import VideoRoomError
from ._plugin import JanusPlugin, _Tap, plugin_errors, within

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
    """What an instance is in its room (:attr:`JanusVideoRoomPlugin.participant_type` is
    None outside a room, as in janus-client 0.9)."""

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


def _descriptions(items: Sequence[Mapping[str, Any]] | None) -> Any:
    if items is None:
        return None
    return [
        item
        if isinstance(item, videoroom.StreamDescription)
        else videoroom.StreamDescription(**item)
        for item in items
    ]


def _publisher_streams(items: Sequence[Mapping[str, Any]] | None) -> Any:
    if items is None:
        return None
    return [
        item
        if isinstance(item, videoroom.PublisherStreamConfig)
        else videoroom.PublisherStreamConfig(**item)
        for item in items
    ]


def _stream_list(
    stream: Mapping[str, Any] | Sequence[Mapping[str, Any]], what: str
) -> builtins.list[Mapping[str, Any]]:
    streams = [stream] if isinstance(stream, Mapping) else list(stream)
    if not streams:
        raise ValueError(f"{what} needs at least one stream")
    for item in streams:
        if not isinstance(item, Mapping):
            raise TypeError(f"{what}: each stream must be a dict, got {type(item).__name__}")
    return streams


class JanusVideoRoomPlugin(JanusPlugin):
    """The VideoRoom plugin (seed API, with the janus-client 0.9 names beside it).

    One peer connection per instance: use an instance to administer rooms, to publish
    (:meth:`join` or :meth:`join_as_publisher`, then :meth:`publish`), or to subscribe
    (:meth:`subscribe_and_start` or :meth:`subscribe_to_publisher`).

    Every request takes ``timeout=`` (seconds; default: the session's request timeout) as
    its deadline, and raises :class:`VideoRoomError` (``error_code``, and Janus's text in
    ``error_message``) when the plugin refuses it.

    ``on_event`` handlers hear the plugin's unsolicited events and also its event answers
    to this instance's requests (``JOINED`` after a join, ``CONFIGURED`` after publishing,
    ``ATTACHED`` after subscribing...), as in janus-client 0.9.
    """

    name = "janus.plugin.videoroom"
    _handle_class: ClassVar[type[PluginHandle]] = VideoRoomPublisher

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room_id: RoomId | None = None
        self._publisher_id: RoomId | None = None
        self._private_id: int | None = None
        self._display_name: str | None = None
        self._participant_type: ParticipantType | None = None
        self._publishing = False
        self._recorder: MediaRecorder | None = None
        self._webrtcup = asyncio.Event()

    # -- properties ----------------------------------------------------------------------

    @property
    def room_id(self) -> RoomId | None:
        """The room joined (as publisher or subscriber); None outside a room."""
        return self._room_id

    @property
    def publisher_id(self) -> RoomId | None:
        """Our participant id once joined as publisher (None otherwise)."""
        return self._publisher_id

    @property
    def private_id(self) -> int | None:
        """Our private id once joined as publisher (None otherwise)."""
        return self._private_id

    @property
    def display_name(self) -> str | None:
        """The display name we joined with (None when none, or outside a room)."""
        return self._display_name

    @property
    def participant_type(self) -> ParticipantType | None:
        """PUBLISHER or SUBSCRIBER while in a room, None outside one."""
        return self._participant_type

    @property
    def is_publishing(self) -> bool:
        """Whether :meth:`publish` succeeded and nothing unpublished since."""
        return self._publishing

    @property
    def webrtcup_event(self) -> asyncio.Event:
        """Set when Janus reports ``webrtcup`` for the current media; cleared when new
        media starts or the media closes."""
        return self._webrtcup

    def _pub(self) -> VideoRoomPublisher:
        return self._typed_handle(VideoRoomPublisher)

    def _sub(self) -> VideoRoomSubscriber:
        return self._typed_handle(VideoRoomSubscriber)

    def _clear_room(self) -> None:
        self._room_id = self._publisher_id = self._private_id = None
        self._display_name = None
        self._participant_type = None
        self._publishing = False

    # -- room management -----------------------------------------------------------------

    async def create_room(
        self,
        room_id: RoomId | None = None,
        configuration: Mapping[str, Any] | str | None = None,
        *,
        timeout: float | None = None,
        **settings: Any,
    ) -> bool | RoomId:
        """Create a room.

        Two forms, told apart by how they are called:

        - the seed's ``create_room(room_id, configuration={})``: the settings (those of
          ``janus.plugin.videoroom.jcfg``: ``description``, ``secret``, ``publishers``...)
          in a dict; returns True;
        - janus-client 0.9's ``create_room(description=..., secret=..., is_private=...,
          publishers=..., timeout=...)``: the settings as keywords, ``room_id`` optional;
          returns the room's id (the one Janus picked when ``room_id`` is omitted).

        So: the room id is returned when ``room_id`` is omitted or any keyword besides
        ``configuration`` is given; True otherwise. Both are truthy.

        Raises:
            TypeError: an unknown setting (the message names it).
            VideoRoomError: the room exists ("already exists"), or another refusal.
        """
        if isinstance(configuration, str):  # 0.9's positional description
            settings = {"description": configuration, **settings}
            configuration = None
        seed_form = room_id is not None and not settings and timeout is None
        merged = {**dict(configuration or {}), **settings}
        with plugin_errors(VideoRoomError):
            created = await self._pub().create(
                room_id, timeout=self._request_timeout(timeout), **merged
            )
        if seed_form:
            return True
        room = created.room if created.room is not None else room_id
        if room is None:
            raise VideoRoomError(0, "Janus created a room without telling its id")
        return room

    async def destroy_room(
        self,
        room_id: RoomId,
        secret: str | None = "",
        permanent: bool = False,
        timeout: float | None = None,
    ) -> bool:
        """Destroy a room; True when done.

        Raises:
            VideoRoomError: "No such room", a wrong or missing secret...
        """
        with plugin_errors(VideoRoomError):
            await self._pub().destroy(
                room_id,
                secret=secret or None,
                permanent=permanent or None,
                timeout=self._request_timeout(timeout),
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
        timeout: float | None = None,
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
                timeout=self._request_timeout(timeout),
            )
        return True

    async def exists(self, room_id: RoomId, timeout: float | None = None) -> bool:
        """Whether the room exists."""
        with plugin_errors(VideoRoomError):
            return await self._pub().exists(room_id, timeout=self._request_timeout(timeout))

    async def list_room(
        self, admin_key: str | None = None, timeout: float | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The rooms, as dicts with ``room``, ``description``... (private ones too with
        the plugin's ``admin_key``)."""
        with plugin_errors(VideoRoomError):
            rooms = await self._pub().list_rooms(
                admin_key=admin_key, timeout=self._request_timeout(timeout)
            )
        return [dict(room.raw) for room in rooms]

    list_rooms = list_room  # the 0.9 name

    async def allowed(
        self,
        room_id: RoomId,
        secret: str = "",
        action: AllowedAction | str = AllowedAction.ENABLE,
        allowed: Sequence[str] = (),
        timeout: float | None = None,
    ) -> bool:
        """Manage the room's token list (``action``: enable, disable, add, remove)."""
        verb = AllowedAction(action).value
        with plugin_errors(VideoRoomError):
            await self._pub().allowed(
                room_id,
                verb,
                list(allowed) if verb in ("add", "remove") else None,
                secret=secret or None,
                timeout=self._request_timeout(timeout),
            )
        return True

    async def kick(
        self, room_id: RoomId, id: RoomId, secret: str = "", timeout: float | None = None
    ) -> bool:
        """Kick participant ``id`` out of the room; True when done.

        Raises:
            VideoRoomError: "No such user ... in room ...", a wrong secret...
        """
        with plugin_errors(VideoRoomError):
            await self._pub().kick(
                room_id, id, secret=secret or None, timeout=self._request_timeout(timeout)
            )
        return True

    async def kick_participant(
        self,
        room_id: RoomId,
        participant_id: RoomId,
        secret: str = "",
        timeout: float | None = None,
    ) -> bool:
        """janus-client 0.9's name of :meth:`kick`."""
        return await self.kick(room_id, participant_id, secret, timeout)

    async def moderate(
        self,
        room_id: RoomId,
        id: RoomId,
        mid: str,
        mute: bool,
        secret: str = "",
        timeout: float | None = None,
    ) -> bool:
        """Mute (or unmute) stream ``mid`` of participant ``id``; True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().moderate(
                room_id,
                id,
                mid,
                mute,
                secret=secret or None,
                timeout=self._request_timeout(timeout),
            )
        return True

    async def moderate_participant(
        self,
        room_id: RoomId,
        participant_id: RoomId,
        mid: str,
        mute: bool,
        secret: str = "",
        timeout: float | None = None,
    ) -> bool:
        """janus-client 0.9's name of :meth:`moderate`."""
        return await self.moderate(room_id, participant_id, mid, mute, secret, timeout)

    async def list_participants(
        self, room_id: RoomId, timeout: float | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The room's participants, as dicts (``id``, ``display``, ``publisher``...).

        Raises:
            VideoRoomError: "No such room", ...
        """
        with plugin_errors(VideoRoomError):
            people = await self._pub().list_participants(
                room_id, timeout=self._request_timeout(timeout)
            )
        return [dict(person.raw) for person in people]

    # -- publishing ----------------------------------------------------------------------

    async def _join(
        self,
        room_id: RoomId,
        publisher_id: RoomId | None,
        display: str | None,
        token: str | None,
        pin: str | None,
        timeout: float | None,
    ) -> dict[str, Any]:
        with plugin_errors(VideoRoomError):
            joined = await self._pub().join(
                room_id,
                id=publisher_id,
                display=display,
                token=token,
                pin=pin,
                timeout=self._request_timeout(timeout),
            )
        self._room_id = room_id
        self._publisher_id = joined.id
        self._private_id = joined.private_id
        self._display_name = display
        self._participant_type = ParticipantType.PUBLISHER
        return dict(joined.raw)

    async def join(
        self,
        room_id: RoomId,
        publisher_id: RoomId | None = None,
        display_name: str = "",
        token: str | None = None,
        pin: str | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Join ``room_id`` as a publisher (not publishing yet); True when joined.

        Raises:
            VideoRoomError: "No such room", the id is taken, a wrong PIN...
        """
        await self._join(room_id, publisher_id, display_name or None, token, pin, timeout)
        return True

    async def join_as_publisher(
        self,
        room_id: RoomId,
        publisher_id: RoomId | None = None,
        display: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        *,
        pin: str | None = None,
    ) -> dict[str, Any]:
        """janus-client 0.9's :meth:`join`: returns the ``joined`` data (``room``, ``id``,
        ``private_id``, ``publishers``...)."""
        return await self._join(room_id, publisher_id, display or None, token, pin, timeout)

    async def publish(
        self,
        stream_track: Sequence[MediaStreamTrack] | MediaPlayer | None = None,
        configuration: Mapping[str, Any] | None = None,
        *,
        player: MediaPlayer | None = None,
        trickle: bool = False,
        timeout: float | None = None,
        **settings: Any,
    ) -> dict[str, Any]:
        """Publish ``stream_track`` (aiortc tracks; or a ``MediaPlayer``, also as
        ``player=``, the 0.9 form) with ``configuration`` (``audiocodec``,
        ``videocodec``, ``bitrate``, ``record``, ``filename``, ``display``,
        ``descriptions``..., also as keywords). :meth:`join` first.

        ``trickle``: send the offer at once and our candidates after it. ``timeout``
        bounds the whole negotiation. :attr:`webrtcup_event` is set when the media is up.

        Returns:
            The ``configured`` answer's data (``configured == "ok"``, the codecs...):
            a non-empty dict, so it is truthy as the seed's result.

        Raises:
            VideoRoomError: not joined as a publisher ("Must join as publisher first"),
                or the plugin refused.
        """
        if self._participant_type is not ParticipantType.PUBLISHER:
            raise VideoRoomError(
                0, "Must join as publisher first: call join() or join_as_publisher()"
            )
        source = player if player is not None else stream_track
        if source is None:
            raise ValueError("publish needs tracks or a MediaPlayer")
        merged = {**dict(configuration or {}), **settings}
        if "descriptions" in merged:
            merged["descriptions"] = _descriptions(merged["descriptions"])
        seconds = self._request_timeout(timeout)

        async def run() -> dict[str, Any]:
            await self._close_media()
            peer = self._new_peer(trickle=trickle)
            if isinstance(source, MediaPlayer):
                peer.add_player(source)
            else:
                for track in source:
                    peer.add_track(track)
            publisher = self._pub()
            with plugin_errors(VideoRoomError):
                configured = await peer.negotiate(
                    lambda jsep: publisher.publish(jsep, timeout=seconds, **merged)
                )
            return dict(configured.raw)

        result = await within(seconds, run(), "publish")
        self._publishing = True
        return result

    async def configure(
        self,
        bitrate: int | None = None,
        keyframe: bool | None = None,
        record: bool | None = None,
        filename: str | None = None,
        display: str | None = None,
        streams: Sequence[Mapping[str, Any]] | None = None,
        descriptions: Sequence[Mapping[str, Any]] | None = None,
        timeout: float | None = None,
        **settings: Any,
    ) -> bool:
        """Change the publisher's settings (only those given are sent: ``bitrate``,
        ``keyframe``, ``record``, ``filename``, ``display``, per-stream ``streams``,
        ``descriptions``...); True when applied."""
        with plugin_errors(VideoRoomError):
            await self._pub().configure(
                bitrate=bitrate,
                keyframe=keyframe or None,
                record=record,
                filename=filename,
                display=display,
                streams=_publisher_streams(streams),
                descriptions=_descriptions(descriptions),
                timeout=self._request_timeout(timeout),
                **settings,
            )
        if display:
            self._display_name = display
        return True

    async def unpublish(self, timeout: float | None = None) -> bool:
        """Stop publishing (the media is closed); True when done."""
        with plugin_errors(VideoRoomError):
            await self._pub().unpublish(timeout=self._request_timeout(timeout))
        self._publishing = False
        await self._close_media()
        return True

    async def leave(self, timeout: float | None = None) -> bool:
        """Leave the room (unpublishing first if publishing, or ending the
        subscription); True when done. The room properties are None afterwards."""
        with plugin_errors(VideoRoomError):
            if self._participant_type is ParticipantType.SUBSCRIBER:
                await self._sub().leave(timeout=self._request_timeout(timeout))
            else:
                await self._pub().leave(timeout=self._request_timeout(timeout))
        self._clear_room()
        await self._close_media()
        return True

    # -- subscribing ---------------------------------------------------------------------

    async def _subscribe_start(
        self,
        room_id: RoomId,
        on_track_created: TrackCallback,
        streams: builtins.list[Mapping[str, Any]],
        use_msid: bool,
        autoupdate: bool,
        private_id: int | None,
        trickle: bool,
        seconds: float,
    ) -> dict[str, Any]:
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
                timeout=seconds,
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
            await subscriber.start(answer, timeout=seconds)
            if trickle:
                await peer.send_candidates()
        return dict(attached.raw)

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
        timeout: float | None = None,
    ) -> bool:
        """Subscribe to ``stream`` (``{"feed": id}`` or ``{"feed": id, "mid": "0"}``, or
        a list of them) in ``room_id``, call ``on_track_created(track)`` for each track
        Janus sends (plain or async), and start; True when started.

        ``trickle``: send the answer at once and our candidates after it. ``timeout``
        bounds the whole exchange.

        Raises:
            VideoRoomError: "No such feed", "No such room", or another refusal.
        """
        streams = _stream_list(stream, "subscribe_and_start")
        seconds = self._request_timeout(timeout)
        work = self._subscribe_start(
            room_id, on_track_created, streams, use_msid, autoupdate, private_id, trickle, seconds
        )
        await within(seconds, work, "subscribe_and_start")
        return True

    async def subscribe_to_publisher(
        self,
        room_id: RoomId,
        streams: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        recorder: MediaRecorder | None = None,
        private_id: int | None = None,
        use_msid: bool = False,
        autoupdate: bool = True,
        trickle: bool = False,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """janus-client 0.9's subscription: like :meth:`subscribe_and_start`, with what
        comes written by ``recorder`` (an aiortc ``MediaRecorder``, started here and
        stopped when the subscription ends). Returns the ``attached`` data (``room``,
        ``streams``...).

        Raises:
            VideoRoomError: "No such feed", "No such room", or another refusal.
        """
        parts = _stream_list(streams, "subscribe_to_publisher")
        seconds = self._request_timeout(timeout)
        tracks: builtins.list[MediaStreamTrack] = []
        work = self._subscribe_start(
            room_id, tracks.append, parts, use_msid, autoupdate, private_id, trickle, seconds
        )
        attached = await within(seconds, work, "subscribe_to_publisher")
        if recorder is not None:
            for track in video_first(tracks):  # (an aiortc race would lose the video)
                recorder.addTrack(track)
            await recorder.start()
            self._recorder = recorder
        return attached

    async def _renegotiate(
        self,
        request: Callable[[], Awaitable[videoroom.Updated | videoroom.Updating]],
        on_track_created: TrackCallback | None,
        seconds: float,
    ) -> None:
        """Send a request that changes the subscription and answer Janus's new offer."""
        peer = self._peer
        if self._participant_type is not ParticipantType.SUBSCRIBER or peer is None:
            raise VideoRoomError(0, "Not subscribed: call subscribe_and_start() first")
        subscriber = self._sub()
        known = {id(remote.track) for remote in peer.remote_tracks}

        def offer_event(event: jp.HandleEvent) -> bool:
            return (
                isinstance(event, jp.PluginEvent)
                and event.data.get("videoroom") == "updated"
                and event.jsep is not None
            )

        with plugin_errors(VideoRoomError), self._watch(offer_event) as later:
            updated = await request()
            jsep = updated.jsep
            if jsep is None and isinstance(updated, videoroom.Updating):
                event = await asyncio.wait_for(later, seconds)  # the offer comes later
                assert isinstance(event, jp.PluginEvent)
                jsep = event.jsep
            if jsep is None:
                return  # nothing to renegotiate (the SDP did not change)
            await peer.apply_offer(jsep)
            for remote in peer.remote_tracks:
                if id(remote.track) not in known and on_track_created is not None:
                    result = on_track_created(remote.track)
                    if inspect.isawaitable(result):
                        await result
            await subscriber.start(await peer.create_answer(), timeout=seconds)

    async def subscribe(
        self,
        streams: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        on_track_created: TrackCallback | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Add ``streams`` to the current subscription (Janus renegotiates: its new offer
        is answered here); ``on_track_created`` gets the new tracks. True when done.

        Raises:
            VideoRoomError: not subscribed, or the plugin refused.
        """
        parts = [videoroom.SubscribeStream(**dict(s)) for s in _stream_list(streams, "subscribe")]
        seconds = self._request_timeout(timeout)

        def request() -> Awaitable[videoroom.Updated | videoroom.Updating]:
            return self._sub().subscribe(parts, timeout=seconds)

        await within(seconds, self._renegotiate(request, on_track_created, seconds), "subscribe")
        return True

    async def start(
        self,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        *,
        trickle: bool = False,
    ) -> bool:
        """Start the subscription with our answer ``jsep``, or without one resume it after
        :meth:`pause`; True when done. (``trickle`` is accepted for janus-client 0.9:
        our candidates follow the subscription's own setting.)"""
        with plugin_errors(VideoRoomError):
            await self._sub().start(jsep, timeout=self._request_timeout(timeout))
        return True

    async def pause(self, timeout: float | None = None) -> bool:
        """Pause the subscription (resume with :meth:`start`); True when done."""
        with plugin_errors(VideoRoomError):
            await self._sub().pause(timeout=self._request_timeout(timeout))
        return True

    async def switch_publisher(
        self, streams: Sequence[Mapping[str, Any]], timeout: float | None = None
    ) -> bool:
        """Feed our m-lines from other publishers' streams (``feed``, ``mid``,
        ``sub_mid`` each), without renegotiating; True when done."""
        parts = [videoroom.SwitchStream(**dict(s)) for s in _stream_list(streams, "switch")]
        with plugin_errors(VideoRoomError):
            await self._sub().switch(parts, timeout=self._request_timeout(timeout))
        return True

    async def unsubscribe(
        self,
        streams: Sequence[Mapping[str, Any]] | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Without ``streams`` (the seed's form): end the subscription (leave it, close
        the media). With ``streams`` (janus-client 0.9's form: ``feed``, ``mid`` or
        ``sub_mid`` each): drop only those, Janus renegotiates. True when done."""
        seconds = self._request_timeout(timeout)
        if streams is not None:
            parts = [
                videoroom.UnsubscribeStream(**dict(s)) for s in _stream_list(streams, "unsubscribe")
            ]

            def request() -> Awaitable[videoroom.Updated | videoroom.Updating]:
                return self._sub().unsubscribe(parts, timeout=seconds)

            await within(seconds, self._renegotiate(request, None, seconds), "unsubscribe")
            return True
        with plugin_errors(VideoRoomError):
            await self._sub().leave(timeout=seconds)
        self._clear_room()
        await self._close_media()
        return True

    async def on_receive(self, response: dict[str, Any]) -> None:
        """Every event of the handle (raw JSON); override to observe them."""

    # -- internals -----------------------------------------------------------------------

    def _new_peer(self, *, trickle: bool = False, tap: type[_Tap] = _Tap) -> PeerConnection:
        self._webrtcup.clear()
        return super()._new_peer(trickle=trickle, tap=tap)

    async def _close_media(self) -> None:
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            await recorder.stop()
        self._webrtcup.clear()
        await super()._close_media()

    def _reset(self) -> None:
        self._clear_room()

    def _observe(self, event: jp.HandleEvent) -> None:
        if isinstance(event, jp.WebRTCUp):
            self._webrtcup.set()

    def _event_types(self, event: jp.HandleEvent) -> builtins.list[Any]:
        if isinstance(event, jp.PluginEvent):
            return list(_event_kinds(event.data))
        return []
