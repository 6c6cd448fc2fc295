"""janus-client 0.9 compatibility: the VideoRoom calls of 0.9's suite that need no media.

Rooms created without an id return the id Janus picked (an int); failures raise
``VideoRoomError`` carrying Janus's text in ``error_message``; the room properties are None
outside a room; ``join_as_publisher`` returns the ``joined`` data; ``on_event`` handlers are
plain functions fed the plugin data, and only for their own event type; every call takes
``timeout=``. Publishing with real media is in tests/media/test_facade_compat_09.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

import janus_anyio as ja
from janus_anyio.testing import JanusServer
from janus_client import (
    JanusSession,
    JanusTransport,
    JanusVideoRoomPlugin,
    ParticipantType,
    VideoRoomError,
    VideoRoomEventType,
)

pytestmark = [pytest.mark.anyio, pytest.mark.janus]

MISSING = 99_999  # no room, feed or participant has this id here


@pytest.fixture
async def plugin(url: str) -> AsyncIterator[JanusVideoRoomPlugin]:
    """A VideoRoom handle on a session over a transport connected the 0.9 way."""
    transport = JanusTransport.create_transport(base_url=url, api_secret="")
    await transport.connect()
    session = JanusSession(transport=transport)
    made = JanusVideoRoomPlugin()
    await made.attach(session=session)
    yield made
    await made.destroy()
    await session.destroy()
    await transport.disconnect()


def assert_outside_a_room(plugin: JanusVideoRoomPlugin) -> None:
    state = (
        plugin.participant_type,
        plugin.room_id,
        plugin.publisher_id,
        plugin.private_id,
        plugin.display_name,
        plugin.is_publishing,
    )
    assert state == (None, None, None, None, None, False)


async def test_room_life_cycle_with_janus_chosen_ids(plugin: JanusVideoRoomPlugin) -> None:
    assert isinstance(await plugin.list_rooms(), list)
    room = await plugin.create_room(
        description="compat 0.9", is_private=False, publishers=3, bitrate=128000, fir_freq=10
    )
    assert isinstance(room, int)
    assert not isinstance(room, bool)
    with pytest.raises(VideoRoomError) as again:
        await plugin.create_room(room_id=room, description="compat 0.9", is_private=False)
    assert "already exists" in again.value.error_message
    assert again.value.error_code == 427
    assert await plugin.exists(room) is True
    listed = {r["room"]: r for r in await plugin.list_rooms()}
    assert listed[room]["description"] == "compat 0.9"
    assert listed[room]["max_publishers"] == 3
    assert listed[room]["bitrate"] == 128000

    await plugin.destroy_room(room_id=room)
    with pytest.raises(VideoRoomError) as gone:
        await plugin.destroy_room(room_id=room)
    assert "No such room" in gone.value.error_message
    assert await plugin.exists(room) is False

    # Several at once, every option of 0.9's create_room.
    many = [await plugin.create_room(description=f"multi {i}", is_private=False) for i in range(3)]
    assert len(set(many)) == 3
    assert set(many) <= {r["room"] for r in await plugin.list_rooms()}
    full = await plugin.create_room(
        description="full",
        secret="s3",
        pin="9876",
        is_private=True,
        publishers=6,
        bitrate=512000,
        fir_freq=5,
        audiocodec="opus,pcmu",
        videocodec="vp8,h264",
        record=False,
        permanent=False,
    )
    assert await plugin.exists(full)
    assert full not in {r["room"] for r in await plugin.list_rooms()}  # private
    for made in many:
        assert await plugin.destroy_room(room_id=made) is True
    await plugin.destroy_room(room_id=full, secret="s3")


async def test_seed_and_09_create_forms_side_by_side(plugin: JanusVideoRoomPlugin) -> None:
    seed_room = 4_200_000 + (plugin.id or 0) % 100_000
    assert await plugin.create_room(seed_room, {"description": "seed"}) is True
    assert await plugin.create_room(seed_room + 1, description="kw") == seed_room + 1
    assert await plugin.create_room(seed_room + 2, "positional description") == seed_room + 2
    rooms = {r["room"]: r["description"] for r in await plugin.list_rooms()}
    assert rooms[seed_room] == "seed"
    assert rooms[seed_room + 1] == "kw"
    assert rooms[seed_room + 2] == "positional description"
    for room in (seed_room, seed_room + 1, seed_room + 2):
        assert await plugin.destroy_room(room, timeout=5.0)


async def test_secret_protected_room(plugin: JanusVideoRoomPlugin) -> None:
    room = await plugin.create_room(
        description="secret", secret="room_secret", pin="1234", is_private=True
    )
    with pytest.raises(VideoRoomError) as refused:
        await plugin.destroy_room(room_id=room)
    assert "Missing mandatory element (secret)" in refused.value.error_message
    await plugin.destroy_room(room_id=room, secret="room_secret")
    assert not await plugin.exists(room)


async def test_join_as_publisher_state_and_participants(plugin: JanusVideoRoomPlugin) -> None:
    assert_outside_a_room(plugin)
    room = await plugin.create_room(description="publisher", is_private=False)
    assert await plugin.list_participants(room) == []

    joined = await plugin.join_as_publisher(room_id=room, display="Test Publisher")
    assert isinstance(joined, dict)
    assert joined["room"] == room
    assert joined["id"] == plugin.publisher_id
    assert joined["private_id"] == plugin.private_id
    assert plugin.participant_type is ParticipantType.PUBLISHER
    assert plugin.room_id == room
    assert plugin.display_name == "Test Publisher"
    assert isinstance(plugin.publisher_id, int)
    assert isinstance(plugin.private_id, int)
    assert plugin.is_publishing is False
    people = await plugin.list_participants(room)
    assert [(p["id"], p["display"]) for p in people] == [(plugin.publisher_id, "Test Publisher")]

    await plugin.configure(bitrate=256000, display="Updated Display", keyframe=True)
    assert plugin.display_name == "Updated Display"
    people = await plugin.list_participants(room)
    assert [p["display"] for p in people] == ["Updated Display"]

    await plugin.leave()
    assert_outside_a_room(plugin)
    assert await plugin.list_participants(room) == []

    # Janus keeps a handle that left out of rooms ("Not in a room (create a new handle)").
    with pytest.raises(VideoRoomError) as left:
        await plugin.join_as_publisher(room_id=room)
    assert left.value.error_code == 425
    assert_outside_a_room(plugin)
    other = JanusVideoRoomPlugin()
    assert plugin.session is not None
    await other.attach(session=plugin.session)
    chosen = await other.join_as_publisher(room_id=room, publisher_id=12345, display="again")
    assert chosen["id"] == 12345 == other.publisher_id
    await other.leave(timeout=5.0)
    await other.destroy()
    await plugin.destroy_room(room_id=room)


async def test_refusals_carry_janus_text(plugin: JanusVideoRoomPlugin) -> None:
    room = await plugin.create_room(description="refusals", secret="admin_secret")
    with pytest.raises(VideoRoomError) as kick:
        await plugin.kick_participant(
            room_id=room, participant_id=MISSING, secret="admin_secret", timeout=5.0
        )
    assert f"No such user {MISSING} in room " in kick.value.error_message
    with pytest.raises(VideoRoomError) as moderate:
        await plugin.moderate_participant(
            room_id=room,
            participant_id=MISSING,
            mid="0",
            mute=True,
            secret="admin_secret",
            timeout=5.0,
        )
    assert f"No such user {MISSING} in room " in moderate.value.error_message
    with pytest.raises(VideoRoomError) as feed:
        await plugin.subscribe_to_publisher(room_id=room, streams=[{"feed": MISSING}], timeout=5.0)
    assert "No such feed " in feed.value.error_message
    assert plugin.participant_type is None  # nothing was set up
    with pytest.raises(VideoRoomError) as unjoined:
        await plugin.publish(player=object())  # type: ignore[arg-type]  # checked first
    assert "Must join as publisher" in unjoined.value.error_message
    await plugin.destroy_room(room_id=room, secret="admin_secret")

    with pytest.raises(VideoRoomError) as no_room:
        await plugin.destroy_room(room_id=MISSING, timeout=5.0)
    assert no_room.value.error_code == 426
    with pytest.raises(VideoRoomError):
        await plugin.join_as_publisher(room_id=MISSING, timeout=5.0)
    with pytest.raises(VideoRoomError) as listing:
        await plugin.list_participants(room_id=MISSING, timeout=5.0)
    assert "No such room" in listing.value.error_message
    assert_outside_a_room(plugin)


async def test_every_call_takes_a_deadline() -> None:
    from .conftest import PLUGINS, require_janus

    require_janus()
    with JanusServer(plugins=PLUGINS) as server:
        session = JanusSession(base_url=server.ws_url, request_timeout=30.0)
        plugin = JanusVideoRoomPlugin()
        await plugin.attach(session=session)
        room = await plugin.create_room(description="deadline", timeout=5.0)
        server.pause()
        try:
            loop = asyncio.get_running_loop()
            for call in (
                plugin.exists(room, timeout=0.5),
                plugin.list_participants(room, timeout=0.5),
                plugin.destroy_room(room_id=room, timeout=0.5),
                plugin.join_as_publisher(room_id=room, timeout=0.5),
            ):
                start = loop.time()
                with pytest.raises(ja.RequestTimeout):
                    await call
                assert loop.time() - start < 3  # the call's 0.5 s, not the session's 30 s
        finally:
            server.resume()
        with pytest.raises(ValueError, match="timeout"):
            await plugin.exists(room, timeout=0)
        await session.destroy()


async def test_handlers_see_only_their_events(plugin: JanusVideoRoomPlugin) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def on_joined(data: dict[str, Any]) -> None:
        seen.append(("joined", data))

    def on_publishers(data: dict[str, Any]) -> None:
        seen.append(("publishers", data))

    plugin.on_event(VideoRoomEventType.JOINED, on_joined)
    plugin.on_event(VideoRoomEventType.PUBLISHERS, on_publishers)
    room = await plugin.create_room(description="events", is_private=False)
    await plugin.join_as_publisher(room_id=room, display="events")
    await asyncio.sleep(1.0)  # as 0.9's suite does: let the dispatcher run
    assert [kind for kind, _ in seen] == ["joined"]
    data = seen[0][1]
    assert data["videoroom"] == "joined"
    assert data["room"] == room
    assert data["id"] == plugin.publisher_id
    await plugin.leave()
    await plugin.destroy_room(room_id=room)
    await asyncio.sleep(0.2)
    assert len(seen) == 1  # leaving and destroying are other event types
