#!/bin/sh
# A stand-in for rustfmt that copies stdin to stdout unchanged, so that
# `RUSTFMT=benches/scripts/no_rustfmt.sh benches/scripts/codegen_scaling.sh` times the
# generator without formatting (the process is still started once per file).
exec cat
