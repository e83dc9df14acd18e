#!/usr/bin/env bash
# The fault layer's cost when no rule is active, at 500 MJPEG viewers: Decoy without the layer
# (`decoy serve`) against Decoy with it (`decoy run` of a scenario whose only rule never matches:
# the fault layer deciding every request, the refuse check per connection, the journal of every
# exchange and stream are all there), measured with the shared load client (../shared/bench/mjpeg_load).
# Runs alternate (without, with, without, with, ...) so a shared machine's drift hits both.
# Prints each run's JSON line, then the means and the ratios. Asserts nothing; loopback only.
#
# BASELINE_DECOY=/path/to/an/older/decoy adds a third run per round, that binary's `decoy run` of
# the same scenario, and a column comparing it: how this build's fault layer compares with an
# earlier one's, on the same machine in the same run.
#
#   Tools/fault-bench.sh                    500 viewers, 15 s per run, 2 rounds
#   VIEWERS=200 DURATION=10 ROUNDS=3 FPS=30 RESOLUTION=640x480 Tools/fault-bench.sh
#   BASELINE_DECOY=../decoy-before/.build/release/decoy Tools/fault-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The neutral yardstick: the team's shared load client and reference server (C sources) beside
# this checkout. They are not part of Decoy; without them this benchmark cannot run.
bench=${DECOY_BENCH_DIR:-../shared/bench}
if [ ! -f "$bench/mjpeg_load.c" ]; then
  echo "$(basename "$0"): the load client sources are not in $bench (mjpeg_load.c, ref_server.c);" >&2
  echo "  this benchmark measures against that shared yardstick: set DECOY_BENCH_DIR to where they are" >&2
  exit 2
fi
viewers=${VIEWERS:-500}
duration=${DURATION:-15}
rounds=${ROUNDS:-2}
fps=${FPS:-30}
resolution=${RESOLUTION:-640x480}
port=${PORT:-18183}
work=$(mktemp -d /tmp/decoy-fault-bench.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v gcc >/dev/null || { echo "gcc is needed to build the shared load client (apt-get install gcc)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to summarise the runs" >&2; exit 1; }
mkdir -p .build/bench
[ .build/bench/mjpeg_load -nt "$bench/mjpeg_load.c" ] || gcc -O2 -Wall -o .build/bench/mjpeg_load "$bench/mjpeg_load.c" -lm
swift build -c release --product decoy >&2
decoy=$(swift build -c release --show-bin-path)/decoy

camera="{ name: Bench, id: 1, resolution: $resolution, fps: $fps }"
cat >"$work/serve.yaml" <<YAML
server: { listen: 127.0.0.1:$port, requestTimeout: 60 }
cameras:
  - $camera
YAML
# Long enough to outlast a run; the rule matches a path nobody asks for.
cat >"$work/faulted.yaml" <<YAML
name: fault-bench
duration: 10m
config:
  server: { requestTimeout: 60 }
  cameras:
    - $camera
rules:
  - { name: never, match: { path: /never/asked }, status: 503 }
YAML

wait_ready() {
  for _ in $(seq 1 200); do
    curl -sf -u admin:admin "http://127.0.0.1:$port/api/v1/get_cam_list" >/dev/null && return 0
    sleep 0.1
  done
  echo "Decoy did not come up on port $port" >&2
  exit 1
}

measure() { # label, then the server command
  local label=$1
  shift
  "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  wait_ready
  sleep 1
  .build/bench/mjpeg_load --url "http://127.0.0.1:$port/axis-cgi/mjpg/video.cgi?compression=30" --auth admin:admin \
    -n "$viewers" -t "$duration" --warmup 2 --pid "$server_pid" --label "$label" | tee -a "$work/results.jsonl"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  sleep 1
}

for round in $(seq 1 "$rounds"); do
  measure "without n=$viewers round=$round" \
    "$decoy" serve --config "$work/serve.yaml" --state-dir "$work/state-serve" --log-level warning
  measure "with n=$viewers round=$round" \
    "$decoy" run "$work/faulted.yaml" --listen "127.0.0.1:$port" --state-dir "$work/state-run"
  if [ -n "${BASELINE_DECOY:-}" ]; then
    measure "before n=$viewers round=$round" \
      "$BASELINE_DECOY" run "$work/faulted.yaml" --listen "127.0.0.1:$port" --state-dir "$work/state-before"
  fi
done

python3 - "$work/results.jsonl" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]
def mean(kind, key):
    values = [r[key] for r in runs if r.get("label", "").startswith(kind) and isinstance(r.get(key), (int, float))]
    return sum(values) / len(values) if values else float("nan")
keys = ["server_cpu_pct", "fps_per_client_p50", "fps_per_client_min", "fps_total", "first_frame_ms_p95",
        "server_rss_peak_kb", "streaming"]
before = any(r.get("label", "").startswith("before") for r in runs)
header = ("", "without layer", "with layer", "with/without") + (("before: with", "with/before") if before else ())
print(("%-22s %14s %14s %12s" + (" %14s %12s" if before else "")) % header)
for key in keys:
    a, b = mean("without", key), mean("with ", key)
    row = (key, a, b, b / a if a else float("nan"))
    if before:
        c = mean("before", key)
        row += (c, b / c if c else float("nan"))
    print(("%-22s %14.2f %14.2f %12.3f" + (" %14.2f %12.3f" if before else "")) % row)
PY
