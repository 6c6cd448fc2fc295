"""The demo: a private Janus, an EchoTest call and a VideoRoom, with real audio and video.

Run it inside the private network namespace of ``scripts/netns.sh`` (``sudo bash
scripts/demo.sh`` does everything: packages, namespace, ``nox -s demo``)::

    bash scripts/netns.sh python -m janus_media._demo [--duration 5] [--json]

It starts Janus (its ICE limited to 127.0.0.2 on jv0), makes an EchoTest call with stamped
video and a tone showing live progress, then publishes the same kind of media in a
VideoRoom and subscribes to it, reading the frames the subscriber receives back from their
stamps; prints a summary, stops Janus and removes its files. Outside the namespace it
refuses to run: Janus and aiortc would offer this machine's real addresses.

Exit status: 0 media flowed both ways, 1 it did not, 2 it cannot run here (not in the
namespace, Janus not installed), 3 Janus failed to start.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

import attrs
from aiortc.mediastreams import MediaStreamError
from av.video.frame import VideoFrame

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import VideoRoomPublisher, VideoRoomSubscriber
from janus_anyio.testing import JanusServer, JanusStartError, janus_available
from janus_proto.plugins import videoroom as vr

from ._errors import MediaError
from ._media import StampedVideoTrack, ToneAudioTrack, read_stamp
from ._peer import PeerConnection, RemoteTrack
from ._probe import EchoProbe, ProbeProgress, ProbeSummary, percentile

__all__ = ["main", "namespace_problem", "RoomSummary"]

#: The namespace's ICE interface and address (scripts/netns.sh).
ICE_INTERFACE = "jv0"
ICE_ADDRESS = "127.0.0.2"

EXIT_OK, EXIT_NO_MEDIA, EXIT_CANNOT_RUN, EXIT_JANUS = 0, 1, 2, 3

Say = Callable[[str], None]


def namespace_problem() -> str | None:
    """Why this process is not in the demo's network namespace (None: it is)."""
    if ICE_INTERFACE not in {name for _index, name in socket.if_nameindex()}:
        return f"no {ICE_INTERFACE} interface: not inside the network namespace of scripts/netns.sh"
    try:
        ipv6 = Path("/proc/sys/net/ipv6/conf/all/disable_ipv6").read_text().strip() != "1"
    except OSError:
        ipv6 = False  # no IPv6 in this kernel
    if ipv6:
        return "IPv6 is on in this namespace (scripts/netns.sh turns it off)"
    routes = Path("/proc/net/route").read_text().splitlines()[1:]
    if any(line.split()[0] not in ("lo", ICE_INTERFACE, "jv1") for line in routes if line):
        return "this namespace has a route to another interface: media could leave the machine"
    return None


@attrs.frozen(kw_only=True)
class RoomSummary:
    """What the VideoRoom subscriber received (times in seconds).

    Attributes:
        frames_sent: video frames the publisher encoded.
        frames_received: video frames the subscriber decoded.
        frames_missed: frames published between the first and the last one received that
            the subscriber did not get (read from the stamps).
        stamped_in_order: whether the stamps read back only went forward.
        subscriber_webrtcup: from the publisher's offer to the subscriber's ``webrtcup``.
        publish_to_first_frame: from the publisher's offer to the subscriber's first frame.
        latency_median, latency_p95: publisher encoder to subscriber decoder, per frame.
    """

    ok: bool
    room: int | str
    frames_sent: int
    frames_received: int
    frames_missed: int
    frames_unreadable: int
    audio_frames_received: int
    stamped_in_order: bool
    subscriber_webrtcup: float | None
    publish_to_first_frame: float | None
    latency_median: float | None
    latency_p95: float | None


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def _echo_line(p: ProbeProgress) -> str:
    line = (
        f"  echo {p.elapsed:4.1f} s  video {p.frames_sent:4d} sent {p.frames_echoed:4d} echoed"
        f"  audio {p.audio_frames_sent:4d} sent {p.audio_frames_echoed:4d} echoed"
    )
    if p.latency is not None:
        line += f"  round trip {_ms(p.latency)}"
    return line


async def _echotest(session: ja.Session, seconds: float, say: Say) -> ProbeSummary:
    say(f"EchoTest: {seconds:g} s of stamped 320x240 video and a 440 Hz tone, echoed back")
    last = -1.0
    async with EchoProbe(session, duration=seconds, interval=0.5) as probe:
        async for progress in probe.progress():
            for event in progress.new_events:
                say(f"  {event}")
            if progress.stage == "echoing" and progress.elapsed - last >= 1.0:
                last = progress.elapsed
                say(_echo_line(progress))
    summary = await probe.result()
    say(_echo_line(attrs.evolve(ProbeProgress(stage="done"), **_final(summary))))
    return summary


