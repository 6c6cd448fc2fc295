"""A janus_anyio client kept open by a background task.

janus_anyio's clients are async context managers; the seed's API has no ``async with``
around a connection's life (it connects on first use and closes in ``destroy()`` or
``disconnect()``). :class:`HeldConnection` bridges the two: a task enters the context
manager and holds it open until :meth:`HeldConnection.close`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Generic, Protocol, TypeVar

import janus_anyio as ja

__all__ = ["HeldConnection"]

logger = logging.getLogger(__name__)


class _Closable(Protocol):
    @property
    def closed(self) -> bool: ...


_C = TypeVar("_C", bound=_Closable)

#: Seconds a task holding a connection gets to close it before it is cancelled.
_CLOSE_GRACE = 5.0


class HeldConnection(Generic[_C]):
    """The client of ``opener()``, opened by :meth:`open` and held by a task.

    Args:
        opener: makes the client's async context manager (e.g. ``lambda:
            janus_anyio.connect(url)``); called once per :meth:`open`.
        label: the URL or name used in error messages and the task's name.
        open_timeout: seconds :meth:`open` waits for the client.
    """

    def __init__(
        self,
        opener: Callable[[], AbstractAsyncContextManager[_C]],
        *,
        label: str,
        open_timeout: float,
    ) -> None:
        self._opener = opener
        self._label = label
        self._open_timeout = open_timeout
        self._client: _C | None = None
        self._task: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None
        self._lock: asyncio.Lock | None = None

    @property
    def open(self) -> bool:
        """Whether the client is open now."""
        return self._client is not None and not self._client.closed

    async def ensure_open(self) -> None:
        """Open the client unless it is open (a no-op then).

        Raises:
            janus_anyio.TransportError: it could not be opened within ``open_timeout``.
            Exception: what opening it raised.
        """
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.open:
                return
            await self.close()
            loop = asyncio.get_running_loop()
            ready: asyncio.Future[None] = loop.create_future()
            self._stop = asyncio.Event()
            self._task = loop.create_task(
                self._hold(ready, self._stop), name=f"janus_client {self._label}"
            )
            try:
                await asyncio.wait_for(asyncio.shield(ready), self._open_timeout)
            except asyncio.TimeoutError:
                await self.close()
                raise ja.TransportError(f"could not connect to {self._label}: timed out") from None
            except BaseException:
                await self.close()
                raise

    async def client(self) -> _C:
        """The open client, opened first if needed.

        Raises:
            janus_anyio.ConnectionClosed: it closed right after opening.
        """
        if not self.open:
            await self.ensure_open()
        client = self._client
        if client is None:
            raise ja.ConnectionClosed(f"{self._label}: connection closed")
        return client

    async def close(self) -> None:
        """Close the client (its pending requests fail); waits at most about 10 s."""
        task, self._task = self._task, None
        if task is None:
            return
        if self._stop is not None:
            self._stop.set()
        done, _ = await asyncio.wait([task], timeout=_CLOSE_GRACE)
        if not done:
            task.cancel()
            await asyncio.wait([task], timeout=_CLOSE_GRACE)

    async def _hold(self, ready: asyncio.Future[None], stop: asyncio.Event) -> None:
        try:
            async with self._opener() as client:
                self._client = client
                ready.set_result(None)
                await stop.wait()
        except asyncio.CancelledError:
            if not ready.done():
                ready.cancel()
            raise
        except Exception as exc:
            if not ready.done():
                ready.set_exception(exc)
            else:
                logger.warning("%s: connection ended: %r", self._label, exc)
        finally:
            self._client = None
