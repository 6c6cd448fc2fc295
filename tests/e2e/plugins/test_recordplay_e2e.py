"""Record&Play through the typed handle, against a real Janus 1.1.2.

No media flows in these tests (SDP without candidates), so a recording made here has .mjr
files holding the header only: it lists, but ``play`` refuses it (417). The playout path is
run on a recording written to the plugin's folder by the test, as the plugin's docs suggest
for recordings made elsewhere: a ``<id>.nfo`` file naming an .mjr file that holds real RTP
packets. Ids are random 52-bit numbers, since the ``janus`` server is shared by the run.
"""

from __future__ import annotations

import json
import struct
import uuid
from pathlib import Path

import anyio
import pytest

import janus_anyio as ja
from janus_anyio.plugins.recordplay import RecordPlayHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import recordplay

from ..conftest import url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


def unique_id() -> int:
    return (uuid.uuid4().int >> 76) + 1


def write_recording(folder: Path, rec_id: int, name: str) -> Path:
    """An audio-only recording as Janus writes them: ``<id>.nfo`` plus an .mjr file
    ("MJR00002", a length-prefixed JSON header, then "MEET" + offset + length + RTP)."""
    mjr = folder / f"e2e-{rec_id}-audio.mjr"
    info = json.dumps({"t": "a", "c": "opus", "s": 1704164645000000, "u": 1704164645000000})
    out = bytearray(b"MJR00002" + struct.pack(">H", len(info)) + info.encode())
    for i in range(50):  # one second of 20 ms Opus frames, payload type 111
        rtp = struct.pack(">BBHII", 0x80, 111, 1000 + i, 960 * i, 0x0E2E) + b"\xfc\xff\xfe"
        out += b"MEET" + struct.pack(">IH", 20 * i, len(rtp)) + rtp
    mjr.write_bytes(bytes(out))
    nfo = folder / f"{rec_id}.nfo"
    nfo.write_text(f"[{rec_id}]\nname = {name}\ndate = 2024-01-02 03:04:05\naudio = {mjr.name}\n")
    return nfo


async def listed(handle: RecordPlayHandle, rec_id: int) -> recordplay.RecordingInfo:
    """The list entry of ``rec_id``. Janus pushes ``done`` before it writes the .nfo file
    and marks the recording complete (only complete ones are listed): poll a little."""
    with anyio.fail_after(5):
        while True:
            for entry in await handle.list():
                if entry.id == rec_id:
                    return entry
            await anyio.sleep(0.02)


async def test_record_pause_resume_stop_then_listed(janus: JanusServer, url_kind: str) -> None:
    rec_id = unique_id()
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        recorder = await RecordPlayHandle.attach(session)
        viewer = await RecordPlayHandle.attach(session)

        # configure is answered at once (the docs say asynchronous)
        configured = await recorder.configure(
            video_bitrate_max=256000, video_keyframe_interval=5000
        )
        assert isinstance(configured, recordplay.Configured)
        assert configured.status == "ok"
        assert configured.settings == recordplay.Settings(
            video_bitrate_max=256000, video_keyframe_interval=5000
        )

        rec = await recorder.record(
            await offer(), name=f"e2e {rec_id}", id=rec_id, filename=f"e2e-{rec_id}"
        )
        assert isinstance(rec, recordplay.Recording)
        assert (rec.status, rec.id) == ("recording", rec_id)
        assert rec.jsep is not None
        assert rec.jsep["type"] == "answer"
        assert "m=audio" in rec.jsep["sdp"]
        assert "a=recvonly" in rec.jsep["sdp"]
        for kind in ("audio", "video"):
            assert (janus.recordings_dir / f"e2e-{rec_id}-{kind}.mjr").exists()
        # an ongoing recording is not listed
        assert rec_id not in {r.id for r in await viewer.list()}

        paused = await recorder.pause()
        assert (type(paused), paused.status, paused.id) == (recordplay.Paused, "paused", rec_id)
        resumed = await recorder.resume()
        assert (type(resumed), resumed.status, resumed.id) == (
            recordplay.Resumed,
            "resumed",
            rec_id,
        )
        stopped = await recorder.stop()
        assert (type(stopped), stopped.status, stopped.id) == (
            recordplay.Stopped,
            "stopped",
            rec_id,
        )
        done, _ = await recorder.wait_for(recordplay.Done, timeout=5)
        assert done.result == "done"

        # the other handle sees it once complete
        assert isinstance(await viewer.update(), recordplay.Updated)
        entry = await listed(viewer, rec_id)
        assert (janus.recordings_dir / f"{rec_id}.nfo").exists()
        assert isinstance(entry, recordplay.RecordingInfo)
        assert entry.name == f"e2e {rec_id}"
        assert entry.date
        assert (entry.audio, entry.video, entry.data) == (True, True, False)
        assert (entry.audio_codec, entry.video_codec) == ("opus", "vp8")

        # no media flowed, so the files hold no packet: Janus refuses to play them
        with pytest.raises(recordplay.InvalidRecording) as bad:
            await viewer.play(rec_id)
        assert bad.value.error_code == 417
        other = await RecordPlayHandle.attach(session)
        duplicate = await offer()
        with pytest.raises(recordplay.RecordingExists) as exists:
            await other.record(duplicate, name="duplicate", id=rec_id)
        assert exists.value.error_code == 420
        assert f"Recording {rec_id} already exists" in exists.value.error


