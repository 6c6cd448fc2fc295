"""The NoSIP codec (janus_proto.plugins.nosip): request bodies, validation, events, errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, nosip

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\n"}
# A barebone SDP as Janus 1.1.2 generated it (trimmed).
BAREBONE = (
    "v=0\r\no=- 4005018100 4005018100 IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 20000 RTP/AVP 96 9 0 8\r\nc=IN IP4 127.0.0.1\r\na=sendrecv\r\n"
    "a=rtpmap:96 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
)


def failed(code: int, error: str = "boom") -> jp.PluginError:
    return plugin_failure(nosip.PLUGIN, code, error)


def event(name: str, **fields: Any) -> dict[str, Any]:
    return {"nosip": "event", "result": {"event": name, **fields}}


# -- requests ----------------------------------------------------------------------------


def test_generate_body_and_jsep() -> None:
    req = nosip.Generate()
    assert req.body() == {"request": "generate"}
    assert req.PLUGIN == "janus.plugin.nosip"
    assert not req.SYNC
    assert req.JSEP is JsepRule.OPTIONAL
    full = nosip.Generate(
        info="ctx", srtp="sdes_mandatory", srtp_profile="AES_CM_128_HMAC_SHA1_32", update=True
    )
    assert full.body() == {
        "request": "generate",
        "info": "ctx",
        "srtp": "sdes_mandatory",
        "srtp_profile": "AES_CM_128_HMAC_SHA1_32",
        "update": True,
    }
    req.check_jsep(OFFER)
    req.check_jsep(ANSWER)
    with pytest.raises(ValueError, match="Generate needs a JSEP offer or answer"):
        req.check_jsep(None)
    with pytest.raises(TypeError, match="jsep must be a mapping"):
        req.check_jsep("offer")  # type: ignore[arg-type]


def test_process_hangup_recording_bodies() -> None:
    process = nosip.Process(type="answer", sdp=BAREBONE)
    assert process.body() == {"request": "process", "type": "answer", "sdp": BAREBONE}
    assert nosip.Process(
        type="offer", sdp="v=0", info="i", srtp="sdes_optional", srtp_profile="p", update=False
    ).body() == {
        "request": "process",
        "type": "offer",
        "sdp": "v=0",
        "info": "i",
        "srtp": "sdes_optional",
        "srtp_profile": "p",
        "update": False,
    }
    assert nosip.Hangup().body() == {"request": "hangup"}
    assert nosip.Recording(
        action="start", audio=True, video=False, peer_audio=True, peer_video=False, filename="/r/x"
    ).body() == {
        "request": "recording",
        "action": "start",
        "audio": True,
        "video": False,
        "peer_audio": True,
        "peer_video": False,
        "filename": "/r/x",
    }
    assert nosip.Recording(action="stop", extra={"later": 1}).body() == {
        "request": "recording",
        "action": "stop",
        "later": 1,
    }
    for req in (process, nosip.Hangup(), nosip.Recording(action="stop")):
        req.check_jsep(None)
        with pytest.raises(ValueError, match="takes no JSEP"):
            req.check_jsep(OFFER)


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    [
        (nosip.Generate, {"srtp": "sdes"}, ValueError, "sdes_optional, sdes_mandatory"),
        (nosip.Generate, {"srtp": 1}, TypeError, r"Generate\.srtp must be str"),
        (nosip.Generate, {"info": 1}, TypeError, "info"),
        (nosip.Generate, {"update": "yes"}, TypeError, "update"),
        (nosip.Process, {"sdp": "v=0"}, TypeError, "type"),
        (nosip.Process, {"type": "offer"}, TypeError, "sdp"),
        (nosip.Process, {"type": "pranswer", "sdp": "v=0"}, ValueError, "offer, answer"),
        (nosip.Process, {"type": None, "sdp": "v=0"}, TypeError, r"Process\.type must be str"),
        (nosip.Process, {"type": "offer", "sdp": b"v=0"}, TypeError, r"Process\.sdp must be str"),
        (nosip.Process, {"type": "offer", "sdp": "v", "srtp": "x"}, ValueError, "sdes"),
        (nosip.Recording, {"action": "pause"}, ValueError, "start, stop"),
        (nosip.Recording, {"action": 1}, TypeError, r"Recording\.action must be str"),
        (nosip.Recording, {"action": "start", "video": 1}, TypeError, "video"),
        (nosip.Hangup, {"extra": []}, TypeError, "extra"),
    ],
)
def test_validation(cls: type, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        cls(**kwargs)


# -- replies and events ------------------------------------------------------------------


def test_generated_as_observed() -> None:
    data = event("generated", type="offer", sdp=BAREBONE)
    reply = nosip.Generate().parse_reply(data)
    assert isinstance(reply, nosip.Generated)
    assert (reply.event, reply.type, reply.sdp, reply.update) == (
        "generated",
        "offer",
        BAREBONE,
        None,
    )
    assert reply.raw is data
    assert reply.jsep is None
    again = nosip.Generate().parse_reply(event("generated", type="answer", sdp="v=0", update=True))
    assert again.update is True


def test_processed_carries_the_jsep() -> None:
    jsep = {"type": "offer", "sdp": "v=0\r\n(WebRTC)"}
    reply = nosip.Process(type="offer", sdp=BAREBONE).parse_reply(event("processed"), jsep)
    assert isinstance(reply, nosip.Processed)
    assert reply.jsep == jsep
    assert reply.srtp is None
    srtp = nosip.Process(type="offer", sdp=BAREBONE).parse_reply(
        event("processed", srtp="sdes_mandatory", update=True)
    )
    assert (srtp.srtp, srtp.update) == ("sdes_mandatory", True)


def test_hangup_and_recording_answers() -> None:
    assert type(nosip.Hangup().parse_reply(event("hangingup"))) is nosip.HangingUp
    assert (
        type(nosip.Recording(action="stop").parse_reply(event("recordingupdated")))
        is nosip.RecordingUpdated
    )


def test_reply_must_be_the_requests_event() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="Hangup: expected HangingUp, got 'processed'"):
        nosip.Hangup().parse_reply(event("processed"))
    with pytest.raises(jp.RemoteProtocolError, match="expected Generated, got None") as err:
        nosip.Generate().parse_reply({"nosip": "event"})
    assert err.value.raw == {"nosip": "event"}
    with pytest.raises(jp.RemoteProtocolError, match="expected Processed, got None"):
        nosip.Process(type="offer", sdp="v=0").parse_reply("x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        (event("generated", type="offer", sdp="v=0"), nosip.Generated),
        (event("processed", srtp="sdes_optional"), nosip.Processed),
        (event("hangingup"), nosip.HangingUp),
        (event("recordingupdated"), nosip.RecordingUpdated),
    ],
)
def test_codec_types_every_event(data: dict[str, Any], cls: type[nosip.NoSipEvent]) -> None:
    ev = nosip.CODEC.parse_event(data)
    assert type(ev) is cls
    assert ev.event == data["result"]["event"]
    assert ev.raw == data


def test_unknown_and_malformed_events() -> None:
    assert isinstance(nosip.CODEC.parse_event(event("future")), GenericPluginData)
    assert isinstance(nosip.CODEC.parse_event({"nosip": "event", "result": 5}), GenericPluginData)
    with pytest.raises(jp.RemoteProtocolError, match="'sdp' missing"):
        nosip.CODEC.parse_event(event("generated", type="offer"))
    with pytest.raises(jp.RemoteProtocolError, match="'update' must be bool"):
        nosip.CODEC.parse_event(event("processed", update="yes"))
    with pytest.raises(jp.RemoteProtocolError, match="expected an object"):
        nosip.NoSipEvent.parse(["x"])  # type: ignore[arg-type]
    assert nosip.NoSipEvent.parse({"nosip": "event"}).event is None


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (440, nosip.NoMessage),
        (441, nosip.InvalidJSON),
        (442, nosip.InvalidRequest),
        (443, nosip.MissingElement),
        (444, nosip.InvalidElement),
        (445, nosip.WrongState),
        (446, nosip.MissingSDP),
        (447, nosip.InvalidSDP),
        (448, nosip.IOFailure),
        (449, nosip.RecordingError),
        (450, nosip.TooStrict),
        (499, nosip.UnknownError),
    ],
)
def test_error_classes(code: int, cls: type[nosip.NoSipError]) -> None:
    exc = failed(code, "Missing SDP")
    assert type(exc) is cls
    assert isinstance(exc, nosip.NoSipError)
    assert (exc.error_code, exc.error, exc.plugin) == (code, "Missing SDP", nosip.PLUGIN)
    assert nosip.ERRORS[code] is cls
    assert cls.__doc__ is not None
    assert cls.__doc__.startswith(f"{code}: ")


def test_unknown_code_raises_the_base_class() -> None:
    assert type(failed(451)) is nosip.NoSipError
    assert len(nosip.ERRORS) == 12


def test_sip_and_nosip_codes_do_not_mix() -> None:
    # Both plugins use 440-450, with different meanings: the plugin name picks the class.
    from janus_proto.plugins import sip

    assert type(failed(446)) is nosip.MissingSDP
    sip_446 = jp.PluginRequestFailed(
        transaction="t", session_id=1, handle_id=2, plugin=sip.PLUGIN, error_code=446, error="x"
    ).to_exception()
    assert type(sip_446) is sip.InvalidAddress


# -- properties --------------------------------------------------------------------------

_text = st.text(min_size=1, max_size=30)


@given(
    kind=st.sampled_from(["offer", "answer"]),
    sdp=_text,
    info=st.none() | _text,
    srtp=st.sampled_from([None, "sdes_optional", "sdes_mandatory"]),
)
def test_process_body_round_trip(kind: str, sdp: str, info: str | None, srtp: str | None) -> None:
    body = nosip.Process(type=kind, sdp=sdp, info=info, srtp=srtp).body()
    expected = {"request": "process", "type": kind, "sdp": sdp, "info": info, "srtp": srtp}
    assert body == {k: v for k, v in expected.items() if v is not None}


@given(kind=st.sampled_from(["offer", "answer"]), sdp=_text, update=st.none() | st.booleans())
def test_generated_round_trip(kind: str, sdp: str, update: bool | None) -> None:
    fields: dict[str, Any] = {"type": kind, "sdp": sdp}
    if update is not None:
        fields["update"] = update
    ev = nosip.CODEC.parse_event(event("generated", **fields))
    assert isinstance(ev, nosip.Generated)
    assert (ev.type, ev.sdp, ev.update) == (kind, sdp, update)
