#!/usr/bin/env python3
"""Runs Home Assistant's own Axis integration against a camera and prints what Home Assistant made of
it, as one JSON object.

    .venv-ha/bin/python Tools/ha-axis.py --host 127.0.0.54 --port 8083 --seconds 30 \
        [--user admin --password admin] [--turn-on-after 12] [--out report.json]

Under `decoy run` the host, port and credentials default to DECOY_URL, DECOY_ADMIN_USER and
DECOY_ADMIN_PASSWORD.

Home Assistant is started for real (its bootstrap, in a throw-away configuration folder, no web
server), the Axis integration is added through its config flow with the host, port and credentials a
user types in, and its entities are watched until `--seconds` after this script started: every state a binary sensor, light or
switch of the device takes is recorded with the time since this script started. Nothing is mocked:
the integration talks VAPIX over HTTP to `--port` and takes events from the RTSP metadata stream on
port 554 of `--host`, as it does with a real camera (the `axis` library knows no other RTSP port).
`--turn-on-after S` calls the `light.turn_on` and `switch.turn_on` services on the device's first
light and first switch (an output port) S seconds after the entry is set up.
`--pick-stream-options` goes through the integration's options at the end: the stream profiles and
views it offers, `MJPEG` and view 2 chosen, then the snapshot and the stream source (played with
ffprobe) after the entry reloads.

The report: `flow` (the config flow's result), `entry` (the entry's state), `entities` (entity id ->
name, last state), `timeline` ([seconds, entity id, state]), `setup` (seconds until the entry was
set up), `turned_on` (each service call's outcome), `camera` (a snapshot's type and size, the stream
source), `options` (what the options offered and gave), `errors` (what Home Assistant logged at
error level). Run by
Tests/DecoyServerTests/HomeAssistantAxisTests.swift.
"""

import argparse
import asyncio
import json
import logging
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

WATCHED = ("binary_sensor", "light", "switch", "camera")
STARTED = time.monotonic()


def since_start() -> float:
    return round(time.monotonic() - STARTED, 2)


class ErrorCollector(logging.Handler):
    """Keeps what Home Assistant and the `axis` library log at error level, for the report."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}"[:500])


def configuration(http_port: int) -> str:
    """A configuration.yaml: the web server the camera platform needs stays on loopback."""
    return f"""homeassistant:
  name: Decoy conformance
http:
  server_host: 127.0.0.1
  server_port: {http_port}
logger:
  default: warning
