"""The machinery every client shares: the core, the transport, and the client's tasks.

One code path for asyncio and trio. Per connection there is one reader task, one timer task
and one writer task, nothing per request: a request registers a waiter keyed by its
transaction, wakes the writer (which flushes the core's output to the transport) and waits.
Only the writer ever waits for the transport, so a transport that cannot take more (a frozen
server, a full HTTP pool) delays neither deadlines nor cancellation. The reader feeds the core
and hands each event to its waiter (``anyio.Event``) or to its handle's bounded inbox with
``send_nowait``; it never runs user code and never waits for a consumer.

Two shortcuts save loop iterations without breaking those rules. A transport with
``send_nowait`` (HTTP, whose workers own the sockets) is handed the core's output by the
requesting task itself, synchronously, when the writer is not flushing; what it cannot take
at once goes to the writer. A transport whose messages arrive in tasks of its own (HTTP
workers and long polls) hands them to :meth:`_BaseClient._received` from those tasks
(``Transport.deliver_inbound``), which does what the reader does after its ``receive``,
with no await: only failures still travel to the reader.

:class:`~janus_anyio.JanusClient` (``_client.py``) and :class:`~janus_anyio.AdminClient`
(``_admin.py``) build on :class:`_BaseClient`; ``connect()`` and ``connect_admin()`` share
the argument checks and :func:`_running` defined here.
"""

from __future__ import annotations

import logging
import math
import ssl
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
import anyio.lowlevel
from anyio.abc import TaskGroup, TaskStatus

import janus_proto as jp
from janus_proto import (
    AbortReason,
    Event,
    JanusConfig,
    JanusConnection,
    Outgoing,
    RemoteProtocolError,
    Request,
    TransactionEvent,
)

from ._errors import (
    ConnectionClosed,
    ConnectionLost,
    HandleClosed,
    NotSent,
    RequestTimeout,
    SessionClosed,
    TransportError,
    unwrap_group,
)
from ._transport import Inbound, SessionGone, Transport, TransportOptions, create_transport

if sys.version_info < (3, 11):  # pragma: no cover - 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = ["ReconnectPolicy"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T", bound=TransactionEvent)


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

    def __init__(self, done: anyio.Event) -> None:
        self.done = done
        self.result: TransactionEvent | None = None


def _clock() -> Callable[[], float]:
    """``anyio.current_time`` of the running backend, without finding the backend again.

    ``anyio.current_time()`` looks the backend up on every call (about 1.3 µs, twice per
    request); the backend class of the current event loop token (public anyio API since
    4.11) has the same clock. Must be called in the event loop.
    """
    return anyio.lowlevel.current_token().backend_class.current_time


def _event_class() -> Callable[[], anyio.Event]:
    """What makes an ``anyio.Event`` of the running backend without looking it up again.

    ``anyio.Event()`` finds the backend (sniffio, context variables) on every call; the
    class it returns builds the same event directly. Must be called in the event loop.
    """
    return type(anyio.Event())


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
        self._waiters: dict[str, _Waiter] = {}
        # anyio.Event until _start knows the backend (then its class: same events, cheaper).
        self._new_event: Callable[[], anyio.Event] = anyio.Event
        self._now: Callable[[], float] = anyio.current_time  # (the backend's own, once known)
        self._tg: TaskGroup | None = None
        self._timer_scope: anyio.CancelScope | None = None
        self._write_wanted = anyio.Event()
        # The writer is flushing: nobody else hands requests over (they would overtake).
        self._flushing = False
        # Taken from the core, not yet handed to the transport (send_nowait refused them).
        self._held: list[Outgoing] = []
        self._sends_nowait = type(transport).send_nowait is not Transport.send_nowait
        transport.deliver_inbound = self._delivered
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
        self._new_event = _event_class()
        self._now = _clock()
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
        txn = self._conn.send(request, now=self._now(), timeout=timeout)
        waiter = _Waiter(self._new_event())
        self._waiters[txn] = waiter
        try:
            if self._sends_nowait:
                self._send_nowait()
            else:
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
            self._write_wanted = self._new_event()  # wakes made during the flush come next
            if self.closed:
                return
            self._flushing = True
            try:
                await self._flush()
            except Exception:  # pragma: no cover - background tasks never raise
                logger.exception("janus_anyio writer: unexpected error")
            finally:
                self._flushing = False

    def _take_output(self) -> list[Outgoing]:
        """What is to be handed to the transport: the held requests first, then the core's."""
        outs = self._conn.requests_to_send()
        if outs and logger.isEnabledFor(logging.DEBUG):
            for out in outs:
                logger.debug("send %s %s", out.request.VERB, _redacted(out.text))
        if self._held:
            outs, self._held = self._held + outs, []
        return outs

    def _send_nowait(self) -> None:
        """Hand the core's output to a ``send_nowait`` transport from the calling task; what
        it does not take (or anything while the writer flushes) goes to the writer."""
        if self._flushing or self._held:
            self._write_wanted.set()
            return
        outs = self._take_output()
        send_nowait = self._transport.send_nowait
        for i, out in enumerate(outs):
            try:
                send_nowait(out)
            except Exception as exc:  # WouldBlock, NotSent...: the writer's send decides
                logger.debug("handed to the writer: %r", exc)
                self._held = outs[i:]
                self._write_wanted.set()
                return

    async def _flush(self) -> None:
        # Only the writer task flushes, so batches never interleave (no lock needed), and
        # _send_nowait stands aside meanwhile.
        outs = self._take_output()
        if not outs:
            return
        generation = self._generation
        # A batching transport takes the whole batch in one write (one deadline);
        # others take one request at a time, each with its own deadline.
        transport = self._transport
        batches = [outs] if transport.batches_writes else [[out] for out in outs]
        done = 0
        for batch in batches:
            failed = True
            with anyio.CancelScope(deadline=self._now() + self._send_timeout, shield=True):
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
            self._conn.handle_timer(self._now())
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
            self._received(item)

    def _received(self, item: Inbound) -> None:
        """Feed one message to the core and hand out what it produced (no await)."""
        now = self._now()
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

    def _delivered(self, item: Inbound) -> None:
        """``Transport.deliver_inbound``: a message handed over by a task of the transport."""
        if self._closed:
            logger.debug("a message came after the client closed: dropped")
            return
        self._received(item)

    async def _on_lost(self) -> None:
        self._connected = anyio.Event()
        self._generation += 1
        # Never handed to the transport, or refused before any write: held for the reconnect.
        unsent, self._unsent = self._held + self._unsent, []
        self._held = []
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


def _redacted(text: str | bytes) -> str:
    from ._redact import redact

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    result: str = redact(text)
    return result


def _as(cls: type[_T], event: TransactionEvent) -> _T:
    if not isinstance(event, cls):
        raise RemoteProtocolError(
            f"expected {cls.__name__}, got {type(event).__name__}", raw=event.raw
        )
    return event


# -- what connect() and connect_admin() share --------------------------------------------


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
