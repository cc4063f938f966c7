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
MVN=(./mvnw -B -q)
if [[ "${BENCH_OFFLINE:-0}" == 1 ]]; then MVN+=(-o); fi
echo "Building order-node test classes and the test classpath ..."
"${MVN[@]}" -pl order-node -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
CP="$ROOT/order-node/target/test-classes:$ROOT/order-node/target/classes:$(cat "$ROOT/order-node/target/bench-classpath.txt")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$ROOT/bench/out"
# shellcheck disable=SC2206
exec "$JAVA" ${BENCH_HEAP:--Xmx512m} -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -Dbench.log="$ROOT/bench/out/intake.log" -cp "$CP" io.loyaltyledger.order.bench.IntakeBenchmark "${ARGS[@]}"
