"""TextRoom (``janus.plugin.textroom``): chat rooms over a WebRTC data channel.

Two protocols share the request and reply classes below:

* The **Janus API** (``message`` bodies with ``request``). ``list``, ``listparticipants``,
  ``exists``, ``create``, ``edit``, ``announcement``, ``allowed``, ``kick`` and ``destroy``
  are answered in the ``success`` reply; ``setup``, ``ack`` and ``restart`` are async:
  ``setup`` and ``restart`` are answered ``{"textroom":"event","result":"ok"}`` with a JSEP
  offer holding one ``m=application`` data channel, ``ack`` carries the answer. ``join``,
  ``leave`` and ``message`` are refused there (415).
* The **data channel**: JSON texts ``{"textroom": verb, "transaction": t, ...}``, answered
  ``{"textroom":"success", "transaction": t, ...}`` or ``{"textroom":"error", "error_code":
  N, ...}``, plus unsolicited ``join``, ``leave``, ``message``, ``announcement``, ``kicked``
  and ``destroyed`` messages. :class:`TextRoomSession` is its sans-IO state machine: the
  caller moves the texts (``data_to_send`` / ``receive_message``) over whatever channel it
  has.

Janus 1.1.2 answers ``create``/``edit``/``destroy`` on the Janus API with ``"textroom":
"created"``/``"edited"``/``"destroyed"`` (``"success"`` on the data channel), and
``listparticipants`` there without any ``textroom`` key. Errors of the sync requests are
``{"textroom":"error","error_code":N,"error":"..."}`` inside the ``success`` reply; an
unknown request gets ``"textroom":"event"`` with 415.
"""

from __future__ import annotations

import collections
import enum
import json
from collections.abc import Iterator, Mapping, Sequence
from itertools import count
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import attrs

from .._errors import LocalProtocolError, PluginError, RemoteProtocolError, plugin_error_for
from ._base import (
    GenericPluginData,
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    RequestPart,
    choice_field,
    data_field,
    has,
    key_is,
    list_field,
    non_negative_field,
    opt_field,
    register_plugin_errors,
    req_field,
    room_id_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "DATA_CODEC",
    # requests
    "DataChannelRequest",
    "RoomRequest",
    "List",
    "ListParticipants",
    "Exists",
    "Create",
    "Edit",
    "Destroy",
    "Announcement",
    "Allowed",
    "Kick",
    "Join",
    "Leave",
    "Message",
    "Setup",
    "Ack",
    "Restart",
    # replies
    "RoomInfo",
    "Participant",
    "RoomList",
    "ParticipantList",
    "RoomExists",
    "RoomCreated",
    "RoomEdited",
    "RoomDestroyed",
    "AllowedList",
    "Success",
    "RoomJoined",
    "MessageSent",
    "Result",
    # unsolicited data-channel messages
    "ParticipantJoined",
    "ParticipantLeft",
    "MessageReceived",
    "AnnouncementReceived",
    "ParticipantKicked",
    # the data-channel state machine
    "TextRoomSession",
    "SessionState",
    "ChannelEvent",
    "ReplyReceived",
    "RequestRejected",
    "ReplyMalformed",
    "RequestAborted",
    "StrayReply",
    # errors
    "TextRoomError",
    "NoMessage",
    "InvalidJSON",
    "MissingElement",
    "InvalidElement",
    "InvalidRequest",
    "AlreadySetup",
    "NoSuchRoom",
    "RoomExistsError",
    "Unauthorized",
    "UsernameExists",
    "AlreadyInRoom",
    "NotInRoom",
    "NoSuchUser",
    "UnknownError",
    "ERRORS",
]

PLUGIN = "janus.plugin.textroom"

_R = TypeVar("_R", bound=PluginData)

_ROOM = (int, str)


# -- replies -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RoomInfo(PluginData):
    """One room of a ``list`` answer."""

    room: int | str = data_field(_ROOM, required=True)
    description: str | None = data_field(str)
    pin_required: bool | None = data_field(bool)
    num_participants: int | None = data_field(int)
    history: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Participant(PluginData):
    """A participant of a room."""

    username: str = data_field(str, required=True)
    display: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class RoomList(PluginData):
    """Answer to ``list``: the public rooms (all of them with the ``admin_key``)."""

    textroom: str | None = data_field(str)
    rooms: tuple[RoomInfo, ...] = data_field(key="list", item=RoomInfo, required=True)


