"""AudioBridge through the typed handle, against a real Janus 1.1.2.

Rooms are unique per test (the ``janus`` server is shared by the whole run). String ids and
plain-RTP participants run on a private Janus whose AudioBridge has ``string_ids = true``
and binds its RTP ports to 127.0.0.1. Every address given to Janus is 127.0.0.1.

Not covered here: ``talking``/``stopped-talking`` need audio with the audio-level extension
from a connected PeerConnection (ICE never connects in these tests, and 1.1.2 does not read
the extension on plain-RTP participants); their parsing is unit-tested.
"""

from __future__ import annotations

import fractions
import math
import secrets
import socket
import struct
import uuid
from collections.abc import Iterator
from pathlib import Path

import anyio
import anyio.to_thread
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import PluginEventItem
from janus_anyio.plugins.audiobridge import AudioBridgeHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import audiobridge as ab

from ..conftest import require_janus, url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

WAIT = 5.0
SECRET = "adm1n"

STRING_IDS_CONFIG = """general: {
\tstring_ids = true
\tlocal_ip = "127.0.0.1"
\trtp_port_range = "42000-42999"
\tevents = false
}
"""


@pytest.fixture(scope="module")
def janus_strings() -> Iterator[JanusServer]:
    """A Janus whose AudioBridge uses string ids and binds plain RTP to 127.0.0.1."""
    require_janus()
    with JanusServer(plugins=[ab.PLUGIN], plugin_config={ab.PLUGIN: STRING_IDS_CONFIG}) as server:
        yield server


@pytest.fixture
def udp() -> Iterator[socket.socket]:
    """A UDP socket on 127.0.0.1 for Janus to send RTP to."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock


def new_room() -> int:
    return secrets.randbelow(2**40) + 1


async def attach(session: ja.Session) -> AudioBridgeHandle:
    return await AudioBridgeHandle.attach(session)


def participant_ids(items: tuple[ab.Participant, ...]) -> set[int | str]:
    return {p.id for p in items}


async def changed_about(handle: AudioBridgeHandle, pid: int | str) -> ab.Participant:
    """The next ParticipantsChanged entry about ``pid`` on ``handle``."""

    def about(event: PluginEventItem) -> bool:
        return isinstance(event, ab.ParticipantsChanged) and any(
            p.id == pid for p in event.participants
        )

    event, _ = await handle.wait_for(about, timeout=WAIT)
    assert isinstance(event, ab.ParticipantsChanged)
    return next(p for p in event.participants if p.id == pid)


def audio_only(jsep: object) -> str:
    assert isinstance(jsep, dict)
    sdp: str = jsep["sdp"]
    assert "m=audio" in sdp
    assert "m=video" not in sdp
    return sdp


def write_opus(path: Path, seconds: float) -> None:
    """A mono 48 kHz Ogg/Opus file with a 440 Hz tone, made with PyAV (aiortc's codec lib)."""
    av = pytest.importorskip("av")
    rate, frame = 48000, 960
    with av.open(str(path), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=rate, layout="mono")
        for n in range(int(rate * seconds) // frame):
            pcm = b"".join(
                struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * (n * frame + k) / rate)))
                for k in range(frame)
            )
            chunk = av.AudioFrame(format="s16", layout="mono", samples=frame)
            chunk.planes[0].update(pcm)
            chunk.sample_rate = rate
            chunk.pts = n * frame
            chunk.time_base = fractions.Fraction(1, rate)
            for packet in stream.encode(chunk):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


