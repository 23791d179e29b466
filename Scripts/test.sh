#!/usr/bin/env bash
# Builds LeadSync and runs every test. Installs what the tests need on a fresh machine first.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

missing=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
# The admin server's tests: a real headless browser for the status page, promtool for /metrics.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "==> installing python jsonschema (protocol traffic validation)"
    python3 -m pip install -q jsonschema
fi

if ! python3 -c 'import faker, phonenumbers, email_validator' 2>/dev/null; then
    echo "==> installing python faker, phonenumbers, email-validator (import corpus test)"
    python3 -m pip install -q faker phonenumbers email-validator
fi

# The PostgreSQL hub's tests need a real server: a throwaway cluster of our own, removed on exit.
# A PostgreSQL test without LEADSYNC_TEST_POSTGRES_URL fails; it is never skipped.
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/leadsync-pg.XXXXXX")"
trap 'Scripts/postgres-cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
echo "==> starting a throwaway PostgreSQL"
Scripts/postgres-cluster.sh start "$pg_dir"
# shellcheck source=/dev/null
. "$pg_dir/env"

echo "==> building"
swift build --build-tests
echo "==> testing"
swift test --skip-build
