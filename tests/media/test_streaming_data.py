"""Streaming with audio and data: an RTP mountpoint made in the test with an Opus stream
(fed by a VideoRoom ``rtp_forward`` of a publisher sending a tone) and a data stream (fed
by plain UDP datagrams from the test). A viewer answers Janus's offer (audio and an
``m=application`` line) and hears the tone; each datagram arrives as one message, in
order, on the viewer's data channel.

What Janus 1.1.2 does with the data stream (measured):

- it opens no data channel of its own: the viewer must create one labelled
  ``"JanusDataChannel"`` between applying the offer and answering (as for TextRoom); with
  any other label, or none, nothing arrives;
- it relays a datagram only once that channel is up (earlier ones are dropped), so the
  test sends warm-up datagrams until one comes through;
- the messages come as binary (``bytes``), even with ``datatype: "text"`` on the
  mountpoint (a ``datatype`` inside a ``media`` entry is not even read: any value passes);
  the test takes text and binary alike.
"""

from __future__ import annotations

import anyio
import pytest
from anyio.abc import ConnectedUDPSocket

import janus_anyio as ja
from janus_anyio.plugins import StreamingHandle, VideoRoomPublisher
from janus_anyio.testing import JanusServer
from janus_media import DataChannel, PeerConnection, ToneAudioTrack, watch_streaming_data
from janus_proto.plugins import streaming
from janus_proto.plugins import videoroom as vr

from .conftest import Measured
from .flows import audio_samples, publishing, tone_power
from .helpers import assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]

RTP_HOST = "127.0.0.1"  # plain RTP/UDP into Janus: no ICE involved
OPUS_PT = 111
TONE = 600  # Hz
OTHER = 1500  # Hz: a frequency the tone does not have
LABEL = "JanusDataChannel"  # the only label the streaming plugin sends on
WARMUP = b"warm-up"
MESSAGES = [f"message {i:02d}: {'é' * (i % 3)}{'x' * i}".encode() for i in range(30)]


def as_bytes(message: str | bytes) -> bytes:
    return message.encode() if isinstance(message, str) else message


async def relaying(channel: DataChannel, udp: ConnectedUDPSocket) -> None:
    """Send warm-up datagrams until one comes out of ``channel``: Janus drops what comes
    before the viewer's data channel is up on its side (the deadline is the caller's)."""
    while True:
        await udp.send(WARMUP)
        with anyio.move_on_after(0.25):
            message = as_bytes(await channel.receive())
            assert message == WARMUP, message
            return


async def test_audio_and_data_mountpoint(janus_media: JanusServer, measured: Measured) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        vroom = await VideoRoomPublisher.attach(session)
        room = (await vroom.create(publishers=1)).room
        assert isinstance(room, int)
        admin = await StreamingHandle.attach(session)
        created = await admin.create(
            "rtp",
            name="audio+data",
            datatype="text",
            media=[
                streaming.RtpMedia(
                    type="audio", mid="a", port=0, pt=OPUS_PT, codec="opus", iface=RTP_HOST
                ),
                streaming.RtpMedia(type="data", mid="d", port=0, iface=RTP_HOST),
            ],
        )
        assert created.stream is not None
        mount = created.stream.id
        try:
            # both streams, each on a port of its own that Janus picked
            ports = {p.mid: p for p in created.stream.ports}
            assert {mid: p.type for mid, p in ports.items()} == {"a": "audio", "d": "data"}
            audio_port, data_port = ports["a"].port, ports["d"].port
            assert audio_port is not None
            assert data_port is not None
            assert audio_port != data_port
            info = await admin.info(mount)
            assert [(m.mindex, m.type, m.mid) for m in info.media] == [
                (0, "audio", "a"),
                (1, "data", "d"),
            ]
            audio_info, data_info = info.media
            assert audio_info.codec == "opus"
            assert audio_info.pt == OPUS_PT
            assert audio_info.port == audio_port
            assert data_info.port == data_port
            assert (audio_info.label, data_info.label) == ("audio", "data")  # Janus's defaults
            listed = next(m for m in await admin.list() if m.id == mount)
            assert [(m.type, m.mid) for m in listed.media] == [("audio", "a"), ("data", "d")]

            async with publishing(session, room, ToneAudioTrack(frequency=TONE)) as (
                publisher,
                pub_pc,
                joined,
            ):
                mid = next(
                    t.mid for t in pub_pc.transceivers if t.kind == "audio" and t.mid is not None
                )
                forwarded = await publisher.rtp_forward(
                    room,
                    joined.id,
                    RTP_HOST,
                    [vr.ForwardStream(mid=mid, port=audio_port, pt=OPUS_PT)],
                )
                assert [f.port for f in forwarded.forwarders] == [audio_port]

                viewer = await StreamingHandle.attach(session)
                async with (
                    PeerConnection(viewer) as pc,
                    await anyio.create_connected_udp_socket(RTP_HOST, data_port) as udp,
                ):
                    t0 = anyio.current_time()
                    # Janus opens no channel: watch_streaming_data opens ours, labelled as
                    # Janus wants, between the offer and the answer
                    starting, channel = await watch_streaming_data(pc, mount, timeout=20)
                    assert isinstance(starting, streaming.Starting | streaming.Started)
                    assert channel.label == LABEL
                    assert pc.remote_description is not None
                    offer = pc.remote_description["sdp"]
                    assert "\r\nm=audio " in offer
                    assert "\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" in offer
                    assert "a=mid:d\r\n" in offer
                    await pc.wait_webrtcup(timeout=15)
                    assert_loopback_only(pc)

                    # data: every datagram one message, in order, as sent
                    measured.time("streaming watch -> data channel open", anyio.current_time() - t0)
                    with anyio.fail_after(20):
                        await relaying(channel, udp)
                    measured.time("streaming watch -> data relayed", anyio.current_time() - t0)
                    for message in MESSAGES:
                        await udp.send(message)
                    got: list[bytes] = []
                    with anyio.fail_after(20):
                        while len(got) < len(MESSAGES):
                            message = as_bytes(await channel.receive())
                            if message != WARMUP or got:  # (warm-ups still on their way)
                                got.append(message)
                    assert got == MESSAGES

                    # audio: the forwarded tone, decoded
                    audio = await pc.wait_track("audio", mid="a", timeout=10)
                    samples, rate = await audio_samples(audio, 0.5, skip=0.2, timeout=20)
                    measured.time("streaming watch -> tone heard", anyio.current_time() - t0)
                    tone, other = tone_power(samples, rate, TONE), tone_power(samples, rate, OTHER)
                    assert tone > 100 * other, (tone, other)

                    await pc.close()
                await viewer.detach()
        finally:
            assert (await admin.destroy(mount)).id == mount
            await vroom.destroy(room)