async def test_room_management(janus: JanusServer, url_kind: str, udp: socket.socket) -> None:
    room, hidden = new_room(), new_room()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await attach(session)
        created = await admin.create(
            room,
            description="e2e bridge",
            secret=SECRET,
            sampling_rate=16000,
            audiolevel_event=True,
            audio_active_packets=50,
            audio_level_average=30,
            default_prebuffering=4,
            record=False,
            spatial_audio=True,
            groups=["left", "right"],
        )
        assert isinstance(created, ab.Created)
        assert (created.audiobridge, created.room, created.permanent) == ("created", room, False)
        with pytest.raises(ab.RoomExistsError) as exc:
            await admin.create(room)
        assert exc.value.error_code == 486
        assert isinstance(exc.value, ab.AudioBridgeError)
        await admin.create(hidden, is_private=True, pin="1234")
        assert await admin.exists(room) is True
        assert await admin.exists(new_room()) is False

        edited = await admin.edit(room, secret=SECRET, new_description="renamed")
        assert (edited.audiobridge, edited.room) == ("edited", room)
        with pytest.raises(ab.Unauthorized):
            await admin.edit(room, secret="wrong", new_description="x")
        with pytest.raises(ab.MissingElement):  # 1.1.2: a missing secret is 483, not 489
            await admin.edit(room, new_description="x")
        rooms = {info.room: info for info in await admin.list_rooms()}
        assert hidden not in rooms  # private
        assert rooms[room].description == "renamed"
        assert (rooms[room].sampling_rate, rooms[room].num_participants) == (16000, 0)
        assert rooms[room].pin_required is False

        added = await admin.allowed(room, "add", ["t1", "t2"], secret=SECRET)
        assert set(added.allowed or ()) == {"t1", "t2"}
        removed = await admin.allowed(room, "remove", ["t1"], secret=SECRET)
        assert removed.allowed == ("t2",)
        assert (await admin.allowed(room, "disable", secret=SECRET)).allowed is None
        assert await admin.list_participants(room) == ()

        # A participant with every mixing setting; groups and pins are checked.
        member = await attach(session)
        with pytest.raises(ab.NoSuchGroup) as no_group:
            await member.join(room, group="middle")
        assert no_group.value.error_code == 494
        with pytest.raises(ab.MissingElement):
            await member.join(hidden)
        with pytest.raises(ab.Unauthorized):
            await member.join(hidden, pin="0000")
        joined = await member.join(
            room,
            group="left",
            display="member",
            muted=True,
            codec="pcmu",
            prebuffer=3,
            bitrate=16000,
            quality=2,
            expected_loss=5,
            volume=90,
            spatial_position=20,
            secret=SECRET,
            audio_level_average=30,
            audio_active_packets=50,
            record=False,
        )
        [listed] = await admin.list_participants(room)
        assert (listed.id, listed.display, listed.muted) == (joined.id, "member", True)
        assert listed.spatial_position == 20  # only reported in spatial-audio rooms
        configured = await member.configure(
            spatial_position=80, volume=110, group="right", expected_loss=0, prebuffer=5
        )
        assert (configured.audiobridge, configured.result) == ("event", "ok")
        assert (await admin.list_participants(room))[0].spatial_position == 80
        await member.leave()

        recording = await admin.enable_recording(
            room, True, secret=SECRET, record_dir=str(janus.recordings_dir), record_file="m.wav"
        )
        assert recording.record is True
        assert (await admin.enable_recording(room, False, secret=SECRET)).record is False
        mjrs = await admin.enable_mjrs(room, True, secret=SECRET, mjrs_dir=str(janus.workdir))
        assert mjrs.mjrs is True
        assert (await admin.enable_mjrs(room, False, secret=SECRET)).mjrs is False

        port = udp.getsockname()[1]
        forwarded = await admin.rtp_forward(
            room, "127.0.0.1", port, secret=SECRET, group="left", codec="opus", ptype=111, ssrc=42
        )
        assert (forwarded.host, forwarded.port, forwarded.group) == ("127.0.0.1", port, "left")
        forwarders = await admin.list_forwarders(room, secret=SECRET)
        assert [(f.stream_id, f.ip, f.port) for f in forwarders] == [
            (forwarded.stream_id, "127.0.0.1", port)
        ]
        assert (forwarders[0].codec, forwarders[0].ptype, forwarders[0].ssrc) == ("opus", 111, 42)
        assert forwarders[0].group == "left"
        stopped = await admin.stop_rtp_forward(room, forwarded.stream_id, secret=SECRET)
        assert stopped.stream_id == forwarded.stream_id
        assert await admin.list_forwarders(room, secret=SECRET) == ()

        # Untyped bodies come back typed by the codec; the server's own checks map to classes.
        typed = await admin.send({"request": "exists", "room": room})
        assert isinstance(typed, ab.RoomExists)
        assert typed.exists is True
        with pytest.raises(ab.InvalidElement):
            await admin.send({"request": "rtp_forward", "room": room, "secret": SECRET,
                              "host": "127.0.0.1", "port": port, "codec": "g729"})  # fmt: skip
        with pytest.raises(ab.InvalidElement):
            await admin.send({"request": "exists", "room": "not-an-int"})
        with pytest.raises(ab.InvalidRequest):
            await admin.send({"request": "dance"})
        with pytest.raises(ab.InvalidRequest):  # newer than 1.1.2
            await admin.send({"request": "listannouncements", "room": room, "secret": SECRET})
        with pytest.raises(ValueError, match="codec must be one of"):
            await admin.rtp_forward(room, "127.0.0.1", port, codec="g729")

        with pytest.raises(ab.Unauthorized):
            await admin.destroy(room, secret="wrong")
        destroyed = await admin.destroy(room, secret=SECRET)
        assert (destroyed.audiobridge, destroyed.room) == ("destroyed", room)
        assert await admin.exists(room) is False
        with pytest.raises(ab.NoSuchRoom) as gone:
            await admin.destroy(room, secret=SECRET)
        assert gone.value.error_code == 485
        with pytest.raises(ab.NoSuchRoom):
            await admin.list_participants(room)
        await admin.destroy(hidden)


