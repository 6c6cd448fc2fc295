"""The sans-IO core over a plain blocking socket: no asyncio, no anyio, no threads.

``janus_proto.JanusConnection`` only turns typed requests into JSON and JSON into typed
events; this script brings the rest with the standard library and wsproto: a TCP socket,
the WebSocket handshake, a clock (``time.monotonic``) and a loop that sleeps in
``socket.recv`` until the core's next deadline (keepalives, request timeouts).

It asks for the server info, creates a session, attaches the EchoTest plugin, sends it a
typed request (:class:`janus_proto.plugins.echotest.Configure`), reads the typed reply,
then detaches and destroys the session.

Usage: ``python examples/blocking_core.py [ws://127.0.0.1:8188]`` (or ``JANUS_URL``).
Exits 0 on success, 1 on any failure (with the reason on stderr).
"""

from __future__ import annotations

import os
import socket
import sys
import time
from typing import TypeVar
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

import janus_proto as jp
from janus_proto.plugins import echotest

DEFAULT_URL = "ws://127.0.0.1:8188"

_E = TypeVar("_E", bound=jp.TransactionEvent)


class BlockingJanus:
    """One WebSocket to Janus, driven synchronously: ``call(request)`` blocks for its answer."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "ws" or parts.hostname is None:
            raise ValueError(f"expected a ws://host:port URL, got {url!r}")
        self.timeout = timeout
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.conn = jp.JanusConnection(jp.JanusConfig(request_timeout=timeout))
        self._text: list[str] = []
        self._events: list[jp.Event] = []
        host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
        self._write(
            self.ws.send(
                Request(host=host, target=parts.path or "/", subprotocols=["janus-protocol"])
            )
        )
        self._handshake()
        self.conn.connection_made(now=time.monotonic())

    # -- bytes in and out --------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _handshake(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            self._read(deadline)
            for event in self.ws.events():
                if isinstance(event, AcceptConnection):
                    return
                if isinstance(event, RejectConnection):
                    raise ConnectionError(f"WebSocket refused: HTTP {event.status_code}")
            if time.monotonic() >= deadline:
                raise TimeoutError("no WebSocket handshake from Janus")

    def _read(self, deadline: float) -> None:
        """Wait for bytes until ``deadline`` (monotonic seconds) and feed them to wsproto."""
        self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
        try:
            data = self.sock.recv(65536)
        except TimeoutError:  # socket.timeout
            return
        if not data:
            raise ConnectionError("Janus closed the connection")
        self.ws.receive_data(data)

    def _flush(self) -> None:
        """Write whatever the core wants sent: our requests, and its keepalives."""
        for out in self.conn.requests_to_send():
            self._write(self.ws.send(TextMessage(data=out.text)))

    def _pump(self, deadline: float) -> None:
        """One turn of the loop: read until the next deadline, feed the core, fire timers."""
        timer = self.conn.get_timer()
        self._read(deadline if timer is None else min(deadline, timer))
        now = time.monotonic()
        for event in self.ws.events():
            if isinstance(event, TextMessage):
                self._text.append(event.data)
                if event.message_finished:
                    self.conn.receive_message("".join(self._text), now=now)
                    self._text.clear()
            elif isinstance(event, Ping):
                self._write(self.ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                raise ConnectionError(f"Janus closed the WebSocket ({event.code})")
        timer = self.conn.get_timer()
        if timer is not None and timer <= now:
            self.conn.handle_timer(now)  # keepalives due, requests timed out
        self._flush()
        while (janus_event := self.conn.next_event()) is not None:
            self._events.append(janus_event)

    # -- requests ----------------------------------------------------------------------------

    def call(self, request: jp.Request) -> jp.TransactionEvent:
        """Send ``request`` and block until its answer; raise Janus's error as an exception."""
        txn = self.conn.send(request, now=time.monotonic())
        self._flush()
        deadline = time.monotonic() + self.timeout + 1.0  # the core times out first
        while time.monotonic() < deadline:
            for event in self._events:
                if isinstance(event, jp.TransactionEvent) and event.transaction == txn:
                    self._events.remove(event)
                    if isinstance(event, (jp.RequestFailed, jp.PluginRequestFailed)):
                        raise event.to_exception()
                    if isinstance(event, jp.TransactionTimedOut):
                        raise TimeoutError(f"no answer to {type(request).__name__}")
                    return event
            self._pump(deadline)
        raise TimeoutError(f"no answer to {type(request).__name__}")

    def close(self) -> None:
        """Close the WebSocket and the socket."""
        try:
            self._write(self.ws.send(CloseConnection(code=1000)))
        except Exception:  # the socket may be gone already
            pass
        self.sock.close()


def expect(event: jp.TransactionEvent, cls: type[_E]) -> _E:
    """``event`` if it is a ``cls``, else a clear error."""
    if not isinstance(event, cls):
        raise TypeError(f"expected {cls.__name__}, got {event!r}")
    return event


def main(url: str) -> None:
    """Run the exchange against the Janus at ``url``."""
    janus = BlockingJanus(url)
    try:
        info = expect(janus.call(jp.Info()), jp.ServerInfo)
        print(f"server: {info.name} {info.version_string}")
        session_id = expect(janus.call(jp.Create()), jp.SessionCreated).session_id
        attached = expect(
            janus.call(jp.Attach(session_id=session_id, plugin=echotest.PLUGIN)), jp.HandleAttached
        )
        handle_id = attached.handle_id
        print(f"session {session_id}, echotest handle {handle_id}")

        # A typed plugin request: validated when built, rendered by body(), answer typed.
        configure = echotest.Configure(audio=False, video=True, bitrate=128_000)
        reply = expect(
            janus.call(
                jp.Message(session_id=session_id, handle_id=handle_id, body=configure.body())
            ),
            jp.PluginReply,
        )
        result = configure.parse_reply(reply.data, reply.jsep)
        print(f"echotest answered: {result.result!r}")

        janus.call(jp.Detach(session_id=session_id, handle_id=handle_id))
        janus.call(jp.Destroy(session_id=session_id))
        print("detached and destroyed")
    finally:
        janus.close()


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", DEFAULT_URL)
    try:
        main(target)
    except Exception as exc:
        print(f"blocking_core: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
