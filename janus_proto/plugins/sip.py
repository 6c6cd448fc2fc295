"""SIP (``janus.plugin.sip``): a SIP user agent in Janus for each handle; every request is async.

Every answer is ``{"sip":"event","call_id"?:...,"result":{"event":...}}`` (errors are
``{"sip":"event","error_code":N,"error":...}``). The fields of ``result`` become attributes of
the event classes; ``call_id`` comes from the top level (where Janus 1.1.2 puts it) or, failing
that, from ``result``. What happens after the first answer (``registered`` after
``registering``, ``ringing``, ``accepted``, ``hangup``, incoming calls...) is pushed with the
transaction of the session's last call, or none: it arrives as events, typed by :data:`CODEC`.

Janus 1.1.2 quirks worth knowing (seen on the wire):

* ``hangup`` outside a call, ``decline`` without an incoming call and ``hold``/``unhold``
  outside a call get **no answer at all** (the plugin logs and drops them): such a request
  only ends by its timeout.
* ``info``, ``dtmf_info``, ``transfer``, ``recording`` and in-dialog ``message`` outside a
  call fail with ``error_code`` **0** ("Wrong state (not in a call?)"): that raises the base
  :class:`SipError`, not :class:`WrongState`.
* A ``guest`` (or ``send_register: false``) registration never moves to the registered
  state, so registering again on that handle is accepted (no 445).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import attrs

from .._errors import PluginError
from ._base import (
    CodecRequest,
    JsepRule,
    PluginCodec,
    PluginData,
    ResultData,
    choice_field,
    data_field,
    in_result,
    key_is,
    list_field,
    non_negative_field,
    opt_field,
    register_plugin_errors,
    req_field,
)

__all__ = [
    "PLUGIN",
    "CODEC",
    "ERRORS",
    # requests
    "Register",
    "Unregister",
    "Call",
    "Accept",
    "Decline",
    "Update",
    "Hold",
    "Unhold",
    "Hangup",
    "Message",
    "Info",
    "DtmfInfo",
    "Subscribe",
    "Unsubscribe",
    "Transfer",
    "Recording",
    "Reset",
    # events
    "SipEvent",
    "Registering",
    "Registered",
    "RegistrationFailed",
    "Unregistering",
    "Unregistered",
    "Calling",
    "Ringing",
    "Proceeding",
    "Progress",
    "Accepting",
    "Accepted",
    "IncomingCall",
    "UpdatingCall",
    "Updating",
    "Updated",
    "MissedCall",
    "Holding",
    "Resuming",
    "Declining",
    "Declined",
    "HangingUp",
    "HungUp",
    "IncomingMessage",
    "MessageSent",
    "MessageDelivery",
    "IncomingInfo",
    "InfoSent",
    "DtmfSent",
    "Notified",
    "Subscribing",
    "SubscribeSucceeded",
    "SubscribeFailed",
    "Unsubscribing",
    "IncomingTransfer",
    "Transferring",
    "RecordingUpdated",
    "ResetDone",
    # errors
    "SipError",
    "NoMessage",
    "InvalidJSON",
    "InvalidRequest",
    "MissingElement",
    "InvalidElement",
    "AlreadyRegistered",
    "InvalidAddress",
    "WrongState",
    "MissingSDP",
    "LibSofiaError",
    "IOFailure",
    "RecordingError",
    "TooStrict",
    "HelperError",
    "NoSuchCallId",
    "UnknownError",
]

PLUGIN = "janus.plugin.sip"

_R = TypeVar("_R", bound=PluginData)


# -- events ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SipEvent(ResultData):
    """Base of SIP events: the fields of ``result`` are attributes; ``raw`` keeps the whole
    plugin data.

    Attributes:
        event: the ``result.event`` name.
        call_id: the SIP Call-ID the event belongs to (None outside a call or dialog).
    """

    event: str | None = data_field(str)
    call_id: str | None = data_field(str)

    @classmethod
    def fields_of(cls, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """The fields of ``result``, and the top-level ``call_id`` over its own."""
        fields = dict(super().fields_of(data))
        if data.get("call_id") is not None:
            fields["call_id"] = data["call_id"]
        return fields


@attrs.frozen(kw_only=True)
class Registering(SipEvent):
    """Answer to ``register``: a SIP REGISTER went out; :class:`Registered` or
    :class:`RegistrationFailed` follows."""


@attrs.frozen(kw_only=True)
class Registered(SipEvent):
    """The account is usable: ``register_sent`` False for guests and helpers (no REGISTER
    was sent); ``master_id`` identifies it for helper sessions."""

    username: str = data_field(str, required=True)
    register_sent: bool | None = data_field(bool)
    master_id: int | None = data_field(int)
    helper: bool | None = data_field(bool)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class RegistrationFailed(SipEvent):
    """The registrar refused the REGISTER (``code``/``reason`` are its SIP answer)."""

    code: int = data_field(int, required=True)
    reason: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Unregistering(SipEvent):
    """Answer to ``unregister``."""


@attrs.frozen(kw_only=True)
class Unregistered(SipEvent):
    """The registrar confirmed the unregistration."""

    username: str | None = data_field(str)
    register_sent: bool | None = data_field(bool)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Calling(SipEvent):
    """Answer to ``call``: the INVITE went out (``call_id`` is its Call-ID)."""


@attrs.frozen(kw_only=True)
class Ringing(SipEvent):
    """The callee answered 180 Ringing (without SDP)."""

    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Proceeding(SipEvent):
    """A provisional answer to our INVITE arrived (``code``: 180, 183...)."""

    code: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Progress(SipEvent):
    """Early media: a 183 with SDP; the JSEP answer is in ``jsep``."""

    username: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)
    isfocus: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class Accepting(SipEvent):
    """Answer to ``accept`` with an offer (an offerless INVITE): the answer comes later."""


@attrs.frozen(kw_only=True)
class Accepted(SipEvent):
    """The call is up: the callee's JSEP answer is in ``jsep`` (None after early media).

    Also the answer to ``accept`` (callee side) and what a re-INVITE we sent (``update``)
    ends with."""

    username: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)
    isfocus: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class IncomingCall(SipEvent):
    """Someone calls: their offer is in ``jsep`` (None for an offerless INVITE); answer with
    ``accept`` or ``decline``."""

    username: str = data_field(str, required=True)
    displayname: str | None = data_field(str)
    callee: str | None = data_field(str)
    referred_by: str | None = data_field(str)
    replaces: str | None = data_field(str)
    srtp: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)
    isfocus: bool | None = data_field(bool)


@attrs.frozen(kw_only=True)
class UpdatingCall(SipEvent):
    """The peer sent a re-INVITE (only with ``autoaccept_reinvites`` false): its offer is in
    ``jsep``; answer with ``update``."""

    username: str | None = data_field(str)
    displayname: str | None = data_field(str)
    callee: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Updating(SipEvent):
    """Answer to ``update`` with an offer: a re-INVITE went out."""


@attrs.frozen(kw_only=True)
class Updated(SipEvent):
    """Answer to ``update`` with an answer (to the peer's re-INVITE)."""


@attrs.frozen(kw_only=True)
class MissedCall(SipEvent):
    """An INVITE arrived while busy: Janus answered 486 for us."""

    caller: str | None = data_field(str)
    displayname: str | None = data_field(str)
    callee: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class Holding(SipEvent):
    """Answer to ``hold``."""


@attrs.frozen(kw_only=True)
class Resuming(SipEvent):
    """Answer to ``unhold``."""


@attrs.frozen(kw_only=True)
class Declining(SipEvent):
    """Answer to ``decline`` (``code`` is the SIP code sent; ``refer_id`` for a transfer)."""

    code: int | None = data_field(int)
    refer_id: int | None = data_field(int)


@attrs.frozen(kw_only=True)
class Declined(SipEvent):
    """The call was declined (listed for 1.1.2; this version reports a decline as
    :class:`HungUp`)."""

    code: int | None = data_field(int)
    reason: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class HangingUp(SipEvent):
    """Answer to ``hangup`` (also pushed when the PeerConnection goes away mid-call)."""


@attrs.frozen(kw_only=True)
class HungUp(SipEvent):
    """The call ended: ``code``/``reason`` are the SIP status (200 for a BYE, 486...), and
    the ``Reason`` header parts when the peer sent one."""

    code: int | None = data_field(int)
    reason: str | None = data_field(str)
    reason_header: str | None = data_field(str)
    reason_header_protocol: str | None = data_field(str)
    reason_header_cause: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class IncomingMessage(SipEvent):
    """A SIP MESSAGE arrived."""

    sender: str | None = data_field(str)
    displayname: str | None = data_field(str)
    content: str | None = data_field(str)
    content_type: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class MessageSent(SipEvent):
    """Answer to ``message``; :class:`MessageDelivery` with the same ``call_id`` follows."""


@attrs.frozen(kw_only=True)
class MessageDelivery(SipEvent):
    """The peer's SIP answer to our MESSAGE."""

    code: int | None = data_field(int)
    reason: str | None = data_field(str)


@attrs.frozen(kw_only=True)
class IncomingInfo(SipEvent):
    """A SIP INFO arrived (``type`` is its content type)."""

    sender: str | None = data_field(str)
    displayname: str | None = data_field(str)
    type: str | None = data_field(str)
    content: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class InfoSent(SipEvent):
    """Answer to ``info``."""


@attrs.frozen(kw_only=True)
class DtmfSent(SipEvent):
    """Answer to ``dtmf_info``."""


@attrs.frozen(kw_only=True)
class Notified(SipEvent):
    """A SIP NOTIFY of a subscription arrived (``notify`` is its event package)."""

    notify: str | None = data_field(str)
    substate: str | None = data_field(str)
    content_type: str | None = data_field(str, key="content-type")
    content: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Subscribing(SipEvent):
    """Answer to ``subscribe``."""


@attrs.frozen(kw_only=True)
class SubscribeSucceeded(SipEvent):
    """The notifier accepted the SUBSCRIBE (``expires`` in seconds)."""

    code: int | None = data_field(int)
    reason: str | None = data_field(str)
    expires: int | None = data_field(int)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class SubscribeFailed(SipEvent):
    """The notifier refused the SUBSCRIBE."""

    code: int | None = data_field(int)
    reason: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Unsubscribing(SipEvent):
    """Answer to ``unsubscribe``."""


@attrs.frozen(kw_only=True)
class IncomingTransfer(SipEvent):
    """The peer asks us to call ``refer_to`` (a REFER): pass ``refer_id`` to ``call`` to
    follow it, or to ``decline`` to refuse it."""

    refer_id: int = data_field(int, required=True)
    refer_to: str | None = data_field(str)
    referred_by: str | None = data_field(str)
    replaces: str | None = data_field(str)
    headers: dict[str, Any] | None = data_field(dict)


@attrs.frozen(kw_only=True)
class Transferring(SipEvent):
    """Answer to ``transfer``: the REFER went out."""


@attrs.frozen(kw_only=True)
class RecordingUpdated(SipEvent):
    """Answer to ``recording``."""


@attrs.frozen(kw_only=True)
class ResetDone(SipEvent):
    """Answer to ``reset``."""


_EVENTS: dict[str, type[SipEvent]] = {
    "registering": Registering,
    "registered": Registered,
    "registration_failed": RegistrationFailed,
    "unregistering": Unregistering,
    "unregistered": Unregistered,
    "calling": Calling,
    "ringing": Ringing,
    "proceeding": Proceeding,
    "progress": Progress,
    "accepting": Accepting,
    "accepted": Accepted,
    "incomingcall": IncomingCall,
    "updatingcall": UpdatingCall,
    "updating": Updating,
    "updated": Updated,
    "missed_call": MissedCall,
    "holding": Holding,
    "resuming": Resuming,
    "declining": Declining,
    "declined": Declined,
    "hangingup": HangingUp,
    "hangup": HungUp,
    "message": IncomingMessage,
    "messagesent": MessageSent,
    "messagedelivery": MessageDelivery,
    "info": IncomingInfo,
    "infosent": InfoSent,
    "dtmfsent": DtmfSent,
    "notify": Notified,
    "subscribing": Subscribing,
    "subscribe_succeeded": SubscribeSucceeded,
    "subscribe_failed": SubscribeFailed,
    "unsubscribing": Unsubscribing,
    "transfer": IncomingTransfer,
    "transferring": Transferring,
    "recordingupdated": RecordingUpdated,
    "reset": ResetDone,
}


CODEC = PluginCodec(
    PLUGIN, [(in_result(key_is("event", name)), cls) for name, cls in _EVENTS.items()]
)


# -- request field validators ------------------------------------------------------------


def _str_map(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    """Validator: None, or a mapping of str to str (SIP headers, Contact params)."""
    if value is None:
        return
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"{type(inst).__name__}.{attr.name} must be a mapping of str to str")


def _as_dict(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def _str_map_field() -> Any:
    """An optional mapping of str to str (stored as a dict)."""
    return attrs.field(default=None, converter=_as_dict, validator=_str_map)


_SRTP = ("sdes_optional", "sdes_mandatory")


# -- requests ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _SipRequest(CodecRequest[_R]):
    """A SIP request: its answer is typed by :data:`CODEC` and must be one of ``REPLIES``."""

    PLUGIN: ClassVar[str] = PLUGIN
    CODEC: ClassVar[PluginCodec] = CODEC


@attrs.frozen(kw_only=True)
class Register(_SipRequest[Registering | Registered]):
    """Register ``username`` (a SIP URI), or just use it (``type`` guest: no REGISTER), or
    add this handle as a helper of ``master_id``.

    Answered by :class:`Registering` (a REGISTER went out) or :class:`Registered`.
    """

    REQUEST: ClassVar[str | None] = "register"
    REPLY: ClassVar[type[PluginData]] = Registered
    REPLIES: ClassVar[tuple[type[PluginData], ...]] = (Registering, Registered)

    username: str = req_field(str)
    type: str | None = choice_field("guest", "helper")
    send_register: bool | None = opt_field(bool)
    force_udp: bool | None = opt_field(bool)
    force_tcp: bool | None = opt_field(bool)
    sips: bool | None = opt_field(bool)
    rfc2543_cancel: bool | None = opt_field(bool)
    secret: str | None = opt_field(str)
    ha1_secret: str | None = opt_field(str)
    authuser: str | None = opt_field(str)
    display_name: str | None = opt_field(str)
    user_agent: str | None = opt_field(str)
    proxy: str | None = opt_field(str)
    outbound_proxy: str | None = opt_field(str)
    headers: Mapping[str, str] | None = _str_map_field()
    contact_params: Mapping[str, str] | None = _str_map_field()
    incoming_header_prefixes: Sequence[str] | None = list_field(str)
    refresh: bool | None = opt_field(bool)
    master_id: int | None = opt_field(int)
    register_ttl: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class Unregister(_SipRequest[Unregistering]):
    """Unregister (sends a REGISTER with Expires 0 if one was sent before)."""

    REQUEST: ClassVar[str | None] = "unregister"
    REPLY: ClassVar[type[PluginData]] = Unregistering


@attrs.frozen(kw_only=True)
class Call(_SipRequest[Calling]):
    """Send an INVITE to ``uri``; a JSEP offer is required."""

    REQUEST: ClassVar[str | None] = "call"
    JSEP: ClassVar[JsepRule] = JsepRule.OFFER
    REPLY: ClassVar[type[PluginData]] = Calling

    uri: str = req_field(str)
    call_id: str | None = opt_field(str)
    headers: Mapping[str, str] | None = _str_map_field()
    srtp: str | None = choice_field(*_SRTP)
    srtp_profile: str | None = opt_field(str)
    autoaccept_reinvites: bool | None = opt_field(bool)
    refer_id: int | None = opt_field(int)
    secret: str | None = opt_field(str)
    ha1_secret: str | None = opt_field(str)
    authuser: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Accept(_SipRequest[Accepted | Accepting]):
    """Accept the incoming call with a JSEP answer (or an offer, for an offerless INVITE:
    answered by :class:`Accepting`)."""

    REQUEST: ClassVar[str | None] = "accept"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    NEEDS_JSEP: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Accepted
    REPLIES: ClassVar[tuple[type[PluginData], ...]] = (Accepted, Accepting)

    srtp: str | None = choice_field(*_SRTP)
    headers: Mapping[str, str] | None = _str_map_field()
    autoaccept_reinvites: bool | None = opt_field(bool)


def _sip_error_code(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not 400 <= value <= 699:
        raise ValueError(f"{type(inst).__name__}.{attr.name} must be a SIP error code (400-699)")


@attrs.frozen(kw_only=True)
class Decline(_SipRequest[Declining]):
    """Decline the incoming call (``code``: 486 by default), or a transfer (``refer_id``).

    Janus 1.1.2 does not answer it when there is no incoming call."""

    REQUEST: ClassVar[str | None] = "decline"
    REPLY: ClassVar[type[PluginData]] = Declining

    code: int | None = opt_field(int, validator=_sip_error_code)
    headers: Mapping[str, str] | None = _str_map_field()
    refer_id: int | None = opt_field(int)


@attrs.frozen(kw_only=True)
class Update(_SipRequest[Updating | Updated]):
    """Renegotiate: a JSEP offer sends a re-INVITE (:class:`Updating`); a JSEP answer
    answers the peer's re-INVITE (:class:`Updated`)."""

    REQUEST: ClassVar[str | None] = "update"
    JSEP: ClassVar[JsepRule] = JsepRule.OPTIONAL
    NEEDS_JSEP: ClassVar[bool] = True
    REPLY: ClassVar[type[PluginData]] = Updating
    REPLIES: ClassVar[tuple[type[PluginData], ...]] = (Updating, Updated)


@attrs.frozen(kw_only=True)
class Hold(_SipRequest[Holding]):
    """Put the call on hold (a re-INVITE with ``direction``, sendonly by default).

    Janus 1.1.2 does not answer it outside a call."""

    REQUEST: ClassVar[str | None] = "hold"
    REPLY: ClassVar[type[PluginData]] = Holding

    direction: str | None = choice_field("sendonly", "recvonly", "inactive")
    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Unhold(_SipRequest[Resuming]):
    """Resume the call put on hold. Janus 1.1.2 does not answer it outside a call."""

    REQUEST: ClassVar[str | None] = "unhold"
    REPLY: ClassVar[type[PluginData]] = Resuming

    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Hangup(_SipRequest[HangingUp]):
    """Hang up (BYE) or cancel the call; :class:`HungUp` follows.

    Janus 1.1.2 does not answer it outside a call."""

    REQUEST: ClassVar[str | None] = "hangup"
    REPLY: ClassVar[type[PluginData]] = HangingUp

    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Message(_SipRequest[MessageSent]):
    """Send a SIP MESSAGE: in the call's dialog, or to ``uri`` out of dialog."""

    REQUEST: ClassVar[str | None] = "message"
    REPLY: ClassVar[type[PluginData]] = MessageSent

    content: str = req_field(str)
    content_type: str | None = opt_field(str)
    uri: str | None = opt_field(str)
    call_id: str | None = opt_field(str)
    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Info(_SipRequest[InfoSent]):
    """Send a SIP INFO in the call (``type`` is the content type)."""

    REQUEST: ClassVar[str | None] = "info"
    REPLY: ClassVar[type[PluginData]] = InfoSent

    type: str = req_field(str)
    content: str = req_field(str)
    headers: Mapping[str, str] | None = _str_map_field()


def _one_char(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    if len(value) != 1:
        raise ValueError(f"{type(inst).__name__}.{attr.name} must be one character")


@attrs.frozen(kw_only=True)
class DtmfInfo(_SipRequest[DtmfSent]):
    """Send a DTMF ``digit`` as a SIP INFO (``duration`` in ms, 160 by default)."""

    REQUEST: ClassVar[str | None] = "dtmf_info"
    REPLY: ClassVar[type[PluginData]] = DtmfSent

    digit: str = req_field(str, validator=_one_char)
    duration: int | None = non_negative_field()
    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Subscribe(_SipRequest[Subscribing]):
    """SUBSCRIBE to an ``event`` package (``to``: our own identity by default)."""

    REQUEST: ClassVar[str | None] = "subscribe"
    REPLY: ClassVar[type[PluginData]] = Subscribing

    event: str = req_field(str)
    accept: str | None = opt_field(str)
    to: str | None = opt_field(str)
    subscribe_ttl: int | None = opt_field(int)
    call_id: str | None = opt_field(str)
    headers: Mapping[str, str] | None = _str_map_field()


@attrs.frozen(kw_only=True)
class Unsubscribe(_SipRequest[Unsubscribing]):
    """End the subscription to ``event`` (a SUBSCRIBE with Expires 0)."""

    REQUEST: ClassVar[str | None] = "unsubscribe"
    REPLY: ClassVar[type[PluginData]] = Unsubscribing

    event: str = req_field(str)
    to: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Transfer(_SipRequest[Transferring]):
    """Transfer the call to ``uri`` (a REFER): blind, or attended replacing the call whose
    Call-ID is ``replace``."""

    REQUEST: ClassVar[str | None] = "transfer"
    REPLY: ClassVar[type[PluginData]] = Transferring

    uri: str = req_field(str)
    replace: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Recording(_SipRequest[RecordingUpdated]):
    """Start, stop, pause or resume recording our and/or the peer's media (.mjr files named
    from ``filename``)."""

    REQUEST: ClassVar[str | None] = "recording"
    REPLY: ClassVar[type[PluginData]] = RecordingUpdated

    action: str = choice_field("start", "stop", "pause", "resume", required=True)
    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    peer_audio: bool | None = opt_field(bool)
    peer_video: bool | None = opt_field(bool)
    send_peer_pli: bool | None = opt_field(bool)
    filename: str | None = opt_field(str)


@attrs.frozen(kw_only=True)
class Reset(_SipRequest[ResetDone]):
    """Clear a stuck "call being set up" flag of an idle session."""

    REQUEST: ClassVar[str | None] = "reset"
    REPLY: ClassVar[type[PluginData]] = ResetDone


# -- errors ------------------------------------------------------------------------------


class SipError(PluginError):
    """A SIP plugin error (``janus.plugin.sip``); also raised as is for code 0, which Janus
    1.1.2 sends for some wrong-state errors."""


class NoMessage(SipError):
    """440: no message."""

    code = 440


class InvalidJSON(SipError):
    """441: invalid JSON."""

    code = 441


class InvalidRequest(SipError):
    """442: invalid or unknown request."""

    code = 442


class MissingElement(SipError):
    """443: a mandatory element is missing."""

    code = 443


class InvalidElement(SipError):
    """444: an element has the wrong type or value, or conflicts with another."""

    code = 444


class AlreadyRegistered(SipError):
    """445: this handle is already registered (or registering)."""

    code = 445


class InvalidAddress(SipError):
    """446: not a valid SIP URI (username, uri, proxy...)."""

    code = 446


class WrongState(SipError):
    """447: wrong state ("register first", "not registered", "not invited"...)."""

    code = 447


class MissingSDP(SipError):
    """448: the request needs an SDP (or the SDP cannot be used: no DataChannels)."""

    code = 448


class LibSofiaError(SipError):
    """449: Sofia-SIP error."""

    code = 449


class IOFailure(SipError):
    """450: I/O error (e.g. no RTP ports)."""

    code = 450


class RecordingError(SipError):
    """451: recording error (e.g. nothing to record)."""

    code = 451


class TooStrict(SipError):
    """452: SDES-SRTP required but not offered."""

    code = 452


class HelperError(SipError):
    """453: helper error (no such master, already a helper...)."""

    code = 453


class NoSuchCallId(SipError):
    """454: no such Call-ID (attended transfer)."""

    code = 454


class UnknownError(SipError):
    """499: unknown error."""

    code = 499


ERRORS: dict[int, type[PluginError]] = {
    c.code: c
    for c in (
        NoMessage,
        InvalidJSON,
        InvalidRequest,
        MissingElement,
        InvalidElement,
        AlreadyRegistered,
        InvalidAddress,
        WrongState,
        MissingSDP,
        LibSofiaError,
        IOFailure,
        RecordingError,
        TooStrict,
        HelperError,
        NoSuchCallId,
        UnknownError,
    )
}
register_plugin_errors(PLUGIN, SipError, ERRORS)
