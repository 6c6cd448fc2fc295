"""HTTP transport (``http://``, ``https://``): REST requests and long polls, with h11.

Requests go through a fixed pool of worker tasks, each owning one keep-alive connection
(no task per request); each session has one long-poll task on its own connection. Replies
and poll answers reach the client's reader through one bounded stream.

An HTTP exchange that fails (connection refused or reset, a non-JSON status on a POST, a
truncated or oversized body) surfaces as :class:`ConnectionClosed` from :meth:`receive`: the
client then treats the connection as lost, which fails the requests in flight with
``ConnectionLost`` and reconnects. A 404 (or 403) on a long poll becomes :class:`SessionGone`.
An exchange that is not complete within its deadline (a server trickling a never-ending
body) fails the same way, so no worker is held forever.
"""

from __future__ import annotations

import logging
from typing import TypeVar

import anyio
import anyio.abc
import h11
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from janus_proto import Outgoing

from ._errors import ConnectionClosed, NotSent, TransportError
from ._net import STREAM_ERRORS, StreamOpener, close_quietly, map_errors, open_tcp, parse_url
from ._transport import Inbound, SessionGone, Transport, TransportOptions, register_transport

__all__ = ["HTTPTransport"]

logger = logging.getLogger(__name__)

_Item = Inbound | ConnectionClosed

#: How long Janus holds a long poll before answering ``keepalive`` (seconds).
_POLL_HOLD = 30.0


_T = TypeVar("_T")


async def _put(stream: MemoryObjectSendStream[_T], item: _T) -> None:
    """``stream.send(item)``, without its checkpoint (a loop iteration) when there is room."""
    try:
        stream.send_nowait(item)
    except anyio.WouldBlock:
        await stream.send(item)


class _Stale(ConnectionError):
    """The connection closed before any byte of the answer. On a connection that was idle
    before the request, the server dropped it meanwhile: the request is sent again once, on
    a new connection (never after part of an answer came)."""


class _TooSlow(ConnectionError):
    """The answer was not complete within its deadline."""


class _HTTPConnection:
    """One HTTP/1.1 client connection (h11), reused while both sides keep it alive."""

    def __init__(self, stream: anyio.abc.ByteStream, host: str, max_size: int) -> None:
        self.stream = stream
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=64 * 1024)
        self.host = host
        self.max_size = max_size
        self.used = False
        self._get_headers = [
            ("Host", host),
            ("User-Agent", "janus-client"),
            ("Accept", "application/json"),
            ("Connection", "keep-alive"),
        ]
        self._post_headers = [*self._get_headers, ("Content-Type", "application/json")]

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
        try:
            with anyio.fail_after(timeout):
                return await self._exchange(method, target, body)
        except TimeoutError:
            raise _TooSlow(f"no complete answer within {timeout} s") from None

    async def _exchange(self, method: str, target: str, body: bytes | None) -> tuple[int, bytes]:
        answered = False
        if body is not None:
            headers = [*self._post_headers, ("Content-Length", str(len(body)))]
        else:
            headers = self._get_headers
        conn = self.h11
        try:
            data = conn.send(h11.Request(method=method, target=target, headers=headers)) or b""
            if body:
                data += conn.send(h11.Data(data=body)) or b""
            data += conn.send(h11.EndOfMessage()) or b""
            await self.stream.send(data)
            self.used = True
            status, chunks, size = 0, [], 0
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    try:
                        raw = await self.stream.receive(65536)
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
        return self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE

    def next_cycle(self) -> None:
        self.h11.start_next_cycle()

    async def aclose(self) -> None:
        await close_quietly(self.stream)


class HTTPTransport(Transport):
    """Janus over HTTP: ``POST base[/S[/H]]`` for requests, ``GET base/S`` long polls.

    ``opener`` replaces the TCP/TLS connection (tests pass in-memory streams); it is called
    once per HTTP connection. ``response_timeout`` bounds each POST exchange, in seconds
    (Janus itself gives up on a POST after about 10 s); a long poll gets Janus's 30 s hold on
    top. An exchange over its deadline fails the transport like a broken connection.
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
        self._requests: MemoryObjectSendStream[Outgoing] | None = None
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
        requests_send, requests = anyio.create_memory_object_stream[Outgoing](size)
        inbound_send, inbound = anyio.create_memory_object_stream[_Item](1024)
        self._requests, self._inbound_send, self._inbound = requests_send, inbound_send, inbound
        self._scope = anyio.CancelScope()
        await task_group.start(self._run, self._scope, requests, inbound_send, first, size)

    async def _run(
        self,
        scope: anyio.CancelScope,
        requests: MemoryObjectReceiveStream[Outgoing],
        inbound: MemoryObjectSendStream[_Item],
        first: _HTTPConnection,
        size: int,
        *,
        task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        with scope:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                with requests:
                    for i in range(size):
                        tg.start_soon(
                            self._worker, requests.clone(), inbound, first if i == 0 else None
                        )
                task_status.started()
        await first.aclose()

    async def _worker(
        self,
        requests: MemoryObjectReceiveStream[Outgoing],
        inbound: MemoryObjectSendStream[_Item],
        conn: _HTTPConnection | None,
    ) -> None:
        try:
            with requests:
                await self._serve(requests, inbound, conn)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            pass

    async def _serve(
        self,
        requests: MemoryObjectReceiveStream[Outgoing],
        inbound: MemoryObjectSendStream[_Item],
        conn: _HTTPConnection | None,
    ) -> None:
        try:
            while True:
                try:  # no checkpoint when a request is waiting already
                    out = requests.receive_nowait()
                except anyio.WouldBlock:
                    try:
                        out = await requests.receive()
                    except anyio.EndOfStream:
                        return
                except anyio.EndOfStream:
                    return
                for attempt in (1, 2):
                    fresh = conn is None
                    try:
                        if conn is None:
                            conn = await self._new_connection()
                        status, body = await conn.request(
                            "POST", self._base + out.path, out.text.encode(), self.response_timeout
                        )
                    except (ConnectionError, TransportError) as exc:
                        if conn is not None:
                            await conn.aclose()
                            conn = None
                        if isinstance(exc, _Stale) and attempt == 1 and not fresh:
                            continue  # the server dropped the idle connection: once more
                        await self._fail(inbound, f"POST failed: {exc}")
                        return
                    if conn.reusable:
                        conn.next_cycle()
                    else:
                        await conn.aclose()
                        conn = None
                    if status != 200:
                        await self._fail(inbound, f"POST answered HTTP {status}")
                        return
                    await _put(inbound, body)
                    break
        finally:
            if conn is not None:
                await conn.aclose()

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
            await _put(self._requests, out)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
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
                        await inbound.send(SessionGone(session_id))
                        return
                    if status != 200:
                        await self._fail(inbound, f"long poll answered HTTP {status}")
                        return
                    await _put(inbound, body)
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
        for stream in (self._requests, self._inbound_send, self._inbound):
            if stream is not None:
                stream.close()
        self._requests = self._inbound_send = None
        self._inbound = None


register_transport(r"^https?://", HTTPTransport)
