"""Schemathesis hooks of the API contract check (api_contract.py).

Every webhook URL in a generated body is replaced by a loopback address before the call, so the
webhooks the run creates point nowhere: the registry runs with its SSRF guard on, which refuses loopback
addresses before connecting, and no test send leaves the machine. Other values (and URLs of the wrong
type, which test validation) are sent as generated.
"""

from __future__ import annotations

import itertools

import schemathesis

_COUNTER = itertools.count(1)
URL_FIELDS = {"url"}


def _local(value: object) -> object:
    if isinstance(value, dict):
        return {k: (f"http://127.0.0.1:9/contract/{next(_COUNTER)}" if k in URL_FIELDS and isinstance(v, str) else _local(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_local(v) for v in value]
    return value


@schemathesis.hook
def before_call(context, case, kwargs):
    if isinstance(case.body, (dict, list)):
        case.body = _local(case.body)
