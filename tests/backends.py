"""The anyio backends the async tests run on."""

from __future__ import annotations

import importlib.util

#: asyncio, and trio when it is installed (the ``tests_no_trio`` nox session proves the
#: library works without it).
BACKENDS = ["asyncio", *(["trio"] if importlib.util.find_spec("trio") else [])]
