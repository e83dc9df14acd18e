"""A headless Chromium driven over the DevTools protocol, with Python's standard library only.

Chromium is started with --remote-debugging-pipe: commands go to its file descriptor 3 and
answers and events come back on 4, as JSON messages ended by a NUL byte. No WebSocket, no
chromedriver, no PyPI package. One page (target) per Browser, attached in flat session mode.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time


class BrowserError(Exception):
    pass


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, width=1280, height=800, mobile=False, executable=None):
        executable = executable or find_chromium()
        if not executable:
            raise BrowserError("no chromium in PATH (Tools/setup.sh --test installs it)")
        self.profile = tempfile.mkdtemp(prefix="decoy-chromium-")
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()

        def map_fds():
            # Through fresh descriptors first: either pipe end may itself be 3 or 4.
            read_end, write_end = os.dup(to_child_read), os.dup(from_child_write)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        arguments = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--mute-audio", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--password-store=basic",
            "--autoplay-policy=no-user-gesture-required", "--hide-scrollbars",
            "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
            "--window-size=%d,%d" % (width, height), "about:blank",
        ]
        self.process = subprocess.Popen(
            arguments, pass_fds=(3, 4), preexec_fn=map_fds, close_fds=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_child_read)
        os.close(from_child_write)
        self._next_id = 0
        self._lock = threading.Lock()
        self._answers = {}
        self._events = []
        self._condition = threading.Condition(self._lock)
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session = None
        try:
            version = self.call("Browser.getVersion", timeout=30)
        except BrowserError as error:
            stderr = self._stderr_tail()
            self.close()
            raise BrowserError("chromium did not start: %s %s" % (error, stderr))
        self.version = version.get("product", "?")
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable")
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        if mobile:
            self.send("Emulation.setTouchEmulationEnabled", {"enabled": True})

    def _stderr_tail(self):
        try:
            if self.process.poll() is not None:
                return self.process.stderr.read().decode(errors="replace")[-1500:]
        except Exception:
            pass
        return ""

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._condition:
                    self._closed = True
                    self._condition.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                value = json.loads(message)
                with self._condition:
                    if "id" in value:
                        self._answers[value["id"]] = value
                    else:
                        self._events.append(value)
                    self._condition.notify_all()

    def call(self, method, params=None, timeout=20, session=True):
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._condition:
            while ident not in self._answers:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise BrowserError("%s: no answer (%s)" % (method, "chromium exited" if self._closed else "timeout"))
                self._condition.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise BrowserError("%s: %s" % (method, answer["error"].get("message")))
        return answer.get("result", {})

    send = call

    def events(self, method=None):
        with self._lock:
            return [e for e in self._events if method is None or e.get("method") == method]

    def console_messages(self):
        lines = []
        for event in self.events():
            if event.get("method") == "Runtime.consoleAPICalled":
                args = event["params"].get("args", [])
                lines.append("console.%s: %s" % (event["params"].get("type"), " ".join(
                    str(a.get("value", a.get("description", ""))) for a in args)))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = event["params"]["exceptionDetails"]
                lines.append("exception: %s" % (details.get("exception", {}).get("description") or details.get("text")))
            elif event.get("method") == "Log.entryAdded":
                entry = event["params"]["entry"]
                lines.append("log.%s: %s %s" % (entry.get("level"), entry.get("text"), entry.get("url", "")))
        return lines

    def navigate(self, url, wait=True):
        with self._lock:
            self._events = [e for e in self._events if e.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url})
        if wait:
            self.wait_until(lambda: self.events("Page.loadEventFired"), what="the load event of " + url)

    def evaluate(self, expression, timeout=20):
        result = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError("evaluate %r: %s" % (expression[:80], details.get("exception", {}).get(
                "description") or details.get("text")))
        return result.get("result", {}).get("value")

    def wait_until(self, condition, timeout=20, what="a condition", interval=0.1):
        """Polls `condition` (bounded): returns its first truthy value, or raises saying what never came."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = condition()
                if value:
                    return value
            except BrowserError as error:
                last_error = error
            time.sleep(interval)
        raise BrowserError("timed out after %ss waiting for %s%s" % (
            timeout, what, " (last error: %s)" % last_error if last_error else ""))

    def wait_for(self, expression, timeout=20, what=None):
        return self.wait_until(lambda: self.evaluate(expression), timeout, what or expression)

    def screenshot(self, path, clip=None):
        params = {"format": "png"}
        if clip:
            params["clip"] = dict(clip, scale=1)
        data = base64.b64decode(self.call("Page.captureScreenshot", params, timeout=30)["data"])
        if path:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        return data

    def rect(self, selector):
        """The bounding box of the first element matching `selector`, in CSS pixels."""
        return self.evaluate(
            "(() => { const e = document.querySelector(%s); if (!e) return null; const r = e.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()" % json.dumps(selector))

    def click(self, selector):
        box = self.wait_until(lambda: self.rect(selector), what="element " + selector)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def press(self, selector, seconds):
        """Holds the mouse button down on `selector` for `seconds` (a PTZ button moves while held)."""
        box = self.wait_until(lambda: self.rect(selector), what="element " + selector)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.call("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left", "clickCount": 1})
        time.sleep(seconds)
        self.call("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left", "clickCount": 1})

    def type_text(self, selector, text):
        self.evaluate("document.querySelector(%s).focus()" % json.dumps(selector))
        self.evaluate("document.querySelector(%s).select && document.querySelector(%s).select()" % (
            json.dumps(selector), json.dumps(selector)))
        self.call("Input.insertText", {"text": text})

    def key(self, key, code=None, text=None):
        """Presses and releases one key on whatever has the focus."""
        base = {"key": key, "code": code or key}
        codes = {"Tab": 9, "Enter": 13, "Escape": 27, " ": 32, "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39,
                 "ArrowDown": 40}
        if key in codes:
            base["windowsVirtualKeyCode"] = codes[key]
        down = dict(base, type="keyDown")
        if text:
            down["text"] = text
        self.call("Input.dispatchKeyEvent", down)
        self.call("Input.dispatchKeyEvent", dict(base, type="keyUp"))

    def close(self):
        try:
            if self.process.poll() is None:
                try:
                    self.call("Browser.close", session=False, timeout=5)
                except BrowserError:
                    pass
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
