"""Mistakes of the user: clear errors naming the problem, raised before anything is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .fakeserver import FakeServer, fake_janus
from .helpers import require_janus

pytestmark = [pytest.mark.anyio]

KINDS = ["ws", "http"]


@asynccontextmanager
async def _setup(
    kind: str,
) -> AsyncIterator[tuple[FakeServer, ja.JanusClient, ja.Session, ja.Handle]]:
    async with fake_janus(kind, poll_hold=1.0) as fake, ja.connect(fake.url) as client:
        session = await client.create_session()
        handle = await session.attach("janus.plugin.echotest")
        yield fake, client, session, handle


async def _refused(
    fake: FakeServer,
    call: Callable[[], Awaitable[Any]],
    error: type[BaseException] | tuple[type[BaseException], ...],
    match: str,
) -> None:
    sent = len(fake.janus.received)
    with pytest.raises(error, match=match):
        await call()
    await anyio.sleep(0.05)
    assert len(fake.janus.received) == sent, "something was sent"


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_argument_types_and_values(kind: str) -> None:
    async with _setup(kind) as (fake, client, session, handle):
        cases: list[tuple[Callable[[], Awaitable[Any]], type[BaseException], str]] = [
            (lambda: session.attach(123), TypeError, "plugin"),  # type: ignore[arg-type]
            (lambda: session.attach(""), jp.PluginNotFound, "No such plugin ''"),
            (
                lambda: session.attach("janus.plugin.echotest", opaque_id=5),  # type: ignore[arg-type]
                TypeError,
                "opaque_id",
            ),
            (lambda: handle.send("audio"), TypeError, "body"),  # type: ignore[arg-type]
            (lambda: handle.send({"a": object()}), jp.LocalProtocolError, "not valid JSON"),
            (lambda: handle.send({"a": float("nan")}), jp.LocalProtocolError, "not valid JSON"),
            (lambda: handle.send({}, jsep="offer"), TypeError, "jsep"),  # type: ignore[arg-type]
            (lambda: handle.send({}, timeout=-1), jp.LocalProtocolError, "timeout"),
            (lambda: handle.send({}, timeout="5"), jp.LocalProtocolError, "timeout"),  # type: ignore[arg-type]
            (
                lambda: handle.trickle(["candidate:1 1 udp 1 1.2.3.4 5 typ host"]),  # type: ignore[list-item]
                TypeError,
                "Candidate",
            ),
            (lambda: handle.trickle(), ValueError, "candidate or completed"),
            (lambda: client.create_session(session_id="7"), TypeError, "id"),  # type: ignore[arg-type]
            (lambda: client.create_session(session_id=0), ValueError, "id"),
            (lambda: client.claim_session(-1), ValueError, "session_id"),
            (lambda: client.request("info"), jp.LocalProtocolError, "Request"),  # type: ignore[arg-type]
            (
                lambda: client.request(jp.Attach(session_id=42, plugin="janus.plugin.echotest")),
                jp.LocalProtocolError,
                "unknown session 42",
            ),
            (
                lambda: client.request(jp.ListSessions()),
                jp.LocalProtocolError,
                "not a Janus API request",
            ),
        ]
        for call, error, match in cases:
            await _refused(fake, call, error, match)
        # The client is unharmed.
        assert (await handle.send({"audio": True})).data["result"] == "ok"


@pytest.mark.parametrize("kind", KINDS)
async def test_unknown_plugin_is_refused_before_sending(kind: str) -> None:
    async with _setup(kind) as (fake, _, session, _):
        await _refused(
            fake,
            lambda: session.attach("janus.plugin.nope"),
            jp.PluginNotFound,
            "No such plugin 'janus.plugin.nope'",
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"request_timeout": 0}, ValueError, "request_timeout"),
        ({"request_timeout": "15"}, TypeError, "request_timeout"),
        ({"keepalive_interval": "often"}, TypeError, "keepalive_interval"),
        ({"event_buffer": 0}, ValueError, "event_buffer"),
        ({"event_buffer": 2.5}, TypeError, "event_buffer"),
        ({"reconnect": "yes"}, TypeError, "reconnect"),
        ({"connect_timeout": -1}, ValueError, "connect_timeout"),
        ({"http_maxev": 0}, ValueError, "http_maxev"),
        ({"max_message_size": 0}, ValueError, "max_message_size"),
        ({"api_secret": 123}, TypeError, "api_secret"),
        ({"token": b"bytes"}, TypeError, "token"),
        ({"ssl_context": "insecure"}, TypeError, "ssl_context"),
    ],
)
async def test_bad_connect_arguments_open_nothing(
    kwargs: dict[str, Any], error: type[BaseException], match: str
) -> None:
    async with fake_janus("ws") as fake:
        with pytest.raises(error, match=match):
            async with ja.connect(fake.url, **kwargs):
                pass
        assert fake.janus.connections == 0


@pytest.mark.parametrize(
    ("url", "error", "match"),
    [
        (123, TypeError, "url must be a string"),
        ("ftp://127.0.0.1/janus", ValueError, "no transport for URL"),
        ("ws://", ValueError, "no host"),
    ],
)
async def test_bad_urls_are_refused(url: Any, error: type[BaseException], match: str) -> None:
    with pytest.raises(error, match=match):
        async with ja.connect(url):
            pass


@pytest.mark.parametrize("kind", KINDS)
async def test_destroyed_session_and_detached_handle(kind: str) -> None:
    async with _setup(kind) as (fake, client, session, handle):
        other = await session.attach("janus.plugin.echotest")
        await handle.detach()
        calls: list[Callable[[], Awaitable[Any]]] = [
            lambda: handle.send({"audio": True}),
            lambda: handle.trickle(completed=True),
            handle.hangup,
            handle.detach,
        ]
        for call in calls:
            await _refused(fake, call, ja.HandleClosed, f"handle {handle.id} is closed: detached")
        await session.destroy()
        calls = [
            lambda: session.attach("janus.plugin.echotest"),
            session.keepalive,
            session.destroy,
        ]
        for call in calls:
            await _refused(
                fake, call, ja.SessionClosed, f"session {session.id} is closed: destroyed"
            )
        # Its handles went with it.
        await _refused(
            fake, lambda: other.send({"audio": True}), ja.HandleClosed, f"handle {other.id}"
        )
        # The raw API names the session too.
        await _refused(
            fake,
            lambda: client.request(jp.KeepAlive(session_id=session.id)),
            jp.LocalProtocolError,
            f"unknown session {session.id}",
        )


@pytest.mark.parametrize("kind", KINDS)
async def test_closed_client(kind: str) -> None:
    async with _setup(kind) as (fake, client, session, handle):
        pass
    sent = len(fake.janus.received)
    assert client.closed
    with pytest.raises(ja.ConnectionClosed, match="client closed"):
        await client.info()
    with pytest.raises(ja.ConnectionClosed, match="client closed"):
        await client.create_session()
    with pytest.raises(ja.SessionClosed, match=f"session {session.id} is closed: client closed"):
        await session.attach("janus.plugin.echotest")
    with pytest.raises(ja.HandleClosed, match=f"handle {handle.id} is closed: client closed"):
        await handle.send({"audio": True})
    with pytest.raises(ja.ConnectionClosed):
        async with client.session():
            pass
    assert len(fake.janus.received) == sent


@pytest.mark.janus
async def test_unknown_plugin_on_a_real_janus() -> None:
    require_janus()
    with JanusServer(plugins=["janus.plugin.echotest"]) as janus:
        for url in (janus.ws_url, janus.http_url):
            async with ja.connect(url) as client, client.session() as session:
                with pytest.raises(jp.PluginNotFound, match=r"janus\.plugin\.videoroom") as err:
                    await session.attach("janus.plugin.videoroom")
                assert err.value.error_code == 460
                assert err.value.transaction is None  # refused locally, never sent
            # Without the server's plugin list (no info asked), Janus says the same.
            async with (
                ja.connect(url, keepalive_interval=10) as client,
                client.session() as session,
            ):
                with pytest.raises(jp.PluginNotFound, match=r"janus\.plugin\.videoroom") as err:
                    await session.attach("janus.plugin.videoroom")
                assert err.value.transaction is not None
