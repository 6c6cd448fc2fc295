"""The async client over a custom in-memory transport and FakeJanus (no sockets)."""

from __future__ import annotations

import logging

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp

from .helpers import FakeJanusTransport

pytestmark = pytest.mark.anyio
ECHO = "janus.plugin.echotest"
URL = "fake://janus"


def transport() -> FakeJanusTransport:
    return FakeJanusTransport.instances[-1]


async def test_request_reply_and_no_leftover_tasks() -> None:
    before = len(anyio.get_running_tasks())
    async with ja.connect(URL) as client:
        assert (await client.info()).version == 1102
        async with client.session() as session:
            handle = await session.attach(ECHO)
            reply = await handle.send({"audio": True}, jsep={"type": "offer", "sdp": "v=0"})
            assert reply.data == {"echotest": "event", "result": "ok"}
            assert reply.jsep is not None
            with pytest.raises(jp.PluginError) as err:
                await handle.send({"audio": "no"})
            assert err.value.error_code == 413
            with pytest.raises(jp.PluginNotFound):
                await session.attach("janus.plugin.nope")
        assert transport().janus.sessions == {}  # destroyed on exit
        assert client._conn.pending() == []
    for _ in range(20):
        await anyio.sleep(0)
    assert len(anyio.get_running_tasks()) <= before


async def test_registry_rules() -> None:
    with pytest.raises(ValueError, match="no transport for URL"):
        ja.transport_class_for("carrier-pigeon://x")
    ja.register_transport(r"^fake", ja.WebSocketTransport)
    try:
        with pytest.raises(ValueError, match="several transports match"):
            ja.transport_class_for(URL)
    finally:
        ja.unregister_transport(ja.WebSocketTransport)
        ja.register_transport(r"^wss?://", ja.WebSocketTransport)
    with pytest.raises(TypeError, match="not a Transport subclass"):
        ja.register_transport("x", dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="url must be a string"):
        ja.transport_class_for(5)  # type: ignore[arg-type]
    assert ja.transport_class_for("unix:///tmp/j.sock") is ja.UnixTransport


async def test_timeout_releases_the_transaction() -> None:
    async with ja.connect(URL) as client, client.session() as session:
        handle = await session.attach(ECHO)
        transport().janus.silence("message")
        with pytest.raises(ja.RequestTimeout):
            await handle.send({"audio": True}, timeout=0.05)
        assert [p for p in client._conn.pending() if not p.internal] == []
        assert isinstance(ja.RequestTimeout("x"), TimeoutError)


async def test_cancellation_releases_the_transaction() -> None:
    async with ja.connect(URL) as client, client.session() as session:
        handle = await session.attach(ECHO)
        transport().janus.silence("message")
        with anyio.move_on_after(0.02):
            await handle.send({"audio": True})
        assert [p for p in client._conn.pending() if not p.internal] == []
        transport().janus.unsilence("message")
        assert (await handle.send({"audio": True})).data["result"] == "ok"


async def test_a_slow_consumer_overflows_only_its_handle() -> None:
    async with ja.connect(URL, event_buffer=3) as client, client.session() as session:
        slow = await session.attach(ECHO)
        other = await session.attach(ECHO)
        fake = transport()
        for i in range(5):
            fake.janus.push(session.id, slow.id, {"n": i})
        fake.janus.push(session.id, other.id, {"n": "other"})
        fake.flush()
        event = await other.next_event(timeout=1)
        assert isinstance(event, jp.PluginEvent)
        assert event.data == {"n": "other"}
        got = [await slow.next_event(timeout=1) for _ in range(3)]
        assert [e.data["n"] for e in got] == [0, 1, 2]  # type: ignore[attr-defined]
        with pytest.raises(ja.EventOverflow):
            await slow.next_event(timeout=1)
        assert (await other.send({"audio": True})).data["result"] == "ok"


async def test_events_iterate_until_the_handle_closes() -> None:
    async with ja.connect(URL) as client, client.session() as session:
        handle = await session.attach(ECHO)
        fake = transport()
        fake.janus.push(session.id, handle.id, {"n": 1})
        fake.janus.detach_remotely(session.id, handle.id)
        fake.flush()
        events = [e async for e in handle.events()]
        assert [type(e) for e in events] == [jp.PluginEvent, jp.HandleDetached]
        assert handle.closed
        with pytest.raises(ja.HandleClosed):
            await handle.hangup()


