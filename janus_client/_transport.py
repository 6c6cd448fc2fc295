"""Transports of the seed API, driving :func:`janus_anyio.connect` underneath.

A :class:`JanusTransport` owns one connection to the Janus API: ``connect()`` opens it (a
background asyncio task holds :func:`janus_anyio.connect` open), ``disconnect()`` closes it.
The built-in :class:`JanusTransportWebsocket` and :class:`JanusTransportHTTP` hand the URL to
janus_anyio, whose drivers do the I/O, keepalives, deadlines and reconnects.

A subclass of your own implements :meth:`JanusTransport._send` (write one request, a dict
that already carries its transaction, ids and credentials) and calls
:meth:`JanusTransport.receive` with every message from Janus. It is bridged into
janus_anyio's transport interface (:class:`janus_anyio.Transport`), with these limits: the
messages must carry ``session_id``/``sender`` as over WebSocket (no HTTP paths or long
polls), keepalives are sent for you, and a lost connection is reported with
:meth:`JanusTransport.connection_lost` (janus_anyio then calls ``_connect`` again and
claims the sessions).
"""

from __future__ import annotations

import abc
import asyncio
import json
import logging
import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

import janus_anyio as ja
import janus_proto as jp

from ._held import HeldConnection
from .message_transaction import MessageTransaction

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

__all__ = ["JanusTransport", "JanusTransportHTTP", "JanusTransportWebsocket"]

logger = logging.getLogger(__name__)

#: (pattern on base_url, class): filled by :meth:`JanusTransport.register_transport`.
_REGISTRY: list[tuple[re.Pattern[str], type[JanusTransport]]] = []


