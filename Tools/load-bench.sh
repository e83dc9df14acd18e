#!/usr/bin/env bash
# MJPEG load run: Decoy against the shared ceiling server (ref_server), measured in the same run
# with the shared load client (mjpeg_load), both from ../shared/bench. Prints one JSON line per run
# and a summary; asserts nothing. Loopback only; every run stops by itself.
#
#   Tools/load-bench.sh [VIEWERS...]        default: 100 500
#   DURATION=10 FPS=30 RESOLUTION=640x480 Tools/load-bench.sh 100
#   RTSP=false Tools/load-bench.sh 100      Decoy with server.rtsp off (what the protocol sniffer costs)
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
viewers=("${@:-100 500}")
read -r -a viewers <<<"${viewers[*]}"
duration=${DURATION:-10}
fps=${FPS:-30}
resolution=${RESOLUTION:-640x480}
work=$(mktemp -d /tmp/decoy-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

Tools/setup.sh --test
command -v gcc >/dev/null || { echo "gcc is needed to build the shared load tools" >&2; exit 1; }
gcc -O2 -Wall -o "$work/mjpeg_load" "$bench/mjpeg_load.c" -lm
gcc -O2 -Wall -o "$work/ref_server" "$bench/ref_server.c"
swift build -c release --product decoy >&2
decoy=$(swift build -c release --show-bin-path)/decoy

port=18083
cat >"$work/decoy.yaml" <<YAML
server: { listen: 127.0.0.1:$port, requestTimeout: 60, rtsp: ${RTSP:-true} }
cameras:
  - { name: Bench, id: 1, resolution: $resolution, fps: $fps }
YAML
"$decoy" serve --config "$work/decoy.yaml" --state-dir "$work/state" --log-level warning &
decoy_pid=$!
for _ in $(seq 1 100); do curl -sf -u admin:admin "http://127.0.0.1:$port/api/v1/get_cam_list" >/dev/null && break; sleep 0.1; done

# ref_server serves Decoy's own frames, so both send the same bytes.
mkdir -p "$work/frames"
for i in $(seq -w 1 30); do
  curl -sf -u admin:admin -o "$work/frames/$i.jpg" "http://127.0.0.1:$port/axis-cgi/jpg/image.cgi?compression=30"
  sleep 0.04
done
"$work/ref_server" --dir "$work/frames" --port $((port + 1)) --fps "$fps" --notsent-lowat 16384 --max-seconds 600 &
ref_pid=$!
sleep 0.5

for n in "${viewers[@]}"; do
  "$work/mjpeg_load" --url "http://127.0.0.1:$((port + 1))/stream" -n "$n" -t "$duration" --pid "$ref_pid" --label "ref_server n=$n"
  "$work/mjpeg_load" --url "http://127.0.0.1:$port/axis-cgi/mjpg/video.cgi?compression=30" --auth admin:admin \
    -n "$n" -t "$duration" --pid "$decoy_pid" --label "decoy n=$n"
  "$work/mjpeg_load" --url "http://127.0.0.1:$port/axis-cgi/mjpg/video.cgi?compression=30" --auth admin:admin \
    -n "$n" -t "$duration" --slow $((n / 10)) --slow-bps 20000 --pid "$decoy_pid" --label "decoy n=$n slow=$((n / 10))"
done
