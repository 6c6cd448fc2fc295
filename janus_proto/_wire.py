"""Conversion between typed requests/events and Janus JSON, both directions.

Requests: :func:`encode_request` (what the client sends) and :func:`decode_request` (what a
server, such as :class:`janus_proto.testing.FakeJanus`, reads). Events:
:func:`decode_pushed` and the field readers used by the connection, and
:func:`encode_event` for servers and round-trip tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._events import (
    AdminResponse,
    Event,
    HandleAttached,
    HandleDetached,
    HandleEvent,
    HungUp,
    MediaChanged,
    PluginEvent,
    PluginReply,
    PluginRequestFailed,
    Pong,
    RequestFailed,
    RequestSucceeded,
    ServerInfo,
    SessionCreated,
    SessionTimedOut,
    SlowLink,
    StrayReply,
    TrickleReceived,
    UnknownMessage,
    WebRTCUp,
)
from ._requests import (
    _MAX_ID,
    ADMIN_REQUESTS,
    CORE_REQUESTS,
    Attach,
    Candidate,
    KeepAlive,
    Message,
    Request,
    Trickle,
)

__all__ = [
    "Malformed",
    "encode_request",
    "decode_request",
    "decode_pushed",
    "encode_event",
    "PUSHED_TYPES",
]

#: Reply envelope keys that are not payload.
_ENVELOPE = frozenset({"janus", "transaction", "session_id", "sender"})


class Malformed(Exception):
    """Internal: a message that does not have the shape its type requires."""


# -- requests ----------------------------------------------------------------------------


def _wire_name(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("wire", field.name))


#: Per request class: (attribute, wire key) of each field, in order.
_FIELD_PLANS: dict[type[Request], tuple[tuple[str, str], ...]] = {}


def _field_plan(cls: type[Request]) -> tuple[tuple[str, str], ...]:
    return tuple((field.name, _wire_name(field)) for field in attrs.fields(cls))


def encode_request(
    request: Request,
    transaction: str,
    *,
    api_secret: str | None = None,
    token: str | None = None,
    admin_secret: str | None = None,
) -> dict[str, Any]:
    """The JSON object for ``request`` with ``transaction`` and the credentials it needs.

    ``token`` is not added to an :class:`Attach` that carries its own.
    """
    cls = type(request)
    if cls is Message:
        assert isinstance(request, Message)
        return encode_message(request, transaction, api_secret, token)
    out: dict[str, Any] = {"janus": request.VERB, "transaction": transaction}
    if cls is Trickle:
        assert isinstance(request, Trickle)
        out["session_id"] = request.session_id
        out["handle_id"] = request.handle_id
        _encode_trickle(request, out)
    else:
        plan = _FIELD_PLANS.get(cls)
        if plan is None:
            plan = _FIELD_PLANS[cls] = _field_plan(cls)
        for name, key in plan:
            value = getattr(request, name)
            if value is None:
                continue
            out[key] = list(value) if isinstance(value, tuple) else value
    if request.NEEDS_AUTH:
        if request.ADMIN:
            if admin_secret is not None:
                out["admin_secret"] = admin_secret
        else:
            if api_secret is not None:
                out["apisecret"] = api_secret
            if token is not None and "token" not in out:
                out["token"] = token
    return out


def encode_message(
    request: Message, transaction: str, api_secret: str | None, token: str | None
) -> dict[str, Any]:
    """:func:`encode_request` of a :class:`Message` (the most frequent request), with no
    field plan to walk: the same object, key for key."""
    out: dict[str, Any] = {
        "janus": "message",
        "transaction": transaction,
        "session_id": request.session_id,
        "handle_id": request.handle_id,
        "body": request.body,
    }
    if request.jsep is not None:
        out["jsep"] = request.jsep
    if api_secret is not None:
        out["apisecret"] = api_secret
    if token is not None:
        out["token"] = token
    return out


def _encode_trickle(request: Trickle, out: dict[str, Any]) -> None:
    items = [c.to_json() for c in request.candidates]
    if len(items) == 1 and not request.completed:
        out["candidate"] = items[0]
    elif not items:
        out["candidate"] = {"completed": True}
    else:
        if request.completed:
            items.append({"completed": True})
        out["candidates"] = items


def decode_request(obj: Mapping[str, Any], *, admin: bool = False) -> tuple[Request, str]:
    """Read a request object as a server would; returns the request and its transaction.

    Credentials (``apisecret``, ``admin_secret``, and ``token`` except where it is a field
    of the request) are not part of the result. Unknown keys are ignored.

    Raises:
        ValueError: unknown verb, or fields of the wrong type (the message says which).
        TypeError: idem, from the request's own validation.
    """
    verb = obj.get("janus")
    transaction = obj.get("transaction")
    if not isinstance(transaction, str):
        raise TypeError("transaction missing or not a string")
    table = ADMIN_REQUESTS if admin else CORE_REQUESTS
    cls = table.get(verb) if isinstance(verb, str) else None
    if cls is None:
        raise ValueError(f"unknown request {verb!r}")
    kwargs: dict[str, Any] = {}
    if cls is Trickle:
        kwargs["session_id"] = obj.get("session_id")
        kwargs["handle_id"] = obj.get("handle_id")
        raw = obj["candidates"] if "candidates" in obj else [obj.get("candidate")]
        if not isinstance(raw, list):
            raise TypeError("candidates must be a list")
        cands = []
        for item in raw:
            if item is None or (isinstance(item, Mapping) and item.get("completed") is True):
                kwargs["completed"] = True
            else:
                cands.append(_decode_candidate(item))
        kwargs["candidates"] = tuple(cands)
    else:
        for field in attrs.fields(cls):
            key = _wire_name(field)
            if key in obj:
                kwargs[field.name] = obj[key]
    return cls(**kwargs), transaction


def _decode_candidate(item: object) -> Candidate:
    if not isinstance(item, Mapping):
        raise TypeError("candidate must be an object")
    text: Any = item.get("candidate")
    return Candidate(
        candidate=text, sdp_mid=item.get("sdpMid"), sdp_mline_index=item.get("sdpMLineIndex")
    )


# -- reading fields ----------------------------------------------------------------------


def req_int(msg: Mapping[str, Any], key: str) -> int:
    value = msg.get(key)
    if type(value) is not int:
        raise Malformed(f"{key!r} must be an integer, got {value!r}")
    return value


def req_id(msg: Mapping[str, Any], key: str) -> int:
    """A session or handle id: an integer in 1..2**64-1 (what requests accept)."""
    value = req_int(msg, key)
    if not 1 <= value <= _MAX_ID:
        raise Malformed(f"{key!r} must be an id in 1..2**64-1, got {value!r}")
    return value


def opt_int(msg: Mapping[str, Any], key: str) -> int | None:
    value = msg.get(key)
    if value is not None and type(value) is not int:
        raise Malformed(f"{key!r} must be an integer, got {value!r}")
    return value


def req_str(msg: Mapping[str, Any], key: str) -> str:
    value = msg.get(key)
    if not isinstance(value, str):
        raise Malformed(f"{key!r} must be a string, got {value!r}")
    return value


def opt_str(msg: Mapping[str, Any], key: str) -> str | None:
    value = msg.get(key)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{key!r} must be a string, got {value!r}")
    return value


def opt_bool(msg: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = msg.get(key, default)
    if type(value) is not bool:
        raise Malformed(f"{key!r} must be a boolean, got {value!r}")
    return value


def opt_obj(msg: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = msg.get(key)
    if value is not None and not isinstance(value, dict):
        raise Malformed(f"{key!r} must be an object, got {value!r}")
    return value


def plugindata(msg: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """``(plugin, data)`` of a message carrying ``plugindata``."""
    pd = opt_obj(msg, "plugindata")
    if pd is None:
        raise Malformed("'plugindata' missing")
    data = opt_obj(pd, "data")
    return req_str(pd, "plugin"), data if data is not None else {}


def plugin_error(data: Mapping[str, Any]) -> tuple[int, str] | None:
    """``(error_code, error)`` when plugin data reports an error, else None."""
    code = data.get("error_code")
    if code is None:
        return None
    if type(code) is not int:
        raise Malformed(f"'error_code' must be an integer, got {code!r}")
    error = data.get("error", "")
    return code, error if isinstance(error, str) else str(error)


def error_body(msg: Mapping[str, Any]) -> tuple[int, str]:
    """``(code, reason)`` of an ``error`` reply."""
    err = opt_obj(msg, "error")
    if err is None:
        raise Malformed("'error' missing")
    reason = err.get("reason", "")
    return req_int(err, "code"), reason if isinstance(reason, str) else str(reason)


def server_info(msg: dict[str, Any], transaction: str) -> ServerInfo:
    """A :class:`ServerInfo` from a ``server_info`` reply (missing fields tolerated)."""
    return ServerInfo(
        raw=msg,
        transaction=transaction,
        name=opt_str(msg, "name") or "",
        version=opt_int(msg, "version") or 0,
        version_string=opt_str(msg, "version_string") or "",
        session_timeout=opt_int(msg, "session-timeout"),
        reclaim_session_timeout=opt_int(msg, "reclaim-session-timeout"),
        candidates_timeout=opt_int(msg, "candidates-timeout"),
        api_secret=opt_bool(msg, "api_secret"),
        auth_token=opt_bool(msg, "auth_token"),
        full_trickle=opt_bool(msg, "full-trickle"),
        plugins=opt_obj(msg, "plugins") or {},
        transports=opt_obj(msg, "transports") or {},
    )


# -- pushed events -----------------------------------------------------------------------


def _trickle(msg: dict[str, Any], sid: int, hid: int) -> TrickleReceived:
    cand = msg.get("candidate")
    if cand is None or (isinstance(cand, dict) and cand.get("completed") is True):
        return TrickleReceived(raw=msg, session_id=sid, handle_id=hid, completed=True)
    if not isinstance(cand, dict):
        raise Malformed("'candidate' must be an object")
    try:
        candidate = _decode_candidate(cand)
    except (TypeError, ValueError) as exc:
        raise Malformed(f"bad trickled candidate: {exc}") from None
    return TrickleReceived(raw=msg, session_id=sid, handle_id=hid, candidate=candidate)


def handle_plugindata(msg: Mapping[str, Any]) -> tuple[int, int, str, dict[str, Any]]:
    """``(session_id, sender, plugin, data)`` of a plugin's event or reply.

    Raises:
        Malformed: one of them is missing or of the wrong type.
    """
    sid = msg.get("session_id")
    hid = msg.get("sender")
    pd = msg.get("plugindata")
    # The usual shape, checked at once (plugin events are the most frequent messages)...
    if type(sid) is int and type(hid) is int and type(pd) is dict:
        plugin = pd.get("plugin")
        data = pd.get("data")
        if type(plugin) is str and type(data) is dict:
            return sid, hid, plugin, data
    # ...anything else by the field readers: they accept what is usable, name what is not.
    sid = req_int(msg, "session_id")
    hid = req_int(msg, "sender")
    plugin, data = plugindata(msg)
    return sid, hid, plugin, data


def plugin_event(msg: dict[str, Any], transaction: str | None) -> PluginEvent:
    """The event for a pushed ``event`` message.

    Raises:
        Malformed: the message lacks what a plugin event needs.
    """
    sid, hid, plugin, data = handle_plugindata(msg)
    return PluginEvent(
        raw=msg,
        session_id=sid,
        handle_id=hid,
        plugin=plugin,
        data=data,
        jsep=opt_obj(msg, "jsep"),
        transaction=transaction,
    )


def decode_pushed(janus: str, msg: dict[str, Any], transaction: str | None) -> Event:
    """The event for an unsolicited message of type ``janus`` (not a reply).

    Raises:
        Malformed: the message lacks what its type needs.
    """
    if janus == "timeout":
        return SessionTimedOut(raw=msg, session_id=req_int(msg, "session_id"))
    if janus not in PUSHED_TYPES:
        return UnknownMessage(raw=msg, janus=janus)
    if janus == "event":
        return plugin_event(msg, transaction)
    sid = req_int(msg, "session_id")
    hid = req_int(msg, "sender")
    if janus == "webrtcup":
        return WebRTCUp(raw=msg, session_id=sid, handle_id=hid)
    if janus == "media":
        return MediaChanged(
            raw=msg,
            session_id=sid,
            handle_id=hid,
            type=req_str(msg, "type"),
            receiving=opt_bool(msg, "receiving"),
            mid=opt_str(msg, "mid"),
            substream=opt_int(msg, "substream"),
            seconds=opt_int(msg, "seconds"),
        )
    if janus == "slowlink":
        return SlowLink(
            raw=msg,
            session_id=sid,
            handle_id=hid,
            media=req_str(msg, "media"),
            uplink=opt_bool(msg, "uplink"),
            lost=opt_int(msg, "lost") or 0,
            mid=opt_str(msg, "mid"),
        )
    if janus == "hangup":
        return HungUp(raw=msg, session_id=sid, handle_id=hid, reason=opt_str(msg, "reason") or "")
    if janus == "detached":
        return HandleDetached(raw=msg, session_id=sid, handle_id=hid)
    return _trickle(msg, sid, hid)


#: Pushed message types that concern one handle.
PUSHED_TYPES = frozenset(
    {"event", "webrtcup", "media", "slowlink", "hangup", "detached", "trickle"}
)


# -- encoding events (servers, tests) ----------------------------------------------------


def encode_event(event: Event, request: Request | None = None) -> dict[str, Any]:
    """The JSON Janus would send for ``event``.

    ``request`` is the request a :class:`RequestSucceeded` answers (it picks ``ack`` for
    keepalive and trickle, ``success`` otherwise).

    Raises:
        ValueError: the event is one the core makes locally (timeouts, aborts...).
    """
    match event:
        case SessionCreated():
            return {
                "janus": "success",
                "transaction": event.transaction,
                "data": {"id": event.session_id},
            }
        case HandleAttached():
            return {
                "janus": "success",
                "session_id": event.session_id,
                "transaction": event.transaction,
                "data": {"id": event.handle_id},
            }
        case ServerInfo():
            info = dict(event.raw)
            info.update(
                {
                    "janus": "server_info",
                    "transaction": event.transaction,
                    "name": event.name,
                    "version": event.version,
                    "version_string": event.version_string,
                    "api_secret": event.api_secret,
                    "auth_token": event.auth_token,
                    "full-trickle": event.full_trickle,
                    "plugins": dict(event.plugins),
                    "transports": dict(event.transports),
                }
            )
            for key, value in (
                ("session-timeout", event.session_timeout),
                ("reclaim-session-timeout", event.reclaim_session_timeout),
                ("candidates-timeout", event.candidates_timeout),
            ):
                if value is None:
                    info.pop(key, None)
                else:
                    info[key] = value
            return info
        case Pong():
            return {"janus": "pong", "transaction": event.transaction}
        case RequestSucceeded():
            acked = isinstance(request, (KeepAlive, Trickle))
            out: dict[str, Any] = {
                "janus": "ack" if acked else "success",
                "transaction": event.transaction,
            }
            sid = getattr(request, "session_id", None)
            if sid is not None:
                out["session_id"] = sid
            if event.hint is not None:
                out["hint"] = event.hint
            return out
        case PluginReply():
            out = {
                "janus": "success" if event.sync else "event",
                "session_id": event.session_id,
                "transaction": event.transaction,
                "sender": event.handle_id,
                "plugindata": {"plugin": event.plugin, "data": dict(event.data)},
            }
            if event.jsep is not None:
                out["jsep"] = dict(event.jsep)
            return out
        case PluginRequestFailed():
            data = dict(event.data)
            data.update(error_code=event.error_code, error=event.error)
            return {
                "janus": "event",
                "session_id": event.session_id,
                "transaction": event.transaction,
                "sender": event.handle_id,
                "plugindata": {"plugin": event.plugin, "data": data},
            }
        case AdminResponse():
            out = dict(event.data)
            out.update(janus="success", transaction=event.transaction)
            return out
        case RequestFailed():
            out = {
                "janus": "error",
                "transaction": event.transaction,
                "error": {"code": event.code, "reason": event.reason},
            }
            sid = getattr(request, "session_id", None)
            if sid is not None:
                out["session_id"] = sid
            return out
        case PluginEvent():
            out = {
                "janus": "event",
                "session_id": event.session_id,
                "sender": event.handle_id,
                "plugindata": {"plugin": event.plugin, "data": dict(event.data)},
            }
            if event.transaction is not None:
                out["transaction"] = event.transaction
            if event.jsep is not None:
                out["jsep"] = dict(event.jsep)
            return out
        case SessionTimedOut():
            return {"janus": "timeout", "session_id": event.session_id}
        case UnknownMessage() | StrayReply():
            return dict(event.raw)
        case HandleEvent():
            return _encode_handle_event(event)
    raise ValueError(f"{type(event).__name__} is made by the client; Janus never sends it")


def _encode_handle_event(event: HandleEvent) -> dict[str, Any]:
    out: dict[str, Any] = {"session_id": event.session_id, "sender": event.handle_id}
    match event:
        case WebRTCUp():
            out["janus"] = "webrtcup"
        case MediaChanged():
            out.update(janus="media", type=event.type, receiving=event.receiving)
            for key in ("mid", "substream", "seconds"):
                if getattr(event, key) is not None:
                    out[key] = getattr(event, key)
        case SlowLink():
            out.update(janus="slowlink", media=event.media, uplink=event.uplink, lost=event.lost)
            if event.mid is not None:
                out["mid"] = event.mid
        case HungUp():
            out.update(janus="hangup", reason=event.reason)
        case HandleDetached():
            out["janus"] = "detached"
        case TrickleReceived():
            out["janus"] = "trickle"
            out["candidate"] = (
                {"completed": True} if event.candidate is None else event.candidate.to_json()
            )
        case _:
            raise ValueError(f"{type(event).__name__} is made by the client; Janus never sends it")
    return out


def admin_data(msg: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of an admin ``success`` reply."""
    return {k: v for k, v in msg.items() if k not in _ENVELOPE}


