"""Output of the ``janus-client`` command: tables for people, JSON for scripts, no secrets.

Two layers keep credentials out of what the command prints. Values under sensitive keys
(``token``, ``secret``, ``pin``...) are replaced by ``***`` in every document (except where a
command exists to show them, such as ``admin tokens list``), and every line written, errors
and usage messages included, has the command's own credentials (``--api-secret``,
``--token``, ``--admin-secret`` and the plugin secrets given to it) replaced by ``***``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from .._redact import redact

__all__ = ["MASK", "SENSITIVE_KEYS", "Output", "mask", "scrub", "table", "fmt"]

MASK = "***"

#: Keys whose values are never printed (Janus API, Admin API and plugin secrets).
SENSITIVE_KEYS = frozenset(
    {
        "apisecret",
        "admin_secret",
        "admin_key",
        "token",
        "secret",
        "pin",
        "new_secret",
        "new_pin",
        "rtsp_pwd",
        "pwd",
        "password",
        "secret_key",
    }
)

#: Secrets shorter than this are not searched for in the text (they would garble it).
MIN_SCRUB_LENGTH = 4


def mask(data: Any, *, keep: frozenset[str] = frozenset()) -> Any:
    """A copy of JSON-like ``data`` with the values of :data:`SENSITIVE_KEYS` (but ``keep``)
    replaced by ``***``."""
    if isinstance(data, Mapping):
        return {
            key: (
                MASK
                if key in SENSITIVE_KEYS and key not in keep and value not in (None, "", False)
                else mask(value, keep=keep)
            )
            for key, value in data.items()
        }
    if isinstance(data, (list, tuple)):
        return [mask(item, keep=keep) for item in data]
    return data


def scrub(text: str, secrets: Iterable[str], *, keys: bool = True) -> str:
    """``text`` with every secret of at least :data:`MIN_SCRUB_LENGTH` characters replaced
    by ``***``, and (with ``keys``) the values of secret JSON keys and query parameters."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= MIN_SCRUB_LENGTH:
            text = text.replace(secret, MASK)
    return redact(text) if keys else text


def fmt(value: Any) -> str:
    """A cell: ``-`` for None, ``yes``/``no`` for booleans, lists joined with commas."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value) if value else "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str = "") -> str:
    """A plain-text table with upper-case headers and left-aligned columns (no trailing
    spaces); ``empty`` (if given) is shown in place of a table without rows."""
    body = [[fmt(cell) for cell in row] for row in rows]
    if not body and empty:
        return f"({empty})"
    head = [h.upper() for h in headers]
    widths = [max(len(col[i]) for col in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    )


def pairs(items: Iterable[tuple[str, Any]], *, indent: str = "") -> str:
    """``key  value`` lines with the keys aligned."""
    items = list(items)
    if not items:
        return ""
    width = max(len(key) for key, _ in items)
    return "\n".join(f"{indent}{key.ljust(width)}  {fmt(value)}".rstrip() for key, value in items)


class Output:
    """Where the command writes: ``sys.stdout`` and ``sys.stderr`` (looked up on each write,
    so that tests can capture them), through the secret filter.

    Attributes:
        json: print JSON documents instead of tables.
        secrets: the credentials the command knows; never printed.
    """

    def __init__(self, *, json_mode: bool = False, secrets: Iterable[str] = ()) -> None:
        self.json = json_mode
        self.secrets: set[str] = {s for s in secrets if s}
        self._status = False  # a status line is shown on stderr

    def status(self, text: str) -> bool:
        """Show ``text`` as the status line of a terminal (stderr, rewritten in place);
        returns False, writing nothing, when stderr is not a terminal."""
        stream = sys.stderr
        if not stream.isatty():
            return False
        stream.write("\r\x1b[K" + scrub(text, self.secrets))
        stream.flush()
        self._status = True
        return True

    def _end_status(self) -> None:
        if self._status:
            sys.stderr.write("\r\x1b[K")
            self._status = False

    def add_secret(self, value: str | None) -> None:
        """Never print ``value`` either."""
        if value:
            self.secrets.add(value)

    def _write(self, stream: TextIO, text: str, *, keys: bool = True) -> None:
        self._end_status()
        stream.write(scrub(text, self.secrets, keys=keys) + "\n")
        stream.flush()

    def line(self, text: str = "") -> None:
        """Write a line for people (ignored in JSON mode)."""
        if not self.json:
            self._write(sys.stdout, text)

    def note(self, text: str) -> None:
        """Write a line to stderr (progress, warnings, errors)."""
        self._write(sys.stderr, text)

    def result(
        self, data: Any, human: str | None = None, *, keep: frozenset[str] = frozenset()
    ) -> None:
        """Print a command's outcome: ``data`` as JSON (masked but ``keep``) with ``--json``,
        else ``human`` (if any)."""
        # The documents are masked by key already; a command that shows some sensitive
        # key on purpose (``keep``) gets only the command's own secrets scrubbed.
        if self.json:
            text = json.dumps(mask(data, keep=keep), indent=2, default=str)
            self._write(sys.stdout, text, keys=not keep)
        elif human is not None:
            self._write(sys.stdout, human, keys=not keep)

    def error(self, kind: str, message: str, *, code: int | None = None) -> None:
        """Report a failure on stderr (and as ``{"error": ...}`` on stdout with ``--json``)."""
        self._write(sys.stderr, f"janus-client: {message}")
        if self.json:
            doc: dict[str, Any] = {"kind": kind, "message": message}
            if code is not None:
                doc["code"] = code
            self._write(sys.stdout, json.dumps({"error": doc}, indent=2))
