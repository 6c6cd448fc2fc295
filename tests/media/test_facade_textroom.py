"""janus-client 0.9 compatibility: TextRoom over a real data channel (media namespace).

``setup(timeout=...)`` opens the channel (through ``janus_media.open_textroom``); then, in
0.9's call forms: join/leave with ``list_participants`` showing it; ``send_message`` with
``ack``; plain-function ``JOIN``/``MESSAGE`` handlers; a whisper reaching only its target,
marked ``whisper``; a wrong PIN refused; the room's history replayed as ``MESSAGE``
events on a re-join, in order; ``kick_participant`` heard as ``KICKED`` by everyone in the
room, the one kicked included. No audio: data channels only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from janus_anyio.testing import JanusServer
from janus_client import (
    JanusSession,
    JanusTextRoomPlugin,
    JanusTransport,
    TextRoomError,
    TextRoomEventType,
)

from .helpers import assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]


@pytest.fixture
async def session(janus: JanusServer) -> AsyncIterator[JanusSession]:
    transport = JanusTransport.create_transport(base_url=janus.ws_url)
    await transport.connect()
    made = JanusSession(transport=transport)
    yield made
    await made.destroy()
    await transport.disconnect()


async def chatter(session: JanusSession) -> JanusTextRoomPlugin:
    plugin = JanusTextRoomPlugin()
    await plugin.attach(session=session)
    await plugin.setup(timeout=30.0)
    return plugin


async def until(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def test_setup_join_leave_and_messages(session: JanusSession) -> None:
    messages: list[dict[str, Any]] = []
    joins: list[dict[str, Any]] = []
    plugin = JanusTextRoomPlugin()
    plugin.on_event(TextRoomEventType.MESSAGE, messages.append)
    plugin.on_event(TextRoomEventType.JOIN, joins.append)
    await plugin.attach(session=session)
    await plugin.setup(timeout=30.0)
    assert plugin._pc is not None  # 0.9's suite looked here
    assert plugin.data_channel is not None
    assert plugin.peer_connection is not None
    assert_loopback_only(plugin.peer_connection)

    room = await plugin.create_room(description="join and leave", is_private=False)
    others = await plugin.join_room(room=room, username="test_user", display="Test User")
    assert others == []
    people = await plugin.list_participants(room=room)
    assert [(p["username"], p.get("display")) for p in people] == [("test_user", "Test User")]
    assert await plugin.send_message(room=room, text="Hello, TextRoom!", ack=True)
    assert await plugin.send_message(room=room, text="no ack", ack=False, timeout=5.0)
    await until(lambda: len(messages) == 2)
    assert [(m["from"], m["text"]) for m in messages] == [
        ("test_user", "Hello, TextRoom!"),
        ("test_user", "no ack"),
    ]
    assert [j["username"] for j in joins] == ["test_user"]  # our own join is announced
    await plugin.leave_room(room=room)
    assert await plugin.list_participants(room=room) == []
    await plugin.destroy_room(room=room)
    await plugin.destroy()


async def test_whisper_reaches_only_its_target(session: JanusSession) -> None:
    sender, target, bystander = [await chatter(session) for _ in range(3)]
    heard: dict[str, list[dict[str, Any]]] = {"target": [], "bystander": []}
    target.on_event(TextRoomEventType.MESSAGE, heard["target"].append)
    bystander.on_event(TextRoomEventType.MESSAGE, heard["bystander"].append)
    room = await sender.create_room(description="whispers", is_private=False)
    await sender.join_room(room=room, username="user1")
    await target.join_room(room=room, username="user2")
    await bystander.join_room(room=room, username="user3")
    assert await sender.send_message(room=room, text="Private message", to="user2", ack=True)
    assert await sender.send_message(room=room, text="for all", ack=True)
    await until(lambda: len(heard["target"]) == 2 and len(heard["bystander"]) == 1)
    whisper, public = heard["target"]
    assert (whisper["text"], whisper["from"], whisper["whisper"]) == (
        "Private message",
        "user1",
        True,
    )
    assert public["text"] == "for all"
    assert not public.get("whisper", False)
    assert [m["text"] for m in heard["bystander"]] == ["for all"]
    for plugin in (sender, target, bystander):
        await plugin.leave_room(room=room)
    await sender.destroy_room(room=room)
    for plugin in (sender, target, bystander):
        await plugin.destroy()


async def test_pin_and_history(session: JanusSession) -> None:
    plugin = await chatter(session)
    guarded = await plugin.create_room(description="PIN", pin="1234", is_private=False)
    await plugin.join_room(room=guarded, username="test_user", pin="1234")
    await plugin.leave_room(room=guarded)
    with pytest.raises(TextRoomError) as wrong:
        await plugin.join_room(room=guarded, username="test_user2", pin="wrong", timeout=5.0)
    assert "wrong pin" in wrong.value.error_message
    await plugin.destroy_room(room=guarded, secret=None)

    room = await plugin.create_room(description="History", history=10, is_private=False)
    await plugin.join_room(room=room, username="user1")
    for i in range(3):
        await plugin.send_message(room=room, text=f"Message {i + 1}", ack=True)
    await plugin.leave_room(room=room)
    replayed: list[dict[str, Any]] = []
    plugin.on_event(TextRoomEventType.MESSAGE, replayed.append)
    await plugin.join_room(room=room, username="user1", history=True)
    await until(lambda: len(replayed) >= 3)
    await asyncio.sleep(0.3)  # nothing more should come
    assert [(m["text"], m["from"]) for m in replayed] == [
        (f"Message {i}", "user1") for i in (1, 2, 3)
    ]
    await plugin.leave_room(room=room)
    await plugin.destroy_room(room=room)
    await plugin.destroy()


async def test_kick_participant(session: JanusSession) -> None:
    host, guest = await chatter(session), await chatter(session)
    heard: dict[str, list[dict[str, Any]]] = {"host": [], "guest": []}
    for who, plugin in (("host", host), ("guest", guest)):
        for kind in (TextRoomEventType.KICKED, TextRoomEventType.LEAVE):
            plugin.on_event(kind, heard[who].append)
    room = await host.create_room(description="kick", secret="s3cret")
    await host.join_room(room=room, username="host")
    await guest.join_room(room=room, username="guest")
    with pytest.raises(TextRoomError):
        await host.kick_participant(room=room, username="guest", secret="wrong")
    assert await host.kick_participant(room=room, username="guest", secret="s3cret", timeout=5.0)
    await until(lambda: heard["host"] and heard["guest"])
    # Everyone in the room, the one kicked included, hears "kicked" (no "leave").
    expected = [{"textroom": "kicked", "room": room, "username": "guest"}]
    assert heard == {"host": expected, "guest": expected}
    assert [p["username"] for p in await host.list_participants(room=room)] == ["host"]
    await host.leave_room(room=room)
    await host.destroy_room(room=room, secret="s3cret")
    await host.destroy()
    await guest.destroy()
