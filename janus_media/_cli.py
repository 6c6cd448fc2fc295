"""``janus-client echo``: the quickest end-to-end check of a Janus deployment.

Registered in the ``janus_client.cli`` entry-point group (see :mod:`janus_anyio.cli`): it
sends stamped video and a tone (or a media file) through EchoTest, shows live progress on
stderr, then a summary (or JSON), and exits 0 only when media came back.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

from aiortc import RTCBundlePolicy, RTCConfiguration, RTCIceServer

from janus_anyio.cli import CommandRegistry, Context, Output

from ._errors import MediaError
from ._probe import EchoProbe, ProbeProgress, ProbeSummary

__all__ = ["register", "EXIT_NO_MEDIA", "ice_configuration"]

#: Janus answered, but no media came back (ICE or DTLS failed, nothing echoed).
EXIT_NO_MEDIA = 4

_EPILOG = f"""\
It attaches EchoTest, sends 320x240 video whose frames carry their index (or --file) and a
440 Hz tone, and reads the echoed frames back: round-trip latency comes from the indexes.
No STUN or TURN server is used unless given with --ice-server.

exit status:
  0    media came back
  1    Janus or EchoTest answered with an error
  2    usage error (bad option, missing --file, aiortc not installed)
  3    connection refused or lost, or no answer within --timeout
  {EXIT_NO_MEDIA}    Janus answered but no media came back (ICE/DTLS failed, nothing echoed)

