"""SIP through the typed handle, against a real Janus 1.1.2 whose SIP stack is bound to 127.0.0.1.

Nothing leaves the machine. The SIP peer is :class:`FakeUA`, a scripted SIP user agent on a
loopback UDP socket of the test: it receives what Janus sends (REGISTER, INVITE, INFO, ...)
and answers by hand (180/183/200/486...), or sends its own requests (INVITE, INFO, MESSAGE,
REFER, NOTIFY, BYE) to the SIP port of a Janus handle, learnt from a message that handle
sent. Every URI is ``sip:...@127.0.0.1[:port]``; ``keepalive_interval = 0`` turns the OPTIONS
keepalives off. ICE never connects, so no RTP flows either.
"""

from __future__ import annotations

import itertools
import re
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
import anyio.abc
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins.sip import SipHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import GenericPluginData, sip

from ..conftest import require_janus, url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]

SIP_JCFG = """general: {
\tlocal_ip = "127.0.0.1"
\tlocal_media_ip = "127.0.0.1"
\tsdp_ip = "127.0.0.1"
\tkeepalive_interval = 0
\tbehind_nat = false
\tregister_ttl = 120
\trtp_port_range = "20000-40000"
\tevents = false
\tsip_timer_t1x64 = 4000
}
"""

T = 10.0  # seconds to wait for anything
_E = TypeVar("_E", bound=sip.SipEvent)


@pytest.fixture(scope="module")
def sip_janus() -> Iterator[JanusServer]:
    """A Janus with only the SIP plugin, its SIP and RTP sockets bound to 127.0.0.1."""
    require_janus()
    with JanusServer(
        plugins=[sip.PLUGIN], plugin_config={sip.PLUGIN: SIP_JCFG}, session_timeout=60
    ) as server:
        yield server


# -- a scripted SIP user agent on loopback -------------------------------------------------

_COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
    "c": "content-type",
    "o": "event",
    "r": "refer-to",
    "b": "referred-by",
    "k": "supported",
}


class SipMsg:
    """A received SIP request or response (headers lower-cased, compact forms expanded)."""

    def __init__(self, text: str, addr: tuple[str, int]) -> None:
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            self.headers.append((_COMPACT.get(key, key), value.strip()))
        self.addr = addr

    def __repr__(self) -> str:
        return f"<SipMsg {self.first!r}>"

    @property
    def is_request(self) -> bool:
        return not self.first.startswith("SIP/2.0 ")

    @property
    def method(self) -> str:
        """The request method, or the method a response answers (from CSeq)."""
        return self.first.split(" ", 1)[0] if self.is_request else self.get("cseq").split()[1]

    @property
    def status(self) -> int:
        return 0 if self.is_request else int(self.first.split(" ")[1])

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    def get(self, name: str) -> str:
        return self.all(name)[0]

    @property
    def call_id(self) -> str:
        return self.get("call-id")

    @property
    def branch(self) -> str:
        found = re.search(r"branch=([^;,\s]+)", self.get("via"))
        return found.group(1) if found else ""

    def tag(self, header: str) -> str:
        found = re.search(r";tag=([^;>\s]+)", self.get(header))
        assert found is not None, f"no tag in {header}: {self.get(header)}"
        return found.group(1)


def rtp_sdp(port: int, *, codecs: str = "0 8") -> str:
    """A plain RTP audio SDP on loopback (nothing listens on ``port``)."""
    names = {"0": "PCMU/8000", "8": "PCMA/8000"}
    lines = [
        "v=0",
        "o=ua 1 1 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        f"m=audio {port} RTP/AVP {codecs}",
        *(f"a=rtpmap:{pt} {names[pt]}" for pt in codecs.split()),
        "a=sendrecv",
    ]
    return "\r\n".join(lines) + "\r\n"