async def test_wait_for_returns_skipped_events() -> None:
    async with ja.connect(URL) as client, client.session() as session:
        handle = await session.attach(ECHO)
        fake = transport()
        fake.janus.push(session.id, handle.id, {"n": 1})
        fake.janus.push_raw({"janus": "webrtcup", "session_id": session.id, "sender": handle.id})
        fake.flush()
        event, skipped = await handle.wait_for(lambda e: isinstance(e, jp.WebRTCUp), timeout=1)
        assert isinstance(event, jp.WebRTCUp)
        assert [type(e) for e in skipped] == [jp.PluginEvent]
        with pytest.raises(TimeoutError):
            await handle.next_event(timeout=0.01)


async def test_session_timeout_fails_its_pending_requests_only() -> None:
    async with ja.connect(URL) as client:
        doomed = await client.create_session()
        other = await client.create_session()
        handle = await doomed.attach(ECHO)
        fake = transport()
        fake.janus.silence("message")
        failures: list[BaseException] = []

        async def pending() -> None:
            try:
                await handle.send({"audio": True})
            except ja.SessionClosed as exc:
                failures.append(exc)

        async with anyio.create_task_group() as tg:
            tg.start_soon(pending)
            await anyio.sleep(0.01)
            fake.janus.expire_session(doomed.id)
            fake.flush()
        await doomed.wait_closed()
        assert isinstance(doomed.end_event, jp.SessionTimedOut)
        assert doomed.close_reason == "session timed out"
        assert len(failures) == 1
        assert handle.closed
        with pytest.raises(ja.SessionClosed):
            await doomed.keepalive()
        await other.keepalive()
        await other.destroy()
        assert other.closed


async def test_reconnect_claims_and_the_same_handle_works() -> None:
    policy = ja.ReconnectPolicy(initial_delay=0.01, max_delay=0.02)
    async with ja.connect(URL, reconnect=policy) as client, client.session() as session:
        handle = await session.attach(ECHO)
        fake = transport()
        fake.drop()
        with anyio.fail_after(2):
            reply = await handle.send({"audio": True})
        assert reply.data["result"] == "ok"
        assert fake.connects == 2
        claims = [m for verb, m in fake.janus.received if verb == "claim"]
        assert [m["session_id"] for m in claims] == [session.id]


async def test_request_refused_unwritten_waits_for_the_reconnect() -> None:
    # The transport is dropped and the request is sent before the reader noticed: the
    # transport refuses it unwritten (NotSent), so it waits for the reconnect instead of
    # failing with ConnectionLost.
    policy = ja.ReconnectPolicy(initial_delay=0.01, max_delay=0.02)
    async with ja.connect(URL, reconnect=policy) as client, client.session() as session:
        handle = await session.attach(ECHO)
        for _ in range(3):
            fake = transport()
            fake.drop()
            with anyio.fail_after(2):
                reply = await handle.send({"audio": True})
            assert reply.data["result"] == "ok"
        assert transport().connects == 4
        sent = [m for verb, m in transport().janus.received if verb == "message"]
        assert len(sent) == 3  # each exactly once


async def test_requests_during_an_outage_wait_for_the_reconnect() -> None:
    policy = ja.ReconnectPolicy(initial_delay=0.05, max_delay=0.05)
    async with ja.connect(URL, reconnect=policy) as client, client.session() as session:
        handle = await session.attach(ECHO)
        fake = transport()
        fake.refuse_connect = True
        fake.drop()
        await anyio.sleep(0.02)
        async with anyio.create_task_group() as tg:
            results: list[jp.PluginReply] = []

            async def call() -> None:
                results.append(await handle.send({"audio": True}, timeout=5))

            tg.start_soon(call)
            await anyio.sleep(0.1)
            assert not results
            fake.refuse_connect = False
        assert results[0].data["result"] == "ok"


