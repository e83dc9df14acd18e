#!/usr/bin/env python3
"""Numbers for the web pages (a measurement, not a test): page weight, time to first tile on
loopback, and Decoy's CPU for a 16-camera grid as the camera page asks for it, next to the same 16
streams at the tile size and at full size.

    Tools/web-bench.py [--decoy PATH] [--seconds 15]

Starts its own `decoy serve` (16 synthetic cameras, 1280x720 at 15 fps, nothing moving) on free
loopback ports, drives the page in headless Chromium (Tools/web/cdp.py) at 1280x800, and reads
Decoy's CPU time from /proc/PID/stat. Chromium's own CPU is not counted: the question is what the
page costs the sandbox.
"""

import argparse
import base64
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tools", "web"))
import cdp  # noqa: E402
import checks  # noqa: E402

ASSETS = os.path.join(ROOT, "Sources", "DecoyWeb", "Assets")
HZ = os.sysconf("SC_CLK_TCK")
AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def weight():
    sites = {"camera": [], "console": []}
    for name in sorted(os.listdir(ASSETS)):
        size = os.path.getsize(os.path.join(ASSETS, name))
        with open(os.path.join(ASSETS, name), "rb") as handle:
            zipped = len(gzip.compress(handle.read(), 9))
        for site in sites:
            if name.startswith(site) or name in ("base.css", "ui.js", "favicon.svg"):
                sites[site].append((size, zipped))
    total = sum(os.path.getsize(os.path.join(ASSETS, n)) for n in os.listdir(ASSETS))
    for site, files in sites.items():
        print("page weight, %-7s %3d files, %6d bytes (%d gzip -9)" % (site, len(files), sum(f[0] for f in files), sum(f[1] for f in files)))
    print("page weight, both    %6d bytes uncompressed (budget 150000)" % total)


def ticks(pid):
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def cpu(pid, seconds):
    """Decoy's CPU over `seconds`, in percent of one core."""
    before, start = ticks(pid), time.monotonic()
    time.sleep(seconds)
    return (ticks(pid) - before) / HZ / (time.monotonic() - start) * 100


class Reader(threading.Thread):
    """One MJPEG viewer that reads as fast as it can and counts bytes."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path, self.bytes, self.alive = port, path, 0, True

    def run(self):
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n\r\n" % (self.path, AUTH)).encode())
            while self.alive:
                data = s.recv(1 << 16)
                if not data:
                    return
                self.bytes += len(data)


def streams(port, paths, seconds, pid):
    readers = [Reader(port, path) for path in paths]
    for reader in readers:
        reader.start()
    time.sleep(4)
    start = sum(r.bytes for r in readers)
    used = cpu(pid, seconds)
    sent = (sum(r.bytes for r in readers) - start) / seconds
    for reader in readers:
        reader.alive = False
    time.sleep(1)
    return used, sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.path.join(ROOT, ".build", "release", "decoy")
    if not os.path.exists(default):
        default = os.path.join(ROOT, ".build", "debug", "decoy")
    parser.add_argument("--decoy", default=default)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--cameras", type=int, default=16)
    options = parser.parse_args()
    weight()

    port, control = free_port(), free_port()
    folder = tempfile.mkdtemp(prefix="decoy-web-bench-")
    cameras = "\n".join(
        "  - name: Camera %d\n    id: %d\n    resolution: 1280x720\n    fps: 15" % (n + 1, 5000 + n) for n in range(options.cameras))
    with open(os.path.join(folder, "decoy.yaml"), "w") as handle:
        handle.write("cameras:\n%s\n" % cameras)
    server = subprocess.Popen([options.decoy, "serve", "--config", os.path.join(folder, "decoy.yaml"), "--state-dir", folder,
                               "--listen", "127.0.0.1:%d" % port, "--control", "127.0.0.1:%d" % control, "--log-level", "warning"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        print("decoy: %s (%s build), %d cameras 1280x720@15" % (options.decoy, "release" if "/release/" in options.decoy else "debug", options.cameras))
        login = json.load(urllib.request.urlopen(base + "/api/v1/login?user=admin&pwd=admin"))["data"]
        session = json.dumps({"token": login["token"], "access": login["access"], "user": "admin"})
        print("Decoy CPU, idle (no viewer):                        %5.1f %% of a core" % cpu(server.pid, options.seconds / 3))

        with cdp.Browser(1280, 800) as browser:
            browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": """
                localStorage.setItem('decoy.session', %s);
                window.__firstTile = null;
                // Checked at every animation frame: a tile's picture has pixels (an MJPEG <img> shows its
                // first part before any load event).
                const look = () => {
                  if ([...document.querySelectorAll('.tile img')].some((i) => i.naturalWidth > 0)) window.__firstTile = performance.now();
                  else requestAnimationFrame(look);
                };
                requestAnimationFrame(look);""" % json.dumps(session)})
            times = []
            for run in range(6):
                browser.navigate("about:blank")
                browser.navigate(base + "/#/live", wait=False)
                times.append(browser.wait_for("window.__firstTile", 30, "the first tile"))
            print("time to first tile: %.0f ms first load, %.0f ms median of %d reloads (navigation start to the first tile with a picture)"
                  % (times[0], statistics.median(times[1:]), len(times) - 1))
            browser.wait_for(checks.STREAMING, 30, "every tile asking for its size")
            tiles = browser.evaluate("""[...document.querySelectorAll('.tile img')].map((i) => {
                const u = new URL(i.getAttribute('src'), location.href);
                return {path: u.pathname, resolution: u.searchParams.get('resolution'), fps: u.searchParams.get('fps')}; })""")
            streamed = [t for t in tiles if "video.cgi" in t["path"]]
            sizes = sorted({t["resolution"] for t in tiles})
            print("the grid asks for: %d tiles, %d streamed at %s fps %s, %d refreshed from image.cgi once a second"
                  % (len(tiles), len(streamed), "/".join(sizes), streamed[0]["fps"] if streamed else "-", len(tiles) - len(streamed)))
            time.sleep(3)
            print("Decoy CPU, the 16-tile page open in Chromium:       %5.1f %% of a core" % cpu(server.pid, options.seconds))
        time.sleep(2)
        size, fps = sizes[0], streamed[0]["fps"] if streamed else "5"
        paths = ["/axis-cgi/mjpg/video.cgi?cameraId=%d&resolution=%s&fps=%s" % (5000 + n, size, fps) for n in range(options.cameras)]
        used, sent = streams(port, paths, options.seconds, server.pid)
        print("Decoy CPU, 16 streams at the tile size (%s@%s):  %5.1f %% of a core, %.1f MB/s sent" % (size, fps, used, sent / 1e6))
        paths = ["/axis-cgi/mjpg/video.cgi?cameraId=%d" % (5000 + n) for n in range(options.cameras)]
        used, sent = streams(port, paths, options.seconds, server.pid)
        print("Decoy CPU, 16 streams at full size (1280x720@15):  %5.1f %% of a core, %.1f MB/s sent" % (used, sent / 1e6))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    main()
