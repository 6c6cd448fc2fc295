"""TextRoom: the Janus API against a real Janus 1.1.2, and the data-channel driver over an
in-memory channel that answers like the plugin does.

A real data-channel round trip through Janus needs ICE, which these tests never start
(their SDP has no candidates); it belongs to the media tests.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
from anyio.streams.memory import MemoryObjectReceiveStream

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins.textroom import TextRoomChannel, TextRoomHandle, open_textroom_channel
from janus_anyio.testing import JanusServer
from janus_proto.plugins import GenericPluginData, textroom

from ..conftest import url_of
from ..sdp import answer_for

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


def new_room() -> int:
    """A room id no other test uses (the server is shared by the whole run)."""
    return uuid.uuid4().int % 2**52 + 1


# -- the Janus API -----------------------------------------------------------------------


async def test_room_management(janus: JanusServer, url_kind: str) -> None:
    room = new_room()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await TextRoomHandle.attach(session)
        assert not await handle.exists(room)
        created = await handle.create(
            room=room,
            description="e2e room",
            secret="s3cret",
            pin="1234",
            history=5,
            is_private=False,
            allowed=["tok-a"],
        )
        assert isinstance(created, textroom.RoomCreated)
        assert (created.textroom, created.room, created.permanent) == ("created", room, False)
        assert await handle.exists(room)

        (info,) = [r for r in await handle.list_rooms() if r.room == room]
        assert (info.description, info.pin_required, info.history) == ("e2e room", True, 5)
        assert info.num_participants == 0
        assert await handle.list_participants(room) == ()

        edited = await handle.edit(room, secret="s3cret", new_description="renamed")
        assert (edited.textroom, edited.room) == ("edited", room)
        (info,) = [r for r in await handle.list_rooms() if r.room == room]
        assert info.description == "renamed"

        added = await handle.allowed(room, "add", allowed=["tok-b"], secret="s3cret")
        assert set(added.allowed or ()) == {"tok-a", "tok-b"}
        removed = await handle.allowed(room, "remove", allowed=["tok-a"], secret="s3cret")
        assert removed.allowed == ("tok-b",)
        disabled = await handle.allowed(room, "disable", secret="s3cret")
        assert disabled.allowed is None  # Janus leaves the list out after "disable"
        assert (await handle.allowed(room, "enable", secret="s3cret")).allowed == ("tok-b",)

        said = await handle.announcement(room, "hello, nobody", secret="s3cret")
        assert isinstance(said, textroom.Success)

        # Errors of the sync requests arrive inside the success reply.
        with pytest.raises(textroom.RoomExistsError) as exists_err:
            await handle.create(room=room)
        assert exists_err.value.error_code == 418
        with pytest.raises(textroom.Unauthorized) as auth_err:
            await handle.edit(room, secret="wrong", new_description="x")
        assert auth_err.value.error_code == 419
        with pytest.raises(textroom.MissingElement):
            await handle.destroy(room)  # no secret
        with pytest.raises(textroom.NoSuchUser) as user_err:
            await handle.kick(room, "nobody", secret="s3cret")
        assert user_err.value.error_code == 423
        with pytest.raises(textroom.InvalidElement):
            await handle.send({"request": "allowed", "room": room, "action": "ban"})

        destroyed = await handle.destroy(room, secret="s3cret")
        assert isinstance(destroyed, textroom.RoomDestroyed)
        assert (destroyed.textroom, destroyed.room) == ("destroyed", room)
        assert not await handle.exists(room)
        with pytest.raises(textroom.NoSuchRoom) as room_err:
            await handle.destroy(room, secret="s3cret")
        assert room_err.value.error_code == 417
        assert isinstance(room_err.value, jp.PluginError)
        with pytest.raises(textroom.NoSuchRoom):
            await handle.list_participants(room)


async def test_rooms_with_picked_ids_private_rooms_and_untyped_sends(janus: JanusServer) -> None:
    async with ja.connect(janus.ws_url) as client, client.session() as session:
        handle = await TextRoomHandle.attach(session)
        picked = await handle.create(is_private=True)
        assert isinstance(picked.room, int)
        assert picked.room > 0
        assert await handle.exists(picked.room)
        # No admin_key is configured: private rooms never show in the list.
        assert picked.room not in [r.room for r in await handle.list_rooms()]
        assert isinstance(await handle.send({"request": "exists", "room": 1}), textroom.RoomExists)
        # listparticipants answers without a "textroom" key on the Janus API.
        people = await handle.send({"request": "listparticipants", "room": picked.room})
        assert isinstance(people, textroom.ParticipantList)
        assert people.textroom is None
        assert people.raw == {"room": picked.room, "participants": []}
        await handle.destroy(picked.room)
        with pytest.raises(textroom.InvalidElement):  # string ids are off by default
            await handle.create(room="by-name")


async def test_join_and_message_are_refused_on_the_janus_api(janus: JanusServer) -> None:
    async with ja.connect(janus.http_url) as client, client.session() as session:
        handle = await TextRoomHandle.attach(session)
        with pytest.raises(textroom.InvalidRequest) as err:
            await handle.send({"request": "join", "room": 1234, "username": "u"})
        assert err.value.error_code == 415
        assert err.value.error == "Unknown request 'join'"
        assert err.value.data["textroom"] == "event"  # not "error", unlike the sync requests
        with pytest.raises(textroom.InvalidRequest):
            await handle.send({"request": "message", "room": 1234, "text": "x"})
        with pytest.raises(TypeError, match="expected a PluginRequest, got Join"):
            await handle.request(textroom.Join(room=1234, username="u"))  # type: ignore[arg-type]


def origin(sdp: str) -> tuple[str, int]:
    """The session id and version of an SDP's ``o=`` line."""
    line = next(x for x in sdp.splitlines() if x.startswith("o="))
    _user, sess_id, version, *_ = line[2:].split()
    return sess_id, int(version)


