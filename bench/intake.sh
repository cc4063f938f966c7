#!/usr/bin/env bash
# The order node's write path alone: OrderIntake on a real writer database from 16 threads, no
# HTTP, no cluster (bench/README.md, "Intake benchmark"). H2 in a temporary directory by default:
#
#   bench/intake.sh                                   # --orders=40000 --warmup-orders=40000
#   bin/with-postgres bench/intake.sh --pg            # on a throwaway PostgreSQL server
#   bench/intake.sh --jdbc-url=jdbc:postgresql://host/db --user=u --password=p
#
# BENCH_OFFLINE=1 runs Maven offline.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --pg ]]; then
    [[ -n "${LEDGER_TEST_POSTGRES_URL:-}" ]] || { echo "--pg needs bin/with-postgres" >&2; exit 2; }
    ARGS+=("--jdbc-url=$LEDGER_TEST_POSTGRES_URL")
  else
    ARGS+=("$arg")
  fi
done
BENCH_MODULE=order-node
# shellcheck source=classpath.sh
source "$ROOT/bench/classpath.sh"
mkdir -p "$ROOT/bench/out"
# shellcheck disable=SC2206
exec "$JAVA" ${BENCH_HEAP:--Xmx512m} -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -Dbench.log="$ROOT/bench/out/intake.log" -cp "$CP" io.loyaltyledger.order.bench.IntakeBenchmark "${ARGS[@]}"
