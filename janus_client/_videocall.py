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
from janus_media import PeerConnection
from janus_proto.plugins import videocall

from ._errors import VideoCallError
from ._plugin import JanusPlugin, plugin_errors

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
        self._sink: MediaRecorder | MediaBlackhole | None = None
        self._sink_task: asyncio.Task[None] | None = None

    @property
    def username(self) -> str | None:
        """The username registered (None before :meth:`register`)."""
        return self._username

    @property
    def in_call(self) -> bool:
        """Whether a call is set up (calling, or accepted) and not hung up."""
        return self._in_call

    def _call(self) -> VideoCallHandle:
        return self._typed_handle(VideoCallHandle)

    def _timeout(self) -> float:
        return self._session.request_timeout if self._session is not None else 15.0

    async def list_users(self) -> builtins.list[str]:
        """The usernames registered on the server.

        Raises:
            VideoCallError: the plugin refused.
        """
        with plugin_errors(VideoCallError):
            return list(await self._call().list(timeout=self._timeout()))

    list = list_users  # the seed's name

    async def register(self, username: str) -> bool:
        """Register as ``username`` (detach the plugin to de-register); True when done.

        Raises:
            VideoCallError: the name is taken, or this handle has a name already.
        """
        if not isinstance(username, str) or not username:
            raise ValueError(f"username must be a non-empty str, got {username!r}")
        with plugin_errors(VideoCallError):
            self._username = await self._call().register(username, timeout=self._timeout())
        return True

    async def call(
        self,
        username: str,
        player: MediaPlayer | None = None,
        recorder: MediaRecorder | None = None,
        trickle: bool = False,
        timeout: float = 30.0,
    ) -> bool:
        """Call ``username``, sending ``player``'s media; True once Janus rings them.

        The answer comes when they accept: ``recorder`` starts then. Wait for it with
        :meth:`wait_accepted` (or the ``ACCEPTED`` event).

        Raises:
            VideoCallError: no such user, not registered, already in a call...
        """
        if not isinstance(username, str) or not username:
            raise ValueError(f"username must be a non-empty str, got {username!r}")
        await self._close_media()
        peer = self._new_peer(trickle=trickle)
        self._add_media(peer, player)
        handle = self._call()
        with plugin_errors(VideoCallError):
            await asyncio.wait_for(
                peer.negotiate(lambda jsep: handle.call(username, jsep, timeout=timeout)),
                timeout,
            )
        self._in_call = True
        self._start_sink(peer, recorder, wait_answer=True, timeout=timeout)
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
        timeout: float = 30.0,
    ) -> bool:
        """Accept the incoming call whose offer is ``jsep`` (from :meth:`on_incoming_call`),
        sending ``player``'s media and recording theirs with ``recorder``.

        Raises:
            ValueError: ``jsep`` is not an offer.
            VideoCallError: no incoming call.
        """
        await self._close_media()
        peer = self._new_peer(trickle=trickle)
        await peer.apply_offer(jsep)
        self._add_media(peer, player)
        handle = self._call()
        with plugin_errors(VideoCallError):
            answer = await peer.create_answer()
            await handle.accept(answer, timeout=timeout)
            if trickle:
                await peer.send_candidates()
        self._in_call = True
        self._start_sink(peer, recorder, wait_answer=False, timeout=timeout)
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
    ) -> bool:
        """Change the call's media settings (only the arguments given are sent).

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
            await self._call().set(jsep=jsep, timeout=self._timeout(), **given)
        return True

    async def hangup(self) -> bool:
        """End the call, close the media and finish the recording.

        Raises:
            VideoCallError: no call to hang up.
        """
        try:
            with plugin_errors(VideoCallError):
                await self._call().hangup_call(timeout=self._timeout())
        finally:
            self._in_call = False
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
            for remote in peer.remote_tracks:
                sink.addTrack(remote.track)
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
            if isinstance(result, dict) and result.get("event") == "hangup":
                self._in_call = False

    async def _on_event(self, event: jp.HandleEvent) -> None:
        if not isinstance(event, jp.PluginEvent):
            return
        data = videocall.CODEC.parse_event(event.data, event.jsep)
        if isinstance(data, videocall.IncomingCall) and data.jsep is not None:
            await self.on_incoming_call(dict(data.jsep))
        elif isinstance(data, videocall.HungUp) and self._peer is not None:
            await self._close_media()
