"""TextRoom codec: Janus-API bodies, data-channel texts, parsing, dispatch, errors, and the
sans-IO data-channel session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import janus_proto as jp
from janus_proto.plugins import GenericPluginData, JsepRule, textroom

from .helpers import plugin_failure

OFFER = {"type": "offer", "sdp": "v=0"}
ANSWER = {"type": "answer", "sdp": "v=0"}


def failed(code: int, error: str = "e") -> jp.PluginError:
    return plugin_failure(textroom.PLUGIN, code, error)


# -- requests: Janus-API bodies and data-channel payloads --------------------------------

#: Every request, its Janus-API body (None: data channel only) and its data-channel
#: payload (None: Janus API only), without the transaction.
SAMPLES: list[tuple[Any, dict[str, Any] | None, dict[str, Any] | None]] = [
    (textroom.List(), {"request": "list"}, {"textroom": "list"}),
    (
        textroom.List(admin_key="k"),
        {"request": "list", "admin_key": "k"},
        {"textroom": "list", "admin_key": "k"},
    ),
    (
        textroom.ListParticipants(room=7),
        {"request": "listparticipants", "room": 7},
        {"textroom": "listparticipants", "room": 7},
    ),
    (textroom.Exists(room="abc"), {"request": "exists", "room": "abc"}, None),
    (textroom.Create(), {"request": "create"}, {"textroom": "create"}),
    (
        textroom.Create(
            room=5,
            admin_key="ak",
            description="d",
            secret="s",
            pin="p",
            is_private=True,
            history=3,
            post="http://127.0.0.1:9/post",
            allowed=["a", "b"],
            permanent=False,
        ),
        {
            "request": "create",
            "room": 5,
            "admin_key": "ak",
            "description": "d",
            "secret": "s",
            "pin": "p",
            "is_private": True,
            "history": 3,
            "post": "http://127.0.0.1:9/post",
            "allowed": ["a", "b"],
            "permanent": False,
        },
        None,
    ),
    (
        textroom.Edit(
            room=5,
            secret="s",
            new_description="nd",
            new_secret="ns",
            new_pin="np",
            new_post="http://127.0.0.1:9/",
            new_is_private=False,
            permanent=True,
        ),
        {
            "request": "edit",
            "room": 5,
            "secret": "s",
            "new_description": "nd",
            "new_secret": "ns",
            "new_pin": "np",
            "new_post": "http://127.0.0.1:9/",
            "new_is_private": False,
            "permanent": True,
        },
        None,
    ),
    (
        textroom.Destroy(room=5, secret="s", permanent=False),
        {"request": "destroy", "room": 5, "secret": "s", "permanent": False},
        {"textroom": "destroy", "room": 5, "secret": "s", "permanent": False},
    ),
    (
        textroom.Announcement(room=5, text="hi", secret="s"),
        {"request": "announcement", "room": 5, "text": "hi", "secret": "s"},
        {"textroom": "announcement", "room": 5, "text": "hi", "secret": "s"},
    ),
    (
        textroom.Allowed(room=5, action="add", allowed=("t1",), secret="s"),
        {"request": "allowed", "room": 5, "action": "add", "secret": "s", "allowed": ["t1"]},
        {"textroom": "allowed", "room": 5, "action": "add", "secret": "s", "allowed": ["t1"]},
    ),
    (
        textroom.Kick(room=5, username="u", secret="s"),
        {"request": "kick", "room": 5, "username": "u", "secret": "s"},
        {"textroom": "kick", "room": 5, "username": "u", "secret": "s"},
    ),
    (
        textroom.Join(room=5, username="u", display="U", pin="p", token="t", history=False),
        None,
        {
            "textroom": "join",
            "room": 5,
            "username": "u",
            "display": "U",
            "pin": "p",
            "token": "t",
            "history": False,
        },
    ),
    (textroom.Leave(room=5), None, {"textroom": "leave", "room": 5}),
    (
        textroom.Message(room=5, text="x"),
        None,
        {"textroom": "message", "room": 5, "text": "x"},
    ),
    (
        textroom.Message(room=5, text="x", to="v", ack=True),
        None,
        {"textroom": "message", "room": 5, "text": "x", "to": "v", "ack": True},
    ),
    (
        textroom.Message(room=5, text="x", tos=["v", "w"], ack=False),
        None,
        {"textroom": "message", "room": 5, "text": "x", "tos": ["v", "w"], "ack": False},
    ),
    (textroom.Setup(), {"request": "setup"}, None),
    (textroom.Ack(), {"request": "ack"}, None),
    (textroom.Restart(), {"request": "restart"}, None),
]


@pytest.mark.parametrize(("request_", "body", "payload"), SAMPLES)
def test_request_renderings(
    request_: Any, body: dict[str, Any] | None, payload: dict[str, Any] | None
) -> None:
    if body is not None:
        assert isinstance(request_, jp.plugins.PluginRequest)
        assert request_.PLUGIN == textroom.PLUGIN
        assert request_.body() == body
        assert next(iter(request_.body())) == "request"
    else:
        assert not isinstance(request_, jp.plugins.PluginRequest)
    if payload is not None:
        assert isinstance(request_, textroom.DataChannelRequest)
        assert request_.payload("tx") == {**payload, "transaction": "tx"}
        assert list(request_.payload("tx"))[:2] == ["textroom", "transaction"]
        assert json.loads(request_.encode("tx")) == request_.payload("tx")
    elif body is not None and not isinstance(request_, textroom.DataChannelRequest):
        assert request_.REQUEST in ("setup", "ack", "restart")


def test_room_requests_are_sync_on_the_janus_api_and_the_rest_async() -> None:
    for request, _, _ in SAMPLES:
        if isinstance(request, textroom.RoomRequest):
            assert request.SYNC is True
            assert request.VERB == request.REQUEST
            assert isinstance(request, textroom.DataChannelRequest)
        elif isinstance(request, jp.plugins.PluginRequest):
            assert request.SYNC is False


def test_encode_is_compact_and_keeps_unicode() -> None:
    text = textroom.Message(room=1, text="héllo ✓").encode("t9")
    assert text == '{"textroom":"message","transaction":"t9","room":1,"text":"héllo ✓"}'


def test_extra_keys_pass_through_on_both_protocols() -> None:
    create = textroom.Create(room=1, extra={"future": 1})
    assert create.body() == {"request": "create", "room": 1, "future": 1}
    join = textroom.Join(room=1, username="u", extra={"future": [1]})
    assert join.payload("t") == {
        "textroom": "join",
        "transaction": "t",
        "room": 1,
        "username": "u",
        "future": [1],
    }
    with pytest.raises(TypeError, match=r"Join\.extra must be a mapping"):
        textroom.Join(room=1, username="u", extra={1: 2})  # type: ignore[dict-item]


def test_jsep_rules() -> None:
    assert textroom.Ack.JSEP is JsepRule.ANSWER
    with pytest.raises(ValueError, match="Ack needs a JSEP answer"):
        textroom.Ack().check_jsep(None)
    with pytest.raises(ValueError, match="needs a JSEP answer, got 'offer'"):
        textroom.Ack().check_jsep(OFFER)
    textroom.Ack().check_jsep(ANSWER)
    for req in (textroom.Setup(), textroom.Restart(), textroom.Create(), textroom.List()):
        req.check_jsep(None)
        with pytest.raises(ValueError, match="takes no JSEP"):
            req.check_jsep(ANSWER)


def test_expects_reply() -> None:
    assert textroom.Join(room=1, username="u").expects_reply
    assert textroom.Kick(room=1, username="u").expects_reply
    assert textroom.Message(room=1, text="x").expects_reply
    assert textroom.Message(room=1, text="x", ack=True).expects_reply
    assert not textroom.Message(room=1, text="x", ack=False).expects_reply


@pytest.mark.parametrize(
    ("cls", "kwargs", "exc", "match"),
    [
        (textroom.Exists, {"room": True}, TypeError, r"Exists\.room must be an int or str"),
        (textroom.Exists, {"room": -1}, ValueError, r"Exists\.room must not be negative"),
        (textroom.Exists, {"room": ""}, ValueError, r"Exists\.room must not be empty"),
        (textroom.ListParticipants, {}, TypeError, "room"),
        (textroom.Create, {"room": 1.5}, TypeError, r"Create\.room must be an int or str"),
        (textroom.Create, {"history": -1}, ValueError, r"Create\.history must not be"),
        (textroom.Create, {"history": "3"}, TypeError, r"Create\.history must be int"),
        (textroom.Create, {"is_private": 1}, TypeError, r"Create\.is_private must be bool"),
        (textroom.Create, {"allowed": "tok"}, TypeError, r"Create\.allowed must be a list"),
        (textroom.Create, {"allowed": [1]}, TypeError, r"Create\.allowed items must be str"),
        (textroom.Edit, {"room": 1, "new_pin": 1}, TypeError, r"Edit\.new_pin must be str"),
        (textroom.Destroy, {"room": 1, "permanent": "y"}, TypeError, r"Destroy\.permanent"),
        (textroom.Announcement, {"room": 1}, TypeError, "text"),
        (textroom.Announcement, {"room": 1, "text": 3}, TypeError, r"Announcement\.text"),
        (textroom.Allowed, {"room": 1, "action": "ban"}, ValueError, r"Allowed\.action must be"),
        (textroom.Allowed, {"room": 1, "action": 1}, TypeError, r"Allowed\.action must be str"),
        (textroom.Kick, {"room": 1, "username": None}, TypeError, r"Kick\.username must be str"),
        (textroom.Join, {"room": 1}, TypeError, "username"),
        (textroom.Join, {"room": 1, "username": "u", "history": 1}, TypeError, r"Join\.history"),
        (textroom.Leave, {"room": None}, TypeError, r"Leave\.room must be an int or str"),
        (textroom.Message, {"room": 1, "text": None}, TypeError, r"Message\.text must be str"),
        (textroom.Message, {"room": 1, "text": "x", "tos": "v"}, TypeError, r"Message\.tos must"),
        (
            textroom.Message,
            {"room": 1, "text": "x", "to": "v", "tos": ["w"]},
            ValueError,
            "to and tos are mutually exclusive",
        ),
        (textroom.Message, {"room": 1, "text": "x", "ack": "no"}, TypeError, r"Message\.ack"),
    ],
)
def test_validation(
    cls: type[Any], kwargs: dict[str, Any], exc: type[Exception], match: str
) -> None:
    with pytest.raises(exc, match=match):
        cls(**kwargs)


def test_transaction_is_checked() -> None:
    join = textroom.Join(room=1, username="u")
    with pytest.raises(TypeError, match=r"Join: transaction must be str, got int"):
        join.payload(1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="transaction must not be empty"):
        join.encode("")


@given(
    room=st.integers(min_value=0, max_value=2**63) | st.text(min_size=1),
    username=st.text(),
    display=st.none() | st.text(),
    history=st.none() | st.booleans(),
    transaction=st.text(min_size=1),
)
def test_join_round_trip(
    room: int | str, username: str, display: str | None, history: bool | None, transaction: str
) -> None:
    req = textroom.Join(room=room, username=username, display=display, history=history)
    decoded = json.loads(req.encode(transaction))
    expected = {"room": room, "username": username, "display": display, "history": history}
    assert decoded == {
        "textroom": "join",
        "transaction": transaction,
        **{k: v for k, v in expected.items() if v is not None},
    }


@given(
    text=st.text(),
    to=st.none() | st.text(),
    tos=st.none() | st.lists(st.text()),
    ack=st.none() | st.booleans(),
)
def test_message_round_trip(
    text: str, to: str | None, tos: list[str] | None, ack: bool | None
) -> None:
    if to is not None and tos is not None:
        with pytest.raises(ValueError, match="mutually exclusive"):
            textroom.Message(room=1, text=text, to=to, tos=tos, ack=ack)
        return
    req = textroom.Message(room=1, text=text, to=to, tos=tos, ack=ack)
    decoded = json.loads(req.encode("t"))
    assert decoded["text"] == text
    assert decoded.get("to") == to
    assert decoded.get("tos") == tos
    assert decoded.get("ack") == ack
    assert req.expects_reply is (ack is not False)


@given(
    room=st.none() | st.integers(min_value=0, max_value=2**63),
    description=st.none() | st.text(),
    history=st.none() | st.integers(min_value=0, max_value=65535),
    allowed=st.none() | st.lists(st.text(), max_size=4),
    is_private=st.none() | st.booleans(),
)
def test_create_body(
    room: int | None,
    description: str | None,
    history: int | None,
    allowed: list[str] | None,
    is_private: bool | None,
) -> None:
    body = textroom.Create(
        room=room,
        description=description,
        history=history,
        allowed=allowed,
        is_private=is_private,
    ).body()
    fields = {
        "room": room,
        "description": description,
        "history": history,
        "allowed": allowed,
        "is_private": is_private,
    }
    assert body == {"request": "create", **{k: v for k, v in fields.items() if v is not None}}


# -- replies (shapes observed on Janus 1.1.2) --------------------------------------------


def test_janus_api_replies() -> None:
    listed = textroom.List().parse_reply(
        {
            "textroom": "success",
            "list": [
                {
                    "room": 1234,
                    "description": "Demo Room",
                    "pin_required": False,
                    "num_participants": 0,
                    "history": 0,
                }
            ],
        }
    )
    assert isinstance(listed, textroom.RoomList)
    (info,) = listed.rooms
    assert (info.room, info.description, info.pin_required) == (1234, "Demo Room", False)
    assert (info.num_participants, info.history) == (0, 0)

    # 1.1.2 answers listparticipants on the Janus API without a "textroom" key.
    people = textroom.ListParticipants(room=555).parse_reply(
        {"room": 555, "participants": [{"username": "a", "display": "A"}, {"username": "b"}]}
    )
    assert people.textroom is None
    assert people.room == 555
    assert [(p.username, p.display) for p in people.participants] == [("a", "A"), ("b", None)]

    exists = textroom.Exists(room=999).parse_reply(
        {"textroom": "success", "room": 999, "exists": False}
    )
    assert (exists.room, exists.exists) == (999, False)

    created = textroom.Create().parse_reply(
        {"textroom": "created", "room": 6688679024268256, "permanent": False}
    )
    assert (created.textroom, created.room, created.permanent) == (
        "created",
        6688679024268256,
        False,
    )
    edited = textroom.Edit(room=555).parse_reply(
        {"textroom": "edited", "room": 555, "permanent": False}
    )
    assert (edited.textroom, edited.room) == ("edited", 555)
    destroyed = textroom.Destroy(room=555).parse_reply(
        {"textroom": "destroyed", "room": 555, "permanent": False}
    )
    assert (destroyed.room, destroyed.permanent) == (555, False)

    added = textroom.Allowed(room=555, action="add").parse_reply(
        {"textroom": "success", "room": 555, "allowed": ["b", "tok", "a"]}
    )
    assert added.allowed == ("b", "tok", "a")
    disabled = textroom.Allowed(room=555, action="disable").parse_reply(
        {"textroom": "success", "room": 555}
    )
    assert disabled.allowed is None
    assert disabled.room == 555

    ok = textroom.Kick(room=1, username="u").parse_reply({"textroom": "success"})
    assert isinstance(ok, textroom.Success)
    assert ok.textroom == "success"
    setup = textroom.Setup().parse_reply({"textroom": "event", "result": "ok"}, OFFER)
    assert (setup.result, setup.jsep) == ("ok", OFFER)


def test_data_channel_replies() -> None:
    joined = textroom.Join(room=1, username="u").parse_reply(
        {"textroom": "success", "transaction": "t", "participants": [{"username": "v"}]}
    )
    assert [p.username for p in joined.participants] == ["v"]
    assert (
        textroom.Join(room=1, username="u").parse_reply({"textroom": "success"}).participants == ()
    )
    sent = textroom.Message(room=1, text="x", tos=["v", "w"]).parse_reply(
        {"textroom": "success", "sent": {"v": True, "w": False}}
    )
    assert sent.sent == {"v": True, "w": False}
    assert textroom.Message(room=1, text="x").parse_reply({"textroom": "success"}).sent is None
    left = textroom.Leave(room=1).parse_reply({"textroom": "success", "transaction": "t"})
    assert isinstance(left, textroom.Success)


@pytest.mark.parametrize(
    ("request_", "data"),
    [
        (textroom.List(), {"textroom": "success"}),
        (textroom.List(), {"textroom": "success", "list": {}}),
        (textroom.ListParticipants(room=1), {"room": 1}),
        (textroom.Exists(room=1), {"textroom": "success", "room": 1, "exists": "yes"}),
        (textroom.Create(), {"textroom": "created"}),
        (textroom.Join(room=1, username="u"), {"participants": [{"display": "no name"}]}),
        (textroom.Setup(), {"textroom": "event"}),
    ],
)
def test_replies_missing_what_they_need(request_: Any, data: dict[str, Any]) -> None:
    with pytest.raises(jp.RemoteProtocolError):
        request_.parse_reply(data)


def test_codec_types_every_janus_api_answer() -> None:
    codec = textroom.CODEC
    cases: list[tuple[dict[str, Any], type[Any]]] = [
        ({"textroom": "event", "result": "ok"}, textroom.Result),
        ({"textroom": "created", "room": 1, "permanent": False}, textroom.RoomCreated),
        ({"textroom": "edited", "room": 1, "permanent": False}, textroom.RoomEdited),
        ({"textroom": "destroyed", "room": 1, "permanent": False}, textroom.RoomDestroyed),
        ({"textroom": "success", "list": []}, textroom.RoomList),
        ({"room": 1, "participants": []}, textroom.ParticipantList),
        ({"textroom": "success", "room": 1, "exists": True}, textroom.RoomExists),
        ({"textroom": "success", "room": 1, "allowed": []}, textroom.AllowedList),
        ({"textroom": "success"}, textroom.Success),
        ({"textroom": "success", "room": 1}, textroom.Success),
    ]
    for data, cls in cases:
        parsed = codec.parse_event(data)
        assert type(parsed) is cls, data
        assert parsed.raw == data
    unknown = codec.parse_event({"textroom": "surprise", "x": 1})
    assert isinstance(unknown, GenericPluginData)
    assert unknown.plugin == textroom.PLUGIN


def test_data_codec_types_unsolicited_messages() -> None:
    codec = textroom.DATA_CODEC
    join = codec.parse_event({"textroom": "join", "room": 1, "username": "u", "display": "U"})
    assert isinstance(join, textroom.ParticipantJoined)
    assert (join.room, join.username, join.display) == (1, "u", "U")
    leave = codec.parse_event({"textroom": "leave", "room": "r", "username": "u"})
    assert isinstance(leave, textroom.ParticipantLeft)
    assert (leave.room, leave.username) == ("r", "u")
    public = codec.parse_event(
        {
            "textroom": "message",
            "room": 1,
            "from": "u",
            "date": "2024-01-01T10:00:00+0000",
            "text": "hi",
        }
    )
    assert isinstance(public, textroom.MessageReceived)
    assert (public.sender, public.text, public.whisper) == ("u", "hi", False)
    assert public.date == "2024-01-01T10:00:00+0000"
    whisper = codec.parse_event(
        {"textroom": "message", "room": 1, "from": "u", "text": "psst", "whisper": True}
    )
    assert isinstance(whisper, textroom.MessageReceived)
    assert whisper.whisper is True
    replayed = codec.parse_event(
        {"textroom": "message", "room": 1, "from": "u", "text": "old", "display": "U"}
    )
    assert isinstance(replayed, textroom.MessageReceived)
    assert replayed.display == "U"
    announced = codec.parse_event(
        {"textroom": "announcement", "room": 1, "date": "d", "text": "news"}
    )
    assert isinstance(announced, textroom.AnnouncementReceived)
    assert (announced.room, announced.text, announced.date) == (1, "news", "d")
    kicked = codec.parse_event({"textroom": "kicked", "room": 1, "username": "u"})
    assert isinstance(kicked, textroom.ParticipantKicked)
    assert (kicked.room, kicked.username) == (1, "u")
    bare_kick = codec.parse_event({"textroom": "kicked"})
    assert isinstance(bare_kick, textroom.ParticipantKicked)
    assert bare_kick.username is None
    gone = codec.parse_event({"textroom": "destroyed", "room": 1})
    assert isinstance(gone, textroom.RoomDestroyed)
    assert (gone.room, gone.permanent) == (1, None)
    assert isinstance(codec.parse_event({"textroom": "typing"}), GenericPluginData)
    with pytest.raises(jp.RemoteProtocolError):
        codec.parse_event({"textroom": "message", "room": 1, "text": "no sender"})


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (411, textroom.NoMessage),
        (412, textroom.InvalidJSON),
        (413, textroom.MissingElement),
        (414, textroom.InvalidElement),
        (415, textroom.InvalidRequest),
        (416, textroom.AlreadySetup),
        (417, textroom.NoSuchRoom),
        (418, textroom.RoomExistsError),
        (419, textroom.Unauthorized),
        (420, textroom.UsernameExists),
        (421, textroom.AlreadyInRoom),
        (422, textroom.NotInRoom),
        (423, textroom.NoSuchUser),
        (499, textroom.UnknownError),
        (400, textroom.TextRoomError),
    ],
)
def test_error_classes(code: int, cls: type[jp.PluginError]) -> None:
    exc = failed(code)
    assert type(exc) is cls
    assert isinstance(exc, textroom.TextRoomError)
    assert exc.error_code == code
    if cls is not textroom.TextRoomError:
        assert cls.code == code
        assert textroom.ERRORS[code] is cls
        assert (cls.__doc__ or "").startswith(f"{code}: ")


# -- the data-channel session ------------------------------------------------------------


def ids() -> Iterator[str]:
    return iter(["a", "b", "c", "d", "e"])


def reply(txn: str, **data: Any) -> str:
    return json.dumps({"textroom": "success", "transaction": txn, **data})


def error(txn: str | None, code: int, text: str = "bad") -> str:
    msg: dict[str, Any] = {"textroom": "error", "error_code": code, "error": text}
    if txn is not None:
        msg["transaction"] = txn
    return json.dumps(msg, indent=3)  # the stock jcfg makes Janus indent its JSON


def events(session: textroom.TextRoomSession) -> list[Any]:
    out = []
    while (event := session.next_event()) is not None:
        out.append(event)
    return out


def test_session_default_ids_outbox_and_success() -> None:
    session = textroom.TextRoomSession()
    assert session.state is textroom.SessionState.OPEN
    assert session.next_event() is None
    join = textroom.Join(room=1, username="u")
    assert session.send(join) == "t1"
    assert session.send(textroom.Leave(room=1)) == "t2"
    assert session.data_to_send() == [join.encode("t1"), textroom.Leave(room=1).encode("t2")]
    assert session.data_to_send() == []
    assert set(session.pending) == {"t1", "t2"}
    assert repr(session) == "<TextRoomSession open pending=2>"
    # Janus sends our own join first, then the answer.
    session.receive_message('{"textroom":"join","room":1,"username":"u"}')
    session.receive_message(reply("t1", participants=[{"username": "v", "display": "V"}]))
    first, second = events(session)
    assert isinstance(first, textroom.ParticipantJoined)
    assert isinstance(second, textroom.ReplyReceived)
    assert second.transaction == "t1"
    assert second.request is join
    assert isinstance(second.reply, textroom.RoomJoined)
    assert second.reply.participants[0].display == "V"
    assert set(session.pending) == {"t2"}
    with pytest.raises(TypeError):
        session.pending["x"] = join  # type: ignore[index]


def test_session_error_reply_maps_to_the_error_class() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    txn = session.send(textroom.Join(room=9, username="u"))
    session.receive_message(error(txn, 417, "No such room (9)"))
    (event,) = events(session)
    assert isinstance(event, textroom.RequestRejected)
    assert (event.transaction, event.error_code, event.error) == ("a", 417, "No such room (9)")
    exc = event.to_exception()
    assert isinstance(exc, textroom.NoSuchRoom)
    assert (exc.plugin, exc.transaction, exc.error) == (textroom.PLUGIN, "a", "No such room (9)")
    assert exc.data["error_code"] == 417
    assert not session.pending


def test_session_error_without_textroom_error_verb() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Leave(room=1))
    session.receive_message('{"textroom":"event","error_code":422,"error":"x","transaction":"a"}')
    (event,) = events(session)
    assert isinstance(event, textroom.RequestRejected)
    assert isinstance(event.to_exception(), textroom.NotInRoom)


@pytest.mark.parametrize(
    "msg",
    [
        {"textroom": "error", "transaction": "a"},
        {"textroom": "error", "transaction": "a", "error_code": "417", "error": "x"},
        {"textroom": "error", "transaction": "a", "error_code": True, "error": "x"},
        {"textroom": "error", "transaction": "a", "error_code": 417, "error": 3},
    ],
)
def test_session_malformed_error(msg: dict[str, Any]) -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Leave(room=1))
    session.receive_message(json.dumps(msg))
    (event,) = events(session)
    assert isinstance(event, textroom.ReplyMalformed)
    assert event.reason == "TextRoom: malformed error"
    exc = event.to_exception()
    assert isinstance(exc, jp.RemoteProtocolError)
    assert exc.raw == msg


def test_session_error_without_text_defaults_to_empty() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Leave(room=1))
    session.receive_message('{"transaction":"a","error_code":499}')
    (event,) = events(session)
    assert isinstance(event, textroom.RequestRejected)
    assert event.error == ""


def test_session_malformed_success() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Exists(room=1))
    session.receive_message(reply("a", room=1))
    (event,) = events(session)
    assert isinstance(event, textroom.ReplyMalformed)
    assert "'exists' missing" in event.reason
    assert event.request == textroom.Exists(room=1)


def test_session_stray_answers() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Leave(room=1))
    session.abandon("a")
    session.abandon("nope")  # unknown: ignored
    assert not session.pending
    session.receive_message(reply("a"))  # late answer to an abandoned request
    session.receive_message(reply("zzz"))
    session.receive_message('{"textroom":"success","transaction":7}')
    session.receive_message(error(None, 412))  # no transaction: we sent bad JSON
    session.receive_message('{"textroom":"success"}')
    strays = events(session)
    assert [type(e) for e in strays] == [textroom.StrayReply] * 5
    assert [e.transaction for e in strays] == ["a", "zzz", "7", None, None]
    assert strays[3].raw["error_code"] == 412


def test_session_unsolicited_unknown_and_ill_formed_are_kept_untyped() -> None:
    session = textroom.TextRoomSession()
    session.receive_message('{"textroom":"typing","room":1}')
    session.receive_message('{"textroom":"join","room":1}')  # no username
    unknown, ill_formed = events(session)
    assert isinstance(unknown, GenericPluginData)
    assert unknown.raw == {"textroom": "typing", "room": 1}
    assert isinstance(ill_formed, GenericPluginData)
    assert ill_formed.raw == {"textroom": "join", "room": 1}
    assert ill_formed.plugin == textroom.PLUGIN


def test_session_bytes_and_bad_input() -> None:
    session = textroom.TextRoomSession()
    session.receive_message(b'{"textroom":"leave","room":1,"username":"u"}')
    (left,) = events(session)
    assert isinstance(left, textroom.ParticipantLeft)
    for bad in ("not json", b"\xff\xfe", "[1, 2]", "3", '"text"'):
        with pytest.raises(jp.RemoteProtocolError) as err:
            session.receive_message(bad)
        assert err.value.raw is not None
    assert events(session) == []


def test_session_message_without_ack_is_not_pending() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    txn = session.send(textroom.Message(room=1, text="x", ack=False))
    assert txn == "a"
    assert not session.pending
    assert json.loads(session.data_to_send()[0])["ack"] is False


def test_session_explicit_and_duplicate_transactions() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    assert session.send(textroom.Leave(room=1), transaction="mine") == "mine"
    with pytest.raises(jp.LocalProtocolError, match="'mine' is already pending"):
        session.send(textroom.Leave(room=2), transaction="mine")
    assert len(session.data_to_send()) == 1  # the refused request was not queued
    assert session.pending["mine"] == textroom.Leave(room=1)
    with pytest.raises(ValueError, match="transaction must not be empty"):
        session.send(textroom.Leave(room=2), transaction="")
    assert session.data_to_send() == []


def test_session_id_generator_exhausted_and_wrong_request() -> None:
    session = textroom.TextRoomSession(transaction_ids=iter(["only"]))
    session.send(textroom.Leave(room=1))
    with pytest.raises(jp.LocalProtocolError, match="exhausted"):
        session.send(textroom.Leave(room=1))
    with pytest.raises(TypeError, match="expected a data-channel request, got Setup"):
        session.send(textroom.Setup())  # type: ignore[arg-type]
    assert list(session.pending) == ["only"]


def test_session_close_aborts_pending() -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Join(room=1, username="u"))
    session.send(textroom.Leave(room=1))
    session.close("peer gone")
    assert session.state is textroom.SessionState.CLOSED
    assert session.data_to_send() == []  # unsent texts are dropped
    aborted = events(session)
    assert [(e.transaction, e.reason) for e in aborted] == [("a", "peer gone"), ("b", "peer gone")]
    assert all(isinstance(e, textroom.RequestAborted) for e in aborted)
    assert not session.pending
    session.close()  # twice: nothing more
    assert events(session) == []
    with pytest.raises(jp.LocalProtocolError, match="closed"):
        session.send(textroom.Leave(room=1))
    with pytest.raises(jp.LocalProtocolError, match="closed"):
        session.receive_message(reply("a"))
    assert repr(session) == "<TextRoomSession closed pending=0>"


def test_session_room_management_on_the_data_channel() -> None:
    # On the data channel create/destroy answer "success" (not created/destroyed), and
    # the requester gets the "destroyed" message before the answer.
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Create(room=5, secret="s"))
    session.send(textroom.Destroy(room=5, secret="s"))
    session.receive_message(reply("a", room=5, permanent=False))
    session.receive_message('{"textroom":"destroyed","room":5}')
    session.receive_message(reply("b", room=5, permanent=False))
    created, gone, destroyed = events(session)
    assert isinstance(created, textroom.ReplyReceived)
    assert isinstance(created.reply, textroom.RoomCreated)
    assert created.reply.textroom == "success"
    assert isinstance(gone, textroom.RoomDestroyed)
    assert isinstance(destroyed, textroom.ReplyReceived)
    assert isinstance(destroyed.reply, textroom.RoomDestroyed)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "textroom": st.sampled_from(
            [
                "success",
                "error",
                "event",
                "join",
                "leave",
                "message",
                "announcement",
                "kicked",
                "destroyed",
                "other",
            ]
        )
        | JSON,
        "transaction": st.sampled_from(["a", "b", "zz"]) | JSON,
        "error_code": st.integers() | JSON,
        "error": JSON,
        "room": JSON,
        "username": JSON,
        "from": JSON,
        "text": JSON,
        "participants": JSON,
        "exists": JSON,
    },
)


@given(messages=st.lists(MESSAGES | JSON, max_size=6), raw=st.text() | st.binary())
@example(messages=[{"transaction": "a", "error_code": 417, "error": "x"}], raw="{")
def test_session_input_returns_or_raises_remote_protocol_error_only(
    messages: list[Any], raw: str | bytes
) -> None:
    session = textroom.TextRoomSession(transaction_ids=ids())
    session.send(textroom.Join(room=1, username="u"))
    session.send(textroom.Exists(room=1))
    outcomes = 0
    for text in [*(json.dumps(m) for m in messages), raw]:
        try:
            session.receive_message(text)
        except jp.RemoteProtocolError:
            pass
        for event in events(session):
            assert isinstance(
                event,
                textroom.ReplyReceived
                | textroom.RequestRejected
                | textroom.ReplyMalformed
                | textroom.StrayReply
                | jp.plugins.PluginData,
            )
            if not isinstance(event, textroom.StrayReply | jp.plugins.PluginData):
                outcomes += 1
    # Every transaction ends at most once; the rest end when the channel closes.
    assert outcomes + len(session.pending) == 2
    session.close()
    assert len(events(session)) == 2 - outcomes
