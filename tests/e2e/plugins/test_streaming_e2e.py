"""Streaming through the typed handle, against a real Janus 1.1.2.

Mountpoints are created by the tests themselves: ``rtp`` ones with ``port: 0`` (Janus picks
free ports) bound to 127.0.0.1 only. ICE never connects (SDP without candidates), so the
viewers never reach ``started``; a few RTP packets sent on loopback move ``age_ms``.
"""

from __future__ import annotations

import random
import socket
import struct
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins.streaming import StreamingHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import streaming

from ..conftest import require_janus, url_of
from ..sdp import answer_for

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

SECRET = "mp-secret"
PIN = "mp-pin"
ADMIN_KEY = "streaming-admin-key"


def _id() -> int:
    """A mountpoint id no other test of the run uses (the Janus server is shared)."""
    return random.randrange(10**9, 2**52)


def _av_media() -> list[streaming.RtpMedia]:
    """An Opus and a VP8 stream on ports Janus picks, bound to loopback only."""
    return [
        streaming.RtpMedia(type="audio", mid="a", port=0, pt=111, codec="opus", iface="127.0.0.1"),
        streaming.RtpMedia(
            type="video", mid="v", port=0, rtcpport=0, pt=100, codec="vp8", iface="127.0.0.1"
        ),
    ]


async def _create_av(admin: StreamingHandle, mp_id: int | str, **fields: Any) -> streaming.Created:
    return await admin.create("rtp", id=mp_id, secret=SECRET, pin=PIN, media=_av_media(), **fields)


