#!/usr/bin/env python3
"""Capture the HTTP request that the OFFICIAL Alibaba Cloud Python SDK
(alibabacloud_cs20151215.client.Client) sends for one operation.

The script starts its own capture server on 127.0.0.1:<ephemeral port> (http.server,
in a thread), points the SDK at it (Config.endpoint="127.0.0.1:<port>",
Config.protocol="HTTP"), makes one call, and prints the request exactly as received.
Nothing but loopback is contacted: proxy variables are removed from the environment
before the SDK is imported.

stdin (one JSON object):
  {
    "operation": "ScaleOutCluster",          # API name; selects Client.<snake>_with_options
    "signature": "v1" | "v3",                # v1 = ROA HMAC-SHA1 (Config.signature_algorithm="v2"),
                                             # v3 = ACS3-HMAC-SHA256 (SDK default, algorithm unset)
    "access_key_id": "...", "access_key_secret": "...",
    "security_token": null | "...",          # STS token (optional)
    "path_params": {"ClusterId": "..."},     # matched to the method's positional args by
                                             # name, ignoring case and '_' (ClusterId -> cluster_id)
    "body": {...},                           # request-model fields by wire name (optional)
    "query": {...},                          # same, for operations with query fields (optional);
                                             # body and query are merged into one request model,
                                             # the SDK decides where each field goes
    # optional, for byte-exact comparisons:
    "timestamp": "2025-01-01T00:00:00Z",     # fixes x-acs-date (v3) and date (v1)
    "nonce": "0123456789abcdef0123456789abcdef", # fixes x-acs-signature-nonce
    "user_agent": "...",                     # Config.user_agent (appended to the SDK's own UA);
                                             # $ALIBABA_CLOUD_USER_AGENT is ignored
    "port": 0                                # capture port on 127.0.0.1 (default 0 = any free
                                             # port); the SDK's host header is 127.0.0.1:<port>
  }

stdout:
  {"method": "POST",
   "path": "/api/v2/clusters/c-abc%201...",  # raw request target, percent-encoding intact
   "headers": [["name", "value"], ...],       # as received: order, case and duplicates kept
                                              # (values decoded as ISO-8859-1, as http.client
                                              # encodes them; surrounding whitespace removed)
   "body": "<exact body text, UTF-8>"}

Request model construction: the model is built with <Op>Request().from_map(fields),
because that is how a caller turns wire-named JSON into the model. from_map of this
SDK, however, sets some list attributes (for ScaleOutClusterRequest: tags, taints,
worker_data_disks) to [] even when the key is absent, and the SDK then sends
"tags":[] etc. So after from_map every attribute whose key is absent (or null) in the
input is reset to None, at every nesting level. The result is what a caller gets from
constructor keyword arguments: absent stays absent, an explicit [] is sent as [].
JSON null therefore means "unset" (the SDK can never send null). An input key that
matches no model attribute is an error (the SDK would silently drop it).
Keys are matched to attributes ignoring case and '_' (this SDK uses the wire names as
attribute names for ACK, so the match is exact in practice).
"""

import copy
import inspect
import os
import re
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # keep tests/conformance free of __pycache__
from _harness import HarnessError, optional, require, run

# Loopback only, and deterministic: the SDK reads these itself (darabonba core
# do_action reads HTTP(S)_PROXY; Client.__init__ reads ALIBABA_CLOUD_USER_AGENT).
for _var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
             "ALIBABA_CLOUD_USER_AGENT"):
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from alibabacloud_cs20151215 import models as cs_models  # noqa: E402
from alibabacloud_cs20151215.client import Client  # noqa: E402
from alibabacloud_tea_openapi import utils_models as open_api_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from darabonba.model import DaraModel  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402

RESPONSE_BODY = b'{"cluster_id":"c","request_id":"r","task_id":"t"}'


def _norm(name):
    return re.sub(r"[_\-]", "", name).lower()


# --------------------------------------------------------------------------- server

class _RecordingReader:
    """Wraps the request's rfile and keeps every line read through readline(), so the
    header block is available exactly as it came off the wire."""

    def __init__(self, raw):
        self._raw = raw
        self.data = bytearray()

    def readline(self, *args):
        line = self._raw.readline(*args)
        self.data += line
        return line

    def __getattr__(self, name):
        return getattr(self._raw, name)


