"""One short, runnable tour per stock plugin: the requests that need no media.

Each ``*_tour`` function takes an open :class:`janus_anyio.Session` and exercises one
plugin through its typed handle; the documentation's plugin pages include them from here,
and CI runs this file against a private Janus, so they stay true.

Requests that carry a JSEP offer (SIP, NoSIP, VoiceMail) get a real aiortc offer with its
ICE candidates removed (:func:`signalling_offer`): Janus answers it, and no connectivity
check ever starts. For real media see the ``janus_media`` examples.

Usage: ``python examples/plugin_tour.py [ws://127.0.0.1:8188] [plugin ...]`` (or
``JANUS_URL``); with plugin names (``echotest videoroom ...``) only those run. Exits 0 on
success, 1 on failure. SIP and NoSIP bind their SIP/RTP sockets where their configuration
says: point ``local_ip`` of ``janus.plugin.sip.jcfg`` and ``janus.plugin.nosip.jcfg`` at
127.0.0.1 on a test server.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from aiortc import RTCConfiguration, RTCPeerConnection

import janus_anyio as ja
from janus_anyio.plugins import (
    AudioBridgeHandle,
    EchoTestHandle,
    NoSipHandle,
    RecordPlayHandle,
    SipHandle,
    StreamingHandle,
    TextRoomHandle,
    VideoCallHandle,
    VideoRoomHandle,
    VoiceMailHandle,
)
from janus_proto.plugins import echotest, sip, streaming, videocall, videoroom, voicemail

DEFAULT_URL = "ws://127.0.0.1:8188"
T = 10.0  # seconds: the deadline of every wait below


async def signalling_offer(*, video: bool = False) -> dict[str, Any]:
    """A JSEP offer from aiortc (audio, optionally video) without ICE candidates."""
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        pc.addTransceiver("audio", direction="sendrecv")
        if video:
            pc.addTransceiver("video", direction="sendrecv")
        await pc.setLocalDescription(await pc.createOffer())
        lines = [
            line
            for line in pc.localDescription.sdp.splitlines()
            if not line.startswith(("a=candidate:", "a=end-of-candidates"))
        ]
        return {"type": "offer", "sdp": "\r\n".join(lines) + "\r\n"}
    finally:
        await pc.close()


async def echotest_tour(session: ja.Session) -> None:
    """EchoTest: every request is asynchronous; the reply is the plugin's event."""
    echo = await EchoTestHandle.attach(session)
    result = await echo.configure(audio=True, video=False, bitrate=64_000)
    assert isinstance(result, echotest.Result)
    print("echotest:", result.result)  # "ok"
    await echo.detach()


async def videocall_tour(session: ja.Session) -> None:
    """VideoCall: register usernames, list them; a taken name raises a typed error."""
    alice = await VideoCallHandle.attach(session)
    bob = await VideoCallHandle.attach(session)
    await alice.register("alice")
    await bob.register("bob")
    print("videocall users:", sorted(await alice.list()))
    intruder = await VideoCallHandle.attach(session)
    try:
        await intruder.register("alice")
    except videocall.UsernameTaken as exc:
        print("videocall:", exc.error_code, exc.error)  # 476 Username 'alice' already taken
    for handle in (alice, bob, intruder):
        await handle.detach()  # detaching unregisters


async def videoroom_tour(session: ja.Session) -> None:
    """VideoRoom: room management on a plain handle; joining picks a role per handle."""
    rooms = await VideoRoomHandle.attach(session)
    room = (await rooms.create(description="tour", secret="adminpw", publishers=6)).room
    assert room is not None  # Janus always names the room it created
    await rooms.edit(room, secret="adminpw", new_description="tour (edited)")
    listed = {info.room: info.description for info in await rooms.list_rooms()}
    print("videoroom:", listed[room])  # tour (edited)
    print("participants:", await rooms.list_participants(room))  # ()
    try:
        await rooms.destroy(room, secret="wrong")
    except videoroom.Unauthorized as exc:
        print("videoroom:", exc.error_code, exc.error)
    await rooms.destroy(room, secret="adminpw")
    print("exists after destroy:", await rooms.exists(room))  # False
    await rooms.detach()