@attrs.frozen(kw_only=True)
class ParticipantList(PluginData):
    """Answer to ``listparticipants`` (no ``textroom`` key on the Janus API)."""

    textroom: str | None = data_field(str)
    room: int | str | None = data_field(_ROOM)
    participants: tuple[Participant, ...] = data_field(item=Participant, required=True)


@attrs.frozen(kw_only=True)
class RoomExists(PluginData):
    """Answer to ``exists``."""

    textroom: str | None = data_field(str)
    room: int | str | None = data_field(_ROOM)
    exists: bool = data_field(bool, required=True)


@attrs.frozen(kw_only=True)
class RoomCreated(PluginData):
    """Answer to ``create`` (``"textroom":"created"`` on the Janus API)."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RoomEdited(PluginData):
    """Answer to ``edit`` (``"textroom":"edited"`` on the Janus API)."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class RoomDestroyed(PluginData):
    """A room was destroyed: the answer to ``destroy`` (``permanent`` set), and the
    unsolicited data-channel message its participants get (``"textroom":"destroyed"``)."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    permanent: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class AllowedList(PluginData):
    """Answer to ``allowed``: the whole token list (None after ``disable``)."""

    textroom: str | None = data_field(str)
    room: int | str | None = data_field(_ROOM)
    allowed: tuple[str, ...] | None = data_field(list)


@attrs.frozen(kw_only=True)
class Success(PluginData):
    """``{"textroom":"success"}``: answer to ``kick``, ``announcement`` and ``leave``."""

    textroom: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class RoomJoined(PluginData):
    """Answer to a data-channel ``join``: the others already in the room."""

    textroom: str | None = data_field(str)
    participants: tuple[Participant, ...] = data_field(item=Participant, default=())


@attrs.frozen(kw_only=True)
class MessageSent(PluginData):
    """Answer to a data-channel ``message`` sent with ``ack`` (the default).

    ``sent`` maps each recipient of a whisper to whether it was in the room.
    """

    textroom: str | None = data_field(str)
    sent: Mapping[str, bool] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Result(PluginData):
    """``{"textroom":"event","result":"ok"}``: answer to ``setup``, ``ack`` and ``restart``
    (a JSEP offer in ``jsep`` for ``setup`` and ``restart``)."""

    textroom: str | None = data_field(str)
    result: str = data_field(str, required=True)


# -- unsolicited data-channel messages ---------------------------------------------------


@attrs.frozen(kw_only=True)
class ParticipantJoined(PluginData):
    """Someone joined a room we are in (we get our own join too)."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    username: str = data_field(str, required=True)
    display: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class ParticipantLeft(PluginData):
    """Someone left a room we are in."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    username: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class MessageReceived(PluginData):
    """A message in a room; ``whisper`` when it was sent to us only (``to``/``tos``).

    Messages replayed from the room's history on ``join`` carry ``display`` too.
    """

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    sender: str = data_field(str, key="from", required=True)
    text: str = data_field(str, required=True)
    date: str | None = data_field(str)
    whisper: bool = data_field(bool, default=False)
    display: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class AnnouncementReceived(PluginData):
    """An announcement of the room itself (sent with the room secret)."""

    textroom: str | None = data_field(str)
    room: int | str = data_field(_ROOM, required=True)
    text: str = data_field(str, required=True)
    date: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class ParticipantKicked(PluginData):
    """Someone (possibly us) was kicked out of a room."""

    textroom: str | None = data_field(str)
    room: int | str | None = data_field(_ROOM)
    username: str | None = data_field(str)


#: Types what the plugin answers on the Janus API (for untyped ``send``).
CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("result"), Result),
        (key_is("textroom", "created"), RoomCreated),
        (key_is("textroom", "edited"), RoomEdited),
        (key_is("textroom", "destroyed"), RoomDestroyed),
        (has("list"), RoomList),
        (has("participants"), ParticipantList),
        (has("exists"), RoomExists),
        (has("allowed"), AllowedList),
        (key_is("textroom", "success"), Success),
    ],
)

#: Types the unsolicited messages of the data channel.
DATA_CODEC = PluginCodec(
    PLUGIN,
    [
        (key_is("textroom", "join"), ParticipantJoined),
        (key_is("textroom", "leave"), ParticipantLeft),
        (key_is("textroom", "message"), MessageReceived),
        (key_is("textroom", "announcement"), AnnouncementReceived),
        (key_is("textroom", "kicked"), ParticipantKicked),
        (key_is("textroom", "destroyed"), RoomDestroyed),
    ],
)


# -- requests ----------------------------------------------------------------------------


class DataChannelRequest(Generic[_R]):
    """Mixin of the requests that can go on the data channel.

    Class attributes:
        VERB: the ``textroom`` verb.
        REPLY: the :class:`PluginData` class of the success answer.
    """

    __slots__ = ()

    VERB: ClassVar[str]
    REPLY: ClassVar[type[PluginData]]

    if TYPE_CHECKING:

        def to_json(self) -> dict[str, Any]: ...

    @property
    def expects_reply(self) -> bool:
        """Whether the plugin answers it (a ``message`` with ``ack=False`` gets none)."""
        return True

    def payload(self, transaction: str) -> dict[str, Any]:
        """The data-channel JSON object: ``textroom``, ``transaction``, then the fields.

        Raises:
            TypeError, ValueError: ``transaction`` is not a non-empty str.
        """
        if not isinstance(transaction, str):
            raise TypeError(
                f"{type(self).__name__}: transaction must be str, got {type(transaction).__name__}"
            )
        if not transaction:
            raise ValueError(f"{type(self).__name__}: transaction must not be empty")
        out: dict[str, Any] = {"textroom": self.VERB, "transaction": transaction}
        out.update(self.to_json())
        return out

    def encode(self, transaction: str) -> str:
        """The text to send on the data channel (compact JSON)."""
        return json.dumps(self.payload(transaction), separators=(",", ":"), ensure_ascii=False)

    def parse_reply(self, data: Mapping[str, Any], jsep: Mapping[str, Any] | None = None) -> _R:
        """The typed success answer.

        Raises:
            RemoteProtocolError: the answer lacks what the reply must have.
        """
        return cast(_R, self.REPLY.parse(data, jsep))


@attrs.frozen(kw_only=True)
class RoomRequest(PluginRequest[_R], DataChannelRequest[_R]):
    """A room-management request: sync on the Janus API, and valid on the data channel."""

    SYNC: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class _ChannelOnly(RequestPart, DataChannelRequest[_R]):
    """A request only the data channel takes; ``extra`` keys pass through unchanged."""


@attrs.frozen(kw_only=True)
class List(RoomRequest[RoomList]):
    """The rooms (private ones too with the plugin's ``admin_key``)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "list"
    VERB: ClassVar[str] = "list"
    REPLY: ClassVar[type[PluginData]] = RoomList
    admin_key: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class ListParticipants(RoomRequest[ParticipantList]):
    """The participants of ``room``."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "listparticipants"
    VERB: ClassVar[str] = "listparticipants"
    REPLY: ClassVar[type[PluginData]] = ParticipantList
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class Exists(RoomRequest[RoomExists]):
    """Whether ``room`` exists."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "exists"
    VERB: ClassVar[str] = "exists"
    REPLY: ClassVar[type[PluginData]] = RoomExists
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class Create(RoomRequest[RoomCreated]):
    """Create a room (``room`` left out: the plugin picks an id).

    ``history`` is how many messages are kept for new participants; ``allowed`` turns the
    token check on with these tokens; ``post`` is an HTTP backend for every message.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "create"
    VERB: ClassVar[str] = "create"
    REPLY: ClassVar[type[PluginData]] = RoomCreated
    room: int | str | None = room_id_field(optional=True)
    admin_key: str | None = opt_field(str)
    description: str | None = opt_field(str)
    secret: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    is_private: bool | None = opt_field(bool)
    history: int | None = non_negative_field()
    post: str | None = opt_field(str)
    allowed: Sequence[str] | None = list_field(str)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Edit(RoomRequest[RoomEdited]):
    """Change a room's description, secret, PIN, privacy or HTTP backend."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "edit"
    VERB: ClassVar[str] = "edit"
    REPLY: ClassVar[type[PluginData]] = RoomEdited
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)
    new_description: str | None = opt_field(str)
    new_secret: str | None = opt_field(str)
    new_pin: str | None = opt_field(str)
    new_post: str | None = opt_field(str)
    new_is_private: bool | None = opt_field(bool)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Destroy(RoomRequest[RoomDestroyed]):
    """Destroy a room; its participants get a ``destroyed`` message."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "destroy"
    VERB: ClassVar[str] = "destroy"
    REPLY: ClassVar[type[PluginData]] = RoomDestroyed
    room: int | str = room_id_field()
    secret: str | None = opt_field(str)
    permanent: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Announcement(RoomRequest[Success]):
    """Send ``text`` to everybody in the room, as the room itself."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "announcement"
    VERB: ClassVar[str] = "announcement"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    text: str = req_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Allowed(RoomRequest[AllowedList]):
    """Turn the join-token check on or off (``enable``/``disable``), or ``add``/``remove``
    tokens."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "allowed"
    VERB: ClassVar[str] = "allowed"
    REPLY: ClassVar[type[PluginData]] = AllowedList
    room: int | str = room_id_field()
    action: str = choice_field("enable", "disable", "add", "remove", required=True)
    secret: str | None = opt_field(str)
    allowed: Sequence[str] | None = list_field(str)


@attrs.frozen(kw_only=True)
class Kick(RoomRequest[Success]):
    """Kick ``username`` out of the room (it may join again)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "kick"
    VERB: ClassVar[str] = "kick"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()
    username: str = req_field(str)
    secret: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Join(_ChannelOnly[RoomJoined]):
    """Join a room as ``username`` (data channel only); ``history=False`` skips the
    replay of past messages."""

    VERB: ClassVar[str] = "join"
    REPLY: ClassVar[type[PluginData]] = RoomJoined
    room: int | str = room_id_field()
    username: str = req_field(str)
    display: str | None = opt_field(str)
    pin: str | None = opt_field(str)
    token: str | None = opt_field(str)
    history: bool | None = opt_field(bool)


