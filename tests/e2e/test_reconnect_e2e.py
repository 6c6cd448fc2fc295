"""Reconnect for real: the socket drops while Janus lives (reclaim_session_timeout set)."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.testing import JanusServer

from .proxy import dropping_proxy, port_of

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


@pytest.mark.parametrize("scheme", ["ws", "http"])
async def test_same_handle_answers_after_a_drop(janus: JanusServer, scheme: str) -> None:
    target = janus.ws_url if scheme == "ws" else janus.http_url
    async with dropping_proxy(port_of(target)) as proxy:
        url = f"{scheme}://127.0.0.1:{proxy.port}" + ("/janus" if scheme == "http" else "")
        async with ja.connect(url) as client, client.session() as session:
            handle = await session.attach("janus.plugin.echotest")
            assert (await handle.send({"audio": True})).data["result"] == "ok"
            for _ in range(3):
                opened = proxy.connections
                proxy.drop()
                # Requests made during the outage wait for the reconnect within their deadline.
                with anyio.fail_after(10):
                    while True:
                        try:
                            reply = await handle.send({"audio": True}, timeout=5)
                            break
                        except ja.ConnectionLost:
                            continue  # in flight when the socket died: outcome unknown
                assert reply.data["result"] == "ok"
                assert proxy.connections > opened
                assert not session.closed


async def test_reconnect_off_closes_the_client(janus: JanusServer) -> None:
    async with dropping_proxy(port_of(janus.ws_url)) as proxy:
        async with ja.connect(f"ws://127.0.0.1:{proxy.port}", reconnect=False) as client:
            session = await client.create_session()
            proxy.drop()
            with anyio.fail_after(5):
                await session.wait_closed()
            assert client.closed
            with pytest.raises(ja.ConnectionClosed):
                await client.info()


async def test_restarted_janus_reports_sessions_lost(anyio_backend: str) -> None:
    from .conftest import require_janus

    require_janus()
    with JanusServer(reclaim_session_timeout=30) as server:
        async with ja.connect(server.ws_url) as client:
            session = await client.create_session()
            server.restart()  # same ports, sessions gone: claim answers 458
            with anyio.fail_after(15):
                await session.wait_closed()
            assert session.close_reason is not None
            assert "lost" in session.close_reason
            info = await client.info()  # the client itself reconnected
            assert info.version == 1102
