"""A user's own JanusTransport subclass (implementing ``_send``) plugged into janus_anyio.

The transport here is what a user would write with any WebSocket library: it speaks the
WebSocket protocol itself (wsproto over asyncio streams) and hands every text it receives
to ``receive()``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Ping, Request, TextMessage

from janus_anyio.testing import JanusServer
from janus_client import JanusSession, JanusTransport, JanusVideoCallPlugin
from janus_client import _transport as facade_transport

pytestmark = [pytest.mark.anyio, pytest.mark.janus]


class WsprotoTransport(JanusTransport):
    """A hand-made WebSocket transport: ``my-ws://host:port``."""

    def __init__(
        self, base_url: str, api_secret: str | None = None, token: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(base_url, api_secret, token, **kwargs)
        self.sent: list[dict[str, Any]] = []
        self.connects = 0
        self._writer: asyncio.StreamWriter | None = None
        self._pump: asyncio.Task[None] | None = None

    async def _connect(self) -> None:
        self.connects += 1
        parts = urlsplit(self.base_url)
        assert parts.hostname is not None
        assert parts.port is not None
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        ws = WSConnection(ConnectionType.CLIENT)
        writer.write(
            ws.send(Request(host=parts.hostname, target="/", subprotocols=["janus-protocol"]))
        )
        accepted = False
        while not accepted:
            data = await asyncio.wait_for(reader.read(65536), 5)
            assert data, "closed during the handshake"
            ws.receive_data(data)
            accepted = any(isinstance(e, AcceptConnection) for e in ws.events())
        self._writer = writer
        self._ws = ws
        self._pump = asyncio.get_running_loop().create_task(self._read(reader, ws, writer))

    async def _read(
        self, reader: asyncio.StreamReader, ws: WSConnection, writer: asyncio.StreamWriter
    ) -> None:
        parts: list[str] = []
        while data := await reader.read(65536):
            ws.receive_data(data)
            for event in ws.events():
                if isinstance(event, TextMessage):
                    parts.append(event.data)
                    if event.message_finished:
                        await self.receive("".join(parts))
                        parts = []
                elif isinstance(event, Ping):
                    writer.write(ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    self.connection_lost()
                    return
        self.connection_lost()

    async def _send(self, message: dict[str, Any]) -> None:
        assert self._writer is not None
        self.sent.append(message)
        self._writer.write(self._ws.send(TextMessage(data=json.dumps(message))))
        await self._writer.drain()

    async def _disconnect(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.wait([self._pump])
        if self._writer is not None:
            self._writer.close()


@pytest.fixture
def registered() -> Any:
    JanusTransport.register_transport(r"^my-ws://", WsprotoTransport)
    yield
    facade_transport._REGISTRY[:] = [
        (p, c) for p, c in facade_transport._REGISTRY if c is not WsprotoTransport
    ]


@pytest.fixture(scope="module")
def janus_reclaim() -> Any:
    """A Janus that keeps sessions 30 s after their transport went away (for claims)."""
    from .conftest import PLUGINS, require_janus

    require_janus()
    with JanusServer(plugins=PLUGINS, reclaim_session_timeout=30, http=False) as server:
        yield server


async def test_a_subclass_with_send_drives_the_whole_client(
    janus_reclaim: JanusServer, registered: None
) -> None:
    url = f"my-ws://127.0.0.1:{janus_reclaim.ws_port}"
    session = JanusSession(base_url=url)
    transport = session.transport
    assert isinstance(transport, WsprotoTransport)

    call = JanusVideoCallPlugin()
    await call.attach(session=session)
    name = f"custom-{call.id}"
    await call.register(name)
    assert name in await call.list_users()
    txn = await session.send({"janus": "keepalive"})
    assert (await txn.get({"janus": "ack"}))["session_id"] == session.id
    verbs = [m["janus"] for m in transport.sent]
    assert verbs[:3] == ["info", "create", "attach"]
    assert verbs.count("message") == 2
    assert "keepalive" in verbs

    # The user's channel breaks: janus_anyio reconnects through _connect and claims.
    assert transport._writer is not None
    transport._writer.transport.abort()
    await asyncio.wait_for(_until(lambda: transport.connects == 2), 10)
    assert name in await call.list_users()
    assert "claim" in [m["janus"] for m in transport.sent]
    await session.destroy()
    assert not transport.connected


async def _until(predicate: Any) -> None:
    while not predicate():
        await asyncio.sleep(0.01)
