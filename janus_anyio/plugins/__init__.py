"""Async handles for the stock Janus plugins, typed with :mod:`janus_proto.plugins`."""

from __future__ import annotations

from ._base import GenericHandle, PluginEventItem, PluginHandle
from .echotest import EchoTestHandle
from .streaming import StreamingHandle
from .textroom import TextRoomChannel, TextRoomHandle, TextSender, open_textroom_channel
from .videocall import VideoCallHandle

__all__ = [
    "EchoTestHandle",
    "GenericHandle",
    "PluginEventItem",
    "PluginHandle",
    "StreamingHandle",
    "TextRoomChannel",
    "TextRoomHandle",
    "TextSender",
    "VideoCallHandle",
    "open_textroom_channel",
]