class FakeUA:
    """A SIP UA on a loopback UDP socket; retransmissions are dropped, other messages wait
    in a backlog until something expects them."""

    def __init__(self, sock: anyio.abc.UDPSocket, rtp_port: int) -> None:
        self.sock = sock
        self.port: int = sock.extra(anyio.abc.SocketAttribute.local_port)
        self.uri = f"sip:ua@127.0.0.1:{self.port}"
        self.rtp_port = rtp_port
        self.backlog: list[SipMsg] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._ids = itertools.count(1)

    async def _receive(self) -> SipMsg:
        while True:
            data, addr = await self.sock.receive()
            msg = SipMsg(data.decode(), addr)
            key = (msg.branch, msg.get("cseq"), msg.first)
            if key not in self._seen:  # else a retransmission
                self._seen.add(key)
                return msg

    async def expect(self, match: Callable[[SipMsg], bool]) -> SipMsg:
        for i, msg in enumerate(self.backlog):
            if match(msg):
                return self.backlog.pop(i)
        with anyio.fail_after(T):
            while True:
                msg = await self._receive()
                if match(msg):
                    return msg
                self.backlog.append(msg)

    async def request_in(self, method: str) -> SipMsg:
        """The next request ``method`` Janus sent us."""
        return await self.expect(lambda m: m.is_request and m.method == method)

    async def final_response(self, method: str) -> SipMsg:
        """Janus's final answer to our ``method``."""
        return await self.expect(
            lambda m: not m.is_request and m.method == method and m.status >= 200
        )

    async def _send(self, text: str, addr: tuple[str, int]) -> None:
        await self.sock.sendto(text.encode(), addr[0], addr[1])

    async def reply(
        self,
        req: SipMsg,
        code: int,
        reason: str,
        *,
        body: str = "",
        to_tag: str = "uatag",
        extra: tuple[str, ...] = (),
    ) -> None:
        to = req.get("to")
        if code > 100 and ";tag=" not in to:
            to += f";tag={to_tag}"
        lines = [
            f"SIP/2.0 {code} {reason}",
            *(f"Via: {via}" for via in req.all("via")),
            f"From: {req.get('from')}",
            f"To: {to}",
            f"Call-ID: {req.call_id}",
            f"CSeq: {req.get('cseq')}",
            f"Contact: <{self.uri}>",
            *extra,
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        await self._send("\r\n".join(lines) + "\r\n\r\n" + body, req.addr)

    async def request(
        self,
        method: str,
        addr: tuple[str, int],
        ruri: str,
        *,
        call_id: str,
        cseq: int = 1,
        from_tag: str = "uafrom",
        to: str | None = None,
        to_tag: str | None = None,
        body: str = "",
        content_type: str = "application/sdp",
        branch: str | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        branch = branch or f"z9hG4bKua{next(self._ids)}x{self.port}"
        to_value = f"<{to or ruri}>" + (f";tag={to_tag}" if to_tag else "")
        lines = [
            f"{method} {ruri} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
            "Max-Forwards: 70",
            f'From: "Fake UA" <{self.uri}>;tag={from_tag}',
            f"To: {to_value}",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} {method}",
            f"Contact: <{self.uri}>",
            *extra,
        ]
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body.encode())}")
        await self._send("\r\n".join(lines) + "\r\n\r\n" + body, addr)


@asynccontextmanager
async def fake_ua() -> AsyncIterator[FakeUA]:
    async with (
        await anyio.create_udp_socket(family=socket.AF_INET, local_host="127.0.0.1") as sock,
        await anyio.create_udp_socket(family=socket.AF_INET, local_host="127.0.0.1") as rtp,
    ):
        yield FakeUA(sock, rtp.extra(anyio.abc.SocketAttribute.local_port))


async def next_event(handle: SipHandle, cls: type[_E], seen: list[object]) -> _E:
    """The next event of class ``cls``; the events before it are added to ``seen``."""
    event, skipped = await handle.wait_for(cls, timeout=T)
    seen.extend(skipped)
    return event


