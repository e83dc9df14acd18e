#!/usr/bin/env bash
# Device check: sound from a real ALSA capture device reaches receive.wav. A known tone is played
# into snd-aloop's playback side (hw:Loopback,0,0) and Decoy captures the other side
# (hw:Loopback,1,0, two channels mixed to mono); the WAV it serves must carry that tone at the right
# frequency and level. Then the capture thread is made late on purpose (the decoy process is
# stopped for a second, so the device overruns): the xrun must be recovered, counted in get_status
# and the sound must carry on.
source "$(dirname "$0")/lib.bash"
work="$(mktemp -d /tmp/decoy-audio.XXXXXX)"
rate=8000
cat >"$work/config.yaml" <<YAML
cameras:
  - name: Microphone
    id: 7
    audioListening: true
    resolution: 320x240
    fps: 5
    audio:
      source: alsa
      device: hw:Loopback,1,0
      channels: 2
      rate: $rate
YAML

# A 1000 Hz sine at -12 dBFS in both channels, played into the loopback in the background for
# longer than the whole check can take (the guest is slow under emulation).
sox -n -r "$rate" -c 2 -b 16 -e signed-integer -t raw "$work/tone.raw" synth 300 sine 1000 vol -12dB
aplay -q -D hw:Loopback,0,0 -t raw -f S16_LE -r "$rate" -c 2 "$work/tone.raw" 2>"$OUT/audio-aplay.stderr" &
player=$!
trap 'kill $player 2>/dev/null; stop_decoy' EXIT

if ! start_decoy "$work/config.yaml" audio-decoy --control 127.0.0.1:0; then
  fail "decoy serves an alsa camera" "it did not start (log: $OUT/audio-decoy.log)"
  exit 0
fi
wav_url="$DECOY_URL/axis-cgi/audio/receive.wav?cameraId=7"
status_url="$DECOY_URL/api/v1/get_status?cameraId=7"

# analyse FILE SKIP_SECONDS: prints "frequency level_dbfs seconds"; a pure-Python Goertzel sweep
# finds the strongest frequency, and the level is the RMS against a full-scale sine.
analyse() {
  python3 - "$1" "$2" "$rate" <<'PY'
import array, math, struct, sys
path, skip, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
    print("0 -200 0"); sys.exit(0)
samples = array.array("h", data[44:44 + (len(data) - 44) // 2 * 2])
samples = samples[int(skip * rate):]
if len(samples) < rate // 2:
    print("0 -200 0"); sys.exit(0)
window = samples[:rate]
def power(freq):
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in window:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2
# A coarse estimate from zero crossings, refined by a Goertzel sweep around it (cheap under TCG).
crossings = sum(1 for a, b in zip(window, window[1:]) if (a < 0) != (b < 0))
coarse = crossings / 2 * rate / len(window)
best = max((coarse + d / 4 for d in range(-80, 81)), key=power) if coarse > 0 else 0.0
rms = math.sqrt(sum(x * x for x in samples) / len(samples))
level = 20 * math.log10(rms * math.sqrt(2) / 32767) if rms > 0 else -200
print(f"{best:.1f} {level:.2f} {len(samples) / rate:.2f}")
PY
}

curl -s --max-time 6 -u admin:admin -o "$work/tone.wav" "$wav_url"
read -r freq level seconds <<<"$(analyse "$work/tone.wav" 1.0)"
echo "audio: tone measured at $freq Hz, $level dBFS over $seconds s" >&2
check "receive.wav from hw:Loopback,1,0 carries the 1000 Hz tone (measured $freq Hz)" \
  "expected 1000 +/- 5 Hz" python3 -c "import sys; sys.exit(abs($freq - 1000) > 5)"
check "its level is the tone's -12 dBFS (measured $level dBFS)" \
  "expected -12 +/- 1.5 dBFS; a level far below means dropouts or silence" \
  python3 -c "import sys; sys.exit(abs($level + 12) > 1.5)"
check "the two captured channels are mixed to one (a mono WAV header)" "header: $(head -c 44 "$work/tone.wav" | od -An -tx1 | tr -d '\n')" \
  python3 -c "import struct,sys; h=open('$work/tone.wav','rb').read(44); sys.exit(struct.unpack('<H',h[22:24])[0]!=1 or struct.unpack('<I',h[24:28])[0]!=$rate)"

# An overrun on purpose: while a listener streams, the whole decoy process is stopped for 1.5 s
# (longer than the 200 ms device buffer); the capture thread must recover and go on.
curl -s --max-time 9 -u admin:admin -o "$work/xrun.wav" "$wav_url" &
listener=$!
sleep 2
kill -STOP "$DECOY_PID"
sleep 1.5
kill -CONT "$DECOY_PID"
wait "$listener"
status="$(curl -s --max-time 5 -u admin:admin "$status_url")"
echo "audio: per-camera status after the stall: $status" >&2
xruns="$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['data']['audio']['xruns'])" "$status" 2>/dev/null || echo none)"
check "the overrun is counted in get_status (audio.xruns = $xruns)" "status: $status" \
  python3 -c "import sys; sys.exit(not ('$xruns'.isdigit() and int('$xruns') >= 1))"
check "the device is open again after the overrun" "status: $status" \
  python3 -c "import json,sys; sys.exit(json.loads(sys.argv[1])['data']['audio']['open'] is not True)" "$status"
check "the overrun is logged" "no 'overrun' line in $OUT/audio-decoy.log" grep -qi "overrun" "$OUT/audio-decoy.log"
control_url="$(grep -o 'control API on http://127.0.0.1:[0-9]*' "$OUT/audio-decoy.log" | head -1 | sed 's/control API on //')"
metrics="$(curl -s --max-time 5 "$control_url/metrics" | grep '^decoy_audio_')"
echo "audio: metrics: $metrics" >&2
check "the control API's /metrics counts the overrun and shows the device open" "metrics: $metrics" \
  python3 -c "
import re, sys
text = sys.argv[1]
xruns = re.search(r'^decoy_audio_xruns_total\{[^}]*camera_id=\"7\"[^}]*\} (\S+)', text, re.M)
open_ = re.search(r'^decoy_audio_device_open\{[^}]*camera_id=\"7\"[^}]*\} (\S+)', text, re.M)
sys.exit(not (xruns and float(xruns.group(1)) >= 1 and open_ and float(open_.group(1)) == 1))
" "$metrics"
read -r freq level seconds <<<"$(analyse "$work/xrun.wav" 4.5)"
echo "audio: after the overrun $freq Hz, $level dBFS over $seconds s" >&2
check "the tone carries on after the overrun ($freq Hz, $level dBFS)" "expected 1000 +/- 5 Hz at -12 +/- 1.5 dBFS" \
  python3 -c "import sys; sys.exit(abs($freq - 1000) > 5 or abs($level + 12) > 1.5)"
