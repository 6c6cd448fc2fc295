"""TextRoom over real data channels: two participants, each with its own PeerConnection,
join a room, chat, whisper privately, and hear the room's announcement."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins import TextRoomChannel, TextRoomHandle, open_textroom_channel
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, open_textroom
from janus_proto.plugins import textroom as tr

from .conftest import Measured
from .helpers import assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]

_E = TypeVar("_E")


async def test_chat_whisper_announcement(janus_media: JanusServer, measured: Measured) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        alice_h = await TextRoomHandle.attach(session)
        bob_h = await TextRoomHandle.attach(session)
        room = (await alice_h.create(secret="s3cret", history=5)).room
        try:
            async with PeerConnection(alice_h) as alice_pc, PeerConnection(bob_h) as bob_pc:
                alice_dc = await open_textroom(alice_pc)
                bob_dc = await open_textroom(bob_pc)
                assert alice_dc.label == bob_dc.label == "JanusDataChannel"
                for pc in (alice_pc, bob_pc):
                    await pc.wait_webrtcup(timeout=10)
                    assert_loopback_only(pc)
                async with (
                    open_textroom_channel(alice_dc, alice_dc) as alice,
                    open_textroom_channel(bob_dc, bob_dc) as bob,
                ):
                    assert await alice.join(room, "alice", display="Alice") == ()
                    others = await bob.join(room, "bob")
                    assert [p.username for p in others] == ["alice"]
                    came = await next_of(
                        alice, tr.ParticipantJoined, lambda e: e.username != "alice"
                    )
                    assert came.username == "bob"

                    await alice.message(room, "hello room")
                    got = await next_of(bob, tr.MessageReceived, lambda e: True)
                    assert (got.sender, got.text, got.whisper) == ("alice", "hello room", False)

                    await bob.message(room, "psst", to="alice")
                    secret = await next_of(alice, tr.MessageReceived, lambda e: e.sender == "bob")
                    assert (secret.text, secret.whisper) == ("psst", True)

                    await alice_h.announcement(room, "closing soon", secret="s3cret")
                    for chat in (alice, bob):
                        said = await next_of(chat, tr.AnnouncementReceived, lambda e: True)
                        assert said.text == "closing soon"
                    await bob.leave(room)
                    gone = await next_of(alice, tr.ParticipantLeft, lambda e: True)
                    assert gone.username == "bob"
        finally:
            await alice_h.destroy(room, secret="s3cret")


async def next_of(
    chat: TextRoomChannel, cls: type[_E], fits: Callable[[_E], bool], *, timeout: float = 5.0
) -> _E:
    """The next unsolicited message of class ``cls`` that ``fits`` (others are skipped)."""
    with anyio.fail_after(timeout):
        while True:
            event = await chat.next_event()
            if isinstance(event, cls) and fits(event):
                return event
