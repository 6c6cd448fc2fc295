"""NoSIP handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, nosip

from ._base import PluginHandle

__all__ = ["NoSipHandle"]


class NoSipHandle(PluginHandle):
    """``janus.plugin.nosip``: bridges a WebRTC PeerConnection to plain RTP; the signalling
    with the legacy peer is yours.

    Caller side: :meth:`generate` with the browser's offer gives the barebone offer for the
    peer; :meth:`process` its barebone answer gives the JSEP answer for the browser. Callee
    side: :meth:`process` the peer's offer (JSEP offer for the browser), then
    :meth:`generate` with the browser's answer.
    """

    PLUGIN: ClassVar[str] = nosip.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = nosip.CODEC

    async def generate(
        self,
        jsep: Mapping[str, Any],
        *,
        info: str | None = None,
        srtp: str | None = None,
        srtp_profile: str | None = None,
        update: bool | None = None,
        timeout: float | None = None,
    ) -> nosip.Generated:
        """The barebone SDP for the browser's JSEP offer or answer (``srtp``:
        sdes_optional or sdes_mandatory)."""
        request = nosip.Generate(info=info, srtp=srtp, srtp_profile=srtp_profile, update=update)
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def process(
        self,
        type: str,
        sdp: str,
        *,
        info: str | None = None,
        srtp: str | None = None,
        srtp_profile: str | None = None,
        update: bool | None = None,
        timeout: float | None = None,
    ) -> nosip.Processed:
        """Process the peer's barebone ``sdp`` (``type``: offer or answer); the JSEP for the
        browser is on the reply's ``jsep``."""
        request = nosip.Process(
            type=type, sdp=sdp, info=info, srtp=srtp, srtp_profile=srtp_profile, update=update
        )
        return await self.request(request, timeout=timeout)

    async def hangup_call(self, *, timeout: float | None = None) -> nosip.HangingUp:
        """Stop bridging and close the PeerConnection (the plugin's ``hangup``;
        :meth:`hangup` is the core's)."""
        return await self.request(nosip.Hangup(), timeout=timeout)

    async def recording(
        self,
        action: str,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        peer_audio: bool | None = None,
        peer_video: bool | None = None,
        filename: str | None = None,
        timeout: float | None = None,
    ) -> nosip.RecordingUpdated:
        """Start or stop recording (``filename``: the base of the .mjr files)."""
        request = nosip.Recording(
            action=action,
            audio=audio,
            video=video,
            peer_audio=peer_audio,
            peer_video=peer_video,
            filename=filename,
        )
        return await self.request(request, timeout=timeout)
