"""janus_client's public names: curated, documented, typed."""

from __future__ import annotations

import inspect
from pathlib import Path

import janus_client


def test_all_names_exist_are_documented_and_report_the_package() -> None:
    assert isinstance(janus_client.__all__, tuple)
    assert len(set(janus_client.__all__)) == len(janus_client.__all__)
    for name in janus_client.__all__:
        obj = getattr(janus_client, name)
        assert inspect.getdoc(obj), f"{name} has no docstring"
        if inspect.isclass(obj) and name != "MessageTransaction":
            assert obj.__module__ == "janus_client", name


def test_public_methods_are_documented() -> None:
    for name in janus_client.__all__:
        obj = getattr(janus_client, name)
        if not inspect.isclass(obj):
            continue
        for attr, member in vars(obj).items():
            if attr.startswith("_") or not callable(member):
                continue
            assert inspect.getdoc(member), f"{name}.{attr} has no docstring"


def test_seed_and_09_names() -> None:
    seed = {
        "JanusSession": ["create", "destroy", "attach_plugin", "send"],
        "JanusPlugin": ["attach", "destroy", "send", "trickle", "on_receive", "id", "pc"],
        "JanusEchoTestPlugin": ["close_stream", "start", "wait_webrtcup"],
        "JanusVideoCallPlugin": [
            "register", "call", "hangup", "on_incoming_call", "list_users", "accept",
            "set_media", "on_event", "username", "in_call",
        ],
        "JanusVideoRoomPlugin": [
            "allowed", "create_room", "destroy_room", "edit", "exists", "join", "kick",
            "leave", "list_participants", "list_room", "moderate", "pause", "publish",
            "start", "subscribe_and_start", "unpublish", "unsubscribe", "list_rooms",
            "join_as_publisher", "configure", "subscribe_to_publisher", "subscribe",
            "switch_publisher", "kick_participant", "moderate_participant", "room_id",
            "publisher_id", "private_id", "display_name", "participant_type",
            "is_publishing",
        ],
        "JanusTextRoomPlugin": [
            "setup", "list_rooms", "list_participants", "create_room", "destroy_room",
            "join_room", "leave_room", "send_message", "send_announcement",
            "kick_participant",
        ],
        "JanusTransport": [
            "_send", "create_transport", "register_transport", "dispatch_session_created",
            "dispatch_session_destroyed", "info", "connect", "disconnect", "ping",
        ],
        "JanusTransportWebsocket": ["connected"],
        "JanusAdminMonitorClient": [
            "connect", "disconnect", "ping", "info", "loops_info", "get_settings",
            "set_session_timeout", "set_log_level", "set_log_timestamps", "set_log_colors",
            "set_locking_debug", "set_refcount_debug", "set_libnice_debug",
            "set_min_nack_queue", "set_no_media_timer", "set_slowlink_threshold",
            "list_tokens", "add_token", "remove_token", "allow_token", "disallow_token",
            "send",
        ],
    }  # fmt: skip
    for cls_name, attrs in seed.items():
        cls = getattr(janus_client, cls_name)
        missing = [a for a in attrs if not hasattr(cls, a)]
        assert not missing, f"{cls_name} lacks {missing}"
    assert janus_client.JanusEchoTestPlugin.name == "janus.plugin.echotest"
    assert janus_client.JanusVideoCallPlugin.name == "janus.plugin.videocall"
    assert janus_client.JanusVideoRoomPlugin.name == "janus.plugin.videoroom"
    assert janus_client.JanusTextRoomPlugin.name == "janus.plugin.textroom"
    assert [a.value for a in janus_client.AllowedAction] == ["enable", "disable", "add", "remove"]
    assert {e.name for e in janus_client.VideoCallEventType} == {
        "REGISTERED", "CALLING", "INCOMINGCALL", "ACCEPTED", "UPDATE", "HANGUP", "SET",
    }  # fmt: skip
    assert {e.name for e in janus_client.TextRoomEventType} == {
        "JOIN", "LEAVE", "KICKED", "DESTROYED", "MESSAGE", "ANNOUNCEMENT", "ERROR",
    }  # fmt: skip
    from janus_client.message_transaction import MessageTransaction, is_subset

    assert MessageTransaction is janus_client.MessageTransaction
    assert is_subset({"a": {"b": 1, "c": "x"}, "d": [1]}, {"a": {"b": 1}, "d": None})
    assert not is_subset({"a": {"b": 1}}, {"a": {"b": 2}})
    assert not is_subset({"a": 1}, {"z": None})


def test_errors_carry_code_and_message() -> None:
    for cls in (janus_client.VideoCallError, janus_client.VideoRoomError,
                janus_client.TextRoomError):  # fmt: skip
        error = cls(426, "No such room")
        assert (error.error_code, error.error_message) == (426, "No such room")
        assert "426" in str(error)
    fail = janus_client.PluginAttachFail(janus_client.JanusEchoTestPlugin(), "nope")
    assert "janus.plugin.echotest" in str(fail)


def test_py_typed() -> None:
    assert (Path(janus_client.__file__).parent / "py.typed").exists()
