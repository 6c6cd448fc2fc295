"""The pure JSEP/SDP and trickle helpers (no I/O; run anywhere)."""

from __future__ import annotations

import pytest

import janus_proto as jp
from janus_media import candidate_address, in_network, make_jsep, parse_jsep, sdp_candidates
from janus_media._jsep import bundle_groups, local_candidates, media_ids, strip_candidates
from janus_media._trickle import parse_candidate, resolve_target, to_rtc_candidate

SDP = "\r\n".join(
    [
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=candidate:0 1 udp 1 10.0.0.9 9 typ host",  # session level: not an m-line's
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 127.0.0.2",
        "a=mid:0",
        "a=candidate:1 1 udp 2015363327 127.0.0.2 41000 typ host",
        "a=end-of-candidates",
        "m=video 9 UDP/TLS/RTP/SAVPF 96",
        "a=mid:1",
        "a=candidate:2 1 udp 2015363327 127.0.0.2 41002 typ host",
        "a=candidate:3 1 udp 1686052607 192.0.2.7 5000 typ srflx raddr 127.0.0.2 rport 41002",
        "a=group:BUNDLE ignored",  # not session level
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "",
    ]
)


def test_make_and_parse_jsep() -> None:
    jsep = make_jsep("offer", "v=0\r\n")
    assert jsep == {"type": "offer", "sdp": "v=0\r\n", "trickle": False}
    assert make_jsep("answer", "x", trickle=True)["trickle"] is True
    assert parse_jsep(jsep) == ("offer", "v=0\r\n")
    assert parse_jsep(jsep, expect="offer") == ("offer", "v=0\r\n")
    with pytest.raises(ValueError, match="offer or an answer"):
        make_jsep("pranswer", "v=0")


