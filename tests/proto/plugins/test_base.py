"""The plugin codec building blocks, through a small custom plugin written as users would."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import (
    CODECS,
    GenericPluginData,
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    RequestPart,
    codec_for,
    data_field,
    list_field,
    opt_field,
    req_field,
    room_id_field,
)
from janus_proto.plugins._base import (
    MISSING,
    CodecRequest,
    ResultData,
    all_of,
    choice_field,
    has,
    has_any,
    in_result,
    key_is,
    non_negative,
    non_negative_field,
    one_of,
    result_of,
)

PLUGIN = "acme.plugin.hello"


@attrs.frozen(kw_only=True)
class Member(PluginData):
    id: int = data_field(int, required=True)
    name: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Greeted(PluginData):
    greeting: str = data_field(str, required=True)
    count: int | None = data_field(int)
    ok: bool | None = data_field(bool)
    members: tuple[Member, ...] | None = data_field(item=Member)
    tags: tuple[Any, ...] | None = data_field(list)
    room: int | str | None = data_field((int, str))
    odd_key: Any = data_field(key="odd-key")


@attrs.frozen(kw_only=True)
class Spec(RequestPart):
    mid: str = req_field(str)
    port: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class Greet(PluginRequest[Greeted]):
    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "greet"
    SYNC: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Greeted
    name: str = req_field(str)
    times: int | None = opt_field(int)
    loud: bool | None = opt_field(bool)
    bitrate: int | None = opt_field(int, key="video-bitrate-max")
    room: int | str | None = room_id_field(optional=True)
    specs: Sequence[Spec] | None = list_field(Spec)
    mode: Any = opt_field(str, default=MISSING)
    who: int | str | None = opt_field((int, str))


@attrs.frozen(kw_only=True)
class Offer(PluginRequest[Greeted]):
    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "offer"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Greeted
    room: int | str = room_id_field()
    names: Sequence[str] = list_field(str, required=True)


def test_body_has_request_first_set_fields_and_extra() -> None:
    req = Greet(
        name="bob",
        times=2,
        bitrate=1000,
        room="lobby",
        specs=[Spec(mid="0", extra={"x": 1}), Spec(mid="1", port=5000)],
        extra={"new_field": True},
    )
    body = req.body()
    assert next(iter(body)) == "request"
    assert body == {
        "request": "greet",
        "name": "bob",
        "times": 2,
        "video-bitrate-max": 1000,
        "room": "lobby",
        "specs": [{"mid": "0", "x": 1}, {"mid": "1", "port": 5000}],
        "new_field": True,
    }
    assert req.specs is not None
    assert isinstance(req.specs, tuple)
    assert "mode" not in body  # MISSING stays out
    assert Greet(name="a", mode="m").body()["mode"] == "m"


def test_requests_are_hashable_and_compare_extra() -> None:
    a = Greet(name="a", specs=[Spec(mid="0")], extra={"x": 1})
    b = Greet(name="a", specs=[Spec(mid="0")], extra={"x": 1})
    assert a == b
    assert hash(a) == hash(b)
    assert a != Greet(name="a", specs=[Spec(mid="0")], extra={"x": 2})
    assert len({a, b}) == 1


def test_nested_mappings_and_lists_render_plainly() -> None:
    req = Greet(name="n", extra={"deep": {"a": [Spec(mid="0")]}})
    assert req.body()["deep"] == {"a": [{"mid": "0"}]}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": 5}, TypeError, r"Greet\.name must be str, got int"),
        ({"name": "a", "times": True}, TypeError, r"Greet\.times must be int or None, got bool"),
        ({"name": "a", "loud": 1}, TypeError, r"Greet\.loud must be bool or None, got int"),
        ({"name": "a", "room": True}, TypeError, r"Greet\.room must be an int or str id"),
        ({"name": "a", "room": 1.5}, TypeError, r"Greet\.room must be an int or str id"),
        ({"name": "a", "room": -1}, ValueError, r"Greet\.room must not be negative"),
        ({"name": "a", "room": ""}, ValueError, r"Greet\.room must not be empty"),
        ({"name": "a", "specs": "abc"}, TypeError, r"Greet\.specs must be a list"),
        ({"name": "a", "specs": [1]}, TypeError, r"Greet\.specs items must be Spec, got int"),
        ({"name": "a", "extra": {1: 2}}, TypeError, r"Greet\.extra must be a mapping"),
        ({"name": "a", "extra": [1]}, TypeError, r"Greet\.extra must be a mapping"),
        ({"name": "a", "who": 1.0}, TypeError, r"Greet\.who must be int or str or None, got"),
        ({"name": "a", "who": False}, TypeError, r"Greet\.who must be int or str or None, got"),
    ],
)
def test_bad_input_names_class_and_field(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Greet(**kwargs)


def test_required_list_and_room() -> None:
    with pytest.raises(TypeError, match=r"Offer\.names is mandatory"):
        Offer(room=1, names=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Offer\.names items must be str"):
        Offer(room=1, names=[True])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"Offer\.room must be an int or str id"):
        Offer(room=None, names=[])  # type: ignore[arg-type]
    assert Offer(room=0, names=("a",)).body() == {"request": "offer", "room": 0, "names": ["a"]}


def test_bools_are_not_ints_in_lists() -> None:
    @attrs.frozen(kw_only=True)
    class Flags(PluginRequest[Greeted]):
        REPLY: ClassVar[type[PluginData]] = Greeted
        on: Sequence[bool] | None = list_field(bool)

    assert Flags(on=[True, False]).body() == {"on": [True, False]}  # no REQUEST: no verb


def test_jsep_rules() -> None:
    greet = Greet(name="a")
    greet.check_jsep(None)
    with pytest.raises(ValueError, match="Greet takes no JSEP"):
        greet.check_jsep({"type": "offer", "sdp": ""})
    offer = Offer(room=1, names=[])
    with pytest.raises(ValueError, match="Offer needs a JSEP offer"):
        offer.check_jsep(None)
    with pytest.raises(ValueError, match="Offer needs a JSEP offer, got 'answer'"):
        offer.check_jsep({"type": "answer", "sdp": ""})
    with pytest.raises(TypeError, match="jsep must be a mapping"):
        offer.check_jsep("v=0")  # type: ignore[arg-type]
    offer.check_jsep({"type": "offer", "sdp": ""})

    @attrs.frozen(kw_only=True)
    class Maybe(PluginRequest[Greeted]):
        JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
        REPLY: ClassVar[type[PluginData]] = Greeted

    Maybe().check_jsep(None)
    Maybe().check_jsep({"type": "answer", "sdp": ""})


def test_reply_parsing_is_permissive_and_typed() -> None:
    data = {
        "hello": "success",
        "greeting": "hi",
        "count": 3,
        "members": [{"id": 1, "name": "a", "new": 1}, {"id": 2}],
        "tags": ["x"],
        "room": "lobby",
        "odd-key": {"k": 1},
        "unknown": [1, 2],
        "ok": None,
    }
    jsep = {"type": "answer", "sdp": "v=0"}
    reply = Greet(name="a").parse_reply(data, jsep)
    assert isinstance(reply, Greeted)
    assert reply.greeting == "hi"
    assert reply.count == 3
    assert reply.ok is None  # null is the same as missing
    assert reply.members == (Member(id=1, name="a"), Member(id=2))
    assert reply.members[0].raw["new"] == 1
    assert reply.tags == ("x",)
    assert reply.odd_key == {"k": 1}
    assert reply.raw["unknown"] == [1, 2]
    assert reply.jsep == jsep


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'greeting' missing"),
        ({"greeting": 1}, "'greeting' must be str, got int"),
        ({"greeting": "x", "count": True}, "'count' must be int, got bool"),
        ({"greeting": "x", "members": {"id": 1}}, "'members' must be a list"),
        ({"greeting": "x", "members": [{"name": "a"}]}, "Member: 'id' missing"),
        ({"greeting": "x", "members": ["a"]}, "Member: expected an object"),
    ],
)
def test_bad_replies_are_remote_protocol_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(jp.RemoteProtocolError, match=message):
        Greeted.parse(data)


def test_codec_dispatch_and_fallback() -> None:
    codec = PluginCodec(
        PLUGIN,
        [
            (all_of(key_is("hello", "event"), has("greeting", "count")), Greeted),
            (key_is("member"), Member),
            (key_is("hello", "member-ish"), Member),
        ],
    )
    assert "2 rules" not in repr(codec)
    assert "3 rules" in repr(codec)
    event = codec.parse_event({"hello": "event", "greeting": "g", "count": 1})
    assert isinstance(event, Greeted)
    assert isinstance(codec.parse_event({"member": 1, "id": 4}), Member)
    assert isinstance(codec.parse_event({"hello": "member-ish", "id": 5}), Member)
    other = codec.parse_event({"hello": "event", "greeting": "g"}, {"type": "offer"})
    assert isinstance(other, GenericPluginData)
    assert other.plugin == PLUGIN
    assert other.jsep == {"type": "offer"}
    assert isinstance(codec.parse_event(["not", "a", "dict"]), GenericPluginData)  # type: ignore[arg-type]
    with pytest.raises(jp.RemoteProtocolError):  # a rule matched; the data does not fit
        codec.parse_event({"member": 1})


def test_codec_for_stock_and_unknown_plugins() -> None:
    assert codec_for("janus.plugin.echotest") is CODECS["janus.plugin.echotest"]
    custom = codec_for(PLUGIN)
    assert custom.plugin == PLUGIN
    assert custom.rules == []


def test_plugin_error_registry() -> None:
    class HelloError(jp.PluginError):
        pass

    class Nope(HelloError):
        code = 401

    jp.register_plugin_errors(PLUGIN, HelloError, {401: Nope})
    assert jp.plugin_error_for(PLUGIN, 401) is Nope
    assert jp.plugin_error_for(PLUGIN, 402) is HelloError
    assert jp.plugin_error_for("other.plugin", 401) is jp.PluginError
    failed = jp.PluginRequestFailed(
        raw={},
        transaction="t",
        session_id=1,
        handle_id=2,
        plugin=PLUGIN,
        error_code=401,
        error="no",
        data={"error_code": 401},
    )
    exc = failed.to_exception()
    assert type(exc) is Nope
    assert (exc.error_code, exc.error, exc.transaction) == (401, "no", "t")
    with pytest.raises(TypeError, match="not a PluginError subclass"):
        jp.register_plugin_errors(PLUGIN, HelloError, {1: ValueError})  # type: ignore[dict-item]


@given(
    name=st.text(min_size=1),
    times=st.none() | st.integers(),
    loud=st.none() | st.booleans(),
    room=st.none() | st.integers(min_value=0) | st.text(min_size=1),
)
def test_body_round_trip(name: str, times: int | None, loud: bool | None, room: Any) -> None:
    body = Greet(name=name, times=times, loud=loud, room=room).body()
    expected = {"request": "greet", "name": name, "times": times, "loud": loud, "room": room}
    assert body == {k: v for k, v in expected.items() if v is not None}


# -- shared validators and field helpers ---------------------------------------------------


def _odd(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value % 2 == 0:
        raise ValueError(f"{attr.name} must be odd")


@attrs.frozen(kw_only=True)
class Tune(PluginRequest[Greeted]):
    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "tune"
    REPLY: ClassVar[type[PluginData]] = Greeted
    mode: str = choice_field("fast", "slow", required=True)
    codec: str | None = choice_field("opus", "pcmu")
    count: int = non_negative_field(required=True)
    bitrate: int | None = non_negative_field(key="bit-rate")
    odd: int = req_field(int, validator=_odd)
    maybe_odd: int | None = opt_field(int, validator=_odd)
    pin: str | None = opt_field(str, repr=False)
    level: int | None = opt_field(int, validator=non_negative)
    side: str | None = opt_field(str, validator=one_of("left", "right"))


def test_choice_and_non_negative_fields() -> None:
    tune = Tune(mode="fast", count=0, odd=1, bitrate=5, codec="opus", pin="1234", level=0)
    assert tune.body() == {
        "request": "tune",
        "mode": "fast",
        "codec": "opus",
        "count": 0,
        "bit-rate": 5,
        "odd": 1,
        "pin": "1234",
        "level": 0,
    }
    assert "1234" not in repr(tune)  # repr=False keeps secrets out
    assert "mode='fast'" in repr(tune)
    Tune(mode="slow", count=3, odd=3, maybe_odd=5, side="left")  # the optional ones


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"mode": "medium"}, ValueError, r"Tune\.mode must be one of fast, slow, got 'medium'"),
        ({"mode": 1}, TypeError, r"Tune\.mode must be str, got int"),
        ({"mode": None}, TypeError, r"Tune\.mode must be str, got NoneType"),
        ({"codec": "g729"}, ValueError, r"Tune\.codec must be one of opus, pcmu, got 'g729'"),
        ({"codec": b"opus"}, TypeError, r"Tune\.codec must be str or None, got bytes"),
        ({"count": -1}, ValueError, r"Tune\.count must not be negative"),
        ({"count": True}, TypeError, r"Tune\.count must be int, got bool"),
        ({"bitrate": -5}, ValueError, r"Tune\.bitrate must not be negative"),
        ({"bitrate": 1.5}, TypeError, r"Tune\.bitrate must be int or None, got float"),
        ({"odd": 2}, ValueError, "odd must be odd"),
        ({"odd": "3"}, TypeError, r"Tune\.odd must be int, got str"),  # type check first
        ({"maybe_odd": 4}, ValueError, "maybe_odd must be odd"),
        ({"pin": 1234}, TypeError, r"Tune\.pin must be str or None, got int"),
        ({"level": -1}, ValueError, r"Tune\.level must not be negative"),
        ({"side": "up"}, ValueError, r"Tune\.side must be one of left, right, got 'up'"),
    ],
)
def test_choice_and_non_negative_refusals(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    fields: dict[str, Any] = {"mode": "fast", "count": 0, "odd": 1, **kwargs}
    with pytest.raises(error, match=message):
        Tune(**fields)


def test_request_parts_have_extra() -> None:
    spec = Spec(mid="0", extra={"x": [Spec(mid="1")]})
    assert spec.to_json() == {"mid": "0", "x": [{"mid": "1"}]}
    assert Spec(mid="0").extra == {}
    assert "extra" not in repr(spec)
    assert hash(spec) == hash(Spec(mid="0", extra={"y": 2}))  # extra is not hashed...
    assert spec != Spec(mid="0", extra={"y": 2})  # ...but compared
    with pytest.raises(TypeError, match=r"Spec\.extra must be a mapping with str keys"):
        Spec(mid="0", extra={1: 2})  # type: ignore[dict-item]


# -- nested objects, hidden fields -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class Box(PluginData):
    member: Member | None = data_field(nested=Member)
    owner: Member = data_field(nested=Member, key="the-owner", required=True)
    token: str | None = data_field(str, repr=False)


def test_nested_objects_are_parsed() -> None:
    data = {"member": {"id": 1, "x": 2}, "the-owner": {"id": 2}, "token": "secret"}
    box = Box.parse(data)
    assert box.member == Member(id=1)
    assert box.member.raw == {"id": 1, "x": 2}
    assert box.owner == Member(id=2)
    assert box.token == "secret"
    assert "secret" not in repr(box)
    assert Box.parse({"the-owner": {"id": 3}}).member is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"member": {"id": 1}}, "Box: 'the-owner' missing"),
        ({"the-owner": "x"}, "Box: 'the-owner' must be Mapping, got str"),
        ({"the-owner": {"id": 1}, "member": [1]}, "Box: 'member' must be Mapping, got list"),
        ({"the-owner": {"name": "a"}}, "Member: 'id' missing"),
        ({"the-owner": {"id": 1}, "token": 5}, "Box: 'token' must be str, got int"),
    ],
)
def test_bad_nested_objects(data: dict[str, Any], message: str) -> None:
    with pytest.raises(jp.RemoteProtocolError, match=message):
        Box.parse(data)


# -- the result object ---------------------------------------------------------------------


def test_result_of() -> None:
    assert result_of({"result": {"a": 1}}) == {"a": 1}
    assert result_of({"result": "ok"}) == {}
    assert result_of({}) == {}
    assert result_of(["result"]) == {}


def test_result_predicates() -> None:
    registered = in_result(key_is("event", "registered", "registering"))
    assert registered({"result": {"event": "registered"}})
    assert registered({"result": {"event": "registering"}})
    assert not registered({"result": {"event": "calling"}})
    assert not registered({"event": "registered"})  # not in result
    assert not registered({"result": "registered"})
    listed = in_result(has("list"))
    assert listed({"result": {"list": []}})
    assert not listed({"list": []})
    layers = has_any("substream", "temporal")
    assert layers({"substream": 0})
    assert layers({"temporal": 1, "x": 1})
    assert not layers({"spatial_layer": 1})
    assert in_result(layers)({"result": {"temporal": 2}})


@attrs.frozen(kw_only=True)
class Lifted(ResultData):
    event: str = data_field(str, required=True)
    count: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Strict(ResultData):
    INNER_REQUIRED: ClassVar[bool] = True
    status: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class InInfo(Strict):
    INNER: ClassVar[str] = "info"


@attrs.frozen(kw_only=True)
class WithTop(Lifted):
    call_id: str | None = data_field(str)

    @classmethod
    def fields_of(cls, data: Any) -> dict[str, Any]:
        return {**super().fields_of(data), "call_id": data.get("call_id")}


def test_result_data_lifts_the_inner_object() -> None:
    data = {"hello": "event", "result": {"event": "greeted", "count": 2, "new": 1}}
    jsep = {"type": "offer", "sdp": "v=0"}
    lifted = Lifted.parse(data, jsep)
    assert type(lifted) is Lifted
    assert (lifted.event, lifted.count) == ("greeted", 2)
    assert lifted.raw == data  # the whole plugin data, not just the result
    assert lifted.jsep == jsep
    info = InInfo.parse({"hello": "info", "info": {"status": "ok"}})
    assert info.status == "ok"
    top = WithTop.parse({"call_id": "c1", "result": {"event": "e", "call_id": "c0"}})
    assert (top.event, top.call_id) == ("e", "c1")


def test_result_data_without_its_object() -> None:
    # lenient by default: a missing or odd result reads as {}
    assert Strict.parse({"result": {}}).status is None
    with pytest.raises(jp.RemoteProtocolError, match="Lifted: 'event' missing"):
        Lifted.parse({"hello": "event"})
    with pytest.raises(jp.RemoteProtocolError, match="Lifted: 'event' missing"):
        Lifted.parse({"hello": "event", "result": "ok"})
    with pytest.raises(jp.RemoteProtocolError, match="Lifted: 'count' must be int"):
        Lifted.parse({"result": {"event": "e", "count": "2"}})
    # INNER_REQUIRED: a malformed answer
    with pytest.raises(jp.RemoteProtocolError, match="Strict: 'result' must be an object"):
        Strict.parse({"hello": "event"})
    with pytest.raises(jp.RemoteProtocolError, match="InInfo: 'info' must be an object"):
        InInfo.parse({"info": "x", "result": {}})
    for cls in (Lifted, Strict):
        with pytest.raises(jp.RemoteProtocolError, match="expected an object, got list"):
            cls.parse([])  # type: ignore[arg-type]


# -- requests answered by an event -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Started(Lifted):
    pass


@attrs.frozen(kw_only=True)
class Pending(Lifted):
    pass


EVENTS = PluginCodec(
    PLUGIN,
    [
        (in_result(key_is("event", "started")), Started),
        (in_result(key_is("event", "pending")), Pending),
        (in_result(key_is("event")), Lifted),
    ],
)


@attrs.frozen(kw_only=True)
class Begin(CodecRequest[Started]):
    PLUGIN: ClassVar[str] = PLUGIN
    CODEC: ClassVar[PluginCodec] = EVENTS
    REQUEST: ClassVar[str | None] = "begin"
    REPLY: ClassVar[type[PluginData]] = Started


@attrs.frozen(kw_only=True)
class Resume(CodecRequest[Started | Pending]):
    PLUGIN: ClassVar[str] = PLUGIN
    CODEC: ClassVar[PluginCodec] = EVENTS
    REQUEST: ClassVar[str | None] = "resume"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    NEEDS_JSEP: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Started
    REPLIES: ClassVar[tuple[type[PluginData], ...]] = (Started, Pending)


def _result(event: str) -> dict[str, Any]:
    return {"hello": "event", "result": {"event": event}}


def test_codec_request_types_its_answer() -> None:
    jsep = {"type": "answer", "sdp": "v=0"}
    started = Begin().parse_reply(_result("started"), jsep)
    assert type(started) is Started
    assert started.jsep == jsep
    assert type(Resume().parse_reply(_result("pending"))) is Pending
    assert type(Resume().parse_reply(_result("started"))) is Started


def test_codec_request_refuses_another_event() -> None:
    with pytest.raises(jp.RemoteProtocolError, match="Begin: expected Started, got 'pending'"):
        Begin().parse_reply(_result("pending"))
    with pytest.raises(
        jp.RemoteProtocolError, match="Resume: expected Started or Pending, got 'other'"
    ) as err:
        Resume().parse_reply(_result("other"))
    assert err.value.raw == _result("other")
    with pytest.raises(jp.RemoteProtocolError, match="Begin: expected Started, got None"):
        Begin().parse_reply({"hello": "event"})  # untyped: GenericPluginData
    with pytest.raises(jp.RemoteProtocolError, match="Lifted: 'count' must be int"):
        Begin().parse_reply({"result": {"event": "x", "count": "1"}})  # matched, ill-formed


def test_needs_jsep() -> None:
    with pytest.raises(ValueError, match="Resume needs a JSEP offer or answer"):
        Resume().check_jsep(None)
    Resume().check_jsep({"type": "offer", "sdp": ""})
    Resume().check_jsep({"type": "answer", "sdp": ""})
    with pytest.raises(TypeError, match="jsep must be a mapping"):
        Resume().check_jsep("v=0")  # type: ignore[arg-type]
    Begin().check_jsep(None)  # NEEDS_JSEP is off by default
