"""AudioBridge codec: bodies, validation, parsing, event dispatch and errors (no I/O).

The JSON shapes are those a real Janus 1.1.2 sent in the e2e tests.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, PluginRequest
from janus_proto.plugins import audiobridge as ab

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}
AB = "audiobridge"


def failed(code: int, error: str = "e") -> jp.PluginError:
    return plugin_failure(ab.PLUGIN, code, error)


# -- request bodies ----------------------------------------------------------------------

BODIES: list[tuple[PluginRequest[Any], dict[str, Any]]] = [
    (ab.Create(), {"request": "create"}),
    (
        ab.Create(
            room=7,
            permanent=False,
            description="d",
            secret="s",
            pin="p",
            is_private=True,
            allowed=["a", "b"],
            sampling_rate=16000,
            spatial_audio=True,
            audiolevel_ext=True,
            audiolevel_event=True,
            audio_active_packets=100,
            audio_level_average=25,
            default_prebuffering=6,
            default_expectedloss=0,
            default_bitrate=32000,
            record=True,
            record_file="r.wav",
            record_dir="/tmp",
            mjrs=False,
            mjrs_dir="/tmp/m",
            allow_rtp_participants=True,
            groups=("g1", "g2"),
            admin_key="k",
        ),
        {
            "request": "create",
            "room": 7,
            "permanent": False,
            "description": "d",
            "secret": "s",
            "pin": "p",
            "is_private": True,
            "allowed": ["a", "b"],
            "sampling_rate": 16000,
            "spatial_audio": True,
            "audiolevel_ext": True,
            "audiolevel_event": True,
            "audio_active_packets": 100,
            "audio_level_average": 25,
            "default_prebuffering": 6,
            "default_expectedloss": 0,
            "default_bitrate": 32000,
            "record": True,
            "record_file": "r.wav",
            "record_dir": "/tmp",
            "mjrs": False,
            "mjrs_dir": "/tmp/m",
            "allow_rtp_participants": True,
            "groups": ["g1", "g2"],
            "admin_key": "k",
        },
    ),
    (
        ab.Edit(
            room="r",
            secret="s",
            new_description="d",
            new_secret="s2",
            new_pin="",
            new_is_private=False,
            new_record_dir="/a",
            new_mjrs_dir="/b",
            permanent=True,
        ),
        {
            "request": "edit",
            "room": "r",
            "secret": "s",
            "new_description": "d",
            "new_secret": "s2",
            "new_pin": "",
            "new_is_private": False,
            "new_record_dir": "/a",
            "new_mjrs_dir": "/b",
            "permanent": True,
        },
    ),
    (
        ab.Destroy(room=1, secret="s", permanent=False),
        {"request": "destroy", "room": 1, "secret": "s", "permanent": False},
    ),
    (ab.Exists(room=1), {"request": "exists", "room": 1}),
    (
        ab.Allowed(room=1, action="add", allowed=["t"], secret="s"),
        {"request": "allowed", "room": 1, "action": "add", "secret": "s", "allowed": ["t"]},
    ),
    (ab.Allowed(room=1, action="disable"), {"request": "allowed", "room": 1, "action": "disable"}),
    (ab.ListRooms(), {"request": "list"}),
    (ab.ListParticipants(room="x"), {"request": "listparticipants", "room": "x"}),
    (
        ab.Mute(room=1, id=2, secret="s"),
        {"request": "mute", "room": 1, "id": 2, "secret": "s"},
    ),
    (ab.Unmute(room=1, id="u"), {"request": "unmute", "room": 1, "id": "u"}),
    (ab.MuteRoom(room=1, secret="s"), {"request": "mute_room", "room": 1, "secret": "s"}),
    (ab.UnmuteRoom(room=1), {"request": "unmute_room", "room": 1}),
    (ab.Kick(room=1, id=2, secret="s"), {"request": "kick", "room": 1, "id": 2, "secret": "s"}),
    (ab.KickAll(room=1, secret="s"), {"request": "kick_all", "room": 1, "secret": "s"}),
    (ab.ResetDecoder(), {"request": "resetdecoder"}),
    (
        ab.EnableRecording(room=1, record=True, secret="s", record_file="f", record_dir="d"),
        {
            "request": "enable_recording",
            "room": 1,
            "record": True,
            "secret": "s",
            "record_file": "f",
            "record_dir": "d",
        },
    ),
    (
        ab.EnableMjrs(room=1, mjrs=False, secret="s", mjrs_dir="d"),
        {"request": "enable_mjrs", "room": 1, "mjrs": False, "secret": "s", "mjrs_dir": "d"},
    ),
    (
        ab.RtpForward(
            room=1,
            host="127.0.0.1",
            port=5002,
            secret="s",
            host_family="ipv4",
            group="g",
            ssrc=42,
            codec="pcmu",
            ptype=0,
            srtp_suite=32,
            srtp_crypto="key",
            always_on=True,
            admin_key="k",
        ),
        {
            "request": "rtp_forward",
            "room": 1,
            "host": "127.0.0.1",
            "port": 5002,
            "secret": "s",
            "host_family": "ipv4",
            "group": "g",
            "ssrc": 42,
            "codec": "pcmu",
            "ptype": 0,
            "srtp_suite": 32,
            "srtp_crypto": "key",
            "always_on": True,
            "admin_key": "k",
        },
    ),
    (
        ab.StopRtpForward(room=1, stream_id=9, secret="s", admin_key="k"),
        {"request": "stop_rtp_forward", "room": 1, "stream_id": 9, "secret": "s", "admin_key": "k"},
    ),
    (
        ab.ListForwarders(room=1, secret="s"),
        {"request": "listforwarders", "room": 1, "secret": "s"},
    ),
    (
        ab.PlayFile(
            room=1, filename="/a.opus", secret="s", file_id="f", group="g", loop=True, admin_key="k"
        ),
        {
            "request": "play_file",
            "room": 1,
            "filename": "/a.opus",
            "secret": "s",
            "file_id": "f",
            "group": "g",
            "loop": True,
            "admin_key": "k",
        },
    ),
    (
        ab.IsPlaying(room=1, file_id="f", secret="s", admin_key="k"),
        {"request": "is_playing", "room": 1, "file_id": "f", "secret": "s", "admin_key": "k"},
    ),
    (
        ab.StopFile(room=1, file_id="f", secret="s"),
        {"request": "stop_file", "room": 1, "file_id": "f", "secret": "s"},
    ),
    (ab.Join(room=1), {"request": "join", "room": 1}),
    (
        ab.Join(
            room="r",
            id="me",
            group="g",
            pin="p",
            display="d",
            token="t",
            muted=True,
            codec="opus",
            prebuffer=6,
            bitrate=24000,
            quality=4,
            expected_loss=5,
            volume=120,
            spatial_position=50,
            secret="s",
            audio_level_average=25,
            audio_active_packets=100,
            record=True,
            filename="rec",
            rtp=ab.PlainRtp(
                ip="127.0.0.1", port=5004, payload_type=111, audiolevel_ext=1, fec=True
            ),
            generate_offer=False,
        ),
        {
            "request": "join",
            "room": "r",
            "id": "me",
            "group": "g",
            "pin": "p",
            "display": "d",
            "token": "t",
            "muted": True,
            "codec": "opus",
            "prebuffer": 6,
            "bitrate": 24000,
            "quality": 4,
            "expected_loss": 5,
            "volume": 120,
            "spatial_position": 50,
            "secret": "s",
            "audio_level_average": 25,
            "audio_active_packets": 100,
            "record": True,
            "filename": "rec",
            "rtp": {
                "ip": "127.0.0.1",
                "port": 5004,
                "payload_type": 111,
                "audiolevel_ext": 1,
                "fec": True,
            },
            "generate_offer": False,
        },
    ),
    (ab.Configure(), {"request": "configure"}),
    (
        ab.Configure(
            muted=False,
            display="d",
            prebuffer=1,
            bitrate=2,
            quality=3,
            expected_loss=4,
            volume=5,
            spatial_position=6,
            record=False,
            filename="f",
            group="g",
            generate_offer=True,
            update=True,
        ),
        {
            "request": "configure",
            "muted": False,
            "display": "d",
            "prebuffer": 1,
            "bitrate": 2,
            "quality": 3,
            "expected_loss": 4,
            "volume": 5,
            "spatial_position": 6,
            "record": False,
            "filename": "f",
            "group": "g",
            "generate_offer": True,
            "update": True,
        },
    ),
    (
        ab.ChangeRoom(
            room=2,
            id=3,
            group="g",
            pin="p",
            display="d",
            token="t",
            muted=True,
            bitrate=1,
            quality=2,
            expected_loss=3,
        ),
        {
            "request": "changeroom",
            "room": 2,
            "id": 3,
            "group": "g",
            "pin": "p",
            "display": "d",
            "token": "t",
            "muted": True,
            "bitrate": 1,
            "quality": 2,
            "expected_loss": 3,
        },
    ),
    (ab.Leave(), {"request": "leave"}),
    (ab.Hangup(), {"request": "hangup"}),
]


@pytest.mark.parametrize(("request_", "body"), BODIES, ids=lambda v: type(v).__name__)
def test_bodies(request_: PluginRequest[Any], body: dict[str, Any]) -> None:
    assert request_.body() == body
    assert request_.PLUGIN == ab.PLUGIN


def test_extra_keys_pass_through() -> None:
    body = ab.Join(room=1, rtp=ab.PlainRtp(port=1, extra={"x": 1}), extra={"y": 2}).body()
    assert body == {"request": "join", "room": 1, "rtp": {"port": 1, "x": 1}, "y": 2}
    assert ab.PlainRtp().to_json() == {}


SYNC = (
    ab.Create,
    ab.Edit,
    ab.Destroy,
    ab.Exists,
    ab.Allowed,
    ab.ListRooms,
    ab.ListParticipants,
    ab.Mute,
    ab.Unmute,
    ab.MuteRoom,
    ab.UnmuteRoom,
    ab.Kick,
    ab.KickAll,
    ab.ResetDecoder,
    ab.EnableRecording,
    ab.EnableMjrs,
    ab.RtpForward,
    ab.StopRtpForward,
    ab.ListForwarders,
    ab.PlayFile,
    ab.IsPlaying,
    ab.StopFile,
)
ASYNC = (ab.Join, ab.Configure, ab.ChangeRoom, ab.Leave, ab.Hangup)


def test_sync_flags_and_jsep_rules() -> None:
    assert all(cls.SYNC and cls.JSEP is JsepRule.NONE for cls in SYNC)
    assert not any(cls.SYNC for cls in ASYNC)
    either: tuple[PluginRequest[Any], ...] = (ab.Join(room=1), ab.Configure())
    for request in either:
        request.check_jsep(None)
        request.check_jsep(OFFER)
        request.check_jsep(ANSWER)
    none: tuple[PluginRequest[Any], ...] = (
        ab.ChangeRoom(room=1),
        ab.Leave(),
        ab.Hangup(),
        ab.Exists(room=1),
    )
    for request in none:
        request.check_jsep(None)
        with pytest.raises(ValueError, match="takes no JSEP"):
            request.check_jsep(OFFER)


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (ab.Create, {"room": True}, r"Create\.room must be an int or str id"),
        (ab.Create, {"secret": 1}, r"Create\.secret must be str"),
        (ab.Create, {"allowed": "abc"}, r"Create\.allowed must be a list"),
        (ab.Create, {"groups": [1]}, r"Create\.groups items must be str"),
        (ab.Create, {"sampling_rate": "16000"}, r"Create\.sampling_rate must be int"),
        (ab.Create, {"record": 1}, r"Create\.record must be bool"),
        (ab.Edit, {"room": 1, "new_is_private": "no"}, r"Edit\.new_is_private must be bool"),
        (ab.Destroy, {"room": None}, r"Destroy\.room must be an int or str id"),
        (ab.Allowed, {"room": 1, "action": None}, r"Allowed\.action must be str"),
        (ab.Mute, {"room": 1, "id": 1.5}, r"Mute\.id must be an int or str id"),
        (ab.EnableRecording, {"room": 1, "record": "y"}, r"EnableRecording\.record must be bool"),
        (ab.EnableMjrs, {"room": 1, "mjrs": None}, r"EnableMjrs\.mjrs must be bool"),
        (ab.RtpForward, {"room": 1, "host": None, "port": 1}, r"RtpForward\.host must be str"),
        (ab.RtpForward, {"room": 1, "host": "h", "port": "1"}, r"RtpForward\.port must be int"),
        (ab.StopRtpForward, {"room": 1, "stream_id": True}, r"StopRtpForward\.stream_id must be"),
        (ab.PlayFile, {"room": 1, "filename": None}, r"PlayFile\.filename must be str"),
        (ab.IsPlaying, {"room": 1, "file_id": 3}, r"IsPlaying\.file_id must be str"),
        (ab.Join, {"room": 1, "rtp": {"ip": "127.0.0.1"}}, r"Join\.rtp must be PlainRtp"),
        (ab.Join, {"room": 1, "muted": "no"}, r"Join\.muted must be bool"),
        (ab.Join, {"room": 1, "id": False}, r"Join\.id must be an int or str id"),
        (ab.Configure, {"volume": 1.0}, r"Configure\.volume must be int"),
        (ab.ChangeRoom, {"room": 1, "display": 5}, r"ChangeRoom\.display must be str"),
        (ab.PlainRtp, {"port": "5004"}, r"PlainRtp\.port must be int"),
        (ab.PlainRtp, {"fec": 1}, r"PlainRtp\.fec must be bool"),
        (ab.PlainRtp, {"extra": {1: 2}}, r"PlainRtp\.extra must be a mapping with str keys"),
        (ab.Leave, {"extra": []}, r"Leave\.extra must be a mapping"),
    ],
)
def test_type_errors(cls: type[Any], kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(TypeError, match=match):
        cls(**kwargs)


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (ab.Create, {"room": ""}, r"Create\.room must not be empty"),
        (ab.Create, {"room": -1}, r"Create\.room must not be negative"),
        (ab.Create, {"default_bitrate": -1}, r"Create\.default_bitrate must not be negative"),
        (ab.Allowed, {"room": 1, "action": "ban"}, r"Allowed\.action must be one of enable"),
        (ab.RtpForward, {"room": 1, "host": "h", "port": -1}, r"RtpForward\.port must not be"),
        (
            ab.RtpForward,
            {"room": 1, "host": "h", "port": 1, "codec": "g729"},
            r"RtpForward\.codec must be one of opus, pcma, pcmu, got 'g729'",
        ),
        (
            ab.RtpForward,
            {"room": 1, "host": "h", "port": 1, "host_family": "ipx"},
            r"RtpForward\.host_family must be one of ipv4, ipv6",
        ),
        (ab.StopRtpForward, {"room": 1, "stream_id": -5}, r"StopRtpForward\.stream_id must not"),
        (ab.Join, {"room": 1, "codec": "OPUS"}, r"Join\.codec must be one of"),
        (ab.Join, {"room": 1, "spatial_position": -1}, r"Join\.spatial_position must not be"),
        (ab.Configure, {"quality": -1}, r"Configure\.quality must not be negative"),
        (ab.ChangeRoom, {"room": 1, "id": ""}, r"ChangeRoom\.id must not be empty"),
        (ab.PlainRtp, {"payload_type": -1}, r"PlainRtp\.payload_type must not be negative"),
    ],
)
def test_value_errors(cls: type[Any], kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_mandatory_fields() -> None:
    for cls in (ab.Exists, ab.Join, ab.ChangeRoom, ab.Kick, ab.EnableRecording, ab.PlayFile):
        with pytest.raises(TypeError, match="missing"):
            cls()
    for action in ab.ALLOWED_ACTIONS:
        assert ab.Allowed(room=1, action=action).action == action
    for codec in ab.CODECS:
        assert ab.Join(room=1, codec=codec).codec == codec
    assert ab.Create(allowed=["a"]).allowed == ("a",)  # stored as a tuple


def test_requests_are_frozen() -> None:
    join = ab.Join(room=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        join.room = 2  # type: ignore[misc]


# -- replies (as Janus 1.1.2 sent them) ---------------------------------------------------

PARTICIPANT = {"id": 7, "display": "bob", "setup": False, "muted": True, "spatial_position": 50}


def test_sync_replies() -> None:
    created = ab.Create().parse_reply({AB: "created", "room": 4242, "permanent": False})
    assert (created.audiobridge, created.room, created.permanent) == ("created", 4242, False)
    edited = ab.Edit(room=1).parse_reply({AB: "edited", "room": 1, "permanent": False})
    assert (edited.audiobridge, edited.room) == ("edited", 1)
    destroyed = ab.Destroy(room="r").parse_reply({AB: "destroyed", "room": "r", "permanent": True})
    assert (destroyed.room, destroyed.permanent) == ("r", True)
    exists = ab.Exists(room=9).parse_reply({AB: "success", "room": 9, "exists": False})
    assert exists.exists is False

    rooms = ab.ListRooms().parse_reply(
        {
            AB: "success",
            "list": [
                {
                    "room": 1234,
                    "description": "Demo Room",
                    "sampling_rate": 16000,
                    "spatial_audio": False,
                    "pin_required": False,
                    "record": False,
                    "muted": False,
                    "num_participants": 0,
                    "future": 1,
                }
            ],
        }
    )
    [info] = rooms.rooms
    assert (info.room, info.description, info.sampling_rate, info.num_participants) == (
        1234,
        "Demo Room",
        16000,
        0,
    )
    assert (info.spatial_audio, info.pin_required, info.record, info.muted) == (
        False,
        False,
        False,
        False,
    )
    assert info.raw["future"] == 1

    allowed = ab.Allowed(room=1, action="add").parse_reply(
        {AB: "success", "room": 1, "allowed": ["t2", "tok"]}
    )
    assert allowed.allowed == ("t2", "tok")
    disabled = ab.Allowed(room=1, action="disable").parse_reply({AB: "success", "room": 1})
    assert disabled.allowed is None

    people = ab.ListParticipants(room=1).parse_reply(
        {
            AB: "participants",
            "room": 1,
            "participants": [PARTICIPANT, {"id": "x", "setup": True, "talking": False}],
        }
    )
    bob, other = people.participants
    assert (bob.id, bob.display, bob.setup, bob.muted, bob.talking, bob.spatial_position) == (
        7,
        "bob",
        False,
        True,
        None,
        50,
    )
    assert (other.id, other.display, other.setup, other.talking) == ("x", None, True, False)

    for request in (ab.Mute(room=1, id=2), ab.KickAll(room=1), ab.ResetDecoder()):
        success = request.parse_reply({AB: "success"})
        assert isinstance(success, ab.Success)
        assert success.room is None
    assert ab.Unmute(room=1, id=2).parse_reply({AB: "success", "room": 1}).room == 1

    assert (
        ab.EnableRecording(room=1, record=True).parse_reply({AB: "success", "record": True}).record
    )
    assert not ab.EnableMjrs(room=1, mjrs=False).parse_reply({AB: "success", "mjrs": False}).mjrs


def test_forwarding_and_playback_replies() -> None:
    fwd = ab.RtpForward(room=1, host="127.0.0.1", port=5002).parse_reply(
        {
            AB: "success",
            "room": 1,
            "group": "g1",
            "stream_id": 633220296,
            "host": "127.0.0.1",
            "port": 5002,
        }
    )
    assert (fwd.stream_id, fwd.host, fwd.port, fwd.group) == (633220296, "127.0.0.1", 5002, "g1")
    stopped = ab.StopRtpForward(room=1, stream_id=5).parse_reply(
        {AB: "success", "room": 1, "stream_id": 5}
    )
    assert stopped.stream_id == 5
    listed = ab.ListForwarders(room=1).parse_reply(
        {
            AB: "forwarders",
            "room": 1,
            "rtp_forwarders": [
                {
                    "stream_id": 1,
                    "group": "g1",
                    "ip": "127.0.0.1",
                    "port": 5002,
                    "ssrc": 1234,
                    "codec": "pcmu",
                    "ptype": 0,
                    "srtp": True,
                    "always_on": True,
                }
            ],
        }
    )
    [forwarder] = listed.forwarders
    assert (forwarder.stream_id, forwarder.group, forwarder.ip, forwarder.port) == (
        1,
        "g1",
        "127.0.0.1",
        5002,
    )
    assert (forwarder.ssrc, forwarder.codec, forwarder.ptype) == (1234, "pcmu", 0)
    assert (forwarder.srtp, forwarder.always_on) == (True, True)

    played = ab.PlayFile(room=1, filename="f").parse_reply(
        {AB: "success", "room": 1, "file_id": "21207d8c"}
    )
    assert played.file_id == "21207d8c"
    assert (
        ab.StopFile(room=1, file_id="f")
        .parse_reply({AB: "success", "room": 1, "file_id": "f"})
        .file_id
        == "f"
    )
    status = ab.IsPlaying(room=1, file_id="f").parse_reply(
        {AB: "success", "room": 1, "file_id": "f", "playing": True}
    )
    assert (status.file_id, status.playing) == ("f", True)


def test_async_replies() -> None:
    joined = ab.Join(room=4242).parse_reply(
        {AB: "joined", "room": 4242, "id": 6165312480590265, "participants": [PARTICIPANT]},
        ANSWER,
    )
    assert (joined.room, joined.id, joined.rtp, joined.jsep) == (
        4242,
        6165312480590265,
        None,
        ANSWER,
    )
    assert joined.participants[0].display == "bob"
    plain = ab.Join(room=10).parse_reply(
        {
            AB: "joined",
            "room": 10,
            "id": 3892861422731532,
            "participants": [],
            "rtp": {"ip": "127.0.0.1", "port": 10000, "payload_type": 111},
        }
    )
    assert plain.rtp == ab.RtpEndpoint(ip="127.0.0.1", port=10000, payload_type=111)
    assert plain.rtp.raw == {"ip": "127.0.0.1", "port": 10000, "payload_type": 111}
    assert plain.participants == ()
    assert plain.raw["rtp"]["port"] == 10000

    changed = ab.ChangeRoom(room=4243).parse_reply(
        {AB: "roomchanged", "room": 4243, "id": 7895006589182626, "participants": []}
    )
    assert (changed.audiobridge, changed.room, changed.id) == (
        "roomchanged",
        4243,
        7895006589182626,
    )
    ok = ab.Configure().parse_reply({AB: "event", "result": "ok"}, ANSWER)
    assert (ok.result, ok.room, ok.jsep) == ("ok", None, ANSWER)
    left = ab.Leave().parse_reply({AB: "left", "room": 10, "id": 4185548894609912})
    assert (left.room, left.id) == (10, 4185548894609912)
    assert ab.Hangup().parse_reply({AB: "hangingup"}).audiobridge == "hangingup"


@pytest.mark.parametrize(
    ("request_", "data", "match"),
    [
        (ab.Join(room=1), {AB: "joined", "room": 1}, r"'id' missing"),
        (ab.Join(room=1), {AB: "joined", "id": 1, "rtp": "x"}, r"'rtp' must be Mapping"),
        (ab.Join(room=1), {AB: "joined", "id": 1, "participants": {}}, r"must be a list"),
        (ab.Join(room=1), {AB: "joined", "id": 1, "participants": [{}]}, r"Participant: 'id'"),
        (ab.Join(room=1), {AB: "joined", "id": 1.5}, r"'id' must be int or str"),
        (ab.Join(room=1), ["not", "an", "object"], r"expected an object"),
        (ab.ListRooms(), {AB: "success"}, r"RoomList: 'list' missing"),
        (ab.Exists(room=1), {AB: "success", "exists": "yes"}, r"'exists' must be bool"),
        (ab.ListForwarders(room=1), {AB: "forwarders"}, r"'rtp_forwarders' missing"),
        (ab.PlayFile(room=1, filename="f"), {AB: "success"}, r"'file_id' missing"),
    ],
)
def test_malformed_replies(request_: PluginRequest[Any], data: Any, match: str) -> None:
    with pytest.raises(jp.RemoteProtocolError, match=match):
        request_.parse_reply(data)


# -- pushed events -----------------------------------------------------------------------

EVENTS: list[tuple[dict[str, Any], type[Any]]] = [
    ({AB: "joined", "room": 1, "id": 2, "participants": []}, ab.Joined),
    ({AB: "joined", "room": 1, "participants": [PARTICIPANT]}, ab.ParticipantJoined),
    ({AB: "roomchanged", "room": 2, "id": 3, "participants": []}, ab.RoomChanged),
    ({AB: "left", "room": 1, "id": 2}, ab.Left),
    ({AB: "destroyed", "room": 1}, ab.Destroyed),
    ({AB: "talking", "room": 1, "id": 2}, ab.Talking),
    ({AB: "stopped-talking", "room": 1, "id": 2}, ab.StoppedTalking),
    ({AB: "announcement-started", "room": 1, "file_id": "f"}, ab.AnnouncementStarted),
    ({AB: "announcement-stopped", "room": 1, "file_id": "f"}, ab.AnnouncementStopped),
    ({AB: "hangingup"}, ab.HangingUp),
    ({AB: "event", "room": 1, "participants": [PARTICIPANT]}, ab.ParticipantsChanged),
    ({AB: "event", "room": 1, "leaving": 2}, ab.ParticipantLeft),
    ({AB: "event", "room": 1, "kicked": 2}, ab.ParticipantKicked),
    ({AB: "event", "room": 1, "kicked_all": 2}, ab.KickedAll),
    ({AB: "event", "room": 1, "muted": True}, ab.RoomMuted),
    ({AB: "event", "result": "ok"}, ab.Configured),
    ({AB: "created", "room": 1, "permanent": False}, ab.Created),
    ({AB: "edited", "room": 1}, ab.Edited),
    ({AB: "participants", "room": 1, "participants": []}, ab.ParticipantList),
    ({AB: "forwarders", "room": 1, "rtp_forwarders": []}, ab.ForwarderList),
    ({AB: "success", "room": 1, "exists": True}, ab.RoomExists),
    ({AB: "success", "list": []}, ab.RoomList),
    ({AB: "success", "room": 1, "allowed": []}, ab.AllowedList),
    ({AB: "success", "room": 1, "file_id": "f", "playing": False}, ab.PlaybackStatus),
    ({AB: "success", "room": 1, "stream_id": 1, "host": "h", "port": 1}, ab.RtpForwarded),
    ({AB: "success", "room": 1, "stream_id": 1}, ab.RtpForwardStopped),
    ({AB: "success", "room": 1, "file_id": "f"}, ab.PlaybackResult),
    ({AB: "success", "record": True}, ab.RecordingState),
    ({AB: "success", "mjrs": True}, ab.MjrsState),
    ({AB: "success"}, ab.Success),
]


@pytest.mark.parametrize(("data", "cls"), EVENTS, ids=lambda v: getattr(v, "__name__", ""))
def test_codec_dispatch(data: dict[str, Any], cls: type[Any]) -> None:
    event = ab.CODEC.parse_event(data, OFFER)
    assert type(event) is cls
    assert isinstance(event, ab.AudioBridgeData)
    assert event.raw == data
    assert event.jsep == OFFER
    assert event.audiobridge == data[AB]


def test_event_fields() -> None:
    codec = ab.CODEC
    others = codec.parse_event(
        {AB: "joined", "room": 4242, "participants": [{**PARTICIPANT, "id": 6165312480590265}]}
    )
    assert isinstance(others, ab.ParticipantJoined)
    assert others.participant is not None
    assert (others.participant.id, others.participant.muted) == (6165312480590265, True)
    empty = codec.parse_event({AB: "joined", "room": 1})
    assert isinstance(empty, ab.ParticipantJoined)
    assert empty.participant is None

    changes = codec.parse_event({AB: "event", "room": "lobby", "participants": [PARTICIPANT]})
    assert isinstance(changes, ab.ParticipantsChanged)
    assert (changes.room, changes.participants[0].spatial_position) == ("lobby", 50)
    leaving = codec.parse_event({AB: "event", "room": 10, "leaving": "u-1"})
    assert isinstance(leaving, ab.ParticipantLeft)
    assert (leaving.room, leaving.id) == (10, "u-1")
    kicked = codec.parse_event({AB: "event", "room": 10, "kicked": 3630436801672322})
    assert isinstance(kicked, ab.ParticipantKicked)
    assert kicked.id == 3630436801672322
    everyone = codec.parse_event({AB: "event", "room": 10, "kicked_all": 77})
    assert isinstance(everyone, ab.KickedAll)
    assert everyone.id == 77
    muted = codec.parse_event({AB: "event", "room": 10, "muted": False})
    assert isinstance(muted, ab.RoomMuted)
    assert muted.muted is False
    talking = codec.parse_event({AB: "talking", "room": 1, "id": "a", "audio-level-dBov-avg": 9})
    assert isinstance(talking, ab.Talking)
    assert (talking.room, talking.id, talking.raw["audio-level-dBov-avg"]) == (1, "a", 9)
    quiet = codec.parse_event({AB: "stopped-talking", "room": 1, "id": 2})
    assert isinstance(quiet, ab.StoppedTalking)
    assert quiet.id == 2
    started = codec.parse_event({AB: "announcement-started", "room": 10, "file_id": "f1"})
    assert isinstance(started, ab.AnnouncementStarted)
    assert (started.room, started.file_id) == (10, "f1")
    gone = codec.parse_event({AB: "destroyed", "room": "lobby"})
    assert isinstance(gone, ab.Destroyed)
    assert (gone.room, gone.permanent) == ("lobby", None)


def test_unknown_and_malformed_events() -> None:
    for data in (
        {AB: "event", "room": 1},
        {AB: "event", "error_code": 485, "error": "No such room"},
        {AB: "brand-new", "room": 1},
        {"something": "else"},
    ):
        event = ab.CODEC.parse_event(data)
        assert isinstance(event, GenericPluginData)
        assert event.plugin == ab.PLUGIN
    assert isinstance(ab.CODEC.parse_event([1, 2]), GenericPluginData)  # type: ignore[arg-type]
    with pytest.raises(jp.RemoteProtocolError, match=r"ParticipantLeft: 'leaving' must be"):
        ab.CODEC.parse_event({AB: "event", "leaving": [1]})
    with pytest.raises(jp.RemoteProtocolError, match=r"Talking: 'id' missing"):
        ab.CODEC.parse_event({AB: "talking", "room": 1})
    with pytest.raises(jp.RemoteProtocolError, match=r"ParticipantsChanged: 'participants'"):
        ab.CODEC.parse_event({AB: "event", "participants": "x"})


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (480, ab.NoMessage),
        (481, ab.InvalidJSON),
        (482, ab.InvalidRequest),
        (483, ab.MissingElement),
        (484, ab.InvalidElement),
        (485, ab.NoSuchRoom),
        (486, ab.RoomExistsError),
        (487, ab.NotJoined),
        (488, ab.LibopusError),
        (489, ab.Unauthorized),
        (490, ab.IdExists),
        (491, ab.AlreadyJoined),
        (492, ab.NoSuchUser),
        (493, ab.InvalidSDP),
        (494, ab.NoSuchGroup),
        (499, ab.UnknownError),
    ],
)
def test_error_classes(code: int, cls: type[ab.AudioBridgeError]) -> None:
    exc = failed(code)
    assert type(exc) is cls
    assert isinstance(exc, ab.AudioBridgeError)
    assert isinstance(exc, jp.PluginError)
    assert (exc.error_code, cls.code, ab.ERRORS[code]) == (code, code, cls)
    assert (cls.__doc__ or "").startswith(f"{code}: ")


def test_unknown_code_gives_the_base_class() -> None:
    exc = failed(400)
    assert type(exc) is ab.AudioBridgeError
    assert exc.plugin == ab.PLUGIN


def test_all_names_exist() -> None:
    assert len(set(ab.__all__)) == len(ab.__all__)
    for name in ab.__all__:
        assert hasattr(ab, name), name


# -- properties --------------------------------------------------------------------------

ids = st.integers(min_value=0, max_value=2**53) | st.text(min_size=1)
maybe_count = st.none() | st.integers(min_value=0, max_value=2**31)
maybe_text = st.none() | st.text()
maybe_bool = st.none() | st.booleans()


@given(
    room=ids,
    id=st.none() | ids,
    display=maybe_text,
    muted=maybe_bool,
    codec=st.none() | st.sampled_from(ab.CODECS),
    bitrate=maybe_count,
    spatial_position=maybe_count,
    port=maybe_count,
    fec=maybe_bool,
)
def test_join_round_trip(
    room: int | str,
    id: int | str | None,
    display: str | None,
    muted: bool | None,
    codec: str | None,
    bitrate: int | None,
    spatial_position: int | None,
    port: int | None,
    fec: bool | None,
) -> None:
    rtp = ab.PlainRtp(ip="127.0.0.1", port=port, fec=fec)
    body = ab.Join(
        room=room,
        id=id,
        display=display,
        muted=muted,
        codec=codec,
        bitrate=bitrate,
        spatial_position=spatial_position,
        rtp=rtp,
    ).body()
    fields = {
        "id": id,
        "display": display,
        "muted": muted,
        "codec": codec,
        "bitrate": bitrate,
        "spatial_position": spatial_position,
    }
    expected_rtp = {
        k: v for k, v in {"ip": "127.0.0.1", "port": port, "fec": fec}.items() if v is not None
    }
    assert body == {
        "request": "join",
        "room": room,
        **{k: v for k, v in fields.items() if v is not None},
        "rtp": expected_rtp,
    }


@given(
    room=st.none() | ids,
    secret=maybe_text,
    allowed=st.none() | st.lists(st.text()),
    sampling_rate=maybe_count,
    spatial_audio=maybe_bool,
)
def test_create_round_trip(
    room: int | str | None,
    secret: str | None,
    allowed: list[str] | None,
    sampling_rate: int | None,
    spatial_audio: bool | None,
) -> None:
    body = ab.Create(
        room=room,
        secret=secret,
        allowed=allowed,
        sampling_rate=sampling_rate,
        spatial_audio=spatial_audio,
    ).body()
    fields = {
        "room": room,
        "secret": secret,
        "allowed": allowed,
        "sampling_rate": sampling_rate,
        "spatial_audio": spatial_audio,
    }
    assert body == {"request": "create", **{k: v for k, v in fields.items() if v is not None}}


participants = st.fixed_dictionaries(
    {"id": ids},
    optional={
        "display": st.text(),
        "setup": st.booleans(),
        "muted": st.booleans(),
        "talking": st.booleans(),
        "spatial_position": st.integers(0, 100),
    },
)


@given(room=ids, people=st.lists(participants, max_size=5))
def test_participants_parse_round_trip(room: int | str, people: list[dict[str, Any]]) -> None:
    data = {AB: "event", "room": room, "participants": people}
    event = ab.CODEC.parse_event(data)
    assert isinstance(event, ab.ParticipantsChanged)
    assert event.room == room
    for parsed, raw in zip(event.participants, people, strict=True):
        assert parsed.raw == raw
        for name in ("id", "display", "setup", "muted", "talking", "spatial_position"):
            assert getattr(parsed, name) == raw.get(name)