async def test_two_participants(janus: JanusServer, url_kind: str) -> None:
    room = new_room()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin, alice, bob = await attach(session), await attach(session), await attach(session)
        await admin.create(room, secret=SECRET)

        joined_a = await alice.join(room, display="alice", muted=False, quality=5, volume=100)
        assert (joined_a.audiobridge, joined_a.room, joined_a.participants) == ("joined", room, ())
        assert isinstance(joined_a.id, int)
        assert joined_a.jsep is None
        joined_b = await bob.join(room, display="bob", muted=True, bitrate=24000, prebuffer=4)
        assert joined_b.id != joined_a.id
        [seen] = joined_b.participants
        assert (seen.id, seen.display, seen.setup, seen.muted) == (
            joined_a.id,
            "alice",
            False,
            False,
        )

        # The others learn of a newcomer from a "joined" without "id".
        newcomer = await alice.expect(ab.ParticipantJoined, timeout=WAIT)
        assert "id" not in newcomer.raw
        assert newcomer.room == room
        assert newcomer.participant is not None
        assert (newcomer.participant.id, newcomer.participant.display) == (joined_b.id, "bob")
        assert newcomer.participant.muted is True

        configured = await alice.configure(muted=False, jsep=await offer(video=False))
        assert isinstance(configured, ab.Configured)
        assert configured.result == "ok"
        assert configured.jsep is not None
        assert configured.jsep["type"] == "answer"
        assert "opus/48000" in audio_only(configured.jsep)
        assert (await changed_about(bob, joined_a.id)).display == "alice"

        # Moderation is broadcast to everyone in the room, the target included.
        unmuted = await admin.unmute(room, joined_b.id, secret=SECRET)
        assert isinstance(unmuted, ab.Success)
        assert (await changed_about(alice, joined_b.id)).muted is False
        assert (await changed_about(bob, joined_b.id)).muted is False
        await admin.mute(room, joined_b.id, secret=SECRET)
        assert (await changed_about(alice, joined_b.id)).muted is True
        assert (await changed_about(bob, joined_b.id)).muted is True
        await admin.mute_room(room, secret=SECRET)
        for handle in (alice, bob):
            assert (await handle.expect(ab.RoomMuted, timeout=WAIT)).muted is True
        await admin.unmute_room(room, secret=SECRET)
        for handle in (alice, bob):
            assert (await handle.expect(ab.RoomMuted, timeout=WAIT)).muted is False
        assert participant_ids(await admin.list_participants(room)) == {joined_a.id, joined_b.id}
        assert isinstance(await alice.reset_decoder(), ab.Success)

        with pytest.raises(ab.AlreadyJoined) as twice:
            await alice.join(room)
        assert twice.value.error_code == 491
        with pytest.raises(ab.Unauthorized) as unauthorized:
            await admin.mute(room, joined_b.id, secret="wrong")
        assert unauthorized.value.error_code == 489
        with pytest.raises(ab.NoSuchUser):
            await admin.kick(room, 12345, secret=SECRET)
        with pytest.raises(ab.IdExists):
            await (await attach(session)).join(room, id=joined_b.id)
        with pytest.raises(ab.NoSuchRoom):
            await (await attach(session)).join(new_room())

        assert isinstance(await admin.kick(room, joined_b.id, secret=SECRET), ab.Success)
        assert (await bob.expect(ab.ParticipantKicked, timeout=WAIT)).id == joined_b.id
        assert (await alice.expect(ab.ParticipantKicked, timeout=WAIT)).id == joined_b.id
        assert (await alice.expect(ab.ParticipantLeft, timeout=WAIT)).id == joined_b.id
        with pytest.raises(ab.NotJoined) as not_joined:
            await bob.configure(muted=False)
        assert not_joined.value.error_code == 487
        with pytest.raises(ab.NotJoined):
            await bob.leave()
        await admin.destroy(room, secret=SECRET)
        assert (await alice.expect(ab.Destroyed, timeout=WAIT)).room == room


