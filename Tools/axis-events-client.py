#!/usr/bin/env python3
"""Subscribes to Decoy's VAPIX event WebSocket with the `websockets` library and prints what it
received, as one JSON object.

    .venv-axis/bin/python Tools/axis-events-client.py --port 8083 [--user admin --password admin]
        [--auth wssession|basic|none] [--filter TOPICFILTER]... [--ready-file PATH]
        [--until TOPIC=VALUE]... [--send TEXT] [--timeout SECONDS]

With --auth wssession (the default) it first asks /axis-cgi/wssession.cgi for a token over Digest
(as the `axis` library does) and opens /vapix/ws-data-stream?sources=events&wssession=TOKEN; with
basic it sends Basic credentials on the upgrade. It sends events:configure with the filters (or
--send TEXT verbatim), writes --ready-file once the answer arrived, then collects events:notify
messages until each --until TOPIC=VALUE was seen in that order (VALUE is the first data value;
TOPIC may end with |SOURCEVALUE) or --timeout passes (exit status 1 when they were not all seen).
Under `decoy run`, --port, --user and --password default to DECOY_URL's port and the admin it
names. Run by AxisEventSocketTests and AxisEventRunTests.

Output: {"status": 101 or the refused upgrade's status, "configure": answer, "notifications":
[{"topic", "source", "data"}...], "complete": bool, "closed": close code or null}.
"""

import argparse
import asyncio
import json
import os
import pathlib
import sys

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus


def matches(note: dict, wanted: str) -> bool:
    topic, _, value = wanted.rpartition("=")
    topic, _, source = topic.partition("|")
    if note["topic"] != topic:
        return False
    if source and source not in note["source"].values():
        return False
    return next(iter(note["data"].values()), None) == value


async def run(args: argparse.Namespace, result: dict) -> dict:
    base = f"{args.host}:{args.port}"
    url = f"ws://{base}/vapix/ws-data-stream?sources=events"
    headers = {}
    if args.auth == "wssession":
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"http://{base}/axis-cgi/wssession.cgi", auth=httpx.DigestAuth(args.user, args.password)
            )
            answer.raise_for_status()
            url += "&wssession=" + answer.text.strip()
    elif args.auth == "basic":
        headers["Authorization"] = httpx.BasicAuth(args.user, args.password)._auth_header
    pending = list(args.until)
    try:
        # max_queue=None: the client stops reading once it has what it wanted, and websockets would stop
        # reading the socket (missing the close answer) when its queue of unread messages is full.
        async with connect(url, additional_headers=headers, open_timeout=10, max_size=2**20, max_queue=None) as ws:
            result["status"] = 101
            request = args.send or json.dumps(
                {
                    "apiVersion": "1.0",
                    "context": "decoy-test",
                    "method": "events:configure",
                    "params": {"eventFilterList": [{"topicFilter": f} for f in args.filter]},
                }
            )
            await ws.send(request)
            result["configure"] = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if args.ready_file:
                pathlib.Path(args.ready_file).write_text("ready")
            if not pending:
                return result
            while pending:
                message = json.loads(await ws.recv())
                if message.get("method") != "events:notify":
                    continue
                notification = message["params"]["notification"]
                note = {
                    "topic": notification["topic"],
                    "source": notification["message"]["source"],
                    "data": notification["message"]["data"],
                }
                result["notifications"].append(note)
                if matches(note, pending[0]):
                    pending.pop(0)
            result["complete"] = True
    except InvalidStatus as error:
        result["status"] = error.response.status_code
    except ConnectionClosed as error:
        result["closed"] = error.rcvd.code if error.rcvd else None
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    # Under `decoy run` the server and its admin come from the environment.
    environment = os.environ
    url_port = environment.get("DECOY_URL", "").rpartition(":")[2]
    parser.add_argument("--port", type=int, required=not url_port, default=int(url_port or 0))
    parser.add_argument("--user", default=environment.get("DECOY_ADMIN_USER", "admin"))
    parser.add_argument("--password", default=environment.get("DECOY_ADMIN_PASSWORD", "admin"))
    parser.add_argument("--auth", choices=["wssession", "basic", "none"], default="wssession")
    parser.add_argument("--filter", action="append", default=[])
    parser.add_argument("--ready-file")
    parser.add_argument("--until", action="append", default=[])
    parser.add_argument("--send")
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    if not args.filter:
        args.filter = ["//."]
    result = {"status": None, "configure": None, "notifications": [], "complete": False, "closed": None}
    try:
        asyncio.run(asyncio.wait_for(run(args, result), timeout=args.timeout))
    except (TimeoutError, asyncio.TimeoutError):
        result["error"] = "timed out"
        print(json.dumps(result))
        return 1
    except Exception as error:  # noqa: BLE001 - the test prints it
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    print(json.dumps(result))
    return 0 if result["complete"] or not args.until else 1


if __name__ == "__main__":
    sys.exit(main())
