"""The seed README's "Simple Connect And Disconnect", run as a script."""

from __future__ import annotations

import asyncio
import os
import sys

from janus_client import JanusEchoTestPlugin, JanusSession, JanusVideoRoomPlugin  # noqa: F401

# Protocol will be derived from base_url
base_url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", "ws://127.0.0.1:8188")


async def main() -> None:
    session = JanusSession(base_url=base_url)

    plugin_handle = JanusEchoTestPlugin()

    # Attach to Janus session
    await plugin_handle.attach(session=session)

    # Destroy plugin handle
    await plugin_handle.destroy()


if __name__ == "__main__":
    asyncio.run(main())
