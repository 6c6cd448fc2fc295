"""The aioice STUN-parser bug janus_media contains (janus_media/_stun.py), without Janus.

An SRTP packet whose sequence number equals its length minus 20 passes aioice's STUN
header check; its next bytes read as a known attribute of the wrong length, and
``struct.error`` escaped aioice's ``datagram_received`` into the event loop (seen in the
media suite as a test failing with ``struct.error`` from aioice/stun.py).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any, cast

import aioice.ice
import pytest
from aioice import Candidate, stun
from aioice.ice import StunProtocol

import janus_anyio as ja
from janus_anyio.plugins import EchoTestHandle
from janus_media import PeerConnection
from janus_media._stun import _ice_protocols, contain_stun_errors, guard_protocol

from .test_peer_unit import ScriptedHandle

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def rtp_looking_like_stun(length: int = 120) -> bytes:
    """An RTP packet (version 2, a header extension, Opus's payload type 111) whose
    sequence number is ``length - 20`` and whose bytes 20-23 read as a STUN LIFETIME
    attribute 2 bytes long (LIFETIME is 4)."""
    header = struct.pack("!BBHII", 0x90, 111, length - 20, 123_456, 0x1234_5678)
    extension = struct.pack("!HH", 0xBEDE, 2) + bytes([0x10, 0xAA, 0, 0]) + b"\x00\x0d\x00\x02"
    packet = header + extension
    return packet + bytes(range(length - len(packet)))


class Receiver:
    """What a StunProtocol calls on its aioice Connection (recorded)."""

    def __init__(self) -> None:
        self.data: list[tuple[bytes, int]] = []
        self.requests: list[stun.Message] = []
        self.fail_requests_with: Exception | None = None

    def data_received(self, data: bytes, component: int) -> None:
        self.data.append((data, component))

    def request_received(self, message: stun.Message, addr: Any, protocol: Any) -> None:
        if self.fail_requests_with is not None:
            raise self.fail_requests_with
        self.requests.append(message)


def protocol_for(receiver: Receiver) -> StunProtocol:
    protocol = StunProtocol(cast(Any, receiver))
    protocol.local_candidate = Candidate(
        foundation="1",
        component=1,
        transport="udp",
        priority=1,
        host="127.0.0.2",
        port=9,
        type="host",
    )
    return protocol


def binding_request() -> bytes:
    message = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
    return bytes(message)


async def test_the_aioice_bug_is_real() -> None:
    """aioice's parser raises struct.error, not ValueError, on such a packet, and an
    unguarded protocol lets it escape. (If this fails, aioice fixed its parser and
    janus_media._stun can go.)"""
    packet = rtp_looking_like_stun()
    with pytest.raises(struct.error):
        stun.parse_message(packet)
    receiver = Receiver()
    with pytest.raises(struct.error):
        protocol_for(receiver).datagram_received(packet, ("127.0.0.2", 5000))
    assert receiver.data == []  # the packet was lost


async def test_a_guarded_protocol_hands_such_a_packet_on_as_media() -> None:
    receiver = Receiver()
    protocol = protocol_for(receiver)
    assert guard_protocol(protocol) is True
    assert guard_protocol(protocol) is False  # once only
    packet = rtp_looking_like_stun()
    protocol.datagram_received(packet, ("127.0.0.2", 5000))
    assert receiver.data == [(packet, 1)]
    # everything else as before: media is media, STUN is STUN
    plain_rtp = struct.pack("!BBHII", 0x80, 111, 7, 1, 2) + bytes(100)
    protocol.datagram_received(plain_rtp, ("127.0.0.2", 5000))
    assert receiver.data[-1] == (plain_rtp, 1)
    protocol.datagram_received(binding_request(), ("127.0.0.2", 5000))
    assert [m.message_method for m in receiver.requests] == [stun.Method.BINDING]
    assert len(receiver.data) == 2


async def test_other_struct_errors_still_propagate() -> None:
    """Only the parser's struct.error is contained: one raised after a datagram parsed as
    STUN is not ours to hide."""
    receiver = Receiver()
    receiver.fail_requests_with = struct.error("from elsewhere")
    protocol = protocol_for(receiver)
    guard_protocol(protocol)
    with pytest.raises(struct.error, match="from elsewhere"):
        protocol.datagram_received(binding_request(), ("127.0.0.2", 5000))
    assert receiver.data == []


async def test_a_peer_connection_guards_its_ice_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the offer (ICE gathered), every socket of the PeerConnection is guarded: the
    packet sent to it over UDP reaches aioice's connection as media and nothing escapes
    into the loop (anyio's test runner would re-raise it here)."""
    # Gather on 127.0.0.1 only (aioice skips it by default): no other interface needed,
    # and the packet below never leaves loopback.
    monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: ["127.0.0.1"])
    pc = PeerConnection(EchoTestHandle(cast(ja.Handle, ScriptedHandle())))
    try:
        pc.add_transceiver("audio")
        await pc.create_offer()
        protocols = _ice_protocols(pc.raw)
        assert protocols, "aiortc's ICE sockets were not found (did aiortc's internals change?)"
        assert contain_stun_errors(pc.raw) == 0  # create_offer guarded them all already
        protocol = protocols[0]
        connection = protocol.receiver
        got: asyncio.Queue[bytes] = asyncio.Queue()
        connection.data_received = lambda data, component: got.put_nowait(data)  # type: ignore[method-assign]
        host, port = protocol.transport.get_extra_info("sockname")[:2]
        assert host == "127.0.0.1"
        packet = rtp_looking_like_stun()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(packet, (host, port))
        assert await asyncio.wait_for(got.get(), 5) == packet
    finally:
        await pc.close()
