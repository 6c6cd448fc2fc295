"""VoiceMail handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, voicemail

from ._base import PluginHandle

__all__ = ["VoiceMailHandle"]


class VoiceMailHandle(PluginHandle):
    """``janus.plugin.voicemail``: record up to 10 s of Opus audio to an .opus file.

    :meth:`record` with a JSEP offer (the answer is on the reply's ``jsep``);
    :class:`~janus_proto.plugins.voicemail.Started` comes on :meth:`events` once media
    flows. :meth:`stop` (or the 10 s) gives
    :class:`~janus_proto.plugins.voicemail.Done` with the file's URL, and then the
    plugin ends the handle (it closes).
    """

    PLUGIN: ClassVar[str] = voicemail.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = voicemail.CODEC

    async def record(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> voicemail.Starting:
        """Start recording the audio of the JSEP offer."""
        return await self.request(voicemail.Record(), jsep=jsep, timeout=timeout)

    async def update(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> voicemail.Updating:
        """Renegotiate the ongoing recording with a new JSEP offer."""
        return await self.request(voicemail.Update(), jsep=jsep, timeout=timeout)

    async def stop(self, *, timeout: float | None = None) -> voicemail.Done:
        """Stop recording; the reply has the file's URL. The handle is ended after it."""
        return await self.request(voicemail.Stop(), timeout=timeout)
