"""The exceptions of the seed-compatible API."""

from __future__ import annotations

__all__ = ["PluginAttachFail", "VideoCallError", "VideoRoomError", "TextRoomError"]


class PluginAttachFail(Exception):
    """Attaching a plugin failed (unknown plugin, refused token, session gone...)."""

    def __init__(self, plugin: object, reason: str) -> None:
        name = getattr(plugin, "name", plugin)
        super().__init__(f"could not attach {name}: {reason}")
        self.plugin = plugin
        self.reason = reason


class _PluginFailure(Exception):
    """A plugin answered with an error: ``error_code`` and Janus's ``error_message``."""

    def __init__(self, error_code: int, error_message: str) -> None:
        super().__init__(f"{error_code}: {error_message}")
        self.error_code = error_code
        self.error_message = error_message


class VideoCallError(_PluginFailure):
    """The VideoCall plugin refused a request (``error_code``, ``error_message``)."""


class VideoRoomError(_PluginFailure):
    """The VideoRoom plugin refused a request (``error_code``, ``error_message``)."""


class TextRoomError(_PluginFailure):
    """The TextRoom plugin refused a request (``error_code``, ``error_message``)."""
