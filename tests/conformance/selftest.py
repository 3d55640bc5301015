#!/usr/bin/env python3
"""Self-test of the conformance harness (run through tests/conformance/selftest.sh).

Drives the scripts exactly as the Rust tests do (JSON on stdin, JSON on stdout, one
subprocess per call) and checks, for both signature schemes (v1 = ROA HMAC-SHA1,
v3 = ACS3-HMAC-SHA256):
  capture (every ScaleOutClusterRequest field, a cluster id needing percent-encoding,
  non-ASCII and JSON-escaped text, an STS token) -> sdk_verify ok;
  wrong secret / a tampered signed header / a tampered path -> not ok;
plus absent-vs-empty list handling, determinism with a pinned time/nonce/port,
and check_schema.py on a small schema with a sibling $ref.
Prints PASS/FAIL lines and a final 'N passed, N failed' line; exits 1 on any failure.
Standard library only (it runs the harness scripts with the same interpreter).
"""

import copy
import json
import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable
RESULTS = {"passed": 0, "failed": 0}

CLUSTER_ID = "c-abc 1/ä+*~_.-x"
CLUSTER_PATH = "/api/v2/clusters/c-abc%201%2F%C3%A4%2B%2A~_.-x"
AK_ID = "STS.NUgYrLnoC37mZZCNnAbez2Fj"
SECRET = 'sk-Tést"se\\cret'
TOKEN = "CAIS+gF1q6Ft5B2yfSjIr5bSEsKbj+bVb0FR/0k=/ab=="

# Every field of ScaleOutClusterRequest (alibabacloud-cs20151215 7.2.3), deliberately
# not in the SDK's (alphabetical) order, with nested keys out of order too.
FULL_BODY = {
    "worker_system_disk_size": 120,
    "worker_system_disk_category": "cloud_essd",
    "count": 3,
    "cloud_monitor_flags": True,
    "cpu_policy": "static",
    "image_id": "aliyun_3_x64_20G_alibase_20240819.vhd",
    "key_pair": 'kp "quoted" name',
    "login_password": "He\\llo@1234/",
    "rds_instances": ["rm-1", "rm-2"],
    "runtime": {"version": "1.6.20", "name": "containerd"},
    "tags": [
        {"value": "prödüction ✓ 日本 😀", "key": "env"},
        {"key": 'q"k\\', "value": "line1\nline2\r\ttab\\back/slash\u0001\u001f\u007f\u2028"},
    ],
    "taints": [{"value": "gpu", "key": "dedicated", "effect": "NoSchedule"}],
    "user_data": "IyEvYmluL2Jhc2gKZWNobyAiaGkiCg==",
    "vswitch_ids": ["vsw-a", "vsw-b"],
    "worker_auto_renew": True,
    "worker_auto_renew_period": 6,
    "worker_data_disks": [
        {"size": "120", "encrypted": "true", "category": "cloud_essd", "auto_snapshot_policy_id": "sp-1"},
    ],
    "worker_instance_charge_type": "PrePaid",
    "worker_instance_types": ["ecs.g7.xlarge", "ecs.c7.xlarge"],
    "worker_period": 1,
    "worker_period_unit": "Month",
}

