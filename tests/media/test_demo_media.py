"""The demo (``python -m janus_media._demo``) end to end, inside the namespace: its summary,
its exit status, and its clean-up (Janus stopped, its folder removed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from janus_media import _demo as demo

from .conftest import Measured, require_media


@pytest.mark.media
def test_demo_end_to_end(tmp_path: Path, measured: Measured) -> None:
    require_media()
    start = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "janus_media._demo",
            "--duration",
            "2",
            "--room-duration",
            "1.5",
            "--json",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    took = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ok"] is True
    echo = doc["echotest"]
    assert echo["ok"] is True
    assert echo["frames_sent"] >= 40
    assert echo["frames_echoed"] >= echo["frames_sent"] // 2
    assert echo["audio_frames_echoed"] >= 40
    assert 0 < echo["latency_median"] < 1.0
    room = doc["videoroom"]
    assert room["ok"] is True
    assert room["frames_received"] >= 20  # ~45 published in 1.5 s
    assert room["frames_received"] <= room["frames_sent"]
    assert room["stamped_in_order"] is True
    assert room["audio_frames_received"] > 20
    assert 0 < room["publish_to_first_frame"] < 5
    # Live progress went to stderr (--json keeps stdout for the document).
    for text in ("EchoTest:", "webrtcup", "echoed", "round trip", "VideoRoom:", "received"):
        assert text in done.stderr
    # Cleaned up: Janus is gone, its temporary folder removed.
    with pytest.raises(ProcessLookupError):
        os.kill(doc["janus_pid"], 0)
    assert list(tmp_path.iterdir()) == []
    assert took < 30
    measured.time("demo (2 s echo, 1.5 s room) wall time", took)


def test_demo_refuses_to_run_outside_the_namespace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if jv0 were missing (it is, outside scripts/netns.sh): nothing is started.
    monkeypatch.setattr("socket.if_nameindex", lambda: [(1, "lo"), (2, "eth0")])
    started: list[object] = []
    monkeypatch.setattr(
        "janus_anyio.testing.JanusServer.start", lambda self, **kw: started.append(self)
    )
    assert demo.main(["--duration", "1"]) == demo.EXIT_CANNOT_RUN
    assert "not inside the network namespace" in capsys.readouterr().err
    assert started == []


def test_demo_rejects_bad_durations(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        demo.main(["--duration", "0"])
    assert exc.value.code == 2
    assert "--duration must be in (0, 600]" in capsys.readouterr().err
