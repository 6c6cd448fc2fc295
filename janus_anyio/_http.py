"""HTTP transport (``http://``, ``https://``): REST requests and long polls, with h11.

Requests go through a fixed pool of worker tasks, each owning one keep-alive connection
(no task per request); each session has one long-poll task on its own connection. Replies
and poll answers go to the client's ``deliver_inbound`` from the worker or poll task that
read them (or, without one, through a bounded stream to the client's reader); failures
always go through that stream. Requests are queued for the workers by ``send_nowait``, from
the task making the request, when there is room. When every worker is busy, the next free
one takes the requests waiting (up to :data:`_PIPELINE`) and pipelines them on its
connection: Janus (libmicrohttpd) answers them in order. The request
bytes are written here; simple responses (Janus's) are parsed by a fast path, anything else
by h11 (see :class:`_HTTPConnection`).

An HTTP exchange that fails (connection refused or reset, a non-JSON status on a POST, a
truncated or oversized body) surfaces as :class:`ConnectionClosed` from :meth:`receive`: the
client then treats the connection as lost, which fails the requests in flight with
``ConnectionLost`` and reconnects. A 404 (or 403) on a long poll becomes :class:`SessionGone`.
An exchange that is not complete within its deadline (a server trickling a never-ending
body) fails the same way, so no worker is held forever.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.abc
import h11
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from janus_proto import Outgoing

from ._base import _event_class
from ._errors import ConnectionClosed, NotSent, TransportError
from ._net import STREAM_ERRORS, StreamOpener, close_quietly, map_errors, open_tcp, parse_url
from ._transport import Inbound, SessionGone, Transport, TransportOptions, register_transport

__all__ = ["HTTPTransport"]

logger = logging.getLogger(__name__)

_Item = Inbound | ConnectionClosed

#: How long Janus holds a long poll before answering ``keepalive`` (seconds).
_POLL_HOLD = 30.0
#: At most this many requests written together on one connection (HTTP/1.1 pipelining:
#: Janus answers them in order), when that many wait for a worker.
_PIPELINE = 16


_T = TypeVar("_T")


async def _put(stream: MemoryObjectSendStream[_T], item: _T) -> None:
    """``stream.send(item)``, without its checkpoint (a loop iteration) when there is room."""
    try:
        stream.send_nowait(item)
    except anyio.WouldBlock:
        await stream.send(item)


#: Largest response head (status line and header lines), as h11's limit for incomplete
#: events.
_MAX_HEAD = 64 * 1024
_READ_SIZE = 65536
#: What h11 accepts as a request target (visible ASCII).
_TARGET = re.compile(r"[\x21-\x7e]+")
_TOKEN = rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
_VCHAR = rb"[\x21-\x7e\x80-\xff]"
#: A response head for the fast path, without its final blank line: HTTP/1.1, a final
#: status, header lines of a token, a colon and a plain value (a strict subset of h11's
#: grammar, which also takes other versions, 1xx, obs-fold and more).
_HEAD = re.compile(
    rb"HTTP/1\.1 ([2-5][0-9][0-9])(?: [ \t\x21-\x7e\x80-\xff]*)?\r\n"
    rb"((?:" + _TOKEN + rb":[ \t]*(?:" + _VCHAR + rb"+(?:[ \t]+" + _VCHAR + rb"+)*)?[ \t]*\r\n)*)"
)
_FIELD = re.compile(rb"(" + _TOKEN + rb"):[ \t]*([^\r]*?)[ \t]*\r\n")
#: A chunk header without extensions, and what may still become one.
_CHUNK = re.compile(rb"([0-9A-Fa-f]{1,8})\r\n")
_CHUNK_START = re.compile(rb"[0-9A-Fa-f]{0,8}\r?")
_CR = ord("\r")
#: Chunked bodies of more chunks go to h11 (Janus sends one or a few).
_MAX_CHUNKS = 64
#: Our request as h11 sees it when it parses a connection's responses (the bytes on the wire
#: are ours: h11 only needs the method and that the request is complete, to read the answer).
_H11_REQUEST = h11.Request(
    method="POST", target="/", headers=[("Host", "janus"), ("Content-Length", "0")]
)
_H11_END = h11.EndOfMessage()


def _parse_head(head: bytes) -> tuple[int, int, bool] | None:
    """``(status, length, keep_alive)`` from a response head (up to and including its blank
    line) that the fast path takes, else None; ``length`` is the ``Content-Length``, or -1
    for a chunked body (what Janus sends).

    None for anything h11 must judge: another HTTP version, an informational status, 204 or
    304, a line outside the plain grammar, neither one ``Content-Length`` nor one
    ``Transfer-Encoding: chunked`` (or both), a head over :data:`_MAX_HEAD`.
    """
    if len(head) > _MAX_HEAD:
        return None
    match = _HEAD.fullmatch(head, 0, len(head) - 2)
    if match is None:
        return None
    status = int(match[1])
    if status in (204, 304):
        return None
    length, chunked, keep = -1, False, True
    for name, value in _FIELD.findall(match[2]):
        name = name.lower()
        if name == b"content-length":
            if length >= 0 or chunked or not value.isdigit():
                return None
            length = int(value)
        elif name == b"transfer-encoding":
            if length >= 0 or chunked or value.lower() != b"chunked":
                return None
            chunked = True
        elif name == b"connection" and b"close" in [
            token.strip() for token in value.lower().split(b",")
        ]:
            keep = False
    if length < 0 and not chunked:
        return None
    return status, length, keep


def _dechunk(data: bytearray, pos: int, max_size: int) -> tuple[bytes, int] | bool:
    """``(body, end)`` for the chunked body that starts at ``pos`` in ``data`` (``end`` is
    where the next response starts); True when more bytes may complete it; False when h11
    must judge it (chunk extensions, trailers, a bad chunk footer, over ``max_size`` bytes,
    over :data:`_MAX_CHUNKS` chunks: each call walks the body from its start).
    """
    spans: list[tuple[int, int]] = []
    size, end = 0, len(data)
    while True:
        if len(spans) > _MAX_CHUNKS:
            return False
        match = _CHUNK.match(data, pos)
        if match is None:
            return _CHUNK_START.fullmatch(data, pos) is not None
        count = int(match[1], 16)
        pos = match.end()
        if count == 0:
            if end - pos < 2:
                return pos == end or data[pos] == _CR
            if data[pos : pos + 2] != b"\r\n":
                return False
            if len(spans) == 1:
                return bytes(data[spans[0][0] : spans[0][1]]), pos + 2
            return b"".join(data[a:b] for a, b in spans), pos + 2
        size += count
        if size > max_size:
            return False
        if end - pos < count + 2:
            return end <= pos + count or data[pos + count] == _CR
        if data[pos + count : pos + count + 2] != b"\r\n":
            return False
        spans.append((pos, pos + count))
        pos += count + 2


class _Stale(ConnectionError):
    """The connection closed before any byte of the answer. On a connection that was idle
    before the request, the server dropped it meanwhile: the request is sent again once, on
    a new connection (never after part of an answer came)."""


class _TooSlow(ConnectionError):
    """The answer was not complete within its deadline."""


class _Failed(Exception):
    """A worker failed the transport (the reader was told): it stops."""


class _Queue:
    """The requests waiting for a pool's workers: bounded, first in first out.

    What anyio's memory object stream does for this, without its checkpoint before a wait
    (a loop iteration per request when workers are idle, the usual case): a worker takes a
    request with :meth:`get_nowait` or waits in :meth:`get`, woken by :meth:`put_nowait`.
    Closed by :meth:`close`, or when its last worker is gone (:meth:`worker_gone`): puts then
    raise ``ClosedResourceError``, and gets ``EndOfStream`` once it is empty.
    """

    __slots__ = ("_items", "_new_event", "_room", "_size", "_takers", "_workers", "closed")

    def __init__(
        self, size: int, workers: int, new_event: Callable[[], anyio.Event] = anyio.Event
    ) -> None:
        self._new_event = new_event  # (the backend's Event class, from inside the loop)
        self._items: deque[Outgoing] = deque()
        self._size = size
        self._takers: deque[anyio.Event] = deque()  # workers waiting for a request
        self._room: anyio.Event | None = None  # a put waiting for room
        self._workers = workers
        self.closed = False

    def put_nowait(self, out: Outgoing) -> None:
        """Raises: anyio.WouldBlock: full. anyio.ClosedResourceError: closed."""
        if self.closed:
            raise anyio.ClosedResourceError
        if len(self._items) >= self._size:
            raise anyio.WouldBlock
        self._items.append(out)
        if self._takers:
            self._takers.popleft().set()

    async def put(self, out: Outgoing) -> None:
        """:meth:`put_nowait`, waiting for room."""
        while True:
            try:
                self.put_nowait(out)
                return
            except anyio.WouldBlock:
                if self._room is None:
                    self._room = self._new_event()
                await self._room.wait()

    def get_nowait(self) -> Outgoing:
        """Raises: anyio.WouldBlock: empty. anyio.EndOfStream: empty and closed."""
        if self._items:
            out = self._items.popleft()
            room, self._room = self._room, None
            if room is not None:
                room.set()
            return out
        if self.closed:
            raise anyio.EndOfStream
        raise anyio.WouldBlock

    async def get(self) -> Outgoing:
        """:meth:`get_nowait`, waiting for a request."""
        while True:
            try:
                return self.get_nowait()
            except anyio.WouldBlock:
                taker = self._new_event()
                self._takers.append(taker)
                try:
                    await taker.wait()
                except BaseException:  # cancelled: pass a wake-up on to another worker
                    if taker in self._takers:
                        self._takers.remove(taker)
                    elif self._items and self._takers:
                        self._takers.popleft().set()
                    raise

    def worker_gone(self) -> None:
        self._workers -= 1
        if self._workers <= 0:
            self.close()

    def close(self) -> None:
        self.closed = True
        while self._takers:
            self._takers.popleft().set()
        if self._room is not None:
            self._room.set()
            self._room = None


class _Idle:
    """How many of a pool's workers hold no request (shared by the pool's workers)."""

    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count


class _HTTPConnection:
    """One HTTP/1.1 client connection, reused while both sides keep it alive; requests may
    be pipelined (written together, answered in order).

    The request bytes are written here (the headers are fixed: only the target and the
    body's length change). Responses go through a fast path while they are simple: HTTP/1.1,
    a final status, plain header lines, one ``Content-Length`` or a plain chunked body
    (:func:`_parse_head`, :func:`_dechunk`: what they take is a strict subset of what h11
    takes). The first response that is anything else goes to h11 from its first byte, and
    h11 then parses every later response on this connection, so its checks and errors apply
    as before. Bytes after a response are kept as the start of the next one (as h11 does).
    """

    def __init__(self, stream: anyio.abc.ByteStream, host: str, max_size: int) -> None:
        self.stream = stream
        self.max_size = max_size
        self.used = False
        #: Set once a response left the fast path; then h11 parses the rest.
        self._h11: h11.Connection | None = None
        #: Received, not yet parsed (fast path).
        self._buffer = bytearray()
        self._keep = False
        fixed = (
            f" HTTP/1.1\r\nHost: {host}\r\nUser-Agent: janus-client\r\n"
            "Accept: application/json\r\nConnection: keep-alive\r\n"
        ).encode("ascii")
        self._get_tail = fixed + b"\r\n"
        self._post_tail = fixed + b"Content-Type: application/json\r\nContent-Length: "

    def encode(self, method: str, target: str, body: bytes | None) -> bytes:
        """One request's bytes (a GET when ``body`` is None).

        Raises:
            ConnectionError: ``target`` is not visible ASCII (h11 refuses it too).
        """
        if _TARGET.fullmatch(target) is None:
            raise ConnectionError(f"illegal request target {target!r}")
        start = method.encode("ascii") + b" " + target.encode("ascii")
        if body is None:
            return start + self._get_tail
        return b"%s%s%d\r\n\r\n%s" % (start, self._post_tail, len(body), body)

    async def request(
        self, method: str, target: str, body: bytes | None, timeout: float
    ) -> tuple[int, bytes]:
        """Send one request, return ``(status, body)``; the whole exchange within ``timeout``
        seconds.

        Raises:
            _TooSlow: no complete answer within ``timeout``.
            _Stale: the connection closed before any byte of the answer.
            ConnectionError: the connection failed, or closed before a full response, or the
                answer is over ``max_size`` or is not HTTP.
        """
        data = self.encode(method, target, body)
        try:
            with anyio.fail_after(timeout):
                await self.write(data)
                return await self.read()
        except TimeoutError:
            raise _TooSlow(f"no complete answer within {timeout} s") from None

    async def write(self, data: bytes) -> None:
        """Write one or more encoded requests.

        Raises:
            _Stale: the connection failed (nothing of an answer came).
        """
        try:
            await self.stream.send(data)
        except STREAM_ERRORS as exc:
            raise _Stale(f"{exc!r}") from exc
        self.used = True

    async def read(self) -> tuple[int, bytes]:
        """The next response, ``(status, body)``; then :attr:`reusable` tells whether the
        connection stays open (call :meth:`next_cycle` before reading another response).

        Raises:
            _Stale: the connection closed before any byte of this answer came.
            ConnectionError: it failed or closed mid-answer, or the answer is over
                ``max_size`` or is not HTTP.
        """
        answered = False  # whether bytes of this answer came from the stream
        self._keep = False
        try:
            conn = self._h11
            if conn is None:
                buf = self._buffer
                head_end, status, length, keep, searched = -1, 0, 0, False, 0
                raw = b"-"
                while True:
                    if head_end < 0:
                        head_end = buf.find(b"\r\n\r\n", searched)
                        if head_end >= 0:
                            head_end += 4
                            parsed = _parse_head(bytes(buf[:head_end]))
                            if parsed is None or parsed[1] > self.max_size:
                                break
                            status, length, keep = parsed
                        elif len(buf) > _MAX_HEAD:
                            break
                    if head_end >= 0:
                        if length < 0:
                            done = _dechunk(buf, head_end, self.max_size)
                            if done is False:
                                break
                            if done is not True:
                                body, end = done
                                del buf[:end]
                                self._keep = keep
                                return status, body
                        elif len(buf) - head_end >= length:
                            end = head_end + length
                            body = bytes(buf[head_end:end])
                            del buf[:end]
                            self._keep = keep
                            return status, body
                    searched = max(0, len(buf) - 3)
                    try:
                        raw = await self.stream.receive(_READ_SIZE)
                    except anyio.EndOfStream:
                        raw = b""
                    if not raw:
                        break
                    answered = True
                    buf += raw
                # Not for the fast path: h11 takes it from its first byte, and from now on.
                conn = self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)
                conn.send(_H11_REQUEST)
                conn.send(_H11_END)
                if buf:
                    conn.receive_data(bytes(buf))
                    buf.clear()
                if not raw:  # the end of the stream
                    conn.receive_data(b"")
            else:
                conn.send(_H11_REQUEST)
                conn.send(_H11_END)
            status, chunks, size = 0, [], 0
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    try:
                        raw = await self.stream.receive(_READ_SIZE)
                    except anyio.EndOfStream:
                        raw = b""
                    answered = answered or bool(raw)
                    conn.receive_data(raw)
                    continue
                if isinstance(event, h11.Response):
                    status = event.status_code
                elif isinstance(event, h11.Data):
                    size += len(event.data)
                    if size > self.max_size:
                        raise ConnectionError(f"response over {self.max_size} bytes")
                    chunks.append(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    if not answered:
                        raise _Stale("closed before the response")
                    raise ConnectionError("closed before the response")
        except h11.ProtocolError as exc:
            if not answered:  # h11's word for a connection closed before any answer
                raise _Stale(f"HTTP protocol error: {exc}") from exc
            raise ConnectionError(f"HTTP protocol error: {exc}") from exc
        except STREAM_ERRORS as exc:
            if not answered:
                raise _Stale(f"{exc!r}") from exc
            raise ConnectionError(f"{exc!r}") from exc
        return status, b"".join(chunks)

    @property
    def reusable(self) -> bool:
        """Whether the last response left the connection open for the next one."""
        conn = self._h11
        if conn is None:
            return self._keep
        return conn.our_state is h11.DONE and conn.their_state is h11.DONE

    def next_cycle(self) -> None:
        """Ready a reusable connection for its next response."""
        if self._h11 is not None:
            self._h11.start_next_cycle()

    async def aclose(self) -> None:
        await close_quietly(self.stream)


class HTTPTransport(Transport):
    """Janus over HTTP: ``POST base[/S[/H]]`` for requests, ``GET base/S`` long polls.

    ``opener`` replaces the TCP/TLS connection (tests pass in-memory streams); it is called
    once per HTTP connection. ``response_timeout`` bounds each POST exchange, in seconds,
    from the request's write to the end of its answer, pipelined or not (Janus itself gives
    up on a POST after about 10 s); a long poll gets Janus's 30 s hold on top. An exchange
    over its deadline fails the transport like a broken connection.
    """

    needs_keepalive = False

    def __init__(
        self,
        url: str,
        options: TransportOptions | None = None,
        *,
        opener: StreamOpener | None = None,
        response_timeout: float = 30.0,
    ) -> None:
        super().__init__(url, options)
        if isinstance(response_timeout, bool) or not isinstance(response_timeout, (int, float)):
            raise TypeError(
                f"response_timeout must be a number, got {type(response_timeout).__name__}"
            )
        if not response_timeout > 0:
            raise ValueError(f"response_timeout must be positive, got {response_timeout!r}")
        self.response_timeout = float(response_timeout)
        self._endpoint = parse_url(url, ("http", "https"))
        self._base = self._endpoint.target.split("?", 1)[0].rstrip("/")
        self._opener = opener
        self._scope: anyio.CancelScope | None = None
        self._tg: anyio.abc.TaskGroup | None = None
        self._requests: _Queue | None = None
        self._inbound_send: MemoryObjectSendStream[_Item] | None = None
        self._inbound: MemoryObjectReceiveStream[_Item] | None = None
        self._polls: dict[int, anyio.CancelScope] = {}
        #: HTTP connections opened so far (for tests and diagnostics).
        self.connections_opened = 0

    async def _new_connection(self) -> _HTTPConnection:
        if self._opener is not None:
            with map_errors(TransportError, f"cannot connect to {self.url}"):
                stream = await self._opener()
        else:
            stream = await open_tcp(self._endpoint, self.options)
        self.connections_opened += 1
        return _HTTPConnection(stream, self._endpoint.authority, self.options.max_message_size)

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        await self.aclose()
        first = await self._new_connection()  # fail fast when the server is unreachable
        size = max(1, self.options.http_pool_size)
        # Room for a full batch per worker: requests wait here while every worker is busy.
        requests = _Queue(size * _PIPELINE, size, _event_class())
        inbound_send, inbound = anyio.create_memory_object_stream[_Item](1024)
        self._requests, self._inbound_send, self._inbound = requests, inbound_send, inbound
        self._scope = anyio.CancelScope()
        await task_group.start(self._run, self._scope, requests, inbound_send, first, size)

    async def _run(
        self,
        scope: anyio.CancelScope,
        requests: _Queue,
        inbound: MemoryObjectSendStream[_Item],
        first: _HTTPConnection,
        size: int,
        *,
        task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        idle = _Idle(size)
        try:
            with scope:
                async with anyio.create_task_group() as tg:
                    self._tg = tg
                    for i in range(size):
                        tg.start_soon(
                            self._worker, requests, inbound, first if i == 0 else None, idle
                        )
                    task_status.started()
        finally:
            requests.close()
        await first.aclose()

    async def _worker(
        self,
        requests: _Queue,
        inbound: MemoryObjectSendStream[_Item],
        conn: _HTTPConnection | None,
        idle: _Idle,
    ) -> None:
        try:
            await self._serve(requests, inbound, conn, idle)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass
        finally:
            requests.worker_gone()

    async def _serve(
        self,
        requests: _Queue,
        inbound: MemoryObjectSendStream[_Item],
        conn: _HTTPConnection | None,
        idle: _Idle,
    ) -> None:
        """Take a request; when no other worker is idle, take the requests waiting too (up
        to :data:`_PIPELINE` in all); write them together on this worker's connection and
        deliver the answers in order; again.

        Each answer must be complete within ``response_timeout`` of the write. A batch is
        written again, once and on a new connection, only when nothing of its first answer
        came on a connection that was idle before (the server dropped it). Requests after an
        answer that closes the connection (``Connection: close``: the server processes
        nothing more on it) are written again on a new connection. Any other failure fails
        the transport.
        """
        try:
            while True:
                try:
                    batch = [await requests.get()]
                except anyio.EndOfStream:
                    return
                idle.count -= 1
                try:
                    while idle.count <= 0 and len(batch) < _PIPELINE:
                        try:
                            batch.append(requests.get_nowait())
                        except (anyio.WouldBlock, anyio.EndOfStream):
                            break
                    conn, taken = None, conn
                    conn = await self._exchange(batch, inbound, taken)
                except _Failed:
                    return
                finally:
                    idle.count += 1
        finally:
            if conn is not None:
                await conn.aclose()

    async def _exchange(
        self,
        batch: list[Outgoing],
        inbound: MemoryObjectSendStream[_Item],
        conn: _HTTPConnection | None,
    ) -> _HTTPConnection | None:
        """Write ``batch`` on ``conn`` (None: a new connection) and deliver its answers (the
        rules are in :meth:`_serve`); return the connection to use next, or None.

        Raises:
            _Failed: the transport failed (the reader was told); ``conn`` is closed.
        """
        retried = False
        try:
            while batch:
                fresh = conn is None
                done = 0
                try:
                    if conn is None:
                        conn = await self._new_connection()
                    data = b"".join(
                        conn.encode("POST", self._base + out.path, out.text.encode())
                        for out in batch
                    )
                    deadline = anyio.current_time() + self.response_timeout
                    try:
                        with anyio.fail_after(self.response_timeout):
                            await conn.write(data)
                            status, body = await conn.read()
                        while True:
                            done += 1
                            reusable = conn.reusable
                            if reusable:
                                conn.next_cycle()
                            if status != 200:
                                await self._fail(inbound, f"POST answered HTTP {status}")
                                raise _Failed
                            await self._hand(inbound, body)
                            if done == len(batch) or not reusable:
                                break
                            with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                                status, body = await conn.read()
                    except TimeoutError:
                        raise _TooSlow(
                            f"no complete answer within {self.response_timeout} s"
                        ) from None
                except (ConnectionError, TransportError) as exc:
                    if conn is not None:
                        broken, conn = conn, None
                        await broken.aclose()
                    if isinstance(exc, _Stale) and not done and not fresh and not retried:
                        retried = True
                        continue  # the server dropped the idle connection: once more
                    await self._fail(inbound, f"POST failed: {exc}")
                    raise _Failed from None
                if not reusable:
                    closed, conn = conn, None
                    await closed.aclose()
                batch = batch[done:]  # what the server will not process on that connection
        except BaseException:
            if conn is not None:
                await conn.aclose()
            raise
        return conn

    async def _hand(self, inbound: MemoryObjectSendStream[_Item], item: Inbound) -> None:
        """Give ``item`` to the client: to its ``deliver_inbound`` at once (only while
        ``inbound`` is the current connection's: nothing from an earlier one), else through
        ``inbound``."""
        deliver = self.deliver_inbound
        if deliver is None:
            await _put(inbound, item)
        elif inbound is self._inbound_send:
            deliver(item)
        else:
            logger.debug("answer of a closed connection, dropped")

    async def _fail(self, inbound: MemoryObjectSendStream[_Item], reason: str) -> None:
        logger.debug("HTTP transport failed: %s", reason)
        try:
            inbound.send_nowait(ConnectionClosed(reason))
        except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass

    async def send(self, out: Outgoing) -> None:
        """Queue ``out`` for a worker (the POST's answer arrives through :meth:`receive`).

        Raises:
            NotSent: not connected, or the transport closed before a worker took it.
        """
        if self._requests is None:
            raise NotSent("not connected")
        try:
            await self._requests.put(out)
        except anyio.ClosedResourceError as exc:
            raise NotSent("transport closed") from exc

    def send_nowait(self, out: Outgoing) -> None:
        """Queue ``out`` for a worker if there is room.

        Raises:
            anyio.WouldBlock: the queue is full.
            NotSent: not connected, or the transport is closed.
        """
        if self._requests is None:
            raise NotSent("not connected")
        try:
            self._requests.put_nowait(out)
        except anyio.ClosedResourceError as exc:
            raise NotSent("transport closed") from exc

    async def receive(self) -> Inbound:
        if self._inbound is None:
            raise ConnectionClosed("not connected")
        try:
            try:  # no checkpoint (a loop iteration) when an answer is there already
                item = self._inbound.receive_nowait()
            except anyio.WouldBlock:
                item = await self._inbound.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError) as exc:
            raise ConnectionClosed("transport closed") from exc
        if isinstance(item, ConnectionClosed):
            raise item
        return item

    def session_added(self, session_id: int, poll_path: str) -> None:
        tg, inbound = self._tg, self._inbound_send
        if tg is None or inbound is None or session_id in self._polls:
            return
        scope = self._polls[session_id] = anyio.CancelScope()
        tg.start_soon(self._poll, session_id, poll_path, scope, inbound)

    def session_removed(self, session_id: int) -> None:
        scope = self._polls.pop(session_id, None)
        if scope is not None:
            scope.cancel()

    async def _poll(
        self,
        session_id: int,
        poll_path: str,
        scope: anyio.CancelScope,
        inbound: MemoryObjectSendStream[_Item],
    ) -> None:
        conn: _HTTPConnection | None = None
        with scope:
            try:
                while True:
                    try:
                        if conn is None:
                            conn = await self._new_connection()
                        status, body = await conn.request(
                            "GET", self._base + poll_path, None, _POLL_HOLD + self.response_timeout
                        )
                    except (ConnectionError, TransportError) as exc:
                        # Never retried in silence: Janus may have handed events to the
                        # broken poll. The client reconnects and claims the session.
                        await self._fail(inbound, f"long poll failed: {exc}")
                        return
                    if conn.reusable:
                        conn.next_cycle()
                    else:
                        await conn.aclose()
                        conn = None
                    if status in (403, 404):
                        await self._hand(inbound, SessionGone(session_id))
                        return
                    if status != 200:
                        await self._fail(inbound, f"long poll answered HTTP {status}")
                        return
                    await self._hand(inbound, body)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                pass
            finally:
                if self._polls.get(session_id) is scope:
                    del self._polls[session_id]
                if conn is not None:
                    await conn.aclose()

    async def aclose(self) -> None:
        for scope in self._polls.values():
            scope.cancel()
        self._polls.clear()
        if self._scope is not None:
            self._scope.cancel()
            self._scope = None
        self._tg = None
        if self._requests is not None:
            self._requests.close()
        for stream in (self._inbound_send, self._inbound):
            if stream is not None:
                stream.close()
        self._requests = self._inbound_send = None
        self._inbound = None


register_transport(r"^https?://", HTTPTransport)