@pytest.mark.parametrize(
    ("jsep", "expect", "error", "match"),
    [
        (None, None, ValueError, "got none"),
        (None, "answer", ValueError, "JSEP answer, got none"),
        ("offer", None, TypeError, "mapping"),
        ({"type": "rollback", "sdp": "v=0"}, None, ValueError, "not 'rollback'"),
        ({"type": "offer", "sdp": "v=0"}, "answer", ValueError, "expected a JSEP answer"),
        ({"type": "answer"}, None, ValueError, "no SDP"),
        ({"type": "answer", "sdp": "  "}, None, ValueError, "no SDP"),
    ],
)
def test_parse_jsep_refuses(
    jsep: object, expect: str | None, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        parse_jsep(jsep, expect=expect)  # type: ignore[arg-type]


def test_sdp_facts() -> None:
    assert media_ids(SDP) == ["0", "1", None]
    assert media_ids("v=0\r\na=mid:x\r\n") == []
    assert bundle_groups(SDP) == [["0", "1"]]
    assert bundle_groups("v=0\r\na=group:BUNDLE a b\r\n") == [["a", "b"]]  # no m-line
    assert sdp_candidates(SDP) == [
        "candidate:0 1 udp 1 10.0.0.9 9 typ host",
        "candidate:1 1 udp 2015363327 127.0.0.2 41000 typ host",
        "candidate:2 1 udp 2015363327 127.0.0.2 41002 typ host",
        "candidate:3 1 udp 1686052607 192.0.2.7 5000 typ srflx raddr 127.0.0.2 rport 41002",
    ]


def test_local_candidates_carry_their_m_line() -> None:
    assert local_candidates(SDP) == [
        jp.Candidate(
            candidate="candidate:1 1 udp 2015363327 127.0.0.2 41000 typ host",
            sdp_mid="0",
            sdp_mline_index=0,
        ),
        jp.Candidate(
            candidate="candidate:2 1 udp 2015363327 127.0.0.2 41002 typ host",
            sdp_mid="1",
            sdp_mline_index=1,
        ),
        jp.Candidate(
            candidate="candidate:3 1 udp 1686052607 192.0.2.7 5000 typ srflx raddr 127.0.0.2 "
            "rport 41002",
            sdp_mid="1",
            sdp_mline_index=1,
        ),
    ]
    assert local_candidates("v=0\r\n") == []


def test_strip_candidates() -> None:
    stripped = strip_candidates(SDP)
    assert "a=candidate" not in stripped
    assert "a=end-of-candidates" not in stripped
    assert stripped.endswith("\r\n")
    assert media_ids(stripped) == media_ids(SDP)
    assert "\r\n\r\n" not in stripped


def test_candidate_address_and_network() -> None:
    line = "a=candidate:1 1 udp 2015363327 127.0.0.2 41000 typ host"
    assert candidate_address(line) == "127.0.0.2"
    assert candidate_address(line[2:]) == "127.0.0.2"
    assert candidate_address(line[len("a=candidate:") :]) == "127.0.0.2"
    assert in_network(line, "127.0.0.0/8")
    assert not in_network("candidate:3 1 udp 1 192.0.2.7 5000 typ srflx", "127.0.0.0/8")
    assert not in_network("candidate:1 1 udp 1 ab12.local 5000 typ host", "127.0.0.0/8")
    assert not in_network("candidate:1 1 udp 1 ::1 5000 typ host", "127.0.0.0/8")
    for bad in ("candidate:1 1 udp", "candidate:1 1 udp 1 127.0.0.1 9 host x", ""):
        with pytest.raises(ValueError, match="not an ICE candidate"):
            candidate_address(bad)
    with pytest.raises(ValueError, match="not an ICE candidate"):
        in_network("nonsense", "127.0.0.0/8")
    with pytest.raises(ValueError):
        in_network(line, "not-a-network")


def test_parse_candidate() -> None:
    rtc = parse_candidate(
        "a=candidate:4 2 TCP 1518280447 127.0.0.2 9 typ srflx raddr 10.0.0.1 rport 7 "
        "tcptype active generation 0"
    )
    assert (rtc.foundation, rtc.component, rtc.protocol, rtc.priority) == (
        "4",
        2,
        "tcp",
        1518280447,
    )
    assert (rtc.ip, rtc.port, rtc.type) == ("127.0.0.2", 9, "srflx")
    assert (rtc.relatedAddress, rtc.relatedPort, rtc.tcpType) == ("10.0.0.1", 7, "active")
    plain = parse_candidate("1 1 udp 5 127.0.0.2 41000 typ host rport x dangling")
    assert plain.relatedPort is None
    assert plain.relatedAddress is None
    with pytest.raises(ValueError, match="a number"):
        parse_candidate("candidate:1 one udp 5 127.0.0.2 41000 typ host")
    with pytest.raises(ValueError, match="not an ICE candidate"):
        parse_candidate("candidate:1 1 udp 5 127.0.0.2 41000 host")


def test_resolve_target() -> None:
    # sdpMid wins; an m-line bundled onto the first one gives way to it.
    assert resolve_target("0", None, SDP) == ("0", 0)
    assert resolve_target("1", 7, SDP) == ("0", 0)
    # sdpMid missing (or unknown): the m-line index names the m-line.
    assert resolve_target(None, 1, SDP) == ("0", 0)
    assert resolve_target("nope", 0, SDP) == ("0", 0)
    unbundled = SDP.replace("a=group:BUNDLE 0 1\r\n", "")
    assert resolve_target(None, 1, unbundled) == ("1", 1)
    assert resolve_target("1", None, unbundled) == ("1", 1)
    # A group whose first mid is not in the SDP leaves the mid alone.
    odd = SDP.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 9 1")
    assert resolve_target("1", None, odd) == ("1", 1)
    for mid, index in ((None, None), (None, 2), (None, 3), (None, -1), ("x", None)):
        with pytest.raises(ValueError, match="names no m-line"):
            resolve_target(mid, index, SDP)


def test_to_rtc_candidate() -> None:
    cand = jp.Candidate(
        candidate="candidate:2 1 udp 2015363327 127.0.0.2 41002 typ host", sdp_mline_index=1
    )
    rtc = to_rtc_candidate(cand, SDP.replace("a=group:BUNDLE 0 1\r\n", ""))
    assert (rtc.sdpMid, rtc.sdpMLineIndex, rtc.port) == ("1", 1, 41002)
