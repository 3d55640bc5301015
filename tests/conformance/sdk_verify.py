#!/usr/bin/env python3
"""Verify the signature of a captured request with the official SDK's OWN signing
functions (alibabacloud_tea_openapi 0.4.6), the way a server would: header names are
compared case-insensitively, everything else byte for byte.

stdin:
  {"request": {"method": "POST",
               "path": "/api/v2/clusters/c%20x?k=v",   # raw request target, may hold ?query
               "headers": [["name", "value"], ...],    # as sent (order does not matter here)
               "body": "<exact body text>"},
   "access_key_secret": "...",
   "access_key_id": "..."}                              # optional: also check the key id

stdout:
  {"ok": true|false,
   "scheme": "roa-v1" | "acs3-hmac-sha256" | "acs3-hmac-sm3" | null,   # from Authorization
   "expected": "<signature recomputed by the SDK>", "received": "<signature sent>",
   "string_to_sign": "...",
   "canonical_request": "..." | null,                   # ACS3 only
   "reason": null | "why ok is false"}

Schemes:
* roa-v1 (Authorization "acs <AccessKeyId>:<Signature>", the SDK's do_roarequest):
  Utils.get_string_to_sign(DaraRequest) + Utils.get_roasignature(string, secret).
  The string-to-sign uses the lower-cased header names (the SDK itself only sends
  lower-case names on this path) and the decoded query values.
* acs3-* (Authorization "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..",
  the SDK's do_request): the headers named in SignedHeaders= are given to
  Utils.get_authorization (which uses get_canonical_query_string,
  get_canonicalized_headers, Utils.hash and signature_method) with the payload hash
  Utils.hash(body).hex(). Also required, as the V3 spec says: x-acs-content-sha256 equals
  that hash; host, content-type (when sent) and every x-acs-* header are signed; every
  signed header is present once; and the whole Authorization value equals the one the
  SDK formats (sorted SignedHeaders, no extra spaces).
"""

import re
import sys
from urllib.parse import parse_qsl

sys.dont_write_bytecode = True  # keep tests/conformance free of __pycache__
from _harness import HarnessError, optional, require, run

from alibabacloud_tea_openapi.utils import (  # noqa: E402
    Utils,
    get_canonical_query_string,
    get_canonicalized_headers,
    signature_method,
)
from darabonba.request import DaraRequest  # noqa: E402

ROA_AUTH = re.compile(r"acs ([^:\s]+):(\S+)")
ACS3_AUTH = re.compile(r"(ACS3-[A-Z0-9-]+) Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-fA-F]*)")
ACS3_LENIENT = re.compile(r"(ACS3-[A-Z0-9-]+)\s+Credential\s*=\s*([^,\s]*)\s*,\s*SignedHeaders\s*=\s*([^,\s]*)"
                          r"\s*,\s*Signature\s*=\s*(\S*)\s*")
# Headers whose value goes into the ROA v1 string-to-sign.
ROA_SIGNED_PLAIN = ("accept", "content-md5", "content-type", "date")


def _parse_request(inp):
    req = require(inp, "request", dict)
    method = require(req, "method", str, "request")
    target = require(req, "path", str, "request")
    raw_headers = require(req, "headers", list, "request")
    body = require(req, "body", str, "request")
    headers = []
    for i, pair in enumerate(raw_headers):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise HarnessError(f"request.headers[{i}]: expected [name, value] strings")
        headers.append((pair[0], pair[1]))
    pathname, _, query_string = target.partition("?")
    query = {}
    problems = []
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        if key in query:
            problems.append(f"query key {key!r} appears more than once")
        query[key] = value
    return method, pathname, query, headers, body.encode("utf-8"), problems


def _values(headers, lname):
    return [v for n, v in headers if n.lower() == lname]


def _sdk_request(method, pathname, query, headers):
    request = DaraRequest()
    request.method = method
    request.pathname = pathname
    request.query = dict(query)
    request.headers = headers
    return request


def verify_roa(auth, method, pathname, query, headers, body, secret, access_key_id, problems):
    out = {"scheme": "roa-v1", "canonical_request": None}
    m = ROA_AUTH.fullmatch(auth)
    if not m:
        raise _Malformed(out, f"Authorization is not 'acs <id>:<signature>': {auth!r}")
    key_id, received = m.groups()
    lowered = {}
    for name, value in headers:
        lname = name.lower()
        if lname == "authorization":
            continue
        if lname in lowered and (lname in ROA_SIGNED_PLAIN or lname.startswith("x-acs-")):
            problems.append(f"signed header {lname!r} appears more than once")
        lowered.setdefault(lname, value)
    string_to_sign = Utils.get_string_to_sign(_sdk_request(method, pathname, query, lowered))
    expected = Utils.get_roasignature(string_to_sign, secret)
    if received != expected:
        problems.append("signature mismatch")
    if lowered.get("x-acs-signature-method", "HMAC-SHA1") != "HMAC-SHA1":
        problems.append("x-acs-signature-method is not HMAC-SHA1")
    if "date" not in lowered:
        problems.append("no date header")
    if access_key_id is not None and key_id != access_key_id:
        problems.append(f"access key id {key_id!r} != {access_key_id!r}")
    out.update(expected=expected, received=received, string_to_sign=string_to_sign)
    return out


