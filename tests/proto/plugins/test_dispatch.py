"""The codecs' dispatch index picks what trying every rule in order picks.

The reference is the plain scan (every rule's predicate, in order, first that holds); the
index must give the same class, the same parsed event and the same error, for the stock
codecs on events made of the keys and values their rules name, and for the edge cases:
two rules that both hold, predicates of one's own, unhashable values, shapes past the
memo's bound, and data no rule takes.
"""

from __future__ import annotations

from collections import UserDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import (
    CODECS,
    GenericPluginData,
    PluginCodec,
    PluginData,
    data_field,
    streaming,
    textroom,
    videoroom,
)
from janus_proto.plugins import _dispatch as dispatch
from janus_proto.plugins._base import ResultData, all_of, has, has_any, in_result, key_is

ALL_CODECS: dict[str, PluginCodec] = {**CODECS, "textroom data": textroom.DATA_CODEC}


def _walk(pred: Any) -> Iterator[Any]:
    yield pred
    if isinstance(pred, dispatch._AllOf):
        for part in pred.parts:
            yield from _walk(part)
    elif isinstance(pred, dispatch._InResult):
        yield from _walk(pred.inner)


def _vocabulary(codec: PluginCodec) -> tuple[list[str], list[Any]]:
    """The keys and values the rules of ``codec`` name (and a few more)."""
    keys = {"room", "id", "result", "event", "status", "error_code"}
    values: list[Any] = ["event", "ok", "success", 1, 0, True]
    for pred, _ in codec.rules:
        for node in _walk(pred):
            if isinstance(node, dispatch._KeyIs):
                keys.add(node.key)
                values.extend(node.values)
            elif isinstance(node, (dispatch._Has, dispatch._HasAny)):
                keys.update(node.keys)
    return sorted(keys), values


def _satisfying(draw: st.DrawFn, pred: Any, leaf: st.SearchStrategy[Any]) -> dict[str, Any]:
    """Data for which ``pred`` holds (as far as it can be read; opaque ones add nothing)."""
    if isinstance(pred, dispatch._KeyIs):
        value = draw(st.sampled_from(pred.values)) if pred.values else draw(leaf)
        return {pred.key: value}
    if isinstance(pred, dispatch._Has):
        return {k: draw(leaf) for k in pred.keys}
    if isinstance(pred, dispatch._HasAny):
        return {draw(st.sampled_from(pred.keys)): draw(leaf)}
    if isinstance(pred, dispatch._AllOf):
        out: dict[str, Any] = {}
        for part in pred.parts:
            out.update(_satisfying(draw, part, leaf))
        return out
    if isinstance(pred, dispatch._InResult):
        return {"result": _satisfying(draw, pred.inner, leaf)}
    return {}


@st.composite
def events(draw: st.DrawFn, codec: PluginCodec) -> dict[str, Any]:
    """Plugin data made for one or two of the codec's rules, then changed a little: keys
    added (from the ones the rules name) or dropped, values replaced."""
    keys, values = _vocabulary(codec)
    leaf = st.one_of(st.sampled_from(values), st.none(), st.integers(-2, 3), st.text(max_size=3))
    data: dict[str, Any] = {}
    for pred, _ in draw(st.lists(st.sampled_from(codec.rules), min_size=1, max_size=2)):
        for key, value in _satisfying(draw, pred, leaf).items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
    inner = st.dictionaries(st.sampled_from(keys), leaf, max_size=3)
    more = st.one_of(leaf, inner, st.lists(leaf, max_size=2))
    data.update(draw(st.dictionaries(st.sampled_from(keys), more, max_size=2)))
    for key in draw(st.lists(st.sampled_from(sorted(data) or ["x"]), max_size=1)):
        data.pop(key, None)
    return data


def _reference(codec: PluginCodec, data: Mapping[str, Any], jsep: Any) -> Any:
    """What parsing gave before the index: the first rule that holds, in order."""
    for predicate, cls in codec.rules:
        if predicate(data):
            return cls.parse(data, jsep)
    return GenericPluginData(raw=data, jsep=jsep, plugin=codec.plugin)


