"""An EchoTest probe: send media to Janus's EchoTest, read it back, measure the round trip.

:class:`EchoProbe` attaches ``janus.plugin.echotest`` in a session (or connects to a URL
itself), sends synthetic video stamped with each frame's index and a tone (or a media file),
reads the echoed frames back and reports live :class:`ProbeProgress` snapshots, then a
:class:`ProbeSummary`::

    async with EchoProbe(session, duration=5) as probe:
        async for progress in probe.progress():
            print(progress.frames_sent, progress.frames_echoed, progress.latency)
    summary = await probe.result()
    print(summary.ok, summary.latency_median)

Round-trip latency is measured from the stamps: the time a frame index was handed to the
encoder to the time the same index came back decoded. Frames of a media file carry stamps
only when the file was made by :func:`janus_media.write_stamped_clip`; other files give
frame counts but no latency.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import attrs
from aiortc import MediaStreamTrack, RTCConfiguration
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet
from av.video.frame import VideoFrame

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import EchoTestHandle

from ._channel import Changed, within
from ._errors import MediaError
from ._media import STAMP_BITS, StampedVideoTrack, ToneAudioTrack, read_stamp
from ._peer import PeerConnection, RemoteTrack

__all__ = ["EchoProbe", "ProbeEvent", "ProbeProgress", "ProbeSummary", "MediaStats", "percentile"]

#: Round-trip samples kept for the summary (the most recent ones).
_MAX_SAMPLES = 100_000
_CLOCK_RATES = {"audio": 48_000, "video": 90_000}


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile of ``values`` (``fraction`` in [0, 1]); None if empty."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1], got {fraction}")
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@attrs.frozen(kw_only=True)
class ProbeEvent:
    """Something that happened during a probe.

    Attributes:
        at: seconds since the offer was sent.
        name: ``webrtcup``, ``media``, ``slowlink``, ``hangup`` (Janus's events),
            ``connected`` or ``connection-failed`` (aiortc's side), ``first-echo`` (the
            first echoed frame of a kind decoded: ``detail`` is ``audio`` or ``video``).
        detail: e.g. ``video receiving`` for ``media``, the reason of a ``hangup``.
    """

    at: float
    name: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.name} ({self.detail})" if self.detail else self.name
        return f"{self.at * 1000:.0f} ms {text}"


@attrs.frozen(kw_only=True)
class MediaStats:
    """What aiortc's statistics say about the echoed streams (inbound: Janus to us).

    Attributes:
        packets_received: RTP packets received, audio and video.
        packets_lost: RTP packets lost on the way back, audio and video.
        jitter: interarrival jitter of the echoed video (else audio), seconds.
        round_trip_time: RTT from Janus's RTCP receiver reports on our streams, seconds.
    """

    packets_received: int | None = None
    packets_lost: int | None = None
    jitter: float | None = None
    round_trip_time: float | None = None

    @classmethod
    def from_report(cls, report: Mapping[str, Any]) -> MediaStats:
        """Summarize an aiortc ``getStats()`` report (its values are dataclasses)."""
        received = lost = 0
        inbound = False
        jitter: dict[str, float] = {}
        rtts: list[float] = []
        for stats in report.values():
            kind = getattr(stats, "kind", None)
            if getattr(stats, "type", None) == "inbound-rtp":
                inbound = True
                received += int(stats.packetsReceived)
                lost += int(stats.packetsLost)
                if kind in _CLOCK_RATES:
                    jitter[kind] = int(stats.jitter) / _CLOCK_RATES[kind]
            elif getattr(stats, "type", None) == "remote-inbound-rtp":
                rtt = getattr(stats, "roundTripTime", None)
                if isinstance(rtt, (int, float)) and rtt >= 0:
                    rtts.append(float(rtt))
        return cls(
            packets_received=received if inbound else None,
            packets_lost=lost if inbound else None,
            jitter=jitter.get("video", jitter.get("audio")),
            round_trip_time=max(rtts) if rtts else None,
        )


@attrs.frozen(kw_only=True)
class ProbeProgress:
    """A snapshot of a running probe (counts are totals so far).

    Attributes:
        stage: ``connecting``, ``negotiating``, ``waiting`` (for media), ``echoing`` or
            ``done``.
        elapsed: seconds since the offer was sent (0 before).
        frames_sent: video frames handed to the encoder.
        frames_echoed: echoed video frames decoded.
        audio_frames_sent: audio frames handed to the encoder (20 ms each for the tone).
        audio_frames_echoed: echoed audio frames decoded.
        latency: median round trip of the frames echoed since the previous snapshot,
            seconds (None: no stamped frame came back meanwhile).
        webrtc_up: whether Janus reported ``webrtcup``.
        stats: aiortc's figures (packet loss, jitter, RTT), updated every snapshot.
        events: every event so far; ``new_events`` are those this reader had not seen.
    """

    stage: str
    elapsed: float = 0.0
    frames_sent: int = 0
    frames_echoed: int = 0
    audio_frames_sent: int = 0
    audio_frames_echoed: int = 0
    latency: float | None = None
    webrtc_up: bool = False
    stats: MediaStats = MediaStats()
    events: tuple[ProbeEvent, ...] = ()
    new_events: tuple[ProbeEvent, ...] = ()


@attrs.frozen(kw_only=True)
class ProbeSummary:
    """What a probe measured. Times are seconds (None: it did not happen).

    Attributes:
        ok: media came back (video frames when video was sent, else audio frames).
        failure: why not, when not ``ok``.
        source: ``synthetic`` or the media file's path.
        duration: seconds from the offer to the end.
        frames_unreadable: echoed video frames whose stamp could not be read.
        latency_min, latency_median, latency_p95: round trip of stamped frames.
        offer_to_webrtcup: from sending the offer to Janus's ``webrtcup``.
        offer_to_first_echo: from sending the offer to the first echoed video frame
            decoded (audio frame, when no video was sent).
    """

    ok: bool
    failure: str | None = None
    source: str = "synthetic"
    duration: float = 0.0
    frames_sent: int = 0
    frames_echoed: int = 0
    frames_unreadable: int = 0
    audio_frames_sent: int = 0
    audio_frames_echoed: int = 0
    latency_min: float | None = None
    latency_median: float | None = None
    latency_p95: float | None = None
    offer_to_webrtcup: float | None = None
    offer_to_first_echo: float | None = None
    stats: MediaStats = MediaStats()
    events: tuple[ProbeEvent, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (times in seconds; events as ``{"at", "name", "detail"}``)."""
        return attrs.asdict(self, recurse=True)


class _Counted(MediaStreamTrack):
    """A track passed through: counts frames and notes when each stamp left."""

    def __init__(self, inner: MediaStreamTrack, stamped: bool) -> None:
        super().__init__()
        self.kind = inner.kind
        self._inner = inner
        self._stamped = stamped and inner.kind == "video"
        self.count = 0
        self.sent: OrderedDict[int, float] = OrderedDict()

    async def recv(self) -> Frame | Packet[Any]:
        frame = await self._inner.recv()
        self.count += 1
        if self._stamped and isinstance(frame, VideoFrame):
            stamp = read_stamp(frame)
            if stamp is not None:
                self.sent[stamp] = asyncio.get_running_loop().time()
                while len(self.sent) > 4096:
                    self.sent.popitem(last=False)
        return frame

    def stop(self) -> None:
        super().stop()
        self._inner.stop()


class EchoProbe:
    """Send media to Janus's EchoTest and measure what comes back (asyncio only).

    Use ``async with EchoProbe(...) as probe`` (the probe runs in a task from then on),
    read :meth:`progress`, then ``await`` :meth:`result`; or just ``await probe.run()``.

    Args:
        target: a janus_anyio ``Session`` (EchoTest is attached in it and detached at the
            end), or a Janus API URL to connect to (``ws://``, ``http://``...).
        duration: seconds of media after the offer. If nothing came back by then, the
            probe waits up to ``setup_timeout`` for the first echoed frame.
        file: a media file to send (aiortc's ``MediaPlayer``: its audio and video)
            instead of the synthetic video and tone.
        audio, video: what to send (the synthetic tone, the stamped video; for a file,
            which of its tracks).
        setup_timeout: seconds allowed for the offer and answer (else ``TimeoutError``),
            for ``webrtcup`` and for the first echoed frame (else a failed summary).
        interval: seconds between progress snapshots (and statistics reads).
        configuration: aiortc's ``RTCConfiguration``; default none of STUN or TURN.
        connect_options: keyword arguments of :func:`janus_anyio.connect` (URL only).

    Raises:
        ValueError, TypeError: a bad argument (named in the message).
    """

    def __init__(
        self,
        target: ja.Session | str,
        *,
        duration: float = 5.0,
        file: str | os.PathLike[str] | None = None,
        audio: bool = True,
        video: bool = True,
        setup_timeout: float = 10.0,
        interval: float = 0.5,
        configuration: RTCConfiguration | None = None,
        connect_options: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(target, (ja.Session, str)):
            raise TypeError(
                f"target must be a janus_anyio Session or a URL, got {type(target).__name__}"
            )
        if connect_options and not isinstance(target, str):
            raise ValueError("connect_options apply only when target is a URL")
        for name, value in (
            ("duration", duration),
            ("setup_timeout", setup_timeout),
            ("interval", interval),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number of seconds, got {value!r}")
            if not 0 < value < math.inf:
                raise ValueError(f"{name} must be positive and finite, got {value!r}")
        if not (audio or video):
            raise ValueError("nothing to send: audio and video are both off")
        if file is not None and not os.path.isfile(file):
            raise ValueError(f"no such media file: {os.fspath(file)!r}")
        self.target = target
        self.duration = float(duration)
        self.file = None if file is None else os.fspath(file)
        self.audio = audio
        self.video = video
        self.setup_timeout = float(setup_timeout)
        self.interval = float(interval)
        self.configuration = configuration
        self.connect_options = dict(connect_options or {})
        self._task: asyncio.Task[ProbeSummary] | None = None
        self._changed = Changed()
        self._version = 0
        self._snapshot = ProbeProgress(stage="connecting")
        self._events: list[ProbeEvent] = []
        self._start: float | None = None  # the loop's clock when the offer was made

    def __repr__(self) -> str:
        return f"<EchoProbe {self._snapshot.stage} source={self.file or 'synthetic'}>"

    # -- public side -------------------------------------------------------------------

    async def __aenter__(self) -> EchoProbe:
        if self._task is not None:
            raise RuntimeError(f"{self!r} was started already")
        self._task = asyncio.get_running_loop().create_task(self._run(), name="EchoProbe")
        self._task.add_done_callback(lambda _task: self._changed.notify())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        task = self._task
        if task is not None and not task.done():
            if exc_info[0] is None:
                await asyncio.wait([task])  # the probe is bounded by its own deadlines
            else:
                task.cancel()
                await asyncio.wait([task])
        if task is not None and task.done() and not task.cancelled():
            task.exception()  # retrieved: result() raises it; no "never retrieved" warning

    async def progress(self) -> AsyncIterator[ProbeProgress]:
        """Snapshots until the probe ends (the last one has stage ``done``).

        A slow reader skips intermediate snapshots but never events: each snapshot it
        gets lists in ``new_events`` every event it had not seen. Several readers are fine.
        """
        if self._task is None:
            raise RuntimeError("start the probe first: async with EchoProbe(...) as probe")
        seen_version = -1
        seen_events = 0
        while True:
            if self._version != seen_version:
                seen_version = self._version
                snapshot = self._snapshot
                new = snapshot.events[seen_events:]
                seen_events = len(snapshot.events)
                yield attrs.evolve(snapshot, new_events=new)
                continue
            if self._task.done():
                return
            await self._changed.wait()

    async def result(self, *, timeout: float | None = None) -> ProbeSummary:
        """The summary, once the probe is over.

        Raises:
            janus_proto.JanusError, janus_proto.PluginError: Janus refused a request.
            janus_anyio.TransportError: the connection failed.
            janus_media.NegotiationFailed: the answer was refused.
            TimeoutError: no answer within ``setup_timeout``, or not over within
                ``timeout`` seconds.
        """
        if self._task is None:
            raise RuntimeError("start the probe first: async with EchoProbe(...) as probe")
        return await within(timeout, asyncio.shield(self._task))

    async def run(self) -> ProbeSummary:
        """Run the whole probe and return its summary (no progress)."""
        async with self:
            return await self.result()

    # -- the run -----------------------------------------------------------------------

    def _now(self) -> float:
        if self._start is None:
            return 0.0
        return asyncio.get_running_loop().time() - self._start

    def _publish(self, **changes: Any) -> None:
        self._snapshot = attrs.evolve(
            self._snapshot, elapsed=self._now(), events=tuple(self._events), **changes
        )
        self._version += 1
        self._changed.notify()

    def _note(self, name: str, detail: str = "") -> None:
        self._events.append(ProbeEvent(at=self._now(), name=name, detail=detail))
        self._publish()

    async def _run(self) -> ProbeSummary:
        try:
            if isinstance(self.target, str):
                async with ja.connect(self.target, **self.connect_options) as client:
                    async with client.session() as session:
                        return await self._in_session(session)
            return await self._in_session(self.target)
        finally:
            if self._snapshot.stage != "done":  # (failed: the last snapshot says so)
                self._publish(stage="done")

    async def _in_session(self, session: ja.Session) -> ProbeSummary:
        echo = await EchoTestHandle.attach(session)
        try:
            async with PeerConnection(echo, configuration=self.configuration) as pc:
                return await self._call(echo, pc)
        finally:
            if not echo.closed:
                try:
                    await echo.detach(timeout=5)
                except (
                    jp.JanusError,
                    ja.TransportError,
                    ja.HandleClosed,
                    ja.SessionClosed,
                    ja.RequestTimeout,
                ):
                    pass  # the session's end cleans up too

    def _tracks(self) -> tuple[_Counted | None, _Counted | None]:
        """(audio, video) to send, counted."""
        if self.file is None:
            audio = _Counted(ToneAudioTrack(), False) if self.audio else None
            video = _Counted(StampedVideoTrack(), True) if self.video else None
            return audio, video
        player = MediaPlayer(self.file)
        audio = _Counted(player.audio, False) if self.audio and player.audio else None
        video = _Counted(player.video, True) if self.video and player.video else None
        if audio is None and video is None:
            for track in (player.audio, player.video):
                if track is not None:
                    track.stop()
            raise ValueError(f"{self.file!r} has no {'/'.join(self._wanted())} track to send")
        return audio, video

    def _wanted(self) -> list[str]:
        return [k for k, on in (("audio", self.audio), ("video", self.video)) if on]

    async def _call(self, echo: EchoTestHandle, pc: PeerConnection) -> ProbeSummary:
        loop = asyncio.get_running_loop()
        audio, video = self._tracks()
        for track in (audio, video):
            if track is not None:
                pc.add_track(track)
        counters = _Echoed()
        self._publish(stage="negotiating")
        self._start = loop.time()
        await within(  # (the request has the client's deadline too)
            self.setup_timeout,
            pc.negotiate(
                lambda jsep: echo.configure(
                    audio=audio is not None, video=video is not None, jsep=jsep
                )
            ),
        )
        self._publish(stage="waiting")
        readers = [
            loop.create_task(self._watch_events(pc)),
            loop.create_task(self._watch_connection(pc)),
        ]
        for kind, sent in (("audio", audio), ("video", video)):
            if sent is not None:
                readers.append(loop.create_task(self._read(pc, kind, sent, counters)))
        failure: str | None = None
        try:
            failure = await self._measure(pc, audio, video, counters)
        finally:
            for task in readers:
                task.cancel()
            await asyncio.wait(readers)
        stats = await self._stats(pc)
        duration = self._now()
        ok = failure is None
        if (video is not None and counters.video == 0) or (video is None and counters.audio == 0):
            ok = False
            failure = failure or "nothing came back"
        latencies = list(counters.latencies)
        up = next((e.at for e in self._events if e.name == "webrtcup"), None)
        first_kind = "audio" if video is None else "video"
        first = next(
            (e.at for e in self._events if e.name == "first-echo" and e.detail == first_kind),
            None,
        )
        self._publish(stage="done", stats=stats)
        return ProbeSummary(
            ok=ok,
            failure=None if ok else failure,
            source=self.file or "synthetic",
            duration=duration,
            frames_sent=0 if video is None else video.count,
            frames_echoed=counters.video,
            frames_unreadable=counters.unreadable,
            audio_frames_sent=0 if audio is None else audio.count,
            audio_frames_echoed=counters.audio,
            latency_min=min(latencies) if latencies else None,
            latency_median=percentile(latencies, 0.5),
            latency_p95=percentile(latencies, 0.95),
            offer_to_webrtcup=up,
            offer_to_first_echo=first,
            stats=stats,
            events=tuple(self._events),
        )

    async def _measure(
        self,
        pc: PeerConnection,
        audio: _Counted | None,
        video: _Counted | None,
        counters: _Echoed,
    ) -> str | None:
        """Publish snapshots until the end; return why media failed, if it did."""
        end = self.duration
        setup_end = max(self.duration, self.setup_timeout)
        while True:
            await asyncio.sleep(min(self.interval, max(0.0, end - self._now())))
            if counters.total == 0:
                end = setup_end
            if pc.hung_up is not None:
                return f"Janus hung up ({pc.hung_up.reason})"
            if pc.connection_state in ("failed", "closed"):
                return f"the peer connection {pc.connection_state}"
            if not pc.webrtc_up and self._now() >= self.setup_timeout:
                return f"no webrtcup within {self.setup_timeout:g} s"
            stats = await self._stats(pc)
            recent, counters.recent = counters.recent, []
            self._publish(
                stage="echoing" if counters.total else "waiting",
                frames_sent=0 if video is None else video.count,
                frames_echoed=counters.video,
                audio_frames_sent=0 if audio is None else audio.count,
                audio_frames_echoed=counters.audio,
                latency=percentile(recent, 0.5),
                webrtc_up=pc.webrtc_up,
                stats=stats,
            )
            if self._now() >= end:
                if counters.total == 0:
                    return f"no echoed frame within {setup_end:g} s"
                return None

    async def _stats(self, pc: PeerConnection) -> MediaStats:
        if pc.closed:
            return self._snapshot.stats
        try:
            return MediaStats.from_report(await within(2.0, pc.get_stats()))
        except (TimeoutError, AttributeError, TypeError, ValueError):
            return self._snapshot.stats

    async def _watch_events(self, pc: PeerConnection) -> None:
        async for event in pc.events():
            match event:
                case jp.WebRTCUp():
                    self._note("webrtcup")
                    self._publish(webrtc_up=True)
                case jp.MediaChanged(type=kind, receiving=receiving):
                    self._note("media", f"{kind} {'receiving' if receiving else 'stopped'}")
                case jp.SlowLink(media=kind, uplink=uplink, lost=lost):
                    way = "from us" if uplink else "to us"
                    self._note("slowlink", f"{kind} {way}, {lost} lost")
                case jp.HungUp(reason=reason):
                    self._note("hangup", reason)

    async def _watch_connection(self, pc: PeerConnection) -> None:
        try:
            await pc.wait_connected()
        except MediaError as exc:
            self._note("connection-failed", str(exc))
        else:
            self._note("connected")

    async def _read(self, pc: PeerConnection, kind: str, sent: _Counted, got: _Echoed) -> None:
        try:
            remote: RemoteTrack = await pc.wait_track(kind)
        except MediaError:
            return
        loop = asyncio.get_running_loop()
        while True:
            try:
                frame = await remote.track.recv()
            except MediaStreamError:
                return
            if (got.audio if kind == "audio" else got.video) == 0:
                self._note("first-echo", kind)
            if kind == "audio":
                got.audio += 1
                continue
            got.video += 1
            if not isinstance(frame, VideoFrame):  # pragma: no cover - aiortc decodes
                continue
            stamp = read_stamp(frame)
            if stamp is None:
                got.unreadable += 1
                continue
            left = sent.sent.get(stamp % (1 << STAMP_BITS))
            if left is not None:
                got.latencies.append(loop.time() - left)
                got.recent.append(loop.time() - left)


class _Echoed:
    """What came back so far."""

    __slots__ = ("audio", "latencies", "recent", "unreadable", "video")

    def __init__(self) -> None:
        self.audio = 0
        self.video = 0
        self.unreadable = 0
        self.latencies: deque[float] = deque(maxlen=_MAX_SAMPLES)
        self.recent: list[float] = []  # since the last snapshot

    @property
    def total(self) -> int:
        return self.audio + self.video
