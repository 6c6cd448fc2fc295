"""Real SDP from aiortc for signalling tests, with every ICE candidate removed.

The offers and answers are aiortc's own (codecs, DTLS fingerprints, m-lines), made in a
worker thread with its own asyncio loop so that trio tests can use them too. Candidates are
stripped so Janus never starts connectivity checks: these tests exchange signalling only
and no packet goes anywhere (real media is tested in a network namespace, see
../shared/media-testing.md).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import anyio.to_thread
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

__all__ = ["answer_for", "offer"]


def _strip(sdp: str) -> str:
    """``sdp`` without candidates, with no address or port in its m= and c= lines."""
    lines: list[str] = []
    for line in sdp.splitlines():
        if line.startswith(("a=candidate:", "a=end-of-candidates")):
            continue
        if line.startswith("c=IN IP4 "):
            line = "c=IN IP4 0.0.0.0"
        elif line.startswith("m="):
            kind, _port, rest = line.split(" ", 2)
            line = f"{kind} 9 {rest}"
        lines.append(line)
    return "\r\n".join(lines) + "\r\n"


async def _offer(audio: bool, video: bool, data: bool) -> str:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        if audio:
            pc.addTransceiver("audio", direction="sendrecv")
        if video:
            pc.addTransceiver("video", direction="sendrecv")
        if data:
            pc.createDataChannel("janus")
        await pc.setLocalDescription(await pc.createOffer())
        return _strip(pc.localDescription.sdp)
    finally:
        await pc.close()


async def _answer(offer_sdp: str) -> str:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return _strip(pc.localDescription.sdp)
    finally:
        await pc.close()


@functools.cache
def _offer_sync(audio: bool, video: bool, data: bool) -> str:
    return asyncio.run(_offer(audio, video, data))


def _answer_sync(offer_sdp: str) -> str:
    return asyncio.run(_answer(offer_sdp))


async def offer(*, audio: bool = True, video: bool = True, data: bool = False) -> dict[str, Any]:
    """A JSEP offer from aiortc (cached per shape)."""
    sdp = await anyio.to_thread.run_sync(_offer_sync, audio, video, data)
    return {"type": "offer", "sdp": sdp}


async def answer_for(jsep: Any) -> dict[str, Any]:
    """aiortc's JSEP answer to an offer Janus sent."""
    if jsep is None or jsep.get("type") != "offer":
        raise ValueError(f"expected a JSEP offer from Janus, got {jsep!r}")
    sdp = await anyio.to_thread.run_sync(_answer_sync, jsep["sdp"])
    return {"type": "answer", "sdp": sdp}
