"""``JanusTextRoomPlugin``: chat rooms over a data channel."""

from __future__ import annotations

import asyncio
import builtins
import enum
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

import janus_proto as jp
from janus_anyio.plugins import PluginHandle, TextRoomChannel, TextRoomHandle
from janus_media import DataChannel, NegotiationFailed, open_textroom

from ._errors import TextRoomError
from ._plugin import JanusPlugin, _run_handler, _Tap, plugin_errors, within

__all__ = ["JanusTextRoomPlugin", "TextRoomEventType"]

logger = logging.getLogger(__name__)

Room = int | str


class TextRoomEventType(enum.Enum):
    """The TextRoom messages :meth:`JanusTextRoomPlugin.on_event` can watch."""

    JOIN = "join"
    LEAVE = "leave"
    KICKED = "kicked"
    DESTROYED = "destroyed"
    MESSAGE = "message"
    ANNOUNCEMENT = "announcement"
    ERROR = "error"


class _TextRoomTap(_Tap, TextRoomHandle):
    """The handle as :func:`janus_media.open_textroom` wants it: a ``TextRoomHandle``
    whose events are the ones this plugin's reader feeds in."""


class JanusTextRoomPlugin(JanusPlugin):
    """The TextRoom plugin: :meth:`setup` opens the data channel, then join rooms and chat.

    Room management (list, create, destroy, kick, announcements) goes over the Janus API
    and works without :meth:`setup`; joining, leaving and messages go over the data
    channel and need it. Every call takes ``timeout=`` (seconds) as its deadline and
    raises :class:`TextRoomError` (``error_code``, Janus's ``error_message``) when the
    plugin refuses. Handlers registered with :meth:`on_event` get each message as a dict,
    one at a time, in a task of their own (never in the channel's reader).
    """

    name = "janus.plugin.textroom"
    _handle_class: ClassVar[type[PluginHandle]] = TextRoomHandle

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._channel: TextRoomChannel | None = None
        self._data_channel: DataChannel | None = None
        self._room_tasks: builtins.list[asyncio.Task[None]] = []

    def _rooms(self) -> TextRoomHandle:
        return self._typed_handle(TextRoomHandle)

    def _chat(self) -> TextRoomChannel:
        if self._channel is None or self._channel.closed:
            raise TextRoomError(0, "DataChannel not set up: call setup() first")
        return self._channel

    @property
    def data_channel(self) -> DataChannel | None:
        """The open data channel (None before :meth:`setup`)."""
        return self._data_channel

    async def setup(self, timeout: float | None = 30.0) -> None:
        """Open the data channel (Janus offers, we answer with our ``JanusDataChannel``)
        and wait until it is open.

        Raises:
            TextRoomError: the plugin refused, or offered nothing.
            janus_anyio.RequestTimeout: (a ``TimeoutError``) not open within ``timeout``
                seconds.
        """
        seconds = self._request_timeout(timeout)

        async def run() -> DataChannel:
            await self._close_media()
            peer = self._new_peer(tap=_TextRoomTap)
            try:
                return await open_textroom(peer, timeout=seconds)
            except NegotiationFailed as exc:
                raise TextRoomError(0, str(exc)) from exc
            except jp.PluginError as exc:
                raise TextRoomError(exc.error_code, exc.error) from exc

        channel = await within(seconds, run(), "setup")
        room = TextRoomChannel(channel, channel, request_timeout=self._request_timeout())
        self._data_channel, self._channel = channel, room
        loop = asyncio.get_running_loop()
        self._room_tasks = [loop.create_task(room.run()), loop.create_task(self._room_events(room))]

    async def _room_events(self, room: TextRoomChannel) -> None:
        async for event in room.events():
            data = dict(event.raw)
            try:
                kind = TextRoomEventType(data.get("textroom"))
            except ValueError:
                continue
            for handler in list(self._handlers.get(kind, ())):
                await _run_handler(self, handler, data)

    async def _close_media(self) -> None:
        room, self._channel = self._channel, None
        if room is not None:
            room.close()
        tasks, self._room_tasks = self._room_tasks, []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        self._data_channel = None
        await super()._close_media()

    # -- rooms (Janus API) ---------------------------------------------------------------

    async def list_rooms(
        self, admin_key: str | None = None, timeout: float | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The rooms, as dicts (``room``, ``description``...)."""
        with plugin_errors(TextRoomError):
            rooms = await self._rooms().list_rooms(
                admin_key=admin_key, timeout=self._request_timeout(timeout)
            )
        return [dict(room.raw) for room in rooms]

    async def list_participants(
        self, room: Room, timeout: float | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The participants of ``room``, as dicts (``username``, ``display``)."""
        with plugin_errors(TextRoomError):
            people = await self._rooms().list_participants(
                room, timeout=self._request_timeout(timeout)
            )
        return [dict(person.raw) for person in people]

    async def create_room(
        self,
        room: Room | None = None,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        history: int | None = None,
        post: str | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> Room:
        """Create a room; returns its id (chosen by Janus when ``room`` is None).

        Raises:
            TextRoomError: the room exists, or another refusal.
        """
        with plugin_errors(TextRoomError):
            created = await self._rooms().create(
                room=room,
                admin_key=admin_key,
                description=description,
                secret=secret,
                pin=pin,
                is_private=is_private,
                history=history or None,
                post=post,
                permanent=permanent or None,
                timeout=self._request_timeout(timeout),
            )
        result = created.room if created.room is not None else room
        if result is None:
            raise TextRoomError(0, "Janus created a room without telling its id")
        return result

    async def destroy_room(
        self,
        room: Room,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Destroy ``room``; True when done."""
        with plugin_errors(TextRoomError):
            await self._rooms().destroy(
                room,
                secret=secret,
                permanent=permanent or None,
                timeout=self._request_timeout(timeout),
            )
        return True

    async def send_announcement(
        self, room: Room, text: str, secret: str | None = None, timeout: float | None = None
    ) -> bool:
        """Announce ``text`` in ``room`` (needs the room secret if it has one)."""
        with plugin_errors(TextRoomError):
            await self._rooms().announcement(
                room, text, secret=secret, timeout=self._request_timeout(timeout)
            )
        return True

    async def kick_participant(
        self, room: Room, username: str, secret: str | None = None, timeout: float | None = None
    ) -> bool:
        """Kick ``username`` out of ``room`` (they hear ``KICKED``, the others
        ``LEAVE``); True when done.

        Raises:
            TextRoomError: no such user or room, a wrong secret...
        """
        with plugin_errors(TextRoomError):
            await self._rooms().kick(
                room, username, secret=secret, timeout=self._request_timeout(timeout)
            )
        return True

    # -- chat (data channel) -------------------------------------------------------------

    async def join_room(
        self,
        room: Room,
        username: str,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        history: bool | None = None,
        timeout: float | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Join ``room`` as ``username``; returns who is there already (as dicts). The
        room's history (``history`` not False) comes as ``MESSAGE`` events.

        Raises:
            TextRoomError: :meth:`setup` was not called, the name is taken, a wrong PIN...
        """
        chat = self._chat()
        with plugin_errors(TextRoomError):
            people = await chat.join(
                room,
                username,
                display=display,
                pin=pin,
                token=token,
                history=history,
                timeout=self._request_timeout(timeout),
            )
        return [dict(person.raw) for person in people]

    async def leave_room(self, room: Room, timeout: float | None = None) -> bool:
        """Leave ``room``; True when done."""
        chat = self._chat()
        with plugin_errors(TextRoomError):
            await chat.leave(room, timeout=self._request_timeout(timeout))
        return True

    async def send_message(
        self,
        room: Room,
        text: str,
        to: str | None = None,
        tos: Sequence[str] | None = None,
        ack: bool = True,
        timeout: float | None = None,
    ) -> bool:
        """Send ``text`` to ``room`` (or whisper it ``to`` one user or ``tos`` several);
        with ``ack`` wait for the plugin's confirmation. True when sent."""
        chat = self._chat()
        with plugin_errors(TextRoomError):
            await chat.message(
                room, text, to=to, tos=tos, ack=ack, timeout=self._request_timeout(timeout)
            )
        return True
