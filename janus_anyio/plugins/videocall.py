"""VideoCall handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, videocall

from ._base import PluginHandle

__all__ = ["VideoCallHandle"]


class VideoCallHandle(PluginHandle):
    """``janus.plugin.videocall``: one-to-one calls between registered usernames.

    The callee sees :class:`~janus_proto.plugins.videocall.IncomingCall` (offer in
    ``jsep``) on :meth:`events` and answers with :meth:`accept`.
    """

    PLUGIN: ClassVar[str] = videocall.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = videocall.CODEC

    async def list(self, *, timeout: float | None = None) -> tuple[str, ...]:
        """The registered usernames."""
        return (await self.request(videocall.List(), timeout=timeout)).list

    async def register(self, username: str, *, timeout: float | None = None) -> str:
        """Register this handle as ``username``; return the name registered."""
        reply = await self.request(videocall.Register(username=username), timeout=timeout)
        return reply.username

    async def call(
        self, username: str, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> videocall.Calling:
        """Call ``username`` with a JSEP offer."""
        return await self.request(videocall.Call(username=username), jsep=jsep, timeout=timeout)

    async def accept(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> videocall.Accepted:
        """Accept the incoming call with a JSEP answer."""
        return await self.request(videocall.Accept(), jsep=jsep, timeout=timeout)

    async def set(
        self,
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> videocall.SetDone:
        """Change media settings (``audio``, ``video``, ``bitrate``, ``record``...)."""
        return await self.request(videocall.Set(**fields), jsep=jsep, timeout=timeout)

    async def hangup_call(self, *, timeout: float | None = None) -> videocall.HungUp:
        """End the call (the plugin's ``hangup``; :meth:`hangup` is the core's)."""
        return await self.request(videocall.Hangup(), timeout=timeout)
