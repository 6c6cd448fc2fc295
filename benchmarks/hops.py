"""W1 taken apart: what the client's task structure costs, apart from the typed core.

Three clients make the same sequential VideoRoom ``exists`` requests over WebSocket to one
private Janus, alternating, in one process (on asyncio or trio):

- ``one task``: the anyio ceiling (``ceiling.py``): the requesting task writes the frame
  and reads the answer itself;
- ``tasks``: the same framing and JSON, with janus_anyio's task structure: the request
  registers a waiter (an ``anyio.Event``) and wakes a writer task, which writes under a send
  deadline (a cancel scope); a reader task reads, finds the waiter by transaction and sets
  it. No core, no typing;
- ``ours``: ``VideoRoomHandle.exists`` through ``janus_anyio.connect``.

``tasks`` minus ``one task`` is the cost of the structure (a request never waits on the
transport, one reader serves every request and event); ``ours`` minus ``tasks`` is the typed
core, the codecs and the rest of the driver. Run: ``python benchmarks/hops.py [--backend
trio] [--requests N] [--reps R]``. Not part of ``run.py`` (one process, no floor): a
decomposition, not a target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import anyio
from ceiling import WebSocket
from floor import _EXISTS_WS, _exists_ok, _ok

import janus_anyio as ja
from janus_anyio.plugins.videoroom import VideoRoomHandle
from janus_anyio.testing import JanusServer

ROOM = 1234
Client = Callable[[int], Awaitable[None]]


async def _session(ws: WebSocket) -> tuple[int, int]:
    sid = _ok(await ws.call({"janus": "create", "transaction": "c"}))["data"]["id"]
    attach = {"janus": "attach", "session_id": sid, "plugin": "janus.plugin.videoroom"}
    hid = _ok(await ws.call({**attach, "transaction": "a"}))["data"]["id"]
    return sid, hid


async def one_task(ws: WebSocket, sid: int, hid: int) -> Client:
    async def run(n: int) -> None:
        for i in range(n):
            await ws.send(_EXISTS_WS % (sid, hid, "x%d" % i, ROOM))
            _exists_ok(json.loads((await ws.receive())[0]))

    return run


class _Tasks:
    """janus_anyio's structure over the ceiling's framing: waiters, a writer, a reader."""

    def __init__(self, ws: WebSocket, sid: int, hid: int) -> None:
        self.ws, self.sid, self.hid = ws, sid, hid
        self.waiters: dict[str, tuple[anyio.Event, list[bytes]]] = {}
        self.outbox: list[str] = []
        self.wanted = anyio.Event()

    async def writer(self) -> None:
        while True:
            await self.wanted.wait()
            self.wanted = anyio.Event()
            outs, self.outbox = self.outbox, []
            with anyio.move_on_after(10, shield=True):
                for text in outs:
                    self.ws.queue(text)
                await self.ws.flush()

    async def reader(self) -> None:
        while True:
            for raw in await self.ws.receive():
                txn = json.loads(raw).get("transaction")
                waiter = self.waiters.pop(txn, None)
                if waiter is not None:
                    waiter[1].append(raw)
                    waiter[0].set()

    async def request(self, i: int) -> bytes:
        txn = "x%d" % i
        done, box = anyio.Event(), list[bytes]()
        self.waiters[txn] = (done, box)
        self.outbox.append(_EXISTS_WS % (self.sid, self.hid, txn, ROOM))
        self.wanted.set()
        await done.wait()
        return box[0]

    async def run(self, n: int) -> None:
        for i in range(n):
            _exists_ok(json.loads(await self.request(i)))


async def measure(client: Client, n: int) -> tuple[float, float]:
    """(requests per second, client CPU µs per request)."""
    wall, cpu = time.perf_counter(), time.process_time()
    await client(n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return n / wall, 1e6 * cpu / n


async def main(url: str, n: int, reps: int) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {"one task": [], "tasks": [], "ours": []}
    ws1 = await WebSocket.connect(url, "janus-protocol")
    ws2 = await WebSocket.connect(url, "janus-protocol")
    async with (
        ja.connect(url) as client,
        client.session() as session,
        anyio.create_task_group() as tg,
    ):
        handle = await VideoRoomHandle.attach(session)
        tasks = _Tasks(ws2, *await _session(ws2))
        tg.start_soon(tasks.writer)
        tg.start_soon(tasks.reader)

        async def ours(count: int) -> None:
            for _ in range(count):
                await handle.exists(ROOM)

        clients: dict[str, Client] = {
            "one task": await one_task(ws1, *await _session(ws1)),
            "tasks": tasks.run,
            "ours": ours,
        }
        for client_fn in clients.values():
            await client_fn(n // 10)  # warm-up
        for rep in range(reps):
            order = list(clients) if rep % 2 == 0 else list(reversed(clients))
            for name in order:
                results[name].append(await measure(clients[name], n))
        tg.cancel_scope.cancel()
    await ws1.aclose()
    return results


def report(results: dict[str, list[tuple[float, float]]], backend: str) -> None:
    base = statistics.median(cpu for _, cpu in results["one task"])
    print(f"W1 decomposition on {backend} (median of {len(results['ours'])} reps)")
    print(f"{'client':<10} {'req/s':>8} {'CPU us/req':>11} {'+ over one task':>16}")
    for name, runs in results.items():
        rate = statistics.median(r for r, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:<10} {rate:>8,.0f} {cpu:>11.1f} {cpu - base:>16.1f}")


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    with JanusServer(plugins=["janus.plugin.videoroom"], http=False, admin_http=False) as j:
        results = anyio.run(main, j.ws_url, args.requests, args.reps, backend=args.backend)
    report(results, args.backend)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
