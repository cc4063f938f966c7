#!/usr/bin/env bash
# Every benchmark of issue 8 against its baseline, measured in the same run on this machine, then
# one table: path, ours, baseline, ratio, goal, met?. See bench/README.md ("Side by side").
#
#   bench/compare.sh                 about 13 minutes on a 2-core box
#   nice -n 19 bench/compare.sh      the same, at low priority (every process it starts inherits it)
#
# Phases (each side alone on the box, the same driver for both sides of a comparison):
#   a. publishing     bench/publish.sh (ours vs raw PNCounterMap, one increment per Update)
#   b. order intake   loyalty bench, orders only, closed loop: the monolith baseline server, then
#                     one order node of a real cluster (3 ledger + 1 order node), its writer on the
#                     same PostgreSQL server (fsync and synchronous_commit on, checked)
#   c. balance reads  loyalty bench, reads only: the baseline's constant route, then a ledger node
#   d. convergence    a second order node joins (5 nodes); loyalty bench at a fixed rate, the lag of
#                     sampled writes until every node shows them
#   e. memory         bench/memory.sh (1 000 000 accounts x 3 writers by default)
#
# It starts everything it needs (a throwaway PostgreSQL server through bin/with-postgres, the node
# and baseline JVMs on free loopback ports) and stops it on exit, Ctrl-C included. Results and logs:
# bench/out/compare-<timestamp>/. Exit code 0 when every row was measured (goals met or not), 1
# when a phase failed.
#
# Environment (defaults in brackets):
#   COMPARE_CONCURRENCY [16]     operations in flight in b and c, both sides
#   COMPARE_ACCOUNTS [10000]     accounts of b, c, d
#   COMPARE_WARMUP [45s]         untimed warm-up before each measured run of b (c: COMPARE_READS_WARMUP [20s])
#   COMPARE_INTAKE [40s]         measured run of b, per side
#   COMPARE_READS [30s]          measured run of c, per side
#   COMPARE_LAG_RATE [100]       orders per second in d (open loop), spread over both order nodes
#   COMPARE_LAG_WARMUP [180s]    untimed run of d before the measured one: order-2 has just started,
#                                and five JVMs still compiling saturate two cores (60 s measured that
#                                transient: lag p99 1.2-5.9 s; bench/README.md, "Session 14")
#   COMPARE_LAG_DURATION [45s]   measured run of d; COMPARE_LAG_SAMPLE [0.1] of its writes are probed
#   COMPARE_PUBLISH_ARGS [--rows=100000 --warmup-rows=150000 --raw-ops=10000 --raw-majority-ops=10000]
#   COMPARE_MEMORY_ARGS []       bench/memory.sh's options (default scale: 1 000 000 x 3)
#   COMPARE_SKIP                 phases to skip, e.g. "a e"
#   COMPARE_SETTLE_MAX [90]      seconds each measurement waits at most for the servers to go idle
#   LOYALTY_NODE_HEAP [-Xmx512m] heap of every node and of the baseline server
#   LOYALTY_READY_TIMEOUT [300]  seconds a node (or the baseline) may take to be ready
#   BENCH_OFFLINE=1              Maven offline
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# A throwaway PostgreSQL server for the whole run: run this script again under bin/with-postgres.
if [[ -z "${COMPARE_UNDER_POSTGRES:-}" ]]; then
  export COMPARE_UNDER_POSTGRES=1
  exec "$ROOT/bin/with-postgres" "$ROOT/bench/compare.sh" "$@"
fi

