"""EchoTest handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, echotest

from ._base import PluginHandle

__all__ = ["EchoTestHandle"]


class EchoTestHandle(PluginHandle):
    """``janus.plugin.echotest``: media sent is echoed back.

    ``configure`` takes :class:`janus_proto.plugins.echotest.Configure`'s fields; send the
    JSEP offer with the first call, the answer is on the reply's ``jsep``.
    """

    PLUGIN: ClassVar[str] = echotest.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = echotest.CODEC

    async def configure(
        self,
        *,
        jsep: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> echotest.Result:
        """Set what is echoed (``audio``, ``video``, ``bitrate``, ``record``...)."""
        return await self.request(echotest.Configure(**fields), jsep=jsep, timeout=timeout)
