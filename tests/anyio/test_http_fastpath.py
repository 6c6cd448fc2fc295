"""The HTTP transport's own request writer and its response fast path.

Responses the fast path takes must come out exactly as h11 reads them; everything else must
go to h11 whole (same status, body, errors and connection reuse). The differential test
builds responses of many shapes, split at random points, and compares the two.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import anyio
import anyio.abc
import h11
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from janus_anyio._http import _dechunk, _HTTPConnection, _parse_head, _Stale

JANUS_HEAD = (
    b"HTTP/1.1 200 OK\r\nDate: Mon, 30 Nov 2026 11:53:42 GMT\r\n"
    b"Content-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\n"
    b"Access-Control-Max-Age: 86400\r\nTransfer-Encoding: chunked\r\n\r\n"
)
BODY = b'{"janus": "success", "transaction": "t1"}'
JANUS_REPLY = JANUS_HEAD + b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)


class Scripted(anyio.abc.ByteStream):
    """Answers reads with ``pieces`` in order, then the end of the stream (``eof``) or
    nothing ever; records what was written."""

    def __init__(self, pieces: Sequence[bytes], *, eof: bool = True) -> None:
        self.pieces = list(pieces)
        self.eof = eof
        self.sent: list[bytes] = []

    async def send(self, item: bytes) -> None:
        self.sent.append(bytes(item))

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self.pieces:
            if self.eof:
                raise anyio.EndOfStream
            await anyio.sleep_forever()
        piece = self.pieces.pop(0)
        if len(piece) > max_bytes:
            self.pieces.insert(0, piece[max_bytes:])
            piece = piece[:max_bytes]
        return piece

    async def send_eof(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


Result = tuple[int, bytes, bool] | str


async def ours(pieces: Sequence[bytes], max_size: int = 1 << 20) -> tuple[Result, bool]:
    """What the transport's connection makes of a response (a fresh connection, so a close
    before any answer reads as "closed"), and whether h11 was needed."""
    conn = _HTTPConnection(Scripted(pieces), "janus.test", max_size)
    try:
        status, body = await conn.request("POST", "/janus", b"{}", 5.0)
    except ConnectionError as exc:
        return ("closed" if isinstance(exc, _Stale) else "error"), conn._h11 is not None
    return (status, body, conn.reusable), conn._h11 is not None


def reference(data: bytes, max_size: int = 1 << 20) -> Result:
    """h11 alone, fed the same bytes, then the end of the stream."""
    conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=64 * 1024)
    conn.send(
        h11.Request(method="POST", target="/", headers=[("Host", "x"), ("Content-Length", "2")])
    )
    conn.send(h11.Data(data=b"{}"))
    conn.send(h11.EndOfMessage())
    if data:
        conn.receive_data(data)
    status, body, fed_eof = 0, b"", False
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                if fed_eof:
                    return "error"
                conn.receive_data(b"")
                fed_eof = True
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > max_size:
                    return "error"
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                return "error" if data else "closed"
    except h11.RemoteProtocolError:
        return "error" if data else "closed"
    return status, body, conn.our_state is h11.DONE and conn.their_state is h11.DONE


def split(data: bytes, cuts: Sequence[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points) if b > a]


# -- the head and chunk parsers -------------------------------------------------------------


def test_janus_heads_are_taken() -> None:
    assert _parse_head(JANUS_HEAD) == (200, -1, True)
    assert _parse_head(b"HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\n\r\n") == (404, 12, True)
    head = b"HTTP/1.1 200 OK\r\ncontent-length:  0 \r\nConnection: Foo, CLOSE\r\n\r\n"
    assert _parse_head(head) == (200, 0, False)


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: a\r\n folded\r\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: \x01\r\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: a\nContent-Length: 1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70_000 + b"\r\nContent-Length: 1\r\n\r\n",
    ],
)
def test_other_heads_are_left_to_h11(head: bytes) -> None:
    assert _parse_head(head) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"5\r\nhello\r\n0\r\n\r\n", (b"hello", 19)),
        (b"2\r\nhe\r\nA\r\nllo world!\r\n0\r\n\r\n", (b"hello world!", 31)),
        (b"0\r\n\r\n", (b"", 9)),
        (b"5\r\nhello\r\n0\r\n\r\nHTTP/1.1", (b"hello", 19)),  # the next response
        (b"5\r\nhel", True),
        (b"5\r\nhello\r", True),
        (b"5\r\nhello\r\n0\r\n\r", True),
        (b"5", True),
        (b"", True),
        (b"5;ext=1\r\nhello\r\n0\r\n\r\n", False),
        (b"5\r\nhello\r\n0\r\nTrailer: x\r\n\r\n", False),
        (b"5\r\nhelloXY0\r\n\r\n", False),
        (b"g\r\n", False),
        (b"123456789\r\n", False),
        (b"d\r\nhello world!!\r\n0\r\n\r\n", False),  # over the 12-byte cap below
    ],
)
def test_dechunk(body: bytes, expected: tuple[bytes, int] | bool) -> None:
    head = bytearray(b"HEAD")
    assert _dechunk(head + body, 4, 12) == expected


# -- the connection ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_requests_are_written_as_h11_would_read_them() -> None:
    stream = Scripted([JANUS_REPLY, JANUS_REPLY])
    conn = _HTTPConnection(stream, "janus.test:8088", 1 << 20)
    assert await conn.request("POST", "/janus/1/2?x=%20", b'{"a": 1}', 5.0) == (200, BODY)
    assert await conn.request("GET", "/janus/1?maxev=10", None, 5.0) == (200, BODY)
    assert conn._h11 is None  # Janus's answers never needed h11
    server = h11.Connection(h11.SERVER)
    seen: list[tuple[bytes, bytes, list[tuple[bytes, bytes]], bytes]] = []
    for data in stream.sent:
        server.receive_data(data)
        request = server.next_event()
        assert isinstance(request, h11.Request)
        body = b""
        while not isinstance(event := server.next_event(), h11.EndOfMessage):
            assert isinstance(event, h11.Data)
            body += event.data
        seen.append((request.method, request.target, list(request.headers), body))
        server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
        server.send(h11.EndOfMessage())
        server.start_next_cycle()
    fixed = [
        (b"host", b"janus.test:8088"),
        (b"user-agent", b"janus-client"),
        (b"accept", b"application/json"),
        (b"connection", b"keep-alive"),
    ]
    assert seen == [
        (
            b"POST",
            b"/janus/1/2?x=%20",
            [*fixed, (b"content-type", b"application/json"), (b"content-length", b"8")],
            b'{"a": 1}',
        ),
        (b"GET", b"/janus/1?maxev=10", fixed, b""),
    ]


@pytest.mark.anyio
@pytest.mark.parametrize("target", ["/janus/a b", "/janus/\u00e9", "", "/x\r\nEvil: 1"])
async def test_targets_h11_would_refuse_are_not_sent(target: str) -> None:
    stream = Scripted([JANUS_REPLY])
    conn = _HTTPConnection(stream, "janus.test", 1 << 20)
    with pytest.raises(ConnectionError, match="illegal request target"):
        await conn.request("POST", target, b"{}", 5.0)
    assert stream.sent == []


@pytest.mark.anyio
async def test_byte_at_a_time_and_a_response_split_after_its_head() -> None:
    assert await ours([bytes([b]) for b in JANUS_REPLY]) == ((200, BODY, True), False)
    assert await ours([JANUS_HEAD, JANUS_REPLY[len(JANUS_HEAD) :]]) == ((200, BODY, True), False)


@pytest.mark.anyio
async def test_a_trickled_answer_times_out() -> None:
    conn = _HTTPConnection(Scripted([JANUS_HEAD], eof=False), "janus.test", 1 << 20)
    with pytest.raises(ConnectionError, match="no complete answer"):
        await conn.request("POST", "/janus", b"{}", 0.05)


@pytest.mark.anyio
async def test_once_h11_reads_a_connection_it_reads_the_next_answers_too() -> None:
    odd = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nok\r\n0\r\n\r\n"
    stream = Scripted([odd, JANUS_REPLY])
    conn = _HTTPConnection(stream, "janus.test", 1 << 20)
    assert await conn.request("POST", "/janus", b"{}", 5.0) == (200, b"ok")
    assert conn._h11 is not None
    assert conn.reusable
    conn.next_cycle()
    assert await conn.request("POST", "/janus", b"{}", 5.0) == (200, BODY)
    assert conn.reusable


@pytest.mark.anyio
async def test_bytes_after_a_response_stay_for_h11_as_before() -> None:
    # h11 keeps them and reads them as the start of the next answer.
    stream = Scripted([JANUS_REPLY + b"HTTP/1.1 201 Created\r\n", b"Content-Length: 0\r\n\r\n"])
    conn = _HTTPConnection(stream, "janus.test", 1 << 20)
    assert await conn.request("POST", "/janus", b"{}", 5.0) == (200, BODY)
    conn.next_cycle()
    assert await conn.request("POST", "/janus", b"{}", 5.0) == (201, b"")


# -- differential: fast path against h11 ---------------------------------------------------

_PLAIN_LINES = [
    b"Date: Mon, 30 Nov 2026 11:53:42 GMT",
    b"Content-Type: application/json",
    b"Access-Control-Allow-Origin: *",
    b"Connection: close",
    b"Connection: keep-alive",
    b"connection:Upgrade, Close",
    b"X-Empty:",
    b"X-Spaces:  a  b \t",
    b"X-Obs: \x80\xff",
]
#: Each line makes the response something only h11 may judge.
_ODD_LINES = [
    b" folded continuation",
    b"Bad Name: x",
    b"X-Ctl: a\x01b",
    b"Transfer-Encoding: gzip",
    b"Content-Length: 3",
]


@st.composite
def responses(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    version = draw(st.sampled_from([b"HTTP/1.1"] * 9 + [b"HTTP/1.0"]))
    status = draw(st.sampled_from([200] * 6 + [404, 500, 201, 204, 304, 100]))
    reason = draw(st.sampled_from([b" OK", b"", b" ", b" Odd \x80 reason\t!"]))
    lines = draw(st.lists(st.sampled_from(_PLAIN_LINES), max_size=4))
    if draw(st.integers(0, 5)) == 0:
        lines.append(draw(st.sampled_from(_ODD_LINES)))
    body = draw(st.binary(max_size=80))
    framing = draw(st.sampled_from(["length", "chunked", "chunked", "chunked", "none"]))
    tail = b""
    if framing == "length":
        delta = draw(st.sampled_from([0] * 8 + [1, -1]))
        lines.append(b"Content-Length: %d" % max(0, len(body) + delta))
        tail = body
    elif framing == "chunked":
        lines.append(b"Transfer-Encoding: chunked")
        sizes = draw(st.lists(st.integers(1, 30), max_size=4))
        pos = 0
        for size in sizes:
            piece = body[pos : pos + size]
            pos += size
            if piece:
                hex_size = draw(st.sampled_from([b"%x", b"%X", b"%04x"])) % len(piece)
                ext = draw(st.sampled_from([b""] * 9 + [b";a=b"]))
                footer = draw(st.sampled_from([b"\r\n"] * 9 + [b"XY"]))
                tail += hex_size + ext + b"\r\n" + piece + footer
        tail += draw(st.sampled_from([b"0\r\n\r\n"] * 6 + [b"0\r\nX-Trailer: 1\r\n\r\n", b"0\r\n"]))
    lines = draw(st.permutations(lines))
    head = version + b" %d" % status + reason + b"\r\n" + b"".join(x + b"\r\n" for x in lines)
    extra = draw(st.sampled_from([b""] * 8 + [b"HTTP/1.1 200 OK\r\n", b"x"]))
    data = head + b"\r\n" + tail + extra
    cuts = draw(st.lists(st.integers(0, len(data)), max_size=3))
    return data, cuts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses(), st.sampled_from([1 << 20, 10]))
@example((JANUS_REPLY, []), 1 << 20)
@example((b"", []), 1 << 20)
@example((b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", []), 1 << 20)
@example((JANUS_HEAD + b"5\r\nhelloXY0\r\n\r\n", []), 1 << 20)
@example((JANUS_HEAD.replace(b"1.1", b"1.0") + b"2\r\nok\r\n0\r\n\r\n", []), 1 << 20)
@example((b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", [5]), 10)
def test_fast_path_reads_responses_as_h11_does(response: tuple[bytes, list[int]], cap: int) -> None:
    data, cuts = response

    async def check() -> None:
        (got, _used_h11) = await ours(split(data, cuts), cap)
        assert got == reference(data, cap)

    anyio.run(check)


@pytest.mark.anyio
@pytest.mark.parametrize("chunk", [1000, 65536])
async def test_a_head_over_64_kib_is_refused_as_h11_refuses_it(chunk: int) -> None:
    head = b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000
    pieces = [head[i : i + chunk] for i in range(0, len(head), chunk)]
    assert reference(head) == "error"
    assert await ours(pieces) == ("error", True)


@pytest.mark.anyio
async def test_a_body_of_many_chunks_goes_to_h11() -> None:
    body = b"1\r\na\r\n" * 100 + b"0\r\n\r\n"
    assert _dechunk(bytearray(body), 0, 1 << 20) is False
    few = b"1\r\na\r\n" * 60 + b"0\r\n\r\n"
    assert _dechunk(bytearray(few), 0, 1 << 20) == (b"a" * 60, len(few))
    reply = JANUS_HEAD + body
    assert await ours([reply]) == ((200, b"a" * 100, True), True)
    assert reference(reply) == (200, b"a" * 100, True)
