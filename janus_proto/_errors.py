"""Exceptions: protocol misuse, server errors by Janus code, plugin errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "ERROR_CLASSES",
    "JanusProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "JanusError",
    "PluginError",
    "error_for_code",
    "plugin_error_for",
    "register_plugin_errors",
]


class JanusProtocolError(Exception):
    """Base of the protocol errors; never raised itself."""

    def __init__(self, message: str) -> None:
        if type(self) is JanusProtocolError:
            raise TypeError("JanusProtocolError is abstract; raise a subclass")
        super().__init__(message)


class LocalProtocolError(JanusProtocolError):
    """The caller used the API wrongly (wrong state, unknown session, bad argument).

    The connection's state is unchanged when this is raised.
    """


class RemoteProtocolError(JanusProtocolError):
    """Janus sent something the client cannot use.

    Attributes:
        raw: the offending input (text, bytes or decoded JSON), for diagnostics.
    """

    def __init__(self, message: str, *, raw: object = None) -> None:
        super().__init__(message)
        self.raw = raw


class JanusError(Exception):
    """An error reply of the Janus core API (``{"janus": "error", ...}``).

    Subclasses exist for every core error code; :func:`error_for_code` picks one.
    """

    #: The Janus code this class stands for (0 on the base class: any code).
    code: ClassVar[int] = 0

    def __init__(self, code: int, reason: str, transaction: str | None = None) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.error_code = code
        self.reason = reason
        self.transaction = transaction

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.error_code, self.reason, self.transaction))


class Unauthorized(JanusError):
    """403: wrong or missing api_secret, token or admin_secret."""

    code = 403


class UnauthorizedPlugin(JanusError):
    """405: the token may not use this plugin."""

    code = 405


class TransportSpecificError(JanusError):
    """450: transport-specific error."""

    code = 450


class MissingRequest(JanusError):
    """452: missing request."""

    code = 452


class UnknownRequest(JanusError):
    """453: unknown request verb."""

    code = 453


class InvalidJSON(JanusError):
    """454: the request was not valid JSON."""

    code = 454


class InvalidJSONObject(JanusError):
    """455: the request JSON was not an object."""

    code = 455


class MissingMandatoryElement(JanusError):
    """456: a mandatory element is missing."""

    code = 456


class InvalidRequestPath(JanusError):
    """457: request not valid at this path."""

    code = 457


class SessionNotFound(JanusError):
    """458: no such session."""

    code = 458


class HandleNotFound(JanusError):
    """459: no such handle."""

    code = 459


class PluginNotFound(JanusError):
    """460: no such plugin."""

    code = 460


class PluginAttachError(JanusError):
    """461: the plugin refused the attach."""

    code = 461


class PluginMessageError(JanusError):
    """462: the plugin could not take it."""

    code = 462


class PluginDetachError(JanusError):
    """463: error detaching from the plugin."""

    code = 463


class JsepUnknownType(JanusError):
    """464: JSEP type is not offer or answer."""

    code = 464


class JsepInvalidSdp(JanusError):
    """465: the SDP could not be processed."""

    code = 465


class TrickleInvalidStream(JanusError):
    """466: invalid stream in trickle."""

    code = 466


class InvalidElementType(JanusError):
    """467: an element has the wrong type."""

    code = 467


class SessionConflict(JanusError):
    """468: the session id is already in use."""

    code = 468


class UnexpectedAnswer(JanusError):
    """469: answer without offer, or bad renegotiation."""

    code = 469


class TokenNotFound(JanusError):
    """470: no such stored token."""

    code = 470


class WebRTCStateError(JanusError):
    """471: wrong PeerConnection state."""

    code = 471


class NotAcceptingSessions(JanusError):
    """472: Janus accepts no new sessions."""

    code = 472


class UnknownError(JanusError):
    """490: generic Janus error."""

    code = 490


_BY_CODE: dict[int, type[JanusError]] = {
    cls.code: cls
    for cls in (
        Unauthorized,
        UnauthorizedPlugin,
        TransportSpecificError,
        MissingRequest,
        UnknownRequest,
        InvalidJSON,
        InvalidJSONObject,
        MissingMandatoryElement,
        InvalidRequestPath,
        SessionNotFound,
        HandleNotFound,
        PluginNotFound,
        PluginAttachError,
        PluginMessageError,
        PluginDetachError,
        JsepUnknownType,
        JsepInvalidSdp,
        TrickleInvalidStream,
        InvalidElementType,
        SessionConflict,
        UnexpectedAnswer,
        TokenNotFound,
        WebRTCStateError,
        NotAcceptingSessions,
        UnknownError,
    )
}

ERROR_CLASSES: Mapping[int, type[JanusError]] = _BY_CODE


def error_for_code(code: int) -> type[JanusError]:
    """Return the :class:`JanusError` subclass for a core error code (the base if unknown)."""
    return _BY_CODE.get(code, JanusError)


class PluginError(Exception):
    """A plugin answered a request with ``error_code`` in its data.

    Attributes:
        plugin: the plugin package name, e.g. ``"janus.plugin.videoroom"``.
        error_code: the plugin's numeric code (plugin specific, see the plugin docs).
        error: the plugin's text.
        data: the whole plugin data object.
        transaction: the transaction of the failed request.
    """

    #: The plugin code this class stands for (0: any code of its plugin).
    code: ClassVar[int] = 0

    def __init__(
        self,
        plugin: str,
        error_code: int,
        error: str,
        data: Mapping[str, Any] | None = None,
        transaction: str | None = None,
    ) -> None:
        super().__init__(f"{plugin} error {error_code}: {error}")
        self.plugin = plugin
        self.error_code = error_code
        self.error = error
        self.data: Mapping[str, Any] = data if data is not None else {}
        self.transaction = transaction

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.plugin, self.error_code, self.error, self.data, self.transaction),
        )


_PLUGIN_ERRORS: dict[str, tuple[type[PluginError], dict[int, type[PluginError]]]] = {}


def register_plugin_errors(
    plugin: str, base: type[PluginError], by_code: Mapping[int, type[PluginError]]
) -> None:
    """Raise ``by_code[code]`` (else ``base``) for errors of ``plugin``.

    Plugin codecs call this when imported; a custom plugin's codec may too.

    Raises:
        TypeError: a class is not a :class:`PluginError` subclass.
    """
    for cls in (base, *by_code.values()):
        if not (isinstance(cls, type) and issubclass(cls, PluginError)):
            raise TypeError(f"{cls!r} is not a PluginError subclass")
    _PLUGIN_ERRORS[plugin] = (base, dict(by_code))


def plugin_error_for(plugin: str, code: int) -> type[PluginError]:
    """The :class:`PluginError` subclass for ``plugin``'s error ``code``."""
    entry = _PLUGIN_ERRORS.get(plugin)
    if entry is None:
        return PluginError
    base, by_code = entry
    return by_code.get(code, base)