def kinds(events: list[object]) -> set[type]:
    return {type(e) for e in events}


# -- registration ------------------------------------------------------------------------


async def test_guest_registration_and_errors(sip_janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(sip_janus, url_kind)) as client, client.session() as session:
        # A call before any register: wrong state.
        fresh = await SipHandle.attach(session)
        with pytest.raises(sip.WrongState, match=r"register first") as err:
            await fresh.call("sip:someone@127.0.0.1:9", await offer(video=False))
        assert err.value.error_code == 447
        with pytest.raises(sip.WrongState):
            await fresh.unregister()
        with pytest.raises(sip.InvalidAddress, match="Invalid user address nope") as bad:
            await fresh.register("nope", type="guest")
        assert bad.value.error_code == 446
        with pytest.raises(sip.InvalidAddress, match="Invalid proxy address"):
            await fresh.register("sip:x@127.0.0.1", secret="s", proxy="http://127.0.0.1")
        with pytest.raises(sip.MissingElement, match="secret or ha1_secret"):
            await fresh.register("sip:x@127.0.0.1")
        with pytest.raises(sip.InvalidElement, match="send_register cannot be true"):
            await fresh.register("sip:x@127.0.0.1", type="guest", send_register=True)
        with pytest.raises(sip.InvalidElement, match="force_udp and force_tcp"):
            await fresh.register("sip:x@127.0.0.1", type="guest", force_udp=True, force_tcp=True)
        with pytest.raises(sip.InvalidElement, match=r"username should be a string"):
            await fresh.send({"request": "register", "username": 5})
        with pytest.raises(sip.HelperError, match="No such master session"):
            await fresh.register("sip:x@127.0.0.1", type="helper", master_id=1)
        with pytest.raises(sip.MissingElement, match="master_id"):
            await fresh.register("sip:x@127.0.0.1", type="helper")
        with pytest.raises(sip.InvalidRequest, match=r"Unknown request \(dance\)"):
            await fresh.send({"request": "dance"})
        with pytest.raises(ValueError, match="guest, helper"):  # refused before sending
            await fresh.register("sip:x@127.0.0.1", type="admin")

        # Guest: no REGISTER goes out, the account is usable at once.
        alice = await SipHandle.attach(session)
        registered = await alice.register(
            "sip:alice@127.0.0.1", type="guest", display_name="Alice", headers={"X-A": "1"}
        )
        assert isinstance(registered, sip.Registered)
        assert registered.username == "alice"
        assert registered.register_sent is False
        assert isinstance(registered.master_id, int)
        assert registered.call_id is None
        # 1.1.2: a guest registration never enters the registered state, so registering
        # again on the handle is accepted (445 needs a real REGISTER: see the next test).
        again = await alice.register("sip:alice@127.0.0.1", type="guest")
        assert isinstance(again, sip.Registered)
        assert again.master_id == registered.master_id

        # A helper of alice's account.
        helper = await SipHandle.attach(session)
        joined = await helper.register(
            "sip:alice@127.0.0.1", type="helper", master_id=registered.master_id
        )
        assert isinstance(joined, sip.Registered)
        assert (joined.helper, joined.master_id, joined.register_sent) == (
            True,
            registered.master_id,
            False,
        )
        with pytest.raises(sip.HelperError, match="already a helper"):
            await helper.register("sip:alice@127.0.0.1", type="helper", master_id=1)
        assert isinstance(await helper.unregister(), sip.Unregistering)

        # Wrong states once registered. Each failing JSEP on a fresh handle: the core keeps
        # the ICE agent of an offer the plugin refused.
        async def guest(name: str) -> SipHandle:
            handle = await SipHandle.attach(session)
            await handle.register(f"sip:{name}@127.0.0.1", type="guest")
            return handle

        with pytest.raises(sip.MissingSDP, match="Missing SDP") as sdp_err:
            await alice.send({"request": "call", "uri": "sip:x@127.0.0.1"})
        assert sdp_err.value.error_code == 448
        with pytest.raises(ValueError, match="needs a JSEP offer"):  # refused before sending
            await alice.request(sip.Call(uri="sip:x@127.0.0.1"))
        with pytest.raises(sip.MissingElement, match=r"\(uri\)"):
            await alice.send({"request": "call"})
        with pytest.raises(sip.WrongState, match="not subscribed"):
            await alice.unsubscribe("presence", to="sip:ua@127.0.0.1:9")
        with pytest.raises(sip.InvalidAddress):
            await (await guest("a1")).call("not-a-sip-uri", await offer(video=False))
        with pytest.raises(sip.WrongState, match="not invited"):
            await (await guest("a2")).accept(await offer(video=False))
        with pytest.raises(sip.WrongState, match="not in a call"):
            await (await guest("a3")).update(await offer(video=False))
        with pytest.raises(sip.MissingSDP, match="DataChannels"):
            await (await guest("a4")).call("sip:x@127.0.0.1", await offer(video=False, data=True))
        # 1.1.2 reports these wrong states with error_code 0: the base class, not WrongState.
        with pytest.raises(sip.SipError, match="not in a call") as zero:
            await alice.info("text/plain", "x")
        assert zero.value.error_code == 0
        assert type(zero.value) is sip.SipError
        for bad_state in (
            alice.dtmf_info("1"),
            alice.transfer("sip:x@127.0.0.1"),
            alice.recording("start", audio=True),
            alice.message("in a dialog that does not exist"),
        ):
            with pytest.raises(sip.SipError, match="not in a call"):
                await bad_state
        # ... and these get no answer at all outside a call.
        with pytest.raises(TimeoutError):
            await alice.hangup_call(timeout=0.5)

        assert isinstance(await alice.reset(), sip.ResetDone)


