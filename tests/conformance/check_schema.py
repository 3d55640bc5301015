#!/usr/bin/env python3
"""Validate JSON files against a JSON Schema (draft 2020-12), offline.

stdin:
  {"schema_path": "path/to/spec.schema.json",
   "files": ["path/a.json", ...],
   "check_formats": false}          # optional: also assert "format" (default: annotation only)

stdout:
  {"ok": true|false,
   "errors": [{"file": "path/a.json", "pointer": "/operations/0/name", "message": "..."}]}

* The schema itself is checked against the draft 2020-12 meta-schema first; problems
  are reported with "file" = schema_path.
* "$ref"s are resolved offline only (referencing.Registry, never the network):
  - relative references (e.g. "common.schema.json#/$defs/x", "defs/y.json") resolve
    against the schema's "$id", or, if it has none, against its file location, and are
    loaded from files inside the schema's directory (subfolders allowed);
  - every *.json file next to the schema that declares an "$id" is also registered
    under that "$id", so absolute "$ref"s to those ids work too.
  Anything else (a reference outside that directory, an unknown http(s) URI) is an
  error.
* Data files are parsed strictly: duplicate object keys and NaN/Infinity are errors.
* "pointer" is an RFC 6901 JSON pointer into the data file ("" = the whole document).
Relative paths are relative to the current directory; files are reported as given.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

sys.dont_write_bytecode = True  # keep tests/conformance free of __pycache__
from _harness import HarnessError, optional, require, run

from jsonschema import Draft202012Validator  # noqa: E402
from jsonschema.exceptions import best_match  # noqa: E402
from referencing import Registry, Resource  # noqa: E402
from referencing.exceptions import NoSuchResource  # noqa: E402
from referencing.jsonschema import DRAFT202012  # noqa: E402


class _DataError(Exception):
    pass


def _reject_constant(name):
    raise _DataError(f"invalid JSON constant {name}")


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _DataError(f"duplicate object key {key!r}")
        obj[key] = value
    return obj


def load_json(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _message(error):
    msg = error.message
    if error.context:
        inner = best_match(error.context)
        if inner is not None:
            where = pointer(inner.absolute_path)
            msg += f" (closest: {where or '/'}: {inner.message})"
    return msg


def build_registry(schema_file, schema):
    root = schema_file.parent
    base = schema.get("$id") if isinstance(schema.get("$id"), str) else None
    base = urldefrag(base)[0] if base else None
    file_base = schema_file.as_uri()

    def to_local(uri):
        """Map a URI to a file inside `root`, or None."""
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            candidate = Path(unquote(parsed.path))
        elif base and uri.startswith(urljoin(base, ".")):
            candidate = root / unquote(uri[len(urljoin(base, ".")):])
        else:
            return None
        try:
            candidate = candidate.resolve()
            candidate.relative_to(root)
        except (OSError, ValueError):
            return None
        return candidate if candidate.is_file() else None

    def retrieve(uri):
        local = to_local(uri)
        if local is None:
            raise NoSuchResource(ref=uri)
        try:
            contents = load_json(local)
        except (OSError, ValueError, _DataError) as exc:
            raise NoSuchResource(ref=f"{uri} ({exc})") from None
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    registry = Registry(retrieve=retrieve)
    pairs = []
    for sibling in sorted(root.glob("*.json")):
        if sibling.resolve() == schema_file:
            continue
        try:
            contents = load_json(sibling)
        except (OSError, ValueError, _DataError):
            continue  # not our business unless referenced (then retrieve reports it)
        if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
            resource = Resource.from_contents(contents, default_specification=DRAFT202012)
            pairs.append((urldefrag(contents["$id"])[0], resource))
            pairs.append((sibling.resolve().as_uri(), resource))
    if pairs:
        registry = registry.with_resources(pairs)
    return registry, (base or file_base)


def main(inp):
    extra = sorted(set(inp) - {"schema_path", "files", "check_formats"})
    if extra:
        raise HarnessError(f"unknown input keys: {extra}")
    schema_path = require(inp, "schema_path", str)
    files = require(inp, "files", list)
    if not all(isinstance(f, str) for f in files):
        raise HarnessError("input.files: expected an array of strings")
    check_formats = optional(inp, "check_formats", bool, default=False)

    schema_file = Path(os.path.abspath(schema_path)).resolve()
    try:
        schema = load_json(schema_file)
    except (OSError, ValueError, _DataError) as exc:
        raise HarnessError(f"cannot load schema {schema_path}: {exc}") from None

    errors = []
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    for err in sorted(meta.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
        errors.append({"file": schema_path, "pointer": pointer(err.absolute_path),
                       "message": f"invalid schema: {_message(err)}"})
    if errors:
        return {"ok": False, "errors": errors}

    registry, base_uri = build_registry(schema_file, schema)
    if isinstance(schema, dict) and "$id" not in schema:
        schema = {"$id": base_uri, **schema}  # so relative $refs resolve next to the file
    kwargs = {"registry": registry}
    if check_formats:
        kwargs["format_checker"] = Draft202012Validator.FORMAT_CHECKER
    validator = Draft202012Validator(schema, **kwargs)

    for name in files:
        try:
            data = load_json(name)
        except FileNotFoundError:
            errors.append({"file": name, "pointer": "", "message": "file not found"})
            continue
        except (OSError, UnicodeDecodeError, ValueError, _DataError) as exc:
            errors.append({"file": name, "pointer": "", "message": f"not valid JSON: {exc}"})
            continue
        try:
            found = sorted(validator.iter_errors(data),
                           key=lambda e: ([str(p) for p in e.absolute_path], e.message))
        except Exception as exc:  # unresolvable $ref and the like: a schema problem
            raise HarnessError(f"schema {schema_path} cannot be applied: {type(exc).__name__}: {exc}") from None
        for err in found:
            errors.append({"file": name, "pointer": pointer(err.absolute_path), "message": _message(err)})
    return {"ok": not errors, "errors": errors}


if __name__ == "__main__":
    run(main)
