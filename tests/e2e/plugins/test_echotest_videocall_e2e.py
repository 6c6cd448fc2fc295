"""EchoTest and VideoCall through the typed handles, against a real Janus 1.1.2."""

from __future__ import annotations

import anyio
import pytest

import janus_anyio as ja
import janus_proto as jp
from janus_anyio.plugins import EchoTestHandle, GenericHandle, VideoCallHandle
from janus_anyio.testing import JanusServer
from janus_proto.plugins import echotest, videocall

from ..conftest import url_of
from ..sdp import answer_for, offer

pytestmark = [pytest.mark.janus, pytest.mark.anyio]


async def test_echotest_configure_with_offer_and_errors(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        async with await EchoTestHandle.attach(session) as echo:
            reply = await echo.configure(audio=True, video=True, bitrate=256000, jsep=await offer())
            assert isinstance(reply, echotest.Result)
            assert reply.result == "ok"
            assert reply.jsep is not None
            assert reply.jsep["type"] == "answer"
            assert "m=audio" in reply.jsep["sdp"]
            again = await echo.configure(audio=False, record=False)
            assert again.jsep is None
            with pytest.raises(echotest.InvalidElement) as err:
                await echo.send({"audio": "yes"})
            assert err.value.error_code == 413
            with pytest.raises(TypeError, match=r"Configure\.audio must be bool"):
                await echo.configure(audio="yes")
            with pytest.raises(jp.JsepInvalidSdp):  # the core checks the SDP first
                await echo.configure(jsep={"type": "offer", "sdp": "v=0\r\nbogus"})
            await echo.hangup()
            done, _ = await echo.wait_for(echotest.Done, timeout=5)
            assert done.result == "done"


async def test_typed_request_on_the_wrong_plugin_is_refused(janus: JanusServer) -> None:
    async with ja.connect(janus.ws_url) as client, client.session() as session:
        generic = await GenericHandle.attach(session, plugin=echotest.PLUGIN)
        with pytest.raises(ValueError, match=r"janus\.plugin\.videocall request"):
            await generic.request(videocall.List())
        reply = await generic.request(echotest.Configure(audio=True))
        assert reply.result == "ok"
        with pytest.raises(ValueError, match=r"speaks to janus\.plugin\.videocall"):
            VideoCallHandle(generic.handle)
        with pytest.raises(ValueError, match="needs plugin="):
            await GenericHandle.attach(session)


async def test_videocall_whole_call(janus: JanusServer, url_kind: str) -> None:
    async with ja.connect(url_of(janus, url_kind)) as client, client.session() as session:
        alice = await VideoCallHandle.attach(session)
        bob = await VideoCallHandle.attach(session)
        suffix = f"{url_kind}-{id(alice)}"
        assert await alice.register(f"alice-{suffix}") == f"alice-{suffix}"
        await bob.register(f"bob-{suffix}")
        assert {f"alice-{suffix}", f"bob-{suffix}"} <= set(await alice.list())

        calling = await alice.call(f"bob-{suffix}", await offer())
        assert isinstance(calling, videocall.Calling)
        incoming = await bob.expect(videocall.IncomingCall, timeout=5)
        assert incoming.username == f"alice-{suffix}"
        assert incoming.jsep is not None
        accepted = await bob.accept(await answer_for(incoming.jsep))
        assert isinstance(accepted, videocall.Accepted)
        at_caller = await alice.expect(videocall.Accepted, timeout=5)
        assert at_caller.username == f"bob-{suffix}"
        assert at_caller.jsep is not None
        assert at_caller.jsep["type"] == "answer"

        assert isinstance(await alice.set(bitrate=128000, audio=True), videocall.SetDone)
        with pytest.raises(videocall.InvalidElement):
            await alice.send({"request": "set", "bitrate": "fast"})

        hung = await alice.hangup_call()
        assert isinstance(hung, videocall.HungUp)
        other = await bob.expect(videocall.HungUp, timeout=5)
        assert other.reason

        # Each failed call below leaves an ICE agent on its handle (Janus handles the JSEP
        # before the plugin refuses): one fresh handle per offer.
        async def fresh(name: str | None = None) -> VideoCallHandle:
            handle = await VideoCallHandle.attach(session)
            if name is not None:
                await handle.register(name)
            return handle

        with pytest.raises(videocall.UsernameTaken):
            await (await fresh()).register(f"alice-{suffix}")
        with pytest.raises(videocall.AlreadyRegistered):
            await alice.register("another")
        with pytest.raises(videocall.NoSuchUsername):
            await (await fresh(f"carol-{suffix}")).call("nobody-here", await offer())
        with pytest.raises(videocall.CannotCallYourself):
            await (await fresh(f"dave-{suffix}")).call(f"dave-{suffix}", await offer())
        with pytest.raises(ValueError, match="needs a JSEP offer"):
            await alice.call(f"bob-{suffix}", {})
        with pytest.raises(videocall.InvalidRequest):
            await alice.send({"request": "dance"})
        with anyio.fail_after(5):
            await alice.detach()
            await bob.detach()


async def test_videocall_register_first(janus: JanusServer) -> None:
    async with ja.connect(janus.ws_url) as client, client.session() as session:
        handle = await VideoCallHandle.attach(session)
        with pytest.raises(videocall.RegisterFirst):
            await handle.call("someone", await offer())
        with pytest.raises(jp.PluginError) as err:  # the base class catches every plugin error
            await handle.send({"request": "accept"})
        assert isinstance(err.value, videocall.VideoCallError)
