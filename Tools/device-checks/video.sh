#!/usr/bin/env bash
# Device check: pictures from a real V4L2 capture device (vivid's webcam input at /dev/video0).
# Decoy serves a `source: v4l2` camera at 640x480@25 and then at 1280x720; image.cgi and video.cgi
# must give whole JPEGs of that size that decode and change from frame to frame; a `camera` action
# (control API) then turns the HD camera to 640x480 mid-stream: the device is opened again at that
# size and the open stream goes on with frames of the new size. A camera whose
# device is missing must still serve (the NO SIGNAL card). Unplug: vivid's "Disconnect" control
# (a shell holds the node open meanwhile, so vivid stays disconnected until we let go) must turn
# the picture into the NO SIGNAL card, and after the reconnect the picture must come back live.
# MJPEG passthrough: v4l2loopback (/dev/video10, built by Tools/hil-setup.sh) fed by ffmpeg; every
# video.cgi part must be byte-identical to a fed frame, in order.
source "$(dirname "$0")/lib.bash"
work="$(mktemp -d /tmp/decoy-video.XXXXXX)"
device=/dev/video0
auth=(-u admin:admin)
# Progress with the time since the start, on stderr (run-all keeps it in OUT/video.stderr).
step() { echo "video.sh: ${SECONDS}s $*" >&2; }

if [[ ! -e $device ]]; then
  fail "video device present" "$device is missing (is vivid loaded?)"
  exit 0
fi

# The pictures are fetched first and judged at the end, all in ONE python3 process that decodes with
# the host's libturbojpeg through ctypes: under TCG every process start costs seconds (ffmpeg and
# ffprobe 10-20 s each), and the device checks must stay well inside two minutes.
cat >"$work/jpeg.py" <<'PY'
import ctypes, ctypes.util, hashlib, os, re, sys
tj = ctypes.CDLL(ctypes.util.find_library("turbojpeg") or "libturbojpeg.so.0")
tj.tjInitDecompress.restype = ctypes.c_void_p
handle = ctypes.c_void_p(tj.tjInitDecompress())

def decode(jpeg):
    """(width, height, meanY, meanU, meanV) in full-range BT.601, or None when it does not decode."""
    w, h, sub, cs = ctypes.c_int(), ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    if tj.tjDecompressHeader3(handle, jpeg, ctypes.c_ulong(len(jpeg)), ctypes.byref(w), ctypes.byref(h),
                              ctypes.byref(sub), ctypes.byref(cs)) != 0:
        return None
    # Decoded at 1/8 scale: every byte of the entropy data is still read (so a broken JPEG fails),
    # at a fraction of the cost, and a mean colour needs no more.
    sw, sh = (w.value + 7) // 8, (h.value + 7) // 8
    out = ctypes.create_string_buffer(sw * sh * 3)
    if tj.tjDecompress2(handle, jpeg, ctypes.c_ulong(len(jpeg)), out, sw, 0, sh, 0, 0) != 0:  # 0 = TJPF_RGB
        return None
    raw = out.raw[:sw * sh * 3]
    n = sw * sh
    r, g, b = sum(raw[0::3]) / n, sum(raw[1::3]) / n, sum(raw[2::3]) / n
    y = 0.299 * r + 0.587 * g + 0.114 * b
    return (w.value, h.value, y, 128 - 0.1687 * r - 0.3313 * g + 0.5 * b, 128 + 0.5 * r - 0.4187 * g - 0.0813 * b)

def parts(data):
    for match in re.finditer(rb"Content-Length: (\d+)\r\n\r\n", data):
        jpeg = data[match.end():match.end() + int(match.group(1))]
        if len(jpeg) == int(match.group(1)):
            yield jpeg

def jpegs_in(data):
    """The JPEGs of a file of JPEGs back to back (what ffmpeg's mjpeg muxer writes)."""
    found, start = [], data.find(b"\xff\xd8")
    while start >= 0:
        end = data.find(b"\xff\xd9\xff\xd8", start)
        stop = len(data) if end < 0 else end + 2
        found.append(data[start:stop])
        start = -1 if end < 0 else stop
    return found

# --fed FILE: the frames fed to the loopback; every file then also gets a line
# "NAME.match parts identical in_order fed" (how many of its JPEGs are byte-identical to fed frames).
index = None
arguments = sys.argv[1:]
if arguments[:1] == ["--fed"]:
    fed = jpegs_in(open(arguments[1], "rb").read()) if os.path.exists(arguments[1]) else []
    index = {j: i for i, j in enumerate(fed)}
    arguments = arguments[2:]

