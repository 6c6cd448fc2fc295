"""WebSocketTransport over an in-memory byte pipe, against a wsproto server (no sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
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
    Message,
    Ping,
    Pong,
    RejectConnection,
    Request,
    TextMessage,
)

import janus_anyio as ja
from janus_proto import Info, Outgoing

from .helpers import MemoryByteStream, byte_pipe

pytestmark = pytest.mark.anyio


class WSServer:
    """The server end: a wsproto connection over the pipe, driven by the test."""

    def __init__(self, stream: MemoryByteStream) -> None:
        self.stream = stream
        self.ws = WSConnection(ConnectionType.SERVER)
        self.request: Request | None = None
        self.pending: list[Event] = []

    async def next_event(self) -> Event:
        while not self.pending:
            self.ws.receive_data(await self.stream.receive())
            self.pending.extend(self.ws.events())
        return self.pending.pop(0)

    async def handshake(
        self, answer: Callable[[Request], AcceptConnection | RejectConnection] | None = None
    ) -> None:
        event = await self.next_event()
        assert isinstance(event, Request)
        self.request = event
        reply = answer(event) if answer else AcceptConnection(subprotocol=event.subprotocols[0])
        await self.send(reply)

    async def send(self, event: Event) -> None:
        await self.stream.send(self.ws.send(event))

    async def message(self) -> str | bytes:
        parts: list[str | bytes] = []
        while True:
            event = await self.next_event()
            if isinstance(event, Message):
                parts.append(event.data)
                if event.message_finished:
                    first = parts[0]
                    return "".join(parts) if isinstance(first, str) else b"".join(parts)  # type: ignore[arg-type]


@asynccontextmanager
async def served(
    url: str = "ws://janus.test:8188/path?x=1",
    answer: Callable[[Request], AcceptConnection | RejectConnection] | None = None,
    **options: object,
) -> AsyncIterator[tuple[ja.WebSocketTransport, WSServer]]:
    client_end, server_end = byte_pipe()
    server = WSServer(server_end)

    async def opener() -> anyio.abc.ByteStream:
        return client_end

    transport = ja.WebSocketTransport(
        url,
        ja.TransportOptions(**options),  # type: ignore[arg-type]
        opener=opener,
    )
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.handshake, answer)
        await transport.connect(tg)
        try:
            yield transport, server
        finally:
            await transport.aclose()
            await client_end.aclose()
            await server_end.aclose()


def outgoing(text: str = '{"janus":"info","transaction":"t1"}') -> Outgoing:
    return Outgoing(transaction="t1", request=Info(), path="", text=text)


async def test_handshake_asks_for_the_subprotocol_and_host() -> None:
    async with served() as (transport, server):
        assert server.request is not None
        assert server.request.subprotocols == ["janus-protocol"]
        assert server.request.host == "janus.test:8188"
        assert server.request.target == "/path?x=1"
    async with served("wss://janus.test/", admin=True, ssl_context=None) as (transport, server):
        assert server.request is not None
        assert server.request.subprotocols == ["janus-admin-protocol"]
        assert server.request.host == "janus.test"  # default port left out
        assert transport.subprotocol == "janus-admin-protocol"


async def test_text_both_ways_and_fragments_reassembled() -> None:
    async with served() as (transport, server):
        await transport.send(outgoing())
        assert await server.message() == '{"janus":"info","transaction":"t1"}'
        await server.send(TextMessage(data='{"janus":', message_finished=False))
        await server.send(TextMessage(data='"ack"}', message_finished=True))
        await server.send(BytesMessage(data=b'{"a":', message_finished=False))
        await server.send(BytesMessage(data=b"1}", message_finished=True))
        assert await transport.receive() == '{"janus":"ack"}'
        assert await transport.receive() == b'{"a":1}'


async def test_ping_is_answered_with_pong() -> None:
    async with served() as (transport, server):
        await server.send(Ping(payload=b"hi"))
        await server.send(TextMessage(data="after"))
        assert await transport.receive() == "after"
        event = await server.next_event()
        assert isinstance(event, Pong)
        assert event.payload == b"hi"


async def test_message_over_the_limit_closes_with_1009() -> None:
    async with served(max_message_size=10) as (transport, server):
        await server.send(TextMessage(data="12345", message_finished=False))
        await server.send(TextMessage(data="678901", message_finished=True))
        with pytest.raises(ja.ConnectionClosed, match="max_message_size"):
            await transport.receive()
        event = await server.next_event()
        assert isinstance(event, CloseConnection)
        assert event.code == 1009
        with pytest.raises(ja.ConnectionClosed):  # and on every later call
            await transport.receive()
        with pytest.raises(ja.ConnectionClosed):
            await transport.send(outgoing())


async def test_server_close_is_answered_and_ends_the_stream_after_earlier_messages() -> None:
    async with served() as (transport, server):
        await server.send(TextMessage(data="last words"))
        await server.send(CloseConnection(code=1001, reason="going away"))
        assert await transport.receive() == "last words"
        with pytest.raises(ja.ConnectionClosed, match="1001 going away"):
            await transport.receive()
        event = await server.next_event()
        assert isinstance(event, CloseConnection)  # the close handshake completed


async def test_end_of_stream_is_connection_closed() -> None:
    async with served() as (transport, server):
        await server.stream.send_eof()
        with pytest.raises(ja.ConnectionClosed, match="closed by the peer"):
            await transport.receive()


async def test_broken_stream_on_send_is_connection_closed() -> None:
    async with served() as (transport, server):
        await server.stream.aclose()
        with pytest.raises(ja.ConnectionClosed):
            await transport.send(outgoing())
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()


async def test_aclose_sends_a_close_frame_and_is_idempotent() -> None:
    async with served() as (transport, server):
        await transport.aclose()
        event = await server.next_event()
        assert isinstance(event, CloseConnection)
        assert event.code == 1000
        await transport.aclose()
        with pytest.raises(ja.ConnectionClosed, match="transport closed"):
            await transport.receive()


async def connect_error(
    answer: Callable[[Request], AcceptConnection | RejectConnection],
) -> ja.TransportError:
    client_end, server_end = byte_pipe()
    server = WSServer(server_end)

    async def opener() -> anyio.abc.ByteStream:
        return client_end

    transport = ja.WebSocketTransport("ws://janus.test", opener=opener)
    async with server_end, anyio.create_task_group() as tg:
        tg.start_soon(server.handshake, answer)
        with pytest.raises(ja.TransportError) as err:
            await transport.connect(tg)
    with pytest.raises(anyio.BrokenResourceError):  # the client closed its end
        await client_end.send(b"x")
    return err.value


async def test_wrong_subprotocol_or_rejection_fails_the_connect() -> None:
    err = await connect_error(lambda r: AcceptConnection(subprotocol=None))
    assert "did not accept subprotocol 'janus-protocol'" in str(err)
    err = await connect_error(lambda r: RejectConnection(status_code=403))
    assert "rejected with HTTP 403" in str(err)


async def test_silent_server_times_the_connect_out() -> None:
    client_end, server_end = byte_pipe()

    async def opener() -> anyio.abc.ByteStream:
        return client_end

    transport = ja.WebSocketTransport(
        "ws://janus.test", ja.TransportOptions(connect_timeout=0.05), opener=opener
    )
    async with server_end, anyio.create_task_group() as tg:
        with pytest.raises(ja.TransportError, match="timed out"):
            await transport.connect(tg)


async def test_opener_failure_and_unreachable_host_are_transport_errors() -> None:
    async def opener() -> anyio.abc.ByteStream:
        raise ConnectionRefusedError("nobody home")

    transport = ja.WebSocketTransport("ws://janus.test", opener=opener)
    async with anyio.create_task_group() as tg:
        with pytest.raises(ja.TransportError, match="nobody home"):
            await transport.connect(tg)
    with pytest.raises(ja.ConnectionClosed, match="not connected"):
        await transport.receive()


async def test_bad_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="no host"):
        ja.WebSocketTransport("ws:///nohost")
    with pytest.raises(ValueError, match="expected ws or wss"):
        ja.WebSocketTransport("http://janus.test")
