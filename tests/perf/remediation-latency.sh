#!/usr/bin/env bash
# Anomaly-to-action latency of self-healing, measured on loopback with the real collector, agent and opsctl.
#
# One agent reports RUNS synthetic series every second (30 minutes of history first, so the detector has learned
# them); series N jumps by +1000 while directory fill/N holds files. A playbook cleans fill/{{ labels.series }} when a
# series is raised as an anomaly. The script creates one fault per series, one after the other (a series is used once:
# its detector would learn a shift it saw before), waits each time until the playbook has resolved the incident and
# the anomaly has cleared, then reads the timestamps the collector stored (anomalies and
# commands tables, sqlite3) and prints p50/p99/max of each stage:
#   sample -> command   the anomalous sample's time to the playbook's command being created on the collector
#   sample -> sent      ... to the signed command being written to the agent's stream
#   sample -> action    ... to the action starting on the agent (the agent's clock; same machine)
#   sample -> result    ... to the collector storing the agent's result
#   fault -> action     the moment this script created the fault (file written) to the action starting
#
# Usage: tests/perf/remediation-latency.sh [RUNS]        (default 30; CONFIGURATION=Release|Debug, NO_BUILD=1)
# Needs: dotnet, sqlite3, jq. Leaves nothing behind but its temporary directory, removed on exit.
set -euo pipefail

RUNS=${1:-30}
CONFIGURATION=${CONFIGURATION:-Release}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$ROOT/artifacts/bin"
CONF_DIR=$(echo "$CONFIGURATION" | tr '[:upper:]' '[:lower:]')
WORK=$(mktemp -d -t opsagent-remediation-XXXXXX)
HOST=bench-heal
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "remediation-latency: $*" >&2
  echo "--- collector log (last 30 lines)" >&2; tail -n 30 "$WORK/collector.log" >&2 || true
  echo "--- agent log (last 30 lines)" >&2; tail -n 30 "$WORK/agent.log" >&2 || true
  exit 1
}

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 200 ms until it succeeds, or fails naming WHAT.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

now_ms() { date +%s%3N; }

if [[ -z "${NO_BUILD:-}" ]]; then
  dotnet build "$ROOT/OpsAgent.sln" -c "$CONFIGURATION" -v q -nologo >/dev/null || fail "dotnet build -c $CONFIGURATION failed"
fi
for dll in OpsAgent.Collector/$CONF_DIR/OpsAgent.Collector.dll OpsAgent.Agent/$CONF_DIR/OpsAgent.Agent.dll OpsAgent.Cli/$CONF_DIR/opsctl.dll; do
  [[ -f "$BIN/$dll" ]] || fail "$BIN/$dll is missing; build with -c $CONFIGURATION or unset NO_BUILD"
done

# Collector: insecure loopback mode (plain HTTP/2; commands are still signed), ports chosen by the OS, alert timings
# short enough that a fault is raised at once and its recovery seen within seconds.
DATA="$WORK/collector"
mkdir -p "$DATA"
dotnet "$BIN/OpsAgent.Collector/$CONF_DIR/OpsAgent.Collector.dll" \
  --data-dir "$DATA" --gateway http://127.0.0.1:0 --admin http://127.0.0.1:0 --metrics http://127.0.0.1:0 \
  --Collector:Insecure=true \
  --Collector:Detection:Alert:MinDuration=00:00:00 --Collector:Detection:Alert:Hold=00:00:10 \
  --Collector:Detection:Alert:ClearAfter=00:00:05 --Collector:Detection:IncidentMergeGap=00:00:02 \
  >"$WORK/collector.log" 2>&1 &
PIDS+=($!)
wait_for 60 "the collector to write $DATA/endpoints.json" test -s "$DATA/endpoints.json"
wait_for 10 "the command signing key" test -s "$DATA/pki/command-signing.pub"
GATEWAY=$(jq -r .gateway "$DATA/endpoints.json")
export OPSAGENT_COLLECTOR
OPSAGENT_COLLECTOR=$(jq -r .admin "$DATA/endpoints.json")
opsctl() { dotnet "$BIN/OpsAgent.Cli/$CONF_DIR/opsctl.dll" "$@"; }

# The faults and what may fix them: files in FILL/N raise series N; the local policy lets the agent delete *.tmp there.
FILL="$WORK/fill"
mkdir -p "$FILL" "$WORK/agent/identity"
cp "$DATA/pki/command-signing.pub" "$WORK/agent/identity/command-key.pem"
echo '{}' >"$WORK/agent/agent.json"
cat >"$WORK/policy.json" <<EOF
{ "Cleanup": [ { "Directory": "$FILL", "Patterns": ["*.tmp"], "MinAgeSeconds": 0 } ] }
EOF
cat >"$WORK/clean-fill.yaml" <<EOF
name: clean-fill
description: deletes the files the latency benchmark creates
match:
  kind: anomaly_raised
  metric: synthetic.signal
  host: $HOST
actions:
  - cleanup_files: { directory: "$FILL/{{ labels.series }}", pattern: "*.tmp", older_than: 0s }
    timeout: 30s
