"""AudioBridge handle: audio conference rooms mixed by Janus."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from janus_proto.plugins import PluginCodec, audiobridge

from ._base import PluginHandle

__all__ = ["AudioBridgeHandle"]

RoomId = int | str
Jsep = Mapping[str, Any]


class AudioBridgeHandle(PluginHandle):
    """``janus.plugin.audiobridge``: one handle is one participant, and may manage rooms.

    Join with :meth:`join`, then send an audio-only JSEP offer with :meth:`configure` (or
    with the join); Janus's answer is on the reply's ``jsep``. Other participants' joins,
    changes, departures, kicks, talking and announcements come on :meth:`events` as
    :mod:`janus_proto.plugins.audiobridge` classes. Every method raises the
    :class:`~janus_proto.plugins.audiobridge.AudioBridgeError` subclass of the plugin's code
    (e.g. ``NoSuchRoom``, ``Unauthorized``, ``AlreadyJoined``).
    """

    PLUGIN: ClassVar[str] = audiobridge.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = audiobridge.CODEC

    # -- rooms ---------------------------------------------------------------------------

    async def create(
        self,
        room: RoomId | None = None,
        *,
        permanent: bool | None = None,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        allowed: Sequence[str] | None = None,
        sampling_rate: int | None = None,
        spatial_audio: bool | None = None,
        audiolevel_ext: bool | None = None,
        audiolevel_event: bool | None = None,
        audio_active_packets: int | None = None,
        audio_level_average: int | None = None,
        default_prebuffering: int | None = None,
        default_expectedloss: int | None = None,
        default_bitrate: int | None = None,
        record: bool | None = None,
        record_file: str | None = None,
        record_dir: str | None = None,
        mjrs: bool | None = None,
        mjrs_dir: str | None = None,
        allow_rtp_participants: bool | None = None,
        groups: Sequence[str] | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Created:
        """Create a room (``room`` None: Janus picks the id, in the reply)."""
        request = audiobridge.Create(
            room=room,
            permanent=permanent,
            description=description,
            secret=secret,
            pin=pin,
            is_private=is_private,
            allowed=allowed,
            sampling_rate=sampling_rate,
            spatial_audio=spatial_audio,
            audiolevel_ext=audiolevel_ext,
            audiolevel_event=audiolevel_event,
            audio_active_packets=audio_active_packets,
            audio_level_average=audio_level_average,
            default_prebuffering=default_prebuffering,
            default_expectedloss=default_expectedloss,
            default_bitrate=default_bitrate,
            record=record,
            record_file=record_file,
            record_dir=record_dir,
            mjrs=mjrs,
            mjrs_dir=mjrs_dir,
            allow_rtp_participants=allow_rtp_participants,
            groups=groups,
            admin_key=admin_key,
        )
        return await self.request(request, timeout=timeout)

    async def edit(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_is_private: bool | None = None,
        new_record_dir: str | None = None,
        new_mjrs_dir: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Edited:
        """Change some settings of a room."""
        request = audiobridge.Edit(
            room=room,
            secret=secret,
            new_description=new_description,
            new_secret=new_secret,
            new_pin=new_pin,
            new_is_private=new_is_private,
            new_record_dir=new_record_dir,
            new_mjrs_dir=new_mjrs_dir,
            permanent=permanent,
        )
        return await self.request(request, timeout=timeout)

    async def destroy(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Destroyed:
        """Destroy a room (its participants get ``Destroyed``)."""
        request = audiobridge.Destroy(room=room, secret=secret, permanent=permanent)
        return await self.request(request, timeout=timeout)

    async def exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Whether the room exists."""
        return (await self.request(audiobridge.Exists(room=room), timeout=timeout)).exists

    async def allowed(
        self,
        room: RoomId,
        action: str,
        allowed: Sequence[str] | None = None,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.AllowedList:
        """Manage the room's tokens: ``action`` is enable, disable, add or remove."""
        request = audiobridge.Allowed(room=room, action=action, allowed=allowed, secret=secret)
        return await self.request(request, timeout=timeout)

    async def list_rooms(self, *, timeout: float | None = None) -> tuple[audiobridge.RoomInfo, ...]:
        """The public rooms."""
        return (await self.request(audiobridge.ListRooms(), timeout=timeout)).rooms

    async def list_participants(
        self, room: RoomId, *, timeout: float | None = None
    ) -> tuple[audiobridge.Participant, ...]:
        """The participants of the room."""
        reply = await self.request(audiobridge.ListParticipants(room=room), timeout=timeout)
        return reply.participants

    # -- moderation ----------------------------------------------------------------------

    async def mute(
        self,
        room: RoomId,
        id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Success:
        """Mute participant ``id``."""
        request = audiobridge.Mute(room=room, id=id, secret=secret)
        return await self.request(request, timeout=timeout)

    async def unmute(
        self,
        room: RoomId,
        id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Success:
        """Unmute participant ``id``."""
        request = audiobridge.Unmute(room=room, id=id, secret=secret)
        return await self.request(request, timeout=timeout)

    async def mute_room(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> audiobridge.Success:
        """Mute the whole room (but its admins)."""
        request = audiobridge.MuteRoom(room=room, secret=secret)
        return await self.request(request, timeout=timeout)

    async def unmute_room(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> audiobridge.Success:
        """Unmute the whole room."""
        request = audiobridge.UnmuteRoom(room=room, secret=secret)
        return await self.request(request, timeout=timeout)

    async def kick(
        self,
        room: RoomId,
        id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Success:
        """Kick participant ``id`` out of the room."""
        request = audiobridge.Kick(room=room, id=id, secret=secret)
        return await self.request(request, timeout=timeout)

    async def kick_all(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> audiobridge.Success:
        """Kick every participant out of the room."""
        request = audiobridge.KickAll(room=room, secret=secret)
        return await self.request(request, timeout=timeout)

    async def reset_decoder(self, *, timeout: float | None = None) -> audiobridge.Success:
        """Recreate our Opus decoder (``resetdecoder``)."""
        return await self.request(audiobridge.ResetDecoder(), timeout=timeout)

    # -- recording and forwarding --------------------------------------------------------

    async def enable_recording(
        self,
        room: RoomId,
        record: bool,
        *,
        secret: str | None = None,
        record_file: str | None = None,
        record_dir: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.RecordingState:
        """Start or stop recording the mix to a .wav file."""
        request = audiobridge.EnableRecording(
            room=room,
            record=record,
            secret=secret,
            record_file=record_file,
            record_dir=record_dir,
        )
        return await self.request(request, timeout=timeout)

    async def enable_mjrs(
        self,
        room: RoomId,
        mjrs: bool,
        *,
        secret: str | None = None,
        mjrs_dir: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.MjrsState:
        """Start or stop recording each participant to its own .mjr file."""
        request = audiobridge.EnableMjrs(room=room, mjrs=mjrs, secret=secret, mjrs_dir=mjrs_dir)
        return await self.request(request, timeout=timeout)

    async def rtp_forward(
        self,
        room: RoomId,
        host: str,
        port: int,
        *,
        secret: str | None = None,
        host_family: str | None = None,
        group: str | None = None,
        ssrc: int | None = None,
        codec: str | None = None,
        ptype: int | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        always_on: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.RtpForwarded:
        """Forward the room's mix (or a ``group``'s) as RTP to ``host``:``port``."""
        request = audiobridge.RtpForward(
            room=room,
            host=host,
            port=port,
            secret=secret,
            host_family=host_family,
            group=group,
            ssrc=ssrc,
            codec=codec,
            ptype=ptype,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
            always_on=always_on,
            admin_key=admin_key,
        )
        return await self.request(request, timeout=timeout)

    async def stop_rtp_forward(
        self,
        room: RoomId,
        stream_id: int,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.RtpForwardStopped:
        """Remove the RTP forwarder ``stream_id``."""
        request = audiobridge.StopRtpForward(
            room=room, stream_id=stream_id, secret=secret, admin_key=admin_key
        )
        return await self.request(request, timeout=timeout)

    async def list_forwarders(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> tuple[audiobridge.Forwarder, ...]:
        """The room's RTP forwarders."""
        request = audiobridge.ListForwarders(room=room, secret=secret)
        return (await self.request(request, timeout=timeout)).forwarders

    # -- announcements -------------------------------------------------------------------

    async def play_file(
        self,
        room: RoomId,
        filename: str,
        *,
        secret: str | None = None,
        file_id: str | None = None,
        group: str | None = None,
        loop: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.PlaybackResult:
        """Play the .opus file ``filename`` (a path on the Janus host) into the mix."""
        request = audiobridge.PlayFile(
            room=room,
            filename=filename,
            secret=secret,
            file_id=file_id,
            group=group,
            loop=loop,
            admin_key=admin_key,
        )
        return await self.request(request, timeout=timeout)

    async def is_playing(
        self,
        room: RoomId,
        file_id: str,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Whether file ``file_id`` is still playing."""
        request = audiobridge.IsPlaying(
            room=room, file_id=file_id, secret=secret, admin_key=admin_key
        )
        return (await self.request(request, timeout=timeout)).playing

    async def stop_file(
        self,
        room: RoomId,
        file_id: str,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> audiobridge.PlaybackResult:
        """Stop playing file ``file_id``."""
        request = audiobridge.StopFile(
            room=room, file_id=file_id, secret=secret, admin_key=admin_key
        )
        return await self.request(request, timeout=timeout)

    # -- participation -------------------------------------------------------------------

    async def join(
        self,
        room: RoomId,
        *,
        id: RoomId | None = None,
        group: str | None = None,
        pin: str | None = None,
        display: str | None = None,
        token: str | None = None,
        muted: bool | None = None,
        codec: str | None = None,
        prebuffer: int | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        volume: int | None = None,
        spatial_position: int | None = None,
        secret: str | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        rtp: audiobridge.PlainRtp | None = None,
        generate_offer: bool | None = None,
        jsep: Jsep | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Joined:
        """Join ``room``; our ``id`` and the others are in the reply (with Janus's answer to
        ``jsep``, its offer with ``generate_offer``, its RTP address with ``rtp``)."""
        request = audiobridge.Join(
            room=room,
            id=id,
            group=group,
            pin=pin,
            display=display,
            token=token,
            muted=muted,
            codec=codec,
            prebuffer=prebuffer,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
            volume=volume,
            spatial_position=spatial_position,
            secret=secret,
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            record=record,
            filename=filename,
            rtp=rtp,
            generate_offer=generate_offer,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def configure(
        self,
        *,
        muted: bool | None = None,
        display: str | None = None,
        prebuffer: int | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        volume: int | None = None,
        spatial_position: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        group: str | None = None,
        generate_offer: bool | None = None,
        update: bool | None = None,
        jsep: Jsep | None = None,
        timeout: float | None = None,
    ) -> audiobridge.Configured:
        """Change our participation; with a JSEP offer (answer on the reply) or the answer
        to Janus's offer, set up the PeerConnection."""
        request = audiobridge.Configure(
            muted=muted,
            display=display,
            prebuffer=prebuffer,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
            volume=volume,
            spatial_position=spatial_position,
            record=record,
            filename=filename,
            group=group,
            generate_offer=generate_offer,
            update=update,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def change_room(
        self,
        room: RoomId,
        *,
        id: RoomId | None = None,
        group: str | None = None,
        pin: str | None = None,
        display: str | None = None,
        token: str | None = None,
        muted: bool | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        timeout: float | None = None,
    ) -> audiobridge.RoomChanged:
        """Move to ``room`` keeping the PeerConnection (``changeroom``); give ``group`` if
        the new room has groups (Janus 1.1.2 locks up otherwise)."""
        request = audiobridge.ChangeRoom(
            room=room,
            id=id,
            group=group,
            pin=pin,
            display=display,
            token=token,
            muted=muted,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
        )
        return await self.request(request, timeout=timeout)

    async def leave(self, *, timeout: float | None = None) -> audiobridge.Left:
        """Leave the room."""
        return await self.request(audiobridge.Leave(), timeout=timeout)

    async def hangup_media(self, *, timeout: float | None = None) -> audiobridge.HangingUp:
        """The plugin's ``hangup``: close our PeerConnection (1.1.2 also takes us out of the
        room); :meth:`hangup` is the core's."""
        return await self.request(audiobridge.Hangup(), timeout=timeout)
