"""Helpers shared by the plugin codec tests."""

from __future__ import annotations

import janus_proto as jp


def plugin_failure(plugin: str, code: int, error: str = "e") -> jp.PluginError:
    """The exception a request to ``plugin`` raises when Janus answers error ``code``
    (the plugin data as Janus sends it: ``{"<name>": "event", "error_code", "error"}``)."""
    name = plugin.rsplit(".", 1)[-1]
    return jp.PluginRequestFailed(
        transaction="t",
        session_id=1,
        handle_id=2,
        plugin=plugin,
        error_code=code,
        error=error,
        data={name: "event", "error_code": code, "error": error},
    ).to_exception()
