"""Shared plumbing for the conformance scripts: one JSON object in on stdin, one JSON
object out on stdout, and on any error a one-line message on stderr plus a non-zero
exit status. Standard library only."""

import json
import sys


class HarnessError(Exception):
    """An error whose message is shown to the caller as is."""


def _one_line(text):
    return " ".join(str(text).split()) or "unknown error"


def read_input():
    raw = sys.stdin.buffer.read()
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise HarnessError(f"stdin is not a UTF-8 JSON document: {exc}") from None
    if not isinstance(value, dict):
        raise HarnessError("stdin must hold one JSON object")
    return value


def require(obj, key, kind, where="input"):
    """obj[key], which must exist and be an instance of kind (a type or tuple)."""
    if key not in obj:
        raise HarnessError(f"{where}: missing key {key!r}")
    value = obj[key]
    if not is_kind(value, kind):
        raise HarnessError(f"{where}.{key}: expected {_kind_name(kind)}, got {type(value).__name__}")
    return value


def optional(obj, key, kind, where="input", default=None):
    if obj.get(key) is None:
        return default
    return require(obj, key, kind, where)


def is_kind(value, kind):
    """isinstance, except that a JSON boolean is not accepted as an integer."""
    kinds = _as_tuple(kind)
    if isinstance(value, bool) and bool not in kinds:
        return False
    return isinstance(value, kinds)


def _as_tuple(kind):
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind):
    names = {str: "string", dict: "object", list: "array", int: "integer", bool: "boolean"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def run(main):
    """Run main(input_dict) -> output_dict with the stdin/stdout/stderr contract.

    While main runs, sys.stdout points at stderr, so that nothing the SDK might print
    (e.g. DEBUG=sdk) can corrupt the JSON written to the real stdout."""
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        result = main(read_input())
        data = json.dumps(result, ensure_ascii=False, indent=None) + "\n"
    except HarnessError as exc:
        sys.stdout = real_stdout
        print(f"{_script()}: {_one_line(exc)}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:  # anything unexpected: still one line
        sys.stdout = real_stdout
        print(f"{_script()}: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        sys.exit(1)
    sys.stdout = real_stdout
    real_stdout.buffer.write(data.encode("utf-8"))
    real_stdout.flush()


def _script():
    import os
    return os.path.basename(sys.argv[0] or "conformance")
