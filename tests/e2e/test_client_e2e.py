"""The async client against a real Janus 1.1.2: WebSocket and HTTP, asyncio and trio."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .conftest import admin_url_of, url_of

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


async def _no_leftover_tasks(before: int) -> None:
    # Let cancelled tasks finish unwinding, then count.
    for _ in range(50):
        if len(anyio.get_running_tasks()) <= before:
            return
        await anyio.sleep(0.01)
    assert len(anyio.get_running_tasks()) <= before, anyio.get_running_tasks()


async def test_info_and_ping(janus: JanusServer, url_kind: str) -> None:
    before = len(anyio.get_running_tasks())
    async with ja.connect(url_of(janus, url_kind)) as client:
        info = await client.info()
        assert info.version == 1102
        assert info.version_string == "1.1.2"
        assert "janus.plugin.echotest" in info.plugins
        assert await client.ping() >= 0
    await _no_leftover_tasks(before)


async def test_info_over_unix_socket(janus: JanusServer) -> None:
    async with ja.connect(url_of(janus, "unix")) as client:
        info = await client.info()
        assert info.version == 1102
        async with client.session() as session:
            handle = await session.attach("janus.plugin.echotest")
            reply = await handle.send({"audio": True})
            assert reply.data["result"] == "ok"


async def test_echotest_async_message(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await session.attach("janus.plugin.echotest", opaque_id="e2e")
        reply = await handle.send({"audio": True, "video": False}, timeout=5)
        assert isinstance(reply, jp.PluginReply)
        assert reply.sync is False
        assert reply.plugin == "janus.plugin.echotest"
        assert reply.data == {"echotest": "event", "result": "ok"}
        with pytest.raises(jp.PluginError) as info:
            await handle.send({"audio": "yes"})
        assert info.value.error_code == 413
        assert "audio should be a boolean" in info.value.error


async def test_videoroom_sync_requests_and_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await session.attach("janus.plugin.videoroom")
        room = 900_000 + (1 if url_kind == "ws" else 2)
        created = await handle.send({"request": "create", "room": room, "secret": "s"})
        assert created.sync is True
        assert created.data["videoroom"] == "created"
        exists = await handle.send({"request": "exists", "room": room})
        assert exists.data["exists"] is True
        with pytest.raises(jp.PluginError) as err:
            await handle.send({"request": "create", "room": room})
        assert err.value.error_code == 427
        await handle.send({"request": "destroy", "room": room, "secret": "s"})


async def test_janus_errors_raise_typed_exceptions(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        with pytest.raises(jp.PluginNotFound) as err:
            await session.attach("janus.plugin.nope")
        assert err.value.error_code == 460
        with pytest.raises(jp.LocalProtocolError):
            await client.request(jp.Attach(session_id=123456, plugin="janus.plugin.echotest"))


async def test_handle_events_and_detach(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await session.attach("janus.plugin.echotest")
        await handle.hangup()  # no PC yet: a plain success
        await handle.detach()
        assert handle.closed
        with pytest.raises(ja.HandleClosed):
            await handle.send({"audio": True})
        # Events that arrived before detaching are still readable, then the stream ends.
        events = [e async for e in handle.events()]
        assert all(isinstance(e, jp.HandleEvent) for e in events)


async def test_keepalives_keep_a_session_alive(url_kind: str) -> None:
    from .conftest import require_janus

    require_janus()
    with JanusServer(session_timeout=3) as server:
        async with ja.connect(url_of(server, url_kind)) as client, client.session() as session:
            handle = await session.attach("janus.plugin.echotest")
            await anyio.sleep(7)  # > 2 x session_timeout: alive only thanks to keepalives
            reply = await handle.send({"audio": True})
            assert reply.data["result"] == "ok"
            assert not session.closed


async def test_session_timeout_surfaces_as_event(janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(url_of(janus, url_kind), keepalive_interval=None) as client,
        ja.connect_admin(admin_url_of(janus, url_kind), admin_secret=janus.admin_secret) as admin,
    ):
        session = await client.create_session()
        other = await client.create_session()
        await admin.set_session_timeout(1, session_id=session.id)
        with anyio.fail_after(15):
            await session.wait_closed()
        assert isinstance(session.end_event, (jp.SessionTimedOut, jp.SessionLost))
        with pytest.raises(ja.SessionClosed):
            await session.attach("janus.plugin.echotest")
        # the other session is unaffected
        handle = await other.attach("janus.plugin.echotest")
        assert (await handle.send({"audio": True})).data["result"] == "ok"
        await other.destroy()


async def test_admin_api(janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(janus.ws_url) as client,
        client.session() as session,
        ja.connect_admin(admin_url_of(janus, url_kind), admin_secret=janus.admin_secret) as admin,
    ):
        handle = await session.attach("janus.plugin.echotest")
        assert session.id in await admin.list_sessions()
        assert handle.id in await admin.list_handles(session.id)
        info = await admin.handle_info(session.id, handle.id)
        assert info["plugin"] == "janus.plugin.echotest"
        status = await admin.get_status()
        assert "session_timeout" in status
        assert (await admin.info()).version == 1102
        assert await admin.ping() >= 0
        rooms = await admin.message_plugin("janus.plugin.videoroom", {"request": "list"})
        assert rooms["videoroom"] == "success"


async def test_admin_wrong_secret_is_403(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect_admin(admin_url_of(janus, url_kind), admin_secret="wrong") as admin:
        with pytest.raises(jp.Unauthorized):
            await admin.list_sessions()
        assert (await admin.info()).version == 1102  # info needs no secret


async def test_api_secret_and_tokens(janus_auth: JanusServer, url_kind: str) -> None:
    async with ja.connect_admin(
        admin_url_of(janus_auth, url_kind), admin_secret="e2e-admin-secret"
    ) as admin:
        token = f"tok-{url_kind}"
        plugins = await admin.add_token(token, ["janus.plugin.videoroom"])
        assert plugins == ["janus.plugin.videoroom"]
        assert any(t["token"] == token for t in await admin.list_tokens())
        async with ja.connect(url_of(janus_auth, url_kind)) as anonymous:
            with pytest.raises(jp.Unauthorized):
                await anonymous.create_session()
        async with (
            ja.connect(url_of(janus_auth, url_kind), token=token) as client,
            client.session() as session,
        ):
            await session.attach("janus.plugin.videoroom")
            with pytest.raises(jp.UnauthorizedPlugin):
                await session.attach("janus.plugin.echotest")
        async with (
            ja.connect(url_of(janus_auth, url_kind), api_secret="e2e-api-secret") as client,
            client.session() as session,
        ):
            await session.attach("janus.plugin.echotest")
        await admin.remove_token(token)


async def test_request_timeout_releases_transaction(url_kind: str) -> None:
    from .conftest import require_janus

    require_janus()
    with JanusServer() as server:
        async with ja.connect(url_of(server, url_kind), reconnect=False) as client:
            await client.info()
            server.pause()
            try:
                with pytest.raises(ja.RequestTimeout):
                    await client.info(timeout=0.5)
                assert client._conn.pending() == []
            finally:
                server.resume()


async def test_cancellation_releases_transaction(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        handle = await session.attach("janus.plugin.echotest")
        with anyio.move_on_after(0):
            await handle.send({"audio": True})
        assert [p for p in client._conn.pending() if not p.internal] == []
        assert (await handle.send({"audio": True})).data["result"] == "ok"


async def test_killing_janus_fails_pending_requests_promptly(url_kind: str) -> None:
    from .conftest import require_janus

    require_janus()
    with JanusServer() as server:
        async with ja.connect(url_of(server, url_kind), reconnect=False) as client:
            session = await client.create_session()
            handle = await session.attach("janus.plugin.echotest")
            server.pause()  # the request is surely in flight when Janus dies
            results: list[BaseException] = []

            async def call() -> None:
                try:
                    await handle.send({"audio": True}, timeout=30)
                except (ja.ConnectionClosed, ja.TransportError) as exc:
                    results.append(exc)

            async with anyio.create_task_group() as tg:
                tg.start_soon(call)
                await anyio.sleep(0.2)
                start = anyio.current_time()
                server.kill()
            assert results, "the pending request must fail"
            assert anyio.current_time() - start < 5
