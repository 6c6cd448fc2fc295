"""The PeerConnection: one aiortc ``RTCPeerConnection`` bound to one Janus plugin handle.

It owns the handle's event stream: a task reads every event, applies what belongs to media
(trickled candidates, a JSEP answer awaited by our offer), notes ``webrtcup``, ``media`` and
``hangup``, and re-exposes every event but the trickles, in order, through
:meth:`PeerConnection.next_event`, :meth:`~PeerConnection.events` and
:meth:`~PeerConnection.expect`. Nothing is dropped: :meth:`expect` takes only the event it
matches and leaves the others queued.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

import attrs
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.contrib.media import MediaPlayer

import janus_proto as jp
from janus_anyio import (
    ConnectionClosed,
    EventOverflow,
    HandleClosed,
    RequestTimeout,
    SessionClosed,
    TransportError,
)
from janus_anyio.plugins import PluginEventItem, PluginHandle
from janus_proto.plugins import PluginData, videoroom

from ._channel import DataChannel, within
from ._errors import NegotiationFailed, PeerConnectionClosed
from ._events import EventQueue
from ._jsep import (
    Jsep,
    local_candidates,
    make_jsep,
    media_directions,
    parse_jsep,
    sdp_candidates,
    strip_candidates,
)
from ._stun import contain_stun_errors
from ._trickle import to_rtc_candidate

__all__ = ["PeerConnection", "RemoteTrack", "default_configuration"]

logger = logging.getLogger(__name__)

_R = TypeVar("_R", bound=PluginData)
_E = TypeVar("_E")


def default_configuration() -> RTCConfiguration:
    """What a :class:`PeerConnection` uses when given none: no STUN or TURN server at all
    (aiortc would otherwise ask a public STUN server), and one transport for every m-line
    (Janus bundles everything)."""
    return RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


def _no_default_servers(configuration: RTCConfiguration | None) -> RTCConfiguration:
    if configuration is None:
        return default_configuration()
    if not isinstance(configuration, RTCConfiguration):
        raise TypeError(
            f"configuration must be an aiortc RTCConfiguration, got {type(configuration).__name__}"
        )
    if configuration.iceServers is None:  # aiortc would fall back to a public STUN server
        return dataclasses.replace(configuration, iceServers=[])
    return configuration


def _ice_ufrags(sdp: str) -> set[str]:
    return {
        line.strip()[len("a=ice-ufrag:") :]
        for line in sdp.split("\n")
        if line.startswith("a=ice-ufrag:")
    }


@attrs.frozen(kw_only=True)
class RemoteTrack:
    """A track Janus sends us.

    Attributes:
        kind: ``"audio"`` or ``"video"``.
        mid: the m-line it arrives on (VideoRoom maps mids to feeds).
        track: aiortc's track: ``await track.recv()`` gives decoded frames (see
            :func:`janus_media.frames`); hand it to a :class:`janus_media.Recording`.
    """

    kind: str
    mid: str | None
    track: MediaStreamTrack = attrs.field(eq=False)


class PeerConnection(EventQueue):
    """WebRTC media between aiortc and a Janus plugin handle (asyncio only).

    Create it inside a running asyncio loop, for a typed plugin handle; from then on it
    reads the handle's events (read them from here, not from the handle)::

        async with PeerConnection(echo) as pc:          # echo: an EchoTestHandle
            pc.add_track(video_track)
            reply = await pc.negotiate(lambda jsep: echo.configure(video=True, jsep=jsep))
            await pc.wait_webrtcup(timeout=10)
            remote = await pc.wait_track("video")

    Args:
        handle: the plugin handle (``EchoTestHandle``, ``VideoCallHandle``...; any other
            plugin through ``GenericHandle``).
        configuration: aiortc's ``RTCConfiguration``; default :func:`default_configuration`
            (no ICE servers). ``iceServers=None`` is taken as ``[]``: this library never
            contacts a STUN or TURN server you did not name.
        trickle: send our JSEPs without candidates and trickle them after (``False``: the
            candidates are in the SDP, which Janus is told with ``"trickle": false``).
        event_buffer: events kept for :meth:`next_event` before the stream fails with
            :class:`janus_anyio.EventOverflow`.

    The tracks given to :meth:`add_track` and :meth:`add_player` belong to it: :meth:`close`
    stops them (share one between connections with aiortc's ``MediaRelay``).

    Renegotiation: Janus's new offers (VideoRoom ``subscribe``/``unsubscribe``/``update``,
    publishers leaving) are answered with :meth:`renegotiate` or :meth:`wait_offer` and
    :meth:`accept`; our own new offers (tracks added later) with :meth:`negotiate`.

    Limit: **no ICE restart.** aiortc 1.16 has no ``restartIce``; its ICE credentials are
    fixed when the connection is made, and ``RTCIceTransport.start`` ignores the new
    remote ones of a later offer. A restart offer from Janus (``configure(restart=True)``,
    TextRoom ``restart``...) is answered with the old credentials (a warning is logged):
    media goes on over the old ICE session until aioice's consent checks, sent with the
    old credentials, expire (~30 s; measured 29 s), and the connection closes. To recover
    from a network change, make a new PeerConnection (and a new subscription) instead.

    Its ICE sockets are guarded against an aioice bug: a media packet that crashes
    aioice's STUN parser with ``struct.error`` (rare: its sequence number must equal its
    length minus 20, and its payload read as a malformed STUN attribute) is handed on as
    media instead of escaping into the event loop (see ``janus_media._stun``).

    Raises:
        RuntimeError: no running asyncio loop.
    """

    def __init__(
        self,
        handle: PluginHandle,
        *,
        configuration: RTCConfiguration | None = None,
        trickle: bool = False,
        event_buffer: int = 256,
    ) -> None:
        if not isinstance(handle, PluginHandle):
            raise TypeError(
                f"handle must be a janus_anyio.plugins.PluginHandle (wrap a raw Handle in "
                f"GenericHandle), got {type(handle).__name__}"
            )
        super().__init__(event_buffer)
        loop = asyncio.get_running_loop()
        self.handle = handle
        self.configuration = _no_default_servers(configuration)
        self.trickle = bool(trickle)
        self._pc = RTCPeerConnection(self.configuration)
        self._sig_lock = asyncio.Lock()
        self._awaiting_answer = False
        self._answer_error: Exception | None = None
        self._pending: list[jp.Candidate | None] = []  # trickles before the remote SDP
        self._remote_candidates: list[str] = []
        self._tracks: list[RemoteTrack] = []
        self._channels: list[DataChannel] = []  # opened by Janus
        self._own_channels: list[DataChannel] = []
        self._owned: list[MediaStreamTrack] = []
        self._webrtcup = False
        self._hangup: jp.HungUp | None = None
        self._media: dict[str, bool] = {}
        self._closed = False
        self._pc.on("track", self._on_track)
        self._pc.on("datachannel", self._on_datachannel)
        self._pc.on("connectionstatechange", self._changed.notify)
        self._pump_task = loop.create_task(self._pump(), name=f"janus_media pump {handle.id}")

    def __repr__(self) -> str:
        state = "closed" if self._closed else self._pc.connectionState
        return f"<PeerConnection handle={self.handle.id} {self.handle.plugin} {state}>"

    async def __aenter__(self) -> PeerConnection:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- state -------------------------------------------------------------------------

    @property
    def raw(self) -> RTCPeerConnection:
        """aiortc's peer connection (for what this class does not wrap; do not register
        callbacks on it)."""
        return self._pc

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def connection_state(self) -> str:
        """aiortc's ``connectionState``: ``new``, ``connecting``, ``connected``,
        ``failed`` or ``closed``."""
        return self._pc.connectionState

    @property
    def webrtc_up(self) -> bool:
        """Whether Janus reported ``webrtcup`` (its ICE and DTLS are up)."""
        return self._webrtcup

    @property
    def hung_up(self) -> jp.HungUp | None:
        """Janus's ``hangup`` event, once it closed its side."""
        return self._hangup

    @property
    def media_receiving(self) -> Mapping[str, bool]:
        """What Janus's ``media`` events said, by mid (or by type where no mid was given):
        whether Janus receives our media there."""
        return dict(self._media)

    @property
    def local_description(self) -> Jsep | None:
        """Our last SDP as a JSEP (with its candidates)."""
        desc = self._local()
        return None if desc is None else make_jsep(desc.type, desc.sdp)

    @property
    def remote_description(self) -> Jsep | None:
        """Janus's last SDP as a JSEP."""
        desc = self._remote()
        return None if desc is None else make_jsep(desc.type, desc.sdp)

    @property
    def remote_candidates(self) -> tuple[str, ...]:
        """Every candidate Janus gave (in its SDPs and trickled), as ``candidate:...``."""
        return tuple(self._remote_candidates)

    @property
    def remote_directions(self) -> Mapping[str, str]:
        """The direction of each m-line in Janus's last SDP, by mid, as Janus states it
        (``sendonly``: Janus sends there; ``inactive``: a stream unsubscribed, paused or
        rejected)."""
        desc = self._remote()
        return {} if desc is None else media_directions(desc.sdp)

    @property
    def active_mids(self) -> tuple[str, ...]:
        """The mids Janus's last SDP sends media on (``sendonly`` or ``sendrecv``). A track
        whose m-line went inactive (VideoRoom ``unsubscribe``) is not ended by aiortc: it
        just gets no more frames; if Janus reuses the m-line, the new stream's frames come
        on the same track."""
        return tuple(
            mid for mid, d in self.remote_directions.items() if d in ("sendonly", "sendrecv")
        )

    @property
    def remote_tracks(self) -> tuple[RemoteTrack, ...]:
        """The tracks Janus sends, in the order they appeared."""
        return tuple(self._tracks)

    @property
    def senders(self) -> tuple[RTCRtpSender, ...]:
        return tuple(self._pc.getSenders())

    @property
    def transceivers(self) -> tuple[RTCRtpTransceiver, ...]:
        return tuple(self._pc.getTransceivers())

    def _local(self) -> RTCSessionDescription | None:
        # (aiortc's annotation leaves out None, which it returns before any description)
        return cast("RTCSessionDescription | None", self._pc.localDescription)

    def _remote(self) -> RTCSessionDescription | None:
        return cast("RTCSessionDescription | None", self._pc.remoteDescription)

    def _check_open(self) -> None:
        if self._closed:
            raise PeerConnectionClosed(f"{self!r} is closed")

    # -- local media -------------------------------------------------------------------

    def add_track(self, track: MediaStreamTrack) -> RTCRtpSender:
        """Send ``track`` (an aiortc ``MediaStreamTrack``: a player's, a relay's, your own).

        Add tracks before :meth:`create_offer`, or between :meth:`apply_offer` and
        :meth:`create_answer` (which reuse Janus's m-lines).
        """
        self._check_open()
        if not isinstance(track, MediaStreamTrack):
            raise TypeError(f"expected an aiortc MediaStreamTrack, got {type(track).__name__}")
        sender = self._pc.addTrack(track)
        self._owned.append(track)
        return sender

    def add_player(self, player: MediaPlayer) -> list[RTCRtpSender]:
        """Send what an aiortc ``MediaPlayer`` plays (its audio and its video, as it has)."""
        senders = []
        for track in (player.audio, player.video):
            if track is not None:
                senders.append(self.add_track(track))
        if not senders:
            raise ValueError(f"{player!r} has neither audio nor video")
        return senders

    def add_transceiver(self, kind: str, *, direction: str = "recvonly") -> RTCRtpTransceiver:
        """An m-line of ``kind`` (``audio``/``video``) without a track: by default to
        receive only."""
        self._check_open()
        if kind not in ("audio", "video"):
            raise ValueError(f"kind is 'audio' or 'video', not {kind!r}")
        return self._pc.addTransceiver(kind, direction=direction)

    def create_data_channel(
        self,
        label: str = "JanusDataChannel",
        *,
        ordered: bool = True,
        protocol: str = "",
        max_packet_life_time: int | None = None,
        max_retransmits: int | None = None,
        buffer: int = 1024,
    ) -> DataChannel:
        """Open a data channel of ours (before the offer, or between :meth:`apply_offer`
        and :meth:`create_answer`; TextRoom wants ``"JanusDataChannel"`` there). Await
        :meth:`DataChannel.wait_open` before relying on it."""
        self._check_open()
        raw = self._pc.createDataChannel(
            label,
            ordered=ordered,
            protocol=protocol,
            maxPacketLifeTime=max_packet_life_time,
            maxRetransmits=max_retransmits,
        )
        channel = DataChannel(raw, buffer=buffer)
        self._own_channels.append(channel)
        return channel

    # -- offer / answer ----------------------------------------------------------------

    def _local_jsep(self) -> Jsep:
        desc = self._local()
        assert desc is not None  # (called right after setLocalDescription)
        sdp = strip_candidates(desc.sdp) if self.trickle else desc.sdp
        return make_jsep(desc.type, sdp, trickle=self.trickle)

    async def create_offer(self) -> Jsep:
        """Make our offer (ICE gathered; candidates in the SDP unless ``trickle``): the
        JSEP to send with a plugin request. Its answer is applied by :meth:`apply_answer`,
        or by the event reader when it comes in an event (VideoCall's ``accepted``)."""
        self._check_open()
        async with self._sig_lock:
            await self._pc.setLocalDescription(await self._pc.createOffer())
            contain_stun_errors(self._pc)  # (the sockets exist once gathered)
            self._awaiting_answer = True
            self._answer_error = None
            return self._local_jsep()

    async def apply_answer(self, jsep: Mapping[str, Any]) -> None:
        """Apply Janus's answer to our offer (again with the same answer: no-op).

        Raises:
            ValueError: not a JSEP answer.
            NegotiationFailed: aiortc refused it.
        """
        self._check_open()
        _kind, sdp = parse_jsep(jsep, expect="answer")
        async with self._sig_lock:
            await self._apply_answer_locked(sdp)

    async def _apply_answer_locked(self, sdp: str) -> None:
        current = self._remote()
        if self._pc.signalingState == "stable" and current is not None and current.sdp == sdp:
            return
        try:
            await self._set_remote(RTCSessionDescription(sdp=sdp, type="answer"))
        except Exception as exc:
            self._answer_error = NegotiationFailed(f"Janus's answer was refused: {exc}")
            self._awaiting_answer = False
            self._changed.notify()
            raise self._answer_error from exc
        self._awaiting_answer = False
        self._changed.notify()

    async def apply_offer(self, jsep: Mapping[str, Any]) -> None:
        """Apply an offer Janus made (VideoRoom subscriptions, incoming VideoCalls,
        Streaming, TextRoom...); then add tracks or channels and :meth:`create_answer`.

        Raises:
            ValueError: not a JSEP offer.
            NegotiationFailed: aiortc refused it.
        """
        self._check_open()
        _kind, sdp = parse_jsep(jsep, expect="offer")
        async with self._sig_lock:
            try:
                await self._set_remote(RTCSessionDescription(sdp=sdp, type="offer"))
            except Exception as exc:
                raise NegotiationFailed(f"Janus's offer was refused: {exc}") from exc

    async def create_answer(self) -> Jsep:
        """Our answer to the offer applied by :meth:`apply_offer`: the JSEP to send back
        (e.g. with VideoRoom ``start`` or VideoCall ``accept``)."""
        self._check_open()
        async with self._sig_lock:
            await self._pc.setLocalDescription(await self._pc.createAnswer())
            contain_stun_errors(self._pc)  # (the sockets exist once gathered)
            return self._local_jsep()

    async def answer(self, jsep: Mapping[str, Any]) -> Jsep:
        """:meth:`apply_offer` then :meth:`create_answer`."""
        await self.apply_offer(jsep)
        return await self.create_answer()

    async def negotiate(self, send: Callable[[Jsep], Awaitable[_R]]) -> _R:
        """Offer, send the offer with ``send`` (a typed plugin request), apply the answer.

        ``send`` gets the JSEP, e.g. ``lambda jsep: echo.configure(audio=True, jsep=jsep)``.
        When the reply carries the answer it is applied before this returns; otherwise
        (VideoCall's ``call``) the event reader applies it when it comes: await
        :meth:`wait_answer`. With ``trickle``, our candidates are trickled after the reply.
        Returns the plugin's reply.
        """
        offer = await self.create_offer()
        try:
            reply = await send(offer)
        except BaseException:
            self._awaiting_answer = False  # no answer will come for this offer
            self._changed.notify()
            raise
        if reply.jsep is not None:
            await self.apply_answer(reply.jsep)
        if self.trickle:
            await self.send_candidates()
        return reply

    async def accept(self, offer: Mapping[str, Any], send: Callable[[Jsep], Awaitable[_R]]) -> _R:
        """Answer Janus's ``offer`` and send the answer with ``send`` (e.g.
        ``lambda jsep: subscriber.start(jsep)``); returns the plugin's reply. With
        ``trickle``, our candidates are trickled after it."""
        answer = await self.answer(offer)
        reply = await send(answer)
        if self.trickle:
            await self.send_candidates()
        return reply

    async def wait_offer(self, *, timeout: float | None = None) -> PluginData:
        """The first queued or coming plugin event with a JSEP offer from Janus (VideoRoom's
        ``updated`` after ``updating``, or when a publisher leaves a subscription with
        ``autoupdate``). Other events stay queued. Answer it with :meth:`accept`.

        Raises:
            as :meth:`next_event`.
        """

        def is_offer(event: PluginEventItem) -> bool:
            return (
                isinstance(event, PluginData)
                and event.jsep is not None
                and event.jsep.get("type") == "offer"
            )

        found = await self.expect(is_offer, timeout=timeout)
        assert isinstance(found, PluginData)
        return found

    async def renegotiate(
        self,
        reply: PluginData,
        send: Callable[[Jsep], Awaitable[_R]],
        *,
        timeout: float | None = None,
    ) -> _R | None:
        """Answer the new offer a request of ours led to and send the answer with ``send``
        (e.g. ``subscriber.start``): the offer in ``reply.jsep`` (VideoRoom ``updated``
        after ``subscribe``, ``unsubscribe``, ``update``, ``configure(restart=True)``...),
        or, when ``reply`` is VideoRoom's ``updating`` (a renegotiation was under way), the
        offer of the ``updated`` event Janus sends later.

        Returns ``send``'s reply, or None when Janus offered nothing (an ``updated``
        without a JSEP: the SDP did not change).

        Raises:
            ValueError: ``reply.jsep`` is not an offer.
            TimeoutError: the awaited offer did not come within ``timeout`` seconds.
            NegotiationFailed: aiortc refused the offer.
        """
        if reply.jsep is None and isinstance(reply, videoroom.Updating):
            reply = await self.wait_offer(timeout=timeout)
        if reply.jsep is None:
            return None
        parse_jsep(reply.jsep, expect="offer")
        return await self.accept(reply.jsep, send)

    async def wait_answer(self, *, timeout: float | None = None) -> None:
        """Wait until our last offer's answer is applied (returns at once when none is
        awaited).

        Raises:
            NegotiationFailed: the answer was refused, or Janus hung up first.
            PeerConnectionClosed: closed meanwhile.
            TimeoutError: not within ``timeout`` seconds.
        """

        async def answered() -> None:
            while self._awaiting_answer:
                self._check_open()
                if self._hangup is not None:
                    raise NegotiationFailed(f"Janus hung up before answering: {self._hangup}")
                await self._changed.wait()
            if self._answer_error is not None:
                raise self._answer_error

        await within(timeout, answered())

    async def send_candidates(self) -> None:
        """Trickle the candidates of our last SDP, then ``completed`` (done for you by
        :meth:`negotiate` and :meth:`accept` when ``trickle`` is on; call it after sending
        a JSEP yourself)."""
        self._check_open()
        desc = self._local()
        if desc is None:
            raise NegotiationFailed("no local description: nothing to trickle")
        await self.handle.trickle(local_candidates(desc.sdp), completed=True)

    async def _set_remote(self, description: RTCSessionDescription) -> None:
        """(under ``_sig_lock``) Apply Janus's SDP, then the candidates it trickled early."""
        previous = self._remote()
        if previous is not None and _ice_ufrags(previous.sdp) != _ice_ufrags(description.sdp):
            logger.warning(
                "%r: Janus restarts ICE (new credentials); aiortc cannot: the connection "
                "keeps its old ICE session, and fails when consent expires (~30 s)",
                self,
            )
        await self._pc.setRemoteDescription(description)
        self._remote_candidates.extend(sdp_candidates(description.sdp))
        pending, self._pending = self._pending, []
        for candidate in pending:
            await self._add_candidate(candidate, description.sdp)

    async def _add_candidate(self, candidate: jp.Candidate | None, remote_sdp: str) -> None:
        if candidate is None:
            await self._pc.addIceCandidate(None)
            return
        self._remote_candidates.append(candidate.candidate)
        try:
            rtc = to_rtc_candidate(candidate, remote_sdp)
        except ValueError as exc:
            logger.warning("%r: trickled candidate not usable (%s)", self, exc)
            return
        await self._pc.addIceCandidate(rtc)

    # -- remote media ------------------------------------------------------------------

    def _on_track(self, track: MediaStreamTrack) -> None:
        mid = next((t.mid for t in self._pc.getTransceivers() if t.receiver.track is track), None)
        self._tracks.append(RemoteTrack(kind=track.kind, mid=mid, track=track))
        self._changed.notify()

    def _on_datachannel(self, raw: Any) -> None:
        self._channels.append(DataChannel(raw))
        self._changed.notify()

    async def wait_track(
        self, kind: str | None = None, *, mid: str | None = None, timeout: float | None = None
    ) -> RemoteTrack:
        """The first remote track of ``kind`` (and ``mid``), now or when it comes.

        Raises:
            PeerConnectionClosed: closed first.
            TimeoutError: none within ``timeout`` seconds.
        """

        def fits(t: RemoteTrack) -> bool:
            return (kind is None or t.kind == kind) and (mid is None or t.mid == mid)

        async def found() -> RemoteTrack:
            while True:
                match = next((t for t in self._tracks if fits(t)), None)
                if match is not None:
                    return match
                self._check_open()
                await self._changed.wait()

        return await within(timeout, found())

    async def tracks(self) -> AsyncIterator[RemoteTrack]:
        """Every remote track, those there already first; ends when the connection
        closes. Each iteration sees all of them (several readers are fine)."""
        seen = 0
        while True:
            while seen < len(self._tracks):
                seen += 1
                yield self._tracks[seen - 1]
            if self._closed:
                return
            await self._changed.wait()

    async def wait_data_channel(
        self, label: str | None = None, *, timeout: float | None = None
    ) -> DataChannel:
        """The first data channel Janus opened (with ``label``), now or when it comes.

        TextRoom and Streaming open none: there the client creates ``JanusDataChannel``
        with :meth:`create_data_channel` between :meth:`apply_offer` and the answer.

        Raises:
            PeerConnectionClosed: closed first.
            TimeoutError: none within ``timeout`` seconds.
        """

        async def found() -> DataChannel:
            while True:
                match = next((c for c in self._channels if label is None or c.label == label), None)
                if match is not None:
                    return match
                self._check_open()
                await self._changed.wait()

        return await within(timeout, found())

    async def wait_connected(self, *, timeout: float | None = None) -> None:
        """Wait until aiortc's side is connected (ICE and DTLS up).

        Raises:
            NegotiationFailed: the connection failed.
            PeerConnectionClosed: closed first.
            TimeoutError: not within ``timeout`` seconds.
        """

        async def connected() -> None:
            while self._pc.connectionState != "connected":
                self._check_open()
                if self._pc.connectionState in ("failed", "closed"):
                    raise NegotiationFailed(f"connection {self._pc.connectionState}")
                await self._changed.wait()

        await within(timeout, connected())

    async def wait_webrtcup(self, *, timeout: float | None = None) -> None:
        """Wait until Janus reports ``webrtcup`` (the event itself is still queued for
        :meth:`next_event`).

        Raises:
            NegotiationFailed: Janus hung up first.
            PeerConnectionClosed: closed (or the handle gone) first.
            TimeoutError: not within ``timeout`` seconds.
        """

        async def up() -> None:
            while not self._webrtcup:
                if self._hangup is not None:
                    raise NegotiationFailed(f"Janus hung up: {self._hangup.reason}")
                self._check_open()
                if self._end is not None:
                    raise PeerConnectionClosed(f"{self!r}: event stream ended ({self._end})")
                await self._changed.wait()

        await within(timeout, up())

    async def wait_media(
        self, key: str | None = None, *, receiving: bool = True, timeout: float | None = None
    ) -> str:
        """Wait until a Janus ``media`` event says it is (or, with ``receiving=False``, is
        no longer) receiving our media on mid ``key`` (or of type ``key``, where Janus gave
        no mid; any, when None); returns the key. The events stay queued.

        Raises:
            PeerConnectionClosed: closed (or the handle gone) first.
            TimeoutError: not within ``timeout`` seconds.
        """

        async def seen() -> str:
            while True:
                for name, state in self._media.items():
                    if (key is None or name == key) and state is receiving:
                        return name
                self._check_open()
                if self._end is not None:
                    raise PeerConnectionClosed(f"{self!r}: event stream ended ({self._end})")
                await self._changed.wait()

        return await within(timeout, seen())

    async def get_stats(self) -> dict[str, Any]:
        """aiortc's statistics report."""
        return dict(await self._pc.getStats())

    # -- events ------------------------------------------------------------------------

    async def _pump(self) -> None:
        """Read the handle's events for good; never raises."""
        try:
            while True:
                event = await self.handle.next_event()
                try:
                    await self._observe(event)
                except Exception:  # a bad candidate or SDP must not stop the reader
                    logger.exception("%r: handling %r failed", self, event)
                self._deliver(event)
        except (HandleClosed, EventOverflow) as exc:
            self._end = exc
        except asyncio.CancelledError:  # by close(): reads go to the handle from now on
            raise
        except Exception as exc:  # pragma: no cover - defensive
            logger.exception("%r: event reader failed", self)
            self._end = exc
        finally:
            self._changed.notify()

    async def _observe(self, event: PluginEventItem) -> None:
        match event:
            case jp.TrickleReceived(candidate=candidate, completed=completed):
                await self._on_trickle(None if completed else candidate)
            case jp.WebRTCUp():
                self._webrtcup = True
            case jp.MediaChanged(type=kind, mid=mid, receiving=receiving):
                self._media[mid if mid is not None else kind] = receiving
            case jp.HungUp():
                self._hangup = event
                self._webrtcup = False
            case PluginData(jsep=jsep) if jsep is not None and self._awaiting_answer:
                if jsep.get("type") == "answer" and isinstance(jsep.get("sdp"), str):
                    async with self._sig_lock:
                        await self._apply_answer_locked(jsep["sdp"])
        self._changed.notify()

    async def _on_trickle(self, candidate: jp.Candidate | None) -> None:
        async with self._sig_lock:
            remote = self._remote()
            if remote is None:
                self._pending.append(candidate)
            else:
                await self._add_candidate(candidate, remote.sdp)

    def _direct_source(self) -> Callable[[], Awaitable[PluginEventItem]] | None:
        if self._closed and self._pump_task.done():
            return self.handle.next_event
        return None

    # -- closing -----------------------------------------------------------------------

    async def close(self, *, hangup: bool = True, timeout: float = 5.0) -> None:
        """Hang up (Janus's ``hangup``; the handle stays attached), close the peer
        connection, stop the tracks it was given and its event reader. Idempotent.

        Keep reading events here (:meth:`next_event`, :meth:`expect`): first those it
        holds, then the handle's, in order.
        """
        if self._closed:
            return
        self._closed = True
        try:
            negotiated = self._local() is not None
            if hangup and negotiated and not self.handle.closed and self._hangup is None:
                try:
                    await self.handle.hangup(timeout=timeout)
                except (
                    jp.JanusError,
                    TransportError,
                    ConnectionClosed,
                    HandleClosed,
                    SessionClosed,
                    RequestTimeout,
                ) as exc:
                    logger.debug("%r: hangup failed: %r", self, exc)
        finally:
            self._pump_task.cancel()
            await asyncio.wait([self._pump_task])
            await self._pc.close()
            for track in self._owned:
                track.stop()
            for channel in (*self._channels, *self._own_channels):
                channel._peer_closed()
            self._changed.notify()
