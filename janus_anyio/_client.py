"""The Janus API client: :class:`JanusClient`, :class:`Session`, :class:`Handle`, and
:func:`connect`.

The tasks and the request path they share with the Admin API client are in ``_base.py``;
:class:`AdminClient`, :func:`connect_admin` (``_admin.py``) and :class:`ReconnectPolicy` are
re-exported here for code that imported them from this module.
"""

from __future__ import annotations

import logging
import ssl
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
from anyio.abc import TaskGroup

import janus_proto as jp
from janus_proto import (
    Event,
    JanusConfig,
    LocalProtocolError,
    Request,
    TransactionEvent,
)

from ._admin import AdminClient, connect_admin
from ._base import (
    ReconnectPolicy,
    _as,
    _BaseClient,
    _check_positive,
    _policy,
    _running,
    _transport_for,
)
from ._errors import (
    EventOverflow,
    HandleClosed,
    RequestTimeout,
    SessionClosed,
    TransportError,
)
from ._transport import Transport

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

#: Used when the server's session timeout is unknown (janus.js uses the same).
_DEFAULT_KEEPALIVE = 25.0


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
        if timeout is not None:
            with anyio.fail_after(timeout):
                return await self.next_event()
        # No timeout, no cancel scope: entering and leaving one per wait was the largest
        # single cost of delivering a pushed event to a waiting reader (W5).
        new_event = self.session.client._new_event  # anyio.Event without the backend lookup
        while True:
            if self._inbox:  # (None or empty: nothing buffered)
                return self._inbox.popleft()
            if self._overflowed:
                raise EventOverflow(
                    f"handle {self.id}: more than {self._buffer} events were not read"
                )
            if self._closed_reason is not None:
                raise HandleClosed(f"handle {self.id} is closed: {self._closed_reason}")
            self._wakeup = wakeup = new_event()
            await wakeup.wait()

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
        wakeup = self._wakeup
        if wakeup is not None:  # set once: the woken reader takes all that is buffered
            self._wakeup = None
            wakeup.set()

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


# -- entry point -------------------------------------------------------------------------


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