def _outcome(parse: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        event = parse()
    except jp.RemoteProtocolError as exc:
        return ("error", str(exc), exc.raw)
    return ("event", type(event), event, event.raw, event.jsep)


@pytest.mark.parametrize("name", sorted(ALL_CODECS))
@given(data=st.data())
def test_the_index_picks_what_the_scan_picks(name: str, data: st.DataObject) -> None:
    codec = ALL_CODECS[name]
    event = data.draw(events(codec))
    jsep = {"type": "offer", "sdp": ""}
    expected = _outcome(lambda: _reference(codec, event, jsep))
    assert _outcome(lambda: codec.parse_event(event, jsep)) == expected
    assert _outcome(lambda: codec.parse_event(event, jsep)) == expected  # memoised shape


@given(st.dictionaries(st.text(max_size=12), st.integers() | st.text(max_size=12), max_size=4))
@example({"videoroom": "event", "joining": 1, "error_code": 1})
@example({"videoroom": "event", "display": "x", "id": 2, "substream": 1})
def test_any_data_gives_the_same_outcome(data: dict[str, Any]) -> None:
    for codec in ALL_CODECS.values():
        assert _outcome(lambda c=codec: c.parse_event(data)) == _outcome(  # type: ignore[misc]
            lambda c=codec: _reference(c, data, None)  # type: ignore[misc]
        )


# -- edge cases ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class A(PluginData):
    x: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class B(PluginData):
    y: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class C(PluginData):
    pass


def test_of_two_rules_that_hold_the_first_wins() -> None:
    data = {"x": "a", "y": 1}
    first = PluginCodec("p", [(key_is("x", "a"), A), (has("y"), B)])
    second = PluginCodec("p", [(has("y"), B), (key_is("x", "a"), A)])
    assert type(first.parse_event(data)) is A
    assert type(second.parse_event(data)) is B
    # both on the dispatch key: the earlier rule
    same = PluginCodec("p", [(key_is("x", "a", "b"), B), (key_is("x", "a"), A)])
    assert type(same.parse_event(data)) is B
    assert type(same.parse_event({"x": "b"})) is B


def test_a_videoroom_event_matching_two_rules_keeps_the_order() -> None:
    # error_code comes first; "leaving": "ok" is Leaving before ParticipantLeft
    both = {"videoroom": "event", "error_code": 426, "leaving": 1}
    assert type(videoroom.CODEC.parse_event(both)) is videoroom.ErrorEvent
    ok = {"videoroom": "event", "leaving": "ok"}
    assert type(videoroom.CODEC.parse_event(ok)) is videoroom.Leaving
    assert type(videoroom.CODEC.parse_event({**ok, "leaving": 3})) is videoroom.ParticipantLeft


def test_predicates_of_ones_own_are_called_in_their_turn() -> None:
    calls: list[Mapping[str, Any]] = []

    def mine(d: Mapping[str, Any]) -> bool:
        calls.append(d)
        return d.get("x") == ["listed"]

    codec = PluginCodec("p", [(key_is("x", "a"), A), (mine, C), (key_is("x", "b"), B)])
    assert type(codec.parse_event({"x": "a"})) is A
    assert calls == []  # an earlier rule held
    assert type(codec.parse_event({"x": ["listed"]})) is C  # unhashable: the plain scan
    assert type(codec.parse_event({"x": "b", "y": 2})) is B
    assert len(calls) == 2
    assert type(codec.parse_event({"x": "zzz"})) is GenericPluginData


def test_unknown_shapes_and_values_stay_generic() -> None:
    for data in (
        {"videoroom": "future"},
        {"videoroom": ["joined"]},
        {"videoroom": {"a": 1}},
        {"videoroom": "event"},
        {},
        {"result": {"event": 3}},
    ):
        event = videoroom.CODEC.parse_event(data)
        assert type(event) is GenericPluginData
        assert event.raw == data
    assert type(PluginCodec("p").parse_event({"x": 1})) is GenericPluginData


def test_codecs_without_a_value_to_dispatch_on() -> None:
    codec = PluginCodec("p", [(has("y"), B), (has_any("x", "z"), A), (lambda d: True, C)])
    assert codec.parse_event({"y": 1}) == B(y=1)
    assert codec.parse_event({"z": 1}) == A()
    assert type(codec.parse_event({})) is C


def test_paths_inside_result() -> None:
    deep = in_result(in_result(key_is("event", "e")))
    codec = PluginCodec("p", [(deep, A), (in_result(has("x")), B), (key_is("x", "1"), C)])
    assert type(codec.parse_event({"result": {"result": {"event": "e"}}})) is A
    index = codec._index
    assert index is not None
    assert index.path == ("result", "result", "event")
    assert type(codec.parse_event({"result": {"x": 1}})) is B
    assert type(codec.parse_event({"x": "1"})) is C
    assert type(codec.parse_event({"result": [], "x": "2"})) is GenericPluginData


def test_a_key_absent_compares_as_none() -> None:
    codec = PluginCodec("p", [(key_is("d", "k"), A), (all_of(key_is("k", None, 1), has("y")), B)])
    assert type(codec.parse_event({"y": 1})) is B  # no "k": d.get("k") is None
    assert type(codec.parse_event({"y": 1, "k": 1})) is B
    assert type(codec.parse_event({"y": 1, "k": 2})) is GenericPluginData


def test_changing_the_rules_redoes_the_index() -> None:
    codec = PluginCodec("p", [(key_is("x", "a"), A)])
    assert type(codec.parse_event({"x": "b"})) is GenericPluginData
    codec.rules.append((key_is("x", "b"), B))
    assert type(codec.parse_event({"x": "b"})) is B
    codec.rules = [(key_is("x", "b"), C)]
    assert type(codec.parse_event({"x": "b"})) is C
    assert "1 rules" in repr(codec)


def test_shapes_past_the_bound_are_worked_out_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "MAX_SHAPES", 2)
    codec = PluginCodec("p", [(key_is("x", "a"), A), (has("y"), B)])
    for i in range(5):
        assert type(codec.parse_event({"x": "a", f"k{i}": i})) is A
        assert type(codec.parse_event({f"k{i}": i, "y": i})) is B
    assert codec._index is not None
    assert len(codec._index.buckets["a"].shapes) == 2
    assert len(codec._index.other.shapes) == 2


