#!/usr/bin/env bash
# RTSP load run: N viewers of one camera's H.264 over interleaved TCP, against Decoy (release build,
# rendering and encoding with openh264) and against a reference gst-rtsp-server (shared media) that
# fans out H.264 pre-encoded from Decoy's own stream, so it encodes nothing: measured in the same run,
# one after the other for each N. Prints one JSON line per run, then a summary with the Decoy/reference
# ratios. Asserts nothing; loopback only; every process stops by itself.
#
# The viewers: Tools/rtsp-load.py, N RTSP sessions in one Python process that read the interleaved
# packets and count pictures by RTP marker bits, without decoding (a decoding client per viewer, such as
# ffmpeg, would cost more CPU than the servers on a 2-core machine, and measure itself). One anchor viewer
# keeps each stream live, so the numbers are those of viewers joining a running stream; they join spread
# over RAMP seconds. Its own CPU is printed (client_cpu_pct).
#
# The reference: Tools/rtsp-ref-server.py (python3-gi, gir1.2-gst-rtsp-server-1.0). Decoy's stream is
# recorded once with `ffmpeg -c copy` (RECORD seconds), then looped by appsrc ! rtph264pay at FPS.
#
#   Tools/rtsp-bench.sh [VIEWERS...]        default: 10 100
#   DURATION=10 WARMUP=2 RAMP=2 FPS=30 RESOLUTION=640x480 RECORD=12 Tools/rtsp-bench.sh 10 100 200
#   DECOY=/path/to/decoy Tools/rtsp-bench.sh    measures that binary instead of building the release one
set -euo pipefail
cd "$(dirname "$0")/.."
viewers=("${@:-10 100}")
read -r -a viewers <<<"${viewers[*]}"
duration=${DURATION:-10}
warmup=${WARMUP:-2}
ramp=${RAMP:-2}
fps=${FPS:-30}
resolution=${RESOLUTION:-640x480}
record=${RECORD:-12}
port=${PORT:-18283}
work=$(mktemp -d /tmp/decoy-rtsp-bench.XXXXXX)
decoy_pid=
ref_pid=
cleanup() {
  [ -n "$decoy_pid" ] && kill "$decoy_pid" 2>/dev/null || true
  [ -n "$ref_pid" ] && kill "$ref_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

Tools/setup.sh --test
/usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0")' || {
  echo "$(basename "$0"): gst-rtsp-server is not usable from /usr/bin/python3 (python3-gi, gir1.2-gst-rtsp-server-1.0)" >&2
  exit 1
}
if [ -n "${DECOY:-}" ]; then
  decoy=$DECOY
else
  swift build -c release --product decoy >&2
  decoy=$(swift build -c release --show-bin-path)/decoy
fi

cat >"$work/decoy.yaml" <<YAML
server: { listen: 127.0.0.1:$port, requestTimeout: 60 }
cameras:
  - { name: Bench, id: 1, resolution: $resolution, fps: $fps }
YAML
"$decoy" serve --config "$work/decoy.yaml" --state-dir "$work/state" --log-level warning &
decoy_pid=$!
for _ in $(seq 1 100); do curl -sf -u admin:admin "http://127.0.0.1:$port/api/v1/get_cam_list" >/dev/null && break; sleep 0.1; done
decoy_url="rtsp://admin:admin@127.0.0.1:$port/axis-media/media.amp?cameraId=1&videocodec=h264"

# The reference serves Decoy's own pictures, encoded by Decoy's encoder: the same bytes on the wire.
ffmpeg -nostdin -v error -rtsp_transport tcp -i "$decoy_url" -t "$record" -c copy -f h264 "$work/decoy.h264"
/usr/bin/python3 Tools/rtsp-ref-server.py --file "$work/decoy.h264" --port $((port + 1)) --fps "$fps" \
  --max-seconds 1800 >"$work/ref.out" &
ref_pid=$!
for _ in $(seq 1 100); do grep -q ready "$work/ref.out" 2>/dev/null && break; sleep 0.1; done
# Nobody watches Decoy between runs: its encoder stops, as it would for a real camera.
sleep 2

load() { python3 Tools/rtsp-load.py -t "$duration" --warmup "$warmup" --ramp "$ramp" "$@"; }
for n in "${viewers[@]}"; do
  load --url "rtsp://127.0.0.1:$((port + 1))/stream" -n "$n" --pid "$ref_pid" --label "reference n=$n" | tee -a "$work/runs.jsonl"
  load --url "$decoy_url" -n "$n" --pid "$decoy_pid" --label "decoy n=$n" | tee -a "$work/runs.jsonl"
done

python3 - "$work/runs.jsonl" <<'PY'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
pairs = {}
for run in runs:
    pairs.setdefault(run["viewers"], {})[run["label"].split()[0]] = run
def ratio(a, b):
    return "-" if not a or not b else f"{a / b:.2f}"
print()
print("viewers | server | CPU % | fps/viewer p50 (min) | first frame p50/p95 ms | first keyframe p50/p95 ms | RSS base→peak MB | RSS/viewer KB | client CPU %")
for n, pair in sorted(pairs.items()):
    for name in ("decoy", "reference"):
        r = pair.get(name)
        if not r:
            continue
        print(f"{n} | {name} | {r['server_cpu_pct']} | {r['fps_per_viewer_p50']} ({r['fps_per_viewer_min']}) | "
              f"{r['first_frame_ms_p50']}/{r['first_frame_ms_p95']} | {r['first_keyframe_ms_p50']}/{r['first_keyframe_ms_p95']} | "
              f"{r['server_rss_base_kb'] / 1024:.1f}→{r['server_rss_peak_kb'] / 1024:.1f} | {r['rss_growth_per_viewer_kb']} | "
              f"{r['client_cpu_pct']}")
    d, f = pair.get("decoy"), pair.get("reference")
    if d and f:
        print(f"{n} | decoy/reference | {ratio(d['server_cpu_pct'], f['server_cpu_pct'])} | "
              f"{ratio(d['fps_per_viewer_p50'], f['fps_per_viewer_p50'])} | "
              f"{ratio(d['first_frame_ms_p50'], f['first_frame_ms_p50'])}/{ratio(d['first_frame_ms_p95'], f['first_frame_ms_p95'])} | "
              f"{ratio(d['first_keyframe_ms_p50'], f['first_keyframe_ms_p50'])}/{ratio(d['first_keyframe_ms_p95'], f['first_keyframe_ms_p95'])} | "
              f"{ratio(d['server_rss_peak_kb'], f['server_rss_peak_kb'])} | "
              f"{ratio(d['rss_growth_per_viewer_kb'], f['rss_growth_per_viewer_kb'])} |")
PY
