"""What the core tells a driver without handing anything over (no I/O, literal times)."""

from __future__ import annotations

import janus_proto as jp


def _queued(conn: jp.JanusConnection) -> bool:
    return conn.has_requests_to_send  # (a call: mypy must not narrow the property)


def test_has_requests_to_send_follows_the_outbox() -> None:
    conn = jp.JanusConnection()
    conn.send(jp.Info(), now=0.0)
    assert not _queued(conn)  # held until the connection is made
    conn.connection_made(now=1.0)
    assert _queued(conn)
    assert _queued(conn)  # asking takes nothing
    [out] = conn.requests_to_send()
    assert out.request == jp.Info()
    assert not _queued(conn)
    conn.receive_message('{"janus": "server_info", "transaction": "t1"}', now=1.5)
    assert not _queued(conn)  # an answer queues nothing
