"""The EchoTest probe: synthetic media, a media file, a URL; its summary and progress.

The figures asserted are loose (the machine is shared), but each one can only hold if the
media really came back: echoed frames carry the stamps we sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import janus_anyio as ja
from janus_anyio.plugins import EchoTestHandle
from janus_anyio.testing import JanusServer
from janus_media import EchoProbe, MediaStats, ProbeEvent, ProbeSummary, write_stamped_clip
from janus_media._probe import percentile
from janus_proto.plugins import echotest

from .conftest import Measured

pytestmark = pytest.mark.anyio


# -- pure pieces (run anywhere) ----------------------------------------------------------


def test_percentile_nearest_rank() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.95) == 5.0
    assert percentile(values, 1.0) == 5.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError, match="fraction"):
        percentile(values, 1.5)


class _Stat:
    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


def test_media_stats_from_report() -> None:
    report = {
        "a": _Stat(
            type="inbound-rtp", kind="audio", packetsReceived=100, packetsLost=2, jitter=480
        ),
        "v": _Stat(type="inbound-rtp", kind="video", packetsReceived=50, packetsLost=1, jitter=900),
        "r": _Stat(type="remote-inbound-rtp", kind="video", roundTripTime=0.004),
        "o": _Stat(type="outbound-rtp", kind="video", packetsSent=60),
    }
    stats = MediaStats.from_report(report)
    assert stats == MediaStats(
        packets_received=150, packets_lost=3, jitter=0.01, round_trip_time=0.004
    )
    assert MediaStats.from_report({}) == MediaStats()


def test_summary_to_dict_is_json() -> None:
    summary = ProbeSummary(ok=True, frames_sent=3, events=(ProbeEvent(at=0.04, name="webrtcup"),))
    doc = json.loads(json.dumps(summary.to_dict()))
    assert doc["ok"] is True
    assert doc["frames_sent"] == 3
    assert doc["events"] == [{"at": 0.04, "name": "webrtcup", "detail": ""}]
    assert doc["stats"]["packets_lost"] is None
    assert str(summary.events[0]) == "40 ms webrtcup"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"duration": 0}, ValueError, "duration must be positive"),
        ({"duration": float("inf")}, ValueError, "duration"),
        ({"interval": "1"}, TypeError, "interval must be a number"),
        ({"setup_timeout": True}, TypeError, "setup_timeout"),
        ({"audio": False, "video": False}, ValueError, "nothing to send"),
        ({"file": "/nonexistent/clip.webm"}, ValueError, "no such media file"),
    ],
)
def test_bad_arguments_are_named(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        EchoProbe("ws://127.0.0.1:1", **kwargs)  # type: ignore[arg-type]


def test_bad_target_and_connect_options() -> None:
    with pytest.raises(TypeError, match="target must be"):
        EchoProbe(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="connect_options"):
        EchoProbe(object.__new__(ja.Session), connect_options={"token": "x"})


async def test_progress_before_start_is_an_error() -> None:
    probe = EchoProbe("ws://127.0.0.1:1")
    with pytest.raises(RuntimeError, match="start the probe first"):
        async for _ in probe.progress():
            pass
    with pytest.raises(RuntimeError, match="start the probe first"):
        await probe.result()


async def test_unreachable_url_raises_from_result() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    probe = EchoProbe(f"ws://127.0.0.1:{port}", connect_options={"connect_timeout": 2})
    async with probe:
        stages = [p.stage async for p in probe.progress()]
        with pytest.raises(ja.TransportError):
            await probe.result(timeout=5)
    assert stages[-1] == "done"


# -- real media, in the namespace --------------------------------------------------------


@pytest.mark.media
async def test_probe_synthetic(janus_media: JanusServer, measured: Measured) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        async with EchoProbe(session, duration=2.0, interval=0.25) as probe:
            snapshots = [p async for p in probe.progress()]
        summary = await probe.result(timeout=1)
    assert summary.ok, summary.failure
    assert summary.failure is None
    assert summary.source == "synthetic"
    # ~30 fps for 2 s; the shared machine may lose some, but most must come back.
    assert summary.frames_sent >= 40
    assert summary.frames_echoed >= summary.frames_sent // 2
    assert summary.frames_echoed <= summary.frames_sent
    assert summary.audio_frames_echoed >= 40  # 50 a second
    assert summary.latency_min is not None
    assert summary.latency_median is not None
    assert summary.latency_p95 is not None
    assert 0 < summary.latency_min <= summary.latency_median <= summary.latency_p95 < 1.0
    assert summary.offer_to_webrtcup is not None
    assert summary.offer_to_first_echo is not None
    assert 0 < summary.offer_to_webrtcup < summary.offer_to_first_echo < 2.0
    assert summary.stats.packets_received is not None
    assert summary.stats.packets_received > 50
    assert summary.stats.packets_lost is not None
    assert summary.stats.jitter is not None
    assert 1.9 < summary.duration < 4.0
    names = [e.name for e in summary.events]
    assert {"webrtcup", "connected", "first-echo", "media"} <= set(names)
    # Progress: stages in order, totals never go back, every event reported once.
    stages = [s.stage for s in snapshots]
    assert stages[-1] == "done"
    assert "echoing" in stages
    sent = [s.frames_sent for s in snapshots]
    assert sent == sorted(sent)
    assert max(s.frames_echoed for s in snapshots) > 0
    assert any(s.latency is not None for s in snapshots)
    reported = [e for s in snapshots for e in s.new_events]
    assert reported == list(snapshots[-1].events)
    measured.time("probe offer->webrtcup", summary.offer_to_webrtcup)
    measured.time("probe offer->first echoed video frame", summary.offer_to_first_echo)
    measured.time("probe round trip p50", summary.latency_median)
    measured.time("probe round trip p95", summary.latency_p95)


@pytest.mark.media
async def test_probe_file_and_url(janus_media: JanusServer, tmp_path: Path) -> None:
    clip = tmp_path / "clip.webm"
    write_stamped_clip(clip, seconds=3.0)
    summary = await EchoProbe(janus_media.ws_url, duration=1.5, file=clip).run()
    assert summary.ok, summary.failure
    assert summary.source == str(clip)
    assert summary.frames_echoed > 10
    assert summary.audio_frames_echoed > 10
    # The clip's frames are stamped: the latency comes from its stamps.
    assert summary.latency_median is not None
    assert summary.latency_median < 1.0


@pytest.mark.media
async def test_probe_audio_only(janus_media: JanusServer) -> None:
    summary = await EchoProbe(janus_media.ws_url, duration=1.0, video=False).run()
    assert summary.ok, summary.failure
    assert summary.frames_sent == summary.frames_echoed == 0
    assert summary.audio_frames_echoed > 10
    assert summary.latency_median is None  # no stamps in a tone
    assert summary.offer_to_first_echo is not None


@pytest.mark.media
async def test_probe_file_without_the_wanted_track(
    janus_media: JanusServer, tmp_path: Path
) -> None:
    clip = tmp_path / "video-only.webm"
    write_stamped_clip(clip, seconds=1.0, frequency=None)
    with pytest.raises(ValueError, match="has no audio track"):
        await EchoProbe(janus_media.ws_url, duration=1.0, file=clip, video=False).run()


def _echo_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make EchoTest drop what we send (configure audio and video off): ICE and DTLS come
    up, nothing comes back."""
    real = EchoTestHandle.configure

    async def configure(self: EchoTestHandle, **fields: Any) -> echotest.Result:
        fields.update(audio=False, video=False)
        return await real(self, **fields)

    monkeypatch.setattr(EchoTestHandle, "configure", configure)


