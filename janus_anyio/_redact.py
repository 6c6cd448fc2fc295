"""Redaction of credentials in wire traces (logs never show secrets)."""

from __future__ import annotations

import re

__all__ = ["redact"]

_JSON_SECRET = re.compile(r'("(?:apisecret|admin_secret|token)"\s*:\s*)"(?:[^"\\]|\\.)*"')
_QUERY_SECRET = re.compile(r"((?:^|[?&])(?:apisecret|token)=)[^&#\s]*")


def redact(text: str) -> str:
    """``text`` with the values of ``apisecret``, ``admin_secret`` and ``token`` (JSON keys
    and query parameters) replaced by ``***``."""
    return _QUERY_SECRET.sub(r"\1***", _JSON_SECRET.sub(r'\1"***"', text))
