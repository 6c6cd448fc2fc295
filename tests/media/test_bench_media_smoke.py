"""The M1 media benchmark keeps working: ``benchmarks/media.py --smoke`` in the namespace.

Nothing here is about speed: only that both clients (ours and bare aiortc) make their
EchoTest call through the session's Janus, get echoed frames back, and that the run writes
the JSON lines the results are read from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from janus_anyio.testing import JanusServer

pytestmark = pytest.mark.media

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.timeout(150)
def test_media_benchmark_smoke(janus_media: JanusServer, tmp_path: Path) -> None:
    out = tmp_path / "m1.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "benchmarks/media.py",
            "--smoke",
            "--url",
            janus_media.ws_url,
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=140,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "M1 echotest x1" in proc.stdout  # the table was printed

    records: list[dict[str, Any]] = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0]["record"] == "run"
    assert records[-1]["record"] == "end"
    assert len({r["run"] for r in records}) == 1
    samples = [r for r in records if r["record"] == "sample"]
    assert {s["client"] for s in samples} == {"ours", "bare"}
    for sample in samples:
        assert sample["calls"] == 1
        [latency] = sample["latencies"]
        assert 0 < latency < 30  # a first echoed frame came back (within the worker's 30 s)
        assert sample["steady_cpu"] > 0
        assert sum(sample["video_frames"]) > 0, "no echoed video in the steady window"
        assert sum(sample["audio_frames"]) > 0, "no echoed audio in the steady window"
    summaries = {s["client"]: s for s in records if s["record"] == "summary"}
    assert set(summaries) == {"ours", "bare"}
    ours = summaries["ours"]
    assert ours["cpu_ratio"] > 0
    assert {c["name"] for c in ours["checks"]} == {
        "first frame <= 100 ms (median)",
        "steady CPU <= 1.10x bare",
    }
    assert isinstance(ours["met"], bool)
