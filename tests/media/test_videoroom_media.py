"""VideoRoom: publish stamped video and a tone, subscribe, read the first frames."""

from __future__ import annotations

import asyncio

import pytest

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomPublisher, VideoRoomSubscriber
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, StampedVideoTrack, ToneAudioTrack
from janus_proto.plugins import videoroom as vr

from .conftest import Measured
from .helpers import assert_in_order, assert_loopback_only, audio_level, read_stamped

pytestmark = [pytest.mark.media, pytest.mark.anyio]


async def test_videoroom_publish_then_subscribe(
    janus_media: JanusServer, measured: Measured
) -> None:
    loop = asyncio.get_running_loop()
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        publisher = await VideoRoomPublisher.attach(session)
        created = await publisher.create(publishers=4)
        room = created.room
        assert room is not None
        try:
            async with PeerConnection(publisher) as pub:
                video = StampedVideoTrack()
                pub.add_track(ToneAudioTrack(frequency=600))
                pub.add_track(video)
                start = loop.time()
                joined = await pub.negotiate(
                    lambda jsep: publisher.join_and_configure(room, jsep, display="stamps")
                )
                assert isinstance(joined, vr.Joined)
                assert_loopback_only(pub)
                # Subscribing right after the publisher's answer can fail with 428 (no such
                # feed): wait for its webrtcup (media-testing.md).
                await pub.wait_webrtcup(timeout=10)

                subscriber = await VideoRoomSubscriber.attach(session)
                async with PeerConnection(subscriber) as sub:
                    attached = await subscriber.join(room, [vr.SubscribeStream(feed=joined.id)])
                    assert attached.jsep is not None
                    assert attached.jsep["type"] == "offer"
                    started = await sub.accept(attached.jsep, subscriber.start)
                    assert isinstance(started, vr.Started)
                    assert_loopback_only(sub)
                    remote = await sub.wait_track("video", timeout=5)
                    feed_mids = {s.mid for s in attached.streams if s.type == "video"}
                    assert remote.mid in feed_mids
                    got = await read_stamped(remote, 15, sent=video.sent, timeout=15)
                    measured.time("videoroom publish->subscriber first frame", got.first_at - start)
                    assert_in_order(got.stamps)
                    level = await audio_level(await sub.wait_track("audio", timeout=5), 25)
                    assert level > 0.05, f"the subscribed tone is silent (RMS {level:.3f})"
                    await sub.wait_webrtcup(timeout=5)
                    await subscriber.leave()
                assert isinstance(await publisher.leave(), vr.Leaving)
        finally:
            await publisher.destroy(room)
