"""Recording audio and video into one file: aiortc's MediaRecorder race and
janus_media.video_first, without a network (tracks fed by the test).

aiortc's MediaRecorder opens every stream's encoder at its first packet; when that packet
is audio, the video stream is opened at PyAV's default 640x480 and the recorder's video
task dies on the first (320x240) frame: the file has no video. The media suite saw it on a
busy machine (a recorder that counted one video frame in 90 s while packets flowed).
"""

from __future__ import annotations

import asyncio
import fractions
from pathlib import Path

import av
import pytest
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaRecorder
from av.audio.frame import AudioFrame
from av.frame import Frame
from av.video.frame import VideoFrame

from janus_media import Recording, read_stamp, stamp_frame, video_first

pytestmark = pytest.mark.anyio

VIDEO_FRAMES = 15


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FedTrack(MediaStreamTrack):
    """A track whose frames the test puts in."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.queue: asyncio.Queue[Frame] = asyncio.Queue()

    async def recv(self) -> Frame:
        return await self.queue.get()


def audio_frame(index: int) -> AudioFrame:
    frame = AudioFrame(format="s16", layout="mono", samples=960)
    for plane in frame.planes:
        plane.update(bytes(plane.buffer_size))
    frame.sample_rate = 48_000
    frame.pts = index * 960
    frame.time_base = fractions.Fraction(1, 48_000)
    return frame


def video_frame(index: int) -> VideoFrame:
    frame = stamp_frame(index)  # 320x240
    frame.pts = index * 3000
    frame.time_base = fractions.Fraction(1, 90_000)
    return frame


async def settle(queues: list[asyncio.Queue[Frame]]) -> None:
    """Let the recorder's tasks take what was put in (bounded)."""
    for _ in range(500):
        if all(q.empty() for q in queues):
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # (the last frame taken is encoded and muxed)


async def record_audio_first(path: Path, *, guard: bool, wait: float = 5.0) -> None:
    """Audio flows (and is muxed) before the first video frame comes."""
    audio, video = FedTrack("audio"), FedTrack("video")
    recorder = MediaRecorder(str(path))
    tracks: list[MediaStreamTrack] = [audio, video]
    for track in video_first(tracks, wait=wait) if guard else tracks:
        recorder.addTrack(track)
    await recorder.start()
    for i in range(10):
        audio.queue.put_nowait(audio_frame(i))
    await asyncio.sleep(0.2)  # the audio task runs; without the guard it muxes
    for i in range(VIDEO_FRAMES):
        video.queue.put_nowait(video_frame(i))
        audio.queue.put_nowait(audio_frame(10 + i))
    # (unguarded, the dead video task leaves its frames queued)
    await settle([audio.queue, video.queue] if guard else [audio.queue])
    await recorder.stop()


def recorded(path: Path) -> tuple[list[int], int]:
    """(video stamps, audio frames) in a recording."""
    stamps: list[int] = []
    audio = 0
    with av.open(str(path)) as container:
        for frame in container.decode(*container.streams):
            if isinstance(frame, VideoFrame):
                stamp = read_stamp(frame)
                assert stamp is not None
                stamps.append(stamp)
            elif isinstance(frame, AudioFrame):
                audio += 1
    return stamps, audio


async def test_the_aiortc_race_loses_the_video(tmp_path: Path) -> None:
    """Unguarded, audio first: the file has no video. (If this fails, aiortc fixed its
    MediaRecorder and video_first can go.)"""
    path = tmp_path / "unguarded.webm"
    await record_audio_first(path, guard=False)
    stamps, audio = recorded(path)
    assert stamps == []
    assert audio > 0


async def test_video_first_keeps_the_video_and_the_audio(tmp_path: Path) -> None:
    path = tmp_path / "guarded.webm"
    await record_audio_first(path, guard=True)
    stamps, audio = recorded(path)
    assert stamps == list(range(VIDEO_FRAMES))
    assert audio > 0


async def test_audio_alone_goes_on_after_the_wait(tmp_path: Path) -> None:
    """A video track that sends nothing holds audio back ``wait`` seconds only."""
    audio, video = FedTrack("audio"), FedTrack("video")
    path = tmp_path / "audio-only.webm"
    recorder = MediaRecorder(str(path))
    for track in video_first([audio, video], wait=0.2):
        recorder.addTrack(track)
    await recorder.start()
    for i in range(25):
        audio.queue.put_nowait(audio_frame(i))
    await asyncio.sleep(0.1)
    assert audio.queue.qsize() == 24  # one read, held
    await settle([audio.queue])
    assert audio.queue.empty()
    await recorder.stop()
    stamps, frames = recorded(path)
    assert stamps == []
    assert frames > 0


async def test_recording_goes_through_video_first(tmp_path: Path) -> None:
    audio, video = FedTrack("audio"), FedTrack("video")
    path = tmp_path / "recording.webm"
    async with Recording(path, [audio, video]):
        for i in range(10):
            audio.queue.put_nowait(audio_frame(i))
        await asyncio.sleep(0.2)
        for i in range(VIDEO_FRAMES):
            video.queue.put_nowait(video_frame(i))
        await settle([audio.queue, video.queue])
    stamps, frames = recorded(path)
    assert stamps == list(range(VIDEO_FRAMES))
    assert frames > 0


def test_what_needs_no_guard_is_returned_as_is() -> None:
    audio, other_audio, video = FedTrack("audio"), FedTrack("audio"), FedTrack("video")
    assert video_first([video]) == [video]
    assert video_first([audio, other_audio]) == [audio, other_audio]
    guarded = video_first([audio, video])
    assert [t.kind for t in guarded] == ["audio", "video"]
    assert guarded[0] is not audio
    with pytest.raises(ValueError, match="wait"):
        video_first([audio, video], wait=-1)
