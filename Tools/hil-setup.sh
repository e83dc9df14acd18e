#!/usr/bin/env bash
# Prepares the hardware-in-the-loop rig that Tools/hil-run boots: a throw-away QEMU guest (software
# emulation, TCG) running Debian's own kernel, with the vivid (V4L2) and snd-aloop (ALSA) drivers.
#   Tools/hil-setup.sh           installs what is missing (qemu-system-x86, busybox-static, kmod, cpio,
#                                xz-utils, v4l-utils, alsa-utils, gcc, make, bzip2), downloads the kernel package that
#                                linux-image-amd64 currently depends on (resolved here, never pinned:
#                                Debian moves the ABI on), and builds the guest's vmlinux and initramfs
#   Tools/hil-setup.sh --print   prints the folder holding vmlinux and initrd.gz (after preparing it)
# Everything built goes to ${HIL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/decoy-hil}/<kernel ABI>; it is rebuilt
# only when this script changes or the ABI moves. The kernel package is only unpacked, never installed.
# Runs apt-get as root, or through sudo when not root. Exit status: 0 ready, 1 cannot prepare (says why).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${HIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/decoy-hil}"
say() { echo "Tools/hil-setup.sh: $*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# gcc, make and bzip2 build v4l2loopback (see build_v4l2loopback).
packages=(qemu-system-x86 busybox-static kmod cpio xz-utils v4l-utils alsa-utils gcc make bzip2)
# The base modules: virtio transport, 9p (the host's root and the project folder), virtio-serial (the
# command's stdout and stderr), overlayfs (a writable root). Then the devices under test.
base_modules=(virtio_pci 9p 9pnet_virtio virtio_console overlay)
device_modules=(vivid snd-aloop)

sudo=()
if [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1; then sudo=(sudo); fi

install_missing() {
  local missing=() package
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get: install their equivalents"
  [[ "$(id -u)" -eq 0 || ${#sudo[@]} -gt 0 ]] || die "need root (or sudo) to install ${missing[*]}"
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The kernel package linux-image-amd64 depends on now, e.g. linux-image-6.1.0-57-amd64.
resolve_kernel() {
  local line
  while read -r line; do
    if [[ "$line" =~ ^Depends:\ (linux-image-[0-9][^ ]*)$ ]]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
  done < <(apt-cache depends linux-image-amd64 2>/dev/null || true)
  return 1
}

# The guest's /init (busybox sh). It mounts the host's root read-only under a tmpfs overlay, the
# project folders read-write, loads the drivers, runs the command with stdout and stderr on their
# virtio-serial ports, writes its exit status to the control share and powers off.
write_init() {
  cat >"$1" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
fail() { echo "hil-init: $*" >/dev/console; sync; poweroff -f; }
mkdir -p /proc /sys /dev /ctl /lower /upper /newroot
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/base.list); do insmod "/modules/$m" || fail "insmod $m failed"; done
p9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$p9" ctl /ctl || fail "cannot mount the control share"
. /ctl/guest.conf
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower || fail "cannot mount the host's root"
mount -t tmpfs -o mode=0755 tmpfs /upper && mkdir -p /upper/u /upper/w
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot || fail "overlay failed"
r=/newroot
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev
mkdir -p $r/dev/pts $r/dev/shm $r/run/hil
mount -t devpts devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
mount -t tmpfs tmpfs $r/tmp
mount -o bind /ctl $r/run/hil
i=0
for path in $HIL_RW_PATHS; do
  mkdir -p "$r$path"
  mount -t 9p -o "$p9,cache=mmap" "rw$i" "$r$path" || fail "cannot mount $path read-write"
  i=$((i + 1))
done
for m in $(cat /modules/devices.list); do
  case "$m" in
    vivid.ko) opts="$HIL_VIVID_OPTS" ;;
    snd-aloop.ko) opts="$HIL_ALOOP_OPTS" ;;
    v4l2loopback.ko) opts="video_nr=10 exclusive_caps=1 card_label=MJPEG-loopback" ;;
    *) opts= ;;
  esac
  insmod "/modules/$m" $opts || fail "insmod $m $opts failed"
done
out= err=
for port in /sys/class/virtio-ports/*; do
  case "$(cat "$port/name")" in
    hil.stdout) out=/dev/${port##*/} ;;
    hil.stderr) err=/dev/${port##*/} ;;
  esac
done
[ -n "$out" ] && [ -n "$err" ] || fail "no hil.stdout/hil.stderr virtio-serial ports"
echo hil-init: running >/dev/console
chroot $r /bin/bash /run/hil/cmd.sh </dev/null >"$out" 2>"$err"
echo $? >/ctl/rc.tmp && mv /ctl/rc.tmp /ctl/rc
sync
poweroff -f
INIT
  chmod +x "$1"
}