STARTED_AT=$SECONDS
STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$ROOT/bench/out/compare-$STAMP"
LOGS="$RUN/logs"
mkdir -p "$LOGS"
DATA="$(mktemp -d /tmp/loyalty-compare.XXXXXX)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
HEAP="${LOYALTY_NODE_HEAP:--Xmx512m}"
READY_TIMEOUT="${LOYALTY_READY_TIMEOUT:-300}"
LMDB_OPENS=(--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
CONCURRENCY="${COMPARE_CONCURRENCY:-16}"
ACCOUNTS="${COMPARE_ACCOUNTS:-10000}"
WARMUP="${COMPARE_WARMUP:-45s}"
READS_WARMUP="${COMPARE_READS_WARMUP:-20s}"
INTAKE="${COMPARE_INTAKE:-40s}"
READS="${COMPARE_READS:-30s}"
LAG_RATE="${COMPARE_LAG_RATE:-100}"
LAG_WARMUP="${COMPARE_LAG_WARMUP:-180s}"
LAG_DURATION="${COMPARE_LAG_DURATION:-45s}"
LAG_SAMPLE="${COMPARE_LAG_SAMPLE:-0.1}"
# shellcheck disable=SC2206
PUBLISH_ARGS=(${COMPARE_PUBLISH_ARGS:---rows=100000 --warmup-rows=150000 --raw-ops=10000 --raw-majority-ops=10000})
# shellcheck disable=SC2206
MEMORY_ARGS=(${COMPARE_MEMORY_ARGS:-})
SKIP=" ${COMPARE_SKIP:-} "
SETTLE_MAX="${COMPARE_SETTLE_MAX:-90}"
PREFIX="cmp-$STAMP-"
FAILED=()

PIDS=()      # every JVM this script started and has not stopped yet
cleanup() {
  local status=$?
  if ((${#PIDS[@]} > 0)); then
    echo "compare.sh: stopping ${#PIDS[@]} process(es) it started ..."
    stop_pids "${PIDS[@]}"
  fi
  rm -rf "$DATA"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT TERM

say() { printf '\n[%s +%ds, load %s] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - STARTED_AT))" "$(load)" "$*"; }
die() { echo "compare.sh: FAILED: $*" >&2; echo "compare.sh: logs in $LOGS" >&2; exit 1; }
skipped() { [[ "$SKIP" == *" $1 "* ]]; }

stop_pids() { # SIGTERM (a node stops gracefully), then SIGKILL after 40 s
  local pid remaining=()
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 80); do
    remaining=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && remaining+=("$pid"); done
    ((${#remaining[@]} == 0)) && break
    sleep 0.5
  done
  for pid in "${remaining[@]}"; do
    echo "compare.sh: process $pid did not stop in 40 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  local left=()
  for pid in "${PIDS[@]}"; do
    [[ " $* " == *" $pid "* ]] || left+=("$pid")
  done
  PIDS=("${left[@]+"${left[@]}"}")
}

TAKEN_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    [[ "$TAKEN_PORTS" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      TAKEN_PORTS+="$p "
      echo "$p"
      return
    fi
  done
  die "no free loopback port found"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

await_ready() { # name pid port
  local name="$1" pid="$2" port="$3" deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -m 2 "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$LOGS/$name.log" >&2
      die "$name exited before it was ready (log: $LOGS/$name.log)"
    fi
    ((SECONDS < deadline)) || die "$name not ready after $READY_TIMEOUT s (log: $LOGS/$name.log)"
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------
say "compare.sh: results and logs in ${RUN#"$ROOT"/}"
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
  echo "JDK:     $("$JAVA" -version 2>&1 | head -1)"
  echo "git:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "nice:    $(nice)"
  echo "load before (1/5/15 min): $(load)"
} | tee "$RUN/machine.txt"

MVN=(./mvnw -B -q)
if [[ "${BENCH_OFFLINE:-0}" == 1 ]]; then MVN+=(-o); fi
say "building (./mvnw -B -q -DskipTests package) ..."
"${MVN[@]}" -DskipTests package >"$LOGS/build.log" 2>&1 || { tail -30 "$LOGS/build.log" >&2; die "build"; }

jar_of() { ls "$ROOT/$1"/target/"$1"-*.jar 2>/dev/null | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -1; }
classpath_of() { echo "$(jar_of "$1"):$(cat "$ROOT/$1/target/classpath.txt")"; }
LEDGER_CP="$(classpath_of ledger-node)"
ORDER_CP="$(classpath_of order-node)"
BENCH_CP="$(classpath_of bench)"
CLIENT_CP="$(classpath_of client)"

TOKEN_FILE="$DATA/token"
(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$TOKEN_FILE")

# loyalty bench, as bin/loyalty runs it (-Xmx512m, full JIT), its report as JSON into $1
loyalty_bench() {
  local out="$1"
  shift
  "$JAVA" -Xmx512m -cp "$CLIENT_CP" io.loyaltyledger.client.cli.LoyaltyCli bench \
    --token-file "$TOKEN_FILE" --no-progress --json "$@" >"$out" 2>"$out.err"
}

# The figures of one run, for the console: ops/s, p50, p99, errors
summary() { # json operation
  jq -r --arg op "$2" '.operations[$op] as $o | "\($o.throughput) ops/s, p50 \($o.latencyMs.p50) ms, p99 \($o.latencyMs.p99) ms, \($o.errors) errors"' "$1" 2>/dev/null \
    || echo "(no report: see $1.err)"
}

# CPU ticks (user + system) used so far by the given processes and this run's PostgreSQL server
TICKS="$(getconf CLK_TCK)"
PG_MASTER=""
server_cpu() {
  local pid total=0 t
  for pid in "$@" ${PG_MASTER:+$PG_MASTER $(pgrep -P "$PG_MASTER" || true)}; do
    t="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  echo "$total"
}

# Waits until the given processes use at most 12 % of a core each over 5 s (an idle node gossips
# at 5-8 %), for at most SETTLE_MAX seconds: the tail of the phase before (publishing, marks,
# gossip, a reconciler pass) should not land in the next phase's window.
settle() {
  local waited=0 a b per_mille
  while ((waited < SETTLE_MAX)); do
    # shellcheck disable=SC2068
    a="$(server_cpu $@)"; sleep 5; b="$(server_cpu $@)"; waited=$((waited + 5))
    per_mille=$(((b - a) * 1000 / TICKS / 5 / $#))
    ((per_mille <= 120)) && break
  done
  echo "  servers settled after ${waited} s ($((per_mille / 10)) % of a core each over the last 5 s)"
}

# Runs loyalty bench in the background (json path, then its options) and waits for its
# "bench: measuring" line, which it prints once its --warmup is over: the measured run starts.
# Sets BENCH_PID; the caller waits for it.
start_measured_bench() {
  local out="$1"
  shift
  loyalty_bench "$out" "$@" &
  BENCH_PID=$!
  until grep -q '^bench: measuring' "$out.err" 2>/dev/null || ! kill -0 "$BENCH_PID" 2>/dev/null; do
    sleep 0.1
  done
}

# name operation warm-up measured "server pids" args... : one driver process, the untimed warm-up
# (--warmup, as a JMH warm-up iteration: the JIT of driver and servers) then the measured run;
# writes $RUN/name.json, and $RUN/name.cpu with the CPU seconds the servers (the given JVMs and
# PostgreSQL) used during the measured run, and the load around it
measure() {
  local name="$1" op="$2" warm="$3" measured="$4" servers="$5" before after load_before
  shift 5
  # shellcheck disable=SC2086
  settle $servers
  start_measured_bench "$RUN/$name.json" --warmup "$warm" --duration "$measured" --lag-sample 0 "$@"
  load_before="$(load)"
  # shellcheck disable=SC2086
  before="$(server_cpu $servers)"
  wait "$BENCH_PID" || { FAILED+=("$name ($(tail -1 "$RUN/$name.json.err"))"); return 1; }
  # shellcheck disable=SC2086
  after="$(server_cpu $servers)"
  printf 'server_cpu_seconds=%s\nload_before=%s\nload_after=%s\n' \
    "$(awk -v t="$((after - before))" -v hz="$TICKS" 'BEGIN {printf "%.2f", t / hz}')" \
    "$load_before" "$(load)" >"$RUN/$name.cpu"
  echo "  $name: $(summary "$RUN/$name.json" "$op"); servers' CPU $(sed -n 's/server_cpu_seconds=//p' "$RUN/$name.cpu") s; load $load_before -> $(load)"
}

# ---- a. publishing ---------------------------------------------------------------------------
if skipped a; then
  say "a. publishing: skipped"
else
  say "a. publishing: bench/publish.sh ${PUBLISH_ARGS[*]}"
  if ! BENCH_OFFLINE="${BENCH_OFFLINE:-0}" bench/publish.sh "${PUBLISH_ARGS[@]}" 2>&1 | tee "$RUN/publish.txt"; then
    FAILED+=("a. publishing (bench/publish.sh failed; see $RUN/publish.txt)")
  fi
fi

# ---- PostgreSQL: durability check and databases ----------------------------------------------
PG_PORT="$(sed -n 's|^jdbc:postgresql://127.0.0.1:\([0-9]*\)/.*|\1|p' <<<"${LEDGER_TEST_POSTGRES_URL:-}")"
[[ -n "$PG_PORT" ]] || die "bin/with-postgres did not give a PostgreSQL URL"
psql_do() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -At "$@"; }
PG_SETTINGS="$(psql_do -c "SELECT name || '=' || setting FROM pg_settings WHERE name IN
  ('fsync','synchronous_commit','wal_sync_method','full_page_writes','commit_delay','server_version')
  ORDER BY name" | tr '\n' ' ')" || die "cannot ask PostgreSQL its settings"
echo "PostgreSQL: $PG_SETTINGS" | tee -a "$RUN/machine.txt"
[[ "$PG_SETTINGS" == *"fsync=on"* && "$PG_SETTINGS" == *"synchronous_commit=on"* ]] \
  || die "PostgreSQL must run with fsync=on and synchronous_commit=on (equal durability): $PG_SETTINGS"
PG_MASTER="$(head -1 "$(psql_do -c 'SHOW data_directory')/postmaster.pid" 2>/dev/null || true)"
[[ -n "$PG_MASTER" ]] || echo "compare.sh: PostgreSQL's postmaster pid not found: its CPU is not counted" >&2
psql_do -c "CREATE DATABASE baseline" -c "CREATE DATABASE order1" >/dev/null || die "cannot create the databases"
PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT"
echo "data: $(findmnt -n -o FSTYPE,SOURCE -T "$DATA" 2>/dev/null | tr -s ' ') ($DATA, PostgreSQL beside it under /tmp)" | tee -a "$RUN/machine.txt"

DRIVE=(--concurrency "$CONCURRENCY" --accounts "$ACCOUNTS" --account-prefix "$PREFIX")

# ---- b, c: the baseline server alone ----------------------------------------------------------
if skipped b && skipped c; then
  say "b, c: baseline skipped"
else
  BASE_PORT="$(free_port)"
  say "baseline server (monolith on PostgreSQL, constant read route) on :$BASE_PORT"
  BASELINE_HTTP_PORT="$BASE_PORT" BASELINE_JDBC_URL="$PG_URL/baseline" \
    "$JAVA" $HEAP -Dconfig.file="$ROOT/config/bench/baseline.conf" \
    -Dlogback.configurationFile="$ROOT/config/logback.xml" \
    -cp "$BENCH_CP" io.loyaltyledger.bench.BaselineServer >"$LOGS/baseline.log" 2>&1 </dev/null &
  BASE_PID=$!
  PIDS+=("$BASE_PID")
  await_ready baseline "$BASE_PID" "$BASE_PORT"
  if ! skipped b; then
    say "b. order intake, baseline: orders only, closed loop, concurrency $CONCURRENCY, warm-up $WARMUP, then $INTAKE"
    measure intake-baseline orders "$WARMUP" "$INTAKE" "$BASE_PID" --nodes "http://127.0.0.1:$BASE_PORT" \
      --mix orders=100 "${DRIVE[@]}" || true
  fi
  if ! skipped c; then
    say "c. balance reads, baseline (constant route): reads only, closed loop, concurrency $CONCURRENCY, warm-up $READS_WARMUP, then $READS"
    measure reads-baseline reads "$READS_WARMUP" "$READS" "$BASE_PID" --nodes "http://127.0.0.1:$BASE_PORT" \
      --mix reads=100 "${DRIVE[@]}" || true
  fi
  stop_pids "$BASE_PID"
fi

# ---- b, c, d: ours, a real cluster -----------------------------------------------------------
declare -A HTTP_PORT ARTERY_PORT NODE_PID
for node in ledger-1 ledger-2 ledger-3 order-1 order-2; do
  HTTP_PORT[$node]="$(free_port)"
  ARTERY_PORT[$node]="$(free_port)"
done
SEEDS="\"akka://loyalty@127.0.0.1:${ARTERY_PORT[ledger-1]}\", \"akka://loyalty@127.0.0.1:${ARTERY_PORT[ledger-2]}\", \"akka://loyalty@127.0.0.1:${ARTERY_PORT[ledger-3]}\""
url() { echo "http://127.0.0.1:${HTTP_PORT[$1]}"; }

start_node() { # node: the shipped configuration, with this run's ports, seeds and data directory
  local node="$1" conf="$DATA/$1.conf" main cp
  mkdir -p "$DATA/$node"
  case "$node" in
    order-*) main=io.loyaltyledger.order.node.OrderNodeMain cp="$ORDER_CP"
             echo "include file(\"$ROOT/config/order-node.conf\")" >"$conf" ;;
    *)       main=io.loyaltyledger.ledger.node.LedgerNodeMain cp="$LEDGER_CP"
             echo "include file(\"$ROOT/config/ledger-node.conf\")" >"$conf" ;;
  esac
  cat >>"$conf" <<EOF
loyalty.node.name = "$node"
loyalty.node.data-dir = "$DATA/$node"
loyalty.http.port = ${HTTP_PORT[$node]}
akka.remote.artery.canonical.port = ${ARTERY_PORT[$node]}
akka.cluster.seed-nodes = [$SEEDS]
EOF
  if [[ "$node" == order-1 ]]; then
    # its writer on the monolith's PostgreSQL server: equal durability
    printf 'loyalty.writer {\n  jdbc-url = "%s/order1"\n  user = "postgres"\n  password = ""\n}\n' "$PG_URL" >>"$conf"
  fi
  LOYALTY_WRITE_TOKENS="$(cat "$TOKEN_FILE")" LOYALTY_ARTERY_TRANSPORT=tcp \
    "$JAVA" "${LMDB_OPENS[@]}" $HEAP -Dloyalty.node.name="$node" -Dconfig.file="$conf" \
    -Dlogback.configurationFile="$ROOT/config/logback.xml" \
    -cp "$cp" "$main" >"$LOGS/$node.log" 2>&1 </dev/null &
  NODE_PID[$node]=$!
  PIDS+=("$!")
}

if skipped b && skipped c && skipped d; then
  say "b, c, d: ours skipped"
else
  say "cluster: ledger-1..3 and order-1 (its writer on PostgreSQL), Artery over TCP, shipped settings"
  for node in ledger-1 ledger-2 ledger-3 order-1; do start_node "$node"; done
  for node in ledger-1 ledger-2 ledger-3 order-1; do
    await_ready "$node" "${NODE_PID[$node]}" "${HTTP_PORT[$node]}"
    echo "  $node ready on $(url "$node")"
  done

  if ! skipped b; then
    say "b. order intake, ours (order-1): orders only, closed loop, concurrency $CONCURRENCY, warm-up $WARMUP, then $INTAKE"
    measure intake-ours orders "$WARMUP" "$INTAKE" "${NODE_PID[*]}" --nodes "$(url order-1)" --mix orders=100 \
      "${DRIVE[@]}" || true
    echo "  rows in PostgreSQL: order1.customer_order $(psql_do -d order1 -c 'SELECT count(*) FROM customer_order' 2>&1),"\
      "baseline.shop_order $(psql_do -d baseline -c 'SELECT count(*) FROM shop_order' 2>&1)"
  fi
  if ! skipped c; then
    say "c. balance reads, ours (ledger-1, consistency local): reads only, closed loop, concurrency $CONCURRENCY, warm-up $READS_WARMUP, then $READS"
    measure reads-ours reads "$READS_WARMUP" "$READS" "${NODE_PID[*]}" --nodes "$(url ledger-1)" --mix reads=100 \
      "${DRIVE[@]}" || true
  fi
  if ! skipped d; then
    say "d. convergence lag: order-2 joins (writer on H2, as shipped): 3 ledger + 2 order nodes"
    start_node order-2
    await_ready order-2 "${NODE_PID[order-2]}" "${HTTP_PORT[order-2]}"
    ALL_NODES="$(url ledger-1),$(url ledger-2),$(url ledger-3),$(url order-1),$(url order-2)"
    settle "${NODE_PID[@]}"
    say "d. convergence lag: orders at $LAG_RATE/s (open loop) on both order nodes, $LAG_SAMPLE of the writes probed on all 5 nodes, warm-up $LAG_WARMUP, then $LAG_DURATION"
    start_measured_bench "$RUN/lag.json" --nodes "$ALL_NODES" --mix orders=100 --rate "$LAG_RATE" \
      --warmup "$LAG_WARMUP" --duration "$LAG_DURATION" --lag-sample "$LAG_SAMPLE" \
      --accounts "$ACCOUNTS" --account-prefix "$PREFIX"
    if wait "$BENCH_PID"; then
      echo "  orders: $(summary "$RUN/lag.json" orders)"
      echo "  lag: $(jq -c '.convergenceLag | {probes, converged, notConverged, failed, skipped, lagMs}' "$RUN/lag.json")"
    else
      FAILED+=("d. convergence lag (loyalty bench failed; see $RUN/lag*.json.err)")
    fi
  fi
  say "stopping the cluster"
  cluster_pids=()
  for node in "${!NODE_PID[@]}"; do cluster_pids+=("${NODE_PID[$node]}"); done
  stop_pids "${cluster_pids[@]}"
  for node in "${!NODE_PID[@]}"; do
    n="$(grep -ci 'oversized' "$LOGS/$node.log" || true)"
    u="$(grep -c 'as UNREACHABLE' "$LOGS/$node.log" || true)"
    e="$(grep -c ' ERROR ' "$LOGS/$node.log" || true)"
    echo "  $node log: $e ERROR lines, $n 'oversized', $u unreachable"
  done
fi

# ---- e. memory -------------------------------------------------------------------------------
if skipped e; then
  say "e. memory: skipped"
else
  say "e. memory: bench/memory.sh ${MEMORY_ARGS[*]:-(1 000 000 accounts x 3 writers)}"
  if ! BENCH_OFFLINE="${BENCH_OFFLINE:-0}" bench/memory.sh "${MEMORY_ARGS[@]+"${MEMORY_ARGS[@]}"}" 2>&1 | tee "$RUN/memory.txt"; then
    FAILED+=("e. memory (bench/memory.sh failed; see $RUN/memory.txt)")
  fi
fi

# ---- the table -------------------------------------------------------------------------------
LOAD_AFTER="$(load)"
echo "load after (1/5/15 min): $LOAD_AFTER" >>"$RUN/machine.txt"
say "RESULTS (compare.sh, $(( (SECONDS - STARTED_AT) / 60 )) min $(( (SECONDS - STARTED_AT) % 60 )) s)"
cat "$RUN/machine.txt"
cat <<EOF
driver:  loyalty bench (client), closed loop, concurrency $CONCURRENCY, $ACCOUNTS accounts, one process
         beside the servers, its warm-up in the same process; b: orders only, $INTAKE after $WARMUP warm-up;
         c: reads only, $READS after $READS_WARMUP; d: $LAG_RATE orders/s open loop for $LAG_DURATION after
         $LAG_WARMUP, $LAG_SAMPLE of them probed on every node
ours:    3 ledger nodes + order-1 (+ order-2 in d), one JVM each ($HEAP), shipped config/, Artery TCP;
         order-1's writer on the PostgreSQL server above, the others on H2 (WRITE_DELAY=0)
baseline: bench's BaselineServer alone on the box ($HEAP): POST /v1/orders = one PostgreSQL transaction
         (INSERT order + UPSERT points) on the same server, pool as order-1's writer; GET /v1/accounts/{id}
         = a constant answer
EOF
echo
report_status=0
"$JAVA" -cp "$BENCH_CP" io.loyaltyledger.bench.CompareReport "$RUN" --markdown="$RUN/summary.md" \
  || report_status=$?
if ((${#FAILED[@]} > 0)); then
  echo
  echo "FAILED phases:"
  printf '  %s\n' "${FAILED[@]}"
fi
echo
echo "Results and logs: ${RUN#"$ROOT"/} (summary.md: the table in Markdown)"
if ((${#FAILED[@]} > 0 || report_status != 0)); then
  exit 1
fi
