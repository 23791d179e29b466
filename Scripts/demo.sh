#!/usr/bin/env bash
# LeadSync's main job, end to end on one machine: a hub on a free loopback port and three reps'
# replicas (anna, ben, carla) capturing leads offline at a trade fair, editing the same lead
# concurrently and in causal order, syncing, and ending with identical data everywhere — the
# concurrent edit kept as a conflict. Everything lives in a temporary directory that is removed at
# the end; the hub is stopped on any exit, error or Ctrl-C.
#
#   Scripts/demo.sh              # builds (release) first; needs Swift 6.1+ and libsqlite3-dev
#   LEADSYNC_BIN=path/to/leadsync Scripts/demo.sh   # use an existing binary, skip the build
#   Scripts/demo.sh --postgres   # the same story with THREE hub processes over one throwaway
#                                # PostgreSQL database (Scripts/postgres-cluster.sh), the reps
#                                # syncing with a different process each time
set -euo pipefail
cd "$(dirname "$0")/.."

POSTGRES=false
case "${1:-}" in
    "") ;;
    --postgres) POSTGRES=true ;;
    *) echo "usage: $0 [--postgres]" >&2; exit 2 ;;
esac

if [ -t 1 ]; then bold=$'\033[1m'; dim=$'\033[2m'; reset=$'\033[0m'; else bold=""; dim=""; reset=""; fi
section() { printf '\n%s==== %s ====%s\n' "$bold" "$*" "$reset"; }
say() { printf '%s# %s%s\n' "$dim" "$*" "$reset"; }

WORK=""
HUB_PIDS=()
PG_DIR=""
cleanup() {
    local status=$? pid
    for pid in "${HUB_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$PG_DIR" ]; then Scripts/postgres-cluster.sh stop "$PG_DIR" || true; rm -rf "$PG_DIR"; fi
    if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
    if [ "$status" -ne 0 ]; then echo "demo failed (exit $status)" >&2; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
section "Build"
if [ -n "${LEADSYNC_BIN:-}" ]; then
    LEADSYNC="$LEADSYNC_BIN"
    say "using $LEADSYNC"
else
    command -v swift >/dev/null || { echo "swift not found: install Swift 6.1+ (https://swift.org/install)" >&2; exit 1; }
    if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
        say "installing libsqlite3-dev"
        if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
        "${SUDO[@]}" apt-get update -qq
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev
    fi
    say "swift build -c release --product leadsync (the first build takes a few minutes)"
    swift build -c release --product leadsync
    LEADSYNC="$(swift build -c release --show-bin-path)/leadsync"
