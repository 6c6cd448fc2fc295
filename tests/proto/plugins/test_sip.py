"""The SIP codec (janus_proto.plugins.sip): request bodies, validation, events, errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, sip

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\n"}


def failed(code: int, error: str = "boom") -> jp.PluginError:
    return plugin_failure(sip.PLUGIN, code, error)


def event(name: str, top_call_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """Plugin data as Janus sends it; ``top_call_id`` is the top-level ``call_id``."""
    data: dict[str, Any] = {"sip": "event", "result": {"event": name, **fields}}
    if top_call_id is not None:
        data["call_id"] = top_call_id
    return data


# -- request bodies ----------------------------------------------------------------------


def test_register_guest_body() -> None:
    req = sip.Register(username="sip:alice@127.0.0.1", type="guest")
    assert req.body() == {
        "request": "register",
        "username": "sip:alice@127.0.0.1",
        "type": "guest",
    }
    assert req.PLUGIN == "janus.plugin.sip"
    assert not req.SYNC
    assert req.JSEP is jp.plugins.JsepRule.NONE


def test_register_every_field() -> None:
    req = sip.Register(
        username="sip:bob@127.0.0.1",
        type="helper",
        send_register=False,
        force_udp=True,
        force_tcp=False,
        sips=False,
        rfc2543_cancel=True,
        secret="pw",
        ha1_secret="0123",
        authuser="bobby",
        display_name="Bob",
        user_agent="UA",
        proxy="sip:127.0.0.1:5070",
        outbound_proxy="sip:127.0.0.1:5071",
        headers={"X-A": "1"},
        contact_params={"ob": "x"},
        incoming_header_prefixes=["X-", "P-"],
        refresh=True,
        master_id=42,
        register_ttl=60,
    )
    assert req.body() == {
        "request": "register",
        "username": "sip:bob@127.0.0.1",
        "type": "helper",
        "send_register": False,
        "force_udp": True,
        "force_tcp": False,
        "sips": False,
        "rfc2543_cancel": True,
        "secret": "pw",
        "ha1_secret": "0123",
        "authuser": "bobby",
        "display_name": "Bob",
        "user_agent": "UA",
        "proxy": "sip:127.0.0.1:5070",
        "outbound_proxy": "sip:127.0.0.1:5071",
        "headers": {"X-A": "1"},
        "contact_params": {"ob": "x"},
        "incoming_header_prefixes": ["X-", "P-"],
        "refresh": True,
        "master_id": 42,
        "register_ttl": 60,
    }
    assert req.incoming_header_prefixes == ("X-", "P-")


def test_call_accept_decline_bodies() -> None:
    call = sip.Call(
        uri="sip:x@127.0.0.1",
        call_id="c1",
        headers={"X-B": "2"},
        srtp="sdes_optional",
        srtp_profile="AES_CM_128_HMAC_SHA1_80",
        autoaccept_reinvites=False,
        refer_id=7,
        secret="s",
        ha1_secret="h",
        authuser="a",
    )
    assert call.body() == {
        "request": "call",
        "uri": "sip:x@127.0.0.1",
        "call_id": "c1",
        "headers": {"X-B": "2"},
        "srtp": "sdes_optional",
        "srtp_profile": "AES_CM_128_HMAC_SHA1_80",
        "autoaccept_reinvites": False,
        "refer_id": 7,
        "secret": "s",
        "ha1_secret": "h",
        "authuser": "a",
    }
    assert sip.Accept(
        srtp="sdes_mandatory", headers={"X-C": "3"}, autoaccept_reinvites=True
    ).body() == {
        "request": "accept",
        "srtp": "sdes_mandatory",
        "headers": {"X-C": "3"},
        "autoaccept_reinvites": True,
    }
    assert sip.Decline().body() == {"request": "decline"}
    assert sip.Decline(code=603, headers={"X-D": "4"}, refer_id=9).body() == {
        "request": "decline",
        "code": 603,
        "headers": {"X-D": "4"},
        "refer_id": 9,
    }


def test_in_call_request_bodies() -> None:
    assert sip.Update().body() == {"request": "update"}
    assert sip.Hold(direction="recvonly", headers={"X": "y"}).body() == {
        "request": "hold",
        "direction": "recvonly",
        "headers": {"X": "y"},
    }
    assert sip.Unhold().body() == {"request": "unhold"}
    assert sip.Hangup(headers={"X": "y"}).body() == {"request": "hangup", "headers": {"X": "y"}}
    assert sip.Message(
        content="hi", content_type="text/plain", uri="sip:u@127.0.0.1", call_id="m1"
    ).body() == {
        "request": "message",
        "content": "hi",
        "content_type": "text/plain",
        "uri": "sip:u@127.0.0.1",
        "call_id": "m1",
    }
    assert sip.Info(type="application/x", content="c", headers={"X": "y"}).body() == {
        "request": "info",
        "type": "application/x",
        "content": "c",
        "headers": {"X": "y"},
    }
    assert sip.DtmfInfo(digit="#", duration=250).body() == {
        "request": "dtmf_info",
        "digit": "#",
        "duration": 250,
    }
    assert sip.Transfer(uri="sip:t@127.0.0.1", replace="call-1").body() == {
        "request": "transfer",
        "uri": "sip:t@127.0.0.1",
        "replace": "call-1",
    }
    assert sip.Recording(
        action="start",
        audio=True,
        video=False,
        peer_audio=True,
        peer_video=False,
        send_peer_pli=True,
        filename="/tmp/rec",
    ).body() == {
        "request": "recording",
        "action": "start",
        "audio": True,
        "video": False,
        "peer_audio": True,
        "peer_video": False,
        "send_peer_pli": True,
        "filename": "/tmp/rec",
    }


def test_other_request_bodies() -> None:
    assert sip.Unregister().body() == {"request": "unregister"}
    assert sip.Reset().body() == {"request": "reset"}
    assert sip.Subscribe(
        event="presence",
        accept="application/pidf+xml",
        to="sip:u@127.0.0.1",
        subscribe_ttl=60,
        call_id="s1",
        headers={"X": "y"},
    ).body() == {
        "request": "subscribe",
        "event": "presence",
        "accept": "application/pidf+xml",
        "to": "sip:u@127.0.0.1",
        "subscribe_ttl": 60,
        "call_id": "s1",
        "headers": {"X": "y"},
    }
    assert sip.Unsubscribe(event="presence", to="sip:u@127.0.0.1").body() == {
        "request": "unsubscribe",
        "event": "presence",
        "to": "sip:u@127.0.0.1",
    }
    assert sip.Reset(extra={"future": 1}).body() == {"request": "reset", "future": 1}


def test_headers_are_copied() -> None:
    headers = {"X-A": "1"}
    req = sip.Call(uri="sip:x@127.0.0.1", headers=headers)
    headers["X-A"] = "changed"
    assert req.body()["headers"] == {"X-A": "1"}


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "kwargs", "error", "match"),
    [
        (sip.Register, {}, TypeError, "username"),
        (sip.Register, {"username": 5}, TypeError, r"Register\.username must be str"),
        (sip.Register, {"username": "sip:a@b", "type": "admin"}, ValueError, "guest, helper"),
        (sip.Register, {"username": "sip:a@b", "type": 1}, TypeError, r"Register\.type"),
        (sip.Register, {"username": "sip:a@b", "secret": 1}, TypeError, "secret"),
        (sip.Register, {"username": "sip:a@b", "master_id": "1"}, TypeError, "master_id"),
        (sip.Register, {"username": "sip:a@b", "master_id": True}, TypeError, "master_id"),
        (sip.Register, {"username": "sip:a@b", "headers": ["X"]}, TypeError, "mapping of str"),
        (sip.Register, {"username": "sip:a@b", "headers": {"X": 1}}, TypeError, "headers"),
        (sip.Register, {"username": "sip:a@b", "contact_params": {1: "x"}}, TypeError, "contact"),
        (
            sip.Register,
            {"username": "sip:a@b", "incoming_header_prefixes": "X-"},
            TypeError,
            "must be a list",
        ),
        (
            sip.Register,
            {"username": "sip:a@b", "incoming_header_prefixes": [1]},
            TypeError,
            "items must be str",
        ),
        (sip.Call, {}, TypeError, "uri"),
        (sip.Call, {"uri": "sip:a@b", "srtp": "sdes"}, ValueError, "sdes_optional"),
        (sip.Call, {"uri": "sip:a@b", "refer_id": "7"}, TypeError, "refer_id"),
        (sip.Accept, {"srtp": "yes"}, ValueError, r"Accept\.srtp"),
        (sip.Decline, {"code": "486"}, TypeError, r"Decline\.code must be int"),
        (sip.Decline, {"code": 200}, ValueError, "SIP error code"),
        (sip.Decline, {"code": 700}, ValueError, "SIP error code"),
        (sip.Hold, {"direction": "sendrecv"}, ValueError, "inactive"),
        (sip.Message, {}, TypeError, "content"),
        (sip.Message, {"content": b"x"}, TypeError, r"Message\.content"),
        (sip.Info, {"type": "t"}, TypeError, "content"),
        (sip.DtmfInfo, {"digit": "12"}, ValueError, "one character"),
        (sip.DtmfInfo, {"digit": ""}, ValueError, "one character"),
        (sip.DtmfInfo, {"digit": 1}, TypeError, r"DtmfInfo\.digit must be str"),
        (sip.DtmfInfo, {"digit": "1", "duration": -1}, ValueError, "negative"),
        (sip.DtmfInfo, {"digit": "1", "duration": 1.5}, TypeError, "duration"),
        (sip.Subscribe, {}, TypeError, "event"),
        (sip.Subscribe, {"event": "p", "subscribe_ttl": "60"}, TypeError, "subscribe_ttl"),
        (sip.Unsubscribe, {"event": None}, TypeError, "event"),
        (sip.Transfer, {"uri": "sip:a@b", "replace": 3}, TypeError, "replace"),
        (sip.Recording, {"action": "rewind"}, ValueError, "start, stop, pause, resume"),
        (sip.Recording, {"action": None}, TypeError, r"Recording\.action must be str"),
        (sip.Recording, {"action": "stop", "audio": "yes"}, TypeError, "audio"),
        (sip.Reset, {"extra": {1: 2}}, TypeError, "extra"),
    ],
)
def test_validation(cls: type, kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        cls(**kwargs)


def test_jsep_rules() -> None:
    call = sip.Call(uri="sip:a@127.0.0.1")
    call.check_jsep(OFFER)
    with pytest.raises(ValueError, match="needs a JSEP offer"):
        call.check_jsep(None)
    with pytest.raises(ValueError, match="needs a JSEP offer, got 'answer'"):
        call.check_jsep(ANSWER)
    for needs_any in (sip.Accept(), sip.Update()):
        needs_any.check_jsep(OFFER)
        needs_any.check_jsep(ANSWER)
        with pytest.raises(ValueError, match="needs a JSEP offer or answer"):
            needs_any.check_jsep(None)
        with pytest.raises(TypeError, match="jsep must be a mapping"):
            needs_any.check_jsep("offer")  # type: ignore[arg-type]
    for none in (sip.Register(username="sip:a@b"), sip.Hangup(), sip.Message(content="x")):
        none.check_jsep(None)
        with pytest.raises(ValueError, match="takes no JSEP"):
            none.check_jsep(OFFER)


# -- replies -----------------------------------------------------------------------------


def test_register_answers() -> None:
    req = sip.Register(username="sip:a@127.0.0.1", type="guest")
    registered = req.parse_reply(
        {
            "sip": "event",
            "result": {
                "event": "registered",
                "username": "alice",
                "register_sent": False,
                "master_id": 2556674895,
            },
        }
    )
    assert isinstance(registered, sip.Registered)
    assert registered.username == "alice"
    assert registered.register_sent is False
    assert registered.master_id == 2556674895
    assert registered.helper is None
    assert registered.call_id is None
    registering = req.parse_reply(event("registering"))
    assert isinstance(registering, sip.Registering)
    assert registering.event == "registering"


def test_reply_must_be_the_requests_event() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="Call: expected Calling, got 'hangup'") as e:
        sip.Call(uri="sip:a@b").parse_reply(event("hangup", "c1", code=503, reason="x"))
    assert e.value.raw == event("hangup", "c1", code=503, reason="x")
    with pytest.raises(jp.RemoteProtocolError, match="expected Registering or Registered"):
        sip.Register(username="sip:a@b").parse_reply(event("calling"))
    with pytest.raises(jp.RemoteProtocolError, match="got None"):
        sip.Hangup().parse_reply({"sip": "event"})
    with pytest.raises(jp.RemoteProtocolError, match="Hangup: expected HangingUp, got None"):
        sip.Hangup().parse_reply([])  # type: ignore[arg-type]  # not an object


@pytest.mark.parametrize(
    ("request_", "data", "cls"),
    [
        (sip.Unregister(), event("unregistering"), sip.Unregistering),
        (sip.Call(uri="sip:a@b"), event("calling", "c1", call_id="c1"), sip.Calling),
        (sip.Accept(), event("accepted", "c1"), sip.Accepted),
        (sip.Accept(), event("accepting", "c1"), sip.Accepting),
        (sip.Decline(), event("declining", "c1", code=486), sip.Declining),
        (sip.Update(), event("updating", "c1"), sip.Updating),
        (sip.Update(), event("updated", "c1"), sip.Updated),
        (sip.Hold(), event("holding", "c1"), sip.Holding),
        (sip.Unhold(), event("resuming", "c1"), sip.Resuming),
        (sip.Hangup(), event("hangingup", "c1"), sip.HangingUp),
        (sip.Message(content="x"), event("messagesent", "m1", call_id="m1"), sip.MessageSent),
        (sip.Info(type="t", content="c"), event("infosent", "c1"), sip.InfoSent),
        (sip.DtmfInfo(digit="1"), event("dtmfsent", "c1"), sip.DtmfSent),
        (sip.Subscribe(event="p"), event("subscribing"), sip.Subscribing),
        (sip.Unsubscribe(event="p"), event("unsubscribing"), sip.Unsubscribing),
        (sip.Transfer(uri="sip:a@b"), event("transferring", "c1"), sip.Transferring),
        (sip.Recording(action="stop"), event("recordingupdated", "c1"), sip.RecordingUpdated),
        (sip.Reset(), event("reset"), sip.ResetDone),
    ],
)
def test_each_request_parses_its_answer(
    request_: Any, data: dict[str, Any], cls: type[sip.SipEvent]
) -> None:
    reply = request_.parse_reply(data, {"type": "answer", "sdp": "v=0"})
    assert type(reply) is cls
    assert reply.raw == data
    assert reply.jsep == {"type": "answer", "sdp": "v=0"}
    assert reply.call_id == data.get("call_id")


# -- events ------------------------------------------------------------------------------


def test_call_id_comes_from_the_top_level_or_the_result() -> None:
    top = sip.CODEC.parse_event(event("ringing", "top"))
    assert top.call_id == "top"  # type: ignore[attr-defined]
    inner = sip.CODEC.parse_event(
        {"sip": "event", "result": {"event": "subscribing", "call_id": "r"}}
    )
    assert inner.call_id == "r"  # type: ignore[attr-defined]
    both = sip.CODEC.parse_event(
        {"sip": "event", "call_id": "top", "result": {"event": "calling", "call_id": "inner"}}
    )
    assert both.call_id == "top"  # type: ignore[attr-defined]
    null = sip.CODEC.parse_event({"sip": "event", "call_id": None, "result": {"event": "reset"}})
    assert null.call_id is None  # type: ignore[attr-defined]


def test_incoming_call_as_observed() -> None:
    data = {
        "sip": "event",
        "result": {
            "event": "incomingcall",
            "username": "sip:ua@127.0.0.1:55649",
            "call_id": "in1",
            "displayname": '"Fake UA"',
            "callee": "sip:bob@127.0.0.1:33854",
            "headers": {"X-Custom": "one"},
        },
        "call_id": "in1",
    }
    ev = sip.CODEC.parse_event(data, OFFER)
    assert isinstance(ev, sip.IncomingCall)
    assert ev.username == "sip:ua@127.0.0.1:55649"
    assert ev.displayname == '"Fake UA"'
    assert ev.callee == "sip:bob@127.0.0.1:33854"
    assert ev.headers == {"X-Custom": "one"}
    assert ev.call_id == "in1"
    assert ev.jsep == OFFER
    assert ev.raw is data
    assert ev.srtp is None
    assert ev.referred_by is None


def test_pushed_events_as_observed() -> None:
    hung = sip.CODEC.parse_event(event("hangup", "callA", code=486, reason="Busy Here"))
    assert isinstance(hung, sip.HungUp)
    assert (hung.code, hung.reason, hung.reason_header) == (486, "Busy Here", None)
    proceeding = sip.CODEC.parse_event(event("proceeding", "callA", code=183))
    assert isinstance(proceeding, sip.Proceeding)
    assert proceeding.code == 183
    delivered = sip.CODEC.parse_event(event("messagedelivery", "m", code=200, reason="OK"))
    assert isinstance(delivered, sip.MessageDelivery)
    assert (delivered.code, delivered.reason) == (200, "OK")
    notify = sip.CODEC.parse_event(
        {
            "sip": "event",
            "call_id": "f413ce7f",
            "result": {
                "event": "notify",
                "notify": "presence",
                "substate": "active",
                "content-type": "application/pidf+xml",
                "content": "<presence/>",
                "headers": {},
            },
        }
    )
    assert isinstance(notify, sip.Notified)
    assert notify.content_type == "application/pidf+xml"
    assert (notify.notify, notify.substate, notify.content) == ("presence", "active", "<presence/>")
    transfer = sip.CODEC.parse_event(
        event(
            "transfer",
            refer_id=4205032339,
            refer_to="sip:carol@127.0.0.1:38160",
            referred_by="<sip:ua@127.0.0.1:38160>",
            headers={},
        )
    )
    assert isinstance(transfer, sip.IncomingTransfer)
    assert transfer.refer_id == 4205032339
    assert transfer.refer_to == "sip:carol@127.0.0.1:38160"
    ok = sip.CODEC.parse_event(
        event("subscribe_succeeded", "s", code=200, headers={}, expires=60, reason="OK")
    )
    assert isinstance(ok, sip.SubscribeSucceeded)
    assert (ok.code, ok.expires, ok.reason) == (200, 60, "OK")


_SAMPLES: list[tuple[dict[str, Any], type]] = [
    (event("registering"), sip.Registering),
    (
        event("registered", username="a", register_sent=True, master_id=1, helper=True),
        sip.Registered,
    ),
    (event("registration_failed", code=403, reason="Forbidden"), sip.RegistrationFailed),
    (event("unregistering"), sip.Unregistering),
    (event("unregistered", username="a"), sip.Unregistered),
    (event("calling", "c"), sip.Calling),
    (event("ringing", "c", headers={"X": "y"}), sip.Ringing),
    (event("proceeding", "c", code=180), sip.Proceeding),
    (event("progress", "c", username="sip:u@h", isfocus=True), sip.Progress),
    (event("accepting", "c"), sip.Accepting),
    (event("accepted", "c", username="sip:u@h"), sip.Accepted),
    (event("incomingcall", "c", username="sip:u@h", srtp="sdes_optional"), sip.IncomingCall),
    (event("updatingcall", "c", username="sip:u@h", callee="sip:b@h"), sip.UpdatingCall),
    (event("updating", "c"), sip.Updating),
    (event("updated", "c"), sip.Updated),
    (event("missed_call", "c2", caller="sip:u@h", callee="sip:b@h"), sip.MissedCall),
    (event("holding", "c"), sip.Holding),
    (event("resuming", "c"), sip.Resuming),
    (event("declining", "c", code=603, refer_id=5), sip.Declining),
    (event("declined", "c", code=603, reason="Decline"), sip.Declined),
    (event("hangingup", "c"), sip.HangingUp),
    (
        event(
            "hangup",
            "c",
            code=200,
            reason="BYE",
            reason_header="bye",
            reason_header_protocol="Q.850",
            reason_header_cause="16",
        ),
        sip.HungUp,
    ),
    (
        event("message", "c", sender="sip:u@h", content="hi", content_type="text/plain"),
        sip.IncomingMessage,
    ),
    (event("messagesent", "m"), sip.MessageSent),
    (event("messagedelivery", "m", code=202), sip.MessageDelivery),
    (event("info", "c", sender="sip:u@h", type="text/plain", content="x"), sip.IncomingInfo),
    (event("infosent", "c"), sip.InfoSent),
    (event("dtmfsent", "c"), sip.DtmfSent),
    (event("notify", "s", notify="presence"), sip.Notified),
    (event("subscribing", "s"), sip.Subscribing),
    (event("subscribe_succeeded", "s", code=202), sip.SubscribeSucceeded),
    (event("subscribe_failed", "s", code=404, reason="Not Found"), sip.SubscribeFailed),
    (event("unsubscribing"), sip.Unsubscribing),
    (event("transfer", refer_id=1, replaces="c0"), sip.IncomingTransfer),
    (event("transferring", "c"), sip.Transferring),
    (event("recordingupdated", "c"), sip.RecordingUpdated),
    (event("reset"), sip.ResetDone),
]


@pytest.mark.parametrize(("data", "cls"), _SAMPLES, ids=[c.__name__ for _, c in _SAMPLES])
def test_codec_types_every_event(data: dict[str, Any], cls: type) -> None:
    ev = sip.CODEC.parse_event(data)
    assert type(ev) is cls
    assert isinstance(ev, sip.SipEvent)
    assert ev.event == data["result"]["event"]
    assert ev.raw == data
    for key, value in data["result"].items():
        name = "content_type" if key == "content-type" else key
        assert getattr(ev, name) == value


def test_every_event_name_has_a_class() -> None:
    names = {data["result"]["event"] for data, _ in _SAMPLES}
    assert len(names) == len(_SAMPLES) == 37
    assert all(cls.__name__ in sip.__all__ for _, cls in _SAMPLES)
    assert all(getattr(sip, name) is not None for name in sip.__all__)


def test_unknown_and_malformed_events() -> None:
    unknown = sip.CODEC.parse_event(event("brand_new", "c"))
    assert isinstance(unknown, GenericPluginData)
    assert unknown.plugin == "janus.plugin.sip"
    assert isinstance(sip.CODEC.parse_event({"sip": "event", "result": "odd"}), GenericPluginData)
    assert isinstance(sip.CODEC.parse_event([1, 2]), GenericPluginData)  # type: ignore[arg-type]
    with pytest.raises(jp.RemoteProtocolError, match="'username' missing"):
        sip.CODEC.parse_event(event("registered"))
    with pytest.raises(jp.RemoteProtocolError, match="'code' must be int"):
        sip.CODEC.parse_event(event("hangup", code="486"))
    with pytest.raises(jp.RemoteProtocolError, match="'call_id' must be str"):
        sip.CODEC.parse_event(event("ringing", call_id=5))
    with pytest.raises(jp.RemoteProtocolError, match="expected an object"):
        sip.SipEvent.parse("nope")  # type: ignore[arg-type]
    bare = sip.SipEvent.parse({"sip": "event"})
    assert bare.event is None
    assert bare.call_id is None


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (440, sip.NoMessage),
        (441, sip.InvalidJSON),
        (442, sip.InvalidRequest),
        (443, sip.MissingElement),
        (444, sip.InvalidElement),
        (445, sip.AlreadyRegistered),
        (446, sip.InvalidAddress),
        (447, sip.WrongState),
        (448, sip.MissingSDP),
        (449, sip.LibSofiaError),
        (450, sip.IOFailure),
        (451, sip.RecordingError),
        (452, sip.TooStrict),
        (453, sip.HelperError),
        (454, sip.NoSuchCallId),
        (499, sip.UnknownError),
    ],
)
def test_error_classes(code: int, cls: type[sip.SipError]) -> None:
    exc = failed(code, "Wrong state (register first)")
    assert type(exc) is cls
    assert isinstance(exc, sip.SipError)
    assert isinstance(exc, jp.PluginError)
    assert cls.code == code
    assert sip.ERRORS[code] is cls
    assert (exc.error_code, exc.error, exc.plugin) == (
        code,
        "Wrong state (register first)",
        sip.PLUGIN,
    )
    assert cls.__doc__ is not None
    assert cls.__doc__.startswith(f"{code}: ")


def test_code_zero_and_unknown_codes_raise_the_base_class() -> None:
    zero = failed(0, "Wrong state (not in a call?)")
    assert type(zero) is sip.SipError
    assert zero.error_code == 0
    assert type(failed(498)) is sip.SipError
    assert len(sip.ERRORS) == 16


# -- properties --------------------------------------------------------------------------

_text = st.text(min_size=1, max_size=20)
_headers = st.dictionaries(_text, _text, max_size=3)


@given(
    content=_text,
    content_type=st.none() | _text,
    uri=st.none() | _text,
    headers=st.none() | _headers,
)
def test_message_body_round_trip(
    content: str, content_type: str | None, uri: str | None, headers: dict[str, str] | None
) -> None:
    body = sip.Message(content=content, content_type=content_type, uri=uri, headers=headers).body()
    assert body.pop("request") == "message"
    expected = {"content": content, "content_type": content_type, "uri": uri, "headers": headers}
    assert body == {k: v for k, v in expected.items() if v is not None}


@given(
    username=_text,
    kind=st.sampled_from([None, "guest", "helper"]),
    ttl=st.none() | st.integers(),
    prefixes=st.none() | st.lists(_text, max_size=3),
)
def test_register_body_round_trip(
    username: str, kind: str | None, ttl: int | None, prefixes: list[str] | None
) -> None:
    req = sip.Register(
        username=username, type=kind, register_ttl=ttl, incoming_header_prefixes=prefixes
    )
    body = req.body()
    assert body["request"] == "register"
    assert body["username"] == username
    assert body.get("type") == kind
    assert body.get("register_ttl") == ttl
    assert body.get("incoming_header_prefixes") == prefixes
    assert set(body) <= {"request", "username", "type", "register_ttl", "incoming_header_prefixes"}


@given(name=st.sampled_from(sorted({d["result"]["event"] for d, _ in _SAMPLES})), call_id=_text)
def test_event_round_trip(name: str, call_id: str) -> None:
    fields = {"username": "u", "code": 1, "refer_id": 1}
    data = {"sip": "event", "call_id": call_id, "result": {"event": name, **fields}}
    ev = sip.CODEC.parse_event(data)
    assert isinstance(ev, sip.SipEvent)
    assert (ev.event, ev.call_id, ev.raw) == (name, call_id, data)
