#!/usr/bin/env bash
# Import benchmark: generates HubSpot-style CSV files (umlauts, quoted commas, some multi-line
# notes) of ROWS and ROWS/10 rows, imports each into a fresh replica with the release build of
# `leadsync`, and reports rows/s and peak memory (max RSS). Memory should be about the same for
# both sizes: the import streams. Target: at least 20,000 rows/s.
#
# Usage: Scripts/bench-import.sh [--binary PATH] [--against OLD_BINARY [--pairs N]] [ROWS]
#   ROWS                 rows of the large file (default 100000); the small one has ROWS/10
#   --binary PATH        time this `leadsync` instead of building the release one
#   --against OLD        paired runs on a shared machine: the same two files imported by OLD and
#                        by the new binary alternately (the order flips every pair), N pairs
#                        (default 3); prints every run, then median, min and max rows/s per
#                        binary and size, with the load average before and after
set -euo pipefail
cd "$(dirname "$0")/.."
bin=""
old=""
pairs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) bin=$2; shift 2 ;;
        --against) old=$2; shift 2 ;;
        --pairs) pairs=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
rows=${1:-100000}
small=$((rows / 10))
for binary in $bin $old; do
    [ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }
done

if [ ! -x /usr/bin/time ]; then
    echo "==> installing GNU time (for peak memory)"
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null 2>&1 || true
    else sudo apt-get install -y -qq time >/dev/null 2>&1 || true; fi
fi

if [ -z "$bin" ]; then
    echo "==> building leadsync (release)"
    swift build -c release --product leadsync >/dev/null
    bin=.build/release/leadsync
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# HubSpot contact export headers; every 50th row has a two-line note (the others none), every
# row a quoted company with a comma, names and cities with umlauts.
generate() {
    local count=$1 file=$2
    awk -v n="$count" 'BEGIN {
        split("Jürgen,Anna,Özlem,Björn,Zoë,Chloé,Łukasz,Ségolène,Mats,Ines", first, ",")
        split("Müller,Schmidt,Größe,Weiß,Ærø,Dubois,Nowak,Çelik,Hansen,Krämer", last, ",")
        split("München,Köln,Düsseldorf,Zürich,Malmö,Genève,Kraków,Wien,Bozen,Århus", city, ",")
        split("lead,marketingqualifiedlead,salesqualifiedlead,opportunity,customer,subscriber", stage, ",")
        print "First Name,Last Name,Email,Phone Number,Company Name,Job Title,City,Country/Region,Lifecycle Stage,Lead Status,Original Source,Notes,Number of Employees"
        for (i = 1; i <= n; i++) {
            f = first[i % 10 + 1]; l = last[int(i / 10) % 10 + 1]
            note = (i % 50 == 0) ? "\"Met at booth B" i % 40 ", wants a demo.\nCall back after the fair, \"\"urgent\"\".\"" : ""
            printf "%s,%s,lead%d@firma%d.example,+49 89 %07d,\"Firma %d, Söhne & Co. KG\",Einkäufer,%s,Deutschland,%s,IN_PROGRESS,Trade Show,%s,%d\n",
                f, l, i, i % 997, i, i % 997, city[i % 10 + 1], stage[i % 6 + 1], note, (i % 500) + 1
        }
    }' > "$file"
}

# Imports file $2 ($1 rows) with binary $3 into a fresh replica; prints one line, and appends
# "label rows rows_per_s" to $work/runs when a label $4 is given.
run_import() {
    local count=$1 file=$2 binary=$3 label=${4:-}
    local home
    home=$(mktemp -d "$work/home.XXXXXX")
    "$binary" init --home "$home" --node bench >/dev/null
    local size load
    size=$(du -h "$file" | cut -f1)
    load=$(cut -d' ' -f1 /proc/loadavg)
    local start end peak_kb cpu_s
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$work/time" "$binary" import --home "$home" --json "$file" > "$work/summary.json"
        peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
        cpu_s=$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$work/time")
    else
        "$binary" import --home "$home" --json "$file" > "$work/summary.json" &
        local pid=$! hwm=0
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
            [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            sleep 0.05
        done
        wait "$pid"
        peak_kb=$hwm
        cpu_s=""
    fi
    end=$(date +%s%N)
    rm -rf "$home"
    local created wall_ms internal per_s
    created=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['created'])" "$work/summary.json")
    internal=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(int(d['rows_per_second']))" "$work/summary.json")
    wall_ms=$(( (end - start) / 1000000 ))
    per_s=$(( count * 1000 / (wall_ms > 0 ? wall_ms : 1) ))
    echo "  ${label:+$label: }$count rows ($size, load average $load): created $created in ${wall_ms} ms wall (process start to exit)," \
        "$per_s rows/s; import loop $internal rows/s; peak memory $(( peak_kb / 1024 )) MiB"
    if [ -n "$cpu_s" ]; then
        echo "    CPU time (user+sys) ${cpu_s} s: $(awk -v n="$count" -v t="$cpu_s" 'BEGIN {printf "%d", n / t}') rows per CPU-second"
    fi
    [ "$created" -eq "$count" ] || { echo "expected $count leads, got $created" >&2; exit 1; }
    if [ -n "$label" ]; then
        echo "$label $count $per_s $(awk -v n="$count" -v t="${cpu_s:-0}" 'BEGIN {printf "%d", (t > 0 ? n / t : 0)}')" >> "$work/runs"
    fi
}

generate "$small" "$work/hubspot-$small.csv"
generate "$rows" "$work/hubspot-$rows.csv"

if [ -z "$old" ]; then
    echo "==> leadsync import, fresh replica each (synchronous=FULL, one transaction)"
    run_import "$small" "$work/hubspot-$small.csv" "$bin"
    run_import "$rows" "$work/hubspot-$rows.csv" "$bin"
    exit 0
fi

echo "==> paired runs: old $old, new $bin; $pairs pairs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for pair in $(seq 1 "$pairs"); do
    if [ $((pair % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
    for count in "$small" "$rows"; do
        for label in $order; do
            if [ "$label" = old ]; then binary=$old; else binary=$bin; fi
            run_import "$count" "$work/hubspot-$count.csv" "$binary" "$label"
        done
    done
done
echo "==> load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, count, per_s, per_cpu_s = line.split()
    runs.setdefault((int(count), label), []).append((int(per_s), int(per_cpu_s)))
for (count, label), values in sorted(runs.items()):
    wall = [v[0] for v in values]
    cpu = [v[1] for v in values]
    print(f"  {label} {count:>7} rows: median {int(statistics.median(wall)):,} rows/s wall "
          f"(min {min(wall):,}, max {max(wall):,}, {len(values)} runs); "
          f"median {int(statistics.median(cpu)):,} rows per CPU-second (min {min(cpu):,}, max {max(cpu):,})")
PY
