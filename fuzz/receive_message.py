"""Coverage-guided fuzzing of the core's receive path with atheris (libFuzzer).

The property: whatever bytes arrive, ``JanusConnection.receive_message`` raises nothing but
``RemoteProtocolError``, and the connection stays usable (events drain, the timer answers,
a new request can be sent). The connection under test has a session, a handle and requests
in flight, so replies and events can match something. Run with ``nox -s fuzz -- 300``
(seconds), or directly: ``python fuzz/receive_message.py -max_total_time=60 [corpus_dir]``.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import janus_proto as jp

SID = 4968465197056105
HID = 8229633980177

#: Seeds that reach deep quickly: real shapes of what Janus sends.
SEEDS = [
    {"janus": "success", "transaction": "t0", "data": {"id": SID}},
    {"janus": "ack", "session_id": SID, "transaction": "t3"},
    {
        "janus": "event",
        "session_id": SID,
        "sender": HID,
        "transaction": "t3",
        "plugindata": {"plugin": "janus.plugin.echotest", "data": {"result": "ok"}},
        "jsep": {"type": "answer", "sdp": "v=0"},
    },
    {"janus": "webrtcup", "session_id": SID, "sender": HID},
    {"janus": "media", "session_id": SID, "sender": HID, "type": "audio", "receiving": True},
    {"janus": "trickle", "session_id": SID, "sender": HID, "candidate": {"completed": True}},
    {"janus": "timeout", "session_id": SID},
    {"janus": "error", "transaction": "t4", "error": {"code": 458, "reason": "No such session"}},
]


def _connection() -> jp.JanusConnection:
    ids = (f"t{i}" for i in itertools.count())
    conn = jp.JanusConnection(jp.JanusConfig(api_secret="s"), transaction_ids=ids)
    conn.connection_made(now=0.0)
    conn.send(jp.Create(), now=0.0)
    conn.receive_message(json.dumps(SEEDS[0]), now=0.0)
    conn.send(jp.Attach(session_id=SID, plugin="janus.plugin.echotest"), now=0.0)
    conn.receive_message(
        json.dumps(
            {"janus": "success", "session_id": SID, "transaction": "t1", "data": {"id": HID}}
        ),
        now=0.0,
    )
    conn.send(jp.KeepAlive(session_id=SID), now=0.0)
    conn.send(jp.Message(session_id=SID, handle_id=HID, body={"audio": True}), now=0.0)
    conn.send(jp.Info(), now=0.0)
    conn.requests_to_send()
    while conn.next_event() is not None:
        pass
    return conn


def test_one_input(data: bytes) -> None:
    conn = _connection()
    fdp = atheris.FuzzedDataProvider(data)
    as_text = fdp.ConsumeBool()
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    message: str | bytes = payload.decode("utf-8", "replace") if as_text else payload
    try:
        conn.receive_message(message, now=1.0)
    except jp.RemoteProtocolError:
        pass
    while conn.next_event() is not None:
        pass
    deadline = conn.get_timer()
    if deadline is not None:
        conn.handle_timer(deadline)
    if conn.state is jp.ConnectionState.CONNECTED:
        conn.send(jp.Ping(), now=2.0)
        assert conn.requests_to_send()


def main() -> None:
    argv = list(sys.argv)
    if all(a.startswith("-") for a in argv[1:]):
        # No corpus folder given: start from the seeds, in a temporary folder.
        corpus = tempfile.mkdtemp(prefix="janus-fuzz-")
        for i, seed in enumerate(SEEDS):
            Path(corpus, f"seed-{i}").write_bytes(b"\x01" + json.dumps(seed).encode())
        argv.append(corpus)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