environment:
  JANUS_ICE_CREDENTIAL    the TURN credential (--ice-credential)"""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def register(commands: CommandRegistry) -> None:
    """Add ``echo`` to ``janus-client`` (the entry point of the ``janus_client.cli`` group)."""
    p = commands.add_command(
        "echo",
        help="send video and a tone through EchoTest and measure what comes back",
        run=_echo,
        epilog=_EPILOG,
        backends=("asyncio",),
    )
    p.add_argument(
        "target", nargs="?", metavar="URL", help="Janus API URL (default: --url, JANUS_URL)"
    )
    p.add_argument("--duration", type=_seconds, default=5.0, metavar="SECONDS", help="of media (5)")
    p.add_argument("--file", metavar="PATH", help="send this media file's audio and video")
    p.add_argument("--no-audio", action="store_true", help="send no audio")
    p.add_argument("--no-video", action="store_true", help="send no video")
    p.add_argument(
        "--setup-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="allowed for webrtcup and the first echoed frame (10)",
    )
    p.add_argument(
        "--ice-server",
        dest="ice_servers",
        action="append",
        default=[],
        metavar="URL",
        help="a STUN or TURN server (stun:host:port, turn:host:port?transport=udp); repeat "
        "for more (default: none)",
    )
    p.add_argument("--ice-username", metavar="NAME", help="TURN username")
    p.add_argument("--ice-credential", metavar="SECRET", help="TURN credential")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def ice_configuration(
    servers: list[str], username: str | None = None, credential: str | None = None
) -> RTCConfiguration:
    """aiortc's configuration for these ICE server URLs (none: no STUN or TURN at all).

    Raises:
        ValueError: a URL that is not ``stun:``, ``stuns:``, ``turn:`` or ``turns:``, or a
            TURN server without username and credential.
    """
    for url in servers:
        scheme = url.split(":", 1)[0].lower()
        if scheme not in ("stun", "stuns", "turn", "turns") or ":" not in url:
            raise ValueError(f"--ice-server: not a stun: or turn: URL: {url!r}")
        if scheme.startswith("turn") and not (username and credential):
            raise ValueError(
                f"--ice-server {url}: a TURN server needs --ice-username and "
                "--ice-credential (or JANUS_ICE_CREDENTIAL)"
            )
    ice = [RTCIceServer(urls=url, username=username, credential=credential) for url in servers]
    return RTCConfiguration(iceServers=ice, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def _progress_line(p: ProbeProgress) -> str:
    parts = [f"echo {p.elapsed:5.1f} s", p.stage]
    if p.frames_sent or p.frames_echoed:
        parts.append(f"video {p.frames_sent} sent {p.frames_echoed} echoed")
    if p.audio_frames_sent or p.audio_frames_echoed:
        parts.append(f"audio {p.audio_frames_sent} sent {p.audio_frames_echoed} echoed")
    if p.latency is not None:
        parts.append(f"round trip {_ms(p.latency)}")
    if p.stats.packets_lost is not None:
        parts.append(f"lost {p.stats.packets_lost}")
    if p.stats.jitter is not None:
        parts.append(f"jitter {_ms(p.stats.jitter)}")
    return "  ".join(parts)


def _show(out: Output, p: ProbeProgress, last_line: list[float]) -> None:
    """Events as lines; the rest as a status line (a terminal) or a line a second."""
    for event in p.new_events:
        out.note(f"  {event}")
    line = _progress_line(p)
    if p.stage == "done":
        out.note(line)  # (replaces the status line of a terminal: the final figures stay)
    elif not out.status(line) and p.elapsed - last_line[0] >= 1.0:
        last_line[0] = p.elapsed
        out.note(line)


def _rows(url: str, s: ProbeSummary) -> list[tuple[str, Any]]:
    def share(part: int, whole: int) -> str:
        return f" ({100 * part / whole:.1f} %)" if whole else ""

    stats = s.stats
    rows: list[tuple[str, Any]] = [
        ("janus", url),
        ("result", "media came back" if s.ok else f"FAILED: {s.failure}"),
        ("source", s.source),
        ("duration", f"{s.duration:.1f} s"),
        (
            "video frames",
            f"{s.frames_sent} sent, {s.frames_echoed} echoed"
            + share(s.frames_echoed, s.frames_sent),
        ),
        (
            "audio frames",
            f"{s.audio_frames_sent} sent, {s.audio_frames_echoed} echoed"
            + share(s.audio_frames_echoed, s.audio_frames_sent),
        ),
        (
            "round trip",
            f"min {_ms(s.latency_min)}, median {_ms(s.latency_median)}, p95 {_ms(s.latency_p95)}",
        ),
        ("offer -> webrtcup", _ms(s.offer_to_webrtcup)),
        ("offer -> first echo", _ms(s.offer_to_first_echo)),
        (
            "packets back",
            "-"
            if stats.packets_received is None
            else f"{stats.packets_received} received, {stats.packets_lost} lost",
        ),
        ("jitter", _ms(stats.jitter)),
        ("rtt (rtcp)", _ms(stats.round_trip_time)),
    ]
    return rows


def _table(rows: list[tuple[str, Any]]) -> str:
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"{key.ljust(width)}  {value}" for key, value in rows)


async def _echo(ctx: Context, args: argparse.Namespace) -> int:
    """Run the probe; the exit status says whether media came back."""
    out = ctx.out
    env: Mapping[str, str] = os.environ
    credential = args.ice_credential or env.get("JANUS_ICE_CREDENTIAL") or None
    out.add_secret(credential)
    configuration = ice_configuration(args.ice_servers, args.ice_username, credential)
    if args.file is not None and not os.path.isfile(args.file):
        raise ValueError(f"--file: no such file: {args.file}")
    if args.no_audio and args.no_video:
        raise ValueError("--no-audio and --no-video: nothing to send")
    url = args.target or ctx.settings.url
    last_line = [-1.0]
    try:
        async with ctx.janus(url=url, keepalive=True) as client, client.session() as session:
            probe = EchoProbe(
                session,
                duration=args.duration,
                file=args.file,
                audio=not args.no_audio,
                video=not args.no_video,
                setup_timeout=args.setup_timeout,
                configuration=configuration,
            )
            async with probe:
                async for progress in probe.progress():
                    if not args.quiet:
                        _show(out, progress, last_line)
            summary = await probe.result()
    except MediaError as exc:
        out.error("media", f"echo: {exc}")
        return EXIT_NO_MEDIA
    out.result({"url": url, **summary.to_dict()}, _table(_rows(url, summary)))
    return 0 if summary.ok else EXIT_NO_MEDIA