def verify_acs3(auth, method, pathname, query, headers, body, secret, access_key_id, problems):
    m = ACS3_AUTH.fullmatch(auth)
    if not m:
        lenient = ACS3_LENIENT.fullmatch(auth)
        if not lenient:
            raise _Malformed({"scheme": "acs3", "canonical_request": None},
                             f"Authorization is not 'ACS3-... Credential=..,SignedHeaders=..,Signature=..': {auth!r}")
        problems.append("Authorization is not in the SDK's exact form (spacing)")
        m = lenient
    sign_type, credential, signed_list, received = m.groups()
    out = {"scheme": sign_type.lower(), "canonical_request": None}
    if sign_type not in ("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"):
        raise _Malformed(out, f"{sign_type} cannot be verified with an AccessKey secret")

    signed = signed_list.split(";") if signed_list else []
    signed_headers = {}
    for name in signed:
        values = _values(headers, name.lower())
        if name != name.lower():
            problems.append(f"SignedHeaders entry {name!r} is not lower-case")
        if not values:
            problems.append(f"signed header {name!r} was not sent")
        elif len(values) > 1:
            problems.append(f"signed header {name!r} appears {len(values)} times")
        else:
            signed_headers[name.lower()] = values[0]
    sent = {n.lower() for n, _ in headers}
    required = {"host"} | {n for n in sent if n.startswith("x-acs-")} | ({"content-type"} & sent)
    unsigned = sorted(required - {s.lower() for s in signed})
    if unsigned:
        problems.append(f"headers not signed: {', '.join(unsigned)}")

    payload = Utils.hash(body, sign_type).hex()
    content_hash = _values(headers, "x-acs-content-sha256")
    if not content_hash:
        problems.append("no x-acs-content-sha256 header")
    elif content_hash[0] != payload:
        problems.append(f"x-acs-content-sha256 {content_hash[0]} != hash of body {payload}")

    request = _sdk_request(method, pathname, query, signed_headers)
    expected_auth = Utils.get_authorization(request, sign_type, payload, credential, secret)
    expected = expected_auth.rsplit("Signature=", 1)[1]

    # The same canonicalization, spelled out for the report (module functions of utils.py).
    canonical_headers, signed_names = get_canonicalized_headers(request.headers)
    canonical_request = (f"{request.method}\n{request.pathname or '/'}\n"
                         f"{get_canonical_query_string(request.query)}\n"
                         f"{canonical_headers}\n{signed_names}\n{payload}")
    string_to_sign = f"{sign_type}\n{Utils.hex_encode(Utils.hash(canonical_request.encode('utf-8'), sign_type))}"
    if Utils.hex_encode(signature_method(secret, string_to_sign, sign_type)) != expected:
        raise HarnessError("internal: canonicalization disagrees with Utils.get_authorization")

    if received != expected:
        problems.append("signature mismatch")
    elif auth != expected_auth:
        problems.append(f"Authorization differs from the SDK's form: expected {expected_auth!r}")
    if access_key_id is not None and credential != access_key_id:
        problems.append(f"Credential {credential!r} != {access_key_id!r}")
    out.update(expected=expected, received=received, string_to_sign=string_to_sign,
               canonical_request=canonical_request)
    return out


class _Malformed(Exception):
    def __init__(self, partial, reason):
        super().__init__(reason)
        self.partial = partial


def main(inp):
    extra = sorted(set(inp) - {"request", "access_key_secret", "access_key_id"})
    if extra:
        raise HarnessError(f"unknown input keys: {extra}")
    secret = require(inp, "access_key_secret", str)
    access_key_id = optional(inp, "access_key_id", str)
    method, pathname, query, headers, body, problems = _parse_request(inp)
    result = {"ok": False, "scheme": None, "expected": None, "received": None,
              "string_to_sign": None, "canonical_request": None, "reason": None}
    auths = _values(headers, "authorization")
    if len(auths) != 1:
        result["reason"] = "no Authorization header" if not auths else "more than one Authorization header"
        return result
    auth = auths[0]
    verifier = verify_roa if auth.startswith("acs ") else verify_acs3 if auth.startswith("ACS3-") else None
    if verifier is None:
        result["reason"] = f"unknown Authorization scheme: {auth.split(' ', 1)[0]!r}"
        return result
    try:
        result.update(verifier(auth, method, pathname, query, headers, body, secret, access_key_id, problems))
    except _Malformed as exc:
        result.update(exc.partial)
        problems.append(str(exc))
    result["ok"] = not problems
    result["reason"] = "; ".join(problems) if problems else None
    return result


if __name__ == "__main__":
    run(main)
