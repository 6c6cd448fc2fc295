"""EchoTest with real audio, video and data through Janus, inside the namespace."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import EchoTestHandle
from janus_anyio.testing import JanusServer
from janus_media import (
    DataChannelClosed,
    PeerConnection,
    StampedVideoTrack,
    ToneAudioTrack,
    sdp_candidates,
)
from janus_proto.plugins import echotest

from .conftest import Measured
from .helpers import assert_in_order, assert_loopback_only, audio_level, read_stamped

pytestmark = [pytest.mark.media, pytest.mark.anyio]


def _receiving(kind: str) -> Callable[[object], bool]:
    def test(event: object) -> bool:
        return isinstance(event, jp.MediaChanged) and event.type == kind and event.receiving

    return test


async def test_echotest_audio_and_video(janus_media: JanusServer, measured: Measured) -> None:
    loop = asyncio.get_running_loop()
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        echo = await EchoTestHandle.attach(session)
        async with PeerConnection(echo) as pc:
            video = StampedVideoTrack()
            pc.add_track(ToneAudioTrack(frequency=440))
            pc.add_track(video)
            start = loop.time()
            reply = await pc.negotiate(
                lambda jsep: echo.configure(audio=True, video=True, jsep=jsep)
            )
            assert isinstance(reply, echotest.Result)
            assert reply.result == "ok"
            assert pc.remote_description is not None
            assert_loopback_only(pc)  # before any connectivity check can matter

            await pc.wait_webrtcup(timeout=10)
            up = loop.time() - start
            await pc.wait_connected(timeout=10)
            remote_video = await pc.wait_track("video", timeout=5)
            remote_audio = await pc.wait_track("audio", timeout=5)
            assert remote_video.mid is not None

            got = await read_stamped(remote_video, 60, sent=video.sent, timeout=15)
            assert_in_order(got.stamps)
            assert got.stamps[-1] - got.stamps[0] < 120, "echoed frames fell far behind"
            level = await audio_level(remote_audio, 50)
            assert level > 0.05, f"the echoed tone is silent (RMS {level:.3f})"

            # The events the media layer saw are still there for the user, in order.
            webrtcup = await pc.expect(jp.WebRTCUp, timeout=1)
            assert webrtcup.handle_id == echo.id
            await pc.expect(_receiving("audio"), timeout=5)
            await pc.expect(_receiving("video"), timeout=5)
            assert pc.webrtc_up
            assert any(pc.media_receiving.values())
            measured.time("echotest offer->webrtcup", up)
            measured.time("echotest offer->first echoed frame", got.first_at - start)
            measured.time("echotest frame echo latency p50", got.latency_p50)
        # close() hung up; the event stream goes on through the closed PeerConnection.
        done = await pc.expect(echotest.Done, timeout=5)
        assert done.result == "done"
        await pc.expect(jp.HungUp, timeout=5)


async def test_echotest_data_channel(janus_media: JanusServer, measured: Measured) -> None:
    loop = asyncio.get_running_loop()
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        echo = await EchoTestHandle.attach(session)
        async with PeerConnection(echo) as pc:
            channel = pc.create_data_channel("echo")
            await pc.negotiate(lambda jsep: echo.configure(jsep=jsep))
            assert_loopback_only(pc)
            await channel.wait_open(timeout=10)
            start = loop.time()
            await channel.send("hello janus")
            text = await channel.receive(timeout=5)
            measured.time("echotest data channel echo", loop.time() - start)
            assert isinstance(text, str)
            assert text.endswith("hello janus")
            await channel.send(b"\x00\x01binary\xff")
            data = await channel.receive(timeout=5)
            assert isinstance(data, bytes)
            assert data.endswith(b"\x00\x01binary\xff")
            for i in range(20):
                await channel.send(f"msg {i}")
            echoed = [await channel.receive(timeout=5) for _ in range(20)]
            assert [str(m).rsplit(" ", 1)[-1] for m in echoed] == [str(i) for i in range(20)]
        assert channel.closed
        with pytest.raises(DataChannelClosed):
            await channel.send("late")


async def test_echotest_full_trickle(janus_trickle: JanusServer) -> None:
    """Janus trickles its candidates (full_trickle) and we trickle ours: both applied."""
    async with ja.connect(janus_trickle.ws_url) as client, client.session() as session:
        echo = await EchoTestHandle.attach(session)
        async with PeerConnection(echo, trickle=True) as pc:
            video = StampedVideoTrack()
            pc.add_track(video)
            reply = await pc.negotiate(lambda jsep: echo.configure(video=True, jsep=jsep))
            await pc.wait_webrtcup(timeout=10)
            assert reply.jsep is not None
            in_sdp = sdp_candidates(reply.jsep["sdp"])
            assert len(pc.remote_candidates) > len(in_sdp), "Janus trickled nothing"
            assert_loopback_only(pc)
            got = await read_stamped(await pc.wait_track("video", timeout=5), 10, timeout=10)
            assert_in_order(got.stamps)
            # No trickle event reached the user's stream: the media layer applied them.
            with anyio.move_on_after(0.2):
                while True:
                    event = await pc.next_event()
                    assert not isinstance(event, jp.TrickleReceived)
