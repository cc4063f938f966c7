#!/usr/bin/env bash
# Builds the application layout the image runs, into DIR (default /app):
#   DIR/lib/*.jar      both node kinds and every runtime dependency
#   DIR/config/        the project's HOCON and logback files
#   DIR/bin/entrypoint.sh
# The Dockerfile's build stage runs it; docker/test-entrypoint.sh runs it outside Docker.
set -euo pipefail
OUT="${1:-/app}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MVN=(./mvnw -B -q)
if [[ "${BUILD_OFFLINE:-0}" == 1 ]]; then MVN+=(-o); fi
# order-node depends on ledger-node: its classpath holds everything both kinds need.
"${MVN[@]}" -DskipTests -pl order-node -am package
mkdir -p "$OUT/lib" "$OUT/config" "$OUT/bin"
# (the file has no final newline: read its last entry too)
tr ':' '\n' < order-node/target/classpath.txt | while read -r jar || [[ -n "$jar" ]]; do
  [[ -z "$jar" ]] || cp "$jar" "$OUT/lib/"
done
[[ -f "$OUT/lib/$(basename "$(tr ':' '\n' < order-node/target/classpath.txt | tail -1)")" ]] \
  || { echo "build-app: dependencies missing from $OUT/lib" >&2; exit 1; }
for module in ledger-node order-node; do
  cp "$(ls "$module"/target/"$module"-*.jar | grep -v -e '-tests.jar' -e '-sources.jar' | head -1)" "$OUT/lib/"
done
cp config/*.conf config/logback*.xml "$OUT/config/"
cp docker/entrypoint.sh "$OUT/bin/entrypoint.sh"
chmod 755 "$OUT/bin/entrypoint.sh"
echo "build-app: $(ls "$OUT/lib" | wc -l) jars in $OUT/lib"
