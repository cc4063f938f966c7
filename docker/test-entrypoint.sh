#!/usr/bin/env bash
# Exercises the image's build script and entrypoint outside Docker (this machine has no engine):
# builds the /app layout into a temporary directory with docker/build-app.sh, checks that the
# entrypoint refuses a bad environment, then starts a ledger node and an order node through it,
# configured only by LOYALTY_* variables as docker-compose.yml configures them, and checks that
# an adjustment and an order show on both. With LEDGER_TEST_POSTGRES_URL set (bin/with-postgres)
# the order node keeps its writer and order tables in that PostgreSQL database.
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

A1=$(free_port); A2=$(free_port); H1=$(free_port); H2=$(free_port)
start() { # name kind artery http [extra env...]
  local name=$1 kind=$2 artery=$3 http=$4
  shift 4
  env APP_HOME="$WORK/app" JAVA_OPTS="-Xmx256m" \
    LOYALTY_NODE_KIND="$kind" LOYALTY_NODE_NAME="$name" \
    LOYALTY_SEED_NODES="127.0.0.1:$A1" LOYALTY_ARTERY_HOSTNAME=127.0.0.1 \
    LOYALTY_ARTERY_PORT="$artery" LOYALTY_HTTP_PORT="$http" LOYALTY_DATA_DIR="$WORK/$name" \
    "$@" "$ENTRY" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
}
start ledger-1 ledger "$A1" "$H1"
if [[ -n "${LEDGER_TEST_POSTGRES_URL:-}" ]]; then
  echo "test-entrypoint: order-1 on PostgreSQL ($LEDGER_TEST_POSTGRES_URL)"
  start order-1 order "$A2" "$H2" LOYALTY_JDBC_URL="$LEDGER_TEST_POSTGRES_URL" \
    LOYALTY_JDBC_USER="${LEDGER_TEST_POSTGRES_USER:-postgres}" \
    LOYALTY_JDBC_PASSWORD="${LEDGER_TEST_POSTGRES_PASSWORD:-}"
else
  start order-1 order "$A2" "$H2"
fi

for port in "$H1" "$H2"; do
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || fail "node on :$port not ready"
done
echo "test-entrypoint: ledger-1 and order-1 ready"

curl -fsS -X POST "http://127.0.0.1:$H1/v1/accounts/entry-alice/adjustments" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: entry-1' \
  -d '{"points": 40, "reason": "entrypoint test"}' >/dev/null || fail "adjustment"
curl -fsS -X POST "http://127.0.0.1:$H2/v1/orders" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: entry-order-1' \
  -d '{"orderId": "entry-o-1", "accountId": "entry-alice", "amount": "2.50", "currency": "EUR"}' \
  >/dev/null || fail "order"
expected=$((40 + 2))
for port in "$H1" "$H2"; do
  for _ in $(seq 1 100); do
    balance=$(curl -fsS "http://127.0.0.1:$port/v1/accounts/entry-alice" | sed -n 's/.*"balance":\([-0-9]*\).*/\1/p')
    [[ "$balance" == "$expected" ]] && break
    sleep 0.2
  done
  [[ "$balance" == "$expected" ]] || fail "balance on :$port is '$balance', expected $expected"
done
grep -q '"role":"order"' <(curl -fsS "http://127.0.0.1:$H2/v1/node") || fail "order-1 is not an order node"
# Structured logs by default: JSON lines carrying the node's name.
grep -q '"node":"order-1"' "$WORK/order-1.log" || fail "order-1 does not log JSON with its name"
echo "test-entrypoint: ok (adjustment and order visible on both nodes, balance $expected)"
