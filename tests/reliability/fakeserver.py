"""A scripted fake Janus speaking WebSocket (wsproto) and HTTP (h11) on loopback sockets.

By default it answers like Janus 1.1.2 (info, create, attach, message with ack + event...).
A test overrides the answer to a verb with :meth:`ScriptedJanus.override`, or pushes messages
with :meth:`ScriptedJanus.push`, and so sends the client whatever garbage it likes: raw
text, raw bytes, endless messages or bodies, HTTP status codes, a cut connection.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from itertools import count
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import anyio.abc
import attrs
import h11
from anyio.streams.memory import MemoryObjectSendStream
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError as WSLocalProtocolError

# -- what the server does ------------------------------------------------------------------


@attrs.frozen
class Text:
    """One message: a WebSocket text frame, or an HTTP body (POST answer or long poll)."""

    data: str


@attrs.frozen
class Push:
    """A message for the session's event channel (WS: a frame; HTTP: the long poll)."""

    session_id: int
    data: str


@attrs.frozen
class RawBytes:
    """Bytes written to the socket as they are (garbage frames, garbage HTTP)."""

    data: bytes


@attrs.frozen
class Endless:
    """A message that never ends: WS fragments or an HTTP chunked body, ``chunk`` after
    ``chunk`` every ``interval`` seconds, until the client gives up."""

    chunk: str
    interval: float = 0.0


@attrs.frozen
class Status:
    """HTTP: answer with this status and an empty body."""

    code: int


@attrs.frozen
class Hangup:
    """Close the connection at once."""


Action = Text | Push | RawBytes | Endless | Status | Hangup
Responder = Callable[[dict[str, Any]], list[Action]]

SERVER_INFO = {
    "janus": "server_info",
    "name": "Fake Janus",
    "version": 1102,
    "version_string": "1.1.2",
    "session-timeout": 60,
    "reclaim-session-timeout": 0,
    "api_secret": False,
    "auth_token": False,
    "plugins": {"janus.plugin.echotest": {"name": "fake echotest"}},
    "transports": {},
}


def dumps(obj: object) -> str:
    return json.dumps(obj, separators=(",", ":"))


class ScriptedJanus:
    """The protocol side of the fake: requests in, actions out.

    Attributes:
        received: every request decoded so far (for "nothing was sent" checks).
        sent_bytes: bytes written by endless answers (until the client gave up).
        connections: connections accepted so far.
    """

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.sent_bytes = 0
        self.connections = 0
        self.closed_by_client: list[int | None] = []
        self._ids = count(1001)
        self._overrides: dict[str, deque[tuple[Responder, int | float]]] = {}
        self._queues: dict[int, deque[Action]] = {}
        self._pushed = anyio.Event()
        self._ws_outboxes: set[MemoryObjectSendStream[Action]] = set()
        #: HTTP: the next long polls answer with these actions, in order.
        self.poll_overrides: deque[Action] = deque()

    def override(self, verb: str, responder: Responder, *, times: int | float = 1) -> None:
        """Answer the next ``times`` requests ``verb`` with ``responder(request)``."""
        self._overrides.setdefault(verb, deque()).append((responder, times))

    def requests(self, verb: str) -> list[dict[str, Any]]:
        return [r for r in self.received if r.get("janus") == verb]

    def push(self, action: Action) -> None:
        """Send an unsolicited message (WS: on every connection; HTTP: to the session's
        long poll, for :class:`Push`)."""
        for outbox in list(self._ws_outboxes):
            try:
                outbox.send_nowait(action)
            except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
                pass
        if isinstance(action, Push):
            self._queues.setdefault(action.session_id, deque()).append(action)
            self._pushed.set()
            self._pushed = anyio.Event()

    def respond(self, req: dict[str, Any]) -> list[Action]:
        self.received.append(req)
        verb = req.get("janus")
        queue = self._overrides.get(str(verb))
        if queue:
            responder, times = queue[0]
            if times <= 1:
                queue.popleft()
            else:
                queue[0] = (responder, times - 1)
            return responder(req)
        return self.default(req)

    def default(self, req: dict[str, Any]) -> list[Action]:
        """What Janus 1.1.2 would answer."""
        verb = req.get("janus")
        txn = req.get("transaction")
        sid = req.get("session_id")
        hid = req.get("handle_id")
        base: dict[str, Any] = {"transaction": txn}
        if sid is not None:
            base["session_id"] = sid
        if verb == "info":
            return [Text(dumps({**SERVER_INFO, "transaction": txn}))]
        if verb == "ping":
            return [Text(dumps({"janus": "pong", "transaction": txn}))]
        if verb == "create":
            new = next(self._ids)
            self._queues.setdefault(new, deque())
            return [Text(dumps({"janus": "success", "transaction": txn, "data": {"id": new}}))]
        if verb == "attach":
            return [Text(dumps({"janus": "success", **base, "data": {"id": next(self._ids)}}))]
        if verb in ("keepalive", "trickle"):
            return [Text(dumps({"janus": "ack", **base}))]
        if verb == "message":
            assert isinstance(sid, int)
            event = {
                "janus": "event",
                **base,
                "sender": hid,
                "plugindata": {
                    "plugin": "janus.plugin.echotest",
                    "data": {"echotest": "event", "result": "ok"},
                },
            }
            return [Text(dumps({"janus": "ack", **base})), Push(sid, dumps(event))]
        if verb in ("claim", "destroy", "detach", "hangup"):
            return [Text(dumps({"janus": "success", **base}))]
        return [Text(dumps({"janus": "error", **base, "error": {"code": 453, "reason": "?"}}))]

    async def next_event(self, session_id: int, timeout: float) -> Action | None:
        """HTTP long poll: the session's next queued message, waiting up to ``timeout``."""
        with anyio.move_on_after(timeout):
            while True:
                queue = self._queues.get(session_id)
                if queue:
                    return queue.popleft()
                await self._pushed.wait()
        return None


