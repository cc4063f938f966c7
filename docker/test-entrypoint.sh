#!/usr/bin/env bash
# Exercises the image's build script and entrypoint outside Docker (this machine has no engine):
# builds the /app layout into a temporary directory with docker/build-app.sh, checks that the
# entrypoint refuses a bad environment, then starts a ledger node and an order node through it,
# configured only by LOYALTY_* variables as docker-compose.yml configures them (a write token,
# from a variable and from a file; their cluster traffic over TLS with stores made by keytool),
# and checks that a write without the token is refused and that an adjustment and an order show
# on both. With LEDGER_TEST_POSTGRES_URL set (bin/with-postgres) the order node keeps its writer
# and order tables in that PostgreSQL database.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/loyalty-entrypoint.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "test-entrypoint: FAILED: $*" >&2; for f in "$WORK"/*.log; do [[ -f "$f" ]] && { echo "--- $f"; tail -40 "$f"; } >&2; done; exit 1; }

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

"$ROOT/docker/build-app.sh" "$WORK/app"
ENTRY="$WORK/app/bin/entrypoint.sh"

# A bad environment is refused before any JVM starts.
set +e
APP_HOME="$WORK/app" LOYALTY_NODE_KIND=archive "$ENTRY" 2>"$WORK/refused.txt"; status=$?
set -e
[[ $status == 64 ]] && grep -q "LOYALTY_NODE_KIND" "$WORK/refused.txt" || fail "bad kind: status $status"
set +e
APP_HOME="$WORK/app" LOYALTY_NODE_KIND=ledger LOYALTY_NODE_NAME=x LOYALTY_SEED_NODES="not a seed" \
  "$ENTRY" 2>"$WORK/refused.txt"; status=$?
set -e
[[ $status == 64 ]] && grep -q "not host:port" "$WORK/refused.txt" || fail "bad seed: status $status"
set +e
env -u LOYALTY_WRITE_TOKENS APP_HOME="$WORK/app" LOYALTY_NODE_KIND=ledger LOYALTY_NODE_NAME=x \
  LOYALTY_SEED_NODES=127.0.0.1:25520 "$ENTRY" 2>"$WORK/refused.txt"; status=$?
set -e
[[ $status == 64 ]] && grep -q "LOYALTY_WRITE_TOKENS is required" "$WORK/refused.txt" || fail "no token: status $status"

# The secrets a deployment gives its nodes: a write token, and keys for the cluster's TLS.
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$WORK/token")
TOKEN_FILE="$WORK/token"
export STORE_PASSWORD="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
store_tool() { "${JAVA_HOME:+$JAVA_HOME/bin/}keytool" "$@" -storepass:env STORE_PASSWORD >/dev/null 2>&1; }
store_tool -genkeypair -alias node -keyalg RSA -keysize 2048 -validity 2 -dname CN=entrypoint-test \
  -storetype PKCS12 -keystore "$WORK/keystore.p12"
store_tool -exportcert -rfc -alias node -keystore "$WORK/keystore.p12" -file "$WORK/node.crt"
store_tool -importcert -noprompt -alias node -file "$WORK/node.crt" -storetype PKCS12 \
  -keystore "$WORK/truststore.p12"
authorized_curl() { curl -H @- "$@" <<< "Authorization: Bearer $(cat "$TOKEN_FILE")"; }

