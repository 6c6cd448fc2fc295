"""janus_anyio: async drivers for janus_proto on anyio (asyncio and trio, one code path).

``connect(url)`` gives a :class:`JanusClient` over WebSocket, HTTP (REST + long poll) or
Janus's Unix-socket transport; ``connect_admin(url)`` an :class:`AdminClient`.
"""

from __future__ import annotations

from janus_proto import (
    JanusError,
    LocalProtocolError,
    PluginError,
    RemoteProtocolError,
)

from ._admin import AdminClient, connect_admin
from ._base import ReconnectPolicy
from ._client import Handle, HandleEvents, JanusClient, Session, connect
from ._errors import (
    ConnectionClosed,
    ConnectionLost,
    EventOverflow,
    HandleClosed,
    NotSent,
    RequestTimeout,
    SessionClosed,
    TransportError,
)
from ._http import HTTPTransport
from ._transport import (
    SessionGone,
    Transport,
    TransportOptions,
    create_transport,
    register_transport,
    transport_class_for,
    unregister_transport,
)
from ._unix import UnixTransport
from ._ws import WebSocketTransport
from .tokens import room_token, signed_token

__all__ = (
    "connect",
    "connect_admin",
    "JanusClient",
    "AdminClient",
    "Session",
    "Handle",
    "HandleEvents",
    "ReconnectPolicy",
    "Transport",
    "TransportOptions",
    "WebSocketTransport",
    "HTTPTransport",
    "UnixTransport",
    "SessionGone",
    "register_transport",
    "unregister_transport",
    "create_transport",
    "transport_class_for",
    "TransportError",
    "ConnectionClosed",
    "ConnectionLost",
    "NotSent",
    "signed_token",
    "room_token",
    "RequestTimeout",
    "SessionClosed",
    "HandleClosed",
    "EventOverflow",
    "JanusError",
    "PluginError",
    "LocalProtocolError",
    "RemoteProtocolError",
)

for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("janus_anyio."):
        _obj.__module__ = "janus_anyio"
del _name, _obj
