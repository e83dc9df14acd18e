#!/usr/bin/env bash
# Installs the Debian packages Decoy needs, only those that are missing.
#   Tools/setup.sh          what Decoy needs to build and run: pkg-config, libturbojpeg0-dev, libv4l-dev,
#                           libasound2-dev, and ffmpeg (the program that encodes recordings to MP4)
#   Tools/setup.sh --test   also the real clients the tests drive: curl, ffprobe (in ffmpeg), and
#                           chromium (plays a recorded clip in a <video> element)
# Runs apt-get as root, or through sudo when not root. Prints what it installs.
set -euo pipefail

packages=(pkg-config libturbojpeg0-dev libv4l-dev libasound2-dev ffmpeg)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(curl ca-certificates chromium sox)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
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
