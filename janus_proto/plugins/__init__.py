"""Typed codecs of the stock Janus 1.1.2 plugins, and the blocks to write more.

Each module (``echotest``, ``videocall``, ...) holds a plugin's request classes (validated
on construction, rendered by ``body()``), its reply and event classes (parsed permissively,
``raw`` kept), its ``CODEC`` for pushed events, and one ``PluginError`` subclass per error
code, registered so that failed requests raise them. See :mod:`janus_proto.plugins._base`
for writing a codec of your own.
"""

from __future__ import annotations

from . import (
    audiobridge,
    echotest,
    nosip,
    recordplay,
    sip,
    streaming,
    textroom,
    videocall,
    videoroom,
    voicemail,
)
from ._base import (
    GenericPluginData,
    JsepRule,
    PluginCodec,
    PluginData,
    PluginRequest,
    RequestPart,
    data_field,
    list_field,
    opt_field,
    req_field,
    room_id_field,
)

__all__ = [
    "CODECS",
    "audiobridge",
    "GenericPluginData",
    "JsepRule",
    "PluginCodec",
    "PluginData",
    "PluginRequest",
    "RequestPart",
    "codec_for",
    "data_field",
    "echotest",
    "list_field",
    "nosip",
    "opt_field",
    "recordplay",
    "req_field",
    "room_id_field",
    "sip",
    "streaming",
    "textroom",
    "videocall",
    "videoroom",
    "voicemail",
]

#: The codec of each stock plugin, by package name.
CODECS: dict[str, PluginCodec] = {
    m.PLUGIN: m.CODEC
    for m in (
        audiobridge,
        echotest,
        nosip,
        recordplay,
        sip,
        streaming,
        textroom,
        videocall,
        videoroom,
        voicemail,
    )
}


def codec_for(plugin: str) -> PluginCodec:
    """The codec for ``plugin``: a stock one, or one that types nothing (generic data)."""
    codec = CODECS.get(plugin)
    return codec if codec is not None else PluginCodec(plugin)
