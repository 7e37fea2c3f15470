#!/bin/bash
# A throwaway local Keystone v3 for netmeter's KeystoneIT and `netmeter bench auth`: Debian bookworm's
# "keystone" package (OpenStack Zed 22.0.x) served by uwsgi on 127.0.0.1, with a private sqlite DB and
# fernet/credential keys in a temp dir. Nothing system-wide is touched beyond the package install
# (.ci/run does it).
#
# Prereq (once, as root):
#   printf 'keystone keystone/configure_db boolean false\nkeystone keystone/create-admin-tenant boolean false\nkeystone keystone/register-endpoint boolean false\n' | debconf-set-selections
#   DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y keystone
#   (pulls uwsgi-core + uwsgi-plugin-python3 + python3-openstackclient as dependencies)
#
# Usage:
#   keystone-test-server.sh start        -> creates KS_DIR, bootstraps, starts uwsgi in background,
#                                   waits until GET /v3 answers, prints shell-sourceable env
#                                   (KS_DIR, KS_PID, OS_AUTH_URL, ...), exit 0 (non-zero on failure)
#   keystone-test-server.sh stop KS_DIR  -> stops uwsgi started from KS_DIR and deletes KS_DIR
#   keystone-test-server.sh run          -> like start, but stays in foreground; Ctrl-C / SIGTERM stops and cleans up
#
# Tunables (env): KS_PORT (default 35000), KS_ADMIN_PASSWORD (default secret),
#   KS_TOKEN_EXPIRATION seconds (default 3600; min 0),
#   KS_HASH_ROUNDS (4), KS_REGION (RegionOne), KS_START_TIMEOUT (60). Work dir: mktemp -d under ${TMPDIR:-/tmp}.
set -euo pipefail

cmd=${1:-start}

