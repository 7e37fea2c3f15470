#!/usr/bin/env bash
# The quick start to a counted byte, on one machine (run as root; needs ip, nft, python3 and curl):
#
#   1. builds a router host in three network namespaces (scripts/router-topology.sh): a client network
#      198.51.100.0/24 behind a router whose external interface qg-nmqs leads to an external host 203.0.113.10;
#   2. starts `netmeter server` (static tokens, its own data directory) and reads the admin token it issued;
#   3. creates a label "web" with an ingress rule for the client network, and the router (host, namespace,
#      external interface), through the API;
#   4. issues an agent token and starts `netmeter agent` for the host (measuring every second, reporting every
#      two, so that the demo is quick);
#   5. sends 100 UDP datagrams of 1,000 bytes (1,028 at layer 3) from the external host to the client through
#      the router, and prints the usage the API serves for the label once the agent has reported it.
#
# It exits 0 when the usage served is exactly what was sent, so CI runs it to keep this path true. Everything
# it made (namespaces, processes, files) is removed at the end; the logs are printed if something fails.
# Usage: sudo scripts/quickstart.sh [PORT]   (default: a free port)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=nmqs                     # namespaces nmqs-client, nmqs-router, nmqs-external; interface qg-nmqs
host=quickstart-host
datagrams=100 payload=1000
port=${1:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
work=$(mktemp -d /tmp/netmeter-quickstart.XXXXXX)
url="http://127.0.0.1:$port"
server_pid="" agent_pid=""

say() { printf '\n== %s\n' "$*"; }

finish() {
  local status=$? pid
  set +e        # clean up whatever fails: a stopped process's exit status is no failure of the demo
  for pid in $agent_pid $server_pid; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  bash "$here/scripts/router-topology.sh" down "$prefix"
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 40 "$log"; }; done
    echo "quickstart: FAILED (exit $status)" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT

for tool in ip nft python3 curl; do
  command -v "$tool" >/dev/null || { echo "quickstart needs $tool (apt-get install iproute2 nftables python3 curl)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "quickstart needs root (network namespaces and nft)" >&2; exit 2; }

# `api METHOD PATH [BODY]`: one API call with the admin token; prints the answer, fails on a status >= 400.
api() {
  curl -sS --fail-with-body -X "$1" "$url$2" -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' \
       ${3:+-d "$3"}
}
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

# `wait_for WHAT SECONDS COMMAND...`: polls COMMAND every half second until it succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "quickstart: $what did not happen within $seconds s" >&2
  return 1
}

say "1. a router host in network namespaces ($prefix-client, $prefix-router with qg-$prefix, $prefix-external)"
bash "$here/scripts/router-topology.sh" up "$prefix"

say "2. netmeter server on $url (data in $work/data)"
"$here/netmeter" server --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "the server's start (build included)" 600 curl -sf "$url/healthz"
TOKEN=$(cat "$work/data/admin-token")
curl -sS "$url/healthz"; echo

say "3. a label, its rule and the router"
label=$(api POST /v2.0/metering/metering-labels \
  '{"metering_label": {"name": "web", "description": "traffic to the client network"}}' | json "['metering_label']['id']")
# ingress: packets entering through the external interface; remote_ip_prefix is matched against their destination
api POST /v2.0/metering/metering-label-rules "{\"metering_label_rule\": {\"metering_label_id\": \"$label\",
  \"direction\": \"ingress\", \"remote_ip_prefix\": \"198.51.100.0/24\"}}"; echo
api POST /v2.0/metering/routers "{\"router\": {\"name\": \"demo\", \"host\": \"$host\",
  \"namespace\": \"$prefix-router\", \"external_interface\": \"qg-$prefix\"}}"; echo

# One datagram each way before anything counts, so that the router has resolved its neighbours (a burst to an
# unresolved neighbour may be cut short by the kernel's queue for it).
send() {   # send FROM-NAMESPACE TO-ADDRESS COUNT
  ip netns exec "$prefix-$1" python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range($3):
    s.sendto(b'x' * $payload, ('$2', 9))
    time.sleep(0.001)"
}
send external 198.51.100.10 1
send client 203.0.113.10 1

say "4. netmeter agent for host $host"
agent_token=$("$here/netmeter" token create --data-dir "$work/data" --project services --user "agent-$host" --role agent)
NETMETER_AGENT_TOKEN=$agent_token NETMETER_AGENT_MEASURE_INTERVAL=1 NETMETER_AGENT_REPORT_INTERVAL=2 \
  "$here/netmeter" agent --host "$host" --server-url "$url" --data-dir "$work/agent-data" >"$work/agent.log" 2>&1 &
agent_pid=$!
wait_for "the agent's first table" 120 grep -q "sync revision .* applied: 1 router" "$work/agent.log"
ip netns exec "$prefix-router" nft list table inet netmeter | sed -n 1,5p   # sed reads to the end: head would leave nft a SIGPIPE (exit 141 under pipefail)

say "5. $datagrams UDP datagrams of $payload bytes from 203.0.113.10 to 198.51.100.10 through the router"
send external 198.51.100.10 "$datagrams"
expected_bytes=$((datagrams * (payload + 28)))     # + IPv4 and UDP headers: nft counts layer-3 bytes

served() { api GET "/v2.0/metering/usage?granularity=label&label_id=$label"; }
all_reported() {
  served | python3 -c "import json, sys; u = json.load(sys.stdin)['usage']; sys.exit(0 if u and u[0]['pkts'] >= $datagrams else 1)"
}
wait_for "the usage report" 60 all_reported
say "usage served for label web ($label):"
served | python3 -m json.tool
pkts=$(served | json "['usage'][0]['pkts']")
bytes=$(served | json "['usage'][0]['bytes']")
echo "sent $datagrams packets, $expected_bytes bytes; served $pkts packets, $bytes bytes"
[ "$pkts" = "$datagrams" ] && [ "$bytes" = "$expected_bytes" ]
echo "quickstart: OK"