_GONE = (
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
    h11.ProtocolError,
    WSLocalProtocolError,
    OSError,
)


async def _quietly(coro: Awaitable[None]) -> None:
    """Run ``coro``; the client going away ends it quietly."""
    try:
        await coro
    except _GONE:
        pass


# -- WebSocket -------------------------------------------------------------------------------


class _WSServerConnection:
    def __init__(self, janus: ScriptedJanus, stream: anyio.abc.ByteStream) -> None:
        self.janus = janus
        self.stream = stream
        self.ws = WSConnection(ConnectionType.SERVER)
        self.lock = anyio.Lock()

    async def write(self, data: bytes) -> None:
        async with self.lock:
            await self.stream.send(data)

    async def serve(self) -> None:
        janus = self.janus
        send, receive = anyio.create_memory_object_stream[Action](1000)
        janus._ws_outboxes.add(send)
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(_quietly, self._writer(receive, tg.cancel_scope))
                await _quietly(self._reader(send))
                tg.cancel_scope.cancel()
        finally:
            janus._ws_outboxes.discard(send)
            send.close()
            receive.close()
            with anyio.CancelScope(shield=True):
                await self.stream.aclose()

    async def _reader(self, outbox: MemoryObjectSendStream[Action]) -> None:
        ws = self.ws
        text: list[str] = []
        while True:
            try:
                data = await self.stream.receive(65536)
            except (anyio.EndOfStream, anyio.BrokenResourceError, OSError):
                return
            ws.receive_data(data)
            for event in ws.events():
                if isinstance(event, Request):
                    await self.write(ws.send(AcceptConnection(subprotocol="janus-protocol")))
                elif isinstance(event, TextMessage):
                    text.append(event.data)
                    if event.message_finished:
                        req = json.loads("".join(text))
                        text.clear()
                        for action in self.janus.respond(req):
                            await outbox.send(action)
                elif isinstance(event, BytesMessage):
                    pass
                elif isinstance(event, Ping):
                    await self.write(ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    self.janus.closed_by_client.append(event.code)
                    try:
                        await self.write(ws.send(event.response()))
                    except Exception:
                        pass
                    return

    async def _writer(self, inbox: Any, scope: anyio.CancelScope) -> None:
        ws = self.ws
        async for action in inbox:
            match action:
                case Text(data=data) | Push(data=data):
                    await self.write(ws.send(TextMessage(data=data)))
                case RawBytes(data=raw):
                    await self.write(raw)
                case Endless(chunk=chunk, interval=interval):
                    while True:
                        frame = ws.send(TextMessage(data=chunk, message_finished=False))
                        await self.write(frame)
                        self.janus.sent_bytes += len(chunk)
                        await anyio.sleep(interval)
                case Hangup():
                    scope.cancel()
                    return
                case Status():
                    raise AssertionError("Status is for HTTP")


_CLIENT_GONE = object()


# -- HTTP --------------------------------------------------------------------------------------


class _HTTPServerConnection:
    def __init__(self, janus: ScriptedJanus, stream: anyio.abc.ByteStream, poll_hold: float):
        self.janus = janus
        self.stream = stream
        self.h11 = h11.Connection(h11.SERVER)
        self.poll_hold = poll_hold

    async def serve(self) -> None:
        try:
            while True:
                request, body = await self._read_request()
                if request is None:
                    return
                if not await self._answer(request, body):
                    return
                if self.h11.our_state is h11.MUST_CLOSE or self.h11.their_state is h11.MUST_CLOSE:
                    return
                self.h11.start_next_cycle()
        except _GONE:
            pass
        finally:
            with anyio.CancelScope(shield=True):
                await self.stream.aclose()

    async def _read_request(self) -> tuple[h11.Request | None, bytes]:
        request = None
        body = b""
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                self.h11.receive_data(await self.stream.receive(65536))
            elif isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return request, body
            elif isinstance(event, h11.ConnectionClosed):
                return None, b""

    async def _answer(self, request: h11.Request, body: bytes) -> bool:
        """Answer one request; False when the connection must end."""
        janus = self.janus
        target = urlsplit(request.target.decode())
        parts = [p for p in target.path.split("/") if p]
        if request.method == b"GET":
            sid = int(parts[1])
            got: Any = None
            if janus.poll_overrides:
                action: Action | None = janus.poll_overrides.popleft()
            else:
                got = await self._poll(sid)
                if got is _CLIENT_GONE:
                    return False
                action = got
            maxev = int(parse_qs(target.query).get("maxev", ["1"])[0]) > 1
            if isinstance(action, Push):
                action = Text(f"[{action.data}]" if maxev else action.data)
            elif action is None:
                keepalive = dumps({"janus": "keepalive"})
                action = Text(f"[{keepalive}]" if maxev else keepalive)
            try:
                return await self._send(action)
            except _GONE:
                if got is not None:
                    janus._queues.setdefault(sid, deque()).appendleft(got)  # not delivered
                raise
        req = json.loads(body)
        if len(parts) > 1:
            req.setdefault("session_id", int(parts[1]))
        if len(parts) > 2:
            req.setdefault("handle_id", int(parts[2]))
        answer: Action | None = None
        for action in janus.respond(req):
            if isinstance(action, Push):
                janus.push(action)
            elif answer is None:
                answer = action
            else:
                raise AssertionError("one answer per POST")
        assert answer is not None, "a POST needs an answer"
        return await self._send(answer)

    async def _poll(self, sid: int) -> Any:
        """The session's next event (None after ``poll_hold``), or _CLIENT_GONE if the client
        hung up meanwhile (then the event stays queued, as Janus keeps it)."""
        results: list[Any] = []

        async def wait_event(scope: anyio.CancelScope) -> None:
            results.append(await self.janus.next_event(sid, self.poll_hold))
            scope.cancel()

        async def watch_close(scope: anyio.CancelScope) -> None:
            try:
                await self.stream.receive(1)  # a client sends nothing while it polls
            except _GONE:
                pass
            results.append(_CLIENT_GONE)
            scope.cancel()

        async with anyio.create_task_group() as tg:
            tg.start_soon(wait_event, tg.cancel_scope)
            tg.start_soon(watch_close, tg.cancel_scope)
        if _CLIENT_GONE in results:
            for got in results:
                if got is not _CLIENT_GONE and got is not None:
                    self.janus._queues.setdefault(sid, deque()).appendleft(got)
            return _CLIENT_GONE
        return results[0]

    async def _send(self, action: Action) -> bool:
        conn = self.h11
        match action:
            case Text(data=data):
                payload = data.encode()
                headers = [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(payload))),
                ]
                await self.stream.send(conn.send(h11.Response(status_code=200, headers=headers)))
                await self.stream.send(conn.send(h11.Data(data=payload)))
                await self.stream.send(conn.send(h11.EndOfMessage()))
                return True
            case Status(code=code):
                headers = [("Content-Length", "0")]
                await self.stream.send(conn.send(h11.Response(status_code=code, headers=headers)))
                await self.stream.send(conn.send(h11.EndOfMessage()))
                return True
            case RawBytes(data=raw):
                await self.stream.send(raw)
                return False
            case Endless(chunk=chunk, interval=interval):
                headers = [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]
                await self.stream.send(conn.send(h11.Response(status_code=200, headers=headers)))
                while True:
                    await self.stream.send(conn.send(h11.Data(data=chunk.encode())))
                    self.janus.sent_bytes += len(chunk)
                    await anyio.sleep(interval)
            case Hangup():
                return False
        raise AssertionError(f"cannot send {action!r} over HTTP")


