#!/usr/bin/env python3
"""Write the seed inputs of every fuzz target into fuzz/corpus/<target>/seed-* and the
dictionaries into fuzz/dict/<target>.dict (see fuzz/README.md).

    python3 fuzz/seeds.py            # from the repository root; needs .venv for signed seeds

Seeds come from the repository: the spec files and the broken-spec corpus, JSON bodies like
the conformance tests', the service's documented error shapes, and requests signed by the
official Python SDK (tests/conformance/sdk_capture.py, which only talks to loopback) for both
signature schemes, with and without an STS token. Every seed starts with the selector byte
its target reads first.
"""

import base64
import glob
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FUZZ = REPO / "fuzz"
SPEC = REPO / "api-spec" / "cs-2015-12-15"


def write(target, name, selector, payload):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    (folder / f"seed-{name}").write_bytes(bytes([selector]) + payload)


def write_dict(target, words):
    folder = FUZZ / "dict"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for word in sorted(set(words)):
        escaped = "".join(
            c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else "".join(f"\\x{b:02x}" for b in c.encode())
            for c in word
        )
        lines.append(f'"{escaped}"')
    (folder / f"{target}.dict").write_text("\n".join(lines) + "\n")


def keys_of(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            keys_of(item, out)
    elif isinstance(value, list):
        for item in value:
            keys_of(item, out)
    return out


JSON_TOKENS = ["{", "}", "[", "]", ":", ",", '""', "null", "true", "false", "0", "-1", "1e309",
               "\\u0000", "\\ud800", "\\\"", "18446744073709551616", "-9223372036854775809"]


def spec_loader():
    without_refs = json.loads((SPEC / "ScaleOutCluster.json").read_text())
    without_refs.pop("follow_with", None)
    without_refs.pop("deprecated", None)
    write("spec_loader", "scale-out-cluster-alone", 1, json.dumps(without_refs, indent=1, ensure_ascii=False))
    for path in sorted(SPEC.glob("*.json")):
        selector = 0 if path.name == "service.json" else 1
        write("spec_loader", path.stem, selector, path.read_text())
    imported = sorted((SPEC / "imported").glob("*.json"))
    for path in imported[:: max(1, len(imported) // 12)]:
        if path.name != "shapes.json":
            write("spec_loader", f"imported-{path.stem}", 1, path.read_text())
    shapes = SPEC / "imported" / "shapes.json"
    if shapes.exists():
        data = json.loads(shapes.read_text())
        # A small shapes file: the first few shapes.
        first = dict(list(data.get("shapes", {}).items())[:5])
        write("spec_loader", "imported-shapes", 2, json.dumps({**data, "shapes": first}, indent=1))
    for path in sorted((REPO / "tests" / "broken-specs").glob("*/cs-2015-12-15/ScaleOutCluster.json")):
        write("spec_loader", f"broken-{path.parts[-3]}", 1, path.read_text())
    words = set()
    for schema in (REPO / "api-spec" / "schema").glob("*.json"):
        keys_of(json.loads(schema.read_text()), words)
    words = {f'"{w}"' for w in words if w.isidentifier() or w.startswith("$")}
    words |= {'"string"', '"integer"', '"long"', '"boolean"', '"list"', '"map"', '"structure"',
              '"enum"', '"base64"', '"json"', '"path"', '"query"', '"header"', '"body"', '"payload"',
              '"GET"', '"POST"', '"PUT"', '"DELETE"', '"/api/v2/clusters/{ClusterId}"'}
    write_dict("spec_loader", words | set(JSON_TOKENS))


OUTPUTS = [  # (selector, operation file) in the order of fuzz_targets/response_parser.rs
    (0, "ScaleOutCluster.json"), (1, "DescribeTaskInfo.json"), (2, "DescribeClusterNodes.json"),
    (3, "DescribeClusterDetail.json"), (4, "imported/DescribeClusterNodePools.json"),
    (5, "imported/DescribeClustersV1.json"), (6, "imported/DescribeEvents.json"),
    (7, "imported/ListAddons.json"),
]


def response_parser():
    words = set()
    for selector, name in OUTPUTS:
        path = SPEC / name
        if not path.exists():
            continue
        keys = keys_of(json.loads(path.read_text()).get("output", {}), set())
        words |= {f'"{k}"' for k in keys}
        members = json.loads(path.read_text()).get("output", {}).get("members", {})
        sample = {}
        for key, member in members.items():
            wire = member.get("wire_name", key)
            kind = member.get("type")
            sample[wire] = {"string": "x", "integer": 1, "long": 2, "boolean": True,
                            "list": [], "map": {}}.get(kind, {})
        write("response_parser", Path(name).stem, selector, json.dumps(sample))
        write("response_parser", Path(name).stem + "-request-id", selector,
              json.dumps({"RequestId": "R-1", **sample}))
    write("response_parser", "blank", 0, " \n")
    write("response_parser", "task", 0, '{"cluster_id":"c-1","request_id":"r","task_id":"T-1"}')
    write("response_parser", "not-json", 1, "<html><title>502</title></html>")
    write_dict("response_parser", words | set(JSON_TOKENS))


def service_error():
    bodies = {
        "ack": '{"code":"ErrorClusterNotFound","message":"cluster not found","requestId":"R1","status":404}',
        "pop": '{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R2","Recommend":"https://x",'
               '"AccessDeniedDetail":"{\\"AuthAction\\":\\"cs:ScaleOutCluster\\"}"}',
        "throttle": '{"code":"Throttling.User","message":"slow down"}',
        "numbers": '{"code":400,"message":["a"],"requestId":null}',
        "html": "<html><head><title>502 Bad Gateway</title></head></html>",
        "html-upper": "<!DOCTYPE html><HTML><TITLE> Oops </TITLE>",
        "text": "upstream failed\nmore",
        "empty": "",
    }
    for i, (name, body) in enumerate(bodies.items()):
        status = [404, 403, 400, 400, 502, 503, 500, 503][i]
        write("service_error", name, status & 0xFF, bytes([status >> 8, i % 4]) + body.encode())
    write_dict("service_error", ['"Code"', '"code"', '"Message"', '"message"', '"RequestId"',
                                 '"requestId"', '"requestid"', '"Recommend"', '"AccessDeniedDetail"',
                                 "<html", "<!doctype", "<title>", "</title>", "Throttling", "\r\n"]
               + JSON_TOKENS)


CLI_BODIES = [  # (selector >> 1 in fuzz_targets/cli_body.rs, body)
    (0, {"count": 3, "worker_instance_charge_type": "PrePaid", "worker_period": 1,
         "worker_period_unit": "Month", "login_password": "Hello@1234",
         "user_data": base64.b64encode(b"#!/bin/sh\n").decode(),
         "runtime": {"name": "containerd", "version": "1.6.20"}, "vswitch_ids": ["vsw-1"],
         "worker_data_disks": [{"category": "cloud_essd", "size": "200", "encrypted": "true"}],
         "tags": [{"key": "k", "value": "v", "colour": "red"}],
         "taints": [{"effect": "NoSchedule", "key": "a", "value": "b"}]}),
    (0, {"key_pair": "k", "count": 501, "unknown": {"nested": [1, 2]}}),
    (1, {"count": 2}),
    (2, {"nodepool_id": "np", "state": "running", "pageSize": 20, "pageNumber": 1}),
    (3, {"nodepool_info": {"name": "np", "type": "ess"}, "scaling_group": {"vswitch_ids": ["v"]}}),
    (4, {"nodepool_info": {"name": "np"}, "management": {"enable": True}}),
    (5, {"resource_ids": ["c-1"], "resource_type": "CLUSTER", "region_id": "cn-hangzhou",
         "tags": [{"key": "k", "value": "v"}]}),
]


def cli_body():
    for i, (op, body) in enumerate(CLI_BODIES):
        for keep in (0, 1):
            write("cli_body", f"{i}-{keep}", (op << 1) | keep, json.dumps(body, ensure_ascii=False))
    write("cli_body", "null", 0, "null")
    write("cli_body", "flag-number", 0, "-1.5e3")
    words = set()
    for _, body in CLI_BODIES:
        words |= {f'"{k}"' for k in keys_of(body, set())}
    write_dict("cli_body", words | set(JSON_TOKENS))


def signed_requests():
    python = REPO / ".venv" / "bin" / "python"
    if not python.exists():
        print("no .venv: skipping the SDK-signed seeds (run scripts/setup-python.sh)", file=sys.stderr)
        return
    cases = [
        ("scale-out", {"operation": "ScaleOutCluster", "path_params": {"ClusterId": "c-abc 1/ä"},
                       "body": {"count": 3, "key_pair": "k", "tags": [{"key": "团队", "value": "x y"}]}}),
        ("nodes", {"operation": "DescribeClusterNodes", "path_params": {"ClusterId": "c 1"},
                   "query": {"nodepool_id": "np 1/ä+~*", "pageSize": "20", "state": "running"}}),
    ]
    for name, case in cases:
        for signature, selector_bit in (("v1", 1), ("v3", 0)):
            for sts in (False, True):
                request = {**case, "signature": signature, "access_key_id": "LTAI5tTestKeyId",
                           "access_key_secret": "TestSecretValue123",
                           "security_token": "CAIS+gF1Q6Ft5B2yfSjIr5bSETestToken==" if sts else None,
                           "timestamp": "2025-01-01T00:00:00Z",
                           "nonce": "0123456789abcdef0123456789abcdef"}
                out = subprocess.run(
                    [str(python), str(REPO / "tests" / "conformance" / "sdk_capture.py")],
                    input=json.dumps(request).encode(), capture_output=True, check=True, cwd=REPO)
                captured = json.loads(out.stdout)
                head = [f"{captured['method']} {captured['path']}"]
                head += [f"{k}: {v}" for k, v in captured["headers"]]
                text = "\n".join(head) + "\n\n" + captured["body"]
                selector = selector_bit | (2 if sts else 0)
                write("signature_verify", f"sdk-{name}-{signature}{'-sts' if sts else ''}", selector, text)
    write("signature_verify", "minimal", 0, "GET /\nhost: x\n\n")
    write_dict("signature_verify", ["authorization: acs ", "Authorization: ACS3-HMAC-SHA256 ",
                                    "Credential=", ",SignedHeaders=", ",Signature=", "x-acs-date: ",
                                    "date: ", "x-acs-signature-nonce: ", "x-acs-content-sha256: ",
                                    "x-acs-security-token: ", "x-acs-accesskey-id: ", "content-type: ",
                                    "host: ", "LTAI5tTestKeyId", "2025-01-01T00:00:00Z",
                                    "Wed, 01 Jan 2025 00:00:00 GMT", "%20", "%C3%A4", "?", "&", "=",
                                    "\n\n"])


def main():
    os.chdir(REPO)
    spec_loader()
    response_parser()
    service_error()
    cli_body()
    signed_requests()
    for target in sorted((FUZZ / "corpus").iterdir()):
        print(f"{target.name}: {len(list(target.iterdir()))} files")


if __name__ == "__main__":
    main()
