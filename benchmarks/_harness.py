"""What the two benchmark workers share (standard library only).

A worker (``floor.py`` or ``ours.py``) is one subprocess per measurement, so that its CPU
time and peak RSS are its own. The runner passes the workload as one JSON argument; the
worker writes JSON lines to stdout:

- ``{"phase": NAME, ...}`` at a checkpoint where the runner looks at the server (W4); the
  worker then waits for a ``go`` line on stdin;
- ``{"result": {...}}`` once, at the end: ``ops``, ``seconds`` and ``cpu`` (process CPU
  seconds, all threads) of the timed part, ``peak_rss_kb``, and workload extras.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
from typing import Any

__all__ = [
    "Meter",
    "Spec",
    "checkpoint",
    "finish",
    "keepalive_interval",
    "peak_rss_kb",
    "read_spec",
    "rss_bytes",
]

Spec = dict[str, Any]


def read_spec(argv: list[str]) -> Spec:
    """The workload the runner asked for (``argv[1]``, JSON)."""
    if len(argv) != 2:
        raise SystemExit(f"usage: {argv[0]} '<workload spec as JSON>'")
    spec: Spec = json.loads(argv[1])
    return spec


class Meter:
    """Wall-clock and process CPU time of one timed part (and the server's CPU time, when
    given its PID: read from ``/proc``, in clock ticks)."""

    def __init__(self, server_pid: int | None = None) -> None:
        self.server_pid = server_pid
        self.wall = 0.0
        self.cpu = 0.0
        self.server_cpu: float | None = None

    def __enter__(self) -> Meter:
        self._server0 = _proc_cpu(self.server_pid)
        self._wall0 = time.perf_counter()
        self._cpu0 = time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.wall = time.perf_counter() - self._wall0
        self.cpu = time.process_time() - self._cpu0
        server = _proc_cpu(self.server_pid)
        if server is not None and self._server0 is not None:
            self.server_cpu = server - self._server0

    def result(self, ops: int) -> dict[str, Any]:
        """What the runner expects of a timed part of ``ops`` operations."""
        return {"ops": ops, "seconds": self.wall, "cpu": self.cpu, "server_cpu": self.server_cpu}


def _proc_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), or None."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes() -> int:
    """The resident set size now (after a full collection)."""
    gc.collect()
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss_kb() -> int:
    """The process's peak RSS so far, in KiB: ``VmHWM`` of its own memory map (``ru_maxrss``
    would count the runner's RSS too, which the child inherits across fork and exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def keepalive_interval(session_timeout: int) -> float:
    """The interval both clients keep sessions alive with (janus_anyio's ``"auto"``)."""
    return max(0.5, min(25.0, session_timeout * 0.4))


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def checkpoint(name: str, **data: Any) -> None:
    """Tell the runner we reached ``name`` and wait until it has looked at the server."""
    _emit({"phase": name, **data})
    line = sys.stdin.readline()
    if line.strip() != "go":
        raise SystemExit(f"runner went away at checkpoint {name!r}")


def finish(result: dict[str, Any]) -> None:
    """Report the result (with the peak RSS) to the runner."""
    _emit({"result": {**result, "peak_rss_kb": peak_rss_kb()}})
