"""In-memory byte streams and a custom transport over FakeJanus (no sockets)."""

from __future__ import annotations

from typing import Any

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

import janus_anyio as ja
from janus_proto import Outgoing
from janus_proto.testing import FakeJanus


class MemoryByteStream(anyio.abc.ByteStream):
    """One end of an in-memory byte pipe."""

    def __init__(
        self, send: MemoryObjectSendStream[bytes], receive: MemoryObjectReceiveStream[bytes]
    ) -> None:
        self._send, self._receive = send, receive
        self._buffer = b""

    async def send(self, item: bytes) -> None:
        try:
            await self._send.send(bytes(item))
        except anyio.ClosedResourceError:
            raise anyio.BrokenResourceError from None

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self._buffer:
            self._buffer = await self._receive.receive()
        data, self._buffer = self._buffer[:max_bytes], self._buffer[max_bytes:]
        return data

    async def send_eof(self) -> None:
        self._send.close()

    async def aclose(self) -> None:
        self._send.close()
        self._receive.close()


def byte_pipe() -> tuple[MemoryByteStream, MemoryByteStream]:
    """Two connected ends (client, server)."""
    a_send, a_recv = anyio.create_memory_object_stream[bytes](64)
    b_send, b_recv = anyio.create_memory_object_stream[bytes](64)
    return MemoryByteStream(a_send, b_recv), MemoryByteStream(b_send, a_recv)


class FakeJanusTransport(ja.Transport):
    """A custom transport, written outside the package as users would: it hands every
    request to a :class:`FakeJanus` and delivers its answers. ``drop()`` simulates a
    broken connection (the fake keeps its sessions, as with reclaim_session_timeout)."""

    instances: list[FakeJanusTransport] = []

    def __init__(self, url: str, options: ja.TransportOptions | None = None) -> None:
        super().__init__(url, options)
        self.janus = FakeJanus(admin=self.options.admin)
        self.connects = 0
        self.refuse_connect = False
        self._inbox: MemoryObjectSendStream[str | BaseException] | None = None
        self._outbox: MemoryObjectReceiveStream[str | BaseException] | None = None
        FakeJanusTransport.instances.append(self)

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        if self.refuse_connect:
            raise ja.TransportError("refused")
        await self.aclose()
        self.connects += 1
        self._inbox, self._outbox = anyio.create_memory_object_stream[str | BaseException](1000)

    async def send(self, out: Outgoing) -> None:
        if self._inbox is None:
            raise ja.NotSent("not connected")
        self.janus.receive(out.text, out.path)
        self.flush()

    def flush(self) -> None:
        """Deliver what the fake has to say."""
        if self._inbox is not None:
            for text in self.janus.messages_to_client():
                self._inbox.send_nowait(text)

    def drop(self) -> None:
        if self._inbox is not None:
            self._inbox.send_nowait(ja.ConnectionClosed("dropped"))
            self._inbox.close()
            self._inbox = None
        self.janus.disconnect()

    async def receive(self) -> str:
        outbox = self._outbox
        if outbox is None:
            raise ja.ConnectionClosed("not connected")
        try:
            item = await outbox.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise ja.ConnectionClosed("closed") from None
        if isinstance(item, BaseException):
            self._outbox = None
            outbox.close()
            raise item
        return item

    async def aclose(self) -> None:
        for stream in (self._inbox, self._outbox):
            if stream is not None:
                stream.close()
        self._inbox = self._outbox = None


def fake(**kwargs: Any) -> str:
    """A URL for the fake transport (registered by the tests' conftest)."""
    return "fake://janus"
