#!/usr/bin/env python3
"""Initialises an Axis device against Decoy with the real `axis` library (axis==60, the one Home
Assistant's Axis integration uses) and prints what the library understood, as one JSON object.

    .venv-axis/bin/python Tools/axis-client.py --port 8083 [--user admin --password admin] [--ptz]
        [--features] [--light-on led0] [--close-port 1]
    .venv-axis/bin/python Tools/axis-client.py --port 0 --decode-events documents.json

Run by Tests/DecoyServerTests/AxisLibraryTests.swift against a Decoy in the axis profile. The
library speaks Digest only and sends its CGI requests as POST forms. Exit status 0 when the
library initialised; otherwise 1 with {"error": "..."}.
"""

import argparse
import asyncio
import json
import sys

import httpx
from axis.device import AxisDevice
from axis.errors import AxisException
from axis.models.configuration import Configuration


async def run(args: argparse.Namespace) -> dict:
    async with httpx.AsyncClient(verify=False) as session:
        device = AxisDevice(
            Configuration(
                session, args.host, port=args.port, username=args.user, password=args.password, web_proto="http"
            )
        )
        vapix = device.vapix
        # What Home Assistant's config flow does first.
        await vapix.initialize()
        await vapix.initialize_users()
        await vapix.load_user_groups()
        # The groups initialize() skips when basic device info answered them.
        await vapix.params.brand_handler.update()
        await vapix.params.image_handler.update()

        properties = vapix.params.property_handler.get("0")
        brand = vapix.params.brand_handler.get("0")
        ptz = vapix.params.ptz_handler.get("0")
        result = {
            "apis": sorted(vapix.api_discovery.keys()),
            "basic_device_info": vapix.basic_device_info.initialized,
            "serial_number": vapix.serial_number,
            "product_number": vapix.product_number,
            "product_type": vapix.product_type,
            "firmware_version": vapix.firmware_version,
            "brand": brand.brand if brand else None,
            "product_full_name": brand.product_full_name if brand else None,
            "properties_serial_number": properties.system_serial_number if properties else None,
            "api_http_version": properties.api_http_version if properties else None,
            "image_formats": properties.image_format if properties else None,
            "image_resolutions": properties.image_resolution.split(",") if properties else [],
            "images": {
                key: {"name": image.name, "resolution": image.appearance["Resolution"], "fps": image.stream["FPS"]}
                for key, image in vapix.params.image_handler.items()
            },
            "ptz_supported": properties.ptz if properties else None,
            "ptz_cameras": ptz.number_of_cameras if ptz else None,
            "ptz_continuous_pan": {key: s.continuous_pan for key, s in ptz.support.items()} if ptz else {},
            "stream_profiles": [profile.id for profile in vapix.streaming_profiles],
        }
        if args.features:
            await vapix.initialize_event_instances()
            result["privileges"] = str(vapix.access_rights)
            result["users"] = {name: str(user.privileges) for name, user in vapix.users.items()}
            result["ports"] = {
                key: {"name": port.name, "direction": port.direction, "state": port.state}
                for key, port in vapix.io_port_management.items()
            }
            result["lights"] = {
                key: {"on": light.light_state, "auto": light.automatic_intensity_mode}
                for key, light in vapix.light_control.items()
            }
            result["applications"] = {key: str(app.status) for key, app in vapix.applications.items()}
            vmd = vapix.vmd4.get("0")
            result["vmd_profiles"] = sorted(profile.name + "@" + str(profile.camera) for profile in vmd.profiles.values()) if vmd else []
            result["view_areas"] = sorted(vapix.view_areas.keys())
            result["event_instances"] = sorted(vapix.event_instances.keys())
        if args.light_on:
            await vapix.light_control.activate_light(args.light_on)
            result["light_status"] = await vapix.light_control.get_light_status(args.light_on)
        if args.close_port:
            await vapix.io_port_management.close(args.close_port)
            await vapix.io_port_management.update()
            result["port_state"] = vapix.io_port_management[args.close_port].state
        if args.ptz:
            await vapix.ptz.control(camera=1, continuous_pantilt_move=(100, 0))
            await asyncio.sleep(0.5)
            await vapix.ptz.control(camera=1, continuous_pantilt_move=(0, 0))
            result["ptz_control"] = "ok"
        return result


def decode_events(path: str) -> list:
    """What the library's metadata parser (the RTSP event stream's) reads from each document."""
    from axis.models.event import Event

    with open(path, encoding="utf-8") as file:
        documents = json.load(file)
    decoded = []
    for document in documents:
        event = Event.decode(document.encode())
        decoded.append(
            {
                "topic": event.topic,
                "topic_base": str(event.topic_base),
                "group": str(event.group),
                "id": event.id,
                "source": event.source,
                "state": event.state,
                "tripped": event.is_tripped,
                "operation": str(event.operation),
            }
        )
    return decoded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--ptz", action="store_true", help="also pan camera 1 right for 0.5 s, then stop")
    parser.add_argument(
        "--features", action="store_true",
        help="also report user groups, I/O ports, lights, applications, VMD, view areas and event instances",
    )
    parser.add_argument("--light-on", help="activate this light (led0) through the Light control API")
    parser.add_argument("--close-port", help="close (activate) this output port through I/O port management")
    parser.add_argument("--decode-events", help="decode the metadata XML documents of this JSON file; no server")
    args = parser.parse_args()
    if args.decode_events:
        print(json.dumps(decode_events(args.decode_events), sort_keys=True))
        return 0
    try:
        print(json.dumps(asyncio.run(run(args)), sort_keys=True))
    except (AxisException, httpx.HTTPError, KeyError, ValueError) as error:
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
