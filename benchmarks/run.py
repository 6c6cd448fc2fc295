"""Benchmarks of janus-client against the floor, on private Janus 1.1.2 instances (issue 6).

Run: ``python benchmarks/run.py`` (or ``nox -s bench``); ``--smoke`` for tiny sizes (CI,
well under a minute), ``--full`` for the issue's W4 sizes (S = 1000 and 10000 held 70 s
with the session timeout at 60 s; about 8 minutes). Prints a table and appends JSON lines
to ``--out`` (default ``benchmarks/results.jsonl``).

Each workload gets a fresh Janus on free loopback ports. Each measurement is one
subprocess, so CPU time and peak RSS are the client's own: ``floor.py`` (the standard-
library floor), ``ceiling.py`` (the anyio ceiling: the floor's client on anyio streams, on
asyncio and trio, for W1-W3, W5 and W6; ``--no-ceiling`` skips it) and ``ours.py``
(janus_anyio on asyncio; on trio too for W1 and W2), alternating (the order reverses every
repetition). Figures are medians over the repetitions; a ratio is a client's rate / the
floor's within the same repetition, then the median. For ours, the table's two ``xceil``
columns (JSON ``ceiling_ratio``, ``cpu_ceiling_ratio``) give its rate and its CPU per
operation relative to the ceiling on the same backend, the same way: the ceiling's ratio is
what the event loop leaves, ``xceil`` what our client takes of it.
C1 (the sans-IO core alone) is ``core.py``, run as it is. M1 (media) is ``media.py``: it
needs the network namespace of ``scripts/netns.sh`` (``nox -s bench_media``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from janus_anyio.testing import JanusServer

DEFAULT_OUT = HERE / "results.jsonl"
PLUGINS = ("janus.plugin.videoroom", "janus.plugin.echotest")
ROOM = 1234  # in the stock VideoRoom configuration
RSS_PER_SESSION_TARGET = 3 * 1024
CPU_RATIO_TARGET = 1.5
CEILING_PREFIX = "ceil-"  # the ceiling's clients: ceil-asyncio, ceil-trio
CEILING_WORKLOADS = frozenset({"W1", "W2", "W3", "W5", "W6"})  # what ceiling.py runs


def is_ceiling(client: str) -> bool:
    return client.startswith(CEILING_PREFIX)


def backend(client: str) -> str:
    """The event loop of an anyio client (ours or the ceiling)."""
    return client.removeprefix(CEILING_PREFIX)


@dataclass(frozen=True)
class Sizes:
    """How big each workload is in one mode."""

    reps: int
    requests: int  # W1-W3: `exists` requests per measurement
    warmup: int  # untimed requests first
    window: int  # W2, W3 windowed, W4: requests in flight
    floor_http_conns: int  # the floor's connections for windowed HTTP (pipelined)
    sessions: tuple[int, ...]  # W4 sizes
    hold: float  # W4: seconds the sessions are held...
    hold_reps: int  # ...in this many of the repetitions (the others destroy at once)
    session_timeout: int  # W4: Janus's session_timeout
    participants: int  # W5
    admin: int  # W6: list_sessions per measurement
    core_smoke: bool  # C1 in its smoke mode


SMOKE = Sizes(
    reps=1,
    requests=100,
    warmup=10,
    window=64,
    floor_http_conns=1,
    sessions=(20,),
    hold=4.0,
    hold_reps=1,
    session_timeout=3,
    participants=8,
    admin=50,
    core_smoke=True,
)
DEFAULT = Sizes(
    reps=5,
    requests=2000,
    warmup=100,
    window=64,
    floor_http_conns=1,
    sessions=(1000,),
    hold=12.0,
    hold_reps=1,
    session_timeout=10,
    participants=200,
    admin=1000,
    core_smoke=False,
)
FULL = replace(DEFAULT, sessions=(1000, 10_000), hold=70.0, session_timeout=60)


@dataclass(frozen=True)
class Case:
    """One row group of the table: a workload on one transport, run by each client."""

    workload: str
    name: str
    spec: dict[str, Any]
    endpoint: str  # ws, http, admin_ws or admin_http
    unit: str
    target: float  # ratio to the floor
    clients: tuple[str, ...]
    session_timeout: int = 60
    floor_spec: dict[str, Any] = field(default_factory=dict)


def cases(sizes: Sizes, only: set[str] | None, trio: bool, ceiling: bool) -> list[Case]:
    ours = ("floor", "asyncio")
    with_trio = (*ours, "trio") if trio else ours
    ceilings = ("ceil-asyncio", "ceil-trio") if trio else ("ceil-asyncio",)
    n, window = sizes.requests, sizes.window
    req = {"kind": "requests", "n": n, "room": ROOM, "warmup": sizes.warmup, "conns": 1}
    http_conns = {"conns": sizes.floor_http_conns}
    out = [
        Case(
            "W1",
            "W1 ws seq",
            {**req, "transport": "ws", "window": 1},
            "ws",
            "req/s",
            0.95,
            with_trio,
        ),
        Case(
            "W2",
            "W2 ws x64",
            {**req, "transport": "ws", "window": window},
            "ws",
            "req/s",
            0.85,
            with_trio,
        ),
        Case(
            "W3",
            "W3 http seq",
            {**req, "transport": "http", "window": 1},
            "http",
            "req/s",
            0.9,
            ours,
        ),
        Case(
            "W3",
            "W3 http x64",
            {**req, "transport": "http", "window": window},
            "http",
            "req/s",
            0.8,
            ours,
            floor_spec=http_conns,
        ),
    ]
    for count in sizes.sessions:
        spec = {
            "kind": "sessions",
            "sessions": count,
            "window": window,
            "session_timeout": sizes.session_timeout,
        }
        out.append(
            Case(
                "W4",
                f"W4 S={count}",
                spec,
                "ws",
                "sess/s",
                0.8,
                ours,
                session_timeout=sizes.session_timeout,
            )
        )
    fanin = {"kind": "fanin", "participants": sizes.participants}
    admin = {"kind": "admin", "n": sizes.admin}
    out += [
        Case("W5", f"W5 P={sizes.participants}", fanin, "ws", "ev/s", 0.9, ours),
        Case(
            "W6", "W6 admin http", {**admin, "transport": "http"}, "admin_http", "req/s", 0.85, ours
        ),
        Case("W6", "W6 admin ws", {**admin, "transport": "ws"}, "admin_ws", "req/s", 0.85, ours),
    ]
    if ceiling:  # between the floor and ours, so that the order alternates around it
        out = [
            replace(c, clients=(c.clients[0], *ceilings, *c.clients[1:]))
            if c.workload in CEILING_WORKLOADS
            else c
            for c in out
        ]
    return [c for c in out if only is None or c.workload in only]


# -- running the workers ------------------------------------------------------------------


class BenchmarkError(RuntimeError):
    """A worker failed (the message carries the end of its stderr)."""


def _url(janus: JanusServer, endpoint: str) -> str:
    urls = {
        "ws": janus.ws_url,
        "http": janus.http_url,
        "admin_ws": janus.admin_ws_url,
        "admin_http": janus.admin_http_url,
    }
    return urls[endpoint]


def server_sessions(janus: JanusServer) -> int:
    """How many sessions Janus has (admin ``list_sessions`` over HTTP)."""
    conn = http.client.HTTPConnection("127.0.0.1", janus.admin_http_port, timeout=30)
    try:
        body = {"janus": "list_sessions", "transaction": "n", "admin_secret": janus.admin_secret}
        conn.request("POST", "/admin", json.dumps(body), {"Content-Type": "application/json"})
        answer = json.loads(conn.getresponse().read())
    finally:
        conn.close()
    if answer.get("janus") != "success":
        raise BenchmarkError(f"list_sessions failed: {answer}")
    return len(answer["sessions"])


def run_worker(client: str, spec: dict[str, Any], janus: JanusServer, limit: float) -> Any:
    """Run one measurement in a subprocess; return its result (with the server checks made
    at its checkpoints, under ``checks``)."""
    if client == "floor":
        script = HERE / "floor.py"
    else:
        script = HERE / ("ceiling.py" if is_ceiling(client) else "ours.py")
        spec = {**spec, "backend": backend(client)}
    argv = [sys.executable, str(script), json.dumps(spec)]
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=ROOT,
        )
        watchdog = threading.Timer(limit, proc.kill)
        watchdog.start()
        result: Any = None
        checks: dict[str, dict[str, Any]] = {}
        try:
            assert proc.stdout is not None
            assert proc.stdin is not None
            for line in proc.stdout:
                message = json.loads(line)
                if "phase" in message:
                    checks[message["phase"]] = {
                        "client": message.get("alive"),
                        "server": server_sessions(janus),
                    }
                    proc.stdin.write("go\n")
                    proc.stdin.flush()
                elif "result" in message:
                    result = message["result"]
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if code != 0 or result is None:
            err.seek(0)
            raise BenchmarkError(f"{client} {spec['kind']}: exit {code}\n{err.read()[-4000:]}")
    result["checks"] = checks
    return result


# -- figures --------------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(case: Case, reps: list[dict[str, Any]], sizes: Sizes) -> list[dict[str, Any]]:
    """One summary per client: medians over the repetitions, ratios to the floor of the same
    repetition (and, for ours, to the ceiling on the same backend), and the issue's targets
    checked (for the ceiling too: whether a bare anyio client reaches them)."""
    out = []
    for client in case.clients:
        runs = [rep[client] for rep in reps]
        rates = [r["ops"] / r["seconds"] for r in runs]
        cpu = [r["cpu"] / r["ops"] for r in runs]
        server_cpu = [r["server_cpu"] / r["ops"] for r in runs if r.get("server_cpu") is not None]
        floors = [rep["floor"] for rep in reps]
        ratios = [
            (r["ops"] / r["seconds"]) / (f["ops"] / f["seconds"])
            for r, f in zip(runs, floors, strict=True)
        ]
        cpu_ratios = [
            (r["cpu"] / r["ops"]) / (f["cpu"] / f["ops"]) for r, f in zip(runs, floors, strict=True)
        ]
        ceiling = CEILING_PREFIX + client
        ceiling_ratios: list[float] = []
        cpu_ceiling_ratios: list[float] = []
        if ceiling in case.clients:
            ceilings = [rep[ceiling] for rep in reps]
            ceiling_ratios = [
                (r["ops"] / r["seconds"]) / (c["ops"] / c["seconds"])
                for r, c in zip(runs, ceilings, strict=True)
            ]
            cpu_ceiling_ratios = [
                (r["cpu"] / r["ops"]) / (c["cpu"] / c["ops"])
                for r, c in zip(runs, ceilings, strict=True)
            ]
        summary: dict[str, Any] = {
            "record": "summary",
            "workload": case.workload,
            "case": case.name,
            "client": client,
            "n": runs[0]["ops"],
            "reps": len(runs),
            "unit": case.unit,
            "rate": _median(rates),
            "rate_min": min(rates),
            "rate_max": max(rates),
            "ratio": _median(ratios),
            "cpu_us_per_op": 1e6 * statistics.median(cpu),
            "cpu_ratio": _median(cpu_ratios),
            "ceiling_ratio": _median(ceiling_ratios),
            "cpu_ceiling_ratio": _median(cpu_ceiling_ratios),
            "server_cpu_us_per_op": None if not server_cpu else 1e6 * statistics.median(server_cpu),
            "peak_rss_kb": max(r["peak_rss_kb"] for r in runs),
            "checks": [],
        }
        if case.workload == "W4":
            held = [r for r in runs if r["held"] > 0]
            summary.update(
                rss_per_session=statistics.median(r["rss_per_session"] for r in runs),
                held_seconds=held[0]["held"] if held else 0,
                survivors_client=min((r["alive_client"] for r in held), default=None),
                survivors_server=min((r["checks"]["held"]["server"] for r in held), default=None),
                created_server=min(r["checks"]["created"]["server"] for r in runs),
                leftovers=max(r["checks"]["destroyed"]["server"] for r in runs),
                destroy_rate=statistics.median(r["ops"] / r["destroy_seconds"] for r in runs),
                hold_cpu=max((r["hold_cpu"] for r in held), default=None),
            )
        if case.workload == "W5":
            summary.update(
                expected=runs[0]["expected"],
                delivered_min=min(r["ops"] for r in runs),
                surplus_max=max(r["surplus"] for r in runs),
            )
        if client != "floor":
            summary["checks"] = _checks(case, summary)
            summary["met"] = all(c["met"] for c in summary["checks"])
        out.append(summary)
    return out


def _check(name: str, value: Any, met: bool) -> dict[str, Any]:
    return {"name": name, "value": value, "met": bool(met)}


def _checks(case: Case, s: dict[str, Any]) -> list[dict[str, Any]]:
    out = [_check(f"ratio >= {case.target}", s["ratio"], s["ratio"] >= case.target)]
    if case.workload == "W2":
        cpu = s["cpu_ratio"]
        out.append(_check(f"cpu ratio <= {CPU_RATIO_TARGET}", cpu, cpu <= CPU_RATIO_TARGET))
    if case.workload == "W4":
        count = s["n"]
        out.append(
            _check(
                f"RSS/session <= {RSS_PER_SESSION_TARGET} B",
                s["rss_per_session"],
                s["rss_per_session"] <= RSS_PER_SESSION_TARGET,
            )
        )
        if s["held_seconds"]:
            alive = min(s["survivors_client"], s["survivors_server"])
            out.append(
                _check(f"all {count} alive after {s['held_seconds']:g} s", alive, alive == count)
            )
        out.append(_check("no leftovers", s["leftovers"], s["leftovers"] == 0))
    if case.workload == "W5":
        lost = s["expected"] - s["delivered_min"]
        out.append(
            _check(
                "none lost or doubled", lost + s["surplus_max"], lost == 0 and s["surplus_max"] == 0
            )
        )
    return out


# -- the table --------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str = ",.0f") -> str:
    return "-" if value is None else format(value, spec)


HEADER = (
    f"{'case':<15} {'client':<12} {'n':>6} {'median rate':>17} {'ratio':>6} {'xceil':>6} "
    f"{'CPU us/op':>9} {'xfloor':>6} {'xceil':>6} {'srv us/op':>9} {'peak RSS':>9}  checks"
)


def table_rows(summaries: list[dict[str, Any]]) -> Iterator[str]:
    for s in summaries:
        checks = ", ".join(
            f"{c['name']}: {'ok' if c['met'] else 'MISS'}" for c in s.get("checks", [])
        )
        yield (
            f"{s['case']:<15} {s['client']:<12} {s['n']:>6} "
            f"{_fmt(s['rate']):>11} {s['unit']:<5} {_fmt(s['ratio'], '.2f'):>6} "
            f"{_fmt(s['ceiling_ratio'], '.2f'):>6} "
            f"{_fmt(s['cpu_us_per_op'], '.1f'):>9} {_fmt(s['cpu_ratio'], '.2f'):>6} "
            f"{_fmt(s['cpu_ceiling_ratio'], '.2f'):>6} "
            f"{_fmt(s['server_cpu_us_per_op'], '.1f'):>9} "
            f"{s['peak_rss_kb'] / 1024:>6.1f} MB  {checks}"
        )
        if s["workload"] == "W4":
            yield (
                f"{'':<28} RSS/session {s['rss_per_session']:,.0f} B; created on server "
                f"{s['created_server']}; held {s['held_seconds']:g} s: alive client "
                f"{s['survivors_client']}, server {s['survivors_server']}; leftovers "
                f"{s['leftovers']}; destroy {s['destroy_rate']:,.0f}/s; hold CPU "
                f"{_fmt(s['hold_cpu'], '.2f')} s"
            )
        if s["workload"] == "W5":
            yield (
                f"{'':<28} events expected {s['expected']}, delivered (min) "
                f"{s['delivered_min']}, surplus (max) {s['surplus_max']}"
            )


# -- C1 ---------------------------------------------------------------------------------------


def run_core(sizes: Sizes, reps: int) -> tuple[str, list[dict[str, Any]]]:
    """Run ``core.py`` (C1) as it is; its printed table and its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c1.jsonl"
        argv = [sys.executable, str(HERE / "core.py"), "--json", str(path), "--reps", str(reps)]
        if sizes.core_smoke:
            argv.append("--smoke")
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=600)
        if proc.returncode != 0:
            raise BenchmarkError(f"core.py failed:\n{proc.stderr[-4000:]}")
        figures = [json.loads(line) for line in path.read_text().splitlines() if line]
    records = [
        {"record": "c1", "workload": "C1", "metric": f["benchmark"], "value": f["value"]}
        for f in figures
    ]
    return proc.stdout, records


