#!/usr/bin/env bash
# Validates docker/docker-compose.yml with docker-compose (Debian's package, installed when
# missing and running as root). No engine is needed: `config` only parses and resolves the file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v docker-compose >/dev/null; then
  [[ "$(id -u)" == 0 ]] || { echo "validate-compose: install docker-compose first" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
# The file requires the database password and the write token from the environment; any value
# validates. Without them it must refuse.
if env -u LOYALTY_WRITE_TOKEN LOYALTY_DB_PASSWORD=validation-only \
  docker-compose -f "$ROOT/docker/docker-compose.yml" config -q 2>/dev/null; then
  echo "validate-compose: the compose file runs without LOYALTY_WRITE_TOKEN" >&2
  exit 1
fi
LOYALTY_DB_PASSWORD="${LOYALTY_DB_PASSWORD:-validation-only}" \
LOYALTY_WRITE_TOKEN="${LOYALTY_WRITE_TOKEN:-validation-only-token}" \
  docker-compose -f "$ROOT/docker/docker-compose.yml" config -q
echo "validate-compose: docker/docker-compose.yml is valid ($(docker-compose version --short))"