@attrs.frozen(kw_only=True)
class Leave(_ChannelOnly[Success]):
    """Leave a room (data channel only)."""

    VERB: ClassVar[str] = "leave"
    REPLY: ClassVar[type[PluginData]] = Success
    room: int | str = room_id_field()


@attrs.frozen(kw_only=True)
class Message(_ChannelOnly[MessageSent]):
    """Send ``text`` to the room, or whisper it ``to`` one user or ``tos`` several (data
    channel only). With ``ack=False`` the plugin sends no answer."""

    VERB: ClassVar[str] = "message"
    REPLY: ClassVar[type[PluginData]] = MessageSent
    room: int | str = room_id_field()
    text: str = req_field(str)
    to: str | None = opt_field(str)
    tos: Sequence[str] | None = list_field(str)
    ack: bool | None = opt_field(bool)

    def __attrs_post_init__(self) -> None:
        if self.to is not None and self.tos is not None:
            raise ValueError("Message: to and tos are mutually exclusive")

    @property
    def expects_reply(self) -> bool:
        return self.ack is not False


@attrs.frozen(kw_only=True)
class Setup(PluginRequest[Result]):
    """Ask for the data-channel PeerConnection: the answer carries a JSEP offer."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "setup"
    REPLY: ClassVar[type[PluginData]] = Result


@attrs.frozen(kw_only=True)
class Ack(PluginRequest[Result]):
    """Complete the negotiation with our JSEP answer (after ``setup`` or ``restart``)."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "ack"
    JSEP: ClassVar[JsepRule] = JsepRule.ANSWER
    REPLY: ClassVar[type[PluginData]] = Result


