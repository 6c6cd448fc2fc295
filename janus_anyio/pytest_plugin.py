"""A pytest plugin for your own tests against a private Janus: fixtures that start one.

Fixtures (all session-scoped):

``janus_server``
    A running :class:`~janus_anyio.testing.JanusServer` on free loopback ports, started once
    per test session and stopped at its end. Skipped, with the reason, when Janus is not
    installed; under ``CI=true`` (or with ``janus_required = true``) that fails instead.
``janus_url``, ``janus_admin_url``
    Its Janus API and Admin API URLs (``janus_transport``: ``ws``, ``http`` or ``unix``).
``janus_server_config``
    The keyword arguments ``janus_server`` gets (built from the ini options below). Override
    it in a ``conftest.py`` to change anything :class:`JanusServer` accepts::

        @pytest.fixture(scope="session")
        def janus_server_config(janus_server_config):
            return {**janus_server_config, "extra_config": {"nat": {"nice_debug": True}}}

``janus_server_factory``
    ``make(**overrides)``: another server with ``janus_server_config`` plus ``overrides``,
    for the tests that need a different configuration; one server per distinct
    configuration, started on first use, stopped at the end of the session.

Ini options (``[tool.pytest.ini_options]`` or ``pytest.ini``): ``janus_plugins`` (plugin
packages to load, one per line; default: all stock plugins), ``janus_api_secret``,
``janus_admin_secret``, ``janus_token_auth``, ``janus_session_timeout``,
``janus_log_level``, ``janus_binary``, ``janus_transport`` and ``janus_required``.

Enable it with ``-p janus_anyio.pytest_plugin`` or ``pytest_plugins =
["janus_anyio.pytest_plugin"]`` in a top-level ``conftest.py`` (it is also registered
under the ``pytest11`` entry point when installed).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from .testing import JanusServer, JanusStartError, _lib_dir, find_janus

__all__ = [
    "janus_server",
    "janus_server_config",
    "janus_server_factory",
    "janus_url",
    "janus_admin_url",
    "JanusServerFactory",
]

#: A callable returning a running server for ``janus_server_config`` plus its overrides.
JanusServerFactory = Callable[..., JanusServer]

_TRANSPORTS = ("ws", "http", "unix")
_MISSING = "Janus is not installed (apt-get install janus, or set janus_binary)"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``janus_*`` ini options."""
    add = parser.addini
    add("janus_plugins", "Janus plugins to load (default: every stock plugin)", type="linelist")
    add("janus_api_secret", "api_secret of the test Janus (default: none)", default="")
    add("janus_admin_secret", "admin_secret of the test Janus", default="janusoverlord")
    add("janus_token_auth", "enable stored-token authentication", type="bool", default=False)
    add("janus_session_timeout", "session timeout of the test Janus (seconds)", default="60")
    add("janus_log_level", "Janus log level (0-7; 4 or more to check listeners)", default="4")
    add("janus_binary", "the Janus executable (name or path)", default="janus")
    add("janus_transport", "janus_url's transport: ws, http or unix", default="ws")
    add(
        "janus_required",
        "fail (instead of skipping) when Janus is not installed; CI=true implies it",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Check the ``janus_*`` ini options at start-up (a bad value is a usage error)."""
    _config_from_ini(config)


def _int_option(config: pytest.Config, name: str) -> int:
    value = config.getini(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise pytest.UsageError(f"{name} must be an integer, got {value!r}") from None


def _transport(config: pytest.Config) -> str:
    kind = str(config.getini("janus_transport")).strip().lower()
    if kind not in _TRANSPORTS:
        raise pytest.UsageError(f"janus_transport must be one of {_TRANSPORTS}, got {kind!r}")
    return kind


def _config_from_ini(config: pytest.Config) -> dict[str, Any]:
    plugins = [p.strip() for p in config.getini("janus_plugins") if p.strip()]
    return {
        "plugins": plugins or None,
        "api_secret": config.getini("janus_api_secret") or None,
        "admin_secret": config.getini("janus_admin_secret") or None,
        "token_auth": bool(config.getini("janus_token_auth")),
        "session_timeout": _int_option(config, "janus_session_timeout"),
        "log_level": _int_option(config, "janus_log_level"),
        "janus_binary": config.getini("janus_binary") or "janus",
        "pfunix": _transport(config) == "unix",
    }


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _require(config: pytest.Config, binary: str) -> None:
    """Skip (or fail, in CI or with ``janus_required``) when Janus cannot start here."""
    if find_janus(binary) is not None and _lib_dir() is not None:
        return
    reason = f"{_MISSING}: {binary!r} not found" if binary != "janus" else _MISSING
    if _in_ci():
        pytest.fail(f"{reason} (a missing Janus fails under CI=true)", pytrace=False)
    if config.getini("janus_required"):
        pytest.fail(f"{reason} (janus_required = true)", pytrace=False)
    pytest.skip(reason)


def _start(config: pytest.Config, kwargs: Mapping[str, Any]) -> JanusServer:
    _require(config, str(kwargs.get("janus_binary", "janus")))
    server = JanusServer(**kwargs)
    try:
        server.start()
    except JanusStartError as exc:
        pytest.fail(f"the test Janus did not start: {exc}", pytrace=False)
    return server


@pytest.fixture(scope="session")
def janus_server_config(pytestconfig: pytest.Config) -> dict[str, Any]:
    """Keyword arguments for :class:`JanusServer` (from the ``janus_*`` ini options).

    Override this fixture to change the configuration of ``janus_server``.
    """
    return _config_from_ini(pytestconfig)


@pytest.fixture(scope="session")
def janus_server(
    pytestconfig: pytest.Config, janus_server_config: dict[str, Any]
) -> Iterator[JanusServer]:
    """A private Janus on free loopback ports, shared by the whole test session."""
    server = _start(pytestconfig, janus_server_config)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def janus_url(pytestconfig: pytest.Config, janus_server: JanusServer) -> str:
    """The Janus API URL of ``janus_server`` (ws://, http://... or unix://...)."""
    kind = _transport(pytestconfig)
    if kind == "http":
        return janus_server.http_url
    if kind == "unix":
        if not janus_server.pfunix:
            pytest.fail("janus_transport = unix needs pfunix=True in janus_server_config")
        return f"unix://{janus_server.unix_path}"
    return janus_server.ws_url


@pytest.fixture(scope="session")
def janus_admin_url(janus_server: JanusServer) -> str:
    """The Admin API URL (WebSocket) of ``janus_server``."""
    return janus_server.admin_ws_url


@pytest.fixture(scope="session")
def janus_server_factory(
    pytestconfig: pytest.Config, janus_server_config: dict[str, Any]
) -> Iterator[JanusServerFactory]:
    """``make(**overrides)``: a running server with ``janus_server_config`` plus
    ``overrides``; the same overrides give the same server (one per configuration)."""
    servers: dict[str, JanusServer] = {}

    def make(**overrides: Any) -> JanusServer:
        kwargs = {**janus_server_config, **overrides}
        key = repr(sorted(kwargs.items()))
        server = servers.get(key)
        if server is None or not server.running:
            if server is not None:
                server.stop()
            server = servers[key] = _start(pytestconfig, kwargs)
        return server

    try:
        yield make
    finally:
        for server in servers.values():
            server.stop()
