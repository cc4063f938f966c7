# Sourced by the bench scripts: builds ledger-node's test classes and sets CP to the classpath the
# documented benchmark mains run with (test scope), and JAVA to the java binary.
# BENCH_OFFLINE=1 runs Maven offline.
CLASSPATH_FILE="$ROOT/ledger-node/target/bench-classpath.txt"
MVN=(./mvnw -B -q)
if [[ "${BENCH_OFFLINE:-0}" == 1 ]]; then MVN+=(-o); fi

echo "Building ledger-node test classes and the test classpath ..."
"${MVN[@]}" -pl ledger-node -DskipTests test-compile
"${MVN[@]}" -pl ledger-node dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"

CP="$ROOT/ledger-node/target/test-classes:$ROOT/ledger-node/target/classes:$(cat "$CLASSPATH_FILE")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
