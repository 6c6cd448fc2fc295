"""The table of pending transactions: owners, deadlines, and released ids.

Lookups are dict lookups. Deadlines sit in a heap with lazy deletion: an entry whose
transaction is gone, or whose deadline changed, is skipped when it reaches the top. Released
transactions (abandoned, timed out, answered by an event before their ``ack``) are kept in a
bounded, insertion-ordered memory so that a late reply for them is recognised and its side
effects applied, instead of being reported as stray.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ._requests import Request

if TYPE_CHECKING:
    from ._connection import _Handle, _Session

__all__ = ["Pending", "TransactionTable"]


class Pending:
    """One request waiting for its answer."""

    __slots__ = ("acked", "deadline", "handle", "internal", "request", "sent", "session")

    def __init__(
        self,
        request: Request,
        deadline: float,
        session: _Session | None,
        handle: _Handle | None,
        internal: bool,
    ) -> None:
        self.request = request
        self.deadline = deadline
        self.session = session
        self.handle = handle
        #: Sent by the core itself (keepalive, claim): its outcome is not an event.
        self.internal = internal
        #: Handed to the transport (as opposed to held while disconnected).
        self.sent = False
        #: An ``ack`` arrived (asynchronous plugin request; the event is still due).
        self.acked = False


class TransactionTable:
    """Pending transactions by id, with their deadlines."""

    __slots__ = ("_forget_limit", "_forgotten", "_heap", "_pending", "_seq")

    def __init__(self, forget_limit: int) -> None:
        self._pending: dict[str, Pending] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._seq = 0
        self._forgotten: OrderedDict[str, Request] = OrderedDict()
        self._forget_limit = forget_limit

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, transaction: str) -> bool:
        return transaction in self._pending

    def get(self, transaction: str) -> Pending | None:
        return self._pending.get(transaction)

    def add(self, transaction: str, pending: Pending) -> None:
        self._pending[transaction] = pending
        self._seq += 1
        heapq.heappush(self._heap, (pending.deadline, self._seq, transaction))

    def pop(self, transaction: str) -> Pending | None:
        return self._pending.pop(transaction, None)

    def items(self) -> Iterator[tuple[str, Pending]]:
        return iter(list(self._pending.items()))

    def next_deadline(self) -> float | None:
        """The earliest deadline of a pending transaction, or None."""
        heap = self._heap
        while heap:
            deadline, _, txn = heap[0]
            pending = self._pending.get(txn)
            if pending is not None and pending.deadline == deadline:
                return deadline
            heapq.heappop(heap)
        return None

    def expired(self, now: float) -> list[str]:
        """Pop from the heap, and return, the transactions whose deadline is <= ``now``."""
        out = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            deadline, _, txn = heapq.heappop(heap)
            pending = self._pending.get(txn)
            if pending is not None and pending.deadline == deadline:
                out.append(txn)
        return out

    def remember(self, transaction: str, request: Request) -> None:
        """Keep a released transaction so a late reply can be recognised."""
        forgotten = self._forgotten
        forgotten[transaction] = request
        if len(forgotten) > self._forget_limit:
            forgotten.popitem(last=False)

    def recall(self, transaction: str) -> Request | None:
        """The request of a released transaction (and forget it), or None."""
        return self._forgotten.pop(transaction, None)

    def peek_forgotten(self, transaction: str) -> Request | None:
        return self._forgotten.get(transaction)

    def clear(self) -> None:
        self._pending.clear()
        self._heap.clear()
        self._forgotten.clear()
