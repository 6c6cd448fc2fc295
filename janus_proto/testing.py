"""Test helpers for code built on janus_proto: a sans-IO fake Janus and hypothesis strategies.

:class:`FakeJanus` answers what a :class:`~janus_proto.JanusConnection` sends the way Janus
1.1.2 does (see ``janus-api.md``), with deterministic ids and scriptable faults: errors,
silence, held replies, events before acks, 458 on claim, restarts and session expiry::

    conn, janus = JanusConnection(), FakeJanus()
    conn.connection_made(now=0.0)
    conn.send(Create(), now=0.0)
    for out in conn.requests_to_send():
        janus.receive(out.text)
    for text in janus.messages_to_client():
        conn.receive_message(text, now=0.0)

``janus_proto.testing.strategies`` (hypothesis, imported on first use) generates requests,
server messages and garbage for property tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from itertools import count
from typing import Any

import attrs

from ._requests import ADMIN_REQUESTS, CORE_REQUESTS

__all__ = ["FakeJanus", "PluginBehaviour", "EchoTest", "VideoRoom", "PluginResult"]


@attrs.frozen(kw_only=True)
class PluginResult:
    """What a fake plugin does with one message.

    ``sync`` answers in the ``success`` reply; otherwise Janus acks and sends ``events``
    (data, jsep) tagged with the request's transaction.
    """

    sync: Mapping[str, Any] | None = None
    events: tuple[tuple[Mapping[str, Any], Mapping[str, Any] | None], ...] = ()


#: A fake plugin: (body, jsep) -> what it answers.
PluginBehaviour = Callable[[Mapping[str, Any], "Mapping[str, Any] | None"], PluginResult]


def EchoTest(body: Mapping[str, Any], jsep: Mapping[str, Any] | None) -> PluginResult:
    """Like ``janus.plugin.echotest``: asynchronous, ``result: ok``, answers an offer."""
    for key in ("audio", "video", "record"):
        if key in body and not isinstance(body[key], bool):
            return PluginResult(
                events=(
                    (
                        {
                            "echotest": "event",
                            "error_code": 413,
                            "error": f"Invalid element type ({key} should be a boolean)",
                        },
                        None,
                    ),
                )
            )
    answer = None
    if jsep is not None and jsep.get("type") == "offer":
        answer = {"type": "answer", "sdp": "v=0\r\n(fake answer)\r\n"}
    return PluginResult(events=(({"echotest": "event", "result": "ok"}, answer),))


class VideoRoom:
    """Like ``janus.plugin.videoroom``, for room management (sync) and ``join`` (async)."""

    def __init__(self) -> None:
        self.rooms: dict[int, dict[str, Any]] = {1234: {"description": "Demo Room"}}
        self._ids = count(1000)

    def __call__(self, body: Mapping[str, Any], jsep: Mapping[str, Any] | None) -> PluginResult:
        request = body.get("request")
        room = body.get("room")
        if request == "exists":
            return PluginResult(
                sync={"videoroom": "success", "room": room, "exists": room in self.rooms}
            )
        if request == "list":
            return PluginResult(
                sync={
                    "videoroom": "success",
                    "list": [{"room": r, **info} for r, info in self.rooms.items()],
                }
            )
        if request == "create":
            if not isinstance(room, int):
                room = next(self._ids)
            if room in self.rooms:
                return _vr_error(427, f"Room {room} already exists")
            self.rooms[room] = {"description": body.get("description", "")}
            return PluginResult(sync={"videoroom": "created", "room": room, "permanent": False})
        if room not in self.rooms:
            return _vr_error(426, f"No such room ({room})")
        if request == "destroy":
            del self.rooms[room]
            return PluginResult(sync={"videoroom": "destroyed", "room": room, "permanent": False})
        if request == "join":
            return PluginResult(
                events=(
                    (
                        {
                            "videoroom": "joined",
                            "room": room,
                            "id": next(self._ids),
                            "publishers": [],
                        },
                        None,
                    ),
                )
            )
        return _vr_error(423, f"Unknown request '{request}'")


def _vr_error(code: int, error: str) -> PluginResult:
    return PluginResult(sync={"videoroom": "event", "error_code": code, "error": error})


def _default_plugins() -> dict[str, PluginBehaviour]:
    return {"janus.plugin.echotest": EchoTest, "janus.plugin.videoroom": VideoRoom()}


class FakeJanus:
    """A fake Janus 1.1.2 for one client connection, without any I/O.

    Feed it the client's request texts with :meth:`receive`; take what Janus would send
    with :meth:`messages_to_client`. Sessions survive :meth:`disconnect` (as with
    ``reclaim_session_timeout``) until :meth:`restart`.
    """

    def __init__(
        self,
        *,
        admin: bool = False,
        api_secret: str | None = None,
        admin_secret: str | None = None,
        session_ids: Iterator[int] | None = None,
        handle_ids: Iterator[int] | None = None,
        plugins: Mapping[str, PluginBehaviour] | None = None,
        event_before_ack: bool = False,
        session_timeout: int = 60,
    ) -> None:
        self.admin = admin
        self.api_secret = api_secret
        self.admin_secret = admin_secret
        self._session_ids = session_ids if session_ids is not None else count(1_000_001)
        self._handle_ids = handle_ids if handle_ids is not None else count(2_000_001)
        self.plugins = dict(plugins) if plugins is not None else _default_plugins()
        #: Send asynchronous plugin events before their ``ack`` (Janus may).
        self.event_before_ack = event_before_ack
        self.session_timeout = session_timeout
        #: Live sessions and their handles (handle id -> plugin).
        self.sessions: dict[int, dict[int, str]] = {}
        #: Every request received, decoded: ``(verb, JSON object)``.
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.claim_fails = False
        self._out: list[str] = []
        self._held: list[str] = []
        self._holding = False
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._silenced: set[str] = set()

    # -- scripting ------------------------------------------------------------------------

    def fail_next(self, verb: str, code: int, reason: str = "scripted failure") -> None:
        """Answer the next request ``verb`` with a core error ``code``."""
        self._failures.setdefault(verb, []).append((code, reason))

    def silence(self, verb: str) -> None:
        """Never answer requests ``verb`` (until :meth:`unsilence`)."""
        self._silenced.add(verb)

    def unsilence(self, verb: str) -> None:
        self._silenced.discard(verb)

    def hold(self) -> None:
        """Keep every outgoing message back until :meth:`release` (a slow server)."""
        self._holding = True

    def release(self) -> None:
        self._holding = False
        self._out.extend(self._held)
        self._held.clear()

    def restart(self) -> None:
        """Forget every session, as a restarted Janus does (claims then get 458)."""
        self.sessions.clear()

    def disconnect(self) -> None:
        """The connection dropped: what was not delivered is lost."""
        self._out.clear()
        self._held.clear()

    def expire_session(self, session_id: int) -> None:
        """Time the session out: send ``timeout`` and forget it."""
        if self.sessions.pop(session_id, None) is not None:
            self._emit({"janus": "timeout", "session_id": session_id})

    def detach_remotely(self, session_id: int, handle_id: int) -> None:
        """The handle goes away on the server side (``detached`` event)."""
        handles = self.sessions.get(session_id)
        if handles is not None and handles.pop(handle_id, None) is not None:
            self._emit({"janus": "detached", "session_id": session_id, "sender": handle_id})

    def push(
        self,
        session_id: int,
        handle_id: int,
        data: Mapping[str, Any],
        jsep: Mapping[str, Any] | None = None,
    ) -> None:
        """An unsolicited plugin event for a handle."""
        plugin = self.sessions.get(session_id, {}).get(handle_id, "janus.plugin.echotest")
        msg: dict[str, Any] = {
            "janus": "event",
            "session_id": session_id,
            "sender": handle_id,
            "plugindata": {"plugin": plugin, "data": dict(data)},
        }
        if jsep is not None:
            msg["jsep"] = dict(jsep)
        self._emit(msg)

    def push_raw(self, obj: object) -> None:
        """Send anything (for robustness tests)."""
        self._emit(obj)

    # -- the exchange -----------------------------------------------------------------------

    def messages_to_client(self) -> list[str]:
        """What Janus sent since the last call, as JSON texts."""
        out, self._out = self._out, []
        return out

    def receive(self, text: str | bytes, path: str = "") -> None:
        """Take one request text from the client (``path``: the HTTP path, if any)."""
        try:
            msg = json.loads(text)
        except ValueError:
            self._emit({"janus": "error", "error": {"code": 454, "reason": "JSON error"}})
            return
        if not isinstance(msg, dict):
            self._emit({"janus": "error", "error": {"code": 455, "reason": "not an object"}})
            return
        verb, txn = msg.get("janus"), msg.get("transaction")
        if not isinstance(txn, str):
            self._emit(
                {
                    "janus": "error",
                    "error": {"code": 456, "reason": "Missing mandatory element (transaction)"},
                }
            )
            return
        self.received.append((str(verb), msg))
        if verb in self._silenced:
            return
        failures = self._failures.get(str(verb))
        if failures:
            code, reason = failures.pop(0)
            self._error(msg, code, reason)
            return
        table = ADMIN_REQUESTS if self.admin else CORE_REQUESTS
        if verb not in table:
            self._error(
                msg,
                457 if "session_id" not in msg else 453,
                f"Unhandled request '{verb}' at this path",
            )
            return
        if verb not in ("info", "ping") and not self._authorized(msg):
            self._error(msg, 403, "Unauthorized request (wrong or missing secret/token)")
            return
        if self.admin:
            self._admin(str(verb), msg)
        else:
            self._core(str(verb), msg)

    def _authorized(self, msg: Mapping[str, Any]) -> bool:
        if self.admin:
            return self.admin_secret is None or msg.get("admin_secret") == self.admin_secret
        return self.api_secret is None or msg.get("apisecret") == self.api_secret

    def _emit(self, obj: object) -> None:
        (self._held if self._holding else self._out).append(json.dumps(obj))

    def _reply(self, msg: Mapping[str, Any], janus: str, **fields: Any) -> None:
        out: dict[str, Any] = {"janus": janus}
        if "session_id" in msg and janus != "server_info":
            out["session_id"] = msg["session_id"]
        out["transaction"] = msg["transaction"]
        out.update(fields)
        self._emit(out)

    def _error(self, msg: Mapping[str, Any], code: int, reason: str) -> None:
        self._reply(msg, "error", error={"code": code, "reason": reason})

    def _core(self, verb: str, msg: dict[str, Any]) -> None:
        if verb == "info":
            self._reply(
                msg,
                "server_info",
                name="Janus WebRTC Server (fake)",
                version=1102,
                version_string="1.1.2",
                **{"session-timeout": self.session_timeout, "reclaim-session-timeout": 0},
                plugins={p: {} for p in self.plugins},
                transports={},
            )
            return
        if verb == "ping":
            self._reply(msg, "pong")
            return
        if verb == "create":
            sid = msg.get("id")
            if isinstance(sid, int) and sid in self.sessions:
                self._error(msg, 468, "Session ID already in use")
                return
            sid = sid if isinstance(sid, int) else next(self._session_ids)
            self.sessions[sid] = {}
            self._emit({"janus": "success", "transaction": msg["transaction"], "data": {"id": sid}})
            return
        sid = msg.get("session_id")
        handles = self.sessions.get(sid) if isinstance(sid, int) else None
        if handles is None or not isinstance(sid, int):
            self._error(msg, 458, f"No such session {sid}")
            return
        if verb in ("keepalive", "trickle"):
            if verb == "trickle" and msg.get("handle_id") not in handles:
                self._error(msg, 459, f"No such handle {msg.get('handle_id')}")
                return
            self._reply(msg, "ack")
        elif verb == "claim":
            if self.claim_fails:
                self._error(msg, 458, f"No such session {sid}")
            else:
                self._reply(msg, "success")
        elif verb == "destroy":
            del self.sessions[sid]
            self._reply(msg, "success")
        elif verb == "attach":
            plugin = msg.get("plugin")
            if plugin not in self.plugins:
                self._error(msg, 460, f"No such plugin '{plugin}'")
                return
            hid = next(self._handle_ids)
            handles[hid] = str(plugin)
            self._reply(msg, "success", data={"id": hid})
        else:
            self._handle_request(verb, msg, sid, handles)

    def _handle_request(
        self, verb: str, msg: dict[str, Any], sid: int, handles: dict[int, str]
    ) -> None:
        hid = msg.get("handle_id")
        plugin = handles.get(hid) if isinstance(hid, int) else None
        if plugin is None:
            self._error(msg, 459, f"No such handle {hid} in session {sid}")
            return
        if verb == "hangup":
            self._reply(msg, "success")
        elif verb == "detach":
            del handles[hid]  # type: ignore[arg-type]
            self._reply(msg, "success")
            self._emit({"janus": "detached", "session_id": sid, "sender": hid})
        else:  # message
            result = self.plugins[plugin](msg.get("body") or {}, msg.get("jsep"))
            if result.sync is not None:
                self._reply(
                    msg,
                    "success",
                    sender=hid,
                    plugindata={"plugin": plugin, "data": dict(result.sync)},
                )
                return
            events = []
            for data, jsep in result.events:
                event: dict[str, Any] = {
                    "janus": "event",
                    "session_id": sid,
                    "transaction": msg["transaction"],
                    "sender": hid,
                    "plugindata": {"plugin": plugin, "data": dict(data)},
                }
                if jsep is not None:
                    event["jsep"] = dict(jsep)
                events.append(event)
            if not self.event_before_ack:
                self._reply(msg, "ack")
            for event in events:
                self._emit(event)
            if self.event_before_ack:
                self._reply(msg, "ack")

    def _admin(self, verb: str, msg: dict[str, Any]) -> None:
        if verb == "info":
            self._reply(
                msg,
                "server_info",
                name="Janus WebRTC Server (fake)",
                version=1102,
                version_string="1.1.2",
            )
        elif verb == "ping":
            self._reply(msg, "pong")
        elif verb == "list_sessions":
            self._reply(msg, "success", sessions=sorted(self.sessions))
        elif verb == "list_handles":
            sid = msg.get("session_id")
            if sid not in self.sessions:
                self._error(msg, 458, f"No such session {sid}")
            else:
                self._reply(msg, "success", handles=sorted(self.sessions[sid]))
        elif verb == "get_status":
            self._reply(
                msg,
                "success",
                status={
                    "session_timeout": self.session_timeout,
                    "token_auth": False,
                    "log_level": 4,
                },
            )
        elif verb == "set_session_timeout":
            self._reply(msg, "success", timeout=msg.get("timeout"))
        else:
            self._reply(msg, "success")


def __getattr__(name: str) -> Any:
    if name == "strategies":
        from . import _strategies

        return _strategies
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
