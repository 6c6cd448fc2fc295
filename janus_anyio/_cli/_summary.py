"""A readable summary of Janus's ``handle_info``: ICE, DTLS, media counters.

Janus 1.1.2 describes a handle's PeerConnection under ``info["webrtc"]``: ``ice`` (state,
candidates, selected pair), ``dtls`` (state, role, SRTP profile, handshake packets) and
``media`` (one entry per mid: codec, direction, ``stats.in``/``stats.out`` packet and byte
counters, NACKs, and the RTCP ``rtcp.main`` figures: lost packets, jitter, RTT). Timestamps
are Janus's monotonic clock in microseconds. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._output import fmt, mask, pairs, table

__all__ = ["summarize_handle", "render_summary"]


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _count(value: Any) -> int:
    return len(value) if isinstance(value, (list, tuple)) else 0


def _seconds(later: Any, earlier: Any) -> float | None:
    if isinstance(later, int) and isinstance(earlier, int) and later >= earlier > 0:
        return round((later - earlier) / 1_000_000, 3)
    return None


def _ready(value: Any) -> bool:
    """Janus reports ICE readiness as an int (1 once done, 0 or -1 before)."""
    return value is True or (isinstance(value, int) and not isinstance(value, bool) and value > 0)


def _medium(mid: str, medium: Mapping[str, Any], plugin: Mapping[str, Any]) -> dict[str, Any]:
    stats = _dict(medium.get("stats"))
    s_in, s_out = _dict(stats.get("in")), _dict(stats.get("out"))
    rtcp = _dict(_dict(medium.get("rtcp")).get("main"))
    direction = _dict(medium.get("direction"))
    return {
        "mid": medium.get("mid", mid),
        "type": medium.get("type"),
        # The codec is known to the core once media flowed; plugins such as EchoTest and
        # VideoRoom report the negotiated one as ``<type>_codec`` before that.
        "codec": _dict(medium.get("codecs")).get("codec")
        or plugin.get(f"{medium.get('type')}_codec"),
        "send": direction.get("send"),
        "recv": direction.get("recv"),
        "packets_in": s_in.get("packets"),
        "bytes_in": s_in.get("bytes"),
        "packets_out": s_out.get("packets"),
        "bytes_out": s_out.get("bytes"),
        "nacks_in": s_in.get("nacks"),
        "nacks_out": s_out.get("nacks"),
        "retransmissions_in": s_in.get("retransmissions"),
        "lost": rtcp.get("lost"),
        "lost_by_remote": rtcp.get("lost-by-remote"),
        "jitter_local": rtcp.get("jitter-local"),
        "jitter_remote": rtcp.get("jitter-remote"),
        "rtt": rtcp.get("rtt"),
    }


def summarize_handle(info: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a ``handle_info`` answer that tell whether media flows.

    ``ice`` and ``dtls`` are None when the handle has no PeerConnection; ``media`` has one
    entry per negotiated mid. The handle's token is reported as set or not, never shown.
    """
    webrtc = info.get("webrtc")
    flags = _dict(info.get("flags"))
    summary: dict[str, Any] = {
        "session_id": info.get("session_id"),
        "handle_id": info.get("handle_id"),
        "plugin": info.get("plugin"),
        "opaque_id": info.get("opaque_id"),
        "transport": info.get("session_transport"),
        "token_set": bool(info.get("token")),
        "age_seconds": _seconds(info.get("current_time"), info.get("created")),
        "flags": sorted(name for name, on in flags.items() if on is True),
        "peerconnection": isinstance(webrtc, Mapping),
        "ice": None,
        "dtls": None,
        "media": [],
        "pending_trickles": info.get("pending-trickles", 0),
        "queued_packets": info.get("queued-packets", 0),
        "pcap": info.get("pcap-file") or info.get("text2pcap-file"),
        "plugin_state": mask(
            {
                k: v
                for k, v in _dict(info.get("plugin_specific")).items()
                if v is None or isinstance(v, (str, int, float, bool))
            }
        ),
    }
    if not isinstance(webrtc, Mapping):
        return summary
    ice = _dict(webrtc.get("ice"))
    summary["ice"] = {
        "state": ice.get("state"),
        "role": info.get("ice-role"),
        "mode": info.get("ice-mode"),
        "local_candidates": _count(ice.get("local-candidates")),
        "remote_candidates": _count(ice.get("remote-candidates")),
        "selected_pair": ice.get("selected-pair"),
        "ready": _ready(ice.get("ready")),
        "connect_seconds": _seconds(ice.get("connected"), info.get("agent-started")),
    }
    dtls = _dict(webrtc.get("dtls"))
    if dtls:
        dtls_stats = _dict(dtls.get("stats"))
        summary["dtls"] = {
            "state": dtls.get("dtls-state"),
            "role": dtls.get("dtls-role"),
            "srtp_profile": dtls.get("srtp-profile"),
            "srtp_valid": dtls.get("valid"),
            "ready": dtls.get("ready"),
            "retransmissions": dtls.get("retransmissions"),
            "packets_in": _dict(dtls_stats.get("in")).get("packets"),
            "packets_out": _dict(dtls_stats.get("out")).get("packets"),
            "handshake_seconds": _seconds(dtls.get("connected"), dtls.get("handshake-started")),
        }
    media = _dict(webrtc.get("media"))
    plugin = _dict(info.get("plugin_specific"))
    summary["media"] = [_medium(str(mid), _dict(m), plugin) for mid, m in media.items()]
    return summary


