"""Typed requests: validation, the exact JSON Janus expects, credentials, and decoding."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import janus_proto as jp

S = 4968465197056105  # ids as observed from Janus 1.1.2 (janus-api.md s1.1)
H = 8229633980177
MAX_ID = 2**64 - 1
ECHO = "janus.plugin.echotest"
VROOM = "janus.plugin.videoroom"
CAND0 = jp.Candidate(
    candidate="candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
    sdp_mid="0",
    sdp_mline_index=0,
)
CAND1 = jp.Candidate(
    candidate="candidate:2 1 udp 1686052607 203.0.113.7 61000 typ srflx", sdp_mid="1"
)
CAND0_JSON = {
    "candidate": "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
}
CAND1_JSON = {
    "candidate": "candidate:2 1 udp 1686052607 203.0.113.7 61000 typ srflx",
    "sdpMid": "1",
}

# -- validation ------------------------------------------------------------------------------

Build = Callable[[], object]
#: The package, untyped: the table below builds requests from arguments of the wrong types.
J: Any = jp

#: (what to build, exception, text the message must contain: the field's qualified name)
INVALID: list[tuple[str, Build, type[Exception], str]] = [
    # ids: an int (never a bool) in 1..2**64-1
    ("id-bool", lambda: J.KeepAlive(session_id=True), TypeError, "KeepAlive.session_id"),
    ("id-str", lambda: J.Claim(session_id="1"), TypeError, "Claim.session_id must be an int"),
    ("id-float", lambda: J.Destroy(session_id=1.0), TypeError, "Destroy.session_id"),
    ("id-zero", lambda: J.Destroy(session_id=0), ValueError, "Destroy.session_id must be in"),
    ("id-neg", lambda: J.Hangup(session_id=S, handle_id=-1), ValueError, "Hangup.handle_id"),
    ("id-big", lambda: J.Detach(session_id=S, handle_id=2**64), ValueError, "Detach.handle_id"),
    ("create-id", lambda: J.Create(id=0), ValueError, "Create.id"),
    ("create-id-type", lambda: J.Create(id="4242"), TypeError, "Create.id"),
    (
        "set-timeout-sid",
        lambda: J.SetSessionTimeout(timeout=1, session_id=0),
        ValueError,
        "sion_id",
    ),
    ("list-handles", lambda: J.ListHandles(session_id=None), TypeError, "ListHandles.session_id"),
    ("handle-info", lambda: J.HandleInfo(session_id=S, handle_id=0), ValueError, "HandleInfo.han"),
    # strings: type, and non-empty where required
    ("plugin-empty", lambda: J.Attach(session_id=S, plugin=""), ValueError, "Attach.plugin"),
    ("plugin-type", lambda: J.Attach(session_id=S, plugin=None), TypeError, "Attach.plugin"),
    ("opaque", lambda: J.Attach(session_id=S, plugin=ECHO, opaque_id=1), TypeError, "opaque_id"),
    (
        "attach-token",
        lambda: J.Attach(session_id=S, plugin=ECHO, token=1),
        TypeError,
        "Attach.token",
    ),
    ("loop-index", lambda: J.Attach(session_id=S, plugin=ECHO, loop_index="0"), TypeError, "loop"),
    (
        "loop-bool",
        lambda: J.Attach(session_id=S, plugin=ECHO, loop_index=False),
        TypeError,
        "loop",
    ),
    ("mp-plugin", lambda: J.MessagePlugin(plugin="", request={}), ValueError, "gin.plugin"),
    ("transport", lambda: J.QueryTransport(transport="", request={}), ValueError, ".transport"),
    ("handler", lambda: J.QueryEventHandler(handler=3, request={}), TypeError, "ndler.handler"),
    ("logger", lambda: J.QueryLogger(logger="", request={}), ValueError, "QueryLogger.logger"),
    ("schema", lambda: J.CustomEvent(schema="", data={}), ValueError, "CustomEvent.schema"),
    ("line", lambda: J.CustomLogline(line=""), ValueError, "CustomLogline.line"),
    ("address", lambda: J.ResolveAddress(address=""), ValueError, "ResolveAddress.address"),
    ("stun-addr", lambda: J.TestStun(address=None, port=3478), TypeError, "TestStun.address"),
    ("token", lambda: J.AddToken(token=""), ValueError, "AddToken.token must not be empty"),
    ("remove-token", lambda: J.RemoveToken(token=5), TypeError, "RemoveToken.token"),
    ("folder", lambda: J.StartPcap(session_id=S, handle_id=H, folder=1), TypeError, "folder"),
    (
        "filename",
        lambda: J.StartText2Pcap(session_id=S, handle_id=H, filename=2),
        TypeError,
        "fil",
    ),
    # mappings
    ("body", lambda: J.Message(session_id=S, handle_id=H, body=None), TypeError, "Message.body"),
    ("body-list", lambda: J.Message(session_id=S, handle_id=H, body=[]), TypeError, "ge.body"),
    ("jsep", lambda: J.Message(session_id=S, handle_id=H, body={}, jsep="x"), TypeError, "jsep"),
    ("mp-request", lambda: J.MessagePlugin(plugin=VROOM, request=[]), TypeError, "in.request"),
    ("event-data", lambda: J.CustomEvent(schema="s", data="x"), TypeError, "CustomEvent.data"),
    # ints (never bools)
    ("timeout", lambda: J.SetSessionTimeout(timeout=True), TypeError, "SetSessionTimeout.timeout"),
    ("timeout-str", lambda: J.SetSessionTimeout(timeout="60"), TypeError, "t.timeout must be int"),
    ("level", lambda: J.SetLogLevel(level=4.0), TypeError, "SetLogLevel.level"),
    ("nack", lambda: J.SetMinNackQueue(min_nack_queue=None), TypeError, "min_nack_queue"),
    ("nomedia", lambda: J.SetNoMediaTimer(no_media_timer=True), TypeError, "no_media_timer"),
    ("slowlink", lambda: J.SetSlowlinkThreshold(slowlink_threshold="4"), TypeError, "slowlink"),
    ("log-level", lambda: J.CustomLogline(line="x", level=True), TypeError, "CustomLogline.level"),
    ("port", lambda: J.TestStun(address="stun.l.google.com", port="3478"), TypeError, "n.port"),
    ("localport", lambda: J.TestStun(address="a", port=1, localport=False), TypeError, "localp"),
    ("truncate", lambda: J.StartPcap(session_id=S, handle_id=H, truncate="1"), TypeError, "trunc"),
    # bools (never ints)
    ("timestamps", lambda: J.SetLogTimestamps(timestamps=1), TypeError, "timestamps must be bool"),
    ("colors", lambda: J.SetLogColors(colors=None), TypeError, "SetLogColors.colors"),
    ("locking", lambda: J.SetLockingDebug(debug=0), TypeError, "SetLockingDebug.debug"),
    ("refcount", lambda: J.SetRefcountDebug(debug="yes"), TypeError, "SetRefcountDebug.debug"),
    ("libnice", lambda: J.SetLibniceDebug(debug=1), TypeError, "SetLibniceDebug.debug"),
    ("nackopt", lambda: J.SetNackOptimizations(nack_optimizations=1), TypeError, "optimizations"),
    ("accept", lambda: J.AcceptNewSessions(accept="no"), TypeError, "AcceptNewSessions.accept"),
    (
        "plugin-only",
        lambda: J.HandleInfo(session_id=S, handle_id=H, plugin_only=1),
        TypeError,
        "pl",
    ),
    ("completed", lambda: J.Trickle(session_id=S, handle_id=H, completed=1), TypeError, "complet"),
    # plugin lists
    (
        "plugins-str",
        lambda: J.AllowToken(token="t", plugins=ECHO),
        TypeError,
        "AllowToken.plugins",
    ),
    ("plugins-int", lambda: J.AddToken(token="t", plugins=[ECHO, 1]), TypeError, "oken.plugins"),
    ("plugins-empty", lambda: J.DisallowToken(token="t", plugins=[""]), TypeError, "en.plugins"),
    ("plugins-none", lambda: J.AllowToken(token="t", plugins=None), TypeError, "AllowToken.plu"),
    ("plugins-no", lambda: J.DisallowToken(token="t", plugins=[]), ValueError, "must not be empty"),
    # candidates and trickles
    ("cand-type", lambda: J.Candidate(candidate=None, sdp_mid="0"), TypeError, "candidate"),
    ("cand-mid", lambda: J.Candidate(candidate="c", sdp_mid=0), TypeError, "Candidate.sdp_mid"),
    ("cand-idx", lambda: J.Candidate(candidate="c", sdp_mline_index="0"), TypeError, "mline"),
    ("cand-where", lambda: J.Candidate(candidate="c"), ValueError, "sdp_mid or sdp_mline_index"),
    ("trickle-none", lambda: J.Trickle(session_id=S, handle_id=H), ValueError, "at least one"),
    (
        "trickle-dict",
        lambda: J.Trickle(session_id=S, handle_id=H, candidates=[{}]),
        TypeError,
        "es",
    ),
    (
        "trickle-one",
        lambda: J.Trickle(session_id=S, handle_id=H, candidates=CAND0),
        TypeError,
        "s",
    ),
    # abstract bases
    ("request", lambda: J.Request(), TypeError, "Request is abstract"),
    ("admin-request", lambda: J.AdminRequest(), TypeError, "AdminRequest is abstract"),
]


@pytest.mark.parametrize(
    ("build", "error", "text"), [i[1:] for i in INVALID], ids=[i[0] for i in INVALID]
)
def test_invalid_arguments_name_the_field(build: Build, error: type[Exception], text: str) -> None:
    with pytest.raises(error) as err:
        build()
    assert text in str(err.value)
    assert type(err.value) is error  # a TypeError is not reported as a ValueError, and back


@pytest.mark.parametrize("sid", [1, 2**53 + 1, MAX_ID])
def test_ids_accept_the_whole_uint64_range(sid: int) -> None:
    assert jp.KeepAlive(session_id=sid).session_id == sid
    assert jp.Hangup(session_id=sid, handle_id=sid).handle_id == sid
    assert jp.Create(id=sid).id == sid


def test_optional_fields_accept_none_and_omit_it() -> None:
    attach = jp.Attach(session_id=S, plugin=ECHO, opaque_id=None, loop_index=None, token=None)
    assert jp.encode_request(attach, "t") == {
        "janus": "attach",
        "transaction": "t",
        "session_id": S,
        "plugin": ECHO,
    }
    msg = jp.Message(session_id=S, handle_id=H, body={}, jsep=None)
    assert "jsep" not in jp.encode_request(msg, "t")
    assert jp.encode_request(msg, "t")["body"] == {}  # an empty body is still a body


def test_requests_are_frozen() -> None:
    req = jp.KeepAlive(session_id=S)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        req.session_id = 1  # type: ignore[misc]


def test_mappings_are_copied_and_sequences_become_tuples() -> None:
    body: dict[str, Any] = {"request": "join", "room": 1234}
    jsep = {"type": "offer", "sdp": "v=0\r\n"}
    msg = jp.Message(session_id=S, handle_id=H, body=body, jsep=jsep)
    body["room"] = 4321
    jsep["type"] = "answer"
    assert msg.body == {"request": "join", "room": 1234}
    assert msg.jsep == {"type": "offer", "sdp": "v=0\r\n"}
    request = {"request": "list"}
    mp = jp.MessagePlugin(plugin=VROOM, request=request)
    request["request"] = "destroy"
    assert mp.request == {"request": "list"}
    cands = [CAND0]
    trickle = jp.Trickle(session_id=S, handle_id=H, candidates=cands)
    cands.append(CAND1)
    assert trickle.candidates == (CAND0,)
    plugins = [VROOM]
    token = jp.AddToken(token="tok-vr", plugins=plugins)
    plugins.append(ECHO)
    assert token.plugins == (VROOM,)
    assert jp.AddToken(token="tok-all").plugins is None


def test_scope() -> None:
    root = [jp.Info(), jp.Ping(), jp.Create(), jp.Create(id=5), jp.GetStatus(), jp.ListTokens()]
    session = [
        jp.Attach(session_id=S, plugin=ECHO),
        jp.KeepAlive(session_id=S),
        jp.Claim(session_id=S),
        jp.Destroy(session_id=S),
        jp.ListHandles(session_id=S),
        jp.DestroySession(session_id=S),
        jp.SetSessionTimeout(timeout=-1, session_id=S),
    ]
    handle = [
        jp.Message(session_id=S, handle_id=H, body={}),
        jp.Trickle(session_id=S, handle_id=H, completed=True),
        jp.Hangup(session_id=S, handle_id=H),
        jp.Detach(session_id=S, handle_id=H),
        jp.HandleInfo(session_id=S, handle_id=H),
        jp.StartPcap(session_id=S, handle_id=H),
        jp.DetachHandle(session_id=S, handle_id=H),
    ]
    assert {r.scope for r in root} == {jp.Scope.ROOT}
    assert {r.scope for r in session} == {jp.Scope.SESSION}
    assert {r.scope for r in handle} == {jp.Scope.HANDLE}
    assert jp.SetSessionTimeout(timeout=60).scope is jp.Scope.ROOT
    assert jp.MessagePlugin(plugin=VROOM, request={}).scope is jp.Scope.ROOT  # global, s2.4


def test_verb_tables() -> None:
    assert set(jp.CORE_REQUESTS) == {
        "info",
        "ping",
        "create",
        "attach",
        "message",
        "trickle",
        "keepalive",
        "claim",
        "hangup",
        "detach",
        "destroy",
    }
    # janus-api.md s2.4: every admin verb, plus info and ping which both APIs accept.
    assert set(jp.ADMIN_REQUESTS) == {
        "info",
        "ping",
        "get_status",
        "set_session_timeout",
        "set_log_level",
        "set_log_timestamps",
        "set_log_colors",
        "set_locking_debug",
        "set_refcount_debug",
        "set_libnice_debug",
        "set_min_nack_queue",
        "set_nack_optimizations",
        "set_no_media_timer",
        "set_slowlink_threshold",
        "accept_new_sessions",
        "list_sessions",
        "loops_info",
        "message_plugin",
        "query_transport",
        "query_eventhandler",
        "query_logger",
        "custom_event",
        "custom_logline",
        "resolve_address",
        "test_stun",
        "add_token",
        "allow_token",
        "disallow_token",
        "list_tokens",
        "remove_token",
        "list_handles",
        "destroy_session",
        "handle_info",
        "start_pcap",
        "start_text2pcap",
        "stop_pcap",
        "stop_text2pcap",
        "hangup_webrtc",
        "detach_handle",
    }
    for verb, cls in {**jp.CORE_REQUESTS, **jp.ADMIN_REQUESTS}.items():
        assert verb == cls.VERB
        assert cls.ADMIN is (verb not in jp.CORE_REQUESTS)
        assert cls.NEEDS_AUTH is (verb not in ("info", "ping"))
        assert issubclass(cls, jp.AdminRequest) is cls.ADMIN


# -- the exact JSON ---------------------------------------------------------------------------

#: Core requests and their JSON (transaction "T", no credentials), after janus-api.md s1 and s6.
CORE_JSON: list[tuple[jp.Request, dict[str, Any]]] = [
    (jp.Info(), {"janus": "info", "transaction": "T"}),
    (jp.Ping(), {"janus": "ping", "transaction": "T"}),
    (jp.Create(), {"janus": "create", "transaction": "T"}),
    (jp.Create(id=4242424242), {"janus": "create", "transaction": "T", "id": 4242424242}),
    (
        jp.Attach(session_id=S, plugin=ECHO, opaque_id="probe-1"),
        {
            "janus": "attach",
            "transaction": "T",
            "session_id": S,
            "plugin": ECHO,
            "opaque_id": "probe-1",
        },
    ),
    (
        jp.Attach(session_id=S, plugin=VROOM, loop_index=0),
        {"janus": "attach", "transaction": "T", "session_id": S, "plugin": VROOM, "loop_index": 0},
    ),
    (
        jp.Message(session_id=S, handle_id=H, body={"audio": True, "bitrate": 128000}),
        {
            "janus": "message",
            "transaction": "T",
            "session_id": S,
            "handle_id": H,
            "body": {"audio": True, "bitrate": 128000},
        },
    ),
    (
        jp.Message(
            session_id=S,
            handle_id=H,
            body={"request": "configure", "audio": True},
            jsep={"type": "offer", "sdp": "v=0\r\n", "trickle": True},
        ),
        {
            "janus": "message",
            "transaction": "T",
            "session_id": S,
            "handle_id": H,
            "body": {"request": "configure", "audio": True},
            "jsep": {"type": "offer", "sdp": "v=0\r\n", "trickle": True},
        },
    ),
    (jp.KeepAlive(session_id=S), {"janus": "keepalive", "transaction": "T", "session_id": S}),
    (jp.Claim(session_id=S), {"janus": "claim", "transaction": "T", "session_id": S}),
    (
        jp.Hangup(session_id=S, handle_id=H),
        {"janus": "hangup", "transaction": "T", "session_id": S, "handle_id": H},
    ),
    (
        jp.Detach(session_id=S, handle_id=H),
        {"janus": "detach", "transaction": "T", "session_id": S, "handle_id": H},
    ),
    (jp.Destroy(session_id=S), {"janus": "destroy", "transaction": "T", "session_id": S}),
]

#: Admin requests and their JSON (transaction "T", no credentials), after janus-api.md s2.4.
ADMIN_JSON: list[tuple[jp.Request, dict[str, Any]]] = [
    (jp.GetStatus(), {"janus": "get_status"}),
    (jp.SetSessionTimeout(timeout=60), {"janus": "set_session_timeout", "timeout": 60}),
    (
        jp.SetSessionTimeout(timeout=0, session_id=S),
        {"janus": "set_session_timeout", "timeout": 0, "session_id": S},
    ),
    (jp.SetLogLevel(level=7), {"janus": "set_log_level", "level": 7}),
    (jp.SetLogTimestamps(timestamps=False), {"janus": "set_log_timestamps", "timestamps": False}),
    (jp.SetLogColors(colors=True), {"janus": "set_log_colors", "colors": True}),
    (jp.SetLockingDebug(debug=False), {"janus": "set_locking_debug", "debug": False}),
    (jp.SetRefcountDebug(debug=False), {"janus": "set_refcount_debug", "debug": False}),
    (jp.SetLibniceDebug(debug=True), {"janus": "set_libnice_debug", "debug": True}),
    (jp.SetMinNackQueue(min_nack_queue=0), {"janus": "set_min_nack_queue", "min_nack_queue": 0}),
    (
        jp.SetNackOptimizations(nack_optimizations=False),
        {"janus": "set_nack_optimizations", "nack_optimizations": False},
    ),
    (jp.SetNoMediaTimer(no_media_timer=1), {"janus": "set_no_media_timer", "no_media_timer": 1}),
    (
        jp.SetSlowlinkThreshold(slowlink_threshold=0),
        {"janus": "set_slowlink_threshold", "slowlink_threshold": 0},
    ),
    (jp.AcceptNewSessions(accept=True), {"janus": "accept_new_sessions", "accept": True}),
    (jp.ListSessions(), {"janus": "list_sessions"}),
    (jp.LoopsInfo(), {"janus": "loops_info"}),
    (
        jp.MessagePlugin(plugin=ECHO, request={"ping": "me"}),
        {"janus": "message_plugin", "plugin": ECHO, "request": {"ping": "me"}},
    ),
    (
        jp.QueryTransport(
            transport="janus.transport.http",
            request={"request": "configure", "events": True, "json": "compact"},
        ),
        {
            "janus": "query_transport",
            "transport": "janus.transport.http",
            "request": {"request": "configure", "events": True, "json": "compact"},
        },
    ),
    (
        jp.QueryEventHandler(handler="janus.eventhandler.gelfevh", request={"request": "x"}),
        {
            "janus": "query_eventhandler",
            "handler": "janus.eventhandler.gelfevh",
            "request": {"request": "x"},
        },
    ),
    (
        jp.QueryLogger(logger="janus.logger.jsonlog", request={"request": "y"}),
        {"janus": "query_logger", "logger": "janus.logger.jsonlog", "request": {"request": "y"}},
    ),
    (
        jp.CustomEvent(schema="my.schema", data={"ok": True}),
        {"janus": "custom_event", "schema": "my.schema", "data": {"ok": True}},
    ),
    (jp.CustomLogline(line="marker"), {"janus": "custom_logline", "line": "marker"}),
    (
        jp.CustomLogline(line="marker", level=2),
        {"janus": "custom_logline", "line": "marker", "level": 2},
    ),
    (
        jp.ResolveAddress(address="janus.conf.meetecho.com"),
        {"janus": "resolve_address", "address": "janus.conf.meetecho.com"},
    ),
    (
        jp.TestStun(address="stun.l.google.com", port=19302),
        {"janus": "test_stun", "address": "stun.l.google.com", "port": 19302},
    ),
    (
        jp.TestStun(address="stun.l.google.com", port=19302, localport=5004),
        {"janus": "test_stun", "address": "stun.l.google.com", "port": 19302, "localport": 5004},
    ),
    (
        jp.AddToken(token="tok-vr", plugins=[VROOM, "janus.plugin.nope"]),
        {"janus": "add_token", "token": "tok-vr", "plugins": [VROOM, "janus.plugin.nope"]},
    ),
    (jp.AddToken(token="tok-all"), {"janus": "add_token", "token": "tok-all"}),
    (
        jp.AllowToken(token="tok-none", plugins=[ECHO]),
        {"janus": "allow_token", "token": "tok-none", "plugins": [ECHO]},
    ),
    (
        jp.DisallowToken(token="tok-all", plugins=(ECHO, VROOM)),
        {"janus": "disallow_token", "token": "tok-all", "plugins": [ECHO, VROOM]},
    ),
    (jp.ListTokens(), {"janus": "list_tokens"}),
    (jp.RemoveToken(token="tok-vr"), {"janus": "remove_token", "token": "tok-vr"}),
    (jp.ListHandles(session_id=S), {"janus": "list_handles", "session_id": S}),
    (jp.DestroySession(session_id=S), {"janus": "destroy_session", "session_id": S}),
    (
        jp.HandleInfo(session_id=S, handle_id=H),
        {"janus": "handle_info", "session_id": S, "handle_id": H},
    ),
    (
        jp.HandleInfo(session_id=S, handle_id=H, plugin_only=False),
        {"janus": "handle_info", "session_id": S, "handle_id": H, "plugin_only": False},
    ),
    (
        jp.StartPcap(session_id=S, handle_id=H, folder="/tmp", filename="h.pcap", truncate=0),
        {
            "janus": "start_pcap",
            "session_id": S,
            "handle_id": H,
            "folder": "/tmp",
            "filename": "h.pcap",
            "truncate": 0,
        },
    ),
    (
        jp.StartText2Pcap(session_id=S, handle_id=H, folder="/var/tmp", truncate=128),
        {
            "janus": "start_text2pcap",
            "session_id": S,
            "handle_id": H,
            "folder": "/var/tmp",
            "truncate": 128,
        },
    ),
    (
        jp.StopPcap(session_id=S, handle_id=H),
        {"janus": "stop_pcap", "session_id": S, "handle_id": H},
    ),
    (
        jp.StopText2Pcap(session_id=S, handle_id=H),
        {"janus": "stop_text2pcap", "session_id": S, "handle_id": H},
    ),
    (
        jp.HangupWebRTC(session_id=S, handle_id=H),
        {"janus": "hangup_webrtc", "session_id": S, "handle_id": H},
    ),
    (
        jp.DetachHandle(session_id=S, handle_id=H),
        {"janus": "detach_handle", "session_id": S, "handle_id": H},
    ),
    (jp.Info(), {"janus": "info"}),
    (jp.Ping(), {"janus": "ping"}),
]


@pytest.mark.parametrize(
    ("request_", "expected"), CORE_JSON, ids=[type(r).__name__ for r, _ in CORE_JSON]
)
def test_core_request_json(request_: jp.Request, expected: dict[str, Any]) -> None:
    assert jp.encode_request(request_, "T") == expected


@pytest.mark.parametrize(
    ("request_", "expected"), ADMIN_JSON, ids=[type(r).__name__ for r, _ in ADMIN_JSON]
)
def test_admin_request_json(request_: jp.Request, expected: dict[str, Any]) -> None:
    assert jp.encode_request(request_, "T") == {**expected, "transaction": "T"}


def test_every_verb_has_an_exact_json_case() -> None:
    assert {type(r) for r, _ in CORE_JSON} == set(jp.CORE_REQUESTS.values()) - {jp.Trickle}
    assert {type(r) for r, _ in ADMIN_JSON} == set(jp.ADMIN_REQUESTS.values())


# -- credentials ------------------------------------------------------------------------------

CREDENTIALS = {"api_secret": "janusrocks", "token": "tok-all", "admin_secret": "janusoverlord"}


@pytest.mark.parametrize(
    ("request_", "plain"), CORE_JSON, ids=[type(r).__name__ for r, _ in CORE_JSON]
)
def test_core_requests_carry_apisecret_and_token_except_info_and_ping(
    request_: jp.Request, plain: dict[str, Any]
) -> None:
    encoded = jp.encode_request(request_, "T", **CREDENTIALS)
    if isinstance(request_, (jp.Info, jp.Ping)):
        assert encoded == plain
    else:
        assert encoded == {**plain, "apisecret": "janusrocks", "token": "tok-all"}
    assert "admin_secret" not in encoded


@pytest.mark.parametrize(
    ("request_", "plain"), ADMIN_JSON, ids=[type(r).__name__ for r, _ in ADMIN_JSON]
)
def test_admin_requests_carry_admin_secret_except_info_and_ping(
    request_: jp.Request, plain: dict[str, Any]
) -> None:
    encoded = jp.encode_request(request_, "T", **CREDENTIALS)
    expected = {**plain, "transaction": "T"}
    if not isinstance(request_, (jp.Info, jp.Ping)):
        expected["admin_secret"] = "janusoverlord"
    assert encoded == expected  # never apisecret; a token only when it is the request's own
    assert "apisecret" not in encoded


def test_partial_credentials() -> None:
    assert jp.encode_request(jp.Create(), "T", api_secret="s") == {
        "janus": "create",
        "transaction": "T",
        "apisecret": "s",
    }
    assert jp.encode_request(jp.Create(), "T", token="k") == {
        "janus": "create",
        "transaction": "T",
        "token": "k",
    }
    assert jp.encode_request(jp.ListSessions(), "T", api_secret="s", token="k") == {
        "janus": "list_sessions",
        "transaction": "T",
    }


def test_attach_own_token_wins() -> None:
    signed = "1795491475,janus,janus.plugin.videoroom:di6UGCftIheQsPM7nOD/3s9XaOg="
    attach = jp.Attach(session_id=S, plugin=VROOM, token=signed)
    assert jp.encode_request(attach, "T", api_secret="a", token="tok-all") == {
        "janus": "attach",
        "transaction": "T",
        "session_id": S,
        "plugin": VROOM,
        "token": signed,
        "apisecret": "a",
    }
    plain = jp.Attach(session_id=S, plugin=VROOM)
    assert jp.encode_request(plain, "T", token="tok-all")["token"] == "tok-all"
    # The admin token verbs carry the token as data, never replaced by a credential.
    assert (
        jp.encode_request(jp.RemoveToken(token="tok-vr"), "T", **CREDENTIALS)["token"] == "tok-vr"
    )


def test_connection_sends_credentials_and_handle_tokens() -> None:
    config = jp.JanusConfig(api_secret="janusrocks", token="tok-all")
    conn = jp.JanusConnection(config, transaction_ids=iter(f"x{i}" for i in range(1, 100)))
    conn.connection_made(now=0.0)
    conn.send(jp.Info(), now=0.0)
    create = conn.send(jp.Create(), now=0.0)
    conn.receive_message(
        json.dumps({"janus": "success", "transaction": create, "data": {"id": S}}), now=0.0
    )
    a1 = conn.send(jp.Attach(session_id=S, plugin=VROOM, token="tok-vr"), now=0.0)
    a2 = conn.send(jp.Attach(session_id=S, plugin=ECHO), now=0.0)
    for txn, hid in ((a1, H), (a2, H + 1)):
        conn.receive_message(
            json.dumps(
                {"janus": "success", "session_id": S, "transaction": txn, "data": {"id": hid}}
            ),
            now=0.0,
        )
    conn.send(jp.Message(session_id=S, handle_id=H, body={"request": "list"}), now=0.0)
    conn.send(jp.Trickle(session_id=S, handle_id=H, candidates=[CAND0]), now=0.0)
    conn.send(jp.Message(session_id=S, handle_id=H + 1, body={"audio": True}), now=0.0)
    conn.send(jp.KeepAlive(session_id=S), now=0.0)
    conn.send(jp.Detach(session_id=S, handle_id=H), now=0.0)
    bodies = [
        (o.body()["janus"], o.body().get("apisecret"), o.body().get("token"))
        for o in conn.requests_to_send()
    ]
    assert bodies == [
        ("info", None, None),
        ("create", "janusrocks", "tok-all"),
        ("attach", "janusrocks", "tok-vr"),
        ("attach", "janusrocks", "tok-all"),
        ("message", "janusrocks", "tok-vr"),  # the handle's own token
        ("trickle", "janusrocks", "tok-vr"),
        ("message", "janusrocks", "tok-all"),  # a handle without one: the connection's
        ("keepalive", "janusrocks", "tok-all"),  # session level: the connection's
        ("detach", "janusrocks", "tok-vr"),
    ]


def test_admin_connection_sends_admin_secret() -> None:
    config = jp.JanusConfig(admin=True, admin_secret="janusoverlord", api_secret="x", token="y")
    conn = jp.JanusConnection(config)
    conn.connection_made(now=0.0)
    conn.send(jp.ListSessions(), now=0.0)
    conn.send(jp.Ping(), now=0.0)
    conn.send(jp.HandleInfo(session_id=S, handle_id=H, plugin_only=True), now=0.0)
    outs = conn.requests_to_send()
    assert [o.body() for o in outs] == [
        {"janus": "list_sessions", "transaction": "t1", "admin_secret": "janusoverlord"},
        {"janus": "ping", "transaction": "t2"},
        {
            "janus": "handle_info",
            "transaction": "t3",
            "session_id": S,
            "handle_id": H,
            "plugin_only": True,
            "admin_secret": "janusoverlord",
        },
    ]
    assert [o.path for o in outs] == ["", "", f"/{S}/{H}"]


# -- trickle ----------------------------------------------------------------------------------

TRICKLES: list[tuple[str, jp.Trickle, dict[str, Any]]] = [
    ("one", jp.Trickle(session_id=S, handle_id=H, candidates=[CAND0]), {"candidate": CAND0_JSON}),
    (
        "many",
        jp.Trickle(session_id=S, handle_id=H, candidates=[CAND0, CAND1]),
        {"candidates": [CAND0_JSON, CAND1_JSON]},
    ),
    (
        "completed",
        jp.Trickle(session_id=S, handle_id=H, completed=True),
        {"candidate": {"completed": True}},
    ),
    (
        "one-then-completed",
        jp.Trickle(session_id=S, handle_id=H, candidates=[CAND1], completed=True),
        {"candidates": [CAND1_JSON, {"completed": True}]},
    ),
    (
        "many-then-completed",
        jp.Trickle(session_id=S, handle_id=H, candidates=[CAND0, CAND1], completed=True),
        {"candidates": [CAND0_JSON, CAND1_JSON, {"completed": True}]},
    ),
]


@pytest.mark.parametrize(
    ("trickle", "payload"), [t[1:] for t in TRICKLES], ids=[t[0] for t in TRICKLES]
)
def test_trickle_encodings(trickle: jp.Trickle, payload: dict[str, Any]) -> None:
    encoded = jp.encode_request(trickle, "T", api_secret="s")
    assert encoded == {
        "janus": "trickle",
        "transaction": "T",
        "session_id": S,
        "handle_id": H,
        **payload,
        "apisecret": "s",
    }
    assert ("candidate" in encoded) != ("candidates" in encoded)  # exactly one, s1.2
    decoded, txn = jp.decode_request(json.loads(json.dumps(encoded)))
    assert (decoded, txn) == (trickle, "T")


def test_candidate_json() -> None:
    assert CAND0.to_json() == CAND0_JSON
    assert CAND1.to_json() == CAND1_JSON
    assert jp.Candidate(candidate="c", sdp_mline_index=1).to_json() == {
        "candidate": "c",
        "sdpMLineIndex": 1,
    }


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"candidate": None}, jp.Trickle(session_id=S, handle_id=H, completed=True)),
        (
            {"candidates": [{"completed": True}]},
            jp.Trickle(session_id=S, handle_id=H, completed=True),
        ),
        (
            {"candidates": [CAND0_JSON, None]},
            jp.Trickle(session_id=S, handle_id=H, candidates=[CAND0], completed=True),
        ),
        (
            {"candidate": {"sdpMLineIndex": 1, "candidate": "c"}},
            jp.Trickle(
                session_id=S,
                handle_id=H,
                candidates=[jp.Candidate(candidate="c", sdp_mline_index=1)],
            ),
        ),
    ],
)
def test_decode_trickle_variants(payload: dict[str, Any], expected: jp.Trickle) -> None:
    obj = {"janus": "trickle", "transaction": "T", "session_id": S, "handle_id": H, **payload}
    assert jp.decode_request(obj) == (expected, "T")


# -- decoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "plain"), CORE_JSON, ids=[type(r).__name__ for r, _ in CORE_JSON]
)
def test_decode_core_round_trip_drops_credentials(
    request_: jp.Request, plain: dict[str, Any]
) -> None:
    wire = json.loads(
        json.dumps(jp.encode_request(request_, "T", api_secret="s", admin_secret="a"))
    )
    assert jp.decode_request(wire) == (request_, "T")


@pytest.mark.parametrize(
    ("request_", "plain"), ADMIN_JSON, ids=[type(r).__name__ for r, _ in ADMIN_JSON]
)
def test_decode_admin_round_trip_drops_credentials(
    request_: jp.Request, plain: dict[str, Any]
) -> None:
    wire = json.loads(json.dumps(jp.encode_request(request_, "T", **CREDENTIALS)))
    assert jp.decode_request(wire, admin=True) == (request_, "T")


def test_decode_token_credential() -> None:
    # A token credential is dropped, except on attach where token is a field of the request.
    create = jp.decode_request({"janus": "create", "transaction": "T", "token": "k"})
    assert create == (jp.Create(), "T")
    attach = jp.decode_request(
        {"janus": "attach", "transaction": "T", "session_id": S, "plugin": ECHO, "token": "k"}
    )
    assert attach == (jp.Attach(session_id=S, plugin=ECHO, token="k"), "T")


def test_decode_ignores_unknown_keys() -> None:
    obj = {"janus": "keepalive", "transaction": "T", "session_id": S, "rid": 1700000000, "x": []}
    assert jp.decode_request(obj) == (jp.KeepAlive(session_id=S), "T")


@pytest.mark.parametrize(
    ("obj", "admin", "error", "text"),
    [
        ({"janus": "create"}, False, TypeError, "transaction missing"),
        ({"janus": "create", "transaction": 123}, False, TypeError, "transaction"),
        ({"transaction": "T"}, False, ValueError, "unknown request None"),
        ({"janus": "bogus", "transaction": "T"}, False, ValueError, "unknown request 'bogus'"),
        ({"janus": "list_sessions", "transaction": "T"}, False, ValueError, "'list_sessions'"),
        ({"janus": "create", "transaction": "T"}, True, ValueError, "unknown request 'create'"),
        ({"janus": "keepalive", "transaction": "T"}, False, TypeError, "session_id"),
        (
            {"janus": "keepalive", "transaction": "T", "session_id": "1"},
            False,
            TypeError,
            "KeepAlive.session_id",
        ),
        (
            {"janus": "message", "transaction": "T", "session_id": S, "handle_id": H},
            False,
            TypeError,
            "body",
        ),
        (
            {
                "janus": "trickle",
                "transaction": "T",
                "session_id": S,
                "handle_id": H,
                "candidates": [],
            },
            False,
            ValueError,
            "at least one candidate",
        ),
        (
            {
                "janus": "trickle",
                "transaction": "T",
                "session_id": S,
                "handle_id": H,
                "candidates": "x",
            },
            False,
            TypeError,
            "candidates must be a list",
        ),
        (
            {
                "janus": "trickle",
                "transaction": "T",
                "session_id": S,
                "handle_id": H,
                "candidate": 5,
            },
            False,
            TypeError,
            "candidate must be an object",
        ),
        (
            {
                "janus": "trickle",
                "transaction": "T",
                "session_id": S,
                "handle_id": H,
                "candidate": {"candidate": "c"},
            },
            False,
            ValueError,
            "sdp_mid or sdp_mline_index",
        ),
    ],
)
def test_decode_errors(obj: dict[str, Any], admin: bool, error: type[Exception], text: str) -> None:
    with pytest.raises(error) as err:
        jp.decode_request(obj, admin=admin)
    assert text in str(err.value)


# -- secrets stay out of reprs ------------------------------------------------------------------


def test_repr_never_shows_secrets() -> None:
    config = jp.JanusConfig(
        api_secret="SECRET-api", token="SECRET-token", admin_secret="SECRET-admin"
    )
    conn = jp.JanusConnection(config)
    conn.connection_made(now=0.0)
    conn.send(jp.Create(), now=0.0)
    outs = conn.requests_to_send()
    assert "SECRET-api" in outs[0].text  # it is sent...
    texts = [
        repr(config),
        str(config),
        repr(conn),
        repr(outs),
        repr(jp.Attach(session_id=S, plugin=ECHO, token="SECRET-attach")),
        repr(jp.AddToken(token="SECRET-add", plugins=[ECHO])),
        repr(jp.AllowToken(token="SECRET-allow", plugins=[ECHO])),
        repr(jp.DisallowToken(token="SECRET-disallow", plugins=[ECHO])),
        repr(jp.RemoveToken(token="SECRET-remove")),
    ]
    for text in texts:
        assert "SECRET" not in text, text  # ...but never shown
    assert "plugin='janus.plugin.echotest'" in texts[4]  # the rest of the repr is intact
    assert "request_timeout=15.0" in texts[0]
