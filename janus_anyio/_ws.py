"""WebSocket transport (``ws://``, ``wss://``): wsproto over an anyio byte stream.

No background task: the client's reader loop calls :meth:`WebSocketTransport.receive`,
which also answers pings and the server's close frame.

The common frames take a fast path that leaves wsproto out: every text message we send
(one final, masked frame) and every complete, final, unmasked text frame of valid UTF-8
Janus sends outside a fragmented message. Everything else (control frames, fragments,
binary frames, reserved bits or opcodes, bad UTF-8, frames over the size cap) goes to
wsproto, always as whole frames, so its parser stays on frame boundaries and its checks and
close codes apply as before. (wsproto's framing costs about 7 µs per message sent and 10 µs
per message received here; the fast path 1.5 µs and under 1 µs.)
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Sequence

import anyio
import anyio.abc
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Event,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError as WSLocalError
from wsproto.utilities import RemoteProtocolError as WSRemoteError

from janus_proto import Outgoing

from ._errors import ConnectionClosed, NotSent, TransportError
from ._net import StreamOpener, close_quietly, map_errors, open_tcp, parse_url
from ._redact import redact
from ._transport import Inbound, Transport, TransportOptions, register_transport

__all__ = ["WebSocketTransport"]

logger = logging.getLogger(__name__)

#: Bytes read from the stream at a time.
_READ_SIZE = 65536
#: Close code for a message over ``max_message_size`` (RFC 6455 "message too big").
_TOO_BIG = 1009
#: First header byte of a final text frame without reserved bits (the fast path's frame).
_FINAL_TEXT = 0x81
_END_OF_HEAD = b"\r\n\r\n"


def _text_frame(text: str) -> bytes:
    """One final, masked client text frame carrying ``text`` (RFC 6455, 5.2 and 5.3)."""
    payload = text.encode("utf-8")
    n = len(payload)
    if n < 126:
        head = bytes((_FINAL_TEXT, 0x80 | n))
    elif n < 65536:
        head = bytes((_FINAL_TEXT, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((_FINAL_TEXT, 0x80 | 127)) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    if not n:
        return head + mask
    keys = int.from_bytes((mask * (n // 4 + 1))[:n], "little")
    return head + mask + (int.from_bytes(payload, "little") ^ keys).to_bytes(n, "little")


class WebSocketTransport(Transport):
    """Janus over WebSocket, subprotocol ``janus-protocol`` (``janus-admin-protocol`` with
    ``options.admin``).

    Args:
        url: ``ws://host:port[/path]`` or ``wss://...`` (TLS verified by default).
        options: shared transport options.
        opener: opens the byte stream instead of TCP/TLS (tests pass in-memory streams);
            it is awaited within ``options.connect_timeout``.

    :meth:`receive` returns each complete message (fragments reassembled): ``str`` for
    text, ``bytes`` for binary. It raises :class:`ConnectionClosed` once the server closed
    (close frame or end of stream), the stream broke, a message went over
    ``options.max_message_size`` (counted in characters for text; the transport then sends
    close code 1009), or :meth:`aclose` was called; and again on every later call until
    :meth:`connect` succeeds. Messages received before the end are delivered first.
    """

    batches_writes = True

    def __init__(
        self,
        url: str,
        options: TransportOptions | None = None,
        *,
        opener: StreamOpener | None = None,
    ) -> None:
        super().__init__(url, options)
        self._endpoint = parse_url(url, ("ws", "wss"))
        self._opener = opener
        #: The subprotocol asked for (and required) in the handshake.
        self.subprotocol = "janus-admin-protocol" if self.options.admin else "janus-protocol"
        self._stream: anyio.abc.ByteStream | None = None
        self._ws: WSConnection | None = None
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._messages: deque[str | bytes] = deque()
        self._text: list[str] = []
        self._binary: list[bytes] = []
        self._size = 0
        self._closed: str | None = "not connected"
        # Received bytes not yet parsed (always starting at a frame boundary), whether
        # wsproto holds an unfinished fragmented message (then every frame goes to it), and
        # whether wsproto was handed the rest of the stream for good (a frame over the cap).
        self._buf = bytearray()
        self._unparsed = b""  # frames that came with the handshake's answer
        self._fragmented = False
        self._wsproto_only = False
        # Whether wsproto may hold events not yet handled (its handshake's leftovers, or an
        # interrupted _process): receive() asks it only then.
        self._wsproto_events = True

    async def open_stream(self) -> anyio.abc.ByteStream:
        """The byte stream to speak over: the opener's, else TCP (TLS for ``wss``)."""
        if self._opener is not None:
            with map_errors(TransportError, f"cannot connect to {self.url}"):
                return await self._opener()
        return await open_tcp(self._endpoint, self.options)

    # -- connect -------------------------------------------------------------------------

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        """Open the stream and do the handshake, within ``options.connect_timeout``.

        Raises:
            TransportError: unreachable, TLS failure, handshake rejected, the server did
                not accept the subprotocol, or timed out.
        """
        await self.aclose()
        try:
            with anyio.fail_after(self.options.connect_timeout):
                stream = await self.open_stream()
                try:
                    ws, leftover = await self._handshake(stream)
                except BaseException:
                    await close_quietly(stream)
                    raise
        except TimeoutError:
            raise TransportError(f"WebSocket connect to {self.url}: timed out") from None
        self._messages.clear()
        self._reset_message()
        self._buf = bytearray()
        self._unparsed = leftover  # parsed by the first receive()
        self._fragmented = self._wsproto_only = False
        self._wsproto_events = True
        self._stream, self._ws, self._closed = stream, ws, None
        logger.debug("connected to %s (%s)", self.url, self.subprotocol)

    async def _handshake(self, stream: anyio.abc.ByteStream) -> tuple[WSConnection, bytes]:
        """wsproto's handshake; returns it with the bytes that came after the response
        (frames already: they are parsed like any later bytes)."""
        ws = WSConnection(ConnectionType.CLIENT)
        head = bytearray()
        leftover = b""
        past_head = False
        request = Request(
            host=self._endpoint.authority,
            target=self._endpoint.target,
            subprotocols=[self.subprotocol],
        )
        what = f"WebSocket handshake with {self.url}"
        try:
            with map_errors(TransportError, what):
                await stream.send(ws.send(request))
                while True:
                    for event in ws.events():
                        if isinstance(event, AcceptConnection):
                            if event.subprotocol != self.subprotocol:
                                raise TransportError(
                                    f"{what}: the server did not accept subprotocol "
                                    f"{self.subprotocol!r} (got {event.subprotocol!r})"
                                )
                            return ws, leftover
                        if isinstance(event, RejectConnection):
                            raise TransportError(f"{what}: rejected with HTTP {event.status_code}")
                    data = await stream.receive(_READ_SIZE)
                    if past_head:  # (only if wsproto wanted more than a head: not a 101)
                        ws.receive_data(leftover + data)
                        leftover = b""
                        continue
                    seen = len(head)
                    head += data
                    end = head.find(_END_OF_HEAD, max(0, seen - 3))
                    if end < 0:
                        ws.receive_data(data)
                    else:  # a 101 has no body: what follows its head is frames
                        end += len(_END_OF_HEAD)
                        ws.receive_data(bytes(head[seen:end]))
                        leftover = bytes(head[end:])
                        past_head = True
        except (WSLocalError, WSRemoteError) as exc:
            raise TransportError(f"{what}: {exc}") from exc

    # -- send ----------------------------------------------------------------------------

    async def send(self, out: Outgoing) -> None:
        """Send ``out.text`` as one text message.

        Raises:
            NotSent: not connected, or closed before anything was written.
            ConnectionClosed: the stream broke while sending.
        """
        await self.send_many((out,))

    async def send_many(self, outs: Sequence[Outgoing]) -> None:
        """Send each of ``outs`` as one text message, all in one write to the stream.

        All or nothing as far as :class:`NotSent` goes: it means none was written.

        Raises:
            NotSent: not connected, or closed before anything was written.
            ConnectionClosed: the stream broke while sending.
        """
        if logger.isEnabledFor(logging.DEBUG):
            for out in outs:
                logger.debug("send %s", redact(out.text))
        await self._send_frames(outs, ())

    async def _send_event(self, event: Event) -> None:
        await self._send_frames((), (event,))

    async def _send_frames(self, outs: Sequence[Outgoing], events: Sequence[Event]) -> None:
        """Write our text frames for ``outs`` (the fast path), or wsproto's ``events``."""
        async with self._send_lock:  # frames are written whole before the next ones start
            stream, ws = self._stream, self._ws
            if stream is None or ws is None or self._closed is not None:
                raise NotSent(self._closed or "not connected")
            try:
                if outs:
                    if ws.state is not ConnectionState.OPEN:  # as wsproto refuses them
                        raise WSLocalError(f"messages cannot be sent in state {ws.state!r}")
                    data = b"".join([_text_frame(out.text) for out in outs])
                else:
                    data = b"".join([ws.send(event) for event in events])
            except WSLocalError as exc:
                raise NotSent(f"WebSocket closing: {exc}") from exc
            sent = False
            try:
                with map_errors(ConnectionClosed, "WebSocket send failed"):
                    await stream.send(data)
                sent = True
            except ConnectionClosed as exc:
                await self._lost(stream, str(exc))
                raise
            finally:
                if not sent:  # cancelled mid-frame: the stream can't be trusted any more
                    await self._lost(stream, "WebSocket send interrupted")

    # -- receive -------------------------------------------------------------------------

    async def receive(self) -> Inbound:
        """The next complete message from Janus.

        Raises:
            ConnectionClosed: see the class docstring.
        """
        while True:
            if self._messages:
                message = self._messages.popleft()
                if logger.isEnabledFor(logging.DEBUG):
                    text = (
                        message if isinstance(message, str) else message.decode("utf-8", "replace")
                    )
                    logger.debug("recv %s", redact(text))
                return message
            stream, ws = self._stream, self._ws
            if stream is None or ws is None or self._closed is not None:
                raise ConnectionClosed(self._closed or "not connected")
            if self._wsproto_events:  # frames that arrived with earlier data
                await self._process(stream, ws)
                if self._messages or self._closed is not None:
                    continue
            if self._unparsed:
                data, self._unparsed = self._unparsed, b""
                await self._feed(stream, ws, data)
                continue
            try:
                with map_errors(ConnectionClosed, "WebSocket connection broken"):
                    data = await stream.receive(_READ_SIZE)
            except ConnectionClosed as exc:
                await self._lost(stream, str(exc))
                continue
            await self._feed(stream, ws, data)

    async def _feed(self, stream: anyio.abc.ByteStream, ws: WSConnection, data: bytes) -> None:
        """Parse the whole frames received so far: the fast path's own, the others through
        wsproto (each whole, in order, its events handled before the next frame)."""
        if self._wsproto_only:
            await self._to_wsproto(stream, ws, data)
            return
        buf = self._buf
        buf += data
        end = len(buf)
        pos = 0
        limit = self.options.max_message_size
        while end - pos >= 2:
            first, second = buf[pos], buf[pos + 1]
            size = second & 0x7F
            start = pos + 2
            if size == 126:
                if end - pos < 4:
                    break
                size = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                start = pos + 4
            elif size == 127:
                if end - pos < 10:
                    break
                size = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                start = pos + 10
            if second & 0x80:
                start += 4  # a masked frame (wsproto refuses it from a server)
            if size > limit:  # maybe too big: wsproto counts (characters) and closes as before
                self._wsproto_only = True
                rest = bytes(buf[pos:])
                buf.clear()
                await self._to_wsproto(stream, ws, rest)
                return
            stop = start + size
            if stop > end:
                break
            text: str | None = None
            if first == _FINAL_TEXT and not self._fragmented and not second & 0x80:
                try:
                    text = buf[start:stop].decode("utf-8")
                except UnicodeDecodeError:
                    text = None  # wsproto fails the connection with its close code
            if text is not None and len(text) <= limit:
                self._messages.append(text)
            else:
                opcode = first & 0x0F
                if opcode in (0x1, 0x2) and not first & 0x80:
                    self._fragmented = True
                elif opcode == 0x0 and first & 0x80:
                    self._fragmented = False
                await self._to_wsproto(stream, ws, bytes(buf[pos:stop]))
                if self._stream is not stream or self._closed is not None:
                    buf.clear()
                    return
            pos = stop
        del buf[:pos]

    async def _to_wsproto(
        self, stream: anyio.abc.ByteStream, ws: WSConnection, data: bytes
    ) -> None:
        try:
            ws.receive_data(data)
        except (WSLocalError, WSRemoteError) as exc:  # pragma: no cover - closed state
            await self._lost(stream, f"WebSocket protocol error: {exc}")
            return
        await self._process(stream, ws)

    async def _process(self, stream: anyio.abc.ByteStream, ws: WSConnection) -> None:
        self._wsproto_events = True  # until every event is handled
        for event in ws.events():
            if isinstance(event, (TextMessage, BytesMessage)):
                self._size += len(event.data)
                if self._size > self.options.max_message_size:
                    self._reset_message()
                    await self._close_with(_TOO_BIG, "message too big")
                    await self._lost(
                        stream,
                        f"message over max_message_size ({self.options.max_message_size})",
                    )
                    return
                if isinstance(event, TextMessage):
                    self._text.append(event.data)
                else:
                    self._binary.append(bytes(event.data))
                if event.message_finished:
                    whole: str | bytes
                    if isinstance(event, TextMessage):
                        whole = "".join(self._text)
                    else:
                        whole = b"".join(self._binary)
                    self._messages.append(whole)
                    self._reset_message()
            elif isinstance(event, Ping):
                try:
                    await self._send_event(event.response())
                except ConnectionClosed:
                    return
            elif isinstance(event, CloseConnection):
                try:
                    await self._send_event(event.response())
                except ConnectionClosed:
                    pass
                reason = f" {event.reason}" if event.reason else ""
                await self._lost(stream, f"closed by the server ({event.code}{reason})")
                return
        self._wsproto_events = False

    def _reset_message(self) -> None:
        self._text.clear()
        self._binary.clear()
        self._size = 0

    async def _close_with(self, code: int, reason: str) -> None:
        with anyio.move_on_after(1, shield=True):
            try:
                await self._send_event(CloseConnection(code=code, reason=reason))
            except ConnectionClosed:
                pass

    async def _lost(self, stream: anyio.abc.ByteStream, reason: str) -> None:
        """The connection on ``stream`` is over (if it is still the current one)."""
        if self._stream is not stream:
            return
        if self._closed is None:
            self._closed = reason
            logger.debug("connection to %s lost: %s", self.url, reason)
        self._stream = self._ws = None
        await close_quietly(stream)

    # -- close ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Send a close frame (within 1 s, shielded) and close the stream. Idempotent."""
        stream = self._stream
        if stream is None:
            return
        if self._closed is None:
            await self._close_with(1000, "")
        if self._stream is stream:
            self._closed = "transport closed"
            self._stream = self._ws = None
            await close_quietly(stream)


register_transport(r"^wss?://", WebSocketTransport)