@attrs.frozen(kw_only=True)
class Restart(PluginRequest[Result]):
    """ICE restart: the answer carries a new JSEP offer (answer it with :class:`Ack`).

    The plugin flags that offer ``"restart": true``; Janus 1.1.2 forwards only its
    ``type`` and ``sdp``.
    """

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = "restart"
    REPLY: ClassVar[type[PluginData]] = Result


# -- errors ------------------------------------------------------------------------------


class TextRoomError(PluginError):
    """A TextRoom error (``janus.plugin.textroom``), on the Janus API or the data channel."""


class NoMessage(TextRoomError):
    """411: no message."""

    code = 411


class InvalidJSON(TextRoomError):
    """412: invalid JSON."""

    code = 412


class MissingElement(TextRoomError):
    """413: a mandatory element is missing (a room secret or PIN included)."""

    code = 413


class InvalidElement(TextRoomError):
    """414: an element has the wrong type or value."""

    code = 414


class InvalidRequest(TextRoomError):
    """415: invalid or unknown request (``join``/``message`` on the Janus API included)."""

    code = 415


class AlreadySetup(TextRoomError):
    """416: the PeerConnection is already set up (or, for ``restart``, not yet)."""

    code = 416


class NoSuchRoom(TextRoomError):
    """417: no such room."""

    code = 417


