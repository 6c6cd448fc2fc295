"""The media layer's errors."""

from __future__ import annotations

__all__ = ["MediaError", "PeerConnectionClosed", "NegotiationFailed", "DataChannelClosed"]


class MediaError(Exception):
    """Base of janus_media's own errors."""


class PeerConnectionClosed(MediaError):
    """The :class:`~janus_media.PeerConnection` is closed (by :meth:`close`, or its handle
    went away)."""


class NegotiationFailed(MediaError):
    """An offer/answer exchange did not complete (a refused or unusable SDP, or Janus hung
    up before answering)."""


class DataChannelClosed(MediaError):
    """The data channel is closed."""
