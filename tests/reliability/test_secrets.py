"""Secrets (api_secret, token, admin_secret) never show in logs, reprs or error messages.

DEBUG logging is on for the whole suite and conftest.py greps every test's captured logs; this
module drives the paths that carry credentials (requests, keepalives, HTTP long-poll URLs,
Admin answers that list tokens, errors) and also checks reprs and exception texts.
"""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer

from .conftest import _Keeper
from .helpers import ADMIN_SECRET, API_SECRET, SECRETS, TOKEN, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


@pytest.fixture(scope="module")
def janus() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(
        plugins=["janus.plugin.echotest", "janus.plugin.videoroom"],
        api_secret=API_SECRET,
        token_auth=True,
        admin_secret=ADMIN_SECRET,
    ) as server:
        yield server


def _assert_clean(texts: list[str]) -> None:
    for text in texts:
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, f"{leaked} in {text!r}"


@pytest.mark.parametrize("kind", ["ws", "http"])
async def test_no_secret_in_logs_reprs_or_errors(
    janus: JanusServer, kind: str, debug_logs: _Keeper
) -> None:
    url = janus.ws_url if kind == "ws" else janus.http_url
    admin_url = janus.admin_ws_url if kind == "ws" else janus.admin_http_url
    token = f"{TOKEN}-{kind}"
    SECRETS.add(token)
    texts: list[str] = [repr(janus)]
    async with ja.connect_admin(admin_url, admin_secret=ADMIN_SECRET) as admin:
        await admin.add_token(token)
        listed = await admin.list_tokens()  # an answer that carries the tokens themselves
        assert any(t["token"] == token for t in listed)
        texts += [repr(admin), repr(admin._conn), repr(admin._conn.config)]
        async with ja.connect(
            url, api_secret=API_SECRET, token=token, keepalive_interval=0.2
        ) as client:
            session = await client.create_session()
            handle = await session.attach("janus.plugin.echotest", token=token)
            assert (await handle.send({"audio": True})).data["result"] == "ok"
            room = await session.attach("janus.plugin.videoroom")
            # A plugin body with a "token" of its own (as VideoRoom joins carry) is masked too.
            SECRETS.add("room-token-Jq2w")
            with pytest.raises(jp.PluginError) as err:
                await room.send({"request": "join", "room": 424242, "token": "room-token-Jq2w"})
            texts += [str(err.value), repr(err.value)]
            await anyio.sleep(0.5)  # keepalives (with credentials) go out and come back
            info = await admin.handle_info(session.id, handle.id)  # Janus shows the token
            assert info["token"] == token
            # A request cancelled in flight: its late answer is logged, still masked.
            with anyio.move_on_after(0):
                await client.info()
            await anyio.sleep(0.1)
            outgoing = jp.Outgoing(
                transaction="t",
                request=jp.Attach(session_id=1, plugin="p", token=token),
                path="/1",
                text=f'{{"apisecret":"{API_SECRET}","token":"{token}"}}',
            )
            texts += [
                repr(client),
                repr(client._conn),
                repr(client._conn.config),
                repr(client._transport),
                repr(client._transport.options),
                repr(session),
                repr(handle),
                repr(jp.Attach(session_id=1, plugin="p", token=token)),
                repr(outgoing),
                repr(ja.TransportOptions(extra={})),
                client._conn.poll_path(session.id, maxev=1).split("?", 1)[0],
            ]
            await session.destroy()
        # Wrong credentials: the errors say so without echoing anything secret.
        for api_secret, bad_token in ((API_SECRET + "-wrong", None), (None, token + "-wrong")):
            SECRETS.update(s for s in (api_secret, bad_token) if s)
            async with ja.connect(url, api_secret=api_secret, token=bad_token) as client:
                with pytest.raises(jp.Unauthorized) as denied:
                    await client.create_session()
                texts += [str(denied.value), repr(denied.value)]
        async with ja.connect_admin(admin_url, admin_secret=ADMIN_SECRET + "-wrong") as wrong:
            SECRETS.add(ADMIN_SECRET + "-wrong")
            with pytest.raises(jp.Unauthorized) as denied:
                await wrong.list_sessions()
            texts += [str(denied.value), repr(wrong)]
        await admin.remove_token(token)
    _assert_clean(texts)
    logs = debug_logs.text()
    assert "send create" in logs  # credentials were sent...
    assert "***" in logs  # ...masked
    _assert_clean([logs])


async def test_redaction_covers_every_spelling() -> None:
    from janus_anyio._redact import redact

    samples = [
        f'{{"apisecret": "{API_SECRET}", "token":"{TOKEN}", "admin_secret" :"{ADMIN_SECRET}"}}',
        f"{{'apisecret': '{API_SECRET}', 'token': '{TOKEN}', 'admin_secret': '{ADMIN_SECRET}'}}",
        f"/janus/1?maxev=10&apisecret={API_SECRET}&token={TOKEN}",
        f'{{"token": "{TOKEN}\\" still the token"}}',  # an escaped quote inside
        f'{{"tokens": [{{"token": "{TOKEN}", "allowed_plugins": []}}]}}',
        f'{{"janus": "attach", "token": "{TOKEN}',  # cut short (a truncated message)
    ]
    for sample in samples:
        _assert_clean([redact(sample)])
