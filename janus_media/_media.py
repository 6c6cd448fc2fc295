"""Media helpers: reading frames, recording tracks, and synthetic sources whose video
frames carry their own index (to check what came back, and measure how long it took)."""

from __future__ import annotations

import asyncio
import fractions
import math
import os
import struct
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from typing import Any

import av
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError
from av.audio.frame import AudioFrame
from av.frame import Frame
from av.packet import Packet
from av.video.frame import VideoFrame

from ._peer import RemoteTrack

__all__ = [
    "frames",
    "Recording",
    "video_first",
    "StampedVideoTrack",
    "ToneAudioTrack",
    "read_stamp",
    "stamp_frame",
    "write_stamped_clip",
    "STAMP_BITS",
]

#: How many bits of the frame index a stamp carries (it wraps around after that).
STAMP_BITS = 20
_BLACK, _WHITE, _GRAY = 16, 235, 128
_VIDEO_CLOCK = 90_000


async def frames(track: MediaStreamTrack | RemoteTrack) -> AsyncIterator[Frame | Packet[Any]]:
    """Every frame of ``track`` until it ends (aiortc's ``recv()`` in a loop)."""
    source = track.track if isinstance(track, RemoteTrack) else track
    while True:
        try:
            frame = await source.recv()
        except MediaStreamError:
            return
        yield frame


#: How long :func:`video_first` holds audio back, once it flows, for video's first frame.
VIDEO_FIRST_WAIT = 5.0


class _FirstVideoFrames:
    """Opens when every video track of a recorder gave its first frame, or when audio
    waited ``wait`` seconds for that."""

    def __init__(self, videos: int, wait: float) -> None:
        self._missing = videos
        self._wait = wait
        self._open = asyncio.Event()
        if videos == 0:
            self._open.set()

    def video_started(self) -> None:
        self._missing -= 1
        if self._missing <= 0:
            self._open.set()

    async def wait_open(self) -> None:
        if self._open.is_set():
            return
        try:
            await asyncio.wait_for(self._open.wait(), self._wait)
        except asyncio.TimeoutError:
            self._open.set()  # a video track sends nothing: record the rest without it


class _VideoFirstTrack(MediaStreamTrack):
    """``source`` as a recorder should read it (see :func:`video_first`)."""

    def __init__(self, source: MediaStreamTrack, gate: _FirstVideoFrames) -> None:
        super().__init__()
        self.kind = source.kind
        self.source = source
        self._gate = gate
        self._first = True

    async def recv(self) -> Frame | Packet[Any]:
        if self._first:
            self._first = False
            if self.kind == "video":
                try:
                    return await self.source.recv()
                finally:  # (the recorder sizes its stream before it next yields)
                    self._gate.video_started()
            frame = await self.source.recv()  # the wait starts once audio flows
            await self._gate.wait_open()
            return frame
        await self._gate.wait_open()
        return await self.source.recv()


def video_first(
    tracks: Iterable[MediaStreamTrack], *, wait: float = VIDEO_FIRST_WAIT
) -> list[MediaStreamTrack]:
    """``tracks`` wrapped for an aiortc ``MediaRecorder``: nothing but each video track's
    first frame is read until every video track gave one (or audio waited ``wait``
    seconds for it, measured from its own first frame).

    Why: aiortc's ``MediaRecorder`` (1.16) writes the file header, opening every stream's
    encoder, at its first packet; a video stream whose first frame comes later was opened
    at PyAV's default 640x480, and the recorder's task for it dies on that first frame
    (``RuntimeError: Cannot change width after codec is open.``, never reported): the
    file gets no video. Audio usually wins that race on a busy machine (video waits for a
    keyframe). Held frames stay queued in their tracks, so nothing is lost unless the
    recording stops meanwhile. A single track, or tracks of one kind, come back as they
    are.

    Raises:
        ValueError: ``wait`` is negative.
    """
    if wait < 0:
        raise ValueError(f"wait must be >= 0 seconds, got {wait!r}")
    given = list(tracks)
    videos = sum(track.kind == "video" for track in given)
    if len(given) < 2 or videos == 0:
        return given
    gate = _FirstVideoFrames(videos, wait)
    return [_VideoFirstTrack(track, gate) for track in given]


