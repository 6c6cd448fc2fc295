"""Building blocks of the typed plugin codecs: requests, replies, events and errors.

A plugin codec is pure data: request classes that build a ``message`` body (validated on
construction, so bad input fails before anything is sent), data classes that parse what the
plugin answers or pushes (permissively: unknown keys are kept in ``raw``, missing optional
ones are None), an event parser, and one :class:`~janus_proto.PluginError` subclass per
error code. No I/O: the drivers send ``request.body()`` and feed the answers back in.

Writing a codec for another plugin (a custom one included) takes four steps::

    @attrs.frozen(kw_only=True)
    class Greeted(PluginData):
        greeting: str = data_field(str, required=True)

    @attrs.frozen(kw_only=True)
    class Greet(PluginRequest[Greeted]):
        PLUGIN: ClassVar[str] = "acme.plugin.hello"
        REQUEST: ClassVar[str | None] = "greet"
        REPLY: ClassVar[type[PluginData]] = Greeted
        name: str = req_field(str)

    class HelloError(PluginError): ...
    register_plugin_errors("acme.plugin.hello", HelloError, {})

    CODEC = PluginCodec("acme.plugin.hello", [(lambda d: "greeting" in d, Greeted)])

Shared helpers, so that plugin modules do not write them again: :func:`choice_field`,
:func:`non_negative_field` and ``validator=`` on :func:`req_field`/:func:`opt_field` for
request fields (:class:`RequestPart` carries ``extra`` like requests do);
``data_field(nested=...)`` for one object inside a reply; :class:`ResultData` for events whose
fields sit in ``result``; :class:`CodecRequest` for requests answered by one of the plugin's
events; and the rule predicates :func:`key_is`, :func:`has`, :func:`has_any`, :func:`all_of`
and :func:`in_result`.

The async layer (``janus_anyio.plugins.PluginHandle``) turns these into awaitable methods.

Design notes: h2 and wsproto model events as small classes with the raw frame kept around;
we do the same, and add ``raw`` on every parsed object so nothing Janus sends is lost, even
keys this version does not know. Validation errors are ``TypeError``/``ValueError`` naming
the class and field, as attrs validators give them, raised before any state changes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar, cast

import attrs

from .._errors import RemoteProtocolError, register_plugin_errors
from ._dispatch import Index, Predicate, all_of, has, has_any, in_result, key_is, result_of

__all__ = [
    "MISSING",
    "CodecRequest",
    "GenericPluginData",
    "JsepRule",
    "PluginCodec",
    "PluginData",
    "PluginRequest",
    "RequestPart",
    "ResultData",
    "all_of",
    "choice_field",
    "data_field",
    "has",
    "has_any",
    "in_result",
    "key_is",
    "list_field",
    "non_negative",
    "non_negative_field",
    "one_of",
    "opt_field",
    "register_plugin_errors",
    "req_field",
    "result_of",
    "room_id_field",
]

_R = TypeVar("_R", bound="PluginData")


class _Missing(enum.Enum):
    MISSING = "MISSING"


#: Marks a field that takes no part in the body when left at its default.
MISSING = _Missing.MISSING


class JsepRule(enum.Enum):
    """What a request needs as JSEP."""

    #: No JSEP goes with it (one given is refused).
    NONE = "none"
    #: A JSEP may go with it (offer or answer: renegotiation).
    OPTIONAL = "optional"
    #: A JSEP offer must go with it.
    OFFER = "offer"
    #: A JSEP answer must go with it.
    ANSWER = "answer"


# -- validators --------------------------------------------------------------------------

_ROOM_TYPES = (int, str)


def _type_name(types: type | tuple[type, ...]) -> str:
    if isinstance(types, tuple):
        return " or ".join(t.__name__ for t in types)
    return types.__name__


def _checker(types: type | tuple[type, ...], optional: bool) -> Callable[[Any, Any, Any], None]:
    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if (value is None and optional) or value is MISSING:
            return
        is_bool = isinstance(value, bool)
        if not isinstance(value, types) or (is_bool and bool not in _tuple(types)):
            raise TypeError(
                f"{type(inst).__name__}.{attr.name} must be {_type_name(types)}"
                f"{' or None' if optional else ''}, got {type(value).__name__}"
            )

    return check


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


Validator = Callable[[Any, Any, Any], None]


def req_field(
    types: type | tuple[type, ...], *, key: str | None = None, validator: Validator | None = None
) -> Any:
    """A mandatory request field of the given type(s) (bool is not accepted as int).

    ``validator`` (an attrs validator) runs after the type check, e.g. :func:`one_of`.
    """
    return attrs.field(validator=_validators(types, False, validator), metadata={"key": key})


def opt_field(
    types: type | tuple[type, ...],
    *,
    key: str | None = None,
    default: Any = None,
    validator: Validator | None = None,
    repr: bool = True,
) -> Any:
    """An optional request field: left out of the body while None.

    ``validator`` runs after the type check (None passes it too, if it says so);
    ``repr=False`` keeps a secret out of ``repr()``.
    """
    return attrs.field(
        default=default,
        validator=_validators(types, True, validator),
        repr=repr,
        metadata={"key": key},
    )


def _validators(
    types: type | tuple[type, ...], optional: bool, extra: Validator | None
) -> list[Validator]:
    check = _checker(types, optional)
    return [check] if extra is None else [check, extra]


def one_of(*choices: str) -> Validator:
    """Validator: None, or one of ``choices`` (put it after a type check)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and value not in choices:
            raise ValueError(
                f"{type(inst).__name__}.{attr.name} must be one of {', '.join(choices)}, "
                f"got {value!r}"
            )

    return check


