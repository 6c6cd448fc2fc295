"""The seed-compatible facade with real media, inside the network namespace.

EchoTest frames come back (recorded, then re-opened); a VideoCall between two facade
sessions with players and recorders on both sides; a VideoRoom publisher and a
``subscribe_and_start`` subscriber; a TextRoom chat over data channels. At most four peer
connections with audio at a time (media-testing.md: keep it under five per process).
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import pytest
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer, MediaRecorder
from av.video.frame import VideoFrame

from janus_anyio.testing import JanusServer
from janus_client import (
    JanusEchoTestPlugin,
    JanusSession,
    JanusTextRoomPlugin,
    JanusVideoCallPlugin,
    JanusVideoRoomPlugin,
    TextRoomEventType,
    VideoCallEventType,
)
from janus_media import StampedVideoTrack, read_stamp, sdp_candidates

from .conftest import Measured
from .helpers import assert_in_order, assert_loopback_only, read_stamped

pytestmark = [pytest.mark.media, pytest.mark.anyio]

RECORD_SECONDS = 2.0

_rooms = itertools.count(os.getpid() % 10_000 * 1000 + 9_000_000)


class _CountedTrack(MediaStreamTrack):
    """Passes ``source``'s frames on, counting them into ``owner``."""

    def __init__(self, source: MediaStreamTrack, owner: CountingRecorder) -> None:
        super().__init__()
        self.kind = source.kind
        self._source = source
        self._owner = owner

    async def recv(self) -> Any:
        frame = await self._source.recv()
        self._owner.video_frames += self.kind == "video"
        return frame


