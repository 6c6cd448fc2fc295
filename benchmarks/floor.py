"""The floor: a minimal Janus client on the standard library alone.

It estimates what the server allows on this machine, so that janus_anyio's figures can be
given as a ratio to it. Blocking sockets (``selectors`` only to multiplex HTTP
connections), hand-rolled WebSocket framing (RFC 6455: masked client frames, the
``janus-protocol``/``janus-admin-protocol`` subprotocol handshake), raw HTTP/1.1 keep-alive,
requests written from string templates and pipelined with a window, answers parsed with
``json.loads``. No reconnects, no timers but W4's keepalives, no typing of replies beyond
checking that they succeeded. The framing (``WSFraming``, ``HTTPFraming``, without I/O),
request templates and checks are also the anyio ceiling's (``ceiling.py``).

Run by ``benchmarks/run.py`` as one subprocess per measurement:
``python benchmarks/floor.py '<workload spec as JSON>'`` (see ``_harness``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import selectors
import socket
import sys
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from _harness import Meter, Spec, checkpoint, finish, keepalive_interval, read_spec, rss_bytes

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_READ = 262144

_OP_CONT, _OP_TEXT, _OP_BINARY, _OP_CLOSE, _OP_PING, _OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def _split(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"need host and port in {url!r}")
    return parts.hostname, parts.port, parts.path or "/"


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _mask(payload: bytes, key: bytes) -> bytes:
    """XOR ``payload`` with the 4-byte ``key`` repeated (one big-int operation)."""
    n = len(payload)
    if n == 0:
        return b""
    keys = (key * (n // 4 + 1))[:n]
    masked = int.from_bytes(payload, "little") ^ int.from_bytes(keys, "little")
    return masked.to_bytes(n, "little")


def _frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    key = os.urandom(4)
    return header + key + _mask(payload, key)


def ws_handshake(host: str, port: int, path: str, subprotocol: str) -> tuple[bytes, str]:
    """The client's opening handshake, and its key (for :func:`ws_accept`)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subprotocol}\r\n\r\n"
    ).encode()
    return request, key


def ws_accept(received: bytes, key: str, subprotocol: str) -> bytes:
    """Check the server's handshake (all of ``received`` up to and past its blank line);
    the bytes that followed it."""
    head, _, rest = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    if status.split(" ")[1] != "101":
        raise ConnectionError(f"WebSocket handshake refused: {status}")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
    if headers.get("sec-websocket-accept") != accept:
        raise ConnectionError("bad Sec-WebSocket-Accept")
    if headers.get("sec-websocket-protocol") != subprotocol:
        raise ConnectionError(f"subprotocol {subprotocol!r} not accepted")
    return rest


class WSFraming:
    """The framing of a client WebSocket connection that exchanges text messages, without
    I/O: :meth:`queue` adds to ``_out`` (what to write next), :meth:`_parse` takes the
    complete messages out of ``_buf`` (what was read) and queues pongs. Also the ceiling's
    (``ceiling.py``)."""

    def __init__(self, rest: bytes = b"") -> None:
        self._buf = bytearray(rest)
        self._fragments: list[bytes] = []
        self._out = bytearray()

    def queue(self, text: str) -> None:
        """Add one text message to what the next :meth:`flush` writes."""
        self._out += _frame(_OP_TEXT, text.encode())

    def _parse(self) -> list[bytes]:
        buf = self._buf
        size = len(buf)
        pos = 0
        out: list[bytes] = []
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            if b1 & 0x80:
                raise ConnectionError("the server masked a frame")
            length = b1 & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length = int.from_bytes(buf[start : start + 2], "big")
                start += 2
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(buf[start : start + 8], "big")
                start += 8
            end = start + length
            if end > size:
                break
            payload = bytes(buf[start:end])
            pos = end
            opcode = b0 & 0x0F
            if opcode in (_OP_TEXT, _OP_BINARY, _OP_CONT):
                if b0 & 0x80 and not self._fragments:
                    out.append(payload)
                else:
                    self._fragments.append(payload)
                    if b0 & 0x80:
                        out.append(b"".join(self._fragments))
                        self._fragments.clear()
            elif opcode == _OP_PING:
                self._out += _frame(_OP_PONG, payload)
            elif opcode == _OP_CLOSE:
                raise ConnectionError("WebSocket closed by the server")
        del buf[:pos]
        return out


