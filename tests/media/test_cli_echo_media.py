"""``janus-client echo`` against a private Janus, inside the namespace (real media)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from janus_anyio.cli import EXIT_CONNECTION, EXIT_OK, EXIT_USAGE, main
from janus_anyio.testing import JanusServer
from janus_media import write_stamped_clip

from .conftest import Measured


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv), environ={})
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.media
def test_echo_json(
    janus_media: JanusServer, capsys: pytest.CaptureFixture[str], measured: Measured
) -> None:
    start = time.monotonic()
    status, out, err = _run(capsys, "echo", janus_media.ws_url, "--duration", "2", "--json")
    took = time.monotonic() - start
    assert status == EXIT_OK, err
    doc = json.loads(out)
    assert doc["ok"] is True
    assert doc["url"] == janus_media.ws_url
    assert doc["frames_sent"] >= 40
    assert doc["frames_echoed"] >= doc["frames_sent"] // 2
    assert doc["audio_frames_echoed"] >= 40
    assert 0 < doc["latency_median"] < 1.0
    assert 0 < doc["offer_to_webrtcup"] < doc["offer_to_first_echo"]
    assert "webrtcup" in {e["name"] for e in doc["events"]}
    # Progress went to stderr (not a terminal here: a line a second, and the events).
    assert "webrtcup" in err
    assert "video" in err
    assert "echoed" in err
    assert took < 10
    measured.time("cli echo --duration 2 wall time", took)


@pytest.mark.media
def test_echo_table_with_url_option_and_file(
    janus_media: JanusServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clip = tmp_path / "clip.webm"
    write_stamped_clip(clip, seconds=2.0)
    status, out, err = _run(
        capsys, "--url", janus_media.ws_url, "echo", "--duration", "1", "--file", str(clip), "-q"
    )
    assert status == EXIT_OK, err
    assert err == ""  # --quiet
    assert "media came back" in out
    assert f"source               {clip}" in out
    assert "round trip" in out
    median = next(line for line in out.splitlines() if line.startswith("round trip"))
    assert "median -" not in median  # the clip's stamps gave a latency


# These two need no media (nothing connects): they run in the ordinary test session.


def test_echo_unreachable_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    status, _out, err = _run(capsys, "echo", f"ws://127.0.0.1:{port}", "--timeout", "2")
    assert status == EXIT_CONNECTION
    assert "cannot connect" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--file", "/nonexistent.webm"], "no such file"),
        (["--no-audio", "--no-video"], "nothing to send"),
        (["--ice-server", "http://example.invalid"], "not a stun: or turn: URL"),
        (["--ice-server", "turn:127.0.0.1:3478"], "needs --ice-username"),
        (["--duration", "0"], "must be positive"),
    ],
)
def test_echo_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    # Checked before connecting: nothing listens on port 1.
    status, _out, err = _run(capsys, "echo", "ws://127.0.0.1:1", *argv)
    assert status == EXIT_USAGE
    assert message in err