class CountingRecorder(MediaRecorder):
    """A ``MediaRecorder`` that counts the video frames it was handed: a test waits for
    an amount of media instead of an amount of time, which a busy machine stretches."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.video_frames = 0

    def addTrack(self, track: MediaStreamTrack) -> None:
        super().addTrack(_CountedTrack(track, self))


def recorded_stamps(path: Path) -> list[int]:
    """The stamps of the video frames in a recording (which must open, with video)."""
    assert path.stat().st_size > 0
    with av.open(str(path)) as container:
        assert any(s.type == "video" for s in container.streams)
        stamps = []
        for frame in container.decode(video=0):
            assert isinstance(frame, VideoFrame)
            stamp = read_stamp(frame)
            if stamp is not None:
                stamps.append(stamp)
    return stamps


@pytest.mark.parametrize("server", ["janus", "janus_trickle"])
async def test_echotest_frames_come_back(
    server: str,
    clip: Path,
    tmp_path: Path,
    measured: Measured,
    request: pytest.FixtureRequest,
) -> None:
    # janus_trickle (tests/media/conftest.py) has full_trickle: Janus trickles its
    # candidates instead of putting them in its SDP; the facade must apply them.
    janus: JanusServer = request.getfixturevalue(server)
    echoed = tmp_path / "echo.webm"
    events: list[dict[str, Any]] = []

    class Echo(JanusEchoTestPlugin):
        async def on_receive(self, response: dict[str, Any]) -> None:
            events.append(response)

    session = JanusSession(base_url=janus.ws_url)
    echo = Echo()
    await echo.attach(session=session)
    recorder = CountingRecorder(echoed)
    try:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await echo.start(str(clip), recorder)
        assert await echo.wait_webrtcup(timeout=10)
        measured.time(f"facade echotest ({server}) start->webrtcup", loop.time() - start)
        peer = echo.peer_connection
        assert peer is not None
        assert peer.configuration.iceServers == []  # no public STUN by default
        assert echo.pc is peer.raw
        assert_loopback_only(peer)
        if server == "janus_trickle":
            assert any(e["janus"] == "trickle" for e in events)  # on_receive sees them too
            trickled = [
                e["candidate"]["candidate"]
                for e in events
                if e["janus"] == "trickle" and "candidate" in e.get("candidate", {})
            ]
            remote = peer.remote_description
            assert remote is not None
            # They were applied: aiortc's remote description now lists them.
            assert trickled
            assert set(trickled) <= set(sdp_candidates(remote["sdp"]))
        # An amount of echoed media, not a time (see the VideoCall test below).
        wanted = int(RECORD_SECONDS * 30)
        await _until(lambda: recorder.video_frames >= wanted, timeout=90, what="echoed frames")
        await echo.close_stream()
        await echo.destroy()
    finally:
        await session.destroy()

    stamps = recorded_stamps(echoed)
    measured.value(f"facade echotest ({server}): echoed stamped frames", len(stamps))
    assert len(stamps) >= RECORD_SECONDS * 30 * 0.5, len(stamps)
    assert_in_order(stamps)
    assert any(e["janus"] == "webrtcup" for e in events)  # on_receive saw the core events


class Callee(JanusVideoCallPlugin):
    """Accepts every call, playing ``clip`` and recording to ``record_to``."""

    def __init__(self, clip: Path, record_to: Path) -> None:
        super().__init__()
        self.clip = clip
        self.recorder = CountingRecorder(record_to)
        self.accepted = asyncio.Event()

    async def on_incoming_call(self, jsep: dict[str, Any]) -> None:
        player = MediaPlayer(str(self.clip))
        await self.accept(jsep, player, self.recorder)
        self.accepted.set()


async def test_videocall_between_two_facade_sessions(
    janus: JanusServer, clip: Path, tmp_path: Path, measured: Measured
) -> None:
    at_alice, at_bob = tmp_path / "alice-hears-bob.webm", tmp_path / "bob-hears-alice.webm"
    alice_session = JanusSession(base_url=janus.ws_url)
    bob_session = JanusSession(base_url=janus.ws_url)
    alice, bob = JanusVideoCallPlugin(), Callee(clip, at_bob)
    await alice.attach(session=alice_session)
    await bob.attach(session=bob_session)
    try:
        seen: list[str] = []
        alice.on_event(VideoCallEventType.ACCEPTED, lambda data: seen.append("accepted"))
        bob.on_event(VideoCallEventType.HANGUP, lambda data: seen.append("bob hangup"))
        suffix = f"{alice.id}"
        await alice.register(f"alice-{suffix}")
        await bob.register(f"bob-{suffix}")

        loop = asyncio.get_running_loop()
        start = loop.time()
        player = MediaPlayer(str(clip))
        alice_recorder = CountingRecorder(at_alice)
        assert await alice.call(f"bob-{suffix}", player, alice_recorder)
        # Generous deadlines: they only bound a failure, a healthy call takes ~0.1 s.
        await asyncio.wait_for(bob.accepted.wait(), 30)
        await alice.wait_accepted(timeout=30)
        calling = (alice.in_call, bob.in_call)  # (a local: mypy narrows properties)
        assert calling == (True, True)
        for plugin in (alice, bob):
            peer = plugin.peer_connection
            assert peer is not None
            await peer.wait_webrtcup(timeout=30)
            assert_loopback_only(peer)
        measured.time("facade videocall call->both webrtcup", loop.time() - start)
        # Record an amount of media, not of time: under load (coverage, other tests on
        # two cores) aiortc decodes far fewer than 30 frames/s, and a fixed 2.5 s window
        # once held only 26 frames (reproduced with two busy loops beside the test).
        wanted = int(RECORD_SECONDS * 30)
        recorders = (alice_recorder, bob.recorder)
        await _until(
            lambda: all(r.video_frames >= wanted for r in recorders),
            timeout=90,
            what=lambda: (
                f"both sides record {wanted} frames; alice has {alice_recorder.video_frames},"
                f" bob {bob.recorder.video_frames}; {peer_states(alice, bob)}"
            ),
        )
        assert await alice.hangup()
        # Bob's HANGUP handler runs in his dispatcher task after the facade closed his
        # media (in_call and peer_connection change first): wait for the handler, then
        # the state must be final. (Checking the state first raced the handler under load.)
        await _until(lambda: "bob hangup" in seen, timeout=30, what="bob's HANGUP handler")
        assert (bob.in_call, bob.peer_connection) == (False, None)
        assert "accepted" in seen
    finally:
        for session in (alice_session, bob_session):
            await session.destroy()

    for path in (at_alice, at_bob):
        stamps = recorded_stamps(path)
        measured.value(f"facade videocall {path.stem}: stamped frames", len(stamps))
        assert len(stamps) >= RECORD_SECONDS * 30 * 0.5, (path.name, len(stamps))
        assert_in_order(stamps)


async def test_videoroom_publish_and_subscribe_and_start(
    janus: JanusServer, clip: Path, measured: Measured
) -> None:
    room = next(_rooms)
    session = JanusSession(base_url=janus.ws_url)
    publisher, subscriber = JanusVideoRoomPlugin(), JanusVideoRoomPlugin()
    await publisher.attach(session=session)
    await subscriber.attach(session=session)
    assert await publisher.create_room(room, {"publishers": 2})
    try:
        assert await publisher.join(room, display_name="pub")
        player = MediaPlayer(str(clip))
        tracks = [t for t in (player.video, player.audio) if t is not None]
        loop = asyncio.get_running_loop()
        start = loop.time()
        assert await publisher.publish(tracks, {"bitrate": 256_000})
        publishing = publisher.is_publishing
        assert publishing
        # Janus answers 428 "No such feed" to a subscription made before the
        # publisher's webrtcup (media-testing.md).
        await asyncio.wait_for(publisher.webrtcup_event.wait(), 30)

        created: list[MediaStreamTrack] = []

        async def on_track_created(track: MediaStreamTrack) -> None:
            created.append(track)

        assert publisher.publisher_id is not None
        assert await subscriber.subscribe_and_start(
            room, on_track_created, {"feed": publisher.publisher_id}
        )
        assert sorted(t.kind for t in created) == ["audio", "video"]
        video = next(t for t in created if t.kind == "video")
        received = await read_stamped(video, 30, timeout=15)
        measured.time("facade videoroom publish->subscriber frame", received.first_at - start)
        assert_in_order(received.stamps)
        assert subscriber.peer_connection is not None
        assert_loopback_only(subscriber.peer_connection)

        # 0.9's subscribe(): add a second publisher's video to the same subscription.
        second = JanusVideoRoomPlugin()
        await second.attach(session=session)
        assert await second.join(room, display_name="second")
        assert await second.publish([StampedVideoTrack()])
        await asyncio.wait_for(second.webrtcup_event.wait(), 30)
        assert second.publisher_id is not None
        added: list[MediaStreamTrack] = []
        assert await subscriber.subscribe([{"feed": second.publisher_id}], added.append)
        assert [t.kind for t in added] == ["video"]
        more = await read_stamped(added[0], 20, timeout=15)
        assert_in_order(more.stamps)
        await second.destroy()

        assert await subscriber.unsubscribe()
        assert await publisher.unpublish()
        assert not publisher.is_publishing
        assert await publisher.leave()
    finally:
        await publisher.destroy_room(room)
        await session.destroy()


async def test_textroom_chat_over_data_channels(janus: JanusServer) -> None:
    session = JanusSession(base_url=janus.ws_url)
    alice, bob = JanusTextRoomPlugin(), JanusTextRoomPlugin()
    await alice.attach(session=session)
    await bob.attach(session=session)
    room = await alice.create_room(description="facade chat", history=3)
    heard: list[dict[str, Any]] = []
    joins: list[str] = []
    got_message = asyncio.Event()

    async def on_message(data: dict[str, Any]) -> None:
        heard.append(data)
        got_message.set()

    bob.on_event(TextRoomEventType.MESSAGE, on_message)
    alice.on_event(TextRoomEventType.JOIN, lambda data: joins.append(data["username"]))
    try:
        await alice.setup()
        await bob.setup()
        for plugin in (alice, bob):
            assert plugin.peer_connection is not None
            await plugin.peer_connection.wait_webrtcup(timeout=10)
            assert_loopback_only(plugin.peer_connection)
        assert await alice.join_room(room, "alice", display="Alice") == []
        others = await bob.join_room(room, "bob")
        assert [p["username"] for p in others] == ["alice"]
        assert {p["username"] for p in await alice.list_participants(room)} == {"alice", "bob"}
        await _until(lambda: "bob" in joins, what="bob's join")

        assert await alice.send_message(room, "hello bob")
        await asyncio.wait_for(got_message.wait(), 5)
        assert heard[0]["from"] == "alice"
        assert heard[0]["text"] == "hello bob"
        assert not heard[0].get("whisper", False)

        got_message.clear()
        assert await alice.send_message(room, "psst", to="bob")
        await asyncio.wait_for(got_message.wait(), 5)
        assert heard[1]["text"] == "psst"
        assert heard[1]["whisper"] is True
        assert await bob.leave_room(room)
    finally:
        await alice.destroy_room(room)
        await session.destroy()


async def _until(predicate: Any, timeout: float = 10.0, *, what: str | Callable[[], str]) -> None:
    """Poll ``predicate`` until true; fail after ``timeout`` s, saying ``what`` (a callable
    is called then, to report the state at the failure)."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(poll(), timeout)
    except asyncio.TimeoutError:
        said = what() if callable(what) else what
        raise AssertionError(f"not within {timeout} s: {said}") from None


def peer_states(*plugins: JanusVideoCallPlugin) -> str:
    """Each plugin's peer connection state and tracks, for a failure message."""
    parts = []
    for plugin in plugins:
        peer = plugin.peer_connection
        if peer is None:
            parts.append(f"{plugin.username}: no peer connection")
            continue
        tracks = ",".join(f"{t.kind}@{t.mid}" for t in peer.remote_tracks)
        parts.append(
            f"{plugin.username}: {peer.connection_state}, webrtcup={peer.webrtc_up}, "
            f"hung_up={peer.hung_up}, remote tracks [{tracks}], "
            f"Janus receives {dict(peer.media_receiving)}"
        )
    return "; ".join(parts)