async def test_claim_458_loses_the_session() -> None:
    policy = ja.ReconnectPolicy(initial_delay=0.01)
    async with ja.connect(URL, reconnect=policy) as client:
        session = await client.create_session()
        fake = transport()
        fake.janus.restart()
        fake.drop()
        with anyio.fail_after(2):
            await session.wait_closed()
        assert isinstance(session.end_event, jp.SessionLost)
        assert (await client.info()).version == 1102


async def test_reconnect_off_or_giving_up_closes_the_client() -> None:
    async with ja.connect(URL, reconnect=False) as client:
        session = await client.create_session()
        transport().drop()
        with anyio.fail_after(2):
            await session.wait_closed()
        assert client.closed
        with pytest.raises(ja.ConnectionClosed):
            await client.info()
    policy = ja.ReconnectPolicy(initial_delay=0.01, max_delay=0.01, give_up_after=0.05)
    async with ja.connect(URL, reconnect=policy) as client:
        fake = transport()
        fake.refuse_connect = True
        fake.drop()
        with anyio.fail_after(2):
            while not client.closed:
                await anyio.sleep(0.01)


async def test_in_flight_request_fails_with_connection_lost() -> None:
    async with ja.connect(URL, reconnect=False) as client, client.session() as session:
        handle = await session.attach(ECHO)
        fake = transport()
        fake.janus.silence("message")
        async with anyio.create_task_group() as tg:
            tg.start_soon(fake_drop_soon, fake)
            with pytest.raises(ja.ConnectionLost):
                await handle.send({"audio": True})


async def fake_drop_soon(fake: FakeJanusTransport) -> None:
    await anyio.sleep(0.01)
    fake.drop()


async def test_user_exceptions_come_out_unwrapped() -> None:
    with pytest.raises(KeyError):
        async with ja.connect(URL):
            raise KeyError("mine")


async def test_secrets_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with ja.connect(URL, api_secret="SECRET-API", token="SECRET-TOKEN") as client:
        async with client.session() as session:
            await session.attach(ECHO, token="SECRET-HANDLE")
        assert "SECRET" not in repr(client)
    async with ja.connect_admin(URL, admin_secret="SECRET-ADMIN") as admin:
        await admin.list_sessions()
    assert "send create" in caplog.text
    assert "SECRET" not in caplog.text
    assert '"apisecret":"***"' in caplog.text


async def test_keepalive_interval_is_derived_from_the_server() -> None:
    async with ja.connect(URL) as client:
        assert client._conn.config.keepalive_interval == 24.0  # 0.4 x 60 s
    async with ja.connect(URL, keepalive_interval=3.0) as client:
        assert client._conn.config.keepalive_interval == 3.0
    with pytest.raises(TypeError, match="keepalive_interval"):
        async with ja.connect(URL, keepalive_interval="often"):
            pass


def test_auto_keepalive_rules() -> None:
    from janus_anyio._client import _auto_keepalive

    assert _auto_keepalive(0, True) is None
    assert _auto_keepalive(None, True) == 25.0
    assert _auto_keepalive(None, False) is None
    assert _auto_keepalive(60, False) is None  # HTTP: the long poll is enough
    assert _auto_keepalive(10, False) == 4.0
    assert _auto_keepalive(1, True) == 0.5


async def test_admin_client() -> None:
    async with ja.connect_admin(URL, admin_secret="x") as admin:
        fake = transport()
        fake.janus.sessions[5] = {6: ECHO}
        assert await admin.list_sessions() == [5]
        assert await admin.list_handles(5) == [6]
        assert (await admin.get_status())["session_timeout"] == 60
        assert await admin.set_session_timeout(30) == 30
        assert (await admin.info()).version == 1102
        assert await admin.ping() >= 0
        assert await admin.call(jp.ListSessions()) == {"sessions": [5]}
        with pytest.raises(jp.SessionNotFound):
            await admin.list_handles(9)
        with pytest.raises(jp.LocalProtocolError):
            await admin.request(jp.Create())


async def test_claim_session_and_ping() -> None:
    async with ja.connect(URL) as client:
        transport().janus.sessions[77] = {88: ECHO}
        session = await client.claim_session(77)
        assert await client.ping() >= 0
        assert repr(session) == "<Session 77 open>"
        await session.destroy()
        assert session.closed
