"""janus_anyio on trio: server info, a session, typed plugin requests, a typed error.

The same code runs on asyncio (``anyio.run(main, url)``); only the last lines pick trio
(``pip install janus-client[trio]``).

Usage: ``python examples/trio_client.py [ws://127.0.0.1:8188]`` (or ``JANUS_URL``; an
``http://.../janus`` or ``unix://`` URL works too). Exits 0 on success, 1 on failure.
"""

from __future__ import annotations

import os
import sys

import anyio

import janus_anyio as ja
from janus_anyio.plugins import VideoCallHandle, VideoRoomHandle
from janus_proto.plugins import videocall

DEFAULT_URL = "ws://127.0.0.1:8188"


async def main(url: str) -> None:
    """Talk to the Janus at ``url``: info, a session, VideoCall and VideoRoom requests."""
    async with ja.connect(url, request_timeout=10) as janus:
        info = await janus.info()
        print(f"{info.name} {info.version_string}, plugins: {len(info.plugins)}")
        print(f"round trip: {await janus.ping() * 1000:.1f} ms")

        async with janus.session() as session:  # keepalives run in the background
            alice = await VideoCallHandle.attach(session)
            bob = await VideoCallHandle.attach(session)
            await alice.register("alice")
            try:
                await bob.register("alice")  # taken: the plugin's error, typed
            except videocall.UsernameTaken as exc:
                print(f"as expected: {exc.error_code} {exc.error}")
            print("registered:", await alice.list())

            rooms = await VideoRoomHandle.attach(session)
            room = (await rooms.create(description="trio example", publishers=2)).room
            if room is None:
                raise RuntimeError("Janus created a room but did not say which")
            print(f"created room {room}: exists={await rooms.exists(room)}")
            await rooms.destroy(room)
        # leaving the blocks detached the handles, destroyed the session, closed the socket


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", DEFAULT_URL)
    try:
        anyio.run(main, target, backend="trio")  # trio.run(main, target) is the same
    except Exception as exc:
        print(f"trio_client: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
