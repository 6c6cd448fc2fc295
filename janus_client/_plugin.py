"""The seed's ``JanusPlugin`` base: a handle, its media, and handlers run off the reader.

Each attached plugin has two asyncio tasks:

- a **reader** takes the handle's events as they come and never runs user code: it feeds
  the media layer (the current :class:`janus_media.PeerConnection` applies trickles, JSEP
  answers, ``webrtcup``...) and queues the event for the dispatcher;
- a **dispatcher** runs :meth:`JanusPlugin.on_receive` and the ``on_event`` handlers, one
  event at a time. A handler that raises is logged and the next event is handled; a
  handler may await requests (their answers never go through the dispatcher).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from aiortc import RTCConfiguration, RTCPeerConnection

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import GenericHandle, PluginEventItem, PluginHandle
from janus_media import PeerConnection

from ._session import _CLEANUP_ERRORS

if TYPE_CHECKING:
    from ._session import JanusSession

__all__ = ["JanusPlugin"]

logger = logging.getLogger(__name__)

_H = TypeVar("_H", bound=PluginHandle)
_T = TypeVar("_T")

#: Events queued for the dispatcher before new ones are dropped (with a warning).
_DISPATCH_BUFFER = 1024

Handler = Callable[[dict[str, Any]], Awaitable[None] | None]


class _Tap(PluginHandle):
    """The handle as a :class:`janus_media.PeerConnection` sees it: requests go to the
    real handle; events are the ones the plugin's reader feeds in."""

    def __init__(self, handle: ja.Handle) -> None:
        super().__init__(handle)
        self._queue: asyncio.Queue[jp.HandleEvent | None] = asyncio.Queue()

    def feed(self, event: jp.HandleEvent | None) -> None:
        self._queue.put_nowait(event)

    async def next_event(self, *, timeout: float | None = None) -> PluginEventItem:
        event = await asyncio.wait_for(self._queue.get(), timeout)
        if event is None:
            self._queue.put_nowait(None)
            raise ja.HandleClosed(f"handle {self.handle.id}: closed")
        return self._convert(event)


