"""Reliability suite: both anyio backends, DEBUG logging on, logs checked for secrets.

Every test runs with the root logger at DEBUG and a handler that keeps each record; after
the test, the formatted records (messages, arguments, tracebacks) must not contain any value
of :data:`helpers.SECRETS`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.backends import BACKENDS

from .helpers import SECRETS


@pytest.fixture(params=BACKENDS, scope="module")
def anyio_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


class _Keeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(self.format(r) for r in self.records)


@pytest.fixture(autouse=True)
def debug_logs() -> Iterator[_Keeper]:
    """DEBUG logging for the test; fails it if a secret shows up in the captured logs."""
    root = logging.getLogger()
    keeper = _Keeper()
    old_level = root.level
    root.addHandler(keeper)
    root.setLevel(logging.DEBUG)
    try:
        yield keeper
    finally:
        root.removeHandler(keeper)
        root.setLevel(old_level)
    text = keeper.text()
    leaked = sorted(s for s in SECRETS if s in text)
    assert not leaked, f"secrets in the logs: {leaked}"
