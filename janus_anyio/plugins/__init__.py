"""Async handles for the stock Janus plugins, typed with :mod:`janus_proto.plugins`."""

from __future__ import annotations

from ._base import GenericHandle, PluginEventItem, PluginHandle
from .audiobridge import AudioBridgeHandle
from .echotest import EchoTestHandle
from .nosip import NoSipHandle
from .recordplay import RecordPlayHandle
from .sip import SipHandle
from .streaming import StreamingHandle
from .textroom import TextRoomChannel, TextRoomHandle, TextSender, open_textroom_channel
from .videocall import VideoCallHandle
from .videoroom import VideoRoomHandle, VideoRoomPublisher, VideoRoomSubscriber
from .voicemail import VoiceMailHandle

__all__ = [
    "AudioBridgeHandle",
    "EchoTestHandle",
    "GenericHandle",
    "PluginEventItem",
    "NoSipHandle",
    "PluginHandle",
    "RecordPlayHandle",
    "SipHandle",
    "StreamingHandle",
    "TextRoomChannel",
    "TextRoomHandle",
    "TextSender",
    "VideoCallHandle",
    "VideoRoomHandle",
    "VideoRoomPublisher",
    "VideoRoomSubscriber",
    "VoiceMailHandle",
    "open_textroom_channel",
]
