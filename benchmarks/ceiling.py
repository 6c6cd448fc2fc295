"""The anyio ceiling: the floor's client on anyio, to tell the event loop's cost from ours.

The same workloads as ``floor.py``, with the same specs, written as the thinnest anyio
client: ``anyio.connect_tcp`` streams, one task per connection, the floor's hand-rolled
WebSocket/HTTP framing (``WSFraming``, ``HTTPFraming``), request templates and checks
imported from ``floor.py``, requests pipelined where the floor pipelines them. No
janus_proto, no janus_anyio, no typing of replies. What separates it from the floor is
the event loop (asyncio or trio, ``"backend"`` in the spec, through anyio's streams);
what separates ours from it is our client. W1-W3, W5 and W6 (not W4).

Run by ``benchmarks/run.py`` as one subprocess per measurement:
``python benchmarks/ceiling.py '<workload spec as JSON>'`` (see ``_harness``).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from _harness import Meter, Spec, finish, read_spec
from anyio.abc import SocketStream
from floor import (
    _EXISTS_HTTP,
    _EXISTS_WS,
    _JOIN,
    _LIST,
    _OP_CLOSE,
    _READ,
    HTTPFraming,
    WSFraming,
    _exists_ok,
    _fanin_tally,
    _frame,
    _listed,
    _ok,
    _split,
    ws_accept,
    ws_handshake,
)


class WebSocket(WSFraming):
    """A WebSocket client connection on an anyio stream (text messages)."""

    def __init__(self, stream: SocketStream, rest: bytes) -> None:
        super().__init__(rest)
        self.stream = stream

    @classmethod
    async def connect(cls, url: str, subprotocol: str) -> WebSocket:
        host, port, path = _split(url)
        stream = await anyio.connect_tcp(host, port)
        request, key = ws_handshake(host, port, path, subprotocol)
        await stream.send(request)
        head = b""
        while b"\r\n\r\n" not in head:
            head += await stream.receive(4096)
        return cls(stream, ws_accept(head, key, subprotocol))

    async def flush(self) -> None:
        if self._out:
            data = bytes(self._out)  # the transport may keep it
            self._out.clear()
            await self.stream.send(data)

    async def send(self, text: str) -> None:
        self.queue(text)
        await self.flush()

    async def receive(self) -> list[bytes]:
        """The complete messages available, waiting for at least one."""
        while True:
            messages = self._parse()
            if self._out:
                await self.flush()  # pongs
            if messages:
                return messages
            self._buf += await self.stream.receive(_READ)  # EndOfStream when closed

    async def call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer (``ack``s skipped)."""
        await self.send(json.dumps(message))
        txn = message["transaction"]
        while True:
            for raw in await self.receive():
                answer: dict[str, Any] = json.loads(raw)
                if answer.get("transaction") == txn and answer["janus"] != "ack":
                    return answer

    async def aclose(self) -> None:
        try:
            await self.stream.send(_frame(_OP_CLOSE, (1000).to_bytes(2, "big")))
        except (OSError, anyio.BrokenResourceError):
            pass
        await self.stream.aclose()


