"""The re-exposed event stream of a handle whose events the media layer reads.

:class:`EventQueue` is the user's side: a bounded queue filled by the media layer's reader,
read with :meth:`~EventQueue.next_event`, :meth:`~EventQueue.events` and
:meth:`~EventQueue.expect` (which takes only what it matches and leaves the rest, in
order). When the reader has stopped, reads go straight to the handle instead, so the stream
goes on with nothing lost.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar, overload

import janus_proto as jp
from janus_anyio import EventOverflow, HandleClosed
from janus_anyio.plugins import PluginEventItem

from ._channel import Changed, within

__all__ = ["EventQueue"]

logger = logging.getLogger(__name__)

_E = TypeVar("_E")


class EventQueue:
    """Queued handle events (trickles excepted) for one consumer."""

    def __init__(self, buffer: int) -> None:
        if isinstance(buffer, bool) or not isinstance(buffer, int):
            raise TypeError(f"event_buffer must be an int, got {type(buffer).__name__}")
        if buffer < 1:
            raise ValueError(f"event_buffer must be at least 1, got {buffer}")
        self._event_buffer = buffer
        self._events: deque[PluginEventItem] = deque()
        self._overflowed = False
        #: Why the reader stopped for good (HandleClosed, EventOverflow...), if it did.
        self._end: Exception | None = None
        self._changed = Changed()  # events, and whatever else subclasses wait for

    def _direct_source(self) -> Callable[[], Awaitable[PluginEventItem]] | None:
        """Where to read the next event once the reader has stopped (None: it runs)."""
        return None  # pragma: no cover - overridden

    def _deliver(self, event: PluginEventItem) -> None:
        """Queue an event (the reader calls this; it never waits)."""
        if isinstance(event, jp.TrickleReceived) or self._overflowed:
            return
        if len(self._events) >= self._event_buffer:
            self._overflowed = True
            logger.warning("%r: event buffer full; its event stream fails", self)
        else:
            self._events.append(event)
        self._changed.notify()

    async def _more(self) -> None:
        """Wait until more events may be queued.

        Raises:
            EventOverflow, HandleClosed: the stream ended that way.
        """
        if self._overflowed:
            raise EventOverflow(f"{self!r}: more than {self._event_buffer} events were not read")
        source = self._direct_source()
        if source is not None:
            self._events.append(await source())
        elif self._end is not None:
            raise self._end
        else:
            await self._changed.wait()

    async def next_event(self, *, timeout: float | None = None) -> PluginEventItem:
        """The next event of the handle but trickles: typed plugin data, or a core event
        (``WebRTCUp``, ``MediaChanged``, ``HungUp``, ``SlowLink``...).

        After ``close()`` it goes on: the events it holds first, then the handle's.

        Raises:
            HandleClosed: the handle closed and no event is left.
            EventOverflow: events were not read and the buffer overflowed.
            TimeoutError: none within ``timeout`` seconds.
        """

        async def take() -> PluginEventItem:
            while not self._events:
                await self._more()
            return self._events.popleft()

        return await within(timeout, take())

    async def events(self) -> AsyncIterator[PluginEventItem]:
        """Iterate over :meth:`next_event` until the handle closes."""
        while True:
            try:
                event = await self.next_event()
            except HandleClosed:
                return
            yield event

    @overload
    async def expect(
        self, match: Callable[[PluginEventItem], bool], *, timeout: float | None = None
    ) -> PluginEventItem: ...

    @overload
    async def expect(self, match: type[_E], *, timeout: float | None = None) -> _E: ...

    async def expect(self, match: Any, *, timeout: float | None = None) -> Any:
        """The first queued or coming event of class ``match`` (or satisfying it, if a
        predicate). Only that event is taken: the others stay queued, in order.

        Raises:
            as :meth:`next_event`.
        """
        test: Callable[[PluginEventItem], bool]
        if isinstance(match, type):
            test = lambda e: isinstance(e, match)  # noqa: E731
        else:
            test = match

        async def take() -> PluginEventItem:
            checked = 0
            while True:
                for index in range(checked, len(self._events)):
                    if test(self._events[index]):
                        event = self._events[index]
                        del self._events[index]
                        return event
                checked = len(self._events)
                await self._more()

        return await within(timeout, take())