def _parse_raw_headers(block):
    headers = []
    for line in bytes(block).split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            raise HarnessError("capture: obsolete folded header line received")
        name, sep, value = line.partition(b":")
        if not sep:
            raise HarnessError(f"capture: malformed header line {line!r}")
        headers.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
    return headers


class _CaptureHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def parse_request(self):
        real = self.rfile
        self.rfile = _RecordingReader(real)
        try:
            return super().parse_request()
        finally:
            self.raw_header_block = self.rfile.data
            self.rfile = real

    def _read_body(self, headers):
        lower = {}
        for name, value in headers:
            lower.setdefault(name.lower(), value)
        if "chunked" in lower.get("transfer-encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(lower.get("content-length", "0") or "0")
        return self.rfile.read(length) if length else b""

    def _capture(self):
        try:
            headers = _parse_raw_headers(self.raw_header_block)
            body = self._read_body(headers)
            self.server.captured.append(
                {"method": self.command, "path": self.path, "headers": headers, "body": body})
        except Exception as exc:  # reported by the main thread
            self.server.errors.append(f"{type(exc).__name__}: {exc}")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(RESPONSE_BODY)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(RESPONSE_BODY)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _capture

    def log_message(self, *args):
        pass


class CaptureServer:
    def __init__(self, port=0):
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _CaptureHandler)
        except OSError as exc:
            raise HarnessError(f"cannot listen on 127.0.0.1:{port}: {exc}") from None
        self.httpd.daemon_threads = True
        self.httpd.captured = []
        self.httpd.errors = []
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def captured(self):
        return self.httpd.captured

    @property
    def errors(self):
        return self.httpd.errors


# --------------------------------------------------------------------------- SDK side

def find_operation(operation):
    """Client method '<snake_case>_with_options' and, if it takes one, the request
    model class (parameter annotated as main_models.<Op>Request)."""
    want = _norm(operation) + "withoptions"
    names = [n for n in dir(Client)
             if n.endswith("_with_options") and not n.endswith("_async") and _norm(n) == want]
    if len(names) != 1:
        raise HarnessError(f"operation {operation!r}: no Client.<name>_with_options method found")
    return names[0]


def _model_class(annotation):
    if inspect.isclass(annotation) and issubclass(annotation, DaraModel):
        return annotation
    if isinstance(annotation, str):
        cls = getattr(cs_models, annotation.rsplit(".", 1)[-1], None)
        if inspect.isclass(cls) and issubclass(cls, DaraModel):
            return cls
    return None


def restore_absent(model, fields, where):
    """Reset to None every attribute of `model` whose key is absent or null in
    `fields` (undoing from_map's [] defaults), recursing into nested models; reject
    keys that are not model attributes."""
    attrs = {_norm(a): a for a in vars(model) if not a.startswith("_")}
    present = {}
    for key, value in fields.items():
        attr = attrs.get(_norm(key))
        if attr is None:
            raise HarnessError(f"{where}: {key!r} is not a field of {type(model).__name__} "
                               f"(the SDK would drop it)")
        if value is not None:
            present[attr] = (key, value)
    for attr in attrs.values():
        if attr not in present:
            setattr(model, attr, None)
            continue
        key, value = present[attr]
        current = getattr(model, attr)
        if isinstance(current, DaraModel) and isinstance(value, dict):
            restore_absent(current, value, f"{where}.{key}")
        elif isinstance(current, list) and isinstance(value, list):
            for i, (item, item_fields) in enumerate(zip(current, value)):
                if isinstance(item, DaraModel) and isinstance(item_fields, dict):
                    restore_absent(item, item_fields, f"{where}.{key}[{i}]")
        elif isinstance(current, dict) and isinstance(value, dict):
            for k, item in current.items():
                if isinstance(item, DaraModel) and isinstance(value.get(k), dict):
                    restore_absent(item, value[k], f"{where}.{key}.{k}")


def build_request(cls, fields):
    model = cls().from_map(copy.deepcopy(fields))
    restore_absent(model, fields, cls.__name__)
    return model


