#!/usr/bin/env bash
# Device check: `decoy devices` (and `--json`) finds vivid's webcam with its formats, sizes and
# rates and the Loopback card's capture PCMs, and reports no problems.
source "$(dirname "$0")/lib.bash"
"$BIN/decoy" devices --json >"$OUT/devices.json" 2>"$OUT/devices-json.stderr" || fail "decoy devices --json runs" "exit $?"
"$BIN/decoy" devices >"$OUT/devices.txt" 2>"$OUT/devices-text.stderr" || fail "decoy devices runs" "exit $?"
python3 - "$OUT/devices.json" "$OUT/devices.txt" <<'PY'
import json, sys

passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")

try:
    inventory = json.load(open(sys.argv[1]))
    check("devices --json is valid JSON", True)
except Exception as error:
    inventory = {}
    check("devices --json is valid JSON", False, error)
text = open(sys.argv[2]).read()

video = {d.get("path"): d for d in inventory.get("video", [])}
vivid = video.get("/dev/video0", {})
check("vivid's /dev/video0 is listed as a capture device", vivid.get("driver") == "vivid", f"video: {list(video)}")
check("vivid's output and metadata nodes are not listed", set(video) == {"/dev/video0"}, f"video: {list(video)}")
formats = {f["fourcc"]: f for f in vivid.get("formats", [])}
check("vivid offers YUYV, and only uncompressed formats",
      "YUYV" in formats and not any(f["compressed"] for f in formats.values()), f"formats: {list(formats)}")
sizes = {(s["width"], s["height"]): s["fps"] for s in formats.get("YUYV", {}).get("sizes", [])}
check("YUYV sizes include 640x480 and 1280x720", (640, 480) in sizes and (1280, 720) in sizes, f"sizes: {list(sizes)}")
check("640x480 runs at up to 25 fps", sizes.get((640, 480), [None])[0] == 25, f"fps: {sizes.get((640, 480))}")
check("big-endian fourccs are readable", all(c.isascii() and c.isprintable() for c in "".join(formats)),
      f"formats: {list(formats)}")
audio = [(d["cardID"], d["device"], d["alsaName"]) for d in inventory.get("audio", [])]
check("snd-aloop's capture PCMs are listed",
      ("Loopback", 0, "hw:CARD=Loopback,DEV=0") in audio and ("Loopback", 1, "hw:CARD=Loopback,DEV=1") in audio,
      f"audio: {audio}")
check("no problems reported", inventory.get("problems") == [], f"problems: {inventory.get('problems')}")
check("the table lists the webcam and the loopback card",
      "/dev/video0" in text and "hw:CARD=Loopback,DEV=1" in text and "no video capture devices" not in text,
      text[:400])
PY