def test_unhashable_values_in_rules_are_tested_as_they_are() -> None:
    codec = PluginCodec("p", [(key_is("x", ["a"]), C), (key_is("x", "b"), B)])
    assert type(codec.parse_event({"x": ["a"]})) is C
    assert type(codec.parse_event({"x": "b"})) is B


def test_mappings_that_are_not_dicts() -> None:
    data = UserDict({"videoroom": "event", "room": 1, "joining": UserDict({"id": 2})})
    event = videoroom.CODEC.parse_event(data)
    assert isinstance(event, videoroom.ParticipantJoining)
    assert event.joining.id == 2
    status = UserDict({"streaming": "event", "result": UserDict({"status": "started"})})
    assert type(streaming.CODEC.parse_event(status)) is streaming.Started


def test_predicates_stay_callable_and_readable() -> None:
    pred = all_of(key_is("a", 1), has("b"), has_any("c"), in_result(key_is("d")))
    assert pred({"a": 1, "b": 0, "c": 0, "result": {"d": 0}})
    assert not pred({"a": 1, "b": 0, "c": 0, "result": {}})
    assert repr(pred) == "all_of(key_is('a', 1), has('b',), has_any('c',), in_result(key_is('d',)))"
    assert repr(dispatch._OTHER) == "<other>"


# -- field parsing ------------------------------------------------------------------------


class Text(str):
    pass


@attrs.frozen(kw_only=True)
class Typed(PluginData):
    n: int | None = data_field(int)
    s: str | None = data_field(str)
    m: Mapping[str, Any] | None = data_field(Mapping)


def test_type_checks_accept_subclasses_and_refuse_bools() -> None:
    event = Typed.parse({"n": 1, "s": Text("t"), "m": UserDict({"k": 1})})
    assert (event.n, event.s, dict(event.m or {})) == (1, "t", {"k": 1})
    with pytest.raises(jp.RemoteProtocolError, match="Typed: 'n' must be int, got bool"):
        Typed.parse({"n": True})
    with pytest.raises(jp.RemoteProtocolError, match="Typed: 'm' must be Mapping, got list"):
        Typed.parse({"m": []})


@attrs.frozen(kw_only=True)
class OddInner(ResultData):
    @classmethod
    def fields_of(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        return data.get("result")  # type: ignore[return-value]  # not always an object


def test_an_inner_object_that_is_not_one_is_refused() -> None:
    assert OddInner.parse({"result": {}}).raw == {"result": {}}
    with pytest.raises(jp.RemoteProtocolError, match="OddInner: expected an object, got str"):
        OddInner.parse({"result": "x"})


def test_what_remains_of_a_rule_is_all_tested() -> None:
    rule = all_of(key_is("a", 1), key_is("b", 2), key_is("c", 3), lambda d: "d" in d)
    codec = PluginCodec("p", [(rule, C), (all_of(key_is("a", 1), key_is("b", 2)), B)])
    assert type(codec.parse_event({"a": 1, "b": 2, "c": 3, "d": 4})) is C
    assert type(codec.parse_event({"a": 1, "b": 2, "c": 3})) is B
    assert type(codec.parse_event({"a": 1, "b": 3, "c": 3, "d": 4})) is GenericPluginData