class _Relay:
    """The raw handle as the facade's typed requests see it: everything is delegated, but
    a plugin answer that came as an asynchronous ``event`` (``joined`` after ``join``,
    ``configured`` after ``publish``...) is also handed to ``on_reply``, so that the
    ``on_event`` handlers hear about it as janus-client 0.9's handlers did."""

    def __init__(self, handle: ja.Handle, on_reply: Callable[[jp.PluginReply], None]) -> None:
        self._handle = handle
        self._on_reply = on_reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    async def send(
        self,
        body: Mapping[str, Any],
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> jp.PluginReply:
        reply = await self._handle.send(body, jsep=jsep, timeout=timeout)
        if not reply.sync:
            self._on_reply(reply)
        return reply


@contextlib.contextmanager
def plugin_errors(error_cls: type[Exception]) -> Iterator[None]:
    """Raise ``error_cls(error_code, error_message)`` for a plugin's error answer."""
    try:
        yield
    except jp.PluginError as exc:
        raise error_cls(exc.error_code, exc.error) from exc


class JanusPlugin:
    """Base of the seed's plugin classes: attach, send, trickle, destroy, ``on_receive``.

    Subclass it for another plugin: set ``name`` (the plugin package) and override
    :meth:`on_receive`. ``name`` may also be set per instance before attaching.

    Args:
        pc_config: aiortc's ``RTCConfiguration`` for this plugin's peer connections;
            default: no ICE servers at all (never a public STUN server).
    """

    #: The Janus plugin package, e.g. ``"janus.plugin.echotest"``.
    name: str = "janus.plugin.base.dummy"
    #: The typed handle of janus_anyio used for requests.
    _handle_class: ClassVar[type[PluginHandle]] = GenericHandle

    def __init__(self, pc_config: RTCConfiguration | None = None) -> None:
        if pc_config is not None and not isinstance(pc_config, RTCConfiguration):
            raise TypeError(
                f"pc_config must be an aiortc RTCConfiguration, got {type(pc_config).__name__}"
            )
        self.pc_config = pc_config
        self._session: JanusSession | None = None
        self._handle: ja.Handle | None = None
        self._typed: PluginHandle | None = None
        self._peer: PeerConnection | None = None
        self._tap: _Tap | None = None
        self._drain: asyncio.Task[None] | None = None
        self._queue: asyncio.Queue[tuple[jp.HandleEvent, bool] | None] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._handlers: dict[Any, list[Handler]] = {}
        self._watchers: list[tuple[Callable[[jp.HandleEvent], bool], asyncio.Future[Any]]] = []

    def __repr__(self) -> str:
        state = "not attached" if self._handle is None else f"handle {self._handle.id}"
        return f"<{type(self).__name__} {self.name} {state}>"

    __str__ = __repr__

    # -- identity ------------------------------------------------------------------------

    @property
    def id(self) -> int | None:
        """The handle id (None until attached)."""
        return None if self._handle is None else self._handle.id

    @property
    def session(self) -> JanusSession | None:
        """The session it is attached to."""
        return self._session

    @property
    def pc(self) -> RTCPeerConnection | None:
        """aiortc's peer connection of the current media (None without media)."""
        return None if self._peer is None else self._peer.raw

    @property
    def peer_connection(self) -> PeerConnection | None:
        """The :class:`janus_media.PeerConnection` of the current media."""
        return self._peer

    @property
    def handle(self) -> ja.Handle:
        """The janus_anyio handle (raw messages, events...).

        Raises:
            RuntimeError: not attached.
        """
        if self._handle is None:
            raise RuntimeError(f"{self!r}: attach it first (await plugin.attach(session))")
        return self._handle

    @property
    def _pc(self) -> RTCPeerConnection | None:
        """janus-client 0.9's private name of :attr:`pc` (its tests read it)."""
        return self.pc

    def _typed_handle(self, cls: type[_H]) -> _H:
        """``cls`` over this plugin's handle; its event answers reach the handlers too."""
        relay = _Relay(self.handle, self._dispatch_reply)
        return cls(cast("ja.Handle", relay))

    def _request_timeout(self, timeout: float | None = None) -> float:
        """The deadline of one call: ``timeout`` when given, else the session's."""
        if timeout is not None:
            if not timeout > 0:
                raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
            return float(timeout)
        return self._session.request_timeout if self._session is not None else 15.0

    # -- life cycle ----------------------------------------------------------------------

    async def attach(self, session: JanusSession) -> None:
        """Attach to ``session`` (creating it, and connecting, if needed).

        Raises:
            PluginAttachFail: Janus refused.
        """
        await session.attach_plugin(self)

    def _bind(self, session: JanusSession, handle: ja.Handle) -> None:
        """(called by the session) Take ``handle`` and start the reader and dispatcher."""
        self._session = session
        self._handle = handle
        self._typed = self._handle_class(handle)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._read(handle), name=f"janus_client reader {handle.id}"),
            loop.create_task(self._dispatch(), name=f"janus_client dispatcher {handle.id}"),
        ]

    async def destroy(self) -> None:
        """Close the media and detach the handle (within the request timeout)."""
        await self._shutdown()
        handle, session = self._handle, self._session
        if handle is not None and not handle.closed and session is not None:
            try:
                await handle.detach(timeout=session.request_timeout)
            except _CLEANUP_ERRORS as exc:
                logger.debug("%r: detach: %r", self, exc)
        if session is not None:
            session.detach_plugin(self)
        self._reset()
        self._handle = self._typed = None  # the instance may be attached again
        self._session = None
        self._queue = asyncio.Queue()

    def _reset(self) -> None:
        """Forget the state of the handle just detached (subclasses: username, room...)."""

    async def _shutdown(self) -> None:
        """Close media and stop the tasks (the handle stays as it is)."""
        await self._close_media()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        self._tasks = []

    async def _close_media(self) -> None:
        """Close the current peer connection (hangs up); subclasses stop recorders too."""
        peer, self._peer = self._peer, None
        tap, self._tap = self._tap, None
        drain, self._drain = self._drain, None
        if drain is not None:
            drain.cancel()
        if peer is not None:
            timeout = self._session.request_timeout if self._session is not None else 5.0
            await peer.close(timeout=timeout)
        if tap is not None:
            tap.feed(None)

    def _new_peer(self, *, trickle: bool = False, tap: type[_Tap] = _Tap) -> PeerConnection:
        """A fresh peer connection fed by this plugin's reader (close the old one first);
        ``tap`` is the handle class it sees (a subclass of :class:`_Tap`)."""
        feed = tap(self.handle)
        peer = PeerConnection(feed, configuration=self.pc_config, trickle=trickle)
        self._tap, self._peer = feed, peer

        async def drain() -> None:  # the events are dispatched from here, not from the peer
            async for _event in peer.events():
                pass

        self._drain = asyncio.get_running_loop().create_task(drain())
        return peer

    # -- requests ------------------------------------------------------------------------

    async def send(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """Send a request given as a dict; the handle id is added. Returns Janus's answer
        as a dict: for ``{"janus": "message", "body": ..., "jsep": ...}`` the plugin's
        reply (the ``success`` or the ``event`` with the same transaction).

        Raises:
            TypeError, ValueError: not a Janus request (nothing was sent).
            janus_proto.PluginError: the plugin answered with an error code.
            janus_proto.JanusError: Janus refused the request.
        """
        if not isinstance(message, Mapping):
            raise TypeError(f"message must be a dict, got {type(message).__name__}")
        handle = self.handle
        timeout = self._session.request_timeout if self._session is not None else None
        if message.get("janus", "message") == "message" and "body" in message:
            body = message["body"]
            if not isinstance(body, Mapping):
                raise TypeError(f"message body must be a dict, got {type(body).__name__}")
            jsep = message.get("jsep")
            reply = await handle.send(body, jsep=jsep, timeout=timeout)
            return dict(reply.raw)
        assert self._session is not None
        txn = await self._session.send(message, handle_id=handle.id)
        try:
            return await txn.get()
        finally:
            await txn.done()

    async def trickle(self, sdpMLineIndex: int | None, candidate: str | None) -> None:
        """Trickle one ICE candidate (``a=candidate`` text, or None: no more candidates).

        Raises:
            ValueError: a candidate without its m-line index.
        """
        handle = self.handle
        if candidate is None:
            await handle.trickle(completed=True)
            return
        if not isinstance(candidate, str):
            raise TypeError(f"candidate must be a str or None, got {type(candidate).__name__}")
        if sdpMLineIndex is None:
            raise ValueError("trickle needs the candidate's sdpMLineIndex")
        await handle.trickle([jp.Candidate(candidate=candidate, sdp_mline_index=sdpMLineIndex)])

    # -- events --------------------------------------------------------------------------

    async def on_receive(self, response: dict[str, Any]) -> None:
        """Called with every event Janus pushes for this handle (the raw JSON), from the
        dispatcher task. Override it; the default does nothing."""

    def on_event(self, event_type: Any, handler: Handler) -> None:
        """Call ``handler(data)`` (plain or async) for events of ``event_type`` only;
        ``data`` is the plugin's event data (``plugindata.data``; for VideoCall its
        ``result``, as janus-client 0.9 gave), with ``jsep`` added when the event carried
        one. Handlers run one at a time in the plugin's dispatcher task; one that raises
        is logged and the others still run."""
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {type(handler).__name__}")
        self._handlers.setdefault(event_type, []).append(handler)

    def _handler_data(self, event: jp.PluginEvent) -> dict[str, Any]:
        """What ``on_event`` handlers get: the plugin data, with ``jsep`` added."""
        data = dict(event.data)
        if event.jsep is not None:
            data["jsep"] = dict(event.jsep)
        return data

    def _event_types(self, event: jp.HandleEvent) -> list[Any]:
        """The ``on_event`` types of ``event`` (subclasses map plugin events)."""
        return []

    async def _on_event(self, event: jp.HandleEvent) -> None:
        """Internal reaction of a subclass, run by the dispatcher before the handlers."""

    def _observe(self, event: jp.HandleEvent) -> None:
        """Synchronous bookkeeping in the reader (no user code, no waiting)."""

    @contextlib.contextmanager
    def _watch(
        self, match: Callable[[jp.HandleEvent], bool]
    ) -> Iterator[asyncio.Future[jp.HandleEvent]]:
        """A future for the next event ``match`` accepts (set up before the request that
        causes it, so it cannot be missed); the event still goes to the handlers."""
        future: asyncio.Future[jp.HandleEvent] = asyncio.get_running_loop().create_future()
        entry = (match, future)
        self._watchers.append(entry)
        try:
            yield future
        finally:
            self._watchers.remove(entry)
            future.cancel()

    def _notify_watchers(self, event: jp.HandleEvent) -> None:
        for match, future in list(self._watchers):
            if not future.done() and match(event):
                future.set_result(event)

    async def _read(self, handle: ja.Handle) -> None:
        try:
            while True:
                event = await handle.next_event()
                if self._tap is not None:
                    self._tap.feed(event)
                self._observe(event)
                self._notify_watchers(event)
                self._enqueue(event, reply=False)
        except (ja.HandleClosed, ja.EventOverflow) as exc:
            logger.debug("%r: event stream ended: %r", self, exc)
        finally:
            if self._tap is not None:
                self._tap.feed(None)
            self._queue.put_nowait(None)

    def _enqueue(self, event: jp.HandleEvent, *, reply: bool) -> None:
        if self._queue.qsize() >= _DISPATCH_BUFFER:
            logger.warning(
                "%r: %d events wait for the handlers; dropped %r", self, _DISPATCH_BUFFER, event
            )
        else:
            self._queue.put_nowait((event, reply))

    def _dispatch_reply(self, reply: jp.PluginReply) -> None:
        """Queue an event answer of ours for the ``on_event`` handlers (only: it is not an
        unsolicited event, so :meth:`on_receive` does not see it)."""
        if not self._tasks:
            return
        event = jp.PluginEvent(
            session_id=reply.session_id,
            handle_id=reply.handle_id,
            plugin=reply.plugin,
            data=reply.data,
            jsep=reply.jsep,
            transaction=reply.transaction,
            raw=reply.raw,
        )
        self._enqueue(event, reply=True)

    async def _dispatch(self) -> None:
        while (item := await self._queue.get()) is not None:
            event, reply = item
            if not reply:
                try:
                    await self._on_event(event)
                except Exception:
                    logger.exception("%r: handling %s failed", self, type(event).__name__)
                await _run_handler(self, self.on_receive, dict(event.raw))
            types = self._event_types(event)
            if types and isinstance(event, jp.PluginEvent):
                data = self._handler_data(event)
                for kind in types:
                    for handler in list(self._handlers.get(kind, ())):
                        await _run_handler(self, handler, data)


async def within(seconds: float, work: Awaitable[_T], what: str) -> _T:
    """Await ``work`` for at most ``seconds`` (the deadline of one facade call).

    Raises:
        janus_anyio.RequestTimeout: (a ``TimeoutError``) not done in time.
    """
    try:
        return await asyncio.wait_for(work, seconds)
    except asyncio.TimeoutError as exc:
        if isinstance(exc, ja.RequestTimeout):
            raise
        raise ja.RequestTimeout(f"{what}: not done within {seconds:g} s") from None


async def _run_handler(owner: object, handler: Handler, argument: dict[str, Any]) -> None:
    try:
        result = handler(argument)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("%r: handler %r failed", owner, handler)