class HTTPConnection(HTTPFraming):
    """One HTTP/1.1 keep-alive connection on an anyio stream; requests may be pipelined."""

    def __init__(self, stream: SocketStream, host: str, port: int, path: str) -> None:
        super().__init__(host, port, path)
        self.stream = stream

    @classmethod
    async def connect(cls, url: str) -> HTTPConnection:
        host, port, path = _split(url)
        return cls(await anyio.connect_tcp(host, port), host, port, path)

    async def flush(self) -> None:
        if self._out:
            data = bytes(self._out)  # the transport may keep it
            self._out.clear()
            await self.stream.send(data)

    async def receive(self) -> list[tuple[int, bytes]]:
        """The complete responses available, waiting for at least one."""
        while True:
            responses = self._parse()
            if responses:
                return responses
            self._buf += await self.stream.receive(_READ)

    async def call(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        self.queue(path, json.dumps(message))
        await self.flush()
        status, body = (await self.receive())[0]
        if status != 200:
            raise ConnectionError(f"HTTP {status}")
        answer: dict[str, Any] = json.loads(body)
        return answer

    async def aclose(self) -> None:
        await self.stream.aclose()


# -- W1, W2, W3: one session, one VideoRoom handle, N synchronous ``exists`` ---------------


async def _ws_exists(ws: WebSocket, sid: int, hid: int, room: int, n: int, window: int) -> None:
    pending: set[str] = set()
    sent = done = 0
    while sent < min(window, n):
        txn = "x%d" % sent
        ws.queue(_EXISTS_WS % (sid, hid, txn, room))
        pending.add(txn)
        sent += 1
    await ws.flush()
    while done < n:
        for raw in await ws.receive():
            answer = json.loads(raw)
            txn = answer.get("transaction")
            if txn not in pending:
                continue
            _exists_ok(answer)
            pending.discard(txn)
            done += 1
            if sent < n:
                txn = "x%d" % sent
                ws.queue(_EXISTS_WS % (sid, hid, txn, room))
                pending.add(txn)
                sent += 1
        await ws.flush()


async def _http_exists(
    conns: list[HTTPConnection], path: str, room: int, n: int, window: int
) -> None:
    """As the floor: ``window`` requests pipelined over the connections, a new one written
    for each answer; one task per connection (the floor multiplexes them with a selector)."""
    depth = max(1, window // len(conns))
    sent = done = 0
    for conn in conns:
        for _ in range(depth):
            if sent < n:
                conn.queue(path, _EXISTS_HTTP % ("x%d" % sent, room))
                sent += 1

    async def drive(conn: HTTPConnection) -> None:
        nonlocal sent, done
        await conn.flush()
        while conn.in_flight:
            for status, body in await conn.receive():
                if status != 200:
                    raise RuntimeError(f"HTTP {status}")
                _exists_ok(json.loads(body))
                done += 1
                if sent < n:
                    conn.queue(path, _EXISTS_HTTP % ("x%d" % sent, room))
                    sent += 1
            await conn.flush()

    if len(conns) == 1:
        await drive(conns[0])
    else:
        async with anyio.create_task_group() as tg:
            for conn in conns:
                tg.start_soon(drive, conn)
    if done != n:
        raise RuntimeError(f"{done} answers to {n} requests")


async def requests(spec: Spec) -> dict[str, Any]:
    n, window, room, warmup = spec["n"], spec["window"], spec["room"], spec["warmup"]
    if spec["transport"] == "ws":
        ws = await WebSocket.connect(spec["url"], "janus-protocol")
        sid = _ok(await ws.call({"janus": "create", "transaction": "c"}))["data"]["id"]
        attach = {
            "janus": "attach",
            "session_id": sid,
            "plugin": "janus.plugin.videoroom",
            "transaction": "a",
        }
        hid = _ok(await ws.call(attach))["data"]["id"]
        await _ws_exists(ws, sid, hid, room, warmup, window)
        with Meter(spec.get("server_pid")) as meter:
            await _ws_exists(ws, sid, hid, room, n, window)
        _ok(await ws.call({"janus": "destroy", "session_id": sid, "transaction": "d"}))
        await ws.aclose()
    else:
        conns = [await HTTPConnection.connect(spec["url"]) for _ in range(spec["conns"])]
        first = conns[0]
        sid = _ok(await first.call("", {"janus": "create", "transaction": "c"}))["data"]["id"]
        attach = {"janus": "attach", "plugin": "janus.plugin.videoroom", "transaction": "a"}
        hid = _ok(await first.call(f"/{sid}", attach))["data"]["id"]
        path = f"/{sid}/{hid}"
        await _http_exists(conns, path, room, warmup, window)
        with Meter(spec.get("server_pid")) as meter:
            await _http_exists(conns, path, room, n, window)
        _ok(await first.call(f"/{sid}", {"janus": "destroy", "transaction": "d"}))
        for conn in conns:
            await conn.aclose()
    return meter.result(n)


# -- W5: P VideoRoom participants join one room with notify_joining ------------------------


async def fanin(spec: Spec) -> dict[str, Any]:
    count = spec["participants"]
    expected = count * (count - 1) // 2
    ws = await WebSocket.connect(spec["url"], "janus-protocol")
    sid = _ok(await ws.call({"janus": "create", "transaction": "c"}))["data"]["id"]
    handles = []
    for i in range(count + 1):
        attach = {
            "janus": "attach",
            "session_id": sid,
            "plugin": "janus.plugin.videoroom",
            "transaction": "a%d" % i,
        }
        handles.append(_ok(await ws.call(attach))["data"]["id"])
    manager, participants = handles[0], handles[1:]
    create = {
        "janus": "message",
        "session_id": sid,
        "handle_id": manager,
        "transaction": "r",
        "body": {"request": "create", "notify_joining": True, "publishers": count},
    }
    room = _ok(await ws.call(create))["plugindata"]["data"]["room"]
    joins = {"j%d" % i for i in range(count)}
    joined = events = 0
    with Meter(spec.get("server_pid")) as meter:
        for i, hid in enumerate(participants):
            ws.queue(_JOIN % (sid, hid, "j%d" % i, room, i))
        await ws.flush()
        while joined < count or events < expected:
            for raw in await ws.receive():
                is_join, is_event = _fanin_tally(raw, joins)
                joined += is_join
                events += is_event
    delivered = events
    deadline = time.monotonic() + 0.2  # anything more would be a duplicate
    while (left := deadline - time.monotonic()) > 0:
        with anyio.move_on_after(left):
            events += sum(b'"joining"' in raw for raw in await ws.receive())
    destroy = dict(create, transaction="rd", body={"request": "destroy", "room": room})
    await ws.call(destroy)
    await ws.call({"janus": "destroy", "session_id": sid, "transaction": "d"})
    await ws.aclose()
    return {
        **meter.result(delivered),
        "expected": expected,
        "joined": joined,
        "surplus": events - delivered,
    }


# -- W6: list_sessions over the Admin API ---------------------------------------------------


async def admin(spec: Spec) -> dict[str, Any]:
    n, secret = spec["n"], spec["admin_secret"]

    if spec["transport"] == "ws":
        ws = await WebSocket.connect(spec["url"], "janus-admin-protocol")
        with Meter(spec.get("server_pid")) as meter:
            for i in range(n):
                await ws.send(_LIST % ("l%d" % i, secret))
                for raw in await ws.receive():
                    _listed(json.loads(raw))
        await ws.aclose()
    else:
        conn = await HTTPConnection.connect(spec["url"])
        with Meter(spec.get("server_pid")) as meter:
            for i in range(n):
                conn.queue("", _LIST % ("l%d" % i, secret))
                await conn.flush()
                for status, body in await conn.receive():
                    if status != 200:
                        raise RuntimeError(f"HTTP {status}")
                    _listed(json.loads(body))
        await conn.aclose()
    return meter.result(n)


WORKLOADS: dict[str, Callable[[Spec], Awaitable[dict[str, Any]]]] = {
    "requests": requests,
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
