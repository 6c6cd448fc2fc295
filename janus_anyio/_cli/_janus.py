"""The Janus API commands of ``janus-client``: ``info``, ``ping``, ``videoroom``, ``streaming``."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

import anyio

import janus_proto as jp

from .._client import AdminClient, JanusClient
from ..plugins import StreamingHandle, VideoRoomHandle
from ._admin import Command
from ._context import Context
from ._output import fmt, pairs, table

__all__ = ["COMMANDS", "room_id"]


def room_id(text: str) -> int | str:
    """A room or mountpoint id: an int when it is all digits, else a string id."""
    return int(text) if text.isdecimal() else text


def _short(text: Any, width: int = 64) -> Any:
    """``text`` cut to ``width`` characters (with an ellipsis)."""
    if isinstance(text, str) and len(text) > width:
        return text[: width - 1].rstrip() + "…"
    return text


def _public(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A Janus reply without its envelope (``janus``, ``transaction``)."""
    return {k: v for k, v in raw.items() if k not in ("janus", "transaction")}


async def _server_info(ctx: Context, admin: bool) -> jp.ServerInfo:
    if admin:
        async with ctx.admin() as admin_client:
            return await admin_client.info()
    async with ctx.janus() as client:
        return await client.info()


async def info(ctx: Context, args: argparse.Namespace) -> None:
    """Show the server's ``info``: version, settings, plugins and transports."""
    server = await _server_info(ctx, args.admin)
    raw = _public(server.raw)

    def rows(items: Mapping[str, Any]) -> list[list[Any]]:
        return [
            [name, (d or {}).get("version_string"), _short((d or {}).get("description"))]
            for name, d in sorted(items.items())
        ]

    general = [
        ("server name", raw.get("server-name")),
        ("session timeout", f"{fmt(server.session_timeout)} s"),
        ("reclaim timeout", f"{fmt(server.reclaim_session_timeout)} s"),
        ("api secret", "required" if server.api_secret else "not required"),
        ("auth token", "required" if server.auth_token else "not required"),
        ("full trickle", server.full_trickle),
        ("local ip", raw.get("local-ip")),
        ("public ips", raw.get("public-ips") or raw.get("public-ip")),
    ]
    text = "\n\n".join(
        [
            f"{server.name or 'Janus'} {server.version_string}",
            pairs(general, indent="  "),
            table(["plugin", "version", "description"], rows(server.plugins), empty="no plugins"),
            table(["transport", "version", "description"], rows(server.transports)),
        ]
    )
    ctx.out.result(raw, text)


async def ping(ctx: Context, args: argparse.Namespace) -> None:
    """Ping Janus ``--count`` times; print each round-trip time and a summary."""
    url = ctx.settings.admin_url if args.admin else ctx.settings.url
    times: list[float] = []

    async def loop(client: JanusClient | AdminClient) -> None:
        for i in range(args.count):
            if i:
                await anyio.sleep(args.interval)
            rtt = await client.ping() * 1000
            times.append(rtt)
            ctx.out.line(f"pong from {url}: seq={i + 1} time={rtt:.2f} ms")

    if args.admin:
        async with ctx.admin() as admin:
            await loop(admin)
    else:
        async with ctx.janus() as client:
            await loop(client)
    stats = {
        "url": url,
        "count": len(times),
        "rtt_ms": [round(t, 3) for t in times],
        "min_ms": round(min(times), 3),
        "avg_ms": round(sum(times) / len(times), 3),
        "max_ms": round(max(times), 3),
    }
    ctx.out.result(
        stats,
        f"{len(times)} pings: min/avg/max = "
        f"{stats['min_ms']:.2f}/{stats['avg_ms']:.2f}/{stats['max_ms']:.2f} ms",
    )


# -- VideoRoom ---------------------------------------------------------------------------


async def videoroom_list(ctx: Context, args: argparse.Namespace) -> None:
    """List the rooms (private ones too with ``--admin-key``)."""
    ctx.out.add_secret(args.admin_key)
    async with ctx.plugin(VideoRoomHandle) as room:
        rooms = await room.list_rooms(admin_key=args.admin_key)
    rows = (
        [
            r.room,
            r.description,
            r.num_participants,
            r.max_publishers,
            r.pin_required,
            r.is_private,
            r.audiocodec,
            r.videocodec,
            r.record,
        ]
        for r in rooms
    )
    headers = ["room", "description", "participants", "max pub", "pin", "private"]
    headers += ["audio", "video", "record"]
    ctx.out.result({"rooms": [dict(r.raw) for r in rooms]}, table(headers, rows, empty="no rooms"))