# What the SDK sends: keys in alphabetical order at every level (that is the SDK's
# field order for this model), compact, non-ASCII raw.
FULL_BODY_WIRE = json.dumps(FULL_BODY, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

ROA_ORDER = ["Accept-Encoding", "date", "host", "accept", "x-acs-signature-nonce",
             "x-acs-signature-method", "x-acs-signature-version", "x-acs-version", "x-acs-action",
             "user-agent", "content-type", "x-acs-credentials-provider", "x-acs-accesskey-id",
             "x-acs-security-token", "authorization", "Content-Length"]
ACS3_ORDER = ["Accept-Encoding", "host", "x-acs-version", "x-acs-action", "user-agent", "x-acs-date",
              "x-acs-signature-nonce", "accept", "content-type", "x-acs-content-sha256",
              "x-acs-credentials-provider", "x-acs-accesskey-id", "x-acs-security-token",
              "Authorization", "Content-Length"]
ACS3_SIGNED_AK = ("accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;"
                  "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version")


def call(script, payload, expect_ok=True):
    proc = subprocess.run([PY, os.path.join(HERE, script)], input=json.dumps(payload).encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if expect_ok:
        if proc.returncode != 0:
            raise AssertionError(f"{script} exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace').strip()}")
        return json.loads(proc.stdout.decode("utf-8"))
    return proc


def check(name, fn):
    try:
        fn()
    except Exception as exc:  # AssertionError and anything unexpected
        RESULTS["failed"] += 1
        print(f"FAIL {name}: {type(exc).__name__}: {exc}")
    else:
        RESULTS["passed"] += 1
        print(f"PASS {name}")


def capture_input(signature, body, token=TOKEN, **extra):
    return {"operation": "ScaleOutCluster", "signature": signature, "access_key_id": AK_ID,
            "access_key_secret": SECRET, "security_token": token,
            "path_params": {"ClusterId": CLUSTER_ID}, "body": body, **extra}


def verify(request, secret=SECRET):
    return call("sdk_verify.py", {"request": request, "access_key_secret": secret, "access_key_id": AK_ID})


def header(request, name):
    values = [v for n, v in request["headers"] if n.lower() == name.lower()]
    assert len(values) == 1, f"{name}: {values}"
    return values[0]


def with_header(request, name, value):
    r = copy.deepcopy(request)
    r["headers"] = [[n, value if n.lower() == name.lower() else v] for n, v in r["headers"]]
    return r


def expect(result, ok, what):
    assert result["ok"] is ok, f"{what}: expected ok={ok}, got {json.dumps(result, ensure_ascii=False)}"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scheme_tests(signature):
    scheme = "roa-v1" if signature == "v1" else "acs3-hmac-sha256"
    order = ROA_ORDER if signature == "v1" else ACS3_ORDER
    captured = {}

    def capture_full():
        captured["req"] = req = call("sdk_capture.py", capture_input(signature, FULL_BODY))
        assert req["method"] == "POST", req["method"]
        assert req["path"] == CLUSTER_PATH, req["path"]
        assert req["body"] == FULL_BODY_WIRE, f"body differs:\n{req['body']}\n{FULL_BODY_WIRE}"
        names = [n for n, _ in req["headers"]]
        assert names == order, f"header order {names}"
        assert header(req, "content-type") == "application/json; charset=utf-8"
        assert header(req, "x-acs-credentials-provider") == "static_sts"
        assert header(req, "x-acs-security-token") == TOKEN
        assert header(req, "x-acs-accesskey-id") == AK_ID
        assert header(req, "Content-Length") == str(len(FULL_BODY_WIRE.encode("utf-8")))
    check(f"{signature}: capture full ScaleOutCluster request", capture_full)
    if "req" not in captured:
        return
    req = captured["req"]

    def verify_ok():
        result = verify(req)
        expect(result, True, "untouched capture")
        assert result["scheme"] == scheme, result["scheme"]
        assert result["expected"] == result["received"]
    check(f"{signature}: sdk_verify accepts the capture", verify_ok)

    check(f"{signature}: wrong secret is rejected",
          lambda: expect(verify(req, secret=SECRET + "x"), False, "wrong secret"))
    check(f"{signature}: tampered x-acs-security-token is rejected",
          lambda: expect(verify(with_header(req, "x-acs-security-token", TOKEN[:-1] + "A")), False, "token"))
    check(f"{signature}: tampered x-acs-signature-nonce is rejected",
          lambda: expect(verify(with_header(req, "x-acs-signature-nonce", "0" * 32)), False, "nonce"))
    check(f"{signature}: tampered path is rejected",
          lambda: expect(verify({**req, "path": CLUSTER_PATH.replace("%20", "+")}), False, "path"))

    def unsigned_changes_ok():
        r = with_header(req, "Accept-Encoding", "gzip")
        r["headers"] = [[n.upper() if n.lower() == "content-type" else n, v] for n, v in r["headers"]]
        expect(verify(r), True, "unsigned header changed / name case changed")
    check(f"{signature}: unsigned header and header-name case do not matter", unsigned_changes_ok)

    def body_tamper():
        result = verify({**req, "body": req["body"].replace('"count":3', '"count":4')})
        if signature == "v3":
            expect(result, False, "tampered body (x-acs-content-sha256)")
            assert "x-acs-content-sha256" in (result["reason"] or ""), result["reason"]
        else:
            # ROA v1 does not sign the body (no content-md5 is sent): still valid.
            expect(result, True, "tampered body on ROA v1")
    check(f"{signature}: body tampering ({'rejected' if signature == 'v3' else 'not covered by ROA v1'})",
          body_tamper)

    def minimal_bodies():
        r = call("sdk_capture.py", capture_input(signature, {"count": 1}, token=None))
        assert r["body"] == '{"count":1}', r["body"]  # no "tags":[] etc. from from_map
        assert not [n for n, _ in r["headers"] if n.lower() in ("x-acs-security-token", "x-acs-accesskey-id")]
        assert header(r, "x-acs-credentials-provider") == "static_ak"
        expect(verify(r), True, "plain AK")
        if signature == "v3":
            assert f"SignedHeaders={ACS3_SIGNED_AK}," in header(r, "Authorization"), header(r, "Authorization")
        r = call("sdk_capture.py", capture_input(signature, {"tags": [], "taints": None}, token=None))
        assert r["body"] == '{"tags":[]}', r["body"]
        r = call("sdk_capture.py", capture_input(signature, {}, token=None))
        assert r["body"] == "{}", r["body"]
        proc = call("sdk_capture.py", capture_input(signature, {"disable_rollback": True}), expect_ok=False)
        assert proc.returncode != 0 and b"disable_rollback" in proc.stderr, proc.stderr
    check(f"{signature}: absent fields stay absent, [] is sent, unknown keys fail", minimal_bodies)

    def deterministic():
        fixed = {"timestamp": "2025-02-14T08:09:10Z", "nonce": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                 "port": free_port()}
        a = call("sdk_capture.py", capture_input(signature, FULL_BODY, **fixed))
        b = call("sdk_capture.py", capture_input(signature, FULL_BODY, **fixed))
        assert a == b, "two captures with pinned time/nonce/port differ"
        assert header(a, "host") == f"127.0.0.1:{fixed['port']}"
        assert header(a, "x-acs-signature-nonce") == fixed["nonce"]
        if signature == "v1":
            assert header(a, "date") == "Fri, 14 Feb 2025 08:09:10 GMT", header(a, "date")
        else:
            assert header(a, "x-acs-date") == "2025-02-14T08:09:10Z", header(a, "x-acs-date")
        expect(verify(a), True, "pinned capture")
    check(f"{signature}: pinned timestamp/nonce/port give identical captures", deterministic)


def schema_tests():
    def run_schema():
        with tempfile.TemporaryDirectory() as tmp:
            def write(name, value):
                path = os.path.join(tmp, name)
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(value if isinstance(value, str) else json.dumps(value))
                return path
            schema = write("spec.schema.json", {
                "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "required": ["operation"],
                "properties": {"operation": {"$ref": "common.schema.json#/$defs/name"}}})
            write("common.schema.json", {"$defs": {"name": {"type": "string", "pattern": "^[A-Z][A-Za-z]+$"}}})
            good = write("good.json", {"operation": "ScaleOutCluster"})
            bad = write("bad.json", {"operation": "scale/out"})
            dup = write("dup.json", '{"operation": "A", "operation": "B"}')
            out = call("check_schema.py", {"schema_path": schema, "files": [good]})
            assert out == {"ok": True, "errors": []}, out
            out = call("check_schema.py", {"schema_path": schema, "files": [good, bad, dup]})
            assert out["ok"] is False
            got = [(e["file"], e["pointer"]) for e in out["errors"]]
            assert got == [(bad, "/operation"), (dup, "")], got
    check("check_schema: sibling $ref, pointer, duplicate keys", run_schema)


def main():
    for signature in ("v1", "v3"):
        scheme_tests(signature)
    schema_tests()
    print(f"selftest: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
