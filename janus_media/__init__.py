"""janus_media: WebRTC media between aiortc and Janus (asyncio only, as aiortc is).

A :class:`PeerConnection` binds one aiortc peer connection to one typed plugin handle of
:mod:`janus_anyio.plugins`: offers and answers go through the plugin's requests, Janus's
trickled candidates are applied, remote tracks and data channels come out as awaitables,
and the handle's other events are re-exposed in order. ICE servers are explicit: none
unless you pass some (never a public STUN server behind your back).

::

    async with PeerConnection(echo) as pc:                  # echo: an EchoTestHandle
        pc.add_track(StampedVideoTrack())
        await pc.negotiate(lambda jsep: echo.configure(video=True, jsep=jsep))
        remote = await pc.wait_track("video", timeout=10)
        async for frame in frames(remote): ...
"""

from __future__ import annotations

from ._channel import DataChannel
from ._errors import DataChannelClosed, MediaError, NegotiationFailed, PeerConnectionClosed
from ._flows import open_textroom, watch_streaming_data
from ._jsep import (
    Jsep,
    candidate_address,
    in_network,
    make_jsep,
    media_directions,
    parse_jsep,
    sdp_candidates,
)
from ._media import (
    STAMP_BITS,
    Recording,
    StampedVideoTrack,
    ToneAudioTrack,
    frames,
    read_stamp,
    stamp_frame,
    video_first,
    write_stamped_clip,
)
from ._peer import PeerConnection, RemoteTrack, default_configuration
from ._probe import EchoProbe, MediaStats, ProbeEvent, ProbeProgress, ProbeSummary

__all__ = (
    "PeerConnection",
    "RemoteTrack",
    "DataChannel",
    "open_textroom",
    "watch_streaming_data",
    "default_configuration",
    "Recording",
    "video_first",
    "frames",
    "StampedVideoTrack",
    "ToneAudioTrack",
    "stamp_frame",
    "read_stamp",
    "write_stamped_clip",
    "STAMP_BITS",
    "Jsep",
    "make_jsep",
    "parse_jsep",
    "sdp_candidates",
    "media_directions",
    "candidate_address",
    "in_network",
    "EchoProbe",
    "ProbeProgress",
    "ProbeSummary",
    "ProbeEvent",
    "MediaStats",
    "MediaError",
    "PeerConnectionClosed",
    "NegotiationFailed",
    "DataChannelClosed",
)

for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("janus_media."):
        _obj.__module__ = "janus_media"
del _name, _obj
