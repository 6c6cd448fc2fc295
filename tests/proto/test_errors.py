"""The exception families: protocol misuse, Janus core errors by code, plugin errors."""

from __future__ import annotations

import pickle

import pytest

import janus_proto as jp

#: janus-api.md s4 (apierror.h of Janus 1.1.2): code -> (class, name in apierror.h).
CORE_CODES: dict[int, tuple[type[jp.JanusError], str]] = {
    403: (jp.Unauthorized, "UNAUTHORIZED"),
    405: (jp.UnauthorizedPlugin, "UNAUTHORIZED_PLUGIN"),
    450: (jp.TransportSpecificError, "TRANSPORT_SPECIFIC"),
    452: (jp.MissingRequest, "MISSING_REQUEST"),
    453: (jp.UnknownRequest, "UNKNOWN_REQUEST"),
    454: (jp.InvalidJSON, "INVALID_JSON"),
    455: (jp.InvalidJSONObject, "INVALID_JSON_OBJECT"),
    456: (jp.MissingMandatoryElement, "MISSING_MANDATORY_ELEMENT"),
    457: (jp.InvalidRequestPath, "INVALID_REQUEST_PATH"),
    458: (jp.SessionNotFound, "SESSION_NOT_FOUND"),
    459: (jp.HandleNotFound, "HANDLE_NOT_FOUND"),
    460: (jp.PluginNotFound, "PLUGIN_NOT_FOUND"),
    461: (jp.PluginAttachError, "PLUGIN_ATTACH"),
    462: (jp.PluginMessageError, "PLUGIN_MESSAGE"),
    463: (jp.PluginDetachError, "PLUGIN_DETACH"),
    464: (jp.JsepUnknownType, "JSEP_UNKNOWN_TYPE"),
    465: (jp.JsepInvalidSdp, "JSEP_INVALID_SDP"),
    466: (jp.TrickleInvalidStream, "TRICKE_INVALID_STREAM"),
    467: (jp.InvalidElementType, "INVALID_ELEMENT_TYPE"),
    468: (jp.SessionConflict, "SESSION_CONFLICT"),
    469: (jp.UnexpectedAnswer, "UNEXPECTED_ANSWER"),
    470: (jp.TokenNotFound, "TOKEN_NOT_FOUND"),
    471: (jp.WebRTCStateError, "WEBRTC_STATE"),
    472: (jp.NotAcceptingSessions, "NOT_ACCEPTING_SESSIONS"),
    490: (jp.UnknownError, "UNKNOWN"),
}

#: Reasons as observed from Janus 1.1.2 (janus-api.md s6).
OBSERVED = [
    (458, "No such session 123456", jp.SessionNotFound),
    (460, "No such plugin 'janus.plugin.nope'", jp.PluginNotFound),
    (456, "Missing mandatory element (transaction)", jp.MissingMandatoryElement),
    (454, "JSON error: on line 1: string or '}' expected near 'not'", jp.InvalidJSON),
    (455, "JSON error: not an object", jp.InvalidJSONObject),
    (467, "Invalid element type (transaction should be a string)", jp.InvalidElementType),
    (457, "Unhandled request 'bogus' at this path", jp.InvalidRequestPath),
    (453, "Unknown request 'frobnicate'", jp.UnknownRequest),
    (468, "Session ID already in use", jp.SessionConflict),
    (403, "Unauthorized request (wrong or missing secret/token)", jp.Unauthorized),
    (470, "Token tok-none not found", jp.TokenNotFound),
    (405, "Provided token can't access plugin 'janus.plugin.echotest'", jp.UnauthorizedPlugin),
    (490, "Stored-Token based authentication disabled", jp.UnknownError),
]


@pytest.mark.parametrize("code", sorted(CORE_CODES))
def test_error_for_code_knows_every_core_code(code: int) -> None:
    cls, _ = CORE_CODES[code]
    assert jp.error_for_code(code) is cls
    assert jp.ERROR_CLASSES[code] is cls
    assert cls.code == code
    assert issubclass(cls, jp.JanusError)
    assert cls is not jp.JanusError
    assert cls.__module__ == "janus_proto"
    assert getattr(jp, cls.__name__) is cls  # exported


def test_the_mapping_has_exactly_the_core_codes() -> None:
    assert set(jp.ERROR_CLASSES) == set(CORE_CODES)
    assert len({cls for cls, _ in CORE_CODES.values()}) == len(CORE_CODES)  # one class per code


@pytest.mark.parametrize("code", [0, -1, 200, 404, 451, 473, 489, 491, 499, 500, 2**40])
def test_unknown_codes_map_to_the_base_class(code: int) -> None:
    assert jp.error_for_code(code) is jp.JanusError
    exc = jp.error_for_code(code)(code, "what", None)
    assert type(exc) is jp.JanusError
    assert exc.error_code == code
    assert jp.JanusError.code == 0


@pytest.mark.parametrize(("code", "reason", "cls"), OBSERVED)
def test_request_failed_to_exception(code: int, reason: str, cls: type[jp.JanusError]) -> None:
    failed = jp.RequestFailed(transaction="tvbwowO0ff2", code=code, reason=reason)
    exc = failed.to_exception()
    assert type(exc) is cls
    assert (exc.error_code, exc.reason, exc.transaction) == (code, reason, "tvbwowO0ff2")
    assert str(exc) == f"Janus error {code}: {reason}"
    with pytest.raises(jp.JanusError):  # catchable by the base
        raise exc


