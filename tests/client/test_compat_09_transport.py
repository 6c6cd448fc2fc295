"""janus-client 0.9 compatibility: transports, sessions and their fan-out, attach failures.

What 0.9's own suites relied on, checked against a private Janus over WebSocket and HTTP:
``JanusTransport.create_transport(base_url=..., api_secret=...)`` then an explicit
``connect()``/``disconnect()``; ``ping()``/``info()`` dicts; ``session.send(...)`` giving a
transaction whose ``get({"janus": "ack"})`` is the keepalive's ack; a refused session whose
error text starts with ``Create session fail: {'code': 403``; one transport shared by
several sessions, and sessions making their own, with several VideoRoom handles each
joining the demo room 1234 concurrently.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator

import pytest

import janus_proto as jp
from janus_anyio.testing import JanusServer
from janus_client import (
    JanusEchoTestPlugin,
    JanusSession,
    JanusTransport,
    JanusVideoRoomPlugin,
    PluginAttachFail,
)

from .conftest import API_SECRET

pytestmark = [pytest.mark.anyio, pytest.mark.janus]

#: The demo room of Janus's stock janus.plugin.videoroom.jcfg.
DEMO_ROOM = 1234
#: Participant ids for the concurrent joins (distinct per run: the demo room is shared).
_ids = itertools.count(os.getpid() % 10_000 * 100_000 + 1_000_000, 10)


@pytest.fixture
async def transport(url: str) -> AsyncIterator[JanusTransport]:
    """A transport made the 0.9 way, connected before use, disconnected after."""
    made = JanusTransport.create_transport(base_url=url, api_secret="")
    await made.connect()
    assert made.connected
    yield made
    await made.disconnect()
    assert not made.connected


async def test_ping_and_info_are_raw_dicts(transport: JanusTransport) -> None:
    pong = await transport.ping()
    assert pong["janus"] == "pong"
    info = await transport.info()
    assert info["janus"] == "server_info"
    assert info["name"] == "Janus WebRTC Server"


async def test_keepalive_transaction_yields_the_ack(transport: JanusTransport) -> None:
    session = JanusSession(transport=transport)
    txn = await session.send({"janus": "keepalive"})
    answer = await txn.get({"janus": "ack"})
    await txn.done()
    assert answer["janus"] == "ack"
    assert answer["session_id"] == session.id
    await session.destroy()
    assert transport.connected  # a shared transport outlives the session


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_refused_session_text_names_the_code(kind: str, janus_secret: JanusServer) -> None:
    base_url = janus_secret.ws_url if kind == "ws" else janus_secret.http_url
    for secret in (None, "not-the-secret"):
        session = JanusSession(base_url=base_url, api_secret=secret)
        with pytest.raises(jp.Unauthorized, match=r"^Create session fail: \{'code': 403") as info:
            await session.create()
        assert info.value.error_code == 403
        assert session.id is None
        await session.transport.disconnect()
    accepted = JanusSession(base_url=base_url, api_secret=API_SECRET)
    await accepted.create()
    assert isinstance(accepted.id, int)
    await accepted.destroy()


async def test_unknown_plugin_name_fails_attach(transport: JanusTransport) -> None:
    session = JanusSession(transport=transport)
    plugin = JanusEchoTestPlugin()
    plugin.name = "dummy_name"
    with pytest.raises(PluginAttachFail):
        await plugin.attach(session=session)
    assert plugin.id is None
    await session.destroy()


async def _join_and_leave_three(session: JanusSession, first_id: int) -> None:
    """Three handles on ``session`` join the demo room at once (seed ``join`` form),
    then leave and detach at once."""
    plugins = [JanusVideoRoomPlugin() for _ in range(3)]
    await asyncio.gather(*(p.attach(session=session) for p in plugins))
    assert len({p.id for p in plugins}) == 3
    names = ("a", "b", "c")
    joined = await asyncio.gather(
        *(p.join(DEMO_ROOM, first_id + i, names[i]) for i, p in enumerate(plugins))
    )
    assert joined == [True, True, True]
    assert [p.publisher_id for p in plugins] == [first_id, first_id + 1, first_id + 2]
    people = await plugins[0].list_participants(DEMO_ROOM)
    assert {first_id, first_id + 1, first_id + 2} <= {p["id"] for p in people}
    assert await asyncio.gather(*(p.leave() for p in plugins)) == [True, True, True]
    await asyncio.gather(*(p.destroy() for p in plugins))


async def _three_keepalives(sessions: list[JanusSession]) -> None:
    txns = await asyncio.gather(*(s.send({"janus": "keepalive"}) for s in sessions))
    for session, txn in zip(sessions, txns, strict=True):
        ack = await txn.get({"janus": "ack"})
        await txn.done()
        assert ack["session_id"] == session.id
    assert len({s.id for s in sessions}) == 3


@pytest.mark.parametrize("shared", [True, False], ids=["one-transport", "own-transports"])
async def test_sessions_and_handles_fan_out(
    shared: bool, url: str, transport: JanusTransport
) -> None:
    def new_session() -> JanusSession:
        if shared:
            return JanusSession(transport=transport)
        return JanusSession(base_url=url, api_secret="")

    # 1 session, 1 handle, the seed's join(room, id, display) form.
    single = new_session()
    plugin = JanusVideoRoomPlugin()
    await plugin.attach(session=single)
    assert await plugin.join(DEMO_ROOM, next(_ids), "solo")
    assert await plugin.leave()
    await plugin.destroy()
    await single.destroy()

    # N sessions: keepalives at once, then three handles per session at once.
    sessions = [new_session() for _ in range(3)]
    await _three_keepalives(sessions)
    await asyncio.gather(*(_join_and_leave_three(s, next(_ids)) for s in sessions))
    await asyncio.gather(*(s.destroy() for s in sessions))
    if shared:
        assert transport.connected
    else:
        assert not any(s.transport.connected for s in sessions)
