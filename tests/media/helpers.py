"""What the media tests share: reading stamped frames back, audio energy, the loopback
guard."""

from __future__ import annotations

import asyncio
import itertools
import math
import statistics
import struct
from collections.abc import Mapping

import anyio
import attrs
from aiortc import MediaStreamTrack
from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

from janus_media import PeerConnection, RemoteTrack, frames, in_network, read_stamp, sdp_candidates

LOOPBACK = "127.0.0.0/8"


@attrs.frozen(kw_only=True)
class Received:
    """Stamped video frames read back from a remote track."""

    stamps: list[int]
    first_at: float  # the loop's clock when the first stamped frame was decoded
    unreadable: int  # decoded frames without a readable stamp
    latencies: list[float]  # seconds from handing a frame to the encoder to decoding it

    @property
    def latency_p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else math.nan


async def read_stamped(
    remote: RemoteTrack | MediaStreamTrack,
    count: int,
    *,
    sent: Mapping[int, float] | None = None,
    timeout: float = 10.0,
) -> Received:
    """Decode ``count`` stamped frames from ``remote`` (within ``timeout`` seconds)."""
    loop = asyncio.get_running_loop()
    stamps: list[int] = []
    latencies: list[float] = []
    unreadable = 0
    first_at = math.nan
    with anyio.fail_after(timeout):
        async for frame in frames(remote):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            if stamp is None:
                unreadable += 1
                continue
            now = loop.time()
            if not stamps:
                first_at = now
            stamps.append(stamp)
            if sent is not None and stamp in sent:
                latencies.append(now - sent[stamp])
            if len(stamps) >= count:
                break
    return Received(stamps=stamps, first_at=first_at, unreadable=unreadable, latencies=latencies)


def assert_in_order(stamps: list[int]) -> None:
    """Stamps only go forward (frames may be skipped, never reordered or repeated)."""
    assert stamps, "no stamped frame"
    assert all(b > a for a, b in itertools.pairwise(stamps)), stamps


async def audio_level(remote: RemoteTrack, count: int, *, timeout: float = 10.0) -> float:
    """The RMS level (0..1) of ``count`` decoded audio frames from ``remote``."""
    total = 0.0
    samples = 0
    read = 0
    with anyio.fail_after(timeout):
        async for frame in frames(remote):
            assert isinstance(frame, AudioFrame)
            assert frame.format.name == "s16", frame.format.name  # aiortc's Opus decoder
            data = bytes(frame.planes[0])
            values = struct.unpack(f"<{len(data) // 2}h", data)
            total += sum(v * v for v in values)
            samples += len(values)
            read += 1
            if read >= count:
                break
    assert samples, "no audio frame"
    return math.sqrt(total / samples) / 32768


def assert_loopback_only(pc: PeerConnection) -> None:
    """Every candidate Janus gave (SDP and trickle) and every one of ours is in 127/8."""
    theirs = pc.remote_candidates
    assert theirs, "Janus gave no candidate at all"
    outside = [c for c in theirs if not in_network(c, LOOPBACK)]
    assert not outside, f"Janus offered addresses outside {LOOPBACK}: {outside}"
    local = pc.local_description
    assert local is not None
    ours = sdp_candidates(local["sdp"])
    assert ours, "aiortc gathered no candidate"
    outside = [c for c in ours if not in_network(c, LOOPBACK)]
    assert not outside, f"aiortc offered addresses outside {LOOPBACK}: {outside}"
