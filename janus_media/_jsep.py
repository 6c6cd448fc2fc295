"""JSEP and SDP helpers: pure functions, no I/O.

A JSEP is what goes in a Janus message beside the body: ``{"type": "offer" | "answer",
"sdp": "...", "trickle": bool}``. These helpers read the few SDP facts the media layer
needs (m-line ``mid``\\s, BUNDLE groups, ``a=candidate`` lines) without a full SDP parser.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

import janus_proto as jp

__all__ = [
    "media_directions",
    "Jsep",
    "make_jsep",
    "parse_jsep",
    "media_ids",
    "bundle_groups",
    "sdp_candidates",
    "local_candidates",
    "strip_candidates",
    "candidate_address",
    "in_network",
]

#: A JSEP as Janus sends and takes it.
Jsep = dict[str, Any]

_TYPES = ("offer", "answer")


def make_jsep(kind: str, sdp: str, *, trickle: bool = False) -> Jsep:
    """A JSEP of ``kind`` (``"offer"`` or ``"answer"``).

    ``trickle=False`` tells Janus that every candidate is in the SDP already (none will be
    trickled), so it need not wait for any.

    Raises:
        ValueError: ``kind`` is neither offer nor answer.
    """
    if kind not in _TYPES:
        raise ValueError(f"a JSEP is an offer or an answer, not {kind!r}")
    return {"type": kind, "sdp": sdp, "trickle": trickle}


def parse_jsep(jsep: Mapping[str, Any] | None, *, expect: str | None = None) -> tuple[str, str]:
    """``(type, sdp)`` of a JSEP from Janus.

    Raises:
        ValueError: no JSEP, an unknown type, no SDP, or not the ``expect``\\ ed type.
        TypeError: ``jsep`` is not a mapping.
    """
    if jsep is None:
        raise ValueError(f"expected a JSEP {expect or 'offer or answer'}, got none")
    if not isinstance(jsep, Mapping):
        raise TypeError(f"a JSEP is a mapping, got {type(jsep).__name__}")
    kind = jsep.get("type")
    sdp = jsep.get("sdp")
    if kind not in _TYPES:
        raise ValueError(f"a JSEP is an offer or an answer, not {kind!r}")
    if expect is not None and kind != expect:
        raise ValueError(f"expected a JSEP {expect}, got an {kind}")
    if not isinstance(sdp, str) or not sdp.strip():
        raise ValueError(f"the JSEP {kind} has no SDP")
    return kind, sdp


def _lines(sdp: str) -> list[str]:
    return [line.rstrip("\r") for line in sdp.split("\n")]


def media_ids(sdp: str) -> list[str | None]:
    """The ``a=mid`` of each m-line, in order (None where an m-line has none)."""
    mids: list[str | None] = []
    for line in _lines(sdp):
        if line.startswith("m="):
            mids.append(None)
        elif line.startswith("a=mid:") and mids and mids[-1] is None:
            mids[-1] = line[len("a=mid:") :].strip()
    return mids


_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


def media_directions(sdp: str) -> dict[str, str]:
    """The direction of each m-line that has a mid, by mid: ``sendrecv``, ``sendonly``,
    ``recvonly`` or ``inactive`` (the session-level one, else ``sendrecv``, where an
    m-line has none; ``inactive`` for a rejected m-line, port 0)."""
    session = "sendrecv"
    out: dict[str, str] = {}
    mid: str | None = None
    direction: str | None = None
    rejected = False
    in_media = False

    def flush() -> None:
        if in_media and mid is not None:
            out[mid] = "inactive" if rejected else (direction or session)

    for line in _lines(sdp):
        if line.startswith("m="):
            flush()
            in_media, mid, direction = True, None, None
            bits = line[2:].split()
            rejected = len(bits) > 1 and bits[1] == "0"
        elif line.startswith("a=mid:") and in_media:
            mid = line[len("a=mid:") :].strip()
        elif line[2:] in _DIRECTIONS and line.startswith("a="):
            if in_media:
                direction = line[2:]
            else:
                session = line[2:]
    flush()
    return out


def bundle_groups(sdp: str) -> list[list[str]]:
    """The ``a=group:BUNDLE`` groups of the session (each a list of mids, first is the
    transport that carries the group)."""
    groups: list[list[str]] = []
    for line in _lines(sdp):
        if line.startswith("m="):
            break  # session-level attributes only
        if line.startswith("a=group:BUNDLE"):
            groups.append(line[len("a=group:BUNDLE") :].split())
    return groups


def sdp_candidates(sdp: str) -> list[str]:
    """The ``a=candidate:`` values of the SDP (without ``a=``), in order."""
    return [line[2:] for line in _lines(sdp) if line.startswith("a=candidate:")]


def local_candidates(sdp: str) -> list[jp.Candidate]:
    """The candidates in an SDP as :class:`janus_proto.Candidate`\\ s to trickle (each
    with its m-line's ``mid`` and index)."""
    out: list[jp.Candidate] = []
    index = -1
    mid: str | None = None
    pending: list[str] = []

    def flush() -> None:
        for text in pending:
            out.append(jp.Candidate(candidate=text, sdp_mid=mid, sdp_mline_index=index))
        pending.clear()

    for line in _lines(sdp):
        if line.startswith("m="):
            flush()
            index += 1
            mid = None
        elif index >= 0 and line.startswith("a=mid:"):
            mid = line[len("a=mid:") :].strip()
        elif index >= 0 and line.startswith("a=candidate:"):
            pending.append(line[2:])
    flush()
    return out


def strip_candidates(sdp: str) -> str:
    """``sdp`` without its ``a=candidate`` and ``a=end-of-candidates`` lines (to trickle
    them instead)."""
    lines = [
        line
        for line in _lines(sdp)
        if line and not line.startswith(("a=candidate:", "a=end-of-candidates"))
    ]
    return "\r\n".join(lines) + "\r\n"


def candidate_address(candidate: str) -> str:
    """The connection address of a candidate (``candidate:...`` with or without ``a=``).

    Raises:
        ValueError: the text is not a candidate.
    """
    text = candidate.strip()
    if text.startswith("a="):
        text = text[2:]
    if text.startswith("candidate:"):
        text = text[len("candidate:") :]
    bits = text.split()
    if len(bits) < 8 or bits[6] != "typ":
        raise ValueError(f"not an ICE candidate: {candidate!r}")
    return bits[4]


def in_network(candidate: str, network: str) -> bool:
    """Whether the candidate's address is an IP address inside ``network`` (CIDR); a
    host name (mDNS ``.local``) is not.

    Raises:
        ValueError: the text is not a candidate, or ``network`` is not a network.
    """
    net = ipaddress.ip_network(network)
    text = candidate_address(candidate)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return address in net
