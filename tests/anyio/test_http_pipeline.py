"""HTTP pipelining in the transport's workers: requests that wait for a busy pool are
written together on one connection and answered in order; the resend rules and the
response deadline hold for each request of a batch."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
import anyio.abc
import h11
import pytest

import janus_anyio as ja
from janus_anyio.testing import JanusServer, janus_available
from janus_proto import Info, Outgoing

from .helpers import MemoryByteStream, byte_pipe

pytestmark = pytest.mark.anyio

#: (connection number, transaction) -> what to do: "answer", "close" (answer with
#: Connection: close), "hang up" (close without answering) or "hold" (never answer).
Plan = Callable[[int, str], Awaitable[str]]


class PipeServer:
    """An h11 server that records every read (to see requests written together) and what
    it processed, per connection."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.connections = 0
        self.reads: list[tuple[int, int]] = []  # (connection, requests complete in the read)
        self.processed: list[tuple[int, str]] = []

    async def serve(self, stream: MemoryByteStream) -> None:
        self.connections += 1
        number = self.connections
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                body = b""
                while True:
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        data = await stream.receive()
                        self.reads.append((number, data.count(b"POST ")))
                        conn.receive_data(data)
                        continue
                    if isinstance(event, h11.Data):
                        body += event.data
                    elif isinstance(event, h11.EndOfMessage):
                        break
                txn = json.loads(body)["transaction"]
                action = await self.plan(number, txn)
                if action == "hang up":
                    return
                if action == "hold":
                    await anyio.sleep_forever()
                self.processed.append((number, txn))
                reply = json.dumps({"janus": "server_info", "transaction": txn}).encode()
                headers = [("Content-Length", str(len(reply)))]
                if action == "close":
                    headers.append(("Connection", "close"))
                data = conn.send(h11.Response(status_code=200, headers=headers)) or b""
                data += conn.send(h11.Data(data=reply)) or b""
                data += conn.send(h11.EndOfMessage()) or b""
                await stream.send(data)
                if action == "close":
                    return
                conn.start_next_cycle()
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, anyio.EndOfStream):
            pass
        finally:
            await stream.aclose()


@asynccontextmanager
async def served(
    plan: Plan, *, response_timeout: float = 30.0
) -> AsyncIterator[tuple[ja.HTTPTransport, PipeServer]]:
    server = PipeServer(plan)
    async with anyio.create_task_group() as tg:

        async def opener() -> anyio.abc.ByteStream:
            client_end, server_end = byte_pipe()
            tg.start_soon(server.serve, server_end)
            return client_end

        transport = ja.HTTPTransport(
            "http://janus.test/janus",
            ja.TransportOptions(http_pool_size=1),
            opener=opener,
            response_timeout=response_timeout,
        )
        await transport.connect(tg)
        try:
            yield transport, server
        finally:
            await transport.aclose()
            tg.cancel_scope.cancel()


def info(txn: str) -> Outgoing:
    text = json.dumps({"janus": "info", "transaction": txn})
    return Outgoing(transaction=txn, request=Info(), path="", text=text)


async def answers(transport: ja.HTTPTransport, count: int) -> list[str]:
    got = []
    with anyio.fail_after(5):
        for _ in range(count):
            item = await transport.receive()
            assert isinstance(item, (str, bytes))
            got.append(json.loads(item)["transaction"])
    return got


async def test_waiting_requests_are_written_together_and_answered_in_order() -> None:
    release = anyio.Event()

    async def plan(number: int, txn: str) -> str:
        if txn == "t0":
            await release.wait()
        return "answer"

    async with served(plan) as (transport, server):
        await transport.send(info("t0"))
        await anyio.sleep(0.01)  # the only worker writes t0 and waits for its answer
        for n in range(1, 6):
            await transport.send(info(f"t{n}"))
        await anyio.sleep(0.01)
        release.set()
        assert await answers(transport, 6) == [f"t{n}" for n in range(6)]
        assert transport.connections_opened == 1
        assert server.reads == [(1, 1), (1, 5)]  # t1..t5 came in one write
        assert server.processed == [(1, f"t{n}") for n in range(6)]


