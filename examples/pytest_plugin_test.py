"""Tests of your own against a private Janus, with janus-client's pytest plugin.

The plugin (``janus_anyio.pytest_plugin``, active once janus-client is installed) starts one
Janus per test session on free loopback ports and stops it at the end; these tests only ask
for its fixtures. Run: ``python -m pytest examples/pytest_plugin_test.py``. Without Janus
installed they skip with the reason (fail under ``CI=true``).
"""

from __future__ import annotations

import pytest

import janus_anyio as ja
from janus_anyio.plugins import VideoRoomHandle
from janus_anyio.pytest_plugin import JanusServerFactory
from janus_anyio.testing import JanusServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio (``"trio"`` works too)."""
    return "asyncio"


# [start-tests]
async def test_the_demo_room_is_there(janus_url: str) -> None:
    """``janus_url``: the private server's Janus API URL (WebSocket by default)."""
    async with ja.connect(janus_url) as janus, janus.session() as session:
        rooms = await VideoRoomHandle.attach(session)
        assert 1234 in [room.room for room in await rooms.list_rooms()]


async def test_admin_api(janus_server: JanusServer, janus_admin_url: str) -> None:
    """``janus_server``: the :class:`JanusServer` itself (its secrets, folders, log)."""
    async with ja.connect_admin(janus_admin_url, admin_secret=janus_server.admin_secret) as admin:
        assert (await admin.info()).version_string == "1.1.2"


async def test_with_an_api_secret(janus_server_factory: JanusServerFactory) -> None:
    """``janus_server_factory(**overrides)``: another server, configured differently."""
    server = janus_server_factory(api_secret="s3cret")
    with pytest.raises(ja.JanusError):  # 403: no secret given
        async with ja.connect(server.ws_url) as janus, janus.session():
            pass
    async with ja.connect(server.ws_url, api_secret="s3cret") as janus, janus.session():
        pass


# [end-tests]
