#!/usr/bin/env bash
# Replica memory benchmark: bytes per account on one replica and the largest bucket's serialized
# size, for N distinct accounts with a row from each of W writers. See bench/README.md.
#
#   bench/memory.sh                                   1 000 000 accounts x 3 writers, 4096 buckets
#   bench/memory.sh --accounts=200000 --writers=5
#
# Environment: BENCH_HEAP (default -Xmx4g), BENCH_OFFLINE=1 (Maven offline).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=classpath.sh
source "$ROOT/bench/classpath.sh"

# JOL reads object layouts through the JDK's internals; -Djol.magicFieldOffset quiets its probe.
"$JAVA" ${BENCH_HEAP:--Xmx4g} -Djdk.attach.allowAttachSelf=true -Djol.magicFieldOffset=true \
  -cp "$CP" io.loyaltyledger.ledger.bench.ReplicaMemoryBenchmark "$@"
