#!/usr/bin/env bash
# Local capture benchmark: LEADS leads through the library API vs a plain SQLite bulk insert,
# then the wall time of single `leadsync add` processes. Usage: Scripts/bench-local.sh [LEADS] [BATCH]
set -euo pipefail
cd "$(dirname "$0")/.."
leads=${1:-100000}
batch=${2:-1000}
swift build -c release --product bench-local >/dev/null
swift build -c release --product leadsync >/dev/null
.build/release/bench-local "$leads" "$batch"

echo
echo "single 'leadsync add' processes (release build, fresh replica, synchronous=FULL):"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
.build/release/leadsync init --home "$home" --node bench >/dev/null
runs=50
start=$(date +%s%N)
for i in $(seq 1 "$runs"); do
    .build/release/leadsync add --home "$home" --first-name "Anna$i" --last-name Muster \
        --email "anna$i@example.com" --company "Acme" >/dev/null
done
end=$(date +%s%N)
echo "  $runs runs, mean $(( (end - start) / runs / 1000000 )) ms per add (process start to exit)"
