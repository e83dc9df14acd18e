#!/usr/bin/python3
"""The reference RTSP server of Tools/rtsp-bench.sh: gst-rtsp-server fanning out pre-encoded H.264.

    /usr/bin/python3 Tools/rtsp-ref-server.py --file stream.h264 --port 18284 [--fps 30] [--path /stream]
                                              [--max-seconds 900]

FILE is an H.264 Annex B elementary stream (what `ffmpeg -i rtsp://… -c copy -f h264` records from
Decoy, SPS and PPS before every IDR). It is split into access units once, trimmed to start on an
IDR and to end just before the last one, and played in a loop, one access unit per 1/fps s, into
`appsrc ! rtph264pay` of one shared media: every viewer gets the same packets, nothing is encoded.
The loop runs from start-up whether anyone watches or not, like a live camera. Needs Debian's
python3-gi and gir1.2-gst-rtsp-server-1.0 (Tools/setup.sh --test).

The listen backlog is raised from gst-rtsp-server's default of 5 to 1024, as any server facing a
hundred viewers that join at once would be configured. Prints "ready" on stdout once listening.
"""

import argparse
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

VCL = (1, 5)


def nal_units(data: bytes):
    """The NAL units of an Annex B stream, without their start codes."""
    starts = []
    index = data.find(b"\x00\x00\x01")
    while index >= 0:
        starts.append(index + 3)
        index = data.find(b"\x00\x00\x01", index + 3)
    for number, start in enumerate(starts):
        end = starts[number + 1] - 3 if number + 1 < len(starts) else len(data)
        while end > start and data[end - 1] == 0:  # the next four-byte start code's leading zero
            end -= 1
        yield data[start:end]


def access_units(data: bytes):
    """NAL units grouped into pictures: a new one at an AUD, SPS, PPS or SEI after a slice, or at
    a slice whose first_mb_in_slice is 0 (the first bit after the NAL header) after a slice."""
    units, current, has_slice = [], [], False
    for nal in nal_units(data):
        kind = nal[0] & 0x1F
        starts_picture = kind in (6, 7, 8, 9) or (kind in VCL and len(nal) > 1 and nal[1] & 0x80)
        if has_slice and starts_picture:
            units.append(current)
            current, has_slice = [], False
        current.append(nal)
        has_slice = has_slice or kind in VCL
    if current:
        units.append(current)
    return [(any(nal[0] & 0x1F == 5 for nal in unit), b"".join(b"\x00\x00\x00\x01" + nal for nal in unit)) for unit in units]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fps", type=float, default=30)
    parser.add_argument("--path", default="/stream")
    parser.add_argument("--max-seconds", type=float, default=900)
    args = parser.parse_args()

    with open(args.file, "rb") as stream:
        units = access_units(stream.read())
    idrs = [index for index, (idr, _) in enumerate(units) if idr]
    if len(idrs) < 2:
        print(f"{args.file}: needs at least two IDR pictures to loop, has {len(idrs)}", file=sys.stderr)
        return 1
    loop = [payload for _, payload in units[idrs[0] : idrs[-1]]]
    print(
        f"rtsp-ref-server: {len(loop)} pictures, {len(idrs) - 1} IDR, {sum(map(len, loop)) // len(loop)} bytes each "
        f"on average, looped at {args.fps} fps",
        file=sys.stderr,
    )

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    server.set_backlog(1024)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=src is-live=true format=time do-timestamp=true "
        'caps="video/x-h264,stream-format=byte-stream,alignment=au" '
        "! rtph264pay name=pay0 pt=96 config-interval=-1 mtu=1400 )"
    )
    factory.set_shared(True)
    feeder = {"src": None, "sent": 0}

    def configured(_factory, media):
        feeder["src"] = media.get_element().get_by_name_recurse_up("src")
        media.connect("unprepared", lambda _media: feeder.update(src=None))

    factory.connect("media-configure", configured)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print(f"rtsp-ref-server: cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1

    began = time.monotonic()
    main_loop = GLib.MainLoop()

    def tick():
        due = int((time.monotonic() - began) * args.fps)
        source = feeder["src"]
        while feeder["sent"] < due:
            if source is not None:
                source.emit("push-buffer", Gst.Buffer.new_wrapped(loop[feeder["sent"] % len(loop)]))
            feeder["sent"] += 1
        if time.monotonic() - began > args.max_seconds:
            main_loop.quit()
        return True

    GLib.timeout_add(5, tick)
    print("ready", flush=True)
    main_loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
