#!/usr/bin/env python3
"""N concurrent RTSP viewers over interleaved TCP, in one process; prints one JSON line.

    python3 Tools/rtsp-load.py --url rtsp://user:pwd@127.0.0.1:PORT/path -n 100 [-t 10] [--warmup 2]
                               [--ramp 2] [--pid SERVER_PID] [--label TEXT]

The measuring viewer of Tools/rtsp-bench.sh. Each viewer does what an NVR does (DESCRIBE with
Basic credentials from the URL, SETUP of the first video track with RTP/AVP/TCP;interleaved=0-1,
PLAY), then reads the interleaved packets without decoding them: an access unit (a picture) is
counted at each RTP packet with the marker bit set, a keyframe at an H.264 IDR slice (alone or
as the start of an FU-A). Not decoding is what keeps the client cheap: a viewer per ffmpeg
process would cost more CPU than the servers it measures on a 2-core machine. The client's own
CPU is printed (client_cpu_pct) so a saturated client shows.

Before the N viewers, one anchor viewer starts the stream and keeps it running, so the numbers are
those of viewers joining a stream that is already live (the server's per-viewer cost), and the
server's RSS is read as the baseline once the anchor has its first picture. The N viewers join
spread over --ramp seconds; after the last joined and --warmup seconds passed, pictures are
counted for -t seconds while the server's CPU time and RSS are sampled from /proc.

Fields: connected, playing (had a picture), fps_per_viewer_{min,p50,mean}, first_frame_ms_{p50,p95}
(connect to the first whole picture), first_keyframe_ms_{p50,p95} (to the first whole IDR picture),
server_cpu_pct (100 = one core), server_rss_{base,peak}_kb, rss_growth_per_viewer_kb (peak minus
base, over N), mbps_total, client_cpu_pct, errors. Python's standard library only; loopback only.
"""

import argparse
import asyncio
import base64
import json
import os
import resource
import statistics
import sys
import time
import urllib.parse


