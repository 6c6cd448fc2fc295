"""The async plugin handle: typed requests in, typed replies and events out.

A :class:`PluginHandle` wraps one :class:`~janus_anyio.Handle`. :meth:`PluginHandle.request`
takes any :class:`~janus_proto.plugins.PluginRequest`, checks its JSEP rule, sends its body
and returns the typed reply: the ``success`` data of a sync request, or the event carrying the
transaction of an async one. Errors raise the plugin's
:class:`~janus_proto.PluginError` subclass for the code. Events pushed by the plugin come out
of :meth:`PluginHandle.events` typed by the plugin's codec; events of the core (webrtcup,
media, hangup, trickle...) come out as they are.

To type a plugin of your own, subclass :class:`PluginHandle`, set ``PLUGIN`` and ``CODEC``
(built with :mod:`janus_proto.plugins`), and add methods that call :meth:`request`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

import anyio

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, PluginCodec, PluginData, PluginRequest, codec_for

if TYPE_CHECKING:
    from .._client import Handle, Session

__all__ = ["PluginHandle", "GenericHandle", "PluginEventItem", "EventReader"]

logger = logging.getLogger(__name__)

_R = TypeVar("_R", bound=PluginData)
_E = TypeVar("_E")
_H = TypeVar("_H", bound="PluginHandle")
_T = TypeVar("_T")

#: What a plugin handle's event stream yields: typed plugin data or a core handle event.
PluginEventItem = PluginData | jp.HandleEvent


class EventReader(Generic[_T]):
    """Mixin of what yields events of type ``_T`` from :meth:`next_event`: adds
    :meth:`wait_for` (used by :class:`PluginHandle` and the TextRoom data channel)."""

    async def next_event(self, *, timeout: float | None = None) -> _T:  # pragma: no cover
        raise NotImplementedError

    @overload
    async def wait_for(
        self, match: Callable[[_T], bool], *, timeout: float | None = None
    ) -> tuple[_T, list[_T]]: ...

    @overload
    async def wait_for(
        self, match: type[_E], *, timeout: float | None = None
    ) -> tuple[_E, list[_T]]: ...

    async def wait_for(self, match: Any, *, timeout: float | None = None) -> tuple[Any, list[_T]]:
        """Read events until one is of class ``match`` (or satisfies it, if a callable
        predicate); return it and the events read before it (never lost)."""
        test: Callable[[_T], bool]
        if isinstance(match, type):
            test = lambda e: isinstance(e, match)  # noqa: E731
        else:
            test = match
        skipped: list[_T] = []
        with anyio.fail_after(timeout):
            while True:
                event = await self.next_event()
                if test(event):
                    return event, skipped
                skipped.append(event)


class PluginHandle(EventReader[PluginEventItem]):
    """A handle attached to one plugin, speaking its typed codec.

    Attributes:
        handle: the underlying :class:`~janus_anyio.Handle` (raw messages, trickle...).
    """

    #: The plugin package this class speaks to ("" in :class:`GenericHandle`: any).
    PLUGIN: ClassVar[str] = ""
    #: Parses the plugin's pushed events (None: the stock codec for the plugin, if any).
    CODEC: ClassVar[PluginCodec | None] = None

    def __init__(self, handle: Handle) -> None:
        if self.PLUGIN and handle.plugin != self.PLUGIN:
            raise ValueError(f"{type(self).__name__} speaks to {self.PLUGIN}, not {handle.plugin}")
        self.handle = handle
        self._codec = self.CODEC if self.CODEC is not None else codec_for(handle.plugin)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.handle.id} {self.handle.plugin}>"

    @classmethod
    async def attach(
        cls: type[_H],
        session: Session,
        *,
        plugin: str | None = None,
        opaque_id: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
    ) -> _H:
        """Attach a new handle to the plugin and wrap it.

        Raises:
            ValueError: no plugin named (only :class:`GenericHandle` takes ``plugin``).
        """
        name = plugin or cls.PLUGIN
        if not name:
            raise ValueError(f"{cls.__name__}.attach needs plugin=")
        handle = await session.attach(name, opaque_id=opaque_id, token=token, timeout=timeout)
        return cls(handle)

    # -- identity ------------------------------------------------------------------------

    @property
    def id(self) -> int:
        """The handle id."""
        return self.handle.id

    @property
    def plugin(self) -> str:
        return self.handle.plugin

    @property
    def session(self) -> Session:
        return self.handle.session

    @property
    def closed(self) -> bool:
        return self.handle.closed

    # -- requests ------------------------------------------------------------------------

    async def request(
        self,
        request: PluginRequest[_R],
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> _R:
        """Send a typed request; return its typed answer (``jsep`` set when Janus sent one).

        Raises:
            ValueError, TypeError: the request is for another plugin, or the JSEP does
                not fit it (nothing was sent).
            PluginError: the plugin's error (the subclass for its code).
            RemoteProtocolError: the answer lacks what the reply must have.
        """
        if not isinstance(request, PluginRequest):
            raise TypeError(f"expected a PluginRequest, got {type(request).__name__}")
        if request.PLUGIN and self.handle.plugin != request.PLUGIN:
            raise ValueError(
                f"{type(request).__name__} is a {request.PLUGIN} request; "
                f"this handle is attached to {self.handle.plugin}"
            )
        request.check_jsep(jsep)
        reply = await self.handle.send(request.body(), jsep=jsep, timeout=timeout)
        return request.parse_reply(reply.data, reply.jsep)

    async def send(
        self,
        body: Mapping[str, Any],
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> PluginData:
        """Send an untyped body; the answer is typed by the codec when it can be."""
        reply = await self.handle.send(body, jsep=jsep, timeout=timeout)
        return self._typed(reply.data, reply.jsep)

    async def trickle(
        self,
        candidates: Sequence[jp.Candidate] = (),
        *,
        completed: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Trickle ICE candidates (``completed=True`` when there are no more)."""
        await self.handle.trickle(candidates, completed=completed, timeout=timeout)

    async def hangup(self, *, timeout: float | None = None) -> None:
        """Close the PeerConnection (core ``hangup``); the handle stays attached."""
        await self.handle.hangup(timeout=timeout)

    async def detach(self, *, timeout: float | None = None) -> None:
        """Detach the handle."""
        await self.handle.detach(timeout=timeout)

    async def __aenter__(self: _H) -> _H:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.handle.__aexit__(*exc_info)

    # -- events --------------------------------------------------------------------------

    def _typed(self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None) -> PluginData:
        try:
            return self._codec.parse_event(data, jsep)
        except jp.RemoteProtocolError as exc:
            logger.warning("%s: event not understood (%s); delivered untyped", self, exc)
            return GenericPluginData(raw=data, jsep=jsep, plugin=self.handle.plugin)

    def _convert(self, event: jp.HandleEvent) -> PluginEventItem:
        if isinstance(event, jp.PluginEvent):
            return self._typed(event.data, event.jsep)
        return event

    async def next_event(self, *, timeout: float | None = None) -> PluginEventItem:
        """The next event: typed plugin data, or a core event (webrtcup, hangup...).

        Raises:
            TimeoutError: none within ``timeout``.
            HandleClosed: the handle closed and no event is left.
            EventOverflow: events were not read and the buffer overflowed.
        """
        return self._convert(await self.handle.next_event(timeout=timeout))

    async def events(self) -> AsyncIterator[PluginEventItem]:
        """Iterate over the events until the handle closes."""
        async for event in self.handle.events():
            yield self._convert(event)

    async def expect(self, cls: type[_E], *, timeout: float | None = None) -> _E:
        """The next event of class ``cls``; other events before it are dropped (logged)."""
        event, skipped = await self.wait_for(cls, timeout=timeout)
        for other in skipped:
            logger.debug("%s: skipped %r waiting for %s", self, other, cls.__name__)
        return event


class GenericHandle(PluginHandle):
    """A handle for any plugin, custom ones included: raw bodies via :meth:`send`, typed
    requests via :meth:`request` if you have them. Attach with ``plugin=``."""