async def audiobridge_tour(session: ja.Session) -> None:
    """AudioBridge: an audio-mixing room; joining with media needs an offer (janus_media)."""
    bridge = await AudioBridgeHandle.attach(session)
    room = (await bridge.create(description="tour", sampling_rate=16_000)).room
    assert room is not None
    print("audiobridge rooms:", [r.description for r in await bridge.list_rooms()])
    print("participants:", await bridge.list_participants(room))
    await bridge.destroy(room)
    await bridge.detach()


async def streaming_tour(session: ja.Session) -> None:
    """Streaming: an RTP mountpoint on 127.0.0.1, its info, then gone."""
    mounts = await StreamingHandle.attach(session)
    created = await mounts.create(
        "rtp",
        name="tour",
        secret="mountpw",
        media=[
            streaming.RtpMedia(
                type="audio", mid="a", port=0, iface="127.0.0.1", pt=111, codec="opus"
            )
        ],
    )
    assert created.stream is not None
    mp_id = created.stream.id
    info = await mounts.info(mp_id, secret="mountpw")
    print("streaming:", info.name, [m.port for m in info.media])  # the port Janus picked
    print("mountpoints:", [m.id for m in await mounts.list()])
    await mounts.destroy(mp_id, secret="mountpw")
    await mounts.detach()


async def textroom_tour(session: ja.Session) -> None:
    """TextRoom: rooms are managed over the Janus API; chatting needs the data channel."""
    text = await TextRoomHandle.attach(session)
    created = await text.create(description="tour", history=10)
    print("textroom rooms:", [r.description for r in await text.list_rooms()])
    print("exists:", await text.exists(created.room))
    await text.destroy(created.room)
    await text.detach()


async def recordplay_tour(session: ja.Session) -> None:
    """Record&Play: list the recordings; ``configure`` is answered at once in 1.1.2."""
    player = await RecordPlayHandle.attach(session)
    print("recordings:", [(r.id, r.name) for r in await player.list()])
    await player.detach()


async def sip_tour(session: ja.Session) -> None:
    """SIP: a guest registration sends no REGISTER; calls take a JSEP offer."""
    phone = await SipHandle.attach(session)
    registered = await phone.register("sip:alice@127.0.0.1", type="guest", display_name="Alice")
    assert isinstance(registered, sip.Registered)  # not Registering: no REGISTER was sent
    print("sip:", registered.username, "register sent:", registered.register_sent)  # False
    await phone.detach()


async def nosip_tour(session: ja.Session) -> None:
    """NoSIP: turn a WebRTC offer into a barebone RTP offer for your own signalling."""
    bridge = await NoSipHandle.attach(session)
    generated = await bridge.generate(await signalling_offer(), info="call-1")
    print("nosip:", generated.type, "RTP/AVP" in generated.sdp)  # offer True
    await bridge.hangup_call()
    await bridge.detach()


async def voicemail_tour(session: ja.Session) -> None:
    """VoiceMail: the client offers; Janus answers and records (up to 10 s by default)."""
    mailbox = await VoiceMailHandle.attach(session)
    starting = await mailbox.record(await signalling_offer())
    assert starting.jsep is not None
    assert starting.jsep["type"] == "answer"
    done = await mailbox.stop()  # without media the file is empty, but it is named
    assert isinstance(done, voicemail.Done)
    print("voicemail:", Path(done.recording or "").name)


TOURS: dict[str, Callable[[ja.Session], Awaitable[None]]] = {
    "echotest": echotest_tour,
    "videocall": videocall_tour,
    "videoroom": videoroom_tour,
    "audiobridge": audiobridge_tour,
    "streaming": streaming_tour,
    "textroom": textroom_tour,
    "recordplay": recordplay_tour,
    "sip": sip_tour,
    "nosip": nosip_tour,
    "voicemail": voicemail_tour,
}


async def main(url: str, names: list[str]) -> None:
    """Run the tours named (all by default) against the Janus at ``url``."""
    unknown = sorted(set(names) - set(TOURS))
    if unknown:
        raise ValueError(f"unknown plugin tour(s) {unknown}; choose from {sorted(TOURS)}")
    async with ja.connect(url, request_timeout=T) as janus, janus.session() as session:
        for name in names or list(TOURS):
            with anyio.fail_after(3 * T):
                await TOURS[name](session)


if __name__ == "__main__":
    args = sys.argv[1:]
    target = args.pop(0) if args and "://" in args[0] else os.environ.get("JANUS_URL", DEFAULT_URL)
    try:
        anyio.run(main, target, args)
    except Exception as exc:
        print(f"plugin_tour: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
