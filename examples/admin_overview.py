"""What a Janus is doing, through the Admin/Monitor API: settings, sessions, handles.

Usage: ``python examples/admin_overview.py [http://127.0.0.1:7088/admin]`` (or
``JANUS_ADMIN_URL``; ``ws://host:7188`` works too), with the admin secret in
``JANUS_ADMIN_SECRET``. Prints the server's settings, then each session with its handles:
plugin, WebRTC state, ICE state and packets received. Exits 0 on success, 1 on failure
(a wrong secret is ``janus_proto.Unauthorized``, code 403).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

import anyio

import janus_anyio as ja

DEFAULT_URL = "http://127.0.0.1:7088/admin"


def describe_handle(info: Mapping[str, Any]) -> str:
    """One line about a handle, from its ``handle_info``."""
    plugin = info.get("plugin", "?")
    webrtc = info.get("webrtc_status", {})
    pc_state = "up" if webrtc.get("ready") else "not up"
    ice = "-"
    packets = 0
    for stream in info.get("streams", []):
        for component in stream.get("components", []):
            ice = component.get("state", ice)
            packets += sum(
                int(value)
                for key, value in component.get("in_stats", {}).items()
                if key.endswith("_packets")
            )
    return f"{plugin}: PeerConnection {pc_state}, ICE {ice}, {packets} packets in"


async def main(url: str, admin_secret: str | None) -> None:
    """Print the settings, sessions and handles of the Janus whose admin API is at ``url``."""
    async with ja.connect_admin(url, admin_secret=admin_secret, request_timeout=10) as admin:
        info = await admin.info()
        status = await admin.get_status()
        print(f"{info.name} {info.version_string}")
        timeout, level = status.get("session_timeout"), status.get("log_level")
        print(f"session timeout {timeout} s, log level {level}")
        sessions = await admin.list_sessions()
        print(f"{len(sessions)} session(s)")
        for session_id in sessions:
            handles = await admin.list_handles(session_id)
            print(f"  session {session_id}: {len(handles)} handle(s)")
            for handle_id in handles:
                try:
                    details = await admin.handle_info(session_id, handle_id)
                except ja.JanusError as exc:  # the handle went away meanwhile
                    print(f"    handle {handle_id}: gone ({exc})")
                    continue
                print(f"    handle {handle_id}: {describe_handle(details)}")


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_ADMIN_URL", DEFAULT_URL)
    try:
        anyio.run(main, target, os.environ.get("JANUS_ADMIN_SECRET"))
    except Exception as exc:
        print(f"admin_overview: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
