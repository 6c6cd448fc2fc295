"""Trickled ICE candidates from Janus, made fit for aiortc: pure functions, no I/O.

Janus trickles ``{"candidate": "candidate:...", "sdpMid": "0", "sdpMLineIndex": 0}``, then
``{"completed": true}``. ``sdpMid`` can be missing: the m-line index names the m-line then.
aiortc ignores a candidate aimed at an m-line bundled onto another one's transport, so the
candidate is re-aimed at the m-line that carries the BUNDLE group.
"""

from __future__ import annotations

from aiortc import RTCIceCandidate

import janus_proto as jp

from ._jsep import bundle_groups, media_ids

__all__ = ["parse_candidate", "resolve_target", "to_rtc_candidate"]


def parse_candidate(text: str) -> RTCIceCandidate:
    """A candidate attribute (``candidate:...``; ``a=`` optional) as aiortc's type.

    Raises:
        ValueError: the text is not a well-formed candidate.
    """
    body = text.strip()
    if body.startswith("a="):
        body = body[2:]
    if body.startswith("candidate:"):
        body = body[len("candidate:") :]
    bits = body.split()
    if len(bits) < 8 or bits[6] != "typ":
        raise ValueError(f"not an ICE candidate: {text!r}")
    try:
        component, priority, port = int(bits[1]), int(bits[3]), int(bits[5])
    except ValueError:
        raise ValueError(f"not an ICE candidate (a number is not one): {text!r}") from None
    candidate = RTCIceCandidate(
        component=component,
        foundation=bits[0],
        ip=bits[4],
        port=port,
        priority=priority,
        protocol=bits[2].lower(),
        type=bits[7],
    )
    extras = bits[8:]
    for key, value in zip(extras[::2], extras[1::2], strict=False):
        if key == "raddr":
            candidate.relatedAddress = value
        elif key == "rport" and value.isdigit():
            candidate.relatedPort = int(value)
        elif key == "tcptype":
            candidate.tcpType = value
    return candidate


def resolve_target(
    sdp_mid: str | None, sdp_mline_index: int | None, remote_sdp: str
) -> tuple[str, int]:
    """The ``(mid, m-line index)`` a trickled candidate belongs to in ``remote_sdp``.

    ``sdp_mid`` wins when the SDP has it; otherwise ``sdp_mline_index`` names the m-line.
    An m-line bundled onto another one gives way to the group's first m-line.

    Raises:
        ValueError: neither names an m-line of ``remote_sdp`` that has a mid.
    """
    mids = media_ids(remote_sdp)
    mid: str | None = None
    if sdp_mid is not None and sdp_mid in mids:
        mid = sdp_mid
    elif sdp_mline_index is not None and 0 <= sdp_mline_index < len(mids):
        mid = mids[sdp_mline_index]
    if mid is None:
        raise ValueError(
            f"the candidate names no m-line of the remote SDP "
            f"(sdpMid={sdp_mid!r}, sdpMLineIndex={sdp_mline_index!r}, mids={mids!r})"
        )
    for group in bundle_groups(remote_sdp):
        if mid in group and group[0] in mids:
            mid = group[0]
            break
    return mid, mids.index(mid)


def to_rtc_candidate(candidate: jp.Candidate, remote_sdp: str) -> RTCIceCandidate:
    """A candidate Janus trickled, parsed and aimed at its m-line of ``remote_sdp``.

    Raises:
        ValueError: malformed, or for no m-line of ``remote_sdp``.
    """
    rtc = parse_candidate(candidate.candidate)
    rtc.sdpMid, rtc.sdpMLineIndex = resolve_target(
        candidate.sdp_mid, candidate.sdp_mline_index, remote_sdp
    )
    return rtc
