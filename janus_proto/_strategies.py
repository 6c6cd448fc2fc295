"""Hypothesis strategies for janus_proto (``janus_proto.testing.strategies``).

Needs hypothesis (``pip install janus-client[testing]``).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from . import _events as ev
from . import _requests as rq
from ._wire import encode_event

__all__ = [
    "ids",
    "candidates",
    "core_requests",
    "admin_requests",
    "requests",
    "json_values",
    "pushed_events",
    "server_messages",
    "garbage",
]

_MAX_ID = 2**64 - 1


def ids() -> st.SearchStrategy[int]:
    """Session/handle ids: small, typical (> 2**53) and extreme."""
    return st.one_of(st.integers(1, 1000), st.integers(2**53, _MAX_ID), st.just(_MAX_ID))


_TEXT = st.text(min_size=1, max_size=20)
_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


def json_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value."""
    return st.recursive(
        _JSON_SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def _objects() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.text(max_size=10), json_values(8), max_size=4)


def candidates() -> st.SearchStrategy[rq.Candidate]:
    return st.one_of(
        st.builds(
            rq.Candidate,
            candidate=_TEXT,
            sdp_mid=_TEXT,
            sdp_mline_index=st.none() | st.integers(0, 10),
        ),
        st.builds(rq.Candidate, candidate=_TEXT, sdp_mline_index=st.integers(0, 10)),
    )


def _trickles() -> st.SearchStrategy[rq.Trickle]:
    return st.one_of(
        st.builds(
            rq.Trickle,
            session_id=ids(),
            handle_id=ids(),
            candidates=st.lists(candidates(), min_size=1, max_size=3).map(tuple),
            completed=st.booleans(),
        ),
        st.builds(rq.Trickle, session_id=ids(), handle_id=ids(), completed=st.just(True)),
    )


def core_requests() -> st.SearchStrategy[rq.Request]:
    """Every Janus API request, with valid random fields."""
    opt_text = st.none() | _TEXT
    return st.one_of(
        st.builds(rq.Info),
        st.builds(rq.Ping),
        st.builds(rq.Create, id=st.none() | ids()),
        st.builds(
            rq.Attach,
            session_id=ids(),
            plugin=_TEXT,
            opaque_id=opt_text,
            loop_index=st.none() | st.integers(0, 8),
            token=opt_text,
        ),
        st.builds(
            rq.Message,
            session_id=ids(),
            handle_id=ids(),
            body=_objects(),
            jsep=st.none() | _objects(),
        ),
        _trickles(),
        st.builds(rq.KeepAlive, session_id=ids()),
        st.builds(rq.Claim, session_id=ids()),
        st.builds(rq.Hangup, session_id=ids(), handle_id=ids()),
        st.builds(rq.Detach, session_id=ids(), handle_id=ids()),
        st.builds(rq.Destroy, session_id=ids()),
    )


def _admin_build(cls: type[rq.Request]) -> st.SearchStrategy[rq.Request]:
    import attrs

    kinds: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        name, typ = field.name, str(field.type)
        if name in ("session_id", "handle_id"):
            strategy: st.SearchStrategy[Any] = ids()
        elif "Mapping" in typ:
            strategy = _objects()
        elif "Sequence[str]" in typ:
            strategy = st.lists(_TEXT, min_size=1, max_size=3).map(tuple)
        elif typ.startswith("bool"):
            strategy = st.booleans()
        elif typ.startswith("int"):
            strategy = st.integers(-1, 10_000)
        else:
            strategy = _TEXT
        if field.default is None:
            strategy = st.none() | strategy
        kinds[name] = strategy
    return st.builds(cls, **kinds)


def admin_requests() -> st.SearchStrategy[rq.Request]:
    """Every Admin/Monitor API request, with valid random fields."""
    return st.one_of([_admin_build(cls) for cls in rq.ADMIN_REQUESTS.values()])


def requests() -> st.SearchStrategy[rq.Request]:
    return st.one_of(core_requests(), admin_requests())


def pushed_events(
    session_id: st.SearchStrategy[int] | None = None,
    handle_id: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[ev.Event]:
    """Events Janus pushes (for encode/decode round trips)."""
    sid = session_id if session_id is not None else ids()
    hid = handle_id if handle_id is not None else ids()
    opt_text = st.none() | _TEXT
    jsep = st.none() | st.fixed_dictionaries(
        {"type": st.sampled_from(["offer", "answer"]), "sdp": st.text(max_size=30)}
    )
    return st.one_of(
        st.builds(
            ev.PluginEvent,
            session_id=sid,
            handle_id=hid,
            plugin=_TEXT,
            data=_objects(),
            jsep=jsep,
            transaction=opt_text,
        ),
        st.builds(ev.WebRTCUp, session_id=sid, handle_id=hid),
        st.builds(
            ev.MediaChanged,
            session_id=sid,
            handle_id=hid,
            type=st.sampled_from(["audio", "video"]),
            receiving=st.booleans(),
            mid=opt_text,
            substream=st.none() | st.integers(0, 2),
            seconds=st.none() | st.integers(0, 60),
        ),
        st.builds(
            ev.SlowLink,
            session_id=sid,
            handle_id=hid,
            media=st.sampled_from(["audio", "video"]),
            uplink=st.booleans(),
            lost=st.integers(0, 1000),
            mid=opt_text,
        ),
        st.builds(ev.HungUp, session_id=sid, handle_id=hid, reason=st.text(max_size=20)),
        st.builds(ev.HandleDetached, session_id=sid, handle_id=hid),
        st.builds(ev.TrickleReceived, session_id=sid, handle_id=hid, candidate=candidates()),
        st.builds(ev.TrickleReceived, session_id=sid, handle_id=hid, completed=st.just(True)),
        st.builds(ev.SessionTimedOut, session_id=sid),
    )


@st.composite
def server_messages(
    draw: st.DrawFn, transactions: st.SearchStrategy[str] | None = None
) -> dict[str, Any]:
    """Well-formed messages Janus may send, with unknown extra fields sprinkled in."""
    txn = draw(transactions if transactions is not None else st.text(max_size=6))
    kind = draw(
        st.sampled_from(["pushed", "ack", "success", "error", "pong", "keepalive", "unknown"])
    )
    if kind == "pushed":
        msg = encode_event(draw(pushed_events()))
    elif kind == "error":
        msg = {
            "janus": "error",
            "transaction": txn,
            "error": {"code": draw(st.integers(400, 499)), "reason": draw(_TEXT)},
        }
    elif kind == "keepalive":
        msg = {"janus": "keepalive"}
    elif kind == "unknown":
        msg = {"janus": draw(_TEXT.filter(lambda s: s not in _KNOWN)), "transaction": txn}
    else:
        msg = {"janus": kind, "transaction": txn}
    extra = draw(
        st.dictionaries(
            st.text(min_size=1, max_size=8).filter(lambda k: k not in msg),
            json_values(4),
            max_size=2,
        )
    )
    return {**msg, **extra}


_KNOWN = frozenset(
    {
        "event",
        "webrtcup",
        "media",
        "slowlink",
        "hangup",
        "detached",
        "trickle",
        "timeout",
        "ack",
        "success",
        "error",
        "server_info",
        "pong",
        "keepalive",
    }
)


def garbage() -> st.SearchStrategy[str | bytes]:
    """Anything a broken or hostile server could send."""
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        json_values().map(json.dumps),
        st.lists(json_values(6), max_size=4).map(json.dumps),
    )
