"""The WebSocket fast path (our own text frames both ways, wsproto for the rest) against a
wsproto server over an in-memory pipe: same messages, same order, same failures."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import pytest
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Event,
    Ping,
    Pong,
    Request,
    TextMessage,
)

import janus_anyio as ja
from janus_proto import Info, Outgoing

from .helpers import MemoryByteStream, byte_pipe

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]


class Server:
    """The server end: wsproto for the handshake and for reading; raw bytes can be sent."""

    def __init__(self, stream: MemoryByteStream) -> None:
        self.stream = stream
        self.ws = WSConnection(ConnectionType.SERVER)
        self.pending: list[Event] = []

    async def next_event(self) -> Event:
        while not self.pending:
            self.ws.receive_data(await self.stream.receive())
            self.pending.extend(self.ws.events())
        return self.pending.pop(0)

    async def handshake(self, then: bytes = b"") -> None:
        event = await self.next_event()
        assert isinstance(event, Request)
        accept = self.ws.send(AcceptConnection(subprotocol=event.subprotocols[0]))
        await self.stream.send(accept + then)  # frames in the same read as the 101

    def frame(self, event: Event) -> bytes:
        return self.ws.send(event)

    async def message(self) -> str:
        parts: list[str] = []
        while True:  # (wsproto hands out what has arrived of a long frame)
            event = await self.next_event()
            assert isinstance(event, TextMessage)
            parts.append(event.data)
            if event.message_finished:
                return "".join(parts)


@asynccontextmanager
async def served(
    then: bytes = b"", **options: object
) -> AsyncIterator[tuple[ja.WebSocketTransport, Server]]:
    client_end, server_end = byte_pipe()
    server = Server(server_end)

    async def opener() -> anyio.abc.ByteStream:
        return client_end

    transport = ja.WebSocketTransport(
        "ws://janus.test:8188/",
        ja.TransportOptions(**options),  # type: ignore[arg-type]
        opener=opener,
    )
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.handshake, then)
        await transport.connect(tg)
        try:
            yield transport, server
        finally:
            await transport.aclose()
            await client_end.aclose()
            await server_end.aclose()


def outgoing(text: str) -> Outgoing:
    return Outgoing(transaction="t1", request=Info(), path="", text=text)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70001])
async def test_our_frames_of_every_length_form_reach_the_server(size: int) -> None:
    text = ("é" * size)[:size] if size % 2 else "x" * size  # multi-byte UTF-8 too
    async with served() as (transport, server):
        await transport.send_many([outgoing(text), outgoing("second")])
        assert await server.message() == text
        assert await server.message() == "second"


@pytest.mark.parametrize("size", [0, 5, 125, 126, 65535, 65536, 200_000])
async def test_server_text_frames_of_every_length_form_are_read(size: int) -> None:
    text = "ü" * size
    async with served() as (transport, server):
        await server.stream.send(server.frame(TextMessage(data=text)))
        assert await transport.receive() == text


async def test_frames_after_the_handshake_in_the_same_read_are_kept() -> None:
    # Server frames are unmasked and need no state: build them with any server connection.
    helper = WSConnection(ConnectionType.SERVER)
    helper.receive_data(WSConnection(ConnectionType.CLIENT).send(Request(host="h", target="/")))
    list(helper.events())
    helper.send(AcceptConnection())
    frames = helper.send(TextMessage(data="first")) + helper.send(TextMessage(data="second"))
    async with served(then=frames) as (transport, _server):
        with anyio.fail_after(5):
            assert await transport.receive() == "first"
            assert await transport.receive() == "second"


async def test_byte_at_a_time_and_mixed_frames_keep_their_order() -> None:
    async with served() as (transport, server):
        s = server.frame
        data = (
            s(TextMessage(data="one"))
            + s(Ping(payload=b"p"))
            + s(TextMessage(data="tw", message_finished=False))
            + s(Ping(payload=b"q"))
            + s(TextMessage(data="o", message_finished=True))
            + s(BytesMessage(data=b"three"))
            + s(TextMessage(data="x" * 300))
            + s(TextMessage(data="four"))
        )
        async with anyio.create_task_group() as tg:  # (the pipe holds 64 items)

            async def trickle() -> None:
                for i in range(len(data)):
                    await server.stream.send(data[i : i + 1])

            tg.start_soon(trickle)
            with anyio.fail_after(10):
                got = [await transport.receive() for _ in range(5)]
        assert got == ["one", "two", b"three", "x" * 300, "four"]
        pongs = [await server.next_event() for _ in range(2)]
        assert [p.payload for p in pongs if isinstance(p, Pong)] == [b"p", b"q"]


async def test_a_final_text_frame_inside_a_fragmented_message_is_refused() -> None:
    async with served() as (transport, server):
        start = server.frame(TextMessage(data="a", message_finished=False))
        intruder = b"\x81\x01b"  # a new final text frame before the continuation
        await server.stream.send(start + intruder)
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()


async def test_invalid_utf8_text_frame_fails_the_connection_with_1007() -> None:
    async with served() as (transport, server):
        await server.stream.send(b"\x81\x02\xff\xfe")
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()
        event = await server.next_event()
        assert isinstance(event, CloseConnection)
        assert event.code == 1007


async def test_masked_server_frame_fails_the_connection() -> None:
    async with served() as (transport, server):
        mask = os.urandom(4)
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(b"hi"))
        await server.stream.send(b"\x81\x82" + mask + payload)
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()


@pytest.mark.parametrize("split", [False, True])
async def test_one_frame_over_the_cap_closes_with_1009(split: bool) -> None:
    async with served(max_message_size=10) as (transport, server):
        await server.stream.send(server.frame(TextMessage(data="small")))
        frame = server.frame(TextMessage(data="x" * 40))
        if split:
            await server.stream.send(frame[:5])
            await server.stream.send(frame[5:])
        else:
            await server.stream.send(frame)
        assert await transport.receive() == "small"
        with pytest.raises(ja.ConnectionClosed, match="max_message_size"):
            await transport.receive()
        event = await server.next_event()
        assert isinstance(event, CloseConnection)
        assert event.code == 1009


async def test_multibyte_text_at_the_cap_counts_characters() -> None:
    async with served(max_message_size=4) as (transport, server):
        await server.stream.send(server.frame(TextMessage(data="éééé")))  # 8 bytes, 4 chars
        assert await transport.receive() == "éééé"


async def test_nothing_is_sent_once_closing() -> None:
    async with served() as (transport, server):
        await server.stream.send(server.frame(CloseConnection(code=1000)))
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()
        with pytest.raises(ja.NotSent):
            await transport.send(outgoing("late"))
