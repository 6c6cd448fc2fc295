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
from janus_proto.plugins._base import MISSING, all_of, has, key_is

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
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


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
