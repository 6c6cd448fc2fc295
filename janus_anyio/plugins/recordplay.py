"""Record&Play handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, recordplay

from ._base import PluginHandle

__all__ = ["RecordPlayHandle"]


class RecordPlayHandle(PluginHandle):
    """``janus.plugin.recordplay``: record a PeerConnection to .mjr files and play it back.

    Recording: :meth:`record` with a JSEP offer (the answer is on the reply's ``jsep``),
    then :meth:`stop`. Playout: :meth:`play` (Janus's offer is on the reply's ``jsep``),
    then :meth:`start` with the answer. :class:`~janus_proto.plugins.recordplay.Done`
    comes on :meth:`events` when the PeerConnection goes away.
    """

    PLUGIN: ClassVar[str] = recordplay.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = recordplay.CODEC

    async def list(self, *, timeout: float | None = None) -> tuple[recordplay.RecordingInfo, ...]:
        """The completed recordings."""
        return (await self.request(recordplay.List(), timeout=timeout)).list

    async def update(self, *, timeout: float | None = None) -> recordplay.Updated:
        """Scan the recordings folder again (for .nfo files added by hand)."""
        return await self.request(recordplay.Update(), timeout=timeout)

    async def configure(
        self,
        *,
        video_bitrate_max: int | None = None,
        video_keyframe_interval: int | None = None,
        timeout: float | None = None,
    ) -> recordplay.Configured:
        """Set the REMB cap (bits per second) and keyframe request interval (ms)."""
        request = recordplay.Configure(
            video_bitrate_max=video_bitrate_max, video_keyframe_interval=video_keyframe_interval
        )
        return await self.request(request, timeout=timeout)

    async def record(
        self,
        jsep: Mapping[str, Any],
        *,
        name: str,
        id: int | None = None,
        filename: str | None = None,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        videoprofile: str | None = None,
        opusred: bool | None = None,
        textdata: bool | None = None,
        update: bool | None = None,
        timeout: float | None = None,
    ) -> recordplay.Recording:
        """Record what the JSEP offer sends as ``name``; the reply has the ``id``."""
        request = recordplay.Record(
            name=name,
            id=id,
            filename=filename,
            audiocodec=audiocodec,
            videocodec=videocodec,
            videoprofile=videoprofile,
            opusred=opusred,
            textdata=textdata,
            update=update,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def play(
        self, id: int, *, restart: bool | None = None, timeout: float | None = None
    ) -> recordplay.Preparing:
        """Prepare the playout of recording ``id``; Janus's offer is on the reply."""
        return await self.request(recordplay.Play(id=id, restart=restart), timeout=timeout)

    async def start(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> recordplay.Playing:
        """Start the playout with the JSEP answer to Janus's offer."""
        return await self.request(recordplay.Start(), jsep=jsep, timeout=timeout)

    async def stop(self, *, timeout: float | None = None) -> recordplay.Stopped:
        """Stop the recording or playout (the PeerConnection is closed)."""
        return await self.request(recordplay.Stop(), timeout=timeout)

    async def pause(self, *, timeout: float | None = None) -> recordplay.Paused:
        """Pause the recording or playout."""
        return await self.request(recordplay.Pause(), timeout=timeout)

    async def resume(self, *, timeout: float | None = None) -> recordplay.Resumed:
        """Resume a paused recording or playout."""
        return await self.request(recordplay.Resume(), timeout=timeout)
