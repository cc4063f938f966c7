#!/usr/bin/env bash
# Publishing benchmark: the ledger's batched publisher into a 3-node cluster against raw Akka
# PNCounterMap updates, in one JVM run. See bench/README.md.
#
#   bench/publish.sh                      default sizes (200 000 rows, 20 000 raw updates)
#   bench/publish.sh --rows=50000 --raw-ops=5000
#   bench/publish.sh --help               every option
#
# Environment: BENCH_HEAP (default -Xmx3g), BENCH_JVM_OPTS (extra JVM flags),
# BENCH_PROFILE=1 (records a JFR profile next to the log), BENCH_OFFLINE=1 (Maven offline).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
STAMP="$(date +%Y%m%d-%H%M%S)"
LOG="$OUT/publish-$STAMP.log"
# shellcheck source=classpath.sh
source "$ROOT/bench/classpath.sh"
JVM_OPTS=(--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
JVM_OPTS+=(${BENCH_HEAP:--Xmx3g})
if [[ "${BENCH_PROFILE:-0}" == 1 ]]; then
  JVM_OPTS+=("-XX:StartFlightRecording=filename=$OUT/publish-$STAMP.jfr,settings=profile")
fi
# shellcheck disable=SC2206
JVM_OPTS+=(${BENCH_JVM_OPTS:-})

echo "Running; node logs go to $LOG"
status=0
"$JAVA" "${JVM_OPTS[@]}" \
  -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -Dbench.log="$LOG" \
  -cp "$CP" io.loyaltyledger.ledger.bench.PublishBenchmark "$@" || status=$?

if [[ -f "$LOG" ]]; then
  echo "Log file check ($LOG), lines containing:"
  printf '  %-40s %s\n' "oversized (any case)" "$(grep -ci 'oversized' "$LOG" || true)"
  printf '  %-40s %s\n' "Failed to serialize oversized message" \
    "$(grep -c 'Failed to serialize oversized message' "$LOG" || true)"
  printf '  %-40s %s\n' "maximum-frame-size" "$(grep -ci 'maximum-frame-size' "$LOG" || true)"
fi
exit "$status"
