"""A hypothesis state machine over JanusConnection + FakeJanus.

Rules send requests, deliver traffic, drop and restore the connection, advance time,
abandon transactions and inject faults. Invariants: every pending transaction has a live
owner and a finite deadline; the timer is the earliest deadline or keepalive; no
transaction completes twice; at the end every transaction sent has exactly one outcome.
"""

from __future__ import annotations

import math

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import janus_proto as jp
from janus_proto.testing import FakeJanus

ECHO = "janus.plugin.echotest"


class CoreWithFakeJanus(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.conn = jp.JanusConnection(jp.JanusConfig(request_timeout=20.0, keepalive_interval=7.0))
        self.janus = FakeJanus()
        self.now = 0.0
        self.conn.connection_made(now=self.now)
        self.outcomes: dict[str, jp.TransactionEvent] = {}
        self.sent: set[str] = set()
        self.abandoned: set[str] = set()

    # -- helpers --------------------------------------------------------------------------

    def _send(self, request: jp.Request) -> None:
        try:
            txn = self.conn.send(request, now=self.now)
        except jp.LocalProtocolError:
            return
        self.sent.add(txn)

    def _drain(self) -> None:
        while (event := self.conn.next_event()) is not None:
            if isinstance(event, jp.TransactionEvent):
                assert event.transaction not in self.outcomes, f"completed twice: {event}"
                assert event.transaction in self.sent
                assert event.transaction not in self.abandoned
                self.outcomes[event.transaction] = event

    def _pick_session(self, index: int) -> int | None:
        ids = self.conn.session_ids()
        return ids[index % len(ids)] if ids else None

    def _pick_handle(self, index: int) -> tuple[int, int] | None:
        pairs = [(s, h) for s in self.conn.session_ids() for h in self.conn.handle_ids(s)]
        return pairs[index % len(pairs)] if pairs else None

    # -- rules ----------------------------------------------------------------------------

    @rule()
    def create(self) -> None:
        self._send(jp.Create())

    @rule()
    def session_with_handle(self) -> None:
        """Create a session and attach a handle, delivering in between."""
        self._send(jp.Create())
        self.round_trip()
        for sid in self.conn.session_ids()[-1:]:
            self._send(jp.Attach(session_id=sid, plugin=ECHO))
        self.round_trip()

    @rule()
    def info(self) -> None:
        self._send(jp.Info())

    @rule(index=st.integers(0, 50), plugin=st.sampled_from([ECHO, "janus.plugin.nope"]))
    def attach(self, index: int, plugin: str) -> None:
        sid = self._pick_session(index)
        if sid is not None:
            self._send(jp.Attach(session_id=sid, plugin=plugin))

    @rule(index=st.integers(0, 50), audio=st.sampled_from([True, "bad"]))
    def message(self, index: int, audio: object) -> None:
        pair = self._pick_handle(index)
        if pair is not None:
            self._send(jp.Message(session_id=pair[0], handle_id=pair[1], body={"audio": audio}))

    @rule(index=st.integers(0, 50), verb=st.sampled_from(["hangup", "detach", "trickle"]))
    def handle_request(self, index: int, verb: str) -> None:
        pair = self._pick_handle(index)
        if pair is None:
            return
        sid, hid = pair
        if verb == "hangup":
            self._send(jp.Hangup(session_id=sid, handle_id=hid))
        elif verb == "detach":
            self._send(jp.Detach(session_id=sid, handle_id=hid))
        else:
            self._send(jp.Trickle(session_id=sid, handle_id=hid, completed=True))

    @rule(index=st.integers(0, 50), verb=st.sampled_from(["keepalive", "destroy"]))
    def session_request(self, index: int, verb: str) -> None:
        sid = self._pick_session(index)
        if sid is not None:
            request: jp.Request = (
                jp.KeepAlive(session_id=sid) if verb == "keepalive" else jp.Destroy(session_id=sid)
            )
            self._send(request)

    @rule()
    def round_trip(self) -> None:
        """Deliver everything both ways until nothing moves (bounded)."""
        for _ in range(4):
            self.deliver(to_server=True, to_client=True)

    @rule(to_server=st.booleans(), to_client=st.booleans())
    def deliver(self, to_server: bool, to_client: bool) -> None:
        if to_server and self.conn.state is jp.ConnectionState.CONNECTED:
            for out in self.conn.requests_to_send():
                self.janus.receive(out.text, out.path)
        if to_client and self.conn.state is jp.ConnectionState.CONNECTED:
            for text in self.janus.messages_to_client():
                self.conn.receive_message(text, now=self.now)
        self._drain()

    @precondition(lambda self: self.conn.state is jp.ConnectionState.CONNECTED)
    @rule()
    def drop(self) -> None:
        self.conn.connection_lost(now=self.now)
        self.janus.disconnect()
        self._drain()

    @precondition(lambda self: self.conn.state is jp.ConnectionState.DISCONNECTED)
    @rule()
    def reconnect(self) -> None:
        self.conn.connection_made(now=self.now)
        self._drain()

    @rule(dt=st.floats(0, 3))
    def tick(self, dt: float) -> None:
        self.advance(dt)

    @rule(dt=st.floats(0, 120))
    def advance(self, dt: float) -> None:
        self.now += dt
        self.conn.handle_timer(self.now)
        self._drain()

    @rule(index=st.integers(0, 50))
    def abandon(self, index: int) -> None:
        pending = [p.transaction for p in self.conn.pending() if not p.internal]
        if pending:
            txn = pending[index % len(pending)]
            self.conn.abandon(txn)
            self.abandoned.add(txn)

    @rule(
        fault=st.sampled_from(
            [
                "silence",
                "unsilence",
                "claim_fails",
                "claim_works",
                "restart",
                "expire",
                "hold",
                "release",
                "event_first",
            ]
        ),
        index=st.integers(0, 50),
    )
    def fault(self, fault: str, index: int) -> None:
        janus = self.janus
        if fault == "silence":
            janus.silence("message")
        elif fault == "unsilence":
            janus.unsilence("message")
        elif fault == "claim_fails":
            janus.claim_fails = True
        elif fault == "claim_works":
            janus.claim_fails = False
        elif fault == "restart":
            janus.restart()
        elif fault == "expire":
            sids = sorted(janus.sessions)
            if sids:
                janus.expire_session(sids[index % len(sids)])
        elif fault == "hold":
            janus.hold()
        elif fault == "release":
            janus.release()
        else:
            janus.event_before_ack = not janus.event_before_ack

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def pending_have_live_owners_and_deadlines(self) -> None:
        for info in self.conn.pending():
            assert math.isfinite(info.deadline)
            if isinstance(info.owner, tuple):
                sid, hid = info.owner
                assert self.conn.handle_state(sid, hid) is not None, info
            elif info.owner is not None:
                assert self.conn.session_state(info.owner) is not None, info

    @invariant()
    def timer_is_the_earliest_deadline(self) -> None:
        deadlines = [p.deadline for p in self.conn.pending()]
        due = self.conn._keepalive_due  # the keepalive schedule, read for the check
        if due and self.conn.state is jp.ConnectionState.CONNECTED:
            deadlines.append(min(due.values()))
        expected = min(deadlines) if deadlines else None
        assert self.conn.get_timer() == expected

    def teardown(self) -> None:
        # Let every deadline pass: each transaction sent must have had exactly one outcome.
        self.janus.release()
        self.now += 1000.0
        self.conn.handle_timer(self.now)
        self._drain()
        missing = self.sent - self.abandoned - set(self.outcomes)
        assert not missing, f"no outcome for {sorted(missing)}"


CoreWithFakeJanus.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
TestCoreWithFakeJanus = CoreWithFakeJanus.TestCase