# The modules `names` need, in load order, as paths inside the unpacked package tree.
module_paths() {
  local tree="$1" abi="$2" line
  shift 2
  while read -r line; do
    if [[ "$line" == insmod\ * ]]; then
      line="${line#insmod }"
      echo "${line%% *}"
    fi
  done < <(modprobe -a -d "$tree" -S "$abi" --show-depends "$@")
}

# v4l2loopback (/dev/video10: a "webcam" that ffmpeg feeds MJPEG, for the passthrough check in
# Tools/device-checks/video.sh) is built here against the guest kernel's headers, since Debian ships
# its source and no module: the headers, kbuild and v4l2loopback-source packages are downloaded to
# $cache/debs-v4l2loopback and unpacked, never installed (about 14 MB and 3 s). Best effort: without
# gcc/make or the packages the guest has no /dev/video10, and the video check reports that.
build_v4l2loopback() {
  local abi="$1" root="$2" tree="$3/loopback" debs="$cache/debs-v4l2loopback" package deb
  if ! command -v gcc >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1 || ! command -v bzip2 >/dev/null 2>&1; then
    say "no gcc, make or bzip2: the guest gets no v4l2loopback (apt-get install gcc make bzip2)"
    return 0
  fi
  local packages=("linux-headers-$abi" v4l2loopback-source)
  packages+=($(apt-cache depends "linux-headers-$abi" 2>/dev/null | sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p'))
  mkdir -p "$debs" "$tree"
  for package in "${packages[@]}"; do
    if [[ -z "$(compgen -G "$debs/${package}_*.deb" || true)" ]]; then
      (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$package" >&2) || {
        say "cannot download $package: the guest gets no v4l2loopback"
        return 0
      }
    fi
    deb="$(compgen -G "$debs/${package}_*.deb" || true)"
    dpkg -x "${deb%%$'\n'*}" "$tree"
  done
  local src="$tree/usr/src"
  tar -xjf "$src/v4l2loopback.tar.bz2" -C "$src"
  # The headers' Makefile includes the common headers by absolute path: point it into the tree.
  sed -i "s|/usr/src/|$src/|g" "$src/linux-headers-$abi/Makefile"
  if ! make -s -C "$src/linux-headers-$abi" M="$src/modules/v4l2loopback" modules >&2 2>"$3/v4l2loopback.log"; then
    say "v4l2loopback did not build (see $3/v4l2loopback.log): the guest gets no v4l2loopback"
    return 0
  fi
  cp "$src/modules/v4l2loopback/v4l2loopback.ko" "$root/modules/"
  echo v4l2loopback.ko >>"$root/modules/devices.list"
}

# Downloads the kernel package into $cache/debs unless it is there. The .deb is kept (one version) so a
# change of this script rebuilds without downloading again.
fetch_deb() {
  local package="$1" debs="$cache/debs"
  mkdir -p "$debs"
  [[ -n "$(compgen -G "$debs/${package}_*.deb" || true)" ]] && return 0
  say "downloading $package (only unpacked, never installed)"
  rm -f "$debs"/*.deb
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$package" >&2)
}

build_guest() {
  local package="$1" abi="${1#linux-image-}" dir="$2" work deb
  work="$dir.tmp.$$"
  rm -rf "$work" && mkdir -p "$work"
  deb="$(compgen -G "$cache/debs/${package}_*.deb")" || die "$package was not downloaded"
  dpkg -x "${deb%%$'\n'*}" "$work/tree"
  depmod -b "$work/tree" "$abi"

  # vmlinux: the ELF inside vmlinuz, booted through PVH (skips the real-mode setup and the in-guest XZ
  # decompression that costs seconds under TCG). LC_ALL=C, or grep -P matches a UTF-8 character instead.
  local offsets offset
  offsets="$({ LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$work/tree/boot/vmlinuz-$abi" || true; } | cut -d: -f1)"
  offset="${offsets%%$'\n'*}"
  [[ "$offset" =~ ^[0-9]+$ ]] || die "no XZ stream in vmlinuz-$abi: cannot extract vmlinux"
  tail -c +"$((offset + 1))" "$work/tree/boot/vmlinuz-$abi" >"$work/vmlinux.xz"
  xz -dc --single-stream "$work/vmlinux.xz" >"$work/vmlinux" 2>/dev/null || true
  rm -f "$work/vmlinux.xz"
  [[ "$(head -c 4 "$work/vmlinux" | od -An -c | tr -d ' ')" == "177ELF" ]] || die "vmlinux from vmlinuz-$abi is not ELF"

  local root="$work/initramfs" list path
  mkdir -p "$root/bin" "$root/modules"
  cp /bin/busybox "$root/bin/busybox"
  write_init "$root/init"
  for list in base devices; do
    local names=()
    if [[ "$list" == base ]]; then names=("${base_modules[@]}"); else names=("${device_modules[@]}"); fi
    : >"$root/modules/$list.list"
    while read -r path; do
      local name="${path##*/}"
      [[ -f "$root/modules/${name%.xz}" ]] && continue
      if [[ "$name" == *.xz ]]; then xz -dc "$path" >"$root/modules/${name%.xz}"; else cp "$path" "$root/modules/"; fi
      echo "${name%.xz}" >>"$root/modules/$list.list"
    done < <(module_paths "$work/tree" "$abi" "${names[@]}")
  done
  grep -q '^vivid.ko$' "$root/modules/devices.list" || die "vivid is not a module of $package"
  build_v4l2loopback "$abi" "$root" "$work"
  rm -rf "$work/loopback"
  (cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$work/initrd.gz"
  rm -rf "$root" "$work/tree"
  echo "$stamp" >"$work/stamp"
  rm -rf "$dir" && mv "$work" "$dir"
}

install_missing
package="$(resolve_kernel)" || {
  say "apt-cache knows no linux-image-amd64; refreshing the package lists"
  "${sudo[@]}" apt-get update -qq || true
  package="$(resolve_kernel)" || die "cannot resolve linux-image-amd64's kernel package (apt-cache depends)"
}
stamp="$(sha256sum "$here/hil-setup.sh" | cut -d' ' -f1) $package"
dir="$cache/${package#linux-image-}"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ "$(cat "$dir/stamp" 2>/dev/null || true)" != "$stamp" ]]; then
  started=$SECONDS
  if ! fetch_deb "$package"; then
    # Stale package lists can name a kernel the archive no longer has: refresh, resolve again.
    say "apt-get download failed; refreshing the package lists and retrying"
    "${sudo[@]}" apt-get update -qq || true
    package="$(resolve_kernel)" || die "cannot resolve linux-image-amd64's kernel package (apt-cache depends)"
    stamp="$(sha256sum "$here/hil-setup.sh" | cut -d' ' -f1) $package"
    dir="$cache/${package#linux-image-}"
    fetch_deb "$package" || die "cannot download $package (network? apt sources?)"
  fi
  if [[ "$(cat "$dir/stamp" 2>/dev/null || true)" != "$stamp" ]]; then
    build_guest "$package" "$dir"
    # Guests of kernels linux-image-amd64 no longer depends on are not needed any more.
    for old in "$cache"/*-amd64; do
      [[ -d "$old" && "$old" != "$dir" ]] && rm -rf "$old"
    done
    say "guest for $package ready in $dir ($((SECONDS - started)) s)"
  fi
fi
ln -sfn "${dir##*/}" "$cache/current"
if [[ "${1:-}" == "--print" ]]; then echo "$dir"; fi
