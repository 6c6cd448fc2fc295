"""SIP handle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, sip

from ._base import PluginHandle

__all__ = ["SipHandle"]


class SipHandle(PluginHandle):
    """``janus.plugin.sip``: a SIP user agent in Janus, bridging one call at a time.

    Register (or use a ``guest`` identity), then :meth:`call` with a JSEP offer, or wait for
    :class:`~janus_proto.plugins.sip.IncomingCall` on :meth:`events` and :meth:`accept` it.
    Call progress (``ringing``, ``accepted``, ``hangup``...) arrives on :meth:`events`.

    Janus 1.1.2 sends no answer to :meth:`hangup_call`, :meth:`decline`, :meth:`hold` and
    :meth:`unhold` in the wrong call state: give those a ``timeout``.
    """

    PLUGIN: ClassVar[str] = sip.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = sip.CODEC

    async def register(
        self,
        username: str,
        *,
        type: str | None = None,
        send_register: bool | None = None,
        force_udp: bool | None = None,
        force_tcp: bool | None = None,
        sips: bool | None = None,
        rfc2543_cancel: bool | None = None,
        secret: str | None = None,
        ha1_secret: str | None = None,
        authuser: str | None = None,
        display_name: str | None = None,
        user_agent: str | None = None,
        proxy: str | None = None,
        outbound_proxy: str | None = None,
        headers: Mapping[str, str] | None = None,
        contact_params: Mapping[str, str] | None = None,
        incoming_header_prefixes: Sequence[str] | None = None,
        refresh: bool | None = None,
        master_id: int | None = None,
        register_ttl: int | None = None,
        timeout: float | None = None,
    ) -> sip.Registering | sip.Registered:
        """Register the SIP URI ``username`` (``type``: "guest" sends no REGISTER, "helper"
        joins ``master_id``); :class:`~janus_proto.plugins.sip.Registered` or, when a
        REGISTER went out, :class:`~janus_proto.plugins.sip.Registering`."""
        request = sip.Register(
            username=username,
            type=type,
            send_register=send_register,
            force_udp=force_udp,
            force_tcp=force_tcp,
            sips=sips,
            rfc2543_cancel=rfc2543_cancel,
            secret=secret,
            ha1_secret=ha1_secret,
            authuser=authuser,
            display_name=display_name,
            user_agent=user_agent,
            proxy=proxy,
            outbound_proxy=outbound_proxy,
            headers=headers,
            contact_params=contact_params,
            incoming_header_prefixes=incoming_header_prefixes,
            refresh=refresh,
            master_id=master_id,
            register_ttl=register_ttl,
        )
        return await self.request(request, timeout=timeout)

    async def unregister(self, *, timeout: float | None = None) -> sip.Unregistering:
        """Unregister; :class:`~janus_proto.plugins.sip.Unregistered` follows if a REGISTER
        had been sent."""
        return await self.request(sip.Unregister(), timeout=timeout)

    async def call(
        self,
        uri: str,
        jsep: Mapping[str, Any],
        *,
        call_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        srtp: str | None = None,
        srtp_profile: str | None = None,
        autoaccept_reinvites: bool | None = None,
        refer_id: int | None = None,
        secret: str | None = None,
        ha1_secret: str | None = None,
        authuser: str | None = None,
        timeout: float | None = None,
    ) -> sip.Calling:
        """Call ``uri`` with a JSEP offer (an INVITE)."""
        request = sip.Call(
            uri=uri,
            call_id=call_id,
            headers=headers,
            srtp=srtp,
            srtp_profile=srtp_profile,
            autoaccept_reinvites=autoaccept_reinvites,
            refer_id=refer_id,
            secret=secret,
            ha1_secret=ha1_secret,
            authuser=authuser,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def accept(
        self,
        jsep: Mapping[str, Any],
        *,
        srtp: str | None = None,
        headers: Mapping[str, str] | None = None,
        autoaccept_reinvites: bool | None = None,
        timeout: float | None = None,
    ) -> sip.Accepted | sip.Accepting:
        """Accept the incoming call with a JSEP answer (an offer for an offerless INVITE)."""
        request = sip.Accept(srtp=srtp, headers=headers, autoaccept_reinvites=autoaccept_reinvites)
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def decline(
        self,
        *,
        code: int | None = None,
        headers: Mapping[str, str] | None = None,
        refer_id: int | None = None,
        timeout: float | None = None,
    ) -> sip.Declining:
        """Decline the incoming call (``code``, 486 by default) or a transfer (``refer_id``)."""
        request = sip.Decline(code=code, headers=headers, refer_id=refer_id)
        return await self.request(request, timeout=timeout)

    async def update(
        self, jsep: Mapping[str, Any], *, timeout: float | None = None
    ) -> sip.Updating | sip.Updated:
        """Renegotiate with a JSEP offer, or answer the peer's re-INVITE with a JSEP answer."""
        return await self.request(sip.Update(), jsep=jsep, timeout=timeout)

    async def hold(
        self,
        *,
        direction: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> sip.Holding:
        """Put the call on hold (``direction``: sendonly, recvonly or inactive)."""
        return await self.request(sip.Hold(direction=direction, headers=headers), timeout=timeout)

    async def unhold(
        self, *, headers: Mapping[str, str] | None = None, timeout: float | None = None
    ) -> sip.Resuming:
        """Resume the call put on hold."""
        return await self.request(sip.Unhold(headers=headers), timeout=timeout)

    async def hangup_call(
        self, *, headers: Mapping[str, str] | None = None, timeout: float | None = None
    ) -> sip.HangingUp:
        """Hang up or cancel the call (the plugin's ``hangup``; :meth:`hangup` is the core's);
        :class:`~janus_proto.plugins.sip.HungUp` follows."""
        return await self.request(sip.Hangup(headers=headers), timeout=timeout)

    async def message(
        self,
        content: str,
        *,
        content_type: str | None = None,
        uri: str | None = None,
        call_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> sip.MessageSent:
        """Send a SIP MESSAGE in the call, or to ``uri`` out of dialog."""
        request = sip.Message(
            content=content, content_type=content_type, uri=uri, call_id=call_id, headers=headers
        )
        return await self.request(request, timeout=timeout)

    async def info(
        self,
        type: str,
        content: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> sip.InfoSent:
        """Send a SIP INFO in the call (``type``: its content type)."""
        request = sip.Info(type=type, content=content, headers=headers)
        return await self.request(request, timeout=timeout)

    async def dtmf_info(
        self,
        digit: str,
        *,
        duration: int | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> sip.DtmfSent:
        """Send a DTMF ``digit`` as a SIP INFO (``duration`` in milliseconds)."""
        request = sip.DtmfInfo(digit=digit, duration=duration, headers=headers)
        return await self.request(request, timeout=timeout)

    async def subscribe(
        self,
        event: str,
        *,
        accept: str | None = None,
        to: str | None = None,
        subscribe_ttl: int | None = None,
        call_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> sip.Subscribing:
        """SUBSCRIBE to the ``event`` package; NOTIFYs come as
        :class:`~janus_proto.plugins.sip.Notified`."""
        request = sip.Subscribe(
            event=event,
            accept=accept,
            to=to,
            subscribe_ttl=subscribe_ttl,
            call_id=call_id,
            headers=headers,
        )
        return await self.request(request, timeout=timeout)

    async def unsubscribe(
        self, event: str, *, to: str | None = None, timeout: float | None = None
    ) -> sip.Unsubscribing:
        """End the subscription to ``event``."""
        return await self.request(sip.Unsubscribe(event=event, to=to), timeout=timeout)

    async def transfer(
        self, uri: str, *, replace: str | None = None, timeout: float | None = None
    ) -> sip.Transferring:
        """Transfer the call to ``uri`` (attended if ``replace`` names a Call-ID)."""
        return await self.request(sip.Transfer(uri=uri, replace=replace), timeout=timeout)

    async def recording(
        self,
        action: str,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        peer_audio: bool | None = None,
        peer_video: bool | None = None,
        send_peer_pli: bool | None = None,
        filename: str | None = None,
        timeout: float | None = None,
    ) -> sip.RecordingUpdated:
        """Start, stop, pause or resume recording (``filename``: the base of the files)."""
        request = sip.Recording(
            action=action,
            audio=audio,
            video=video,
            peer_audio=peer_audio,
            peer_video=peer_video,
            send_peer_pli=send_peer_pli,
            filename=filename,
        )
        return await self.request(request, timeout=timeout)

    async def reset(self, *, timeout: float | None = None) -> sip.ResetDone:
        """Clear a stuck "call being set up" flag of an idle session."""
        return await self.request(sip.Reset(), timeout=timeout)
