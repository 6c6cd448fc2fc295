"""The VideoRoom codec: request bodies, validation, replies, events and errors (no I/O).

The JSON shapes are what Janus 1.1.2 sent in the e2e tests (ids shortened).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, PluginData, PluginRequest
from janus_proto.plugins import videoroom as vr

ROOM = 990002
OFFER = {"type": "offer", "sdp": "v=0\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\n"}

DUMMY = {
    "id": 14,
    "display": "Dummy publisher",
    "dummy": True,
    "audio_codec": "opus",
    "video_codec": "vp8",
    "streams": [
        {"type": "audio", "mindex": 0, "mid": "0", "codec": "opus"},
        {"type": "audio", "mindex": 1, "mid": "1", "codec": "pcmu"},
        {"type": "video", "mindex": 2, "mid": "2", "codec": "vp8"},
    ],
}
SUB_STREAMS = [
    {
        "type": "audio",
        "active": True,
        "mindex": 0,
        "mid": "0",
        "crossrefid": "voice",
        "ready": False,
        "send": True,
        "feed_id": 14,
        "feed_display": "Dummy publisher",
        "feed_mid": "0",
        "codec": "opus",
    },
    {"type": "audio", "active": False, "mindex": 1, "mid": "1", "ready": True, "send": False},
]


# -- request bodies ----------------------------------------------------------------------


BODIES: list[tuple[PluginRequest[Any], dict[str, Any]]] = [
    (vr.Create(), {"request": "create"}),
    (
        vr.Create(
            room=ROOM,
            admin_key="adm",
            permanent=False,
            description="d",
            secret="s",
            pin="p",
            is_private=True,
            allowed=["a", "b"],
            require_pvtid=True,
            signed_tokens=False,
            publishers=6,
            bitrate=128000,
            bitrate_cap=True,
            fir_freq=10,
            audiocodec="opus,pcmu",
            videocodec="vp8,h264",
            vp9_profile="2",
            h264_profile="42e01f",
            opus_fec=True,
            opus_dtx=False,
            video_svc=False,
            audiolevel_ext=True,
            audiolevel_event=True,
            audio_active_packets=100,
            audio_level_average=25,
            videoorient_ext=True,
            playoutdelay_ext=True,
            transport_wide_cc_ext=True,
            record=False,
            rec_dir="/tmp",
            lock_record=True,
            notify_joining=True,
            require_e2ee=False,
            dummy_publisher=True,
            dummy_streams=[{"codec": "opus"}, {"codec": "h264", "fmtp": "profile-level-id=42e01f"}],
        ),
        {
            "request": "create",
            "room": ROOM,
            "admin_key": "adm",
            "permanent": False,
            "description": "d",
            "secret": "s",
            "pin": "p",
            "is_private": True,
            "allowed": ["a", "b"],
            "require_pvtid": True,
            "signed_tokens": False,
            "publishers": 6,
            "bitrate": 128000,
            "bitrate_cap": True,
            "fir_freq": 10,
            "audiocodec": "opus,pcmu",
            "videocodec": "vp8,h264",
            "vp9_profile": "2",
            "h264_profile": "42e01f",
            "opus_fec": True,
            "opus_dtx": False,
            "video_svc": False,
            "audiolevel_ext": True,
            "audiolevel_event": True,
            "audio_active_packets": 100,
            "audio_level_average": 25,
            "videoorient_ext": True,
            "playoutdelay_ext": True,
            "transport_wide_cc_ext": True,
            "record": False,
            "rec_dir": "/tmp",
            "lock_record": True,
            "notify_joining": True,
            "require_e2ee": False,
            "dummy_publisher": True,
            "dummy_streams": [
                {"codec": "opus"},
                {"codec": "h264", "fmtp": "profile-level-id=42e01f"},
            ],
        },
    ),
    (
        vr.Create(room="lobby", extra={"threads": 2}),
        {"request": "create", "room": "lobby", "threads": 2},
    ),
    (
        vr.Edit(
            room=ROOM,
            secret="s",
            new_description="d2",
            new_secret="s2",
            new_pin="p2",
            new_is_private=False,
            new_require_pvtid=True,
            new_bitrate=64000,
            new_fir_freq=5,
            new_publishers=2,
            new_lock_record=False,
            new_rec_dir="/rec",
            permanent=False,
        ),
        {
            "request": "edit",
            "room": ROOM,
            "secret": "s",
            "new_description": "d2",
            "new_secret": "s2",
            "new_pin": "p2",
            "new_is_private": False,
            "new_require_pvtid": True,
            "new_bitrate": 64000,
            "new_fir_freq": 5,
            "new_publishers": 2,
            "new_lock_record": False,
            "new_rec_dir": "/rec",
            "permanent": False,
        },
    ),
    (
        vr.Destroy(room=ROOM, secret="s", permanent=True),
        {"request": "destroy", "room": ROOM, "secret": "s", "permanent": True},
    ),
    (vr.Exists(room="r"), {"request": "exists", "room": "r"}),
    (vr.ListRooms(), {"request": "list"}),
    (vr.ListRooms(admin_key="k"), {"request": "list", "admin_key": "k"}),
    (
        vr.Allowed(room=ROOM, action="add", allowed=["t"], secret="s"),
        {"request": "allowed", "room": ROOM, "action": "add", "allowed": ["t"], "secret": "s"},
    ),
    (
        vr.Allowed(room=ROOM, action="enable"),
        {"request": "allowed", "room": ROOM, "action": "enable"},
    ),
    (
        vr.Allowed(room=ROOM, action="remove", allowed=[]),
        {"request": "allowed", "room": ROOM, "action": "remove", "allowed": []},
    ),
    (
        vr.Kick(room=ROOM, id=7, secret="s"),
        {"request": "kick", "room": ROOM, "id": 7, "secret": "s"},
    ),
    (
        vr.Moderate(room="r", id="alice", mid="0", mute=True, secret="s"),
        {
            "request": "moderate",
            "room": "r",
            "id": "alice",
            "mid": "0",
            "mute": True,
            "secret": "s",
        },
    ),
    (vr.ListParticipants(room=ROOM), {"request": "listparticipants", "room": ROOM}),
    (
        vr.ListForwarders(room=ROOM, secret="s"),
        {"request": "listforwarders", "room": ROOM, "secret": "s"},
    ),
    (
        vr.EnableRecording(room=ROOM, record=False, secret="s"),
        {"request": "enable_recording", "room": ROOM, "record": False, "secret": "s"},
    ),
    (
        vr.RtpForward(
            room=ROOM,
            publisher_id=7,
            host="127.0.0.1",
            host_family="ipv4",
            secret="s",
            admin_key="k",
            srtp_suite=80,
            srtp_crypto="key",
            streams=[
                vr.ForwardStream(mid="0", port=5002),
                vr.ForwardStream(
                    mid="1",
                    port=5004,
                    host="127.0.0.1",
                    host_family="ipv4",
                    rtcp_port=5005,
                    ssrc=1,
                    pt=96,
                    simulcast=False,
                    port_2=5006,
                    ssrc_2=2,
                    pt_2=97,
                    port_3=5008,
                    ssrc_3=3,
                    pt_3=98,
                    srtp_suite=32,
                    srtp_crypto="k2",
                    extra={"future": 1},
                ),
            ],
        ),
        {
            "request": "rtp_forward",
            "room": ROOM,
            "publisher_id": 7,
            "host": "127.0.0.1",
            "streams": [
                {"mid": "0", "port": 5002},
                {
                    "mid": "1",
                    "port": 5004,
                    "host": "127.0.0.1",
                    "host_family": "ipv4",
                    "rtcp_port": 5005,
                    "ssrc": 1,
                    "pt": 96,
                    "simulcast": False,
                    "port_2": 5006,
                    "ssrc_2": 2,
                    "pt_2": 97,
                    "port_3": 5008,
                    "ssrc_3": 3,
                    "pt_3": 98,
                    "srtp_suite": 32,
                    "srtp_crypto": "k2",
                    "future": 1,
                },
            ],
            "host_family": "ipv4",
            "secret": "s",
            "admin_key": "k",
            "srtp_suite": 80,
            "srtp_crypto": "key",
        },
    ),
    (
        vr.StopRtpForward(room=ROOM, publisher_id=7, stream_id=99, secret="s", admin_key="k"),
        {
            "request": "stop_rtp_forward",
            "room": ROOM,
            "publisher_id": 7,
            "stream_id": 99,
            "secret": "s",
            "admin_key": "k",
        },
    ),
    (
        vr.PublishRemotely(
            room=ROOM,
            publisher_id=7,
            remote_id="r1",
            host="127.0.0.1",
            port=10000,
            host_family="ipv4",
            rtcp_port=10001,
            srtp_suite=80,
            srtp_crypto="c",
            secret="s",
        ),
        {
            "request": "publish_remotely",
            "room": ROOM,
            "publisher_id": 7,
            "remote_id": "r1",
            "host": "127.0.0.1",
            "port": 10000,
            "host_family": "ipv4",
            "rtcp_port": 10001,
            "srtp_suite": 80,
            "srtp_crypto": "c",
            "secret": "s",
        },
    ),
    (
        vr.UnpublishRemotely(room=ROOM, publisher_id=7, remote_id="r1", secret="s"),
        {
            "request": "unpublish_remotely",
            "room": ROOM,
            "publisher_id": 7,
            "remote_id": "r1",
            "secret": "s",
        },
    ),
    (
        vr.ListRemotes(room=ROOM, publisher_id=7, secret="s"),
        {"request": "listremotes", "room": ROOM, "publisher_id": 7, "secret": "s"},
    ),
    (
        vr.AddRemotePublisher(
            room=ROOM,
            id=8,
            display="remote",
            mcast="232.1.1.1",
            iface="127.0.0.1",
            port=0,
            srtp_suite=80,
            srtp_crypto="c",
            secret="s",
            streams=[
                vr.RemoteStream(type="audio", mindex=0, mid="0", codec="opus"),
                vr.RemoteStream(
                    type="video",
                    mindex=1,
                    mid="1",
                    codec="vp8",
                    description="cam",
                    disabled=False,
                    simulcast=True,
                    svc=False,
                    extra={"videoorient_ext_id": 3},
                ),
            ],
        ),
        {
            "request": "add_remote_publisher",
            "room": ROOM,
            "streams": [
                {"type": "audio", "mindex": 0, "mid": "0", "codec": "opus"},
                {
                    "type": "video",
                    "mindex": 1,
                    "mid": "1",
                    "codec": "vp8",
                    "description": "cam",
                    "disabled": False,
                    "simulcast": True,
                    "svc": False,
                    "videoorient_ext_id": 3,
                },
            ],
            "id": 8,
            "display": "remote",
            "mcast": "232.1.1.1",
            "iface": "127.0.0.1",
            "port": 0,
            "srtp_suite": 80,
            "srtp_crypto": "c",
            "secret": "s",
        },
    ),
    (
        vr.UpdateRemotePublisher(
            room=ROOM,
            id=8,
            display="r2",
            srtp_suite=32,
            srtp_crypto="c",
            secret="s",
            streams=[vr.RemoteStream(type="data", mindex=2, mid="2")],
        ),
        {
            "request": "update_remote_publisher",
            "room": ROOM,
            "id": 8,
            "streams": [{"type": "data", "mindex": 2, "mid": "2"}],
            "display": "r2",
            "srtp_suite": 32,
            "srtp_crypto": "c",
            "secret": "s",
        },
    ),
    (
        vr.RemoveRemotePublisher(room=ROOM, id=8, secret="s"),
        {"request": "remove_remote_publisher", "room": ROOM, "id": 8, "secret": "s"},
    ),
    (
        vr.JoinPublisher(room=ROOM),
        {"request": "join", "ptype": "publisher", "room": ROOM},
    ),
    (
        vr.JoinPublisher(room="r", id="alice", display="Alice", token="t", pin="p"),
        {
            "request": "join",
            "ptype": "publisher",
            "room": "r",
            "id": "alice",
            "display": "Alice",
            "token": "t",
            "pin": "p",
        },
    ),
    (
        vr.JoinSubscriber(
            room=ROOM,
            private_id=1415679582,
            pin="p",
            token="t",
            use_msid=True,
            autoupdate=False,
            streams=[
                vr.SubscribeStream(feed=14),
                vr.SubscribeStream(
                    feed=15,
                    mid="1",
                    crossrefid="x",
                    send=True,
                    substream=2,
                    temporal=1,
                    fallback=250000,
                    spatial_layer=1,
                    temporal_layer=0,
                    min_delay=0,
                    max_delay=10,
                    extra={"h264-profile": "42e01f"},
                ),
            ],
        ),
        {
            "request": "join",
            "ptype": "subscriber",
            "room": ROOM,
            "streams": [
                {"feed": 14},
                {
                    "feed": 15,
                    "mid": "1",
                    "crossrefid": "x",
                    "send": True,
                    "substream": 2,
                    "temporal": 1,
                    "fallback": 250000,
                    "spatial_layer": 1,
                    "temporal_layer": 0,
                    "min_delay": 0,
                    "max_delay": 10,
                    "h264-profile": "42e01f",
                },
            ],
            "private_id": 1415679582,
            "pin": "p",
            "token": "t",
            "use_msid": True,
            "autoupdate": False,
        },
    ),
    (
        vr.JoinAndConfigure(
            room=ROOM,
            id=5,
            display="bob",
            token="t",
            pin="p",
            audiocodec="opus",
            videocodec="vp8",
            bitrate=128000,
            record=True,
            filename="/tmp/bob",
            audio_level_average=30,
            audio_active_packets=50,
            descriptions=[vr.StreamDescription(mid="0", description="mic")],
        ),
        {
            "request": "joinandconfigure",
            "ptype": "publisher",
            "room": ROOM,
            "id": 5,
            "display": "bob",
            "token": "t",
            "pin": "p",
            "audiocodec": "opus",
            "videocodec": "vp8",
            "bitrate": 128000,
            "record": True,
            "filename": "/tmp/bob",
            "audio_level_average": 30,
            "audio_active_packets": 50,
            "descriptions": [{"mid": "0", "description": "mic"}],
        },
    ),
    (vr.Publish(), {"request": "publish"}),
    (
        vr.Publish(
            audiocodec="opus",
            videocodec="vp8",
            bitrate=1,
            record=False,
            filename="f",
            display="d",
            audio_level_average=1,
            audio_active_packets=2,
            descriptions=[vr.StreamDescription(mid="1", description="cam")],
        ),
        {
            "request": "publish",
            "audiocodec": "opus",
            "videocodec": "vp8",
            "bitrate": 1,
            "record": False,
            "filename": "f",
            "display": "d",
            "audio_level_average": 1,
            "audio_active_packets": 2,
            "descriptions": [{"mid": "1", "description": "cam"}],
        },
    ),
    (
        vr.ConfigurePublisher(
            bitrate=64000,
            keyframe=True,
            record=False,
            filename="f",
            display="alice2",
            audio_level_average=20,
            audio_active_packets=10,
            streams=[
                vr.PublisherStreamConfig(mid="0", send=False),
                vr.PublisherStreamConfig(
                    mid="1", keyframe=True, min_delay=0, max_delay=5, extra={"x": 1}
                ),
            ],
            descriptions=[vr.StreamDescription(mid="1", description="camera")],
            update=True,
            restart=False,
        ),
        {
            "request": "configure",
            "bitrate": 64000,
            "keyframe": True,
            "record": False,
            "filename": "f",
            "display": "alice2",
            "audio_level_average": 20,
            "audio_active_packets": 10,
            "streams": [
                {"mid": "0", "send": False},
                {"mid": "1", "keyframe": True, "min_delay": 0, "max_delay": 5, "x": 1},
            ],
            "descriptions": [{"mid": "1", "description": "camera"}],
            "update": True,
            "restart": False,
        },
    ),
    (
        vr.ConfigureSubscriber(
            streams=[
                vr.SubscriberStreamConfig(mid="0", send=False),
                vr.SubscriberStreamConfig(
                    mid="1",
                    send=True,
                    substream=0,
                    temporal=1,
                    fallback=100000,
                    spatial_layer=0,
                    temporal_layer=2,
                    audio_level_average=25,
                    audio_active_packets=100,
                    min_delay=1,
                    max_delay=2,
                    extra={"y": 2},
                ),
            ],
            restart=True,
            update=False,
        ),
        {
            "request": "configure",
            "streams": [
                {"mid": "0", "send": False},
                {
                    "mid": "1",
                    "send": True,
                    "substream": 0,
                    "temporal": 1,
                    "fallback": 100000,
                    "spatial_layer": 0,
                    "temporal_layer": 2,
                    "audio_level_average": 25,
                    "audio_active_packets": 100,
                    "min_delay": 1,
                    "max_delay": 2,
                    "y": 2,
                },
            ],
            "restart": True,
            "update": False,
        },
    ),
    (vr.ConfigureSubscriber(restart=True), {"request": "configure", "restart": True}),
    (vr.Unpublish(), {"request": "unpublish"}),
    (vr.Start(), {"request": "start"}),
    (vr.Pause(), {"request": "pause"}),
    (
        vr.Switch(streams=[vr.SwitchStream(feed=8, mid="0", sub_mid="0", extra={"z": 0})]),
        {"request": "switch", "streams": [{"feed": 8, "mid": "0", "sub_mid": "0", "z": 0}]},
    ),
    (
        vr.Subscribe(streams=[vr.SubscribeStream(feed="bob", mid="1")]),
        {"request": "subscribe", "streams": [{"feed": "bob", "mid": "1"}]},
    ),
    (
        vr.Unsubscribe(
            streams=[
                vr.UnsubscribeStream(sub_mid="0"),
                vr.UnsubscribeStream(feed=14),
                vr.UnsubscribeStream(mid="1", extra={"w": True}),
            ]
        ),
        {
            "request": "unsubscribe",
            "streams": [{"sub_mid": "0"}, {"feed": 14}, {"mid": "1", "w": True}],
        },
    ),
    (
        vr.Update(
            subscribe=[vr.SubscribeStream(feed=8, mid="1")],
            unsubscribe=[vr.UnsubscribeStream(feed=14, mid="1")],
        ),
        {
            "request": "update",
            "subscribe": [{"feed": 8, "mid": "1"}],
            "unsubscribe": [{"feed": 14, "mid": "1"}],
        },
    ),
    (vr.Update(unsubscribe=[]), {"request": "update", "unsubscribe": []}),
    (vr.Leave(), {"request": "leave"}),
]


@pytest.mark.parametrize(("request_", "body"), BODIES, ids=lambda x: type(x).__name__)
def test_request_bodies(request_: PluginRequest[Any], body: dict[str, Any]) -> None:
    assert request_.body() == body
    assert next(iter(request_.body())) == "request"
    assert request_.PLUGIN == vr.PLUGIN


SYNC = {
    vr.Create,
    vr.Edit,
    vr.Destroy,
    vr.Exists,
    vr.ListRooms,
    vr.Allowed,
    vr.Kick,
    vr.Moderate,
    vr.ListParticipants,
    vr.ListForwarders,
    vr.EnableRecording,
    vr.RtpForward,
    vr.StopRtpForward,
    vr.PublishRemotely,
    vr.UnpublishRemotely,
    vr.ListRemotes,
    vr.AddRemotePublisher,
    vr.UpdateRemotePublisher,
    vr.RemoveRemotePublisher,
}


def test_every_request_is_covered_and_sync_flags_are_right() -> None:
    covered = {type(req) for req, _ in BODIES}
    exported = {
        cls
        for name in vr.__all__
        if isinstance(cls := getattr(vr, name), type) and issubclass(cls, PluginRequest)
    }
    assert covered == exported
    assert len(exported) == 33
    for cls in exported:
        assert cls.SYNC is (cls in SYNC), cls.__name__


def test_jsep_rules() -> None:
    jsep_rules = {cls: cls.JSEP for cls in (type(r) for r, _ in BODIES)}
    assert jsep_rules.pop(vr.Publish) is JsepRule.OFFER
    assert jsep_rules.pop(vr.JoinAndConfigure) is JsepRule.OFFER
    assert jsep_rules.pop(vr.ConfigurePublisher) is JsepRule.OPTIONAL
    assert jsep_rules.pop(vr.Start) is JsepRule.OPTIONAL
    assert set(jsep_rules.values()) == {JsepRule.NONE}
    with pytest.raises(ValueError, match="Publish needs a JSEP offer"):
        vr.Publish().check_jsep(None)
    with pytest.raises(ValueError, match="Publish needs a JSEP offer, got 'answer'"):
        vr.Publish().check_jsep(ANSWER)
    vr.Publish().check_jsep(OFFER)
    vr.Start().check_jsep(ANSWER)
    vr.Start().check_jsep(None)
    with pytest.raises(ValueError, match="ConfigureSubscriber takes no JSEP"):
        vr.ConfigureSubscriber().check_jsep(ANSWER)


# -- validation --------------------------------------------------------------------------


def _bad(cls: Callable[..., object], **kw: Any) -> object:
    """Build with arguments the type checker would refuse."""
    return cls(**kw)


def _sub(**kw: Any) -> Callable[[], object]:
    return lambda: vr.SubscribeStream(**kw)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: _bad(vr.Exists, room=True), TypeError, r"Exists\.room must be an int or str id"),
        (lambda: _bad(vr.Exists, room=1.5), TypeError, r"Exists\.room must be an int or str id"),
        (lambda: _bad(vr.Exists, room=-1), ValueError, r"Exists\.room must not be negative"),
        (lambda: _bad(vr.Exists, room=""), ValueError, r"Exists\.room must not be empty"),
        (
            lambda: _bad(
                vr.Exists,
            ),
            TypeError,
            r"room",
        ),
        (
            lambda: _bad(vr.Create, room=None, publishers="6"),
            TypeError,
            r"Create\.publishers must be int",
        ),
        (lambda: _bad(vr.Create, is_private=1), TypeError, r"Create\.is_private must be bool"),
        (lambda: _bad(vr.Create, allowed="abc"), TypeError, r"Create\.allowed must be a list"),
        (lambda: _bad(vr.Create, allowed=[1]), TypeError, r"Create\.allowed items must be str"),
        (lambda: _bad(vr.Create, dummy_streams=["opus"]), TypeError, r"items must be Mapping"),
        (lambda: _bad(vr.Create, extra=[("a", 1)]), TypeError, r"Create\.extra must be a mapping"),
        (
            lambda: _bad(vr.Edit, room=1, new_bitrate=True),
            TypeError,
            r"Edit\.new_bitrate must be int",
        ),
        (lambda: _bad(vr.Kick, room=1, id=None), TypeError, r"Kick\.id must be an int or str id"),
        (lambda: _bad(vr.Moderate, room=1, id=2, mid=0, mute=True), TypeError, r"Moderate\.mid"),
        (lambda: _bad(vr.Moderate, room=1, id=2, mid="0", mute=1), TypeError, r"Moderate\.mute"),
        (
            lambda: _bad(vr.EnableRecording, room=1, record=None),
            TypeError,
            r"EnableRecording\.record",
        ),
        (
            lambda: _bad(vr.Allowed, room=1, action="ban"),
            ValueError,
            r"Allowed\.action must be one of",
        ),
        (lambda: _bad(vr.Allowed, room=1, action="add"), ValueError, r"mandatory for action 'add'"),
        (lambda: _bad(vr.Allowed, room=1, action="remove"), ValueError, r"for action 'remove'"),
        (lambda: _bad(vr.Allowed, room=1, action=1), TypeError, r"Allowed\.action must be str"),
        (
            lambda: _bad(vr.RtpForward, room=1, publisher_id=2, host="127.0.0.1", streams=None),
            TypeError,
            r"RtpForward\.streams is mandatory",
        ),
        (
            lambda: _bad(vr.RtpForward, room=1, publisher_id=2, host="h", streams=[{"mid": "0"}]),
            TypeError,
            r"RtpForward\.streams items must be ForwardStream, got dict",
        ),
        (lambda: _bad(vr.ForwardStream, mid="0", port="5002"), TypeError, r"ForwardStream\.port"),
        (lambda: _bad(vr.ForwardStream, mid="0"), TypeError, r"port"),
        (
            lambda: _bad(vr.StopRtpForward, room=1, publisher_id=2, stream_id="9"),
            TypeError,
            r"StopRtpForward\.stream_id must be int",
        ),
        (lambda: _bad(vr.RemoteStream, type="audio", mindex="0", mid="0"), TypeError, r"mindex"),
        (
            lambda: _bad(vr.AddRemotePublisher, room=1, streams=[], id=-3),
            ValueError,
            r"AddRemotePublisher\.id must not be negative",
        ),
        (lambda: _bad(vr.JoinPublisher, room=1, id=False), TypeError, r"JoinPublisher\.id"),
        (lambda: _bad(vr.JoinPublisher, room=1, ptype="subscriber"), TypeError, r"ptype"),
        (
            lambda: _bad(vr.JoinSubscriber, room=1, streams=[14]),
            TypeError,
            r"JoinSubscriber\.streams items must be SubscribeStream, got int",
        ),
        (
            lambda: _bad(vr.JoinSubscriber, room=1, streams=[], private_id="1"),
            TypeError,
            r"private_id",
        ),
        (_sub(feed=None), TypeError, r"SubscribeStream\.feed must be an int or str id"),
        (_sub(feed=1, mid=0), TypeError, r"SubscribeStream\.mid must be str"),
        (_sub(feed=1, substream="2"), TypeError, r"SubscribeStream\.substream must be int"),
        (_sub(feed=1, extra={2: 1}), TypeError, r"SubscribeStream\.extra must be a mapping"),
        (
            lambda: _bad(
                vr.UnsubscribeStream,
            ),
            ValueError,
            r"needs feed, mid or sub_mid",
        ),
        (lambda: _bad(vr.UnsubscribeStream, feed=""), ValueError, r"must not be empty"),
        (lambda: _bad(vr.SwitchStream, feed=1, mid="0"), TypeError, r"sub_mid"),
        (lambda: _bad(vr.StreamDescription, mid="0", description=None), TypeError, r"description"),
        (lambda: _bad(vr.PublisherStreamConfig, send=True), TypeError, r"mid"),
        (lambda: _bad(vr.SubscriberStreamConfig, mid="0", fallback=0.5), TypeError, r"fallback"),
        (lambda: _bad(vr.Publish, descriptions=("0", "mic")), TypeError, r"items must be Stream"),
        (lambda: _bad(vr.Switch, streams=()), None, None),
        (
            lambda: _bad(
                vr.Update,
            ),
            ValueError,
            r"Update needs subscribe or unsubscribe",
        ),
        (
            lambda: _bad(vr.Update, subscribe=[vr.UnsubscribeStream(sub_mid="0")]),
            TypeError,
            r"Update\.subscribe items must be SubscribeStream",
        ),
    ],
)
def test_bad_input_is_refused_naming_class_and_field(
    build: Callable[[], object], error: type[Exception] | None, message: str | None
) -> None:
    if error is None:
        build()  # accepted: Janus decides about empty lists
        return
    with pytest.raises(error, match=message):
        build()


def test_requests_are_frozen_values() -> None:
    request = vr.JoinSubscriber(room=1, streams=[vr.SubscribeStream(feed=2)])
    assert request.streams == (vr.SubscribeStream(feed=2),)  # lists are stored as tuples
    assert request == vr.JoinSubscriber(room=1, streams=(vr.SubscribeStream(feed=2),))
    with pytest.raises(AttributeError):
        request.room = 3  # type: ignore[misc]
    # hashable, stream specs (and their ``extra``) included
    twin = vr.JoinSubscriber(room=1, streams=[vr.SubscribeStream(feed=2, extra={"x": 1})])
    assert hash(request) == hash(twin)
    assert request != twin


# -- replies -----------------------------------------------------------------------------


def test_sync_replies() -> None:
    created = vr.Create().parse_reply({"videoroom": "created", "room": ROOM, "permanent": False})
    assert (created.videoroom, created.room, created.permanent) == ("created", ROOM, False)
    edited = vr.Edit(room=ROOM).parse_reply({"videoroom": "edited", "room": ROOM})
    assert edited.room == ROOM
    assert edited.permanent is None
    destroyed = vr.Destroy(room="r").parse_reply({"videoroom": "destroyed", "room": "r"})
    assert destroyed.room == "r"
    exists = vr.Exists(room=ROOM).parse_reply(
        {"videoroom": "success", "room": 4040404, "exists": False}
    )
    assert exists.exists is False
    with pytest.raises(jp.RemoteProtocolError, match="'exists' missing"):
        vr.Exists(room=ROOM).parse_reply({"videoroom": "success", "room": 1})

    rooms = vr.ListRooms().parse_reply(
        {
            "videoroom": "success",
            "list": [
                {
                    "room": 1234,
                    "description": "Demo Room",
                    "pin_required": False,
                    "is_private": False,
                    "max_publishers": 6,
                    "bitrate": 128000,
                    "fir_freq": 10,
                    "require_pvtid": False,
                    "require_e2ee": False,
                    "dummy_publisher": False,
                    "notify_joining": False,
                    "audiocodec": "opus",
                    "videocodec": "vp8",
                    "opus_fec": True,
                    "record": False,
                    "lock_record": False,
                    "num_participants": 0,
                    "audiolevel_ext": True,
                    "audiolevel_event": True,
                    "audio_active_packets": 100,
                    "audio_level_average": 25,
                    "videoorient_ext": True,
                    "playoutdelay_ext": True,
                    "transport_wide_cc_ext": True,
                },
                {"room": "uuid-room", "video_svc": True, "new_setting": 1},
            ],
        }
    )
    first, second = rooms.rooms
    assert isinstance(first, vr.RoomInfo)
    assert (first.room, first.description, first.max_publishers) == (1234, "Demo Room", 6)
    assert first.audio_level_average == 25
    assert first.transport_wide_cc_ext is True
    assert second.room == "uuid-room"
    assert second.video_svc is True
    assert second.raw["new_setting"] == 1
    with pytest.raises(jp.RemoteProtocolError, match="'list' missing"):
        vr.ListRooms().parse_reply({"videoroom": "success"})

    allowed = vr.Allowed(room=ROOM, action="add", allowed=["t"]).parse_reply(
        {"videoroom": "success", "room": ROOM, "allowed": ["t", "u"]}
    )
    assert allowed.allowed == ("t", "u")
    disabled = vr.Allowed(room=ROOM, action="disable").parse_reply(
        {"videoroom": "success", "room": ROOM}
    )
    assert disabled.allowed is None
    kicked = vr.Kick(room=ROOM, id=1).parse_reply({"videoroom": "success"})
    assert isinstance(kicked, vr.Success)
    assert kicked.room is None

    participants = vr.ListParticipants(room=ROOM).parse_reply(
        {
            "videoroom": "participants",
            "room": ROOM,
            "participants": [
                {"id": 14, "display": "Dummy publisher", "dummy": True, "publisher": True},
                {"id": 78, "display": "remote", "remote": True, "publisher": True},
                {"id": "alice", "publisher": False, "talking": True},
            ],
        }
    )
    dummy, remote, alice = participants.participants
    assert (dummy.id, dummy.dummy, dummy.publisher) == (14, True, True)
    assert remote.remote is True
    assert (alice.id, alice.display, alice.talking) == ("alice", None, True)

    forwarder = {"stream_id": 2152132030, "host": "127.0.0.1", "port": 5004, "type": "video"}
    forwarder |= {"local_rtcp_port": 40035, "remote_rtcp_port": 5005}
    forwarders = vr.ListForwarders(room=ROOM).parse_reply(
        {
            "videoroom": "forwarders",
            "room": ROOM,
            "publishers": [
                {
                    "publisher_id": 79,
                    "display": "alice2",
                    "forwarders": [
                        {
                            "stream_id": 1631626326,
                            "host": "127.0.0.1",
                            "port": 5002,
                            "type": "audio",
                        },
                        forwarder,
                    ],
                }
            ],
        }
    )
    (pub,) = forwarders.publishers
    assert (pub.publisher_id, pub.display) == (79, "alice2")
    assert pub.forwarders[1] == vr.Forwarder(
        stream_id=2152132030,
        host="127.0.0.1",
        port=5004,
        type="video",
        local_rtcp_port=40035,
        remote_rtcp_port=5005,
    )

    recording = vr.EnableRecording(room=ROOM, record=True).parse_reply(
        {"videoroom": "success", "record": True}
    )
    assert recording.record is True

    rtp = vr.RtpForward(
        room=ROOM, publisher_id=79, host="127.0.0.1", streams=[vr.ForwardStream(mid="0", port=1)]
    ).parse_reply(
        {
            "publisher_id": 79,
            "forwarders": [
                {"stream_id": 1, "host": "127.0.0.1", "port": 1, "type": "audio", "ssrc": 5},
                {"stream_id": 2, "type": "video", "pt": 96, "substream": 1, "srtp": True},
            ],
            "room": ROOM,
            "videoroom": "rtp_forward",
        }
    )
    assert rtp.publisher_id == 79
    assert [(f.stream_id, f.ssrc, f.pt, f.substream, f.srtp) for f in rtp.forwarders] == [
        (1, 5, None, None, None),
        (2, None, 96, 1, True),
    ]
    stopped = vr.StopRtpForward(room=ROOM, publisher_id=79, stream_id=1).parse_reply(
        {"videoroom": "stop_rtp_forward", "room": ROOM, "publisher_id": 79, "stream_id": 1}
    )
    assert (stopped.publisher_id, stopped.stream_id) == (79, 1)


def test_remote_publisher_replies() -> None:
    added = vr.AddRemotePublisher(room=ROOM, streams=[]).parse_reply(
        {
            "videoroom": "success",
            "room": ROOM,
            "id": 78,
            "ip": "127.0.0.1",
            "port": 10000,
            "rtcp_port": 10001,
        }
    )
    assert (added.id, added.ip, added.port, added.rtcp_port) == (78, "127.0.0.1", 10000, 10001)
    remotized = vr.PublishRemotely(
        room=ROOM, publisher_id=79, remote_id="r1", host="127.0.0.1", port=9
    ).parse_reply({"videoroom": "success", "room": ROOM, "id": 79, "remote_id": "r1"})
    assert (remotized.id, remotized.remote_id) == (79, "r1")
    gone = vr.UnpublishRemotely(room=ROOM, publisher_id=79, remote_id="r1").parse_reply(
        {"videoroom": "success", "room": ROOM, "id": 79}
    )
    assert gone.id == 79
    remotes = vr.ListRemotes(room=ROOM, publisher_id=79).parse_reply(
        {
            "videoroom": "success",
            "room": ROOM,
            "id": 79,
            "list": [{"remote_id": "r1", "host": "127.0.0.1", "port": 9, "rtcp_port": 10}],
        }
    )
    assert remotes.remotes == (
        vr.Remotization(remote_id="r1", host="127.0.0.1", port=9, rtcp_port=10),
    )
    empty = vr.ListRemotes(room=ROOM, publisher_id=79).parse_reply({"videoroom": "success"})
    assert empty.remotes == ()


def test_joined_reply_of_join_and_of_joinandconfigure() -> None:
    joined = vr.JoinPublisher(room=ROOM).parse_reply(
        {
            "videoroom": "joined",
            "room": ROOM,
            "description": "Room 990002",
            "id": 33,
            "private_id": 1559740705,
            "publishers": [DUMMY],
            "attendees": [],
        }
    )
    assert isinstance(joined, vr.Joined)
    assert (joined.id, joined.private_id, joined.description) == (33, 1559740705, "Room 990002")
    (dummy,) = joined.publishers
    assert dummy == vr.Publisher(
        id=14,
        display="Dummy publisher",
        dummy=True,
        audio_codec="opus",
        video_codec="vp8",
        streams=(
            vr.PublisherStream(type="audio", mindex=0, mid="0", codec="opus"),
            vr.PublisherStream(type="audio", mindex=1, mid="1", codec="pcmu"),
            vr.PublisherStream(type="video", mindex=2, mid="2", codec="vp8"),
        ),
    )
    assert joined.attendees == ()
    assert joined.streams is None
    assert joined.jsep is None

    both = vr.JoinAndConfigure(room=ROOM).parse_reply(
        {
            "videoroom": "joined",
            "room": ROOM,
            "id": 54,
            "private_id": 2509915802,
            "publishers": [],
            "attendees": [{"id": 14, "display": "bob"}, {"id": "alice"}],
            "audio_codec": "opus",
            "video_codec": "vp8",
            "streams": [
                {"type": "audio", "mindex": 0, "mid": "0", "codec": "opus", "fec": True},
                {"type": "video", "mindex": 1, "mid": "1", "codec": "vp8", "simulcast": True},
            ],
        },
        ANSWER,
    )
    assert both.jsep == ANSWER
    assert both.attendees == (vr.Attendee(id=14, display="bob"), vr.Attendee(id="alice"))
    assert both.streams is not None
    assert both.streams[0].fec is True
    assert both.streams[1].simulcast is True
    with pytest.raises(jp.RemoteProtocolError, match="Joined: 'id' missing"):
        vr.JoinPublisher(room=1).parse_reply({"videoroom": "joined", "room": 1})
    with pytest.raises(jp.RemoteProtocolError, match="Publisher: 'id' must be int or str"):
        vr.JoinPublisher(room=1).parse_reply({"id": 1, "publishers": [{"id": 1.5}]})


def test_publisher_replies() -> None:
    published = vr.Publish().parse_reply(
        {
            "videoroom": "event",
            "room": ROOM,
            "configured": "ok",
            "audio_codec": "opus",
            "video_codec": "vp8",
            "streams": [
                {"type": "audio", "mindex": 0, "mid": "0", "description": "mic", "codec": "opus"},
                {"type": "video", "mindex": 1, "mid": "1", "disabled": True},
            ],
        },
        ANSWER,
    )
    assert published.configured == "ok"
    assert published.streams is not None
    assert published.streams[0].description == "mic"
    assert published.streams[1].disabled is True
    assert published.jsep == ANSWER
    configured = vr.ConfigurePublisher().parse_reply(
        {"videoroom": "event", "room": ROOM, "configured": "ok"}
    )
    assert configured.streams is None
    unpublished = vr.Unpublish().parse_reply(
        {"videoroom": "event", "room": ROOM, "unpublished": "ok"}
    )
    assert unpublished.unpublished == "ok"
    leaving = vr.Leave().parse_reply({"videoroom": "event", "room": ROOM, "leaving": "ok"})
    assert isinstance(leaving, vr.Leaving)
    assert leaving.reason is None


def test_subscriber_replies() -> None:
    attached = vr.JoinSubscriber(room=ROOM, streams=[]).parse_reply(
        {"videoroom": "attached", "room": ROOM, "streams": SUB_STREAMS}, OFFER
    )
    assert attached.jsep == OFFER
    first, second = attached.streams
    assert first == vr.SubscriberStream(
        type="audio",
        active=True,
        mindex=0,
        mid="0",
        crossrefid="voice",
        ready=False,
        send=True,
        feed_id=14,
        feed_display="Dummy publisher",
        feed_mid="0",
        codec="opus",
    )
    assert (second.active, second.feed_id, second.codec) == (False, None, None)

    started = vr.Start().parse_reply({"videoroom": "event", "room": ROOM, "started": "ok"})
    assert started.started == "ok"
    paused = vr.Pause().parse_reply({"videoroom": "event", "room": ROOM, "paused": "ok"})
    assert paused.paused == "ok"
    switched = vr.Switch(streams=[]).parse_reply(
        {"videoroom": "event", "switched": "ok", "room": ROOM, "changes": 1, "streams": SUB_STREAMS}
    )
    assert (switched.switched, switched.changes, len(switched.streams)) == ("ok", 1, 2)
    restarted = vr.ConfigureSubscriber(restart=True).parse_reply(
        {"videoroom": "event", "room": ROOM, "configured": "ok"}, OFFER
    )
    assert restarted.jsep == OFFER
    left = vr.Leave().parse_reply({"videoroom": "event", "room": ROOM, "left": "ok"})
    assert isinstance(left, vr.Left)
    assert left.left == "ok"


@pytest.mark.parametrize(
    "request_",
    [
        vr.Subscribe(streams=[vr.SubscribeStream(feed=14)]),
        vr.Unsubscribe(streams=[vr.UnsubscribeStream(sub_mid="0")]),
        vr.Update(subscribe=[vr.SubscribeStream(feed=14)]),
    ],
    ids=lambda r: type(r).__name__,
)
def test_subscription_changes_answer_updated_or_updating(
    request_: vr.Subscribe | vr.Unsubscribe | vr.Update,
) -> None:
    updated = request_.parse_reply(
        {"videoroom": "updated", "room": ROOM, "streams": SUB_STREAMS}, OFFER
    )
    assert isinstance(updated, vr.Updated)
    assert updated.streams is not None
    assert len(updated.streams) == 2
    assert updated.jsep == OFFER
    unchanged = request_.parse_reply({"videoroom": "updated", "room": ROOM})
    assert isinstance(unchanged, vr.Updated)
    assert unchanged.streams is None  # no SDP change: no streams, no offer
    updating = request_.parse_reply({"videoroom": "updating", "room": ROOM})
    assert isinstance(updating, vr.Updating)
    assert updating.room == ROOM
    with pytest.raises(jp.RemoteProtocolError, match="expected an object"):
        request_.parse_reply(["updating"])  # type: ignore[arg-type]


def test_leave_reply_must_be_an_object() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="Leaving: expected an object"):
        vr.Leave().parse_reply("left")  # type: ignore[arg-type]


# -- events ------------------------------------------------------------------------------


EVENTS: list[tuple[dict[str, Any], type[PluginData]]] = [
    ({"videoroom": "event", "error_code": 426, "error": "No such room (1)"}, vr.ErrorEvent),
    ({"videoroom": "joined", "room": 1, "id": 2, "publishers": []}, vr.Joined),
    ({"videoroom": "attached", "room": 1, "streams": SUB_STREAMS}, vr.Attached),
    ({"videoroom": "updated", "room": 1, "streams": SUB_STREAMS}, vr.Updated),
    ({"videoroom": "updating", "room": 1}, vr.Updating),
    ({"videoroom": "destroyed", "room": 1}, vr.Destroyed),
    (
        {"videoroom": "talking", "room": 1, "id": 2, "mid": "0", "audio-level-dBov-avg": 37.8},
        vr.Talking,
    ),
    (
        {"videoroom": "stopped-talking", "room": 1, "id": 2, "audio-level-dBov-avg": 60},
        vr.StoppedTalking,
    ),
    ({"videoroom": "slow_link", "current-bitrate": 262144}, vr.SlowLink),
    ({"videoroom": "created", "room": 1, "permanent": False}, vr.Created),
    ({"videoroom": "edited", "room": 1, "permanent": False}, vr.Edited),
    ({"videoroom": "participants", "room": 1, "participants": []}, vr.ParticipantList),
    ({"videoroom": "forwarders", "room": 1, "publishers": []}, vr.ForwarderList),
    ({"videoroom": "rtp_forward", "room": 1, "forwarders": []}, vr.RtpForwarded),
    ({"videoroom": "stop_rtp_forward", "room": 1, "stream_id": 3}, vr.RtpForwardStopped),
    ({"videoroom": "event", "room": 1, "configured": "ok"}, vr.Configured),
    ({"videoroom": "event", "room": 1, "started": "ok"}, vr.Started),
    ({"videoroom": "event", "room": 1, "paused": "ok"}, vr.Paused),
    ({"videoroom": "event", "room": 1, "switched": "ok", "changes": 0}, vr.Switched),
    ({"videoroom": "event", "room": 1, "left": "ok"}, vr.Left),
    ({"videoroom": "event", "room": 1, "unpublished": "ok"}, vr.Unpublished),
    ({"videoroom": "event", "room": 1, "unpublished": 79}, vr.PublisherUnpublished),
    ({"videoroom": "event", "room": 1, "leaving": "ok", "reason": "kicked"}, vr.Leaving),
    ({"videoroom": "event", "room": 1, "leaving": 79}, vr.ParticipantLeft),
    ({"videoroom": "event", "room": 1, "kicked": 34}, vr.ParticipantKicked),
    (
        {"videoroom": "event", "room": 1, "joining": {"id": 41, "display": "bob"}},
        vr.ParticipantJoining,
    ),
    ({"videoroom": "event", "room": 1, "publishers": [DUMMY]}, vr.NewPublishers),
    (
        {"videoroom": "event", "room": 1, "id": 79, "mid": "0", "moderation": "muted"},
        vr.Moderated,
    ),
    ({"videoroom": "event", "room": 1, "mid": "1", "substream": 2}, vr.SimulcastChanged),
    ({"videoroom": "event", "room": 1, "mid": "1", "temporal": 0}, vr.SimulcastChanged),
    ({"videoroom": "event", "room": 1, "mid": "1", "spatial_layer": 1}, vr.SimulcastChanged),
    ({"videoroom": "event", "room": 1, "mid": "1", "temporal_layer": 2}, vr.SimulcastChanged),
    ({"videoroom": "event", "id": 79, "display": "alice2"}, vr.DisplayChanged),
]


@pytest.mark.parametrize(
    ("data", "cls"), EVENTS, ids=lambda x: x.__name__ if isinstance(x, type) else ""
)
def test_codec_types_every_event(data: dict[str, Any], cls: type[PluginData]) -> None:
    event = vr.CODEC.parse_event(data, OFFER)
    assert type(event) is cls
    assert event.raw == data
    assert event.jsep == OFFER


@pytest.mark.parametrize(
    "data",
    [
        {"videoroom": "success"},  # ambiguous: only the request knows what it answers
        {"videoroom": "event", "room": 1},
        {"videoroom": "event", "display": "no id"},
        {"videoroom": "future", "configured": "ok"},
        {"other": "thing"},
    ],
)
def test_unknown_events_stay_generic(data: dict[str, Any]) -> None:
    event = vr.CODEC.parse_event(data)
    assert isinstance(event, GenericPluginData)
    assert event.plugin == vr.PLUGIN
    assert event.raw == data


def test_event_fields() -> None:
    def parse(data: Mapping[str, Any]) -> Any:
        return vr.CODEC.parse_event(data)

    error = parse({"videoroom": "event", "error_code": 428, "error": "No such feed (7)"})
    assert (error.error_code, error.error) == (428, "No such feed (7)")
    talking = parse(
        {"videoroom": "talking", "room": 1, "id": "alice", "mid": "0", "audio-level-dBov-avg": 37.8}
    )
    assert (talking.id, talking.mid, talking.audio_level) == ("alice", "0", 37.8)
    assert (
        parse({"videoroom": "stopped-talking", "id": 2, "audio-level-dBov-avg": 60}).audio_level
        == 60
    )
    slow = parse({"videoroom": "slow_link", "current-bitrate": 262144, "mid": "1"})
    assert (slow.current_bitrate, slow.mid) == (262144, "1")
    assert parse({"videoroom": "event", "unpublished": "alice"}).id == "alice"
    assert parse({"videoroom": "event", "leaving": 79}).id == 79
    assert parse({"videoroom": "event", "kicked": "bob"}).id == "bob"
    joining = parse({"videoroom": "event", "room": 1, "joining": {"id": 41, "display": "bob"}})
    assert joining.joining == vr.Attendee(id=41, display="bob")
    assert joining.raw["joining"] == {"id": 41, "display": "bob"}
    news = parse({"videoroom": "event", "room": 1, "publishers": [DUMMY]})
    assert news.publishers[0].streams[2].codec == "vp8"
    muted = parse({"videoroom": "event", "room": 1, "id": 79, "mid": "0", "moderation": "muted"})
    assert (muted.id, muted.mid, muted.muted) == (79, "0", True)
    assert parse({"videoroom": "event", "moderation": "unmuted"}).muted is False
    layers = parse(
        {"videoroom": "event", "mid": "1", "substream": 2, "temporal": 1, "spatial_layer": 0}
    )
    assert (layers.mid, layers.substream, layers.temporal, layers.spatial_layer) == ("1", 2, 1, 0)
    assert layers.temporal_layer is None
    renamed = parse({"videoroom": "event", "id": 79, "display": "alice2"})
    assert (renamed.id, renamed.display, renamed.room) == (79, "alice2", None)
    kicked = parse({"videoroom": "event", "room": 1, "leaving": "ok", "reason": "kicked"})
    assert (kicked.leaving, kicked.reason) == ("ok", "kicked")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"videoroom": "event", "joining": "bob"}, "'joining' must be Mapping"),
        ({"videoroom": "event", "joining": {"display": "bob"}}, "Attendee: 'id' missing"),
        ({"videoroom": "event", "publishers": {"id": 1}}, "'publishers' must be a list"),
        ({"videoroom": "event", "unpublished": 1.5}, "'unpublished' must be int or str"),
        ({"videoroom": "event", "moderation": True}, "'moderation' must be str"),
        ({"videoroom": "event", "error_code": "426"}, "'error_code' must be int"),
        ({"videoroom": "attached", "streams": [{"mindex": "0"}]}, "'mindex' must be int"),
        ({"videoroom": "talking", "audio-level-dBov-avg": "loud"}, "must be int or float"),
    ],
)
def test_malformed_events_are_remote_protocol_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(jp.RemoteProtocolError, match=message):
        vr.CODEC.parse_event(data)


# -- errors ------------------------------------------------------------------------------


ERROR_CODES = {
    421: vr.NoMessage,
    422: vr.InvalidJSON,
    423: vr.InvalidRequest,
    424: vr.JoinFirst,
    425: vr.AlreadyJoined,
    426: vr.NoSuchRoom,
    427: vr.RoomExistsError,
    428: vr.NoSuchFeed,
    429: vr.MissingElement,
    430: vr.InvalidElement,
    431: vr.InvalidSdpType,
    432: vr.PublishersFull,
    433: vr.Unauthorized,
    434: vr.AlreadyPublished,
    435: vr.NotPublished,
    436: vr.IdExists,
    437: vr.InvalidSDP,
    499: vr.UnknownError,
}


@pytest.mark.parametrize(("code", "cls"), sorted(ERROR_CODES.items()))
def test_each_error_code_has_its_class(code: int, cls: type[vr.VideoRoomError]) -> None:
    assert vr.ERRORS[code] is cls
    assert cls.code == code
    assert cls.__doc__ is not None
    assert cls.__doc__.startswith(f"{code}: ")
    failed = jp.PluginRequestFailed(
        raw={},
        transaction="t1",
        session_id=1,
        handle_id=2,
        plugin=vr.PLUGIN,
        error_code=code,
        error="Unauthorized (wrong secret)",
        data={"videoroom": "event", "error_code": code, "error": "Unauthorized (wrong secret)"},
    )
    exc = failed.to_exception()
    assert type(exc) is cls
    assert isinstance(exc, vr.VideoRoomError)
    assert isinstance(exc, jp.PluginError)
    assert (exc.error_code, exc.transaction, exc.plugin) == (code, "t1", vr.PLUGIN)
    assert exc.data["error_code"] == code


def test_error_table_is_complete_and_unknown_codes_get_the_base_class() -> None:
    assert vr.ERRORS == ERROR_CODES
    assert jp.plugin_error_for(vr.PLUGIN, 450) is vr.VideoRoomError
    assert jp.plugin_error_for(vr.PLUGIN, 430) is vr.InvalidElement


# -- properties --------------------------------------------------------------------------

ids = st.integers(min_value=0, max_value=2**53) | st.text(min_size=1, max_size=20)
maybe_int = st.none() | st.integers(min_value=0, max_value=2**32)
maybe_bool = st.none() | st.booleans()
maybe_str = st.none() | st.text(max_size=10)


@st.composite
def subscribe_streams(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "feed": draw(ids),
        "mid": draw(maybe_str),
        "crossrefid": draw(maybe_str),
        "send": draw(maybe_bool),
        "substream": draw(maybe_int),
        "temporal": draw(maybe_int),
        "fallback": draw(maybe_int),
        "spatial_layer": draw(maybe_int),
        "temporal_layer": draw(maybe_int),
        "min_delay": draw(maybe_int),
        "max_delay": draw(maybe_int),
    }


def _set(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


@given(room=ids, private_id=maybe_int, streams=st.lists(subscribe_streams(), max_size=4))
def test_subscriber_join_body_round_trip(
    room: int | str, private_id: int | None, streams: list[dict[str, Any]]
) -> None:
    request = vr.JoinSubscriber(
        room=room, private_id=private_id, streams=[vr.SubscribeStream(**s) for s in streams]
    )
    body = request.body()
    assert body == _set(
        {
            "request": "join",
            "ptype": "subscriber",
            "room": room,
            "streams": [_set(s) for s in streams],
            "private_id": private_id,
        }
    )


@given(
    room=st.none() | ids,
    description=maybe_str,
    publishers=maybe_int,
    notify_joining=maybe_bool,
    allowed=st.none() | st.lists(st.text(max_size=5), max_size=3),
)
def test_create_body_round_trip(
    room: int | str | None,
    description: str | None,
    publishers: int | None,
    notify_joining: bool | None,
    allowed: list[str] | None,
) -> None:
    fields: dict[str, Any] = {
        "room": room,
        "description": description,
        "publishers": publishers,
        "notify_joining": notify_joining,
        "allowed": allowed,
    }
    assert vr.Create(**fields).body() == {"request": "create", **_set(fields)}


@st.composite
def publisher_json(draw: st.DrawFn) -> dict[str, Any]:
    stream = st.fixed_dictionaries(
        {"type": st.sampled_from(["audio", "video", "data"]), "mindex": st.integers(0, 9)},
        optional={
            "mid": st.text(max_size=3),
            "codec": st.sampled_from(["opus", "vp8", "h264"]),
            "description": st.text(max_size=8),
            "disabled": st.booleans(),
            "simulcast": st.booleans(),
            "talking": st.booleans(),
        },
    )
    entry = {"id": draw(ids), "streams": draw(st.lists(stream, max_size=3))}
    entry.update(
        draw(
            st.fixed_dictionaries(
                {}, optional={"display": st.text(max_size=8), "dummy": st.booleans()}
            )
        )
    )
    return entry


@given(room=ids, publishers=st.lists(publisher_json(), max_size=3))
def test_new_publishers_parse_round_trip(room: int | str, publishers: list[dict[str, Any]]) -> None:
    data = {"videoroom": "event", "room": room, "publishers": publishers}
    event = vr.CODEC.parse_event(data)
    assert isinstance(event, vr.NewPublishers)
    assert event.room == room
    for parsed, entry in zip(event.publishers, publishers, strict=True):
        assert parsed.id == entry["id"]
        assert parsed.display == entry.get("display")
        assert parsed.dummy == entry.get("dummy")
        assert parsed.raw == entry
        for stream, raw in zip(parsed.streams, entry["streams"], strict=True):
            assert (stream.type, stream.mindex) == (raw["type"], raw["mindex"])
            assert stream.codec == raw.get("codec")
            assert stream.description == raw.get("description")
            assert stream.disabled == raw.get("disabled")