async def test_requests_after_a_connection_close_answer_go_again_on_a_new_connection() -> None:
    release = anyio.Event()

    async def plan(number: int, txn: str) -> str:
        if txn == "t0":
            await release.wait()
        return "close" if txn == "t1" else "answer"

    async with served(plan) as (transport, server):
        for n in range(4):
            await transport.send(info(f"t{n}"))
        await anyio.sleep(0.01)
        release.set()
        assert await answers(transport, 4) == ["t0", "t1", "t2", "t3"]
        # t2 and t3 were written after t1 on connection 1; the server did not process them
        # there (it closed after t1), so they went again, once, on connection 2.
        assert server.processed == [(1, "t0"), (1, "t1"), (2, "t2"), (2, "t3")]
        assert transport.connections_opened == 2


async def test_a_hang_up_after_part_of_a_batch_fails_without_resending() -> None:
    release = anyio.Event()

    async def plan(number: int, txn: str) -> str:
        if txn == "t0":
            await release.wait()
        return "hang up" if txn == "t2" else "answer"

    async with served(plan) as (transport, server):
        for n in range(4):
            await transport.send(info(f"t{n}"))
        await anyio.sleep(0.01)
        release.set()
        assert await answers(transport, 2) == ["t0", "t1"]
        with anyio.fail_after(5), pytest.raises(ja.ConnectionClosed, match="POST failed"):
            await transport.receive()
        # t2 may have been processed: never sent again.
        assert transport.connections_opened == 1
        assert server.processed == [(1, "t0"), (1, "t1")]


async def test_a_batch_on_a_dropped_idle_connection_is_sent_again_once() -> None:
    async def plan(number: int, txn: str) -> str:
        # Connection 1 answers t0, then is dropped while idle: nothing more is answered.
        return "hang up" if number == 1 and txn != "t0" else "answer"

    async with served(plan) as (transport, server):
        await transport.send(info("t0"))
        assert await answers(transport, 1) == ["t0"]
        await transport.send(info("t1"))  # handed to the idle worker...
        await transport.send(info("t2"))  # ...which takes this one along
        assert await answers(transport, 2) == ["t1", "t2"]
        assert (1, 2) in server.reads  # written together on connection 1
        assert server.processed == [(1, "t0"), (2, "t1"), (2, "t2")]
        assert transport.connections_opened == 2


async def test_a_batch_is_not_sent_a_third_time() -> None:
    async def plan(number: int, txn: str) -> str:
        return "hang up" if txn != "t0" else "answer"

    async with served(plan) as (transport, server):
        await transport.send(info("t0"))
        assert await answers(transport, 1) == ["t0"]
        await transport.send(info("t1"))
        await transport.send(info("t2"))
        with anyio.fail_after(5), pytest.raises(ja.ConnectionClosed, match="POST failed"):
            await transport.receive()
        assert transport.connections_opened == 2
        assert server.processed == [(1, "t0")]


async def test_each_answer_of_a_batch_is_due_within_the_response_timeout() -> None:
    release = anyio.Event()

    async def plan(number: int, txn: str) -> str:
        if txn == "t0":
            await release.wait()
        return "hold" if txn == "t2" else "answer"

    async with served(plan, response_timeout=0.3) as (transport, _server):
        for n in range(3):
            await transport.send(info(f"t{n}"))
        await anyio.sleep(0.01)
        release.set()
        assert await answers(transport, 2) == ["t0", "t1"]
        start = anyio.current_time()
        with anyio.fail_after(5), pytest.raises(ja.ConnectionClosed, match="no complete answer"):
            await transport.receive()
        assert anyio.current_time() - start < 1.0


@pytest.mark.skipif(not janus_available(), reason="Janus is not installed")
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_janus_answers_pipelined_requests_in_order() -> None:
    """Against the real Janus (libmicrohttpd): 300 requests through 2 connections."""
    with JanusServer(plugins=["janus.plugin.echotest"], websockets=False, admin_ws=False) as j:
        async with anyio.create_task_group() as tg:
            transport = ja.HTTPTransport(j.http_url, ja.TransportOptions(http_pool_size=2))
            await transport.connect(tg)
            try:
                for n in range(300):
                    await transport.send(info(f"t{n}"))
                got = await answers(transport, 300)
            finally:
                await transport.aclose()
    assert sorted(got, key=lambda t: int(t[1:])) == [f"t{n}" for n in range(300)]
    assert transport.connections_opened <= 2
