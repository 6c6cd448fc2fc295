"""Record&Play codec: bodies, validation, parsing, dispatch and errors.

The JSON shapes are those a real Janus 1.1.2 sent in tests/e2e/plugins/test_recordplay_e2e.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, recordplay

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}


def failed(code: int, error: str = "e") -> jp.PluginError:
    return plugin_failure(recordplay.PLUGIN, code, error)


def event(result: Any) -> dict[str, Any]:
    return {"recordplay": "event", "result": result}


# -- requests ----------------------------------------------------------------------------


def test_sync_request_bodies() -> None:
    assert recordplay.List().body() == {"request": "list"}
    assert recordplay.Update().body() == {"request": "update"}
    assert recordplay.Configure().body() == {"request": "configure"}
    assert recordplay.Configure(video_bitrate_max=0, video_keyframe_interval=5000).body() == {
        "request": "configure",
        "video-bitrate-max": 0,
        "video-keyframe-interval": 5000,
    }
    for cls in (recordplay.List, recordplay.Update, recordplay.Configure):
        assert cls.SYNC is True
        assert cls.JSEP is JsepRule.NONE
        with pytest.raises(ValueError, match="takes no JSEP"):
            cls().check_jsep(OFFER)


def test_record_body_and_offer_rule() -> None:
    assert recordplay.Record(name="x").body() == {"request": "record", "name": "x"}
    full = recordplay.Record(
        name="My rec",
        id=7,
        filename="rec-7",
        audiocodec="opus",
        videocodec="vp8",
        videoprofile="42e01f",
        opusred=False,
        textdata=True,
        update=False,
    )
    assert full.body() == {
        "request": "record",
        "name": "My rec",
        "id": 7,
        "filename": "rec-7",
        "audiocodec": "opus",
        "videocodec": "vp8",
        "videoprofile": "42e01f",
        "opusred": False,
        "textdata": True,
        "update": False,
    }
    assert recordplay.Record.SYNC is False
    with pytest.raises(ValueError, match="Record needs a JSEP offer"):
        full.check_jsep(None)
    with pytest.raises(ValueError, match="needs a JSEP offer, got 'answer'"):
        full.check_jsep(ANSWER)
    full.check_jsep(OFFER)


def test_playout_request_bodies_and_jsep_rules() -> None:
    play = recordplay.Play(id=42)
    assert play.body() == {"request": "play", "id": 42}
    assert recordplay.Play(id=42, restart=True).body() == {
        "request": "play",
        "id": 42,
        "restart": True,
    }
    with pytest.raises(ValueError, match="Play takes no JSEP"):  # Janus makes the offer
        play.check_jsep(OFFER)
    play.check_jsep(None)
    start = recordplay.Start()
    assert start.body() == {"request": "start"}
    with pytest.raises(ValueError, match="Start needs a JSEP answer"):
        start.check_jsep(None)
    start.check_jsep(ANSWER)
    assert recordplay.Stop().body() == {"request": "stop"}
    assert recordplay.Pause().body() == {"request": "pause"}
    assert recordplay.Resume().body() == {"request": "resume"}
    for cls in (recordplay.Stop, recordplay.Pause, recordplay.Resume):
        assert cls.SYNC is False
        assert cls.PLUGIN == recordplay.PLUGIN
        with pytest.raises(ValueError, match="takes no JSEP"):
            cls().check_jsep(ANSWER)


@pytest.mark.parametrize(
    ("cls", "kwargs", "exc", "message"),
    [
        (recordplay.Record, {}, TypeError, "missing 1 required keyword-only argument: 'name'"),
        (recordplay.Record, {"name": None}, TypeError, r"Record\.name must be str, got NoneType"),
        (recordplay.Record, {"name": 3}, TypeError, r"Record\.name must be str, got int"),
        (recordplay.Record, {"name": ""}, ValueError, r"Record\.name must not be empty"),
        (recordplay.Record, {"name": "a", "id": "7"}, TypeError, r"Record\.id must be int"),
        (recordplay.Record, {"name": "a", "id": True}, TypeError, r"Record\.id must be int"),
        (recordplay.Record, {"name": "a", "id": -1}, ValueError, r"Record\.id must not be neg"),
        (recordplay.Record, {"name": "a", "filename": 1}, TypeError, r"Record\.filename"),
        (recordplay.Record, {"name": "a", "audiocodec": 1}, TypeError, r"Record\.audiocodec"),
        (recordplay.Record, {"name": "a", "videocodec": 1}, TypeError, r"Record\.videocodec"),
        (recordplay.Record, {"name": "a", "videoprofile": 2}, TypeError, r"Record\.videoprofile"),
        (recordplay.Record, {"name": "a", "opusred": 1}, TypeError, r"Record\.opusred must be"),
        (recordplay.Record, {"name": "a", "textdata": "text"}, TypeError, r"Record\.textdata"),
        (recordplay.Record, {"name": "a", "update": "yes"}, TypeError, r"Record\.update"),
        (recordplay.Play, {}, TypeError, "missing 1 required keyword-only argument: 'id'"),
        (recordplay.Play, {"id": "1"}, TypeError, r"Play\.id must be int, got str"),
        (recordplay.Play, {"id": -5}, ValueError, r"Play\.id must not be negative"),
        (recordplay.Play, {"id": 1, "restart": 1}, TypeError, r"Play\.restart must be bool"),
        (
            recordplay.Configure,
            {"video_bitrate_max": 1.5},
            TypeError,
            r"Configure\.video_bitrate_max must be int",
        ),
        (
            recordplay.Configure,
            {"video_bitrate_max": -1},
            ValueError,
            r"Configure\.video_bitrate_max must not be negative",
        ),
        (
            recordplay.Configure,
            {"video_keyframe_interval": "5s"},
            TypeError,
            r"Configure\.video_keyframe_interval must be int",
        ),
        (
            recordplay.Configure,
            {"video_keyframe_interval": -2},
            ValueError,
            r"Configure\.video_keyframe_interval must not be negative",
        ),
        (recordplay.Stop, {"extra": {1: 2}}, TypeError, r"Stop\.extra must be a mapping"),
    ],
)
def test_validation(
    cls: type[Any], kwargs: dict[str, Any], exc: type[Exception], message: str
) -> None:
    with pytest.raises(exc, match=message):
        cls(**kwargs)


def test_extra_keys_pass_through() -> None:
    body = recordplay.Record(name="a", extra={"future-key": 1}).body()
    assert body == {"request": "record", "name": "a", "future-key": 1}


@given(
    name=st.text(min_size=1),
    rec_id=st.none() | st.integers(min_value=0, max_value=2**64 - 1),
    filename=st.none() | st.text(),
    audiocodec=st.none() | st.sampled_from(["opus", "pcmu", "pcma", "g722"]),
    videocodec=st.none() | st.sampled_from(["vp8", "vp9", "h264", "av1"]),
    opusred=st.none() | st.booleans(),
    textdata=st.none() | st.booleans(),
)
def test_record_round_trip(
    name: str,
    rec_id: int | None,
    filename: str | None,
    audiocodec: str | None,
    videocodec: str | None,
    opusred: bool | None,
    textdata: bool | None,
) -> None:
    fields = {
        "name": name,
        "id": rec_id,
        "filename": filename,
        "audiocodec": audiocodec,
        "videocodec": videocodec,
        "opusred": opusred,
        "textdata": textdata,
    }
    body = recordplay.Record(**fields).body()  # type: ignore[arg-type]
    assert body == {"request": "record", **{k: v for k, v in fields.items() if v is not None}}
    assert next(iter(body)) == "request"


@given(
    bitrate=st.none() | st.integers(min_value=0, max_value=2**32),
    interval=st.none() | st.integers(min_value=0, max_value=2**32),
)
def test_configure_round_trip(bitrate: int | None, interval: int | None) -> None:
    body = recordplay.Configure(video_bitrate_max=bitrate, video_keyframe_interval=interval).body()
    expected = {"video-bitrate-max": bitrate, "video-keyframe-interval": interval}
    assert body == {"request": "configure", **{k: v for k, v in expected.items() if v is not None}}
    # and the reply Janus gives back parses to the same numbers
    reply = recordplay.CODEC.parse_event(
        {"recordplay": "configure", "status": "ok", "settings": expected}
    )
    assert isinstance(reply, recordplay.Configured)
    assert reply.settings == recordplay.Settings(
        video_bitrate_max=bitrate, video_keyframe_interval=interval
    )


@given(rec_id=st.integers(min_value=0, max_value=2**64 - 1), restart=st.none() | st.booleans())
def test_play_round_trip(rec_id: int, restart: bool | None) -> None:
    body = recordplay.Play(id=rec_id, restart=restart).body()
    assert body == (
        {"request": "play", "id": rec_id} | ({} if restart is None else {"restart": restart})
    )


# -- replies and events ------------------------------------------------------------------

LIST_REPLY = {
    "recordplay": "list",
    "list": [
        {
            "id": 777,
            "name": "probe rec",
            "date": "2026-11-30 09:00:08",
            "audio": True,
            "audio_codec": "opus",
            "video": True,
            "video_codec": "vp8",
            "data": False,
        },
        {"id": 4242, "name": "crafted", "date": "2024-01-02 03:04:05", "audio": True},
    ],
}


def test_list_reply() -> None:
    reply = recordplay.List().parse_reply(LIST_REPLY)
    assert isinstance(reply, recordplay.RecordingList)
    first, second = reply.list
    assert first == recordplay.RecordingInfo(
        id=777,
        name="probe rec",
        date="2026-11-30 09:00:08",
        audio=True,
        video=True,
        data=False,
        audio_codec="opus",
        video_codec="vp8",
    )
    assert first.raw == LIST_REPLY["list"][0]
    assert (second.id, second.video, second.video_codec, second.data) == (4242, None, None, None)
    assert recordplay.List().parse_reply({"recordplay": "list", "list": []}).list == ()
    assert type(recordplay.CODEC.parse_event(LIST_REPLY)) is recordplay.RecordingList


def test_malformed_replies() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="'list' missing"):
        recordplay.List().parse_reply({"recordplay": "list"})
    with pytest.raises(jp.RemoteProtocolError, match="RecordingInfo: 'id' missing"):
        recordplay.List().parse_reply({"recordplay": "list", "list": [{"name": "x"}]})
    with pytest.raises(jp.RemoteProtocolError, match="'audio' must be bool, got str"):
        recordplay.List().parse_reply({"recordplay": "list", "list": [{"id": 1, "audio": "a.mjr"}]})
    with pytest.raises(jp.RemoteProtocolError, match="Recording: 'id' missing"):
        recordplay.Record(name="a").parse_reply(event({"status": "recording"}))
    with pytest.raises(jp.RemoteProtocolError, match="Preparing: 'id' missing"):
        recordplay.CODEC.parse_event(event({"status": "preparing"}))
    with pytest.raises(jp.RemoteProtocolError, match="expected an object, got list"):
        recordplay.Stop().parse_reply([])  # type: ignore[arg-type]
    with pytest.raises(jp.RemoteProtocolError, match="'settings' must be Mapping, got str"):
        recordplay.Configure().parse_reply({"recordplay": "configure", "settings": "x"})
    with pytest.raises(jp.RemoteProtocolError, match="'recordplay' missing"):
        recordplay.Update().parse_reply({})


def test_sync_replies() -> None:
    updated = recordplay.Update().parse_reply({"recordplay": "ok"})
    assert updated.recordplay == "ok"
    data = {
        "recordplay": "configure",
        "status": "ok",
        "settings": {"video-keyframe-interval": 15000, "video-bitrate-max": 1048576},
    }
    configured = recordplay.Configure().parse_reply(data)
    assert configured.status == "ok"
    assert configured.settings is not None
    assert configured.settings.video_bitrate_max == 1048576
    assert configured.settings.video_keyframe_interval == 15000
    assert configured.settings.raw == data["settings"]
    assert configured.raw == data
    bare = recordplay.Configure().parse_reply({"recordplay": "configure", "status": "ok"})
    assert bare.settings is None


def test_record_and_play_replies_lift_result() -> None:
    data = event({"status": "recording", "id": 777})
    recording = recordplay.Record(name="a").parse_reply(data, ANSWER)
    assert (recording.status, recording.id) == ("recording", 777)
    assert recording.jsep == ANSWER
    assert recording.raw == data  # the whole plugin data, not just ``result``
    preparing = recordplay.Play(id=4242).parse_reply(
        event({"status": "preparing", "id": 4242, "warning": "Broken video file"}), OFFER
    )
    assert (preparing.status, preparing.id, preparing.warning) == (
        "preparing",
        4242,
        "Broken video file",
    )
    assert preparing.jsep == OFFER
    restarting = recordplay.Play(id=4242, restart=True).parse_reply(
        event({"status": "restarting", "id": 4242}), OFFER
    )
    assert (restarting.status, restarting.warning) == ("restarting", None)
    playing = recordplay.Start().parse_reply(event({"status": "playing"}))
    assert (playing.status, playing.id) == ("playing", None)


def test_stop_pause_resume_replies() -> None:
    stopped = recordplay.Stop().parse_reply(event({"status": "stopped", "id": 777}))
    assert (stopped.status, stopped.id) == ("stopped", 777)
    idle = recordplay.Stop().parse_reply(event({"status": "stopped"}))
    assert idle.id is None
    paused = recordplay.Pause().parse_reply(event({"status": "paused", "id": 9}))
    assert (paused.status, paused.id) == ("paused", 9)
    resumed = recordplay.Resume().parse_reply(event({"status": "resumed", "id": 9}))
    assert (resumed.status, resumed.id) == ("resumed", 9)
    # Janus 1.1.2 answers pause/resume on an idle handle with no result at all
    bare = recordplay.Pause().parse_reply({"recordplay": "event"})
    assert isinstance(bare, recordplay.Paused)
    assert (bare.status, bare.id) == (None, None)
    assert recordplay.Resume().parse_reply({"recordplay": "event", "result": "odd"}).status is None


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        (event("done"), recordplay.Done),
        (LIST_REPLY, recordplay.RecordingList),
        ({"recordplay": "configure", "status": "ok", "settings": {}}, recordplay.Configured),
        ({"recordplay": "ok"}, recordplay.Updated),
        (event({"status": "recording", "id": 1}), recordplay.Recording),
        (event({"status": "preparing", "id": 1}), recordplay.Preparing),
        (event({"status": "restarting", "id": 1}), recordplay.Preparing),
        (event({"status": "playing"}), recordplay.Playing),
        (event({"status": "paused", "id": 1}), recordplay.Paused),
        (event({"status": "resumed", "id": 1}), recordplay.Resumed),
        (event({"status": "stopped", "id": 1}), recordplay.Stopped),
        (event({"status": "slow_link", "current-bitrate": 1}), recordplay.SlowLink),
        (event({"status": "brand-new"}), GenericPluginData),
        ({"recordplay": "event"}, GenericPluginData),
        ({"recordplay": "event", "result": "odd"}, GenericPluginData),
    ],
)
def test_codec_dispatch(data: dict[str, Any], cls: type[Any]) -> None:
    parsed = recordplay.CODEC.parse_event(data, OFFER)
    assert type(parsed) is cls
    assert parsed.raw == data
    assert parsed.jsep == OFFER


def test_done_and_slow_link_events() -> None:
    done = recordplay.CODEC.parse_event(event("done"))
    assert isinstance(done, recordplay.Done)
    assert done.result == "done"
    slow = recordplay.CODEC.parse_event(
        event({"status": "slow_link", "media": "video", "current-bitrate": 256000, "uplink": 1})
    )
    assert isinstance(slow, recordplay.SlowLink)
    assert (slow.media, slow.current_bitrate, slow.uplink) == ("video", 256000, 1)
    flag = recordplay.CODEC.parse_event(event({"status": "slow_link", "uplink": True}))
    assert isinstance(flag, recordplay.SlowLink)
    assert flag.uplink is True


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (411, recordplay.NoMessage),
        (412, recordplay.InvalidJSON),
        (413, recordplay.InvalidRequest),
        (414, recordplay.InvalidElement),
        (415, recordplay.MissingElement),
        (416, recordplay.NoSuchRecording),
        (417, recordplay.InvalidRecording),
        (418, recordplay.InvalidState),
        (419, recordplay.InvalidSDP),
        (420, recordplay.RecordingExists),
        (499, recordplay.UnknownError),
        (400, recordplay.RecordPlayError),
    ],
)
def test_error_classes(code: int, cls: type[jp.PluginError]) -> None:
    exc = failed(code)
    assert type(exc) is cls
    assert isinstance(exc, recordplay.RecordPlayError)
    assert isinstance(exc, jp.PluginError)
    assert (exc.plugin, exc.error_code, exc.error) == (recordplay.PLUGIN, code, "e")
    if cls is not recordplay.RecordPlayError:
        assert recordplay.ERRORS[code] is cls
        assert cls.code == code
        assert (cls.__doc__ or "").startswith(f"{code}: ")


def test_public_names() -> None:
    for name in recordplay.__all__:
        assert hasattr(recordplay, name), name
    assert len(recordplay.ERRORS) == 11