class WebSocket(WSFraming):
    """A blocking WebSocket client connection that exchanges text messages."""

    def __init__(self, url: str, subprotocol: str, *, timeout: float = 30.0) -> None:
        host, port, path = _split(url)
        self.sock = _connect(host, port, timeout)
        self.timeout = timeout
        request, key = ws_handshake(host, port, path, subprotocol)
        self.sock.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the WebSocket handshake")
            head += chunk
        super().__init__(ws_accept(head, key, subprotocol))

    def flush(self) -> None:
        if self._out:
            self.sock.sendall(self._out)
            self._out.clear()

    def send(self, text: str) -> None:
        self.queue(text)
        self.flush()

    def receive(self, timeout: float | None = None) -> list[bytes]:
        """The complete messages available, waiting for at least one (up to ``timeout``
        seconds when given: then possibly none)."""
        self.sock.settimeout(self.timeout if timeout is None else max(timeout, 1e-4))
        while True:
            messages = self._parse()
            if self._out:
                self.flush()  # pongs
            if messages:
                return messages
            try:
                data = self.sock.recv(_READ)
            except TimeoutError:
                if timeout is None:
                    raise
                return []
            if not data:
                raise ConnectionError("WebSocket closed by the server")
            self._buf += data

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer (``ack``s skipped)."""
        self.send(json.dumps(message))
        txn = message["transaction"]
        while True:
            for raw in self.receive():
                answer: dict[str, Any] = json.loads(raw)
                if answer.get("transaction") == txn and answer["janus"] != "ack":
                    return answer

    def close(self) -> None:
        try:
            self.sock.sendall(_frame(_OP_CLOSE, (1000).to_bytes(2, "big")))
        except OSError:
            pass
        self.sock.close()


class HTTPFraming:
    """Requests and responses of one HTTP/1.1 keep-alive connection, without I/O:
    :meth:`queue` adds a request to ``_out`` (what to write next; requests may be
    pipelined), :meth:`_parse` takes the complete responses out of ``_buf`` (what was
    read). Also the ceiling's (``ceiling.py``)."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.base = path.rstrip("/")
        self._head = (
            "POST %%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
            "Content-Length: %%d\r\n\r\n" % (host, port)
        )
        self._buf = bytearray()
        self._out = bytearray()
        self.in_flight = 0

    def queue(self, path: str, body: str) -> None:
        data = body.encode()
        self._out += (self._head % (self.base + path, len(data))).encode()
        self._out += data
        self.in_flight += 1

    def _parse(self) -> list[tuple[int, bytes]]:
        buf = self._buf
        out: list[tuple[int, bytes]] = []
        pos = 0
        while True:
            end = buf.find(b"\r\n\r\n", pos)
            if end < 0:
                break
            head = bytes(buf[pos:end]).lower()
            start = end + 4
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 17)
                length = int(head[at + 17 : stop if stop >= 0 else len(head)])
                if len(buf) < start + length:
                    break
                body = bytes(buf[start : start + length])
                stop = start + length
            elif b"\r\ntransfer-encoding: chunked" in head:
                parsed = _dechunk(buf, start)
                if parsed is None:
                    break
                body, stop = parsed
            else:
                raise ConnectionError("response without Content-Length or chunked body")
            out.append((int(head[9:12]), body))
            pos = stop
        del buf[:pos]
        self.in_flight -= len(out)
        return out