async def test_changeroom_leave_hangup_kick_all(janus: JanusServer, url_kind: str) -> None:
    first, second = new_room(), new_room()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin, alice, bob = await attach(session), await attach(session), await attach(session)
        await admin.create(first, secret=SECRET)
        await admin.create(second, pin="4321")
        id_a = (await alice.join(first, display="alice")).id
        id_b = (await bob.join(first, display="bob")).id
        await alice.expect(ab.ParticipantJoined, timeout=WAIT)

        with pytest.raises(ab.Unauthorized):
            await alice.change_room(second, pin="nope")
        with pytest.raises(ab.NoSuchRoom):
            await alice.change_room(new_room())
        with pytest.raises(ValueError, match="ChangeRoom takes no JSEP"):
            await alice.request(ab.ChangeRoom(room=second), jsep=await offer(video=False))
        moved = await alice.change_room(second, pin="4321", display="alice2", id=77)
        assert isinstance(moved, ab.RoomChanged)
        assert (moved.audiobridge, moved.room, moved.id, moved.participants) == (
            "roomchanged",
            second,
            77,
            (),
        )
        assert (await bob.expect(ab.ParticipantLeft, timeout=WAIT)).id == id_a
        with pytest.raises(ab.NotJoined):
            await (await attach(session)).change_room(first)

        left = await alice.leave()
        assert isinstance(left, ab.Left)
        assert (left.audiobridge, left.room, left.id) == ("left", second, 77)
        with pytest.raises(ab.NotJoined):
            await alice.leave()

        id_a = (await alice.join(first, display="alice")).id
        await bob.expect(ab.ParticipantJoined, timeout=WAIT)
        assert isinstance(await admin.kick_all(first, secret=SECRET), ab.Success)
        # 1.1.2: each participant is told "kicked_all" with its own id.
        assert (await alice.expect(ab.KickedAll, timeout=WAIT)).id == id_a
        assert (await bob.expect(ab.KickedAll, timeout=WAIT)).id == id_b
        # The kicked leave asynchronously (their "leaving" follows "kicked_all").
        with anyio.fail_after(WAIT):
            while await admin.list_participants(first):
                await anyio.sleep(0.05)

        # The plugin's hangup closes the PeerConnection and, in 1.1.2, leaves the room too.
        carol, dave = await attach(session), await attach(session)
        id_c = (await carol.join(first, display="carol")).id
        joined_d = await dave.join(first, display="dave", jsep=await offer(video=False))
        assert joined_d.jsep is not None
        assert joined_d.jsep["type"] == "answer"
        audio_only(joined_d.jsep)
        hanging = await dave.hangup_media()
        assert isinstance(hanging, ab.HangingUp)
        assert hanging.audiobridge == "hangingup"
        await dave.expect(jp.HungUp, timeout=WAIT)
        assert (await carol.expect(ab.ParticipantLeft, timeout=WAIT)).id == joined_d.id
        assert participant_ids(await admin.list_participants(first)) == {id_c}

        await admin.destroy(first, secret=SECRET)
        destroyed = await carol.expect(ab.Destroyed, timeout=WAIT)
        assert (destroyed.audiobridge, destroyed.room) == ("destroyed", first)
        await admin.destroy(second)