guards:
  cooldown: 0s
  budget: { max_hosts: 1, max_runs_per_hour: 10000 }   # the default (20 an hour) would stop a long benchmark
verify:
  window: 1m
EOF
opsctl playbooks apply "$WORK/clean-fill.yaml" >/dev/null || fail "opsctl playbooks apply failed"

FAULT_ARGS=()
for ((n = 0; n < RUNS; n++)); do
  mkdir -p "$FILL/$n"
  key="--Agent:Metrics:Synthetic:Faults:$n"
  FAULT_ARGS+=("$key:Kind=LevelShift" "$key:Magnitude=1000" "$key:SeriesIndexes:0=$n" "$key:WhileFilesIn=$FILL/$n")
done
dotnet "$BIN/OpsAgent.Agent/$CONF_DIR/OpsAgent.Agent.dll" \
  --collector "$GATEWAY" --state-dir "$WORK/agent" --agent-id "$HOST" --hostname "$HOST" --interval 1 \
  --config "$WORK/agent/agent.json" \
  --Agent:Metrics:Host:Enabled=false --Agent:Commands:PolicyFile="$WORK/policy.json" \
  --Agent:Metrics:Synthetic:Series="$RUNS" --Agent:Metrics:Synthetic:Backfill=00:30:00 "${FAULT_ARGS[@]}" \
  >"$WORK/agent.log" 2>&1 &
PIDS+=($!)

history_stored() { (($(opsctl agents show "$HOST" -o json | jq .samplesStored) >= RUNS * 1800)); }
wait_for 120 "the agent's 30 minutes of history to be stored" history_stored

# A fault written while the last one's anomaly is still open (it clears after 5 s of normal samples) would not raise a
# new one; each run starts from a quiet series.
quiet() {
  (($(opsctl incidents --open --host "$HOST" -o json | jq '.incidents | length') == 0)) &&
    (($(opsctl anomalies --open --host "$HOST" -o json | jq '.anomalies | length') == 0))
}
resolved_count() { opsctl incidents --host "$HOST" --since 1d -o json | jq '[.incidents[] | select(.resolvedBy == "playbook:clean-fill")] | length'; }
resolved_at_least() { (($(resolved_count) >= $1)); }
fill_empty() { [[ -z "$(ls -A "$FILL/$1")" ]]; }

: >"$WORK/faults"
for ((i = 1; i <= RUNS; i++)); do
  wait_for 60 "run $i: no open anomaly or incident before the next fault" quiet
  echo "$i $(now_ms)" >>"$WORK/faults"
  echo x >"$FILL/$((i - 1))/fault.tmp"
  wait_for 90 "run $i: the playbook to delete $FILL/$((i - 1))/fault.tmp" fill_empty $((i - 1))
  wait_for 90 "run $i: the playbook to resolve its incident" resolved_at_least "$i"
  printf '\rrun %d/%d' "$i" "$RUNS" >&2
done
echo >&2

# Each command of the playbook joined with the first anomaly of its incident.
sqlite3 -separator ' ' "$DATA/opsagent.db" "
  SELECT a.raised_unix_ms, c.created_unix_ms, c.first_sent_unix_ms, c.result_started_unix_ms, c.result_received_unix_ms
  FROM commands c
  JOIN anomalies a ON a.incident_id = CAST(c.incident_id AS INTEGER)
  WHERE c.playbook = 'clean-fill' AND c.result_status IS NOT NULL
    AND a.anomaly_id = (SELECT MIN(anomaly_id) FROM anomalies WHERE incident_id = a.incident_id)
  ORDER BY c.created_unix_ms;" >"$WORK/rows"

python3 - "$RUNS" "$WORK/faults" "$WORK/rows" <<'PY' || fail "could not compute the figures from $(wc -l <"$WORK/rows") rows"
import math, sys
runs = int(sys.argv[1])
faults = [int(line.split()[1]) for line in open(sys.argv[2])]
rows = [[int(x) for x in line.split()] for line in open(sys.argv[3]) if line.strip()]
if len(rows) != runs:
    sys.exit(f"expected {runs} playbook commands with results, found {len(rows)}")
stages = {"sample -> command": [], "sample -> sent": [], "sample -> action": [], "sample -> result": [], "fault -> action": []}
# One run, one fault, one command, in order. (The anomalous sample may carry a time a little before the file was
# written: the source stamps a sample when its collection tick starts and checks the directory after.)
for fault, (raised, created, sent, started, received) in zip(faults, rows):
    for name, value in zip(stages, (created - raised, sent - raised, started - raised, received - raised, started - fault)):
        stages[name].append(value)
def pct(values, p):  # nearest rank
    return sorted(values)[max(1, math.ceil(p * len(values))) - 1]
print(f"{'stage':<18} {'p50':>7} {'p99':>7} {'max':>7}   (ms, {len(rows)} runs)")
for name, values in stages.items():
    print(f"{name:<18} {pct(values, .5):>7} {pct(values, .99):>7} {max(values):>7}")
PY
