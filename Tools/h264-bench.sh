#!/usr/bin/env bash
# Measures Decoy's H.264 encoding against openh264 called directly (a measurement, not a test): the
# same N pre-rendered frames of a synthetic 640x480 camera, the same encoder parameters (Constrained
# Baseline, one slice, fixed QP from the quality, an IDR every second), one thread each.
#   decoy      `decoy h264-bench`: the frames streamed through a real FrameHub to one H.264
#              subscriber (encoder, copy into the shared frame, delivery); it also writes the frames
#   openh264   Tools/h264-bench/openh264-bench.c: EncodeFrame in a loop over the same frames
# The two alternate for ROUNDS rounds, each the best of 3 passes; CPU time is the fair measure on a
# shared machine (wall time is printed too). The issue's goal: Decoy's rate >= 90 % of openh264's.
# Usage: Tools/h264-bench.sh [FRAMES] [ROUNDS]   (defaults 300 and 3; release build, like Tools/run)
set -euo pipefail
cd "$(dirname "$0")/.."
frames="${1:-300}"
rounds="${2:-3}"
size=640x480 fps=30 quality=70
Tools/setup.sh
swift build -c release --product decoy >&2
decoy="$(swift build -c release --show-bin-path)/decoy"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -Wall -o "$work/openh264-bench" Tools/h264-bench/openh264-bench.c $(pkg-config --cflags --libs openh264)
qp=$(awk -v q="$quality" 'BEGIN { print 46 - int(((q - 1) * 30 + 49) / 99) }')  # H264RateControl.quantizer

cpu_fps() { sed -E 's/.*CPU \(([0-9.]+) fps\).*/\1/'; }
best_decoy=0 best_reference=0
for round in $(seq "$rounds"); do
  ours=$("$decoy" h264-bench --frames "$frames" --size "$size" --fps "$fps" --quality "$quality" \
    --write-frames "$work/frames.yuv")
  reference=$("$work/openh264-bench" "$work/frames.yuv" "${size%x*}" "${size#*x}" "$fps" "$qp" "$fps")
  echo "round $round: $ours"
  echo "round $round: $reference"
  best_decoy=$(echo "$ours" | cpu_fps | awk -v b="$best_decoy" '{ print ($1 > b ? $1 : b) }')
  best_reference=$(echo "$reference" | cpu_fps | awk -v b="$best_reference" '{ print ($1 > b ? $1 : b) }')
done
awk -v d="$best_decoy" -v r="$best_reference" 'BEGIN {
  printf "best CPU rate: decoy %.1f fps, openh264 %.1f fps: decoy at %.1f %% of openh264 (goal >= 90 %%)\n", d, r, 100 * d / r
}'