def match(name, got):
    known = [index[j] for j in got if j in index]
    print(name + ".match", len(got), len(known), int(all(a < b for a, b in zip(known, known[1:]))), len(index))

# For each file: a snapshot (*.jpg) gives "NAME WxH Y U V" (0x0 when it does not decode); a stream
# (*.mjpeg) gives "NAME parts whole decoded distinct SIZES" (SIZES: the frames' size, or the sizes in
# the order they came, e.g. "1280x720>640x480").
for path in arguments:
    data = open(path, "rb").read()
    name = path.rsplit("/", 1)[-1]
    if path.endswith(".jpg"):
        result = decode(data)
        print(name, "%dx%d %.0f %.0f %.0f" % result if result else "0x0 0 0 0")
        if index is not None: match(name, [data])
    else:
        found = list(parts(data))
        if index is not None: match(name, found)
        whole = sum(1 for j in found if j[:2] == b"\xff\xd8" and j[-2:] == b"\xff\xd9")
        decoded = [decode(j) for j in found]
        # The sizes in the order they came, each once per run: "640x480", or "1280x720>640x480".
        runs = []
        for d in decoded:
            if d and (not runs or runs[-1] != "%dx%d" % d[:2]): runs.append("%dx%d" % d[:2])
        print(name, len(found), whole, sum(1 for d in decoded if d), len({hashlib.sha1(j).digest() for j in found}),
              ">".join(runs) or "none")
PY

