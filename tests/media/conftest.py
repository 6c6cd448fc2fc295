"""Real media through a private Janus, inside the network namespace of scripts/netns.sh.

Run: ``bash scripts/netns.sh python -m pytest tests/media -m media`` (``nox -s media``).
Outside that namespace the media tests skip with the reason, and fail under CI=true:
Janus and aiortc would otherwise offer this machine's real addresses
(../shared/media-testing.md). The pure-helper tests here run anywhere.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from janus_anyio.testing import JanusServer, janus_available
from janus_media import write_stamped_clip

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: The interface and address of the namespace's ICE path (scripts/netns.sh).
ICE_INTERFACE = "jv0"
ICE_ADDRESS = "127.0.0.2"
PLUGINS = (
    "janus.plugin.echotest",
    "janus.plugin.videocall",
    "janus.plugin.videoroom",
    "janus.plugin.streaming",
    "janus.plugin.audiobridge",
    "janus.plugin.textroom",
    "janus.plugin.recordplay",
)

_MEASURED = pytest.StashKey[dict[str, list[str]]]()


def outside_namespace() -> str | None:
    """Why this process is not in the media namespace (None when it is)."""
    # (not /sys/class/net: sysfs shows the namespace that mounted it, not ours)
    if ICE_INTERFACE not in {name for _index, name in socket.if_nameindex()}:
        return (
            f"no {ICE_INTERFACE} interface: not inside the media network namespace "
            "(run: bash scripts/netns.sh python -m pytest tests/media -m media)"
        )
    try:
        ipv6_off = Path("/proc/sys/net/ipv6/conf/all/disable_ipv6").read_text().strip() == "1"
    except OSError:
        ipv6_off = True  # no IPv6 in this kernel at all
    if not ipv6_off:
        return "IPv6 is on in this namespace (scripts/netns.sh turns it off)"
    routes = Path("/proc/net/route").read_text().splitlines()[1:]
    if any(line.split()[0] not in ("lo", ICE_INTERFACE, "jv1") for line in routes if line):
        return "this namespace has a route to another interface: media could leave the machine"
    return None


def require_media() -> None:
    """Skip (fail under CI=true) unless Janus is installed and we are in the namespace."""
    reason = outside_namespace()
    if reason is None and not janus_available():
        reason = "Janus is not installed (apt-get install janus)"
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"media tests cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # aiortc is asyncio-only


def _server(*, full_trickle: bool = False) -> JanusServer:
    return JanusServer(
        interface=ICE_ADDRESS,
        ice_enforce_list=ICE_INTERFACE,
        plugins=PLUGINS,
        full_trickle=full_trickle,
        http=False,
        admin_http=False,
        admin_ws=False,
    )


@pytest.fixture(scope="session")
def janus_media() -> Iterator[JanusServer]:
    """A Janus whose ICE sees only 127.0.0.2 on jv0 (candidates in its SDP)."""
    require_media()
    with _server() as server:
        yield server


@pytest.fixture(scope="session")
def janus_trickle() -> Iterator[JanusServer]:
    """The same with ``full_trickle``: Janus trickles its candidates."""
    require_media()
    with _server(full_trickle=True) as server:
        yield server


@pytest.fixture(scope="session")
def janus(janus_media: JanusServer) -> JanusServer:
    """The session's media Janus, under the name the facade tests use."""
    return janus_media


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30 s stamped clip (stamped video and a tone): longer than any test plays it, even on
    a machine so busy that the player falls behind."""
    path = tmp_path_factory.mktemp("clips") / "stamped.webm"
    write_stamped_clip(path, seconds=30.0)
    return path


class Measured:
    """What the media tests measured, printed at the end of the run."""

    def __init__(self, store: dict[str, list[str]]) -> None:
        self._store = store

    def time(self, name: str, seconds: float) -> None:
        self._store.setdefault(f"{name} (ms)", []).append(f"{seconds * 1000:.0f}")

    def value(self, name: str, value: float) -> None:
        self._store.setdefault(name, []).append(f"{value:g}")


@pytest.fixture
def measured(request: pytest.FixtureRequest) -> Measured:
    stash = request.config.stash
    if _MEASURED not in stash:
        stash[_MEASURED] = {}
    return Measured(stash[_MEASURED])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    store = terminalreporter.config.stash.get(_MEASURED, None)
    if not store:
        return
    terminalreporter.section("media measurements")
    for name, values in store.items():
        terminalreporter.write_line(f"{name}: {', '.join(values)}")
