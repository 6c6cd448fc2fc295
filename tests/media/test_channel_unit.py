"""DataChannel over a scripted aiortc-like channel (no network)."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
from aiortc import RTCDataChannel
from pyee.asyncio import AsyncIOEventEmitter

import janus_anyio as ja
from janus_media import DataChannel, DataChannelClosed

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class ScriptedChannel(AsyncIOEventEmitter):
    """What DataChannel uses of aiortc's RTCDataChannel."""

    def __init__(self, state: str = "connecting") -> None:
        super().__init__()
        self.label, self.id, self.protocol = "chat", 1, ""
        self.readyState = state
        self.bufferedAmount = 0
        self.bufferedAmountLowThreshold = 0
        self.sent: list[str | bytes] = []

    def send(self, data: str | bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        self.set_state("closed")

    def set_state(self, state: str) -> None:
        self.readyState = state
        self.emit("open" if state == "open" else "close")


def wrap(raw: ScriptedChannel, **kwargs: int) -> DataChannel:
    return DataChannel(cast(RTCDataChannel, raw), **kwargs)


async def test_open_send_receive_iterate_close() -> None:
    raw = ScriptedChannel()
    channel = wrap(raw)
    assert (channel.label, channel.id, channel.protocol) == ("chat", 1, "")
    assert "connecting" in repr(channel)
    with pytest.raises(TimeoutError):
        await channel.wait_open(timeout=0.01)
    sending = asyncio.ensure_future(channel.send("hi", timeout=1))
    await asyncio.sleep(0)
    assert raw.sent == []  # waits for open
    raw.set_state("open")
    await sending
    assert raw.sent == ["hi"]
    with pytest.raises(TypeError, match="str or bytes"):
        await channel.send(42)  # type: ignore[arg-type]
    raw.emit("message", "one")
    raw.emit("message", b"two")
    assert await channel.receive(timeout=1) == "one"
    raw.close()
    assert [m async for m in channel] == [b"two"]  # what came before the close is kept
    with pytest.raises(DataChannelClosed):
        await channel.receive(timeout=1)
    with pytest.raises(DataChannelClosed):
        await channel.send("late")
    await channel.aclose()  # already closed: at once
    assert channel.closed


async def test_send_waits_while_much_is_queued() -> None:
    raw = ScriptedChannel("open")
    channel = wrap(raw)
    raw.bufferedAmount = 2 << 20
    sending = asyncio.ensure_future(channel.send(b"x"))
    await asyncio.sleep(0.01)
    assert not sending.done()
    raw.bufferedAmount = 0
    raw.emit("bufferedamountlow")
    await asyncio.wait_for(sending, 1)
    assert raw.sent == [b"x"]
    raw.bufferedAmount = 2 << 20
    sending = asyncio.ensure_future(channel.send(b"y"))
    await asyncio.sleep(0.01)
    raw.set_state("closed")
    with pytest.raises(DataChannelClosed):
        await asyncio.wait_for(sending, 1)


async def test_overflow_and_closed_before_open() -> None:
    raw = ScriptedChannel("open")
    channel = wrap(raw, buffer=2)
    for text in ("a", "b", "c", "d"):
        raw.emit("message", text)
    assert [await channel.receive(), await channel.receive()] == ["a", "b"]
    with pytest.raises(ja.EventOverflow):
        await channel.receive()
    with pytest.raises(ValueError, match="buffer"):
        wrap(ScriptedChannel(), buffer=0)
    gone = wrap(ScriptedChannel("closed"))
    assert gone.closed
    with pytest.raises(DataChannelClosed, match="before it opened"):
        await gone.wait_open()


async def test_aclose_waits_for_the_close_a_while() -> None:
    raw = ScriptedChannel("open")
    raw.close = lambda: None  # type: ignore[method-assign]  # never confirms
    channel = wrap(raw)
    await channel.aclose(timeout=0.01)
    assert not channel.closed
    channel._peer_closed()
    assert channel.closed
