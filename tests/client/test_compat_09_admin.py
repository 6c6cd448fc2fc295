"""janus-client 0.9 compatibility: ``JanusAdminMonitorClient`` as 0.9's suite used it.

Over admin HTTP and admin WebSocket, on a Janus of its own (so that no other test's
tokens are stored): ``connect()``/``disconnect()`` by hand; ``ping``/``info`` dicts;
``loops_info()`` an empty list without static loops; ``get_settings()`` the status dict;
every ``set_*`` returns the value now in effect (flipped, then put back); the token calls
with 0.9's keywords and return shapes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from janus_anyio.testing import JanusServer
from janus_client import JanusAdminMonitorClient

from .conftest import ADMIN_SECRET, PLUGINS, require_janus

pytestmark = [pytest.mark.anyio, pytest.mark.janus]


@pytest.fixture(scope="module")
def janus_tokens() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(plugins=PLUGINS, token_auth=True, admin_secret=ADMIN_SECRET) as server:
        yield server


@pytest.fixture(params=["http", "ws"])
async def admin(
    request: pytest.FixtureRequest, janus_tokens: JanusServer
) -> AsyncIterator[JanusAdminMonitorClient]:
    url = janus_tokens.admin_http_url if request.param == "http" else janus_tokens.admin_ws_url
    client = JanusAdminMonitorClient(base_url=url, admin_secret=ADMIN_SECRET)
    await client.connect()
    assert client.connected
    yield client
    await client.disconnect()
    assert not client.connected


async def test_sanity_info_and_loops(admin: JanusAdminMonitorClient) -> None:
    assert (await admin.ping())["janus"] == "pong"
    info = await admin.info()
    assert info["janus"] == "server_info"
    assert info["name"] == "Janus WebRTC Server"
    assert await admin.loops_info() == []


async def test_each_setter_returns_the_value_in_effect(admin: JanusAdminMonitorClient) -> None:
    settings = await admin.get_settings()
    assert settings["log_colors"] is False
    counters = {
        "session_timeout": admin.set_session_timeout,
        "log_level": admin.set_log_level,
        "min_nack_queue": admin.set_min_nack_queue,
        "no_media_timer": admin.set_no_media_timer,
        "slowlink_threshold": admin.set_slowlink_threshold,
    }
    for key, setter in counters.items():
        before = settings[key]
        assert await setter(before + 1) == before + 1, key
        assert (await admin.get_settings())[key] == before + 1, key
        assert await setter(before) == before, key
    switches = {
        "log_timestamps": admin.set_log_timestamps,
        "log_colors": admin.set_log_colors,
        "locking_debug": admin.set_locking_debug,
        "refcount_debug": admin.set_refcount_debug,
        "libnice_debug": admin.set_libnice_debug,
    }
    for key, flip in switches.items():
        before = settings[key]
        assert await flip(not before) is (not before), key
        assert await flip(before) is before, key
    assert await admin.get_settings() == settings


async def test_tokens_with_09_keywords(admin: JanusAdminMonitorClient) -> None:
    assert await admin.list_tokens() == []
    token = "123123"
    assert await admin.add_token(token=token) == token
    assert [t["token"] for t in await admin.list_tokens()] == [token]
    assert await admin.remove_token(token=token) is True
    assert await admin.list_tokens() == []

    assert await admin.add_token(token=token, plugins=["janus.plugin.echotest"]) == token
    allowed = ["janus.plugin.echotest", "janus.plugin.videocall"]
    assert await admin.allow_token(token=token, plugins=allowed) == allowed
    assert await admin.remove_token(token=token)

    everything = list(PLUGINS)
    assert await admin.add_token(token=token, plugins=everything) == token
    dropped = ["janus.plugin.echotest", "janus.plugin.textroom"]
    remaining = await admin.disallow_token(token=token, plugins=dropped)
    assert remaining == [name for name in everything if name not in dropped]
    assert await admin.remove_token(token=token)
    assert await admin.list_tokens() == []
