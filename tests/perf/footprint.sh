#!/usr/bin/env bash
# Footprint of the agent next to Debian's prometheus-node-exporter on the same machine, at the same 1 s cycle.
# See tests/perf/README.md. Needs root for apt-get (only when node_exporter is missing) and the .NET SDK (unless
# --from-build is given).
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/perf/footprint.sh [--duration SECONDS] [--warmup SECONDS] [--from-build DIR] [--extra-series N] [--keep]

Publishes the agent and the collector exactly as install/linux/install.sh ships them (into a staging root), starts
the collector, the agent (1 s interval, shipping to the collector) and Debian's prometheus-node-exporter (installed with
apt-get when missing; scraped once a second by this script with curl), lets them warm up, then measures both for
--duration seconds and prints RSS and CPU seconds per cycle for both and their ratios.

  --duration SECONDS   measurement window (default 60)
  --warmup SECONDS     time before measuring (default 15)
  --from-build DIR     use DIR/agent and DIR/collector (as install.sh --from-build) instead of publishing
  --extra-series N     the agent also sends N synthetic series per cycle (to compare at node_exporter's series count)
  --keep               keep the work directory (logs, staging root) and print its path
USAGE
}

duration=60
warmup=15
from_build=""
extra_series=0
keep=0
while (($# > 0)); do
    case "$1" in
        --duration) duration="$2"; shift ;;
        --warmup) warmup="$2"; shift ;;
        --from-build) from_build="$2"; shift ;;
        --extra-series) extra_series="$2"; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "footprint.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsagent-footprint.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if ((keep)); then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'footprint.sh: error: %s\n' "$*" >&2; exit 1; }

if ! command -v prometheus-node-exporter >/dev/null; then
    say "Installing Debian's prometheus-node-exporter (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-node-exporter >/dev/null ||
        die "could not install prometheus-node-exporter with apt-get (run as root on Debian/Ubuntu)"
fi
command -v curl >/dev/null || die "curl is needed to scrape node_exporter"

# The programs, as install.sh ships them.
if [[ -n "$from_build" ]]; then
    bash "$REPO_ROOT/install/linux/install.sh" --agent --collector --root "$WORK/root" --from-build "$from_build" >&2
else
    say "Publishing the agent and the collector with install/linux/install.sh into a staging root (a few minutes)"
    bash "$REPO_ROOT/install/linux/install.sh" --agent --collector --root "$WORK/root" >&2
fi
AGENT="$WORK/root/opt/opsagent/agent/OpsAgent.Agent"
COLLECTOR="$WORK/root/opt/opsagent/collector/OpsAgent.Collector"
[[ -x "$AGENT" && -x "$COLLECTOR" ]] || die "the staging root has no agent or collector"

say "Starting the collector"
"$COLLECTOR" --config "$WORK/root/etc/opsagent/collector.json" --data-dir "$WORK/collector" \
    --Collector:Insecure=true --gateway http://127.0.0.1:0 --admin http://127.0.0.1:0 --metrics http://127.0.0.1:0 >"$WORK/collector.log" 2>&1 &
collector_pid=$!
pids+=("$collector_pid")
for _ in $(seq 1 300); do
    [[ -f "$WORK/collector/endpoints.json" ]] && grep -q "\"pid\": *\"$collector_pid\"" "$WORK/collector/endpoints.json" && break
    kill -0 "$collector_pid" 2>/dev/null || die "the collector exited: $(tail -5 "$WORK/collector.log")"
    sleep 0.2
done
endpoint() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$WORK/collector/endpoints.json"; }
GATEWAY="$(endpoint gateway)"
COLLECTOR_METRICS="$(endpoint metrics)/metrics"

say "Starting the agent (1 s interval, shipping to $GATEWAY) and node_exporter"
# As the systemd unit runs it (OPSAGENT_CONFIG, root), with a 1 s interval and a private state directory.
OPSAGENT_CONFIG="$WORK/root/etc/opsagent/agent.json" "$AGENT" \
    --collector "$GATEWAY" --interval 1 --state-dir "$WORK/agent" --Agent:Metrics:Synthetic:Series="$extra_series" >"$WORK/agent.log" 2>&1 &
