"""The ``janus-client admin ...`` commands (Janus's Admin/Monitor API)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import janus_proto as jp

from ._context import Context
from ._output import MASK, pairs, table
from ._summary import render_summary, summarize_handle

__all__ = ["SETTERS", "Command", "COMMANDS", "read_token"]

Command = Callable[[Context, argparse.Namespace], Awaitable[None]]


def _onoff(value: bool) -> str:
    return "on" if value else "off"


def read_token(value: str) -> str:
    """The token argument; ``-`` reads it from the first line of stdin (so that it appears
    in no process list)."""
    if value == "-":
        value = sys.stdin.readline().strip()
        if not value:
            raise ValueError("no token on stdin")
    return value


async def sessions(ctx: Context, args: argparse.Namespace) -> None:
    """List the sessions."""
    async with ctx.admin() as admin:
        ids = await admin.list_sessions()
    ctx.out.result({"sessions": ids}, table(["session"], ([i] for i in ids), empty="no sessions"))


async def handles(ctx: Context, args: argparse.Namespace) -> None:
    """List the handles of a session."""
    async with ctx.admin() as admin:
        ids = await admin.list_handles(args.session)
    ctx.out.result(
        {"session_id": args.session, "handles": ids},
        table(["handle"], ([i] for i in ids), empty="no handles"),
    )


async def handle_info(ctx: Context, args: argparse.Namespace) -> None:
    """Summarize a handle's ICE/DTLS state and packet counters."""
    async with ctx.admin() as admin:
        info = await admin.handle_info(args.session, args.handle)
    summary = summarize_handle(info)
    ctx.out.result(
        {"session_id": args.session, "handle_id": args.handle, "summary": summary, "info": info},
        render_summary(summary),
    )


async def status(ctx: Context, args: argparse.Namespace) -> None:
    """Show the server's runtime settings."""
    async with ctx.admin() as admin:
        settings = await admin.get_status()
    ctx.out.result({"status": settings}, pairs(sorted(settings.items())))


async def log_level(ctx: Context, args: argparse.Namespace) -> None:
    """Show the log level, or set it."""
    async with ctx.admin() as admin:
        if args.level is None:
            level = int((await admin.get_status()).get("log_level", -1))
        else:
            level = await admin.set_log_level(args.level)
    ctx.out.result({"log_level": level}, f"log level: {level}")


async def accept_new_sessions(ctx: Context, args: argparse.Namespace) -> None:
    """Allow or refuse new sessions."""
    async with ctx.admin() as admin:
        accept = await admin.accept_new_sessions(args.value)
    ctx.out.result({"accept": accept}, f"accepting new sessions: {_onoff(accept)}")


async def hangup(ctx: Context, args: argparse.Namespace) -> None:
    """Hang up a handle's PeerConnection."""
    async with ctx.admin() as admin:
        await admin.hangup_webrtc(args.session, args.handle)
    ids = {"session_id": args.session, "handle_id": args.handle}
    ctx.out.result({"ok": True, **ids}, f"hung up handle {args.handle}")


async def detach(ctx: Context, args: argparse.Namespace) -> None:
    """Detach a handle."""
    async with ctx.admin() as admin:
        await admin.detach_handle(args.session, args.handle)
    ids = {"session_id": args.session, "handle_id": args.handle}
    ctx.out.result({"ok": True, **ids}, f"detached handle {args.handle}")


async def destroy(ctx: Context, args: argparse.Namespace) -> None:
    """Destroy a session."""
    async with ctx.admin() as admin:
        await admin.destroy_session(args.session)
    ctx.out.result({"ok": True, "session_id": args.session}, f"destroyed session {args.session}")


async def pcap_start(ctx: Context, args: argparse.Namespace) -> None:
    """Start capturing a handle's traffic (pcap, or text2pcap with ``--text``)."""
    cls = jp.StartText2Pcap if args.text else jp.StartPcap
    request = cls(
        session_id=args.session,
        handle_id=args.handle,
        folder=args.folder,
        filename=args.filename,
        truncate=args.truncate,
    )
    async with ctx.admin() as admin:
        await admin.call(request)
    what = "text2pcap" if args.text else "pcap"
    ctx.out.result(
        {"ok": True, "session_id": args.session, "handle_id": args.handle, "format": what},
        f"{what} capture of handle {args.handle} started",
    )


async def pcap_stop(ctx: Context, args: argparse.Namespace) -> None:
    """Stop capturing a handle's traffic."""
    cls = jp.StopText2Pcap if args.text else jp.StopPcap
    async with ctx.admin() as admin:
        await admin.call(cls(session_id=args.session, handle_id=args.handle))
    what = "text2pcap" if args.text else "pcap"
    ctx.out.result(
        {"ok": True, "session_id": args.session, "handle_id": args.handle, "format": what},
        f"{what} capture of handle {args.handle} stopped",
    )


# -- tokens ------------------------------------------------------------------------------


