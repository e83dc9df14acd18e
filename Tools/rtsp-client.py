#!/usr/bin/env python3
"""Opens an RTSP URL with PyAV (what Home Assistant's stream worker uses) or OpenCV, decodes
frames, writes each decoded picture's luma plane to a file and prints one JSON object.

    .venv-rtsp/bin/python Tools/rtsp-client.py --library pyav|opencv --url URL --frames N --output FILE

Run by Tests/DecoyServerTests/RTSPClientTests.swift, which reads the frame ids drawn in the
pictures from FILE (frames * width * height bytes, 8-bit grey, row after row).

PyAV is opened the way Home Assistant's stream worker opens an RTSP `stream_source`: the
options `rtsp_flags=prefer_tcp` and a 5 s socket `timeout`, `av.open(..., timeout=...)`, then
the first video stream demuxed packet by packet (the worker remuxes packets; this client also
decodes them to look at the pictures). OpenCV goes through its FFmpeg back end; with
--transport tcp it is asked for interleaved TCP through OPENCV_FFMPEG_CAPTURE_OPTIONS, as
OpenCV users do.

JSON: {"opened", "frames", "width", "height", "errors": [libav messages at error level],
"first_packet_keyframe", "missing_dts", "dts_increasing" (PyAV: packets without a
dts, and whether the others' dts increase), "error", "error_type"}. Exit status 0 when
the stream opened and the frames were read, else 1.
"""

import argparse
import json
import os
import sys


def run_pyav(args: argparse.Namespace, output) -> dict:
    import av
    import av.logging

    result = {"opened": False, "frames": 0, "errors": []}
    options = {"rtsp_flags": "prefer_tcp", "timeout": "5000000"}
    if args.transport:
        options["rtsp_transport"] = args.transport
    with av.logging.Capture(local=False) as logs:
        try:
            with av.open(args.url, options=options, timeout=30) as container:
                result["opened"] = True
                stream = container.streams.video[0]
                result["codec"] = stream.codec_context.name
                last_dts = None
                increasing = True
                missing_dts = 0
                for packet in container.demux(stream):
                    if packet.size == 0:
                        continue
                    if "first_packet_keyframe" not in result:
                        result["first_packet_keyframe"] = bool(packet.is_keyframe)
                    # The worker skips packets without a dts (a few at most) and those whose dts
                    # does not increase.
                    if packet.dts is None:
                        missing_dts += 1
                    else:
                        increasing = increasing and (last_dts is None or packet.dts > last_dts)
                        last_dts = packet.dts
                    for frame in packet.decode():
                        gray = frame.to_ndarray(format="gray")
                        result["height"], result["width"] = gray.shape
                        output.write(gray.tobytes())
                        result["frames"] += 1
                    if result["frames"] >= args.frames:
                        break
                result["dts_increasing"] = increasing
                result["missing_dts"] = missing_dts
        except av.error.FFmpegError as error:
            result["error"] = str(error)
            result["error_type"] = type(error).__name__
    result["errors"] = [f"{name}: {message.strip()}" for level, name, message in logs if level <= av.logging.ERROR]
    return result


def run_opencv(args: argparse.Namespace, output) -> dict:
    if args.transport:
        os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = f"rtsp_transport;{args.transport}"
    import cv2

    result = {"opened": False, "frames": 0, "errors": []}
    capture = cv2.VideoCapture(args.url, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        result["error"] = "VideoCapture could not open the URL"
        return result
    result["opened"] = True
    while result["frames"] < args.frames:
        ok, picture = capture.read()
        if not ok:
            result["error"] = f"read failed after {result['frames']} frames"
            break
        gray = cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
        result["height"], result["width"] = gray.shape
        output.write(gray.tobytes())
        result["frames"] += 1
    capture.release()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", choices=["pyav", "opencv"], required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--transport", choices=["tcp", "udp"], help="force one transport (default: the library's)")
    parser.add_argument("--output", required=True, help="where the luma planes go")
    args = parser.parse_args()
    with open(args.output, "wb") as output:
        result = (run_pyav if args.library == "pyav" else run_opencv)(args, output)
    json.dump(result, sys.stdout)
    print()
    return 0 if result["opened"] and result["frames"] >= args.frames and "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
