"""Both anyio backends for the driver tests; the custom fake transport is registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import janus_anyio as ja
from tests.backends import BACKENDS

from .helpers import FakeJanusTransport


@pytest.fixture(params=BACKENDS)
def anyio_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


@pytest.fixture(autouse=True)
def fake_transport() -> Iterator[type[FakeJanusTransport]]:
    ja.register_transport(r"^fake://", FakeJanusTransport)
    FakeJanusTransport.instances.clear()
    yield FakeJanusTransport
    ja.unregister_transport(FakeJanusTransport)
