"""A custom transport: janus_anyio's client over an in-process fake Janus.

A transport only moves texts: :meth:`~janus_anyio.Transport.send` gets each request the
core produced (an :class:`janus_proto.Outgoing`), :meth:`~janus_anyio.Transport.receive`
returns Janus's next message. Everything else (transactions, sessions, keepalives,
reconnects, typed plugin replies) stays in the client. This one hands the requests to
:class:`janus_proto.testing.FakeJanus`, so application code runs with no server at all:
``testing_kit_test.py`` uses it for property tests.

Usage: ``python examples/custom_transport.py`` (needs no Janus). Exits 0 on success.
"""

from __future__ import annotations

import sys

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import VideoRoomHandle
from janus_proto.testing import FakeJanus


# [start-transport]
class InProcessTransport(ja.Transport):
    """Delivers requests to a :class:`FakeJanus` living in this process.

    ``FAKES`` maps the URL's host (``fake://<name>``) to the fake Janus to use, so tests can
    prepare and inspect it; an unknown name gets a fresh one.
    """

    FAKES: dict[str, FakeJanus] = {}
    needs_keepalive = False  # the fake never times sessions out

    def __init__(self, url: str, options: ja.TransportOptions | None = None) -> None:
        super().__init__(url, options)
        name = url.removeprefix("fake://")
        self.janus = self.FAKES.setdefault(name, FakeJanus(admin=self.options.admin))
        self._to_client: MemoryObjectSendStream[str] | None = None
        self._from_janus: MemoryObjectReceiveStream[str] | None = None

    async def connect(self, task_group: anyio.abc.TaskGroup) -> None:
        """(Re)open: a fresh bounded pipe from the fake to the client's reader."""
        await self.aclose()
        self._to_client, self._from_janus = anyio.create_memory_object_stream[str](1024)

    async def send(self, out: jp.Outgoing) -> None:
        """Hand one request to the fake, then queue whatever it answers."""
        if self._to_client is None:
            raise ja.NotSent("not connected")  # the client resends nothing it did not send
        self.janus.receive(out.text, out.path)
        for text in self.janus.messages_to_client():
            self._to_client.send_nowait(text)  # bounded: overflow raises, never blocks

    async def receive(self) -> str:
        """The fake's next message; a closed pipe is a lost connection."""
        if self._from_janus is None:
            raise ja.ConnectionClosed("not connected")
        try:
            return await self._from_janus.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise ja.ConnectionClosed("closed") from None

    async def aclose(self) -> None:
        """Close the pipe (idempotent)."""
        for stream in (self._to_client, self._from_janus):
            if stream is not None:
                stream.close()
        self._to_client = self._from_janus = None


ja.register_transport(r"^fake://", InProcessTransport)
# [end-transport]


async def create_rooms(url: str, descriptions: list[str]) -> dict[int, str]:
    """Application code under test: create a VideoRoom per description, return the rooms
    the server then lists (id -> description), the demo room excluded."""
    async with ja.connect(url, request_timeout=5) as janus, janus.session() as session:
        rooms = await VideoRoomHandle.attach(session)
        created = [(await rooms.create(description=d)).room for d in descriptions]
        listed = {info.room: info.description or "" for info in await rooms.list_rooms()}
        return {room: listed[room] for room in created if isinstance(room, int)}


async def main() -> None:
    """Create two rooms on a fake Janus and show what it received."""
    rooms = await create_rooms("fake://demo", ["lobby", "stage"])
    print("rooms:", rooms)
    fake = InProcessTransport.FAKES["demo"]
    print("requests the fake received:", [verb for verb, _msg in fake.received])
    if sorted(rooms.values()) != ["lobby", "stage"]:
        raise RuntimeError(f"unexpected rooms {rooms}")


if __name__ == "__main__":
    try:
        anyio.run(main)
    except Exception as exc:
        print(f"custom_transport: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
