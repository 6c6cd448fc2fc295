"""Our side of the benchmark workloads: janus_anyio as an application uses it.

``connect()``/``connect_admin()`` with their defaults, sessions and typed plugin handles
(``VideoRoomHandle.exists``, ``EchoTestHandle``, ``VideoRoomPublisher.join`` with its events
read through ``next_event``), concurrency with plain tasks. The same workloads as
``floor.py``, with the same specs, on asyncio or trio (``"backend"`` in the spec).

Run by ``benchmarks/run.py`` as one subprocess per measurement:
``python benchmarks/ours.py '<workload spec as JSON>'`` (see ``_harness``).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import anyio
from _harness import Meter, Spec, checkpoint, finish, read_spec, rss_bytes

import janus_anyio as ja
from janus_anyio.plugins import EchoTestHandle
from janus_anyio.plugins.videoroom import VideoRoomHandle, VideoRoomPublisher
from janus_proto.plugins import videoroom as vr


async def _spread(n: int, window: int, op: Callable[[int], Awaitable[None]]) -> None:
    """Run ``op(0..n-1)`` with at most ``window`` running at once (``window`` tasks)."""
    if window <= 1:
        for i in range(n):
            await op(i)
        return
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < n:
            i = next_index
            next_index += 1
            await op(i)

    async with anyio.create_task_group() as tg:
        for _ in range(min(window, n)):
            tg.start_soon(worker)


async def _checkpoint(name: str, **data: Any) -> None:
    """Wait for the runner in a thread: the client's tasks (keepalives) keep running."""
    await anyio.to_thread.run_sync(functools.partial(checkpoint, name, **data))


# -- W1, W2, W3: one session, one VideoRoom handle, N synchronous ``exists`` ---------------


async def requests(spec: Spec) -> dict[str, Any]:
    n, window, room = spec["n"], spec["window"], spec["room"]

    async with ja.connect(spec["url"]) as client, client.session() as session:
        handle = await VideoRoomHandle.attach(session)

        async def exists(_: int) -> None:
            await handle.exists(room)

        await _spread(spec["warmup"], window, exists)
        with Meter(spec.get("server_pid")) as meter:
            await _spread(n, window, exists)
    return meter.result(n)


# -- W4: S sessions with one EchoTest handle each, held, destroyed -------------------------


async def sessions(spec: Spec) -> dict[str, Any]:
    count, window, hold = spec["sessions"], spec["window"], spec["hold"]
    async with ja.connect(spec["url"]) as client:  # keepalives: "auto"
        rss0 = rss_bytes()
        held: list[tuple[ja.Session, EchoTestHandle]] = []

        async def create(_: int) -> None:
            session = await client.create_session()
            held.append((session, await EchoTestHandle.attach(session)))

        with Meter(spec.get("server_pid")) as created:
            await _spread(count, window, create)
        rss1 = rss_bytes()
        await _checkpoint("created", alive=len(held))
        with Meter() as holding:
            await anyio.sleep(hold)
        alive = [session for session, _ in held if not session.closed]
        await _checkpoint("held", alive=len(alive))

        async def destroy(i: int) -> None:
            await alive[i].destroy()

        with Meter() as destroyed:
            await _spread(len(alive), window, destroy)
        await _checkpoint("destroyed")
    return {
        **created.result(count),
        "rss_per_session": (rss1 - rss0) / count,
        "alive_client": len(alive),
        "timed_out": count - len(alive),
        "hold_cpu": holding.cpu,
        "destroy_seconds": destroyed.wall,
    }


# -- W5: P VideoRoom participants join one room with notify_joining ------------------------


async def fanin(spec: Spec) -> dict[str, Any]:
    count = spec["participants"]
    expected = count * (count - 1) // 2
    async with ja.connect(spec["url"]) as client, client.session() as session:
        manager = await VideoRoomHandle.attach(session)
        participants = [await VideoRoomPublisher.attach(session) for _ in range(count)]
        room = (await manager.create(notify_joining=True, publishers=count)).room
        assert room is not None
        events = joined = 0
        complete = anyio.Event()

        async def consume(handle: VideoRoomPublisher) -> None:
            nonlocal events
            while True:
                event = await handle.next_event()
                if isinstance(event, vr.ParticipantJoining):
                    events += 1
                    if events >= expected and joined == count:
                        complete.set()

        async def join(i: int) -> None:
            nonlocal joined
            await participants[i].join(room, display=f"p{i}")
            joined += 1
            if events >= expected and joined == count:
                complete.set()

        async with anyio.create_task_group() as consumers:
            for handle in participants:
                consumers.start_soon(consume, handle)
            with Meter(spec.get("server_pid")) as meter:
                await _spread(count, count, join)
                await complete.wait()
            delivered = events
            await anyio.sleep(0.2)  # anything more would be a duplicate
            consumers.cancel_scope.cancel()
        await manager.destroy(room)
    return {
        **meter.result(delivered),
        "expected": expected,
        "joined": joined,
        "surplus": events - delivered,
    }


# -- W6: list_sessions over the Admin API ---------------------------------------------------


async def admin(spec: Spec) -> dict[str, Any]:
    n = spec["n"]
    async with ja.connect_admin(spec["url"], admin_secret=spec["admin_secret"]) as client:
        with Meter(spec.get("server_pid")) as meter:
            for _ in range(n):
                await client.list_sessions()
    return meter.result(n)


WORKLOADS: dict[str, Callable[[Spec], Awaitable[dict[str, Any]]]] = {
    "requests": requests,
    "sessions": sessions,
    "fanin": fanin,
    "admin": admin,
}


def main(argv: list[str]) -> int:
    spec = read_spec(argv)
    result = anyio.run(WORKLOADS[spec["kind"]], spec, backend=spec.get("backend", "asyncio"))
    finish(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
