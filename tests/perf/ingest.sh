#!/usr/bin/env bash
# Ingest benchmark: a fresh Release collector, `opsctl bench ingest` against it, then a clean stop and the store's real
# size on disk. See tests/perf/README.md.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/perf/ingest.sh [--no-build] [--keep] [--collector-arg ARG ...] [--] [opsctl bench ingest options...]

Builds the collector and opsctl (Release), starts the collector with a fresh data directory on loopback, runs
`opsctl bench ingest` with the options given (default: --agents 10 --series 460 --interval 1s --duration 60s), stops
the collector cleanly (SIGTERM: its last checkpoint writes every open head) and prints the store's size on disk per
stored sample after that stop, next to the report.

  --no-build   use the Release build already in artifacts/
  --keep       keep the work directory (collector log, data directory)
  --collector-arg ARG   pass ARG to the collector (repeatable), e.g. --collector-arg --Collector:Storage:QueueCapacity=256
Example: tests/perf/ingest.sh -- --agents 100 --series 1000 --duration 60s --pace max --batch-samples 10
USAGE
}

build=1
keep=0
collector_args=()
while (($# > 0)); do
    case "$1" in
        --no-build) build=0 ;;
        --keep) keep=1 ;;
        --collector-arg) collector_args+=("$2"); shift ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        *) break ;;
    esac
    shift
done
bench_args=("$@")
((${#bench_args[@]})) || bench_args=(--agents 10 --series 460 --interval 1s --duration 60s)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$REPO_ROOT/artifacts/bin"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsagent-ingest.XXXXXX")"
collector_pid=""
cleanup() {
    [[ -n "$collector_pid" ]] && kill "$collector_pid" 2>/dev/null && wait "$collector_pid" 2>/dev/null
    if ((keep)); then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
die() { printf 'ingest.sh: error: %s\n' "$*" >&2; exit 1; }

if ((build)); then
    echo "==> Building the collector and opsctl (Release)" >&2
    dotnet build "$REPO_ROOT/collector/OpsAgent.Cli" -c Release --nologo -v quiet >&2 || die "the Release build failed"
fi
[[ -f "$BIN/OpsAgent.Collector/release/OpsAgent.Collector.dll" && -f "$BIN/OpsAgent.Cli/release/opsctl.dll" ]] ||
    die "no Release build in $BIN; run without --no-build"

echo "==> Starting a collector with a fresh data directory" >&2
dotnet "$BIN/OpsAgent.Collector/release/OpsAgent.Collector.dll" --data-dir "$WORK/data" \
    --Collector:Insecure=true --gateway http://127.0.0.1:0 --admin http://127.0.0.1:0 --metrics http://127.0.0.1:0 "${collector_args[@]}" >"$WORK/collector.log" 2>&1 &
collector_pid=$!
for _ in $(seq 1 300); do
    [[ -f "$WORK/data/endpoints.json" ]] && grep -q "\"pid\": *\"$collector_pid\"" "$WORK/data/endpoints.json" && break
    kill -0 "$collector_pid" 2>/dev/null || die "the collector exited: $(tail -5 "$WORK/collector.log")"
    sleep 0.2
done
admin="$(sed -n 's/.*"admin": *"\([^"]*\)".*/\1/p' "$WORK/data/endpoints.json")"

echo "==> opsctl bench ingest ${bench_args[*]}" >&2
dotnet "$BIN/OpsAgent.Cli/release/opsctl.dll" bench ingest --collector "$admin" "${bench_args[@]}" -o json >"$WORK/report.json" ||
    die "opsctl bench ingest failed: $(cat "$WORK/report.json")"

echo "==> Stopping the collector cleanly" >&2
kill -TERM "$collector_pid"
wait "$collector_pid" || die "the collector did not stop cleanly: $(tail -5 "$WORK/collector.log")"
collector_pid=""
disk="$(du -cb "$WORK"/data/opsagent.db* | tail -1 | cut -f1)"

python3 - "$WORK/report.json" "$disk" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); disk = int(sys.argv[2])
run, t, l, c, s = r["run"], r["throughput"], r["ackLatency"], r["collector"], r["store"]
print(f"run: {run['agents']} agents x {run['seriesPerAgent']} series, interval {run['intervalSeconds']}s, "
      f"{run['samplesPerBatch']} sample(s) per series per batch, pace {run['pace']}, {run['durationSeconds']}s")
print(f"accepted: {t['samplesPerSecond']:,.0f} samples/s stored ({t['samplesStored']:,} samples, {t['batchesStored']:,} batches; "
      f"{t['batchesNotStored']} not stored)")
print(f"ack latency: p50 {l['p50Ms']:.1f} ms, p99 {l['p99Ms']:.1f} ms, max {l['maxMs']:.1f} ms")
if c:
    print(f"collector: RSS {c['rssBytesBefore']/2**20:.0f} MiB before, {c['rssBytesMax']/2**20:.0f} MiB max; "
          f"CPU {c['cpuSeconds']:.1f} s = {c['cpuPercent']:.0f}% of one core")
samples = s["samplesAfter"]
print(f"store: {samples:,} samples; on disk after a clean stop {disk:,} bytes = {disk / samples:.3f} bytes/sample "
      f"(closed chunks alone {s['chunkBytesPerSample']:.3f} bytes/sample)")
for p in r["problems"]:
    print("problem:", p)
PY
