"""Data channels as awaitables: aiortc's callbacks stay inside."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from typing import TypeVar

from aiortc import RTCDataChannel

from janus_anyio import EventOverflow

from ._errors import DataChannelClosed

__all__ = ["DataChannel", "Changed", "within"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: Above this many bytes queued, :meth:`DataChannel.send` waits for the queue to drain.
_HIGH_WATER = 1 << 20
_LOW_WATER = 1 << 18


async def within(timeout: float | None, awaitable: Awaitable[_T]) -> _T:
    """``await awaitable``, raising the builtin :class:`TimeoutError` after ``timeout``
    seconds (None: no limit)."""
    if timeout is None:
        return await awaitable
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:  # (not the builtin TimeoutError on 3.10)
        raise TimeoutError(f"nothing within {timeout} s") from None


class Changed:
    """A wake-up for many waiters: :meth:`notify` wakes everyone waiting now."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self) -> None:
        await self._event.wait()


class DataChannel:
    """One data channel: await it open, send, receive or iterate over messages.

    Made by :meth:`PeerConnection.create_data_channel` (ours) or given by
    :meth:`PeerConnection.wait_data_channel` (opened by Janus). Received messages wait in
    a bounded buffer (``buffer`` messages); when it overflows because nothing reads it, the
    reader gets :class:`janus_anyio.EventOverflow` once the buffered ones are read.

    Attributes:
        raw: aiortc's ``RTCDataChannel`` (do not register callbacks on it).
    """

    def __init__(self, channel: RTCDataChannel, *, buffer: int = 1024) -> None:
        if buffer < 1:
            raise ValueError(f"buffer must be at least 1, got {buffer}")
        self.raw = channel
        self._buffer = buffer
        self._inbox: deque[str | bytes] = deque()
        self._overflowed = False
        self._changed = Changed()
        self._opened = asyncio.Event()
        self._closed = asyncio.Event()
        channel.bufferedAmountLowThreshold = _LOW_WATER
        channel.on("open", self._on_open)
        channel.on("message", self._on_message)
        channel.on("close", self._on_close)
        channel.on("bufferedamountlow", self._on_drained)
        if channel.readyState == "open":
            self._opened.set()
        elif channel.readyState == "closed":
            self._on_close()

    def __repr__(self) -> str:
        return f"<DataChannel {self.label!r} id={self.id} {self.ready_state}>"

    # -- aiortc's callbacks (run on the event loop; they never wait) -----------------------

    def _on_open(self) -> None:
        self._opened.set()
        self._changed.notify()

    def _on_message(self, message: str | bytes) -> None:
        if self._overflowed:
            return
        if len(self._inbox) >= self._buffer:
            self._overflowed = True
            logger.warning("%r: receive buffer full; its message stream fails", self)
        else:
            self._inbox.append(message)
        self._changed.notify()

    def _on_close(self) -> None:
        self._closed.set()
        self._changed.notify()

    def _on_drained(self) -> None:
        self._changed.notify()

    # -- the public side ---------------------------------------------------------------

    @property
    def label(self) -> str:
        return self.raw.label

    @property
    def id(self) -> int | None:
        """The SCTP stream id (None until negotiated)."""
        return self.raw.id

    @property
    def protocol(self) -> str:
        return self.raw.protocol

    @property
    def ready_state(self) -> str:
        """``connecting``, ``open``, ``closing`` or ``closed``."""
        return self.raw.readyState

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    async def wait_open(self, *, timeout: float | None = None) -> None:
        """Wait until the channel is open.

        Raises:
            DataChannelClosed: it closed first.
            TimeoutError: not open within ``timeout`` seconds.
        """

        async def opened() -> None:
            while not self._opened.is_set():
                if self._closed.is_set():
                    raise DataChannelClosed(f"{self!r} closed before it opened")
                await self._changed.wait()

        await within(timeout, opened())

    async def send(self, data: str | bytes, *, timeout: float | None = None) -> None:
        """Send a text or binary message, once the channel is open; waits while more than
        1 MiB is queued.

        Raises:
            DataChannelClosed: the channel is closed.
            TimeoutError: not sent within ``timeout`` seconds.
        """
        if not isinstance(data, (str, bytes)):
            raise TypeError(f"a message is str or bytes, got {type(data).__name__}")

        async def sendable() -> None:
            await self.wait_open()
            while self.raw.bufferedAmount > _HIGH_WATER:
                if self._closed.is_set():
                    break
                await self._changed.wait()
            if self._closed.is_set() or self.raw.readyState != "open":
                raise DataChannelClosed(f"{self!r} is closed")

        await within(timeout, sendable())
        self.raw.send(data)

    async def receive(self, *, timeout: float | None = None) -> str | bytes:
        """The next message (text as ``str``, binary as ``bytes``).

        Raises:
            DataChannelClosed: the channel closed and no message is left.
            EventOverflow: messages were not read and the buffer overflowed.
            TimeoutError: none within ``timeout`` seconds.
        """

        async def received() -> str | bytes:
            while True:
                if self._inbox:
                    return self._inbox.popleft()
                if self._overflowed:
                    raise EventOverflow(f"{self!r}: more than {self._buffer} messages unread")
                if self._closed.is_set():
                    raise DataChannelClosed(f"{self!r} is closed")
                await self._changed.wait()

        return await within(timeout, received())

    def __aiter__(self) -> DataChannel:
        return self

    async def __anext__(self) -> str | bytes:
        try:
            return await self.receive()
        except DataChannelClosed:
            raise StopAsyncIteration from None

    async def aclose(self, *, timeout: float = 5.0) -> None:
        """Close the channel and wait (up to ``timeout`` seconds) until it is closed."""
        if self._closed.is_set():
            return
        self.raw.close()
        try:
            await within(timeout, self._closed.wait())
        except TimeoutError:
            logger.debug("%r: no close confirmation within %s s", self, timeout)

    def _peer_closed(self) -> None:
        """The PeerConnection closed: nothing more will come."""
        self._on_close()
