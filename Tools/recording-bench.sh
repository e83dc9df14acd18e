#!/usr/bin/env bash
# Measures what events cost: CPU of Decoy (and of the ffmpeg encoder it runs) for one 640x480@15
# camera nobody watches, in three configurations measured in the same run:
#   idle       no detection, no recording (the peer: costs nothing)
#   detect     motion detection on (renders every frame to look for motion)
#   record     detection on and an event recording for the whole window (pre-roll + H.264 encode)
# Usage: Tools/recording-bench.sh [SECONDS]   (default 20; release build, like Tools/run)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
Tools/setup.sh
swift build -c release --product decoy >&2
decoy="$(swift build -c release --show-bin-path)/decoy"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() { # name detect record
  local name="$1" detect="$2" record="$3" port=$((18500 + RANDOM % 1000))
  cat >"$work/$name.yaml" <<YAML
server: { listen: "127.0.0.1:$port" }
cameras:
  - name: Bench
    id: 1
    resolution: 640x480
    fps: 15
    activity: false
    motionDetection: { enabled: $detect }
    recording: { enabled: $record, maxDuration: 3600 }
storage: { maxSize: unlimited }
events: { triggerDuration: 3600 }
YAML
  "$decoy" serve --config "$work/$name.yaml" --state-dir "$work/state-$name" --log-level warning &
  local pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/get_cam_list" -u admin:admin && break; sleep 0.1; done
  if [[ "$record" == true ]]; then
    curl -s -u admin:admin "http://127.0.0.1:$port/axis-cgi/motion/createmotion.cgi?camera=1"
  fi
  sleep 3 # warm up: pre-roll filled, encoder started
  python3 - "$pid" "$seconds" "$name" <<'PY'
import os, sys, time
pid, seconds, name = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
tick = os.sysconf("SC_CLK_TCK")
def tree(root):
    pids = [root]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1]) == root: pids.append(int(p))
            except OSError: pass
    return pids
def cpu(pids):
    total = 0
    for p in pids:
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError: pass
    return total
pids = tree(pid)
start, t0 = cpu(pids), time.monotonic()
time.sleep(seconds)
used, elapsed = cpu(pids) - start, time.monotonic() - t0
rss = int(open(f"/proc/{pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024
print(f"{name:7s} {100 * used / tick / elapsed:6.1f} % of one core   (processes: {len(pids)}, Decoy RSS {rss} MB)")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "one 640x480@15 synthetic camera, nobody watching, ${seconds} s each:"
run idle false false
run detect true false
run record true true
