"""Fixtures of the facade tests: private Janus instances (no media), asyncio only.

A missing Janus fails the run under CI=true and skips (with the reason) elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from janus_anyio.testing import JanusServer, janus_available

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

PLUGINS = (
    "janus.plugin.echotest",
    "janus.plugin.videocall",
    "janus.plugin.videoroom",
    "janus.plugin.textroom",
)
API_SECRET = "facade-apisecret-Qz7Rw2"
ADMIN_SECRET = "facade-adminsecret-Lp4Xn8"


def require_janus() -> None:
    if janus_available():
        return
    if IN_CI:
        pytest.fail("Janus is not installed (apt-get install janus); CI needs it")
    pytest.skip("Janus is not installed (apt-get install janus)")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the facade is asyncio-only, as aiortc is


@pytest.fixture(scope="session")
def janus() -> Iterator[JanusServer]:
    """A Janus with WebSocket, HTTP and both admin transports."""
    require_janus()
    with JanusServer(plugins=PLUGINS, admin_secret=ADMIN_SECRET) as server:
        yield server


@pytest.fixture(scope="session")
def janus_secret() -> Iterator[JanusServer]:
    """A Janus that wants an api_secret, and stored tokens for the admin token calls."""
    require_janus()
    with JanusServer(
        plugins=PLUGINS, api_secret=API_SECRET, token_auth=True, admin_secret=ADMIN_SECRET
    ) as server:
        yield server


@pytest.fixture(params=["ws", "http"])
def url(request: pytest.FixtureRequest, janus: JanusServer) -> str:
    """The Janus API URL, over WebSocket and over HTTP."""
    return janus.ws_url if request.param == "ws" else janus.http_url


@pytest.fixture(params=["ws", "http"])
def admin_url(request: pytest.FixtureRequest, janus: JanusServer) -> str:
    return janus.admin_ws_url if request.param == "ws" else janus.admin_http_url