async def test_play_a_recording_from_disk(janus: JanusServer, url_kind: str) -> None:
    rec_id = unique_id()
    write_recording(janus.recordings_dir, rec_id, f"crafted {rec_id}")
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        player = await RecordPlayHandle.attach(session)
        assert rec_id not in {r.id for r in await player.list()}  # not scanned yet
        updated = await player.update()
        assert updated.recordplay == "ok"
        entry = {r.id: r for r in await player.list()}[rec_id]
        assert (entry.name, entry.date) == (f"crafted {rec_id}", "2024-01-02 03:04:05")
        assert (entry.audio, entry.audio_codec, entry.video, entry.video_codec) == (
            True,
            "opus",
            False,
            None,
        )

        prepared = await player.play(rec_id)
        assert isinstance(prepared, recordplay.Preparing)
        assert (prepared.status, prepared.id, prepared.warning) == ("preparing", rec_id, None)
        assert prepared.jsep is not None
        assert prepared.jsep["type"] == "offer"
        assert "opus/48000" in prepared.jsep["sdp"]
        assert "a=sendonly" in prepared.jsep["sdp"]
        answer = await answer_for(prepared.jsep)

        with pytest.raises(recordplay.MissingElement, match="Missing SDP answer"):
            await player.send({"request": "start"})
        playing = await player.start(answer)
        assert (type(playing), playing.status) == (recordplay.Playing, "playing")
        paused = await player.pause()
        assert (paused.status, paused.id) == ("paused", rec_id)
        resumed = await player.resume()
        assert (resumed.status, resumed.id) == ("resumed", rec_id)
        restarted = await player.play(rec_id, restart=True)
        assert (type(restarted), restarted.status, restarted.id) == (
            recordplay.Preparing,
            "restarting",
            rec_id,
        )
        assert restarted.jsep is not None
        assert restarted.jsep["type"] == "offer"
        stopped = await player.stop()
        assert (stopped.status, stopped.id) == ("stopped", rec_id)
        await player.wait_for(recordplay.Done, timeout=5)


async def test_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await RecordPlayHandle.attach(session)

        with pytest.raises(recordplay.NoSuchRecording) as missing:
            await handle.play(unique_id())
        assert (missing.value.error_code, missing.value.error) == (416, "No such recording")
        assert isinstance(missing.value, ja.PluginError)
        with pytest.raises(recordplay.InvalidState, match="Not a playout session"):
            await handle.send({"request": "start"})
        with pytest.raises(recordplay.InvalidRequest, match="Unknown request 'dance'"):
            await handle.send({"request": "dance"})
        with pytest.raises(recordplay.MissingElement, match=r"\(request\)"):
            await handle.send({})
        with pytest.raises(recordplay.InvalidElement, match="video-bitrate-max"):
            await handle.send({"request": "configure", "video-bitrate-max": "fast"})
        with pytest.raises(recordplay.MissingElement, match="Missing SDP offer"):
            await handle.send({"request": "record", "name": "no offer"})
        with pytest.raises(ValueError, match="Record needs a JSEP offer"):
            await handle.record({}, name="no offer")  # refused before sending
        with pytest.raises(TypeError, match=r"Configure\.video_bitrate_max must be int"):
            await handle.configure(video_bitrate_max="fast")  # type: ignore[arg-type]

        # pause, resume and stop on an idle handle are no errors
        idle_pause = await handle.pause()
        assert (type(idle_pause), idle_pause.status) == (recordplay.Paused, None)
        idle_resume = await handle.resume()
        assert idle_resume.status is None
        idle_stop = await handle.stop()
        assert (idle_stop.status, idle_stop.id) == ("stopped", None)

        # Janus handles the JSEP before the plugin refuses: one fresh handle per offer
        async def fresh() -> RecordPlayHandle:
            return await RecordPlayHandle.attach(session)

        with pytest.raises(recordplay.MissingElement, match=r"\(name\)"):
            await (await fresh()).send({"request": "record"}, jsep=await offer())
        with pytest.raises(recordplay.InvalidElement, match="non-empty string"):
            await (await fresh()).send({"request": "record", "name": ""}, jsep=await offer())
        with pytest.raises(recordplay.InvalidElement, match="textdata should be a boolean"):
            await (await fresh()).send(
                {"request": "record", "name": "x", "textdata": "text"}, jsep=await offer()
            )
        with pytest.raises(recordplay.InvalidElement, match="can't contain an SDP"):
            await (await fresh()).send({"request": "play", "id": 1}, jsep=await offer())
