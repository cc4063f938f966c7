# Sourced by the bench scripts: builds the test classes of BENCH_MODULE (ledger-node unless the
# script sets another) and sets CP to the classpath its documented benchmark mains run with (test
# scope), and JAVA to the java binary. BENCH_OFFLINE=1 runs Maven offline.
BENCH_MODULE="${BENCH_MODULE:-ledger-node}"
MVN=(./mvnw -B -q)
if [[ "${BENCH_OFFLINE:-0}" == 1 ]]; then MVN+=(-o); fi

echo "Building $BENCH_MODULE test classes and the test classpath ..."
# One reactor build (-am): the modules it depends on (order-node: ledger-node and its test
# helpers) come from their target/ directories, never from an older jar installed in ~/.m2.
"${MVN[@]}" -pl "$BENCH_MODULE" -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

CP="$ROOT/$BENCH_MODULE/target/test-classes:$ROOT/$BENCH_MODULE/target/classes"
CP+=":$(cat "$ROOT/$BENCH_MODULE/target/bench-classpath.txt")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
