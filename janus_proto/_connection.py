"""``JanusConnection``: the sans-IO state machine of one transport connection to Janus."""

from __future__ import annotations

import json
import json.scanner
import math
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from itertools import count
from typing import Any, cast
from urllib.parse import quote

import attrs

from . import _wire as wire
from ._errors import LocalProtocolError, RemoteProtocolError
from ._events import (
    AbortReason,
    AdminResponse,
    Event,
    HandleDetached,
    Pong,
    ReplyMalformed,
    RequestAborted,
    RequestSucceeded,
    SessionCreated,
    SessionLost,
    SessionReclaimed,
    SessionTimedOut,
    StrayReply,
    TransactionTimedOut,
)
from ._requests import (
    Attach,
    Claim,
    Create,
    Destroy,
    Detach,
    Info,
    KeepAlive,
    Message,
    Ping,
    Request,
    Scope,
)
from ._state import (
    CONNECTION_TRANSITIONS,
    HANDLE_TRANSITIONS,
    SESSION_TRANSITIONS,
    ConnectionInput,
    ConnectionState,
    HandleInput,
    HandleState,
    SessionInput,
    SessionState,
    transition,
)
from ._transactions import Pending, TransactionTable

__all__ = ["JanusConfig", "JanusConnection", "Outgoing", "PendingInfo"]


def _positive(inst: object, attr: attrs.Attribute[Any], value: float | None) -> None:
    if value is None and attr.name == "keepalive_interval":
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"JanusConfig.{attr.name} must be a number, got {type(value).__name__}")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"JanusConfig.{attr.name} must be positive and finite, got {value}")


def _opt_secret(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"JanusConfig.{attr.name} must be a string")


@attrs.frozen(kw_only=True)
class JanusConfig:
    """Settings of a :class:`JanusConnection`. Secrets never appear in the repr.

    Attributes:
        api_secret: sent as ``apisecret`` with every request that needs it.
        token: sent as ``token`` likewise (an :class:`~janus_proto.Attach` may bring its own).
        admin_secret: sent with every Admin API request (``admin=True``).
        admin: this connection speaks the Admin/Monitor API instead of the Janus API.
        request_timeout: default deadline of a request, in seconds.
        keepalive_interval: seconds of silence after which a session gets a ``keepalive``;
            None turns keepalives off (HTTP long polls keep sessions alive by themselves).
        max_message_size: largest input to ``receive_message``, in bytes or characters.
        forget_limit: how many released transactions are remembered to recognise late
            replies.
    """

    api_secret: str | None = attrs.field(default=None, repr=False, validator=_opt_secret)
    token: str | None = attrs.field(default=None, repr=False, validator=_opt_secret)
    admin_secret: str | None = attrs.field(default=None, repr=False, validator=_opt_secret)
    admin: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    request_timeout: float = attrs.field(default=15.0, validator=_positive)
    keepalive_interval: float | None = attrs.field(default=25.0, validator=_positive)
    max_message_size: int = attrs.field(default=16 * 1024 * 1024, validator=_positive)
    forget_limit: int = attrs.field(default=1024, validator=_positive)


@attrs.frozen(kw_only=True)
class Outgoing:
    """One request ready for the transport.

    Attributes:
        transaction: its transaction id.
        request: the typed request.
        path: the HTTP path suffix: ``""``, ``"/<session>"`` or ``"/<session>/<handle>"``
            (WebSocket ignores it; the ids are in the body too).
        text: the JSON text to send (contains the credentials; not in the repr).
    """

    transaction: str
    request: Request
    path: str
    text: str = attrs.field(repr=False)

    def body(self) -> dict[str, Any]:
        """The JSON object (decoded from ``text``)."""
        result: dict[str, Any] = json.loads(self.text)
        return result


@attrs.frozen(kw_only=True)
class PendingInfo:
    """A snapshot of one pending transaction, for drivers, tests and debugging."""

    transaction: str
    request: Request
    deadline: float
    #: The owner: None (the connection), a session id, or ``(session_id, handle_id)``.
    owner: int | tuple[int, int] | None
    sent: bool
    internal: bool


class _Session:
    __slots__ = ("adopted", "handles", "id", "state", "txns")

    def __init__(self, session_id: int, state: SessionState) -> None:
        self.id = session_id
        self.state = state
        #: Tracked because of the user's claim: its handles were attached elsewhere.
        self.adopted = False
        self.handles: dict[int, _Handle] = {}
        #: Pending transactions, in the order they were sent (a dict as an ordered set).
        self.txns: dict[str, None] | None = None


class _Handle:
    __slots__ = ("id", "plugin", "session", "state", "token", "txns")

    def __init__(self, session: _Session, handle_id: int, plugin: str, token: str | None) -> None:
        self.session = session
        self.id = handle_id
        self.plugin = plugin
        self.token = token
        self.state = HandleState.ATTACHED
        #: Pending transactions, in the order they were sent (a dict as an ordered set).
        self.txns: dict[str, None] | None = None


