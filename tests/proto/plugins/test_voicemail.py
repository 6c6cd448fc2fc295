"""VoiceMail codec: bodies, JSEP rules, parsing, dispatch and errors.

The JSON shapes are those a real Janus 1.1.2 sent in tests/e2e/plugins/test_voicemail_e2e.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, voicemail

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}
URL = "/voicemail//janus-voicemail-2688037112501732.opus"  # as 1.1.2 builds it: base + "/" + name


def failed(code: int, error: str = "e") -> jp.PluginError:
    return plugin_failure(voicemail.PLUGIN, code, error)


def test_request_bodies_and_jsep_rules() -> None:
    record = voicemail.Record()
    assert record.body() == {"request": "record"}
    assert (record.PLUGIN, record.SYNC, record.JSEP) == (voicemail.PLUGIN, False, JsepRule.OFFER)
    with pytest.raises(ValueError, match="Record needs a JSEP offer"):
        record.check_jsep(None)
    with pytest.raises(ValueError, match="needs a JSEP offer, got 'answer'"):
        record.check_jsep(ANSWER)
    record.check_jsep(OFFER)
    update = voicemail.Update()
    assert update.body() == {"request": "update"}
    with pytest.raises(ValueError, match="Update needs a JSEP offer"):
        update.check_jsep(None)
    update.check_jsep(OFFER)
    stop = voicemail.Stop()
    assert stop.body() == {"request": "stop"}
    stop.check_jsep(None)
    with pytest.raises(ValueError, match="Stop takes no JSEP"):
        stop.check_jsep(OFFER)
    with pytest.raises(TypeError, match="jsep must be a mapping"):
        stop.check_jsep("offer")  # type: ignore[arg-type]


def test_requests_take_no_fields_but_extra() -> None:
    with pytest.raises(TypeError):
        voicemail.Record(id=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"Record\.extra must be a mapping with str keys"):
        voicemail.Record(extra={1: "x"})  # type: ignore[dict-item]
    assert voicemail.Stop(extra={"future": True}).body() == {"request": "stop", "future": True}


@given(extra=st.dictionaries(st.text().filter(lambda k: k != "request"), st.integers()))
def test_extra_round_trip(extra: dict[str, int]) -> None:
    assert voicemail.Record(extra=extra).body() == {"request": "record", **extra}


def test_replies() -> None:
    starting = voicemail.Record().parse_reply({"voicemail": "event", "status": "starting"}, ANSWER)
    assert isinstance(starting, voicemail.Starting)
    assert starting.status == "starting"
    assert starting.jsep == ANSWER
    updating = voicemail.Update().parse_reply({"voicemail": "event", "status": "updating"}, ANSWER)
    assert (updating.status, updating.jsep) == ("updating", ANSWER)
    data = {"voicemail": "event", "status": "done", "recording": URL}
    done = voicemail.Stop().parse_reply(data)
    assert (done.status, done.recording) == ("done", URL)
    assert done.raw == data
    assert done.jsep is None


def test_malformed_replies() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="Starting: 'status' missing"):
        voicemail.Record().parse_reply({"voicemail": "event"})
    with pytest.raises(jp.RemoteProtocolError, match="'recording' must be str, got int"):
        voicemail.Stop().parse_reply({"voicemail": "event", "status": "done", "recording": 1})
    with pytest.raises(jp.RemoteProtocolError, match="expected an object"):
        voicemail.Stop().parse_reply("done")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"voicemail": "event", "status": "starting"}, voicemail.Starting),
        ({"voicemail": "event", "status": "started"}, voicemail.Started),
        ({"voicemail": "event", "status": "updating"}, voicemail.Updating),
        ({"voicemail": "event", "status": "done", "recording": URL}, voicemail.Done),
        ({"voicemail": "event", "status": "done"}, voicemail.Done),
        ({"voicemail": "event", "status": "brand-new"}, GenericPluginData),
        ({"voicemail": "event"}, GenericPluginData),
    ],
)
def test_codec_dispatch(data: dict[str, Any], cls: type[Any]) -> None:
    event = voicemail.CODEC.parse_event(data, ANSWER)
    assert type(event) is cls
    assert event.raw == data
    assert event.jsep == ANSWER
    if isinstance(event, voicemail.VoiceMailEvent):
        assert event.status == data["status"]


def test_done_without_recording() -> None:
    done = voicemail.CODEC.parse_event({"voicemail": "event", "status": "done"})
    assert isinstance(done, voicemail.Done)
    assert done.recording is None


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (460, voicemail.NoMessage),
        (461, voicemail.InvalidJSON),
        (462, voicemail.InvalidRequest),
        (463, voicemail.MissingElement),
        (464, voicemail.InvalidElement),
        (465, voicemail.AlreadyRecording),
        (466, voicemail.RecordingIOError),
        (467, voicemail.LibOggError),
        (468, voicemail.InvalidState),
        (499, voicemail.UnknownError),
        (469, voicemail.VoiceMailError),
    ],
)
def test_error_classes(code: int, cls: type[jp.PluginError]) -> None:
    exc = failed(code, "Already recording")
    assert type(exc) is cls
    assert isinstance(exc, voicemail.VoiceMailError)
    assert isinstance(exc, jp.PluginError)
    assert (exc.plugin, exc.error_code, exc.error) == (voicemail.PLUGIN, code, "Already recording")
    assert exc.data["error_code"] == code
    if cls is not voicemail.VoiceMailError:
        assert voicemail.ERRORS[code] is cls
        assert cls.code == code
        assert (cls.__doc__ or "").startswith(f"{code}: ")


def test_public_names() -> None:
    for name in voicemail.__all__:
        assert hasattr(voicemail, name), name
    assert len(voicemail.ERRORS) == 10