fetch() { curl -s --max-time "$1" "${auth[@]}" -o "$work/$2" "$DECOY_URL$3"; }
# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s; fails when it never held.
wait_for() {
  local tries=$(($1 * 10))
  shift
  for _ in $(seq "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
logged() { grep -q "$1" "$2"; }
bigger_than() { [[ -f $1 && $(stat -c %s "$1") -gt $2 ]]; }

step "640x480@25"
# --- 640x480@25, plus a camera whose device is missing --------------------------------------
cat >"$work/vga.yaml" <<YAML
cameras:
  - name: Webcam
    id: 11
    source: v4l2
    device: $device
    resolution: 640x480
    fps: 25
  - name: Unplugged
    id: 12
    source: v4l2
    device: /dev/video-absent
    resolution: 320x240
    fps: 5
YAML
if ! start_decoy "$work/vga.yaml" video-decoy-vga; then
  fail "decoy serves v4l2 cameras" "it did not start (log: $OUT/video-decoy-vga.log)"
  exit 0
fi
vga_log="$OUT/video-decoy-vga.log"
pass "decoy serves v4l2 cameras (one of them missing its device)"
fetch 15 vga.jpg "/axis-cgi/jpg/image.cgi?cameraId=11"
fetch 4 vga.mjpeg "/axis-cgi/mjpg/video.cgi?cameraId=11"
check "the capture asked for 25 fps (VIDIOC_S_PARM)" "log: $(grep -m1 capturing "$vga_log")" \
  logged "capturing 640x480 YUYV at 25 fps" "$vga_log"
fetch 15 absent.jpg "/axis-cgi/jpg/image.cgi?cameraId=12"
once() { [[ "$(grep -c "$1" "$2")" == 1 ]]; }
check "the missing device is logged once, saying what to do" "$(grep -c video-absent "$vga_log") lines" \
  once "cannot capture from /dev/video-absent.*plug it in" "$vga_log"

step "unplug and replug"
# --- unplug and replug (vivid's Disconnect control) -----------------------------------------
# A viewer stays on, so the source keeps capturing while the device goes and comes back.
curl -s --max-time 60 "${auth[@]}" -o "$work/unplug.mjpeg" "$DECOY_URL/axis-cgi/mjpg/video.cgi?cameraId=11" &
viewer=$!
if ! wait_for 20 bigger_than "$work/unplug.mjpeg" 100000; then
  fail "a viewer streams before the unplug" "only $(stat -c %s "$work/unplug.mjpeg" 2>/dev/null) bytes in 20 s"
fi
exec 7<"$device" # vivid reconnects once every handle is closed: hold one until the picture is checked
if ! timeout 10 v4l2-ctl -d "$device" --set-ctrl disconnect=1 2>"$work/disconnect.err"; then
  fail "vivid disconnect" "v4l2-ctl: $(head -2 "$work/disconnect.err")"
else
  check "an unplugged device is logged" "no 'lost $device' line" wait_for 10 logged "lost $device" "$vga_log"
  sleep 0.5
  fetch 15 unplugged.jpg "/axis-cgi/jpg/image.cgi?cameraId=11"
  step "letting go of the device"
  exec 7<&-
  check "the replugged device is reopened and logged" "no '$device is back' line" \
    wait_for 15 logged "$device is back" "$vga_log"
  sleep 1
  fetch 15 replugged.jpg "/axis-cgi/jpg/image.cgi?cameraId=11"
  sleep 1 # the viewer sees some live frames again
fi
exec 7<&-
kill "$viewer" 2>/dev/null
wait "$viewer" 2>/dev/null
stop_decoy

step "1280x720"
# --- 1280x720 ---------------------------------------------------------------------------------
cat >"$work/hd.yaml" <<YAML
cameras:
  - name: Webcam HD
    id: 21
    source: v4l2
    device: $device
    format: yuyv
    resolution: 1280x720
    fps: 12
YAML
if start_decoy "$work/hd.yaml" video-decoy-hd --control 127.0.0.1:0; then
  hd_log="$OUT/video-decoy-hd.log"
  fetch 15 hd.jpg "/axis-cgi/jpg/image.cgi?cameraId=21"
  fetch 5 hd.mjpeg "/axis-cgi/mjpg/video.cgi?cameraId=21"
  step "1280x720 -> 640x480 mid-stream (a camera step through the control API)"
  curl -s --max-time 12 "${auth[@]}" -o "$work/switch.mjpeg" "$DECOY_URL/axis-cgi/mjpg/video.cgi?cameraId=21" &
  viewer=$!
  wait_for 20 bigger_than "$work/switch.mjpeg" 200000
  control_url="$(grep -o 'control API on http://127.0.0.1:[0-9]*' "$hd_log" | head -1 | sed 's/control API on //')"
  answer="$(curl -s --max-time 10 -X POST -H 'Content-Type: application/json' \
    --data-binary '{"camera":{"camera":"Webcam HD","resolution":"640x480","fps":5}}' "$control_url/actions")"
  check "the device is opened again at the new size" "answer: $answer; log: $(grep capturing "$hd_log" | tail -1)" \
    wait_for 20 logged "capturing 640x480 YUYV" "$hd_log"
  sleep 1
  fetch 15 switched.jpg "/axis-cgi/jpg/image.cgi?cameraId=21"
  wait "$viewer" 2>/dev/null
  stop_decoy
else
  fail "decoy serves a 1280x720 v4l2 camera" "it did not start (log: $OUT/video-decoy-hd.log)"
fi

step "MJPEG passthrough"
# --- MJPEG passthrough: v4l2loopback at /dev/video10 fed by ffmpeg ---------------------------
# One ffmpeg encodes each frame once and writes the same packet to the loopback and to a file, so
# every part video.cgi sends must be byte-identical to one fed frame, in the fed order (drops allowed).
loopback=/dev/video10
if [[ ! -e $loopback ]]; then
  fail "MJPEG passthrough" "$loopback is missing: Tools/hil-setup.sh builds v4l2loopback (needs gcc, make)"
else
  timeout 60 ffmpeg -v error -re -f lavfi -i testsrc2=size=640x480:rate=15 -t 40 -c:v mjpeg -q:v 5 \
    -f tee -map 0:v "[f=v4l2]$loopback|[f=mjpeg]$work/fed.jpegs" 2>"$work/ffmpeg.err" &
  feeder=$!
  cat >"$work/mjpeg.yaml" <<YAML
cameras:
  - name: MJPEG webcam
    id: 31
    source: v4l2
    device: $loopback
    format: mjpeg
    resolution: 640x480
    fps: 15
YAML
  if wait_for 30 bigger_than "$work/fed.jpegs" 20000 && start_decoy "$work/mjpeg.yaml" video-decoy-mjpeg; then
    fetch 5 passthrough.mjpeg "/axis-cgi/mjpg/video.cgi?cameraId=31"
    fetch 15 passthrough-snapshot.jpg "/axis-cgi/jpg/image.cgi?cameraId=31"
    fetch 4 recompressed.mjpeg "/axis-cgi/mjpg/video.cgi?cameraId=31&compression=60"
    check "the loopback is captured as MJPEG" "log: $(grep -m1 capturing "$OUT/video-decoy-mjpeg.log")" \
      logged "capturing 640x480 MJPG" "$OUT/video-decoy-mjpeg.log"
    stop_decoy
  else
    fail "MJPEG passthrough" "the feeder or decoy did not start (ffmpeg: $(head -2 "$work/ffmpeg.err"))"
  fi
  kill "$feeder" 2>/dev/null
  wait "$feeder" 2>/dev/null
fi

step "judging the pictures"
# --- the pictures -----------------------------------------------------------------------------
files=()
for name in vga.jpg vga.mjpeg absent.jpg unplugged.jpg replugged.jpg unplug.mjpeg hd.jpg hd.mjpeg \
  switch.mjpeg switched.jpg passthrough.mjpeg passthrough-snapshot.jpg recompressed.mjpeg; do
  [[ -s $work/$name ]] && files+=("$work/$name")
done
timeout 90 python3 "$work/jpeg.py" --fed "$work/fed.jpegs" "${files[@]}" >"$work/report.txt" 2>"$work/report.err"
report() { awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print; found = 1 } END { if (!found) print "missing" }' "$work/report.txt"; }
not() { ! "$@"; }
# no_signal "WxH Y U V": the picture is the NO SIGNAL card (dark blue: full-range Y about 15, U about 190).
no_signal() {
  local size y u v
  read -r size y u v <<<"$1"
  [[ $size != 0x0 && $size != missing && ${u:-0} -gt 165 && ${y:-255} -lt 70 ]]
}
is_size() { [[ ${1%% *} == "$2" ]]; }
# stream_ok "parts whole decoded distinct SIZES" MIN_PARTS SIZES: enough whole parts, all decoded, at SIZES.
stream_ok() {
  local parts whole decoded distinct size
  read -r parts whole decoded distinct size <<<"$1"
  [[ ${parts:-0} -ge $2 && $whole == "$parts" && $decoded == "$parts" && $size == "$3" ]]
}
changes() { local parts whole decoded distinct size; read -r parts whole decoded distinct size <<<"$1"; [[ ${distinct:-0} -ge 4 ]]; }

for label in vga hd; do
  want=640x480
  [[ $label == hd ]] && want=1280x720
  picture="$(report $label.jpg)"
  check "$label image.cgi is a $want JPEG" "$picture" is_size "$picture" "$want"
  check "$label image.cgi shows the device's picture, not NO SIGNAL" "$picture" not no_signal "$picture"
  stream="$(report $label.mjpeg)"
  check "$label video.cgi sends whole JPEG frames that decode at $want" "parts whole decoded distinct size: $stream" \
    stream_ok "$stream" 5 "$want"
  check "$label video.cgi frames change" "parts whole decoded distinct size: $stream" changes "$stream"
done
picture="$(report switched.jpg)"
live_at() { is_size "$1" "$2" && not no_signal "$1"; }
check "after the size change image.cgi is a live 640x480 picture" "$picture" live_at "$picture" 640x480
stream="$(report switch.mjpeg)"
check "the open stream went on through the size change: 1280x720 frames, then 640x480 ones, all whole" \
  "parts whole decoded distinct sizes: $stream" stream_ok "$stream" 10 "1280x720>640x480"
picture="$(report absent.jpg)"
check "a camera whose device is missing serves the NO SIGNAL card" "$picture" no_signal "$picture"
picture="$(report unplugged.jpg)"
check "an unplugged device shows the NO SIGNAL card" "$picture" no_signal "$picture"
picture="$(report replugged.jpg)"
check "after the replug the picture is live again" "$picture" not no_signal "$picture"
stream="$(report unplug.mjpeg)"
check "the stream stayed open through the unplug, every part a whole JPEG" "parts whole decoded distinct size: $stream" \
  stream_ok "$stream" 10 640x480
if [[ -s $work/passthrough.mjpeg ]]; then
  # identical_in_order "parts identical in_order fed" MIN: every part is a fed frame, in order.
  identical_in_order() {
    local parts same ordered fed
    read -r parts same ordered fed <<<"$1"
    [[ ${parts:-0} -ge $2 && $same == "$parts" && $ordered == 1 ]]
  }
  match="$(report passthrough.mjpeg.match)"
  check "MJPEG passthrough: each video.cgi part is byte-identical to a fed frame, in order" \
    "parts identical in-order fed: $match" identical_in_order "$match" 5
  match="$(report passthrough-snapshot.jpg.match)"
  check "MJPEG passthrough: image.cgi is byte-identical to a fed frame" "$match" identical_in_order "$match" 1
  none_identical() { local parts same rest; read -r parts same rest <<<"$1"; [[ ${parts:-0} -ge 3 && $same == 0 ]]; }
  match="$(report recompressed.mjpeg.match)"
  stream="$(report recompressed.mjpeg)"
  check "video.cgi with compression re-encodes the MJPEG frames (whole, 640x480, not the fed bytes)" \
    "match $match; stream $stream" none_identical "$match"
  check "video.cgi with compression sends whole frames that decode" "$stream" stream_ok "$stream" 3 640x480
fi
step "done"
cp -r "$work" "$OUT/video-work" 2>/dev/null
exit 0