class Viewer(asyncio.Protocol):
    """One RTSP session: requests answered in order, then interleaved packets counted."""

    def __init__(self, url: str, window: dict):
        self.url = url
        self.window = window
        parsed = urllib.parse.urlsplit(url)
        self.authorization = None
        if parsed.username is not None:
            credentials = f"{urllib.parse.unquote(parsed.username)}:{urllib.parse.unquote(parsed.password or '')}"
            self.authorization = "Basic " + base64.b64encode(credentials.encode()).decode()
        netloc = parsed.hostname + (f":{parsed.port}" if parsed.port else "")
        self.request_url = urllib.parse.urlunsplit((parsed.scheme, netloc, parsed.path, parsed.query, ""))
        self.buffer = bytearray()
        self.cseq = 0
        self.answer = None
        self.session = None
        self.started = 0.0
        self.first_frame = None
        self.first_keyframe = None
        self.keyframe_open = False
        self.frames_in_window = 0
        self.bytes = 0
        self.error = None
        self.transport = None
        self.closed = asyncio.get_running_loop().create_future()

    # asyncio.Protocol
    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        if not self.closed.done():
            self.closed.set_result(None)
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(ConnectionError("closed by the server"))

    def data_received(self, data):
        self.bytes += len(data)
        buffer = self.buffer
        buffer += data
        offset = 0
        end = len(buffer)
        while offset < end:
            if buffer[offset] == 0x24:  # '$': channel, 16-bit length, packet
                if end - offset < 4:
                    break
                length = (buffer[offset + 2] << 8) | buffer[offset + 3]
                if end - offset < 4 + length:
                    break
                if buffer[offset + 1] == 0 and length > 12:
                    self.rtp(buffer, offset + 4, length)
                offset += 4 + length
            else:
                head_end = buffer.find(b"\r\n\r\n", offset)
                if head_end < 0:
                    break
                head = bytes(buffer[offset:head_end]).decode("latin-1")
                length = 0
                for line in head.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if end - (head_end + 4) < length:
                    break
                body = bytes(buffer[head_end + 4 : head_end + 4 + length]).decode("latin-1")
                offset = head_end + 4 + length
                if self.answer is not None and not self.answer.done():
                    self.answer.set_result((head, body))
        del buffer[:offset]

    def rtp(self, buffer, start, length):
        header = 12 + 4 * (buffer[start] & 0x0F)
        if buffer[start] & 0x10 and length >= header + 4:  # extension
            header += 4 + 4 * ((buffer[start + header + 2] << 8) | buffer[start + header + 3])
        if length > header:
            nal = buffer[start + header] & 0x1F
            if nal == 5 or (nal == 28 and length > header + 1 and buffer[start + header + 1] & 0x1F == 5):
                self.keyframe_open = True
        if buffer[start + 1] & 0x80:  # marker: the last packet of a picture
            now = time.monotonic()
            if self.first_frame is None:
                self.first_frame = now - self.started
            if self.keyframe_open and self.first_keyframe is None:
                self.first_keyframe = now - self.started
            self.keyframe_open = False
            if self.window["start"] <= now < self.window["end"]:
                self.frames_in_window += 1

    async def request(self, method: str, url: str, headers: dict) -> tuple:
        self.cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self.cseq}", "User-Agent: decoy-rtsp-load"]
        if self.authorization:
            lines.append(f"Authorization: {self.authorization}")
        if self.session:
            lines.append(f"Session: {self.session}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head, body = await asyncio.wait_for(self.answer, 30)
        status = head.split("\r\n")[0]
        if " 200 " not in status + " ":
            raise RuntimeError(f"{method}: {status}")
        fields = {}
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return fields, body

    async def play(self):
        parsed = urllib.parse.urlsplit(self.url)
        self.started = time.monotonic()
        await asyncio.get_running_loop().create_connection(lambda: self, parsed.hostname, parsed.port or 554)
        fields, sdp = await self.request("DESCRIBE", self.request_url, {"Accept": "application/sdp"})
        base = fields.get("content-base", self.request_url)
        aggregate, track, media = None, None, None
        for line in sdp.splitlines():
            if line.startswith("m="):
                media = line[2:].split(" ")[0]
            elif line.startswith("a=control:"):
                control = line[len("a=control:") :]
                if media is None:
                    aggregate = control
                elif media == "video" and track is None:
                    track = control

        def resolve(control):
            if control is None or control == "*":
                return base
            if control.startswith("rtsp://") or control.startswith("rtsps://"):
                return control
            return base.rstrip("/") + "/" + control

        fields, _ = await self.request(
            "SETUP", resolve(track), {"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"}
        )
        self.session = fields.get("session", "").split(";")[0]
        await self.request("PLAY", resolve(aggregate), {"Range": "npt=0.000-"})
        self.answer = None

    def close(self):
        if self.transport is not None:
            self.transport.close()


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class ServerSampler:
    """The server's CPU seconds and RSS from /proc."""

    def __init__(self, pid):
        self.pid = pid
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.peak_kb = 0

    def cpu_seconds(self):
        if not self.pid:
            return 0.0
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.ticks

    def rss_kb(self):
        if not self.pid:
            return 0
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    self.peak_kb = max(self.peak_kb, rss)
                    return rss
        return 0


async def run(args) -> dict:
    window = {"start": float("inf"), "end": float("inf")}
    sampler = ServerSampler(args.pid)
    result = {"label": args.label, "viewers": args.n}

    anchor = Viewer(args.url, window)
    await anchor.play()
    deadline = time.monotonic() + 30
    while anchor.first_frame is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if anchor.first_frame is None:
        raise RuntimeError("the anchor viewer got no picture within 30 s")
    await asyncio.sleep(1)
    base_kb = sampler.rss_kb()
    sampler.peak_kb = base_kb

    viewers = [Viewer(args.url, window) for _ in range(args.n)]

    async def start(index, viewer):
        await asyncio.sleep(args.ramp * index / max(1, args.n))
        try:
            await viewer.play()
        except Exception as error:  # noqa: BLE001 - reported, not raised: one failing viewer is a number
            viewer.error = f"{type(error).__name__}: {error}"

    await asyncio.gather(*(start(index, viewer) for index, viewer in enumerate(viewers)))
    await asyncio.sleep(args.warmup)
    cpu_before = sampler.cpu_seconds()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    bytes_before = sum(viewer.bytes for viewer in viewers)
    window["start"] = time.monotonic()
    window["end"] = window["start"] + args.duration
    while time.monotonic() < window["end"]:
        sampler.rss_kb()
        await asyncio.sleep(0.25)
    elapsed = time.monotonic() - window["start"]
    cpu_after = sampler.cpu_seconds()
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    bytes_after = sum(viewer.bytes for viewer in viewers)

    fps = [viewer.frames_in_window / args.duration for viewer in viewers if viewer.error is None]
    first = [viewer.first_frame * 1000 for viewer in viewers if viewer.first_frame is not None]
    keyframe = [viewer.first_keyframe * 1000 for viewer in viewers if viewer.first_keyframe is not None]
    errors = [viewer.error for viewer in viewers if viewer.error is not None]
    client_cpu = (usage_after.ru_utime + usage_after.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime)

    def rounded(value, digits=1):
        return None if value is None else round(value, digits)

    result.update(
        {
            "connected": sum(1 for viewer in viewers if viewer.session),
            "playing": len(first),
            "fps_per_viewer_min": rounded(min(fps) if fps else None, 2),
            "fps_per_viewer_p50": rounded(statistics.median(fps) if fps else None, 2),
            "fps_per_viewer_mean": rounded(statistics.fmean(fps) if fps else None, 2),
            "first_frame_ms_p50": rounded(percentile(first, 0.5)),
            "first_frame_ms_p95": rounded(percentile(first, 0.95)),
            "first_keyframe_ms_p50": rounded(percentile(keyframe, 0.5)),
            "first_keyframe_ms_p95": rounded(percentile(keyframe, 0.95)),
            "server_cpu_pct": rounded(100 * (cpu_after - cpu_before) / elapsed),
            "server_rss_base_kb": base_kb,
            "server_rss_peak_kb": sampler.peak_kb,
            "rss_growth_per_viewer_kb": rounded((sampler.peak_kb - base_kb) / max(1, args.n)),
            "mbps_total": rounded(8 * (bytes_after - bytes_before) / elapsed / 1e6, 2),
            "client_cpu_pct": rounded(100 * client_cpu / elapsed),
            "errors": len(errors),
        }
    )
    if errors:
        result["first_error"] = errors[0]
    for viewer in viewers + [anchor]:
        viewer.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("-n", type=int, default=10, help="viewers measured (besides the anchor)")
    parser.add_argument("-t", "--duration", type=float, default=10, help="seconds counted")
    parser.add_argument("--warmup", type=float, default=2, help="seconds after the last join before counting")
    parser.add_argument("--ramp", type=float, default=2, help="seconds over which the viewers join")
    parser.add_argument("--pid", type=int, default=0, help="the server process to sample")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