async def test_register_at_a_local_registrar(sip_janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(url_of(sip_janus, url_kind)) as client,
        client.session() as session,
        fake_ua() as registrar,
    ):
        proxy = f"sip:127.0.0.1:{registrar.port}"
        carol = await SipHandle.attach(session)
        registering = await carol.register(
            "sip:carol@127.0.0.1",
            secret="pw",
            proxy=proxy,
            register_ttl=120,
            user_agent="janus-client-tests",
            headers={"X-Reg": "yes"},
        )
        assert isinstance(registering, sip.Registering)
        register = await registrar.request_in("REGISTER")
        assert register.first == f"REGISTER {proxy} SIP/2.0"
        assert register.get("to") == "<sip:carol@127.0.0.1>"
        assert register.get("expires") == "120"
        assert register.get("user-agent") == "janus-client-tests"
        assert register.get("x-reg") == "yes"
        assert register.addr[0] == "127.0.0.1"
        await registrar.reply(register, 200, "OK", extra=("Expires: 120",))
        registered = await carol.expect(sip.Registered, timeout=T)
        assert registered.username == "carol"
        assert registered.register_sent is True

        with pytest.raises(sip.AlreadyRegistered, match=r"Already registered \(carol\)") as err:
            await carol.register("sip:carol@127.0.0.1", secret="pw", proxy=proxy)
        assert err.value.error_code == 445

        assert isinstance(await carol.unregister(), sip.Unregistering)
        unregister = await registrar.request_in("REGISTER")
        assert unregister.get("expires") == "0"
        await registrar.reply(unregister, 200, "OK")
        unregistered = await carol.expect(sip.Unregistered, timeout=T)
        assert unregistered.username == "carol"

        dave = await SipHandle.attach(session)
        await dave.register("sip:dave@127.0.0.1", ha1_secret="00" * 16, authuser="d", proxy=proxy)
        await registrar.reply(await registrar.request_in("REGISTER"), 403, "Forbidden")
        refused = await dave.expect(sip.RegistrationFailed, timeout=T)
        assert (refused.code, refused.reason) == (403, "Forbidden")


