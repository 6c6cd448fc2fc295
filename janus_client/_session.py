"""The seed's ``JanusSession``: lazy connection, one Janus session, its plugins."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import janus_anyio as ja
import janus_proto as jp

from ._errors import PluginAttachFail
from ._transport import JanusTransport
from .message_transaction import MessageTransaction

if TYPE_CHECKING:
    from types import TracebackType

    from ._plugin import JanusPlugin

__all__ = ["JanusSession"]

logger = logging.getLogger(__name__)

#: What a failed cleanup request may raise (logged, never propagated by destroy()).
_CLEANUP_ERRORS = (
    jp.JanusError,
    jp.LocalProtocolError,
    ja.TransportError,
    ja.SessionClosed,
    ja.HandleClosed,
    ja.RequestTimeout,
    TimeoutError,
)


class JanusSession:
    """A Janus session, created on first use (``create()``, attaching a plugin, ``send``).

    The connection is opened lazily too, from the URL (``ws``/``wss``: WebSocket,
    ``http``/``https``: HTTP), or comes from ``transport``. Keepalives are sent for you.
    Use ``async with JanusSession(...) as session:`` or call :meth:`destroy` at the end.

    Args:
        base_url: the Janus API URL (ignored when ``transport`` is given).
        api_secret, token: credentials (never logged, never in ``repr``).
        transport: a :class:`JanusTransport` to share between sessions.
        request_timeout: seconds each request may wait (a new transport only).

    Raises:
        TypeError, ValueError: no usable URL or transport.
    """

    def __init__(
        self,
        base_url: str = "",
        api_secret: str | None = None,
        token: str | None = None,
        transport: JanusTransport | None = None,
        *,
        request_timeout: float = 15.0,
    ) -> None:
        if transport is None:
            if not base_url:
                raise ValueError("JanusSession needs a base_url (or a transport)")
            transport = JanusTransport.create_transport(
                base_url, api_secret, token, {"request_timeout": request_timeout}
            )
            self._own_transport = True
        elif not isinstance(transport, JanusTransport):
            raise TypeError(f"transport must be a JanusTransport, got {type(transport).__name__}")
        else:
            self._own_transport = False
        self.transport = transport
        self.base_url = transport.base_url
        self._session: ja.Session | None = None
        self._plugins: dict[int, JanusPlugin] = {}
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        if self._session is None:
            state = "not created"
        elif self._session.closed:
            state = f"{self._session.id} closed"
        else:
            state = str(self._session.id)
        return f"<JanusSession {state} {self.base_url}>"

    __str__ = __repr__

    @property
    def id(self) -> int | None:
        """The Janus session id (None until created)."""
        return None if self._session is None else self._session.id

    @property
    def created(self) -> bool:
        """Whether the session exists on the server now."""
        return self._session is not None and not self._session.closed

    @property
    def request_timeout(self) -> float:
        """Seconds a request may wait for its answer."""
        return self.transport.request_timeout

    async def __aenter__(self) -> JanusSession:
        await self.create()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.destroy()

    async def create(self) -> None:
        """Create the session on the server (connecting first if needed). A no-op once
        created; after the server ended it (timeout), a new one is made.

        Raises:
            janus_anyio.TransportError: the server cannot be reached.
            janus_proto.JanusError: Janus refused (e.g. a wrong api_secret:
                ``janus_proto.Unauthorized``, whose text reads
                ``Create session fail: {'code': 403, 'reason': ...}``).
        """
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.created:
                return
            client = await self.transport._get_client()
            try:
                self._session = await client.create_session(timeout=self.request_timeout)
            except jp.JanusError as exc:
                # Same class, but worded as janus-client 0.9 did (code and reason shown).
                reason = {"code": exc.error_code, "reason": exc.reason}
                exc.args = (f"Create session fail: {reason}",)
                raise
            self.transport.dispatch_session_created(self._session.id)

    async def _active(self) -> ja.Session:
        await self.create()
        assert self._session is not None
        return self._session

    async def attach_plugin(self, plugin: JanusPlugin) -> int:
        """Attach ``plugin`` (a :class:`JanusPlugin`) to this session; return its handle id.

        Raises:
            PluginAttachFail: Janus refused (unknown plugin, token...) or did not answer.
        """
        from ._plugin import JanusPlugin

        if not isinstance(plugin, JanusPlugin):
            raise TypeError(f"expected a JanusPlugin, got {type(plugin).__name__}")
        if plugin.id is not None:
            raise RuntimeError(f"{plugin!r} is attached already")
        session = await self._active()
        try:
            handle = await session.attach(plugin.name, timeout=self.request_timeout)
        except (jp.JanusError, ja.RequestTimeout, ja.TransportError, ja.SessionClosed) as exc:
            raise PluginAttachFail(plugin, str(exc)) from exc
        self._plugins[handle.id] = plugin
        plugin._bind(self, handle)
        return handle.id

    def detach_plugin(self, plugin: JanusPlugin) -> None:
        """Forget ``plugin`` (its :meth:`~JanusPlugin.destroy` does this)."""
        if plugin.id is not None:
            self._plugins.pop(plugin.id, None)

    async def send(
        self, message: Mapping[str, Any], handle_id: int | None = None
    ) -> MessageTransaction:
        """Send a request given as a dict (``{"janus": "keepalive"}``); its session id
        (and ``handle_id``) are added. Returns the transaction: ``await txn.get()``.

        Raises:
            TypeError, ValueError: not a Janus request (nothing was sent).
        """
        session = await self._active()
        return await self.transport.send(message, session_id=session.id, handle_id=handle_id)

    async def keepalive(self) -> None:
        """Send a keepalive now (they are sent for you anyway)."""
        await (await self._active()).keepalive(timeout=self.request_timeout)

    async def destroy(self) -> None:
        """Destroy the session, its plugins' media and handles; close a transport this
        session opened. Never raises for a server that is gone, and returns within about
        ``request_timeout`` + 10 seconds whatever happens."""
        try:
            await asyncio.wait_for(self._destroy(), self.request_timeout + 10)
        except asyncio.TimeoutError:
            logger.warning("%r: destroy did not finish in time; abandoned", self)

    async def _destroy(self) -> None:
        for plugin in list(self._plugins.values()):
            await plugin._shutdown()
        self._plugins.clear()
        session = self._session
        if session is not None and not session.closed:
            try:
                await session.destroy(timeout=self.request_timeout)
            except _CLEANUP_ERRORS as exc:
                logger.debug("%r: destroy: %r", self, exc)
        if session is not None:
            self.transport.dispatch_session_destroyed(session.id)
        if self._own_transport:
            await self.transport.disconnect()
