"""TLS: Janus serves wss and https with a certificate from a test CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

import janus_anyio as ja
from janus_anyio.testing import JanusServer

from .helpers import require_janus
from .tlsutil import Issued, make_ca_and_cert

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Issued:
    # The certificate names 127.0.0.1 only: "localhost" does not match it.
    return make_ca_and_cert(tmp_path_factory.mktemp("tls"), ips=("127.0.0.1",))


@pytest.fixture(scope="module")
def janus(issued: Issued) -> Iterator[JanusServer]:
    require_janus()
    with JanusServer(
        plugins=["janus.plugin.echotest"], tls_cert=issued.cert_pem, tls_key=issued.key_pem
    ) as server:
        yield server


def _trusting(issued: Issued) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(issued.ca_pem))


def _secure_urls(janus: JanusServer) -> list[str]:
    return [janus.wss_url, janus.https_url]


async def test_untrusted_certificate_is_rejected_by_default(janus: JanusServer) -> None:
    for url in _secure_urls(janus):
        for context in (None, ssl.create_default_context()):
            with pytest.raises(ja.TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                async with ja.connect(url, ssl_context=context, connect_timeout=5):
                    pass


async def test_trusting_the_test_ca_works(janus: JanusServer, issued: Issued) -> None:
    for url in _secure_urls(janus):
        async with (
            ja.connect(url, ssl_context=_trusting(issued)) as client,
            client.session() as session,
        ):
            assert (await client.info()).version == 1102
            handle = await session.attach("janus.plugin.echotest")
            assert (await handle.send({"audio": True})).data["result"] == "ok"


async def test_hostname_is_checked(janus: JanusServer, issued: Issued) -> None:
    for url in _secure_urls(janus):
        wrong_name = url.replace("127.0.0.1", "localhost")
        with pytest.raises(ja.TransportError, match=r"(?i)hostname|IP address mismatch"):
            async with ja.connect(wrong_name, ssl_context=_trusting(issued), connect_timeout=5):
                pass


async def test_plain_client_on_a_tls_port_fails_cleanly(janus: JanusServer) -> None:
    url = janus.wss_url.replace("wss://", "ws://")
    with pytest.raises(ja.TransportError):
        async with ja.connect(url, connect_timeout=2):
            pass
