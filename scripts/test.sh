#!/usr/bin/env bash
# The test command: sets up what the tests need (a Python virtual environment with the
# official Alibaba Cloud SDK, pinned, reused when present), then runs every test of the
# workspace. Extra arguments go to `cargo test`.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
scripts/setup-python.sh
export ACS_PYTHON="$repo/.venv/bin/python"
# Snapshots are compared, never rewritten, in the test command.
export INSTA_UPDATE=no
cargo test --workspace --all-targets "$@"
# Doc tests are not covered by --all-targets.
cargo test --workspace --doc "$@"
