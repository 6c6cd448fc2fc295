"""The seed README's "Make Video Calls" example, run unchanged but for the URL and a media
file, calls a facade callee registered as ``testusernamein`` through a local Janus; both
recordings are re-opened and hold the other side's stamped frames."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import av
import pytest
from aiortc.contrib.media import MediaPlayer, MediaRecorder
from av.video.frame import VideoFrame

from janus_anyio.testing import JanusServer
from janus_client import JanusSession, JanusVideoCallPlugin
from janus_media import read_stamp, write_stamped_clip

from .helpers import assert_in_order

pytestmark = [pytest.mark.media, pytest.mark.anyio]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seed"
#: The example sleeps a fixed time (its code is the README's): give it room, so that a busy
#: machine (which decodes far fewer than 30 frames/s) still records MIN_FRAMES.
CALL_SECONDS = 6.0
MIN_FRAMES = 36


class Callee(JanusVideoCallPlugin):
    """``testusernamein``: accepts the call, plays a clip, records the caller."""

    def __init__(self, clip: Path, record_to: Path) -> None:
        super().__init__()
        self.clip, self.record_to = clip, record_to
        self.accepted = asyncio.Event()

    async def on_incoming_call(self, jsep: dict[str, Any]) -> None:
        await self.accept(jsep, MediaPlayer(str(self.clip)), MediaRecorder(str(self.record_to)))
        self.accepted.set()


def stamps_in(path: Path) -> list[int]:
    with av.open(str(path)) as container:
        found = []
        for frame in container.decode(video=0):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            if stamp is not None:
                found.append(stamp)
    return found


async def test_make_video_calls_example(janus: JanusServer, tmp_path: Path) -> None:
    clip = tmp_path / "clip.webm"
    write_stamped_clip(clip, seconds=CALL_SECONDS + 8)
    heard = tmp_path / "callee-hears-caller.webm"
    session = JanusSession(base_url=janus.ws_url)
    callee = Callee(clip, heard)
    await callee.attach(session=session)
    await callee.register("testusernamein")
    try:
        env = {
            **os.environ,
            "JANUS_URL": janus.ws_url,
            "JANUS_MEDIA_FILE": str(clip),
            "SEED_CALL_SECONDS": str(CALL_SECONDS),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(EXAMPLES / "videocall.py"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _out, err = await asyncio.wait_for(proc.communicate(), 60)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
            raise
        assert proc.returncode == 0, err.decode()
        assert "Traceback" not in err.decode()
        assert callee.accepted.is_set()
        # The example hung up: the callee saw it and closed its media and recording.
        for _ in range(200):
            if not callee.in_call and callee.peer_connection is None:
                break
            await asyncio.sleep(0.05)
        assert not callee.in_call
    finally:
        await session.destroy()

    caller_recording = tmp_path / "videocall_record_out.mp4"
    for path in (caller_recording, heard):
        stamps = stamps_in(path)
        assert len(stamps) >= MIN_FRAMES, (path.name, len(stamps))
        assert_in_order(stamps)
