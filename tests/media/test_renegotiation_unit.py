"""Janus-initiated renegotiation, media directions, ``wait_media``, ``open_textroom`` and
stamp ranges, without a network (a scripted handle feeds the event reader)."""

from __future__ import annotations

from typing import Any, cast

import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import EchoTestHandle, StreamingHandle, TextRoomHandle, VideoRoomSubscriber
from janus_media import (
    NegotiationFailed,
    PeerConnection,
    PeerConnectionClosed,
    StampedVideoTrack,
    media_directions,
    open_textroom,
    read_stamp,
    watch_streaming_data,
)
from janus_proto.plugins import streaming as st
from janus_proto.plugins import textroom as tr
from janus_proto.plugins import videoroom as vr

from .test_peer_unit import HID, SID, ScriptedHandle, core, make

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


SDP = "\r\n".join(
    [
        "v=0",
        "o=- 1 1 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=recvonly",
        "a=group:BUNDLE 0 1 2",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "a=mid:0",
        "a=sendonly",
        "m=video 9 UDP/TLS/RTP/SAVPF 96",
        "a=mid:1",
        "m=video 0 UDP/TLS/RTP/SAVPF 96",
        "a=mid:2",
        "a=sendrecv",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "a=inactive",
        "",
    ]
)


def test_media_directions() -> None:
    # per m-line; else the session's; a rejected (port 0) m-line is inactive; no mid: left out
    assert media_directions(SDP) == {"0": "sendonly", "1": "recvonly", "2": "inactive"}
    assert media_directions("v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:a\r\n") == {"a": "sendrecv"}
    assert media_directions("v=0\r\n") == {}


async def test_stamped_track_start() -> None:
    track = StampedVideoTrack(start=500_000)
    frame = await track.recv()
    assert read_stamp(frame) == 500_000
    assert list(track.sent) == [500_000]
    assert track.start == 500_000
    track.stop()
    for bad in (-1, 1 << 20, True, 1.5):
        with pytest.raises(ValueError, match="start"):
            StampedVideoTrack(start=bad)  # type: ignore[arg-type]


def subscriber() -> tuple[ScriptedHandle, PeerConnection]:
    raw = ScriptedHandle()
    raw.plugin = vr.PLUGIN
    return raw, PeerConnection(VideoRoomSubscriber(cast(ja.Handle, raw)))


def vr_event(data: dict[str, Any], jsep: dict[str, Any] | None = None) -> jp.PluginEvent:
    return jp.PluginEvent(session_id=SID, handle_id=HID, plugin=vr.PLUGIN, data=data, jsep=jsep)


async def janus_offer(*kinds: str) -> tuple[PeerConnection, dict[str, Any]]:
    """A PeerConnection playing Janus: an offer sending ``kinds`` (no candidates)."""
    _, janus = make(trickle=True)
    for kind in kinds:
        janus.add_transceiver(kind, direction="sendonly")
    return janus, await janus.create_offer()


async def test_renegotiate_with_the_offer_of_the_reply_or_of_a_later_event() -> None:
    raw, pc = subscriber()
    janus, offer = await janus_offer("video")
    answers: list[dict[str, Any]] = []

    async def start(jsep: dict[str, Any]) -> vr.Started:
        answers.append(jsep)
        return vr.Started.parse({"videoroom": "event", "started": "ok"})

    try:
        # the offer on the reply
        updated = vr.Updated.parse({"videoroom": "updated", "room": 1}, offer)
        started = await pc.renegotiate(updated, start, timeout=5)
        assert isinstance(started, vr.Started)
        assert answers[-1]["type"] == "answer"
        assert pc.remote_directions == {"0": "sendonly"}
        assert pc.active_mids == ("0",)
        # "updating": the offer comes in a later "updated" event; other events stay queued
        janus.add_transceiver("audio", direction="sendonly")
        offer2 = await janus.create_offer()
        raw.push(
            core(jp.WebRTCUp),
            vr_event({"videoroom": "updated", "room": 1, "streams": []}, offer2),
        )
        updating = vr.Updating.parse({"videoroom": "updating", "room": 1})
        assert await pc.renegotiate(updating, start, timeout=5) is not None
        assert len(answers) == 2
        assert set(pc.remote_directions) == {"0", "1"}
        assert isinstance(await pc.next_event(timeout=1), jp.WebRTCUp)
        # nothing offered: nothing to do
        same = vr.Updated.parse({"videoroom": "updated", "room": 1})
        assert await pc.renegotiate(same, start) is None
        # an answer where an offer belongs
        wrong = vr.Updated.parse({"videoroom": "updated", "room": 1}, answers[-1])
        with pytest.raises(ValueError, match="expected a JSEP offer"):
            await pc.renegotiate(wrong, start)
        with pytest.raises(TimeoutError):
            await pc.renegotiate(updating, start, timeout=0.05)
        assert len(answers) == 2
    finally:
        await pc.close()
        await janus.close()


async def test_wait_offer_skips_and_keeps_other_events() -> None:
    raw, pc = subscriber()
    janus, offer = await janus_offer("video")
    raw.push(
        vr_event({"videoroom": "event", "room": 1, "started": "ok"}),
        vr_event({"videoroom": "updated", "room": 1}, offer),
    )
    try:
        found = await pc.wait_offer(timeout=1)
        assert isinstance(found, vr.Updated)
        assert found.jsep == offer
        assert isinstance(await pc.next_event(timeout=1), vr.Started)
    finally:
        await pc.close()
        await janus.close()


