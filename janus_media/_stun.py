"""Containing an aioice bug: media packets that crash its STUN parser.

aioice (0.13, under aiortc 1.16) reads every datagram of an ICE socket with
``aioice.stun.parse_message`` and treats a ``ValueError`` as "not STUN, so media": the
packet goes on to DTLS/SRTP. But the parser also raises ``struct.error``, which is not a
``ValueError``, when a known attribute has an unexpected length (a 2-byte LIFETIME, say).

Media can get that far: an (S)RTP packet whose sequence number equals its length minus 20
passes the STUN length check (RTP's sequence number sits where STUN's message length
does), and its payload is then read as attributes. Janus numbered the streams it sent us
from near 0 (observed), so their first packets have sequence numbers in the range of packet
lengths: about ten packets per run of our media suite pass that check (measured); almost
all then fail as ``ValueError`` (as they should), the rare one whose payload reads as a
malformed numeric attribute raises ``struct.error``. That escapes aioice's
``datagram_received`` into the event loop: the packet is lost, the loop logs "Exception in
callback", and a test runner that re-raises such errors (anyio's pytest plugin does) fails
the test in progress. The connection itself goes on.

:func:`contain_stun_errors` wraps ``datagram_received`` of one connection's aioice
protocols: a datagram that makes ``parse_message`` raise ``struct.error`` is handed on as
media, as aioice does with every other datagram it cannot parse. Nothing else changes (any
other exception still propagates); other aiortc connections in the process are untouched.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable
from typing import Any

from aioice import stun
from aioice.ice import StunProtocol
from aiortc import RTCPeerConnection

__all__ = ["contain_stun_errors", "guard_protocol"]

logger = logging.getLogger(__name__)

_GUARDED = "_janus_media_stun_guard"


def _stun_parser_fails(data: bytes) -> bool:
    """Whether aioice's STUN parser raises ``struct.error`` (not ``ValueError``) on ``data``."""
    try:
        stun.parse_message(data)
    except struct.error:
        return True
    except ValueError:
        return False
    return False


def guard_protocol(protocol: StunProtocol) -> bool:
    """Wrap ``protocol.datagram_received`` (once): a datagram on which aioice's STUN
    parser raises ``struct.error`` goes to the connection as media, as aioice does with
    datagrams that are not STUN. Returns whether it was wrapped now (False: it was
    already)."""
    if getattr(protocol, _GUARDED, False):
        return False
    received: Callable[[Any, tuple[Any, ...]], None] = protocol.datagram_received

    def datagram_received(data: bytes | str, addr: tuple[Any, ...]) -> None:
        try:
            received(data, addr)
        except struct.error:
            if not isinstance(data, bytes) or not _stun_parser_fails(data):
                raise  # not the parser's bug: not ours to hide
            logger.debug(
                "aioice could not parse a %d-byte datagram from %s as STUN (struct.error): "
                "handled as media",
                len(data),
                addr,
            )
            protocol.receiver.data_received(data, protocol.local_candidate.component)

    protocol.datagram_received = datagram_received  # type: ignore[method-assign]
    setattr(protocol, _GUARDED, True)
    return True


def _ice_protocols(pc: RTCPeerConnection) -> list[StunProtocol]:
    """The aioice protocols (one per socket) of every ICE transport of ``pc``."""
    dtls = [t.receiver.transport for t in pc.getTransceivers()]
    sctp = pc.sctp
    if sctp is not None:
        dtls.append(sctp.transport)
    protocols: list[StunProtocol] = []
    seen: set[int] = set()
    for transport in dtls:
        # (aiortc keeps aioice's Connection private: RTCIceGatherer._connection)
        connection = getattr(transport.transport.iceGatherer, "_connection", None)
        if connection is None or id(connection) in seen:
            continue
        seen.add(id(connection))
        protocols.extend(
            p for p in getattr(connection, "_protocols", ()) if isinstance(p, StunProtocol)
        )
    return protocols


def contain_stun_errors(pc: RTCPeerConnection) -> int:
    """Guard (:func:`guard_protocol`) every ICE socket ``pc`` has gathered so far; call it
    after each ``setLocalDescription`` (which gathers). Returns how many were newly
    guarded."""
    return sum(guard_protocol(p) for p in _ice_protocols(pc))