def _final(s: ProbeSummary) -> dict[str, Any]:
    return {
        "elapsed": s.duration,
        "frames_sent": s.frames_sent,
        "frames_echoed": s.frames_echoed,
        "audio_frames_sent": s.audio_frames_sent,
        "audio_frames_echoed": s.audio_frames_echoed,
        "latency": s.latency_median,
    }


class _Received:
    def __init__(self) -> None:
        self.frames = 0
        self.unreadable = 0
        self.audio = 0
        self.stamps: list[int] = []
        self.latencies: list[float] = []
        self.first_at: float | None = None


async def _read_video(remote: RemoteTrack, video: StampedVideoTrack, got: _Received) -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            frame = await remote.track.recv()
        except MediaStreamError:
            return
        now = loop.time()
        got.frames += 1
        if got.first_at is None:
            got.first_at = now
        stamp = read_stamp(frame) if isinstance(frame, VideoFrame) else None
        if stamp is None:
            got.unreadable += 1
            continue
        got.stamps.append(stamp)
        sent = video.sent.get(stamp)
        if sent is not None:
            got.latencies.append(now - sent)


async def _read_audio(remote: RemoteTrack, got: _Received) -> None:
    while True:
        try:
            await remote.track.recv()
        except MediaStreamError:
            return
        got.audio += 1


async def _videoroom(session: ja.Session, seconds: float, say: Say) -> RoomSummary:
    loop = asyncio.get_running_loop()
    say(f"VideoRoom: one publisher (stamped video, 600 Hz tone), one subscriber, {seconds:g} s")
    publisher = await VideoRoomPublisher.attach(session)
    room = (await publisher.create(publishers=2, description="janus-client demo")).room
    assert room is not None  # (Janus picks an id when none is given)
    got = _Received()
    sub_up: float | None = None
    try:
        async with PeerConnection(publisher) as pub:
            video = StampedVideoTrack()
            pub.add_track(ToneAudioTrack(frequency=600))
            pub.add_track(video)
            start = loop.time()
            joined = await pub.negotiate(
                lambda jsep: publisher.join_and_configure(room, jsep, display="demo")
            )
            # Subscribing before the publisher's webrtcup can fail with 428 (no such feed).
            await pub.wait_webrtcup(timeout=10)
            say(f"  {_ms(loop.time() - start)} publisher webrtcup (feed {joined.id})")
            subscriber = await VideoRoomSubscriber.attach(session)
            async with PeerConnection(subscriber) as sub:
                attached = await subscriber.join(room, [vr.SubscribeStream(feed=joined.id)])
                if attached.jsep is None:
                    raise MediaError("the VideoRoom subscription came without an offer")
                await sub.accept(attached.jsep, subscriber.start)
                remote_video = await sub.wait_track("video", timeout=10)
                remote_audio = await sub.wait_track("audio", timeout=10)
                readers = [
                    loop.create_task(_read_video(remote_video, video, got)),
                    loop.create_task(_read_audio(remote_audio, got)),
                ]
                try:
                    await sub.wait_webrtcup(timeout=10)
                    sub_up = loop.time() - start
                    say(f"  {_ms(sub_up)} subscriber webrtcup")
                    end = loop.time() + seconds
                    while loop.time() < end:
                        await asyncio.sleep(min(1.0, end - loop.time()))
                        say(
                            f"  room {loop.time() - start:4.1f} s  video {video.count:4d} sent "
                            f"{got.frames:4d} received  audio {got.audio:4d} received"
                            f"  latency {_ms(percentile(got.latencies[-30:], 0.5))}"
                        )
                finally:
                    for task in readers:
                        task.cancel()
                    await asyncio.wait(readers)
                await subscriber.leave()
            await publisher.leave()
            sent = video.count
    finally:
        await publisher.destroy(room)
    in_order = bool(got.stamps) and all(b > a for a, b in itertools.pairwise(got.stamps))
    span = got.stamps[-1] - got.stamps[0] + 1 if got.stamps else 0
    return RoomSummary(
        ok=got.frames > 0 and in_order and got.audio > 0,
        room=room,
        frames_sent=sent,
        frames_received=got.frames,
        frames_missed=max(0, span - len(got.stamps)),
        frames_unreadable=got.unreadable,
        audio_frames_received=got.audio,
        stamped_in_order=in_order,
        subscriber_webrtcup=sub_up,
        publish_to_first_frame=None if got.first_at is None else got.first_at - start,
        latency_median=percentile(got.latencies, 0.5),
        latency_p95=percentile(got.latencies, 0.95),
    )