@pytest.mark.media
async def test_probe_reports_when_nothing_comes_back(
    janus_media: JanusServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _echo_nothing(monkeypatch)
    summary = await EchoProbe(janus_media.ws_url, duration=0.5, setup_timeout=1.5).run()
    assert not summary.ok
    assert summary.failure == "no echoed frame within 1.5 s"
    assert summary.frames_sent > 20  # we did send, for the whole setup timeout
    assert summary.frames_echoed == summary.audio_frames_echoed == 0
    assert summary.offer_to_webrtcup is not None  # the connection itself was fine
    assert summary.offer_to_first_echo is None
    assert 1.5 <= summary.duration < 3.0


@pytest.mark.media
def test_cli_echo_exits_4_when_nothing_comes_back(
    janus_media: JanusServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from janus_anyio.cli import main
    from janus_media._cli import EXIT_NO_MEDIA

    _echo_nothing(monkeypatch)
    argv = ["echo", janus_media.ws_url, "--duration", "0.5", "--setup-timeout", "1.5", "--json"]
    status = main(argv, environ={})
    captured = capsys.readouterr()
    assert status == EXIT_NO_MEDIA == 4
    doc = json.loads(captured.out)
    assert doc["ok"] is False
    assert doc["failure"] == "no echoed frame within 1.5 s"