# -- calls -------------------------------------------------------------------------------


async def test_outgoing_calls(sip_janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(url_of(sip_janus, url_kind)) as client,
        client.session() as session,
        fake_ua() as ua,
    ):
        target = f"sip:someone@127.0.0.1:{ua.port}"
        answer_sdp = rtp_sdp(ua.rtp_port, codecs="0")

        # Call A: early media (183 with SDP), then busy.
        a = await SipHandle.attach(session)
        await a.register("sip:alice@127.0.0.1", type="guest")
        calling = await a.call(target, await offer(video=False), call_id=f"callA-{url_kind}")
        assert isinstance(calling, sip.Calling)
        assert calling.call_id == f"callA-{url_kind}"
        invite = await ua.request_in("INVITE")  # the call left Janus
        assert invite.first == f"INVITE {target} SIP/2.0"
        assert invite.call_id == f"callA-{url_kind}"
        assert "c=IN IP4 127.0.0.1" in invite.body
        assert "a=ice-" not in invite.body
        await ua.reply(invite, 180, "Ringing")
        await ua.reply(invite, 183, "Session Progress", body=answer_sdp)
        seen: list[object] = []
        progress = await next_event(a, sip.Progress, seen)
        assert progress.jsep is not None
        assert progress.jsep["type"] == "answer"
        assert progress.call_id == f"callA-{url_kind}"
        await ua.reply(invite, 486, "Busy Here")
        hung = await next_event(a, sip.HungUp, seen)
        assert isinstance(hung, sip.HungUp)
        assert (hung.code, hung.reason) == (486, "Busy Here")
        assert {sip.Ringing, sip.Proceeding} <= kinds(seen)
        assert (await ua.request_in("ACK")).call_id == f"callA-{url_kind}"

        # Call B: accepted, then every in-call request, then hung up by us.
        b = await SipHandle.attach(session)
        await b.register("sip:bob@127.0.0.1", type="guest", display_name="Bob")
        calling = await b.call(target, await offer(video=False), headers={"X-Test": "yes"})
        assert calling.call_id
        invite = await ua.request_in("INVITE")
        assert invite.get("from").startswith('"Bob" <sip:bob@127.0.0.1>')
        assert invite.get("x-test") == "yes"
        await ua.reply(invite, 180, "Ringing")
        await ua.reply(invite, 200, "OK", body=answer_sdp)
        seen = []
        accepted = await next_event(b, sip.Accepted, seen)
        assert accepted.jsep is not None
        assert accepted.jsep["type"] == "answer"
        assert isinstance(accepted, sip.Accepted)
        assert accepted.username == target
        assert accepted.call_id == calling.call_id
        assert sip.Ringing in kinds(seen)
        await ua.request_in("ACK")

        async def answered(method: str, code: int = 200, reason: str = "OK") -> SipMsg:
            req = await ua.request_in(method)
            assert req.call_id == calling.call_id
            await ua.reply(req, code, reason, body=answer_sdp if method == "INVITE" else "")
            return req

        assert isinstance(await b.info("application/x-test", "hello"), sip.InfoSent)
        info = await answered("INFO")
        assert (info.get("content-type"), info.body) == ("application/x-test", "hello")
        assert isinstance(await b.dtmf_info("5", duration=200), sip.DtmfSent)
        assert (await answered("INFO")).body == "Signal=5\r\nDuration=200"
        sent = await b.message("in dialog", content_type="text/plain")
        assert isinstance(sent, sip.MessageSent)
        assert (await answered("MESSAGE")).body == "in dialog"
        delivery = await next_event(b, sip.MessageDelivery, seen)
        assert (delivery.code, delivery.call_id) == (200, sent.call_id)

        assert isinstance(await b.hold(direction="inactive"), sip.Holding)
        assert "a=inactive" in (await answered("INVITE")).body
        await ua.request_in("ACK")
        assert isinstance(await b.unhold(), sip.Resuming)
        assert "a=inactive" not in (await answered("INVITE")).body
        await ua.request_in("ACK")

        base = str(sip_janus.recordings_dir / f"sip-{url_kind}-{b.id}")
        for action in ("start", "pause", "resume", "stop"):
            done = await b.recording(action, audio=True, peer_audio=True, filename=base)
            assert isinstance(done, sip.RecordingUpdated)

        with pytest.raises(sip.NoSuchCallId, match="No such call-ID nope") as no_call:
            await b.transfer("sip:other@127.0.0.1", replace="nope")
        assert no_call.value.error_code == 454
        assert isinstance(await b.transfer(f"sip:other@127.0.0.1:{ua.port}"), sip.Transferring)
        refer = await answered("REFER", 202, "Accepted")
        assert refer.get("refer-to") == f"<sip:other@127.0.0.1:{ua.port}>"

        # A renegotiation: a re-INVITE goes out, its 200 OK comes back as accepted.
        assert isinstance(await b.update(await offer(video=False)), sip.Updating)
        await answered("INVITE")
        await ua.request_in("ACK")
        reaccepted = await next_event(b, sip.Accepted, seen)
        assert reaccepted.jsep is not None

        assert isinstance(await b.hangup_call(headers={"X-Bye": "1"}), sip.HangingUp)
        assert (await answered("BYE")).get("x-bye") == "1"
        bye = await next_event(b, sip.HungUp, seen)
        assert isinstance(bye, sip.HungUp)
        assert bye.code == 200
        await b.expect(jp.HungUp, timeout=T)  # the core closes the PeerConnection


