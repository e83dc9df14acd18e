#!/usr/bin/env python3
"""Subscribes to an Axis device's events over its RTSP metadata stream with the real `axis` library
(axis==60, the one Home Assistant's Axis integration uses), exactly as Home Assistant does
(`device.enable_events()`, `device.event.subscribe`, `device.stream.start()`: RTP over UDP), and
prints what it saw as one JSON object.

    .venv-axis/bin/python Tools/axis-rtsp-events.py --http-port 8083 --rtsp-port 8083 --seconds 6
        [--motion-after 2]

The library always dials RTSP port 554; `--rtsp-port` points it at another (Decoy serves RTSP on
its HTTP port too), so no privileged port is needed. `--motion-after S` asks Decoy for a motion
event (`createmotion.cgi`) S seconds after the stream plays. `--exit-on-close` ends the run as soon
as the server closes the RTSP connection (the library itself only notices at its next keep-alive),
so a shell loop around it makes a client that subscribes again at once; `--until-motion-off` ends it
once a motion event has gone on and then off (else it waits out `--seconds`). Run by
Tests/DecoyServerTests/AxisRTSPEventTests.swift.
"""

import argparse
import asyncio
import json
import sys

import axis.rtsp
import httpx
from axis.device import AxisDevice
from axis.models.configuration import Configuration


async def run(args: argparse.Namespace) -> dict:
    axis.rtsp.RTSP_PORT = args.rtsp_port
    events = []
    signals = []
    playing = asyncio.Event()
    closed = asyncio.Event()
    motion_off = asyncio.Event()
    tripped_ids = set()
    if args.exit_on_close:
        library_connection_lost = axis.rtsp.RTSPClient.connection_lost

        def connection_lost(client, error) -> None:
            library_connection_lost(client, error)
            closed.set()

        axis.rtsp.RTSPClient.connection_lost = connection_lost
    async with httpx.AsyncClient(verify=False) as session:
        device = AxisDevice(
            Configuration(
                session, args.host, port=args.http_port, username=args.user, password=args.password, web_proto="http"
            )
        )
        device.enable_events()

        def on_event(event) -> None:
            if str(event.operation).endswith("Changed"):
                if event.is_tripped:
                    tripped_ids.add(event.id)
                elif event.id in tripped_ids and args.until_motion_off:
                    motion_off.set()
            events.append(
                {
                    "topic": event.topic,
                    "topic_base": str(event.topic_base),
                    "id": event.id,
                    "tripped": event.is_tripped,
                    "operation": str(event.operation),
                }
            )

        def on_signal(signal) -> None:
            signals.append(str(signal))
            if str(signal) == "playing":
                playing.set()

        device.event.subscribe(on_event)
        device.stream.connection_status_callback.append(on_signal)
        device.stream.start()
        try:
            await asyncio.wait_for(playing.wait(), timeout=args.seconds)
        except asyncio.TimeoutError:
            pass
        if args.motion_after is not None and playing.is_set():
            await asyncio.sleep(args.motion_after)
            auth = httpx.DigestAuth(args.user, args.password)
            url = f"http://{args.host}:{args.http_port}/axis-cgi/motion/createmotion.cgi"
            response = await session.get(url, auth=auth)
            signals.append(f"createmotion {response.status_code}")
        ending = [asyncio.ensure_future(closed.wait()), asyncio.ensure_future(motion_off.wait())]
        await asyncio.wait(ending, timeout=args.seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in ending:
            waiter.cancel()
        if closed.is_set():
            signals.append("closed by the server")
        state = str(device.stream.state)
        device.stream.stop()
        await asyncio.sleep(0.2)
    return {"signals": signals, "events": events, "state": state}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--rtsp-port", type=int, required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--motion-after", type=float)
    parser.add_argument("--exit-on-close", action="store_true", help="end when the server closes the RTSP connection")
    parser.add_argument(
        "--until-motion-off", action="store_true", help="end once a motion event has gone on and then off"
    )
    args = parser.parse_args()
    try:
        result = asyncio.run(run(args))
    except Exception as error:  # noqa: BLE001 - the test wants the reason, whatever it is
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
