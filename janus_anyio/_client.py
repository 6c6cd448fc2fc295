"""The async client: connections, sessions and handles over any transport, on anyio.

One code path for asyncio and trio. Per connection there is one reader task, one timer task
and one writer task, nothing per request: a request registers a waiter keyed by its
transaction, wakes the writer (which flushes the core's output to the transport) and waits.
Only the writer ever waits for the transport, so a transport that cannot take more (a frozen
server, a full HTTP pool) delays neither deadlines nor cancellation. The reader feeds the core
and hands each event to its waiter (``anyio.Event``) or to its handle's bounded inbox with
``send_nowait``; it never runs user code and never waits for a consumer.
"""

from __future__ import annotations

import logging
import math
import ssl
import sys
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from anyio.abc import TaskGroup, TaskStatus

import janus_proto as jp
from janus_proto import (
    AbortReason,
    Event,
    JanusConfig,
    JanusConnection,
    LocalProtocolError,
    Outgoing,
    RemoteProtocolError,
    Request,
    TransactionEvent,
)

from ._errors import (
    ConnectionClosed,
    ConnectionLost,
    EventOverflow,
    HandleClosed,
    NotSent,
    RequestTimeout,
    SessionClosed,
    TransportError,
    unwrap_group,
)
from ._transport import SessionGone, Transport, TransportOptions, create_transport

if sys.version_info < (3, 11):  # pragma: no cover - 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = [
    "JanusClient",
    "AdminClient",
    "Session",
    "Handle",
    "HandleEvents",
    "connect",
    "connect_admin",
    "ReconnectPolicy",
]

logger = logging.getLogger(__name__)

_T = TypeVar("_T", bound=TransactionEvent)

#: Used when the server's session timeout is unknown (janus.js uses the same).
_DEFAULT_KEEPALIVE = 25.0


