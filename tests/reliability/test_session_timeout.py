"""A session timed out by Janus (timeout shortened through the Admin API)."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .helpers import ADMIN_SECRET, assert_no_leftover_tasks, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


@pytest.fixture(scope="module")
def janus() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(plugins=["janus.plugin.echotest"], admin_secret=ADMIN_SECRET) as server:
        yield server


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_server_side_timeout_is_a_typed_event_and_spares_other_sessions(
    janus: JanusServer, kind: str
) -> None:
    before = len(anyio.get_running_tasks())
    url = janus.ws_url if kind == "ws" else janus.http_url
    admin_url = janus.admin_ws_url if kind == "ws" else janus.admin_http_url
    async with (
        ja.connect(url) as client,
        ja.connect(url) as other_client,
        ja.connect_admin(admin_url, admin_secret=ADMIN_SECRET) as admin,
    ):
        doomed = await client.create_session()
        doomed_handle = await doomed.attach("janus.plugin.echotest")
        neighbour = await client.create_session()
        neighbour_handle = await neighbour.attach("janus.plugin.echotest")
        stranger = await other_client.create_session()
        stranger_handle = await stranger.attach("janus.plugin.echotest")
        assert await admin.set_session_timeout(1, session_id=doomed.id) == 1
        started = anyio.current_time()
        with anyio.fail_after(10):  # Janus's watchdog runs every ~2 s
            await doomed.wait_closed()
        took = anyio.current_time() - started
        assert isinstance(doomed.end_event, jp.SessionTimedOut), doomed.end_event
        assert doomed.end_event.session_id == doomed.id
        assert doomed.close_reason == "session timed out"
        assert doomed_handle.closed
        # Clear errors, and nothing sent, for the dead session and its handle.
        with pytest.raises(ja.SessionClosed, match=f"session {doomed.id} is closed"):
            await doomed.attach("janus.plugin.echotest")
        with pytest.raises(ja.HandleClosed, match=f"handle {doomed_handle.id} is closed"):
            await doomed_handle.send({"audio": True})
        with pytest.raises(ja.SessionClosed):
            await doomed.keepalive()
        # Every other session, on this connection and another, goes on.
        for handle in (neighbour_handle, stranger_handle):
            assert (await handle.send({"audio": True})).data["result"] == "ok"
        assert not neighbour.closed
        assert not stranger.closed
        assert doomed.id not in await admin.list_sessions()
        assert {neighbour.id, stranger.id} <= set(await admin.list_sessions())
        print(f"{kind}: timeout 1 s reported after {took:.1f} s")
        await neighbour.destroy()
        await stranger.destroy()
    await assert_no_leftover_tasks(before)
