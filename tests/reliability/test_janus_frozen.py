"""Janus frozen (SIGSTOP) then resumed (SIGCONT)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .conftest import _Keeper
from .helpers import assert_no_leftover_tasks, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

#: Requests launched while Janus is frozen: more than the HTTP pool and its queue hold.
CONCURRENT = 40
KEEPALIVE = 0.3


@pytest.fixture(scope="module")
def janus() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(plugins=["janus.plugin.echotest"]) as server:
        yield server


def _spy_completions(client: ja.JanusClient) -> Counter[str]:
    """Count every transaction outcome the core hands to the client."""
    seen: Counter[str] = Counter()
    conn = client._conn
    original = conn.next_event

    def next_event() -> jp.Event | None:
        event = original()
        if isinstance(event, jp.TransactionEvent):
            seen[event.transaction] += 1
        return event

    conn.next_event = next_event  # type: ignore[method-assign]
    return seen


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_frozen_janus_requests_time_out_at_their_deadlines(
    janus: JanusServer, kind: str, debug_logs: _Keeper
) -> None:
    before = len(anyio.get_running_tasks())
    url = janus.ws_url if kind == "ws" else janus.http_url
    async with ja.connect(url, keepalive_interval=KEEPALIVE) as client:
        completions = _spy_completions(client)
        session = await client.create_session()
        handle = await session.attach("janus.plugin.echotest")
        assert (await handle.send({"audio": True})).data["result"] == "ok"
        late: list[str] = []

        async def frozen_request(i: int) -> None:
            timeout = 0.5 + (i % 4) * 0.25
            started = anyio.current_time()
            with pytest.raises(ja.RequestTimeout):
                await handle.send({"audio": True, "i": i}, timeout=timeout)
            took = anyio.current_time() - started
            if not timeout - 0.01 <= took <= timeout + 0.25:
                late.append(f"request {i}: deadline {timeout} s, ended after {took:.2f} s")

        janus.pause()
        try:
            with anyio.fail_after(10):
                async with anyio.create_task_group() as tg:
                    for i in range(CONCURRENT):
                        tg.start_soon(frozen_request, i)
        finally:
            janus.resume()
        assert late == []
        assert [p for p in client._conn.pending() if not p.internal] == []
        # Janus wakes up and answers everything it had queued: the late answers complete
        # nothing a second time, keepalives resume, the same session and handle work.
        with anyio.fail_after(10):
            while [p for p in client._conn.pending() if p.internal]:
                await anyio.sleep(0.05)
        sent_before = debug_logs.text().count("send keepalive")
        await anyio.sleep(4 * KEEPALIVE)
        assert debug_logs.text().count("send keepalive") - sent_before >= 2
        assert [
            p for p in client._conn.pending() if p.internal and p.deadline < anyio.current_time()
        ] == []
        assert (await handle.send({"audio": True})).data["result"] == "ok"
        assert not session.closed
        duplicates = {t: n for t, n in completions.items() if n > 1}
        assert duplicates == {}
        await session.destroy()
    await assert_no_leftover_tasks(before)
