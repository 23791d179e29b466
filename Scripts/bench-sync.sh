#!/usr/bin/env bash
# Sync benchmark, workload "trade-fair day": R reps x L leads x 8 fields, then E field edits per lead;
# all reps push at once to one hub on loopback (hub merge rate), then a fresh replica pulls
# everything (full-pull rate); bytes on the wire per op; the plain SQLite bulk-write ceiling.
# The hub is the real `leadsync hub serve` in a process of its own; the reps' clients run in the
# benchmark's process at a lower priority (nice 10), standing in for fifty laptops that do not
# take the hub's two cores from it.
# The whole benchmark runs RUNS times (default 3), each with fresh data and a fresh hub, and the
# median of the hub merge rates is reported last: this shared machine's speed varies from minute
# to minute (the ceiling line of each run shows how fast it was then).
# The runs sync over TLS (the default); one more run in plaintext (hub serve --plaintext) follows,
# and the last lines compare the two: the cost of TLS.
# Then the same workload against the PostgreSQL hub, with 1 and with 3 `hub serve --database`
# processes over one database of a throwaway cluster on this machine (Scripts/postgres-cluster.sh),
# RUNS times each, reps spread over the processes; the last lines put the three medians side by side.
# POSTGRES=0 skips the PostgreSQL runs.
# Usage: [RUNS=n] [POSTGRES=0] Scripts/bench-sync.sh [R] [L] [E]   (defaults 50 200 10)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
swift build -c release --product leadsync >/dev/null
swift build -c release --product bench-sync >/dev/null
merge_rate() { awk '/^hub merge/ { for (i = 2; i <= NF; i++) if ($i == "field-updates") print $(i - 1) }'; }
median_of() { printf '%s\n' "$@" | sort -n | awk '{ all[NR] = $1 } END { print all[int((NR + 1) / 2)] }'; }
rates=()
for run in $(seq 1 "$runs"); do
    echo "==> run $run of $runs"
    output=$(.build/release/bench-sync "${1:-50}" "${2:-200}" "${3:-10}")
    echo "$output"
    rates+=("$(echo "$output" | awk '/^hub merge/ { for (i = 2; i <= NF; i++) if ($i == "field-updates") print $(i - 1) }')")
done
sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
median=$(echo "$sorted" | awk '{ all[NR] = $1 } END { print all[int((NR + 1) / 2)] }')
echo
echo "hub merge, median of $runs runs: $median field-updates/s (runs: ${rates[*]})"
echo
echo "==> one run in plaintext, for the cost of TLS"
plain=$(BENCH_TRANSPORT=plaintext .build/release/bench-sync "${1:-50}" "${2:-200}" "${3:-10}")
echo "$plain"
plain_rate=$(echo "$plain" | awk '/^hub merge/ { for (i = 2; i <= NF; i++) if ($i == "field-updates") print $(i - 1) }')
plain_pull=$(echo "$plain" | awk '/^fresh replica full pull/ { print $5 }')
echo
echo "TLS cost: hub merge $median field-updates/s over TLS (median) vs $plain_rate in plaintext (one run)"
echo "          full pull $(echo "$output" | awk '/^fresh replica full pull/ { print $5 }') ops/s over TLS (last run) vs $plain_pull in plaintext"

[ "${POSTGRES:-1}" = "0" ] && exit 0
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/leadsync-bench-pg.XXXXXX")"
trap 'Scripts/postgres-cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
Scripts/postgres-cluster.sh start "$pg_dir"
# shellcheck source=/dev/null
. "$pg_dir/env"
declare -A pg_median
for processes in 1 3; do
    pg_rates=()
    for run in $(seq 1 "$runs"); do
        echo
        echo "==> PostgreSQL hub, $processes process(es), run $run of $runs"
        output=$(BENCH_POSTGRES_PROCESSES=$processes .build/release/bench-sync "${1:-50}" "${2:-200}" "${3:-10}")
        echo "$output"
        pg_rates+=("$(echo "$output" | merge_rate)")
    done
    pg_median[$processes]=$(median_of "${pg_rates[@]}")
    echo "PostgreSQL hub, $processes process(es): median ${pg_median[$processes]} field-updates/s (runs: ${pg_rates[*]})"
done
echo
echo "hub merge over TLS, medians of $runs runs, same workload:"
echo "  SQLite, 1 process       $median field-updates/s"
echo "  PostgreSQL, 1 process   ${pg_median[1]} field-updates/s"
echo "  PostgreSQL, 3 processes ${pg_median[3]} field-updates/s"