async def test_announcements(janus: JanusServer, url_kind: str, tmp_path: Path) -> None:
    looped, short = tmp_path / "loop.opus", tmp_path / "short.opus"
    await anyio.to_thread.run_sync(write_opus, looped, 0.5)
    await anyio.to_thread.run_sync(write_opus, short, 0.2)
    room = new_room()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin, alice, bob = await attach(session), await attach(session), await attach(session)
        await admin.create(room, secret=SECRET)
        await alice.join(room, display="alice")
        await bob.join(room, display="bob")

        playing = await admin.play_file(
            room, str(looped), secret=SECRET, file_id="jingle", loop=True
        )
        assert isinstance(playing, ab.PlaybackResult)
        assert (playing.room, playing.file_id) == (room, "jingle")
        for handle in (alice, bob):
            started = await handle.expect(ab.AnnouncementStarted, timeout=WAIT)
            assert (started.room, started.file_id) == (room, "jingle")
        assert await admin.is_playing(room, "jingle", secret=SECRET) is True
        stopped = await admin.stop_file(room, "jingle", secret=SECRET)
        assert stopped.file_id == "jingle"
        for handle in (alice, bob):
            assert (await handle.expect(ab.AnnouncementStopped, timeout=WAIT)).file_id == "jingle"
        assert await admin.is_playing(room, "jingle", secret=SECRET) is False

        # Without a file_id Janus picks one; without loop the file stops by itself.
        once = await admin.play_file(room, str(short), secret=SECRET)
        assert once.file_id
        assert (await alice.expect(ab.AnnouncementStarted, timeout=WAIT)).file_id == once.file_id
        assert (await alice.expect(ab.AnnouncementStopped, timeout=WAIT)).file_id == once.file_id

        with pytest.raises(ab.UnknownError) as missing:
            await admin.play_file(room, str(tmp_path / "none.opus"), secret=SECRET)
        assert missing.value.error_code == 499
        with pytest.raises(ab.Unauthorized):
            await admin.play_file(room, str(short), secret="wrong")
        await admin.destroy(room, secret=SECRET)


async def test_string_ids_plain_rtp_and_generated_offer(
    janus_strings: JanusServer, url_kind: str, udp: socket.socket
) -> None:
    room = f"lobby-{uuid.uuid4()}"
    alice_id = f"alice-{uuid.uuid4()}"
    async with ja.connect(url_of(janus_strings, url_kind)) as client, client.session() as session:
        admin, alice, phone, gen = [await attach(session) for _ in range(4)]
        created = await admin.create(room, secret=SECRET, allow_rtp_participants=True)
        assert created.room == room
        assert isinstance((await admin.create()).room, str)  # Janus picks a str id
        with pytest.raises(ab.InvalidElement):  # ints are refused with string_ids
            await admin.exists(5)

        joined = await alice.join(room, id=alice_id, display="alice")
        assert (joined.room, joined.id) == (room, alice_id)

        # A plain-RTP participant: Janus tells where to send, and sends the mix to us.
        port = udp.getsockname()[1]
        rtp_join = await phone.join(
            room,
            display="phone",
            rtp=ab.PlainRtp(ip="127.0.0.1", port=port, payload_type=111, audiolevel_ext=1),
        )
        assert isinstance(rtp_join.id, str)
        assert rtp_join.rtp is not None
        assert rtp_join.rtp.ip == "127.0.0.1"
        assert rtp_join.rtp.port is not None
        assert 42000 <= rtp_join.rtp.port <= 42999
        assert rtp_join.rtp.payload_type == 111
        newcomer = await alice.expect(ab.ParticipantJoined, timeout=WAIT)
        assert newcomer.participant is not None
        assert (newcomer.participant.id, newcomer.participant.setup) == (rtp_join.id, False)
        # Its first RTP packet (an Opus silence frame, to Janus on loopback) sets it up.
        packet = struct.pack("!BBHII", 0x80, 111, 1, 960, 0x1234) + b"\xf8\xff\xfe"
        udp.sendto(packet, ("127.0.0.1", rtp_join.rtp.port))
        assert (await changed_about(alice, rtp_join.id)).setup is True

        # Janus makes the offer when asked; the answer goes with configure.
        gen_join = await gen.join(room, display="gen", generate_offer=True, codec="opus")
        assert gen_join.jsep is not None
        assert gen_join.jsep["type"] == "offer"
        audio_only(gen_join.jsep)
        done = await gen.configure(muted=True, jsep=await answer_for(gen_join.jsep))
        assert done.result == "ok"
        assert done.jsep is None
        with pytest.raises(ab.InvalidSDP) as glare:  # no offers on a Janus-offered session
            await gen.configure(jsep=await offer(video=False))
        assert glare.value.error_code == 493

        await admin.mute(room, alice_id, secret=SECRET)
        assert (await changed_about(alice, alice_id)).muted is True
        listed = await admin.list_participants(room)
        assert participant_ids(listed) == {alice_id, rtp_join.id, gen_join.id}
        assert all(isinstance(p.id, str) for p in listed)

        assert isinstance(await phone.hangup_media(), ab.HangingUp)
        assert (await alice.expect(ab.ParticipantLeft, timeout=WAIT)).id == rtp_join.id

        await admin.destroy(room, secret=SECRET)
        assert (await alice.expect(ab.Destroyed, timeout=WAIT)).room == room