stop_dir() {
  local d=$1
  if [ -f "$d/uwsgi.pid" ]; then
    local pid; pid=$(cat "$d/uwsgi.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true          # uwsgi master with --die-on-term
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [ -f "$d/.run-keystone" ]; then rm -rf "$d"; else echo "not deleting $d (no .run-keystone marker)" >&2; fi
}

if [ "$cmd" = stop ]; then
  stop_dir "${2:?usage: $0 stop KS_DIR}"
  exit 0
fi

PORT=${KS_PORT:-35000}
ADMIN_PASSWORD=${KS_ADMIN_PASSWORD:-secret}
EXPIRATION=${KS_TOKEN_EXPIRATION:-3600}
HASH_ROUNDS=${KS_HASH_ROUNDS:-4}     # bcrypt cost; keystone default 12 (~0.25 s per password auth), 4 = min
# Concurrency model (see NOTES.md): ONE uwsgi worker, ONE thread, in-process memory cache.
#  * threads>1: keystone+sqlite is not thread-safe (sqlite connections GC'd in foreign threads ->
#    "database is locked" -> empty replies).
#  * without a cache keystone issues ~400 SQL queries per token validation (~0.3-0.5 s); the
#    dogpile memory cache brings it to ~10 ms, but it is per process, so >1 worker would serve
#    stale role assignments/revocations (needs a shared memcached; not done here).
#  Concurrent clients are fine: they queue on the listen backlog (--listen 100), ~100 validations/s.
REGION=${KS_REGION:-RegionOne}
START_TIMEOUT=${KS_START_TIMEOUT:-60}
URL="http://127.0.0.1:$PORT"
if curl -s -o /dev/null --max-time 2 "$URL/"; then
  echo "port $PORT already answers HTTP; pick another KS_PORT" >&2; exit 1
fi
DIR=$(mktemp -d --tmpdir keystone.XXXXXX)   # honours $TMPDIR
touch "$DIR/.run-keystone"
if [ "$cmd" = run ]; then trap 'stop_dir "$DIR"; exit 0' INT TERM; fi
T0=$(date +%s.%N)

mkdir -p "$DIR/fernet-keys" "$DIR/credential-keys" "$DIR/log" "$DIR/conf.d"
chmod 700 "$DIR/fernet-keys" "$DIR/credential-keys"
cat > "$DIR/keystone.conf" <<EOF
[DEFAULT]
log_file = $DIR/log/keystone.log
debug = false
[identity]
password_hash_rounds = $HASH_ROUNDS
[database]
connection = sqlite:///$DIR/keystone.db
[token]
provider = fernet
expiration = $EXPIRATION
[fernet_tokens]
key_repository = $DIR/fernet-keys
[fernet_receipts]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory
[oslo_policy]
policy_file = $DIR/policy.yaml
EOF

# empty --config-dir so a system /etc/keystone/keystone.conf.d is never merged in
# (keystone-manage prints harmless eventlet "Exception ignored in: _removeHandlerRef" noise on exit,
#  so its stderr goes to log/manage.err and is only shown on failure)
km() {
  if ! keystone-manage --config-file "$DIR/keystone.conf" --config-dir "$DIR/conf.d" "$@" 2>>"$DIR/log/manage.err"; then
    echo "keystone-manage $1 failed:" >&2; cat "$DIR/log/manage.err" >&2
    tail -20 "$DIR/log/keystone.log" >&2 || true; stop_dir "$DIR"; exit 1
  fi
}
km db_sync
# WAL: so keystone-manage / sqlite3 inspection never blocks the server (persistent in the db file)
sqlite3 "$DIR/keystone.db" 'PRAGMA journal_mode=WAL;' >/dev/null
# fernet/credential keys: same result as `keystone-manage fernet_setup/credential_setup
# --keystone-user root --keystone-group root` (key 0 = staged, 1 = primary) but without two
# extra ~2 s keystone-manage start-ups. Set KS_USE_MANAGE_SETUP=1 to use keystone-manage instead.
if [ "${KS_USE_MANAGE_SETUP:-0}" = 1 ]; then
  km fernet_setup --keystone-user root --keystone-group root
  km credential_setup --keystone-user root --keystone-group root
else
  for repo in fernet-keys credential-keys; do
    for k in 0 1; do
      ( umask 077; /usr/bin/python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode(), end="")' > "$DIR/$repo/$k" )
    done
  done
fi
km bootstrap \
  --bootstrap-password "$ADMIN_PASSWORD" \
  --bootstrap-username admin \
  --bootstrap-project-name admin \
  --bootstrap-role-name admin \
  --bootstrap-service-name keystone \
  --bootstrap-region-id "$REGION" \
  --bootstrap-public-url "$URL/v3" \
  --bootstrap-internal-url "$URL/v3" \
  --bootstrap-admin-url "$URL/v3"
T1=$(date +%s.%N)

# uwsgi (Debian uwsgi-core + uwsgi-plugin-python3) speaking HTTP itself; master + 1 worker.
# Its stdio is detached so callers capturing our stdout ($(...), Java Process) see EOF.
# http-socket closes the TCP connection after every response but would not say so; without
# "Connection: close" pooling clients (python-requests/openstack CLI, Java HttpClient) reuse the
# dead connection and randomly get "Connection reset by peer" on the next request.
UWSGI=(uwsgi --plugins python3 --master --die-on-term --need-app --lazy-apps --enable-threads
       --processes 1 --threads 1 --listen 100 --http-socket "127.0.0.1:$PORT"
       --wsgi-file /usr/bin/keystone-wsgi-public --buffer-size 65535
       --add-header "Connection: close"
       --env "OS_KEYSTONE_CONFIG_FILES=$DIR/keystone.conf" --env "OS_KEYSTONE_CONFIG_DIR="
       --pidfile "$DIR/uwsgi.pid" --logto "$DIR/log/uwsgi.log" --disable-logging)

"${UWSGI[@]}" </dev/null >/dev/null 2>&1 &
PID=$!

ok=
for _ in $(seq 1 $((START_TIMEOUT * 10))); do
  if ! kill -0 "$PID" 2>/dev/null; then break; fi
  if curl -sf -o /dev/null "$URL/v3"; then ok=1; break; fi
  sleep 0.1
done
T2=$(date +%s.%N)
if [ -z "$ok" ]; then
  echo "keystone failed to start; see $DIR/log/uwsgi.log:" >&2
  tail -30 "$DIR/log/uwsgi.log" >&2 || true
  stop_dir "$DIR"
  exit 1
fi

cat <<EOF
# keystone ready: setup $(awk "BEGIN{print $T1-$T0}")s, uwsgi $(awk "BEGIN{print $T2-$T1}")s, total $(awk "BEGIN{print $T2-$T0}")s
export KS_DIR=$DIR
export KS_PID=$PID
export OS_AUTH_URL=$URL/v3
export OS_IDENTITY_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=$ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
EOF

if [ "$cmd" = run ]; then
  wait "$PID" || true
  stop_dir "$DIR"
fi
