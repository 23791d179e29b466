#!/usr/bin/env bash
# Sync benchmark, workload "trade-fair day": R reps x L leads x 8 fields, then E field edits per lead;
# all reps push at once to one hub on loopback (hub merge rate), then a fresh replica pulls
# everything (full-pull rate); bytes on the wire per op; the plain SQLite bulk-write ceiling.
# Usage: Scripts/bench-sync.sh [R] [L] [E]   (defaults 50 200 10)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-sync >/dev/null
.build/release/bench-sync "${1:-50}" "${2:-200}" "${3:-10}"
