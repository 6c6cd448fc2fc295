"""The benchmark suite keeps working: ``benchmarks/run.py --smoke`` against a real Janus.

Nothing here is about speed: only that the run succeeds and writes the JSON lines the
results are read from (every workload, for each client, with its fields).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import require_janus

pytestmark = pytest.mark.janus

ROOT = Path(__file__).resolve().parent.parent.parent

SUMMARY_FIELDS = {
    "run",
    "mode",
    "time",
    "workload",
    "case",
    "client",
    "n",
    "reps",
    "unit",
    "rate",
    "ratio",
    "cpu_us_per_op",
    "cpu_ratio",
    "server_cpu_us_per_op",
    "peak_rss_kb",
    "checks",
}
SAMPLE_FIELDS = {"workload", "case", "client", "rep", "ops", "seconds", "cpu", "peak_rss_kb"}


@pytest.mark.timeout(180)
def test_smoke_run_writes_every_workload(tmp_path: Path) -> None:
    require_janus()
    out = tmp_path / "results.jsonl"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "W1 ws seq" in proc.stdout  # the table was printed

    records: list[dict[str, Any]] = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["record"] for r in records} == {"run", "c1", "sample", "summary", "end"}
    assert len({r["run"] for r in records}) == 1
    assert all(r["mode"] == "smoke" for r in records)
    assert records[0]["record"] == "run"
    assert records[0]["load_before"]
    assert records[-1]["record"] == "end"
    assert records[-1]["load_after"]

    c1 = {r["metric"] for r in records if r["record"] == "c1"}
    assert c1 == {"c1_mix_msgs_per_s", "c1_send_req_per_s", "c1_bytes_per_session"}

    summaries = [r for r in records if r["record"] == "summary"]
    assert {s["workload"] for s in summaries} == {"W1", "W2", "W3", "W4", "W5", "W6"}
    by_case: dict[str, set[str]] = {}
    for s in summaries:
        assert set(s) >= SUMMARY_FIELDS, SUMMARY_FIELDS - set(s)
        assert s["rate"] > 0
        assert s["peak_rss_kb"] > 0
        by_case.setdefault(s["case"], set()).add(s["client"])
        if s["client"] == "floor":
            assert s["ratio"] == pytest.approx(1.0)
        else:
            assert s["checks"]
            assert isinstance(s["met"], bool)
    assert set(by_case) == {
        "W1 ws seq",
        "W2 ws x64",
        "W3 http seq",
        "W3 http x64",
        "W4 S=20",
        "W5 P=8",
        "W6 admin http",
        "W6 admin ws",
    }
    assert all({"floor", "asyncio"} <= clients for clients in by_case.values())

    for s in summaries:
        if s["workload"] == "W4":
            # Every session was created on the server, held past its timeout, destroyed.
            assert s["created_server"] == s["n"] == 20
            assert s["held_seconds"] > 0
            assert s["survivors_client"] == s["survivors_server"] == 20
            assert s["leftovers"] == 0
            assert "rss_per_session" in s
        if s["workload"] == "W5":
            assert s["expected"] == s["delivered_min"] == 8 * 7 // 2
            assert s["surplus_max"] == 0

    samples = [r for r in records if r["record"] == "sample"]
    assert samples
    for r in samples:
        assert set(r) >= SAMPLE_FIELDS, SAMPLE_FIELDS - set(r)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_hops_decomposition_runs(backend: str) -> None:
    require_janus()
    command = ["benchmarks/hops.py", "--backend", backend, "--requests", "30", "--reps", "2"]
    proc = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = {line.split()[0] for line in proc.stdout.splitlines()[2:]}
    assert proc.stdout.startswith(f"W1 decomposition on {backend}")
    assert rows == {"one", "tasks", "ours"}, proc.stdout
