"""Conformance: exchanges recorded from a real Janus, replayed into the core.

Each transcript (see tests/transcripts/README.md) is replayed: every request is decoded into
its typed form, sent through a JanusConnection (whose JSON must equal what was sent to
Janus), and everything Janus answered is fed back. The core must understand all of it:
no protocol error, no unknown message, one outcome per request it sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import janus_proto as jp

TRANSCRIPTS = sorted((Path(__file__).parent.parent / "transcripts").glob("janus-*/*.json"))
CREDENTIALS = ("apisecret", "admin_secret", "token")


def _strip(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in CREDENTIALS}


def replay(doc: dict[str, Any]) -> tuple[list[jp.Event], dict[str, jp.Request], set[str]]:
    config = doc["config"]
    current = ["?"]
    conn = jp.JanusConnection(
        jp.JanusConfig(
            api_secret=config["api_secret"],
            token=config["token"],
            admin_secret=config["admin_secret"],
            admin=config["admin"],
            keepalive_interval=None,
        ),
        transaction_ids=iter(lambda: current[0], None),
    )
    conn.connection_made(now=0.0)
    events: list[jp.Event] = []
    sent: dict[str, jp.Request] = {}
    foreign: set[str] = set()  # requests the core refuses (e.g. to a session it never had)
    for frame in doc["frames"]:
        obj = frame["json"]
        if frame["dir"] == "send":
            request, txn = jp.decode_request(obj, admin=config["admin"])
            current[0] = txn
            try:
                conn.send(request, now=0.0)
            except jp.LocalProtocolError:
                foreign.add(txn)
                continue
            [out] = conn.requests_to_send()
            assert _strip(out.body()) == _strip(obj)
            if "path" in frame:
                assert out.path == frame["path"]
            sent[txn] = request
        elif frame.get("status") == 404 and frame.get("poll"):
            for sid in conn.session_ids():
                conn.session_not_found(sid, now=0.0)
        elif obj is not None:
            conn.receive_message(json.dumps(obj), now=0.0)
        while (event := conn.next_event()) is not None:
            events.append(event)
    return events, sent, foreign


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transcript_replays(path: Path) -> None:
    doc = json.loads(path.read_text())
    events, sent, foreign = replay(doc)
    outcomes: dict[str, list[jp.TransactionEvent]] = {}
    for event in events:
        assert not isinstance(event, (jp.UnknownMessage, jp.ReplyMalformed)), event
        if isinstance(event, jp.StrayReply):
            assert event.transaction in foreign, event
        if isinstance(event, jp.TransactionEvent):
            outcomes.setdefault(event.transaction, []).append(event)
    for txn in sent:
        assert len(outcomes.get(txn, [])) == 1, (txn, sent[txn], outcomes.get(txn))


def test_transcripts_exist_for_both_transports() -> None:
    names = {p.stem for p in TRANSCRIPTS}
    assert len(names) >= 30
    for scenario in (
        "info-ping",
        "echotest-async",
        "videoroom-sync",
        "errors",
        "claim",
        "session-timeout",
        "trickle",
        "auth",
    ):
        assert {f"ws-{scenario}", f"http-{scenario}"} <= names
    for scenario in ("admin", "admin-handles", "admin-tokens"):
        assert {f"admin-ws-{scenario}", f"admin-http-{scenario}"} <= names


def _load(name: str) -> dict[str, Any]:
    [path] = [p for p in TRANSCRIPTS if p.stem == name]
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


@pytest.mark.parametrize("kind", ["ws", "http"])
def test_errors_map_to_their_codes(kind: str) -> None:
    events, _, foreign = replay(_load(f"{kind}-errors"))
    codes = sorted(e.code for e in events if isinstance(e, jp.RequestFailed))
    assert codes == [460, 464, 465]
    # refused before sending: session 123456 and handle 99999 were never ours (Janus: 458, 459)
    assert len(foreign) == 2


@pytest.mark.parametrize("kind", ["ws", "http"])
def test_plugin_answers(kind: str) -> None:
    events, _, _ = replay(_load(f"{kind}-echotest-async"))
    replies = [e for e in events if isinstance(e, jp.PluginReply)]
    failures = [e for e in events if isinstance(e, jp.PluginRequestFailed)]
    assert [r.data["result"] for r in replies] == ["ok"]
    assert [f.error_code for f in failures] == [413]
    events, _, _ = replay(_load(f"{kind}-videoroom-sync"))
    codes = [e.error_code for e in events if isinstance(e, jp.PluginRequestFailed)]
    assert codes == [427, 433, 426]
    events, _, _ = replay(_load(f"{kind}-echotest-jsep"))
    [answer] = [e for e in events if isinstance(e, jp.PluginReply)]
    assert answer.jsep is not None
    assert answer.jsep["type"] == "answer"


@pytest.mark.parametrize("kind", ["ws", "http"])
def test_session_timeout_and_claims(kind: str) -> None:
    events, _, _ = replay(_load(f"{kind}-session-timeout"))
    assert any(isinstance(e, jp.SessionTimedOut) for e in events)
    events, _, _ = replay(_load(f"{kind}-claim"))
    assert any(isinstance(e, jp.PluginReply) for e in events)
    events, _, _ = replay(_load(f"{kind}-claim-lost"))
    assert [type(e) for e in events] == [jp.RequestFailed, jp.SessionLost]


@pytest.mark.parametrize("kind", ["ws", "http"])
def test_admin_answers(kind: str) -> None:
    events, _, _ = replay(_load(f"admin-{kind}-admin"))
    failed = [e for e in events if isinstance(e, jp.RequestFailed)]
    assert sorted(f.code for f in failed) == [403, 490]  # no secret; token store disabled
    data = [e.data for e in events if isinstance(e, jp.AdminResponse)]
    assert any("status" in d for d in data)
    events, _, _ = replay(_load(f"admin-{kind}-admin-tokens"))
    assert [e.code for e in events if isinstance(e, jp.RequestFailed)] == [470, 490]
