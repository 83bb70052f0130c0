#!/usr/bin/env python3
"""Publish one event straight into the platform's events exchange with pika.

    AMQP_URL=amqp://webhooks:webhooks@127.0.0.1:16672/%2f \
        python3 deploy/examples/publish_event.py job.failed '{"job_id": "job-1"}' --tenant 1 [--id evt-123]

The message contract: exchange `webhooks.events` (topic), routing key = the event type, a JSON body
{"id"?, "type", "occurred_at"?, "tenant_id"?, "association_type"?, "association_id"?, "resource_key"?,
"data"}, content type application/json, persistent, message_id = the event id when there is one.
Without an id the platform derives one from the body, so publishing the same body twice delivers once.
Publisher confirms make `basic_publish` raise if the broker did not take the message.
"""
import argparse
import json
import os
import sys

import pika


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("type")
    parser.add_argument("data", nargs="?", default="{}")
    parser.add_argument("--tenant", type=int)
    parser.add_argument("--id")
    parser.add_argument("--resource-key")
    args = parser.parse_args()

    event = {"type": args.type, "data": json.loads(args.data)}
    if args.id:
        event["id"] = args.id
    if args.tenant is not None:
        event["tenant_id"] = args.tenant
    if args.resource_key:
        event["resource_key"] = args.resource_key

    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish(
        exchange="webhooks.events",
        routing_key=args.type,
        body=json.dumps(event, sort_keys=True).encode(),
        properties=pika.BasicProperties(
            content_type="application/json", delivery_mode=2, message_id=args.id, type=args.type),
        mandatory=True,
    )
    connection.close()
    print(args.id or "published")
    return 0


if __name__ == "__main__":
    sys.exit(main())