"""


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def run(args: argparse.Namespace, config_dir: Path, errors: ErrorCollector) -> dict:
    from homeassistant import bootstrap, runner
    from homeassistant.core import Event, callback

    (config_dir / "configuration.yaml").write_text(configuration(free_loopback_port()))
    runtime = runner.RuntimeConfig(
        config_dir=str(config_dir), skip_pip=True, safe_mode=False, recovery_mode=False, debug=False
    )
    hass = await bootstrap.async_setup_hass(runtime)
    if hass is None:
        return {"error": "Home Assistant did not start"}
    logging.getLogger().addHandler(errors)
    await hass.async_start()
    report: dict = {"timeline": [], "entities": {}, "turned_on": []}

    @callback
    def on_state(event: Event) -> None:
        new = event.data["new_state"]
        if new is not None and new.domain in WATCHED:
            report["timeline"].append([since_start(), new.entity_id, new.state])

    hass.bus.async_listen("state_changed", on_state)
    try:
        flow = await hass.config_entries.flow.async_init("axis", context={"source": "user"})
        answers = {"host": args.host, "port": args.port, "username": args.user, "password": args.password}
        # The form asks for the protocol since Home Assistant 2024.4; before, it was always HTTP.
        if "protocol" in (str(key) for key in flow["data_schema"].schema):
            answers["protocol"] = "http"
        result = await hass.config_entries.flow.async_configure(flow["flow_id"], answers)
        report["flow"] = {key: str(result.get(key)) for key in ("type", "title", "reason", "errors")}
        await hass.async_block_till_done()
        entries = hass.config_entries.async_entries("axis")
        report["entry"] = str(entries[0].state) if entries else None
        report["setup"] = since_start()
        if args.turn_on_after is not None:
            await asyncio.sleep(args.turn_on_after)
            for domain in ("light", "switch"):
                report["turned_on"].append(await turn_on(hass, domain))
        await asyncio.sleep(max(0.0, args.seconds - since_start()))
        report["camera"] = await look_at_camera(hass)
        for state in hass.states.async_all(WATCHED):
            report["entities"][state.entity_id] = {"name": state.name, "state": state.state}
        if entries and args.pick_stream_options:
            report["options"] = await pick_stream_options(hass, entries[0])
    finally:
        await hass.async_stop()
    report["errors"] = errors.lines
    return report


async def look_at_camera(hass) -> dict:
    """What the device's camera entity gives: a snapshot (as Home Assistant's dashboard shows it)
    and the stream source its stream worker would open."""
    from homeassistant.components import camera

    entity_ids = hass.states.async_entity_ids("camera")
    if not entity_ids:
        return {"error": "no camera entity"}
    seen: dict = {"entity_id": entity_ids[0]}
    try:
        image = await camera.async_get_image(hass, entity_ids[0])
        seen["content_type"] = image.content_type
        seen["bytes"] = len(image.content)
        seen["jpeg"] = image.content[:2] == b"\xff\xd8" and image.content[-2:] == b"\xff\xd9"
        seen["stream_source"] = await camera.async_get_stream_source(hass, entity_ids[0])
    except Exception as error:  # noqa: BLE001 - the test wants the reason, whatever it is
        seen["error"] = f"{type(error).__name__}: {error}"
    return seen


async def pick_stream_options(hass, entry) -> dict:
    """The integration's options flow, as a user opening the device's options: the stream profiles
    and video sources it offers (read from the camera), then the `MJPEG` profile and the second
    view chosen; after the entry reloads, the camera entity's snapshot and its stream source, which
    ffprobe plays (as Home Assistant's stream worker would)."""
    flow = await hass.config_entries.options.async_init(entry.entry_id)
    offered = {}
    for key, validator in flow["data_schema"].schema.items():
        container = getattr(validator, "container", None) or []
        offered[str(key)] = [str(item) for item in (container.values() if isinstance(container, dict) else container)]
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"stream_profile": "MJPEG", "video_source": 2}
    )
    await hass.async_block_till_done()
    seen = await look_at_camera(hass)
    source = seen.get("stream_source")
    if source:
        probe = await asyncio.create_subprocess_exec(
            "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries", "stream=codec_name,width,height",
            "-of", "json", source, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(probe.communicate(), timeout=20)
            seen["ffprobe"] = json.loads(out or b"{}").get("streams", []) or err.decode()[-300:]
        except asyncio.TimeoutError:
            probe.kill()
            seen["ffprobe"] = "timed out"
    return {"offered": offered, "result": str(result.get("type")), "camera": seen}


async def turn_on(hass, domain: str) -> str:
    """Turns the device's first entity of `domain` on through Home Assistant's service, as a user would."""
    entity_ids = hass.states.async_entity_ids(domain)
    if not entity_ids:
        return f"no {domain} entity"
    try:
        await hass.services.async_call(domain, "turn_on", {"entity_id": entity_ids[0]}, blocking=True)
    except Exception as error:  # noqa: BLE001 - the test wants the reason, whatever it is
        return f"{entity_ids[0]}: {type(error).__name__}: {error}"
    return f"{entity_ids[0]}: on at {since_start()}"


def main() -> int:
    url = urlsplit(os.environ.get("DECOY_URL", ""))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=url.hostname, required=url.hostname is None)
    parser.add_argument("--port", type=int, default=url.port, required=url.port is None)
    parser.add_argument("--user", default=os.environ.get("DECOY_ADMIN_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("DECOY_ADMIN_PASSWORD", "admin"))
    parser.add_argument("--seconds", type=float, default=20, help="when to stop, counted from this script's start")
    parser.add_argument("--turn-on-after", type=float)
    parser.add_argument(
        "--pick-stream-options", action="store_true", help="at the end, choose the MJPEG profile and view 2 in the options"
    )
    parser.add_argument("--out", help="write the report here instead of standard output")
    args = parser.parse_args()
    errors = ErrorCollector()
    with tempfile.TemporaryDirectory(prefix="decoy-ha-", ignore_cleanup_errors=True) as folder:
        try:
            report = asyncio.run(run(args, Path(folder), errors))
        except Exception as error:  # noqa: BLE001 - the test wants the reason, whatever it is
            report = {"error": f"{type(error).__name__}: {error}", "errors": errors.lines}
    text = json.dumps(report)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)
    return 0 if "error" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
