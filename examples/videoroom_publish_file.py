"""Publish a media file into a VideoRoom (janus_media + aiortc's MediaPlayer).

Usage::

    python examples/videoroom_publish_file.py FILE [--url ws://127.0.0.1:8188]
        [--room 1234] [--display NAME] [--seconds 30]

The URL also comes from ``JANUS_URL``. The file is anything FFmpeg reads (``.webm``,
``.mp4``, ``.mkv``...); its audio and video tracks are published until ``--seconds`` pass
or the file ends. No ICE servers are used (none unless you configure some), so Janus must
be reachable directly. Exits 0 on success, 1 on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamTrack

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomPublisher
from janus_media import PeerConnection
from janus_proto.plugins import videoroom as vr

DEFAULT_URL = "ws://127.0.0.1:8188"


async def publish_file(url: str, room: int, path: Path, *, display: str, seconds: float) -> None:
    """Publish ``path`` in ``room`` for ``seconds`` (less if the file ends first)."""
    player = MediaPlayer(str(path))  # decodes the file in a thread, paced in real time
    if player.audio is None and player.video is None:
        raise ValueError(f"{path} has no audio or video track")
    async with ja.connect(url, request_timeout=10) as janus, janus.session() as session:
        publisher = await VideoRoomPublisher.attach(session)
        async with PeerConnection(publisher) as pc:  # reads the handle's events from now on
            pc.add_player(player)  # the PeerConnection owns the player: closing stops it
            joined = await pc.negotiate(
                lambda jsep: publisher.join_and_configure(room, jsep, display=display)
            )
            assert isinstance(joined, vr.Joined)
            await pc.wait_webrtcup(timeout=10)  # now the others can subscribe
            print(f"publishing {path.name} in room {room} as {joined.id}", flush=True)
            ended = [t for t in (player.audio, player.video) if t is not None]
            waits = [asyncio.ensure_future(_ended(t)) for t in ended]
            done, pending = await asyncio.wait(waits, timeout=seconds)
            for task in pending:
                task.cancel()
            print("file ended" if done else f"{seconds:g} s published", flush=True)
            await publisher.leave()


async def _ended(track: MediaStreamTrack) -> None:
    """Until aiortc's player track has ended (its ``readyState``)."""
    while track.readyState != "ended":
        await asyncio.sleep(0.2)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the media file to publish")
    parser.add_argument("--url", default=os.environ.get("JANUS_URL", DEFAULT_URL))
    parser.add_argument("--room", type=int, default=1234, help="the room (default 1234)")
    parser.add_argument("--display", default="file publisher")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    if args.seconds <= 0:
        parser.error("--seconds must be positive")
    return args


if __name__ == "__main__":
    options = parse_args(sys.argv[1:])
    try:
        asyncio.run(
            publish_file(
                options.url,
                options.room,
                options.file,
                display=options.display,
                seconds=options.seconds,
            )
        )
    except Exception as exc:
        print(f"videoroom_publish_file: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
