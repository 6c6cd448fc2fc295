"""Token authentication: stored tokens (Admin API) and HMAC-signed tokens."""

from __future__ import annotations

import time
from collections.abc import Iterator

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.testing import JanusServer
from janus_anyio.tokens import room_token, signed_token

from .helpers import ADMIN_SECRET, SECRETS, TOKEN, TOKEN_AUTH_SECRET, require_janus

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

KINDS = ["ws", "http"]
PLUGINS = ["janus.plugin.echotest", "janus.plugin.videoroom"]


def _url(server: JanusServer, kind: str) -> str:
    return server.ws_url if kind == "ws" else server.http_url


def _secret(token: str) -> str:
    """Register a generated token (and its signature) as a secret the logs must not show."""
    SECRETS.add(token)
    SECRETS.add(token.rsplit(":", 1)[1])
    return token


@pytest.fixture(scope="module")
def stored() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(plugins=PLUGINS, token_auth=True, admin_secret=ADMIN_SECRET) as server:
        yield server


@pytest.fixture(scope="module")
def signed() -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(
        plugins=PLUGINS, token_auth=True, token_auth_secret=TOKEN_AUTH_SECRET
    ) as server:
        yield server


@pytest.mark.parametrize("kind", KINDS)
async def test_stored_tokens(stored: JanusServer, kind: str) -> None:
    url = _url(stored, kind)
    token = f"{TOKEN}-{kind}"
    SECRETS.add(token)
    async with ja.connect_admin(stored.admin_http_url, admin_secret=ADMIN_SECRET) as admin:
        assert await admin.add_token(token, ["janus.plugin.echotest"]) == ["janus.plugin.echotest"]
        try:
            async with ja.connect(url, token=token) as client:
                session = await client.create_session()
                handle = await session.attach("janus.plugin.echotest")
                assert (await handle.send({"audio": True})).data["result"] == "ok"
                with pytest.raises(jp.UnauthorizedPlugin):
                    await session.attach("janus.plugin.videoroom")
                # A per-handle token overrides the connection's.
                other = f"{token}-videoroom"
                SECRETS.add(other)
                await admin.add_token(other, ["janus.plugin.videoroom"])
                room = await session.attach("janus.plugin.videoroom", token=other)
                assert (await room.send({"request": "list"})).data["videoroom"] == "success"
                # Removing the token locks the session out at once.
                await admin.remove_token(token)
                with pytest.raises(jp.Unauthorized):
                    await handle.send({"audio": True})
                await admin.remove_token(other)
            async with ja.connect(url) as anonymous:
                with pytest.raises(jp.Unauthorized):
                    await anonymous.create_session()
                assert (await anonymous.info()).auth_token is True  # info needs no token
        finally:
            with anyio.CancelScope(shield=True):
                for name in (token, f"{token}-videoroom"):
                    try:
                        await admin.remove_token(name)
                    except jp.JanusError:
                        pass


@pytest.mark.parametrize("kind", KINDS)
async def test_signed_tokens(signed: JanusServer, kind: str) -> None:
    url = _url(signed, kind)
    echo_only = _secret(signed_token(TOKEN_AUTH_SECRET, ["janus.plugin.echotest"]))
    both = _secret(signed_token(TOKEN_AUTH_SECRET, PLUGINS))
    async with ja.connect(url, token=echo_only) as client, client.session() as session:
        handle = await session.attach("janus.plugin.echotest")
        assert (await handle.send({"audio": True})).data["result"] == "ok"
        with pytest.raises(jp.UnauthorizedPlugin, match=r"janus\.plugin\.videoroom"):
            await session.attach("janus.plugin.videoroom")
        vr = await session.attach("janus.plugin.videoroom", token=both)
        assert (await vr.send({"request": "list"})).data["videoroom"] == "success"
    refused = {
        "expired": signed_token(TOKEN_AUTH_SECRET, PLUGINS, expires_at=int(time.time()) - 10),
        "wrong secret": signed_token("not-the-secret", PLUGINS),
        "wrong realm": signed_token(TOKEN_AUTH_SECRET, PLUGINS, realm="other"),
        "tampered": both.replace("janus.plugin.echotest", "janus.plugin.textroom"),
    }
    for name, token in refused.items():
        _secret(token)
        async with ja.connect(url, token=token) as client:
            with pytest.raises(jp.Unauthorized):
                await client.create_session()
        assert name  # (for the traceback)


@pytest.mark.parametrize("kind", KINDS)
async def test_videoroom_rooms_with_signed_tokens(signed: JanusServer, kind: str) -> None:
    room = 7700 if kind == "ws" else 7701
    token = _secret(signed_token(TOKEN_AUTH_SECRET, ["janus.plugin.videoroom"]))
    async with ja.connect(_url(signed, kind), token=token) as client, client.session() as session:
        admin_handle = await session.attach("janus.plugin.videoroom")
        created = await admin_handle.send(
            {"request": "create", "room": room, "signed_tokens": True, "publishers": 4}
        )
        assert created.data["videoroom"] == "created"
        join = {"request": "join", "ptype": "publisher", "room": room}
        for bad in (None, room_token(TOKEN_AUTH_SECRET, room + 1), room_token("nope", room)):
            handle = await session.attach("janus.plugin.videoroom")
            body = dict(join) if bad is None else {**join, "token": _secret(bad)}
            with pytest.raises(jp.PluginError) as err:
                await handle.send(body)
            assert err.value.error_code == 433
            await handle.detach()
        good = _secret(room_token(TOKEN_AUTH_SECRET, room))
        handle = await session.attach("janus.plugin.videoroom")
        joined = await handle.send({**join, "token": good, "display": "signed"})
        assert joined.data["videoroom"] == "joined"
        await admin_handle.send({"request": "destroy", "room": room})


def test_signed_token_helper_matches_janus_format() -> None:
    # The token janus-api.md s6.11 saw Janus 1.1.2 accept (secret "janus").
    token = signed_token("janus", ["janus.plugin.videoroom"], expires_at=1795491475)
    assert token == "1795491475,janus,janus.plugin.videoroom:di6UGCftIheQsPM7nOD/3s9XaOg="
    assert room_token(b"janus", 1234, expires_at=1).startswith(
        "1,janus.plugin.videoroom,room=1234:"
    )
    expiry = int(signed_token("s", ["p"], valid_for=60).split(",", 1)[0])
    assert abs(expiry - (time.time() + 60)) < 5


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("", ["p"]), {}, ValueError),
        ((1, ["p"]), {}, TypeError),
        (("s", "janus.plugin.echotest"), {}, TypeError),
        (("s", ["a,b"]), {}, ValueError),
        (("s", ["a:b"]), {}, ValueError),
        (("s", [""]), {}, ValueError),
        (("s", [3]), {}, TypeError),
        (("s", ["p"]), {"realm": ""}, ValueError),
        (("s", ["p"]), {"valid_for": 0}, ValueError),
        (("s", ["p"]), {"valid_for": "1h"}, TypeError),
        (("s", ["p"]), {"expires_at": 1.5}, TypeError),
        (("s", ["p"]), {"expires_at": -1}, ValueError),
    ],
)
def test_signed_token_refuses_what_janus_could_not_parse(
    args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        signed_token(*args, **kwargs)  # type: ignore[arg-type]
