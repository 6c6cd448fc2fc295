"""Rule predicates that can be read, and the dispatch index :class:`PluginCodec` builds
from them.

A codec's rules are tried in order and the first that holds picks the event class. Trying
every rule for every event is slow (the VideoRoom codec has 30), so the predicates made by
:func:`key_is`, :func:`has`, :func:`has_any`, :func:`all_of` and :func:`in_result` say what
they test, and the codec indexes them:

1. the *dispatch path* is the key (or ``result`` key) most rules compare to values, e.g.
   ``videoroom``; each of its values gets the rules that can hold with it (the others get
   the rules that test no value there);
2. within that, the top-level keys an event has (its *shape*) settle every test of a key's
   presence; what remains of each rule (its *residual*: a value test elsewhere, a
   predicate of your own) is evaluated in order, as before.

So the first rule that holds is still the one picked, and a predicate of your own (any
callable) still works: it is kept as it is and called at its place in the order. The
residuals of a shape are computed the first time an event of that shape comes, and kept
(at most :data:`MAX_SHAPES` per dispatch value; other shapes are worked out each time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["Predicate", "all_of", "has", "has_any", "in_result", "key_is", "result_of"]

Predicate = Callable[[Mapping[str, Any]], bool]

#: Shapes (key tuples) whose residual rules are kept, per dispatch value.
MAX_SHAPES = 256


def result_of(data: Any) -> Mapping[str, Any]:
    """The ``result`` object of plugin data (``{}`` when there is none, or it is not an
    object, or ``data`` itself is not)."""
    result = data.get("result") if type(data) is dict or isinstance(data, Mapping) else None
    return result if type(result) is dict or isinstance(result, Mapping) else {}


# -- readable predicates ----------------------------------------------------------------


class _Rule:
    """A predicate made by this module: callable like any, and readable by the index.

    ``test`` is the plain function it runs (the index calls it directly).
    """

    __slots__ = ("test",)

    def __init__(self, test: Predicate) -> None:
        self.test = test

    def __call__(self, data: Mapping[str, Any]) -> bool:
        return self.test(data)


class _KeyIs(_Rule):
    __slots__ = ("constrains", "key", "values")

    def __init__(self, key: str, values: tuple[Any, ...]) -> None:
        self.key, self.values = key, values
        #: It compares to values the index can look up (hashable ones).
        self.constrains = bool(values) and _hashable(values)
        if values:
            super().__init__(lambda d: d.get(key) in values)
        else:
            super().__init__(lambda d: key in d)

    def __repr__(self) -> str:
        return f"key_is{(self.key, *self.values)!r}"


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Has(_Rule):
    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        super().__init__(lambda d: all(k in d for k in keys))

    def __repr__(self) -> str:
        return f"has{self.keys!r}"


class _HasAny(_Rule):
    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        super().__init__(lambda d: any(k in d for k in keys))

    def __repr__(self) -> str:
        return f"has_any{self.keys!r}"


class _AllOf(_Rule):
    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Predicate, ...]) -> None:
        self.parts = parts
        super().__init__(lambda d: all(p(d) for p in parts))

    def __repr__(self) -> str:
        return f"all_of{self.parts!r}"


class _InResult(_Rule):
    __slots__ = ("inner",)

    def __init__(self, inner: Predicate) -> None:
        self.inner = inner
        super().__init__(lambda d: inner(result_of(d)))

    def __repr__(self) -> str:
        return f"in_result({self.inner!r})"


def key_is(key: str, *values: Any) -> Predicate:
    """A predicate: ``data[key]`` is one of ``values`` (or merely present if none given)."""
    return _KeyIs(key, values)


def has(*keys: str) -> Predicate:
    """A predicate: every one of ``keys`` is in the data."""
    return _Has(keys)


def has_any(*keys: str) -> Predicate:
    """A predicate: at least one of ``keys`` is in the data."""
    return _HasAny(keys)


def all_of(*predicates: Predicate) -> Predicate:
    """A predicate: every one of ``predicates`` holds."""
    return _AllOf(predicates)


def in_result(predicate: Predicate) -> Predicate:
    """A predicate: ``predicate`` holds for the ``result`` object of the data
    (:func:`result_of`), e.g. ``in_result(key_is("event", "registered"))``."""
    return _InResult(predicate)


# -- the index --------------------------------------------------------------------------

#: A path to a value: top-level key, or ``result`` keys then the key (from in_result).
Path = tuple[str, ...]
#: A rule made ready for one dispatch value and shape: its residual (None: it holds).
Entry = tuple[Predicate | None, Any]
#: A codec's rule: (predicate, class).
Rule = tuple[Predicate, Any]


class _Other:
    """The dispatch value of an event whose value at the path no rule compares to."""

    def __repr__(self) -> str:
        return "<other>"


_OTHER = _Other()


def _comparisons(pred: Predicate, prefix: Path) -> Iterable[tuple[Path, tuple[Any, ...]]]:
    """The value comparisons ``pred`` requires to hold: (path, values) pairs."""
    match pred:
        case _KeyIs(constrains=True):
            yield (*prefix, pred.key), pred.values
        case _AllOf():
            for part in pred.parts:
                yield from _comparisons(part, prefix)
        case _InResult():
            yield from _comparisons(pred.inner, (*prefix, "result"))


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda d: a(d) and b(d)


def _every(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda d: all(p(d) for p in parts)


def _inside(inner: Predicate) -> Predicate:
    return lambda d: inner(result_of(d))


class _Known:
    """What is known of an event: its value at the dispatch path, and (when given) its
    top-level keys."""

    __slots__ = ("keys", "path", "value")

    def __init__(self, path: Path | None, value: Any, keys: frozenset[Any] | None) -> None:
        self.path, self.value, self.keys = path, value, keys

    def simplify(self, pred: Predicate, prefix: Path = ()) -> bool | Predicate:
        """``pred`` with what is known settled: True, False, or what remains to test."""
        keys = self.keys if not prefix else None
        match pred:
            case _KeyIs(constrains=True) if (*prefix, pred.key) == self.path:
                return self.value is not _OTHER and self.value in pred.values
            case _KeyIs() if keys is not None and not pred.values:
                return pred.key in keys
            case _KeyIs() if keys is not None and pred.key not in keys:
                return None in pred.values  # d.get(key) is None
            case _Has() if keys is not None:
                return all(k in keys for k in pred.keys)
            case _HasAny() if keys is not None:
                return any(k in keys for k in pred.keys)
            case _AllOf():
                return self._simplify_all(pred.parts, prefix)
            case _InResult():
                rest = self.simplify(pred.inner, (*prefix, "result"))
                return rest if isinstance(rest, bool) else _inside(rest)
            case _Rule():
                return pred.test
        return pred  # a predicate of one's own: tested as it is

    def _simplify_all(self, parts: tuple[Predicate, ...], prefix: Path) -> bool | Predicate:
        rests: list[Predicate] = []
        for part in parts:
            rest = self.simplify(part, prefix)
            if rest is False:
                return False
            if rest is not True:
                rests.append(rest)
        if not rests:
            return True
        if len(rests) == 1:
            return rests[0]
        return _both(*rests) if len(rests) == 2 else _every(tuple(rests))


class _Bucket:
    """The rules that can hold for one dispatch value, and their residuals by shape."""

    __slots__ = ("path", "rules", "shapes", "value")

    def __init__(self, path: Path | None, value: Any, rules: list[Rule]) -> None:
        known = _Known(path, value, None)
        self.path, self.value = path, value
        self.rules = [(p, cls) for p, cls in rules if known.simplify(p) is not False]
        self.shapes: dict[tuple[Any, ...], tuple[Entry, ...]] = {}

    def entries(self, shape: tuple[Any, ...]) -> tuple[Entry, ...]:
        """The rules to try, in order, for an event with these top-level keys."""
        known = _Known(self.path, self.value, frozenset(shape))
        out: list[Entry] = []
        for pred, cls in self.rules:
            rest = known.simplify(pred)
            if rest is False:
                continue
            out.append((None if rest is True else rest, cls))
            if rest is True:
                break  # it always holds: the ones after it are never reached
        entries = tuple(out)
        if len(self.shapes) < MAX_SHAPES:
            self.shapes[shape] = entries
        return entries


class Index:
    """The dispatch index of a codec's rules (see the module docstring).

    Attributes:
        path: the dispatch path (None: no rule compares a value; one bucket).
        buckets: the bucket of each value compared at the path.
        other: the bucket of any other value.
    """

    __slots__ = ("buckets", "other", "path")

    def __init__(self, rules: Iterable[Rule]) -> None:
        rules = list(rules)
        counts: dict[Path, int] = {}
        for pred, _ in rules:
            for path in {path for path, _ in _comparisons(pred, ())}:
                counts[path] = counts.get(path, 0) + 1
        self.path: Path | None = max(counts, key=counts.__getitem__) if counts else None
        values: dict[Any, None] = {}
        for pred, _ in rules:
            for path, compared in _comparisons(pred, ()):
                if path == self.path:
                    values.update(dict.fromkeys(compared))
        self.buckets = {value: _Bucket(self.path, value, rules) for value in values}
        self.other = _Bucket(self.path, _OTHER, rules)

    def value_at(self, data: Mapping[str, Any]) -> Any:
        """The event's value at the dispatch path (None where it has none)."""
        path = self.path
        assert path is not None
        for _ in path[:-1]:
            data = result_of(data)
        return data.get(path[-1])
