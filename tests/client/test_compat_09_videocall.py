"""janus-client 0.9 compatibility: the VideoCall calls of 0.9's suite that need no media.

``list_users`` gives a list (also twice at once); ``register`` returns True and sets
``username``; registering twice, calling or accepting unregistered, accepting with no call
ringing and calling nobody raise ``VideoCallError`` with the text 0.9's users match on;
``set_media`` and a ``hangup`` with no call return True; ``destroy`` forgets the username;
a handler that raises does not break ``register``. The call itself (media) is in
tests/media/test_facade_compat_09.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from janus_client import (
    JanusSession,
    JanusTransport,
    JanusVideoCallPlugin,
    VideoCallError,
    VideoCallEventType,
)

pytestmark = [pytest.mark.anyio, pytest.mark.janus]


@pytest.fixture
async def session(url: str) -> AsyncIterator[JanusSession]:
    transport = JanusTransport.create_transport(base_url=url, api_secret="")
    await transport.connect()
    made = JanusSession(transport=transport)
    yield made
    await made.destroy()
    await transport.disconnect()


@pytest.fixture
async def plugin(session: JanusSession) -> AsyncIterator[JanusVideoCallPlugin]:
    made = JanusVideoCallPlugin()
    await made.attach(session=session)
    yield made
    await made.destroy()


def call_state(plugin: JanusVideoCallPlugin) -> tuple[str | None, bool]:
    """(username, in_call) now (a call: mypy would narrow the properties)."""
    return plugin.username, plugin.in_call


def unique(plugin: JanusVideoCallPlugin, label: str) -> str:
    return f"{label}-{plugin.id}"


async def test_list_and_register(plugin: JanusVideoCallPlugin) -> None:
    users = await plugin.list_users()
    assert type(users) is list
    both = await asyncio.gather(plugin.list_users(), plugin.list_users(timeout=5.0))
    assert all(type(result) is list for result in both)
    assert call_state(plugin) == (None, False)
    name = unique(plugin, "listed")
    assert await plugin.register(username=name) is True
    assert call_state(plugin) == (name, False)
    assert name in await plugin.list_users()


async def test_refusals_use_the_expected_words(session: JanusSession) -> None:
    plugin = JanusVideoCallPlugin()
    await plugin.attach(session=session)
    fake_offer = {"type": "offer", "sdp": "fake_sdp"}
    with pytest.raises(VideoCallError, match="Must register"):
        await plugin.call(username="someone")
    with pytest.raises(VideoCallError, match="Must register"):
        await plugin.accept(jsep=fake_offer)
    name = unique(plugin, "refusals")
    await plugin.register(username=name)
    with pytest.raises(VideoCallError, match="Already registered") as twice:
        await plugin.register(username=f"another_{name}")
    assert name in twice.value.error_message  # Janus names the current registration
    with pytest.raises(VideoCallError, match="No incoming call"):
        await plugin.accept(jsep=fake_offer)
    with pytest.raises(VideoCallError) as nobody:
        await plugin.call(username="nonexistent_user_12345", timeout=10.0)
    assert "nonexistent_user_12345" in nobody.value.error_message
    assert plugin.in_call is False
    assert plugin.peer_connection is None  # the offer's peer connection was closed
    await plugin.destroy()


async def test_set_media_hangup_and_destroy(session: JanusSession) -> None:
    plugin = JanusVideoCallPlugin()
    await plugin.attach(session=session)
    await plugin.register(username=unique(plugin, "media"))
    assert await plugin.set_media(audio=True, video=True, bitrate=128000) is True
    assert await plugin.hangup() is True  # no call: Janus confirms anyway
    assert plugin.in_call is False
    await plugin.destroy()
    assert plugin.username is None
    assert plugin.in_call is False
    assert plugin.id is None
    # The same instance attaches again and may register a new name.
    await plugin.attach(session=session)
    assert await plugin.register(username=unique(plugin, "again"))
    await plugin.destroy()


async def test_a_failing_handler_is_logged_and_register_still_works(
    plugin: JanusVideoCallPlugin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="janus_client")
    heard: list[dict[str, Any]] = []

    async def failing(data: dict[str, Any]) -> None:
        raise RuntimeError("handler trouble")

    plugin.on_event(VideoCallEventType.REGISTERED, failing)
    plugin.on_event(VideoCallEventType.REGISTERED, heard.append)
    plugin.on_event(VideoCallEventType.HANGUP, heard.append)
    name = unique(plugin, "handlers")
    assert await plugin.register(username=name) is True
    for _ in range(100):
        if heard:
            break
        await asyncio.sleep(0.02)
    assert heard == [{"event": "registered", "username": name}]  # 0.9 gave the result
    assert "handler trouble" in caplog.text
    assert await plugin.list_users()  # the handle still works