async def tokens_list(ctx: Context, args: argparse.Namespace) -> None:
    """List the stored tokens and the plugins each may use."""
    async with ctx.admin() as admin:
        tokens = await admin.list_tokens()
    # The command's own token is never shown, not even here (masked before the table is
    # laid out, so that the columns stay aligned).
    tokens = [{**t, "token": MASK} if t.get("token") in ctx.out.secrets else t for t in tokens]
    rows = ([t.get("token"), t.get("allowed_plugins")] for t in tokens)
    ctx.out.result(
        {"tokens": tokens},
        table(["token", "allowed plugins"], rows, empty="no tokens"),
        keep=frozenset({"token"}),
    )


async def tokens_add(ctx: Context, args: argparse.Namespace) -> None:
    """Add a stored token (for every plugin, or the ``--plugin`` ones)."""
    token = read_token(args.token)
    ctx.out.add_secret(token)
    async with ctx.admin() as admin:
        plugins = await admin.add_token(token, args.plugins or None)
    ctx.out.result({"ok": True, "plugins": plugins}, f"token added; allowed: {', '.join(plugins)}")


async def tokens_remove(ctx: Context, args: argparse.Namespace) -> None:
    """Remove a stored token."""
    token = read_token(args.token)
    ctx.out.add_secret(token)
    async with ctx.admin() as admin:
        await admin.remove_token(token)
    ctx.out.result({"ok": True}, "token removed")


async def tokens_allow(ctx: Context, args: argparse.Namespace) -> None:
    """Allow a stored token more plugins."""
    token = read_token(args.token)
    ctx.out.add_secret(token)
    async with ctx.admin() as admin:
        plugins = await admin.allow_token(token, args.plugins)
    ctx.out.result({"ok": True, "plugins": plugins}, f"token allowed: {', '.join(plugins)}")


async def tokens_disallow(ctx: Context, args: argparse.Namespace) -> None:
    """Forbid a stored token some plugins."""
    token = read_token(args.token)
    ctx.out.add_secret(token)
    async with ctx.admin() as admin:
        plugins = await admin.disallow_token(token, args.plugins)
    allowed = ", ".join(plugins) or "none"
    ctx.out.result({"ok": True, "plugins": plugins}, f"token allowed: {allowed}")


# -- set_* -------------------------------------------------------------------------------

#: ``admin set-*`` commands: (command, request class, field, value kind, help).
SETTERS: tuple[tuple[str, type[jp.AdminRequest], str, type, str], ...] = (
    ("set-session-timeout", jp.SetSessionTimeout, "timeout", int, "session timeout (seconds)"),
    ("set-log-level", jp.SetLogLevel, "level", int, "log level (0-7)"),
    ("set-log-timestamps", jp.SetLogTimestamps, "timestamps", bool, "log timestamps"),
    ("set-log-colors", jp.SetLogColors, "colors", bool, "log colours"),
    ("set-locking-debug", jp.SetLockingDebug, "debug", bool, "locking debug"),
    ("set-refcount-debug", jp.SetRefcountDebug, "debug", bool, "reference-count debug"),
    ("set-libnice-debug", jp.SetLibniceDebug, "debug", bool, "libnice debug"),
    ("set-min-nack-queue", jp.SetMinNackQueue, "min_nack_queue", int, "minimum NACK queue (ms)"),
    (
        "set-nack-optimizations",
        jp.SetNackOptimizations,
        "nack_optimizations",
        bool,
        "NACK optimizations",
    ),
    ("set-no-media-timer", jp.SetNoMediaTimer, "no_media_timer", int, "no-media timer (seconds)"),
    (
        "set-slowlink-threshold",
        jp.SetSlowlinkThreshold,
        "slowlink_threshold",
        int,
        "slowlink threshold (lost packets per second, 0 = off)",
    ),
)


def setter(cls: type[jp.AdminRequest], field: str) -> Command:
    """The command that sends ``cls(field=args.value)``.

    ``set_session_timeout`` and ``set_log_level`` go through their AdminClient methods; the
    other settings through :meth:`AdminClient.call` with the janus_proto request.
    """

    async def run(ctx: Context, args: argparse.Namespace) -> None:
        async with ctx.admin() as admin:
            data: dict[str, Any]
            if cls is jp.SetSessionTimeout:
                value = await admin.set_session_timeout(args.value, session_id=args.session)
                data = {"timeout": value}
                if args.session is not None:
                    data["session_id"] = args.session
            elif cls is jp.SetLogLevel:
                data = {"level": await admin.set_log_level(args.value)}
            else:
                data = await admin.call(cls(**{field: args.value}))
        data = data or {field: args.value}
        text = "\n".join(
            f"{key}: {_onoff(val) if isinstance(val, bool) else val}" for key, val in data.items()
        )
        ctx.out.result(data, text)

    run.__doc__ = f"Send {cls.VERB}."
    return run


COMMANDS: dict[str, Command] = {
    "sessions": sessions,
    "handles": handles,
    "handle-info": handle_info,
    "status": status,
    "log-level": log_level,
    "accept-new-sessions": accept_new_sessions,
    "hangup": hangup,
    "detach": detach,
    "destroy": destroy,
    "pcap start": pcap_start,
    "pcap stop": pcap_stop,
    "tokens list": tokens_list,
    "tokens add": tokens_add,
    "tokens remove": tokens_remove,
    "tokens allow": tokens_allow,
    "tokens disallow": tokens_disallow,
    **{name: setter(cls, field) for name, cls, field, _, _ in SETTERS},
}
