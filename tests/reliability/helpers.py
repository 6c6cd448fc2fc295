"""Shared pieces of the reliability suite: secrets, Janus availability, task accounting."""

from __future__ import annotations

import os

import anyio
import pytest

from janus_anyio.testing import janus_available

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Every secret the suite configures. The autouse fixture in conftest.py fails a test whose
#: captured logs (DEBUG on) contain any of them; tests add generated ones (signed tokens).
API_SECRET = "rel-apisecret-5Kq8Zt"
ADMIN_SECRET = "rel-adminsecret-Wm3Jx7"
TOKEN = "rel-token-Hs9Vb2"
TOKEN_AUTH_SECRET = "rel-hmacsecret-Pe4Lc6"
SECRETS: set[str] = {API_SECRET, ADMIN_SECRET, TOKEN, TOKEN_AUTH_SECRET}


def require_janus() -> None:
    """Skip (fail under CI=true) when Janus is not installed."""
    if janus_available():
        return
    if IN_CI:
        pytest.fail("Janus is not installed (apt-get install janus); CI needs it")
    pytest.skip("Janus is not installed (apt-get install janus)")


async def assert_no_leftover_tasks(before: int, *, within: float = 2.0) -> None:
    """Wait (up to ``within`` seconds) until no more tasks run than ``before``."""
    with anyio.move_on_after(within):
        while len(anyio.get_running_tasks()) > before:
            await anyio.sleep(0.01)
    tasks = anyio.get_running_tasks()
    assert len(tasks) <= before, [t.name for t in tasks]
