"""The seed-compatible facade against a real Janus, over WebSocket and HTTP (no media)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import subprocess
import sys
from typing import Any

import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer
from janus_client import (
    AllowedAction,
    JanusAdminMonitorClient,
    JanusEchoTestPlugin,
    JanusPlugin,
    JanusSession,
    JanusTextRoomPlugin,
    JanusTransport,
    JanusTransportHTTP,
    JanusTransportWebsocket,
    JanusVideoCallPlugin,
    JanusVideoRoomPlugin,
    ParticipantType,
    PluginAttachFail,
    TextRoomError,
    VideoCallError,
    VideoRoomError,
    VideoRoomEventType,
    is_subset,
)

from .conftest import ADMIN_SECRET, API_SECRET

pytestmark = [pytest.mark.anyio, pytest.mark.janus]

_rooms = itertools.count(os.getpid() % 10_000 * 1000 + 7_000_000)


def new_room() -> int:
    return next(_rooms)


async def admin_sessions(janus: JanusServer) -> list[int]:
    async with JanusAdminMonitorClient(janus.admin_http_url, ADMIN_SECRET) as admin:
        return await admin.list_sessions()


async def wait_until(predicate: Any, timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


# -- sessions --------------------------------------------------------------------------


async def test_connection_and_session_are_lazy(url: str, janus: JanusServer) -> None:
    session = JanusSession(base_url=url)
    connected_before = session.transport.connected  # (a local: mypy narrows properties)
    assert not connected_before
    id_before = session.id
    assert id_before is None
    assert "not created" in str(session)

    plugin = JanusEchoTestPlugin()
    await plugin.attach(session=session)  # connects and creates the session on the way
    assert session.transport.connected
    assert session.id is not None
    assert isinstance(plugin.id, int)
    assert session.id in await admin_sessions(janus)

    await plugin.destroy()
    await session.destroy()
    assert session.id not in await admin_sessions(janus)
    assert not session.transport.connected  # the session opened it, the session closed it


async def test_async_with_create_destroy_and_transport_kind(url: str, janus: JanusServer) -> None:
    async with JanusSession(base_url=url) as session:
        assert session.created
        expected = JanusTransportWebsocket if url.startswith("ws") else JanusTransportHTTP
        assert type(session.transport) is expected
        assert str(session.id) in repr(session)
        info = await session.transport.info()
        assert info["janus"] == "server_info"
        assert "janus.plugin.echotest" in info["plugins"]
        pong = await session.transport.ping()
        assert pong["janus"] == "pong"
        sid = session.id
    assert sid not in await admin_sessions(janus)


async def test_destroy_without_destroying_plugins_first(url: str, janus: JanusServer) -> None:
    session = JanusSession(base_url=url)
    plugins = [JanusVideoCallPlugin(), JanusVideoRoomPlugin(), JanusTextRoomPlugin()]
    for plugin in plugins:
        await plugin.attach(session=session)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await session.destroy()
    assert loop.time() - start < 5
    assert session.id not in await admin_sessions(janus)


async def test_session_send_returns_a_transaction(url: str) -> None:
    async with JanusSession(base_url=url) as session:
        txn = await session.send({"janus": "keepalive"})
        ack = await txn.get({"janus": "ack"}, timeout=5)
        assert ack["session_id"] == session.id
        assert txn.messages == [ack]
        await txn.done()
        failing = await session.send({"janus": "attach", "plugin": "janus.plugin.nope"})
        with pytest.raises(jp.PluginNotFound):
            await failing.get()
        with pytest.raises(ValueError, match="unknown request 'nonsense'"):
            await session.send({"janus": "nonsense"})
        with pytest.raises(ValueError, match="no 'janus' verb"):
            await session.send({"body": {}})


async def test_attach_failure_is_plugin_attach_fail(url: str) -> None:
    class Nope(JanusPlugin):
        name = "janus.plugin.nope"

    async with JanusSession(base_url=url) as session:
        with pytest.raises(PluginAttachFail, match=r"janus\.plugin\.nope"):
            await Nope().attach(session=session)
        plugin = JanusEchoTestPlugin()
        plugin.name = "janus.plugin.also.missing"  # overridable per instance
        with pytest.raises(PluginAttachFail, match=r"also\.missing"):
            await plugin.attach(session=session)


async def test_frozen_server_every_wait_has_a_deadline() -> None:
    from .conftest import PLUGINS, require_janus

    require_janus()
    with JanusServer(plugins=PLUGINS) as server:
        session = JanusSession(base_url=server.ws_url, request_timeout=1.0)
        call = JanusVideoCallPlugin()
        await call.attach(session=session)
        server.pause()
        try:
            loop = asyncio.get_running_loop()
            start = loop.time()
            with pytest.raises(ja.RequestTimeout):
                await call.list_users()
            assert loop.time() - start < 3
            start = loop.time()
            await session.destroy()  # no answer comes; it still returns
            assert loop.time() - start < 15
        finally:
            server.resume()


async def test_pending_requests_fail_when_the_server_dies() -> None:
    from .conftest import PLUGINS, require_janus

    require_janus()
    with JanusServer(plugins=PLUGINS) as server:
        transport = JanusTransportWebsocket(server.ws_url, request_timeout=30)
        session = JanusSession(transport=transport)
        call = JanusVideoCallPlugin()
        await call.attach(session=session)
        server.pause()
        pending = asyncio.ensure_future(call.list_users())
        await asyncio.sleep(0.2)
        server.kill()
        with pytest.raises((ja.ConnectionLost, ja.ConnectionClosed, ja.SessionClosed)):
            await asyncio.wait_for(pending, 10)
        await session.destroy()
        await transport.disconnect()


# -- plugins ---------------------------------------------------------------------------


async def test_plugin_send_and_videocall_names(url: str) -> None:
    async with JanusSession(base_url=url) as session:
        alice, bob = JanusVideoCallPlugin(), JanusVideoCallPlugin()
        await alice.attach(session=session)
        await bob.attach(session=session)
        name = f"alice-{alice.id}"
        assert await alice.register(name) is True
        assert alice.username == name
        assert name in await alice.list_users()
        assert name in await alice.list()  # the seed's name
        assert not alice.in_call

        reply = await bob.send({"janus": "message", "body": {"request": "list"}})
        assert is_subset(
            reply, {"plugindata": {"plugin": "janus.plugin.videocall", "data": {"result": {}}}}
        )
        assert name in reply["plugindata"]["data"]["result"]["list"]

        with pytest.raises(VideoCallError) as taken:
            await bob.register(name)
        assert taken.value.error_code == 476
        assert "taken" in taken.value.error_message.lower()
        with pytest.raises(VideoCallError) as nobody:
            await alice.call("nobody-here")
        assert nobody.value.error_code == 478
        with pytest.raises(ValueError, match="username"):
            await alice.register("")

        # The seed's trickle: one candidate, then the end of candidates.
        await bob.trickle(0, "candidate:1 1 udp 2130706431 127.0.0.2 5000 typ host")
        await bob.trickle(None, None)
        with pytest.raises(ValueError, match="sdpMLineIndex"):
            await bob.trickle(None, "candidate:1 1 udp 2130706431 127.0.0.2 5000 typ host")

        hangup = await bob.send({"janus": "hangup"})
        assert hangup["janus"] == "success"
        await alice.destroy()
        await bob.destroy()


async def test_videoroom_administration(url: str) -> None:
    room = new_room()
    async with JanusSession(base_url=url) as session:
        admin = JanusVideoRoomPlugin()
        await admin.attach(session=session)
        assert await admin.create_room(room, {"description": "facade", "secret": "s"}) is True
        assert await admin.exists(room)
        listed = {r["room"]: r for r in await admin.list_room()}
        assert listed[room]["description"] == "facade"
        assert [r["room"] for r in await admin.list_rooms()] == list(listed)  # 0.9 name
        assert await admin.list_participants(room) == []
        assert await admin.edit(room, secret="s", new_description="edited", new_publishers=5)
        assert {r["room"]: r for r in await admin.list_room()}[room]["description"] == "edited"
        assert await admin.allowed(room, secret="s", action=AllowedAction.ENABLE)
        assert await admin.allowed(room, "s", AllowedAction.ADD, ["tok-1"])
        assert await admin.allowed(room, "s", "disable")
        with pytest.raises(VideoRoomError) as wrong:
            await admin.destroy_room(room, secret="wrong")
        assert wrong.value.error_code == 433
        assert await admin.destroy_room(room, secret="s")
        assert not await admin.exists(room)
        with pytest.raises(VideoRoomError) as missing:
            await admin.destroy_room(room)
        assert missing.value.error_code == 426
        with pytest.raises(TypeError):
            await admin.create_room(new_room(), {"no_such_setting": 1})
        # 0.9 keyword form (the seed's bool result wins)
        other = new_room()
        assert await admin.create_room(other, description="kw", is_private=True)
        assert await admin.destroy_room(other)


async def test_videoroom_join_kick_and_properties(url: str) -> None:
    room = new_room()
    async with JanusSession(base_url=url) as session:
        one, two = JanusVideoRoomPlugin(), JanusVideoRoomPlugin()
        await one.attach(session=session)
        await two.attach(session=session)
        await one.create_room(room, {"secret": "s"})
        kind_before = one.participant_type
        assert kind_before is None  # None outside a room, as in 0.9
        assert await one.join(room, display_name="one")
        assert one.room_id == room
        kind_joined = one.participant_type
        assert kind_joined is ParticipantType.PUBLISHER
        assert isinstance(one.publisher_id, int)
        assert isinstance(one.private_id, int)
        assert one.display_name == "one"
        assert not one.is_publishing
        assert await two.join_as_publisher(room, publisher_id=4242, display="two")
        assert two.publisher_id == 4242
        ids = {p["id"] for p in await one.list_participants(room)}
        assert ids == {one.publisher_id, 4242}
        assert await one.kick_participant(room, 4242, secret="s")
        assert {p["id"] for p in await one.list_participants(room)} == {one.publisher_id}
        assert await one.leave()
        kind_after = one.participant_type
        assert kind_after is None
        left = [getattr(one, name) for name in ("room_id", "publisher_id", "private_id")]
        assert left == [None, None, None]
        with pytest.raises(VideoRoomError, match="Must join as publisher"):
            await one.publish([])
        await one.destroy_room(room, secret="s")


async def test_textroom_administration(url: str) -> None:
    room = new_room()
    async with JanusSession(base_url=url) as session:
        text = JanusTextRoomPlugin()
        await text.attach(session=session)
        assert await text.create_room(room, description="chat") == room
        assert room in {r["room"] for r in await text.list_rooms()}
        assert await text.list_participants(room) == []
        assert await text.send_announcement(room, "hello")
        assert await text.destroy_room(room)
        with pytest.raises(TextRoomError) as missing:
            await text.destroy_room(room)
        assert missing.value.error_code == 417
        with pytest.raises(TextRoomError, match="setup"):
            await text.join_room(room, "me")


# -- events and handlers ---------------------------------------------------------------


class Watcher(JanusVideoRoomPlugin):
    """Records what reaches on_receive; fails on the first event, and awaits a request
    from inside the handler on the others."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[dict[str, Any]] = []
        self.participants_seen: list[list[dict[str, Any]]] = []
        self.failures = 0
        self.room = 0

    async def on_receive(self, response: dict[str, Any]) -> None:
        self.received.append(response)
        if len(self.received) == 1:
            self.failures += 1
            raise RuntimeError("a broken user handler")
        # A handler that awaits a request of its own plugin must not deadlock.
        self.participants_seen.append(await self.list_participants(self.room))


async def test_on_receive_handlers_run_off_the_reader(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    room = new_room()
    caplog.set_level(logging.ERROR, logger="janus_client")
    async with JanusSession(base_url=url) as session:
        watcher, first, second = Watcher(), JanusVideoRoomPlugin(), JanusVideoRoomPlugin()
        watcher.room = room
        for plugin in (watcher, first, second):
            await plugin.attach(session=session)
        typed: list[dict[str, Any]] = []
        destroyed: list[dict[str, Any]] = []

        def broken(data: dict[str, Any]) -> None:
            raise ValueError("handler bug")

        async def on_destroyed(data: dict[str, Any]) -> None:
            destroyed.append(data)

        watcher.on_event(VideoRoomEventType.DESTROYED, broken)
        watcher.on_event(VideoRoomEventType.DESTROYED, on_destroyed)
        watcher.on_event(VideoRoomEventType.JOINED, typed.append)

        await watcher.create_room(room, {"notify_joining": True})
        await watcher.join(room, display_name="watcher")
        await first.join(room, display_name="first")  # the watcher hears "joining"
        await second.join(room, display_name="second")
        await wait_until(lambda: len(watcher.participants_seen) >= 1)
        await watcher.destroy_room(room)
        await wait_until(lambda: destroyed)

        joinings = [
            r["plugindata"]["data"]["joining"]["display"]
            for r in watcher.received
            if "joining" in r.get("plugindata", {}).get("data", {})
        ]
        assert joinings == ["first", "second"]
        assert watcher.failures == 1  # the first event's handler raised; the rest ran
        assert {p["display"] for p in watcher.participants_seen[0]} >= {"watcher", "first"}
        assert destroyed[0]["videoroom"] == "destroyed"
        assert destroyed[0]["room"] == room
        # The "joined" answering our own join reaches JOINED handlers (as in 0.9), once.
        assert [(d["videoroom"], d["room"]) for d in typed] == [("joined", room)]
        assert "a broken user handler" in caplog.text
        assert "handler bug" in caplog.text
        # The connection is fine after all that.
        assert await watcher.exists(room) is False


# -- secrets, logging, repr ------------------------------------------------------------


async def test_secrets_stay_out_of_repr_and_logs(
    janus_secret: JanusServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # (Janus 1.1.2 takes the api_secret or a stored token: either one is enough.)
    refused = JanusSession(base_url=janus_secret.ws_url, token="tok-x")
    with pytest.raises(jp.Unauthorized):  # tok-x is not stored
        await refused.create()
    await refused.destroy()
    admin = JanusAdminMonitorClient(janus_secret.admin_ws_url, ADMIN_SECRET)
    token = await admin.add_token(plugins=["janus.plugin.videocall"])
    try:
        session = JanusSession(base_url=janus_secret.ws_url, api_secret=API_SECRET, token=token)
        call = JanusVideoCallPlugin()
        await call.attach(session=session)
        await call.register(f"secretive-{call.id}")
        txn = await session.send({"janus": "keepalive"})
        await txn.get()
        texts = [repr(session), str(session), repr(session.transport), repr(call), repr(admin)]
        await session.destroy()
    finally:
        await admin.remove_token(token)
        await admin.disconnect()
    for text in [*texts, caplog.text]:
        assert API_SECRET not in text
        assert ADMIN_SECRET not in text
        assert token not in text


def test_import_configures_no_logging() -> None:
    code = (
        "import logging, janus_client; "
        "assert not logging.getLogger().handlers, logging.getLogger().handlers; "
        "assert logging.getLogger().level == logging.WARNING"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_wrong_api_secret_is_refused(janus_secret: JanusServer) -> None:
    session = JanusSession(base_url=janus_secret.http_url, api_secret="wrong")
    with pytest.raises(jp.Unauthorized):
        await session.create()
    await session.destroy()


# -- transports ------------------------------------------------------------------------


def test_transport_registry() -> None:
    ws = JanusTransport.create_transport("ws://127.0.0.1:1", api_secret="x")
    assert isinstance(ws, JanusTransportWebsocket)
    assert not ws.connected
    assert "x" not in repr(ws)
    assert isinstance(JanusTransport.create_transport("https://h/janus"), JanusTransportHTTP)
    with pytest.raises(ValueError, match="no transport"):
        JanusTransport.create_transport("ftp://h")
    with pytest.raises(TypeError):
        JanusTransport.register_transport("^x://", dict)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a ws or wss URL"):
        JanusTransportWebsocket("http://h")
    with pytest.raises(ValueError, match="base_url"):
        JanusSession()


async def test_unreachable_server_fails_in_time() -> None:
    session = JanusSession(base_url="ws://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(ja.TransportError):
        await asyncio.wait_for(session.create(), 30)
    await session.destroy()


# -- admin -----------------------------------------------------------------------------


async def test_admin_monitor_client(admin_url: str, janus: JanusServer) -> None:
    async with JanusAdminMonitorClient(admin_url, ADMIN_SECRET) as admin:
        assert (await admin.ping())["janus"] == "pong"
        assert (await admin.info())["name"] == "Janus WebRTC Server"
        assert isinstance(await admin.loops_info(), list)
        settings = await admin.get_settings()
        assert settings["log_level"] == janus.log_level
        assert await admin.set_log_level(5) == 5
        assert await admin.set_log_level(janus.log_level) == janus.log_level
        assert await admin.set_log_timestamps(True) is True
        assert await admin.set_log_colors(False) is False
        assert await admin.set_locking_debug(False) is False
        assert await admin.set_refcount_debug(False) is False
        assert await admin.set_libnice_debug(False) is False
        assert await admin.set_min_nack_queue(300) == 300
        assert await admin.set_no_media_timer(2) == 2
        assert await admin.set_slowlink_threshold(0) == 0
        assert await admin.set_session_timeout(60) == 60
        assert (await admin.get_settings())["min_nack_queue"] == 300
        sessions = await admin.send({"janus": "list_sessions"})
        assert isinstance(sessions["sessions"], list)
        with pytest.raises(ValueError, match="unknown request"):
            await admin.send({"janus": "no_such_admin_request"})


async def test_admin_tokens(janus_secret: JanusServer) -> None:
    async with JanusAdminMonitorClient(janus_secret.admin_http_url, ADMIN_SECRET) as admin:
        first = await admin.add_token()
        second = await admin.add_token()
        assert first != second
        assert len(first) >= 20
        named = await admin.add_token("facade-token", ["janus.plugin.echotest"])
        assert named == "facade-token"
        tokens = {t["token"]: t for t in await admin.list_tokens()}
        assert {first, second, named} <= set(tokens)
        assert tokens[named]["allowed_plugins"] == ["janus.plugin.echotest"]
        assert await admin.allow_token(named, ["janus.plugin.videocall"]) == [
            "janus.plugin.echotest",
            "janus.plugin.videocall",
        ]
        assert await admin.disallow_token(named, ["janus.plugin.echotest"]) == [
            "janus.plugin.videocall"
        ]
        for token in (first, second, named):
            assert await admin.remove_token(token) is True
        assert not {first, second, named} & {t["token"] for t in await admin.list_tokens()}
