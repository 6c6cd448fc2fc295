"""Streaming handle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, streaming

from ._base import PluginHandle

__all__ = ["StreamingHandle"]


class StreamingHandle(PluginHandle):
    """``janus.plugin.streaming``: manage mountpoints and watch them.

    Watching: :meth:`watch` answers :class:`~janus_proto.plugins.streaming.Preparing` with
    Janus's offer in ``jsep``; :meth:`start` with your answer. Status changes, layer changes
    and kicks come on :meth:`events`. Mountpoint ids are ints, or strs with ``string_ids``.
    """

    PLUGIN: ClassVar[str] = streaming.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = streaming.CODEC

    # -- mountpoints (sync) --------------------------------------------------------------

    async def list(
        self, *, admin_key: str | None = None, timeout: float | None = None
    ) -> tuple[streaming.MountpointSummary, ...]:
        """The public mountpoints (the private ones too with the plugin's ``admin_key``)."""
        reply = await self.request(streaming.List(admin_key=admin_key), timeout=timeout)
        return reply.list

    async def info(
        self, id: int | str, *, secret: str | None = None, timeout: float | None = None
    ) -> streaming.MountpointInfo:
        """A mountpoint's details (ports, pin, viewers... with its ``secret``)."""
        return await self.request(streaming.Info(id=id, secret=secret), timeout=timeout)

    async def create(
        self,
        type: str,
        *,
        id: int | str | None = None,
        name: str | None = None,
        description: str | None = None,
        metadata: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        media: Sequence[streaming.RtpMedia] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> streaming.Created:
        """Create a mountpoint; ``fields`` are the other fields of
        :class:`~janus_proto.plugins.streaming.Create` (``filename``, ``url``...)."""
        request = streaming.Create(
            type=type,
            id=id,
            name=name,
            description=description,
            metadata=metadata,
            secret=secret,
            pin=pin,
            is_private=is_private,
            permanent=permanent,
            admin_key=admin_key,
            media=media,
            **fields,
        )
        return await self.request(request, timeout=timeout)

    async def edit(
        self,
        id: int | str,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_metadata: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_is_private: bool | None = None,
        permanent: bool | None = None,
        edited_event: bool | None = None,
        timeout: float | None = None,
    ) -> streaming.Edited:
        """Change a mountpoint's description, metadata, secret, pin or privacy."""
        request = streaming.Edit(
            id=id,
            secret=secret,
            new_description=new_description,
            new_metadata=new_metadata,
            new_secret=new_secret,
            new_pin=new_pin,
            new_is_private=new_is_private,
            permanent=permanent,
            edited_event=edited_event,
        )
        return await self.request(request, timeout=timeout)

    async def destroy(
        self,
        id: int | str,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> streaming.Destroyed:
        """Destroy a mountpoint (its viewers get ``Stopped``)."""
        request = streaming.Destroy(id=id, secret=secret, permanent=permanent)
        return await self.request(request, timeout=timeout)

    async def enable(
        self, id: int | str, *, secret: str | None = None, timeout: float | None = None
    ) -> streaming.Ok:
        """Make a mountpoint available to viewers again."""
        return await self.request(streaming.Enable(id=id, secret=secret), timeout=timeout)

    async def disable(
        self,
        id: int | str,
        *,
        secret: str | None = None,
        stop_recording: bool | None = None,
        timeout: float | None = None,
    ) -> streaming.Ok:
        """Hide a mountpoint from viewers (and close its recordings unless
        ``stop_recording=False``).

        Janus 1.1.2 (log level 4, its default) crashes closing the recordings of an RTP
        mountpoint when a stream is not recording: pass ``stop_recording=False`` then.
        """
        request = streaming.Disable(id=id, secret=secret, stop_recording=stop_recording)
        return await self.request(request, timeout=timeout)

    async def recording(
        self,
        id: int | str,
        action: str,
        media: Sequence[streaming.RecordingMedia],
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> streaming.Ok:
        """Start (``action="start"``, a filename per stream) or stop recording streams."""
        request = streaming.Recording(id=id, action=action, media=media, secret=secret)
        return await self.request(request, timeout=timeout)

    async def kick_all(
        self, id: int | str, *, secret: str | None = None, timeout: float | None = None
    ) -> streaming.KickedAll:
        """Kick every viewer of a mountpoint (they get ``Kicked``)."""
        return await self.request(streaming.KickAll(id=id, secret=secret), timeout=timeout)

    # -- watching (async) ----------------------------------------------------------------

    async def watch(
        self,
        id: int | str,
        *,
        pin: str | None = None,
        media: Sequence[str] | None = None,
        restart: bool | None = None,
        offer_audio: bool | None = None,
        offer_video: bool | None = None,
        offer_data: bool | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> streaming.StatusEvent:
        """Watch a mountpoint (``media``: the mids wanted, all by default); the answer is
        ``Preparing`` (``Updating`` with ``restart``) with Janus's offer in ``jsep``.
        ``fields``: first simulcast/SVC targets (``substream``, ``temporal``...)."""
        request = streaming.Watch(
            id=id,
            pin=pin,
            media=media,
            restart=restart,
            offer_audio=offer_audio,
            offer_video=offer_video,
            offer_data=offer_data,
            **fields,
        )
        return await self.request(request, timeout=timeout)

    async def start(
        self, jsep: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> streaming.StatusEvent:
        """Start with the JSEP answer to Janus's offer, or resume after :meth:`pause`
        without one; the answer is ``Starting`` (``Started`` once the PC is up)."""
        return await self.request(streaming.Start(), jsep=jsep, timeout=timeout)

    async def pause(self, *, timeout: float | None = None) -> streaming.StatusEvent:
        """Pause the playout, keeping the PeerConnection (``Pausing``)."""
        return await self.request(streaming.Pause(), timeout=timeout)

    async def configure(
        self,
        *,
        mid: str | None = None,
        send: bool | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        spatial_layer: int | None = None,
        temporal_layer: int | None = None,
        min_delay: int | None = None,
        max_delay: int | None = None,
        timeout: float | None = None,
    ) -> streaming.Configured:
        """Change what is relayed: ``send`` for stream ``mid``, simulcast/SVC layers,
        playout delay (10 ms units)."""
        request = streaming.Configure(
            mid=mid,
            send=send,
            substream=substream,
            temporal=temporal,
            fallback=fallback,
            spatial_layer=spatial_layer,
            temporal_layer=temporal_layer,
            min_delay=min_delay,
            max_delay=max_delay,
        )
        return await self.request(request, timeout=timeout)

    async def switch(self, id: int | str, *, timeout: float | None = None) -> streaming.Switched:
        """Move to another live RTP mountpoint with the same media, on the same PC."""
        return await self.request(streaming.Switch(id=id), timeout=timeout)

    async def stop(self, *, timeout: float | None = None) -> streaming.StatusEvent:
        """Stop watching and close the PeerConnection (``Stopping``).

        Janus 1.1.2 does not answer before the PeerConnection is up (the request then
        times out); :meth:`hangup` closes a PC that never came up.
        """
        return await self.request(streaming.Stop(), timeout=timeout)