class Recording:
    """Record tracks to a file with aiortc's ``MediaRecorder`` (the container follows the
    file name: ``.webm`` is VP8 and Opus, ``.mp4`` H.264 and AAC, ``.wav`` audio only).

    Use ``async with Recording(path, [audio, video]):`` or :meth:`start` / :meth:`stop`.
    A recorder reads its tracks itself: to read a track too, give one of the two readers
    ``aiortc.contrib.media.MediaRelay().subscribe(track)``. The tracks go through
    :func:`video_first` (an aiortc race would otherwise lose the video).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        tracks: Iterable[MediaStreamTrack | RemoteTrack],
        *,
        format: str | None = None,
        options: dict[str, str] | None = None,
    ) -> None:
        self.path = os.fspath(path)
        self._tracks = [t.track if isinstance(t, RemoteTrack) else t for t in tracks]
        if not self._tracks:
            raise ValueError("nothing to record: no track given")
        self._recorder = MediaRecorder(self.path, format=format, options=options)
        for track in video_first(self._tracks):
            self._recorder.addTrack(track)
        self._state = "new"

    def __repr__(self) -> str:
        return f"<Recording {self.path!r} {self._state}>"

    async def start(self) -> None:
        """Start writing."""
        if self._state != "new":
            raise RuntimeError(f"{self!r} cannot start again")
        self._state = "recording"
        await self._recorder.start()

    async def stop(self) -> None:
        """Stop and close the file (idempotent)."""
        if self._state == "recording":
            self._state = "stopped"
            await self._recorder.stop()

    async def __aenter__(self) -> Recording:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


# -- stamped video -----------------------------------------------------------------------


def _layout(width: int, height: int) -> tuple[int, int]:
    """Block width and height of the stamp: two rows of :data:`STAMP_BITS` blocks."""
    block = width // STAMP_BITS
    if block < 8 or height < 2 * block:
        raise ValueError(f"{width}x{height} is too small for a stamp (min {STAMP_BITS * 8}x16)")
    return block, block


def _stamp_rows(index: int) -> tuple[list[int], list[int]]:
    value = index % (1 << STAMP_BITS)
    bits = [(value >> (STAMP_BITS - 1 - i)) & 1 for i in range(STAMP_BITS)]
    return bits, [1 - b for b in bits]


def stamp_frame(index: int, width: int = 320, height: int = 240) -> VideoFrame:
    """A gray ``yuv420p`` frame whose top two rows of blocks spell ``index`` (and its
    complement, as a check); :func:`read_stamp` reads it back, also after lossy coding."""
    block, rows = _layout(width, height)
    frame = VideoFrame(width=width, height=height, format="yuv420p")
    luma = frame.planes[0]
    stride = luma.line_size
    data = bytearray([_GRAY]) * (stride * height)
    for row, bits in enumerate(_stamp_rows(index)):
        line = bytearray([_GRAY]) * stride
        for i, bit in enumerate(bits):
            line[i * block : (i + 1) * block] = bytes([_WHITE if bit else _BLACK]) * block
        for y in range(row * rows, (row + 1) * rows):
            data[y * stride : (y + 1) * stride] = line
    luma.update(bytes(data))
    for chroma in frame.planes[1:]:
        chroma.update(bytes([128]) * chroma.buffer_size)
    return frame


def read_stamp(frame: VideoFrame) -> int | None:
    """The index :func:`stamp_frame` (or :class:`StampedVideoTrack`) put in ``frame``, or
    None when the frame carries no readable stamp (not stamped, too damaged, too small)."""
    if frame.format.name not in ("yuv420p", "yuvj420p"):
        frame = frame.reformat(format="yuv420p")
    try:
        block, rows = _layout(frame.width, frame.height)
    except ValueError:
        return None
    luma = frame.planes[0]
    stride = luma.line_size
    view = memoryview(luma).cast("B")
    read: list[list[int]] = []
    for row in range(2):
        cy = row * rows + rows // 2
        bits = []
        for i in range(STAMP_BITS):
            cx = i * block + block // 2
            total = sum(view[y * stride + x] for y in (cy - 2, cy + 1) for x in (cx - 2, cx + 1))
            bits.append(1 if total > 4 * _GRAY else 0)
        read.append(bits)
    if any(a == b for a, b in zip(read[0], read[1], strict=True)):
        return None
    value = 0
    for bit in read[0]:
        value = (value << 1) | bit
    return value


class StampedVideoTrack(MediaStreamTrack):
    """Synthetic video: ``fps`` gray frames a second, each stamped with its index (plus
    ``start``: give two sources distinct ranges to tell them apart when they are received).

    Attributes:
        sent: when each recent stamp was handed to the encoder (the loop's clock,
            seconds), to measure latency when a stamp comes back; the last 4096 are kept.
        count: frames made so far.
    """

    kind = "video"

    def __init__(
        self, *, width: int = 320, height: int = 240, fps: float = 30.0, start: int = 0
    ) -> None:
        super().__init__()
        _layout(width, height)
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        valid = isinstance(start, int) and not isinstance(start, bool)
        if not valid or not 0 <= start < 1 << STAMP_BITS:
            raise ValueError(f"start must be an int in [0, {1 << STAMP_BITS}), got {start!r}")
        self.width, self.height, self.fps = width, height, fps
        self.start = start
        self.sent: OrderedDict[int, float] = OrderedDict()
        self.count = 0
        self._start: float | None = None

    async def recv(self) -> VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        loop = asyncio.get_running_loop()
        index = self.count
        if self._start is None:
            self._start = loop.time()
        else:
            await asyncio.sleep(max(0.0, self._start + index / self.fps - loop.time()))
        stamp = (self.start + index) % (1 << STAMP_BITS)
        frame = stamp_frame(stamp, self.width, self.height)
        frame.pts = round(index * _VIDEO_CLOCK / self.fps)
        frame.time_base = fractions.Fraction(1, _VIDEO_CLOCK)
        self.count += 1
        self.sent[stamp] = loop.time()
        while len(self.sent) > 4096:
            self.sent.popitem(last=False)
        return frame


# -- a tone ------------------------------------------------------------------------------


def _tone_table(frequency: int, sample_rate: int, amplitude: float) -> bytes:
    """One second of a sine (a whole number of periods, so it loops seamlessly), s16le."""
    peak = int(32767 * amplitude)
    samples = (
        int(peak * math.sin(2 * math.pi * frequency * n / sample_rate)) for n in range(sample_rate)
    )
    return struct.pack(f"<{sample_rate}h", *samples)


class ToneAudioTrack(MediaStreamTrack):
    """Synthetic audio: a sine of ``frequency`` Hz, mono, in 20 ms frames."""

    kind = "audio"

    def __init__(
        self, *, frequency: int = 440, sample_rate: int = 48_000, amplitude: float = 0.3
    ) -> None:
        super().__init__()
        if not (0 < frequency < sample_rate // 2):
            raise ValueError(f"frequency must be in (0, {sample_rate // 2}), got {frequency}")
        if not (0.0 <= amplitude <= 1.0):
            raise ValueError(f"amplitude must be in [0, 1], got {amplitude}")
        self.sample_rate = sample_rate
        self._samples = sample_rate // 50
        self._table = _tone_table(int(frequency), sample_rate, amplitude)
        self._table2 = self._table * 2  # a slice never wraps
        self.count = 0
        self._start: float | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        loop = asyncio.get_running_loop()
        pts = self.count * self._samples
        if self._start is None:
            self._start = loop.time()
        else:
            await asyncio.sleep(max(0.0, self._start + pts / self.sample_rate - loop.time()))
        offset = 2 * (pts % self.sample_rate)
        frame = AudioFrame(format="s16", layout="mono", samples=self._samples)
        frame.planes[0].update(self._table2[offset : offset + 2 * self._samples])
        frame.pts = pts
        frame.sample_rate = self.sample_rate
        frame.time_base = fractions.Fraction(1, self.sample_rate)
        self.count += 1
        return frame


def write_stamped_clip(
    path: str | os.PathLike[str],
    *,
    seconds: float = 5.0,
    width: int = 320,
    height: int = 240,
    fps: int = 30,
    frequency: int | None = 440,
) -> None:
    """Write a clip of stamped frames (and a tone, unless ``frequency`` is None) for
    ``aiortc.contrib.media.MediaPlayer``; the container follows the name (``.webm``: VP8
    and Opus; ``.mkv`` too). Synchronous (CPU-bound: a few hundred ms for 5 s)."""
    with av.open(os.fspath(path), mode="w") as container:
        video = container.add_stream("libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 1_000_000
        audio = None
        if frequency is not None:
            audio = container.add_stream("libopus", rate=48_000)
            audio.layout = "mono"
        # Frames go in by time, video and audio interleaved: MediaPlayer reads a file in
        # order at real-time pace, so a file with all its video first plays no audio
        # until the video is over.
        frames = round(seconds * fps)
        chunks = round(seconds * 50) if audio is not None else 0  # 20 ms of audio each
        table = _tone_table(frequency, 48_000, 0.3) * 2 if frequency is not None else b""
        index = chunk = 0
        while index < frames or chunk < chunks:
            if chunk >= chunks or (index < frames and index * 50 <= chunk * fps):
                frame = stamp_frame(index, width, height)
                frame.pts = index
                frame.time_base = fractions.Fraction(1, fps)
                container.mux(video.encode(frame))
                index += 1
            else:
                assert audio is not None
                container.mux(audio.encode(_tone_chunk(table, chunk)))
                chunk += 1
        container.mux(video.encode(None))
        if audio is not None:
            container.mux(audio.encode(None))


def _tone_chunk(table: bytes, n: int, samples: int = 960) -> AudioFrame:
    """The ``n``-th 20 ms frame of a 48 kHz mono tone read from ``table`` (two seconds'
    worth of s16 samples, so a chunk never runs past its end)."""
    frame = AudioFrame(format="s16", layout="mono", samples=samples)
    offset = 2 * ((n * samples) % 48_000)
    frame.planes[0].update(table[offset : offset + 2 * samples])
    frame.pts = n * samples
    frame.sample_rate = 48_000
    frame.time_base = fractions.Fraction(1, 48_000)
    return frame