def _direction(medium: Mapping[str, Any]) -> str:
    send, recv = medium.get("send"), medium.get("recv")
    if send is None and recv is None:
        return "-"
    return {(True, True): "sendrecv", (True, False): "sendonly", (False, True): "recvonly"}.get(
        (bool(send), bool(recv)), "inactive"
    )


def render_summary(summary: Mapping[str, Any]) -> str:
    """The summary as text for people."""
    head = (
        f"Handle {summary.get('handle_id')} of session {summary.get('session_id')}: "
        f"{fmt(summary.get('plugin'))}"
    )
    general = [
        ("opaque id", summary.get("opaque_id")),
        ("transport", summary.get("transport")),
        ("token", "set" if summary.get("token_set") else "none"),
        ("age", f"{fmt(summary.get('age_seconds'))} s"),
        ("flags", summary.get("flags")),
        ("pending trickles", summary.get("pending_trickles")),
        ("queued packets", summary.get("queued_packets")),
    ]
    if summary.get("pcap"):
        general.append(("capture", summary.get("pcap")))
    parts = [head, pairs(general, indent="  ")]
    plugin_state = summary.get("plugin_state")
    if isinstance(plugin_state, Mapping) and plugin_state:
        parts += ["PLUGIN", pairs(plugin_state.items(), indent="  ")]
    ice = summary.get("ice")
    if not isinstance(ice, Mapping):
        parts.append("PeerConnection: none (no offer or answer negotiated yet)")
        return "\n".join(parts)
    ice_state = f"{fmt(ice.get('state'))}" + (" (ready)" if ice.get("ready") else "")
    parts.append("ICE")
    parts.append(
        pairs(
            [
                ("state", ice_state),
                ("role", f"{fmt(ice.get('role'))}, {fmt(ice.get('mode'))} ICE"),
                (
                    "candidates",
                    f"{ice.get('local_candidates')} local, {ice.get('remote_candidates')} remote",
                ),
                ("selected pair", ice.get("selected_pair")),
                ("connected after", _secs(ice.get("connect_seconds"))),
            ],
            indent="  ",
        )
    )
    dtls = summary.get("dtls")
    parts.append("DTLS")
    if isinstance(dtls, Mapping):
        srtp = fmt(dtls.get("srtp_profile"))
        if dtls.get("srtp_valid") is not None:
            srtp += " (valid)" if dtls.get("srtp_valid") else " (not valid)"
        parts.append(
            pairs(
                [
                    ("state", dtls.get("state")),
                    ("role", dtls.get("role")),
                    ("SRTP", srtp),
                    ("retransmissions", dtls.get("retransmissions")),
                    (
                        "packets",
                        f"{fmt(dtls.get('packets_in'))} in, {fmt(dtls.get('packets_out'))} out",
                    ),
                    ("handshake took", _secs(dtls.get("handshake_seconds"))),
                ],
                indent="  ",
            )
        )
    else:
        parts.append("  (no DTLS transport yet)")
    media = summary.get("media") or []
    parts.append("MEDIA")
    parts.append(
        table(
            [
                "mid",
                "type",
                "codec",
                "direction",
                "pkts in",
                "bytes in",
                "pkts out",
                "bytes out",
                "nacks in/out",
                "lost",
                "lost remote",
                "rtt",
            ],
            (
                [
                    m.get("mid"),
                    m.get("type"),
                    m.get("codec"),
                    _direction(m),
                    m.get("packets_in"),
                    m.get("bytes_in"),
                    m.get("packets_out"),
                    m.get("bytes_out"),
                    f"{fmt(m.get('nacks_in'))}/{fmt(m.get('nacks_out'))}",
                    m.get("lost"),
                    m.get("lost_by_remote"),
                    m.get("rtt"),
                ]
                for m in media
            ),
            empty="no media negotiated",
        )
    )
    return "\n".join(parts)


def _secs(value: Any) -> str | None:
    return None if value is None else f"{fmt(value)} s"
