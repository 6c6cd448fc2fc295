"""A loopback TCP proxy whose connections a test can drop (Janus itself stays up)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from anyio.abc import SocketStream, TaskGroup


class DroppingProxy:
    """Forwards 127.0.0.1:<port> to a target port; ``drop()`` cuts every live connection."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.connections = 0
        self._scopes: set[anyio.CancelScope] = set()
        self._tg: TaskGroup | None = None

    async def _serve(self, client: SocketStream) -> None:
        self.connections += 1
        with anyio.CancelScope() as scope:
            self._scopes.add(scope)
            try:
                async with client, await anyio.connect_tcp("127.0.0.1", self.target_port) as up:
                    async with anyio.create_task_group() as tg:
                        tg.start_soon(self._pump, client, up, tg)
                        tg.start_soon(self._pump, up, client, tg)
            except OSError:
                pass
            finally:
                self._scopes.discard(scope)

    async def _pump(self, src: SocketStream, dst: SocketStream, tg: TaskGroup) -> None:
        try:
            async for chunk in src:
                await dst.send(chunk)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            pass
        tg.cancel_scope.cancel()

    def drop(self) -> None:
        """Close every proxied connection now (both sides see a reset/EOF)."""
        for scope in list(self._scopes):
            scope.cancel()


@asynccontextmanager
async def dropping_proxy(target_port: int) -> AsyncIterator[DroppingProxy]:
    proxy = DroppingProxy(target_port)
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    proxy.port = listener.extra(anyio.abc.SocketAttribute.local_port)
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(listener.serve, proxy._serve)
            try:
                yield proxy
            finally:
                tg.cancel_scope.cancel()
    finally:
        with anyio.move_on_after(1, shield=True):
            await listener.aclose()


def port_of(url: str) -> int:
    return int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
