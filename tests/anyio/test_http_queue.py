"""The HTTP pool's request queue (``_Queue``): bounded FIFO, wake-ups, closing."""

from __future__ import annotations

import anyio
import pytest

from janus_anyio._http import _Queue
from janus_proto import Outgoing

pytestmark = pytest.mark.anyio


def out(i: int) -> Outgoing:
    return Outgoing(transaction=f"t{i}", request=None, path="", text="{}")  # type: ignore[arg-type]


async def test_bounded_first_in_first_out() -> None:
    queue = _Queue(2, workers=1)
    queue.put_nowait(out(1))
    queue.put_nowait(out(2))
    with pytest.raises(anyio.WouldBlock):
        queue.put_nowait(out(3))
    assert [queue.get_nowait().transaction, queue.get_nowait().transaction] == ["t1", "t2"]
    with pytest.raises(anyio.WouldBlock):
        queue.get_nowait()


async def test_a_waiting_worker_is_woken_and_a_waiting_put_gets_room() -> None:
    queue = _Queue(1, workers=1)
    got: list[str] = []
    async with anyio.create_task_group() as tg:

        async def worker() -> None:
            got.append((await queue.get()).transaction)

        tg.start_soon(worker)
        await anyio.wait_all_tasks_blocked()
        queue.put_nowait(out(1))
        with anyio.fail_after(2):
            while not got:
                await anyio.sleep(0)
        queue.put_nowait(out(2))  # full now: the next put waits for room
        put_done = anyio.Event()

        async def put() -> None:
            await queue.put(out(3))
            put_done.set()

        tg.start_soon(put)
        await anyio.wait_all_tasks_blocked()
        assert not put_done.is_set()
        assert queue.get_nowait().transaction == "t2"
        with anyio.fail_after(2):
            await put_done.wait()
        assert queue.get_nowait().transaction == "t3"
    assert got == ["t1"]


async def test_closing_refuses_puts_and_ends_gets_once_empty() -> None:
    queue = _Queue(1, workers=1)
    outcomes: list[str] = []
    async with anyio.create_task_group() as tg:

        async def put() -> None:
            try:
                await queue.put(out(2))
            except anyio.ClosedResourceError:
                outcomes.append("closed")

        queue.put_nowait(out(1))
        tg.start_soon(put)  # full: it waits for room
        await anyio.wait_all_tasks_blocked()
        queue.close()
    assert outcomes == ["closed"]
    with pytest.raises(anyio.ClosedResourceError):
        queue.put_nowait(out(3))
    assert queue.get_nowait().transaction == "t1"  # what is queued is still taken
    with pytest.raises(anyio.EndOfStream):
        queue.get_nowait()


async def test_a_waiting_worker_sees_the_end_when_closed() -> None:
    queue = _Queue(1, workers=1)
    ended = anyio.Event()
    async with anyio.create_task_group() as tg:

        async def worker() -> None:
            with pytest.raises(anyio.EndOfStream):
                await queue.get()
            ended.set()

        tg.start_soon(worker)
        await anyio.wait_all_tasks_blocked()
        queue.close()
    assert ended.is_set()


async def test_the_last_worker_gone_closes_it() -> None:
    queue = _Queue(4, workers=2)
    queue.worker_gone()
    queue.put_nowait(out(1))
    queue.worker_gone()
    with pytest.raises(anyio.ClosedResourceError):
        queue.put_nowait(out(2))


async def test_a_cancelled_worker_loses_no_request() -> None:
    # Two workers wait; a request wakes the first, which is cancelled before it runs: the
    # request must still be taken (by the other worker, or by the first on a backend where
    # the wake-up wins over the cancellation).
    queue = _Queue(4, workers=2)
    taken: list[str] = []
    async with anyio.create_task_group() as tg:
        scopes: list[anyio.CancelScope] = []

        async def worker() -> None:
            with anyio.CancelScope() as scope:
                scopes.append(scope)
                taken.append((await queue.get()).transaction)

        tg.start_soon(worker)
        await anyio.wait_all_tasks_blocked()
        tg.start_soon(worker)
        await anyio.wait_all_tasks_blocked()
        queue.put_nowait(out(1))
        scopes[0].cancel()
        with anyio.fail_after(2):
            while not taken:
                await anyio.sleep(0)
        tg.cancel_scope.cancel()
    assert taken == ["t1"]
