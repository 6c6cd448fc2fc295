"""Real media through the stock plugins: one function per flow (janus_media + aiortc).

Each ``*_media`` function takes an open :class:`janus_anyio.Session`, sets up
PeerConnections with synthetic sources (stamped video frames, a tone), checks that media
arrives, and closes what it opened. The plugin pages of the documentation include them from
here; CI runs this file inside its private network namespace.

Usage: ``python examples/media_tour.py [ws://127.0.0.1:8188] [flow ...]`` (or
``JANUS_URL``); flows: ``echotest datachannel videocall audiobridge
textroom recordplay`` (all by default). Janus
must be reachable for media (no ICE servers are used). Exits 0 on success, 1 on failure.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable

from av.video.frame import VideoFrame

import janus_anyio as ja
from janus_anyio.plugins import (
    AudioBridgeHandle,
    EchoTestHandle,
    RecordPlayHandle,
    TextRoomHandle,
    VideoCallHandle,
    open_textroom_channel,
)
from janus_media import (
    PeerConnection,
    RemoteTrack,
    StampedVideoTrack,
    ToneAudioTrack,
    frames,
    open_textroom,
    read_stamp,
)
from janus_proto.plugins import audiobridge, textroom, videocall

DEFAULT_URL = "ws://127.0.0.1:8188"
T = 10.0  # seconds: the deadline of every wait below


async def stamps(remote: RemoteTrack, count: int) -> list[int]:
    """The stamps of the first ``count`` stamped frames decoded from ``remote``."""

    async def collect() -> list[int]:
        got: list[int] = []
        async for frame in frames(remote):
            stamp = read_stamp(frame) if isinstance(frame, VideoFrame) else None
            if stamp is not None:
                got.append(stamp)
                if len(got) == count:
                    return got
        raise RuntimeError(f"{remote.kind} track ended after {len(got)} frames")

    return await asyncio.wait_for(collect(), T)


async def echotest_media(session: ja.Session) -> None:
    """EchoTest: send stamped video and a tone, read the echoed frames back."""
    echo = await EchoTestHandle.attach(session)
    async with PeerConnection(echo) as pc:  # no ICE servers unless you pass some
        pc.add_track(StampedVideoTrack())
        pc.add_track(ToneAudioTrack(frequency=440))
        await pc.negotiate(lambda jsep: echo.configure(audio=True, video=True, jsep=jsep))
        await pc.wait_webrtcup(timeout=T)
        echoed = await pc.wait_track("video", timeout=T)
        print("echotest: echoed frames", await stamps(echoed, 10))


async def datachannel_media(session: ja.Session) -> None:
    """A data channel of ours, echoed by EchoTest (text and binary messages)."""
    echo = await EchoTestHandle.attach(session)
    async with PeerConnection(echo) as pc:
        channel = pc.create_data_channel("chat")  # before the offer: it goes in the SDP
        await pc.negotiate(lambda jsep: echo.configure(jsep=jsep))
        await channel.wait_open(timeout=T)
        await channel.send("hello janus")
        print("datachannel:", await channel.receive(timeout=T))  # Janus prefixes its echo
        await channel.send(b"\x00\x01")
        print("datachannel: binary echoed:", (await channel.receive(timeout=T))[-2:] == b"\x00\x01")


async def videocall_media(session: ja.Session) -> None:
    """VideoCall: alice calls bob; both see the other's video."""
    alice = await VideoCallHandle.attach(session)
    bob = await VideoCallHandle.attach(session)
    await alice.register("alice")
    await bob.register("bob")
    async with PeerConnection(alice) as apc, PeerConnection(bob) as bpc:
        apc.add_track(StampedVideoTrack())
        await apc.negotiate(lambda jsep: alice.call("bob", jsep))  # answer comes later

        incoming = await bpc.expect(videocall.IncomingCall, timeout=T)  # Janus's offer
        assert incoming.jsep is not None
        bpc.add_track(StampedVideoTrack())
        await bpc.accept(incoming.jsep, bob.accept)

        await apc.expect(videocall.Accepted, timeout=T)  # carried the answer, applied
        await apc.wait_answer(timeout=T)
        bob_sees = await bpc.wait_track("video", timeout=T)
        alice_sees = await apc.wait_track("video", timeout=T)
        print("videocall: bob sees", len(await stamps(bob_sees, 5)), "frames of alice")
        print("videocall: alice sees", len(await stamps(alice_sees, 5)), "frames of bob")
        await alice.hangup_call()
    for handle in (alice, bob):
        await handle.detach()


