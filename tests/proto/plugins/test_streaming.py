"""Streaming codec: bodies, validation, parsing, dispatch and errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, PluginData, streaming

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}

# What the real Janus 1.1.2 sent (tests/e2e/plugins/test_streaming_e2e.py), trimmed.
CREATED = {
    "streaming": "created",
    "created": "n9001",
    "permanent": False,
    "stream": {
        "id": 9001,
        "type": "live",
        "description": "d",
        "is_private": False,
        "host": "127.0.0.1",
        "ports": [
            {"type": "audio", "mid": "a", "port": 10000},
            {"type": "video", "mid": "v", "port": 10001, "rtcp_port": 10002},
            {"type": "video", "mid": "s", "port": 10003, "port_2": 10004, "port_3": 10005},
        ],
    },
}
LIST = {
    "streaming": "list",
    "list": [
        {
            "id": 9002,
            "type": "live",
            "description": "mp-9002",
            "enabled": True,
            "media": [
                {"mid": "a", "type": "audio", "label": "audio", "age_ms": 0},
                {"mid": "v", "type": "video", "label": "video", "msid": "s t", "age_ms": 2},
            ],
        },
        {
            "id": "mp-one",
            "type": "on demand",
            "description": "f",
            "metadata": "m",
            "enabled": False,
        },
    ],
}
INFO = {
    "streaming": "info",
    "info": {
        "id": 9001,
        "name": "n9001",
        "description": "d2",
        "metadata": "m2",
        "secret": "s",
        "pin": "p",
        "is_private": True,
        "enabled": True,
        "viewers": 1,
        "type": "live",
        "host": "127.0.0.1",
        "collision": 3,
        "threads": 2,
        "srtp": True,
        "media": [
            {
                "mindex": 0,
                "type": "audio",
                "mid": "a",
                "label": "audio",
                "pt": 111,
                "codec": "opus",
                "rtpmap": "opus/48000/2",
                "port": 10000,
                "age_ms": 1023,
                "recording": "rec-a.mjr",
            },
            {
                "mindex": 1,
                "type": "video",
                "mid": "v",
                "label": "video",
                "pt": 100,
                "codec": "vp8",
                "rtpmap": "VP8/90000",
                "fmtp": "x=1",
                "videosimulcast": True,
                "videobufferkf": True,
                "videosvc": False,
                "skew_compensation": True,
                "port": 10001,
                "rtcpport": 10002,
                "port2": 10003,
                "port3": 10004,
                "age_ms": 1023,
            },
            {"mindex": 2, "type": "data", "mid": "d", "datatype": "text", "msid": "m t"},
        ],
    },
}
RTSP_INFO = {
    "streaming": "info",
    "info": {
        "id": 7,
        "type": "live",
        "rtsp": True,
        "url": "rtsp://127.0.0.1:1/x",
        "rtsp_user": "u",
        "rtsp_pwd": "pw",
        "rtsp_quirk": True,
        "filename": "/f.opus",
    },
}


def failed(code: int, error: str = "e") -> jp.PluginError:
    return plugin_failure(streaming.PLUGIN, code, error)


def _event(result: Any) -> dict[str, Any]:
    return {"streaming": "event", "result": result}


# -- requests ----------------------------------------------------------------------------


def test_sync_request_bodies() -> None:
    assert streaming.List().body() == {"request": "list"}
    assert streaming.List(admin_key="k").body() == {"request": "list", "admin_key": "k"}
    assert streaming.Info(id=5).body() == {"request": "info", "id": 5}
    assert streaming.Info(id="cam", secret="s").body() == {
        "request": "info",
        "id": "cam",
        "secret": "s",
    }
    edit = streaming.Edit(
        id=5,
        secret="s",
        new_description="d",
        new_metadata="m",
        new_secret="s2",
        new_pin="",
        new_is_private=False,
        permanent=True,
        edited_event=True,
    )
    assert edit.body() == {
        "request": "edit",
        "id": 5,
        "secret": "s",
        "new_description": "d",
        "new_metadata": "m",
        "new_secret": "s2",
        "new_pin": "",
        "new_is_private": False,
        "permanent": True,
        "edited_event": True,
    }
    assert streaming.Destroy(id=5, secret="s", permanent=False).body() == {
        "request": "destroy",
        "id": 5,
        "secret": "s",
        "permanent": False,
    }
    assert streaming.Enable(id="x").body() == {"request": "enable", "id": "x"}
    assert streaming.Disable(id=5, stop_recording=False).body() == {
        "request": "disable",
        "id": 5,
        "stop_recording": False,
    }
    assert streaming.KickAll(id=5, secret="s").body() == {
        "request": "kick_all",
        "id": 5,
        "secret": "s",
    }
    for cls in (
        streaming.List,
        streaming.Info,
        streaming.Create,
        streaming.Edit,
        streaming.Destroy,
        streaming.Enable,
        streaming.Disable,
        streaming.Recording,
        streaming.KickAll,
    ):
        assert cls.SYNC is True
        assert cls.JSEP is JsepRule.NONE
        assert cls.PLUGIN == streaming.PLUGIN


def test_create_rtp_body() -> None:
    media = [
        streaming.RtpMedia(type="audio", mid="a", port=0, pt=111, codec="opus", iface="127.0.0.1"),
        streaming.RtpMedia(
            type="video",
            mid="v",
            port=5004,
            rtcpport=0,
            pt=100,
            codec="vp8",
            fmtp="max-fs=12288",
            simulcast=True,
            port2=5006,
            port3=5008,
            label="cam",
            msid="s t",
            mcast="232.3.4.5",
            rtpmap="VP8/90000",
            skew=True,
            bufferkf=False,
            svc=False,
            h264sps="Z0IACpZTBYmI,aMljiA==",
            extra={"future": 1},
        ),
        streaming.RtpMedia(type="data", mid="d", port=5010),
    ]
    create = streaming.Create(
        type="rtp",
        id=9,
        name="n",
        description="d",
        metadata="m",
        secret="s",
        pin="p",
        is_private=True,
        permanent=False,
        admin_key="k",
        media=media,
        collision=10,
        threads=2,
        srtpsuite=32,
        srtpcrypto="c",
        e2ee=False,
        playoutdelay_ext=True,
        datatype="binary",
        buffermsg=True,
    )
    assert create.media == tuple(media)
    assert create.body() == {
        "request": "create",
        "type": "rtp",
        "id": 9,
        "name": "n",
        "description": "d",
        "metadata": "m",
        "secret": "s",
        "pin": "p",
        "is_private": True,
        "permanent": False,
        "admin_key": "k",
        "media": [
            {
                "type": "audio",
                "mid": "a",
                "port": 0,
                "iface": "127.0.0.1",
                "pt": 111,
                "codec": "opus",
            },
            {
                "type": "video",
                "mid": "v",
                "port": 5004,
                "label": "cam",
                "msid": "s t",
                "mcast": "232.3.4.5",
                "rtcpport": 0,
                "pt": 100,
                "codec": "vp8",
                "rtpmap": "VP8/90000",
                "fmtp": "max-fs=12288",
                "skew": True,
                "bufferkf": False,
                "simulcast": True,
                "port2": 5006,
                "port3": 5008,
                "svc": False,
                "h264sps": "Z0IACpZTBYmI,aMljiA==",
                "future": 1,
            },
            {"type": "data", "mid": "d", "port": 5010},
        ],
        "collision": 10,
        "threads": 2,
        "srtpsuite": 32,
        "srtpcrypto": "c",
        "e2ee": False,
        "playoutdelay_ext": True,
        "datatype": "binary",
        "buffermsg": True,
    }
    # secrets stay out of repr
    text = repr(create)
    assert "'s'" not in text
    assert "'p'" not in text
    assert "'k'" not in text
    assert "'c'" not in text


def test_create_file_and_rtsp_bodies() -> None:
    live = streaming.Create(
        type="live",
        filename="/music.opus",
        audio=True,
        audiopt=111,
        audiocodec="opus",
        audiofmtp="stereo=1",
    )
    assert live.body() == {
        "request": "create",
        "type": "live",
        "audio": True,
        "filename": "/music.opus",
        "audiopt": 111,
        "audiocodec": "opus",
        "audiofmtp": "stereo=1",
    }
    assert streaming.Create(type="ondemand", filename="/a.alaw", audiortpmap="PCMA/8000").body()[
        "audiortpmap"
    ] == ("PCMA/8000")
    rtsp = streaming.Create(
        type="rtsp",
        url="rtsp://127.0.0.1:8554/cam",
        rtsp_user="u",
        rtsp_pwd="pw",
        rtsp_quirk=True,
        rtsp_failcheck=False,
        rtspiface="127.0.0.1",
        rtsp_reconnect_delay=5,
        rtsp_session_timeout=60,
        rtsp_timeout=10,
        rtsp_conn_timeout=5,
        audio=False,
        video=True,
        data=False,
        videopt=96,
        videocodec="h264",
        videortpmap="H264/90000",
        videofmtp="profile-level-id=42e01f",
        videobufferkf=True,
        threads=1,
    )
    body = rtsp.body()
    assert body["url"] == "rtsp://127.0.0.1:8554/cam"
    assert (body["rtsp_user"], body["rtsp_pwd"], body["rtsp_quirk"]) == ("u", "pw", True)
    assert (body["rtsp_failcheck"], body["rtspiface"]) == (False, "127.0.0.1")
    assert [body[k] for k in ("rtsp_reconnect_delay", "rtsp_session_timeout")] == [5, 60]
    assert [body[k] for k in ("rtsp_timeout", "rtsp_conn_timeout", "threads")] == [10, 5, 1]
    assert [body[k] for k in ("audio", "video", "data")] == [False, True, False]
    assert [body[k] for k in ("videopt", "videocodec", "videortpmap", "videofmtp")] == [
        96,
        "h264",
        "H264/90000",
        "profile-level-id=42e01f",
    ]
    assert body["videobufferkf"] is True
    assert "pw" not in repr(rtsp)


def test_recording_bodies() -> None:
    start = streaming.Recording(
        action="start",
        id=5,
        secret="s",
        media=[streaming.RecordingMedia(mid="a", filename="/rec/a")],
    )
    assert start.body() == {
        "request": "recording",
        "action": "start",
        "id": 5,
        "media": [{"mid": "a", "filename": "/rec/a"}],
        "secret": "s",
    }
    stop = streaming.Recording(action="stop", id=5, media=[streaming.RecordingMedia(mid="a")])
    assert stop.body() == {
        "request": "recording",
        "action": "stop",
        "id": 5,
        "media": [{"mid": "a"}],
    }


def test_async_request_bodies_and_jsep_rules() -> None:
    watch = streaming.Watch(
        id=5,
        pin="p",
        media=["a", "v"],
        restart=False,
        offer_audio=True,
        offer_video=False,
        offer_data=False,
        substream=2,
        temporal=1,
        fallback=250000,
        spatial_layer=1,
        temporal_layer=2,
    )
    assert watch.body() == {
        "request": "watch",
        "id": 5,
        "pin": "p",
        "media": ["a", "v"],
        "restart": False,
        "offer_audio": True,
        "offer_video": False,
        "offer_data": False,
        "substream": 2,
        "temporal": 1,
        "fallback": 250000,
        "spatial_layer": 1,
        "temporal_layer": 2,
    }
    assert streaming.Watch(id="cam").body() == {"request": "watch", "id": "cam"}
    assert streaming.Start().body() == {"request": "start"}
    assert streaming.Pause().body() == {"request": "pause"}
    assert streaming.Stop().body() == {"request": "stop"}
    assert streaming.Switch(id=7).body() == {"request": "switch", "id": 7}
    configure = streaming.Configure(
        mid="v",
        send=False,
        substream=0,
        temporal=2,
        fallback=0,
        spatial_layer=0,
        temporal_layer=1,
        min_delay=-1,
        max_delay=10,
    )
    assert configure.body() == {
        "request": "configure",
        "mid": "v",
        "send": False,
        "substream": 0,
        "temporal": 2,
        "fallback": 0,
        "spatial_layer": 0,
        "temporal_layer": 1,
        "min_delay": -1,
        "max_delay": 10,
    }
    for cls in (
        streaming.Watch,
        streaming.Start,
        streaming.Pause,
        streaming.Configure,
        streaming.Switch,
        streaming.Stop,
    ):
        assert cls.SYNC is False
    # Janus always offers: watch takes no JSEP, start takes an answer or nothing
    with pytest.raises(ValueError, match="takes no JSEP"):
        watch.check_jsep(OFFER)
    start = streaming.Start()
    start.check_jsep(None)
    start.check_jsep(ANSWER)
    with pytest.raises(ValueError, match="Start takes a JSEP answer, got 'offer'"):
        start.check_jsep(OFFER)
    with pytest.raises(TypeError, match="jsep must be a mapping"):
        start.check_jsep("answer")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="takes no JSEP"):
        streaming.Stop().check_jsep(ANSWER)


def test_extra_keys_pass_through() -> None:
    body = streaming.Watch(id=1, extra={"future": True}).body()
    assert body == {"request": "watch", "id": 1, "future": True}
    legacy = streaming.Create(type="rtp", audio=True, extra={"audioport": 5002, "audiopt": 0})
    assert legacy.body()["audioport"] == 5002
    with pytest.raises(TypeError, match=r"RecordingMedia\.extra must be a mapping"):
        streaming.RecordingMedia(mid="a", extra={1: 2})  # type: ignore[dict-item]


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    [
        (streaming.Info, {}, TypeError, "missing"),
        (streaming.Info, {"id": True}, TypeError, r"Info\.id must be an int or str id"),
        (streaming.Info, {"id": -1}, ValueError, r"Info\.id must not be negative"),
        (streaming.Info, {"id": ""}, ValueError, r"Info\.id must not be empty"),
        (streaming.Info, {"id": 1, "secret": 5}, TypeError, r"Info\.secret must be str or None"),
        (streaming.List, {"admin_key": b"k"}, TypeError, r"List\.admin_key must be str"),
        (streaming.Create, {"type": "file"}, ValueError, r"Create\.type must be one of rtp"),
        (streaming.Create, {"type": None}, TypeError, r"Create\.type must be str"),
        (streaming.Create, {"type": "rtp", "id": 1.5}, TypeError, r"Create\.id must be an int"),
        (streaming.Create, {"type": "rtp", "threads": -1}, ValueError, "must not be negative"),
        (streaming.Create, {"type": "rtp", "collision": "1"}, TypeError, r"collision must be"),
        (streaming.Create, {"type": "rtp", "datatype": "json"}, ValueError, "text, binary"),
        (streaming.Create, {"type": "rtp", "is_private": 1}, TypeError, r"is_private must be"),
        (streaming.Create, {"type": "rtp", "media": "a"}, TypeError, r"media must be a list"),
        (streaming.Create, {"type": "rtp", "media": [{"mid": "a"}]}, TypeError, "RtpMedia"),
        (streaming.Create, {"type": "live"}, ValueError, "filename is mandatory"),
        (streaming.Create, {"type": "ondemand"}, ValueError, "'ondemand' mountpoint"),
        (
            streaming.Create,
            {"type": "live", "filename": "/f", "media": []},
            ValueError,
            "media is for 'rtp'",
        ),
        (streaming.Edit, {"id": 1, "new_is_private": "no"}, TypeError, r"new_is_private"),
        (streaming.Edit, {"id": 1, "new_pin": 1}, TypeError, r"Edit\.new_pin must be str"),
        (streaming.Disable, {"id": 1, "stop_recording": 0}, TypeError, "stop_recording"),
        (streaming.Recording, {"action": "start", "id": 1}, TypeError, "missing"),
        (
            streaming.Recording,
            {"action": "stop", "id": 1, "media": None},
            TypeError,
            r"Recording\.media is mandatory",
        ),
        (
            streaming.Recording,
            {"action": "pause", "id": 1, "media": []},
            ValueError,
            "start, stop",
        ),
        (
            streaming.Recording,
            {"action": "start", "id": 1, "media": [streaming.RecordingMedia(mid="a")]},
            ValueError,
            "need a filename",
        ),
        (streaming.Watch, {"id": 1, "media": "a"}, TypeError, r"Watch\.media must be a list"),
        (streaming.Watch, {"id": 1, "media": [1]}, TypeError, "items must be str"),
        (streaming.Watch, {"id": 1, "substream": -1}, ValueError, "must not be negative"),
        (streaming.Watch, {"id": 1, "restart": "yes"}, TypeError, r"Watch\.restart must be"),
        (streaming.Configure, {"send": 1}, TypeError, r"Configure\.send must be bool"),
        (streaming.Configure, {"temporal": -2}, ValueError, "must not be negative"),
        (streaming.Configure, {"min_delay": 1.0}, TypeError, r"min_delay must be int"),
        (streaming.Configure, {"mid": 0}, TypeError, r"Configure\.mid must be str"),
        (streaming.Switch, {}, TypeError, "missing"),
        (streaming.Switch, {"id": None}, TypeError, r"Switch\.id must be an int or str"),
    ],
)
def test_request_validation(
    cls: type[Any], kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        cls(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mid": "a", "port": 1}, TypeError, "missing"),
        ({"type": "text", "mid": "a", "port": 1}, ValueError, "audio, video, data"),
        ({"type": "audio", "mid": 1, "port": 1}, TypeError, r"RtpMedia\.mid must be str"),
        ({"type": "audio", "mid": "a", "port": None}, TypeError, r"RtpMedia\.port must be int"),
        ({"type": "audio", "mid": "a", "port": 70000}, ValueError, r"port must be a port"),
        ({"type": "audio", "mid": "a", "port": -1}, ValueError, r"port must be a port"),
        ({"type": "audio", "mid": "a", "port": 1, "rtcpport": 65536}, ValueError, "rtcpport"),
        ({"type": "video", "mid": "v", "port": 1, "port2": -5}, ValueError, "port2"),
        ({"type": "video", "mid": "v", "port": 1, "port3": "5"}, TypeError, "port3 must be"),
        ({"type": "audio", "mid": "a", "port": 1, "pt": -1}, ValueError, "pt must not be"),
        ({"type": "audio", "mid": "a", "port": 1, "simulcast": 1}, TypeError, "simulcast"),
        ({"type": "audio", "mid": "a", "port": 1, "extra": []}, TypeError, "extra must be"),
    ],
)
def test_rtp_media_validation(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        streaming.RtpMedia(**kwargs)


def test_recording_media_validation() -> None:
    with pytest.raises(TypeError, match=r"RecordingMedia\.mid must be str"):
        streaming.RecordingMedia(mid=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"RecordingMedia\.filename must be str"):
        streaming.RecordingMedia(mid="a", filename=1)  # type: ignore[arg-type]


# -- replies -----------------------------------------------------------------------------


def test_list_reply() -> None:
    reply = streaming.List().parse_reply(LIST)
    assert isinstance(reply, streaming.MountpointList)
    assert reply.raw == LIST
    first, second = reply.list
    assert (first.id, first.type, first.description, first.enabled) == (
        9002,
        "live",
        "mp-9002",
        True,
    )
    assert [(m.mid, m.type, m.label, m.msid, m.age_ms) for m in first.media] == [
        ("a", "audio", "audio", None, 0),
        ("v", "video", "video", "s t", 2),
    ]
    assert (second.id, second.metadata, second.enabled, second.media) == ("mp-one", "m", False, ())
    assert streaming.List().parse_reply({"streaming": "list", "list": []}).list == ()


def test_info_reply_lifts_the_info_object() -> None:
    reply = streaming.Info(id=9001, secret="s").parse_reply(INFO)
    assert isinstance(reply, streaming.MountpointInfo)
    assert reply.raw == INFO  # the whole data, not just ``info``
    assert (reply.id, reply.name, reply.description, reply.metadata) == (
        9001,
        "n9001",
        "d2",
        "m2",
    )
    assert (reply.secret, reply.pin, reply.is_private, reply.enabled) == ("s", "p", True, True)
    assert (reply.viewers, reply.type, reply.host) == (1, "live", "127.0.0.1")
    assert (reply.collision, reply.threads, reply.srtp, reply.rtsp) == (3, 2, True, None)
    audio, video, data = reply.media
    assert (audio.mindex, audio.mid, audio.pt, audio.codec, audio.rtpmap) == (
        0,
        "a",
        111,
        "opus",
        "opus/48000/2",
    )
    assert (audio.port, audio.rtcpport, audio.age_ms, audio.recording) == (
        10000,
        None,
        1023,
        "rec-a.mjr",
    )
    assert (video.fmtp, video.rtcpport, video.port2, video.port3) == ("x=1", 10002, 10003, 10004)
    assert (video.videosimulcast, video.videobufferkf, video.videosvc) == (True, True, False)
    assert video.skew_compensation is True
    assert (data.type, data.datatype, data.msid, data.port) == ("data", "text", "m t", None)
    # secrets are not in the repr
    assert "'p'" not in repr(reply)
    rtsp = streaming.MountpointInfo.parse(RTSP_INFO)
    assert (rtsp.rtsp, rtsp.url, rtsp.rtsp_user, rtsp.rtsp_pwd, rtsp.rtsp_quirk) == (
        True,
        "rtsp://127.0.0.1:1/x",
        "u",
        "pw",
        True,
    )
    assert (rtsp.filename, rtsp.media) == ("/f.opus", ())
    assert "pw" not in repr(rtsp)


def test_created_reply() -> None:
    reply = streaming.Create(type="rtp").parse_reply(CREATED)
    assert isinstance(reply, streaming.Created)
    assert (reply.name, reply.permanent, reply.id) == ("n9001", False, 9001)
    stream = reply.stream
    assert isinstance(stream, streaming.CreatedStream)
    assert stream.raw == CREATED["stream"]
    assert (stream.type, stream.description, stream.is_private, stream.host) == (
        "live",
        "d",
        False,
        "127.0.0.1",
    )
    audio, video, simulcast = stream.ports
    assert (audio.type, audio.mid, audio.port, audio.rtcp_port) == ("audio", "a", 10000, None)
    assert (video.port, video.rtcp_port) == (10001, 10002)
    assert (simulcast.port_2, simulcast.port_3, simulcast.msid) == (10004, 10005, None)
    # non-rtp mountpoints have no ports; an answer without stream has no id
    bare = streaming.Created.parse(
        {"streaming": "created", "created": "x", "stream": {"id": "s", "type": "on demand"}}
    )
    assert bare.stream is not None
    assert (bare.id, bare.stream.ports) == ("s", ())
    assert streaming.Created.parse({"streaming": "created", "created": "x"}).id is None


def test_other_sync_replies() -> None:
    edited = streaming.Edit(id=1).parse_reply({"streaming": "edited", "id": 1, "permanent": True})
    assert (edited.id, edited.permanent) == (1, True)
    destroyed = streaming.Destroy(id="x").parse_reply({"streaming": "destroyed", "destroyed": "x"})
    assert destroyed.id == "x"
    for request in (
        streaming.Enable(id=1),
        streaming.Disable(id=1),
        streaming.Recording(action="stop", id=1, media=[]),
    ):
        ok = request.parse_reply({"streaming": "ok"})
        assert isinstance(ok, streaming.Ok)
        assert ok.streaming == "ok"
    kicked = streaming.KickAll(id=1).parse_reply({"streaming": "kicked_all"})
    assert isinstance(kicked, streaming.KickedAll)


@pytest.mark.parametrize(
    ("cls", "data", "match"),
    [
        (streaming.MountpointList, {"streaming": "list"}, "'list' missing"),
        (streaming.MountpointList, {"streaming": "list", "list": {}}, "'list' must be a list"),
        (streaming.MountpointList, {"list": [{"type": "live"}]}, "'id' missing"),
        (streaming.MountpointList, {"list": [{"id": True}]}, "'id' must be int or str"),
        (streaming.MountpointInfo, {"streaming": "info"}, "'info' must be an object"),
        (streaming.MountpointInfo, {"info": "x"}, "'info' must be an object"),
        (streaming.MountpointInfo, {"info": {"id": 1, "media": [1]}}, "expected an object"),
        (streaming.MountpointInfo, [], "expected an object"),
        (streaming.Created, {"streaming": "created"}, "'created' missing"),
        (streaming.Created, {"created": "x", "stream": "s"}, "'stream' must be Mapping"),
        (streaming.Created, {"created": "x", "stream": {"type": "live"}}, "'id' missing"),
        (streaming.Destroyed, {"streaming": "destroyed"}, "'destroyed' missing"),
        (streaming.Edited, {"streaming": "edited", "id": 1.5}, "'id' must be int or str"),
        (streaming.Ok, {}, "'streaming' missing"),
    ],
)
def test_malformed_replies(cls: type[PluginData], data: Any, match: str) -> None:
    with pytest.raises(jp.RemoteProtocolError, match=match):
        cls.parse(data)


# -- events ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        ("preparing", streaming.Preparing),
        ("updating", streaming.Updating),
        ("starting", streaming.Starting),
        ("started", streaming.Started),
        ("pausing", streaming.Pausing),
        ("stopping", streaming.Stopping),
        ("stopped", streaming.Stopped),
        ("switching", streaming.Switching),
        ("kicked_all", streaming.Kicked),
        ("rewinding", streaming.OtherStatus),
    ],
)
def test_status_events(status: str, cls: type[streaming.StatusEvent]) -> None:
    data = _event({"status": status})
    event = streaming.CODEC.parse_event(data, OFFER)
    assert type(event) is cls
    assert isinstance(event, streaming.StatusEvent)
    assert event.status == status
    assert event.raw == data
    assert event.jsep == OFFER
    # the requests answered with a status parse to the same subclass
    assert type(streaming.Watch(id=1).parse_reply(data, OFFER)) is cls
    assert type(streaming.Start().parse_reply(data)) is cls
    # and so does the subclass itself
    assert type(cls.parse(data)) is cls


def test_status_event_malformed() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="'status' missing"):
        streaming.StatusEvent.parse(_event({"status": None}))
    with pytest.raises(jp.RemoteProtocolError, match="'status' must be str"):
        streaming.StatusEvent.parse(_event({"status": 1}))
    with pytest.raises(jp.RemoteProtocolError, match="'result' must be an object"):
        streaming.Pause().parse_reply({"streaming": "event"})
    with pytest.raises(jp.RemoteProtocolError, match="expected an object"):
        streaming.StatusEvent.parse("preparing")  # type: ignore[arg-type]


def test_result_events() -> None:
    codec = streaming.CODEC
    configured = codec.parse_event(_event({"event": "configured"}))
    assert isinstance(configured, streaming.Configured)
    assert configured.event == "configured"
    assert streaming.Configure().parse_reply(_event({"event": "configured"})).event == "configured"
    switched = codec.parse_event(_event({"switched": "ok", "id": 7}))
    assert isinstance(switched, streaming.Switched)
    assert (switched.switched, switched.id) == ("ok", 7)
    assert streaming.Switch(id="b").parse_reply(_event({"switched": "ok", "id": "b"})).id == "b"
    sim = codec.parse_event(_event({"mid": "v", "substream": 2}))
    assert isinstance(sim, streaming.SimulcastChanged)
    assert (sim.mid, sim.substream, sim.temporal) == ("v", 2, None)
    temporal = codec.parse_event(_event({"temporal": 1}))
    assert isinstance(temporal, streaming.SimulcastChanged)
    assert (temporal.mid, temporal.temporal) == (None, 1)
    svc = codec.parse_event(_event({"mid": "v", "spatial_layer": 1, "temporal_layer": 0}))
    assert isinstance(svc, streaming.SvcLayerChanged)
    assert (svc.mid, svc.spatial_layer, svc.temporal_layer) == ("v", 1, 0)
    only_temporal = codec.parse_event(_event({"temporal_layer": 2}))
    assert isinstance(only_temporal, streaming.SvcLayerChanged)
    # 1.1.2 sends the viewers' edited event without a "streaming" key
    data = {"event": "edited", "id": 9002, "metadata": "m3"}
    edited = codec.parse_event(data)
    assert isinstance(edited, streaming.MountpointEdited)
    assert (edited.event, edited.id, edited.metadata) == ("edited", 9002, "m3")
    assert edited.raw == data


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        (LIST, streaming.MountpointList),
        (INFO, streaming.MountpointInfo),
        (CREATED, streaming.Created),
        ({"streaming": "edited", "id": 1, "permanent": False}, streaming.Edited),
        ({"streaming": "destroyed", "destroyed": 1}, streaming.Destroyed),
        ({"streaming": "ok"}, streaming.Ok),
        ({"streaming": "kicked_all"}, streaming.KickedAll),
    ],
)
def test_codec_types_sync_answers(data: dict[str, Any], cls: type[Any]) -> None:
    """What ``send()`` gets back for raw bodies is typed as well."""
    assert type(streaming.CODEC.parse_event(data)) is cls


@pytest.mark.parametrize(
    "data",
    [
        {"streaming": "event"},
        _event("odd"),
        _event({"brand": "new"}),
        {"streaming": "event", "result": {"event": "unknown"}},
        {"streaming": "brand-new"},
        {"event": "other"},
    ],
)
def test_unknown_data_is_generic(data: dict[str, Any]) -> None:
    event = streaming.CODEC.parse_event(data)
    assert isinstance(event, GenericPluginData)
    assert event.plugin == streaming.PLUGIN
    assert event.raw == data


def test_codec_handles_non_objects() -> None:
    assert isinstance(streaming.CODEC.parse_event([1, 2]), GenericPluginData)  # type: ignore[arg-type]


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (450, streaming.NoMessage),
        (451, streaming.InvalidJSON),
        (452, streaming.InvalidRequest),
        (453, streaming.MissingElement),
        (454, streaming.InvalidElement),
        (455, streaming.NoSuchMountpoint),
        (456, streaming.CantCreate),
        (457, streaming.Unauthorized),
        (458, streaming.CantSwitch),
        (459, streaming.CantRecord),
        (460, streaming.InvalidState),
        (470, streaming.UnknownError),
    ],
)
def test_error_classes(code: int, cls: type[jp.PluginError]) -> None:
    exc = failed(code)
    assert type(exc) is cls
    assert isinstance(exc, streaming.StreamingError)
    assert isinstance(exc, jp.PluginError)
    assert streaming.ERRORS[code] is cls
    assert cls.code == code
    assert (cls.__doc__ or "").startswith(f"{code}: ")
    assert (exc.plugin, exc.error_code, exc.error) == (streaming.PLUGIN, code, "e")


def test_unknown_error_code_gets_the_base_class() -> None:
    exc = failed(499)
    assert type(exc) is streaming.StreamingError


def test_public_names() -> None:
    for name in streaming.__all__:
        assert hasattr(streaming, name), name
    assert set(streaming.MOUNTPOINT_TYPES) == {"rtp", "live", "ondemand", "rtsp"}


# -- properties --------------------------------------------------------------------------

ids = st.integers(min_value=0, max_value=2**53) | st.text(min_size=1, max_size=20)
counts = st.none() | st.integers(min_value=0, max_value=2**31)
mids = st.text(min_size=1, max_size=8)


@given(
    mp_id=ids,
    pin=st.none() | st.text(max_size=10),
    media=st.none() | st.lists(mids, max_size=4),
    substream=counts,
    offer_video=st.none() | st.booleans(),
)
def test_watch_round_trip(
    mp_id: int | str,
    pin: str | None,
    media: list[str] | None,
    substream: int | None,
    offer_video: bool | None,
) -> None:
    body = streaming.Watch(
        id=mp_id, pin=pin, media=media, substream=substream, offer_video=offer_video
    ).body()
    expected = {
        "request": "watch",
        "id": mp_id,
        "pin": pin,
        "media": media,
        "offer_video": offer_video,
        "substream": substream,
    }
    assert body == {k: v for k, v in expected.items() if v is not None}


@given(
    mid=st.none() | mids,
    send=st.none() | st.booleans(),
    layers=st.tuples(counts, counts, counts, counts, counts),
    delays=st.tuples(st.none() | st.integers(), st.none() | st.integers()),
)
def test_configure_round_trip(
    mid: str | None,
    send: bool | None,
    layers: tuple[int | None, ...],
    delays: tuple[int | None, int | None],
) -> None:
    names = ("substream", "temporal", "fallback", "spatial_layer", "temporal_layer")
    fields: dict[str, Any] = {"mid": mid, "send": send, **dict(zip(names, layers, strict=True))}
    fields.update(min_delay=delays[0], max_delay=delays[1])
    body = streaming.Configure(**fields).body()
    assert body.pop("request") == "configure"
    assert body == {k: v for k, v in fields.items() if v is not None}


@given(
    kind=st.sampled_from(["audio", "video", "data"]),
    mid=mids,
    port=st.integers(min_value=0, max_value=65535),
    pt=counts,
    codec=st.none() | st.text(max_size=8),
)
def test_rtp_media_round_trip(
    kind: str, mid: str, port: int, pt: int | None, codec: str | None
) -> None:
    media = streaming.RtpMedia(type=kind, mid=mid, port=port, pt=pt, codec=codec)
    expected = {"type": kind, "mid": mid, "port": port, "pt": pt, "codec": codec}
    assert media.to_json() == {k: v for k, v in expected.items() if v is not None}
    body = streaming.Create(type="rtp", media=[media]).body()
    assert body["media"] == [media.to_json()]


@given(
    mp_id=ids,
    status=st.sampled_from(
        ["preparing", "updating", "starting", "started", "pausing", "stopping", "stopped"]
    ),
)
def test_status_parse_keeps_raw(mp_id: int | str, status: str) -> None:
    data = {"streaming": "event", "result": {"status": status, "id": mp_id}}
    event = streaming.CODEC.parse_event(data)
    assert isinstance(event, streaming.StatusEvent)
    assert event.status == status
    assert event.raw["result"]["id"] == mp_id
