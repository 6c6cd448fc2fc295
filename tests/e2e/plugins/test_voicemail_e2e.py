"""VoiceMail through the typed handle, against a real Janus 1.1.2.

The launcher points the plugin at ``workdir/voicemail`` with ``base = "/voicemail/"``. No
media flows (SDP without candidates), so ``started`` never comes; ``stop`` ends each
recording, and the plugin then ends the handle.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins.voicemail import VoiceMailHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import voicemail

from ..conftest import require_janus, url_of
from ..sdp import offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


@pytest.fixture(scope="module")
def broken_voicemail() -> Iterator[JanusServer]:
    """A Janus whose VoiceMail folder became a file after start: no recording can open."""
    require_janus()
    with JanusServer(plugins=[voicemail.PLUGIN], admin_http=False, admin_ws=False) as server:
        folder = server.workdir / "voicemail"
        shutil.rmtree(folder)
        folder.write_text("not a folder\n")
        yield server


async def test_record_and_stop(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        first = await VoiceMailHandle.attach(session)
        second = await VoiceMailHandle.attach(session)

        starting = await first.record(await offer())
        assert isinstance(starting, voicemail.Starting)
        assert starting.status == "starting"
        assert starting.jsep is not None
        assert starting.jsep["type"] == "answer"
        sdp = starting.jsep["sdp"]
        assert "opus/48000/2" in sdp
        assert "a=recvonly" in sdp
        assert "m=video 0 " in sdp  # audio only: the offered video is rejected
        other = await second.record(await offer(video=False))
        assert other.status == "starting"
        assert other.jsep is not None
        assert "m=video" not in other.jsep["sdp"]

        with pytest.raises(voicemail.AlreadyRecording, match="Already recording") as again:
            await first.send({"request": "record"})
        assert again.value.error_code == 465
        # update renegotiates a recording whose PeerConnection is up: not the case here
        with pytest.raises(voicemail.InvalidState, match="not recording"):
            await first.update(await offer())

        done = await first.stop()
        assert isinstance(done, voicemail.Done)
        assert done.status == "done"
        assert done.recording is not None
        assert done.recording.startswith("/voicemail/")
        assert done.recording.endswith(".opus")
        name = done.recording.rsplit("/", 1)[1]
        assert name.startswith("janus-voicemail-")
        assert (janus.workdir / "voicemail" / name).is_file()
        # the plugin ends the handle after done
        detached, _ = await first.wait_for(jp.HandleDetached, timeout=5)
        assert detached.handle_id == first.id
        assert first.closed

        # the other handle records on, into its own file
        assert not second.closed
        with pytest.raises(voicemail.AlreadyRecording):
            await second.send({"request": "record"})
        second_done = await second.stop()
        assert second_done.recording is not None
        assert second_done.recording != done.recording
        await second.wait_for(jp.HandleDetached, timeout=5)


async def test_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await VoiceMailHandle.attach(session)
        with pytest.raises(voicemail.InvalidRequest, match="Unknown request 'dance'") as err:
            await handle.send({"request": "dance"})
        assert err.value.error_code == 462
        assert isinstance(err.value, jp.PluginError)
        with pytest.raises(voicemail.MissingElement, match=r"\(request\)"):
            await handle.send({})
        with pytest.raises(voicemail.InvalidElement, match="request should be a string"):
            await handle.send({"request": 5})
        with pytest.raises(voicemail.InvalidState, match="not recording"):
            await handle.send({"request": "update"})
        with pytest.raises(ValueError, match="Record needs a JSEP offer"):
            await handle.record({})  # refused before sending
        with pytest.raises(ValueError, match="Stop takes no JSEP"):
            await handle.request(voicemail.Stop(), jsep=await offer())
        assert not handle.closed

        # Janus 1.1.2 accepts a record without an offer: "starting", and no answer
        bare = await handle.send({"request": "record"})
        assert isinstance(bare, voicemail.Starting)
        assert bare.jsep is None

        encrypted = await VoiceMailHandle.attach(session)
        with pytest.raises(voicemail.InvalidElement, match="Media encryption unsupported"):
            await encrypted.record({**await offer(), "e2ee": True})


async def test_file_cannot_be_opened(broken_voicemail: JanusServer, url_kind: str) -> None:
    url = url_of(broken_voicemail, url_kind)
    async with ja.connect(url) as client, client.session() as session:
        handle = await VoiceMailHandle.attach(session)
        with pytest.raises(voicemail.RecordingIOError, match="Couldn't open output file") as err:
            await handle.record(await offer(video=False))
        assert err.value.error_code == 466
        assert err.value.data["voicemail"] == "event"
