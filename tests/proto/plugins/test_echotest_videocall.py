"""EchoTest and VideoCall codecs: bodies, validation, parsing, dispatch and errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, echotest, videocall

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}


def failed(plugin: str, code: int) -> jp.PluginError:
    return plugin_failure(plugin, code)


# -- EchoTest ----------------------------------------------------------------------------


def test_echotest_body_has_no_request_verb() -> None:
    req = echotest.Configure(audio=True, video=False, bitrate=128000, videocodec="vp8")
    assert req.body() == {"audio": True, "video": False, "bitrate": 128000, "videocodec": "vp8"}
    assert echotest.Configure().body() == {}
    req.check_jsep(None)
    req.check_jsep(OFFER)


@pytest.mark.parametrize(
    ("field", "value"), [("audio", "yes"), ("bitrate", 1.5), ("record", 1), ("filename", 3)]
)
def test_echotest_bad_types(field: str, value: Any) -> None:
    with pytest.raises(TypeError, match=rf"Configure\.{field} must be"):
        echotest.Configure(**{field: value})


def test_echotest_events() -> None:
    codec = echotest.CODEC
    ok = codec.parse_event({"echotest": "event", "result": "ok"}, ANSWER)
    assert isinstance(ok, echotest.Result)
    assert ok.jsep == ANSWER
    assert isinstance(codec.parse_event({"echotest": "event", "result": "done"}), echotest.Done)
    slow = codec.parse_event(
        {"echotest": "event", "event": "slow_link", "media": "video", "current-bitrate": 9}
    )
    assert isinstance(slow, echotest.SlowLink)
    assert (slow.media, slow.current_bitrate) == ("video", 9)
    sim = codec.parse_event({"echotest": "event", "videocodec": "vp8", "substream": 1})
    assert isinstance(sim, echotest.SimulcastChanged)
    assert (sim.videocodec, sim.substream, sim.temporal) == ("vp8", 1, None)
    assert isinstance(
        codec.parse_event({"echotest": "event", "temporal": 2}), echotest.SimulcastChanged
    )
    assert isinstance(codec.parse_event({"echotest": "event"}), GenericPluginData)
    reply = echotest.Configure().parse_reply({"echotest": "event", "result": "ok"})
    assert reply.result == "ok"


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (411, echotest.NoMessage),
        (412, echotest.InvalidJSON),
        (413, echotest.InvalidElement),
        (414, echotest.InvalidSDP),
        (400, echotest.EchoTestError),
    ],
)
def test_echotest_errors(code: int, cls: type[jp.PluginError]) -> None:
    exc = failed(echotest.PLUGIN, code)
    assert type(exc) is cls
    assert isinstance(exc, jp.PluginError)


@given(
    audio=st.none() | st.booleans(),
    bitrate=st.none() | st.integers(),
    filename=st.none() | st.text(),
)
def test_echotest_round_trip(audio: bool | None, bitrate: int | None, filename: str | None) -> None:
    body = echotest.Configure(audio=audio, bitrate=bitrate, filename=filename).body()
    expected = {"audio": audio, "bitrate": bitrate, "filename": filename}
    assert body == {k: v for k, v in expected.items() if v is not None}


# -- VideoCall ---------------------------------------------------------------------------


def test_videocall_bodies_and_jsep_rules() -> None:
    assert videocall.List().body() == {"request": "list"}
    assert videocall.Register(username="a").body() == {"request": "register", "username": "a"}
    call = videocall.Call(username="b")
    assert call.body() == {"request": "call", "username": "b"}
    with pytest.raises(ValueError, match="needs a JSEP offer"):
        call.check_jsep(None)
    call.check_jsep(OFFER)
    accept = videocall.Accept()
    with pytest.raises(ValueError, match="needs a JSEP answer, got 'offer'"):
        accept.check_jsep(OFFER)
    accept.check_jsep(ANSWER)
    assert videocall.Set(bitrate=1, restart=True).body() == {
        "request": "set",
        "bitrate": 1,
        "restart": True,
    }
    videocall.Set().check_jsep(OFFER)
    assert videocall.Hangup().body() == {"request": "hangup"}
    with pytest.raises(TypeError, match=r"Register\.username must be str"):
        videocall.Register(username=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Set\.substream must be int"):
        videocall.Set(substream="1")  # type: ignore[arg-type]


def _event(result: dict[str, Any]) -> dict[str, Any]:
    return {"videocall": "event", "result": result}


@pytest.mark.parametrize(
    ("result", "cls"),
    [
        ({"list": ["a", "b"]}, videocall.UserList),
        ({"event": "registered", "username": "a"}, videocall.Registered),
        ({"event": "calling"}, videocall.Calling),
        ({"event": "incomingcall", "username": "a"}, videocall.IncomingCall),
        ({"event": "accepted", "username": "b"}, videocall.Accepted),
        ({"event": "accepted"}, videocall.Accepted),
        ({"event": "set"}, videocall.SetDone),
        ({"event": "update"}, videocall.Update),
        ({"event": "hangup", "username": "a", "reason": "Explicit hangup"}, videocall.HungUp),
        ({"event": "simulcast", "substream": 1, "temporal": 0}, videocall.SimulcastChanged),
    ],
)
def test_videocall_event_dispatch(result: dict[str, Any], cls: type[Any]) -> None:
    data = _event(result)
    event = videocall.CODEC.parse_event(data, OFFER)
    assert type(event) is cls
    assert event.raw == data  # the whole plugin data, not just ``result``
    assert event.jsep == OFFER


def test_videocall_fields_are_lifted_from_result() -> None:
    hung = videocall.Hangup().parse_reply(
        _event({"event": "hangup", "username": "a", "reason": "We did the hangup", "x": 1})
    )
    assert (hung.event, hung.username, hung.reason) == ("hangup", "a", "We did the hangup")
    users = videocall.List().parse_reply(_event({"list": ["x"]}))
    assert users.list == ("x",)
    assert (
        videocall.Register(username="u")
        .parse_reply(_event({"event": "registered", "username": "u"}))
        .username
        == "u"
    )


def test_videocall_malformed_and_unknown() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="'username' missing"):
        videocall.CODEC.parse_event(_event({"event": "incomingcall"}))
    with pytest.raises(jp.RemoteProtocolError, match="'list' must be list"):
        videocall.List().parse_reply(_event({"list": "a"}))
    unknown = videocall.CODEC.parse_event(_event({"event": "brand-new"}))
    assert isinstance(unknown, GenericPluginData)
    no_result = videocall.CODEC.parse_event({"videocall": "event", "result": "odd"})
    assert isinstance(no_result, GenericPluginData)
    with pytest.raises(jp.RemoteProtocolError, match="Registered: expected an object"):
        videocall.Registered.parse(["not", "an", "object"])  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [*range(470, 484), 499])
def test_videocall_error_classes(code: int) -> None:
    exc = failed(videocall.PLUGIN, code)
    assert isinstance(exc, videocall.VideoCallError)
    assert type(exc) is videocall.ERRORS[code]
    assert type(exc).code == code
    assert str(code) in (type(exc).__doc__ or "")