async def test_incoming_calls(sip_janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(url_of(sip_janus, url_kind)) as client,
        client.session() as session,
        fake_ua() as ua,
    ):
        bob = await SipHandle.attach(session)
        await bob.register("sip:bob@127.0.0.1", type="guest", incoming_header_prefixes=["X-"])

        # An out-of-dialog MESSAGE tells the UA where bob's SIP stack listens.
        sent = await bob.message("hello UA", uri=ua.uri, content_type="text/plain")
        assert isinstance(sent, sip.MessageSent)
        first = await ua.request_in("MESSAGE")
        assert first.body == "hello UA"
        assert first.call_id == sent.call_id
        await ua.reply(first, 202, "Accepted")
        delivery = await bob.expect(sip.MessageDelivery, timeout=T)
        assert (delivery.code, delivery.reason, delivery.call_id) == (202, "Accepted", sent.call_id)
        bob_addr = first.addr
        bob_uri = f"sip:bob@127.0.0.1:{bob_addr[1]}"
        body = rtp_sdp(ua.rtp_port)

        # Incoming call 1: declined.
        await ua.request(
            "INVITE", bob_addr, bob_uri, call_id="in1", body=body, extra=("X-Custom: one",)
        )
        incoming = await bob.expect(sip.IncomingCall, timeout=T)
        assert incoming.username == ua.uri
        assert incoming.callee == bob_uri
        assert incoming.call_id == "in1"
        assert incoming.displayname == '"Fake UA"'  # 1.1.2 keeps the quotes
        assert incoming.headers == {"X-Custom": "one"}
        assert incoming.jsep is not None
        assert incoming.jsep["type"] == "offer"
        declining = await bob.decline(code=603, headers={"X-Why": "test"})
        assert isinstance(declining, sip.Declining)
        assert declining.code == 603
        # The SIP thread may end the call (and forget its Call-ID) before the answer is built.
        assert declining.call_id in ("in1", None)
        refusal = await ua.final_response("INVITE")
        assert (refusal.status, refusal.get("x-why")) == (603, "test")
        await ua.request(
            "ACK", bob_addr, bob_uri, call_id="in1", to_tag=refusal.tag("to"), branch=refusal.branch
        )
        declined = await bob.expect(sip.HungUp, timeout=T)
        assert (declined.code, declined.reason) == (603, "Decline")
        await bob.expect(jp.HungUp, timeout=T)  # wait for the core: else the next is "busy"

        # Incoming call 2: accepted, without auto-accepting re-INVITEs.
        await ua.request("INVITE", bob_addr, bob_uri, call_id="in2", body=body)
        incoming = await bob.expect(sip.IncomingCall, timeout=T)
        assert incoming.call_id == "in2"
        assert incoming.jsep is not None
        accepted = await bob.accept(await answer_for(incoming.jsep), autoaccept_reinvites=False)
        assert isinstance(accepted, sip.Accepted)
        ok = await ua.final_response("INVITE")
        assert ok.status == 200
        assert "c=IN IP4 127.0.0.1" in ok.body
        tag = ok.tag("to")
        await ua.request("ACK", bob_addr, bob_uri, call_id="in2", to_tag=tag)

        seen: list[object] = []
        await ua.request(
            "INFO",
            bob_addr,
            bob_uri,
            call_id="in2",
            cseq=2,
            to_tag=tag,
            body="info body",
            content_type="text/plain",
        )
        assert (await ua.final_response("INFO")).status == 200
        info = await next_event(bob, sip.IncomingInfo, seen)
        assert isinstance(info, sip.IncomingInfo)
        assert (info.type, info.content, info.sender) == ("text/plain", "info body", ua.uri)
        await ua.request(
            "MESSAGE",
            bob_addr,
            bob_uri,
            call_id="in2",
            cseq=3,
            to_tag=tag,
            body="msg body",
            content_type="text/plain",
        )
        assert (await ua.final_response("MESSAGE")).status == 200
        message = await next_event(bob, sip.IncomingMessage, seen)
        assert isinstance(message, sip.IncomingMessage)
        assert (message.content, message.content_type, message.call_id) == (
            "msg body",
            "text/plain",
            "in2",
        )

        # A second call while busy: Janus answers 486 and tells us.
        await ua.request("INVITE", bob_addr, bob_uri, call_id="in3", body=body)
        busy = await ua.final_response("INVITE")
        assert busy.status == 486
        await ua.request(
            "ACK", bob_addr, bob_uri, call_id="in3", to_tag=busy.tag("to"), branch=busy.branch
        )
        missed = await next_event(bob, sip.MissedCall, seen)
        assert isinstance(missed, sip.MissedCall)
        assert (missed.caller, missed.call_id) == (ua.uri, "in3")

        # A re-INVITE from the peer, answered by us.
        await ua.request("INVITE", bob_addr, bob_uri, call_id="in2", cseq=4, to_tag=tag, body=body)
        updating = await next_event(bob, sip.UpdatingCall, seen)
        assert updating.jsep is not None
        assert updating.call_id == "in2"
        assert isinstance(await bob.update(await answer_for(updating.jsep)), sip.Updated)
        assert (await ua.final_response("INVITE")).status == 200
        await ua.request("ACK", bob_addr, bob_uri, call_id="in2", cseq=4, to_tag=tag)

        # A transfer request from the peer, declined.
        await ua.request(
            "REFER",
            bob_addr,
            bob_uri,
            call_id="in2",
            cseq=5,
            to_tag=tag,
            extra=(f"Refer-To: <sip:carol@127.0.0.1:{ua.port}>", f"Referred-By: <{ua.uri}>"),
        )
        assert (await ua.final_response("REFER")).status == 202
        transfer = await next_event(bob, sip.IncomingTransfer, seen)
        assert isinstance(transfer, sip.IncomingTransfer)
        assert transfer.refer_to == f"sip:carol@127.0.0.1:{ua.port}"
        assert transfer.referred_by == f"<{ua.uri}>"
        refused = await bob.decline(refer_id=transfer.refer_id)
        assert (refused.refer_id, refused.code) == (transfer.refer_id, 603)
        notify = await ua.request_in("NOTIFY")
        assert notify.body.startswith("SIP/2.0 603")
        await ua.reply(notify, 200, "OK")

        # The peer hangs up.
        await ua.request("BYE", bob_addr, bob_uri, call_id="in2", cseq=6, to_tag=tag)
        assert (await ua.final_response("BYE")).status == 200
        bye = await next_event(bob, sip.HungUp, seen)
        assert isinstance(bye, sip.HungUp)
        assert (bye.code, bye.call_id) == (200, "in2")
        assert not [e for e in seen if isinstance(e, GenericPluginData)]  # all typed