A1=$(free_port); A2=$(free_port); H1=$(free_port); H2=$(free_port)
start() { # name kind artery http [extra env...]
  local name=$1 kind=$2 artery=$3 http=$4
  shift 4
  APP_HOME="$WORK/app" JAVA_OPTS="-Xmx256m" \
    LOYALTY_NODE_KIND="$kind" LOYALTY_NODE_NAME="$name" \
    LOYALTY_SEED_NODES="127.0.0.1:$A1" LOYALTY_ARTERY_HOSTNAME=127.0.0.1 \
    LOYALTY_ARTERY_PORT="$artery" LOYALTY_HTTP_PORT="$http" LOYALTY_DATA_DIR="$WORK/$name" \
    LOYALTY_ARTERY_TRANSPORT=tls-tcp \
    LOYALTY_TLS_KEY_STORE="$WORK/keystore.p12" LOYALTY_TLS_TRUST_STORE="$WORK/truststore.p12" \
    LOYALTY_TLS_KEY_STORE_PASSWORD="$STORE_PASSWORD" LOYALTY_TLS_TRUST_STORE_PASSWORD="$STORE_PASSWORD" \
    env "$@" "$ENTRY" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
}
# ledger-1 reads its token from a file (as from a Docker secret), order-1 from a variable.
start ledger-1 ledger "$A1" "$H1" LOYALTY_WRITE_TOKENS_FILE="$TOKEN_FILE"
if [[ -n "${LEDGER_TEST_POSTGRES_URL:-}" ]]; then
  echo "test-entrypoint: order-1 on PostgreSQL ($LEDGER_TEST_POSTGRES_URL)"
  LOYALTY_WRITE_TOKENS="$(cat "$TOKEN_FILE")" start order-1 order "$A2" "$H2" \
    LOYALTY_JDBC_URL="$LEDGER_TEST_POSTGRES_URL" \
    LOYALTY_JDBC_USER="${LEDGER_TEST_POSTGRES_USER:-postgres}" \
    LOYALTY_JDBC_PASSWORD="${LEDGER_TEST_POSTGRES_PASSWORD:-}"
else
  LOYALTY_WRITE_TOKENS="$(cat "$TOKEN_FILE")" start order-1 order "$A2" "$H2"
fi

for port in "$H1" "$H2"; do
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || fail "node on :$port not ready"
done
echo "test-entrypoint: ledger-1 and order-1 ready"
grep -q 'over TLS' "$WORK/ledger-1.log" && grep -q 'over TLS' "$WORK/order-1.log" \
  || fail "the nodes do not run their cluster traffic over TLS"

status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$H1/v1/accounts/entry-alice/adjustments" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: entry-1' \
  -d '{"points": 40, "reason": "entrypoint test"}')"
[[ "$status" == 401 ]] || fail "a write without the token answered $status, expected 401"

authorized_curl -fsS -X POST "http://127.0.0.1:$H1/v1/accounts/entry-alice/adjustments" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: entry-1' \
  -d '{"points": 40, "reason": "entrypoint test"}' >/dev/null || fail "adjustment"
authorized_curl -fsS -X POST "http://127.0.0.1:$H2/v1/orders" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: entry-order-1' \
  -d '{"orderId": "entry-o-1", "accountId": "entry-alice", "amount": "2.50", "currency": "EUR"}' \
  >/dev/null || fail "order"
expected=$((40 + 2))
for port in "$H1" "$H2"; do
  for _ in $(seq 1 100); do
    balance=$(authorized_curl -fsS "http://127.0.0.1:$port/v1/accounts/entry-alice" | sed -n 's/.*"balance":\([-0-9]*\).*/\1/p')
    [[ "$balance" == "$expected" ]] && break
    sleep 0.2
  done
  [[ "$balance" == "$expected" ]] || fail "balance on :$port is '$balance', expected $expected"
done
grep -q '"role":"order"' <(authorized_curl -fsS "http://127.0.0.1:$H2/v1/node") || fail "order-1 is not an order node"
# Structured logs by default: JSON lines carrying the node's name.
grep -q '"node":"order-1"' "$WORK/order-1.log" || fail "order-1 does not log JSON with its name"
# No secret in any log line.
for log in "$WORK/ledger-1.log" "$WORK/order-1.log"; do
  if grep -qF -e "$(cat "$TOKEN_FILE")" -e "$STORE_PASSWORD" "$log"; then fail "$log shows a secret"; fi
done
# docker stop: SIGTERM, and the nodes stop gracefully with status 0 well within the compose file's
# stop_grace_period.
kill -TERM "${pids[@]}"
for pid in "${pids[@]}"; do
  for _ in $(seq 1 90); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && fail "a node did not stop within 45 s of SIGTERM"
  status=0; wait "$pid" || status=$?
  [[ $status == 0 ]] || fail "a node stopped with status $status after SIGTERM"
done
pids=()
echo "test-entrypoint: ok (no token: 401; adjustment and order visible on both nodes over TLS, balance $expected; stopped with status 0)"
