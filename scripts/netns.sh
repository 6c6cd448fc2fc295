#!/usr/bin/env bash
# Run a command inside a private network namespace made for real-media tests.
#
#   bash scripts/netns.sh COMMAND [ARGS...]
#
# The namespace (../shared/media-testing.md, "The recipe") has only:
#   lo   up, 127.0.0.1: Janus's HTTP/WebSocket/admin listeners and our signalling;
#   jv0  one end of a veth pair, 127.0.0.2/32: the only address ICE may use (Janus is
#        started with ice_enforce_list = "jv0" and interface = "127.0.0.2"; aioice gathers
#        127.0.0.2 and drops 127.0.0.1);
#   jv1  the other end, up, no address (never give it one: Janus would ARP for it and
#        Linux ignores ARP from its own address, so ICE would never complete);
# and IPv6 off. No route leads out: nothing can leave the machine. The namespace is
# anonymous (`unshare --net`) and vanishes with the last process in it.
#
# As root it uses `unshare --net`; otherwise `unshare --user --map-root-user --net`,
# which works where unprivileged user namespaces are allowed (the interpreter must be
# readable by the mapped user). Install packages BEFORE entering: there is no network here.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]  (runs COMMAND in a private network namespace)" >&2
    exit 2
fi

if [[ "${JANUS_NETNS_STAGE:-}" != "inside" ]]; then
    self="$(readlink -f "${BASH_SOURCE[0]}")"
    if [[ "$(id -u)" -eq 0 ]]; then
        exec unshare --net -- env JANUS_NETNS_STAGE=inside bash "$self" "$@"
    fi
    exec unshare --user --map-root-user --net -- env JANUS_NETNS_STAGE=inside bash "$self" "$@"
fi
unset JANUS_NETNS_STAGE

if ! command -v ip >/dev/null 2>&1; then
    echo "netns.sh: 'ip' is missing (apt-get install iproute2)" >&2
    exit 1
fi

# IPv6 off first, so the veth pair made next never gets a link-local address.
sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add jv0 type veth peer name jv1
ip addr add 127.0.0.2/32 dev jv0
ip link set jv1 up
ip link set jv0 up

# Wait (up to 5 s) until jv0's carrier is up: ICE gathers nothing before that.
for _ in $(seq 1 500); do
    if ip -o link show dev jv0 | grep -q "LOWER_UP"; then
        break
    fi
    sleep 0.01
done
if ! ip -o link show dev jv0 | grep -q "LOWER_UP"; then
    echo "netns.sh: jv0 did not come up:" >&2
    ip -o link show >&2
    exit 1
fi

exec "$@"