async def videoroom_create(ctx: Context, args: argparse.Namespace) -> None:
    """Create a room (Janus picks the id when none is given)."""
    for secret in (args.secret, args.pin, args.admin_key):
        ctx.out.add_secret(secret)
    settings = {
        "description": args.description,
        "secret": args.secret,
        "pin": args.pin,
        "admin_key": args.admin_key,
        "publishers": args.publishers,
        "bitrate": args.bitrate,
        "is_private": args.private or None,
        "permanent": args.permanent or None,
        "record": args.record or None,
        "rec_dir": args.rec_dir,
        "audiocodec": args.audiocodec,
        "videocodec": args.videocodec,
    }
    settings = {k: v for k, v in settings.items() if v is not None}
    room = None if args.room is None else room_id(args.room)
    async with ctx.plugin(VideoRoomHandle) as handle:
        created = await handle.create(room, **settings)
    ctx.out.result(_public(created.raw), f"created room {created.room}")


async def videoroom_destroy(ctx: Context, args: argparse.Namespace) -> None:
    """Destroy a room."""
    ctx.out.add_secret(args.secret)
    async with ctx.plugin(VideoRoomHandle) as handle:
        done = await handle.destroy(
            room_id(args.room), secret=args.secret, permanent=args.permanent or None
        )
    ctx.out.result(_public(done.raw), f"destroyed room {done.room}")


async def videoroom_participants(ctx: Context, args: argparse.Namespace) -> None:
    """List the participants of a room."""
    async with ctx.plugin(VideoRoomHandle) as handle:
        people = await handle.list_participants(room_id(args.room))
    rows = ([p.id, p.display, p.publisher, p.talking] for p in people)
    ctx.out.result(
        {"room": room_id(args.room), "participants": [dict(p.raw) for p in people]},
        table(["id", "display", "publisher", "talking"], rows, empty="no participants"),
    )


# -- Streaming ---------------------------------------------------------------------------


async def streaming_list(ctx: Context, args: argparse.Namespace) -> None:
    """List the mountpoints (private ones too with ``--admin-key``)."""
    ctx.out.add_secret(args.admin_key)
    async with ctx.plugin(StreamingHandle) as handle:
        mountpoints = await handle.list(admin_key=args.admin_key)
    rows = (
        [
            m.id,
            m.type,
            m.description,
            m.enabled,
            [f"{s.mid}:{s.type}" for s in m.media],
            [s.age_ms for s in m.media if s.age_ms is not None],
        ]
        for m in mountpoints
    )
    ctx.out.result(
        {"mountpoints": [dict(m.raw) for m in mountpoints]},
        table(["id", "type", "description", "enabled", "media", "age ms"], rows, empty="none"),
    )


async def streaming_info(ctx: Context, args: argparse.Namespace) -> None:
    """Show a mountpoint (ports, viewers... with its ``--secret``)."""
    ctx.out.add_secret(args.secret)
    async with ctx.plugin(StreamingHandle) as handle:
        mp = await handle.info(room_id(args.id), secret=args.secret)
    general = [
        ("name", mp.name),
        ("description", mp.description),
        ("type", mp.type),
        ("enabled", mp.enabled),
        ("private", mp.is_private),
        ("viewers", mp.viewers),
        ("pin", None if mp.pin is None else "set"),
        ("host", mp.host),
        ("file", mp.filename),
        ("metadata", mp.metadata),
    ]
    streams = table(
        ["mid", "type", "codec", "pt", "port", "rtcp port", "age ms", "recording"],
        (
            [m.mid, m.type, m.codec, m.pt, m.port, m.rtcpport, m.age_ms, m.recording]
            for m in mp.media
        ),
        empty="no streams",
    )
    info = mp.raw.get("info", {})
    text = "\n".join([f"Mountpoint {mp.id}", pairs(general, indent="  "), streams])
    ctx.out.result({"info": info}, text)


COMMANDS: dict[str, Command] = {
    "info": info,
    "ping": ping,
    "videoroom list": videoroom_list,
    "videoroom create": videoroom_create,
    "videoroom destroy": videoroom_destroy,
    "videoroom participants": videoroom_participants,
    "streaming list": streaming_list,
    "streaming info": streaming_info,
}
