"""Commands from other packages: the ``janus_client.cli`` entry-point group.

A package adds a ``janus-client`` command by registering an entry point in that group,
named like the command, whose object is a function taking a :class:`CommandRegistry`::

    [project.entry-points."janus_client.cli"]
    echo = "janus_media._cli:register [media]"

Extras named in brackets are what the command needs: when its module cannot be imported,
``janus-client echo`` says ``pip install 'janus-client[media]'`` and exits 2. Extensions are
imported only when their command runs (or for ``--help``), so that the other commands do
not pay for their imports (aiortc takes about half a second).
"""

from __future__ import annotations

import argparse
import importlib.metadata
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence

import attrs

from ._context import Context

__all__ = [
    "ENTRY_POINT_GROUP",
    "CommandRegistry",
    "ExtensionCommand",
    "ExtensionError",
    "ParserFactory",
    "entry_points",
    "install_hint",
    "load",
    "add_all",
]

#: The entry-point group of extra ``janus-client`` commands.
ENTRY_POINT_GROUP = "janus_client.cli"

#: What an extension command runs: it returns the exit status (None: 0).
ExtensionCommand = Callable[[Context, argparse.Namespace], Awaitable["int | None"]]

#: Makes a command's parser (with the global options): (name, help, epilog) -> parser.
ParserFactory = Callable[[str, str, "str | None"], argparse.ArgumentParser]


class ExtensionError(Exception):
    """An extension command cannot be used (its module or a dependency is missing, or it
    is broken); the message says what to do.

    Attributes:
        short: a few words for ``janus-client --help``.
    """

    def __init__(self, message: str, *, short: str) -> None:
        super().__init__(message)
        self.short = short


def entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """The installed extension commands, by name (the first of each name wins)."""
    found: dict[str, importlib.metadata.EntryPoint] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return found


def install_hint(ep: importlib.metadata.EntryPoint) -> str:
    """How to install what the command of ``ep`` needs (its distribution and extras)."""
    dist = getattr(ep, "dist", None)
    name = dist.metadata["Name"] if dist is not None else "janus-client"
    extras = list(ep.extras)
    if extras:
        return f"pip install '{name}[{','.join(extras)}]'"
    return f"pip install '{name}'"


@attrs.frozen(kw_only=True)
class _Added:
    name: str
    parser: argparse.ArgumentParser


class CommandRegistry:
    """What an entry point of the ``janus_client.cli`` group gets: it adds its command
    with :meth:`add_command` (one command, named like the entry point)."""

    def __init__(self, name: str, factory: ParserFactory) -> None:
        self.name = name
        self._factory = factory
        self._added: _Added | None = None

    def add_command(
        self,
        name: str,
        *,
        help: str,
        run: ExtensionCommand,
        epilog: str | None = None,
        backends: Sequence[str] = ("asyncio", "trio"),
    ) -> argparse.ArgumentParser:
        """Add the command ``name``; returns its parser, to add arguments to.

        Args:
            help: one line (lower case, no final period), shown in ``janus-client --help``.
            run: ``async def run(ctx, args) -> int | None``: the exit status (None: 0).
            epilog: more help, after the options (e.g. its own exit statuses).
            backends: the event loops it runs on (``--backend`` is refused otherwise).

        Raises:
            ValueError: not the entry point's name, a second command, or a bad backend.
        """
        if name != self.name:
            raise ValueError(f"the entry point {self.name!r} must add the command {self.name!r}")
        if self._added is not None:
            raise ValueError(f"the command {name!r} was added already")
        unknown = set(backends) - {"asyncio", "trio"}
        if unknown or not backends:
            raise ValueError(f"backends must be asyncio and/or trio, got {list(backends)}")
        parser = self._factory(name, help, epilog)
        parser.set_defaults(func=run, backends=tuple(backends))
        self._added = _Added(name=name, parser=parser)
        return parser

    @property
    def added(self) -> bool:
        return self._added is not None


def load(ep: importlib.metadata.EntryPoint, factory: ParserFactory) -> argparse.ArgumentParser:
    """Import the extension of ``ep`` and let it add its command.

    Raises:
        ExtensionError: it cannot be imported, or did not add its command.
    """
    broken = f"broken: see janus-client {ep.name}"
    try:
        register = ep.load()
    except ImportError as exc:
        hint = install_hint(ep)
        raise ExtensionError(
            f"the {ep.name!r} command needs more packages: {hint} ({exc})",
            short=f"needs: {hint}",
        ) from exc
    except Exception as exc:
        raise ExtensionError(
            f"the {ep.name!r} command failed to load ({ep.value}): {exc!r}", short=broken
        ) from exc
    if not callable(register):
        raise ExtensionError(f"the {ep.name!r} command: {ep.value} is not callable", short=broken)
    registry = CommandRegistry(ep.name, factory)
    try:
        register(registry)
    except Exception as exc:
        raise ExtensionError(
            f"the {ep.name!r} command failed to register: {exc}", short=broken
        ) from exc
    if registry._added is None:
        raise ExtensionError(f"the {ep.name!r} command: {ep.value} added no command", short=broken)
    return registry._added.parser


def add_all(
    eps: Mapping[str, importlib.metadata.EntryPoint],
    names: Iterable[str],
    factory: ParserFactory,
    placeholder: Callable[[str, str], argparse.ArgumentParser],
) -> dict[str, ExtensionError]:
    """Load the commands ``names`` of ``eps`` in full, and list the others with a
    ``placeholder(name, help)`` parser; returns the commands that failed to load (also
    listed by a placeholder saying why)."""
    wanted = set(names)
    failed: dict[str, ExtensionError] = {}
    made: set[str] = set()

    def tracked(name: str, help: str, epilog: str | None) -> argparse.ArgumentParser:
        made.add(name)
        return factory(name, help, epilog)

    for name, ep in eps.items():
        if name not in wanted:
            placeholder(name, f"(from {ep.module}; see: janus-client {name} --help)")
            continue
        try:
            load(ep, tracked)
        except ExtensionError as exc:
            failed[name] = exc
            if name not in made:
                placeholder(name, f"({exc.short})")
    return failed
