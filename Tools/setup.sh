#!/usr/bin/env bash
# Installs the Debian packages Decoy needs, only those that are missing.
#   Tools/setup.sh          what Decoy needs to build and run: pkg-config, libturbojpeg0-dev, libopenh264-dev
#                           (the H.264 encoder for RTSP, BSD-2-Clause), libv4l-dev,
#                           libasound2-dev, and ffmpeg (the program that encodes recordings to MP4)
#   Tools/setup.sh --test   also the real clients the tests drive: curl, ffprobe (in ffmpeg), chromium
#                           (plays a recorded clip in <video>, receive.wav in <audio>, and runs the browser
#                           checks of the camera page and the console, Tools/web/checks.py: Python's standard
#                           library drives it over the DevTools protocol, so no chromedriver), SoX, GStreamer's
#                           gst-launch-1.0 with wavparse, souphttpsrc and rtspsrc (plugins-good) and avdec_h264
#                           (gstreamer1.0-libav), gst-rtsp-server from Python (gir1.2-gst-rtsp-server-1.0,
#                           python3-gi: the reference server of Tools/rtsp-bench.sh), and python3-venv with
#                           .venv-axis: the `axis` Python library (axis==60) that AxisLibraryTests drives and the
#                           `websockets` library (websockets==15.0.1) that AxisEventSocketTests drives, and
#                           .venv-rtsp: PyAV and OpenCV, the RTSP clients RTSPClientTests drives, and
#                           .venv-ha: Home Assistant with its Axis integration, which HomeAssistantAxisTests runs
#   Tools/setup.sh --axis-venv   only python3-venv and .venv-axis
#   Tools/setup.sh --rtsp-venv   only python3-venv and .venv-rtsp
#   Tools/setup.sh --ha-venv     only python3-venv and .venv-ha
# Runs apt-get as root, or through sudo when not root. Prints what it installs.
set -euo pipefail

packages=(pkg-config libturbojpeg0-dev libopenh264-dev libv4l-dev libasound2-dev ffmpeg)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(curl ca-certificates chromium python3 sox gstreamer1.0-tools gstreamer1.0-plugins-good
    gstreamer1.0-libav gir1.2-gst-rtsp-server-1.0 python3-gi python3-venv)
elif [[ "${1:-}" == "--axis-venv" || "${1:-}" == "--rtsp-venv" || "${1:-}" == "--ha-venv" ]]; then
  packages=(python3-venv)
fi

# A git-ignored virtual environment of Python packages from PyPI, created only when its check fails:
#   [VENV_PYTHON=python] venv NAME CHECK PACKAGE==VERSION...
# made with Debian's python3 unless VENV_PYTHON names another interpreter.
# Without network this only warns: the tests that drive it then skip, saying why.
venv() {
  local name=$1 check=$2 venv python
  shift 2
  venv="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/$name"
  python=${VENV_PYTHON:-/usr/bin/python3}
  [[ -x "$python" ]] || python=python3
  if "$venv/bin/python" -c "$check" 2>/dev/null; then
    return 0
  fi
  echo "Tools/setup.sh: creating $venv with $* ($python -m venv, then pip install from PyPI)" >&2
  if ! { "$python" -m venv "$venv" >&2 && "$venv/bin/pip" install -q --disable-pip-version-check "$@" >&2; }; then
    echo "Tools/setup.sh: warning: could not create $venv with $* (no network?); the tests that use it will skip" >&2
  fi
}

# .venv-axis holds the `axis` library Home Assistant's Axis integration uses, pinned to axis==60 (the newest
# that runs on Debian 12's Python 3.11), which AxisLibraryTests drives, and `websockets`, the event WebSocket
# client of AxisEventSocketTests (an older .venv-axis without it is completed).
axis_venv() {
  venv .venv-axis \
    'import importlib.metadata as m, sys; sys.exit(m.version("axis") != "60" or m.version("websockets") != "15.0.1")' \
    axis==60 websockets==15.0.1
}

# .venv-rtsp holds the RTSP clients RTSPClientTests drives through Tools/rtsp-client.py: PyAV (what Home
# Assistant's stream worker opens a camera's RTSP stream_source with) and OpenCV's headless build, both with
# their own FFmpeg inside the wheel.
rtsp_venv() {
  venv .venv-rtsp 'import importlib.metadata as m, sys; import av, cv2; sys.exit(m.version("av") != "18.1.0")' \
    av==18.1.0 opencv-python-headless==5.1.0.95 numpy==2.4.6
}

# A Python 3.13 or newer if this machine has one (on PATH or in pyenv's versions), else nothing.
python313() {
  local candidate
  for candidate in $(command -v python3.14 python3.13 2>/dev/null) "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3; do
    if [[ -x "$candidate" ]] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
}

# .venv-ha holds Home Assistant with what its Axis integration needs, for HomeAssistantAxisTests: on Python 3.13
# (pyenv's, when the machine has one) Home Assistant 2025.4.4, the newest that installs on 3.13.0, with its Axis
# integration's pin axis==64; on Debian 12's Python 3.11 the newest Home Assistant it can run, 2024.3.3, with axis==58
# and the requirements of the integrations its Axis config flow and camera import (DHCP, SSDP and zeroconf discovery,
# MQTT, the camera's JPEG helper), which Home Assistant would otherwise pip-install itself at first start.
ha_venv() {
  local check python
  check='import importlib.metadata as m, sys; import homeassistant, axis; sys.exit((m.version("homeassistant"), m.version("axis")) not in {("2025.4.4", "64"), ("2024.3.3", "58")})'
  python=$(python313)
  if [[ -n "$python" ]]; then
    VENV_PYTHON=$python venv .venv-ha "$check" homeassistant==2025.4.4 axis==64
  else
    venv .venv-ha "$check" homeassistant==2024.3.3 axis==58 aiodhcpwatcher==0.8.2 aiodiscover==1.6.1 \
      cached_ipaddress==0.3.0 async-upnp-client==0.38.2 zeroconf==0.131.0 paho-mqtt==1.6.1 PyTurboJPEG==1.7.1 \
      numpy==1.26.0
  fi
}

finish() {
  case "${1:-}" in
    --test) axis_venv && rtsp_venv && ha_venv ;;
    --axis-venv) axis_venv ;;
    --rtsp-venv) rtsp_venv ;;
    --ha-venv) ha_venv ;;
  esac
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  finish "${1:-}"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Tools/setup.sh: missing packages ${missing[*]}, and this is not a Debian/Ubuntu system with apt-get;" >&2
  echo "install the equivalents of: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "Tools/setup.sh: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "Tools/setup.sh: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
finish "${1:-}"
