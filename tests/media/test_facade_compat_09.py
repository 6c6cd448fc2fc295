"""janus-client 0.9 compatibility with real media, inside the network namespace.

The media half of 0.9's suites, in 0.9's call forms: EchoTest ``start(play_from=...,
record_to=...)`` + ``wait_webrtcup()``; a VideoCall answered from an ``INCOMINGCALL``
handler with ``data["jsep"]`` (trickle on both sides); VideoRoom ``publish(player=...)``
returning ``configured == "ok"`` and ``webrtcup_event``; and what the first facade left
untested: ``subscribe_to_publisher`` with a recorder (the file is re-opened and its stamped
frames read), ``pause``/``start``, ``moderate``, ``switch_publisher``, trickle on publish
and subscribe. Waits are for amounts of media, with generous deadlines, never for a
fixed time. At most three peer connections with audio at a time.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaPlayer

from janus_anyio.testing import JanusServer
from janus_client import (
    JanusEchoTestPlugin,
    JanusSession,
    JanusTransport,
    JanusVideoCallPlugin,
    JanusVideoRoomPlugin,
    ParticipantType,
    VideoCallEventType,
    VideoRoomError,
    VideoRoomEventType,
)
from janus_media import StampedVideoTrack, frames, read_stamp

from .helpers import assert_in_order, assert_loopback_only, read_stamped
from .test_facade_media import CountingRecorder, recorded_stamps

pytestmark = [pytest.mark.media, pytest.mark.anyio]

WANTED_FRAMES = 60  # two seconds of the clip's video
SECOND_SOURCE = 50_000  # the stamps of the second publisher start here

_names = itertools.count(os.getpid() % 10_000 * 1000)


async def until(predicate: Any, timeout: float, what: str | Callable[[], str]) -> None:
    """Poll ``predicate``; fail after ``timeout`` s saying ``what`` (a callable: called
    then, to report the state at the failure)."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(poll(), timeout)
    except asyncio.TimeoutError:
        said = what() if callable(what) else what
        raise AssertionError(f"not within {timeout} s: {said}") from None


def room_state(plugin: JanusVideoRoomPlugin) -> tuple[ParticipantType | None, bool, bool]:
    """(participant type, publishing, webrtcup) now (a call: mypy would narrow them)."""
    return plugin.participant_type, plugin.is_publishing, plugin.webrtcup_event.is_set()