async def test_setup_ack_restart(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await TextRoomHandle.attach(session)
        with pytest.raises(textroom.AlreadySetup) as not_yet:  # restart before setup
            await handle.restart()
        assert not_yet.value.error == "PeerConnection not setup"

        offer = await handle.setup()
        assert isinstance(offer, textroom.Result)
        assert (offer.textroom, offer.result) == ("event", "ok")
        assert offer.jsep is not None
        assert offer.jsep["type"] == "offer"
        assert "m=application" in offer.jsep["sdp"]
        assert "webrtc-datachannel" in offer.jsep["sdp"]
        assert "m=audio" not in offer.jsep["sdp"]
        assert "m=video" not in offer.jsep["sdp"]

        answer = await answer_for(offer.jsep)
        acked = await handle.ack(answer)
        assert (acked.result, acked.jsep) == ("ok", None)

        with pytest.raises(textroom.AlreadySetup) as again:
            await handle.setup()
        assert again.value.error_code == 416

        restarted = await handle.restart()
        assert restarted.jsep is not None
        # The plugin marks it "restart": true, but the core forwards only type and sdp;
        # the SDP keeps its session id and bumps its version.
        assert set(restarted.jsep) == {"type", "sdp"}
        assert origin(restarted.jsep["sdp"]) == (origin(offer.jsep["sdp"])[0], 2)
        assert restarted.jsep["type"] == "offer"
        assert "m=application" in restarted.jsep["sdp"]
        assert (await handle.ack(await answer_for(restarted.jsep))).result == "ok"

        with pytest.raises(ValueError, match="Ack needs a JSEP answer"):
            await handle.ack({"type": "offer", "sdp": offer.jsep["sdp"]})


# -- the data-channel driver, over an in-memory channel ----------------------------------


class FakePlugin:
    """The data-channel side of the TextRoom plugin, in memory, for one participant.

    ``send`` (what the driver calls) answers at once through ``incoming`` as Janus would:
    our own join comes before the answer, messages come back to the sender, ``ack=False``
    gets no answer. Room 666 never answers; room 777 answers garbage first.
    """

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self._out, self.incoming = anyio.create_memory_object_stream[str | bytes](64)
        self.rooms: dict[int, dict[str, str | None]] = {1234: {}, 777: {}}

    def push(self, msg: dict[str, Any] | str | bytes) -> None:
        self._out.send_nowait(json.dumps(msg, indent=3) if isinstance(msg, dict) else msg)

    def end(self) -> None:
        self._out.close()

    def close(self) -> None:
        self._out.close()
        self.incoming.close()

    def send(self, text: str) -> None:
        msg = json.loads(text)
        self.sent.append(msg)
        verb, txn, room = msg["textroom"], msg["transaction"], msg.get("room")
        if room == 666:
            return
        if room == 777:
            self.push("this is not json")
            self.push({"textroom": "success", "transaction": "not-ours"})
            self.push("[1, 2]")
        ok: dict[str, Any] = {"textroom": "success", "transaction": txn}
        if verb in ("create", "exists", "list"):
            if verb == "create":
                self.rooms[room] = {}
                self.push({**ok, "room": room, "permanent": False})
            elif verb == "exists":
                self.push({**ok, "room": room, "exists": room in self.rooms})
            else:
                self.push({**ok, "list": [{"room": r} for r in self.rooms]})
            return
        if room not in self.rooms:
            self.push(
                {
                    "textroom": "error",
                    "error_code": 417,
                    "error": f"No such room ({room})",
                    "transaction": txn,
                }
            )
            return
        people = self.rooms[room]
        if verb == "join":
            self.push({"textroom": "join", "room": room, "username": msg["username"]})
            others = [{"username": u} for u in people]
            people[msg["username"]] = msg.get("display")
            self.push({**ok, "participants": others})
        elif verb == "message":
            event = {"textroom": "message", "room": room, "from": "me", "text": msg["text"]}
            if "to" in msg:
                event["whisper"] = True
                ok["sent"] = {msg["to"]: msg["to"] in people}
            self.push(event)
            if msg.get("ack", True):
                self.push(ok)
        else:
            self.push(ok)


@pytest.fixture
def plugin() -> Iterator[FakePlugin]:
    fake = FakePlugin()
    yield fake
    fake.close()


class AsyncSender:
    """A channel whose ``send`` is a coroutine."""

    def __init__(self, plugin: FakePlugin) -> None:
        self.plugin = plugin

    async def send(self, text: str) -> None:
        await anyio.sleep(0)
        self.plugin.send(text)


class BrokenSender:
    def send(self, text: str) -> None:
        raise RuntimeError("channel is not open")


async def test_channel_join_chat_leave(plugin: FakePlugin) -> None:
    plugin.rooms[1234]["bob"] = "Bob"
    async with open_textroom_channel(plugin, plugin.incoming) as room:
        assert await room.join(1234, "me", display="Me", history=False) == (
            textroom.Participant(username="bob"),
        )
        assert plugin.sent[0] == {
            "textroom": "join",
            "transaction": "t1",
            "room": 1234,
            "username": "me",
            "display": "Me",
            "history": False,
        }
        own_join = await room.next_event(timeout=5)
        assert isinstance(own_join, textroom.ParticipantJoined)
        assert own_join.username == "me"

        sent = await room.message(1234, "hello")
        assert isinstance(sent, textroom.MessageSent)
        assert sent.sent is None
        whisper = await room.message(1234, "psst", to="bob")
        assert whisper is not None
        assert whisper.sent == {"bob": True}
        assert await room.message(1234, "no ack", ack=False) is None
        assert plugin.sent[-1]["ack"] is False
        assert not room.session.pending

        received, skipped = await room.wait_for(
            lambda e: isinstance(e, textroom.MessageReceived) and e.whisper, timeout=5
        )
        assert isinstance(received, textroom.MessageReceived)
        assert received.text == "psst"
        assert [e.text for e in skipped if isinstance(e, textroom.MessageReceived)] == ["hello"]
        last, _ = await room.wait_for(textroom.MessageReceived, timeout=5)
        assert last.text == "no ack"

        await room.leave(1234)
        assert plugin.sent[-1] == {"textroom": "leave", "transaction": "t5", "room": 1234}


async def test_channel_room_management_and_async_send(plugin: FakePlugin) -> None:
    async with open_textroom_channel(AsyncSender(plugin), plugin.incoming) as room:
        created = await room.create(room=42, secret="s")
        assert (created.room, created.textroom) == (42, "success")
        assert plugin.sent[0] == {
            "textroom": "create",
            "transaction": "t1",
            "room": 42,
            "secret": "s",
        }
        assert await room.exists(42)
        assert not await room.exists(43)
        assert {r.room for r in await room.list_rooms()} == {1234, 777, 42}
        assert isinstance(await room.kick(42, "x", secret="s"), textroom.Success)


async def test_channel_errors_timeouts_and_strays(plugin: FakePlugin) -> None:
    ids = iter(["x1", "x2", "x3", "x4", "x5"])
    async with open_textroom_channel(
        plugin, plugin.incoming, transaction_ids=ids, request_timeout=5
    ) as room:
        with pytest.raises(textroom.NoSuchRoom) as err:
            await room.join(99, "me")
        assert (err.value.error_code, err.value.transaction) == (417, "x1")
        assert isinstance(err.value, jp.PluginError)

        with pytest.raises(ja.RequestTimeout, match="no answer to TextRoom leave"):
            await room.leave(666, timeout=0.05)
        assert not room.session.pending  # abandoned

        # Garbage and answers to nobody are dropped; the real answer still gets through.
        assert await room.join(777, "me") == ()
        assert isinstance(await room.next_event(timeout=5), textroom.ParticipantJoined)

        with pytest.raises(ValueError, match="gets no answer; use post"):
            await room.request(textroom.Message(room=1, text="x", ack=False))
        assert await room.post(textroom.Leave(room=1234)) == "x4"
        assert not room.session.pending

        plugin.push({"textroom": "typing", "room": 1})
        odd = await room.next_event(timeout=5)
        assert isinstance(odd, GenericPluginData)
        assert odd.raw == {"textroom": "typing", "room": 1}


async def test_channel_closing_aborts_pending_requests_and_ends_events(plugin: FakePlugin) -> None:
    async with open_textroom_channel(plugin, plugin.incoming) as room:
        plugin.push({"textroom": "announcement", "room": 1, "text": "bye", "date": "d"})

        async def close_soon() -> None:
            await anyio.wait_all_tasks_blocked()
            plugin.end()

        async with anyio.create_task_group() as tg:
            tg.start_soon(close_soon)
            with pytest.raises(ja.ConnectionClosed, match="data channel closed"):
                await room.leave(666)
        assert room.closed
        assert [type(e) async for e in room.events()] == [textroom.AnnouncementReceived]
        with pytest.raises(ja.ConnectionClosed):
            await room.next_event()
        with pytest.raises(ja.ConnectionClosed):
            await room.join(1234, "late")
        assert repr(room) == "<TextRoomChannel data channel closed>"


async def test_channel_failures(plugin: FakePlugin) -> None:
    async with open_textroom_channel(BrokenSender(), plugin.incoming) as room:
        with pytest.raises(ja.ConnectionClosed, match="send failed: RuntimeError"):
            await room.exists(1)
        assert not room.session.pending

    async def failing_source() -> AsyncIterator[str]:
        yield json.dumps({"textroom": "leave", "room": 1, "username": "u"})
        raise OSError("transport broke")

    async with open_textroom_channel(plugin, failing_source()) as room:
        left = await room.next_event(timeout=5)
        assert isinstance(left, textroom.ParticipantLeft)
        with pytest.raises(ja.ConnectionClosed, match="transport broke"):
            await room.next_event(timeout=5)

    with pytest.raises(ZeroDivisionError):  # the block's own error comes out unwrapped
        async with open_textroom_channel(plugin, plugin.incoming):
            1 / 0  # noqa: B018


async def test_channel_event_overflow_and_manual_run(plugin: FakePlugin) -> None:
    room = TextRoomChannel(plugin, plugin.incoming, event_buffer=1)
    async with anyio.create_task_group() as tg:
        tg.start_soon(room.run)
        plugin.push({"textroom": "leave", "room": 1, "username": "a"})
        plugin.push({"textroom": "leave", "room": 1, "username": "b"})
        plugin.push({"textroom": "leave", "room": 1, "username": "c"})
        await anyio.wait_all_tasks_blocked()
        first = await room.next_event(timeout=5)  # what fitted is still delivered
        assert isinstance(first, textroom.ParticipantLeft)
        assert first.username == "a"
        with pytest.raises(ja.EventOverflow):
            await room.next_event(timeout=5)
        room.close()  # ends run() although the source is still open
    assert room.closed
    with pytest.raises(ValueError, match="event_buffer"):
        TextRoomChannel(plugin, plugin.incoming, event_buffer=0)


async def test_receive_stream_is_accepted_as_the_source(plugin: FakePlugin) -> None:
    send, receive = anyio.create_memory_object_stream[str | bytes](4)
    source: MemoryObjectReceiveStream[str | bytes] = receive
    async with send, receive, open_textroom_channel(plugin, source) as room:
        await send.send(b'{"textroom":"kicked","room":1,"username":"me"}')
        kicked = await room.next_event(timeout=5)
        assert isinstance(kicked, textroom.ParticipantKicked)
        assert kicked.username == "me"
