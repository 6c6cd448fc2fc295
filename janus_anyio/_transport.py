"""The transport interface, and the registry that picks a transport from a URL."""

from __future__ import annotations

import abc
import re
import ssl
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import anyio
import attrs
from anyio.abc import TaskGroup

from janus_proto import Outgoing

__all__ = [
    "Inbound",
    "SessionGone",
    "Transport",
    "TransportOptions",
    "register_transport",
    "unregister_transport",
    "create_transport",
    "transport_class_for",
]


@attrs.frozen
class SessionGone:
    """Inbound signal from a transport: the server no longer knows this session
    (HTTP 404 on its long poll)."""

    session_id: int


#: What a transport delivers: a message from Janus (text or bytes) or a signal.
Inbound = str | bytes | SessionGone


@attrs.frozen(kw_only=True)
class TransportOptions:
    """Settings shared by the transports.

    Attributes:
        admin: speak the Admin/Monitor API (WebSocket subprotocol ``janus-admin-protocol``;
            no long polls over HTTP).
        ssl_context: for ``wss://``/``https://``; None means a default, verifying context.
        connect_timeout: seconds allowed to open the transport.
        max_message_size: largest message accepted from the server, in bytes.
        http_pool_size: at most this many HTTP connections for requests (plus one per
            long poll).
        http_maxev: events per long-poll answer (HTTP ``maxev``).
    """

    admin: bool = False
    ssl_context: ssl.SSLContext | None = attrs.field(default=None, repr=False)
    connect_timeout: float = 10.0
    max_message_size: int = 16 * 1024 * 1024
    http_pool_size: int = 8
    http_maxev: int = 10
    extra: Mapping[str, Any] = attrs.field(factory=dict)


class Transport(abc.ABC):
    """Moves messages between one :class:`janus_proto.JanusConnection` and Janus.

    A transport is driven by the client: :meth:`connect` (again after a loss), then
    :meth:`send` for each outgoing request and :meth:`receive` in one reader loop.
    It holds no protocol logic. Background tasks it needs (HTTP workers and long polls)
    run in the task group given to :meth:`connect` and never raise: failures reach the
    reader as :class:`~janus_anyio.ConnectionClosed` from :meth:`receive`.

    To add a transport, subclass this and :func:`register_transport` it for a URL pattern.
    """

    #: Whether sessions need explicit keepalives (HTTP long polls keep them alive).
    needs_keepalive: ClassVar[bool] = True
    #: Whether :meth:`send_many` writes a batch at once (the client then hands it whole
    #: batches); otherwise the client calls :meth:`send` for each request, each with its
    #: own send deadline.
    batches_writes: ClassVar[bool] = False

    def __init__(self, url: str, options: TransportOptions | None = None) -> None:
        self.url = url
        self.options = options if options is not None else TransportOptions()
        #: Set by the client before :meth:`connect`: what takes a message at once. A
        #: transport whose messages arrive in tasks of its own (HTTP workers and long polls)
        #: may hand them here, from those tasks, instead of queueing them for
        #: :meth:`receive`: the client's reader is then one loop iteration less away. It
        #: must only be called with messages of the current connection (not after
        #: :meth:`aclose`); failures still reach the reader from :meth:`receive`.
        self.deliver_inbound: Callable[[Inbound], None] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    @abc.abstractmethod
    async def connect(self, task_group: TaskGroup) -> None:
        """Open (or reopen) the transport.

        Raises:
            TransportError: it could not be opened (refused, TLS, handshake...).
        """

    @abc.abstractmethod
    async def send(self, out: Outgoing) -> None:
        """Hand one request to Janus.

        Raises:
            ConnectionClosed: the transport is not open.
        """

    def send_nowait(self, out: Outgoing) -> None:
        """Hand one request over without waiting, or raise :class:`anyio.WouldBlock`.

        Transports that queue requests for tasks of their own (HTTP) override this: the
        task making a request then hands it over itself, instead of waking the client's
        writer. The default always raises ``WouldBlock`` (the writer then calls
        :meth:`send`). Any exception means the request was not taken: the client passes
        it to :meth:`send` from its writer, which deals with failures.
        """
        raise anyio.WouldBlock

    async def send_many(self, outs: Sequence[Outgoing]) -> None:
        """Hand several requests to Janus, in order (the default sends them one by one).

        Transports that set :attr:`batches_writes` override this to write them at once,
        raising :class:`~janus_anyio.NotSent` only when none of them was written.
        """
        for out in outs:
            await self.send(out)

    @abc.abstractmethod
    async def receive(self) -> Inbound:
        """The next message from Janus.

        Raises:
            ConnectionClosed: the transport was lost or closed.
        """

    @abc.abstractmethod
    async def aclose(self) -> None:
        """Close the transport and stop its background tasks. Idempotent."""

    def session_added(self, session_id: int, poll_path: str) -> None:  # noqa: B027
        """A session now lives on this transport (HTTP starts its long poll)."""

    def session_removed(self, session_id: int) -> None:  # noqa: B027
        """The session ended (HTTP stops its long poll)."""


_REGISTRY: list[tuple[re.Pattern[str], type[Transport]]] = []


def register_transport(pattern: str, transport_cls: type[Transport]) -> None:
    """Use ``transport_cls`` for URLs matching the regular expression ``pattern``.

    Raises:
        TypeError: ``transport_cls`` is not a :class:`Transport` subclass.
    """
    if not (isinstance(transport_cls, type) and issubclass(transport_cls, Transport)):
        raise TypeError(f"{transport_cls!r} is not a Transport subclass")
    _REGISTRY.append((re.compile(pattern), transport_cls))


def unregister_transport(transport_cls: type[Transport]) -> None:
    """Forget every registration of ``transport_cls``."""
    _REGISTRY[:] = [(p, c) for p, c in _REGISTRY if c is not transport_cls]


def transport_class_for(url: str) -> type[Transport]:
    """The one registered transport class whose pattern matches ``url``.

    Raises:
        ValueError: no class matches, or more than one does.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a string, got {type(url).__name__}")
    found = {cls for pattern, cls in _REGISTRY if pattern.search(url)}
    if not found:
        raise ValueError(f"no transport for URL {url!r} (known: ws, wss, http, https, unix)")
    if len(found) > 1:
        names = ", ".join(sorted(c.__name__ for c in found))
        raise ValueError(f"several transports match URL {url!r}: {names}")
    return found.pop()


def create_transport(url: str, options: TransportOptions | None = None) -> Transport:
    """A transport for ``url``, of the registered class that matches it."""
    return transport_class_for(url)(url, options)
