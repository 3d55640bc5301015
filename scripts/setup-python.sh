#!/usr/bin/env bash
# Creates (or reuses) $REPO/.venv for the Python side of the conformance harness
# (tests/conformance/*.py) and installs the exact pins of
# tests/conformance/requirements.txt into it. Idempotent: when .venv already holds
# exactly those requirements (hash stored in .venv/.requirements.sha256) for the same
# interpreter, pip is not run at all. Reaches only PyPI (through pip).
#
# Usage: scripts/setup-python.sh          (PYTHON=/path/to/python3 to pick the interpreter)
# Prints one line saying what it did; exits non-zero with a message on failure.
set -euo pipefail

die() { echo "setup-python.sh: error: $*" >&2; exit 1; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || die "cannot locate the repository root"
VENV="$REPO/.venv"
REQ="$REPO/tests/conformance/requirements.txt"
STAMP="$VENV/.requirements.sha256"
LOG="$VENV/.pip-install.log"
PY="${PYTHON:-python3}"

[ -f "$REQ" ] || die "missing $REQ"
command -v "$PY" >/dev/null 2>&1 || die "'$PY' not found: install CPython 3.11 (Debian: apt-get install python3 python3-venv)"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || die "$("$PY" -V 2>&1) is too old: CPython >= 3.9 is required (pins verified on 3.11)"
"$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 \
    || die "'$PY -m venv' cannot work here (no venv/ensurepip module): on Debian run 'apt-get install python3-venv'"

# One setup at a time (several test processes may call this concurrently).
if command -v flock >/dev/null 2>&1; then
    LOCK="${TMPDIR:-/tmp}/setup-python.$(printf '%s' "$REPO" | cksum | cut -d' ' -f1).lock"
    exec 9>"$LOCK" || die "cannot open lock file $LOCK"
    flock 9 || die "cannot lock $LOCK"
fi

# The stamp covers the requirements file and the interpreter that built the venv.
PYID="$("$PY" -c 'import sys, platform; print(sys.implementation.name, platform.python_version(), platform.machine())')" \
    || die "cannot run $PY"
WANT="$( { cat "$REQ"; echo "python: $PYID"; } | sha256sum | cut -d' ' -f1 )"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] \
    && "$VENV/bin/python" -c 'import alibabacloud_cs20151215.client, jsonschema' >/dev/null 2>&1; then
    echo "setup-python.sh: reused $VENV (requirements unchanged, $PYID)"
    exit 0
fi

# Missing, stale or broken: rebuild from scratch so that no unpinned leftovers remain.
case "$VENV" in
    */.venv) ;;
    *) die "refusing to touch unexpected venv path '$VENV'" ;;
esac
if [ -e "$VENV" ]; then
    rm -rf -- "$VENV" || die "cannot remove stale $VENV"
    ACTION="recreated"
else
    ACTION="created"
fi

"$PY" -m venv "$VENV" >/dev/null 2>&1 \
    || die "'$PY -m venv $VENV' failed (on Debian: apt-get install python3-venv)"

if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input \
        --require-virtualenv -r "$REQ" >"$LOG" 2>&1; then
    tail -n 25 "$LOG" >&2 || true
    die "pip install -r $REQ failed (full log: $LOG)"
fi

# Every installed distribution must be pinned, at the pinned version (catches missing
# transitive pins and version drift); then pip's own dependency check and an import test.
if ! "$VENV/bin/python" - "$REQ" >>"$LOG" 2>&1 <<'PYEOF'
import re, sys
from importlib import metadata
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
pins = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
    if not m:
        sys.exit(f"requirements line is not an exact pin: {line!r}")
    pins[norm(m.group(1))] = m.group(2)
bad = []
for dist in metadata.distributions():
    name = norm(dist.metadata["Name"])
    if name in ("pip", "setuptools", "wheel", "distribute"):
        continue
    if name not in pins:
        bad.append(f"{name}=={dist.version} is installed but not pinned")
    elif pins[name] != dist.version:
        bad.append(f"{name}: installed {dist.version}, pinned {pins[name]}")
if bad:
    sys.exit("; ".join(bad))
PYEOF
then
    tail -n 5 "$LOG" >&2 || true
    die "installed packages do not match the pins in $REQ (log: $LOG)"
fi
"$VENV/bin/python" -m pip check --disable-pip-version-check >>"$LOG" 2>&1 \
    || { tail -n 10 "$LOG" >&2; die "pip check failed (log: $LOG)"; }
"$VENV/bin/python" -c 'import alibabacloud_cs20151215.client, alibabacloud_tea_openapi.utils, jsonschema, referencing' >>"$LOG" 2>&1 \
    || { tail -n 10 "$LOG" >&2; die "the installed SDK does not import (log: $LOG)"; }

printf '%s\n' "$WANT" >"$STAMP" || die "cannot write $STAMP"
N="$(grep -cE '^[A-Za-z0-9][^#]*==' "$REQ")"
echo "setup-python.sh: $ACTION $VENV and installed $N pinned packages ($PYID)"