def _send_rtp(port: int, count: int = 3) -> None:
    """A few Opus-typed RTP packets to a mountpoint port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for seq in range(count):
            header = struct.pack("!BBHII", 0x80, 111, seq, seq * 960, 0x1234)
            sock.sendto(header + b"\xf8\xff\xfe", ("127.0.0.1", port))


@pytest.fixture(scope="module")
def keyed_janus() -> Iterator[JanusServer]:
    """A Janus whose Streaming plugin has an ``admin_key`` and uses string ids."""
    require_janus()
    config = f'general: {{\n\tadmin_key = "{ADMIN_KEY}"\n\tstring_ids = true\n}}\n'
    with JanusServer(
        plugins=["janus.plugin.streaming"], plugin_config={streaming.PLUGIN: config}
    ) as server:
        yield server


async def test_mountpoint_management(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await StreamingHandle.attach(session)
        mp_id = _id()
        created = await _create_av(admin, mp_id, description="cam", metadata="m1", name=f"n{mp_id}")
        assert isinstance(created, streaming.Created)
        assert created.name == f"n{mp_id}"
        assert created.id == mp_id
        assert created.permanent is False
        assert created.stream is not None
        assert created.stream.type == "live"  # 1.1.2 reports rtp mountpoints as "live"
        assert created.stream.host == "127.0.0.1"
        ports = {p.mid: p for p in created.stream.ports}
        assert set(ports) == {"a", "v"}
        audio_port = ports["a"].port
        assert audio_port is not None
        assert audio_port > 0
        assert (ports["v"].rtcp_port or 0) > 0

        listed = {m.id: m for m in await admin.list()}
        assert listed[mp_id].description == "cam"
        assert listed[mp_id].metadata == "m1"
        assert listed[mp_id].enabled is True
        assert [(m.mid, m.type) for m in listed[mp_id].media] == [("a", "audio"), ("v", "video")]

        public = await admin.info(mp_id)
        assert (public.name, public.secret, public.viewers) == (None, None, None)  # short form
        assert [m.port for m in public.media] == [None, None]
        full = await admin.info(mp_id, secret=SECRET)
        assert (full.name, full.secret, full.pin, full.viewers) == (f"n{mp_id}", SECRET, PIN, 0)
        assert full.host == "127.0.0.1"
        assert [(m.mindex, m.mid, m.codec, m.pt) for m in full.media] == [
            (0, "a", "opus", 111),
            (1, "v", "vp8", 100),
        ]
        assert full.media[0].port == audio_port
        assert full.media[1].rtcpport == ports["v"].rtcp_port
        assert full.media[0].rtpmap == "opus/48000/2"

        # age_ms counts from the last packet received on the stream
        await anyio.sleep(0.3)
        stale = await admin.info(mp_id)
        assert (stale.media[0].age_ms or 0) >= 250
        _send_rtp(audio_port)
        with anyio.fail_after(5):
            while ((await admin.info(mp_id)).media[0].age_ms or 0) >= 250:
                await anyio.sleep(0.02)

        edited = await admin.edit(
            mp_id, secret=SECRET, new_description="cam 2", new_metadata="m2", new_is_private=True
        )
        assert isinstance(edited, streaming.Edited)
        assert (edited.id, edited.permanent) == (mp_id, False)
        assert mp_id not in {m.id for m in await admin.list()}  # private now
        after = await admin.info(mp_id, secret=SECRET)
        assert (after.description, after.metadata, after.is_private) == ("cam 2", "m2", True)

        # recording into the server's recordings folder
        names = {mid: f"stream-{mid}-{uuid.uuid4().hex}" for mid in ("a", "v")}
        audio = streaming.RecordingMedia(mid="a", filename=str(janus.recordings_dir / names["a"]))
        ok = await admin.recording(mp_id, "start", [audio], secret=SECRET)
        assert isinstance(ok, streaming.Ok)
        recording = await admin.info(mp_id, secret=SECRET)
        assert [m.recording for m in recording.media] == [f"{names['a']}.mjr", None]
        with pytest.raises(streaming.InvalidRequest, match="already started"):
            await admin.recording(mp_id, "start", [audio], secret=SECRET)
        stop = streaming.RecordingMedia(mid="a")
        assert isinstance(await admin.recording(mp_id, "stop", [stop], secret=SECRET), streaming.Ok)
        assert (await admin.info(mp_id, secret=SECRET)).media[0].recording is None
        both = [
            streaming.RecordingMedia(mid=mid, filename=str(janus.recordings_dir / name))
            for mid, name in names.items()
        ]
        await admin.recording(mp_id, "start", both, secret=SECRET)
        # disable closes the recordings by default. Janus 1.1.2 (at its default log level)
        # crashes when it does so and a stream is not recording: here both are.
        assert isinstance(await admin.disable(mp_id, secret=SECRET), streaming.Ok)
        disabled = await admin.info(mp_id, secret=SECRET)
        assert disabled.enabled is False
        assert [m.recording for m in disabled.media] == [None, None]
        for name in names.values():
            assert (janus.recordings_dir / f"{name}.mjr").is_file()
        assert isinstance(await admin.enable(mp_id, secret=SECRET), streaming.Ok)
        assert (await admin.info(mp_id)).enabled is True
        await admin.disable(mp_id, secret=SECRET, stop_recording=False)
        assert (await admin.info(mp_id)).enabled is False
        await admin.enable(mp_id, secret=SECRET)
        protected = streaming.RecordingMedia(mid="a", filename="/etc/janus-client-test")
        with pytest.raises(streaming.CantRecord):
            await admin.recording(mp_id, "start", [protected], secret=SECRET)

        # errors
        with pytest.raises(streaming.CantCreate, match="already exists"):
            await _create_av(admin, mp_id)
        with pytest.raises(streaming.Unauthorized):
            await admin.edit(mp_id, secret="wrong", new_description="x")
        with pytest.raises(streaming.Unauthorized):
            await admin.kick_all(mp_id, secret="wrong")
        with pytest.raises(streaming.Unauthorized):
            await admin.destroy(mp_id, secret="wrong")
        with pytest.raises(streaming.MissingElement, match="secret"):
            await admin.destroy(mp_id)
        with pytest.raises(streaming.MissingElement, match="id"):
            await admin.send({"request": "info"})
        with pytest.raises(streaming.InvalidElement, match="id"):
            await admin.send({"request": "info", "id": "not-an-int"})
        with pytest.raises(streaming.InvalidElement, match="action"):
            await admin.send({"request": "recording", "action": "pause", "id": mp_id})
        with pytest.raises(streaming.InvalidRequest, match="dance"):
            await admin.send({"request": "dance"})
        with pytest.raises(jp.PluginError) as err:  # the base class catches every code
            await admin.send({"request": "create", "type": "rtp", "media": []})
        assert isinstance(err.value, streaming.CantCreate)

        destroyed = await admin.destroy(mp_id, secret=SECRET)
        assert isinstance(destroyed, streaming.Destroyed)
        assert destroyed.id == mp_id
        for call in (admin.info(mp_id), admin.destroy(mp_id), admin.enable(mp_id)):
            with pytest.raises(streaming.NoSuchMountpoint):
                await call


async def test_watch_control_and_viewer_events(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await StreamingHandle.attach(session)
        first, second = _id(), _id()
        await _create_av(admin, first)
        await _create_av(admin, second)

        viewer = await StreamingHandle.attach(session)
        preparing = await viewer.watch(first, pin=PIN, media=["a", "v"])
        assert isinstance(preparing, streaming.Preparing)
        assert preparing.status == "preparing"
        assert preparing.jsep is not None
        assert preparing.jsep["type"] == "offer"
        assert preparing.jsep["sdp"].count("m=audio") == preparing.jsep["sdp"].count("m=video") == 1
        assert (await admin.info(first, secret=SECRET)).viewers == 1
        with pytest.raises(streaming.InvalidState, match="Already watching"):
            await viewer.watch(first, pin=PIN)

        starting = await viewer.start(await answer_for(preparing.jsep))
        assert isinstance(starting, streaming.Starting)
        assert starting.jsep is None
        assert isinstance(await viewer.pause(), streaming.Pausing)
        assert isinstance(await viewer.start(), streaming.Starting)  # resume: no JSEP
        configured = await viewer.configure(mid="v", send=False, min_delay=0, max_delay=10)
        assert isinstance(configured, streaming.Configured)
        assert configured.event == "configured"
        configured = await viewer.configure(send=True, substream=1, temporal=0, fallback=250000)
        assert configured.event == "configured"

        switched = await viewer.switch(second)
        assert isinstance(switched, streaming.Switched)
        assert (switched.switched, switched.id) == ("ok", second)
        assert (await admin.info(first, secret=SECRET)).viewers == 0
        assert (await admin.info(second, secret=SECRET)).viewers == 1
        with pytest.raises(streaming.NoSuchMountpoint):
            await viewer.switch(_id())

        # ICE restart on a handle already watching: a new offer
        updating = await viewer.watch(second, pin=PIN, restart=True)
        assert isinstance(updating, streaming.Updating)
        assert updating.jsep is not None
        assert updating.jsep["type"] == "offer"

        # edited_event: the viewers of the mountpoint hear about new metadata
        await admin.edit(second, secret=SECRET, new_metadata="now playing", edited_event=True)
        edited = await viewer.expect(streaming.MountpointEdited, timeout=5)
        assert (edited.id, edited.metadata) == (second, "now playing")

        # 1.1.2 ignores stop (no event at all) while the PeerConnection is not up
        with pytest.raises(ja.RequestTimeout):
            await viewer.stop(timeout=1.0)

        kicked = await admin.kick_all(second, secret=SECRET)
        assert isinstance(kicked, streaming.KickedAll)
        event = await viewer.expect(streaming.Kicked, timeout=5)
        assert event.status == "kicked_all"
        await viewer.expect(jp.HungUp, timeout=5)
        assert (await admin.info(second, secret=SECRET)).viewers == 0

        # a second viewer, with the deprecated offer_* flags: audio only
        other = await StreamingHandle.attach(session)
        with pytest.raises(streaming.Unauthorized, match="pin"):
            await other.watch(first, pin="wrong")
        other = await StreamingHandle.attach(session)  # fresh handle per negotiation
        audio_only = await other.watch(first, pin=PIN, offer_video=False)
        assert audio_only.jsep is not None
        assert "m=audio" in audio_only.jsep["sdp"]
        assert "m=video" not in audio_only.jsep["sdp"]
        # destroying the mountpoint stops its viewers
        await admin.destroy(first, secret=SECRET)
        stopped = await other.expect(streaming.Stopped, timeout=5)
        assert stopped.status == "stopped"
        await other.expect(jp.HungUp, timeout=5)
        await admin.destroy(second, secret=SECRET)


async def test_watch_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        admin = await StreamingHandle.attach(session)
        viewer = await StreamingHandle.attach(session)
        # not watching anything yet
        with pytest.raises(streaming.NoSuchMountpoint, match="no mountpoint"):
            await viewer.start()
        with pytest.raises(streaming.NoSuchMountpoint):
            await viewer.pause()
        with pytest.raises(streaming.NoSuchMountpoint, match="not on a mountpoint"):
            await viewer.configure(send=True)
        with pytest.raises(streaming.NoSuchMountpoint, match="not on a mountpoint"):
            await viewer.switch(_id())
        with pytest.raises(streaming.NoSuchMountpoint):
            await viewer.watch(_id())
        with pytest.raises(streaming.MissingElement, match="id"):
            await viewer.send({"request": "watch"})
        mp_id = _id()
        await _create_av(admin, mp_id)
        with pytest.raises(streaming.InvalidElement, match="media"):
            await viewer.send({"request": "watch", "id": mp_id, "pin": PIN, "media": [1]})
        with pytest.raises(ValueError, match="JSEP answer"):
            await viewer.start({"type": "offer", "sdp": "v=0"})
        with pytest.raises(TypeError, match=r"Watch\.media must be a list"):
            await viewer.watch(mp_id, media="a")

        # switching only works between live RTP mountpoints: a live file one is refused
        alaw = janus.workdir / f"tone-{uuid.uuid4().hex}.alaw"
        alaw.write_bytes(b"\xd5" * 8000)  # one second of a-law silence
        file_id = _id()
        live = await admin.create(
            "live", id=file_id, filename=str(alaw), audio=True, audiopt=8, audiocodec="pcma"
        )
        assert live.stream is not None
        assert live.stream.ports == ()
        info = await admin.info(file_id)
        assert info.filename == str(alaw)
        assert [(m.type, m.codec, m.pt) for m in info.media] == [("audio", "pcma", 8)]
        with pytest.raises(streaming.InvalidRequest, match="RTP"):
            await admin.recording(
                file_id, "start", [streaming.RecordingMedia(mid="a", filename="x")]
            )
        preparing = await viewer.watch(mp_id, pin=PIN)
        assert isinstance(preparing, streaming.Preparing)
        with pytest.raises(streaming.CantSwitch, match="target"):
            await viewer.switch(file_id)
        on_demand = await admin.create(
            "ondemand", id=_id(), filename=str(alaw), audio=True, audiopt=8, audiocodec="pcma"
        )
        assert on_demand.stream is not None
        assert on_demand.stream.type == "on demand"
        od_viewer = await StreamingHandle.attach(session)
        assert isinstance(await od_viewer.watch(on_demand.stream.id), streaming.Preparing)
        with pytest.raises(streaming.CantSwitch, match="not on a live RTP"):
            await od_viewer.switch(mp_id)
        for created_id in (mp_id, file_id, on_demand.stream.id):
            await admin.destroy(created_id, secret=SECRET)


async def test_string_ids_and_admin_key(keyed_janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(keyed_janus, url_kind)) as client, client.session() as session:
        admin = await StreamingHandle.attach(session)
        media = [
            streaming.RtpMedia(
                type="audio", mid="a", port=0, pt=111, codec="opus", iface="127.0.0.1"
            )
        ]
        mp_id = f"cam-{uuid.uuid4().hex}"
        with pytest.raises(streaming.MissingElement, match="admin_key"):
            await admin.create("rtp", id=mp_id, media=media)
        with pytest.raises(streaming.Unauthorized, match="admin_key"):
            await admin.create("rtp", id=mp_id, media=media, admin_key="wrong")
        with pytest.raises(streaming.InvalidElement, match="string"):
            await admin.create("rtp", id=_id(), media=media, admin_key=ADMIN_KEY)
        created = await admin.create(
            "rtp", id=mp_id, media=media, admin_key=ADMIN_KEY, is_private=True
        )
        assert created.id == mp_id
        assert created.stream is not None
        assert created.stream.is_private is True
        assert mp_id not in {m.id for m in await admin.list()}
        assert mp_id in {m.id for m in await admin.list(admin_key=ADMIN_KEY)}
        with pytest.raises(streaming.Unauthorized):
            await admin.list(admin_key="wrong")
        info = await admin.info(mp_id)
        assert (info.id, info.is_private, info.media[0].mid) == (mp_id, True, "a")

        auto = await admin.create("rtp", media=media, admin_key=ADMIN_KEY)
        assert isinstance(auto.id, str)  # Janus picked a string id
        assert auto.id

        viewer = await StreamingHandle.attach(session)
        assert isinstance(await viewer.watch(mp_id), streaming.Preparing)
        destroyed = await admin.destroy(mp_id)
        assert destroyed.id == mp_id
        await viewer.expect(streaming.Stopped, timeout=5)
        await admin.destroy(auto.id)
