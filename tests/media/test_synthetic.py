"""Stamped frames, the tone and the clip writer (no network; run anywhere)."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import pytest
from aiortc.mediastreams import MediaStreamError
from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

from janus_media import (
    STAMP_BITS,
    StampedVideoTrack,
    ToneAudioTrack,
    read_stamp,
    stamp_frame,
    write_stamped_clip,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("index", [0, 1, 2, 12345, (1 << STAMP_BITS) - 1])
def test_stamp_round_trip(index: int) -> None:
    assert read_stamp(stamp_frame(index)) == index


def test_stamp_wraps_and_survives_other_sizes_and_formats() -> None:
    assert read_stamp(stamp_frame(1 << STAMP_BITS)) == 0
    assert read_stamp(stamp_frame(77, 640, 480)) == 77
    assert read_stamp(stamp_frame(78).reformat(format="rgb24")) == 78


def test_unstamped_or_small_frames_read_as_none() -> None:
    gray = VideoFrame(width=320, height=240, format="yuv420p")
    for plane in gray.planes:
        plane.update(bytes([128]) * plane.buffer_size)
    assert read_stamp(gray) is None
    assert read_stamp(VideoFrame(width=64, height=64, format="yuv420p")) is None
    with pytest.raises(ValueError, match="too small"):
        stamp_frame(1, 100, 100)
    with pytest.raises(ValueError, match="too small"):
        StampedVideoTrack(width=320, height=8)
    with pytest.raises(ValueError, match="fps"):
        StampedVideoTrack(fps=0)


async def test_stamped_track_counts_and_records_send_times() -> None:
    track = StampedVideoTrack(fps=200)
    got = [await track.recv() for _ in range(3)]
    assert [read_stamp(f) for f in got] == [0, 1, 2]
    assert [f.pts for f in got] == [0, 450, 900]
    assert list(track.sent) == [0, 1, 2]
    assert track.count == 3
    track.sent.update(dict.fromkeys(range(10, 5000), 0.0))
    await track.recv()
    assert len(track.sent) == 4096
    track.stop()
    with pytest.raises(MediaStreamError):
        await track.recv()


async def test_tone_track() -> None:
    track = ToneAudioTrack(frequency=400, sample_rate=48_000, amplitude=0.5)
    first = await track.recv()
    second = await track.recv()
    assert isinstance(first, AudioFrame)
    assert (first.samples, first.sample_rate, first.pts, second.pts) == (960, 48_000, 0, 960)
    values = struct.unpack("<960h", bytes(first.planes[0])[: 960 * 2])
    assert max(values) > 0.45 * 32767
    assert min(values) < -0.45 * 32767
    track.stop()
    with pytest.raises(MediaStreamError):
        await track.recv()
    with pytest.raises(ValueError, match="frequency"):
        ToneAudioTrack(frequency=30_000)
    with pytest.raises(ValueError, match="amplitude"):
        ToneAudioTrack(amplitude=2)


def test_clip_decodes_to_its_stamps(tmp_path: Path) -> None:
    path = tmp_path / "clip.webm"
    write_stamped_clip(path, seconds=1.0, fps=10)
    with av.open(str(path)) as container:
        assert sorted(s.type for s in container.streams) == ["audio", "video"]
        stamps = [read_stamp(f) for f in container.decode(video=0)]
    assert stamps == list(range(10))
    silent = tmp_path / "silent.webm"
    write_stamped_clip(silent, seconds=0.5, fps=10, frequency=None)
    with av.open(str(silent)) as container:
        assert [s.type for s in container.streams] == ["video"]


def test_clip_interleaves_audio_and_video_in_time(tmp_path: Path) -> None:
    # MediaPlayer reads in file order at real-time pace: audio must not all come last
    path = tmp_path / "clip.webm"
    write_stamped_clip(path, seconds=2.0, fps=10)
    with av.open(str(path)) as container:
        times = [
            (packet.stream.type, float(packet.pts * packet.time_base))
            for packet in container.demux()
            if packet.pts is not None and packet.time_base is not None
        ]
    kinds = [kind for kind, _ in times]
    assert kinds.count("audio") >= 90
    assert kinds.count("video") == 20
    # by the middle of the file, both kinds have played about half their length
    half = times[: len(times) // 2]
    for kind in ("audio", "video"):
        latest = max(t for k, t in half if k == kind)
        assert 0.6 <= latest <= 1.4, (kind, latest)