agent_pid=$!
pids+=("$agent_pid")
ne_port=$((20000 + RANDOM % 10000))
# shellcheck disable=SC1091 # Debian's defaults for the service's ARGS, empty unless an admin changed them.
ARGS=""; [[ -r /etc/default/prometheus-node-exporter ]] && . /etc/default/prometheus-node-exporter
# shellcheck disable=SC2086 # ARGS is a list of flags
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" $ARGS >"$WORK/node-exporter.log" 2>&1 &
ne_pid=$!
pids+=("$ne_pid")
NE_URL="http://127.0.0.1:$ne_port/metrics"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
counter() { curl -sf "$COLLECTOR_METRICS" | awk -v n="$1" '$1 == n { print $2 }'; }
scrape() { curl -sf "$NE_URL" | grep -vc '^#'; }

# One scrape a second during the warm-up too, so that node_exporter is measured warm like the agent.
say "Warming up for ${warmup}s"
for _ in $(seq 1 "$warmup"); do scrape >/dev/null || true; sleep 1; done
for pid in "$agent_pid" "$ne_pid" "$collector_pid"; do kill -0 "$pid" 2>/dev/null || die "a process exited during warm-up; see $WORK (use --keep)"; done

say "Measuring for ${duration}s"
hz="$(getconf CLK_TCK)"
a0="$(cpu_ticks "$agent_pid")"; n0="$(cpu_ticks "$ne_pid")"
s0="$(counter opsagent_collector_samples_stored_total)"
scrapes=0; series_total=0; a_rss_sum=0; n_rss_sum=0; a_rss_max=0; n_rss_max=0; samples=0
start="$(date +%s.%N)"
for i in $(seq 1 "$duration"); do
    series="$(scrape)" || die "scraping node_exporter failed"
    scrapes=$((scrapes + 1)); series_total=$((series_total + series))
    a="$(rss_kib "$agent_pid")"; n="$(rss_kib "$ne_pid")"
    a_rss_sum=$((a_rss_sum + a)); n_rss_sum=$((n_rss_sum + n)); samples=$((samples + 1))
    ((a > a_rss_max)) && a_rss_max=$a
    ((n > n_rss_max)) && n_rss_max=$n
    # Next scrape on the next whole second of the run.
    sleep "$(awk -v s="$start" -v i="$i" -v now="$(date +%s.%N)" 'BEGIN { d = s + i - now; print (d > 0 ? d : 0) }')"
done
a1="$(cpu_ticks "$agent_pid")"; n1="$(cpu_ticks "$ne_pid")"
s1="$(counter opsagent_collector_samples_stored_total)"
elapsed="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')"

cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
awk -v hz="$hz" -v a0="$a0" -v a1="$a1" -v n0="$n0" -v n1="$n1" -v d="$duration" -v el="$elapsed" \
    -v scrapes="$scrapes" -v series="$series_total" -v s0="$s0" -v s1="$s1" \
    -v ars="$a_rss_sum" -v nrs="$n_rss_sum" -v arm="$a_rss_max" -v nrm="$n_rss_max" -v k="$samples" \
    -v cpu="$cpu_model" -v cores="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    acpu = (a1 - a0) / hz; ncpu = (n1 - n0) / hz
    acycles = el; aserie = (s1 - s0) / el
    printf "machine: %s, %d cores, load average %s; window %.1f s\n", cpu, cores, load, el
    printf "%-16s %12s %12s %14s %16s %14s\n", "process", "RSS avg MB", "RSS max MB", "CPU s total", "CPU ms/cycle", "series/cycle"
    printf "%-16s %12.1f %12.1f %14.2f %16.2f %14.0f\n", "agent", ars / k / 1024, arm / 1024, acpu, acpu * 1000 / acycles, aserie
    printf "%-16s %12.1f %12.1f %14.2f %16.2f %14.0f\n", "node_exporter", nrs / k / 1024, nrm / 1024, ncpu, ncpu * 1000 / scrapes, series / scrapes
    printf "%-16s %12.2f %12.2f %14s %16.2f\n", "agent/node_exp", (ars / k) / (nrs / k), arm / nrm, "", (acpu / acycles) / (ncpu / scrapes)
    printf "(agent: one cycle = one 1 s collection, shipped to the collector; node_exporter: one cycle = one scrape by curl)\n"
}'