class HTTPConnection(HTTPFraming):
    """One blocking HTTP/1.1 keep-alive connection; requests may be pipelined."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        host, port, path = _split(url)
        super().__init__(host, port, path)
        self.sock = _connect(host, port, timeout)

    def flush(self) -> None:
        if self._out:
            self.sock.sendall(self._out)
            self._out.clear()

    def receive(self) -> list[tuple[int, bytes]]:
        """The complete responses available, waiting for at least one."""
        while True:
            responses = self._parse()
            if responses:
                return responses
            self.read_once()

    def read_once(self) -> None:
        data = self.sock.recv(_READ)
        if not data:
            raise ConnectionError("HTTP connection closed by the server")
        self._buf += data

    def call(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        self.queue(path, json.dumps(message))
        self.flush()
        status, body = self.receive()[0]
        if status != 200:
            raise ConnectionError(f"HTTP {status}")
        answer: dict[str, Any] = json.loads(body)
        return answer

    def close(self) -> None:
        self.sock.close()


def _dechunk(buf: bytearray, pos: int) -> tuple[bytes, int] | None:
    """The body of a chunked message starting at ``pos`` and the offset after it, or None
    while incomplete (trailers are not supported: Janus sends none)."""
    chunks: list[bytes] = []
    while True:
        eol = buf.find(b"\r\n", pos)
        if eol < 0:
            return None
        size = int(bytes(buf[pos:eol]).split(b";", 1)[0], 16)
        start = eol + 2
        if size == 0:
            if len(buf) < start + 2:
                return None
            return b"".join(chunks), start + 2
        if len(buf) < start + size + 2:
            return None
        chunks.append(bytes(buf[start : start + size]))
        pos = start + size + 2


def _ok(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("janus") != "success":
        raise RuntimeError(f"Janus refused: {answer}")
    return answer


# -- W1, W2, W3: one session, one VideoRoom handle, N synchronous ``exists`` ---------------

_EXISTS_WS = (
    '{"janus":"message","session_id":%d,"handle_id":%d,"transaction":"%s",'
    '"body":{"request":"exists","room":%d}}'
)
_EXISTS_HTTP = '{"janus":"message","transaction":"%s","body":{"request":"exists","room":%d}}'


def _exists_ok(answer: dict[str, Any]) -> None:
    if answer.get("janus") != "success" or answer["plugindata"]["data"]["videoroom"] != "success":
        raise RuntimeError(f"exists failed: {answer}")


def _ws_exists(ws: WebSocket, sid: int, hid: int, room: int, n: int, window: int) -> None:
    pending: set[str] = set()
    sent = done = 0
    while sent < min(window, n):
        txn = "x%d" % sent
        ws.queue(_EXISTS_WS % (sid, hid, txn, room))
        pending.add(txn)
        sent += 1
    ws.flush()
    while done < n:
        for raw in ws.receive():
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
        ws.flush()


def _http_exists(conns: list[HTTPConnection], path: str, room: int, n: int, window: int) -> None:
    depth = max(1, window // len(conns))
    sent = done = 0
    for conn in conns:
        for _ in range(depth):
            if sent < n:
                conn.queue(path, _EXISTS_HTTP % ("x%d" % sent, room))
                sent += 1
        conn.flush()
    if len(conns) == 1:
        conn = conns[0]
        while done < n:
            for status, body in conn.receive():
                if status != 200:
                    raise RuntimeError(f"HTTP {status}")
                _exists_ok(json.loads(body))
                done += 1
                if sent < n:
                    conn.queue(path, _EXISTS_HTTP % ("x%d" % sent, room))
                    sent += 1
            conn.flush()
        return
    selector = selectors.DefaultSelector()
    for conn in conns:
        selector.register(conn.sock, selectors.EVENT_READ, conn)
    while done < n:
        for key, _ in selector.select():
            conn = key.data
            conn.read_once()
            for status, body in conn._parse():
                if status != 200:
                    raise RuntimeError(f"HTTP {status}")
                _exists_ok(json.loads(body))
                done += 1
                if sent < n:
                    conn.queue(path, _EXISTS_HTTP % ("x%d" % sent, room))
                    sent += 1
            conn.flush()
    selector.close()


def requests(spec: Spec) -> dict[str, Any]:
    n, window, room, warmup = spec["n"], spec["window"], spec["room"], spec["warmup"]
    if spec["transport"] == "ws":
        ws = WebSocket(spec["url"], "janus-protocol")
        sid = _ok(ws.call({"janus": "create", "transaction": "c"}))["data"]["id"]
        attach = {
            "janus": "attach",
            "session_id": sid,
            "plugin": "janus.plugin.videoroom",
            "transaction": "a",
        }
        hid = _ok(ws.call(attach))["data"]["id"]
        _ws_exists(ws, sid, hid, room, warmup, window)
        with Meter(spec.get("server_pid")) as meter:
            _ws_exists(ws, sid, hid, room, n, window)
        _ok(ws.call({"janus": "destroy", "session_id": sid, "transaction": "d"}))
        ws.close()
    else:
        conns = [HTTPConnection(spec["url"]) for _ in range(spec["conns"])]
        first = conns[0]
        sid = _ok(first.call("", {"janus": "create", "transaction": "c"}))["data"]["id"]
        attach = {"janus": "attach", "plugin": "janus.plugin.videoroom", "transaction": "a"}
        hid = _ok(first.call(f"/{sid}", attach))["data"]["id"]
        path = f"/{sid}/{hid}"
        _http_exists(conns, path, room, warmup, window)
        with Meter(spec.get("server_pid")) as meter:
            _http_exists(conns, path, room, n, window)
        _ok(first.call(f"/{sid}", {"janus": "destroy", "transaction": "d"}))
        for conn in conns:
            conn.close()
    return meter.result(n)


# -- W4: S sessions with one EchoTest handle each, held, destroyed -------------------------

_CREATE = '{"janus":"create","transaction":"%s"}'
_ATTACH = '{"janus":"attach","session_id":%d,"plugin":"janus.plugin.echotest","transaction":"%s"}'
_KEEPALIVE = '{"janus":"keepalive","session_id":%d,"transaction":"%s"}'
_DESTROY = '{"janus":"destroy","session_id":%d,"transaction":"%s"}'


def sessions(spec: Spec) -> dict[str, Any]:
    count, window, hold = spec["sessions"], spec["window"], spec["hold"]
    interval = keepalive_interval(spec["session_timeout"])
    ws = WebSocket(spec["url"], "janus-protocol")
    rss0 = rss_bytes()
    alive: dict[int, int] = {}  # session id -> handle id
    due: deque[tuple[float, int]] = deque()  # (keepalive due, session id), in time order
    txns: dict[str, int] = {}  # transaction -> 0 (create) or the session id (attach)
    serial = 0

    def start() -> None:
        nonlocal serial
        serial += 1
        txn = "c%d" % serial
        txns[txn] = 0
        ws.queue(_CREATE % txn)

    with Meter(spec.get("server_pid")) as create:
        for _ in range(min(window, count)):
            start()
        started = min(window, count)
        ws.flush()
        while len(alive) < count:
            for raw in ws.receive():
                answer = json.loads(raw)
                sid = txns.pop(_ok(answer)["transaction"])
                if sid == 0:
                    serial += 1
                    txn = "a%d" % serial
                    txns[txn] = answer["data"]["id"]
                    ws.queue(_ATTACH % (answer["data"]["id"], txn))
                else:
                    alive[sid] = answer["data"]["id"]
                    due.append((time.monotonic() + interval, sid))
                    if started < count:
                        start()
                        started += 1
            ws.flush()
    rss1 = rss_bytes()
    checkpoint("created", alive=len(alive))

    timed_out = 0
    with Meter() as held:
        deadline = time.monotonic() + hold
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            while due and due[0][0] <= now:
                _, sid = due.popleft()
                if sid in alive:
                    serial += 1
                    ws.queue(_KEEPALIVE % (sid, "k%d" % serial))
                    due.append((now + interval, sid))
            ws.flush()
            until = min(deadline, due[0][0]) if due else deadline
            for raw in ws.receive(timeout=until - now):
                answer = json.loads(raw)
                if answer["janus"] in ("timeout", "error") and answer.get("session_id") in alive:
                    del alive[answer["session_id"]]
                    timed_out += 1
    checkpoint("held", alive=len(alive))

    with Meter() as destroy:
        ids = list(alive)
        pending: set[str] = set()
        sent = 0
        while sent < min(window, len(ids)):
            txn = "d%d" % sent
            ws.queue(_DESTROY % (ids[sent], txn))
            pending.add(txn)
            sent += 1
        ws.flush()
        while pending:
            for raw in ws.receive():
                answer = json.loads(raw)
                txn = answer.get("transaction")
                if txn not in pending:
                    continue  # late keepalive acks
                _ok(answer)
                pending.discard(txn)
                if sent < len(ids):
                    txn = "d%d" % sent
                    ws.queue(_DESTROY % (ids[sent], txn))
                    pending.add(txn)
                    sent += 1
            ws.flush()
    checkpoint("destroyed")
    ws.close()
    return {
        **create.result(count),
        "rss_per_session": (rss1 - rss0) / count,
        "alive_client": len(alive),
        "timed_out": timed_out,
        "hold_cpu": held.cpu,
        "destroy_seconds": destroy.wall,
    }


# -- W5: P VideoRoom participants join one room with notify_joining ------------------------

_JOIN = (
    '{"janus":"message","session_id":%d,"handle_id":%d,"transaction":"%s",'
    '"body":{"request":"join","ptype":"publisher","room":%d,"display":"p%d"}}'
)


def _fanin_tally(raw: bytes, joins: set[str]) -> tuple[bool, bool]:
    """W5: whether one message from Janus is a join of ours answered, and whether it is a
    ``joining`` event.

    Raises:
        RuntimeError: a join failed, or Janus answered with an error.
    """
    answer = json.loads(raw)
    kind = answer["janus"]
    if kind == "error":
        raise RuntimeError(f"Janus refused: {answer}")
    if kind != "event":
        return False, False
    data = answer["plugindata"]["data"]
    if "joining" in data:
        return False, True
    if answer.get("transaction") in joins:
        if data.get("videoroom") != "joined":
            raise RuntimeError(f"join failed: {answer}")
        return True, False
    return False, False


def fanin(spec: Spec) -> dict[str, Any]:
    count = spec["participants"]
    expected = count * (count - 1) // 2
    ws = WebSocket(spec["url"], "janus-protocol")
    sid = _ok(ws.call({"janus": "create", "transaction": "c"}))["data"]["id"]
    handles = []
    for i in range(count + 1):
        attach = {
            "janus": "attach",
            "session_id": sid,
            "plugin": "janus.plugin.videoroom",
            "transaction": "a%d" % i,
        }
        handles.append(_ok(ws.call(attach))["data"]["id"])
    manager, participants = handles[0], handles[1:]
    create = {
        "janus": "message",
        "session_id": sid,
        "handle_id": manager,
        "transaction": "r",
        "body": {"request": "create", "notify_joining": True, "publishers": count},
    }
    room = _ok(ws.call(create))["plugindata"]["data"]["room"]
    joins = {"j%d" % i for i in range(count)}
    joined = events = 0
    with Meter(spec.get("server_pid")) as meter:
        for i, hid in enumerate(participants):
            ws.queue(_JOIN % (sid, hid, "j%d" % i, room, i))
        ws.flush()
        while joined < count or events < expected:
            for raw in ws.receive():
                is_join, is_event = _fanin_tally(raw, joins)
                joined += is_join
                events += is_event
    delivered = events
    deadline = time.monotonic() + 0.2  # anything more would be a duplicate
    while (left := deadline - time.monotonic()) > 0:
        events += sum(b'"joining"' in raw for raw in ws.receive(timeout=left))
    destroy = dict(create, transaction="rd", body={"request": "destroy", "room": room})
    ws.call(destroy)
    ws.call({"janus": "destroy", "session_id": sid, "transaction": "d"})
    ws.close()
    return {
        **meter.result(delivered),
        "expected": expected,
        "joined": joined,
        "surplus": events - delivered,
    }


# -- W6: list_sessions over the Admin API ---------------------------------------------------

_LIST = '{"janus":"list_sessions","transaction":"%s","admin_secret":"%s"}'


def _listed(answer: dict[str, Any]) -> None:
    """W6: check a ``list_sessions`` answer."""
    if answer.get("janus") != "success" or "sessions" not in answer:
        raise RuntimeError(f"list_sessions failed: {answer}")


def admin(spec: Spec) -> dict[str, Any]:
    n, secret = spec["n"], spec["admin_secret"]

    if spec["transport"] == "ws":
        ws = WebSocket(spec["url"], "janus-admin-protocol")
        with Meter(spec.get("server_pid")) as meter:
            for i in range(n):
                ws.send(_LIST % ("l%d" % i, secret))
                for raw in ws.receive():
                    _listed(json.loads(raw))
        ws.close()
    else:
        conn = HTTPConnection(spec["url"])
        with Meter(spec.get("server_pid")) as meter:
            for i in range(n):
                conn.queue("", _LIST % ("l%d" % i, secret))
                conn.flush()
                for status, body in conn.receive():
                    if status != 200:
                        raise RuntimeError(f"HTTP {status}")
                    _listed(json.loads(body))
        conn.close()
    return meter.result(n)


WORKLOADS = {"requests": requests, "sessions": sessions, "fanin": fanin, "admin": admin}


def main(argv: list[str]) -> int:
    spec = read_spec(argv)
    finish(WORKLOADS[spec["kind"]](spec))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
