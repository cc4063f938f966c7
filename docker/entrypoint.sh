#!/usr/bin/env bash
# Starts one Loyalty Ledger node from the environment (see docker/README.md):
#   LOYALTY_NODE_KIND   ledger | order                         (required)
#   LOYALTY_NODE_NAME   unique node name, also its writer name  (required)
#   LOYALTY_SEED_NODES  host:port,host:port of the seed nodes    (required)
#   LOYALTY_WRITE_TOKENS  bearer token(s) that may write, comma-separated (required; or
#                       LOYALTY_WRITE_TOKENS_FILE, a file holding them, e.g. a Docker secret)
#   LOYALTY_READ_TOKENS, LOYALTY_READS, LOYALTY_METRICS, LOYALTY_ARTERY_TRANSPORT, LOYALTY_TLS_*
#                       (config/node-common.conf)
#   LOYALTY_ARTERY_HOSTNAME, LOYALTY_ARTERY_PORT, LOYALTY_HTTP_PORT, LOYALTY_DATA_DIR,
#   LOYALTY_JDBC_URL, LOYALTY_JDBC_USER, LOYALTY_JDBC_PASSWORD, ... (config/container.conf)
#   LOYALTY_LOG_FORMAT  json (default: one JSON object per line, with the node name) | text
#   JAVA_OPTS           extra JVM flags (heap size, ...)
#   APP_HOME            the application layout (default /app, built by docker/build-app.sh)
set -euo pipefail
APP_HOME="${APP_HOME:-/app}"
fail() { echo "entrypoint: $*" >&2; exit 64; }

case "${LOYALTY_NODE_KIND:-}" in
  ledger) main=io.loyaltyledger.ledger.node.LedgerNodeMain ;;
  order) main=io.loyaltyledger.order.node.OrderNodeMain ;;
  *) fail "LOYALTY_NODE_KIND must be ledger or order, was '${LOYALTY_NODE_KIND:-}'" ;;
esac
[[ -n "${LOYALTY_NODE_NAME:-}" ]] || fail "LOYALTY_NODE_NAME is required"
[[ -n "${LOYALTY_SEED_NODES:-}" ]] || fail "LOYALTY_SEED_NODES is required (host:port,...)"
export LOYALTY_ARTERY_HOSTNAME="${LOYALTY_ARTERY_HOSTNAME:-$(hostname)}"
case "${LOYALTY_LOG_FORMAT:-json}" in
  json) logback=logback-json.xml ;;
  text) logback=logback.xml ;;
  *) fail "LOYALTY_LOG_FORMAT must be json or text, was '$LOYALTY_LOG_FORMAT'" ;;
esac

# HOCON cannot read a list from one variable: seed i becomes akka.cluster.seed-nodes.i.
seeds=()
i=0
IFS=',' read -r -a addresses <<< "$LOYALTY_SEED_NODES"
for address in "${addresses[@]}"; do
  address="${address// /}"
  [[ "$address" =~ ^[A-Za-z0-9._-]+:[0-9]+$ ]] || fail "seed node '$address' is not host:port"
  seeds+=("-Dakka.cluster.seed-nodes.$i=akka://loyalty@$address")
  i=$((i + 1))
done

# The node reads its tokens from the environment (config/node-common.conf), never a command line.
if [[ -n "${LOYALTY_WRITE_TOKENS_FILE:-}" ]]; then
  [[ -r "$LOYALTY_WRITE_TOKENS_FILE" ]] || fail "LOYALTY_WRITE_TOKENS_FILE $LOYALTY_WRITE_TOKENS_FILE cannot be read"
  LOYALTY_WRITE_TOKENS="$(tr '\n' ',' <"$LOYALTY_WRITE_TOKENS_FILE")"
  export LOYALTY_WRITE_TOKENS
fi
[[ -n "${LOYALTY_WRITE_TOKENS:-}" ]] || fail "LOYALTY_WRITE_TOKENS is required: the bearer token(s) writes need (e.g. openssl rand -hex 32)"

# shellcheck disable=SC2206
java_opts=(${JAVA_OPTS:-})
exec java \
  --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  "${java_opts[@]}" "${seeds[@]}" \
  -Dconfig.file="$APP_HOME/config/container-$LOYALTY_NODE_KIND.conf" \
  -Dlogback.configurationFile="$APP_HOME/config/$logback" \
  -cp "$APP_HOME/lib/*" "$main"
