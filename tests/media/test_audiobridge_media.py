"""AudioBridge with real media: two participants send tones of distinct frequencies; each
hears the mix, which holds the other's tone and not its own (Goertzel on decoded audio)."""

from __future__ import annotations

import pytest

import janus_anyio as ja
from janus_anyio.plugins import AudioBridgeHandle
from janus_anyio.testing import JanusServer
from janus_media import PeerConnection, ToneAudioTrack
from janus_proto.plugins import audiobridge as ab

from .conftest import Measured
from .flows import audio_samples, tone_power
from .helpers import assert_loopback_only

pytestmark = [pytest.mark.media, pytest.mark.anyio]

LOW, HIGH = 440, 1000  # Hz: whole numbers of periods in the 0.5 s analysed


async def test_two_participants_hear_each_other(
    janus_media: JanusServer, measured: Measured
) -> None:
    async with ja.connect(janus_media.ws_url) as client, client.session() as session:
        alice_h = await AudioBridgeHandle.attach(session)
        bob_h = await AudioBridgeHandle.attach(session)
        room = (await alice_h.create(sampling_rate=16_000)).room
        assert room is not None
        try:
            async with PeerConnection(alice_h) as alice, PeerConnection(bob_h) as bob:
                alice.add_track(ToneAudioTrack(frequency=LOW))
                bob.add_track(ToneAudioTrack(frequency=HIGH))
                joined_a = await alice.negotiate(
                    lambda jsep: alice_h.join(room, display="alice", jsep=jsep)
                )
                assert isinstance(joined_a, ab.Joined)
                joined_b = await bob.negotiate(
                    lambda jsep: bob_h.join(room, display="bob", jsep=jsep)
                )
                assert isinstance(joined_b, ab.Joined)
                assert [p.id for p in joined_b.participants] == [joined_a.id]
                # alice is told bob joined
                arrived = await alice.expect(ab.ParticipantJoined, timeout=5)
                assert joined_b.id in [p.id for p in arrived.participants]
                for pc in (alice, bob):
                    await pc.wait_webrtcup(timeout=10)
                    await pc.wait_media(timeout=10)  # Janus receives our audio
                    assert_loopback_only(pc)

                for pc, other, own, name in ((alice, HIGH, LOW, "alice"), (bob, LOW, HIGH, "bob")):
                    heard = await pc.wait_track("audio", timeout=5)
                    samples, rate = await audio_samples(heard, 0.5, skip=0.5)
                    wanted = tone_power(samples, rate, other)
                    unwanted = tone_power(samples, rate, own)
                    measured.value(f"audiobridge {name}: other/own tone power", wanted / unwanted)
                    assert wanted > 1e-4, f"{name} hears no {other} Hz tone ({wanted:.2e})"
                    assert wanted > 20 * unwanted, (
                        f"{name} hears its own {own} Hz tone: {unwanted:.2e} vs {wanted:.2e}"
                    )
                assert isinstance(await bob_h.leave(), ab.Left)
                left = await alice.expect(ab.ParticipantLeft, timeout=5)
                assert left.id == joined_b.id
        finally:
            await alice_h.destroy(room)
