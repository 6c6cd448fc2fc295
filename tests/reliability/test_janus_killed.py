"""Janus SIGKILLed during traffic, and Janus restarted (its sessions gone)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .helpers import assert_no_leftover_tasks, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

SESSIONS = 3
HANDLES_PER_SESSION = 2


def _url(server: JanusServer, kind: str) -> str:
    return server.ws_url if kind == "ws" else server.http_url


async def _in_thread(function: Callable[[], None]) -> None:
    await anyio.to_thread.run_sync(function)


def _user_pending(client: ja.JanusClient) -> list[jp.PendingInfo]:
    return [p for p in client._conn.pending() if not p.internal and p.sent]


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_sigkill_fails_every_pending_request_within_a_second(kind: str) -> None:
    require_janus()
    before = len(anyio.get_running_tasks())
    with JanusServer(plugins=["janus.plugin.echotest"]) as server:
        async with ja.connect(_url(server, kind)) as client:
            sessions = [await client.create_session() for _ in range(SESSIONS)]
            handles = [
                await s.attach("janus.plugin.echotest")
                for s in sessions
                for _ in range(HANDLES_PER_SESSION)
            ]
            stop = anyio.Event()
            ok = [0] * len(handles)
            lost: dict[int, float] = {}
            other: list[BaseException] = []

            async def traffic(i: int, handle: ja.Handle) -> None:
                while not stop.is_set():
                    try:
                        await handle.send({"audio": True}, timeout=30)
                        ok[i] += 1
                    except ja.ConnectionLost:
                        lost[i] = anyio.current_time()
                        return
                    except Exception as exc:
                        other.append(exc)
                        return

            with anyio.fail_after(15):
                async with anyio.create_task_group() as tg:
                    for i, handle in enumerate(handles):
                        tg.start_soon(traffic, i, handle)
                    while min(ok) < 3:  # traffic flows on every handle
                        await anyio.sleep(0.01)
                    # Freeze Janus, so that every handle surely has a request on the wire.
                    server.pause()
                    while len({p.owner for p in _user_pending(client)}) < len(handles):
                        await anyio.sleep(0.01)
                    await anyio.sleep(0.2)  # every flush done: all written, none answered
                    stop.set()
                    killed_at = anyio.current_time()
                    server.kill()
                # A request made while Janus is down waits for the reconnect, but no longer
                # than its deadline.
                started = anyio.current_time()
                with pytest.raises(ja.RequestTimeout):
                    await handles[0].send({"audio": True}, timeout=0.5)
                assert 0.45 < anyio.current_time() - started < 1.0
            assert other == []
            assert sorted(lost) == list(range(len(handles))), "a request did not fail"
            assert max(lost.values()) - killed_at < 1.0, "ConnectionLost took over 1 s"
            assert _user_pending(client) == []
            assert client._waiters == {}
            assert not client.closed  # reconnecting in the background

            # Janus comes back on the same ports: the client reconnects by itself, its old
            # sessions are reported lost (claim -> 458) and new ones work.
            server.start()
            with anyio.fail_after(10):
                for session in sessions:
                    await session.wait_closed()
            assert all(isinstance(s.end_event, jp.SessionLost) for s in sessions)
            assert all(h.closed for h in handles)
            async with client.session() as session:
                handle = await session.attach("janus.plugin.echotest")
                assert (await handle.send({"audio": True})).data["result"] == "ok"
        # And a brand-new connection works too.
        async with ja.connect(_url(server, kind)) as client2:
            assert (await client2.info()).version == 1102
    await assert_no_leftover_tasks(before)


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_restart_reports_each_session_lost_and_nothing_hangs(kind: str) -> None:
    require_janus()
    before = len(anyio.get_running_tasks())
    with JanusServer(plugins=["janus.plugin.echotest"], reclaim_session_timeout=30) as server:
        async with ja.connect(_url(server, kind)) as client:
            sessions = [await client.create_session() for _ in range(SESSIONS)]
            handles = [await s.attach("janus.plugin.echotest") for s in sessions]
            outcomes: list[BaseException] = []

            async def during_outage(handle: ja.Handle) -> None:
                # Sent, or held for the reconnect: either way it ends, and typed.
                try:
                    await handle.send({"audio": True}, timeout=20)
                except (ja.ConnectionLost, ja.SessionClosed) as exc:
                    outcomes.append(exc)

            with anyio.fail_after(15):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(_in_thread, server.restart)
                    await anyio.sleep(0.05)  # Janus is being stopped: requests wait
                    for handle in handles:
                        tg.start_soon(during_outage, handle)
                for session in sessions:
                    await session.wait_closed()
            assert len(outcomes) == len(handles)
            for session in sessions:
                event = session.end_event
                assert isinstance(event, jp.SessionLost), event
                assert event.session_id == session.id
                # WS: the claim after the reconnect answers 458. HTTP: the claim, or the
                # long poll's 404 (whichever comes first).
                assert "No such session" in event.reason or (
                    kind == "http" and event.reason == "session not found"
                )
            assert all(h.closed for h in handles)
            with pytest.raises(ja.SessionClosed, match="closed"):
                await sessions[0].attach("janus.plugin.echotest")
            with pytest.raises(ja.HandleClosed):
                await handles[0].send({"audio": True})
            assert [p for p in client._conn.pending() if not p.internal] == []
            # The client itself reconnected: new sessions work.
            async with client.session() as session:
                handle = await session.attach("janus.plugin.echotest")
                assert (await handle.send({"audio": True})).data["result"] == "ok"
    await assert_no_leftover_tasks(before)
