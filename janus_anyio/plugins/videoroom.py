"""VideoRoom handles: room management, publishers and subscribers.

Janus gives a VideoRoom handle one role for its lifetime, set by its first ``join``: a
publisher (a participant that may publish one PeerConnection) or a subscriber (one
PeerConnection receiving streams of any publishers). The requests and their answers differ
by role (``configure`` and ``leave`` exist in both with other fields and replies), so the
roles are two classes, :class:`VideoRoomPublisher` and :class:`VideoRoomSubscriber`, and the
type checker catches a subscriber request sent on a publisher handle. Both inherit the
synchronous room-management requests (create, edit, destroy, kick, moderate, RTP
forwarders...) from :class:`VideoRoomHandle`, which is also the handle to attach when you
only manage rooms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import janus_proto as jp
from janus_proto.plugins import PluginCodec, PluginData, videoroom

from ._base import PluginHandle

__all__ = ["VideoRoomHandle", "VideoRoomPublisher", "VideoRoomSubscriber"]

_D = TypeVar("_D", bound=PluginData)

RoomId = int | str
Jsep = Mapping[str, Any]


def _expect(reply: PluginData, cls: type[_D]) -> _D:
    if not isinstance(reply, cls):
        raise jp.RemoteProtocolError(
            f"expected a {cls.__name__} answer, got {type(reply).__name__}", raw=reply.raw
        )
    return reply


class VideoRoomHandle(PluginHandle):
    """``janus.plugin.videoroom``: the synchronous room-management requests.

    Every method raises the :class:`~janus_proto.plugins.videoroom.VideoRoomError` subclass
    of the plugin's error code (e.g. ``NoSuchRoom``, ``Unauthorized``).
    """

    PLUGIN: ClassVar[str] = videoroom.PLUGIN
    CODEC: ClassVar[PluginCodec | None] = videoroom.CODEC

    async def create(
        self, room: RoomId | None = None, *, timeout: float | None = None, **settings: Any
    ) -> videoroom.Created:
        """Create a room; ``settings`` are the fields of
        :class:`~janus_proto.plugins.videoroom.Create` (``secret``, ``pin``,
        ``publishers``, ``notify_joining``, ``dummy_publisher``...)."""
        request = videoroom.Create(room=room, **settings)
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
        new_require_pvtid: bool | None = None,
        new_bitrate: int | None = None,
        new_fir_freq: int | None = None,
        new_publishers: int | None = None,
        new_lock_record: bool | None = None,
        new_rec_dir: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> videoroom.Edited:
        """Change some settings of a room."""
        request = videoroom.Edit(
            room=room,
            secret=secret,
            new_description=new_description,
            new_secret=new_secret,
            new_pin=new_pin,
            new_is_private=new_is_private,
            new_require_pvtid=new_require_pvtid,
            new_bitrate=new_bitrate,
            new_fir_freq=new_fir_freq,
            new_publishers=new_publishers,
            new_lock_record=new_lock_record,
            new_rec_dir=new_rec_dir,
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
    ) -> videoroom.Destroyed:
        """Destroy a room (its participants get ``Destroyed``)."""
        request = videoroom.Destroy(room=room, secret=secret, permanent=permanent)
        return await self.request(request, timeout=timeout)

    async def exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Whether the room exists."""
        return (await self.request(videoroom.Exists(room=room), timeout=timeout)).exists

    async def list_rooms(
        self, *, admin_key: str | None = None, timeout: float | None = None
    ) -> tuple[videoroom.RoomInfo, ...]:
        """The rooms (private ones too with the plugin's ``admin_key``)."""
        reply = await self.request(videoroom.ListRooms(admin_key=admin_key), timeout=timeout)
        return reply.rooms

    async def allowed(
        self,
        room: RoomId,
        action: str,
        allowed: Sequence[str] | None = None,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.AllowedList:
        """Manage the room's tokens: ``action`` is enable, disable, add or remove."""
        request = videoroom.Allowed(room=room, action=action, allowed=allowed, secret=secret)
        return await self.request(request, timeout=timeout)

    async def kick(
        self,
        room: RoomId,
        id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.Success:
        """Kick participant ``id`` (it gets ``Leaving`` with reason "kicked")."""
        request = videoroom.Kick(room=room, id=id, secret=secret)
        return await self.request(request, timeout=timeout)

    async def moderate(
        self,
        room: RoomId,
        id: RoomId,
        mid: str,
        mute: bool,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.Success:
        """Mute (or unmute) stream ``mid`` of participant ``id``."""
        request = videoroom.Moderate(room=room, id=id, mid=mid, mute=mute, secret=secret)
        return await self.request(request, timeout=timeout)

    async def list_participants(
        self, room: RoomId, *, timeout: float | None = None
    ) -> tuple[videoroom.Participant, ...]:
        """The participants of the room."""
        reply = await self.request(videoroom.ListParticipants(room=room), timeout=timeout)
        return reply.participants

    async def list_forwarders(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> tuple[videoroom.PublisherForwarders, ...]:
        """The RTP forwarders of the room, by publisher."""
        request = videoroom.ListForwarders(room=room, secret=secret)
        return (await self.request(request, timeout=timeout)).publishers

    async def enable_recording(
        self,
        room: RoomId,
        record: bool,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.RecordingState:
        """Start or stop recording the whole room."""
        request = videoroom.EnableRecording(room=room, record=record, secret=secret)
        return await self.request(request, timeout=timeout)

    async def rtp_forward(
        self,
        room: RoomId,
        publisher_id: RoomId,
        host: str,
        streams: Sequence[videoroom.ForwardStream],
        *,
        host_family: str | None = None,
        secret: str | None = None,
        admin_key: str | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.RtpForwarded:
        """Forward streams of a publisher over RTP to ``host``."""
        request = videoroom.RtpForward(
            room=room,
            publisher_id=publisher_id,
            host=host,
            streams=streams,
            host_family=host_family,
            secret=secret,
            admin_key=admin_key,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
        )
        return await self.request(request, timeout=timeout)

    async def stop_rtp_forward(
        self,
        room: RoomId,
        publisher_id: RoomId,
        stream_id: int,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.RtpForwardStopped:
        """Stop the forwarder ``stream_id``."""
        request = videoroom.StopRtpForward(
            room=room,
            publisher_id=publisher_id,
            stream_id=stream_id,
            secret=secret,
            admin_key=admin_key,
        )
        return await self.request(request, timeout=timeout)

    async def publish_remotely(
        self,
        room: RoomId,
        publisher_id: RoomId,
        remote_id: str,
        host: str,
        port: int,
        *,
        host_family: str | None = None,
        rtcp_port: int | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.PublishedRemotely:
        """Relay a local publisher to a remote publisher on another Janus."""
        request = videoroom.PublishRemotely(
            room=room,
            publisher_id=publisher_id,
            remote_id=remote_id,
            host=host,
            port=port,
            host_family=host_family,
            rtcp_port=rtcp_port,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
            secret=secret,
        )
        return await self.request(request, timeout=timeout)

    async def unpublish_remotely(
        self,
        room: RoomId,
        publisher_id: RoomId,
        remote_id: str,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.UnpublishedRemotely:
        """Stop relaying a local publisher to ``remote_id``."""
        request = videoroom.UnpublishRemotely(
            room=room, publisher_id=publisher_id, remote_id=remote_id, secret=secret
        )
        return await self.request(request, timeout=timeout)

    async def list_remotes(
        self,
        room: RoomId,
        publisher_id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> tuple[videoroom.Remotization, ...]:
        """Where a local publisher is relayed to."""
        request = videoroom.ListRemotes(room=room, publisher_id=publisher_id, secret=secret)
        return (await self.request(request, timeout=timeout)).remotes

    async def add_remote_publisher(
        self,
        room: RoomId,
        streams: Sequence[videoroom.RemoteStream],
        *,
        id: RoomId | None = None,
        display: str | None = None,
        mcast: str | None = None,
        iface: str | None = None,
        port: int | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.RemotePublisherAdded:
        """Add a publisher fed over RTP by another Janus; the reply says where to send."""
        request = videoroom.AddRemotePublisher(
            room=room,
            streams=streams,
            id=id,
            display=display,
            mcast=mcast,
            iface=iface,
            port=port,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
            secret=secret,
        )
        return await self.request(request, timeout=timeout)

    async def update_remote_publisher(
        self,
        room: RoomId,
        id: RoomId,
        streams: Sequence[videoroom.RemoteStream],
        *,
        display: str | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.Success:
        """Change a remote publisher's display or streams."""
        request = videoroom.UpdateRemotePublisher(
            room=room,
            id=id,
            streams=streams,
            display=display,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
            secret=secret,
        )
        return await self.request(request, timeout=timeout)

    async def remove_remote_publisher(
        self,
        room: RoomId,
        id: RoomId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.Success:
        """Remove a remote publisher."""
        request = videoroom.RemoveRemotePublisher(room=room, id=id, secret=secret)
        return await self.request(request, timeout=timeout)


class VideoRoomPublisher(VideoRoomHandle):
    """A participant handle: join a room, publish one PeerConnection, see the others come
    and go (``NewPublishers``, ``PublisherUnpublished``, ``ParticipantLeft``... on
    :meth:`events`)."""

    async def join(
        self,
        room: RoomId,
        *,
        id: RoomId | None = None,
        display: str | None = None,
        token: str | None = None,
        pin: str | None = None,
        timeout: float | None = None,
    ) -> videoroom.Joined:
        """Join ``room`` as a participant (``id`` chosen by Janus when omitted)."""
        request = videoroom.JoinPublisher(room=room, id=id, display=display, token=token, pin=pin)
        return await self.request(request, timeout=timeout)

    async def join_and_configure(
        self,
        room: RoomId,
        jsep: Jsep,
        *,
        id: RoomId | None = None,
        display: str | None = None,
        token: str | None = None,
        pin: str | None = None,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        descriptions: Sequence[videoroom.StreamDescription] | None = None,
        timeout: float | None = None,
    ) -> videoroom.Joined:
        """Join and publish the JSEP offer at once (the answer is in the reply's ``jsep``)."""
        request = videoroom.JoinAndConfigure(
            room=room,
            id=id,
            display=display,
            token=token,
            pin=pin,
            audiocodec=audiocodec,
            videocodec=videocodec,
            bitrate=bitrate,
            record=record,
            filename=filename,
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            descriptions=descriptions,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def publish(
        self,
        jsep: Jsep,
        *,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        display: str | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        descriptions: Sequence[videoroom.StreamDescription] | None = None,
        timeout: float | None = None,
    ) -> videoroom.Configured:
        """Publish the JSEP offer (the answer is in the reply's ``jsep``)."""
        request = videoroom.Publish(
            audiocodec=audiocodec,
            videocodec=videocodec,
            bitrate=bitrate,
            record=record,
            filename=filename,
            display=display,
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            descriptions=descriptions,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def configure(
        self,
        *,
        bitrate: int | None = None,
        keyframe: bool | None = None,
        record: bool | None = None,
        filename: str | None = None,
        display: str | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        streams: Sequence[videoroom.PublisherStreamConfig] | None = None,
        descriptions: Sequence[videoroom.StreamDescription] | None = None,
        update: bool | None = None,
        restart: bool | None = None,
        jsep: Jsep | None = None,
        timeout: float | None = None,
    ) -> videoroom.Configured:
        """Change the publisher's settings; a JSEP offer renegotiates."""
        request = videoroom.ConfigurePublisher(
            bitrate=bitrate,
            keyframe=keyframe,
            record=record,
            filename=filename,
            display=display,
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            streams=streams,
            descriptions=descriptions,
            update=update,
            restart=restart,
        )
        return await self.request(request, jsep=jsep, timeout=timeout)

    async def unpublish(self, *, timeout: float | None = None) -> videoroom.Unpublished:
        """Stop publishing (``NotPublished`` if not publishing)."""
        return await self.request(videoroom.Unpublish(), timeout=timeout)

    async def leave(self, *, timeout: float | None = None) -> videoroom.Leaving:
        """Leave the room (unpublishing first if needed).

        Raises:
            RemoteProtocolError: Janus answered as to a subscriber.
        """
        reply = await self.request(videoroom.Leave(), timeout=timeout)
        return _expect(reply, videoroom.Leaving)


class VideoRoomSubscriber(VideoRoomHandle):
    """A subscription handle: one PeerConnection receiving streams of any publishers.

    Janus offers (in ``Attached``, ``Updated``, or ``Configured`` after a restart); answer
    each offer with :meth:`start` and the JSEP answer.
    """

    async def join(
        self,
        room: RoomId,
        streams: Sequence[videoroom.SubscribeStream],
        *,
        private_id: int | None = None,
        pin: str | None = None,
        token: str | None = None,
        use_msid: bool | None = None,
        autoupdate: bool | None = None,
        timeout: float | None = None,
    ) -> videoroom.Attached:
        """Subscribe to ``streams`` in ``room``; the reply carries Janus's JSEP offer."""
        request = videoroom.JoinSubscriber(
            room=room,
            streams=streams,
            private_id=private_id,
            pin=pin,
            token=token,
            use_msid=use_msid,
            autoupdate=autoupdate,
        )
        return await self.request(request, timeout=timeout)

    async def start(
        self, jsep: Jsep | None = None, *, timeout: float | None = None
    ) -> videoroom.Started:
        """Answer Janus's offer (``jsep``), or resume after :meth:`pause` (no ``jsep``)."""
        return await self.request(videoroom.Start(), jsep=jsep, timeout=timeout)

    async def pause(self, *, timeout: float | None = None) -> videoroom.Paused:
        """Pause the whole subscription."""
        return await self.request(videoroom.Pause(), timeout=timeout)

    async def configure(
        self,
        *,
        streams: Sequence[videoroom.SubscriberStreamConfig] | None = None,
        restart: bool | None = None,
        update: bool | None = None,
        timeout: float | None = None,
    ) -> videoroom.Configured:
        """Change per-m-line settings (send, simulcast/SVC targets...); ``restart=True``
        gets an ICE-restart offer in the reply's ``jsep``."""
        request = videoroom.ConfigureSubscriber(streams=streams, restart=restart, update=update)
        return await self.request(request, timeout=timeout)

    async def switch(
        self, streams: Sequence[videoroom.SwitchStream], *, timeout: float | None = None
    ) -> videoroom.Switched:
        """Feed m-lines from other publishers' streams without renegotiating."""
        return await self.request(videoroom.Switch(streams=streams), timeout=timeout)

    async def subscribe(
        self, streams: Sequence[videoroom.SubscribeStream], *, timeout: float | None = None
    ) -> videoroom.Updated | videoroom.Updating:
        """Add streams: ``Updated`` with a new offer, or ``Updating`` (the offer comes in a
        later ``Updated`` event) while a renegotiation is pending."""
        return await self.request(videoroom.Subscribe(streams=streams), timeout=timeout)

    async def unsubscribe(
        self, streams: Sequence[videoroom.UnsubscribeStream], *, timeout: float | None = None
    ) -> videoroom.Updated | videoroom.Updating:
        """Remove streams (answered like :meth:`subscribe`)."""
        return await self.request(videoroom.Unsubscribe(streams=streams), timeout=timeout)

    async def update(
        self,
        *,
        subscribe: Sequence[videoroom.SubscribeStream] | None = None,
        unsubscribe: Sequence[videoroom.UnsubscribeStream] | None = None,
        timeout: float | None = None,
    ) -> videoroom.Updated | videoroom.Updating:
        """Add and remove streams in one renegotiation (answered like :meth:`subscribe`)."""
        request = videoroom.Update(subscribe=subscribe, unsubscribe=unsubscribe)
        return await self.request(request, timeout=timeout)

    async def leave(self, *, timeout: float | None = None) -> videoroom.Left:
        """Close the subscription (the PeerConnection hangs up next).

        Raises:
            RemoteProtocolError: Janus answered as to a publisher.
        """
        reply = await self.request(videoroom.Leave(), timeout=timeout)
        return _expect(reply, videoroom.Left)
