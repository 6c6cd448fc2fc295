"""What every ``janus-client`` command gets: its settings, its output and its connections."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import attrs

from .._client import AdminClient, JanusClient, connect, connect_admin
from ..plugins import PluginHandle
from ._output import Output

__all__ = ["Settings", "Context", "DEFAULT_URL", "DEFAULT_ADMIN_URL"]

#: Where Janus listens by default (its WebSocket transport).
DEFAULT_URL = "ws://127.0.0.1:8188"
#: Where the Admin API listens by default (its WebSocket transport).
DEFAULT_ADMIN_URL = "ws://127.0.0.1:7188"

_H = TypeVar("_H", bound=PluginHandle)


@attrs.frozen(kw_only=True)
class Settings:
    """The resolved global options (flags, else environment, else defaults).

    Attributes:
        timeout: seconds allowed to connect, and to each request.
    """

    url: str = DEFAULT_URL
    admin_url: str = DEFAULT_ADMIN_URL
    api_secret: str | None = attrs.field(default=None, repr=False)
    token: str | None = attrs.field(default=None, repr=False)
    admin_secret: str | None = attrs.field(default=None, repr=False)
    timeout: float = 10.0
    json: bool = False
    backend: str = "asyncio"
    cafile: str | None = None


class Context:
    """Connections made to the command's settings; output through :class:`Output`."""

    def __init__(self, settings: Settings, out: Output) -> None:
        self.settings = settings
        self.out = out

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for ``--cafile`` (None: the system's defaults)."""
        cafile = self.settings.cafile
        return ssl.create_default_context(cafile=cafile) if cafile else None

    @asynccontextmanager
    async def janus(
        self, *, url: str | None = None, keepalive: bool = False
    ) -> AsyncIterator[JanusClient]:
        """A Janus API connection to ``url`` (default ``--url``): no reconnect, and no
        keepalives unless ``keepalive`` (for commands that last longer than a request)."""
        s = self.settings
        async with connect(
            url or s.url,
            api_secret=s.api_secret,
            token=s.token,
            ssl_context=self.ssl_context(),
            request_timeout=s.timeout,
            connect_timeout=s.timeout,
            keepalive_interval="auto" if keepalive else None,
            reconnect=False,
        ) as client:
            yield client

    @asynccontextmanager
    async def admin(self) -> AsyncIterator[AdminClient]:
        """An Admin API connection (no reconnect)."""
        s = self.settings
        async with connect_admin(
            s.admin_url,
            admin_secret=s.admin_secret,
            ssl_context=self.ssl_context(),
            request_timeout=s.timeout,
            connect_timeout=s.timeout,
            reconnect=False,
        ) as client:
            yield client

    @asynccontextmanager
    async def plugin(self, cls: type[_H]) -> AsyncIterator[_H]:
        """A handle of ``cls`` in a fresh session, destroyed on exit."""
        async with self.janus() as client, client.session() as session:
            handle = await cls.attach(session)
            yield handle
