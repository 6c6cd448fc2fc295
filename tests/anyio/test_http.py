"""HTTPTransport over in-memory byte pipes, against an h11 server (no sockets)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.abc
import h11
import pytest

import janus_anyio as ja
from janus_proto import Info, Outgoing

from .helpers import MemoryByteStream, byte_pipe

pytestmark = pytest.mark.anyio

#: (method, target, body) -> (status, body, keep_alive); may sleep.
Handler = Callable[[str, str, bytes], Awaitable[tuple[int, bytes, bool]]]


class HTTPServer:
    """Serves every connection the transport opens with ``handler``; records requests."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[int, str, str, bytes, dict[str, str]]] = []
        self.connections = 0
        self.ends: list[MemoryByteStream] = []

    async def serve(self, stream: MemoryByteStream) -> None:
        self.connections += 1
        number = self.connections
        conn = h11.Connection(h11.SERVER)
        try:
            while True:
                request: h11.Request | None = None
                body = b""
                while True:
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        try:
                            conn.receive_data(await stream.receive())
                        except anyio.EndOfStream:
                            conn.receive_data(b"")
                        continue
                    if isinstance(event, h11.ConnectionClosed):
                        return
                    if isinstance(event, h11.Request):
                        request = event
                    elif isinstance(event, h11.Data):
                        body += event.data
                    elif isinstance(event, h11.EndOfMessage):
                        break
                assert request is not None
                method, target = request.method.decode(), request.target.decode()
                headers = {k.decode(): v.decode() for k, v in request.headers}
                self.requests.append((number, method, target, body, headers))
                status, reply, keep = await self.handler(method, target, body)
                out = [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(reply))),
                ]
                if not keep:
                    out.append(("Connection", "close"))
                data = conn.send(h11.Response(status_code=status, headers=out)) or b""
                data += conn.send(h11.Data(data=reply)) or b""
                data += conn.send(h11.EndOfMessage()) or b""
                await stream.send(data)
                if not keep:
                    return
                conn.start_next_cycle()
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, anyio.EndOfStream):
            pass
        finally:
            await stream.aclose()


@asynccontextmanager
async def served(
    handler: Handler, url: str = "http://janus.test:8088/janus", **options: object
) -> AsyncIterator[tuple[ja.HTTPTransport, HTTPServer]]:
    server = HTTPServer(handler)
    async with anyio.create_task_group() as tg:

        async def opener() -> anyio.abc.ByteStream:
            client_end, server_end = byte_pipe()
            server.ends.append(client_end)
            tg.start_soon(server.serve, server_end)
            return client_end

        transport = ja.HTTPTransport(
            url,
            ja.TransportOptions(**options),  # type: ignore[arg-type]
            opener=opener,
        )
        await transport.connect(tg)
        try:
            yield transport, server
        finally:
            await transport.aclose()
            for end in server.ends:
                await end.aclose()
            tg.cancel_scope.cancel()


async def reply(transport: ja.HTTPTransport) -> Any:
    """The next message, which must be JSON (not a signal)."""
    item = await transport.receive()
    assert isinstance(item, (str, bytes))
    return json.loads(item)


def info(txn: str = "t1") -> Outgoing:
    text = json.dumps({"janus": "info", "transaction": txn})
    return Outgoing(transaction=txn, request=Info(), path="", text=text)


