"""The seed README's "Make Video Calls", with a media file instead of a desktop capture."""

from __future__ import annotations

import asyncio
import os
import sys

from aiortc.contrib.media import MediaPlayer, MediaRecorder

from janus_client import JanusSession, JanusVideoCallPlugin

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", "ws://127.0.0.1:8188")
MEDIA_FILE = os.environ.get("JANUS_MEDIA_FILE", "./clip.webm")
CALL_SECONDS = float(os.environ.get("SEED_CALL_SECONDS", "30"))


async def main() -> bool:
    # Create session
    session = JanusSession(
        base_url=BASE_URL,
    )

    # Create plugin
    plugin_handle = JanusVideoCallPlugin()

    # Attach to Janus session
    await plugin_handle.attach(session=session)

    # Prepare username and media stream
    username = "testusernamein"
    username_out = "testusernameout"

    player = MediaPlayer(MEDIA_FILE)
    recorder = MediaRecorder("./videocall_record_out.mp4")

    # Register myself as testusernameout
    result = await plugin_handle.register(username=username_out)

    # Call testusernamein
    result = await plugin_handle.call(username=username, player=player, recorder=recorder)

    # Wait awhile then hangup
    await asyncio.sleep(CALL_SECONDS)

    result = await plugin_handle.hangup()

    # Destroy plugin
    await plugin_handle.destroy()

    # Destroy session
    await session.destroy()

    return result


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
