#!/usr/bin/env python3
"""Browser checks of Decoy's camera page and harness console in a headless Chromium.

    checks.py CHECK --camera URL --control URL --artifacts DIR [--admin USER:PASSWORD] [--guest USER:PASSWORD]
              [--ptz-camera ID] [--recording-camera NAME]

CHECK is one of: probe, login, tiles, ptz, led, clip, guest, keyboard, mobile, console-motion, console-rule,
run-console (the client of a `decoy run`: URLs and users come from DECOY_* variables). Each check writes
DIR/CHECK.json ({"check", "ok", "facts", "screenshots", "error", "browser_log"}) and its screenshots in DIR;
the Swift tests (Tests/DecoyWebTests) assert on the facts. Exit status: 0 ran, 1 failed (a wait timed out or a
step broke: see "error"), 3 Chromium could not start.
"""

import argparse
import base64
import json
import os
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402
import png  # noqa: E402

A11Y = """(() => {
  const named = (e) => {
    const by = e.getAttribute('aria-labelledby');
    if (by) return by.split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
    if (e.getAttribute('aria-label')) return e.getAttribute('aria-label');
    if (e.id && document.querySelector(`label[for="${e.id}"]`)) return document.querySelector(`label[for="${e.id}"]`).textContent.trim();
    if (e.closest('label')) return e.closest('label').textContent.trim();
    return (e.textContent || '').trim() || e.getAttribute('title') || e.getAttribute('alt') || '';
  };
  const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, [role=tab], img')]
    .filter((e) => e.offsetParent !== null || e.getClientRects().length);
  return controls.filter((e) => !named(e) && !(e.tagName === 'IMG' && e.getAttribute('alt') === ''))
    .map((e) => e.outerHTML.slice(0, 120));
})()"""

# How much wider than the window the page is laid out (an emulated phone may widen its layout
# viewport to the content, so the width is the one asked for, not innerWidth).
OVERFLOW = "document.documentElement.scrollWidth - %d"

# Every tile asks for its size, and the tiles meant to stream show their stream (each starts with a
# snapshot of its size).
STREAMING = """[...document.querySelectorAll('.tile')].every((t) => { const i = t.querySelector('img'), src = i.getAttribute('src') || '';
    return i.dataset.size && src.includes('resolution=') && (t.dataset.streamed !== 'true' || src.includes('/video.cgi')); })"""