async def echo(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
    """Answers a POST with a success naming its transaction."""
    txn = json.loads(body)["transaction"]
    return 200, json.dumps({"janus": "server_info", "transaction": txn}).encode(), True


async def test_post_goes_to_the_base_path_and_the_reply_comes_back() -> None:
    async with served(echo, http_pool_size=1) as (transport, server):
        await transport.send(info("a"))
        assert (await reply(transport))["transaction"] == "a"
        _number, method, target, body, headers = server.requests[0]
        assert (method, target) == ("POST", "/janus")
        assert headers["host"] == "janus.test:8088"
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == {"janus": "info", "transaction": "a"}


async def test_keep_alive_reuses_one_connection() -> None:
    async with served(echo, http_pool_size=1) as (transport, server):
        for n in range(5):
            await transport.send(info(f"t{n}"))
            assert (await reply(transport))["transaction"] == f"t{n}"
        assert transport.connections_opened == 1
        assert {r[0] for r in server.requests} == {1}


async def test_connection_close_opens_a_new_one() -> None:
    async def closing(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        status, reply, _ = await echo(method, target, body)
        return status, reply, False

    async with served(closing, http_pool_size=1) as (transport, _server):
        for n in range(3):
            await transport.send(info(f"t{n}"))
            assert (await reply(transport))["transaction"] == f"t{n}"
        assert transport.connections_opened == 3


async def test_pool_runs_requests_concurrently_and_stays_bounded() -> None:
    release = anyio.Event()
    inside = 0
    most = 0

    async def slow(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        await release.wait()
        inside -= 1
        return await echo(method, target, body)

    async with served(slow, http_pool_size=3) as (transport, _server):
        for n in range(6):
            await transport.send(info(f"t{n}"))
        with anyio.fail_after(2):
            while inside < 3:
                await anyio.sleep(0.001)
        await anyio.sleep(0.01)
        assert inside == 3  # the pool's size, no more
        release.set()
        got = {(await reply(transport))["transaction"] for _ in range(6)}
        assert got == {f"t{n}" for n in range(6)}
        assert most == 3
        assert transport.connections_opened <= 3


async def test_long_poll_per_session_with_maxev_and_404_is_session_gone() -> None:
    polls = 0

    async def janus(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        nonlocal polls
        if method == "GET":
            polls += 1
            if polls == 1:
                event = [{"janus": "keepalive"}, {"janus": "webrtcup", "session_id": 7}]
                return 200, json.dumps(event).encode(), True
            return 404, b"not found", True
        return await echo(method, target, body)

    async with served(janus, http_maxev=5) as (transport, server):
        transport.session_added(7, "/7?maxev=5")
        transport.session_added(7, "/7?maxev=5")  # once per session
        first = await reply(transport)
        assert first[1]["janus"] == "webrtcup"
        gone = await transport.receive()
        assert gone == ja.SessionGone(7)
        gets = [r for r in server.requests if r[1] == "GET"]
        assert [r[2] for r in gets] == ["/janus/7?maxev=5", "/janus/7?maxev=5"]


async def test_session_removed_stops_its_poll() -> None:
    started = anyio.Event()

    async def hanging(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        if method == "GET":
            started.set()
            await anyio.sleep_forever()
        return await echo(method, target, body)

    async with served(hanging) as (transport, _server):
        transport.session_added(9, "/9")
        with anyio.fail_after(2):
            await started.wait()
        transport.session_removed(9)
        transport.session_removed(9)  # idempotent
        await anyio.sleep(0.01)
        assert transport._polls == {}
        await transport.send(info())  # the transport itself still works
        assert (await reply(transport))["transaction"] == "t1"


async def test_non_200_post_fails_the_transport() -> None:
    async def broken(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        return 500, b"oops", True

    async with served(broken, http_pool_size=1) as (transport, _server):
        await transport.send(info())
        with pytest.raises(ja.ConnectionClosed, match="POST answered HTTP 500"):
            await transport.receive()


async def test_reply_over_the_limit_fails_the_transport() -> None:
    async def big(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        return 200, b"x" * 200, True

    async with served(big, http_pool_size=1, max_message_size=100) as (transport, _server):
        await transport.send(info())
        with pytest.raises(ja.ConnectionClosed, match="over 100 bytes"):
            await transport.receive()


async def test_server_hanging_up_mid_request_fails_the_transport() -> None:
    async def hang_up(method: str, target: str, body: bytes) -> tuple[int, bytes, bool]:
        raise anyio.BrokenResourceError  # the server end closes without answering

    async with served(hang_up, http_pool_size=1) as (transport, _server):
        await transport.send(info())
        with pytest.raises(ja.ConnectionClosed, match="POST failed"):
            await transport.receive()
        # the first attempt used the pooled connection: it was retried once on a new one
        assert transport.connections_opened == 2


async def test_send_and_receive_before_connect_or_after_close() -> None:
    transport = ja.HTTPTransport("http://janus.test/janus")
    with pytest.raises(ja.ConnectionClosed, match="not connected"):
        await transport.send(info())
    with pytest.raises(ja.ConnectionClosed, match="not connected"):
        await transport.receive()
    async with served(echo) as (transport, _server):
        pass
    with pytest.raises(ja.ConnectionClosed):
        await transport.send(info())


async def test_unreachable_server_fails_connect() -> None:
    async def opener() -> anyio.abc.ByteStream:
        raise ConnectionRefusedError("refused here")

    transport = ja.HTTPTransport("http://janus.test/janus", opener=opener)
    async with anyio.create_task_group() as tg:
        with pytest.raises(ja.TransportError, match="refused here"):
            await transport.connect(tg)


async def test_bad_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="expected http or https"):
        ja.HTTPTransport("ws://janus.test/janus")
    with pytest.raises(ValueError, match="no host"):
        ja.HTTPTransport("http:///janus")
