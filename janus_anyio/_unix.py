"""Unix-socket transport (``unix:///path``) for Janus's pfunix transport.

pfunix uses ``SOCK_SEQPACKET``: one datagram is one JSON message, which anyio's stream
sockets do not offer; this transport waits on the raw socket with ``anyio.wait_readable``
and ``anyio.wait_writable`` (both backends).
"""

from __future__ import annotations

import socket
from urllib.parse import unquote, urlsplit

import anyio
import anyio.abc

from janus_proto import Outgoing

from ._errors import ConnectionClosed, NotSent, TransportError
from ._transport import Inbound, Transport, TransportOptions, register_transport

__all__ = ["UnixTransport"]

#: One byte to peek into: MSG_TRUNC makes the read return the datagram's whole size.
_PEEK_BUFFER = bytearray(1)
_PEEK_SIZE = socket.MSG_PEEK | socket.MSG_TRUNC


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = unquote((parts.netloc or "") + parts.path)
    if not path:
        raise ValueError(f"no socket path in URL {url!r} (use unix:///path/to/janus.sock)")
    return path


class UnixTransport(Transport):
    """Janus over its Unix-socket transport (SOCK_SEQPACKET).

    The Admin API has its own socket (``admin_path`` in Janus's pfunix configuration): pass
    its URL to ``connect_admin``.
    """

    def __init__(
        self,
        url: str,
        options: TransportOptions | None = None,
        *,
        sock: socket.socket | None = None,
    ) -> None:
        super().__init__(url, options)
        self.path = _path_of(url)
        self._given = sock
        self._sock: socket.socket | None = None
        self._lock = anyio.Lock()
        self._closed: str | None = "not connected"

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        await self.aclose()
        if self._given is not None:
            sock, self._given = self._given, None
        else:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            sock.setblocking(False)
            try:
                sock.connect(self.path)
            except BlockingIOError:
                await anyio.wait_writable(sock)
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    sock.close()
                    raise TransportError(f"cannot connect to {self.path}: errno {error}") from None
            except OSError as exc:
                sock.close()
                raise TransportError(f"cannot connect to {self.path}: {exc}") from exc
        sock.setblocking(False)
        self._sock, self._closed = sock, None

    async def send(self, out: Outgoing) -> None:
        data = out.text.encode()
        async with self._lock:
            sock = self._sock
            if sock is None or self._closed is not None:
                raise NotSent(self._closed or "not connected")
            while True:
                try:
                    sock.send(data)
                    return
                except BlockingIOError:
                    await anyio.wait_writable(sock)
                except OSError as exc:
                    # A SOCK_SEQPACKET send is all or nothing: a failed one wrote nothing.
                    self._closed = f"send failed: {exc}"
                    raise NotSent(self._closed) from exc

    async def receive(self) -> Inbound:
        while True:
            sock = self._sock
            if sock is None or self._closed is not None:
                raise ConnectionClosed(self._closed or "not connected")
            try:
                # The datagram's real size, without reading it (Linux >= 3.4): no buffer of
                # max_message_size is allocated per message, and an oversized one is
                # refused before it is read.
                size = sock.recv_into(_PEEK_BUFFER, 1, _PEEK_SIZE)
                if 0 < size <= self.options.max_message_size:
                    data = sock.recv(size)
                elif size:
                    sock.recv(1)  # a SOCK_SEQPACKET read drops the rest of the datagram
                    self._closed = (
                        f"message over max_message_size ({self.options.max_message_size})"
                    )
                    continue
                else:
                    data = b""
            except BlockingIOError:
                try:
                    await anyio.wait_readable(sock)
                except (anyio.ClosedResourceError, OSError):
                    self._closed = "socket closed"
                continue
            except OSError as exc:
                self._closed = f"connection broken: {exc}"
                continue
            if not data:
                self._closed = "connection closed by the server"
                continue
            return data

    async def aclose(self) -> None:
        sock, self._sock = self._sock, None
        self._closed = "closed"
        if sock is not None:
            anyio.notify_closing(sock)
            sock.close()


register_transport(r"^unix://", UnixTransport)
