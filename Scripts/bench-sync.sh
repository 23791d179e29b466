#!/usr/bin/env bash
# Sync benchmark, workload "trade-fair day": R reps x L leads x 8 fields, then E field edits per lead;
# all reps push at once to one hub on loopback (hub merge rate), then a fresh replica pulls
# everything (full-pull rate); hub peak memory; bytes on the wire and on disk per op; the plain
# SQLite bulk-write ceiling of the same run.
# The hub is the real `leadsync hub serve` in a process of its own; during the push the reps'
# clients run in the benchmark's process 10 nice levels below it, standing in for laptops that do
# not take the hub's two cores from it.
#
# Sizes (R x L x E):  S = 50 x 200 x 10 (110,000 ops)   M = 50 x 2000 x 10 (1.1 M ops)
#                     L = 250 x 2000 x 10 (5.5 M ops; opt-in: five times M's work, several GB of temp files)
# Each size runs RUNS times (default 3; RUNS_L, default 1, for L), each with fresh data and a fresh
# hub; medians and ranges are printed per size, then one line per size comparing per-operation
# costs with S. The runs sync over TLS (the default); one more run of the first size in plaintext
# (hub serve --plaintext) follows unless --no-plaintext, and its lines compare the two.
# Then the first size against the PostgreSQL hub, with 1 and with 3 `hub serve --database`
# processes over one database of a throwaway cluster on this machine (Scripts/postgres-cluster.sh),
# RUNS times each, reps spread over the processes; the last lines put the medians side by side.
# --no-postgres skips those runs.
# Usage: [RUNS=n] [RUNS_L=n] Scripts/bench-sync.sh [--sizes S,M,L] [--no-plaintext] [--no-postgres]
#        [RUNS=n] Scripts/bench-sync.sh R L E        (one custom size)
# BENCH_SYNC=path runs another bench-sync binary (e.g. an older build, for paired runs).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="S,M"
plaintext_run=1
postgres_run=1
custom=()
while (($#)); do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --sizes=*) sizes="${1#--sizes=}"; shift ;;
        --no-plaintext) plaintext_run=0; shift ;;
        --no-postgres) postgres_run=0; shift ;;
        *) custom+=("$1"); shift ;;
    esac
done

# R L E of a size name.
size_arguments() {
    case "$1" in
        S) echo "50 200 10" ;;
        M) echo "50 2000 10" ;;
        L) echo "250 2000 10" ;;
        custom) echo "${custom[*]}" ;;
        *) echo "unknown size '$1' (expected S, M or L)" >&2; exit 2 ;;
    esac
}

# The number before `word` on the first line of stdin starting with `prefix`.
number_before() {
    awk -v prefix="$1" -v word="$2" 'index($0, prefix) == 1 { for (i = 2; i <= NF; i++) if ($i == word) { print $(i - 1); exit } }'
}

# Median and range of the numbers given as arguments.
median_of() {
    printf '%s\n' "$@" | sort -n | awk '{ all[NR] = $1 } END { printf "%s (%s-%s)", all[int((NR + 1) / 2)], all[1], all[NR] }'
}

median_value() {
    printf '%s\n' "$@" | sort -n | awk '{ all[NR] = $1 } END { print all[int((NR + 1) / 2)] }'
}

# Runs one size RUNS times; prints each run and the size's summary; remembers the medians.
declare -A merge_median pull_median ops_of
run_size() {
    local name=$1 runs=$2 arguments merges=() pulls=() memories=() disks=() ceilings=() loads=() output
    arguments=$(size_arguments "$name")
    for run in $(seq 1 "$runs"); do
        echo "==> size $name ($arguments), run $run of $runs"
        # shellcheck disable=SC2086
        output=$("$bench" $arguments)
        echo "$output"
        merges+=("$(echo "$output" | number_before "hub merge" field-updates)")
        pulls+=("$(echo "$output" | awk '/^fresh replica full pull/ { print $5 }')")
        memories+=("$(echo "$output" | awk '/^hub process peak memory/ { print $(NF - 1) }')")
        disks+=("$(echo "$output" | awk '/^bytes on disk per op/ { print $7 }')")
        ceilings+=("$(echo "$output" | awk '/^plain SQLite bulk write/ { print $6 }')")
        loads+=("$(echo "$output" | awk -F': ' '/^load average/ { split($2, a, " "); print a[1] }')")
        ops_of[$name]=$(echo "$output" | awk '/^workload:/ { for (i = 1; i <= NF; i++) if ($i == "ops,") print $(i - 1) }')
    done
    merge_median[$name]=$(median_value "${merges[@]}")
    pull_median[$name]=$(median_value "${pulls[@]}")
    echo
    echo "size $name, $runs runs (median (range)):"
    echo "  hub merge, median of $runs runs: ${merge_median[$name]} field-updates/s (runs: ${merges[*]})"
    echo "  fresh replica full pull: $(median_of "${pulls[@]}") ops/s"
    echo "  hub peak memory: $(median_of "${memories[@]}") MiB"
    echo "  hub bytes on disk per op: $(median_of "${disks[@]}")"
    echo "  plain SQLite ceiling: $(median_of "${ceilings[@]}") field-updates/s"
    echo "  load average (1 min) at the start of each run: ${loads[*]}"
    echo
}