class ReconnectPolicy:
    """How a lost WebSocket (or Unix socket) connection is re-established.

    Attributes:
        enabled: reconnect at all; when False a lost connection closes the client.
        initial_delay: seconds before the second attempt (the first is immediate).
        max_delay: cap of the exponential backoff, in seconds.
        give_up_after: seconds of failed attempts after which the client closes.
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        initial_delay: float = 0.05,
        max_delay: float = 2.0,
        give_up_after: float = 60.0,
    ) -> None:
        self.enabled = enabled
        self.initial_delay = initial_delay
        self.max_delay = max_delay
        self.give_up_after = give_up_after

    def delays(self) -> Iterator[float]:
        """The waits between attempts: 0, then doubling from ``initial_delay``, capped."""
        yield 0.0
        delay = self.initial_delay
        while True:
            yield delay
            delay = min(delay * 2, self.max_delay)


class _Waiter:
    __slots__ = ("done", "result")

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.result: TransactionEvent | None = None


class _BaseClient:
    """What the Janus API client and the Admin API client share: the core, the transport,
    the reader and the timer."""

    def __init__(
        self,
        transport: Transport,
        config: JanusConfig,
        *,
        reconnect: ReconnectPolicy,
        send_timeout: float,
    ) -> None:
        self._transport = transport
        self._conn = JanusConnection(config)
        self._reconnect = reconnect
        self._send_timeout = send_timeout
        self._lock = anyio.Lock(fast_acquire=True)
        self._waiters: dict[str, _Waiter] = {}
        self._tg: TaskGroup | None = None
        self._timer_scope: anyio.CancelScope | None = None
        self._write_wanted = anyio.Event()
        self._closed = False
        self._close_reason = "client closed"
        self._connected = anyio.Event()
        # Requests the transport refused before writing (NotSent), for the next loss.
        self._unsent: list[Outgoing] = []
        self._generation = 0  # counts losses, so stale NotSent outgoings are dropped

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._transport.url} {self._conn.state.value}>"

    @property
    def closed(self) -> bool:
        """True once the client is closed (by the user, or after giving up reconnecting)."""
        return self._closed

    # -- life cycle ----------------------------------------------------------------------

    async def _start(self, tg: TaskGroup) -> None:
        self._tg = tg
        try:
            with anyio.fail_after(self._transport.options.connect_timeout):
                await self._transport.connect(tg)
        except TimeoutError:
            raise TransportError(f"could not connect to {self._transport.url}: timed out") from None
        self._conn.connection_made(now=anyio.current_time())
        self._connected.set()
        await tg.start(self._timer_task)
        await tg.start(self._writer_task)
        tg.start_soon(self._reader_task)

    async def aclose(self) -> None:
        """Close the client: pending requests fail with ConnectionClosed, tasks stop."""
        self._shut("client closed")  # no-op when the client already shut itself
        with anyio.move_on_after(2, shield=True):
            await self._transport.aclose()
        if self._tg is not None:
            self._tg.cancel_scope.cancel()
            self._tg = None

    def _shut(self, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        self._close_reason = reason
        if self._conn.state is not jp.ConnectionState.CLOSED:
            self._conn.close(now=anyio.current_time())
        self._process_events()
        self._closing_hook(reason)
        self._wake_timer()  # the timer task sees ``closed`` and ends
        self._write_wanted.set()  # so does the writer

    def _closing_hook(self, reason: str) -> None:
        """Subclasses end their sessions' streams here."""

    # -- requests ------------------------------------------------------------------------

    async def request(self, request: Request, *, timeout: float | None = None) -> TransactionEvent:
        """Send any typed request and return its successful outcome event.

        Raises:
            JanusError: Janus answered with an error (the subclass for its code).
            PluginError: the plugin answered with ``error_code``.
            RequestTimeout: no answer within ``timeout`` (default: the client's).
            ConnectionLost: the transport went away after the request was sent.
            ConnectionClosed: the client is closed.
            SessionClosed: the session (or handle) ended before the answer.
            LocalProtocolError: the request is not possible now (nothing was sent).
        """
        if self._closed:
            raise ConnectionClosed(self._close_reason)
        txn = self._conn.send(request, now=anyio.current_time(), timeout=timeout)
        waiter = _Waiter()
        self._waiters[txn] = waiter
        try:
            self._write_wanted.set()
            self._rearm()
            await waiter.done.wait()
        except BaseException:  # cancelled
            if waiter.result is None:  # release the transaction at once
                self._waiters.pop(txn, None)
                self._conn.abandon(txn)
                self._rearm()
            else:  # the outcome came in as we were cancelled: nobody will take it
                self._orphaned(waiter.result)
            raise
        result = waiter.result
        assert result is not None
        return self._outcome(request, result)

    def _orphaned(self, event: TransactionEvent) -> None:
        """An outcome arrived, but its caller was cancelled at that very moment."""
        logger.debug("outcome of a cancelled request: %r", event)

    def _outcome(self, request: Request, event: TransactionEvent) -> TransactionEvent:
        match event:
            case jp.RequestFailed() | jp.PluginRequestFailed() | jp.ReplyMalformed():
                raise event.to_exception()
            case jp.TransactionTimedOut():
                raise RequestTimeout(f"{request.VERB}: no answer before the deadline")
            case jp.RequestAborted(reason=reason):
                if reason is AbortReason.CONNECTION_LOST:
                    raise ConnectionLost(f"{request.VERB}: connection lost, outcome unknown")
                if reason is AbortReason.CLOSED:
                    raise ConnectionClosed(self._close_reason)
                if reason is AbortReason.HANDLE_DETACHED:
                    raise HandleClosed(f"{request.VERB}: {reason.value}")
                raise SessionClosed(f"{request.VERB}: {reason.value}")
        return event

    async def _writer_task(
        self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Flush the core's output whenever asked; the only task that awaits the transport."""
        task_status.started()
        while True:
            await self._write_wanted.wait()
            self._write_wanted = anyio.Event()  # wakes made during the flush come next
            if self.closed:
                return
            try:
                await self._flush()
            except Exception:  # pragma: no cover - background tasks never raise
                logger.exception("janus_anyio writer: unexpected error")

    async def _flush(self) -> None:
        async with self._lock:
            outs = self._conn.requests_to_send()
            if not outs:
                return
            generation = self._generation
            if logger.isEnabledFor(logging.DEBUG):
                for out in outs:
                    logger.debug("send %s %s", out.request.VERB, _redacted(out.text))
            # A batching transport takes the whole batch in one write (one deadline);
            # others take one request at a time, each with its own deadline.
            transport = self._transport
            batches = [outs] if transport.batches_writes else [[out] for out in outs]
            done = 0
            for batch in batches:
                failed = True
                with anyio.move_on_after(self._send_timeout, shield=True):
                    try:
                        if len(batch) == 1:
                            await transport.send(batch[0])
                        else:
                            await transport.send_many(batch)
                        failed = False
                        done += len(batch)
                    except NotSent as exc:
                        # Nothing was written: this request and the rest of the batch wait
                        # for the reconnect (unless the loss was already handled meanwhile:
                        # then the core already ended them).
                        logger.debug("not sent: %r", exc)
                        if generation == self._generation:
                            self._unsent.extend(outs[done:])
                    except (TransportError, OSError) as exc:
                        logger.debug("send failed: %r", exc)
                if failed:
                    # A partial frame may be on the wire: drop the transport; the reader
                    # turns that into connection_lost, which fails what was in flight (and
                    # holds what was not sent).
                    with anyio.move_on_after(1, shield=True):
                        await self._transport.aclose()
                    break

    # -- background tasks ----------------------------------------------------------------

    def _rearm(self) -> None:
        """Make the timer fire no later than the core's next deadline.

        The deadline is only ever moved earlier here (moving a cancel scope's deadline
        reschedules a loop timer, which costs more than the rare early wake-up it saves):
        when the timer fires early, handle_timer does nothing due and the timer task re-arms
        at the true deadline.
        """
        scope = self._timer_scope
        if scope is not None:
            deadline = self._conn.get_timer()
            if deadline is not None and deadline < scope.deadline:
                scope.deadline = deadline

    def _wake_timer(self) -> None:
        if self._timer_scope is not None:
            self._timer_scope.deadline = -math.inf

    async def _timer_task(
        self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        task_status.started()
        while not self._closed:
            with anyio.CancelScope() as scope:
                self._timer_scope = scope
                self._rearm()
                await anyio.sleep_forever()
            self._timer_scope = None
            if self.closed:  # (a property: mypy must not narrow it across the await)
                return
            self._conn.handle_timer(anyio.current_time())
            self._process_events()
            self._write_wanted.set()

    async def _reader_task(self) -> None:
        while not self._closed:
            try:
                item = await self._transport.receive()
            except (ConnectionClosed, TransportError, OSError) as exc:
                if self.closed:
                    return
                logger.debug("transport lost: %r", exc)
                await self._on_lost()
                continue
            now = anyio.current_time()
            if isinstance(item, SessionGone):
                self._conn.session_not_found(item.session_id, now=now)
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    logger.debug("recv %s", _redacted(item))
                try:
                    self._conn.receive_message(item, now=now)
                except RemoteProtocolError as exc:
                    logger.warning("unusable message from Janus: %s", exc)
            self._process_events()
            if self._conn.has_requests_to_send:  # what the core queued (claims, cleanups)
                self._write_wanted.set()
            self._rearm()

    async def _on_lost(self) -> None:
        self._connected = anyio.Event()
        self._generation += 1
        unsent, self._unsent = self._unsent, []
        self._conn.connection_lost(now=anyio.current_time(), unsent=unsent)
        self._process_events()
        with anyio.move_on_after(1, shield=True):
            await self._transport.aclose()
        policy = self._reconnect
        if not policy.enabled:
            self._shut("connection lost")
            return
        started = anyio.current_time()
        assert self._tg is not None
        for delay in policy.delays():
            if self._closed:
                return
            if anyio.current_time() - started + delay > policy.give_up_after:
                break
            await anyio.sleep(delay)
            try:
                with anyio.fail_after(self._transport.options.connect_timeout):
                    await self._transport.connect(self._tg)
            except (TransportError, OSError, TimeoutError) as exc:
                logger.debug("reconnect failed: %r", exc)
                continue
            logger.info("reconnected to %s", self._transport.url)
            self._conn.connection_made(now=anyio.current_time())
            self._connected.set()
            self._process_events()
            self._write_wanted.set()
            self._rearm()
            return
        self._shut("connection lost; reconnecting gave up")

    # -- events --------------------------------------------------------------------------

    def _process_events(self) -> None:
        conn = self._conn
        while (event := conn.next_event()) is not None:
            if isinstance(event, TransactionEvent):
                waiter = self._waiters.pop(event.transaction, None)
                if waiter is not None:
                    waiter.result = event
                    waiter.done.set()
                else:
                    logger.debug("outcome nobody waits for: %r", event)
            else:
                self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        logger.debug("event nobody handles: %r", event)


def _auto_keepalive(session_timeout: int | None, needs_keepalive: bool) -> float | None:
    """The keepalive interval for a server's session timeout (seconds; 0 = never expires).

    Long-polling transports keep sessions alive by themselves, but Janus counts a poll as
    activity only when it starts and answers it after up to 30 s: with a shorter session
    timeout they need keepalives too.
    """
    if session_timeout == 0:
        return None
    if session_timeout is None:
        return _DEFAULT_KEEPALIVE if needs_keepalive else None
    if not needs_keepalive and session_timeout > 45:
        return None
    return max(0.5, min(_DEFAULT_KEEPALIVE, session_timeout * 0.4))


def _redacted(text: str | bytes) -> str:
    from ._redact import redact

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    result: str = redact(text)
    return result


# -- the Janus API client ----------------------------------------------------------------


class JanusClient(_BaseClient):
    """A connection to the Janus API. Build it with :func:`connect`."""

    def __init__(
        self,
        transport: Transport,
        config: JanusConfig,
        *,
        reconnect: ReconnectPolicy,
        send_timeout: float,
        event_buffer: int,
        keepalive: float | str | None,
    ) -> None:
        super().__init__(transport, config, reconnect=reconnect, send_timeout=send_timeout)
        self._sessions: dict[int, Session] = {}
        self._handles: dict[int, Handle] = {}
        self._event_buffer = event_buffer
        self._keepalive = keepalive
        #: The plugins the server has loaded, once an ``info`` told (attach checks them).
        self._server_plugins: frozenset[str] | None = None

    async def _start(self, tg: TaskGroup) -> None:
        await super()._start(tg)
        if self._keepalive != "auto":
            return  # the caller's interval (or None) is in the core's config already
        timeout = (await self.info()).session_timeout
        self._conn.set_keepalive_interval(
            _auto_keepalive(timeout, self._transport.needs_keepalive), now=anyio.current_time()
        )

    async def info(self, *, timeout: float | None = None) -> jp.ServerInfo:
        """The server's ``server_info``."""
        info = _as(jp.ServerInfo, await self.request(jp.Info(), timeout=timeout))
        if info.plugins:
            self._server_plugins = frozenset(info.plugins)
        return info

    async def ping(self, *, timeout: float | None = None) -> float:
        """Ping Janus; returns the round-trip time in seconds."""
        start = anyio.current_time()
        await self.request(jp.Ping(), timeout=timeout)
        return anyio.current_time() - start

    async def create_session(
        self, *, session_id: int | None = None, timeout: float | None = None
    ) -> Session:
        """Create a session (keepalives are sent for it). Destroy it with ``destroy()``."""
        created = _as(
            jp.SessionCreated, await self.request(jp.Create(id=session_id), timeout=timeout)
        )
        return self._track_session(created.session_id)

    async def claim_session(self, session_id: int, *, timeout: float | None = None) -> Session:
        """Take over a session created elsewhere (within Janus's reclaim window)."""
        await self.request(jp.Claim(session_id=session_id), timeout=timeout)
        return self._track_session(session_id)

    @asynccontextmanager
    async def session(self, *, timeout: float | None = None) -> AsyncIterator[Session]:
        """A session destroyed on exit (also when the block is cancelled)."""
        session = await self.create_session(timeout=timeout)
        try:
            yield session
        finally:
            with anyio.move_on_after(self._conn.config.request_timeout, shield=True):
                await session._destroy_quietly()

    def _track_session(self, session_id: int) -> Session:
        session = self._sessions.get(session_id)
        if session is None:
            session = self._sessions[session_id] = Session(self, session_id)
            self._transport.session_added(
                session_id,
                self._conn.poll_path(session_id, maxev=self._transport.options.http_maxev),
            )
        return session

    def _dispatch(self, event: Event) -> None:
        match event:
            case jp.HandleEvent(handle_id=hid):
                handle = self._handles.get(hid)
                if handle is None:
                    logger.debug("event for an unknown handle: %r", event)
                    return
                handle._deliver(event)
                if isinstance(event, jp.HandleDetached):
                    handle._end("handle detached")
            case jp.SessionEvent(session_id=sid):
                session = self._sessions.get(sid)
                if session is None:
                    return
                if isinstance(event, jp.SessionReclaimed):
                    logger.info("session %s reclaimed after reconnect", sid)
                    self._transport.session_added(
                        sid, self._conn.poll_path(sid, maxev=self._transport.options.http_maxev)
                    )
                    return
                reason = (
                    "session timed out"
                    if isinstance(event, jp.SessionTimedOut)
                    else (f"session lost: {getattr(event, 'reason', '')}")
                )
                session._end(reason, event)
            case _:
                logger.debug("unhandled message from Janus: %r", event)

    def _closing_hook(self, reason: str) -> None:
        for session in list(self._sessions.values()):
            session._end(reason, None)

    def _orphaned(self, event: TransactionEvent) -> None:
        # A session or handle that its cancelled creator never saw would leak on the
        # server (and get keepalives forever): undo it, as the core does for late answers.
        match event:
            case jp.SessionCreated(session_id=sid):
                cleanup: Request = jp.Destroy(session_id=sid)
            case jp.HandleAttached(session_id=sid, handle_id=hid):
                cleanup = jp.Detach(session_id=sid, handle_id=hid)
            case _:
                return
        logger.debug("undoing the outcome of a cancelled request: %r", event)
        if self._tg is not None and not self._closed:
            self._tg.start_soon(self._undo, cleanup)

    async def _undo(self, request: Request) -> None:
        with anyio.move_on_after(self._conn.config.request_timeout):
            try:
                await self.request(request)
            except (
                jp.JanusError,
                TransportError,
                SessionClosed,
                RequestTimeout,
                LocalProtocolError,
            ) as exc:
                logger.debug("undoing %s: %r", request.VERB, exc)


class Session:
    """A Janus session. Its keepalives are sent by the client."""

    def __init__(self, client: JanusClient, session_id: int) -> None:
        self.client = client
        self.id = session_id
        self._handles: dict[int, Handle] = {}
        self._closed_reason: str | None = None
        self._end_event: jp.SessionEvent | None = None
        # Made on the first wait (an anyio Event costs ~1 KB; most sessions are never awaited).
        self._ended: anyio.Event | None = None

    def __repr__(self) -> str:
        state = self._closed_reason or "open"
        return f"<Session {self.id} {state}>"

    @property
    def closed(self) -> bool:
        return self._closed_reason is not None

    @property
    def close_reason(self) -> str | None:
        """Why the session ended (None while open)."""
        return self._closed_reason

    @property
    def end_event(self) -> jp.SessionEvent | None:
        """The typed event that ended it (SessionTimedOut, SessionLost), if any."""
        return self._end_event

    async def wait_closed(self) -> None:
        """Wait until the session ends (timeout on the server, lost, destroyed)."""
        if self._closed_reason is not None:
            return
        if self._ended is None:
            self._ended = anyio.Event()
        await self._ended.wait()

    def _check(self) -> None:
        if self._closed_reason is not None:
            raise SessionClosed(f"session {self.id} is closed: {self._closed_reason}")

    async def attach(
        self,
        plugin: str,
        *,
        opaque_id: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
    ) -> Handle:
        """Attach a handle to ``plugin`` (e.g. ``"janus.plugin.echotest"``).

        Raises:
            PluginNotFound: the server has no such plugin. Once the client knows the
                server's plugins (from ``info``, which ``connect`` asks for by default),
                this is raised before anything is sent.
        """
        self._check()
        if not isinstance(plugin, str):
            raise TypeError(
                f"plugin must be a plugin package name (str), got {type(plugin).__name__}"
            )
        known = self.client._server_plugins
        if known is not None and plugin not in known:
            raise jp.PluginNotFound(
                460,
                f"No such plugin '{plugin}' (the server has: {', '.join(sorted(known))})",
            )
        attached = _as(
            jp.HandleAttached,
            await self.client.request(
                jp.Attach(session_id=self.id, plugin=plugin, opaque_id=opaque_id, token=token),
                timeout=timeout,
            ),
        )
        handle = Handle(self, attached.handle_id, plugin, self.client._event_buffer)
        self._handles[handle.id] = handle
        self.client._handles[handle.id] = handle
        return handle

    async def keepalive(self, *, timeout: float | None = None) -> None:
        """Send a keepalive now (the client sends them by itself)."""
        self._check()
        await self.client.request(jp.KeepAlive(session_id=self.id), timeout=timeout)

    async def destroy(self, *, timeout: float | None = None) -> None:
        """Destroy the session and its handles."""
        self._check()
        try:
            await self.client.request(jp.Destroy(session_id=self.id), timeout=timeout)
        except jp.SessionNotFound:
            pass
        self._end("destroyed", None)

    async def _destroy_quietly(self) -> None:
        if self.closed or self.client.closed:
            return
        try:
            await self.destroy()
        except (
            jp.JanusError,
            TransportError,
            SessionClosed,
            RequestTimeout,
            LocalProtocolError,
        ) as exc:
            logger.debug("destroying session %s: %r", self.id, exc)
            self._end("destroyed", None)

    def _end(self, reason: str, event: jp.SessionEvent | None) -> None:
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        self._end_event = event
        for handle in list(self._handles.values()):
            handle._end(reason)
        self.client._sessions.pop(self.id, None)
        self.client._transport.session_removed(self.id)
        if self._ended is not None:
            self._ended.set()


class Handle:
    """A plugin handle: send messages, trickle, hang up, read its events."""

    def __init__(self, session: Session, handle_id: int, plugin: str, buffer: int) -> None:
        self.session = session
        self.id = handle_id
        self.plugin = plugin
        # A bounded inbox: the reader appends without waiting; one consumer waits on
        # ``_wakeup`` (a fresh Event per wait, since anyio Events cannot be cleared). Both
        # are made when first needed: an idle handle costs no deque and no Event.
        self._inbox: deque[jp.HandleEvent] | None = None
        self._buffer = buffer
        self._wakeup: anyio.Event | None = None
        self._closed_reason: str | None = None
        self._overflowed = False

    def __repr__(self) -> str:
        return f"<Handle {self.id} {self.plugin} {self._closed_reason or 'attached'}>"

    @property
    def closed(self) -> bool:
        return self._closed_reason is not None

    @property
    def client(self) -> JanusClient:
        return self.session.client

    def _check(self) -> None:
        if self._closed_reason is not None:
            raise HandleClosed(f"handle {self.id} is closed: {self._closed_reason}")

    async def send(
        self,
        body: Mapping[str, Any],
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> jp.PluginReply:
        """Send a message to the plugin; return its answer (sync reply or async event).

        Raises:
            PluginError: the plugin answered with ``error_code``.
        """
        self._check()
        return _as(
            jp.PluginReply,
            await self.client.request(
                jp.Message(session_id=self.session.id, handle_id=self.id, body=body, jsep=jsep),
                timeout=timeout,
            ),
        )

    async def trickle(
        self,
        candidates: Sequence[jp.Candidate] = (),
        *,
        completed: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Trickle our ICE candidates (``completed=True`` when there are no more)."""
        self._check()
        await self.client.request(
            jp.Trickle(
                session_id=self.session.id,
                handle_id=self.id,
                candidates=candidates,
                completed=completed,
            ),
            timeout=timeout,
        )

    async def hangup(self, *, timeout: float | None = None) -> None:
        """Close the PeerConnection; the handle stays attached."""
        self._check()
        await self.client.request(
            jp.Hangup(session_id=self.session.id, handle_id=self.id), timeout=timeout
        )

    async def detach(self, *, timeout: float | None = None) -> None:
        """Detach the handle."""
        self._check()
        try:
            await self.client.request(
                jp.Detach(session_id=self.session.id, handle_id=self.id), timeout=timeout
            )
        except jp.HandleNotFound:
            pass
        self._end("detached")

    def events(self) -> HandleEvents:
        """The handle's events (plugin events, webrtcup, media, hangup, trickle...).

        One consumer at a time. Iteration ends when the handle closes; it raises
        :class:`EventOverflow` if the buffer overflowed because events were not read.
        """
        return HandleEvents(self)

    async def next_event(self, *, timeout: float | None = None) -> jp.HandleEvent:
        """The next event of this handle.

        Raises:
            TimeoutError: none within ``timeout``.
            HandleClosed: the handle closed and its buffer is empty.
            EventOverflow: the buffer overflowed.
        """
        if self._inbox:  # buffered already: no cancel scope, no checkpoint
            return self._inbox.popleft()
        with anyio.fail_after(timeout):
            while True:
                if self._inbox:  # (None or empty: nothing buffered)
                    return self._inbox.popleft()
                if self._overflowed:
                    raise EventOverflow(
                        f"handle {self.id}: more than {self._buffer} events were not read"
                    )
                if self._closed_reason is not None:
                    raise HandleClosed(f"handle {self.id} is closed: {self._closed_reason}")
                self._wakeup = anyio.Event()
                await self._wakeup.wait()

    async def wait_for(
        self, predicate: Callable[[jp.HandleEvent], bool], *, timeout: float | None = None
    ) -> tuple[jp.HandleEvent, list[jp.HandleEvent]]:
        """Read events until one satisfies ``predicate``; return it and the ones skipped.

        Skipped events are returned, never lost.
        """
        skipped: list[jp.HandleEvent] = []
        with anyio.fail_after(timeout):
            while True:
                event = await self.next_event()
                if predicate(event):
                    return event, skipped
                skipped.append(event)

    def _deliver(self, event: jp.HandleEvent) -> None:
        if self._overflowed or self._closed_reason is not None:
            return
        inbox = self._inbox
        if inbox is None:
            inbox = self._inbox = deque()
        if len(inbox) >= self._buffer:
            self._overflowed = True
            logger.warning("handle %s: event buffer full; its event stream fails", self.id)
        else:
            inbox.append(event)
        if self._wakeup is not None:
            self._wakeup.set()

    def _end(self, reason: str) -> None:
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        if self._wakeup is not None:
            self._wakeup.set()
        self.session._handles.pop(self.id, None)
        self.client._handles.pop(self.id, None)

    async def __aenter__(self) -> Handle:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self.closed or self.client.closed:
            return
        with anyio.move_on_after(self.client._conn.config.request_timeout, shield=True):
            try:
                await self.detach()
            except (jp.JanusError, TransportError, SessionClosed, RequestTimeout):
                self._end("detached")


class HandleEvents:
    """Async iterator over a handle's events (see :meth:`Handle.events`)."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle

    def __aiter__(self) -> HandleEvents:
        return self

    async def __anext__(self) -> jp.HandleEvent:
        try:
            return await self._handle.next_event()
        except HandleClosed:
            raise StopAsyncIteration from None


# -- the Admin API client ----------------------------------------------------------------


class AdminClient(_BaseClient):
    """A connection to the Admin/Monitor API. Build it with :func:`connect_admin`."""

    async def _admin(self, request: Request, timeout: float | None) -> dict[str, Any]:
        return dict(_as(jp.AdminResponse, await self.request(request, timeout=timeout)).data)

    async def info(self, *, timeout: float | None = None) -> jp.ServerInfo:
        return _as(jp.ServerInfo, await self.request(jp.Info(), timeout=timeout))

    async def ping(self, *, timeout: float | None = None) -> float:
        start = anyio.current_time()
        await self.request(jp.Ping(), timeout=timeout)
        return anyio.current_time() - start

    async def get_status(self, *, timeout: float | None = None) -> dict[str, Any]:
        """The server's runtime settings (``status``)."""
        return dict((await self._admin(jp.GetStatus(), timeout)).get("status", {}))

    async def list_sessions(self, *, timeout: float | None = None) -> list[int]:
        return list((await self._admin(jp.ListSessions(), timeout)).get("sessions", []))

    async def list_handles(self, session_id: int, *, timeout: float | None = None) -> list[int]:
        data = await self._admin(jp.ListHandles(session_id=session_id), timeout)
        return list(data.get("handles", []))

    async def handle_info(
        self,
        session_id: int,
        handle_id: int,
        *,
        plugin_only: bool = False,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        data = await self._admin(
            jp.HandleInfo(
                session_id=session_id, handle_id=handle_id, plugin_only=plugin_only or None
            ),
            timeout,
        )
        return dict(data.get("info", {}))

    async def set_session_timeout(
        self, timeout_seconds: int, *, session_id: int | None = None, timeout: float | None = None
    ) -> int:
        data = await self._admin(
            jp.SetSessionTimeout(timeout=timeout_seconds, session_id=session_id), timeout
        )
        return int(data.get("timeout", timeout_seconds))

    async def set_log_level(self, level: int, *, timeout: float | None = None) -> int:
        return int((await self._admin(jp.SetLogLevel(level=level), timeout)).get("level", level))

    async def accept_new_sessions(self, accept: bool, *, timeout: float | None = None) -> bool:
        data = await self._admin(jp.AcceptNewSessions(accept=accept), timeout)
        return bool(data.get("accept", accept))

    async def message_plugin(
        self, plugin: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        data = await self._admin(jp.MessagePlugin(plugin=plugin, request=request), timeout)
        return dict(data.get("response", {}))

    async def query_transport(
        self, transport: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        data = await self._admin(jp.QueryTransport(transport=transport, request=request), timeout)
        return dict(data.get("response", {}))

    async def add_token(
        self, token: str, plugins: Sequence[str] | None = None, *, timeout: float | None = None
    ) -> list[str]:
        data = await self._admin(jp.AddToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def list_tokens(self, *, timeout: float | None = None) -> list[dict[str, Any]]:
        data = await self._admin(jp.ListTokens(), timeout)
        return list(data.get("data", {}).get("tokens", []))

    async def allow_token(
        self, token: str, plugins: Sequence[str], *, timeout: float | None = None
    ) -> list[str]:
        data = await self._admin(jp.AllowToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def disallow_token(
        self, token: str, plugins: Sequence[str], *, timeout: float | None = None
    ) -> list[str]:
        data = await self._admin(jp.DisallowToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def remove_token(self, token: str, *, timeout: float | None = None) -> None:
        await self._admin(jp.RemoveToken(token=token), timeout)

    async def destroy_session(self, session_id: int, *, timeout: float | None = None) -> None:
        await self._admin(jp.DestroySession(session_id=session_id), timeout)

    async def detach_handle(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        await self._admin(jp.DetachHandle(session_id=session_id, handle_id=handle_id), timeout)

    async def hangup_webrtc(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        await self._admin(jp.HangupWebRTC(session_id=session_id, handle_id=handle_id), timeout)

    async def call(
        self, request: jp.AdminRequest, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Any admin request (every verb of the Admin API has a class in janus_proto)."""
        return await self._admin(request, timeout)


def _as(cls: type[_T], event: TransactionEvent) -> _T:
    if not isinstance(event, cls):
        raise RemoteProtocolError(
            f"expected {cls.__name__}, got {type(event).__name__}", raw=event.raw
        )
    return event


# -- entry points ------------------------------------------------------------------------


def _transport_for(
    url: str | Transport,
    admin: bool,
    ssl_context: ssl.SSLContext | None,
    connect_timeout: float,
    http_maxev: int,
    max_message_size: int,
) -> Transport:
    if isinstance(url, Transport):
        return url
    if ssl_context is not None and not isinstance(ssl_context, ssl.SSLContext):
        raise TypeError(f"ssl_context must be an ssl.SSLContext, got {type(ssl_context).__name__}")
    return create_transport(
        url,
        TransportOptions(
            admin=admin,
            ssl_context=ssl_context,
            connect_timeout=connect_timeout,
            http_maxev=http_maxev,
            max_message_size=max_message_size,
        ),
    )


def _policy(reconnect: object) -> ReconnectPolicy:
    if isinstance(reconnect, bool):
        return ReconnectPolicy(enabled=reconnect)
    if not isinstance(reconnect, ReconnectPolicy):
        raise TypeError(
            f"reconnect must be a ReconnectPolicy or a bool, got {type(reconnect).__name__}"
        )
    return reconnect


def _check_positive(name: str, value: object, *, integer: bool = False) -> None:
    kinds: tuple[type, ...] = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        what = "an int" if integer else "a number"
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    assert isinstance(value, (int, float))
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be positive and finite, got {value!r}")


@asynccontextmanager
async def connect(
    url: str | Transport,
    *,
    api_secret: str | None = None,
    token: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    request_timeout: float = 15.0,
    keepalive_interval: float | str | None = "auto",
    reconnect: ReconnectPolicy | bool = True,
    event_buffer: int = 256,
    connect_timeout: float = 10.0,
    http_maxev: int = 10,
    max_message_size: int = 16 * 1024 * 1024,
) -> AsyncIterator[JanusClient]:
    """Connect to the Janus API at ``url`` (``ws://``, ``wss://``, ``http://``,
    ``https://``, ``unix://``, or a registered custom scheme, or a :class:`Transport`).

    Args:
        keepalive_interval: seconds between keepalives of an idle session; ``"auto"``
            derives it from the server's session timeout; None turns them off. HTTP needs
            none (its long polls keep sessions alive).
        reconnect: a :class:`ReconnectPolicy`, or a bool to turn the default one on or off.
        event_buffer: events buffered per handle before its stream overflows.
        max_message_size: largest message accepted from the server, in bytes (a bigger
            one ends the connection, which is then re-established).

    Raises:
        TypeError, ValueError: an argument of the wrong type or value (nothing is opened).
    """
    reconnect = _policy(reconnect)
    _check_positive("event_buffer", event_buffer, integer=True)
    _check_positive("connect_timeout", connect_timeout)
    _check_positive("http_maxev", http_maxev, integer=True)
    _check_positive("max_message_size", max_message_size, integer=True)
    if (
        keepalive_interval != "auto"
        and keepalive_interval is not None
        and not isinstance(keepalive_interval, (int, float))
    ):
        raise TypeError("keepalive_interval must be a number, None or 'auto'")
    interval = (
        keepalive_interval if not isinstance(keepalive_interval, str) else (_DEFAULT_KEEPALIVE)
    )
    config = JanusConfig(
        api_secret=api_secret,
        token=token,
        request_timeout=request_timeout,
        keepalive_interval=interval,
        max_message_size=max_message_size,
    )
    transport = _transport_for(
        url, False, ssl_context, connect_timeout, http_maxev, max_message_size
    )
    client = JanusClient(
        transport,
        config,
        reconnect=reconnect,
        send_timeout=request_timeout,
        event_buffer=event_buffer,
        keepalive=keepalive_interval,
    )
    async with _running(client) as running:
        yield running


@asynccontextmanager
async def connect_admin(
    url: str | Transport,
    *,
    admin_secret: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    request_timeout: float = 15.0,
    reconnect: ReconnectPolicy | bool = True,
    connect_timeout: float = 10.0,
    max_message_size: int = 16 * 1024 * 1024,
) -> AsyncIterator[AdminClient]:
    """Connect to the Admin/Monitor API (``http(s)://host:7088/admin``, ``ws(s)://host:7188``,
    or the pfunix admin socket).

    Raises:
        TypeError, ValueError: an argument of the wrong type or value (nothing is opened).
    """
    reconnect = _policy(reconnect)
    _check_positive("connect_timeout", connect_timeout)
    _check_positive("max_message_size", max_message_size, integer=True)
    config = JanusConfig(
        admin_secret=admin_secret,
        admin=True,
        request_timeout=request_timeout,
        keepalive_interval=None,
        max_message_size=max_message_size,
    )
    transport = _transport_for(url, True, ssl_context, connect_timeout, 1, max_message_size)
    client = AdminClient(transport, config, reconnect=reconnect, send_timeout=request_timeout)
    async with _running(client) as running:
        yield running


_C = TypeVar("_C", bound=_BaseClient)


@asynccontextmanager
async def _running(client: _C) -> AsyncIterator[_C]:
    """Run ``client``'s tasks around the caller's block; never leak an ExceptionGroup."""
    try:
        async with anyio.create_task_group() as tg:
            try:
                await client._start(tg)
                yield client
            finally:
                await client.aclose()
    except BaseExceptionGroup as group:
        raise unwrap_group(group) from None
