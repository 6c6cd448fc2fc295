"""``JanusAdminMonitorClient``: the Admin/Monitor API (janus-client 0.9 names)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import janus_anyio as ja
import janus_proto as jp

from ._held import HeldConnection

__all__ = ["JanusAdminMonitorClient"]

logger = logging.getLogger(__name__)


class JanusAdminMonitorClient:
    """A client of the Admin/Monitor API (``http(s)://host:7088/admin`` or
    ``ws(s)://host:7188``), connected on first use.

    Args:
        base_url: the admin endpoint.
        admin_secret: the server's ``admin_secret`` (never logged, never in ``repr``).
        api_secret, token: accepted for compatibility; the Admin API does not use them.
        request_timeout: seconds each request may wait.
    """

    def __init__(
        self,
        base_url: str,
        admin_secret: str | None = None,
        api_secret: str | None = None,
        token: str | None = None,
        *,
        request_timeout: float = 15.0,
    ) -> None:
        if not isinstance(base_url, str) or not base_url:
            raise TypeError(f"base_url must be a non-empty str, got {base_url!r}")
        self.base_url = base_url
        self._admin_secret = admin_secret
        self._api_secret = api_secret
        self._token = token
        self.request_timeout = request_timeout
        self._held: HeldConnection[ja.AdminClient] = HeldConnection(
            lambda: ja.connect_admin(
                self.base_url,
                admin_secret=self._admin_secret,
                request_timeout=self.request_timeout,
            ),
            label=base_url,
            open_timeout=request_timeout + 5,
        )

    def __repr__(self) -> str:
        state = "connected" if self.connected else "not connected"
        return f"<JanusAdminMonitorClient {self.base_url} {state}>"

    __str__ = __repr__

    @property
    def connected(self) -> bool:
        """Whether the connection is open."""
        return self._held.open

    async def __aenter__(self) -> JanusAdminMonitorClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.disconnect()

    async def connect(self) -> None:
        """Open the connection (done for you on first use).

        Raises:
            janus_anyio.TransportError: it could not be opened in time.
        """
        await self._held.ensure_open()

    async def disconnect(self) -> None:
        """Close the connection (pending requests fail)."""
        await self._held.close()

    async def _admin(self) -> ja.AdminClient:
        return await self._held.client()

    async def _data(self, request: jp.Request) -> dict[str, Any]:
        client = await self._admin()
        return dict((await client.request(request, timeout=self.request_timeout)).raw)

    # -- generic -------------------------------------------------------------------------

    async def send(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """Any admin request given as a dict (``{"janus": "list_sessions"}``...); the
        transaction and secret are added. Returns the answer (raw JSON).

        Raises:
            TypeError, ValueError: not an admin request (nothing was sent).
            janus_proto.JanusError: Janus refused.
        """
        if not isinstance(message, Mapping):
            raise TypeError(f"message must be a dict, got {type(message).__name__}")
        obj = {**message, "transaction": "-"}
        request, _ = jp.decode_request(obj, admin=True)
        return await self._data(request)

    async def request(self, request: jp.Request) -> dict[str, Any]:
        """Any typed request of :mod:`janus_proto` (``jp.ListSessions()``...)."""
        return await self._data(request)

    async def ping(self) -> dict[str, Any]:
        """Ping; returns the ``pong`` (raw JSON)."""
        return await self._data(jp.Ping())

    async def info(self) -> dict[str, Any]:
        """The server's ``server_info`` (raw JSON)."""
        return await self._data(jp.Info())

    async def loops_info(self) -> list[dict[str, Any]]:
        """The event loops and their handle counts."""
        return list((await self._data(jp.LoopsInfo())).get("loops", []))

    async def get_settings(self) -> dict[str, Any]:
        """The runtime settings (the ``status`` object)."""
        return dict((await self._data(jp.GetStatus())).get("status", {}))

    get_status = get_settings

    async def _set(self, request: jp.Request, key: str, given: Any) -> Any:
        return (await self._data(request)).get(key, given)

    async def set_session_timeout(self, timeout: int) -> int:
        """Set the session timeout (seconds); returns the value now in effect."""
        return int(await self._set(jp.SetSessionTimeout(timeout=timeout), "timeout", timeout))

    async def set_log_level(self, level: int) -> int:
        """Set the log level (0-7); returns the level now in effect."""
        return int(await self._set(jp.SetLogLevel(level=level), "level", level))

    async def set_log_timestamps(self, timestamps: bool) -> bool:
        """Turn timestamps in the log on or off; returns the setting now in effect."""
        request = jp.SetLogTimestamps(timestamps=timestamps)
        return bool(await self._set(request, "log_timestamps", timestamps))

    async def set_log_colors(self, colors: bool) -> bool:
        """Turn colours in the log on or off; returns the setting now in effect."""
        return bool(await self._set(jp.SetLogColors(colors=colors), "log_colors", colors))

    async def set_locking_debug(self, debug: bool) -> bool:
        """Turn locking debug on or off; returns the setting now in effect."""
        return bool(await self._set(jp.SetLockingDebug(debug=debug), "locking_debug", debug))

    async def set_refcount_debug(self, debug: bool) -> bool:
        """Turn reference-count debug on or off; returns the setting now in effect."""
        return bool(await self._set(jp.SetRefcountDebug(debug=debug), "refcount_debug", debug))

    async def set_libnice_debug(self, debug: bool) -> bool:
        """Turn libnice debug on or off; returns the setting now in effect."""
        return bool(await self._set(jp.SetLibniceDebug(debug=debug), "libnice_debug", debug))

    async def set_min_nack_queue(self, min_nack_queue: int) -> int:
        """Set the minimum NACK queue (ms); returns the value now in effect."""
        request = jp.SetMinNackQueue(min_nack_queue=min_nack_queue)
        return int(await self._set(request, "min_nack_queue", min_nack_queue))

    async def set_no_media_timer(self, no_media_timer: int) -> int:
        """Set the no-media timer (seconds); returns the value now in effect."""
        request = jp.SetNoMediaTimer(no_media_timer=no_media_timer)
        return int(await self._set(request, "no_media_timer", no_media_timer))

    async def set_slowlink_threshold(self, slowlink_threshold: int) -> int:
        """Set the slow-link threshold (lost packets per second; 0: off); returns the value now
        in effect."""
        request = jp.SetSlowlinkThreshold(slowlink_threshold=slowlink_threshold)
        return int(await self._set(request, "slowlink_threshold", slowlink_threshold))

    # -- tokens --------------------------------------------------------------------------

    async def list_tokens(self) -> list[dict[str, Any]]:
        """The stored tokens (``token``, ``allowed_plugins``)."""
        return list((await self._data(jp.ListTokens())).get("data", {}).get("tokens", []))

    async def add_token(self, token: str | None = None, plugins: Sequence[str] = ()) -> str:
        """Store ``token`` (a fresh random one when None) for ``plugins`` (empty: all);
        returns the token."""
        value = token if token is not None else secrets.token_urlsafe(24)
        await self._data(jp.AddToken(token=value, plugins=list(plugins) or None))
        return value

    async def allow_token(self, token: str, plugins: Sequence[str]) -> list[str]:
        """Let ``token`` use ``plugins`` too; returns the plugins it may use now."""
        data = await self._data(jp.AllowToken(token=token, plugins=list(plugins)))
        return list(data.get("data", {}).get("plugins", []))

    async def disallow_token(self, token: str, plugins: Sequence[str]) -> list[str]:
        """Stop ``token`` from using ``plugins``; returns the plugins it may use now."""
        data = await self._data(jp.DisallowToken(token=token, plugins=list(plugins)))
        return list(data.get("data", {}).get("plugins", []))

    async def remove_token(self, token: str) -> bool:
        """Forget ``token``; True when done."""
        await self._data(jp.RemoveToken(token=token))
        return True

    # -- the rest of the Admin API -------------------------------------------------------

    async def list_sessions(self) -> list[int]:
        """The ids of the sessions on the server."""
        return list((await self._data(jp.ListSessions())).get("sessions", []))

    async def list_handles(self, session_id: int) -> list[int]:
        """The handle ids of session ``session_id``."""
        return list((await self._data(jp.ListHandles(session_id=session_id))).get("handles", []))

    async def handle_info(
        self, session_id: int, handle_id: int, plugin_only: bool = False
    ) -> dict[str, Any]:
        """What Janus knows about a handle (ICE, DTLS, media, plugin state...)."""
        request = jp.HandleInfo(
            session_id=session_id, handle_id=handle_id, plugin_only=plugin_only or None
        )
        return dict((await self._data(request)).get("info", {}))

    async def destroy_session(self, session_id: int) -> bool:
        """Destroy session ``session_id``; True when done."""
        await self._data(jp.DestroySession(session_id=session_id))
        return True

    async def detach_handle(self, session_id: int, handle_id: int) -> bool:
        """Detach a handle of another session; True when done."""
        await self._data(jp.DetachHandle(session_id=session_id, handle_id=handle_id))
        return True

    async def hangup_webrtc(self, session_id: int, handle_id: int) -> bool:
        """Hang up the PeerConnection of a handle; True when done."""
        await self._data(jp.HangupWebRTC(session_id=session_id, handle_id=handle_id))
        return True

    async def accept_new_sessions(self, accept: bool) -> bool:
        """Let new sessions in, or not; returns the setting now in effect."""
        data = await self._data(jp.AcceptNewSessions(accept=accept))
        return bool(data.get("accept", accept))

    async def message_plugin(self, plugin: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send ``request`` to ``plugin`` through the Admin API; returns its response."""
        data = await self._data(jp.MessagePlugin(plugin=plugin, request=request))
        return dict(data.get("response", {}))

    async def query_transport(self, transport: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send ``request`` to a transport plugin; returns its response."""
        data = await self._data(jp.QueryTransport(transport=transport, request=request))
        return dict(data.get("response", {}))
