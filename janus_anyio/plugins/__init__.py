"""Async handles for the stock Janus plugins, typed with :mod:`janus_proto.plugins`."""

from __future__ import annotations

from ._base import GenericHandle, PluginEventItem, PluginHandle
from .echotest import EchoTestHandle
from .videocall import VideoCallHandle

__all__ = [
    "EchoTestHandle",
    "GenericHandle",
    "PluginEventItem",
    "PluginHandle",
    "VideoCallHandle",
]
