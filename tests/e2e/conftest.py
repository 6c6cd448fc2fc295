"""Fixtures that start private Janus instances on free loopback ports.

A missing Janus fails the run under CI=true, and skips (with the reason) elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from janus_anyio.testing import JanusServer, janus_available
from tests.backends import BACKENDS

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_janus() -> None:
    if janus_available():
        return
    if IN_CI:
        pytest.fail("Janus is not installed (apt-get install janus); CI needs it")
    pytest.skip("Janus is not installed (apt-get install janus)")


@pytest.fixture(scope="session")
def janus() -> Iterator[JanusServer]:
    """A Janus with every transport (WS, HTTP, admin WS/HTTP, pfunix) and a reclaim window."""
    require_janus()
    with JanusServer(pfunix=True, reclaim_session_timeout=30, session_timeout=60) as server:
        yield server


@pytest.fixture(scope="session")
def janus_auth() -> Iterator[JanusServer]:
    """A Janus with api_secret and stored-token auth (for 403/405 handling)."""
    require_janus()
    with JanusServer(
        api_secret="e2e-api-secret", token_auth=True, admin_secret="e2e-admin-secret"
    ) as server:
        yield server


@pytest.fixture(params=["ws", "http"])
def url_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


def url_of(server: JanusServer, kind: str) -> str:
    if kind == "ws":
        return server.ws_url
    if kind == "http":
        return server.http_url
    if kind == "unix":
        return "unix://" + str(server.unix_path)
    raise ValueError(kind)


def admin_url_of(server: JanusServer, kind: str) -> str:
    return server.admin_ws_url if kind == "ws" else server.admin_http_url


@pytest.fixture(params=BACKENDS, scope="module")
def anyio_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend
