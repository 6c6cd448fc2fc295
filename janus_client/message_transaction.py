"""The transaction object of the original janus-client: ``await get(matcher)``, ``done()``.

:meth:`janus_client.JanusSession.send` returns a :class:`MessageTransaction`: it collects the
messages Janus sends for one request (the reply and, for asynchronous plugin requests, the
event carrying the same transaction) and hands out the first one a matcher accepts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MessageTransaction", "is_subset"]

Matcher = Mapping[str, Any] | Callable[[dict[str, Any]], bool]


def is_subset(dict_1: Mapping[str, Any], dict_2: Mapping[str, Any]) -> bool:
    """Whether ``dict_2`` is contained in ``dict_1``, recursively.

    Values of ``dict_2`` that are dicts are matched recursively; strings, numbers and
    booleans must be equal; any other value (``None`` for instance) only requires the key
    to be present in ``dict_1``.

    Raises:
        TypeError: either argument is not a mapping.
    """
    if not isinstance(dict_1, Mapping):
        raise TypeError(f"dict_1 must be a dict, got {type(dict_1).__name__}")
    if not isinstance(dict_2, Mapping):
        raise TypeError(f"dict_2 must be a dict, got {type(dict_2).__name__}")
    for key, wanted in dict_2.items():
        if key not in dict_1:
            return False
        if not isinstance(wanted, (Mapping, str, int, float)):
            continue  # presence is enough
        have = dict_1[key]
        if isinstance(wanted, Mapping):
            if not (isinstance(have, Mapping) and is_subset(have, wanted)):
                return False
        elif have != wanted:
            return False
    return True


def _as_predicate(matcher: Matcher) -> Callable[[dict[str, Any]], bool]:
    if isinstance(matcher, Mapping):
        pattern = matcher
        return lambda message: is_subset(message, pattern)
    if callable(matcher):
        return matcher
    raise TypeError(f"matcher must be a dict or a callable, got {type(matcher).__name__}")


class MessageTransaction:
    """The messages Janus sent for one request.

    Attributes:
        id: the transaction id.
    """

    def __init__(self, transaction_id: str, *, timeout: float = 15.0) -> None:
        self.id = transaction_id
        self._timeout = timeout
        self._messages: list[dict[str, Any]] = []
        self._error: BaseException | None = None
        self._finished = False
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        state = "done" if self._finished else "pending"
        return f"<MessageTransaction {self.id} {state}, {len(self._messages)} message(s)>"

    # -- fed by the session --------------------------------------------------------------

    def put_msg(self, message: Mapping[str, Any]) -> None:
        """Record a message of this transaction (the session does this)."""
        self._messages.append(dict(message))
        self._changed.set()

    def _fail(self, error: BaseException) -> None:
        self._error = error
        self._finished = True
        self._changed.set()

    def _finish(self) -> None:
        self._finished = True
        self._changed.set()

    # -- read by the user ----------------------------------------------------------------

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The messages received so far, in order."""
        return list(self._messages)

    async def get(
        self, matcher: Matcher = lambda _message: True, timeout: float | None = None
    ) -> dict[str, Any]:
        """The first message ``matcher`` accepts (a dict pattern, see :func:`is_subset`,
        or a predicate), now or when it comes.

        Raises:
            TimeoutError: none within ``timeout`` seconds (default: the session's request
                timeout).
            Exception: the request failed before a matching message came (the error of
                the lower layer, e.g. :class:`janus_proto.JanusError`).
        """
        accept = _as_predicate(matcher)
        limit = self._timeout if timeout is None else timeout

        async def wait() -> dict[str, Any]:
            seen = 0
            while True:
                for message in self._messages[seen:]:
                    if accept(message):
                        return message
                seen = len(self._messages)
                if self._finished:
                    if self._error is not None:
                        raise self._error
                    raise LookupError(f"transaction {self.id}: no message matched")
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(wait(), limit)
        except asyncio.TimeoutError:
            raise TimeoutError(f"transaction {self.id}: nothing matched within {limit} s") from None

    async def on_done(self) -> None:
        """Called by :meth:`done`; override to release resources of your own."""

    async def done(self) -> None:
        """Release the transaction (stops waiting for more of its messages)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait([self._task])
        self._finish()
        await self.on_done()
