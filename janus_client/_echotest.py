"""``JanusEchoTestPlugin``: send media, get it echoed back."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar

from aiortc.contrib.media import MediaBlackhole, MediaPlayer, MediaRecorder

from janus_anyio.plugins import EchoTestHandle, PluginHandle
from janus_media import video_first

from ._plugin import JanusPlugin, within

__all__ = ["JanusEchoTestPlugin"]


class JanusEchoTestPlugin(JanusPlugin):
    """The EchoTest plugin: :meth:`start` plays a file to Janus and records the echo."""

    name = "janus.plugin.echotest"
    _handle_class: ClassVar[type[PluginHandle]] = EchoTestHandle

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sink: MediaRecorder | MediaBlackhole | None = None

    async def start(
        self,
        play_from: str | MediaPlayer,
        record_to: str | MediaRecorder = "",
        *,
        audio: bool = True,
        video: bool = True,
        options: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Play ``play_from`` (a file or URL aiortc's ``MediaPlayer`` opens, or a player)
        to Janus and write the echo to ``record_to`` (a file name, or a ``MediaRecorder``
        of your own; nothing is kept when empty).

        Returns once Janus answered (within ``timeout`` seconds, default: the session's
        request timeout); :meth:`wait_webrtcup` waits for the media path.

        Raises:
            ValueError: the player has neither audio nor video.
            janus_media.NegotiationFailed: the answer was refused.
            janus_anyio.RequestTimeout: (a ``TimeoutError``) no answer in time.
        """
        await self._close_media()
        player = play_from if isinstance(play_from, MediaPlayer) else MediaPlayer(play_from)
        seconds = self._request_timeout(timeout)
        peer = self._new_peer()
        peer.add_player(player)
        echo = self._typed_handle(EchoTestHandle)

        def offer(jsep: dict[str, Any]) -> Awaitable[Any]:
            return echo.configure(audio=audio, video=video, jsep=jsep, timeout=seconds)

        await within(seconds, peer.negotiate(offer), "start")
        sink: MediaRecorder | MediaBlackhole
        if isinstance(record_to, MediaRecorder):
            sink = record_to
        elif record_to:
            sink = MediaRecorder(record_to, options=options)
        else:
            sink = MediaBlackhole()
        for track in video_first(remote.track for remote in peer.remote_tracks):
            sink.addTrack(track)
        await sink.start()
        self._sink = sink

    async def wait_webrtcup(self, timeout: float | None = 15.0) -> bool:
        """Wait until Janus reports ``webrtcup`` for the stream of :meth:`start`.

        Raises:
            RuntimeError: no stream was started.
            TimeoutError: not within ``timeout`` seconds.
        """
        if self._peer is None:
            raise RuntimeError(f"{self!r}: start() a stream first")
        await self._peer.wait_webrtcup(timeout=timeout)
        return True

    async def close_stream(self) -> None:
        """Stop the stream: hang up, close the peer connection, finish the recording."""
        await self._close_media()

    async def _close_media(self) -> None:
        sink, self._sink = self._sink, None
        if sink is not None:
            await sink.stop()
        await super()._close_media()

    async def on_receive(self, response: dict[str, Any]) -> None:
        """Every event of the handle (raw JSON); override to observe them."""
