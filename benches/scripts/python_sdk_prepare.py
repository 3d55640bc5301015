#!/usr/bin/env python3
"""Time the OFFICIAL Alibaba Cloud Python SDK (alibabacloud_cs20151215 7.2.3 on
alibabacloud_tea_openapi 0.4.6, installed in $REPO/.venv by scripts/setup-python.sh)
preparing and signing the same ScaleOutCluster request as the Rust `prepare` benchmark,
without any network, and report the ratio to the Rust numbers.

    .venv/bin/python benches/scripts/python_sdk_prepare.py [--iterations N] [--repeats R]

How: `Client.scale_out_cluster_with_options` runs as a caller would call it (model
validation, body map, `call_api` -> `do_roarequest` for ROA v1 / `do_request` for ACS3,
every header, string to sign, HMAC, authorization). `DaraCore.do_action`, the step that
would open a connection, is replaced by a function that raises a `BaseException` carrying
the signed request: the SDK's retry loop catches only `Exception`, so the call ends right
after signing. The request model is built once (like the Rust benchmark's request); the
signing time and nonce are pinned (like the Rust benchmark's `PrepareParams`), as in
tests/conformance/sdk_capture.py. The body is the "every field" case of
tests/tests/conformance_sdk.rs, which that test shows the SDK sends exactly as Rust does.

The Rust numbers are read from criterion's results,
target/criterion/prepare_<scheme>/client/new/estimates.json (run
`cargo bench -p acs-benches --bench prepare` first); without them only the Python numbers are
printed.
"""

import argparse
import base64
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.dont_write_bytecode = True

# No proxy, no user-agent suffix from the environment: nothing is sent anyway.
for _var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
             "ALIBABA_CLOUD_USER_AGENT"):
    os.environ.pop(_var, None)

from alibabacloud_cs20151215 import models as cs_models  # noqa: E402
from alibabacloud_cs20151215.client import Client  # noqa: E402
from alibabacloud_tea_openapi import utils_models as open_api_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from darabonba.core import DaraCore  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ACCESS_KEY_ID = "LTAI5tTestKeyId"
ACCESS_KEY_SECRET = "TestSecretValue123"
CLUSTER_ID = "c-abc 1/ä+*~_.-x"
NONCE = "0123456789abcdef0123456789abcdef"
# 2025-01-01T00:00:00Z, the Rust benchmark's signing time.
MOMENT = datetime(2025, 1, 1, 0, 0, 0)

# The body of acs_benches::full_request(), by wire name.
BODY = {
    "count": 3,
    "worker_instance_charge_type": "PrePaid",
    "worker_period": 1,
    "worker_period_unit": "Month",
    "worker_auto_renew": True,
    "worker_auto_renew_period": 6,
    "worker_system_disk_category": "cloud_efficiency",
    "worker_system_disk_size": 120,
    "login_password": "Hello@1234",
    "cloud_monitor_flags": True,
    "cpu_policy": "static",
    "image_id": "aliyun_3_x64",
    "user_data": base64.b64encode(b'#!/bin/sh\necho "hi"\n').decode("ascii"),
    "runtime": {"name": "containerd", "version": "1.6.20"},
    "vswitch_ids": ["vsw-1", "vsw-2"],
    "worker_instance_types": ["ecs.c5.xlarge", "ecs.g6.large"],
    "rds_instances": ["rm-2zev748xi27xc"],
    "worker_data_disks": [{"category": "cloud_essd", "size": "200", "encrypted": "true"}],
    "tags": [{"key": "团队", "value": '前端 "quoted" \\ back\nslash\t/'}],
    "taints": [{"effect": "NoSchedule", "key": "node_type", "value": "prod"}],
}


class Signed(BaseException):
    """Raised instead of sending: carries the signed DaraRequest."""

    def __init__(self, request):
        super().__init__()
        self.request = request


def _do_action(request, runtime_option=None):
    raise Signed(request)


def pin_time_and_nonce():
    iso = MOMENT.strftime("%Y-%m-%dT%H:%M:%SZ")
    http_date = MOMENT.strftime("%a, %d %b %Y %H:%M:%S GMT")
    Utils.get_timestamp = staticmethod(lambda: iso)
    Utils.get_date_utcstring = staticmethod(lambda: http_date)
    Utils.get_nonce = staticmethod(lambda: NONCE)


def make_client(signature):
    config = open_api_models.Config(
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        endpoint="cs.cn-hangzhou.aliyuncs.com",
        protocol="HTTPS",
    )
    if signature == "roa_v1":
        config.signature_algorithm = "v2"  # ROA signature v1 (HMAC-SHA1), see do_roarequest
    return Client(config)


def prepare_once(client, model, runtime):
    try:
        client.scale_out_cluster_with_options(CLUSTER_ID, model, {}, runtime)
    except Signed as signed:
        return signed.request
    raise RuntimeError("the SDK returned without reaching do_action")


def rust_median_ns(scheme):
    path = REPO / "target" / "criterion" / f"prepare_{scheme}" / "client" / "new" / "estimates.json"
    try:
        return json.loads(path.read_text())["median"]["point_estimate"]
    except (OSError, ValueError, KeyError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=2000, help="calls per timed batch")
    parser.add_argument("--repeats", type=int, default=7, help="timed batches per scheme")
    args = parser.parse_args()

    DaraCore.do_action = staticmethod(_do_action)
    pin_time_and_nonce()
    model = cs_models.ScaleOutClusterRequest().from_map(json.loads(json.dumps(BODY)))
    runtime = RuntimeOptions()

    rows = []
    for scheme in ("roa_v1", "acs3"):
        client = make_client(scheme)
        signed = prepare_once(client, model, runtime)
        headers = {k.lower(): v for k, v in signed.headers.items()}
        if "authorization" not in headers:
            raise RuntimeError(f"{scheme}: the SDK did not sign")
        if json.loads(signed.body) != BODY:
            raise RuntimeError(f"{scheme}: the SDK's body differs from the benchmark body")
        for _ in range(args.iterations // 4):  # warm-up
            prepare_once(client, model, runtime)
        per_call = []
        for _ in range(args.repeats):
            started = time.perf_counter_ns()
            for _ in range(args.iterations):
                prepare_once(client, model, runtime)
            per_call.append((time.perf_counter_ns() - started) / args.iterations)
        rows.append((scheme, statistics.median(per_call), min(per_call), rust_median_ns(scheme)))

    print(f"official Python SDK {sys.version.split()[0]}, {args.repeats} x {args.iterations} calls per scheme")
    print("| scheme | Python SDK µs/request (median, best) | Rust µs/request (criterion median) | Python / Rust |")
    print("|---|---:|---:|---:|")
    for scheme, median, best, rust in rows:
        if rust is None:
            print(f"| {scheme} | {median / 1000:.1f} ({best / 1000:.1f}) | not measured | - |")
        else:
            print(f"| {scheme} | {median / 1000:.1f} ({best / 1000:.1f}) | {rust / 1000:.2f} | {median / rust:.0f}x |")


if __name__ == "__main__":
    main()
