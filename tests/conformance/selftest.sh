#!/usr/bin/env bash
# Self-test of the Python conformance harness: sets up $REPO/.venv (idempotent) and runs
# the capture -> verify round trip for both signature schemes (ROA v1, ACS3) plus
# check_schema.py. Exits non-zero on any failure. Loopback only.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$REPO/scripts/setup-python.sh"
exec "$REPO/.venv/bin/python" "$REPO/tests/conformance/selftest.py"