def non_negative(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    """Validator: None, or a number that is not negative (put it after a type check)."""
    if value is not None and value < 0:
        raise ValueError(f"{type(inst).__name__}.{attr.name} must not be negative")


def choice_field(*choices: str, required: bool = False, key: str | None = None) -> Any:
    """A str request field that must be one of ``choices`` (optional unless ``required``)."""
    if required:
        return req_field(str, key=key, validator=one_of(*choices))
    return opt_field(str, key=key, validator=one_of(*choices))


def non_negative_field(*, required: bool = False, key: str | None = None) -> Any:
    """An int request field Janus wants non-negative (``JANUS_JSON_PARAM_POSITIVE``);
    optional unless ``required``."""
    if required:
        return req_field(int, key=key, validator=non_negative)
    return opt_field(int, key=key, validator=non_negative)


def room_id_field(*, optional: bool = False, key: str | None = None) -> Any:
    """A room, mountpoint or participant id: a positive int, or a str (``string_ids``)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is int and value >= 0:
            return  # the usual id, at once
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, _ROOM_TYPES):
            raise TypeError(
                f"{type(inst).__name__}.{attr.name} must be an int or str id, "
                f"got {type(value).__name__}"
            )
        if isinstance(value, int):
            non_negative(inst, attr, value)
        elif not value:
            raise ValueError(f"{type(inst).__name__}.{attr.name} must not be empty")

    if optional:
        return attrs.field(default=None, validator=check, metadata={"key": key})
    return attrs.field(validator=check, metadata={"key": key})


#: JSON scalars that :func:`_plain` returns as they are: ``to_json`` takes them as they
#: are after one exact type test (instead of the isinstance tests that come to the same).
_SCALARS = frozenset({str, int, float, bool})


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data (attrs instances through their ``body()``/fields)."""
    if isinstance(value, _Jsonable):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _extra_check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is dict and not value:
        return  # the usual ``extra``: none (no ABC check, no key scan)
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{type(inst).__name__}.extra must be a mapping with str keys")


@attrs.frozen(kw_only=True)
class _Jsonable:
    """Base of what renders as a JSON object: the fields that are set, then ``extra``.

    ``extra`` adds keys as they are (fields newer than this library). It is not part of
    the hash (a dict is not hashable); equality still compares it.
    """

    extra: Mapping[str, Any] = attrs.field(
        factory=dict, validator=_extra_check, repr=False, hash=False
    )

    def to_json(self) -> dict[str, Any]:
        cls = type(self)
        plan = _JSON_PLANS.get(cls)
        if plan is None:
            plan = _JSON_PLANS[cls] = tuple(
                (a.name, a.metadata.get("key") or a.name)
                for a in attrs.fields(cls)
                if a.name != "extra"
            )
        out: dict[str, Any] = {}
        for name, key in plan:
            value = getattr(self, name)
            if value is None or value is MISSING:
                continue
            out[key] = value if type(value) in _SCALARS else _plain(value)
        if self.extra:
            out.update((k, _plain(v)) for k, v in self.extra.items())
        return out


#: Per class: (attribute, JSON key) of each field that :meth:`_Jsonable.to_json` renders.
_JSON_PLANS: dict[type[_Jsonable], tuple[tuple[str, str], ...]] = {}


@attrs.frozen(kw_only=True)
class RequestPart(_Jsonable):
    """Base of nested request objects (stream specs and the like); ``extra`` keys pass
    through unchanged."""


# -- requests ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PluginRequest(_Jsonable, Generic[_R]):
    """A request to a plugin, sent as the ``body`` of a Janus ``message``.

    Class attributes:
        PLUGIN: the plugin package, e.g. ``"janus.plugin.videoroom"``.
        REQUEST: the body's ``request`` verb (None for EchoTest, which has none).
        SYNC: the plugin answers in the ``success`` reply (else ack then event).
        JSEP: what JSEP goes with it (:class:`JsepRule`).
        NEEDS_JSEP: with ``JSEP`` OPTIONAL, a JSEP of either type must go with it.
        REPLY: the :class:`PluginData` class of the answer.

    ``extra`` adds keys to the body as they are (fields newer than this library).
    """

    PLUGIN: ClassVar[str] = ""
    REQUEST: ClassVar[str | None] = None
    SYNC: ClassVar[bool] = False
    JSEP: ClassVar[JsepRule] = JsepRule.NONE
    NEEDS_JSEP: ClassVar[bool] = False
    REPLY: ClassVar[type[PluginData]]

    def body(self) -> dict[str, Any]:
        """The message body: ``request`` first, then every field that is set."""
        out: dict[str, Any] = {} if self.REQUEST is None else {"request": self.REQUEST}
        out.update(self.to_json())
        return out

    def check_jsep(self, jsep: Mapping[str, Any] | None) -> None:
        """Refuse a JSEP this request cannot take, or a missing one it needs.

        Raises:
            ValueError: the JSEP does not fit :attr:`JSEP`.
            TypeError: ``jsep`` is not a mapping.
        """
        rule = self.JSEP
        name = type(self).__name__
        if jsep is None:
            if rule in (JsepRule.OFFER, JsepRule.ANSWER):
                raise ValueError(f"{name} needs a JSEP {rule.value}")
            if self.NEEDS_JSEP:
                raise ValueError(f"{name} needs a JSEP offer or answer")
            return
        if not isinstance(jsep, Mapping):
            raise TypeError(f"{name}: jsep must be a mapping, got {type(jsep).__name__}")
        if rule is JsepRule.NONE:
            raise ValueError(f"{name} takes no JSEP")
        kind = jsep.get("type")
        if rule in (JsepRule.OFFER, JsepRule.ANSWER) and kind != rule.value:
            raise ValueError(f"{name} needs a JSEP {rule.value}, got {kind!r}")

    def parse_reply(self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> _R:
        """The typed answer.

        Raises:
            RemoteProtocolError: the answer lacks what this request's reply must have.
        """
        return cast(_R, self.REPLY.parse(data, jsep))


# -- replies and events ------------------------------------------------------------------


def data_field(
    types: type | tuple[type, ...] | None = None,
    *,
    key: str | None = None,
    required: bool = False,
    item: type[PluginData] | None = None,
    nested: type[PluginData] | None = None,
    default: Any = None,
    repr: bool = True,
) -> Any:
    """A field of a reply or event, read from ``key`` (the field name by default).

    ``types`` checks the value when present (None: anything); ``item`` parses a list of
    objects into that :class:`PluginData` class, ``nested`` one object (``types`` is then
    ``Mapping``); ``required`` makes a missing key a :class:`RemoteProtocolError`;
    ``repr=False`` keeps a secret out of ``repr()``.
    """
    if nested is not None and types is None:
        types = Mapping
    meta = {"key": key, "types": types, "required": required, "item": item, "nested": nested}
    if required:
        return attrs.field(repr=repr, metadata=meta)
    return attrs.field(default=default, repr=repr, metadata=meta)


_RESERVED = ("raw", "jsep")

#: The concrete types JSON decodes to: a value of one of them is type-checked by a set
#: lookup (see :func:`_field_plan`).
_JSON_TYPES: tuple[type, ...] = (dict, list, str, int, float, bool, type(None))

#: How one field is read: attribute name, key, required, ``item`` class, ``nested`` class,
#: and the type check (the types, the JSON types they accept exactly, bool accepted), or
#: None for no check.
_FieldPlan = tuple[
    str,
    str,
    bool,
    "type[PluginData] | None",
    "type[PluginData] | None",
    "tuple[Any, frozenset[type], bool] | None",
]


def _field_plan(cls: type[PluginData]) -> tuple[_FieldPlan, ...]:
    """How ``cls.parse`` reads each field, from the attrs metadata of :func:`data_field`
    (read once per class, not once per event)."""
    plan: list[_FieldPlan] = []
    for a in attrs.fields(cls):
        if a.name in _RESERVED:
            continue
        meta = a.metadata
        types = meta.get("types")
        check = None
        if types is not None:
            bool_ok = bool in _tuple(types)
            exact = frozenset(
                t for t in _JSON_TYPES if issubclass(t, types) and (bool_ok or t is not bool)
            )
            check = (types, exact, bool_ok)
        key = meta.get("key") or a.name
        plan.append(
            (a.name, key, bool(meta.get("required")), meta.get("item"), meta.get("nested"), check)
        )
    return tuple(plan)


@attrs.frozen(kw_only=True)
class PluginData:
    """Something a plugin said: a reply, an event, or an object inside one.

    Attributes:
        raw: the whole JSON object, unknown keys included.
        jsep: the JSEP that came with it (top-level replies and events only).
    """

    #: How each class reads its fields (computed on the first parse of that class).
    _plan_: ClassVar[tuple[_FieldPlan, ...] | None] = None

    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    jsep: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    @classmethod
    def parse(cls: type[_D], data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> _D:
        """Parse ``data`` permissively.

        Raises:
            RemoteProtocolError: ``data`` is not an object, a required key is missing, or
                a value has the wrong type.
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            raise RemoteProtocolError(
                f"{cls.__name__}: expected an object, got {type(data).__name__}", raw=data
            )
        return cls._from_fields(data, data, jsep)

    @classmethod
    def _from_fields(
        cls: type[_D], source: Mapping[str, Any], raw: Mapping[str, Any], jsep: Any
    ) -> _D:
        """An instance with the fields read from ``source`` and the given ``raw``.

        Raises:
            RemoteProtocolError: a required key is missing, or a value has the wrong type
                (``raw`` of the error: ``source``, or the value).
        """
        plan = cls.__dict__.get("_plan_")
        if plan is None:
            plan = _field_plan(cls)
            cls._plan_ = plan
        kwargs: dict[str, Any] = {"raw": raw, "jsep": jsep}
        for name, key, required, item, nested, check in plan:
            value = source.get(key)
            if value is None:
                if required:
                    raise RemoteProtocolError(f"{cls.__name__}: {key!r} missing", raw=source)
                continue
            if item is not None:
                if not isinstance(value, list):
                    raise RemoteProtocolError(f"{cls.__name__}: {key!r} must be a list", raw=value)
                value = tuple([item.parse(v) for v in value])
            else:
                if check is not None and type(value) not in check[1]:
                    types, _, bool_ok = check
                    if not isinstance(value, types) or (isinstance(value, bool) and not bool_ok):
                        raise RemoteProtocolError(
                            f"{cls.__name__}: {key!r} must be {_type_name(types)}, "
                            f"got {type(value).__name__}",
                            raw=value,
                        )
                if nested is not None:
                    value = nested.parse(value)
                elif isinstance(value, list):
                    value = tuple(value)
            kwargs[name] = value
        return cls(**kwargs)


_D = TypeVar("_D", bound=PluginData)


@attrs.frozen(kw_only=True)
class ResultData(PluginData):
    """Base of the replies and events whose fields are in an inner object, as in
    ``{"videocall":"event","result":{"event":"registered","username":..}}``: the fields of
    that object are the attributes; ``raw`` keeps the whole plugin data.

    Class attributes:
        INNER: the key of the inner object (``"result"``).
        INNER_REQUIRED: a missing (or not object) inner object is a
            :class:`RemoteProtocolError`; by default it reads as ``{}``.

    Override :meth:`fields_of` to read more than the inner object.
    """

    INNER: ClassVar[str] = "result"
    INNER_REQUIRED: ClassVar[bool] = False

    @classmethod
    def fields_of(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """The object the attributes are read from: ``data[INNER]``.

        Raises:
            RemoteProtocolError: with ``INNER_REQUIRED``, it is missing or not an object.
        """
        inner = data.get(cls.INNER)
        if type(inner) is dict or isinstance(inner, Mapping):
            return inner
        if cls.INNER_REQUIRED:
            raise RemoteProtocolError(f"{cls.__name__}: {cls.INNER!r} must be an object", raw=data)
        return {}

    @classmethod
    def parse(
        cls: type[_RD], data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None
    ) -> _RD:
        """Parse the fields of the inner object (see :meth:`PluginData.parse`); ``raw`` is
        the whole of ``data``."""
        anything: Any = data
        if type(anything) is not dict and not isinstance(anything, Mapping):
            return super().parse(anything, jsep)  # refuses it: not an object
        fields: Any = cls.fields_of(data)
        if type(fields) is not dict and not isinstance(fields, Mapping):
            return super().parse(fields, jsep)  # refuses it: not an object
        return cls._from_fields(fields, data, jsep)


_RD = TypeVar("_RD", bound=ResultData)


@attrs.frozen(kw_only=True)
class GenericPluginData(PluginData):
    """A reply or event this library has no class for: all of it is in ``raw``."""

    plugin: str = ""


# -- event parsing -----------------------------------------------------------------------


class PluginCodec:
    """Turns a plugin's pushed data into typed events.

    ``rules`` are tried in order: the first predicate that holds picks the class. Data no
    rule matches becomes :class:`GenericPluginData`, so a newer Janus never breaks parsing.
    Predicates made with :func:`key_is`, :func:`has`, :func:`has_any`, :func:`all_of` and
    :func:`in_result` are indexed, so that an event is tested against the few rules that
    can hold for it (``janus_proto.plugins._dispatch``); other callables are called in
    their turn. Changing ``rules`` (the list, through this attribute) redoes the index.
    """

    def __init__(
        self, plugin: str, rules: Iterable[tuple[Predicate, type[PluginData]]] = ()
    ) -> None:
        self.plugin = plugin
        self._rules: list[tuple[Predicate, type[PluginData]]] = list(rules)
        self._index: Index | None = None

    @property
    def rules(self) -> list[tuple[Predicate, type[PluginData]]]:
        """The (predicate, class) rules, in order (the index is redone after a change)."""
        self._index = None  # the caller may change the list
        return self._rules

    @rules.setter
    def rules(self, rules: list[tuple[Predicate, type[PluginData]]]) -> None:
        self._rules, self._index = rules, None

    def __repr__(self) -> str:
        return f"<PluginCodec {self.plugin} ({len(self._rules)} rules)>"

    def parse_event(
        self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None
    ) -> PluginData:
        """The typed event for ``data``.

        Raises:
            RemoteProtocolError: a rule matched but the data does not fit its class.
        """
        if type(data) is dict or isinstance(data, Mapping):
            index = self._index
            if index is None:
                index = self._index = Index(self._rules)
            path = index.path
            if path is None:
                bucket = index.other
            else:
                value = data.get(path[0]) if len(path) == 1 else index.value_at(data)
                try:
                    bucket = index.buckets.get(value, index.other)
                except TypeError:  # an unhashable value: compared by the rules themselves
                    return self._scan(data, jsep)
            shape = tuple(data)
            entries: tuple[tuple[Predicate | None, type[PluginData]], ...] | None
            entries = bucket.shapes.get(shape)
            if entries is None:
                entries = bucket.entries(shape)
            for test, cls in entries:
                if test is None or test(data):
                    return cls.parse(data, jsep)
        return GenericPluginData(raw=data, jsep=jsep, plugin=self.plugin)

    def _scan(self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None) -> PluginData:
        """:meth:`parse_event` without the index: every rule, in order."""
        for predicate, cls in self._rules:
            if predicate(data):
                return cls.parse(data, jsep)
        return GenericPluginData(raw=data, jsep=jsep, plugin=self.plugin)


@attrs.frozen(kw_only=True)
class CodecRequest(PluginRequest[_R]):
    """A request answered by one of the plugin's events (SIP, NoSIP): the answer is typed
    by ``CODEC`` and must be one of ``REPLIES``.

    Class attributes:
        CODEC: the plugin's codec.
        REPLIES: the event classes that may answer it (default: just ``REPLY``).
    """

    CODEC: ClassVar[PluginCodec]
    REPLIES: ClassVar[tuple[type[PluginData], ...]] = ()

    def parse_reply(self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> _R:
        """The typed answer.

        Raises:
            RemoteProtocolError: the answer is another event than this request's (the
                message names its ``result.event``).
        """
        event = self.CODEC.parse_event(data, jsep)
        expected = self.REPLIES or (self.REPLY,)
        if not isinstance(event, expected):
            names = " or ".join(c.__name__ for c in expected)
            raise RemoteProtocolError(
                f"{type(self).__name__}: expected {names}, got {result_of(data).get('event')!r}",
                raw=data,
            )
        return cast(_R, event)


def sequence_of(inst: Any, attr: attrs.Attribute[Any], value: Any, types: type) -> None:
    """Validator body: ``value`` is None or a sequence (not a str) of ``types``."""
    if value is None:
        return
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{type(inst).__name__}.{attr.name} must be a list")
    for v in value:
        if not isinstance(v, types) or (isinstance(v, bool) and types is not bool):
            raise TypeError(
                f"{type(inst).__name__}.{attr.name} items must be {types.__name__}, "
                f"got {type(v).__name__}"
            )


def list_field(types: type, *, key: str | None = None, required: bool = False) -> Any:
    """A request field holding a list of ``types`` (stored as a tuple)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None and required:
            raise TypeError(f"{type(inst).__name__}.{attr.name} is mandatory")
        sequence_of(inst, attr, value, types)

    def conv(value: Any) -> Any:
        if value is None or isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            return value  # the validator names what is wrong
        return tuple(value)

    if required:
        return attrs.field(converter=conv, validator=check, metadata={"key": key})
    return attrs.field(default=None, converter=conv, validator=check, metadata={"key": key})
