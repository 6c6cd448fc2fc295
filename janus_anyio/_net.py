"""The network edge shared by the TCP transports: URLs, opening streams, mapping errors.

OS, TLS and anyio stream errors are mapped here, once, into :class:`TransportError` and
:class:`ConnectionClosed` (as ``encode/httpcore:httpcore/_exceptions.py`` ``map_exceptions``).
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import NamedTuple
from urllib.parse import urlsplit

import anyio
import anyio.abc

from ._errors import ConnectionClosed, TransportError
from ._transport import TransportOptions

__all__ = ["Endpoint", "StreamOpener", "close_quietly", "map_errors", "open_tcp", "parse_url"]

#: Opens the byte stream of one connection (injectable: tests pass in-memory streams).
StreamOpener = Callable[[], Awaitable[anyio.abc.ByteStream]]

#: Errors of a byte stream and of the OS beneath it (``ssl.SSLError`` is an OSError).
STREAM_ERRORS: tuple[type[Exception], ...] = (
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.EndOfStream,
    OSError,
)


class Endpoint(NamedTuple):
    """Where a URL points."""

    host: str
    port: int
    secure: bool
    #: Path and query (``/`` at least).
    target: str
    #: The ``Host`` header value: the host, with the port unless it is the scheme's default.
    authority: str


def parse_url(url: str, secure_schemes: tuple[str, str]) -> Endpoint:
    """Split a ``ws://``/``wss://`` or ``http://``/``https://`` URL.

    ``secure_schemes`` is ``(plain, secure)``, e.g. ``("ws", "wss")``.

    Raises:
        ValueError: another scheme, or no host.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in secure_schemes:
        raise ValueError(f"URL {url!r}: expected {' or '.join(secure_schemes)}://")
    if not parts.hostname:
        raise ValueError(f"no host in URL {url!r}")
    secure = scheme == secure_schemes[1]
    default = 443 if secure else 80
    port = parts.port or default
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    authority = shown if port == default else f"{shown}:{port}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Endpoint(host, port, secure, target, authority)


class map_errors:  # a class, not @contextmanager: it is on every send and receive
    """Turn stream and OS errors raised in the block into ``exc_class(f"{what}: ...")``.

    The end of the stream always becomes :class:`ConnectionClosed`.
    """

    __slots__ = ("_exc_class", "_what")

    def __init__(self, exc_class: type[TransportError], what: str) -> None:
        self._exc_class = exc_class
        self._what = what

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        what = self._what
        if isinstance(exc, anyio.EndOfStream):
            raise ConnectionClosed(f"{what}: closed by the peer") from None
        if isinstance(exc, anyio.ClosedResourceError):
            raise self._exc_class(f"{what}: closed locally") from exc
        if isinstance(exc, (anyio.BrokenResourceError, OSError)):
            cause = exc.__cause__ if isinstance(exc, anyio.BrokenResourceError) else exc
            raise self._exc_class(f"{what}: {cause or exc!r}") from exc


async def open_tcp(endpoint: Endpoint, options: TransportOptions) -> anyio.abc.ByteStream:
    """A TCP stream, with TLS for secure endpoints (verified by default; SNI and hostname
    check against the URL's host), opened within ``options.connect_timeout``.

    Raises:
        TransportError: refused, unreachable, TLS failure, or timed out.
    """
    context: ssl.SSLContext | None = None
    if endpoint.secure:
        context = options.ssl_context or ssl.create_default_context()
    where = f"cannot connect to {endpoint.authority}"
    try:
        with anyio.fail_after(options.connect_timeout), map_errors(TransportError, where):
            if context is None:
                return await anyio.connect_tcp(endpoint.host, endpoint.port)
            return await anyio.connect_tcp(
                endpoint.host,
                endpoint.port,
                ssl_context=context,
                tls_hostname=endpoint.host,
                tls_standard_compatible=False,
            )
    except TimeoutError:
        raise TransportError(f"{where}: timed out") from None


async def close_quietly(stream: anyio.abc.AsyncResource) -> None:
    """Close ``stream``, shielded and within 1 s, ignoring errors."""
    with anyio.move_on_after(1, shield=True):
        try:
            await stream.aclose()
        except STREAM_ERRORS:
            pass
