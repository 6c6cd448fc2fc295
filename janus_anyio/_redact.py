"""Redaction of credentials in wire traces: logs never show secrets."""

from __future__ import annotations

import re

__all__ = ["redact"]

_KEYS = r"(?:apisecret|admin_secret|token)"
# A JSON string value (escapes included); an unterminated one runs to the end of the text.
_JSON_SECRET = re.compile(rf'("{_KEYS}"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)')
# The same in a Python repr (single quotes), for dicts that end up in log messages.
_REPR_SECRET = re.compile(rf"('{_KEYS}'\s*:\s*)'(?:[^'\\]|\\.)*(?:'|\\?$)")
# Query parameters (the HTTP long poll sends apisecret and token in its URL).
_QUERY_SECRET = re.compile(rf"((?:^|[?&;]){_KEYS}=)[^&#;\s\"']*")


def redact(text: str) -> str:
    """``text`` with the values of ``apisecret``, ``admin_secret`` and ``token`` replaced by
    ``***``: as JSON keys (and Python repr keys) and as URL query parameters."""
    text = _JSON_SECRET.sub(r'\1"***"', text)
    text = _REPR_SECRET.sub(r"\1'***'", text)
    return _QUERY_SECRET.sub(r"\1***", text)