bench=${BENCH_SYNC:-.build/release/bench-sync}
if [[ -z "${BENCH_SYNC:-}" ]]; then
    swift build -c release --product leadsync >/dev/null
    swift build -c release --product bench-sync >/dev/null
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uptime)"
if ((${#custom[@]})); then
    [[ ${#custom[@]} -eq 3 ]] || { echo "usage: Scripts/bench-sync.sh R L E, or --sizes S,M,L" >&2; exit 2; }
    sizes=custom
fi
IFS=, read -r -a size_list <<<"$sizes"
for name in "${size_list[@]}"; do
    size_arguments "$name" >/dev/null
done
for name in "${size_list[@]}"; do
    if [[ $name == L ]]; then run_size L "${RUNS_L:-1}"; else run_size "$name" "${RUNS:-3}"; fi
done

if ((${#size_list[@]} > 1)) && [[ -n "${merge_median[S]:-}" ]]; then
    echo "per-operation cost against S (1.00 = flat; medians):"
    for name in "${size_list[@]}"; do
        [[ $name == S ]] && continue
        awk -v name="$name" -v ms="${merge_median[S]}" -v mx="${merge_median[$name]}" -v ps="${pull_median[S]}" -v px="${pull_median[$name]}" \
            'BEGIN { printf "  %s: hub merge %.2f x S, fresh pull %.2f x S\n", name, ms / mx, ps / px }'
    done
    echo
fi

if ((plaintext_run)); then
    first=${size_list[0]}
    echo "==> one run of size $first in plaintext, for the cost of TLS"
    # shellcheck disable=SC2046
    plain=$(BENCH_TRANSPORT=plaintext "$bench" $(size_arguments "$first"))
    echo "$plain"
    echo
    echo "TLS cost: hub merge ${merge_median[$first]} field-updates/s over TLS (median) vs $(echo "$plain" | number_before "hub merge" field-updates) in plaintext (one run)"
    echo "          full pull ${pull_median[$first]} ops/s over TLS (median) vs $(echo "$plain" | awk '/^fresh replica full pull/ { print $5 }') in plaintext"
fi

if ((postgres_run)); then
    first=${size_list[0]}
    pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/leadsync-bench-pg.XXXXXX")"
    trap 'Scripts/postgres-cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
    Scripts/postgres-cluster.sh start "$pg_dir"
    # shellcheck source=/dev/null
    . "$pg_dir/env"
    declare -A pg_median
    for processes in 1 3; do
        pg_rates=()
        for run in $(seq 1 "${RUNS:-3}"); do
            echo
            echo "==> size $first, PostgreSQL hub, $processes process(es), run $run of ${RUNS:-3}"
            # shellcheck disable=SC2046
            output=$(BENCH_POSTGRES_PROCESSES=$processes "$bench" $(size_arguments "$first"))
            echo "$output"
            pg_rates+=("$(echo "$output" | number_before "hub merge" field-updates)")
        done
        pg_median[$processes]=$(median_value "${pg_rates[@]}")
        echo "PostgreSQL hub, $processes process(es): median ${pg_median[$processes]} field-updates/s (runs: ${pg_rates[*]})"
    done
    echo
    echo "size $first, hub merge over TLS, medians of ${RUNS:-3} runs, same workload:"
    echo "  SQLite, 1 process       ${merge_median[$first]} field-updates/s"
    echo "  PostgreSQL, 1 process   ${pg_median[1]} field-updates/s"
    echo "  PostgreSQL, 3 processes ${pg_median[3]} field-updates/s"
fi
