#!/usr/bin/env bash
# Measures receive.wav: Decoy's CPU with 1 and with 50 listeners of one camera's sound (the
# synthetic marker at 8000 Hz, one capture shared by all), measured in the same run, and whether
# any listener fell behind: each must receive the header plus rate x 2 bytes for every second it
# listened (within one 20 ms block per second of slack for start-up).
# Usage: Tools/audio-bench.sh [SECONDS] [LISTENERS]   (default 20 s, 50 listeners; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
listeners="${2:-50}"
Tools/setup.sh >&2
swift build -c release --product decoy >&2
decoy="$(swift build -c release --show-bin-path)/decoy"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((19500 + RANDOM % 500))
cat >"$work/config.yaml" <<YAML
server: { listen: "127.0.0.1:$port" }
cameras:
  - name: Bench
    id: 1
    audioListening: true
    resolution: 320x240
    activity: false
    audio: { source: marker, rate: 8000 }
YAML
"$decoy" serve --config "$work/config.yaml" --state-dir "$work/state" --log-level warning &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null -u admin:admin "http://127.0.0.1:$port/api/v1/get_cam_list" && break; sleep 0.1; done

measure() { # name count
  local name=$1 count=$2
  rm -f "$work"/"$name"-*.wav
  for i in $(seq "$count"); do
    curl -s -u admin:admin --max-time "$((seconds + 2))" -o "$work/$name-$i.wav" \
      "http://127.0.0.1:$port/axis-cgi/audio/receive.wav?camera=1" &
  done
  sleep 2
  python3 - "$pid" "$seconds" "$name" "$count" <<'PY'
import os, sys, time
pid, seconds, name, count = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
start_cpu, start = cpu(), time.monotonic()
time.sleep(seconds - 2)
used, elapsed = cpu() - start_cpu, time.monotonic() - start
print(f"{name}: {count} listener(s): decoy CPU {100 * used / elapsed:.1f} % of one core")
PY
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  python3 - "$work" "$name" "$count" "$seconds" <<'PY'
import os, sys
work, name, count, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sizes = [os.path.getsize(os.path.join(work, f"{name}-{i}.wav")) for i in range(1, count + 1)]
expected = 44 + 8000 * 2 * (seconds + 2)
behind = [s for s in sizes if s < expected - 8000 * 2 * 0.02 * (seconds + 2) - 8000 * 2]
print(f"{name}: bytes per listener min {min(sizes)} max {max(sizes)} (about {expected} for {seconds + 2} s); "
      f"{len(behind)} of {count} fell behind")
PY
}

measure one 1
measure many "$listeners"