_DUMPS = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
_DECODER = json.JSONDecoder()
#: The decoder's scanner: one JSON value from an index, ``(value, end)``. What ``json.loads``
#: runs too, without its two Python frames and two whitespace regexes around it.
_SCAN = json.scanner.make_scanner(cast(Any, _DECODER))  # (typeshed wants a scanner)
#: What JSON counts as whitespace (``str.strip()`` alone takes more).
_JSON_WS = " \t\r\n"
#: Types that are pushed events even when they name a pending transaction.
_PUSHED_ONLY = (wire.PUSHED_TYPES - {"event"}) | {"keepalive", "timeout"}
_SENDABLE = (SessionState.ACTIVE, SessionState.DESTROYING)
_USABLE = (SessionState.ACTIVE, SessionState.DISCONNECTED, SessionState.CLAIMING)


def _path(request: Request) -> str:
    sid = getattr(request, "session_id", None)
    if sid is None:
        return ""
    hid = getattr(request, "handle_id", None)
    return f"/{sid}" if hid is None else f"/{sid}/{hid}"


def _dump(request: Request, obj: dict[str, Any]) -> str:
    """The JSON text of ``request`` encoded as ``obj``.

    Raises:
        LocalProtocolError: a value of the request is not JSON.
    """
    try:
        return _DUMPS(obj)
    except (TypeError, ValueError, RecursionError) as exc:
        raise LocalProtocolError(f"{type(request).__name__} is not valid JSON: {exc}") from None


def _default_ids() -> Iterator[str]:
    return (f"t{i}" for i in count(1))


