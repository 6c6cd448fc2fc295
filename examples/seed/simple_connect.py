"""The seed README's "Simple Connect And Disconnect", run as a script."""

from __future__ import annotations

import asyncio
import os
import sys

from janus_client import JanusEchoTestPlugin, JanusSession, JanusVideoRoomPlugin  # noqa: F401

# ws:// or wss:// picks the WebSocket transport, http:// or https:// the HTTP one
base_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", "ws://127.0.0.1:8188")


async def main() -> None:
    session = JanusSession(base_url=base_url)

    plugin_handle = JanusEchoTestPlugin()

    # Connects, creates the Janus session and attaches the EchoTest handle, all at once
    await plugin_handle.attach(session=session)

    # Detach the handle; like the README, this example leaves the session to expire
    await plugin_handle.destroy()


if __name__ == "__main__":
    asyncio.run(main())
