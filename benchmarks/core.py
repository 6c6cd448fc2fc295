"""C1: the sans-IO core alone (no I/O): messages per second and memory per idle session.

Run: ``python benchmarks/core.py`` (or ``nox -s bench``). ``--smoke`` runs tiny sizes (CI).
Prints a table and, with ``--json FILE``, appends JSON lines.

Workloads:
- ``mix``: the receive path for a realistic mix, per round on one handle: a synchronous
  plugin request (success with plugindata), an asynchronous one answered by an event
  *before* its ack, a pushed ``media`` event, a pushed unsolicited plugin event, and a
  trickle ack. Counted: messages fed to ``receive_message`` (+ the events drained).
- ``send``: ``send()`` + ``requests_to_send()`` (JSON encoding included) per request.
- memory: bytes per idle session with one handle, from ``tracemalloc``.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import janus_proto as jp

SID = 4968465197056105
HID = 8229633980177


def _connected(keepalive: float | None = 25.0) -> jp.JanusConnection:
    conn = jp.JanusConnection(jp.JanusConfig(keepalive_interval=keepalive))
    conn.connection_made(now=0.0)
    txn = conn.send(jp.Create(), now=0.0)
    conn.receive_message(
        json.dumps({"janus": "success", "transaction": txn, "data": {"id": SID}}), now=0.0
    )
    txn = conn.send(jp.Attach(session_id=SID, plugin="janus.plugin.videoroom"), now=0.0)
    conn.receive_message(
        json.dumps(
            {"janus": "success", "session_id": SID, "transaction": txn, "data": {"id": HID}}
        ),
        now=0.0,
    )
    conn.requests_to_send()
    while conn.next_event() is not None:
        pass
    return conn


def bench_mix(rounds: int) -> tuple[float, int]:
    """Seconds for ``rounds`` rounds, and the number of messages received."""
    conn = _connected()
    sync_body = {"request": "exists", "room": 1234}
    async_body = {"request": "configure", "bitrate": 128000}
    media = json.dumps(
        {
            "janus": "media",
            "session_id": SID,
            "sender": HID,
            "mid": "0",
            "type": "audio",
            "receiving": True,
        }
    )
    pushed = json.dumps(
        {
            "janus": "event",
            "session_id": SID,
            "sender": HID,
            "plugindata": {
                "plugin": "janus.plugin.videoroom",
                "data": {
                    "videoroom": "event",
                    "room": 1234,
                    "publishers": [{"id": 1, "display": "a"}],
                },
            },
        }
    )
    cand = jp.Candidate(
        candidate="candidate:1 1 udp 2122260223 127.0.0.2 5000 typ host",
        sdp_mid="0",
        sdp_mline_index=0,
    )
    # Pre-build the server's answers per transaction id (the ids are deterministic).
    messages = 0
    now = 1.0
    start = time.perf_counter()
    for _ in range(rounds):
        t1 = conn.send(jp.Message(session_id=SID, handle_id=HID, body=sync_body), now=now)
        t2 = conn.send(jp.Message(session_id=SID, handle_id=HID, body=async_body), now=now)
        t3 = conn.send(jp.Trickle(session_id=SID, handle_id=HID, candidates=[cand]), now=now)
        conn.requests_to_send()
        conn.receive_message(
            '{"janus":"success","session_id":%d,"transaction":"%s","sender":%d,'
            '"plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"success",'
            '"room":1234,"exists":true}}}' % (SID, t1, HID),
            now=now,
        )
        conn.receive_message(
            '{"janus":"event","session_id":%d,"transaction":"%s","sender":%d,'
            '"plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event",'
            '"configured":"ok"}}}' % (SID, t2, HID),
            now=now,
        )
        conn.receive_message(
            '{"janus":"ack","session_id":%d,"transaction":"%s"}' % (SID, t2), now=now
        )
        conn.receive_message(media, now=now)
        conn.receive_message(pushed, now=now)
        conn.receive_message(
            '{"janus":"ack","session_id":%d,"transaction":"%s"}' % (SID, t3), now=now
        )
        messages += 6
        while conn.next_event() is not None:
            pass
        now += 0.001
    return time.perf_counter() - start, messages


def bench_send(requests: int) -> tuple[float, int]:
    conn = _connected()
    body = {"request": "exists", "room": 1234}
    start = time.perf_counter()
    for i in range(requests):
        txn = conn.send(jp.Message(session_id=SID, handle_id=HID, body=body), now=1.0)
        conn.requests_to_send()
        conn.abandon(txn)
        if i % 512 == 0:
            conn.handle_timer(1.0)
    return time.perf_counter() - start, requests


def bytes_per_session(n: int) -> float:
    """tracemalloc bytes per idle session with one handle (keepalive scheduled)."""
    conn = jp.JanusConnection(jp.JanusConfig())
    conn.connection_made(now=0.0)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(1, n + 1):
        sid = 10**12 + i
        txn = conn.send(jp.Create(), now=0.0)
        conn.receive_message(
            '{"janus":"success","transaction":"%s","data":{"id":%d}}' % (txn, sid), now=0.0
        )
        txn = conn.send(jp.Attach(session_id=sid, plugin="janus.plugin.echotest"), now=0.0)
        conn.receive_message(
            '{"janus":"success","session_id":%d,"transaction":"%s",'
            '"data":{"id":%d}}' % (sid, txn, sid + 7),
            now=0.0,
        )
        conn.requests_to_send()
        while conn.next_event() is not None:
            pass
    conn.handle_timer(0.0)  # drops the answered transactions' heap entries
    conn.get_timer()
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    diff = sum(s.size_diff for s in after.compare_to(before, "filename"))
    return diff / n


def _median(fn: Callable[[int], tuple[float, int]], n: int, reps: int) -> tuple[float, float]:
    rates = []
    for _ in range(reps):
        seconds, count = fn(n)
        rates.append(count / seconds)
    return statistics.median(rates), statistics.pstdev(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--json", type=Path, help="append JSON lines here")
    args = parser.parse_args(argv)
    rounds, sends, sessions = (200, 1000, 200) if args.smoke else (20_000, 100_000, 10_000)
    reps = 1 if args.smoke else args.reps
    mix, mix_sd = _median(bench_mix, rounds, reps)
    send, send_sd = _median(bench_send, sends, reps)
    per_session = bytes_per_session(sessions)
    rows = [
        ("C1 receive mix", f"{mix:,.0f} msg/s", f"± {mix_sd:,.0f}"),
        ("C1 send+encode", f"{send:,.0f} req/s", f"± {send_sd:,.0f}"),
        ("C1 idle session + handle", f"{per_session:,.0f} B", f"n={sessions}"),
    ]
    print(f"janus_proto core, Python {platform.python_version()} on {platform.machine()}")
    for name, value, note in rows:
        print(f"  {name:<28} {value:>16}  {note}")
    if args.json:
        with args.json.open("a") as fh:
            for key, figure in (
                ("c1_mix_msgs_per_s", mix),
                ("c1_send_req_per_s", send),
                ("c1_bytes_per_session", per_session),
            ):
                fh.write(
                    json.dumps(
                        {
                            "benchmark": key,
                            "value": figure,
                            "smoke": args.smoke,
                            "time": time.time(),
                        }
                    )
                    + "\n"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
