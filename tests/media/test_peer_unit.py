"""PeerConnection without a network: a scripted handle feeds its event reader."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, cast

import pytest
from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import EchoTestHandle
from janus_media import (
    NegotiationFailed,
    PeerConnection,
    PeerConnectionClosed,
    default_configuration,
)
from janus_proto.plugins import echotest

pytestmark = pytest.mark.anyio

SID, HID = 1, 7


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class ScriptedHandle:
    """Just enough of janus_anyio.Handle: events pushed by the test, requests recorded."""

    plugin = echotest.PLUGIN
    id = HID

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[jp.HandleEvent | Exception] = asyncio.Queue()
        self.closed = False
        self.hangups = 0
        self.trickled: list[tuple[Sequence[jp.Candidate], bool]] = []

    def push(self, *events: jp.HandleEvent | Exception) -> None:
        for event in events:
            self.inbox.put_nowait(event)

    async def next_event(self, *, timeout: float | None = None) -> jp.HandleEvent:
        item = await asyncio.wait_for(self.inbox.get(), timeout)
        if isinstance(item, Exception):
            raise item
        return item

    async def hangup(self, *, timeout: float | None = None) -> None:
        self.hangups += 1

    async def trickle(
        self,
        candidates: Sequence[jp.Candidate] = (),
        *,
        completed: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.trickled.append((candidates, completed))


def plugin_event(data: dict[str, Any], jsep: dict[str, Any] | None = None) -> jp.PluginEvent:
    return jp.PluginEvent(
        session_id=SID, handle_id=HID, plugin=echotest.PLUGIN, data=data, jsep=jsep
    )


def core(cls: type[jp.HandleEvent], **fields: Any) -> jp.HandleEvent:
    return cls(session_id=SID, handle_id=HID, **fields)


def make(**kwargs: Any) -> tuple[ScriptedHandle, PeerConnection]:
    raw = ScriptedHandle()
    return raw, PeerConnection(EchoTestHandle(cast(ja.Handle, raw)), **kwargs)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_no_ice_server_unless_given() -> None:
    config = default_configuration()
    assert config.iceServers == []
    assert config.bundlePolicy is RTCBundlePolicy.MAX_BUNDLE
    _, pc = make()
    assert pc.configuration.iceServers == []
    _, pc2 = make(configuration=RTCConfiguration())  # aiortc: None means Google's STUN
    assert pc2.configuration.iceServers == []
    mine = [RTCIceServer(urls="stun:stun.example.org")]
    _, pc3 = make(configuration=RTCConfiguration(iceServers=mine))
    assert pc3.configuration.iceServers == mine
    for p in (pc, pc2, pc3):
        await p.close()


async def test_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="PluginHandle"):
        PeerConnection(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="RTCConfiguration"):
        make(configuration={"iceServers": []})
    with pytest.raises(TypeError, match="event_buffer"):
        make(event_buffer=True)
    with pytest.raises(ValueError, match="event_buffer"):
        make(event_buffer=0)
    _, pc = make()
    with pytest.raises(ValueError, match="kind"):
        pc.add_transceiver("text")
    with pytest.raises(TypeError, match="MediaStreamTrack"):
        pc.add_track("video")  # type: ignore[arg-type]
    await pc.close()


def test_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError):
        PeerConnection(EchoTestHandle(cast(ja.Handle, ScriptedHandle())))


async def test_events_in_order_trickles_kept_back_states_noted() -> None:
    raw, pc = make()
    cand = jp.Candidate(candidate="candidate:1 1 udp 5 127.0.0.2 4000 typ host", sdp_mid="0")
    raw.push(
        core(jp.TrickleReceived, candidate=cand),
        plugin_event({"echotest": "event", "result": "ok"}),
        core(jp.WebRTCUp),
        core(jp.MediaChanged, type="video", receiving=True, mid="1"),
        core(jp.MediaChanged, type="audio", receiving=False),
        core(jp.TrickleReceived, completed=True),
    )
    await pc.wait_webrtcup(timeout=1)  # (returns once webrtc_up is set)
    first = await pc.next_event(timeout=1)
    assert isinstance(first, echotest.Result)
    # expect() takes the match only; what it skipped stays queued, in order.
    media = await pc.expect(jp.MediaChanged, timeout=1)
    assert media.mid == "1"
    assert isinstance(await pc.next_event(timeout=1), jp.WebRTCUp)
    assert isinstance(await pc.next_event(timeout=1), jp.MediaChanged)
    with pytest.raises(TimeoutError):
        await pc.next_event(timeout=0.05)  # the trickles were never queued
    assert pc.media_receiving == {"1": True, "audio": False}
    assert pc.remote_candidates == ()  # held until Janus's SDP is applied
    assert pc._pending == [cand, None]
    raw.push(core(jp.HungUp, reason="ICE failed"))
    hung = await pc.expect(lambda e: isinstance(e, jp.HungUp), timeout=1)
    assert hung == pc.hung_up
    assert not pc.webrtc_up
    with pytest.raises(NegotiationFailed, match="hung up"):
        await pc.wait_webrtcup(timeout=1)
    await pc.close()
    assert raw.hangups == 0  # nothing was negotiated: nothing to hang up


async def test_overflow_fails_the_stream_after_the_buffered_events() -> None:
    raw, pc = make(event_buffer=2)
    raw.push(*(core(jp.SlowLink, media="video", uplink=True, lost=i) for i in range(4)))
    await settle()
    assert [(await pc.next_event()).lost for _ in range(2)] == [0, 1]  # type: ignore[union-attr]
    with pytest.raises(ja.EventOverflow):
        await pc.next_event(timeout=1)
    await pc.close()


async def test_handle_closing_ends_the_stream() -> None:
    raw, pc = make()
    raw.push(core(jp.WebRTCUp), ja.HandleClosed("detached"))
    seen = [event async for event in pc.events()]
    assert len(seen) == 1
    with pytest.raises(ja.HandleClosed):
        await pc.next_event(timeout=1)
    with pytest.raises(ja.HandleClosed):
        await pc.expect(jp.HungUp, timeout=1)
    await pc.close()


async def test_after_close_events_come_from_the_handle() -> None:
    raw, pc = make()
    raw.push(core(jp.WebRTCUp))
    await settle()
    await pc.close()
    await pc.close()  # idempotent
    assert pc.closed
    raw.push(plugin_event({"echotest": "event", "result": "done"}), core(jp.HungUp))
    assert isinstance(await pc.expect(jp.HungUp, timeout=1), jp.HungUp)
    assert isinstance(await pc.next_event(timeout=1), jp.WebRTCUp)  # held before close
    assert isinstance(await pc.next_event(timeout=1), echotest.Done)
    with pytest.raises(PeerConnectionClosed):
        pc.create_data_channel()
    with pytest.raises(PeerConnectionClosed):
        await pc.create_offer()
    with pytest.raises(PeerConnectionClosed):
        await pc.wait_track("video", timeout=1)
    assert [t async for t in pc.tracks()] == []


async def test_offer_then_answer_in_an_event() -> None:
    """VideoCall-style: the answer to our offer comes in an event; the reader applies it.
    (aiortc is its own remote here; with ``trickle`` neither SDP has a candidate and
    nothing is trickled, so no connectivity check is ever sent.)"""
    raw, pc = make(trickle=True)
    answerer = PeerConnection(EchoTestHandle(cast(ja.Handle, ScriptedHandle())), trickle=True)
    pc.add_transceiver("video", direction="recvonly")
    try:
        offer = await pc.create_offer()
        assert offer["type"] == "offer"
        assert offer["trickle"] is True
        assert "a=candidate" not in offer["sdp"]
        with pytest.raises(TimeoutError):
            await pc.wait_answer(timeout=0.01)
        answer = await answerer.answer(offer)
        assert "a=candidate" not in answer["sdp"]
        raw.push(plugin_event({"echotest": "event", "result": "ok"}, answer))
        await pc.wait_answer(timeout=5)
        event = await pc.next_event(timeout=1)
        assert event.jsep == answer  # type: ignore[union-attr]
        await pc.apply_answer(answer)  # the same answer again: nothing happens
        assert pc.remote_description is not None
        assert pc.remote_description["sdp"] == answer["sdp"]
        await pc.wait_answer(timeout=0.01)  # none awaited: at once
        with pytest.raises(ValueError, match="expected a JSEP offer"):
            await pc.apply_offer(answer)
    finally:
        await pc.close()
        await answerer.close()
    assert raw.hangups == 1
