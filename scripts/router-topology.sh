#!/usr/bin/env bash
# A router host in three network namespaces, for benchmarks (root needed):
#
#   PREFIX-client  cl-eth0 <-veth-> qr-PREFIX  PREFIX-router  qg-PREFIX <-veth-> ex-eth0  PREFIX-external
#   198.51.100.10/24, 2001:db8:1::10/64        forwarding on              203.0.113.10/24, 2001:db8:2::10/64
#
# Documentation address ranges only (RFC 5737, RFC 3849); the namespaces reach nothing but each other.
# usage: router-topology.sh up|down PREFIX   (PREFIX: at most 12 characters, so qg-PREFIX is a valid name)
set -euo pipefail
action=${1:?up or down}; p=${2:?prefix}

down() {
  for ns in "$p-client" "$p-router" "$p-external"; do
    if ip netns list | awk '{print $1}' | grep -x "$ns" >/dev/null; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
      ip netns del "$ns"
    fi
  done
}

up() {
  down
  for ns in client router external; do ip netns add "$p-$ns"; ip -n "$p-$ns" link set lo up; done
  ip -n "$p-router" link add "qr-$p" type veth peer name cl-eth0
  ip -n "$p-router" link set cl-eth0 netns "$p-client"
  ip -n "$p-router" link add "qg-$p" type veth peer name ex-eth0
  ip -n "$p-router" link set ex-eth0 netns "$p-external"
  ip -n "$p-client" addr add 198.51.100.10/24 dev cl-eth0
  ip -n "$p-client" addr add 2001:db8:1::10/64 dev cl-eth0 nodad
  ip -n "$p-router" addr add 198.51.100.1/24 dev "qr-$p"
  ip -n "$p-router" addr add 2001:db8:1::1/64 dev "qr-$p" nodad
  ip -n "$p-router" addr add 203.0.113.1/24 dev "qg-$p"
  ip -n "$p-router" addr add 2001:db8:2::1/64 dev "qg-$p" nodad
  ip -n "$p-external" addr add 203.0.113.10/24 dev ex-eth0
  ip -n "$p-external" addr add 2001:db8:2::10/64 dev ex-eth0 nodad
  ip -n "$p-client" link set cl-eth0 up
  ip -n "$p-router" link set "qr-$p" up
  ip -n "$p-router" link set "qg-$p" up
  ip -n "$p-external" link set ex-eth0 up
  ip -n "$p-client" route add default via 198.51.100.1
  ip -n "$p-client" -6 route add default via 2001:db8:1::1
  ip -n "$p-external" route add default via 203.0.113.1
  ip -n "$p-external" -6 route add default via 2001:db8:2::1
  ip netns exec "$p-router" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$p-router" sysctl -qw net.ipv6.conf.all.forwarding=1
}

case "$action" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down PREFIX" >&2; exit 2 ;;
esac
