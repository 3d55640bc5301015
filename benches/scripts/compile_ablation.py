#!/usr/bin/env python3
"""Which derive makes the generated crate slow to compile: build copies of it with one derive
replaced by a stub impl (a hand-written `impl` whose body is `unimplemented!()`, so the crate
still type-checks), and compare cold `cargo build` and `cargo check` times with the crate as
generated. Also counts the lines each derive expands to, with rustc's own expansion printer.

    benches/scripts/compile_cost.sh          # first: sets up target/compile-cost/ws
    python3 benches/scripts/compile_ablation.py [--repeats 3]

Variants (copies of target/compile-cost/ws/all):
  as generated       the crate as generated
  stub Deserialize   every `#[derive(Deserialize)]` (or `WireDeserialize`) replaced by a stub impl
  stub Serialize     every `#[derive(Serialize)]` replaced by a stub impl

The expanded-line count uses `-Zunpretty=expanded` through RUSTC_BOOTSTRAP=1 (a diagnostic
only; nothing in the build depends on it) and attributes each top-level item of the
expansion to the derive that produced it by the trait it implements.
"""

import argparse
import collections
import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WS = REPO / "target" / "compile-cost" / "ws"

STUBS = {
    "Deserialize": "impl<'de> ::serde::Deserialize<'de> for {name} {{\n"
                   "    fn deserialize<D: ::serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {{\n"
                   "        unimplemented!()\n    }}\n}}\n",
    "Serialize": "impl ::serde::Serialize for {name} {{\n"
                 "    fn serialize<S: ::serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {{\n"
                 "        unimplemented!()\n    }}\n}}\n",
}
STUBS["WireDeserialize"] = STUBS["Deserialize"]


def stub_derive(source: str, derive: str) -> str:
    """`source` with `derive` removed from every derive list, and a stub impl appended for
    each item that had it."""
    stubs = []
    out = []
    pattern = re.compile(r"#\[derive\(([^\]]*?)\)\]", re.S)
    position = 0
    for match in pattern.finditer(source):
        names = [n.strip() for n in match.group(1).split(",") if n.strip()]
        out.append(source[position:match.start()])
        position = match.end()
        if derive not in names:
            out.append(match.group(0))
            continue
        names.remove(derive)
        out.append(f"#[derive({', '.join(names)})]")
        item = re.compile(r"pub (?:struct|enum) (\w+)").search(source, match.end())
        stubs.append(STUBS[derive].format(name=item.group(1)))
    out.append(source[position:])
    return "".join(out) + "\n" + "\n".join(stubs)


def make_variant(name: str, derive: str | None) -> str:
    folder = WS / name
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(WS / "all", folder)
    manifest = folder / "Cargo.toml"
    package = f"acs-cs-{name.replace('_', '-')}"
    manifest.write_text(re.sub(r'^name = ".*"$', f'name = "{package}"', manifest.read_text(), count=1,
                               flags=re.M))
    # Structures derive `WireDeserialize` (serde's `Deserialize` through the runtime) since
    # it replaced serde's derive; the "Deserialize" variant stubs either.
    stubbed = [derive, "WireDeserialize"] if derive == "Deserialize" else [derive] if derive else []
    for one in stubbed:
        for path in (folder / "src").rglob("*.rs"):
            text = path.read_text()
            if one in text:
                path.write_text(stub_derive(text, one))
    return package


