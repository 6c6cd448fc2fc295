"""C2: typing plugin events alone (no I/O): ``PluginCodec.parse_event`` per event.

Run: ``python benchmarks/plugin_codecs.py`` (``--smoke`` for tiny sizes, ``--profile MIX``
for a cProfile of one mix with Python calls per event, ``--json FILE`` to append JSON
lines). Each plugin's mix is a list of event shapes as Janus 1.1.2 sends them (written
after ``janus-api.md`` and the codec tests), parsed round after round; the W5 mix is the
``joining`` events each participant of a ``notify_joining`` room gets, the VideoRoom mix
adds what a publisher and a subscriber see.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from janus_proto.plugins import (
    CODECS,
    GenericPluginData,
    PluginCodec,
    textroom,
)

Event = Mapping[str, Any]

_STREAMS = [
    {"type": "audio", "mindex": 0, "mid": "0", "codec": "opus", "fec": True},
    {"type": "video", "mindex": 1, "mid": "1", "codec": "vp8", "simulcast": False},
]
_OFFER = {"type": "offer", "sdp": "v=0\r\n"}

#: W5: what each of P participants receives as the others join (``notify_joining``).
W5: list[Event] = [
    {"videoroom": "event", "room": 1234, "joining": {"id": 1000 + i, "display": f"p{i}"}}
    for i in range(8)
]

#: Event shapes per plugin (package name -> events), W5's first.
MIXES: dict[str, list[Event]] = {
    "W5 (videoroom joining)": W5,
    "janus.plugin.videoroom": [
        *W5[:2],
        {
            "videoroom": "joined",
            "room": 1234,
            "description": "Demo Room",
            "id": 17,
            "private_id": 3,
            "publishers": [{"id": 18, "display": "a", "streams": _STREAMS}],
            "attendees": [{"id": 19, "display": "b"}],
        },
        {
            "videoroom": "event",
            "room": 1234,
            "publishers": [{"id": 20, "display": "c", "streams": _STREAMS}],
        },
        {"videoroom": "event", "room": 1234, "configured": "ok", "streams": _STREAMS},
        {"videoroom": "event", "room": 1234, "leaving": 19},
        {"videoroom": "event", "room": 1234, "unpublished": 20},
        {"videoroom": "talking", "room": 1234, "id": 18, "mid": "0", "audio-level-dBov-avg": 37},
        {"videoroom": "event", "room": 1234, "mid": "1", "substream": 2},
        {
            "videoroom": "attached",
            "room": 1234,
            "streams": [{"type": "video", "mindex": 0, "mid": "0", "feed_id": 18, "feed_mid": "1"}],
        },
        {"videoroom": "event", "room": 1234, "started": "ok"},
    ],
    "janus.plugin.videocall": [
        {"videocall": "event", "result": {"event": "registered", "username": "alice"}},
        {"videocall": "event", "result": {"event": "incomingcall", "username": "bob"}},
        {"videocall": "event", "result": {"event": "accepted", "username": "bob"}},
        {"videocall": "event", "result": {"event": "set"}},
        {"videocall": "event", "result": {"event": "simulcast", "substream": 1}},
        {"videocall": "event", "result": {"event": "hangup", "username": "bob", "reason": "x"}},
    ],
    "janus.plugin.echotest": [
        {"echotest": "event", "result": "ok"},
        {"echotest": "event", "videocodec": "vp8", "substream": 1, "temporal": 0},
        {"echotest": "event", "result": "done"},
    ],
    "janus.plugin.audiobridge": [
        {
            "audiobridge": "joined",
            "room": 1234,
            "participants": [{"id": 7, "display": "x", "setup": True, "muted": False}],
        },
        {"audiobridge": "talking", "room": 1234, "id": 7},
        {"audiobridge": "stopped-talking", "room": 1234, "id": 7},
        {"audiobridge": "event", "room": 1234, "leaving": 7},
        {"audiobridge": "event", "result": "ok"},
    ],
    "janus.plugin.streaming": [
        {"streaming": "event", "result": {"status": "preparing"}},
        {"streaming": "event", "result": {"status": "started"}},
        {"streaming": "event", "result": {"switched": "ok", "id": 1}},
        {"streaming": "event", "result": {"substream": 1, "temporal": 2}},
    ],
    "janus.plugin.sip": [
        {"sip": "event", "result": {"event": "registered", "username": "sip:a@b"}},
        {
            "sip": "event",
            "call_id": "c1",
            "result": {"event": "incomingcall", "username": "sip:b@c", "displayname": "B"},
        },
        {"sip": "event", "call_id": "c1", "result": {"event": "accepted"}},
        {"sip": "event", "call_id": "c1", "result": {"event": "hangup", "code": 200}},
    ],
    "janus.plugin.textroom (data)": [
        {"textroom": "message", "room": 1234, "from": "a", "date": "d", "text": "hi"},
        {"textroom": "join", "room": 1234, "username": "b", "display": "B"},
        {"textroom": "leave", "room": 1234, "username": "b"},
    ],
}


def codec_of(name: str) -> PluginCodec:
    """The codec a mix is parsed with (TextRoom's data channel has its own)."""
    if name.startswith("W5"):
        return CODECS["janus.plugin.videoroom"]
    return textroom.DATA_CODEC if name.endswith("(data)") else CODECS[name]


def bench(name: str, rounds: int) -> float:
    """Seconds to parse ``rounds`` rounds of the mix of plugin ``name``."""
    codec, events = codec_of(name), MIXES[name]
    parse = codec.parse_event
    gc.collect()
    start = time.perf_counter()
    for _ in range(rounds):
        for data in events:
            parse(data, _OFFER)
    return time.perf_counter() - start


def check() -> None:
    """Every event of every mix is typed (none falls back to generic data)."""
    for name, events in MIXES.items():
        for data in events:
            if isinstance(codec_of(name).parse_event(data), GenericPluginData):
                raise SystemExit(f"{name}: not typed: {data}")


def profile(name: str, rounds: int) -> None:
    """Print a cProfile of the mix of ``name``, and Python calls per event."""
    codec, events = codec_of(name), MIXES[name]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for data in events:
            codec.parse_event(data, _OFFER)
    profiler.disable()
    stats = pstats.Stats(profiler)
    calls = sum(v[1] for v in stats.stats.values())  # type: ignore[attr-defined]
    print(f"{name}: {calls / (rounds * len(events)):.1f} calls per event")
    stats.sort_stats("tottime").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions (median reported)")
    parser.add_argument("--events", type=int, default=200_000, help="events per plugin per rep")
    parser.add_argument("--profile", metavar="PLUGIN", help="profile one mix (e.g. videoroom)")
    parser.add_argument("--json", type=Path, help="append JSON lines to this file")
    args = parser.parse_args(argv)
    check()
    if args.profile:
        name = next(n for n in MIXES if args.profile in n)
        profile(name, max(1, args.events // len(MIXES[name])))
        return 0
    total = 2_000 if args.smoke else args.events
    reps = 1 if args.smoke else args.reps
    print(f"{'mix':<32} {'events/s':>12} {'µs/event':>9}   (median of {reps})")
    for name, events in MIXES.items():
        rounds = max(1, total // len(events))
        rates = [rounds * len(events) / bench(name, rounds) for _ in range(reps)]
        rate = statistics.median(rates)
        print(f"{name:<32} {rate:>12,.0f} {1e6 / rate:>9.2f}")
        if args.json:
            with args.json.open("a") as fh:
                record = {"bench": "C2", "mix": name, "events_per_s": rate, "rates": rates}
                record["python"] = platform.python_version()
                fh.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