class RoomExistsError(TextRoomError):
    """418: the room already exists."""

    code = 418


class Unauthorized(TextRoomError):
    """419: wrong secret, PIN, admin key or token."""

    code = 419


class UsernameExists(TextRoomError):
    """420: the username is taken in the room."""

    code = 420


class AlreadyInRoom(TextRoomError):
    """421: already in the room."""

    code = 421


class NotInRoom(TextRoomError):
    """422: not in the room."""

    code = 422


class NoSuchUser(TextRoomError):
    """423: no such user in the room."""

    code = 423


class UnknownError(TextRoomError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        MissingElement,
        InvalidElement,
        InvalidRequest,
        AlreadySetup,
        NoSuchRoom,
        RoomExistsError,
        Unauthorized,
        UsernameExists,
        AlreadyInRoom,
        NotInRoom,
        NoSuchUser,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, TextRoomError, ERRORS)


# -- the data-channel state machine ------------------------------------------------------


def _raw() -> Any:
    return attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen(kw_only=True)
class _Outcome:
    """Base of the outcomes of one data-channel request (abstract)."""

    transaction: str
    request: DataChannelRequest[Any]
    raw: Mapping[str, Any] = _raw()


@attrs.frozen(kw_only=True)
class ReplyReceived(_Outcome):
    """The request succeeded; ``reply`` is its typed answer."""

    reply: PluginData


@attrs.frozen(kw_only=True)
class RequestRejected(_Outcome):
    """The plugin answered the request with ``error_code``."""

    error_code: int
    error: str

    def to_exception(self) -> PluginError:
        """The :class:`TextRoomError` subclass for the code."""
        cls = plugin_error_for(PLUGIN, self.error_code)
        return cls(PLUGIN, self.error_code, self.error, self.raw, self.transaction)


@attrs.frozen(kw_only=True)
class ReplyMalformed(_Outcome):
    """The answer to the request could not be understood."""

    reason: str

    def to_exception(self) -> RemoteProtocolError:
        """A :class:`RemoteProtocolError` describing the bad answer."""
        return RemoteProtocolError(self.reason, raw=self.raw)


@attrs.frozen(kw_only=True)
class RequestAborted(_Outcome):
    """The channel closed before the answer came."""

    reason: str


@attrs.frozen(kw_only=True)
class StrayReply:
    """An answer matching no pending request (abandoned, or without a transaction)."""

    transaction: str | None = None
    raw: Mapping[str, Any] = _raw()


#: What :meth:`TextRoomSession.next_event` gives: an outcome, a stray answer, or an
#: unsolicited message typed by :data:`DATA_CODEC` (unknown or ill-formed ones as
#: :class:`~janus_proto.plugins.GenericPluginData`).
ChannelEvent = (
    ReplyReceived | RequestRejected | ReplyMalformed | RequestAborted | StrayReply | PluginData
)


class SessionState(enum.Enum):
    """The state of a :class:`TextRoomSession`."""

    OPEN = "open"
    CLOSED = "closed"


def _default_ids() -> Iterator[str]:
    return (f"t{i}" for i in count(1))


