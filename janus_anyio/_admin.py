"""The Admin/Monitor API client: :class:`AdminClient` and :func:`connect_admin`."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio

import janus_proto as jp
from janus_proto import JanusConfig, Request

from ._base import (
    ReconnectPolicy,
    _as,
    _BaseClient,
    _check_positive,
    _policy,
    _running,
    _transport_for,
)
from ._transport import Transport

__all__ = ["AdminClient", "connect_admin"]


class AdminClient(_BaseClient):
    """A connection to the Admin/Monitor API. Build it with :func:`connect_admin`.

    Janus answers every Admin API request at once: there are no sessions, handles or events
    on this connection. Each method sends one request (with the ``admin_secret`` given to
    :func:`connect_admin`; ``info`` and ``ping`` need none) and returns the useful part of
    the reply. ``timeout`` is the request's deadline in seconds (default: the client's
    ``request_timeout``). The methods act on the whole server: any session or handle, of
    any client and transport. Verbs without a method here (pcap captures, the other
    ``set_*`` settings, ``loops_info``, ``query_logger``, ``test_stun``...) go through
    :meth:`call`.

    Besides the errors each method lists, every request may raise the following.

    Raises:
        Unauthorized: a wrong or missing admin secret (403).
        RequestTimeout: no answer within ``timeout``.
        ConnectionLost: the connection dropped after the request was sent (outcome unknown).
        ConnectionClosed: the client is closed.
        TypeError, ValueError: an argument of the wrong type or value (nothing is sent).
    """

    async def _admin(self, request: Request, timeout: float | None) -> dict[str, Any]:
        return dict(_as(jp.AdminResponse, await self.request(request, timeout=timeout)).data)

    async def info(self, *, timeout: float | None = None) -> jp.ServerInfo:
        """The server's ``server_info``, as the Janus API gives it (no admin secret needed).

        Returns:
            The server's version, settings, and loaded plugins and transports.
        """
        return _as(jp.ServerInfo, await self.request(jp.Info(), timeout=timeout))

    async def ping(self, *, timeout: float | None = None) -> float:
        """Ping Janus over the Admin API (no admin secret needed).

        Returns:
            The round-trip time, in seconds.
        """
        start = anyio.current_time()
        await self.request(jp.Ping(), timeout=timeout)
        return anyio.current_time() - start

    async def get_status(self, *, timeout: float | None = None) -> dict[str, Any]:
        """The server's runtime settings (``status``).

        Returns:
            Janus's ``status`` object: ``token_auth``, ``session_timeout``,
            ``reclaim_session_timeout``, ``candidates_timeout``, ``log_level``,
            ``log_timestamps``, ``log_colors``, ``locking_debug``, ``refcount_debug``,
            ``libnice_debug``, ``min_nack_queue``, ``nack-optimizations``,
            ``no_media_timer`` and ``slowlink_threshold``.
        """
        return dict((await self._admin(jp.GetStatus(), timeout)).get("status", {}))

    async def list_sessions(self, *, timeout: float | None = None) -> list[int]:
        """The ids of every session on the server.

        Returns:
            The session ids (of all clients and transports).
        """
        return list((await self._admin(jp.ListSessions(), timeout)).get("sessions", []))

    async def list_handles(self, session_id: int, *, timeout: float | None = None) -> list[int]:
        """The ids of a session's handles.

        Args:
            session_id: any session on the server.

        Returns:
            The ids of the handles attached in that session.

        Raises:
            SessionNotFound: no such session (458).
        """
        data = await self._admin(jp.ListHandles(session_id=session_id), timeout)
        return list(data.get("handles", []))

    async def handle_info(
        self,
        session_id: int,
        handle_id: int,
        *,
        plugin_only: bool = False,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """A handle's state as Janus sees it: WebRTC (ICE, DTLS, SDPs, statistics) and plugin.

        Args:
            session_id: the handle's session.
            handle_id: the handle.
            plugin_only: leave out the WebRTC part (``flags``, ``sdps``, ``streams``...):
                only the session and handle basics and ``plugin_specific``.

        Returns:
            Janus's ``info`` object: ``session_id``, ``handle_id``, ``plugin``,
            ``created``, ``flags``, ``sdps``, ``streams`` (once media was negotiated),
            ``plugin_specific`` (the plugin's own view) and more.

        Raises:
            SessionNotFound: no such session (458).
            HandleNotFound: no such handle in that session (459).
        """
        data = await self._admin(
            jp.HandleInfo(
                session_id=session_id, handle_id=handle_id, plugin_only=plugin_only or None
            ),
            timeout,
        )
        return dict(data.get("info", {}))

    async def set_session_timeout(
        self, timeout_seconds: int, *, session_id: int | None = None, timeout: float | None = None
    ) -> int:
        """Set the session timeout: the global one, or one session's.

        Args:
            timeout_seconds: seconds without activity after which Janus destroys a session;
                0 means never. For one session, -1 returns it to the global value.
            session_id: the session to change; None changes the global timeout.

        Returns:
            The timeout now set, as Janus reports it.

        Raises:
            InvalidElementType: a value out of range (467), e.g. -1 for the global timeout.
            SessionNotFound: no such session (458).
        """
        data = await self._admin(
            jp.SetSessionTimeout(timeout=timeout_seconds, session_id=session_id), timeout
        )
        return int(data.get("timeout", timeout_seconds))

    async def set_log_level(self, level: int, *, timeout: float | None = None) -> int:
        """Set Janus's log level.

        Args:
            level: 0 (nothing) to 7 (debug); 4 (info) is Janus's default.

        Returns:
            The level now set.

        Raises:
            InvalidElementType: a level outside 0-7 (467).
        """
        return int((await self._admin(jp.SetLogLevel(level=level), timeout)).get("level", level))

    async def accept_new_sessions(self, accept: bool, *, timeout: float | None = None) -> bool:
        """Let Janus accept new sessions, or refuse them.

        Args:
            accept: False makes every ``create`` fail with NotAcceptingSessions (472) until
                it is set back to True; existing sessions go on.

        Returns:
            The setting now in force.
        """
        data = await self._admin(jp.AcceptNewSessions(accept=accept), timeout)
        return bool(data.get("accept", accept))

    async def message_plugin(
        self, plugin: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send a request to a plugin's Admin API hook.

        Args:
            plugin: the plugin's package name, e.g. ``"janus.plugin.videoroom"``.
            request: a request the plugin answers synchronously, e.g.
                ``{"request": "list"}``.

        Returns:
            The plugin's ``response``. A plugin-level failure is in it (``error_code``,
            ``error``), not raised.

        Raises:
            PluginNotFound: no such plugin (460).
            UnknownError: the plugin has no Admin API hook (490; VideoCall, SIP, NoSIP).
        """
        data = await self._admin(jp.MessagePlugin(plugin=plugin, request=request), timeout)
        return dict(data.get("response", {}))

    async def query_transport(
        self, transport: str, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send a request to a transport plugin.

        Args:
            transport: the transport's package name, e.g. ``"janus.transport.websockets"``.
            request: the transport's request; the HTTP and WebSocket transports answer
                ``{"request": "connections"}`` and ``{"request": "configure", ...}``.

        Returns:
            The transport's ``response``, e.g. ``{"result": 200, "connections": 2}``.

        Raises:
            PluginNotFound: no such transport (460).
        """
        data = await self._admin(jp.QueryTransport(transport=transport, request=request), timeout)
        return dict(data.get("response", {}))

    async def add_token(
        self, token: str, plugins: Sequence[str] | None = None, *, timeout: float | None = None
    ) -> list[str]:
        """Store a token that clients send to use the Janus API (stored-token auth).

        Args:
            token: the token.
            plugins: the plugins it may attach to; names of plugins that are not loaded
                are skipped. None allows every loaded plugin.

        Returns:
            The plugins the token may now use.

        Raises:
            UnknownError: the server does not store tokens (490: ``token_auth`` is off,
                or it checks signed tokens).
        """
        data = await self._admin(jp.AddToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def list_tokens(self, *, timeout: float | None = None) -> list[dict[str, Any]]:
        """The stored tokens.

        Returns:
            One ``{"token": ..., "allowed_plugins": [...]}`` per token.

        Raises:
            UnknownError: the server does not store tokens (490).
        """
        data = await self._admin(jp.ListTokens(), timeout)
        return list(data.get("data", {}).get("tokens", []))

    async def allow_token(
        self, token: str, plugins: Sequence[str], *, timeout: float | None = None
    ) -> list[str]:
        """Let a stored token use more plugins.

        Args:
            token: a stored token.
            plugins: one or more plugin package names, all loaded.

        Returns:
            Every plugin the token may now use.

        Raises:
            TokenNotFound: no such token (470).
            InvalidElementType: a plugin that is not loaded (467).
            UnknownError: the server does not store tokens (490).
        """
        data = await self._admin(jp.AllowToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def disallow_token(
        self, token: str, plugins: Sequence[str], *, timeout: float | None = None
    ) -> list[str]:
        """Forbid a stored token some plugins.

        Args:
            token: a stored token.
            plugins: one or more plugin package names, all loaded.

        Returns:
            The plugins the token may still use.

        Raises:
            TokenNotFound: no such token (470).
            InvalidElementType: a plugin that is not loaded (467).
            UnknownError: the server does not store tokens (490).
        """
        data = await self._admin(jp.DisallowToken(token=token, plugins=plugins), timeout)
        return list(data.get("data", {}).get("plugins", []))

    async def remove_token(self, token: str, *, timeout: float | None = None) -> None:
        """Delete a stored token; sessions using it fail their next request (403).

        Raises:
            UnknownError: no such token, or the server does not store tokens (490).
        """
        await self._admin(jp.RemoveToken(token=token), timeout)

    async def destroy_session(self, session_id: int, *, timeout: float | None = None) -> None:
        """Destroy any session on the server, with its handles.

        Janus sends its owner no event: a :class:`~janus_anyio.Session` of this library ends
        when its next request (or HTTP long poll) finds the session gone (458).

        Raises:
            SessionNotFound: no such session (458).
        """
        await self._admin(jp.DestroySession(session_id=session_id), timeout)

    async def detach_handle(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        """Detach any handle on the server, as its owner's ``detach`` would.

        Raises:
            SessionNotFound: no such session (458).
            HandleNotFound: no such handle in that session (459).
        """
        await self._admin(jp.DetachHandle(session_id=session_id, handle_id=handle_id), timeout)

    async def hangup_webrtc(
        self, session_id: int, handle_id: int, *, timeout: float | None = None
    ) -> None:
        """Close a handle's PeerConnection; the handle stays attached.

        Its owner gets a ``hangup`` event with reason ``"Admin API"``. A handle without a
        PeerConnection is not an error.

        Raises:
            SessionNotFound: no such session (458).
            HandleNotFound: no such handle in that session (459).
        """
        await self._admin(jp.HangupWebRTC(session_id=session_id, handle_id=handle_id), timeout)

    async def call(
        self, request: jp.AdminRequest, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Any admin request (every verb of the Admin API has a class in janus_proto).

        For the verbs without a method here, e.g. ``jp.StartPcap(session_id=...,
        handle_id=..., folder=..., filename=...)`` and ``jp.StopPcap(...)`` (and their
        ``Text2Pcap`` twins), the other settings (``jp.SetNoMediaTimer(...)``,
        ``jp.SetLogTimestamps(...)``...), ``jp.LoopsInfo()``, ``jp.QueryLogger(...)``,
        ``jp.TestStun(...)``.

        Args:
            request: a :class:`janus_proto.AdminRequest`.

        Returns:
            Janus's reply without ``janus`` and ``transaction`` (``{}`` for a bare success).

        Raises:
            JanusError: the subclass for Janus's error code, e.g. UnknownError (490) for
                ``start_pcap`` on a handle that is being captured already.
        """
        return await self._admin(request, timeout)


@asynccontextmanager
async def connect_admin(
    url: str | Transport,
    *,
    admin_secret: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    request_timeout: float = 15.0,
    reconnect: ReconnectPolicy | bool = True,
    connect_timeout: float = 10.0,
    max_message_size: int = 16 * 1024 * 1024,
) -> AsyncIterator[AdminClient]:
    """Connect to the Admin/Monitor API (``http(s)://host:7088/admin``, ``ws(s)://host:7188``,
    or the pfunix admin socket).

    Args:
        admin_secret: the server's ``admin_secret``, sent with every request but ``info``
            and ``ping``.
        request_timeout: default deadline of a request, in seconds.
        reconnect: a :class:`ReconnectPolicy`, or a bool to turn the default one on or off.
        connect_timeout: seconds allowed to open the connection.
        max_message_size: largest message accepted from the server, in bytes.

    Raises:
        TypeError, ValueError: an argument of the wrong type or value (nothing is opened).
    """
    reconnect = _policy(reconnect)
    _check_positive("connect_timeout", connect_timeout)
    _check_positive("max_message_size", max_message_size, integer=True)
    config = JanusConfig(
        admin_secret=admin_secret,
        admin=True,
        request_timeout=request_timeout,
        keepalive_interval=None,
        max_message_size=max_message_size,
    )
    transport = _transport_for(url, True, ssl_context, connect_timeout, 1, max_message_size)
    client = AdminClient(transport, config, reconnect=reconnect, send_timeout=request_timeout)
    async with _running(client) as running:
        yield running