# -- the run ----------------------------------------------------------------------------------


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "unknown"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        janus = subprocess.run(["janus", "--version"], capture_output=True, text=True, timeout=10)
        version = janus.stdout.splitlines()[0] if janus.stdout else "unknown"
    except (OSError, subprocess.SubprocessError):
        version = "unknown"
    return {
        **source(),
        "host": platform.node(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "janus": version,
    }


def source() -> dict[str, Any]:
    """The commit measured, and the library files changed in the working tree (read-only
    git)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT)
        except OSError:
            return ""
        return done.stdout.rstrip() if done.returncode == 0 else ""

    changed = git(
        "status", "--porcelain", "--untracked-files=no", "--", "janus_proto", "janus_anyio"
    )
    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "changed": [line[3:] for line in changed.splitlines()],
    }


def trio_available() -> bool:
    try:
        import trio  # noqa: F401
    except ImportError:
        return False
    return True


class Output:
    """Appends JSON lines (each record stamped with the run)."""

    def __init__(self, fh: IO[str], run_id: str, mode: str) -> None:
        self.fh, self.run_id, self.mode = fh, run_id, mode

    def write(self, record: dict[str, Any]) -> None:
        stamped = {"run": self.run_id, "mode": self.mode, "time": time.time(), **record}
        self.fh.write(json.dumps(stamped) + "\n")
        self.fh.flush()


@contextmanager
def janus_for(case: Case) -> Iterator[JanusServer]:
    with JanusServer(plugins=PLUGINS, log_level=3, session_timeout=case.session_timeout) as janus:
        yield janus


def run_case(case: Case, sizes: Sizes, reps: int, out: Output) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with janus_for(case) as janus:
        for rep in range(reps):
            order = case.clients if rep % 2 == 0 else tuple(reversed(case.clients))
            one: dict[str, Any] = {}
            for client in order:
                spec = {**case.spec, "url": _url(janus, case.endpoint), "server_pid": janus.pid}
                if client == "floor":
                    spec.update(case.floor_spec)
                if case.workload == "W6":
                    spec["admin_secret"] = janus.admin_secret
                if case.workload == "W4":
                    spec["hold"] = sizes.hold if rep < sizes.hold_reps else 0
                limit = 300 + float(spec.get("hold", 0))
                result = run_worker(client, spec, janus, limit)
                if case.workload == "W4":
                    result["held"] = spec["hold"]
                one[client] = result
                out.write(
                    {
                        "record": "sample",
                        "workload": case.workload,
                        "case": case.name,
                        "client": client,
                        "rep": rep,
                        **result,
                    }
                )
            results.append(one)
    return summarize(case, results, sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition (CI)")
    mode.add_argument("--full", action="store_true", help="W4 at 1000 and 10000 held 70 s")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="append JSON lines here")
    parser.add_argument("--reps", type=int, help="repetitions (default 5; 1 with --smoke)")
    parser.add_argument("--only", help="comma-separated workloads, e.g. W1,W4,C1")
    parser.add_argument("--sessions", help="W4 sizes, comma-separated")
    parser.add_argument("--hold", type=float, help="W4: seconds the sessions are held")
    parser.add_argument("--session-timeout", type=int, help="W4: Janus's session_timeout")
    parser.add_argument("--requests", type=int, help="W1-W3: requests per measurement")
    parser.add_argument("--participants", type=int, help="W5: participants")
    parser.add_argument("--no-trio", action="store_true", help="skip the trio runs")
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip the anyio ceiling (ceiling.py)"
    )
    args = parser.parse_args(argv)

    sizes = SMOKE if args.smoke else FULL if args.full else DEFAULT
    if args.sessions:
        sizes = replace(sizes, sessions=tuple(int(s) for s in args.sessions.split(",")))
    for name in ("hold", "session_timeout", "requests", "participants"):
        if getattr(args, name) is not None:
            sizes = replace(sizes, **{name: getattr(args, name)})
    reps = args.reps or sizes.reps
    only = set(args.only.upper().split(",")) if args.only else None
    mode_name = "smoke" if args.smoke else "full" if args.full else "default"
    trio = not args.no_trio and trio_available()

    run_id = uuid.uuid4().hex[:12]
    started = time.monotonic()
    info = machine()
    load_before = loadavg()
    print(f"janus-client benchmarks ({mode_name}, {reps} reps), run {run_id}")
    print(f"{info['cpu']} x{info['cpus']}, Python {info['python']}, {info['janus']}")
    dirty = f" + changes in {', '.join(info['changed'])}" if info["changed"] else ""
    print(f"library at {info['commit'][:12]}{dirty}")
    print(f"load before: {load_before}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    summaries: list[dict[str, Any]] = []
    with args.out.open("a") as fh:
        out = Output(fh, run_id, mode_name)
        out.write(
            {
                "record": "run",
                "machine": info,
                "load_before": load_before,
                "reps": reps,
                "sizes": asdict(sizes),
            }
        )
        core_text = ""
        if only is None or "C1" in only:
            core_text, records = run_core(sizes, reps)
            for record in records:
                out.write(record)
        for case in cases(sizes, only, trio, not args.no_ceiling):
            print(f"  {case.name} ...", flush=True)
            case_summaries = run_case(case, sizes, reps, out)
            for summary in case_summaries:
                out.write(summary)
            summaries += case_summaries
        load_after = loadavg()
        out.write(
            {"record": "end", "load_after": load_after, "seconds": time.monotonic() - started}
        )
    print()
    print(HEADER)
    for row in table_rows(summaries):
        print(row)
    if core_text:
        print()
        print(core_text.rstrip())
    ours = [s for s in summaries if s["client"] != "floor" and not is_ceiling(s["client"])]
    ceiling = [s for s in summaries if is_ceiling(s["client"])]
    print()
    met = sum(1 for s in ours if s["met"])
    print(f"targets: {met} met, {len(ours) - met} missed")
    if ceiling:
        reached = sum(1 for s in ceiling if s["met"])
        print(f"the anyio ceiling meets the targets in {reached} of its {len(ceiling)} rows")
    print("M1 (media): bash scripts/netns.sh python benchmarks/media.py (nox -s bench_media)")
    print(f"load after: {load_after}; {time.monotonic() - started:.0f} s; JSON lines in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
