"""VideoRoom multistream with real media: several publishers' feeds in ONE subscriber
PeerConnection, ``switch``, ``unsubscribe`` and ``update`` (Janus re-offers), and publisher
renegotiation with ``configure`` and a new offer."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomPublisher, VideoRoomSubscriber
from janus_anyio.testing import JanusServer
from janus_media import (
    PeerConnection,
    StampedVideoTrack,
    ToneAudioTrack,
)
from janus_proto.plugins import videoroom as vr

from .conftest import Measured
from .flows import stamps_where
from .helpers import assert_in_order, assert_loopback_only, audio_level

pytestmark = [pytest.mark.media, pytest.mark.anyio]

#: Stamp ranges of the two publishers (StampedVideoTrack(start=...)).
A_START, B_START = 0, 500_000


def from_a(stamp: int) -> bool:
    return A_START <= stamp < B_START


def from_b(stamp: int) -> bool:
    return stamp >= B_START


@contextlib.asynccontextmanager
async def publishing(
    session: ja.Session, room: int, *, display: str, start: int, audio: int | None = None
) -> AsyncIterator[tuple[VideoRoomPublisher, PeerConnection, vr.Joined]]:
    """A publisher of stamped video (from ``start``) and, with ``audio``, a tone."""
    handle = await VideoRoomPublisher.attach(session)
    async with PeerConnection(handle) as pc:
        if audio is not None:
            pc.add_track(ToneAudioTrack(frequency=audio))
        pc.add_track(StampedVideoTrack(start=start))
        joined = await pc.negotiate(
            lambda jsep: handle.join_and_configure(room, jsep, display=display)
        )
        assert isinstance(joined, vr.Joined)
        await pc.wait_webrtcup(timeout=10)
        await pc.wait_media(timeout=10)  # Janus's "media" event: it receives ours
        yield handle, pc, joined
    await handle.detach()


def feed_mid(pc: PeerConnection, kind: str) -> str:
    """The publisher's mid of its ``kind`` stream (as in its SDP: our offer's mids)."""
    for transceiver in pc.transceivers:
        if transceiver.kind == kind and transceiver.mid is not None:
            return transceiver.mid
    raise AssertionError(f"no {kind} m-line published")


async def test_two_feeds_one_pc_switch_unsubscribe_update(
    janus_media: JanusServer, measured: Measured
) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        admin = await VideoRoomPublisher.attach(session)
        room = (await admin.create(publishers=4)).room
        assert isinstance(room, int)
        try:
            async with (
                publishing(session, room, display="a", start=A_START, audio=500) as (_, pa, ja_),
                publishing(session, room, display="b", start=B_START) as (_, pb, jb),
            ):
                a_video, a_audio = feed_mid(pa, "video"), feed_mid(pa, "audio")
                b_video = feed_mid(pb, "video")
                subscriber = await VideoRoomSubscriber.attach(session)
                async with PeerConnection(subscriber) as sub:
                    attached = await subscriber.join(
                        room,
                        [
                            vr.SubscribeStream(feed=ja_.id, mid=a_video),
                            vr.SubscribeStream(feed=jb.id, mid=b_video),
                        ],
                    )
                    assert attached.jsep is not None
                    by_feed = {(s.feed_id, s.feed_mid): s.mid for s in attached.streams}
                    mid_a, mid_b = by_feed[(ja_.id, a_video)], by_feed[(jb.id, b_video)]
                    assert mid_a is not None
                    assert mid_b is not None
                    assert mid_a != mid_b
                    await sub.accept(attached.jsep, subscriber.start)
                    await sub.wait_webrtcup(timeout=10)
                    assert_loopback_only(sub)
                    track_a = await sub.wait_track("video", mid=mid_a, timeout=5)
                    track_b = await sub.wait_track("video", mid=mid_b, timeout=5)
                    assert_in_order(await stamps_where(track_a, from_a, 10))
                    assert_in_order(await stamps_where(track_b, from_b, 10))

                    # switch: m-line mid_a now carries feed B's video (no renegotiation)
                    t0 = anyio.current_time()
                    switched = await subscriber.switch(
                        [vr.SwitchStream(feed=jb.id, mid=b_video, sub_mid=mid_a)]
                    )
                    assert isinstance(switched, vr.Switched)
                    assert switched.changes == 1
                    assert_in_order(await stamps_where(track_a, from_b, 10))
                    measured.time(
                        "videoroom switch -> new feed's frames", anyio.current_time() - t0
                    )
                    assert sub.remote_description is not None
                    sdp_before = sub.remote_description["sdp"]

                    # unsubscribe mid_b: Janus re-offers with that m-line inactive
                    reply = await subscriber.unsubscribe([vr.UnsubscribeStream(sub_mid=mid_b)])
                    started = await sub.renegotiate(reply, subscriber.start, timeout=10)
                    assert isinstance(started, vr.Started)
                    assert sub.remote_description["sdp"] != sdp_before
                    assert sub.remote_directions[mid_b] == "inactive"
                    assert mid_a in sub.active_mids
                    assert mid_b not in sub.active_mids
                    assert_in_order(await stamps_where(track_a, from_b, 10))

                    # update: add feed A's audio
                    t0 = anyio.current_time()
                    reply = await subscriber.update(
                        subscribe=[vr.SubscribeStream(feed=ja_.id, mid=a_audio)]
                    )
                    assert isinstance(reply, vr.Updated)  # (no renegotiation was under way)
                    assert await sub.renegotiate(reply, subscriber.start, timeout=10)
                    assert reply.streams is not None
                    audio_mids = [
                        s.mid
                        for s in reply.streams
                        if s.type == "audio" and s.feed_id == ja_.id and s.active is not False
                    ]
                    assert len(audio_mids) == 1, reply.streams
                    tone = await sub.wait_track("audio", mid=audio_mids[0], timeout=5)
                    level = await audio_level(tone, 25)
                    measured.time("videoroom update -> audio", anyio.current_time() - t0)
                    assert level > 0.05, f"the added audio stream is silent (RMS {level:.3f})"
                    assert_in_order(await stamps_where(track_a, from_b, 5))
                    # Janus's media events: it receives both publishers' media
                    for pc in (pa, pb):
                        assert await pc.wait_media(feed_mid(pc, "video"), timeout=5)
                    await subscriber.leave()
        finally:
            await admin.destroy(room)


async def test_publisher_renegotiates_with_configure(janus_media: JanusServer) -> None:
    """An audio-only publisher adds video with ``configure`` and a new offer; a subscriber
    then receives that video; a second ``configure`` changes bitrate and descriptions."""
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        publisher = await VideoRoomPublisher.attach(session)
        room = (await publisher.create(publishers=2)).room
        assert isinstance(room, int)
        try:
            async with PeerConnection(publisher) as pub:
                pub.add_track(ToneAudioTrack(frequency=700))
                joined = await pub.negotiate(
                    lambda jsep: publisher.join_and_configure(room, jsep, display="p")
                )
                assert isinstance(joined, vr.Joined)
                await pub.wait_webrtcup(timeout=10)
                assert [s.type for s in (await pub_streams(publisher, room, joined.id))] == [
                    "audio"
                ]

                pub.add_track(StampedVideoTrack(start=1000))
                configured = await pub.negotiate(lambda jsep: publisher.configure(jsep=jsep))
                assert isinstance(configured, vr.Configured)
                assert configured.jsep is not None
                assert configured.jsep["type"] == "answer"
                video_mid = feed_mid(pub, "video")
                # (the new stream is announced once Janus gets its media)
                with anyio.fail_after(10):
                    while "video" not in [
                        s.type for s in await pub_streams(publisher, room, joined.id)
                    ]:
                        await anyio.sleep(0.05)

                subscriber = await VideoRoomSubscriber.attach(session)
                async with PeerConnection(subscriber) as sub:
                    attached = await subscriber.join(
                        room, [vr.SubscribeStream(feed=joined.id, mid=video_mid)]
                    )
                    assert attached.jsep is not None
                    await sub.accept(attached.jsep, subscriber.start)
                    video = await sub.wait_track("video", timeout=5)
                    assert_in_order(await stamps_where(video, lambda s: s >= 1000, 10))

                    described = await pub.negotiate(
                        lambda jsep: publisher.configure(
                            bitrate=256_000,
                            descriptions=[vr.StreamDescription(mid=video_mid, description="cam")],
                            jsep=jsep,
                        )
                    )
                    assert isinstance(described, vr.Configured)
                    streams = await pub_streams(publisher, room, joined.id)
                    assert {s.mid: s.description for s in streams}.get(video_mid) == "cam"
                    assert_in_order(await stamps_where(video, lambda s: s >= 1000, 5))
                    await subscriber.leave()
                await publisher.leave()
        finally:
            await publisher.destroy(room)


async def pub_streams(
    handle: VideoRoomPublisher, room: int, feed: int | str
) -> tuple[vr.PublisherStream, ...]:
    """What another participant is told about ``feed``'s streams (a probe joins and
    leaves)."""
    probe = await VideoRoomPublisher.attach(handle.session)
    try:
        joined = await probe.join(room, display="probe")
        await probe.leave()
    finally:
        await probe.detach()
    for publisher in joined.publishers:
        if publisher.id == feed:
            return publisher.streams
    return ()


async def test_ice_restart_offer_is_answered_without_a_restart(
    janus_media: JanusServer, caplog: pytest.LogCaptureFixture
) -> None:
    """aiortc cannot restart ICE (PeerConnection's docstring): Janus's restart offer is
    answered with our old credentials, with a warning; media goes on over the old ICE
    session for now (until aioice's consent expires, ~30 s: not waited for here)."""
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        admin = await VideoRoomPublisher.attach(session)
        room = (await admin.create(publishers=1)).room
        assert isinstance(room, int)
        try:
            async with publishing(session, room, display="r", start=A_START) as (_, _pc, joined):
                subscriber = await VideoRoomSubscriber.attach(session)
                async with PeerConnection(subscriber) as sub:
                    attached = await subscriber.join(room, [vr.SubscribeStream(feed=joined.id)])
                    assert attached.jsep is not None
                    await sub.accept(attached.jsep, subscriber.start)
                    video = await sub.wait_track("video", timeout=5)
                    before = await stamps_where(video, from_a, 3)
                    ours, theirs = (
                        ice_ufrag(sub.local_description),
                        ice_ufrag(sub.remote_description),
                    )
                    reply = await subscriber.configure(restart=True)
                    assert reply.jsep is not None  # Janus's restart offer
                    assert isinstance(await sub.renegotiate(reply, subscriber.start), vr.Started)
                    assert ice_ufrag(sub.remote_description) != theirs  # Janus restarted
                    assert ice_ufrag(sub.local_description) == ours  # aiortc did not
                    assert "cannot" in caplog.text
                    after = await stamps_where(video, lambda s: s > before[-1], 10)
                    assert_in_order(after)
                    await subscriber.leave()
        finally:
            await admin.destroy(room)


def ice_ufrag(jsep: dict[str, object] | None) -> str:
    assert jsep is not None
    sdp = jsep["sdp"]
    assert isinstance(sdp, str)
    ufrags = {
        line[len("a=ice-ufrag:") :].strip()
        for line in sdp.splitlines()
        if line.startswith("a=ice-ufrag:")
    }
    assert len(ufrags) == 1, ufrags
    return ufrags.pop()
