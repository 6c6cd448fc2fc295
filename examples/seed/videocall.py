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
    # The session: nothing is sent to Janus until first needed
    session = JanusSession(
        base_url=BASE_URL,
    )

    # A VideoCall handle, not attached yet
    plugin_handle = JanusVideoCallPlugin()

    # Opening the connection and the session happens here
    await plugin_handle.attach(session=session)

    # Who answers, who calls, what we send and where their media goes
    username = "testusernamein"
    username_out = "testusernameout"

    player = MediaPlayer(MEDIA_FILE)
    recorder = MediaRecorder("./videocall_record_out.mp4")

    # Take the caller's name on the server
    result = await plugin_handle.register(username=username_out)

    # Ring the callee; returns once Janus forwarded the offer
    result = await plugin_handle.call(username=username, player=player, recorder=recorder)

    # Let the call run, then end it
    await asyncio.sleep(CALL_SECONDS)

    result = await plugin_handle.hangup()

    # Detach the handle
    await plugin_handle.destroy()

    # End the session and close the connection
    await session.destroy()

    return result


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