def _summary_text(echo: ProbeSummary, room: RoomSummary, wall: float) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else f"{part}/0"

    rows = [
        ("EchoTest", "OK" if echo.ok else f"FAILED: {echo.failure}"),
        ("  video frames echoed", share(echo.frames_echoed, echo.frames_sent)),
        ("  audio frames echoed", share(echo.audio_frames_echoed, echo.audio_frames_sent)),
        (
            "  round trip",
            f"min {_ms(echo.latency_min)}, median {_ms(echo.latency_median)}, "
            f"p95 {_ms(echo.latency_p95)}",
        ),
        ("  offer -> webrtcup", _ms(echo.offer_to_webrtcup)),
        ("  offer -> first echo", _ms(echo.offer_to_first_echo)),
        ("  packets lost", "-" if echo.stats.packets_lost is None else echo.stats.packets_lost),
        ("VideoRoom", "OK" if room.ok else "FAILED"),
        (
            "  video frames received",
            f"{room.frames_received} of {room.frames_sent} published"
            f" ({room.frames_missed} missed once flowing)",
        ),
        ("  audio frames received", room.audio_frames_received),
        ("  stamps in order", "yes" if room.stamped_in_order else "no"),
        ("  publish -> subscriber up", _ms(room.subscriber_webrtcup)),
        ("  publish -> first frame", _ms(room.publish_to_first_frame)),
        ("  latency", f"median {_ms(room.latency_median)}, p95 {_ms(room.latency_p95)}"),
        ("wall time", f"{wall:.1f} s"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


async def _run(url: str, args: argparse.Namespace, say: Say) -> tuple[ProbeSummary, RoomSummary]:
    async with ja.connect(url) as client, client.session() as session:
        echo = await _echotest(session, args.duration, say)
        room = await _videoroom(session, args.room_duration, say)
    return echo, room


def _on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: Janus is stopped


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m janus_media._demo",
        description="EchoTest and VideoRoom with real media through a private Janus "
        "(inside the network namespace of scripts/netns.sh).",
    )
    p.add_argument("--duration", type=float, default=5.0, metavar="S", help="EchoTest (5)")
    p.add_argument("--room-duration", type=float, default=4.0, metavar="S", help="VideoRoom (4)")
    p.add_argument("--json", action="store_true", help="the summary as JSON on stdout")
    p.add_argument("--workdir", type=Path, help="where Janus's temporary folder goes")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the exit status."""
    args = _parser().parse_args(argv)
    for name in ("duration", "room_duration"):
        if not 0 < getattr(args, name) <= 600:
            _parser().error(f"--{name.replace('_', '-')} must be in (0, 600] seconds")
    progress: TextIO = sys.stderr if args.json else sys.stdout

    def say(text: str) -> None:
        print(text, file=progress, flush=True)

    problem = namespace_problem()
    if problem is None and not janus_available():
        problem = "Janus is not installed (apt-get install janus)"
    if problem is not None:
        print(f"demo: cannot run: {problem}\n(run: sudo bash scripts/demo.sh)", file=sys.stderr)
        return EXIT_CANNOT_RUN
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    began = time.monotonic()
    server = JanusServer(
        interface=ICE_ADDRESS,
        ice_enforce_list=ICE_INTERFACE,
        plugins=("janus.plugin.echotest", "janus.plugin.videoroom"),
        http=False,
        admin_http=False,
        admin_ws=False,
        workdir=args.workdir,
    )
    try:
        try:
            server.start()
        except JanusStartError as exc:
            print(f"demo: Janus did not start: {exc}", file=sys.stderr)
            return EXIT_JANUS
        pid = server.pid
        say(f"Janus started (pid {pid}), ICE on {ICE_ADDRESS} only, API on {server.ws_url}")
        try:
            echo, room = asyncio.run(_run(server.ws_url, args, say))
        except (MediaError, TimeoutError, ja.TransportError, jp.JanusError, jp.PluginError) as exc:
            print(f"demo: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return EXIT_NO_MEDIA
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    wall = time.monotonic() - began
    ok = echo.ok and room.ok
    if args.json:
        doc = {
            "ok": ok,
            "echotest": echo.to_dict(),
            "videoroom": attrs.asdict(room),
            "wall_time": wall,
            "janus_pid": pid,
        }
        print(json.dumps(doc, indent=2))
    else:
        say("Janus stopped, its files removed.\n")
        print(_summary_text(echo, room, wall))
    return EXIT_OK if ok else EXIT_NO_MEDIA


if __name__ == "__main__":
    sys.exit(main())
