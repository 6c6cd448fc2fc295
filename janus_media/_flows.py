"""Plugin flows that need more than one offer/answer exchange or a channel of ours."""

from __future__ import annotations

from janus_anyio.plugins import TextRoomHandle

from ._channel import DataChannel
from ._errors import NegotiationFailed
from ._peer import PeerConnection

__all__ = ["open_textroom"]

#: The label Janus's TextRoom expects on the data channel.
TEXTROOM_LABEL = "JanusDataChannel"


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
