"""Writing a typed plugin client: a codec (janus_proto.plugins) and a PluginHandle subclass.

So that it runs on any Janus, this client speaks to the stock EchoTest plugin, as if
janus_proto had no codec for it. For a plugin of your own, change ``PLUGIN`` and register
its error classes with :func:`janus_proto.register_plugin_errors` (left out here: the stock
EchoTest codec already registered them, and registering again would replace them).

Usage: ``python examples/custom_plugin.py [ws://127.0.0.1:8188]`` (or ``JANUS_URL``).
Exits 0 on success, 1 on failure.
"""

from __future__ import annotations

import os
import sys
from typing import Any, ClassVar

import anyio
import attrs

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import PluginHandle
from janus_proto.plugins import PluginCodec, PluginData, PluginRequest, data_field, opt_field

DEFAULT_URL = "ws://127.0.0.1:8188"

# [start-codec]
PLUGIN = "janus.plugin.echotest"


@attrs.frozen(kw_only=True)
class Echoed(PluginData):
    """``{"echotest": "event", "result": "ok"}``: the settings were applied."""

    result: str = data_field(str, required=True)  # missing: RemoteProtocolError


@attrs.frozen(kw_only=True)
class Finished(PluginData):
    """``result: "done"``: the PeerConnection went away."""

    result: str = data_field(str, required=True)


@attrs.frozen(kw_only=True)
class Echo(PluginRequest[Echoed]):
    """Change what is echoed. Checked when built: ``Echo(audio="yes")`` raises TypeError."""

    PLUGIN: ClassVar[str] = PLUGIN
    REQUEST: ClassVar[str | None] = None  # EchoTest bodies have no "request" verb
    REPLY: ClassVar[type[PluginData]] = Echoed

    audio: bool | None = opt_field(bool)
    video: bool | None = opt_field(bool)
    bitrate: int | None = opt_field(int)


def _result_is(value: str) -> Any:
    return lambda data: data.get("result") == value


# Pushed events: the first rule that matches picks the class; others stay generic.
CODEC = PluginCodec(PLUGIN, [(_result_is("done"), Finished), (_result_is("ok"), Echoed)])
# [end-codec]


class EchoClient(PluginHandle):
    """A typed handle: ``await EchoClient.attach(session)``, then its methods."""

    PLUGIN: ClassVar[str] = PLUGIN
    CODEC: ClassVar[PluginCodec | None] = CODEC

    async def echo(
        self,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        bitrate: int | None = None,
        timeout: float | None = None,
    ) -> Echoed:
        """Apply echo settings; the plugin's error subclass is raised on failure."""
        request = Echo(audio=audio, video=video, bitrate=bitrate)
        return await self.request(request, timeout=timeout)


async def main(url: str) -> None:
    """Attach the typed client, send a typed request, then show both kinds of error."""
    async with ja.connect(url, request_timeout=10) as janus, janus.session() as session:
        client = await EchoClient.attach(session)
        reply = await client.echo(audio=True, bitrate=64_000)
        print(f"typed reply: {reply!r}")
        try:
            Echo(audio="yes")  # type: ignore[arg-type]  # caught before anything is sent
        except TypeError as exc:
            print(f"refused locally: {exc}")
        try:
            await client.send({"audio": "yes"})  # raw bodies reach Janus unchecked
        except jp.PluginError as exc:
            print(f"refused by Janus: {type(exc).__name__} {exc.error_code}: {exc.error}")
        else:
            raise RuntimeError("Janus accepted a non-boolean 'audio'")


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("JANUS_URL", DEFAULT_URL)
    try:
        anyio.run(main, target)
    except Exception as exc:
        print(f"custom_plugin: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
