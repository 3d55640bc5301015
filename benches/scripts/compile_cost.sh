#!/usr/bin/env bash
# Compile cost of the generated crate: cold and incremental `cargo build` (dev profile, default
# features) and cold `cargo check`, for the crate with one operation (ScaleOutCluster, generated
# from a one-operation copy of the spec) and with every operation (a copy of generated/).
#
#   benches/scripts/compile_cost.sh          REPEATS=3 runs per measurement (median reported)
#
# Both crates are built in a scratch workspace under target/compile-cost/ (its own target
# folder, so that other builds of the main workspace neither wait for it nor disturb it).
# "cold" = `cargo clean -p <crate>` then build: the dependencies stay built, only the crate
# itself is compiled. "incremental" = a generated file touched (its mtime only) then build.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
repeats="${REPEATS:-3}"
base="$repo/target/compile-cost"
ws="$base/ws"
rm -rf "$ws" "$base/spec-one"
mkdir -p "$ws" "$base/spec-one/cs"

# The scratch workspace: the main workspace's package and dependency tables, paths adjusted.
{
    echo '[workspace]'
    echo 'resolver = "3"'
    echo 'members = ["one", "all"]'
    sed -n '/^\[workspace.package\]/,/^\[profile/p' Cargo.toml | grep -v '^\[profile' \
        | sed -e 's#path = "\([a-z]*\)"#path = "../../../\1"#'
    sed -n '/^\[profile/,$p' Cargo.toml
} > "$ws/Cargo.toml"
cp Cargo.lock "$ws/Cargo.lock"

# Every operation: a copy of generated/.
mkdir -p "$ws/all"
cp -r generated/Cargo.toml generated/src "$ws/all/"

# One operation: ScaleOutCluster alone (without its references to other operations).
cp api-spec/cs-2015-12-15/service.json "$base/spec-one/cs/"
python3 - "$base/spec-one/cs" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
service = json.loads((out / "service.json").read_text())
service["crate"]["directory"] = "target/compile-cost/ws/one"
(out / "service.json").write_text(json.dumps(service, indent=2, ensure_ascii=False))
op = json.loads(Path("api-spec/cs-2015-12-15/ScaleOutCluster.json").read_text())
op.pop("follow_with", None)
op.pop("deprecated", None)
(out / "ScaleOutCluster.json").write_text(json.dumps(op, indent=2, ensure_ascii=False))
PY
mkdir -p "$ws/one"
sed -e 's/^name = "acs-cs20151215"/name = "acs-cs-one"/' generated/Cargo.toml > "$ws/one/Cargo.toml"
cargo run --quiet --release -p acs-codegen --bin xtask -- codegen --spec "$base/spec-one" > /dev/null

cd "$ws"
echo "dependencies (not timed)..."
cargo build --quiet --workspace 2>&1 | tail -3
cargo check --quiet --workspace 2>&1 | tail -3

median() { sort -g | sed -n "$(( (repeats + 1) / 2 ))p"; }
timed() { # prints the wall seconds of "$@"
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
echo "| crate | operations | lines | cold build s | cold check s | incremental build s (touch) |"
echo "|---|---:|---:|---:|---:|---:|"
for crate in one all; do
    package=$(sed -n 's/^name = "\(.*\)"/\1/p' "$crate/Cargo.toml" | head -1)
    ops=$(find "$crate/src/operations" -name '*.rs' ! -name mod.rs | wc -l)
    lines=$(find "$crate/src" -name '*.rs' -exec cat {} + | wc -l)
    touched=$(find "$crate/src/operations" -name '*.rs' ! -name mod.rs | sort | head -1)
    cold=(); check=(); incr=()
    for _ in $(seq "$repeats"); do
        cargo clean --quiet -p "$package"
        cold+=("$(timed cargo build -p "$package")")
        cargo clean --quiet -p "$package"
        check+=("$(timed cargo check -p "$package")")
        cargo build --quiet -p "$package"
        touch "$touched"
        incr+=("$(timed cargo build -p "$package")")
    done
    printf '| %s | %d | %d | %.1f | %.1f | %.1f |\n' "$package" "$ops" "$lines" \
        "$(printf '%s\n' "${cold[@]}" | median)" "$(printf '%s\n' "${check[@]}" | median)" \
        "$(printf '%s\n' "${incr[@]}" | median)"
done