fi
[ -x "$LEADSYNC" ] || { echo "no leadsync binary at $LEADSYNC" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/leadsync-demo.XXXXXX")"
HUB_HOME="$WORK/hub"

# `rep NAME ARGS…` runs leadsync as that rep, on that rep's replica.
rep() { local name=$1; shift; LEADSYNC_HOME="$WORK/$name" "$LEADSYNC" "$@"; }
# Prints a rep's command line (arguments with blanks quoted), then runs it.
show() {
    local name=$1 line="" arg
    shift
    for arg in "$@"; do
        if [[ $arg == *[[:space:]\&]* ]]; then
            if [[ $arg == [a-z_]*=* ]]; then arg="${arg%%=*}=\"${arg#*=}\""; else arg="\"$arg\""; fi
        fi
        line+=" $arg"
    done
    printf '%s%s$ leadsync%s%s\n' "$bold" "$name" "$line" "$reset"
    rep "$name" "$@"
}

# ---------------------------------------------------------------------------------------------
# `start_hub LOG ARGS…` starts one `hub serve` process on a free loopback port; sets HUB to its address.
start_hub() {
    local log=$1 out
    shift
    out="$log.out"
    "$LEADSYNC" hub serve "$@" --port 0 --log-level warning >"$out" 2>"$log" &
    local pid=$!
    HUB_PIDS+=("$pid")
    for _ in $(seq 1 200); do
        grep -q '^listening on ' "$out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || { echo "the hub did not start:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    HUB="$(sed -n 's/^listening on //p' "$out" | head -n 1)"
    [ -n "$HUB" ] || { echo "the hub did not report its address within 20 s" >&2; exit 1; }
    say "hub (pid $pid) listening on $HUB"
}

declare -A TOKEN
HUBS=()
if $POSTGRES; then
    section "Hub: a throwaway PostgreSQL, the hub's tables in it, three reps, THREE hub processes"
    # Its own directory beside WORK: the server runs as another user, who cannot enter WORK (0700).
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/leadsync-demo-pg.XXXXXX")"
    Scripts/postgres-cluster.sh start "$PG_DIR"
    # shellcheck source=/dev/null
    . "$PG_DIR/env"   # the server's URL; its password is in PGPASSFILE, never on a command line
    DATABASE="$LEADSYNC_TEST_POSTGRES_URL"
    HUB_ADMIN=(--database "$DATABASE")
    HUB_INIT="$("$LEADSYNC" hub init --database "$DATABASE" --certificate-dir "$WORK/tls")"
    echo "$HUB_INIT"
    FINGERPRINT="$(echo "$HUB_INIT" | awk '/fingerprint/ { print $NF }')"
    [ -n "$FINGERPRINT" ] || { echo "hub init printed no fingerprint" >&2; exit 1; }
    for name in anna ben carla; do
        TOKEN[$name]="$("$LEADSYNC" hub add-node "$name" --database "$DATABASE" --tls-cert "$WORK/tls/tls-cert.pem" \
            2>"$WORK/add-node.err")" || { cat "$WORK/add-node.err" >&2; exit 1; }
        say "registered node $name (token ${TOKEN[$name]:0:6}…, shown once)"
    done
    for index in 1 2 3; do
        start_hub "$WORK/hub$index.log" --database "$DATABASE" --tls-cert "$WORK/tls/tls-cert.pem" --tls-key "$WORK/tls/tls-key.pem"
        HUBS+=("$HUB")
    done
    HUB="${HUBS[0]}"
    say "three processes serve one database; each sync below goes to the next process in turn"
else
    section "Hub: create it (with its TLS certificate), register three reps, serve on a free loopback port"
    HUB_ADMIN=(--home "$HUB_HOME")
    HUB_INIT="$("$LEADSYNC" hub init --home "$HUB_HOME")"
    echo "$HUB_INIT"
    FINGERPRINT="$(echo "$HUB_INIT" | awk '/fingerprint/ { print $NF }')"
    [ -n "$FINGERPRINT" ] || { echo "hub init printed no fingerprint" >&2; exit 1; }
    for name in anna ben carla; do
        TOKEN[$name]="$("$LEADSYNC" hub add-node "$name" --home "$HUB_HOME" 2>"$WORK/add-node.err")" \
            || { cat "$WORK/add-node.err" >&2; exit 1; }
        say "registered node $name (token ${TOKEN[$name]:0:6}…, shown once)"
    done
    start_hub "$WORK/hub.log" --home "$HUB_HOME"
fi

# `rep_sync NAME`: the rep syncs; with --postgres, with the next of the three hub processes.
SYNCS=0
rep_sync() {
    local name=$1
    if $POSTGRES; then
        show "$name" sync --hub "${HUBS[$((SYNCS % 3))]}"
        SYNCS=$((SYNCS + 1))
    else
        show "$name" sync
    fi
}

section "Replicas: one per rep, each with its own node name and token, pinning the hub's certificate"
say "sync runs over TLS; a replica trusts only the certificate with the fingerprint it was given"
for name in anna ben carla; do
    rep "$name" init --node "$name" --hub "$HUB" --token="${TOKEN[$name]}" --fingerprint "$FINGERPRINT"
done

# ---------------------------------------------------------------------------------------------
section "Hannover Messe, day 1: capture offline (no network needed)"
FAIR="Hannover Messe 2026"
JUERGEN_ID="$(rep anna add --first-name Jürgen --last-name Müller --company "Müller Maschinenbau GmbH" \
    --title "Leiter Einkauf" --email j.mueller@example.de --phone "+49 511 4711000" --city Hannover \
    --source badge_scan --event "$FAIR" --tag vip --note "Interesse an Predictive Maintenance, Demo im Mai")"
rep anna add --first-name Sabine --last-name Wagner --company "Wagner Logistik AG" --title COO \
    --email s.wagner@example.com --city Bremen --source business_card --event "$FAIR" >/dev/null
rep anna add --first-name Thomas --last-name Schmidt --company "Schmidt & Söhne KG" --title Geschäftsführer \
    --city Stuttgart --source booth_conversation --event "$FAIR" --note "Rückruf nach der Messe" >/dev/null
rep ben add --first-name Katrin --last-name Becker --company "Becker Automation GmbH" \
    --title "Leiterin Produktion" --email k.becker@example.org --city Dortmund --source badge_scan \
    --event "$FAIR" --tag hot >/dev/null
rep ben add --first-name Mehmet --last-name Yılmaz --company "Yılmaz Präzisionsteile GmbH" \
    --phone "+49 221 5550123" --city Köln --source business_card --event "$FAIR" >/dev/null
rep carla add --first-name Lena --last-name Hoffmann --company "Hoffmann Energietechnik GmbH" \
    --title Einkäuferin --email l.hoffmann@example.de --city Leipzig --source badge_scan --event "$FAIR" >/dev/null
rep carla add --first-name Stefan --last-name Fischer --company "Fischer Verpackungen GmbH & Co. KG" \
    --city Nürnberg --source booth_conversation --event "$FAIR" --tag follow-up >/dev/null
JUERGEN="${JUERGEN_ID:0:8}"   # any unique prefix of an id works
for name in anna ben carla; do
    show "$name" list
done
show anna status

section "Evening: everyone syncs (twice round, so each rep gets every lead)"
for name in anna ben carla anna ben; do
    rep_sync "$name"
done

# ---------------------------------------------------------------------------------------------
section "Day 2: anna and ben both change Jürgen Müller's phone, offline (concurrent edits)"
show anna set "$JUERGEN" phone="+49 511 7654321" email=juergen.mueller@example.de
show ben set "$JUERGEN" phone="+49 170 9876543"
say "neither has seen the other's change: the hub will keep one value and record the other as a conflict"

section "carla syncs anna's change, then edits after it (a causally ordered edit)"
rep_sync anna
rep_sync carla
show carla set "$JUERGEN" email=einkauf@example.de
say "carla saw anna's e-mail before replacing it: her value wins everywhere, with no conflict"

section "Everyone syncs, then once more so all converge"
for name in ben carla anna ben carla anna; do
    rep_sync "$name"
done

# ---------------------------------------------------------------------------------------------
section "Converged: every replica lists the same leads"
for name in anna ben carla; do
    show "$name" list
done
for name in anna ben carla; do
    rep "$name" list --deleted --json >"$WORK/$name.json"
    rep "$name" conflicts --json >"$WORK/$name.conflicts.json"
done
for name in ben carla; do
    if diff -u "$WORK/anna.json" "$WORK/$name.json" && diff -u "$WORK/anna.conflicts.json" "$WORK/$name.conflicts.json"; then
        say "diff of 'list --json' and 'conflicts --json', anna vs $name: identical"
    else
        echo "anna and $name differ" >&2
        exit 1
    fi
done

section "The concurrent edit, kept as a conflict (the same on every replica)"
show anna conflicts
say "both phone numbers were written without either rep seeing the other: the later write (hybrid"
say "logical clock) wins on every replica, the other is kept here until an edit that has seen both"
say "replaces it; the e-mail, changed by anna and then by carla after she had synced, has no conflict"
show carla show "$JUERGEN"

section "Hub status: every node synced, zero lag"
"$LEADSYNC" hub status "${HUB_ADMIN[@]}"
show ben status

# ---------------------------------------------------------------------------------------------
section "Stop the hub (SIGTERM: it finishes open sessions and exits 0)"
for pid in "${HUB_PIDS[@]}"; do
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "the hub (pid $pid) did not stop within 15 s" >&2; exit 1; fi
    hub_status=0
    wait "$pid" || hub_status=$?
    say "hub (pid $pid) exited with status $hub_status"
    [ "$hub_status" -eq 0 ] || exit 1
done
HUB_PIDS=()
echo
echo "Demo finished; removing $WORK"
