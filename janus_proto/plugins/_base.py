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

__all__ = [
    "MISSING",
    "GenericPluginData",
    "JsepRule",
    "PluginCodec",
    "PluginData",
    "PluginRequest",
    "data_field",
    "opt_field",
    "register_plugin_errors",
    "req_field",
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


def req_field(types: type | tuple[type, ...], *, key: str | None = None) -> Any:
    """A mandatory request field of the given type(s) (bool is not accepted as int)."""
    return attrs.field(validator=_checker(types, False), metadata={"key": key})


def opt_field(
    types: type | tuple[type, ...], *, key: str | None = None, default: Any = None
) -> Any:
    """An optional request field: left out of the body while None."""
    return attrs.field(default=default, validator=_checker(types, True), metadata={"key": key})


def room_id_field(*, optional: bool = False, key: str | None = None) -> Any:
    """A room, mountpoint or participant id: a positive int, or a str (``string_ids``)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, _ROOM_TYPES):
            raise TypeError(
                f"{type(inst).__name__}.{attr.name} must be an int or str id, "
                f"got {type(value).__name__}"
            )
        if isinstance(value, int) and value < 0:
            raise ValueError(f"{type(inst).__name__}.{attr.name} must not be negative")
        if isinstance(value, str) and not value:
            raise ValueError(f"{type(inst).__name__}.{attr.name} must not be empty")

    if optional:
        return attrs.field(default=None, validator=check, metadata={"key": key})
    return attrs.field(validator=check, metadata={"key": key})


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data (attrs instances through their ``body()``/fields)."""
    if isinstance(value, _Jsonable):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Jsonable:
    """Mixin of request parts (e.g. a stream spec) that render as a JSON object."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for a in attrs.fields(type(self)):  # type: ignore[arg-type]
            if a.name == "extra":
                continue
            value = getattr(self, a.name)
            if value is None or value is MISSING:
                continue
            out[a.metadata.get("key") or a.name] = _plain(value)
        extra: Mapping[str, Any] = getattr(self, "extra", None) or {}
        out.update((k, _plain(v)) for k, v in extra.items())
        return out


class RequestPart(_Jsonable):
    """Base of nested request objects (stream specs and the like); ``extra`` keys pass
    through unchanged."""


# -- requests ----------------------------------------------------------------------------


def _extra_check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{type(inst).__name__}.extra must be a mapping with str keys")


@attrs.frozen(kw_only=True)
class PluginRequest(_Jsonable, Generic[_R]):
    """A request to a plugin, sent as the ``body`` of a Janus ``message``.

    Class attributes:
        PLUGIN: the plugin package, e.g. ``"janus.plugin.videoroom"``.
        REQUEST: the body's ``request`` verb (None for EchoTest, which has none).
        SYNC: the plugin answers in the ``success`` reply (else ack then event).
        JSEP: what JSEP goes with it (:class:`JsepRule`).
        REPLY: the :class:`PluginData` class of the answer.

    ``extra`` adds keys to the body as they are (fields newer than this library).
    """

    PLUGIN: ClassVar[str] = ""
    REQUEST: ClassVar[str | None] = None
    SYNC: ClassVar[bool] = False
    JSEP: ClassVar[JsepRule] = JsepRule.NONE
    REPLY: ClassVar[type[PluginData]]

    # Not part of the hash (a dict is not hashable); equality still compares it.
    extra: Mapping[str, Any] = attrs.field(
        factory=dict, validator=_extra_check, repr=False, hash=False
    )

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
    default: Any = None,
) -> Any:
    """A field of a reply or event, read from ``key`` (the field name by default).

    ``types`` checks the value when present (None: anything); ``item`` parses a list of
    objects into that :class:`PluginData` class; ``required`` makes a missing key a
    :class:`RemoteProtocolError`.
    """
    meta = {"key": key, "types": types, "required": required, "item": item}
    if required:
        return attrs.field(metadata=meta)
    return attrs.field(default=default, metadata=meta)


_RESERVED = ("raw", "jsep")


@attrs.frozen(kw_only=True)
class PluginData:
    """Something a plugin said: a reply, an event, or an object inside one.

    Attributes:
        raw: the whole JSON object, unknown keys included.
        jsep: the JSEP that came with it (top-level replies and events only).
    """

    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    jsep: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    @classmethod
    def parse(cls: type[_D], data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> _D:
        """Parse ``data`` permissively.

        Raises:
            RemoteProtocolError: ``data`` is not an object, a required key is missing, or
                a value has the wrong type.
        """
        if not isinstance(data, Mapping):
            raise RemoteProtocolError(
                f"{cls.__name__}: expected an object, got {type(data).__name__}", raw=data
            )
        kwargs: dict[str, Any] = {"raw": data, "jsep": jsep}
        for a in attrs.fields(cls):
            if a.name in _RESERVED:
                continue
            meta = a.metadata
            key = meta.get("key") or a.name
            if key not in data or data[key] is None:
                if meta.get("required"):
                    raise RemoteProtocolError(f"{cls.__name__}: {key!r} missing", raw=data)
                continue
            kwargs[a.name] = _read(cls, key, data[key], meta)
        return cls(**kwargs)


_D = TypeVar("_D", bound=PluginData)


def _read(cls: type, key: str, value: Any, meta: Mapping[str, Any]) -> Any:
    item: type[PluginData] | None = meta.get("item")
    if item is not None:
        if not isinstance(value, list):
            raise RemoteProtocolError(f"{cls.__name__}: {key!r} must be a list", raw=value)
        return tuple(item.parse(v) for v in value)
    types = meta.get("types")
    if types is not None:
        ok = isinstance(value, types) and not (
            isinstance(value, bool) and bool not in _tuple(types)
        )
        if not ok:
            raise RemoteProtocolError(
                f"{cls.__name__}: {key!r} must be {_type_name(types)}, got {type(value).__name__}",
                raw=value,
            )
    if isinstance(value, list):
        return tuple(value)
    return value


@attrs.frozen(kw_only=True)
class GenericPluginData(PluginData):
    """A reply or event this library has no class for: all of it is in ``raw``."""

    plugin: str = ""


# -- event parsing -----------------------------------------------------------------------

Predicate = Callable[[Mapping[str, Any]], bool]


class PluginCodec:
    """Turns a plugin's pushed data into typed events.

    ``rules`` are tried in order: the first predicate that holds picks the class. Data no
    rule matches becomes :class:`GenericPluginData`, so a newer Janus never breaks parsing.
    """

    def __init__(
        self, plugin: str, rules: Iterable[tuple[Predicate, type[PluginData]]] = ()
    ) -> None:
        self.plugin = plugin
        self.rules: list[tuple[Predicate, type[PluginData]]] = list(rules)

    def __repr__(self) -> str:
        return f"<PluginCodec {self.plugin} ({len(self.rules)} rules)>"

    def parse_event(
        self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None
    ) -> PluginData:
        """The typed event for ``data``.

        Raises:
            RemoteProtocolError: a rule matched but the data does not fit its class.
        """
        if isinstance(data, Mapping):
            for predicate, cls in self.rules:
                if predicate(data):
                    return cls.parse(data, jsep)
        return GenericPluginData(raw=data, jsep=jsep, plugin=self.plugin)


def key_is(key: str, *values: Any) -> Predicate:
    """A predicate: ``data[key]`` is one of ``values`` (or merely present if none given)."""
    if not values:
        return lambda d: key in d
    return lambda d: d.get(key) in values


def has(*keys: str) -> Predicate:
    """A predicate: every one of ``keys`` is in the data."""
    return lambda d: all(k in d for k in keys)


def all_of(*predicates: Predicate) -> Predicate:
    """A predicate: every one of ``predicates`` holds."""
    return lambda d: all(p(d) for p in predicates)


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
