"""VideoRoom through the typed handles, against a real Janus 1.1.2.

The SDP has no candidates, so no PeerConnection ever comes up. Janus announces a publisher
to the others once its PeerConnection is up, so a WebRTC publisher is never subscribable
here: subscriptions use the room's dummy publisher and a remote publisher (plain RTP bound to
127.0.0.1, announced once its RTP thread runs), as real clients do for placeholders and
cascading. Every address given to Janus is 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins._base import PluginEventItem
from janus_anyio.plugins.videoroom import (
    VideoRoomHandle,
    VideoRoomPublisher,
    VideoRoomSubscriber,
)
from janus_anyio.testing import JanusServer
from janus_proto.plugins import videoroom as vr

from ..conftest import require_janus, url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

T = 5  # seconds to wait for an event


@pytest.fixture(scope="module")
def janus_str() -> Iterator[JanusServer]:
    """A Janus whose VideoRoom uses string room and participant ids."""
    require_janus()
    config = "general: {\n\tstring_ids = true\n}\n"
    with JanusServer(
        plugins=["janus.plugin.videoroom"],
        plugin_config={"janus.plugin.videoroom": config},
        admin_http=False,
        admin_ws=False,
    ) as server:
        yield server


def _remote_streams() -> list[vr.RemoteStream]:
    return [
        vr.RemoteStream(type="audio", mindex=0, mid="0", codec="opus"),
        vr.RemoteStream(type="video", mindex=1, mid="1", codec="vp8"),
    ]


def _is(cls: type, **fields: object) -> Callable[[PluginEventItem], bool]:
    def match(event: PluginEventItem) -> bool:
        return isinstance(event, cls) and all(getattr(event, k) == v for k, v in fields.items())

    return match


async def test_room_management_and_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await VideoRoomHandle.attach(session)
        created = await admin.create(
            description="managed",
            secret="s3cret",
            pin="1234",
            publishers=4,
            bitrate=256000,
            audiocodec="opus",
            videocodec="vp8",
            notify_joining=True,
            dummy_publisher=True,
            record=False,
        )
        assert isinstance(created, vr.Created)
        room = created.room
        assert isinstance(room, int)  # Janus picked a random int id
        assert created.permanent is False

        with pytest.raises(vr.RoomExistsError) as exists_err:
            await admin.create(room)
        assert exists_err.value.error_code == 427
        assert isinstance(exists_err.value, vr.VideoRoomError)
        assert await admin.exists(room) is True
        assert await admin.exists(room + 1) is False

        edited = await admin.edit(
            room, secret="s3cret", new_description="managed (edited)", new_bitrate=128000
        )
        assert isinstance(edited, vr.Edited)
        assert edited.room == room
        with pytest.raises(vr.Unauthorized):
            await admin.edit(room, secret="wrong", new_description="nope")

        info = next(r for r in await admin.list_rooms() if r.room == room)
        assert info.description == "managed (edited)"
        assert info.pin_required is True
        assert info.max_publishers == 4
        assert info.bitrate == 128000
        assert info.dummy_publisher is True
        assert info.notify_joining is True
        assert info.num_participants == 1  # the dummy publisher

        (dummy,) = await admin.list_participants(room)
        assert dummy.dummy is True
        assert dummy.publisher is True
        assert dummy.display == "Dummy publisher"

        added = await admin.allowed(room, "add", ["token-a", "token-b"], secret="s3cret")
        assert set(added.allowed or ()) == {"token-a", "token-b"}
        enabled = await admin.allowed(room, "enable", secret="s3cret")
        assert enabled.allowed is not None
        removed = await admin.allowed(room, "remove", ["token-b"], secret="s3cret")
        assert removed.allowed == ("token-a",)
        with pytest.raises(vr.Unauthorized, match="not in the allowed list"):
            await (await VideoRoomPublisher.attach(session)).join(room, pin="1234", token="b")
        guest = await VideoRoomPublisher.attach(session)
        assert (await guest.join(room, pin="1234", token="token-a")).room == room
        await guest.leave()
        disabled = await admin.allowed(room, "disable", secret="s3cret")
        assert disabled.allowed is None  # Janus sends no list for disable
        with pytest.raises(vr.Unauthorized):
            await admin.allowed(room, "enable", secret="wrong")

        recording = await admin.enable_recording(room, False, secret="s3cret")
        assert recording.record is False

        # Errors Janus finds before the request is queued still come as typed errors.
        with pytest.raises(vr.InvalidElement) as invalid:
            await admin.exists("a-string-room")
        assert invalid.value.error_code == 430
        assert "positive integer" in invalid.value.error
        with pytest.raises(vr.MissingElement) as missing:
            await admin.send({"request": "kick", "room": room, "secret": "s3cret"})
        assert missing.value.error_code == 429
        assert isinstance(missing.value, vr.VideoRoomError)
        with pytest.raises(vr.InvalidRequest):
            await admin.send({"request": "dance"})
        with pytest.raises(vr.NoSuchFeed):
            await admin.kick(room, 4242, secret="s3cret")
        with pytest.raises(TypeError, match=r"Exists\.room must be an int or str id"):
            await admin.exists(True)

        with pytest.raises(vr.Unauthorized) as unauthorized:
            await admin.destroy(room, secret="wrong")
        assert unauthorized.value.error_code == 433
        destroyed = await admin.destroy(room, secret="s3cret")
        assert isinstance(destroyed, vr.Destroyed)
        assert destroyed.room == room
        assert await admin.exists(room) is False
        with pytest.raises(vr.NoSuchRoom) as no_room:
            await admin.list_participants(room)
        assert no_room.value.error_code == 426
        await admin.detach()


async def test_publishers_see_each_other(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await VideoRoomHandle.attach(session)
        room = (
            await admin.create(
                secret="adm", pin="pw", notify_joining=True, dummy_publisher=True, publishers=6
            )
        ).room
        assert isinstance(room, int)

        alice = await VideoRoomPublisher.attach(session)
        joined = await alice.join(room, display="alice", pin="pw")
        assert isinstance(joined, vr.Joined)
        assert joined.room == room
        assert isinstance(joined.id, int)
        assert isinstance(joined.private_id, int)
        assert joined.attendees == ()
        (dummy,) = joined.publishers
        assert dummy.dummy is True
        assert [s.type for s in dummy.streams] == ["audio", "video"]
        assert dummy.streams[0].codec == "opus"

        published = await alice.publish(
            await offer(),
            display="alice",
            bitrate=128000,
            descriptions=[vr.StreamDescription(mid="0", description="microphone")],
        )
        assert published.configured == "ok"
        assert published.jsep is not None
        assert published.jsep["type"] == "answer"
        assert published.audio_codec == "opus"
        assert published.video_codec == "vp8"
        assert published.streams is not None
        assert published.streams[0].description == "microphone"

        bob = await VideoRoomPublisher.attach(session)
        bob_joined = await bob.join_and_configure(room, await offer(), display="bob", pin="pw")
        assert bob_joined.jsep is not None
        assert bob_joined.jsep["type"] == "answer"
        assert bob_joined.streams is not None
        assert [s.mid for s in bob_joined.streams] == ["0", "1"]
        # Alice's PeerConnection never came up: Janus lists her as an attendee, not a publisher.
        assert [p.id for p in bob_joined.publishers] == [dummy.id]
        assert bob_joined.attendees is not None
        assert [(a.id, a.display) for a in bob_joined.attendees] == [(joined.id, "alice")]
        joining = await alice.expect(vr.ParticipantJoining, timeout=T)
        assert joining.joining.id == bob_joined.id
        assert joining.joining.display == "bob"

        # A configure that changes the display or the descriptions is announced at once.
        configured = await alice.configure(
            display="alice2",
            bitrate=64000,
            keyframe=True,
            streams=[vr.PublisherStreamConfig(mid="1", send=True)],
            descriptions=[vr.StreamDescription(mid="1", description="camera")],
        )
        assert configured.configured == "ok"
        assert configured.jsep is None
        renamed, _ = await bob.wait_for(_is(vr.DisplayChanged, id=joined.id), timeout=T)
        assert isinstance(renamed, vr.DisplayChanged)
        assert renamed.display == "alice2"
        announced = await bob.expect(vr.NewPublishers, timeout=T)
        (entry,) = announced.publishers
        assert entry.id == joined.id
        assert entry.display == "alice2"
        assert [s.description for s in entry.streams] == ["microphone", "camera"]

        await admin.moderate(room, joined.id, "0", True, secret="adm")
        for handle in (alice, bob):
            moderated = await handle.expect(vr.Moderated, timeout=T)
            assert moderated.id == joined.id
            assert moderated.mid == "0"
            assert moderated.muted
        await admin.moderate(room, joined.id, "0", False, secret="adm")
        assert not (await bob.expect(vr.Moderated, timeout=T)).muted
        with pytest.raises(vr.NoSuchFeed):
            await admin.moderate(room, joined.id, "7", True, secret="adm")

        forwarded = await admin.rtp_forward(
            room,
            joined.id,
            "127.0.0.1",
            [vr.ForwardStream(mid="0", port=5002), vr.ForwardStream(mid="1", port=5004, pt=96)],
            secret="adm",
        )
        assert forwarded.publisher_id == joined.id
        assert [(f.type, f.port) for f in forwarded.forwarders] == [
            ("audio", 5002),
            ("video", 5004),
        ]
        (listed,) = await admin.list_forwarders(room, secret="adm")
        assert listed.publisher_id == joined.id
        assert {f.stream_id for f in listed.forwarders} == {
            f.stream_id for f in forwarded.forwarders
        }
        stopped = await admin.stop_rtp_forward(
            room, joined.id, forwarded.forwarders[0].stream_id, secret="adm"
        )
        assert stopped.stream_id == forwarded.forwarders[0].stream_id
        (listed,) = await admin.list_forwarders(room, secret="adm")
        assert len(listed.forwarders) == 1

        # Participant errors (a fresh handle per failing join).
        with pytest.raises(vr.AlreadyJoined) as already:
            await alice.join(room, pin="pw")
        assert already.value.error_code == 425
        with pytest.raises(vr.Unauthorized):
            await (await VideoRoomPublisher.attach(session)).join(room, pin="wrong")
        with pytest.raises(vr.NoSuchRoom):
            await (await VideoRoomPublisher.attach(session)).join(room + 1)
        with pytest.raises(vr.IdExists):
            await (await VideoRoomPublisher.attach(session)).join(room, id=joined.id, pin="pw")
        with pytest.raises(vr.NotPublished) as not_published:
            await alice.unpublish()  # her PeerConnection never came up
        assert not_published.value.error_code == 435
        with pytest.raises(vr.JoinFirst):
            await (await VideoRoomPublisher.attach(session)).leave()
        with pytest.raises(ValueError, match="needs a JSEP offer"):
            await bob.publish({})

        carol = await VideoRoomPublisher.attach(session)
        carol_joined = await carol.join(room, display="carol", pin="pw")
        await admin.kick(room, carol_joined.id, secret="adm")
        kicked = await carol.expect(vr.Leaving, timeout=T)
        assert kicked.reason == "kicked"
        seen, _ = await alice.wait_for(_is(vr.ParticipantKicked, id=carol_joined.id), timeout=T)
        assert isinstance(seen, vr.ParticipantKicked)

        left = await alice.leave()
        assert left.leaving == "ok"
        gone, _ = await bob.wait_for(_is(vr.ParticipantLeft, id=joined.id), timeout=T)
        assert isinstance(gone, vr.ParticipantLeft)

        await admin.destroy(room, secret="adm")
        destroyed = await bob.expect(vr.Destroyed, timeout=T)
        assert destroyed.room == room


async def test_subscriber_flow(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await VideoRoomHandle.attach(session)
        room = (
            await admin.create(
                dummy_publisher=True, require_pvtid=True, audiocodec="opus,pcmu", videocodec="vp8"
            )
        ).room
        assert room is not None
        alice = await VideoRoomPublisher.attach(session)
        joined = await alice.join(room, display="alice")
        assert joined.private_id is not None
        (dummy,) = joined.publishers
        assert dummy.dummy is True
        assert [s.codec for s in dummy.streams] == ["opus", "pcmu", "vp8"]

        remote = await admin.add_remote_publisher(
            room, _remote_streams(), display="remote", iface="127.0.0.1"
        )
        assert remote.ip == "127.0.0.1"
        assert isinstance(remote.port, int)
        # Janus announces a remote publisher once its RTP thread runs: wait for it.
        announced = await alice.expect(vr.NewPublishers, timeout=T)
        (remote_entry,) = announced.publishers
        assert remote_entry.id == remote.id
        assert remote_entry.display == "remote"
        assert [s.mid for s in remote_entry.streams] == ["0", "1"]

        with pytest.raises(vr.Unauthorized, match="private_id"):
            await (await VideoRoomSubscriber.attach(session)).join(
                room, [vr.SubscribeStream(feed=dummy.id)]
            )
        with pytest.raises(vr.NoSuchFeed) as no_feed:
            await (await VideoRoomSubscriber.attach(session)).join(
                room, [vr.SubscribeStream(feed=joined.id)], private_id=joined.private_id
            )
        assert no_feed.value.error_code == 428  # alice's PeerConnection is not up

        sub = await VideoRoomSubscriber.attach(session)
        attached = await sub.join(
            room,
            [
                vr.SubscribeStream(feed=dummy.id, mid="0", crossrefid="voice"),
                vr.SubscribeStream(feed=dummy.id, mid="2"),
            ],
            private_id=joined.private_id,
            use_msid=True,
        )
        assert isinstance(attached, vr.Attached)
        assert attached.jsep is not None
        assert attached.jsep["type"] == "offer"
        assert [(s.mid, s.type, s.feed_id, s.feed_mid) for s in attached.streams] == [
            ("0", "audio", dummy.id, "0"),
            ("1", "video", dummy.id, "2"),
        ]
        assert attached.streams[0].crossrefid == "voice"
        assert attached.streams[0].ready is False
        assert (await sub.start(await answer_for(attached.jsep))).started == "ok"
        assert (await sub.pause()).paused == "ok"
        assert (await sub.start()).started == "ok"

        switched = await sub.switch([vr.SwitchStream(feed=remote.id, mid="0", sub_mid="0")])
        assert switched.switched == "ok"
        assert switched.changes == 1
        assert switched.streams[0].feed_id == remote.id
        assert switched.streams[0].feed_display == "remote"
        unchanged = await sub.switch([vr.SwitchStream(feed=dummy.id, mid="1", sub_mid="0")])
        assert unchanged.changes == 0  # pcmu cannot replace opus without renegotiating

        configured = await sub.configure(
            streams=[
                vr.SubscriberStreamConfig(mid="0", send=False),
                vr.SubscriberStreamConfig(
                    mid="1", substream=0, temporal=1, fallback=100000, spatial_layer=0
                ),
            ]
        )
        assert configured.configured == "ok"

        # subscribe renegotiates; an unsubscribe before the answer is queued ("updating"),
        # and its offer is pushed once the first one is answered.
        more = await sub.subscribe([vr.SubscribeStream(feed=dummy.id, mid="1")])
        assert isinstance(more, vr.Updated)
        assert more.jsep is not None
        assert more.streams is not None
        assert [s.codec for s in more.streams] == ["opus", "vp8", "pcmu"]
        assert [s.send for s in more.streams] == [False, True, True]  # the configure holds
        queued = await sub.unsubscribe([vr.UnsubscribeStream(sub_mid="0")])
        assert isinstance(queued, vr.Updating)
        await sub.start(await answer_for(more.jsep))
        pushed = await sub.expect(vr.Updated, timeout=T)
        assert pushed.jsep is not None
        assert pushed.streams is not None
        assert pushed.streams[0].active is False
        await sub.start(await answer_for(pushed.jsep))

        updated = await sub.update(
            subscribe=[vr.SubscribeStream(feed=remote.id, mid="1")],
            unsubscribe=[vr.UnsubscribeStream(feed=dummy.id, mid="1")],
        )
        assert isinstance(updated, vr.Updated)
        assert updated.jsep is not None
        await sub.start(await answer_for(updated.jsep))
        with pytest.raises(vr.MissingElement, match="subscribe"):
            await sub.send({"request": "update"})
        with pytest.raises(ValueError, match="Update needs subscribe or unsubscribe"):
            await sub.update()

        restarted = await sub.configure(restart=True)
        assert restarted.jsep is not None
        assert restarted.jsep["type"] == "offer"
        await sub.start(await answer_for(restarted.jsep))

        # Remote publishers: updates are announced to participants, removal too.
        await admin.update_remote_publisher(
            room,
            remote.id,
            [vr.RemoteStream(type="audio", mindex=0, mid="0", codec="opus", description="mic")],
            display="remote2",
        )
        news, _ = await alice.wait_for(_is(vr.NewPublishers), timeout=T)
        assert isinstance(news, vr.NewPublishers)
        assert news.publishers[0].display == "remote2"
        assert news.publishers[0].streams[0].description == "mic"

        remotized = await admin.publish_remotely(room, joined.id, "r1", "127.0.0.1", 9)
        assert remotized.remote_id == "r1"
        assert remotized.id == joined.id
        (remotization,) = await admin.list_remotes(room, joined.id)
        assert (remotization.remote_id, remotization.host, remotization.port) == (
            "r1",
            "127.0.0.1",
            9,
        )
        unremotized = await admin.unpublish_remotely(room, joined.id, "r1")
        assert unremotized.id == joined.id
        assert await admin.list_remotes(room, joined.id) == ()

        await admin.remove_remote_publisher(room, remote.id)
        gone, _ = await alice.wait_for(_is(vr.ParticipantLeft, id=remote.id), timeout=T)
        assert isinstance(gone, vr.ParticipantLeft)

        left = await sub.leave()
        assert left.left == "ok"
        hungup = await sub.expect(jp.HungUp, timeout=T)
        assert hungup.reason == "Close PC"
        with pytest.raises(vr.JoinFirst):
            await (await VideoRoomSubscriber.attach(session)).pause()
        await admin.destroy(room)


async def test_publishers_full(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await VideoRoomHandle.attach(session)
        room = (await admin.create(publishers=1)).room
        assert room is not None
        alice = await VideoRoomPublisher.attach(session)
        await alice.join(room)
        await admin.add_remote_publisher(room, _remote_streams(), iface="127.0.0.1")
        await alice.expect(vr.NewPublishers, timeout=T)  # the remote publisher is active
        with pytest.raises(vr.PublishersFull) as full:
            await alice.publish(await offer())
        assert full.value.error_code == 432
        await admin.destroy(room)


async def test_string_ids(janus_str: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus_str, url_kind)) as client, client.session() as session:
        admin = await VideoRoomHandle.attach(session)
        room = f"lobby-{url_kind}-{admin.id}"
        created = await admin.create(room, dummy_publisher=True, notify_joining=True)
        assert created.room == room
        picked = await admin.create()
        assert isinstance(picked.room, str)  # a UUID
        with pytest.raises(vr.InvalidElement, match="should be a string"):
            await admin.create(1234)
        assert await admin.exists(room) is True

        alice = await VideoRoomPublisher.attach(session)
        joined = await alice.join(room, id="alice", display="Alice")
        assert joined.id == "alice"
        assert joined.room == room
        (dummy,) = joined.publishers
        assert isinstance(dummy.id, str)  # digits, but a str
        published = await alice.publish(await offer())
        assert published.room == room
        assert published.jsep is not None

        bob = await VideoRoomPublisher.attach(session)
        await bob.join(room, id="bob")
        joining = await alice.expect(vr.ParticipantJoining, timeout=T)
        assert joining.joining.id == "bob"
        with pytest.raises(vr.IdExists):
            await (await VideoRoomPublisher.attach(session)).join(room, id="bob")

        sub = await VideoRoomSubscriber.attach(session)
        attached = await sub.join(room, [vr.SubscribeStream(feed=dummy.id, mid="0")])
        assert attached.room == room
        assert attached.streams[0].feed_id == dummy.id
        assert attached.jsep is not None
        await sub.start(await answer_for(attached.jsep))

        ids = {p.id for p in await admin.list_participants(room)}
        assert ids == {"alice", "bob", dummy.id}
        await admin.moderate(room, "alice", "0", True)
        assert (await bob.expect(vr.Moderated, timeout=T)).id == "alice"
        await admin.kick(room, "bob")
        assert (await bob.expect(vr.Leaving, timeout=T)).reason == "kicked"
        kicked = await alice.expect(vr.ParticipantKicked, timeout=T)
        assert kicked.id == "bob"

        await alice.leave()
        await admin.destroy(room)
        assert await admin.exists(room) is False
        await admin.destroy(picked.room)
