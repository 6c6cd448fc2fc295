"""``JanusVideoCallPlugin``: one-to-one calls between registered usernames."""

from __future__ import annotations

import asyncio
import builtins
import enum
import logging
from typing import Any, ClassVar

from aiortc.contrib.media import MediaBlackhole, MediaPlayer, MediaRecorder

import janus_proto as jp
from janus_anyio.plugins import PluginHandle, VideoCallHandle
from janus_media import PeerConnection, video_first
from janus_proto.plugins import videocall

from ._errors import VideoCallError
from ._plugin import JanusPlugin, plugin_errors, within

__all__ = ["JanusVideoCallPlugin", "VideoCallEventType"]

logger = logging.getLogger(__name__)


class VideoCallEventType(enum.Enum):
    """The VideoCall events :meth:`JanusVideoCallPlugin.on_event` can watch."""

    REGISTERED = "registered"
    CALLING = "calling"
    INCOMINGCALL = "incomingcall"
    ACCEPTED = "accepted"
    UPDATE = "update"
    HANGUP = "hangup"
    SET = "set"


class JanusVideoCallPlugin(JanusPlugin):
    """The VideoCall plugin: :meth:`register`, :meth:`call` or answer in
    :meth:`on_incoming_call` with :meth:`accept`, :meth:`hangup`.

    Media: the ``player`` (aiortc ``MediaPlayer``) is sent, what the other side sends is
    written by the ``recorder`` (aiortc ``MediaRecorder``; None: discarded).
    """

    name = "janus.plugin.videocall"
    _handle_class: ClassVar[type[PluginHandle]] = VideoCallHandle

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._username: str | None = None
        self._in_call = False
        self._incoming = False  # an incoming call waits for accept()
        self._sink: MediaRecorder | MediaBlackhole | None = None
        self._sink_task: asyncio.Task[None] | None = None

    @property
    def username(self) -> str | None:
        """The username registered (None before :meth:`register` and after
        :meth:`~JanusPlugin.destroy`)."""
        return self._username

    @property
    def in_call(self) -> bool:
        """Whether a call is set up (calling, or accepted) and not hung up."""
        return self._in_call

    def _call(self) -> VideoCallHandle:
        return self._typed_handle(VideoCallHandle)

    def _registered(self) -> None:
        if self._username is None:
            raise VideoCallError(473, "Must register a username first: call register()")

    async def list_users(self, timeout: float | None = None) -> builtins.list[str]:
        """The usernames registered on the server.

        Raises:
            VideoCallError: the plugin refused.
        """
        with plugin_errors(VideoCallError):
            return list(await self._call().list(timeout=self._request_timeout(timeout)))

    list = list_users  # the seed's name

    async def register(self, username: str, timeout: float | None = None) -> bool:
        """Register as ``username`` (detach the plugin to de-register); True when done.

        Raises:
            ValueError: an empty username.
            VideoCallError: the name is taken, or this handle is registered already
                ("Already registered").
        """
        if not isinstance(username, str) or not username:
            raise ValueError(f"username must be a non-empty str, got {username!r}")
        with plugin_errors(VideoCallError):
            self._username = await self._call().register(
                username, timeout=self._request_timeout(timeout)
            )
        return True

    async def call(
        self,
        username: str,
        player: MediaPlayer | None = None,
        recorder: MediaRecorder | None = None,
        trickle: bool = False,
        timeout: float | None = 30.0,
    ) -> bool:
        """Call ``username``, sending ``player``'s media (None: receive only); True once
        Janus rings them. ``trickle``: send the offer at once, our candidates after it.
        ``timeout`` bounds the offer and Janus's answer, then the wait for the callee.

        The answer comes when they accept: ``recorder`` starts then. Wait for it with
        :meth:`wait_accepted` (or the ``ACCEPTED`` event).

        Raises:
            VideoCallError: not registered ("Must register"), no such user, already in a
                call...
        """
        if not isinstance(username, str) or not username:
            raise ValueError(f"username must be a non-empty str, got {username!r}")
        self._registered()
        seconds = self._request_timeout(timeout)

        async def run() -> None:
            await self._close_media()
            peer = self._new_peer(trickle=trickle)
            self._add_media(peer, player)
            handle = self._call()
            with plugin_errors(VideoCallError):
                await peer.negotiate(lambda jsep: handle.call(username, jsep, timeout=seconds))

        try:
            await within(seconds, run(), "call")
        except BaseException:
            await self._close_media()
            raise
        self._in_call = True
        peer = self._peer
        assert peer is not None
        self._start_sink(peer, recorder, wait_answer=True, timeout=seconds)
        return True

    async def wait_accepted(self, timeout: float = 30.0) -> None:
        """Wait until the callee accepted (their answer applied).

        Raises:
            RuntimeError: not calling.
            janus_media.NegotiationFailed: they hung up or the answer was refused.
            TimeoutError: not within ``timeout`` seconds.
        """
        if self._peer is None:
            raise RuntimeError(f"{self!r}: call() first")
        await self._peer.wait_answer(timeout=timeout)

    async def accept(
        self,
        jsep: dict[str, Any],
        player: MediaPlayer | None = None,
        recorder: MediaRecorder | None = None,
        trickle: bool = False,
        timeout: float | None = 30.0,
    ) -> bool:
        """Accept the incoming call whose offer is ``jsep`` (from :meth:`on_incoming_call`
        or the ``INCOMINGCALL`` event's ``data["jsep"]``), sending ``player``'s media and
        recording theirs with ``recorder``. ``trickle``: send the answer at once, our
        candidates after it. ``timeout`` bounds the whole exchange.

        Raises:
            VideoCallError: not registered ("Must register"), or no incoming call ("No
                incoming call to accept"); checked before ``jsep`` is looked at.
            janus_media.NegotiationFailed: ``jsep`` is not an offer aiortc takes.
        """
        self._registered()
        if not self._incoming:
            raise VideoCallError(481, "No incoming call to accept")
        seconds = self._request_timeout(timeout)

        async def run() -> None:
            await self._close_media()
            peer = self._new_peer(trickle=trickle)
            await peer.apply_offer(jsep)
            self._add_media(peer, player)
            handle = self._call()
            with plugin_errors(VideoCallError):
                answer = await peer.create_answer()
                await handle.accept(answer, timeout=seconds)
                if trickle:
                    await peer.send_candidates()

        try:
            await within(seconds, run(), "accept")
        except BaseException:
            await self._close_media()
            raise
        self._incoming = False
        self._in_call = True
        peer = self._peer
        assert peer is not None
        self._start_sink(peer, recorder, wait_answer=False, timeout=seconds)
        return True

    async def set_media(
        self,
        audio: bool | None = None,
        video: bool | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        jsep: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Change the call's media settings (only the arguments given are sent); True
        when applied.

        Raises:
            VideoCallError: the plugin refused.
        """
        fields = {
            "audio": audio,
            "video": video,
            "bitrate": bitrate,
            "record": record,
            "filename": filename,
            "substream": substream,
            "temporal": temporal,
            "fallback": fallback,
        }
        given = {key: value for key, value in fields.items() if value is not None}
        with plugin_errors(VideoCallError):
            await self._call().set(jsep=jsep, timeout=self._request_timeout(timeout), **given)
        return True

    async def hangup(self, timeout: float | None = None) -> bool:
        """End the call, close the media and finish the recording; True when Janus
        confirmed (also when there was no call: Janus confirms that too).

        Raises:
            VideoCallError: the plugin refused.
        """
        try:
            with plugin_errors(VideoCallError):
                await self._call().hangup_call(timeout=self._request_timeout(timeout))
        finally:
            self._in_call = self._incoming = False
            await self._close_media()
        return True

    async def on_incoming_call(self, jsep: dict[str, Any]) -> None:
        """Called (by the dispatcher task) when someone calls; override it and
        :meth:`accept` the ``jsep`` offer. The default does nothing."""

    async def on_receive(self, response: dict[str, Any]) -> None:
        """Every event of the handle (raw JSON); override to observe them."""

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _add_media(peer: PeerConnection, player: MediaPlayer | None) -> None:
        if player is None:
            peer.add_transceiver("audio")
            peer.add_transceiver("video")
        else:
            peer.add_player(player)

    def _start_sink(
        self,
        peer: PeerConnection,
        recorder: MediaRecorder | None,
        *,
        wait_answer: bool,
        timeout: float,
    ) -> None:
        sink: MediaRecorder | MediaBlackhole = (
            recorder if recorder is not None else MediaBlackhole()
        )
        self._sink = sink

        async def run() -> None:
            if wait_answer:  # the callee may take its time, but not for ever
                await peer.wait_answer(timeout=timeout)
            for track in video_first(remote.track for remote in peer.remote_tracks):
                sink.addTrack(track)
            await sink.start()

        async def guarded() -> None:
            try:
                await run()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%r: the recorder could not start", self)

        self._sink_task = asyncio.get_running_loop().create_task(guarded())

    async def _close_media(self) -> None:
        task, self._sink_task = self._sink_task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        sink, self._sink = self._sink, None
        if sink is not None:
            await sink.stop()
        await super()._close_media()

    def _handler_data(self, event: jp.PluginEvent) -> dict[str, Any]:
        """janus-client 0.9's shape: the event's ``result`` (``event``, ``username``...),
        with ``jsep`` added when the event carried one."""
        result = event.data.get("result")
        data = dict(result) if isinstance(result, dict) else dict(event.data)
        if event.jsep is not None:
            data["jsep"] = dict(event.jsep)
        return data

    def _event_types(self, event: jp.HandleEvent) -> builtins.list[Any]:
        if not isinstance(event, jp.PluginEvent):
            return []
        result = event.data.get("result")
        name = result.get("event") if isinstance(result, dict) else None
        try:
            return [VideoCallEventType(name)]
        except ValueError:
            return []

    def _observe(self, event: jp.HandleEvent) -> None:
        if isinstance(event, jp.PluginEvent):
            result = event.data.get("result")
            kind = result.get("event") if isinstance(result, dict) else None
            if kind == "hangup":
                self._in_call = self._incoming = False
            elif kind == "incomingcall":
                self._incoming = True

    def _reset(self) -> None:
        self._username = None
        self._in_call = self._incoming = False

    async def _on_event(self, event: jp.HandleEvent) -> None:
        if not isinstance(event, jp.PluginEvent):
            return
        data = videocall.CODEC.parse_event(event.data, event.jsep)
        if isinstance(data, videocall.IncomingCall) and data.jsep is not None:
            await self.on_incoming_call(dict(data.jsep))
        elif isinstance(data, videocall.HungUp) and self._peer is not None:
            await self._close_media()
