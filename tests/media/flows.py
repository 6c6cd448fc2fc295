"""What the plugin-flow media tests share: a VideoRoom publisher whose media flows, reading
stamps from one source among several, and hearing one frequency in a mix."""

from __future__ import annotations

import contextlib
import math
import struct
from collections.abc import AsyncIterator, Callable

import anyio
from aiortc import MediaStreamTrack
from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomPublisher
from janus_media import PeerConnection, RemoteTrack, frames, read_stamp
from janus_proto.plugins import videoroom as vr


@contextlib.asynccontextmanager
async def publishing(
    session: ja.Session, room: int, track: MediaStreamTrack
) -> AsyncIterator[tuple[VideoRoomPublisher, PeerConnection, vr.Joined]]:
    """A VideoRoom publisher sending ``track``, once Janus receives its media."""
    handle = await VideoRoomPublisher.attach(session)
    async with PeerConnection(handle) as pc:
        pc.add_track(track)
        joined = await pc.negotiate(lambda jsep: handle.join_and_configure(room, jsep))
        assert isinstance(joined, vr.Joined)
        await pc.wait_webrtcup(timeout=10)
        await pc.wait_media(timeout=10)  # Janus's "media" event: it receives ours
        yield handle, pc, joined
    await handle.detach()


async def stamps_where(
    remote: RemoteTrack, fits: Callable[[int], bool], count: int, *, timeout: float = 10.0
) -> list[int]:
    """Decode frames from ``remote`` until ``count`` stamps satisfy ``fits`` (the stamps
    before the first fitting one are skipped: frames queued before a switch); the fitting
    ones, in order. Fails when a non-fitting stamp follows a fitting one."""
    got: list[int] = []
    with anyio.fail_after(timeout):
        async for frame in frames(remote):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            if stamp is None:
                continue
            if fits(stamp):
                got.append(stamp)
            else:
                assert not got, f"stamp {stamp} after {got[-3:]}: the stream went back"
            if len(got) >= count:
                return got
    raise AssertionError(f"{remote} ended after {got}")


async def settled_run(
    remote: RemoteTrack,
    fits: Callable[[int], bool],
    count: int,
    *,
    max_step: int = 4,
    timeout: float = 10.0,
) -> list[int]:
    """The first ``count`` consecutive stamps that satisfy ``fits`` and each follow the
    previous by 1 to ``max_step``: a stream decoding cleanly again.

    After a gap with no keyframe (a paused or switched RTP stream: the viewer cannot ask
    the source for one), VP8 delta frames decode on a stale reference until the next
    keyframe: such frames carry stale or mixed stamps, which this skips."""
    run: list[int] = []
    seen: list[int | None] = []
    with anyio.fail_after(timeout):
        async for frame in frames(remote):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            seen.append(stamp)
            if stamp is None or not fits(stamp):
                run = []
                continue
            if run and not 1 <= stamp - run[-1] <= max_step:
                run = []
            run.append(stamp)
            if len(run) >= count:
                return run
    raise AssertionError(f"{remote} ended; read {seen[-30:]}")


def tone_power(samples: list[float], sample_rate: int, frequency: float) -> float:
    """The power of ``frequency`` in ``samples`` (Goertzel), normalised by their count."""
    n = len(samples)
    k = round(n * frequency / sample_rate)
    coeff = 2 * math.cos(2 * math.pi * k / n)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n)


async def audio_samples(
    remote: RemoteTrack, seconds: float, *, skip: float = 0.0, timeout: float = 10.0
) -> tuple[list[float], int]:
    """``seconds`` of decoded audio from ``remote`` (after ``skip`` seconds), mono, as
    floats in [-1, 1]; and its sample rate."""
    out: list[float] = []
    rate = 0
    skipped = 0.0
    with anyio.fail_after(timeout):
        async for frame in frames(remote):
            assert isinstance(frame, AudioFrame)
            assert frame.format.name == "s16", frame.format.name  # aiortc's Opus decoder
            rate = frame.sample_rate
            channels = len(frame.layout.channels)
            if skipped < skip:
                skipped += frame.samples / rate
                continue
            data = bytes(frame.planes[0])[: frame.samples * channels * 2]
            values = struct.unpack(f"<{len(data) // 2}h", data)
            out.extend(v / 32768 for v in values[::channels])
            if len(out) >= seconds * rate:
                return out, rate
    raise AssertionError(f"{remote} ended after {len(out)} samples")
