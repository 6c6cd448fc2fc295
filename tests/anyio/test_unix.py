"""UnixTransport over a SOCK_SEQPACKET socketpair (no server, no filesystem)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pytest

import janus_anyio as ja
from janus_proto import Info, Outgoing

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def paired(**options: object) -> AsyncIterator[tuple[ja.UnixTransport, socket.socket]]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    transport = ja.UnixTransport(
        "unix:///run/janus.sock",
        ja.TransportOptions(**options),  # type: ignore[arg-type]
        sock=ours,
    )
    with theirs:
        async with anyio.create_task_group() as tg:
            await transport.connect(tg)
            try:
                yield transport, theirs
            finally:
                await transport.aclose()


def info(text: str = '{"janus":"info","transaction":"t1"}') -> Outgoing:
    return Outgoing(transaction="t1", request=Info(), path="", text=text)


async def test_one_datagram_per_message_both_ways() -> None:
    async with paired() as (transport, server):
        await transport.send(info())
        await transport.send(info('{"second":true}'))
        assert server.recv(65536) == b'{"janus":"info","transaction":"t1"}'
        assert server.recv(65536) == b'{"second":true}'
        server.send(b'{"janus":"ack"}')
        server.send(b'{"janus":"success"}')
        assert await transport.receive() == b'{"janus":"ack"}'
        assert await transport.receive() == b'{"janus":"success"}'


async def test_receive_waits_for_data() -> None:
    async with paired() as (transport, server):
        async with anyio.create_task_group() as tg:

            async def later() -> None:
                await anyio.sleep(0.02)
                server.send(b"late")

            tg.start_soon(later)
            with anyio.fail_after(2):
                assert await transport.receive() == b"late"


async def test_message_over_the_limit_ends_the_connection() -> None:
    async with paired(max_message_size=8) as (transport, server):
        server.send(b"123456789")
        with pytest.raises(ja.ConnectionClosed, match="max_message_size"):
            await transport.receive()
        with pytest.raises(ja.ConnectionClosed):
            await transport.send(info())


async def test_server_closing_is_connection_closed() -> None:
    async with paired() as (transport, server):
        server.send(b"bye")
        server.shutdown(socket.SHUT_RDWR)
        assert await transport.receive() == b"bye"
        with pytest.raises(ja.ConnectionClosed, match="closed by the server"):
            await transport.receive()


async def test_aclose_is_idempotent_and_final() -> None:
    async with paired() as (transport, server):
        await transport.aclose()
        await transport.aclose()
        with pytest.raises(ja.ConnectionClosed):
            await transport.receive()
        with pytest.raises(ja.ConnectionClosed):
            await transport.send(info())
        assert server.recv(16) == b""  # the peer sees the end


async def test_missing_socket_fails_connect(tmp_path: Path) -> None:
    transport = ja.UnixTransport(f"unix://{tmp_path}/nope.sock")
    assert transport.path == f"{tmp_path}/nope.sock"
    async with anyio.create_task_group() as tg:
        with pytest.raises(ja.TransportError, match="cannot connect"):
            await transport.connect(tg)


async def test_url_needs_a_path() -> None:
    with pytest.raises(ValueError, match="no socket path"):
        ja.UnixTransport("unix://")