def test_request_failed_with_an_unknown_code_gives_the_base() -> None:
    exc = jp.RequestFailed(transaction="t", code=499, reason="?").to_exception()
    assert type(exc) is jp.JanusError
    assert exc.error_code == 499


@pytest.mark.parametrize("code", sorted(CORE_CODES))
def test_janus_errors_pickle(code: int) -> None:
    cls, _ = CORE_CODES[code]
    exc = cls(code, f"reason {code}", f"t{code}")
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is cls
    assert (again.error_code, again.reason, again.transaction) == (
        code,
        f"reason {code}",
        f"t{code}",
    )
    assert str(again) == str(exc)


def test_janus_error_without_transaction() -> None:
    exc = jp.InvalidJSON(454, "JSON error")
    assert exc.transaction is None
    again = pickle.loads(pickle.dumps(exc))
    assert (type(again), again.transaction) == (jp.InvalidJSON, None)
    base = pickle.loads(pickle.dumps(jp.JanusError(999, "odd", "t9")))
    assert (type(base), base.error_code, base.reason, base.transaction) == (
        jp.JanusError,
        999,
        "odd",
        "t9",
    )


def test_janus_errors_are_not_protocol_errors() -> None:
    # Server errors and misuse are separate families: catching one never swallows the other.
    assert not issubclass(jp.JanusError, jp.JanusProtocolError)
    assert not issubclass(jp.PluginError, jp.JanusError)
    assert not issubclass(jp.PluginError, jp.JanusProtocolError)


# -- plugin errors ---------------------------------------------------------------------------


def test_plugin_error_fields() -> None:
    data = {"videoroom": "event", "error_code": 426, "error": "No such room (4040404)"}
    exc = jp.PluginError("janus.plugin.videoroom", 426, "No such room (4040404)", data, "t7")
    assert exc.plugin == "janus.plugin.videoroom"
    assert exc.error_code == 426
    assert exc.error == "No such room (4040404)"
    assert exc.data == data
    assert exc.transaction == "t7"
    assert str(exc) == "janus.plugin.videoroom error 426: No such room (4040404)"
    assert exc.args == (str(exc),)


def test_plugin_error_defaults() -> None:
    exc = jp.PluginError("janus.plugin.echotest", 413, "Invalid element type")
    assert exc.data == {}
    assert exc.transaction is None
    other = jp.PluginError("janus.plugin.echotest", 413, "Invalid element type")
    assert exc.data is not other.data  # no shared mutable default


def test_plugin_error_pickles_with_everything() -> None:
    data = {"videoroom": "event", "error_code": 433, "error": "Unauthorized (wrong secret)"}
    exc = jp.PluginError("janus.plugin.videoroom", 433, "Unauthorized (wrong secret)", data, "t3")
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is jp.PluginError
    assert (again.plugin, again.error_code, again.error, dict(again.data), again.transaction) == (
        "janus.plugin.videoroom",
        433,
        "Unauthorized (wrong secret)",
        data,
        "t3",
    )
    assert str(again) == str(exc)


def test_plugin_request_failed_to_exception() -> None:
    data = {"videoroom": "event", "error_code": 427, "error": "Room 777001 already exists"}
    failed = jp.PluginRequestFailed(
        transaction="mo7mUUwiLRZ",
        session_id=4968465197056105,
        handle_id=8229633980177,
        plugin="janus.plugin.videoroom",
        error_code=427,
        error="Room 777001 already exists",
        data=data,
    )
    exc = failed.to_exception()
    assert type(exc) is jp.plugins.videoroom.RoomExistsError  # the plugin's class for 427
    assert isinstance(exc, jp.PluginError)
    assert (exc.plugin, exc.error_code, exc.error, exc.data, exc.transaction) == (
        "janus.plugin.videoroom",
        427,
        "Room 777001 already exists",
        data,
        "mo7mUUwiLRZ",
    )


# -- protocol errors -------------------------------------------------------------------------


def test_janus_protocol_error_is_abstract() -> None:
    with pytest.raises(TypeError, match="JanusProtocolError is abstract"):
        jp.JanusProtocolError("x")


def test_local_protocol_error() -> None:
    exc = jp.LocalProtocolError("session 5 is closed")
    assert isinstance(exc, jp.JanusProtocolError)
    assert not isinstance(exc, jp.RemoteProtocolError)
    assert str(exc) == "session 5 is closed"


def test_remote_protocol_error_keeps_raw() -> None:
    exc = jp.RemoteProtocolError("not JSON", raw=b"\xff")
    assert isinstance(exc, jp.JanusProtocolError)
    assert not isinstance(exc, jp.LocalProtocolError)
    assert (str(exc), exc.raw) == ("not JSON", b"\xff")
    assert jp.RemoteProtocolError("no raw").raw is None


def test_reply_malformed_to_exception() -> None:
    raw = {"janus": "success", "transaction": "t1", "data": {"id": "x"}}
    ev = jp.ReplyMalformed(raw=raw, transaction="t1", reason="'id' must be an integer, got 'x'")
    exc = ev.to_exception()
    assert type(exc) is jp.RemoteProtocolError
    assert str(exc) == "'id' must be an integer, got 'x'"
    assert exc.raw == raw