def cargo(*args, env=None):
    subprocess.run(["cargo", *args], cwd=WS, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(*args) -> float:
    started = time.perf_counter()
    cargo(*args)
    return time.perf_counter() - started


def expanded_lines(package: str) -> collections.Counter:
    env = {**os.environ, "RUSTC_BOOTSTRAP": "1"}
    out = subprocess.run(["cargo", "rustc", "--quiet", "-p", package, "--lib", "--", "-Zunpretty=expanded"],
                         cwd=WS, check=True, env=env, capture_output=True, text=True).stdout
    return attribute(out.split("\n"))


def classify(block: str) -> str:
    head = block[:4000]
    first = head.split("{", 1)[0]
    if first.lstrip().startswith("const _"):
        if re.search(r"Deserialize<'de>\s+for\s+\w+", head):
            return "serde Deserialize"
        if re.search(r"Serialize\s+for\s+\w+", head):
            return "serde Serialize"
        return "other"
    impl = re.search(r"\bimpl\b(.*)", first.replace("\n", " "))
    if impl:
        header = impl.group(1)
        if "WireStruct for" in header or ("Deserialize<'de> for" in header
                                          and ("deserialize_struct" in head or "Ok(Self {" in head)):
            return "WireDeserialize"
        for needle, name in [("Validate for", "Validate"), ("Operation for", "Operation"),
                             ("Clone for", "std derives"), ("Debug for", "std derives"),
                             ("PartialEq for", "std derives"), ("Eq for", "std derives"),
                             ("Default for", "std derives"), ("Hash for", "std derives"),
                             ("Display for", "WireEnum"), ("FromStr for", "WireEnum"),
                             ("Serialize for", "serde Serialize (stub)"),
                             ("Deserialize<'de> for", "serde Deserialize (stub)")]:
            if needle in header:
                return name
        if "Builder" in header or "fn builder" in head:
            return "Builder"
        return "other impls"
    if re.match(r"\s*(pub(\([^)]*\))? )?(struct|enum)", first):
        return "Builder" if re.search(r"(struct|enum) \w+Builder", first) else "type definitions"
    return "other"


def attribute(lines: list[str]) -> collections.Counter:
    counts = collections.Counter()
    strip = re.compile(r'"(\\.|[^"\\])*"')
    i, n = 0, len(lines)
    while i < n:
        line = lines[i].strip()
        if not line or line == "}" or re.match(r"(pub(\([^)]*\))? )?mod \w+ \{$", line):
            i += 1
            continue
        if line.startswith("//") or line.startswith("#"):
            depth = 0
            while i < n:
                text = strip.sub('""', lines[i])
                depth += text.count("[") - text.count("]")
                counts["attributes and comments"] += 1
                i += 1
                if depth <= 0:
                    break
            continue
        depth, opened, j = 0, False, i
        while j < n:
            text = strip.sub('""', lines[j])
            text = re.sub(r"'(\\.|[^'\\])'", "''", text)
            depth += text.count("{") - text.count("}")
            opened |= "{" in text
            if (opened and depth <= 0) or (not opened and text.rstrip().endswith(";")):
                break
            j += 1
        counts[classify("\n".join(lines[i:j + 1]))] += j - i + 1
        i = j + 1
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not (WS / "all").is_dir():
        raise SystemExit("run benches/scripts/compile_cost.sh first")
    variants = [("as generated", "all", None), ("stub Deserialize", "no_deserialize", "Deserialize"),
                ("stub Serialize", "no_serialize", "Serialize")]
    manifest = WS / "Cargo.toml"
    members = ", ".join(f'"{folder}"' for _, folder, _ in variants)
    manifest.write_text(re.sub(r"^members = .*$", f'members = ["one", {members}]', manifest.read_text(),
                               count=1, flags=re.M))
    packages = [(label, make_variant(folder, derive) if derive else "acs-cs20151215")
                for label, folder, derive in variants]
    cargo("build", "--quiet", "--workspace")

    print("| variant | expanded lines | cold build s | cold check s |")
    print("|---|---:|---:|---:|")
    lines_of = {}
    for label, package in packages:
        builds, checks = [], []
        for _ in range(args.repeats):
            cargo("clean", "--quiet", "-p", package)
            builds.append(timed("build", "-p", package))
            cargo("clean", "--quiet", "-p", package)
            checks.append(timed("check", "-p", package))
        lines_of[label] = expanded_lines(package)
        total = sum(lines_of[label].values())
        print(f"| {label} | {total} | {statistics.median(builds):.1f} | {statistics.median(checks):.1f} |")

    print()
    counts = lines_of["as generated"]
    total = sum(counts.values())
    print("| expansion of the crate as generated, by origin | lines | share |")
    print("|---|---:|---:|")
    for origin, lines in counts.most_common():
        print(f"| {origin} | {lines} | {100 * lines / total:.1f}% |")


if __name__ == "__main__":
    main()