async def test_wait_media() -> None:
    raw, pc = make()
    raw.push(
        core(jp.MediaChanged, type="audio", receiving=True),
        core(jp.MediaChanged, type="video", receiving=True, mid="1"),
    )
    assert await pc.wait_media("1", timeout=1) == "1"
    assert await pc.wait_media(timeout=1) in ("audio", "1")
    with pytest.raises(TimeoutError):
        await pc.wait_media("1", receiving=False, timeout=0.05)
    raw.push(core(jp.MediaChanged, type="video", receiving=False, mid="1"))
    assert await pc.wait_media("1", receiving=False, timeout=1) == "1"
    raw.push(ja.HandleClosed("detached"))
    with pytest.raises(PeerConnectionClosed, match="ended"):
        await pc.wait_media("2", timeout=1)
    await pc.close()
    with pytest.raises(PeerConnectionClosed):
        await pc.wait_media("2", timeout=1)


async def test_open_textroom_wants_a_textroom_handle() -> None:
    _, pc = make()
    with pytest.raises(TypeError, match="TextRoomHandle"):
        await open_textroom(pc)
    await pc.close()
    assert isinstance(pc.handle, EchoTestHandle)


class ScriptedOffering(ScriptedHandle):
    """A plugin handle's transport that records what is sent: the ``OFFER_ON`` request is
    answered with ``offer`` (None: no JSEP), every request with :meth:`data`."""

    OFFER_ON = ""

    def __init__(self, offer: dict[str, Any] | None) -> None:
        super().__init__()
        self.offer = offer
        self.sent: list[tuple[dict[str, Any], dict[str, Any] | None]] = []

    def data(self, request: str) -> dict[str, Any]:
        raise NotImplementedError

    async def send(
        self,
        body: dict[str, Any],
        *,
        jsep: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> jp.PluginEvent:
        self.sent.append((body, jsep))
        request = body["request"]
        return jp.PluginEvent(
            session_id=SID,
            handle_id=HID,
            plugin=self.plugin,
            data=self.data(request),
            jsep=self.offer if request == self.OFFER_ON else None,
        )


class ScriptedTextRoom(ScriptedOffering):
    """TextRoom: ``setup`` answers with the offer, ``ack`` with ok."""

    plugin = tr.PLUGIN
    OFFER_ON = "setup"

    def data(self, request: str) -> dict[str, Any]:
        return {"textroom": "event", "result": "ok"}


async def test_open_textroom_answers_setup_with_our_channel() -> None:
    _, janus = make(trickle=True)
    janus.create_data_channel("janus-side")
    offer = await janus.create_offer()
    raw = ScriptedTextRoom(offer)
    pc = PeerConnection(TextRoomHandle(cast(ja.Handle, raw)), trickle=True)
    try:
        with pytest.raises(TimeoutError):  # (nobody connects: the channel never opens)
            await open_textroom(pc, timeout=0.2)
        assert [body["request"] for body, _ in raw.sent] == ["setup", "ack"]
        answer = raw.sent[1][1]
        assert answer is not None
        assert answer["type"] == "answer"
        assert "m=application" in answer["sdp"]
        assert raw.trickled[-1][1] is True  # trickle: our candidates, then "completed"
        no_offer = PeerConnection(TextRoomHandle(cast(ja.Handle, ScriptedTextRoom(None))))
        with pytest.raises(NegotiationFailed, match="no offer"):
            await open_textroom(no_offer)
        await no_offer.close()
    finally:
        await pc.close()
        await janus.close()


class ScriptedStreaming(ScriptedOffering):
    """Streaming: ``watch`` answers ``preparing`` with the offer, ``start`` ``starting``."""

    plugin = st.PLUGIN
    OFFER_ON = "watch"

    def data(self, request: str) -> dict[str, Any]:
        status = "preparing" if request == "watch" else "starting"
        return {"streaming": "event", "result": {"status": status}}


async def test_watch_streaming_data_answers_with_our_channel() -> None:
    _, janus = make(trickle=True)
    janus.create_data_channel("janus-side")
    offer = await janus.create_offer()
    raw = ScriptedStreaming(offer)
    pc = PeerConnection(StreamingHandle(cast(ja.Handle, raw)), trickle=True)
    try:
        with pytest.raises(TimeoutError):  # (nobody connects: the channel never opens)
            await watch_streaming_data(pc, 7, timeout=0.2, pin="1234")
        assert [body["request"] for body, _ in raw.sent] == ["watch", "start"]
        assert raw.sent[0][0]["id"] == 7
        assert raw.sent[0][0]["pin"] == "1234"
        answer = raw.sent[1][1]
        assert answer is not None
        assert answer["type"] == "answer"
        assert "m=application" in answer["sdp"]
        assert raw.trickled[-1][1] is True  # trickle: our candidates, then "completed"
    finally:
        await pc.close()
        await janus.close()


async def test_watch_streaming_data_refuses_what_cannot_carry_data() -> None:
    _, pc = make()
    with pytest.raises(TypeError, match="StreamingHandle"):
        await watch_streaming_data(pc, 1)
    await pc.close()
    no_offer = PeerConnection(StreamingHandle(cast(ja.Handle, ScriptedStreaming(None))))
    with pytest.raises(NegotiationFailed, match="no offer"):
        await watch_streaming_data(no_offer, 1)
    await no_offer.close()
    _, janus = make()
    janus.add_track(StampedVideoTrack())
    video_only = await janus.create_offer()
    no_data = PeerConnection(StreamingHandle(cast(ja.Handle, ScriptedStreaming(video_only))))
    with pytest.raises(NegotiationFailed, match="no data stream"):
        await watch_streaming_data(no_data, 1)
    await no_data.close()
    await janus.close()
