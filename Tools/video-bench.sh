#!/usr/bin/env bash
# Measures webcam serving against real kernel devices in the HIL guest (a measurement, not a test):
# the CPU of a release `decoy serve` with 10 viewers at native size of
#   vivid   640x480@25 YUYV (vivid's ceiling at that size): converted to I420 and encoded once per frame
#   loop    640x480@25 MJPEG from v4l2loopback, fed by ffmpeg: passed through without re-encoding
# measured in the same guest boot, with the frames each viewer got and the encode time Decoy spent
# (from the control API's /metrics). Every number is inflated by TCG emulation (each guest
# instruction is emulated on the host), so compare the two cases with each other, not with hardware.
# Usage: Tools/video-bench.sh [SECONDS]   (default 10)
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--guest" ]]; then
  shift
  source Tools/device-checks/lib.bash
  seconds="${3:-10}"
  work="$(mktemp -d /tmp/decoy-bench.XXXXXX)"
  ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  hz=$(getconf CLK_TCK)
  metric() { # NAME CAMERA: one per-camera series of /metrics
    curl -s --max-time 5 "$CONTROL/metrics" | awk -v name="$1" -v cam="$2" \
      'index($1, name "{") == 1 && index($1, "camera=\"" cam "\"") {print $2}'
  }
  encode_seconds() { metric decoy_encode_seconds_total "$1"; }
  measure() { # LABEL CAMERA_ID CAMERA_NAME
    local pids=() before after encode_before encode_after i
    for i in $(seq 10); do
      curl -s --max-time $((seconds + 6)) -u admin:admin -o "$work/$2-$i.mjpeg" \
        "$DECOY_URL/axis-cgi/mjpg/video.cgi?cameraId=$2" &
      pids+=($!)
    done
    sleep 4
    before=$(ticks "$DECOY_PID")
    encode_before=$(encode_seconds "$3")
    sleep "$seconds"
    after=$(ticks "$DECOY_PID")
    encode_after=$(encode_seconds "$3")
    wait "${pids[@]}" 2>/dev/null
    echo "$1: frames encoded $(metric decoy_frames_encoded_total "$3"), passed through" \
      "$(metric decoy_frames_passed_through_total "$3") (whole run)" >&2
    local frames
    frames=$(for i in $(seq 10); do grep -c -a "^Content-Type: image/jpeg" "$work/$2-$i.mjpeg"; done | sort -n | tr '\n' ' ')
    echo "$1: decoy $(((after - before) * 100 / hz / seconds)) % of one core; encode time" \
      "$(python3 -c "print(f'{(${encode_after:-0} - ${encode_before:-0}) * 1000 / $seconds:.1f}')") ms per second;" \
      "frames per viewer over $((seconds + 6)) s: $frames"
  }
  cat >"$work/c.yaml" <<YAML
cameras:
  - { name: Vivid, id: 1, source: v4l2, device: /dev/video0, resolution: 640x480, fps: 25 }
  - { name: Loop, id: 2, source: v4l2, device: /dev/video10, format: mjpeg, resolution: 640x480, fps: 25 }
YAML
  feeder=""
  trap 'kill $feeder 2>/dev/null; stop_decoy' EXIT
  control_port=$((20000 + RANDOM % 10000))
  CONTROL="http://127.0.0.1:$control_port"
  start_decoy "$work/c.yaml" bench-decoy --control "127.0.0.1:$control_port" || exit 1
  before=$(ticks "$DECOY_PID")
  sleep 5
  after=$(ticks "$DECOY_PID")
  echo "idle (nobody watching): decoy $(((after - before) * 100 / hz / 5)) % of one core"
  measure "vivid 640x480@25 YUYV, convert + encode once" 1 Vivid
  # The "webcam": ffmpeg encodes a test pattern to MJPEG into the loopback device, in real time.
  ffmpeg -nostdin -v error -re -f lavfi -i testsrc2=size=640x480:rate=25 -c:v mjpeg -q:v 5 -f v4l2 /dev/video10 &
  feeder=$!
  # With exclusive_caps the loopback becomes a capture device only once its producer is attached.
  for _ in $(seq 300); do
    v4l2-ctl -d /dev/video10 --info 2>/dev/null | grep -q "Video Capture" && break
    sleep 0.1
  done
  sleep 1
  measure "loopback 640x480@25 MJPEG passthrough" 2 Loop
  exit 0
fi
Tools/setup.sh >&2
swift build -c release --product decoy >&2 || exit 1
bin="$(swift build -c release --show-bin-path)"
out="$bin/../hil-bench"
mkdir -p "$out"
Tools/hil-run Tools/video-bench.sh --guest "$bin" "$out" "${1:-10}"
