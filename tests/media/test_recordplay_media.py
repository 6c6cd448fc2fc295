"""Record&Play with real media: record stamped video with ``record``, ``play`` it back on
another PeerConnection and read the stamps back, in order, until ``done``."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins import RecordPlayHandle
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, StampedVideoTrack
from janus_proto.plugins import recordplay as rp

from .conftest import Measured
from .flows import stamps_where
from .helpers import assert_in_order, assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]

SECONDS = 2.0


async def test_record_then_play_back(janus_media: JanusServer, measured: Measured) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        recorder = await RecordPlayHandle.attach(session)
        async with PeerConnection(recorder) as pc:
            video = StampedVideoTrack(start=7000)
            pc.add_track(video)
            recording = await pc.negotiate(
                lambda jsep: recorder.record(jsep, name="stamps", videocodec="vp8")
            )
            assert isinstance(recording, rp.Recording)
            assert recording.status == "recording"
            await pc.wait_webrtcup(timeout=10)
            await pc.wait_media(timeout=10)
            assert_loopback_only(pc)
            with anyio.fail_after(10):
                while video.count < SECONDS * video.fps:
                    await anyio.sleep(0.05)
            assert isinstance(await recorder.stop(), rp.Stopped)
        sent = video.count
        listed = {r.id: r for r in await recorder.list()}
        assert recording.id in listed
        assert listed[recording.id].video is True
        assert listed[recording.id].audio is not True

        player = await RecordPlayHandle.attach(session)
        async with PeerConnection(player) as pc:
            t0 = anyio.current_time()
            preparing = await player.play(recording.id)
            assert isinstance(preparing, rp.Preparing)
            assert preparing.jsep is not None
            playing = await pc.accept(preparing.jsep, player.start)
            assert isinstance(playing, rp.Playing)
            await pc.wait_webrtcup(timeout=10)
            assert_loopback_only(pc)
            remote = await pc.wait_track("video", timeout=5)
            # the recording starts at its first keyframe: the first frames we sent
            played = await stamps_where(remote, lambda s: 7000 <= s < 7000 + sent, 30)
            measured.time("recordplay play -> 30 frames", anyio.current_time() - t0)
            assert_in_order(played)
            assert played[0] < 7000 + 15, played[:3]
            done = await pc.expect(rp.Done, timeout=SECONDS + 5)
            assert done.result == "done"
        await player.detach()
        await recorder.detach()
