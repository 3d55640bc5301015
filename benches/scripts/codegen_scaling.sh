#!/usr/bin/env bash
# Generator scaling: wall time and peak memory of `cargo xtask codegen` (the release-built
# xtask binary, as `cargo xtask` runs it minus cargo's own start-up) for synthetic specs of
# 1, 10, 100 and 1000 operations (benches/scripts/synthetic_spec.py). Every run starts from
# an empty crate folder, so every file is emitted and written.
#
#   benches/scripts/codegen_scaling.sh [SIZES...]       (default: 1 10 100 1000)
#   REPEATS=3        runs per size (the median wall time is reported)
#   SCALING_DIR=DIR  where specs and crates go, inside the repository (default
#                    target/codegen-scaling); a symbolic link to a tmpfs (for example
#                    `ln -s /dev/shm/x target/scaling-tmpfs`) takes the file system's cost of
#                    recreating a thousand just-deleted files out of the numbers
#
# The xtask binary is taken from $CARGO_TARGET_DIR when set. Wall time is read with bash's
# $EPOCHREALTIME (to the millisecond), peak RSS with GNU time (/usr/bin/time). Needs python3.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1 10 100 1000)
repeats="${REPEATS:-3}"
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 2; }

cargo build --quiet --release -p acs-codegen --bin xtask
xtask="${CARGO_TARGET_DIR:-$repo/target}/release/xtask"
base="${SCALING_DIR:-target/codegen-scaling}"
mkdir -p "$base"

echo "$repeats run(s) per size; median wall time, max peak RSS"
echo "| operations | files | generated lines | wall s | ms per operation | peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    spec="$base/spec-$n"
    crate="$base/crate-$n"
    python3 benches/scripts/synthetic_spec.py --operations "$n" --spec-dir "$spec" --crate-dir "$crate"
    walls=()
    peak=0
    for _ in $(seq "$repeats"); do
        rm -rf "$crate/src"
        started="$EPOCHREALTIME"
        /usr/bin/time -f "%M" -o "$base/time.txt" "$xtask" codegen --spec "$spec" > "$base/out.txt" 2> "$base/err.txt" || {
            cat "$base/err.txt" >&2
            exit 1
        }
        wall="$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')"
        read -r rss < "$base/time.txt"
        walls+=("$wall")
        [ "$rss" -gt "$peak" ] && peak="$rss"
    done
    median="$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (repeats + 1) / 2 ))p")"
    files="$(find "$crate/src" -name '*.rs' | wc -l)"
    lines="$(find "$crate/src" -name '*.rs' -exec cat {} + | wc -l)"
    awk -v n="$n" -v f="$files" -v l="$lines" -v w="$median" -v p="$peak" \
        'BEGIN { printf "| %d | %d | %d | %.3f | %.2f | %.1f |\n", n, f, l, w, w * 1000 / n, p / 1024 }'
done
