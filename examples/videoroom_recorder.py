"""Record every feed of a VideoRoom to its own file (janus_media.Recording).

Joins the room as a participant that publishes nothing, so Janus tells it about the
publishers present and those that arrive; each one gets a subscriber handle, a
PeerConnection and a recording ``feed-<id>.webm`` (VP8 and Opus, re-encoded by aiortc's
MediaRecorder) in the output folder.

Usage::

    python examples/videoroom_recorder.py OUTDIR [--url ws://127.0.0.1:8188] [--room 1234]
        [--seconds 30] [--min-feeds 0] [--wait 30]

Records for ``--seconds`` once ``--min-feeds`` feeds are being recorded (waiting at most
``--wait`` seconds for them). The URL also comes from ``JANUS_URL``. Exits 0 on success,
1 on failure (e.g. fewer feeds than ``--min-feeds`` in time).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomPublisher, VideoRoomSubscriber
from janus_media import PeerConnection, Recording
from janus_proto.plugins import videoroom as vr

DEFAULT_URL = "ws://127.0.0.1:8188"


class RoomRecorder:
    """Subscribes to each publisher of one room and records it; close with ``stack``."""

    def __init__(self, session: ja.Session, room: int, outdir: Path, stack: AsyncExitStack):
        self.session, self.room, self.outdir, self.stack = session, room, outdir, stack
        self.files: dict[int | str, Path] = {}

    async def record(self, publisher: vr.Publisher) -> None:
        """Subscribe to every stream of ``publisher`` and record them to one file."""
        if publisher.id in self.files or publisher.dummy:
            return
        subscriber = await VideoRoomSubscriber.attach(self.session)
        pc = await self.stack.enter_async_context(PeerConnection(subscriber))
        attached = await subscriber.join(self.room, [vr.SubscribeStream(feed=publisher.id)])
        if attached.jsep is None:
            raise RuntimeError(f"Janus sent no offer for feed {publisher.id}")
        await pc.accept(attached.jsep, subscriber.start)  # answer Janus's offer
        kinds = sorted({s.type for s in attached.streams if s.type in ("audio", "video")})
        tracks = [await pc.wait_track(kind, timeout=10) for kind in kinds]
        path = self.outdir / f"feed-{publisher.id}.webm"
        # Entered after its PeerConnection, so it is stopped (and the file closed) first.
        await self.stack.enter_async_context(Recording(path, tracks))
        self.files[publisher.id] = path
        print(f"recording {publisher.display or publisher.id} ({', '.join(kinds)}) to {path}")


async def record_room(
    url: str, room: int, outdir: Path, *, seconds: float, min_feeds: int, wait: float
) -> dict[int | str, Path]:
    """Record the feeds of ``room``; return the files written, by publisher id."""
    outdir.mkdir(parents=True, exist_ok=True)
    async with ja.connect(url, request_timeout=10) as janus, janus.session() as session:
        watcher = await VideoRoomPublisher.attach(session)
        joined = await watcher.join(room, display="recorder")  # a participant, not publishing
        async with AsyncExitStack() as stack:
            recorder = RoomRecorder(session, room, outdir, stack)
            for publisher in joined.publishers:
                await recorder.record(publisher)

            async def follow_publishers() -> None:
                async for event in watcher.events():
                    if isinstance(event, vr.NewPublishers):
                        for publisher in event.publishers:
                            await recorder.record(publisher)

            follower = asyncio.ensure_future(follow_publishers())
            try:
                loop = asyncio.get_running_loop()
                deadline = loop.time() + wait
                while len(recorder.files) < min_feeds:
                    if loop.time() > deadline or follower.done():
                        raise TimeoutError(
                            f"{len(recorder.files)} of {min_feeds} feeds in {wait} s"
                        )
                    await asyncio.sleep(0.1)
                await asyncio.sleep(seconds)
            finally:
                follower.cancel()
                await asyncio.gather(follower, return_exceptions=True)
        await watcher.leave()
        return recorder.files


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the recordings")
    parser.add_argument("--url", default=os.environ.get("JANUS_URL", DEFAULT_URL))
    parser.add_argument("--room", type=int, default=1234, help="the room (default 1234)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to record")
    parser.add_argument("--min-feeds", type=int, default=0, help="wait for this many feeds")
    parser.add_argument("--wait", type=float, default=30.0, help="at most this long, for them")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.wait <= 0:
        parser.error("--seconds and --wait must be positive")
    if args.min_feeds < 0:
        parser.error("--min-feeds cannot be negative")
    return args


if __name__ == "__main__":
    options = parse_args(sys.argv[1:])
    try:
        files = asyncio.run(
            record_room(
                options.url,
                options.room,
                options.outdir,
                seconds=options.seconds,
                min_feeds=options.min_feeds,
                wait=options.wait,
            )
        )
    except Exception as exc:
        print(f"videoroom_recorder: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"{len(files)} feed(s) recorded")
