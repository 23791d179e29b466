#!/usr/bin/env bash
# Import benchmark: generates HubSpot-style CSV files (umlauts, quoted commas, some multi-line
# notes) of ROWS and ROWS/10 rows, imports each into a fresh replica with the release build of
# `leadsync`, and reports rows/s and peak memory (max RSS). Memory should be about the same for
# both sizes: the import streams. Target: at least 20,000 rows/s.
# Usage: Scripts/bench-import.sh [ROWS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
small=$((rows / 10))

if [ ! -x /usr/bin/time ]; then
    echo "==> installing GNU time (for peak memory)"
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null 2>&1 || true
    else sudo apt-get install -y -qq time >/dev/null 2>&1 || true; fi
fi

echo "==> building leadsync (release)"
swift build -c release --product leadsync >/dev/null
bin=.build/release/leadsync

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

measure() {
    local count=$1
    local file=$work/hubspot-$count.csv home=$work/home-$count
    generate "$count" "$file"
    "$bin" init --home "$home" --node bench >/dev/null
    local size load
    size=$(du -h "$file" | cut -f1)
    load=$(cut -d' ' -f1 /proc/loadavg)
    local start end
    start=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$work/time-$count" "$bin" import --home "$home" --json "$file" > "$work/summary-$count.json"
        peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$count")
        cpu_s=$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$work/time-$count")
    else
        "$bin" import --home "$home" --json "$file" > "$work/summary-$count.json" &
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
    local created wall_ms
    created=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['created'])" "$work/summary-$count.json")
    internal=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(int(d['rows_per_second']))" "$work/summary-$count.json")
    wall_ms=$(( (end - start) / 1000000 ))
    echo "  $count rows ($size, load average $load): created $created in ${wall_ms} ms wall (process start to exit)," \
        "$(( count * 1000 / (wall_ms > 0 ? wall_ms : 1) )) rows/s; import loop $internal rows/s;" \
        "peak memory $(( peak_kb / 1024 )) MiB"
    if [ -n "$cpu_s" ]; then
        echo "    CPU time (user+sys) ${cpu_s} s: $(awk -v n="$count" -v t="$cpu_s" 'BEGIN {printf "%d", n / t}') rows per CPU-second"
    fi
    [ "$created" -eq "$count" ] || { echo "expected $count leads, got $created" >&2; exit 1; }
}

echo "==> leadsync import, fresh replica each (synchronous=FULL, one transaction)"
measure "$small"
measure "$rows"