def attach_reply(msg: Mapping[str, Any], transaction: str, request: Attach) -> HandleAttached:
    data = opt_obj(msg, "data")
    if data is None:
        raise Malformed("'data' missing")
    return HandleAttached(
        raw=msg,
        transaction=transaction,
        session_id=request.session_id,
        handle_id=req_id(data, "id"),
        plugin=request.plugin,
    )


def sync_plugin_reply(
    msg: dict[str, Any], transaction: str, sync: bool
) -> PluginReply | PluginRequestFailed:
    """The outcome of a message from its ``success`` (sync) or ``event`` (async) answer."""
    sid, hid, plugin, data = handle_plugindata(msg)
    err = plugin_error(data)
    if err is not None:
        return PluginRequestFailed(
            raw=msg,
            transaction=transaction,
            session_id=sid,
            handle_id=hid,
            plugin=plugin,
            error_code=err[0],
            error=err[1],
            data=data,
        )
    return PluginReply(
        raw=msg,
        transaction=transaction,
        session_id=sid,
        handle_id=hid,
        plugin=plugin,
        data=data,
        jsep=opt_obj(msg, "jsep"),
        sync=sync,
    )


def request_failed(msg: dict[str, Any], transaction: str) -> RequestFailed:
    code, reason = error_body(msg)
    return RequestFailed(raw=msg, transaction=transaction, code=code, reason=reason)