# -- servers -----------------------------------------------------------------------------------


@attrs.define
class FakeServer:
    """A running fake: its URL and its script."""

    url: str
    janus: ScriptedJanus
    port: int


@asynccontextmanager
async def fake_janus(kind: str, *, poll_hold: float = 5.0) -> AsyncIterator[FakeServer]:
    """A fake Janus on a free loopback port: ``kind`` is ``"ws"`` or ``"http"``."""
    janus = ScriptedJanus()
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)

    async def handle(stream: anyio.abc.SocketStream) -> None:
        janus.connections += 1
        if kind == "ws":
            await _WSServerConnection(janus, stream).serve()
        else:
            await _HTTPServerConnection(janus, stream, poll_hold).serve()

    url = f"ws://127.0.0.1:{port}" if kind == "ws" else f"http://127.0.0.1:{port}/janus"
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(listener.serve, handle)
            try:
                yield FakeServer(url, janus, port)
            finally:
                tg.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await listener.aclose()


class CountingStream(anyio.abc.ByteStream):
    """A byte stream that counts what the client read (to prove bounded reading)."""

    def __init__(self, inner: anyio.abc.ByteStream, counter: list[int]) -> None:
        self.inner = inner
        self.counter = counter

    async def receive(self, max_bytes: int = 65536) -> bytes:
        data = await self.inner.receive(max_bytes)
        self.counter[0] += len(data)
        return data

    async def send(self, item: bytes) -> None:
        await self.inner.send(item)

    async def send_eof(self) -> None:
        await self.inner.send_eof()

    async def aclose(self) -> None:
        await self.inner.aclose()


def counting_opener(port: int, counter: list[int]) -> Callable[[], Any]:
    async def opener() -> anyio.abc.ByteStream:
        return CountingStream(await anyio.connect_tcp("127.0.0.1", port), counter)

    return opener
