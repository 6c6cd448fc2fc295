"""A handle whose events are never read overflows alone."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .helpers import assert_no_leftover_tasks, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

BUFFER = 8
VISITS = 12  # each visit: a "joining" and a "leaving" event for everyone in the room


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_overflow_fails_only_that_handles_stream(kind: str) -> None:
    require_janus()
    before = len(anyio.get_running_tasks())
    with JanusServer(plugins=["janus.plugin.videoroom", "janus.plugin.echotest"]) as janus:
        url = janus.ws_url if kind == "ws" else janus.http_url
        async with ja.connect(url, event_buffer=BUFFER) as client, client.session() as session:
            room = 4242
            sleeper = await session.attach("janus.plugin.videoroom")  # never read
            reader = await session.attach("janus.plugin.videoroom")  # reads everything
            echo = await session.attach("janus.plugin.echotest")
            await sleeper.send(
                {"request": "create", "room": room, "notify_joining": True, "publishers": 10}
            )
            join = {"request": "join", "ptype": "publisher", "room": room}
            await sleeper.send({**join, "display": "sleeper"})
            await reader.send({**join, "display": "reader"})
            got: list[jp.HandleEvent] = []
            expected = 2 * VISITS

            async def read_all() -> None:
                while len(got) < expected:
                    event = await reader.next_event()
                    if isinstance(event, jp.PluginEvent) and (
                        "joining" in event.data or "leaving" in event.data
                    ):
                        got.append(event)

            with anyio.fail_after(20):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(read_all)
                    for i in range(VISITS):
                        visitor = await session.attach("janus.plugin.videoroom")
                        await visitor.send({**join, "display": f"visitor {i}"})
                        await visitor.send({"request": "leave"})
                        await visitor.detach()
                        # The connection and the other handles keep working meanwhile.
                        assert (await echo.send({"audio": True})).data["result"] == "ok"
            assert len(got) == expected  # nothing lost for the handle that keeps up
            # The sleeper's buffered events are still readable, then its stream fails.
            buffered = [await sleeper.next_event(timeout=1) for _ in range(BUFFER)]
            assert all(isinstance(e, jp.PluginEvent) for e in buffered)
            with pytest.raises(ja.EventOverflow, match=f"handle {sleeper.id}"):
                await sleeper.next_event(timeout=1)
            with pytest.raises(ja.EventOverflow):
                async for _ in sleeper.events():
                    pass
            # Requests on the overflowed handle still work; so does everything else.
            exists = await sleeper.send({"request": "exists", "room": room})
            assert exists.data["exists"] is True
            assert (await echo.send({"audio": True})).data["result"] == "ok"
            assert not sleeper.closed
            assert not reader.closed
    await assert_no_leftover_tasks(before)
