"""WebSocket transport (``ws://``, ``wss://``): wsproto over an anyio byte stream."""

from __future__ import annotations

import ssl
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import anyio
import anyio.abc
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError as WSLocalError
from wsproto.utilities import RemoteProtocolError as WSRemoteError

from janus_proto import Outgoing

from ._errors import ConnectionClosed, TransportError
from ._transport import Inbound, Transport, TransportOptions, register_transport

__all__ = ["WebSocketTransport", "StreamOpener"]

#: Opens the byte stream a transport speaks over (injectable for tests).
StreamOpener = Callable[[], Awaitable[anyio.abc.ByteStream]]

_STREAM_ERRORS = (
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
    OSError,
    ssl.SSLError,
    WSLocalError,
    WSRemoteError,
)


def _endpoint(url: str, default_ports: tuple[int, int]) -> tuple[str, int, bool, str]:
    parts = urlsplit(url)
    secure = parts.scheme in ("wss", "https")
    if not parts.hostname:
        raise ValueError(f"no host in URL {url!r}")
    port = parts.port or default_ports[secure]
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port, secure, target


async def open_tcp(
    host: str, port: int, secure: bool, options: TransportOptions
) -> anyio.abc.ByteStream:
    """A TCP (and TLS, verified by default) stream; errors become TransportError."""
    context = None
    if secure:
        context = options.ssl_context or ssl.create_default_context()
    try:
        stream: anyio.abc.ByteStream
        if context is not None:
            stream = await anyio.connect_tcp(
                host, port, ssl_context=context, tls_hostname=host, tls_standard_compatible=False
            )
        else:
            stream = await anyio.connect_tcp(host, port)
    except (OSError, ssl.SSLError, anyio.BrokenResourceError) as exc:
        raise TransportError(f"cannot connect to {host}:{port}: {exc}") from exc
    return stream


class WebSocketTransport(Transport):
    """Janus over WebSocket (subprotocol ``janus-protocol``, or ``janus-admin-protocol``).

    ``opener`` replaces the TCP/TLS connection (tests pass in-memory streams). Messages over
    ``options.max_message_size`` close the connection with code 1009.
    """

    def __init__(
        self,
        url: str,
        options: TransportOptions | None = None,
        *,
        opener: StreamOpener | None = None,
    ) -> None:
        super().__init__(url, options)
        self._host, self._port, self._secure, self._target = _endpoint(url, (80, 443))
        self._opener = opener
        self._subprotocol = "janus-admin-protocol" if self.options.admin else "janus-protocol"
        self._stream: anyio.abc.ByteStream | None = None
        self._ws: WSConnection | None = None
        self._lock = anyio.Lock()
        self._inbox: deque[str | bytes] = deque()
        self._parts: list[str] = []
        self._bparts: list[bytes] = []
        self._size = 0
        self._closed: str | None = "not connected"

    async def _open(self) -> anyio.abc.ByteStream:
        if self._opener is not None:
            return await self._opener()
        return await open_tcp(self._host, self._port, self._secure, self.options)

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        await self.aclose()
        stream = await self._open()
        ws = WSConnection(ConnectionType.CLIENT)
        host = self._host if self._port in (80, 443) else f"{self._host}:{self._port}"
        try:
            await stream.send(
                ws.send(Request(host=host, target=self._target, subprotocols=[self._subprotocol]))
            )
            while True:
                data = await stream.receive()
                ws.receive_data(data)
                for event in ws.events():
                    if isinstance(event, AcceptConnection):
                        if event.subprotocol != self._subprotocol:
                            raise TransportError(
                                f"server chose subprotocol {event.subprotocol!r}, "
                                f"not {self._subprotocol!r}"
                            )
                        self._stream, self._ws, self._closed = stream, ws, None
                        self._inbox.clear()
                        self._reset_message()
                        return
                    if isinstance(event, RejectConnection):
                        raise TransportError(f"WebSocket handshake rejected ({event.status_code})")
        except TransportError:
            await _close_quietly(stream)
            raise
        except _STREAM_ERRORS as exc:
            await _close_quietly(stream)
            raise TransportError(f"WebSocket handshake with {self.url} failed: {exc!r}") from exc

    async def send(self, out: Outgoing) -> None:
        await self._send_event(TextMessage(data=out.text))

    async def _send_event(self, event: TextMessage | CloseConnection | Ping) -> None:
        async with self._lock:
            stream, ws = self._stream, self._ws
            if stream is None or ws is None or self._closed is not None:
                raise ConnectionClosed(self._closed or "not connected")
            try:
                await stream.send(ws.send(event))
            except _STREAM_ERRORS as exc:
                self._closed = f"send failed: {exc!r}"
                raise ConnectionClosed(self._closed) from exc

    async def receive(self) -> Inbound:
        while True:
            if self._inbox:
                return self._inbox.popleft()
            stream, ws = self._stream, self._ws
            if stream is None or ws is None or self._closed is not None:
                raise ConnectionClosed(self._closed or "not connected")
            try:
                data = await stream.receive()
                ws.receive_data(data)
            except anyio.EndOfStream:
                self._closed = "connection closed by the server"
                continue
            except _STREAM_ERRORS as exc:
                self._closed = f"connection broken: {exc!r}"
                continue
            await self._handle_events(ws)

    async def _handle_events(self, ws: WSConnection) -> None:
        for event in ws.events():
            if isinstance(event, (TextMessage, BytesMessage)):
                self._size += len(event.data)
                if self._size > self.options.max_message_size:
                    self._reset_message()
                    await self._close_with(1009, "message too big")
                    self._closed = (
                        f"message over max_message_size ({self.options.max_message_size} bytes)"
                    )
                    return
                if isinstance(event, TextMessage):
                    self._parts.append(event.data)
                else:
                    self._bparts.append(bytes(event.data))
                if event.message_finished:
                    message: str | bytes = (
                        "".join(self._parts)
                        if isinstance(event, TextMessage)
                        else b"".join(self._bparts)
                    )
                    self._inbox.append(message)
                    self._reset_message()
            elif isinstance(event, Ping):
                try:
                    await self._send_event(event.response())  # type: ignore[arg-type]
                except ConnectionClosed:
                    return
            elif isinstance(event, CloseConnection):
                await self._close_with(event.code, "")
                self._closed = f"closed by the server (code {event.code})"
                return

    def _reset_message(self) -> None:
        self._parts.clear()
        self._bparts.clear()
        self._size = 0

    async def _close_with(self, code: int, reason: str) -> None:
        try:
            await self._send_event(CloseConnection(code=code, reason=reason))
        except (ConnectionClosed, WSLocalError):
            pass

    async def aclose(self) -> None:
        stream = self._stream
        if stream is None:
            return
        if self._closed is None:
            with anyio.move_on_after(1, shield=True):
                await self._close_with(1000, "")
        self._closed = "closed"
        self._stream = self._ws = None
        await _close_quietly(stream)


async def _close_quietly(stream: anyio.abc.ByteStream) -> None:
    with anyio.move_on_after(1, shield=True):
        try:
            await stream.aclose()
        except _STREAM_ERRORS:
            pass


register_transport(r"^wss?://", WebSocketTransport)
