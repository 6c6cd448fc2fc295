"""Plugin flows that need more than one offer/answer exchange or a channel of ours."""

from __future__ import annotations

from typing import Any

from janus_anyio.plugins import StreamingHandle, TextRoomHandle
from janus_proto.plugins import streaming

from ._channel import DataChannel
from ._errors import NegotiationFailed
from ._peer import PeerConnection

__all__ = ["open_textroom", "watch_streaming_data"]

#: The label Janus's TextRoom and Streaming plugins expect on the data channel.
TEXTROOM_LABEL = JANUS_DATA_CHANNEL = "JanusDataChannel"


async def open_textroom(
    pc: PeerConnection, *, timeout: float | None = 10.0, buffer: int = 1024
) -> DataChannel:
    """Set up TextRoom's data channel on ``pc`` (whose handle is a ``TextRoomHandle``) and
    return it open: ``setup`` (Janus offers a data-channel-only SDP but opens no channel),
    our ``"JanusDataChannel"``, the answer sent with ``ack``.

    Speak the TextRoom protocol over it with
    ``janus_anyio.plugins.open_textroom_channel(channel, channel)``.

    Raises:
        TypeError: ``pc.handle`` is not a ``TextRoomHandle``.
        NegotiationFailed: Janus's ``setup`` reply carried no offer, or aiortc refused it.
        TimeoutError: the channel did not open within ``timeout`` seconds.
    """
    handle = pc.handle
    if not isinstance(handle, TextRoomHandle):
        raise TypeError(f"open_textroom needs a TextRoomHandle, got {type(handle).__name__}")
    reply = await handle.setup(timeout=timeout)
    if reply.jsep is None:
        raise NegotiationFailed(f"TextRoom's setup reply has no offer: {reply.raw!r}")
    await pc.apply_offer(reply.jsep)
    channel = pc.create_data_channel(TEXTROOM_LABEL, buffer=buffer)
    answer = await pc.create_answer()
    await handle.ack(answer, timeout=timeout)
    if pc.trickle:
        await pc.send_candidates()
    await channel.wait_open(timeout=timeout)
    return channel


async def watch_streaming_data(
    pc: PeerConnection,
    id: int | str,
    *,
    timeout: float | None = 10.0,
    buffer: int = 1024,
    **watch: Any,
) -> tuple[streaming.StatusEvent, DataChannel]:
    """Watch Streaming mountpoint ``id`` (``pc.handle`` is a ``StreamingHandle``), which has
    a data stream, and return the ``start`` reply and the data channel, open.

    Janus's offer has an ``m=application`` line but Janus opens no channel: the viewer's
    ``"JanusDataChannel"`` is created between the offer and the answer (with any other label
    nothing arrives). Audio and video of the mountpoint come as usual
    (:meth:`PeerConnection.wait_track`). ``watch``: more options of
    ``StreamingHandle.watch`` (``pin``, ``media``...).

    Raises:
        TypeError: ``pc.handle`` is not a ``StreamingHandle``.
        NegotiationFailed: Janus's answer to ``watch`` carried no offer, or the offer has
            no data stream.
        TimeoutError: the channel did not open within ``timeout`` seconds.
    """
    handle = pc.handle
    if not isinstance(handle, StreamingHandle):
        raise TypeError(
            f"watch_streaming_data needs a StreamingHandle, got {type(handle).__name__}"
        )
    preparing = await handle.watch(id, timeout=timeout, **watch)
    offer = preparing.jsep
    if offer is None:
        raise NegotiationFailed(f"Streaming's watch reply has no offer: {preparing.raw!r}")
    if "m=application" not in str(offer.get("sdp", "")):
        raise NegotiationFailed(f"mountpoint {id!r} offers no data stream")
    await pc.apply_offer(offer)
    channel = pc.create_data_channel(JANUS_DATA_CHANNEL, buffer=buffer)
    started = await handle.start(await pc.create_answer(), timeout=timeout)
    if pc.trickle:
        await pc.send_candidates()
    await channel.wait_open(timeout=timeout)
    return started, channel