def bind_arguments(method, path_params, fields, have_fields):
    args = []
    used = set()
    by_norm = {}
    for key in path_params:
        by_norm.setdefault(_norm(key), key)
    took_request = False
    for param in inspect.signature(method).parameters.values():
        if param.name == "headers":
            args.append({})
        elif param.name == "runtime":
            args.append(RuntimeOptions())
        elif _model_class(param.annotation) is not None:
            args.append(build_request(_model_class(param.annotation), fields))
            took_request = True
        else:
            key = by_norm.get(_norm(param.name))
            if key is None:
                raise HarnessError(f"path_params: missing {param.name!r} (any case, '_' optional)")
            value = path_params[key]
            if not isinstance(value, str):
                raise HarnessError(f"path_params.{key}: expected string")
            args.append(value)
            used.add(key)
    unused = sorted(set(path_params) - used)
    if unused:
        raise HarnessError(f"path_params: {unused} not used by {method.__name__}")
    if have_fields and not took_request:
        raise HarnessError(f"{method.__name__} takes no request model, but body/query were given")
    return args


def _pin_time_and_nonce(timestamp, nonce):
    if timestamp is not None:
        try:
            moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise HarnessError("timestamp: expected YYYY-MM-DDTHH:MM:SSZ") from None
        # Same formats as Utils.get_timestamp / Utils.get_date_utcstring.
        iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        http_date = moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
        Utils.get_timestamp = staticmethod(lambda: iso)
        Utils.get_date_utcstring = staticmethod(lambda: http_date)
    if nonce is not None:
        Utils.get_nonce = staticmethod(lambda: nonce)


def main(inp):
    known = {"operation", "signature", "access_key_id", "access_key_secret", "security_token",
             "path_params", "body", "query", "timestamp", "nonce", "user_agent", "port"}
    extra = sorted(set(inp) - known)
    if extra:
        raise HarnessError(f"unknown input keys: {extra}")
    operation = require(inp, "operation", str)
    signature = require(inp, "signature", str)
    if signature not in ("v1", "v3"):
        raise HarnessError("signature: expected 'v1' or 'v3'")
    access_key_id = require(inp, "access_key_id", str)
    access_key_secret = require(inp, "access_key_secret", str)
    security_token = optional(inp, "security_token", str)
    path_params = optional(inp, "path_params", dict, default={})
    body = optional(inp, "body", dict, default={})
    query = optional(inp, "query", dict, default={})
    overlap = sorted(set(body) & set(query))
    if overlap:
        raise HarnessError(f"keys in both body and query: {overlap}")
    fields = {**query, **body}
    _pin_time_and_nonce(optional(inp, "timestamp", str), optional(inp, "nonce", str))
    user_agent = optional(inp, "user_agent", str)
    port = optional(inp, "port", int, default=0)
    if not 0 <= port <= 65535:
        raise HarnessError("port: expected 0..65535")

    method_name = find_operation(operation)
    with CaptureServer(port) as server:
        config = open_api_models.Config(
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            security_token=security_token,
            endpoint=f"127.0.0.1:{server.port}",
            protocol="HTTP",
            user_agent=user_agent,
        )
        if signature == "v1":
            config.signature_algorithm = "v2"  # ROA signature v1 (HMAC-SHA1), see do_roarequest
        client = Client(config)
        method = getattr(client, method_name)
        args = bind_arguments(method, path_params, fields, bool(inp.get("body") or inp.get("query")))
        try:
            method(*args)
        except Exception as exc:
            if not server.captured:
                raise HarnessError(f"SDK call failed before sending: {type(exc).__name__}: {exc}") from None
            raise HarnessError(f"SDK call failed: {type(exc).__name__}: {exc}") from None
    if server.errors:
        raise HarnessError(f"capture server: {server.errors[0]}")
    if len(server.captured) != 1:
        raise HarnessError(f"expected exactly 1 request, captured {len(server.captured)}")
    req = server.captured[0]
    try:
        body_text = req["body"].decode("utf-8")
    except UnicodeDecodeError:
        raise HarnessError("captured body is not valid UTF-8") from None
    return {"method": req["method"], "path": req["path"], "headers": req["headers"], "body": body_text}


if __name__ == "__main__":
    run(main)
