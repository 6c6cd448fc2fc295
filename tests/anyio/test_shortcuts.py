"""The client's two shortcuts, over custom in-memory transports (no sockets).

``Transport.send_nowait``: the requesting task hands requests over itself; what the
transport refuses goes to the writer, in order, and is never lost or sent twice, even when
the connection is lost in between. ``Transport.deliver_inbound``: messages handed over from a
transport's own task reach the core at once, and nothing is taken after the client closed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import anyio
import anyio.abc
import pytest
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

import janus_anyio as ja
from janus_proto import Outgoing

from .helpers import FakeJanusTransport

pytestmark = pytest.mark.anyio
ECHO = "janus.plugin.echotest"
POLICY = ja.ReconnectPolicy(initial_delay=0.01, max_delay=0.02)


class NowaitTransport(FakeJanusTransport):
    """Takes requests with ``send_nowait`` unless told to refuse the next ones; records
    which path each request took."""

    def __init__(self, url: str, options: ja.TransportOptions | None = None) -> None:
        super().__init__(url, options)
        self.refuse = 0  # how many of the next send_nowait calls raise WouldBlock
        self.drop_on_refusal = False
        self.paths: list[tuple[str, str]] = []  # (path taken, transaction)

    def send_nowait(self, out: Outgoing) -> None:
        if self.refuse:
            self.refuse -= 1
            if self.drop_on_refusal:
                self.drop()
            raise anyio.WouldBlock
        if self._inbox is None:
            raise ja.NotSent("not connected")
        self.paths.append(("nowait", out.transaction))
        self.janus.receive(out.text, out.path)
        self.flush()

    async def send(self, out: Outgoing) -> None:
        if self._inbox is not None:
            self.paths.append(("writer", out.transaction))
        await super().send(out)


class DeliveringTransport(FakeJanusTransport):
    """Hands Janus's answers to ``deliver_inbound`` from a task of its own, like the HTTP workers;
    only failures go through ``receive``."""

    def __init__(self, url: str, options: ja.TransportOptions | None = None) -> None:
        super().__init__(url, options)
        self.delivered = 0
        self._answers: MemoryObjectSendStream[str] | None = None

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        await super().connect(task_group)
        self._answers, answers = anyio.create_memory_object_stream[str](1000)
        task_group.start_soon(self._worker, answers)

    async def _worker(self, answers: MemoryObjectReceiveStream[str]) -> None:
        async with answers:
            async for text in answers:
                assert self.deliver_inbound is not None
                self.delivered += 1
                self.deliver_inbound(text)

    def flush(self) -> None:
        if self._answers is not None:
            for text in self.janus.messages_to_client():
                self._answers.send_nowait(text)

    async def aclose(self) -> None:
        if self._answers is not None:
            self._answers.close()
            self._answers = None
        await super().aclose()


@pytest.fixture
def nowait() -> Iterator[type[NowaitTransport]]:
    ja.register_transport(r"^nowait://", NowaitTransport)
    yield NowaitTransport
    ja.unregister_transport(NowaitTransport)


@pytest.fixture
def delivering() -> Iterator[type[DeliveringTransport]]:
    ja.register_transport(r"^delivering://", DeliveringTransport)
    yield DeliveringTransport
    ja.unregister_transport(DeliveringTransport)


def last() -> NowaitTransport:
    transport = FakeJanusTransport.instances[-1]
    assert isinstance(transport, NowaitTransport)
    return transport


async def test_requests_are_handed_over_by_the_requesting_task(
    nowait: type[NowaitTransport],
) -> None:
    async with ja.connect("nowait://janus") as client, client.session() as session:
        handle = await session.attach(ECHO)
        reply = await handle.send({"audio": True})
        assert reply.data["result"] == "ok"
        assert {path for path, _ in last().paths} == {"nowait"}


async def test_refused_requests_go_to_the_writer_in_order(
    nowait: type[NowaitTransport],
) -> None:
    async with ja.connect("nowait://janus") as client, client.session() as session:
        handle = await session.attach(ECHO)
        transport = last()
        transport.paths.clear()
        transport.refuse = 1  # the first is refused: the ones after it must not overtake it
        made: list[int] = []  # the order the requests were made in (trio shuffles tasks)

        async def call(i: int) -> None:
            made.append(i)
            reply = await handle.send({"audio": True, "i": i}, timeout=2)
            assert reply.data["result"] == "ok"

        async with anyio.create_task_group() as tg:
            for i in range(5):
                tg.start_soon(call, i)
        sent = [m for verb, m in transport.janus.received if verb == "message"]
        assert [m["body"]["i"] for m in sent] == made  # in order, each exactly once
        assert transport.paths[0][0] == "writer"
        assert len({txn for _, txn in transport.paths}) == 5


async def test_a_refused_request_waits_for_the_reconnect_when_the_connection_drops(
    nowait: type[NowaitTransport],
) -> None:
    # The transport refuses the request (it stays held by the client) and the connection
    # drops at that moment: the request was never written, so it waits for the reconnect,
    # then goes out once (it must neither fail with ConnectionLost nor go twice).
    async with ja.connect("nowait://janus", reconnect=POLICY) as client:
        async with client.session() as session:
            handle = await session.attach(ECHO)
            transport = last()
            for _ in range(3):
                transport.refuse, transport.drop_on_refusal = 1, True
                with anyio.fail_after(2):
                    reply = await handle.send({"audio": True})
                assert reply.data["result"] == "ok"
            assert transport.connects == 4
            sent = [m for verb, m in transport.janus.received if verb == "message"]
            assert len(sent) == 3


async def test_delivered_messages_reach_their_requests_and_handles(
    delivering: type[DeliveringTransport],
) -> None:
    async with ja.connect("delivering://janus") as client:
        assert (await client.info()).version == 1102
        async with client.session() as session:
            handle = await session.attach(ECHO)
            reply = await handle.send({"audio": True}, jsep={"type": "offer", "sdp": "v=0"})
            assert reply.data["result"] == "ok"
        transport = FakeJanusTransport.instances[-1]
        assert isinstance(transport, DeliveringTransport)
        assert transport.delivered >= 4


async def test_nothing_is_delivered_after_the_client_closed(
    delivering: type[DeliveringTransport], caplog: pytest.LogCaptureFixture
) -> None:
    async with ja.connect("delivering://janus") as client:
        await client.info()
        deliver = FakeJanusTransport.instances[-1].deliver_inbound
        assert deliver is not None
    assert client.closed
    with caplog.at_level(logging.DEBUG, logger="janus_anyio"):
        deliver('{"janus": "server_info", "transaction": "late"}')  # dropped, no error
    assert [r.getMessage() for r in caplog.records] == [
        "a message came after the client closed: dropped"
    ]
