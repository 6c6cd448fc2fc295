"""NoSIP through the typed handle, against a real Janus 1.1.2 bound to 127.0.0.1.

Two NoSIP handles play both sides: one generates a barebone offer from aiortc's JSEP, the
other processes it as the "legacy" peer would and answers. RTP ports are bound on loopback
(``local_ip``); ICE never connects, so no media flows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins.nosip import NoSipHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import nosip

from ..conftest import require_janus, url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

NOSIP_JCFG = """general: {
\tlocal_ip = "127.0.0.1"
\tsdp_ip = "127.0.0.1"
\trtp_port_range = "20000-40000"
\tevents = false
}
"""


@pytest.fixture(scope="module")
def nosip_janus() -> Iterator[JanusServer]:
    """A Janus with only NoSIP loaded, its RTP bound to 127.0.0.1."""
    require_janus()
    with JanusServer(
        plugins=[nosip.PLUGIN], plugin_config={nosip.PLUGIN: NOSIP_JCFG}, session_timeout=60
    ) as server:
        yield server


def _connections(sdp: str) -> set[str]:
    return {line for line in sdp.splitlines() if line.startswith("c=")}


async def test_generate_process_both_ways(nosip_janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(nosip_janus, url_kind)) as client, client.session() as session:
        caller = await NoSipHandle.attach(session)
        legacy = await NoSipHandle.attach(session)

        # The caller's browser offer becomes a barebone RTP offer, bound to loopback.
        generated = await caller.generate(await offer(), info="call-1")
        assert isinstance(generated, nosip.Generated)
        assert generated.type == "offer"
        assert generated.jsep is None
        assert "m=audio " in generated.sdp
        assert "m=video " in generated.sdp
        assert " RTP/AVP " in generated.sdp
        assert "a=ice-" not in generated.sdp
        assert "a=fingerprint" not in generated.sdp
        assert _connections(generated.sdp) == {"c=IN IP4 127.0.0.1"}

        # The "legacy" side processes it: its browser gets a WebRTC offer.
        processed = await legacy.process("offer", generated.sdp, info="peer")
        assert isinstance(processed, nosip.Processed)
        assert processed.srtp is None
        assert processed.jsep is not None
        assert processed.jsep["type"] == "offer"
        assert "a=fingerprint" in processed.jsep["sdp"]

        # Its browser answers; the barebone answer goes back to the caller.
        barebone_answer = await legacy.generate(await answer_for(processed.jsep))
        assert barebone_answer.type == "answer"
        assert _connections(barebone_answer.sdp) == {"c=IN IP4 127.0.0.1"}
        done = await caller.process("answer", barebone_answer.sdp)
        assert done.jsep is not None
        assert done.jsep["type"] == "answer"
        assert done.update is None

        # Recording (files land in the server's recordings folder), then hang up.
        base = str(nosip_janus.recordings_dir / f"nosip-{url_kind}-{caller.id}")
        started = await caller.recording(
            "start", audio=True, video=True, peer_audio=True, peer_video=True, filename=base
        )
        assert isinstance(started, nosip.RecordingUpdated)
        stopped = await caller.recording("stop", audio=True, video=True, peer_audio=True)
        assert stopped.event == "recordingupdated"
        hung = await caller.hangup_call()
        assert isinstance(hung, nosip.HangingUp)
        core_hangup = await caller.expect(jp.HungUp, timeout=10)
        assert core_hangup.reason
        assert isinstance(await legacy.hangup_call(), nosip.HangingUp)


async def test_srtp_barebone_offer(nosip_janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(nosip_janus, url_kind)) as client, client.session() as session:
        caller = await NoSipHandle.attach(session)
        generated = await caller.generate(
            await offer(video=False), srtp="sdes_mandatory", srtp_profile="AES_CM_128_HMAC_SHA1_32"
        )
        assert " RTP/SAVP " in generated.sdp
        assert "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" in generated.sdp
        legacy = await NoSipHandle.attach(session)
        processed = await legacy.process("offer", generated.sdp)
        assert processed.srtp == "sdes_mandatory"  # the peer's offer mandated SDES
        # Processing a plain-RTP answer while mandating SDES is refused.
        plain = "\r\n".join(
            line.replace("RTP/SAVP", "RTP/AVP")
            for line in generated.sdp.split("\r\n")
            if not line.startswith("a=crypto")
        )
        with pytest.raises(nosip.TooStrict, match="SDES-SRTP required") as err:
            await caller.process("answer", plain, srtp="sdes_mandatory")
        assert err.value.error_code == 450


async def test_errors(nosip_janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(nosip_janus, url_kind)) as client, client.session() as session:
        handle = await NoSipHandle.attach(session)
        # Caught locally, before anything is sent.
        with pytest.raises(ValueError, match="Generate needs a JSEP"):
            await handle.request(nosip.Generate())
        with pytest.raises(ValueError, match="offer, answer"):
            await handle.process("pranswer", "v=0")
        with pytest.raises(ValueError, match="start, stop"):
            await handle.recording("pause", audio=True)

        # Refused by the plugin: each error is its own class.
        with pytest.raises(nosip.MissingSDP, match="Missing SDP"):
            await handle.send({"request": "generate"})
        with pytest.raises(nosip.MissingSDP, match="invalid SDP type"):
            await handle.send({"request": "process", "type": "pranswer", "sdp": "v=0"})
        with pytest.raises(nosip.MissingSDP, match="Error parsing SDP"):
            await handle.process("offer", "garbage")
        with pytest.raises(nosip.MissingSDP, match="DataChannels"):
            await handle.process(
                "offer",
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n",
            )
        with pytest.raises(nosip.MissingElement, match=r"Missing mandatory element \(sdp\)"):
            await handle.send({"request": "process", "type": "offer"})
        with pytest.raises(nosip.InvalidElement, match="srtp can only be"):
            await handle.send({"request": "process", "type": "offer", "sdp": "v=0", "srtp": "x"})
        with pytest.raises(nosip.InvalidElement, match=r"should be start\|stop"):
            await handle.send({"request": "recording", "action": "pause", "audio": True})
        with pytest.raises(nosip.RecordingError) as err:
            await handle.recording("start")
        assert err.value.error_code == 449
        with pytest.raises(nosip.InvalidRequest, match=r"Unknown request \(dance\)"):
            await handle.send({"request": "dance"})
        with pytest.raises(jp.PluginError) as base:  # the base class catches them all
            await handle.send({"request": 5})
        assert isinstance(base.value, nosip.NoSipError)
        assert isinstance(base.value, nosip.InvalidElement)

        # A handle with nothing negotiated still answers hangup.
        assert isinstance(await handle.hangup_call(), nosip.HangingUp)

        # DataChannels in the browser's offer are refused too (fresh handle: the core
        # keeps the ICE agent of a refused offer).
        fresh = await NoSipHandle.attach(session)
        with pytest.raises(nosip.MissingSDP, match="DataChannels"):
            await fresh.generate(await offer(video=False, data=True))
