"""M1: real media through a private Janus, ours against bare aiortc (issue 6).

Run it inside the media namespace (nothing can leave the machine there)::

    bash scripts/netns.sh python benchmarks/media.py            # 5 reps, 1 and 5 calls
    bash scripts/netns.sh python benchmarks/media.py --smoke    # CI: one short rep
    ... benchmarks/media.py --url ws://127.0.0.1:PORT  # a Janus already started as
                                                       # tests/media/conftest.py does

Each measurement is one subprocess (``media.py worker '<spec>'``) making ``calls``
concurrent EchoTest calls on one WebSocket and one session, each with a 440 Hz tone
(Opus) and 320x240@30 stamped video (VP8), with no ICE server. ``ours`` is janus_anyio +
``janus_media.PeerConnection``; ``bare`` is aiortc's ``RTCPeerConnection`` driven by a
hand-written signalling client below (asyncio streams, hand-rolled WebSocket framing, plain
JSON), making the same requests. Both use the same synthetic tracks and read every
echoed audio and video frame. Ours and bare alternate (the order reverses every
repetition); a ratio is ours / bare within one repetition, then the median.

Figures per worker:
- **first echoed frame**: from just before the offer is made (``createOffer``) to the
  first echoed video frame decoded with a readable stamp, per call;
- **steady CPU**: process CPU (all threads: codecs included) over ``duration`` seconds
  once every call has its first frame, as a share of one core, with the frames received
  in that window (so that equal work is checked, not assumed);
- **setup CPU**: process CPU from the first offer to the last first frame.

JSON lines go to ``--out`` (default ``benchmarks/results.jsonl``), records ``run``,
``sample``, ``summary`` and ``end`` with ``workload: "M1"``, as ``run.py`` writes them.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import ipaddress
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DEFAULT_OUT = HERE / "results.jsonl"
ICE_INTERFACE = "jv0"  # scripts/netns.sh
ICE_ADDRESS = "127.0.0.2"
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
LATENCY_TARGET = 0.100  # seconds, offer -> first echoed frame
CPU_OVERHEAD_TARGET = 1.10  # ours / bare
MAX_CALLS = 5  # peer connections with audio per process (media-testing.md)


class MediaBenchmarkError(RuntimeError):
    """A worker failed, or the run cannot be made here (the message says why)."""


# -- what both workers share ------------------------------------------------------------


@dataclass
class CallStats:
    """What one call measured (times on the loop's clock, seconds)."""

    offered_at: float = 0.0
    answered_at: float | None = None  # Janus's answer applied
    first_frame_at: float | None = None
    video: int = 0  # echoed video frames decoded
    stamped: int = 0  # ... with a readable stamp
    audio: int = 0  # echoed audio frames decoded
    first: asyncio.Event = field(default_factory=asyncio.Event)


async def _read_video(recv: Callable[[], Awaitable[Any]], stats: CallStats) -> None:
    from janus_media import read_stamp

    loop = asyncio.get_running_loop()
    while True:
        frame = await recv()
        stats.video += 1
        if read_stamp(frame) is None:
            continue
        stats.stamped += 1
        if stats.first_frame_at is None:
            stats.first_frame_at = loop.time()
            stats.first.set()


async def _read_audio(recv: Callable[[], Awaitable[Any]], stats: CallStats) -> None:
    while True:
        await recv()
        stats.audio += 1


def _check_loopback(sdp: str) -> None:
    """Every candidate Janus offers is in 127.0.0.0/8 (else media could leave the
    machine: not inside the namespace)."""
    for line in sdp.splitlines():
        if line.startswith("a=candidate:"):
            address = line.split()[4]
            if ipaddress.ip_address(address) not in LOOPBACK:
                raise MediaBenchmarkError(f"Janus offered a non-loopback candidate: {line}")


def _tracks() -> tuple[Any, Any]:
    from janus_media import StampedVideoTrack, ToneAudioTrack

    return ToneAudioTrack(frequency=440), StampedVideoTrack()


async def _measure(
    calls: int, duration: float, start_call: Callable[[CallStats], Awaitable[None]]
) -> dict[str, Any]:
    """Start ``calls`` calls at once, wait for every first frame, then measure ``duration``
    seconds of steady media; the figures of one worker."""
    loop = asyncio.get_running_loop()
    stats = [CallStats() for _ in range(calls)]
    cpu0 = time.process_time()

    async def started() -> None:
        await asyncio.gather(*(start_call(s) for s in stats))
        await asyncio.gather(*(s.first.wait() for s in stats))

    await asyncio.wait_for(started(), timeout=30)
    cpu1, wall1 = time.process_time(), loop.time()
    counts0 = [(s.video, s.audio) for s in stats]
    await asyncio.sleep(duration)
    cpu2, wall2 = time.process_time(), loop.time()
    counts1 = [(s.video, s.audio) for s in stats]
    latencies = [s.first_frame_at - s.offered_at for s in stats if s.first_frame_at is not None]
    answers = [s.answered_at - s.offered_at for s in stats if s.answered_at is not None]
    return {
        "calls": calls,
        "latencies": latencies,
        "answer_latencies": answers,
        "setup_cpu": cpu1 - cpu0,
        "steady_cpu": cpu2 - cpu1,
        "steady_seconds": wall2 - wall1,
        "video_frames": [b[0] - a[0] for a, b in zip(counts0, counts1, strict=True)],
        "audio_frames": [b[1] - a[1] for a, b in zip(counts0, counts1, strict=True)],
    }


# -- ours: janus_anyio + janus_media ----------------------------------------------------


async def ours(spec: dict[str, Any]) -> dict[str, Any]:
    """The calls made with ``janus_anyio`` and ``janus_media.PeerConnection``."""
    import janus_anyio as ja
    from janus_anyio.plugins import EchoTestHandle
    from janus_media import PeerConnection, frames

    def reader(remote: Any) -> Callable[[], Awaitable[Any]]:
        return frames(remote).__anext__

    async with ja.connect(spec["url"]) as client, client.session() as session:
        handles = [await EchoTestHandle.attach(session) for _ in range(spec["calls"])]
        pcs: list[PeerConnection] = []
        tasks: list[asyncio.Task[None]] = []

        async def start(stats: CallStats) -> None:
            echo = handles[len(pcs)]
            pc = PeerConnection(echo)
            pcs.append(pc)
            audio, video = _tracks()
            pc.add_track(audio)
            pc.add_track(video)
            stats.offered_at = asyncio.get_running_loop().time()
            await pc.negotiate(lambda jsep: echo.configure(audio=True, video=True, jsep=jsep))
            stats.answered_at = asyncio.get_running_loop().time()
            assert pc.remote_description is not None
            _check_loopback(pc.remote_description["sdp"])
            remote_video = await pc.wait_track("video", timeout=10)
            remote_audio = await pc.wait_track("audio", timeout=10)
            tasks.append(asyncio.create_task(_read_video(reader(remote_video), stats)))
            tasks.append(asyncio.create_task(_read_audio(reader(remote_audio), stats)))

        try:
            return await _measure(spec["calls"], spec["duration"], start)
        finally:
            for task in tasks:
                task.cancel()
            for pc in pcs:
                await pc.close()


# -- bare: aiortc and a raw signalling client -------------------------------------------


class RawJanus:
    """The least a Janus WebSocket client needs: a hand-rolled RFC 6455 client (masked
    text frames out; text, ping and close in), transactions matched to futures, and
    keepalives. No typing, no checks beyond ``"janus": "error"``."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._ids = itertools.count()
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, url: str) -> RawJanus:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: janus-protocol\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise MediaBenchmarkError(f"WebSocket upgrade refused: {head[:200]!r}")
        return cls(reader, writer)

    def _frame(self, opcode: int, payload: bytes) -> bytes:
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = bytes([0x80 | opcode, 0x80 | n])
        elif n < 65536:
            head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
        key = int.from_bytes(mask * (n // 4 + 1), "big") >> (8 * (4 - n % 4))
        masked = (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big") if n else b""
        return head + mask + masked

    async def _read(self) -> None:
        message = b""
        try:
            while True:
                b0, b1 = await self._reader.readexactly(2)
                n = b1 & 0x7F
                if n == 126:
                    n = int.from_bytes(await self._reader.readexactly(2), "big")
                elif n == 127:
                    n = int.from_bytes(await self._reader.readexactly(8), "big")
                payload = await self._reader.readexactly(n)
                opcode = b0 & 0x0F
                if opcode == 9:
                    self._writer.write(self._frame(10, payload))
                elif opcode == 8:
                    break
                elif opcode in (0, 1):
                    message += payload
                    if b0 & 0x80:
                        self._dispatch(json.loads(message))
                        message = b""
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(exc)

    def _dispatch(self, msg: dict[str, Any]) -> None:
        kind = msg.get("janus")
        if kind == "ack":
            return  # the answer comes as an event with the same transaction
        future = self._waiting.pop(msg.get("transaction", ""), None)
        if future is not None and not future.done():
            future.set_result(msg)

    async def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send ``body`` with a fresh transaction; its reply (or raise on an error)."""
        txn = f"r{next(self._ids)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[txn] = future
        self._writer.write(self._frame(1, json.dumps({**body, "transaction": txn}).encode()))
        reply = await asyncio.wait_for(future, timeout=15)
        if reply.get("janus") == "error":
            raise MediaBenchmarkError(f"Janus error: {reply}")
        return reply

    async def keepalive(self, session_id: int, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await self.request({"janus": "keepalive", "session_id": session_id})

    async def close(self) -> None:
        self._task.cancel()
        self._writer.close()
        await asyncio.wait_for(self._writer.wait_closed(), timeout=5)


async def bare(spec: dict[str, Any]) -> dict[str, Any]:
    """The same calls with aiortc alone and :class:`RawJanus`."""
    from aiortc import (
        RTCBundlePolicy,
        RTCConfiguration,
        RTCPeerConnection,
        RTCSessionDescription,
    )

    janus = await RawJanus.connect(spec["url"])
    session = (await janus.request({"janus": "create"}))["data"]["id"]
    keepalive = asyncio.create_task(janus.keepalive(session, 25.0))
    handles = [
        (
            await janus.request(
                {"janus": "attach", "session_id": session, "plugin": "janus.plugin.echotest"}
            )
        )["data"]["id"]
        for _ in range(spec["calls"])
    ]
    pcs: list[RTCPeerConnection] = []
    tasks: list[asyncio.Task[None]] = []

    async def start(stats: CallStats) -> None:
        handle = handles[len(pcs)]
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        pcs.append(pc)

        @pc.on("track")
        def on_track(track: Any) -> None:
            read = _read_video if track.kind == "video" else _read_audio
            tasks.append(asyncio.create_task(read(track.recv, stats)))

        audio, video = _tracks()
        pc.addTrack(audio)
        pc.addTrack(video)
        stats.offered_at = asyncio.get_running_loop().time()
        await pc.setLocalDescription(await pc.createOffer())
        offer = pc.localDescription
        reply = await janus.request(
            {
                "janus": "message",
                "session_id": session,
                "handle_id": handle,
                "body": {"audio": True, "video": True},
                "jsep": {"type": offer.type, "sdp": offer.sdp, "trickle": False},
            }
        )
        answer = reply["jsep"]
        _check_loopback(answer["sdp"])
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
        stats.answered_at = asyncio.get_running_loop().time()

    try:
        return await _measure(spec["calls"], spec["duration"], start)
    finally:
        for task in tasks:
            task.cancel()
        for pc in pcs:
            for sender in pc.getSenders():
                if sender.track is not None:
                    sender.track.stop()
            await pc.close()
        keepalive.cancel()
        await janus.request({"janus": "destroy", "session_id": session})
        await janus.close()


WORKERS: dict[str, Callable[[dict[str, Any]], Coroutine[Any, Any, dict[str, Any]]]] = {
    "ours": ours,
    "bare": bare,
}


def worker_main(raw_spec: str) -> int:
    """One measurement (a subprocess of the runner): prints ``{"result": ...}``."""
    spec = json.loads(raw_spec)
    import aiortc  # noqa: F401  (imported before anything is measured)

    import janus_media  # noqa: F401

    result = asyncio.run(WORKERS[spec["client"]](spec))
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    print(json.dumps({"result": {**result, "peak_rss_kb": peak}}), flush=True)
    return 0


# -- the runner ---------------------------------------------------------------------------


def outside_namespace() -> str | None:
    """Why this process is not in the namespace of ``scripts/netns.sh`` (None when it is)."""
    if ICE_INTERFACE not in {name for _index, name in socket.if_nameindex()}:
        return f"no {ICE_INTERFACE} interface: run it as bash scripts/netns.sh python {__file__}"
    routes = Path("/proc/net/route").read_text().splitlines()[1:]
    if any(line.split()[0] not in ("lo", ICE_INTERFACE, "jv1") for line in routes if line):
        return "this namespace has a route to another interface: media could leave the machine"
    return None


def run_worker(client: str, url: str, calls: int, duration: float) -> dict[str, Any]:
    """Run one measurement in a subprocess; its result."""
    spec = {"client": client, "url": url, "calls": calls, "duration": duration}
    argv = [sys.executable, str(Path(__file__).resolve()), "worker", json.dumps(spec)]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=90 + duration)
    except subprocess.TimeoutExpired as exc:
        raise MediaBenchmarkError(f"{client} x{calls}: no result within {exc.timeout} s") from exc
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not results:
        raise MediaBenchmarkError(
            f"{client} x{calls}: exit {proc.returncode}\n{proc.stderr[-4000:]}"
        )
    result: dict[str, Any] = results[-1]["result"]
    return result


def summarize(calls: int, reps: list[dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One summary per client; ratios are ours / bare within a repetition."""
    out = []
    for client in ("bare", "ours"):
        runs = [rep[client] for rep in reps]
        latencies = [x for r in runs for x in r["latencies"]]
        steady = [r["steady_cpu"] / r["steady_seconds"] for r in runs]
        summary: dict[str, Any] = {
            "record": "summary",
            "workload": "M1",
            "case": f"M1 echotest x{calls}",
            "client": client,
            "calls": calls,
            "reps": len(runs),
            "first_frame_ms_median": 1000 * statistics.median(latencies),
            "first_frame_ms_max": 1000 * max(latencies),
            "answer_ms_median": 1000
            * statistics.median(x for r in runs for x in r["answer_latencies"]),
            "steady_cpu_share": statistics.median(steady),
            "setup_cpu_s": statistics.median(r["setup_cpu"] for r in runs),
            "video_fps_per_call": statistics.median(
                sum(r["video_frames"]) / calls / r["steady_seconds"] for r in runs
            ),
            "audio_fps_per_call": statistics.median(
                sum(r["audio_frames"]) / calls / r["steady_seconds"] for r in runs
            ),
            "peak_rss_kb": max(r["peak_rss_kb"] for r in runs),
        }
        if client == "ours":
            ratios = [
                (o["steady_cpu"] / o["steady_seconds"]) / (b["steady_cpu"] / b["steady_seconds"])
                for o, b in ((rep["ours"], rep["bare"]) for rep in reps)
            ]
            setup = [rep["ours"]["setup_cpu"] / rep["bare"]["setup_cpu"] for rep in reps]
            summary["cpu_ratio"] = statistics.median(ratios)
            summary["cpu_ratio_range"] = [min(ratios), max(ratios)]
            summary["setup_cpu_ratio"] = statistics.median(setup)
            summary["checks"] = [
                {
                    "name": f"first frame <= {LATENCY_TARGET * 1000:.0f} ms (median)",
                    "value": summary["first_frame_ms_median"],
                    "met": summary["first_frame_ms_median"] <= LATENCY_TARGET * 1000,
                },
                {
                    "name": f"steady CPU <= {CPU_OVERHEAD_TARGET:.2f}x bare",
                    "value": summary["cpu_ratio"],
                    "met": summary["cpu_ratio"] <= CPU_OVERHEAD_TARGET,
                },
            ]
            summary["met"] = all(c["met"] for c in summary["checks"])
        out.append(summary)
    return out


@contextmanager
def janus_url(url: str | None) -> Iterator[str]:
    """``url``, or a private Janus started as tests/media/conftest.py starts it."""
    if url is not None:
        yield url
        return
    from janus_anyio.testing import JanusServer

    with JanusServer(
        interface=ICE_ADDRESS,
        ice_enforce_list=ICE_INTERFACE,
        plugins=("janus.plugin.echotest",),
        http=False,
        admin_http=False,
        admin_ws=False,
        log_level=3,
    ) as server:
        yield server.ws_url


def _row(s: dict[str, Any]) -> str:
    ratio = f"{s['cpu_ratio']:.3f}" if "cpu_ratio" in s else "-"
    checks = ", ".join(f"{c['name']}: {'ok' if c['met'] else 'MISS'}" for c in s.get("checks", []))
    return (
        f"{s['case']:<16} {s['client']:<5} {s['answer_ms_median']:>6.0f} "
        f"{s['first_frame_ms_median']:>7.0f} "
        f"{s['first_frame_ms_max']:>7.0f} {100 * s['steady_cpu_share']:>7.1f} % {ratio:>6} "
        f"{s['setup_cpu_s']:>7.3f} {s['video_fps_per_call']:>5.1f} {s['audio_fps_per_call']:>5.1f} "
        f"{s['peak_rss_kb'] / 1024:>6.1f} MB  {checks}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The runner: alternate ours and bare for each size; print a table, write JSON
    lines."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["worker"]:
        if len(args_list) != 2:
            raise SystemExit("usage: media.py worker '<spec as JSON>'")
        return worker_main(args_list[1])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1 call, 1 rep, 1 s (CI)")
    parser.add_argument("--reps", type=int, help="repetitions (default 5; 1 with --smoke)")
    parser.add_argument("--calls", help="concurrent calls per worker, e.g. 1,5 (default)")
    parser.add_argument("--duration", type=float, help="seconds of steady media (default 10)")
    parser.add_argument("--url", help="a Janus WebSocket URL (default: start a private one)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="append JSON lines here")
    args = parser.parse_args(args_list)
    reps = args.reps or (1 if args.smoke else 5)
    sizes = [int(c) for c in (args.calls or ("1" if args.smoke else "1,5")).split(",")]
    duration = args.duration or (1.0 if args.smoke else 10.0)
    if reps < 1 or duration <= 0 or any(not 1 <= c <= MAX_CALLS for c in sizes):
        parser.error(f"--reps >= 1, --duration > 0 and calls in 1..{MAX_CALLS}")
    reason = outside_namespace()
    if reason is not None:
        raise MediaBenchmarkError(f"M1 runs only inside the media namespace: {reason}")

    run_id = uuid.uuid4().hex[:12]
    mode = "smoke" if args.smoke else "default"
    started = time.monotonic()
    print(f"M1 media benchmark ({mode}, {reps} reps, {duration:g} s steady), run {run_id}")
    print(f"load before: {Path('/proc/loadavg').read_text().strip()}")
    summaries: list[dict[str, Any]] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh, janus_url(args.url) as url:

        def write(record: dict[str, Any]) -> None:
            stamped = {"run": run_id, "mode": mode, "time": time.time(), **record}
            fh.write(json.dumps(stamped) + "\n")
            fh.flush()

        write(
            {
                "record": "run",
                "workload": "M1",
                "reps": reps,
                "calls": sizes,
                "duration": duration,
                "load_before": Path("/proc/loadavg").read_text().strip(),
            }
        )
        for calls in sizes:
            print(f"  M1 echotest x{calls} ...", flush=True)
            results: list[dict[str, dict[str, Any]]] = []
            for rep in range(reps):
                order = ("ours", "bare") if rep % 2 == 0 else ("bare", "ours")
                one = {client: run_worker(client, url, calls, duration) for client in order}
                for client, result in one.items():
                    write(
                        {
                            "record": "sample",
                            "workload": "M1",
                            "case": f"M1 echotest x{calls}",
                            "client": client,
                            "rep": rep,
                            **result,
                        }
                    )
                results.append(one)
            for summary in summarize(calls, results):
                write(summary)
                summaries.append(summary)
        load_after = Path("/proc/loadavg").read_text().strip()
        write({"record": "end", "load_after": load_after, "seconds": time.monotonic() - started})
    print()
    print(
        f"{'case':<16} {'who':<5} {'ans ms':>6} {'1st ms':>7} {'max ms':>7} {'CPU':>9} "
        f"{'xbare':>6} {'setup s':>7} {'v fps':>5} {'a fps':>5} {'peak RSS':>9}"
    )
    for s in summaries:
        print(_row(s))
    print(f"load after: {load_after}; {time.monotonic() - started:.0f} s; JSON lines in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
