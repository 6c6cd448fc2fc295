"""The connection dropped 20 times during a steady stream while Janus lives."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.testing import JanusServer
from tests.e2e.proxy import dropping_proxy

from .helpers import ADMIN_SECRET, assert_no_leftover_tasks, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

DROPS = 20
WORKERS = 4


@pytest.fixture(scope="module")
def janus() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(
        plugins=["janus.plugin.echotest"], reclaim_session_timeout=20, admin_secret=ADMIN_SECRET
    ) as server:
        yield server


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_twenty_drops_during_a_steady_stream(janus: JanusServer, kind: str) -> None:
    before = len(anyio.get_running_tasks())
    port = janus.ws_port if kind == "ws" else janus.http_port
    async with dropping_proxy(port) as proxy:
        url = (
            f"ws://127.0.0.1:{proxy.port}"
            if kind == "ws"
            else f"http://127.0.0.1:{proxy.port}/janus"
        )
        async with ja.connect(url) as client:
            sessions = [await client.create_session() for _ in range(2)]
            handles = [
                await sessions[i % 2].attach("janus.plugin.echotest") for i in range(WORKERS)
            ]
            succeeded = lost = 0
            unexpected: list[BaseException] = []
            stop = anyio.Event()

            async def stream(handle: ja.Handle) -> None:
                nonlocal succeeded, lost
                while not stop.is_set():
                    try:
                        # A hang would show as RequestTimeout (or trip fail_after below).
                        reply = await handle.send({"audio": True}, timeout=5)
                        assert reply.data["result"] == "ok"
                        succeeded += 1
                    except ja.ConnectionLost:
                        lost += 1
                    except Exception as exc:
                        unexpected.append(exc)
                        return

            with anyio.fail_after(60):
                async with anyio.create_task_group() as tg:
                    for handle in handles:
                        tg.start_soon(stream, handle)
                    for _ in range(DROPS):
                        # Each drop comes once the stream flows again after the last one,
                        # and only once the client has reconnected (replies buffered before
                        # a drop can still count as successes after it).
                        connections = proxy.connections
                        mark = succeeded
                        while succeeded < mark + WORKERS:
                            await anyio.sleep(0.005)
                        proxy.drop()
                        while proxy.connections == connections:
                            await anyio.sleep(0.005)
                    mark = succeeded
                    while succeeded < mark + WORKERS:
                        await anyio.sleep(0.005)
                    stop.set()
            print(f"{kind}: {DROPS} drops, {succeeded} succeeded, {lost} ConnectionLost")
            assert unexpected == []
            assert proxy.connections > DROPS  # the client reconnected after each drop
            assert succeeded >= (DROPS + 1) * WORKERS
            assert lost > 0  # requests were in flight at some drops
            # The same objects keep working; nothing leaked client- or server-side.
            assert not any(s.closed for s in sessions)
            assert not any(h.closed for h in handles)
            for handle in handles:
                assert (await handle.send({"audio": True})).data["result"] == "ok"
            assert [p for p in client._conn.pending() if not p.internal] == []
            async with ja.connect_admin(janus.admin_ws_url, admin_secret=ADMIN_SECRET) as admin:
                # (Other tests on this Janus may leave sessions of their own until they
                # time out: ours must be there, alive.)
                assert {s.id for s in sessions} <= set(await admin.list_sessions())
            for session in sessions:
                await session.destroy()
    await assert_no_leftover_tasks(before)