class TextRoomSession:
    """The data-channel protocol of one TextRoom PeerConnection, without I/O.

    :meth:`send` queues a request (the text goes out through :meth:`data_to_send`) and
    returns its transaction; feed every text the channel receives to
    :meth:`receive_message`, then drain :meth:`next_event`. Each request that expects an
    answer ends in exactly one :class:`ReplyReceived`, :class:`RequestRejected`,
    :class:`ReplyMalformed` or :class:`RequestAborted`, unless it was abandoned.

    Transaction ids come from ``transaction_ids`` (default ``"t1"``, ``"t2"``, ...).
    """

    def __init__(self, *, transaction_ids: Iterator[str] | None = None) -> None:
        self._ids = transaction_ids if transaction_ids is not None else _default_ids()
        self._state = SessionState.OPEN
        self._pending: dict[str, DataChannelRequest[Any]] = {}
        self._outbox: list[str] = []
        self._events: collections.deque[ChannelEvent] = collections.deque()

    def __repr__(self) -> str:
        return f"<TextRoomSession {self._state.value} pending={len(self._pending)}>"

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def pending(self) -> Mapping[str, DataChannelRequest[Any]]:
        """The requests awaiting an answer, by transaction (read-only)."""
        return MappingProxyType(self._pending)

    def send(self, request: DataChannelRequest[Any], *, transaction: str | None = None) -> str:
        """Queue ``request``; return its transaction (from the id generator if not given).

        Raises:
            TypeError: not a data-channel request.
            LocalProtocolError: the session is closed, the transaction is pending already,
                or the id generator ran out (nothing was queued).
        """
        if not isinstance(request, DataChannelRequest):
            raise TypeError(f"expected a data-channel request, got {type(request).__name__}")
        if self._state is SessionState.CLOSED:
            raise LocalProtocolError("the TextRoom data channel is closed")
        if transaction is None:
            try:
                transaction = next(self._ids)
            except StopIteration:
                raise LocalProtocolError("the transaction id generator is exhausted") from None
        if transaction in self._pending:
            raise LocalProtocolError(f"transaction {transaction!r} is already pending")
        text = request.encode(transaction)
        if request.expects_reply:
            self._pending[transaction] = request
        self._outbox.append(text)
        return transaction

    def data_to_send(self) -> list[str]:
        """The texts to write to the data channel, in order (the outbox is emptied)."""
        out, self._outbox = self._outbox, []
        return out

    def receive_message(self, data: str | bytes) -> None:
        """Take one text received on the data channel.

        Raises:
            RemoteProtocolError: not UTF-8 JSON, or not an object (nothing changed).
            LocalProtocolError: the session is closed.
        """
        if self._state is SessionState.CLOSED:
            raise LocalProtocolError("the TextRoom data channel is closed")
        try:
            msg = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            raise RemoteProtocolError(f"TextRoom: invalid JSON ({exc})", raw=data) from None
        if not isinstance(msg, dict):
            raise RemoteProtocolError("TextRoom: expected a JSON object", raw=msg)
        txn = msg.get("transaction")
        if txn is not None:
            request = self._pending.pop(txn, None) if isinstance(txn, str) else None
            if request is None:
                self._events.append(StrayReply(transaction=str(txn), raw=msg))
            else:
                self._events.append(self._outcome(txn, request, msg))
            return
        if "error_code" in msg or msg.get("textroom") in ("success", "error"):
            self._events.append(StrayReply(raw=msg))
            return
        try:
            event = DATA_CODEC.parse_event(msg)
        except RemoteProtocolError:  # a known kind, ill-formed: delivered untyped
            event = GenericPluginData(raw=msg, plugin=PLUGIN)
        self._events.append(event)

    @staticmethod
    def _outcome(
        txn: str, request: DataChannelRequest[Any], msg: Mapping[str, Any]
    ) -> ChannelEvent:
        if "error_code" in msg or msg.get("textroom") == "error":
            code, error = msg.get("error_code"), msg.get("error", "")
            if isinstance(code, int) and not isinstance(code, bool) and isinstance(error, str):
                return RequestRejected(
                    transaction=txn, request=request, raw=msg, error_code=code, error=error
                )
            return ReplyMalformed(
                transaction=txn, request=request, raw=msg, reason="TextRoom: malformed error"
            )
        try:
            reply = request.parse_reply(msg)
        except RemoteProtocolError as exc:
            return ReplyMalformed(transaction=txn, request=request, raw=msg, reason=str(exc))
        return ReplyReceived(transaction=txn, request=request, raw=msg, reply=reply)

    def next_event(self) -> ChannelEvent | None:
        """The next event, or None."""
        return self._events.popleft() if self._events else None

    def abandon(self, transaction: str) -> None:
        """Forget a pending request: no outcome follows; a late answer is a
        :class:`StrayReply`. Unknown transactions are ignored."""
        self._pending.pop(transaction, None)

    def close(self, reason: str = "data channel closed") -> None:
        """The channel is gone: every pending request ends in :class:`RequestAborted`.

        Closing twice does nothing.
        """
        if self._state is SessionState.CLOSED:
            return
        self._state = SessionState.CLOSED
        self._outbox.clear()
        for txn, request in self._pending.items():
            self._events.append(RequestAborted(transaction=txn, request=request, reason=reason))
        self._pending.clear()