async def quiet_period(recorder: CountingRecorder, seconds: float, timeout: float) -> None:
    """Wait until ``recorder`` gets no video frame for ``seconds`` (a stream that flows
    never goes that quiet; frames already in flight may still land first)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        seen, since = recorder.video_frames, loop.time()
        while recorder.video_frames == seen and loop.time() - since < seconds:
            await asyncio.sleep(0.05)
        if recorder.video_frames == seen:
            return
        if loop.time() > give_up:
            raise AssertionError(f"video kept flowing for {timeout} s")


async def test_echotest_09_form(janus: JanusServer, clip: Path, tmp_path: Path) -> None:
    transport = JanusTransport.create_transport(base_url=janus.ws_url)
    await transport.connect()
    session = JanusSession(transport=transport)
    echo = JanusEchoTestPlugin()
    await echo.attach(session=session)
    recording = tmp_path / "echoed.webm"
    try:
        await echo.start(play_from=str(clip), record_to=str(recording))
        assert await echo.wait_webrtcup() is True
        assert (await session.transport.ping())["janus"] == "pong"
        peer = echo.peer_connection
        assert peer is not None
        assert_loopback_only(peer)
        # Media, not time: the recorder writes as it goes; wait for a few clusters.
        await until(
            lambda: recording.exists() and recording.stat().st_size > 60_000, 60, "echo recorded"
        )
        await echo.close_stream()
        assert echo.peer_connection is None
        await echo.destroy()
    finally:
        await session.destroy()
        await transport.disconnect()
    stamps = recorded_stamps(recording)
    assert len(stamps) >= 20, len(stamps)
    assert_in_order(stamps)


async def test_videocall_09_form_with_trickle(
    janus: JanusServer, clip: Path, tmp_path: Path
) -> None:
    transport = JanusTransport.create_transport(base_url=janus.ws_url)
    await transport.connect()
    session = JanusSession(transport=transport)
    callee, caller = JanusVideoCallPlugin(), JanusVideoCallPlugin()
    await callee.attach(session=session)
    await caller.attach(session=session)
    tag = next(_names)
    at_callee, at_caller = tmp_path / "callee.webm", tmp_path / "caller.webm"
    callee_recorder, caller_recorder = CountingRecorder(at_callee), CountingRecorder(at_caller)
    accepting: list[asyncio.Task[bool]] = []
    ringing = asyncio.Event()
    incoming: list[dict[str, Any]] = []

    async def on_incoming_call(data: dict[str, Any]) -> None:
        incoming.append(data)
        task = asyncio.create_task(
            callee.accept(
                jsep=data["jsep"],
                player=MediaPlayer(str(clip)),
                recorder=callee_recorder,
                trickle=True,
            )
        )
        accepting.append(task)
        ringing.set()

    callee.on_event(VideoCallEventType.INCOMINGCALL, on_incoming_call)
    try:
        assert await callee.register(username=f"in-{tag}")
        assert await caller.register(username=f"out-{tag}")
        placed = await caller.call(
            username=f"in-{tag}",
            player=MediaPlayer(str(clip)),
            recorder=caller_recorder,
            trickle=True,
        )
        assert placed is True
        await asyncio.wait_for(ringing.wait(), 30)
        assert incoming[0]["username"] == f"out-{tag}"  # 0.9's data: the event's result
        assert incoming[0]["jsep"]["type"] == "offer"
        assert await asyncio.wait_for(accepting[0], 30) is True
        assert (caller.in_call, callee.in_call) == (True, True)
        for plugin in (caller, callee):
            peer = plugin.peer_connection
            assert peer is not None
            assert peer.trickle
            await peer.wait_webrtcup(timeout=30)
            assert_loopback_only(peer)
        recorders = (callee_recorder, caller_recorder)
        await until(
            lambda: all(r.video_frames >= WANTED_FRAMES for r in recorders),
            90,
            lambda: f"both record {WANTED_FRAMES} frames: {[r.video_frames for r in recorders]}",
        )
        assert await caller.hangup() is True
        assert caller.in_call is False
        await until(lambda: not callee.in_call, 30, "the callee hears the hangup")
        assert await callee.hangup() is True
        assert callee.in_call is False
        await caller.destroy()
        await callee.destroy()
    finally:
        await session.destroy()
        await transport.disconnect()
    for path in (at_caller, at_callee):
        stamps = recorded_stamps(path)
        assert len(stamps) >= WANTED_FRAMES // 2, (path.name, len(stamps))
        assert_in_order(stamps)


async def test_videoroom_publish_player_and_recording_subscriber(
    janus: JanusServer, clip: Path, tmp_path: Path
) -> None:
    session = JanusSession(base_url=janus.ws_url)
    publisher, subscriber = JanusVideoRoomPlugin(), JanusVideoRoomPlugin()
    await publisher.attach(session=session)
    await subscriber.attach(session=session)
    room = await publisher.create_room(description="compat media", secret="mod", publishers=3)
    configured: list[dict[str, Any]] = []
    publisher.on_event(VideoRoomEventType.CONFIGURED, configured.append)
    recording = tmp_path / "subscribed.webm"
    recorder = CountingRecorder(recording)
    try:
        joined = await publisher.join_as_publisher(room_id=room, display="pub")
        assert joined["room"] == room
        published = await publisher.publish(player=MediaPlayer(str(clip)), trickle=True)
        assert published["configured"] == "ok"
        assert publisher.is_publishing
        await asyncio.wait_for(publisher.webrtcup_event.wait(), 30)
        await until(lambda: configured, 10, "CONFIGURED handler")
        assert configured[0]["configured"] == "ok"

        attached = await subscriber.subscribe_to_publisher(
            room_id=room,
            streams=[{"feed": publisher.publisher_id}],
            recorder=recorder,
            trickle=True,
            timeout=30.0,
        )
        assert attached["videoroom"] == "attached"
        assert attached["room"] == room
        assert sorted(s["type"] for s in attached["streams"]) == ["audio", "video"]
        assert subscriber.room_id == room
        sub_peer = subscriber.peer_connection
        assert sub_peer is not None
        assert sub_peer.trickle
        await sub_peer.wait_webrtcup(timeout=30)
        assert_loopback_only(sub_peer)
        await until(
            lambda: recorder.video_frames >= WANTED_FRAMES,
            90,
            lambda: f"subscriber records {WANTED_FRAMES} frames: {recorder.video_frames}",
        )

        # pause: the video stops; start() without a JSEP resumes it.
        assert await subscriber.pause(timeout=10.0) is True
        await quiet_period(recorder, 1.5, timeout=30)
        resumed_from = recorder.video_frames
        assert await subscriber.start() is True
        await until(
            lambda: recorder.video_frames >= resumed_from + 30,
            60,
            lambda: f"resumed: {recorder.video_frames - resumed_from} of 30 frames",
        )

        # moderate: muting the publisher's video stops it too; unmuting brings it back.
        video_mid = next(s["mid"] for s in attached["streams"] if s["type"] == "video")
        pub_id = publisher.publisher_id
        assert pub_id is not None
        assert await publisher.moderate(room, pub_id, video_mid, True, secret="mod")
        await quiet_period(recorder, 1.5, timeout=30)
        unmuted_from = recorder.video_frames
        assert await publisher.moderate_participant(
            room_id=room, participant_id=pub_id, mid=video_mid, mute=False, secret="mod"
        )
        await until(
            lambda: recorder.video_frames >= unmuted_from + 30,
            60,
            lambda: f"unmuted: {recorder.video_frames - unmuted_from} of 30 frames",
        )
        with pytest.raises(VideoRoomError):
            await publisher.moderate(room, pub_id, video_mid, True)  # the room has a secret

        assert await subscriber.unsubscribe() is True  # stops the recorder too
        assert room_state(subscriber) == (None, False, False)
        await publisher.unpublish()
        assert room_state(publisher) == (ParticipantType.PUBLISHER, False, False)
        await publisher.leave()
        assert room_state(publisher) == (None, False, False)
    finally:
        await publisher.destroy_room(room, secret="mod")
        await session.destroy()
    stamps = recorded_stamps(recording)
    assert len(stamps) >= WANTED_FRAMES, len(stamps)
    assert_in_order(stamps[: WANTED_FRAMES // 2])  # recorded before the pause
    # The clip played on while nothing came (the quiet periods above): the recording
    # skips part of it. (Right after a resume, a frame or two may come twice.)
    holes = [b - a for a, b in itertools.pairwise(stamps) if b - a > 30]
    assert holes, stamps


async def test_switch_publisher_feeds_another_source(janus: JanusServer) -> None:
    session = JanusSession(base_url=janus.ws_url)
    first, second, viewer = (JanusVideoRoomPlugin() for _ in range(3))
    for plugin in (first, second, viewer):
        await plugin.attach(session=session)
    room = await first.create_room(description="switch", publishers=2)
    switched: list[dict[str, Any]] = []
    viewer.on_event(VideoRoomEventType.SWITCHED, switched.append)
    try:
        await first.join(room, display_name="first")
        await first.publish([StampedVideoTrack()])
        await second.join(room, display_name="second")
        await second.publish([StampedVideoTrack(start=SECOND_SOURCE)])
        for source in (first, second):
            await asyncio.wait_for(source.webrtcup_event.wait(), 30)
        tracks: list[MediaStreamTrack] = []
        assert first.publisher_id is not None
        assert second.publisher_id is not None
        assert await viewer.subscribe_and_start(
            room, tracks.append, {"feed": first.publisher_id}, trickle=True, timeout=30.0
        )
        [video] = tracks
        before = await read_stamped(video, 10, timeout=30)
        assert max(before.stamps) < SECOND_SOURCE

        assert await viewer.switch_publisher(
            [{"feed": second.publisher_id, "mid": "0", "sub_mid": "0"}], timeout=10.0
        )

        async def second_source_arrives() -> int:
            async for frame in frames(video):
                stamp = read_stamp(frame)  # type: ignore[arg-type]
                if stamp is not None and stamp >= SECOND_SOURCE:
                    return stamp
            raise AssertionError("the track ended")

        assert await asyncio.wait_for(second_source_arrives(), 30) >= SECOND_SOURCE
        await until(lambda: switched, 10, "SWITCHED handler")
        assert switched[0]["switched"] == "ok"
        [stream] = [s for s in switched[0]["streams"] if s["mid"] == "0"]
        assert stream["feed_id"] == second.publisher_id

        # 0.9's unsubscribe(streams): drop that m-line only; Janus renegotiates.
        peer = viewer.peer_connection
        assert peer is not None
        assert peer.remote_directions["0"] == "sendonly"
        assert await viewer.unsubscribe(streams=[{"sub_mid": "0"}], timeout=30.0)
        assert peer.remote_directions["0"] == "inactive"
        assert viewer.peer_connection is peer  # the same subscription, renegotiated
    finally:
        await first.destroy_room(room)
        await session.destroy()
