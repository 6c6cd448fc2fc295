"""janus-client 0.9 compatibility: the TextRoom calls that need no data channel.

Attaching gives an id; ``list_rooms`` a list of dicts; ``create_room`` without a room id
returns the int Janus picked, ``destroy_room(room=..., secret=None)`` removes it; chat
calls before ``setup()`` raise ``TextRoomError``. Setup, joins, messages, whispers, PINs,
history and kicks go over a real data channel: tests/media/test_facade_textroom.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from janus_client import JanusSession, JanusTextRoomPlugin, JanusTransport, TextRoomError

pytestmark = [pytest.mark.anyio, pytest.mark.janus]


@pytest.fixture
async def plugin(url: str) -> AsyncIterator[JanusTextRoomPlugin]:
    transport = JanusTransport.create_transport(base_url=url, api_secret="")
    await transport.connect()
    session = JanusSession(transport=transport)
    made = JanusTextRoomPlugin()
    await made.attach(session=session)
    assert made.id is not None
    yield made
    await made.destroy()
    await session.destroy()
    await transport.disconnect()


async def test_create_list_destroy(plugin: JanusTextRoomPlugin) -> None:
    assert isinstance(await plugin.list_rooms(), list)
    room = await plugin.create_room(description="Test Room", is_private=False, history=10)
    assert isinstance(room, int)
    listed = {r["room"]: r for r in await plugin.list_rooms(timeout=5.0)}
    assert listed[room]["description"] == "Test Room"
    assert await plugin.list_participants(room=room) == []
    await plugin.destroy_room(room=room, secret=None)
    assert room not in {r["room"] for r in await plugin.list_rooms()}
    with pytest.raises(TextRoomError) as gone:
        await plugin.destroy_room(room=room, timeout=5.0)
    assert "No such room" in gone.value.error_message


async def test_secret_room_kick_and_announcement(plugin: JanusTextRoomPlugin) -> None:
    room = await plugin.create_room(description="guarded", secret="s", pin="1234")
    with pytest.raises(TextRoomError) as no_secret:
        await plugin.send_announcement(room, "hi")
    assert "secret" in no_secret.value.error_message
    assert await plugin.send_announcement(room, "hi", secret="s", timeout=5.0)
    with pytest.raises(TextRoomError) as nobody:
        await plugin.kick_participant(room, "nobody", secret="s")
    assert "nobody" in nobody.value.error_message
    assert await plugin.destroy_room(room=room, secret="s")


async def test_chat_before_setup_is_refused(plugin: JanusTextRoomPlugin) -> None:
    room = await plugin.create_room(description="no channel")
    for call in (
        plugin.join_room(room=room, username="u"),
        plugin.leave_room(room=room),
        plugin.send_message(room=room, text="x"),
    ):
        with pytest.raises(TextRoomError, match=r"setup\(\)"):
            await call
    assert plugin.data_channel is None
    await plugin.destroy_room(room=room)
