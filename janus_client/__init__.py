"""janus_client: the API of the original janus-client, on top of our layers.

The seed API (``JanusSession``, ``JanusEchoTestPlugin``, ``JanusVideoCallPlugin``,
``JanusVideoRoomPlugin``, ``JanusTransport``...) and the janus-client 0.9 names beside it,
as thin glue over :mod:`janus_media`, :mod:`janus_anyio` and :mod:`janus_proto`. Asyncio
only (aiortc is)::

    session = JanusSession(base_url="ws://127.0.0.1:8188")
    echo = JanusEchoTestPlugin()
    await echo.attach(session=session)      # connects and creates the session
    await echo.start("clip.webm", "echo.webm")
    await echo.wait_webrtcup()
    await echo.destroy()
    await session.destroy()

Where the seed and janus-client 0.9 differ, the seed's signature wins and 0.9's form is
accepted too where Python allows it: every plugin call takes ``timeout=`` (seconds) as its
deadline; ``JanusVideoRoomPlugin.create_room`` returns True in the seed's form
(``room_id``, ``configuration`` dict) and the room id in 0.9's (no ``room_id``, or
settings as keywords); ``on_event`` handlers also hear the plugin's event answers to our
own requests (``JOINED`` after a join), as 0.9's did. ``JanusPlugin.send`` returns the
reply (the seed's form); 0.9's transaction form is ``JanusSession.send``.
"""

from __future__ import annotations

from ._admin import JanusAdminMonitorClient
from ._echotest import JanusEchoTestPlugin
from ._errors import PluginAttachFail, TextRoomError, VideoCallError, VideoRoomError
from ._plugin import JanusPlugin
from ._session import JanusSession
from ._textroom import JanusTextRoomPlugin, TextRoomEventType
from ._transport import JanusTransport, JanusTransportHTTP, JanusTransportWebsocket
from ._videocall import JanusVideoCallPlugin, VideoCallEventType
from ._videoroom import (
    AllowedAction,
    JanusVideoRoomPlugin,
    ParticipantType,
    VideoRoomEventType,
)
from .message_transaction import MessageTransaction, is_subset

__all__ = (
    "JanusSession",
    "JanusPlugin",
    "JanusEchoTestPlugin",
    "JanusVideoCallPlugin",
    "VideoCallEventType",
    "JanusVideoRoomPlugin",
    "AllowedAction",
    "ParticipantType",
    "VideoRoomEventType",
    "JanusTextRoomPlugin",
    "TextRoomEventType",
    "JanusTransport",
    "JanusTransportHTTP",
    "JanusTransportWebsocket",
    "JanusAdminMonitorClient",
    "MessageTransaction",
    "is_subset",
    "PluginAttachFail",
    "VideoCallError",
    "VideoRoomError",
    "TextRoomError",
)

for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("janus_client._"):
        _obj.__module__ = "janus_client"
del _name, _obj