class JanusConnection:
    """The protocol state of one connection to Janus (WebSocket, HTTP or Unix socket).

    Feed it typed requests with :meth:`send` and Janus's messages with
    :meth:`receive_message`; drain :meth:`requests_to_send` to the transport and
    :meth:`next_event` to the application; call :meth:`handle_timer` at :meth:`get_timer`.
    Times (``now``) are seconds on any monotonic clock of the caller's choosing.

    Transaction ids come from ``transaction_ids`` (default ``"t1"``, ``"t2"``, ...); they must
    not repeat while a transaction is pending.
    """

    def __init__(
        self,
        config: JanusConfig | None = None,
        *,
        transaction_ids: Iterator[str] | None = None,
    ) -> None:
        self.config = config if config is not None else JanusConfig()
        self._ids = transaction_ids if transaction_ids is not None else _default_ids()
        self._state = ConnectionState.IDLE
        self._sessions: dict[int, _Session] = {}
        self._txns = TransactionTable(self.config.forget_limit)
        self._outbox: list[Outgoing] = []
        self._held: OrderedDict[str, Outgoing] = OrderedDict()
        self._keepalive_due: OrderedDict[int, float] = OrderedDict()
        self._events: deque[Event] = deque()

    def __repr__(self) -> str:
        return (
            f"<JanusConnection {self._state.value} sessions={len(self._sessions)} "
            f"pending={len(self._txns)}>"
        )

    # -- introspection -------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        return self._state

    def session_ids(self) -> list[int]:
        """Ids of the sessions this connection tracks (not closed)."""
        return list(self._sessions)

    def session_state(self, session_id: int) -> SessionState | None:
        """The state of a tracked session, or None if unknown or closed."""
        session = self._sessions.get(session_id)
        return None if session is None else session.state

    def handle_ids(self, session_id: int) -> list[int]:
        session = self._sessions.get(session_id)
        return [] if session is None else list(session.handles)

    def handle_state(self, session_id: int, handle_id: int) -> HandleState | None:
        """The state of a tracked handle, or None if unknown or detached."""
        session = self._sessions.get(session_id)
        handle = None if session is None else session.handles.get(handle_id)
        return None if handle is None else handle.state

    def pending(self) -> list[PendingInfo]:
        """Snapshots of the pending transactions (internal ones included)."""
        out = []
        for txn, p in self._txns.items():
            owner: int | tuple[int, int] | None = None
            if p.handle is not None:
                owner = (p.handle.session.id, p.handle.id)
            elif p.session is not None:
                owner = p.session.id
            out.append(
                PendingInfo(
                    transaction=txn,
                    request=p.request,
                    deadline=p.deadline,
                    owner=owner,
                    sent=p.sent,
                    internal=p.internal,
                )
            )
        return out

    # -- output --------------------------------------------------------------------------

    def send(self, request: Request, *, now: float, timeout: float | None = None) -> str:
        """Queue ``request``; return its transaction id.

        The request goes out with the next :meth:`requests_to_send` (at once if connected
        and its session is usable, else after the reconnect and ``claim``). Its outcome is
        one :class:`~janus_proto.TransactionEvent` with this transaction.

        Args:
            now: the current time.
            timeout: seconds until the request fails with ``TransactionTimedOut``
                (default ``config.request_timeout``).

        Raises:
            LocalProtocolError: closed connection, wrong API (admin vs Janus), unknown or
                closed session or handle; nothing is queued.
        """
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0
        ):
            raise LocalProtocolError(f"timeout must be a positive number, got {timeout!r}")
        if not isinstance(request, Request):
            raise LocalProtocolError(f"send() takes a Request, got {type(request).__name__}")
        return self._submit(request, now, timeout, internal=False)

    @property
    def has_requests_to_send(self) -> bool:
        """Whether :meth:`requests_to_send` would return anything now (without taking
        it): a driver wakes its writer only then."""
        return bool(self._outbox)

    def requests_to_send(self) -> list[Outgoing]:
        """Take the requests queued for the transport, in order."""
        out = self._outbox
        self._outbox = []
        return out

    def set_keepalive_interval(self, interval: float | None, *, now: float) -> None:
        """Change the keepalive interval (e.g. once the server's session timeout is known).

        Every session's next keepalive is rescheduled to ``now + interval``.

        Raises:
            TypeError, ValueError: ``interval`` is not a positive number or None.
        """
        self.config = attrs.evolve(self.config, keepalive_interval=interval)
        due = self._keepalive_due
        if interval is None:
            due.clear()
            return
        for sid, session in self._sessions.items():
            if session.state is SessionState.ACTIVE:
                due[sid] = now + interval

    def abandon(self, transaction: str) -> None:
        """Forget a pending transaction (its waiter was cancelled). No event follows.

        A late reply is still recognised, and its effect on sessions and handles applied.
        Unknown transactions are ignored.
        """
        p = self._txns.pop(transaction)
        if p is None:
            return
        self._unlink(transaction, p)
        if self._held.pop(transaction, None) is not None:
            self._undo_unsent(p)
        else:
            self._txns.remember(transaction, p.request)

    # -- time ----------------------------------------------------------------------------

    def get_timer(self) -> float | None:
        """When :meth:`handle_timer` must be called next (None: nothing scheduled)."""
        deadline = self._txns.next_deadline()
        if self._keepalive_due and self._state is ConnectionState.CONNECTED:
            due = next(iter(self._keepalive_due.values()))
            if deadline is None or due < deadline:
                return due
        return deadline

    def handle_timer(self, now: float) -> None:
        """Expire requests whose deadline passed and queue keepalives that are due."""
        for txn in self._txns.expired(now):
            p = self._txns.pop(txn)
            if p is None:  # ended meanwhile: a claim that expired first lost its session
                continue
            self._unlink(txn, p)
            was_held = self._held.pop(txn, None) is not None
            if was_held:
                self._undo_unsent(p)
            else:
                self._txns.remember(txn, p.request)
            if not p.internal:
                self._events.append(TransactionTimedOut(transaction=txn))
            elif isinstance(p.request, Claim) and p.session is not None:
                self._lose_session(p.session, "claim timed out")
        if self._state is ConnectionState.CONNECTED:
            due = self._keepalive_due
            while due:
                sid, when = next(iter(due.items()))
                if when > now:
                    break
                del due[sid]  # sending re-arms it
                self._submit(KeepAlive(session_id=sid), now, None, internal=True)

    # -- transport events ----------------------------------------------------------------

    def connection_made(self, *, now: float) -> None:
        """The transport is (again) connected: claim surviving sessions, send held requests.

        Raises:
            LocalProtocolError: the connection is closed or already connected.
        """
        self._state = transition(
            CONNECTION_TRANSITIONS, self._state, ConnectionInput.CONNECTION_MADE, "connection"
        )
        for session in list(self._sessions.values()):
            if session.state is SessionState.DISCONNECTED:
                session.state = transition(
                    SESSION_TRANSITIONS, session.state, SessionInput.CONNECTION_MADE, "session"
                )
                self._submit(Claim(session_id=session.id), now, None, internal=True)
        self._release_held(now)

    def connection_lost(self, *, now: float, unsent: Iterable[Outgoing] = ()) -> None:
        """The transport went away. Requests in flight end with ``RequestAborted``
        (``CONNECTION_LOST``): their outcome is unknown and they are never resent. Requests
        not yet handed to the transport wait for :meth:`connection_made`.

        ``unsent`` are requests taken from :meth:`requests_to_send` that the driver knows
        never reached the wire (the transport refused them before writing anything): they
        wait for the reconnect too, ahead of the ones still queued. Outgoings whose
        transaction already ended are ignored.
        """
        self._state = transition(
            CONNECTION_TRANSITIONS, self._state, ConnectionInput.CONNECTION_LOST, "connection"
        )
        requeue: OrderedDict[str, Outgoing] = OrderedDict()
        for out in (*unsent, *self._outbox):  # never left: hold them again
            p = self._txns.get(out.transaction)
            if p is None or p.internal:
                continue  # internal ones end below, as if lost in flight
            p.sent = False
            requeue[out.transaction] = out
        self._outbox = []
        for txn, p in self._txns.items():
            if not p.sent:
                continue
            self._txns.pop(txn)
            self._unlink(txn, p)
            self._emit_abort(txn, p, AbortReason.CONNECTION_LOST)
            if isinstance(p.request, Destroy) and p.session is not None:
                # A destroy in flight always has its session DESTROYING.
                self._close_session(
                    p.session, SessionInput.DESTROY_ABORTED, AbortReason.SESSION_DESTROYED
                )
            elif isinstance(p.request, Detach) and p.handle is not None:
                # Likewise a detach in flight (DETACHING): the handle is given up, not stuck.
                self._drop_handle(p.handle, HandleInput.GONE)
        requeue.update(self._held)
        self._held = requeue
        self._keepalive_due.clear()
        for session in self._sessions.values():
            session.state = transition(
                SESSION_TRANSITIONS, session.state, SessionInput.CONNECTION_LOST, "session"
            )

    def session_not_found(self, session_id: int, *, now: float) -> None:
        """The transport learned the session is gone (HTTP 404 on its long poll)."""
        session = self._sessions.get(session_id)
        if session is not None:
            self._lose_session(session, "session not found")

    def close(self, *, now: float) -> None:
        """Close for good: every pending request ends with ``RequestAborted`` (``CLOSED``)."""
        self._state = transition(
            CONNECTION_TRANSITIONS, self._state, ConnectionInput.CLOSE, "connection"
        )
        for txn, p in self._txns.items():
            self._txns.pop(txn)
            if not p.internal:
                self._emit_abort(txn, p, AbortReason.CLOSED)
        for session in self._sessions.values():
            session.state = SessionState.CLOSED
        self._sessions.clear()
        self._held.clear()
        self._outbox.clear()
        self._keepalive_due.clear()
        self._txns.clear()

    # -- HTTP helpers --------------------------------------------------------------------

    def poll_path(self, session_id: int, *, maxev: int | None = None) -> str:
        """The path and query of the HTTP long poll for a session (with credentials)."""
        query = []
        if maxev is not None:
            query.append(f"maxev={int(maxev)}")
        if self.config.api_secret is not None:
            query.append("apisecret=" + quote(self.config.api_secret, safe=""))
        if self.config.token is not None:
            query.append("token=" + quote(self.config.token, safe=""))
        return f"/{session_id}" + ("?" + "&".join(query) if query else "")

    # -- input ---------------------------------------------------------------------------

    def next_event(self) -> Event | None:
        """The next event, or None when there is none."""
        events = self._events
        return events.popleft() if events else None

    def receive_message(self, data: str | bytes | bytearray, *, now: float) -> None:
        """Take one message from Janus: a JSON object, a JSON array of them (HTTP long
        poll with ``maxev``), or several objects back to back.

        Raises:
            RemoteProtocolError: the input is not usable. Every usable object in it has
                still been processed, and a request whose answer was unusable has ended
                with ``ReplyMalformed``.
        """
        if len(data) > self.config.max_message_size:
            raise RemoteProtocolError(
                f"message of {len(data)} exceeds max_message_size {self.config.max_message_size}",
                raw=data[:256],
            )
        if not isinstance(data, str):
            try:
                text = bytes(data).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RemoteProtocolError(f"message is not UTF-8: {exc}", raw=data) from None
        else:
            text = data
        tail_error = None
        try:  # the usual message: one object, nothing around it
            doc, end = _SCAN(text, 0)
        except (StopIteration, ValueError, RecursionError):
            end = -1
        if end != len(text) and (end < 0 or text[end:].strip(_JSON_WS)):
            try:  # anything else: whitespace first, several documents, invalid...
                doc = json.loads(text)
            except ValueError:
                doc, tail_error = self._split_documents(text)
            except RecursionError:
                raise RemoteProtocolError("message nests too deeply", raw=text[:256]) from None
        if type(doc) is dict and tail_error is None:  # (the usual message again)
            error = None
            try:
                self._dispatch(doc, now)
            except wire.Malformed as exc:
                error = str(exc)
            if error is not None:
                raise RemoteProtocolError(error, raw=doc)
            return
        items = doc if isinstance(doc, list) else [doc]
        errors = []
        for item in items:
            if not isinstance(item, dict):
                errors.append(f"expected a JSON object, got {type(item).__name__}")
                continue
            try:
                self._dispatch(item, now)
            except wire.Malformed as exc:
                errors.append(str(exc))
        if tail_error is not None:
            errors.append(tail_error)
        if errors:
            raise RemoteProtocolError("; ".join(errors), raw=doc)

    def _split_documents(self, text: str) -> tuple[list[Any], str | None]:
        """The documents back to back in ``text``, and the error that ended them, if any."""
        docs: list[Any] = []
        pos, end = 0, len(text)
        try:
            while pos < end:
                while pos < end and text[pos] in " \t\r\n":
                    pos += 1
                if pos == end:
                    break
                doc, pos = _DECODER.raw_decode(text, pos)
                docs.append(doc)
        except (ValueError, RecursionError) as exc:
            if not docs:
                raise RemoteProtocolError(f"invalid JSON: {exc}", raw=text[:256]) from None
            return docs, f"invalid JSON after {len(docs)} document(s): {exc}"
        if not docs:
            raise RemoteProtocolError("empty message", raw=text)
        return docs, None

    # -- internals: submitting -----------------------------------------------------------

    def _submit(
        self, request: Request, now: float, timeout: float | None, *, internal: bool
    ) -> str:
        if type(request) is Message and self._state is ConnectionState.CONNECTED:
            # The usual request: a plugin message to an attached handle of an active
            # session, while connected (what the general path below comes to for it).
            assert isinstance(request, Message)
            active = self._sessions.get(request.session_id)
            if active is not None and active.state is SessionState.ACTIVE:
                attached = active.handles.get(request.handle_id)
                if (
                    attached is not None
                    and attached.state is HandleState.ATTACHED
                    and not self.config.admin
                ):
                    return self._submit_message(request, active, attached, now, timeout, internal)
        if self._state is ConnectionState.CLOSED:
            raise LocalProtocolError("the connection is closed")
        if self.config.admin != request.ADMIN and not isinstance(request, (Info, Ping)):
            api = "Admin" if self.config.admin else "Janus"
            raise LocalProtocolError(f"{type(request).__name__} is not a {api} API request")
        session: _Session | None = None
        handle: _Handle | None = None
        new_session: _Session | None = None
        new_session_state: SessionState | None = None
        new_handle_state: HandleState | None = None
        new_handle: _Handle | None = None
        scope = Scope.ROOT if self.config.admin else request.scope
        if scope is not Scope.ROOT:
            sid: int = getattr(request, "session_id")  # noqa: B009 - typed by scope
            session = self._sessions.get(sid)
            if session is None:
                if not isinstance(request, Claim):
                    raise LocalProtocolError(
                        f"unknown session {sid}: create or claim it on this connection first"
                    )
                session = new_session = _Session(sid, SessionState.CLAIMING)
                session.adopted = True
            elif isinstance(request, Destroy):
                new_session_state = transition(
                    SESSION_TRANSITIONS,
                    session.state,
                    SessionInput.DESTROY_SENT,
                    f"session {sid}",
                )
            elif session.state not in _USABLE:
                raise LocalProtocolError(f"session {sid} is {session.state.value}")
            if scope is Scope.HANDLE:
                hid: int = getattr(request, "handle_id")  # noqa: B009 - typed by scope
                handle = session.handles.get(hid)
                if handle is None:
                    if not session.adopted:
                        raise LocalProtocolError(f"unknown handle {hid} in session {sid}")
                    # A claimed session's handles were attached elsewhere: adopt them.
                    handle = new_handle = _Handle(session, hid, "", None)
                if isinstance(request, Detach):
                    new_handle_state = transition(
                        HANDLE_TRANSITIONS,
                        handle.state,
                        HandleInput.DETACH_SENT,
                        f"handle {hid}",
                    )
                elif handle.state is not HandleState.ATTACHED:
                    raise LocalProtocolError(f"handle {hid} is {handle.state.value}")
        txn = self._new_transaction()
        config = self.config
        token = handle.token if handle is not None and handle.token is not None else config.token
        text = _dump(
            request,
            wire.encode_request(
                request,
                txn,
                api_secret=config.api_secret,
                token=token,
                admin_secret=config.admin_secret,
            ),
        )
        # Nothing above changed any state; from here on nothing can fail.
        if new_session is not None:
            self._sessions[new_session.id] = new_session
        if new_session_state is not None:
            assert session is not None
            session.state = new_session_state
            self._keepalive_due.pop(session.id, None)
        if new_handle is not None:
            new_handle.session.handles[new_handle.id] = new_handle
        if new_handle_state is not None:
            assert handle is not None
            handle.state = new_handle_state
        deadline = now + (timeout if timeout is not None else config.request_timeout)
        p = Pending(request, deadline, session, handle, internal)
        self._txns.add(txn, p)
        self._link(txn, p)
        out = Outgoing(transaction=txn, request=request, path=_path(request), text=text)
        if self._can_send(p):
            self._put_on_wire(out, p, now)
        else:
            self._held[txn] = out
        return txn

    def _submit_message(
        self,
        request: Message,
        session: _Session,
        handle: _Handle,
        now: float,
        timeout: float | None,
        internal: bool,
    ) -> str:
        """:meth:`_submit` of a message to an attached handle of an active session while
        connected: nothing to check or change but the transaction, and it goes out now."""
        txn = self._new_transaction()
        config = self.config
        token = handle.token if handle.token is not None else config.token
        text = _dump(request, wire.encode_message(request, txn, config.api_secret, token))
        deadline = now + (timeout if timeout is not None else config.request_timeout)
        p = Pending(request, deadline, session, handle, internal)
        self._txns.add(txn, p)
        self._link(txn, p)
        path = f"/{session.id}/{handle.id}"
        self._put_on_wire(Outgoing(transaction=txn, request=request, path=path, text=text), p, now)
        return txn

    def _new_transaction(self) -> str:
        """The next transaction id.

        Raises:
            LocalProtocolError: the generator is exhausted, or gave a pending id or no str.
        """
        try:
            txn = next(self._ids)
        except StopIteration:
            raise LocalProtocolError("the transaction id generator is exhausted") from None
        if not isinstance(txn, str) or txn in self._txns:
            raise LocalProtocolError(f"transaction id {txn!r} is not a new string")
        return txn

    def _can_send(self, p: Pending) -> bool:
        if self._state is not ConnectionState.CONNECTED:
            return False
        session = p.session
        return session is None or session.state in _SENDABLE or isinstance(p.request, Claim)

    def _put_on_wire(self, out: Outgoing, p: Pending, now: float) -> None:
        p.sent = True
        self._outbox.append(out)
        session = p.session
        interval = self.config.keepalive_interval
        if session is not None and interval is not None and session.state is SessionState.ACTIVE:
            due = self._keepalive_due
            due[session.id] = now + interval
            due.move_to_end(session.id)

    def _release_held(self, now: float) -> None:
        if not self._held:
            return
        for txn, out in list(self._held.items()):
            p = self._txns.get(txn)
            if p is not None and self._can_send(p):
                del self._held[txn]
                self._put_on_wire(out, p, now)

    def _link(self, txn: str, p: Pending) -> None:
        owner = p.handle if p.handle is not None else p.session
        if owner is not None:
            if owner.txns is None:
                owner.txns = {}
            owner.txns[txn] = None

    def _unlink(self, txn: str, p: Pending) -> None:
        owner = p.handle if p.handle is not None else p.session
        if owner is not None and owner.txns is not None:
            owner.txns.pop(txn, None)

    def _undo_unsent(self, p: Pending) -> None:
        """A request that never left is dropped: undo the state change it made.

        Requests are held only while the connection is down (or their session is being
        reclaimed), so a held destroy's session goes back to DISCONNECTED: the next
        ``connection_made`` claims it.
        """
        request = p.request
        if isinstance(request, Destroy) and p.session is not None:
            p.session.state = SessionState.DISCONNECTED
        elif isinstance(request, Detach) and p.handle is not None:
            p.handle.state = HandleState.ATTACHED
        elif (
            isinstance(request, Claim)
            and p.session is not None
            and p.session.adopted
            and p.session.state is SessionState.CLAIMING
        ):
            self._sessions.pop(p.session.id, None)  # never confirmed: forget it again

    # -- internals: receiving ------------------------------------------------------------

    def _dispatch(self, msg: dict[str, Any], now: float) -> None:
        janus = msg.get("janus")
        txn = msg.get("transaction")
        if janus == "event" and txn is None:
            # The most frequent message (a plugin's pushed event): no transaction to look
            # up, no state to change.
            self._events.append(wire.plugin_event(msg, None))
            return
        if not isinstance(janus, str):
            raise wire.Malformed("'janus' missing or not a string")
        if txn is not None and not isinstance(txn, str):
            raise wire.Malformed("'transaction' must be a string")
        if janus in ("ack", "success", "error", "server_info", "pong") or (
            txn is not None and self._answers_pending(janus, txn)
        ):
            self._on_reply(janus, msg, txn, now)
        elif janus == "keepalive":
            return  # the HTTP long poll's "nothing happened"
        else:
            self._on_pushed(janus, msg, txn)

    def _answers_pending(self, janus: str, txn: str) -> bool:
        """Whether a message that is not a reply type still answers a pending request.

        An ``event`` naming a pending request answers it (an async plugin reply; for any
        other request it is a malformed answer, failed at once rather than left to its
        deadline). So does an unknown type naming one. Known pushed types (webrtcup,
        hangup, ...) stay pushed events whatever transaction they carry.
        """
        return janus not in _PUSHED_ONLY and self._txns.get(txn) is not None

    def _on_reply(self, janus: str, msg: dict[str, Any], txn: str | None, now: float) -> None:
        p = None if txn is None else self._txns.get(txn)
        if p is None:
            request = None if txn is None else self._txns.peek_forgotten(txn)
            if request is None:
                if janus == "error":
                    wire.error_body(msg)  # a malformed stray error is still malformed
                self._events.append(StrayReply(raw=msg, janus=janus, transaction=txn))
                return
            assert txn is not None
            if janus == "ack" and isinstance(request, Message):
                return  # the ack of an async request answered (or abandoned) already
            self._txns.recall(txn)
            self._late_reply(janus, msg, txn, request, now)
            return
        assert txn is not None
        if janus == "ack" and isinstance(p.request, Message):
            p.acked = True
            return
        self._txns.pop(txn)
        self._unlink(txn, p)
        if janus == "event" and not p.acked:
            self._txns.remember(txn, p.request)  # its ack is still to come
        try:
            self._complete(janus, msg, txn, p.request, p, now)
        except wire.Malformed as exc:
            if not p.internal:
                self._events.append(ReplyMalformed(raw=msg, transaction=txn, reason=str(exc)))
            raise

    def _late_reply(
        self, janus: str, msg: dict[str, Any], txn: str, request: Request, now: float
    ) -> None:
        """A reply for a released transaction: apply its effect, emit no outcome.

        A session or handle created by a request nobody waits for any more would leak on the
        server: the core destroys (detaches) it at once.
        """
        if janus == "error":
            try:
                code, reason = wire.error_body(msg)
            except wire.Malformed:
                return
            self._after_error(request, code, reason, None, now)
            return
        if janus != "success" or self._state is not ConnectionState.CONNECTED:
            return
        try:
            if isinstance(request, Create):
                data = wire.opt_obj(msg, "data") or {}
                sid = wire.req_id(data, "id")
                self._add_session(sid, now)
                self._submit(Destroy(session_id=sid), now, None, internal=True)
            elif isinstance(request, Attach):
                attached = wire.attach_reply(msg, txn, request)
                session = self._sessions.get(request.session_id)
                # DESTROYING: the handle dies with the session; CLAIMING: detach after it.
                if session is not None and session.state in _USABLE:
                    handle = _Handle(session, attached.handle_id, request.plugin, request.token)
                    session.handles[handle.id] = handle
                    self._submit(
                        Detach(session_id=session.id, handle_id=handle.id), now, None, internal=True
                    )
            else:
                self._after_success(request, None, now)
        except (wire.Malformed, LocalProtocolError):
            return

    def _complete(
        self,
        janus: str,
        msg: dict[str, Any],
        txn: str,
        request: Request,
        p: Pending,
        now: float,
    ) -> None:
        emit = not p.internal
        events = self._events
        if janus == "error":
            failed = wire.request_failed(msg, txn)
            if emit:
                events.append(failed)
            self._after_error(request, failed.code, failed.reason, p, now)
            return
        match request:
            case Message():  # first: the most frequent (the classes are disjoint)
                if janus not in ("success", "event"):
                    raise wire.Malformed(f"expected success or event for message, got {janus}")
                events.append(wire.sync_plugin_reply(msg, txn, janus == "success"))
            case Create():
                if janus != "success":
                    raise wire.Malformed(f"expected success for create, got {janus}")
                data = wire.opt_obj(msg, "data")
                if data is None:
                    raise wire.Malformed("'data' missing")
                sid = wire.req_id(data, "id")
                self._add_session(sid, now)
                events.append(SessionCreated(raw=msg, transaction=txn, session_id=sid))
            case Attach():
                if janus != "success":
                    raise wire.Malformed(f"expected success for attach, got {janus}")
                attached = wire.attach_reply(msg, txn, request)
                session = p.session  # tracked: closing it would have ended this transaction
                assert session is not None
                session.handles[attached.handle_id] = _Handle(
                    session, attached.handle_id, request.plugin, request.token
                )
                events.append(attached)
            case Info():
                if janus != "server_info":
                    raise wire.Malformed(f"expected server_info, got {janus}")
                events.append(wire.server_info(msg, txn))
            case Ping():
                if janus != "pong":
                    raise wire.Malformed(f"expected pong, got {janus}")
                events.append(Pong(raw=msg, transaction=txn))
            case _ if request.ADMIN:
                if janus != "success":
                    raise wire.Malformed(f"expected success for {request.VERB}, got {janus}")
                events.append(AdminResponse(raw=msg, transaction=txn, data=wire.admin_data(msg)))
            case _:
                if janus not in ("success", "ack"):
                    raise wire.Malformed(f"expected success or ack for {request.VERB}, got {janus}")
                hint = wire.opt_str(msg, "hint")
                self._after_success(request, p, now)
                if emit:
                    events.append(RequestSucceeded(raw=msg, transaction=txn, hint=hint))

    def _add_session(self, sid: int, now: float) -> None:
        if sid in self._sessions:
            return
        self._sessions[sid] = _Session(sid, SessionState.ACTIVE)
        if self.config.keepalive_interval is not None:
            self._keepalive_due[sid] = now + self.config.keepalive_interval

    def _after_success(self, request: Request, p: Pending | None, now: float) -> None:
        if isinstance(request, Claim):
            session = self._sessions.get(request.session_id)
            if session is None or session.state is not SessionState.CLAIMING:
                return
            session.state = SessionState.ACTIVE
            if self.config.keepalive_interval is not None:
                self._keepalive_due[session.id] = now + self.config.keepalive_interval
            if p is not None and p.internal:
                self._events.append(SessionReclaimed(session_id=session.id))
            self._release_held(now)
        elif isinstance(request, Destroy):
            session = self._sessions.get(request.session_id)
            if session is not None:  # a destroy's session is DESTROYING until it ends
                self._close_session(
                    session, SessionInput.DESTROY_SUCCEEDED, AbortReason.SESSION_DESTROYED
                )
        elif isinstance(request, Detach):
            session = self._sessions.get(request.session_id)
            handle = None if session is None else session.handles.get(request.handle_id)
            if handle is not None and handle.state is HandleState.DETACHING:
                self._drop_handle(handle, HandleInput.DETACH_SUCCEEDED)

    def _after_error(
        self, request: Request, code: int, reason: str, p: Pending | None, now: float
    ) -> None:
        if request.ADMIN:
            return
        sid = getattr(request, "session_id", None)
        session = None if sid is None else self._sessions.get(sid)
        if session is None:
            return
        if code == 458 or (isinstance(request, Claim) and session.state is SessionState.CLAIMING):
            self._lose_session(session, reason)
            return
        if isinstance(request, Destroy) and session.state is SessionState.DESTROYING:
            session.state = transition(
                SESSION_TRANSITIONS, session.state, SessionInput.DESTROY_FAILED, "session"
            )
            if self.config.keepalive_interval is not None:
                self._keepalive_due[session.id] = now + self.config.keepalive_interval
            return
        hid = getattr(request, "handle_id", None)
        handle = None if hid is None else session.handles.get(hid)
        if handle is None:
            return
        if code == 459:
            self._drop_handle(handle, HandleInput.GONE)
            self._events.append(HandleDetached(session_id=session.id, handle_id=handle.id))
        elif isinstance(request, Detach) and handle.state is HandleState.DETACHING:
            handle.state = transition(
                HANDLE_TRANSITIONS, handle.state, HandleInput.DETACH_FAILED, "handle"
            )

    def _on_pushed(self, janus: str, msg: dict[str, Any], txn: str | None) -> None:
        event = wire.decode_pushed(janus, msg, txn)
        if isinstance(event, SessionTimedOut):
            session = self._sessions.get(event.session_id)
            if session is not None:
                self._close_session(session, SessionInput.TIMED_OUT, AbortReason.SESSION_TIMEOUT)
        elif isinstance(event, HandleDetached):
            session = self._sessions.get(event.session_id)
            handle = None if session is None else session.handles.get(event.handle_id)
            if handle is not None:
                self._drop_handle(handle, HandleInput.GONE)
        self._events.append(event)

    # -- internals: ending sessions and handles ------------------------------------------

    def _emit_abort(self, txn: str, p: Pending, reason: AbortReason) -> None:
        if not p.internal:
            self._events.append(RequestAborted(transaction=txn, reason=reason))

    def _end_owned(
        self, owner: _Session | _Handle, reason: AbortReason, achieved: type[Request]
    ) -> None:
        """End the owner's pending requests: ``achieved`` ones (a destroy of a session that
        is gone anyway) succeed, the others are aborted for ``reason``."""
        if not owner.txns:
            return
        for txn in list(owner.txns):
            p = self._txns.pop(txn)
            assert p is not None  # owners' sets only hold pending transactions
            if self._held.pop(txn, None) is None:
                self._txns.remember(txn, p.request)
            if p.internal:
                continue
            if isinstance(p.request, achieved):
                self._events.append(RequestSucceeded(transaction=txn))
            else:
                self._events.append(RequestAborted(transaction=txn, reason=reason))
        owner.txns = None

    def _drop_handle(self, handle: _Handle, what: HandleInput) -> None:
        handle.state = transition(HANDLE_TRANSITIONS, handle.state, what, f"handle {handle.id}")
        handle.session.handles.pop(handle.id, None)
        self._end_owned(handle, AbortReason.HANDLE_DETACHED, Detach)

    def _close_session(self, session: _Session, what: SessionInput, reason: AbortReason) -> None:
        session.state = transition(
            SESSION_TRANSITIONS, session.state, what, f"session {session.id}"
        )
        self._sessions.pop(session.id, None)
        self._keepalive_due.pop(session.id, None)
        for handle in list(session.handles.values()):
            handle.state = HandleState.DETACHED
            self._end_owned(handle, reason, Detach)
        session.handles.clear()
        self._end_owned(session, reason, Destroy)

    def _lose_session(self, session: _Session, reason: str) -> None:
        what = SessionInput.GONE
        if (session.state, what) not in SESSION_TRANSITIONS:
            what = SessionInput.CLOSE  # DISCONNECTED: gone all the same
        self._close_session(session, what, AbortReason.SESSION_LOST)
        self._events.append(SessionLost(session_id=session.id, reason=reason))