async def test_subscriptions(sip_janus: JanusServer, url_kind: str) -> None:
    async with (
        ja.connect(url_of(sip_janus, url_kind)) as client,
        client.session() as session,
        fake_ua() as ua,
    ):
        erin = await SipHandle.attach(session)
        await erin.register("sip:erin@127.0.0.1", type="guest")
        subscribing = await erin.subscribe(
            "presence", to=ua.uri, accept="application/pidf+xml", subscribe_ttl=60
        )
        assert isinstance(subscribing, sip.Subscribing)
        subscribe = await ua.request_in("SUBSCRIBE")
        assert (subscribe.get("event"), subscribe.get("expires")) == ("presence", "60")
        assert subscribe.get("accept") == "application/pidf+xml"
        await ua.reply(subscribe, 200, "OK", to_tag="subtag", extra=("Expires: 60",))
        seen: list[object] = []
        succeeded = await next_event(erin, sip.SubscribeSucceeded, seen)
        assert isinstance(succeeded, sip.SubscribeSucceeded)
        assert (succeeded.code, succeeded.expires, succeeded.call_id) == (
            200,
            60,
            subscribe.call_id,
        )

        erin_addr = subscribe.addr
        await ua.request(
            "NOTIFY",
            erin_addr,
            f"sip:erin@127.0.0.1:{erin_addr[1]}",
            call_id=subscribe.call_id,
            from_tag="subtag",
            to="sip:erin@127.0.0.1",
            to_tag=subscribe.tag("from"),
            body="<presence/>",
            content_type="application/pidf+xml",
            extra=("Event: presence", "Subscription-State: active;expires=60"),
        )
        assert (await ua.final_response("NOTIFY")).status == 200
        notified = await next_event(erin, sip.Notified, seen)
        assert isinstance(notified, sip.Notified)
        assert (notified.notify, notified.substate, notified.content_type) == (
            "presence",
            "active",
            "application/pidf+xml",
        )
        assert notified.content == "<presence/>"

        assert isinstance(await erin.unsubscribe("presence", to=ua.uri), sip.Unsubscribing)
        unsubscribe = await ua.request_in("SUBSCRIBE")
        assert unsubscribe.get("expires") == "0"
        await ua.reply(unsubscribe, 200, "OK", to_tag="subtag", extra=("Expires: 0",))
        # 1.1.2 has no "unsubscribed": the answer comes as subscribe_succeeded, expires 0.
        ended = await next_event(erin, sip.SubscribeSucceeded, seen)
        assert isinstance(ended, sip.SubscribeSucceeded)
        assert ended.expires == 0

        await erin.subscribe("dialog", to=ua.uri, call_id=f"sub-{url_kind}")
        refused_sub = await ua.request_in("SUBSCRIBE")
        assert refused_sub.call_id == f"sub-{url_kind}"
        await ua.reply(refused_sub, 404, "Not Found")
        failed = await next_event(erin, sip.SubscribeFailed, seen)
        assert isinstance(failed, sip.SubscribeFailed)
        assert (failed.code, failed.reason, failed.call_id) == (404, "Not Found", f"sub-{url_kind}")
