#!/bin/bash
# A throwaway real Neutron 21 (OpenStack Zed, Debian bookworm's python3-neutron) for netmeter's
# NeutronFollowingIT: neutron-server with the router plugin, in noauth mode, on a private sqlite file,
# with oslo.messaging's fake transport (no RabbitMQ, no agents), on 127.0.0.1. Adapted from the recipe in
# ../shared/tools/neutron-server. Nothing system-wide is touched beyond the package install (.ci/run does it:
# neutron-common python3-neutron sqlite3).
#
# Usage:
#   neutron-test-server.sh start          -> creates NEUTRON_DIR, makes the schema, starts neutron-server in
#                                            the background, waits until it answers, prints shell-sourceable
#                                            env (NEUTRON_DIR, NEUTRON_PID, NEUTRON_URL); non-zero on failure
#   neutron-test-server.sh stop NEUTRON_DIR -> stops the server started from NEUTRON_DIR and deletes NEUTRON_DIR
#
# Tunables (env): NEUTRON_PORT (default 39696), NEUTRON_START_TIMEOUT (default 90 s).
# Neutron's own noauth pipeline: a request without X-Project-Id is an admin of project fake_project_id.
# With NEUTRON_KEYSTONE_URL (a Keystone v3 endpoint, e.g. from keystone-test-server.sh) Neutron runs with
# auth_strategy = keystone instead: keystonemiddleware validates X-Auth-Token there, as the user
# NEUTRON_KEYSTONE_USER (admin) / NEUTRON_KEYSTONE_PASSWORD (secret) of project NEUTRON_KEYSTONE_PROJECT (admin).
set -euo pipefail

cmd=${1:-start}
PY=/usr/bin/python3   # Debian's python: neutron lives in its dist-packages

stop_dir() {
  local d=$1
  if [ -f "$d/neutron.pid" ]; then
    local pid; pid=$(cat "$d/neutron.pid")
    if kill -0 "$pid" 2>/dev/null; then
      # started as a session leader (setsid): its pid is its process group, which holds its workers
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  if [ -f "$d/.run-neutron" ]; then rm -rf "$d"; else echo "not deleting $d (no .run-neutron marker)" >&2; fi
}

if [ "$cmd" = stop ]; then
  stop_dir "${2:?usage: $0 stop NEUTRON_DIR}"
  exit 0
fi

PORT=${NEUTRON_PORT:-39696}
START_TIMEOUT=${NEUTRON_START_TIMEOUT:-90}
URL="http://127.0.0.1:$PORT"
command -v neutron-server >/dev/null || { echo "neutron-server is not installed (apt-get install neutron-common python3-neutron)" >&2; exit 1; }
if curl -s -o /dev/null --max-time 2 "$URL/"; then
  echo "port $PORT already answers HTTP; pick another NEUTRON_PORT" >&2; exit 1
fi
DIR=$(mktemp -d --tmpdir neutron.XXXXXX)
touch "$DIR/.run-neutron"
mkdir -p "$DIR/lock" "$DIR/log" "$DIR/conf.d"

cat > "$DIR/neutron.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT
auth_strategy = noauth
core_plugin = ml2
service_plugins = router,metering
api_paste_config = $DIR/api-paste.ini
state_path = $DIR
transport_url = fake:/
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
allow_overlapping_ips = true
pagination_max_limit = -1
debug = false
log_dir = $DIR/log
log_file = neutron-server.log
use_stderr = false
[database]
connection = sqlite:///$DIR/neutron.sqlite
[oslo_concurrency]
lock_path = $DIR/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
policy_file = $DIR/policy.yaml
enforce_new_defaults = false
enforce_scope = false
[agent]
root_helper =
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers =
extension_drivers =
[ml2_type_vxlan]
vni_ranges = 1:1000
[ml2_type_flat]
flat_networks = *
EOF
: > "$DIR/policy.yaml"   # Neutron's in-code defaults
if [ -n "${NEUTRON_KEYSTONE_URL:-}" ]; then
  sed -i "s|^auth_strategy = .*|auth_strategy = keystone|" "$DIR/neutron.conf"
  cat >> "$DIR/neutron.conf" <<EOF
[keystone_authtoken]
www_authenticate_uri = $NEUTRON_KEYSTONE_URL
auth_url = $NEUTRON_KEYSTONE_URL
auth_type = password
username = ${NEUTRON_KEYSTONE_USER:-admin}
password = ${NEUTRON_KEYSTONE_PASSWORD:-secret}
project_name = ${NEUTRON_KEYSTONE_PROJECT:-admin}
user_domain_name = Default
project_domain_name = Default
EOF
fi

cat > "$DIR/api-paste.ini" <<'EOF'
[composite:neutron]
use = egg:Paste#urlmap
/: neutronversions_composite
/v2.0: neutronapi_v2_0

[composite:neutronapi_v2_0]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi request_id fake_project_id catch_errors extensions neutronapiapp_v2_0
keystone = cors http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0

[composite:neutronversions_composite]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi neutronversions
keystone = cors http_proxy_to_wsgi neutronversions

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = neutron

[filter:fake_project_id]
paste.filter_factory = neutron.auth:NoauthFakeProjectId.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory

[app:neutronversions]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory

[app:neutronapiapp_v2_0]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
EOF

# Neutron's alembic migrations do not run on sqlite (ALTER of constraints), so the schema is made from the
# models at HEAD, as Neutron's own tests do, and stamped.
if ! "$PY" - "$DIR/neutron.sqlite" >"$DIR/log/schema.log" 2>&1 <<'PYEOF'
import sys
import sqlalchemy as sa
from neutron.db.migration.models import head
engine = sa.create_engine("sqlite:///" + sys.argv[1])
head.get_metadata().create_all(engine)
PYEOF
then
  echo "cannot create Neutron's schema:" >&2; tail -20 "$DIR/log/schema.log" >&2; stop_dir "$DIR"; exit 1
fi
if ! neutron-db-manage --config-file "$DIR/neutron.conf" --config-dir "$DIR/conf.d" stamp heads \
    >"$DIR/log/db-manage.log" 2>&1; then
  echo "neutron-db-manage stamp failed:" >&2; tail -20 "$DIR/log/db-manage.log" >&2; stop_dir "$DIR"; exit 1
fi

setsid neutron-server --config-file "$DIR/neutron.conf" --config-dir "$DIR/conf.d" \
  </dev/null >"$DIR/log/neutron-server.stdout" 2>&1 &
PID=$!
echo "$PID" > "$DIR/neutron.pid"
ok=
for _ in $(seq 1 $((START_TIMEOUT * 5))); do
  if ! kill -0 "$PID" 2>/dev/null; then break; fi
  # 200 in noauth mode, 401 (no token) with Keystone: either way the API is up
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/v2.0/routers" || true)
  if [ "$code" = 200 ] || [ "$code" = 401 ]; then ok=1; break; fi
  sleep 0.2
done
if [ -z "$ok" ]; then
  echo "neutron-server failed to start; see $DIR/log:" >&2
  tail -30 "$DIR/log/neutron-server.log" "$DIR/log/neutron-server.stdout" >&2 || true
  stop_dir "$DIR"
  exit 1
fi
cat <<EOF
# neutron ready
export NEUTRON_DIR=$DIR
export NEUTRON_PID=$PID
export NEUTRON_URL=$URL
EOF