async def audiobridge_media(session: ja.Session) -> None:
    """AudioBridge: two participants join a mixed room with a tone each."""
    alice = await AudioBridgeHandle.attach(session)
    bob = await AudioBridgeHandle.attach(session)
    room = (await alice.create(sampling_rate=16_000)).room
    assert room is not None
    try:
        async with PeerConnection(alice) as apc, PeerConnection(bob) as bpc:
            apc.add_track(ToneAudioTrack(frequency=440))
            bpc.add_track(ToneAudioTrack(frequency=1000))
            await apc.negotiate(lambda jsep: alice.join(room, display="alice", jsep=jsep))
            joined = await bpc.negotiate(lambda jsep: bob.join(room, display="bob", jsep=jsep))
            assert isinstance(joined, audiobridge.Joined)
            print("audiobridge: bob found", [p.display for p in joined.participants])
            arrived = await apc.expect(audiobridge.ParticipantJoined, timeout=T)
            print("audiobridge: alice told of", [p.display for p in arrived.participants])
            await bpc.wait_media(timeout=T)  # Janus receives bob's audio
            mix = await apc.wait_track("audio", timeout=T)  # the mix, without alice herself
            frame = await asyncio.wait_for(mix.track.recv(), T)
            print("audiobridge: alice hears the mix at", getattr(frame, "sample_rate", "?"), "Hz")
            await bob.leave()
    finally:
        await alice.destroy(room)


async def textroom_media(session: ja.Session) -> None:
    """TextRoom: chat over a data channel; rooms themselves are managed over the Janus API."""
    admin = await TextRoomHandle.attach(session)
    room = (await admin.create(description="tour", history=5)).room
    try:
        alice_h = await TextRoomHandle.attach(session)
        bob_h = await TextRoomHandle.attach(session)
        async with PeerConnection(alice_h) as alice_pc, PeerConnection(bob_h) as bob_pc:
            # setup -> Janus's offer; our "JanusDataChannel"; the answer goes with ack
            alice_dc = await open_textroom(alice_pc, timeout=T)
            bob_dc = await open_textroom(bob_pc, timeout=T)
            async with (
                open_textroom_channel(alice_dc, alice_dc) as alice,
                open_textroom_channel(bob_dc, bob_dc) as bob,
            ):
                await alice.join(room, "alice", display="Alice", timeout=T)
                others = await bob.join(room, "bob", timeout=T)
                print("textroom: bob finds", [p.username for p in others])
                await alice.message(room, "hello room", timeout=T)
                said, _skipped = await bob.wait_for(textroom.MessageReceived, timeout=T)
                print(f"textroom: bob reads {said.sender}: {said.text}")
    finally:
        await admin.destroy(room)


async def recordplay_media(session: ja.Session) -> None:
    """Record&Play: record two seconds of stamped video, then play the recording back."""
    recorder = await RecordPlayHandle.attach(session)
    async with PeerConnection(recorder) as pc:
        video = StampedVideoTrack()
        pc.add_track(video)
        recording = await pc.negotiate(lambda jsep: recorder.record(jsep, name="tour"))
        await pc.wait_webrtcup(timeout=T)
        await asyncio.sleep(2.0)  # media flows into the .mjr file meanwhile
        await recorder.stop()
    print("recordplay: recorded", video.count, "frames as", recording.id)

    player = await RecordPlayHandle.attach(session)
    async with PeerConnection(player) as pc:
        preparing = await player.play(recording.id)  # Janus offers
        assert preparing.jsep is not None
        await pc.accept(preparing.jsep, player.start)  # our answer goes with start
        played = await pc.wait_track("video", timeout=T)
        print("recordplay: played back", len(await stamps(played, 10)), "frames")
    for handle in (recorder, player):
        await handle.detach()


FLOWS: dict[str, Callable[[ja.Session], Awaitable[None]]] = {
    "echotest": echotest_media,
    "datachannel": datachannel_media,
    "videocall": videocall_media,
    "audiobridge": audiobridge_media,
    "textroom": textroom_media,
    "recordplay": recordplay_media,
}


async def main(url: str, names: list[str]) -> None:
    """Run the flows named (all by default) against the Janus at ``url``."""
    unknown = sorted(set(names) - set(FLOWS))
    if unknown:
        raise ValueError(f"unknown flow(s) {unknown}; choose from {sorted(FLOWS)}")
    async with ja.connect(url, request_timeout=T) as janus, janus.session() as session:
        for name in names or list(FLOWS):
            await asyncio.wait_for(FLOWS[name](session), 4 * T)


if __name__ == "__main__":
    args = sys.argv[1:]
    target = args.pop(0) if args and "://" in args[0] else os.environ.get("JANUS_URL", DEFAULT_URL)
    try:
        asyncio.run(main(target, args))
    except Exception as exc:
        print(f"media_tour: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
