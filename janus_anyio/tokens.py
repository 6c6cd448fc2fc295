"""Signed tokens for Janus's HMAC token authentication (``token_auth_secret``).

With ``token_auth = true`` and ``token_auth_secret`` set in janus.jcfg, Janus accepts tokens
of the form ``<expiry>,<realm>,<descriptor>[,<descriptor>...]:<signature>`` where the
signature is ``base64(HMAC-SHA1(secret, "<expiry>,<realm>,<descriptors...>"))``. The core's
realm is ``janus`` and its descriptors are the plugins the token may attach to; a plugin's
realm is its package name (VideoRoom rooms with ``signed_tokens`` want ``room=<id>``).

Pass a core token as ``connect(url, token=...)`` (or ``Session.attach(..., token=...)``),
and a room token in the plugin request (``{"request": "join", ..., "token": ...}``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from collections.abc import Iterable

__all__ = ["signed_token", "room_token"]

#: Default lifetime of a token, in seconds.
DEFAULT_VALIDITY = 24 * 3600.0


def signed_token(
    secret: str | bytes,
    plugins: Iterable[str],
    *,
    valid_for: float = DEFAULT_VALIDITY,
    expires_at: int | None = None,
    realm: str = "janus",
) -> str:
    """A token signed with ``secret`` that lets its holder use ``plugins``.

    Args:
        secret: Janus's ``token_auth_secret``.
        plugins: the descriptors: plugin package names for the core realm ``janus``
            (attaching to any other plugin answers 405).
        valid_for: seconds from now until the token expires (ignored with ``expires_at``).
        expires_at: the expiry as a Unix time in seconds.
        realm: ``janus`` for the core; a plugin's package name for plugin tokens.

    Raises:
        TypeError, ValueError: an argument Janus could not parse back (a descriptor with
            ``,`` or ``:``, an empty realm, a non-positive lifetime).
    """
    if isinstance(secret, str):
        key = secret.encode()
    elif isinstance(secret, bytes):
        key = secret
    else:
        raise TypeError(f"secret must be str or bytes, got {type(secret).__name__}")
    if not key:
        raise ValueError("secret must not be empty")
    if isinstance(plugins, str):
        raise TypeError("plugins must be an iterable of names, not a single string")
    descriptors = list(plugins)
    for item in (realm, *descriptors):
        if not isinstance(item, str):
            raise TypeError(f"realm and descriptors must be strings, got {type(item).__name__}")
        if not item or "," in item or ":" in item:
            raise ValueError(f"{item!r}: realm and descriptors must be non-empty, without , or :")
    expiry = _expiry(valid_for, expires_at)
    data = ",".join([str(expiry), realm, *descriptors])
    signature = hmac.new(key, data.encode(), hashlib.sha1).digest()
    return f"{data}:{base64.b64encode(signature).decode()}"


def room_token(
    secret: str | bytes,
    room: int | str,
    *,
    plugin: str = "janus.plugin.videoroom",
    valid_for: float = DEFAULT_VALIDITY,
    expires_at: int | None = None,
) -> str:
    """A plugin-realm token for one room (VideoRoom rooms created with ``signed_tokens``).

    Send it as ``token`` in the plugin's ``join`` request.
    """
    if isinstance(room, bool) or not isinstance(room, (int, str)):
        raise TypeError(f"room must be an int or str id, got {type(room).__name__}")
    return signed_token(
        secret, [f"room={room}"], valid_for=valid_for, expires_at=expires_at, realm=plugin
    )


def _expiry(valid_for: float, expires_at: int | None) -> int:
    if expires_at is not None:
        if isinstance(expires_at, bool) or not isinstance(expires_at, int):
            raise TypeError(f"expires_at must be an int, got {type(expires_at).__name__}")
        if expires_at <= 0:
            raise ValueError(f"expires_at must be positive, got {expires_at}")
        return expires_at
    if isinstance(valid_for, bool) or not isinstance(valid_for, (int, float)):
        raise TypeError(f"valid_for must be a number, got {type(valid_for).__name__}")
    if not (valid_for > 0 and math.isfinite(valid_for)):
        raise ValueError(f"valid_for must be positive and finite, got {valid_for}")
    return int(time.time() + valid_for)
