"""TextRoom: the Janus-API handle, and a driver for the data-channel protocol.

:class:`TextRoomHandle` speaks the Janus API: room management (answered at once),
``setup`` (Janus offers a data channel), ``ack`` (our answer) and ``restart``.

Joining rooms and chatting happen on the data channel, which the media layer opens.
:class:`TextRoomChannel` drives the pure :class:`~janus_proto.plugins.textroom.TextRoomSession`
over any object with ``send(text)`` (plain or async, e.g. aiortc's ``RTCDataChannel``) and
an async iterable of the texts received; :func:`open_textroom_channel` runs its reader::

    async with open_textroom_channel(channel, messages) as room:
        await room.join(1234, "alice")
        await room.message(1234, "hello")
        async for event in room.events(): ...
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, ClassVar, Protocol, TypeVar, cast

import anyio

import janus_proto as jp
from janus_proto.plugins import PluginCodec, PluginData, textroom

from .._errors import ConnectionClosed, EventOverflow, RequestTimeout, unwrap_group
from ._base import EventReader, PluginHandle

if sys.version_info < (3, 11):  # pragma: no cover - 3.10 only
    from exceptiongroup import BaseExceptionGroup

__all__ = ["TextRoomHandle", "TextRoomChannel", "TextSender", "open_textroom_channel"]

logger = logging.getLogger(__name__)

_R = TypeVar("_R", bound=PluginData)

Room = int | str


class _RoomAdmin:
    """Room management, the same on the Janus API and on the data channel."""

    async def _room_request(
        self, request: textroom.RoomRequest[_R], timeout: float | None
    ) -> _R:  # pragma: no cover - overridden
        raise NotImplementedError

    async def list_rooms(
        self, *, admin_key: str | None = None, timeout: float | None = None
    ) -> tuple[textroom.RoomInfo, ...]:
        """The public rooms (private ones too with the plugin's ``admin_key``)."""
        return (await self._room_request(textroom.List(admin_key=admin_key), timeout)).rooms

    async def list_participants(
        self, room: Room, *, timeout: float | None = None
    ) -> tuple[textroom.Participant, ...]:
        """The participants of ``room``."""
        reply = await self._room_request(textroom.ListParticipants(room=room), timeout)
        return reply.participants

    async def exists(self, room: Room, *, timeout: float | None = None) -> bool:
        """Whether ``room`` exists."""
        return (await self._room_request(textroom.Exists(room=room), timeout)).exists

    async def create(
        self,
        *,
        room: Room | None = None,
        admin_key: str | None = None,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        history: int | None = None,
        post: str | None = None,
        allowed: Sequence[str] | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> textroom.RoomCreated:
        """Create a room (the plugin picks the id when ``room`` is None)."""
        request = textroom.Create(
            room=room,
            admin_key=admin_key,
            description=description,
            secret=secret,
            pin=pin,
            is_private=is_private,
            history=history,
            post=post,
            allowed=allowed,
            permanent=permanent,
        )
        return await self._room_request(request, timeout)

    async def edit(
        self,
        room: Room,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_post: str | None = None,
        new_is_private: bool | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> textroom.RoomEdited:
        """Change a room's description, secret, PIN, privacy or HTTP backend."""
        request = textroom.Edit(
            room=room,
            secret=secret,
            new_description=new_description,
            new_secret=new_secret,
            new_pin=new_pin,
            new_post=new_post,
            new_is_private=new_is_private,
            permanent=permanent,
        )
        return await self._room_request(request, timeout)

    async def destroy(
        self,
        room: Room,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> textroom.RoomDestroyed:
        """Destroy a room; its participants get a ``destroyed`` message."""
        request = textroom.Destroy(room=room, secret=secret, permanent=permanent)
        return await self._room_request(request, timeout)

    async def announcement(
        self, room: Room, text: str, *, secret: str | None = None, timeout: float | None = None
    ) -> textroom.Success:
        """Send ``text`` to everybody in ``room`` as the room itself."""
        request = textroom.Announcement(room=room, text=text, secret=secret)
        return await self._room_request(request, timeout)

    async def allowed(
        self,
        room: Room,
        action: str,
        *,
        allowed: Sequence[str] | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> textroom.AllowedList:
        """``enable``/``disable`` the join-token check, or ``add``/``remove`` tokens."""
        request = textroom.Allowed(room=room, action=action, allowed=allowed, secret=secret)
        return await self._room_request(request, timeout)

    async def kick(
        self, room: Room, username: str, *, secret: str | None = None, timeout: float | None = None
    ) -> textroom.Success:
        """Kick ``username`` out of ``room``."""
        request = textroom.Kick(room=room, username=username, secret=secret)
        return await self._room_request(request, timeout)


class TextRoomHandle(_RoomAdmin, PluginHandle):
    """``janus.plugin.textroom`` on the Janus API: room management and the data-channel
    negotiation (:meth:`setup`, :meth:`ack`, :meth:`restart`).

    ``join``, ``leave`` and ``message`` exist only on the data channel
    (:class:`TextRoomChannel`); Janus refuses them here with 415.
    """

    PLUGIN: ClassVar[str] = textroom.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = textroom.CODEC

    async def _room_request(self, request: textroom.RoomRequest[_R], timeout: float | None) -> _R:
        return await self.request(request, timeout=timeout)

    async def setup(self, *, timeout: float | None = None) -> textroom.Result:
        """Ask for the data channel: the answer's ``jsep`` is Janus's offer."""
        return await self.request(textroom.Setup(), timeout=timeout)

    async def ack(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> textroom.Result:
        """Send our JSEP answer to the offer of :meth:`setup` or :meth:`restart`."""
        return await self.request(textroom.Ack(), jsep=jsep, timeout=timeout)

    async def restart(self, *, timeout: float | None = None) -> textroom.Result:
        """ICE restart: the answer's ``jsep`` is a new offer; answer it with :meth:`ack`."""
        return await self.request(textroom.Restart(), timeout=timeout)


# -- the data channel --------------------------------------------------------------------


class TextSender(Protocol):
    """What :class:`TextRoomChannel` sends on: ``send(text)``, plain or async."""

    def send(self, data: str, /) -> Any: ...


class _Waiter:
    __slots__ = ("done", "outcome")

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.outcome: textroom.ChannelEvent | None = None


class TextRoomChannel(_RoomAdmin, EventReader[PluginData]):
    """The TextRoom data-channel protocol over ``channel`` (sends) and ``messages``
    (receives), for one PeerConnection.

    Run :meth:`run` in a task group (or use :func:`open_textroom_channel`). Requests
    wait for their answer (``request_timeout`` seconds by default); unsolicited messages
    (joins, leaves, messages, announcements, kicks, destroyed rooms) come out of
    :meth:`events`, at most ``event_buffer`` of them unread.
    """

    def __init__(
        self,
        channel: TextSender,
        messages: AsyncIterable[str | bytes],
        *,
        transaction_ids: Iterator[str] | None = None,
        request_timeout: float | None = 15.0,
        event_buffer: int = 256,
    ) -> None:
        if event_buffer < 1:
            raise ValueError("event_buffer must be at least 1")
        self._channel = channel
        self._messages = messages
        self._session = textroom.TextRoomSession(transaction_ids=transaction_ids)
        self._timeout = request_timeout
        self._buffer = event_buffer
        self._waiters: dict[str, _Waiter] = {}
        self._inbox: deque[PluginData] = deque()
        self._wakeup = anyio.Event()
        self._overflowed = False
        self._closed_reason: str | None = None
        self._send_lock = anyio.Lock()
        self._reader_scope: anyio.CancelScope | None = None

    def __repr__(self) -> str:
        return f"<TextRoomChannel {self._closed_reason or 'open'}>"

    @property
    def closed(self) -> bool:
        return self._closed_reason is not None

    @property
    def session(self) -> textroom.TextRoomSession:
        """The protocol state (pending transactions...)."""
        return self._session

    # -- the reader ----------------------------------------------------------------------

    async def run(self) -> None:
        """Read ``messages`` until they end, :meth:`close` is called or this task is
        cancelled; then close. Call it once.

        Never raises: a failing source closes the channel, and waiting requests get
        :class:`~janus_anyio.ConnectionClosed`.
        """
        reason = "data channel closed"
        try:
            with anyio.CancelScope() as self._reader_scope:
                if self._closed_reason is None:
                    async for data in self._messages:
                        self._receive(data)
        except Exception as exc:
            reason = f"data channel failed: {exc!r}"
            logger.warning("%s: %s", self, reason)
        finally:
            self.close(reason)

    def _receive(self, data: str | bytes) -> None:
        try:
            self._session.receive_message(data)
        except jp.RemoteProtocolError as exc:
            logger.warning("%s: dropped a text that is not TextRoom JSON: %s", self, exc)
            return
        self._dispatch()

    def _dispatch(self) -> None:
        while (event := self._session.next_event()) is not None:
            match event:
                case (
                    textroom.ReplyReceived()
                    | textroom.RequestRejected()
                    | textroom.ReplyMalformed()
                    | textroom.RequestAborted()
                ):
                    waiter = self._waiters.get(event.transaction)
                    if waiter is not None:
                        waiter.outcome = event
                        waiter.done.set()
                case textroom.StrayReply():
                    logger.debug("%s: stray answer %r", self, event.raw)
                case _:
                    self._deliver(event)

    def _deliver(self, event: PluginData) -> None:
        if self._overflowed:
            return
        if len(self._inbox) >= self._buffer:
            self._overflowed = True
            logger.warning("%s: event buffer full; its event stream fails", self)
        else:
            self._inbox.append(event)
        self._wakeup.set()

    def close(self, reason: str = "data channel closed") -> None:
        """Stop: waiting requests fail with :class:`~janus_anyio.ConnectionClosed`, the
        event stream ends once drained. Closing twice does nothing."""
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        if self._reader_scope is not None:
            self._reader_scope.cancel()
        self._session.close(reason)
        self._dispatch()
        self._wakeup.set()

    # -- requests ------------------------------------------------------------------------

    def _check(self) -> None:
        if self._closed_reason is not None:
            raise ConnectionClosed(self._closed_reason)

    async def _flush(self) -> None:
        async with self._send_lock:
            for text in self._session.data_to_send():
                try:
                    result = self._channel.send(text)
                    if inspect.isawaitable(result):
                        await result
                except Exception as exc:
                    raise ConnectionClosed(f"data channel send failed: {exc!r}") from exc

    async def post(self, request: textroom.DataChannelRequest[Any]) -> str:
        """Send ``request`` without waiting for an answer; return its transaction.

        An answer, if one comes, is dropped.
        """
        self._check()
        txn = self._session.send(request)
        self._session.abandon(txn)
        await self._flush()
        return txn

    async def request(
        self, request: textroom.DataChannelRequest[_R], *, timeout: float | None = None
    ) -> _R:
        """Send ``request`` and return its typed answer.

        Raises:
            ValueError: the request gets no answer (``message`` with ``ack=False``: use
                :meth:`post`).
            TextRoomError: the plugin's error (the subclass for its code).
            RemoteProtocolError: the answer lacks what the reply must have.
            RequestTimeout: no answer within ``timeout`` (None: ``request_timeout``).
            ConnectionClosed: the channel closed (before or while waiting).
        """
        if not request.expects_reply:
            raise ValueError(f"{type(request).__name__} gets no answer; use post()")
        self._check()
        if timeout is None:
            timeout = self._timeout
        txn = self._session.send(request)
        waiter = self._waiters[txn] = _Waiter()
        try:
            await self._flush()
            try:
                with anyio.fail_after(timeout):
                    await waiter.done.wait()
            except TimeoutError:
                raise RequestTimeout(
                    f"no answer to TextRoom {request.VERB} within {timeout} s"
                ) from None
        finally:
            del self._waiters[txn]
            if waiter.outcome is None:
                self._session.abandon(txn)
        outcome = waiter.outcome
        match outcome:
            case textroom.ReplyReceived():
                return cast(_R, outcome.reply)
            case textroom.RequestRejected() | textroom.ReplyMalformed():
                raise outcome.to_exception()
            case _:
                assert isinstance(outcome, textroom.RequestAborted)
                raise ConnectionClosed(outcome.reason)

    async def _room_request(self, request: textroom.RoomRequest[_R], timeout: float | None) -> _R:
        return await self.request(request, timeout=timeout)

    async def join(
        self,
        room: Room,
        username: str,
        *,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        history: bool | None = None,
        timeout: float | None = None,
    ) -> tuple[textroom.Participant, ...]:
        """Join ``room`` as ``username``; return the others already there."""
        request = textroom.Join(
            room=room, username=username, display=display, pin=pin, token=token, history=history
        )
        return (await self.request(request, timeout=timeout)).participants

    async def leave(self, room: Room, *, timeout: float | None = None) -> None:
        """Leave ``room``."""
        await self.request(textroom.Leave(room=room), timeout=timeout)

    async def message(
        self,
        room: Room,
        text: str,
        *,
        to: str | None = None,
        tos: Sequence[str] | None = None,
        ack: bool = True,
        timeout: float | None = None,
    ) -> textroom.MessageSent | None:
        """Send ``text`` to ``room`` (or whisper it ``to`` one user or ``tos`` several).

        With ``ack=False`` the plugin sends no answer: nothing is awaited, None returned.
        """
        request = textroom.Message(room=room, text=text, to=to, tos=tos, ack=None if ack else False)
        if not ack:
            await self.post(request)
            return None
        return await self.request(request, timeout=timeout)

    # -- events --------------------------------------------------------------------------

    async def next_event(self, *, timeout: float | None = None) -> PluginData:
        """The next unsolicited message.

        Raises:
            TimeoutError: none within ``timeout``.
            ConnectionClosed: the channel closed and no message is left.
            EventOverflow: messages were not read and the buffer overflowed.
        """
        with anyio.fail_after(timeout):
            while True:
                if self._inbox:
                    return self._inbox.popleft()
                if self._overflowed:
                    raise EventOverflow(f"{self}: more than {self._buffer} events were not read")
                if self._closed_reason is not None:
                    raise ConnectionClosed(self._closed_reason)
                self._wakeup = anyio.Event()
                await self._wakeup.wait()

    async def events(self) -> AsyncIterator[PluginData]:
        """Iterate over the unsolicited messages until the channel closes."""
        while True:
            try:
                event = await self.next_event()
            except ConnectionClosed:
                return
            yield event


@asynccontextmanager
async def open_textroom_channel(
    channel: TextSender,
    messages: AsyncIterable[str | bytes],
    *,
    transaction_ids: Iterator[str] | None = None,
    request_timeout: float | None = 15.0,
    event_buffer: int = 256,
) -> AsyncIterator[TextRoomChannel]:
    """A :class:`TextRoomChannel` whose reader runs for the duration of the block."""
    room = TextRoomChannel(
        channel,
        messages,
        transaction_ids=transaction_ids,
        request_timeout=request_timeout,
        event_buffer=event_buffer,
    )
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(room.run)
            try:
                yield room
            finally:
                room.close()
    except BaseExceptionGroup as group:
        raise unwrap_group(group) from None
