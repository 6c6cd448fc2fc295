"""VideoCall between two handles, a MediaPlayer on each side, a recording re-opened."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
import pytest
from aiortc.contrib.media import MediaPlayer, MediaRelay
from av.video.frame import VideoFrame

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import VideoCallHandle
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, Recording, read_stamp, write_stamped_clip
from janus_proto.plugins import videocall

from .conftest import Measured
from .helpers import assert_in_order, assert_loopback_only, read_stamped

pytestmark = [pytest.mark.media, pytest.mark.anyio]

CLIP_SECONDS = 8.0  # longer than the call: a looping player restarts its timestamps
RECORD_SECONDS = 2.0


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A VP8 + Opus clip of stamped frames and a tone, for the players."""
    path = tmp_path_factory.mktemp("clips") / "stamped.webm"
    write_stamped_clip(path, seconds=CLIP_SECONDS)
    return path


async def test_videocall_players_on_both_sides_and_a_recording(
    janus_media: JanusServer, clip: Path, tmp_path: Path, measured: Measured
) -> None:
    loop = asyncio.get_running_loop()
    recording_path = tmp_path / "bob-hears-alice.webm"
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        alice = await VideoCallHandle.attach(session)
        bob = await VideoCallHandle.attach(session)
        suffix = f"{alice.id}"
        await alice.register(f"alice-{suffix}")
        await bob.register(f"bob-{suffix}")
        async with PeerConnection(alice) as apc, PeerConnection(bob) as bpc:
            apc.add_player(MediaPlayer(str(clip)))
            start = loop.time()
            calling = await apc.negotiate(lambda jsep: alice.call(f"bob-{suffix}", jsep))
            assert isinstance(calling, videocall.Calling)

            incoming = await bpc.expect(videocall.IncomingCall, timeout=5)
            assert incoming.username == f"alice-{suffix}"
            assert incoming.jsep is not None
            bpc.add_player(MediaPlayer(str(clip)))
            accepted = await bpc.accept(incoming.jsep, bob.accept)
            assert isinstance(accepted, videocall.Accepted)

            # The caller's answer comes in an event: the media layer applied it, and the
            # event is still there for the caller.
            at_alice = await apc.expect(videocall.Accepted, timeout=5)
            assert at_alice.username == f"bob-{suffix}"
            await apc.wait_answer(timeout=5)
            assert_loopback_only(apc)
            assert_loopback_only(bpc)
            await apc.wait_webrtcup(timeout=10)
            await bpc.wait_webrtcup(timeout=10)

            alice_sees = await apc.wait_track("video", timeout=5)
            bob_video = await bpc.wait_track("video", timeout=5)
            bob_audio = await bpc.wait_track("audio", timeout=5)
            relay = MediaRelay()  # bob both watches and records alice
            bob_sees = relay.subscribe(bob_video.track)
            recording = Recording(
                recording_path, [relay.subscribe(bob_video.track), bob_audio.track]
            )
            async with recording:
                at_alice_frames, at_bob_frames = await asyncio.gather(
                    read_stamped(alice_sees, 30, timeout=15),
                    read_stamped(bob_sees, 30, timeout=15),
                )
                first = min(at_alice_frames.first_at, at_bob_frames.first_at)
                measured.time(
                    "videocall call->first frame (both sides)",
                    max(at_alice_frames.first_at, at_bob_frames.first_at) - start,
                )
                assert first > start
                assert_in_order(at_alice_frames.stamps)
                assert_in_order(at_bob_frames.stamps)
                await asyncio.sleep(RECORD_SECONDS)
            bob_sees.stop()

            hung = await alice.hangup_call()
            assert isinstance(hung, videocall.HungUp)
            other = await bpc.expect(videocall.HungUp, timeout=5)
            assert other.reason
            await bpc.expect(jp.HungUp, timeout=5)

    duration, frames_ = check_recording(recording_path)
    measured.time("videocall recording duration", duration)
    measured.value("videocall recording: stamped frames", frames_)


def check_recording(path: Path) -> tuple[float, int]:
    """The file opens, lasts about as long as it recorded, and its frames carry stamps
    in order; returns its duration (seconds) and how many stamped frames it holds."""
    assert path.stat().st_size > 0
    with av.open(str(path)) as container:
        kinds = sorted(s.type for s in container.streams)
        assert kinds == ["audio", "video"]
        stamps = []
        for frame in container.decode(video=0):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            if stamp is not None:
                stamps.append(stamp)
        assert container.duration is not None
        duration = container.duration / 1_000_000
    assert RECORD_SECONDS * 0.8 < duration < RECORD_SECONDS + 3.0, duration
    assert len(stamps) >= RECORD_SECONDS * 30 * 0.7, len(stamps)
    assert_in_order(stamps)
    return duration, len(stamps)
