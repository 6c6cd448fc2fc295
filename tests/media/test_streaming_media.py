"""Streaming with real media: two RTP mountpoints made in the test, each fed by a VideoRoom
``rtp_forward`` of a publisher sending stamped video; ``watch`` one, ``pause`` and
``start``, then ``switch`` to the other on the same PeerConnection."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins import StreamingHandle, VideoRoomPublisher
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, RemoteTrack, StampedVideoTrack
from janus_proto.plugins import streaming
from janus_proto.plugins import videoroom as vr

from .conftest import Measured
from .flows import publishing, settled_run, stamps_where
from .helpers import assert_in_order, assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]

A_START, B_START = 0, 500_000
RTP_HOST = "127.0.0.1"  # plain RTP between two parts of the same Janus: no ICE involved
VP8_PT = 100


async def rtp_mountpoint(admin: StreamingHandle, name: str) -> tuple[int, int]:
    """A ``rtp`` mountpoint with one VP8 stream on a port Janus picks: (id, port)."""
    created = await admin.create(
        "rtp",
        name=name,
        media=[
            streaming.RtpMedia(
                type="video", mid="v", port=0, pt=VP8_PT, codec="vp8", iface=RTP_HOST
            )
        ],
    )
    assert created.stream is not None
    ports = [p.port for p in created.stream.ports if p.port]
    assert len(ports) == 1, created.stream
    return int(created.stream.id), ports[0]


async def forward(
    publisher: VideoRoomPublisher, pc: PeerConnection, room: int, feed: int | str, port: int
) -> None:
    mid = next(t.mid for t in pc.transceivers if t.kind == "video" and t.mid is not None)
    forwarded = await publisher.rtp_forward(
        room, feed, RTP_HOST, [vr.ForwardStream(mid=mid, port=port, pt=VP8_PT)]
    )
    assert [f.port for f in forwarded.forwarders] == [port]


async def test_watch_pause_start_switch(janus_media: JanusServer, measured: Measured) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        vroom = await VideoRoomPublisher.attach(session)
        # fir_freq: Janus asks publishers for a keyframe every second, so a viewer (which
        # cannot ask an RTP source for one) decodes within a second.
        room = (await vroom.create(publishers=2, fir_freq=1)).room
        assert isinstance(room, int)
        admin = await StreamingHandle.attach(session)
        mounts: list[int] = []
        try:
            first, first_port = await rtp_mountpoint(admin, "stamps-a")
            mounts.append(first)
            second, second_port = await rtp_mountpoint(admin, "stamps-b")
            mounts.append(second)
            async with (
                publishing(session, room, StampedVideoTrack(start=A_START)) as (pa, pca, ja_),
                publishing(session, room, StampedVideoTrack(start=B_START)) as (pb, pcb, jb),
            ):
                await forward(pa, pca, room, ja_.id, first_port)
                await forward(pb, pcb, room, jb.id, second_port)

                viewer = await StreamingHandle.attach(session)
                async with PeerConnection(viewer) as pc:
                    t0 = anyio.current_time()
                    preparing = await viewer.watch(first)
                    assert isinstance(preparing, streaming.Preparing)
                    assert preparing.jsep is not None
                    assert preparing.jsep["type"] == "offer"
                    starting = await pc.accept(preparing.jsep, viewer.start)
                    assert isinstance(starting, streaming.Starting)
                    await pc.wait_webrtcup(timeout=10)
                    measured.time("streaming watch -> webrtcup", anyio.current_time() - t0)
                    await pa.configure(keyframe=True)  # (else the next one of fir_freq)
                    assert_loopback_only(pc)
                    video = await pc.wait_track("video", mid="v", timeout=5)
                    got = await stamps_where(video, lambda s: s < B_START, 10, timeout=10)
                    measured.time("streaming watch -> first frame", anyio.current_time() - t0)
                    assert_in_order(got)
                    started = await pc.expect(streaming.Started, timeout=5)
                    assert started.status == "started"

                    # pause: no frame comes; start: the stream goes on, later
                    assert isinstance(await viewer.pause(), streaming.Pausing)
                    await drain(video, quiet=0.5, timeout=5)
                    with pytest.raises(TimeoutError):
                        with anyio.fail_after(0.5):
                            await video.track.recv()
                    resumed = await viewer.start()
                    await pa.configure(keyframe=True)
                    assert isinstance(resumed, streaming.Starting | streaming.Started)
                    # (stamps made a second after the pause: the stream went on, later)
                    await settled_run(video, lambda s: got[-1] + 15 < s < B_START, 5)

                    # switch to the other mountpoint: same PC, feed B's stamps
                    t0 = anyio.current_time()
                    sdp = pc.remote_description
                    switched = await viewer.switch(second)
                    await pb.configure(keyframe=True)
                    assert isinstance(switched, streaming.Switched)
                    assert switched.id == second
                    assert_in_order(await settled_run(video, lambda s: s >= B_START, 10))
                    measured.time("streaming switch -> new frames", anyio.current_time() - t0)
                    assert pc.remote_description == sdp  # no renegotiation
                    await pc.close()
        finally:
            for mount in mounts:
                await admin.destroy(mount)
            await vroom.destroy(room)


async def drain(remote: RemoteTrack, *, quiet: float, timeout: float) -> int:
    """Read frames until none came for ``quiet`` seconds; how many were read."""
    read = 0
    with anyio.fail_after(timeout):
        while True:
            with anyio.move_on_after(quiet) as scope:
                await remote.track.recv()
                read += 1
            if scope.cancelled_caught:
                return read
