#!/usr/bin/env bash
# Replica commands at scale: builds one replica holding LEADS leads (default 50,000; imported from
# a generated CSV, once), then times whole `leadsync` processes, start to exit, RUNS times each
# (default 7): `list --limit 50`, `show`, `add`, `set`, `duplicates` and `report funnel`.
# Prints the median and the range per command, the target, and the load average.
# Targets (Docs/benchmarks.md): list and show under 100 ms, add and set under 50 ms,
# duplicates and report funnel under 1 s.
# Usage: [RUNS=n] [LEADSYNC=path] Scripts/bench-replica.sh [LEADS]
#   LEADSYNC runs another leadsync binary (e.g. an older build, for paired runs) on the same replica.
set -euo pipefail
cd "$(dirname "$0")/.."
leads=${1:-50000}
runs=${RUNS:-7}
if [[ -z "${LEADSYNC:-}" ]]; then
    swift build -c release --product leadsync >/dev/null
fi
bin=${LEADSYNC:-.build/release/leadsync}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=$work/home

# Trade-fair leads in HubSpot's export columns; every 100th row repeats the name and company of the
# row before it under another e-mail (a likely duplicate); stages spread over the funnel.
awk -v n="$leads" 'BEGIN {
    split("Jürgen,Anna,Özlem,Björn,Zoë,Chloé,Łukasz,Ségolène,Mats,Ines", first, ",")
    split("Müller,Schmidt,Größe,Weiß,Ærø,Dubois,Nowak,Çelik,Hansen,Krämer", last, ",")
    split("München,Köln,Düsseldorf,Zürich,Malmö,Genève,Kraków,Wien,Bozen,Århus", city, ",")
    split("lead,lead,lead,marketingqualifiedlead,salesqualifiedlead,opportunity,customer", stage, ",")
    print "First Name,Last Name,Email,Phone Number,Company Name,Job Title,City,Country/Region,Lifecycle Stage,Original Source"
    for (i = 1; i <= n; i++) {
        k = (i % 100 == 0) ? i - 1 : i
        printf "%s,%s,lead%d@firma%d.example,+49 89 %07d,\"Firma %d, Söhne & Co. KG\",Einkäufer,%s,Deutschland,%s,Trade Show\n",
            first[k % 10 + 1], last[int(k / 7) % 10 + 1], i, i % 997, i, k % 4999, city[i % 10 + 1], stage[i % 7 + 1]
    }
}' > "$work/leads.csv"

"$bin" init --home "$home" --node bench >/dev/null
start=$(date +%s%N)
"$bin" import --home "$home" "$work/leads.csv" >/dev/null
echo "replica with $leads leads imported in $(( ($(date +%s%N) - start) / 1000000 )) ms ($(du -h "$home" | tail -1 | cut -f1) on disk)"
id=$("$bin" list --home "$home" --limit 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')

echo "machine: $(nproc) cores; $(uptime)"
echo "$runs whole-process runs each of $bin, median and range, target:"
python3 - "$bin" "$home" "$id" "$runs" <<'PY'
import statistics, subprocess, sys, time

binary, home, lead, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
commands = [
    ("list --limit 50", lambda i: ["list", "--limit", "50"], 100),
    ("show", lambda i: ["show", lead], 100),
    ("add", lambda i: ["add", "--first-name", f"Bench{i}", "--last-name", "Messe", "--email", f"bench{i}@example.com",
                      "--company", "Acme"], 50),
    ("set", lambda i: ["set", lead, f"city=Berlin {i}"], 50),
    ("duplicates", lambda i: ["duplicates"], 1000),
    ("report funnel", lambda i: ["report", "funnel"], 1000),
]
for name, arguments, target in commands:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, *arguments(i), "--home", home], check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    verdict = "met" if median < target else "MISSED"
    load = open("/proc/loadavg").read().split()[0]
    print(f"  {name:16} {median:7.0f} ms  ({min(times):.0f}-{max(times):.0f})  target < {target} ms: {verdict}  (load {load})")
PY