class JanusTransport(abc.ABC):
    """One connection to the Janus API (seed API), shared by the sessions made on it.

    Args:
        base_url: the server, e.g. ``ws://host:8188`` or ``http://host:8088/janus``.
        api_secret, token: credentials added to every request (never logged or shown).
        request_timeout: seconds any request may wait for its answer.
        connect_timeout: seconds allowed to open the connection.
    """

    def __init__(
        self,
        base_url: str,
        api_secret: str | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(base_url, str) or not base_url:
            raise TypeError(f"base_url must be a non-empty str, got {base_url!r}")
        for label, value in (("api_secret", api_secret), ("token", token)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{label} must be a str or None, got {type(value).__name__}")
        self.base_url = base_url
        self._api_secret = api_secret
        self._token = token
        self.request_timeout = float(kwargs.pop("request_timeout", 15.0))
        self.connect_timeout = float(kwargs.pop("connect_timeout", 10.0))
        if not (self.request_timeout > 0 and self.connect_timeout > 0):
            raise ValueError("request_timeout and connect_timeout must be positive")
        #: Options for your subclass (the seed passes its ``config`` dict here).
        self.options: dict[str, Any] = kwargs
        self._held: HeldConnection[ja.JanusClient] = HeldConnection(
            lambda: ja.connect(
                self._driver_target(),
                api_secret=self._api_secret,
                token=self._token,
                request_timeout=self.request_timeout,
                connect_timeout=self.connect_timeout,
            ),
            label=base_url,
            open_timeout=self.connect_timeout + 5,
        )
        self._bridge: _Bridge | None = None
        self._sessions: set[int] = set()

    def __repr__(self) -> str:
        state = "connected" if self.connected else "not connected"
        return f"<{type(self).__name__} {self.base_url} {state}>"

    __str__ = __repr__

    # -- what subclasses provide ---------------------------------------------------------

    @abc.abstractmethod
    async def _send(self, message: dict[str, Any]) -> None:
        """Write one request to Janus (custom transports; see the module docstring).

        Raises:
            Exception: the message could not be written (the connection counts as lost).
        """

    async def _connect(self) -> None:  # noqa: B027
        """Open your channel (custom transports; called again after a loss)."""

    async def _disconnect(self) -> None:  # noqa: B027
        """Close your channel (custom transports)."""

    def _driver_target(self) -> str | ja.Transport:
        """What :func:`janus_anyio.connect` gets: a URL, or the bridge to :meth:`_send`."""
        self._bridge = _Bridge(self)
        return self._bridge

    async def receive(self, message: Mapping[str, Any] | str | bytes) -> None:
        """Hand a message from Janus to the client (custom transports call this).

        Raises:
            RuntimeError: the transport is not connected.
        """
        if self._bridge is None:
            raise RuntimeError(f"{self!r}: receive() before connect()")
        await self._bridge.deliver(message)

    def connection_lost(self) -> None:
        """Report that your channel broke (custom transports): pending requests fail
        with :class:`janus_anyio.ConnectionLost` and the connection is re-opened."""
        if self._bridge is not None:
            self._bridge.lost()

    # -- life cycle ----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Whether the connection is open (False before the first use and after
        :meth:`disconnect`)."""
        return self._held.open

    async def connect(self) -> None:
        """Open the connection (done for you on first use; a no-op when open).

        Raises:
            janus_anyio.TransportError: it could not be opened in time.
        """
        await self._held.ensure_open()

    async def disconnect(self) -> None:
        """Close the connection; pending requests fail. Never waits more than ~10 s."""
        await self._held.close()

    # -- requests ------------------------------------------------------------------------

    async def _get_client(self) -> ja.JanusClient:
        return await self._held.client()

    async def request(self, request: jp.Request, *, timeout: float | None = None) -> dict[str, Any]:
        """Send a typed request; return Janus's answer as a dict (the raw JSON).

        Raises:
            janus_proto.JanusError: Janus answered with an error.
            janus_anyio.RequestTimeout: no answer within ``timeout`` (default:
                ``request_timeout``).
        """
        client = await self._get_client()
        return dict((await client.request(request, timeout=timeout)).raw)

    async def info(self) -> dict[str, Any]:
        """The server's ``server_info`` (raw JSON)."""
        return await self.request(jp.Info())

    async def ping(self) -> dict[str, Any]:
        """Ping Janus; returns its ``pong`` (raw JSON)."""
        return await self.request(jp.Ping())

    async def send(
        self,
        message: Mapping[str, Any],
        session_id: int | None = None,
        handle_id: int | None = None,
    ) -> MessageTransaction:
        """Send a request given as a dict (``{"janus": "keepalive"}``...); return its
        transaction, whose :meth:`~MessageTransaction.get` gives the answer.

        The transaction id and credentials are added for you.

        Raises:
            TypeError, ValueError: not a Janus request (unknown verb, wrong fields): the
                message says which; nothing was sent.
        """
        request = _decode(message, session_id, handle_id)
        client = await self._get_client()
        txn = MessageTransaction(uuid.uuid4().hex, timeout=self.request_timeout)

        async def drive() -> None:
            try:
                outcome = await client.request(request)
            except asyncio.CancelledError:
                txn._fail(ja.ConnectionClosed("transaction released"))
                raise
            except Exception as exc:
                txn._fail(exc)
            else:
                txn.put_msg(outcome.raw)
                txn._finish()

        txn._task = asyncio.get_running_loop().create_task(drive())
        return txn

    # -- hooks and registry --------------------------------------------------------------

    def dispatch_session_created(self, session_id: int) -> None:
        """Called when a session is created on this transport (override to observe)."""
        self._sessions.add(session_id)

    def dispatch_session_destroyed(self, session_id: int) -> None:
        """Called when a session of this transport is destroyed (override to observe)."""
        self._sessions.discard(session_id)

    @staticmethod
    def register_transport(protocol_matcher: str, transport_cls: type[JanusTransport]) -> None:
        """Use ``transport_cls`` for base URLs matching the regular expression
        ``protocol_matcher``.

        Raises:
            TypeError: ``transport_cls`` is not a :class:`JanusTransport` subclass.
            re.error: the pattern is not a regular expression.
        """
        if not (isinstance(transport_cls, type) and issubclass(transport_cls, JanusTransport)):
            raise TypeError(f"{transport_cls!r} is not a JanusTransport subclass")
        _REGISTRY.append((re.compile(protocol_matcher), transport_cls))

    @staticmethod
    def create_transport(
        base_url: str,
        api_secret: str | None = None,
        token: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> JanusTransport:
        """A transport of the one registered class whose pattern matches ``base_url``.

        Raises:
            ValueError: no class matches, or more than one does.
        """
        if not isinstance(base_url, str):
            raise TypeError(f"base_url must be a str, got {type(base_url).__name__}")
        found = {cls for pattern, cls in _REGISTRY if pattern.search(base_url)}
        if not found:
            raise ValueError(f"no transport for base_url {base_url!r} (ws, wss, http, https)")
        if len(found) > 1:
            names = ", ".join(sorted(cls.__name__ for cls in found))
            raise ValueError(f"several transports match base_url {base_url!r}: {names}")
        return found.pop()(base_url, api_secret, token, **dict(config or {}))


def _decode(
    message: Mapping[str, Any], session_id: int | None, handle_id: int | None
) -> jp.Request:
    if not isinstance(message, Mapping):
        raise TypeError(f"message must be a dict, got {type(message).__name__}")
    if "janus" not in message:
        raise ValueError(f"message has no 'janus' verb: {sorted(message)}")
    obj = dict(message)
    obj["transaction"] = "-"  # the client assigns the real one
    if session_id is not None:
        obj["session_id"] = session_id
    if handle_id is not None:
        obj["handle_id"] = handle_id
    request, _ = jp.decode_request(obj)
    return request


class _NativeTransport(JanusTransport):
    """A built-in transport: janus_anyio's driver for the URL does the I/O."""

    SCHEMES: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        base_url: str,
        api_secret: str | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(base_url, api_secret, token, **kwargs)
        if not base_url.startswith(tuple(f"{s}://" for s in self.SCHEMES)):
            raise ValueError(
                f"{type(self).__name__} needs a {' or '.join(self.SCHEMES)} URL, got {base_url!r}"
            )

    def _driver_target(self) -> str | ja.Transport:
        return self.base_url

    async def _send(self, message: dict[str, Any]) -> None:
        """Not used: requests go through janus_anyio's driver (use :meth:`send`)."""
        raise NotImplementedError(
            f"{type(self).__name__} sends through janus_anyio; use send() or request()"
        )


class JanusTransportWebsocket(_NativeTransport):
    """The Janus API over WebSocket (``ws://``, ``wss://``), with reconnect and claim."""

    SCHEMES = ("ws", "wss")


class JanusTransportHTTP(_NativeTransport):
    """The Janus API over HTTP REST and long polls (``http://``, ``https://``)."""

    SCHEMES = ("http", "https")


JanusTransport.register_transport(r"^wss?://", JanusTransportWebsocket)
JanusTransport.register_transport(r"^https?://", JanusTransportHTTP)


class _Bridge(ja.Transport):
    """janus_anyio's transport interface over a user's :meth:`JanusTransport._send`."""

    def __init__(self, owner: JanusTransport) -> None:
        super().__init__(owner.base_url)
        self._owner = owner
        self._send_stream: MemoryObjectSendStream[str | bytes] | None = None
        self._receive_stream: MemoryObjectReceiveStream[str | bytes] | None = None

    async def connect(self, task_group: TaskGroup) -> None:
        try:
            await self._owner._connect()
        except Exception as exc:
            raise ja.TransportError(f"{self._owner!r}: _connect failed: {exc!r}") from exc
        self._send_stream, self._receive_stream = anyio.create_memory_object_stream[str | bytes](
            256
        )

    async def send(self, out: jp.Outgoing) -> None:
        if self._send_stream is None:
            raise ja.ConnectionClosed("not connected")
        try:
            await self._owner._send(out.body())
        except Exception as exc:
            raise ja.ConnectionClosed(f"_send failed: {exc!r}") from exc

    async def receive(self) -> ja._transport.Inbound:
        stream = self._receive_stream
        if stream is None:
            raise ja.ConnectionClosed("not connected")
        try:
            return await stream.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise ja.ConnectionClosed("connection lost") from None

    async def deliver(self, message: Mapping[str, Any] | str | bytes) -> None:
        text = message if isinstance(message, (str, bytes)) else json.dumps(dict(message))
        if self._send_stream is None:
            raise RuntimeError("receive() while not connected")
        if self.deliver_inbound is not None:  # straight to the client, no reader hop
            self.deliver_inbound(text)
        else:
            await self._send_stream.send(text)

    def lost(self) -> None:
        if self._send_stream is not None:
            self._send_stream.close()
            self._send_stream = None

    async def aclose(self) -> None:
        self.lost()
        if self._receive_stream is not None:
            self._receive_stream.close()
            self._receive_stream = None
        try:
            await self._owner._disconnect()
        except Exception as exc:
            logger.warning("%r: _disconnect failed: %r", self._owner, exc)
