"""The media examples, run as their users would (subprocesses) inside the namespace.

``examples/videoroom_publish_file.py`` publishes a stamped clip made here into room 1234
of a private Janus; ``examples/videoroom_recorder.py`` records the room's feeds meanwhile.
The saved file must decode, with stamped video frames in order and audio.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import av
import pytest
from av.audio.frame import AudioFrame
from av.video.frame import VideoFrame

from janus_anyio.testing import JanusServer
from janus_media import read_stamp, write_stamped_clip

from .conftest import Measured

pytestmark = [pytest.mark.media]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROOM = "1234"  # the stock configuration's demo room


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(EXAMPLES / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str], timeout: float) -> str:
    """Wait for ``proc``; fail with its output unless it exits 0."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"{proc.args!r} still running after {timeout} s\n{out}\n{err}")
    assert proc.returncode == 0, f"{proc.args!r} exited {proc.returncode}\n{out}\n{err}"
    return out


def test_publish_file_and_record_the_room(
    janus_media: JanusServer, tmp_path: Path, measured: Measured
) -> None:
    clip = tmp_path / "clip.webm"
    write_stamped_clip(clip, seconds=15)  # audio and video interleaved in time
    outdir = tmp_path / "recorded"
    url = janus_media.ws_url
    publisher = _start(
        "videoroom_publish_file.py", str(clip), "--url", url, "--room", ROOM, "--seconds", "12"
    )
    try:
        start = time.monotonic()
        recorder = _start(
            "videoroom_recorder.py",
            str(outdir),
            *("--url", url, "--room", ROOM, "--seconds", "3", "--min-feeds", "1", "--wait", "20"),
        )
        recorded = _finish(recorder, timeout=60)
        measured.time("examples: recorder run", time.monotonic() - start)
        assert "1 feed(s) recorded" in recorded
    finally:
        published = _finish(publisher, timeout=60)
    assert "publishing clip.webm in room 1234" in published

    (saved,) = outdir.glob("feed-*.webm")
    stamps: list[int] = []
    audio_frames = 0
    with av.open(str(saved)) as container:
        for frame in container.decode(*container.streams):
            if isinstance(frame, VideoFrame):
                stamp = read_stamp(frame)
                if stamp is not None:
                    stamps.append(stamp)
            elif isinstance(frame, AudioFrame):
                audio_frames += 1
    measured.value("examples: recorded stamped frames", len(stamps))
    measured.value("examples: recorded audio frames", audio_frames)
    assert len(stamps) >= 30, f"only {len(stamps)} stamped frames in 3 s of recording"
    assert stamps == sorted(stamps), "recorded frames out of order"
    assert audio_frames > 0, "the recording has no audio"


@pytest.mark.parametrize(
    "script", ["videoroom_publish_file.py", "videoroom_recorder.py", "media_tour.py"]
)
def test_media_examples_fail_cleanly(script: str, tmp_path: Path) -> None:
    """No Janus at the URL: exit 1 with the reason, no traceback."""
    clip = tmp_path / "clip.webm"
    clip.write_bytes(b"")  # the publisher checks the file exists before connecting
    if script == "media_tour.py":
        args = ["ws://127.0.0.1:9"]
    else:
        first = str(clip) if script == "videoroom_publish_file.py" else str(tmp_path / "out")
        args = [first, "--url", "ws://127.0.0.1:9"]
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(script.removesuffix(".py") + ":")


def test_media_tour(janus_media: JanusServer, measured: Measured) -> None:
    """Every flow of examples/media_tour.py: EchoTest, VideoCall, AudioBridge, TextRoom,
    Record&Play."""
    start = time.monotonic()
    proc = _start("media_tour.py", janus_media.ws_url)
    out = _finish(proc, timeout=120)
    measured.time("examples: media tour", time.monotonic() - start)
    expected = [
        "echotest: echoed frames [",
        "datachannel: Janus EchoTest here! You wrote: hello janus",
        "datachannel: binary echoed: True",
        "videocall: bob sees 5 frames of alice",
        "videocall: alice sees 5 frames of bob",
        "audiobridge: bob found ['alice']",
        "audiobridge: alice told of ['bob']",
        "audiobridge: alice hears the mix at",
        "textroom: bob finds ['alice']",
        "textroom: bob reads alice: hello room",
        "recordplay: recorded",
        "recordplay: played back 10 frames",
    ]
    missing = [line for line in expected if line not in out]
    assert not missing, f"missing {missing} in:\n{out}"