class Check:
    def __init__(self, name, options):
        self.name, self.options = name, options
        self.facts, self.screenshots = {}, []
        self.browser = None

    def shot(self, label, clip=None, browser=None):
        path = os.path.join(self.options.artifacts, "%s-%s.png" % (self.name, label))
        data = (browser or self.browser).screenshot(path, clip)
        self.screenshots.append(path)
        return png.decode(data)

    # The camera page

    def sign_in(self, user, password, keyboard=False, browser=None):
        browser = browser or self.browser
        if browser.evaluate("location.href").startswith(self.options.camera):
            browser.evaluate("location.hash = '#/login'")  # the same document: no load event
        else:
            browser.navigate(self.options.camera + "/#/login")
        browser.wait_for("!!document.getElementById('login-user')", what="the sign-in form")
        if keyboard:
            browser.wait_for("document.activeElement?.id === 'login-user'", what="the focus on the user name")
            browser.call("Input.insertText", {"text": user})
            browser.key("Tab")
            browser.call("Input.insertText", {"text": password})
            browser.key("Enter", text="\r")
        else:
            browser.type_text("#login-user", user)
            browser.type_text("#login-password", password)
            browser.click("#login-submit")
        browser.wait_for("location.hash.startsWith('#/live') && document.querySelectorAll('.tile').length > 0",
                         what="the live grid after signing in as " + user)

    def wait_pictures(self, selector, timeout=20):
        return self.browser.wait_for(
            "(() => { const all = [...document.querySelectorAll(%s)]; return all.length > 0 && all.every((i) =>"
            " i.complete && i.naturalWidth > 0 && (i.getAttribute('src') || '').includes('.cgi')) && all.length; })()"
            % json.dumps(selector), timeout, "pictures in " + selector)

    def rect(self, selector):
        box = self.browser.rect(selector)
        return (box["x"], box["y"], box["width"], box["height"])

    def nav_labels(self):
        return self.browser.evaluate("[...document.querySelectorAll('#nav a')].map((a) => a.textContent.trim())")

    def a11y(self, page):
        self.facts.setdefault("unlabelled", {})[page] = self.browser.evaluate(A11Y)

    def open_camera(self, camera_id):
        self.browser.evaluate("location.hash = '#/live/%s'" % camera_id)
        self.browser.wait_for("!!document.getElementById('stage')", what="the camera view")
        self.wait_pictures("#live-picture")
        self.browser.wait_for("(document.getElementById('live-picture').getAttribute('src') || '').includes('video.cgi')",
                              what="the camera's stream")

    def middle_band(self):
        x, y, width, height = self.rect("#stage")
        return (x + 4, y + height * 0.25, width - 8, height * 0.5)

    def tinycam(self, path, user=None, password=None):
        """A tinyCam request from here (urllib), Basic auth when a user is given: (status, body)."""
        request = urllib.request.Request(self.options.camera + path)
        if user is not None:
            token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
            request.add_header("Authorization", "Basic " + token)
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def control(self, method, path, body=None):
        request = urllib.request.Request(self.options.control + path, method=method,
                                         data=body.encode() if body is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def wait_for_event(self, timeout=60):
        """On the events page: refreshes until an event is listed; returns how many are."""
        def listed():
            count = self.browser.evaluate("document.querySelectorAll('#event-list button.event').length")
            if not count:
                self.browser.evaluate("document.querySelector('button[aria-label=Refresh]')?.click()")
                time.sleep(1)
            return count
        return self.browser.wait_until(listed, timeout, "a recorded event in the list", interval=0.5)

    # The checks

    def run_probe(self):
        self.facts["version"] = self.browser.version

    def run_login(self):
        admin, guest = self.options.admin, self.options.guest
        self.sign_in(*admin)
        self.facts["admin_nav"] = self.nav_labels()
        self.facts["admin_role"] = self.browser.evaluate("document.querySelector('#who .badge').textContent")
        self.wait_pictures(".tile img")
        self.shot("admin-grid")
        self.browser.click("#who button")
        self.browser.wait_for("location.hash === '#/login'", what="the sign-in form after signing out")
        self.a11y("login")
        self.shot("signin")
        self.browser.type_text("#login-user", admin[0])
        self.browser.type_text("#login-password", "wrong-" + admin[1])
        self.browser.click("#login-submit")
        self.facts["wrong_password_message"] = self.browser.wait_for(
            "document.getElementById('login-error').textContent", what="the error for a wrong password")
        self.shot("wrong-password")
        self.sign_in(*guest)
        self.facts["guest_nav"] = self.nav_labels()
        self.facts["guest_role"] = self.browser.evaluate("document.querySelector('#who .badge').textContent")
        self.wait_pictures(".tile img")
        self.shot("guest-grid")

    def run_tiles(self):
        self.sign_in(*self.options.admin)
        count = self.wait_pictures(".tile img")
        self.browser.wait_for(STREAMING, what="every tile sized, the streamed ones streaming")
        time.sleep(0.5)
        first = self.shot("first")
        time.sleep(1.5)
        second = self.shot("second")
        tiles = self.browser.evaluate("""[...document.querySelectorAll('.tile')].map((t) => {
            const r = t.getBoundingClientRect(), i = t.querySelector('img');
            const u = new URL(i.getAttribute('src'), location.href);
            return {camera: t.dataset.camera, box: [r.x, r.y, r.width, r.height], path: u.pathname,
                    resolution: u.searchParams.get('resolution'), fps: u.searchParams.get('fps'),
                    natural: [i.naturalWidth, i.naturalHeight], css: [r.width, r.height]}; })""")
        for tile in tiles:
            tile["difference"] = png.region_difference(first, second, tile["box"])
        self.facts.update(tiles=tiles, count=count, columns=self.browser.evaluate(
            "getComputedStyle(document.getElementById('tiles')).gridTemplateColumns.split(' ').length"))
        self.a11y("grid")
        # Streams open while shown only: a hidden tab and a left page hold none (get_status counts them).
        self.facts["streams_shown"] = self.live_streams()
        self.set_hidden(True)
        self.facts["streams_hidden"] = self.wait_streams(0)
        self.set_hidden(False)
        self.facts["streams_shown_again"] = self.wait_streams(self.facts["streams_shown"])
        self.browser.navigate("about:blank")
        self.facts["streams_after_leaving"] = self.wait_streams(0)

    def live_streams(self):
        status, body = self.tinycam("/api/v1/get_status", *self.options.admin)
        return json.loads(body)["data"]["liveConnections"] if status == 200 else None

    def wait_streams(self, count):
        """Waits (bounded) until Decoy counts `count` open streams; returns the last count seen."""
        try:
            self.browser.wait_until(lambda: self.live_streams() == count, 10, "%s open streams" % count, interval=0.2)
        except cdp.BrowserError:
            pass
        return self.live_streams()

    def set_hidden(self, hidden):
        """Tells the page its tab is hidden (or shown), as a browser does when the user switches tabs."""
        self.browser.evaluate("Object.defineProperty(document, 'hidden', {configurable: true, get: () => %s});"
                              "document.dispatchEvent(new Event('visibilitychange'))" % ("true" if hidden else "false"))

    def run_ptz(self):
        self.sign_in(*self.options.admin)
        self.open_camera(self.options.ptz_camera)
        time.sleep(1.0)
        before = self.shot("before")
        time.sleep(1.0)
        still = self.shot("still")
        self.browser.press("#ptz-right", 1.5)
        time.sleep(1.0)
        after = self.shot("after-pan")
        band = self.middle_band()
        self.facts["baseline_difference"] = png.region_difference(before, still, band)
        self.facts["pan_difference"] = png.region_difference(still, after, band)
        self.browser.click("#ptz-home")
        time.sleep(1.5)
        home = self.shot("home")
        self.facts["home_difference"] = png.region_difference(home, before, band)
        self.facts["stream"] = self.browser.evaluate("document.getElementById('live-picture').getAttribute('src').split('?')[0]")
        self.a11y("camera")

    def corner(self):
        """The picture's bottom-right corner on screen, where the camera draws its LED indicator."""
        x, y, width, height = self.rect("#stage")
        return (x + width * 0.65, y + height * 0.88, width * 0.35 - 2, height * 0.12 - 2)

    def snapshot_corner(self):
        """A fresh image.cgi snapshot (what the API gives now), drawn on a canvas: the grey levels of
        its bottom-right corner, every other pixel."""
        return self.browser.evaluate("""new Promise((resolve, reject) => {
            const src = document.getElementById('live-picture').getAttribute('src').replace('/mjpg/video.cgi', '/jpg/image.cgi') + '&_=' + Date.now();
            const image = new Image();
            image.onload = () => {
              const canvas = document.createElement('canvas');
              canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
              const context = canvas.getContext('2d');
              context.drawImage(image, 0, 0);
              const x = Math.floor(canvas.width * 0.65), y = Math.floor(canvas.height * 0.88);
              const data = context.getImageData(x, y, canvas.width - x, canvas.height - y).data;
              const grey = [];
              for (let i = 0; i < data.length; i += 8) grey.push((data[i] * 299 + data[i + 1] * 587 + data[i + 2] * 114) / 1000);
              resolve(grey);
            };
            image.onerror = () => reject(new Error('snapshot failed'));
            image.src = src;
          })""")

    @staticmethod
    def grey_difference(first, second):
        return sum(abs(a - b) for a, b in zip(first, second)) / max(1, min(len(first), len(second)))

    def run_led(self):
        self.sign_in(*self.options.admin)
        self.open_camera(self.options.ptz_camera)
        time.sleep(0.5)
        box = self.corner()
        before, snapshot_before = self.shot("led-off"), self.snapshot_corner()
        time.sleep(1.0)
        still, snapshot_still = self.shot("led-still"), self.snapshot_corner()
        self.facts["stream_baseline"] = png.region_difference(before, still, box, step=1)
        self.facts["snapshot_baseline"] = self.grey_difference(snapshot_before, snapshot_still)
        self.browser.click("#led-on")
        self.browser.wait_for("document.getElementById('led-on').getAttribute('aria-pressed') === 'true'", what="LED on pressed")
        self.facts["snapshot_on"] = self.grey_difference(snapshot_still, self.snapshot_corner())
        time.sleep(1.0)
        self.facts["stream_on"] = png.region_difference(still, self.shot("led-on"), box, step=1)
        self.browser.click("#led-off")
        self.browser.wait_for("document.getElementById('led-off').getAttribute('aria-pressed') === 'true'", what="LED off pressed")
        self.facts["snapshot_off_again"] = self.grey_difference(snapshot_before, self.snapshot_corner())

    def run_clip(self):
        self.sign_in(*self.options.admin)
        self.open_camera(self.options.recording_camera_id)
        self.browser.click("#trigger-motion")
        self.browser.evaluate("location.hash = '#/events'")
        self.facts["listed"] = self.wait_for_event()
        self.browser.click("#event-list button.event")
        self.browser.wait_for("document.getElementById('clip')?.readyState === 4", 30, "the clip's readyState 4")
        start = self.browser.evaluate("document.getElementById('clip').currentTime")
        self.facts["ready_state"] = 4
        self.facts["advanced_to"] = self.browser.wait_for(
            "(() => { const v = document.getElementById('clip'); return v.currentTime > %f + 0.3 && v.currentTime; })()" % start,
            20, "the clip's currentTime to advance")
        self.facts["duration"] = self.browser.evaluate("document.getElementById('clip').duration")
        self.shot("playing")
        target = self.facts["duration"] / 2
        self.browser.evaluate("""(() => { const v = document.getElementById('clip'); v.pause(); window.__seeked = false;
            v.addEventListener('seeked', () => { window.__seeked = true; }, {once: true}); v.currentTime = %f; })()""" % target)
        self.browser.wait_for("window.__seeked === true", 20, "the seek to finish")
        self.facts["seek_target"] = target
        self.facts["seeked_to"] = self.browser.evaluate("document.getElementById('clip').currentTime")
        self.facts["ready_after_seek"] = self.browser.wait_for(
            "document.getElementById('clip').readyState >= 2 && document.getElementById('clip').readyState", 20, "data at the new position")
        statuses = sorted({event["params"]["response"]["status"] for event in self.browser.events("Network.responseReceived")
                           if "get_file" in event["params"]["response"]["url"] and ".mp4" in urllib.parse.unquote(event["params"]["response"]["url"])})
        self.facts["clip_statuses"] = statuses
        self.facts["admin_actions"] = self.browser.evaluate("['clip-pin', 'clip-delete'].filter((id) => document.getElementById(id))")
        self.browser.click("#clip-pin")
        self.browser.wait_for("document.querySelector('#event-list .badge.warn') !== null", 15, "the pinned badge")
        self.facts["pinned_shown"] = True
        self.shot("pinned")
        self.browser.evaluate("document.getElementById('events-type').value = 'pin'; document.getElementById('events-type').dispatchEvent(new Event('change'))")
        self.facts["pinned_listed"] = self.browser.wait_for("document.querySelectorAll('#event-list button.event').length", 15, "the pinned filter")
        self.a11y("events")

    def run_guest(self):
        admin, guest = self.options.admin, self.options.guest
        status, _ = self.tinycam("/axis-cgi/motion/createmotion.cgi?cameraId=%s" % self.options.recording_camera_id, *admin)
        self.facts["motion_status"] = status
        self.sign_in(*guest)
        self.facts["nav"] = self.nav_labels()
        self.open_camera(self.options.ptz_camera)
        self.facts["camera_controls"] = self.browser.evaluate(
            "['ptz-up', 'ptz-right', 'ptz-home', 'ptz-zoom-in', 'preset-1', 'led-on', 'trigger-motion', 'guest-note']"
            ".filter((id) => document.getElementById(id))")
        self.shot("camera")
        self.browser.evaluate("location.hash = '#/events'")
        self.wait_for_event()
        self.browser.click("#event-list button.event")
        self.browser.wait_for("!!document.getElementById('clip')", what="the clip player")
        self.facts["player_controls"] = self.browser.evaluate(
            "['clip-pin', 'clip-delete'].filter((id) => document.getElementById(id))")
        self.shot("events")
        self.browser.evaluate("location.hash = '#/status'")
        self.facts["status_page"] = self.browser.wait_for("document.querySelector('main h2')?.textContent", what="the status page")
        self.shot("status")
        # What the page hides, asked with the guest's own token: the API must refuse it.
        self.facts["api"] = self.browser.evaluate("""(async () => {
            const token = JSON.parse(localStorage.getItem('decoy.session')).token;
            const id = %s, file = encodeURIComponent('/x.mp4');
            const paths = {
              ptz: `/axis-cgi/com/ptz.cgi?cameraId=${id}&continuouspantiltmove=50,0`,
              led: `/axis-cgi/io/lightcontrol.cgi?cameraId=${id}&action=L1:-100`,
              motion: `/axis-cgi/motion/createmotion.cgi?cameraId=${id}`,
              status: '/api/v1/get_status', settings: '/param.cgi?action=update&root.Notifications=on',
              pin: `/param.cgi?action=pin&root.Filename=${file}`, log: '/axis-cgi/admin/applog.cgi',
              restart: '/axis-cgi/admin/restart.cgi', cameras: '/api/v1/get_cam_list'};
            const result = {};
            for (const [name, path] of Object.entries(paths)) {
              result[name] = (await fetch(`${path}${path.includes('?') ? '&' : '?'}token=${token}`)).status;
            }
            return result;
          })()""" % json.dumps(str(self.options.ptz_camera)))

    def run_keyboard(self):
        self.sign_in(*self.options.admin, keyboard=True)
        self.facts["signed_in_by_keyboard"] = True
        self.wait_pictures(".tile img")
        for _ in range(30):
            self.browser.key("Tab")
            if self.browser.evaluate("document.activeElement?.classList.contains('tile')"):
                break
        self.facts["tile_focused"] = self.browser.evaluate("document.activeElement?.getAttribute('aria-label')")
        self.shot("tile-focus")
        self.browser.key("Enter", text="\r")
        self.browser.wait_for("!!document.getElementById('stage')", what="the camera view opened with Enter")
        self.facts["camera_opened"] = self.browser.evaluate("location.hash")
        for _ in range(40):
            self.browser.key("Tab")
            if self.browser.evaluate("document.activeElement?.id === 'ptz-right'"):
                break
        self.facts["ptz_focused"] = self.browser.evaluate("document.activeElement?.id")
        self.shot("ptz-focus")
        # Enter held on the focused button pans, like a held mouse button.
        enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        self.browser.call("Input.dispatchKeyEvent", dict(enter, type="keyDown"))
        time.sleep(1.0)
        self.browser.call("Input.dispatchKeyEvent", dict(enter, type="keyUp"))
        self.facts["ptz_pressed_after"] = self.browser.evaluate("document.activeElement.getAttribute('aria-pressed')")
        self.a11y("camera")

    def run_mobile(self):
        self.sign_in(*self.options.admin)
        self.wait_pictures(".tile img")
        pages = {}
        pages["grid"] = self.browser.evaluate(OVERFLOW % self.options.width)
        self.shot("grid")
        self.open_camera(self.options.ptz_camera)
        pages["camera"] = self.browser.evaluate(OVERFLOW % self.options.width)
        self.shot("camera")
        self.browser.evaluate("location.hash = '#/events'")
        self.browser.wait_for("document.getElementById('event-list')?.getAttribute('aria-busy') === 'false'", what="the events page")
        pages["events"] = self.browser.evaluate(OVERFLOW % self.options.width)
        self.shot("events")
        self.browser.evaluate("location.hash = '#/status'")
        self.browser.wait_for("document.getElementById('status-battery')?.textContent.includes('%')", what="the status page")
        pages["status"] = self.browser.evaluate(OVERFLOW % self.options.width)
        self.shot("status")
        self.browser.navigate(self.options.control + "/")
        self.browser.wait_for("document.getElementById('live-state').textContent.includes('Live')", what="the console's streams")
        time.sleep(2.5)
        pages["console"] = self.browser.evaluate(OVERFLOW % self.options.width)
        self.shot("console")
        self.facts["overflow"] = pages
        self.a11y("console")

    # The console

    def open_console(self, browser=None):
        browser = browser or self.browser
        browser.navigate(self.options.control + "/")
        browser.wait_for("document.getElementById('live-state').textContent.includes('Live')", what="the console's live streams")
        browser.wait_for("document.getElementById('action-camera')?.options.length > 0", what="the cameras in the action form")

    def select(self, selector, value):
        self.browser.evaluate("(() => { const s = document.querySelector(%s); s.value = %s; s.dispatchEvent(new Event('change')); })()"
                              % (json.dumps(selector), json.dumps(value)))

    def run_console_motion(self):
        self.open_console()
        self.select("#action-camera", self.options.recording_camera)
        self.select("#action-type", "person")
        self.facts["yaml"] = self.browser.evaluate("document.getElementById('action-yaml').textContent")
        self.browser.click("#action-fire")
        self.facts["result"] = self.browser.wait_for(
            "document.querySelector('#pane-action .result').textContent", what="the action's result")
        self.facts["journal_row"] = self.browser.wait_for(
            "[...document.querySelectorAll('#journal-rows tr[data-kind=step]')].map((r) => r.textContent).find((t) => t.includes('motion'))",
            what="the motion step in the journal")
        time.sleep(0.3)
        self.shot("fired")
        self.a11y("console")
        camera = cdp.Browser(1280, 800)
        try:
            self.browser, console = camera, self.browser
            self.sign_in(*self.options.admin)
            self.browser.evaluate("location.hash = '#/events'")
            self.facts["events_listed"] = self.wait_for_event()
            self.facts["event_label"] = self.browser.wait_until(lambda: self.browser.evaluate(
                "[...document.querySelectorAll('#event-list button.event')].map((b) => b.getAttribute('aria-label'))"
                ".find((label) => label.startsWith('person'))") or self.browser.evaluate(
                "document.querySelector('button[aria-label=Refresh]').click()"), 60, "the person event in the list", interval=1)
            self.shot("camera-events")
        finally:
            self.browser = console
            camera.close()

    def run_console_rule(self):
        self.open_console()
        self.browser.click("#tab-rule")
        self.browser.type_text("#rule-name", "busy camera list")
        self.facts["yaml"] = self.browser.evaluate("document.getElementById('rule-yaml').textContent")
        self.browser.click("#rule-add")
        self.facts["result"] = self.browser.wait_for(
            "(() => { const t = document.querySelector('#pane-rule .result').textContent; return t.includes('added') && t; })()",
            what="the rule to be added")
        admin = self.options.admin
        self.facts["next_request"] = self.tinycam("/api/v1/get_cam_list", *admin)[0]
        self.facts["journal_row"] = self.browser.wait_for(
            "[...document.querySelectorAll('#journal-rows tr[data-status=\"503\"]')].map((r) => r.textContent)[0]",
            what="the 503 in the journal")
        self.browser.wait_for("document.querySelector('#rules li[data-rule]') !== null", what="the rule in the list")
        self.shot("rule-added")
        self.browser.evaluate("document.getElementById('filter-status').value = '5xx'; document.getElementById('filter-status').dispatchEvent(new Event('change'))")
        self.browser.wait_for("document.querySelectorAll('#journal-rows tr').length > 0 && [...document.querySelectorAll('#journal-rows tr')].every((r) => r.dataset.status === '503')",
                              what="the journal filtered to 5xx")
        self.facts["filtered_rows"] = self.browser.evaluate("document.querySelectorAll('#journal-rows tr').length")
        self.shot("filtered")
        self.browser.click("#rules li[data-rule] button")
        self.browser.wait_for("document.querySelector('#rules li[data-rule]') === null", what="the rule to be removed")
        self.facts["after_removal"] = self.tinycam("/api/v1/get_cam_list", *admin)[0]

    def run_run_console(self):
        """The client of `decoy run Scenarios/doorbell-ring.yaml`: watch the console while doing what it expects.

        The requests run on a thread of their own, timed by the control API's GET /scenario (not by
        how fast the browser is), after the console has shown the verdicts still waiting."""
        before_shown = threading.Event()

        def client():
            query = "user=%s&pwd=%s" % tuple(urllib.parse.quote(v) for v in self.options.admin)
            token = json.loads(self.tinycam("/api/v1/login?" + query)[1])["data"]["token"]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                status = self.control("GET", "/scenario")[1]
                if status.get("stepsFired", 0) >= 1 and (before_shown.is_set() or status.get("elapsedMilliseconds", 0) >= 6500):
                    self.facts["polled_at"] = status.get("elapsedMilliseconds")
                    self.tinycam("/api/v1/get_cam_event_list?token=" + token)
                    return
                time.sleep(0.05)

        worker = threading.Thread(target=client, daemon=True)
        worker.start()
        self.open_console()
        self.browser.wait_for("document.getElementById('scenario-phase').textContent === 'running'", what="the run's scenario running")
        self.facts["name"] = self.browser.evaluate("document.getElementById('scenario-name').textContent")
        self.facts["before"] = self.verdicts()
        before_shown.set()
        self.shot("waiting")
        self.browser.wait_for("document.querySelector('#timeline li[data-state=fired]') !== null", 20, "the ring to fire")
        self.browser.wait_for("[...document.querySelectorAll('#expectations li')].every((l) => l.dataset.verdict === 'pass')",
                              20, "every expectation to pass")
        self.facts["after"] = self.verdicts()
        worker.join(5)
        time.sleep(0.5)
        self.shot("passing")

    def verdicts(self):
        return self.browser.evaluate("Object.fromEntries([...document.querySelectorAll('#expectations li[data-name]')].map((l) => [l.dataset.name, l.dataset.verdict]))")


def user(text):
    name, _, password = text.partition(":")
    return (name, password)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("check")
    parser.add_argument("--camera", default=os.environ.get("DECOY_URL"))
    parser.add_argument("--control", default=os.environ.get("DECOY_CONTROL_URL"))
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--admin", type=user, default=(os.environ.get("DECOY_ADMIN_USER", "admin"), os.environ.get("DECOY_ADMIN_PASSWORD", "admin")))
    parser.add_argument("--guest", type=user, default=(os.environ.get("DECOY_GUEST_USER", "guest"), os.environ.get("DECOY_GUEST_PASSWORD", "guest")))
    parser.add_argument("--ptz-camera", default="182399567")
    parser.add_argument("--recording-camera", default="Doorbell")
    parser.add_argument("--recording-camera-id", default="1455317736")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    options = parser.parse_args()
    os.makedirs(options.artifacts, exist_ok=True)
    if options.check == "mobile":
        options.width, options.height = 390, 844
    check = Check(options.check, options)
    report = {"check": options.check, "ok": False, "facts": check.facts, "screenshots": check.screenshots}
    status = 1
    try:
        check.browser = cdp.Browser(options.width, options.height, mobile=options.check == "mobile")
    except cdp.BrowserError as error:
        report["error"] = "chromium cannot start: %s" % error
        status = 3
    else:
        try:
            getattr(check, "run_" + options.check.replace("-", "_"))()
            report["ok"] = True
            status = 0
        except Exception as error:  # every failure is reported with what the page said
            report["error"] = "%s\n%s" % (error, traceback.format_exc())
            try:
                check.shot("failure")
            except Exception:
                pass
        finally:
            report["browser_log"] = check.browser.console_messages()[-40:]
            check.browser.close()
    text = json.dumps(report, indent=2, sort_keys=True)
    with open(os.path.join(options.artifacts, options.check + ".json"), "w") as handle:
        handle.write(text)
    print(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
